// The CSV reader and writer and the cell conventions (server/admin/csv.hpp), in process.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "server/admin/csv.hpp"

namespace liaison::test::server_csv_reader {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct ReadAll {
    Rows rows;
    std::vector<std::string> errors;  // per record, "" when fine
    std::vector<std::size_t> lines;
};

ReadAll read_all(const std::string& text, std::size_t max_record = server::kMaxCsvRecordBytes,
                 std::size_t max_fields = server::kMaxCsvFields) {
    std::istringstream in(text);
    server::CsvReader reader(in, max_record, max_fields);
    server::CsvRecord rec;
    ReadAll out;
    while (reader.next(rec)) {
        if (rec.blank) continue;
        out.rows.push_back(rec.fields);
        out.errors.push_back(rec.error);
        out.lines.push_back(rec.line);
    }
    return out;
}

}  // namespace

TEST_CASE("the CSV reader reads quoted commas, doubled quotes and embedded newlines",
          "[server][csv]") {
    auto r = read_all("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",,x\r\nlast,\"\",end");
    REQUIRE(r.rows.size() == 3);
    CHECK(r.rows[0] == std::vector<std::string>{"a", "b,c", "say \"hi\""});
    CHECK(r.rows[1] == std::vector<std::string>{"two\r\nlines", "", "x"});
    CHECK(r.rows[2] == std::vector<std::string>{"last", "", "end"});
    CHECK(r.lines == std::vector<std::size_t>{1, 2, 4});  // a record's first line
    for (const auto& e : r.errors) CHECK(e.empty());
}

TEST_CASE("CRLF, LF and lone CR end records, and a byte-order mark is skipped", "[server][csv]") {
    auto r = read_all("\xEF\xBB\xBFid,name\r\n1,a\n2,b\r3,c");
    REQUIRE(r.rows.size() == 4);
    CHECK(r.rows[0] == std::vector<std::string>{"id", "name"});
    CHECK(r.rows[3] == std::vector<std::string>{"3", "c"});
    CHECK(r.lines == std::vector<std::size_t>{1, 2, 3, 4});
    // Not a BOM: the bytes stay data.
    auto s = read_all("\xEF\xBB,x\n");
    REQUIRE(s.rows.size() == 1);
    CHECK(s.rows[0][0] == "\xEF\xBB");
}

TEST_CASE("a hostile 10 MB line is one rejected record and the reader goes on",
          "[server][csv][limits]") {
    std::string text = "h1,h2\n" + std::string(10 * 1024 * 1024, 'x') + ",y\nok,fine\n";
    auto r = read_all(text);
    REQUIRE(r.rows.size() == 3);
    CHECK(r.errors[1].find("longer than 1048576 bytes") != std::string::npos);
    CHECK(r.rows[1].empty());  // nothing of it kept
    CHECK(r.errors[2].empty());
    CHECK(r.rows[2] == std::vector<std::string>{"ok", "fine"});
    CHECK(r.lines[2] == 3);
    // A quoted field that never closes swallows the rest of the file: one error, bounded.
    auto q = read_all("a\n\"" + std::string(3 * 1024 * 1024, 'y') + "\nmore\n");
    REQUIRE(q.rows.size() == 2);
    CHECK_FALSE(q.errors[1].empty());
    CHECK(q.rows[1].empty());
}

TEST_CASE("stray and unterminated quotes and too many fields are record errors", "[server][csv]") {
    auto r = read_all("a\"b,c\n\"x\"y,z\n\"open,end");
    REQUIRE(r.rows.size() == 3);
    CHECK(r.errors[0].find("a quote inside an unquoted field") == 0);
    CHECK(r.errors[1] == "text after the closing quote of a field");
    CHECK(r.errors[2] == "a quoted field opened on line 3 is never closed");
    auto f = read_all("1,2,3,4\n1,2\n", server::kMaxCsvRecordBytes, 3);
    CHECK(f.errors[0] == "more than 3 fields");
    CHECK(f.errors[1].empty());
}

TEST_CASE("csv_line quotes only what needs it and reads back the same", "[server][csv]") {
    const std::vector<std::string> fields = {"plain", "a,b", "q\"uote", "multi\nline",
                                             "cr\r",  "",    "Hélène"};
    const std::string line = server::csv_line(fields);
    CHECK(line == "plain,\"a,b\",\"q\"\"uote\",\"multi\nline\",\"cr\r\",,Hélène\r\n");
    auto r = read_all(line);
    REQUIRE(r.rows.size() == 1);
    CHECK(r.rows[0] == fields);
}

TEST_CASE("the formula guard prefixes what a spreadsheet would run, and undoes exactly that",
          "[server][csv]") {
    CHECK(server::guard_formula("=SUM(A1)") == "'=SUM(A1)");
    CHECK(server::guard_formula("+33 6 12") == "'+33 6 12");
    CHECK(server::guard_formula("-1") == "'-1");
    CHECK(server::guard_formula("@cmd") == "'@cmd");
    CHECK(server::guard_formula("\tx") == "'\tx");
    CHECK(server::guard_formula("O'Neil") == "O'Neil");
    CHECK(server::guard_formula("'quoted'") == "'quoted'");
    CHECK(server::guard_formula("'=x") == "''=x");
    for (std::string v : {"=1", "'=1", "''=1", "'", "'a", "plain", "", "-", "a=b", "@"})
        CHECK(server::unguard_formula(server::guard_formula(v)) == v);
    CHECK(server::unguard_formula("'hello") == "'hello");  // any other ' is data
}

TEST_CASE("set cells join with | and escape it", "[server][csv]") {
    CHECK(server::join_set_cell({"a", "b|c", "d\\e"}) == "a|b\\|c|d\\\\e");
    CHECK(server::split_set_cell("a|b\\|c|d\\\\e") == std::vector<std::string>{"a", "b|c", "d\\e"});
    CHECK(server::split_set_cell(" a || b |") == std::vector<std::string>{"a", "b"});
    CHECK(server::split_set_cell("").empty());
}

TEST_CASE("time cells are ISO 8601 UTC and read back, and impossible dates are refused",
          "[server][csv]") {
    CHECK(server::format_time_cell(0) == "1970-01-01T00:00:00.000Z");
    CHECK(server::format_time_cell(1732350000123) == "2024-11-23T08:20:00.123Z");
    for (std::int64_t ms :
         {INT64_C(0), INT64_C(951782400000), INT64_C(1732350000123), INT64_C(32503679999999)})
        CHECK(server::parse_time_cell(server::format_time_cell(ms)) == ms);
    CHECK(server::parse_time_cell("2024-11-23T08:20Z") == 1732350000000);
    CHECK(server::parse_time_cell("2024-11-23 08:20:00Z") == 1732350000000);
    CHECK(server::parse_time_cell("1732350000000") == 1732350000000);
    CHECK(server::parse_time_cell("2024-11-23T08:20:00.5Z") == 1732350000500);
    for (const char* bad :
         {"2026-02-30T10:00:00Z", "2024-11-23T08:20:00", "2024-11-23", "2024-11-23T08:20:00+01:00",
          "2024-13-01T00:00Z", "tomorrow", "", "2024-11-23T24:00Z", "-5"})
        CHECK_FALSE(server::parse_time_cell(bad).has_value());
}

}  // namespace liaison::test::server_csv_reader
