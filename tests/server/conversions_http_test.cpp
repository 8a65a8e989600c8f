// Links and conversions against the real server (server/api/conversions.hpp, docs/PROGRAMMES.md
// "Links and conversions"): an order posted twice is one conversion; a shop's CSV keeps its
// good rows and reports every bad one with its reason; an integration token reaches only the
// conversions routes; conversions and clicks carry their campaign's scope keys, so a store
// lists and pulls only its own.
#include <catch2/catch.hpp>

#include "core/model/ids.hpp"
#include "rest_fixture.hpp"

namespace liaison::test::server_conversions_http {
namespace {

// A company (rest_fixture.hpp) with a campaign at each store, a tracked link for each
// campaign's influencer, a collaboration with a promo code at store B, and an integration
// user (a shop) of the whole record.
struct Shop {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    std::unique_ptr<httplib::Client> client = [this] {
        auto c = server.client();
        c->set_follow_location(false);
        return c;
    }();
    Company co{setup, *client};
    std::string tok = setup.central_token;
    std::string campaign_a =
        create(*client, tok, "campaigns",
               R"({"name":"Printemps Rivoli","region":")" + co.region + R"(","store":")" +
                   co.store_a + R"(","brand":")" + co.brand + "\"}");
    std::string campaign_b = create(*client, tok, "campaigns",
                                    R"({"name":"Printemps Bellecour","region":")" + co.region +
                                        R"(","store":")" + co.store_b + "\"}");
    std::string link_a = create(*client, tok, "tracked-links",
                                R"({"code":"Rivoli-26","target":"https://shop.example.com/a",)"
                                R"("influencer":")" +
                                    co.ana + R"(","campaign":")" + campaign_a + "\"}");
    std::string link_b = create(*client, tok, "tracked-links",
                                R"({"code":"Bellecour-26","target":"https://shop.example.com/b",)"
                                R"("influencer":")" +
                                    co.bea + R"(","campaign":")" + campaign_b + "\"}");
    std::string collab_b = create(*client, tok, "collaborations",
                                  R"({"influencer":")" + co.bea + R"(","campaign":")" + campaign_b +
                                      R"(","type":"affiliate","promo_code":"BEA10"})");
    std::string integration_user = cli_ok(
        {"user", "add", "--db", setup.db, "--name", "Boutique en ligne", "--role", "integration"});
    std::string integration_token =
        cli_ok({"token", "issue", "--db", setup.db, "--user", integration_user});

    httplib::Result post_order(const std::string& body, const std::string& token = "") {
        return send_json(*client, token.empty() ? integration_token : token, "POST",
                         "/api/v1/conversions", body);
    }
    httplib::Result import_csv(const std::string& csv) {
        return client->Post("/api/v1/conversions/import", bearer(integration_token), csv,
                            "text/csv");
    }
};

std::string conversion_id(const std::string& shop, const std::string& order_ref) {
    return core::Id128::derive("conversion", shop, order_ref).to_text();
}

}  // namespace

TEST_CASE("the same order posted twice by an integration token counts once",
          "[server][conversions]") {
    Shop s;
    const std::string order =
        R"({"shop":"eshop","order_ref":"A-1001","at":"2026-03-01T10:00:00Z","value":12900,)"
        R"("currency":"EUR","link_code":"Rivoli-26"})";
    auto first = s.post_order(order);
    REQUIRE(first);
    INFO(first->body);
    REQUIRE(first->status == 201);
    auto doc = parse_json(first->body);
    CHECK_FALSE(doc["duplicate"].GetBool());
    const auto& conv = doc["conversion"];
    CHECK(str_member(conv, "id") == conversion_id("eshop", "A-1001"));
    CHECK(str_member(conv, "link") == s.link_a);
    CHECK(str_member(conv, "influencer") == s.co.ana);
    CHECK(str_member(conv, "campaign") == s.campaign_a);
    // The campaign's scope keys.
    CHECK(str_member(conv, "store") == s.co.store_a);
    CHECK(str_member(conv, "region") == s.co.region);
    CHECK(str_member(conv, "brand") == s.co.brand);
    CHECK(conv["value"].GetInt64() == 12900);
    CHECK(str_member(conv, "currency") == "EUR");
    CHECK(conv["at"].GetInt64() == 1'772'359'200'000);

    // The second time: the same conversion, nothing written.
    const std::string hash = s.setup.server_hash(s.server);
    auto again = s.post_order(order);
    REQUIRE(again);
    INFO(again->body);
    CHECK(again->status == 200);
    CHECK(parse_json(again->body)["duplicate"].GetBool());
    CHECK(s.setup.server_hash(s.server) == hash);
    CHECK(list_ids(*s.client, s.tok, "/api/v1/conversions").size() == 1);

    // A promo code attributes the order to its collaboration; central may post one too.
    auto promo =
        s.post_order(R"({"shop":"eshop","order_ref":"A-1002","at":1772359200000,"value":4500,)"
                     R"("currency":"EUR","promo_code":"BEA10"})",
                     s.tok);
    REQUIRE(promo);
    INFO(promo->body);
    REQUIRE(promo->status == 201);
    auto p = parse_json(promo->body);
    CHECK(str_member(p["conversion"], "collaboration") == s.collab_b);
    CHECK(str_member(p["conversion"], "influencer") == s.co.bea);
    CHECK(str_member(p["conversion"], "store") == s.co.store_b);

    // An unknown code is refused, and says which.
    auto unknown =
        s.post_order(R"({"shop":"eshop","order_ref":"A-1003","at":1772359200000,"value":100,)"
                     R"("currency":"EUR","link_code":"Nowhere-1"})");
    REQUIRE(unknown);
    CHECK(unknown->status == 422);
    CHECK(unknown->body.find("Nowhere-1") != std::string::npos);
    unknown = s.post_order(R"({"shop":"eshop","order_ref":"A-1003","at":1772359200000,"value":100,)"
                           R"("currency":"EUR","promo_code":"NOPE99"})");
    REQUIRE(unknown);
    CHECK(unknown->status == 422);
    // A store user may not post orders.
    auto store =
        s.post_order(R"({"shop":"eshop","order_ref":"A-1004","at":1772359200000,"value":100,)"
                     R"("currency":"EUR","link_code":"Rivoli-26"})",
                     s.co.store_a_token);
    REQUIRE(store);
    CHECK(store->status == 403);
    // An integration scoped to store A cannot attribute an order to store B's campaign.
    const std::string scoped = cli_ok({"user", "add", "--db", s.setup.db, "--name", "Rivoli shop",
                                       "--role", "integration", "--stores", s.co.store_a});
    const std::string scoped_token =
        cli_ok({"token", "issue", "--db", s.setup.db, "--user", scoped});
    auto outside =
        s.post_order(R"({"shop":"rivoli","order_ref":"R-1","at":1772359200000,"value":100,)"
                     R"("currency":"EUR","link_code":"Bellecour-26"})",
                     scoped_token);
    REQUIRE(outside);
    INFO(outside->body);
    CHECK(outside->status == 403);
    CHECK(list_ids(*s.client, s.tok, "/api/v1/conversions").size() == 2);
}

TEST_CASE("a shop's CSV import keeps the good rows and refuses each bad one with its reason",
          "[server][conversions][csv]") {
    Shop s;
    const std::string csv =
        "shop,order_ref,at,value,currency,link_code,promo_code\r\n"
        "eshop,B-1,2026-03-02T09:00:00Z,5000,EUR,Rivoli-26,\r\n"  // row 2: kept
        "eshop,B-2,2026-03-02T09:05:00Z,-3,EUR,Rivoli-26,\r\n"    // row 3: negative value
        "eshop,B-3,yesterday,100,EUR,Rivoli-26,\r\n"              // row 4: not a time
        "eshop,B-4,2026-03-02T09:10:00Z,100,EUR,nosuchcode,\r\n"  // row 5: unknown link
        "eshop,B-5,2026-03-02T09:10:00Z,100,EURO,,BEA10\r\n"      // row 6: not a currency
        "eshop,B-6,2026-03-02T09:12:00Z,2500,EUR,,BEA10\r\n"      // row 7: kept
        "eshop,B-1,2026-03-02T09:00:00Z,5000,EUR,Rivoli-26,\r\n"  // row 8: the same order
        "eshop,,2026-03-02T09:00:00Z,5000,EUR,Rivoli-26,\r\n";    // row 9: no order reference
    auto res = s.import_csv(csv);
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    auto doc = parse_json(res->body);
    CHECK(doc["imported"].GetInt() == 2);
    CHECK(doc["duplicates"].GetInt() == 1);
    REQUIRE(doc["refused"].Size() == 5);
    const int rows[] = {3, 4, 5, 6, 9};
    const char* words[] = {"value", "at", "nosuchcode", "currency", "order_ref"};
    for (std::size_t i = 0; i < 5; ++i) {
        const auto& r = doc["refused"][rapidjson::SizeType(i)];
        INFO(i);
        CHECK(r["row"].GetInt() == rows[i]);
        CHECK(str_member(r, "reason").find(words[i]) != std::string::npos);
    }
    auto ids = list_ids(*s.client, s.tok, "/api/v1/conversions");
    CHECK(ids.size() == 2);
    CHECK(contains(ids, conversion_id("eshop", "B-1")));
    CHECK(contains(ids, conversion_id("eshop", "B-6")));

    // The same file again: nothing new.
    res = s.import_csv(csv);
    REQUIRE(res);
    doc = parse_json(res->body);
    CHECK(doc["imported"].GetInt() == 0);
    CHECK(doc["duplicates"].GetInt() == 3);
    // Bounded: over kMaxConversionRows orders, the file is refused whole.
    std::string big = "shop,order_ref,at,value,currency,link_code\r\n";
    for (int i = 0; i <= 10'000; ++i)
        big += "eshop,L-" + std::to_string(i) + ",1772359200000,100,EUR,Rivoli-26\r\n";
    res = s.import_csv(big);
    REQUIRE(res);
    CHECK(res->status == 413);
    // Text over the model's bounds is that row's reason.
    res = s.import_csv("shop,order_ref,at,value,currency,link_code\r\n" + std::string(121, 's') +
                       ",L-1,1772359200000,100,EUR,Rivoli-26\r\n");
    REQUIRE(res);
    INFO(res->body);
    doc = parse_json(res->body);
    REQUIRE(doc["refused"].Size() == 1);
    CHECK(str_member(doc["refused"][0], "reason").find("shop") != std::string::npos);
    // A file without the columns it needs is refused whole.
    res = s.import_csv("shop,order_ref\r\neshop,C-1\r\n");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(list_ids(*s.client, s.tok, "/api/v1/conversions").size() == 2);
}

TEST_CASE("an integration token reaches only the conversions routes", "[server][conversions]") {
    Shop s;
    auto people = s.client->Get("/api/v1/influencers", bearer(s.integration_token));
    REQUIRE(people);
    CHECK(people->status == 403);
    CHECK(api_error(people->body) == "forbidden");
    auto sync = s.client->Post("/api/v1/sync", bearer(s.integration_token), "{}", kJson);
    REQUIRE(sync);
    CHECK(sync->status == 403);
    CHECK(api_error(sync->body) == "forbidden");
    auto me = s.client->Get("/api/v1/me", bearer(s.integration_token));
    REQUIRE(me);
    CHECK(me->status == 403);
    // The administrators' REST route makes and lists the role like any other.
    auto made = send_json(*s.client, s.setup.admin_token, "POST", "/api/v1/admin/users",
                          R"({"name":"Boutique 2","role":"integration"})");
    REQUIRE(made);
    INFO(made->body);
    CHECK(made->status == 201);
    auto users = s.client->Get("/api/v1/admin/users", bearer(s.setup.admin_token));
    REQUIRE(users);
    CHECK(users->body.find("\"role\":\"integration\"") != std::string::npos);
}

TEST_CASE("a store lists and pulls no conversion of another store's campaign",
          "[server][conversions][scope]") {
    Shop s;
    for (const auto& [order, code] : {std::pair{"S-1", "Rivoli-26"}, {"S-2", "Bellecour-26"}}) {
        auto res = s.post_order(std::string(R"({"shop":"eshop","order_ref":")") + order +
                                R"(","at":1772359200000,"value":100,"currency":"EUR",)"
                                R"("link_code":")" +
                                code + "\"}");
        REQUIRE(res);
        REQUIRE(res->status == 201);
    }
    const std::string mine = conversion_id("eshop", "S-1");
    const std::string theirs = conversion_id("eshop", "S-2");
    auto listed = list_ids(*s.client, s.co.store_a_token, "/api/v1/conversions");
    CHECK(listed == std::vector<std::string>{mine});
    auto one = s.client->Get(("/api/v1/conversions/" + theirs).c_str(), bearer(s.co.store_a_token));
    REQUIRE(one);
    CHECK(one->status == 404);

    sync::SystemTimeSource time;
    auto tablet = open_node(s.setup.dir.file("tablet.db"), time, 71);
    sync_all(*s.client, s.co.store_a_token, *tablet->replica, false);
    auto& store = tablet->replica->store();
    auto held = store.load_row(core::Kind::kConversion, *core::Id128::from_text(mine));
    REQUIRE(held);
    CHECK(held.value().has_value());
    auto other = store.load_row(core::Kind::kConversion, *core::Id128::from_text(theirs));
    REQUIRE(other);
    CHECK_FALSE(other.value().has_value());
}

TEST_CASE("the click of a store campaign's link carries its campaign and the store",
          "[server][conversions][links]") {
    Shop s;
    auto res = s.client->Get("/l/Rivoli-26");
    REQUIRE(res);
    REQUIRE(res->status == 302);
    auto clicks = s.client->Get(("/api/v1/clicks?link=" + s.link_a).c_str(), bearer(s.tok));
    REQUIRE(clicks);
    auto doc = parse_json(clicks->body);
    REQUIRE(doc["items"].Size() == 1);
    const auto& click = doc["items"][0];
    CHECK(str_member(click, "campaign") == s.campaign_a);
    CHECK(str_member(click, "store") == s.co.store_a);
    CHECK(str_member(click, "region") == s.co.region);
    CHECK(str_member(click, "brand") == s.co.brand);
    // Store B's tablet does not see it.
    const std::string b_user = cli_ok({"user", "add", "--db", s.setup.db, "--name", "Lou", "--role",
                                       "store", "--stores", s.co.store_b});
    const std::string b_token = cli_ok({"token", "issue", "--db", s.setup.db, "--user", b_user});
    CHECK(list_ids(*s.client, b_token, "/api/v1/clicks").empty());
    CHECK(list_ids(*s.client, s.co.store_a_token, "/api/v1/clicks").size() == 1);
}

TEST_CASE("a tracked link created without a code gets a unique one from the server",
          "[server][conversions][links]") {
    Shop s;
    const std::string id =
        create(*s.client, s.tok, "tracked-links",
               R"({"target":"https://shop.example.com/c","influencer":")" + s.co.ana + "\"}");
    auto res = s.client->Get(("/api/v1/tracked-links/" + id).c_str(), bearer(s.tok));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const std::string code = str_member(parse_json(res->body), "code");
    CHECK(code == core::link_code(*core::Id128::from_text(id)));
    CHECK(code.size() == 10);
    auto visit = s.client->Get(("/l/" + code).c_str());
    REQUIRE(visit);
    CHECK(visit->status == 302);
    // Its code is taken.
    auto taken =
        send_json(*s.client, s.tok, "POST", "/api/v1/tracked-links",
                  R"({"code":")" + code + R"(","target":"https://elsewhere.example.com/"})");
    REQUIRE(taken);
    CHECK(taken->status == 409);
}

}  // namespace liaison::test::server_conversions_http

namespace liaison::test::server_conversions_http {

TEST_CASE("the visitor id the redirect gave comes back with the order and is stored",
          "[server][conversions][visitor]") {
    Shop s;
    // The shopper agreed: the redirect hands the shop her id on the target's address.
    auto visit = s.client->Get("/l/Rivoli-26?consent=1");
    REQUIRE(visit);
    REQUIRE(visit->status == 302);
    const std::string location = visit->get_header_value("Location");
    const std::size_t at = location.find("lv=");
    REQUIRE(at != std::string::npos);
    const std::string id = location.substr(at + 3);
    CHECK(id.size() == 24);

    auto res = s.post_order(
        R"({"shop":"eshop","order_ref":"V-1","at":"2026-03-01T10:00:00Z","value":1000,)"
        R"("currency":"EUR","link_code":"Rivoli-26","visitor":")" +
        id + "\"}");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 201);
    CHECK(str_member(parse_json(res->body)["conversion"], "visitor") == id);

    // Not a code: refused, naming the field, nothing written.
    auto bad = s.post_order(
        R"({"shop":"eshop","order_ref":"V-2","at":"2026-03-01T10:00:00Z","value":1000,)"
        R"("currency":"EUR","link_code":"Rivoli-26","visitor":"no way!"})");
    REQUIRE(bad);
    INFO(bad->body);
    CHECK(bad->status == 400);
    CHECK(bad->body.find("visitor") != std::string::npos);
    CHECK_FALSE(
        contains(list_ids(*s.client, s.tok, "/api/v1/conversions"), conversion_id("eshop", "V-2")));

    // A shop's CSV may carry the column; a row with a bad id is refused with its reason.
    auto csv = s.import_csv(
        "shop,order_ref,at,value,currency,link_code,visitor\r\n"
        "eshop,V-3,2026-03-02T09:00:00Z,500,EUR,Rivoli-26," +
        id +
        "\r\n"
        "eshop,V-4,2026-03-02T09:00:00Z,500,EUR,Rivoli-26,x\r\n"
        "eshop,V-5,2026-03-02T09:00:00Z,500,EUR,Rivoli-26,\r\n");
    REQUIRE(csv);
    INFO(csv->body);
    REQUIRE(csv->status == 200);
    auto doc = parse_json(csv->body);
    CHECK(doc["imported"].GetInt() == 2);
    REQUIRE(doc["refused"].Size() == 1);
    CHECK(doc["refused"][0]["row"].GetInt() == 3);
    CHECK(str_member(doc["refused"][0], "reason").find("visitor") != std::string::npos);
    auto v3 = s.client->Get(("/api/v1/conversions/" + conversion_id("eshop", "V-3")).c_str(),
                            bearer(s.tok));
    REQUIRE(v3);
    REQUIRE(v3->status == 200);
    CHECK(str_member(parse_json(v3->body), "visitor") == id);
    auto v5 = s.client->Get(("/api/v1/conversions/" + conversion_id("eshop", "V-5")).c_str(),
                            bearer(s.tok));
    REQUIRE(v5);
    REQUIRE(v5->status == 200);
    CHECK(str_member(parse_json(v5->body), "visitor").empty());
}

}  // namespace liaison::test::server_conversions_http
