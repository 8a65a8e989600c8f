#include "web/facade/opfs_file.hpp"

#include <emscripten/emscripten.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>

// ---- The JavaScript side: Module.opfsFiles (path -> handle), looked up once per open ----------
// Each function answers -1 on any exception (and keeps it as Module.opfsError for diagnostics);
// a full disk answers -2. The bodies are JavaScript, which clang-format would misread as C++
// (it splits `===`): they are left as written.

// clang-format off
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
// clang-format on

namespace liaison::web {

// The pending writes of one file: offset -> bytes, never overlapping.
struct Pending {
    std::map<sqlite3_int64, std::string> runs;
    std::size_t bytes = 0;
};

namespace {

// ---- Write-back: one handle call per run of adjacent writes --------------------------------
// A sync access handle costs about the same per call whatever its size (4 KiB: ~30 µs, 64 KiB:
// ~40 µs in Chromium), so the writes of a transaction are kept until SQLite syncs the file
// (or reads or truncates what they cover) and then written as few, large, contiguous runs.
// SQLite promises nothing about unsynced writes, so keeping them changes no guarantee.

constexpr std::size_t kMaxPendingBytes = 16u << 20;  // written out early beyond this

OpfsFile* file_of(sqlite3_file* f) { return reinterpret_cast<OpfsFile*>(f); }

int write_out(OpfsFile* o) {
    auto& p = *o->pending;
    int rc = SQLITE_OK;
    std::string run;
    sqlite3_int64 at = 0;
    auto put = [&]() {
        if (run.empty() || rc != SQLITE_OK) return;
        double n = js_opfs_write(o->slot, run.data(), int(run.size()), double(at));
        if (n == -2)
            rc = SQLITE_FULL;
        else if (n != double(run.size()))
            rc = SQLITE_IOERR_WRITE;
        run.clear();
    };
    for (auto& [off, bytes] : p.runs) {
        if (!run.empty() && off != at + sqlite3_int64(run.size())) put();
        if (run.empty()) at = off;
        run += bytes;
    }
    put();
    p.runs.clear();
    p.bytes = 0;
    return rc;
}

// Whether [off, off + n) touches a pending write.
bool overlaps(const Pending& p, sqlite3_int64 off, sqlite3_int64 n) {
    auto it = p.runs.lower_bound(off + n);
    if (it == p.runs.begin()) return false;
    --it;
    return it->first + sqlite3_int64(it->second.size()) > off;
}

sqlite3_int64 pending_end(const Pending& p) {
    if (p.runs.empty()) return 0;
    const auto& last = *p.runs.rbegin();
    return last.first + sqlite3_int64(last.second.size());
}

// ---- sqlite3_io_methods ----------------------------------------------------------------------

int x_close(sqlite3_file* f) {  // the worker owns the handles; only the pending writes go
    auto* o = file_of(f);
    int rc = write_out(o);
    delete o->pending;
    o->pending = nullptr;
    return rc;
}

int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    auto* o = file_of(f);
    if (overlaps(*o->pending, off, n))
        if (int rc = write_out(o); rc != SQLITE_OK) return rc;
    double got = js_opfs_read(o->slot, buf, n, double(off));
    if (got < 0) return SQLITE_IOERR_READ;
    if (got < n) {
        std::memset(static_cast<char*>(buf) + std::size_t(got), 0, std::size_t(n - int(got)));
        return SQLITE_IOERR_SHORT_READ;
    }
    return SQLITE_OK;
}

int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    auto* o = file_of(f);
    auto& p = *o->pending;
    auto same = p.runs.find(off);
    if (same != p.runs.end() && same->second.size() == std::size_t(n)) {
        same->second.assign(static_cast<const char*>(buf), std::size_t(n));  // a page written again
        return SQLITE_OK;
    }
    if (overlaps(p, off, n) || p.bytes + std::size_t(n) > kMaxPendingBytes)
        if (int rc = write_out(o); rc != SQLITE_OK) return rc;
    p.runs.emplace(off, std::string(static_cast<const char*>(buf), std::size_t(n)));
    p.bytes += std::size_t(n);
    return SQLITE_OK;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    auto* o = file_of(f);
    if (int rc = write_out(o); rc != SQLITE_OK) return rc;
    return js_opfs_truncate(o->slot, double(size)) == 0 ? SQLITE_OK : SQLITE_IOERR_TRUNCATE;
}

int x_sync(sqlite3_file* f, int) {
    auto* o = file_of(f);
    if (int rc = write_out(o); rc != SQLITE_OK) return rc;
    return js_opfs_flush(o->slot) == 0 ? SQLITE_OK : SQLITE_IOERR_FSYNC;
}

int x_size(sqlite3_file* f, sqlite3_int64* size) {
    auto* o = file_of(f);
    double s = js_opfs_size(o->slot);
    if (s < 0) return SQLITE_IOERR_FSTAT;
    *size = std::max(sqlite3_int64(s), pending_end(*o->pending));
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
    1,         x_close,  x_read, x_write, x_truncate, x_sync,  x_size,  x_lock,  x_unlock, x_check,
    x_control, x_sector, x_caps, nullptr, nullptr,    nullptr, nullptr, nullptr, nullptr};

}  // namespace

int opfs_slot(const char* path) { return path ? js_opfs_slot(path) : -1; }

void opfs_open(sqlite3_file* f, int slot) {
    auto* o = reinterpret_cast<OpfsFile*>(f);
    o->slot = slot;
    o->pending = new Pending;
    o->base.pMethods = &kMethods;
}

int opfs_delete(int slot) {
    if (js_opfs_truncate(slot, 0) != 0) return SQLITE_IOERR_DELETE;
    return js_opfs_flush(slot) == 0 ? SQLITE_OK : SQLITE_IOERR_DELETE;
}

int opfs_exists(int slot) { return js_opfs_size(slot) > 0 ? 1 : 0; }

}  // namespace liaison::web
