// Schema evolution (docs/SYNC.md "Schema evolution"): a device's work outlives an update. The
// fixture tests/fixtures/device-outbox-v1.sqlite is a device replica written by the previous
// release (protocol 1, schema 1), with every kind of operation still in its outbox. Opened by
// this release (its migrations run), its outbox syncs against the current hub and the real
// server: every operation accepted, and the device ends with the server's state. Before the
// app updates, its protocol 1 push is answered upgrade_required and changes nothing.
#include <algorithm>
#include <filesystem>
#include <set>

#include "fixture.hpp"

namespace liaison::test::server_previous_release {
namespace {

// What the previous release's code left in the fixture's outbox (tests/fixtures/README.md).
constexpr std::int64_t kFixtureOps = 23;

// A copy of the fixture (tests never modify tracked files), opened by this release.
std::unique_ptr<Node> open_previous_device(const TempDir& dir, sync::TimeSource& time) {
    const std::string path = dir.file("device.db");
    std::filesystem::copy_file(std::string(LIAISON_FIXTURES_DIR) + "/device-outbox-v1.sqlite",
                               path);
    // The previous release's storage format (PRAGMA user_version: bytes 60-63 of the file's
    // header, big-endian); opening migrates the copy.
    const std::string header = read_file(path).substr(60, 4);
    int version = 0;
    for (char c : header) version = version * 256 + int(static_cast<unsigned char>(c));
    CHECK(version == 4);
    auto node = open_node(path, time, 0xE986040);
    REQUIRE(node->replica);
    CHECK(node->replica->store().storage_version() == core::kStorageVersion);
    return node;
}

// The outbox as the previous release left it: every operation there, every type of operation,
// each decodable by this release.
void check_outbox_intact(sync::Replica& r) {
    REQUIRE(r.pending() == kFixtureOps);
    auto push = r.make_push(sync::kMaxOpsPerPush);
    REQUIRE(push.is_ok());
    REQUIRE(push->ops.size() == std::size_t(kFixtureOps));
    std::set<sync::OpType> types;
    for (const auto& op : push->ops) types.insert(op.type);
    CHECK(types.size() == sync::kMaxOpType);  // create, set, add, remove, delete, merge, erase
}

// Pushes the whole outbox through `exchange` and pulls until quiet, requiring that the server
// accepts every operation. The one exception is not a refusal: the previous release queued a
// second erasure of a person erased before it was ever sent (its own, and the one the merge
// engine queues for unsent data), which the server acknowledges as a duplicate (R1).
template <class Exchange>
void sync_accepting_all(sync::Replica& r, Exchange exchange) {
    std::size_t accepted = 0, repeated_erasures = 0;
    for (int round = 0; round < 100; ++round) {
        auto req = r.make_push(50, 200);
        REQUIRE(req.is_ok());
        sync::PushReply reply = exchange(req.value());
        REQUIRE(reply.results.size() == req->ops.size());
        for (std::size_t i = 0; i < reply.results.size(); ++i) {
            const auto& res = reply.results[i];
            const auto& op = req->ops[i];
            INFO(sync::op_type_name(op.type)
                 << " " << core::kind_name(op.kind) << ": " << sync::outcome_name(res.outcome)
                 << " " << res.detail);
            if (res.outcome == sync::Outcome::kDuplicate && op.type == sync::OpType::kErase)
                ++repeated_erasures;
            else
                CHECK(res.outcome == sync::Outcome::kApplied);
            accepted += res.outcome == sync::Outcome::kApplied;
        }
        auto stats = r.apply_reply(reply);
        REQUIRE(stats.is_ok());
        if (!stats->has_more && r.pending() == 0) break;
    }
    CHECK(r.pending() == 0);
    CHECK(accepted == std::size_t(kFixtureOps) - 1);
    CHECK(repeated_erasures == 1);
}

// The staff members the outbox's operations name as their actor. The fixture's maker set one
// (the released web app never did); the user that syncs it is linked to them, as A1 requires
// (docs/SYNC.md "Authorisation").
std::vector<core::Id128> actors_of(sync::Replica& r) {
    std::vector<core::Id128> out;
    // Kept in a variable: a range-for over a member of the temporary Result would read it after
    // its end.
    auto push = r.make_push(sync::kMaxOpsPerPush);
    REQUIRE(push.is_ok());
    for (const auto& op : push.value().ops)
        if (!op.actor.is_nil() && std::find(out.begin(), out.end(), op.actor) == out.end())
            out.push_back(op.actor);
    return out;
}

}  // namespace

TEST_CASE("the previous release's outbox syncs against the current hub: every operation accepted",
          "[server][sync][version]") {
    TempDir dir;
    sync::SystemTimeSource time;
    auto device = open_previous_device(dir, time);
    auto& r = *device->replica;
    check_outbox_intact(r);
    const std::string before = must(r.state_hash());

    auto hub_store = core::Store::open(dir.file("hub.db"), {});
    REQUIRE(hub_store.is_ok());
    sync::Hub hub(*hub_store.value(), time);
    sync::DeviceContext context{r.id(), sync::Role::kCentral, sync::Scope::everything(),
                                actors_of(r)};
    REQUIRE(context.staff.size() == 1);
    const std::string empty = must(hub_store.value()->state_hash());

    // Before it updates, the app speaks protocol 1: refused as a whole, nothing applied or lost.
    auto old = r.make_push(50, 200).value();
    old.protocol = 1;
    auto refused = hub.exchange(context, old);
    REQUIRE_FALSE(refused.is_ok());
    CHECK(refused.status().code() == Code::kUpgradeRequired);
    CHECK(must(hub_store.value()->state_hash()) == empty);
    CHECK(r.pending() == kFixtureOps);

    sync_accepting_all(r, [&](const sync::PushRequest& req) {
        auto reply = hub.exchange(context, req);
        REQUIRE(reply.is_ok());
        return reply.value();
    });
    CHECK(must(r.state_hash()) == before);  // nothing the device did was undone
    CHECK(must(r.state_hash()) == must(hub_store.value()->state_hash()));
    CHECK(must(r.state_hash()) == projection_hash(hub, context, dir.file("fresh.db"), time));
}

TEST_CASE(
    "the previous release's outbox syncs against the real server after its protocol 1 "
    "push is answered upgrade_required",
    "[server][sync][version]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    sync::SystemTimeSource time;
    auto device = open_previous_device(setup.dir, time);
    auto& r = *device->replica;
    check_outbox_intact(r);
    const std::string before = must(r.state_hash());
    const std::string empty = setup.server_hash(server);
    for (const auto& staff : actors_of(r))
        cli_ok({"user", "staff", "--db", setup.db, "--user", setup.central_user, "--add",
                staff.to_text()});

    auto old = r.make_push(50, 200).value();
    old.protocol = 1;  // as the previous release's app sends it, before it updates
    for (bool json : {false, true}) {
        const std::string body = json ? sync::request_to_json(old) : sync::encode_request(old);
        auto res = post_sync(*client, setup.central_token, body, json);
        REQUIRE(res);
        CHECK(res->status == 426);
        CHECK(error_code(res->body) == "upgrade_required");
    }
    CHECK(setup.server_hash(server) == empty);
    CHECK(r.pending() == kFixtureOps);

    sync_accepting_all(r, [&](const sync::PushRequest& req) {
        auto res = post_sync(*client, setup.central_token, sync::encode_request(req), false);
        REQUIRE(res);
        INFO(res->body.substr(0, 300));
        REQUIRE(res->status == 200);
        auto reply = sync::decode_reply(res->body);
        REQUIRE(reply.is_ok());
        return reply.value();
    });
    CHECK(must(r.state_hash()) == before);
    CHECK(must(r.state_hash()) == setup.server_hash(server));
    auto fresh = open_node(setup.dir.file("fresh.db"), time, 0xF4E5);
    sync_all(*client, setup.central_token, *fresh->replica, false);
    CHECK(must(r.state_hash()) == must(fresh->replica->state_hash()));
}

}  // namespace liaison::test::server_previous_release
