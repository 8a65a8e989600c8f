#include "web/facade/chunk_vfs.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "web/facade/opfs_file.hpp"

namespace liaison::web {
namespace {

// Dirty chunk indexes per main database file (SQLite's full path name).
std::map<std::string, std::set<std::uint32_t>>& dirty() {
    static std::map<std::string, std::set<std::uint32_t>> d;
    return d;
}

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_shim;

// Our file object, followed in memory by the real VFS's file object.
struct ShimFile {
    sqlite3_file base;
    std::set<std::uint32_t>* dirty;  // null unless a main database file
};
sqlite3_file* real_of(sqlite3_file* f) {
    return reinterpret_cast<sqlite3_file*>(reinterpret_cast<ShimFile*>(f) + 1);
}

void mark(sqlite3_file* f, sqlite3_int64 offset, sqlite3_int64 amount) {
    auto* s = reinterpret_cast<ShimFile*>(f)->dirty;
    if (!s || amount <= 0) return;
    auto first = std::uint32_t(offset / sqlite3_int64(kChunkBytes));
    auto last = std::uint32_t((offset + amount - 1) / sqlite3_int64(kChunkBytes));
    for (auto i = first; i <= last; ++i) s->insert(i);
}

int x_close(sqlite3_file* f) { return real_of(f)->pMethods->xClose(real_of(f)); }
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    int rc = real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
    if (rc == SQLITE_OK) mark(f, off, n);
    return rc;
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    int rc = real_of(f)->pMethods->xTruncate(real_of(f), size);
    // The chunk that now ends the file changed length; later ones vanish (the size says so).
    if (rc == SQLITE_OK && size > 0) mark(f, size - 1, 1);
    return rc;
}
int x_sync(sqlite3_file* f, int flags) { return real_of(f)->pMethods->xSync(real_of(f), flags); }
int x_size(sqlite3_file* f, sqlite3_int64* size) {
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int x_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int x_check(sqlite3_file* f, int* out) {
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_control(sqlite3_file* f, int op, void* arg) {
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_caps(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }

// Version 1: no shared memory (no WAL in the browser) and no memory-mapped I/O.
const sqlite3_io_methods kMethods = {
    1,         x_close,  x_read, x_write, x_truncate, x_sync,  x_size,  x_lock,  x_unlock, x_check,
    x_control, x_sector, x_caps, nullptr, nullptr,    nullptr, nullptr, nullptr, nullptr};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    auto* s = reinterpret_cast<ShimFile*>(f);
    s->base.pMethods = nullptr;
    s->dirty = nullptr;
    if (int slot = opfs_slot(name); slot >= 0) {
        opfs_open(f, slot);
        if (out_flags) *out_flags = flags;
        return SQLITE_OK;
    }
    int rc = g_real->xOpen(g_real, name, real_of(f), flags, out_flags);
    if (rc != SQLITE_OK) return rc;
    if ((flags & SQLITE_OPEN_MAIN_DB) && name) s->dirty = &dirty()[name];
    s->base.pMethods = &kMethods;
    return SQLITE_OK;
}
int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    if (int slot = opfs_slot(name); slot >= 0) return opfs_delete(slot);
    return g_real->xDelete(g_real, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    if (int slot = opfs_slot(name); slot >= 0) {
        *out = flags == SQLITE_ACCESS_EXISTS ? opfs_exists(slot) : 1;
        return SQLITE_OK;
    }
    return g_real->xAccess(g_real, name, flags, out);
}
int x_full(sqlite3_vfs*, const char* name, int n, char* out) {
    return g_real->xFullPathname(g_real, name, n, out);
}
int x_random(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int x_time(sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); }
int x_error(sqlite3_vfs*, int n, char* out) { return g_real->xGetLastError(g_real, n, out); }
int x_time64(sqlite3_vfs*, sqlite3_int64* out) { return g_real->xCurrentTimeInt64(g_real, out); }

// The key SQLite uses for `path` (its full path name), so callers may pass relative paths.
std::string full_path(const std::string& path) {
    if (!g_real) return path;
    std::string out(std::size_t(g_real->mxPathname) + 1, '\0');
    if (g_real->xFullPathname(g_real, path.c_str(), int(out.size()), out.data()) != SQLITE_OK)
        return path;
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

Status install_chunk_vfs() {
    if (g_real) return Status::ok();
    if (sqlite3_initialize() != SQLITE_OK) return Status::storage("SQLite failed to initialise");
    sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
    if (!real) return Status::storage("SQLite has no default VFS");
    g_shim = sqlite3_vfs{};
    g_shim.iVersion = 2;
    g_shim.szOsFile =
        int(std::max(sizeof(ShimFile) + std::size_t(real->szOsFile), sizeof(OpfsFile)));
    g_shim.mxPathname = real->mxPathname;
    g_shim.zName = "liaison-chunks";
    g_shim.xOpen = x_open;
    g_shim.xDelete = x_delete;
    g_shim.xAccess = x_access;
    g_shim.xFullPathname = x_full;
    g_shim.xRandomness = x_random;
    g_shim.xSleep = x_sleep;
    g_shim.xCurrentTime = x_time;
    g_shim.xGetLastError = x_error;
    g_shim.xCurrentTimeInt64 = x_time64;
    g_real = real;
    if (sqlite3_vfs_register(&g_shim, 1) != SQLITE_OK) {
        g_real = nullptr;
        return Status::storage("cannot register the chunk VFS");
    }
    return Status::ok();
}

Result<DirtyChunks> take_dirty_chunks(const std::string& path) {
    DirtyChunks out;
    std::string key = full_path(path);
    Fd f{::open(key.c_str(), O_RDONLY)};
    if (f.fd < 0) {
        dirty().erase(key);
        return out;  // no file (yet): nothing to persist
    }
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) return Status::storage("cannot stat " + key);
    out.file_size = std::uint64_t(st.st_size);
    auto it = dirty().find(key);
    if (it == dirty().end()) return out;
    for (std::uint32_t index : it->second) {
        std::uint64_t off = std::uint64_t(index) * kChunkBytes;
        if (off >= out.file_size) continue;
        Chunk c;
        c.index = index;
        c.bytes.resize(std::size_t(std::min<std::uint64_t>(kChunkBytes, out.file_size - off)));
        ssize_t n = ::pread(f.fd, c.bytes.data(), c.bytes.size(), off_t(off));
        if (n != ssize_t(c.bytes.size())) return Status::storage("cannot read back " + key);
        out.chunks.push_back(std::move(c));
    }
    it->second.clear();
    return out;
}

void clear_dirty_chunks(const std::string& path) {
    auto it = dirty().find(full_path(path));
    if (it != dirty().end()) it->second.clear();
}

Status set_file_size(const std::string& path, std::uint64_t size) {
    Fd f{::open(path.c_str(), O_WRONLY | O_CREAT, 0600)};
    if (f.fd < 0) return Status::storage("cannot create " + path);
    if (::ftruncate(f.fd, off_t(size)) != 0) return Status::storage("cannot size " + path);
    return Status::ok();
}

}  // namespace liaison::web
