#include "server/admin.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "server/auth.hpp"

namespace liaison::server {
namespace {

constexpr const char* kSchemaKey = "server_schema_version";

// Version 1 of the server tables. AUTOINCREMENT: a deleted user's id is never reused, so an
// old audit row cannot be mistaken for a new user.
constexpr const char* kSchemaV1 = R"sql(
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
  user INTEGER NOT NULL REFERENCES server_users(id),
  device TEXT NOT NULL DEFAULT '',
  salt TEXT NOT NULL,
  hash TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS server_tokens_user ON server_tokens(user);
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
  user INTEGER NOT NULL,
  device TEXT NOT NULL,
  first_seen INTEGER NOT NULL) WITHOUT ROWID;
)sql";

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + v[i];
    return out;
}

std::size_t utf8_chars(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

bool has_control(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7F) return true;
    return false;
}

Status check_ids(const char* what, const std::vector<std::string>& ids) {
    for (const auto& id : ids)
        if (!core::Id128::from_text(id))
            return Status::invalid(std::string(what) + ": '" + id +
                                   "' is not an entity id (26 characters of Crockford base32)");
    return Status::ok();
}

}  // namespace

std::int64_t wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        auto comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

bool has_server_schema(core::Store& store) { return store.meta_get(kSchemaKey).has_value(); }

Status ensure_server_schema(core::Store& store) {
    if (auto v = store.meta_get(kSchemaKey)) {
        int have = std::atoi(v->c_str());
        if (have > kServerSchemaVersion)
            return Status(Code::kUnsupportedVersion,
                          "the server tables were written by a newer liaison-server (version " +
                              *v + ", this build reads up to " +
                              std::to_string(kServerSchemaVersion) + ")");
        if (have == kServerSchemaVersion) return Status::ok();
    }
    core::Transaction t(store.db());
    LIAISON_TRY(t.begun());
    LIAISON_TRY(store.db().exec(kSchemaV1));
    LIAISON_TRY(store.db().exec(kSchemaV2));
    LIAISON_TRY(store.meta_set(kSchemaKey, std::to_string(kServerSchemaVersion)));
    return t.commit();
}

Status audit(core::Store& store, std::string_view actor, std::string_view action,
             std::string_view subject) {
    auto& st = store.db().cached(
        "INSERT INTO server_audit(at, actor, action, subject) VALUES(?1,?2,?3,?4)");
    st.bind(1, wall_ms()).bind(2, actor).bind(3, action).bind(4, subject);
    return st.run();
}

Result<ReplicaOwner> bind_replica(core::Store& store, const core::Id128& replica,
                                  const ReplicaOwner& caller) {
    auto& insert = store.db().cached(
        "INSERT INTO server_replicas(replica, user, device, first_seen) VALUES(?1,?2,?3,?4) "
        "ON CONFLICT(replica) DO NOTHING");
    insert.bind_blob(1, replica.bytes.data(), replica.bytes.size()).bind(2, caller.user).bind(3, std::string_view(caller.device)).bind(4, wall_ms());
    LIAISON_TRY(insert.run());
    auto& owner = store.db().cached("SELECT user, device FROM server_replicas WHERE replica = ?1");
    owner.bind_blob(1, replica.bytes.data(), replica.bytes.size());
    if (owner.step() != core::Statement::Step::kRow) {
        std::string err = owner.error();
        owner.reset();
        return Status::storage("server_replicas: " + err);
    }
    ReplicaOwner out{owner.column_int(0), owner.column_text(1)};
    owner.reset();
    return out;
}

Status check_user(const UserSpec& u) {
    if (u.name.empty()) return Status(Code::kRequired, "name: required");
    if (utf8_chars(u.name) > kMaxUserNameChars)
        return Status(Code::kTooLong,
                      "name: at most " + std::to_string(kMaxUserNameChars) + " characters");
    if (has_control(u.name))
        return Status(Code::kBadFormat, "name: control characters are not allowed");
    LIAISON_TRY(check_ids("regions", u.regions));
    LIAISON_TRY(check_ids("stores", u.stores));
    LIAISON_TRY(check_ids("brands", u.brands));
    // A scoped role with an empty scope would see only unplaced records: surely a mistake.
    switch (u.role) {
        case sync::Role::kRegional:
            if (u.regions.empty()) return Status::invalid("a regional user needs --regions");
            break;
        case sync::Role::kStore:
            if (u.stores.empty()) return Status::invalid("a store user needs --stores");
            break;
        case sync::Role::kField:
            if (u.regions.empty() && u.stores.empty())
                return Status::invalid("a field user needs --regions or --stores");
            break;
        default:
            break;
    }
    return Status::ok();
}

Result<std::int64_t> add_user(core::Store& store, const UserSpec& u, std::string_view actor) {
    LIAISON_TRY(check_user(u));
    core::Transaction t(store.db());
    LIAISON_TRY(t.begun());
    auto& st = store.db().cached(
        "INSERT INTO server_users(name, role, regions, stores, brands, created_at) "
        "VALUES(?1,?2,?3,?4,?5,?6)");
    st.bind(1, std::string_view(u.name))
        .bind(2, std::string_view(sync::role_name(u.role)))
        .bind(3, std::string_view(join(u.regions)))
        .bind(4, std::string_view(join(u.stores)))
        .bind(5, std::string_view(join(u.brands)))
        .bind(6, wall_ms());
    LIAISON_TRY(st.run());
    std::int64_t id = store.db().last_insert_rowid();
    // The audit names the user by id and role only: names are personal data.
    LIAISON_TRY(audit(store, actor, "user.add",
                      "user:" + std::to_string(id) + " role:" + sync::role_name(u.role)));
    LIAISON_TRY(t.commit());
    return id;
}

Status set_user_disabled(core::Store& store, std::int64_t user, bool disabled,
                         std::string_view actor) {
    core::Transaction t(store.db());
    LIAISON_TRY(t.begun());
    auto& st = store.db().cached("UPDATE server_users SET disabled=?2 WHERE id=?1");
    st.bind(1, user).bind(2, std::int64_t(disabled ? 1 : 0));
    LIAISON_TRY(st.run());
    if (store.db().changes() == 0)
        return Status::not_found("user " + std::to_string(user) + ": no such user");
    LIAISON_TRY(audit(store, actor, disabled ? "user.disable" : "user.enable",
                      "user:" + std::to_string(user)));
    return t.commit();
}

Status set_user_scope(core::Store& store, std::int64_t user, std::vector<std::string> regions,
                      std::vector<std::string> stores, std::vector<std::string> brands,
                      std::string_view actor) {
    auto users = list_users(store);
    if (!users) return users.status();
    auto row = std::find_if(users.value().begin(), users.value().end(),
                            [&](const UserRow& u) { return u.id == user; });
    if (row == users.value().end()) return Status::not_found("user " + std::to_string(user) + ": no such user");
    UserSpec spec;
    spec.name = row->name;
    spec.role = sync::role_from_name(row->role).value_or(sync::Role::kField);
    spec.regions = std::move(regions);
    spec.stores = std::move(stores);
    spec.brands = std::move(brands);
    LIAISON_TRY(check_user(spec));
    core::Transaction t(store.db());
    LIAISON_TRY(t.begun());
    auto& st = store.db().cached("UPDATE server_users SET regions=?2, stores=?3, brands=?4 WHERE id=?1");
    st.bind(1, user)
        .bind(2, std::string_view(join(spec.regions)))
        .bind(3, std::string_view(join(spec.stores)))
        .bind(4, std::string_view(join(spec.brands)));
    LIAISON_TRY(st.run());
    LIAISON_TRY(audit(store, actor, "user.scope",
                      "user:" + std::to_string(user) + " regions:" + join(spec.regions) +
                          " stores:" + join(spec.stores) + " brands:" + join(spec.brands)));
    return t.commit();
}

Result<IssuedToken> issue_token(core::Store& store, std::int64_t user, std::string_view device,
                                std::string_view actor) {
    if (utf8_chars(device) > kMaxDeviceLabelChars || has_control(device))
        return Status::invalid("device: at most " + std::to_string(kMaxDeviceLabelChars) +
                               " characters, no control characters");
    auto id = random_hex(kTokenIdBytes);
    if (!id) return id.status();
    auto secret = random_hex(kTokenSecretBytes);
    if (!secret) return secret.status();
    auto salt = random_hex(kTokenSaltBytes);
    if (!salt) return salt.status();

    core::Transaction t(store.db());
    LIAISON_TRY(t.begun());
    {
        auto& st = store.db().cached("SELECT disabled FROM server_users WHERE id=?1");
        st.bind(1, user);
        bool found = st.step() == core::Statement::Step::kRow && st.column_int(0) == 0;
        st.reset();
        if (!found)
            return Status::not_found("user " + std::to_string(user) +
                                     ": no such user (or disabled)");
    }
    auto& st = store.db().cached(
        "INSERT INTO server_tokens(id, user, device, salt, hash, created_at) "
        "VALUES(?1,?2,?3,?4,?5,?6)");
    st.bind(1, std::string_view(id.value()))
        .bind(2, user)
        .bind(3, device)
        .bind(4, std::string_view(salt.value()))
        .bind(5, std::string_view(token_hash(salt.value(), secret.value())))
        .bind(6, wall_ms());
    LIAISON_TRY(st.run());
    LIAISON_TRY(audit(store, actor, "token.issue",
                      "token:" + id.value() + " user:" + std::to_string(user)));
    LIAISON_TRY(t.commit());
    return IssuedToken{id.value(), format_token({id.value(), secret.value()})};
}

Status revoke_token(core::Store& store, std::string_view token_id, std::string_view actor) {
    core::Transaction t(store.db());
    LIAISON_TRY(t.begun());
    auto& st = store.db().cached(
        "UPDATE server_tokens SET revoked=1, revoked_at=coalesce(revoked_at, ?2) WHERE id=?1");
    st.bind(1, token_id).bind(2, wall_ms());
    LIAISON_TRY(st.run());
    if (store.db().changes() == 0)
        return Status::not_found("token " + std::string(token_id) + ": no such token");
    LIAISON_TRY(audit(store, actor, "token.revoke", "token:" + std::string(token_id)));
    return t.commit();
}

Result<std::vector<UserRow>> list_users(core::Store& store) {
    auto st = store.db().prepare(
        "SELECT id, name, role, regions, stores, brands, disabled FROM server_users ORDER BY id");
    if (!st) return st.status();
    std::vector<UserRow> out;
    for (;;) {
        auto step = st->step();
        if (step == core::Statement::Step::kError) return Status::storage(st->error());
        if (step == core::Statement::Step::kDone) break;
        out.push_back(UserRow{st->column_int(0), st->column_text(1), st->column_text(2),
                              st->column_text(3), st->column_text(4), st->column_text(5),
                              st->column_int(6) != 0});
    }
    return out;
}

Result<std::vector<TokenRow>> list_tokens(core::Store& store, std::optional<std::int64_t> user) {
    auto st = store.db().prepare(
        "SELECT id, user, device, revoked, created_at FROM server_tokens "
        "WHERE ?1 IS NULL OR user = ?1 ORDER BY user, created_at, id");
    if (!st) return st.status();
    if (user)
        st->bind(1, *user);
    else
        st->bind_null(1);
    std::vector<TokenRow> out;
    for (;;) {
        auto step = st->step();
        if (step == core::Statement::Step::kError) return Status::storage(st->error());
        if (step == core::Statement::Step::kDone) break;
        out.push_back(TokenRow{st->column_text(0), st->column_int(1), st->column_text(2),
                               st->column_int(3) != 0, st->column_int(4)});
    }
    return out;
}

std::string sql_quote(std::string_view text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    return quoted + "'";
}

Status backup_to(core::Store& store, const std::string& target) {
    std::error_code ec;
    if (target.empty()) return Status::invalid("backup: no target file");
    if (std::filesystem::exists(target, ec))
        return Status::invalid("backup: " + target + " exists; choose a new file");
    LIAISON_TRY(store.db().exec("VACUUM INTO " + sql_quote(target)));
    return audit(store, "cli", "backup", "");
}

}  // namespace liaison::server
