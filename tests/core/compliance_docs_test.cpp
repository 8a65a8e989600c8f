// Every rule table's version and every source id its entries cite are explained in
// docs/COMPLIANCE.md, so that a verdict naming "disclosure/1" or a rule citing
// "fr-decret-2025-1137" can be traced to the text it applies.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "core/compliance/rules.hpp"

namespace liaison::test::core_compliance_docs {

TEST_CASE("every rule table version and source id is published in docs/COMPLIANCE.md",
          "[compliance][native]") {
    std::string path = LIAISON_FIXTURES_DIR;
    path += "/../../docs/COMPLIANCE.md";
    std::ifstream in(path);
    REQUIRE(in.good());
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string doc = buf.str();

    const auto& rules = core::compliance::RuleSet::builtin();
    for (const auto& version : rules.versions()) {
        INFO("table version " << version);
        CHECK(doc.find("Version `" + version + "`") != std::string::npos);
    }
    const auto sources = rules.source_ids();
    CHECK(sources.size() > 10);
    for (const auto& id : sources) {
        INFO("source id " << id);
        CHECK(doc.find("| `" + id + "` |") != std::string::npos);
    }
}

}  // namespace liaison::test::core_compliance_docs
