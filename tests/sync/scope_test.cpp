// Scopes (sync/scope.hpp): who sees what.
#include "sync/scope.hpp"

#include <catch2/catch.hpp>

#include "sync/generations.hpp"

namespace liaison::test::sync_scope {
namespace {

core::Id128 id_of(std::uint8_t n) {
    core::Id128 id;
    id.bytes[0] = 1;
    id.bytes[15] = n;
    return id;
}

core::RowState row(core::Kind kind, core::Id128 id,
                   std::vector<std::pair<const char*, std::string>> fields) {
    core::RowState r = core::RowState::empty(kind, id);
    for (const auto& [name, value] : fields)
        r.values[std::size_t(core::kind_def(kind).field_index(name))] = value;
    return r;
}

}  // namespace

TEST_CASE("a store scope covers its store's records, the store itself and unplaced records",
          "[sync][scope]") {
    sync::Scope s;
    s.stores = {id_of(1).to_text()};
    s.regions = {};
    const auto here = id_of(1).to_text(), there = id_of(2).to_text(), region = id_of(9).to_text();
    CHECK(s.covers(row(core::Kind::kInfluencer, id_of(10), {{"store", here}})));
    CHECK_FALSE(
        s.covers(row(core::Kind::kInfluencer, id_of(11), {{"store", there}, {"region", region}})));
    CHECK(
        s.covers(row(core::Kind::kStore, id_of(1), {{"name", "Paris Opéra"}, {"region", region}})));
    CHECK_FALSE(
        s.covers(row(core::Kind::kStore, id_of(2), {{"name", "Lyon"}, {"region", region}})));
    CHECK(s.covers(row(core::Kind::kBrand, id_of(20), {{"name", "Maison"}})));  // reference data
}

TEST_CASE("a brand restriction excludes records of other brands", "[sync][scope]") {
    sync::Scope s;
    s.regions = {id_of(9).to_text()};
    s.brands = {id_of(20).to_text()};
    CHECK(s.covers(row(core::Kind::kInfluencer, id_of(10),
                       {{"region", id_of(9).to_text()}, {"brand", id_of(20).to_text()}})));
    CHECK_FALSE(s.covers(row(core::Kind::kInfluencer, id_of(11),
                             {{"region", id_of(9).to_text()}, {"brand", id_of(21).to_text()}})));
    CHECK(s.covers(row(core::Kind::kInfluencer, id_of(12), {{"region", id_of(9).to_text()}})));
    CHECK(sync::Scope::everything().covers(
        row(core::Kind::kInfluencer, id_of(13), {{"brand", id_of(21).to_text()}})));
}

TEST_CASE("S1: a region's scope covers the records of the stores placed in it", "[sync][scope]") {
    sync::Scope s;
    s.regions = {id_of(9).to_text()};
    const auto lille = id_of(1).to_text(), nice = id_of(2).to_text();
    const auto person = row(core::Kind::kInfluencer, id_of(10), {{"store", lille}});
    CHECK_FALSE(s.covers(person));  // the record names only its store
    const auto before = sync::scope_generation(s);
    s.region_stores = {lille};
    CHECK(s.covers(person));
    CHECK_FALSE(s.covers(row(core::Kind::kInfluencer, id_of(11), {{"store", nice}})));
    // A store joining the region changes the generation: the region's devices re-pull.
    const auto with_lille = sync::scope_generation(s);
    CHECK(with_lille != before);
    s.region_stores = {lille, nice};
    CHECK(sync::scope_generation(s) != with_lille);
}

}  // namespace liaison::test::sync_scope
