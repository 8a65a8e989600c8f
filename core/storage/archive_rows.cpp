// Whole-record reads for the archive (archive_rows.hpp).
#include "core/storage/archive_rows.hpp"

#include <cstring>

#include "core/storage/history.hpp"

namespace liaison::core {
namespace {

using Step = Statement::Step;

Id128 id_at(const Statement& st, int col) {
    Id128 id;
    const auto b = st.column_blob(col);
    if (b.size() == id.bytes.size()) std::memcpy(id.bytes.data(), b.data(), b.size());
    return id;
}

// The ids of a one-column query, in its order.
Result<std::vector<Id128>> ids_of(Store& store, const std::string& sql) {
    auto st = store.db().prepare(sql);
    if (!st) return st.status();
    std::vector<Id128> out;
    Step s;
    while ((s = st->step()) == Step::kRow) out.push_back(id_at(*st, 0));
    if (s == Step::kError) return Status::storage(st->error());
    return out;
}

}  // namespace

Result<std::vector<Id128>> row_ids(Store& store, Kind kind) {
    return ids_of(store, "SELECT eid FROM " + table_name(kind) + " ORDER BY eid");
}

Result<std::vector<std::pair<Id128, Id128>>> alias_edges(Store& store) {
    auto st = store.db().prepare("SELECT a, b FROM alias ORDER BY a, b");
    if (!st) return st.status();
    std::vector<std::pair<Id128, Id128>> out;
    Step s;
    while ((s = st->step()) == Step::kRow) out.emplace_back(id_at(*st, 0), id_at(*st, 1));
    if (s == Step::kError) return Status::storage(st->error());
    return out;
}

Status for_each_logged_op(Store& store, const std::function<Status(const OpLogRow&)>& f) {
    // Replica and actor by number (idnum, storage v4): joined back to their ids here.
    auto st = store.db().prepare(
        "SELECT o.eid, o.hlc, r.id, a.id, o.type, o.touched FROM oplog o "
        "JOIN idnum r ON r.n = o.replica LEFT JOIN idnum a ON a.n = o.actor "
        "ORDER BY o.hlc, r.id, o.eid");
    if (!st) return st.status();
    Step s;
    while ((s = st->step()) == Step::kRow) {
        OpLogRow row;
        row.entity = id_at(*st, 0);
        row.stamp.hlc = std::uint64_t(st->column_int(1));
        row.stamp.replica = id_at(*st, 2);
        if (!st->column_is_null(3)) row.actor = id_at(*st, 3);
        row.type = int(st->column_int(4));
        row.touched = std::uint64_t(st->column_int(5));
        LIAISON_TRY(f(row));
    }
    if (s == Step::kError) return Status::storage(st->error());
    return Status::ok();
}

Result<std::vector<Id128>> history_ids(Store& store) {
    if (!has_history_schema(store)) return std::vector<Id128>{};
    return ids_of(store, "SELECT DISTINCT eid FROM server_history ORDER BY eid");
}

}  // namespace liaison::core
