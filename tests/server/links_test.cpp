// Tracked links (GET /l/<code>): a public redirect that records a click through the operation
// path, with the referrer reduced to its origin and nothing personal.
#include "server/api/links.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "rest_fixture.hpp"

namespace liaison::test::server_links {

TEST_CASE("a referrer is kept only as its origin", "[server][links]") {
    using server::referrer_origin;
    CHECK(referrer_origin("https://www.Instagram.com/p/abc?igshid=42#x") ==
          "https://www.instagram.com");
    CHECK(referrer_origin("http://blog.example.fr:8080/post/1") == "http://blog.example.fr:8080");
    CHECK(referrer_origin("https://user:secret@example.com/") == "");
    CHECK(referrer_origin("android-app://com.google.android.gm/") == "");
    CHECK(referrer_origin("") == "");
    CHECK(referrer_origin("https://") == "");
    CHECK(referrer_origin("https://exa mple.com/") == "");
}

TEST_CASE("a tracked link redirects to its target and records a click without personal data",
          "[server][links]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    client->set_follow_location(false);
    const std::string& tok = setup.central_token;
    const std::string target = "https://shop.example.com/spring?utm_source=liaison";
    const std::string link =
        create(*client, tok, "tracked-links", R"({"code":"Spring-26","target":")" + target + "\"}");

    auto res =
        client->Get("/l/Spring-26", {{"Referer", "https://www.instagram.com/p/abc?igshid=42"},
                                     {"User-Agent", "Mozilla/5.0 (secret device)"}});
    REQUIRE(res);
    CHECK(res->status == 302);
    CHECK(res->get_header_value("Location") == target);
    CHECK(res->get_header_value("Cache-Control") == "no-store");

    // Central sees the click through REST: the link, a time, the referrer's origin only.
    auto clicks = client->Get(("/api/v1/clicks?link=" + link).c_str(), bearer(tok));
    REQUIRE(clicks);
    REQUIRE(clicks->status == 200);
    auto doc = parse_json(clicks->body);
    REQUIRE(doc["items"].Size() == 1);
    const auto& click = doc["items"][0];
    CHECK(str_member(click, "link") == link);
    CHECK(str_member(click, "referrer") == "https://www.instagram.com");
    REQUIRE(click.HasMember("at"));
    CHECK(click["at"].GetInt64() > 1'700'000'000'000);
    CHECK(clicks->body.find("igshid") == std::string::npos);
    CHECK(clicks->body.find("127.0.0.1") == std::string::npos);
    CHECK(clicks->body.find("Mozilla") == std::string::npos);

    // A HEAD (link preview) redirects without counting.
    auto head = client->Head("/l/Spring-26");
    REQUIRE(head);
    CHECK(head->status == 302);
    CHECK(list_ids(*client, tok, "/api/v1/clicks?link=" + link).size() == 1);

    for (const char* path : {"/l/nothing-here", "/l/abc", "/l/", "/l/has%20space",
                             "/l/0123456789012345678901234567890123456789"}) {
        INFO(path);
        auto missing = client->Get(path);
        REQUIRE(missing);
        CHECK(missing->status == 404);
        CHECK(missing->get_header_value("Location").empty());
        CHECK(missing->body.find('<') == std::string::npos);
    }

    // A code names one link.
    auto taken = send_json(*client, tok, "POST", "/api/v1/tracked-links",
                           R"({"code":"Spring-26","target":"https://elsewhere.example.com/"})");
    REQUIRE(taken);
    CHECK(taken->status == 409);
    CHECK(api_error(taken->body) == "conflict");

    // Retargeting a link takes effect on the next visit.
    auto moved = send_json(*client, tok, "PATCH", "/api/v1/tracked-links/" + link,
                           R"({"target":"https://shop.example.com/summer"})");
    REQUIRE(moved);
    CHECK(moved->status == 200);
    auto again = client->Get("/l/Spring-26");
    REQUIRE(again);
    CHECK(again->get_header_value("Location") == "https://shop.example.com/summer");
}

TEST_CASE("a flood of visits from one address is redirected but not all counted",
          "[server][links][limits]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    client->set_follow_location(false);
    const std::string link = create(*client, setup.central_token, "tracked-links",
                                    R"({"code":"flood","target":"https://example.com/"})");
    for (int i = 0; i < 40; ++i) {
        auto res = client->Get("/l/flood");
        REQUIRE(res);
        CHECK(res->status == 302);
    }
    auto counted =
        list_ids(*client, setup.central_token, "/api/v1/clicks?limit=500&link=" + link).size();
    CHECK(counted >= 20);  // the burst
    CHECK(counted < 40);
}

}  // namespace liaison::test::server_links

namespace liaison::test::server_links {

TEST_CASE("a store device pulls the clicks of links its scope covers and no other click",
          "[server][links][scope]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    client->set_follow_location(false);
    Company co(setup, *client);
    const std::string& tok = setup.central_token;
    // A link of the region (a store user's scope names only its store) and a brand-wide one.
    const std::string regional =
        create(*client, tok, "tracked-links",
               R"({"code":"idf-spring","target":"https://shop.example.com/idf","region":")" +
                   co.region + "\"}");
    const std::string open_link =
        create(*client, tok, "tracked-links",
               R"({"code":"all-spring","target":"https://shop.example.com/"})");
    for (const char* path : {"/l/idf-spring", "/l/all-spring"}) {
        auto res = client->Get(path);
        REQUIRE(res);
        REQUIRE(res->status == 302);
    }
    const auto regional_clicks = list_ids(*client, tok, "/api/v1/clicks?link=" + regional);
    const auto open_clicks = list_ids(*client, tok, "/api/v1/clicks?link=" + open_link);
    REQUIRE(regional_clicks.size() == 1);
    REQUIRE(open_clicks.size() == 1);

    sync::SystemTimeSource time;
    auto tablet = open_node(setup.dir.file("tablet.db"), time, 77);
    sync_all(*client, co.store_a_token, *tablet->replica, false);
    auto holds = [&](core::Kind kind, const std::string& id) {
        auto held = tablet->replica->store().has_row(kind, *core::Id128::from_text(id));
        REQUIRE(held.is_ok());
        return held.value();
    };
    CHECK_FALSE(holds(core::Kind::kTrackedLink, regional));
    CHECK_FALSE(holds(core::Kind::kClick, regional_clicks[0]));
    CHECK(holds(core::Kind::kTrackedLink, open_link));
    CHECK(holds(core::Kind::kClick, open_clicks[0]));
}

}  // namespace liaison::test::server_links

namespace liaison::test::server_links {
namespace {

// The clicks of `link` as central reads them, oldest first.
std::vector<std::string> click_visitors(httplib::Client& client, const std::string& token,
                                        const std::string& link) {
    auto res = client.Get(("/api/v1/clicks?link=" + link).c_str(), bearer(token));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    auto doc = parse_json(res->body);
    std::vector<std::string> out;
    for (const auto& item : doc["items"].GetArray()) out.push_back(str_member(item, "visitor"));
    std::sort(out.begin(), out.end());
    return out;
}

// The value of cookie `lv` a Set-Cookie header sets ("" when none).
std::string set_visitor(const std::string& set_cookie) {
    if (set_cookie.rfind("lv=", 0) != 0) return "";
    return set_cookie.substr(3, set_cookie.find(';') - 3);
}

}  // namespace

TEST_CASE("a shopper who agreed gets a visitor id on a cookie the click and the shop's address",
          "[server][links][visitor]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    client->set_follow_location(false);
    const std::string& tok = setup.central_token;
    const std::string target = "https://shop.example.com/spring?utm_source=liaison#top";
    const std::string link =
        create(*client, tok, "tracked-links", R"({"code":"Agreed-26","target":")" + target + "\"}");

    auto res = client->Get("/l/Agreed-26?consent=1");
    REQUIRE(res);
    CHECK(res->status == 302);
    const std::string cookie = res->get_header_value("Set-Cookie");
    const std::string id = set_visitor(cookie);
    INFO(cookie);
    CHECK(id.size() == 24);
    CHECK(cookie == "lv=" + id + "; Max-Age=2592000; Path=/l/; HttpOnly; SameSite=Lax");
    // The shop gets the id on its address, before the fragment.
    CHECK(res->get_header_value("Location") ==
          "https://shop.example.com/spring?utm_source=liaison&lv=" + id + "#top");

    // The next visit brings the cookie back: the same id, over https with Secure.
    auto again = client->Get("/l/Agreed-26?consent=1",
                             {{"Cookie", "other=1; lv=" + id}, {"X-Forwarded-Proto", "https"}});
    REQUIRE(again);
    CHECK(again->status == 302);
    CHECK(again->get_header_value("Set-Cookie") ==
          "lv=" + id + "; Max-Age=2592000; Path=/l/; HttpOnly; SameSite=Lax; Secure");
    CHECK(again->get_header_value("Location").find("lv=" + id) != std::string::npos);

    // Agreement given once on this server's consent cookie holds without the parameter.
    auto by_cookie = client->Get("/l/Agreed-26", {{"Cookie", "liaison_consent=1"}});
    REQUIRE(by_cookie);
    const std::string other = set_visitor(by_cookie->get_header_value("Set-Cookie"));
    CHECK(other.size() == 24);
    CHECK(other != id);

    // A cookie that is not a code is replaced, never echoed.
    auto forged = client->Get("/l/Agreed-26?consent=1", {{"Cookie", "lv=<script>"}});
    REQUIRE(forged);
    const std::string fresh = set_visitor(forged->get_header_value("Set-Cookie"));
    CHECK(fresh.size() == 24);
    CHECK(forged->get_header_value("Location").find("script") == std::string::npos);

    // Each click carries its visitor id.
    auto visitors = click_visitors(*client, tok, link);
    std::vector<std::string> want = {id, id, other, fresh};
    std::sort(want.begin(), want.end());
    CHECK(visitors == want);
}

TEST_CASE("without agreement or with GPC or DNT a visit gets no cookie and no id",
          "[server][links][visitor]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    client->set_follow_location(false);
    const std::string& tok = setup.central_token;
    const std::string target = "https://shop.example.com/spring";
    const std::string link = create(*client, tok, "tracked-links",
                                    R"({"code":"Private-26","target":")" + target + "\"}");

    const std::vector<std::pair<std::string, httplib::Headers>> visits = {
        {"/l/Private-26", {}},
        {"/l/Private-26", {{"Cookie", "lv=ABCDEFGHJKMN"}}},  // an id alone is no agreement
        {"/l/Private-26?consent=1", {{"Sec-GPC", "1"}}},
        {"/l/Private-26?consent=1", {{"DNT", "1"}}},
        {"/l/Private-26", {{"Cookie", "liaison_consent=1"}, {"Sec-GPC", "1"}}},
    };
    for (const auto& [path, headers] : visits) {
        INFO(path);
        auto res = client->Get(path.c_str(), headers);
        REQUIRE(res);
        CHECK(res->status == 302);
        CHECK(res->get_header_value("Location") == target);
        CHECK_FALSE(res->has_header("Set-Cookie"));
    }
    // A refusal forgets an id given before: the cookie expires.
    for (const auto& [path, headers] : std::vector<std::pair<std::string, httplib::Headers>>{
             {"/l/Private-26?consent=0", {{"Cookie", "lv=ABCDEFGHJKMN"}}},
             {"/l/Private-26?consent=1", {{"Cookie", "lv=ABCDEFGHJKMN"}, {"Sec-GPC", "1"}}}}) {
        auto res = client->Get(path.c_str(), headers);
        REQUIRE(res);
        CHECK(res->get_header_value("Location") == target);
        CHECK(res->get_header_value("Set-Cookie") ==
              "lv=; Max-Age=0; Path=/l/; HttpOnly; SameSite=Lax");
    }
    // A link preview (HEAD) with agreement gets no id either.
    auto head = client->Head("/l/Private-26?consent=1");
    REQUIRE(head);
    CHECK_FALSE(head->has_header("Set-Cookie"));
    // Seven clicks counted, none with a visitor id.
    CHECK(click_visitors(*client, tok, link) == std::vector<std::string>(7, ""));
}

TEST_CASE("a visitor id is added to the target's query with the right separator",
          "[server][links][visitor]") {
    using server::with_visitor;
    CHECK(with_visitor("https://s.example/a", "V1234") == "https://s.example/a?lv=V1234");
    CHECK(with_visitor("https://s.example/a?x=1", "V1234") == "https://s.example/a?x=1&lv=V1234");
    CHECK(with_visitor("https://s.example/a#f", "V1234") == "https://s.example/a?lv=V1234#f");
    CHECK(with_visitor("https://s.example/a?x#f?y", "V1234") ==
          "https://s.example/a?x&lv=V1234#f?y");
}

}  // namespace liaison::test::server_links
