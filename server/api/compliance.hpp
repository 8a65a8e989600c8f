// The open compliance issues over REST (docs/COMPLIANCE.md, "Compliance issues";
// core/query/compliance_issues.hpp lists them):
//
//   GET /api/v1/compliance/issues?type=&region=&campaign=&owner=&limit=
//       -> {"issues":[{"type","person","person_name","collaboration"?,"content"?,"request"?,
//                      "intermediary"?,"region"?,"campaign"?,"owner"?,"due"?,"detail","rule"?}],
//           "counts":{"vetting_due":n,…},"today":"YYYY-MM-DD","rules":["vetting/1",…]}
//       `counts` are per type over every issue the filters and scope keep (before `limit`);
//       `issues` the first `limit` of them (default core::kDefaultIssues, at most
//       core::kMaxIssues) in the list's order. Ids are 26-character text ids.
//
// Who: admin and central see every issue; a regional manager those whose region is one of
// hers (an issue's region is its collaboration's or person's, or their store's); store, field
// and integration callers get 403.
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

#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// GET /api/v1/compliance/issues on the day of `now_ms` (UTC).
HttpReply handle_compliance(SyncBackend& backend, const Principal& who, const RestRequest& req,
                            std::int64_t now_ms);
// handle_compliance at the server's wall clock.
HttpReply compliance(SyncBackend& backend, const Principal& who, const RestRequest& req);

}  // namespace liaison::server
