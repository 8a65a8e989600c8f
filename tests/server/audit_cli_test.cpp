// `liaison-server audit` (docs/OPERATIONS.md "Audit"): the administrative audit table of a real
// database file, newest last, as text or JSON.
#include <catch2/catch.hpp>
#include <regex>

#include "rest_fixture.hpp"

namespace liaison::test::server_audit_cli {

TEST_CASE("audit lists the administrative actions newest last, as text or JSON",
          "[server][accounts][audit]") {
    TempDir dir;
    const std::string db = dir.file("server.db");
    cli_ok({"init", "--db", db});
    const std::string user = cli_ok({"user", "add", "--db", db, "--name", "Léa Store", "--role",
                                     "store", "--stores", "01JD0000000000000000000001"});
    cli_ok({"user", "scope", "--db", db, "--user", user, "--stores", "01JD0000000000000000000002"});

    // Tab-separated: time (UTC), actor, action, subject.
    auto all = run_cli({"audit", "--db", db});
    INFO(all.out << all.err);
    REQUIRE(all.exit_code == 0);
    static const std::regex line(
        R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tcli\t([a-z.]+)\t([^\t\n]*)\n)");
    std::vector<std::string> actions;
    for (std::sregex_iterator it(all.out.begin(), all.out.end(), line), end; it != end; ++it)
        actions.push_back((*it)[1].str() + " " + (*it)[2].str());
    CHECK(actions ==
          std::vector<std::string>{
              "init ", "user.add user:" + user + " role:store",
              "user.scope user:" + user + " regions: stores:01JD0000000000000000000002 brands:"});

    // --limit keeps the newest rows, still newest last.
    auto last = run_cli({"audit", "--db", db, "--limit", "1"});
    REQUIRE(last.exit_code == 0);
    CHECK(last.out.find("\tuser.scope\t") != std::string::npos);
    CHECK(std::count(last.out.begin(), last.out.end(), '\n') == 1);

    auto json = run_cli({"audit", "--db", db, "--json", "--limit", "2"});
    REQUIRE(json.exit_code == 0);
    auto doc = parse_json(json.out);
    REQUIRE(doc.IsArray());
    REQUIRE(doc.Size() == 2);
    CHECK(str_member(doc[0], "action") == "user.add");
    CHECK(str_member(doc[1], "action") == "user.scope");
    CHECK(str_member(doc[1], "actor") == "cli");
    CHECK(str_member(doc[1], "subject").rfind("user:" + user + " ", 0) == 0);
    REQUIRE(doc[1].HasMember("at"));
    CHECK(doc[1]["at"].IsInt64());
    CHECK(doc[1]["at"].GetInt64() >= doc[0]["at"].GetInt64());

    CHECK(run_cli({"audit", "--db", db, "--limit", "0"}).exit_code == 2);
    CHECK(run_cli({"audit", "--db", dir.file("missing.db")}).exit_code == 1);
}

}  // namespace liaison::test::server_audit_cli
