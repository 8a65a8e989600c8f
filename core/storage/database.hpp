// The database seam: a narrow, RAII wrapper over SQLite or PostgreSQL, chosen when the
// connection opens (docs/STORAGE.md, "Two backends"). This folder is the only place that
// includes sqlite3.h or libpq-fe.h; everything above it speaks Database, Statement and
// Transaction, in SQLite's SQL dialect: on PostgreSQL each statement is translated when it is
// prepared (core/storage/pg_sql.hpp), and what has no direct equivalent fails there, with a
// message naming the construct and the statement.
//
// Ownership: Database owns the connection and its cached statements; a Statement borrowed
// from `cached()` lives as long as the Database. Transactions are scoped: one that is not
// committed rolls back when it goes out of scope.
// Thread-safety: a Database is used by one thread at a time (the server serialises writers).
//
// Writers on PostgreSQL. Several server processes may share one PostgreSQL database, and the
// central record's change feed is read by a cursor: "every change with seq > N". With
// concurrent writers that feed skips changes: A takes seq 41, B takes seq 42 and commits, a
// reader sees 42 and moves its cursor past 41, then A commits 41, which that reader never
// reads. So a Transaction on PostgreSQL is BEGIN followed by pg_advisory_xact_lock(kWriterLockKey):
// one writer at a time across every process on the database (as SQLite's BEGIN IMMEDIATE is
// one writer per file), held until COMMIT or ROLLBACK. A write takes the store-wide seq inside
// that lock, so commits happen in seq order: when a reader sees seq 42 committed, 41 committed
// before it (PostgreSQL makes a transaction visible before it releases its locks). The writer
// stays at READ COMMITTED on purpose: each statement's snapshot is taken after the lock is
// granted and so sees the previous writer's commit; REPEATABLE READ would fix the snapshot at
// the lock statement itself and lose the previous writer's updates. The wait for the lock is
// bounded by lock_timeout (kPgLockTimeoutMs, as SQLite's busy timeout), after which begun()
// fails. A ReadTxn on PostgreSQL is BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY: one
// snapshot for every statement inside, as a deferred BEGIN gives on SQLite.
//
// A failed statement inside a PostgreSQL transaction aborts it (SQLite's does not): every
// later statement fails until ROLLBACK, and commit() then reports the failure.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/model/schema.hpp"
#include "core/util/status.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace liaison::core {

// The steady clock in milliseconds: how a statement sink times statements on both engines.
double steady_ms();

class Database;
class PgConnection;
class PgStatement;

enum class Backend { kSqlite, kPostgres };

// The advisory lock every PostgreSQL writer holds (see above): one fixed key, "LIAISON\0".
inline constexpr std::int64_t kWriterLockKey = 0x4C49'4149'534F'4E00;
// How long a PostgreSQL statement waits for a lock (the writer lock included) before failing.
inline constexpr int kPgLockTimeoutMs = 5000;

class Statement {
public:
    enum class Step { kRow, kDone, kError };

    Statement() = default;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are 1-based, as in SQLite. On PostgreSQL every value is sent as text (blobs
    // hex-escaped) and the server's type inference decides what it is. Text and blobs are copied
    // (SQLITE_TRANSIENT) unless the _static variant is used, which requires the bytes to outlive
    // the next step/reset.
    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, std::string_view text);
    Statement& bind_static(int i, std::string_view text);
    Statement& bind_blob(int i, const void* data, std::size_t size);
    Statement& bind_blob_static(int i, const void* data, std::size_t size);
    Statement& bind_null(int i);
    Statement& bind(int i, const Value& v);

    Step step();
    // Steps to completion; for statements that return no rows.
    Status run();
    // Steps to completion a statement whose RETURNING clause gives one integer (the key a row
    // was given: both engines have RETURNING, and only SQLite has a last-insert rowid); that
    // integer, or an error when it gave no row.
    Result<std::int64_t> run_returning_int();
    void reset();  // resets and clears bindings

    int column_count() const;
    bool column_is_null(int i) const;
    std::int64_t column_int(int i) const;
    std::string column_text(int i) const;
    std::string_view column_text_view(int i) const;  // valid until the next step/reset
    std::string_view column_blob(int i) const;       // valid until the next step/reset
    Value column_value(int i) const;                 // integer, text, or null (blobs as text)
    // On PostgreSQL: int8, int4, int2, bool and whole numerics read as integers; bytea as its
    // bytes (column_blob, column_text_view and column_value alike); every other type as text.

    // Detail of the last failure, for Status messages (on PostgreSQL: its message and SQLSTATE).
    std::string error() const;

private:
    friend class Database;
    // The end of run(): an error's status (the statement reset), or ok.
    Status finish(Step s);
    using PgPtr = std::unique_ptr<PgStatement, void (*)(PgStatement*)>;
    Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
    explicit Statement(PgPtr pg) : pg_(std::move(pg)) {}
    sqlite3_stmt* stmt_ = nullptr;
    sqlite3* db_ = nullptr;
    PgPtr pg_{nullptr, nullptr};  // set on PostgreSQL, where stmt_ and db_ are null
};

struct OpenOptions {
    bool create = true;
    bool wal = false;  // server: WAL; browser builds have no WAL
    bool read_only = false;
    // synchronous: FULL when an acknowledgement must survive power loss; NORMAL otherwise.
    bool synchronous_full = false;
    // Page cache in KiB. SQLite's default (2 MiB) makes a busy store reread pages from the OS
    // on nearly every write; 64 MiB keeps a server's hot indexes in memory.
    int cache_kib = 64 * 1024;
};

class Database {
public:
    // Opens (and with `create`, makes) the file. ":memory:" opens a private in-memory database.
    // A postgresql:// or postgres:// URL (libpq's syntax) opens a connection to an existing
    // PostgreSQL database instead, on native builds only: the WebAssembly build answers such a
    // URL with kStorage. On PostgreSQL `read_only` makes every transaction read-only; `create`,
    // `wal`, `synchronous_full` and `cache_kib` are the database server's own settings.
    static Result<std::unique_ptr<Database>> open(const std::string& path, const OpenOptions& opts);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more statements that return no rows.
    Status exec(std::string_view sql);
    // PostgreSQL only: runs PostgreSQL's own SQL as it is, untranslated (the record's layout
    // there, core/storage/layout.hpp); on SQLite, an error.
    Status exec_postgres(std::string_view sql);
    // A statement prepared once and reused; reset before it is returned. A caller that stops
    // stepping before SQLITE_DONE must reset() it: a statement left on a row holds a read
    // snapshot, and in WAL mode nothing can be checkpointed past it.
    // Requires: `sql` is a string literal or otherwise outlives the Database (keyed by address).
    Statement& cached(const char* sql);
    // Like cached(), for SQL built at run time (keyed by content).
    Statement& cached(const std::string& sql);
    Result<Statement> prepare(std::string_view sql);

    Backend backend() const { return pg_ ? Backend::kPostgres : Backend::kSqlite; }

    // Rows changed by the last INSERT, UPDATE or DELETE.
    std::int64_t changes() const;
    // Whether a transaction is open on the connection (on PostgreSQL: also one a failed
    // statement aborted, until its ROLLBACK).
    bool in_transaction() const;
    // The file, or the URL with any password replaced by "***".
    const std::string& path() const { return path_; }
    std::string error() const;
    // Single integer query helper (e.g. PRAGMA user_version); nullopt on error or no row.
    std::optional<std::int64_t> query_int(std::string_view sql);
    // SQLite library version, e.g. "3.52.0" (whichever backend is open).
    static const char* library_version();

    // Statement timing, for benchmarks and diagnostics (bench/replica_report_bench.cpp): with a
    // sink, each statement the connection runs reports its SQL text and the wall-clock time
    // from its first step to its end (done, reset or finalized), once per run. An empty sink
    // stops it. Off by default: the connection then measures nothing. On PostgreSQL the time is
    // the statement's round trip (its rows are fetched whole), and the SQL is as written.
    using StatementSink = std::function<void(std::string_view sql, double ms)>;
    void set_statement_sink(StatementSink sink);

    // PostgreSQL only (on SQLite it is never called): `hook` runs before each command the
    // connection sends — a statement's run, exec(), COMMIT — and not for the commands it sends
    // itself. The store flushes its deferred writes there (Store::flush_creates), so that
    // every statement sees them. An empty hook removes it.
    void set_before_command(std::function<void()> hook);

private:
    friend class Transaction;
    friend class ReadTxn;
    Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    Database(std::shared_ptr<PgConnection> pg, std::string url);
    static int on_trace(unsigned type, void* self, void* stmt, void* extra);
    Statement& cache(std::unique_ptr<Statement>& slot, const char* sql);
    Statement& cache_pg(Statement& slot, std::string_view sql);
    Status begin_write();
    Status begin_read();
    Status commit_txn();
    sqlite3* db_ = nullptr;
    std::shared_ptr<PgConnection> pg_;  // set on PostgreSQL, where db_ is null
    std::string path_;
    StatementSink sink_;
    std::unordered_map<void*, double> started_ms_;  // statement -> when its run began
    std::unordered_map<const char*, std::unique_ptr<Statement>> by_address_;
    std::unordered_map<std::string, std::unique_ptr<Statement>> by_text_;
};

// BEGIN IMMEDIATE on construction (on PostgreSQL: BEGIN and the writer lock, see the top of
// this file); ROLLBACK on destruction unless committed.
// Nested use is not supported: Requires: !db.in_transaction().
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    const Status& begun() const { return begin_status_; }
    Status commit();
    void rollback();  // no-op if already committed or rolled back
    Database& db() { return db_; }

private:
    Database& db_;
    Status begin_status_;
    bool done_ = false;
};

// A read transaction (deferred BEGIN ... COMMIT): every statement inside sees one snapshot,
// and the file's locks are taken once for all of them instead of once per statement (in WAL
// mode each autocommit statement costs a shared-memory lock round trip). Never fails: if it
// cannot begin, statements run in autocommit as they would without it.
// Requires: no transaction is open on `db`; nothing writes while it is open.
class ReadTxn {
public:
    explicit ReadTxn(Database& db);
    ~ReadTxn();
    ReadTxn(const ReadTxn&) = delete;
    ReadTxn& operator=(const ReadTxn&) = delete;

private:
    Database& db_;
    bool open_ = false;
};

// Whether `s` is a postgresql:// or postgres:// URL (Database::open's PostgreSQL case) rather
// than a file name.
bool is_postgres_url(const std::string& s);

// "(?first,?first+1,...)": the placeholders of an IN list of n bound values.
std::string in_list(std::size_t n, int first);

}  // namespace liaison::core
