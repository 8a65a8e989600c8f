// The AMEC report (core/query/reports/amec.cpp) over the golden fixture: every figure below is
// computed by hand in docs/METRICS.md ("Worked example"), natively and under WebAssembly alike.
#include <catch2/catch.hpp>

#include "support/reports_fixture.hpp"

namespace liaison::test::core_reports_amec {
namespace {

using core::Kind;
using core::ReportQuery;

// The value of the metric row `metric` (and `currency` when given) in `table`, as JSON text.
std::string value(const core::Report& r, const std::string& table, const std::string& metric,
                  const std::string& currency = "", const std::string& column = "value") {
    return ReportsFixture::cell(r, table, metric, column,
                                {currency.empty() ? "" : "currency", currency});
}

}  // namespace

TEST_CASE("AMEC over the whole record in March reproduces the worked example",
          "[core][reports][central]") {
    ReportsFixture f;
    const auto r = f.run(query("amec"));
    CHECK(r.title == "AMEC report");
    CHECK(r.currency.empty());
    // Inputs: both campaigns' budgets; spend per currency, the cancelled K4 left out.
    CHECK(value(r, "inputs", "budget", "EUR") == "1100000");
    CHECK(value(r, "inputs", "spend", "EUR") == "120000");
    CHECK(value(r, "inputs", "spend", "USD") == "50000");
    CHECK(value(r, "inputs", "people_contacted") == "3");
    // Activities.
    CHECK(value(r, "activities", "contacts") == "4");
    CHECK(value(r, "activities", "events") == "1");
    CHECK(value(r, "activities", "checkins") == "2");
    CHECK(value(r, "activities", "collaborations") == "3");
    CHECK(ReportsFixture::cell(r, "contacts_by_touchpoint", "store", "contacts") == "2");
    CHECK(ReportsFixture::cell(r, "contacts_by_touchpoint", "email", "contacts") == "1");
    CHECK(ReportsFixture::cell(r, "contacts_by_department", "retail", "contacts") == "2");
    CHECK(ReportsFixture::cell(r, "collaborations_by_type", "paid", "collaborations") == "2");
    CHECK(ReportsFixture::cell(r, "collaborations_by_type", "gifted", "collaborations") == "1");
    CHECK(ReportsFixture::cell(r, "peso", "owned", "contacts") == "4");
    CHECK(ReportsFixture::cell(r, "peso", "paid", "collaborations") == "2");
    CHECK(ReportsFixture::cell(r, "peso", "earned", "collaborations") == "1");
    CHECK(ReportsFixture::cell(r, "peso", "paid", "posts") == "3");
    CHECK(ReportsFixture::cell(r, "peso", "earned", "posts") == "3");
    CHECK(ReportsFixture::cell(r, "peso", "shared", "posts") == "0");
    // Outputs (P7 is February's).
    CHECK(value(r, "outputs", "posts") == "6");
    CHECK(value(r, "outputs", "impressions") == "63700");
    CHECK(value(r, "outputs", "reach") == "46000");
    CHECK(value(r, "outputs", "video_views") == "34000");
    CHECK(ReportsFixture::cell(r, "mentions_by_tone", "positive", "posts") == "3");
    CHECK(ReportsFixture::cell(r, "mentions_by_tone", "neutral", "posts") == "2");
    CHECK(ReportsFixture::cell(r, "mentions_by_tone", "negative", "posts") == "1");
    CHECK(ReportsFixture::cell(r, "mentions_by_tone", "unrated", "posts") == "0");
    // Out-takes: P3 reported a total only.
    CHECK(value(r, "outtakes", "engagements") == "4100");
    CHECK(value(r, "outtakes", "engagement_rate") == "8.913");
    CHECK(value(r, "outtakes", "clicks") == "5");
    CHECK(value(r, "outtakes", "click_through_rate") == "0.0078");
    CHECK(ReportsFixture::cell(r, "engagements_by_type", "likes", "engagements") == "2990");
    CHECK(ReportsFixture::cell(r, "engagements_by_type", "comments", "engagements") == "390");
    CHECK(ReportsFixture::cell(r, "engagements_by_type", "shares", "engagements") == "270");
    CHECK(ReportsFixture::cell(r, "engagements_by_type", "saves", "engagements") == "150");
    CHECK(ReportsFixture::cell(r, "engagements_by_type", "reported_as_total", "engagements") ==
          "300");
    // Outcomes: o2 sent twice is one order.
    CHECK(value(r, "outcomes", "conversions") == "5");
    CHECK(value(r, "outcomes", "conversion_rate") == "100");
    CHECK(value(r, "outcomes", "revenue", "EUR") == "29000");
    CHECK(value(r, "outcomes", "revenue", "USD") == "3000");
    // Impact, last click: every conversion credited (o5's click exactly 30 days before).
    CHECK(value(r, "impact", "attributed_revenue", "EUR") == "29000");
    CHECK(value(r, "impact", "attributed_revenue", "USD") == "3000");
    // Spend in two currencies and no report currency: no ROI, and the report says why.
    CHECK(value(r, "impact", "roi") == "null");
    CHECK(value(r, "impact", "cost_per_engagement") == "null");
    CHECK(value(r, "impact", "cpm") == "null");
    CHECK(std::find_if(r.notes.begin(), r.notes.end(), [](const std::string& n) {
              return n.find("several currencies") != std::string::npos;
          }) != r.notes.end());
    CHECK(value(r, "impact", "relationships_progressed") == "2");
    CHECK(value(r, "impact", "relationships_retained") == "0");
    // Every figure names its formula, and the report lists them.
    CHECK(value(r, "outtakes", "engagement_rate", "", "formula") == "\"amec.engagement_rate/1\"");
    CHECK(std::count(r.formulas.begin(), r.formulas.end(), "amec.roi/1") == 1);
    CHECK(std::find_if(r.caveats.begin(), r.caveats.end(), [](const core::Caveat& c) {
              return c.id == "roi_model";
          }) != r.caveats.end());
}

TEST_CASE("AMEC in euros converts each day's amounts at that day's exchange rate",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("amec");
    q.currency = "EUR";
    const auto r = f.run(q);
    CHECK(r.currency == "EUR");
    // K3's 500.00 USD starts on 10 March: the 1 March rate (0.92) applies.
    CHECK(value(r, "inputs", "spend", "EUR") == "166000");
    // o4's 30.00 USD on 11 March at 0.92.
    CHECK(value(r, "outcomes", "revenue", "EUR") == "31760");
    CHECK(value(r, "impact", "attributed_revenue", "EUR") == "31760");
    CHECK(value(r, "impact", "roi") == "-0.8087");
    CHECK(value(r, "impact", "cost_per_engagement") == "40.4878");
    CHECK(value(r, "impact", "cpm") == "2605.9655");
    CHECK(std::find_if(r.caveats.begin(), r.caveats.end(), [](const core::Caveat& c) {
              return c.id == "converted";
          }) != r.caveats.end());
}

TEST_CASE("AMEC of one campaign sets its targets against the actuals", "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("amec");
    q.campaign = f.id["LAUNCH"];
    const auto r = f.run(q);
    CHECK(value(r, "inputs", "budget", "EUR") == "800000");
    CHECK(value(r, "inputs", "spend", "EUR") == "120000");
    CHECK(value(r, "inputs", "people_contacted") == "2");
    CHECK(value(r, "activities", "contacts") == "2");
    CHECK(value(r, "activities", "events") == "1");
    CHECK(value(r, "activities", "checkins") == "2");
    CHECK(value(r, "activities", "collaborations") == "2");
    CHECK(value(r, "outputs", "posts") == "3");
    CHECK(value(r, "outputs", "impressions") == "50000");
    CHECK(value(r, "outputs", "reach") == "34000");
    CHECK(value(r, "outtakes", "engagements") == "3300");
    CHECK(value(r, "outtakes", "engagement_rate") == "9.7059");
    CHECK(value(r, "outtakes", "clicks") == "3");
    CHECK(value(r, "outtakes", "click_through_rate") == "0.006");
    CHECK(value(r, "outcomes", "conversions") == "4");
    CHECK(value(r, "outcomes", "conversion_rate") == "133.3333");
    CHECK(value(r, "outcomes", "revenue", "EUR") == "17000");
    // o1 names SUMMER's link last: none of it is the launch's under last click.
    CHECK(value(r, "impact", "attributed_revenue", "EUR") == "17000");
    CHECK(value(r, "impact", "attributed_revenue", "USD") == "3000");
    CHECK(value(r, "impact", "roi") == "null");  // attributed in two currencies
    CHECK(value(r, "impact", "cost_per_engagement", "EUR") == "36.3636");
    CHECK(value(r, "impact", "cpm", "EUR") == "2400");
    CHECK(value(r, "impact", "relationships_progressed") == "1");
    // Targets: outputs.reach=40000, outtakes.engagements=3000, outcomes.conversions=5.
    CHECK(value(r, "outputs", "reach", "", "target") == "40000");
    CHECK(value(r, "outputs", "reach", "", "attainment") == "85");
    CHECK(value(r, "outtakes", "engagements", "", "attainment") == "110");
    CHECK(value(r, "outcomes", "conversions", "", "attainment") == "80");
    CHECK(value(r, "outputs", "posts", "", "target") == "null");
    // The NPS the team entered.
    CHECK(ReportsFixture::cell(r, "measurements", "NPS", "value") == "42");
    CHECK(ReportsFixture::cell(r, "measurements", "NPS", "date") == "\"2026-03-31\"");

    q.currency = "EUR";
    const auto eur = f.run(q);
    CHECK(value(eur, "impact", "attributed_revenue", "EUR") == "19760");
    CHECK(value(eur, "impact", "roi") == "-0.8353");
}

TEST_CASE("AMEC of a programme counts its campaigns and its own budget",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("amec");
    q.programme = f.id["SPRING"];
    const auto r = f.run(q);
    CHECK(value(r, "inputs", "budget", "EUR") == "1500000");
    CHECK(value(r, "outputs", "posts") == "4");  // P1-P4; P5 and P6 are organic
    CHECK(value(r, "outcomes", "conversions") == "5");
}

TEST_CASE("AMEC for a regional scope counts only what the region's replica holds",
          "[core][reports][central]") {
    ReportsFixture f;
    // A post with no scope key of its own is where its person is: Ana's is in the north.
    f.make(Kind::kContent, "P8",
           {{"influencer", f.ref("Ana")},
            {"platform", std::string("blog")},
            {"url", std::string("https://blog.example/ana")},
            {"published_at", utc("2026-03-28T08:00")},
            {"reach", std::int64_t(500)}});
    auto q = query("amec");
    q.scope = f.region_scope("NORTH");
    const auto r = f.run(q);
    CHECK(value(r, "inputs", "budget", "EUR") == "800000");
    CHECK(value(r, "inputs", "spend", "EUR") == "120000");
    CHECK(value(r, "activities", "contacts") == "3");
    CHECK(value(r, "inputs", "people_contacted") == "2");
    CHECK(value(r, "outputs", "posts") == "5");  // P1, P2, P3, P6 and the keyless P8
    CHECK(value(r, "outputs", "reach") == "37500");
    CHECK(value(r, "outtakes", "engagements") == "3500");
    CHECK(value(r, "outtakes", "clicks") == "3");
    CHECK(value(r, "outcomes", "conversions") == "4");

    // The same scope, asked by the south's stores only: nothing of the north.
    q.scope.regions = {};
    q.scope.stores = {f.ref("NICE")};
    const auto south = f.run(q);
    CHECK(value(south, "activities", "contacts") == "1");  // i4 at Nice
}

TEST_CASE("AMEC with empty periods and zero denominators gives nulls not errors",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("amec");
    q.from = "2025-01-01";
    q.to = "2025-01-31";
    const auto r = f.run(q);
    CHECK(value(r, "outputs", "posts") == "0");
    CHECK(value(r, "outtakes", "engagement_rate") == "null");
    CHECK(value(r, "outtakes", "click_through_rate") == "null");
    CHECK(value(r, "outcomes", "conversion_rate") == "null");
    CHECK(value(r, "impact", "roi") == "null");
}

TEST_CASE("AMEC by month and by tier splits contacts posts and clicks",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("amec");
    q.from = "2026-02-01";
    q.group_by = "month";
    const auto r = f.run(q);
    CHECK(ReportsFixture::cell(r, "by_month", "2026-02", "contacts") == "1");  // i5
    CHECK(ReportsFixture::cell(r, "by_month", "2026-02", "posts") == "1");     // P7
    CHECK(ReportsFixture::cell(r, "by_month", "2026-02", "clicks") == "1");    // c6
    CHECK(ReportsFixture::cell(r, "by_month", "2026-03", "posts") == "6");
    CHECK(ReportsFixture::cell(r, "by_month", "2026-03", "engagement_rate") == "8.913");

    q.group_by = "tier";
    q.from = "";
    const auto t = f.run(q);
    CHECK(ReportsFixture::cell(t, "by_tier", "top", "posts") == "3");  // P1, P2, P4
    CHECK(ReportsFixture::cell(t, "by_tier", "top", "clicks") == "5");
    CHECK(ReportsFixture::cell(t, "by_tier", "expert", "contacts") == "1");

    q.group_by = "platform";
    const auto p = f.run(q);
    CHECK(ReportsFixture::cell(p, "by_platform", "instagram", "posts") == "3");
    CHECK(ReportsFixture::cell(p, "by_platform", "instagram", "contacts") == "null");
}

TEST_CASE("reports refuse bad parameters with the parameter named", "[core][reports][central]") {
    ReportsFixture f;
    auto bad = [&](auto change) {
        auto q = query("amec");
        change(q);
        auto r = core::run_report(f.store(), q);
        REQUIRE_FALSE(r.is_ok());
        return r.status().detail();
    };
    CHECK(bad([](ReportQuery& q) { q.report = "nope"; }).find("no report named") == 0);
    CHECK(bad([](ReportQuery& q) { q.from = "2026-02-30"; }).find("from:") == 0);
    CHECK(bad([](ReportQuery& q) {
              q.from = "2026-03-02";
              q.to = "2026-03-01";
          }).find("to: before from") == 0);
    CHECK(bad([](ReportQuery& q) { q.group_by = "colour"; }).find("group_by:") == 0);
    CHECK(bad([](ReportQuery& q) { q.currency = "euro"; }).find("currency:") == 0);
    CHECK(bad([](ReportQuery& q) { q.model = "magic"; }).find("model:") == 0);
    CHECK(bad([](ReportQuery& q) { q.market = "France"; }).find("market:") == 0);
}

TEST_CASE("a report as JSON and CSV carries its formulas caveats and guarded text",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("amec");
    q.campaign = f.id["LAUNCH"];
    const auto r = f.run(q);
    const std::string json = core::report_json(r);
    CHECK(json.rfind("{\"report\":\"amec\",\"title\":\"AMEC report\"", 0) == 0);
    CHECK(json.find("\"formulas\":[\"amec.attainment/1\"") != std::string::npos);
    CHECK(json.find("{\"id\":\"roi_model\",\"text\":") != std::string::npos);
    auto one = core::report_csv(r, "outputs");
    REQUIRE(one.is_ok());
    CHECK(one.value().rfind("metric,value,unit,currency,target,attainment,formula\r\n", 0) == 0);
    CHECK(one.value().find("reach,34000,count,,40000,85,amec.reach/1\r\n") != std::string::npos);
    auto all = core::report_csv(r);
    REQUIRE(all.is_ok());
    CHECK(all.value().rfind("table,metric,value", 0) == 0);
    CHECK(all.value().find("\r\n\r\ntable,metric,value") != std::string::npos);
    CHECK(core::report_csv(r, "nope").status().code() == Code::kNotFound);
    // A measurement named like a formula is quoted for spreadsheets.
    f.make(Kind::kOutcome, "evil",
           {{"metric", std::string("=HYPERLINK(1)")},
            {"value", std::int64_t(1)},
            {"date", std::string("2026-03-30")},
            {"campaign", f.ref("LAUNCH")}});
    auto csv = core::report_csv(f.run(q), "measurements");
    REQUIRE(csv.is_ok());
    CHECK(csv.value().find("'=HYPERLINK(1)") != std::string::npos);
}

}  // namespace liaison::test::core_reports_amec

namespace liaison::test::core_reports_amec {

TEST_CASE("an erased person leaves the figures she was part of as docs/METRICS.md says",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("amec");
    q.campaign = f.id["LAUNCH"];
    // Before, with her: read once, so that the report after reads what the erasure changed.
    CHECK(value(f.run(q), "activities", "contacts") == "2");
    REQUIRE(f.node->replica->erase(core::Kind::kInfluencer, f.id["Ana"]).is_ok());
    const auto r = f.run(q);
    // Her contact i1, her posts P1 and P2 and her link L1 are gone; her collaboration K1 is
    // kept without her (R12: its fee stays in the spend); the clicks on L1 name no one and
    // stay; o3 (promo ANA10 of K1) and the orders on L1 no longer credit anyone.
    CHECK(value(r, "activities", "contacts") == "1");  // i3, Ben's
    CHECK(value(r, "outputs", "posts") == "1");        // P3
    CHECK(value(r, "inputs", "spend", "EUR") == "120000");
    CHECK(value(r, "outtakes", "clicks") == "3");
    CHECK(value(r, "impact", "relationships_progressed") == "0");
}

}  // namespace liaison::test::core_reports_amec

namespace liaison::test::core_reports_amec {

TEST_CASE("a region filter counts the entries of its stores that name no region",
          "[core][reports][central]") {
    ReportsFixture f;
    // A contact logged at Lille by a device that set only its store.
    f.make(core::Kind::kInteraction, "i6",
           {{"influencer", f.ref("Ben")},
            {"at", utc("2026-03-25T10:00")},
            {"touchpoint", std::string("store")},
            {"department", std::string("retail")},
            {"store", f.ref("LILLE")}});
    auto q = query("amec");
    q.region = f.id["NORTH"];
    const auto r = f.run(q);
    CHECK(value(r, "activities", "contacts") == "4");  // i1, i2, i3 and i6
    q.region = f.id["SOUTH"];
    CHECK(value(f.run(q), "activities", "contacts") == "1");  // i4
}

}  // namespace liaison::test::core_reports_amec
