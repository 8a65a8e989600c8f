// The influence pyramid (core/query/reports/pyramid.cpp) over the golden fixture: every figure
// below is computed by hand in docs/METRICS.md ("The pyramid and concentration", worked
// example).
#include <catch2/catch.hpp>

#include "support/reports_fixture.hpp"

namespace liaison::test::core_reports_pyramid {
namespace {

using core::Kind;
using core::ReportQuery;

ReportQuery pyramid(const std::string& metric = "") {
    auto q = query("pyramid");
    q.metric = metric;
    return q;
}

// A tier's row of the pyramid as "people active posts engagements reach".
std::string tier(const core::Report& r, const std::string& name) {
    return ReportsFixture::cells(r, "tiers", name,
                                 {"people", "active", "posts", "engagements", "reach"});
}

// The revenue of a tier in a currency ("" when it has no such row).
std::string revenue(const core::Report& r, const std::string& name, const std::string& currency) {
    return ReportsFixture::find_cell(r, "revenue_by_tier", name, "revenue", {"currency", currency})
        .value_or("");
}

// The Lorenz curve's value shares, 0 % to 100 % of the people.
std::vector<std::string> lorenz(const core::Report& r) {
    std::vector<std::string> out;
    for (const auto& row : ReportsFixture::table(r, "lorenz").rows)
        out.push_back(core::cell_json(row[2]));
    return out;
}

}  // namespace

TEST_CASE("the pyramid in March reproduces the worked example", "[core][reports][central]") {
    ReportsFixture f;
    const auto r = f.run(pyramid());
    CHECK(r.title == "Influence pyramid");
    // Ana and Cleo are top (P7, Cleo's February post, is out of the period).
    CHECK(tier(r, "top") == "2 2 3 3500 38000");
    CHECK(tier(r, "expert") == "1 1 1 300 4000");
    CHECK(tier(r, "employee") == "0 0 0 0 0");
    CHECK(tier(r, "advocate") == "1 1 1 100 1000");
    CHECK(tier(r, "prospect") == "1 1 1 200 3000");
    CHECK(tier(r, "(none)") == "0 0 0 0 0");
    CHECK(tier(r, "all") == "5 5 6 4100 46000");
    // Revenue by code: o2, o3 (ANA10), o4, o5 to Ana; o1 (L2) to Cleo.
    CHECK(revenue(r, "top", "EUR") == "29000");
    CHECK(revenue(r, "top", "USD") == "3000");
    CHECK(revenue(r, "expert", "EUR").empty());
    CHECK(revenue(r, "all", "EUR") == "29000");
    CHECK(revenue(r, "all", "USD") == "3000");

    // Engagements: Ana 3000, Cleo 500, Ben 300, Eve 200, Dan 100; five people, the top 1 %,
    // 3 %, 10 % and 20 % are each one person.
    for (const char* g : {"top 1 %", "top 3 %", "top 10 %", "top 20 %"}) {
        CHECK(ReportsFixture::cell(r, "concentration", g, "people") == "1");
        CHECK(ReportsFixture::cell(r, "concentration", g, "value") == "3000");
        CHECK(ReportsFixture::cell(r, "concentration", g, "share") == "73.1707");
    }
    CHECK(ReportsFixture::cell(r, "concentration", "all", "people") == "5");
    CHECK(ReportsFixture::cell(r, "concentration", "all", "value") == "4100");
    CHECK(ReportsFixture::cell(r, "concentration", "all", "share") == "100");
    CHECK(lorenz(r) == std::vector<std::string>{"0", "1.2195", "2.439", "4.878", "7.3171",
                                                "10.9756", "14.6341", "20.7317", "26.8293",
                                                "63.4146", "100"});
    CHECK(ReportsFixture::cell(r, "lorenz", "50 %", "people_share") == "50");
    CHECK(ReportsFixture::cell(r, "gini", "engagements", "people") == "5");
    CHECK(ReportsFixture::cell(r, "gini", "engagements", "gini") == "0.5951");
    const auto& top = ReportsFixture::table(r, "top_people");
    REQUIRE(top.rows.size() == 1);
    CHECK(ReportsFixture::cell(r, "top_people", "Ana", "tier") == "\"top\"");
    CHECK(ReportsFixture::cell(r, "top_people", "Ana", "value") == "3000");
    CHECK(ReportsFixture::cell(r, "top_people", "Ana", "share") == "73.1707");
    CHECK(r.formulas ==
          std::vector<std::string>{"pyramid.active/1", "pyramid.engagements/1", "pyramid.gini/1",
                                   "pyramid.lorenz/1", "pyramid.people/1", "pyramid.posts/1",
                                   "pyramid.reach/1", "pyramid.revenue/1", "pyramid.top_people/1",
                                   "pyramid.top_share/1", "pyramid.top_value/1"});
}

TEST_CASE("the pyramid's concentration of reach and of revenue", "[core][reports][central]") {
    ReportsFixture f;
    const auto reach = f.run(pyramid("reach"));
    // Ana 30000, Cleo 8000, Ben 4000, Eve 3000, Dan 1000.
    CHECK(ReportsFixture::cell(reach, "concentration", "top 20 %", "value") == "30000");
    CHECK(ReportsFixture::cell(reach, "concentration", "top 20 %", "share") == "65.2174");
    CHECK(ReportsFixture::cell(reach, "gini", "reach", "gini") == "0.5478");
    CHECK(ReportsFixture::cell(reach, "top_people", "Ana", "value") == "30000");

    // Revenue in EUR and USD: one figure per person needs a report currency.
    const auto mixed = f.run(pyramid("revenue"));
    CHECK(ReportsFixture::cell(mixed, "concentration", "top 1 %", "share") == "null");
    CHECK(ReportsFixture::cell(mixed, "gini", "revenue", "gini") == "null");
    CHECK(ReportsFixture::table(mixed, "top_people").rows.empty());
    CHECK(std::find(mixed.notes.begin(), mixed.notes.end(),
                    "revenue is in several currencies: its concentration needs a report currency "
                    "(currency=…)") != mixed.notes.end());

    // In EUR: o4's 30.00 USD on 11 March at 0.92 is 27.60 EUR; Ana 197.60, Cleo 120.00.
    auto q = pyramid("revenue");
    q.currency = "EUR";
    const auto eur = f.run(q);
    CHECK(revenue(eur, "top", "EUR") == "31760");
    CHECK(revenue(eur, "expert", "EUR") == "0");
    CHECK(ReportsFixture::cell(eur, "concentration", "top 1 %", "value") == "19760");
    CHECK(ReportsFixture::cell(eur, "concentration", "top 1 %", "currency") == "\"EUR\"");
    CHECK(ReportsFixture::cell(eur, "concentration", "top 1 %", "share") == "62.2166");
    CHECK(ReportsFixture::cell(eur, "concentration", "all", "value") == "31760");
    CHECK(ReportsFixture::cell(eur, "gini", "revenue", "gini") == "0.6489");
    CHECK(ReportsFixture::cell(eur, "top_people", "Ana", "value") == "19760");
}

TEST_CASE("a regional pyramid counts only its region's people and posts",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = pyramid();
    q.scope = f.region_scope("NORTH");
    const auto r = f.run(q);
    // Ana, Ben and Eve; Cleo and Dan are the south's.
    CHECK(tier(r, "top") == "1 1 2 3000 30000");
    CHECK(tier(r, "expert") == "1 1 1 300 4000");
    CHECK(tier(r, "advocate") == "0 0 0 0 0");
    CHECK(tier(r, "prospect") == "1 1 1 200 3000");
    CHECK(tier(r, "all") == "3 3 4 3500 37000");
    CHECK(revenue(r, "top", "EUR") == "17000");
    CHECK(revenue(r, "top", "USD") == "3000");
    CHECK(ReportsFixture::cell(r, "concentration", "top 20 %", "people") == "1");
    CHECK(ReportsFixture::cell(r, "concentration", "top 20 %", "share") == "85.7143");
    CHECK(ReportsFixture::cell(r, "gini", "engagements", "gini") == "0.5333");
}

TEST_CASE("people without posts count in the concentration as zeros", "[core][reports][central]") {
    ReportsFixture f;
    for (const char* name : {"Fay", "Gus", "Hal", "Ivy", "Jo"})
        f.make(Kind::kInfluencer, name, {{"name", core::Value(std::string(name))}});
    const auto r = f.run(pyramid());
    CHECK(tier(r, "(none)") == "5 0 0 0 0");
    // Ten people: the top 1 %, 3 % and 10 % are one (Ana), the top 20 % two (Ana and Cleo).
    CHECK(ReportsFixture::cell(r, "concentration", "top 10 %", "people") == "1");
    CHECK(ReportsFixture::cell(r, "concentration", "top 20 %", "people") == "2");
    CHECK(ReportsFixture::cell(r, "concentration", "top 20 %", "value") == "3500");
    CHECK(ReportsFixture::cell(r, "concentration", "top 20 %", "share") == "85.3659");
    CHECK(ReportsFixture::cell(r, "gini", "engagements", "gini") == "0.7976");
    CHECK(lorenz(r)[5] == "0");
    CHECK(lorenz(r)[6] == "2.439");
    CHECK(lorenz(r)[9] == "26.8293");
    const auto& top = ReportsFixture::table(r, "top_people");
    REQUIRE(top.rows.size() == 2);
    CHECK(top.rows[0][0].text == "Ana");
    CHECK(top.rows[1][0].text == "Cleo");
}

TEST_CASE("a pyramid over an empty period has null shares and a null Gini",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = pyramid();
    q.from = "2026-01-01";
    q.to = "2026-01-31";
    const auto r = f.run(q);
    CHECK(tier(r, "all") == "5 0 0 0 0");
    CHECK(ReportsFixture::cell(r, "concentration", "top 20 %", "share") == "null");
    CHECK(ReportsFixture::cell(r, "gini", "engagements", "gini") == "null");
    CHECK(lorenz(r)[10] == "null");
    CHECK(ReportsFixture::table(r, "top_people").rows.empty());
}

TEST_CASE("a campaign's pyramid keeps the people who worked on it", "[core][reports][central]") {
    ReportsFixture f;
    auto q = pyramid();
    q.campaign = f.id.at("LAUNCH");
    const auto r = f.run(q);
    // K1 (Ana) and K2 (Ben); their LAUNCH posts P1, P2 and P3; o2–o5 name LAUNCH.
    CHECK(tier(r, "all") == "2 2 3 3300 34000");
    CHECK(tier(r, "top") == "1 1 2 3000 30000");
    CHECK(revenue(r, "top", "EUR") == "17000");
    CHECK(ReportsFixture::cell(r, "gini", "engagements", "gini") == "0.4091");
}

}  // namespace liaison::test::core_reports_pyramid
