#include "sync/replica.hpp"

#include <algorithm>

#include "core/model/validate.hpp"
#include "sync/codec.hpp"

namespace liaison::sync {
namespace {

constexpr const char* kMetaReplica = "replica_id";
constexpr const char* kMetaClock = "hlc";
constexpr const char* kMetaOffset = "clock_offset_ms";
constexpr const char* kMetaCursor = "cursor";

std::optional<std::int64_t> parse_int(const std::optional<std::string>& s) {
    if (!s || s->empty()) return std::nullopt;
    try {
        return std::stoll(*s);
    } catch (...) {
        return std::nullopt;
    }
}

std::uint64_t max_stamp_in(const core::EntitySnapshot& s) {
    std::uint64_t m = 0;
    if (s.row.created) m = std::max(m, s.row.created->hlc);
    if (s.row.deleted) m = std::max(m, s.row.deleted->hlc);
    for (const auto& c : s.row.clocks)
        if (c) m = std::max(m, c->hlc);
    for (const auto& d : s.dots) m = std::max(m, d.dot.hlc);
    return m;
}

}  // namespace

Result<std::unique_ptr<Replica>> Replica::open(const std::string& path, TimeSource& time,
                                               core::IdSource& ids, const ReplicaOptions& opts) {
    core::StoreOptions so;
    so.wal = opts.wal;
    auto store = core::Store::open(path, so);
    if (!store) return store.status();
    std::unique_ptr<Replica> r(new Replica(std::move(store).value(), time, ids));
    LIAISON_TRY(r->load_meta());
    return r;
}

Status Replica::load_meta() {
    auto rid = store_->meta_get(kMetaReplica);
    if (rid) {
        auto parsed = Id128::from_text(*rid);
        if (!parsed) return Status::storage("the replica id in the file is damaged");
        id_ = *parsed;
    } else {
        id_ = ids_.next_replica_id();
        LIAISON_TRY(store_->meta_set(kMetaReplica, id_.to_text()));
    }
    clock_.restore(std::uint64_t(parse_int(store_->meta_get(kMetaClock)).value_or(0)),
                   parse_int(store_->meta_get(kMetaOffset)).value_or(0));
    cursor_ = parse_int(store_->meta_get(kMetaCursor)).value_or(0);
    return Status::ok();
}

Status Replica::save_clock() {
    LIAISON_TRY(store_->meta_set(kMetaClock, std::to_string(clock_.state())));
    return store_->meta_set(kMetaOffset, std::to_string(clock_.offset_ms()));
}

Result<Op> Replica::submit(Op op) {
    op.id = Stamp{clock_.send(), id_};
    op.actor = actor_;
    LIAISON_TRY(validate_op(op));
    (void)merge_.take_unsent_erasures();  // drop leftovers of a transaction that rolled back
    core::WriteTxn txn(*store_);
    LIAISON_TRY(txn.begun());
    LIAISON_TRY(merge_.check_kind(op));
    std::string body = encode_op(op);
    auto r = merge_.apply(op);
    if (!r) return r.status();
    if (r->outcome == Outcome::kErased)
        return Status(Code::kErased, std::string(core::kind_name(op.kind)) + " " + op.entity.to_text());
    if (r->outcome == Outcome::kRejected) return r->status;
    LIAISON_TRY(store_->outbox_push(op.entity, op.id, int(op.type), body));
    LIAISON_TRY(queue_unsent_erasures());
    LIAISON_TRY(save_clock());
    LIAISON_TRY(txn.commit());
    return op;
}

Status Replica::queue_unsent_erasures() {
    for (const auto& [kind, id] : merge_.take_unsent_erasures()) {
        Op op = unstamped_op(OpType::kErase, kind, id);
        op.id = Stamp{clock_.send(), id_};
        op.actor = actor_;
        LIAISON_TRY(store_->outbox_push(id, op.id, int(op.type), encode_op(op)));
    }
    return Status::ok();
}

Result<Id128> Replica::create(Kind kind, std::vector<FieldWrite> fields, std::optional<Id128> id) {
    auto r = submit(field_op(OpType::kCreate, kind, id ? *id : ids_.next_entity_id(clock_.physical_ms()),
                             std::move(fields)));
    if (!r) return r.status();
    return r->entity;
}

Status Replica::set(Kind kind, const Id128& id, std::vector<FieldWrite> fields) {
    return submit(field_op(OpType::kSet, kind, id, std::move(fields))).status();
}

Status Replica::add(Kind kind, const Id128& id, std::string set, std::string elem) {
    return submit(elem_op(OpType::kAdd, kind, id, std::move(set), std::move(elem))).status();
}

Status Replica::remove(Kind kind, const Id128& id, std::string set, std::string elem) {
    const auto& k = core::kind_def(kind);
    int si = k.set_index(set);
    if (si < 0) return {Code::kUnknownField, k.name + "." + set};
    Op op = elem_op(OpType::kRemove, kind, id, std::move(set),
                    core::normalize_elem(k.sets[std::size_t(si)], std::move(elem)));
    Id128 root = k.mergeable ? store_->root_of(id) : id;
    auto dots = store_->load_dots(root);
    if (!dots) return dots.status();
    for (const auto& d : dots.value())
        if (d.set == si && d.elem == op.elem && !d.removed) op.observed.push_back(d.dot);
    if (op.observed.empty()) return Status::not_found(op.set + ": '" + op.elem + "' is not in the set");
    return submit(std::move(op)).status();
}

Status Replica::remove_entry(Kind kind, const Id128& id) {
    return submit(unstamped_op(OpType::kDelete, kind, id)).status();
}

Status Replica::merge(const Id128& alias, const Id128& target) {
    Op op = unstamped_op(OpType::kMerge, Kind::kInfluencer, alias);
    op.target = target;
    return submit(std::move(op)).status();
}

Status Replica::erase(Kind kind, const Id128& id) {
    if (!core::kind_def(kind).personal)
        return Status::invalid(std::string(core::kind_name(kind)) + ": only people can be erased; delete the entry instead");
    return submit(unstamped_op(OpType::kErase, kind, id)).status();
}

Result<PushRequest> Replica::make_push(std::size_t max_ops, std::uint32_t page_limit) {
    PushRequest req;
    req.replica = id_;
    req.cursor = cursor_;
    req.client_hlc = clock_.state();
    req.page_limit = page_limit;
    auto rows = store_->outbox_peek(std::min(max_ops, kMaxOpsPerPush));
    if (!rows) return rows.status();
    for (const auto& row : rows.value()) {
        auto op = decode_op(row.body);
        if (!op) return Status::storage("outbox row " + std::to_string(row.n) + ": " + op.status().to_string());
        req.ops.push_back(std::move(op).value());
    }
    return req;
}

Status Replica::evict(const Id128& id) {
    for (const auto& k : core::all_kinds()) {
        auto row = store_->load_row(k.kind, id);
        if (!row) return row.status();
        if (row.value()) {
            LIAISON_TRY(store_->delete_row(k.kind, id));
            break;
        }
    }
    return store_->delete_dots(id);
}

Result<ReplyStats> Replica::apply_reply(const PushReply& reply) {
    ReplyStats stats;
    (void)merge_.take_unsent_erasures();
    core::WriteTxn txn(*store_);
    LIAISON_TRY(txn.begun());
    // Learn the server's clock: later local stamps follow it, not this device's wall clock.
    if (reply.server_time_ms > 0)
        clock_.set_offset_ms(std::int64_t(reply.server_time_ms) -
                             (std::int64_t(clock_.physical_ms()) - clock_.offset_ms()));
    clock_.receive(reply.server_hlc);
    for (const auto& r : reply.results) {
        if (r.outcome == Outcome::kRejected && r.code == Code::kClockAhead) {
            ++stats.retry;
            continue;
        }
        if (r.outcome == Outcome::kRejected) {
            ++stats.rejected;
            LIAISON_TRY(store_->meta_set("rejected:" + r.op.to_text(),
                                         std::string(code_name(r.code)) + ": " + r.detail));
        } else {
            ++stats.acknowledged;
        }
        LIAISON_TRY(store_->outbox_remove(r.op));
    }
    for (const auto& id : reply.erased) LIAISON_TRY(merge_.erase(id, std::nullopt));
    for (const auto& e : reply.aliases) LIAISON_TRY(merge_.apply_alias(e.a, e.b));
    for (const auto& snap : reply.changes) {
        clock_.receive(max_stamp_in(snap));
        auto r = merge_.apply_snapshot(snap);
        if (!r) return r.status();
        ++stats.changes;
    }
    for (const auto& id : reply.evictions) LIAISON_TRY(evict(id));
    LIAISON_TRY(queue_unsent_erasures());
    cursor_ = std::max(cursor_, reply.next_cursor);
    LIAISON_TRY(store_->meta_set(kMetaCursor, std::to_string(cursor_)));
    LIAISON_TRY(save_clock());
    Status s = txn.commit();
    if (!s) {
        (void)load_meta();  // the cursor and clock in memory must match the file
        return s;
    }
    stats.has_more = reply.has_more;
    return stats;
}

Result<ApplyResult> Replica::receive_in_txn(const Op& incoming) {
    Op op = incoming;
    Status v = validate_op(op);
    if (!v) return ApplyResult{Outcome::kRejected, v};
    clock_.receive(op.id.hlc);
    return merge_.apply(op);
}

Result<ApplyResult> Replica::receive(const Op& op) {
    (void)merge_.take_unsent_erasures();
    core::WriteTxn txn(*store_);
    LIAISON_TRY(txn.begun());
    auto r = receive_in_txn(op);
    if (!r) return r;
    LIAISON_TRY(queue_unsent_erasures());
    LIAISON_TRY(save_clock());
    LIAISON_TRY(txn.commit());
    return r;
}

Status Replica::receive_all(const std::vector<Op>& ops) {
    (void)merge_.take_unsent_erasures();
    core::WriteTxn txn(*store_);
    LIAISON_TRY(txn.begun());
    for (const auto& op : ops) {
        auto r = receive_in_txn(op);
        if (!r) return r.status();
    }
    LIAISON_TRY(queue_unsent_erasures());
    LIAISON_TRY(save_clock());
    return txn.commit();
}

}  // namespace liaison::sync
