// The attribution report (core/query/reports/attribution.cpp) over the golden fixture: every
// figure below is computed by hand in docs/METRICS.md ("Attribution", worked example).
#include <catch2/catch.hpp>

#include "support/reports_fixture.hpp"

namespace liaison::test::core_reports_attribution {
namespace {

using core::Kind;
using core::ReportQuery;
using core::Value;

// The five models' figures of one row, in kModels' order, joined by spaces.
std::string models(const core::Report& r, const std::string& table, const std::string& key,
                   const std::string& currency = "") {
    std::string out;
    for (const char* m : {"last_click", "first_click", "linear", "position", "time_decay"}) {
        if (!out.empty()) out += " ";
        out +=
            ReportsFixture::cell(r, table, key, m, {currency.empty() ? "" : "currency", currency});
    }
    return out;
}

}  // namespace

TEST_CASE("attribution over March credits the five models side by side as worked by hand",
          "[core][reports][central]") {
    ReportsFixture f;
    const auto r = f.run(query("attribution"));
    CHECK(r.title == "Attribution");
    // Conversions credited: o1's journey c1 (Ana) → c3 (Cleo); o2 (link), o3 (promo ANA10 → K1),
    // o4 and o5 (one-click journeys; o5's click exactly 30 days before) all Ana's.
    CHECK(models(r, "conversions_by_influencer", "Ana") == "4 5 4.5 4.5 4.1702");
    CHECK(models(r, "conversions_by_influencer", "Cleo") == "1 0 0.5 0.5 0.8298");
    CHECK(ReportsFixture::table(r, "conversions_by_influencer").rows.size() == 2);
    CHECK(models(r, "conversions_by_campaign", "Launch") == "4 5 4.5 4.5 4.1702");
    CHECK(models(r, "conversions_by_campaign", "Summer") == "1 0 0.5 0.5 0.8298");
    CHECK(ReportsFixture::table(r, "conversions_by_campaign").rows.size() == 2);
    // Revenue credited per currency (minor units), o1's 120.00 EUR shared by the journey models.
    CHECK(models(r, "revenue_by_influencer", "Ana", "EUR") == "17000 29000 23000 23000 19042");
    CHECK(models(r, "revenue_by_influencer", "Ana", "USD") == "3000 3000 3000 3000 3000");
    CHECK(models(r, "revenue_by_influencer", "Cleo", "EUR") == "12000 0 6000 6000 9958");
    CHECK(ReportsFixture::table(r, "revenue_by_influencer").rows.size() == 3);
    CHECK(models(r, "revenue_by_campaign", "Launch", "EUR") == "17000 29000 23000 23000 19042");
    CHECK(models(r, "revenue_by_campaign", "Summer", "EUR") == "12000 0 6000 6000 9958");
    // Evidence: o1, o4, o5 journeys; o2 (sent twice: one order) by its link; o3 by its promo.
    CHECK(ReportsFixture::cell(r, "evidence", "journey", "conversions") == "3");
    CHECK(ReportsFixture::cell(r, "evidence", "link", "conversions") == "1");
    CHECK(ReportsFixture::cell(r, "evidence", "promo", "conversions") == "1");
    CHECK(ReportsFixture::cell(r, "evidence", "none", "conversions") == "0");
    CHECK(ReportsFixture::cell(r, "evidence", "all", "conversions") == "5");
    CHECK(ReportsFixture::cell(r, "settings", "window", "days") == "30");
    CHECK(ReportsFixture::cell(r, "settings", "half_life", "days") == "7");
    // The caveats beside the numbers, and the formulas named.
    CHECK(ReportsFixture::has_caveat(r, "last_click"));
    CHECK(ReportsFixture::has_caveat(r, "seen_only"));
    CHECK(ReportsFixture::has_caveat(r, "consent"));
    const auto& conv = ReportsFixture::table(r, "conversions_by_influencer");
    CHECK(conv.columns[1].id == "last_click");
    CHECK(conv.columns[1].caveat == "last_click");
    CHECK(conv.columns[5].caveat == "consent");
    CHECK(ReportsFixture::table(r, "evidence").columns[1].caveat == "seen_only");
    for (const char* id : {"attribution.conversions/1", "attribution.revenue/1",
                           "attribution.evidence/1", "attribution.credit/1"})
        CHECK(std::count(r.formulas.begin(), r.formulas.end(), id) == 1);
}

TEST_CASE("attribution in euros converts each credited day at that day's rate",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("attribution");
    q.currency = "EUR";
    const auto r = f.run(q);
    // o4's 30.00 USD on 11 March at 0.92 = 27.60 EUR, added to Ana's euros.
    CHECK(models(r, "revenue_by_influencer", "Ana", "EUR") == "19760 31760 25760 25760 21802");
    CHECK(models(r, "revenue_by_influencer", "Cleo", "EUR") == "12000 0 6000 6000 9958");
    CHECK(ReportsFixture::table(r, "revenue_by_influencer").rows.size() == 2);
}

TEST_CASE("attribution of one campaign keeps the credits of that campaign only",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("attribution");
    q.campaign = f.id["LAUNCH"];
    const auto r = f.run(q);
    CHECK(models(r, "conversions_by_campaign", "Launch") == "4 5 4.5 4.5 4.1702");
    CHECK(ReportsFixture::table(r, "conversions_by_campaign").rows.size() == 1);
    CHECK(models(r, "conversions_by_influencer", "Ana") == "4 5 4.5 4.5 4.1702");
    CHECK(ReportsFixture::table(r, "conversions_by_influencer").rows.size() == 1);
    // o1 is read (V0001 clicked a Launch link): the evidence counts every conversion read.
    CHECK(ReportsFixture::cell(r, "evidence", "all", "conversions") == "5");
}

TEST_CASE(
    "a promo code two collaborations carry credits the newest with a campaign filter or "
    "without",
    "[core][reports][central]") {
    ReportsFixture f;
    // K9, Cleo's for Summer, carries K1's code ANA10 and has the greatest id: o3 credits her.
    core::Id128 newest;
    newest.bytes.fill(0xEE);
    f.make(Kind::kCollaboration, "K9",
           {{"influencer", f.ref("Cleo")},
            {"campaign", f.ref("SUMMER")},
            {"type", Value(std::string("paid"))},
            {"status", Value(std::string("live"))},
            {"promo_code", Value(std::string("ANA10"))},
            {"region", f.ref("SOUTH")},
            {"brand", f.ref("MAISON")}},
           newest);
    const auto all = f.run(query("attribution"));
    CHECK(ReportsFixture::cell(all, "conversions_by_influencer", "Ana", "last_click") == "3");
    CHECK(ReportsFixture::cell(all, "conversions_by_influencer", "Cleo", "last_click") == "2");
    // A campaign's credits look the code up on their own (the conversions it names): the same.
    auto summer = query("attribution");
    summer.campaign = f.id["SUMMER"];
    const auto s = f.run(summer);
    CHECK(ReportsFixture::cell(s, "conversions_by_campaign", "Summer", "last_click") == "2");
    CHECK(ReportsFixture::table(s, "conversions_by_campaign").rows.size() == 1);
    auto launch = query("attribution");
    launch.campaign = f.id["LAUNCH"];
    const auto l = f.run(launch);
    CHECK(ReportsFixture::cell(l, "conversions_by_campaign", "Launch", "last_click") == "3");
}

TEST_CASE("attribution for a regional scope counts its region's conversions only",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("attribution");
    q.scope = f.region_scope("NORTH");
    const auto r = f.run(q);
    // o1 is South's: gone; o2–o5 are North's and Ana's under every model.
    CHECK(models(r, "conversions_by_influencer", "Ana") == "4 4 4 4 4");
    CHECK(ReportsFixture::table(r, "conversions_by_influencer").rows.size() == 1);
    CHECK(ReportsFixture::cell(r, "evidence", "journey", "conversions") == "2");
    CHECK(ReportsFixture::cell(r, "evidence", "all", "conversions") == "4");
}

TEST_CASE("a click after the conversion and a click 30 days and 1 ms before do not count",
          "[core][reports][central]") {
    ReportsFixture f;
    const std::int64_t at = utc("2026-03-28T12:00");
    // o6: Cleo's link, visitor V0009, whose only clicks (on Ana's link) fall outside the window.
    f.make(Kind::kClick, "x1",
           {{"link", f.ref("L1")},
            {"at", Value(at - 30 * 86400000LL - 1)},
            {"visitor", Value(std::string("V0009"))},
            {"region", f.ref("NORTH")}});
    f.make(Kind::kClick, "x2",
           {{"link", f.ref("L1")},
            {"at", Value(at + 1)},
            {"visitor", Value(std::string("V0009"))},
            {"region", f.ref("NORTH")}});
    f.make(Kind::kConversion, "o6",
           {{"shop", Value(std::string("shop.example"))},
            {"order_ref", Value(std::string("A-6"))},
            {"at", Value(at)},
            {"value", Value(std::int64_t(1000))},
            {"currency", Value(std::string("EUR"))},
            {"link", f.ref("L2")},
            {"visitor", Value(std::string("V0009"))},
            {"region", f.ref("SOUTH")}});
    const auto r = f.run(query("attribution"));
    // No journey: o6 is credited by its link, to Cleo, whole, under every model.
    CHECK(ReportsFixture::cell(r, "evidence", "journey", "conversions") == "3");
    CHECK(ReportsFixture::cell(r, "evidence", "link", "conversions") == "2");
    CHECK(models(r, "conversions_by_influencer", "Ana") == "4 5 4.5 4.5 4.1702");
    CHECK(models(r, "conversions_by_influencer", "Cleo") == "2 1 1.5 1.5 1.8298");
    CHECK(models(r, "revenue_by_influencer", "Cleo", "EUR") == "13000 1000 7000 7000 10958");
}

TEST_CASE("a shorter attribution window drops the click at 30 days", "[core][reports][central]") {
    ReportsFixture f;
    f.setting("attribution_window_days", "29");
    const auto r = f.run(query("attribution"));
    // o5's click c6 is 30 days old: o5 falls back to its link (still Ana's).
    CHECK(ReportsFixture::cell(r, "evidence", "journey", "conversions") == "2");
    CHECK(ReportsFixture::cell(r, "evidence", "link", "conversions") == "2");
    CHECK(ReportsFixture::cell(r, "settings", "window", "days") == "29");
    CHECK(models(r, "conversions_by_influencer", "Ana") == "4 5 4.5 4.5 4.1702");
}

TEST_CASE("attribution over an empty period has empty tables and zero evidence",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("attribution");
    q.from = "2025-01-01";
    q.to = "2025-01-31";
    const auto r = f.run(q);
    CHECK(ReportsFixture::table(r, "conversions_by_influencer").rows.empty());
    CHECK(ReportsFixture::table(r, "revenue_by_campaign").rows.empty());
    CHECK(ReportsFixture::cell(r, "evidence", "all", "conversions") == "0");
}

}  // namespace liaison::test::core_reports_attribution
