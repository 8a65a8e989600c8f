// A campaign's collaborations against the real server (server/api/collaborations.hpp): moves
// along the pipeline (core/query/pipeline.hpp P1–P5) as one write each, refused when the
// pipeline does not offer them; the trail, with the move a device made offline flagged; the
// board with its totals per currency; and the caller's scope.
#include <catch2/catch.hpp>
#include <chrono>

#include "core/query/view.hpp"
#include "rest_fixture.hpp"
#include "sync/pipeline.hpp"

namespace liaison::test::server_collaborations_http {
namespace {

rapidjson::Document move(httplib::Client& c, const std::string& token, const std::string& id,
                         const std::string& to, int status = 200) {
    auto res = send_json(c, token, "POST", "/api/v1/collaborations/" + id + "/moves",
                         R"({"to":")" + to + "\"}");
    REQUIRE(res);
    INFO(to << " -> " << res->body.substr(0, 400));
    REQUIRE(res->status == status);
    return parse_json(res->body);
}

rapidjson::Document get(httplib::Client& c, const std::string& token, const std::string& path,
                        int status = 200) {
    auto res = c.Get(path.c_str(), bearer(token));
    REQUIRE(res);
    INFO(path << " -> " << res->body.substr(0, 600));
    REQUIRE(res->status == status);
    return parse_json(res->body);
}

struct Campaign {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    std::unique_ptr<httplib::Client> client = server.client();
    Company co{setup, *client};
    std::string tok = setup.central_token;
    std::string campaign = create(*client, tok, "campaigns",
                                  R"({"name":"Printemps","budget":5000000,"currency":"EUR",)"
                                  R"("targets":"outputs.reach=2000000","store":")" +
                                      co.store_a + "\"}");
    // A vetting passed today: contracted and live need one (docs/COMPLIANCE.md, "Vetting").
    void vetted(const std::string& person) {
        create(*client, tok, "vettings",
               R"({"influencer":")" + person + R"(","reviewed":")" +
                   core::iso_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()) +
                   R"(","content_safety":"pass","political_neutrality":"pass",)"
                   R"("brand_values":"pass","professionalism":"pass","performance":"pass",)"
                   R"("audience_fit":"pass","price":"pass","post_campaign":"not_applicable"})");
    }
    std::string collaboration(const std::string& person, const std::string& extra) {
        return create(*client, tok, "collaborations",
                      R"({"influencer":")" + person + R"(","campaign":")" + campaign +
                          R"(","store":")" + co.store_a + "\"," + extra + "}");
    }
};

}  // namespace

TEST_CASE("a collaboration moves along the pipeline one offered move at a time",
          "[server][collaborations]") {
    Campaign k;
    auto& c = *k.client;
    const std::string paid =
        k.collaboration(k.co.ana, R"("type":"paid","fee":250000,"currency":"EUR")");
    auto refused = send_json(c, k.tok, "POST", "/api/v1/collaborations/" + paid + "/moves",
                             R"({"to":"live"})");
    REQUIRE(refused);
    CHECK(refused->status == 409);
    CHECK(refused->body.find("cannot move to live (it can move to vetted, cancelled)") !=
          std::string::npos);
    k.vetted(k.co.ana);
    const std::string hash = k.setup.server_hash(k.server);
    for (const char* to : {"vetted", "contracted", "live", "delivered", "validated"}) {
        auto r = move(c, k.tok, paid, to);
        CHECK(str_member(r["pipeline"], "status") == to);
        CHECK(str_member(r["collaboration"], "status") == to);
    }
    CHECK(k.setup.server_hash(k.server) != hash);
    auto p = get(c, k.tok, "/api/v1/collaborations/" + paid + "/pipeline");
    CHECK(str_member(p, "status") == "validated");
    REQUIRE(p["steps"].Size() == 5);
    CHECK(p["steps"][0]["from"].IsString());
    CHECK(str_member(p["steps"][0], "from") == "proposed");
    CHECK(str_member(p["steps"][4], "to") == "validated");
    CHECK(p["flagged"].GetInt() == 0);
    REQUIRE(p["next"].Size() == 1);
    CHECK(std::string(p["next"][0].GetString()) == "closed");
    // Bad input: no status, an unknown one, a body that is not JSON.
    auto none = send_json(c, k.tok, "POST", "/api/v1/collaborations/" + paid + "/moves", "{}");
    CHECK(none->status == 400);
    CHECK(none->body.find("\"field\":\"to\"") != std::string::npos);
    auto unknown = send_json(c, k.tok, "POST", "/api/v1/collaborations/" + paid + "/moves",
                             R"({"to":"sideways"})");
    CHECK(unknown->status == 400);
    auto missing =
        send_json(c, k.tok, "POST", "/api/v1/collaborations/01J00000000000000000000000/moves",
                  R"({"to":"vetted"})");
    CHECK(missing->status == 404);
}

TEST_CASE("a device's offline move from a status already left is kept and flagged in the trail",
          "[server][collaborations]") {
    Campaign k;
    auto& c = *k.client;
    const std::string id = k.collaboration(k.co.ana, R"("type":"gifted")");
    // A central device syncs the collaboration, then goes offline.
    TempDir dir;
    sync::ManualTimeSource time(
        std::uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count()));
    auto device = open_node(dir.file("laptop.db"), time, 9);
    sync_all(c, k.tok, *device->replica, false);
    // Meanwhile the central team moves it online.
    move(c, k.tok, id, "vetted");
    // Two minutes later, offline, the device cancels it from "proposed", as it still sees it.
    time.advance(120'000);
    auto step = sync::move_collaboration(*device->replica, *core::Id128::from_text(id),
                                         {"cancelled", "no longer", std::nullopt});
    REQUIRE(step.is_ok());
    sync_all(c, k.tok, *device->replica, false);
    auto p = get(c, k.tok, "/api/v1/collaborations/" + id + "/pipeline");
    REQUIRE(p["steps"].Size() == 2);  // both moves kept
    CHECK(str_member(p["steps"][1], "to") == "cancelled");
    CHECK(str_member(p["steps"][1], "flag") == "concurrent");
    CHECK(p["flagged"].GetInt() == 1);
    CHECK(str_member(p, "status") == "cancelled");
}

TEST_CASE("a campaign's board lists its collaborations by status with totals per currency",
          "[server][collaborations]") {
    Campaign k;
    auto& c = *k.client;
    const std::string a =
        k.collaboration(k.co.ana, R"("type":"paid","fee":100000,"currency":"EUR")");
    const std::string b = k.collaboration(
        k.co.bea, R"("type":"loan","in_kind_value":50000,"currency":"EUR","product":"Sac Lune")");
    k.collaboration(k.co.bea, R"("type":"affiliate","fee":20000,"currency":"USD")");
    move(c, k.tok, a, "vetted");
    auto board = get(c, k.tok, "/api/v1/campaigns/" + k.campaign + "/board");
    REQUIRE(board["items"].Size() == 3);
    // Pipeline order: the two proposed ones (by name), then the vetted one.
    CHECK(str_member(board["items"][0], "status") == "proposed");
    CHECK(str_member(board["items"][2], "status") == "vetted");
    CHECK(str_member(board["items"][2]["person"], "name") == "Ana Moreau");
    CHECK(board["totals"]["fee"]["EUR"].GetInt64() == 100000);
    CHECK(board["totals"]["fee"]["USD"].GetInt64() == 20000);
    CHECK(board["totals"]["in_kind_value"]["EUR"].GetInt64() == 50000);
    CHECK(board["statuses"].Size() == 8);
    // The store's own token sees its store's campaign; another store's does not.
    get(c, k.co.store_a_token, "/api/v1/campaigns/" + k.campaign + "/board");
    const std::string b_user = cli_ok({"user", "add", "--db", k.setup.db, "--name", "Lou", "--role",
                                       "store", "--stores", k.co.store_b});
    const std::string b_token = cli_ok({"token", "issue", "--db", k.setup.db, "--user", b_user});
    get(c, b_token, "/api/v1/campaigns/" + k.campaign + "/board", 404);
    auto out = send_json(c, b_token, "POST", "/api/v1/collaborations/" + b + "/moves",
                         R"({"to":"vetted"})");
    CHECK(out->status == 404);
}

}  // namespace liaison::test::server_collaborations_http
