#ifndef __EMSCRIPTEN__

#include "support/pg_cluster.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/storage/database.hpp"

namespace liaison::test {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSuperuser = "liaison";
// The socket's file name carries the port (.s.PGSQL.5432); with no TCP listener no other
// program shares the folder, so the default port is always free there.
constexpr int kPort = 5432;
constexpr int kCommandTimeoutS = 120;        // initdb, pg_ctl start and stop each
constexpr int kStatementTimeoutMs = 30'000;  // any test statement, lock waits included
constexpr int kMaxConnections = 100;

// The newest /usr/lib/postgresql/<major>/bin holding initdb and pg_ctl (Debian's layout).
std::string find_bindir() {
    std::vector<std::pair<int, std::string>> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const auto bin = e.path() / "bin";
        if (fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl"))
            found.emplace_back(std::atoi(e.path().filename().c_str()), bin.string());
    }
    if (found.empty())
        throw std::runtime_error(
            "PostgreSQL server binaries not found (initdb and pg_ctl under "
            "/usr/lib/postgresql/<version>/bin): install the Debian package 'postgresql' "
            "(./scripts/deps does)");
    std::sort(found.begin(), found.end());
    return found.back().second;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs argv[0] with its arguments in `dir`, as `as` (a uid, or -1 for ourselves), output to
// `log`; waits at most kCommandTimeoutS. Throws with the log's text when it fails.
void run(const std::vector<std::string>& argv, const std::string& dir, const passwd* as,
         const std::string& log) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {  // the child calls only async-signal-safe functions until exec
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        // The server pg_ctl leaves running must hold none of the caller's pipes: CTest waits
        // for a test's output to close.
        const int null_in = open("/dev/null", O_RDONLY);
        if (null_in >= 0) dup2(null_in, 0);
        if (chdir(dir.c_str()) != 0) _exit(126);
        if (as && (setgid(as->pw_gid) != 0 || setuid(as->pw_uid) != 0)) _exit(126);
        execv(args[0], args.data());
        _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kCommandTimeoutS);
    int status = 0;
    for (;;) {
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) break;
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            throw std::runtime_error(argv[0] + std::string(" timed out; log:\n") + read_file(log));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(argv[0] + std::string(" failed; log:\n") + read_file(log));
}

// PostgreSQL will not run as root: then the cluster is nobody's.
const passwd* cluster_user() {
    if (geteuid() != 0) return nullptr;
    static passwd copy;
    const passwd* p = getpwnam("nobody");
    if (!p)
        throw std::runtime_error(
            "running as root and there is no user 'nobody' to run PostgreSQL as");
    copy = *p;
    return &copy;
}

// Where `dir`'s server listens: the socket's path must fit a sockaddr_un (108 bytes with its
// terminating zero), or the server cannot make it and libpq cannot reach it.
void check_socket_path(const std::string& dir) {
    constexpr std::size_t kMaxSocketPath = 107;
    const std::string socket = dir + "/.s.PGSQL." + std::to_string(kPort);
    if (socket.size() > kMaxSocketPath)
        throw std::runtime_error("the PostgreSQL test cluster's folder " + dir +
                                 " is too long for a unix socket (" + socket + " has " +
                                 std::to_string(socket.size()) + " bytes, at most " +
                                 std::to_string(kMaxSocketPath) + "): use a shorter build folder");
}

bool running_in(const std::string& dir) { return fs::exists(dir + "/data/postmaster.pid"); }

void stop_cluster(const std::string& bindir, const std::string& dir, const char* mode) {
    if (!running_in(dir)) return;
    run({bindir + "/pg_ctl", "-D", dir + "/data", "-m", mode, "-w", "-t",
         std::to_string(kCommandTimeoutS), "stop"},
        dir, cluster_user(), dir + "/commands.log");
}

// pg_ctl start of the cluster whose data/ is in `dir`, its socket in `dir`.
void start_server(const std::string& bindir, const std::string& dir, const passwd* as) {
    // max_connections: a CTest run with -j2 has two test processes at once, each holding
    // a few stores' connections, and a server test adds its servers' pools.
    run({bindir + "/pg_ctl", "-D", dir + "/data", "-l", dir + "/server.log", "-w", "-t",
         std::to_string(kCommandTimeoutS), "-o",
         "-c listen_addresses='' -k " + dir + " -p " + std::to_string(kPort) +
             " -c fsync=off -c max_connections=" + std::to_string(kMaxConnections),
         "start"},
        dir, as, dir + "/commands.log");
}

// Gives `dir` (which exists) to the user the clusters run as, if that is not us.
void give_to_cluster_user(const std::string& dir) {
    const passwd* as = cluster_user();
    if (as && chown(dir.c_str(), as->pw_uid, as->pw_gid) != 0)
        throw std::runtime_error("cannot give " + dir + " to nobody");
}

// Stops the cluster in `dir` if it runs, and returns the error `e` with its server log: a
// failed start reports what the server said.
std::runtime_error with_server_log(const std::string& bindir, const std::string& dir,
                                   const std::runtime_error& e) {
    const std::string server_log = read_file(dir + "/server.log");
    try {
        stop_cluster(bindir, dir, "immediate");
    } catch (const std::runtime_error&) {
        // The first error is the one to report.
    }
    return std::runtime_error(std::string(e.what()) + "\nserver log (" + dir + "):\n" + server_log);
}

// initdb and pg_ctl start in `dir`, which exists and is empty. On failure the server is
// stopped and the error carries its log.
void start_cluster(const std::string& bindir, const std::string& dir) {
    check_socket_path(dir);
    give_to_cluster_user(dir);
    try {
        // --no-sync and fsync=off: a test cluster need not survive a power cut, and both make
        // its start and its commits much faster.
        run({bindir + "/initdb", "-D", dir + "/data", "-U", kSuperuser, "--auth=trust",
             "--locale=C", "-E", "UTF8", "--no-sync"},
            dir, cluster_user(), dir + "/commands.log");
        start_server(bindir, dir, cluster_user());
    } catch (const std::runtime_error& e) {
        throw with_server_log(bindir, dir, e);
    }
}

std::string url_in(const std::string& dir, const std::string& database) {
    return "postgresql://" + std::string(kSuperuser) + "@/" + database + "?host=" + dir +
           "&port=" + std::to_string(kPort) + "&options=-c%20statement_timeout%3D" +
           std::to_string(kStatementTimeoutMs);
}

// ICU's root collation (not byte order) as a new database's default: see the header.
constexpr const char* kNewDatabaseClause =
    "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und'";

std::unique_ptr<core::Database> open_admin(const std::string& dir) {
    auto admin = core::Database::open(url_in(dir, "postgres"), core::OpenOptions{});
    if (!admin) throw std::runtime_error(admin.status().to_string());
    return std::move(admin).value();
}

// Asks `sql` (one integer) of `db` every 20 ms until it answers `want`, at most
// kCommandTimeoutS; throws naming `what` when it never does.
void wait_until(core::Database& db, const std::string& sql, std::int64_t want,
                const std::string& what) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kCommandTimeoutS);
    while (db.query_int(sql) != want) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("timed out waiting for " + what + " (" + db.error() + ")");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace

PgCluster& PgCluster::shared() {
    static PgCluster cluster = [] {
        const char* dir = std::getenv(kDirVariable);
        return dir && *dir ? PgCluster(std::string(dir)) : PgCluster();
    }();  // destroyed at exit: stops an owned server and removes its folder
    return cluster;
}

PgCluster::PgCluster() {
    bindir_ = find_bindir();
    std::string templ = (fs::temp_directory_path() / "liaison-pg-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("cannot make a temporary folder");
    dir_ = templ;
    try {
        start_cluster(bindir_, dir_);
    } catch (const std::runtime_error&) {
        std::error_code ec;
        fs::remove_all(dir_, ec);
        throw;
    }
    owned_ = true;
}

PgCluster::PgCluster(std::string running_in_dir) : dir_(std::move(running_in_dir)) {
    check_socket_path(dir_);
    if (!running_in(dir_))
        throw std::runtime_error(std::string(kDirVariable) + " names " + dir_ +
                                 ", where no PostgreSQL test cluster runs (start one with "
                                 "`liaison_pg_cluster start " +
                                 dir_ + "`, or unset the variable to start one per process)");
}

PgCluster::~PgCluster() {
    if (owned_)
        stop_and_remove();
    else
        drop_made_databases();
}

void PgCluster::start_in(const std::string& dir) {
    if (dir.empty() || dir.front() != '/')
        throw std::runtime_error("the cluster's folder must be an absolute path: " + dir);
    const std::string bindir = find_bindir();
    // A cluster left by an interrupted run holds the folder and the socket: replace it.
    stop_cluster(bindir, dir, "immediate");
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (!fs::create_directories(dir, ec) || ec)
        throw std::runtime_error("cannot make " + dir + ": " + ec.message());
    start_cluster(bindir, dir);
}

void PgCluster::stop_in(const std::string& dir) {
    if (dir.empty() || dir.front() != '/')
        throw std::runtime_error("the cluster's folder must be an absolute path: " + dir);
    if (running_in(dir)) stop_cluster(find_bindir(), dir, "fast");
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec) throw std::runtime_error("cannot remove " + dir + ": " + ec.message());
}

void PgCluster::stop_and_remove() {
    try {
        stop_cluster(bindir_, dir_, "fast");
    } catch (const std::runtime_error&) {
        // The folder goes anyway; a server left running has lost its files.
    }
    owned_ = false;
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
}

// Another process owns the cluster and runs many binaries against it: each leaves no
// database behind. FORCE ends connections a test left open; failures are ignored, as the
// cluster's folder goes at the end of the run anyway.
void PgCluster::drop_made_databases() {
    if (made_.empty() || !running_in(dir_)) return;
    auto admin = core::Database::open(url("postgres"), core::OpenOptions{});
    if (!admin) return;
    for (const auto& name : made_)
        (void)admin.value()->exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    made_.clear();
}

std::string PgCluster::url(const std::string& database) const { return url_in(dir_, database); }

std::string PgCluster::create(const std::string& clause) {
    // The process id and a counter keep this process's names apart; the random part keeps
    // them apart from a later process that reuses the id on the same cluster.
    static const std::uint32_t salt = std::random_device{}();
    static unsigned counter = 0;
    char name[64];
    std::snprintf(name, sizeof name, "t%ld_%u_%08x", static_cast<long>(getpid()), counter++,
                  static_cast<unsigned>(salt));
    const auto made = open_admin(dir_)->exec(std::string("CREATE DATABASE ") + name + " " + clause);
    if (!made.is_ok()) throw std::runtime_error("CREATE DATABASE: " + made.to_string());
    made_.push_back(name);
    return url(name);
}

std::string PgCluster::new_database() { return create(kNewDatabaseClause); }

std::string PgCluster::copy_database(const std::string& database) {
    std::string source;
    for (const auto& name : made_)
        if (url(name) == database) source = name;
    if (!source.empty()) return create("TEMPLATE " + source);
    throw std::runtime_error("copy_database: not a database of this cluster: " + database);
}

PgStandbyPair::PgStandbyPair(Commit commit) {
    bindir_ = find_bindir();
    std::string templ = (fs::temp_directory_path() / "liaison-pgha-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("cannot make a temporary folder");
    dir_ = templ;
    const std::string primary = dir_ + "/primary", standby = dir_ + "/standby";
    primary_url_ = url_in(primary, kDatabase);
    standby_url_ = url_in(standby, kDatabase);
    try {
        // The clusters' user passes through this folder (mkdtemp makes it 0700).
        fs::permissions(dir_, fs::perms::others_exec, fs::perm_options::add);
        fs::create_directory(primary);
        fs::create_directory(standby);
        check_socket_path(standby);
        start_cluster(bindir_, primary);
        give_to_cluster_user(standby);
        try {
            // -R writes primary_conninfo (with our application name) and standby.signal.
            run({bindir_ + "/pg_basebackup", "-D", standby + "/data", "-R", "--no-sync", "-c",
                 "fast", "-d",
                 "host=" + primary + " port=" + std::to_string(kPort) + " user=" + kSuperuser +
                     " application_name=" + kStandbyName},
                standby, cluster_user(), standby + "/commands.log");
            start_server(bindir_, standby, cluster_user());
        } catch (const std::runtime_error& e) {
            throw with_server_log(bindir_, standby, e);
        }
        auto admin = open_admin(primary);
        const bool synchronous = commit == Commit::kSynchronous;
        if (synchronous) {
            for (const std::string& setting :
                 {std::string("synchronous_standby_names = '") + kStandbyName + "'",
                  std::string("synchronous_commit = on")}) {
                const auto set = admin->exec_postgres("ALTER SYSTEM SET " + setting);
                if (!set) throw std::runtime_error("ALTER SYSTEM: " + set.to_string());
            }
            if (admin->query_int("SELECT pg_reload_conf()") != 1)
                throw std::runtime_error("pg_reload_conf: " + admin->error());
        }
        wait_until(
            *admin,
            std::string("SELECT count(*) FROM pg_stat_replication WHERE application_name = '") +
                kStandbyName + "' AND state = 'streaming' AND sync_state = '" +
                (synchronous ? "sync" : "async") + "'",
            1, "the standby to stream");
        const auto made =
            admin->exec(std::string("CREATE DATABASE ") + kDatabase + " " + kNewDatabaseClause);
        if (!made) throw std::runtime_error("CREATE DATABASE: " + made.to_string());
    } catch (const std::runtime_error&) {
        shut_down();  // no destructor runs for a constructor that throws
        throw;
    }
}

PgStandbyPair::~PgStandbyPair() { shut_down(); }

void PgStandbyPair::shut_down() {
    for (const char* cluster : {"/standby", "/primary"}) try {
            stop_cluster(bindir_, dir_ + cluster, "immediate");
        } catch (const std::runtime_error&) {
            // The folder goes anyway.
        }
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
    dir_.clear();
}

void PgStandbyPair::wait_for_standby() {
    auto admin = open_admin(dir_ + "/primary");
    auto lsn = admin->prepare("SELECT pg_current_wal_lsn()::text");
    if (!lsn || lsn->step() != core::Statement::Step::kRow)
        throw std::runtime_error("pg_current_wal_lsn: " + admin->error());
    wait_until(*admin,
               std::string("SELECT count(*) FROM pg_stat_replication WHERE application_name = '") +
                   kStandbyName + "' AND replay_lsn >= '" + lsn->column_text(0) + "'::pg_lsn",
               1, "the standby to replay the primary's WAL");
}

void PgStandbyPair::stop_primary() { stop_cluster(bindir_, dir_ + "/primary", "immediate"); }

void PgStandbyPair::stop_standby() { stop_cluster(bindir_, dir_ + "/standby", "fast"); }

void PgStandbyPair::start_standby() {
    const std::string standby = dir_ + "/standby";
    try {
        start_server(bindir_, standby, cluster_user());
    } catch (const std::runtime_error& e) {
        throw with_server_log(bindir_, standby, e);
    }
}

void PgStandbyPair::promote_standby() {
    const std::string standby = dir_ + "/standby";
    run({bindir_ + "/pg_ctl", "-D", standby + "/data", "-w", "-t", std::to_string(kCommandTimeoutS),
         "promote"},
        standby, cluster_user(), standby + "/commands.log");
}

}  // namespace liaison::test

#endif  // __EMSCRIPTEN__
