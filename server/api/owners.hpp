// The central team's owners and follow-ups (docs/WORKSPACE.md, "Owners and follow-ups"):
//
//   GET  /api/v1/follow-ups?owner=me|none|<staff id>&due_before=YYYY-MM-DD&limit=&offset=
//        -> {"total","items":[{"interaction":{entity}|null,"person":{"id","name","owner"},
//            "due":"YYYY-MM-DD"|null,"at":<ms>}…],"names":{staff id:name},"next_offset"}
//        Every open follow-up (core/query/follow_ups.hpp F1-F3: not done, not followed by a
//        later contact of the same department with that person), dated ones first, soonest
//        due first. `due_before` keeps the dated ones due before that day. Answered from the
//        directory index in memory (each person's open follow-ups are kept with her entry), so
//        it does not scan the interaction log. Any signed-in role; a scoped caller sees the
//        people its scope covers, and an interaction its scope does not cover as null.
//   POST /api/v1/owners/handover {"from":"<staff id>","to":"<staff id>"}
//        -> {"from","to","moved":<n>}
//        Gives every relationship `from` owns to `to`: one owner operation per person through
//        the hub (SyncBackend::submit), in batches of kHandoverBatch so the store's lock is
//        never held for long and devices syncing meanwhile are served between batches. A
//        person whose owner changed meanwhile is left alone. Central and admin only (403);
//        `to` must be a staff member the server holds (400 naming the field).
//
// Thread-safety: may be called from many threads (the backend serialises the store and index).
#pragma once

#include <cstddef>

#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr std::size_t kHandoverBatch = 200;

HttpReply follow_ups(SyncBackend& backend, const Principal& who, const RestRequest& req);
HttpReply handover(SyncBackend& backend, const Principal& who, const RestRequest& req);

}  // namespace liaison::server
