#include "sync/hub.hpp"

#include <algorithm>
#include <optional>

#include "core/query/directory.hpp"
#include "sync/codec.hpp"
#include "sync/generations.hpp"

namespace liaison::sync {

Status Hub::authorize(const DeviceContext& device, const Op& op) {
    // A1: who acted. The op log says who did what, so a device may name only the staff its
    // user is linked to; no actor at all stays accepted (the previous release set none).
    if (!op.actor.is_nil() &&
        std::find(device.staff.begin(), device.staff.end(), op.actor) == device.staff.end())
        return {Code::kForbidden, "this operation acted as staff " + op.actor.to_text() +
                                      ", who is not linked to this user"};
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
    // Exchange rates, rate cards and report settings are the central team's (docs/METRICS.md).
    if (core::kind_def(op.kind).central && !central)
        return {Code::kForbidden, std::string("only the central team maintains ") +
                                      core::kind_def(op.kind).name + " entries"};
    // Fields only the central team writes: a legal hold, a vetting override (schema 8). A
    // create may name one empty (a form sends every field); an edit may not touch it.
    if (!central && (op.type == OpType::kCreate || op.type == OpType::kSet))
        for (const auto& w : op.fields) {
            const int i = core::kind_def(op.kind).field_index(w.field);
            if (i < 0 || !core::kind_def(op.kind).fields[std::size_t(i)].central) continue;
            if (op.type == OpType::kCreate && core::is_null(w.value)) continue;
            return {Code::kForbidden, std::string("only the central team sets ") +
                                          core::kind_def(op.kind).name + "." + w.field};
        }
    if (op.type == OpType::kMerge && !(central || device.role == Role::kRegional))
        return {Code::kForbidden, "only central and regional staff may merge duplicates"};
    if (device.scope.global) return Status::ok();

    const auto& k = core::kind_def(op.kind);
    std::vector<Value> proposed(k.fields.size());
    auto current = store_.load_row(op.kind, k.mergeable ? store_.root_of(op.entity) : op.entity);
    if (!current) return current.status();
    // A scoped device changes only records the server holds, or creates them: its own creates
    // come before its edits in its outbox, and everything else it holds came from here. An
    // edit of a record the server has not seen created would be judged against no scope keys
    // (so covered), and once the record's create arrived outside the device's scope, nothing
    // would take the device's partial copy away (docs/SYNC.md invariant 9).
    if (op.type != OpType::kCreate && !(current.value() && current.value()->created))
        return {Code::kOutOfScope,
                std::string(k.name) + " " + op.entity.to_text() + " is not known to the server"};
    if (current.value()) {
        auto covered = in_scope(device.scope, op.kind, op.entity, current.value()->values);
        if (!covered) return covered.status();
        if (!covered.value())
            return {Code::kOutOfScope, std::string(k.name) + " " + op.entity.to_text()};
        proposed = current.value()->values;
    }
    if (op.type == OpType::kCreate || op.type == OpType::kSet) {
        for (const auto& w : op.fields) proposed[std::size_t(k.field_index(w.field))] = w.value;
        auto covered = in_scope(device.scope, op.kind, op.entity, proposed);
        if (!covered) return covered.status();
        if (!covered.value())
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

namespace {

core::ScopeKeys scope_keys_of(const core::RowState& row) {
    const auto& k = core::kind_def(row.kind);
    auto text = [&](const char* key) -> std::string {
        int i = k.scope_field(key);
        if (i < 0 || std::size_t(i) >= row.values.size()) return "";
        const auto* t = std::get_if<std::string>(&row.values[std::size_t(i)]);
        return t ? *t : "";
    };
    return {text("region"), text("brand"), text("store")};
}

// A row of `kind` holding only `keys`, for Scope::covers.
std::vector<Value> values_with(Kind kind, const core::ScopeKeys& keys) {
    const auto& k = core::kind_def(kind);
    std::vector<Value> v(k.fields.size());
    auto put = [&](const char* key, const std::string& text) {
        int i = k.scope_field(key);
        if (i >= 0 && !text.empty()) v[std::size_t(i)] = text;
    };
    put("region", keys.region);
    put("brand", keys.brand);
    put("store", keys.store);
    return v;
}

}  // namespace

Result<bool> Hub::in_scope(const Scope& scope, Kind kind, const Id128& id,
                           const std::vector<Value>& values) {
    return covers_entry(store_, scope, kind, id, values);
}

Status Hub::note_replaced_keys(const Op& op, bool entity_new) {
    const auto& k = core::kind_def(op.kind);
    const int parent = scope_parent_field(op.kind);
    if (k.scope_field("region") < 0 && k.scope_field("brand") < 0 && k.scope_field("store") < 0 &&
        parent < 0)
        return Status::ok();
    std::vector<Id128> ids;
    switch (op.type) {
        case OpType::kCreate:
            if (!entity_new) ids = {op.entity};  // a second create joins (R3)
            break;
        case OpType::kMerge:
            ids = {op.entity, op.target};
            break;
        // A tombstone keeps no scope key (R5), nor a check-in's event or a click's link.
        case OpType::kDelete:
            ids = {op.entity};
            break;
        case OpType::kSet:
            for (const auto& w : op.fields)
                if (w.field == "region" || w.field == "brand" || w.field == "store" ||
                    (parent >= 0 && w.field == k.fields[std::size_t(parent)].name)) {
                    ids = {op.entity};
                    break;
                }
            break;
        default:
            break;
    }
    for (const auto& id : ids) {
        const Id128 root = k.mergeable ? store_.root_of(id) : id;
        auto row = store_.load_row(op.kind, root);
        if (!row) return row.status();
        // A row with no create yet is sent too (a field-only row in scope), so its keys count.
        if (!row.value() || row.value()->deleted) continue;
        LIAISON_TRY(note_effective_keys(*row.value()));
    }
    return Status::ok();
}

Result<std::optional<core::RowState>> Hub::scope_parent(Kind kind,
                                                        const std::vector<Value>& values) {
    return sync::scope_parent(store_, kind, values);
}

Status Hub::note_effective_keys(const core::RowState& row) {
    if (scope_parent_field(row.kind) < 0 || has_scope_key(row.kind, row.values))
        return store_.note_scope_keys(row.id, scope_keys_of(row));
    // A keyless entry has been where its parent is and was: it keeps that history once the
    // write has replaced its keys or its parent (or deleted it, which drops both).
    auto p = scope_parent(row.kind, row.values);
    if (!p) return p.status();
    if (!p.value()) return Status::ok();  // shown to no scoped device: nothing to remember
    LIAISON_TRY(store_.note_scope_keys(row.id, scope_keys_of(*p.value())));
    for (const auto& m : store_.component_of(p.value()->id)) {
        auto seen = store_.scope_keys_seen(m);
        if (!seen) return seen.status();
        for (const auto& keys : seen.value()) LIAISON_TRY(store_.note_scope_keys(row.id, keys));
    }
    return Status::ok();
}

Status Hub::touch_inheriting_entries(const Op& op) {
    // D3: a store's country is the default country of its people's phone numbers, so their
    // directory records (whose digests it decides) are sent again.
    if (op.kind == Kind::kStore && op.type == OpType::kSet &&
        std::any_of(op.fields.begin(), op.fields.end(),
                    [](const FieldWrite& w) { return w.field == "country"; })) {
        const auto& pk = core::kind_def(Kind::kInfluencer);
        auto people =
            store_.ids_where(Kind::kInfluencer, pk.field_index("store"), op.entity.to_text());
        if (!people) return people.status();
        for (const auto& id : people.value()) LIAISON_TRY(store_.touch_row(Kind::kInfluencer, id));
        return Status::ok();
    }
    const bool parent_kind =
        op.kind == Kind::kInfluencer || op.kind == Kind::kEvent || op.kind == Kind::kTrackedLink;
    if (!parent_kind) return Status::ok();
    bool moves = op.type == OpType::kCreate || op.type == OpType::kMerge;
    if (op.type == OpType::kSet)
        for (const auto& w : op.fields)
            moves = moves || w.field == "region" || w.field == "brand" || w.field == "store";
    // D6: her brands decide which devices hold her, and so her contact marks.
    const bool relisted = op.kind == Kind::kInfluencer && op.set == "brands" &&
                          (op.type == OpType::kAdd || op.type == OpType::kRemove);
    if (!moves && !relisted) return Status::ok();
    const auto& pk = core::kind_def(op.kind);
    for (const auto& member :
         store_.component_of(pk.mergeable ? store_.root_of(op.entity) : op.entity)) {
        const std::string text = member.to_text();
        for (const auto& k : core::all_kinds()) {
            const int parent = scope_parent_field(k.kind);
            const bool inherits = parent >= 0 && k.fields[std::size_t(parent)].ref_kind == op.kind;
            // Every contact about a person that moves is sent again: where she is held, as a
            // mark (D6); where she no longer is, an eviction.
            const bool marks = op.kind == Kind::kInfluencer && core::has_marks(k.kind);
            if (!(inherits && moves) && !marks) continue;
            const int field = marks ? k.field_index("influencer") : parent;
            auto children = store_.ids_where(k.kind, field, text);
            if (!children) return children.status();
            for (const auto& child : children.value()) {
                auto row = store_.load_row(k.kind, child);
                if (!row) return row.status();
                if (row.value() && (marks || !has_scope_key(k.kind, row.value()->values)))
                    LIAISON_TRY(store_.touch_row(k.kind, child));
            }
        }
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
    bool entity_new = false;
    if (Status c = merge_.check_kind(op, &entity_new); !c) return reject(c);
    if (Status a = authorize(device, op); !a) return reject(a);
    if (Status n = note_replaced_keys(op, entity_new); !n) return reject(n);
    clock_.receive(op.id.hlc);
    auto r = merge_.apply(op);
    if (!r) return reject(r.status());
    res.outcome = r->outcome;
    if (r->outcome == Outcome::kApplied)
        if (Status t = touch_inheriting_entries(op); !t) return reject(t);
    switch (r->outcome) {
        case Outcome::kApplied:
            ++totals_.accepted;
            break;
        case Outcome::kDuplicate:
            ++totals_.duplicate;
            break;
        case Outcome::kErased:
            ++totals_.erased;
            res.code = Code::kErased;
            break;
        case Outcome::kRejected:
            return reject(r->status);
    }
    return res;
}

Status Hub::apply_group(const DeviceContext& device, const std::vector<Op>& ops, OpGroup g,
                        std::vector<OpResult>& out) {
    core::Savepoint savepoint(store_);
    LIAISON_TRY(savepoint.begun());
    const std::size_t start = out.size();
    std::optional<std::size_t> refused;
    for (std::size_t k = 0; k < g.count && !refused; ++k) {
        out.push_back(apply_one(device, ops[g.first + k]));
        if (out.back().outcome == Outcome::kRejected) refused = k;
    }
    if (!refused) return Status::ok();
    LIAISON_TRY(savepoint.rollback());
    // Every operation of the action is answered refused, with the refusal that undid it.
    const OpResult first = out[start + *refused];
    for (std::size_t k = 0; k < *refused; ++k) {
        switch (out[start + k].outcome) {
            case Outcome::kApplied:
                --totals_.accepted;
                break;
            case Outcome::kDuplicate:
                --totals_.duplicate;
                break;
            case Outcome::kErased:
                --totals_.erased;
                break;
            case Outcome::kRejected:
                break;
        }
    }
    totals_.rejected += g.count - 1;
    out.resize(start);
    for (std::size_t k = 0; k < g.count; ++k) {
        OpResult r = first;
        r.op = ops[g.first + k].id;
        r.detail = "refused with operation " + std::to_string(*refused + 1) + " of " +
                   std::to_string(g.count) + ": " + first.detail;
        // Within the codec's bound on a detail, cut at a character's start.
        if (r.detail.size() > kMaxDetailBytes) {
            std::size_t cut = kMaxDetailBytes;
            while (cut > 0 && (std::uint8_t(r.detail[cut]) & 0xC0) == 0x80) --cut;
            r.detail.resize(cut);
        }
        out.push_back(std::move(r));
    }
    return Status::ok();
}

Result<PushReply> Hub::exchange(const DeviceContext& device, const PushRequest& request) {
    return std::move(exchange_batch({Pending{&device, &request}}).front());
}

std::vector<Result<PushReply>> Hub::exchange_batch(const std::vector<Pending>& batch) {
    auto check = [](const PushRequest& r) -> Status {
        if (r.ops.size() > kMaxOpsPerPush)
            return {Code::kTooLarge,
                    "at most " + std::to_string(kMaxOpsPerPush) + " operations per push"};
        if (r.cursor < 0) return Status::invalid("cursor: must not be negative");
        // G3: groups in order, not overlapping, within the push, of one operation or more.
        std::size_t end = 0;
        for (const auto& g : r.groups) {
            if (g.count == 0 || g.first < end || std::size_t(g.first) + g.count > r.ops.size())
                return Status::invalid("groups: a group of " + std::to_string(g.count) +
                                       " from operation " + std::to_string(g.first) +
                                       " overlaps another or lies outside the push");
            end = std::size_t(g.first) + g.count;
        }
        // The previous release's app (docs/SYNC.md "Versions"): a whole-request error, so its
        // outbox stays intact until the updated app sends it.
        if (r.protocol < kProtocolVersion)
            return {Code::kUpgradeRequired,
                    "this app speaks sync protocol " + std::to_string(r.protocol) +
                        "; update it to protocol " + std::to_string(kProtocolVersion)};
        // The record model (docs/SYNC.md "Schema evolution"): an older app could not read the
        // snapshots of a newer model, and this server could not apply a newer app's kinds,
        // fields and values (refused operations would leave its outbox). Both are refused
        // whole, before anything is applied, so nothing is lost while one side is upgraded.
        if (r.schema_version < core::kSchemaVersion)
            return {Code::kUpgradeRequired,
                    "this app knows record model " + std::to_string(r.schema_version) +
                        "; update it to record model " + std::to_string(core::kSchemaVersion)};
        if (r.schema_version > core::kSchemaVersion)
            return {Code::kUnsupportedVersion,
                    "this app knows record model " + std::to_string(r.schema_version) +
                        ", newer than the server's " + std::to_string(core::kSchemaVersion) +
                        ": upgrade the server"};
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
            // R11's look-ups of the whole batch in one statement (PostgreSQL: a round trip
            // each otherwise, under the writer lock).
            std::vector<const Op*> ops;
            for (std::size_t i = 0; i < batch.size(); ++i)
                if (valid[i])
                    for (const auto& op : batch[i].request->ops) ops.push_back(&op);
            committed = merge_.read_kinds_ahead(ops);
        }
        if (committed.is_ok()) {
            for (std::size_t i = 0; i < batch.size(); ++i) {
                if (!valid[i]) continue;
                const auto& req = *batch[i].request;
                results[i].reserve(req.ops.size());
                auto group = req.groups.begin();
                for (std::size_t j = 0; j < req.ops.size() && committed.is_ok();) {
                    if (group != req.groups.end() && group->first == j) {
                        committed = apply_group(*batch[i].device, req.ops, *group, results[i]);
                        j += group++->count;
                    } else {
                        results[i].push_back(apply_one(*batch[i].device, req.ops[j++]));
                    }
                }
                if (!committed.is_ok()) break;  // the transaction rolls back: nothing is kept
            }
            if (committed.is_ok()) committed = txn.commit();
        }
    }
    std::vector<Result<PushReply>> out;
    out.reserve(batch.size());
    // What every pull of the batch reads alike is read once, in one statement (on PostgreSQL
    // each statement is a round trip). Then, when some reply reads more — a pull behind the
    // feed's last number, a refused operation's state — they all read one snapshot, taking the
    // file's locks once. It begins after that number was read, so it holds every change up to
    // it (changes commit in seq order, docs/SCALING.md §2) and perhaps later ones: a pull may
    // go further than the number, never less far. Without such a reply no transaction is begun
    // (on PostgreSQL its BEGIN and COMMIT were two round trips a group).
    const auto head = feed_head_and_generation(store_);
    const FeedView view = head.is_ok() ? FeedView{head->first, head->second} : FeedView{0, {}};
    bool reads = false;
    for (std::size_t i = 0; i < batch.size() && head.is_ok() && !reads; ++i) {
        if (!valid[i] || (!committed.is_ok() && !batch[i].request->ops.empty())) continue;
        reads = batch[i].request->cursor < view.head ||
                std::any_of(results[i].begin(), results[i].end(),
                            [](const OpResult& r) { return r.outcome == Outcome::kRejected; });
    }
    std::optional<core::ReadTxn> snapshot;
    if (reads) snapshot.emplace(store_.db());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (!valid[i]) {
            out.push_back(valid[i]);
            continue;
        }
        if (!committed.is_ok() && !batch[i].request->ops.empty()) {
            out.push_back(committed);
            continue;
        }
        if (!head) {
            out.push_back(head.status());
            continue;
        }
        std::uint32_t limit =
            std::clamp<std::uint32_t>(batch[i].request->page_limit, 1, kMaxChangesPerPage);
        auto reply = pull(*batch[i].device, batch[i].request->cursor, limit, view);
        if (reply) {
            reply->results = std::move(results[i]);
            if (Status s =
                    add_refused_state(*batch[i].device, batch[i].request->ops, reply.value());
                !s)
                reply = s;
        }
        out.push_back(std::move(reply));
    }
    return out;
}

namespace {

// Whether `scope` covers an entity holding the scope keys `keys` (whatever its kind: a keyless
// entry's history holds its parent's keys, which its own kind may not have fields for).
bool covers_keys(const Scope& scope, const core::ScopeKeys& keys) {
    return scope.covers(Kind::kInfluencer, Id128{}, values_with(Kind::kInfluencer, keys));
}

}  // namespace

Result<bool> Hub::was_in_scope(const Scope& scope, const core::RowState& row) {
    const auto members = store_.component_of(row.id);
    // The keys it has now are outside the scope: was it ever seen with keys inside? Its keys'
    // clocks do not tell: a write that reaches an entry before its create makes a field-only
    // row, keyless and so in every scope, whose keys the create then brings with its own stamp
    // (invariant 9's seed 101). Its keyless past is in scope_seen (note_replaced_keys).
    for (const auto& id : members) {
        auto seen = store_.scope_keys_seen(id);
        if (!seen) return seen.status();
        for (const auto& keys : seen.value())
            if (covers_keys(scope, keys)) return true;
    }
    // A keyless entry has been wherever its parent has been since (its parent's moves give
    // it a new sequence, Hub::touch_inheriting_entries, but leave it no history of its own).
    if (scope_parent_field(row.kind) < 0 || has_scope_key(row.kind, row.values)) return false;
    auto p = scope_parent(row.kind, row.values);
    if (!p) return p.status();
    if (!p.value()) return false;
    return was_in_scope(scope, *p.value());
}

namespace {

// The default country of a person's phone number (D3): her own, else her store's; none, and a
// national number gives no digest.
std::string phone_country(core::Store& store, const core::RowState& row) {
    if (const auto* c = row.text("country")) return *c;
    const auto* at = row.text("store");
    return at ? core::store_country(store, *at) : std::string();
}

std::uint32_t digest_of_field(core::Store& store, const core::RowState& row, const char* field) {
    const int i = core::kind_def(row.kind).field_index(field);
    if (i < 0 || core::kind_def(row.kind).fields[std::size_t(i)].directory) return 0;
    const auto* text = std::get_if<std::string>(&row.values[std::size_t(i)]);
    if (!text) return 0;
    if (std::string_view(field) == "email")
        return core::contact_digest(core::normalise_email(*text));
    auto phone = core::normalise_phone(*text, phone_country(store, row));
    return phone ? core::contact_digest(*phone) : 0;
}

}  // namespace

DirectoryEntry Hub::directory_entry(const core::EntitySnapshot& full) {
    DirectoryEntry e;
    e.snapshot = core::directory_projection(full);
    // D4: the digests of what the projection leaves out (a staff member's e-mail is in the
    // directory itself).
    e.email_digest = digest_of_field(store_, full.row, "email");
    e.phone_digest = digest_of_field(store_, full.row, "phone");
    return e;
}

Result<bool> Hub::was_in_directory(const Scope& scope, const core::EntitySnapshot& snap) {
    const auto& brands = scope.directory_brands;
    if (brands.empty() || !core::has_directory(snap.row.kind)) return false;
    auto listed = [&](const std::string& b) {
        return std::find(brands.begin(), brands.end(), b) != brands.end();
    };
    // A brand she was listed under and is no longer: the removed element is still a dot.
    const int set = core::kind_def(snap.row.kind).set_index("brands");
    for (const auto& d : snap.dots)
        if (d.set == set && listed(d.elem)) return true;
    // A brand she had before (the keys recorded before each change of them); a staff member
    // with no brand was in every directory.
    for (const auto& id : store_.component_of(snap.row.id)) {
        auto seen = store_.scope_keys_seen(id);
        if (!seen) return seen.status();
        for (const auto& keys : seen.value()) {
            if (listed(keys.brand)) return true;
            if (snap.row.kind == Kind::kStaff && keys.brand.empty()) return true;
        }
    }
    return false;
}

std::optional<Id128> Hub::person_of(const core::RowState& entry) {
    const int i = core::kind_def(entry.kind).field_index("influencer");
    const auto* text = i < 0 ? nullptr : std::get_if<std::string>(&entry.values[std::size_t(i)]);
    auto pid = text ? Id128::from_text(*text) : std::nullopt;
    if (!pid) return std::nullopt;
    return store_.root_of(*pid);
}

Result<std::optional<core::EntitySnapshot>> Hub::visible_person(const Id128& id) {
    auto snap = store_.snapshot(Kind::kInfluencer, id);
    if (!snap) return snap.status();
    if (!snap.value() || !snap.value()->row.visible()) return std::optional<core::EntitySnapshot>();
    return snap;
}

Result<bool> Hub::holds_person(const Scope& scope, const core::EntitySnapshot& person) {
    if (core::in_directory(person, scope.directory_brands)) return true;
    return in_scope(scope, Kind::kInfluencer, person.row.id, person.row.values);
}

Result<bool> Hub::reaches_directory(const Scope& scope, const core::EntitySnapshot& snap,
                                    HeldPeople& held) {
    if (core::has_directory(snap.row.kind)) return core::in_directory(snap, scope.directory_brands);
    if (!core::has_marks(snap.row.kind) || !snap.row.visible()) return false;
    const auto id = person_of(snap.row);
    if (!id) return false;
    // A page of a first sync holds many entries about few people: each is looked up once.
    auto known = held.now.find(*id);
    if (known != held.now.end()) return known->second;
    auto person = visible_person(*id);
    if (!person) return person.status();
    bool holds = false;
    if (person.value()) {
        auto h = holds_person(scope, *person.value());
        if (!h) return h.status();
        holds = h.value();
    }
    held.now.emplace(*id, holds);
    return holds;
}

Result<bool> Hub::may_hold_mark(const Scope& scope, const core::RowState& entry, HeldPeople& held) {
    if (!core::has_marks(entry.kind)) return false;
    // A tombstone keeps its subject (R5), so a deleted entry still names its person.
    const auto id = person_of(entry);
    if (!id) return false;
    auto known = held.ever.find(*id);
    if (known != held.ever.end()) return known->second;
    auto person = visible_person(*id);
    if (!person) return person.status();
    bool ever = false;
    // Erased: the erased list reaches every device, and her marks with it.
    for (auto step : {0, 1, 2}) {
        if (!person.value()) break;
        Result<bool> r = step == 0   ? holds_person(scope, *person.value())
                         : step == 1 ? was_in_scope(scope, person.value()->row)
                                     : was_in_directory(scope, *person.value());
        if (!r) return r.status();
        if ((ever = r.value())) break;
    }
    held.ever.emplace(*id, ever);
    return ever;
}

Result<PushReply> Hub::pull(const DeviceContext& device, std::int64_t cursor, std::uint32_t limit,
                            const FeedView& view) {
    PushReply reply;
    reply.server_time_ms = time_.now_ms();
    reply.server_hlc = clock_.state();
    reply.scope_generation = scope_generation(device.scope);
    reply.db_generation = view.db_generation;
    reply.next_cursor = cursor;
    if (cursor >= view.head) return reply;  // nothing past the cursor in this snapshot
    auto changes = store_.changes_since(cursor, limit);
    if (!changes) return changes.status();
    HeldPeople held;
    for (const auto& c : changes.value()) {
        reply.next_cursor = c.seq;
        switch (c.type) {
            case core::Store::Change::Type::kErased:
                reply.erased.push_back(c.id);
                break;
            case core::Store::Change::Type::kAlias:
                reply.aliases.push_back({c.id, c.other});
                break;
            case core::Store::Change::Type::kEntity: {
                auto snap = store_.snapshot(c.kind, c.id);
                if (!snap) return snap.status();
                if (!snap.value()) break;
                const auto& row = snap.value()->row;
                auto covered = in_scope(device.scope, row.kind, row.id, row.values);
                if (!covered) return covered.status();
                if (covered.value()) {
                    snap.value()->seq = c.seq;
                    reply.changes.push_back(std::move(*snap.value()));
                    break;
                }
                // D2: a record of the device's brands outside its scope reaches it as its
                // directory projection (replacing a full copy the device held: a demotion);
                // D6: so does a contact about a person it holds, as its mark.
                auto listed = reaches_directory(device.scope, *snap.value(), held);
                if (!listed) return listed.status();
                if (listed.value()) {
                    snap.value()->seq = c.seq;
                    reply.directory.push_back(directory_entry(*snap.value()));
                    break;
                }
                bool evict = false;
                // A device pulling from the start holds nothing to evict (a new device, or one
                // that started again from scratch): no eviction, and no lookups for it.
                for (auto step : {0, 1, 2}) {
                    if (cursor == 0) break;
                    Result<bool> r = step == 0   ? was_in_scope(device.scope, row)
                                     : step == 1 ? was_in_directory(device.scope, *snap.value())
                                                 : may_hold_mark(device.scope, row, held);
                    if (!r) return r.status();
                    if ((evict = r.value())) break;
                }
                if (evict) reply.evictions.push_back(c.id);
                break;
            }
        }
    }
    reply.has_more = changes.value().size() >= limit;
    return reply;
}

Status Hub::add_refused_state(const DeviceContext& device, const std::vector<Op>& ops,
                              PushReply& reply) {
    std::vector<Id128> named;
    for (std::size_t i = 0; i < reply.results.size() && i < ops.size(); ++i) {
        const auto& r = reply.results[i];
        if (r.outcome != Outcome::kRejected || r.code == Code::kClockAhead) continue;
        // A refused merge or erase is undone on the device by re-pulling everything
        // (Replica::apply_reply): the hub names no entity for it.
        if (ops[i].type == OpType::kMerge || ops[i].type == OpType::kErase) continue;
        const Id128 id =
            core::kind_def(ops[i].kind).mergeable ? store_.root_of(ops[i].entity) : ops[i].entity;
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
        bool covered = false;
        if (found) {
            auto in = in_scope(device.scope, found->row.kind, found->row.id, found->row.values);
            if (!in) return in.status();
            covered = in.value();
            // D5: a directory record the device changed is answered with its projection.
            if (!covered) {
                HeldPeople held;
                auto listed = reaches_directory(device.scope, *found, held);
                if (!listed) return listed.status();
                if (listed.value()) {
                    reply.directory.push_back(directory_entry(*found));
                    continue;
                }
            }
        }
        if (covered)
            reply.refreshed.push_back(std::move(*found));
        else
            reply.absent.push_back(id);
    }
    return Status::ok();
}

}  // namespace liaison::sync
