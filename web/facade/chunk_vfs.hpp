// The SQLite VFS shim of the browser host. A file the worker registered an OPFS handle for goes
// to web/facade/opfs_file.hpp (OPFS mode). Every other file stays with the default VFS (the
// "unix" one, over Emscripten's MEMFS), wrapped so that every write to a main database file is
// remembered as the set of 64 KiB chunks it touched (IndexedDB mode). The worker copies
// exactly those chunks into IndexedDB after each request (web/README.md, Persistence), so
// persisting costs what changed, not the file size.
//
// In IndexedDB mode only main database files are tracked: the rollback journal lives and dies
// within one transaction and is never persisted (a journal can only be "hot" after a crash of the
// process, and the process is the worker, whose MEMFS dies with it). Secure delete zeroes
// freed pages through ordinary writes, so erased text leaves the persisted chunks too.
//
// Thread-safety: none (the browser build of SQLite is single-threaded).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/status.hpp"

namespace liaison::web {

inline constexpr std::size_t kChunkBytes = 64 * 1024;

// Installs the shim as SQLite's default VFS. Idempotent. Requires: no database is open yet.
Status install_chunk_vfs();

struct Chunk {
    std::uint32_t index = 0;
    std::string bytes;  // kChunkBytes, or fewer for the file's last chunk
};
struct DirtyChunks {
    std::uint64_t file_size = 0;
    std::vector<Chunk> chunks;  // ascending index; chunks past the end of the file are dropped
};

// The chunks of `path` written since the last call (read back from the file), and its size.
// Forgets them. A path that was never written gives an empty list with the current size.
Result<DirtyChunks> take_dirty_chunks(const std::string& path);
// Forgets what was written to `path` without reading it (after a restore).
void clear_dirty_chunks(const std::string& path);

// The largest file a restore rebuilds (the module's memory is capped at 1 GiB).
inline constexpr std::uint64_t kMaxRestoreBytes = 768ULL * 1024 * 1024;
// Sets the size of `path` (creating it), before it is opened.
Status set_file_size(const std::string& path, std::uint64_t size);

}  // namespace liaison::web
