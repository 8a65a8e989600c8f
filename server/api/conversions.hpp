// Orders that shops attribute to tracked links and promo codes (docs/PROGRAMMES.md "Links and
// conversions"): a shop's integration posts them one by one, or the central team imports a
// shop's CSV of orders.
//
//   POST /api/v1/conversions {"shop","order_ref","at","value","currency","link_code"|"promo_code",
//                             "visitor"}
//        -> 201 {"conversion":{entity},"duplicate":false}
//        -> 200 {"conversion":{entity}|null,"duplicate":true} when that order is recorded already
//        `at` is milliseconds since 1970 or an ISO 8601 UTC time ("2026-03-01T10:00:00Z");
//        `value` whole minor units of `currency` (ISO 4217). The conversion's id is derived
//        from the shop and the order reference (core::Id128::derive("conversion", …)), so the
//        same order sent twice, here, by an import or by a retry, is one conversion: the
//        second time nothing is written (C1). `link_code` names a tracked link (its `code`),
//        `promo_code` a collaboration (its `promo_code`); the conversion copies the person,
//        campaign and collaboration, and the campaign's brand, region and store, else those
//        of the link or collaboration (C2, server/api/links.hpp attribution_of). A code that
//        names nothing is 422 naming the code (C3); `visitor` (optional) is the first-party
//        visitor id the /l/ redirect passed to the shop as `lv` (server/api/links.hpp), a code
//        ([A-Za-z0-9_-], 4..32; anything else 400 naming the field), evidence of a journey
//        beside the link or promo code, never instead of it; a conversion the caller's scope does
//        not cover is 403 out_of_scope (C4). Roles integration, central and admin (403 otherwise).
//   POST /api/v1/conversions/import   text/csv, header shop,order_ref,at,value,currency,
//        link_code,promo_code,visitor (any order; link_code, promo_code and visitor may be
//        left out)
//        -> 200 {"imported":n,"duplicates":n,"refused":[{"row":n,"reason":"…"}…]}
//        Every row as the route above (C1-C4). A bad row is refused with its reason and the
//        others are kept (C5); `row` is the file's line, the header being row 1, as a
//        spreadsheet numbers it. A file over kMaxConversionCsvBytes or kMaxConversionRows data
//        rows is refused whole (413), as one whose header lacks a needed column (400).
//
// An integration token may call these two routes and nothing else (integration_may_call;
// the transport answers 403 elsewhere, C6).
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <cstddef>
#include <string_view>

#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr std::size_t kMaxConversionRows = 10'000;
inline constexpr std::size_t kMaxConversionCsvBytes = 4 * 1024 * 1024;

HttpReply post_conversion(SyncBackend& backend, const Principal& who, const RestRequest& req);
HttpReply import_conversions(SyncBackend& backend, const Principal& who, const RestRequest& req);

// C6: whether a token of role integration may make this request.
bool integration_may_call(std::string_view method, std::string_view path);

}  // namespace liaison::server
