// `liaison-server migrate` (issue 20, docs/SCALING.md "Moving between backends"): the demo
// database moved from SQLite to PostgreSQL and back keeps its state hash and its rows at every
// step, its tokens still sign in, its identities continue, its evidence bytes come along, each
// copy has a new database generation and a device that synced before converges after; a
// destination that is not empty is refused and left as it was, a copy that fails half-way
// leaves nothing behind, and bad arguments are answered clearly. Real SQLite files, real
// PostgreSQL databases (support/pg_cluster.hpp) and real server processes.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <regex>

#include "core/query/queries.hpp"
#include "core/storage/store.hpp"
#include "rest_fixture.hpp"
#include "support/pg_cluster.hpp"
#include "sync/generations.hpp"

namespace liaison::test::server_migrate {
namespace {

std::unique_ptr<core::Store> open_db(const std::string& db) {
    auto store = core::Store::open(db, core::StoreOptions{});
    REQUIRE(store.is_ok());
    return std::move(store).value();
}

// Every table's rows, read with the store's own connection; SQLite's full-text tables and
// PostgreSQL's version table, which migrate rebuilds or lays out rather than copies, left out.
std::map<std::string, std::int64_t> table_rows(const std::string& db) {
    auto store = open_db(db);
    auto& conn = store->db();
    const bool pg = conn.backend() == core::Backend::kPostgres;
    auto st = conn.prepare(pg ? "SELECT table_name FROM information_schema.tables WHERE "
                                "table_schema=current_schema()"
                              : "SELECT name FROM sqlite_master WHERE type='table'");
    REQUIRE(st.is_ok());
    std::vector<std::string> names;
    while (st.value().step() == core::Statement::Step::kRow)
        names.push_back(st.value().column_text(0));
    std::map<std::string, std::int64_t> rows;
    for (const auto& name : names) {
        if (name.rfind("fts_", 0) == 0 || name.rfind("sqlite_", 0) == 0 ||
            name == "liaison_version")
            continue;
        auto n = conn.query_int("SELECT count(*) FROM " + name);
        REQUIRE(n.has_value());
        rows[name] = *n;
    }
    return rows;
}

std::string hash_of(const std::string& db) { return must(open_db(db)->state_hash()); }
core::Id128 generation_of(const std::string& db) { return sync::database_generation(*open_db(db)); }

// The two state hashes a migration's summary prints: source, destination.
std::pair<std::string, std::string> summary_hashes(const std::string& out) {
    std::smatch s, d;
    REQUIRE(std::regex_search(out, s, std::regex("state hash ([0-9a-f]{64}) \\(source\\)")));
    REQUIRE(std::regex_search(out, d, std::regex("state hash ([0-9a-f]{64}) \\(destination\\)")));
    return {s[1].str(), d[1].str()};
}

std::string migrate_ok(const std::string& from, const std::string& to) {
    auto r = run_cli({"migrate", "--from", from, "--to", to});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

// The rows of `after` are those of `before`, the migration's own audit row apart.
void check_same_rows(const std::map<std::string, std::int64_t>& before,
                     const std::map<std::string, std::int64_t>& after) {
    for (const auto& [table, rows] : before) {
        INFO(table);
        REQUIRE(after.count(table));
        CHECK(after.at(table) == rows + (table == "server_audit" ? 1 : 0));
    }
    CHECK(after.size() == before.size());
}

// The device pulls and pushes through `server` until both hold the same record.
void converge(const ServerProcess& server, const std::map<std::string, std::string>& tokens,
              sync::Replica& device) {
    sync_all(*server.client(), tokens.at("central"), device, false);
    CHECK(must(device.state_hash()) == server_state_hash(server, tokens.at("admin")));
}

}  // namespace

TEST_CASE("the demo moved to PostgreSQL and back keeps its state hash and rows and its devices",
          "[server][pg][migrate]") {
    TempDir dir;
    const std::string first = dir.file("demo.db");
    sync::SystemTimeSource time;
    auto device = open_node(dir.file("device.db"), time, 51);
    std::map<std::string, std::string> tokens;
    std::string person, erased, sha;
    core::Id128 ines;
    const std::string evidence = std::string("%PDF-1.4 contract\0\x01\xff bytes", 26);
    {
        ServerProcess server(first, {"--demo"}, dir.file("sqlite.log"));
        tokens = demo_tokens(server);
        REQUIRE(tokens.count("admin"));
        REQUIRE(tokens.count("central"));
        add_person(*device->replica, "Zoë Avant");
        converge(server, tokens, *device->replica);
        auto client = server.client();
        auto& c = *client;
        auto list = c.Get("/api/v1/influencers?limit=4", bearer(tokens["admin"]));
        REQUIRE(list);
        REQUIRE(list->status == 200);
        auto items = parse_json(list->body);
        REQUIRE(items["items"].GetArray().Size() == 4);
        person = str_member(items["items"].GetArray()[0], "id");
        // A merge (alias edges), an erasure (erased ids) and a retention run: tables the demo
        // leaves empty.
        auto merged =
            send_json(c, tokens["admin"], "POST",
                      "/api/v1/influencers/" + str_member(items["items"][1], "id") + "/merge",
                      R"({"into":")" + str_member(items["items"][2], "id") + "\"}");
        REQUIRE(merged);
        CHECK(merged->status == 200);
        erased = str_member(items["items"][3], "id");
        auto erase =
            send_json(c, tokens["admin"], "POST", "/api/v1/influencers/" + erased + "/erase");
        REQUIRE(erase);
        CHECK(erase->status == 200);
        auto run = send_json(c, tokens["admin"], "POST", "/api/v1/retention/runs");
        REQUIRE(run);
        CHECK(run->status == 201);
        auto up = server.client()->Post(
            ("/api/v1/evidence?entity=" + person + "&purpose=other&name=contract.pdf").c_str(),
            bearer(tokens["admin"]), evidence, "application/octet-stream");
        REQUIRE(up);
        INFO(up->body);
        REQUIRE(up->status == 201);
        sha = str_member(parse_json(up->body), "sha");
        CHECK(server.stop() == 0);
    }
    const auto rows_first = table_rows(first);
    CHECK(rows_first.at("oplog") > 1000);
    CHECK(rows_first.at("server_history") > 0);
    CHECK(rows_first.at("server_evidence_blobs") == 1);
    CHECK(rows_first.at("alias") == 1);
    CHECK(rows_first.at("erased") >= 1);  // she and her contacts
    CHECK(rows_first.at("server_retention_runs") == 1);
    const std::string hash_first = hash_of(first);
    const core::Id128 generation_first = generation_of(first);

    // SQLite -> PostgreSQL.
    const std::string pg = PgCluster::shared().new_database();
    auto there = run_cli({"migrate", "--from", first, "--to", pg});
    INFO(there.err);
    REQUIRE(there.exit_code == 0);
    CHECK(there.err.find("migrate: oplog: ") != std::string::npos);  // progress, per table
    CHECK(summary_hashes(there.out) == std::pair(hash_first, hash_first));
    CHECK(hash_of(pg) == hash_first);
    check_same_rows(rows_first, table_rows(pg));
    const core::Id128 generation_pg = generation_of(pg);
    CHECK_FALSE(generation_pg.is_nil());
    CHECK(generation_pg != generation_first);

    {
        ServerProcess server(pg, {}, dir.file("pg.log"));
        CHECK(server_state_hash(server, tokens["admin"]) == hash_first);
        // A token issued before the migration signs in.
        auto me = server.client()->Get("/api/v1/me", bearer(tokens["central"]));
        REQUIRE(me);
        CHECK(me->status == 200);
        // The evidence file's bytes came along.
        auto file = server.client()->Get(("/api/v1/evidence/" + sha + "?entity=" + person).c_str(),
                                         bearer(tokens["admin"]));
        REQUIRE(file);
        CHECK(file->status == 200);
        CHECK(file->body == evidence);
        // The erased person stays erased.
        auto gone = server.client()->Get(("/api/v1/influencers/" + erased).c_str(),
                                         bearer(tokens["admin"]));
        REQUIRE(gone);
        CHECK(gone->status != 200);
        // The device that synced before: a new generation, it re-pushes and re-pulls, and
        // its next change reaches the server.
        converge(server, tokens, *device->replica);
        ines = add_person(*device->replica, "Inès Après");
        converge(server, tokens, *device->replica);
        CHECK(server.stop() == 0);
    }
    // Identities continue after the copied keys: a new user takes the next id, the audit goes on.
    const std::string users = cli_ok({"user", "list", "--db", pg});
    const std::string added =
        cli_ok({"user", "add", "--db", pg, "--name", "Nora Nouvelle", "--role", "central"});
    CHECK(users.find("\n" + added + "\t") == std::string::npos);
    CHECK(users.rfind(added + "\t", 0) == std::string::npos);
    const std::string audit = cli_ok({"audit", "--db", pg});
    CHECK(audit.find("\tmigrate\tfrom " + first) != std::string::npos);
    CHECK(audit.find("\tuser.add\tuser:" + added) != std::string::npos);

    // PostgreSQL -> SQLite.
    const auto rows_pg = table_rows(pg);
    const std::string hash_pg = hash_of(pg);
    CHECK(hash_pg != hash_first);  // the device's second person
    const std::string back = dir.file("back.db");
    const std::string home = migrate_ok(pg, back);
    CHECK(summary_hashes(home) == std::pair(hash_pg, hash_pg));
    CHECK(hash_of(back) == hash_pg);
    check_same_rows(rows_pg, table_rows(back));
    CHECK(generation_of(back) != generation_pg);
    {
        // SQLite's full-text index was rebuilt from the rows.
        auto store = open_db(back);
        auto hits = core::search_influencers(*store, "Inès Apr");
        REQUIRE(hits.is_ok());
        CHECK(std::any_of(hits.value().begin(), hits.value().end(),
                          [&](const core::SearchHit& h) { return h.id == ines; }));
    }
    {
        ServerProcess server(back, {}, dir.file("back.log"));
        converge(server, tokens, *device->replica);
        auto me = server.client()->Get("/api/v1/me", bearer(tokens["central"]));
        REQUIRE(me);
        CHECK(me->status == 200);
        CHECK(server.stop() == 0);
    }
}

TEST_CASE("migrate refuses a destination that is not empty and leaves it untouched",
          "[server][pg][migrate]") {
    Setup s;
    const std::string pg = PgCluster::shared().new_database();
    cli_ok({"init", "--db", pg});
    cli_ok({"user", "add", "--db", pg, "--name", "Olga Other", "--role", "central"});
    const std::string users = cli_ok({"user", "list", "--db", pg});
    const std::string audit = cli_ok({"audit", "--db", pg});
    auto refused = run_cli({"migrate", "--from", s.db, "--to", pg});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("the destination is not empty: server_users holds 1 rows") !=
          std::string::npos);
    CHECK(cli_ok({"user", "list", "--db", pg}) == users);
    CHECK(cli_ok({"audit", "--db", pg}) == audit);

    // A SQLite file that already holds a copy.
    const std::string copy = s.dir.file("copy.db");
    migrate_ok(s.db, copy);
    const auto rows = table_rows(copy);
    auto again = run_cli({"migrate", "--from", s.db, "--to", copy});
    CHECK(again.exit_code == 1);
    CHECK(again.err.find("the destination is not empty") != std::string::npos);
    CHECK(table_rows(copy) == rows);

    // A file that is not a Liaison database is not opened at all.
    const std::string notes = s.dir.file("notes.db");
    write_file(notes, "my notes, not a database");
    auto other = run_cli({"migrate", "--from", s.db, "--to", notes});
    CHECK(other.exit_code == 1);
    CHECK(other.err.find("is not a Liaison database") != std::string::npos);
    CHECK(read_file(notes) == "my notes, not a database");
}

TEST_CASE("a migration that fails half-way leaves the destination as it was",
          "[server][pg][migrate]") {
    Setup s;
    // A row PostgreSQL cannot hold: text in an integer field (SQLite's columns take any type).
    const core::Id128 id = core::Id128::derive("migrate-test", "bad", "row");
    const auto& k = core::kind_def(core::Kind::kInfluencer);
    int number = -1;
    for (std::size_t i = 0; i < k.fields.size() && number < 0; ++i)
        if (k.fields[i].type == core::FieldType::kInt || k.fields[i].type == core::FieldType::kTime)
            number = int(i);
    REQUIRE(number >= 0);
    auto write = [&](bool bad) {
        auto store = open_db(s.db);
        core::WriteTxn txn(*store);
        REQUIRE(txn.begun().is_ok());
        if (bad) {
            auto row = core::RowState::empty(core::Kind::kInfluencer, id);
            row.values[std::size_t(number)] = std::string("not a number");
            auto inserted =
                store->insert_created(core::Kind::kInfluencer, id, core::Stamp{1, id}, row.values);
            REQUIRE(inserted.is_ok());
            REQUIRE(inserted.value());
        } else {
            REQUIRE(store->delete_row(core::Kind::kInfluencer, id).is_ok());
        }
        REQUIRE(txn.commit().is_ok());
    };
    write(true);
    const std::string pg = PgCluster::shared().new_database();
    auto failed = run_cli({"migrate", "--from", s.db, "--to", pg});
    CHECK(failed.exit_code == 1);
    CHECK(failed.err.find("k_influencer") != std::string::npos);
    for (const auto& [table, rows] : table_rows(pg)) {
        INFO(table);
        if (table != "meta") CHECK(rows == 0);  // its tables laid out, nothing in them
    }
    // Once the row is gone, the same destination takes the copy.
    write(false);
    migrate_ok(s.db, pg);
    CHECK(hash_of(pg) == hash_of(s.db));
}

TEST_CASE("migrate answers bad arguments and a served source with clear errors",
          "[server][pg][migrate]") {
    Setup s;
    auto usage = [](const std::vector<std::string>& args, const std::string& says) {
        auto r = run_cli(args);
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(says) != std::string::npos);
    };
    usage({"migrate"}, "migrate needs --from DB --to DB");
    usage({"migrate", "--from", s.db}, "migrate needs --from DB --to DB");
    usage({"migrate", "--from", s.db, "--to", s.db}, "the same database");
    usage({"migrate", "--from", s.db, "--to", s.dir.file("./server.db")}, "the same database");
    usage({"migrate", "--from", s.db, "--to", "mysql://db.example/liaison"},
          "not a PostgreSQL URL");
    usage({"migrate", "--db", s.db, "--to", s.dir.file("x.db")}, "unknown option --db");

    auto missing =
        run_cli({"migrate", "--from", s.dir.file("nope.db"), "--to", s.dir.file("x.db")});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("nope.db: no such file") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(s.dir.file("x.db")));

    auto unreachable = run_cli(
        {"migrate", "--from", s.db, "--to", "postgresql://nobody@/liaison?host=/nonexistent"});
    CHECK(unreachable.exit_code == 1);
    CHECK(unreachable.err.find("cannot open postgresql://") != std::string::npos);

    // A table this build does not know is refused, never dropped.
    {
        auto store = open_db(s.db);
        REQUIRE(store->db().exec("CREATE TABLE notes(x)").is_ok());
    }
    auto unknown = run_cli({"migrate", "--from", s.db, "--to", s.dir.file("y.db")});
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err.find("a table this build does not copy: notes") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(s.dir.file("y.db")));
    {
        auto store = open_db(s.db);
        REQUIRE(store->db().exec("DROP TABLE notes").is_ok());
    }

    // A server serving the source would write half-way through the copy.
    ServerProcess server(s.db, {}, s.log);
    auto served = run_cli({"migrate", "--from", s.db, "--to", s.dir.file("z.db")});
    CHECK(served.exit_code == 1);
    CHECK(served.err.find("stop it first") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(s.dir.file("z.db")));
}

}  // namespace liaison::test::server_migrate
