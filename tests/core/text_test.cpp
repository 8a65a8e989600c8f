// The text helpers for machine-facing text (core/util/text.hpp): byte rules, no locale.
#include "core/util/text.hpp"

#include <catch2/catch.hpp>

namespace liaison::test::core_text {
namespace {

using Parts = std::vector<std::string>;

TEST_CASE("trim removes only the given bytes, blanks by default", "[core][text]") {
    CHECK(core::trim(" \t a b \t ") == "a b");
    CHECK(core::trim("") == "");
    CHECK(core::trim(" \t ") == "");
    // Line ends and a no-break space are content for a header value or a CSV cell.
    CHECK(core::trim("\na\r") == "\na\r");
    CHECK(core::trim("\u00A0a") == "\u00A0a");  // U+00A0 NO-BREAK SPACE
    CHECK(core::trim("  a  ", " ") == "a");
    CHECK(core::trim("\ta ", " ") == "\ta");
}

TEST_CASE("ascii_lower maps A to Z and leaves every other byte", "[core][text]") {
    CHECK(core::ascii_lower("Application/JSON; Charset=UTF-8") ==
          "application/json; charset=utf-8");
    CHECK(core::ascii_lower("\xC3\x89t\xC3\xA9") == "\xC3\x89t\xC3\xA9");  // "Été": not ASCII
    CHECK(core::ascii_lower("@[`{") == "@[`{");
    CHECK(core::ascii_lower('Q') == 'q');
    CHECK(core::ascii_lower('\xC3') == '\xC3');
}

TEST_CASE("join puts the separator between items only", "[core][text]") {
    CHECK(core::join({}, ", ") == "");
    CHECK(core::join({"a"}, ", ") == "a");
    CHECK(core::join({"a", "", "c"}, ",") == "a,,c");
}

TEST_CASE("split keeps empty parts and puts the rest in the last allowed part", "[core][text]") {
    CHECK(core::split("", ':') == Parts{""});
    CHECK(core::split("a::", ':') == Parts{"a", "", ""});
    CHECK(core::split("a:b:c", ':') == Parts{"a", "b", "c"});
    CHECK(core::split("a:b:c", ':', 2) == Parts{"a", "b:c"});
    CHECK(core::split("a:b:c", ':', 1) == Parts{"a:b:c"});
    CHECK(core::split("a\tb", '\t', 8) == Parts{"a", "b"});
}

TEST_CASE("split_list trims items and drops empty ones", "[core][text]") {
    CHECK(core::split_list("a, b,,c \t") == Parts{"a", "b", "c"});
    CHECK(core::split_list("") == Parts{});
    CHECK(core::split_list(" , ") == Parts{});
    CHECK(core::split_list("1;2", ';') == Parts{"1", "2"});
}

TEST_CASE("join and split are inverse for items without the separator", "[core][text]") {
    const Parts items{"01J0", "", "x y"};
    CHECK(core::split(core::join(items, ","), ',') == items);
}

}  // namespace
}  // namespace liaison::test::core_text
