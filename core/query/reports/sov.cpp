// The share-of-voice report (docs/METRICS.md "Share of voice"): each brand of the tracked set's
// share of the posts, people, engagements, reach and video views of the content that mentions
// any brand of the set; split paid (made for a collaboration) and organic; mentions and net tone
// per brand; a breakdown by platform, region, store, month or tier when group_by asks.
//
// One statement reads the period's content once, a row per post with the brands it names; the
// sums per brand, per level (all, paid, organic, the group_by value) and for the set (each post
// once) are made as the rows come.
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "core/query/reports/context.hpp"
#include "core/query/reports/entry_columns.hpp"
#include "core/storage/dialect.hpp"

namespace liaison::core::reports {
namespace {

// The metrics a share is computed for, in the order of the columns.
constexpr std::string_view kSovMetrics[] = {"posts", "influencers", "engagements", "reach",
                                            "video_views"};
constexpr std::string_view kMetricLabels[] = {"Posts", "Influencers", "Engagements", "Reach",
                                              "Video views"};
constexpr std::size_t kSovMetricCount = std::size(kSovMetrics);

struct Brand {
    Id128 id;
    std::string name;
    bool competitor = false;
};

// The sums over a set of posts: the five metrics, and the tones.
struct Sums {
    std::int64_t k[kSovMetricCount] = {0, 0, 0, 0, 0};
    std::int64_t positive = 0, neutral = 0, negative = 0;
};

// Sums keyed by (level, dimension value, brand id as hex or "" for the set's total).
using Key = std::tuple<int, std::string, std::string>;

// The levels of the one statement: 0 every post, 1 paid ("1") and organic ("0"), 2 group_by.
constexpr int kAll = 0, kPaid = 1, kGroup = 2;

// The group_by dimension's SQL over content row `a`, or "" when it does not apply.
std::string group_sql(Backend backend, std::string_view g) {
    if (g == "platform") return "a.f_platform";
    if (g == "region" || g == "store") return sql_upper_hex(backend, std::string("a.f_").append(g));
    if (g == "month") return sql_utc_month(backend, "a.f_published_at");
    if (g == "tier")
        return "(SELECT t.f_tier FROM k_influencer t WHERE t.eid=a.f_influencer AND t.created IS "
               "NOT NULL AND t.deleted IS NULL)";
    return "";
}

bool group_applies(std::string_view g) {
    return g == "platform" || g == "region" || g == "store" || g == "month" || g == "tier";
}

// The group_by dimension's value of a post's columns row, as group_sql's SQL gives it ("" for
// none): its platform, its region's or store's id in capital hex, its UTC month, its person's
// tier (a visible person's; read once for all).
Result<std::function<std::string(std::size_t)>> group_of_columns(const Ctx& c,
                                                                 const EntryColumns& p) {
    using Cols = EntryColumns;
    const std::string& g = c.q.group_by;
    auto id_hex = [&p](std::uint32_t n) { return n == Cols::kNone ? "" : hex_of(p.id(n)); };
    if (g == "platform")
        return std::function<std::string(std::size_t)>([&p](std::size_t r) {
            const std::uint32_t n = p.texts[kPlatform][r];
            return n == Cols::kNone ? std::string() : p.text(n);
        });
    if (g == "region")
        return std::function<std::string(std::size_t)>(
            [&p, id_hex](std::size_t r) { return id_hex(p.region[r]); });
    if (g == "store")
        return std::function<std::string(std::size_t)>(
            [&p, id_hex](std::size_t r) { return id_hex(p.store[r]); });
    if (g == "month")
        return std::function<std::string(std::size_t)>(
            [&p](std::size_t r) { return utc_month(p.at[r]); });
    if (g != "tier") return std::function<std::string(std::size_t)>();
    auto tiers = std::make_shared<std::unordered_map<std::uint32_t, std::string>>();
    LIAISON_TRY(c.each("SELECT t.eid, t.f_tier FROM k_influencer t WHERE " + Ctx::visible("t") +
                           " AND t.f_tier IS NOT NULL",
                       [&](Statement& r) {
                           if (auto id = id_at(r, 0))
                               if (auto n = p.number(*id)) (*tiers)[*n] = r.column_text(1);
                       }));
    return std::function<std::string(std::size_t)>([&p, tiers](std::size_t r) {
        auto it = tiers->find(p.parent[r]);
        return it == tiers->end() ? std::string() : it->second;
    });
}

// The tracked set (sov.tracked_set/1): every brand, competitor or own, in `market` when one is
// asked (a brand without markets is in every market). Sorted by name, then id.
Result<std::vector<Brand>> tracked_set(const Ctx& c) {
    std::string sql = "SELECT b.eid, b.f_name, COALESCE(b.f_competitor,0) FROM k_brand b WHERE " +
                      Ctx::visible("b");
    if (!c.q.market.empty()) {
        const std::string markets = std::to_string(kind_def(Kind::kBrand).set_index("markets"));
        // q.market is checked as a country code (two capital letters) by run_report.
        sql += " AND (NOT EXISTS(SELECT 1 FROM sdot s WHERE s.eid=b.eid AND s.sidx=" + markets +
               " AND s.removed=0) OR EXISTS(SELECT 1 FROM sdot s WHERE s.eid=b.eid AND s.sidx=" +
               markets + " AND s.removed=0 AND s.elem='" + c.q.market + "'))";
    }
    std::vector<Brand> out;
    auto ok = c.each(sql, [&](Statement& r) {
        if (auto id = id_at(r, 0)) out.push_back({*id, r.column_text(1), r.column_int(2) != 0});
    });
    if (!ok.is_ok()) return ok;
    std::sort(out.begin(), out.end(), [](const Brand& a, const Brand& b) {
        return a.name != b.name ? a.name < b.name : a.id < b.id;
    });
    return out;
}

// The content predicate: visible, in the caller's scope, in the period, and the programme,
// campaign, region and store filters. Not the brand filter: a share is relative to the whole
// set, so the brand filter keeps that brand's rows in the tables instead (docs/METRICS.md).
std::string content_where(const Ctx& c) {
    return c.rows(Kind::kContent, "a", false) + " AND " + c.in_period_ms("a", "published_at");
}

// Reads the period's posts once — one row each, with the brands its `brands_mentioned` set
// names — and sums them per level, dimension value and brand of the set. The people are counted
// distinct per sum (a bitmap each). Aggregated here rather than by GROUP BY: SQL would sort the
// (post, brand) pairs once per level and per distinct count, several times the cost of reading
// them (docs/PERFORMANCE.md). On the server the posts come from the report cache's columns
// (reports/entry_columns.hpp), the same rows content_where keeps.
Status sums(const Ctx& c, const std::vector<Brand>& set, std::map<Key, Sums>& out) {
    std::vector<Id128> ids;
    for (const auto& b : set) ids.push_back(b.id);
    const BrandIndex brands(ids);

    // One sum per brand of the set, and one (the last) for the set as a whole. People are
    // numbered; each sum marks the numbers it has seen in a bitmap.
    struct Agg {
        Sums s;
        std::vector<std::uint64_t> seen;
        void see(std::uint32_t person) {
            const std::size_t word = person >> 6;
            if (seen.size() <= word) seen.resize(std::max(word + 1, seen.size() * 2));
            const std::uint64_t bit = std::uint64_t(1) << (person & 63);
            if (!(seen[word] & bit)) ++s.k[1];
            seen[word] |= bit;
        }
    };
    std::map<std::pair<int, std::string>, std::vector<Agg>> aggs;
    auto level = [&](int lvl, const std::string& dim) -> std::vector<Agg>& {
        auto& v = aggs[{lvl, dim}];
        if (v.empty()) v.resize(set.size() + 1);
        return v;
    };
    std::vector<Agg>* all = &level(kAll, "");
    std::vector<Agg>* paid[2] = {&level(kPaid, "0"), &level(kPaid, "1")};
    const bool grouped = group_applies(c.q.group_by);
    // One post: its person's number (nullopt: none), metrics, tone, whether paid, its value of
    // the group_by dimension, and the brands of the set it names (not empty).
    auto take = [&](std::optional<std::uint32_t> who, const std::int64_t(&k)[kSovMetricCount],
                    std::string_view tone, bool is_paid, const std::string& dim,
                    const std::vector<std::size_t>& named) {
        auto add = [&](Agg& a) {
            for (std::size_t i = 0; i < kSovMetricCount; ++i)
                if (i != 1) a.s.k[i] += k[i];
            a.s.positive += tone == "positive";
            a.s.neutral += tone == "neutral";
            a.s.negative += tone == "negative";
            if (who) a.see(*who);
        };
        std::vector<Agg>* levels[3] = {all, paid[is_paid ? 1 : 0], nullptr};
        if (grouped) levels[2] = &level(kGroup, dim);
        for (auto* v : levels) {
            if (!v) continue;
            add(v->back());
            for (std::size_t i : named) add((*v)[i]);
        }
    };

    std::vector<std::size_t> named;  // the brands of the set a post names
    if (c.posts) {
        const EntryColumns& p = *c.posts;
        using Cols = EntryColumns;
        const BrandIndex::OverColumns over(brands, p);
        auto dim = group_of_columns(c, p);
        if (!dim) return dim.status();
        EntryFilter keeps(c, p);
        keeps.ignore_brand();
        std::string none;
        LIAISON_TRY(each_kept(keeps, p, [&](std::size_t r) {
            over.named(r, named);
            if (named.empty()) return;  // mentions no brand of the set
            const std::int64_t k[kSovMetricCount] = {1, 0, post_engagements(p, r),
                                                     Cols::or0(p.ints[kReach][r]),
                                                     Cols::or0(p.ints[kVideoViews][r])};
            const std::uint32_t tone = p.texts[kTone][r], who = p.parent[r];
            take(who == Cols::kNone ? std::nullopt : std::optional<std::uint32_t>(who), k,
                 tone == Cols::kNone ? std::string_view() : std::string_view(p.text(tone)),
                 p.refs[kCollaboration][r] != Cols::kNone, grouped ? dim.value()(r) : none, named);
        }));
    } else {
        const std::string g = group_sql(c.store.db().backend(), c.q.group_by);
        const std::string sql =
            "SELECT a.f_influencer, " + std::string(kEngagements) +
            ", COALESCE(a.f_reach,0), COALESCE(a.f_video_views,0), COALESCE(a.f_tone,''), "
            "a.f_collaboration IS NOT NULL, " +
            (g.empty() ? std::string("''") : "COALESCE(" + g + ",'')") + BrandIndex::sql("a") +
            " FROM k_content a WHERE " + content_where(c);
        std::unordered_map<Id128, std::uint32_t, Id128Hash> people;
        LIAISON_TRY(c.each(sql, [&](Statement& r) {
            brands.named(r, 7, named);
            if (named.empty()) return;  // mentions no brand of the set
            std::optional<std::uint32_t> who;
            if (auto id = id_at(r, 0))
                who = people.try_emplace(*id, std::uint32_t(people.size())).first->second;
            const std::int64_t k[kSovMetricCount] = {1, 0, r.column_int(1), r.column_int(2),
                                                     r.column_int(3)};
            take(who, k, r.column_text_view(4), r.column_int(5) != 0, r.column_text(6), named);
        }));
    }
    for (auto& [key, v] : aggs)
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v[i].s.k[0] == 0) continue;
            out[{key.first, key.second, i < set.size() ? hex_of(set[i].id) : ""}] = v[i].s;
        }
    return Status::ok();
}

// The columns of a share table after its label columns: each metric's volume and share.
void share_columns(Table& t, Report& out) {
    const std::string cv = caveat(out, "tracked_set");
    for (std::size_t i = 0; i < kSovMetricCount; ++i) {
        const std::string k(kSovMetrics[i]), label(kMetricLabels[i]);
        t.columns.push_back({k, label, "count", "sov.volume/1", cv});
        t.columns.push_back({k + "_share", label + " share", "percent", "sov.share/1", cv});
    }
}

void share_cells(std::vector<Cell>& row, const Sums& b, const Sums& total) {
    for (std::size_t i = 0; i < kSovMetricCount; ++i) {
        row.push_back(Cell::integer(b.k[i]));
        row.push_back(percent(double(b.k[i]), double(total.k[i])));
    }
}

constexpr const char* kSetRow = "(tracked set)";

// One share table over the posts of one dimension value (`dim`) at `lvl`.
Table share_table(std::string id, std::string title, int lvl, const std::string& dim,
                  const std::vector<Brand>& set, const std::map<Key, Sums>& sums, const Ctx& c,
                  Report& out) {
    Table t;
    t.id = std::move(id);
    t.title = std::move(title);
    t.chart = "bar";
    t.columns = {{"brand", "Brand", "text", "", ""}, {"competitor", "Competitor", "text", "", ""}};
    share_columns(t, out);
    auto find = [&](const std::string& b) {
        auto it = sums.find({lvl, dim, b});
        return it == sums.end() ? Sums{} : it->second;
    };
    const Sums total = find("");
    for (const auto& b : set) {
        if (c.q.brand && *c.q.brand != b.id) continue;
        std::vector<Cell> row = {Cell::str(b.name), Cell::str(b.competitor ? "yes" : "no")};
        share_cells(row, find(hex_of(b.id)), total);
        t.rows.push_back(std::move(row));
    }
    std::vector<Cell> row = {Cell::str(kSetRow), Cell::str("")};
    share_cells(row, total, total);
    t.rows.push_back(std::move(row));
    return t;
}

// Region and store names for the by_region / by_store labels.
std::map<std::string, std::string> place_names(const Ctx& c, Kind kind) {
    std::map<std::string, std::string> out;
    auto ok = c.each("SELECT " + sql_upper_hex(c.store.db().backend(), "eid") + ", f_name FROM " +
                         table_name(kind),
                     [&](Statement& r) { out[r.column_text(0)] = r.column_text(1); });
    (void)ok;  // a label falls back to the id
    return out;
}

}  // namespace

Status share_of_voice(Ctx& c, Report& out) {
    out.title = "Share of voice";
    auto set_or = tracked_set(c);
    if (!set_or) return set_or.status();
    const auto set = std::move(set_or).value();
    std::map<Key, Sums> totals;
    if (!set.empty())
        LIAISON_TRY(sums(c, set, totals));
    else
        out.notes.push_back("the tracked set is empty: no brand" +
                            (c.q.market.empty() ? std::string() : " in market " + c.q.market));
    if (c.q.brand &&
        std::none_of(set.begin(), set.end(), [&](const Brand& b) { return b.id == *c.q.brand; }))
        out.notes.push_back("the brand asked for is not in the tracked set");

    // The set itself: which brands the shares are relative to.
    {
        Table t;
        t.id = "tracked_set";
        t.title = "The tracked set";
        t.columns = {{"brand", "Brand", "text", "", ""},
                     {"competitor", "Competitor", "text", "", ""}};
        for (const auto& b : set)
            t.rows.push_back({Cell::str(b.name), Cell::str(b.competitor ? "yes" : "no")});
        out.tables.push_back(std::move(t));
    }
    out.tables.push_back(
        share_table("share_of_voice", "Share of voice", kAll, "", set, totals, c, out));
    out.tables.push_back(share_table("paid",
                                     "Share of voice in paid content (made for a "
                                     "collaboration)",
                                     kPaid, "1", set, totals, c, out));
    out.tables.push_back(share_table("organic", "Share of voice in organic content", kPaid, "0",
                                     set, totals, c, out));

    // Mentions and net tone.
    {
        Table t;
        t.id = "tone";
        t.title = "Mentions and net tone";
        t.chart = "bar";
        const std::string cv = caveat(out, "tracked_set");
        t.columns = {{"brand", "Brand", "text", "", ""},
                     {"mentions", "Mentions", "count", "sov.mentions/1", cv},
                     {"positive", "Positive", "count", "sov.mentions/1", cv},
                     {"neutral", "Neutral", "count", "sov.mentions/1", cv},
                     {"negative", "Negative", "count", "sov.mentions/1", cv},
                     {"unrated", "Unrated", "count", "sov.mentions/1", cv},
                     {"net_tone", "Net tone", "ratio", "sov.net_tone/1", cv}};
        auto row = [&](const std::string& label, const Sums& s) {
            const std::int64_t n = s.k[0];
            t.rows.push_back({Cell::str(label), Cell::integer(n), Cell::integer(s.positive),
                              Cell::integer(s.neutral), Cell::integer(s.negative),
                              Cell::integer(n - s.positive - s.neutral - s.negative),
                              ratio(double(s.positive - s.negative), double(n))});
        };
        for (const auto& b : set) {
            if (c.q.brand && *c.q.brand != b.id) continue;
            auto it = totals.find({kAll, "", hex_of(b.id)});
            row(b.name, it == totals.end() ? Sums{} : it->second);
        }
        auto it = totals.find({kAll, "", ""});
        row(kSetRow, it == totals.end() ? Sums{} : it->second);
        out.tables.push_back(std::move(t));
    }

    // The breakdown: for each dimension value, each brand mentioned there and the set's total.
    const auto& g = c.q.group_by;
    if (!g.empty() && group_sql(c.store.db().backend(), g).empty()) {
        out.notes.push_back("group_by=" + g +
                            " does not apply to share of voice (platform, "
                            "region, store, month and tier do)");
    } else if (!g.empty()) {
        std::map<std::string, std::string> names;
        if (g == "region") names = place_names(c, Kind::kRegion);
        if (g == "store") names = place_names(c, Kind::kStore);
        std::set<std::string> dims;
        for (const auto& [key, s] : totals)
            if (std::get<0>(key) == kGroup) dims.insert(std::get<1>(key));
        auto label = [&](const std::string& d) {
            if (d.empty()) return std::string("(none)");
            auto it = names.find(d);
            return it == names.end() ? d : it->second;
        };
        std::vector<std::pair<std::string, std::string>> order;  // (label, dim)
        for (const auto& d : dims) order.push_back({label(d), d});
        std::sort(order.begin(), order.end());
        Table t;
        t.id = "by_" + g;
        t.title = "Share of voice by " + g;
        const std::string dim_label = g == "month"    ? "Month"
                                      : g == "tier"   ? "Tier"
                                      : g == "region" ? "Region"
                                      : g == "store"  ? "Store"
                                                      : "Platform";
        t.columns = {{g, dim_label, "text", "", ""}, {"brand", "Brand", "text", "", ""}};
        share_columns(t, out);
        for (const auto& [name, d] : order) {
            const Sums& total = totals.at({kGroup, d, ""});
            for (const auto& b : set) {
                if (c.q.brand && *c.q.brand != b.id) continue;
                auto it = totals.find({kGroup, d, hex_of(b.id)});
                if (it == totals.end()) continue;  // only the brands mentioned there
                std::vector<Cell> row = {Cell::str(name), Cell::str(b.name)};
                share_cells(row, it->second, total);
                t.rows.push_back(std::move(row));
            }
            std::vector<Cell> row = {Cell::str(name), Cell::str(kSetRow)};
            share_cells(row, total, total);
            t.rows.push_back(std::move(row));
        }
        out.tables.push_back(std::move(t));
    }
    return Status::ok();
}

}  // namespace liaison::core::reports
