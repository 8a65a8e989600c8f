// A real PostgreSQL for tests: a private cluster, shared by every test of a test binary's run.
//
// Two ways to have one (docs/STORAGE.md, "Two backends"):
// - Attached: the environment variable LIAISON_TEST_PG_DIR names the folder of a cluster that
//   is already running (CTest's fixture pg.cluster_start starts one per run with the program
//   liaison_pg_cluster, and pg.cluster_stop stops it). The binary neither starts nor stops it;
//   at exit it drops the databases it made, so a long run does not fill the disk.
// - Owned: without the variable, the first use starts a cluster in a temporary folder (initdb
//   and pg_ctl: about 3 s of CPU), stopped (pg_ctl stop -m fast) and its folder removed when
//   the binary exits, whether its tests passed or failed. Running a test binary by hand works so.
//
// The cluster listens on no TCP address, only on a unix socket inside its own folder, so it
// needs no free port and nothing outside the test can reach it; it trusts whoever can open
// that socket. initdb runs with --locale=C -E UTF8. PostgreSQL refuses to run as root: when
// the tests run as root (CI does), initdb and pg_ctl run as the user "nobody", which every
// Debian system has, so the tests need no user made for them; the folder is given to nobody
// (so every folder above it must let others pass: mode o+x).
// Missing PostgreSQL binaries are an error naming the Debian package to install, never a skip.
//
// Each test takes a database of its own (new_database), named after the process id, a counter
// and a random number, so concurrent and later processes on one cluster never collide. Its
// default collation is ICU's root locale ("und") rather than byte order, as a production
// database's often is: the backend must keep byte-wise order on its own (COLLATE "C",
// core/storage/pg_sql.hpp).
//
// PgStandbyPair (below) is another, private cluster with a streaming standby, for the failover
// tests; the shared cluster has none.
//
// Native builds only. Thread-safety: shared() and new_database() from one thread.
#pragma once

#include <string>
#include <vector>

namespace liaison::test {

class PgCluster {
public:
    // The environment variable that names a running cluster's folder.
    static constexpr const char* kDirVariable = "LIAISON_TEST_PG_DIR";

    // The cluster of this run: the one LIAISON_TEST_PG_DIR names, or one started on the first
    // call. Throws std::runtime_error with the reason (and the server's log) when it cannot.
    static PgCluster& shared();
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    // For the program liaison_pg_cluster (CTest's fixture). start_in makes `dir` (an absolute
    // path; a cluster left there by an interrupted run is stopped and its folder replaced) and
    // leaves a cluster running in it; stop_in stops the cluster running in `dir`, if any, and
    // removes the folder. Both throw std::runtime_error with the reason.
    static void start_in(const std::string& dir);
    static void stop_in(const std::string& dir);

    // Creates an empty database with a unique name and returns its postgresql:// URL, whose
    // connections have a statement_timeout (no test waits without bound).
    std::string new_database();
    // A new database holding a copy of `database` (a URL new_database returned), to which no
    // one is connected any more (as a backup copies a closed SQLite file); returns its URL.
    std::string copy_database(const std::string& database);
    const std::string& folder() const { return dir_; }

private:
    PgCluster();
    explicit PgCluster(std::string running_in);  // attached: another process owns the cluster
    void stop_and_remove();
    void drop_made_databases();
    std::string url(const std::string& database) const;
    std::string create(const std::string& clause);  // CREATE DATABASE <new name> <clause>
    std::string dir_;                // the cluster's folder: data/, the socket, the server's log
    std::string bindir_;             // initdb, pg_ctl
    bool owned_ = false;             // started here: stopped and removed at exit
    std::vector<std::string> made_;  // databases made here (dropped at exit when attached)
};

// A primary and a streaming standby of it, private to one test, for the failover tests
// (docs/SCALING.md §4): two clusters in one temporary folder, each on its own unix socket, run
// as the shared cluster is (nobody when root, fsync off, no TCP). The standby is a copy of the
// primary made with `pg_basebackup -R` (which writes its primary_conninfo and standby.signal),
// under the application name kStandbyName; with kSynchronous the primary names it in
// synchronous_standby_names with synchronous_commit = on, so a commit returns only once the
// standby has the transaction's WAL; with kAsynchronous commits do not wait for it. The
// constructor returns once the standby streams (and, synchronous, is the primary's synchronous
// standby), about 3 s of CPU. Both clusters hold one database, named kDatabase. The destructor
// stops whatever still runs (immediate) and removes the folder.
// Throws std::runtime_error with the reason (and the server logs) when a step fails.
// Thread-safety: one thread.
class PgStandbyPair {
public:
    enum class Commit { kSynchronous, kAsynchronous };
    static constexpr const char* kStandbyName = "liaison_standby";
    static constexpr const char* kDatabase = "liaison";

    explicit PgStandbyPair(Commit commit);
    ~PgStandbyPair();
    PgStandbyPair(const PgStandbyPair&) = delete;
    PgStandbyPair& operator=(const PgStandbyPair&) = delete;

    // The database through the primary's socket, and through the standby's (read-only until
    // promoted). Connections have the shared cluster's statement_timeout.
    const std::string& primary_url() const { return primary_url_; }
    const std::string& standby_url() const { return standby_url_; }

    // Waits until the standby has replayed everything the primary wrote so far.
    void wait_for_standby();
    // The primary's machine is lost: `pg_ctl stop -m immediate` (no checkpoint, no goodbye to
    // the standby or the clients).
    void stop_primary();
    // The standby stops (fast) and starts again: while it is down, an asynchronous primary
    // commits without it; started again with no primary, it keeps what it had received.
    void stop_standby();
    void start_standby();
    // `pg_ctl promote -w`: the standby becomes a primary on a new timeline.
    void promote_standby();

private:
    void shut_down();  // stops both (immediate) and removes the folder
    std::string bindir_;
    std::string dir_;  // primary/ and standby/ below it: each a cluster's folder
    std::string primary_url_, standby_url_;
};

}  // namespace liaison::test
