#include "core/storage/dialect.hpp"

namespace liaison::core {

std::string sql_upper_hex(Backend backend, std::string_view expr) {
    std::string e(expr);
    if (backend == Backend::kSqlite) return "hex(" + e + ")";
    return "coalesce(upper(encode(" + e + ", 'hex')), '')";
}

std::string sql_utc_month(Backend backend, std::string_view ms_expr) {
    std::string e(ms_expr);
    if (backend == Backend::kSqlite) return "strftime('%Y-%m', " + e + "/1000, 'unixepoch')";
    // Integer division, as on SQLite: a time before the epoch rounds toward zero on both.
    return "to_char(to_timestamp(" + e + "/1000) AT TIME ZONE 'UTC', 'YYYY-MM')";
}

std::string sql_distinct_list(Backend backend, std::string_view expr) {
    std::string e(expr);
    if (backend == Backend::kSqlite) return "group_concat(DISTINCT " + e + ")";
    return "string_agg(DISTINCT " + e + ", ',')";
}

std::string sql_nocase_key(Backend backend, std::string_view expr) {
    std::string e(expr);
    if (backend == Backend::kSqlite) return e + " COLLATE NOCASE";
    // translate() maps only the 26 ASCII capitals, whatever the database's locale; the text
    // columns are COLLATE "C" (core/storage/layout.hpp), so the key compares byte-wise.
    return "translate(" + e + ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
}

std::int64_t sql_limit(std::size_t limit) {
    constexpr auto kMax = std::size_t(INT64_MAX);
    return std::int64_t(limit > kMax ? kMax : limit);
}

std::string sql_indexed_by(Backend backend, std::string_view index) {
    if (backend == Backend::kSqlite) return "INDEXED BY " + std::string(index);
    return "";
}

}  // namespace liaison::core
