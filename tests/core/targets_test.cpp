// A campaign's KPI targets by AMEC stage (core/model/targets.hpp) and the other value types
// record model 6 added: target markets and deliverables with their due dates.
#include "core/model/targets.hpp"

#include <catch2/catch.hpp>

#include "core/model/ids.hpp"
#include "core/model/schema.hpp"
#include "core/model/validate.hpp"

using liaison::Code;
namespace liaison::test::core_targets {

using namespace liaison::core;

namespace {

const FieldDef& targets_field() {
    const auto& k = kind_def(Kind::kCampaign);
    return k.fields[std::size_t(k.field_index("targets"))];
}
const SetDef& set_of(Kind kind, std::string_view name) {
    const auto& k = kind_def(kind);
    return k.sets[std::size_t(k.set_index(name))];
}

}  // namespace

TEST_CASE("targets are read in any order and written in the table's order", "[core][targets]") {
    auto t =
        parse_targets("outcomes.revenue=500000; outputs.reach = 2000000\n\nactivities.contacts=40");
    REQUIRE(t);
    REQUIRE(t->size() == 3);
    CHECK(targets_text(*t) ==
          "activities.contacts=40\noutputs.reach=2000000\noutcomes.revenue=500000");
    // Normalised, the same targets are the same text whichever way they were typed.
    const Value a = normalize_field(
        targets_field(), Value(std::string("outputs.reach=1;inputs.people_contacted=2")));
    const Value b = normalize_field(
        targets_field(), Value(std::string("inputs.people_contacted=2\noutputs.reach=1")));
    CHECK(a == b);
    CHECK(validate_field(targets_field(), a).is_ok());
}

TEST_CASE("a target names its stage and metric or is refused with the entry", "[core][targets]") {
    auto unknown_stage = parse_targets("awareness.reach=10");
    REQUIRE_FALSE(unknown_stage);
    CHECK(unknown_stage.status().detail().find("\"awareness.reach=10\" names no AMEC stage") !=
          std::string::npos);
    auto unknown_metric = parse_targets("outputs.likes=10");
    REQUIRE_FALSE(unknown_metric);
    CHECK(unknown_metric.status().detail().find("names no metric of outputs (posts, mentions") !=
          std::string::npos);
    CHECK_FALSE(parse_targets("outputs.reach=-5"));
    CHECK_FALSE(parse_targets("outputs.reach=1.5"));
    CHECK_FALSE(parse_targets("outputs.reach=10000000000000000"));
    CHECK_FALSE(parse_targets("reach=10"));
    auto twice = parse_targets("outputs.reach=1; outputs.reach=2");
    REQUIRE_FALSE(twice);
    CHECK(twice.status().detail().find("already set") != std::string::npos);
    auto st = validate_field(targets_field(), Value(std::string("outputs.reach=lots")));
    CHECK(st.code() == Code::kBadFormat);
    CHECK(st.detail().find("targets") != std::string::npos);
    CHECK(parse_targets("")->empty());
}

TEST_CASE("target markets are country codes and deliverables have a due date", "[core][targets]") {
    const SetDef& markets = set_of(Kind::kCampaign, "markets");
    CHECK(normalize_elem(markets, " fr ") == "FR");
    CHECK(validate_elem(markets, "FR").is_ok());
    CHECK(validate_elem(markets, "France").code() == Code::kBadFormat);
    const SetDef& due = set_of(Kind::kCollaboration, "deliverables_due");
    CHECK(normalize_elem(due, "2027-03-01    two stories ") == "2027-03-01 two stories");
    CHECK(validate_elem(due, "2027-03-01 two stories").is_ok());
    CHECK(validate_elem(due, "2027-02-30 two stories").code() == Code::kBadFormat);
    CHECK(validate_elem(due, "two stories").code() == Code::kBadFormat);
    CHECK(validate_elem(due, "2027-03-01 ").code() == Code::kBadFormat);
}

TEST_CASE("an id derived from two texts depends on both and on where one ends", "[core][ids]") {
    const Id128 a = Id128::derive("conversion", "shop-1", "A-100");
    CHECK(a == Id128::derive("conversion", "shop-1", "A-100"));
    CHECK_FALSE(a == Id128::derive("conversion", "shop-1", "A-101"));
    CHECK_FALSE(a == Id128::derive("conversion", "shop-", "1A-100"));
    CHECK_FALSE(a == Id128::derive("other", "shop-1", "A-100"));
}

}  // namespace liaison::test::core_targets
