// A replica: one device's copy of the record, as a state machine with no I/O of its own.
//
//   local write ──► [validate, stamp, apply, log, enqueue] ──► outbox
//   make_push()  ──► PushRequest (outbox in order + cursor)       ──► transport (HTTP, tests)
//   apply_reply()◄── PushReply   (per-op results, changes, cursor)◄── transport
//   receive(op)  ◄── an operation from a peer (tests deliver in any order)
//
// Each transition is one SQLite transaction: a local write stores the change, its op-log
// row, its outbox row and the clock together; a reply's changes, the new cursor and the
// removal of acknowledged outbox rows are stored together. A lost reply means the same push
// is sent again: the server treats it as duplicates and the cursor has not moved.
//
// Thread-safety: one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/storage/store.hpp"
#include "sync/hlc.hpp"
#include "sync/merge.hpp"
#include "sync/op.hpp"
#include "sync/protocol.hpp"

namespace liaison::sync {

struct ReplicaOptions {
    bool wal = false;  // native only; the browser build has no WAL
};

struct ReplyStats {
    std::size_t acknowledged = 0;  // outbox rows cleared (accepted, duplicate, erased)
    std::size_t rejected = 0;  // refused for good (removed from the outbox, kept in `rejections`)
    std::size_t retry = 0;     // refused for now (clock_ahead): kept in the outbox
    std::size_t changes = 0;
    std::size_t directory = 0;  // directory records received (docs/SYNC.md "Directory")
    std::size_t rebuilt = 0;    // entities rebuilt from the hub's state after a refusal
    std::size_t repushed = 0;   // operations queued again after the database was replaced
    bool restarted = false;     // the state was cleared and is re-pulled from cursor 0
    bool has_more = false;
};

// A change of this device's that the server refused for good (docs/SYNC.md invariant 9): the
// device has undone it; this is what the person who made it is told.
struct Refusal {
    Stamp op;
    OpType type = OpType::kSet;
    Kind kind = Kind::kInfluencer;
    Id128 entity;
    std::vector<std::string> fields;  // the fields it wrote, or its set; empty for other types
    std::string label;                // whom it was about (the person's name), when known
    std::int64_t at_ms = 0;           // when the refusal arrived (this device's clock)
    Code code = Code::kOk;
    std::string detail;  // the server's reason
    bool operator==(const Refusal&) const = default;
};

class Replica {
public:
    // Opens or creates the replica's file; a new file gets a fresh replica id.
    static Result<std::unique_ptr<Replica>> open(const std::string& path, TimeSource& time,
                                                 core::IdSource& ids,
                                                 const ReplicaOptions& opts = {});
    ~Replica();

    const Id128& id() const { return id_; }
    core::Store& store() { return *store_; }
    HybridClock& clock() { return clock_; }

    // ---- Local writes: validated, stamped, applied and queued in one transaction ----------
    Result<Id128> create(Kind kind, std::vector<FieldWrite> fields,
                         std::optional<Id128> id = std::nullopt);
    Status set(Kind kind, const Id128& id, std::vector<FieldWrite> fields);
    Status add(Kind kind, const Id128& id, std::string set, std::string elem);
    // Removes the element as this replica sees it (the dots it has observed).
    Status remove(Kind kind, const Id128& id, std::string set, std::string elem);
    Status remove_entry(Kind kind, const Id128& id);  // log entries only
    Status merge(const Id128& alias, const Id128& target);
    Status erase(Kind kind, const Id128& id);
    // Stamps and submits a prepared operation (entity and payload set; id is overwritten).
    Result<Op> submit(Op op);
    // ---- Actions (docs/SYNC.md G1) ---------------------------------------------------------
    // Runs the local writes `body` makes as one action: one transaction, and one outbox group
    // that a push sends whole. If `body` fails, or any write inside it failed (even one whose
    // status `body` dropped), or the commit fails, nothing of it is kept: no row, no dot, no
    // outbox entry. An action of more than kMaxOpsPerPush operations is refused (too_large).
    // An action inside an action joins it. Requires: `body` makes no exchange.
    Status action(const std::function<Status()>& body);
    // Sets the actor (staff id) recorded on later operations.
    void set_actor(const Id128& staff) { actor_ = staff; }

    // ---- Exchange with the server ---------------------------------------------------------
    Result<PushRequest> make_push(std::size_t max_ops = 500, std::uint32_t page_limit = 1000);
    Result<ReplyStats> apply_reply(const PushReply& reply);
    std::int64_t cursor() const { return cursor_; }
    // The generations of the last reply (docs/SYNC.md "Generations"); 0 / nil before one.
    std::uint64_t scope_generation() const { return scope_generation_; }
    const Id128& db_generation() const { return db_generation_; }
    std::int64_t pending() { return store_->outbox_size(); }
    // The refusals kept since the person last dismissed them, oldest first.
    Result<std::vector<Refusal>> refusals();
    Status dismiss_refusals();

    // ---- Peer delivery (tests, tools) -----------------------------------------------------
    Result<ApplyResult> receive(const Op& op);
    // Many operations in one transaction.
    Status receive_all(const std::vector<Op>& ops);

    Result<std::string> state_hash() { return store_->state_hash(); }

private:
    Replica(std::unique_ptr<core::Store> store, TimeSource& time, core::IdSource& ids);
    Status load_meta();
    Status save_clock();
    Result<ApplyResult> receive_in_txn(const Op& op);
    Status evict(const Id128& id);
    // Queues a bare erase for every entity whose unsent operations an erase just purged.
    Status queue_unsent_erasures(std::int64_t group = 0);
    // A write's steps inside the transaction open (submit's or the action's).
    Result<Op> stage(Op op, std::int64_t group);
    struct OpenAction;
    // ---- Generations and refusals (docs/SYNC.md "Generations", invariant 9) ---------------
    // Stores the reply's generations; true when one changed from what was stored.
    Result<bool> note_generations(const PushReply& reply, bool& db_changed);
    // Keeps what the person is told of the refused `op` (refusals()); label_of: whom it is about.
    Status keep_refusal(const Op& op, const OpResult& r);
    std::string label_of(const Op& op);
    // Queues again every operation this replica authored that its state still shows (the
    // replaced database may lack them; the hub answers those it has `duplicate`, R1).
    Result<std::size_t> queue_authored_ops();
    // Clears the state, applies the still-pending outbox again and goes back to cursor 0.
    Status restart_from_scratch();
    // Replaces what this replica holds of `id` by the hub's snapshot (or nothing), then applies
    // its still-pending operations on it again.
    Status rebuild(const Id128& id, const core::EntitySnapshot* snapshot,
                   const std::vector<Op>& pending);
    // Joins the reply's directory records, marked as such (D2): a record held in full until
    // now is replaced by its projection (a demotion).
    // `refused`: the entities this reply's refusals named (their directory records replace
    // what the device holds, undoing the refused change: D5).
    Status apply_directory(const std::vector<DirectoryEntry>& entries,
                           const std::vector<Id128>& refused, ReplyStats& stats);
    Result<std::vector<Op>> pending_ops();
    // Applies `op` again although the op log has it (its log rows were purged first).
    Status reapply(const std::vector<Op>& ops);

    std::unique_ptr<core::Store> store_;
    HybridClock clock_;
    core::IdSource& ids_;
    MergeEngine merge_;
    Id128 id_;
    Id128 actor_;
    std::int64_t cursor_ = 0;
    std::uint64_t scope_generation_ = 0;
    Id128 db_generation_;
    std::unique_ptr<OpenAction> action_;  // the action open (action()), if any
};

}  // namespace liaison::sync
