// The EMV report (core/query/reports/emv.cpp) over the golden fixture: every figure below is
// computed by hand in docs/METRICS.md ("EMV", worked example).
#include <catch2/catch.hpp>

#include "support/reports_fixture.hpp"

namespace liaison::test::core_reports_emv {
namespace {

using core::Kind;
using core::ReportQuery;
using core::Value;

Value text(const char* v) { return Value(std::string(v)); }

// A row of a per-brand or per-platform table as "currency posts valued emv".
std::string row(const core::Report& r, const std::string& table, const std::string& key) {
    return ReportsFixture::cells(r, table, key, {"currency", "posts", "valued", "emv"});
}

// A line of the inputs table as "value per posts quantity emv".
std::string line(const core::Report& r, const std::string& key) {
    return ReportsFixture::cells(r, "inputs", key, {"value", "per", "posts", "quantity", "emv"});
}

}  // namespace

TEST_CASE("EMV is off by default and then shows no figure", "[core][reports][central]") {
    ReportsFixture f;
    const auto r = f.run(query("emv"));
    REQUIRE(r.tables.size() == 1);
    CHECK(r.tables[0].id == "emv_off");
    for (const auto& col : r.tables[0].columns) CHECK(col.unit == "text");
    CHECK(r.formulas.empty());
    CHECK(r.settings[0] == std::pair<std::string, std::string>{"emv_enabled", "false"});
}

TEST_CASE("EMV with full credit reproduces the worked example", "[core][reports][central]") {
    ReportsFixture f;
    f.setting("emv_enabled", "true");
    const auto r = f.run(query("emv"));
    CHECK(r.title == "Earned media value (EMV)");
    CHECK(r.settings[1] == std::pair<std::string, std::string>{"emv_credit", "full"});
    // P1 20500, P2 9000, P3 2500, P5 2000, P6 400; P4 (YouTube) has no rate card.
    CHECK(row(r, "by_brand", "Maison") == "\"EUR\" 4 3 32000");
    CHECK(row(r, "by_brand", "Rival") == "\"EUR\" 2 2 11000");
    CHECK(row(r, "by_brand", "Other") == "\"EUR\" 1 1 400");
    CHECK_FALSE(ReportsFixture::has_row(r, "by_brand", "(no brand)"));
    CHECK(row(r, "by_platform", "instagram") == "\"EUR\" 3 3 25000");
    CHECK(row(r, "by_platform", "tiktok") == "\"EUR\" 2 2 9400");
    CHECK(row(r, "by_platform", "youtube") == "\"\" 1 0 null");
    CHECK(row(r, "by_platform", "all") == "\"EUR\" 6 5 34400");
    // The inputs: every line of version 2026.1 with what it gave.
    CHECK(line(r, "2026.1 instagram comments") == "50 1 3 110 5500");
    CHECK(line(r, "2026.1 instagram impressions") == "500 1000 3 21200 10600");
    CHECK(line(r, "2026.1 instagram likes") == "10 1 3 890 8900");
    CHECK(line(r, "2026.1 tiktok shares") == "20 1 2 200 4000");
    CHECK(line(r, "2026.1 tiktok video_views") == "200 1000 2 27000 5400");
    CHECK(ReportsFixture::table(r, "inputs").rows.size() == 5);
    CHECK(ReportsFixture::cell(r, "inputs", "2026.1 tiktok shares", "valid_from") ==
          "\"2026-01-01\"");
    // Never revenue; every EMV column carries its caveat.
    for (const auto& t : r.tables)
        for (const auto& col : t.columns) {
            CHECK(col.label.find("evenue") == std::string::npos);
            if (col.id == "emv") CHECK(col.caveat == "emv");
        }
    REQUIRE(r.caveats.size() == 1);
    CHECK(r.caveats[0].id == "emv");
    CHECK(r.notes == std::vector<std::string>{"posts not valued (no rate-card line in force on "
                                              "their day for their platform: youtube): 1"});
}

TEST_CASE("EMV with split credit shares a post among the brands it names",
          "[core][reports][central]") {
    ReportsFixture f;
    f.setting("emv_enabled", "true");
    f.setting("emv_credit", "split");
    const auto r = f.run(query("emv"));
    CHECK(r.settings[1] == std::pair<std::string, std::string>{"emv_credit", "split"});
    // P2's 9000 is 4500 to Maison and 4500 to Rival.
    CHECK(row(r, "by_brand", "Maison") == "\"EUR\" 4 3 27500");
    CHECK(row(r, "by_brand", "Rival") == "\"EUR\" 2 2 6500");
    CHECK(row(r, "by_brand", "Other") == "\"EUR\" 1 1 400");
    CHECK(row(r, "by_platform", "all") == "\"EUR\" 6 5 34400");
}

TEST_CASE("EMV takes the newest rate-card version in force on the post's day",
          "[core][reports][central]") {
    ReportsFixture f;
    f.setting("emv_enabled", "true");
    // 2026.2 for Instagram from 15 March: impressions only, at €10.00 the thousand.
    f.make(Kind::kRateCard, "rc6",
           {{"version", text("2026.2")},
            {"platform", text("instagram")},
            {"metric", text("impressions")},
            {"value", Value(std::int64_t(1000))},
            {"currency", text("EUR")},
            {"valid_from", text("2026-03-15")}});
    const auto r = f.run(query("emv"));
    // P5 (18 March) takes 2026.2: 1200 impressions, 1200; P1 and P3 keep 2026.1.
    CHECK(row(r, "by_platform", "instagram") == "\"EUR\" 3 3 24200");
    CHECK(row(r, "by_brand", "Rival") == "\"EUR\" 2 2 10200");
    CHECK(line(r, "2026.2 instagram impressions") == "1000 1000 1 1200 1200");
    CHECK(line(r, "2026.1 instagram impressions") == "500 1000 2 20000 10000");
    CHECK(line(r, "2026.1 instagram likes") == "10 1 2 800 8000");
    CHECK(line(r, "2026.1 instagram comments") == "50 1 2 100 5000");
}

TEST_CASE("a regional EMV counts only its region", "[core][reports][central]") {
    ReportsFixture f;
    f.setting("emv_enabled", "true");
    auto q = query("emv");
    q.scope = f.region_scope("NORTH");
    const auto r = f.run(q);
    // P1, P2, P3 and P6.
    CHECK(row(r, "by_brand", "Maison") == "\"EUR\" 3 3 32000");
    CHECK(row(r, "by_brand", "Rival") == "\"EUR\" 1 1 9000");
    CHECK(row(r, "by_brand", "Other") == "\"EUR\" 1 1 400");
    CHECK(row(r, "by_platform", "instagram") == "\"EUR\" 2 2 23000");
    CHECK(row(r, "by_platform", "all") == "\"EUR\" 4 4 32400");
    CHECK_FALSE(ReportsFixture::has_row(r, "by_platform", "youtube"));
}

TEST_CASE("EMV over an empty period has no value", "[core][reports][central]") {
    ReportsFixture f;
    f.setting("emv_enabled", "true");
    auto q = query("emv");
    q.from = "2026-01-01";
    q.to = "2026-01-31";
    const auto r = f.run(q);
    CHECK(ReportsFixture::table(r, "by_brand").rows.empty());
    CHECK(row(r, "by_platform", "all") == "\"\" 0 0 null");
    CHECK(ReportsFixture::table(r, "inputs").rows.empty());
}

TEST_CASE("EMV in a report currency and for one brand", "[core][reports][central]") {
    ReportsFixture f;
    f.setting("emv_enabled", "true");
    auto q = query("emv");
    q.currency = "EUR";
    q.brand = f.id.at("RIVAL");
    const auto r = f.run(q);
    // The brand filter keeps the posts naming Rival (P2, P5) and Rival's row.
    CHECK(row(r, "by_brand", "Rival") == "\"EUR\" 2 2 11000");
    CHECK_FALSE(ReportsFixture::has_row(r, "by_brand", "Maison"));
    CHECK(row(r, "by_platform", "all") == "\"EUR\" 2 2 11000");
}

}  // namespace liaison::test::core_reports_emv
