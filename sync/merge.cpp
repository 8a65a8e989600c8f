#include "sync/merge.hpp"

#include <algorithm>
#include <set>

#include "core/model/validate.hpp"
#include "core/storage/evidence.hpp"
#include "core/storage/history.hpp"
#include "sync/codec.hpp"

namespace liaison::sync {
namespace {

using core::FieldDef;
using core::KindClass;
using core::KindDef;
using core::RowState;

bool greater(const std::optional<Stamp>& a, const std::optional<Stamp>& b) {
    if (!a) return false;
    if (!b) return true;
    return *a > *b;
}

std::optional<Stamp> min_stamp(const std::optional<Stamp>& a, const std::optional<Stamp>& b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

std::optional<Id128> ref_id(const Value& v) {
    if (auto s = std::get_if<std::string>(&v)) return Id128::from_text(*s);
    return std::nullopt;
}

// R12: an anonymised entry's subject carries the top stamp.
bool is_anonymised(const RowState& row) {
    const auto& k = core::kind_def(row.kind);
    for (std::size_t i = 0; i < k.fields.size() && i < row.clocks.size(); ++i)
        if (k.fields[i].subject && row.clocks[i] && row.clocks[i]->is_top()) return true;
    return false;
}

// "a" or "an" before a kind's name, for messages ("is an event, not a store").
const char* article(const std::string& word) {
    return !word.empty() && std::string_view("aeiou").find(word[0]) != std::string_view::npos ? "an"
                                                                                              : "a";
}

}  // namespace

const char* op_type_name(OpType t) {
    switch (t) {
        case OpType::kCreate:
            return "create";
        case OpType::kSet:
            return "set";
        case OpType::kAdd:
            return "add";
        case OpType::kRemove:
            return "remove";
        case OpType::kDelete:
            return "delete";
        case OpType::kMerge:
            return "merge";
        case OpType::kErase:
            return "erase";
    }
    return "unknown";
}

const char* outcome_name(Outcome o) {
    switch (o) {
        case Outcome::kApplied:
            return "accepted";
        case Outcome::kDuplicate:
            return "duplicate";
        case Outcome::kErased:
            return "erased";
        case Outcome::kRejected:
            return "rejected";
    }
    return "rejected";
}

Result<Op> remove_op(core::Store& store, Kind kind, const Id128& entity, int set,
                     std::string elem) {
    const auto& k = core::kind_def(kind);
    const auto& def = k.sets[std::size_t(set)];
    Op op = elem_op(OpType::kRemove, kind, entity, def.name,
                    core::normalize_elem(def, std::move(elem)));
    auto dots = store.load_dots(k.mergeable ? store.root_of(entity) : entity);
    if (!dots) return dots.status();
    for (const auto& d : dots.value())
        if (d.set == set && d.elem == op.elem && !d.removed) op.observed.push_back(d.dot);
    if (op.observed.empty())
        return Status::not_found(def.name + ": '" + op.elem.substr(0, 80) + "' is not in the set");
    return op;
}

Status validate_op(Op& op) {
    if (static_cast<int>(op.kind) >= core::kKindCount)
        return {Code::kUnknownKind, "kind " + std::to_string(int(op.kind))};
    const KindDef& k = core::kind_def(op.kind);
    if (op.entity.is_nil()) return Status::invalid("entity: an id is required");
    if (op.id.replica.is_nil() || op.id.hlc == 0)
        return Status::invalid("the operation has no stamp");
    switch (op.type) {
        case OpType::kCreate: {
            std::vector<Value> values(k.fields.size());
            std::vector<bool> seen(k.fields.size(), false);
            for (auto& w : op.fields) {
                int i = k.field_index(w.field);
                if (i < 0) return {Code::kUnknownField, k.name + "." + w.field};
                if (seen[std::size_t(i)]) return Status::invalid(w.field + ": given twice");
                seen[std::size_t(i)] = true;
                w.value = core::normalize_field(k.fields[std::size_t(i)], std::move(w.value));
                values[std::size_t(i)] = w.value;
            }
            return core::validate_record(k, values);
        }
        case OpType::kSet: {
            if (op.fields.empty()) return Status::invalid("set: no field given");
            for (auto& w : op.fields) {
                int i = k.field_index(w.field);
                if (i < 0) return {Code::kUnknownField, k.name + "." + w.field};
                const FieldDef& f = k.fields[std::size_t(i)];
                if (f.subject)
                    return Status::invalid(w.field +
                                           ": the subject of a record cannot change; "
                                           "delete the entry and create it again");
                w.value = core::normalize_field(f, std::move(w.value));
                if (f.required && core::is_null(w.value))
                    return {Code::kRequired, w.field + ": required"};
                LIAISON_TRY(core::validate_field(f, w.value));
            }
            return Status::ok();
        }
        case OpType::kAdd:
        case OpType::kRemove: {
            int i = k.set_index(op.set);
            if (i < 0) return {Code::kUnknownField, k.name + "." + op.set};
            op.elem = core::normalize_elem(k.sets[std::size_t(i)], std::move(op.elem));
            LIAISON_TRY(core::validate_elem(k.sets[std::size_t(i)], op.elem));
            if (op.type == OpType::kRemove && op.observed.empty())
                return Status::invalid(op.set + ": a remove must name the additions it removes");
            if (op.observed.size() > 1000) return {Code::kTooLarge, op.set + ": too many dots"};
            return Status::ok();
        }
        case OpType::kDelete:
            if (k.cls != KindClass::kLog)
                return Status::invalid(k.name + ": only log entries can be deleted");
            return Status::ok();
        case OpType::kMerge:
            if (!k.mergeable)
                return Status::invalid(k.name + ": records of this kind cannot be merged");
            if (op.target.is_nil() || op.target == op.entity)
                return Status::invalid("merge: the target must be another record");
            return Status::ok();
        case OpType::kErase:
            // People are erased on request (central team); other records only as the
            // consequence of such an erase (the hub's policy, hub.cpp).
            return Status::ok();
    }
    return Status::invalid("unknown operation type");
}

RowState join_rows(const RowState& a, const RowState& b) {
    RowState out = a;
    out.created = min_stamp(a.created, b.created);
    out.deleted = min_stamp(a.deleted, b.deleted);
    for (std::size_t i = 0; i < out.values.size(); ++i) {
        if (greater(b.clocks[i], a.clocks[i])) {
            out.values[i] = b.values[i];
            out.clocks[i] = b.clocks[i];
        }
    }
    if (out.deleted) {
        const auto& k = core::kind_def(out.kind);
        for (std::size_t i = 0; i < out.values.size(); ++i)
            if (!k.fields[i].subject) {
                out.values[i] = Value{};
                out.clocks[i] = std::nullopt;
            }
    }
    return out;
}

bool MergeEngine::names_erased_subject(Kind kind, const std::vector<Value>& values) const {
    const auto& k = core::kind_def(kind);
    for (std::size_t i = 0; i < k.fields.size() && i < values.size(); ++i) {
        if (!k.fields[i].subject) continue;
        if (auto id = ref_id(values[i]); id && store_.is_erased(*id)) return true;
    }
    return false;
}

Status MergeEngine::join_into_store(RowState incoming, const std::vector<core::DotRow>& dots,
                                    const std::vector<std::pair<int, Id128>>& alt) {
    const auto& k = core::kind_def(incoming.kind);
    auto existing = store_.load_row(incoming.kind, incoming.id);
    if (!existing) return existing.status();
    RowState joined = existing.value() ? join_rows(*existing.value(), incoming) : incoming;

    // R8: every subject ever named, other than the winner, is kept as an alternate subject.
    for (std::size_t i = 0; i < k.fields.size(); ++i) {
        if (!k.fields[i].subject) continue;
        std::set<Id128> named;
        auto note = [&](const Value& v) {
            if (auto id = ref_id(v)) named.insert(*id);
        };
        note(incoming.values[i]);
        if (existing.value()) note((*existing.value()).values[i]);
        for (const auto& [f, s] : alt)
            if (std::size_t(f) == i) named.insert(s);
        auto winner = ref_id(joined.values[i]);
        for (const auto& s : named)
            if (!winner || s != *winner) LIAISON_TRY(store_.add_subject_alt(joined.id, int(i), s));
        if (winner) LIAISON_TRY(store_.remove_subject_alt(joined.id, int(i), *winner));
    }
    LIAISON_TRY(store_.write_row(joined));
    if (joined.deleted) {
        LIAISON_TRY(store_.delete_dots(joined.id));
    } else {
        for (const auto& d : dots) {
            auto r = d.removed ? store_.remove_dot(joined.id, d.set, d.elem, d.dot)
                               : store_.add_dot(joined.id, d.set, d.elem, d.dot);
            if (!r) return r.status();
        }
    }
    if (k.has_searchable()) LIAISON_TRY(store_.reindex(joined.kind, joined.id));
    return Status::ok();
}

Result<ApplyResult> MergeEngine::apply(const Op& op) {
    const KindDef& k = core::kind_def(op.kind);

    if (op.type == OpType::kErase) {
        if (store_.is_erased(op.entity)) return ApplyResult{Outcome::kDuplicate, {}};
        LIAISON_TRY(erase(op.entity, op.kind));
        return ApplyResult{Outcome::kApplied, {}};
    }
    // R7: erasure dominates whatever the operation's stamp. A merge touching an erased
    // person erases the other side too, whichever side it names first.
    if (op.type == OpType::kMerge && (store_.is_erased(op.entity) || store_.is_erased(op.target))) {
        LIAISON_TRY(apply_alias(op.entity, op.target));
        return ApplyResult{Outcome::kErased, {}};
    }
    if (store_.is_erased(op.entity)) return ApplyResult{Outcome::kErased, {}};
    std::vector<Value> create_values;
    bool anonymise = false;
    if (op.type == OpType::kCreate) {
        create_values.assign(k.fields.size(), Value{});
        for (const auto& w : op.fields)
            create_values[std::size_t(k.field_index(w.field))] = w.value;
        if (names_erased_subject(op.kind, create_values)) {
            // R12: an entry the law keeps is made, then anonymised below.
            if (!k.anonymised_on_erase()) {
                LIAISON_TRY(erase(op.entity, op.kind));
                return ApplyResult{Outcome::kErased, {}};
            }
            anonymise = true;
        }
    }

    // R1: the op log is keyed by (entity as named by the op, stamp).
    std::uint64_t touched = 0;
    for (const auto& w : op.fields) touched |= std::uint64_t(1) << (k.field_index(w.field) & 63);
    if (!op.set.empty()) touched |= std::uint64_t(1) << (k.set_index(op.set) & 63);
    // R6: operations on an alias apply to the survivor.
    const Id128 eid = k.mergeable ? store_.root_of(op.entity) : op.entity;
    bool reindex = false;
    bool made_row = false;  // a create that made the row: it holds the create's values alone
    if (op.type == OpType::kCreate) {
        // Its row is inserted with its log entry (one statement on PostgreSQL).
        auto logged = store_.log_create(op.kind, op.entity, eid, op.id, op.actor, int(op.type),
                                        touched, create_values);
        if (!logged) return logged.status();
        if (!logged->fresh) return ApplyResult{Outcome::kDuplicate, {}};
        made_row = logged->inserted;
    } else {
        auto fresh = store_.log_op(op.entity, op.id, op.actor, int(op.type), touched);
        if (!fresh) return fresh.status();
        if (!fresh.value()) return ApplyResult{Outcome::kDuplicate, {}};
    }

    switch (op.type) {
        case OpType::kCreate: {
            // What the history needs to know: which named fields a later write already holds
            // (read before the join replaces them).
            std::vector<bool> lost(k.fields.size(), false);
            const bool history = history_ && core::keeps_history(op.kind);
            if (!made_row && history) {
                auto before = store_.load_row(op.kind, eid);
                if (!before) return before.status();
                if (before.value())
                    for (std::size_t i = 0; i < k.fields.size(); ++i)
                        lost[i] = before.value()->clocks[i] && *before.value()->clocks[i] > op.id;
            }
            if (history) LIAISON_TRY(record_fields(op, lost));
            if (!made_row) {
                RowState in = RowState::empty(op.kind, eid);
                in.created = op.id;
                in.values = create_values;
                for (std::size_t i = 0; i < k.fields.size(); ++i)
                    if (!core::is_null(create_values[i]))
                        in.clocks[i] = op.id;  // R2: named fields only
                LIAISON_TRY(join_into_store(std::move(in), {}, {}));
            } else {
                reindex = k.has_searchable();
            }
            break;
        }
        case OpType::kSet: {
            std::vector<bool> lost(k.fields.size(), false);
            for (const auto& w : op.fields) {
                int i = k.field_index(w.field);
                auto r = store_.lww_update(op.kind, eid, i, w.value, op.id);
                if (!r) return r.status();
                if (r.value() == core::LwwOutcome::kAbsent)
                    LIAISON_TRY(store_.insert_field_only(op.kind, eid, i, w.value, op.id));
                if (r.value() != core::LwwOutcome::kLost && k.fields[std::size_t(i)].searchable)
                    reindex = true;
                lost[std::size_t(i)] = r.value() == core::LwwOutcome::kLost;
            }
            if (history_ && core::keeps_history(op.kind)) LIAISON_TRY(record_fields(op, lost));
            break;
        }
        case OpType::kAdd:
        case OpType::kRemove: {
            int si = k.set_index(op.set);
            if (history_ && core::keeps_history(op.kind))
                LIAISON_TRY(core::record_history(
                    store_, core::HistoryValue{op.entity, op.id, -1 - si, op.elem, false}));
            if (k.cls == KindClass::kLog) {
                auto row = store_.load_row(op.kind, eid);
                if (!row) return row.status();
                if (row.value() && row.value()->deleted) break;  // R5: the tombstone wins
            }
            bool changed = false;
            if (op.type == OpType::kAdd) {
                auto r = store_.add_dot(eid, si, op.elem, op.id);
                if (!r) return r.status();
                changed = r.value();
            } else {
                for (const auto& dot : op.observed) {
                    auto r = store_.remove_dot(eid, si, op.elem, dot);
                    if (!r) return r.status();
                    changed = changed || r.value();
                }
            }
            if (changed) {
                // The entity's row takes a new seq (made empty if its create is late).
                LIAISON_TRY(store_.touch_row(op.kind, eid));
                reindex = k.sets[std::size_t(si)].searchable;
            }
            break;
        }
        case OpType::kDelete: {
            RowState in = RowState::empty(op.kind, eid);
            in.deleted = op.id;
            LIAISON_TRY(join_into_store(std::move(in), {}, {}));
            break;
        }
        case OpType::kMerge: {
            Id128 ra = store_.root_of(op.entity), rb = store_.root_of(op.target);
            auto added = store_.add_alias_edge(op.entity, op.target);
            if (!added) return added.status();
            if (ra != rb) LIAISON_TRY(fold(std::min(ra, rb), std::max(ra, rb)));
            break;
        }
        case OpType::kErase:
            break;  // handled above
    }
    // R12: whatever reaches an anonymised entry (or makes one) keeps only what the rule keeps —
    // the top stamp already wins over every field write (R2); sets, alternate subjects and
    // a delete are settled here.
    if (k.anonymised_on_erase() && op.type != OpType::kMerge) {
        // A row this create has just made is stamped by it alone, and no stamp a device sends is
        // the top one: it is anonymised only if the create named an erased subject. Any other
        // row is read (a round trip on PostgreSQL, saved on every new contact).
        bool anonymised = made_row && !op.id.is_top() && anonymise;
        if (!made_row || op.id.is_top()) {
            auto row = store_.load_row(op.kind, eid);
            if (!row) return row.status();
            anonymised = row.value() && (anonymise || is_anonymised(*row.value()));
        }
        if (anonymised) LIAISON_TRY(anonymise_one(op.kind, eid));
    }
    if (reindex) LIAISON_TRY(store_.reindex(op.kind, eid));
    return ApplyResult{Outcome::kApplied, {}};
}

Status MergeEngine::enable_history() {
    LIAISON_TRY(core::ensure_history_schema(store_));
    history_ = purge_history_ = true;
    return Status::ok();
}

Status MergeEngine::record_fields(const Op& op, const std::vector<bool>& lost) {
    // Keyed by the entity as the operation named it, like the op log: a merged person's
    // history is read over her whole duplicate component (R6).
    const KindDef& k = core::kind_def(op.kind);
    std::vector<core::PackedField> fields;
    fields.reserve(op.fields.size());
    for (const auto& w : op.fields) {
        const int i = k.field_index(w.field);
        fields.push_back({i, w.value, lost[std::size_t(i)]});
    }
    return core::record_history_fields(store_, op.entity, op.id, fields);
}

template <class Fn>
void MergeEngine::for_each_reference(const Op& op, Fn&& fn) {
    const KindDef& k = core::kind_def(op.kind);
    if (op.type == OpType::kCreate || op.type == OpType::kSet) {
        for (const auto& w : op.fields) {
            const int i = k.field_index(w.field);
            if (i < 0 || k.fields[std::size_t(i)].type != core::FieldType::kRef) continue;
            if (const auto* text = std::get_if<std::string>(&w.value))
                fn(w.field, k.fields[std::size_t(i)].ref_kind, *text);
        }
    }
    if (op.type == OpType::kAdd) {
        const int i = k.set_index(op.set);
        if (i >= 0 && k.sets[std::size_t(i)].elem == core::ElemType::kRef)
            fn(op.set, k.sets[std::size_t(i)].ref_kind, op.elem);
    }
}

Status MergeEngine::check_kind(const Op& op, bool* entity_new) {
    if (entity_new) *entity_new = false;
    // An erasure of an erased id is a duplicate whatever kind it names (R1, R7). One naming a
    // record of another kind is refused like any operation: authorisation goes by the kind
    // named (hub.cpp), so a bare erase of "an interaction" that is a person would erase her.
    if (op.type == OpType::kErase)
        return store_.is_erased(op.entity) ? Status::ok()
                                           : check_kind_of(op.kind, op.entity, "the entity");
    LIAISON_TRY(check_kind_of(op.kind, op.entity, "the entity", entity_new));
    if (op.type == OpType::kMerge)
        LIAISON_TRY(check_kind_of(op.kind, op.target, "the merge target"));
    // References name their target kind (R11): an id known to be of another kind is refused,
    // naming the field; an id not known yet may be a record made offline elsewhere.
    Status refused;
    for_each_reference(op, [&](std::string_view field, Kind target, const std::string& text) {
        if (refused) refused = check_reference(field, target, text);
    });
    return refused;
}

Status MergeEngine::read_kinds_ahead(const std::vector<const Op*>& ops) {
    std::vector<std::pair<Id128, Kind>> ids;
    for (const Op* op : ops) {
        ids.emplace_back(op->entity, op->kind);
        if (op->type == OpType::kMerge) ids.emplace_back(op->target, Kind::kInfluencer);
        for_each_reference(*op, [&](std::string_view, Kind target, const std::string& text) {
            if (auto id = Id128::from_text(text)) ids.emplace_back(*id, target);
        });
    }
    return store_.read_kinds_ahead(ids);
}

Result<std::optional<MergeEngine::KnownKind>> MergeEngine::known_kind(const Id128& id,
                                                                      Kind expected) {
    // A member of a duplicate component is a person, with or without a row of its own (an
    // alias has none; nor has a survivor whose create has not arrived yet).
    if (store_.has_alias(id))
        return std::optional<KnownKind>(
            KnownKind{Kind::kInfluencer, store_.root_of(id) != id ? " (merged)" : ""});
    auto held = store_.kind_holding(id, expected);
    if (!held) return held.status();
    if (held.value()) return std::optional<KnownKind>(KnownKind{*held.value(), ""});
    // R7 keeps no row of an erased id, only its marker and the kind noted with it.
    if (store_.is_erased(id)) {
        auto was = store_.erased_kind(id);
        if (!was) return was.status();
        if (was.value()) return std::optional<KnownKind>(KnownKind{*was.value(), " (erased)"});
    }
    return std::optional<KnownKind>();
}

Status MergeEngine::check_reference(std::string_view field, Kind target, const std::string& text) {
    auto id = core::Id128::from_text(text);
    if (!id) return Status::ok();  // validation's business (validate_op normalised it already)
    auto held = known_kind(*id, target);
    if (!held) return held.status();
    if (!held.value() || held.value()->kind == target) return Status::ok();
    const std::string actual = core::kind_name(held.value()->kind),
                      wanted = core::kind_name(target);
    return Status::invalid(std::string(field) + ": " + text + " is " + article(actual) + " " +
                           actual + ", not " + article(wanted) + " " + wanted);
}

Status MergeEngine::check_kind_of(Kind kind, const Id128& id, const char* role, bool* unknown) {
    auto held = known_kind(id, kind);
    if (!held) return held.status();
    if (unknown) *unknown = !held.value();
    if (!held.value() || held.value()->kind == kind) return Status::ok();
    return {Code::kConflict, std::string(role) + " " + id.to_text() + " is of kind " +
                                 core::kind_name(held.value()->kind) + held.value()->how +
                                 ", not " + core::kind_name(kind)};
}

Status MergeEngine::fold(const Id128& survivor, const Id128& alias) {
    const Kind kind = Kind::kInfluencer;  // the only mergeable kind
    auto row = store_.load_row(kind, alias);
    if (!row) return row.status();
    auto dots = store_.load_dots(alias);
    if (!dots) return dots.status();
    if (row.value()) {
        RowState in = *row.value();
        in.id = survivor;
        LIAISON_TRY(join_into_store(std::move(in), dots.value(), {}));
    } else if (!dots.value().empty()) {
        auto existing = store_.load_row(kind, survivor);
        if (!existing) return existing.status();
        RowState base = existing.value() ? *existing.value() : RowState::empty(kind, survivor);
        LIAISON_TRY(join_into_store(std::move(base), dots.value(), {}));
    }
    LIAISON_TRY(store_.delete_row(kind, alias));
    LIAISON_TRY(store_.delete_dots(alias));
    return Status::ok();
}

Status MergeEngine::erase(const Id128& id, std::optional<Kind> kind) {
    // R7 reaches the history of values too, wherever the file has it — a restored server file
    // is erased again by an engine that does not record (server/admin/restore.cpp).
    purge_history_ = purge_history_ || core::has_history_schema(store_);
    // R7: the whole duplicate component goes.
    for (const auto& member : store_.component_of(id)) LIAISON_TRY(erase_one(member, kind));
    for (const auto& k : core::all_kinds())
        if (k.personal) LIAISON_TRY(store_.scrub_search_index(k.kind));
    return Status::ok();
}

Status MergeEngine::erase_one(const Id128& id, std::optional<Kind> kind) {
    if (store_.is_erased(id)) return Status::ok();
    // Find the row: its kind is known for people; for cascaded entries try each kind.
    std::optional<Kind> found = kind;
    for (const auto& k : core::all_kinds()) {
        if (kind && k.kind != *kind) continue;
        auto row = store_.load_row(k.kind, id);
        if (!row) return row.status();
        if (row.value()) {
            LIAISON_TRY(store_.delete_row(k.kind, id));
            found = k.kind;
            break;
        }
    }
    // The kind goes with the marker: R11 refuses later operations naming the id as another.
    LIAISON_TRY(store_.mark_erased(id, found));
    LIAISON_TRY(store_.delete_dots(id));
    LIAISON_TRY(store_.purge_ops(id));
    if (purge_history_) LIAISON_TRY(core::purge_history(store_, id));
    // The server's evidence files on this record go with it (core/storage/evidence.hpp).
    if (purge_history_) LIAISON_TRY(core::purge_evidence(store_, id));
    // Merge and erase operations carry no personal data (bare ids) and stay queued: the server
    // must learn the edge or the erasure.
    auto unsent = store_.outbox_purge(id, int(OpType::kMerge), int(OpType::kErase));
    if (!unsent) return unsent.status();
    if (unsent.value() > 0 && found) unsent_erasures_.emplace_back(*found, id);
    auto alt = store_.load_subject_alt(id);
    if (!alt) return alt.status();
    for (const auto& [f, s] : alt.value()) LIAISON_TRY(store_.remove_subject_alt(id, f, s));

    // Cascade: every entity about this person (R7), including by an alternate subject (R8).
    const std::string text = id.to_text();
    for (const auto& k : core::all_kinds()) {
        for (std::size_t i = 0; i < k.fields.size(); ++i) {
            if (!k.fields[i].subject) continue;
            auto ids = store_.ids_where(k.kind, int(i), text);
            if (!ids) return ids.status();
            for (const auto& dep : ids.value()) LIAISON_TRY(erase_or_anonymise(dep, k.kind));
        }
    }
    auto alts = store_.ids_with_subject_alt(id);
    if (!alts) return alts.status();
    for (const auto& dep : alts.value()) LIAISON_TRY(erase_or_anonymise(dep, std::nullopt));
    // An erased person's aliases go too (merge edges are kept: bare ids, no personal data).
    for (const auto& member : store_.component_of(id))
        if (member != id) LIAISON_TRY(erase_one(member, kind));
    return Status::ok();
}

Status MergeEngine::erase_or_anonymise(const Id128& id, std::optional<Kind> kind) {
    if (store_.is_erased(id)) return Status::ok();
    if (!kind) {  // reached by an alternate subject: find its kind among those R12 keeps
        for (const auto& k : core::all_kinds()) {
            if (!k.anonymised_on_erase()) continue;
            auto held = store_.has_row(k.kind, id);
            if (!held) return held.status();
            if (held.value()) return anonymise_one(k.kind, id);
        }
        return erase_one(id, std::nullopt);
    }
    return core::kind_def(*kind).anonymised_on_erase() ? anonymise_one(*kind, id)
                                                       : erase_one(id, kind);
}

Status MergeEngine::anonymise_one(Kind kind, const Id128& id) {
    auto row = store_.load_row(kind, id);
    if (!row) return row.status();
    if (!row.value()) return Status::ok();
    // A deleted entry is no record to keep: it goes (R7), whichever of its delete and its
    // person's erasure arrived first.
    if (row.value()->deleted) return erase_one(id, kind);
    const auto& k = core::kind_def(kind);
    RowState r = *row.value();
    bool changed = false;
    for (std::size_t i = 0; i < k.fields.size(); ++i) {
        if (k.fields[i].kept || (r.clocks[i] && r.clocks[i]->is_top())) continue;
        changed = changed || !core::is_null(r.values[i]);
        r.values[i] = Value{};
        r.clocks[i] = core::Stamp::top();  // no write, earlier or later, wins over it (R2)
    }
    if (!is_anonymised(*row.value()) || changed) {
        LIAISON_TRY(store_.write_row(r));
        store_.note_scrub_due();
    }
    for (std::size_t si = 0; si < k.sets.size(); ++si)
        if (!k.sets[si].kept) LIAISON_TRY(store_.delete_set_dots(id, int(si)));
    auto alt = store_.load_subject_alt(id);
    if (!alt) return alt.status();
    for (const auto& [f, s] : alt.value()) LIAISON_TRY(store_.remove_subject_alt(id, f, s));
    LIAISON_TRY(strip_outbox(kind, id));
    if (k.has_searchable()) LIAISON_TRY(store_.reindex(kind, id));
    return Status::ok();
}

Status MergeEngine::settle_outbox(Kind kind, const Id128& id) {
    if (!core::kind_def(kind).anonymised_on_erase()) return Status::ok();
    auto row = store_.load_row(kind, id);
    if (!row) return row.status();
    if (!row.value() || !is_anonymised(*row.value())) return Status::ok();
    return strip_outbox(kind, id);
}

Status MergeEngine::strip_outbox(Kind kind, const Id128& id) {
    // The unsent operations still go (the hub must learn what is kept), without what is not:
    // a create keeps its subject, a bare id the erased list names anyway, so the hub
    // anonymises it in turn whichever of it and the erasure reaches it first.
    const auto& k = core::kind_def(kind);
    auto rows = store_.outbox_of(id);
    if (!rows) return rows.status();
    for (const auto& row : rows.value()) {
        auto op = decode_op(row.body);
        if (!op) return op.status();
        Op o = std::move(op.value());
        bool keep = true;
        if (o.type == OpType::kCreate || o.type == OpType::kSet) {
            const auto before = o.fields.size();
            std::erase_if(o.fields, [&](const FieldWrite& w) {
                const int i = k.field_index(w.field);
                return i < 0 ||
                       !(k.fields[std::size_t(i)].kept || k.fields[std::size_t(i)].subject);
            });
            if (o.fields.size() == before) continue;
            keep = o.type == OpType::kCreate || !o.fields.empty();
        } else if (o.type == OpType::kAdd || o.type == OpType::kRemove) {
            const int si = k.set_index(o.set);
            keep = si >= 0 && k.sets[std::size_t(si)].kept;
            if (keep) continue;
        } else {
            continue;  // a delete, a merge or an erase carries no value
        }
        if (keep)
            LIAISON_TRY(store_.outbox_rewrite(row.n, encode_op(o)));
        else
            LIAISON_TRY(store_.outbox_remove(row.stamp));
    }
    return Status::ok();
}

Result<Outcome> MergeEngine::apply_snapshot(const core::EntitySnapshot& snap) {
    const auto& k = core::kind_def(snap.row.kind);
    if (store_.is_erased(snap.row.id)) return Outcome::kErased;
    bool erased_subject = names_erased_subject(snap.row.kind, snap.row.values);
    for (const auto& [f, s] : snap.subject_alt)
        erased_subject = erased_subject || store_.is_erased(s);
    if (erased_subject && !k.anonymised_on_erase()) {
        LIAISON_TRY(erase(snap.row.id, snap.row.kind));
        return Outcome::kErased;
    }
    core::RowState row = snap.row;
    if (k.mergeable) row.id = store_.root_of(row.id);
    const Id128 id = row.id;
    LIAISON_TRY(join_into_store(std::move(row), snap.dots, snap.subject_alt));
    if (k.anonymised_on_erase()) {  // R12, as in apply()
        auto joined = store_.load_row(snap.row.kind, id);
        if (!joined) return joined.status();
        if (joined.value() && (erased_subject || is_anonymised(*joined.value())))
            LIAISON_TRY(anonymise_one(snap.row.kind, id));
    }
    return Outcome::kApplied;
}

Status MergeEngine::apply_alias(const Id128& a, const Id128& b) {
    if (store_.is_erased(a) || store_.is_erased(b)) {
        // The edge is kept (bare ids); the union of both components is erased.
        LIAISON_TRY(store_.add_alias_edge(a, b).status());
        return erase(a, Kind::kInfluencer);
    }
    Id128 ra = store_.root_of(a), rb = store_.root_of(b);
    auto added = store_.add_alias_edge(a, b);
    if (!added) return added.status();
    if (ra != rb) LIAISON_TRY(fold(std::min(ra, rb), std::max(ra, rb)));
    return Status::ok();
}

}  // namespace liaison::sync
