// The logs of the server's central record that reports read whole — contacts, clicks, posts and
// conversions — as columns in memory (docs/METRICS.md, "How the figures are read"). A report
// over a year of a large record reads a million contacts and a million clicks; SQLite steps
// through rows at several hundred nanoseconds each, a loop over these columns at a few.
// Internal to core/query/reports/.
//
// Each is a summary derived from the record, never synced and outside the state hash, kept up
// as the central directory's index is (core/query/people_index.hpp): built from the store's
// rows (`rebuild`), then caught up with what changed since the last sequence number it saw (the
// changes feed a sync pull reads): a changed entry is read again, an erased one is dropped. It
// follows the rows a store changes through its feed only, so it serves the central record
// (whose rows leave only by erasure), not a device's replica (whose evictions leave no change).
//
// EntryFilter is the rule Ctx::rows(kind, ·) and a period of the entry's time state in SQL,
// over these columns: the same entries count either way (the reports' tests run both).
//
// Thread-safety: none; the caller serialises it with the store it reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/storage/store.hpp"

namespace liaison::core::reports {

// What one kind's columns hold, besides its state, time and scope keys: the field
// naming the parent a keyless entry takes its scope from (a kind with region, store and brand
// fields), the text, reference and integer fields some report reads, in this order, and its
// sets of texts; `brand_set`, the set that names brands beside the brand field (its index in
// `sets`, -1 for none).
struct ColumnsSpec {
    Kind kind;
    const char* time;
    const char* parent;
    Kind parent_kind;
    std::vector<const char*> texts, refs, ints, sets;
    int brand_set = -1;
};

// Contacts: texts kDepartment, kTouchpoint, kFollowUpDue; ints kFollowUpDone.
const ColumnsSpec& contact_columns();
inline constexpr std::size_t kDepartment = 0, kTouchpoint = 1, kFollowUpDue = 2;
inline constexpr std::size_t kFollowUpDone = 0;
// Clicks: texts kVisitor (the first-party visitor id a journey follows).
const ColumnsSpec& click_columns();
inline constexpr std::size_t kVisitor = 0;
// Conversions: texts kCurrency, kPromoCode, kShopperVisitor; refs kBuyerInfluencer (the person
// the shop named), kConversionCampaign; ints kValue.
const ColumnsSpec& conversion_columns();
inline constexpr std::size_t kCurrency = 0, kPromoCode = 1, kShopperVisitor = 2,
                             kBuyerInfluencer = 0, kConversionCampaign = 1, kValue = 0;
// Posts: texts kTone, kPlatform; refs kCollaboration; ints kImpressions … kEngagements (as
// reported); sets kBrandsMentioned (brand ids as text).
const ColumnsSpec& post_columns();
inline constexpr std::size_t kTone = 0, kPlatform = 1, kCollaboration = 0, kBrandsMentioned = 0;
inline constexpr std::size_t kImpressions = 0, kReach = 1, kVideoViews = 2, kLikes = 3,
                             kComments = 4, kShares = 5, kSaves = 6, kEngagementsReported = 7;

class EntryColumns {
public:
    // More changes than this since the last catch-up: rebuilt rather than caught up.
    static constexpr std::int64_t kRebuildAfter = 50'000;
    // A number standing for no value (null) in the id and text columns.
    static constexpr std::uint32_t kNone = 0;

    explicit EntryColumns(const ColumnsSpec& spec) : spec_(&spec) {}
    const ColumnsSpec& spec() const { return *spec_; }

    // Reads every entry of the kind from `store`, replacing what the columns held.
    Status rebuild(Store& store);
    // Applies what changed in `store` since the last rebuild or catch-up (rebuilds the first
    // time).
    Status catch_up(Store& store);

    // One element per row held, row r; a row removed from the store stays, not live.
    std::size_t size() const { return at.size(); }
    std::vector<std::uint8_t> live;  // created and not deleted
    std::vector<std::int64_t> at;    // the entry's time, ms; INT64_MIN when unset
    // Ids as numbers (id(n)), kNone when unset.
    std::vector<std::uint32_t> parent, region, store, brand;
    // The spec's text fields as numbers (text(n)), and its references as numbers (id(n)), kNone
    // when unset; its integer fields, kNull when unset.
    std::vector<std::vector<std::uint32_t>> texts, refs;
    std::vector<std::vector<std::int64_t>> ints;
    static constexpr std::int64_t kNull = INT64_MIN;
    // An integer column's value as SQL's COALESCE(v, 0) reads it.
    static std::int64_t or0(std::int64_t v) { return v == kNull ? 0 : v; }
    // The elements of set `i` (of the spec's sets) in row `r`, as text numbers (text(n)), each
    // once, in no particular order.
    struct Elems {
        const std::uint32_t *b, *e;
        const std::uint32_t* begin() const { return b; }
        const std::uint32_t* end() const { return e; }
    };
    Elems elems(std::size_t i, std::size_t r) const {
        const Set& s = sets_[i];
        const std::uint32_t* p = s.pool.data() + s.start[r];
        return {p, p + s.count[r]};
    }

    const Id128& eid(std::size_t r) const { return eid_[r]; }
    const Id128& id(std::uint32_t n) const { return ids_[n - 1]; }
    // The number of `id`, or nullopt when no row names it.
    std::optional<std::uint32_t> number(const Id128& id) const;
    const std::string& text(std::uint32_t n) const { return texts_[n - 1]; }
    // The number of text `t`, or nullopt when no row holds it.
    std::optional<std::uint32_t> find_text(const std::string& t) const;
    std::size_t text_count() const { return texts_.size(); }
    std::size_t ids() const { return ids_.size(); }
    // The memory the columns hold, in bytes (the vectors' capacities; the maps' nodes
    // estimated).
    std::size_t bytes() const;

private:
    // Upserts the row `st` holds (the columns of select(), in order).
    void put(Statement& st);
    void drop(const Id128& eid);
    std::string select() const;
    std::vector<std::vector<std::uint32_t>*> id_columns();
    std::uint32_t id_number(Statement& st, int col);
    std::uint32_t text_number(Statement& st, int col);
    std::uint32_t text_number(std::string_view t);
    void put_set(std::size_t i, std::size_t r, std::string_view elems);
    std::uint32_t* slot(const Id128& eid);  // the hash slot of `eid` (0: free; else row + 1)
    void grow();

    // A set field's elements: row r's are pool[start[r], start[r] + count[r]). A row whose set
    // grows is written again at the pool's end (a rebuild compacts it).
    struct Set {
        std::vector<std::uint32_t> start, count, pool;
    };

    const ColumnsSpec* spec_;
    std::vector<Set> sets_;
    std::int64_t seen_ = -1;            // last seq read; -1: never built
    std::vector<Id128> eid_;            // each row's entry id
    std::vector<std::uint32_t> slots_;  // open addressing over eid_, a power of two long
    std::vector<Id128> ids_;
    std::unordered_map<Id128, std::uint32_t, Id128Hash> id_numbers_;
    std::vector<std::string> texts_;
    std::unordered_map<std::string, std::uint32_t> text_numbers_;
};

// A post's engagements as kEngagements reads them (amec.engagements/1): the total reported, or
// else the sum of the kinds reported.
inline std::int64_t post_engagements(const EntryColumns& k, std::size_t r) {
    using C = EntryColumns;
    const std::int64_t total = k.ints[kEngagementsReported][r];
    if (total != C::kNull) return total;
    return C::or0(k.ints[kLikes][r]) + C::or0(k.ints[kComments][r]) + C::or0(k.ints[kShares][r]) +
           C::or0(k.ints[kSaves][r]);
}

class Ctx;

// Which rows of the columns a report counts: visible, in the caller's scope, matching the
// query's brand, region and store filters over the kind's fields (a brand also by the spec's
// brand set, as Ctx::filtered reads content), in a period of its time. Not for a query with a
// campaign or programme filter (run_report reads those by SQL, through the campaign indexes).
class EntryFilter {
public:
    // The entries of the report's period [c.from_ms, c.to_ms), or of [from, to).
    EntryFilter(const Ctx& c, const EntryColumns& cols);
    EntryFilter(const Ctx& c, const EntryColumns& cols, std::int64_t from, std::int64_t to);
    // Only the visible entries in the caller's scope that have a time: no filter, no period
    // (a journey's clicks, whose window is the conversion's).
    struct ScopeOnly {};
    EntryFilter(const Ctx& c, const EntryColumns& cols, ScopeOnly);
    // Whether row `r` counts. A keyless entry is in scope where its parent is: the parent's row
    // is read (once per parent) from the store.
    Result<bool> keeps(std::size_t r);
    // Counts every brand's rows: for a report that keeps the brand filter for its tables (share
    // of voice, whose shares are relative to the whole tracked set).
    void ignore_brand() { brand_ = brand_text_ = kAny; }
    // Whether keeps(r) is decided by the row's state and time alone (a global scope, no
    // filter), in [from(), to()): each_kept then tests those inline.
    bool by_time_only() const {
        return global_ && brand_ == kAny && region_ == kAny && store_ == kAny;
    }
    std::int64_t from() const { return from_; }
    std::int64_t to() const { return to_; }

private:
    // A set of ids by their numbers in the columns.
    using Set = std::vector<std::uint8_t>;
    Set set_of(const std::vector<Id128>& ids) const;
    std::uint32_t one(const std::optional<Id128>& id) const;
    // Whether a row with these keys is in the scope (sync::covers_entry's rule, own keys).
    bool covered(std::uint32_t region, std::uint32_t store, std::uint32_t brand) const;
    Result<bool> parent_covered(std::uint32_t parent);

    // No filter; a filter no row can match (an id no entry names).
    static constexpr std::uint32_t kAny = UINT32_MAX, kNoMatch = UINT32_MAX - 1;

    const Ctx& c_;
    const EntryColumns& cols_;
    std::int64_t from_, to_;
    bool global_;
    std::uint32_t brand_ = kAny, region_ = kAny, store_ = kAny;
    std::uint32_t brand_text_ = kAny;  // the brand's id as text, in the brand set
    Set region_stores_;
    Set scope_regions_, scope_stores_, scope_brands_;
    bool scope_by_brand_ = false;
    std::unordered_map<std::uint32_t, bool> parent_covered_;  // parent number → in scope
};

// Calls f(r) for each row r of `cols` that the filter keeps, in order.
template <typename F>
Status each_kept(EntryFilter& filter, const EntryColumns& cols, F&& f) {
    if (filter.by_time_only()) {
        // The central team's reports over the whole record: a million rows, tested inline.
        const std::int64_t from = filter.from(), to = filter.to();
        for (std::size_t r = 0; r < cols.size(); ++r) {
            const std::int64_t at = cols.at[r];
            if (cols.live[r] && at != INT64_MIN && at >= from && at < to) f(r);
        }
        return Status::ok();
    }
    for (std::size_t r = 0; r < cols.size(); ++r) {
        auto in = filter.keeps(r);
        if (!in) return in.status();
        if (in.value()) f(r);
    }
    return Status::ok();
}

}  // namespace liaison::core::reports
