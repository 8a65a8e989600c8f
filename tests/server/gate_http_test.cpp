// The real liaison-server's gate and limits (docs/DESIGN.md §6): tokens, roles, hostile input, rate
// limits, security headers and the command line.
#include <catch2/catch.hpp>
#include <filesystem>

#include "fixture.hpp"

namespace liaison::test::server_gate_http {

TEST_CASE(
    "a revoked token is refused at once and a store token cannot reach an administrator's route",
    "[server][auth]") {
    Setup setup;
    const std::string store_id = "01M83ZSHHPCRN0ZF0EG9Z1TT7F";
    auto store_user = cli_ok({"user", "add", "--db", setup.db, "--name", "Sam Store", "--role",
                              "store", "--stores", store_id});
    auto laptop =
        run_cli({"token", "issue", "--db", setup.db, "--user", store_user, "--device", "laptop"});
    REQUIRE(laptop.exit_code == 0);
    const std::string laptop_token = laptop.out.substr(0, laptop.out.find('\n'));
    const std::string laptop_id = laptop_token.substr(4, 16);  // lsn_<id>_<secret>
    // The tablet's token comes with a sign-in link to the app; stdout is the token alone.
    auto tablet = run_cli({"token", "issue", "--db", setup.db, "--user", store_user, "--link-to",
                           "https://liaison.example"});
    REQUIRE(tablet.exit_code == 0);
    const std::string tablet_token = tablet.out.substr(0, tablet.out.find('\n'));
    CHECK(tablet.out == tablet_token + "\n");
    CHECK(tablet.err.find("\nhttps://liaison.example/#token=" + tablet_token + "\n") !=
          std::string::npos);
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();

    auto me = client->Get("/api/v1/me", bearer(laptop_token));
    REQUIRE(me);
    CHECK(me->status == 200);
    CHECK(me->body.find("\"role\":\"store\"") != std::string::npos);
    CHECK(me->body.find("\"stores\":[\"" + store_id + "\"]") != std::string::npos);

    auto admin_only = client->Get("/api/v1/admin/state-hash", bearer(laptop_token));
    REQUIRE(admin_only);
    CHECK(admin_only->status == 403);
    CHECK(error_code(admin_only->body) == "forbidden");
    auto central_too = client->Get("/api/v1/admin/state-hash", bearer(setup.central_token));
    REQUIRE(central_too);
    CHECK(central_too->status == 403);

    // Revoked by the command line while the server runs: refused on its next use.
    REQUIRE(cli_ok({"token", "revoke", "--db", setup.db, "--token-id", laptop_id}) ==
            "revoked " + laptop_id);
    const std::string listed = cli_ok({"token", "list", "--db", setup.db, "--user", store_user});
    CHECK(listed.find(laptop_id + "\t" + store_user + "\tlaptop\trevoked\t") != std::string::npos);
    CHECK(listed.find(laptop_token.substr(21)) == std::string::npos);
    auto revoked = client->Get("/api/v1/me", bearer(laptop_token));
    REQUIRE(revoked);
    CHECK(revoked->status == 401);
    CHECK(error_code(revoked->body) == "unauthorized");
    auto other = client->Get("/api/v1/me", bearer(tablet_token));
    REQUIRE(other);
    CHECK(other->status == 200);

    // Disabling the user stops its other tokens too; enabling restores the unrevoked ones.
    cli_ok({"user", "disable", "--db", setup.db, "--user", store_user});
    auto disabled = client->Get("/api/v1/me", bearer(tablet_token));
    REQUIRE(disabled);
    CHECK(disabled->status == 401);
    CHECK(run_cli({"token", "issue", "--db", setup.db, "--user", store_user}).exit_code == 1);
    cli_ok({"user", "enable", "--db", setup.db, "--user", store_user});
    auto enabled = client->Get("/api/v1/me", bearer(tablet_token));
    REQUIRE(enabled);
    CHECK(enabled->status == 200);
    auto still_revoked = client->Get("/api/v1/me", bearer(laptop_token));
    REQUIRE(still_revoked);
    CHECK(still_revoked->status == 401);

    SECTION("missing, malformed and forged tokens get 401") {
        std::string forged = tablet_token;
        forged.back() = forged.back() == '0' ? '1' : '0';  // right id, wrong secret
        for (const httplib::Headers& h :
             {httplib::Headers{}, bearer(""), bearer("nonsense"), bearer(forged),
              httplib::Headers{{"Authorization", "Basic " + tablet_token}}}) {
            auto res = client->Get("/api/v1/me", h);
            REQUIRE(res);
            CHECK(res->status == 401);
            CHECK(error_code(res->body) == "unauthorized");
        }
        auto sync = client->Post("/api/v1/sync", bearer(forged), "x", kBinary);
        REQUIRE(sync);
        CHECK(sync->status == 401);
    }
    SECTION("the log names users by id and never holds tokens or names") {
        server.stop();
        const std::string log = read_file(setup.log);
        CHECK(log.find("\"user\":" + store_user) != std::string::npos);
        CHECK(log.find("\"status\":401") != std::string::npos);
        CHECK(log.find(tablet_token.substr(21)) == std::string::npos);  // a secret
        CHECK(log.find(laptop_token.substr(21)) == std::string::npos);
        CHECK(log.find("Sam Store") == std::string::npos);
    }
}

TEST_CASE("hostile bodies get JSON errors, change nothing and the server stays up",
          "[server][hostile]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    sync::SystemTimeSource time;
    auto node = open_node(setup.dir.file("device.db"), time, 11);
    REQUIRE(node->replica->create(core::Kind::kBrand, {{"name", std::string("Maison Lumière")}})
                .is_ok());
    sync_all(*client, setup.central_token, *node->replica, false);
    const std::string before = setup.server_hash(server);

    // A real request with one more operation, for truncation.
    REQUIRE(
        node->replica->create(core::Kind::kBrand, {{"name", std::string("Atelier Véga")}}).is_ok());
    const std::string good = sync::encode_request(node->replica->make_push().value());
    const std::string good_json = sync::request_to_json(node->replica->make_push().value());
    std::string wrong_version = good;
    wrong_version[1] = char(99);
    std::string garbage(4096, '\0');
    for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = char((i * 2654435761u) >> 13);

    struct Case {
        const char* what;
        std::string body;
        const char* type;
        int status;
        const char* code;
    };
    const Case cases[] = {
        {"empty", "", kBinary, 400, "malformed"},
        {"garbage", garbage, kBinary, 400, "malformed"},
        {"truncated", good.substr(0, good.size() / 2), kBinary, 400, "malformed"},
        {"one byte short", good.substr(0, good.size() - 1), kBinary, 400, "malformed"},
        {"trailing bytes", good + "x", kBinary, 400, "malformed"},
        {"a reply instead of a request", sync::encode_reply(sync::PushReply{}), kBinary, 400,
         "malformed"},
        {"unknown format version", wrong_version, kBinary, 400, "unsupported_version"},
        {"binary sent as JSON", good, kJson, 400, "malformed"},
        {"truncated JSON", good_json.substr(0, good_json.size() / 2), kJson, 400, "malformed"},
        {"JSON of another shape", "{\"hello\":[1,2,3]}", kJson, 400, "malformed"},
        {"wrong content type", good, "text/plain", 415, "unsupported_media_type"},
        {"form content type", "a=b", "application/x-www-form-urlencoded", 415,
         "unsupported_media_type"},
        {"oversized", std::string(sync::kMaxMessageBytes + 1024, 'x'), kBinary, 413, "too_large"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto res = client->Post("/api/v1/sync", bearer(setup.central_token), c.body, c.type);
        REQUIRE(res);
        CHECK(res->status == c.status);
        CHECK(error_code(res->body) == c.code);
        CHECK(res->get_header_value("Content-Type") == kJson);
    }
    auto health = client->Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(health->body == "{\"ok\":true}");
    CHECK(setup.server_hash(server) == before);
    CHECK(server.running());
}

TEST_CASE("every response carries the security headers and unknown addresses answer JSON",
          "[server][headers]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    for (const char* path : {"/healthz", "/no/such/page", "/api/v1/me"}) {
        INFO(path);
        auto res = client->Get(path);
        REQUIRE(res);
        CHECK(res->get_header_value("Content-Security-Policy") ==
              "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; "
              "frame-ancestors 'none'");
        CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
        CHECK(res->get_header_value("Referrer-Policy") == "no-referrer");
        CHECK(res->get_header_value("X-Frame-Options") == "DENY");
        if (res->status != 200) CHECK_FALSE(error_code(res->body).empty());
    }
    auto unknown_api = client->Get("/api/v1/nothing", bearer(setup.central_token));
    REQUIRE(unknown_api);
    CHECK(unknown_api->status == 404);
    CHECK(error_code(unknown_api->body) == "not_found");
}

TEST_CASE("a token over its rate limit gets 429 with Retry-After", "[server][limits]") {
    Setup setup;
    ServerProcess server(setup.db, {"--rate-limit", "1", "--burst", "3"}, setup.log);
    auto client = server.client();
    int ok = 0, limited = 0;
    for (int i = 0; i < 10; ++i) {
        auto res = client->Get("/api/v1/me", bearer(setup.central_token));
        REQUIRE(res);
        if (res->status == 200) ++ok;
        if (res->status == 429) {
            ++limited;
            CHECK(error_code(res->body) == "rate_limited");
            CHECK(std::atoi(res->get_header_value("Retry-After").c_str()) >= 1);
        }
    }
    CHECK(ok >= 3);
    CHECK(ok <= 4);  // the burst, plus at most one refill during the loop
    CHECK(limited == 10 - ok);
    // Another token has its own bucket.
    auto other = client->Get("/api/v1/me", bearer(setup.admin_token));
    REQUIRE(other);
    CHECK(other->status == 200);
}

TEST_CASE("the command line rejects bad arguments with exit code 2 and the usage",
          "[server][cli]") {
    TempDir dir;
    const std::string db = dir.file("x.db");
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {},
             {"frobnicate"},
             {"init"},
             {"init", "--db"},
             {"init", "--db", db, "--colour", "red"},
             {"user", "add", "--db", db, "--name", "X", "--role", "king"},
             {"user", "add", "--db", db, "--name", "X", "--role", "store"},
             {"user", "add", "--db", db, "--name", "X", "--role", "regional", "--regions",
              "not-an-id"},
             {"token", "issue", "--db", db, "--user", "abc"},
             {"token", "issue", "--db", db, "--user", "1", "--link-to", "ftp://liaison.example"},
             {"token", "issue", "--db", db, "--user", "1", "--link-to",
              "https://liaison.example/#x"},
             {"token", "issue", "--db", db, "--user", "1", "--link-to", "https://"},
             {"serve", "--db", db, "--port", "99999"}}) {
        auto r = run_cli(args);
        std::string cmd;
        for (const auto& a : args) cmd += " " + a;
        INFO("liaison-server" << cmd);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("usage:") != std::string::npos);
    }
    SECTION("administrative commands do not create a database by mistake") {
        auto r = run_cli({"user", "add", "--db", db, "--name", "X", "--role", "admin"});
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("init") != std::string::npos);
    }
    SECTION("an unknown user or token is an error, not a crash") {
        cli_ok({"init", "--db", db});
        CHECK(run_cli({"token", "issue", "--db", db, "--user", "99"}).exit_code == 1);
        CHECK(
            run_cli({"token", "revoke", "--db", db, "--token-id", "0123456789abcdef"}).exit_code ==
            1);
    }
}

TEST_CASE("static files are served with their types and the security headers, the API stays gated",
          "[server][static]") {
    Setup setup;
    const std::string web = setup.dir.file("web");
    std::filesystem::create_directories(web + "/api");
    std::ofstream(web + "/index.html") << "<!doctype html><title>Liaison</title>";
    std::ofstream(web + "/core.wasm", std::ios::binary) << std::string("\0asm\1\0\0\0", 8);
    std::ofstream(web + "/app.js") << "console.log('hi')";
    std::ofstream(web + "/api/secret.txt") << "not for strangers";
    ServerProcess server(setup.db, {"--static", web}, setup.log);
    auto client = server.client();

    auto index = client->Get("/");
    REQUIRE(index);
    CHECK(index->status == 200);
    CHECK(index->body.find("<title>Liaison</title>") != std::string::npos);
    CHECK(index->get_header_value("Content-Type").rfind("text/html", 0) == 0);
    CHECK(index->get_header_value("X-Frame-Options") == "DENY");
    CHECK_FALSE(index->get_header_value("Content-Security-Policy").empty());
    auto wasm = client->Get("/core.wasm");
    REQUIRE(wasm);
    CHECK(wasm->get_header_value("Content-Type") == "application/wasm");
    auto js = client->Get("/app.js");
    REQUIRE(js);
    CHECK(js->get_header_value("Content-Type") == "text/javascript");
    auto gated = client->Get("/api/secret.txt");  // the gate runs before the file handler
    REQUIRE(gated);
    CHECK(gated->status == 401);
    auto missing = client->Get("/nothing.html");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(error_code(missing->body) == "not_found");
    auto escape = client->Get("/../server.db");
    REQUIRE(escape);
    CHECK(escape->status >= 400);
    CHECK(escape->body.find("SQLite") == std::string::npos);
}

}  // namespace liaison::test::server_gate_http
