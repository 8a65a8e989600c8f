// R4 on the remover's side (sync::remove_op): the one rule for which dots a remove names,
// used by a replica's local remove and by the server's REST route.
#include <catch2/catch.hpp>

#include "core/model/validate.hpp"
#include "support/harness.hpp"

namespace liaison::test::sync_remove_op {
namespace {

using core::Id128;
using core::Kind;

int set_index(const char* name) { return core::kind_def(Kind::kInfluencer).set_index(name); }

TEST_CASE("a remove names every live dot of the element it has observed, none of the removed",
          "[sync][merge][R4][remove]") {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    auto a = open_node(dir.file("a.db"), time, 1);
    auto b = open_node(dir.file("b.db"), time, 2);
    auto ana = a->replica->create(Kind::kInfluencer, {{"name", std::string("Ana")}});
    REQUIRE(ana.is_ok());
    // Two adds of the same tag (two dots), then a third element removed already.
    REQUIRE(a->replica->add(Kind::kInfluencer, ana.value(), "tags", "vip").is_ok());
    REQUIRE(a->replica->add(Kind::kInfluencer, ana.value(), "tags", "VIP ").is_ok());
    REQUIRE(a->replica->add(Kind::kInfluencer, ana.value(), "tags", "old").is_ok());
    REQUIRE(a->replica->remove(Kind::kInfluencer, ana.value(), "tags", "old").is_ok());

    core::Store& store = a->replica->store();
    auto op = sync::remove_op(store, Kind::kInfluencer, ana.value(), set_index("tags"), "VIP");
    REQUIRE(op.is_ok());
    CHECK(op->type == sync::OpType::kRemove);
    CHECK(op->set == "tags");
    CHECK(op->elem ==
          core::normalize_elem(
              core::kind_def(Kind::kInfluencer).sets[std::size_t(set_index("tags"))], "VIP"));
    auto dots = store.load_dots(ana.value());
    REQUIRE(dots.is_ok());
    std::vector<core::Stamp> live;
    for (const auto& d : dots.value())
        if (d.elem == op->elem && !d.removed) live.push_back(d.dot);
    CHECK(op->observed == live);
    CHECK_FALSE(op->observed.empty());

    auto gone = sync::remove_op(store, Kind::kInfluencer, ana.value(), set_index("tags"), "old");
    CHECK(gone.status().code() == Code::kNotFound);
    CHECK(gone.status().detail() == "tags: 'old' is not in the set");
    // Another replica that has seen nothing observes nothing.
    auto unseen = sync::remove_op(b->replica->store(), Kind::kInfluencer, ana.value(),
                                  set_index("tags"), "vip");
    CHECK(unseen.status().code() == Code::kNotFound);
}

TEST_CASE("a remove on a merged duplicate names the survivor's dots",
          "[sync][merge][R4][R6][remove]") {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    auto a = open_node(dir.file("a.db"), time, 1);
    sync::Replica& r = *a->replica;
    auto x = r.create(Kind::kInfluencer, {{"name", std::string("Ana")}});
    time.advance(1);
    auto y = r.create(Kind::kInfluencer, {{"name", std::string("Ana S.")}});
    REQUIRE(x.is_ok());
    REQUIRE(y.is_ok());
    REQUIRE(r.add(Kind::kInfluencer, y.value(), "tags", "vip").is_ok());
    REQUIRE(r.merge(y.value(), x.value()).is_ok());
    const Id128 survivor = r.store().root_of(x.value());
    const Id128 alias = survivor == x.value() ? y.value() : x.value();

    auto op = sync::remove_op(r.store(), Kind::kInfluencer, alias, set_index("tags"), "vip");
    REQUIRE(op.is_ok());
    CHECK(op->entity == alias);
    CHECK(op->observed.size() == 1);
    REQUIRE(r.remove(Kind::kInfluencer, alias, "tags", "vip").is_ok());
    CHECK(sync::remove_op(r.store(), Kind::kInfluencer, survivor, set_index("tags"), "vip")
              .status()
              .code() == Code::kNotFound);
}

}  // namespace
}  // namespace liaison::test::sync_remove_op
