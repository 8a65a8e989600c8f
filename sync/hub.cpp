#include "sync/hub.hpp"

#include <algorithm>

#include "sync/codec.hpp"
#include "sync/generations.hpp"

namespace liaison::sync {

Status Hub::authorize(const DeviceContext& device, const Op& op) {
    const bool central = device.role == Role::kAdmin || device.role == Role::kCentral;
    if (op.type == OpType::kErase) {
        if (core::kind_def(op.kind).personal) {
            if (!central) return {Code::kForbidden, "only the central team may erase a person"};
            return Status::ok();
        }
        // A bare erase of another record is only the echo of a person's erase by a device that
        // purged its unsent data (merge.hpp R7): accepted only for records this server does not
        // hold alive, which it would otherwise erase itself when it learns of the person's erase.
        if (store_.is_erased(op.entity)) return Status::ok();
        auto row = store_.load_row(op.kind, op.entity);
        if (!row) return row.status();
        if (row.value() && row.value()->created)
            return {Code::kForbidden, "only people can be erased; delete the entry instead"};
        return Status::ok();
    }
    if (op.type == OpType::kMerge && !(central || device.role == Role::kRegional))
        return {Code::kForbidden, "only central and regional staff may merge duplicates"};
    if (device.scope.global) return Status::ok();

    const auto& k = core::kind_def(op.kind);
    std::vector<Value> proposed(k.fields.size());
    auto current = store_.load_row(op.kind, k.mergeable ? store_.root_of(op.entity) : op.entity);
    if (!current) return current.status();
    if (current.value()) {
        if (!device.scope.covers(*current.value()))
            return {Code::kOutOfScope, std::string(k.name) + " " + op.entity.to_text()};
        proposed = current.value()->values;
    }
    if (op.type == OpType::kCreate || op.type == OpType::kSet) {
        for (const auto& w : op.fields) proposed[std::size_t(k.field_index(w.field))] = w.value;
        if (!device.scope.covers(op.kind, op.entity, proposed))
            return {Code::kOutOfScope, std::string(k.name) + ": the change would leave your scope"};
    }
    if (op.type == OpType::kMerge) {
        auto target = store_.load_row(op.kind, store_.root_of(op.target));
        if (!target) return target.status();
        if (target.value() && !device.scope.covers(*target.value()))
            return {Code::kOutOfScope, "merge target " + op.target.to_text()};
    }
    return Status::ok();
}

OpResult Hub::apply_one(const DeviceContext& device, Op op) {
    OpResult res;
    res.op = op.id;
    auto reject = [&](const Status& s) {
        res.outcome = Outcome::kRejected;
        res.code = s.code();
        res.detail = s.detail();
        ++totals_.rejected;
        return res;
    };
    if (Status v = validate_op(op); !v) return reject(v);
    const std::uint64_t now = time_.now_ms();
    if (hlc_millis(op.id.hlc) > now + kMaxFutureMs)
        return reject({Code::kClockAhead, "stamped " + std::to_string(hlc_millis(op.id.hlc) - now) +
                                              " ms ahead of the server (server time " +
                                              std::to_string(now) + ")"});
    if (!device.replica.is_nil() && op.id.replica != device.replica)
        return reject({Code::kForbidden, "the operation was not made by this device"});
    if (Status c = merge_.check_kind(op); !c) return reject(c);
    if (Status a = authorize(device, op); !a) return reject(a);
    clock_.receive(op.id.hlc);
    auto r = merge_.apply(op);
    if (!r) return reject(r.status());
    res.outcome = r->outcome;
    switch (r->outcome) {
        case Outcome::kApplied: ++totals_.accepted; break;
        case Outcome::kDuplicate: ++totals_.duplicate; break;
        case Outcome::kErased: ++totals_.erased; res.code = Code::kErased; break;
        case Outcome::kRejected: return reject(r->status);
    }
    return res;
}

Result<PushReply> Hub::exchange(const DeviceContext& device, const PushRequest& request) {
    return std::move(exchange_batch({Pending{&device, &request}}).front());
}

std::vector<Result<PushReply>> Hub::exchange_batch(const std::vector<Pending>& batch) {
    auto check = [](const PushRequest& r) -> Status {
        if (r.ops.size() > kMaxOpsPerPush)
            return {Code::kTooLarge, "at most " + std::to_string(kMaxOpsPerPush) + " operations per push"};
        if (r.cursor < 0) return Status::invalid("cursor: must not be negative");
        // The previous release's app (docs/SYNC.md "Versions"): a whole-request error, so its
        // outbox stays intact until the updated app sends it.
        if (r.protocol < kProtocolVersion)
            return {Code::kUpgradeRequired, "this app speaks sync protocol " + std::to_string(r.protocol) +
                                                "; update it to protocol " + std::to_string(kProtocolVersion)};
        return Status::ok();
    };
    std::vector<Status> valid;
    std::vector<std::vector<OpResult>> results(batch.size());
    bool any_ops = false;
    for (const auto& p : batch) {
        valid.push_back(check(*p.request));
        any_ops = any_ops || (valid.back().is_ok() && !p.request->ops.empty());
    }
    Status committed;
    if (any_ops) {
        core::WriteTxn txn(store_);
        committed = txn.begun();
        if (committed.is_ok()) {
            for (std::size_t i = 0; i < batch.size(); ++i) {
                if (!valid[i]) continue;
                results[i].reserve(batch[i].request->ops.size());
                for (const auto& op : batch[i].request->ops) results[i].push_back(apply_one(*batch[i].device, op));
            }
            committed = txn.commit();
        }
    }
    std::vector<Result<PushReply>> out;
    out.reserve(batch.size());
    // Every pull of the batch reads one snapshot, taking the file's locks once.
    core::ReadTxn snapshot(store_.db());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (!valid[i]) {
            out.push_back(valid[i]);
            continue;
        }
        if (!committed.is_ok() && !batch[i].request->ops.empty()) {
            out.push_back(committed);
            continue;
        }
        std::uint32_t limit = std::clamp<std::uint32_t>(batch[i].request->page_limit, 1, kMaxChangesPerPage);
        auto reply = pull(*batch[i].device, batch[i].request->cursor, limit);
        if (reply) {
            reply->results = std::move(results[i]);
            if (Status s = add_refused_state(*batch[i].device, batch[i].request->ops, reply.value()); !s)
                reply = s;
        }
        out.push_back(std::move(reply));
    }
    return out;
}

namespace {

// Whether a scope key (region, brand, store) of the row was written after its creation. If
// not, an entity outside a device's scope now was outside it from the start, so the device
// never received it and needs no eviction (a store tablet would otherwise be sent the id of
// every other store's change). A scope never changes for a device (it is its user's).
bool scope_keys_changed(const core::RowState& row) {
    if (!row.created) return true;
    const auto& k = core::kind_def(row.kind);
    for (const char* key : {"region", "brand", "store"}) {
        int i = k.scope_field(key);
        if (i < 0 || std::size_t(i) >= row.clocks.size()) continue;
        const auto& clock = row.clocks[std::size_t(i)];
        if (clock && *clock != *row.created) return true;
    }
    return false;
}

}  // namespace

Result<PushReply> Hub::pull(const DeviceContext& device, std::int64_t cursor, std::uint32_t limit) {
    PushReply reply;
    reply.server_time_ms = time_.now_ms();
    reply.server_hlc = clock_.state();
    reply.scope_generation = scope_generation(device.scope);
    reply.db_generation = database_generation(store_);
    auto changes = store_.changes_since(cursor, limit);
    if (!changes) return changes.status();
    reply.next_cursor = cursor;
    for (const auto& c : changes.value()) {
        reply.next_cursor = c.seq;
        switch (c.type) {
            case core::Store::Change::Type::kErased: reply.erased.push_back(c.id); break;
            case core::Store::Change::Type::kAlias: reply.aliases.push_back({c.id, c.other}); break;
            case core::Store::Change::Type::kEntity: {
                auto snap = store_.snapshot(c.kind, c.id);
                if (!snap) return snap.status();
                if (!snap.value()) break;
                if (device.scope.covers(snap.value()->row)) {
                    snap.value()->seq = c.seq;
                    reply.changes.push_back(std::move(*snap.value()));
                } else if (scope_keys_changed(snap.value()->row)) {
                    reply.evictions.push_back(c.id);
                }
                break;
            }
        }
    }
    reply.has_more = changes.value().size() >= limit;
    return reply;
}

Status Hub::add_refused_state(const DeviceContext& device, const std::vector<Op>& ops, PushReply& reply) {
    std::vector<Id128> named;
    for (std::size_t i = 0; i < reply.results.size() && i < ops.size(); ++i) {
        const auto& r = reply.results[i];
        if (r.outcome != Outcome::kRejected || r.code == Code::kClockAhead) continue;
        // A refused merge or erase is undone on the device by re-pulling everything
        // (Replica::apply_reply): the hub names no entity for it.
        if (ops[i].type == OpType::kMerge || ops[i].type == OpType::kErase) continue;
        const Id128 id = core::kind_def(ops[i].kind).mergeable ? store_.root_of(ops[i].entity) : ops[i].entity;
        if (std::find(named.begin(), named.end(), id) != named.end()) continue;
        named.push_back(id);
        if (store_.is_erased(id)) continue;  // the erased list reaches the device anyway
        // The id may hold a record of another kind than the operation said (R11).
        std::optional<core::EntitySnapshot> found;
        for (const auto& k : core::all_kinds()) {
            auto snap = store_.snapshot(k.kind, id);
            if (!snap) return snap.status();
            if (snap.value()) {
                found = std::move(snap.value());
                break;
            }
        }
        if (found && device.scope.covers(found->row)) reply.refreshed.push_back(std::move(*found));
        else reply.absent.push_back(id);
    }
    return Status::ok();
}

}  // namespace liaison::sync
