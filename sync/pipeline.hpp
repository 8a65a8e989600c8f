// Moving a collaboration along its pipeline (core/query/pipeline.hpp, P1–P5;
// docs/PROGRAMMES.md): the step entry and the status change, written as one action.
//
// The step carries the collaboration's person and scope keys, `from` its current status (as
// this replica or the central record sees it) and `at` the time of the move — never earlier
// than the last step this side holds, so moves made one after the other keep their order in
// the trail even within one millisecond.
//
// Thread-safety: as the Replica / Store.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/query/pipeline.hpp"
#include "sync/op.hpp"
#include "sync/replica.hpp"

namespace liaison::sync {

struct Move {
    std::string to;
    std::string note;
    std::optional<core::Id128> staff;  // who moved it
};

// Whether `to` may follow the collaboration's status here (P1): kConflict naming the moves
// offered when it may not; kNotFound when the replica holds no such collaboration.
// `pipeline` receives the trail read for the check.
Status check_move(core::Store& store, const core::Id128& collaboration, std::string_view to,
                  core::Pipeline* pipeline = nullptr);

// On a device: checks the move, then writes the step and the status as one action (P2).
// Returns the step's id.
Result<core::Id128> move_collaboration(Replica& replica, const core::Id128& collaboration,
                                       const Move& move);

// On the server: the same, as unstamped operations (a create of the step `step`, then the
// status set) for the hub to stamp and apply as one group. `now_ms` is the server's time.
Result<std::vector<Op>> move_ops(core::Store& store, const core::Id128& collaboration,
                                 const Move& move, const core::Id128& step, std::int64_t now_ms);

}  // namespace liaison::sync
