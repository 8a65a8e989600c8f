// The real liaison-server on a PostgreSQL database (issue 20, docs/SCALING.md): `--db` takes a
// postgresql:// URL for init, users, tokens, audit and serve; devices sign in, push and pull
// over HTTP as they do against a SQLite file; backup and restore refuse and name PostgreSQL's
// own tools; a second server on the same database serves the same record. The database is a fresh
// one of the test cluster (support/pg_cluster.hpp).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "core/query/queries.hpp"
#include "fixture.hpp"
#include "server/admin/csv.hpp"
#include "server/backend/sync_backend.hpp"
#include "support/pg_cluster.hpp"
#include "sync/hub.hpp"

namespace liaison::test::server_postgres_server {

TEST_CASE("a server on a PostgreSQL database serves devices and leaves backups to PostgreSQL",
          "[server][pg]") {
    TempDir dir;
    const std::string db = PgCluster::shared().new_database();
    const std::string log = dir.file("server.log");

    // A database that exists but holds nothing yet is initialised, once.
    CHECK(cli_ok({"init", "--db", db}).find(": created") != std::string::npos);
    CHECK(cli_ok({"init", "--db", db}).find("ready (already initialised)") != std::string::npos);
    // A password in the URL is not printed (the cluster trusts its socket and ignores it).
    std::string with_password = db;
    with_password.insert(with_password.find('@'), ":Hunter2pw");
    const std::string said = cli_ok({"init", "--db", with_password});
    CHECK(said.find("ready (already initialised)") != std::string::npos);
    CHECK(said.find("Hunter2pw") == std::string::npos);
    CHECK(said.find("***") != std::string::npos);
    const std::string admin =
        cli_ok({"user", "add", "--db", db, "--name", "Ada Admin", "--role", "admin"});
    const std::string admin_token =
        cli_ok({"token", "issue", "--db", db, "--user", admin, "--device", "tests"});
    const std::string central =
        cli_ok({"user", "add", "--db", db, "--name", "Chloé Central", "--role", "central"});
    const std::string tablet =
        cli_ok({"token", "issue", "--db", db, "--user", central, "--device", "tablet"});
    const std::string phone =
        cli_ok({"token", "issue", "--db", db, "--user", central, "--device", "phone"});
    CHECK(admin != central);
    CHECK(cli_ok({"user", "list", "--db", db}).find("Chloé Central") != std::string::npos);
    const std::string audit = cli_ok({"audit", "--db", db});
    CHECK(audit.find("\tuser.add\tuser:" + central) != std::string::npos);
    CHECK(audit.find("\tinit\t") != std::string::npos);

    sync::SystemTimeSource time;
    auto a = open_node(dir.file("a.db"), time, 41);
    auto b = open_node(dir.file("b.db"), time, 42);
    add_person(*a->replica, "Zoë Martin");
    {
        ServerProcess server(db, {}, log);
        auto client = server.client();
        auto me = client->Get("/api/v1/me", bearer(tablet));
        REQUIRE(me);
        CHECK(me->status == 200);
        CHECK(me->body.find("\"name\":\"Chloé Central\"") != std::string::npos);
        CHECK(me->body.find("\"role\":\"central\"") != std::string::npos);
        auto stranger = client->Get("/api/v1/me", bearer(tablet + "x"));
        REQUIRE(stranger);
        CHECK(stranger->status == 401);

        sync_all(*client, tablet, *a->replica, false);  // a pushes
        sync_all(*client, phone, *b->replica, true);    // b pulls, in JSON
        const std::string hash = must(a->replica->state_hash());
        CHECK(must(b->replica->state_hash()) == hash);  // b holds Zoë as a wrote her
        auto res = client->Get("/api/v1/admin/state-hash", bearer(admin_token));
        REQUIRE(res);
        CHECK(res->status == 200);
        CHECK(res->body.find(hash) != std::string::npos);

        // Several servers per database (docs/SCALING.md): a second one serves the same record,
        // and what a device pushes through it, a device pulling from the first one receives.
        {
            ServerProcess second(db, {}, dir.file("second.log"));
            add_person(*b->replica, "Ines Duarte");
            sync_all(*second.client(), phone, *b->replica, false);
            sync_all(*client, tablet, *a->replica, false);
            CHECK(must(a->replica->state_hash()) == must(b->replica->state_hash()));
            CHECK(second.stop() == 0);
        }

        // A token revoked from the command line while the server runs fails at its next use.
        std::string tablet_id;
        std::istringstream rows(cli_ok({"token", "list", "--db", db, "--user", central}));
        for (std::string row; std::getline(rows, row);)
            if (row.find("\ttablet\t") != std::string::npos)
                tablet_id = row.substr(0, row.find('\t'));
        REQUIRE_FALSE(tablet_id.empty());
        cli_ok({"token", "revoke", "--db", db, "--token-id", tablet_id});
        auto revoked = client->Get("/api/v1/me", bearer(tablet));
        REQUIRE(revoked);
        CHECK(revoked->status == 401);
        CHECK(cli_ok({"audit", "--db", db}).find("\ttoken.revoke\t") != std::string::npos);
        CHECK(server.stop() == 0);
    }

    // The server's data survived its stop: a new process serves the same record.
    {
        ServerProcess server(db, {}, log);
        auto c = open_node(dir.file("c.db"), time, 43);
        sync_all(*server.client(), phone, *c->replica, false);
        CHECK(must(c->replica->state_hash()) == must(a->replica->state_hash()));
    }

    auto backup = run_cli({"backup", "--db", db, "--to", dir.file("copy.db")});
    CHECK(backup.exit_code == 1);
    CHECK(backup.err.find("pg_dump") != std::string::npos);
    CHECK(backup.err.find("pg_basebackup") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("copy.db")));
    auto restore = run_cli({"restore", "--db", db, "--from", dir.file("a.db")});
    CHECK(restore.exit_code == 1);
    CHECK(restore.err.find("pg_dump") != std::string::npos);
    auto usage = run_cli({"help"});
    CHECK(usage.out.find("postgresql://") != std::string::npos);
}

// On PostgreSQL each server keeps what a token granted for the sync route (server/auth/auth.hpp)
// and its group commit checks that the accounts version it was read at still holds. A scope
// changed, a token revoked or a user disabled from the command line holds at the next sync
// on every server that kept the old grant.
TEST_CASE(
    "what tokens grant is kept by each server on PostgreSQL and what changes holds at once "
    "on all of them",
    "[server][pg][auth]") {
    TempDir dir;
    const std::string db = PgCluster::shared().new_database();
    cli_ok({"init", "--db", db});
    const std::string lyon = "01M83ZSHHPCRN0ZF0EG9Z1TT7F", lille = "01M83ZSHHPCRN0ZF0EG9Z1TT7G";
    const std::string central =
        cli_ok({"user", "add", "--db", db, "--name", "Chloé Central", "--role", "central"});
    const std::string office =
        cli_ok({"token", "issue", "--db", db, "--user", central, "--device", "office"});
    const std::string staff = cli_ok(
        {"user", "add", "--db", db, "--name", "Sam Store", "--role", "store", "--stores", lyon});
    const std::string tablet =
        cli_ok({"token", "issue", "--db", db, "--user", staff, "--device", "tablet"});
    const std::string phone =
        cli_ok({"token", "issue", "--db", db, "--user", staff, "--device", "phone"});
    std::string tablet_id;
    std::istringstream rows(cli_ok({"token", "list", "--db", db, "--user", staff}));
    for (std::string row; std::getline(rows, row);)
        if (row.find("\ttablet\t") != std::string::npos) tablet_id = row.substr(0, row.find('\t'));
    REQUIRE_FALSE(tablet_id.empty());

    ServerProcess one(db, {}, dir.file("one.log")), two(db, {}, dir.file("two.log"));
    sync::SystemTimeSource time;
    auto hq = open_node(dir.file("hq.db"), time, 61);
    const auto at_lille = add_person(*hq->replica, "Léa Lille", {{"store", lille}});
    sync_all(*one.client(), office, *hq->replica, false);
    int fresh = 0;
    // A new device of the store user, pulled whole through `server`: whether it holds Léa.
    auto sees_lea = [&](ServerProcess& server, const std::string& token) {
        const int k = fresh++;
        auto n =
            open_node(dir.file("fresh" + std::to_string(k) + ".db"), time, 100 + std::uint64_t(k));
        sync_all(*server.client(), token, *n->replica, false);
        return core::get_entity(n->replica->store(), core::Kind::kInfluencer, at_lille)
            .value()
            .has_value();
    };
    // Both servers keep the tablet's grant (its scope: Lyon).
    CHECK_FALSE(sees_lea(one, tablet));
    CHECK_FALSE(sees_lea(two, tablet));
    CHECK_FALSE(sees_lea(two, tablet));

    cli_ok({"user", "scope", "--db", db, "--user", staff, "--stores", lille});
    CHECK(sees_lea(two, tablet));
    CHECK(sees_lea(one, tablet));

    // The tablet's and the phone's own pushes: refused as an unknown token (401), or answered.
    auto shop = open_node(dir.file("shop.db"), time, 71);
    auto pocket = open_node(dir.file("pocket.db"), time, 72);
    auto refused = [&](ServerProcess& server, const std::string& token, Node& device) {
        (void)add_person(*device.replica, "Walk-in " + std::to_string(fresh++), {{"store", lille}});
        auto push = device.replica->make_push(50, 200);
        REQUIRE(push.is_ok());
        auto res = post_sync(*server.client(), token, sync::encode_request(push.value()), false);
        REQUIRE(res);
        INFO(res->status << " " << res->body.substr(0, 200));
        CHECK((res->status == 200 || res->status == 401));
        return res->status == 401 && error_code(res->body) == "unauthorized";
    };
    CHECK_FALSE(refused(one, tablet, *shop));
    CHECK_FALSE(refused(two, tablet, *shop));
    CHECK_FALSE(refused(two, phone, *pocket));
    CHECK_FALSE(refused(one, phone, *pocket));
    cli_ok({"token", "revoke", "--db", db, "--token-id", tablet_id});
    CHECK(refused(one, tablet, *shop));
    CHECK(refused(two, tablet, *shop));
    CHECK_FALSE(refused(two, phone, *pocket));

    cli_ok({"user", "disable", "--db", db, "--user", staff});
    CHECK(refused(two, phone, *pocket));
    CHECK(refused(one, phone, *pocket));
    cli_ok({"user", "enable", "--db", db, "--user", staff});
    CHECK_FALSE(refused(one, phone, *pocket));
    CHECK(refused(one, tablet, *shop));
    CHECK(one.stop() == 0);
    CHECK(two.stop() == 0);
}

// Servers and imports stamp with one replica id: each resumes the recorded clock and records its
// own inside its write transaction, under the writer lock (server/admin/server_clock.hpp). An
// import whose hub was made before a server recorded a later clock must stamp past that clock
// and record its own: equal stamps would make R1 drop one of two operations. (Before, the
// import resumed when it opened the database and recorded after its commit, outside the lock.)
TEST_CASE("an import resumes the servers' clock in its transaction and records its own there",
          "[server][pg]") {
    const std::string db = PgCluster::shared().new_database();
    cli_ok({"init", "--db", db});
    auto import_store = core::Store::open(db, core::StoreOptions{});
    auto server_store = core::Store::open(db, core::StoreOptions{});
    REQUIRE(import_store.is_ok());
    REQUIRE(server_store.is_ok());
    sync::SystemTimeSource time;
    sync::Hub hub(*import_store.value(), time);
    auto replica = server::server_replica_id(*import_store.value());
    REQUIRE(replica.is_ok());
    // Meanwhile a server records a clock a minute ahead of the import's (a server's clock runs
    // ahead of its machine's time once it received a device's stamp from a fast clock; the hub
    // takes stamps up to kMaxFutureMs ahead).
    const std::uint64_t ahead = (time.now_ms() + 60'000) << 16;
    {
        core::WriteTxn txn(*server_store.value());
        REQUIRE(txn.begun().is_ok());
        REQUIRE(server_store.value()->meta_set("server_clock", std::to_string(ahead)).is_ok());
        REQUIRE(txn.commit().is_ok());
    }
    std::istringstream csv("name,email\nLéa Import,lea.import@example.com\n");
    server::CsvImportOptions opts;
    auto sum = server::import_csv(*import_store.value(), hub, replica.value(), csv, opts);
    REQUIRE(sum.is_ok());
    CHECK(sum->created == 1);
    CHECK(hub.clock().state() > ahead);  // its stamps came after the server's
    const auto recorded = server_store.value()->meta_get("server_clock");
    REQUIRE(recorded);
    CHECK(std::stoull(*recorded) > ahead);
}

TEST_CASE("a request whose kept grant was stale is read again without paying the rate limit twice",
          "[server][pg][auth]") {
    TempDir dir;
    const std::string db = PgCluster::shared().new_database();
    cli_ok({"init", "--db", db});
    const std::string central =
        cli_ok({"user", "add", "--db", db, "--name", "Chloé Central", "--role", "central"});
    const std::string office =
        cli_ok({"token", "issue", "--db", db, "--user", central, "--device", "office"});
    const std::string staff = cli_ok({"user", "add", "--db", db, "--name", "Sam Store", "--role",
                                      "store", "--stores", "01M83ZSHHPCRN0ZF0EG9Z1TT7F"});
    // One request a second, none saved up: a request charged twice is refused.
    ServerProcess server(db, {"--rate-limit", "1", "--burst", "1"}, dir.file("server.log"));
    sync::SystemTimeSource time;
    auto hq = open_node(dir.file("hq.db"), time, 81);
    auto push = [&] {
        (void)add_person(*hq->replica, "Walk-in");
        auto p = hq->replica->make_push(50, 200);
        REQUIRE(p.is_ok());
        // Once: post_sync would wait out a 429 and send again.
        auto res = server.client()->Post("/api/v1/sync", bearer(office),
                                         sync::encode_request(p.value()), kBinary);
        REQUIRE(res);
        INFO(res->body.substr(0, 200));
        return res->status;
    };
    CHECK(push() == 200);  // the grant is kept from here
    // Any change to the accounts makes every kept grant stale.
    cli_ok(
        {"user", "scope", "--db", db, "--user", staff, "--stores", "01M83ZSHHPCRN0ZF0EG9Z1TT7G"});
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // one request's worth again
    CHECK(push() == 200);
    CHECK(push() == 429);  // and the limit still holds
    CHECK(server.stop() == 0);
}

}  // namespace liaison::test::server_postgres_server
