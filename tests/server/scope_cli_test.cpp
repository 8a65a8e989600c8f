// Scope generations against the real server (docs/SYNC.md "Generations"): `liaison-server
// user scope` moves a user to another store while the server serves, and the user's device
// converges with what a fresh device of the new scope pulls; and the previous release's app
// is answered upgrade_required without losing its outbox.
#include "fixture.hpp"

namespace liaison::test {
namespace {

std::vector<core::Id128> people_of(core::Store& s) {
    std::vector<core::Id128> out;
    auto changes = s.changes_since(0, 1'000'000);
    REQUIRE(changes.is_ok());
    for (const auto& c : changes.value())
        if (c.type == core::Store::Change::Type::kEntity && c.kind == core::Kind::kInfluencer)
            out.push_back(c.id);
    return out;
}

}  // namespace

TEST_CASE("user scope on a serving server moves a device to another store at its next sync",
          "[server][generations][scope]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    sync::SystemTimeSource time;
    auto office = open_node(setup.dir.file("office.db"), time, 11);
    auto& c = *office->replica;
    auto region = c.create(core::Kind::kRegion, {{"name", std::string("France")}}).value();
    auto a =
        c.create(core::Kind::kStore, {{"name", std::string("Lyon")}, {"region", region.to_text()}})
            .value();
    auto b =
        c.create(core::Kind::kStore, {{"name", std::string("Lille")}, {"region", region.to_text()}})
            .value();
    std::vector<core::Id128> of_a, of_b;
    for (int i = 0; i < 3; ++i) {
        of_a.push_back(
            c.create(core::Kind::kInfluencer,
                     {{"name", std::string("A") + std::to_string(i)}, {"store", a.to_text()}})
                .value());
        of_b.push_back(
            c.create(core::Kind::kInfluencer,
                     {{"name", std::string("B") + std::to_string(i)}, {"store", b.to_text()}})
                .value());
    }
    sync_all(*client, setup.central_token, c, false);

    auto user = cli_ok({"user", "add", "--db", setup.db, "--name", "Léa", "--role", "store",
                        "--stores", a.to_text()});
    auto token = cli_ok({"token", "issue", "--db", setup.db, "--user", user});
    auto tablet = open_node(setup.dir.file("tablet.db"), time, 12);
    sync_all(*client, token, *tablet->replica, false);
    REQUIRE(people_of(tablet->replica->store()).size() == of_a.size());

    auto moved =
        run_cli({"user", "scope", "--db", setup.db, "--user", user, "--stores", b.to_text()});
    INFO(moved.out << moved.err);
    REQUIRE(moved.exit_code == 0);
    sync_all(*client, token, *tablet->replica, true);
    auto now = people_of(tablet->replica->store());
    for (const auto& id : of_a) CHECK(std::find(now.begin(), now.end(), id) == now.end());
    for (const auto& id : of_b) CHECK(std::find(now.begin(), now.end(), id) != now.end());
    auto fresh = open_node(setup.dir.file("fresh.db"), time, 13);
    sync_all(*client, token, *fresh->replica, false);
    CHECK(must(tablet->replica->state_hash()) == must(fresh->replica->state_hash()));
    // A scope the role cannot have is refused, and the user keeps the one it has.
    CHECK(run_cli({"user", "scope", "--db", setup.db, "--user", user}).exit_code != 0);
}

TEST_CASE("the previous release's push is answered upgrade_required and its outbox is kept",
          "[server][sync][version]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    sync::SystemTimeSource time;
    auto node = open_node(setup.dir.file("old.db"), time, 21);
    auto& r = *node->replica;
    REQUIRE(r.create(core::Kind::kInfluencer, {{"name", std::string("Ana")}}).is_ok());
    auto req = r.make_push().value();
    req.protocol = 1;  // as the previous release's app sends it
    for (bool json : {false, true}) {
        const std::string body = json ? sync::request_to_json(req) : sync::encode_request(req);
        if (!json) REQUIRE(std::uint8_t(body[1]) == 1);
        auto res = post_sync(*client, setup.central_token, body, json);
        REQUIRE(res);
        CHECK(res->status == 426);
        CHECK(error_code(res->body) == "upgrade_required");
    }
    CHECK(r.pending() == 1);
    // Updated, the app sends the same outbox and it is accepted.
    sync_all(*client, setup.central_token, r, false);
    CHECK(r.pending() == 0);
    CHECK(must(r.state_hash()) == setup.server_hash(server));
}

}  // namespace liaison::test
