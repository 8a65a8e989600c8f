// The REST API over the central record (/api/v1/<collection>…), for the central team's tools
// and integrations. JSON in and out; every write is an operation through the hub
// (SyncBackend::submit -> Hub::apply_one), so it is validated, authorised, merged and logged
// exactly like a device's push and reaches the devices on their next sync.
//
// Collections (URL name -> kind): influencers, interactions, events, checkins, campaigns,
// programmes, collaborations, content, tracked-links, clicks, staff, brands, regions, stores,
// devices, invitations, conversions, collaboration-steps. An event's guest list and invitations
// in bulk, and the creation of one invitation (its id derived from the event and the person),
// are api/events.hpp's; recording a conversion (a shop's order) is api/conversions.hpp's; the
// reports (GET /api/v1/reports/<name>) are api/reports.hpp's.
//
//   GET    /api/v1/<c>?<ref field>=<id>&limit=&offset=     list (newest first; influencers by
//          name, with q= full-text search)       -> {"items":[entity…],"next_offset":n|null}
//   GET    /api/v1/<c>/<id>          one entity (influencers: the card of core/query/view.hpp)
//   POST   /api/v1/<c>               create from a JSON document (sync/edit.hpp) -> 201 {"id"}
//   PATCH  /api/v1/<c>/<id>          LWW field writes (null clears)   -> 200 {entity}
//   DELETE /api/v1/<c>/<id>          log entries only (a tombstone)   -> 200 {"id","deleted"}
//   POST   /api/v1/<c>/<id>/sets/<set>   {"add":[…],"remove":[…]}     -> 200 {entity}
//   POST   /api/v1/influencers/<id>/merge  {"into":"<id>"}           -> 200 {"id":<survivor>}
//   GET    /api/v1/influencers/<id>/export   GDPR: everything held about the person
//   POST   /api/v1/influencers/<id>/erase    GDPR: erasure, through the hub to every replica
//   GET    /api/v1/<c>/<id>/history?limit=   who did what, when, from which device, old -> new
//          (admin and central only: api/history.hpp)
//
// Rules (who may do what):
// - Reads: any signed-in role, limited to what its scope covers (sync/scope.hpp). An entity
//   outside the caller's scope answers 404, as if it did not exist; lists leave it out.
// - Writes: any role within its scope (the hub checks the entity before and after the change:
//   403 out_of_scope); reference and planning data (brands, regions, stores, staff, devices,
//   programmes, campaigns, tracked links) only central and admin (403 forbidden). Clicks are
//   read-only (recorded by /l/<code>), as are conversions (POST /api/v1/conversions) and
//   collaboration steps (made with a move). A tracked link created without a code gets one
//   from the server (core::link_code of its id); a code another live link uses is 409. Merging:
//   central, admin and regional (the hub's rule).
// - Export and erase: central and admin only. Both are written to server_audit (ids only).
// - Full-record reads (an influencer's card, a list of influencers, a history) by admin,
//   central and regional callers are written to server_audit too, before they are answered
//   (api/audit.hpp); /api/v1/audit… is api/audit.hpp's.
// - Operation rejections come back as 4xx with the validation message
//   ({"error":{"code","message"}}): 400 for invalid values, 403 forbidden/out_of_scope, 404
//   unknown or invisible ids, 405 wrong method, 409 conflicts, 410 erased, 413 bodies over
//   sync::kMaxEditBytes, 415 bodies that are not application/json.
// - Lists: limit 1..kMaxPageSize (default kDefaultPageSize), offset 0..kMaxOffset. A scoped
//   caller's list skips rows it may not see and scans at most kMaxScanRows per request, so a
//   page may hold fewer items than the limit while next_offset is not null: only a null
//   next_offset means the end.
//
// Thread-safety: handle_rest may be called from many threads (the backend serialises the store).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "server/api/reply.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr std::size_t kDefaultPageSize = 50;
inline constexpr std::size_t kMaxPageSize = 500;
inline constexpr std::size_t kMaxOffset = 1'000'000;
inline constexpr std::size_t kMaxScanRows = 5'000;
// A search looks at most this many hits (offset + limit beyond it: next_offset null).
inline constexpr std::size_t kMaxSearchHits = 1'000;
// Elements one sets request may add or remove.
inline constexpr std::size_t kMaxSetChanges = 100;

struct RestRequest {
    std::string method;                              // GET, POST, PATCH, DELETE
    std::string path;                                // decoded, without the query string
    std::multimap<std::string, std::string> params;  // the query string, decoded
    std::string content_type;
    std::string body;
};

// Answers a request under /api/v1/ that no other route took, for the authenticated caller.
HttpReply handle_rest(SyncBackend& backend, const Principal& who, const RestRequest& req);

// The visible row of the entity (following duplicate merges), if the caller's scope covers it
// (a keyless entry where its parent is: sync::covers_entry).
Result<std::optional<core::RowState>> visible_row(core::Store& store, const Principal& who,
                                                  core::Kind kind, const core::Id128& id);
// The same, or not_found naming the kind and id.
Result<core::RowState> must_see(core::Store& store, const Principal& who, core::Kind kind,
                                const core::Id128& id);

// The route template of a REST path for metrics and logs ("/api/v1/influencers/{id}/sets/{set}"),
// from a fixed set (unknown collections give "/api/v1/{other}"); "" when not a REST path.
std::string rest_route(std::string_view path);

}  // namespace liaison::server
