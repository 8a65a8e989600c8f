// The administrative actions on the server's own accounts: users with a role and a scope,
// tokens, and an audit log of those actions. This is their policy (what a valid user is, how
// a token is made, what the audit says); their tables and every statement on them are in
// core/storage/accounts.hpp, in the same SQLite file as the central record (one file to back
// up), versioned by the `server_schema_version` row of `meta` (docs/STORAGE.md).
// The sync tables are the Store's; nothing here touches them, so an admin command may run
// while the server serves (SQLite's WAL and busy timeout arbitrate).
//
// Requires: no transaction is open on the store when these are called (each opens its own).
// Thread-safety: as the Store: one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/accounts.hpp"
#include "core/storage/store.hpp"
#include "core/util/status.hpp"
#include "sync/scope.hpp"

namespace liaison::server {

inline constexpr int kServerSchemaVersion = core::kAccountsSchemaVersion;
inline constexpr std::size_t kMaxUserNameChars = 200;
inline constexpr std::size_t kMaxDeviceLabelChars = 100;

// Creates the server tables if missing and records the version. A file whose server tables
// are newer than this build is refused with kUnsupportedVersion.
Status ensure_server_schema(core::Store& store);
// True when the file has server tables (init ran).
bool has_server_schema(core::Store& store);

struct UserSpec {
    std::string name;
    sync::Role role = sync::Role::kField;
    std::vector<std::string> regions, stores, brands;  // entity ids
};
// Checks a user: a name; ids in id format; a scope the role needs (regional: regions; store:
// stores; field: regions or stores). kInvalidArgument with a plain explanation otherwise.
Status check_user(const UserSpec& u);
Result<std::int64_t> add_user(core::Store& store, const UserSpec& u,
                              std::string_view actor = "cli");

// A disabled user's tokens all stop working at once (and new ones cannot be issued);
// enabling them again restores the tokens that were not revoked. kNotFound if no such user.
Status set_user_disabled(core::Store& store, std::int64_t user, bool disabled,
                         std::string_view actor = "cli");

// Replaces the user's regions, stores and brands (checked as check_user checks them for the
// user's role). Takes effect at the user's devices' next sync: their replies carry a new
// scope generation and they re-pull what the new scope covers (docs/SYNC.md "Generations").
// kNotFound if no such user.
Status set_user_scope(core::Store& store, std::int64_t user, std::vector<std::string> regions,
                      std::vector<std::string> stores, std::vector<std::string> brands,
                      std::string_view actor = "cli");

// An administrator's change to a user (PATCH /api/v1/admin/users/<id>): what is set changes,
// the rest stays. The result is checked as check_user checks a new user (a role change that
// leaves a store user without stores is refused). Role and scope changes take effect at the
// user's devices' next sync, as set_user_scope's do. Audited per part (`user.role`,
// `user.scope`, `user.disable`/`user.enable`). kNotFound if no such user.
struct UserPatch {
    std::optional<sync::Role> role;
    std::optional<std::vector<std::string>> regions, stores, brands;
    std::optional<bool> disabled;
};
Status update_user(core::Store& store, std::int64_t user, const UserPatch& patch,
                   std::string_view actor);
// The most ids a user's regions, stores or brands may list.
inline constexpr std::size_t kMaxScopeIds = 500;

// Staff links (docs/SYNC.md "Authorisation", A1): the staff records a user may act as. A
// shared store tablet's user is linked to everyone who works on it; the server refuses an
// operation whose actor is another staff member.
inline constexpr std::size_t kMaxLinkedStaff = 100;
struct LinkedStaff {
    std::string id;
    std::optional<std::string> name;  // the central record's, when it holds the staff record
};
// The staff named by `ids`, with their names where the central record holds them.
Result<std::vector<LinkedStaff>> describe_staff(core::Store& store,
                                                const std::vector<std::string>& ids);
// The user's links, in the order they were made. kNotFound if no such user.
Result<std::vector<LinkedStaff>> user_staff(core::Store& store, std::int64_t user);
// Checks the form of staff ids (kInvalidArgument: "staff: 'x' is not an entity id …").
Status check_staff_ids(const std::vector<std::string>& ids);
struct StaffEdit {
    std::optional<std::vector<std::string>> replace;  // the whole list (REST's PUT)
    std::vector<std::string> add, remove;             // then these (the command line)
};
// Changes the user's links and audits the resulting list (`user.staff`, ids only). A staff id
// newly linked must be in id form and name no record of another kind, nor an erased one
// (kInvalidArgument, "01AB… is a store, not a staff member"); it may name a staff record the
// server does not hold yet: staff records are made on devices too (offline, like any record),
// and an administrator links a new colleague's user before the tablet that made her record
// has synced. kNotFound if no such user.
Status edit_user_staff(core::Store& store, std::int64_t user, const StaffEdit& edit,
                       std::string_view actor = "cli");

struct IssuedToken {
    std::string id;     // the row id, for `token revoke`
    std::string token;  // the full token: shown once, never stored
};
// kNotFound if the user does not exist or is disabled.
Result<IssuedToken> issue_token(core::Store& store, std::int64_t user, std::string_view device,
                                std::string_view actor = "cli");
// kNotFound if no such token. Revoking twice is not an error.
Status revoke_token(core::Store& store, std::string_view token_id, std::string_view actor = "cli");

// One-time sign-in codes (docs/OPERATIONS.md "Sign-in links"): an administrator issues one for
// a user; a new device exchanges it, once, within its lifetime, for a token of its own. The
// code is 48 hex digits: the row id (16) then the secret (32, 128 random bits); the row keeps
// a salted hash of the secret, like a token's.
inline constexpr std::int64_t kSigninCodeDefaultMinutes = 15;
inline constexpr std::int64_t kSigninCodeMaxMinutes = 60;
struct IssuedCode {
    std::string id;
    std::string code;  // shown once, never stored
    std::int64_t expires_at = 0;
};
// `device`: the label the new device's token will carry ("" lets the device say). kNotFound if
// the user does not exist or is disabled; kInvalidArgument for a bad label or lifetime.
Result<IssuedCode> issue_signin_code(core::Store& store, std::int64_t user, std::string_view device,
                                     std::int64_t minutes, std::string_view actor);
struct SignedIn {
    enum class Refused { kNone, kInvalid, kUsed, kExpired };
    Refused refused = Refused::kNone;
    std::int64_t user = 0;
    IssuedToken token;  // when not refused
};
// Exchanges `code` for a new token of its user, labelled with the administrator's label, else
// `device`, else "sign-in link <code id>". In one transaction: of two concurrent exchanges of a
// code, one gets the token and the other kUsed. A disabled user's code is kInvalid. Errors are
// the database's only; a refusal is a value.
Result<SignedIn> exchange_signin_code(core::Store& store, std::string_view code,
                                      std::string_view device);

// Who a replica id belongs to: the user and the device label of the token that first synced
// with it. Not the token: a token issued again for the same device keeps its replica.
using core::ReplicaOwner;
// Binds `replica` to `caller` if it belongs to no one yet, and returns its owner (the caller,
// or whoever synced with it first). One statement, so concurrent first syncs agree.
Result<ReplicaOwner> bind_replica(core::Store& store, const core::Id128& replica,
                                  const ReplicaOwner& caller);

// Revokes every live token of the user and device label the replica is bound to, so that the
// device is refused from its next request (`device.revoke`). kNotFound if the replica is bound
// to no one. Returns how many tokens were revoked.
Result<std::int64_t> revoke_device(core::Store& store, const core::Id128& replica,
                                   std::string_view actor);
using core::list_replicas;
using core::ReplicaRow;

// Users by id; every token (never its secret, which is not stored), or only the user's.
using core::list_tokens;
using core::list_users;
using core::TokenRow;
using core::UserRow;

// Writes a consistent copy of the whole file (record, server tables, audit) to `target`, which
// must not exist (core::Store::copy_to: one read transaction, so it may run while the server
// serves). Restoring: restore.hpp.
Status backup_to(core::Store& store, const std::string& target);

Status audit(core::Store& store, std::string_view actor, std::string_view action,
             std::string_view subject);
// The newest `limit` rows of the audit (who did what to users, tokens, staff links, backups;
// GDPR exports and erasures), oldest first: `liaison-server audit`.
inline constexpr std::int64_t kDefaultAuditRows = 100;
using core::AuditRow;
using core::list_audit;

// Milliseconds since the Unix epoch (system clock), for created_at columns.
std::int64_t wall_ms();

}  // namespace liaison::server
