// Shared pieces of the server integration tests: a fresh server database with users and
// tokens, HTTP sync as a device's transport does it, and JSON error bodies.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "server_process.hpp"
#include "support/harness.hpp"
#include "sync/codec.hpp"

namespace liaison::test {

inline constexpr const char* kBinary = "application/x-liaison";
inline constexpr const char* kJson = "application/json";

// The code of a JSON error body, or "" when the body is not one.
inline std::string error_code(const std::string& body) {
    static const std::regex re(R"re(^\{"error":\{"code":"([a-z_]+)","message":"[^"]+"\}\}$)re");
    std::smatch m;
    return std::regex_match(body, m, re) ? m[1].str() : "";
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    REQUIRE(out.good());
}

// The state hash a server reports (GET /api/v1/admin/state-hash, an administrator's token).
inline std::string server_state_hash(const ServerProcess& server, const std::string& admin_token) {
    auto res = server.client()->Get("/api/v1/admin/state-hash", bearer(admin_token));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    static const std::regex re(R"re("state_hash":"([0-9a-f]{64})")re");
    std::smatch m;
    REQUIRE(std::regex_search(res->body, m, re));
    return m[1].str();
}

// The demo's tokens, by role, from the banner of `serve --demo`.
inline std::map<std::string, std::string> demo_tokens(const ServerProcess& server) {
    std::map<std::string, std::string> tokens;
    static const std::regex re(R"re(^sign in as ([a-z]+): token (lsn_[0-9a-f_]+)$)re");
    for (const auto& line : server.banner()) {
        std::smatch m;
        if (std::regex_match(line, m, re)) tokens[m[1].str()] = m[2].str();
    }
    return tokens;
}

// A fresh server database with an administrator and a central user, each with a token.
struct Setup {
    TempDir dir;
    std::string db = dir.file("server.db");
    std::string log = dir.file("server.log");
    std::string admin_user, admin_token, central_user, central_token;

    Setup() {
        cli_ok({"init", "--db", db});
        admin_user = cli_ok({"user", "add", "--db", db, "--name", "Ada Admin", "--role", "admin"});
        admin_token =
            cli_ok({"token", "issue", "--db", db, "--user", admin_user, "--device", "tests"});
        central_user =
            cli_ok({"user", "add", "--db", db, "--name", "Chloé Central", "--role", "central"});
        central_token = cli_ok({"token", "issue", "--db", db, "--user", central_user});
    }

    std::string server_hash(ServerProcess& s) const { return server_state_hash(s, admin_token); }
};

// POST /api/v1/sync as a device's transport does it: over the token's rate limit (429), wait
// as long as Retry-After says and send the same body again (a retry is harmless).
inline httplib::Result post_sync(httplib::Client& c, const std::string& token,
                                 const std::string& body, bool json) {
    for (int attempt = 0;; ++attempt) {
        auto res = c.Post("/api/v1/sync", bearer(token), body, json ? kJson : kBinary);
        if (!res || res->status != 429 || attempt == 20) return res;
        const int wait_s = std::max(1, std::atoi(res->get_header_value("Retry-After").c_str()));
        std::this_thread::sleep_for(std::chrono::seconds(std::min(wait_s, 5)));
    }
}

// One exchange over HTTP, as a device's transport does it. Returns whether more remains.
inline bool sync_once(httplib::Client& c, const std::string& token, sync::Replica& r, bool json) {
    auto req = r.make_push(50, 200);
    REQUIRE(req.is_ok());
    const std::string body =
        json ? sync::request_to_json(req.value()) : sync::encode_request(req.value());
    auto res = post_sync(c, token, body, json);
    REQUIRE(res);
    INFO(res->body.substr(0, 300));
    REQUIRE(res->status == 200);
    REQUIRE(res->get_header_value("Content-Type") == (json ? kJson : kBinary));
    auto reply = json ? sync::reply_from_json(res->body) : sync::decode_reply(res->body);
    REQUIRE(reply.is_ok());
    auto stats = r.apply_reply(reply.value());
    REQUIRE(stats.is_ok());
    return stats->has_more || r.pending() > 0;
}

inline void sync_all(httplib::Client& c, const std::string& token, sync::Replica& r, bool json) {
    for (int i = 0; i < 500; ++i)
        if (!sync_once(c, token, r, json)) return;
    FAIL("the replica never caught up");
}

// sync_all without Catch2's assertions (for threads): "" on success, else what went wrong.
inline std::string try_sync_all(httplib::Client& c, const std::string& token, sync::Replica& r,
                                bool json) {
    for (int i = 0; i < 500; ++i) {
        auto req = r.make_push(50, 200);
        if (!req) return "make_push: " + req.status().to_string();
        const std::string body =
            json ? sync::request_to_json(req.value()) : sync::encode_request(req.value());
        auto res = post_sync(c, token, body, json);
        if (!res) return "no answer: " + httplib::to_string(res.error());
        if (res->status != 200)
            return "status " + std::to_string(res->status) + ": " + res->body.substr(0, 200);
        auto reply = json ? sync::reply_from_json(res->body) : sync::decode_reply(res->body);
        if (!reply) return "reply: " + reply.status().to_string();
        auto stats = r.apply_reply(reply.value());
        if (!stats) return "apply_reply: " + stats.status().to_string();
        if (!stats->has_more && r.pending() == 0) return "";
    }
    return "the replica never caught up";
}

}  // namespace liaison::test
