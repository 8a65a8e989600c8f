#include "core/query/row_scan.hpp"

#include <algorithm>
#include <cstdint>

#include "core/query/view.hpp"
#include "core/storage/dialect.hpp"

namespace liaison::core {
namespace {

// An HLC stamp's physical part is its milliseconds above 16 counter bits (sync/hlc.hpp; core
// does not include sync).
constexpr int kHlcCounterBits = 16;

}  // namespace

std::string visible_sql(std::string_view alias) {
    const std::string p(alias);
    return "(" + p + ".created IS NOT NULL AND " + p + ".deleted IS NULL)";
}

Status each_row(Store& store, const std::string& sql, const std::function<void(Statement&)>& row) {
    auto st = store.db().prepare(sql);
    if (!st) return st.status();
    Statement::Step s;
    while ((s = st->step()) == Statement::Step::kRow) row(*st);
    if (s == Statement::Step::kError) return Status::storage(st->error());
    return Status::ok();
}

std::optional<Id128> id_col(Statement& r, int col) {
    auto b = r.column_blob(col);
    if (r.column_is_null(col) || b.size() != 16) return std::nullopt;
    return Id128::from_bytes(b.data());
}

std::string text_col(Statement& r, int col) {
    return r.column_is_null(col) ? std::string() : std::string(r.column_text_view(col));
}

std::string created_date(Statement& r, int col) {
    auto b = r.column_blob(col);
    if (b.size() < 8) return "";
    std::uint64_t hlc = 0;
    for (int i = 0; i < 8; ++i) hlc = (hlc << 8) | static_cast<unsigned char>(b[std::size_t(i)]);
    return iso_date(std::int64_t(hlc >> kHlcCounterBits));
}

std::string set_sql(Store& store, std::string_view eid, Kind kind, const char* set) {
    return "(SELECT " + sql_distinct_list(store.db().backend(), "s.elem") +
           " FROM sdot s WHERE s.eid=" + std::string(eid) +
           " AND s.sidx=" + std::to_string(kind_def(kind).set_index(set)) + " AND s.removed=0)";
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from < s.size()) {
        std::size_t to = s.find(',', from);
        if (to == std::string::npos) to = s.size();
        if (to > from) out.push_back(s.substr(from, to - from));
        from = to + 1;
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string id_literal(const Id128& id) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "X'";
    for (std::uint8_t b : id.bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out + "'";
}

}  // namespace liaison::core
