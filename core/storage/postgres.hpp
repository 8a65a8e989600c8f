// The PostgreSQL side of the database seam (database.hpp), over libpq. Only
// core/storage/database.cpp and this module's own source use it; native builds only (the
// WebAssembly build does not compile postgres.cpp, nor link libpq).
//
// Statements are prepared on the server (PQprepare, named per connection) from SQL translated
// out of SQLite's dialect (pg_sql.hpp), their parameters sent as text. Rows come back in text
// format: every type the store reads (integers, whole numerics from sum(), booleans, text,
// bytea) has a simple text form, where the binary one would need a decoder per type (numeric's
// is base-10000 digit groups); bytea's hex text is decoded to bytes only when a column is read.
//
// A statement's rows are fetched whole at its first step and kept until it is reset or runs
// again. Row by row (single-row mode) cannot work here: callers interleave statements, an
// outer one still stepping while inner ones run on the same connection, and libpq allows no
// other command on a connection until a single-row result has been read to its end.
//
// Ownership: a PgStatement holds its connection (shared), so one that outlives its Database
// still finds it. Thread-safety: as the Database, one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/database.hpp"
#include "core/storage/pg_sql.hpp"

struct pg_conn;
struct pg_result;

namespace liaison::core {

class PgConnection : public std::enable_shared_from_this<PgConnection> {
public:
    static Result<std::shared_ptr<PgConnection>> open(const std::string& url,
                                                      const OpenOptions& opts);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // SQLite-dialect statements (translated), or PostgreSQL's own (run as they are).
    Status exec(std::string_view sqlite_sql);
    Status exec_native(const std::string& sql);
    // COMMIT, failing when PostgreSQL answers that it rolled back (an aborted transaction).
    Status commit();
    // A prepared statement; with `keep_failed`, a statement whose preparation failed is still
    // returned, carrying the failure to its first step (cached statements: database.hpp).
    Result<std::unique_ptr<PgStatement>> prepare(std::string_view sqlite_sql, bool keep_failed);

    std::int64_t changes() const { return changes_; }
    bool in_transaction() const;
    const std::string& error() const { return error_; }
    void set_sink(const Database::StatementSink* sink) { sink_ = sink; }
    // Database::set_before_command: run before each command this connection sends.
    void set_before_command(std::function<void()> hook) { before_ = std::move(hook); }

private:
    friend class PgStatement;
    explicit PgConnection(pg_conn* conn) : conn_(conn) {}
    // Reads a finished command's result: changes() for INSERT/UPDATE/DELETE, the failure's
    // message and SQLSTATE into error_. False when the command failed.
    bool absorb(pg_result* res);
    void report(std::string_view sql, double started_ms) const;
    // Keeps error_ as the failure that aborted the open transaction, if it is the first: every
    // later statement fails only because of it, and commit() names it.
    void remember_failure();
    // The before-command hook, not re-entered by the commands it sends itself.
    void before_command();
    pg_conn* conn_ = nullptr;
    std::function<void()> before_;
    bool in_before_ = false;
    std::string first_failure_;
    std::int64_t changes_ = 0;
    std::uint64_t next_name_ = 0;
    std::string error_;
    const Database::StatementSink* sink_ = nullptr;
};

class PgStatement {
public:
    ~PgStatement();
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;

    void bind_int(int i, std::int64_t v);
    void bind_text(int i, std::string_view text);
    void bind_blob(int i, const void* data, std::size_t size);
    void bind_null(int i);
    Statement::Step step();
    void rewind();  // forgets the rows; keeps the bindings (sqlite3_reset)
    void reset();   // and clears the bindings (sqlite3_reset + sqlite3_clear_bindings)

    int column_count();
    bool column_is_null(int i) const;
    std::int64_t column_int(int i) const;
    std::string_view column_text_view(int i) const;
    std::string_view column_blob(int i) const { return column_text_view(i); }
    Value column_value(int i) const;
    const std::string& error() const { return error_; }

private:
    friend class PgConnection;
    PgStatement(std::shared_ptr<PgConnection> conn, std::string sql, PgSql translated, bool cached)
        : conn_(std::move(conn)),
          sql_(std::move(sql)),
          pg_(std::move(translated)),
          cached_(cached),
          values_(std::size_t(pg_.params)),
          bound_(std::size_t(pg_.params), false) {}
    bool ensure_prepared();
    bool cell(int i) const;  // is (current row, i) readable
    std::shared_ptr<PgConnection> conn_;
    std::string sql_;  // as written (SQLite's dialect), for the sink and messages
    PgSql pg_;
    bool cached_;
    std::string name_;     // empty until prepared on the server
    std::string refused_;  // a translation refusal: every step fails with it
    std::vector<std::string> values_;
    std::vector<bool> bound_;
    pg_result* result_ = nullptr;
    int rows_ = 0;
    int row_ = -1;
    bool done_ = false;  // stepped past the last row: the next step runs it again
    int described_columns_ = -1;
    mutable std::vector<std::string> decoded_;  // bytea cells of the current row, as bytes
    mutable std::vector<int> decoded_row_;
    std::string error_;
};

}  // namespace liaison::core
