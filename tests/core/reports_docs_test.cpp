// Every formula a report names is published in docs/METRICS.md with the same id and version,
// and every caveat a report prints is the one documented there.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "support/reports_fixture.hpp"

namespace liaison::test::core_reports_docs {

TEST_CASE("every formula and caveat the reports use is published in docs/METRICS.md",
          "[core][reports][native][central]") {
    std::ifstream in(std::string(LIAISON_FIXTURES_DIR) + "/../../docs/METRICS.md");
    REQUIRE(in.good());
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string doc = buf.str();

    ReportsFixture f;
    // EMV shows its figures only when the central team turned it on.
    f.setting("emv_enabled", "true");
    std::size_t formulas = 0;
    for (auto name : core::report_names()) {
        for (const char* group : {"", "month", "tier", "region", "platform"}) {
            core::ReportQuery q;
            q.report = std::string(name);
            q.group_by = group;
            q.currency = *group ? "" : "EUR";
            const auto r = f.run(q);
            CHECK_FALSE(r.title.empty());
            for (const auto& id : r.formulas) {
                INFO(name << " names " << id);
                CHECK(doc.find("`" + id + "`") != std::string::npos);
                ++formulas;
            }
            for (const auto& c : r.caveats) {
                INFO(name << " prints the caveat " << c.id);
                CHECK(doc.find("| `" + c.id + "` | " + c.text + " |") != std::string::npos);
            }
            for (const auto& t : r.tables)
                for (const auto& col : t.columns)
                    if (!col.caveat.empty()) {
                        INFO(name << "." << t.id << "." << col.id << " names caveat "
                                  << col.caveat);
                        CHECK(std::find_if(r.caveats.begin(), r.caveats.end(), [&](const auto& c) {
                                  return c.id == col.caveat;
                              }) != r.caveats.end());
                    }
        }
    }
    CHECK(formulas > 30);
}

}  // namespace liaison::test::core_reports_docs
