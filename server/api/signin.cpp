#include "server/api/signin.hpp"

#include <string>

#include "server/api/admin.hpp"
#include "server/api/json.hpp"

namespace liaison::server {

HttpReply handle_signin_code(SyncBackend& backend, const Principal& who, std::string_view user_text,
                             std::string_view origin, std::string_view content_type,
                             std::string_view body) {
    const auto user = parse_user_id(user_text);
    if (!user) return error_reply(404, "not_found", "there is nothing at this address");
    std::string device;
    std::int64_t minutes = kSigninCodeDefaultMinutes;
    if (!body.empty()) {
        if (auto bad = check_json_type(content_type)) return *bad;
        auto doc = parse_admin_body(body, {"device", "minutes"});
        if (!doc) return field_status_reply(doc.status(), {"device", "minutes"});
        auto d = string_member(doc.value(), "device");
        if (!d) return field_status_reply(d.status(), {"device"});
        device = d.value().value_or("");
        auto m = int_member(doc.value(), "minutes");
        if (!m) return field_status_reply(m.status(), {"minutes"});
        minutes = m.value().value_or(minutes);
    }
    return backend.read([&](core::Store& store) -> HttpReply {
        auto code = issue_signin_code(store, *user, device, minutes, user_actor(who));
        if (!code) return field_status_reply(code.status(), {"device", "minutes"});
        HttpReply r;
        r.status = 201;
        r.headers.emplace_back("Cache-Control", "no-store");
        r.body = "{\"code\":" + json_string(code->code) +
                 ",\"url\":" + json_string(std::string(origin) + "/#signin=" + code->code) +
                 ",\"expires_at\":" + std::to_string(code->expires_at) + "}";
        return r;
    });
}

HttpReply handle_signin(SyncBackend& backend, std::string_view content_type,
                        std::string_view body) {
    if (auto bad = check_json_type(content_type)) return *bad;
    auto doc = parse_admin_body(body, {"code", "device"});
    if (!doc) return field_status_reply(doc.status(), {"code", "device"});
    auto code = string_member(doc.value(), "code");
    if (!code) return field_status_reply(code.status(), {"code"});
    if (!code.value() || code.value()->empty())
        return field_status_reply(Status(Code::kRequired, "code: required"), {"code"});
    auto device = string_member(doc.value(), "device");
    if (!device) return field_status_reply(device.status(), {"device"});
    const std::string label = device.value().value_or("");
    return backend.read([&](core::Store& store) -> HttpReply {
        auto out = exchange_signin_code(store, *code.value(), label);
        if (!out) return field_status_reply(out.status(), {"device"});
        using Refused = SignedIn::Refused;
        switch (out->refused) {
            case Refused::kInvalid:
                return error_reply(401, "unauthorized",
                                   "this sign-in link is not valid; ask your administrator for "
                                   "a new one");
            case Refused::kUsed:
                return error_reply(410, "used",
                                   "this sign-in link was already used; ask your administrator "
                                   "for a new one");
            case Refused::kExpired:
                return error_reply(410, "expired",
                                   "this sign-in link has expired; ask your administrator for a "
                                   "new one");
            case Refused::kNone:
                break;
        }
        HttpReply r;
        r.headers.emplace_back("Cache-Control", "no-store");
        r.body = "{\"token\":" + json_string(out->token.token) +
                 ",\"user\":" + std::to_string(out->user) + "}";
        r.log_note = ",\"user\":" + std::to_string(out->user);
        return r;
    });
}

}  // namespace liaison::server
