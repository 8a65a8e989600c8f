// The server's JSON error body. Writing JSON strings is core/util/json.hpp; the sync messages
// have their own codec (sync/codec.hpp) and app documents are parsed by sync/edit.hpp.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/util/json.hpp"

namespace liaison::server {

using core::json_string;
using core::json_string_array;
// The one error body every endpoint uses:
//   {"error":{"code":"<code_name>","message":"<plain words>"}}
std::string json_error(std::string_view code, std::string_view message);
// The same with the input field the error is about (the administrative routes):
//   {"error":{"code":"<code_name>","message":"<plain words>","field":"<name>"}}
std::string json_error(std::string_view code, std::string_view message, std::string_view field);

}  // namespace liaison::server
