// The server's retention runs (docs/COMPLIANCE.md, "Retention"): each dry run with the people
// it found, and what its approval did to each. Like the account tables (accounts.hpp) they
// live in the server's file but are not part of the record: nothing here touches the record's
// tables, and the state hash leaves them out. This is their only SQL; the policy (who may
// propose and approve, the four eyes, the approval window) is server/api/retention.hpp's.
//
// Tables (created if missing, no storage version: a later change adds tables or columns with
// defaults, never edits one):
//   server_retention_runs  (id, proposed_by, proposed_at, today, rules, state, truncated,
//                           decided_by, decided_at, finished_at)
//   server_retention_items (run, list, person, rule, last_contact, last_kind, created,
//                           due_since, reason, outcome, outcome_reason, done_at)
// Ids only: a person is her text id, never her name, so an erasure leaves nothing of her here
// but the bare id, which R7 keeps anyway (docs/SYNC.md). Times are milliseconds since the
// Unix epoch, passed in by the caller; days are YYYY-MM-DD.
//
// Thread-safety: as the Store (the caller serialises).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/query/retention.hpp"
#include "core/storage/store.hpp"
#include "core/util/status.hpp"

namespace liaison::core {

// A run's states: proposed -> running -> done (or failed, when an error stopped it), and
// proposed -> cancelled.
inline constexpr std::string_view kRunProposed = "proposed";
inline constexpr std::string_view kRunRunning = "running";
inline constexpr std::string_view kRunDone = "done";
inline constexpr std::string_view kRunFailed = "failed";
inline constexpr std::string_view kRunCancelled = "cancelled";

struct RetentionRun {
    std::int64_t id = 0;
    std::int64_t proposed_by = 0;  // server user id
    std::int64_t proposed_at = 0;
    std::string today, rules, state;
    bool truncated = false;
    std::optional<std::int64_t> decided_by, decided_at, finished_at;
    // The run's progress over its `due` list.
    std::int64_t total = 0, erased = 0, skipped = 0;
};

struct RetentionItem {
    std::string list;              // "due", "held", "skipped"
    RetentionCandidate candidate;  // without the name
    // The approval's outcome for a `due` person: "" (pending), "erased" or "skipped" with its
    // reason (legal_hold, open_gdpr_request, open_collaboration, no_longer_due, not_found).
    std::string outcome, outcome_reason;
};

// Creates the tables if they are missing.
Status ensure_retention_tables(Store& store);

// Stores a dry run (state proposed) with its three lists, in one transaction; returns its id.
Result<std::int64_t> insert_retention_run(Store& store, std::int64_t proposed_by, std::int64_t at,
                                          const RetentionReport& report);
// The newest `limit` runs, newest first, with their progress.
Result<std::vector<RetentionRun>> list_retention_runs(Store& store, std::int64_t limit);
Result<std::optional<RetentionRun>> find_retention_run(Store& store, std::int64_t id);
// A run's people: its due list, then held, then skipped, each in the report's order.
Result<std::vector<RetentionItem>> retention_items(Store& store, std::int64_t run);
// Moves the run from state `from` to `to`, recording who decided and when (approval,
// cancellation). False when the run is not in state `from` (another request moved it first).
Result<bool> decide_retention_run(Store& store, std::int64_t run, std::string_view from,
                                  std::string_view to, std::int64_t by, std::int64_t at);
// Records what the approval did to one person of the due list.
Status record_retention_outcome(Store& store, std::int64_t run, const Id128& person,
                                std::string_view outcome, std::string_view reason, std::int64_t at);
// Ends a running run: state done or failed, and when.
Status finish_retention_run(Store& store, std::int64_t run, std::string_view state,
                            std::int64_t at);

}  // namespace liaison::core
