// Posts imported from a CSV file (docs/PROGRAMMES.md, "Content"): no social network is asked;
// the central team exports what its tools or the creators report and imports it here.
//
//   POST /api/v1/content/import   (Content-Type: text/csv)
//        -> {"imported":<n>,"updated":<n>,"refused":[{"row":<line>,"reason":"…"}…],"ids":[…]}
//        A header row names the columns, in any order: url and platform (required), handle
//        (the author's handle on that platform; or `influencer`, an id), published_at (a date,
//        an ISO 8601 time or milliseconds), impressions, reach, likes, comments, shares, saves,
//        video_views, engagements (the sum of likes, comments, shares and saves when empty),
//        tone, disclosure_found (true/false, yes/no, 1/0), disclosure_proof, collaboration,
//        campaign, brands_mentioned (brand names or ids, separated by `|`). An unknown column
//        refuses the file. A post is its URL: its id is derived from it, so importing the same
//        post again updates its figures (`updated`) instead of adding it twice. The author is
//        the one person whose handles hold that platform and handle; a row naming nobody, or
//        several people, or a person, collaboration or campaign outside the caller's scope, or
//        a bad value is refused with its reason and the other rows are imported. A post of a
//        collaboration takes its campaign, person check and scope keys from it.
//        At most kMaxContentImportRows rows; the rows are written in batches through the hub, like
//        any device's writes.
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <cstddef>

#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr std::size_t kMaxContentImportRows = 10000;

HttpReply import_content(SyncBackend& backend, const Principal& who, const RestRequest& req);

}  // namespace liaison::server
