// GET /api/v1/duplicates: the central team's duplicates queue (docs/WORKSPACE.md,
// "Duplicates"): likely duplicate pairs across the record (core/query/duplicate_pairs.hpp).
//
//   GET /api/v1/duplicates?limit=&offset=   -> {"total","items":[{"a":{influencer},
//       "b":{influencer},"reasons":["email",…]}],"next_offset"}
//
// Rules: central, admin and regional roles (others 403); a regional caller sees the pairs
// whose two people its scope covers (sync/scope.hpp). limit 1..kMaxDuplicatePairsPage
// (default 20), offset 0..kMaxOffset. A merge (POST /influencers/<id>/merge) or a dismissal
// (POST /influencers/<id>/sets/distinct_from) takes the pair out of the next answer.
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <cstddef>

#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr std::size_t kMaxDuplicatePairsPage = 100;

HttpReply duplicates(SyncBackend& backend, const Principal& who, const RestRequest& req);

}  // namespace liaison::server
