// The compliance rule tables as compiled into the library: core/compliance/rules/*.json, each
// held whole as a raw string literal in a source the build writes (embed_rules.cmake).
//
// Thread-safety: constant data.
#pragma once

#include <string_view>
#include <vector>

namespace liaison::core::compliance {

struct TableText {
    std::string_view file;  // "disclosure.json"
    std::string_view text;  // the file's bytes
};

// Every table, in file-name order.
const std::vector<TableText>& embedded_tables();

}  // namespace liaison::core::compliance
