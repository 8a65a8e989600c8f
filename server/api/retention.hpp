// Retention runs over REST (docs/COMPLIANCE.md, "Retention"; who is due:
// core/query/retention.hpp; the runs' tables: core/storage/retention_runs.hpp):
//
//   GET  /api/v1/retention/policy
//        -> {"rules":"gdpr/1","retention":[{"id","who","months_without_contact","source"}],
//            "approval_days":7,"max_people":n,"contact_kinds":[…]}
//   POST /api/v1/retention/runs                  a dry run: who is due today; nothing in the
//        record changes -> 201 {run report}; audited `retention.propose`
//   GET  /api/v1/retention/runs?limit=           the newest runs, newest first
//        -> {"runs":[{run summary}]}
//   GET  /api/v1/retention/runs/<id>             -> {run report}
//   POST /api/v1/retention/runs/<id>/approve     the second pair of eyes: erases the due people
//        one at a time -> 200 {run report}; audited `retention.approve`, each erasure
//        `retention.erase` ("<person id> run:<id>")
//   POST /api/v1/retention/runs/<id>/cancel      a proposed run -> 200 {run report};
//        audited `retention.cancel`
//
// A run summary: {"id","state","proposed_by":{"id","name"},"proposed_at","expires_at",
// "decided_by":{"id","name"}|null,"decided_at","finished_at","today","rules","truncated",
// "progress":{"total","erased","skipped","pending"}}. A report adds "due", "held" and
// "skipped": [{"person","name"|null,"rule","last_contact"|null,"last_contact_kind"|null,
// "created","due_since","reason"?,"outcome"?,"outcome_reason"?}]. Names are read from the record
// when the report is asked for, never stored with the run: an erased person's is null.
//
// Rules:
// - Admin and central only (403 for every other role): the report names people across the
//   whole record, and erasure is theirs (rest.hpp).
// - Four eyes: the user who proposed a run may not approve it (409 "four_eyes" conflict with a
//   message saying another member of the central team must approve). An administrator is held
//   to it too.
// - Only a `proposed` run may be approved or cancelled (409 otherwise), and only within
//   kApprovalWindowMs of its dry run: an older run must be proposed again (409). Two approvals
//   racing: one moves the run to `running`, the other gets 409.
// - The approval erases each person of the run's due list through erase_influencer (erase.hpp,
//   the path POST /api/v1/influencers/<id>/erase takes), after a re-check made in the erasing
//   transaction (core::retention_verdict on the server's day): a person held, contacted, given
//   a request or a collaboration since the dry run, or no longer a prospect, is skipped with
//   that reason; one already erased or gone, skipped `not_found`. Her outcome is committed
//   before the next person, so GET .../runs/<id> from another request shows the progress.
//   The run ends `done`, or `failed` if a storage error stopped it (what was done is kept; the
//   people left are found again by the next dry run).
//
// Errors ({"error":{"code","message"}}): 400 a run id that is not a positive number, an unknown
// parameter; 404 no such run or address; 405 a wrong method; 409 as above.
//
// Bounds: a run lists at most core::kMaxRetentionPeople per list; the list of runs at most
// kMaxRetentionRuns.
//
// Thread-safety: may be called from many threads (the backend serialises the store; an
// approval takes it once per person, so other requests are served between two erasures).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// How long after its dry run a run may be approved: 7 days.
inline constexpr std::int64_t kApprovalWindowMs = 7LL * 24 * 60 * 60 * 1000;
inline constexpr std::size_t kDefaultRetentionRuns = 20;
inline constexpr std::size_t kMaxRetentionRuns = 200;

// Any /api/v1/retention/… request, at the instant `now_ms` (its day, UTC, is the rules' today).
HttpReply handle_retention(SyncBackend& backend, const Principal& who, const RestRequest& req,
                           std::int64_t now_ms);
// handle_retention at the server's wall clock.
HttpReply retention(SyncBackend& backend, const Principal& who, const RestRequest& req);

// The route template of a retention path (segments after /api/v1/) for metrics and logs.
std::string retention_route(const std::vector<std::string_view>& seg);

}  // namespace liaison::server
