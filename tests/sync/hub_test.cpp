// The hub (sync/hub.hpp) beyond what the property runs cover.
#include <catch2/catch.hpp>

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

}  // namespace liaison::test
