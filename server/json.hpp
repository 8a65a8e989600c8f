// Small JSON writing helpers for the server's own responses and logs (the sync messages have
// their own codec, sync/codec.hpp). Writing only: the server never parses JSON itself except
// through the sync codec.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace liaison::server {

// `s` as a JSON string literal, quotes included. Control characters are escaped; invalid
// UTF-8 is passed through byte for byte (callers only quote text they produced or validated).
std::string json_string(std::string_view s);
// ["a","b"] from a list of strings.
std::string json_string_array(const std::vector<std::string>& items);
// The one error body every endpoint uses:
//   {"error":{"code":"<code_name>","message":"<plain words>"}}
std::string json_error(std::string_view code, std::string_view message);

}  // namespace liaison::server
