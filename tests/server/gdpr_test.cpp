// GDPR through the REST API (docs/DESIGN.md §4, erasure): the export holds everything about one
// person and nothing about another; the erasure reaches every replica; both are audited without
// personal data.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "core/query/queries.hpp"
#include "core/storage/sqlite.hpp"
#include "rest_fixture.hpp"

namespace liaison::test::server_gdpr {
namespace {

std::string interaction_about(httplib::Client& c, const std::string& token, const std::string& who,
                              const std::string& summary) {
    return create(c, token, "interactions",
                  R"({"influencer":")" + who +
                      R"(","at":1795000000000,"touchpoint":"event",)"
                      R"("department":"events","summary":")" +
                      summary + "\"}");
}

// (actor, action, subject) rows of the server's audit table, read after the server stopped.
std::vector<std::string> audit_rows(const std::string& db) {
    auto store = core::Store::open(db, core::StoreOptions{});
    REQUIRE(store.is_ok());
    auto st =
        store.value()->db().prepare("SELECT actor, action, subject FROM server_audit ORDER BY n");
    REQUIRE(st.is_ok());
    std::vector<std::string> out;
    while (st->step() == core::Statement::Step::kRow)
        out.push_back(st->column_text(0) + " " + st->column_text(1) + " " + st->column_text(2));
    return out;
}

// A person whose values are unique enough to be searched for in the server's raw files, with a
// contact logged about them; returns the person's id. `tag` (letters) is in every word, so two
// such people share no word.
std::vector<std::string> canary_values(const std::string& tag) {
    return {
        "Zorbaxe" + tag + " Quill" + tag + "feather", tag + "zorbaxe@plum" + tag + ".quorbit" + tag,
        "Kestrelmoor" + tag + " glimmer" + tag + "dust", "Brindlewick" + tag + " parsnip" + tag};
}
std::string canary_person(httplib::Client& c, const std::string& token, const std::string& tag) {
    const auto v = canary_values(tag);
    const std::string id =
        create(c, token, "influencers",
               R"({"name":")" + v[0] + R"(","email":")" + v[1] + R"(","notes":")" + v[2] + "\"}");
    interaction_about(c, token, id, v[3]);
    return id;
}
std::vector<std::string> canary_bytes(const std::string& tag) {
    return canary_forms(canary_values(tag));
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
    const std::string line =
        raw_status_line(server.port(), "POST /api/v1/influencers/" + ana +
                                           "/erase HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer " +
                                           tok + "\r\nConnection: close\r\n\r\n");
    CHECK(line == "HTTP/1.1 200 OK");
    auto gone = client->Get(("/api/v1/influencers/" + ana).c_str(), bearer(tok));
    REQUIRE(gone);
    CHECK(gone->status == 404);
    // An empty JSON object is as good as no body.
    const std::string bea = create(*client, tok, "influencers", R"({"name":"Béa Lambert"})");
    auto with_empty =
        send_json(*client, tok, "POST", "/api/v1/influencers/" + bea + "/erase", "{}");
    REQUIRE(with_empty);
    CHECK(with_empty->status == 200);
}

TEST_CASE("a person's export holds their record, duplicates and log, and nobody else's",
          "[server][gdpr]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& tok = setup.central_token;
    const std::string ana =
        create(*client, tok, "influencers",
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
    for (const auto& mine :
         {ana_note, dup_note, deal, std::string("gala dinner"), std::string("press day")})
        CHECK(body.find(mine) != std::string::npos);
    for (const auto& theirs :
         {bea, bea_note, std::string("Béa"), std::string("bea private matter")})
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
    auto refused =
        client->Get(("/api/v1/influencers/" + ana + "/export").c_str(), bearer(regional));
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
    auto again =
        send_json(*client, tok, "PATCH", "/api/v1/influencers/" + ana, R"({"tier":"top"})");
    REQUIRE(again);
    CHECK(again->status == 404);

    sync_all(*client, tok, *node->replica, true);
    auto& device = node->replica->store();
    CHECK_FALSE(core::get_entity(device, core::Kind::kInfluencer, ana_id).value());
    CHECK(device.is_erased(ana_id));
    CHECK_FALSE(
        core::get_entity(device, core::Kind::kInteraction, *core::Id128::from_text(note)).value());
    CHECK(core::get_entity(device, core::Kind::kInfluencer, *core::Id128::from_text(bea)).value());
    CHECK(setup.server_hash(server) == must(node->replica->state_hash()));

    server.stop();
    const auto rows = audit_rows(setup.db);
    CHECK(std::count(rows.begin(), rows.end(), "user:2 gdpr.erase " + ana) == 1);
}

// R7 on disk: the acknowledgement of an erasure (REST 200, or the push's result) comes once no
// byte of the person is left in the server's files — the write-ahead log included, which still
// held the pages that first stored them.
TEST_CASE(
    "an acknowledged erasure leaves no byte of the person in the server's or a device's files",
    "[server][gdpr][erase]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& tok = setup.central_token;
    const std::string by_rest = canary_person(*client, tok, "rest");
    const std::string by_sync = canary_person(*client, tok, "sync");
    create(*client, tok, "influencers", R"({"name":"Ulvenhart Mossgrave"})");  // kept
    sync::SystemTimeSource time;
    auto node = open_node(setup.dir.file("tablet.db"), time, 5);
    sync_all(*client, tok, *node->replica, false);
    const std::string device_db = setup.dir.file("tablet.db");
    REQUIRE(find_in_db_files(setup.db, canary_bytes("rest")) != "");  // the scan sees them
    REQUIRE(find_in_db_files(device_db, canary_bytes("sync")) != "");

    auto erased = send_json(*client, tok, "POST", "/api/v1/influencers/" + by_rest + "/erase");
    REQUIRE(erased);
    REQUIRE(erased->status == 200);
    CHECK(find_in_db_files(setup.db, canary_bytes("rest")) == "");

    // Through a device's push: the erase is accepted, then scanned for on both sides.
    REQUIRE(
        node->replica->erase(core::Kind::kInfluencer, *core::Id128::from_text(by_sync)).is_ok());
    CHECK(find_in_db_files(device_db, canary_bytes("sync")) == "");
    sync_all(*client, tok, *node->replica, false);
    CHECK(find_in_db_files(setup.db, canary_bytes("sync")) == "");
    CHECK(find_in_db_files(device_db, canary_bytes("rest")) == "");
    CHECK(find_in_db_files(setup.db, {"Ulvenhart Mossgrave"}) != "");
    CHECK(find_in_db_files(device_db, {"Ulvenhart Mossgrave"}) != "");
}

// A reader (a backup, an operator's sqlite3 shell) can keep the write-ahead log from being
// emptied; the erasure is then acknowledged only once the reader has let go.
TEST_CASE("an erasure waits for a reader holding the write-ahead log before it is acknowledged",
          "[server][gdpr][erase]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& tok = setup.central_token;
    const std::string person = canary_person(*client, tok, "held");

    core::OpenOptions o;
    o.create = false;
    o.wal = true;
    auto reader = core::Database::open(setup.db, o);
    REQUIRE(reader.is_ok());
    REQUIRE(reader.value()->exec("BEGIN").is_ok());
    REQUIRE(reader.value()->query_int("SELECT count(*) FROM k_influencer").value_or(0) == 1);

    const auto started = std::chrono::steady_clock::now();
    int status = 0;
    std::chrono::steady_clock::duration took{};
    std::thread erase([&] {
        auto c = server.client();
        auto r = c->Post(("/api/v1/influencers/" + person + "/erase").c_str(), bearer(tok), "",
                         "application/json");
        status = r ? r->status : -1;
        took = std::chrono::steady_clock::now() - started;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    REQUIRE(reader.value()->exec("COMMIT").is_ok());
    erase.join();
    CHECK(status == 200);
    CHECK(took >= std::chrono::milliseconds(1400));
    CHECK(find_in_db_files(setup.db, canary_bytes("held")) == "");
}

// Restoring a backup taken before an erasure must not bring the person back (docs/OPERATIONS.md):
// the live database's erased ids are carried into the restored file.
TEST_CASE("a restore from a backup taken before an erasure keeps the person erased",
          "[server][gdpr][restore]") {
    Setup setup;
    std::string person;
    {
        ServerProcess server(setup.db, {}, setup.log);
        auto client = server.client();
        person = canary_person(*client, setup.central_token, "back");
        create(*client, setup.central_token, "influencers", R"({"name":"Ulvenhart Mossgrave"})");
    }
    const std::string backup = setup.dir.file("before-erase.db");
    cli_ok({"backup", "--db", setup.db, "--to", backup});
    REQUIRE(find_in_db_files(backup, canary_bytes("back")) != "");
    std::string later;  // registered after the backup: the restored file never held her row
    {
        ServerProcess server(setup.db, {}, setup.log);
        auto client = server.client();
        later = canary_person(*client, setup.central_token, "after");
        for (const auto& id : {person, later}) {
            auto erased = send_json(*client, setup.central_token, "POST",
                                    "/api/v1/influencers/" + id + "/erase");
            REQUIRE(erased);
            REQUIRE(erased->status == 200);
        }
    }
    auto r = run_cli({"restore", "--db", setup.db, "--from", backup});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);

    CHECK(find_in_db_files(setup.db, canary_bytes("back")) == "");
    CHECK(find_in_db_files(setup.db, {"Ulvenhart Mossgrave"}) != "");
    auto store = core::Store::open(setup.db, core::StoreOptions{true, false});
    REQUIRE(store.is_ok());
    const auto id = *core::Id128::from_text(person);
    CHECK(store.value()->is_erased(id));  // the marker devices pull
    // ... with the kind it was erased as, so R11 still refuses it named as another kind; also
    // for someone the backup never held, whose kind only the live file knew.
    CHECK(store.value()->erased_kind(id).value() == core::Kind::kInfluencer);
    const auto later_id = *core::Id128::from_text(later);
    CHECK(store.value()->is_erased(later_id));
    CHECK(store.value()->erased_kind(later_id).value() == core::Kind::kInfluencer);
    CHECK_FALSE(core::get_entity(*store.value(), core::Kind::kInfluencer, id).value());
    CHECK(core::search_influencers(*store.value(), "zorbaxeback").value().empty());
}

}  // namespace liaison::test::server_gdpr
