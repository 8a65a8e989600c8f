// Read queries the apps need, over the current-state tables (store.hpp).
//
// - search: influencers by name, handle, e-mail or phone, as you type (FTS5, prefix match,
//   case- and accent-insensitive: "helene" finds "Hélène"; phone numbers match by digits, in
//   international or national form);
// - timeline: everything about one influencer (interactions, check-ins, collaborations,
//   content), newest first, including what was logged against a duplicate merged into them;
// - lists of influencers by region, brand, store or owner;
// - contact pressure: contacts in a time window (derived from the log, never stored).
// Only visible rows count: created, not deleted, not erased.
//
// Thread-safety: as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/storage/store.hpp"

namespace liaison::core {

struct SearchHit {
    Id128 id;
    std::string name;
    double rank = 0;  // lower is better (bm25)
};

// Up to `limit` influencers matching every word of `text` (prefixes). Empty text: no hits.
Result<std::vector<SearchHit>> search_influencers(Store& store, std::string_view text,
                                                  std::size_t limit = 20);
// Turns free text into a safe FTS5 query ("Hél dup" -> "\"hél\"* \"dup\"*"); empty if no word.
std::string fts_query(std::string_view text);

struct TimelineEntry {
    std::int64_t at = 0;  // ms since the epoch
    RowState row;
};

Result<std::vector<TimelineEntry>> timeline(Store& store, const Id128& influencer,
                                            std::size_t limit = 100);

struct InfluencerFilter {
    std::optional<std::string> region, brand, store, owner;  // ids as text
};
Result<std::vector<RowState>> list_influencers(Store& store, const InfluencerFilter& filter,
                                               std::size_t limit = 100, std::size_t offset = 0);

// Interactions with the influencer (and their merged duplicates) at or after `since_ms`.
Result<std::int64_t> contact_count(Store& store, const Id128& influencer, std::int64_t since_ms);

// The visible row of an entity, following duplicate merges for influencers.
Result<std::optional<RowState>> get_entity(Store& store, Kind kind, const Id128& id);

}  // namespace liaison::core
