// Small pieces shared by the queries that scan a kind's table with their own SQL (the
// compliance issues, retention): the visibility clause, a row loop that reports a storage
// error, and the columns they read (an id blob, a text, a row's creation day).
//
// Thread-safety: as the Store.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/ids.hpp"
#include "core/model/schema.hpp"
#include "core/storage/sqlite.hpp"
#include "core/storage/store.hpp"

namespace liaison::core {

// "(a.created IS NOT NULL AND a.deleted IS NULL)" for the table alias `a`: created, not deleted.
std::string visible_sql(std::string_view alias);
// Runs `sql` and calls `row` for each row; a step error is kStorage with SQLite's message.
Status each_row(Store& store, const std::string& sql, const std::function<void(Statement&)>& row);
// Column `col` as an id (a 16-byte blob), or nullopt when null or of another size.
std::optional<Id128> id_col(Statement& r, int col);
// Column `col` as text, "" when null.
std::string text_col(Statement& r, int col);
// The UTC day (YYYY-MM-DD) a row was created, from its `created` stamp column (8 bytes of HLC,
// big-endian, first); "" when the column is shorter.
std::string created_date(Statement& r, int col);
// "(SELECT group_concat(…))": the elements of set `set` of `kind` for the entity column `eid`,
// comma-separated in no set order (a subquery to select as a column), in the dialect of the
// store's backend (core/storage/dialect.hpp).
std::string set_sql(Store& store, std::string_view eid, Kind kind, const char* set);
// A comma-separated list's items, sorted ("" gives none).
std::vector<std::string> split_commas(const std::string& s);
// An id as an SQL blob literal, X'…' (hex: no text of the record reaches the statement).
std::string id_literal(const Id128& id);

}  // namespace liaison::core
