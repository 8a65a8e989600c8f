// The merge engine: applies operations and snapshots to a Store so that replicas which have
// received the same operations hold the same state, whatever the order, duplicates included.
//
// Merge rules (docs/SYNC.md gives the argument for each; property tests cite the numbers):
//  R1  Identity. An operation's id is its Stamp (HLC, replica). An operation already in the
//      op log is a duplicate and changes nothing.
//  R2  Fields are LWW registers: a write applies iff its stamp is greater than the field's
//      clock. A create writes the fields it names with its stamp; the others stay unwritten
//      (no clock), so joining two duplicate records keeps the fields each one had.
//  R3  Create is insert-if-absent by id; a second create of the same id (deterministic
//      check-in ids) joins field by field (R2); the row's create stamp is the smallest seen.
//  R4  Sets are add-wins: an add's dot is its stamp; a remove marks the dots its author had
//      observed as removed (inserting unseen ones as removed), so a concurrent add survives.
//      Any delivery order gives the same dots.
//  R5  Logs (interactions, check-ins, collaborations, content, clicks) may be deleted: the
//      tombstone (smallest delete stamp) wins over every edit, earlier or later; it keeps
//      only the id, the create stamp and the subject.
//  R6  Duplicate merge: merge(A, B) records the edge A-B; the survivor of a component is its
//      smallest id, whatever the direction or order of edges; operations on an alias apply to
//      the survivor; the alias's state is joined into it (R2-R4), so nothing is lost.
//  R7  Erase dominates: erasing X erases X's whole duplicate component and every entity whose
//      subject is one of them; their rows, dots, logged and outbox operations are purged and
//      only the bare ids are kept as erased. Any operation or snapshot on an erased id, naming
//      an erased subject, or merging with an erased id is dropped (and erases what it touches).
//  R8  Subjects are immutable after create (set on a subject field is rejected). If two
//      creates of one id name different subjects, every subject named is remembered
//      (subject_alt) so that R7 reaches the entry whichever create arrived first.
//  R9  Clocks: stamps come from an HLC (hlc.hpp); the server refuses operations stamped more
//      than kMaxFutureMs ahead of its own time.
//  R10 Validation is deterministic: an operation the schema rejects is rejected everywhere.
//  R11 An entity id names one kind: the hub, and a replica for its own changes, refuse an
//      operation naming an id held by another kind (a row, a merged person, or an erased id
//      whose kind was noted), or whose reference fields name an id held by another kind than
//      the field's target (check_kind).
//  R12 Kept records are anonymised: an entry about an erased person of a kind with fields
//      marked `kept` (collaborations, conversions, data-subject requests: schema.cpp) is not
//      erased; its subject and every field not kept become null with the top stamp (so no
//      write, earlier or later, wins: R2), the sets not kept lose their dots, its alternate
//      subjects go, and its unsent operations lose what is not kept. A deleted one is erased.
//
// Requires: every call happens inside a core::WriteTxn on the store.
// Thread-safety: as the Store.
#pragma once

#include <string>
#include <string_view>

#include "core/storage/store.hpp"
#include "core/util/status.hpp"
#include "sync/op.hpp"

namespace liaison::sync {

enum class Outcome : std::uint8_t {
    kApplied = 0,    // the operation is part of the state now
    kDuplicate = 1,  // seen before (R1): nothing changed
    kErased = 2,     // touches an erased entity (R7): dropped
    kRejected = 3,   // invalid (R10) or refused: see status
};
const char* outcome_name(Outcome o);

struct ApplyResult {
    Outcome outcome = Outcome::kApplied;
    Status status;  // detail when rejected
};

// Checks an operation against the record model (R8, R10); normalises values in place.
Status validate_op(Op& op);

// R4 on the remover's side: the remove of `elem` (normalised as the set's elements are) from
// set `set` (index in kind_def(kind).sets) of `entity`, naming every live dot this store has
// observed for it, on the entity's survivor for a mergeable kind (R6). kNotFound when the
// element is not in the set (the message quotes at most 80 bytes of it). The one place a
// remove is made: a replica's local write and the server's REST route both call it.
// Returns an unstamped operation (see unstamped_op).
Result<Op> remove_op(core::Store& store, Kind kind, const Id128& entity, int set, std::string elem);

class MergeEngine {
public:
    explicit MergeEngine(core::Store& store) : store_(store) {}

    // Applies one operation and records it in the op log (an audit record, not a copy).
    // Requires: validate_op(op) succeeded (apply re-checks nothing but erasure and identity).
    Result<ApplyResult> apply(const Op& op);
    // Joins a snapshot of an entity (sync pulls) into the store.
    Result<Outcome> apply_snapshot(const core::EntitySnapshot& snap);
    // Records an alias edge (sync pulls).
    Status apply_alias(const Id128& a, const Id128& b);
    // R11: an entity id names one kind. Refuses (kConflict) an operation naming an id that holds
    // a record of another kind, or a merge whose target does — an erased id too, when the
    // kind it was erased as is known (Store::erased_kind); an erasure of an already erased id
    // passes (a duplicate). Called where an operation is admitted once for everyone —
    // the hub, and a replica's own changes — never on operations the hub already admitted.
    // It also refuses (kInvalidArgument, naming the field) a reference field or reference-set
    // element whose id is known to be of another kind than the field's target (schema.hpp
    // ref_kind): "region: 01AB… is a store, not a region". An id not known yet is accepted.
    // With `entity_new`, also tells whether nothing here knows the entity (no row, duplicate
    // component or erasure: a record never seen), so that the caller need not read its row.
    Status check_kind(const Op& op, bool* entity_new = nullptr);
    // Reads ahead, in one statement, the kinds check_kind will look up for these operations
    // (Store::read_kinds_ahead: PostgreSQL only). Requires: inside a WriteTxn.
    Status read_kinds_ahead(const std::vector<const Op*>& ops);
    // Erases the entity (and, per R7, what depends on it). `kind` is the entity's kind if known.
    Status erase(const Id128& id, std::optional<Kind> kind);
    // The central record's history of values (core/storage/history.hpp): from now on, each
    // applied create, set, add or remove on a profile kind also records the values it wrote
    // and whether they had lost to a later write. Only the server's hub calls it: devices
    // keep nothing of this. Creates the table if missing.
    // Requires: no transaction is open on the store.
    Status enable_history();
    bool records_history() const { return history_; }
    // R12 for a local write just queued: if it reached an anonymised entry, its outbox entry
    // loses what the rule does not keep, like the entry's other unsent operations did.
    Status settle_outbox(Kind kind, const Id128& id);
    // Entities whose unsent (outbox) operations an erase purged since the last call.
    std::vector<std::pair<Kind, Id128>> take_unsent_erasures() {
        return std::move(unsent_erasures_);
    }

private:
    Status check_kind_of(Kind kind, const Id128& id, const char* role, bool* unknown = nullptr);
    Status check_reference(std::string_view field, Kind target, const std::string& text);
    // fn(field or set, target kind, id text) for each reference `op` writes (R11).
    template <class Fn>
    static void for_each_reference(const Op& op, Fn&& fn);
    // The kind of the record `id` names here — a row of some kind's table, a member of a
    // duplicate component (a person), or an erased id whose kind was noted (R7 keeps no row)
    // — trying `expected` first; nullopt when unknown. `how` is "", " (merged)" or " (erased)".
    struct KnownKind {
        Kind kind;
        const char* how;
    };
    Result<std::optional<KnownKind>> known_kind(const Id128& id, Kind expected);
    Status erase_one(const Id128& id, std::optional<Kind> kind);
    // R12: what an erasure does to an entry about the erased person — erase_one, or
    // anonymise_one for a kind that keeps some of its fields (KindDef::anonymised_on_erase).
    Status erase_or_anonymise(const Id128& id, std::optional<Kind> kind);
    Status anonymise_one(Kind kind, const Id128& id);
    // R12 on the outbox: the entry's unsent operations lose what the rule does not keep.
    Status strip_outbox(Kind kind, const Id128& id);
    Status fold(const Id128& survivor, const Id128& alias);
    Status join_into_store(core::RowState incoming, const std::vector<core::DotRow>& dots,
                           const std::vector<std::pair<int, Id128>>& alt);
    bool names_erased_subject(Kind kind, const std::vector<Value>& values) const;
    // Records what an applied create or set wrote (history.hpp); `lost[i]` for field i.
    Status record_fields(const Op& op, const std::vector<bool>& lost);

    core::Store& store_;
    std::vector<std::pair<Kind, Id128>> unsent_erasures_;
    bool history_ = false;        // record values (enable_history)
    bool purge_history_ = false;  // an erase purges the history table (it exists in the file)
};

// The join of two rows of the same entity (R2, R3, R5): commutative, associative, idempotent.
// `alt` receives the subjects that lost (R8).
core::RowState join_rows(const core::RowState& a, const core::RowState& b);

}  // namespace liaison::sync
