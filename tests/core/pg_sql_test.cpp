// SQLite's dialect translated for PostgreSQL (core/storage/pg_sql.hpp): what is rewritten,
// what is left alone inside literals, and what is refused by name.
#include "core/storage/pg_sql.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace liaison::test {
namespace {

using core::translate_for_postgres;

std::string pg(std::string_view sql) {
    auto r = translate_for_postgres(sql);
    if (!r) FAIL(r.status().to_string());
    return r->text;
}

int params(std::string_view sql) {
    auto r = translate_for_postgres(sql);
    REQUIRE(r.is_ok());
    return r->params;
}

std::string refusal(std::string_view sql) {
    auto r = translate_for_postgres(sql);
    REQUIRE_FALSE(r.is_ok());
    return r.status().detail();
}

TEST_CASE("numbered and bare placeholders become dollar parameters", "[core][pg_sql]") {
    CHECK(pg("SELECT a FROM t WHERE b=?1 AND c=?2") == "SELECT a FROM t WHERE b=$1 AND c=$2");
    CHECK(params("SELECT a FROM t WHERE b=?1 AND c=?2") == 2);
    CHECK(pg("UPDATE t SET a=?2 WHERE id=?1") == "UPDATE t SET a=$2 WHERE id=$1");
    // A bare ? takes one more than the largest number so far, as SQLite numbers it.
    CHECK(pg("VALUES(?, ?, ?5, ?)") == "VALUES($1, $2, $5, $6)");
    CHECK(params("VALUES(?, ?, ?5, ?)") == 6);
    CHECK(pg("SELECT ?1 + ?1") == "SELECT $1 + $1");
    CHECK(params("SELECT 1") == 0);
    CHECK(pg("SELECT x FROM t WHERE k IN (?3,?4,?5)") == "SELECT x FROM t WHERE k IN ($3,$4,$5)");
}

TEST_CASE("question marks inside literals identifiers and comments stay as they are",
          "[core][pg_sql]") {
    CHECK(pg("SELECT '?1 and ?', \"odd?col\" FROM t WHERE a = ? -- why ?\n") ==
          "SELECT '?1 and ?', \"odd?col\" FROM t WHERE a = $1 -- why ?\n");
    CHECK(pg("SELECT 'it''s ?' /* ? */, ?") == "SELECT 'it''s ?' /* ? */, $1");
    CHECK(params("SELECT '?'") == 0);
    // Words inside literals are not translated or refused either.
    CHECK(pg("SELECT 'PRAGMA rowid BLOB' FROM t") == "SELECT 'PRAGMA rowid BLOB' FROM t");
}

TEST_CASE("INSERT OR IGNORE becomes ON CONFLICT DO NOTHING", "[core][pg_sql]") {
    CHECK(pg("INSERT OR IGNORE INTO t(a, b) VALUES(?1, ?2)") ==
          "INSERT INTO t(a, b) VALUES($1, $2) ON CONFLICT DO NOTHING");
    CHECK(pg("insert or ignore into t select a from u;  ") ==
          "insert into t select a from u ON CONFLICT DO NOTHING;  ");
    CHECK(pg("INSERT OR IGNORE INTO t(a) VALUES(?) RETURNING a") ==
          "INSERT INTO t(a) VALUES($1) ON CONFLICT DO NOTHING RETURNING a");
}

TEST_CASE("DDL types become PostgreSQL's with byte-wise text", "[core][pg_sql]") {
    CHECK(pg("CREATE TABLE t(id BLOB PRIMARY KEY, n INTEGER NOT NULL, s TEXT, u TEXT COLLATE "
             "BINARY) WITHOUT ROWID") ==
          "CREATE TABLE t(id BYTEA PRIMARY KEY, n BIGINT NOT NULL, s TEXT COLLATE \"C\", u TEXT "
          "COLLATE \"C\") ");
    CHECK(pg("CREATE TABLE IF NOT EXISTS m(key TEXT PRIMARY KEY, value TEXT)") ==
          "CREATE TABLE IF NOT EXISTS m(key TEXT COLLATE \"C\" PRIMARY KEY, value TEXT COLLATE "
          "\"C\")");
    CHECK(pg("ALTER TABLE t ADD COLUMN z TEXT") == "ALTER TABLE t ADD COLUMN z TEXT COLLATE \"C\"");
    // Outside DDL a cast to TEXT stays as it is; INTEGER and BLOB casts are renamed.
    CHECK(pg("SELECT CAST(a AS TEXT), CAST(b AS INTEGER), CAST(c AS BLOB) FROM t") ==
          "SELECT CAST(a AS TEXT), CAST(b AS BIGINT), CAST(c AS BYTEA) FROM t");
}

TEST_CASE("blob literals and ifnull have direct equivalents", "[core][pg_sql]") {
    CHECK(pg("SELECT X'00ff', x'' FROM t") == "SELECT '\\x00ff'::bytea, '\\x'::bytea FROM t");
    CHECK(pg("SELECT ifnull(a, 0) FROM t") == "SELECT coalesce(a, 0) FROM t");
    CHECK_FALSE(translate_for_postgres("SELECT X'0g'").is_ok());
    CHECK_FALSE(translate_for_postgres("SELECT X'0'").is_ok());
}

TEST_CASE("several statements are translated one by one", "[core][pg_sql]") {
    CHECK(pg("CREATE TABLE a(x INTEGER); INSERT OR IGNORE INTO a VALUES(1);") ==
          "CREATE TABLE a(x BIGINT); INSERT INTO a VALUES(1) ON CONFLICT DO NOTHING;");
    // A refusal quotes the statement it is in, not its neighbours.
    const std::string why = refusal("SELECT 1; SELECT hex(x) FROM t; SELECT 2");
    CHECK(why.find("HEX(") != std::string::npos);
    CHECK(why.find("in: SELECT hex(x) FROM t") != std::string::npos);
    CHECK(why.find("SELECT 2") == std::string::npos);
}

TEST_CASE("SQLite-only constructs are refused with the construct named", "[core][pg_sql]") {
    struct Case {
        const char* sql;
        const char* construct;
    };
    const Case cases[] = {
        {"PRAGMA user_version", "PRAGMA"},
        {"pragma journal_mode=WAL", "PRAGMA"},
        {"CREATE VIRTUAL TABLE f USING fts5(name)", "FTS5"},
        {"SELECT a FROM f WHERE f MATCH ?1", "MATCH"},
        {"SELECT rowid, a FROM t", "ROWID"},
        {"INSERT OR REPLACE INTO t VALUES(1)", "INSERT OR REPLACE"},
        {"REPLACE INTO t VALUES(1)", "REPLACE INTO"},
        {"INSERT OR ABORT INTO t VALUES(1)", "INSERT OR ABORT"},
        {"SELECT printf('%05d', a) FROM t", "PRINTF("},
        {"SELECT hex(id) FROM t", "HEX("},
        {"SELECT group_concat(a, ',') FROM t", "GROUP_CONCAT("},
        {"SELECT strftime('%s', 'now')", "STRFTIME("},
        {"SELECT julianday('now')", "JULIANDAY("},
        {"SELECT unixepoch()", "UNIXEPOCH("},
        {"SELECT a FROM t WHERE a GLOB 'x*'", "GLOB"},
        {"SELECT a FROM t ORDER BY a COLLATE NOCASE", "COLLATE NOCASE"},
        {"SELECT name FROM sqlite_master", "SQLITE_MASTER"},
        {"SELECT count(*) FROM pragma_table_info('t')", "PRAGMA_TABLE_INFO("},
    };
    for (const auto& c : cases) {
        INFO(c.sql);
        const std::string why = refusal(c.sql);
        CHECK(why.find(std::string(c.construct) + " has no PostgreSQL equivalent") !=
              std::string::npos);
        CHECK(why.find(c.sql) != std::string::npos);  // the statement is quoted
    }
    // A column merely named like a refused function is not refused.
    CHECK(pg("SELECT hex FROM t") == "SELECT hex FROM t");
}

TEST_CASE("unterminated literals are errors not SQL", "[core][pg_sql]") {
    CHECK_FALSE(translate_for_postgres("SELECT 'abc").is_ok());
    CHECK_FALSE(translate_for_postgres("SELECT \"abc").is_ok());
    CHECK_FALSE(translate_for_postgres("SELECT 1 /* never closed").is_ok());
}

}  // namespace
}  // namespace liaison::test
