// The sov report (docs/METRICS.md).
#include "core/query/reports/context.hpp"

namespace liaison::core::reports {

Status share_of_voice(Ctx&, Report& out) {
    out.title = "sov";
    return Status(Code::kInternal, "the sov report is not built yet");
}

}  // namespace liaison::core::reports
