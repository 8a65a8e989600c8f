#include "server/api/tokens.hpp"

#include <algorithm>
#include <string>

#include "server/api/admin.hpp"
#include "server/api/json.hpp"

namespace liaison::server {
namespace {

// Token ids are 16 lower-case hex digits (auth.hpp); anything else names no token.
bool is_token_id(std::string_view id) {
    return id.size() == kTokenIdBytes * 2 && std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

}  // namespace

HttpReply handle_tokens(SyncBackend& backend, const Principal& who, std::string_view method,
                        std::string_view id,
                        const std::multimap<std::string, std::string>& params) {
    if (method == "GET") {
        std::optional<std::int64_t> user;
        for (const auto& [name, value] : params) {
            if (name != "user")
                return field_status_reply(
                    Status(Code::kUnknownField, name.substr(0, 64) + ": not accepted here"),
                    {std::string_view(name)});
            user = parse_user_id(value);
            if (!user)
                return field_status_reply(Status(Code::kBadFormat, "user: a user id"), {"user"});
        }
        return backend.read([&](core::Store& store) -> HttpReply {
            auto tokens = list_tokens(store, user);
            if (!tokens) return status_reply(tokens.status());
            std::string out = "{\"items\":[";
            for (const auto& t : tokens.value()) {
                if (out.back() != '[') out += ',';
                out += "{\"id\":" + json_string(t.id) + ",\"user\":" + std::to_string(t.user) +
                       ",\"device\":" + json_string(t.device) +
                       ",\"revoked\":" + (t.revoked ? "true" : "false") +
                       ",\"created_at\":" + std::to_string(t.created_at) + "}";
            }
            HttpReply r;
            r.body = out + "]}";
            return r;
        });
    }
    if (!is_token_id(id)) return error_reply(404, "not_found", "no such token");
    return backend.read([&](core::Store& store) -> HttpReply {
        if (Status s = revoke_token(store, id, user_actor(who)); !s) return status_reply(s);
        HttpReply r;
        r.body = "{\"id\":" + json_string(id) + ",\"revoked\":true}";
        return r;
    });
}

HttpReply handle_devices(SyncBackend& backend, const Principal& who, std::string_view method,
                         std::string_view replica_text) {
    if (method == "GET")
        return backend.read([&](core::Store& store) -> HttpReply {
            auto replicas = list_replicas(store);
            if (!replicas) return status_reply(replicas.status());
            auto tokens = list_tokens(store, std::nullopt);
            if (!tokens) return status_reply(tokens.status());
            std::string out = "{\"items\":[";
            for (const auto& d : replicas.value()) {
                const auto live = std::count_if(
                    tokens.value().begin(), tokens.value().end(), [&](const TokenRow& t) {
                        return t.user == d.owner.user && t.device == d.owner.device && !t.revoked;
                    });
                if (out.back() != '[') out += ',';
                out += "{\"replica\":" + json_string(d.replica.to_text()) +
                       ",\"user\":" + std::to_string(d.owner.user) +
                       ",\"device\":" + json_string(d.owner.device) +
                       ",\"first_seen\":" + std::to_string(d.first_seen) +
                       ",\"live_tokens\":" + std::to_string(live) + "}";
            }
            HttpReply r;
            r.body = out + "]}";
            return r;
        });
    const auto replica = core::Id128::from_text(replica_text);
    if (!replica) return error_reply(404, "not_found", "no such device");
    return backend.read([&](core::Store& store) -> HttpReply {
        auto n = revoke_device(store, *replica, user_actor(who));
        if (!n) return status_reply(n.status());
        HttpReply r;
        r.body = "{\"replica\":" + json_string(replica->to_text()) +
                 ",\"revoked\":" + std::to_string(n.value()) + "}";
        return r;
    });
}

}  // namespace liaison::server
