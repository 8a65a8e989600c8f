// The server's account tables: users with a role and a scope, their tokens, an audit log of
// administrative actions, and which user and device each replica id belongs to. They live in
// the same SQLite file as the central record (one file to back up) but are not part of it:
// nothing here touches the record's tables, its caches or its sequence, and the state hash
// leaves them out. This is their only SQL; the server (server/admin/accounts.hpp,
// server/auth/) keeps the policy (who may be added, how a token is hashed, what an audit line
// says) and calls these.
//
// Tables (docs/STORAGE.md, "Account tables"; versioned by the `server_schema_version` row of
// `meta`; a later version adds numbered steps, never edits one):
//   server_users    (id, name, role, regions, stores, brands, disabled, created_at)
//                   regions/stores/brands: comma-separated entity ids (Crockford base32)
//   server_tokens   (id, user, device, salt, hash, revoked, created_at, revoked_at)
//                   the token itself is never stored, only a salted hash
//   server_audit    (n, at, actor, action, subject): who did what to users and tokens, and
//                   who exported or viewed personal data (docs/SECURITY.md)
//   server_replicas (replica, user, device, first_seen): the user and device label that
//                   first synced with each replica id (version 2)
//   server_user_staff (user, staff, added_at): the staff members (text ids of `staff` records)
//                   each user may act as (version 3; docs/SYNC.md "Authorisation", A1)
//   server_signin_codes (id, user, device, salt, hash, created_at, expires_at, used_at, token)
//                   one-time sign-in codes an administrator issues for a new device, kept as
//                   a salted hash like tokens; `token` is the id of the token a code was
//                   exchanged for (version 4; docs/OPERATIONS.md "Sign-in links")
// Times are milliseconds since the Unix epoch, passed in by the caller.
//
// Requires: writes run inside an AccountsTxn, except insert_audit and bind_replica, which are
// one statement each and may also run alone (autocommit).
// Thread-safety: as the Store (TokenReader: one thread at a time, the caller serialises).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/ids.hpp"
#include "core/storage/sqlite.hpp"
#include "core/storage/store.hpp"
#include "core/util/status.hpp"

namespace liaison::core {

// Latest version of the account tables this build writes, and the meta key that records it.
inline constexpr int kAccountsSchemaVersion = 4;
inline constexpr const char* kAccountsSchemaKey = "server_schema_version";

// Creates the account tables if missing and records the version. A file whose account tables
// are newer than this build is refused with kUnsupportedVersion.
Status ensure_accounts_schema(Store& store);
// True when the file has account tables (ensure_accounts_schema ran once).
bool has_accounts_schema(Store& store);

// Whether a file (core::inspect_file) holds the users and tokens tables.
bool holds_accounts(const FileInfo& file);

// One liaison-server process per PostgreSQL database, as `<db>.lock` keeps one per SQLite
// file (server/main.cpp): the store's caches are not yet caught up from other processes'
// writes (docs/SCALING.md). Takes a session lock on the store's connection, held until the
// connection closes (the process ends, or crashes); false when another process holds it.
// Not an error on SQLite, where it holds nothing and answers true.
inline constexpr std::int64_t kServerLockKey = kWriterLockKey + 1;  // "LIAISON\1"
Result<bool> hold_server_lock(Store& store);

// A write transaction on the account tables (BEGIN IMMEDIATE; rolls back unless committed).
// Not a WriteTxn: the record's caches are not involved, so a rollback has nothing to reload
// and a commit does not scrub the log. Requires: no transaction is open on the store.
class AccountsTxn {
public:
    explicit AccountsTxn(Store& store) : txn_(store.db()) {}
    const Status& begun() const { return txn_.begun(); }
    Status commit() { return txn_.commit(); }

private:
    Transaction txn_;
};

struct UserRow {
    std::int64_t id = 0;
    std::string name;
    std::string role;                     // sync::role_name
    std::string regions, stores, brands;  // comma-separated ids
    bool disabled = false;
};

struct TokenRow {
    std::string id;
    std::int64_t user = 0;
    std::string device;
    bool revoked = false;
    std::int64_t created_at = 0;  // ms since the epoch
};

// What is stored of a token: its secret's salt and hash, never the secret.
struct NewToken {
    std::string id;
    std::int64_t user = 0;
    std::string device;
    std::string salt, hash;
    std::int64_t created_at = 0;
};

// Who a replica id belongs to: the user and the device label of the token that first synced
// with it.
struct ReplicaOwner {
    std::int64_t user = 0;
    std::string device;
    bool operator==(const ReplicaOwner&) const = default;
};

// ---- Users ------------------------------------------------------------------------------
// Adds a user (id and disabled are ignored) and returns the new id; ids are never reused.
Result<std::int64_t> insert_user(Store& store, const UserRow& user, std::int64_t created_at);
// False when there is no such user.
Result<bool> update_user_disabled(Store& store, std::int64_t user, bool disabled);
// Replaces the user's lists (comma-separated ids). False when there is no such user.
// Sets the user's role (sync::role_name). False when there is no such user.
Result<bool> update_user_role(Store& store, std::int64_t user, std::string_view role);
Result<bool> update_user_lists(Store& store, std::int64_t user, std::string_view regions,
                               std::string_view stores, std::string_view brands);
Result<std::optional<UserRow>> find_user(Store& store, std::int64_t user);
// Every user, by id.
Result<std::vector<UserRow>> list_users(Store& store);
// How many users there are; an error if the table is missing.
Result<std::int64_t> count_users(Store& store);

// ---- Staff links ------------------------------------------------------------------------
// The staff members (text ids of `staff` records) the user may act as, in the order they were
// linked; empty for a user with none.
Result<std::vector<std::string>> list_user_staff(Store& store, std::int64_t user);
// Replaces the user's links by `staff`, in that order. Requires: inside an AccountsTxn.
Status replace_user_staff(Store& store, std::int64_t user, const std::vector<std::string>& staff,
                          std::int64_t at);

// ---- Tokens -----------------------------------------------------------------------------
Status insert_token(Store& store, const NewToken& token);
// Marks the token revoked (keeping the first revocation time). False when there is no such
// token; revoking twice is not an error.
Result<bool> mark_token_revoked(Store& store, std::string_view token_id, std::int64_t at);
// Revokes every live token of the user with that device label; returns how many.
Result<std::int64_t> revoke_device_tokens(Store& store, std::int64_t user, std::string_view device,
                                          std::int64_t at);
// Every token (never its secret), or only the user's: by user, creation time, id.
Result<std::vector<TokenRow>> list_tokens(Store& store, std::optional<std::int64_t> user);

// A token as the authentication needs it: its stored hash and its user.
struct TokenGrant {
    std::string salt, hash;
    bool revoked = false;
    std::string device;
    UserRow user;
    std::vector<std::string> staff;  // the user's staff links, in order (list_user_staff)
    std::string version;             // accounts_version() as the same statement read it
};

// ---- What a token grants, versioned -----------------------------------------------------
// A text that changes whenever what any token grants may have changed: every function of this
// module that revokes a token or changes a user (disabled, role, lists, staff links) bumps a
// counter in meta, and a store's region or brand moves the stores' last sequence number. A
// server may keep what a token granted while this text stays the same (server/auth/auth.hpp,
// docs/SCALING.md §3). One statement.
Result<std::string> accounts_version(Store& store);
// Reads tokens through its own connection to the file (the store's connection is busy with
// exchanges), and caches nothing: a token revoked by another process (`liaison-server token
// revoke`) fails on its next use. (The server may keep what a token grants, with the
// accounts version find() reads alongside: server/auth/auth.hpp.)
class TokenReader {
public:
    static Result<std::unique_ptr<TokenReader>> open(const std::string& path);
    // nullopt when no token has that id.
    Result<std::optional<TokenGrant>> find(std::string_view token_id);
    // The stores the central record places in one of `regions` (text ids), in id order: a
    // scope that names a region covers its stores' records (docs/SYNC.md "Scopes", S1).
    Result<std::vector<std::string>> stores_in_regions(const std::vector<std::string>& regions);
    // The brands the central record gives `stores` (text ids; a store with no brand gives
    // none), sorted, without repeats: a store device holds their directory (D1).
    Result<std::vector<std::string>> brands_of_stores(const std::vector<std::string>& stores);

private:
    explicit TokenReader(std::unique_ptr<Database> db) : db_(std::move(db)) {}
    std::unique_ptr<Database> db_;
};

// ---- Sign-in codes ----------------------------------------------------------------------
// What is stored of a one-time sign-in code: its secret's salt and hash, never the secret.
struct SigninCodeRow {
    std::string id;
    std::int64_t user = 0;
    std::string device;  // the label the administrator gave, or ""
    std::string salt, hash;
    std::int64_t created_at = 0, expires_at = 0;  // ms since the epoch
    std::optional<std::int64_t> used_at;
};
Status insert_signin_code(Store& store, const SigninCodeRow& code);
// nullopt when no code has that id.
Result<std::optional<SigninCodeRow>> find_signin_code(Store& store, std::string_view id);
// Marks the code used by `token_id` if it is unused and not expired at `at`: one statement, so
// of two concurrent exchanges exactly one claims it. False when it was not claimable.
// Requires: inside an AccountsTxn (with the token's insertion).
Result<bool> claim_signin_code(Store& store, std::string_view id, std::int64_t at,
                               std::string_view token_id);

// ---- Audit and replicas -----------------------------------------------------------------
Status insert_audit(Store& store, std::int64_t at, std::string_view actor, std::string_view action,
                    std::string_view subject);
struct AuditRow {
    std::int64_t n = 0;   // order of writing
    std::int64_t at = 0;  // ms since the epoch
    std::string actor, action, subject;
};
// The newest `limit` rows of the audit, oldest first.
Result<std::vector<AuditRow>> list_audit(Store& store, std::int64_t limit);
// What GET /api/v1/audit asks for (server/api/audit.hpp): every member that is set narrows.
struct AuditFilter {
    std::string action_prefix;  // the action begins with it ("person." or "export.")
    std::string actor;          // the actor, exactly ("user:7", "cli")
    std::string subject;        // one space-separated word of the subject (an id)
    std::int64_t since = 0;     // at >= since (ms since the epoch); 0: any time
    std::int64_t before = 0;    // n < before (the next page of a previous answer); 0: none
    std::int64_t limit = 100;
};
// The newest `limit` rows that match, newest first. Scans the table from its newest row (no
// index but the order of writing): docs/SECURITY.md "Audit of personal-data reads" says why.
Result<std::vector<AuditRow>> find_audit(Store& store, const AuditFilter& filter);
// Whether the newest `scan_rows` rows hold one by `actor` with `action` and `subject` written
// at or after `since`: a repeated view is not recorded again (server/api/audit.hpp). Bounded:
// it reads at most `scan_rows` rows by the table's key.
Result<bool> audit_repeats(Store& store, std::string_view actor, std::string_view action,
                           std::string_view subject, std::int64_t since, std::int64_t scan_rows);
// Binds `replica` to `caller` if it belongs to no one yet, and returns its owner (the caller,
// or whoever bound it first). One statement, so concurrent first syncs agree.
Result<ReplicaOwner> bind_replica(Store& store, const Id128& replica, const ReplicaOwner& caller,
                                  std::int64_t at);
struct ReplicaRow {
    Id128 replica;
    ReplicaOwner owner;
    std::int64_t first_seen = 0;  // ms since the epoch
};
// Every replica bound to a user (a device that synced), by user, first sync, replica.
Result<std::vector<ReplicaRow>> list_replicas(Store& store);
// Who the replica id is bound to; nullopt when it is bound to no one (the server's own
// replica, or one that never synced here).
Result<std::optional<ReplicaOwner>> find_replica_owner(Store& store, const Id128& replica);

}  // namespace liaison::core
