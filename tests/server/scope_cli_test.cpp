// Scope generations against the real server (docs/SYNC.md "Generations"): `liaison-server
// user scope` moves a user to another store while the server serves, and the user's device
// converges with what a fresh device of the new scope pulls; and the previous release's app
// is answered upgrade_required without losing its outbox.
#include "fixture.hpp"

namespace liaison::test::server_scope_cli {
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

TEST_CASE("a regional manager sees the people and contacts her stores registered",
          "[server][scope][regional]") {
    // S1 (docs/SYNC.md "Scopes"): a store's record carries only its store; the regional scope
    // covers it through the central record's place for the store, whoever created it.
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    sync::SystemTimeSource time;
    auto office = open_node(setup.dir.file("office.db"), time, 31);
    auto& c = *office->replica;
    auto north = c.create(core::Kind::kRegion, {{"name", std::string("Nord")}}).value();
    auto south = c.create(core::Kind::kRegion, {{"name", std::string("Sud")}}).value();
    auto lille =
        c.create(core::Kind::kStore, {{"name", std::string("Lille")}, {"region", north.to_text()}})
            .value();
    auto nice =
        c.create(core::Kind::kStore, {{"name", std::string("Nice")}, {"region", south.to_text()}})
            .value();
    sync_all(*client, setup.central_token, c, false);

    auto token_of = [&](const std::string& name, const std::string& role,
                        const std::string& list_flag, const std::string& list) {
        auto user = cli_ok(
            {"user", "add", "--db", setup.db, "--name", name, "--role", role, list_flag, list});
        return cli_ok({"token", "issue", "--db", setup.db, "--user", user});
    };
    const std::string store_token = token_of("Léa", "store", "--stores", lille.to_text());
    const std::string north_token = token_of("Nadia", "regional", "--regions", north.to_text());
    const std::string south_token = token_of("Sami", "regional", "--regions", south.to_text());

    auto tablet = open_node(setup.dir.file("tablet.db"), time, 32);
    auto& t = *tablet->replica;
    sync_all(*client, store_token, t, false);
    const auto person = t.create(core::Kind::kInfluencer,
                                 {{"name", std::string("Hélène")}, {"store", lille.to_text()}})
                            .value();
    const auto contact =
        t.create(core::Kind::kInteraction, {{"influencer", person.to_text()},
                                            {"at", std::int64_t(1'780'000'000'000)},
                                            {"touchpoint", std::string("store")},
                                            {"department", std::string("retail")},
                                            {"store", lille.to_text()}})
            .value();
    sync_all(*client, store_token, t, false);

    auto status_of = [&](const std::string& token, const std::string& path) {
        auto res = client->Get(path.c_str(), bearer(token));
        REQUIRE(res);
        return res->status;
    };
    const std::string person_path = "/api/v1/influencers/" + person.to_text();
    const std::string contact_path = "/api/v1/interactions/" + contact.to_text();
    CHECK(status_of(north_token, person_path) == 200);
    CHECK(status_of(north_token, contact_path) == 200);
    CHECK(status_of(south_token, person_path) == 404);
    CHECK(status_of(south_token, contact_path) == 404);

    // And her device pulls both; the other region's pulls neither.
    auto holds = [](sync::Replica& r, core::Kind kind, const core::Id128& id) {
        auto row = r.store().load_row(kind, id);
        REQUIRE(row.is_ok());
        return row.value().has_value() && row.value()->visible();
    };
    auto manager = open_node(setup.dir.file("manager.db"), time, 33);
    sync_all(*client, north_token, *manager->replica, false);
    CHECK(holds(*manager->replica, core::Kind::kInfluencer, person));
    CHECK(holds(*manager->replica, core::Kind::kInteraction, contact));
    auto other = open_node(setup.dir.file("other.db"), time, 34);
    sync_all(*client, south_token, *other->replica, false);
    CHECK_FALSE(holds(*other->replica, core::Kind::kInfluencer, person));
    CHECK(holds(*other->replica, core::Kind::kStore, nice));
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

}  // namespace liaison::test::server_scope_cli
