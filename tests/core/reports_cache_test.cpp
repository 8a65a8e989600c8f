// The server's report cache (core::ReportCache, core/query/reports/entry_columns.hpp) against
// SQL: random contacts, clicks (with visitors, and conversions whose journeys they make) and
// posts written, edited (a post's brands mentioned too), deleted and erased between reports, and
// after each batch every report that reads them, under filters and scopes, run with the cache
// (caught up from the changes feed) and without it must give the same answer (ReportsFixture::run
// compares them).
#include <catch2/catch.hpp>
#include <functional>
#include <random>

#include "support/reports_fixture.hpp"

namespace liaison::test::core_reports_cache {
namespace {

using core::Kind;
using core::Value;

const char* const kPeople[] = {"Ana", "Ben", "Cleo", "Dan", "Eve"};
const char* const kRegions[] = {"NORTH", "SOUTH"};
const char* const kStores[] = {"LILLE", "NICE"};
const char* const kBrands[] = {"MAISON", "RIVAL"};
const char* const kCampaigns[] = {"LAUNCH", "SUMMER"};
const char* const kVisitors[] = {"V0001", "V0002", "V0009"};

// The reports that read contacts, clicks or posts, with each filter and two scopes.
std::vector<core::ReportQuery> queries(const ReportsFixture& f) {
    using Query = core::ReportQuery;
    const std::vector<std::function<void(Query&)>> narrow = {
        [](Query&) {},
        [&](Query& q) { q.region = f.id.at("NORTH"); },
        [&](Query& q) { q.store = f.id.at("LILLE"); },
        [&](Query& q) { q.campaign = f.id.at("LAUNCH"); },
        [&](Query& q) { q.programme = f.id.at("SPRING"); },
        [&](Query& q) { q.brand = f.id.at("MAISON"); },
        [&](Query& q) { q.scope = f.region_scope("SOUTH"); },
        [&](Query& q) {
            q.scope.global = false;
            q.scope.stores = {f.ref("NICE")};
            q.scope.brands = {f.ref("MAISON")};
        }};
    std::vector<Query> out;
    for (const char* report : {"amec", "health", "sov", "pyramid", "emv", "attribution"})
        for (const auto& n : narrow) {
            out.push_back(query(report));
            n(out.back());
        }
    // The breakdowns of share of voice and AMEC, each keyed over the columns its own way.
    for (const char* g : {"platform", "region", "store", "month", "tier"}) {
        out.push_back(query("sov"));
        out.back().group_by = g;
    }
    // A period: the relationships retained (contacted in it and in the year before) too.
    for (const auto& n : narrow) {
        out.push_back(query("amec"));
        out.back().from = "2026-03-15";
        out.back().to = "2026-04-10";
        n(out.back());
    }
    for (const char* g : {"platform", "region", "store", "month", "tier", "department"}) {
        out.push_back(query("amec"));
        out.back().group_by = g;
        out.push_back(query("amec"));
        out.back().group_by = g;
        out.back().scope = f.region_scope("SOUTH");
    }
    return out;
}

}  // namespace

TEST_CASE(
    "reports read from the server's cache of contacts clicks and posts give what SQL gives after "
    "every change",
    "[core][reports][central]") {
    const auto seed = GENERATE(1u, 2u, 3u);
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    auto pick = [&](std::size_t n) { return std::size_t(rng() % n); };
    ReportsFixture f;
    f.setting("emv_enabled", "true");
    if (seed == 2) f.setting("emv_credit", "split");
    auto& r = *f.node->replica;
    std::vector<core::Id128> contacts, clicks, posts;
    std::vector<std::string> erased;
    int made = 0;
    for (int batch = 0; batch < 6; ++batch) {
        for (int op = 0; op < 12; ++op) {
            const std::size_t what = contacts.empty() ? 0 : pick(20);
            if (what >= 14) {
                // A post, with some metrics, a tone and a collaboration or none, its keys or
                // none (keyless: in its person's scope); or a post deleted.
                if (what == 19 && !posts.empty()) {
                    (void)r.remove_entry(Kind::kContent, posts[pick(posts.size())]);
                    continue;
                }
                // A brand mentioned or no longer, or another platform (an erased person's post
                // refuses the edit: nothing to compare then).
                if (what >= 17 && !posts.empty()) {
                    const core::Id128 p = posts[pick(posts.size())];
                    const std::string b = f.ref(kBrands[pick(2)]);
                    switch (pick(3)) {
                        case 0:
                            (void)r.add(Kind::kContent, p, "brands_mentioned", b);
                            break;
                        case 1:
                            for (const char* each : kBrands)
                                (void)r.remove(Kind::kContent, p, "brands_mentioned", f.ref(each));
                            break;
                        default:
                            (void)r.set(Kind::kContent, p,
                                        {{"platform", Value(std::string("youtube"))}});
                    }
                    continue;
                }
                const std::string who = kPeople[pick(5)];
                if (std::find(erased.begin(), erased.end(), who) != erased.end()) continue;
                std::vector<sync::FieldWrite> w = {
                    {"influencer", f.ref(who)},
                    {"platform", Value(std::string(pick(2) ? "instagram" : "tiktok"))},
                    {"url", Value("https://social.example/r" + std::to_string(made))},
                    {"published_at",
                     Value(utc("2026-02-20") + std::int64_t(pick(60)) * 86'400'000)}};
                for (const char* m : {"impressions", "reach", "video_views", "likes", "comments",
                                      "shares", "saves", "engagements"})
                    if (pick(2)) w.push_back({m, Value(std::int64_t(pick(1000)))});
                if (pick(2))
                    w.push_back({"tone", Value(std::string(pick(2) ? "positive" : "negative"))});
                if (pick(2)) w.push_back({"collaboration", f.ref(pick(2) ? "K1" : "K3")});
                if (pick(3) == 0) w.push_back({"region", f.ref(kRegions[pick(2)])});
                if (pick(3) == 0) w.push_back({"store", f.ref(kStores[pick(2)])});
                if (pick(3) == 0) w.push_back({"brand", f.ref(kBrands[pick(2)])});
                posts.push_back(f.make(Kind::kContent, "p" + std::to_string(++made), std::move(w)));
                for (const char* b : kBrands)
                    if (pick(3) == 0)
                        REQUIRE(r.add(Kind::kContent, posts.back(), "brands_mentioned", f.ref(b))
                                    .is_ok());
            } else if (what >= 10) {
                // A click on a link, with its campaign's keys, some of them, or none (keyless:
                // in its link's scope); or a click deleted.
                if (what == 13 && !clicks.empty()) {
                    (void)r.remove_entry(Kind::kClick, clicks[pick(clicks.size())]);
                    continue;
                }
                // A conversion now and then, with a visitor whose clicks make its journey.
                if (what == 12) {
                    std::vector<sync::FieldWrite> w = {
                        {"shop", Value(std::string("shop.example"))},
                        {"order_ref", Value("R-" + std::to_string(++made))},
                        {"at", Value(utc("2026-03-01") + std::int64_t(pick(50)) * 86'400'000)},
                        {"value", Value(std::int64_t(100 + pick(900)))},
                        {"currency", Value(std::string("EUR"))}};
                    if (pick(4)) w.push_back({"visitor", Value(std::string(kVisitors[pick(3)]))});
                    if (pick(2)) w.push_back({"link", f.ref(pick(2) ? "L1" : "L2")});
                    if (pick(3) == 0) w.push_back({"region", f.ref(kRegions[pick(2)])});
                    // A promo code (K1's, or one no collaboration carries), a campaign named
                    // by the shop: what a programme's or campaign's credits pick them by.
                    if (pick(3) == 0)
                        w.push_back(
                            {"promo_code", Value(std::string(pick(2) ? "ANA10" : "NONE99"))});
                    if (pick(4) == 0) w.push_back({"campaign", f.ref(kCampaigns[pick(2)])});
                    f.make(Kind::kConversion, "o" + std::to_string(made), std::move(w));
                    continue;
                }
                std::vector<sync::FieldWrite> w = {
                    {"link", f.ref(pick(2) ? "L1" : "L2")},
                    {"at", Value(utc("2026-02-20") + std::int64_t(pick(60)) * 86'400'000)}};
                if (pick(3)) w.push_back({"visitor", Value(std::string(kVisitors[pick(3)]))});
                if (pick(2)) w.push_back({"campaign", f.ref(kCampaigns[pick(2)])});
                if (pick(3) == 0) w.push_back({"region", f.ref(kRegions[pick(2)])});
                if (pick(3) == 0) w.push_back({"store", f.ref(kStores[pick(2)])});
                if (pick(3) == 0) w.push_back({"brand", f.ref(kBrands[pick(2)])});
                clicks.push_back(f.make(Kind::kClick, "k" + std::to_string(++made), std::move(w)));
            } else if (what < 5) {
                // A contact in February to April, with some of its keys, or none (keyless: in
                // its person's scope).
                const std::string who = kPeople[pick(5)];
                if (std::find(erased.begin(), erased.end(), who) != erased.end()) continue;
                std::vector<sync::FieldWrite> w = {
                    {"influencer", f.ref(who)},
                    {"at", Value(utc("2026-02-01") + std::int64_t(pick(80)) * 86'400'000)},
                    {"touchpoint", Value(std::string(pick(2) ? "store" : "email"))},
                    {"department", Value(std::string(pick(2) ? "retail" : "pr"))}};
                if (pick(3)) w.push_back({"region", f.ref(kRegions[pick(2)])});
                if (pick(3)) w.push_back({"store", f.ref(kStores[pick(2)])});
                if (pick(2)) w.push_back({"brand", f.ref(kBrands[pick(2)])});
                if (pick(2)) w.push_back({"campaign", f.ref(kCampaigns[pick(2)])});
                if (pick(4) == 0) {
                    w.push_back({"follow_up", Value(std::string("call back"))});
                    w.push_back(
                        {"follow_up_due", Value(std::string("2026-03-1") + char('0' + pick(10)))});
                }
                contacts.push_back(
                    f.make(Kind::kInteraction, "x" + std::to_string(++made), std::move(w)));
            } else if (what < 8) {
                // An edit: another time, campaign or place, or a key cleared.
                const core::Id128 id = contacts[pick(contacts.size())];
                std::vector<sync::FieldWrite> w;
                switch (pick(4)) {
                    case 0:
                        w = {{"at", Value(utc("2026-03-01") + std::int64_t(pick(40)) * 3'600'000)}};
                        break;
                    case 1:
                        w = {{"campaign", f.ref(kCampaigns[pick(2)])}};
                        break;
                    case 2:
                        w = {{"region", Value()}, {"store", f.ref(kStores[pick(2)])}};
                        break;
                    default:
                        w = {{"brand", Value()}, {"region", Value()}, {"store", Value()}};
                }
                // An edit of an erased person's contact is refused: nothing to compare then.
                (void)r.set(Kind::kInteraction, id, std::move(w));
            } else if (what < 9) {
                (void)r.remove_entry(Kind::kInteraction, contacts[pick(contacts.size())]);
            } else if (erased.size() < 2) {
                const std::string who = kPeople[pick(5)];
                if (std::find(erased.begin(), erased.end(), who) != erased.end()) continue;
                REQUIRE(r.erase(Kind::kInfluencer, f.id.at(who)).is_ok());
                erased.push_back(who);
            }
        }
        for (const auto& q : queries(f)) {
            INFO("batch " << batch << ", " << q.report);
            f.run(q);  // with the cache and without: the same JSON
        }
    }
}

}  // namespace liaison::test::core_reports_cache
