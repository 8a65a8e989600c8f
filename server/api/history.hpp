// GET /api/v1/<collection>/<id>/history: what was done to one record, in stamp order — when,
// by whom, from which device, to which fields, and for profile records (people, events,
// programmes, campaigns, tracked links, staff, devices, brands, regions, stores) each field's
// old and new value, a write that had lost to a later one when the server applied it marked
// `superseded`. The op log gives who and what; the values come from the central record's
// history table (core/storage/history.hpp), which only the server keeps.
//
// Rules: admin and central only (others 403 forbidden: rest.cpp checks the role before calling);
// 404 for an id the server holds no record of (of that collection's kind); 410 erased for an
// erased id (R7: its history went with it). A merged person's history is her whole duplicate
// component's (R6), whichever id is asked. At most `limit` entries (1..kMaxHistoryEntries,
// default kDefaultHistoryEntries), the newest, still oldest first; `total` says how many there
// are and `truncated` whether older ones were left out.
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <cstddef>
#include <string_view>

#include "core/model/ids.hpp"
#include "core/model/schema.hpp"
#include "server/api/reply.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr std::size_t kDefaultHistoryEntries = 100;
inline constexpr std::size_t kMaxHistoryEntries = 1'000;

// The history document of the record `id` of `kind`, up to `limit` entries (the newest).
HttpReply entity_history(SyncBackend& backend, core::Kind kind, const core::Id128& id,
                         std::size_t limit);

}  // namespace liaison::server
