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
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

}  // namespace

PgCluster& PgCluster::shared() {
    static PgCluster cluster;  // destroyed at exit: stops the server, removes the folder
    return cluster;
}

PgCluster::PgCluster() {
    bindir_ = find_bindir();
    std::string templ = (fs::temp_directory_path() / "liaison-pg-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("cannot make a temporary folder");
    dir_ = templ;
    try {
        const passwd* as = cluster_user();
        if (as && chown(dir_.c_str(), as->pw_uid, as->pw_gid) != 0)
            throw std::runtime_error("cannot give " + dir_ + " to nobody");
        const std::string log = dir_ + "/commands.log";
        // --no-sync and fsync=off: a test cluster need not survive a power cut, and both make
        // its start and its commits much faster.
        run({bindir_ + "/initdb", "-D", dir_ + "/data", "-U", kSuperuser, "--auth=trust",
             "--locale=C", "-E", "UTF8", "--no-sync"},
            dir_, as, log);
        run({bindir_ + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/server.log", "-w", "-t",
             std::to_string(kCommandTimeoutS), "-o",
             "-c listen_addresses='' -k " + dir_ + " -p " + std::to_string(kPort) +
                 " -c fsync=off -c max_connections=40",
             "start"},
            dir_, as, log);
        started_ = true;
    } catch (const std::runtime_error& e) {
        const std::string server_log = read_file(dir_ + "/server.log");
        stop_and_remove();
        throw std::runtime_error(std::string(e.what()) + "\nserver log:\n" + server_log);
    }
}

PgCluster::~PgCluster() { stop_and_remove(); }

void PgCluster::stop_and_remove() {
    if (started_) {
        try {
            run({bindir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "-t",
                 std::to_string(kCommandTimeoutS), "stop"},
                dir_, cluster_user(), dir_ + "/commands.log");
        } catch (const std::runtime_error&) {
            // The folder goes anyway; a server left running has lost its files.
        }
        started_ = false;
    }
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::string PgCluster::url(const std::string& database) const {
    return "postgresql://" + std::string(kSuperuser) + "@/" + database + "?host=" + dir_ +
           "&port=" + std::to_string(kPort) + "&options=-c%20statement_timeout%3D" +
           std::to_string(kStatementTimeoutMs);
}

std::string PgCluster::new_database() {
    std::string name = "t";
    name += std::to_string(getpid()) + "_" + std::to_string(next_database_++);
    auto admin = core::Database::open(url("postgres"), core::OpenOptions{});
    if (!admin) throw std::runtime_error(admin.status().to_string());
    // ICU's root collation (not byte order) as the database's default: see the header.
    const auto made = admin.value()->exec("CREATE DATABASE " + name +
                                          " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE "
                                          "'und'");
    if (!made.is_ok()) throw std::runtime_error("CREATE DATABASE: " + made.to_string());
    return url(name);
}

}  // namespace liaison::test

#endif  // __EMSCRIPTEN__
