// `liaison-server serve --demo`: tokens per role and scoped pulls.
#include <catch2/catch.hpp>
#include <map>

#include "core/query/queries.hpp"
#include "fixture.hpp"

namespace liaison::test::server_demo_http {

TEST_CASE("the demo prints a token per role and a store token pulls only its store",
          "[server][demo][scope]") {
    TempDir dir;
    const std::string db = dir.file("demo.db");
    ServerProcess server(db, {"--demo"}, dir.file("server.log"));
    std::map<std::string, std::string> tokens;
    static const std::regex re(R"re(^sign in as ([a-z]+): token (lsn_[0-9a-f_]+)$)re");
    for (const auto& line : server.banner()) {
        std::smatch m;
        if (std::regex_match(line, m, re)) tokens[m[1].str()] = m[2].str();
    }
    REQUIRE(tokens.size() == 5);
    for (const char* role : {"admin", "central", "regional", "store", "field"})
        CHECK(tokens.count(role) == 1);

    auto client = server.client();
    auto me = client->Get("/api/v1/me", bearer(tokens["store"]));
    REQUIRE(me);
    REQUIRE(me->status == 200);
    std::smatch m;
    REQUIRE(std::regex_search(me->body, m, std::regex(R"re("stores":\["([0-9A-Z]{26})"\])re")));
    const std::string my_store = m[1].str();

    sync::SystemTimeSource time;
    auto node = open_node(dir.file("store-tablet.db"), time, 3);
    sync_all(*client, tokens["store"], *node->replica, false);
    auto all = core::list_influencers(node->replica->store(), core::InfluencerFilter{}, 100000);
    REQUIRE(all.is_ok());
    // Its store's people in full; the rest of its brand's people as directory records
    // (docs/SYNC.md "Directory", D2): no e-mail, phone or notes.
    const auto& k = core::kind_def(core::Kind::kInfluencer);
    const auto at = [&](const core::RowState& row, const char* f) -> const core::Value& {
        return row.values[std::size_t(k.field_index(f))];
    };
    std::size_t mine = 0, listed = 0;
    for (const auto& row : all.value()) {
        const auto* s = std::get_if<std::string>(&at(row, "store"));
        const bool directory = node->replica->store().directory_only(row.id).value();
        if (s && *s == my_store) {
            ++mine;
            CHECK_FALSE(directory);
            continue;
        }
        ++listed;
        CHECK(directory);
        for (const char* hidden : {"email", "phone", "notes", "vetting_notes"}) {
            INFO(hidden);
            CHECK(core::is_null(at(row, hidden)));
        }
    }
    CHECK(mine > 50);
    CHECK(mine < 2000);
    CHECK(listed > 0);

    // Pushing something outside its store is refused for that operation alone.
    const std::string elsewhere = "01M83ZSHHP3YVZMJGKYJTES1GE";
    REQUIRE(node->replica
                ->create(core::Kind::kInfluencer,
                         {{"name", std::string("Inès Ailleurs")}, {"store", elsewhere}})
                .is_ok());
    REQUIRE(node->replica
                ->create(core::Kind::kInfluencer,
                         {{"name", std::string("Noël Ici")}, {"store", my_store}})
                .is_ok());
    auto push = node->replica->make_push();
    REQUIRE(push.is_ok());
    auto res = post_sync(*client, tokens["store"], sync::encode_request(push.value()), false);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    auto reply = sync::decode_reply(res->body);
    REQUIRE(reply.is_ok());
    REQUIRE(reply->results.size() == 2);
    CHECK(reply->results[0].outcome == sync::Outcome::kRejected);
    CHECK(reply->results[0].code == Code::kOutOfScope);
    CHECK(reply->results[1].outcome == sync::Outcome::kApplied);

    // A restart with --demo prints fresh tokens and the old ones stop working.
    REQUIRE(server.stop() == 0);
    ServerProcess again(db, {"--demo"}, dir.file("server.log"));
    bool printed = false;
    for (const auto& line : again.banner())
        printed = printed || line.rfind("sign in as store: token ", 0) == 0;
    CHECK(printed);
    auto old = again.client()->Get("/api/v1/me", bearer(tokens["store"]));
    REQUIRE(old);
    CHECK(old->status == 401);
}

}  // namespace liaison::test::server_demo_http
