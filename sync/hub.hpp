// The hub: the server's side of the sync exchange, as a pure state machine over the central
// store (no sockets, no threads: liaison-server and the tests are transports around it).
//
// One exchange (docs/DESIGN.md §5): check each pushed operation (schema, clock bound, role, scope,
// erasure), apply the good ones in one transaction, commit (the acknowledgement follows
// durability), then read the changes after the device's cursor that its scope covers, up to a
// page. Per-operation results keep the order of the push. Retrying an exchange whose reply was
// lost is harmless: its operations come back as duplicates and the cursor has not moved.
//
// Thread-safety: one exchange at a time per store (the server serialises writers).
#pragma once

#include <unordered_map>

#include "core/storage/store.hpp"
#include "sync/hlc.hpp"
#include "sync/merge.hpp"
#include "sync/protocol.hpp"
#include "sync/scope.hpp"

namespace liaison::sync {

struct DeviceContext {
    Id128 replica;  // nil: not bound to a replica id (any)
    Role role = Role::kField;
    Scope scope;
    // The staff members the caller may act as (the server fills it from the user's links when
    // it authenticates the token). An operation whose actor is not nil must name one of them
    // (docs/SYNC.md "Authorisation", A1); with none, only operations with no actor pass.
    std::vector<Id128> staff;
};

struct ExchangeStats {
    std::size_t accepted = 0, duplicate = 0, erased = 0, rejected = 0;
};

class Hub {
public:
    Hub(core::Store& store, TimeSource& time)
        : store_(store), time_(time), clock_(time), merge_(store) {}

    Result<PushReply> exchange(const DeviceContext& device, const PushRequest& request);
    // Group commit: several devices' exchanges with ONE transaction (one commit, one fsync).
    // Operations are applied in batch order, so each exchange gets the results it would get
    // one after another; each is then answered with its own pull. If the commit fails, every
    // exchange of the batch fails (nothing was acknowledged; the devices retry).
    struct Pending {
        const DeviceContext* device;
        const PushRequest* request;
    };
    std::vector<Result<PushReply>> exchange_batch(const std::vector<Pending>& batch);
    // The operation path for the server's own writes (REST): authorised and applied like a
    // pushed operation. Requires: inside a WriteTxn.
    OpResult apply_one(const DeviceContext& device, Op op);

    HybridClock& clock() { return clock_; }
    MergeEngine& merge() { return merge_; }
    const ExchangeStats& totals() const { return totals_; }

private:
    // G2 (docs/SYNC.md): applies ops[g.first, g.first + g.count) under a savepoint, appending
    // a result per operation to `out`; if one is refused, undoes the others and answers them
    // all refused. An error: the savepoint could not be taken or rolled back (the batch fails).
    Status apply_group(const DeviceContext& device, const std::vector<Op>& ops, OpGroup g,
                       std::vector<OpResult>& out);
    Status authorize(const DeviceContext& device, const Op& op);
    // Scope::covers, except that a log entry carrying no scope key of its own is where its
    // parent is (a click where its tracked link is, docs/SYNC.md "Scopes").
    Result<bool> in_scope(const Scope& scope, Kind kind, const Id128& id,
                          const std::vector<Value>& values);
    // Before an operation that may replace an entity's scope keys (a create that joins, a set
    // of region/brand/store, a merge), records the keys it holds (Store::note_scope_keys).
    // `entity_new`: nothing here knows the entity (MergeEngine::check_kind), so it holds none.
    Status note_replaced_keys(const Op& op, bool entity_new);
    // Records the keys the row is judged by now (Store::note_scope_keys): its own, or for a
    // keyless log entry its parent's, with the keys its parent held before.
    Status note_effective_keys(const core::RowState& row);
    // The live parent (root of its duplicate component) whose scope a log entry of `kind`
    // with these values inherits when it carries no scope key itself; none if it names none
    // or the server does not hold it.
    Result<std::optional<core::RowState>> scope_parent(Kind kind, const std::vector<Value>& values);
    // After an applied operation that may move a parent (a person, an event, a tracked link:
    // its create, a set of its scope keys, a merge), gives each keyless entry naming it a new
    // sequence, so that the next pulls send it where the parent now is and evict it where it
    // no longer is (docs/SYNC.md, evictions).
    Status touch_inheriting_entries(const Op& op);
    // Whether the entity, outside `scope` now, ever had scope keys inside it (it or a member
    // of its duplicate component): only then may a device hold it and be sent an eviction.
    Result<bool> was_in_scope(const Scope& scope, const core::RowState& row);
    // What every pull of a batch reads alike, once in their shared snapshot: the changes
    // feed's last sequence number (a pull whose cursor is at or past it reads nothing more)
    // and the database generation.
    struct FeedView {
        std::int64_t head = 0;
        Id128 db_generation;
    };
    Result<PushReply> pull(const DeviceContext& device, std::int64_t cursor, std::uint32_t limit,
                           const FeedView& view);
    // D2/D4 (docs/SYNC.md "Directory"): the directory record of a full snapshot.
    DirectoryEntry directory_entry(const core::EntitySnapshot& full);
    // Whether a record outside the directory of the scope's brands was ever in it (a brand
    // she had or was listed under): only then may the device hold it, and be sent an eviction.
    Result<bool> was_in_directory(const Scope& scope, const core::EntitySnapshot& snap);
    // What one pull has learnt of the people contact marks are about (D6), by person id.
    struct HeldPeople {
        std::unordered_map<Id128, bool, core::Id128Hash> now, ever;
    };
    // D1, D6: whether a record the scope does not cover reaches the device as its directory
    // record: a person or staff member of its brands (core::in_directory), or an interaction
    // or check-in about a person the device holds (in its scope or its directory).
    Result<bool> reaches_directory(const Scope& scope, const core::EntitySnapshot& snap,
                                   HeldPeople& held);
    // D6: whether the device may hold a contact mark of this entry, which it is no longer
    // sent (it was deleted, or its person left the device): it holds or held her.
    Result<bool> may_hold_mark(const Scope& scope, const core::RowState& entry, HeldPeople& held);
    // The person an interaction, check-in or collaboration names, as the id of the record she
    // was merged into; none if it names none.
    std::optional<Id128> person_of(const core::RowState& entry);
    // Her snapshot, if the server holds her visible.
    Result<std::optional<core::EntitySnapshot>> visible_person(const Id128& id);
    // Whether the device holds the person now (its scope covers her, or she is in its directory).
    Result<bool> holds_person(const Scope& scope, const core::EntitySnapshot& person);
    // Refusals converge (docs/SYNC.md invariant 9): the hub's state of each entity a refused
    // operation of `ops` named, as the device may see it (reply.refreshed / reply.absent).
    Status add_refused_state(const DeviceContext& device, const std::vector<Op>& ops,
                             PushReply& reply);

    core::Store& store_;
    TimeSource& time_;
    HybridClock clock_;
    MergeEngine merge_;
    ExchangeStats totals_;
};

}  // namespace liaison::sync
