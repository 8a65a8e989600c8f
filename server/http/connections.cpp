#include "server/http/connections.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace liaison::server {
namespace {

using Clock = std::chrono::steady_clock;

// Set by close_after_this_request() while a worker serves a request on this thread.
thread_local bool t_close_after = false;

// Connections beyond max_connections, kept only long enough to be told 503, up to this many
// more; past that they are closed at once (the file descriptors must stay bounded).
constexpr std::size_t kMaxClosing = 256;
// File descriptors kept for the database, its journal, logs and backups.
constexpr rlim_t kReservedFds = 128;
// The read-ahead of one connection (httplib reads request lines a byte at a time).
constexpr std::size_t kReadAhead = 4096;

int wait_fd(int fd, short events, std::chrono::milliseconds timeout) {
    pollfd p{fd, events, 0};
    for (;;) {
        int r = ::poll(&p, 1, int(timeout.count()));
        if (r >= 0 || errno != EINTR) return r;
    }
}

void describe(int fd, bool peer, std::string& ip, int& port) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int r = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                 : ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    if (r != 0) return;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host, serv, sizeof serv,
                      NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
        ip = host;
        port = std::atoi(serv);
    }
}

enum class State { kParked, kQueued, kServing, kClosing };

struct Connection {
    int fd = -1;
    State state = State::kParked;
    Clock::time_point since;  // when it entered its state
    std::size_t served = 0;   // requests answered on it
    std::string remote_ip, local_ip;
    int remote_port = 0, local_port = 0;
    // Bytes read from the socket and not yet parsed: kept across parking, so a pipelined
    // request is never lost.
    std::vector<char> buf;
    std::size_t buf_off = 0, buf_len = 0;
    bool has_buffered() const { return buf_off < buf_len; }
};

// httplib's view of one connection while a worker serves it: reads go through the
// connection's read-ahead, every wait is bounded by the read or write timeout.
class ConnectionStream final : public httplib::Stream {
public:
    ConnectionStream(Connection& c, const ConnectionLimits& l) : c_(c), limits_(l) {}

    bool is_readable() const override {
        return c_.has_buffered() || wait_fd(c_.fd, POLLIN, limits_.read_timeout) > 0;
    }
    // Writable and not hung up (a content provider stops when the client has gone).
    bool is_writable() const override {
        pollfd p{c_.fd, POLLOUT, 0};
        int r;
        while ((r = ::poll(&p, 1, int(limits_.write_timeout.count() * 1000))) < 0 &&
               errno == EINTR) {
        }
        return r > 0 && (p.revents & (POLLERR | POLLHUP)) == 0;
    }
    ssize_t read(char* ptr, size_t size) override {
        if (!c_.has_buffered()) {
            if (!is_readable()) return -1;
            if (size >= kReadAhead) return ::recv(c_.fd, ptr, size, 0);
            c_.buf.resize(kReadAhead);
            ssize_t n = ::recv(c_.fd, c_.buf.data(), c_.buf.size(), 0);
            if (n <= 0) return n;
            c_.buf_off = 0;
            c_.buf_len = std::size_t(n);
        }
        const std::size_t n = std::min(size, c_.buf_len - c_.buf_off);
        std::memcpy(ptr, c_.buf.data() + c_.buf_off, n);
        c_.buf_off += n;
        return ssize_t(n);
    }
    ssize_t write(const char* ptr, size_t size) override {
        if (!is_writable()) return -1;
        return ::send(c_.fd, ptr, size, MSG_NOSIGNAL);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = c_.remote_ip;
        port = c_.remote_port;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = c_.local_ip;
        port = c_.local_port;
    }
    socket_t socket() const override { return c_.fd; }

private:
    Connection& c_;
    const ConnectionLimits& limits_;
};

const std::string& refusal() {
    static const std::string body =
        "{\"error\":{\"code\":\"unavailable\",\"message\":\"the server is busy; try again in a "
        "second\"}}";
    static const std::string response =
        std::string("HTTP/1.1 503 Service Unavailable\r\n") +
        "Retry-After: 1\r\nConnection: close\r\nContent-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    return response;
}

}  // namespace

// The pool of one listening run (see connections.hpp for the states). cpp-httplib's accepting
// thread calls enqueue() with a task that lands in adopt(); shutdown() at the end of the run.
class ConnectionPool final : public httplib::TaskQueue {
public:
    ConnectionPool(PooledServer& server, const ConnectionLimits& limits)
        : server_(server), limits_(limits) {
        rlimit fds{};
        if (::getrlimit(RLIMIT_NOFILE, &fds) == 0 && fds.rlim_cur != RLIM_INFINITY) {
            const rlim_t usable = fds.rlim_cur > 2 * kReservedFds + kMaxClosing
                                      ? fds.rlim_cur - kReservedFds - kMaxClosing
                                      : fds.rlim_cur / 2;
            limits_.max_connections = std::min<std::size_t>(limits_.max_connections, usable);
        }
        epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
        wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        queued_signal_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = wake_;
        ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
        watcher_ = std::thread([this] { watch(); });
        for (std::size_t i = 0; i < std::max<std::size_t>(1, limits_.workers); ++i)
            workers_.emplace_back([this] { work(); });
    }
    ~ConnectionPool() override {
        if (!stopping_) shutdown();
        server_.pool_.store(nullptr);
        ::close(epoll_);
        ::close(wake_);
        ::close(queued_signal_);
    }

    // The task runs PooledServer::process_and_close_socket, which calls adopt(): on the
    // accepting thread, and quickly.
    void enqueue(std::function<void()> fn) override { fn(); }

    void shutdown() override {
        {
            std::lock_guard<std::mutex> lock(mu_);
            stopping_ = true;
        }
        ready_cv_.notify_all();
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake_, &one, sizeof one);
        n = ::write(queued_signal_, &one, sizeof one);
        if (watcher_.joinable()) watcher_.join();
        for (auto& t : workers_)
            if (t.joinable()) t.join();
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& [fd, c] : open_) ::close(fd);
        open_.clear();
        ready_.clear();
    }

    // A connection just accepted.
    void adopt(int fd) {
        auto c = std::make_unique<Connection>();
        c->fd = fd;
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        describe(fd, true, c->remote_ip, c->remote_port);
        describe(fd, false, c->local_ip, c->local_port);
        const auto now = Clock::now();
        std::unique_lock<std::mutex> lock(mu_);
        if (stopping_) {
            ::close(fd);
            return;
        }
        const bool backed_up =
            !ready_.empty() && now - ready_.front()->since > limits_.max_queue_wait;
        if (backed_up || open_.size() - closing_ >= limits_.max_connections) {
            refuse(std::move(c), now);
            lock.unlock();
            if (server_.log_)
                server_.log_(std::string("\"level\":\"warn\",\"event\":\"connection_refused\","
                                         "\"status\":503,\"reason\":\"") +
                             (backed_up ? "queue" : "connections") + "\"");
            return;
        }
        Connection* raw = c.get();
        open_.emplace(fd, std::move(c));
        char byte;
        if (::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0) {
            enqueue_ready(raw, now);
        } else {
            park(raw, now);  // nothing sent yet: no worker waits for it
        }
    }

private:
    // Requires: mu_ held.
    void enqueue_ready(Connection* c, Clock::time_point now) {
        c->state = State::kQueued;
        c->since = now;
        ready_.push_back(c);
        queued_.store(ready_.size());
        ready_cv_.notify_one();
        if (lingering_.load() > 0 && ready_.size() > idle_.load()) {  // no idle worker for it
            const std::uint64_t one = 1;
            [[maybe_unused]] auto n = ::write(queued_signal_, &one, sizeof one);
        }
    }
    // Requires: mu_ held.
    void park(Connection* c, Clock::time_point now) {
        c->state = State::kParked;
        c->since = now;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
        ev.data.fd = c->fd;
        if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, c->fd, &ev) != 0) drop(c->fd);
    }
    // Requires: mu_ held; the connection is not in epoll's set.
    void drop(int fd) {
        auto it = open_.find(fd);
        if (it == open_.end()) return;
        if (it->second->state == State::kClosing) --closing_;
        ::close(fd);
        open_.erase(it);
    }
    // Requires: mu_ held. Sends the 503 and keeps the connection until the client closes.
    void refuse(std::unique_ptr<Connection> c, Clock::time_point now) {
        const int fd = c->fd;
        ++server_.refused_;
        const std::string& r = refusal();
        const bool sent =
            ::send(fd, r.data(), r.size(), MSG_NOSIGNAL | MSG_DONTWAIT) == ssize_t(r.size());
        if (!sent || closing_ >= kMaxClosing) {
            ::close(fd);
        } else {
            ::shutdown(fd, SHUT_WR);
            c->state = State::kClosing;
            c->since = now;
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
            ev.data.fd = fd;
            if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) {
                ::close(fd);
            } else {
                ++closing_;
                open_.emplace(fd, std::move(c));
            }
        }
    }

    void work() {
        for (;;) {
            Connection* c = nullptr;
            {
                std::unique_lock<std::mutex> lock(mu_);
                ++idle_;
                ready_cv_.wait(lock, [&] { return !ready_.empty() || stopping_; });
                --idle_;
                if (stopping_) return;  // shutdown() closes what is left
                c = ready_.front();
                ready_.pop_front();
                queued_.store(ready_.size());
                c->state = State::kServing;
            }
            serve(c);
        }
    }

    // Serves requests on `c` while they come; then parks or closes it.
    void serve(Connection* c) {
        for (;;) {
            const bool last = c->served + 1 >= limits_.keep_alive_max_requests || stopping_;
            bool closed = false, ok = false;
            ConnectionStream strm(*c, limits_);
            t_close_after = false;
            try {
                ok = server_.serve_request(strm, last, closed);
            } catch (...) {
                ok = false;  // httplib answers handler exceptions itself; this is its own failure
            }
            ++c->served;
            if (!ok || closed || last || t_close_after) {
                std::lock_guard<std::mutex> lock(mu_);
                drop(c->fd);
                return;
            }
            if (!next_request_arrives(*c)) {
                std::lock_guard<std::mutex> lock(mu_);
                if (stopping_)
                    drop(c->fd);
                else
                    park(c, Clock::now());
                return;
            }
        }
    }

    // Whether the next request on `c` arrives within kLinger while no other connection waits
    // for a worker (one no idle worker is there to take). The worker sleeps on its socket and on
    // queued_signal_, which a connection queued while workers linger and none is idle makes
    // readable: woken by either, never by a timer slice (a 2 ms slice woke every lingering
    // worker some ten times a request under load: a quarter of the PostgreSQL servers' CPU,
    // docs/PERFORMANCE.md "Server on PostgreSQL").
    bool next_request_arrives(const Connection& c) {
        if (c.has_buffered()) return true;
        const auto until = Clock::now() + kLinger;
        ++lingering_;  // before looking at the queue: an enqueue after the look signals
        bool arrived = false;
        while (queued_.load() <= idle_.load() && !stopping_) {
            const auto left =
                std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
            if (left <= 0) break;
            pollfd p[2] = {{c.fd, POLLIN, 0}, {queued_signal_, POLLIN, 0}};
            const int r = ::poll(p, 2, int(left));
            if (r < 0 && errno != EINTR) break;
            if (r > 0 && p[0].revents) {
                arrived = true;
                break;
            }
            // Signalled, and the queue emptied since: quiet the signal for the next wait. (An
            // enqueue after this read signals again.)
            if (r > 0 && p[1].revents && queued_.load() <= idle_.load()) {
                std::uint64_t v;
                [[maybe_unused]] auto n = ::read(queued_signal_, &v, sizeof v);
            }
        }
        --lingering_;
        return arrived;
    }

    // The epoll thread: wakes parked connections that have bytes, drains refused ones, closes
    // what has idled too long.
    void watch() {
        std::vector<epoll_event> events(256);
        auto next_sweep = Clock::now();
        while (!stopping_) {
            const int n = ::epoll_wait(epoll_, events.data(), int(events.size()), 100);
            const auto now = Clock::now();
            std::lock_guard<std::mutex> lock(mu_);
            for (int i = 0; i < n; ++i) {
                const int fd = events[i].data.fd;
                if (fd == wake_) continue;
                auto it = open_.find(fd);
                if (it == open_.end()) continue;
                Connection* c = it->second.get();
                if (c->state == State::kParked) {
                    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
                    char byte;
                    if (::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
                        enqueue_ready(c, now);
                    else
                        drop(fd);  // the client closed (or the socket failed)
                } else if (c->state == State::kClosing) {
                    drain(c);
                }
            }
            if (now >= next_sweep) {
                sweep(now);
                next_sweep = now + std::chrono::milliseconds(100);
            }
        }
    }

    // Requires: mu_ held. Reads and drops a refused connection's bytes; closes it at its end.
    void drain(Connection* c) {
        char scratch[4096];
        ssize_t n;
        while ((n = ::recv(c->fd, scratch, sizeof scratch, MSG_DONTWAIT)) > 0) {
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c->fd, nullptr);
            drop(c->fd);
            return;
        }
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
        ev.data.fd = c->fd;
        ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c->fd, &ev);
    }

    // Requires: mu_ held. Closes parked connections idle for keep_alive_idle and refused ones
    // drained for kClosingGrace.
    void sweep(Clock::time_point now) {
        std::vector<int> expired;
        for (const auto& [fd, c] : open_) {
            if ((c->state == State::kParked && now - c->since > limits_.keep_alive_idle) ||
                (c->state == State::kClosing && now - c->since > kClosingGrace))
                expired.push_back(fd);
        }
        for (int fd : expired) {
            ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
            drop(fd);
        }
    }

    PooledServer& server_;
    ConnectionLimits limits_;
    int epoll_ = -1, wake_ = -1;
    int queued_signal_ = -1;         // readable when a connection was queued (next_request_arrives)
    std::atomic<int> lingering_{0};  // workers in next_request_arrives
    std::atomic<std::size_t> idle_{0};  // workers waiting for a queued connection (mu_ held)
    std::mutex mu_;
    std::condition_variable ready_cv_;
    std::deque<Connection*> ready_;
    std::atomic<std::size_t> queued_{0};  // ready_.size(), read by lingering workers
    std::unordered_map<int, std::unique_ptr<Connection>> open_;
    std::size_t closing_ = 0;  // of open_, refused and draining
    std::atomic<bool> stopping_{false};
    std::thread watcher_;
    std::vector<std::thread> workers_;
};

void close_after_this_request() { t_close_after = true; }

PooledServer::PooledServer(ConnectionLimits limits) : limits_(limits) {
    new_task_queue = [this] {
        auto* pool = new ConnectionPool(*this, limits_);
        pool_.store(pool);
        return pool;
    };
}

PooledServer::~PooledServer() = default;

bool PooledServer::widen_backlog() {
    const socket_t fd = svr_sock_.load();
    return fd != INVALID_SOCKET && ::listen(fd, kListenBacklog) == 0;
}

bool PooledServer::process_and_close_socket(socket_t sock) {
    // Runs on the accepting thread, inside ConnectionPool::enqueue: the pool now owns `sock`.
    ConnectionPool* pool = pool_.load();
    if (pool == nullptr) {
        ::close(sock);
        return false;
    }
    pool->adopt(sock);
    return true;
}

}  // namespace liaison::server
