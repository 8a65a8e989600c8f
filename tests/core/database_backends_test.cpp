// The database seam's contract (core/storage/database.hpp), the same test body over SQLite (a
// temporary file) and PostgreSQL (a private cluster: support/pg_cluster.hpp), and the change
// feed's cursor hazard that the PostgreSQL writer lock defeats (docs/STORAGE.md, "Two
// backends").
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "core/storage/database.hpp"
#include "support/harness.hpp"

#ifndef __EMSCRIPTEN__
#include "support/pg_cluster.hpp"
#endif

namespace liaison::test::core_database_backends {
namespace {

using core::Backend;
using core::Database;
using core::Statement;

// A URL's password never reaches a message; on WebAssembly the URL is refused as such.
TEST_CASE("opening a postgresql URL that cannot be reached fails with the URL and no password",
          "[core][database]") {
    auto db = Database::open("postgresql://u:secret@/none?host=/nonexistent-liaison-dir",
                             core::OpenOptions{});
    REQUIRE_FALSE(db.is_ok());
    const std::string msg = db.status().detail();
    CHECK(msg.find("postgresql://u:***@/none") != std::string::npos);
    CHECK(msg.find("secret") == std::string::npos);
#ifdef __EMSCRIPTEN__
    CHECK(msg.find("no PostgreSQL client") != std::string::npos);
#endif
}

#ifndef __EMSCRIPTEN__

const char* name_of(Backend b) { return b == Backend::kSqlite ? "SQLite" : "PostgreSQL"; }

// A fresh database on `b`: a file in `dir` or a new database of the shared cluster.
std::unique_ptr<Database> open_on(Backend b, const TempDir& dir, core::OpenOptions o = {}) {
    const std::string where =
        b == Backend::kSqlite ? dir.file("contract.db") : PgCluster::shared().new_database();
    auto db = Database::open(where, o);
    if (!db) FAIL(db.status().to_string());
    REQUIRE(db.value()->backend() == b);
    return std::move(db).value();
}

std::vector<std::int64_t> ints(Database& db, const std::string& sql) {
    auto st = db.prepare(sql);
    if (!st) FAIL(st.status().to_string());
    std::vector<std::int64_t> out;
    while (st->step() == Statement::Step::kRow) out.push_back(st->column_int(0));
    return out;
}

std::vector<std::string> texts(Database& db, const std::string& sql) {
    auto st = db.prepare(sql);
    if (!st) FAIL(st.status().to_string());
    std::vector<std::string> out;
    while (st->step() == Statement::Step::kRow) out.emplace_back(st->column_blob(0));
    return out;
}

TEST_CASE("integers text blobs and NULL round-trip through bind and column on both backends",
          "[core][database][pg][native]") {
    const Backend b = GENERATE(Backend::kSqlite, Backend::kPostgres);
    INFO(name_of(b));
    TempDir dir;
    auto db = open_on(b, dir);
    REQUIRE(db->exec("CREATE TABLE v(k INTEGER PRIMARY KEY, i INTEGER, t TEXT, b BLOB)").is_ok());
    const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    const std::string utf8 = "h\xc3\xa9llo \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89";
    const std::string blob("\0\x01\xff\0\x7f", 5);
    auto& ins = db->cached("INSERT INTO v(k, i, t, b) VALUES(?1, ?2, ?3, ?4)");
    ins.bind(1, std::int64_t(1)).bind(2, lo).bind(3, std::string_view(utf8));
    ins.bind_blob(4, blob.data(), blob.size());
    REQUIRE(ins.run().is_ok());
    ins.reset();
    ins.bind(1, std::int64_t(2)).bind(2, hi).bind_null(3).bind_blob(4, "", 0);
    REQUIRE(ins.run().is_ok());
    ins.reset();
    ins.bind(1, std::int64_t(3)).bind(2, std::int64_t(-1));  // 3 and 4 unbound: NULL
    REQUIRE(ins.run().is_ok());

    auto& sel = db->cached("SELECT i, t, b FROM v WHERE k = ?");
    sel.bind(1, std::int64_t(1));
    REQUIRE(sel.step() == Statement::Step::kRow);
    CHECK(sel.column_count() == 3);
    CHECK(sel.column_int(0) == lo);
    CHECK(sel.column_text(1) == utf8);
    CHECK(sel.column_blob(2) == blob);
    CHECK(sel.column_text_view(2) == blob);
    CHECK(sel.column_value(0) == core::Value(lo));
    CHECK(sel.column_value(1) == core::Value(utf8));
    CHECK(sel.column_value(2) == core::Value(blob));
    CHECK(sel.step() == Statement::Step::kDone);

    Statement& again = db->cached("SELECT i, t, b FROM v WHERE k = ?");
    CHECK(&again == &sel);
    again.bind(1, std::int64_t(2));
    REQUIRE(again.step() == Statement::Step::kRow);
    CHECK(again.column_int(0) == hi);
    CHECK(again.column_is_null(1));
    CHECK(std::holds_alternative<std::monostate>(again.column_value(1)));
    CHECK_FALSE(again.column_is_null(2));
    CHECK(again.column_blob(2).empty());

    again.reset();
    again.bind(1, std::int64_t(3));
    REQUIRE(again.step() == Statement::Step::kRow);
    CHECK(again.column_int(0) == -1);
    CHECK(again.column_is_null(1));
    CHECK(again.column_is_null(2));
    again.reset();

    CHECK(db->query_int("SELECT count(*) FROM v") == 3);
    CHECK(db->query_int("SELECT sum(i) FROM v WHERE k <> 1") == hi - 1);
    auto sum = db->prepare("SELECT sum(k) FROM v");
    REQUIRE(sum.is_ok());
    REQUIRE(sum->step() == Statement::Step::kRow);
    CHECK(sum->column_value(0) == core::Value(std::int64_t(6)));
}

// The key an insert gave comes back through RETURNING on both engines (PostgreSQL has no
// last-insert rowid); a statement that returned no row (here, the insert ignored) says so.
TEST_CASE("an insert's RETURNING gives its key and an ignored insert gives an error",
          "[core][database][pg][native]") {
    const Backend b = GENERATE(Backend::kSqlite, Backend::kPostgres);
    INFO(name_of(b));
    TempDir dir;
    auto db = open_on(b, dir);
    REQUIRE(db->exec("CREATE TABLE r(k INTEGER PRIMARY KEY, t TEXT NOT NULL UNIQUE)").is_ok());
    auto& ins = db->cached("INSERT OR IGNORE INTO r(k, t) VALUES(?1, ?2) RETURNING k");
    ins.bind(1, std::int64_t(41)).bind(2, std::string_view("first"));
    auto first = ins.run_returning_int();
    REQUIRE(first.is_ok());
    CHECK(first.value() == 41);
    ins.reset();
    ins.bind(1, std::int64_t(42)).bind(2, std::string_view("first"));  // t taken: ignored
    auto ignored = ins.run_returning_int();
    REQUIRE_FALSE(ignored.is_ok());
    CHECK(ignored.status().detail().find("no row") != std::string::npos);
    ins.reset();
    ins.bind(1, std::int64_t(43)).bind(2, std::string_view("second"));  // usable again
    auto second = ins.run_returning_int();
    REQUIRE(second.is_ok());
    CHECK(second.value() == 43);
}

TEST_CASE("an outer statement keeps stepping while inner statements read and write",
          "[core][database][pg][native]") {
    const Backend b = GENERATE(Backend::kSqlite, Backend::kPostgres);
    INFO(name_of(b));
    TempDir dir;
    auto db = open_on(b, dir);
    REQUIRE(db->exec("CREATE TABLE a(k INTEGER PRIMARY KEY, v INTEGER);"
                     "CREATE TABLE log(k INTEGER, v INTEGER);"
                     "INSERT INTO a VALUES (1, 10), (2, 20), (3, 30)")
                .is_ok());
    core::Transaction txn(*db);
    REQUIRE(txn.begun().is_ok());
    auto& outer = db->cached("SELECT k FROM a ORDER BY k");
    std::vector<std::int64_t> seen;
    while (outer.step() == Statement::Step::kRow) {
        const std::int64_t k = outer.column_int(0);
        seen.push_back(k);
        auto& inner = db->cached("SELECT v FROM a WHERE k = ?1");
        inner.bind(1, k);
        REQUIRE(inner.step() == Statement::Step::kRow);
        const std::int64_t v = inner.column_int(0);
        inner.reset();
        auto& write = db->cached("INSERT INTO log(k, v) VALUES(?1, ?2)");
        write.bind(1, k).bind(2, v * 2);
        REQUIRE(write.run().is_ok());
        CHECK(outer.column_int(0) == k);  // the outer row is still readable
    }
    REQUIRE(txn.commit().is_ok());
    CHECK(seen == std::vector<std::int64_t>{1, 2, 3});
    CHECK(ints(*db, "SELECT v FROM log ORDER BY k") == std::vector<std::int64_t>{20, 40, 60});
}

TEST_CASE("a transaction commits or rolls back on scope exit and changes counts written rows",
          "[core][database][pg][native]") {
    const Backend b = GENERATE(Backend::kSqlite, Backend::kPostgres);
    INFO(name_of(b));
    TempDir dir;
    auto db = open_on(b, dir);
    REQUIRE(db->exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)").is_ok());
    {
        core::Transaction txn(*db);
        REQUIRE(txn.begun().is_ok());
        CHECK(db->in_transaction());
        REQUIRE(db->exec("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')").is_ok());
        CHECK(db->changes() == 3);
        REQUIRE(txn.commit().is_ok());
    }
    CHECK_FALSE(db->in_transaction());
    {
        core::Transaction txn(*db);
        REQUIRE(db->exec("INSERT INTO t VALUES (4, 'd')").is_ok());
    }  // not committed: rolled back
    {
        core::Transaction txn(*db);
        REQUIRE(db->exec("DELETE FROM t").is_ok());
        txn.rollback();
    }
    CHECK_FALSE(db->in_transaction());
    CHECK(ints(*db, "SELECT k FROM t ORDER BY k") == std::vector<std::int64_t>{1, 2, 3});

    auto& up = db->cached("UPDATE t SET v = ?1 WHERE k >= ?2");
    up.bind(1, std::string_view("z")).bind(2, std::int64_t(2));
    REQUIRE(up.run().is_ok());
    CHECK(db->changes() == 2);
    CHECK(db->query_int("SELECT count(*) FROM t") == 3);
    CHECK(db->changes() == 2);  // a read leaves it
    auto& ignore = db->cached("INSERT OR IGNORE INTO t(k, v) VALUES(?1, ?2)");
    ignore.bind(1, std::int64_t(1)).bind(2, std::string_view("dup"));
    REQUIRE(ignore.run().is_ok());
    CHECK(db->changes() == 0);
    ignore.reset();
    ignore.bind(1, std::int64_t(9)).bind(2, std::string_view("new"));
    REQUIRE(ignore.run().is_ok());
    CHECK(db->changes() == 1);
    CHECK(texts(*db, "SELECT v FROM t ORDER BY k") ==
          std::vector<std::string>{"a", "z", "z", "new"});

    // A failed write is an error with the database's detail; on PostgreSQL it aborts the
    // transaction, whose commit then fails instead of reporting a write that did not happen.
    core::Transaction txn(*db);
    REQUIRE(txn.begun().is_ok());
    const auto dup = db->exec("INSERT INTO t VALUES (1, 'again')");
    REQUIRE_FALSE(dup.is_ok());
    if (b == Backend::kPostgres) {
        CHECK(dup.detail().find("SQLSTATE 23505") != std::string::npos);
        CHECK_FALSE(txn.commit().is_ok());
    } else {
        CHECK(dup.detail().find("UNIQUE constraint failed") != std::string::npos);
        CHECK(txn.commit().is_ok());
    }
}

TEST_CASE("text and blobs sort byte-wise and identically on both backends",
          "[core][database][pg][native]") {
    std::vector<std::vector<std::string>> results;
    for (const Backend b : {Backend::kSqlite, Backend::kPostgres}) {
        INFO(name_of(b));
        TempDir dir;
        auto db = open_on(b, dir);
        REQUIRE(db->exec("CREATE TABLE s(t TEXT, b BLOB)").is_ok());
        auto& ins = db->cached("INSERT INTO s(t, b) VALUES(?, ?)");
        const std::vector<std::string> words = {"\xc3\xa9", "a", "B", "ab", "Z", "b"};
        const std::vector<std::string> blobs = {
            "\xff", std::string("\0", 1), "\x01", std::string("\0\x01", 2), "\x7f", "\x80"};
        for (std::size_t i = 0; i < words.size(); ++i) {
            ins.reset();
            ins.bind(1, std::string_view(words[i])).bind_blob(2, blobs[i].data(), blobs[i].size());
            REQUIRE(ins.run().is_ok());
        }
        const auto by_text = texts(*db, "SELECT t FROM s ORDER BY t");
        const auto by_blob = texts(*db, "SELECT b FROM s ORDER BY b");
        CHECK(by_text == std::vector<std::string>{"B", "Z", "a", "ab", "b", "\xc3\xa9"});
        CHECK(by_blob == std::vector<std::string>{std::string("\0", 1), std::string("\0\x01", 2),
                                                  "\x01", "\x7f", "\x80", "\xff"});
        // Comparisons as well as sorting: min() and a range.
        CHECK(texts(*db, "SELECT min(t) FROM s") == std::vector<std::string>{"B"});
        INFO(db->error());
        CHECK(db->query_int("SELECT count(*) FROM s WHERE t > 'Z'").value_or(-1) == 4);
        results.push_back(by_text);
        results.push_back(by_blob);
    }
    REQUIRE(results.size() == 4);
    CHECK(results[0] == results[2]);
    CHECK(results[1] == results[3]);
}

TEST_CASE("a read transaction sees one snapshot on both backends", "[core][database][pg][native]") {
    const Backend b = GENERATE(Backend::kSqlite, Backend::kPostgres);
    INFO(name_of(b));
    TempDir dir;
    core::OpenOptions o;
    o.wal = true;  // SQLite: a writer may commit while the reader's snapshot is open
    auto reader = open_on(b, dir, o);
    REQUIRE(reader->exec("CREATE TABLE t(k INTEGER)").is_ok());
    // The same file, or the same PostgreSQL database (its URL has no password to redact).
    auto writer = Database::open(reader->path(), o);
    REQUIRE(writer.is_ok());
    {
        core::ReadTxn snapshot(*reader);
        CHECK(reader->query_int("SELECT count(*) FROM t") == 0);
        REQUIRE(writer.value()->exec("INSERT INTO t VALUES (1)").is_ok());
        CHECK(reader->query_int("SELECT count(*) FROM t") == 0);
    }
    CHECK(reader->query_int("SELECT count(*) FROM t") == 1);
}

TEST_CASE("a SQLite-only construct fails when prepared on PostgreSQL naming it and the statement",
          "[core][database][pg][native]") {
    TempDir dir;
    auto db = open_on(Backend::kPostgres, dir);
    auto st = db->prepare("SELECT printf('%d', 1) AS n");
    REQUIRE_FALSE(st.is_ok());
    CHECK(st.status().detail().find("PRINTF(") != std::string::npos);
    CHECK(st.status().detail().find("SELECT printf('%d', 1) AS n") != std::string::npos);
    // A cached statement carries the refusal to each step.
    auto& cached = db->cached("SELECT name FROM sqlite_master WHERE type = 'table'");
    CHECK(cached.step() == Statement::Step::kError);
    CHECK(cached.error().find("SQLITE_MASTER") != std::string::npos);
    const auto pragma = db->exec("PRAGMA user_version");
    REQUIRE_FALSE(pragma.is_ok());
    CHECK(pragma.detail().find("PRAGMA") != std::string::npos);
    // What PostgreSQL itself rejects carries its message and SQLSTATE.
    auto bad = db->prepare("SELECT * FROM no_such_table");
    REQUIRE_FALSE(bad.is_ok());
    CHECK(bad.status().detail().find("SQLSTATE 42P01") != std::string::npos);
    CHECK(bad.status().detail().find("no_such_table") != std::string::npos);
}

TEST_CASE("the statement sink hears PostgreSQL statements as written",
          "[core][database][pg][native]") {
    TempDir dir;
    auto db = open_on(Backend::kPostgres, dir);
    REQUIRE(db->exec("CREATE TABLE t(x INTEGER)").is_ok());
    std::vector<std::string> heard;
    db->set_statement_sink([&](std::string_view sql, double ms) {
        CHECK(ms >= 0);
        heard.emplace_back(sql);
    });
    auto& ins = db->cached("INSERT INTO t VALUES(?1)");
    ins.bind(1, std::int64_t(7));
    REQUIRE(ins.run().is_ok());
    db->set_statement_sink({});
    REQUIRE(ins.run().is_ok());
    CHECK(heard == std::vector<std::string>{"INSERT INTO t VALUES(?1)"});
}

// The cursor hazard of a change feed over a shared database. Three connections to one
// PostgreSQL database: writers A and B, and a reader that reads "seq > cursor" as a device's
// pull does.
struct Feed {
    std::unique_ptr<Database> a, b, reader;
    explicit Feed(const TempDir& dir) {
        a = open_on(Backend::kPostgres, dir);
        for (auto* other : {&b, &reader}) {
            auto db = Database::open(a->path(), core::OpenOptions{});
            if (!db) FAIL(db.status().to_string());
            *other = std::move(db).value();
        }
        REQUIRE(a->exec("CREATE TABLE changes(seq INTEGER PRIMARY KEY, who TEXT);"
                        "CREATE SEQUENCE feed_seq")
                    .is_ok());
    }
    std::vector<std::int64_t> after(std::int64_t cursor) {
        return ints(*reader, "SELECT seq FROM changes WHERE seq > " + std::to_string(cursor) +
                                 " ORDER BY seq");
    }
};

// A sequence hands out numbers without waiting for anyone's commit: only the writer lock
// orders the transactions that take them.
constexpr const char* kNextval = "SELECT nextval('feed_seq')";

std::int64_t record(Database& db, std::string_view who) {
    auto& take = db.cached(kNextval);
    if (take.step() != Statement::Step::kRow) FAIL(take.error());
    const std::int64_t seq = take.column_int(0);
    take.reset();
    auto& ins = db.cached("INSERT INTO changes(seq, who) VALUES(?1, ?2)");
    ins.bind(1, seq).bind(2, who);
    if (!ins.run().is_ok()) FAIL(ins.error());
    return seq;
}

TEST_CASE("naive concurrent writers make a change feed cursor skip a change",
          "[core][database][pg][native]") {
    // The demonstration that the hazard is real: plain BEGIN and a PostgreSQL SEQUENCE.
    TempDir dir;
    Feed f(dir);
    REQUIRE(f.a->exec("BEGIN").is_ok());
    const std::int64_t n = record(*f.a, "A");
    REQUIRE(f.b->exec("BEGIN").is_ok());
    const std::int64_t m = record(*f.b, "B");  // B does not wait for A
    REQUIRE(m == n + 1);
    REQUIRE(f.b->exec("COMMIT").is_ok());
    const auto seen = f.after(n - 1);
    CHECK(seen == std::vector<std::int64_t>{n + 1});  // N+1 without N
    const std::int64_t cursor = seen.empty() ? n - 1 : seen.back();
    REQUIRE(f.a->exec("COMMIT").is_ok());
    CHECK(f.after(cursor).empty());  // and N, committed now, is behind the cursor: skipped
    CHECK(f.after(n - 1) == std::vector<std::int64_t>{n, n + 1});
}

TEST_CASE("the writer lock makes a change feed cursor see changes in sequence order",
          "[core][database][pg][native]") {
    TempDir dir;
    Feed f(dir);
    core::Transaction ta(*f.a);
    REQUIRE(ta.begun().is_ok());
    const std::int64_t n = record(*f.a, "A");

    Status b_begun, b_commit;
    std::int64_t m = 0;
    std::thread writer_b([&] {
        core::Transaction tb(*f.b);  // waits for A's lock, at most kPgLockTimeoutMs
        b_begun = tb.begun();
        if (!b_begun.is_ok()) return;
        auto& take = f.b->cached(kNextval);
        if (take.step() == Statement::Step::kRow) m = take.column_int(0);
        take.reset();
        auto& ins = f.b->cached("INSERT INTO changes(seq, who) VALUES(?1, 'B')");
        ins.bind(1, m);
        b_commit = ins.run();
        if (b_commit.is_ok()) b_commit = tb.commit();
    });
    // B is waiting on the writer lock (bounded: well under B's lock timeout).
    bool waiting = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (!waiting && std::chrono::steady_clock::now() < deadline) {
        waiting = f.reader->query_int(
                      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                      "AND NOT granted") == 1;
        if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(waiting);
    CHECK(f.after(n - 1).empty());  // nothing committed yet: no N+1 without N
    const auto a_commit = ta.commit();
    writer_b.join();
    REQUIRE(a_commit.is_ok());
    REQUIRE(b_begun.is_ok());
    REQUIRE(b_commit.is_ok());
    CHECK(m == n + 1);  // B took its seq after A's commit
    CHECK(f.after(n - 1) == std::vector<std::int64_t>{n, n + 1});
}

#endif  // __EMSCRIPTEN__

}  // namespace
}  // namespace liaison::test::core_database_backends
