// `liaison-server migrate --from DB --to DB`: moves the central database between SQLite and
// PostgreSQL (either way, or onto another database of the same engine), checked by the state
// hash on both sides, and gives the copy a new database generation (docs/SCALING.md, "Moving
// between backends").
//
// Steps (migrate_database):
//   1. open the source (a liaison-server database: a file must exist) and the destination (a
//      new file, or an empty Liaison file or PostgreSQL database);
//   2. copy every table in one destination transaction, the source locked against writers,
//      and verify it (core::DatabaseCopy, core/storage/migrate.hpp);
//   3. in that same transaction, renew the destination's database generation (devices
//      re-push what they authored and re-pull: docs/SYNC.md "Generations") and audit the
//      migration there; commit.
// A failure leaves the destination as it was: rolled back, and a file this run created removed.
//
// Requires: the caller holds the lock of each SQLite file given (main.cpp's lock_database), so
// no server serves it meanwhile.
// Thread-safety: none needed (a command-line action).
#pragma once

#include <iosfwd>
#include <string>

#include "core/model/ids.hpp"
#include "core/storage/migrate.hpp"
#include "core/util/status.hpp"

namespace liaison::server {

struct MigrateRequest {
    std::string from, to;  // SQLite files or postgresql:// URLs
};

struct MigrateSummary {
    core::CopyReport copy;
    core::Id128 generation;  // the destination's new database generation
    bool created = false;    // the destination file was made by this run
};

// The request's own mistakes, before anything is opened (kInvalidArgument, for the usage
// text): an empty side, the same database on both sides, a URL that is not PostgreSQL's.
Status check_migrate_request(const MigrateRequest& request);

// Runs the migration; progress lines (rows copied per table) go to `progress`.
Result<MigrateSummary> migrate_database(const MigrateRequest& request, std::ostream& progress);

// The summary printed on success: each table and its rows, both state hashes, the generation.
std::string migrate_summary_text(const MigrateSummary& summary);

}  // namespace liaison::server
