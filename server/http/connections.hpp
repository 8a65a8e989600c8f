// Connections and workers kept apart: cpp-httplib's server with a worker pool that serves
// requests, not connections (docs/OPERATIONS.md, "Limits under load").
//
// Why: cpp-httplib 0.11 runs a whole connection on one worker thread — between two requests of
// a keep-alive connection the worker polls the idle socket for up to the keep-alive timeout.
// With 64 workers, 64 connections that were merely open held every worker; the accepting
// thread then waited on the full queue and the kernel's listen backlog of 5 overflowed, so new
// connections sat in SYN retries (1 s, 3 s, 7 s … apart). 400 keep-alive clients stalled the
// server for about 111 s; a load balancer that keeps connections open would do the same.
//
// How: the accepting thread hands each connection to a ConnectionPool and goes back to accept.
// A connection is in one of four states:
//   parked   idle, watched by one epoll thread (no worker);       -> queued when bytes arrive,
//                                                                    closed after keep_alive_idle
//   queued   bytes to read, waiting for a worker (FIFO);          -> serving
//   serving  a worker runs httplib's request parser and handlers; after the answer it waits a
//            little (kLinger) for the next request while no other connection is queued, then
//                                                                 -> parked (or closed)
//   closing  refused: a 503 sent, the client's bytes read and dropped until it closes (so that
//            our close does not reset the connection and destroy the 503 on its way), at most
//            kClosingGrace.
// So `workers` bounds requests in progress, and open connections are bounded separately by
// `max_connections`. Overload is answered, not left silent: a new connection is refused with
// 503 and Retry-After when the connection at the head of the queue has waited longer than
// `max_queue_wait` or when `max_connections` are open. A refused connection's request was never
// read, so nothing it carried was done; an accepted one is served whatever the queue.
//
// Thread-safety: one mutex guards the connections' states and the queue; each connection is
// touched by one thread at a time (the one that moved it to its current state).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace liaison::server {

struct ConnectionLimits {
    std::size_t workers = 64;
    std::size_t max_connections = 4096;  // lowered to what RLIMIT_NOFILE allows
    std::chrono::milliseconds max_queue_wait{500};
    std::chrono::seconds keep_alive_idle{5};
    std::size_t keep_alive_max_requests = 1000;
    std::chrono::seconds read_timeout{10};
    std::chrono::seconds write_timeout{30};
};

// How long a worker keeps an idle connection after answering, waiting for its next request,
// while no other connection waits: a client sending back to back (a syncing device, a load
// test) stays on its worker without a trip through the epoll thread.
inline constexpr std::chrono::milliseconds kLinger{50};
// How long a refused connection is drained before it is closed regardless.
inline constexpr std::chrono::seconds kClosingGrace{2};
// The listen backlog: cpp-httplib 0.11 listens with 5, which drops a burst of connections
// into SYN retries; the kernel caps this at net.core.somaxconn.
inline constexpr int kListenBacklog = 1024;

class ConnectionPool;

// Called by a handler on a worker thread: the connection closes once this request is answered
// (its body was not read, so nothing after it can be parsed).
void close_after_this_request();

// httplib::Server whose connections go to a ConnectionPool (created when listening starts,
// through cpp-httplib's new_task_queue hook, and shut down when it stops).
class PooledServer final : public httplib::Server {
public:
    explicit PooledServer(ConnectionLimits limits);
    ~PooledServer() override;

    // After bind: listen again with kListenBacklog. False when the socket refused.
    bool widen_backlog();
    // Called with one JSON log line's fields when the pool refuses or drops a connection.
    void set_event_log(std::function<void(const std::string&)> log) { log_ = std::move(log); }
    // Connections refused with 503 since the start.
    std::uint64_t refused() const { return refused_.load(); }

private:
    friend class ConnectionPool;
    bool process_and_close_socket(socket_t sock) override;
    // One request on `strm` with httplib's parser, routing and handlers.
    bool serve_request(httplib::Stream& strm, bool close_connection, bool& connection_closed) {
        return process_request(strm, close_connection, connection_closed, nullptr);
    }

    ConnectionLimits limits_;
    std::function<void(const std::string&)> log_;
    std::atomic<ConnectionPool*> pool_{nullptr};
    std::atomic<std::uint64_t> refused_{0};
};

}  // namespace liaison::server
