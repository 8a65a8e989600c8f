#include "server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace liaison::test {
namespace {

int exit_code_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, std::size_t(n));
    }
    return out;
}

std::vector<char*> argv_of(std::vector<std::string>& args) {
    std::vector<char*> v;
    for (auto& a : args) v.push_back(a.data());
    v.push_back(nullptr);
    return v;
}

}  // namespace

CliResult run_cli(const std::vector<std::string>& args) {
    int out[2], err[2];
    if (pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("pipe");
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork");
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]), close(out[1]), close(err[0]), close(err[1]);
        std::vector<std::string> all = {LIAISON_SERVER_BIN};
        all.insert(all.end(), args.begin(), args.end());
        auto argv = argv_of(all);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out[1]), close(err[1]);
    CliResult r;
    // stderr is small (a line or the usage text): read stdout first, then stderr.
    r.out = read_all(out[0]);
    r.err = read_all(err[0]);
    close(out[0]), close(err[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = exit_code_of(status);
    return r;
}

std::string cli_ok(const std::vector<std::string>& args) {
    CliResult r = run_cli(args);
    if (r.exit_code != 0) {
        std::string cmd;
        for (const auto& a : args) cmd += " " + a;
        throw std::runtime_error("liaison-server" + cmd + ": exit " + std::to_string(r.exit_code) +
                                 ": " + r.err);
    }
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r.out;
}

ServerProcess::ServerProcess(const std::string& db, const std::vector<std::string>& extra_args,
                             const std::string& log_path) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
        int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2(out[1], 1);
        if (log >= 0) dup2(log, 2);
        close(out[0]), close(out[1]);
        std::vector<std::string> all = {LIAISON_SERVER_BIN, "serve",     "--db",   db,
                                        "--host",           "127.0.0.1", "--port", "0"};
        all.insert(all.end(), extra_args.begin(), extra_args.end());
        auto argv = argv_of(all);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out[1]);
    out_fd_ = out[0];

    // Read stdout lines until "listening on http://127.0.0.1:PORT".
    std::string pending;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (port_ == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            stop();
            throw std::runtime_error("liaison-server did not start within 30 s (log: " + log_path +
                                     ")");
        }
        pollfd p{out_fd_, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0) continue;
        char buf[1024];
        ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0) {
            stop();
            throw std::runtime_error("liaison-server exited before listening (log: " + log_path +
                                     ")");
        }
        pending.append(buf, std::size_t(n));
        for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
            std::string line = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            auto at = line.find("listening on http://127.0.0.1:");
            if (at != std::string::npos) {
                port_ = std::atoi(line.c_str() + at +
                                  std::string("listening on http://127.0.0.1:").size());
                break;
            }
            banner_.push_back(line);
        }
    }
    for (int i = 0; i < 100; ++i) {
        auto res = client()->Get("/healthz");
        if (res && res->status == 200) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    stop();
    throw std::runtime_error("liaison-server does not answer /healthz");
}

ServerProcess::~ServerProcess() { stop(); }

std::unique_ptr<httplib::Client> ServerProcess::client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_connection_timeout(5, 0);
    c->set_read_timeout(30, 0);
    c->set_write_timeout(30, 0);
    return c;
}

bool ServerProcess::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

int ServerProcess::stop() {
    int code = -1;
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        int status = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        for (;;) {
            pid_t r = waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                code = exit_code_of(status);
                break;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                kill(pid_, SIGKILL);
                waitpid(pid_, &status, 0);
                code = exit_code_of(status);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        pid_ = -1;
    }
    if (out_fd_ >= 0) {
        close(out_fd_);
        out_fd_ = -1;
    }
    return code;
}

void ServerProcess::crash() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    stop();
}

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

}  // namespace liaison::test
