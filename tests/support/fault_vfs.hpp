// A SQLite VFS for fault-injection tests: it passes every call to the VFS that was the default
// when it was made, and fails writes on demand — the disk refusing to write, under the real
// SQLite pager, journal and recovery, rather than an error made up above them.
//
// While it lives it is the default VFS, so a database opened meanwhile goes through it (open
// the file after making it, close it before destroying it). Not thread-safe: one test at a time.
#pragma once

struct sqlite3_vfs;

namespace liaison::test {

class FaultVfs {
public:
    FaultVfs();
    ~FaultVfs();
    FaultVfs(const FaultVfs&) = delete;
    FaultVfs& operator=(const FaultVfs&) = delete;

    // After `n` more successful writes, every write fails with SQLITE_IOERR_WRITE until disarm().
    void fail_writes_after(int n);
    void disarm();
    // Writes that went through, and writes refused, since this VFS was made.
    int writes() const;
    int refused() const;

private:
    sqlite3_vfs* vfs_;
};

}  // namespace liaison::test
