#include "core/storage/postgres.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <cstdlib>

namespace liaison::core {

namespace {

// Type OIDs (PostgreSQL's pg_type.dat: fixed since the first releases).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kNumericOid = 1700;

// "message (SQLSTATE 23505): detail" from a failed result.
std::string describe_failure(const PGresult* res, const PGconn* conn) {
    const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const char* detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : nullptr;
    std::string s = primary ? primary : PQerrorMessage(conn);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    if (state) {
        s += " (SQLSTATE ";
        s += state;
        s += ')';
    }
    if (detail) {
        s += ": ";
        s += detail;
    }
    return s;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The notices PostgreSQL sends (e.g. "relation already exists, skipping") are not errors; by
// default libpq prints them on stderr.
void ignore_notice(void*, const char*) {}

}  // namespace

Result<std::shared_ptr<PgConnection>> PgConnection::open(const std::string& url,
                                                         const OpenOptions& opts) {
    PGconn* raw = PQconnectdb(url.c_str());
    if (!raw || PQstatus(raw) != CONNECTION_OK) {
        std::string msg = raw ? PQerrorMessage(raw) : "out of memory";
        while (!msg.empty() && msg.back() == '\n') msg.pop_back();
        PQfinish(raw);
        return Status::storage(msg);
    }
    std::shared_ptr<PgConnection> c(new PgConnection(raw));
    PQsetNoticeProcessor(raw, &ignore_notice, nullptr);
    if (PQsetClientEncoding(raw, "UTF8") != 0) return Status::storage("cannot use UTF-8");
    // bytea as hex (the default since 9.0, set in case a server says otherwise); waits for
    // locks bounded (database.hpp).
    std::string settings =
        "SET bytea_output = 'hex'; SET lock_timeout = " + std::to_string(kPgLockTimeoutMs) + ";";
    if (opts.read_only) settings += "SET default_transaction_read_only = on;";
    LIAISON_TRY(c->exec_native(settings));
    return c;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::absorb(PGresult* res) {
    const auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        error_ = describe_failure(res, conn_);
        return false;
    }
    // SQLite's changes() counts the last INSERT, UPDATE or DELETE; a SELECT leaves it.
    const std::string_view tag = PQcmdStatus(res);
    if (tag.rfind("INSERT", 0) == 0 || tag.rfind("UPDATE", 0) == 0 || tag.rfind("DELETE", 0) == 0 ||
        tag.rfind("MERGE", 0) == 0)
        changes_ = std::atoll(PQcmdTuples(res));
    return true;
}

void PgConnection::report(std::string_view sql, double started_ms) const {
    if (sink_ && *sink_) (*sink_)(sql, steady_ms() - started_ms);
}

void PgConnection::before_command() {
    if (!before_ || in_before_) return;
    in_before_ = true;
    before_();
    in_before_ = false;
}

Status PgConnection::exec_native(const std::string& sql) {
    before_command();
    const double t0 = sink_ ? steady_ms() : 0;
    PGresult* res = PQexec(conn_, sql.c_str());
    const bool ok = absorb(res);
    PQclear(res);
    report(sql, t0);
    if (!ok) remember_failure();
    if (ok && PQtransactionStatus(conn_) == PQTRANS_IDLE) first_failure_.clear();  // ROLLBACK
    return ok ? Status::ok() : Status::storage(error_);
}

Status PgConnection::exec(std::string_view sqlite_sql) {
    auto pg = translate_for_postgres(sqlite_sql);
    if (!pg) {
        error_ = pg.status().detail();
        return Status::storage(error_);
    }
    if (pg->params > 0) {
        error_ = "exec() takes no parameters: " + std::string(sqlite_sql.substr(0, 120));
        return Status::storage(error_);
    }
    return exec_native(pg->text);
}

Status PgConnection::commit() {
    before_command();
    const std::string first = std::move(first_failure_);
    first_failure_.clear();
    PGresult* res = PQexec(conn_, "COMMIT");
    bool ok = absorb(res);
    // An aborted transaction's COMMIT succeeds as a ROLLBACK: nothing was written.
    if (ok && std::string_view(PQcmdStatus(res)) != "COMMIT") {
        error_ = "the transaction was aborted by an earlier failure and rolled back";
        if (!first.empty()) error_ += " (" + first + ")";
        ok = false;
    }
    PQclear(res);
    return ok ? Status::ok() : Status::storage(error_);
}

void PgConnection::remember_failure() {
    if (first_failure_.empty() && PQtransactionStatus(conn_) == PQTRANS_INERROR)
        first_failure_ = error_;
}

bool PgConnection::in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

Result<std::unique_ptr<PgStatement>> PgConnection::prepare(std::string_view sqlite_sql,
                                                           bool keep_failed) {
    // Held by the statement, which may outlive the Database (as SQLite's close_v2 allows).
    auto self = shared_from_this();
    auto pg = translate_for_postgres(sqlite_sql);
    std::unique_ptr<PgStatement> st(new PgStatement(
        self, std::string(sqlite_sql), pg ? std::move(pg.value()) : PgSql{}, keep_failed));
    if (!pg) {
        st->refused_ = pg.status().detail();
        st->error_ = st->refused_;
        error_ = st->refused_;
        if (keep_failed) return st;
        return Status::storage(error_);
    }
    if (!st->ensure_prepared() && !keep_failed) return Status::storage(st->error_);
    return st;
}

PgStatement::~PgStatement() {
    PQclear(result_);
    // A statement prepared for one use is released on the server; cached ones live as long as
    // the connection. In an aborted transaction the DEALLOCATE would fail too: the name then
    // stays until the connection closes.
    if (!cached_ && !name_.empty() && PQtransactionStatus(conn_->conn_) != PQTRANS_INERROR)
        PQclear(PQexec(conn_->conn_, ("DEALLOCATE " + name_).c_str()));
}

bool PgStatement::ensure_prepared() {
    if (!refused_.empty()) {
        error_ = refused_;
        return false;
    }
    if (!name_.empty()) return true;
    std::string name = "l";
    name += std::to_string(conn_->next_name_++);
    PGresult* res = PQprepare(conn_->conn_, name.c_str(), pg_.text.c_str(), 0, nullptr);
    const bool ok = conn_->absorb(res);
    PQclear(res);
    if (!ok) {
        error_ = conn_->error_ + ", in: " + sql_.substr(0, 240);
        conn_->error_ = error_;
        conn_->remember_failure();
        return false;
    }
    name_ = std::move(name);
    return true;
}

void PgStatement::bind_int(int i, std::int64_t v) {
    if (i < 1 || i > pg_.params) return;  // as SQLite: out of range binds nothing
    values_[std::size_t(i - 1)] = std::to_string(v);
    bound_[std::size_t(i - 1)] = true;
}

void PgStatement::bind_text(int i, std::string_view t) {
    if (i < 1 || i > pg_.params) return;
    values_[std::size_t(i - 1)].assign(t.data(), t.size());
    bound_[std::size_t(i - 1)] = true;
}

void PgStatement::bind_blob(int i, const void* data, std::size_t size) {
    if (i < 1 || i > pg_.params) return;
    static constexpr char kHex[] = "0123456789abcdef";
    auto& v = values_[std::size_t(i - 1)];
    v.resize(2 + 2 * size);
    v[0] = '\\';
    v[1] = 'x';
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t k = 0; k < size; ++k) {
        v[2 + 2 * k] = kHex[p[k] >> 4];
        v[3 + 2 * k] = kHex[p[k] & 15];
    }
    bound_[std::size_t(i - 1)] = true;
}

void PgStatement::bind_null(int i) {
    if (i < 1 || i > pg_.params) return;
    bound_[std::size_t(i - 1)] = false;
}

Statement::Step PgStatement::step() {
    if (result_ && !done_) {
        if (++row_ < rows_) return Statement::Step::kRow;
        done_ = true;
        return Statement::Step::kDone;
    }
    rewind();
    if (!ensure_prepared()) return Statement::Step::kError;
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size());
    for (std::size_t k = 0; k < values_.size(); ++k) {
        values[k] = bound_[k] ? values_[k].c_str() : nullptr;  // unbound is NULL, as in SQLite
        lengths[k] = int(values_[k].size());
    }
    conn_->before_command();
    const double t0 = conn_->sink_ ? steady_ms() : 0;
    PGresult* res = PQexecPrepared(conn_->conn_, name_.c_str(), pg_.params, values.data(),
                                   lengths.data(), nullptr, 0);
    const bool ok = conn_->absorb(res);
    conn_->report(sql_, t0);
    if (!ok) {
        error_ = conn_->error_ + ", in: " + sql_.substr(0, 240);
        conn_->error_ = error_;
        conn_->remember_failure();
        PQclear(res);
        return Statement::Step::kError;
    }
    result_ = res;
    rows_ = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : 0;
    row_ = 0;
    decoded_.assign(std::size_t(PQnfields(res)), std::string());
    decoded_row_.assign(std::size_t(PQnfields(res)), -1);
    if (rows_ > 0) return Statement::Step::kRow;
    done_ = true;
    return Statement::Step::kDone;
}

void PgStatement::rewind() {
    PQclear(result_);
    result_ = nullptr;
    rows_ = 0;
    row_ = -1;
    done_ = false;
}

void PgStatement::reset() {
    rewind();
    for (std::size_t k = 0; k < bound_.size(); ++k) bound_[k] = false;
}

int PgStatement::column_count() {
    if (result_) return PQnfields(result_);
    if (described_columns_ < 0 && ensure_prepared()) {
        PGresult* res = PQdescribePrepared(conn_->conn_, name_.c_str());
        if (conn_->absorb(res)) described_columns_ = PQnfields(res);
        PQclear(res);
    }
    return described_columns_ < 0 ? 0 : described_columns_;
}

bool PgStatement::cell(int i) const {
    return result_ && !done_ && row_ >= 0 && row_ < rows_ && i >= 0 && i < PQnfields(result_);
}

bool PgStatement::column_is_null(int i) const { return !cell(i) || PQgetisnull(result_, row_, i); }

std::int64_t PgStatement::column_int(int i) const {
    if (column_is_null(i)) return 0;
    const char* p = PQgetvalue(result_, row_, i);
    const int n = PQgetlength(result_, row_, i);
    if (PQftype(result_, i) == kBoolOid) return p[0] == 't' ? 1 : 0;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(p, p + n, v);
    // As SQLite reads text as a number: its leading integer, or a real truncated toward zero.
    if (ec == std::errc() && (end == p + n || (*end != '.' && *end != 'e' && *end != 'E')))
        return v;
    return std::int64_t(std::strtod(std::string(p, std::size_t(n)).c_str(), nullptr));
}

std::string_view PgStatement::column_text_view(int i) const {
    if (column_is_null(i)) return {};
    const char* p = PQgetvalue(result_, row_, i);
    const auto n = std::size_t(PQgetlength(result_, row_, i));
    if (PQftype(result_, i) != kByteaOid) return {p, n};
    // bytea's text form is "\x" and two hex digits a byte (bytea_output = hex: open()).
    auto& bytes = decoded_[std::size_t(i)];
    if (decoded_row_[std::size_t(i)] != row_) {
        bytes.clear();
        for (std::size_t k = 2; k + 1 < n; k += 2)
            bytes += char(hex_value(p[k]) * 16 + hex_value(p[k + 1]));
        decoded_row_[std::size_t(i)] = row_;
    }
    return bytes;
}

Value PgStatement::column_value(int i) const {
    if (column_is_null(i)) return std::monostate{};
    switch (PQftype(result_, i)) {
        case kBoolOid:
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
        case kOidOid:
            return column_int(i);
        case kNumericOid: {  // sum() of integers is numeric: whole values read as integers
            const std::string_view t = column_text_view(i);
            if (t.find_first_of(".eE") == std::string_view::npos) return column_int(i);
            return std::string(t);
        }
        default:
            return std::string(column_text_view(i));
    }
}

}  // namespace liaison::core
