// Bearer tokens (docs/DESIGN.md §6): one per user and device, shown once, stored only as a salted
// SHA-256 hash, revocable; and the per-token rate limit.
//
// Token text: "lsn_<id>_<secret>", where <id> is the token's row id (16 hex digits, not a
// secret: it names the token in logs, audits and `token revoke`) and <secret> is 32 random
// bytes in hex. The row keeps a random 16-byte salt and SHA-256("liaison-token-v1" | salt |
// secret); a presented token is found by its id and accepted iff its hash matches (compared
// in constant time), it is not revoked and its user is not disabled. 256 random bits make
// guessing hopeless, so a fast hash is enough (a slow one is for passwords).
//
// Thread-safety: Authenticator and RateLimiter are safe to call from many threads (each
// serialises its own state). The free functions are pure, except random_hex (reads the OS).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/storage/accounts.hpp"
#include "core/util/status.hpp"
#include "sync/hub.hpp"
#include "sync/scope.hpp"

namespace liaison::server {

inline constexpr std::string_view kTokenPrefix = "lsn_";
inline constexpr std::size_t kTokenIdBytes = 8;
inline constexpr std::size_t kTokenSecretBytes = 32;
inline constexpr std::size_t kTokenSaltBytes = 16;

// `n` bytes from the operating system's CSPRNG (getrandom), as lower-case hex.
Result<std::string> random_hex(std::size_t n);

struct TokenParts {
    std::string id;      // 16 hex digits
    std::string secret;  // 64 hex digits
};
std::string format_token(const TokenParts& t);
// nullopt unless `text` has the exact shape of a token (prefix, lengths, hex digits).
std::optional<TokenParts> parse_token(std::string_view text);
// Hex SHA-256 of the domain, the salt and the secret.
std::string token_hash(std::string_view salt_hex, std::string_view secret_hex);
// Hex SHA-256 of another domain, the salt and the secret of a one-time sign-in code
// (admin/accounts.hpp): a code's hash can never pass for a token's.
std::string signin_code_hash(std::string_view salt_hex, std::string_view secret_hex);
bool constant_time_equal(std::string_view a, std::string_view b);
// Whether every byte of `s` is 0-9 or a-f (a token's or a salt's hex).
bool is_lower_hex(std::string_view s);

// Who is calling: the token's user, role and scope.
struct Principal {
    std::int64_t user = 0;
    std::string name;  // for the user's own eyes (GET /api/v1/me); never logged
    std::string token_id;
    std::string device;  // the token's device label: with `user`, what a replica id is bound to
    sync::Role role = sync::Role::kField;
    sync::Scope scope;  // Scope::everything() for admin and central
    // The staff members the user may act as (core::list_user_staff), read with the token, so a
    // link changed by an administrator holds from the next request.
    std::vector<core::Id128> staff;
    // When it came from Authenticator's cache: the accounts version (core::accounts_version)
    // it was read at, which its user must find unchanged before relying on it; empty when it
    // was read for this request.
    std::string cached_at;
};

// Whether the caller works for the central team (admin or central): the whole record is hers.
bool is_central(const Principal& who);

// The hub's view of a caller. `replica`: the pushing replica; the hub then refuses operations
// stamped by another replica (a device may not replay someone else's operations). The staff
// the user is linked to go with it: the hub refuses an operation acted as anyone else (A1).
sync::DeviceContext device_context(const Principal& p, const core::Id128& replica);

// Builds the scope a role implies from the user's lists (admin and central: everything; an
// integration whose lists are all empty: everything too, docs/OPERATIONS.md "Integrations").
sync::Scope scope_for(sync::Role role, std::vector<std::string> regions,
                      std::vector<std::string> stores, std::vector<std::string> brands);

// Checks presented tokens against the server tables (core/storage/accounts.hpp), through its
// own connection to the server's file (core::TokenReader): the hub's connection is busy with
// exchanges, and a token revoked by `liaison-server token revoke` (another process, or another
// server on the same PostgreSQL database) must fail on its next use.
//
// On PostgreSQL, where a look-up is a round trip for every request, what a token granted may
// be kept (`may_cache`): the sync route's group commit then checks, in one statement for the
// whole group, that the accounts version it was read at still holds (SyncBackend::exchange),
// and it is read again when it does not (docs/SCALING.md §3). Anything else reads every time.
class Authenticator {
public:
    static Result<std::unique_ptr<Authenticator>> open(const std::string& db_path);

    // kNotFound ("unknown token") for anything that is not a valid, live token; the detail is
    // for the server log only (it never says which part was wrong to the client). With
    // `may_cache` on PostgreSQL, a token seen before (with this secret) is answered from
    // memory, its Principal::cached_at set.
    Result<Principal> authenticate(std::string_view token_text, bool may_cache = false);
    // Forgets what the token with this id granted (its grant was found stale; each other kept
    // grant is checked on its own use).
    void forget(const std::string& token_id);
    // The most grants kept; past it the cache starts again empty.
    static constexpr std::size_t kMaxCached = 4096;

private:
    // Connections to the database, each used by one request at a time: on PostgreSQL a
    // look-up is a round trip, and one connection behind a mutex queued every request of the
    // process behind it (docs/PERFORMANCE.md, "Server on PostgreSQL"). Opened as needed, at
    // most kReaders; a request finding them all busy waits for one.
    static constexpr std::size_t kReaders = 4;
    class Lease;
    Authenticator(std::string db_path, std::unique_ptr<core::TokenReader> first);
    // Also gives the token's salt and hash and the accounts version it was read at.
    Result<Principal> authenticate_with(core::TokenReader& tokens, std::string_view token_text,
                                        std::string* salt, std::string* hash, std::string* version);

    const std::string db_path_;
    std::mutex mu_;  // guards the two below
    std::condition_variable returned_;
    std::vector<std::unique_ptr<core::TokenReader>> readers_;
    std::vector<core::TokenReader*> idle_;
    // What tokens granted, by token id, with the hash of the secret that was checked.
    struct Kept {
        std::string salt, hash;
        Principal who;  // cached_at set
    };
    const bool may_cache_;  // PostgreSQL
    std::mutex cache_mu_;
    std::unordered_map<std::string, Kept> cache_;
};

// Token buckets keyed by token id: `rate` requests per second on average, bursts of `burst`.
class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;
    RateLimiter(double rate_per_s, double burst) : rate_(rate_per_s), burst_(burst) {}
    // Takes one request from the key's bucket. False when empty; then `retry_after_s` says
    // when the next request would be allowed (rounded up, at least 1).
    bool allow(const std::string& key, Clock::time_point now, int* retry_after_s = nullptr);

private:
    struct Bucket {
        double tokens;
        Clock::time_point last;
    };
    std::mutex mu_;
    double rate_, burst_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace liaison::server
