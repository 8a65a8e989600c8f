// A collaboration's pipeline (core/query/pipeline.hpp, P1–P5): the moves offered, the trail
// and its flags, as every replica computes them from the same entries.
#include "core/query/pipeline.hpp"

#include <catch2/catch.hpp>

namespace liaison::test::core_pipeline {

using namespace liaison::core;

namespace {

RowState collaboration(const std::string& status) {
    RowState r =
        RowState::empty(Kind::kCollaboration, *Id128::from_text("01J00000000000000000000001"));
    r.created = Stamp{1, {}};
    if (!status.empty())
        r.values[std::size_t(kind_def(Kind::kCollaboration).field_index("status"))] = status;
    return r;
}

RowState step(const std::string& id, const std::string& from, const std::string& to,
              std::int64_t at) {
    RowState r = RowState::empty(Kind::kCollaborationStep, *Id128::from_text(id));
    r.created = Stamp{1, {}};
    const auto& k = kind_def(Kind::kCollaborationStep);
    if (!from.empty()) r.values[std::size_t(k.field_index("from"))] = from;
    r.values[std::size_t(k.field_index("to"))] = to;
    r.values[std::size_t(k.field_index("at"))] = at;
    return r;
}

}  // namespace

TEST_CASE("P1 the pipeline moves forward one status at a time and may be cancelled before closed",
          "[core][pipeline]") {
    CHECK(move_allowed("proposed", "vetted"));
    CHECK(move_allowed("", "vetted"));  // unset reads as proposed
    CHECK(move_allowed("vetted", "contracted"));
    CHECK(move_allowed("contracted", "live"));
    CHECK(move_allowed("live", "delivered"));
    CHECK(move_allowed("delivered", "validated"));
    CHECK(move_allowed("validated", "closed"));
    CHECK(move_allowed("delivered", "live"));  // content turned down
    CHECK(move_allowed("cancelled", "proposed"));
    CHECK_FALSE(move_allowed("proposed", "live"));
    CHECK_FALSE(move_allowed("validated", "cancelled"));
    CHECK_FALSE(move_allowed("closed", "proposed"));
    CHECK(next_statuses("closed").empty());
    CHECK(next_statuses("vetted") ==
          std::vector<std::string_view>{"proposed", "contracted", "cancelled"});
    // Schema 1's statuses read as the pipeline's.
    CHECK(canonical_status("active") == "live");
    CHECK(canonical_status("completed") == "closed");
    CHECK(move_allowed("active", "delivered"));
    CHECK(collaboration_active("active"));
    CHECK(collaboration_active("contracted"));
    CHECK_FALSE(collaboration_active("proposed"));
    CHECK_FALSE(collaboration_active("closed"));
}

TEST_CASE("P4 the trail flags a move that is not offered and one made from a status already left",
          "[core][pipeline]") {
    // Device A moved vetted -> contracted; device B, offline, moved vetted -> cancelled a
    // minute later; someone posted proposed -> live through another path.
    std::vector<RowState> steps = {
        step("01J00000000000000000000003", "vetted", "cancelled", 3000),
        step("01J00000000000000000000002", "vetted", "contracted", 2000),
        step("01J00000000000000000000001", "proposed", "vetted", 1000),
        step("01J00000000000000000000004", "proposed", "live", 4000),
    };
    Pipeline p = pipeline_of(collaboration("live"), steps);
    REQUIRE(p.steps.size() == 4);
    CHECK(p.steps[0].to == "vetted");
    CHECK(p.steps[0].flag.empty());
    CHECK(p.steps[1].to == "contracted");
    CHECK(p.steps[1].flag.empty());
    CHECK(p.steps[2].to == "cancelled");
    CHECK(p.steps[2].flag == "concurrent");
    CHECK(p.steps[3].flag == "not_allowed");
    CHECK(p.flagged == 2);
    CHECK_FALSE(p.out_of_step);
}

TEST_CASE("P5 a status that is not the last move's is out of step, and ties in time go by id",
          "[core][pipeline]") {
    std::vector<RowState> steps = {
        step("01J00000000000000000000009", "proposed", "cancelled", 1000),
        step("01J00000000000000000000008", "proposed", "vetted", 1000),
    };
    // The register kept "vetted"; the trail's last move (by id at the same time) is cancelled.
    Pipeline p = pipeline_of(collaboration("vetted"), steps);
    CHECK(p.steps.back().to == "cancelled");
    CHECK(p.steps.back().flag == "concurrent");
    CHECK(p.out_of_step);
    CHECK(pipeline_of(collaboration(""), {}).status == "proposed");
    CHECK_FALSE(pipeline_of(collaboration(""), {}).out_of_step);
    // A removed step is not in the trail.
    RowState gone = step("01J0000000000000000000000A", "proposed", "vetted", 500);
    gone.deleted = Stamp{2, {}};
    CHECK(pipeline_of(collaboration("vetted"), {gone}).steps.empty());
}

}  // namespace liaison::test::core_pipeline
