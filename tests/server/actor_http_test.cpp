// A1 (docs/SYNC.md "Authorisation") against the real server: a store tablet's operation that
// names a staff member its user is not linked to is refused `forbidden`; with a linked one it is
// accepted; and the refusal converges like any other (invariant 9).
#include <catch2/catch.hpp>

#include "core/query/queries.hpp"
#include "rest_fixture.hpp"

namespace liaison::test::server_actor_http {

TEST_CASE(
    "A1: a store token's operation acted as an unlinked staff member is refused, a linked one "
    "accepted",
    "[server][sync][actor]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    Company co(setup, *client);
    const std::string ines =
        create(*client, setup.central_token, "staff", R"({"name":"Inès Martin"})");
    const std::string paul =
        create(*client, setup.central_token, "staff", R"({"name":"Paul Girard"})");
    const std::string& token = co.store_a_token;
    cli_ok({"user", "staff", "--db", setup.db, "--user", co.store_a_user, "--add", ines});

    sync::SystemTimeSource time;
    auto tablet = open_node(setup.dir.file("tablet.db"), time, 31);
    auto& r = *tablet->replica;
    sync_all(*client, token, r, false);
    const std::string before = setup.server_hash(server);

    auto contact = [&](const std::string& acting_as) {
        r.set_actor(*core::Id128::from_text(acting_as));
        auto id = r.create(core::Kind::kInteraction, {{"influencer", co.ana},
                                                      {"at", std::int64_t(time.now_ms())},
                                                      {"touchpoint", std::string("store")},
                                                      {"department", std::string("retail")},
                                                      {"staff", acting_as}});
        REQUIRE(id.is_ok());
        return id.value();
    };
    const auto forged = contact(paul);
    const auto linked = contact(ines);
    for (bool json : {false, true}) {
        INFO((json ? "JSON" : "binary"));
        auto push = r.make_push().value();
        REQUIRE(push.ops.size() == 2);
        push.ops.pop_back();  // the forged one alone first: the hash must not move
        const std::string body = json ? sync::request_to_json(push) : sync::encode_request(push);
        auto res = post_sync(*client, token, body, json);
        REQUIRE(res);
        REQUIRE(res->status == 200);
        auto reply = json ? sync::reply_from_json(res->body) : sync::decode_reply(res->body);
        REQUIRE(reply.is_ok());
        REQUIRE(reply->results.size() == 1);
        CHECK(reply->results[0].outcome == sync::Outcome::kRejected);
        CHECK(reply->results[0].code == Code::kForbidden);
        CHECK(reply->results[0].detail.find("acted as staff " + paul +
                                            ", who is not linked to this user") !=
              std::string::npos);
        CHECK(setup.server_hash(server) == before);
    }

    // The device's own exchange: the forged contact refused, the linked one accepted, and after
    // one more sync the device holds what the server holds (invariant 9).
    auto push = r.make_push().value();
    auto res = post_sync(*client, token, sync::encode_request(push), false);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    auto reply = sync::decode_reply(res->body);
    REQUIRE(reply.is_ok());
    REQUIRE(reply->results.size() == 2);
    CHECK(reply->results[0].code == Code::kForbidden);
    CHECK(reply->results[1].outcome == sync::Outcome::kApplied);
    REQUIRE(r.apply_reply(reply.value()).is_ok());
    sync_all(*client, token, r, false);
    CHECK_FALSE(core::get_entity(r.store(), core::Kind::kInteraction, forged).value());
    CHECK(core::get_entity(r.store(), core::Kind::kInteraction, linked).value());
    auto fresh = open_node(setup.dir.file("fresh.db"), time, 32);
    sync_all(*client, token, *fresh->replica, false);
    CHECK(must(r.state_hash()) == must(fresh->replica->state_hash()));
}

}  // namespace liaison::test::server_actor_http
