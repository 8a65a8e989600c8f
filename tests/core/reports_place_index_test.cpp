// A device's index of the contacts its scope places (core::index_report_place): the reports'
// statements over the contacts read it, the figures are the same with it as without, it follows
// the scope's stores, and there is none for a global scope. Over the reports' fixture's device
// replica (a real SQLite file) with a few hundred more people contacted in the period and the
// year before, so that AMEC's relationships retained read the index in one pass rather than
// probing each person.
#include <catch2/catch.hpp>
#include <random>

#include "core/query/reports/context.hpp"
#include "support/reports_fixture.hpp"

namespace liaison::test::core_reports_place_index {
namespace {

using core::Kind;
using core::Value;

// The reports that read contacts, in the period of the retained count, under `scope`.
std::vector<core::ReportQuery> queries(const core::ReportScope& scope) {
    std::vector<core::ReportQuery> out;
    for (const char* report : {"amec", "health"})
        for (const char* group : {"", "month", "department", "store", "tier"}) {
            if (std::string(report) == "health" && *group) continue;
            auto q = query(report);
            q.from = "2026-03-01";
            q.to = "2026-03-31";
            q.now_ms = kReportsNow;
            q.group_by = group;
            q.scope = scope;
            out.push_back(q);
        }
    return out;
}

std::vector<std::string> answers(core::Store& store, const std::vector<core::ReportQuery>& qs) {
    std::vector<std::string> out;
    for (const auto& q : qs) {
        auto r = core::run_report(store, q);
        INFO(q.report << " " << q.group_by << ": " << r.status().to_string());
        REQUIRE(r.is_ok());
        out.push_back(core::report_json(r.value()));
    }
    return out;
}

// The statements over the contacts that `qs` run, each with its query plan.
std::vector<std::pair<std::string, std::string>> contact_plans(
    core::Store& store, const std::vector<core::ReportQuery>& qs) {
    std::vector<std::string> sql;
    store.db().set_statement_sink([&](std::string_view s, double) {
        if (s.find("FROM k_interaction a ") != std::string_view::npos) sql.emplace_back(s);
    });
    (void)answers(store, qs);
    store.db().set_statement_sink({});
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& s : sql) {
        auto plan = store.db().prepare("EXPLAIN QUERY PLAN " + s);
        REQUIRE(plan.is_ok());
        std::string details;
        while (plan.value().step() == core::Statement::Step::kRow)
            details += plan.value().column_text(3) + "\n";
        out.emplace_back(s, details);
    }
    return out;
}

std::string held_index(core::Store& store) {
    auto st = store.db().prepare("SELECT sql FROM sqlite_master WHERE name='report_place'");
    REQUIRE(st.is_ok());
    return st.value().step() == core::Statement::Step::kRow ? st.value().column_text(0) : "";
}

}  // namespace

TEST_CASE(
    "a device's place index holds its scope's contacts and the reports read it with the same "
    "figures",
    "[core][reports]") {
    ReportsFixture f;
    auto& r = *f.node->replica;
    core::Store& device = r.store();
    std::mt19937 rng(7);
    auto pick = [&](std::size_t n) { return std::size_t(rng() % n); };
    // 700 more people, each contacted in March and most of them in the year before, at either
    // region's store, with a region only, or keyless (then where the person is).
    const char* const regions[] = {"NORTH", "SOUTH"};
    const char* const stores[] = {"LILLE", "NICE"};
    int made = 0;
    for (int i = 0; i < 700; ++i) {
        const std::string who = "p" + std::to_string(i);
        f.make(Kind::kInfluencer, who,
               {{"name", Value(who)},
                {"tier", Value(std::string(pick(2) ? "advocate" : "top"))},
                {"region", f.ref(regions[pick(2)])}});
        for (int k = 0; k < 3; ++k) {
            const std::int64_t at = k == 0
                                        ? utc("2026-03-02") + std::int64_t(pick(25)) * 86'400'000
                                        : utc("2025-03-10") + std::int64_t(pick(340)) * 86'400'000;
            std::vector<sync::FieldWrite> w = {
                {"influencer", f.ref(who)},
                {"at", Value(at)},
                {"touchpoint", Value(std::string(pick(2) ? "store" : "email"))},
                {"department", Value(std::string(pick(2) ? "retail" : "pr"))}};
            switch (pick(4)) {
                case 0:
                    break;  // keyless
                case 1:
                    w.push_back({"region", f.ref(regions[pick(2)])});
                    break;
                default:
                    w.push_back({"store", f.ref(stores[pick(2)])});
            }
            if (pick(5) == 0)
                w.push_back(
                    {"follow_up_due", Value(std::string("2026-03-1") + char('0' + pick(10)))});
            f.make(Kind::kInteraction, "c" + std::to_string(++made), std::move(w));
        }
    }

    const auto south = queries(f.region_scope("SOUTH"));
    core::ReportScope nice;
    nice.global = false;
    nice.stores = {f.ref("NICE")};
    nice.brands = {f.ref("MAISON")};
    const auto at_nice = queries(nice);
    REQUIRE(held_index(device).empty());
    const auto south_before = answers(device, south), nice_before = answers(device, at_nice);

    // Made for the region: every statement over the contacts (but the probes that name their
    // index) reads it, and every figure is the same.
    REQUIRE(core::index_report_place(device, f.region_scope("SOUTH")).is_ok());
    const std::string made_for_south = held_index(device);
    CHECK(made_for_south.find("WHERE ((f_store IS NULL AND f_region IS NULL) OR f_store IN") !=
          std::string::npos);
    CHECK(made_for_south.find(core::reports::hex_of(f.id.at("NICE"))) != std::string::npos);
    CHECK(made_for_south.find(core::reports::hex_of(f.id.at("LILLE"))) == std::string::npos);
    const auto plans = contact_plans(device, south);
    REQUIRE(plans.size() >= south.size());
    bool retained_in_one_pass = false;
    for (const auto& [sql, plan] : plans) {
        INFO(sql << "\n" << plan);
        CHECK(plan.find("USING COVERING INDEX report_place") != std::string::npos);
        if (sql.rfind("SELECT a.f_influencer FROM k_interaction a WHERE a.f_at>=", 0) == 0)
            retained_in_one_pass = true;
    }
    CHECK(retained_in_one_pass);
    CHECK(answers(device, south) == south_before);
    // Current: asked again, nothing is rebuilt.
    REQUIRE(core::index_report_place(device, f.region_scope("SOUTH")).is_ok());
    CHECK(held_index(device) == made_for_south);

    // Another scope's reports do not read it (its condition is not theirs) and are the same;
    // made for that scope, it replaces the region's.
    for (const auto& [sql, plan] : contact_plans(device, at_nice)) {
        INFO(sql << "\n" << plan);
        CHECK(plan.find("report_place") == std::string::npos);
    }
    CHECK(answers(device, at_nice) == nice_before);
    REQUIRE(core::index_report_place(device, nice).is_ok());
    CHECK(held_index(device) != made_for_south);
    CHECK(answers(device, at_nice) == nice_before);

    // A store joins the region, with a contact on one of the fixture's people: the region's
    // index is stale until made again, and the figures count the new store's contact either way.
    REQUIRE(core::index_report_place(device, f.region_scope("SOUTH")).is_ok());
    f.make(Kind::kStore, "CANNES",
           {{"name", Value(std::string("Cannes"))}, {"region", f.ref("SOUTH")}});
    f.make(Kind::kInteraction, "at Cannes",
           {{"influencer", f.ref("Cleo")},
            {"at", Value(utc("2026-03-20T15:00"))},
            {"touchpoint", Value(std::string("store"))},
            {"department", Value(std::string("retail"))},
            {"store", f.ref("CANNES")}});
    const auto south_stale = answers(device, south);
    CHECK(south_stale != south_before);
    for (const auto& [sql, plan] : contact_plans(device, south)) {
        INFO(sql << "\n" << plan);
        CHECK(plan.find("report_place") == std::string::npos);
    }
    REQUIRE(core::index_report_place(device, f.region_scope("SOUTH")).is_ok());
    CHECK(held_index(device).find(core::reports::hex_of(f.id.at("CANNES"))) != std::string::npos);
    for (const auto& [sql, plan] : contact_plans(device, south)) {
        INFO(sql << "\n" << plan);
        CHECK(plan.find("USING COVERING INDEX report_place") != std::string::npos);
    }
    CHECK(answers(device, south) == south_stale);

    // A global scope needs none: the index is left as it is, and not made where there is none.
    core::ReportScope global;
    REQUIRE(core::index_report_place(device, global).is_ok());
    CHECK(!held_index(device).empty());
    REQUIRE(device.db().exec("DROP INDEX report_place").is_ok());
    REQUIRE(core::index_report_place(device, global).is_ok());
    CHECK(held_index(device).empty());
}

}  // namespace liaison::test::core_reports_place_index
