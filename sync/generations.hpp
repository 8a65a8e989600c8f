// Scope and database generations (docs/SYNC.md "Generations"): what a device compares, on
// every reply, with what it stored, to learn that what it holds may no longer be what the
// hub would send it.
//
//  - The scope generation is a fingerprint of the device's scope (its user's regions, stores
//    and brands, or global): it changes whenever an administrator edits the scope, needs no
//    counter kept per user, and a scope edited back to what a device last pulled with asks
//    nothing of it. The device then re-pulls from 0 (what left its scope goes).
//  - The database generation is a random id kept in the central database's metadata, new
//    whenever the database is replaced (liaison-server restore): its cursors and the
//    operations it lacks are another database's. The device then re-pushes what it authored
//    and re-pulls from 0. On PostgreSQL it is also new when the database's lineage changed
//    (core/storage/lineage.hpp): a standby was promoted, and what the old primary acknowledged
//    last may be missing (docs/SCALING.md §4).
// 0 and the nil id mean "not known" and are never a change.
#pragma once

#include <cstdint>

#include "core/storage/store.hpp"
#include "sync/scope.hpp"

namespace liaison::sync {

// Never 0. Independent of the order of the scope's lists.
std::uint64_t scope_generation(const Scope& scope);

// The store's database generation, nil if it has none.
core::Id128 database_generation(core::Store& store);
// The same with the changes feed's last sequence number (Store::feed_head), in one statement.
Result<std::pair<std::int64_t, core::Id128>> feed_head_and_generation(core::Store& store);
// Gives the store a new database generation (a database was restored into it).
Status renew_database_generation(core::Store& store, core::IdSource& ids);
// Gives the store a database generation if it has none (a new or older server database), and
// on PostgreSQL a new one when the lineage recorded with it is not the database's lineage now
// (a failover); then records the lineage. A database that has a generation but no recorded
// lineage (made before lineages were recorded) keeps its generation. The check and the renewal
// run under the writer lock, so servers started together after a failover renew it once.
// Requires: no WriteTxn open on the store.
Status ensure_database_generation(core::Store& store, core::IdSource& ids);

}  // namespace liaison::sync
