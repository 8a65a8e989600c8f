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

// initdb and pg_ctl start in `dir`, which exists and is empty. On failure the server is
// stopped and the error carries its log.
void start_cluster(const std::string& bindir, const std::string& dir) {
    check_socket_path(dir);
    const passwd* as = cluster_user();
    if (as && chown(dir.c_str(), as->pw_uid, as->pw_gid) != 0)
        throw std::runtime_error("cannot give " + dir + " to nobody");
    const std::string log = dir + "/commands.log";
    try {
        // --no-sync and fsync=off: a test cluster need not survive a power cut, and both make
        // its start and its commits much faster.
        run({bindir + "/initdb", "-D", dir + "/data", "-U", kSuperuser, "--auth=trust",
             "--locale=C", "-E", "UTF8", "--no-sync"},
            dir, as, log);
        // max_connections: a CTest run with -j2 has two test processes at once, each holding
        // a few stores' connections, and a server test adds its servers' pools.
        run({bindir + "/pg_ctl", "-D", dir + "/data", "-l", dir + "/server.log", "-w", "-t",
             std::to_string(kCommandTimeoutS), "-o",
             "-c listen_addresses='' -k " + dir + " -p " + std::to_string(kPort) +
                 " -c fsync=off -c max_connections=" + std::to_string(kMaxConnections),
             "start"},
            dir, as, log);
    } catch (const std::runtime_error& e) {
        const std::string server_log = read_file(dir + "/server.log");
        try {
            stop_cluster(bindir, dir, "immediate");
        } catch (const std::runtime_error&) {
            // The first error is the one to report.
        }
        throw std::runtime_error(std::string(e.what()) + "\nserver log:\n" + server_log);
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

std::string PgCluster::url(const std::string& database) const {
    return "postgresql://" + std::string(kSuperuser) + "@/" + database + "?host=" + dir_ +
           "&port=" + std::to_string(kPort) + "&options=-c%20statement_timeout%3D" +
           std::to_string(kStatementTimeoutMs);
}

std::string PgCluster::create(const std::string& clause) {
    // The process id and a counter keep this process's names apart; the random part keeps
    // them apart from a later process that reuses the id on the same cluster.
    static const std::uint32_t salt = std::random_device{}();
    static unsigned counter = 0;
    char name[64];
    std::snprintf(name, sizeof name, "t%ld_%u_%08x", static_cast<long>(getpid()), counter++,
                  static_cast<unsigned>(salt));
    auto admin = core::Database::open(url("postgres"), core::OpenOptions{});
    if (!admin) throw std::runtime_error(admin.status().to_string());
    const auto made = admin.value()->exec(std::string("CREATE DATABASE ") + name + " " + clause);
    if (!made.is_ok()) throw std::runtime_error("CREATE DATABASE: " + made.to_string());
    made_.push_back(name);
    return url(name);
}

std::string PgCluster::new_database() {
    // ICU's root collation (not byte order) as the database's default: see the header.
    return create("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und'");
}

std::string PgCluster::copy_database(const std::string& database) {
    std::string source;
    for (const auto& name : made_)
        if (url(name) == database) source = name;
    if (!source.empty()) return create("TEMPLATE " + source);
    throw std::runtime_error("copy_database: not a database of this cluster: " + database);
}

}  // namespace liaison::test

#endif  // __EMSCRIPTEN__
