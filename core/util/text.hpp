// Small text helpers for machine-facing text: header values, CSV cells, comma lists, meta
// values, tab-separated fields. Bytes, not characters: ASCII is mapped, every other byte
// (UTF-8 included) is kept as it is, so the answers are the same natively and in WebAssembly
// and never depend on a C locale.
//
// Text people type into the record is trimmed and case-mapped by core/model/validate.cpp
// instead (Unicode white space, Latin case mapping): a different rule on purpose, since a
// name pasted with a no-break space must still match, while a header or a cell is ASCII.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace liaison::core {

// Spaces and tabs: what protocols and CSV cells pad with.
inline constexpr std::string_view kBlanks = " \t";

// `text` without the leading and trailing bytes found in `chars`.
std::string_view trim(std::string_view text, std::string_view chars = kBlanks);

// 'A'..'Z' to 'a'..'z'; every other byte unchanged.
char ascii_lower(char c);
std::string ascii_lower(std::string_view text);

// {"a","b"}, ", " -> "a, b"; {} -> "".
std::string join(const std::vector<std::string>& items, std::string_view sep);

// "a:b:c", ':' -> {"a","b","c"}; at most `max_parts` parts (>= 1), the last one holding the
// rest of the text, separators included ("a:b:c", ':', 2 -> {"a","b:c"}). Empty parts are
// kept: "" -> {""}, "a::" -> {"a","",""}.
std::vector<std::string> split(std::string_view text, char sep,
                               std::size_t max_parts = std::numeric_limits<std::size_t>::max());

// A list typed or stored as "a, b,,c ": the items split at `sep`, each trimmed of blanks,
// empty ones dropped -> {"a","b","c"}.
std::vector<std::string> split_list(std::string_view text, char sep = ',');

// Whether `list` holds `item`.
bool contains(const std::vector<std::string>& list, std::string_view item);

}  // namespace liaison::core
