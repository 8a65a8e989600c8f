// The account tables (accounts.hpp): their schema and every statement on them.
#include "core/storage/accounts.hpp"

#include <algorithm>
#include <cstdlib>

#include "core/storage/statement_rows.hpp"
#include "core/util/text.hpp"

namespace liaison::core {
namespace {

// Version 1 of the account tables. AUTOINCREMENT: a deleted user's id is never reused, so an
// old audit row cannot be mistaken for a new user (on PostgreSQL an identity column: pg_sql.hpp).
// The column "user" is quoted in every statement: USER is a reserved word on PostgreSQL, and the
// quoted name is the same column on SQLite.
constexpr const char* kAccountsSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS server_users(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  regions TEXT NOT NULL DEFAULT '',
  stores TEXT NOT NULL DEFAULT '',
  brands TEXT NOT NULL DEFAULT '',
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS server_tokens(
  id TEXT PRIMARY KEY,
  "user" INTEGER NOT NULL REFERENCES server_users(id),
  device TEXT NOT NULL DEFAULT '',
  salt TEXT NOT NULL,
  hash TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS server_tokens_user ON server_tokens("user");
CREATE TABLE IF NOT EXISTS server_audit(
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '');
)sql";

// Version 2: each replica id belongs to the user and device (the token's device label) that
// first synced with it, never to a token, which may be revoked and issued again.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE IF NOT EXISTS server_replicas(
  replica BLOB PRIMARY KEY,
  "user" INTEGER NOT NULL,
  device TEXT NOT NULL,
  first_seen INTEGER NOT NULL) WITHOUT ROWID;
)sql";

// Version 3: the staff members each user may act as (docs/SYNC.md "Authorisation", A1). The
// links read back in the order they were made: on SQLite by rowid. A PostgreSQL table has no
// rowid, so there the table carries an identity column `n` that numbers the links in the same
// order (staff_order below). SQLite files keep their layout.
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE IF NOT EXISTS server_user_staff(
  "user" INTEGER NOT NULL REFERENCES server_users(id),
  staff TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  UNIQUE("user", staff));
)sql";
constexpr const char* kSchemaV3Postgres = R"sql(
CREATE TABLE IF NOT EXISTS server_user_staff(
  n INTEGER PRIMARY KEY,
  "user" INTEGER NOT NULL REFERENCES server_users(id),
  staff TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  UNIQUE("user", staff));
)sql";

// The column that orders a user's staff links as they were made (version 3).
std::string staff_order(const Database& db) {
    return db.backend() == Backend::kPostgres ? "n" : "rowid";
}

// Version 4: one-time sign-in codes (docs/OPERATIONS.md "Sign-in links"). Kept after use or
// expiry, so that the audit's code ids stay meaningful; a code is never stored, only its hash.
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE IF NOT EXISTS server_signin_codes(
  id TEXT PRIMARY KEY,
  "user" INTEGER NOT NULL REFERENCES server_users(id),
  device TEXT NOT NULL DEFAULT '',
  salt TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  token TEXT) WITHOUT ROWID;
)sql";

UserRow read_user(const Statement& st, int first) {
    return UserRow{st.column_int(first),         st.column_text(first + 1),
                   st.column_text(first + 2),    st.column_text(first + 3),
                   st.column_text(first + 4),    st.column_text(first + 5),
                   st.column_int(first + 6) != 0};
}

}  // namespace

bool holds_accounts(const FileInfo& file) {
    return file.has_table("server_users") && file.has_table("server_tokens");
}

Result<bool> hold_server_lock(Store& store) {
    if (store.db().backend() != Backend::kPostgres) return true;
    auto held =
        store.db().query_int("SELECT pg_try_advisory_lock(" + std::to_string(kServerLockKey) + ")");
    if (!held) return Status::storage("the server lock: " + store.db().error());
    return *held != 0;
}

bool has_accounts_schema(Store& store) { return store.meta_get(kAccountsSchemaKey).has_value(); }

Status ensure_accounts_schema(Store& store) {
    if (auto v = store.meta_get(kAccountsSchemaKey)) {
        int have = std::atoi(v->c_str());
        if (have > kAccountsSchemaVersion)
            return Status(Code::kUnsupportedVersion,
                          "the server tables were written by a newer liaison-server (version " +
                              *v + ", this build reads up to " +
                              std::to_string(kAccountsSchemaVersion) + ")");
        if (have == kAccountsSchemaVersion) return Status::ok();
    }
    AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    LIAISON_TRY(store.db().exec(kAccountsSchemaV1));
    LIAISON_TRY(store.db().exec(kSchemaV2));
    LIAISON_TRY(store.db().exec(store.db().backend() == Backend::kPostgres ? kSchemaV3Postgres
                                                                           : kSchemaV3));
    LIAISON_TRY(store.db().exec(kSchemaV4));
    LIAISON_TRY(store.meta_set(kAccountsSchemaKey, std::to_string(kAccountsSchemaVersion)));
    return t.commit();
}

namespace {

constexpr const char* kAccountsVersionKey = "accounts_version";

// The two parts of accounts_version(), as columns of a select list.
std::string version_columns() {
    return std::string("(SELECT value FROM meta WHERE key='") + kAccountsVersionKey +
           "'), (SELECT max(seq) FROM " + table_name(Kind::kStore) + ")";
}

std::string read_version(const Statement& st, int first) {
    return (st.column_is_null(first) ? std::string("0") : st.column_text(first)) + ":" +
           std::to_string(st.column_is_null(first + 1) ? 0 : st.column_int(first + 1));
}

// After a change to what tokens grant (see accounts_version).
Status bump_accounts_version(Store& store) {
    auto& st = store.db().cached(std::string("INSERT INTO meta(key, value) VALUES('") +
                                 kAccountsVersionKey +
                                 "', '1') ON CONFLICT(key) DO UPDATE SET value = "
                                 "CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)");
    return st.run();
}

// `changed` (a write's result), once the version is bumped.
template <typename T>
Result<T> bumped(Store& store, T changed) {
    LIAISON_TRY(bump_accounts_version(store));
    return changed;
}

}  // namespace

Result<std::string> accounts_version(Store& store) {
    auto& st = store.db().cached("SELECT " + version_columns());
    if (st.step() != Statement::Step::kRow) {
        std::string err = st.error();
        st.reset();
        return Status::storage("accounts version: " + err);
    }
    std::string v = read_version(st, 0);
    st.reset();
    return v;
}

Result<std::int64_t> insert_user(Store& store, const UserRow& user, std::int64_t created_at) {
    auto& st = store.db().cached(
        "INSERT INTO server_users(name, role, regions, stores, brands, created_at) "
        "VALUES(?1,?2,?3,?4,?5,?6) RETURNING id");
    st.bind(1, std::string_view(user.name))
        .bind(2, std::string_view(user.role))
        .bind(3, std::string_view(user.regions))
        .bind(4, std::string_view(user.stores))
        .bind(5, std::string_view(user.brands))
        .bind(6, created_at);
    return st.run_returning_int();
}

Result<bool> update_user_disabled(Store& store, std::int64_t user, bool disabled) {
    auto& st = store.db().cached("UPDATE server_users SET disabled=?2 WHERE id=?1");
    st.bind(1, user).bind(2, std::int64_t(disabled ? 1 : 0));
    LIAISON_TRY(st.run());
    return bumped(store, store.db().changes() != 0);
}

Result<bool> update_user_role(Store& store, std::int64_t user, std::string_view role) {
    auto& st = store.db().cached("UPDATE server_users SET role=?2 WHERE id=?1");
    st.bind(1, user).bind(2, role);
    LIAISON_TRY(st.run());
    return bumped(store, store.db().changes() != 0);
}

Result<bool> update_user_lists(Store& store, std::int64_t user, std::string_view regions,
                               std::string_view stores, std::string_view brands) {
    auto& st =
        store.db().cached("UPDATE server_users SET regions=?2, stores=?3, brands=?4 WHERE id=?1");
    st.bind(1, user).bind(2, regions).bind(3, stores).bind(4, brands);
    LIAISON_TRY(st.run());
    return bumped(store, store.db().changes() != 0);
}

Result<std::optional<UserRow>> find_user(Store& store, std::int64_t user) {
    auto& st = store.db().cached(
        "SELECT id, name, role, regions, stores, brands, disabled FROM server_users WHERE id=?1");
    st.bind(1, user);
    std::optional<UserRow> out;
    const auto step = st.step();
    if (step == Statement::Step::kRow) out = read_user(st, 0);
    std::string err = step == Statement::Step::kError ? st.error() : "";
    st.reset();
    if (step == Statement::Step::kError) return Status::storage("server_users: " + err);
    return out;
}

Result<std::vector<UserRow>> list_users(Store& store) {
    auto st = store.db().prepare(
        "SELECT id, name, role, regions, stores, brands, disabled FROM server_users ORDER BY id");
    if (!st) return st.status();
    std::vector<UserRow> out;
    LIAISON_TRY(each_row(st.value(), [&](const Statement& s) { out.push_back(read_user(s, 0)); }));
    return out;
}

Result<std::int64_t> count_users(Store& store) {
    auto n = store.db().query_int("SELECT count(*) FROM server_users");
    if (!n) return Status::storage("server_users: " + store.db().error());
    return *n;
}

Result<std::vector<std::string>> list_user_staff(Store& store, std::int64_t user) {
    auto& st = store.db().cached("SELECT staff FROM server_user_staff WHERE \"user\"=?1 ORDER BY " +
                                 staff_order(store.db()));
    st.bind(1, user);
    std::vector<std::string> out;
    Status s = each_row(st, [&](const Statement& row) { out.push_back(row.column_text(0)); });
    st.reset();
    if (!s) return s;
    return out;
}

Status replace_user_staff(Store& store, std::int64_t user, const std::vector<std::string>& staff,
                          std::int64_t at) {
    auto& clear = store.db().cached("DELETE FROM server_user_staff WHERE \"user\"=?1");
    clear.bind(1, user);
    LIAISON_TRY(clear.run());
    auto& add = store.db().cached(
        "INSERT OR IGNORE INTO server_user_staff(\"user\", staff, added_at) VALUES(?1,?2,?3)");
    for (const auto& id : staff) {
        add.reset();  // a statement is bound again only after a reset
        add.bind(1, user).bind(2, std::string_view(id)).bind(3, at);
        LIAISON_TRY(add.run());
    }
    return bump_accounts_version(store);
}

Status insert_token(Store& store, const NewToken& token) {
    auto& st = store.db().cached(
        "INSERT INTO server_tokens(id, \"user\", device, salt, hash, created_at) "
        "VALUES(?1,?2,?3,?4,?5,?6)");
    st.bind(1, std::string_view(token.id))
        .bind(2, token.user)
        .bind(3, std::string_view(token.device))
        .bind(4, std::string_view(token.salt))
        .bind(5, std::string_view(token.hash))
        .bind(6, token.created_at);
    return st.run();
}

Result<bool> mark_token_revoked(Store& store, std::string_view token_id, std::int64_t at) {
    auto& st = store.db().cached(
        "UPDATE server_tokens SET revoked=1, revoked_at=coalesce(revoked_at, ?2) WHERE id=?1");
    st.bind(1, token_id).bind(2, at);
    LIAISON_TRY(st.run());
    return bumped(store, store.db().changes() != 0);
}

Result<std::int64_t> revoke_device_tokens(Store& store, std::int64_t user, std::string_view device,
                                          std::int64_t at) {
    auto& st = store.db().cached(
        "UPDATE server_tokens SET revoked=1, revoked_at=?2 WHERE \"user\"=?1 AND device=?3 "
        "AND revoked=0");
    st.bind(1, user).bind(2, at).bind(3, device);
    LIAISON_TRY(st.run());
    return bumped(store, store.db().changes());
}

Result<std::vector<TokenRow>> list_tokens(Store& store, std::optional<std::int64_t> user) {
    // The CAST gives ?1 a type where it is first read: PostgreSQL infers none from IS NULL.
    auto st = store.db().prepare(
        "SELECT id, \"user\", device, revoked, created_at FROM server_tokens "
        "WHERE CAST(?1 AS INTEGER) IS NULL OR \"user\" = ?1 ORDER BY \"user\", created_at, id");
    if (!st) return st.status();
    if (user)
        st->bind(1, *user);
    else
        st->bind_null(1);
    std::vector<TokenRow> out;
    LIAISON_TRY(each_row(st.value(), [&](const Statement& s) {
        out.push_back(TokenRow{s.column_text(0), s.column_int(1), s.column_text(2),
                               s.column_int(3) != 0, s.column_int(4)});
    }));
    return out;
}

Result<std::unique_ptr<TokenReader>> TokenReader::open(const std::string& path) {
    OpenOptions o;
    o.create = false;
    o.wal = true;
    o.cache_kib = 2048;  // a few small indexed lookups: the store's connection has the big cache
    auto db = Database::open(path, o);
    if (!db) return db.status();
    return std::unique_ptr<TokenReader>(new TokenReader(std::move(db).value()));
}

Result<std::optional<TokenGrant>> TokenReader::find(std::string_view token_id) {
    // The staff links joined in the order they were made: group_concat on SQLite, string_agg
    // (the same with a separator it requires) on PostgreSQL.
    const bool pg = db_->backend() == Backend::kPostgres;
    auto& st = db_->cached(
        std::string("SELECT t.salt, t.hash, t.revoked, t.device, u.id, u.name, u.role, u.regions, "
                    "u.stores, u.brands, u.disabled, (SELECT ") +
        (pg ? "string_agg" : "group_concat") + "(staff, ',' ORDER BY " + staff_order(*db_) +
        ") FROM server_user_staff WHERE \"user\" = u.id), " + version_columns() +
        " FROM server_tokens t JOIN server_users u ON u.id = t.\"user\" WHERE t.id = ?1");
    st.bind(1, token_id);
    const auto step = st.step();
    if (step == Statement::Step::kError) {
        std::string err = st.error();
        st.reset();
        return Status::storage(err);
    }
    std::optional<TokenGrant> out;
    if (step == Statement::Step::kRow)
        out = TokenGrant{st.column_text(0),   st.column_text(1), st.column_int(2) != 0,
                         st.column_text(3),   read_user(st, 4),  split_list(st.column_text(11)),
                         read_version(st, 12)};
    // Reset at once: a statement left on a row would hold a read transaction open and keep
    // WAL checkpoints from finishing.
    st.reset();
    return out;
}

namespace {

// The ids in column `result` of the store rows whose column `key` is one of `keys` (text
// ids; refs are stored as 16-byte blobs), sorted, without repeats.
Result<std::vector<std::string>> store_column(Database& db, std::string_view result,
                                              std::string_view key,
                                              const std::vector<std::string>& keys) {
    const auto& store = kind_def(Kind::kStore);
    auto column = [&](std::string_view name) {
        return name == "eid" ? std::string("eid")
                             : value_column(store.fields[std::size_t(store.field_index(name))]);
    };
    std::vector<std::string> out;
    auto& st = db.cached("SELECT " + column(result) + " FROM " + table_name(Kind::kStore) +
                         " WHERE " + column(key) + " = ?1");
    for (const auto& text : keys) {
        const auto id = Id128::from_text(text);
        if (!id) continue;  // a scope lists ids; anything else names no store
        st.bind_blob(1, id->bytes.data(), id->bytes.size());
        const Status s = each_row(st, [&](const Statement& row) {
            const auto found = row.column_blob(0);
            if (found.size() == 16) out.push_back(Id128::from_bytes(found.data()).to_text());
        });
        st.reset();
        LIAISON_TRY(s);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace

Result<std::vector<std::string>> TokenReader::stores_in_regions(
    const std::vector<std::string>& regions) {
    return store_column(*db_, "eid", "region", regions);
}

Result<std::vector<std::string>> TokenReader::brands_of_stores(
    const std::vector<std::string>& stores) {
    return store_column(*db_, "brand", "eid", stores);
}

Status insert_audit(Store& store, std::int64_t at, std::string_view actor, std::string_view action,
                    std::string_view subject) {
    auto& st = store.db().cached(
        "INSERT INTO server_audit(at, actor, action, subject) VALUES(?1,?2,?3,?4)");
    st.bind(1, at).bind(2, actor).bind(3, action).bind(4, subject);
    return st.run();
}

Result<std::vector<AuditRow>> list_audit(Store& store, std::int64_t limit) {
    auto st = store.db().prepare(
        "SELECT n, at, actor, action, subject FROM "
        "(SELECT * FROM server_audit ORDER BY n DESC LIMIT ?1) AS recent ORDER BY n");
    if (!st) return st.status();
    st->bind(1, limit);
    std::vector<AuditRow> out;
    LIAISON_TRY(each_row(st.value(), [&](const Statement& s) {
        out.push_back(AuditRow{s.column_int(0), s.column_int(1), s.column_text(2), s.column_text(3),
                               s.column_text(4)});
    }));
    return out;
}

Result<std::vector<AuditRow>> find_audit(Store& store, const AuditFilter& f) {
    // An unset filter is an always-true test, so the statement is one and stays cached. The
    // subject matches a whole word: instr() rather than LIKE, whose '_' is a wildcard.
    auto& st = store.db().cached(
        "SELECT n, at, actor, action, subject FROM server_audit "
        "WHERE (?1 = 0 OR n < ?1) AND at >= ?2 "
        "AND (?3 = '' OR substr(action, 1, length(?3)) = ?3) "
        "AND (?4 = '' OR actor = ?4) "
        "AND (?5 = '' OR instr(' ' || subject || ' ', ' ' || ?5 || ' ') > 0) "
        "ORDER BY n DESC LIMIT ?6");
    st.bind(1, f.before)
        .bind(2, f.since)
        .bind(3, std::string_view(f.action_prefix))
        .bind(4, std::string_view(f.actor))
        .bind(5, std::string_view(f.subject))
        .bind(6, f.limit);
    std::vector<AuditRow> out;
    const Status read = each_row(st, [&](const Statement& s) {
        out.push_back(AuditRow{s.column_int(0), s.column_int(1), s.column_text(2), s.column_text(3),
                               s.column_text(4)});
    });
    st.reset();
    LIAISON_TRY(read);
    return out;
}

Result<bool> audit_repeats(Store& store, std::string_view actor, std::string_view action,
                           std::string_view subject, std::int64_t since, std::int64_t scan_rows) {
    auto& st = store.db().cached(
        "SELECT EXISTS(SELECT 1 FROM server_audit "
        "WHERE n > (SELECT coalesce(max(n), 0) FROM server_audit) - ?1 "
        "AND at >= ?2 AND actor = ?3 AND action = ?4 AND subject = ?5)");
    st.bind(1, scan_rows).bind(2, since).bind(3, actor).bind(4, action).bind(5, subject);
    bool found = false;
    const Status read = each_row(st, [&](const Statement& s) { found = s.column_int(0) != 0; });
    st.reset();
    LIAISON_TRY(read);
    return found;
}

Result<ReplicaOwner> bind_replica(Store& store, const Id128& replica, const ReplicaOwner& caller,
                                  std::int64_t at) {
    auto& insert = store.db().cached(
        "INSERT INTO server_replicas(replica, \"user\", device, first_seen) VALUES(?1,?2,?3,?4) "
        "ON CONFLICT(replica) DO NOTHING");
    insert.bind_blob(1, replica.bytes.data(), replica.bytes.size())
        .bind(2, caller.user)
        .bind(3, std::string_view(caller.device))
        .bind(4, at);
    LIAISON_TRY(insert.run());
    auto& owner =
        store.db().cached("SELECT \"user\", device FROM server_replicas WHERE replica = ?1");
    owner.bind_blob(1, replica.bytes.data(), replica.bytes.size());
    if (owner.step() != Statement::Step::kRow) {
        std::string err = owner.error();
        owner.reset();
        return Status::storage("server_replicas: " + err);
    }
    ReplicaOwner out{owner.column_int(0), owner.column_text(1)};
    owner.reset();
    return out;
}

Result<std::vector<ReplicaRow>> list_replicas(Store& store) {
    auto st = store.db().prepare(
        "SELECT replica, \"user\", device, first_seen FROM server_replicas "
        "ORDER BY \"user\", first_seen, replica");
    if (!st) return st.status();
    std::vector<ReplicaRow> out;
    LIAISON_TRY(each_row(st.value(), [&](const Statement& s) {
        const auto bytes = s.column_blob(0);
        if (bytes.size() != 16) return;  // not a replica id: never written by bind_replica
        out.push_back(ReplicaRow{Id128::from_bytes(bytes.data()),
                                 ReplicaOwner{s.column_int(1), s.column_text(2)}, s.column_int(3)});
    }));
    return out;
}

Status insert_signin_code(Store& store, const SigninCodeRow& code) {
    auto& st = store.db().cached(
        "INSERT INTO server_signin_codes(id, \"user\", device, salt, hash, created_at, expires_at) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7)");
    st.bind(1, std::string_view(code.id))
        .bind(2, code.user)
        .bind(3, std::string_view(code.device))
        .bind(4, std::string_view(code.salt))
        .bind(5, std::string_view(code.hash))
        .bind(6, code.created_at)
        .bind(7, code.expires_at);
    return st.run();
}

Result<std::optional<SigninCodeRow>> find_signin_code(Store& store, std::string_view id) {
    auto& st = store.db().cached(
        "SELECT id, \"user\", device, salt, hash, created_at, expires_at, used_at "
        "FROM server_signin_codes WHERE id=?1");
    st.bind(1, id);
    std::optional<SigninCodeRow> out;
    const auto step = st.step();
    if (step == Statement::Step::kRow) {
        out =
            SigninCodeRow{st.column_text(0), st.column_int(1), st.column_text(2), st.column_text(3),
                          st.column_text(4), st.column_int(5), st.column_int(6),  std::nullopt};
        if (!st.column_is_null(7)) out->used_at = st.column_int(7);
    }
    const std::string err = step == Statement::Step::kError ? st.error() : "";
    st.reset();
    if (!err.empty()) return Status::storage("server_signin_codes: " + err);
    return out;
}

Result<bool> claim_signin_code(Store& store, std::string_view id, std::int64_t at,
                               std::string_view token_id) {
    auto& st = store.db().cached(
        "UPDATE server_signin_codes SET used_at=?2, token=?3 "
        "WHERE id=?1 AND used_at IS NULL AND expires_at > ?2");
    st.bind(1, id).bind(2, at).bind(3, token_id);
    LIAISON_TRY(st.run());
    return store.db().changes() != 0;
}

Result<std::optional<ReplicaOwner>> find_replica_owner(Store& store, const Id128& replica) {
    auto& st = store.db().cached("SELECT \"user\", device FROM server_replicas WHERE replica = ?1");
    st.bind_blob(1, replica.bytes.data(), replica.bytes.size());
    std::optional<ReplicaOwner> out;
    auto step = st.step();
    if (step == Statement::Step::kRow) out = ReplicaOwner{st.column_int(0), st.column_text(1)};
    const std::string err = step == Statement::Step::kError ? st.error() : "";
    st.reset();
    if (!err.empty()) return Status::storage("server_replicas: " + err);
    return out;
}

}  // namespace liaison::core
