// Sync protocol messages (docs/DESIGN.md §5, docs/SYNC.md "Protocol").
//
// One exchange: the client pushes the operations of its outbox and the cursor it last saw;
// the server answers with a result per operation, the changes since the cursor that the device
// may see (entity snapshots, alias edges, erased ids, evictions), a new cursor and its clock.
//
// Protocol versions (append-only history):
//   1  2026-11  first version: push/pull in one round trip, paged pulls, per-op results.
//   2  2026-12  pushes name the record model's version (schema_version); replies carry the
//               scope and database generations (a device re-pulls, and re-pushes, when either
//               changes) and the hub's current state of every entity a refused operation
//               named (refreshed, absent), so that a refusal converges. A hub answers a
//               protocol 1 push `upgrade_required` (a whole-request error: the device keeps
//               its outbox and updates the app); docs/SYNC.md "Versions".
//   3  2026-12  replies carry the brand directory (docs/SYNC.md "Directory"): the people
//               and staff of the device's brands that its scope does not cover, as their
//               directory projection with truncated e-mail and phone digests. A hub answers
//               a protocol 2 push `upgrade_required`. Requests carry the push's groups
//               (docs/SYNC.md G1-G3): the ranges of its operations that form one action,
//               applied whole or refused whole.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/storage/store.hpp"
#include "sync/merge.hpp"
#include "sync/op.hpp"

namespace liaison::sync {

inline constexpr std::uint32_t kProtocolVersion = 3;
// The oldest protocol a decoder still reads (the previous release's app), so that the hub can
// answer it `upgrade_required` instead of a decoding error.
inline constexpr std::uint32_t kOldestProtocolVersion = 1;

// Limits a decoder enforces before allocating (hostile input must not exhaust memory).
inline constexpr std::size_t kMaxOpsPerPush = 2000;
inline constexpr std::size_t kMaxChangesPerPage = 5000;
inline constexpr std::size_t kMaxStringBytes = 64 * 1024;
inline constexpr std::size_t kMaxListItems = 100'000;
inline constexpr std::size_t kMaxMessageBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxDetailBytes = 1024;  // an OpResult's detail

struct OpResult {
    Stamp op;
    Outcome outcome = Outcome::kApplied;
    Code code = Code::kOk;  // why, when rejected (e.g. clock_ahead, out_of_scope)
    std::string detail;
    bool operator==(const OpResult&) const = default;
};

// v3. A run of a push's operations that one action made (docs/SYNC.md G1): ops[first] to
// ops[first + count - 1]. The hub applies them whole or refuses them whole (G2).
struct OpGroup {
    std::uint32_t first = 0, count = 0;
    bool operator==(const OpGroup&) const = default;
};

struct PushRequest {
    std::uint32_t protocol = kProtocolVersion;
    Id128 replica;
    std::int64_t cursor = 0;  // the server sequence the client last applied
    std::uint64_t client_hlc = 0;
    std::uint32_t page_limit = 1000;  // changes wanted in the reply (server caps it)
    std::vector<Op> ops;              // outbox order
    // v2: the record model's version the app was built with (core::kSchemaVersion); a v1
    // push decodes as 1.
    std::uint32_t schema_version = core::kSchemaVersion;
    // v3: the actions among `ops`, in order, not overlapping (G1); an operation in none stands
    // alone. A v2 push decodes with none.
    std::vector<OpGroup> groups;
};

struct AliasEdge {
    Id128 a, b;
    bool operator==(const AliasEdge&) const = default;
};

// v3. One directory record (docs/SYNC.md "Directory", D2): a person or staff member of the
// device's brands outside its scope, as her directory projection, with the digests of her
// e-mail address and phone number (core/query/directory.hpp, D4; 0 when she has none).
struct DirectoryEntry {
    core::EntitySnapshot snapshot;
    std::uint32_t email_digest = 0, phone_digest = 0;
};

struct PushReply {
    std::uint32_t protocol = kProtocolVersion;
    std::uint64_t server_time_ms = 0;
    std::uint64_t server_hlc = 0;
    std::vector<OpResult> results;              // one per pushed op, same order
    std::vector<core::EntitySnapshot> changes;  // entities changed since the cursor, in scope
    std::vector<AliasEdge> aliases;
    std::vector<Id128> erased;     // always sent, whatever the scope
    std::vector<Id128> evictions;  // left the device's scope: drop locally
    std::int64_t next_cursor = 0;
    bool has_more = false;
    // v2. Generations (docs/SYNC.md "Generations"): a fingerprint of the device's scope, and
    // the central database's random id (new when the database is replaced, e.g. restored).
    // A device that sees either change from what it stored re-pulls from 0 (and, for the
    // database, re-pushes what it authored). 0 / nil: not known (never a change).
    std::uint64_t scope_generation = 0;
    Id128 db_generation;
    // v2. Refusals converge (docs/SYNC.md invariant 9): for each entity a refused operation of
    // this push named, its current snapshot on the hub when the device's scope covers it
    // (`refreshed`), else its id (`absent`: the device holds no copy of it). The device
    // rebuilds these entities from them and its still-pending operations.
    std::vector<core::EntitySnapshot> refreshed;
    std::vector<Id128> absent;
    // v3. The brand directory: records changed since the cursor that the device's scope does
    // not cover but its brands' directory holds (a demotion replaces a full copy).
    std::vector<DirectoryEntry> directory;
};

}  // namespace liaison::sync
