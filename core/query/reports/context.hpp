// What every report shares (core/query/reports.hpp): the query checked and turned into SQL
// predicates over the current-state tables (scope, filters, period), the settings, money summed
// per currency and converted through the dated exchange rates, and the report being built.
// Internal to core/query/reports/.
//
// SQL is built from validated values only: ids as blob literals (X'…' from 16 bytes), dates
// checked as YYYY-MM-DD, times as integers; no text from a caller reaches a statement.
//
// Thread-safety: as the Store.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/query/reports.hpp"

namespace liaison::core::reports {

// A 128-bit integer, for exact products and sums of 64-bit amounts (rates × amounts, the EMV's
// thousandths, the Gini's weighted sum): a GNU extension g++ and clang share, wasm32 included;
// `__extension__` keeps -Wpedantic quiet about it.
__extension__ using I128 = __int128;

// A post's engagements (amec.engagements/1, docs/METRICS.md), as SQL over content row `a`: the
// total the platform or import reported, or else the sum of the kinds it reported.
inline constexpr const char* kEngagements =
    "COALESCE(a.f_engagements, COALESCE(a.f_likes,0)+COALESCE(a.f_comments,0)+"
    "COALESCE(a.f_shares,0)+COALESCE(a.f_saves,0))";

// "X'0123…'": an id as a SQL blob literal.
std::string blob(const Id128& id);
// An id's 32 hex digits in capitals, as sql_upper_hex gives a blob column.
std::string hex_of(const Id128& id);
// "(X'…',X'…')", or "(NULL)" for none (an IN that matches nothing).
std::string blob_list(const std::vector<Id128>& ids);
// Days since 1970-01-01 of a YYYY-MM-DD date (validated by the caller), and back.
std::int64_t days_of(std::string_view date);
std::string date_of_days(std::int64_t days);
inline constexpr std::int64_t kDayMs = 86400000;
// "YYYY-MM", the UTC month of a time in ms, as sql_utc_month reads it (the seconds truncated
// toward zero, then the day they fall in).
std::string utc_month(std::int64_t ms);
// The UTC day (days since 1970-01-01) of a time in ms, rounding down before 1970 too.
std::int64_t day_of_ms(std::int64_t ms);
// The id in a blob column, or nullopt when it holds none.
std::optional<Id128> id_at(Statement& st, int col);

// The report settings (docs/METRICS.md "Settings"): the central team's `setting` entries, each
// checked; a value that does not parse keeps the default, and the report says so in a note.
struct Settings {
    bool emv_enabled = false;
    bool emv_split = false;  // emv_credit=split: a post's value shared among the brands it names
    std::int64_t window_days = 30;
    std::int64_t half_life_days = 7;
    std::int64_t retained_quarters = 4;
    std::string report_currency;
};

// Money in minor units, summed per currency and UTC day (so that a conversion applies each
// day's rate to that day's sum: fx/1 in docs/METRICS.md).
struct Money {
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> by_day;  // (currency, day)
    void add(const std::string& currency, std::int64_t day, std::int64_t minor);
    void add(const Money& other);
    bool empty() const { return by_day.empty(); }
    std::map<std::string, std::int64_t> per_currency() const;
};

// The exchange rates (fx_rate entries), read once per report.
class Rates {
public:
    static Result<Rates> load(Store& store);
    // `minor` of `from` on `day` in `to`: the latest rate dated on or before that day, direct
    // (from→to) or inverse (to→from), rounded half away from zero; nullopt without one.
    std::optional<std::int64_t> convert(std::int64_t minor, const std::string& from,
                                        const std::string& to, std::int64_t day) const;

private:
    // (base, quote) → (day, rate in millionths), by day; the newest entry of a day wins.
    std::map<std::pair<std::string, std::string>,
             std::vector<std::pair<std::int64_t, std::int64_t>>>
        rates_;
};

class EntryColumns;

// A device's index of the contacts its scope places (index_report_place, reports.hpp): a
// partial index whose condition is the place test of Ctx::in_scope, word for word, over the
// scope's regions and stores as they are now, so SQLite reads the scope's contacts from it
// instead of scanning every contact mark the device holds. It covers the columns the reports
// read of a contact. SQLite only.
inline constexpr const char* kPlaceIndex = "report_place";
std::string place_index_ddl(const std::vector<Id128>& regions, const std::vector<Id128>& stores);

class Ctx {
public:
    // Checks the query's report-independent parameters and prepares the predicates.
    static Result<Ctx> make(Store& store, const ReportQuery& query);

    Store& store;
    const ReportQuery& q;
    Settings settings;
    Rates rates;
    std::string currency;  // the report's currency, "" per currency
    // The period in ms [from_ms, to_ms) and in days [from_day, to_day] (open ends: the
    // extremes); `to_day`/`as_of_day` is the last day reported (the period's end, or today).
    std::int64_t from_ms = INT64_MIN, to_ms = INT64_MAX;
    std::int64_t from_day = INT64_MIN / kDayMs, to_day = INT64_MAX / kDayMs;
    std::int64_t as_of_day = 0;
    std::vector<Id128> campaigns;  // the programme's campaigns (with q.programme), else empty
    // The contacts, clicks, posts and conversions as columns (entry_columns.hpp), caught up
    // with the store, when the caller keeps them (run_report with a ReportCache); else null,
    // and they are read by SQL.
    EntryColumns *contacts = nullptr, *clicks = nullptr, *posts = nullptr, *conversions = nullptr;
    // The contacts' columns for AMEC's relationships retained, which looks at the year before
    // the period in the caller's scope, filters aside: set with a ReportCache even when the
    // period's own contacts are read by SQL (a campaign's or programme's).
    EntryColumns* contact_history = nullptr;
    // The conversions' columns for the credits (credit.cpp): set with a ReportCache for AMEC and
    // attribution even under a programme or campaign filter, where the conversions that might
    // credit one of its campaigns are picked from them (`conversions` is null then: AMEC's
    // outcomes read the campaign's own by SQL).
    EntryColumns* credit_conversions = nullptr;
    std::vector<std::string> settings_notes;  // settings that did not parse (defaults applied)
    // The store holds the place index of this scope (kPlaceIndex): SQLite reads the scope's
    // contacts from it.
    bool place_indexed = false;

    // SQL predicates over row `a` of `kind` (a table alias):
    // created and not deleted;
    static std::string visible(std::string_view a);
    // covered by the caller's scope (ReportScope's rule);
    std::string in_scope(Kind kind, std::string_view a) const;
    // the query's programme, campaign, brand, region and store filters, over the fields the
    // kind has (a filter on a field the kind lacks does not apply to it: the report says which
    // figures each filter narrows, docs/METRICS.md);
    // Content matches a brand filter by its `brand` or its `brands_mentioned`. With
    // `by_campaign` false, the programme and campaign filters are left out (attribution credits
    // a conversion to the campaigns of its touches, whatever campaign it names); with
    // `by_brand` false, the brand filter (share of voice and the pyramid's people: a share is of
    // the whole, the brand's rows are picked from it).
    std::string filtered(Kind kind, std::string_view a, bool by_campaign = true,
                         bool by_brand = true) const;
    // the time field `field` (ms) or date field (YYYY-MM-DD text) in the period.
    std::string in_period_ms(std::string_view a, std::string_view field) const;
    std::string in_period_date(std::string_view a, std::string_view field) const;
    // All three of visible, in_scope and filtered (with `by_brand`), joined with AND.
    std::string rows(Kind kind, std::string_view a, bool by_brand = true) const;

    // Runs `sql`, calling `row` for each result row.
    Status each(const std::string& sql, const std::function<void(Statement&)>& row) const;
    // The single integer `sql` returns (0 for NULL).
    Result<std::int64_t> scalar(const std::string& sql) const;

    // Converts `m` to the report's currency: one total, or nullopt (with a note) when a day's
    // amount has no rate. Only when `currency` is set.
    std::optional<std::int64_t> converted(const Money& m, Report& out) const;

private:
    friend class EntryFilter;  // the rule of rows(kind, ·), over the columns
    Ctx(Store& s, const ReportQuery& query) : store(s), q(query) {}
    std::vector<Id128> regions_, stores_, brands_;  // scope, stores including the regions'
    std::vector<Id128> region_filter_stores_;       // the stores of the region filter
};

// The `name` of each entry of `kind` among `ids`, by id, whatever the entry's state; an id
// without a row is left out (the caller shows the id instead).
Result<std::map<Id128, std::string>> names_of(const Ctx& c, Kind kind,
                                              const std::vector<Id128>& ids);

// The brands a post names — its `brand` field and its `brands_mentioned` set — as indexes into
// one list of brands (share of voice's tracked set, the EMV's brands). A post is read with the
// two columns of `sql(a)`, and `named` turns them into indexes: each once, the brand field's
// first, then the set's in its order; a brand not in the list is not named.
class BrandIndex {
public:
    explicit BrandIndex(const std::vector<Id128>& brands);
    // ", a.f_brand, <the set as text, space separated>": the columns over content row `a`.
    static std::string sql(std::string_view a);
    // The indexes the row's two columns (`col` and `col`+1) name, into `out` (cleared first).
    void named(Statement& row, int col, std::vector<std::size_t>& out) const;

    // The same over a post's columns (reports/entry_columns.hpp): its brand field and its
    // brands_mentioned set.
    class OverColumns {
    public:
        OverColumns(const BrandIndex& index, const EntryColumns& posts);
        void named(std::size_t r, std::vector<std::size_t>& out) const;

    private:
        static constexpr std::size_t kNot = SIZE_MAX;
        const EntryColumns& posts_;
        std::vector<std::size_t> by_id_, by_text_;  // a column's number → the brand's index
    };

private:
    std::unordered_map<std::string, std::size_t> by_text_;
    std::unordered_map<Id128, std::size_t, Id128Hash> by_id_;
};

// The rows of money figures: with a report currency, one row (the converted total, null when
// a rate is missing); without, one row per currency (none when empty).
struct MoneyRow {
    std::string currency;
    std::optional<std::int64_t> amount;
};
std::vector<MoneyRow> money_rows(const Ctx& c, const Money& m, Report& out);

// Cells: a ratio a/b as fixed (null when b is 0), and as a percentage (×100).
Cell ratio(double a, double b);
Cell percent(double a, double b);

// One conversion's credit to one touch (credit.cpp, docs/METRICS.md "Attribution"): the person
// and campaign of the link clicked (or of the collaboration whose promo code was used), and the
// share of the conversion this model gives it (the shares of one conversion sum to 1).
struct Credit {
    Id128 conversion;
    std::optional<Id128> influencer, campaign;
    double share = 0;
    std::int64_t value = 0;  // the conversion's, minor units
    std::string currency;
    std::int64_t day = 0;       // the conversion's UTC day
    std::string_view evidence;  // "journey", "link", "promo"
};
struct Credits {
    std::vector<Credit> lines;
    // Conversions in the period and scope by evidence: journey, link, promo, none.
    std::int64_t journey = 0, link = 0, promo = 0, none = 0;
};
inline constexpr std::string_view kModels[] = {"last_click", "first_click", "linear", "position",
                                               "time_decay"};
// The conversions of the period the caller's scope covers (and the brand, region and store
// filters: the conversion's own keys), credited by `model`. With a programme or campaign
// filter, only the conversions that name one of its campaigns or might credit one (its links,
// its promo codes, the visitors who clicked its links) are read; lines crediting other
// campaigns are still returned: the caller keeps the ones it reports.
Result<Credits> credits(const Ctx& c, std::string_view model);
// The same for several models at once, each conversion's journey read once: element i is
// credits(c, models[i]) (the attribution report shows the five side by side).
Result<std::vector<Credits>> credits_by_models(const Ctx& c,
                                               const std::vector<std::string_view>& models);
// Whether a credit's campaign is one the query's programme or campaign filter asks for (every
// credit without such a filter).
bool credit_wanted(const Ctx& c, const Credit& line);

// Each report (one file each under core/query/reports/).
Status amec(Ctx& c, Report& out);
Status share_of_voice(Ctx& c, Report& out);
Status pyramid(Ctx& c, Report& out);
Status emv(Ctx& c, Report& out);
Status attribution(Ctx& c, Report& out);
Status health(Ctx& c, Report& out);

// The caveats every report may print, by id (docs/METRICS.md "Caveats"); adds it to the
// report once and returns the id.
std::string caveat(Report& out, std::string_view id);

}  // namespace liaison::core::reports
