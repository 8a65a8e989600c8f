// Operations: every change to the record is one, with a globally unique id (its Stamp).
// Replicas exchange operations, never states (docs/DESIGN.md §4); the merge rules that apply them
// are in merge.hpp. The wire encodings are in codec.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/ids.hpp"
#include "core/model/schema.hpp"

namespace liaison::sync {

using core::Id128;
using core::Kind;
using core::Stamp;
using core::Value;

enum class OpType : std::uint8_t {
    kCreate = 1,  // a new entity with its initial fields (missing fields are null)
    kSet = 2,     // LWW writes of one or more fields
    kAdd = 3,     // add an element to a set; its dot is the op's stamp
    kRemove = 4,  // remove an element: the dots observed by the remover
    kDelete = 5,  // tombstone a log entry (interaction, check-in, ...)
    kMerge = 6,   // duplicate merge: `entity` and `target` are the same person
    kErase = 7,   // GDPR erasure of a person: dominates everything
};
inline constexpr std::uint8_t kMaxOpType = 7;
const char* op_type_name(OpType t);

struct FieldWrite {
    std::string field;
    Value value;
    bool operator==(const FieldWrite&) const = default;
};

struct Op {
    Stamp id;
    OpType type = OpType::kCreate;
    Kind kind = Kind::kInfluencer;
    Id128 entity;
    std::vector<FieldWrite> fields;  // kCreate, kSet
    std::string set;                 // kAdd, kRemove
    std::string elem;                // kAdd, kRemove
    std::vector<Stamp> observed;     // kRemove
    Id128 target;                    // kMerge
    Id128 actor;                     // staff member who made the change (audit), or nil
    bool operator==(const Op&) const = default;
};

// Unstamped operations on one entity, as the write paths build them (a replica, the server's
// REST and CSV paths, the demo); the caller completes what the type needs, then stamps it.
inline Op unstamped_op(OpType type, Kind kind, const Id128& entity) {
    Op op;
    op.type = type;
    op.kind = kind;
    op.entity = entity;
    return op;
}
// kCreate or kSet with its field writes.
inline Op field_op(OpType type, Kind kind, const Id128& entity, std::vector<FieldWrite> fields) {
    Op op = unstamped_op(type, kind, entity);
    op.fields = std::move(fields);
    return op;
}
// kAdd or kRemove of one set element (a remove also needs the dots it observed).
inline Op elem_op(OpType type, Kind kind, const Id128& entity, std::string set, std::string elem) {
    Op op = unstamped_op(type, kind, entity);
    op.set = std::move(set);
    op.elem = std::move(elem);
    return op;
}

}  // namespace liaison::sync
