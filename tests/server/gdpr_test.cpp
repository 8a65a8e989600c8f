// GDPR through the REST API (DESIGN §4, erasure): the export holds everything about one person
// and nothing about another; the erasure reaches every replica; both are audited without
// personal data.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "core/query/queries.hpp"
#include "rest_fixture.hpp"

namespace liaison::test {
namespace {

std::string interaction_about(httplib::Client& c, const std::string& token, const std::string& who,
                              const std::string& summary) {
    return create(c, token, "interactions",
                  R"({"influencer":")" + who + R"(","at":1795000000000,"touchpoint":"event",)"
                  R"("department":"events","summary":")" + summary + "\"}");
}

// (actor, action, subject) rows of the server's audit table, read after the server stopped.
std::vector<std::string> audit_rows(const std::string& db) {
    auto store = core::Store::open(db, core::StoreOptions{});
    REQUIRE(store.is_ok());
    auto st = store.value()->db().prepare("SELECT actor, action, subject FROM server_audit ORDER BY n");
    REQUIRE(st.is_ok());
    std::vector<std::string> out;
    while (st->step() == core::Statement::Step::kRow)
        out.push_back(st->column_text(0) + " " + st->column_text(1) + " " + st->column_text(2));
    return out;
}

// Sends `head` (request line and headers, no body) as it is on a fresh connection and returns
// the status line of the answer ("" when none came): what `curl -X POST` without -d sends, a
// request with neither Content-Length nor Transfer-Encoding, which httplib's client never makes.
std::string raw_status_line(int port, const std::string& head) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(std::uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::send(fd, head.data(), head.size(), 0) == ssize_t(head.size()));
    std::string got;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) got.append(buf, std::size_t(n));
    ::close(fd);
    INFO(got.substr(0, 400));
    return got.substr(0, got.find("\r\n"));
}

}  // namespace

TEST_CASE("an erase needs no body: a POST without Content-Length or body erases the person",
          "[server][gdpr]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& tok = setup.central_token;
    const std::string ana = create(*client, tok, "influencers", R"({"name":"Ana Moreau"})");
    const std::string line = raw_status_line(
        server.port(), "POST /api/v1/influencers/" + ana + "/erase HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Authorization: Bearer " + tok + "\r\nConnection: close\r\n\r\n");
    CHECK(line == "HTTP/1.1 200 OK");
    auto gone = client->Get(("/api/v1/influencers/" + ana).c_str(), bearer(tok));
    REQUIRE(gone);
    CHECK(gone->status == 404);
    // An empty JSON object is as good as no body.
    const std::string bea = create(*client, tok, "influencers", R"({"name":"Béa Lambert"})");
    auto with_empty = send_json(*client, tok, "POST", "/api/v1/influencers/" + bea + "/erase", "{}");
    REQUIRE(with_empty);
    CHECK(with_empty->status == 200);
}

TEST_CASE("a person's export holds their record, duplicates and log, and nobody else's",
          "[server][gdpr]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& tok = setup.central_token;
    const std::string ana = create(*client, tok, "influencers",
                                   R"({"name":"Ana Moreau","email":"ana@example.com","tags":["vip"]})");
    const std::string dup = create(*client, tok, "influencers", R"x({"name":"Ana Moreau (old)"})x");
    const std::string bea = create(*client, tok, "influencers", R"({"name":"Béa Lambert"})");
    const std::string ana_note = interaction_about(*client, tok, ana, "gala dinner");
    const std::string dup_note = interaction_about(*client, tok, dup, "press day");
    const std::string bea_note = interaction_about(*client, tok, bea, "bea private matter");
    const std::string deal = create(*client, tok, "collaborations",
                                    R"({"influencer":")" + ana + R"(","type":"gifted"})");
    auto merged = send_json(*client, tok, "POST", "/api/v1/influencers/" + dup + "/merge",
                            R"({"into":")" + ana + "\"}");
    REQUIRE(merged);
    REQUIRE(merged->status == 200);
    const std::string root = str_member(parse_json(merged->body), "id");

    auto res = client->Get(("/api/v1/influencers/" + ana + "/export").c_str(), bearer(tok));
    REQUIRE(res);
    INFO(res->body.substr(0, 500));
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("Content-Disposition").rfind("attachment; filename=", 0) == 0);
    auto doc = parse_json(res->body);
    CHECK(str_member(doc, "subject") == root);
    CHECK(str_member(doc["influencer"], "email") == "ana@example.com");
    CHECK(doc["merged_ids"].Size() == 1);
    const std::string& body = res->body;
    for (const auto& mine : {ana_note, dup_note, deal, std::string("gala dinner"), std::string("press day")})
        CHECK(body.find(mine) != std::string::npos);
    for (const auto& theirs : {bea, bea_note, std::string("Béa"), std::string("bea private matter")})
        CHECK(body.find(theirs) == std::string::npos);
    REQUIRE(doc["records"].HasMember("interaction"));
    CHECK(doc["records"]["interaction"].Size() == 2);
    CHECK(doc["records"]["collaboration"].Size() == 1);
    // The audit trail: her create, the tag, the merge, and the log entries' creates.
    REQUIRE(doc["audit"].IsArray());
    std::set<std::string> types;
    for (const auto& a : doc["audit"].GetArray()) types.insert(str_member(a, "type"));
    CHECK(types.count("create"));
    CHECK(types.count("add"));
    CHECK(types.count("merge"));

    auto store_user = cli_ok({"user", "add", "--db", setup.db, "--name", "Regina", "--role",
                              "regional", "--regions", "01M83ZSHHPCRN0ZF0EG9Z1TT7F"});
    const std::string regional = cli_ok({"token", "issue", "--db", setup.db, "--user", store_user});
    auto refused = client->Get(("/api/v1/influencers/" + ana + "/export").c_str(), bearer(regional));
    REQUIRE(refused);
    CHECK(refused->status == 403);

    server.stop();
    const auto rows = audit_rows(setup.db);
    const std::string expected = " gdpr.export " + root;
    CHECK(std::count_if(rows.begin(), rows.end(), [&](const std::string& r) {
              return r.size() > expected.size() &&
                     r.compare(r.size() - expected.size(), expected.size(), expected) == 0;
          }) == 1);
    for (const auto& r : rows) CHECK(r.find("Ana") == std::string::npos);
}

TEST_CASE("an erased person is gone from the server, the export and every replica after sync",
          "[server][gdpr]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& tok = setup.central_token;
    const std::string ana = create(*client, tok, "influencers", R"({"name":"Ana Moreau"})");
    const std::string bea = create(*client, tok, "influencers", R"({"name":"Béa Lambert"})");
    const std::string note = interaction_about(*client, tok, ana, "gala dinner");
    sync::SystemTimeSource time;
    auto node = open_node(setup.dir.file("tablet.db"), time, 5);
    sync_all(*client, tok, *node->replica, false);
    const auto ana_id = *core::Id128::from_text(ana);
    REQUIRE(core::get_entity(node->replica->store(), core::Kind::kInfluencer, ana_id).value());

    auto erased = send_json(*client, tok, "POST", "/api/v1/influencers/" + ana + "/erase");
    REQUIRE(erased);
    INFO(erased->body);
    REQUIRE(erased->status == 200);
    for (const std::string& path : {"/api/v1/influencers/" + ana + "/export",
                                   "/api/v1/influencers/" + ana, "/api/v1/interactions/" + note}) {
        auto gone = client->Get(path.c_str(), bearer(tok));
        REQUIRE(gone);
        CHECK(gone->status == 404);
    }
    CHECK(list_ids(*client, tok, "/api/v1/influencers?q=moreau").empty());
    auto again = send_json(*client, tok, "PATCH", "/api/v1/influencers/" + ana, R"({"tier":"top"})");
    REQUIRE(again);
    CHECK(again->status == 404);

    sync_all(*client, tok, *node->replica, true);
    auto& device = node->replica->store();
    CHECK_FALSE(core::get_entity(device, core::Kind::kInfluencer, ana_id).value());
    CHECK(device.is_erased(ana_id));
    CHECK_FALSE(core::get_entity(device, core::Kind::kInteraction, *core::Id128::from_text(note)).value());
    CHECK(core::get_entity(device, core::Kind::kInfluencer, *core::Id128::from_text(bea)).value());
    CHECK(setup.server_hash(server) == must(node->replica->state_hash()));

    server.stop();
    const auto rows = audit_rows(setup.db);
    CHECK(std::count(rows.begin(), rows.end(), "user:2 gdpr.erase " + ana) == 1);
}

}  // namespace liaison::test
