// No loss under a crash (docs/DESIGN.md §4 invariant 3): the server is killed with SIGKILL while
// several devices push continuously; every operation a device saw acknowledged is in the
// central record after the restart, the file passes PRAGMA integrity_check, and the devices
// then converge with the server by simply syncing again.
#include <atomic>
#include <thread>

#include "fixture.hpp"

namespace liaison::test::server_crash {

TEST_CASE("a server killed during sustained pushes keeps every acknowledged operation",
          "[server][sync][crash]") {
    Setup setup;
    sync::SystemTimeSource time;
    constexpr int kDevices = 3;
    std::vector<std::unique_ptr<Node>> nodes;
    std::vector<std::unique_ptr<OpMaker>> makers;
    std::vector<std::vector<sync::Op>> made(kDevices);
    for (const char* name : {"d0.db", "d1.db", "d2.db"}) {
        const int d = int(nodes.size());
        nodes.push_back(open_node(setup.dir.file(name), time, 700 + std::uint64_t(d)));
        makers.push_back(std::make_unique<OpMaker>(700 + std::uint64_t(d)));
    }
    std::size_t killed_after_ms = 0;
    {
        ServerProcess server(setup.db, {"--threads", "4"}, setup.log);
        std::atomic<bool> stop{false};
        std::vector<std::thread> threads;
        for (int d = 0; d < kDevices; ++d) {
            threads.emplace_back([&, d] {
                auto client = server.client();
                auto& r = *nodes[std::size_t(d)]->replica;
                // Push until the server dies under us (the first failed exchange ends the loop).
                while (!stop) {
                    for (int i = 0; i < 10;) {
                        auto op = makers[std::size_t(d)]->random_change(r, false);
                        if (op) made[std::size_t(d)].push_back(*op), ++i;
                    }
                    if (!try_sync_all(*client, setup.central_token, r, d == 1).empty()) return;
                }
            });
        }
        OpMaker timing(99);
        killed_after_ms = 300 + timing.next(700);
        std::this_thread::sleep_for(std::chrono::milliseconds(killed_after_ms));
        server.crash();  // SIGKILL mid-traffic: no shutdown code, no checkpoint
        stop = true;
        for (auto& t : threads) t.join();
    }
    INFO("killed after " << killed_after_ms << " ms");
    std::size_t acknowledged = 0;
    {
        auto store = core::Store::open(setup.db, core::StoreOptions{true, true});
        REQUIRE(store.is_ok());
        auto check = store.value()->db().prepare("PRAGMA integrity_check");
        REQUIRE(check.is_ok());
        REQUIRE(check->step() == core::Statement::Step::kRow);
        CHECK(check->column_text(0) == "ok");
        for (int d = 0; d < kDevices; ++d) {
            // Acknowledged = made on the device and no longer waiting in its outbox.
            auto pending = nodes[std::size_t(d)]->replica->store().outbox_peek(100000);
            REQUIRE(pending.is_ok());
            std::vector<core::Stamp> waiting;
            for (const auto& row : pending.value()) waiting.push_back(row.stamp);
            for (const auto& op : made[std::size_t(d)]) {
                if (std::find(waiting.begin(), waiting.end(), op.id) != waiting.end()) continue;
                ++acknowledged;
                INFO("device " << d << " op " << op.id.to_text());
                CHECK(store.value()->has_op(op.entity, op.id));
            }
        }
    }
    CHECK(acknowledged > 0);
    // After the restart the devices send what was not acknowledged and everyone converges.
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    for (auto& n : nodes) sync_all(*client, setup.central_token, *n->replica, false);
    for (auto& n : nodes) sync_all(*client, setup.central_token, *n->replica, false);
    const std::string hash = setup.server_hash(server);
    for (auto& n : nodes) CHECK(must(n->replica->state_hash()) == hash);
}

}  // namespace liaison::test::server_crash
