// The database generation after a PostgreSQL failover (docs/SYNC.md "Generations",
// docs/SCALING.md §4): a server that finds the database's lineage — its cluster and WAL
// timeline (core/storage/lineage.hpp) — changed since the generation was recorded gives it a
// new generation, once; a database with no lineage recorded yet keeps its generation. The
// failover itself (a standby promoted) runs in tests/server/failover_test.cpp; here a
// recorded lineage from "another timeline" stands for it.
#include <catch2/catch.hpp>

#include "core/storage/lineage.hpp"
#include "support/harness.hpp"
#include "support/pg_cluster.hpp"
#include "sync/generations.hpp"

namespace liaison::test::sync_failover_generation {

namespace {

std::unique_ptr<core::Store> open_store(const std::string& url) {
    auto store = core::Store::open(url, {});
    REQUIRE(store.is_ok());
    return std::move(store.value());
}

}  // namespace

TEST_CASE("a SQLite file has no lineage and its generation is only ever given once",
          "[sync][generations]") {
    TempDir dir;
    auto store = open_store(dir.file("hub.db"));
    auto lineage = core::database_lineage(store->db());
    REQUIRE(lineage.is_ok());
    CHECK_FALSE(lineage.value().has_value());
    auto ids = core::make_random_id_source();
    REQUIRE(sync::ensure_database_generation(*store, *ids).is_ok());
    const core::Id128 given = sync::database_generation(*store);
    CHECK_FALSE(given.is_nil());
    REQUIRE(sync::ensure_database_generation(*store, *ids).is_ok());
    CHECK(sync::database_generation(*store) == given);
    CHECK_FALSE(store->meta_get("db_lineage").has_value());
}

#ifndef __EMSCRIPTEN__  // PostgreSQL: native builds only

namespace {

std::string lineage_of(core::Store& store) {
    auto lineage = core::database_lineage(store.db());
    REQUIRE(lineage.is_ok());
    REQUIRE(lineage.value().has_value());
    return *lineage.value();
}

}  // namespace

TEST_CASE("a database whose PostgreSQL lineage changed gets a new database generation once",
          "[sync][generations][pg]") {
    auto store = open_store(PgCluster::shared().new_database());
    auto ids = core::make_random_id_source();
    const std::string lineage = lineage_of(*store);
    // "<system identifier>/<timeline>": a fresh cluster writes timeline 1.
    CHECK(lineage.size() > 2);
    CHECK(lineage.substr(lineage.size() - 2) == "/1");

    REQUIRE(sync::ensure_database_generation(*store, *ids).is_ok());
    const core::Id128 first = sync::database_generation(*store);
    CHECK_FALSE(first.is_nil());
    CHECK(store->meta_get("db_lineage") == lineage);
    REQUIRE(sync::ensure_database_generation(*store, *ids).is_ok());
    CHECK(sync::database_generation(*store) == first);  // same lineage: kept

    // Recorded on the timeline before a promotion: the next start renews it, once.
    const std::string system = lineage.substr(0, lineage.find('/'));
    REQUIRE(store->meta_set("db_lineage", system + "/0").is_ok());
    REQUIRE(sync::ensure_database_generation(*store, *ids).is_ok());
    const core::Id128 second = sync::database_generation(*store);
    CHECK_FALSE(second.is_nil());
    CHECK(second != first);
    CHECK(store->meta_get("db_lineage") == lineage);
    REQUIRE(sync::ensure_database_generation(*store, *ids).is_ok());
    CHECK(sync::database_generation(*store) == second);

    // Another cluster (a copy restored elsewhere): renewed too.
    REQUIRE(store->meta_set("db_lineage", "1/" + lineage.substr(lineage.find('/') + 1)).is_ok());
    REQUIRE(sync::ensure_database_generation(*store, *ids).is_ok());
    CHECK(sync::database_generation(*store) != second);
}

TEST_CASE("a PostgreSQL database given its generation before lineages were recorded keeps it",
          "[sync][generations][pg]") {
    auto store = open_store(PgCluster::shared().new_database());
    auto ids = core::make_random_id_source();
    REQUIRE(sync::renew_database_generation(*store, *ids).is_ok());  // as an older server did
    const core::Id128 kept = sync::database_generation(*store);
    CHECK_FALSE(store->meta_get("db_lineage").has_value());
    REQUIRE(sync::ensure_database_generation(*store, *ids).is_ok());
    CHECK(sync::database_generation(*store) == kept);
    CHECK(store->meta_get("db_lineage") == lineage_of(*store));
}

#endif  // __EMSCRIPTEN__

}  // namespace liaison::test::sync_failover_generation
