#include "support/fault_vfs.hpp"

#include <sqlite3.h>

#include <cstring>

namespace liaison::test {
namespace {

// The one FaultVfs alive, and what it counts (SQLite calls the methods without a context).
struct State {
    sqlite3_vfs* real = nullptr;
    int budget = -1;  // writes left before they fail; -1: never fail
    int writes = 0, refused = 0;
};
State g_state;

// A file of the fault VFS: SQLite's handle, then the real VFS's file it wraps.
struct File {
    sqlite3_file base;
    sqlite3_file* real;
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

int x_close(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
    return rc;
}
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xRead(r, buf, n, off);
}
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    if (g_state.budget == 0) {
        ++g_state.refused;
        return SQLITE_IOERR_WRITE;
    }
    if (g_state.budget > 0) --g_state.budget;
    ++g_state.writes;
    sqlite3_file* r = real_of(f);
    return r->pMethods->xWrite(r, buf, n, off);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xTruncate(r, size);
}
int x_sync(sqlite3_file* f, int flags) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xSync(r, flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xFileSize(r, size);
}
int x_lock(sqlite3_file* f, int level) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xLock(r, level);
}
int x_unlock(sqlite3_file* f, int level) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xUnlock(r, level);
}
int x_check_reserved_lock(sqlite3_file* f, int* out) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xCheckReservedLock(r, out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xFileControl(r, op, arg);
}
int x_sector_size(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xSectorSize(r);
}
int x_device_characteristics(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xDeviceCharacteristics(r);
}
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmMap(r, page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmLock(r, offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    r->pMethods->xShmBarrier(r);
}
int x_shm_unmap(sqlite3_file* f, int del) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmUnmap(r, del);
}

// Version 2 methods: the shared-memory ones are used in WAL mode only; no memory-mapped I/O
// (version 3), so SQLite reads and writes through xRead and xWrite.
const sqlite3_io_methods kMethods = {2,
                                     x_close,
                                     x_read,
                                     x_write,
                                     x_truncate,
                                     x_sync,
                                     x_file_size,
                                     x_lock,
                                     x_unlock,
                                     x_check_reserved_lock,
                                     x_file_control,
                                     x_sector_size,
                                     x_device_characteristics,
                                     x_shm_map,
                                     x_shm_lock,
                                     x_shm_barrier,
                                     x_shm_unmap,
                                     nullptr,
                                     nullptr};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    File* file = reinterpret_cast<File*>(f);
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    std::memset(file->real, 0, std::size_t(g_state.real->szOsFile));
    file->base.pMethods = nullptr;
    int rc = g_state.real->xOpen(g_state.real, name, file->real, flags, out_flags);
    if (file->real->pMethods) file->base.pMethods = &kMethods;  // closed through us even on error
    return rc;
}
int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    return g_state.real->xDelete(g_state.real, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return g_state.real->xAccess(g_state.real, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return g_state.real->xFullPathname(g_state.real, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) {
    return g_state.real->xDlOpen(g_state.real, name);
}
void x_dl_error(sqlite3_vfs*, int n, char* out) { g_state.real->xDlError(g_state.real, n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) {
    return g_state.real->xDlSym(g_state.real, h, sym);
}
void x_dl_close(sqlite3_vfs*, void* h) { g_state.real->xDlClose(g_state.real, h); }
int x_randomness(sqlite3_vfs*, int n, char* out) {
    return g_state.real->xRandomness(g_state.real, n, out);
}
int x_sleep(sqlite3_vfs*, int us) { return g_state.real->xSleep(g_state.real, us); }
int x_current_time(sqlite3_vfs*, double* out) {
    return g_state.real->xCurrentTime(g_state.real, out);
}
int x_get_last_error(sqlite3_vfs*, int n, char* out) {
    return g_state.real->xGetLastError ? g_state.real->xGetLastError(g_state.real, n, out) : 0;
}
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
    return g_state.real->xCurrentTimeInt64(g_state.real, out);
}

}  // namespace

FaultVfs::FaultVfs() : vfs_(new sqlite3_vfs{}) {
    g_state = State{};
    g_state.real = sqlite3_vfs_find(nullptr);
    vfs_->iVersion = 2;
    vfs_->szOsFile = int(sizeof(File)) + g_state.real->szOsFile;
    vfs_->mxPathname = g_state.real->mxPathname;
    vfs_->zName = "liaison-fault";
    vfs_->xOpen = x_open;
    vfs_->xDelete = x_delete;
    vfs_->xAccess = x_access;
    vfs_->xFullPathname = x_full_pathname;
    vfs_->xDlOpen = x_dl_open;
    vfs_->xDlError = x_dl_error;
    vfs_->xDlSym = x_dl_sym;
    vfs_->xDlClose = x_dl_close;
    vfs_->xRandomness = x_randomness;
    vfs_->xSleep = x_sleep;
    vfs_->xCurrentTime = x_current_time;
    vfs_->xGetLastError = x_get_last_error;
    vfs_->xCurrentTimeInt64 = x_current_time_int64;
    sqlite3_vfs_register(vfs_, /*makeDflt=*/1);
}

FaultVfs::~FaultVfs() {
    sqlite3_vfs_unregister(vfs_);
    sqlite3_vfs_register(g_state.real, /*makeDflt=*/1);
    delete vfs_;
    g_state = State{};
}

void FaultVfs::fail_writes_after(int n) { g_state.budget = n < 0 ? 0 : n; }
void FaultVfs::disarm() { g_state.budget = -1; }
int FaultVfs::writes() const { return g_state.writes; }
int FaultVfs::refused() const { return g_state.refused; }

}  // namespace liaison::test
