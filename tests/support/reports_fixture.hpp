// The reports' golden fixture (docs/METRICS.md, "Worked example"): a small record whose every
// figure docs/METRICS.md computes by hand, and the tests of core/query/reports.hpp reproduce
// exactly, natively and under WebAssembly. Changing it means changing the worked example.
#pragma once

#include <map>
#include <string>

#include "core/query/reports.hpp"
#include "support/harness.hpp"

namespace liaison::test {

// 2026-03-31T12:00:00Z: "today" for the relationship-health figures.
inline constexpr std::int64_t kReportsNow = 1774958400000;

// ms since the epoch of "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (UTC).
std::int64_t utc(const std::string& when);

struct ReportsFixture {
    TempDir dir;
    sync::ManualTimeSource time{std::uint64_t(kReportsNow)};
    std::unique_ptr<Node> node;
    // Every entity by its name in docs/METRICS.md (MAISON, NORTH, LAUNCH, Ana, K1, P1, L1, o1…).
    std::map<std::string, core::Id128> id;

    ReportsFixture();
    core::Store& store() { return node->replica->store(); }
    core::Id128 make(core::Kind kind, const std::string& name, std::vector<sync::FieldWrite> fields,
                     std::optional<core::Id128> with_id = std::nullopt);
    std::string ref(const std::string& name) const { return id.at(name).to_text(); }

    // Runs a report (REQUIREs success) over March 2026 unless the query says otherwise.
    core::Report run(core::ReportQuery q);
    // A table of a report as {first cell text → row}.
    static const core::Table& table(const core::Report& r, const std::string& id);
    // The cell of `table` in the row whose first cell is `key` and the column `column`, as the
    // JSON writes it ("12.5", "1000", "null", "\"text\"").
    static std::string cell(const core::Report& r, const std::string& table, const std::string& key,
                            const std::string& column);
};

}  // namespace liaison::test
