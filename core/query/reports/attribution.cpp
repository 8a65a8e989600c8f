// The attribution report (docs/METRICS.md "Attribution"): the conversions of the period credited
// to influencers and campaigns by the five models side by side, from the one credit rule the
// AMEC report's impact also uses (credit.cpp, attribution.credit/1), with how many conversions
// had which evidence and the settings the models ran with.
//
// Layout, so that a screen draws each table as it is: one row per influencer (or campaign),
// one column per model. Conversions credited are fractions (a journey's touches share one
// conversion) and revenue credited is money per currency, so each has its own table: the
// revenue tables carry a `currency` column (one row per influencer and currency, or one row per
// influencer in the report's currency when there is one).
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "core/query/reports/context.hpp"

namespace liaison::core::reports {
namespace {

constexpr std::size_t kModelCount = std::size(kModels);

// The figures of one row (an influencer or a campaign) under every model.
struct Credited {
    std::array<double, kModelCount> conversions{};
    // (currency, day) → the credited value before rounding, per model: rounded half away from
    // zero to minor units once per currency and day, then summed (as fx/1 converts by day).
    std::array<std::map<std::pair<std::string, std::int64_t>, double>, kModelCount> value;
};

// The rows of one dimension: key ("" for a touch that names no influencer or campaign) → row.
using Rows = std::map<std::string, Credited>;

std::string key_of(const std::optional<Id128>& id) { return id ? id->to_text() : std::string(); }

// Names of the influencers or campaigns the rows name, for the row labels.
Result<std::map<Id128, std::string>> names(const Ctx& c, Kind kind, const Rows& rows) {
    std::vector<Id128> ids;
    for (const auto& [key, row] : rows)
        if (auto id = Id128::from_text(key)) ids.push_back(*id);
    return names_of(c, kind, ids);
}

// The rows in label order (ties by id); a target without a name shows its id, a touch without
// an influencer or campaign "(none)", last.
std::vector<std::pair<std::string, const Credited*>> ordered(
    const Rows& rows, const std::map<Id128, std::string>& label) {
    std::vector<std::tuple<int, std::string, std::string, const Credited*>> v;
    for (const auto& [key, row] : rows) {
        if (key.empty()) {
            v.emplace_back(1, "(none)", key, &row);
            continue;
        }
        const auto id = Id128::from_text(key);
        auto it = id ? label.find(*id) : label.end();
        v.emplace_back(0, it != label.end() && !it->second.empty() ? it->second : key, key, &row);
    }
    std::sort(v.begin(), v.end());
    std::vector<std::pair<std::string, const Credited*>> out;
    for (auto& [none, name, key, row] : v) out.emplace_back(name, row);
    return out;
}

std::vector<Column> model_columns(Report& out, std::string_view unit, const std::string& formula) {
    std::vector<Column> cols;
    for (auto m : kModels) {
        const std::string id(m);
        const std::string label = m == "last_click"    ? "Last click"
                                  : m == "first_click" ? "First click"
                                  : m == "linear"      ? "Linear"
                                  : m == "position"    ? "Position (40/20/40)"
                                                       : "Time decay";
        // Last click is partial; the journey models exist only where shoppers agreed.
        cols.push_back({id, label, std::string(unit), formula,
                        caveat(out, m == "last_click" ? "last_click" : "consent")});
    }
    return cols;
}

// "Conversions credited" and "Revenue credited" tables for one dimension.
void credit_tables(const Ctx& c, Report& out, const std::string& dim, const std::string& title,
                   const Rows& rows, const std::map<Id128, std::string>& label) {
    const auto sorted = ordered(rows, label);
    const std::string dim_label = dim == "influencer" ? "Influencer" : "Campaign";

    Table conv;
    conv.id = "conversions_by_" + dim;
    conv.title = "Conversions credited by " + title;
    conv.chart = "bar";
    conv.columns = {{dim, dim_label, "text", "", ""}};
    for (auto& col : model_columns(out, "value", "attribution.conversions/1"))
        conv.columns.push_back(std::move(col));
    for (const auto& [name, row] : sorted) {
        std::vector<Cell> cells = {Cell::str(name)};
        for (double v : row->conversions) cells.push_back(Cell::fixed(v));
        conv.rows.push_back(std::move(cells));
    }
    out.tables.push_back(std::move(conv));

    Table rev;
    rev.id = "revenue_by_" + dim;
    rev.title = "Revenue credited by " + title;
    rev.columns = {{dim, dim_label, "text", "", ""}, {"currency", "Currency", "text", "", ""}};
    for (auto& col : model_columns(out, "money", "attribution.revenue/1"))
        rev.columns.push_back(std::move(col));
    for (const auto& [name, row] : sorted) {
        // One money_rows per model, merged by currency (a currency one model credits and
        // another does not shows 0 for the other).
        std::map<std::string, std::array<Cell, kModelCount>> by_currency;
        for (std::size_t m = 0; m < kModelCount; ++m) {
            Money money;
            for (const auto& [k, v] : row->value[m]) money.add(k.first, k.second, std::llround(v));
            for (const auto& r : money_rows(c, money, out)) {
                auto [it, fresh] = by_currency.try_emplace(r.currency);
                if (fresh) it->second.fill(Cell::integer(0));
                it->second[m] = r.amount ? Cell::integer(*r.amount) : Cell::null();
            }
        }
        for (const auto& [currency, cells] : by_currency) {
            std::vector<Cell> line = {Cell::str(name), Cell::str(currency)};
            line.insert(line.end(), cells.begin(), cells.end());
            rev.rows.push_back(std::move(line));
        }
    }
    out.tables.push_back(std::move(rev));
}

}  // namespace

Status attribution(Ctx& c, Report& out) {
    out.title = "Attribution";
    const std::vector<std::string_view> models(std::begin(kModels), std::end(kModels));
    auto credited = credits_by_models(c, models);
    if (!credited) return credited.status();
    const auto& all = credited.value();

    Rows people, campaigns;
    for (std::size_t m = 0; m < kModelCount; ++m)
        for (const auto& l : all[m].lines) {
            if (!credit_wanted(c, l)) continue;
            for (auto [rows, id] : {std::pair{&people, &l.influencer}, {&campaigns, &l.campaign}}) {
                Credited& row = (*rows)[key_of(*id)];
                row.conversions[m] += l.share;
                row.value[m][{l.currency, l.day}] += double(l.value) * l.share;
            }
        }

    auto people_names = names(c, Kind::kInfluencer, people);
    if (!people_names) return people_names.status();
    auto campaign_names = names(c, Kind::kCampaign, campaigns);
    if (!campaign_names) return campaign_names.status();
    credit_tables(c, out, "influencer", "influencer", people, people_names.value());
    credit_tables(c, out, "campaign", "campaign", campaigns, campaign_names.value());

    // The evidence is the same under every model: the first one's counts.
    const Credits& e = all.front();
    Table ev;
    ev.id = "evidence";
    ev.title = "Conversions by evidence";
    ev.chart = "bar";
    ev.columns = {{"evidence", "Evidence", "text", "", ""},
                  {"conversions", "Conversions", "count", "attribution.evidence/1",
                   caveat(out, "seen_only")}};
    for (auto [name, n] : {std::pair{"journey", e.journey},
                           {"link", e.link},
                           {"promo", e.promo},
                           {"none", e.none},
                           {"all", e.journey + e.link + e.promo + e.none}})
        ev.rows.push_back({Cell::str(name), Cell::integer(n)});
    out.tables.push_back(std::move(ev));

    Table s;
    s.id = "settings";
    s.title = "Settings the models ran with";
    s.columns = {{"setting", "Setting", "text", "", ""},
                 {"days", "Days", "days", "attribution.credit/1", ""}};
    s.rows.push_back({Cell::str("window"), Cell::integer(c.settings.window_days)});
    s.rows.push_back({Cell::str("half_life"), Cell::integer(c.settings.half_life_days)});
    out.tables.push_back(std::move(s));
    return Status::ok();
}

}  // namespace liaison::core::reports
