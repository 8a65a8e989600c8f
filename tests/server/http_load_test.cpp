// The real liaison-server under hundreds of concurrent keep-alive connections (docs/OPERATIONS.md,
// "Limits under load"): every request is answered quickly, with its answer or a 503 that says
// when to retry, and a connection opened while the others stay open is served at once.
//
// The clients are raw sockets, not httplib::Client: the test needs to hold a connection open
// between requests, to bound every wait, and to see exactly what came back (status,
// Retry-After, Connection) — and it must not depend on the HTTP library it tests.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"

namespace liaison::test::server_http_load {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// What one request got back: a status (0: none), the headers the test looks at, or what failed.
struct Answer {
    int status = 0;
    std::string retry_after;
    bool closes = false;  // the server said Connection: close
    std::string error;    // "" when an answer came
    double ms = 0;        // from sending (or connecting) to the whole answer
};

// One HTTP/1.1 connection over a blocking socket, every wait bounded by a deadline.
class RawConnection {
public:
    RawConnection() = default;
    ~RawConnection() { close(); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // "" on success, else what failed.
    std::string open(int port, Clock::time_point deadline) {
        close();
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd_ < 0) return "socket() failed";
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(std::uint16_t(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return "";
        if (errno != EINPROGRESS) return "connect() failed";
        if (!wait_for(POLLOUT, deadline)) return "connect timed out";
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
        return err == 0 ? "" : "connect refused";
    }

    bool is_open() const { return fd_ >= 0; }

    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        buf_.clear();
    }

    // Sends `request` whole and reads one answer (headers and a Content-Length body).
    Answer exchange(const std::string& request, Clock::time_point deadline) {
        Answer a;
        for (std::size_t sent = 0; sent < request.size();) {
            ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
            if (n > 0) {
                sent += std::size_t(n);
            } else if (n < 0 && errno == EAGAIN) {
                if (!wait_for(POLLOUT, deadline)) return fail(a, "send timed out");
            } else {
                return fail(a, "send failed");
            }
        }
        std::size_t end;
        while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
            if (auto e = fill(deadline); !e.empty()) return fail(a, e);
        const std::string head = buf_.substr(0, end + 2);
        buf_.erase(0, end + 4);
        if (head.rfind("HTTP/1.1 ", 0) != 0 || head.size() < 12) return fail(a, "bad status line");
        a.status = std::atoi(head.c_str() + 9);
        std::size_t length = 0;
        for (std::size_t at = head.find("\r\n") + 2, next; at < head.size(); at = next + 2) {
            next = head.find("\r\n", at);
            const std::string line = head.substr(at, next - at);
            const auto colon = line.find(':');
            if (colon == std::string::npos) continue;
            std::string name = line.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(), ::tolower);
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            if (name == "content-length") length = std::size_t(std::atol(value.c_str()));
            if (name == "retry-after") a.retry_after = value;
            if (name == "connection" && value == "close") a.closes = true;
        }
        while (buf_.size() < length)
            if (auto e = fill(deadline); !e.empty()) return fail(a, e);
        buf_.erase(0, length);
        return a;
    }

private:
    bool wait_for(short events, Clock::time_point deadline) {
        for (;;) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) return false;
            pollfd p{fd_, events, 0};
            int r = ::poll(&p, 1, int(left.count()));
            if (r > 0) return true;
            if (r < 0 && errno != EINTR) return false;
        }
    }
    std::string fill(Clock::time_point deadline) {
        if (!wait_for(POLLIN, deadline)) return "no answer before the deadline";
        char chunk[4096];
        ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n == 0) return "closed by the server";
        if (n < 0) return errno == EAGAIN ? "" : "recv failed";
        buf_.append(chunk, std::size_t(n));
        return "";
    }
    static Answer fail(Answer& a, const std::string& what) {
        a.status = 0;
        a.error = what;
        return a;
    }
    int fd_ = -1;
    std::string buf_;
};

std::string get_request(const std::string& path, const std::string& token) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
           "\r\n\r\n";
}

// An answer the load test accepts: the route's own, or a refusal that tells the client when to
// come back (the gate's 429, the transport's 503).
bool is_answered(const Answer& a) {
    if (a.status == 200) return true;
    return (a.status == 503 || a.status == 429) && !a.retry_after.empty();
}

// A gate every client thread waits at, so that the requests start together.
class StartLine {
public:
    explicit StartLine(int parties) : left_(parties) {}
    void arrive_and_wait() {
        std::unique_lock<std::mutex> lock(mu_);
        if (--left_ == 0) cv_.notify_all();
        cv_.wait(lock, [&] { return left_ <= 0; });
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    int left_;
};

struct Tally {
    double all_answered_ms = 0;  // from the start line to the last answer
    double worst_ms = 0;
    std::map<std::string, int> outcomes;  // "200", "503", "no answer before the deadline", …
    std::string first_failure;

    void add(const Answer& a) {
        worst_ms = std::max(worst_ms, a.ms);
        const std::string key = a.error.empty() ? std::to_string(a.status) : a.error;
        ++outcomes[key];
        if (!is_answered(a) && first_failure.empty()) first_failure = key;
    }
    int count(const std::string& key) const {
        auto it = outcomes.find(key);
        return it == outcomes.end() ? 0 : it->second;
    }
    std::string summary() const {
        std::string s;
        for (const auto& [k, n] : outcomes)
            s += (s.empty() ? "" : ", ") + k + " x" + std::to_string(n);
        return s;
    }
};

// The server with the per-token rate limit out of the way: these tests are about the transport,
// and every client shares the one token.
std::vector<std::string> unlimited() { return {"--rate-limit", "1000000", "--burst", "1000000"}; }

// Every connection sends `request` at the same moment, each from its own thread, and waits up
// to `bound` for the answer. A closed connection is opened first when `reconnect`, else skipped
// (its Answer says "not reused"). Connections stay open unless the server said it closes them.
Tally ask_at_once(std::vector<RawConnection>& conns, int port, const std::string& request,
                  Clock::duration bound, bool reconnect) {
    std::vector<Answer> answers(conns.size());
    StartLine start(int(conns.size()) + 1);
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < conns.size(); ++i) {
        clients.emplace_back([&, i] {
            start.arrive_and_wait();
            const auto begin = Clock::now();
            Answer& a = answers[i];
            if (!conns[i].is_open() && !reconnect) {
                a.error = "not reused";
                return;
            }
            if (!conns[i].is_open())
                if (auto e = conns[i].open(port, begin + bound); !e.empty()) a.error = e;
            if (a.error.empty()) a = conns[i].exchange(request, begin + bound);
            a.ms = ms_since(begin);
            if (!a.error.empty() || a.closes) conns[i].close();
        });
    }
    start.arrive_and_wait();
    const auto t0 = Clock::now();
    for (auto& t : clients) t.join();
    Tally tally;
    tally.all_answered_ms = ms_since(t0);
    for (const auto& a : answers)
        if (a.error != "not reused") tally.add(a);
    return tally;
}

// One request on a new connection, connecting included within `bound`.
Answer ask_fresh(int port, const std::string& request, Clock::duration bound) {
    RawConnection fresh;
    const auto t0 = Clock::now();
    Answer a;
    if (auto e = fresh.open(port, t0 + bound); !e.empty())
        a.error = e;
    else
        a = fresh.exchange(request, t0 + bound);
    a.ms = ms_since(t0);
    return a;
}

std::string describe(const Answer& a) {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.0f ms", a.ms);
    return (a.error.empty() ? std::to_string(a.status) : a.error) + " in " + ms;
}

std::string describe(const Tally& t) {
    char ms[64];
    std::snprintf(ms, sizeof ms, "all in %.0f ms, worst %.0f ms", t.all_answered_ms, t.worst_ms);
    return t.summary() + " (" + ms + ")";
}

double ms_of(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

// The 111 s stall (docs/OPERATIONS.md, "Limits under load"): 64 workers each held by a
// keep-alive connection between its requests, the accepting thread waiting on a full queue, and
// the kernel's backlog of 5 dropping the rest into TCP retransmissions.
TEST_CASE(
    "four hundred keep-alive connections are all answered and a fresh one is not kept waiting",
    "[server][load]") {
    constexpr int kConnections = 400;
    // Every answer within 3 s, connection included. What it costs the server: 400 connections
    // accepted and 400 requests of about a millisecond each on 2 cores — well under a second —
    // so 3 s leaves room for a loaded test machine, and is still below the 5 s a worker used to
    // stay with an idle keep-alive connection (which a starved request had to wait out).
    constexpr auto kAnswerBound = std::chrono::seconds(3);
    // A connection opened while all the others stay open: answered within a second.
    constexpr auto kFreshBound = std::chrono::milliseconds(1000);

    Setup setup;
    ServerProcess server(setup.db, unlimited(), setup.log);
    const std::string me = get_request("/api/v1/me", setup.central_token);

    std::vector<RawConnection> conns(kConnections);
    const Tally firsts = ask_at_once(conns, server.port(), me, kAnswerBound, true);
    // All the keep-alive connections are open and idle: a newcomer is served at once.
    const Answer fresh = ask_fresh(server.port(), me, kFreshBound);
    // And every idle connection is still usable for its next request.
    const Tally seconds = ask_at_once(conns, server.port(), me, kAnswerBound, false);

    std::fprintf(stderr,
                 "http_load: %d connections: first requests %s; fresh connection %s; "
                 "second requests %s\n",
                 kConnections, describe(firsts).c_str(), describe(fresh).c_str(),
                 describe(seconds).c_str());
    INFO("first requests: " << describe(firsts) << "; fresh: " << describe(fresh)
                            << "; second requests: " << describe(seconds));
    CHECK(firsts.first_failure.empty());
    CHECK(firsts.worst_ms < ms_of(kAnswerBound));
    CHECK(firsts.count("200") > 0);
    CHECK(fresh.error.empty());
    CHECK(fresh.status == 200);
    CHECK(fresh.ms < ms_of(kFreshBound));
    CHECK(seconds.first_failure.empty());
    CHECK(seconds.count("200") > 0);
    CHECK(server.running());
}

// A request the gate refuses before reading its body (here 401) leaves the body's bytes on the
// connection; read as the next request they answered the client's real next request with 400
// (a browser signing in again after a revoked token saw "the request could not be understood").
// The refusal now closes the connection; a body the gate did read keeps it open.
TEST_CASE("a request refused before its body was read closes its connection", "[server][load]") {
    Setup setup;
    ServerProcess server(setup.db, unlimited(), setup.log);
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    const std::string body(3000, 'x');  // no line break: read as a request line it never ends
    const std::string refused =
        "POST /api/v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Connection: keep-alive\r\n"  // as a browser sends it
        "Authorization: Bearer not-a-token\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    RawConnection c;
    REQUIRE(c.open(server.port(), deadline).empty());
    const Answer a = c.exchange(refused, deadline);
    INFO(describe(a));
    CHECK(a.status == 401);
    CHECK(a.closes);
    // And the server closed it: a request sent after the refusal is not answered (with 400).
    const Answer after = c.exchange(get_request("/api/v1/me", setup.central_token), deadline);
    INFO("after the refusal: " << describe(after));
    CHECK(after.status == 0);

    // Accepted requests keep their connection: two on one.
    const std::string me = get_request("/api/v1/me", setup.central_token);
    RawConnection k;
    REQUIRE(k.open(server.port(), deadline).empty());
    const Answer first = k.exchange(me, deadline), second = k.exchange(me, deadline);
    CHECK(first.status == 200);
    CHECK_FALSE(first.closes);
    CHECK(second.status == 200);
}

// Past max_connections a newcomer is told 503 at once, not left in silence. The limit follows
// the process's open-file limit, so the server is started with a low one (inherited from this
// process, which restores its own right after).
TEST_CASE("connections past the limit are refused at once with 503 and Retry-After",
          "[server][load]") {
    // 600 descriptors: the pool keeps 128 for the database and logs and 256 for refused
    // connections being closed, so it admits 216 connections.
    constexpr rlim_t kServerFds = 600;
    constexpr int kConnections = 300;
    constexpr auto kAnswerBound = std::chrono::seconds(3);
    constexpr auto kFreshBound = std::chrono::milliseconds(1000);

    Setup setup;
    rlimit mine{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &mine) == 0);
    REQUIRE(mine.rlim_max >= 1024);
    rlimit low = mine;
    low.rlim_cur = kServerFds;
    REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
    std::unique_ptr<ServerProcess> server;
    try {
        server = std::make_unique<ServerProcess>(setup.db, unlimited(), setup.log);
    } catch (...) {
        setrlimit(RLIMIT_NOFILE, &mine);
        throw;
    }
    REQUIRE(setrlimit(RLIMIT_NOFILE, &mine) == 0);
    const std::string me = get_request("/api/v1/me", setup.central_token);

    std::vector<RawConnection> conns(kConnections);
    const Tally wave = ask_at_once(conns, server->port(), me, kAnswerBound, true);
    const Answer fresh = ask_fresh(server->port(), me, kFreshBound);
    std::fprintf(stderr, "http_load: %d connections over a limit of 216: %s; fresh connection %s\n",
                 kConnections, describe(wave).c_str(), describe(fresh).c_str());
    INFO("connections: " << describe(wave) << "; fresh: " << describe(fresh));
    // Every request answered: 200, or 503 with Retry-After — never a silence or a reset.
    CHECK(wave.first_failure.empty());
    CHECK(wave.worst_ms < ms_of(kAnswerBound));
    CHECK(wave.count("200") >= 200);
    CHECK(wave.count("503") > 0);
    // With the admitted connections still open, a newcomer is refused at once.
    CHECK(fresh.status == 503);
    CHECK(!fresh.retry_after.empty());
    CHECK(fresh.ms < ms_of(kFreshBound));
    // Once they close, newcomers are served again.
    for (auto& c : conns) c.close();
    Answer later;
    for (int i = 0; i < 50 && later.status != 200; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        later = ask_fresh(server->port(), me, kFreshBound);
    }
    CHECK(later.status == 200);
    CHECK(server->running());
    const std::string log = read_file(setup.log);
    CHECK(log.find("\"event\":\"connection_refused\"") != std::string::npos);
}

// The measurement behind the figures in docs/PERFORMANCE.md, not a gate (hidden: run it by its
// tag). N clients (LIAISON_LOAD_CONNECTIONS, default 400) each open a keep-alive connection at
// once and send GET /api/v1/me back to back for LIAISON_LOAD_SECONDS (default 10); every request
// may wait up to 200 s. Prints when every client had its first answer and the worst latency.
TEST_CASE("keep-alive clients sending back to back measure the worst wait", "[.][load][measure]") {
    auto env_int = [](const char* name, int fallback, int lo, int hi) {
        const char* v = std::getenv(name);
        const int n = v ? std::atoi(v) : fallback;
        return std::clamp(n, lo, hi);
    };
    const int connections = env_int("LIAISON_LOAD_CONNECTIONS", 400, 1, 2000);
    const auto duration = std::chrono::seconds(env_int("LIAISON_LOAD_SECONDS", 10, 1, 600));
    constexpr auto kWait = std::chrono::seconds(200);

    Setup setup;
    ServerProcess server(setup.db, unlimited(), setup.log);
    const std::string me = get_request("/api/v1/me", setup.central_token);
    std::vector<Tally> tallies(std::size_t(connections), Tally{});
    std::vector<double> first_at(std::size_t(connections), -1);
    StartLine start(connections + 1);
    Clock::time_point t0;
    std::vector<std::thread> clients;
    for (int i = 0; i < connections; ++i) {
        clients.emplace_back([&, i] {
            start.arrive_and_wait();
            RawConnection c;
            const auto stop = t0 + duration;
            do {
                const auto begin = Clock::now();
                Answer a;
                if (!c.is_open())
                    if (auto e = c.open(server.port(), begin + kWait); !e.empty()) a.error = e;
                if (a.error.empty()) a = c.exchange(me, begin + kWait);
                a.ms = ms_since(begin);
                tallies[std::size_t(i)].add(a);
                if (first_at[std::size_t(i)] < 0) first_at[std::size_t(i)] = ms_since(t0);
                if (!a.error.empty() || a.closes) c.close();
                if (a.status == 503) std::this_thread::sleep_for(std::chrono::seconds(1));
            } while (Clock::now() < stop);
        });
    }
    t0 = Clock::now();
    start.arrive_and_wait();
    for (auto& t : clients) t.join();
    Tally all;
    for (const auto& t : tallies) {
        all.worst_ms = std::max(all.worst_ms, t.worst_ms);
        for (const auto& [k, n] : t.outcomes) all.outcomes[k] += n;
    }
    std::fprintf(stderr,
                 "http_load measure: %d clients for %llds: every client answered once after %.0f "
                 "ms; worst request %.0f ms; %s\n",
                 connections, static_cast<long long>(duration.count()),
                 *std::max_element(first_at.begin(), first_at.end()), all.worst_ms,
                 all.summary().c_str());
    CHECK(server.running());
}

}  // namespace liaison::test::server_http_load
