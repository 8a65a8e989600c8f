// The open compliance issues over REST (docs/COMPLIANCE.md, "Compliance issues";
// core/query/compliance_issues.hpp lists them):
//
//   GET /api/v1/compliance/issues?type=&region=&campaign=&owner=&limit=
//       -> {"issues":[{"type","person"?,"person_name"?,"collaboration"?,"content"?,"request"?,
//                      "intermediary"?,"region"?,"campaign"?,"campaign_name"?,"owner"?,"due"?,
//                      "detail","rule"?}],
//           "counts":{"vetting_due":n,…},"today":"YYYY-MM-DD","rules":["vetting/1",…]}
//       `counts` are per type over every issue the filters and scope keep (before `limit`);
//       `issues` the first `limit` of them (default core::kDefaultIssues, at most
//       core::kMaxIssues) in the list's order. Ids are 26-character text ids. A campaign's
//       issue (promotion_prohibited, promotion_restricted) has no person, and its campaign_name.
//
//   GET /api/v1/compliance/promotions
//       -> {"version","market","categories":[{"category","status":"prohibited"|"restricted",
//           "condition"?,"source"}]}: the promotions table, which the campaign form offers.
//
//   GET /api/v1/compliance/disclosure?content=<id>
//       -> {"content","found":true|false|null,"lacking"?:[mention ids],"markets"?:[markets
//           needing a mention],"rule"?}: the post's caption against the disclosure table
//           (core::post_caption_check), what the reviewer's check is pre-filled from. `found` is
//           null when the caption is empty or no market needs a mention; the other members are
//           absent when the post belongs to no collaboration. 404 for a post the caller does
//           not see.
//
// Who (every route): admin and central see every issue; a regional manager those whose region is
// one of hers (an issue's region is its collaboration's or person's, or their store's); store,
// field and integration callers get 403.
//
// Errors ({"error":{"code","message","field"?}}): 400 for an unknown parameter, one given
// twice, an unknown type, a bad id or limit (the parameter named in "field"); 405 for a method
// other than GET.
//
// Bounds: one read under the backend's lock (SyncBackend::read), a scan per kind
// (core/query/compliance_issues.hpp); the answer holds at most core::kMaxIssues issues.
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <cstdint>
#include <vector>

#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"
#include "sync/op.hpp"

namespace liaison::server {

// GET /api/v1/compliance/issues on the day of `now_ms` (UTC).
HttpReply handle_compliance(SyncBackend& backend, const Principal& who, const RestRequest& req,
                            std::int64_t now_ms);
// handle_compliance at the server's wall clock.
HttpReply compliance(SyncBackend& backend, const Principal& who, const RestRequest& req);

// A campaign write's promotion_condition is a condition the promotions table names
// (docs/COMPLIANCE.md, "Promotions"): kInvalidArgument naming the field otherwise. Called on
// the REST writes of campaigns; the issues read a condition as attested only when it is the
// category's, whatever wrote it.
Status check_promotion_condition(const std::vector<sync::Op>& ops);

}  // namespace liaison::server
