// The EMV report (docs/METRICS.md "EMV"): what the period's posts would have cost as
// advertising by the central team's rate card, per brand and per platform, with the rate-card
// lines used so that any figure can be recomputed. Off unless the setting emv_enabled is true;
// never called revenue, always beside its caveat.
//
// The rate card is read whole (a few lines per platform and version). Each post takes the
// version in force on its day for its platform: one CASE in SQL numbers it. The posts are read
// once, a row each, and valued here exactly (thousandths of a minor unit, fractions of a split
// kept per divisor, one rounding per figure).
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "core/query/reports/context.hpp"
#include "core/query/reports/entry_columns.hpp"

namespace liaison::core::reports {
namespace {

// The metrics a rate card values, in the order the statement sums them; the first three are
// valued per thousand (a CPM), the others per one.
constexpr std::string_view kCardMetrics[] = {"impressions", "reach",  "video_views", "likes",
                                             "comments",    "shares", "saves",       "engagements"};
constexpr std::size_t kCardMetricCount = std::size(kCardMetrics);
constexpr std::size_t kPerThousand = 3;

std::size_t metric_index(std::string_view m) {
    for (std::size_t i = 0; i < kCardMetricCount; ++i)
        if (kCardMetrics[i] == m) return i;
    return kCardMetricCount;
}

// The post column (reports/entry_columns.hpp) of metric i, engagements aside.
std::size_t post_metric(std::size_t i) {
    constexpr std::size_t kColumn[] = {kImpressions, kReach,  kVideoViews, kLikes,
                                       kComments,    kShares, kSaves};
    return kColumn[i];
}

std::string metric_sql(std::size_t i) {
    if (kCardMetrics[i] == "engagements") return kEngagements;
    return "COALESCE(a.f_" + std::string(kCardMetrics[i]) + ",0)";
}

struct CardLine {
    std::string version, platform, metric, currency, valid_from;
    std::int64_t value = 0;
    // What the report used it for: posts valued with it, the metric summed over them, and the
    // value in thousandths of a minor unit.
    std::int64_t posts = 0, quantity = 0;
    I128 milli = 0;
};

// One version of the card for one platform: its lines, in force from `from_day`.
struct Version {
    std::string platform, version;
    std::int64_t from_day = INT64_MIN;
    std::vector<std::size_t> lines;
};

Status load_card(const Ctx& c, std::vector<CardLine>& lines, std::vector<Version>& versions) {
    LIAISON_TRY(
        c.each("SELECT f_version, f_platform, f_metric, f_value, f_currency, "
               "COALESCE(f_valid_from,'') FROM k_rate_card r WHERE " +
                   Ctx::visible("r") +
                   " AND f_version IS NOT NULL AND f_platform IS NOT NULL AND f_metric IS "
                   "NOT NULL AND f_value IS NOT NULL AND f_currency IS NOT NULL ORDER BY "
                   "f_platform, f_version, f_metric, eid",
               [&](Statement& r) {
                   CardLine l;
                   l.version = r.column_text(0);
                   l.platform = r.column_text(1);
                   l.metric = r.column_text(2);
                   l.value = r.column_int(3);
                   l.currency = r.column_text(4);
                   l.valid_from = r.column_text(5);
                   if (metric_index(l.metric) < kCardMetricCount) lines.push_back(std::move(l));
               }));
    // A version's day is the earliest valid_from of its lines for the platform (none: always).
    std::map<std::pair<std::string, std::string>, Version> by_key;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const CardLine& l = lines[i];
        auto [it, added] = by_key.try_emplace({l.platform, l.version});
        Version& v = it->second;
        const std::int64_t day = l.valid_from.empty() ? INT64_MIN : days_of(l.valid_from);
        if (added) {
            v.platform = l.platform;
            v.version = l.version;
            v.from_day = day;
        }
        v.from_day = std::min(v.from_day, day);
        v.lines.push_back(i);
    }
    for (auto& [k, v] : by_key) versions.push_back(std::move(v));
    // Newest first: the first version whose day is on or before a post's day is in force.
    std::sort(versions.begin(), versions.end(), [](const Version& a, const Version& b) {
        if (a.platform != b.platform) return a.platform < b.platform;
        if (a.from_day != b.from_day) return a.from_day > b.from_day;
        return a.version > b.version;
    });
    return Status::ok();
}

// The SQL numbering the version in force for post `a` (an index into `versions`, -1 none).
std::string version_case(const std::vector<Version>& versions) {
    if (versions.empty()) return "-1";
    std::string out = "CASE";
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const Version& v = versions[i];
        out += " WHEN a.f_platform='" + v.platform + "'";  // a checked choice: no quote in it
        if (v.from_day != INT64_MIN)
            out += " AND a.f_published_at>=" + std::to_string(v.from_day * kDayMs);
        out += " THEN " + std::to_string(i);
    }
    return out + " ELSE -1 END";
}

// Exact sums of fractions of thousandths: per divisor (the brands sharing a post), then one
// rounding half away from zero to minor units.
struct Exact {
    std::map<std::int64_t, I128> by_divisor;
    std::int64_t rounded() const {
        std::int64_t l = 1;
        for (const auto& [d, v] : by_divisor) l = std::lcm(l, d);
        I128 num = 0;
        for (const auto& [d, v] : by_divisor) num += v * (l / d);
        const I128 den = I128(l) * 1000;
        const bool neg = num < 0;
        if (neg) num = -num;
        const I128 q = (num + den / 2) / den;
        return std::int64_t(neg ? -q : q);
    }
};

// A figure's amounts: per (currency, day), exact.
using Amounts = std::map<std::pair<std::string, std::int64_t>, Exact>;

Money money_of(const Amounts& a) {
    Money m;
    for (const auto& [k, v] : a) m.add(k.first, k.second, v.rounded());
    return m;
}

struct ValueSums {
    std::int64_t posts = 0, valued = 0;
    Amounts amounts;
};

Status off(Report& out) {
    Table t;
    t.id = "emv_off";
    t.title = "EMV is off";
    t.columns = {{"status", "Status", "text", "", ""},
                 {"how", "How to turn it on", "text", "", ""}};
    t.rows.push_back(
        {Cell::str("EMV is off (the default): this report shows no figure."),
         Cell::str("The central team sets the setting emv_enabled to true (an administrator's "
                   "setting entry with key emv_enabled, value true), keeps a rate card "
                   "(rate_card entries per platform and metric) and chooses emv_credit: full "
                   "(each brand a post names gets its whole value) or split (shared equally).")});
    out.tables.push_back(std::move(t));
    caveat(out, "emv");
    return Status::ok();
}

}  // namespace

Status emv(Ctx& c, Report& out) {
    out.title = "Earned media value (EMV)";
    if (!c.settings.emv_enabled) return off(out);
    const bool split = c.settings.emv_split;

    std::vector<CardLine> lines;
    std::vector<Version> versions;
    LIAISON_TRY(load_card(c, lines, versions));

    // The brands: every visible brand (a post naming a deleted one does not credit it).
    std::vector<std::pair<std::string, Id128>> brands;  // (name, id)
    LIAISON_TRY(
        c.each("SELECT eid, f_name FROM k_brand b WHERE " + Ctx::visible("b"), [&](Statement& r) {
            if (auto id = id_at(r, 0)) brands.push_back({r.column_text(1), *id});
        }));
    std::sort(brands.begin(), brands.end());

    std::vector<Id128> ids;
    for (const auto& b : brands) ids.push_back(b.second);
    const BrandIndex index(ids);
    // By brand index (brands.size(): no brand) and by platform.
    std::vector<ValueSums> by_brand(brands.size() + 1);
    std::map<std::string, ValueSums> by_platform;
    std::int64_t unvalued = 0;
    std::set<std::string> unvalued_platforms;
    std::vector<std::size_t> named;
    std::map<std::string, I128> value;  // the post's, per currency, in thousandths
    // One post: its platform, the version in force (an index into `versions`, -1 none), its day
    // (0 without a report currency), its metrics in kCardMetrics' order, and the brands it names
    // in `named`.
    auto take = [&](const std::string& platform, std::int64_t ver, std::int64_t d,
                    const std::int64_t(&q)[kCardMetricCount]) {
        if (named.empty()) named.push_back(brands.size());
        ValueSums& pg = by_platform[platform];
        ++pg.posts;
        for (std::size_t i : named) ++by_brand[i].posts;
        if (ver < 0 || ver >= std::int64_t(versions.size())) {
            ++unvalued;
            unvalued_platforms.insert(platform);
            return;
        }
        ++pg.valued;
        for (std::size_t i : named) ++by_brand[i].valued;
        value.clear();
        for (std::size_t li : versions[std::size_t(ver)].lines) {
            CardLine& l = lines[li];
            const std::size_t mi = metric_index(l.metric);
            if (mi >= kCardMetricCount) continue;  // load_card keeps none such
            const I128 milli = I128(l.value) * q[mi] * (mi < kPerThousand ? 1 : 1000);
            value[l.currency] += milli;
            ++l.posts;
            l.quantity += q[mi];
            l.milli += milli;
        }
        // Split credit divides a post among the brands it names; full credit (or a post that
        // names none) does not divide.
        const std::int64_t divisor = split ? std::int64_t(named.size()) : 1;
        for (const auto& [cur, milli] : value) {
            pg.amounts[{cur, d}].by_divisor[1] += milli;
            for (std::size_t i : named) by_brand[i].amounts[{cur, d}].by_divisor[divisor] += milli;
        }
    };
    if (c.posts) {
        // The same posts from the report cache's columns (reports/entry_columns.hpp); the
        // version in force found as version_case's CASE finds it.
        using Cols = EntryColumns;
        const Cols& p = *c.posts;
        const BrandIndex::OverColumns over(index, p);
        std::map<std::uint32_t, std::vector<std::size_t>> by_text;  // platform → its versions
        for (std::size_t i = 0; i < versions.size(); ++i)
            if (auto n = p.find_text(versions[i].platform)) by_text[*n].push_back(i);
        EntryFilter keeps(c, p);
        LIAISON_TRY(each_kept(keeps, p, [&](std::size_t r) {
            over.named(r, named);
            const std::uint32_t pl = p.texts[kPlatform][r];
            const std::int64_t at = p.at[r];
            std::int64_t ver = -1;
            if (auto it = by_text.find(pl); it != by_text.end())
                for (std::size_t i : it->second)
                    if (versions[i].from_day == INT64_MIN || at >= versions[i].from_day * kDayMs) {
                        ver = std::int64_t(i);
                        break;
                    }
            std::int64_t q[kCardMetricCount];
            for (std::size_t i = 0; i < kCardMetricCount; ++i)
                q[i] = kCardMetrics[i] == "engagements" ? post_engagements(p, r)
                                                        : Cols::or0(p.ints[post_metric(i)][r]);
            take(pl == Cols::kNone ? std::string() : p.text(pl), ver,
                 c.currency.empty() ? 0 : at / kDayMs, q);
        }));
    } else {
        const std::string day = c.currency.empty() ? "0" : "a.f_published_at/86400000";
        // One row per post: its platform, the version in force, its day, its metrics, the
        // brands it names (brand field, and its brands_mentioned set as text).
        std::string sql = "SELECT a.f_platform, " + version_case(versions) + ", " + day;
        for (std::size_t i = 0; i < kCardMetricCount; ++i) sql += ", " + metric_sql(i);
        sql += BrandIndex::sql("a") + " FROM k_content a WHERE " + c.rows(Kind::kContent, "a") +
               " AND " + c.in_period_ms("a", "published_at");
        LIAISON_TRY(c.each(sql, [&](Statement& r) {
            index.named(r, 3 + int(kCardMetricCount), named);
            std::int64_t q[kCardMetricCount];
            for (std::size_t i = 0; i < kCardMetricCount; ++i) q[i] = r.column_int(3 + int(i));
            take(r.column_text(0), r.column_int(1), r.column_int(2), q);
        }));
    }
    if (unvalued > 0) {
        std::string list;
        for (const auto& pl : unvalued_platforms) list += (list.empty() ? "" : ", ") + pl;
        out.notes.push_back(
            "posts not valued (no rate-card line in force on their day for "
            "their platform: " +
            list + "): " + std::to_string(unvalued));
    }

    const std::string cv = caveat(out, "emv");
    auto group_table = [&](std::string id, std::string title, std::string label_id,
                           std::string label, std::string posts_formula) {
        Table t;
        t.id = std::move(id);
        t.title = std::move(title);
        t.chart = "bar";
        t.columns = {{label_id, std::move(label), "text", "", ""},
                     {"currency", "Currency", "text", "", ""},
                     {"posts", "Posts", "count", std::move(posts_formula), ""},
                     {"valued", "Posts valued", "count", "emv.valued/1", cv},
                     {"emv", "EMV", "money", "emv.value/1", cv}};
        return t;
    };
    auto add_rows = [&](Table& t, const std::string& label, const ValueSums& g) {
        // Nothing valued is no value (null), not a value of zero.
        std::vector<MoneyRow> rows;
        if (g.valued > 0) rows = money_rows(c, money_of(g.amounts), out);
        if (rows.empty()) rows.push_back({c.currency, std::nullopt});
        for (const auto& r : rows)
            t.rows.push_back({Cell::str(label), Cell::str(r.currency), Cell::integer(g.posts),
                              Cell::integer(g.valued),
                              r.amount ? Cell::integer(*r.amount) : Cell::null()});
    };

    Table tb = group_table("by_brand",
                           std::string("EMV per brand (") + (split ? "split" : "full") + " credit)",
                           "brand", "Brand", "emv.brand_posts/1");
    tb.columns[4].formula = "emv.brand/1";
    for (std::size_t i = 0; i < brands.size(); ++i) {
        if (c.q.brand && *c.q.brand != brands[i].second) continue;
        if (by_brand[i].posts == 0) continue;  // named by no post of the period
        add_rows(tb, brands[i].first, by_brand[i]);
    }
    if (!c.q.brand && by_brand.back().posts > 0) add_rows(tb, "(no brand)", by_brand.back());
    out.tables.push_back(std::move(tb));

    Table tp =
        group_table("by_platform", "EMV per platform", "platform", "Platform", "emv.posts/1");
    for (const auto& [pl, g] : by_platform) add_rows(tp, pl, g);
    {
        // The total: every post once, whatever brands it names.
        ValueSums all;
        for (const auto& [pl, g] : by_platform) {
            all.posts += g.posts;
            all.valued += g.valued;
            for (const auto& [k, e] : g.amounts)
                for (const auto& [d, v] : e.by_divisor) all.amounts[k].by_divisor[d] += v;
        }
        add_rows(tp, "all", all);
    }
    out.tables.push_back(std::move(tp));

    // The inputs: each rate-card line of a version in force for some post, and what it gave.
    Table ti;
    ti.id = "inputs";
    ti.title = "Rate-card lines used";
    ti.columns = {{"line", "Line", "text", "", ""},
                  {"version", "Version", "text", "", ""},
                  {"platform", "Platform", "text", "", ""},
                  {"metric", "Metric", "text", "", ""},
                  {"valid_from", "Valid from", "date", "", ""},
                  {"currency", "Currency", "text", "", ""},
                  {"value", "Value (minor units)", "money", "emv.rate/1", cv},
                  {"per", "Per", "count", "emv.rate/1", ""},
                  {"posts", "Posts valued", "count", "emv.valued/1", cv},
                  {"quantity", "Quantity", "count", "emv.quantity/1", ""},
                  {"emv", "EMV", "money", "emv.value/1", cv}};
    for (const auto& v : versions) {
        bool used = false;
        for (std::size_t li : v.lines) used = used || lines[li].posts > 0;
        if (!used) continue;
        for (std::size_t li : v.lines) {
            const CardLine& l = lines[li];
            Exact e;
            e.by_divisor[1] = l.milli;
            ti.rows.push_back(
                {Cell::str(l.version + " " + l.platform + " " + l.metric), Cell::str(l.version),
                 Cell::str(l.platform), Cell::str(l.metric), Cell::str(l.valid_from),
                 Cell::str(l.currency), Cell::integer(l.value),
                 Cell::integer(metric_index(l.metric) < kPerThousand ? 1000 : 1),
                 Cell::integer(l.posts), Cell::integer(l.quantity), Cell::integer(e.rounded())});
        }
    }
    out.tables.push_back(std::move(ti));
    return Status::ok();
}

}  // namespace liaison::core::reports
