// The central team's directory of people: every surviving, visible influencer of the record
// with what its table filters and sorts on, held in memory and answered without touching the
// disk (docs/WORKSPACE.md, "The directory").
//
// It is a summary derived from the record, never synced and outside the state hash: built
// from the store's current rows (`rebuild`), then kept up by reading what changed since the
// last sequence number it saw (`catch_up`, the same feed a sync pull reads). "Last contact" is
// the latest interaction or check-in about the person or any duplicate merged into her; it is
// recomputed for each person an interaction or check-in names when that entry changes, with
// her open follow-ups (core/query/follow_ups.hpp, rules F1-F3).
//
// Rules the filters follow (each one narrows; an empty list means "any"):
//   P1  list filters (tiers, statuses, consent bases, vettings, countries, roles, topics,
//       languages, platforms) keep a person with at least one of the listed values;
//   P2  `owner` keeps her relationship owner's id; `no_owner` keeps those with none;
//   P3  `brand` keeps a person whose brand is it or who lists it among her brands; `region`
//       and `store` compare her own fields;
//   P4  `audience_min` compares the largest audience of her handles;
//   P5  `contact_before` keeps the people last contacted before that instant and those never
//       contacted ("not seen since"); `contact_after` those contacted at or after it.
// Sorts: by folded name (ties by id); by last contact, audience or tier, ties by name.
//
// Thread-safety: none; the caller serialises it with the store it reads (the server's backend).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/query/follow_ups.hpp"
#include "core/storage/store.hpp"

namespace liaison::core {

struct PersonEntry {
    // What every query's filters read first, together (one scan touches these for everyone).
    Id128 id;
    int tier = -1, status = -1, consent = -1, consent_basis = -1, vetting = -1;  // enum index
    std::uint32_t roles = 0;  // bit i: role value i
    std::string country;
    std::optional<Id128> owner, region, store, brand;
    std::string name;
    std::string key;  // the name folded (fold_for_match), the directory's sort by name
    std::vector<std::string> topics, languages, platforms;
    std::vector<Id128> brands;
    std::int64_t audience = 0;                 // largest audience of her handles
    std::optional<std::int64_t> last_contact;  // ms since the epoch
    std::int64_t contacts = 0;                 // interactions and check-ins
    std::vector<FollowUpRef> follow_ups;       // open ones (core/query/follow_ups.hpp), F3 order

    bool has_brand(const Id128& b) const;
};

struct PeopleFilter {
    std::vector<int> tiers, statuses, consent_bases, vettings;  // enum indexes
    std::vector<std::string> countries, topics, languages, platforms;
    std::uint32_t roles = 0;  // any of these bits
    std::optional<Id128> owner;
    bool no_owner = false;
    std::optional<Id128> region, store, brand;
    std::optional<std::int64_t> audience_min;
    std::optional<std::int64_t> contact_before, contact_after;  // ms
    std::vector<Id128> only;  // if not empty: only these people (a search's hits)

    bool keeps(const PersonEntry& p) const;
};

enum class PeopleSort { kName, kLastContact, kAudience, kTier, kContacts };

struct PeopleQuery {
    PeopleFilter filter;
    PeopleSort sort = PeopleSort::kName;
    bool descending = false;
    std::size_t limit = 50;
    std::size_t offset = 0;
    // The caller's scope, if it does not cover everyone (the server's roles).
    std::function<bool(const PersonEntry&)> visible;
};

struct PeoplePage {
    std::size_t total = 0;                   // people matching, over every page
    std::vector<const PersonEntry*> people;  // this page; valid until the next catch_up
};

class PeopleIndex {
public:
    // More changes than this since the last catch-up: rebuilt rather than caught up.
    static constexpr std::int64_t kRebuildAfter = 50'000;

    // Reads every person from `store`, replacing what the index held.
    Status rebuild(Store& store);
    // Applies what changed in `store` since the last rebuild or catch-up (rebuilds the first time).
    Status catch_up(Store& store);
    // The page of people `q` asks for. Requires: catch_up first, with no write since.
    PeoplePage query(const PeopleQuery& q) const;

    std::size_t size() const { return by_id_.size(); }
    const PersonEntry* find(const Id128& id) const;
    // Calls f for every person held, in no particular order.
    void each(const std::function<void(const PersonEntry&)>& f) const;

private:
    Status load_person(Store& store, const Id128& id, bool count_contacts = true);
    Status refresh_contacts(Store& store, const Id128& person);
    void drop(const Id128& id);
    void rank_names();

    std::vector<PersonEntry> entries_;  // dead entries have a nil id
    std::unordered_map<Id128, std::uint32_t, Id128Hash> by_id_;
    std::int64_t seen_ = -1;  // last seq read; -1: never built
    // The live entries by (key, id), and each entry's place in that order (its name rank).
    // Kept up by rank_names after each change: the entries whose name changed (renamed_) are
    // sorted alone and merged into the rest, so a change costs a pass, not a sort of everyone.
    std::vector<std::uint32_t> by_name_, name_rank_;
    std::vector<std::uint32_t> renamed_;  // new or renamed entries since the last ranking
    bool dropped_ = false;                // an entry died since the last ranking
};

}  // namespace liaison::core
