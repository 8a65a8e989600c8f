// Where a PostgreSQL database's history comes from: the cluster it lives in and the WAL
// timeline that cluster writes (docs/SCALING.md §4). A standby promoted with `pg_ctl promote`
// (or a point-in-time recovery) starts a new timeline: everything written before the switch on
// the old one may be missing from the new one (an asynchronous standby had not received it),
// so a server that finds the lineage changed since the database generation was recorded gives
// the database a new generation (sync/generations.hpp), and the devices re-push and re-pull.
//
// The lineage is "<system identifier>/<timeline>", e.g. "7716092547414298404/2":
// - the timeline is the one the server writes now, read from the name of the current WAL file
//   (pg_walfile_name(pg_current_wal_lsn())), which changes the moment a promotion ends.
//   pg_control_checkpoint()'s timeline_id is not used: it names the last checkpoint's timeline,
//   and after a promotion PostgreSQL takes that checkpoint later, in the background (seconds
//   later, measured on PostgreSQL 15), so a server started in between would miss the switch;
// - the system identifier is the cluster's, given by initdb and kept by its standbys: a copy
//   of the database restored into another cluster (pg_dump and pg_restore) has another one,
//   and its cursors are another database's too.
// Both functions are executable by any role (no superuser, no pg_monitor).
//
// Thread-safety: as the Database (one thread at a time).
#pragma once

#include <optional>
#include <string>

#include "core/storage/database.hpp"
#include "core/util/status.hpp"

namespace liaison::core {

// The lineage of the database `db` is connected to; nullopt on SQLite (a file has no
// timeline: it is replaced only by a restore, which renews the generation itself). On a
// standby still in recovery (read-only, not promoted), kStorage saying so: no server writes
// there.
Result<std::optional<std::string>> database_lineage(Database& db);

}  // namespace liaison::core
