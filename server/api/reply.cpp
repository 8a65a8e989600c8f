#include "server/api/reply.hpp"

#include <algorithm>
#include <cctype>

#include "server/api/json.hpp"

namespace liaison::server {

std::string plain_message(const Status& s) {
    std::string m = code_message(s.code());
    if (!m.empty() && m.back() == '.') m.pop_back();
    return s.detail().empty() ? m : m + ": " + s.detail();
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

std::string media_type(std::string_view content_type) {
    content_type = content_type.substr(0, content_type.find(';'));
    while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
    while (!content_type.empty() && content_type.front() == ' ') content_type.remove_prefix(1);
    return ascii_lower(content_type);
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

}  // namespace liaison::server
