// The record's layout on PostgreSQL (core/storage/layout.hpp, then the numbered migrations after
// it) against SQLite's: a store opened on a real PostgreSQL database has the same tables,
// columns and index names as a store file this build creates, less the full-text tables and
// PostgreSQL's version table (docs/STORAGE.md, "Two backends").
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <utility>

#include "core/storage/database.hpp"
#include "core/storage/store.hpp"
#include "support/harness.hpp"

#ifndef __EMSCRIPTEN__
#include "support/pg_cluster.hpp"

namespace liaison::test::core_pg_layout {
namespace {

using core::Database;
using core::Statement;
using Names = std::set<std::pair<std::string, std::string>>;

// Two text columns of every row `sql` gives.
Names pairs(Database& db, const std::string& sql) {
    auto st = db.prepare(sql);
    if (!st) FAIL(st.status().to_string());
    Names out;
    while (st->step() == Statement::Step::kRow) out.emplace(st->column_text(0), st->column_text(1));
    return out;
}

TEST_CASE("the record laid out on PostgreSQL has SQLite's tables columns and indexes",
          "[pg][native][storage]") {
    TempDir dir;
    auto store = open_hub_store(dir.file("layout.db"));
    Database& lite = store->db();
    // SQLite: every table of the record but the full-text ones (and their shadow tables).
    Names lite_columns =
        pairs(lite,
              "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE "
              "m.type='table' AND m.name NOT LIKE 'fts\\_%' ESCAPE '\\' AND m.name NOT LIKE "
              "'sqlite\\_%' ESCAPE '\\'");
    Names lite_indexes = pairs(lite,
                               "SELECT tbl_name, name FROM sqlite_master WHERE type='index' AND "
                               "name NOT LIKE 'sqlite\\_autoindex%' ESCAPE '\\'");
    REQUIRE(lite_columns.size() > 100);

    // PostgreSQL as a server's store lays it out: the layout of kPgLayoutVersion, then the
    // numbered migrations after it (core/storage/store.cpp).
    auto opened = core::Store::open(PgCluster::shared().new_database(), {});
    if (!opened) FAIL(opened.status().to_string());
    Database* pg = &opened.value()->db();
    Names pg_columns = pairs(*pg,
                             "SELECT table_name, column_name FROM information_schema.columns "
                             "WHERE table_schema='public' AND table_name <> 'liaison_version'");
    // The keys' own indexes are named by PostgreSQL (…_pkey, …_key), SQLite's are implicit.
    Names pg_indexes = pairs(*pg,
                             "SELECT tablename, indexname FROM pg_indexes WHERE "
                             "schemaname='public' AND indexname NOT LIKE '%\\_pkey' AND "
                             "indexname NOT LIKE '%\\_key'");
    CHECK(pg_columns == lite_columns);
    CHECK(pg_indexes == lite_indexes);
}

}  // namespace
}  // namespace liaison::test::core_pg_layout

#endif
