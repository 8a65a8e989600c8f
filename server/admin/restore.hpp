// Restoring a server database from a backup (`liaison-server restore`), without losing the
// file it replaces.
//
// Steps (restore_database):
//   1. check the backup (check_backup): SQLite's integrity_check is "ok", it is a Liaison
//      server database (storage version >= 1, the record and the server tables), and neither
//      its storage version nor its server tables are newer than this build;
//   2. copy it (core::copy_file) to a temporary file in the live file's folder (a consistent
//      copy even if the backup has a -wal of its own), fsync it, give it the live file's mode;
//   3. read the live database's erased ids and erase them again in the copy (R7, with what
//      depends on them), numbered above the live file's sequence: a person erased after the
//      backup was taken does not come back, and devices pull the markers;
//      checkpoint the live database (its -wal goes into the file), keep it aside as
//      `<db>.before-restore-<UTC time>` (a hard link, or a copy where links are impossible),
//      remove its -wal/-shm;
//   4. rename the temporary file over the live one (atomic) and fsync the folder;
//   5. open the result as a store (migrating an older storage version) and report it.
// If anything fails before step 4, the live file is untouched and the temporary file removed.
//
// Requires: no process uses the live database (the caller holds the server's lock, so
// `serve` cannot run; other administrative commands must not run meanwhile).
// Thread-safety: none needed (a command-line action).
#pragma once

#include <cstdint>
#include <string>

#include "core/util/status.hpp"

namespace liaison::server {

struct BackupInfo {
    int storage_version = 0;
    int server_schema_version = 0;
};
// Checks that `path` is a readable, intact liaison-server database this build can open.
// kNotFound (missing), kMalformed (not SQLite, not Liaison, integrity_check failed),
// kUnsupportedVersion (newer than this build).
Result<BackupInfo> check_backup(const std::string& path);

struct RestoreReport {
    std::string kept_aside;  // where the replaced file is, "" if there was none
    int storage_version = 0;
    std::string state_hash;  // of the restored record (docs/SYNC.md)
    std::int64_t influencers = 0, interactions = 0;
};
// `now_ms` names the kept-aside file.
Result<RestoreReport> restore_database(const std::string& live, const std::string& backup,
                                       std::int64_t now_ms);

}  // namespace liaison::server
