// The reports' golden fixture (docs/METRICS.md, "Worked example"): a small record whose every
// figure docs/METRICS.md computes by hand, and the tests of core/query/reports.hpp reproduce
// exactly, natively and under WebAssembly. Changing it means changing the worked example.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/query/reports.hpp"
#include "support/harness.hpp"
#include "sync/hub.hpp"

namespace liaison::test {

// 2026-03-31T12:00:00Z: "today" for the relationship-health figures.
inline constexpr std::int64_t kReportsNow = 1774958400000;

// ms since the epoch of "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (UTC).
std::int64_t utc(const std::string& when);

// A query of `report` with nothing else set (ReportsFixture::run fills the period).
core::ReportQuery query(const std::string& report);

// The record is written on a device replica (`node`) and pushed to a hub whose store is the
// central record (open_hub_store: PostgreSQL under LIAISON_TEST_BACKEND=postgres), as the
// server runs reports on it; store() and run() read that central record.
struct ReportsFixture {
    TempDir dir;
    sync::ManualTimeSource time{std::uint64_t(kReportsNow)};
    std::unique_ptr<Node> node;
    std::unique_ptr<core::Store> central_store;
    sync::Hub hub;
    // Every entity by its name in docs/METRICS.md (MAISON, NORTH, LAUNCH, Ana, K1, P1, L1, o1…).
    std::map<std::string, core::Id128> id;
    // What the server keeps between reports (core::ReportCache), kept up over the fixture's
    // changes from one run() to the next.
    core::ReportCache cache;

    ReportsFixture();
    // The central record, after the device's changes so far are pushed to it.
    core::Store& store();
    core::Id128 make(core::Kind kind, const std::string& name, std::vector<sync::FieldWrite> fields,
                     std::optional<core::Id128> with_id = std::nullopt);
    std::string ref(const std::string& name) const { return id.at(name).to_text(); }
    // A `setting` entry of the central team (docs/METRICS.md "Settings").
    void setting(const std::string& key, const std::string& value);
    // The scope of a regional manager of the region named `region`.
    core::ReportScope region_scope(const std::string& region) const;

    // Runs a report (REQUIREs success) over March 2026 unless the query says otherwise, with
    // and without `cache`, and CHECKs that both give the same report.
    core::Report run(core::ReportQuery q);
    // A table of a report as {first cell text → row}.
    static const core::Table& table(const core::Report& r, const std::string& id);
    // A second condition on the row a cell is looked up in: its cell in `column` is the text
    // `text` (none when `column` is empty).
    struct Also {
        std::string column, text;
    };
    // The cell of `table` in the row whose first cell is `key` (and that meets `also`) and the
    // column `column`, as the JSON writes it ("12.5", "1000", "null", "\"text\""); nullopt
    // without such a row.
    static std::optional<std::string> find_cell(const core::Report& r, const std::string& table,
                                                const std::string& key, const std::string& column,
                                                const Also& also = {});
    // The same, failing the test without such a row.
    static std::string cell(const core::Report& r, const std::string& table, const std::string& key,
                            const std::string& column, const Also& also = {});
    // The cells of `columns` in the row of `key`, joined by spaces ("2 2 3 3500 38000"); without
    // `columns`, every cell after the first.
    static std::string cells(const core::Report& r, const std::string& table,
                             const std::string& key, const std::vector<std::string>& columns = {});
    // Whether `table` has a row whose first cell is `key`.
    static bool has_row(const core::Report& r, const std::string& table, const std::string& key);
    // Whether the report prints the caveat `id`.
    static bool has_caveat(const core::Report& r, const std::string& id);
};

}  // namespace liaison::test
