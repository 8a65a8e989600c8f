// Retention runs against the real server (server/api/retention.hpp, docs/COMPLIANCE.md
// "Retention"): the dry run changes nothing, its proposer may not approve it, another member of
// the central team's approval erases the due people through the erase rule, a legal hold set
// after the dry run keeps its person, and only the central team may see or run any of it. The
// approval window is checked in process at a clock eight days on.
#include <catch2/catch.hpp>
#include <chrono>

#include "core/storage/retention_runs.hpp"
#include "rest_fixture.hpp"
#include "server/api/retention.hpp"
#include "server_store.hpp"

namespace liaison::test::server_retention_http {
namespace {

// 2022-05-02, more than 24 months before any day these tests run.
constexpr const char* kLongAgo = "1651500000000";

// Now, in milliseconds since the epoch, as JSON.
std::string now_ms() {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
}

struct World {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    std::unique_ptr<httplib::Client> client = server.client();
    Company co{setup, *client};
    std::string tok = setup.central_token;
    std::string other_user =
        cli_ok({"user", "add", "--db", setup.db, "--name", "Octave Autre", "--role", "central"});
    std::string other = cli_ok({"token", "issue", "--db", setup.db, "--user", other_user});

    // A prospect last contacted at `at` (ms since the epoch, as JSON).
    std::string prospect(const std::string& name, const std::string& at) {
        const std::string id =
            create(*client, tok, "influencers",
                   R"({"name":")" + name + R"(","tier":"prospect","store":")" + co.store_a + "\"}");
        create(*client, tok, "interactions",
               R"({"influencer":")" + id + R"(","at":)" + at +
                   R"(,"touchpoint":"email","department":"pr","store":")" + co.store_a + "\"}");
        return id;
    }
    httplib::Result post(const std::string& token, const std::string& path) {
        auto res = send_json(*client, token, "POST", path, "");
        REQUIRE(res);
        return res;
    }
    httplib::Result get(const std::string& token, const std::string& path) {
        auto res = client->Get(path.c_str(), bearer(token));
        REQUIRE(res);
        return res;
    }
};

// The item of `person` in the report's list `list`, or null.
const rapidjson::Value* item(const rapidjson::Document& report, const char* list,
                             const std::string& person) {
    for (const auto& i : report[list].GetArray())
        if (str_member(i, "person") == person) return &i;
    return nullptr;
}

std::string run_path(const rapidjson::Document& report) {
    return "/api/v1/retention/runs/" + std::to_string(report["id"].GetInt64());
}

}  // namespace

TEST_CASE("a dry run changes nothing and another central user's approval erases who is due",
          "[server][retention]") {
    World w;
    const std::string paula = w.prospect("Paula Ancienne", kLongAgo);
    const std::string hugo = w.prospect("Hugo Gardé", kLongAgo);
    const std::string rita = w.prospect("Rita Récente", now_ms());
    auto policy = w.get(w.tok, "/api/v1/retention/policy");
    REQUIRE(policy->status == 200);
    auto p = parse_json(policy->body);
    CHECK(str_member(p["retention"][0], "id") == "prospect_no_contact");
    CHECK(p["retention"][0]["months_without_contact"].GetInt() == 24);
    CHECK(p["approval_days"].GetInt() == 7);

    // The dry run: a report of who is due, and the record as it was.
    const std::string before = w.setup.server_hash(w.server);
    auto dry = w.post(w.tok, "/api/v1/retention/runs");
    REQUIRE(dry->status == 201);
    auto report = parse_json(dry->body);
    CHECK(str_member(report, "state") == "proposed");
    CHECK(report["progress"]["total"].GetInt() == 2);
    REQUIRE(item(report, "due", paula));
    CHECK(str_member(*item(report, "due", paula), "name") == "Paula Ancienne");
    CHECK(str_member(*item(report, "due", paula), "rule") == "prospect_no_contact");
    CHECK(str_member(*item(report, "due", paula), "last_contact") == "2022-05-02");
    CHECK(str_member(*item(report, "due", paula), "outcome") == "pending");
    CHECK(item(report, "due", hugo));
    CHECK_FALSE(item(report, "due", rita));
    CHECK_FALSE(item(report, "due", w.co.ana));  // not a prospect
    CHECK(w.setup.server_hash(w.server) == before);
    CHECK(w.get(w.tok, "/api/v1/influencers/" + paula)->status == 200);
    const std::string run = run_path(report);

    // Four eyes: the proposer may not approve.
    auto same = w.post(w.tok, run + "/approve");
    CHECK(same->status == 409);
    CHECK(api_error(same->body) == "conflict");
    CHECK(same->body.find("another member of the central team must approve") != std::string::npos);
    CHECK(w.setup.server_hash(w.server) == before);

    // A legal hold set after the dry run wins at the approval.
    REQUIRE(send_json(*w.client, w.tok, "PATCH", "/api/v1/influencers/" + hugo,
                      R"({"legal_hold":true})")
                ->status == 200);
    // Her bytes are in the server's files (database or write-ahead log) until the run erases her.
    CHECK_FALSE(find_in_db_files(w.setup.db, {"Paula Ancienne"}).empty());
    auto approved = w.post(w.other, run + "/approve");
    REQUIRE(approved->status == 200);
    // R7 on disk: the run's erasures commit without their scrub, and the run scrubs once for all
    // of them before it answers (server/api/retention.cpp).
    CHECK(find_in_db_files(w.setup.db, canary_forms({"Paula Ancienne"})) == "");
    auto done = parse_json(approved->body);
    CHECK(str_member(done, "state") == "done");
    CHECK(done["progress"]["erased"].GetInt() == 1);
    CHECK(done["progress"]["skipped"].GetInt() == 1);
    CHECK(done["progress"]["pending"].GetInt() == 0);
    CHECK(str_member(done["decided_by"], "name") == "Octave Autre");
    CHECK(str_member(*item(done, "due", paula), "outcome") == "erased");
    CHECK((*item(done, "due", paula))["name"].IsNull());  // erased: no name left to show
    CHECK(str_member(*item(done, "due", hugo), "outcome") == "skipped");
    CHECK(str_member(*item(done, "due", hugo), "outcome_reason") == "legal_hold");
    CHECK(w.get(w.tok, "/api/v1/influencers/" + paula)->status == 404);
    CHECK(w.get(w.tok, "/api/v1/influencers/" + hugo)->status == 200);
    CHECK(w.get(w.tok, "/api/v1/influencers/" + rita)->status == 200);

    // Done is done; the list shows it; the audit names ids, never people.
    CHECK(w.post(w.other, run + "/approve")->status == 409);
    CHECK(w.post(w.other, run + "/cancel")->status == 409);
    auto list = parse_json(w.get(w.tok, "/api/v1/retention/runs")->body);
    REQUIRE(list["runs"].Size() == 1);
    CHECK(str_member(list["runs"][0], "state") == "done");
    auto audit = run_cli({"audit", "--db", w.setup.db});
    REQUIRE(audit.exit_code == 0);
    CHECK(audit.out.find("retention.propose") != std::string::npos);
    CHECK(audit.out.find("retention.approve") != std::string::npos);
    CHECK(audit.out.find("retention.erase\t" + paula) != std::string::npos);
    CHECK(audit.out.find("Paula") == std::string::npos);
}

TEST_CASE("a cancelled run cannot be approved and only the central team may run retention",
          "[server][retention]") {
    World w;
    w.prospect("Paula Ancienne", kLongAgo);
    for (const char* path : {"/api/v1/retention/policy", "/api/v1/retention/runs"})
        CHECK(w.get(w.co.store_a_token, path)->status == 403);
    CHECK(w.post(w.co.store_a_token, "/api/v1/retention/runs")->status == 403);
    auto report = parse_json(w.post(w.tok, "/api/v1/retention/runs")->body);
    const std::string run = run_path(report);
    CHECK(w.post(w.co.store_a_token, run + "/approve")->status == 403);
    auto cancelled = w.post(w.tok, run + "/cancel");
    REQUIRE(cancelled->status == 200);
    CHECK(str_member(parse_json(cancelled->body), "state") == "cancelled");
    auto late = w.post(w.other, run + "/approve");
    CHECK(late->status == 409);
    CHECK(late->body.find("only a proposed run may be approved") != std::string::npos);
    // Bad addresses and ids.
    CHECK(w.get(w.tok, "/api/v1/retention/runs/abc")->status == 400);
    CHECK(w.get(w.tok, "/api/v1/retention/runs/0")->status == 400);
    CHECK(w.get(w.tok, "/api/v1/retention/runs/999")->status == 404);
    CHECK(w.post(w.other, "/api/v1/retention/runs/999/approve")->status == 404);
    CHECK(w.get(w.tok, "/api/v1/retention/other")->status == 404);
    CHECK(w.get(w.tok, "/api/v1/retention/runs?limit=0")->status == 400);
    CHECK(w.get(w.tok, run + "/approve")->status == 405);
    CHECK(send_json(*w.client, w.tok, "DELETE", run)->status == 405);
}

TEST_CASE("a dry run older than the approval window must be proposed again",
          "[server][retention]") {
    TempDir dir;
    auto store = server_store(dir.file("s.db"));
    sync::ManualTimeSource time(1'800'000'000'000ULL);
    server::SyncBackend backend(*store, time);
    server::Principal proposer, approver;
    for (auto* p : {&proposer, &approver}) {
        p->role = sync::Role::kCentral;
        p->scope = sync::Scope::everything();
    }
    proposer.user = 1;
    approver.user = 2;
    const std::int64_t now = 1'800'000'000'000;
    server::RestRequest propose{"POST", "/api/v1/retention/runs", {}, "", ""};
    auto dry = server::handle_retention(backend, proposer, propose, now);
    REQUIRE(dry.status == 201);
    const std::string path = "/api/v1/retention/runs/" +
                             std::to_string(parse_json(dry.body)["id"].GetInt64()) + "/approve";
    server::RestRequest approve{"POST", path, {}, "", ""};
    auto late =
        server::handle_retention(backend, approver, approve, now + server::kApprovalWindowMs + 1);
    CHECK(late.status == 409);
    CHECK(late.body.find("make a new dry run") != std::string::npos);
    // On the window's last millisecond it may still be approved.
    auto in_time =
        server::handle_retention(backend, approver, approve, now + server::kApprovalWindowMs);
    CHECK(in_time.status == 200);
    CHECK(str_member(parse_json(in_time.body), "state") == "done");
}

}  // namespace liaison::test::server_retention_http
