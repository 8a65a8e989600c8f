// The attribution report (docs/METRICS.md).
#include "core/query/reports/context.hpp"

namespace liaison::core::reports {

Status attribution(Ctx&, Report& out) {
    out.title = "attribution";
    return Status(Code::kInternal, "the attribution report is not built yet");
}

}  // namespace liaison::core::reports
