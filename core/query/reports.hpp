// The central team's figures (docs/METRICS.md): AMEC, share of voice, the influence pyramid,
// EMV, attribution and relationship health, computed over one store — the server's central
// record for a caller's scope, or a device's replica for its own — by the same code natively
// and in WebAssembly, so both give the same figures for the same scope.
//
// A report is data: tables of cells, each column naming the formula (with its version,
// "amec.engagement_rate/1") that computed it and the caveat that goes with it; the JSON and
// CSV forms below are what the REST API serves and the screens draw. Every formula is published
// in docs/METRICS.md under the same id and version; changing what a formula computes raises its
// version there and here.
//
// Reports read the current-state tables only (visible rows: created, not deleted; erased
// people and their entries are gone, so an erasure lowers past figures: docs/METRICS.md
// "Erasure"). Nothing is stored: no summary table, nothing synced, nothing in the state hash.
// Amounts are summed per currency; a report converts them to its currency only through the
// central team's dated exchange rates (fx_rate), and says so.
//
// Thread-safety: as the Store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/store.hpp"

namespace liaison::core {

namespace reports {
class EntryColumns;
}  // namespace reports

// Whose figures: the caller's scope, as sync::Scope states it (sync/scope.hpp; core knows no
// roles). An entry counts when the scope covers it: global; or, when `brands` is not empty and
// the entry names a brand, that brand is one of them, and then the entry names no region and no
// store, or its store is one of `stores` or a store the record places in one of `regions`, or
// its region one of `regions`. An entry that carries none of region, brand and store is where
// its parent is (a contact, collaboration or post its person's, a click or conversion its
// link's, a check-in its event's): the rule of sync::covers_entry, one level up.
struct ReportScope {
    bool global = true;
    std::vector<std::string> regions, stores, brands;  // entity ids as text
};

// What to report on. Every filter narrows; an empty one does not filter.
struct ReportQuery {
    std::string report;  // one of report_names()
    std::optional<Id128> programme, campaign, brand, region, store;
    std::string from, to;  // "YYYY-MM-DD", inclusive, UTC days; "" open
    // "", "tier", "region", "store", "platform", "department" or "month": a breakdown table
    // where the report has one (docs/METRICS.md says which figures each dimension splits).
    std::string group_by;
    // ISO 4217: the currency amounts are converted to; "" the `report_currency` setting, and
    // without one, amounts stay per currency.
    std::string currency;
    // Attribution model for the AMEC report's impact and the attribution report's first table:
    // "last_click" (default), "first_click", "linear", "position", "time_decay".
    std::string model;
    std::string metric;       // pyramid: "engagements" (default), "reach", "revenue"
    std::string market;       // share of voice: a country; "" every market
    std::int64_t now_ms = 0;  // today, for relationship health and an open period's end
    ReportScope scope;
    // The form of the answer, for the callers that serve one (report_answer; run_report does
    // not read them): "json" or "csv", and the one table to keep ("" every table).
    std::string format = "json";
    std::string table;
};

// A cell: null, a whole number, a fixed-point number with four decimals (`n` is the value
// times 10,000: rates, shares, ratios — exact, so a figure is the same on every host), or text.
struct Cell {
    enum class Type : std::uint8_t { kNull, kInt, kFixed, kText } type = Type::kNull;
    std::int64_t n = 0;
    std::string text;

    static Cell null() { return {}; }
    static Cell integer(std::int64_t v) { return {Type::kInt, v, {}}; }
    // `v` rounded half away from zero to four decimals; null when not finite.
    static Cell fixed(double v);
    static Cell str(std::string v) { return {Type::kText, 0, std::move(v)}; }
    bool operator==(const Cell&) const = default;
};

struct Column {
    std::string id, label;
    // How to read and show it: "text", "count", "money" (minor units of the report's currency,
    // or of the row's `currency` column), "percent" (fixed, 12.5 = 12.5 %), "ratio" (fixed),
    // "days", "date", "value" (fixed, as measured).
    std::string unit;
    std::string formula;  // "<id>/<version>" of docs/METRICS.md; "" for a label column
    std::string caveat;   // id of one of the report's caveats; "" none
};

struct Table {
    std::string id, title;
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> rows;  // each as long as `columns`
    // How a screen draws it beside the table: "bar", "line" or "" (the table only). The first
    // text column labels the points; every number column is a series.
    std::string chart;
};

struct Caveat {
    std::string id, text;
};

struct Report {
    std::string report, title;
    std::string currency;  // the report's currency; "" when amounts are per currency
    std::string from, to;  // the period reported ("" open)
    std::vector<std::pair<std::string, std::string>> filters;   // as asked, ids as text
    std::vector<std::pair<std::string, std::string>> settings;  // the settings it applied
    std::vector<std::string> formulas;  // every "<id>/<version>" its columns name, sorted
    std::vector<Caveat> caveats;
    std::vector<std::string> notes;  // what the reader must know about this run (no rate for…)
    std::vector<Table> tables;
};

// "amec", "sov", "pyramid", "emv", "attribution", "health".
const std::vector<std::string_view>& report_names();

// The longest value a report parameter may have (ids are 26 characters, dates 10).
inline constexpr std::size_t kMaxReportParamChars = 64;
// The parameters a report query takes as text, in the order the errors and docs name them.
const std::vector<std::string_view>& report_params();
// A report query's parameters as text, name → value, in the order given (a URL's query string,
// the façade's arguments).
using ReportParams = std::vector<std::pair<std::string, std::string>>;

// The query of `report` that `params` ask for, checked before any store is read, so that the
// REST API and the web façade refuse the same queries with the same messages. Refuses, first
// fault first: kUnknownField a name not in report_params() ("colour: not a parameter of the
// reports"); kInvalidArgument a name given twice or a value longer than kMaxReportParamChars;
// kNotFound an unknown report (the only kNotFound, so a caller may word it its own way);
// kInvalidArgument a format other than json or csv; kBadFormat a programme, campaign, brand,
// region or store that is not an id; then run_report's checks. Each message but the unknown
// report's begins with the parameter's name (at most 40 characters of it) and a colon. The
// caller sets `now_ms` and `scope`.
Result<ReportQuery> parse_report_query(std::string_view report, const ReportParams& params);

// What the reports keep in memory between runs over the server's central record: its contacts,
// clicks, posts and conversions as columns, caught up with the store's changes at the start of each
// report that reads them (core/query/reports/entry_columns.hpp; docs/METRICS.md, "How the figures
// are read"). A summary derived from the record, never synced and outside the state hash. Only for
// a store whose rows leave by erasure alone (the central record, not a device's replica), and only
// ever with one store. Thread-safety: as that store.
class ReportCache {
public:
    ReportCache();
    ~ReportCache();
    ReportCache(const ReportCache&) = delete;
    ReportCache& operator=(const ReportCache&) = delete;
    // Internal to core/query/reports/.
    reports::EntryColumns& contacts() { return *contacts_; }
    reports::EntryColumns& clicks() { return *clicks_; }
    reports::EntryColumns& posts() { return *posts_; }
    reports::EntryColumns& conversions() { return *conversions_; }
    // The memory the columns hold, in bytes.
    std::size_t bytes() const;

private:
    std::unique_ptr<reports::EntryColumns> contacts_, clicks_, posts_, conversions_;
};

// On a device (a SQLite replica), before its reports: makes sure the store holds an index of
// the contacts `scope` places (its stores, its regions, and those naming neither), and only
// those, so a scoped report reads its own contacts rather than every contact mark the device
// holds (docs/SYNC.md, D6). Rebuilt when the scope's stores change (a store joins or leaves
// its regions); nothing to do when it is current, for a global scope or on PostgreSQL. A local
// index: never synced, outside the state hash; the figures are the same with it or without.
Status index_report_place(Store& store, const ReportScope& scope);

// Checks the query (a known report, dates, group_by, currency, model, metric, market) and
// computes the report. kInvalidArgument names the parameter at fault. With a cache, the
// figures read from it are the same as without (the reports' tests compare both).
Result<Report> run_report(Store& store, const ReportQuery& query, ReportCache* cache = nullptr);

// The answer `query` asks for, from its report: the JSON (report_json, only `query.table` when
// set) or, with format csv, the CSV (report_csv). kNotFound, naming the parameter ("table: the
// amec report has no table \"x\""), for a table the report does not have.
Result<std::string> report_answer(Report report, const ReportQuery& query);

// The report as JSON: {"report","title","currency","from","to","filters":{…},"settings":{…},
// "formulas":[…],"caveats":[{"id","text"}],"notes":[…],"tables":[{"id","title","chart",
// "columns":[{"id","label","unit","formula","caveat"}],"rows":[[…]…]}]}. Fixed cells are JSON
// numbers with at most four decimals, written from their integer (no floating point).
std::string report_json(const Report& report);
// A cell as the JSON writes it: null, 12, 12.5, "text".
std::string cell_json(const Cell& cell);
// One table as CSV (RFC 4180, a header row of column ids), or every table one after the
// other when `table` is empty: each table's rows prefixed by its id, each table after the
// first preceded by an empty line and its own header row. Text that a spreadsheet would read
// as a formula is quoted with a leading apostrophe. kNotFound for an unknown table id.
Result<std::string> report_csv(const Report& report, std::string_view table = "");

}  // namespace liaison::core
