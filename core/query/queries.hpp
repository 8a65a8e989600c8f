// Read queries the apps need, over the current-state tables (store.hpp).
//
// - search: influencers by name, handle, e-mail or phone, as you type (FTS5, prefix match,
//   case- and accent-insensitive; core/query/text_match.hpp says how on PostgreSQL: "helene" finds
//   "Hélène"; phone numbers match by digits, in international or national form);
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

#include "core/query/text_match.hpp"
#include "core/storage/store.hpp"

namespace liaison::core {

struct SearchHit {
    Id128 id;
    std::string name;
    int rank = 0;  // lower is better: 0 the name begins with the query, 1 each query word
                   // begins a word of the name, 2 found by e-mail, handle or phone
};

// How many matches search_influencers ranks at most: the newest ones.
inline constexpr std::size_t kSearchWindow = 500;

// Up to `limit` influencers matching every word of `text` (each word as a prefix, accents and
// case ignored, over name, e-mail, phone and handles). Empty text: no hits.
// Search runs on every keystroke, and a one- or two-letter query can match most of the
// record: only the newest `window` matches (at least `limit`) are read from the index and
// ranked, by `rank`, then folded name, then id, so the cost is bounded by the window, not by
// the size of the record. A query that matches more than the window shows some of the
// matches, and the next letter typed narrows them.
Result<std::vector<SearchHit>> search_influencers(Store& store, std::string_view text,
                                                  std::size_t limit = 20,
                                                  std::size_t window = kSearchWindow);
// The terms of a search for free text: each word as a prefix in any searchable column
// ("Hél dup" -> hél*, dup*), or a phone-like text as its digits (a national number without
// its leading 0); none if no word.
std::vector<TextTerm> search_terms(std::string_view text);
// The FTS5 query of search_terms(text) ("Hél dup" -> "\"hél\"* AND \"dup\"*"): what the
// search runs on SQLite (bench/search_bench.cpp runs it on a plain FTS5 table too).
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

// Ids of `kind`'s rows, by id, for the lists of the REST API, the CSV export and the
// personal-data export. Each filter keeps the rows whose reference field `field` names one of
// `ids`; with `visible_only`, only created, not deleted rows (erased ones are gone already;
// merged duplicates are not left out: the caller decides).
struct RefFilter {
    int field = 0;  // index in kind_def(kind).fields, a reference field
    std::vector<Id128> ids;
};
struct EntityIdQuery {
    std::vector<RefFilter> filters;
    bool visible_only = true;
    bool newest_first = false;  // ids descending (entity ids begin with their creation time)
    std::optional<std::size_t> limit;
    std::size_t offset = 0;
};
Result<std::vector<Id128>> entity_ids(Store& store, Kind kind, const EntityIdQuery& query);

// How many rows of `kind` are created and not deleted (duplicates merged away included).
Result<std::int64_t> count_visible(Store& store, Kind kind);

// The visible row of an entity, following duplicate merges for influencers.
Result<std::optional<RowState>> get_entity(Store& store, Kind kind, const Id128& id);

}  // namespace liaison::core
