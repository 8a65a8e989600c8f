// The archive (docs/ARCHIVE.md): the whole central record as JSON Lines, exported by one
// server and imported by a fresh one to the same state and the same history; plain lines from
// a spreadsheet or another tool are writes through the hub, a bad one refused by its line.
#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "rest_fixture.hpp"

namespace liaison::test::server_archive {
namespace {

std::string get_ok(const ServerProcess& server, const std::string& token, const std::string& path) {
    auto res = server.client()->Get(path.c_str(), bearer(token));
    REQUIRE(res);
    INFO(path << " -> " << res->body.substr(0, 300));
    REQUIRE(res->status == 200);
    return res->body;
}

// Up to `n` ids of a REST collection.
std::vector<std::string> ids_of(const ServerProcess& server, const std::string& token,
                                const std::string& collection, std::size_t n) {
    auto doc =
        parse_json(get_ok(server, token, "/api/v1/" + collection + "?limit=" + std::to_string(n)));
    std::vector<std::string> out;
    for (const auto& item : doc["items"].GetArray()) out.push_back(str_member(item, "id"));
    return out;
}

// An administrator and a token on a database (the archive carries no accounts).
std::string admin_token_for(const std::string& db) {
    const std::string user =
        cli_ok({"user", "add", "--db", db, "--name", "Ada Admin", "--role", "admin"});
    return cli_ok({"token", "issue", "--db", db, "--user", user, "--device", "tests"});
}

// init + import; returns the CLI's result.
CliResult import_into(const std::string& db, const std::string& archive,
                      const std::string& report = "") {
    cli_ok({"init", "--db", db});
    std::vector<std::string> args = {"import", "--db", db, "--in", archive};
    if (!report.empty()) {
        args.push_back("--report");
        args.push_back(report);
    }
    return run_cli(args);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace

TEST_CASE(
    "the demo's whole record exported and imported into a fresh server gives the same state "
    "hash and the same history",
    "[server][archive]") {
    TempDir dir;
    const std::string demo_db = dir.file("demo.db"), archive = dir.file("demo.jsonl");
    std::map<std::string, std::vector<std::string>> sample;  // collection -> ids
    std::string demo_admin;
    {
        ServerProcess demo(demo_db, {"--demo"}, dir.file("demo.log"));
        auto tokens = demo_tokens(demo);
        REQUIRE(tokens.count("admin"));
        demo_admin = tokens["admin"];
        for (const char* c : {"influencers", "events", "staff", "stores", "campaigns"})
            sample[c] = ids_of(demo, demo_admin, c, 8);
        REQUIRE(sample["influencers"].size() == 8);
        // Edits that give the history old -> new values, and one that clears a field.
        auto client = demo.client();
        for (std::size_t i = 0; i < 4; ++i) {
            const std::string id = sample["influencers"][i];
            auto res = send_json(*client, demo_admin, "PATCH", "/api/v1/influencers/" + id,
                                 R"({"notes":"Edited before the export )" + std::to_string(i) +
                                     R"(","vetting_notes":null})");
            REQUIRE(res);
            INFO(res->body);
            REQUIRE(res->status == 200);
        }
        REQUIRE(demo.stop() == 0);
    }
    auto exported = run_cli({"export", "--db", demo_db, "--out", archive});
    INFO(exported.out << exported.err);
    REQUIRE(exported.exit_code == 0);
    const auto lines = lines_of(read_file(archive));
    REQUIRE(lines.size() > 1000);
    CHECK(lines.front().find(R"("format":"liaison-archive")") != std::string::npos);

    const std::string fresh_db = dir.file("fresh.db");
    auto imported = import_into(fresh_db, archive);
    INFO(imported.out << imported.err);
    REQUIRE(imported.exit_code == 0);
    const std::string fresh_admin = admin_token_for(fresh_db);

    ServerProcess demo(demo_db, {}, dir.file("demo2.log"));
    ServerProcess fresh(fresh_db, {}, dir.file("fresh.log"));
    CHECK(server_state_hash(fresh, fresh_admin) == server_state_hash(demo, demo_admin));
    std::size_t compared = 0, with_values = 0;
    for (const auto& [collection, ids] : sample)
        for (const auto& id : ids) {
            const std::string path = "/api/v1/" + collection + "/" + id + "/history";
            const std::string before = get_ok(demo, demo_admin, path);
            INFO(path);
            CHECK(get_ok(fresh, fresh_admin, path) == before);
            ++compared;
            if (before.find(R"("new":)") != std::string::npos) ++with_values;
        }
    CHECK(compared >= 20);
    CHECK(with_values >= 20);
    // The devices' pull sees every imported row: the same people, listed by the server.
    CHECK(get_ok(fresh, fresh_admin, "/api/v1/influencers?limit=500") ==
          get_ok(demo, demo_admin, "/api/v1/influencers?limit=500"));
}

TEST_CASE(
    "a merge, an erasure, a tombstone and removed set elements survive the archive, and the "
    "erased person's data is not in it",
    "[server][archive]") {
    Setup s;
    const std::string archive = s.dir.file("small.jsonl");
    std::string zoe, ana, entry;
    {
        ServerProcess server(s.db, {}, s.log);
        auto c = server.client();
        zoe = create(*c, s.admin_token, "influencers",
                     R"({"name":"Zoé Nouvelle-Venue","handles":["instagram:zoe:1200"]})");
        const std::string dup = create(*c, s.admin_token, "influencers",
                                       R"({"name":"Zoe Nouvelle Venue","topics":["beauty"]})");
        auto merged = send_json(*c, s.admin_token, "POST", "/api/v1/influencers/" + dup + "/merge",
                                R"({"into":")" + zoe + "\"}");
        REQUIRE(merged);
        REQUIRE(merged->status == 200);
        auto removed =
            send_json(*c, s.admin_token, "POST", "/api/v1/influencers/" + zoe + "/sets/handles",
                      R"({"remove":["instagram:zoe:1200"]})");
        REQUIRE(removed);
        INFO(removed->body);
        REQUIRE(removed->status == 200);
        entry = create(*c, s.admin_token, "interactions",
                       R"({"influencer":")" + zoe +
                           R"(","at":1795000000000,"touchpoint":"event","department":"events",)"
                           R"("summary":"Met at the launch"})");
        auto deleted = send_json(*c, s.admin_token, "DELETE", "/api/v1/interactions/" + entry);
        REQUIRE(deleted);
        REQUIRE(deleted->status == 200);
        ana = create(*c, s.admin_token, "influencers",
                     R"({"name":"Canaryname Ohnoes","email":"canary-ohnoes@example.com"})");
        auto erased = send_json(*c, s.admin_token, "POST", "/api/v1/influencers/" + ana + "/erase");
        REQUIRE(erased);
        REQUIRE(erased->status == 200);
        REQUIRE(server.stop() == 0);
    }
    cli_ok({"export", "--db", s.db, "--out", archive});
    const std::string text = read_file(archive);
    CHECK(text.find("Canaryname") == std::string::npos);
    CHECK(text.find("canary-ohnoes") == std::string::npos);
    CHECK(text.find(R"({"t":"erased","id":")" + ana) != std::string::npos);
    CHECK(text.find(R"({"t":"merge",)") != std::string::npos);
    CHECK(text.find(R"("removed":true)") != std::string::npos);
    CHECK(text.find(R"("deleted":")") != std::string::npos);
    CHECK(text.find("Met at the launch") == std::string::npos);  // R5: a tombstone keeps no text

    const std::string fresh_db = s.dir.file("fresh.db");
    auto imported = import_into(fresh_db, archive);
    INFO(imported.out << imported.err);
    REQUIRE(imported.exit_code == 0);
    const std::string fresh_admin = admin_token_for(fresh_db);
    ServerProcess before(s.db, {}, s.dir.file("before.log"));
    ServerProcess after(fresh_db, {}, s.dir.file("after.log"));
    CHECK(server_state_hash(after, fresh_admin) == server_state_hash(before, s.admin_token));
    for (const auto& path : std::vector<std::string>{"/api/v1/influencers/" + zoe + "/history",
                                                     "/api/v1/interactions/" + entry + "/history",
                                                     "/api/v1/influencers/" + zoe})
        CHECK(get_ok(after, fresh_admin, path) == get_ok(before, s.admin_token, path));
    // The erased id stays erased: its history is gone, with a 410 as on the first server.
    const std::string erased_history = "/api/v1/influencers/" + ana + "/history";
    auto gone = after.client()->Get(erased_history.c_str(), bearer(fresh_admin));
    REQUIRE(gone);
    CHECK(gone->status == 410);
    CHECK(api_error(gone->body) == "erased");

    // A second import of stamped lines into a record that is no longer empty is refused whole.
    after.stop();
    auto twice = run_cli({"import", "--db", fresh_db, "--in", archive});
    CHECK(twice.exit_code == 1);
    CHECK(twice.err.find("not empty") != std::string::npos);
}

TEST_CASE(
    "plain lines without clocks create entities through the hub, and a bad line is reported by "
    "its number and nothing of it is stored",
    "[server][archive]") {
    Setup s;
    const std::string in = s.dir.file("sheet.jsonl"), report = s.dir.file("sheet.report.jsonl");
    write_file(in,
               "{\"format\":\"liaison-archive\",\"version\":1}\n"
               "{\"t\":\"entity\",\"kind\":\"influencer\",\"values\":{\"name\":\"Inès Plain\","
               "\"email\":\"ines@example.com\",\"topics\":[\"beauty\"]}}\n"
               "{\"t\":\"entity\",\"kind\":\"influencer\",\"values\":{\"name\":\"Badmail "
               "Person\",\"email\":\"not an address\"}}\n"
               "{\"t\":\"entity\",\"kind\":\"starship\",\"values\":{\"name\":\"Nowhere\"}}\n"
               "this is not JSON\n"
               "\n"
               "{\"t\":\"entity\",\"kind\":\"brand\",\"values\":{\"name\":\"Plain Brand\"}}\n");
    auto r = run_cli({"import", "--db", s.db, "--in", in, "--report", report});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);  // some lines refused
    const auto rep = lines_of(read_file(report));
    REQUIRE(rep.size() == 5);
    CHECK(rep[0].find(R"({"line":2,"status":"created","kind":"influencer","id":")") == 0);
    CHECK(rep[1].find(R"({"line":3,"status":"rejected")") == 0);
    CHECK(rep[1].find("email") != std::string::npos);
    CHECK(rep[2].find(R"({"line":4,"status":"rejected")") == 0);
    CHECK(rep[2].find("starship") != std::string::npos);
    CHECK(rep[3].find(R"({"line":5,"status":"rejected")") == 0);
    CHECK(rep[4].find(R"({"line":7,"status":"created","kind":"brand")") == 0);

    ServerProcess server(s.db, {}, s.log);
    const std::string people = get_ok(server, s.admin_token, "/api/v1/influencers?limit=50");
    CHECK(people.find("Inès Plain") != std::string::npos);
    CHECK(people.find("Badmail") == std::string::npos);
    CHECK(get_ok(server, s.admin_token, "/api/v1/brands").find("Plain Brand") != std::string::npos);
    // Written through the hub: the history shows the create like a REST write's.
    std::smatch m;
    REQUIRE(std::regex_search(rep[0], m, std::regex(R"re("id":"([0-9A-Z]{26})")re")));
    CHECK(get_ok(server, s.admin_token, "/api/v1/influencers/" + m[1].str() + "/history")
              .find(R"("new":"Inès Plain")") != std::string::npos);
}

TEST_CASE("GET /api/v1/admin/export answers the archive to an administrator only",
          "[server][archive][auth]") {
    Setup s;
    ServerProcess server(s.db, {}, s.log);
    auto c = server.client();
    create(*c, s.admin_token, "influencers", R"({"name":"Exported Person"})");
    auto res = c->Get("/api/v1/admin/export", bearer(s.admin_token));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "application/x-ndjson");
    const auto lines = lines_of(res->body);
    REQUIRE(lines.size() >= 3);
    CHECK(lines.front().find(R"("format":"liaison-archive")") != std::string::npos);
    CHECK(lines.back().find(R"({"t":"end")") == 0);
    CHECK(res->body.find("Exported Person") != std::string::npos);

    auto central = c->Get("/api/v1/admin/export", bearer(s.central_token));
    REQUIRE(central);
    CHECK(central->status == 403);
    auto nobody = c->Get("/api/v1/admin/export");
    REQUIRE(nobody);
    CHECK(nobody->status == 401);
}

}  // namespace liaison::test::server_archive
