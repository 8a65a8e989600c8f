// The central team's events (docs/WORKSPACE.md, "Events"): the agenda, an event's guest list
// with its counts, and invitations from the directory.
//
//   GET  /api/v1/agenda?from=YYYY-MM-DD&to=YYYY-MM-DD&order=latest|soonest&limit=&offset=
//        -> {"total","items":[{"event":{entity},"counts":{"invited","accepted","checked_in"}}…],
//            "next_offset"}
//        The events the caller's scope covers, the latest start first (`soonest`: the
//        earliest first, for what is coming); `from` and `to` keep
//        those starting on or after `from` and before the day after `to` (UTC). At most
//        kMaxAgendaEvents events are read.
//   GET  /api/v1/events/<id>/guests?limit=&offset=
//        -> {"event":{entity},"counts":{"invited","accepted","declined","cancelled",
//            "expected","checked_in","uninvited","capacity"|null},"total",
//            "items":[{"influencer","name","invitation","status","plus_ones","invited_at",
//            "checkin","checked_in_at","walk_in"}…],"next_offset"}
//        The guest list of core/query/events.hpp (event_attendance, rules E1-E3): invitations
//        and check-ins as one list, checked-in guests first. Any signed-in role whose scope
//        covers the event (404 otherwise).
//   POST /api/v1/events/<id>/invitations {"influencers":["<id>"…],"status"?,"plus_ones"?,"note"?}
//        -> {"invited":<n>,"already":<n>,"ids":["<invitation id>"…]}
//        Invites up to kMaxInvitesPerRequest people in one request: one invitation each, its
//        id derived from the event and the person (so inviting her twice, here or on a device,
//        is one invitation), the event's scope keys copied, `staff` the caller's linked staff
//        member. A person already invited (not cancelled) is left as she is and counted in
//        `already`; a cancelled invitation is renewed. Every id is checked before anything is
//        written: an unknown person, or one outside the caller's scope, refuses the whole
//        request (400 naming `influencers`).
//   POST /api/v1/invitations {"event","influencer",…}   one invitation, the same rules; the
//        other fields (status, plus_ones, note, at, staff) as the body gives them -> 201 {"id"}
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <cstddef>

#include "core/model/ids.hpp"
#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr std::size_t kMaxInvitesPerRequest = 500;
inline constexpr std::size_t kMaxAgendaEvents = 5000;

HttpReply agenda(SyncBackend& backend, const Principal& who, const RestRequest& req);
HttpReply event_guests(SyncBackend& backend, const Principal& who, const core::Id128& event,
                       const RestRequest& req);
HttpReply invite_guests(SyncBackend& backend, const Principal& who, const core::Id128& event,
                        const RestRequest& req);
HttpReply create_invitation(SyncBackend& backend, const Principal& who, const RestRequest& req);

}  // namespace liaison::server
