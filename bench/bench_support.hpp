// What the benchmarks share: a steady clock, fatal errors that name the benchmark, unwrapping
// a Result or dying, and the plain-SQLite reference connection each one measures against.
// Benchmarks are single-threaded programs; nothing here is thread-safe.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/util/status.hpp"

namespace liaison::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}
inline double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// The benchmark's name, for its error messages (set once in main).
inline const char*& program() {
    static const char* name = "bench";
    return name;
}

[[noreturn]] inline void die(const std::string& what) {
    std::fprintf(stderr, "%s: %s\n", program(), what.c_str());
    std::exit(1);
}

template <typename T>
T must(Result<T> r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.status().to_string());
    return std::move(r).value();
}
inline void must(const Status& s, const char* what) {
    if (!s) die(std::string(what) + ": " + s.to_string());
}

// The reference: a plain SQLite connection (the same amalgamation the store uses). Every
// failure is fatal and says "plain:".
class PlainDb {
public:
    explicit PlainDb(const std::string& path) {
        if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) die("plain: cannot open " + path);
    }
    ~PlainDb() { sqlite3_close(db_); }
    PlainDb(const PlainDb&) = delete;
    PlainDb& operator=(const PlainDb&) = delete;

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK)
            die(std::string("plain: ") + (err ? err : "?"));
    }
    // A statement the caller finalizes.
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK)
            die(std::string("plain: ") + sqlite3_errmsg(db_));
        return st;
    }
    // Runs a statement that returns no row, then resets it for the next bindings.
    void done(sqlite3_stmt* st) {
        if (sqlite3_step(st) != SQLITE_DONE) die(std::string("plain: ") + sqlite3_errmsg(db_));
        sqlite3_reset(st);
    }
    sqlite3* get() const { return db_; }

private:
    sqlite3* db_ = nullptr;
};

}  // namespace liaison::bench
