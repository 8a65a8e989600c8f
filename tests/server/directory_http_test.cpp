// GET /api/v1/directory and the same filters on GET /api/v1/influencers, against the real server
// (server/api/directory.hpp): each filter keeps exactly the people it names, a write shows at
// once (the index catches up with the change feed), the CSV is the whole view, a scoped caller
// sees its scope only, and a bad parameter is refused with its name.
#include <catch2/catch.hpp>
#include <chrono>

#include "rest_fixture.hpp"

namespace liaison::test::server_directory_http {
namespace {

struct View {
    std::size_t total = 0;
    std::vector<std::string> ids, names;
};

View view(httplib::Client& c, const std::string& token, const std::string& query) {
    auto res = c.Get(("/api/v1/directory?" + query).c_str(), bearer(token));
    REQUIRE(res);
    INFO(query << " -> " << res->body.substr(0, 400));
    REQUIRE(res->status == 200);
    auto doc = parse_json(res->body);
    View v;
    v.total = doc["total"].GetUint64();
    for (const auto& item : doc["items"].GetArray()) {
        v.ids.push_back(str_member(item, "id"));
        v.names.push_back(str_member(item, "name"));
    }
    return v;
}

std::string refusal(httplib::Client& c, const std::string& token, const std::string& query) {
    auto res = c.Get(("/api/v1/directory?" + query).c_str(), bearer(token));
    REQUIRE(res);
    CHECK(res->status == 400);
    return res->body;
}

}  // namespace

TEST_CASE("the directory filters and sorts people, shows writes at once and exports its view",
          "[server][directory]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    auto& c = *client;
    Company co(setup, c);
    const std::string tok = setup.central_token;
    const std::string owner = create(c, tok, "staff", R"({"name":"Olga Owner"})");
    const std::string zoe = create(
        c, tok, "influencers",
        R"({"name":"Zoé Top","tier":"top","country":"FR","owner":")" + owner +
            R"(","handles":["instagram:zoe:250000"],"topics":["beauty"],"languages":["fr"],"roles":["journalist"]})");
    const std::string yan = create(
        c, tok, "influencers",
        R"({"name":"Yan Expert","tier":"expert","country":"BE","handles":["tiktok:yan:900"],"brands":[")" +
            co.brand + R"("]})");

    // Everyone, by name; the two of the company and the two above.
    auto all = view(c, tok, "");
    CHECK(all.total == 4);
    CHECK(all.names ==
          std::vector<std::string>{"Ana Moreau", "Béa Lambert", "Yan Expert", "Zoé Top"});
    CHECK(view(c, tok, "sort=-name").names.front() == "Zoé Top");

    // Each filter keeps exactly the people it names.
    CHECK(view(c, tok, "tier=top").ids == std::vector<std::string>{zoe});
    CHECK(view(c, tok, "tier=top,expert").total == 2);
    CHECK(view(c, tok, "country=BE").ids == std::vector<std::string>{yan});
    CHECK(view(c, tok, "owner=" + owner).ids == std::vector<std::string>{zoe});
    CHECK(view(c, tok, "owner=none").total == 3);
    CHECK(view(c, tok, "platform=tiktok").ids == std::vector<std::string>{yan});
    CHECK(view(c, tok, "audience_min=1000").ids == std::vector<std::string>{zoe});
    CHECK(view(c, tok, "topic=beauty&language=fr&role=journalist").ids ==
          std::vector<std::string>{zoe});
    CHECK(view(c, tok, "brand=" + co.brand).ids == std::vector<std::string>{yan});
    CHECK(view(c, tok, "store=" + co.store_a).ids == std::vector<std::string>{co.ana});
    CHECK(view(c, tok, "sort=-audience").ids.front() == zoe);
    CHECK(view(c, tok, "q=zoe&tier=top").ids == std::vector<std::string>{zoe});
    CHECK(view(c, tok, "q=nobodyatall").total == 0);
    // Paging: two pages of two, in the same order as one page of four.
    auto p1 = view(c, tok, "limit=2"), p2 = view(c, tok, "limit=2&offset=2");
    CHECK(p1.total == 4);
    p1.ids.insert(p1.ids.end(), p2.ids.begin(), p2.ids.end());
    CHECK(p1.ids == all.ids);

    // Last contact: none yet, then an interaction today; "not contacted since" keeps the others.
    CHECK(view(c, tok, "contact_after=2000-01-01").total == 0);
    create(c, tok, "interactions",
           R"({"influencer":")" + co.bea + R"(","at":)" +
               std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count()) +
               R"(,"touchpoint":"email","department":"pr"})");
    CHECK(view(c, tok, "contact_after=2000-01-01").ids == std::vector<std::string>{co.bea});
    CHECK(view(c, tok, "contact_before=2000-01-01").total == 3);
    CHECK(view(c, tok, "sort=-last_contact").ids.front() == co.bea);

    // A write shows at once: Ana gets the owner.
    auto patched = send_json(c, tok, "PATCH", "/api/v1/influencers/" + co.ana,
                             R"({"owner":")" + owner + "\"}");
    REQUIRE(patched);
    REQUIRE(patched->status == 200);
    CHECK(view(c, tok, "owner=" + owner).total == 2);

    // The REST list takes the same filters and says how many match.
    auto listed = c.Get("/api/v1/influencers?tier=top,expert&sort=name", bearer(tok));
    REQUIRE(listed);
    REQUIRE(listed->status == 200);
    auto doc = parse_json(listed->body);
    CHECK(doc["total"].GetUint64() == 2);
    CHECK(str_member(doc["items"][0], "name") == "Yan Expert");

    // The CSV is the whole view, one line per person after the header.
    auto csv = c.Get("/api/v1/directory?owner=none&format=csv", bearer(tok));
    REQUIRE(csv);
    CHECK(csv->status == 200);
    CHECK(csv->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
    CHECK(std::count(csv->body.begin(), csv->body.end(), '\n') == 1 + 2);
    CHECK(csv->body.find("Yan Expert") != std::string::npos);
    CHECK(csv->body.find("Zoé Top") == std::string::npos);

    // A store user sees her store's people only (and those with no place at all).
    auto scoped = view(c, co.store_a_token, "");
    CHECK(contains(scoped.ids, co.ana));
    CHECK_FALSE(contains(scoped.ids, co.bea));

    // Bad parameters are refused with their name.
    CHECK(refusal(c, tok, "tier=legend").find("tier") != std::string::npos);
    CHECK(refusal(c, tok, "sort=height").find("sort") != std::string::npos);
    CHECK(refusal(c, tok, "contact_before=2026-13-01").find("contact_before") != std::string::npos);
    CHECK(refusal(c, tok, "owner=bob").find("owner") != std::string::npos);
    CHECK(refusal(c, tok, "audience_min=-5").find("audience_min") != std::string::npos);
    CHECK(refusal(c, tok, "colour=red").find("colour") != std::string::npos);
    CHECK(refusal(c, tok, "country=France").find("country") != std::string::npos);
    auto anonymous = c.Get("/api/v1/directory");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
}

}  // namespace liaison::test::server_directory_http

namespace liaison::test::server_directory_http {

// httplib compresses brotli at quality 11: 30 ms for a 19 KB directory page. Answers made on the
// fly go out gzipped to a browser that accepts both (server/http/server.cpp, drop_brotli).
TEST_CASE("an API answer to a browser accepting brotli and gzip comes gzipped",
          "[server][directory]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    Company co(setup, *client);
    httplib::Headers h = bearer(setup.central_token);
    h.emplace("Accept-Encoding", "gzip, deflate, br");
    client->set_decompress(false);
    auto res = client->Get("/api/v1/directory?limit=50", h);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Encoding") == "gzip");
    h.erase("Accept-Encoding");
    h.emplace("Accept-Encoding", "br");
    auto br_only = client->Get("/api/v1/directory?limit=50", h);
    REQUIRE(br_only);
    CHECK(br_only->status == 200);
    CHECK(br_only->get_header_value("Content-Encoding") != "br");
}

}  // namespace liaison::test::server_directory_http
