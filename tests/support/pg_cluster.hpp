// A real PostgreSQL for tests: a private cluster in a temporary folder, started on first use
// and shared by every test of this test binary's run, stopped (pg_ctl stop -m fast) and its
// folder removed when the binary exits, whether its tests passed or failed.
//
// The cluster listens on no TCP address, only on a unix socket inside its own folder, so it
// needs no free port and nothing outside the test can reach it; it trusts whoever can open
// that socket. initdb runs with --locale=C -E UTF8. PostgreSQL refuses to run as root: when
// the tests run as root (CI does), initdb and pg_ctl run as the user "nobody", which every
// Debian system has, so the tests need no user made for them; the folder is given to nobody.
// Missing PostgreSQL binaries are an error naming the Debian package to install, never a skip.
//
// Each test takes a database of its own (new_database), whose default collation is ICU's
// root locale ("und") rather than byte order, as a production database's often is: the
// backend must keep byte-wise order on its own (COLLATE "C", core/storage/pg_sql.hpp).
//
// Native builds only. Thread-safety: shared() and new_database() from one thread.
#pragma once

#include <string>

namespace liaison::test {

class PgCluster {
public:
    // The cluster of this run; starts it on the first call. Throws std::runtime_error with the
    // reason (and the server's log) when it cannot.
    static PgCluster& shared();
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    // Creates an empty database with a unique name and returns its postgresql:// URL, whose
    // connections have a statement_timeout (no test waits without bound).
    std::string new_database();
    const std::string& folder() const { return dir_; }

private:
    PgCluster();
    void stop_and_remove();
    std::string url(const std::string& database) const;
    std::string dir_;     // the temporary folder: data/, the socket, the server's log
    std::string bindir_;  // initdb, pg_ctl
    bool started_ = false;
    int next_database_ = 0;
};

}  // namespace liaison::test
