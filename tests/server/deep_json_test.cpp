// Deeply nested JSON against the real liaison-server (issue 13): 200,000 nested arrays in a
// JSON push once overflowed the stack of the recursive JSON parser and killed the process
// (segmentation fault). Every JSON decoder now refuses nesting past core::kMaxJsonDepth.
#include <catch2/catch.hpp>

#include "core/util/json.hpp"
#include "rest_fixture.hpp"
#include "sync/edit.hpp"

namespace liaison::test::server_deep_json {
namespace {

std::string nested_arrays(std::size_t levels) {
    return std::string(levels, '[') + std::string(levels, ']');
}

void require_alive(ServerProcess& server) {
    REQUIRE(server.running());
    auto health = server.client()->Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
}

}  // namespace

TEST_CASE("a million levels of nested JSON get a 400 and the server keeps answering",
          "[server][hostile][json]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& tok = setup.central_token;

    SECTION("a sync push") {
        for (const std::string& body :
             {nested_arrays(1'000'000),
              "{\"protocol\":1,\"ops\":" + nested_arrays(1'000'000) + "}"}) {
            auto res = client->Post("/api/v1/sync", bearer(tok), body, kJson);
            REQUIRE(res);
            INFO(res->body.substr(0, 200));
            CHECK(res->status == 400);
            CHECK(error_code(res->body) == "malformed");
            CHECK(res->body.find("nested deeper than") != std::string::npos);
            require_alive(server);
        }
    }
    SECTION("a REST body, as deep as its size limit allows") {
        // REST documents are at most sync::kMaxEditBytes (a million levels get 413 before
        // anything reads them), so the deepest REST body is just under that limit. Each route
        // answers the same malformed as the sync decoder, before its parser runs.
        const std::string a = create(*client, tok, "influencers", R"({"name":"Léa Petit"})");
        const std::size_t levels = (sync::kMaxEditBytes - 32) / 2;
        const std::string deep = nested_arrays(levels);
        for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
                 {"/api/v1/influencers/" + a + "/sets/tags", "{\"add\":" + deep + "}"},
                 {"/api/v1/influencers/" + a + "/merge", "{\"into\":" + deep + "}"},
                 {"/api/v1/influencers", "{\"name\":" + deep + "}"},
                 {"/api/v1/influencers", deep}}) {
            INFO(path << " " << body.substr(0, 20));
            auto res = send_json(*client, tok, "POST", path, body);
            REQUIRE(res);
            INFO(res->body.substr(0, 200));
            CHECK(res->status == 400);
            CHECK(api_error(res->body) == "malformed");
            require_alive(server);
        }
        auto huge = send_json(*client, tok, "POST", "/api/v1/influencers/" + a + "/sets/tags",
                              "{\"add\":" + nested_arrays(1'000'000) + "}");
        REQUIRE(huge);
        CHECK(huge->status == 413);
        require_alive(server);
    }
}

}  // namespace liaison::test::server_deep_json
