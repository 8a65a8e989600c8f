// The hub (sync/hub.hpp) beyond what the property runs cover.
#include <catch2/catch.hpp>

#include "core/query/queries.hpp"
#include "support/harness.hpp"

namespace liaison::test {

TEST_CASE("a group commit of several pushes gives what exchanging them one by one gives",
          "[sync][hub][group-commit]") {
    TempDir dir;
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    OpMaker maker(5);
    std::vector<std::unique_ptr<Node>> devices;
    for (const char* name : {"a.db", "b.db", "c.db"}) devices.push_back(open_node(dir.file(name), time, devices.size() + 50));
    for (int i = 0; i < 300; ++i) {
        time.advance(3);
        (void)maker.random_change(*devices[maker.next(devices.size())]->replica, false);
    }
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    std::vector<sync::PushRequest> pushes;
    for (auto& d : devices) pushes.push_back(d->replica->make_push(2000, 100).value());
    sync::PushRequest bad = pushes[0];
    bad.cursor = -1;  // refused on its own, without failing the others

    auto one_store = core::Store::open(dir.file("one.db"), {});
    auto batch_store = core::Store::open(dir.file("batch.db"), {});
    REQUIRE(one_store.is_ok());
    REQUIRE(batch_store.is_ok());
    sync::Hub one(*one_store.value(), time), batched(*batch_store.value(), time);
    std::vector<sync::Hub::Pending> batch;
    for (auto& p : pushes) batch.push_back({&central, &p});
    batch.push_back({&central, &bad});
    auto replies = batched.exchange_batch(batch);
    REQUIRE(replies.size() == 4);
    for (std::size_t i = 0; i < pushes.size(); ++i) {
        auto alone = one.exchange(central, pushes[i]);
        REQUIRE(alone.is_ok());
        REQUIRE(replies[i].is_ok());
        CHECK(replies[i]->results == alone->results);
    }
    CHECK(replies[3].status().code() == Code::kInvalidArgument);
    CHECK(must(batch_store.value()->state_hash()) == must(one_store.value()->state_hash()));
}

TEST_CASE("a store device is sent evictions only for entities that left its scope, not for "
          "other stores' records", "[sync][hub][scope]") {
    TempDir dir;
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    auto hub_store = core::Store::open(dir.file("hub.db"), {});
    REQUIRE(hub_store.is_ok());
    sync::Hub hub(*hub_store.value(), time);
    auto office = open_node(dir.file("office.db"), time, 61);
    auto tablet = open_node(dir.file("tablet.db"), time, 62);
    sync::Replica& c = *office->replica;
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();

    auto make = [&](core::Kind kind, std::vector<sync::FieldWrite> fields) {
        auto id = c.create(kind, std::move(fields));
        REQUIRE(id.is_ok());
        return id.value();
    };
    auto region = make(core::Kind::kRegion, {{"name", std::string("France")}});
    auto s1 = make(core::Kind::kStore, {{"name", std::string("Lyon")}, {"region", region.to_text()}});
    auto s2 = make(core::Kind::kStore, {{"name", std::string("Lille")}, {"region", region.to_text()}});
    auto here = make(core::Kind::kInfluencer, {{"name", std::string("Ana")}, {"store", s1.to_text()}});
    auto there = make(core::Kind::kInfluencer, {{"name", std::string("Bea")}, {"store", s2.to_text()}});
    REQUIRE(hub.exchange(central, c.make_push().value()).is_ok());

    sync::DeviceContext store_device;
    store_device.role = sync::Role::kStore;
    store_device.scope.stores = {s1.to_text()};
    auto sync_tablet = [&] {
        auto reply = hub.exchange(store_device, tablet->replica->make_push().value());
        REQUIRE(reply.is_ok());
        REQUIRE(tablet->replica->apply_reply(reply.value()).is_ok());
        return reply.value();
    };
    auto held = [&](const core::Id128& id) {
        return core::get_entity(tablet->replica->store(), core::Kind::kInfluencer, id).value().has_value();
    };

    auto first = sync_tablet();
    CHECK(first.evictions.empty());
    CHECK(held(here));
    CHECK_FALSE(held(there));

    // Bea moves to Lyon (enters the scope), Ana to Lille (leaves it): one eviction, for Ana.
    time.advance(10);
    REQUIRE(c.set(core::Kind::kInfluencer, there, {{"store", s1.to_text()}}).is_ok());
    REQUIRE(c.set(core::Kind::kInfluencer, here, {{"store", s2.to_text()}}).is_ok());
    REQUIRE(hub.exchange(central, c.make_push().value()).is_ok());
    auto second = sync_tablet();
    REQUIRE(second.evictions.size() == 1);
    CHECK(second.evictions[0] == here);
    CHECK(held(there));
    CHECK_FALSE(held(here));
}

}  // namespace liaison::test
