// The reports' entry point, their checks, caveats and output forms (core/query/reports.hpp).
#include <algorithm>
#include <cmath>
#include <set>

#include "core/model/validate.hpp"
#include "core/query/reports/context.hpp"
#include "core/query/reports/entry_columns.hpp"
#include "core/util/csv.hpp"
#include "core/util/json.hpp"

namespace liaison::core {

Cell Cell::fixed(double v) {
    if (!std::isfinite(v)) return null();
    const double scaled = std::round(v * 10000.0);
    if (std::fabs(scaled) > 9.0e15) return null();
    return {Type::kFixed, std::int64_t(scaled), {}};
}

namespace reports {
namespace {

// clang-format off
// The caveats (docs/METRICS.md "Caveats"): printed beside the figures they concern.
constexpr std::pair<std::string_view, std::string_view> kCaveats[] = {
    {"tracked_set", "Share of voice over the tracked set only: the brands Liaison tracks and the "
                    "content logged or imported into it, not the whole conversation."},
    {"emv", "EMV is an estimate of what the same exposure would have cost as advertising, from "
            "the central team's rate card. It is not revenue and not a measure of outcomes "
            "(Barcelona Principles 3.0); shown beside out-takes and outcomes only."},
    {"last_click", "Last click is partial: it credits the final tracked touch and ignores what "
                   "came before."},
    {"seen_only", "Only conversions with a tracked link, a promo code or a visitor id are seen; "
                  "content without a link or a code is invisible to attribution."},
    {"consent", "Journeys (several clicks of one shopper) exist only where the shopper agreed "
                "to tracking and the influencer's links carry the redirect."},
    {"roi_model", "ROI counts attributed revenue under the attribution model named with it; "
                  "another model gives another figure."},
    {"converted", "Amounts in other currencies are converted with the central team's exchange "
                  "rates, each day's sum at the latest rate dated on or before that day."},
    {"engagements", "Engagements are as the platform or the import reported them; platforms "
                    "count them differently."},
};
// clang-format on

bool is_group(std::string_view g) {
    return g.empty() || g == "tier" || g == "region" || g == "store" || g == "platform" ||
           g == "department" || g == "month";
}
bool is_model(std::string_view m) {
    return m.empty() || m == "last_click" || m == "first_click" || m == "linear" ||
           m == "position" || m == "time_decay";
}
bool is_metric(std::string_view m) {
    return m.empty() || m == "engagements" || m == "reach" || m == "revenue";
}

bool is_report(std::string_view name) {
    const auto& names = report_names();
    return std::find(names.begin(), names.end(), name) != names.end();
}

Status unknown_report(std::string_view name) {
    return Status::not_found("no report named \"" + std::string(name.substr(0, 40)) +
                             "\" (amec, sov, pyramid, emv, attribution, health)");
}

Status check(const ReportQuery& q) {
    if (!is_report(q.report)) return unknown_report(q.report);
    for (auto [name, v] : {std::pair{"from", &q.from}, {"to", &q.to}})
        if (!v->empty() && !is_date(*v))
            return Status::invalid(std::string(name) + ": not a date (YYYY-MM-DD)");
    if (!q.from.empty() && !q.to.empty() && q.to < q.from)
        return Status::invalid("to: before from");
    if (!is_group(q.group_by))
        return Status::invalid("group_by: one of tier, region, store, platform, department, month");
    if (!q.currency.empty() && !is_currency(q.currency))
        return Status::invalid("currency: not a currency code (ISO 4217, e.g. EUR)");
    if (!is_model(q.model))
        return Status::invalid(
            "model: one of last_click, first_click, linear, position, time_decay");
    if (!is_metric(q.metric)) return Status::invalid("metric: one of engagements, reach, revenue");
    if (!q.market.empty() && !is_country(q.market))
        return Status::invalid("market: not a country code (ISO 3166-1 alpha-2, e.g. FR)");
    return Status::ok();
}

// A fixed cell's text: at most four decimals, no trailing zeros, no floating point.
std::string fixed_text(std::int64_t n) {
    const bool neg = n < 0;
    const std::uint64_t a = neg ? std::uint64_t(0) - std::uint64_t(n) : std::uint64_t(n);
    std::string out = neg ? "-" : "";
    out += std::to_string(a / 10000);
    std::uint64_t frac = a % 10000;
    if (frac) {
        std::string f = std::to_string(frac);
        f.insert(0, 4 - f.size(), '0');
        while (f.back() == '0') f.pop_back();
        out += "." + f;
    }
    return out;
}

}  // namespace

}  // namespace reports

std::string cell_json(const Cell& c) {
    switch (c.type) {
        case Cell::Type::kNull:
            return "null";
        case Cell::Type::kInt:
            return std::to_string(c.n);
        case Cell::Type::kFixed:
            return reports::fixed_text(c.n);
        case Cell::Type::kText:
            return json_string(c.text);
    }
    return "null";
}

namespace reports {
namespace {

std::string cell_csv(const Cell& c) {
    switch (c.type) {
        case Cell::Type::kNull:
            return "";
        case Cell::Type::kInt:
            return std::to_string(c.n);
        case Cell::Type::kFixed:
            return fixed_text(c.n);
        case Cell::Type::kText:
            return guard_formula(c.text);
    }
    return "";
}

std::string pairs_json(const std::vector<std::pair<std::string, std::string>>& kv) {
    std::string out = "{";
    for (std::size_t i = 0; i < kv.size(); ++i) {
        if (i) out += ',';
        out += json_string(kv[i].first) + ":" + json_string(kv[i].second);
    }
    return out + "}";
}

}  // namespace

std::string caveat(Report& out, std::string_view id) {
    for (const auto& c : out.caveats)
        if (c.id == id) return c.id;
    for (const auto& [cid, text] : kCaveats)
        if (cid == id) {
            out.caveats.push_back({std::string(cid), std::string(text)});
            return std::string(cid);
        }
    return "";  // not a caveat: tests/core/reports_test.cpp checks every id used is one
}

}  // namespace reports

const std::vector<std::string_view>& report_names() {
    static const std::vector<std::string_view> names = {"amec", "sov",         "pyramid",
                                                        "emv",  "attribution", "health"};
    return names;
}

const std::vector<std::string_view>& report_params() {
    static const std::vector<std::string_view> names = {
        "programme", "campaign", "brand", "region", "store",  "from",   "to",
        "group_by",  "currency", "model", "metric", "market", "format", "table"};
    return names;
}

Result<ReportQuery> parse_report_query(std::string_view report, const ReportParams& params) {
    const auto& known = report_params();
    for (const auto& param : params) {
        const std::string shown = param.first.substr(0, 40);
        if (std::find(known.begin(), known.end(), param.first) == known.end())
            return Status(Code::kUnknownField, shown + ": not a parameter of the reports");
        // At most one pass per known name before a return: linear in the number of parameters.
        if (std::count_if(params.begin(), params.end(),
                          [&](const auto& p) { return p.first == param.first; }) > 1)
            return Status::invalid(shown + ": given twice");
        if (param.second.size() > kMaxReportParamChars)
            return Status::invalid(shown + ": longer than " + std::to_string(kMaxReportParamChars) +
                                   " characters");
    }
    if (!reports::is_report(report)) return reports::unknown_report(report);
    auto given = [&](std::string_view key) -> const std::string* {
        for (const auto& [name, value] : params)
            if (name == key) return &value;
        return nullptr;
    };
    ReportQuery q;
    q.report = std::string(report);
    if (const auto* format = given("format")) {
        if (*format != "json" && *format != "csv") return Status::invalid("format: json or csv");
        q.format = *format;
    }
    if (const auto* table = given("table")) q.table = *table;
    for (auto [key, out] : {std::pair{"programme", &q.programme},
                            {"campaign", &q.campaign},
                            {"brand", &q.brand},
                            {"region", &q.region},
                            {"store", &q.store}}) {
        const auto* text = given(key);
        if (!text) continue;
        *out = Id128::from_text(*text);
        if (!*out)
            return Status(Code::kBadFormat,
                          std::string(key) + ": not an id (26 characters of Crockford base32)");
    }
    for (auto [key, out] : {std::pair{"from", &q.from},
                            {"to", &q.to},
                            {"group_by", &q.group_by},
                            {"currency", &q.currency},
                            {"model", &q.model},
                            {"metric", &q.metric},
                            {"market", &q.market}})
        if (const auto* text = given(key)) *out = *text;
    LIAISON_TRY(reports::check(q));
    return q;
}

ReportCache::ReportCache()
    : contacts_(std::make_unique<reports::EntryColumns>(reports::contact_columns())),
      clicks_(std::make_unique<reports::EntryColumns>(reports::click_columns())),
      posts_(std::make_unique<reports::EntryColumns>(reports::post_columns())),
      conversions_(std::make_unique<reports::EntryColumns>(reports::conversion_columns())) {}
ReportCache::~ReportCache() = default;

std::size_t ReportCache::bytes() const {
    return contacts_->bytes() + clicks_->bytes() + posts_->bytes() + conversions_->bytes();
}

Result<Report> run_report(Store& store, const ReportQuery& q, ReportCache* cache) {
    LIAISON_TRY(reports::check(q));
    // One snapshot: a report's tables agree with each other even while a sync writes.
    auto txn = store.read_txn();
    auto made = reports::Ctx::make(store, q);
    if (!made) return made.status();
    reports::Ctx& c = made.value();
    // The columns, caught up in this snapshot, for the reports that read them; not for one
    // campaign's or programme's figures, which SQL reads from the campaign indexes faster than
    // a pass over every row (a campaign's clicks: 0.7 ms by the index, 6 ms over the columns).
    const bool by_campaign = q.campaign || q.programme;
    const std::string_view name = q.report;
    // `into` is set when the report `reads` the columns, under a programme or campaign filter
    // only when `filtered_too` (AMEC's retained and the credits' conversions); each set of
    // columns is caught up once per report, whichever use asks first.
    std::vector<const reports::EntryColumns*> caught;
    auto use = [&](reports::EntryColumns& cols, reports::EntryColumns*& into, bool reads,
                   bool filtered_too = false) -> Status {
        if (!reads || (by_campaign && !filtered_too)) return Status::ok();
        if (std::find(caught.begin(), caught.end(), &cols) == caught.end()) {
            LIAISON_TRY(cols.catch_up(store));
            caught.push_back(&cols);
        }
        into = &cols;
        return Status::ok();
    };
    if (cache) {
        const bool amec = name == "amec", attribution = name == "attribution";
        LIAISON_TRY(use(cache->contacts(), c.contacts, amec || name == "health"));
        LIAISON_TRY(use(cache->contacts(), c.contact_history, amec && !q.from.empty(), true));
        LIAISON_TRY(use(cache->clicks(), c.clicks, amec || attribution));
        LIAISON_TRY(
            use(cache->conversions(), c.conversions, amec || attribution || name == "pyramid"));
        LIAISON_TRY(use(cache->conversions(), c.credit_conversions, amec || attribution, true));
        LIAISON_TRY(use(cache->posts(), c.posts,
                        amec || name == "sov" || name == "pyramid" ||
                            (name == "emv" && c.settings.emv_enabled)));
    }
    Report out;
    out.report = q.report;
    out.currency = c.currency;
    out.from = q.from;
    out.to = q.to;
    for (auto [key, id] : {std::pair{"programme", &q.programme},
                           {"campaign", &q.campaign},
                           {"brand", &q.brand},
                           {"region", &q.region},
                           {"store", &q.store}})
        if (*id) out.filters.emplace_back(key, (*id)->to_text());
    for (auto [key, v] : {std::pair{"group_by", &q.group_by},
                          {"model", &q.model},
                          {"metric", &q.metric},
                          {"market", &q.market}})
        if (!v->empty()) out.filters.emplace_back(key, *v);
    const auto& s = c.settings;
    out.settings = {{"emv_enabled", s.emv_enabled ? "true" : "false"},
                    {"emv_credit", s.emv_split ? "split" : "full"},
                    {"attribution_window_days", std::to_string(s.window_days)},
                    {"time_decay_half_life_days", std::to_string(s.half_life_days)},
                    {"retained_quarters", std::to_string(s.retained_quarters)},
                    {"report_currency", s.report_currency}};
    out.notes = c.settings_notes;
    Status done = Status::ok();
    if (q.report == "amec")
        done = reports::amec(c, out);
    else if (q.report == "sov")
        done = reports::share_of_voice(c, out);
    else if (q.report == "pyramid")
        done = reports::pyramid(c, out);
    else if (q.report == "emv")
        done = reports::emv(c, out);
    else if (q.report == "attribution")
        done = reports::attribution(c, out);
    else
        done = reports::health(c, out);
    LIAISON_TRY(done);
    if (!c.currency.empty()) reports::caveat(out, "converted");
    // Every formula a column or a `formula` cell names.
    std::set<std::string> used;
    for (const auto& t : out.tables) {
        int formula_col = -1;
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            if (!t.columns[i].formula.empty()) used.insert(t.columns[i].formula);
            if (t.columns[i].id == "formula") formula_col = int(i);
        }
        if (formula_col >= 0)
            for (const auto& r : t.rows)
                if (r[std::size_t(formula_col)].type == Cell::Type::kText)
                    used.insert(r[std::size_t(formula_col)].text);
    }
    out.formulas.assign(used.begin(), used.end());
    return out;
}

std::string report_json(const Report& r) {
    std::string out =
        "{\"report\":" + json_string(r.report) + ",\"title\":" + json_string(r.title) +
        ",\"currency\":" + json_string(r.currency) + ",\"from\":" + json_string(r.from) +
        ",\"to\":" + json_string(r.to) + ",\"filters\":" + reports::pairs_json(r.filters) +
        ",\"settings\":" + reports::pairs_json(r.settings) +
        ",\"formulas\":" + json_string_array(r.formulas) + ",\"caveats\":[";
    for (std::size_t i = 0; i < r.caveats.size(); ++i)
        out += std::string(i ? "," : "") + "{\"id\":" + json_string(r.caveats[i].id) +
               ",\"text\":" + json_string(r.caveats[i].text) + "}";
    out += "],\"notes\":" + json_string_array(r.notes) + ",\"tables\":[";
    for (std::size_t i = 0; i < r.tables.size(); ++i) {
        const Table& t = r.tables[i];
        out += std::string(i ? "," : "") + "{\"id\":" + json_string(t.id) +
               ",\"title\":" + json_string(t.title) + ",\"chart\":" + json_string(t.chart) +
               ",\"columns\":[";
        for (std::size_t j = 0; j < t.columns.size(); ++j) {
            const Column& c = t.columns[j];
            out += std::string(j ? "," : "") + "{\"id\":" + json_string(c.id) +
                   ",\"label\":" + json_string(c.label) + ",\"unit\":" + json_string(c.unit) +
                   ",\"formula\":" + json_string(c.formula) +
                   ",\"caveat\":" + json_string(c.caveat) + "}";
        }
        out += "],\"rows\":[";
        for (std::size_t j = 0; j < t.rows.size(); ++j) {
            out += j ? ",[" : "[";
            for (std::size_t k = 0; k < t.rows[j].size(); ++k) {
                if (k) out += ',';
                out += cell_json(t.rows[j][k]);
            }
            out += "]";
        }
        out += "]}";
    }
    return out + "]}";
}

Result<std::string> report_csv(const Report& r, std::string_view table) {
    std::string out;
    bool found = false;
    for (const auto& t : r.tables) {
        if (!table.empty() && t.id != table) continue;
        const bool stacked = table.empty();
        if (found) out += "\r\n";
        found = true;
        std::vector<std::string> header;
        if (stacked) header.push_back("table");
        for (const auto& c : t.columns) header.push_back(c.id);
        out += csv_line(header);
        for (const auto& row : t.rows) {
            std::vector<std::string> cells;
            if (stacked) cells.push_back(t.id);
            for (const auto& c : row) cells.push_back(reports::cell_csv(c));
            out += csv_line(cells);
        }
    }
    if (!found && !table.empty())
        return Status::not_found("no table \"" + std::string(table) + "\" in the " + r.report +
                                 " report");
    return out;
}

Result<std::string> report_answer(Report r, const ReportQuery& q) {
    auto no_table = [&] {
        return Status::not_found("table: the " + r.report + " report has no table \"" +
                                 q.table.substr(0, 40) + "\"");
    };
    if (q.format == "csv") {
        auto csv = report_csv(r, q.table);
        if (!csv && csv.status().code() == Code::kNotFound) return no_table();
        return csv;
    }
    if (!q.table.empty()) {
        auto it = std::find_if(r.tables.begin(), r.tables.end(),
                               [&](const Table& t) { return t.id == q.table; });
        if (it == r.tables.end()) return no_table();
        Table kept = std::move(*it);
        r.tables.clear();
        r.tables.push_back(std::move(kept));
    }
    return report_json(r);
}

}  // namespace liaison::core
