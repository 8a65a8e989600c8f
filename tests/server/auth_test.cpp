// Tokens, the rate limiter and the admin tables in process (server/auth/auth.hpp,
// server/admin/accounts.hpp).
#include "server/auth/auth.hpp"

#include <catch2/catch.hpp>

#include "server/admin/accounts.hpp"
#include "server_store.hpp"
#include "support/harness.hpp"

namespace liaison::test::server_auth {
TEST_CASE("a token parses back to its id and secret and nothing else parses", "[server][auth]") {
    auto id = server::random_hex(server::kTokenIdBytes);
    auto secret = server::random_hex(server::kTokenSecretBytes);
    REQUIRE(id.is_ok());
    REQUIRE(secret.is_ok());
    const std::string text = server::format_token({id.value(), secret.value()});
    auto parts = server::parse_token(text);
    REQUIRE(parts);
    CHECK(parts->id == id.value());
    CHECK(parts->secret == secret.value());
    for (std::string bad :
         {std::string(""), text.substr(1), text + "0", text.substr(0, text.size() - 1),
          "lsx" + text.substr(3), text.substr(0, 20) + "X" + text.substr(21)}) {
        INFO(bad);
        CHECK_FALSE(server::parse_token(bad));
    }
}

TEST_CASE("token hashes are salted", "[server][auth]") {
    const std::string secret(64, 'a');
    CHECK(server::token_hash("00", secret) != server::token_hash("01", secret));
    CHECK(server::token_hash("00", secret) == server::token_hash("00", secret));
    CHECK(server::constant_time_equal("abc", "abc"));
    CHECK_FALSE(server::constant_time_equal("abc", "abd"));
    CHECK_FALSE(server::constant_time_equal("abc", "ab"));
}

TEST_CASE("the rate limiter allows a burst, then the rate", "[server][limits]") {
    server::RateLimiter limiter(2, 3);
    auto t = server::RateLimiter::Clock::now();
    for (int i = 0; i < 3; ++i) CHECK(limiter.allow("a", t));
    int retry = 0;
    CHECK_FALSE(limiter.allow("a", t, &retry));
    CHECK(retry == 1);
    CHECK(limiter.allow("b", t));  // buckets are per key
    CHECK(limiter.allow("a", t + std::chrono::milliseconds(500)));
    CHECK_FALSE(limiter.allow("a", t + std::chrono::milliseconds(500)));
}

TEST_CASE("issued tokens authenticate until revoked, and the database keeps only their hash",
          "[server][auth]") {
    TempDir dir;
    auto store = server_store(dir.file("s.db"));
    server::UserSpec u;
    u.name = "Zoë Régionale";
    u.role = sync::Role::kRegional;
    u.regions = {"01M83ZSHHP3YVZMJGKYJTES1GE"};
    auto user = server::add_user(*store, u);
    REQUIRE(user.is_ok());
    auto tok = server::issue_token(*store, user.value(), "tablet");
    REQUIRE(tok.is_ok());
    auto auth = server::Authenticator::open(dir.file("s.db"));
    REQUIRE(auth.is_ok());

    auto who = auth.value()->authenticate(tok->token);
    REQUIRE(who.is_ok());
    CHECK(who->user == user.value());
    CHECK(who->role == sync::Role::kRegional);
    CHECK_FALSE(who->scope.global);
    CHECK(who->scope.regions == u.regions);

    auto raw =
        store->db().prepare("SELECT count(*) FROM server_tokens WHERE hash LIKE '%' || ?1 || '%'");
    REQUIRE(raw.is_ok());
    raw->bind(1, std::string_view(server::parse_token(tok->token)->secret));
    REQUIRE(raw->step() == core::Statement::Step::kRow);
    CHECK(raw->column_int(0) == 0);

    REQUIRE(server::revoke_token(*store, tok->id).is_ok());
    CHECK(auth.value()->authenticate(tok->token).status().code() == Code::kNotFound);
    CHECK(server::revoke_token(*store, "ffffffffffffffff").code() == Code::kNotFound);
    CHECK(server::issue_token(*store, 999, "").status().code() == Code::kNotFound);
}

TEST_CASE("users need the scope their role implies", "[server][auth]") {
    server::UserSpec u;
    u.name = "Sam";
    u.role = sync::Role::kStore;
    CHECK_FALSE(server::check_user(u));
    u.stores = {"nope"};
    CHECK_FALSE(server::check_user(u));
    u.stores = {"01M83ZSHHPCRN0ZF0EG9Z1TT7F"};
    CHECK(server::check_user(u));
    u.role = sync::Role::kCentral;
    u.stores.clear();
    CHECK(server::check_user(u));
    u.name.clear();
    CHECK(server::check_user(u).code() == Code::kRequired);
}

}  // namespace liaison::test::server_auth
