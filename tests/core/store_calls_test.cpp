// The store's and the queries' named calls that the server uses instead of writing SQL
// (core/storage/store.hpp, core/query/queries.hpp), on a real SQLite file.
#include <catch2/catch.hpp>
#include <fstream>

#include "core/query/queries.hpp"
#include "support/harness.hpp"

namespace liaison::test::core_store_calls {
namespace {

using core::Id128;
using core::Kind;
using sync::FieldWrite;

struct World {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<Node> node = open_node(dir.file("w.db"), time, 9);
    sync::Replica& r = *node->replica;
    core::Store& store = r.store();

    Id128 make(Kind kind, std::vector<FieldWrite> fields) {
        time.advance(1);  // ids begin with their creation time: later ones sort after
        auto id = r.create(kind, std::move(fields));
        REQUIRE(id.is_ok());
        return id.value();
    }
    Id128 person(const std::string& name) { return make(Kind::kInfluencer, {{"name", name}}); }
    Id128 contact(const Id128& who) {
        return make(Kind::kInteraction, {{"influencer", who.to_text()},
                                         {"at", std::int64_t(1'700'000'000'000)},
                                         {"touchpoint", std::string("store")},
                                         {"department", std::string("retail")}});
    }
    std::vector<Id128> ids(Kind kind, core::EntityIdQuery q) {
        auto out = core::entity_ids(store, kind, q);
        REQUIRE(out.is_ok());
        return out.value();
    }
};

int interaction_field(const char* name) {
    const auto& k = core::kind_def(Kind::kInteraction);
    for (std::size_t i = 0; i < k.fields.size(); ++i)
        if (k.fields[i].name == name) return int(i);
    FAIL("no field " << name);
    return -1;
}

TEST_CASE("entity ids are read by id in either order, filtered by reference, paged",
          "[core][query][entity_ids]") {
    World w;
    const Id128 ana = w.person("Ana"), bo = w.person("Bo");
    const Id128 c1 = w.contact(ana), c2 = w.contact(bo), c3 = w.contact(ana);
    REQUIRE(w.r.remove_entry(Kind::kInteraction, c3).is_ok());

    core::EntityIdQuery all;
    CHECK(w.ids(Kind::kInteraction, all) == std::vector<Id128>{c1, c2});
    all.newest_first = true;
    CHECK(w.ids(Kind::kInteraction, all) == std::vector<Id128>{c2, c1});

    core::EntityIdQuery about_ana;
    about_ana.filters = {core::RefFilter{interaction_field("influencer"), {ana}}};
    CHECK(w.ids(Kind::kInteraction, about_ana) == std::vector<Id128>{c1});
    about_ana.visible_only = false;  // the deleted entry too
    CHECK(w.ids(Kind::kInteraction, about_ana) == std::vector<Id128>{c1, c3});
    about_ana.filters[0].ids = {ana, bo};
    CHECK(w.ids(Kind::kInteraction, about_ana) == std::vector<Id128>{c1, c2, c3});

    about_ana.limit = 1;
    about_ana.offset = 1;
    CHECK(w.ids(Kind::kInteraction, about_ana) == std::vector<Id128>{c2});
    about_ana.limit.reset();
    CHECK(w.ids(Kind::kInteraction, about_ana) == std::vector<Id128>{c2, c3});

    CHECK(core::count_visible(w.store, Kind::kInteraction).value() == 2);
    CHECK(core::count_visible(w.store, Kind::kInfluencer).value() == 2);
}

TEST_CASE("a store file is inspected without being opened as a store, and copied whole",
          "[core][storage][file]") {
    World w;
    w.person("Ana");
    CHECK(w.store.file_bytes() > 0);
    auto info = core::inspect_file(w.node->path);
    REQUIRE(info.is_ok());
    CHECK(info->integrity == "ok");
    CHECK(info->storage_version == core::kStorageVersion);
    CHECK(info->holds_record());

    const std::string copy = w.dir.file("copy.db"), again = w.dir.file("again.db");
    REQUIRE(w.store.copy_to(copy).is_ok());
    CHECK_FALSE(w.store.copy_to(copy).is_ok());  // the target must not exist
    REQUIRE(core::copy_file(copy, again).is_ok());
    auto copied = core::Store::open(again, core::StoreOptions{});
    REQUIRE(copied.is_ok());
    CHECK(copied.value()->state_hash().value() == w.store.state_hash().value());

    const std::string junk = w.dir.file("junk.db");
    std::ofstream(junk) << std::string(4096, 'x');
    auto bad = core::inspect_file(junk);
    CHECK(bad.status().code() == Code::kMalformed);
}

TEST_CASE("erased ids are listed in byte order", "[core][storage][erase]") {
    World w;
    const Id128 ana = w.person("Ana"), bo = w.person("Bo");
    CHECK(w.store.erased_ids().empty());
    REQUIRE(w.r.erase(Kind::kInfluencer, bo).is_ok());
    REQUIRE(w.r.erase(Kind::kInfluencer, ana).is_ok());
    CHECK(w.store.erased_ids() == std::vector<Id128>{ana, bo});
}

}  // namespace
}  // namespace liaison::test::core_store_calls
