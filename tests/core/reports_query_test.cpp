// A report query given as text (core::parse_report_query) and the answer it asks for
// (core::report_answer): what the REST API and the web façade both serve, checked once here.
#include <catch2/catch.hpp>

#include "support/reports_fixture.hpp"

namespace liaison::test::core_reports_query {
namespace {

using core::ReportParams;

// The detail of the refusal of `params` for `report` ("" when read).
std::string refusal(const ReportParams& params, const std::string& report = "amec") {
    auto q = core::parse_report_query(report, params);
    return q ? "" : q.status().detail();
}

Code refusal_code(const ReportParams& params, const std::string& report = "amec") {
    auto q = core::parse_report_query(report, params);
    return q ? Code::kOk : q.status().code();
}

}  // namespace

TEST_CASE("a report query given as text is read into the query", "[core][reports]") {
    const std::string campaign = core::Id128::from_bytes(std::string(16, 'c').data()).to_text();
    const std::string store = core::Id128::from_bytes(std::string(16, 's').data()).to_text();
    auto q = core::parse_report_query("sov", {{"campaign", campaign},
                                              {"store", store},
                                              {"from", "2026-03-01"},
                                              {"to", "2026-03-31"},
                                              {"group_by", "platform"},
                                              {"currency", "EUR"},
                                              {"model", "linear"},
                                              {"metric", "reach"},
                                              {"market", "FR"},
                                              {"format", "csv"},
                                              {"table", "paid"}});
    REQUIRE(q.is_ok());
    CHECK(q->report == "sov");
    REQUIRE(q->campaign);
    CHECK(q->campaign->to_text() == campaign);
    REQUIRE(q->store);
    CHECK(q->store->to_text() == store);
    CHECK_FALSE(q->programme);
    CHECK_FALSE(q->brand);
    CHECK_FALSE(q->region);
    CHECK(q->from == "2026-03-01");
    CHECK(q->to == "2026-03-31");
    CHECK(q->group_by == "platform");
    CHECK(q->currency == "EUR");
    CHECK(q->model == "linear");
    CHECK(q->metric == "reach");
    CHECK(q->market == "FR");
    CHECK(q->format == "csv");
    CHECK(q->table == "paid");
    // Nothing given: every report, open, as JSON.
    auto plain = core::parse_report_query("health", {});
    REQUIRE(plain.is_ok());
    CHECK(plain->format == "json");
    CHECK(plain->table.empty());
    CHECK(plain->from.empty());
}

TEST_CASE("a report query given as text is refused naming the parameter at fault",
          "[core][reports]") {
    CHECK(refusal({{"colour", "red"}}) == "colour: not a parameter of the reports");
    CHECK(refusal_code({{"colour", "red"}}) == Code::kUnknownField);
    CHECK(refusal({{std::string(50, 'k'), "1"}}) ==
          std::string(40, 'k') + ": not a parameter of the reports");
    CHECK(refusal({{"from", "2026-03-01"}, {"from", "2026-04-01"}}) == "from: given twice");
    CHECK(refusal({{"market", std::string(65, 'F')}}) == "market: longer than 64 characters");
    CHECK(refusal({{"table", std::string(64, 't')}}).empty());
    CHECK(refusal({}, "horoscope") ==
          "no report named \"horoscope\" (amec, sov, pyramid, emv, attribution, health)");
    CHECK(refusal_code({}, "horoscope") == Code::kNotFound);
    CHECK(refusal({{"format", "pdf"}}) == "format: json or csv");
    CHECK(refusal({{"format", ""}}) == "format: json or csv");
    CHECK(refusal({{"campaign", "not-an-id"}}) ==
          "campaign: not an id (26 characters of Crockford base32)");
    CHECK(refusal_code({{"campaign", "not-an-id"}}) == Code::kBadFormat);
    CHECK(refusal({{"programme", ""}}) ==
          "programme: not an id (26 characters of Crockford base32)");
    CHECK(refusal({{"from", "2026-13-01"}}) == "from: not a date (YYYY-MM-DD)");
    CHECK(refusal({{"from", "2026-03-10"}, {"to", "2026-03-01"}}) == "to: before from");
    CHECK(refusal({{"group_by", "colour"}}).rfind("group_by: ", 0) == 0);
    CHECK(refusal({{"currency", "euro"}}).rfind("currency: ", 0) == 0);
    CHECK(refusal({{"model", "magic"}}).rfind("model: ", 0) == 0);
    CHECK(refusal({{"metric", "x"}}).rfind("metric: ", 0) == 0);
    CHECK(refusal({{"market", "France"}}).rfind("market: ", 0) == 0);
    // The first fault first: a parameter's name, then the report, the format, the ids, the rest.
    CHECK(refusal({{"from", "x"}, {"colour", "red"}}, "horoscope").rfind("colour:", 0) == 0);
    CHECK(refusal({{"format", "pdf"}}, "horoscope").rfind("no report named", 0) == 0);
    CHECK(refusal({{"campaign", "x"}, {"format", "pdf"}}) == "format: json or csv");
    CHECK(refusal({{"store", "x"}, {"region", "y"}}).rfind("region:", 0) == 0);
    CHECK(refusal({{"from", "x"}, {"brand", "y"}}).rfind("brand:", 0) == 0);
}

TEST_CASE("a report answer keeps the table asked for or names the table it lacks",
          "[core][reports][central]") {
    ReportsFixture f;
    core::ReportQuery q;
    q.report = "amec";
    const auto r = f.run(q);
    auto answer = [&](const std::string& format, const std::string& table) {
        q.format = format;
        q.table = table;
        return core::report_answer(r, q);
    };
    CHECK(answer("json", "").value() == core::report_json(r));
    CHECK(answer("csv", "").value() == core::report_csv(r).value());
    CHECK(answer("csv", "outputs").value() == core::report_csv(r, "outputs").value());
    const auto one = answer("json", "outputs");
    REQUIRE(one.is_ok());
    core::Report only = r;
    only.tables = {ReportsFixture::table(r, "outputs")};
    CHECK(one.value() == core::report_json(only));
    for (const char* format : {"json", "csv"}) {
        const auto missing = answer(format, "nothing");
        REQUIRE_FALSE(missing.is_ok());
        CHECK(missing.status().code() == Code::kNotFound);
        CHECK(missing.status().detail() == "table: the amec report has no table \"nothing\"");
    }
}

}  // namespace liaison::test::core_reports_query
