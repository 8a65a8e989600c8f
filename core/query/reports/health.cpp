// The health report (docs/METRICS.md).
#include "core/query/reports/context.hpp"

namespace liaison::core::reports {

Status health(Ctx&, Report& out) {
    out.title = "health";
    return Status(Code::kInternal, "the health report is not built yet");
}

}  // namespace liaison::core::reports
