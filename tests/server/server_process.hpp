// The real liaison-server, as a child process on a random loopback port, for integration
// tests; and the command line run once (init, user add, token issue ...).
//
// ServerProcess starts `liaison-server serve --db DB --port 0 ...`, reads the port it prints,
// waits until GET /healthz answers, and stops it (SIGTERM, then SIGKILL after a grace period)
// when destroyed. The server's stderr (its JSON request log) goes to a file the test can read.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace liaison::test {

struct CliResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};
// Runs the server binary with `args` and waits for it.
CliResult run_cli(const std::vector<std::string>& args);
// Like run_cli, but requires exit code 0 and returns stdout without the trailing newline.
std::string cli_ok(const std::vector<std::string>& args);

class ServerProcess {
public:
    ServerProcess(const std::string& db, const std::vector<std::string>& extra_args,
                  const std::string& log_path);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return port_; }
    // The process, for a test that signals it itself (SIGSTOP); -1 once it has ended.
    pid_t pid() const { return pid_; }
    // What the server printed on stdout before it listened (demo tokens ...).
    const std::vector<std::string>& banner() const { return banner_; }
    std::unique_ptr<httplib::Client> client() const;
    bool running();
    // SIGTERM and wait; returns the exit code (or 128 + signal).
    int stop();
    // SIGKILL (a crash: no shutdown code runs) and wait.
    void crash();

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    int port_ = 0;
    std::vector<std::string> banner_;
};

// Headers carrying a bearer token.
httplib::Headers bearer(const std::string& token);

}  // namespace liaison::test
