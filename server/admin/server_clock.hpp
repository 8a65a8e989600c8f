// The server's clock across processes (docs/SCALING.md §3). The servers and the offline imports
// stamp operations with one replica id, the server's (server_replica_id): two equal stamps
// must never happen, or R1 would take the second operation for a copy of the first and drop
// it. On SQLite one process holds the file; on PostgreSQL several servers and an import may
// write at once, ordered only by the writer lock. So a process writing under that id, inside
// its write transaction (under the writer lock), first resumes past the last stamp any process
// recorded, and records its own clock before it commits.
//
// Thread-safety: as the Store and the clock.
#pragma once

#include "core/storage/store.hpp"
#include "sync/hlc.hpp"

namespace liaison::server {

// The clock passes the recorded one (meta "server_clock"), if any.
// Requires: inside a WriteTxn on `store`.
void resume_server_clock(core::Store& store, sync::HybridClock& clock);
// Records where the clock stands.
// Requires: inside the WriteTxn that resumed it (so what it records is never lower than what
// another process recorded before).
Status record_server_clock(core::Store& store, const sync::HybridClock& clock);
// Both, in a write transaction of its own: a process that stops keeps its clock for the next
// start without lowering what another process recorded meanwhile.
// Requires: outside a transaction.
Status save_server_clock(core::Store& store, sync::HybridClock& clock);

}  // namespace liaison::server
