// Writing JSON text (the apps' views, the server's responses). Parsing is done with rapidjson
// where it is needed (sync/edit.cpp) or by the sync codec.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace liaison::core {

// `s` as a JSON string literal, quotes included. Control characters are escaped, and so are
// '<', '>' and '&' (as \u003c ...) so that JSON embedded in a page can never close a tag.
// Invalid UTF-8 is passed through byte for byte (callers quote text they produced or validated).
std::string json_string(std::string_view s);
// ["a","b"] from a list of strings.
std::string json_string_array(const std::vector<std::string>& items);

}  // namespace liaison::core
