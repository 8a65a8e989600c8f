#include "sync/replica.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>

#include "core/model/validate.hpp"
#include "core/util/text.hpp"
#include "sync/codec.hpp"

namespace liaison::sync {
namespace {

constexpr const char* kMetaReplica = "replica_id";
constexpr const char* kMetaClock = "hlc";
constexpr const char* kMetaOffset = "clock_offset_ms";
constexpr const char* kMetaCursor = "cursor";
constexpr const char* kMetaScopeGeneration = "scope_generation";
constexpr const char* kReplicaMetaDbGeneration = "db_generation";

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
    // R12's top stamp is a marker, not a reading of anyone's clock.
    for (const auto& c : s.row.clocks)
        if (c && !c->is_top()) m = std::max(m, c->hlc);
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
    scope_generation_ =
        std::uint64_t(parse_int(store_->meta_get(kMetaScopeGeneration)).value_or(0));
    db_generation_ =
        Id128::from_text(store_->meta_get(kReplicaMetaDbGeneration).value_or("")).value_or(Id128{});
    return Status::ok();
}

Status Replica::save_clock() {
    LIAISON_TRY(store_->meta_set(kMetaClock, std::to_string(clock_.state())));
    return store_->meta_set(kMetaOffset, std::to_string(clock_.offset_ms()));
}

// The action open (docs/SYNC.md G1): its transaction, its outbox group, how many operations
// it made and the first write that failed.
struct Replica::OpenAction {
    explicit OpenAction(core::Store& store) : txn(store) {}
    core::WriteTxn txn;
    std::int64_t group = 0;
    std::size_t ops = 0;
    Status failure;
};

Replica::Replica(std::unique_ptr<core::Store> store, TimeSource& time, core::IdSource& ids)
    : store_(std::move(store)), clock_(time), ids_(ids), merge_(*store_) {}

Replica::~Replica() = default;

Result<Op> Replica::stage(Op op, std::int64_t group) {
    LIAISON_TRY(merge_.check_kind(op));
    std::string body = encode_op(op);
    auto r = merge_.apply(op);
    if (!r) return r.status();
    if (r->outcome == Outcome::kErased)
        return Status(Code::kErased,
                      std::string(core::kind_name(op.kind)) + " " + op.entity.to_text());
    if (r->outcome == Outcome::kRejected) return r->status;
    LIAISON_TRY(store_->outbox_push(op.entity, op.id, int(op.type), body, group));
    LIAISON_TRY(merge_.settle_outbox(op.kind, op.entity));
    LIAISON_TRY(queue_unsent_erasures(group));
    LIAISON_TRY(save_clock());
    return op;
}

Result<Op> Replica::submit(Op op) {
    op.id = Stamp{clock_.send(), id_};
    op.actor = actor_;
    if (action_) {
        Status v = validate_op(op);
        auto r = v ? stage(std::move(op), action_->group) : Result<Op>(v);
        if (!r && action_->failure.is_ok()) action_->failure = r.status();
        if (r) ++action_->ops;
        return r;
    }
    LIAISON_TRY(validate_op(op));
    (void)merge_.take_unsent_erasures();  // drop leftovers of a transaction that rolled back
    core::WriteTxn txn(*store_);
    LIAISON_TRY(txn.begun());
    auto r = stage(std::move(op), 0);
    if (!r) return r.status();
    LIAISON_TRY(txn.commit());
    return r;
}

Status Replica::action(const std::function<Status()>& body) {
    if (action_) {  // joins the action open
        Status s = body();
        if (!s && action_->failure.is_ok()) action_->failure = s;
        return s;
    }
    (void)merge_.take_unsent_erasures();
    action_ = std::make_unique<OpenAction>(*store_);
    Status s = action_->txn.begun();
    if (s) {
        auto group = store_->next_outbox_group();
        if (group)
            action_->group = group.value();
        else
            s = group.status();
    }
    if (s) s = body();
    if (s) s = action_->failure;
    if (s && action_->ops > kMaxOpsPerPush)
        s = Status(Code::kTooLarge, "an action of " + std::to_string(action_->ops) +
                                        " operations; at most " + std::to_string(kMaxOpsPerPush));
    if (s) s = action_->txn.commit();
    if (!s) (void)merge_.take_unsent_erasures();
    action_.reset();  // rolls back unless committed
    return s;
}

Status Replica::queue_unsent_erasures(std::int64_t group) {
    for (const auto& [kind, id] : merge_.take_unsent_erasures()) {
        Op op = unstamped_op(OpType::kErase, kind, id);
        op.id = Stamp{clock_.send(), id_};
        op.actor = actor_;
        LIAISON_TRY(store_->outbox_push(id, op.id, int(op.type), encode_op(op), group));
    }
    return Status::ok();
}

Result<Id128> Replica::create(Kind kind, std::vector<FieldWrite> fields, std::optional<Id128> id) {
    auto r =
        submit(field_op(OpType::kCreate, kind, id ? *id : ids_.next_entity_id(clock_.physical_ms()),
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
    auto op = remove_op(*store_, kind, id, si, std::move(elem));
    if (!op) return op.status();
    return submit(std::move(op).value()).status();
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
        return Status::invalid(std::string(core::kind_name(kind)) +
                               ": only people can be erased; delete the entry instead");
    return submit(unstamped_op(OpType::kErase, kind, id)).status();
}

Result<PushRequest> Replica::make_push(std::size_t max_ops, std::uint32_t page_limit) {
    PushRequest req;
    req.replica = id_;
    req.cursor = cursor_;
    req.client_hlc = clock_.state();
    req.page_limit = page_limit;
    const std::size_t limit = std::min(max_ops, kMaxOpsPerPush);
    std::vector<core::Store::OutboxRow> rows;
    if (limit > 0) {
        auto peeked = store_->outbox_peek(limit + 1);
        if (!peeked) return peeked.status();
        rows = std::move(peeked).value();
    }
    if (rows.size() > limit) {
        // G1: an action is never split across two pushes. The one the limit cuts waits for
        // the next push; one larger than the limit alone goes whole (at most kMaxOpsPerPush).
        const std::int64_t cut = rows[limit].group;
        rows.resize(limit);
        std::size_t keep = rows.size();
        while (cut != 0 && keep > 0 && rows[keep - 1].group == cut) --keep;
        if (keep > 0) {
            rows.resize(keep);
        } else {
            auto whole = store_->outbox_peek(kMaxOpsPerPush);
            if (!whole) return whole.status();
            rows = std::move(whole).value();
            std::size_t n = 0;
            while (n < rows.size() && rows[n].group == cut) ++n;
            rows.resize(n);
        }
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        auto op = decode_op(row.body);
        if (!op)
            return Status::storage("outbox row " + std::to_string(row.n) + ": " +
                                   op.status().to_string());
        req.ops.push_back(std::move(op).value());
        // Consecutive rows of one action form a group (a lone operation needs none).
        if (row.group == 0) continue;
        if (i > 0 && rows[i - 1].group == row.group)
            ++req.groups.back().count;
        else
            req.groups.push_back({std::uint32_t(i), 1});
    }
    std::erase_if(req.groups, [](const OpGroup& g) { return g.count < 2; });
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
    if (action_) return Status(Code::kInternal, "a reply applied inside an action");
    ReplyStats stats;
    (void)merge_.take_unsent_erasures();
    core::WriteTxn txn(*store_);
    LIAISON_TRY(txn.begun());
    // Learn the server's clock: later local stamps follow it, not this device's wall clock.
    if (reply.server_time_ms > 0)
        clock_.set_offset_ms(std::int64_t(reply.server_time_ms) -
                             (std::int64_t(clock_.physical_ms()) - clock_.offset_ms()));
    clock_.receive(reply.server_hlc);
    // A refused merge or erase changed more than the entities it named (alias edges, erased
    // markers, cascades): only a fresh pull undoes it (docs/SYNC.md invariant 9).
    bool restart = false;
    std::vector<Stamp> refused;
    for (const auto& r : reply.results)
        if (r.outcome == Outcome::kRejected && r.code != Code::kClockAhead) refused.push_back(r.op);
    std::map<Stamp, Op> refused_ops;
    // An action refused whole (G2) is told once, by its first operation: the others' stamps.
    std::vector<Stamp> told_with_their_action;
    if (!refused.empty()) {
        std::sort(refused.begin(), refused.end());
        auto rows = store_->outbox_peek(std::size_t(INT64_MAX));
        if (!rows) return rows.status();
        std::vector<std::int64_t> groups_told;
        for (const auto& row : rows.value()) {
            if (!std::binary_search(refused.begin(), refused.end(), row.stamp)) continue;
            auto op = decode_op(row.body);
            if (!op)
                return Status::storage("outbox row " + std::to_string(row.n) + ": " +
                                       op.status().to_string());
            if (op->type == OpType::kMerge || op->type == OpType::kErase) restart = true;
            if (row.group != 0) {
                if (std::find(groups_told.begin(), groups_told.end(), row.group) !=
                    groups_told.end())
                    told_with_their_action.push_back(row.stamp);
                else
                    groups_told.push_back(row.group);
            }
            refused_ops.emplace(op->id, std::move(op).value());
        }
        std::sort(told_with_their_action.begin(), told_with_their_action.end());
    }
    for (const auto& r : reply.results) {
        if (r.outcome == Outcome::kRejected && r.code == Code::kClockAhead) {
            ++stats.retry;
            continue;
        }
        if (r.outcome == Outcome::kRejected) {
            ++stats.rejected;
            // Told before the change is undone below: the label is read while it still shows.
            auto op = refused_ops.find(r.op);
            if (op != refused_ops.end() && !std::binary_search(told_with_their_action.begin(),
                                                               told_with_their_action.end(), r.op))
                LIAISON_TRY(keep_refusal(op->second, r));
        } else {
            ++stats.acknowledged;
        }
        LIAISON_TRY(store_->outbox_remove(r.op));
    }
    bool db_changed = false;
    auto generation_changed = note_generations(reply, db_changed);
    if (!generation_changed) return generation_changed.status();
    if (db_changed) {
        auto n = queue_authored_ops();
        if (!n) return n.status();
        stats.repushed = n.value();
    }
    if (generation_changed.value() || restart) {
        // This reply's changes were read after a cursor that no longer means anything for this
        // device: they come again in the pull from 0.
        LIAISON_TRY(restart_from_scratch());
        LIAISON_TRY(save_clock());
        Status s = txn.commit();
        if (!s) {
            (void)load_meta();
            return s;
        }
        stats.restarted = true;
        stats.has_more = true;
        return stats;
    }
    for (const auto& id : reply.erased) LIAISON_TRY(merge_.erase(id, std::nullopt));
    for (const auto& e : reply.aliases) LIAISON_TRY(merge_.apply_alias(e.a, e.b));
    for (const auto& snap : reply.changes) {
        clock_.receive(max_stamp_in(snap));
        // Inside the scope now: a directory row it held becomes a full one (the join adds
        // what the projection left out, which carries no clock there).
        LIAISON_TRY(store_->directory_remove(snap.row.id));
        auto r = merge_.apply_snapshot(snap);
        if (!r) return r.status();
        ++stats.changes;
    }
    for (const auto& id : reply.evictions) LIAISON_TRY(evict(id));
    std::vector<Id128> refused_entities;
    for (const auto& [stamp, op] : refused_ops) refused_entities.push_back(op.entity);
    LIAISON_TRY(apply_directory(reply.directory, refused_entities, stats));
    if (!reply.refreshed.empty() || !reply.absent.empty()) {
        auto pending = pending_ops();
        if (!pending) return pending.status();
        for (const auto& snap : reply.refreshed) {
            clock_.receive(max_stamp_in(snap));
            LIAISON_TRY(rebuild(snap.row.id, &snap, pending.value()));
            ++stats.rebuilt;
        }
        for (const auto& id : reply.absent) {
            LIAISON_TRY(rebuild(id, nullptr, pending.value()));
            ++stats.rebuilt;
        }
    }
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

Result<bool> Replica::note_generations(const PushReply& reply, bool& db_changed) {
    bool changed = false;
    if (reply.scope_generation != 0 && reply.scope_generation != scope_generation_) {
        changed = scope_generation_ != 0;
        scope_generation_ = reply.scope_generation;
        LIAISON_TRY(store_->meta_set(kMetaScopeGeneration, std::to_string(scope_generation_)));
    }
    if (!reply.db_generation.is_nil() && reply.db_generation != db_generation_) {
        db_changed = !db_generation_.is_nil();
        changed = changed || db_changed;
        db_generation_ = reply.db_generation;
        LIAISON_TRY(store_->meta_set(kReplicaMetaDbGeneration, db_generation_.to_text()));
    }
    return changed;
}

// ---- Refusals told to the person (meta "rejected:<op>", one line of tab-separated fields:
// code, type, kind, entity, fields (comma-separated), at, label, detail) -----------------------

namespace {

constexpr const char* kMetaRefusal = "rejected:";

std::string one_line(std::string s) {
    for (auto& c : s)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
}

}  // namespace

namespace {

std::string text_field(const core::RowState& row, std::string_view field) {
    int i = core::kind_def(row.kind).field_index(field);
    if (i < 0 || !std::holds_alternative<std::string>(row.values[std::size_t(i)])) return {};
    return std::get<std::string>(row.values[std::size_t(i)]);
}

// The name of the entity, or of the person a log entry is about, as `store` holds it.
std::string name_held(core::Store& store, Kind kind, const Id128& id) {
    auto row = store.load_row(kind, id);
    if (!row || !row.value()) return {};
    if (kind == Kind::kInfluencer) return text_field(*row.value(), "name");
    auto person = Id128::from_text(text_field(*row.value(), "influencer"));
    return person ? name_held(store, Kind::kInfluencer, *person) : std::string();
}

}  // namespace

// Whom `op` is about, in words: the name a person's create or edit writes, else the name the
// device holds for the entity (or for the person a log entry names).
std::string Replica::label_of(const Op& op) {
    for (const auto& f : op.fields)
        if (op.kind == Kind::kInfluencer && f.field == "name" &&
            std::holds_alternative<std::string>(f.value))
            return std::get<std::string>(f.value);
    std::string label = name_held(*store_, op.kind, op.entity);
    for (const auto& f : op.fields)
        if (label.empty() && f.field == "influencer" &&
            std::holds_alternative<std::string>(f.value))
            if (auto person = Id128::from_text(std::get<std::string>(f.value)))
                label = name_held(*store_, Kind::kInfluencer, *person);
    return label;
}

Status Replica::keep_refusal(const Op& op, const OpResult& r) {
    std::string fields;
    for (const auto& f : op.fields) fields += (fields.empty() ? "" : ",") + f.field;
    if (!op.set.empty()) fields = op.set;
    const std::string line = std::string(code_name(r.code)) + '\t' + std::to_string(int(op.type)) +
                             '\t' + core::kind_name(op.kind) + '\t' + op.entity.to_text() + '\t' +
                             fields + '\t' + std::to_string(clock_.physical_ms()) + '\t' +
                             one_line(label_of(op)) + '\t' +
                             one_line(r.detail.empty() ? code_message(r.code) : r.detail);
    return store_->meta_set(kMetaRefusal + r.op.to_text(), line);
}

Result<std::vector<Refusal>> Replica::refusals() {
    auto rows = store_->meta_with_prefix(kMetaRefusal);
    if (!rows) return rows.status();
    std::vector<Refusal> out;
    for (const auto& [key, value] : rows.value()) {
        Refusal f;
        f.op = Stamp::from_text(key.substr(std::strlen(kMetaRefusal))).value_or(Stamp{});
        auto parts = core::split(value, '\t', 8);
        if (parts.size() < 8) {  // kept by an earlier release: "code: detail"
            auto old = core::split(value, ':', 2);
            f.code = code_from_name(old[0]).value_or(Code::kInternal);
            if (old.size() > 1) f.detail = old[1].substr(old[1].rfind(' ', 0) == 0 ? 1 : 0);
            out.push_back(std::move(f));
            continue;
        }
        f.code = code_from_name(parts[0]).value_or(Code::kInternal);
        f.type = OpType(std::atoi(parts[1].c_str()));
        f.kind = core::kind_from_name(parts[2]).value_or(Kind::kInfluencer);
        f.entity = Id128::from_text(parts[3]).value_or(Id128{});
        if (!parts[4].empty()) f.fields = core::split(parts[4], ',', 64);
        f.at_ms = std::atoll(parts[5].c_str());
        f.label = parts[6];
        f.detail = parts[7];
        // An erase or merge leaves nothing to name at the time; the record undone since may.
        if (f.label.empty()) f.label = name_held(*store_, f.kind, f.entity);
        out.push_back(std::move(f));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Refusal& a, const Refusal& b) { return a.at_ms < b.at_ms; });
    return out;
}

Status Replica::dismiss_refusals() {
    core::WriteTxn txn(*store_);
    LIAISON_TRY(txn.begun());
    LIAISON_TRY(store_->meta_remove_prefix(kMetaRefusal));
    return txn.commit();
}

Result<std::vector<Op>> Replica::pending_ops() {
    auto rows = store_->outbox_peek(std::size_t(INT64_MAX));
    if (!rows) return rows.status();
    std::vector<Op> ops;
    ops.reserve(rows.value().size());
    for (const auto& row : rows.value()) {
        auto op = decode_op(row.body);
        if (!op)
            return Status::storage("outbox row " + std::to_string(row.n) + ": " +
                                   op.status().to_string());
        ops.push_back(std::move(op).value());
    }
    return ops;
}

Status Replica::reapply(const std::vector<Op>& ops) {
    for (const auto& op : ops) LIAISON_TRY(store_->purge_ops(op.entity));
    for (Op op : ops) {
        if (Status v = validate_op(op); !v) continue;  // it was valid when made (R10)
        auto r = merge_.apply(op);
        if (!r) return r.status();
    }
    return Status::ok();
}

Status Replica::restart_from_scratch() {
    auto pending = pending_ops();
    if (!pending) return pending.status();
    LIAISON_TRY(store_->clear_state());
    LIAISON_TRY(reapply(pending.value()));
    cursor_ = 0;
    return store_->meta_set(kMetaCursor, "0");
}

Status Replica::apply_directory(const std::vector<DirectoryEntry>& entries,
                                const std::vector<Id128>& refused, ReplyStats& stats) {
    std::optional<std::vector<Op>> pending;
    for (const auto& e : entries) {
        const auto& snap = e.snapshot;
        clock_.receive(max_stamp_in(snap));
        auto held = store_->has_row(snap.row.kind, snap.row.id);
        if (!held) return held.status();
        // A record the device does not hold yet (every one on a first sync) is simply joined.
        bool replace = false;
        if (held.value()) {
            auto listed = store_->directory_only(snap.row.id);
            if (!listed) return listed.status();
            const auto members = store_->component_of(snap.row.id);
            const bool undo = std::any_of(refused.begin(), refused.end(), [&](const Id128& id) {
                return std::find(members.begin(), members.end(), id) != members.end();
            });
            replace = !listed.value() || undo;
        }
        if (replace) {
            // D2, a demotion: the full copy goes, the projection (and the device's own pending
            // changes of the record) take its place. D5: so does a refused change of it.
            if (!pending) {
                auto ops = pending_ops();
                if (!ops) return ops.status();
                pending = std::move(ops).value();
            }
            LIAISON_TRY(rebuild(snap.row.id, &snap, *pending));
        } else {
            auto r = merge_.apply_snapshot(snap);
            if (!r) return r.status();
        }
        LIAISON_TRY(store_->directory_put(snap.row.id, e.email_digest, e.phone_digest));
        ++stats.directory;
    }
    return Status::ok();
}

Status Replica::rebuild(const Id128& id, const core::EntitySnapshot* snapshot,
                        const std::vector<Op>& pending) {
    const std::vector<Id128> members = store_->component_of(id);
    const Id128 root = members.front();
    for (const auto& k : core::all_kinds()) {
        auto has = store_->has_row(k.kind, root);
        if (!has) return has.status();
        if (has.value()) LIAISON_TRY(store_->delete_row(k.kind, root));
    }
    LIAISON_TRY(store_->delete_dots(root));
    auto alt = store_->load_subject_alt(root);
    if (!alt) return alt.status();
    for (const auto& [f, subject] : alt.value())
        LIAISON_TRY(store_->remove_subject_alt(root, f, subject));
    if (snapshot) {
        auto r = merge_.apply_snapshot(*snapshot);
        if (!r) return r.status();
    }
    std::vector<Op> mine;
    for (const auto& op : pending)
        if (std::find(members.begin(), members.end(), op.entity) != members.end())
            mine.push_back(op);
    return reapply(mine);
}

Result<std::size_t> Replica::queue_authored_ops() {
    // The op log keeps no values (docs/STORAGE.md): the operations are rebuilt from the state,
    // with their original stamps, wherever a stamp of this replica still shows in it.
    auto pending = pending_ops();
    if (!pending) return pending.status();
    std::vector<Stamp> queued;
    for (const auto& op : pending.value()) queued.push_back(op.id);
    std::sort(queued.begin(), queued.end());
    auto changes = store_->changes_since(0, std::size_t(INT64_MAX));
    if (!changes) return changes.status();
    std::vector<Op> ops;
    std::vector<Op> removes;  // new operations: a remove's own stamp is not kept
    for (const auto& c : changes.value()) {
        if (c.type != core::Store::Change::Type::kEntity) continue;
        const std::size_t first = ops.size();
        const auto& k = core::kind_def(c.kind);
        // A merged component's row joins several entities' creates: left to the hub's copy.
        if (k.mergeable && store_->component_of(c.id).size() > 1) continue;
        auto row = store_->load_row(c.kind, c.id);
        if (!row) return row.status();
        if (!row.value()) continue;
        const core::RowState& r = *row.value();
        auto log = store_->op_log({c.id});
        if (!log) return log.status();
        auto actor_of = [&](const Stamp& s) {
            for (const auto& l : log.value())
                if (l.stamp == s) return l.actor;
            return Id128{};
        };
        auto mine = [&](const std::optional<Stamp>& s) { return s && s->replica == id_; };
        if (mine(r.created) && !r.deleted) {
            Op op = unstamped_op(OpType::kCreate, c.kind, c.id);
            for (std::size_t i = 0; i < k.fields.size(); ++i)
                if ((r.clocks[i] == r.created || k.fields[i].required) &&
                    !std::holds_alternative<std::monostate>(r.values[i]))
                    op.fields.push_back({k.fields[i].name, r.values[i]});
            op.id = *r.created;
            ops.push_back(std::move(op));
        }
        if (!r.deleted) {
            std::vector<Stamp> set_stamps;
            for (std::size_t i = 0; i < k.fields.size(); ++i)
                if (mine(r.clocks[i]) && r.clocks[i] != r.created && !k.fields[i].subject)
                    set_stamps.push_back(*r.clocks[i]);
            std::sort(set_stamps.begin(), set_stamps.end());
            set_stamps.erase(std::unique(set_stamps.begin(), set_stamps.end()), set_stamps.end());
            for (const auto& st : set_stamps) {
                // Only a create writes the subject: a stamp that did was a second create of the
                // record (R3, e.g. a guest checked in again under her deterministic id), and is
                // rebuilt as one — a set naming the subject is refused, and the write was lost.
                bool second_create = false;
                for (std::size_t i = 0; i < k.fields.size(); ++i)
                    second_create = second_create || (k.fields[i].subject && r.clocks[i] == st);
                Op op = unstamped_op(second_create ? OpType::kCreate : OpType::kSet, c.kind, c.id);
                for (std::size_t i = 0; i < k.fields.size(); ++i)
                    if (r.clocks[i] == st || (second_create && k.fields[i].required &&
                                              !std::holds_alternative<std::monostate>(r.values[i])))
                        op.fields.push_back({k.fields[i].name, r.values[i]});
                op.id = st;
                ops.push_back(std::move(op));
            }
        } else if (mine(r.deleted)) {
            Op op = unstamped_op(OpType::kDelete, c.kind, c.id);
            op.id = *r.deleted;
            ops.push_back(std::move(op));
        }
        auto dots = store_->load_dots(c.id);
        if (!dots) return dots.status();
        for (const auto& d : dots.value()) {
            const std::string& set = k.sets[std::size_t(d.set)].name;
            if (d.dot.replica == id_) {
                Op op = elem_op(OpType::kAdd, c.kind, c.id, set, d.elem);
                op.id = d.dot;
                ops.push_back(std::move(op));
            }
            if (!d.removed) continue;
            auto same = std::find_if(removes.begin(), removes.end(), [&](const Op& o) {
                return o.entity == c.id && o.set == set && o.elem == d.elem;
            });
            if (same == removes.end()) {
                removes.push_back(elem_op(OpType::kRemove, c.kind, c.id, set, d.elem));
                same = removes.end() - 1;
            }
            same->observed.push_back(d.dot);
        }
        for (std::size_t i = first; i < ops.size(); ++i) ops[i].actor = actor_of(ops[i].id);
    }
    std::sort(ops.begin(), ops.end(), [](const Op& a, const Op& b) { return a.id < b.id; });
    std::size_t n = 0;
    for (auto& op : ops) {
        if (std::binary_search(queued.begin(), queued.end(), op.id)) continue;
        if (Status v = validate_op(op); !v)
            continue;  // e.g. a create some of whose fields were overwritten
        LIAISON_TRY(store_->outbox_push(op.entity, op.id, int(op.type), encode_op(op)));
        ++n;
    }
    for (auto& op : removes) {
        op.id = Stamp{clock_.send(), id_};
        op.actor = actor_;
        LIAISON_TRY(store_->outbox_push(op.entity, op.id, int(op.type), encode_op(op)));
        ++n;
    }
    return n;
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
