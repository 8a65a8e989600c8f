// The SQLite store of one replica (a browser, or the server's central record).
//
// What it holds (tables are described in docs/STORAGE.md; migrations are numbered):
// - current state, one table per kind (`k_<kind>`): each field's value and, when it differs
//   from the row's create stamp, the stamp of the operation that wrote it (its LWW clock);
// - set elements with their dots (`sdot`), live or removed;
// - erased ids (`erased`), duplicate-merge edges (`alias`), alternate subjects (`subject_alt`);
// - the operation log (`oplog`), the outbox of local operations not yet acknowledged
//   (`outbox`), and small metadata (`meta`: replica id, clock, cursor).
// Every state change takes the next value of a store-wide sequence (`seq`), so "what changed
// since N" is an indexed range scan; on the server that sequence is the sync cursor.
//
// The store knows the record model but not the merge rules: it offers primitive, typed writes
// (insert a created row, a conditional LWW update, add a dot, join a row, purge an entity) and
// the sync layer composes them (sync/merge.hpp). Every write must happen inside a WriteTxn.
//
// Thread-safety: one thread at a time. Caches (erased ids, alias roots) are kept coherent with
// the database by WriteTxn: a transaction that rolls back reloads them.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/model/ids.hpp"
#include "core/model/schema.hpp"
#include "core/storage/sqlite.hpp"
#include "core/util/sha256.hpp"
#include "core/util/status.hpp"

namespace liaison::core {

// Latest storage format this build writes (PRAGMA user_version), see docs/STORAGE.md.
inline constexpr int kStorageVersion = 18;

// The full state of one entity row, with effective clocks (a field written by the create
// carries the create stamp; a field never written has none).
struct RowState {
    Kind kind = Kind::kInfluencer;
    Id128 id;
    std::optional<Stamp> created;  // smallest create stamp seen
    std::optional<Stamp> deleted;  // smallest delete stamp seen (logs only): a tombstone
    std::vector<Value> values;     // indexed like kind_def(kind).fields
    std::vector<std::optional<Stamp>> clocks;

    static RowState empty(Kind kind, const Id128& id);
    bool visible() const { return created.has_value() && !deleted.has_value(); }
    // The value of the field named `field` when it holds text / an integer; null otherwise
    // (also for a field the kind does not have).
    const std::string* text(std::string_view field) const;
    std::optional<std::int64_t> integer(std::string_view field) const;
};

// An entity's scope keys as text ids ("" for none), see Store::note_scope_keys.
struct ScopeKeys {
    std::string region, brand, store;
    bool operator==(const ScopeKeys&) const = default;
};

struct DotRow {
    int set = 0;  // index in kind_def(kind).sets
    std::string elem;
    Stamp dot;
    bool removed = false;
    bool operator==(const DotRow&) const = default;
};

// What a sync pull carries for one entity: its row, its set dots and its alternate subjects.
struct EntitySnapshot {
    RowState row;
    std::vector<DotRow> dots;
    std::vector<std::pair<int, Id128>> subject_alt;  // (field index, subject id)
    std::int64_t seq = 0;
};

enum class LwwOutcome { kApplied, kLost, kAbsent };

// One row of the audit log (Store::op_log).
struct OpLogRow {
    Id128 entity;
    Stamp stamp;
    Id128 actor;  // nil when the operation named none
    int type = 0;
    std::uint64_t touched = 0;
};

struct StoreOptions {
    bool wal = false;
    bool synchronous_full = false;
    int cache_mib = 64;  // SQLite page cache of the connection
};

// The page cache of the central record (the server's one writing connection). Its file holds
// the whole brand and every push touches pages all over it (op log, the people it names); with
// 64 MiB a large transaction spilled and reread pages: 128 MiB made one of a million operations
// 1.2x faster (docs/PERFORMANCE.md). SQLite fills it only as pages are read.
inline constexpr int kCentralCacheMiB = 128;

// How many times Store::scrub_log asks for a truncating checkpoint, each waiting up to the
// connection's busy timeout (5 s) for readers of the log: an erasure's acknowledgement waits
// up to half a minute for a long read (a backup) before it is reported as failed.
inline constexpr int kScrubAttempts = 6;
// PostgreSQL: how long the scrub waits for transactions older than an erasure (as SQLite's
// attempts: 6 x 5 s), and how often it looks.
inline constexpr int kScrubWaitMs = 30'000;
inline constexpr int kScrubPollMs = 20;

class Store;

// A write transaction on the store. Rolls back (and resyncs the store's caches) unless
// committed. Requires: no other WriteTxn is open on the same store.
// commit() of a transaction that erased someone (R7) also empties the write-ahead log
// (Store::scrub_log) before it returns: a kStorage failure then means "committed, but the
// person's old pages are still in the log" — not to be acknowledged yet; the next commit
// tries again.
class WriteTxn {
public:
    explicit WriteTxn(Store& store);
    ~WriteTxn();
    WriteTxn(const WriteTxn&) = delete;
    WriteTxn& operator=(const WriteTxn&) = delete;
    // The transaction's start, and on PostgreSQL the catch-up with other servers' writes.
    const Status& begun() const { return begun_; }
    Status commit();

private:
    Store& store_;
    Transaction txn_;
    Status begun_;
    bool committed_ = false;
};

// A savepoint inside an open WriteTxn: the hub applies one device action under it, and rolls
// back to it when the action is refused (docs/SYNC.md G2). Rolling back reloads the store's
// in-memory caches, as WriteTxn's rollback does. Requires: a WriteTxn is open on the store.
class Savepoint {
public:
    explicit Savepoint(Store& store);
    ~Savepoint();  // releases (keeps the changes) unless rolled back
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    const Status& begun() const { return begun_; }
    Status rollback();

private:
    Store& store_;
    Status begun_;
    bool done_ = false;
};

class Store {
public:
    // Opens or creates the file and migrates it to kStorageVersion. A file written by a newer
    // build is refused with kUnsupportedVersion (never silently downgraded).
    static Result<std::unique_ptr<Store>> open(const std::string& path, const StoreOptions& opts);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // The raw connection, for core/ (queries, the account tables: accounts.hpp) and sync/
    // (the hub's read snapshot). The server never takes it: it speaks to storage only through
    // named calls (tests/arch/no_sql_in_server.sh), the seam another storage backend needs.
    Database& db() { return *db_; }
    int storage_version();
    // A read transaction over the whole store: every read inside sees one snapshot (an export
    // that must be consistent). Requires: no transaction is open on the store.
    ReadTxn read_txn() { return ReadTxn(*db_); }
    // Size of the database file in bytes (pages times page size; on PostgreSQL the database's
    // size on disk); 0 if unknown.
    std::int64_t file_bytes();
    // Writes a consistent, compacted copy of the whole file (every table, the account tables
    // included) to `target`, which must not exist: one read transaction (SQLite's VACUUM
    // INTO), so it may run while others write. On PostgreSQL, refused: its own tools copy it.
    Status copy_to(const std::string& target);

    // ---- Sequence -----------------------------------------------------------------------
    std::int64_t last_seq() const { return seq_; }
    // Makes every later sequence number greater than `floor` (kept in meta as seq_floor), so
    // that the cursors a replaced file handed out stay behind this file's changes (restoring
    // an older backup). No-op if the sequence is already past it. Requires: inside a WriteTxn.
    Status raise_seq_floor(std::int64_t floor);

    // Deletes the whole state (rows of every kind, set dots, alternate subjects, erased ids,
    // alias edges, search indexes), keeping the op log, the outbox and the metadata; the
    // sequence goes on from where it was. A device that must re-pull everything (a scope or
    // database generation changed, a refused merge or erase: docs/SYNC.md) starts again from
    // this. Requires: inside a WriteTxn.
    Status clear_state();

    // ---- Metadata (small key/value) -----------------------------------------------------
    std::optional<std::string> meta_get(const std::string& key);
    Status meta_set(const std::string& key, const std::string& value);
    // Every entry whose key starts with `prefix`, in key order.
    Result<std::vector<std::pair<std::string, std::string>>> meta_with_prefix(
        const std::string& prefix);
    // Removes every entry whose key starts with `prefix`.
    Status meta_remove_prefix(const std::string& prefix);

    // ---- Rows -----------------------------------------------------------------------------
    // Inserts a row made by a create when no row with that id exists. Returns false (and writes
    // nothing) when the row exists.
    Result<bool> insert_created(Kind kind, const Id128& id, const Stamp& stamp,
                                const std::vector<Value>& values);
    // Writes `value` into `field` iff `stamp` is greater than the field's effective clock and
    // the row is not a tombstone.
    Result<LwwOutcome> lww_update(Kind kind, const Id128& id, int field, const Value& value,
                                  const Stamp& stamp);
    // Inserts a row holding only one field (a field operation that arrived before its create).
    Status insert_field_only(Kind kind, const Id128& id, int field, const Value& value,
                             const Stamp& stamp);
    Result<std::optional<RowState>> load_row(Kind kind, const Id128& id);
    // Whether `kind`'s table has a row (live, tombstone or field-only) for `id`.
    Result<bool> has_row(Kind kind, const Id128& id);
    // The kind whose table holds a row of `id` (merge rule R11): `expected` if its table does,
    // else the first other kind in all_kinds()' order (a broken client may have put one id in
    // two), none if no table does. SQLite probes `expected`'s table first, the usual answer,
    // then the others in one statement; PostgreSQL asks it all in one statement (a round trip
    // each, docs/PERFORMANCE.md "Server on PostgreSQL").
    Result<std::optional<Kind>> kind_holding(const Id128& id, Kind expected);
    // PostgreSQL: reads which kinds' tables hold each of `ids` (each with the kind the batch
    // names it as), in one statement per 1000 ids, so that kind_holding answers them without a
    // round trip each (a group commit's checks, docs/PERFORMANCE.md "Server on PostgreSQL").
    // An id the op log has no operation on has no row of any kind (every row is written with
    // its operation, and an erasure removes both; a merged person's row may be written under
    // another of her ids, and R11 asks the alias edges first, docs/SCALING.md §3): only the
    // named kind's table is probed for it, and kind_holding asks the database of any other. What it
    // read holds until the write transaction ends, is rolled back to a savepoint, or writes or
    // removes that id's row. Nothing on SQLite, whose probe of one table costs less than this
    // statement. Requires: inside a WriteTxn.
    Status read_kinds_ahead(const std::vector<std::pair<Id128, Kind>>& ids);
    // Replaces the row with `row` (normalising clocks), assigning a new seq.
    Status write_row(const RowState& row);
    Status delete_row(Kind kind, const Id128& id);

    // ---- The brand directory (a device's: docs/SYNC.md "Directory") ----------------------
    // Marks the row `id` as held only as its directory projection, with the digests of the
    // e-mail and phone it does not hold (core/query/directory.hpp; 0: none). delete_row and
    // clear_state unmark. Requires: inside a WriteTxn.
    Status directory_put(const Id128& id, std::uint32_t email_digest, std::uint32_t phone_digest);
    Status directory_remove(const Id128& id);
    // Whether the row `id` is held only as its directory projection.
    Result<bool> directory_only(const Id128& id);
    // The directory rows whose phone (or e-mail) digest is `digest`, by id.
    Result<std::vector<Id128>> directory_matches(bool phone, std::uint32_t digest);
    // Rows of `kind` whose field `field` equals `value` (text). Used for erase cascades.
    Result<std::vector<Id128>> ids_where(Kind kind, int field, const std::string& value);

    // ---- Sets -----------------------------------------------------------------------------
    // Adds a live dot unless the dot is known (live or removed). Returns true if added.
    Result<bool> add_dot(const Id128& id, int set, const std::string& elem, const Stamp& dot);
    // Marks the dot removed (inserting it as removed if unseen). Returns true if it changed.
    Result<bool> remove_dot(const Id128& id, int set, const std::string& elem, const Stamp& dot);
    Result<std::vector<DotRow>> load_dots(const Id128& id);
    Status delete_dots(const Id128& id);
    // Gives the row a new seq (a set changed) without touching its fields; inserts an empty
    // row (no create seen yet) if there is none.
    Status touch_row(Kind kind, const Id128& id);

    // ---- Alternate subjects (duplicate creates naming different subjects) -----------------
    Result<std::vector<std::pair<int, Id128>>> load_subject_alt(const Id128& id);
    Status add_subject_alt(const Id128& id, int field, const Id128& subject);
    Status remove_subject_alt(const Id128& id, int field, const Id128& subject);
    // Entities of `kind` naming `subject` in an alternate subject.
    Result<std::vector<Id128>> ids_with_subject_alt(const Id128& subject);

    // ---- Erase and aliases (cached in memory) ---------------------------------------------
    bool is_erased(const Id128& id) const { return erased_.count(id) != 0; }
    // Every erased id, by bytes (a restore erases them again in the file it puts in place).
    std::vector<Id128> erased_ids() const;
    // Marks the id erased, noting its kind when known (the first kind noted stays); the
    // transaction's commit then scrubs the log (scrub_log).
    Status mark_erased(const Id128& id, std::optional<Kind> kind = std::nullopt);
    // The kind noted when the id was erased; nullopt if none was (or it is not erased).
    Result<std::optional<Kind>> erased_kind(const Id128& id);
    // R7 on disk (docs/SYNC.md): with `secure_delete` the erasing transaction zeroes the
    // person's bytes in the pages it rewrites, but the write-ahead log still holds the earlier
    // copies of those pages until it is checkpointed and overwritten. This folds the log into
    // the file and truncates it to zero bytes, waiting for readers that still use it (SQLite's
    // busy timeout, retried up to kScrubAttempts times); kStorage if a reader holds on longer.
    // Without a WAL (the browser build) there is nothing to do.
    // Requires: outside a transaction.
    Status scrub_log();
    // scrub_log on PostgreSQL: once no transaction older than the erasure may still read her
    // rows (waiting kScrubWaitMs at most; kStorage naming who holds on longer), VACUUM FULL of
    // the tables that hold a person.
    Status vacuum_record();
    bool scrub_due() const { return scrub_due_; }
    // The write transaction in progress commits without scrubbing: the scrub stays due, and the
    // caller runs scrub_log once for several erasures it acknowledges together (a retention
    // run, server/api/retention.cpp). Another transaction's commit scrubs as usual.
    // Requires: inside a WriteTxn (its commit or rollback forgets the request).
    void defer_scrub() { defer_scrub_ = true; }
    // Something personal was removed without an erased marker (the anonymise rule, docs/SYNC.md
    // R12): the commit scrubs the log as after an erasure.
    void note_scrub_due() { scrub_due_ = true; }
    std::size_t erased_count() const { return erased_.size(); }
    // Root of the id's duplicate component (the smallest id), or the id itself.
    Id128 root_of(const Id128& id) const;
    // Members of the id's component, root first; just {id} when it has no alias.
    std::vector<Id128> component_of(const Id128& id) const;
    // Whether the id has an alias edge (a member of a component of two or more: a person).
    bool has_alias(const Id128& id) const { return parent_.count(id) != 0; }
    // Records the edge a-b (stored with the smaller id first). Returns false if known.
    Result<bool> add_alias_edge(const Id128& a, const Id128& b);

    // ---- Scope keys an entity held before a write replaced them (the server's evictions) --
    // Not state (the state hash leaves them out); only the hub writes them (sync/hub.hpp).
    Status note_scope_keys(const Id128& id, const ScopeKeys& keys);
    Result<std::vector<ScopeKeys>> scope_keys_seen(const Id128& id);

    // ---- Operation log and outbox ---------------------------------------------------------
    // Records an applied operation in the audit log: who (actor), when (stamp), what (op type
    // and a bitmask of the fields or set it touched, by index). Values are not copied: the
    // state holds them, and each field's clock names the operation that wrote it.
    // Returns false if (entity, stamp) was already logged.
    Result<bool> log_op(const Id128& entity, const Stamp& stamp, const Id128& actor, int type,
                        std::uint64_t touched);
    // A create's log_op and insert_created of its row `row_id` (its entity, or the survivor
    // it was merged into), the row inserted only if the operation was not logged before:
    // {fresh: logged now, inserted: the row made}. One statement on PostgreSQL, where each
    // is a round trip under the writer lock.
    struct LoggedCreate {
        bool fresh = false;
        bool inserted = false;
    };
    Result<LoggedCreate> log_create(Kind kind, const Id128& entity, const Id128& row_id,
                                    const Stamp& stamp, const Id128& actor, int type,
                                    std::uint64_t touched, const std::vector<Value>& values);
    bool has_op(const Id128& entity, const Stamp& stamp);
    // The logged operations on `ids`, in stamp order.
    Result<std::vector<OpLogRow>> op_log(const std::vector<Id128>& ids);
    Status purge_ops(const Id128& entity);
    std::int64_t op_count();
    // `type` is the operation's type (sync::OpType), so that a purge can keep some. `group`:
    // the action the operation belongs to (next_outbox_group), 0 when it stands alone
    // (docs/SYNC.md G1).
    Status outbox_push(const Id128& entity, const Stamp& stamp, int type, std::string_view body,
                       std::int64_t group = 0);
    struct OutboxRow {
        std::int64_t n;
        Id128 entity;
        Stamp stamp;
        std::string body;
        std::int64_t group = 0;
    };
    // A group number no pending outbox row has (storage v9).
    Result<std::int64_t> next_outbox_group();
    Result<std::vector<OutboxRow>> outbox_peek(std::size_t limit);
    Status outbox_remove(const Stamp& stamp);
    // Deletes the entity's unsent operations except those of types keep_a and keep_b; returns
    // how many it deleted.
    Result<std::int64_t> outbox_purge(const Id128& entity, int keep_a, int keep_b);
    // The unsent operations on `entity`, oldest first, and a replacement of one's encoded body
    // (the anonymise rule strips what it does not keep from them: docs/SYNC.md R12).
    Result<std::vector<OutboxRow>> outbox_of(const Id128& entity);
    Status outbox_rewrite(std::int64_t n, std::string_view body);
    // Deletes the set dots of one of the entity's sets (R12: a set it does not keep).
    Status delete_set_dots(const Id128& id, int set);
    std::int64_t outbox_size();

    // ---- Full-text search index (kinds with searchable fields) ----------------------------
    Status reindex(Kind kind, const Id128& id);
    Status unindex(Kind kind, const Id128& id);
    // Rewrites the kind's search index so that no page keeps a term of a deleted entry (FTS5
    // secure-delete removes the entries but an emptied segment keeps its terms). Costs a full
    // index rewrite: used after an erase, never on the hot path.
    Status scrub_search_index(Kind kind);

    // ---- Changes since a sequence number (sync pulls) -------------------------------------
    struct Change {
        enum class Type { kEntity, kAlias, kErased } type;
        std::int64_t seq;
        Kind kind;
        Id128 id;     // entity, erased id, or alias edge's first id
        Id128 other;  // alias edge's second id
    };
    // Up to `limit` changes with seq > after, in seq order.
    Result<std::vector<Change>> changes_since(std::int64_t after, std::size_t limit);
    // The largest seq changes_since() can return in the current snapshot (0 when the feed is
    // empty), in one statement: a pull whose cursor is at or past it has nothing to read. With
    // `meta_key`, the same statement reads that meta value into `*meta_value` (nullopt when
    // unset): what a batch of pulls reads alike, read in one round trip on PostgreSQL.
    Result<std::int64_t> feed_head(const char* meta_key = nullptr,
                                   std::optional<std::string>* meta_value = nullptr);
    Result<std::optional<EntitySnapshot>> snapshot(Kind kind, const Id128& id);

    // ---- Canonical state hash -------------------------------------------------------------
    // SHA-256 over state_lines() (docs/SYNC.md, State hash): equal iff the replicas hold the same
    // state. Excludes the op log, outbox, meta and sequence numbers, which legitimately differ
    // between replicas.
    Result<std::string> state_hash();
    // The canonical facts the hash covers, one line each (for diagnosing a divergence).
    Result<std::vector<std::string>> state_lines();

private:
    friend class WriteTxn;
    friend class Savepoint;
    explicit Store(std::unique_ptr<Database> db) : db_(std::move(db)) {}
    // PostgreSQL: log_create's writes deferred while they cannot change what they answer (a
    // new id: read_kinds_ahead found neither a row nor a logged operation of it), sent as one
    // statement per kind before the connection's next command (Database::set_before_command)
    // and before the commit. Each pending entry's parameters, numbered as log_create's.
    struct PendingCreate {
        Kind kind;
        Id128 entity;
        std::int64_t hlc = 0, replica = 0;
        std::optional<std::int64_t> actor;
        int type = 0;
        std::uint64_t touched = 0;
        std::array<std::uint8_t, Stamp::kEncodedSize> stamp;  // encoded
        std::int64_t seq = 0;
        std::vector<Value> values;
    };
    Status flush_creates();
    Status migrate();
    // PostgreSQL's first layout, in one piece (store.cpp); `v` becomes the version it has.
    Status lay_out_postgres(int& v);
    Status set_storage_version(int version);
    Status reindex_all();       // every full-text index, from the current rows (a migration's step)
    Status move_oplog_to_v4();  // storage v4's step: the old op log's rows, logged again
    // Adds the value and clock columns of a field appended to the model where the table lacks
    // them (a file created by this build has them already). Version 7: interaction.campaign.
    Status add_field_columns(Kind kind, std::string_view field);
    Status add_columns_v7();
    Status add_outbox_group_v9();  // storage v9's step: outbox.grp where it is missing
    Status add_columns_v10();      // storage v10's step: k_store's country where it is missing
    Status add_columns_v11();      // storage v11's step: k_interaction's follow_up_done
    Status add_columns_v13();      // storage v13's step: record model 6's fields and indexes
    Status add_columns_v14();      // storage v14's step: record model 7's visitor ids
    Status add_columns_v15();      // storage v15's step: record model 8's compliance fields
    Status add_columns_v16();      // storage v16's step: record model 9's promotion condition
    // The number of a replica or actor id in this file's `idnum` table, added if new.
    Result<std::int64_t> id_number(const Id128& id);
    Status load_caches();
    // PostgreSQL shared by several servers (docs/SCALING.md §3): reads what other processes
    // wrote since this one last looked — the last sequence number, new erased ids and alias
    // edges (by their seq), new id numbers — so a number is never taken twice and an erasure
    // or a merge made by another server holds here at once. Requires: the writer lock (inside
    // a WriteTxn). On SQLite, one process owns the file: nothing to do.
    Status catch_up();
    Status catch_up_id_numbers();  // idnum rows numbered after max_idnum_
    // Binds ?1-?6 of an op log row (log_op's order), numbering the replica and actor ids.
    Status bind_log_row(Statement& st, const Id128& entity, const Stamp& stamp, const Id128& actor,
                        int type, std::uint64_t touched);
    std::int64_t next_seq() { return ++seq_; }
    void union_edge(const Id128& a, const Id128& b);

    std::unique_ptr<Database> db_;
    bool postgres_ = false;  // db_ is a PostgreSQL connection (no full-text index, no WAL file)
    std::int64_t seq_ = 0;
    std::unordered_set<Id128, Id128Hash> erased_;
    // Union-find over alias edges: parent pointers, roots are the smallest ids.
    std::unordered_map<Id128, Id128, Id128Hash> parent_;
    std::unordered_map<Id128, std::vector<Id128>, Id128Hash> members_;  // root -> members
    // `idnum`, both ways (storage v4): replica and actor ids of the op log by number.
    std::unordered_map<Id128, std::int64_t, Id128Hash> idnum_;
    std::unordered_map<std::int64_t, Id128> id_of_num_;
    std::int64_t max_idnum_ = 0;
    bool scrub_due_ = false;    // an erasure was written since the log was last scrubbed
    bool defer_scrub_ = false;  // the WriteTxn in progress leaves the scrub to its caller
    // What read_kinds_ahead read of one id.
    struct KindsAhead {
        std::uint32_t held = 0;  // the kinds whose tables hold it (bit = place in all_kinds())
        bool logged = false;     // the op log holds an operation on it
        int only = -1;           // not logged: the one kind probed (its place); -1: every kind
        // Whether it says whether `kind`'s table holds the id.
        bool knows(Kind kind) const { return only < 0 || only == int(kind); }
    };
    std::unordered_map<Id128, KindsAhead, Id128Hash> kinds_ahead_;
    std::vector<PendingCreate> pending_creates_;
};

// What a database file holds, read without opening it as a store (which would migrate it):
// for checking a backup before it replaces anything.
struct FileInfo {
    std::string integrity;            // SQLite's integrity check: "ok", or its first complaint
    int storage_version = 0;          // 0 for a file no Liaison build wrote
    std::vector<std::string> tables;  // names of the file's tables
    std::map<std::string, std::string> meta;  // the `meta` rows, if the file has that table
    bool has_table(std::string_view name) const;
    // Whether the file holds a Liaison record: its metadata and the influencer and
    // interaction tables.
    bool holds_record() const;
};
// kMalformed (detail: SQLite's words) when the file cannot be read as a SQLite database.
Result<FileInfo> inspect_file(const std::string& path);
// Copies the file at `from` (opened read-only, never migrated) to `to`, which must not
// exist, as Store::copy_to does: consistent even if `from` has a write-ahead log of its own.
Status copy_file(const std::string& from, const std::string& to);

// Column and table names of the generated schema, shared with queries.
std::string table_name(Kind kind);
std::string value_column(const FieldDef& f);
std::string clock_column(const FieldDef& f);
std::string fts_table_name(Kind kind);

// The fields record model 8 appended to released kinds (storage v15 adds their columns where
// missing; the version tests take a file back without them).
const std::vector<std::pair<Kind, std::vector<const char*>>>& record_model_8_fields();
// The fields record model 9 appended to released kinds (storage v16 adds their columns).
const std::vector<std::pair<Kind, std::vector<const char*>>>& record_model_9_fields();

}  // namespace liaison::core
