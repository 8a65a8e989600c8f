// The HTTP transport around the hub (docs/DESIGN.md §5, §6), on cpp-httplib.
//
// One gate (the pre-routing handler) guards every /api/ route: it authenticates the bearer
// token (401), applies the per-token rate limit (429) and attaches the caller's role and
// scope; handlers then check what their route needs (403). Limits: request bodies up to
// kMaxBodyBytes (413), read and write timeouts, a bounded pool of worker threads. Every
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
//   /api/v1/<collection>[/<id>[/…]] the REST API over the record (api/rest.hpp): list, get,
//                                   create, patch, delete, sets, merge, GDPR export and erase
//   GET  /api/v1/admin/state-hash   admin only: the central record's state hash (tests, ops)
//   GET  /metrics                   admin only: the Prometheus text format (http/metrics.hpp);
//   GET  /api/v1/admin/metrics      the same document, kept for older scrapers
//   GET  /l/<code>                  no auth: a tracked link's redirect, recording a click
//                                   (api/links.hpp)
//   GET  /*                         static files from the --static folder, with precompressed
//                                   .br/.gz siblings (http/static_files.hpp)
//
// The gate guards /api/ and /metrics; /healthz, /l/ and static files are public.
//
// Thread-safety: HttpServer runs handlers on its worker threads; SyncBackend serialises every
// use of the store and hub behind one mutex (one writer at a time: the acknowledgement of an
// exchange follows its commit).
#pragma once

#include <array>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "core/storage/store.hpp"
#include "server/auth/auth.hpp"
#include "sync/hub.hpp"
#include "sync/protocol.hpp"

namespace liaison::server {

// The largest request body read (the binary codec's own bound).
inline constexpr std::size_t kMaxBodyBytes = sync::kMaxMessageBytes;
// The most exchanges one group commit takes.
inline constexpr std::size_t kMaxGroupSize = 64;

struct HttpOptions {
    std::string host = "127.0.0.1";
    int port = 8080;              // 0: any free port (HttpServer::bind says which)
    std::string static_dir;       // empty: no static files
    // Worker threads. httplib keeps a worker per keep-alive connection, and exchanges mostly
    // wait for the group commit rather than use CPU: measured with ./scripts/bench server
    // (64 connections), 8 workers left connections timing out, 64 gave the best throughput.
    std::size_t threads = 64;
    std::size_t max_queued = 64;  // accepted connections waiting for a worker; then accept waits
    double rate_per_s = 50;       // per token
    double burst = 100;
    int read_timeout_s = 10;
    int write_timeout_s = 30;  // a first sync's pages can be large for a slow tablet
    int keep_alive_timeout_s = 5;
    // Clicks recorded per client address on /l/<code> (token bucket): over it the visitor is
    // still redirected, but the click is not recorded (a flood cannot inflate the counts).
    double link_rate_per_s = 2;
    double link_burst = 20;
};

// The central record: the store and its hub. Exchanges that arrive together are committed
// together (group commit): the first caller to find no commit in progress becomes the leader,
// takes every queued exchange (up to kMaxGroup), applies them in one transaction with one
// fsync, answers them all and hands over; the others wait for their answer. Each exchange
// still gets exactly the results it would get alone (Hub::exchange_batch).
class SyncBackend {
  public:
    SyncBackend(core::Store& store, sync::TimeSource& time) : store_(store), hub_(store, time) {}

    Result<sync::PushReply> exchange(const sync::DeviceContext& device,
                                     const sync::PushRequest& request);
    Result<std::string> state_hash();
    // Binds the replica id to the caller's user and device on its first sync and refuses
    // (kForbidden) a replica id bound to another: operations are deduplicated by stamp (R1),
    // so a push under another device's replica id could make its later operations look like
    // duplicates. Owners are cached: a binding never changes.
    Status check_replica(const Principal& who, const core::Id128& replica);

    // Reads the store under the store mutex: f(store) runs while no exchange or write does.
    template <typename F>
    auto read(F&& f) {
        std::lock_guard<std::mutex> lock(mu_);
        return f(store_);
    }
    // The server's own writes (REST, tracked-link clicks): `make(store)` builds unstamped
    // operations (it may read the store, e.g. the dots a removal observes); they are stamped
    // with the hub's clock and the server's replica id and applied through Hub::apply_one as
    // `device` (role, scope and validation checked like a device's push), in one transaction:
    // if one is rejected none is kept and its rejection is returned (kErased when it named an
    // erased entity). The devices receive them on their next pull.
    using OpBuilder = std::function<Result<std::vector<sync::Op>>(core::Store&)>;
    Status submit(const sync::DeviceContext& device, const OpBuilder& make);

    struct Stats {
        sync::ExchangeStats ops;      // per-operation outcomes since start (demo data included)
        std::uint64_t exchanges = 0;  // exchanges answered since start
        std::int64_t last_seq = 0;    // the central record's sequence (the newest cursor)
        std::int64_t db_bytes = 0;    // page_count * page_size of the database file
        // Group commits by size: commits_by_size[n] = commits that held n exchanges.
        std::array<std::uint64_t, kMaxGroupSize + 1> commits_by_size{};
    };
    Stats stats();
    // For single-threaded setup before serving (demo data). Requires: not serving yet.
    sync::Hub& hub() { return hub_; }
    core::Store& store() { return store_; }

    static constexpr std::size_t kMaxGroup = kMaxGroupSize;

  private:
    struct Waiting;
    std::mutex mu_;  // guards the store and hub
    core::Store& store_;
    sync::Hub hub_;
    std::uint64_t exchanges_ = 0;
    std::array<std::uint64_t, kMaxGroupSize + 1> commits_by_size_{};
    core::Id128 replica_;  // the server's replica id, once read (submit)
    std::unordered_map<core::Id128, std::pair<std::int64_t, std::string>, core::Id128Hash> owners_;
    std::mutex queue_mu_;  // guards queue_ and leading_
    std::condition_variable answered_;
    std::vector<Waiting*> queue_;
    bool leading_ = false;
};

// What a handler answers, before it is written to a socket (so handlers can be tested
// without one).
struct HttpReply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::string
        log_note;  // extra fields for the request's log line (",\"ops\":3"), no personal data
    std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
    // Send the body exactly as it is: never compressed by the transport (precompressed files,
    // and static files generally: cpp-httplib's own compression ignores "q=0").
    bool as_is = false;
};

HttpReply error_reply(int status, std::string_view code, std::string_view message);
// The HTTP status for a Status code (4xx for the caller's mistakes, 5xx for ours).
int http_status_for(Code code);
// The error reply for a failed Status: the caller's mistakes with their code and detail, the
// server's own failures (5xx) as "internal" with the detail only in the log note.
HttpReply status_reply(const Status& s);
// "Application/JSON; charset=utf-8" -> "application/json".
std::string media_type(std::string_view content_type);
std::string ascii_lower(std::string_view s);
// POST /api/v1/sync, after the gate.
HttpReply handle_sync(SyncBackend& backend, const Principal& who, std::string_view content_type,
                      std::string_view body);
// GET /api/v1/me, after the gate.
HttpReply handle_me(const Principal& who);

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
