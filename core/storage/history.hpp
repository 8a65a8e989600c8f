// The central record's history of values: what each write to a profile record (influencer,
// event, programme, campaign, tracked link, staff, device, brand, region, store) wrote, field
// by field, and whether it had lost to a later write when it was applied. The op log
// (Store::op_log) says who did what to which fields, but keeps no values: a replica's state
// holds only the winning value of each field. `GET /api/v1/<collection>/<id>/history` needs
// the values that were overwritten too, so the server keeps them here; devices keep nothing
// of this (docs/STORAGE.md, "History of values").
//
// Like the account tables (accounts.hpp), the table lives in the same file as the record but
// is not part of it: it is created outside the numbered migrations, versioned by its own
// `meta` row, left out of the state hash and never sent to a device. Only a store whose merge
// engine was told to record (sync::MergeEngine::enable_history, the server's hub) has it.
// An erasure (R7) purges the erased ids' rows in the same transaction (purge_history).
//
// Table `server_history`, one row per value written (version 1) or per operation (version 2):
//   eid         the entity as the operation named it (an alias of a merged person stays an
//               alias: the component's ids are read together)
//   stamp       the operation's stamp (24 bytes, as everywhere)
//   slot        the field's index in the kind, or -1 - the set's index for the element an
//               add or remove named; version 2: kPackedSlot for the fields a create or a set
//               wrote, all in `value`
//   value       the value written (integer, text or null: a cleared field), or the element;
//               version 2, packed: each field's index, whether it was superseded and its value
//               (history.cpp) — a third of the rows, which made the server's merge a quarter
//               slower with one per field (docs/PERFORMANCE.md)
//   superseded  1 when a later write to the field was already applied (LwwOutcome::kLost);
//               packed: when one of its fields was
// A version 1 table is read as it is and written packed from then on; a build that reads only
// version 1 refuses a version 2 file (ensure_history_schema) rather than misread it.
//
// Requires: writes inside a WriteTxn (they are part of the operation they describe).
// Thread-safety: as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/ids.hpp"
#include "core/model/schema.hpp"
#include "core/storage/store.hpp"
#include "core/util/status.hpp"

namespace liaison::core {

inline constexpr int kHistorySchemaVersion = 2;
inline constexpr const char* kHistorySchemaKey = "server_history_version";

// Creates the history table if missing and records its version, in its own transaction. A
// file whose history table is newer than this build is refused with kUnsupportedVersion.
// Requires: no transaction is open on the store.
Status ensure_history_schema(Store& store);
// True when the file has the history table (ensure_history_schema ran once).
bool has_history_schema(Store& store);

// Whether the values written to records of this kind are kept (profile kinds only: log
// entries are many, rarely edited, and a deleted one must leave no byte of its text, R5).
bool keeps_history(Kind kind);

// One value written, as stored.
struct HistoryValue {
    Id128 entity;
    Stamp stamp;
    int slot = 0;  // field index, or -1 - set index (an element)
    Value value;
    bool superseded = false;
};

// Version 1's row: one value (a set's element, since version 2).
Status record_history(Store& store, const HistoryValue& row);
// Version 2: the fields one operation wrote, in one row (slot kPackedSlot).
inline constexpr int kPackedSlot = -1'000'000;
struct PackedField {
    int slot = 0;  // the field's index
    Value value;
    bool superseded = false;
};
Status record_history_fields(Store& store, const Id128& entity, const Stamp& stamp,
                             const std::vector<PackedField>& fields);
// A version 1 row's value in the packed form PostgreSQL keeps of it (one field, under its own
// slot), and back: the copy between engines converts the table's rows (core/storage/migrate.hpp).
std::string pack_history_value(int slot, const Value& value, bool superseded);
// The value of a one-value packed row; kStorage when `packed` holds other than one value.
Result<Value> unpack_history_value(std::string_view packed);
// The rows of `ids`, in (stamp, slot) order.
Result<std::vector<HistoryValue>> load_history(Store& store, const std::vector<Id128>& ids);
// R7: deletes every row of the entity.
Status purge_history(Store& store, const Id128& entity);

// One field of a history entry. For a kind whose values are kept, `new_value` is what the
// write wrote and `old_value` what the previous write to the field (by stamp) wrote — null
// for the first write. Either is nullopt where no value is kept: a log kind, or a write
// applied before the server kept values.
struct FieldChange {
    int field = 0;
    std::optional<Value> old_value, new_value;
    bool superseded = false;
};

// One operation on an entity, as the history endpoint shows it.
struct HistoryEntry {
    Id128 entity;  // as the operation named it
    Stamp stamp;
    Id128 actor;   // nil when the operation named none
    int type = 0;  // sync::OpType
    std::vector<FieldChange> fields;
    int set = -1;                        // add, remove: the set's index
    std::optional<std::string> element;  // add, remove: the element, where values are kept
    bool superseded = false;             // one of its fields had lost to a later write
};

// The history of the records `ids` (a duplicate component, or one id) of `kind`: the op log
// joined with the values kept, in stamp order.
Result<std::vector<HistoryEntry>> entity_history(Store& store, Kind kind,
                                                 const std::vector<Id128>& ids);

}  // namespace liaison::core
