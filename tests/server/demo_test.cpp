// The demo data (server/demo/demo.hpp) in process: valid, complete, reproducible.
#include "server/demo/demo.hpp"

#include <catch2/catch.hpp>

#include "server/admin/accounts.hpp"
#include "server_store.hpp"
#include "support/harness.hpp"

namespace liaison::test {
TEST_CASE("the demo data is valid, complete and the same for the same seed", "[server][demo]") {
    TempDir dir;
    auto load = [&](const std::string& name, int influencers, int interactions) {
        auto store = server_store(dir.file(name));
        REQUIRE(store->meta_set("server_replica_id", "01M83ZSHHP3YVZMJGKYJTES1GE").is_ok());
        REQUIRE(server::database_is_empty(*store));
        sync::ManualTimeSource time(1'800'000'000'000ULL);
        sync::Hub hub(*store, time);
        server::DemoOptions o;
        o.influencers = influencers;
        o.interactions = interactions;
        auto summary = server::load_demo(*store, hub, o);
        REQUIRE(summary.is_ok());
        INFO(summary->first_rejection);
        CHECK(summary->rejected == 0);
        CHECK(summary->users.size() == 5);
        CHECK_FALSE(server::database_is_empty(*store));
        auto logins = server::issue_demo_tokens(*store);
        REQUIRE(logins.is_ok());
        CHECK(logins->size() == 5);
        return std::make_pair(must(store->state_hash()), std::move(store));
    };
    auto [full_hash, full] = load("full.db", 2000, 20000);
    auto count = [&](const char* table) {
        return full->db().query_int(std::string("SELECT count(*) FROM ") + table).value_or(-1);
    };
    CHECK(count(core::table_name(core::Kind::kInfluencer).c_str()) == 2000);
    CHECK(count(core::table_name(core::Kind::kInteraction).c_str()) == 20000);
    CHECK(count(core::table_name(core::Kind::kStore).c_str()) == 10);
    CHECK(count(core::table_name(core::Kind::kStaff).c_str()) == 50);
    CHECK(count(core::table_name(core::Kind::kEvent).c_str()) == 5);
    CHECK(count(core::table_name(core::Kind::kCheckin).c_str()) > 100);

    auto a = load("a.db", 100, 500);
    auto b = load("b.db", 100, 500);
    CHECK(a.first == b.first);
}

}  // namespace liaison::test
