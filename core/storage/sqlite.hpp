// A narrow, RAII wrapper over SQLite. This folder is the only place that includes sqlite3.h;
// everything above it speaks Database, Statement and Transaction.
//
// Ownership: Database owns the connection and its cached statements; a Statement borrowed
// from `cached()` lives as long as the Database. Transactions are scoped: one that is not
// committed rolls back when it goes out of scope.
// Thread-safety: a Database is used by one thread at a time (the server serialises writers).
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

class Database;

class Statement {
public:
    enum class Step { kRow, kDone, kError };

    Statement() = default;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are 1-based, as in SQLite. Text and blobs are copied (SQLITE_TRANSIENT) unless
    // the _static variant is used, which requires the bytes to outlive the next step/reset.
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
    void reset();  // resets and clears bindings

    int column_count() const;
    bool column_is_null(int i) const;
    std::int64_t column_int(int i) const;
    std::string column_text(int i) const;
    std::string_view column_text_view(int i) const;  // valid until the next step/reset
    std::string_view column_blob(int i) const;       // valid until the next step/reset
    Value column_value(int i) const;                 // integer, text, or null (blobs as text)

    // Detail of the last failure, for Status messages.
    std::string error() const;

private:
    friend class Database;
    Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
    sqlite3_stmt* stmt_ = nullptr;
    sqlite3* db_ = nullptr;
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
    static Result<std::unique_ptr<Database>> open(const std::string& path, const OpenOptions& opts);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more statements that return no rows.
    Status exec(std::string_view sql);
    // A statement prepared once and reused; reset before it is returned. A caller that stops
    // stepping before SQLITE_DONE must reset() it: a statement left on a row holds a read
    // snapshot, and in WAL mode nothing can be checkpointed past it.
    // Requires: `sql` is a string literal or otherwise outlives the Database (keyed by address).
    Statement& cached(const char* sql);
    // Like cached(), for SQL built at run time (keyed by content).
    Statement& cached(const std::string& sql);
    Result<Statement> prepare(std::string_view sql);

    std::int64_t changes() const;
    std::int64_t last_insert_rowid() const;
    bool in_transaction() const;
    const std::string& path() const { return path_; }
    std::string error() const;
    // Single integer query helper (e.g. PRAGMA user_version); nullopt on error or no row.
    std::optional<std::int64_t> query_int(std::string_view sql);
    // SQLite library version, e.g. "3.52.0".
    static const char* library_version();

    // Statement timing, for benchmarks and diagnostics (bench/replica_report_bench.cpp): with a
    // sink, each statement the connection runs reports its SQL text and the wall-clock time
    // from its first step to its end (done, reset or finalized), once per run. An empty sink
    // stops it. Off by default: the connection then measures nothing.
    using StatementSink = std::function<void(std::string_view sql, double ms)>;
    void set_statement_sink(StatementSink sink);

private:
    Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    static int on_trace(unsigned type, void* self, void* stmt, void* extra);
    sqlite3* db_ = nullptr;
    std::string path_;
    StatementSink sink_;
    std::unordered_map<void*, double> started_ms_;  // statement -> when its run began
    std::unordered_map<const char*, std::unique_ptr<Statement>> by_address_;
    std::unordered_map<std::string, std::unique_ptr<Statement>> by_text_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless committed.
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

// "(?first,?first+1,...)": the placeholders of an IN list of n bound values.
std::string in_list(std::size_t n, int first);

}  // namespace liaison::core
