// The few SQL fragments that differ between SQLite and PostgreSQL (docs/STORAGE.md, "Two
// backends"), chosen by Database::backend(). Callers write SQLite's dialect and the translator
// (pg_sql.hpp) rewrites what has a direct equivalent; what it refuses, or what means something
// else on PostgreSQL, a caller asks for here by name, so each difference is written once and
// both forms sit side by side.
//
// Each function takes an SQL expression (trusted text built by the caller, never user input)
// and returns an expression with the same value on both engines. Where an order or a group
// depends on the result, the two forms give the same bytes, not merely an equivalent order.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/storage/database.hpp"

namespace liaison::core {

// The blob `expr` as upper-case hexadecimal, '' for NULL (SQLite's hex(); PostgreSQL's
// encode() gives lower case and NULL).
std::string sql_upper_hex(Backend backend, std::string_view expr);

// "YYYY-MM" of the UTC month of `ms_expr`, milliseconds since the epoch (NULL for NULL).
std::string sql_utc_month(Backend backend, std::string_view ms_expr);

// The distinct non-null values of the text `expr` in a group, joined by ',' in no set order
// (SQLite's group_concat(DISTINCT x); PostgreSQL's string_agg). NULL for an empty group.
std::string sql_distinct_list(Backend backend, std::string_view expr);

// A sort key for the text `expr` that orders as SQLite's COLLATE NOCASE: ASCII letters folded
// to lower case, every other byte as it is, compared byte by byte. Not a locale's order: "É"
// and "é" stay apart, as they do on SQLite. NULL stays NULL (say NULLS FIRST where that matters).
std::string sql_nocase_key(Backend backend, std::string_view expr);

// A LIMIT parameter for `limit` rows: a size_t past INT64_MAX (SIZE_MAX for "all") would be
// negative as a 64-bit integer, which SQLite reads as no limit and PostgreSQL refuses.
std::int64_t sql_limit(std::size_t limit);

// SQLite's "INDEXED BY `index`" after a table name, where its planner must be told which index
// to probe; "" on PostgreSQL, whose planner has no such hint and chooses from statistics.
std::string sql_indexed_by(Backend backend, std::string_view index);

}  // namespace liaison::core
