// Tracked links (docs/DESIGN.md §3): GET /l/<code> is a public short link an influencer shares. The
// server looks up the tracked_link entity with that code, answers 302 to its target URL and
// records a `click` entity through the hub (so central sees it through REST and sync).
//
// A click holds the link, the time, the referrer reduced to its origin
// ("https://www.instagram.com") and the link's campaign and scope keys (link_attribution:
// a store campaign's clicks stay at the store, docs/PROGRAMMES.md "Links and conversions");
// never the visitor's address, the full referring URL, cookies
// or any other personal data. Codes are [A-Za-z0-9_-], 4..32 characters (FieldType::kCode);
// anything else, an unknown code or a link that was deleted answers 404 in plain text.
//
// Thread-safety: handle_link may be called from many threads (the backend serialises the store).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/storage/store.hpp"
#include "server/api/reply.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr std::size_t kMinLinkCode = 4;
inline constexpr std::size_t kMaxLinkCode = 32;

// "https://www.example.com:8443/path?q#f" -> "https://www.example.com:8443"; "" for anything
// that is not an absolute http(s) URL with a plain host.
std::string referrer_origin(std::string_view referrer);

// What a tracked link, or a collaboration, gives the entries it brings (a click, a
// conversion): its person (as the record she is now), campaign and collaboration, and the
// campaign's brand, region and store, each taken from the link (or collaboration) itself when
// the campaign has none or is not held. Ids as text; "" where there is none.
struct Attribution {
    std::string link, influencer, campaign, collaboration, brand, region, store;
};
// From a visible tracked_link or collaboration row.
Result<Attribution> attribution_of(core::Store& store, const core::RowState& row);

// The visible row of `kind` whose text field `field` is `code` (the oldest, if several have it:
// devices racing offline to the same code), if any. find_by_code(store, Kind::kTrackedLink,
// "code", c) is the link /l/<c> follows.
Result<std::optional<core::RowState>> find_by_code(core::Store& store, core::Kind kind,
                                                   const char* field, std::string_view code);

// GET /l/<code>. `record`: whether to record the click (false for HEAD requests and visitors
// over their rate limit: they are still redirected).
HttpReply handle_link(SyncBackend& backend, std::string_view code, std::string_view referrer,
                      bool record);

}  // namespace liaison::server
