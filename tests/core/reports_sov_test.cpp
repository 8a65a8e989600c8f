// The share-of-voice report (core/query/reports/sov.cpp) over the golden fixture: every figure
// below is computed by hand in docs/METRICS.md ("Share of voice", worked example).
#include <catch2/catch.hpp>

#include "support/reports_fixture.hpp"

namespace liaison::test::core_reports_sov {
namespace {

using core::Kind;
using core::ReportQuery;

// The cell of a breakdown table in the row (dimension value, brand).
std::string cell2(const core::Report& r, const std::string& table, const std::string& dim,
                  const std::string& brand, const std::string& column) {
    return ReportsFixture::cell(r, table, dim, column, {"brand", brand});
}

// Volume and share of one metric, as "volume share".
std::string vs(const core::Report& r, const std::string& table, const std::string& brand,
               const std::string& metric) {
    return ReportsFixture::cell(r, table, brand, metric) + " " +
           ReportsFixture::cell(r, table, brand, metric + "_share");
}

}  // namespace

TEST_CASE("share of voice in March reproduces the worked example", "[core][reports][central]") {
    ReportsFixture f;
    const auto r = f.run(query("sov"));
    CHECK(r.title == "Share of voice");
    // The set: every brand (no market asked), by name.
    const auto& set = ReportsFixture::table(r, "tracked_set");
    REQUIRE(set.rows.size() == 3);
    CHECK(set.rows[0][0].text == "Maison");
    CHECK(set.rows[0][1].text == "no");
    CHECK(set.rows[1][0].text == "Other");
    CHECK(set.rows[2][0].text == "Rival");
    CHECK(set.rows[2][1].text == "yes");

    // The denominators: P1–P6, each once (P2 names Maison and Rival).
    CHECK(vs(r, "share_of_voice", "(tracked set)", "posts") == "6 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "influencers") == "5 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "engagements") == "4100 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "reach") == "46000 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "video_views") == "34000 100");
    // Maison: P1, P2, P3, P4.
    CHECK(vs(r, "share_of_voice", "Maison", "posts") == "4 66.6667");
    CHECK(vs(r, "share_of_voice", "Maison", "influencers") == "3 60");
    CHECK(vs(r, "share_of_voice", "Maison", "engagements") == "3800 92.6829");
    CHECK(vs(r, "share_of_voice", "Maison", "reach") == "42000 91.3043");
    CHECK(vs(r, "share_of_voice", "Maison", "video_views") == "32000 94.1176");
    // Rival: P2 (shared with Maison) and P5.
    CHECK(vs(r, "share_of_voice", "Rival", "posts") == "2 33.3333");
    CHECK(vs(r, "share_of_voice", "Rival", "influencers") == "2 40");
    CHECK(vs(r, "share_of_voice", "Rival", "engagements") == "2100 51.2195");
    CHECK(vs(r, "share_of_voice", "Rival", "reach") == "21000 45.6522");
    CHECK(vs(r, "share_of_voice", "Rival", "video_views") == "25000 73.5294");
    // Other: P6.
    CHECK(vs(r, "share_of_voice", "Other", "posts") == "1 16.6667");
    CHECK(vs(r, "share_of_voice", "Other", "influencers") == "1 20");
    CHECK(vs(r, "share_of_voice", "Other", "engagements") == "200 4.878");
    CHECK(vs(r, "share_of_voice", "Other", "reach") == "3000 6.5217");
    CHECK(vs(r, "share_of_voice", "Other", "video_views") == "2000 5.8824");

    // Paid (P1–P4, made for a collaboration) and organic (P5, P6).
    CHECK(vs(r, "paid", "(tracked set)", "posts") == "4 100");
    CHECK(vs(r, "paid", "(tracked set)", "influencers") == "3 100");
    CHECK(vs(r, "paid", "(tracked set)", "engagements") == "3800 100");
    CHECK(vs(r, "paid", "(tracked set)", "reach") == "42000 100");
    CHECK(vs(r, "paid", "(tracked set)", "video_views") == "32000 100");
    CHECK(vs(r, "paid", "Maison", "posts") == "4 100");
    CHECK(vs(r, "paid", "Maison", "influencers") == "3 100");
    CHECK(vs(r, "paid", "Maison", "engagements") == "3800 100");
    CHECK(vs(r, "paid", "Maison", "reach") == "42000 100");
    CHECK(vs(r, "paid", "Maison", "video_views") == "32000 100");
    CHECK(vs(r, "paid", "Rival", "posts") == "1 25");
    CHECK(vs(r, "paid", "Rival", "influencers") == "1 33.3333");
    CHECK(vs(r, "paid", "Rival", "engagements") == "2000 52.6316");
    CHECK(vs(r, "paid", "Rival", "reach") == "20000 47.619");
    CHECK(vs(r, "paid", "Rival", "video_views") == "25000 78.125");
    CHECK(vs(r, "paid", "Other", "posts") == "0 0");
    CHECK(vs(r, "paid", "Other", "video_views") == "0 0");
    CHECK(vs(r, "organic", "(tracked set)", "posts") == "2 100");
    CHECK(vs(r, "organic", "(tracked set)", "influencers") == "2 100");
    CHECK(vs(r, "organic", "(tracked set)", "engagements") == "300 100");
    CHECK(vs(r, "organic", "(tracked set)", "reach") == "4000 100");
    CHECK(vs(r, "organic", "(tracked set)", "video_views") == "2000 100");
    CHECK(vs(r, "organic", "Maison", "posts") == "0 0");
    CHECK(vs(r, "organic", "Maison", "engagements") == "0 0");
    CHECK(vs(r, "organic", "Rival", "posts") == "1 50");
    CHECK(vs(r, "organic", "Rival", "influencers") == "1 50");
    CHECK(vs(r, "organic", "Rival", "engagements") == "100 33.3333");
    CHECK(vs(r, "organic", "Rival", "reach") == "1000 25");
    CHECK(vs(r, "organic", "Rival", "video_views") == "0 0");
    CHECK(vs(r, "organic", "Other", "posts") == "1 50");
    CHECK(vs(r, "organic", "Other", "influencers") == "1 50");
    CHECK(vs(r, "organic", "Other", "engagements") == "200 66.6667");
    CHECK(vs(r, "organic", "Other", "reach") == "3000 75");
    CHECK(vs(r, "organic", "Other", "video_views") == "2000 100");

    // Mentions and net tone.
    CHECK(ReportsFixture::cell(r, "tone", "Maison", "mentions") == "4");
    CHECK(ReportsFixture::cell(r, "tone", "Maison", "positive") == "2");
    CHECK(ReportsFixture::cell(r, "tone", "Maison", "neutral") == "1");
    CHECK(ReportsFixture::cell(r, "tone", "Maison", "negative") == "1");
    CHECK(ReportsFixture::cell(r, "tone", "Maison", "unrated") == "0");
    CHECK(ReportsFixture::cell(r, "tone", "Maison", "net_tone") == "0.25");
    CHECK(ReportsFixture::cell(r, "tone", "Rival", "mentions") == "2");
    CHECK(ReportsFixture::cell(r, "tone", "Rival", "positive") == "2");
    CHECK(ReportsFixture::cell(r, "tone", "Rival", "net_tone") == "1");
    CHECK(ReportsFixture::cell(r, "tone", "Other", "mentions") == "1");
    CHECK(ReportsFixture::cell(r, "tone", "Other", "neutral") == "1");
    CHECK(ReportsFixture::cell(r, "tone", "Other", "net_tone") == "0");
    CHECK(ReportsFixture::cell(r, "tone", "(tracked set)", "mentions") == "6");
    CHECK(ReportsFixture::cell(r, "tone", "(tracked set)", "positive") == "3");
    CHECK(ReportsFixture::cell(r, "tone", "(tracked set)", "neutral") == "2");
    CHECK(ReportsFixture::cell(r, "tone", "(tracked set)", "negative") == "1");
    CHECK(ReportsFixture::cell(r, "tone", "(tracked set)", "net_tone") == "0.3333");

    // Every share column names its formula and says "over the tracked set only".
    for (const auto& t : r.tables)
        for (const auto& col : t.columns)
            if (col.id.size() > 6 && col.id.substr(col.id.size() - 6) == "_share") {
                CHECK(col.formula == "sov.share/1");
                CHECK(col.caveat == "tracked_set");
            }
    REQUIRE(r.caveats.size() == 1);
    CHECK(r.caveats[0].id == "tracked_set");
    CHECK(r.formulas == std::vector<std::string>{"sov.mentions/1", "sov.net_tone/1", "sov.share/1",
                                                 "sov.volume/1"});
}

TEST_CASE("share of voice in a market keeps the brands of that market",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("sov");
    q.market = "FR";
    const auto r = f.run(q);
    // Other is a GB brand: out of the set, and P6 (which names only Other) with it.
    CHECK_FALSE(ReportsFixture::has_row(r, "share_of_voice", "Other"));
    CHECK(vs(r, "share_of_voice", "(tracked set)", "posts") == "5 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "influencers") == "4 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "engagements") == "3900 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "reach") == "43000 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "video_views") == "32000 100");
    CHECK(vs(r, "share_of_voice", "Maison", "posts") == "4 80");
    CHECK(vs(r, "share_of_voice", "Maison", "influencers") == "3 75");
    CHECK(vs(r, "share_of_voice", "Maison", "engagements") == "3800 97.4359");
    CHECK(vs(r, "share_of_voice", "Maison", "reach") == "42000 97.6744");
    CHECK(vs(r, "share_of_voice", "Maison", "video_views") == "32000 100");
    CHECK(vs(r, "share_of_voice", "Rival", "posts") == "2 40");
    CHECK(vs(r, "share_of_voice", "Rival", "influencers") == "2 50");
    CHECK(vs(r, "share_of_voice", "Rival", "engagements") == "2100 53.8462");
    CHECK(vs(r, "share_of_voice", "Rival", "reach") == "21000 48.8372");
    CHECK(vs(r, "share_of_voice", "Rival", "video_views") == "25000 78.125");

    // A brand without markets is in every market.
    f.make(Kind::kBrand, "NEWCO", {{"name", core::Value(std::string("Newco"))}});
    q.market = "GB";
    const auto gb = f.run(q);
    CHECK(ReportsFixture::has_row(gb, "share_of_voice", "Newco"));
    CHECK(ReportsFixture::has_row(gb, "share_of_voice", "Other"));
    CHECK_FALSE(ReportsFixture::has_row(gb, "share_of_voice", "Maison"));
    CHECK(vs(gb, "share_of_voice", "Newco", "posts") == "0 0");
    CHECK(vs(gb, "share_of_voice", "Other", "posts") == "1 100");
}

TEST_CASE("a regional share of voice counts only its region", "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("sov");
    q.scope = f.region_scope("NORTH");
    const auto r = f.run(q);
    // P1, P2, P3 and P6 are the north's; P4 and P5 the south's.
    CHECK(vs(r, "share_of_voice", "(tracked set)", "posts") == "4 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "influencers") == "3 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "engagements") == "3500 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "reach") == "37000 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "video_views") == "27000 100");
    CHECK(vs(r, "share_of_voice", "Maison", "posts") == "3 75");
    CHECK(vs(r, "share_of_voice", "Maison", "influencers") == "2 66.6667");
    CHECK(vs(r, "share_of_voice", "Maison", "engagements") == "3300 94.2857");
    CHECK(vs(r, "share_of_voice", "Maison", "reach") == "34000 91.8919");
    CHECK(vs(r, "share_of_voice", "Maison", "video_views") == "25000 92.5926");
    CHECK(vs(r, "share_of_voice", "Rival", "posts") == "1 25");
    CHECK(vs(r, "share_of_voice", "Rival", "influencers") == "1 33.3333");
    CHECK(vs(r, "share_of_voice", "Rival", "engagements") == "2000 57.1429");
    CHECK(vs(r, "share_of_voice", "Rival", "reach") == "20000 54.0541");
    CHECK(vs(r, "share_of_voice", "Rival", "video_views") == "25000 92.5926");
    CHECK(vs(r, "share_of_voice", "Other", "posts") == "1 25");
    CHECK(vs(r, "share_of_voice", "Other", "influencers") == "1 33.3333");
    CHECK(vs(r, "share_of_voice", "Other", "engagements") == "200 5.7143");
    CHECK(vs(r, "share_of_voice", "Other", "reach") == "3000 8.1081");
    CHECK(vs(r, "share_of_voice", "Other", "video_views") == "2000 7.4074");
    // The region filter narrows the same way.
    auto filtered = query("sov");
    filtered.region = f.id.at("NORTH");
    const auto by_filter = f.run(filtered);
    CHECK(vs(by_filter, "share_of_voice", "Maison", "engagements") == "3300 94.2857");
}

TEST_CASE("share of voice by platform splits the set per platform", "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("sov");
    q.group_by = "platform";
    const auto r = f.run(q);
    const char* t = "by_platform";
    // Instagram: P1, P3 (Maison), P5 (Rival); no video views.
    CHECK(cell2(r, t, "instagram", "(tracked set)", "posts") == "3");
    CHECK(cell2(r, t, "instagram", "(tracked set)", "engagements") == "1400");
    CHECK(cell2(r, t, "instagram", "Maison", "posts_share") == "66.6667");
    CHECK(cell2(r, t, "instagram", "Maison", "influencers_share") == "66.6667");
    CHECK(cell2(r, t, "instagram", "Maison", "engagements_share") == "92.8571");
    CHECK(cell2(r, t, "instagram", "Maison", "reach_share") == "93.3333");
    CHECK(cell2(r, t, "instagram", "Maison", "video_views_share") == "null");
    CHECK(cell2(r, t, "instagram", "Rival", "posts_share") == "33.3333");
    CHECK(cell2(r, t, "instagram", "Rival", "engagements_share") == "7.1429");
    CHECK(cell2(r, t, "instagram", "Rival", "reach_share") == "6.6667");
    // TikTok: P2 (Maison and Rival), P6 (Other).
    CHECK(cell2(r, t, "tiktok", "(tracked set)", "posts") == "2");
    CHECK(cell2(r, t, "tiktok", "Maison", "posts_share") == "50");
    CHECK(cell2(r, t, "tiktok", "Maison", "influencers_share") == "50");
    CHECK(cell2(r, t, "tiktok", "Maison", "engagements_share") == "90.9091");
    CHECK(cell2(r, t, "tiktok", "Maison", "reach_share") == "86.9565");
    CHECK(cell2(r, t, "tiktok", "Maison", "video_views_share") == "92.5926");
    CHECK(cell2(r, t, "tiktok", "Rival", "engagements_share") == "90.9091");
    CHECK(cell2(r, t, "tiktok", "Other", "posts_share") == "50");
    CHECK(cell2(r, t, "tiktok", "Other", "engagements_share") == "9.0909");
    CHECK(cell2(r, t, "tiktok", "Other", "reach_share") == "13.0435");
    CHECK(cell2(r, t, "tiktok", "Other", "video_views_share") == "7.4074");
    // YouTube: P4 alone.
    CHECK(cell2(r, t, "youtube", "Maison", "posts_share") == "100");
    CHECK(cell2(r, t, "youtube", "Maison", "video_views") == "7000");
    CHECK(cell2(r, t, "youtube", "Maison", "video_views_share") == "100");
    // Only the brands mentioned on a platform have a row there.
    for (const auto& row : ReportsFixture::table(r, t).rows)
        CHECK_FALSE((row[0].text == "youtube" && row[1].text == "Rival"));

    q.group_by = "month";
    const auto m = f.run(q);
    CHECK(cell2(m, "by_month", "2026-03", "Maison", "posts_share") == "66.6667");
    q.group_by = "region";
    const auto g = f.run(q);
    CHECK(cell2(g, "by_region", "North", "Maison", "engagements_share") == "94.2857");
    CHECK(cell2(g, "by_region", "South", "Rival", "posts_share") == "50");
}

TEST_CASE("a brand filter keeps the brand's rows and leaves the shares relative to the set",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("sov");
    q.brand = f.id.at("RIVAL");
    const auto r = f.run(q);
    CHECK(vs(r, "share_of_voice", "Rival", "posts") == "2 33.3333");
    CHECK(vs(r, "share_of_voice", "Rival", "engagements") == "2100 51.2195");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "posts") == "6 100");
    CHECK_FALSE(ReportsFixture::has_row(r, "share_of_voice", "Maison"));
    CHECK_FALSE(ReportsFixture::has_row(r, "tone", "Maison"));
    CHECK(ReportsFixture::cell(r, "tone", "Rival", "net_tone") == "1");
}

TEST_CASE("share of voice over an empty period gives null shares", "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("sov");
    q.from = "2026-01-01";
    q.to = "2026-01-31";
    const auto r = f.run(q);
    CHECK(vs(r, "share_of_voice", "(tracked set)", "posts") == "0 null");
    CHECK(vs(r, "share_of_voice", "Maison", "posts") == "0 null");
    CHECK(vs(r, "share_of_voice", "Maison", "engagements") == "0 null");
    CHECK(vs(r, "paid", "Rival", "reach") == "0 null");
    CHECK(ReportsFixture::cell(r, "tone", "Maison", "mentions") == "0");
    CHECK(ReportsFixture::cell(r, "tone", "Maison", "net_tone") == "null");
}

TEST_CASE("a post naming a brand in its brand field and its mentions counts once",
          "[core][reports][central]") {
    ReportsFixture f;
    auto text = [](const char* v) { return core::Value(std::string(v)); };
    // Q1 names Maison twice (brand field and mentions), Q2 names Other by its brand field only.
    const auto q1 = f.make(Kind::kContent, "Q1",
                           {{"influencer", f.ref("Eve")},
                            {"platform", text("instagram")},
                            {"url", text("https://social.example/Q1")},
                            {"published_at", core::Value(utc("2026-03-26T12:00"))},
                            {"reach", core::Value(std::int64_t(500))},
                            {"brand", f.ref("MAISON")}});
    REQUIRE(f.node->replica->add(Kind::kContent, q1, "brands_mentioned", f.ref("MAISON")).is_ok());
    f.make(Kind::kContent, "Q2",
           {{"influencer", f.ref("Eve")},
            {"platform", text("instagram")},
            {"url", text("https://social.example/Q2")},
            {"published_at", core::Value(utc("2026-03-27T12:00"))},
            {"reach", core::Value(std::int64_t(500))},
            {"brand", f.ref("OTHER")}});
    const auto r = f.run(query("sov"));
    CHECK(vs(r, "share_of_voice", "(tracked set)", "posts") == "8 100");
    CHECK(vs(r, "share_of_voice", "(tracked set)", "reach") == "47000 100");
    CHECK(vs(r, "share_of_voice", "Maison", "posts") == "5 62.5");
    CHECK(vs(r, "share_of_voice", "Maison", "reach") == "42500 90.4255");
    CHECK(vs(r, "share_of_voice", "Other", "posts") == "2 25");
    // Eve posted for Maison now too: Ana, Ben, Cleo, Eve of five.
    CHECK(vs(r, "share_of_voice", "Maison", "influencers") == "4 80");
}

}  // namespace liaison::test::core_reports_sov
