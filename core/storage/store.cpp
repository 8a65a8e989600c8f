#include "core/storage/store.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>

#include "core/storage/layout.hpp"

namespace liaison::core {
namespace {

using Step = Statement::Step;

// Fields a tombstone keeps: the subject, so that erasing the person still reaches the entry
// whatever the order in which the delete and the erase arrive (docs/SYNC.md rule 5).
bool kept_on_tombstone(const FieldDef& f) { return f.subject; }

std::string blob_literal_free_join(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

void bind_stamp(Statement& st, int i, const Stamp& s) {
    auto e = s.encode();
    st.bind_blob(i, e.data(), e.size());
}

void bind_opt_stamp(Statement& st, int i, const std::optional<Stamp>& s) {
    if (s)
        bind_stamp(st, i, *s);
    else
        st.bind_null(i);
}

std::optional<Stamp> read_stamp(const Statement& st, int i) {
    if (st.column_is_null(i)) return std::nullopt;
    auto b = st.column_blob(i);
    return Stamp::decode(b.data(), b.size());
}

void bind_id(Statement& st, int i, const Id128& id) { st.bind_blob(i, id.bytes.data(), 16); }

Id128 read_id(const Statement& st, int i) {
    auto b = st.column_blob(i);
    if (b.size() != 16) return Id128{};
    return Id128::from_bytes(b.data());
}

// Refs are stored as 16-byte blobs (not 26-character text): smaller rows and indexes.
void bind_field(Statement& st, int i, const FieldDef& f, const Value& v) {
    if (f.type == FieldType::kRef) {
        if (auto s = std::get_if<std::string>(&v)) {
            if (auto id = Id128::from_text(*s)) {
                bind_id(st, i, *id);
                return;
            }
        }
    }
    st.bind(i, v);
}

Value read_field(const Statement& st, int i, const FieldDef& f) {
    if (f.type == FieldType::kRef && !st.column_is_null(i)) {
        auto b = st.column_blob(i);
        if (b.size() == 16) return Id128::from_bytes(b.data()).to_text();
    }
    return st.column_value(i);
}

struct KindSql {
    std::string table;
    bool searchable = false;
    std::string insert_created;
    std::string log_create;  // PostgreSQL: the op log's insert and insert_created in one
    std::string load;
    std::string exists;
    std::string upsert;
    std::vector<std::string> lww_update;         // per field
    std::vector<std::string> insert_field_only;  // per field
    std::vector<std::string> ids_where;          // per field
    std::string remove;
    std::string touch;
    std::string hash_scan;
    std::string changes;
    // Search index (kinds with searchable fields only).
    std::string fts_select, fts_delete, fts_insert, rid_of;
};

const std::vector<KindSql>& kind_sql() {
    static const std::vector<KindSql> all = [] {
        std::vector<KindSql> out;
        for (const auto& k : all_kinds()) {
            KindSql s;
            s.table = table_name(k.kind);
            s.searchable = k.has_searchable();
            std::vector<std::string> vcols, ccols, both;
            for (const auto& f : k.fields) {
                vcols.push_back(value_column(f));
                ccols.push_back(clock_column(f));
                both.push_back(value_column(f));
                both.push_back(clock_column(f));
            }
            std::string qs;
            for (std::size_t i = 0; i < vcols.size(); ++i) qs += ",?" + std::to_string(i + 4);
            s.insert_created = "INSERT INTO " + s.table + "(eid,created,seq," +
                               blob_literal_free_join(vcols, ",") + ") VALUES(?1,?2,?3" + qs +
                               ") ON CONFLICT(eid) DO NOTHING";
            // Parameters: the op log's row (?1-?6) as log_op binds it, then insert_created's
            // (?7-), typed: a SELECT's parameters have no column to take their type from.
            std::string typed = "CAST(?7 AS BYTEA),CAST(?8 AS BYTEA),CAST(?9 AS BIGINT)";
            for (std::size_t i = 0; i < k.fields.size(); ++i) {
                const std::string type = pg_value_type(k.fields[i]);
                typed += ",CAST(?" + std::to_string(i + 10) + " AS " +
                         type.substr(0, type.find(' ')) + ")";
            }
            s.log_create =
                "WITH o AS (INSERT INTO oplog(eid,hlc,replica,actor,type,touched) "
                "VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT DO NOTHING RETURNING 1), r AS (INSERT "
                "INTO " +
                s.table + "(eid,created,seq," + blob_literal_free_join(vcols, ",") + ") SELECT " +
                typed +
                " WHERE EXISTS(SELECT 1 FROM o) ON CONFLICT(eid) DO NOTHING RETURNING 1) "
                "SELECT (SELECT count(*) FROM o), (SELECT count(*) FROM r)";
            s.load = "SELECT created,deleted," + blob_literal_free_join(both, ",") + " FROM " +
                     s.table + " WHERE eid=?1";
            s.exists = "SELECT 1 FROM " + s.table + " WHERE eid=?1";
            std::string qs2, sets;
            for (std::size_t i = 0; i < both.size(); ++i) {
                qs2 += ",?" + std::to_string(i + 5);
                sets += "," + both[i] + "=excluded." + both[i];
            }
            s.upsert = "INSERT INTO " + s.table + "(eid,created,deleted,seq," +
                       blob_literal_free_join(both, ",") + ") VALUES(?1,?2,?3,?4" + qs2 +
                       ") ON CONFLICT(eid) DO UPDATE SET created=excluded.created,"
                       "deleted=excluded.deleted,seq=excluded.seq" +
                       sets;
            for (const auto& f : k.fields) {
                std::string v = value_column(f), c = clock_column(f);
                // Effective clock: the field's own, else the create stamp if the create
                // wrote a value, else none (never written).
                s.lww_update.push_back(
                    "UPDATE " + s.table + " SET " + v + "=?1," + c +
                    "=?2,seq=?3 WHERE eid=?4 AND deleted IS NULL AND "
                    "(CASE WHEN " +
                    c + " IS NOT NULL THEN " + c + "<?2 WHEN " + v +
                    " IS NULL OR created IS NULL THEN TRUE ELSE created<?2 END)");
                s.insert_field_only.push_back("INSERT INTO " + s.table + "(eid,seq," + v + "," + c +
                                              ") VALUES(?1,?2,?3,?4) ON CONFLICT(eid) DO NOTHING");
                // In id order: an erasure or a merge rewrites these rows, and both engines must
                // number those writes alike (tests/sync/backends_equivalence_test.cpp).
                s.ids_where.push_back("SELECT eid FROM " + s.table + " WHERE " + v +
                                      "=?1 ORDER BY eid");
            }
            s.remove = "DELETE FROM " + s.table + " WHERE eid=?1";
            s.touch = "INSERT INTO " + s.table +
                      "(eid,seq) VALUES(?2,?1) "
                      "ON CONFLICT(eid) DO UPDATE SET seq=excluded.seq";
            s.hash_scan = "SELECT eid,created,deleted," + blob_literal_free_join(both, ",") +
                          " FROM " + s.table + " ORDER BY eid";
            s.changes = "SELECT seq,eid FROM " + s.table + " WHERE seq>?1 ORDER BY seq LIMIT ?2";
            if (s.searchable) {
                std::vector<std::string> vals, names, params;
                for (const auto& f : k.fields)
                    if (f.searchable) vals.push_back(value_column(f)), names.push_back(f.name);
                for (const auto& st : k.sets)
                    if (st.searchable) names.push_back(st.name);
                for (std::size_t i = 0; i < names.size(); ++i)
                    params.push_back("?" + std::to_string(i + 2));
                const std::string fts = fts_table_name(k.kind);
                s.fts_select = "SELECT rid,created IS NOT NULL AND deleted IS NULL," +
                               blob_literal_free_join(vals, ",") + " FROM " + s.table +
                               " WHERE eid=?1";
                s.fts_delete = "DELETE FROM " + fts + " WHERE rowid=?1";
                s.fts_insert = "INSERT INTO " + fts + "(rowid," +
                               blob_literal_free_join(names, ",") + ") VALUES(?1," +
                               blob_literal_free_join(params, ",") + ")";
                s.rid_of = "SELECT rid FROM " + s.table + " WHERE eid=?1";
            }
            out.push_back(std::move(s));
        }
        return out;
    }();
    return all;
}

const KindSql& sql_for(Kind k) { return kind_sql()[std::size_t(k)]; }

// One statement over every kind's table, each branch tagged with the kind's place in
// all_kinds(): `select` (its columns after the tag) from each table where `where` (then
// `branch_tail`, the branch in parentheses), then `tail`. On PostgreSQL a statement is a round
// trip to the server, and looping over the 25 tables made most of a push's statements
// (docs/PERFORMANCE.md, "Server on PostgreSQL").
std::string every_kind_sql(const std::string& select, const std::string& where,
                           const std::string& tail, const std::string& branch_tail = "") {
    std::string q;
    for (std::size_t i = 0; i < all_kinds().size(); ++i) {
        if (i) q += " UNION ALL ";
        std::string branch = "SELECT " + std::to_string(i) + select + " FROM " +
                             sql_for(all_kinds()[i].kind).table + " WHERE " + where;
        q += branch_tail.empty() ? branch : "(" + branch + " " + branch_tail + ")";
    }
    return q + " " + tail;
}

Kind kind_at(std::int64_t place) { return all_kinds().at(std::size_t(place)).kind; }

RowState read_row(const Statement& st, Kind kind, const Id128& id, int first_col) {
    const auto& k = kind_def(kind);
    RowState r = RowState::empty(kind, id);
    r.created = read_stamp(st, first_col);
    r.deleted = read_stamp(st, first_col + 1);
    for (std::size_t i = 0; i < k.fields.size(); ++i) {
        int vc = first_col + 2 + int(2 * i);
        r.values[i] = read_field(st, vc, k.fields[i]);
        auto c = read_stamp(st, vc + 1);
        if (r.deleted && !kept_on_tombstone(k.fields[i]))
            c = std::nullopt;
        else if (!c && !is_null(r.values[i]))
            c = r.created;  // written by the create
        r.clocks[i] = c;
    }
    return r;
}

// The full-text index of a kind with searchable fields. `prefix`: also index the first one and
// two characters of every token, so the one- and two-letter queries of search-as-you-type
// read one short list instead of merging every token that begins with those letters.
std::string fts_ddl(const KindDef& k, bool prefix) {
    std::vector<std::string> cols;
    for (const auto& f : k.fields)
        if (f.searchable) cols.push_back(f.name);
    for (const auto& s : k.sets)
        if (s.searchable) cols.push_back(s.name);
    const std::string t = fts_table_name(k.kind);
    std::string ddl = "CREATE VIRTUAL TABLE " + t + " USING fts5(" +
                      blob_literal_free_join(cols, ", ") + ", content='', contentless_delete=1, " +
                      (prefix ? "prefix='1 2', " : "") +
                      "tokenize=\"unicode61 remove_diacritics 2\");\n";
    // Deleted entries leave the index at once (not at the next merge): an erased person's
    // name must not survive in index pages (docs/DESIGN.md §4, erase).
    ddl += "INSERT INTO " + t + "(" + t + ", rank) VALUES('secure-delete', 1);\n";
    return ddl;
}

// One kind's table and indexes. `current`: as the latest version lays them out (an index on
// a reference that may be null holds only the rows naming one, version 3) and only where
// missing — for a kind appended to the model later (version 12); otherwise as version 1 did.
std::string kind_table_ddl(const KindDef& k, bool current) {
    const std::string t = table_name(k.kind);
    const std::string missing = current ? "IF NOT EXISTS " : "";
    const bool fts = k.has_searchable();
    std::string ddl = "CREATE TABLE " + missing + t + "(";
    ddl += fts ? "rid INTEGER PRIMARY KEY, eid BLOB NOT NULL UNIQUE" : "eid BLOB PRIMARY KEY";
    ddl += ", created BLOB, deleted BLOB, seq INTEGER NOT NULL";
    for (const auto& f : k.fields) ddl += ", " + value_column(f) + ", " + clock_column(f) + " BLOB";
    ddl += fts ? ");\n" : ") WITHOUT ROWID;\n";
    ddl += "CREATE INDEX " + missing + t + "_seq ON " + t + "(seq);\n";
    for (const auto& f : k.fields)
        if (indexed_ref(k, f))
            ddl += "CREATE INDEX " + missing + t + "_" + f.name + " ON " + t + "(" +
                   ref_index_columns(k, f) + ")" +
                   (current && !f.required ? " WHERE " + value_column(f) + " IS NOT NULL" : "") +
                   ";\n";
    if (fts) ddl += fts_ddl(k, current);
    return ddl;
}

std::string migration_1() {
    std::string ddl;
    for (const auto& k : all_kinds()) ddl += kind_table_ddl(k, false);
    ddl += R"sql(
CREATE TABLE sdot(eid BLOB NOT NULL, sidx INTEGER NOT NULL, elem TEXT NOT NULL, dot BLOB NOT NULL,
                  removed INTEGER NOT NULL, PRIMARY KEY(eid, sidx, elem, dot)) WITHOUT ROWID;
CREATE TABLE subject_alt(eid BLOB NOT NULL, fidx INTEGER NOT NULL, subject BLOB NOT NULL,
                         PRIMARY KEY(eid, fidx, subject)) WITHOUT ROWID;
CREATE INDEX subject_alt_subject ON subject_alt(subject);
CREATE TABLE erased(eid BLOB PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX erased_seq ON erased(seq);
CREATE TABLE alias(a BLOB NOT NULL, b BLOB NOT NULL, seq INTEGER NOT NULL,
                   PRIMARY KEY(a, b)) WITHOUT ROWID;
CREATE INDEX alias_seq ON alias(seq);
CREATE TABLE oplog(eid BLOB NOT NULL, op BLOB NOT NULL, actor BLOB, type INTEGER NOT NULL,
                   touched INTEGER NOT NULL, PRIMARY KEY(eid, op)) WITHOUT ROWID;
CREATE TABLE outbox(n INTEGER PRIMARY KEY, eid BLOB NOT NULL, op BLOB NOT NULL UNIQUE,
                    type INTEGER NOT NULL, body BLOB NOT NULL);
CREATE INDEX outbox_eid ON outbox(eid);
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
)sql";
    return ddl;
}

// Version 2: full-text indexes with one- and two-character prefix indexes. A contentless
// index cannot be rebuilt from itself: the tables are recreated empty and Store::migrate
// reindexes every row (Migration::reindex).
std::string migration_2() {
    std::string ddl;
    for (const auto& k : all_kinds())
        if (k.has_searchable())
            ddl += "DROP TABLE " + fts_table_name(k.kind) + ";\n" + fts_ddl(k, true);
    return ddl;
}

// Version 3: an index on a reference that may be null holds only the rows that name one. Most
// interactions name no event, most people no brand: their rows no longer add an index entry
// (one B-tree insert less per interaction; smaller files on tablets). Every query on these
// columns compares them with `=` or `IN`, which implies NOT NULL, so SQLite still uses them.
std::string migration_3() {
    std::string ddl;
    for (const auto& k : all_kinds())
        for (const auto& f : k.fields)
            if (indexed_ref(k, f) && !f.required) {
                const std::string t = table_name(k.kind), name = t + "_" + f.name;
                ddl += "DROP INDEX " + name + ";\nCREATE INDEX " + name + " ON " + t + "(" +
                       ref_index_columns(k, f) + ") WHERE " + value_column(f) + " IS NOT NULL;\n";
            }
    return ddl;
}

// Version 4: a compact op log. Replica and actor ids are kept once each, in `idnum`, and
// every log row names them by number; the stamp's clock is an integer. A row went from about
// 75 to about 35 bytes: the op log is the largest structure a busy server writes at random
// places (docs/PERFORMANCE.md). Store::move_oplog_to_v4 then logs the old rows again.
std::string migration_4() {
    return R"sql(
ALTER TABLE oplog RENAME TO oplog_v3;
CREATE TABLE idnum(n INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE);
CREATE TABLE oplog(eid BLOB NOT NULL, hlc INTEGER NOT NULL, replica INTEGER NOT NULL,
                   actor INTEGER, type INTEGER NOT NULL, touched INTEGER NOT NULL,
                   PRIMARY KEY(eid, hlc, replica)) WITHOUT ROWID;
)sql";
}

// Version 5: the scope keys (region, brand, store ids as text, '' for none) an entity held
// before a write replaced them. The server reads it to tell a device that held an entity
// from one that never did (docs/SYNC.md, evictions); replicas leave it empty. Not state: the
// state hash does not see it. IF NOT EXISTS: the upgrade tests set a file's version back and
// run the later migrations again.
std::string migration_5() {
    return R"sql(
CREATE TABLE IF NOT EXISTS scope_seen(eid BLOB NOT NULL, region TEXT NOT NULL, brand TEXT NOT NULL,
                                      store TEXT NOT NULL, PRIMARY KEY(eid, region, brand, store)) WITHOUT ROWID;
)sql";
}

// Version 6: the kind of each erased id, where the store knew it (R7 keeps no row). R11 reads
// it to refuse an operation naming an erased id as another kind (docs/SYNC.md): a merge
// naming an erased interaction as a person would otherwise record an alias edge and erase the
// other side. A bare kind number, no personal data; not state (a replica knows the kinds only
// of what it held), so the state hash leaves it out. IF NOT EXISTS: as for version 5.
std::string migration_6() {
    return R"sql(
CREATE TABLE IF NOT EXISTS erased_kind(eid BLOB PRIMARY KEY, kind INTEGER NOT NULL) WITHOUT ROWID;
)sql";
}

// Version 7: interaction.campaign (record model 2). No DDL: Store::add_columns_v7 adds the
// columns where they are missing. ALTER TABLE ADD COLUMN has no IF NOT EXISTS, and a file
// created by this build already has them (version 1 lays out the current model).
std::string migration_7() { return ""; }

// Version 8: the brand directory on a device (docs/SYNC.md "Directory"): which rows it holds
// only as their directory projection, with the truncated digests of the e-mail address and
// phone number it does not hold (0: none), for matching offline. Not state (the hash leaves
// it out); the server's file keeps it empty. IF NOT EXISTS: as for version 5.
std::string migration_8() {
    return R"sql(
CREATE TABLE IF NOT EXISTS directory(eid BLOB PRIMARY KEY, email_digest INTEGER NOT NULL,
                                     phone_digest INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS directory_email ON directory(email_digest) WHERE email_digest <> 0;
CREATE INDEX IF NOT EXISTS directory_phone ON directory(phone_digest) WHERE phone_digest <> 0;
)sql";
}

// Version 9: the action each outbox row belongs to (outbox.grp, 0: alone), so that a push
// sends an action's operations as one group (docs/SYNC.md G1). No DDL: Store::add_outbox_group_v9
// adds the column where it is missing (ALTER TABLE ADD COLUMN has no IF NOT EXISTS).
std::string migration_9() { return ""; }

// Version 10: `k_store` gains the store's country (record model 3), added by
// Store::add_columns_v10 where missing.
std::string migration_10() { return ""; }

// Version 11: `k_interaction` gains follow_up_done (record model 4), added by
// Store::add_columns_v11 where missing.
std::string migration_11() { return ""; }

// Version 12: the invitations to events (record model 5), a kind of its own: its table where
// it is missing (a file created by this build has it from version 1).
std::string migration_12() { return kind_table_ddl(kind_def(Kind::kInvitation), true); }

// Version 13: record model 6 (docs/PROGRAMMES.md): the kinds collaboration_step and conversion,
// their tables where missing; the fields appended to programme, campaign, collaboration,
// content, tracked_link, click and brand, added by Store::add_columns_v13 with the indexes of
// the new references.
std::string migration_13() {
    return kind_table_ddl(kind_def(Kind::kCollaborationStep), true) +
           kind_table_ddl(kind_def(Kind::kConversion), true);
}

// Version 14: record model 7 (docs/METRICS.md): the kinds fx_rate, outcome, rate_card and
// setting, their tables where missing; click.visitor and conversion.visitor, added by
// Store::add_columns_v14 with the index a journey is read from, and the index of the contacts
// logged for a campaign (the reports').
std::string migration_14() {
    std::string ddl;
    for (Kind k : {Kind::kFxRate, Kind::kOutcome, Kind::kRateCard, Kind::kSetting})
        ddl += kind_table_ddl(kind_def(k), true);
    return ddl;
}

// Version 15: record model 8 (docs/COMPLIANCE.md): the kinds vetting, intermediary and
// gdpr_request, their tables where missing; the fields appended to influencer, collaboration
// and content, added by Store::add_columns_v15.
std::string migration_15() {
    std::string ddl;
    for (Kind k : {Kind::kVetting, Kind::kIntermediary, Kind::kGdprRequest})
        ddl += kind_table_ddl(kind_def(k), true);
    return ddl;
}

// Version 16: record model 9 (docs/COMPLIANCE.md, "Promotions"): campaign.promotion_condition,
// added by Store::add_columns_v16. No new table.
std::string migration_16() { return ""; }

// Version 17: the indexes the reports read a campaign's or a programme's figures through
// (core/storage/layout.hpp, report_indexes_ddl).
std::string migration_17() { return report_indexes_ddl(); }

// Version 18: the collaborations by promo code, where they carry one, so that a campaign's
// credits look up the codes its conversions name instead of reading every collaboration
// (docs/PERFORMANCE.md, "Reports"). The same SQL on PostgreSQL, whose layout starts at 17.
std::string migration_18() {
    return "CREATE INDEX IF NOT EXISTS k_collaboration_promo_code ON "
           "k_collaboration(f_promo_code) WHERE f_promo_code IS NOT NULL;";
}

}  // namespace

std::string table_name(Kind kind) { return std::string("k_") + kind_name(kind); }
std::string value_column(const FieldDef& f) { return "f_" + f.name; }
std::string clock_column(const FieldDef& f) { return "c_" + f.name; }
std::string fts_table_name(Kind kind) { return std::string("fts_") + kind_name(kind); }

const std::string* RowState::text(std::string_view field) const {
    const int i = kind_def(kind).field_index(field);
    return i < 0 || std::size_t(i) >= values.size()
               ? nullptr
               : std::get_if<std::string>(&values[std::size_t(i)]);
}

std::optional<std::int64_t> RowState::integer(std::string_view field) const {
    const int i = kind_def(kind).field_index(field);
    if (i < 0 || std::size_t(i) >= values.size()) return std::nullopt;
    const auto* n = std::get_if<std::int64_t>(&values[std::size_t(i)]);
    return n ? std::optional<std::int64_t>(*n) : std::nullopt;
}

RowState RowState::empty(Kind kind, const Id128& id) {
    RowState r;
    r.kind = kind;
    r.id = id;
    std::size_t n = kind_def(kind).fields.size();
    r.values.assign(n, Value{});
    r.clocks.assign(n, std::nullopt);
    return r;
}

// ---- WriteTxn ---------------------------------------------------------------------------

WriteTxn::WriteTxn(Store& store) : store_(store), txn_(store.db()), begun_(txn_.begun()) {
    // Under the writer lock: what other servers on the same database wrote since (docs/SCALING.md
    // §3).
    if (begun_.is_ok()) begun_ = store_.catch_up();
}

WriteTxn::~WriteTxn() {
    store_.defer_scrub_ = false;
    store_.kinds_ahead_.clear();  // read under this transaction's lock only
    if (!committed_) {
        store_.pending_creates_.clear();  // the rollback would undo them
        // In-memory caches (erased ids, aliases, sequence) may hold this transaction's
        // changes: roll back first, then reload them from what the database kept.
        txn_.rollback();
        (void)store_.load_caches();
    }
}

Status WriteTxn::commit() {
    store_.kinds_ahead_.clear();
    LIAISON_TRY(store_.flush_creates());
    Status s = txn_.commit();
    committed_ = s.is_ok();
    const bool deferred = std::exchange(store_.defer_scrub_, false);
    if (committed_ && store_.scrub_due_ && !deferred) return store_.scrub_log();
    return s;
}

// ---- Savepoint ----------------------------------------------------------------------------

Savepoint::Savepoint(Store& store) : store_(store), begun_(store.db().exec("SAVEPOINT grp")) {
    done_ = !begun_.is_ok();
}

Savepoint::~Savepoint() {
    if (!done_) (void)store_.db().exec("RELEASE grp");
}

Status Savepoint::rollback() {
    if (done_) return Status::ok();
    done_ = true;
    Status s = store_.db().exec("ROLLBACK TO grp");
    (void)store_.db().exec("RELEASE grp");
    // The caches (erased ids, aliases, sequence) may hold what was just undone.
    Status c = store_.load_caches();
    return s.is_ok() ? c : s;
}

// ---- Store --------------------------------------------------------------------------------

Result<std::unique_ptr<Store>> Store::open(const std::string& path, const StoreOptions& opts) {
    OpenOptions o;
    o.wal = opts.wal;
    o.synchronous_full = opts.synchronous_full;
    o.cache_kib = opts.cache_mib * 1024;
    auto db = Database::open(path, o);
    if (!db) return db.status();
    std::unique_ptr<Store> store(new Store(std::move(db).value()));
    store->postgres_ = store->db_->backend() == Backend::kPostgres;
    if (store->postgres_) {
        // A failure aborts the transaction: the statement that follows, or the commit, fails.
        Store* self = store.get();
        store->db_->set_before_command([self] { (void)self->flush_creates(); });
    }
    LIAISON_TRY(store->migrate());
    LIAISON_TRY(store->load_caches());
    return store;
}

Store::~Store() {
    if (db_) db_->set_before_command(nullptr);  // the hook names this store
}

namespace {

// `text` as an SQL string literal ('it''s'), for statements that take no parameters.
std::string sql_quote(std::string_view text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    return quoted + "'";
}

}  // namespace

std::int64_t Store::file_bytes() {
    if (postgres_) return db_->query_int("SELECT pg_database_size(current_database())").value_or(0);
    return db_->query_int("PRAGMA page_count").value_or(0) *
           db_->query_int("PRAGMA page_size").value_or(0);
}

Status Store::copy_to(const std::string& target) {
    if (postgres_)
        return Status(Code::kInvalidArgument,
                      "a copy of a PostgreSQL database is made with PostgreSQL's own tools "
                      "(pg_dump, pg_basebackup: docs/SCALING.md), not by liaison-server");
    return db_->exec("VACUUM INTO " + sql_quote(target));
}

std::vector<Id128> Store::erased_ids() const {
    std::vector<Id128> out(erased_.begin(), erased_.end());
    std::sort(out.begin(), out.end(),
              [](const Id128& a, const Id128& b) { return a.bytes < b.bytes; });
    return out;
}

bool FileInfo::has_table(std::string_view name) const {
    return std::find(tables.begin(), tables.end(), name) != tables.end();
}

bool FileInfo::holds_record() const {
    return has_table("meta") && has_table(table_name(Kind::kInfluencer)) &&
           has_table(table_name(Kind::kInteraction));
}

Result<FileInfo> inspect_file(const std::string& path) {
    OpenOptions o;
    o.create = false;
    o.read_only = true;
    auto db = Database::open(path, o);
    if (!db) return Status::malformed(db.status().detail());
    FileInfo info;
    {
        auto st = db.value()->prepare("PRAGMA integrity_check");
        if (!st) return Status::malformed(st.status().detail());
        if (st.value().step() != Statement::Step::kRow)
            return Status::malformed(st.value().error());
        info.integrity = st.value().column_text(0);
    }
    info.storage_version = int(db.value()->query_int("PRAGMA user_version").value_or(0));
    {
        auto st = db.value()->prepare("SELECT name FROM sqlite_master WHERE type='table'");
        if (!st) return Status::malformed(st.status().detail());
        while (st.value().step() == Statement::Step::kRow)
            info.tables.push_back(st.value().column_text(0));
    }
    if (info.has_table("meta")) {
        auto st = db.value()->prepare("SELECT key, value FROM meta");
        if (!st) return Status::malformed(st.status().detail());
        while (st.value().step() == Statement::Step::kRow)
            info.meta[st.value().column_text(0)] = st.value().column_text(1);
    }
    return info;
}

Status copy_file(const std::string& from, const std::string& to) {
    OpenOptions o;
    o.create = false;
    o.read_only = true;
    auto db = Database::open(from, o);
    if (!db) return db.status();
    return db.value()->exec("VACUUM INTO " + sql_quote(to));
}

int Store::storage_version() {
    if (!postgres_) return int(db_->query_int("PRAGMA user_version").value_or(-1));
    // PostgreSQL has no user_version: a one-row table keeps the number (0 while it is absent).
    auto has = db_->query_int(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema=current_schema() "
        "AND table_name='liaison_version'");
    if (!has) return -1;
    if (*has == 0) return 0;
    return int(db_->query_int("SELECT max(version) FROM liaison_version").value_or(-1));
}

Status Store::set_storage_version(int version) {
    if (!postgres_) return db_->exec("PRAGMA user_version=" + std::to_string(version));
    return db_->exec("DELETE FROM liaison_version;\nINSERT INTO liaison_version(version) VALUES(" +
                     std::to_string(version) + ")");
}

Status Store::migrate() {
    int v = storage_version();
    if (v < 0) return Status::storage("cannot read the storage version");
    if (v > kStorageVersion)
        return Status(Code::kUnsupportedVersion,
                      "the database was written by a newer Liaison (storage version " +
                          std::to_string(v) + ", this build reads up to " +
                          std::to_string(kStorageVersion) + ")");
    // Numbered migrations: each runs once, in its own transaction, with the version bump.
    struct Migration {
        std::string (*ddl)();
        bool reindex;             // the full-text indexes were recreated empty: fill them again
        Status (Store::*step)();  // rows to move after the DDL, or null
    };
    static const Migration kMigrations[] = {{migration_1, false, nullptr},
                                            {migration_2, true, nullptr},
                                            {migration_3, false, nullptr},
                                            {migration_4, false, &Store::move_oplog_to_v4},
                                            {migration_5, false, nullptr},
                                            {migration_6, false, nullptr},
                                            {migration_7, false, &Store::add_columns_v7},
                                            {migration_8, false, nullptr},
                                            {migration_9, false, &Store::add_outbox_group_v9},
                                            {migration_10, false, &Store::add_columns_v10},
                                            {migration_11, false, &Store::add_columns_v11},
                                            {migration_12, false, nullptr},
                                            {migration_13, false, &Store::add_columns_v13},
                                            {migration_14, false, &Store::add_columns_v14},
                                            {migration_15, false, &Store::add_columns_v15},
                                            {migration_16, false, &Store::add_columns_v16},
                                            {migration_17, false, nullptr},
                                            {migration_18, false, nullptr}};
    static_assert(std::size(kMigrations) == kStorageVersion);
    if (v == kStorageVersion) return Status::ok();
    // Every pending migration in ONE transaction: a new file runs all of them, and each commit
    // costs a rollback journal written, synced and cleared — in the browser's OPFS file that
    // was most of a new device's first open (docs/PERFORMANCE.md, "The central workspace").
    // A failure still leaves the file at its version before, as each migration's own did.
    Transaction t(*db_);
    LIAISON_TRY(t.begun());
    if (postgres_) LIAISON_TRY(lay_out_postgres(v));
    for (int next = v + 1; next <= kStorageVersion; ++next) {
        const Migration& m = kMigrations[next - 1];
        LIAISON_TRY(db_->exec(m.ddl()));
        if (m.reindex && !postgres_) LIAISON_TRY(reindex_all());
        if (m.step) LIAISON_TRY((this->*m.step)());
    }
    LIAISON_TRY(set_storage_version(kStorageVersion));
    return t.commit();
}

// PostgreSQL's layout starts at version kPgLayoutVersion, made in one piece from the record
// model (core/storage/layout.hpp); the numbered migrations after it run as on SQLite. Called
// under the writer lock, so servers starting together on a new database lay it out once: `v`
// is read again there, and becomes the version laid out.
Status Store::lay_out_postgres(int& v) {
    v = storage_version();
    if (v < 0) return Status::storage("cannot read the storage version");
    if (v == 0) {
        LIAISON_TRY(db_->exec_postgres(pg_record_layout()));
        LIAISON_TRY(db_->exec("CREATE TABLE liaison_version(version INTEGER NOT NULL)"));
        v = kPgLayoutVersion;
    } else if (v < kPgLayoutVersion) {
        return Status::storage("the PostgreSQL database has storage version " + std::to_string(v) +
                               ", older than any Liaison build lays out there (" +
                               std::to_string(kPgLayoutVersion) + ")");
    }
    return Status::ok();
}

Status Store::add_field_columns(Kind kind, std::string_view field) {
    const KindDef& k = kind_def(kind);
    const int i = k.field_index(field);
    if (i < 0) return Status(Code::kInternal, "no field " + std::string(field) + " in " + k.name);
    const FieldDef& f = k.fields[std::size_t(i)];
    const std::string t = table_name(kind);
    // The columns as version 1 declares them: the value untyped, the clock a BLOB.
    for (const auto& [column, type] :
         {std::pair{value_column(f), ""}, {clock_column(f), " BLOB"}}) {
        auto has = db_->query_int("SELECT count(*) FROM pragma_table_info(" + sql_quote(t) +
                                  ") WHERE name=" + sql_quote(column));
        if (!has) return Status::storage("cannot read the columns of " + t);
        if (*has == 0) LIAISON_TRY(db_->exec("ALTER TABLE " + t + " ADD COLUMN " + column + type));
    }
    return Status::ok();
}

Status Store::add_columns_v7() { return add_field_columns(Kind::kInteraction, "campaign"); }

Status Store::add_columns_v10() { return add_field_columns(Kind::kStore, "country"); }

Status Store::add_columns_v11() { return add_field_columns(Kind::kInteraction, "follow_up_done"); }

Status Store::add_columns_v13() {
    // clang-format off
    static const std::pair<Kind, std::vector<const char*>> kAdded[] = {
        {Kind::kProgramme, {"budget", "currency"}},
        {Kind::kCampaign, {"store", "product_category", "targets"}},
        {Kind::kCollaboration, {"in_kind_value", "product", "contract_status", "contract_date",
                                "promo_code", "link", "shipped", "tracking", "return_due",
                                "returned", "store"}},
        {Kind::kContent, {"collaboration", "handle", "impressions", "likes", "comments", "shares",
                          "saves", "video_views", "disclosure_proof", "store"}},
        {Kind::kTrackedLink, {"store", "collaboration"}},
        {Kind::kClick, {"campaign", "brand", "region", "store"}},
        {Kind::kBrand, {"competitor"}},
    };
    // clang-format on
    for (const auto& [kind, fields] : kAdded) {
        for (const char* f : fields) LIAISON_TRY(add_field_columns(kind, f));
        // Their tables exist: this creates only the indexes a new file has and this one lacks.
        LIAISON_TRY(db_->exec(kind_table_ddl(kind_def(kind), true)));
    }
    return Status::ok();
}

Status Store::add_columns_v14() {
    LIAISON_TRY(add_field_columns(Kind::kClick, "visitor"));
    LIAISON_TRY(add_field_columns(Kind::kConversion, "visitor"));
    // One shopper's clicks in time order: her journey (attribution, docs/METRICS.md); and the
    // contacts logged for a campaign, which a campaign's report reads (few contacts name one:
    // the index holds only those).
    return db_->exec(
        "CREATE INDEX IF NOT EXISTS k_click_visitor ON k_click(f_visitor, f_at) WHERE f_visitor "
        "IS NOT NULL; CREATE INDEX IF NOT EXISTS k_interaction_campaign ON "
        "k_interaction(f_campaign) WHERE f_campaign IS NOT NULL");
}

Status Store::add_columns_v15() {
    for (const auto& [kind, fields] : record_model_8_fields())
        for (const char* f : fields) LIAISON_TRY(add_field_columns(kind, f));
    return Status::ok();
}

Status Store::add_columns_v16() {
    for (const auto& [kind, fields] : record_model_9_fields())
        for (const char* f : fields) LIAISON_TRY(add_field_columns(kind, f));
    return Status::ok();
}

const std::vector<std::pair<Kind, std::vector<const char*>>>& record_model_9_fields() {
    static const std::vector<std::pair<Kind, std::vector<const char*>>> kAdded = {
        {Kind::kCampaign, {"promotion_condition"}},
    };
    return kAdded;
}

const std::vector<std::pair<Kind, std::vector<const char*>>>& record_model_8_fields() {
    // clang-format off
    static const std::vector<std::pair<Kind, std::vector<const char*>>> kAdded = {
        {Kind::kInfluencer, {"birth_date", "data_source", "balancing_note", "consent_at",
                             "consent_where", "consent_how", "notice_version", "notice_sent",
                             "legal_rep_eu", "insurance_eu", "legal_hold"}},
        {Kind::kCollaboration, {"agency", "override_reason", "override_by", "objective"}},
        {Kind::kContent, {"caption", "image_edited", "image_generated", "disclosure_checked_by",
                          "disclosure_checked_at"}},
    };
    // clang-format on
    return kAdded;
}

Status Store::add_outbox_group_v9() {
    auto has = db_->query_int("SELECT count(*) FROM pragma_table_info('outbox') WHERE name='grp'");
    if (!has) return Status::storage("cannot read the columns of outbox");
    if (*has != 0) return Status::ok();
    return db_->exec("ALTER TABLE outbox ADD COLUMN grp INTEGER NOT NULL DEFAULT 0");
}

Status Store::move_oplog_to_v4() {
    auto st = db_->prepare("SELECT eid, op, actor, type, touched FROM oplog_v3");
    if (!st) return st.status();
    Statement::Step step;
    while ((step = st->step()) == Statement::Step::kRow) {
        const auto op = st->column_blob(1);
        auto stamp = Stamp::decode(op.data(), op.size());
        if (!stamp)
            return Status::storage("op log: a stamp of " + std::to_string(op.size()) + " bytes");
        const auto actor = st->column_blob(2);
        const Id128 who = actor.size() == 16 ? Id128::from_bytes(actor.data()) : Id128{};
        LIAISON_TRY(log_op(read_id(*st, 0), *stamp, who, int(st->column_int(3)),
                           std::uint64_t(st->column_int(4)))
                        .status());
    }
    if (step == Statement::Step::kError) return Status::storage(st->error());
    st->reset();
    return db_->exec("DROP TABLE oplog_v3");
}

Status Store::reindex_all() {
    for (const auto& k : all_kinds()) {
        if (!k.has_searchable()) continue;
        std::vector<Id128> ids;
        auto& st = db_->cached("SELECT eid FROM " + table_name(k.kind));
        Statement::Step step;
        while ((step = st.step()) == Statement::Step::kRow) {
            auto b = st.column_blob(0);
            if (b.size() == 16) ids.push_back(Id128::from_bytes(b.data()));
        }
        if (step == Statement::Step::kError) return Status::storage(st.error());
        st.reset();
        for (const auto& id : ids) LIAISON_TRY(reindex(k.kind, id));
    }
    return Status::ok();
}

Status Store::load_caches() {
    kinds_ahead_.clear();
    erased_.clear();
    parent_.clear();
    members_.clear();
    seq_ = 0;
    for (const auto& s : kind_sql()) {
        auto q = db_->query_int("SELECT coalesce(max(seq),0) FROM " + s.table);
        if (!q) return Status::storage("cannot read " + s.table);
        seq_ = std::max(seq_, *q);
    }
    for (const char* t : {"erased", "alias"}) {
        auto q = db_->query_int(std::string("SELECT coalesce(max(seq),0) FROM ") + t);
        if (!q) return Status::storage(std::string("cannot read ") + t);
        seq_ = std::max(seq_, *q);
    }
    if (auto floor =
            db_->query_int("SELECT CAST(value AS INTEGER) FROM meta WHERE key='seq_floor'"))
        seq_ = std::max(seq_, *floor);
    {
        auto st = db_->prepare("SELECT eid FROM erased");
        if (!st) return st.status();
        while (st->step() == Step::kRow) erased_.insert(read_id(*st, 0));
    }
    idnum_.clear();
    id_of_num_.clear();
    max_idnum_ = 0;
    {
        auto st = db_->prepare("SELECT n, id FROM idnum");
        if (!st) return st.status();
        while (st->step() == Step::kRow) {
            const Id128 id = read_id(*st, 1);
            idnum_[id] = st->column_int(0);
            id_of_num_[st->column_int(0)] = id;
            max_idnum_ = std::max(max_idnum_, st->column_int(0));
        }
    }
    {
        auto st = db_->prepare("SELECT a,b FROM alias");
        if (!st) return st.status();
        while (st->step() == Step::kRow) union_edge(read_id(*st, 0), read_id(*st, 1));
    }
    return Status::ok();
}

// The last sequence number of the whole database and its largest id number, in one statement
// (PostgreSQL only: greatest() there skips NULLs, so an empty table counts for nothing).
static const std::string& latest_numbers_sql() {
    static const std::string sql = [] {
        std::string q = "SELECT greatest(0";
        for (const auto& s : kind_sql()) q += ", (SELECT max(seq) FROM " + s.table + ")";
        q += ", (SELECT max(seq) FROM erased), (SELECT max(seq) FROM alias), "
             "(SELECT CAST(value AS INTEGER) FROM meta WHERE key='seq_floor')), "
             "(SELECT coalesce(max(n), 0) FROM idnum)";
        return q;
    }();
    return sql;
}

Status Store::catch_up() {
    if (!postgres_) return Status::ok();
    auto& st = db_->cached(latest_numbers_sql());
    if (st.step() != Step::kRow) {
        const std::string error = st.error();
        st.reset();
        return Status::storage("cannot read the last sequence number: " + error);
    }
    const std::int64_t latest = st.column_int(0), latest_idnum = st.column_int(1);
    st.reset();
    if (latest > seq_) {
        // Erased ids and alias edges carry the seq that wrote them: only the new ones are read,
        // both in one statement (an erased id's row has no second id).
        auto& news = db_->cached(
            "SELECT eid, NULL FROM erased WHERE seq > ?1 UNION ALL SELECT a, b FROM alias WHERE "
            "seq > ?1");
        news.bind(1, seq_);
        Step step;
        while ((step = news.step()) == Step::kRow) {
            if (news.column_is_null(1))
                erased_.insert(read_id(news, 0));
            else
                union_edge(read_id(news, 0), read_id(news, 1));
        }
        if (step == Step::kError) return Status::storage(news.error());
        seq_ = latest;
    }
    if (latest_idnum > max_idnum_) LIAISON_TRY(catch_up_id_numbers());
    return Status::ok();
}

Status Store::catch_up_id_numbers() {
    auto& st = db_->cached("SELECT n, id FROM idnum WHERE n > ?1");
    st.bind(1, max_idnum_);
    Step step;
    while ((step = st.step()) == Step::kRow) {
        const Id128 id = read_id(st, 1);
        idnum_[id] = st.column_int(0);
        id_of_num_[st.column_int(0)] = id;
        max_idnum_ = std::max(max_idnum_, st.column_int(0));
    }
    if (step == Step::kError) return Status::storage(st.error());
    return Status::ok();
}

Status Store::raise_seq_floor(std::int64_t floor) {
    if (floor <= seq_) return Status::ok();
    LIAISON_TRY(meta_set("seq_floor", std::to_string(floor)));
    seq_ = floor;
    return Status::ok();
}

Status Store::clear_state() {
    // Later changes keep numbers above every one made so far (local change feeds follow seq).
    LIAISON_TRY(meta_set("seq_floor", std::to_string(seq_)));
    std::string sql;
    for (const auto& s : kind_sql()) sql += "DELETE FROM " + s.table + ";\n";
    for (const auto& k : all_kinds())
        if (k.has_searchable() && !postgres_) {
            const std::string t = fts_table_name(k.kind);
            sql += "INSERT INTO " + t + "(" + t + ") VALUES('delete-all');\n";
        }
    sql +=
        "DELETE FROM sdot;\nDELETE FROM subject_alt;\nDELETE FROM erased;\nDELETE FROM "
        "erased_kind;\nDELETE FROM alias;\nDELETE FROM directory;\n";
    LIAISON_TRY(db_->exec(sql));
    return load_caches();
}

std::optional<std::string> Store::meta_get(const std::string& key) {
    auto& st = db_->cached("SELECT value FROM meta WHERE key=?1");
    st.bind(1, std::string_view(key));
    if (st.step() != Step::kRow) return std::nullopt;
    std::string value = st.column_text(0);
    st.reset();  // a statement left on a row keeps a read snapshot open (WAL cannot checkpoint)
    return value;
}

Status Store::meta_set(const std::string& key, const std::string& value) {
    auto& st = db_->cached(
        "INSERT INTO meta(key,value) VALUES(?1,?2) "
        "ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    st.bind(1, std::string_view(key)).bind(2, std::string_view(value));
    return st.run();
}

// Keys in [prefix, prefix + U+10FFFF): SQLite compares text by bytes, and no key byte after a
// UTF-8 prefix is above 0xF4.
static std::string prefix_end(const std::string& prefix) { return prefix + "\xF4\x8F\xBF\xBF"; }

Result<std::vector<std::pair<std::string, std::string>>> Store::meta_with_prefix(
    const std::string& prefix) {
    auto& st = db_->cached("SELECT key, value FROM meta WHERE key >= ?1 AND key < ?2 ORDER BY key");
    const std::string end = prefix_end(prefix);
    st.bind(1, std::string_view(prefix)).bind(2, std::string_view(end));
    std::vector<std::pair<std::string, std::string>> out;
    Step step;
    while ((step = st.step()) == Step::kRow) out.emplace_back(st.column_text(0), st.column_text(1));
    st.reset();
    if (step == Step::kError) return Status::storage("reading the metadata failed");
    return out;
}

Status Store::meta_remove_prefix(const std::string& prefix) {
    auto& st = db_->cached("DELETE FROM meta WHERE key >= ?1 AND key < ?2");
    const std::string end = prefix_end(prefix);
    st.bind(1, std::string_view(prefix)).bind(2, std::string_view(end));
    return st.run();
}

Result<bool> Store::insert_created(Kind kind, const Id128& id, const Stamp& stamp,
                                   const std::vector<Value>& values) {
    kinds_ahead_.erase(id);  // every write of a row forgets what read_kinds_ahead read of it
    const auto& k = kind_def(kind);
    auto& st = db_->cached(sql_for(kind).insert_created.c_str());
    auto e = stamp.encode();
    st.bind_blob_static(1, id.bytes.data(), 16).bind_blob_static(2, e.data(), e.size());
    st.bind(3, next_seq());
    for (std::size_t i = 0; i < k.fields.size(); ++i)
        bind_field(st, int(i) + 4, k.fields[i], values[i]);
    LIAISON_TRY(st.run());
    return db_->changes() > 0;
}

Result<LwwOutcome> Store::lww_update(Kind kind, const Id128& id, int field, const Value& value,
                                     const Stamp& stamp) {
    const auto& f = kind_def(kind).fields[std::size_t(field)];
    auto& st = db_->cached(sql_for(kind).lww_update[std::size_t(field)].c_str());
    auto e = stamp.encode();
    bind_field(st, 1, f, value);
    st.bind_blob_static(2, e.data(), e.size()).bind(3, next_seq());
    st.bind_blob_static(4, id.bytes.data(), 16);
    LIAISON_TRY(st.run());
    if (db_->changes() > 0) return LwwOutcome::kApplied;
    auto& probe = db_->cached(sql_for(kind).load.c_str());
    probe.bind_blob_static(1, id.bytes.data(), 16);
    bool exists = probe.step() == Step::kRow;
    probe.reset();
    return exists ? LwwOutcome::kLost : LwwOutcome::kAbsent;
}

Status Store::insert_field_only(Kind kind, const Id128& id, int field, const Value& value,
                                const Stamp& stamp) {
    kinds_ahead_.erase(id);
    const auto& f = kind_def(kind).fields[std::size_t(field)];
    auto& st = db_->cached(sql_for(kind).insert_field_only[std::size_t(field)].c_str());
    st.bind_blob_static(1, id.bytes.data(), 16).bind(2, next_seq());
    bind_field(st, 3, f, value);
    bind_stamp(st, 4, stamp);
    return st.run();
}

Result<std::optional<RowState>> Store::load_row(Kind kind, const Id128& id) {
    auto& st = db_->cached(sql_for(kind).load.c_str());
    st.bind_blob_static(1, id.bytes.data(), 16);
    auto s = st.step();
    if (s == Step::kError) return Status::storage(st.error());
    if (s == Step::kDone) return std::optional<RowState>{};
    std::optional<RowState> row(read_row(st, kind, id, 0));
    st.reset();  // release the read snapshot (see meta_get)
    return row;
}

Result<std::optional<Kind>> Store::kind_holding(const Id128& id, Kind expected) {
    if (auto ahead = kinds_ahead_.find(id);
        ahead != kinds_ahead_.end() && ahead->second.knows(expected)) {
        const std::uint32_t held = ahead->second.held;
        if (held & (1u << unsigned(expected))) return std::optional<Kind>(expected);
        for (std::size_t i = 0; i < all_kinds().size(); ++i)
            if (held & (1u << i)) return std::optional<Kind>(kind_at(std::int64_t(i)));
        return std::optional<Kind>();  // with no logged operation, no other kind's row either
    }
    if (!postgres_) {
        auto own = has_row(expected, id);
        if (!own) return own.status();
        if (own.value()) return std::optional<Kind>(expected);
    }
    // On SQLite `expected` is known absent here; on PostgreSQL it sorts first.
    static const std::string sql = "SELECT k FROM (" + every_kind_sql(" AS k", "eid=?1", "") +
                                   ") AS held ORDER BY k<>?2, k LIMIT 1";
    auto& st = db_->cached(sql.c_str());
    st.bind_blob_static(1, id.bytes.data(), 16);
    st.bind(2, std::int64_t(expected));  // its place in all_kinds()
    auto s = st.step();
    if (s == Step::kError) return Status::storage(st.error());
    std::optional<Kind> kind;
    if (s == Step::kRow) kind = kind_at(st.column_int(0));
    st.reset();
    return kind;
}

Status Store::read_kinds_ahead(const std::vector<std::pair<Id128, Kind>>& ids) {
    if (!postgres_) return Status::ok();
    static_assert(kKindCount < 31, "a kind's place and kLogged fit below 32");
    constexpr int kLogged = 31;  // the tag of "the op log holds an operation on it"
    // The ids travel as one text of hexadecimal ids and one of the kinds they are named as,
    // each probed by equality on the primary keys, as kind_holding probes one: a plan that
    // stays an index probe per id whatever the tables' statistics said when it was made. (An
    // `eid IN (…)` list was planned as a scan of the contacts while their table was small, and
    // kept: 30 ms a batch.) The op log is probed first; every kind's table only for an id it
    // holds an operation on, else only the named kind's: each branch's condition on the id's
    // `logged` and `want` alone is a one-time filter, evaluated before its index is touched
    // (a group of new records: 2 probes an id instead of 26).
    static const std::string sql = [] {
        std::string q =
            "SELECT held.k, held.eid FROM (SELECT decode(h,'hex') AS id, CAST(w AS integer) AS "
            "want FROM unnest(string_to_array(?1, ','), string_to_array(?2, ',')) AS t(h, w)) AS "
            "ids CROSS JOIN LATERAL (SELECT EXISTS(SELECT 1 FROM oplog WHERE eid=ids.id) AS "
            "logged OFFSET 0) AS l CROSS JOIN LATERAL (";
        for (std::size_t i = 0; i < all_kinds().size(); ++i)
            q += "SELECT " + std::to_string(i) + " AS k, eid FROM " +
                 sql_for(all_kinds()[i].kind).table +
                 " WHERE eid=ids.id AND (l.logged OR ids.want=" + std::to_string(i) +
                 ") UNION ALL ";
        return q + "SELECT " + std::to_string(kLogged) + ", ids.id WHERE l.logged) AS held";
    }();
    constexpr std::size_t kMaxChunk = 1000;
    std::vector<std::pair<Id128, Kind>> todo;
    for (const auto& [id, kind] : ids)
        if (kinds_ahead_.emplace(id, KindsAhead{0, false, int(kind)}).second)
            todo.emplace_back(id, kind);
    for (std::size_t first = 0; first < todo.size(); first += kMaxChunk) {
        static constexpr char kHex[] = "0123456789abcdef";
        std::string list, kinds;
        for (std::size_t i = first; i < std::min(todo.size(), first + kMaxChunk); ++i) {
            if (!list.empty()) {
                list += ',';
                kinds += ',';
            }
            for (unsigned char b : todo[i].first.bytes) list += {kHex[b >> 4], kHex[b & 15]};
            kinds += std::to_string(int(todo[i].second));
        }
        auto& st = db_->cached(sql.c_str());
        st.bind(1, std::string_view(list)).bind(2, std::string_view(kinds));
        Step step;
        while ((step = st.step()) == Step::kRow) {
            KindsAhead& a = kinds_ahead_[read_id(st, 1)];
            const int tag = int(st.column_int(0));
            if (tag == kLogged) {
                a.logged = true;
                a.only = -1;  // every kind's table was probed
            } else {
                a.held |= 1u << unsigned(tag);
            }
        }
        if (step == Step::kError) {
            const std::string error = st.error();
            st.reset();
            kinds_ahead_.clear();
            return Status::storage("cannot read the kinds of a batch's records: " + error);
        }
    }
    return Status::ok();
}

Result<bool> Store::has_row(Kind kind, const Id128& id) {
    auto& st = db_->cached(sql_for(kind).exists.c_str());
    st.bind_blob_static(1, id.bytes.data(), 16);
    auto s = st.step();
    if (s == Step::kError) return Status::storage(st.error());
    st.reset();
    return s == Step::kRow;
}

Status Store::write_row(const RowState& row) {
    kinds_ahead_.erase(row.id);
    const auto& k = kind_def(row.kind);
    auto& st = db_->cached(sql_for(row.kind).upsert.c_str());
    bind_id(st, 1, row.id);
    bind_opt_stamp(st, 2, row.created);
    bind_opt_stamp(st, 3, row.deleted);
    st.bind(4, next_seq());
    for (std::size_t i = 0; i < k.fields.size(); ++i) {
        bool dropped = row.deleted && !kept_on_tombstone(k.fields[i]);
        int vc = 5 + int(2 * i);
        if (dropped) {
            st.bind_null(vc).bind_null(vc + 1);
            continue;
        }
        bind_field(st, vc, k.fields[i], row.values[i]);
        // Canonical clock: NULL when it is the row's create stamp (or there is none).
        if (!row.clocks[i] || (row.created && *row.clocks[i] == *row.created))
            st.bind_null(vc + 1);
        else
            bind_stamp(st, vc + 1, *row.clocks[i]);
    }
    return st.run();
}

Status Store::delete_row(Kind kind, const Id128& id) {
    kinds_ahead_.erase(id);
    if (sql_for(kind).searchable) LIAISON_TRY(unindex(kind, id));
    auto& st = db_->cached(sql_for(kind).remove.c_str());
    bind_id(st, 1, id);
    LIAISON_TRY(st.run());
    return directory_remove(id);
}

Status Store::directory_put(const Id128& id, std::uint32_t email_digest,
                            std::uint32_t phone_digest) {
    auto& st = db_->cached(
        "INSERT INTO directory(eid, email_digest, phone_digest) VALUES(?1,?2,?3) "
        "ON CONFLICT(eid) DO UPDATE SET email_digest=?2, phone_digest=?3");
    bind_id(st, 1, id);
    st.bind(2, std::int64_t(email_digest)).bind(3, std::int64_t(phone_digest));
    return st.run();
}

Status Store::directory_remove(const Id128& id) {
    auto& st = db_->cached("DELETE FROM directory WHERE eid=?1");
    bind_id(st, 1, id);
    return st.run();
}

Result<bool> Store::directory_only(const Id128& id) {
    auto& st = db_->cached("SELECT 1 FROM directory WHERE eid=?1");
    bind_id(st, 1, id);
    const Step s = st.step();
    std::string err = s == Step::kError ? st.error() : "";
    st.reset();
    if (s == Step::kError) return Status::storage(err);
    return s == Step::kRow;
}

Result<std::vector<Id128>> Store::directory_matches(bool phone, std::uint32_t digest) {
    auto& st = db_->cached(phone ? "SELECT eid FROM directory WHERE phone_digest=?1 ORDER BY eid"
                                 : "SELECT eid FROM directory WHERE email_digest=?1 ORDER BY eid");
    st.bind(1, std::int64_t(digest));
    std::vector<Id128> out;
    Step s;
    while ((s = st.step()) == Step::kRow) out.push_back(read_id(st, 0));
    std::string err = s == Step::kError ? st.error() : "";
    st.reset();
    if (s == Step::kError) return Status::storage(err);
    return out;
}

Result<std::vector<Id128>> Store::ids_where(Kind kind, int field, const std::string& value) {
    const auto& f = kind_def(kind).fields[std::size_t(field)];
    auto& st = db_->cached(sql_for(kind).ids_where[std::size_t(field)].c_str());
    bind_field(st, 1, f, value);
    std::vector<Id128> out;
    Step s;
    while ((s = st.step()) == Step::kRow) out.push_back(read_id(st, 0));
    if (s == Step::kError) return Status::storage(st.error());
    return out;
}

Result<bool> Store::add_dot(const Id128& id, int set, const std::string& elem, const Stamp& dot) {
    auto& st = db_->cached(
        "INSERT INTO sdot(eid,sidx,elem,dot,removed) VALUES(?1,?2,?3,?4,0) "
        "ON CONFLICT DO NOTHING");
    auto e = dot.encode();
    st.bind_blob_static(1, id.bytes.data(), 16).bind(2, std::int64_t(set));
    st.bind_static(3, elem).bind_blob_static(4, e.data(), e.size());
    LIAISON_TRY(st.run());
    return db_->changes() > 0;
}

Result<bool> Store::remove_dot(const Id128& id, int set, const std::string& elem,
                               const Stamp& dot) {
    auto& st = db_->cached(
        "INSERT INTO sdot(eid,sidx,elem,dot,removed) VALUES(?1,?2,?3,?4,1) "
        "ON CONFLICT(eid,sidx,elem,dot) DO UPDATE SET removed=1 WHERE sdot.removed=0");
    auto e = dot.encode();
    st.bind_blob_static(1, id.bytes.data(), 16).bind(2, std::int64_t(set));
    st.bind_static(3, elem).bind_blob_static(4, e.data(), e.size());
    LIAISON_TRY(st.run());
    return db_->changes() > 0;
}

Result<std::vector<DotRow>> Store::load_dots(const Id128& id) {
    auto& st = db_->cached(
        "SELECT sidx,elem,dot,removed FROM sdot WHERE eid=?1 "
        "ORDER BY sidx,elem,dot");
    st.bind_blob_static(1, id.bytes.data(), 16);
    std::vector<DotRow> out;
    Step s;
    while ((s = st.step()) == Step::kRow) {
        DotRow d;
        d.set = int(st.column_int(0));
        d.elem = st.column_text(1);
        auto b = st.column_blob(2);
        if (auto stamp = Stamp::decode(b.data(), b.size())) d.dot = *stamp;
        d.removed = st.column_int(3) != 0;
        out.push_back(std::move(d));
    }
    if (s == Step::kError) return Status::storage(st.error());
    return out;
}

Status Store::delete_dots(const Id128& id) {
    auto& st = db_->cached("DELETE FROM sdot WHERE eid=?1");
    bind_id(st, 1, id);
    return st.run();
}

Status Store::touch_row(Kind kind, const Id128& id) {
    kinds_ahead_.erase(id);
    auto& st = db_->cached(sql_for(kind).touch.c_str());
    st.bind(1, next_seq());
    bind_id(st, 2, id);
    return st.run();
}

Result<std::vector<std::pair<int, Id128>>> Store::load_subject_alt(const Id128& id) {
    auto& st =
        db_->cached("SELECT fidx,subject FROM subject_alt WHERE eid=?1 ORDER BY fidx,subject");
    bind_id(st, 1, id);
    std::vector<std::pair<int, Id128>> out;
    Step s;
    while ((s = st.step()) == Step::kRow) out.emplace_back(int(st.column_int(0)), read_id(st, 1));
    if (s == Step::kError) return Status::storage(st.error());
    return out;
}

Status Store::add_subject_alt(const Id128& id, int field, const Id128& subject) {
    auto& st = db_->cached("INSERT OR IGNORE INTO subject_alt(eid,fidx,subject) VALUES(?1,?2,?3)");
    bind_id(st, 1, id);
    st.bind(2, std::int64_t(field));
    bind_id(st, 3, subject);
    return st.run();
}

Status Store::remove_subject_alt(const Id128& id, int field, const Id128& subject) {
    auto& st = db_->cached("DELETE FROM subject_alt WHERE eid=?1 AND fidx=?2 AND subject=?3");
    bind_id(st, 1, id);
    st.bind(2, std::int64_t(field));
    bind_id(st, 3, subject);
    return st.run();
}

Result<std::vector<Id128>> Store::ids_with_subject_alt(const Id128& subject) {
    auto& st =
        db_->cached("SELECT eid FROM subject_alt WHERE subject=?1 ORDER BY eid");  // as ids_where
    bind_id(st, 1, subject);
    std::vector<Id128> out;
    Step s;
    while ((s = st.step()) == Step::kRow) out.push_back(read_id(st, 0));
    if (s == Step::kError) return Status::storage(st.error());
    return out;
}

Status Store::mark_erased(const Id128& id, std::optional<Kind> kind) {
    if (erased_.count(id)) return Status::ok();
    auto& st = db_->cached("INSERT OR IGNORE INTO erased(eid,seq) VALUES(?1,?2)");
    bind_id(st, 1, id);
    st.bind(2, next_seq());
    LIAISON_TRY(st.run());
    if (kind) {
        auto& k = db_->cached("INSERT OR IGNORE INTO erased_kind(eid,kind) VALUES(?1,?2)");
        bind_id(k, 1, id);
        k.bind(2, std::int64_t(*kind));
        LIAISON_TRY(k.run());
    }
    erased_.insert(id);
    scrub_due_ = true;
    return Status::ok();
}

Result<std::optional<Kind>> Store::erased_kind(const Id128& id) {
    auto& st = db_->cached("SELECT kind FROM erased_kind WHERE eid=?1");
    bind_id(st, 1, id);
    const Step s = st.step();
    std::optional<Kind> out;
    if (s == Step::kRow) {
        const std::int64_t k = st.column_int(0);
        if (k >= 0 && k < kKindCount) out = Kind(k);
    }
    const std::string error = s == Step::kError ? st.error() : std::string();
    st.reset();
    if (!error.empty()) return Status::storage(error);
    return out;
}

// PostgreSQL keeps a removed row's bytes in its table's pages. A plain VACUUM prunes the row,
// but when the row sat last on its page its bytes stay in the page's free space, readable in
// the table's file (measured: docs/SCALING.md §4). VACUUM FULL writes each table and its
// indexes anew and drops the old files: the erasing transaction's commit does so for every
// table an erasure writes to. What the database's own WAL and backups keep is said there.
//
// VACUUM FULL copies every row version a transaction still open may see: one that began before
// the erasure committed would keep her rows in the new files. So first it waits, polling in
// the database (the core has no threads), until no transaction older than the erasure is
// running anywhere in the cluster (such a transaction holds back this session's own snapshot,
// and so what VACUUM may drop), no session of this database holds a snapshot taken before it,
// and no standby's feedback or replication slot holds one; kScrubWaitMs at most. Sessions of
// other roles are seen only by a role that may read all statistics (docs/SCALING.md §4).
// VACUUM runs outside a transaction.
Status Store::vacuum_record() {
    // Every transaction id handed out so far, the erasing one included: the newest is xmax - 1.
    const auto newest =
        db_->query_int("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1");
    if (!newest) return Status::storage("reading the newest transaction id: " + db_->error());
    const std::string erased_by = std::to_string(*newest);
    // A 32-bit xid column is not newer than the newest id when its age is at least as great.
    const auto older = [&](const std::string& column) {
        return column + " IS NOT NULL AND age(" + column + ") >= age((" + erased_by +
               " % 4294967296)::text::xid)";
    };
    const std::string holders =
        "SELECT string_agg(who, ', ') FROM ("
        " SELECT 'a transaction (xid ' || pg_snapshot_xmin(pg_current_snapshot())::text || ')'"
        "  AS who WHERE pg_snapshot_xmin(pg_current_snapshot())::text::bigint <= " +
        erased_by +
        " UNION ALL SELECT 'session ' || pid || coalesce(' (' || nullif(application_name, '') || "
        "')', '') FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (datname = "
        "current_database() OR backend_type = 'walsender') AND " +
        older("backend_xmin") +
        " UNION ALL SELECT 'replication slot ' || slot_name FROM pg_replication_slots WHERE " +
        older("xmin") + ") h";
    std::string waiting_for;
    for (int waited = 0;; waited += kScrubPollMs) {
        auto st = db_->prepare(holders);
        if (!st) return st.status();
        const Step step = st.value().step();
        if (step == Step::kError) return Status::storage(st.value().error());
        waiting_for = step == Step::kRow && !st.value().column_is_null(0)
                          ? st.value().column_text(0)
                          : std::string();
        st.value().reset();
        if (waiting_for.empty()) break;
        if (waited >= kScrubWaitMs)
            return Status::storage(
                "an erasure is committed, but " + waiting_for +
                " began before it and may still read the erased rows, so their tables cannot "
                "be rewritten yet; retry once it has ended");
        LIAISON_TRY(
            db_->exec_postgres("SELECT pg_sleep(" + std::to_string(kScrubPollMs / 1000.0) + ")"));
    }
    std::string tables;
    for (const auto& s : kind_sql()) tables += s.table + ", ";
    tables += "sdot, subject_alt, directory, outbox, scope_seen, oplog";
    // The server's tables that hold a person's values (core/storage/history.cpp, evidence.cpp),
    // when this database has them.
    for (const std::string t : {"server_history", "server_evidence_links", "server_evidence_blobs"})
        if (db_->query_int("SELECT count(*) FROM pg_tables WHERE schemaname=current_schema() AND "
                           "tablename='" +
                           t + "'")
                .value_or(0) > 0)
            tables += ", " + t;
    LIAISON_TRY(db_->exec_postgres("VACUUM FULL " + tables));
    scrub_due_ = false;
    return Status::ok();
}

Status Store::scrub_log() {
    if (postgres_) return vacuum_record();
    std::string why = "a reader still uses it";
    for (int attempt = 0; attempt < kScrubAttempts; ++attempt) {
        // TRUNCATE: every frame into the file, then wait (busy handler) until no reader uses
        // the log and cut it to zero bytes. Row: busy, log frames, checkpointed frames; a
        // database without a WAL answers (0, -1, -1).
        auto& st = db_->cached("PRAGMA wal_checkpoint(TRUNCATE)");
        const Step s = st.step();
        // A SQLite built without WAL support (the browser's, docs/BUILDING.md pitfall 7)
        // answers no row: it has no log to scrub.
        const bool done = s == Step::kDone || (s == Step::kRow && st.column_int(0) == 0);
        if (s == Step::kError) why = st.error();
        st.reset();
        if (done) {
            scrub_due_ = false;
            return Status::ok();
        }
    }
    return Status::storage(
        "an erasure is committed, but the write-ahead log that held the "
        "erased data could not be emptied (" +
        why + "); retry");
}

Id128 Store::root_of(const Id128& id) const {
    auto it = parent_.find(id);
    return it == parent_.end() ? id : it->second;
}

std::vector<Id128> Store::component_of(const Id128& id) const {
    Id128 root = root_of(id);
    auto it = members_.find(root);
    if (it == members_.end()) return {id};
    return it->second;
}

void Store::union_edge(const Id128& a, const Id128& b) {
    Id128 ra = root_of(a), rb = root_of(b);
    if (ra == rb) return;
    if (rb < ra) std::swap(ra, rb);
    // Every member of rb's component now points at ra (components are small: duplicates).
    std::vector<Id128> moved = component_of(rb);
    auto& dst = members_[ra];
    if (dst.empty()) dst.push_back(ra);
    for (const auto& m : moved) {
        parent_[m] = ra;
        dst.push_back(m);
    }
    parent_[ra] = ra;
    members_.erase(rb);
    std::sort(dst.begin() + 1, dst.end());
}

Result<bool> Store::add_alias_edge(const Id128& a, const Id128& b) {
    Id128 lo = std::min(a, b), hi = std::max(a, b);
    auto& st = db_->cached("INSERT OR IGNORE INTO alias(a,b,seq) VALUES(?1,?2,?3)");
    bind_id(st, 1, lo);
    bind_id(st, 2, hi);
    st.bind(3, next_seq());
    LIAISON_TRY(st.run());
    if (db_->changes() == 0) return false;
    union_edge(lo, hi);
    return true;
}

Result<std::int64_t> Store::id_number(const Id128& id) {
    if (auto it = idnum_.find(id); it != idnum_.end()) return it->second;
    auto& st = db_->cached("INSERT INTO idnum(id) VALUES(?1) RETURNING n");
    st.bind_blob_static(1, id.bytes.data(), 16);
    auto number = st.run_returning_int();
    if (!number) return number.status();
    const std::int64_t n = number.value();
    idnum_[id] = n;  // a rollback reloads these (WriteTxn)
    id_of_num_[n] = id;
    max_idnum_ = std::max(max_idnum_, n);
    return n;
}

Result<bool> Store::log_op(const Id128& entity, const Stamp& stamp, const Id128& actor, int type,
                           std::uint64_t touched) {
    kinds_ahead_.erase(entity);  // it may be logged now
    auto& st = db_->cached(
        "INSERT OR IGNORE INTO oplog(eid,hlc,replica,actor,type,touched) "
        "VALUES(?1,?2,?3,?4,?5,?6)");
    LIAISON_TRY(bind_log_row(st, entity, stamp, actor, type, touched));
    LIAISON_TRY(st.run());
    return db_->changes() > 0;
}

Status Store::bind_log_row(Statement& st, const Id128& entity, const Stamp& stamp,
                           const Id128& actor, int type, std::uint64_t touched) {
    auto replica = id_number(stamp.replica);
    if (!replica) return replica.status();
    std::optional<std::int64_t> who;
    if (!actor.is_nil()) {
        auto a = id_number(actor);
        if (!a) return a.status();
        who = a.value();
    }
    st.bind_blob_static(1, entity.bytes.data(), 16)
        .bind(2, std::int64_t(stamp.hlc))
        .bind(3, replica.value());
    if (who)
        st.bind(4, *who);
    else
        st.bind_null(4);
    st.bind(5, std::int64_t(type)).bind(6, std::int64_t(touched));
    return Status::ok();
}

Result<Store::LoggedCreate> Store::log_create(Kind kind, const Id128& entity, const Id128& row_id,
                                              const Stamp& stamp, const Id128& actor, int type,
                                              std::uint64_t touched,
                                              const std::vector<Value>& values) {
    LoggedCreate out;
    if (!postgres_) {
        auto fresh = log_op(entity, stamp, actor, type, touched);
        if (!fresh) return fresh.status();
        if (!(out.fresh = fresh.value())) return out;
        auto inserted = insert_created(kind, row_id, stamp, values);
        if (!inserted) return inserted.status();
        out.inserted = inserted.value();
        return out;
    }
    const auto ahead = kinds_ahead_.find(row_id);
    const bool known_new = row_id == entity && ahead != kinds_ahead_.end() &&
                           ahead->second.knows(kind) && !ahead->second.logged &&
                           ahead->second.held == 0;
    kinds_ahead_.erase(row_id);
    if (entity != row_id) kinds_ahead_.erase(entity);
    if (known_new) {
        // Neither its row nor an operation on it existed when this transaction read ahead,
        // and every write since would have forgotten that: the operation is new and makes the
        // row. Written with the next command (flush_creates).
        PendingCreate p{kind, entity};
        auto replica = id_number(stamp.replica);
        if (!replica) return replica.status();
        p.replica = replica.value();
        if (!actor.is_nil()) {
            auto a = id_number(actor);
            if (!a) return a.status();
            p.actor = a.value();
        }
        p.hlc = std::int64_t(stamp.hlc);
        p.type = type;
        p.touched = touched;
        p.stamp = stamp.encode();
        p.seq = next_seq();
        p.values = values;
        pending_creates_.push_back(std::move(p));
        return LoggedCreate{true, true};
    }
    const auto& k = kind_def(kind);
    auto& st = db_->cached(sql_for(kind).log_create.c_str());
    LIAISON_TRY(bind_log_row(st, entity, stamp, actor, type, touched));
    const auto e = stamp.encode();
    st.bind_blob_static(7, row_id.bytes.data(), 16).bind_blob_static(8, e.data(), e.size());
    st.bind(9, next_seq());
    for (std::size_t i = 0; i < k.fields.size(); ++i)
        bind_field(st, int(i) + 10, k.fields[i], values[i]);
    if (st.step() != Step::kRow) {
        const std::string error = st.error();
        st.reset();
        return Status::storage(error);
    }
    out.fresh = st.column_int(0) > 0;
    out.inserted = st.column_int(1) > 0;
    st.reset();
    if (!out.fresh) --seq_;  // nothing was written with it
    return out;
}

Status Store::flush_creates() {
    if (pending_creates_.empty()) return Status::ok();
    // Taken first: the statements below run the before-command hook's guard, not this again.
    std::vector<PendingCreate> todo = std::move(pending_creates_);
    pending_creates_.clear();
    // Kind by kind, in the order they came; at most kChunk rows a statement (each row is 9
    // parameters and its fields', well under PostgreSQL's 65,535).
    constexpr std::size_t kChunk = 128;
    std::vector<bool> done(todo.size(), false);
    for (std::size_t first = 0; first < todo.size(); ++first) {
        if (done[first]) continue;
        const Kind kind = todo[first].kind;
        const auto& k = kind_def(kind);
        std::vector<const PendingCreate*> rows;
        for (std::size_t i = first; i < todo.size() && rows.size() < kChunk; ++i)
            if (!done[i] && todo[i].kind == kind) {
                rows.push_back(&todo[i]);
                done[i] = true;
            }
        // A few fixed sizes, so that a connection prepares a handful of these statements per
        // kind rather than one per row count (each holds its parameters' buffers, here and in
        // the database's backend): the slots past the last row stay unbound, NULL, and are left
        // out by their null id.
        std::size_t slots = 8;
        while (slots < rows.size()) slots *= 2;
        const int width = 9 + int(k.fields.size());
        std::string log_values, row_values;
        for (std::size_t r = 0; r < slots; ++r) {
            const int b = int(r) * width;
            auto p = [&](int i, const char* type) {
                std::string param = "CAST(?";
                param += std::to_string(b + i);
                return param + " AS " + type + ")";
            };
            log_values += r ? ",(" : "(";
            log_values += p(1, "BYTEA") + "," + p(2, "BIGINT") + "," + p(3, "BIGINT") + "," +
                          p(4, "BIGINT") + "," + p(5, "BIGINT") + "," + p(6, "BIGINT") + ")";
            row_values += r ? ",(" : "(";
            row_values += p(7, "BYTEA") + "," + p(8, "BYTEA") + "," + p(9, "BIGINT");
            for (std::size_t i = 0; i < k.fields.size(); ++i) {
                const std::string type = pg_value_type(k.fields[i]);
                row_values += ',';
                row_values += p(10 + int(i), type.substr(0, type.find(' ')).c_str());
            }
            row_values += ")";
        }
        std::vector<std::string> vcols;
        for (const auto& f : k.fields) vcols.push_back(value_column(f));
        // No ON CONFLICT: a row that exists after all is an error, which aborts the transaction
        // rather than leaving a create unwritten that was answered as applied.
        const std::string sql =
            "WITH o AS (INSERT INTO oplog(eid,hlc,replica,actor,type,touched) SELECT * FROM "
            "(VALUES " +
            log_values + ") AS v WHERE column1 IS NOT NULL RETURNING 1) INSERT INTO " +
            sql_for(kind).table + "(eid,created,seq," + blob_literal_free_join(vcols, ",") +
            ") SELECT * FROM (VALUES " + row_values + ") AS v WHERE column1 IS NOT NULL";
        auto& st = db_->cached(sql);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const PendingCreate& c = *rows[r];
            const int b = int(r) * width;
            st.bind_blob_static(b + 1, c.entity.bytes.data(), 16)
                .bind(b + 2, c.hlc)
                .bind(b + 3, c.replica);
            if (c.actor)
                st.bind(b + 4, *c.actor);
            else
                st.bind_null(b + 4);
            st.bind(b + 5, std::int64_t(c.type)).bind(b + 6, std::int64_t(c.touched));
            st.bind_blob_static(b + 7, c.entity.bytes.data(), 16)
                .bind_blob_static(b + 8, c.stamp.data(), c.stamp.size())
                .bind(b + 9, c.seq);
            for (std::size_t i = 0; i < k.fields.size(); ++i)
                bind_field(st, b + 10 + int(i), k.fields[i], c.values[i]);
        }
        LIAISON_TRY(st.run());
        if (db_->changes() != std::int64_t(rows.size()))
            return Status::storage("deferred creates: " + std::to_string(db_->changes()) + " of " +
                                   std::to_string(rows.size()) + " rows written");
    }
    return Status::ok();
}

Result<std::vector<OpLogRow>> Store::op_log(const std::vector<Id128>& ids) {
    std::vector<OpLogRow> out;
    for (std::size_t at = 0; at < ids.size(); at += 200) {
        const std::size_t n = std::min(ids.size(), at + 200) - at;
        auto st =
            db_->prepare("SELECT eid, hlc, replica, actor, type, touched FROM oplog WHERE eid IN " +
                         in_list(n, 1));
        if (!st) return st.status();
        for (std::size_t i = 0; i < n; ++i) bind_id(*st, int(i) + 1, ids[at + i]);
        Statement::Step step;
        while ((step = st->step()) == Statement::Step::kRow) {
            OpLogRow r;
            r.entity = read_id(*st, 0);
            r.stamp.hlc = std::uint64_t(st->column_int(1));
            // Another server on the same PostgreSQL database may have numbered an id since.
            if (postgres_ && (!id_of_num_.count(st->column_int(2)) ||
                              (!st->column_is_null(3) && !id_of_num_.count(st->column_int(3)))))
                LIAISON_TRY(catch_up_id_numbers());
            auto replica = id_of_num_.find(st->column_int(2));
            if (replica == id_of_num_.end())
                return Status::storage("op log: unknown replica number");
            r.stamp.replica = replica->second;
            if (!st->column_is_null(3)) {
                auto actor = id_of_num_.find(st->column_int(3));
                if (actor == id_of_num_.end())
                    return Status::storage("op log: unknown actor number");
                r.actor = actor->second;
            }
            r.type = int(st->column_int(4));
            r.touched = std::uint64_t(st->column_int(5));
            out.push_back(r);
        }
        if (step == Statement::Step::kError) return Status::storage(st->error());
    }
    std::sort(out.begin(), out.end(), [](const OpLogRow& a, const OpLogRow& b) {
        return a.stamp != b.stamp ? a.stamp < b.stamp : a.entity < b.entity;
    });
    return out;
}

bool Store::has_op(const Id128& entity, const Stamp& stamp) {
    auto replica = idnum_.find(stamp.replica);
    if (replica == idnum_.end()) return false;
    auto& st = db_->cached("SELECT 1 FROM oplog WHERE eid=?1 AND hlc=?2 AND replica=?3");
    st.bind_blob_static(1, entity.bytes.data(), 16)
        .bind(2, std::int64_t(stamp.hlc))
        .bind(3, replica->second);
    bool found = st.step() == Step::kRow;
    st.reset();
    return found;
}

Status Store::note_scope_keys(const Id128& id, const ScopeKeys& keys) {
    auto& st =
        db_->cached("INSERT OR IGNORE INTO scope_seen(eid,region,brand,store) VALUES(?1,?2,?3,?4)");
    bind_id(st, 1, id);
    st.bind(2, std::string_view(keys.region))
        .bind(3, std::string_view(keys.brand))
        .bind(4, std::string_view(keys.store));
    return st.run();
}

Result<std::vector<ScopeKeys>> Store::scope_keys_seen(const Id128& id) {
    auto& st = db_->cached("SELECT region, brand, store FROM scope_seen WHERE eid=?1");
    bind_id(st, 1, id);
    std::vector<ScopeKeys> out;
    for (;;) {
        auto step = st.step();
        if (step == Step::kError) return Status::storage(st.error());
        if (step != Step::kRow) break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_text(2)});
    }
    st.reset();
    return out;
}

Status Store::purge_ops(const Id128& entity) {
    auto& st = db_->cached("DELETE FROM oplog WHERE eid=?1");
    bind_id(st, 1, entity);
    return st.run();
}

std::int64_t Store::op_count() { return db_->query_int("SELECT count(*) FROM oplog").value_or(0); }

Status Store::outbox_push(const Id128& entity, const Stamp& stamp, int type, std::string_view body,
                          std::int64_t group) {
    auto& st = db_->cached("INSERT INTO outbox(eid,op,type,body,grp) VALUES(?1,?2,?3,?4,?5)");
    auto e = stamp.encode();
    st.bind_blob_static(1, entity.bytes.data(), 16).bind_blob_static(2, e.data(), e.size());
    st.bind(3, std::int64_t(type));
    st.bind_blob_static(4, body.data(), body.size());
    st.bind(5, group);
    return st.run();
}

Result<std::int64_t> Store::next_outbox_group() {
    auto g = db_->query_int("SELECT coalesce(max(grp),0)+1 FROM outbox");
    if (!g) return Status::storage("cannot read the outbox's groups");
    return *g;
}

namespace {
Result<std::vector<Store::OutboxRow>> read_outbox(Statement& st) {
    std::vector<Store::OutboxRow> out;
    Step s;
    while ((s = st.step()) == Step::kRow) {
        Store::OutboxRow r;
        r.n = st.column_int(0);
        r.entity = read_id(st, 1);
        r.stamp = read_stamp(st, 2).value_or(Stamp{});
        r.body = std::string(st.column_blob(3));
        r.group = st.column_int(4);
        out.push_back(std::move(r));
    }
    if (s == Step::kError) return Status::storage(st.error());
    return out;
}
}  // namespace

Result<std::vector<Store::OutboxRow>> Store::outbox_peek(std::size_t limit) {
    auto& st = db_->cached("SELECT n,eid,op,body,grp FROM outbox ORDER BY n LIMIT ?1");
    st.bind(1, std::int64_t(limit));
    return read_outbox(st);
}

Result<std::vector<Store::OutboxRow>> Store::outbox_of(const Id128& entity) {
    auto& st = db_->cached("SELECT n,eid,op,body,grp FROM outbox WHERE eid=?1 ORDER BY n");
    bind_id(st, 1, entity);
    return read_outbox(st);
}

Status Store::outbox_rewrite(std::int64_t n, std::string_view body) {
    auto& st = db_->cached("UPDATE outbox SET body=?1 WHERE n=?2");
    st.bind_blob(1, body.data(), body.size()).bind(2, n);
    return st.run();
}

Status Store::delete_set_dots(const Id128& id, int set) {
    auto& st = db_->cached("DELETE FROM sdot WHERE eid=?1 AND sidx=?2");
    bind_id(st, 1, id);
    st.bind(2, std::int64_t(set));
    return st.run();
}

Status Store::outbox_remove(const Stamp& stamp) {
    auto& st = db_->cached("DELETE FROM outbox WHERE op=?1");
    bind_stamp(st, 1, stamp);
    return st.run();
}

Result<std::int64_t> Store::outbox_purge(const Id128& entity, int keep_a, int keep_b) {
    auto& st = db_->cached("DELETE FROM outbox WHERE eid=?1 AND type NOT IN (?2,?3)");
    bind_id(st, 1, entity);
    st.bind(2, std::int64_t(keep_a)).bind(3, std::int64_t(keep_b));
    LIAISON_TRY(st.run());
    return db_->changes();
}

std::int64_t Store::outbox_size() {
    return db_->query_int("SELECT count(*) FROM outbox").value_or(0);
}

Status Store::reindex(Kind kind, const Id128& id) {
    const auto& k = kind_def(kind);
    const KindSql& q = sql_for(kind);
    if (!q.searchable || postgres_) return Status::ok();  // no full-text index there
    auto& sel = db_->cached(q.fts_select.c_str());
    bind_id(sel, 1, id);
    if (sel.step() != Step::kRow) return Status::ok();
    std::int64_t rid = sel.column_int(0);
    bool visible = sel.column_int(1) != 0;
    std::vector<std::string> texts;
    int c = 2;
    for (const auto& f : k.fields) {
        if (!f.searchable) continue;
        std::string v(sel.column_text_view(c++));
        if (f.type == FieldType::kPhone) {
            // Index the digits, and the last nine digits, so "+33 6 12 34 56 78" is found by
            // "0612345678" (national form) as well as by "33612345678".
            std::string d;
            for (char ch : v)
                if (ch >= '0' && ch <= '9') d += ch;
            v = d.size() > 9 ? d + " " + d.substr(d.size() - 9) : d;
        }
        texts.push_back(std::move(v));
    }
    sel.reset();
    for (std::size_t si = 0; si < k.sets.size(); ++si) {
        if (!k.sets[si].searchable) continue;
        auto& ds =
            db_->cached("SELECT DISTINCT elem FROM sdot WHERE eid=?1 AND sidx=?2 AND removed=0");
        bind_id(ds, 1, id);
        ds.bind(2, std::int64_t(si));
        std::string joined;
        while (ds.step() == Step::kRow) {
            std::string e(ds.column_text_view(0));
            if (k.sets[si].elem == ElemType::kHandle) {
                // "platform:handle:audience": only the handle is searched.
                auto a = e.find(':'), b = e.rfind(':');
                if (a != std::string::npos && b != a) e = e.substr(a + 1, b - a - 1);
            }
            joined += e + " ";
        }
        texts.push_back(std::move(joined));
    }
    auto& del = db_->cached(q.fts_delete.c_str());
    del.bind(1, rid);
    LIAISON_TRY(del.run());
    if (!visible) return Status::ok();
    auto& ins = db_->cached(q.fts_insert.c_str());
    ins.bind(1, rid);
    for (std::size_t i = 0; i < texts.size(); ++i) ins.bind(int(i) + 2, std::string_view(texts[i]));
    return ins.run();
}

Status Store::unindex(Kind kind, const Id128& id) {
    const KindSql& q = sql_for(kind);
    if (!q.searchable || postgres_) return Status::ok();
    auto& sel = db_->cached(q.rid_of.c_str());
    bind_id(sel, 1, id);
    if (sel.step() != Step::kRow) return Status::ok();
    std::int64_t rid = sel.column_int(0);
    sel.reset();
    auto& del = db_->cached(q.fts_delete.c_str());
    del.bind(1, rid);
    return del.run();
}

Status Store::scrub_search_index(Kind kind) {
    if (!kind_def(kind).has_searchable() || postgres_) return Status::ok();
    const std::string t = fts_table_name(kind);
    return db_->exec("INSERT INTO " + t + "(" + t + ") VALUES('optimize')");
}

Result<std::vector<Store::Change>> Store::changes_since(std::int64_t after, std::size_t limit) {
    std::vector<Change> out;
    if (postgres_) {
        // One round trip for every kind's table. Each branch takes its own first `limit` by seq,
        // as SQLite's queries do: PostgreSQL's generic plan for the bare union sorted every
        // table's rows (1.5 ms a pull on the benchmark's database, most of the database's time).
        static const std::string sql =
            every_kind_sql(",seq,eid", "seq>?1", "ORDER BY 2 LIMIT ?2", "ORDER BY seq LIMIT ?2");
        auto& st = db_->cached(sql.c_str());
        st.bind(1, after).bind(2, std::int64_t(limit));
        Step s;
        while ((s = st.step()) == Step::kRow)
            out.push_back({Change::Type::kEntity,
                           st.column_int(1),
                           kind_at(st.column_int(0)),
                           read_id(st, 2),
                           {}});
        if (s == Step::kError) return Status::storage(st.error());
    } else {
        // SQLite answers each table's query from its seq index, without a sort of the union.
        for (const auto& k : all_kinds()) {
            auto& st = db_->cached(sql_for(k.kind).changes.c_str());
            st.bind(1, after).bind(2, std::int64_t(limit));
            Step s;
            while ((s = st.step()) == Step::kRow)
                out.push_back(
                    {Change::Type::kEntity, st.column_int(0), k.kind, read_id(st, 1), {}});
            if (s == Step::kError) return Status::storage(st.error());
        }
    }
    {
        auto& st = db_->cached("SELECT seq,eid FROM erased WHERE seq>?1 ORDER BY seq LIMIT ?2");
        st.bind(1, after).bind(2, std::int64_t(limit));
        while (st.step() == Step::kRow)
            out.push_back(
                {Change::Type::kErased, st.column_int(0), Kind::kInfluencer, read_id(st, 1), {}});
    }
    {
        auto& st = db_->cached("SELECT seq,a,b FROM alias WHERE seq>?1 ORDER BY seq LIMIT ?2");
        st.bind(1, after).bind(2, std::int64_t(limit));
        while (st.step() == Step::kRow)
            out.push_back({Change::Type::kAlias, st.column_int(0), Kind::kInfluencer,
                           read_id(st, 1), read_id(st, 2)});
    }
    std::sort(out.begin(), out.end(),
              [](const Change& a, const Change& b) { return a.seq < b.seq; });
    if (out.size() > limit) out.resize(limit);
    return out;
}

Result<std::int64_t> Store::feed_head(const char* meta_key,
                                      std::optional<std::string>* meta_value) {
    // Each table's largest seq is one step down its seq index, on both engines.
    static const std::string sql = [] {
        std::string q = "SELECT (SELECT coalesce(max(s),0) FROM (";
        for (const auto& s : kind_sql())
            q += "SELECT max(seq) AS s FROM " + s.table + " UNION ALL ";
        return q +
               "SELECT max(seq) FROM erased UNION ALL SELECT max(seq) FROM alias) AS heads), "
               "(SELECT value FROM meta WHERE key=?1)";
    }();
    auto& st = db_->cached(sql.c_str());
    st.bind(1, std::string_view(meta_key ? meta_key : ""));
    if (st.step() != Step::kRow) {
        const std::string error = st.error();
        st.reset();
        return Status::storage("cannot read the changes feed's last sequence number: " + error);
    }
    const std::int64_t head = st.column_int(0);
    if (meta_value)
        *meta_value =
            st.column_is_null(1) ? std::nullopt : std::optional<std::string>(st.column_text(1));
    st.reset();
    return head;
}

Result<std::optional<EntitySnapshot>> Store::snapshot(Kind kind, const Id128& id) {
    auto row = load_row(kind, id);
    if (!row) return row.status();
    if (!row.value()) return std::optional<EntitySnapshot>{};
    EntitySnapshot snap;
    snap.row = std::move(*row.value());
    auto dots = load_dots(id);
    if (!dots) return dots.status();
    // Dots are kept by id and set index. An id used under two kinds (only a broken or hostile
    // client makes that; found by fuzz.server_handler) may hold dots of a set this kind does
    // not have: they are not part of this entity as this kind, and no encoder accepts them.
    const std::size_t sets = kind_def(kind).sets.size();
    for (auto& d : dots.value())
        if (d.set >= 0 && std::size_t(d.set) < sets) snap.dots.push_back(std::move(d));
    auto alt = load_subject_alt(id);
    if (!alt) return alt.status();
    snap.subject_alt = std::move(alt.value());
    return std::optional<EntitySnapshot>(std::move(snap));
}

Result<std::vector<std::string>> Store::state_lines() {
    // One line per fact, in a canonical order; values carry their type and length, so the
    // encoding is unambiguous and identical on every host.
    auto val = [](const Value& v) -> std::string {
        if (auto p = std::get_if<std::int64_t>(&v)) return "i:" + std::to_string(*p);
        if (auto t = std::get_if<std::string>(&v))
            return "t" + std::to_string(t->size()) + ":" + *t;
        return "n";
    };
    auto stamp = [](const std::optional<Stamp>& s) { return s ? s->to_text() : std::string("-"); };
    std::vector<std::string> lines;
    for (const auto& k : all_kinds()) {
        auto st = db_->prepare(sql_for(k.kind).hash_scan);
        if (!st) return st.status();
        Step s;
        while ((s = st->step()) == Step::kRow) {
            Id128 id = read_id(*st, 0);
            RowState r = read_row(*st, k.kind, id, 1);
            std::string line = "R " + k.name + " " + id.to_text() + " c=" + stamp(r.created) +
                               " d=" + stamp(r.deleted);
            for (std::size_t i = 0; i < k.fields.size(); ++i) {
                if (r.deleted && !kept_on_tombstone(k.fields[i])) continue;
                if (is_null(r.values[i]) && !r.clocks[i]) continue;
                line += " " + k.fields[i].name + "=" + val(r.values[i]) + "@" + stamp(r.clocks[i]);
            }
            lines.push_back(std::move(line));
        }
        if (s == Step::kError) return Status::storage(st->error());
    }
    {
        auto st =
            db_->prepare("SELECT eid,sidx,elem,dot,removed FROM sdot ORDER BY eid,sidx,elem,dot");
        if (!st) return st.status();
        while (st->step() == Step::kRow)
            lines.push_back("D " + read_id(*st, 0).to_text() + " " +
                            std::to_string(st->column_int(1)) + " " + val(st->column_text(2)) +
                            " " + stamp(read_stamp(*st, 3)) +
                            (st->column_int(4) ? " removed" : " live"));
    }
    {
        auto st =
            db_->prepare("SELECT eid,fidx,subject FROM subject_alt ORDER BY eid,fidx,subject");
        if (!st) return st.status();
        while (st->step() == Step::kRow)
            lines.push_back("A " + read_id(*st, 0).to_text() + " " +
                            std::to_string(st->column_int(1)) + " " + read_id(*st, 2).to_text());
    }
    {
        auto st = db_->prepare("SELECT eid FROM erased ORDER BY eid");
        if (!st) return st.status();
        while (st->step() == Step::kRow) lines.push_back("E " + read_id(*st, 0).to_text());
    }
    {
        auto st = db_->prepare("SELECT a,b FROM alias ORDER BY a,b");
        if (!st) return st.status();
        while (st->step() == Step::kRow)
            lines.push_back("M " + read_id(*st, 0).to_text() + " " + read_id(*st, 1).to_text());
    }
    return lines;
}

Result<std::string> Store::state_hash() {
    auto lines = state_lines();
    if (!lines) return lines.status();
    Sha256 h;
    h.update("liaison-state-v1\n");
    for (const auto& l : lines.value()) {
        h.update(l);
        h.update("\n", 1);
    }
    return Sha256::hex(h.finish());
}

}  // namespace liaison::core
