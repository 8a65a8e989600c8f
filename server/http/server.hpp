// The HTTP transport around the hub (docs/DESIGN.md §5, §6), on cpp-httplib.
//
// One gate (the pre-routing handler) guards every /api/ route: it authenticates the bearer
// token (401), applies the per-token rate limit (429) and attaches the caller's role and
// scope; handlers then check what their route needs (403). Limits: request bodies up to
// kMaxBodyBytes (413), read and write timeouts, a pool of worker threads that serve requests
// (not connections), and overload answered at once with 503 and Retry-After (see "Under load"
// below). Every
// response carries the security headers; every error body is
//   {"error":{"code":"<code_name>","message":"<plain words>"}}
// and never contains an exception's or the database's own text (those go to the log).
// One JSON line per request goes to stderr: time, method, path, status, duration, user id —
// never names, e-mail addresses, tokens or bodies.
//
// Routes (docs/openapi.yaml describes each one, its parameters, bodies and errors):
//   GET  /healthz                   no auth; {"ok":true}
//   POST /api/v1/sync               PushRequest -> PushReply, binary (application/x-liaison)
//                                   or JSON (application/json), answered in the same encoding
//   GET  /api/v1/me                 the caller's user id, name, role and scope
//                                   (both: api/sync.hpp)
//   /api/v1/<collection>[/<id>[/…]] the REST API over the record (api/rest.hpp): list, get,
//                                   create, patch, delete, sets, merge, GDPR export and erase
//   GET  /api/v1/admin/state-hash   admin only: the central record's state hash (tests, ops)
//   GET  /metrics                   admin only: the Prometheus text format (http/metrics.hpp);
//   GET  /api/v1/admin/metrics      the same document, kept for older scrapers
//   /api/v1/admin/users, /tokens, /devices, /users/<id>/signin-codes
//                                   admin only: accounts (api/users.hpp, api/tokens.hpp,
//                                   api/signin.hpp)
//   POST /api/v1/signin             no auth: a one-time sign-in code for a token (api/signin.hpp),
//                                   rate-limited per client address
//   GET  /l/<code>                  no auth: a tracked link's redirect, recording a click
//                                   (api/links.hpp)
//   GET  /*                         static files from the --static folder, with precompressed
//                                   .br/.gz siblings (http/static_files.hpp)
//
// The gate guards /api/ (but /api/v1/signin) and /metrics; /healthz, /l/ and static files are
// public.
//
// This file is the transport only: cpp-httplib's setup, the routing table, the limits, the
// gate and the log. What the routes answer is in api/ (and static_files.hpp, metrics.hpp); what
// they read and write goes through the backend (backend/sync_backend.hpp).
//
// Under load (docs/OPERATIONS.md, "Limits under load"): `threads` workers serve requests; an
// open connection between requests holds no worker (cpp-httplib 0.11 alone would hold one per
// keep-alive connection, which let 64 idle connections stall the server: http/connections.hpp
// tells the story). A new connection is refused with 503 and Retry-After: 1 when requests have
// queued for a worker longer than max_queue_wait_ms or max_connections are open; a refused
// request was never read, and an accepted push is answered only once committed. The listen
// backlog is raised from httplib's 5 to kListenBacklog.
//
// Thread-safety: HttpServer runs handlers on its worker threads; SyncBackend serialises every
// use of the store and hub behind one mutex.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"
#include "sync/protocol.hpp"

namespace liaison::server {

// The largest request body read (the binary codec's own bound).
inline constexpr std::size_t kMaxBodyBytes = sync::kMaxMessageBytes;
// Requests on one keep-alive connection before it is closed (httplib's default of 5 would make
// a syncing device reconnect every fifth exchange).
inline constexpr std::size_t kKeepAliveMaxRequests = 1000;

struct HttpOptions {
    std::string host = "127.0.0.1";
    int port = 8080;         // 0: any free port (HttpServer::bind says which)
    std::string static_dir;  // empty: no static files
    // Worker threads: requests served at once. A worker serves requests, not connections
    // (http/connections.hpp): an idle keep-alive connection waits in an epoll set without one,
    // so this bounds work in progress, not clients. Exchanges mostly wait for the group commit
    // rather than use CPU: with ./scripts/bench server (64 connections), 8 workers left
    // connections timing out, 64 gave the best throughput.
    std::size_t threads = 64;
    // Open connections at once (lowered to what the process's file limit allows). Beyond it a
    // new connection is answered 503 with Retry-After: 1 and closed.
    std::size_t max_connections = 4096;
    // Overload: while the request at the head of the queue has waited longer than this for a
    // worker, a new connection is answered 503 with Retry-After: 1 and closed (its request is
    // never read, so nothing it carried is done). Connections already open keep their place.
    int max_queue_wait_ms = 500;
    double rate_per_s = 50;  // per token
    double burst = 100;
    int read_timeout_s = 10;
    int write_timeout_s = 30;      // a first sync's pages can be large for a slow tablet
    int keep_alive_timeout_s = 5;  // an idle keep-alive connection is closed after this
    // Clicks recorded per client address on /l/<code> (token bucket): over it the visitor is
    // still redirected, but the click is not recorded (a flood cannot inflate the counts).
    double link_rate_per_s = 2;
    double link_burst = 20;
    // Exchanges of one-time sign-in codes per client address (POST /api/v1/signin, which has no
    // token to limit): one every 6 s on average, bursts of 10.
    double signin_rate_per_s = 1.0 / 6;
    double signin_burst = 10;
    // Load balancers in front (--trusted-proxy): for a connection from one of these addresses
    // the client is the address the balancer appended last to X-Forwarded-For, so the limits
    // per client address above hold per client, not per balancer (docs/SCALING.md §5). Any
    // other peer's X-Forwarded-For is ignored: a client cannot choose its own address.
    std::vector<std::string> trusted_proxies;
};

// The client address a request's limits are kept for: the connection's peer, or, when the peer
// is one of `trusted_proxies`, the last address of X-Forwarded-For (the one the proxy appended)
// if it is a plausible IPv4 or IPv6 address; the peer otherwise.
std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

class HttpServer {
public:
    HttpServer(SyncBackend& backend, Authenticator& auth, HttpOptions opts);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds the listening socket; returns the port (the chosen one when opts.port is 0).
    Result<int> bind();
    // Serves until stop(). Requires: bind() succeeded.
    Status serve();
    // Stops serving; safe from another thread.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace liaison::server
