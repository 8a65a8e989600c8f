// The relationship-health report (core/query/reports/health.cpp) over the golden fixture: every
// figure below is computed by hand in docs/METRICS.md ("Relationship health", worked example).
#include <catch2/catch.hpp>

#include "support/reports_fixture.hpp"

namespace liaison::test::core_reports_health {
namespace {

using core::Kind;
using core::ReportQuery;
using core::Value;

// Columns of by_tier: people owned owned_percent median_days_since_contact never_contacted
// retained overdue_follow_ups. Of contact_pressure: p0 p1 p2 p3_5 p6_plus.

// A contact of `who` added on top of the fixture.
void contact(ReportsFixture& f, const std::string& name, const std::string& who,
             const std::string& at, const std::string& department, const std::string& due = "",
             bool done = false) {
    std::vector<sync::FieldWrite> w = {{"influencer", f.ref(who)},
                                       {"at", Value(utc(at))},
                                       {"touchpoint", Value(std::string("email"))},
                                       {"department", Value(department)}};
    if (!due.empty()) {
        w.push_back({"follow_up", Value(std::string("call back"))});
        w.push_back({"follow_up_due", Value(due)});
    }
    if (done) w.push_back({"follow_up_done", Value(std::int64_t(1))});
    f.make(Kind::kInteraction, name, std::move(w));
}

}  // namespace

TEST_CASE("relationship health as of the end of March reproduces the worked example",
          "[core][reports][central]") {
    ReportsFixture f;
    const auto r = f.run(query("health"));
    CHECK(r.title == "Relationship health");
    CHECK(ReportsFixture::cell(r, "settings", "as_of", "value") == "\"2026-03-31\"");
    CHECK(ReportsFixture::cell(r, "settings", "retained_quarters", "value") == "\"4\"");
    // Ana 16 days (15 March), Cleo 26 (5 March): the median of two is their mean.
    CHECK(ReportsFixture::cells(r, "by_tier", "top") == "2 2 100 21 0 0 0");
    CHECK(ReportsFixture::cells(r, "by_tier", "expert") == "1 0 0 11 0 0 0");
    CHECK(ReportsFixture::cells(r, "by_tier", "employee") == "0 0 null null 0 0 0");
    CHECK(ReportsFixture::cells(r, "by_tier", "advocate") == "1 0 0 49 0 0 0");
    CHECK(ReportsFixture::cells(r, "by_tier", "prospect") == "1 0 0 null 1 0 0");
    CHECK(ReportsFixture::cells(r, "by_tier", "all") == "5 2 40 21 1 0 0");
    CHECK(ReportsFixture::table(r, "by_tier").rows.size() == 6);
    // The 30 days before 1 April 00:00: Ana's i1 (2 March 10:00) and i2; Ben's i3; Cleo's i4.
    CHECK(ReportsFixture::cells(r, "contact_pressure", "top") == "0 1 1 0 0");
    CHECK(ReportsFixture::cells(r, "contact_pressure", "expert") == "0 1 0 0 0");
    CHECK(ReportsFixture::cells(r, "contact_pressure", "employee") == "0 0 0 0 0");
    CHECK(ReportsFixture::cells(r, "contact_pressure", "advocate") == "1 0 0 0 0");
    CHECK(ReportsFixture::cells(r, "contact_pressure", "prospect") == "1 0 0 0 0");
    CHECK(ReportsFixture::cells(r, "contact_pressure", "all") == "2 2 1 0 0");
    for (const char* id :
         {"health.people/1", "health.owned/1", "health.median_days_since_contact/1",
          "health.never_contacted/1", "health.retained/1", "health.contact_pressure/1",
          "health.overdue_follow_ups/1"})
        CHECK(std::count(r.formulas.begin(), r.formulas.end(), id) == 1);
}

TEST_CASE("relationship health without a period end is as of today", "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("health");
    q.now_ms = kReportsNow;  // 31 March 12:00: the same day, the same figures
    auto made = core::run_report(f.store(), q);
    REQUIRE(made.is_ok());
    const auto& r = made.value();
    CHECK(ReportsFixture::cell(r, "settings", "as_of", "value") == "\"2026-03-31\"");
    CHECK(ReportsFixture::cells(r, "by_tier", "all") == "5 2 40 21 1 0 0");
    CHECK(ReportsFixture::cells(r, "contact_pressure", "all") == "2 2 1 0 0");
}

TEST_CASE("relationship health with one quarter retains everyone contacted in 91 days",
          "[core][reports][central]") {
    ReportsFixture f;
    f.setting("retained_quarters", "1");
    const auto r = f.run(query("health"));
    // From 31 December 2025 00:00: Ana, Cleo, Ben and Dan (10 February); Eve never.
    CHECK(ReportsFixture::cell(r, "by_tier", "top", "retained") == "2");
    CHECK(ReportsFixture::cell(r, "by_tier", "expert", "retained") == "1");
    CHECK(ReportsFixture::cell(r, "by_tier", "advocate", "retained") == "1");
    CHECK(ReportsFixture::cell(r, "by_tier", "prospect", "retained") == "0");
    CHECK(ReportsFixture::cell(r, "by_tier", "all", "retained") == "4");
}

TEST_CASE("relationship health counts retained quarters and overdue follow-ups at their edges",
          "[core][reports][central]") {
    ReportsFixture f;
    // Ben: one contact in each of the three 91-day windows before the current one.
    contact(f, "h1", "Ben", "2025-11-15T10:00", "retail");
    contact(f, "h2", "Ben", "2025-08-01T10:00", "retail");
    contact(f, "h3", "Ben", "2025-05-01T10:00", "retail");
    // Cleo: the oldest one a minute before the fourth window opens (2 April 2025 00:00).
    contact(f, "h4", "Cleo", "2025-11-01T10:00", "retail");
    contact(f, "h5", "Cleo", "2025-08-15T10:00", "retail");
    contact(f, "h6", "Cleo", "2025-04-01T23:59", "retail");
    // Ana: one follow-up answered by i2 (pr, 15 March), one marked done.
    contact(f, "h7", "Ana", "2026-03-12T10:00", "pr", "2026-03-14");
    contact(f, "h8", "Ana", "2026-03-10T10:00", "retail", "2026-03-20", true);
    // Dan: one overdue (due 30 March), one due on the as-of day (not yet overdue).
    contact(f, "h9", "Dan", "2026-03-25T10:00", "pr", "2026-03-30");
    contact(f, "h10", "Dan", "2026-03-26T10:00", "retail", "2026-03-31");
    // Eve: contacted only after the as-of day (1 April 00:00): still never contacted.
    contact(f, "h11", "Eve", "2026-04-01T00:00", "retail");
    const auto r = f.run(query("health"));
    CHECK(ReportsFixture::cells(r, "by_tier", "top") == "2 2 100 21 0 0 0");
    CHECK(ReportsFixture::cells(r, "by_tier", "expert") == "1 0 0 11 0 1 0");
    CHECK(ReportsFixture::cells(r, "by_tier", "advocate") == "1 0 0 5 0 0 1");
    CHECK(ReportsFixture::cells(r, "by_tier", "all") == "5 2 40 13.5 1 1 1");
    // Ana has four contacts in the 30 days, Dan two.
    CHECK(ReportsFixture::cells(r, "contact_pressure", "top") == "0 1 0 1 0");
    CHECK(ReportsFixture::cells(r, "contact_pressure", "advocate") == "0 0 1 0 0");
    CHECK(ReportsFixture::cells(r, "contact_pressure", "all") == "1 2 1 1 0");

    // Three quarters: Cleo is retained too.
    f.setting("retained_quarters", "3");
    const auto r3 = f.run(query("health"));
    CHECK(ReportsFixture::cell(r3, "by_tier", "top", "retained") == "1");
    CHECK(ReportsFixture::cell(r3, "by_tier", "all", "retained") == "2");
}

TEST_CASE("relationship health for a regional scope counts its region's people only",
          "[core][reports][central]") {
    ReportsFixture f;
    auto q = query("health");
    q.scope = f.region_scope("NORTH");
    const auto r = f.run(q);
    // Ana, Ben, Eve: days 16 and 11.
    CHECK(ReportsFixture::cells(r, "by_tier", "all") == "3 1 33.3333 13.5 1 0 0");
    CHECK(ReportsFixture::cells(r, "by_tier", "top") == "1 1 100 16 0 0 0");
    CHECK(ReportsFixture::cells(r, "by_tier", "advocate") == "0 0 null null 0 0 0");
}

}  // namespace liaison::test::core_reports_health
