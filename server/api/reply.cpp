#include "server/api/reply.hpp"

#include "core/util/text.hpp"
#include "server/api/json.hpp"

namespace liaison::server {

std::string plain_message(const Status& s) {
    std::string m = code_message(s.code());
    if (!m.empty() && m.back() == '.') m.pop_back();
    return s.detail().empty() ? m : m + ": " + s.detail();
}

std::string media_type(std::string_view content_type) {
    // Spaces only, as before: a tab around the type is not trimmed (RFC 9110 allows it, but no
    // client sends one and the answer to one must not change silently).
    return core::ascii_lower(core::trim(content_type.substr(0, content_type.find(';')), " "));
}

HttpReply error_reply(int status, std::string_view code, std::string_view message) {
    HttpReply r;
    r.status = status;
    r.body = json_error(code, message);
    return r;
}

int http_status_for(Code code) {
    switch (code) {
        case Code::kOk:
            return 200;
        case Code::kTooLarge:
            return 413;
        case Code::kForbidden:
        case Code::kOutOfScope:
            return 403;
        case Code::kNotFound:
            return 404;
        case Code::kConflict:
            return 409;
        case Code::kErased:
            return 410;
        case Code::kUpgradeRequired:
            return 426;
        case Code::kStorage:
        case Code::kInternal:
            return 500;
        default:
            return 400;
    }
}

HttpReply status_reply(const Status& s) {
    const int status = http_status_for(s.code());
    if (status >= 500) {
        HttpReply r = error_reply(status, "internal", "the server failed; the incident is logged");
        r.log_note = ",\"detail\":" + json_string(s.to_string());
        return r;
    }
    return error_reply(status, code_name(s.code()), plain_message(s));
}

HttpReply method_not_allowed(std::string_view allowed) {
    HttpReply r =
        error_reply(405, "method_not_allowed", "this address takes " + std::string(allowed));
    r.headers.emplace_back("Allow", std::string(allowed));
    return r;
}

}  // namespace liaison::server
