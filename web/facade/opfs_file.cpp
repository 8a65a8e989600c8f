#include "web/facade/opfs_file.hpp"

#include <emscripten/emscripten.h>

#include <cstring>

// ---- The JavaScript side: Module.opfsFiles (path -> handle), looked up once per open ----------
// Each function answers -1 on any exception (and keeps it as Module.opfsError for diagnostics);
// a full disk answers -2.

EM_JS(int, js_opfs_slot, (const char* path), {
    const files = Module.opfsFiles;
    if (!files) return -1;
    const handle = files[UTF8ToString(path)];
    if (!handle) return -1;
    Module.opfsSlots = Module.opfsSlots || [];
    let slot = Module.opfsSlots.indexOf(handle);
    if (slot < 0) slot = Module.opfsSlots.push(handle) - 1;
    return slot;
});

EM_JS(double, js_opfs_read, (int slot, void* buf, int n, double at), {
    try {
        return Module.opfsSlots[slot].read(HEAPU8.subarray(buf, buf + n), {at : at});
    } catch (e) {
        Module.opfsError = e;
        return -1;
    }
});

EM_JS(double, js_opfs_write, (int slot, const void* buf, int n, double at), {
    try {
        return Module.opfsSlots[slot].write(HEAPU8.subarray(buf, buf + n), {at : at});
    } catch (e) {
        Module.opfsError = e;
        return e && e.name === 'QuotaExceededError' ? -2 : -1;
    }
});

EM_JS(int, js_opfs_truncate, (int slot, double size), {
    try {
        Module.opfsSlots[slot].truncate(size);
        return 0;
    } catch (e) {
        Module.opfsError = e;
        return -1;
    }
});

EM_JS(int, js_opfs_flush, (int slot), {
    try {
        Module.opfsSlots[slot].flush();
        return 0;
    } catch (e) {
        Module.opfsError = e;
        return -1;
    }
});

EM_JS(double, js_opfs_size, (int slot), {
    try {
        return Module.opfsSlots[slot].getSize();
    } catch (e) {
        Module.opfsError = e;
        return -1;
    }
});

namespace liaison::web {
namespace {

// ---- sqlite3_io_methods ----------------------------------------------------------------------

int slot_of(sqlite3_file* f) { return reinterpret_cast<OpfsFile*>(f)->slot; }

int x_close(sqlite3_file*) { return SQLITE_OK; }  // the worker owns the handles

int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    double got = js_opfs_read(slot_of(f), buf, n, double(off));
    if (got < 0) return SQLITE_IOERR_READ;
    if (got < n) {
        std::memset(static_cast<char*>(buf) + std::size_t(got), 0, std::size_t(n - int(got)));
        return SQLITE_IOERR_SHORT_READ;
    }
    return SQLITE_OK;
}

int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    double put = js_opfs_write(slot_of(f), buf, n, double(off));
    if (put == -2) return SQLITE_FULL;
    return put == n ? SQLITE_OK : SQLITE_IOERR_WRITE;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    return js_opfs_truncate(slot_of(f), double(size)) == 0 ? SQLITE_OK : SQLITE_IOERR_TRUNCATE;
}

int x_sync(sqlite3_file* f, int) { return js_opfs_flush(slot_of(f)) == 0 ? SQLITE_OK : SQLITE_IOERR_FSYNC; }

int x_size(sqlite3_file* f, sqlite3_int64* size) {
    double s = js_opfs_size(slot_of(f));
    if (s < 0) return SQLITE_IOERR_FSTAT;
    *size = sqlite3_int64(s);
    return SQLITE_OK;
}

// One worker holds the handles (they are exclusive): no other process can take a lock.
int x_lock(sqlite3_file*, int) { return SQLITE_OK; }
int x_unlock(sqlite3_file*, int) { return SQLITE_OK; }
int x_check(sqlite3_file*, int* out) {
    *out = 0;
    return SQLITE_OK;
}
int x_control(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int x_sector(sqlite3_file*) { return 4096; }
int x_caps(sqlite3_file*) { return 0; }

const sqlite3_io_methods kMethods = {
    1, x_close, x_read, x_write, x_truncate, x_sync, x_size, x_lock, x_unlock, x_check,
    x_control, x_sector, x_caps, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

}  // namespace

int opfs_slot(const char* path) { return path ? js_opfs_slot(path) : -1; }

void opfs_open(sqlite3_file* f, int slot) {
    auto* o = reinterpret_cast<OpfsFile*>(f);
    o->slot = slot;
    o->base.pMethods = &kMethods;
}

int opfs_delete(int slot) {
    if (js_opfs_truncate(slot, 0) != 0) return SQLITE_IOERR_DELETE;
    return js_opfs_flush(slot) == 0 ? SQLITE_OK : SQLITE_IOERR_DELETE;
}

int opfs_exists(int slot) { return js_opfs_size(slot) > 0 ? 1 : 0; }

}  // namespace liaison::web
