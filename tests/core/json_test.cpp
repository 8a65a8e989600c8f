// The JSON nesting bound (core/util/json.hpp): every JSON decoder checks it before parsing,
// so hostile nesting is a malformed input rather than a stack overflow.
#include "core/util/json.hpp"

#include <catch2/catch.hpp>

namespace liaison::test::core_json {

using core::check_json_depth;
using core::kMaxJsonDepth;

TEST_CASE("JSON nested up to the bound passes the depth check and one level more does not",
          "[core][json][hostile]") {
    const std::string at_bound = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
    CHECK(check_json_depth(at_bound).is_ok());
    const std::string over = "[" + at_bound + "]";
    const Status s = check_json_depth(over);
    CHECK(s.code() == Code::kMalformed);
    CHECK(s.to_string().find("JSON nested deeper than 64 levels") != std::string::npos);
    // Objects count as arrays do, mixed in any order.
    std::string mixed;
    for (std::size_t i = 0; i <= kMaxJsonDepth; ++i) mixed += i % 2 ? "[" : "{\"k\":";
    CHECK(check_json_depth(mixed).code() == Code::kMalformed);
    CHECK(check_json_depth(std::string(1'000'000, '{')).code() == Code::kMalformed);
}

TEST_CASE("brackets inside JSON strings do not count as nesting", "[core][json]") {
    const std::string deep_text = "{\"a\":\"" + std::string(1000, '[') + "\"}";
    CHECK(check_json_depth(deep_text).is_ok());
    // An escaped quote does not end the string; an escaped backslash does not hide the quote.
    CHECK(check_json_depth(R"(["\"[[[[", "\\"])", 2).is_ok());
    CHECK(check_json_depth(R"(["\\", [[]]])", 2).code() == Code::kMalformed);
}

TEST_CASE("siblings do not add up: depth is the deepest path, not the bracket count",
          "[core][json]") {
    std::string wide = "[";
    for (int i = 0; i < 10'000; ++i) wide += i ? ",[[]]" : "[[]]";
    wide += "]";
    CHECK(check_json_depth(wide, 3).is_ok());
    CHECK(check_json_depth(wide, 2).code() == Code::kMalformed);
    // Closing brackets with no opener cannot lower the count below zero and hide real nesting.
    CHECK(check_json_depth("]]]]" + std::string(5, '['), 4).code() == Code::kMalformed);
}

}  // namespace liaison::test::core_json
