// Sync protocol messages (DESIGN §5, docs/SYNC.md "Protocol").
//
// One exchange: the client pushes the operations of its outbox and the cursor it last saw;
// the server answers with a result per operation, the changes since the cursor that the device
// may see (entity snapshots, alias edges, erased ids, evictions), a new cursor and its clock.
//
// Protocol versions (append-only history):
//   1  2026-11  first version: push/pull in one round trip, paged pulls, per-op results.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/storage/store.hpp"
#include "sync/merge.hpp"
#include "sync/op.hpp"

namespace liaison::sync {

inline constexpr std::uint32_t kProtocolVersion = 1;

// Limits a decoder enforces before allocating (hostile input must not exhaust memory).
inline constexpr std::size_t kMaxOpsPerPush = 2000;
inline constexpr std::size_t kMaxChangesPerPage = 5000;
inline constexpr std::size_t kMaxStringBytes = 64 * 1024;
inline constexpr std::size_t kMaxListItems = 100'000;
inline constexpr std::size_t kMaxMessageBytes = 16 * 1024 * 1024;

struct OpResult {
    Stamp op;
    Outcome outcome = Outcome::kApplied;
    Code code = Code::kOk;  // why, when rejected (e.g. clock_ahead, out_of_scope)
    std::string detail;
    bool operator==(const OpResult&) const = default;
};

struct PushRequest {
    std::uint32_t protocol = kProtocolVersion;
    Id128 replica;
    std::int64_t cursor = 0;          // the server sequence the client last applied
    std::uint64_t client_hlc = 0;
    std::uint32_t page_limit = 1000;  // changes wanted in the reply (server caps it)
    std::vector<Op> ops;              // outbox order
};

struct AliasEdge {
    Id128 a, b;
    bool operator==(const AliasEdge&) const = default;
};

struct PushReply {
    std::uint32_t protocol = kProtocolVersion;
    std::uint64_t server_time_ms = 0;
    std::uint64_t server_hlc = 0;
    std::vector<OpResult> results;               // one per pushed op, same order
    std::vector<core::EntitySnapshot> changes;   // entities changed since the cursor, in scope
    std::vector<AliasEdge> aliases;
    std::vector<Id128> erased;                   // always sent, whatever the scope
    std::vector<Id128> evictions;                // left the device's scope: drop locally
    std::int64_t next_cursor = 0;
    bool has_more = false;
};

}  // namespace liaison::sync
