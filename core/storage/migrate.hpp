// Copying the central database from one engine to the other (SQLite <-> PostgreSQL, or one
// engine to itself): every table, through the database seam, in one destination transaction,
// checked before it commits (docs/SCALING.md, "Moving between backends").
//
// What is copied: the record (each kind's table, set dots, alternate subjects, erased ids and
// their kinds, alias edges, the op log and its id numbers, the outbox, the scope keys seen, the
// directory marks, meta with its sequence floor) and the server's tables that the source has:
// users, tokens, audit, replica owners, staff links, sign-in codes (accounts.hpp), evidence
// files with their bytes (evidence.hpp: the bytes live in the database on both engines), the
// history of values (history.hpp) and retention runs (retention_runs.hpp). Row values, keys and
// sequence numbers are copied as they are, so every cursor a device holds still means the same
// change. Identity columns continue after the copied keys (on PostgreSQL its sequences are set;
// on SQLite AUTOINCREMENT's high-water mark is carried over).
//
// What is rebuilt instead: SQLite's full-text index (fts_<kind>) from the copied rows, as a
// migration rebuilds it; PostgreSQL has none. Two tables differ in layout between the engines
// and are converted, keeping their meaning: the staff links' order (SQLite's rowid, PostgreSQL's
// column n) and the history's one-value rows (raw on SQLite, packed on PostgreSQL).
//
// What is refused: a source table or column this build does not know (nothing is dropped
// silently), a destination that holds anything but metadata, a source another writer holds.
//
// Verification, before the destination commits: the state hash of both sides (Store::state_hash,
// docs/SYNC.md) and, for every copied table, its row count and a digest of its rows as read back
// from the destination against the rows written. Any difference fails the copy, which then
// rolls back.
//
// Thread-safety: as the Store; the two stores are used by the calling thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/store.hpp"
#include "core/util/status.hpp"

namespace liaison::core {

// Rows read from the source and written to the destination at a time: bounds the memory a copy
// takes whatever the size of the database (evidence files, up to megabytes each, go a few at a
// time: kEvidencePageRows).
inline constexpr int kCopyPageRows = 512;
inline constexpr int kEvidencePageRows = 4;

struct TableCopied {
    std::string table;
    std::int64_t rows = 0;
};

struct CopyReport {
    // The two databases as their connections name them (a URL's password replaced by "***").
    std::string source, destination;
    std::vector<TableCopied> tables;            // in the order they were copied
    std::int64_t rows = 0;                      // over every table
    std::string source_hash, destination_hash;  // equal when the copy succeeded
    std::int64_t reindexed = 0;  // rows put back in SQLite's full-text index (0 on PostgreSQL)
};

// Called after each page a table's copy writes (`done` false) and once when the table is done.
using CopyProgress = std::function<void(std::string_view table, std::int64_t rows, bool done)>;

// One copy from `from` to `to`. begin() locks the source against writers (a write transaction
// it never commits: SQLite's BEGIN IMMEDIATE, PostgreSQL's writer lock) and opens the
// destination's one transaction; copy() copies and checks; commit() makes it durable. A copy
// that is destroyed before commit() rolls the destination back, leaving it as it was.
//
// Between copy() and commit(), `to` may be written through its Store (the caller renews the
// database generation there). Requires: no transaction is open on either store; the two stores
// are different databases. After the copy, `to`'s in-memory caches (sequence, erased ids,
// aliases) are those of the empty database: open it again before writing the record.
class DatabaseCopy {
public:
    // Prepares both sides: creates on `to` the server tables `from` has (each module's own
    // schema, in its own transaction: an empty table left behind by a failed copy counts as
    // empty for the next one), refuses a destination that is not empty (kConflict, naming the
    // table and its rows) and a source table this build does not copy (kUnsupportedVersion),
    // then takes the source's writer lock (kConflict when another writer holds it) and begins
    // the destination's transaction.
    static Result<std::unique_ptr<DatabaseCopy>> begin(Store& from, Store& to);
    ~DatabaseCopy();
    DatabaseCopy(const DatabaseCopy&) = delete;
    DatabaseCopy& operator=(const DatabaseCopy&) = delete;

    // Copies every table and verifies the result (see the top of this file); kConflict names
    // the first difference. Call once.
    Result<CopyReport> copy(const CopyProgress& progress);
    // Commits the destination and releases the source.
    Status commit();

private:
    struct Impl;
    explicit DatabaseCopy(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace liaison::core
