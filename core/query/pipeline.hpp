// A collaboration's pipeline (docs/PROGRAMMES.md, "The pipeline", rules P1–P5): the statuses
// it goes through, the moves allowed between them, and its trail of moves as every replica
// computes it from the same entries.
//
//   proposed → vetted → contracted → live → delivered → validated → closed
//   (cancelled from any status before closed; a cancelled one may be proposed again)
//
// P1  The moves of kMoves are the only ones the app offers.
// P2  A move is one action: a `collaboration_step` entry (from, to, when, by whom) and the
//     collaboration's `status` set to `to`.
// P3  The status is an LWW register and converges as every field does; every step is an entry
//     of its own, so two devices moving the same collaboration offline both keep their move.
// P4  A step is flagged, not refused, when its move is not in kMoves (made through the REST
//     API, an import or an older app) or when its `from` is not the `to` of the step before it
//     in trail order (at, then id): a move made from a status another device had already left.
// P5  A collaboration is out of step when its status is not the `to` of its last step (two
//     devices moved it at about the same time): the board shows it until someone moves it.
//
// Schema 1 statuses are read as the pipeline's: "active" as live, "completed" as closed.
//
// Thread-safety: as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/store.hpp"

namespace liaison::core {

// The pipeline's statuses in order, then "cancelled".
const std::vector<std::string_view>& pipeline_statuses();
// "active" → "live", "completed" → "closed"; any other text as it is.
std::string_view canonical_status(std::string_view status);
// P1: whether the app offers the move (statuses read canonically; unset reads as proposed).
bool move_allowed(std::string_view from, std::string_view to);
// The moves the app offers from `from`, in pipeline order.
std::vector<std::string_view> next_statuses(std::string_view from);
// Under way: contracted, live or delivered (the card's "active collaboration").
bool collaboration_active(std::string_view status);

struct PipelineStep {
    Id128 id;
    std::string from, to;  // as written ("" for an unset from)
    std::int64_t at = 0;   // ms since the epoch
    std::optional<Id128> staff;
    std::string note;
    // P4: "" when in order; "not_allowed" (not a move of kMoves) or "concurrent" (made from a
    // status the collaboration had already left).
    std::string flag;
};

struct Pipeline {
    std::string status;               // canonical; "proposed" when unset
    std::vector<PipelineStep> steps;  // trail order: at, then id
    bool out_of_step = false;         // P5
    std::size_t flagged = 0;          // steps with a flag
};

// The trail of a collaboration: its visible steps.
Result<Pipeline> collaboration_pipeline(Store& store, const Id128& collaboration);
// The same from rows already loaded: the collaboration and its steps (any order; invisible
// ones are skipped).
Pipeline pipeline_of(const RowState& collaboration, std::vector<RowState> steps);

}  // namespace liaison::core
