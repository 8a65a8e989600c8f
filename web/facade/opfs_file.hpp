// Files of the Origin Private File System, read and written synchronously through the
// FileSystemSyncAccessHandle objects the worker opened before SQLite needs them
// (web/README.md, Persistence). The VFS shim (chunk_vfs.cpp) sends a file here when the worker
// registered a handle under its full path name in `Module.opfsFiles` (a plain object
// path -> handle); every other file stays in the in-memory file system.
//
// Only a dedicated worker can hold sync access handles, and only one at a time per file: the
// worker that owns the database (web/host/worker.js). A handle the worker did not register
// cannot appear here, and JavaScript exceptions of the handles (a full disk, a closed handle)
// become SQLite error codes: nothing throws into SQLite.
//
// Writes are kept in memory until SQLite syncs the file, then written as few large runs (one
// handle call costs about the same for 4 KiB as for 64 KiB).
//
// Deleting a registered file truncates it to zero bytes (an empty rollback journal is not
// hot, and deleting an OPFS entry is asynchronous); a registered file "exists" when it is not
// empty.
//
// Thread-safety: none (the browser build of SQLite is single-threaded).
#pragma once

#include <sqlite3.h>

namespace liaison::web {

// The slot of the handle registered for `path`, or -1 when there is none.
int opfs_slot(const char* path);
// Makes `f` (an sqlite3_file with room for OpfsFile) an open file over slot `slot`.
void opfs_open(sqlite3_file* f, int slot);
// xDelete and xAccess for a registered file.
int opfs_delete(int slot);
int opfs_exists(int slot);

struct Pending;  // writes not yet given to the handle (opfs_file.cpp, "Write-back")

struct OpfsFile {
    sqlite3_file base;
    int slot;
    Pending* pending;
};

}  // namespace liaison::web
