// Event queries for the check-in screen and the central workspace: which events a device
// sees, who has checked in at one of them (newest first, with each guest's name), how many,
// whether a given person is already checked in, and an event's guest list — invitations and
// check-ins together, with the counts the capacity is read against (docs/WORKSPACE.md,
// "Events").
//
// Only visible rows count: events that were created; check-ins that were created, not
// removed (an undone check-in is a tombstone) and not erased with their person. A check-in
// of a duplicate that was merged into another record belongs to that record (its name and
// id are the merged record's).
//
// Thread-safety: as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/storage/store.hpp"

namespace liaison::core {

struct EventSummary {
    RowState row;
    std::int64_t checked_in = 0;  // visible check-ins
    std::int64_t invited = 0;     // visible invitations not cancelled (declined ones included)
    std::int64_t accepted = 0;    // of which accepted
};
// Visible events, the latest start first, up to `limit`.
Result<std::vector<EventSummary>> list_events(Store& store, std::size_t limit = 500);

struct CheckinEntry {
    Id128 id;
    std::int64_t at = 0;  // ms since the epoch
    bool walk_in = false;
    Id128 influencer;  // the record the guest is now (after duplicate merges)
    std::string influencer_name;
};
// The event's visible check-ins, newest first, up to `limit`.
Result<std::vector<CheckinEntry>> event_checkins(Store& store, const Id128& event,
                                                 std::size_t limit = 1000);
Result<std::int64_t> checkin_count(Store& store, const Id128& event);
// The visible check-in of `influencer` (or of a duplicate merged with them) at `event`.
Result<std::optional<Id128>> find_checkin(Store& store, const Id128& event,
                                          const Id128& influencer);

// One guest of an event: a person invited, checked in, or both. Several invitations or
// check-ins of people later merged into one record make one guest (the latest of each).
struct GuestEntry {
    Id128 influencer;  // the record the guest is now (after duplicate merges)
    std::string name;  // "" where this store does not hold her
    std::optional<Id128> invitation;
    std::string status;  // the invitation's: invited (also when unset), accepted, declined,
                         // cancelled; "" for a guest who came without one
    std::int64_t plus_ones = 0;
    std::int64_t invited_at = 0;  // ms since the epoch; 0 without an invitation
    std::optional<Id128> checkin;
    std::int64_t checked_in_at = 0;  // 0: not checked in
    bool walk_in = false;
};

// The guest list and the counts, each over the whole list (not only the `limit` guests
// returned). E1: a cancelled invitation counts nowhere but `cancelled`. E2: `expected` is the
// accepted guests with their plus-ones — what the capacity is read against before the day;
// `checked_in` on the day. E3: a guest checked in without an invitation counts in
// `uninvited` (a walk-in or a known guest nobody invited).
struct Attendance {
    std::int64_t invited = 0;  // invitations not cancelled
    std::int64_t accepted = 0, declined = 0, cancelled = 0;
    std::int64_t expected = 0;  // accepted guests and their plus-ones
    std::int64_t checked_in = 0, uninvited = 0;
    std::size_t guests_total = 0;
    // Checked in first (the latest first), then accepted, invited, declined and cancelled
    // guests, each by name (byte-wise, then id): the door's order.
    std::vector<GuestEntry> guests;
};
Result<Attendance> event_attendance(Store& store, const Id128& event, std::size_t limit = 2000);

}  // namespace liaison::core
