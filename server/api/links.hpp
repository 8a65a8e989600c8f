// Tracked links (docs/DESIGN.md §3): GET /l/<code> is a public short link an influencer shares. The
// server looks up the tracked_link entity with that code, answers 302 to its target URL and
// records a `click` entity through the hub (so central sees it through REST and sync).
//
// A click holds the link, the time, the referrer reduced to its origin
// ("https://www.instagram.com") and the link's campaign and scope keys (link_attribution:
// a store campaign's clicks stay at the store, docs/PROGRAMMES.md "Links and conversions");
// never the visitor's address, the full referring URL, cookies
// or any other personal data — except, where the shopper agreed to tracking, a first-party
// visitor id (below).
//
// Visitor ids (docs/PROGRAMMES.md "Links and conversions", issue 18): so that one shopper's
// several clicks form a journey for attribution, the redirect gives her a random id — only
// with her agreement:
//   V1  agreement is `consent=1` on the link's address (the influencer's or the brand's page
//       asked her and adds it), or a `liaison_consent=1` cookie on this server's /l/ path (a
//       consent page on this server's origin sets it);
//   V2  a refusal beats any agreement: `consent=0`, the `Sec-GPC: 1` header (Global Privacy
//       Control) or `DNT: 1` give no id, and forget one given before (the cookie is expired);
//   V3  with agreement, the `lv` cookie's id is reused when it is a valid code, else a new one
//       (120 random bits) is made; the cookie is HttpOnly, SameSite=Lax, Path=/l/, Secure when
//       the visitor came over https (X-Forwarded-Proto), and lasts kVisitorCookieMaxAgeS (the
//       attribution window's default, 30 days);
//   V4  the id is written on the click and passed to the shop as `lv=<id>` on the target's
//       query, which the shop sends back with the order (POST /api/v1/conversions `visitor`);
//   V5  a visit not counted (HEAD, over the rate limit) gets no id. Codes are [A-Za-z0-9_-], 4..32
//   characters (FieldType::kCode);
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

inline constexpr std::string_view kVisitorCookie = "lv";
inline constexpr std::string_view kConsentCookie = "liaison_consent";
inline constexpr std::string_view kVisitorParam = "lv";
inline constexpr std::size_t kVisitorIdChars = 24;
inline constexpr std::int64_t kVisitorCookieMaxAgeS = 30 * 86400;

// What the redirect reads of a visit. Nothing of it is stored but the referrer's origin and,
// with agreement, the visitor id.
struct LinkVisit {
    std::string_view referrer;
    std::string_view consent;   // the `consent` query parameter: "1", "0" or absent
    std::string_view cookie;    // the Cookie header
    std::string_view gpc, dnt;  // the Sec-GPC and DNT headers
    bool https = false;         // reached over https (X-Forwarded-Proto: https)
};

// V1-V3: the visitor id to give (empty: none), and whether to expire an earlier one.
struct VisitorDecision {
    std::string id;
    bool forget = false;
};
VisitorDecision visitor_decision(const LinkVisit& visit);

// V4: `target` with lv=<id> added to its query (before any fragment).
std::string with_visitor(std::string_view target, std::string_view id);

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
// over their rate limit: they are still redirected, V5).
HttpReply handle_link(SyncBackend& backend, std::string_view code, const LinkVisit& visit,
                      bool record);

}  // namespace liaison::server
