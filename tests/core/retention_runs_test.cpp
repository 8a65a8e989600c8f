// The server's retention runs (core/storage/retention_runs.hpp): a dry run stored with its
// lists, read back in order, decided once, and its progress counted. The store is the hub's
// (tests/support/harness.hpp): SQLite, or PostgreSQL under LIAISON_TEST_BACKEND=postgres.
#include "core/storage/retention_runs.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test::core_retention_runs {
namespace {

using core::Id128;

core::RetentionCandidate candidate(std::uint8_t n, const std::string& reason = "") {
    core::RetentionCandidate c;
    c.person.bytes[0] = 1;
    c.person.bytes[15] = n;
    c.name = "never stored";
    c.rule = "prospect_no_contact";
    c.last_contact = "2024-01-0" + std::to_string(n % 9 + 1);
    c.last_contact_kind = "email";
    c.created = "2023-05-01";
    c.due_since = "2026-01-01";
    c.reason = reason;
    return c;
}

struct Runs {
    TempDir dir;
    std::unique_ptr<core::Store> store =
        open_server_store(dir.file("server.db"), core::ensure_retention_tables);

    std::int64_t propose(std::int64_t by, std::int64_t at) {
        core::RetentionReport report;
        report.today = "2026-12-06";
        report.rules = "gdpr/1";
        report.due = {candidate(3), candidate(1)};
        report.held = {candidate(2, "legal_hold")};
        report.skipped = {candidate(4, "open_gdpr_request")};
        report.truncated = true;
        auto id = core::insert_retention_run(*store, by, at, report);
        REQUIRE(id.is_ok());
        return id.value();
    }
};

TEST_CASE("a retention run is stored with new ids and its lists read back in order",
          "[core][retention_runs][central]") {
    Runs r;
    REQUIRE(core::ensure_retention_tables(*r.store).is_ok());  // again: nothing to do
    const auto first = r.propose(7, 1000);
    const auto second = r.propose(8, 2000);
    CHECK(second > first);

    auto run = core::find_retention_run(*r.store, first);
    REQUIRE(run.is_ok());
    REQUIRE(run.value());
    CHECK(run.value()->proposed_by == 7);
    CHECK(run.value()->proposed_at == 1000);
    CHECK(run.value()->today == "2026-12-06");
    CHECK(run.value()->rules == "gdpr/1");
    CHECK(run.value()->state == core::kRunProposed);
    CHECK(run.value()->truncated);
    CHECK_FALSE(run.value()->decided_by.has_value());
    CHECK_FALSE(run.value()->finished_at.has_value());
    CHECK(run.value()->total == 2);
    CHECK(run.value()->erased == 0);
    CHECK_FALSE(core::find_retention_run(*r.store, second + 100).value().has_value());

    auto items = core::retention_items(*r.store, first);
    REQUIRE(items.is_ok());
    REQUIRE(items->size() == 4);
    CHECK(items.value()[0].list == "due");
    CHECK(items.value()[0].candidate.person == candidate(3).person);  // the report's order
    CHECK(items.value()[1].candidate.person == candidate(1).person);
    CHECK(items.value()[2].list == "held");
    CHECK(items.value()[2].candidate.reason == "legal_hold");
    CHECK(items.value()[3].list == "skipped");
    CHECK(items.value()[3].candidate.last_contact == candidate(4).last_contact);
    CHECK(items.value()[3].outcome.empty());

    auto newest = core::list_retention_runs(*r.store, 1);
    REQUIRE(newest.is_ok());
    REQUIRE(newest->size() == 1);
    CHECK(newest.value()[0].id == second);
}

TEST_CASE("a retention run is decided once and counts what its approval did",
          "[core][retention_runs][central]") {
    Runs r;
    const auto id = r.propose(7, 1000);
    CHECK(core::decide_retention_run(*r.store, id, core::kRunProposed, core::kRunRunning, 9, 3000)
              .value());
    // A second decision from the same state finds the run moved already.
    CHECK_FALSE(
        core::decide_retention_run(*r.store, id, core::kRunProposed, core::kRunCancelled, 8, 3001)
            .value());
    REQUIRE(core::record_retention_outcome(*r.store, id, candidate(3).person, "erased", "", 4000)
                .is_ok());
    REQUIRE(core::record_retention_outcome(*r.store, id, candidate(1).person, "skipped",
                                           "no_longer_due", 4001)
                .is_ok());
    // Only the due list takes outcomes: a held person named here is left as she was.
    REQUIRE(core::record_retention_outcome(*r.store, id, candidate(2).person, "erased", "", 4002)
                .is_ok());
    REQUIRE(core::finish_retention_run(*r.store, id, core::kRunDone, 5000).is_ok());

    auto run = core::find_retention_run(*r.store, id);
    REQUIRE(run.value());
    CHECK(run.value()->state == core::kRunDone);
    CHECK(run.value()->decided_by == 9);
    CHECK(run.value()->decided_at == 3000);
    CHECK(run.value()->finished_at == 5000);
    CHECK(run.value()->total == 2);
    CHECK(run.value()->erased == 1);
    CHECK(run.value()->skipped == 1);
    auto items = core::retention_items(*r.store, id);
    REQUIRE(items->size() == 4);
    CHECK(items.value()[1].outcome == "skipped");
    CHECK(items.value()[1].outcome_reason == "no_longer_due");
    CHECK(items.value()[2].outcome.empty());
}

}  // namespace
}  // namespace liaison::test::core_retention_runs
