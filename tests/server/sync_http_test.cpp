// Devices syncing with the real liaison-server over HTTP (docs/DESIGN.md §5): convergence, retries,
// crashes and concurrent devices. Every test starts its own server on its own database.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "fixture.hpp"

namespace liaison::test::server_sync_http {

TEST_CASE("three devices editing offline converge with each other and with the server over HTTP",
          "[server][sync]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    sync::SystemTimeSource time;  // the server checks stamps against its own clock
    const std::uint64_t seed = 4242;
    OpMaker maker(seed);
    std::vector<std::unique_ptr<Node>> nodes;
    for (const char* name : {"r0.db", "r1.db", "r2.db"})
        nodes.push_back(open_node(setup.dir.file(name), time, seed + nodes.size()));

    for (int round = 0; round < 4; ++round) {
        // Offline: every device edits on its own, some about what others made.
        for (auto& n : nodes)
            for (int made = 0; made < 40;) made += maker.random_change(*n->replica).has_value();
        // Back online, one after the other; device 2 speaks JSON, the others binary.
        for (std::size_t i = 0; i < nodes.size(); ++i)
            sync_all(*client, setup.central_token, *nodes[i]->replica, i == 2);
    }
    // Quiescence: everyone pulls what the others pushed last.
    for (std::size_t i = 0; i < nodes.size(); ++i)
        sync_all(*client, setup.central_token, *nodes[i]->replica, i == 2);

    const std::string server_hash = setup.server_hash(server);
    {
        TempDir empty_dir;
        auto empty = core::Store::open(empty_dir.file("empty.db"), core::StoreOptions{});
        REQUIRE(empty.is_ok());
        REQUIRE(server_hash != must(empty.value()->state_hash()));  // something was synced
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        INFO("device " << i << " (seed " << seed << ")");
        CHECK(nodes[i]->replica->pending() == 0);
        CHECK(must(nodes[i]->replica->state_hash()) == server_hash);
    }

    // No read transaction is left open on the server's connections: a checkpoint from outside
    // completes, so the WAL does not grow for as long as the server runs.
    {
        core::OpenOptions o;
        o.create = false;
        o.wal = true;
        auto db = core::Database::open(setup.db, o);
        REQUIRE(db.is_ok());
        auto ck = db.value()->prepare("PRAGMA wal_checkpoint(TRUNCATE)");
        REQUIRE(ck.is_ok());
        REQUIRE(ck->step() == core::Statement::Step::kRow);
        CHECK(ck->column_int(0) == 0);  // busy
    }

    // After a restart the server holds the same record (every acknowledgement was durable).
    REQUIRE(server.stop() == 0);
    auto store = core::Store::open(setup.db, core::StoreOptions{true, true});
    REQUIRE(store.is_ok());
    CHECK(must(store.value()->state_hash()) == server_hash);
}

TEST_CASE("a second server on the same database refuses to start", "[server][cli]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    REQUIRE_THROWS(ServerProcess(setup.db, {}, setup.dir.file("second.log")));
    CHECK(read_file(setup.dir.file("second.log")).find("another liaison-server") !=
          std::string::npos);
    CHECK(server.running());
    auto health = server.client()->Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
}

TEST_CASE("a push retried after a lost reply is not applied twice", "[server][sync][idempotence]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    sync::SystemTimeSource time;
    auto node = open_node(setup.dir.file("device.db"), time, 7);
    auto& r = *node->replica;
    auto who = r.create(core::Kind::kInfluencer, {{"name", std::string("Hélène Dupont")}});
    REQUIRE(who.is_ok());
    REQUIRE(
        r.add(core::Kind::kInfluencer, who.value(), "handles", "instagram:helene:12000").is_ok());
    REQUIRE(
        r.set(core::Kind::kInfluencer, who.value(), {{"email", std::string("helene@example.com")}})
            .is_ok());

    auto req = r.make_push();
    REQUIRE(req.is_ok());
    REQUIRE(req->ops.size() == 3);
    const std::string body = sync::encode_request(req.value());
    auto first = client->Post("/api/v1/sync", bearer(setup.central_token), body, kBinary);
    REQUIRE(first);
    REQUIRE(first->status == 200);
    auto first_reply = sync::decode_reply(first->body);
    REQUIRE(first_reply.is_ok());
    for (const auto& res : first_reply->results) CHECK(res.outcome == sync::Outcome::kApplied);
    const std::string after_first = setup.server_hash(server);

    // The reply was lost: the device sends the very same request again.
    auto second = client->Post("/api/v1/sync", bearer(setup.central_token), body, kBinary);
    REQUIRE(second);
    REQUIRE(second->status == 200);
    auto second_reply = sync::decode_reply(second->body);
    REQUIRE(second_reply.is_ok());
    REQUIRE(second_reply->results.size() == 3);
    for (const auto& res : second_reply->results) CHECK(res.outcome == sync::Outcome::kDuplicate);
    CHECK(setup.server_hash(server) == after_first);

    REQUIRE(r.apply_reply(second_reply.value()).is_ok());
    CHECK(r.pending() == 0);
    CHECK(must(r.state_hash()) == after_first);

    // The metrics count both exchanges and every outcome; only an administrator reads them.
    auto metrics = client->Get("/api/v1/admin/metrics", bearer(setup.admin_token));
    REQUIRE(metrics);
    REQUIRE(metrics->status == 200);
    CHECK(metrics->body.find("liaison_sync_exchanges_total 2\n") != std::string::npos);
    CHECK(metrics->body.find("liaison_sync_operations_total{outcome=\"accepted\"} 3\n") !=
          std::string::npos);
    CHECK(metrics->body.find("liaison_sync_operations_total{outcome=\"duplicate\"} 3\n") !=
          std::string::npos);
    auto not_admin = client->Get("/api/v1/admin/metrics", bearer(setup.central_token));
    REQUIRE(not_admin);
    CHECK(not_admin->status == 403);

    // A backup taken while serving holds the same record and the same users.
    const std::string copy = setup.dir.file("backup.db");
    cli_ok({"backup", "--db", setup.db, "--to", copy});
    CHECK(run_cli({"backup", "--db", setup.db, "--to", copy}).exit_code == 1);  // never overwrites
    server.stop();
    ServerProcess restored(copy, {}, setup.dir.file("restored.log"));
    CHECK(setup.server_hash(restored) == after_first);
}

TEST_CASE(
    "what the server acknowledged survives a crash, and a push cut by a crash is retried safely",
    "[server][sync][crash]") {
    Setup setup;
    sync::SystemTimeSource time;
    auto node = open_node(setup.dir.file("device.db"), time, 21);
    auto& r = *node->replica;
    OpMaker maker(21);
    std::string acknowledged;
    {
        ServerProcess server(setup.db, {}, setup.log);
        for (int made = 0; made < 200;) made += maker.random_change(r).has_value();
        sync_all(*server.client(), setup.central_token, r, false);
        REQUIRE(r.pending() == 0);
        acknowledged = setup.server_hash(server);
        server.crash();  // SIGKILL: no shutdown code, no checkpoint
    }
    {
        auto store = core::Store::open(setup.db, core::StoreOptions{true, true});
        REQUIRE(store.is_ok());
        CHECK(must(store.value()->state_hash()) == acknowledged);
    }
    // A large push in flight when the server is killed: it committed entirely or not at all,
    // and the device simply sends it again to the restarted server.
    for (int made = 0; made < 1500;) made += maker.random_change(r, false).has_value();
    {
        ServerProcess server(setup.db, {}, setup.log);
        auto req = r.make_push(2000, 100);
        REQUIRE(req.is_ok());
        const std::string body = sync::encode_request(req.value());
        std::thread pusher([&] {
            auto c = server.client();
            (void)c->Post("/api/v1/sync", bearer(setup.central_token), body,
                          kBinary);  // reply lost
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(5 + maker.next(40)));
        server.crash();
        pusher.join();
    }
    ServerProcess server(setup.db, {}, setup.log);
    sync_all(*server.client(), setup.central_token, r, false);
    CHECK(r.pending() == 0);
    CHECK(must(r.state_hash()) == setup.server_hash(server));
}

TEST_CASE("devices syncing at the same time converge", "[server][sync][concurrency]") {
    Setup setup;
    ServerProcess server(setup.db, {"--threads", "4"}, setup.log);
    sync::SystemTimeSource time;
    constexpr int kDevices = 4;
    std::vector<std::unique_ptr<Node>> nodes;
    std::vector<std::unique_ptr<OpMaker>> makers;
    for (const char* name : {"c0.db", "c1.db", "c2.db", "c3.db"}) {
        nodes.push_back(open_node(setup.dir.file(name), time, 900 + nodes.size()));
        makers.push_back(std::make_unique<OpMaker>(900 + makers.size()));
    }
    // Catch2's assertions are not thread-safe: the threads report failures as text.
    std::vector<std::string> failures(kDevices);
    std::vector<std::thread> threads;
    for (int d = 0; d < kDevices; ++d) {
        threads.emplace_back([&, d] {
            auto client = server.client();
            auto& r = *nodes[std::size_t(d)]->replica;
            for (int round = 0; round < 5 && failures[std::size_t(d)].empty(); ++round) {
                for (int made = 0; made < 30;)
                    made += makers[std::size_t(d)]->random_change(r).has_value();
                failures[std::size_t(d)] =
                    try_sync_all(*client, setup.central_token, r, d % 2 == 1);
            }
        });
    }
    for (auto& t : threads) t.join();
    for (int d = 0; d < kDevices; ++d) {
        INFO("device " << d);
        CHECK(failures[std::size_t(d)].empty());
    }
    auto client = server.client();
    for (auto& n : nodes) sync_all(*client, setup.central_token, *n->replica, false);
    const std::string hash = setup.server_hash(server);
    for (int d = 0; d < kDevices; ++d) {
        INFO("device " << d);
        CHECK(must(nodes[std::size_t(d)]->replica->state_hash()) == hash);
    }
}

}  // namespace liaison::test::server_sync_http

namespace liaison::test::server_sync_http {

// Issue 13, item 4: operations are deduplicated by stamp (R1), and a stamp names its replica.
// A token that could push under another device's replica id could send, ahead of it, an
// operation with the stamp that device's next change will carry: the real change would then be
// answered `duplicate` and silently dropped from its outbox.
TEST_CASE("a push under a replica id bound to another device is refused as a whole",
          "[server][sync][auth]") {
    Setup setup;
    const std::string ua =
        cli_ok({"user", "add", "--db", setup.db, "--name", "Alice", "--role", "central"});
    const std::string ub =
        cli_ok({"user", "add", "--db", setup.db, "--name", "Bruno", "--role", "central"});
    const std::string token_a =
        cli_ok({"token", "issue", "--db", setup.db, "--user", ua, "--device", "tablet-a"});
    const std::string token_b =
        cli_ok({"token", "issue", "--db", setup.db, "--user", ub, "--device", "tablet-b"});
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    sync::SystemTimeSource time;
    auto a = open_node(setup.dir.file("a.db"), time, 41);
    auto& ra = *a->replica;
    const core::Id128 id =
        ra.create(core::Kind::kInfluencer, {{"name", core::Value{std::string("Iris Blanc")}}})
            .value();
    sync_all(*client, token_a, ra, false);  // the replica id is now A's

    // A's next change, not yet sent; B learns its stamp and sends a forged one first.
    REQUIRE(ra.set(core::Kind::kInfluencer, id,
                   {{"name", core::Value{std::string("Iris Blanc-Roy")}}}));
    auto real = ra.make_push(10, 10);
    REQUIRE(real.is_ok());
    REQUIRE(real->ops.size() == 1);
    sync::PushRequest forged = real.value();
    forged.cursor = 0;
    forged.ops[0].fields = {{"name", core::Value{std::string("Forged")}}};
    auto res = post_sync(*client, token_b, sync::encode_request(forged), false);
    REQUIRE(res);
    INFO(res->body);
    CHECK(res->status == 403);
    CHECK(error_code(res->body) == "forbidden");
    CHECK(res->body.find("belongs to another device") != std::string::npos);

    // A's real change is accepted and is what the server holds.
    sync_all(*client, token_a, ra, false);
    CHECK(ra.pending() == 0);
    CHECK(must(ra.state_hash()) == setup.server_hash(server));
    auto card =
        client->Get(("/api/v1/influencers/" + id.to_text()).c_str(), bearer(setup.central_token));
    REQUIRE(card);
    CHECK(card->body.find("Iris Blanc-Roy") != std::string::npos);
    CHECK(card->body.find("Forged") == std::string::npos);

    // The binding is to the user and the device, not to the token: a token issued again for
    // the same device (the old one revoked) keeps syncing under the same replica id.
    cli_ok({"token", "revoke", "--db", setup.db, "--token-id", token_a.substr(4, 16)});
    const std::string token_a2 =
        cli_ok({"token", "issue", "--db", setup.db, "--user", ua, "--device", "tablet-a"});
    REQUIRE(ra.set(core::Kind::kInfluencer, id, {{"name", core::Value{std::string("Iris Roy")}}}));
    sync_all(*client, token_a2, ra, false);
    CHECK(ra.pending() == 0);
    CHECK(must(ra.state_hash()) == setup.server_hash(server));
    // The same user on another device label is another device.
    const std::string token_a_phone =
        cli_ok({"token", "issue", "--db", setup.db, "--user", ua, "--device", "phone-a"});
    auto pull = ra.make_push(10, 10);
    REQUIRE(pull.is_ok());
    auto other = post_sync(*client, token_a_phone, sync::encode_request(pull.value()), false);
    REQUIRE(other);
    CHECK(other->status == 403);
}

}  // namespace liaison::test::server_sync_http
