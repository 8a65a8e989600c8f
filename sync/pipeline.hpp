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

#include "core/compliance/rules.hpp"
#include "core/query/pipeline.hpp"
#include "sync/op.hpp"
#include "sync/replica.hpp"

namespace liaison::sync {

struct Move {
    std::string to;
    std::string note;
    std::optional<core::Id128> staff;  // who moved it
    // Why the move goes on though her vetting does not allow it (docs/COMPLIANCE.md,
    // "Vetting"): recorded on the collaboration (override_reason, override_by) in the same
    // action. Only the central team may give one.
    std::string override_reason;
};

// The compliance gate a move made in the app or through the API passes (docs/COMPLIANCE.md):
// a move to a status the vetting table gates (contracted, live) needs her vetting passed on
// `today`, or an override with a reason from the central team; a restricted person's
// collaboration moves only to cancelled. The hub applies moves without it (a move made offline
// concurrently is accepted and shows as a compliance issue), and so does the demo's history.
struct MoveGate {
    const core::compliance::RuleSet* rules = nullptr;
    std::string today;     // YYYY-MM-DD
    bool central = false;  // the mover may override
};

// Whether `to` may follow the collaboration's status here (P1): kConflict naming the moves
// offered when it may not; kNotFound when the replica holds no such collaboration. With a
// gate, also the compliance gate: kConflict saying why (her vetting, a restriction), kForbidden
// for an override from anyone but the central team. `pipeline` receives the trail read for the
// check; `overridden` whether the move goes on only by the override.
Status check_move(core::Store& store, const core::Id128& collaboration, const Move& move,
                  const MoveGate* gate = nullptr, core::Pipeline* pipeline = nullptr,
                  bool* overridden = nullptr);

// On a device: checks the move, then writes the step and the status (and an override) as one
// action (P2). Returns the step's id.
Result<core::Id128> move_collaboration(Replica& replica, const core::Id128& collaboration,
                                       const Move& move, const MoveGate* gate = nullptr);

// On the server: the same, as unstamped operations (a create of the step `step`, then the
// status set) for the hub to stamp and apply as one group. `now_ms` is the server's time.
Result<std::vector<Op>> move_ops(core::Store& store, const core::Id128& collaboration,
                                 const Move& move, const core::Id128& step, std::int64_t now_ms,
                                 const MoveGate* gate = nullptr);

}  // namespace liaison::sync
