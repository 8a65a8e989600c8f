// SQL written for SQLite, translated for PostgreSQL at prepare time (docs/STORAGE.md, "Two
// backends"). The store's SQL stays in one dialect; this function rewrites what has a direct
// PostgreSQL equivalent and refuses, naming the construct and the statement, what has not, so
// a statement the PostgreSQL backend cannot run fails when it is prepared, never later with a
// different meaning.
//
// Rewritten (outside string literals, quoted identifiers and comments):
//   ?NNN and ?             -> $NNN and $N (a bare ? takes one more than the largest so far,
//                             as SQLite numbers it)
//   INSERT OR IGNORE ...   -> INSERT ... ON CONFLICT DO NOTHING
//   BLOB, INTEGER          -> BYTEA, BIGINT (SQLite's INTEGER is 64-bit)
//   TEXT (in CREATE/ALTER TABLE) -> TEXT COLLATE "C": byte-wise order, which the merge rules
//                             and SQLite's BINARY collation rely on (docs/SYNC.md)
//   WITHOUT ROWID          -> dropped (every PostgreSQL table is a heap with its own keys)
//   X'00ff'                -> '\x00ff'::bytea
//   ifnull(                -> coalesce(
// Refused: PRAGMA, fts5 and MATCH, rowid, INSERT OR REPLACE / REPLACE INTO (and the other
// INSERT OR conflict clauses), printf(, hex(, group_concat(, strftime(, julianday(,
// unixepoch(, glob, COLLATE NOCASE, sqlite_master / sqlite_schema and the pragma_*()
// table functions.
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

#include "core/util/status.hpp"

namespace liaison::core {

struct PgSql {
    std::string text;  // the PostgreSQL statement(s)
    int params = 0;    // the largest parameter number used ($1..$params)
};

// Translates one statement, or several separated by ';' (as Database::exec takes them).
// kInvalid names the refused construct and quotes the statement it was found in.
Result<PgSql> translate_for_postgres(std::string_view sqlite_sql);

}  // namespace liaison::core
