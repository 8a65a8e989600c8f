// The administrative REST routes against the real server (server/api/users.hpp, tokens.hpp,
// signin.hpp; docs/OPERATIONS.md "Sign-in links"): who may call them, how bad input is refused
// (field by field, nothing stored), what they audit, and the one-time sign-in codes: used once,
// refused after their lifetime, one winner of two concurrent exchanges, and a revoked device
// refused at /api/v1/sync.
#include <catch2/catch.hpp>
#include <future>

#include "rest_fixture.hpp"
#include "server/http/server.hpp"
#include "server_store.hpp"

namespace liaison::test::server_admin_http {
namespace {

std::vector<std::string> audit_actions(const std::string& db) {
    auto store = server_store(db);
    auto st = store->db().prepare("SELECT action || ' ' || actor FROM server_audit ORDER BY n");
    REQUIRE(st.is_ok());
    std::vector<std::string> out;
    while (st.value().step() == core::Statement::Step::kRow)
        out.push_back(st.value().column_text(0));
    return out;
}

// The "field" of an error body, or "".
std::string error_field(const std::string& body) {
    auto doc = parse_json(body);
    if (!doc.HasMember("error") || !doc["error"].HasMember("field")) return "";
    return str_member(doc["error"], "field");
}

httplib::Result post_signin(httplib::Client& c, const std::string& body) {
    return c.Post("/api/v1/signin", body, "application/json");
}

// Issues a sign-in code for `user`; returns the code (checks the url carries it).
std::string issue_code(httplib::Client& c, const Setup& setup, const std::string& user,
                       const std::string& body = "{}") {
    auto res = send_json(c, setup.admin_token, "POST",
                         "/api/v1/admin/users/" + user + "/signin-codes", body);
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 201);
    auto doc = parse_json(res->body);
    const std::string code = str_member(doc, "code");
    REQUIRE(code.size() == 48);
    CHECK(str_member(doc, "url").find("/#signin=" + code) != std::string::npos);
    REQUIRE(doc["expires_at"].IsInt64());
    return code;
}

}  // namespace

TEST_CASE("the administrative routes answer administrators only, and 401 without a token",
          "[server][admin][roles]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    Company co(setup, *client);
    const std::vector<std::pair<const char*, std::string>> routes = {
        {"GET", "/api/v1/admin/users"},
        {"POST", "/api/v1/admin/users"},
        {"GET", "/api/v1/admin/users/" + setup.central_user},
        {"PATCH", "/api/v1/admin/users/" + setup.central_user},
        {"GET", "/api/v1/admin/tokens"},
        {"POST", "/api/v1/admin/tokens/0123456789abcdef/revoke"},
        {"GET", "/api/v1/admin/devices"},
        {"POST", "/api/v1/admin/devices/01JD00000000000000000000S9/revoke"},
        {"POST", "/api/v1/admin/users/" + setup.central_user + "/signin-codes"},
    };
    for (const auto& [method, path] : routes) {
        INFO(method << " " << path);
        for (const std::string& token : {setup.central_token, co.store_a_token}) {
            auto res = send_json(*client, token, method, path, "{}");
            REQUIRE(res);
            CHECK(res->status == 403);
            CHECK(api_error(res->body) == "forbidden");
        }
        auto anonymous = send_json(*client, "", method, path, "{}");
        REQUIRE(anonymous);
        CHECK(anonymous->status == 401);
        auto ok = send_json(*client, setup.admin_token, method, path, "{}");
        REQUIRE(ok);
        CHECK(ok->status != 403);
        CHECK(ok->status != 401);
    }
}

TEST_CASE("an administrator adds a user, changes her role and scope, and every change is audited",
          "[server][admin][users]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    Company co(setup, *client);

    auto made =
        send_json(*client, setup.admin_token, "POST", "/api/v1/admin/users",
                  R"({"name":"Léa Vendeuse","role":"store","stores":[")" + co.store_a + "\"]}");
    REQUIRE(made);
    INFO(made->body);
    REQUIRE(made->status == 201);
    auto doc = parse_json(made->body);
    const std::string id = std::to_string(doc["id"].GetInt64());
    CHECK(str_member(doc, "role") == "store");
    CHECK(made->get_header_value("Location") == "/api/v1/admin/users/" + id);

    auto listed = client->Get("/api/v1/admin/users", bearer(setup.admin_token));
    REQUIRE(listed);
    CHECK(listed->status == 200);
    CHECK(listed->body.find("\"name\":\"Léa Vendeuse\"") != std::string::npos);

    // A role change that needs another list is refused unless the list comes with it.
    const std::string path = "/api/v1/admin/users/" + id;
    auto half = send_json(*client, setup.admin_token, "PATCH", path, R"({"role":"regional"})");
    REQUIRE(half);
    CHECK(half->status == 400);
    CHECK(error_field(half->body) == "regions");
    auto moved = send_json(*client, setup.admin_token, "PATCH", path,
                           R"({"role":"regional","regions":[")" + co.region + "\"]}");
    REQUIRE(moved);
    INFO(moved->body);
    CHECK(moved->status == 200);
    CHECK(str_member(parse_json(moved->body), "role") == "regional");
    auto scoped = send_json(*client, setup.admin_token, "PATCH", path,
                            R"({"role":"store","stores":[")" + co.store_b + "\"],\"regions\":[]}");
    REQUIRE(scoped);
    CHECK(scoped->status == 200);
    CHECK(scoped->body.find("\"stores\":[\"" + co.store_b + "\"]") != std::string::npos);
    auto off = send_json(*client, setup.admin_token, "PATCH", path, R"({"disabled":true})");
    REQUIRE(off);
    CHECK(off->status == 200);
    CHECK(off->body.find("\"disabled\":true") != std::string::npos);

    const std::string admin = "user:" + setup.admin_user;
    auto actions = audit_actions(setup.db);
    for (const char* a : {"user.add ", "user.role ", "user.scope ", "user.disable "})
        CHECK(contains(actions, a + admin));
}

TEST_CASE("bad input to the user routes is refused field by field and nothing is stored",
          "[server][admin][users][validation]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const auto before = audit_actions(setup.db);
    struct Bad {
        std::string body, code, field;
    };
    const std::vector<Bad> bad = {
        {R"({"role":"central"})", "required", "name"},
        {R"({"name":"","role":"central"})", "required", "name"},
        {R"({"name":")" + std::string(201, 'x') + R"(","role":"central"})", "too_long", "name"},
        {R"({"name":"Zoé\u0007","role":"central"})", "bad_format", "name"},
        {R"({"name":"Zoé"})", "required", "role"},
        {R"({"name":"Zoé","role":"king"})", "unknown_value", "role"},
        {R"({"name":"Zoé","role":"store"})", "invalid_argument", "stores"},
        {R"({"name":"Zoé","role":"store","stores":["Paris"]})", "invalid_argument", "stores"},
        {R"({"name":"Zoé","role":"store","stores":"Paris"})", "bad_format", "stores"},
        {R"({"name":42,"role":"central"})", "bad_format", "name"},
        {R"({"name":"Zoé","role":"central","password":"x"})", "unknown_field", "password"},
    };
    for (const auto& b : bad) {
        INFO(b.body);
        auto res = send_json(*client, setup.admin_token, "POST", "/api/v1/admin/users", b.body);
        REQUIRE(res);
        INFO(res->body);
        CHECK(res->status == 400);
        CHECK(api_error(res->body) == b.code);
        CHECK(error_field(res->body) == b.field);
    }
    auto not_json = send_json(*client, setup.admin_token, "POST", "/api/v1/admin/users", "[1,2");
    REQUIRE(not_json);
    CHECK(not_json->status == 400);
    CHECK(api_error(not_json->body) == "malformed");
    auto form = client->Post("/api/v1/admin/users", bearer(setup.admin_token), "name=x",
                             "application/x-www-form-urlencoded");
    REQUIRE(form);
    CHECK(form->status == 415);
    auto nobody = send_json(*client, setup.admin_token, "PATCH", "/api/v1/admin/users/999",
                            R"({"disabled":true})");
    REQUIRE(nobody);
    CHECK(nobody->status == 404);
    auto bad_flag = send_json(*client, setup.admin_token, "PATCH",
                              "/api/v1/admin/users/" + setup.central_user, R"({"disabled":"yes"})");
    REQUIRE(bad_flag);
    CHECK(bad_flag->status == 400);
    CHECK(error_field(bad_flag->body) == "disabled");
    CHECK(audit_actions(setup.db) == before);
    auto users = client->Get("/api/v1/admin/users", bearer(setup.admin_token));
    REQUIRE(users);
    CHECK(users->body.find("Zoé") == std::string::npos);
}

TEST_CASE("a sign-in code is exchanged once for a new device token, and a second use fails",
          "[server][admin][signin]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string code = issue_code(*client, setup, setup.central_user);
    // The code is not stored: only its hash.
    {
        auto store = server_store(setup.db);
        auto st = store->db().prepare("SELECT hash FROM server_signin_codes");
        REQUIRE(st.is_ok());
        REQUIRE(st.value().step() == core::Statement::Step::kRow);
        CHECK(st.value().column_text(0).find(code.substr(16)) == std::string::npos);
    }
    auto first = post_signin(*client, R"({"code":")" + code + R"(","device":"Laptop"})");
    REQUIRE(first);
    INFO(first->body);
    REQUIRE(first->status == 200);
    const std::string token = str_member(parse_json(first->body), "token");
    REQUIRE(token.rfind("lsn_", 0) == 0);
    auto me = client->Get("/api/v1/me", bearer(token));
    REQUIRE(me);
    CHECK(me->status == 200);
    CHECK(str_member(parse_json(me->body), "role") == "central");

    auto again = post_signin(*client, R"({"code":")" + code + R"(","device":"Laptop"})");
    REQUIRE(again);
    CHECK(again->status == 410);
    CHECK(api_error(again->body) == "used");
    // Another code: the last digit changed (one code in sixteen ends in 0 already).
    const std::string other = code.substr(0, 47) + (code.back() == '0' ? "1" : "0");
    auto wrong = post_signin(*client, R"({"code":")" + other + "\"}");
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
    auto missing = post_signin(*client, R"({"device":"Laptop"})");
    REQUIRE(missing);
    CHECK(missing->status == 400);
    CHECK(error_field(missing->body) == "code");

    // The token's device label is the one the device gave; both steps are audited.
    auto tokens = client->Get(("/api/v1/admin/tokens?user=" + setup.central_user).c_str(),
                              bearer(setup.admin_token));
    REQUIRE(tokens);
    CHECK(tokens->body.find("\"device\":\"Laptop\"") != std::string::npos);
    auto actions = audit_actions(setup.db);
    CHECK(contains(actions, "signin.issue user:" + setup.admin_user));
    CHECK(contains(actions, "signin.exchange user:" + setup.central_user));
}

TEST_CASE("a sign-in code past its lifetime is refused as expired", "[server][admin][signin]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    auto bad_life = send_json(*client, setup.admin_token, "POST",
                              "/api/v1/admin/users/" + setup.central_user + "/signin-codes",
                              R"({"minutes":600})");
    REQUIRE(bad_life);
    CHECK(bad_life->status == 400);
    CHECK(error_field(bad_life->body) == "minutes");
    const std::string code = issue_code(*client, setup, setup.central_user, R"({"minutes":1})");
    // Its lifetime passes (the row's end moved into the past, as a minute's wait would).
    REQUIRE(
        server_store(setup.db)->db().exec("UPDATE server_signin_codes SET expires_at = 1").is_ok());
    auto late = post_signin(*client, R"({"code":")" + code + "\"}");
    REQUIRE(late);
    CHECK(late->status == 410);
    CHECK(api_error(late->body) == "expired");
}

TEST_CASE("of two concurrent exchanges of one sign-in code exactly one gets a token",
          "[server][admin][signin][concurrency]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto admin_client = server.client();
    for (int round = 0; round < 4; ++round) {
        const std::string code = issue_code(*admin_client, setup, setup.central_user);
        auto exchange = [&] {
            auto c = server.client();
            auto res = post_signin(*c, R"({"code":")" + code + "\"}");
            return res ? res->status : -1;
        };
        auto a = std::async(std::launch::async, exchange);
        auto b = std::async(std::launch::async, exchange);
        std::vector<int> got = {a.get(), b.get()};
        std::sort(got.begin(), got.end());
        CHECK(got == std::vector<int>{200, 410});
    }
}

TEST_CASE("sign-in attempts are rate-limited per client address", "[server][admin][signin]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    int limited = 0;
    for (int i = 0; i < 15; ++i) {
        auto res = post_signin(*client, R"({"code":")" + std::string(48, 'a') + "\"}");
        REQUIRE(res);
        if (res->status == 429) {
            ++limited;
            CHECK(!res->get_header_value("Retry-After").empty());
        } else {
            CHECK(res->status == 401);
        }
    }
    CHECK(limited >= 5);
}

// Sign-in attempts from one client address, as `forwarded_for` says, until the first 429 (at
// most 15); the number of attempts made.
int attempts_until_limited(httplib::Client& c, const std::string& forwarded_for,
                           const std::string& sent_by_client = "") {
    httplib::Headers headers;
    // What the client sent comes first; a balancer such as HAProxy adds its own line after it.
    if (!sent_by_client.empty()) headers.emplace("X-Forwarded-For", sent_by_client);
    headers.emplace("X-Forwarded-For", forwarded_for);
    for (int i = 1; i <= 15; ++i) {
        auto res = c.Post("/api/v1/signin", headers, R"({"code":")" + std::string(48, 'a') + "\"}",
                          "application/json");
        REQUIRE(res);
        if (res->status == 429) return i;
        CHECK(res->status == 401);
    }
    return 16;
}

TEST_CASE("behind a trusted load balancer sign-in attempts are limited per forwarded client",
          "[server][admin][signin]") {
    Setup setup;
    ServerProcess server(setup.db, {"--trusted-proxy", "127.0.0.1"}, setup.log);
    auto client = server.client();
    CHECK(attempts_until_limited(*client, "10.0.0.1") <= 12);
    // Another client behind the same balancer is not held back by the first one's attempts.
    CHECK(attempts_until_limited(*client, "10.0.0.2") > 5);
    // The balancer appends the address it saw: what the client sent before it does not count,
    // on the same header line or on a line of its own.
    CHECK(attempts_until_limited(*client, "10.0.0.3, 10.0.0.1") == 1);
    CHECK(attempts_until_limited(*client, "10.0.0.1", "10.0.0.4") == 1);
}

TEST_CASE("without a trusted load balancer X-Forwarded-For is ignored", "[server][admin][signin]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    CHECK(attempts_until_limited(*client, "10.0.0.1") <= 12);
    CHECK(attempts_until_limited(*client, "10.0.0.2") == 1);  // still the one peer
}

TEST_CASE("the client address is the balancer's last X-Forwarded-For entry when it is an address",
          "[server][admin][signin]") {
    const std::vector<std::string> lb = {"127.0.0.1"};
    CHECK(server::client_address("127.0.0.1", "203.0.113.7", lb) == "203.0.113.7");
    CHECK(server::client_address("127.0.0.1", "1.2.3.4, 2001:db8::1", lb) == "2001:db8::1");
    CHECK(server::client_address("127.0.0.1", "", lb) == "127.0.0.1");
    CHECK(server::client_address("127.0.0.1", "203.0.113.7, unknown", lb) == "127.0.0.1");
    CHECK(server::client_address("127.0.0.1", "evil;host", lb) == "127.0.0.1");
    CHECK(server::client_address("127.0.0.1", std::string(60, '1'), lb) == "127.0.0.1");
    CHECK(server::client_address("192.0.2.9", "203.0.113.7", lb) == "192.0.2.9");
    CHECK(server::client_address("127.0.0.1", "203.0.113.7", {}) == "127.0.0.1");
}

TEST_CASE("a revoked device is refused at /api/v1/sync and other devices are not",
          "[server][admin][devices]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    sync::SystemTimeSource time;
    auto laptop_token = str_member(
        parse_json(post_signin(*client, R"({"code":")" +
                                            issue_code(*client, setup, setup.central_user) +
                                            R"(","device":"Laptop"})")
                       ->body),
        "token");
    auto laptop = open_node(setup.dir.file("laptop.db"), time, 41);
    auto desk = open_node(setup.dir.file("desk.db"), time, 42);
    sync_all(*client, laptop_token, *laptop->replica, false);
    sync_all(*client, setup.central_token, *desk->replica, false);

    auto devices = client->Get("/api/v1/admin/devices", bearer(setup.admin_token));
    REQUIRE(devices);
    REQUIRE(devices->status == 200);
    const std::string replica = laptop->replica->id().to_text();
    INFO(devices->body);
    REQUIRE(devices->body.find("\"replica\":\"" + replica + "\"") != std::string::npos);
    CHECK(devices->body.find("\"device\":\"Laptop\"") != std::string::npos);

    auto revoked = send_json(*client, setup.admin_token, "POST",
                             "/api/v1/admin/devices/" + replica + "/revoke");
    REQUIRE(revoked);
    INFO(revoked->body);
    CHECK(revoked->status == 200);
    CHECK(revoked->body.find("\"revoked\":1") != std::string::npos);
    auto push = laptop->replica->make_push(50, 200);
    REQUIRE(push.is_ok());
    auto refused = client->Post("/api/v1/sync", bearer(laptop_token),
                                sync::encode_request(push.value()), kBinary);
    REQUIRE(refused);
    CHECK(refused->status == 401);
    sync_all(*client, setup.central_token, *desk->replica, false);  // still works
    CHECK(contains(audit_actions(setup.db), "device.revoke user:" + setup.admin_user));

    // A token revoked by id is refused too; an unknown id is 404.
    auto tokens = parse_json(client
                                 ->Get(("/api/v1/admin/tokens?user=" + setup.central_user).c_str(),
                                       bearer(setup.admin_token))
                                 ->body);
    std::string desk_token_id;
    for (const auto& t : tokens["items"].GetArray())
        if (!t["revoked"].GetBool()) desk_token_id = str_member(t, "id");
    REQUIRE(desk_token_id.size() == 16);
    auto by_id = send_json(*client, setup.admin_token, "POST",
                           "/api/v1/admin/tokens/" + desk_token_id + "/revoke");
    REQUIRE(by_id);
    CHECK(by_id->status == 200);
    CHECK(client->Get("/api/v1/me", bearer(setup.central_token))->status == 401);
    auto unknown = send_json(*client, setup.admin_token, "POST",
                             "/api/v1/admin/tokens/0123456789abcdef/revoke");
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    auto bad_filter = client->Get("/api/v1/admin/tokens?user=abc", bearer(setup.admin_token));
    REQUIRE(bad_filter);
    CHECK(bad_filter->status == 400);
    CHECK(error_field(bad_filter->body) == "user");
}

}  // namespace liaison::test::server_admin_http
