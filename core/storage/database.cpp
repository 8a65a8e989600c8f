#include "core/storage/database.hpp"

#include <sqlite3.h>

#include <cassert>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#if LIAISON_POSTGRES
#include "core/storage/postgres.hpp"
// A PostgreSQL statement or connection answers for itself; the SQLite code below it is then
// skipped. The check is one predictable branch on SQLite's path (merge_bench: docs/STORAGE.md).
#define LIAISON_ON_PG(what) \
    if (pg_) [[unlikely]] { \
        what;               \
    }
namespace liaison::core {
namespace {
void delete_pg(PgStatement* p) { delete p; }
}  // namespace
}  // namespace liaison::core
#else
// The WebAssembly build has no PostgreSQL (no libpq): pg_ is never set there.
#define LIAISON_ON_PG(what)
#endif

namespace liaison::core {

bool is_postgres_url(const std::string& s) {
    return s.rfind("postgresql://", 0) == 0 || s.rfind("postgres://", 0) == 0;
}

namespace {
// The URL as shown in messages and path(): "user:secret@" becomes "user:***@".
std::string redact_url(const std::string& url) {
    const auto scheme = url.find("://");
    const auto at = url.find('@', scheme + 3);
    if (scheme == std::string::npos || at == std::string::npos) return url;
    const auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}
}  // namespace

Statement::Statement(Statement&& o) noexcept : stmt_(o.stmt_), db_(o.db_), pg_(std::move(o.pg_)) {
    o.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& o) noexcept {
    if (this != &o) {
        if (stmt_) sqlite3_finalize(stmt_);
        stmt_ = o.stmt_;
        db_ = o.db_;
        pg_ = std::move(o.pg_);
        o.stmt_ = nullptr;
    }
    return *this;
}

Statement::~Statement() {
    if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int i, std::int64_t v) {
    LIAISON_ON_PG(pg_->bind_int(i, v); return *this)
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
}
Statement& Statement::bind(int i, std::string_view t) {
    LIAISON_ON_PG(pg_->bind_text(i, t); return *this)
    sqlite3_bind_text(stmt_, i, t.data(), int(t.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bind_static(int i, std::string_view t) {
    LIAISON_ON_PG(pg_->bind_text(i, t); return *this)
    sqlite3_bind_text(stmt_, i, t.data(), int(t.size()), SQLITE_STATIC);
    return *this;
}
Statement& Statement::bind_blob(int i, const void* d, std::size_t n) {
    LIAISON_ON_PG(pg_->bind_blob(i, d, n); return *this)
    sqlite3_bind_blob(stmt_, i, d, int(n), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bind_blob_static(int i, const void* d, std::size_t n) {
    LIAISON_ON_PG(pg_->bind_blob(i, d, n); return *this)
    sqlite3_bind_blob(stmt_, i, d, int(n), SQLITE_STATIC);
    return *this;
}
Statement& Statement::bind_null(int i) {
    LIAISON_ON_PG(pg_->bind_null(i); return *this)
    sqlite3_bind_null(stmt_, i);
    return *this;
}
Statement& Statement::bind(int i, const Value& v) {
    if (auto p = std::get_if<std::int64_t>(&v)) return bind(i, *p);
    if (auto s = std::get_if<std::string>(&v)) return bind(i, std::string_view(*s));
    return bind_null(i);
}

Statement::Step Statement::step() {
    LIAISON_ON_PG(return pg_->step())
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return Step::kRow;
    if (rc == SQLITE_DONE) return Step::kDone;
    return Step::kError;
}

Result<std::int64_t> Statement::run_returning_int() {
    std::optional<std::int64_t> first;
    Step s;
    while ((s = step()) == Step::kRow)
        if (!first) first = column_int(0);
    LIAISON_TRY(finish(s));
    if (!first) return Status::storage("the statement returned no row");
    return *first;
}

Status Statement::run() {
    Step s;
    while ((s = step()) == Step::kRow) {
    }
    return finish(s);
}

Status Statement::finish(Step s) {
    if (s == Step::kError) {
        Status st = Status::storage(error());
        LIAISON_ON_PG(pg_->rewind(); return st)
        sqlite3_reset(stmt_);
        return st;
    }
    return Status::ok();
}

void Statement::reset() {
    LIAISON_ON_PG(pg_->reset(); return )
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int Statement::column_count() const {
    LIAISON_ON_PG(return pg_->column_count())
    return sqlite3_column_count(stmt_);
}
bool Statement::column_is_null(int i) const {
    LIAISON_ON_PG(return pg_->column_is_null(i))
    return sqlite3_column_type(stmt_, i) == SQLITE_NULL;
}
std::int64_t Statement::column_int(int i) const {
    LIAISON_ON_PG(return pg_->column_int(i))
    return sqlite3_column_int64(stmt_, i);
}
std::string Statement::column_text(int i) const { return std::string(column_text_view(i)); }
std::string_view Statement::column_text_view(int i) const {
    LIAISON_ON_PG(return pg_->column_text_view(i))
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    if (!p) return {};
    return {p, std::size_t(sqlite3_column_bytes(stmt_, i))};
}
std::string_view Statement::column_blob(int i) const {
    LIAISON_ON_PG(return pg_->column_blob(i))
    auto p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
    if (!p) return {};
    return {p, std::size_t(sqlite3_column_bytes(stmt_, i))};
}
Value Statement::column_value(int i) const {
    LIAISON_ON_PG(return pg_->column_value(i))
    switch (sqlite3_column_type(stmt_, i)) {
        case SQLITE_NULL:
            return std::monostate{};
        case SQLITE_INTEGER:
            return column_int(i);
        case SQLITE_BLOB:
            return std::string(column_blob(i));
        default:
            return column_text(i);
    }
}

std::string Statement::error() const {
    LIAISON_ON_PG(return pg_->error())
    return db_ ? std::string(sqlite3_errmsg(db_)) : std::string("no statement");
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, const OpenOptions& o) {
    if (is_postgres_url(path)) {
#if LIAISON_POSTGRES
        auto pg = PgConnection::open(path, o);
        if (!pg)
            return Status::storage("cannot open " + redact_url(path) + ": " + pg.status().detail());
        return std::unique_ptr<Database>(new Database(std::move(pg.value()), redact_url(path)));
#else
        return Status::storage("cannot open " + redact_url(path) +
                               ": this build has no PostgreSQL client (WebAssembly: SQLite only)");
#endif
    }
    sqlite3* raw = nullptr;
    int flags = o.read_only ? SQLITE_OPEN_READONLY
                            : (SQLITE_OPEN_READWRITE | (o.create ? SQLITE_OPEN_CREATE : 0));
    flags |= SQLITE_OPEN_NOMUTEX;  // one thread per connection: our contract, see the header
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        sqlite3_close(raw);
        return Status::storage("cannot open " + path + ": " + msg);
    }
    std::unique_ptr<Database> db(new Database(raw, path));
    sqlite3_busy_timeout(raw, 5000);
    sqlite3_extended_result_codes(raw, 1);
    std::string pragmas = "PRAGMA secure_delete=ON; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-" +
                          std::to_string(o.cache_kib) + ";";
    if (!o.read_only) {
        if (o.wal) pragmas += "PRAGMA journal_mode=WAL;";
        pragmas += o.synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
    }
    LIAISON_TRY(db->exec(pragmas));
    return db;
}

Database::Database(std::shared_ptr<PgConnection> pg, std::string url)
    : pg_(std::move(pg)), path_(std::move(url)) {}

Database::~Database() {
    // Statements may outlive this, and the sink and hook with it.
    LIAISON_ON_PG(pg_->set_sink(nullptr); pg_->set_before_command(nullptr))
    if (sink_ && db_) sqlite3_trace_v2(db_, 0, nullptr, nullptr);  // the sink may be gone already
    by_address_.clear();
    by_text_.clear();
    if (db_) sqlite3_close_v2(db_);
}

Status Database::exec(std::string_view sql) {
    LIAISON_ON_PG(return pg_->exec(sql))
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        return Status::storage(msg);
    }
    return Status::ok();
}

Status Database::exec_postgres(std::string_view sql) {
    LIAISON_ON_PG(return pg_->exec_native(std::string(sql)))
    return Status(Code::kInternal,
                  "PostgreSQL's own SQL given to SQLite: " + std::string(sql.substr(0, 60)));
}

Statement& Database::cached(const char* sql) { return cache(by_address_[sql], sql); }

Statement& Database::cached(const std::string& sql) { return cache(by_text_[sql], sql.c_str()); }

Statement& Database::cache(std::unique_ptr<Statement>& slot, const char* sql) {
    if (slot) {
        slot->reset();
        return *slot;
    }
    slot = std::make_unique<Statement>();
    LIAISON_ON_PG(return cache_pg(*slot, sql))
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    // A cached statement is fixed SQL written by us: failing to prepare it is a bug.
    assert(rc == SQLITE_OK && "cached statement failed to prepare");
    (void)rc;
    *slot = Statement(st, db_);
    return *slot;
}

Result<Statement> Database::prepare(std::string_view sql) {
#if LIAISON_POSTGRES
    if (pg_) {
        auto st = pg_->prepare(sql, false);
        if (!st) return st.status();
        return Statement(Statement::PgPtr(st.value().release(), &delete_pg));
    }
#endif
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), int(sql.size()), &st, nullptr);
    if (rc != SQLITE_OK) return Status::storage(sqlite3_errmsg(db_));
    return Statement(st, db_);
}

// A cached statement is fixed SQL written by us, so on SQLite failing to prepare it is a bug
// (an assert). On PostgreSQL it may be SQL the translation refuses or the server rejects (the
// store's SQLite-only statements, until they are ported): the statement is kept and each step
// fails with the reason, naming the construct and the statement.
Statement& Database::cache_pg(Statement& slot, std::string_view sql) {
#if LIAISON_POSTGRES
    auto st = pg_->prepare(sql, true);
    if (st) slot.pg_ = Statement::PgPtr(st.value().release(), &delete_pg);
#else
    (void)sql;
#endif
    return slot;
}

std::int64_t Database::changes() const {
    LIAISON_ON_PG(return pg_->changes())
    return sqlite3_changes64(db_);
}
bool Database::in_transaction() const {
    LIAISON_ON_PG(return pg_->in_transaction())
    return !sqlite3_get_autocommit(db_);
}
std::string Database::error() const {
    LIAISON_ON_PG(return pg_->error())
    return sqlite3_errmsg(db_);
}

double steady_ms() {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// SQLite's own profile time counts whole milliseconds of its VFS clock: the many short runs of
// a reused statement would sum to nothing. The start (SQLITE_TRACE_STMT, at the first step) and
// the end (SQLITE_TRACE_PROFILE) are timed here with the steady clock instead.
int Database::on_trace(unsigned type, void* self, void* stmt, void*) {
    auto* db = static_cast<Database*>(self);
    if (type == SQLITE_TRACE_STMT) {
        db->started_ms_[stmt] = steady_ms();
    } else if (type == SQLITE_TRACE_PROFILE) {
        auto it = db->started_ms_.find(stmt);
        if (it == db->started_ms_.end()) return 0;
        const double ms = steady_ms() - it->second;
        db->started_ms_.erase(it);
        const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
        if (db->sink_) db->sink_(sql ? std::string_view(sql) : std::string_view(), ms);
    }
    return 0;
}

void Database::set_statement_sink(StatementSink sink) {
    sink_ = std::move(sink);
    started_ms_.clear();
    LIAISON_ON_PG(pg_->set_sink(sink_ ? &sink_ : nullptr); return )
    if (sink_)
        sqlite3_trace_v2(db_, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, &Database::on_trace, this);
    else
        sqlite3_trace_v2(db_, 0, nullptr, nullptr);
}

void Database::set_before_command(std::function<void()> hook) {
    LIAISON_ON_PG(pg_->set_before_command(std::move(hook)))
    (void)hook;
}

std::optional<std::int64_t> Database::query_int(std::string_view sql) {
    auto st = prepare(sql);
    if (!st) return std::nullopt;
    if (st->step() != Statement::Step::kRow) return std::nullopt;
    return st->column_int(0);
}

const char* Database::library_version() { return sqlite3_libversion(); }

Status Database::begin_write() {
    // Both in one round trip; if the lock times out, the transaction is rolled back here.
    LIAISON_ON_PG(Status s = pg_->exec_native("BEGIN; SELECT pg_advisory_xact_lock(" +
                                              std::to_string(kWriterLockKey) + ")");
                  if (!s.is_ok())(void) pg_->exec_native("ROLLBACK"); return s)
    return exec("BEGIN IMMEDIATE");
}

Status Database::begin_read() {
    LIAISON_ON_PG(return pg_->exec_native("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
    return exec("BEGIN");
}

Status Database::commit_txn() {
    LIAISON_ON_PG(return pg_->commit())
    return exec("COMMIT");
}

Transaction::Transaction(Database& db) : db_(db) {
    assert(!db.in_transaction() && "nested transactions are not supported");
    begin_status_ = db_.begin_write();
    if (!begin_status_.is_ok()) done_ = true;
}

Transaction::~Transaction() {
    if (!done_) (void)db_.exec("ROLLBACK");
}

void Transaction::rollback() {
    if (done_) return;
    done_ = true;
    (void)db_.exec("ROLLBACK");
}

Status Transaction::commit() {
    if (done_) return begin_status_.is_ok() ? Status::ok() : begin_status_;
    done_ = true;
    Status s = db_.commit_txn();
    if (!s.is_ok()) (void)db_.exec("ROLLBACK");
    return s;
}

ReadTxn::ReadTxn(Database& db) : db_(db) {
    assert(!db.in_transaction() && "nested transactions are not supported");
    open_ = db_.begin_read().is_ok();
}

ReadTxn::~ReadTxn() {
    if (open_ && !db_.commit_txn().is_ok()) (void)db_.exec("ROLLBACK");
}

std::string in_list(std::size_t n, int first) {
    std::string s = "(";
    for (std::size_t i = 0; i < n; ++i) s += (i ? ",?" : "?") + std::to_string(first + int(i));
    return s + ")";
}

}  // namespace liaison::core
