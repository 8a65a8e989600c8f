// Posts imported from a CSV file against the real server (server/api/content.hpp): the author
// found by her handle, metrics by kind, the post of a collaboration taking its campaign and
// scope keys, the same post imported again updated rather than doubled, and every bad row
// refused with its reason while the good ones are kept.
#include <catch2/catch.hpp>

#include "rest_fixture.hpp"

namespace liaison::test::server_content_import {
namespace {

rapidjson::Document import_csv(httplib::Client& c, const std::string& token, const std::string& csv,
                               int status = 200) {
    auto res = c.Post("/api/v1/content/import", bearer(token), csv, "text/csv");
    REQUIRE(res);
    INFO(res->body.substr(0, 800));
    REQUIRE(res->status == status);
    return parse_json(res->body);
}

}  // namespace

TEST_CASE("posts imported from a CSV find their author by handle and report each bad row",
          "[server][content]") {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    auto client = server.client();
    auto& c = *client;
    Company co{setup, c};
    const std::string tok = setup.central_token;
    REQUIRE(send_json(c, tok, "POST", "/api/v1/influencers/" + co.ana + "/sets/handles",
                      R"({"add":"instagram:ana.moreau:52000"})")
                ->status == 200);
    const std::string campaign =
        create(c, tok, "campaigns", R"({"name":"Printemps","store":")" + co.store_a + "\"}");
    const std::string collab =
        create(c, tok, "collaborations",
               R"({"influencer":")" + co.ana + R"(","type":"gifted","campaign":")" + campaign +
                   R"(","store":")" + co.store_a + "\"}");
    const std::string csv =
        "url,platform,handle,published_at,likes,comments,shares,reach,disclosure_found,"
        "collaboration\r\n"
        "https://instagram.com/p/abc,instagram,@Ana.Moreau,2026-11-20,100,20,5,9000,yes," +
        collab + "\r\n" +
        "https://instagram.com/p/def,instagram,nobody.here,2026-11-21,1,1,1,10,no,\r\n"
        "https://instagram.com/p/ghi,instagram,ana.moreau,yesterday,1,1,1,10,no,\r\n"
        "https://tiktok.com/@ana/1,tiktok,ana.moreau,2026-11-22,5,5,5,100,no,\r\n"
        "https://instagram.com/p/jkl,instagram,ana.moreau,2026-11-23,-4,0,0,100,maybe,\r\n";
    auto r = import_csv(c, tok, csv);
    CHECK(r["imported"].GetInt() == 1);
    REQUIRE(r["refused"].Size() == 4);
    CHECK(r["refused"][0]["row"].GetInt() == 3);
    CHECK(str_member(r["refused"][0], "reason") ==
          "handle: nobody has the handle nobody.here on instagram");
    CHECK(str_member(r["refused"][1], "reason").find("published_at") == 0);
    CHECK(
        str_member(r["refused"][2], "reason").find("nobody has the handle ana.moreau on tiktok") !=
        std::string::npos);
    CHECK(r["refused"][3]["row"].GetInt() == 6);
    const std::string post = r["ids"][0].GetString();
    auto got = c.Get(("/api/v1/content/" + post).c_str(), bearer(tok));
    REQUIRE(got->status == 200);
    auto doc = parse_json(got->body);
    CHECK(str_member(doc, "influencer") == co.ana);
    CHECK(doc["engagements"].GetInt64() == 125);  // likes + comments + shares
    CHECK(str_member(doc, "campaign") == campaign);
    CHECK(str_member(doc, "store") == co.store_a);
    CHECK(doc["disclosure_found"].GetBool());

    // The same post again: its figures updated, not a second post.
    auto again =
        import_csv(c, tok,
                   "url,platform,influencer,reach\r\nhttps://instagram.com/p/abc,instagram," +
                       co.ana + ",12000\r\n");
    CHECK(again["imported"].GetInt() == 0);
    CHECK(again["updated"].GetInt() == 1);
    CHECK(std::string(again["ids"][0].GetString()) == post);
    auto list = c.Get(("/api/v1/content?influencer=" + co.ana).c_str(), bearer(tok));
    CHECK(parse_json(list->body)["items"].Size() == 1);

    // A file the server cannot read is refused whole.
    auto unknown =
        c.Post("/api/v1/content/import", bearer(tok), "url,platform,colour\r\n", "text/csv");
    CHECK(unknown->status == 400);
    CHECK(unknown->body.find("unknown column") != std::string::npos);
    auto json = c.Post("/api/v1/content/import", bearer(tok), "{}", "application/json");
    CHECK(json->status == 415);
    // A store token imports only posts of people it sees.
    auto other = import_csv(c, co.store_a_token,
                            "url,platform,influencer\r\nhttps://x.com/b/1,x," + co.bea + "\r\n");
    CHECK(other["imported"].GetInt() == 0);
    CHECK(other["refused"].Size() == 1);
}

}  // namespace liaison::test::server_content_import
