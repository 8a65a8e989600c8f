// Event queries for the check-in screen: which events a device sees, who has checked in at
// one of them (newest first, with each guest's name), how many, and whether a given person
// is already checked in.
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

}  // namespace liaison::core
