// The central team's reports, natively (docs/METRICS.md, core/query/reports.hpp), over a central
// record of a large company, against the simplest correct hand-written SQL computing the same
// main figures over the same file and indexes in the same run.
//
//  1. The record: N people, M contacts, P posts (a share mentioning competitors), K clicks (a
//     share with visitor ids), V conversions (by link or promo code, a share with the visitor of
//     an earlier click), campaigns, programmes, collaborations with their steps, links, events
//     and check-ins in proportion, daily EUR→GBP rates, a rate card and the report settings,
//     every scope key filled as the devices and the server fill them (a person's region and
//     store on her entries; a campaign's on its links' clicks and conversions), all written
//     through the hub's operation path into one file-backed store.
//  2. Each case of the table below (a report and its query) runs `--rounds` times through
//     core::run_report; its hand SQL runs as many times over the same file through a plain
//     SQLite connection. p95 per case; the hand SQL's figures must equal the report's (the
//     bench fails if not). A report not built on this branch (its code answers "not built
//     yet") is skipped and said so.
// Ends with: RESULT reports p95_ms=<worst case p95> vs_sql=<worst ratio of p95s>
//            browser_p95_ms=<--browser-p95, or na>
// (scripts/bench runs `node bench/web/reports.mjs` first, when it is there, and passes its
// browser_p95_ms on).
// Options: --people N (100000) --contacts M (1000000) --posts P (200000) --clicks K (1000000)
//          --conversions V (50000) --rounds R (20) --browser-p95 X --reuse FILE (a record an
//          earlier run kept with REPORTS_BENCH_KEEP=1: its sizes are what it was written with).
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "core/query/reports.hpp"
#include "core/query/reports/context.hpp"
#include "core/query/reports/entry_columns.hpp"
#include "core/storage/store.hpp"
#include "sync/hub.hpp"

namespace {

using liaison::bench::Clock;
using liaison::bench::die;
using liaison::bench::ms_since;
using liaison::bench::must;
using liaison::core::Cell;
using liaison::core::Id128;
using liaison::core::Kind;
using liaison::core::Report;
using liaison::core::ReportQuery;
using liaison::sync::FieldWrite;
using liaison::sync::Op;
using liaison::sync::OpType;

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kYear = 1'767'225'600'000;  // 2026-01-01T00:00Z: everything is in 2026
constexpr int kRegions = 10, kStoresPerRegion = 10, kProgrammes = 20, kCampaignsPer = 10;
constexpr int kStaff = 200, kOwnBrands = 3, kCompetitors = 5;
const char* kTiers[] = {"top", "expert", "employee", "advocate", "prospect"};
const char* kPlatforms[] = {"instagram", "tiktok", "youtube"};
const char* kTouchpoints[] = {"store", "event", "email", "social", "phone", "gifting"};
const char* kDepartments[] = {"pr", "social", "marketing", "retail", "events"};
const char* kTones[] = {"positive", "neutral", "negative"};
const char* kTypes[] = {"paid", "gifted", "loan", "affiliate", "seeding"};

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p / 100.0 * double(v.size())))];
}

std::string blob(const Id128& id) { return liaison::core::reports::blob(id); }
std::string date_of(std::int64_t ms) { return liaison::core::reports::date_of_days(ms / kDay); }

// ---- What the report says ---------------------------------------------------------------

const liaison::core::Table* find_table(const Report& r, const std::string& id) {
    for (const auto& t : r.tables)
        if (t.id == id) return &t;
    return nullptr;
}

// The cell of table `table` in the first row whose first cells are `keys` (in order), column
// `column`; dies naming what it did not find (an entry to finish once the report lands).
const Cell& cell(const Report& r, const std::string& table, std::vector<std::string> keys,
                 const std::string& column) {
    const auto* t = find_table(r, table);
    if (!t) die(r.report + ": no table \"" + table + "\" (finish this case's figures)");
    std::size_t col = t->columns.size();
    for (std::size_t i = 0; i < t->columns.size(); ++i)
        if (t->columns[i].id == column) col = i;
    if (col == t->columns.size())
        die(r.report + "." + table + ": no column \"" + column + "\" (finish this case's figures)");
    for (const auto& row : t->rows) {
        bool match = true;
        for (std::size_t k = 0; k < keys.size(); ++k)
            if (row[k].type != Cell::Type::kText || row[k].text != keys[k]) match = false;
        if (match) return row[col];
    }
    static const Cell none = Cell::null();
    return none;  // no row: the figure is absent (0 for a count)
}
std::int64_t num(const Cell& c) { return c.type == Cell::Type::kNull ? 0 : c.n; }

// ---- The cases --------------------------------------------------------------------------

struct Case {
    std::string name;  // what is timed, as printed
    ReportQuery query;
    std::string sql;  // the hand SQL: one statement, one row of integers
    // The same figures, from the report, in the SQL's column order.
    std::function<std::vector<std::int64_t>(const Report&)> figures;
};

// The record's names, for the cases.
struct Record {
    std::vector<Id128> regions, stores, staff, brands, programmes, campaigns, people;
    std::vector<std::string> brand_names, campaign_names;
    int store_region(int s) const { return s / kStoresPerRegion; }
};

// amec's main figures, by hand: contacts and people contacted, collaborations under way, posts,
// impressions, reach, video views, engagements, clicks, conversions and revenue in EUR.
// `filter(alias)` is the query's programme/campaign/region filter over an entry.
Case amec_case(const std::string& name, ReportQuery q, const std::string& filter_column,
               const std::string& filter_value) {
    auto filter = [&](const std::string& a) {
        if (filter_column.empty()) return std::string("1");
        if (filter_column == "programme")
            return a +
                   ".f_campaign IN (SELECT eid FROM k_campaign WHERE f_programme=" + filter_value +
                   ")";
        return a + ".f_" + filter_column + "=" + filter_value;
    };
    auto period = [&](const std::string& a, const char* field) {
        std::string out;
        if (!q.from.empty())
            out += " AND " + a + ".f_" + field +
                   ">=" + std::to_string(liaison::core::reports::days_of(q.from) * kDay);
        if (!q.to.empty())
            out += " AND " + a + ".f_" + field + "<" +
                   std::to_string((liaison::core::reports::days_of(q.to) + 1) * kDay);
        return out;
    };
    auto live = [&](const std::string& a) {
        return a + ".created IS NOT NULL AND " + a + ".deleted IS NULL AND " + filter(a);
    };
    std::string collab = live("k") + " AND k.f_status IS NOT 'cancelled'";
    if (!q.to.empty()) collab += " AND (k.f_starts IS NULL OR k.f_starts<='" + q.to + "')";
    if (!q.from.empty()) collab += " AND (k.f_ends IS NULL OR k.f_ends>='" + q.from + "')";
    Case c;
    c.name = name;
    c.query = q;
    // The contacts' people, read once (materialised): the contacts, the people and, with a
    // period, those retained.
    c.sql =
        "WITH m AS MATERIALIZED (SELECT a.f_influencer w FROM k_interaction a WHERE " + live("a") +
        period("a", "at") +
        "),\n"
        " i AS (SELECT count(*) n, count(DISTINCT w) p FROM m),\n"
        " k AS (SELECT count(*) n FROM k_collaboration k WHERE " +
        collab +
        "),\n"
        " c AS (SELECT count(*) n, COALESCE(sum(a.f_impressions),0) imp, "
        "COALESCE(sum(a.f_reach),0) reach, COALESCE(sum(a.f_video_views),0) vv, "
        "COALESCE(sum(COALESCE(a.f_engagements, COALESCE(a.f_likes,0)+COALESCE(a.f_comments,0)"
        "+COALESCE(a.f_shares,0)+COALESCE(a.f_saves,0))),0) eng FROM k_content a WHERE " +
        live("a") + period("a", "published_at") +
        "),\n"
        " l AS (SELECT count(*) n FROM k_click a WHERE " +
        live("a") + period("a", "at") +
        "),\n"
        " o AS (SELECT count(*) n, COALESCE(sum(CASE WHEN a.f_currency='EUR' THEN a.f_value END),0)"
        " eur FROM k_conversion a WHERE " +
        live("a") + period("a", "at") + ")";
    // Relationships retained, with a period: the people contacted in it who were contacted
    // (anywhere) in the year before it.
    const bool retained = !q.from.empty();
    if (retained) {
        const std::int64_t from = liaison::core::reports::days_of(q.from) * kDay;
        c.sql +=
            ",\n r AS (SELECT count(*) n FROM (SELECT DISTINCT w FROM m) x WHERE EXISTS(SELECT 1 "
            "FROM k_interaction b WHERE b.f_influencer=x.w AND "
            "b.created IS NOT NULL AND b.deleted IS NULL AND b.f_at>=" +
            std::to_string(from - 365 * kDay) + " AND b.f_at<" + std::to_string(from) + "))";
    }
    c.sql +=
        std::string("\nSELECT i.n, i.p, k.n, c.n, c.imp, c.reach, c.vv, c.eng, l.n, o.n, o.eur") +
        (retained ? ", r.n FROM i, k, c, l, o, r" : " FROM i, k, c, l, o");
    c.figures = [retained](const Report& r) {
        auto v = [&](const char* table, const char* metric) {
            return num(cell(r, table, {metric}, "value"));
        };
        // Money rows carry their currency in the fourth column; find the EUR revenue row.
        std::int64_t eur = 0;
        if (const auto* t = find_table(r, "outcomes"))
            for (const auto& row : t->rows)
                if (row[0].text == "revenue" && row[3].text == "EUR") eur = num(row[1]);
        std::vector<std::int64_t> out = {v("activities", "contacts"),
                                         v("inputs", "people_contacted"),
                                         v("activities", "collaborations"),
                                         v("outputs", "posts"),
                                         v("outputs", "impressions"),
                                         v("outputs", "reach"),
                                         v("outputs", "video_views"),
                                         v("outtakes", "engagements"),
                                         v("outtakes", "clicks"),
                                         v("outcomes", "conversions"),
                                         eur};
        if (retained) out.push_back(v("impact", "relationships_retained"));
        return out;
    };
    return c;
}

// The visible content in the period that mentions brand `i` (its `brand`, or brands_mentioned).
std::string mentions(const Record& rec, std::size_t i, int set_index, const std::string& where) {
    return "(SELECT count(*) FROM k_content a WHERE " + where +
           " AND (a.f_brand=" + blob(rec.brands[i]) +
           " OR EXISTS(SELECT 1 FROM sdot s WHERE s.eid=a.eid AND s.sidx=" +
           std::to_string(set_index) + " AND s.elem='" + rec.brands[i].to_text() +
           "' AND s.removed=0)))";
}

std::vector<Case> cases(const Record& rec, std::int64_t now_ms) {
    std::vector<Case> out;
    auto q = [&](const char* report) {
        ReportQuery r;
        r.report = report;
        r.now_ms = now_ms;
        return r;
    };
    auto year = [&](ReportQuery r) {
        r.from = "2026-01-01";
        r.to = "2026-12-31";
        return r;
    };
    {
        auto r = year(q("amec"));
        r.campaign = rec.campaigns[0];
        out.push_back(amec_case("amec campaign", r, "campaign", blob(rec.campaigns[0])));
        r = year(q("amec"));
        r.programme = rec.programmes[0];
        out.push_back(amec_case("amec programme", r, "programme", blob(rec.programmes[0])));
        r = q("amec");
        r.region = rec.regions[0];
        r.from = "2026-03-01";
        r.to = "2026-03-31";
        out.push_back(amec_case("amec region+March", r, "region", blob(rec.regions[0])));
        out.push_back(amec_case("amec whole record", q("amec"), "", ""));
    }
    {
        // AMEC's breakdown by month over the year: per month, the contacts, posts, clicks and
        // conversions. The hand SQL reads each log once and sums per month, one column each.
        Case c;
        c.name = "amec by month";
        c.query = year(q("amec"));
        c.query.group_by = "month";
        // The months' first instants, 2026-01 … 2027-01 (days since the epoch per month).
        std::vector<std::int64_t> starts;
        for (int m = 1; m <= 13; ++m)
            starts.push_back(
                liaison::core::reports::days_of(m <= 12 ? "2026-" + std::string(m < 10 ? "0" : "") +
                                                              std::to_string(m) + "-01"
                                                        : std::string("2027-01-01")) *
                kDay);
        auto per_month = [&](const char* table, const char* time) {
            std::string sql = "(SELECT ";
            for (int m = 0; m < 12; ++m)
                sql += std::string(m ? ", " : "") + "sum(CASE WHEN a.f_" + time +
                       ">=" + std::to_string(starts[m]) + " AND a.f_" + time + "<" +
                       std::to_string(starts[m + 1]) + " THEN 1 ELSE 0 END) m" + std::to_string(m);
            return sql + " FROM " + table + " a WHERE a.created IS NOT NULL AND a.deleted IS NULL)";
        };
        c.sql = "WITH i AS " + per_month("k_interaction", "at") + ",\n p AS " +
                per_month("k_content", "published_at") + ",\n l AS " + per_month("k_click", "at") +
                ",\n o AS " + per_month("k_conversion", "at") + "\nSELECT ";
        for (int m = 0; m < 12; ++m)
            for (const char* t : {"i", "p", "l", "o"})
                c.sql += std::string(m || *t != 'i' ? ", " : "") + t + ".m" + std::to_string(m);
        c.sql += " FROM i, p, l, o";
        c.figures = [](const Report& r) {
            std::vector<std::int64_t> v;
            for (int m = 1; m <= 12; ++m) {
                const std::string month =
                    "2026-" + std::string(m < 10 ? "0" : "") + std::to_string(m);
                for (const char* col : {"contacts", "posts", "clicks", "conversions"})
                    v.push_back(num(cell(r, "by_month", {month}, col)));
            }
            return v;
        };
        out.push_back(std::move(c));
    }
    const std::string year_where =
        "a.created IS NOT NULL AND a.deleted IS NULL AND "
        "a.f_published_at>=" +
        std::to_string(kYear) + " AND a.f_published_at<" + std::to_string(kYear + 365 * kDay);
    const int set_index = liaison::core::kind_def(Kind::kContent).set_index("brands_mentioned");
    {
        // Share of voice: posts mentioning each brand of the tracked set (every brand, own and
        // competitors, with no market asked), and the posts mentioning any of them.
        Case c;
        c.name = "sov";
        c.query = year(q("sov"));
        c.sql = "SELECT ";
        for (std::size_t i = 0; i < rec.brands.size(); ++i)
            c.sql += mentions(rec, i, set_index, year_where) + ",\n";
        c.sql += "(SELECT count(*) FROM k_content a WHERE " + year_where +
                 " AND (a.f_brand IS NOT NULL OR EXISTS(SELECT 1 FROM sdot s WHERE s.eid=a.eid "
                 "AND s.sidx=" +
                 std::to_string(set_index) + " AND s.removed=0)))";
        c.figures = [&rec](const Report& r) {
            std::vector<std::int64_t> v;
            for (const auto& name : rec.brand_names)
                v.push_back(num(cell(r, "share_of_voice", {name}, "posts")));
            v.push_back(num(cell(r, "share_of_voice", {"(tracked set)"}, "posts")));
            return v;
        };
        out.push_back(std::move(c));
    }
    {
        // The pyramid: per tier, people, posts and engagements in the period.
        Case c;
        c.name = "pyramid";
        c.query = year(q("pyramid"));
        c.sql = "SELECT ";
        for (std::size_t t = 0; t < 5; ++t) {
            const std::string tier = kTiers[t];
            c.sql += std::string(t ? ",\n" : "") +
                     "(SELECT count(*) FROM k_influencer p WHERE p.created IS NOT NULL AND "
                     "p.deleted IS NULL AND p.f_tier='" +
                     tier +
                     "'),"
                     "(SELECT count(*) FROM k_content a JOIN k_influencer p ON p.eid="
                     "a.f_influencer WHERE " +
                     year_where + " AND p.f_tier='" + tier +
                     "'),"
                     "(SELECT COALESCE(sum(COALESCE(a.f_engagements, COALESCE(a.f_likes,0)+"
                     "COALESCE(a.f_comments,0)+COALESCE(a.f_shares,0)+COALESCE(a.f_saves,0))),0) "
                     "FROM k_content a JOIN k_influencer p ON p.eid=a.f_influencer WHERE " +
                     year_where + " AND p.f_tier='" + tier + "')";
        }
        c.figures = [](const Report& r) {
            std::vector<std::int64_t> v;
            for (const char* t : kTiers)
                for (const char* col : {"people", "posts", "engagements"})
                    v.push_back(num(cell(r, "tiers", {t}, col)));
            return v;
        };
        out.push_back(std::move(c));
    }
    {
        // EMV (the plan), emv_enabled: per platform, Σ over the rate card's lines of value ×
        // metric (÷1000 for impressions, reach and video views), in EUR minor units rounded
        // once per platform.
        Case c;
        c.name = "emv";
        c.query = year(q("emv"));
        c.sql = "SELECT ";
        for (std::size_t p = 0; p < 3; ++p) {
            const std::string plat = kPlatforms[p];
            auto rate = [&](const char* metric) {
                return "(SELECT f_value FROM k_rate_card WHERE created IS NOT NULL AND deleted IS "
                       "NULL AND f_platform='" +
                       plat + "' AND f_metric='" + metric + "' ORDER BY f_valid_from DESC LIMIT 1)";
            };
            c.sql += std::string(p ? ",\n" : "") +
                     "(SELECT CAST(round(COALESCE(sum(COALESCE(a.f_impressions,0)*" +
                     rate("impressions") + "/1000.0 + COALESCE(a.f_reach,0)*" + rate("reach") +
                     "/1000.0 + COALESCE(a.f_video_views,0)*" + rate("video_views") +
                     "/1000.0 + COALESCE(a.f_likes,0)*" + rate("likes") +
                     " + COALESCE(a.f_comments,0)*" + rate("comments") +
                     " + COALESCE(a.f_shares,0)*" + rate("shares") +
                     "),0)) AS INTEGER) FROM k_content a WHERE " + year_where +
                     " AND a.f_platform='" + plat + "')";
        }
        c.figures = [](const Report& r) {
            std::vector<std::int64_t> v;
            for (const char* p : kPlatforms) v.push_back(num(cell(r, "by_platform", {p}, "emv")));
            return v;
        };
        out.push_back(std::move(c));
    }
    {
        // Attribution for a campaign, last click (window 30 days): a conversion's last click
        // of the same visitor within the window names the campaign of its link; without such a
        // journey its link's campaign, else its promo code's collaboration's. Conversions and
        // EUR revenue credited to the campaign.
        Case c;
        c.name = "attribution campaign";
        c.query = year(q("attribution"));
        c.query.campaign = rec.campaigns[0];
        const std::string w = std::to_string(30 * kDay);
        c.sql =
            "WITH conv AS (SELECT a.f_value v, a.f_currency cur, COALESCE("
            "(SELECT l.f_campaign FROM k_click k JOIN k_tracked_link l ON l.eid=k.f_link WHERE "
            "a.f_visitor IS NOT NULL AND k.f_visitor=a.f_visitor AND k.created IS NOT NULL AND "
            "k.deleted IS NULL AND k.f_at<=a.f_at AND k.f_at>=a.f_at-" +
            w +
            " ORDER BY k.f_at DESC, k.eid DESC LIMIT 1),"
            "(SELECT l.f_campaign FROM k_tracked_link l WHERE l.eid=a.f_link),"
            "(SELECT k.f_campaign FROM k_collaboration k WHERE a.f_link IS NULL AND "
            "k.f_promo_code=a.f_promo_code AND k.created IS NOT NULL AND k.deleted IS NULL "
            "ORDER BY k.eid LIMIT 1)) camp FROM k_conversion a WHERE a.created IS NOT NULL AND "
            "a.deleted IS NULL AND a.f_at>=" +
            std::to_string(kYear) + " AND a.f_at<" + std::to_string(kYear + 365 * kDay) +
            ")\n"
            "SELECT count(*), COALESCE(sum(CASE WHEN cur='EUR' THEN v END),0) FROM conv "
            "WHERE camp=" +
            blob(rec.campaigns[0]);
        const std::string name = rec.campaign_names[0];
        c.figures = [name](const Report& r) {
            // Conversions credited are fixed (four decimals): whole conversions under last click.
            const Cell& n = cell(r, "conversions_by_campaign", {name}, "last_click");
            return std::vector<std::int64_t>{
                n.type == Cell::Type::kFixed ? n.n / 10000 : num(n),
                num(cell(r, "revenue_by_campaign", {name, "EUR"}, "last_click"))};
        };
        out.push_back(std::move(c));
    }
    {
        // Relationship health for a region: per tier, the people, those with an owner and those
        // never contacted in the region (the contacts read as the report reads them).
        Case c;
        c.name = "health region";
        c.query = q("health");
        c.query.region = rec.regions[0];
        c.query.to = "2026-12-31";
        c.sql = "SELECT ";
        for (std::size_t t = 0; t < 5; ++t)
            c.sql += std::string(t ? ",\n" : "") +
                     "(SELECT count(*) FROM k_influencer p WHERE p.created IS NOT NULL AND "
                     "p.deleted IS NULL AND p.f_region=" +
                     blob(rec.regions[0]) + " AND p.f_tier='" + kTiers[t] +
                     "'),"
                     "(SELECT count(*) FROM k_influencer p WHERE p.created IS NOT NULL AND "
                     "p.deleted IS NULL AND p.f_region=" +
                     blob(rec.regions[0]) + " AND p.f_tier='" + kTiers[t] +
                     "' AND p.f_owner IS NOT NULL),"
                     // Never contacted in the region before the end of 2026.
                     "(SELECT count(*) FROM k_influencer p WHERE p.created IS NOT NULL AND "
                     "p.deleted IS NULL AND p.f_region=" +
                     blob(rec.regions[0]) + " AND p.f_tier='" + kTiers[t] +
                     "' AND NOT EXISTS(SELECT 1 FROM k_interaction b WHERE b.f_influencer=p.eid "
                     "AND b.created IS NOT NULL AND b.deleted IS NULL AND b.f_region=" +
                     blob(rec.regions[0]) + " AND b.f_at<" + std::to_string(kYear + 365 * kDay) +
                     "))";
        c.figures = [](const Report& r) {
            std::vector<std::int64_t> v;
            for (const char* t : kTiers) {
                v.push_back(num(cell(r, "by_tier", {t}, "people")));
                v.push_back(num(cell(r, "by_tier", {t}, "owned")));
                v.push_back(num(cell(r, "by_tier", {t}, "never_contacted")));
            }
            return v;
        };
        out.push_back(std::move(c));
    }
    return out;
}

// ---- The record -------------------------------------------------------------------------

struct Sizes {
    std::size_t people = 100000, contacts = 1000000, posts = 200000, clicks = 1000000,
                conversions = 50000, rounds = 20;
};

Record generate(liaison::core::Store& store, const Sizes& n) {
    liaison::sync::ManualTimeSource time(std::uint64_t(kYear + 400 * kDay));
    auto ids = liaison::core::make_seeded_id_source(18);
    liaison::sync::Hub hub(store, time);
    liaison::sync::DeviceContext office;
    office.replica = ids->next_replica_id();
    office.role = liaison::sync::Role::kCentral;
    office.scope = liaison::sync::Scope::everything();
    std::uint64_t s = 18;
    auto next = [&s] {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        return s;
    };
    auto pick = [&](std::size_t m) { return std::size_t(next() % m); };
    // Concentrated: a few people make most of the content (u^4 of a uniform u).
    auto skewed = [&](std::size_t m) {
        const double u = double(next() % 1000000) / 1e6;
        return std::min(m - 1, std::size_t(double(m) * u * u * u * u));
    };
    auto in_year = [&] { return kYear + std::int64_t(next() % std::uint64_t(365 * kDay)); };

    Record rec;
    std::size_t ops = 0;
    auto txn = std::make_unique<liaison::core::WriteTxn>(store);
    must(txn->begun(), "begin");
    auto apply = [&](Op op) {
        op.id = liaison::core::Stamp{hub.clock().send(), office.replica};
        auto r = hub.apply_one(office, std::move(op));
        if (r.outcome == liaison::sync::Outcome::kRejected) die("load rejected: " + r.detail);
        if (++ops % 200000 == 0) {
            must(txn->commit(), "commit");
            txn = std::make_unique<liaison::core::WriteTxn>(store);
            must(txn->begun(), "begin");
        }
    };
    auto create = [&](Kind kind, std::vector<FieldWrite> fields) {
        Op op;
        op.type = OpType::kCreate;
        op.kind = kind;
        op.entity = ids->next_entity_id(time.now_ms());
        op.fields = std::move(fields);
        apply(op);
        time.advance(1);
        return op.entity;
    };
    auto add = [&](Kind kind, const Id128& id, const char* set, std::string elem) {
        Op op;
        op.type = OpType::kAdd;
        op.kind = kind;
        op.entity = id;
        op.set = set;
        op.elem = std::move(elem);
        apply(op);
    };
    using V = liaison::core::Value;
    auto text = [](std::string v) { return V(std::move(v)); };

    // Brands (own, then competitors with their markets), regions, stores, staff.
    for (int b = 0; b < kOwnBrands + kCompetitors; ++b) {
        const bool rival = b >= kOwnBrands;
        std::string name = (rival ? "Rival " : "Maison ") + std::to_string(b);
        std::vector<FieldWrite> f = {{"name", text(name)}};
        if (rival) f.push_back({"competitor", V(std::int64_t(1))});
        rec.brands.push_back(create(Kind::kBrand, std::move(f)));
        rec.brand_names.push_back(name);
        add(Kind::kBrand, rec.brands.back(), "markets", b % 2 ? "GB" : "FR");
    }
    for (int r = 0; r < kRegions; ++r)
        rec.regions.push_back(
            create(Kind::kRegion, {{"name", text("Region " + std::to_string(r))}}));
    for (int st = 0; st < kRegions * kStoresPerRegion; ++st)
        rec.stores.push_back(
            create(Kind::kStore,
                   {{"name", text("Store " + std::to_string(st))},
                    {"region", text(rec.regions[std::size_t(rec.store_region(st))].to_text())},
                    {"brand", text(rec.brands[std::size_t(st % kOwnBrands)].to_text())}}));
    for (int i = 0; i < kStaff; ++i) {
        const int st = i % (kRegions * kStoresPerRegion);
        rec.staff.push_back(
            create(Kind::kStaff,
                   {{"name", text("Staff " + std::to_string(i))},
                    {"region", text(rec.regions[std::size_t(rec.store_region(st))].to_text())},
                    {"store", text(rec.stores[std::size_t(st)].to_text())}}));
    }
    // Report data: settings, a year of daily EUR→GBP rates, a rate card.
    for (auto [key, value] : {std::pair{"emv_enabled", "true"}, {"attribution_window_days", "30"}})
        create(Kind::kSetting, {{"key", text(key)}, {"value", text(value)}});
    for (int d = 0; d < 365; ++d)
        create(Kind::kFxRate, {{"date", text(date_of(kYear + d * kDay))},
                               {"base", text("EUR")},
                               {"quote", text("GBP")},
                               {"rate", V(std::int64_t(850000 + (d % 30) * 1000))}});
    for (const char* p : kPlatforms)
        for (auto [metric, value] : {std::pair{"impressions", 500},
                                     {"reach", 700},
                                     {"video_views", 900},
                                     {"likes", 10},
                                     {"comments", 40},
                                     {"shares", 60}})
            create(Kind::kRateCard, {{"version", text("2026.1")},
                                     {"platform", text(p)},
                                     {"metric", text(metric)},
                                     {"value", V(std::int64_t(value))},
                                     {"currency", text("EUR")},
                                     {"valid_from", text("2026-01-01")}});

    // Programmes and campaigns: each campaign at one store (its region, its brand).
    struct Camp {
        int store;
        std::string currency;
    };
    std::vector<Camp> camps;
    for (int p = 0; p < kProgrammes; ++p) {
        const Id128 brand = rec.brands[std::size_t(p % kOwnBrands)];
        rec.programmes.push_back(
            create(Kind::kProgramme, {{"name", text("Programme " + std::to_string(p))},
                                      {"brand", text(brand.to_text())},
                                      {"budget", V(std::int64_t(5000000 + p * 10000))},
                                      {"currency", text("EUR")},
                                      {"starts", text("2026-01-01")},
                                      {"ends", text("2026-12-31")}}));
        for (int c = 0; c < kCampaignsPer; ++c) {
            const int st = int(pick(std::size_t(kRegions * kStoresPerRegion)));
            const std::string cur = c == 9 ? "GBP" : "EUR";
            const int month = c % 12 + 1;
            char starts[11], ends[11];
            std::snprintf(starts, sizeof starts, "2026-%02d-01", month);
            std::snprintf(ends, sizeof ends, "2026-%02d-28", std::min(12, month + 2));
            const std::string name = "Campaign " + std::to_string(p) + "." + std::to_string(c);
            rec.campaigns.push_back(
                create(Kind::kCampaign,
                       {{"name", text(name)},
                        {"programme", text(rec.programmes.back().to_text())},
                        {"brand", text(brand.to_text())},
                        {"region", text(rec.regions[std::size_t(rec.store_region(st))].to_text())},
                        {"store", text(rec.stores[std::size_t(st)].to_text())},
                        {"budget", V(std::int64_t(500000 + c * 1000))},
                        {"currency", text(cur)},
                        {"starts", text(starts)},
                        {"ends", text(ends)},
                        {"targets", text("outputs.reach=1000000\nouttakes.engagements=50000")}}));
            rec.campaign_names.push_back(name);
            camps.push_back({st, cur});
        }
    }
    auto camp_keys = [&](std::size_t c, std::vector<FieldWrite>& f) {
        const int st = camps[c].store;
        f.push_back({"campaign", text(rec.campaigns[c].to_text())});
        f.push_back({"brand", text(rec.brands[(c / kCampaignsPer) % kOwnBrands].to_text())});
        f.push_back({"region", text(rec.regions[std::size_t(rec.store_region(st))].to_text())});
        f.push_back({"store", text(rec.stores[std::size_t(st)].to_text())});
    };

    // People: a pyramid of tiers, each at a store (and its region), an owner for half.
    struct Person {
        int store;
        const char* tier;
    };
    std::vector<Person> people(n.people);
    for (std::size_t i = 0; i < n.people; ++i) {
        const std::size_t roll = pick(100);
        people[i].tier = roll < 1    ? kTiers[0]
                         : roll < 6  ? kTiers[1]
                         : roll < 10 ? kTiers[2]
                         : roll < 30 ? kTiers[3]
                                     : kTiers[4];
        people[i].store = int(pick(std::size_t(kRegions * kStoresPerRegion)));
        std::vector<FieldWrite> f = {
            {"name", text("Person " + std::to_string(i))},
            {"tier", text(people[i].tier)},
            {"country", text(i % 5 ? "FR" : "GB")},
            {"region", text(rec.regions[std::size_t(rec.store_region(people[i].store))].to_text())},
            {"store", text(rec.stores[std::size_t(people[i].store)].to_text())}};
        if (i % 2 == 0) f.push_back({"owner", text(rec.staff[pick(kStaff)].to_text())});
        rec.people.push_back(create(Kind::kInfluencer, std::move(f)));
    }
    auto person_keys = [&](std::size_t who, std::vector<FieldWrite>& f) {
        const int st = people[who].store;
        f.push_back({"region", text(rec.regions[std::size_t(rec.store_region(st))].to_text())});
        f.push_back({"store", text(rec.stores[std::size_t(st)].to_text())});
    };

    // Collaborations (one per ten people), each with a step; a quarter with a promo code.
    const std::size_t n_collabs = std::max<std::size_t>(1, n.people / 10);
    struct Collab {
        std::size_t who, camp;
        std::string promo;
    };
    std::vector<Collab> collabs;
    std::vector<Id128> collab_ids;
    for (std::size_t k = 0; k < n_collabs; ++k) {
        Collab c{skewed(n.people), pick(rec.campaigns.size()), ""};
        if (k % 4 == 0) c.promo = "PROMO" + std::to_string(k);
        const std::int64_t start = in_year();
        std::vector<FieldWrite> f = {{"influencer", text(rec.people[c.who].to_text())},
                                     {"type", text(kTypes[k % 5])},
                                     {"status", text(k % 10 == 9 ? "cancelled"
                                                     : k % 3     ? "live"
                                                                 : "contracted")},
                                     {"fee", V(std::int64_t(10000 + pick(500000)))},
                                     {"in_kind_value", V(std::int64_t(pick(20000)))},
                                     {"currency", text(camps[c.camp].currency)},
                                     {"starts", text(date_of(start))},
                                     {"ends", text(date_of(start + 30 * kDay))}};
        if (!c.promo.empty()) f.push_back({"promo_code", text(c.promo)});
        camp_keys(c.camp, f);
        collab_ids.push_back(create(Kind::kCollaboration, std::move(f)));
        std::vector<FieldWrite> step = {{"collaboration", text(collab_ids.back().to_text())},
                                        {"influencer", text(rec.people[c.who].to_text())},
                                        {"from", text("proposed")},
                                        {"to", text("contracted")},
                                        {"at", V(start)}};
        camp_keys(c.camp, step);
        step.erase(step.begin() + 5);  // a step names no campaign
        create(Kind::kCollaborationStep, std::move(step));
        collabs.push_back(std::move(c));
    }
    // Tracked links (one per five people), each for a person and campaign.
    const std::size_t n_links = std::max<std::size_t>(1, n.people / 5);
    struct Link {
        std::size_t who, camp;
    };
    std::vector<Link> links;
    std::vector<Id128> link_ids;
    for (std::size_t l = 0; l < n_links; ++l) {
        Link k{skewed(n.people), pick(rec.campaigns.size())};
        std::vector<FieldWrite> f = {
            {"code", text("Link" + std::to_string(l))},
            {"target", text("https://shop.example.com/p" + std::to_string(l))},
            {"influencer", text(rec.people[k.who].to_text())}};
        camp_keys(k.camp, f);
        link_ids.push_back(create(Kind::kTrackedLink, std::move(f)));
        links.push_back(k);
    }
    // Events (one per 200 people) with check-ins.
    for (std::size_t e = 0; e < std::max<std::size_t>(1, n.people / 200); ++e) {
        const std::size_t c = pick(rec.campaigns.size());
        const std::int64_t at = in_year();
        std::vector<FieldWrite> f = {{"name", text("Event " + std::to_string(e))},
                                     {"starts", V(at)}};
        camp_keys(c, f);
        const Id128 ev = create(Kind::kEvent, std::move(f));
        for (int g = 0; g < 20; ++g) {
            const std::size_t who = pick(n.people);
            std::vector<FieldWrite> ci = {{"event", text(ev.to_text())},
                                          {"influencer", text(rec.people[who].to_text())},
                                          {"at", V(at + g * 60000)}};
            person_keys(who, ci);
            create(Kind::kCheckin, std::move(ci));
        }
    }
    // Contacts: a person's region and store, a campaign for one in five.
    for (std::size_t i = 0; i < n.contacts; ++i) {
        const std::size_t who = skewed(n.people);
        std::vector<FieldWrite> f = {{"influencer", text(rec.people[who].to_text())},
                                     {"at", V(in_year())},
                                     {"touchpoint", text(kTouchpoints[pick(6)])},
                                     {"department", text(kDepartments[pick(5)])},
                                     {"brand", text(rec.brands[pick(kOwnBrands)].to_text())}};
        person_keys(who, f);
        if (i % 5 == 0)
            f.push_back({"campaign", text(rec.campaigns[pick(rec.campaigns.size())].to_text())});
        if (i % 50 == 0) f.push_back({"follow_up_due", text(date_of(in_year()))});
        create(Kind::kInteraction, std::move(f));
    }
    // Posts: a third made for a collaboration (its campaign), the rest organic; each names a
    // brand, and one in four also mentions a competitor.
    for (std::size_t i = 0; i < n.posts; ++i) {
        std::size_t who = skewed(n.people);
        std::vector<FieldWrite> f = {
            {"platform", text(kPlatforms[pick(3)])},
            {"url", text("https://social.example.com/p/" + std::to_string(i))},
            {"published_at", V(in_year())},
            {"reach", V(std::int64_t(100 + pick(50000)))},
            {"impressions", V(std::int64_t(200 + pick(90000)))},
            {"likes", V(std::int64_t(pick(3000)))},
            {"comments", V(std::int64_t(pick(200)))},
            {"shares", V(std::int64_t(pick(100)))},
            {"tone", text(kTones[pick(3)])}};
        if (i % 4 == 1) f.push_back({"video_views", V(std::int64_t(pick(100000)))});
        if (i % 10 == 7) f.push_back({"engagements", V(std::int64_t(pick(5000)))});
        if (i % 3 == 0) {
            const std::size_t k = pick(collabs.size());
            who = collabs[k].who;
            f.push_back({"collaboration", text(collab_ids[k].to_text())});
            camp_keys(collabs[k].camp, f);
        } else {
            f.push_back({"brand", text(rec.brands[pick(kOwnBrands)].to_text())});
            person_keys(who, f);
        }
        f.push_back({"influencer", text(rec.people[who].to_text())});
        const Id128 post = create(Kind::kContent, std::move(f));
        if (i % 4 == 0)
            add(Kind::kContent, post, "brands_mentioned",
                rec.brands[std::size_t(kOwnBrands) + pick(kCompetitors)].to_text());
    }
    // Clicks: a link's campaign and keys (as the redirect records them); three in ten with a
    // visitor id from a pool, so a visitor's clicks form a journey.
    const std::size_t visitors = std::max<std::size_t>(1, n.clicks / 5);
    std::vector<std::pair<std::size_t, std::int64_t>> visitor_clicks;  // (visitor, at)
    for (std::size_t i = 0; i < n.clicks; ++i) {
        const std::size_t l = skewed(links.size());
        const std::int64_t at = in_year();
        std::vector<FieldWrite> f = {{"link", text(link_ids[l].to_text())}, {"at", V(at)}};
        camp_keys(links[l].camp, f);
        if (i % 10 < 3) {
            const std::size_t v = pick(visitors);
            f.push_back({"visitor", text("v" + std::to_string(v) + "xx")});
            visitor_clicks.push_back({v, at});
        }
        create(Kind::kClick, std::move(f));
    }
    // Conversions: by link (four in five; a third of those with the visitor of an earlier
    // click) or by promo code; one in ten in GBP.
    for (std::size_t i = 0; i < n.conversions; ++i) {
        std::vector<FieldWrite> f = {{"shop", text("eshop")},
                                     {"order_ref", text("O" + std::to_string(i))},
                                     {"value", V(std::int64_t(1000 + pick(30000)))},
                                     {"currency", text(i % 10 == 3 ? "GBP" : "EUR")}};
        std::int64_t at = in_year();
        if (i % 5 != 4) {
            const std::size_t l = skewed(links.size());
            f.push_back({"link", text(link_ids[l].to_text())});
            f.push_back({"influencer", text(rec.people[links[l].who].to_text())});
            camp_keys(links[l].camp, f);
            if (i % 3 == 0 && !visitor_clicks.empty()) {
                const auto& [v, clicked] = visitor_clicks[pick(visitor_clicks.size())];
                at = clicked + std::int64_t(pick(std::uint64_t(40 * kDay)));
                f.push_back({"visitor", text("v" + std::to_string(v) + "xx")});
            }
        } else {
            const std::size_t k = 4 * pick((collabs.size() + 3) / 4);  // one with a promo code
            f.push_back({"promo_code", text(collabs[k].promo)});
            f.push_back({"influencer", text(rec.people[collabs[k].who].to_text())});
            f.push_back({"collaboration", text(collab_ids[k].to_text())});
            camp_keys(collabs[k].camp, f);
        }
        f.push_back({"at", V(at)});
        create(Kind::kConversion, std::move(f));
    }
    // Outcomes the team measured.
    for (std::size_t c = 0; c < rec.campaigns.size(); ++c) {
        std::vector<FieldWrite> f = {{"metric", text("nps")},
                                     {"value", V(std::int64_t(pick(10000)))},
                                     {"unit", text("score")},
                                     {"date", text(date_of(in_year()))}};
        camp_keys(c, f);
        create(Kind::kOutcome, std::move(f));
    }
    must(txn->commit(), "commit");
    txn.reset();
    return rec;
}

// The record's names and ids, read back from a file `generate` wrote (--reuse).
Record named(liaison::bench::PlainDb& db) {
    auto id_of = [&](const char* table, const std::string& name) {
        const std::string sql = std::string("SELECT eid FROM ") + table +
                                " WHERE created IS NOT NULL AND f_name='" + name + "'";
        sqlite3_stmt* st = db.prepare(sql.c_str());
        if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) != 16)
            die("--reuse: no " + std::string(table) + " named " + name);
        const Id128 id =
            Id128::from_bytes(static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 0)));
        sqlite3_finalize(st);
        return id;
    };
    Record rec;
    for (int b = 0; b < kOwnBrands + kCompetitors; ++b) {
        rec.brand_names.push_back((b >= kOwnBrands ? "Rival " : "Maison ") + std::to_string(b));
        rec.brands.push_back(id_of("k_brand", rec.brand_names.back()));
    }
    rec.regions.push_back(id_of("k_region", "Region 0"));
    rec.programmes.push_back(id_of("k_programme", "Programme 0"));
    rec.campaign_names.push_back("Campaign 0.0");
    rec.campaigns.push_back(id_of("k_campaign", "Campaign 0.0"));
    return rec;
}

}  // namespace

int main(int argc, char** argv) {
    liaison::bench::program() = "reports_bench";
    Sizes n;
    std::string browser = "na";  // the browser's p95, measured by bench/web/reports.mjs
    std::string reuse;           // a record this benchmark wrote before (REPORTS_BENCH_KEEP)
    std::string only;            // run only the cases whose name begins with this (profiling)
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows as it comes
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        long v = std::atol(argv[i + 1]);
        if (v <= 0 && a != "--browser-p95" && a != "--reuse" && a != "--only")
            die("bad value for " + a);
        if (a == "--people")
            n.people = std::size_t(v);
        else if (a == "--contacts")
            n.contacts = std::size_t(v);
        else if (a == "--posts")
            n.posts = std::size_t(v);
        else if (a == "--clicks")
            n.clicks = std::size_t(v);
        else if (a == "--conversions")
            n.conversions = std::size_t(v);
        else if (a == "--rounds")
            n.rounds = std::size_t(v);
        else if (a == "--browser-p95")
            browser = argv[i + 1];
        else if (a == "--reuse")
            reuse = argv[i + 1];
        else if (a == "--only")
            only = argv[i + 1];
        else
            die("unknown option " + a);
    }
    namespace fs = std::filesystem;
    fs::path dir =
        fs::temp_directory_path() / ("liaison-reports-bench-" + std::to_string(::getpid()));
    if (reuse.empty()) fs::create_directories(dir);
    const std::string path = reuse.empty() ? (dir / "liaison.db").string() : reuse;
    if (!reuse.empty()) {
        // A record written earlier may have left the OS page cache (this machine reclaims
        // cold pages): read it through once, so that both sides start from memory as they do
        // after generating it (run to run, a cold file tripled every time here).
        auto t_read = Clock::now();
        std::FILE* f = std::fopen(path.c_str(), "rb");
        if (!f) die("--reuse: cannot read " + path);
        std::vector<char> buf(1 << 20);
        std::size_t total = 0, got;
        while ((got = std::fread(buf.data(), 1, buf.size(), f)) > 0) total += got;
        std::fclose(f);
        std::printf("read the record once (%.0f MiB) in %.1f s\n", double(total) / (1 << 20),
                    ms_since(t_read) / 1000);
    }

    // The server's central record: WAL, its page cache.
    liaison::core::StoreOptions so{true, false, liaison::core::kCentralCacheMiB};
    auto store = must(liaison::core::Store::open(path, so), "open");
    Record rec;
    if (reuse.empty()) {
        auto t_load = Clock::now();
        rec = generate(*store, n);
        std::printf(
            "record: %zu people, %zu contacts, %zu posts, %zu clicks, %zu conversions, %zu "
            "campaigns; written in %.1f s\n",
            n.people, n.contacts, n.posts, n.clicks, n.conversions, rec.campaigns.size(),
            ms_since(t_load) / 1000);
    }
    liaison::bench::PlainDb plain(path);
    plain.exec(("PRAGMA cache_size=-" + std::to_string(liaison::core::kCentralCacheMiB * 1024) +
                "; ANALYZE")
                   .c_str());
    if (!reuse.empty()) rec = named(plain);

    const std::int64_t now_ms = kYear + 364 * kDay + 12 * 3600000;
    // What the server keeps between reports (core::ReportCache): built by the first report
    // that reads it (an AMEC report: contacts, clicks, posts and conversions), timed here on its
    // own, then caught up (nothing to read) by every run.
    liaison::core::ReportCache cache;
    {
        ReportQuery warm;
        warm.report = "amec";
        warm.from = warm.to = "2026-01-01";
        auto t_build = Clock::now();
        must(liaison::core::run_report(*store, warm, &cache), "the first report");
        std::printf(
            "the report cache (contacts, clicks, posts and conversions as columns): built in "
            "%.1f ms, %zu + %zu + %zu + %zu rows, %.1f MiB\n",
            ms_since(t_build), cache.contacts().size(), cache.clicks().size(), cache.posts().size(),
            cache.conversions().size(), double(cache.bytes()) / (1024 * 1024));
    }
    double worst_p95 = 0, worst_ratio = 0;
    std::size_t measured = 0;
    bool mismatch = false;
    for (auto& c : cases(rec, now_ms)) {
        if (c.name.rfind(only, 0) != 0) continue;
        // The report, once to check it is built and to read its figures.
        auto t_first = Clock::now();
        auto first = liaison::core::run_report(*store, c.query, &cache);
        std::printf("%-22s first run %.1f ms\n", c.name.c_str(), ms_since(t_first));
        if (!first) {
            if (first.status().detail().find("not built yet") != std::string::npos) {
                std::printf("%-22s skipped: the %s report is not built on this branch\n",
                            c.name.c_str(), c.query.report.c_str());
                continue;
            }
            die(c.name + ": " + first.status().to_string());
        }
        std::vector<double> ours, theirs;
        for (std::size_t r = 0; r < n.rounds; ++r) {
            auto t0 = Clock::now();
            auto rep = liaison::core::run_report(*store, c.query, &cache);
            ours.push_back(ms_since(t0));
            if (!rep) die(c.name + ": " + rep.status().to_string());
        }
        sqlite3_stmt* st = plain.prepare(c.sql.c_str());
        std::vector<std::int64_t> hand;
        for (std::size_t r = 0; r < n.rounds; ++r) {
            auto t0 = Clock::now();
            hand.clear();
            if (sqlite3_step(st) == SQLITE_ROW)
                for (int k = 0; k < sqlite3_column_count(st); ++k)
                    hand.push_back(sqlite3_column_int64(st, k));
            sqlite3_reset(st);
            theirs.push_back(ms_since(t0));
        }
        sqlite3_finalize(st);
        const auto figures = c.figures(first.value());
        const double p95 = percentile(ours, 95), sql95 = percentile(theirs, 95);
        std::printf(
            "%-22s p50 %8.2f ms  p95 %8.2f ms | hand SQL p50 %8.2f ms  p95 %8.2f ms | "
            "x%.2f\n",
            c.name.c_str(), percentile(ours, 50), p95, percentile(theirs, 50), sql95, p95 / sql95);
        std::string a, b;
        for (auto v : figures) (a += ' ') += std::to_string(v);
        for (auto v : hand) (b += ' ') += std::to_string(v);
        std::printf("  figures: report%s\n           hand  %s\n", a.c_str(), b.c_str());
        if (figures != hand) {
            std::printf("  MISMATCH: the hand SQL and the report disagree\n");
            mismatch = true;
        }
        worst_p95 = std::max(worst_p95, p95);
        worst_ratio = std::max(worst_ratio, p95 / sql95);
        ++measured;
    }
    std::printf("\nThe hand-written SQL, one statement per case:\n");
    for (const auto& c : cases(rec, now_ms))
        std::printf("-- %s\n%s;\n\n", c.name.c_str(), c.sql.c_str());
    store.reset();
    if (std::getenv("REPORTS_BENCH_KEEP") || !reuse.empty())
        std::printf("kept: %s\n", path.c_str());
    else
        fs::remove_all(dir);
    if (mismatch) die("the hand SQL's figures differ from the report's (see above)");
    if (!measured) die("no report was measured");
    std::printf("RESULT reports p95_ms=%.2f vs_sql=%.3f browser_p95_ms=%s\n", worst_p95,
                worst_ratio, browser.c_str());
    return 0;
}
