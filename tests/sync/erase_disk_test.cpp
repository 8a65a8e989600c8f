// R7 on disk (docs/SYNC.md): once an erasure is committed — acknowledged to whoever asked — no
// byte of the person remains in the store's files: not in the database, nor in its write-ahead
// log (which keeps every page written since the last checkpoint), nor in the search index.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "core/query/queries.hpp"
#include "support/harness.hpp"
#ifndef __EMSCRIPTEN__
#include "support/pg_cluster.hpp"
#endif

namespace liaison::test::sync_erase_disk {
namespace {

using core::Id128;
using core::Kind;

// A person whose every value is unique enough to be searched for in raw bytes.
const std::vector<sync::FieldWrite> kZorbaxe = {
    {"name", std::string("Zorbaxe Quillfeather")},
    {"email", std::string("zorbaxe.quill@plumvexa.quorbit")},
    {"phone", std::string("+33 6 98 76 54 31")},
    {"notes", std::string("Kestrelmoor glimmerdust")}};
const std::vector<std::string> kZorbaxeValues = {
    "Zorbaxe Quillfeather", "zorbaxe.quill@plumvexa.quorbit",
    "+33 6 98 76 54 31",    "33698765431",
    "0698765431",           "Kestrelmoor glimmerdust",
    "zorbaxequill",         "Brindlewick parsnip-ochre",
    "Quorvant lichenspire", "Snorvelith quaggbright"};

// The hub's side of R7 on disk: `scan_hub` names each of `needles` found in the hub's files.
using HubScan = std::function<std::string(const std::vector<std::string>& needles)>;

// A person erased on a device, the erasure acknowledged by the hub on `hub_store` and learnt by
// another device; every device's and the hub's files are scanned for her before and after.
void erase_and_scan(core::Store& hub_store, TempDir& dir, const HubScan& scan_hub) {
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    sync::Hub hub(hub_store, time);
    // As the server's hub: it keeps the values each write wrote (core/storage/history.hpp).
    REQUIRE(hub.merge().enable_history().is_ok());
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    auto office = open_node(dir.file("office.db"), time, 71);
    auto tablet = open_node(dir.file("tablet.db"), time, 72);
    auto exchange = [&](Node& n) {
        for (int i = 0; i < 10; ++i) {
            auto reply = hub.exchange(central, n.replica->make_push().value());
            REQUIRE(reply.is_ok());
            auto stats = n.replica->apply_reply(reply.value());
            REQUIRE(stats.is_ok());
            if (!stats->has_more && n.replica->pending() == 0) return;
        }
        FAIL("no quiescence");
    };

    sync::Replica& o = *office->replica;
    // Someone else, kept: the scan must find their bytes, or it proves nothing. Written first,
    // so that the erased person's rows come last on their pages, where PostgreSQL's plain
    // VACUUM leaves a removed row's bytes (docs/SCALING.md §4).
    REQUIRE(o.create(Kind::kInfluencer, {{"name", std::string("Ulvenhart Mossgrave")}}).is_ok());
    auto person = o.create(Kind::kInfluencer, kZorbaxe);
    REQUIRE(person.is_ok());
    REQUIRE(o.add(Kind::kInfluencer, person.value(), "handles", "instagram:zorbaxequill").is_ok());
    // A value written by a set, then overwritten: the state no longer holds it, the hub's
    // history of values does.
    REQUIRE(
        o.set(Kind::kInfluencer, person.value(), {{"notes", std::string("Quorvant lichenspire")}})
            .is_ok());
    REQUIRE(o.set(Kind::kInfluencer, person.value(),
                  {{"notes", std::string("Kestrelmoor glimmerdust")}})
                .is_ok());
    REQUIRE(o.create(Kind::kInteraction, {{"influencer", person.value().to_text()},
                                          {"at", std::int64_t(1'700'000'000'000LL)},
                                          {"touchpoint", std::string("store")},
                                          {"department", std::string("retail")},
                                          {"summary", std::string("Brindlewick parsnip-ochre")}})
                .is_ok());
    // A collaboration with her: kept without her (R12) — its product stays, its deliverables go.
    REQUIRE(
        o.create(Kind::kCollaboration, {{"influencer", person.value().to_text()},
                                        {"type", std::string("paid")},
                                        {"fee", std::int64_t(150000)},
                                        {"currency", std::string("EUR")},
                                        {"product", std::string("Lumeracle tonic")},
                                        {"deliverables", std::string("Snorvelith quaggbright")}})
            .is_ok());
    exchange(*office);
    exchange(*tablet);
    const auto forms = canary_forms(kZorbaxeValues);
    const std::vector<std::string> kept = {"Ulvenhart Mossgrave", "Lumeracle tonic"};
    for (const char* db : {"office.db", "tablet.db"}) {
        INFO(db);
        CHECK_FALSE(find_in_db_files(dir.file(db), {"Zorbaxe Quillfeather"}).empty());
    }
    CHECK_FALSE(scan_hub({"Zorbaxe Quillfeather"}).empty());
    // The overwritten value is in the hub's files only through its history (the scan would
    // prove nothing if it were not there).
    CHECK_FALSE(scan_hub({"Quorvant lichenspire"}).empty());

    time.advance(10);
    REQUIRE(o.erase(Kind::kInfluencer, person.value()).is_ok());  // the device that erases
    CHECK(find_in_db_files(dir.file("office.db"), forms) == "");
    exchange(*office);  // the hub, acknowledging it
    CHECK(scan_hub(forms) == "");
    exchange(*tablet);  // a replica that learns it
    CHECK(tablet->replica->store().is_erased(person.value()));
    CHECK(find_in_db_files(dir.file("tablet.db"), forms) == "");
    for (const char* db : {"office.db", "tablet.db"}) {
        INFO(db);
        CHECK_FALSE(find_in_db_files(dir.file(db), kept).empty());
    }
    CHECK_FALSE(scan_hub(kept).empty());
}

}  // namespace

// [native]: the write-ahead log is the point, and the browser build has none (its files live
// in MEMFS and are not run under node here).
TEST_CASE(
    "R7 on disk: once an erasure commits, no byte of the person is left in the hub's or "
    "a replica's files",
    "[sync][erase][R7][R12][native]") {
    TempDir dir;
    auto hub_store = core::Store::open(dir.file("hub.db"), core::StoreOptions{true, false});
    REQUIRE(hub_store.is_ok());
    erase_and_scan(*hub_store.value(), dir, [&](const std::vector<std::string>& needles) {
        return find_in_db_files(dir.file("hub.db"), needles);
    });
}

#ifndef __EMSCRIPTEN__
namespace {

// Where a PostgreSQL database's tables, their indexes and TOAST tables live: base/<database
// oid>/ in the cluster's data folder.
std::filesystem::path table_files(core::Database& db) {
    const auto oid = db.query_int("SELECT oid FROM pg_database WHERE datname=current_database()");
    REQUIRE(oid);
    return std::filesystem::path(PgCluster::shared().folder()) / "data" / "base" /
           std::to_string(*oid);
}

// Each of `needles` found in the database's table files, after a checkpoint (what is in the
// buffer cache reaches the files: the person's rows before the erase).
std::string scan_tables(core::Database& db, const std::vector<std::string>& needles) {
    REQUIRE(db.exec_postgres("CHECKPOINT").is_ok());
    std::string found;
    for (const auto& f : std::filesystem::directory_iterator(table_files(db))) {
        std::ifstream in(f.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        for (const auto& n : needles)
            if (bytes.find(n) != std::string::npos)
                found += "\"" + n + "\" in " + f.path().string() + "\n";
    }
    return found;
}

}  // namespace

// The same on PostgreSQL: once the erasing transaction commits, no file of the hub's database
// holds a byte of her. The WAL does until it is recycled, as SQLite's does not
// (docs/SCALING.md §4 says what the operator keeps and for how long). On the run's shared
// cluster: other tests' transactions come and go meanwhile, and the scrub waits for those
// older than the erasure (the next test).
TEST_CASE("R7 on disk on PostgreSQL: once an erasure commits no table file holds the person",
          "[sync][erase][R7][pg]") {
    TempDir dir;
    auto hub_store =
        core::Store::open(PgCluster::shared().new_database(), core::StoreOptions{true, false});
    REQUIRE(hub_store.is_ok());
    core::Database& db = hub_store.value()->db();
    erase_and_scan(*hub_store.value(), dir, [&](const std::vector<std::string>& needles) {
        return scan_tables(db, needles);
    });
}

// VACUUM FULL copies every row version a transaction still open may see. A reader whose
// snapshot was taken before the erasure committed would keep her rows in the rewritten files:
// the erasure is acknowledged only once that reader has ended, and then no file holds her.
TEST_CASE("R7 on PostgreSQL: the erasure's scrub waits for a reader that began before it",
          "[sync][erase][R7][pg]") {
    TempDir dir;
    const std::string url = PgCluster::shared().new_database();
    auto hub_store = core::Store::open(url, core::StoreOptions{true, false});
    REQUIRE(hub_store.is_ok());
    core::Database& db = hub_store.value()->db();
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    sync::Hub hub(*hub_store.value(), time);
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    auto office = open_node(dir.file("office.db"), time, 73);
    auto exchange = [&](Node& n) -> Status {
        auto reply = hub.exchange(central, n.replica->make_push().value());
        if (!reply) return reply.status();
        return n.replica->apply_reply(reply.value()).status();
    };
    REQUIRE(
        office->replica->create(Kind::kInfluencer, {{"name", std::string("Ulvenhart Mossgrave")}})
            .is_ok());
    auto person = office->replica->create(Kind::kInfluencer, kZorbaxe);
    REQUIRE(person.is_ok());
    REQUIRE(exchange(*office).is_ok());

    // Another session of the same database, in the middle of a read that began before the
    // erasure. It has read no table yet: had it, its lock would hold VACUUM FULL back anyway,
    // and the test would not tell the wait from the lock.
    auto reader = core::Database::open(url, {});
    REQUIRE(reader.is_ok());
    core::Database& r = *reader.value();
    REQUIRE(r.exec_postgres("BEGIN ISOLATION LEVEL REPEATABLE READ").is_ok());
    CHECK(r.query_int("SELECT 1") == 1);  // its snapshot, taken now
    const std::string count_her = "SELECT count(*) FROM " + core::table_name(Kind::kInfluencer) +
                                  " WHERE f_name = 'Zorbaxe Quillfeather'";

    time.advance(10);
    REQUIRE(office->replica->erase(Kind::kInfluencer, person.value()).is_ok());
    std::atomic<bool> acknowledged{false};
    Status pushed;
    std::thread push([&] {
        pushed = exchange(*office);
        acknowledged = true;
    });
    // The erasure is committed but not acknowledged while the reader lives; she is still in its
    // snapshot (reading her now takes a lock VACUUM FULL would wait for, but the scrub has not
    // begun it: it waits for the reader to end).
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    CHECK_FALSE(acknowledged.load());
    CHECK(r.query_int(count_her) == 1);
    REQUIRE(r.exec_postgres("COMMIT").is_ok());
    push.join();
    REQUIRE(pushed.is_ok());
    CHECK(scan_tables(db, canary_forms(kZorbaxeValues)) == "");
    CHECK_FALSE(scan_tables(db, {"Ulvenhart Mossgrave"}).empty());
}
#endif

}  // namespace liaison::test::sync_erase_disk
