#include "server/auth/auth.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "core/util/sha256.hpp"
#include "core/util/text.hpp"

namespace liaison::server {

Result<std::string> random_hex(std::size_t n) {
    std::string bytes(n, '\0');
    std::size_t got = 0;
    while (got < n) {
        ssize_t r = ::getrandom(bytes.data() + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            return Status(Code::kInternal, std::string("getrandom: ") + std::strerror(errno));
        }
        got += std::size_t(r);
    }
    static const char* kHex = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (unsigned char c : bytes) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

std::string format_token(const TokenParts& t) {
    return std::string(kTokenPrefix) + t.id + "_" + t.secret;
}

std::optional<TokenParts> parse_token(std::string_view text) {
    if (text.substr(0, kTokenPrefix.size()) != kTokenPrefix) return std::nullopt;
    text.remove_prefix(kTokenPrefix.size());
    if (text.size() != 2 * kTokenIdBytes + 1 + 2 * kTokenSecretBytes ||
        text[2 * kTokenIdBytes] != '_')
        return std::nullopt;
    TokenParts t{std::string(text.substr(0, 2 * kTokenIdBytes)),
                 std::string(text.substr(2 * kTokenIdBytes + 1))};
    if (!is_lower_hex(t.id) || !is_lower_hex(t.secret)) return std::nullopt;
    return t;
}

namespace {

// A domain string so that the hash of a token can never be mistaken for another use of
// SHA-256 in the system (state hashes, derived ids, sign-in codes).
std::string domain_hash(std::string_view domain, std::string_view salt_hex,
                        std::string_view secret_hex) {
    core::Sha256 h;
    h.update(domain);
    h.update(salt_hex);
    h.update(secret_hex);
    return core::Sha256::hex(h.finish());
}

}  // namespace

std::string token_hash(std::string_view salt_hex, std::string_view secret_hex) {
    return domain_hash("liaison-token-v1", salt_hex, secret_hex);
}

std::string signin_code_hash(std::string_view salt_hex, std::string_view secret_hex) {
    return domain_hash("liaison-signin-code-v1", salt_hex, secret_hex);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

sync::Scope scope_for(sync::Role role, std::vector<std::string> regions,
                      std::vector<std::string> stores, std::vector<std::string> brands) {
    if (role == sync::Role::kAdmin || role == sync::Role::kCentral)
        return sync::Scope::everything();
    // A shop's integration that names no place attributes orders to every campaign (the
    // brand's online shop); one that names stores or regions only to theirs. It reaches
    // nothing but the conversions routes either way (api/conversions.hpp).
    if (role == sync::Role::kIntegration && regions.empty() && stores.empty() && brands.empty())
        return sync::Scope::everything();
    sync::Scope s;
    s.regions = std::move(regions);
    s.stores = std::move(stores);
    s.brands = std::move(brands);
    return s;
}

bool is_central(const Principal& who) {
    return who.role == sync::Role::kAdmin || who.role == sync::Role::kCentral;
}

bool is_lower_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

sync::DeviceContext device_context(const Principal& p, const core::Id128& replica) {
    sync::DeviceContext d;
    d.replica = replica;
    d.role = p.role;
    d.scope = p.scope;
    d.staff = p.staff;
    return d;
}

Result<std::unique_ptr<Authenticator>> Authenticator::open(const std::string& db_path) {
    auto tokens = core::TokenReader::open(db_path);  // the first, so a bad path fails at start
    if (!tokens) return tokens.status();
    return std::unique_ptr<Authenticator>(new Authenticator(db_path, std::move(tokens).value()));
}

Authenticator::Authenticator(std::string db_path, std::unique_ptr<core::TokenReader> first)
    : db_path_(std::move(db_path)), may_cache_(core::is_postgres_url(db_path_)) {
    idle_.push_back(first.get());
    readers_.push_back(std::move(first));
}

// One connection of the pool, taken for one request and given back when it ends.
class Authenticator::Lease {
public:
    explicit Lease(Authenticator& a) : a_(a) {
        std::unique_lock<std::mutex> lock(a_.mu_);
        while (a_.idle_.empty() && a_.readers_.size() >= kReaders) a_.returned_.wait(lock);
        if (!a_.idle_.empty()) {
            reader_ = a_.idle_.back();
            a_.idle_.pop_back();
            return;
        }
        auto opened = core::TokenReader::open(a_.db_path_);  // rare: at most kReaders - 1 times
        if (!opened) {
            status_ = opened.status();
            return;
        }
        reader_ = opened.value().get();
        a_.readers_.push_back(std::move(opened).value());
    }
    ~Lease() {
        if (!reader_) return;
        {
            std::lock_guard<std::mutex> lock(a_.mu_);
            a_.idle_.push_back(reader_);
        }
        a_.returned_.notify_one();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    core::TokenReader* reader() const { return reader_; }
    const Status& status() const { return status_; }

private:
    Authenticator& a_;
    core::TokenReader* reader_ = nullptr;
    Status status_;
};

Result<Principal> Authenticator::authenticate(std::string_view token_text, bool may_cache) {
    may_cache = may_cache && may_cache_;
    if (auto parts = may_cache ? parse_token(token_text) : std::nullopt) {
        std::lock_guard<std::mutex> lock(cache_mu_);
        auto kept = cache_.find(parts->id);
        // The secret is checked as a look-up checks it; a wrong one reads the database.
        if (kept != cache_.end() &&
            constant_time_equal(token_hash(kept->second.salt, parts->secret), kept->second.hash))
            return kept->second.who;
    }
    Lease lease(*this);
    if (!lease.reader()) return lease.status();
    std::string salt, hash, version;
    auto who = authenticate_with(*lease.reader(), token_text, &salt, &hash, &version);
    if (who && may_cache) {
        std::lock_guard<std::mutex> lock(cache_mu_);
        if (cache_.size() >= kMaxCached) cache_.clear();
        Kept k{std::move(salt), std::move(hash), who.value()};
        k.who.cached_at = std::move(version);
        cache_.insert_or_assign(who->token_id, std::move(k));
    }
    return who;
}

void Authenticator::forget(const std::string& token_id) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    cache_.erase(token_id);
}

Result<Principal> Authenticator::authenticate_with(core::TokenReader& tokens,
                                                   std::string_view token_text, std::string* salt,
                                                   std::string* hash, std::string* version) {
    auto parts = parse_token(token_text);
    if (!parts) return Status::not_found("not a token");
    std::optional<core::TokenGrant> grant;
    {
        auto found = tokens.find(parts->id);
        if (!found) return found.status();
        grant = std::move(found).value();
    }
    if (!grant) return Status::not_found("token " + parts->id + ": unknown id");
    const core::UserRow& u = grant->user;
    // Hash before looking at the flags, so that timing does not tell a revoked token apart.
    if (!constant_time_equal(token_hash(grant->salt, parts->secret), grant->hash))
        return Status::not_found("token " + parts->id + ": wrong secret");
    if (grant->revoked) return Status::not_found("token " + parts->id + ": revoked");
    if (u.disabled) return Status::not_found("token " + parts->id + ": user disabled");
    auto role = sync::role_from_name(u.role);
    if (!role) return Status(Code::kInternal, "user " + std::to_string(u.id) + ": unknown role");
    *salt = grant->salt;
    *hash = grant->hash;
    *version = grant->version;
    Principal p;
    p.user = u.id;
    p.name = u.name;
    p.token_id = parts->id;
    p.device = std::move(grant->device);
    p.role = *role;
    p.scope = scope_for(*role, core::split_list(u.regions), core::split_list(u.stores),
                        core::split_list(u.brands));
    for (const auto& text : grant->staff)
        if (auto id = core::Id128::from_text(text)) p.staff.push_back(*id);
    // S1 (docs/SYNC.md "Scopes"): a region's stores are in a scope that names the region, so
    // a person registered at a store reaches the store's regional manager without copying the
    // region into her record.
    if (!p.scope.global) {
        if (!p.scope.regions.empty()) {
            auto stores = tokens.stores_in_regions(p.scope.regions);
            if (!stores) return stores.status();
            p.scope.region_stores = std::move(stores).value();
        }
        // D1 (docs/SYNC.md "Directory"): the device holds the directory of its brands and of
        // its stores' brands.
        auto places = p.scope.stores;
        places.insert(places.end(), p.scope.region_stores.begin(), p.scope.region_stores.end());
        auto brands = tokens.brands_of_stores(places);
        if (!brands) return brands.status();
        auto& dir = p.scope.directory_brands;
        dir = p.scope.brands;
        dir.insert(dir.end(), brands.value().begin(), brands.value().end());
        std::sort(dir.begin(), dir.end());
        dir.erase(std::unique(dir.begin(), dir.end()), dir.end());
    }
    return p;
}

bool RateLimiter::allow(const std::string& key, Clock::time_point now, int* retry_after_s) {
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
        double elapsed = std::chrono::duration<double>(now - b.last).count();
        if (elapsed > 0) b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
        b.last = std::max(b.last, now);
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return true;
    }
    if (retry_after_s) *retry_after_s = std::max(1, int(std::ceil((1.0 - b.tokens) / rate_)));
    return false;
}

}  // namespace liaison::server
