// The server's account tables (core/storage/accounts.hpp): the named calls the server makes
// instead of writing SQL. The store is the hub's (tests/support/harness.hpp): a real SQLite
// file, or a PostgreSQL database under LIAISON_TEST_BACKEND=postgres for the [central] cases.
#include "core/storage/accounts.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test::core_accounts {
namespace {

using core::Id128;

struct Accounts {
    TempDir dir;
    std::string path = dir.file("server.db");
    std::unique_ptr<core::Store> store = open();

    std::unique_ptr<core::Store> open() {
        return open_server_store(path, core::ensure_accounts_schema);
    }
    std::int64_t user(const std::string& name, const std::string& role = "field") {
        core::UserRow row;
        row.name = name;
        row.role = role;
        row.regions = "R1,R2";
        auto id = core::insert_user(*store, row, 1000);
        REQUIRE(id.is_ok());
        return id.value();
    }
    void token(const std::string& id, std::int64_t user, const std::string& device,
               std::int64_t at = 2000) {
        REQUIRE(core::insert_token(*store,
                                   core::NewToken{id, user, device, "salt-" + id, "hash-" + id, at})
                    .is_ok());
    }
};

TEST_CASE("the account tables are made once, versioned in meta, and a newer version is refused",
          "[core][accounts][central]") {
    TempDir dir;
    auto s = open_hub_store(dir.file("a.db"));
    core::Store& store = *s;
    CHECK_FALSE(core::has_accounts_schema(store));
    CHECK_FALSE(core::count_users(store).is_ok());  // no table yet
    REQUIRE(core::ensure_accounts_schema(store).is_ok());
    CHECK(core::has_accounts_schema(store));
    CHECK(store.meta_get("server_schema_version") == std::to_string(core::kAccountsSchemaVersion));
    REQUIRE(core::ensure_accounts_schema(store).is_ok());  // again: nothing to do
    CHECK(core::count_users(store).value() == 0);

    REQUIRE(
        store.meta_set(core::kAccountsSchemaKey, std::to_string(core::kAccountsSchemaVersion + 1))
            .is_ok());
    auto refused = core::ensure_accounts_schema(store);
    CHECK(refused.code() == Code::kUnsupportedVersion);
    CHECK_THAT(refused.detail(), Catch::Contains("newer liaison-server"));
}

TEST_CASE("users are added with new ids, found, listed by id, disabled and rescoped",
          "[core][accounts][central]") {
    Accounts a;
    const auto ana = a.user("Ana", "regional");
    const auto bo = a.user("Bo");
    CHECK(bo > ana);
    CHECK(core::count_users(*a.store).value() == 2);

    auto found = core::find_user(*a.store, ana);
    REQUIRE(found.is_ok());
    REQUIRE(found.value());
    CHECK(found.value()->name == "Ana");
    CHECK(found.value()->role == "regional");
    CHECK(found.value()->regions == "R1,R2");
    CHECK_FALSE(found.value()->disabled);
    CHECK_FALSE(core::find_user(*a.store, 999).value().has_value());

    CHECK(core::update_user_disabled(*a.store, bo, true).value());
    CHECK_FALSE(core::update_user_disabled(*a.store, 999, true).value());
    CHECK(core::update_user_lists(*a.store, ana, "R3", "S1", "B1").value());
    CHECK_FALSE(core::update_user_lists(*a.store, 999, "", "", "").value());

    auto users = core::list_users(*a.store);
    REQUIRE(users.is_ok());
    REQUIRE(users->size() == 2);
    CHECK(users.value()[0].id == ana);
    CHECK(users.value()[0].regions == "R3");
    CHECK(users.value()[0].stores == "S1");
    CHECK(users.value()[0].brands == "B1");
    CHECK(users.value()[1].id == bo);
    CHECK(users.value()[1].disabled);
}

TEST_CASE("an account write that is not committed leaves nothing behind",
          "[core][accounts][central]") {
    Accounts a;
    {
        core::AccountsTxn t(*a.store);
        REQUIRE(t.begun().is_ok());
        a.user("Ana");
    }
    CHECK(core::count_users(*a.store).value() == 0);
    {
        core::AccountsTxn t(*a.store);
        REQUIRE(t.begun().is_ok());
        a.user("Ana");
        REQUIRE(t.commit().is_ok());
    }
    CHECK(core::count_users(*a.store).value() == 1);
}

TEST_CASE("tokens are listed by user and age, and a revocation keeps its first time",
          "[core][accounts][central]") {
    Accounts a;
    const auto ana = a.user("Ana"), bo = a.user("Bo");
    a.token("bb", bo, "tablet", 3000);
    a.token("aa", ana, "demo", 2000);
    a.token("cc", ana, "phone", 1000);

    auto all = core::list_tokens(*a.store, std::nullopt);
    INFO(all.status().to_string());
    REQUIRE(all.is_ok());
    REQUIRE(all->size() == 3);
    CHECK(all.value()[0].id == "cc");  // Ana's, oldest first, then Bo's
    CHECK(all.value()[1].id == "aa");
    CHECK(all.value()[2].id == "bb");
    auto bos = core::list_tokens(*a.store, bo);
    REQUIRE(bos.is_ok());
    REQUIRE(bos->size() == 1);
    CHECK(bos.value()[0].device == "tablet");
    CHECK(bos.value()[0].created_at == 3000);

    CHECK(core::mark_token_revoked(*a.store, "cc", 5000).value());
    CHECK(core::mark_token_revoked(*a.store, "cc", 6000).value());  // twice is no error
    CHECK_FALSE(core::mark_token_revoked(*a.store, "zz", 5000).value());
    CHECK(core::list_tokens(*a.store, ana).value()[0].revoked);

    // Only Ana's live tokens of that device: the phone's is revoked already, Bo's is another
    // user's.
    a.token("dd", ana, "demo");
    CHECK(core::revoke_device_tokens(*a.store, ana, "demo", 7000).value() == 2);
    CHECK(core::revoke_device_tokens(*a.store, ana, "demo", 8000).value() == 0);
    CHECK_FALSE(core::list_tokens(*a.store, bo).value()[0].revoked);
}

TEST_CASE("a replica id belongs to whoever bound it first", "[core][accounts][central]") {
    Accounts a;
    Id128 replica;
    replica.bytes[15] = 7;
    auto first = core::bind_replica(*a.store, replica, core::ReplicaOwner{1, "tablet"}, 1000);
    REQUIRE(first.is_ok());
    CHECK(first.value() == core::ReplicaOwner{1, "tablet"});
    auto second = core::bind_replica(*a.store, replica, core::ReplicaOwner{2, "phone"}, 2000);
    REQUIRE(second.is_ok());
    CHECK(second.value() == core::ReplicaOwner{1, "tablet"});
}

TEST_CASE("audit rows are written alone or inside an account write", "[core][accounts][central]") {
    Accounts a;
    CHECK(core::insert_audit(*a.store, 1000, "cli", "init", "").is_ok());
    core::AccountsTxn t(*a.store);
    REQUIRE(t.begun().is_ok());
    CHECK(core::insert_audit(*a.store, 1001, "cli", "user.add", "user:1").is_ok());
    CHECK(t.commit().is_ok());
}

TEST_CASE(
    "the token reader finds a token and its user through its own connection, and sees a "
    "revocation at once",
    "[core][accounts][native][central]") {
    Accounts a;
    a.store.reset();
    auto s = core::Store::open(hub_database(a.path), core::StoreOptions{true, false});
    REQUIRE(s.is_ok());
    a.store = std::move(s).value();
    const auto ana = a.user("Ana", "store");
    a.token("aa", ana, "tablet");
    // The staff links come back in the order they were made, not sorted.
    REQUIRE(core::replace_user_staff(*a.store, ana, {"s2", "s1", "s3"}, 2500).is_ok());
    CHECK(core::list_user_staff(*a.store, ana).value() ==
          std::vector<std::string>{"s2", "s1", "s3"});
    auto reader = core::TokenReader::open(hub_database(a.path));
    REQUIRE(reader.is_ok());

    auto grant = reader.value()->find("aa");
    REQUIRE(grant.is_ok());
    REQUIRE(grant.value());
    CHECK(grant.value()->salt == "salt-aa");
    CHECK(grant.value()->hash == "hash-aa");
    CHECK(grant.value()->device == "tablet");
    CHECK_FALSE(grant.value()->revoked);
    CHECK(grant.value()->user.id == ana);
    CHECK(grant.value()->user.role == "store");
    CHECK(grant.value()->user.regions == "R1,R2");
    CHECK(grant.value()->staff == std::vector<std::string>{"s2", "s1", "s3"});
    CHECK_FALSE(reader.value()->find("zz").value().has_value());

    REQUIRE(core::mark_token_revoked(*a.store, "aa", 3000).value());
    REQUIRE(core::update_user_disabled(*a.store, ana, true).value());
    grant = reader.value()->find("aa");
    REQUIRE(grant.value());
    CHECK(grant.value()->revoked);
    CHECK(grant.value()->user.disabled);
}

TEST_CASE("audit rows are found by action prefix actor and whole subject word newest first",
          "[core][accounts][central]") {
    Accounts a;
    REQUIRE(core::insert_audit(*a.store, 1000, "cli", "user.add", "user:1").is_ok());
    REQUIRE(core::insert_audit(*a.store, 2000, "user:1", "person.read", "p_1 p_12").is_ok());
    REQUIRE(core::insert_audit(*a.store, 3000, "user:1", "export.report", "r_1").is_ok());
    REQUIRE(core::insert_audit(*a.store, 4000, "user:2", "person.read", "p_12").is_ok());

    auto oldest_first = core::list_audit(*a.store, 3);
    REQUIRE(oldest_first.is_ok());
    REQUIRE(oldest_first->size() == 3);  // the newest three, oldest first
    CHECK(oldest_first.value()[0].action == "person.read");
    CHECK(oldest_first.value()[2].actor == "user:2");

    auto find = [&](core::AuditFilter f) {
        auto rows = core::find_audit(*a.store, f);
        REQUIRE(rows.is_ok());
        std::vector<std::int64_t> at;
        for (const auto& r : rows.value()) at.push_back(r.at);
        return at;
    };
    core::AuditFilter f;
    CHECK(find(f) == std::vector<std::int64_t>{4000, 3000, 2000, 1000});
    f.subject = "p_1";  // a whole word: p_12 does not match, and '_' is no wildcard
    CHECK(find(f) == std::vector<std::int64_t>{2000});
    f.subject = "p_12";
    CHECK(find(f) == std::vector<std::int64_t>{4000, 2000});
    f.actor = "user:1";
    CHECK(find(f) == std::vector<std::int64_t>{2000});
    f = core::AuditFilter{};
    f.action_prefix = "person.";
    f.since = 2500;
    CHECK(find(f) == std::vector<std::int64_t>{4000});
    f = core::AuditFilter{};
    f.limit = 2;
    const auto page = core::find_audit(*a.store, f).value();
    REQUIRE(page.size() == 2);
    f.before = page.back().n;  // the next page
    CHECK(find(f) == std::vector<std::int64_t>{2000, 1000});

    CHECK(core::audit_repeats(*a.store, "user:2", "person.read", "p_12", 0, 10).value());
    CHECK_FALSE(core::audit_repeats(*a.store, "user:2", "person.read", "p_12", 4001, 10).value());
    CHECK_FALSE(core::audit_repeats(*a.store, "user:1", "person.read", "p_1", 0, 1).value());
}

TEST_CASE("a file with the account tables is recognised as holding them", "[core][accounts]") {
    Accounts a;
    auto info = core::inspect_file(a.path);
    REQUIRE(info.is_ok());
    CHECK(core::holds_accounts(info.value()));
    CHECK(info->meta.at(core::kAccountsSchemaKey) == std::to_string(core::kAccountsSchemaVersion));

    TempDir other;
    { REQUIRE(core::Store::open(other.file("plain.db"), core::StoreOptions{}).is_ok()); }
    auto plain = core::inspect_file(other.file("plain.db"));
    REQUIRE(plain.is_ok());
    CHECK(plain->holds_record());
    CHECK_FALSE(core::holds_accounts(plain.value()));
}

}  // namespace
}  // namespace liaison::test::core_accounts
