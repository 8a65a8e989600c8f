#include "server/api/sync.hpp"

#include <cstddef>
#include <string>

#include "server/api/admin.hpp"
#include "server/api/json.hpp"
#include "sync/codec.hpp"

namespace liaison::server {
namespace {

constexpr const char* kBinaryType = "application/x-liaison";

}  // namespace

HttpReply handle_sync(SyncBackend& backend, const Principal& who, std::string_view content_type,
                      std::string_view body, bool* stale) {
    const std::string media = media_type(content_type);
    const bool binary = media == kBinaryType;
    if (!binary && media != kJsonType)
        return error_reply(415, "unsupported_media_type",
                           "send the push as application/x-liaison (binary) or application/json");
    auto request = binary ? sync::decode_request(body) : sync::request_from_json(body);
    if (!request) {
        const Status& s = request.status();
        // Decoder details say where the input went wrong: the caller's own bytes, safe to echo.
        return error_reply(http_status_for(s.code()), code_name(s.code()), plain_message(s));
    }
    // An older protocol decodes (the previous release's app) and the hub answers it
    // upgrade_required (426): the device keeps its outbox (docs/SYNC.md "Versions").
    // Operations are accepted only from the replica that stamped them (the hub checks each one
    // against the pushing replica); a push without a replica id would bind to none.
    if (!request->ops.empty() && request->replica.is_nil())
        return error_reply(400, code_name(Code::kInvalidArgument),
                           "replica: required when pushing operations");
    if (!request->replica.is_nil())
        if (Status bound = backend.check_replica(who, request->replica); !bound) {
            // A kept grant is checked before its refusal is told (the token may be revoked).
            if (stale && !who.cached_at.empty()) {
                *stale = true;
                return HttpReply{};
            }
            return status_reply(bound);
        }
    bool changed = false;
    auto reply =
        backend.exchange(device_context(who, request->replica), request.value(),
                         stale ? std::string_view(who.cached_at) : std::string_view(), &changed);
    if (changed) {
        *stale = true;
        return HttpReply{};
    }
    if (!reply) return status_reply(reply.status());
    HttpReply r;
    r.content_type = binary ? kBinaryType : kJsonType;
    r.body = binary ? sync::encode_reply(reply.value()) : sync::reply_to_json(reply.value());
    std::size_t accepted = 0, duplicate = 0, rejected = 0;
    for (const auto& res : reply->results) {
        accepted += res.outcome == sync::Outcome::kApplied;
        duplicate += res.outcome == sync::Outcome::kDuplicate;
        rejected += res.outcome == sync::Outcome::kRejected;
    }
    r.log_note = ",\"ops\":" + std::to_string(request->ops.size()) +
                 ",\"accepted\":" + std::to_string(accepted) +
                 ",\"duplicate\":" + std::to_string(duplicate) +
                 ",\"rejected\":" + std::to_string(rejected) +
                 ",\"changes\":" + std::to_string(reply->changes.size()) +
                 ",\"cursor\":" + std::to_string(reply->next_cursor);
    return r;
}

HttpReply handle_me(SyncBackend& backend, const Principal& who) {
    std::vector<std::string> ids;
    for (const auto& id : who.staff) ids.push_back(id.to_text());
    auto staff = backend.read([&](core::Store& store) { return describe_staff(store, ids); });
    if (!staff) return status_reply(staff.status());
    HttpReply r;
    r.body = "{\"user\":" + std::to_string(who.user) + ",\"name\":" + json_string(who.name) +
             ",\"token\":" + json_string(who.token_id) +
             ",\"role\":" + json_string(sync::role_name(who.role)) +
             ",\"scope\":{\"global\":" + (who.scope.global ? "true" : "false") +
             ",\"regions\":" + json_string_array(who.scope.regions) +
             ",\"stores\":" + json_string_array(who.scope.stores) +
             ",\"brands\":" + json_string_array(who.scope.brands) +
             ",\"directory_brands\":" + json_string_array(who.scope.directory_brands) +
             "},\"staff\":" + staff_json(staff.value()) + "}";
    return r;
}

}  // namespace liaison::server
