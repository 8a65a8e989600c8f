// The connection's statement timing (core/storage/sqlite.hpp, Database::set_statement_sink),
// which bench/replica_report_bench.cpp reads to say where a report's time goes.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/storage/sqlite.hpp"

namespace liaison::test::core_statement_sink {
namespace {

using core::Database;
using core::Statement;

struct Heard {
    std::string sql;
    double ms;
};

void run_to_end(Statement& st) {
    while (st.step() == Statement::Step::kRow) {
    }
}

TEST_CASE("a statement sink hears each run of a statement and nothing once it is removed",
          "[core][sqlite]") {
    auto db = Database::open(":memory:", {});
    REQUIRE(db.is_ok());
    Database& d = *db.value();
    REQUIRE(d.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3);").is_ok());

    std::vector<Heard> heard;
    d.set_statement_sink([&](std::string_view sql, double ms) {
        heard.push_back({std::string(sql), ms});
    });
    const char* sql = "SELECT x FROM t ORDER BY x";
    auto& st = d.cached(sql);
    run_to_end(st);
    st.reset();
    run_to_end(st);
    REQUIRE(heard.size() == 2);
    for (const auto& h : heard) {
        CHECK(h.sql == sql);
        CHECK(h.ms >= 0);
    }

    // A statement left on a row is heard when it is reset.
    auto& again = d.cached(sql);
    REQUIRE(again.step() == Statement::Step::kRow);
    CHECK(heard.size() == 2);
    again.reset();
    CHECK(heard.size() == 3);

    d.set_statement_sink({});
    run_to_end(d.cached(sql));
    CHECK(heard.size() == 3);
}

}  // namespace
}  // namespace liaison::test::core_statement_sink
