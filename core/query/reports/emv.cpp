// The emv report (docs/METRICS.md).
#include "core/query/reports/context.hpp"

namespace liaison::core::reports {

Status emv(Ctx&, Report& out) {
    out.title = "emv";
    return Status(Code::kInternal, "the emv report is not built yet");
}

}  // namespace liaison::core::reports
