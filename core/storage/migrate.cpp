// The copy between engines (migrate.hpp): the tables it knows, how a page of rows is read,
// converted, written and read back, and the checks around it.
#include "core/storage/migrate.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "core/storage/accounts.hpp"
#include "core/storage/evidence.hpp"
#include "core/storage/history.hpp"
#include "core/storage/retention_runs.hpp"
#include "core/util/sha256.hpp"

namespace liaison::core {
namespace {

using Step = Statement::Step;

// How a column is read and bound. Values (integers, text) go through Statement's Value; blobs
// must be bound as blobs, or PostgreSQL would read them as text. The history's `value` is a
// blob where it is packed and a value where it is a version 1 row (history.hpp).
enum class CellKind { kValue, kBlob, kHistoryValue };

struct ColumnSpec {
    std::string name;
    CellKind cell = CellKind::kValue;
    // The same column's name on SQLite where it differs ("rowid": the staff links' order).
    std::string sqlite_name;
    const std::string& on(Backend b) const {
        return b == Backend::kSqlite && !sqlite_name.empty() ? sqlite_name : name;
    }
};

// Which module's tables: the source decides which of the server's are copied.
enum class TableGroup { kRecord, kAccounts, kEvidence, kHistory, kRetention };

struct TableSpec {
    std::string name;
    TableGroup group = TableGroup::kRecord;
    std::vector<ColumnSpec> columns;
    std::size_t keys = 1;  // the first `keys` columns: the unique key pages follow
    // The column an identity numbers on PostgreSQL (-1: none), and whether SQLite keeps its
    // high-water mark (AUTOINCREMENT, in sqlite_sequence): a deleted user's id is never reused.
    int identity = -1;
    bool autoincrement = false;
    std::optional<Kind> searchable;  // a kind whose rows SQLite's full-text index holds
    int page_rows = kCopyPageRows;
};

ColumnSpec val(std::string name) { return {std::move(name), CellKind::kValue, ""}; }
ColumnSpec blob(std::string name) { return {std::move(name), CellKind::kBlob, ""}; }

// One kind's table, as store.cpp and layout.cpp lay it out: the key, the row's stamps and
// sequence number, then each field's value and clock. References are 16-byte blobs.
TableSpec kind_table(const KindDef& k) {
    TableSpec t{table_name(k.kind), TableGroup::kRecord, {blob("eid")}};
    if (k.has_searchable()) {
        t.columns.push_back(val("rid"));
        t.identity = 1;
        t.searchable = k.kind;
    }
    for (const char* c : {"created", "deleted"}) t.columns.push_back(blob(c));
    t.columns.push_back(val("seq"));
    for (const auto& f : k.fields) {
        t.columns.push_back(f.type == FieldType::kRef ? blob(value_column(f))
                                                      : val(value_column(f)));
        t.columns.push_back(blob(clock_column(f)));
    }
    return t;
}

// Every table the copy knows, in the order it copies them. Keep it in step with the layouts
// (store.cpp's migrations, layout.cpp, and the server modules' schemas): a table or column
// missing here is refused at begin(), never dropped.
const std::vector<TableSpec>& table_specs() {
    static const std::vector<TableSpec> all = [] {
        std::vector<TableSpec> t;
        for (const auto& k : all_kinds()) t.push_back(kind_table(k));
        const auto R = TableGroup::kRecord;
        t.push_back(
            {"sdot", R, {blob("eid"), val("sidx"), val("elem"), blob("dot"), val("removed")}, 4});
        t.push_back({"subject_alt", R, {blob("eid"), val("fidx"), blob("subject")}, 3});
        t.push_back({"erased", R, {blob("eid"), val("seq")}});
        t.push_back({"erased_kind", R, {blob("eid"), val("kind")}});
        t.push_back({"alias", R, {blob("a"), blob("b"), val("seq")}, 2});
        t.push_back({"idnum", R, {val("n"), blob("id")}, 1, 0});
        t.push_back(
            {"oplog",
             R,
             {blob("eid"), val("hlc"), val("replica"), val("actor"), val("type"), val("touched")},
             3});
        t.push_back({"outbox",
                     R,
                     {val("n"), blob("eid"), blob("op"), val("type"), blob("body"), val("grp")},
                     1,
                     0});
        t.push_back({"meta", R, {val("key"), val("value")}});
        t.push_back({"scope_seen", R, {blob("eid"), val("region"), val("brand"), val("store")}, 4});
        t.push_back({"directory", R, {blob("eid"), val("email_digest"), val("phone_digest")}});

        // The server's tables (accounts.cpp, evidence.cpp, history.cpp, retention_runs.cpp).
        // "user" is quoted everywhere: a reserved word on PostgreSQL.
        const auto A = TableGroup::kAccounts;
        t.push_back({"server_users",
                     A,
                     {val("id"), val("name"), val("role"), val("regions"), val("stores"),
                      val("brands"), val("disabled"), val("created_at")},
                     1,
                     0,
                     true});
        t.push_back({"server_tokens",
                     A,
                     {val("id"), val("\"user\""), val("device"), val("salt"), val("hash"),
                      val("revoked"), val("created_at"), val("revoked_at")}});
        t.push_back({"server_audit",
                     A,
                     {val("n"), val("at"), val("actor"), val("action"), val("subject")},
                     1,
                     0,
                     true});
        t.push_back({"server_replicas",
                     A,
                     {blob("replica"), val("\"user\""), val("device"), val("first_seen")}});
        // Staff links read back in the order they were made: SQLite's rowid, PostgreSQL's n
        // (accounts.cpp, version 3). Copied as each other.
        t.push_back(
            {"server_user_staff",
             A,
             {{"n", CellKind::kValue, "rowid"}, val("\"user\""), val("staff"), val("added_at")},
             1,
             0});
        t.push_back({"server_signin_codes",
                     A,
                     {val("id"), val("\"user\""), val("device"), val("salt"), val("hash"),
                      val("created_at"), val("expires_at"), val("used_at"), val("token")}});
        const auto E = TableGroup::kEvidence;
        t.push_back({"server_evidence_blobs",
                     E,
                     {val("sha"), val("media_type"), val("size"), blob("bytes")},
                     1,
                     -1,
                     false,
                     std::nullopt,
                     kEvidencePageRows});
        t.push_back({"server_evidence_links",
                     E,
                     {blob("eid"), val("sha"), val("kind"), val("name"), val("purpose"),
                      val("uploaded_by"), val("uploaded_at")},
                     2});
        t.push_back({"server_history",
                     TableGroup::kHistory,
                     {blob("eid"),
                      blob("stamp"),
                      val("slot"),
                      {"value", CellKind::kHistoryValue, ""},
                      val("superseded")},
                     3});
        const auto T = TableGroup::kRetention;
        t.push_back({"server_retention_runs",
                     T,
                     {val("id"), val("proposed_by"), val("proposed_at"), val("today"), val("rules"),
                      val("state"), val("truncated"), val("decided_by"), val("decided_at"),
                      val("finished_at")},
                     1,
                     0,
                     true});
        t.push_back({"server_retention_items",
                     T,
                     {val("run"), val("n"), val("list"), val("person"), val("rule"),
                      val("last_contact"), val("last_kind"), val("created"), val("due_since"),
                      val("reason"), val("outcome"), val("outcome_reason"), val("done_at")},
                     2});
        return t;
    }();
    return all;
}

// Tables a source may hold that are not copied: SQLite's own, its full-text index (rebuilt
// from the rows) and PostgreSQL's storage version (laid out with the destination).
bool derived_table(std::string_view name) {
    return name.rfind("sqlite_", 0) == 0 || name.rfind("fts_", 0) == 0 || name == "liaison_version";
}

// ---- Cells and rows ----------------------------------------------------------------------

struct Cell {
    enum class Type : std::uint8_t { kNull, kInt, kText, kBlob } type = Type::kNull;
    std::int64_t i = 0;
    std::string s;
};
using CellRow = std::vector<Cell>;

Cell int_cell(std::int64_t v) { return {Cell::Type::kInt, v, {}}; }
Cell bytes_cell(Cell::Type type, std::string_view s) { return {type, 0, std::string(s)}; }

Cell value_cell(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return int_cell(*i);
    if (const auto* t = std::get_if<std::string>(&v)) return bytes_cell(Cell::Type::kText, *t);
    return {};
}

Value cell_value(const Cell& c) {
    if (c.type == Cell::Type::kInt) return c.i;
    if (c.type == Cell::Type::kNull) return std::monostate{};
    return c.s;
}

// The slot column of server_history (its third) and the slot of a packed row.
constexpr std::size_t kHistorySlotColumn = 2;

bool history_packed(const CellRow& row, Backend backend) {
    return backend == Backend::kPostgres ||
           (row.size() > kHistorySlotColumn && row[kHistorySlotColumn].type == Cell::Type::kInt &&
            row[kHistorySlotColumn].i == kPackedSlot);
}

// Reads column `i` of the statement's row as `spec` says; `row` holds the columns before it.
Cell read_cell(const Statement& st, int i, const ColumnSpec& spec, Backend backend,
               const CellRow& row) {
    if (st.column_is_null(i)) return {};
    const bool as_blob = spec.cell == CellKind::kBlob ||
                         (spec.cell == CellKind::kHistoryValue && history_packed(row, backend));
    if (as_blob) return bytes_cell(Cell::Type::kBlob, st.column_blob(i));
    return value_cell(st.column_value(i));
}

void bind_cell(Statement& st, int i, const Cell& c) {
    switch (c.type) {
        case Cell::Type::kNull:
            st.bind_null(i);
            break;
        case Cell::Type::kInt:
            st.bind(i, c.i);
            break;
        case Cell::Type::kText:
            st.bind(i, std::string_view(c.s));
            break;
        case Cell::Type::kBlob:
            st.bind_blob(i, c.s.data(), c.s.size());
            break;
    }
}

// A digest of a table's rows that does not depend on their order: the sum, lane by lane, of
// each row's SHA-256 (its cells with their types and lengths). The rows written and the rows
// read back must give the same one.
class RowsDigest {
public:
    void add(const CellRow& row) {
        Sha256 h;
        for (const auto& c : row) {
            const char tag = char('0' + int(c.type));
            h.update(&tag, 1);
            if (c.type == Cell::Type::kInt) h.update_u64(std::uint64_t(c.i));
            if (c.type == Cell::Type::kText || c.type == Cell::Type::kBlob) {
                h.update_u64(c.s.size());
                h.update(c.s);
            }
        }
        const auto d = h.finish();
        for (std::size_t lane = 0; lane < sum_.size(); ++lane) {
            std::uint64_t v = 0;
            for (std::size_t b = 0; b < 8; ++b) v = (v << 8) | d[lane * 8 + b];
            sum_[lane] += v;
        }
        ++rows_;
    }
    std::int64_t rows() const { return rows_; }
    bool operator==(const RowsDigest&) const = default;

private:
    std::array<std::uint64_t, 4> sum_{};
    std::int64_t rows_ = 0;
};

// ---- SQL built from a spec -----------------------------------------------------------------

std::string column_list(const TableSpec& t, Backend b) {
    std::string out;
    for (const auto& c : t.columns) out += (out.empty() ? "" : ",") + c.on(b);
    return out;
}

// A page of rows in key order: the first (`after` false) or the one after the key bound as
// ?1..?keys.
std::string page_sql(const TableSpec& t, Backend b, bool after) {
    std::string keys;
    std::string params;
    for (std::size_t i = 0; i < t.keys; ++i) {
        keys += (i ? "," : "") + t.columns[i].on(b);
        params += (i ? ",?" : "?") + std::to_string(i + 1);
    }
    std::string sql = "SELECT " + column_list(t, b) + " FROM " + t.name;
    if (after) sql += " WHERE (" + keys + ") > (" + params + ")";
    return sql + " ORDER BY " + keys + " LIMIT " + std::to_string(t.page_rows);
}

// An INSERT of `rows` rows at once.
std::string insert_sql(const TableSpec& t, Backend b, std::size_t rows) {
    std::string sql = "INSERT INTO " + t.name + "(" + column_list(t, b) + ") VALUES";
    int p = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r ? ",(" : "(";
        for (std::size_t c = 0; c < t.columns.size(); ++c)
            sql += (c ? ",?" : "?") + std::to_string(++p);
        sql += ")";
    }
    return sql;
}

// Parameters per INSERT: under SQLite's and PostgreSQL's limits with room to spare, and rows
// enough per round trip that PostgreSQL's latency does not dominate.
constexpr std::size_t kMaxParams = 960;

// ---- What a database holds ---------------------------------------------------------------

Result<std::set<std::string>> table_names(Database& db) {
    auto st = db.prepare(db.backend() == Backend::kPostgres
                             ? "SELECT table_name FROM information_schema.tables WHERE "
                               "table_schema=current_schema()"
                             : "SELECT name FROM sqlite_master WHERE type='table'");
    if (!st) return st.status();
    std::set<std::string> out;
    Step s;
    while ((s = st->step()) == Step::kRow) out.insert(st->column_text(0));
    if (s == Step::kError) return Status::storage("cannot list the tables: " + st->error());
    return out;
}

Result<std::int64_t> column_count(Database& db, const std::string& table) {
    auto st = db.prepare(db.backend() == Backend::kPostgres
                             ? "SELECT count(*) FROM information_schema.columns WHERE "
                               "table_schema=current_schema() AND table_name=?1"
                             : "SELECT count(*) FROM pragma_table_info(?1)");
    if (!st) return st.status();
    st->bind(1, std::string_view(table));
    if (st->step() != Step::kRow)
        return Status::storage("cannot list the columns of " + table + ": " + st->error());
    return st->column_int(0);
}

Result<std::int64_t> row_count(Database& db, const std::string& table) {
    auto n = db.query_int("SELECT count(*) FROM " + table);
    if (!n) return Status::storage("cannot count the rows of " + table + ": " + db.error());
    return *n;
}

// The columns the table has on `b` (SQLite's rowid is not one it lists).
std::int64_t spec_columns(const TableSpec& t, Backend b) {
    return std::int64_t(std::count_if(t.columns.begin(), t.columns.end(),
                                      [&](const auto& c) { return c.on(b) != "rowid"; }));
}

// The groups of server tables `store` has.
Result<std::set<TableGroup>> groups_of(Store& store, const std::set<std::string>& tables) {
    std::set<TableGroup> g{TableGroup::kRecord};
    if (has_accounts_schema(store)) g.insert(TableGroup::kAccounts);
    if (has_evidence_schema(store)) g.insert(TableGroup::kEvidence);
    if (has_history_schema(store)) g.insert(TableGroup::kHistory);
    if (tables.count("server_retention_runs")) g.insert(TableGroup::kRetention);
    return g;
}

// Creates (or brings to this build's version) the tables of `groups` on `store`, each by its
// own module.
Status ensure_groups(Store& store, const std::set<TableGroup>& groups) {
    if (groups.count(TableGroup::kAccounts)) LIAISON_TRY(ensure_accounts_schema(store));
    if (groups.count(TableGroup::kEvidence)) LIAISON_TRY(ensure_evidence_schema(store));
    if (groups.count(TableGroup::kHistory)) LIAISON_TRY(ensure_history_schema(store));
    if (groups.count(TableGroup::kRetention)) LIAISON_TRY(ensure_retention_tables(store));
    return Status::ok();
}

// The last key an identity handed out on the source, beyond the largest one a row still has
// (AUTOINCREMENT's or the sequence's high-water mark); 0 when unknown.
Result<std::int64_t> identity_mark(Database& db, const TableSpec& t) {
    if (db.backend() == Backend::kSqlite) {
        if (!t.autoincrement) return std::int64_t(0);
        auto& st = db.cached("SELECT seq FROM sqlite_sequence WHERE name=?1");
        st.bind(1, std::string_view(t.name));
        const Step s = st.step();
        const std::int64_t mark = s == Step::kRow ? st.column_int(0) : 0;
        st.reset();
        return mark;
    }
    auto st = db.prepare("SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence(?1, ?2)" +
                         std::string("::regclass), 0)"));
    if (!st) return st.status();
    st->bind(1, std::string_view(t.name))
        .bind(2, std::string_view(t.columns[std::size_t(t.identity)].name));
    if (st->step() != Step::kRow)
        return Status::storage("cannot read the identity of " + t.name + ": " + st->error());
    return st->column_int(0);
}

// Makes the destination's identity continue after `mark`.
Status continue_identity(Database& db, const TableSpec& t, std::int64_t mark) {
    if (db.backend() == Backend::kSqlite) {
        // Without AUTOINCREMENT SQLite takes the largest key + 1 by itself.
        if (!t.autoincrement || mark <= 0) return Status::ok();
        auto& up = db.cached("UPDATE sqlite_sequence SET seq=?2 WHERE name=?1 AND seq<?2");
        up.bind(1, std::string_view(t.name)).bind(2, mark);
        LIAISON_TRY(up.run());
        auto& add = db.cached(
            "INSERT INTO sqlite_sequence(name, seq) SELECT ?1, ?2 WHERE NOT EXISTS("
            "SELECT 1 FROM sqlite_sequence WHERE name=?1)");
        add.bind(1, std::string_view(t.name)).bind(2, mark);
        return add.run();
    }
    // setval(.., n, true): the next key is n + 1; (.., 1, false): the next is 1.
    auto st = db.prepare(std::string("SELECT setval(pg_get_serial_sequence(?1, ?2)::regclass, ") +
                         (mark > 0 ? "?3, true)" : "1, false)"));
    if (!st) return st.status();
    st->bind(1, std::string_view(t.name))
        .bind(2, std::string_view(t.columns[std::size_t(t.identity)].name));
    if (mark > 0) st->bind(3, mark);
    if (st->step() != Step::kRow)
        return Status::storage("cannot set the identity of " + t.name + ": " + st->error());
    return Status::ok();
}

}  // namespace

// ---- The copy --------------------------------------------------------------------------------

struct DatabaseCopy::Impl {
    Store& from;
    Store& to;
    std::set<TableGroup> groups;
    std::unique_ptr<Transaction> source_lock;  // never committed: rolls back at the end
    std::unique_ptr<Transaction> txn;          // the destination's one transaction
    bool copied = false;

    Backend src() const { return from.db().backend(); }
    Backend dst() const { return to.db().backend(); }

    // The row as the destination keeps it (the history's two layouts, history.hpp).
    Status convert(const TableSpec& t, CellRow& row) const {
        if (t.name != "server_history" || src() == dst()) return Status::ok();
        Cell& value = row[3];
        if (row[kHistorySlotColumn].i == kPackedSlot) return Status::ok();
        if (dst() == Backend::kPostgres) {
            // A version 1 row: its one value packed under its own slot, as PostgreSQL writes it.
            value = bytes_cell(Cell::Type::kBlob,
                               pack_history_value(int(row[kHistorySlotColumn].i), cell_value(value),
                                                  row[4].type == Cell::Type::kInt && row[4].i));
            return Status::ok();
        }
        auto unpacked = unpack_history_value(value.s);
        if (!unpacked) return unpacked.status();
        value = value_cell(unpacked.value());
        return Status::ok();
    }

    // Reads one page of `t` from `db` after `last` (empty: the first page).
    Status read_page(Database& db, const TableSpec& t, const CellRow& last,
                     std::vector<CellRow>& rows) {
        rows.clear();
        const Backend b = db.backend();
        auto& st = db.cached(page_sql(t, b, !last.empty()));
        for (std::size_t i = 0; i < t.keys && !last.empty(); ++i)
            bind_cell(st, int(i) + 1, last[i]);
        Step s;
        while ((s = st.step()) == Step::kRow) {
            CellRow row;
            row.reserve(t.columns.size());
            for (std::size_t c = 0; c < t.columns.size(); ++c)
                row.push_back(read_cell(st, int(c), t.columns[c], b, row));
            rows.push_back(std::move(row));
        }
        const std::string error = s == Step::kError ? st.error() : "";
        st.reset();
        if (s == Step::kError) return Status::storage("reading " + t.name + ": " + error);
        return Status::ok();
    }

    Status write_rows(const TableSpec& t, const std::vector<CellRow>& rows) {
        const std::size_t per = std::max<std::size_t>(1, kMaxParams / t.columns.size());
        for (std::size_t at = 0; at < rows.size(); at += per) {
            const std::size_t n = std::min(per, rows.size() - at);
            auto& st = to.db().cached(insert_sql(t, dst(), n));
            int p = 0;
            for (std::size_t r = at; r < at + n; ++r)
                for (const auto& c : rows[r]) bind_cell(st, ++p, c);
            if (Status s = st.run(); !s)
                return Status::storage("writing " + t.name + ": " + s.detail());
        }
        return Status::ok();
    }

    // Copies one table; its rows' digest as written, and the ids to index (searchable kinds).
    Result<RowsDigest> copy_table(const TableSpec& t, const CopyProgress& progress,
                                  std::vector<Id128>& ids) {
        RowsDigest written;
        std::int64_t mark = 0;
        std::vector<CellRow> rows;
        CellRow last;
        for (;;) {
            LIAISON_TRY(read_page(from.db(), t, last, rows));
            if (rows.empty()) break;
            last = rows.back();
            for (auto& row : rows) {
                LIAISON_TRY(convert(t, row));
                written.add(row);
                if (t.identity >= 0) mark = std::max(mark, row[std::size_t(t.identity)].i);
                if (t.searchable && row[0].s.size() == 16)
                    ids.push_back(Id128::from_bytes(row[0].s.data()));
            }
            LIAISON_TRY(write_rows(t, rows));
            if (progress) progress(t.name, written.rows(), false);
            if (rows.size() < std::size_t(t.page_rows)) break;
        }
        if (t.identity >= 0) {
            auto high = identity_mark(from.db(), t);
            if (!high) return high.status();
            LIAISON_TRY(continue_identity(to.db(), t, std::max(mark, high.value())));
        }
        return written;
    }

    // The table as the destination now holds it.
    Result<RowsDigest> read_back(const TableSpec& t) {
        RowsDigest seen;
        std::vector<CellRow> rows;
        CellRow last;
        for (;;) {
            LIAISON_TRY(read_page(to.db(), t, last, rows));
            if (rows.empty()) break;
            last = rows.back();
            for (const auto& row : rows) seen.add(row);
            if (rows.size() < std::size_t(t.page_rows)) break;
        }
        return seen;
    }
};

DatabaseCopy::DatabaseCopy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DatabaseCopy::~DatabaseCopy() = default;

Result<std::unique_ptr<DatabaseCopy>> DatabaseCopy::begin(Store& from, Store& to) {
    auto impl = std::make_unique<Impl>(Impl{from, to, {}, nullptr, nullptr, false});
    auto src_tables = table_names(from.db());
    if (!src_tables) return src_tables.status();
    auto groups = groups_of(from, src_tables.value());
    if (!groups) return groups.status();
    impl->groups = groups.value();
    // The source's server tables at this build's versions (as every command opens them), so
    // that their columns are the ones copied; the destination gets the same.
    LIAISON_TRY(ensure_groups(from, impl->groups));
    LIAISON_TRY(ensure_groups(to, impl->groups));
    src_tables = table_names(from.db());
    if (!src_tables) return src_tables.status();

    std::set<std::string> known;
    for (const auto& t : table_specs()) known.insert(t.name);
    for (const auto& name : src_tables.value())
        if (!known.count(name) && !derived_table(name))
            return Status(Code::kUnsupportedVersion,
                          "the source has a table this build does not copy: " + name +
                              " (a newer liaison-server's? migrate with that build)");
    for (const auto& t : table_specs()) {
        if (!impl->groups.count(t.group)) continue;
        if (!src_tables->count(t.name))
            return Status::storage("the source lacks the table " + t.name);
        auto n = column_count(from.db(), t.name);
        if (!n) return n.status();
        if (n.value() != spec_columns(t, from.db().backend()))
            return Status(Code::kUnsupportedVersion,
                          "the source's table " + t.name + " has " + std::to_string(n.value()) +
                              " columns, this build copies " +
                              std::to_string(spec_columns(t, from.db().backend())) +
                              " (a newer liaison-server's? migrate with that build)");
    }

    auto dst_tables = table_names(to.db());
    if (!dst_tables) return dst_tables.status();
    for (const auto& t : table_specs()) {
        if (t.name == "meta" || !dst_tables->count(t.name)) continue;  // meta: replaced
        auto n = row_count(to.db(), t.name);
        if (!n) return n.status();
        if (n.value() > 0)
            return Status(Code::kConflict,
                          "the destination is not empty: " + t.name + " holds " +
                              std::to_string(n.value()) +
                              " rows (migrate copies into a new SQLite file or an empty "
                              "PostgreSQL database)");
    }

    if (from.db().backend() == Backend::kPostgres) {
        // The imports' lock: an import running on the source would write half-way through.
        auto held = hold_server_lock(from);
        if (!held) return held.status();
        if (!held.value())
            return Status(Code::kConflict,
                          "an import (import or import-csv) is running on the source database");
    }
    impl->source_lock = std::make_unique<Transaction>(from.db());
    if (!impl->source_lock->begun())
        return Status(Code::kConflict,
                      "another process is writing the source database (a liaison-server or an "
                      "import: stop it first): " +
                          impl->source_lock->begun().detail());
    impl->txn = std::make_unique<Transaction>(to.db());
    LIAISON_TRY(impl->txn->begun());
    return std::unique_ptr<DatabaseCopy>(new DatabaseCopy(std::move(impl)));
}

Result<CopyReport> DatabaseCopy::copy(const CopyProgress& progress) {
    Impl& m = *impl_;
    if (m.copied) return Status(Code::kInternal, "DatabaseCopy::copy called twice");
    m.copied = true;
    // The destination's own metadata (its schema versions, a generation) gives way to the
    // source's: the tables were checked empty, and the versions are this build's on both.
    LIAISON_TRY(m.to.db().exec("DELETE FROM meta"));
    CopyReport report;
    report.source = m.from.db().path();
    report.destination = m.to.db().path();
    std::vector<std::pair<Kind, std::vector<Id128>>> to_index;
    for (const auto& t : table_specs()) {
        if (!m.groups.count(t.group)) continue;
        std::vector<Id128> ids;
        auto written = m.copy_table(t, progress, ids);
        if (!written) return written.status();
        auto seen = m.read_back(t);
        if (!seen) return seen.status();
        if (seen->rows() != written->rows())
            return Status(Code::kConflict,
                          "the copy of " + t.name + " differs: " + std::to_string(written->rows()) +
                              " rows written, " + std::to_string(seen->rows()) + " read back");
        if (!(seen.value() == written.value()))
            return Status(Code::kConflict, "the copy of " + t.name +
                                               " differs: its rows read back are not the rows "
                                               "written");
        if (progress) progress(t.name, written->rows(), true);
        report.tables.push_back({t.name, written->rows()});
        report.rows += written->rows();
        if (t.searchable && !ids.empty()) to_index.emplace_back(*t.searchable, std::move(ids));
    }
    // SQLite's full-text index, from the rows copied (PostgreSQL has none: reindex does nothing).
    if (m.dst() == Backend::kSqlite)
        for (const auto& [kind, ids] : to_index)
            for (const auto& id : ids) {
                LIAISON_TRY(m.to.reindex(kind, id));
                ++report.reindexed;
            }
    auto src_hash = m.from.state_hash();
    if (!src_hash) return src_hash.status();
    auto dst_hash = m.to.state_hash();
    if (!dst_hash) return dst_hash.status();
    report.source_hash = src_hash.value();
    report.destination_hash = dst_hash.value();
    if (report.source_hash != report.destination_hash)
        return Status(Code::kConflict, "the state hashes differ after the copy: source " +
                                           report.source_hash + ", destination " +
                                           report.destination_hash);
    return report;
}

Status DatabaseCopy::commit() {
    Impl& m = *impl_;
    if (!m.copied) return Status(Code::kInternal, "DatabaseCopy::commit before copy");
    LIAISON_TRY(m.txn->commit());
    m.source_lock->rollback();  // it wrote nothing: its end releases the writers
    return Status::ok();
}

}  // namespace liaison::core
