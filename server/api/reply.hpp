// What a route answers, before the transport writes it to a socket (so that routes can be
// tested without one), and the one way a failed Status becomes an HTTP status and error body.
//
// Thread-safety: values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/status.hpp"

namespace liaison::server {

inline constexpr const char* kJsonType = "application/json";

// What a route answers: the status, the body and its type, extra headers, and a note for the
// request's log line.
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
// 405 for a method the address does not take, with the Allow header listing those it does.
HttpReply method_not_allowed(std::string_view allowed);
// "The message could not be read: truncated or corrupt message": the code's sentence, then the
// detail. Only for the caller's own mistakes: the detail is about their input.
std::string plain_message(const Status& s);
// "Application/JSON; charset=utf-8" -> "application/json".
std::string media_type(std::string_view content_type);

}  // namespace liaison::server
