// The pyramid report (docs/METRICS.md).
#include "core/query/reports/context.hpp"

namespace liaison::core::reports {

Status pyramid(Ctx&, Report& out) {
    out.title = "pyramid";
    return Status(Code::kInternal, "the pyramid report is not built yet");
}

}  // namespace liaison::core::reports
