// Writing JSON text (the apps' views, the server's responses), and the nesting bound every
// JSON decoder checks before parsing. Parsing is done with rapidjson where it is needed
// (server REST bodies, the web façade's arguments), by the sync codec, or by sync/edit.cpp.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/status.hpp"

namespace liaison::core {

// The deepest nesting of arrays and objects any JSON input may have. rapidjson's default
// reader (and so cereal's JSON archive) recurses once per level: a body of a few hundred
// thousand '[' overflows the stack and kills the process. Our deepest message (a push reply:
// reply > changes > snapshot > values > value) nests 5 levels, so 64 leaves room to grow.
inline constexpr std::size_t kMaxJsonDepth = 64;

// ok, or malformed "JSON nested deeper than <max_depth> levels". A linear scan with no
// recursion and no allocation that counts '[' and '{' outside strings; it does not otherwise
// check the JSON (the parser that follows does). Call it before every parse of untrusted text.
Status check_json_depth(std::string_view json, std::size_t max_depth = kMaxJsonDepth);

// `s` as a JSON string literal, quotes included. Control characters are escaped, and so are
// '<', '>' and '&' (as \u003c ...) so that JSON embedded in a page can never close a tag.
// Invalid UTF-8 is passed through byte for byte (callers quote text they produced or validated).
std::string json_string(std::string_view s);
// ["a","b"] from a list of strings.
std::string json_string_array(const std::vector<std::string>& items);

}  // namespace liaison::core
