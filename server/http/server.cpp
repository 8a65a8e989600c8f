#include "server/http/server.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <regex>
#include <thread>
#include <vector>

#include "core/util/text.hpp"
#include "server/api/admin.hpp"
#include "server/api/archive.hpp"
#include "server/api/conversions.hpp"
#include "server/api/directory.hpp"
#include "server/api/duplicates.hpp"
#include "server/api/events.hpp"
#include "server/api/json.hpp"
#include "server/api/links.hpp"
#include "server/api/owners.hpp"
#include "server/api/rest.hpp"
#include "server/api/signin.hpp"
#include "server/api/sync.hpp"
#include "server/api/tokens.hpp"
#include "server/api/users.hpp"
#include "server/http/connections.hpp"
#include "server/http/metrics.hpp"
#include "server/http/static_files.hpp"

namespace liaison::server {
namespace {

using SteadyClock = std::chrono::steady_clock;

// What the gate learnt about the request being handled on this thread. cpp-httplib runs the
// pre-routing handler, the route handler and the logger of one request on the same worker
// thread, one request at a time, and hands them a const Request: a thread-local is the one
// place to carry the caller from the gate to the handler and the log line. The gate resets it
// at the start of every request and the logger clears it at the end.
struct RequestContext {
    bool active = false;
    SteadyClock::time_point start;
    std::optional<Principal> principal;
    std::string log_note;
};
thread_local RequestContext t_request;

std::mutex g_log_mu;

std::string utc_now() {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = std::time_t(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
    return buf;
}

// One JSON line on stderr, written whole under a lock so that lines never interleave.
void log_line(const std::string& json_fields) {
    std::string line = "{\"time\":\"" + utc_now() + "\"," + json_fields + "}\n";
    std::lock_guard<std::mutex> lock(g_log_mu);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

void log_error(const httplib::Request& req, std::string_view what) {
    log_line("\"level\":\"error\",\"method\":" + json_string(req.method) +
             ",\"path\":" + json_string(req.path) + ",\"detail\":" + json_string(what));
}

const char* code_for_http_status(int status) {
    switch (status) {
        case 400:
            return "malformed";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not_found";
        case 405:
            return "method_not_allowed";
        case 408:
            return "timeout";
        case 413:
            return "too_large";
        case 414:
            return "too_large";
        case 415:
            return "unsupported_media_type";
        case 416:
            return "bad_range";
        case 429:
            return "rate_limited";
        case 503:
            return "unavailable";
        default:
            return status >= 500 ? "internal" : "bad_request";
    }
}

const char* message_for_http_status(int status) {
    switch (status) {
        case 400:
            return "the request could not be understood";
        case 404:
            return "there is nothing at this address";
        case 405:
            return "this address does not take this method";
        case 413:
            return "the request is larger than this server accepts";
        case 414:
            return "the address is longer than this server accepts";
        default:
            return status >= 500 ? "the server failed; the incident is logged"
                                 : "the request was refused";
    }
}

// Whether the request announces a body (the gate answers some before reading it).
bool has_body(const httplib::Request& req) {
    if (req.has_header("Transfer-Encoding")) return true;
    const std::string n = req.get_header_value("Content-Length");
    return !n.empty() && n != "0";
}

// Removes "br" from the request's Accept-Encoding (the gate, for answers made on the fly).
void drop_brotli(httplib::Request& req) {
    auto it = req.headers.find("Accept-Encoding");
    if (it == req.headers.end() || it->second.find("br") == std::string::npos) return;
    std::string kept;
    for (const auto& part : core::split(it->second, ',')) {
        const std::string_view coding = core::trim(part);
        if (coding.substr(0, coding.find(';')) == "br") continue;
        if (!kept.empty()) kept += ", ";
        kept += coding;
    }
    it->second = kept;
}

void write(httplib::Response& res, const HttpReply& r) {
    res.status = r.status;
    for (const auto& [name, value] : r.headers) res.set_header(name.c_str(), value);
    if (r.as_is && r.status == 200 && !r.body.empty()) {
        // A content provider of known length is sent as is (cpp-httplib compresses set_content
        // bodies of text types, even precompressed ones, but never these). Not an empty body:
        // cpp-httplib 0.11 reads a length of 0 as "unknown" and would call the provider until
        // the sink is closed, one thread spinning and the request never answered.
        auto data = std::make_shared<std::string>(r.body);
        res.set_content_provider(
            data->size(), r.content_type.c_str(),
            [data](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                return sink.write(data->data() + offset, length);
            });
    } else if (r.status != 304) {
        res.set_content(r.body, r.content_type.c_str());
    }
    t_request.log_note += r.log_note;
}

// The accounts routes' templates (api/users.hpp, tokens.hpp, signin.hpp).
std::string admin_route(const std::string& path) {
    if (path.rfind("/api/v1/admin/", 0) != 0 && path != "/api/v1/signin") return "";
    static const std::regex kRoutes[] = {
        std::regex(R"(/api/v1/(signin|admin/(users|tokens|devices)))"),
        std::regex(R"(/api/v1/admin/users/[^/]+(/signin-codes)?)"),
        std::regex(R"(/api/v1/admin/(tokens|devices)/[^/]+/revoke)")};
    for (std::size_t i = 0; i < 3; ++i) {
        std::smatch m;
        if (!std::regex_match(path, m, kRoutes[i])) continue;
        if (i == 0) return path;
        if (i == 1) return "/api/v1/admin/users/{id}" + m[1].str();
        return "/api/v1/admin/" + m[1].str() + "/{id}/revoke";
    }
    return "";
}

// The route template of a request, for metrics: a fixed, small set of labels (never a raw path,
// which would carry ids and grow without bound).
std::string route_template(const std::string& path) {
    for (const char* fixed :
         {"/healthz", "/metrics", "/api/v1/sync", "/api/v1/me", "/api/v1/admin/state-hash",
          "/api/v1/admin/metrics", "/api/v1/admin/export", "/api/v1/directory",
          "/api/v1/follow-ups", "/api/v1/owners/handover", "/api/v1/agenda"})
        if (path == fixed) return path;
    if (path == "/api/v1/duplicates" || path == "/api/v1/conversions/import") return path;
    if (path.rfind("/l/", 0) == 0) return "/l/{code}";
    if (path.rfind("/api/v1/admin/users/", 0) == 0 && path.size() > 26 &&
        path.compare(path.size() - 6, 6, "/staff") == 0)
        return "/api/v1/admin/users/{id}/staff";
    if (auto admin = admin_route(path); !admin.empty()) return admin;
    if (auto rest = rest_route(path); !rest.empty()) return rest;
    if (path.rfind("/api/", 0) == 0) return "/api/{other}";
    return "static";
}

std::string method_label(const std::string& m) {
    for (const char* known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
        if (m == known) return m;
    return "other";
}

}  // namespace

std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
    if (forwarded_for.empty() || !core::contains(trusted_proxies, peer)) return peer;
    const auto comma = forwarded_for.rfind(',');
    const std::string_view last = core::trim(
        std::string_view(forwarded_for).substr(comma == std::string::npos ? 0 : comma + 1));
    // An IPv4 or IPv6 address (39 characters at most, 45 with an IPv4 tail): digits, hex,
    // '.', ':'. Anything else (a name, "unknown", an injected list) leaves the peer.
    const bool plausible =
        !last.empty() && last.size() <= 45 && std::all_of(last.begin(), last.end(), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
        });
    return plausible ? std::string(last) : peer;
}

// ---- Server -------------------------------------------------------------------------------

struct HttpServer::Impl {
    SyncBackend& backend;
    Authenticator& auth;
    HttpOptions opts;
    RateLimiter limiter;
    RateLimiter link_limiter;    // clicks recorded per client address
    RateLimiter signin_limiter;  // sign-in code exchanges per client address
    PooledServer svr;            // connections and workers kept apart (http/connections.hpp)
    bool bound = false;
    HttpMetrics metrics;

    Impl(SyncBackend& b, Authenticator& a, HttpOptions o)
        : backend(b),
          auth(a),
          opts(std::move(o)),
          limiter(opts.rate_per_s, opts.burst),
          link_limiter(opts.link_rate_per_s, opts.link_burst),
          signin_limiter(opts.signin_rate_per_s, opts.signin_burst),
          svr(limits_of(opts)) {}

    // The client a limit per address is kept for (client_address).
    // The balancer's entry is the last one: HAProxy adds a header line of its own after any the
    // client sent, other balancers append to the last line.
    std::string client_of(const httplib::Request& req) const {
        const std::size_t lines = req.get_header_value_count("X-Forwarded-For");
        const std::string forwarded =
            lines ? req.get_header_value("X-Forwarded-For", lines - 1) : std::string();
        return client_address(req.remote_addr, forwarded, opts.trusted_proxies);
    }

    static ConnectionLimits limits_of(const HttpOptions& o) {
        ConnectionLimits l;
        l.workers = o.threads;
        l.max_connections = o.max_connections;
        l.max_queue_wait = std::chrono::milliseconds(o.max_queue_wait_ms);
        l.keep_alive_idle = std::chrono::seconds(o.keep_alive_timeout_s);
        l.keep_alive_max_requests = kKeepAliveMaxRequests;
        l.read_timeout = std::chrono::seconds(o.read_timeout_s);
        l.write_timeout = std::chrono::seconds(o.write_timeout_s);
        return l;
    }

    httplib::Server::HandlerResponse gate(const httplib::Request& req, httplib::Response& res) {
        t_request = RequestContext{};
        t_request.active = true;
        t_request.start = SteadyClock::now();
        // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112
        // §6.3): `curl -X POST …/erase`. httplib 0.11 reads such a body until the connection
        // closes and answers 400 when its read times out, so say "empty" before it reads (this
        // handler runs first). The Request is httplib's own non-const object, passed as const.
        if ((req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
             req.method == "DELETE") &&
            !req.has_header("Content-Length") && !req.has_header("Transfer-Encoding"))
            const_cast<httplib::Request&>(req).headers.emplace("Content-Length", "0");
        if (req.path.rfind("/api/", 0) != 0 && req.path != "/metrics")
            return httplib::Server::HandlerResponse::Unhandled;
        // Answers made on the fly go out gzipped, never as brotli: httplib compresses brotli at
        // quality 11, which took 30 ms for a 19 KB directory page that gzip makes in under one
        // (docs/PERFORMANCE.md, "The central workspace"). Static files keep their brotli copies.
        drop_brotli(const_cast<httplib::Request&>(req));
        // The one /api/ route without a token: a sign-in code is the credential. Limited per
        // client address before its body is read.
        if (req.path == "/api/v1/signin") {
            int retry_after = 1;
            if (!signin_limiter.allow("ip:" + client_of(req), SteadyClock::now(), &retry_after)) {
                res.set_header("Retry-After", std::to_string(retry_after));
                write(res, error_reply(429, "rate_limited",
                                       "too many sign-in attempts; wait and try again"));
                return httplib::Server::HandlerResponse::Handled;
            }
            return httplib::Server::HandlerResponse::Unhandled;
        }

        // The sync route may take what a token grants from the Authenticator's cache: its group
        // commit checks it (api/sync.hpp).
        const bool may_cache = req.method == "POST" && req.path == "/api/v1/sync";
        return admit(req, res, may_cache) ? httplib::Server::HandlerResponse::Unhandled
                                          : httplib::Server::HandlerResponse::Handled;
    }

    // The gate's check of the caller's token, its rate limit and its role's routes: true with
    // t_request.principal set, or false with the answer written. `charge`: false when the
    // request was admitted once already (a kept grant found stale) and has paid its request.
    bool admit(const httplib::Request& req, httplib::Response& res, bool may_cache,
               bool charge = true) {
        const std::string header = req.get_header_value("Authorization");
        const std::string scheme = core::ascii_lower(header.substr(0, 7));
        if (scheme != "bearer ") {
            res.set_header("WWW-Authenticate", "Bearer");
            write(res,
                  error_reply(401, "unauthorized", "sign in: send Authorization: Bearer <token>"));
            return false;
        }
        auto who = auth.authenticate(std::string_view(header).substr(7), may_cache);
        if (!who) {
            // The reason (unknown, revoked, wrong secret) goes to the log, not to the caller.
            t_request.log_note = ",\"auth\":" + json_string(who.status().to_string());
            res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            write(res, error_reply(401, "unauthorized",
                                   "this token is not valid (unknown, revoked or mistyped)"));
            return false;
        }
        int retry_after = 1;
        if (charge && !limiter.allow(who->token_id, SteadyClock::now(), &retry_after)) {
            t_request.principal = std::move(who).value();
            res.set_header("Retry-After", std::to_string(retry_after));
            write(res, error_reply(429, "rate_limited", "too many requests; wait and try again"));
            return false;
        }
        t_request.principal = std::move(who).value();
        // A shop's integration posts orders and nothing else (api/conversions.hpp, C6).
        if (t_request.principal->role == sync::Role::kIntegration &&
            !integration_may_call(req.method, req.path)) {
            write(res, error_reply(403, "forbidden",
                                   "an integration token may only post orders (POST "
                                   "/api/v1/conversions or /api/v1/conversions/import)"));
            return false;
        }
        return true;
    }

    // Route handlers behind the gate: the gate has set t_request.principal or answered.
    const Principal* caller(httplib::Response& res) {
        if (t_request.principal) return &*t_request.principal;
        // Unreachable while the gate guards /api/; kept so that a routing mistake fails closed.
        write(res, error_reply(401, "unauthorized", "sign in first"));
        return nullptr;
    }

    void logger(const httplib::Request& req, const httplib::Response& res) {
        std::string fields = "\"method\":" + json_string(req.method) +
                             ",\"path\":" + json_string(req.path) +
                             ",\"status\":" + std::to_string(res.status);
        if (t_request.active) {
            double ms =
                std::chrono::duration<double, std::milli>(SteadyClock::now() - t_request.start)
                    .count();
            metrics.observe(route_template(req.path), method_label(req.method), res.status,
                            ms / 1000);
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.3f", ms);
            fields += ",\"duration_ms\":";
            fields += buf;
        }
        if (t_request.principal) fields += ",\"user\":" + std::to_string(t_request.principal->user);
        fields += t_request.log_note;
        log_line(fields);
        t_request = RequestContext{};
    }

    // Admin-only routes: the caller, or nullptr after answering 401/403.
    const Principal* admin(httplib::Response& res) {
        const Principal* who = caller(res);
        if (who && who->role != sync::Role::kAdmin) {
            write(res, error_reply(403, "forbidden", "only an administrator may do this"));
            return nullptr;
        }
        return who;
    }

    void install() {
        svr.set_default_headers({
            {"Content-Security-Policy",
             "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; "
             "frame-ancestors 'none'"},
            {"X-Content-Type-Options", "nosniff"},
            {"Referrer-Policy", "no-referrer"},
            {"X-Frame-Options", "DENY"},
        });
        svr.set_payload_max_length(kMaxBodyBytes);
        svr.set_read_timeout(opts.read_timeout_s, 0);
        svr.set_write_timeout(opts.write_timeout_s, 0);
        svr.set_keep_alive_timeout(opts.keep_alive_timeout_s);
        // The headers and the body go out in two writes; without TCP_NODELAY the second one
        // waits for the client's delayed ACK (~40 ms), capping even /healthz near 300 req/s.
        svr.set_tcp_nodelay(true);
        // The pool enforces both keep-alive limits; httplib states them in its Keep-Alive header.
        svr.set_keep_alive_max_count(kKeepAliveMaxRequests);
        svr.set_event_log([](const std::string& fields) { log_line(fields); });

        svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            const auto handled = gate(req, res);
            // Answered before its body was read (401, 403, 429): the body's bytes are still
            // on the connection, and read as the next request they would answer the
            // client's real next request with 400. Closing the connection drops them.
            // httplib reads the request's first Connection header when it writes the answer:
            // the client's own ("keep-alive") is replaced.
            if (handled == httplib::Server::HandlerResponse::Handled && has_body(req)) {
                auto& headers = const_cast<httplib::Request&>(req).headers;
                headers.erase("Connection");
                headers.emplace("Connection", "close");
                close_after_this_request();  // and the pool closes it
            }
            return handled;
        });
        svr.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
            logger(req, res);
        });
        svr.set_exception_handler([](const httplib::Request& req, httplib::Response& res,
                                     std::exception_ptr ep) {
            std::string what = "unknown exception";
            try {
                if (ep) std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            log_error(req, what);
            write(res, error_reply(500, "internal", "the server failed; the incident is logged"));
        });
        // Errors cpp-httplib answers itself (404, 413 from the payload limit, 400 for a bad
        // request line) come without a body: give them the JSON one.
        svr.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&,
                                                                      httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            res.set_content(
                json_error(code_for_http_status(res.status), message_for_http_status(res.status)),
                kJsonType);
            return httplib::Server::HandlerResponse::Handled;
        }));

        svr.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("{\"ok\":true}", kJsonType);
        });
        svr.Post("/api/v1/sync", [this](const httplib::Request& req, httplib::Response& res) {
            const Principal* who = caller(res);
            if (!who) return;
            const std::string type = req.get_header_value("Content-Type");
            bool stale = false;
            HttpReply reply = handle_sync(backend, *who, type, req.body, &stale);
            if (stale) {
                // What the token granted changed since it was kept: read it again, as the gate
                // does, and exchange with that.
                auth.forget(who->token_id);
                t_request.principal.reset();
                if (!admit(req, res, false, false)) return;
                reply = handle_sync(backend, *t_request.principal, type, req.body);
            }
            write(res, reply);
        });
        svr.Get("/api/v1/me", [this](const httplib::Request&, httplib::Response& res) {
            const Principal* who = caller(res);
            if (!who) return;
            write(res, handle_me(backend, *who));
        });
        svr.Get("/api/v1/admin/state-hash", [this](const httplib::Request&,
                                                   httplib::Response& res) {
            if (!admin(res)) return;
            auto h = backend.state_hash();
            if (!h) {
                t_request.log_note += ",\"detail\":" + json_string(h.status().to_string());
                write(res,
                      error_reply(500, "internal", "the server failed; the incident is logged"));
                return;
            }
            write(res,
                  HttpReply{200, kJsonType, "{\"state_hash\":" + json_string(h.value()) + "}", ""});
        });
        svr.Get("/api/v1/admin/export", [this](const httplib::Request&, httplib::Response& res) {
            const Principal* who = admin(res);
            if (!who) return;
            write(res, handle_export(backend, *who));
        });
        auto user_staff = [this](const httplib::Request& req, httplib::Response& res) {
            const Principal* who = admin(res);
            if (!who) return;
            write(res, handle_user_staff(backend, *who, req.method, req.matches[1].str(),
                                         req.get_header_value("Content-Type"), req.body));
        };
        const char* kUserStaff = R"(/api/v1/admin/users/([^/]+)/staff)";
        svr.Get(kUserStaff, user_staff);
        svr.Put(kUserStaff, user_staff);
        // The accounts (api/users.hpp, tokens.hpp, signin.hpp): admin only, before the REST
        // catch-all below.
        auto users = [this](const httplib::Request& req, httplib::Response& res) {
            const Principal* who = admin(res);
            if (!who) return;
            write(res, handle_users(backend, *who, req.method,
                                    req.matches.size() > 1 ? req.matches[1].str() : "",
                                    req.get_header_value("Content-Type"), req.body));
        };
        svr.Get("/api/v1/admin/users", users);
        svr.Post("/api/v1/admin/users", users);
        svr.Get(R"(/api/v1/admin/users/([^/]+))", users);
        svr.Patch(R"(/api/v1/admin/users/([^/]+))", users);
        auto tokens = [this](const httplib::Request& req, httplib::Response& res) {
            const Principal* who = admin(res);
            if (!who) return;
            std::multimap<std::string, std::string> params(req.params.begin(), req.params.end());
            write(res, handle_tokens(backend, *who, req.method,
                                     req.matches.size() > 1 ? req.matches[1].str() : "", params));
        };
        svr.Get("/api/v1/admin/tokens", tokens);
        svr.Post(R"(/api/v1/admin/tokens/([^/]+)/revoke)", tokens);
        auto devices = [this](const httplib::Request& req, httplib::Response& res) {
            const Principal* who = admin(res);
            if (!who) return;
            write(res, handle_devices(backend, *who, req.method,
                                      req.matches.size() > 1 ? req.matches[1].str() : ""));
        };
        svr.Get("/api/v1/admin/devices", devices);
        svr.Post(R"(/api/v1/admin/devices/([^/]+)/revoke)", devices);
        svr.Post(R"(/api/v1/admin/users/([^/]+)/signin-codes)",
                 [this](const httplib::Request& req, httplib::Response& res) {
                     const Principal* who = admin(res);
                     if (!who) return;
                     // The link names the server as the caller reached it (behind a proxy
                     // that terminates TLS, by the scheme it says).
                     std::string scheme = req.get_header_value("X-Forwarded-Proto");
                     if (scheme != "https") scheme = "http";
                     write(res, handle_signin_code(backend, *who, req.matches[1].str(),
                                                   scheme + "://" + req.get_header_value("Host"),
                                                   req.get_header_value("Content-Type"), req.body));
                 });
        svr.Post("/api/v1/signin", [this](const httplib::Request& req, httplib::Response& res) {
            write(res, handle_signin(backend, req.get_header_value("Content-Type"), req.body));
        });
        auto serve_metrics = [this](const httplib::Request&, httplib::Response& res) {
            if (!admin(res)) return;
            res.set_content(metrics.render(backend.stats()), "text/plain; version=0.0.4");
        };
        svr.Get("/metrics", serve_metrics);
        svr.Get("/api/v1/admin/metrics", serve_metrics);

        // Routes answered like the REST API (api/rest.hpp's RestRequest), for a signed-in caller.
        auto as_rest =
            [this](HttpReply (*answer)(SyncBackend&, const Principal&, const RestRequest&)) {
                return [this, answer](const httplib::Request& req, httplib::Response& res) {
                    const Principal* who = caller(res);
                    if (!who) return;
                    RestRequest r;
                    r.method = req.method;
                    r.path = req.path;
                    r.params.insert(req.params.begin(), req.params.end());
                    r.content_type = req.get_header_value("Content-Type");
                    r.body = req.body;
                    write(res, answer(backend, *who, r));
                };
            };
        svr.Get("/api/v1/directory", as_rest(directory));
        svr.Get("/api/v1/follow-ups", as_rest(follow_ups));
        svr.Post("/api/v1/owners/handover", as_rest(handover));
        svr.Get("/api/v1/duplicates", as_rest(duplicates));
        svr.Get("/api/v1/agenda", as_rest(agenda));
        svr.Post("/api/v1/conversions", as_rest(post_conversion));
        svr.Post("/api/v1/conversions/import", as_rest(import_conversions));

        // The REST API: every other address under /api/v1/ (api/rest.hpp answers 404 for unknown
        // collections). After the routes above, which cpp-httplib tries first.
        auto rest = as_rest(handle_rest);
        const char* kRestPattern = R"(/api/v1/.+)";
        svr.Get(kRestPattern, rest);
        svr.Post(kRestPattern, rest);
        svr.Patch(kRestPattern, rest);
        svr.Delete(kRestPattern, rest);

        svr.Get(R"(/l/([^/]*))", [this](const httplib::Request& req, httplib::Response& res) {
            // HEAD (link previews) and visitors over their rate limit are redirected without
            // counting a click. The address is only a key in memory, never stored.
            const bool record = req.method == "GET" &&
                                link_limiter.allow("ip:" + client_of(req), SteadyClock::now());
            const std::string referrer = req.get_header_value("Referer"),
                              consent = req.get_param_value("consent"),
                              cookie = req.get_header_value("Cookie"),
                              gpc = req.get_header_value("Sec-GPC"),
                              dnt = req.get_header_value("DNT");
            const LinkVisit visit{referrer, consent,
                                  cookie,   gpc,
                                  dnt,      req.get_header_value("X-Forwarded-Proto") == "https"};
            write(res, handle_link(backend, req.matches[1].str(), visit, record));
        });
    }

    // Static files last: GET of any other address.
    void install_static() {
        svr.Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
            if (req.path.rfind("/api/", 0) == 0) {
                write(res, error_reply(404, "not_found", "there is nothing at this address"));
                return;
            }
            write(res,
                  serve_static(opts.static_dir, req.path, req.get_header_value("Accept-Encoding"),
                               req.get_header_value("If-None-Match")));
        });
    }
};

HttpServer::HttpServer(SyncBackend& backend, Authenticator& auth, HttpOptions opts)
    : impl_(std::make_unique<Impl>(backend, auth, std::move(opts))) {
    impl_->install();
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::bind() {
    auto& o = impl_->opts;
    if (!o.static_dir.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(o.static_dir, ec))
            return Status::not_found("static folder " + o.static_dir + ": not a folder");
        impl_->install_static();
    }
    int port = o.port;
    if (port == 0) {
        port = impl_->svr.bind_to_any_port(o.host);
        if (port < 0) return Status(Code::kInternal, "cannot listen on " + o.host + " (any port)");
    } else if (!impl_->svr.bind_to_port(o.host, port)) {
        return Status(Code::kInternal, "cannot listen on " + o.host + ":" + std::to_string(port) +
                                           " (in use, or not an address of this machine)");
    }
    // A burst of connections must wait in the kernel's queue, not in SYN retries.
    if (!impl_->svr.widen_backlog())
        return Status(Code::kInternal, "cannot set the listen backlog on " + o.host);
    impl_->bound = true;
    return port;
}

Status HttpServer::serve() {
    if (!impl_->bound) return Status(Code::kInternal, "serve() before bind()");
    if (!impl_->svr.listen_after_bind())
        return Status(Code::kInternal, "the listening socket failed");
    return Status::ok();
}

void HttpServer::stop() { impl_->svr.stop(); }

}  // namespace liaison::server
