// The audit of personal-data reads against the real server (docs/SECURITY.md, "Audit of
// personal-data reads"; server/api/audit.hpp): every export and every view of a person's full
// record by the central team, an administrator or a regional manager is a row naming the caller
// and ids only; the views the app made from its own replica arrive in bounded batches.
#include <catch2/catch.hpp>
#include <chrono>

#include "rest_fixture.hpp"

namespace liaison::test::server_audit_http {
namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct AuditWorld {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    std::unique_ptr<httplib::Client> client = server.client();
    Company co{setup, *client};
    std::string central_actor = "user:" + setup.central_user;

    // The rows GET /api/v1/audit answers the administrator for `query`, newest first.
    std::vector<std::string> rows(const std::string& query) {
        auto res = client->Get(("/api/v1/audit?" + query).c_str(), bearer(setup.admin_token));
        REQUIRE(res);
        INFO(query << " -> " << res->body.substr(0, 400));
        REQUIRE(res->status == 200);
        CHECK(res->get_header_value("Cache-Control") == "no-store");
        auto doc = parse_json(res->body);
        std::vector<std::string> out;
        for (const auto& item : doc["items"].GetArray())
            out.push_back(str_member(item, "actor") + " " + str_member(item, "action") + " " +
                          str_member(item, "subject"));
        return out;
    }
    std::size_t audit_rows() { return rows("limit=1000").size(); }

    httplib::Result post_views(const std::string& token, const std::string& body,
                               const char* type = "application/json") {
        auto res = client->Post("/api/v1/audit/views", bearer(token), body, type);
        REQUIRE(res);
        return res;
    }
};

std::string view(const std::string& person, std::int64_t at) {
    return R"({"person":")" + person + R"(","viewed_at":)" + std::to_string(at) + "}";
}

std::string batch(const std::vector<std::string>& views) {
    std::string out = R"({"views":[)";
    for (std::size_t i = 0; i < views.size(); ++i) out += (i ? "," : "") + views[i];
    return out + "]}";
}

}  // namespace

TEST_CASE("every export writes an audit row naming the actor and ids only", "[server][audit]") {
    AuditWorld w;
    auto gdpr = w.client->Get(("/api/v1/influencers/" + w.co.ana + "/export").c_str(),
                              bearer(w.setup.central_token));
    REQUIRE(gdpr);
    REQUIRE(gdpr->status == 200);
    CHECK(w.rows("action=gdpr.export&subject=" + w.co.ana) ==
          std::vector<std::string>{w.central_actor + " gdpr.export " + w.co.ana});

    // The directory's CSV: its filters are the scope, a search only as its presence.
    auto csv =
        w.client->Get(("/api/v1/directory?format=csv&store=" + w.co.store_a + "&q=Ana").c_str(),
                      bearer(w.setup.central_token));
    REQUIRE(csv);
    REQUIRE(csv->status == 200);
    CHECK(csv->body.find("Ana Moreau") != std::string::npos);
    CHECK(w.rows("action=export.directory") ==
          std::vector<std::string>{
              w.central_actor + " export.directory rows:1 format=csv q=… store=" + w.co.store_a});

    // A report's CSV, by a store user too: every role's exports are recorded.
    auto report = w.client->Get("/api/v1/reports/pyramid?format=csv", bearer(w.co.store_a_token));
    REQUIRE(report);
    REQUIRE(report->status == 200);
    CHECK(w.rows("action=export.report") ==
          std::vector<std::string>{"user:" + w.co.store_a_user +
                                   " export.report report=pyramid format=csv"});
    // The same report as figures on screen is not an export.
    REQUIRE(w.client->Get("/api/v1/reports/pyramid", bearer(w.setup.central_token))->status == 200);
    CHECK(w.rows("action=export.report").size() == 1);

    // The administrator's archive of the whole record.
    auto archive = w.client->Get("/api/v1/admin/export", bearer(w.setup.admin_token));
    REQUIRE(archive);
    REQUIRE(archive->status == 200);
    auto archived = w.rows("action=export.archive");
    REQUIRE(archived.size() == 1);
    CHECK(archived[0].rfind("user:" + w.setup.admin_user + " export.archive lines:", 0) == 0);

    // Ids only: no name the record holds is in the audit.
    auto all = w.client->Get("/api/v1/audit?limit=1000", bearer(w.setup.central_token));
    REQUIRE(all->status == 200);
    CHECK(all->body.find("Ana") == std::string::npos);
    CHECK(all->body.find("Moreau") == std::string::npos);
    CHECK(all->body.find("example.com") == std::string::npos);
}

TEST_CASE("a full record read by central writes one row and a repeat soon after writes none",
          "[server][audit]") {
    AuditWorld w;
    const std::string card = "/api/v1/influencers/" + w.co.ana;
    REQUIRE(w.client->Get(card.c_str(), bearer(w.setup.central_token))->status == 200);
    REQUIRE(w.client->Get(card.c_str(), bearer(w.setup.central_token))->status == 200);
    CHECK(w.rows("action=person.&subject=" + w.co.ana) ==
          std::vector<std::string>{w.central_actor + " person.view " + w.co.ana});

    // Her history is a read of its own; another record's history names its kind.
    REQUIRE(w.client->Get((card + "/history").c_str(), bearer(w.setup.central_token))->status ==
            200);
    REQUIRE(w.client
                ->Get(("/api/v1/stores/" + w.co.store_a + "/history").c_str(),
                      bearer(w.setup.central_token))
                ->status == 200);
    CHECK(w.rows("actor=" + w.central_actor + "&action=person.history") ==
          std::vector<std::string>{w.central_actor + " person.history " + w.co.ana});
    CHECK(w.rows("action=record.history&subject=" + w.co.store_a) ==
          std::vector<std::string>{w.central_actor + " record.history store " + w.co.store_a});

    // A regional manager's reads are recorded too; a store user's card of her own client is not.
    const std::string regional = cli_ok({"user", "add", "--db", w.setup.db, "--name", "Rita Region",
                                         "--role", "regional", "--regions", w.co.region});
    const std::string regional_token =
        cli_ok({"token", "issue", "--db", w.setup.db, "--user", regional});
    REQUIRE(w.client->Get(card.c_str(), bearer(regional_token))->status == 200);
    REQUIRE(w.client->Get(card.c_str(), bearer(w.co.store_a_token))->status == 200);
    CHECK(w.rows("action=person.view&subject=" + w.co.ana) ==
          std::vector<std::string>{"user:" + regional + " person.view " + w.co.ana,
                                   w.central_actor + " person.view " + w.co.ana});
    // A read refused (out of her scope: 404) is no view.
    const std::size_t before = w.audit_rows();
    REQUIRE(w.client->Get(("/api/v1/influencers/" + w.co.bea).c_str(), bearer(w.co.store_a_token))
                ->status == 404);
    CHECK(w.audit_rows() == before);

    // A page of people as full entities (an API client's list) names every one of them.
    REQUIRE(w.client->Get("/api/v1/influencers?limit=10", bearer(w.setup.central_token))->status ==
            200);
    auto listed = w.rows("action=person.list&subject=" + w.co.bea);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].rfind(w.central_actor + " person.list ", 0) == 0);
    CHECK(listed[0].find(w.co.ana) != std::string::npos);
    // The store user's list of her own clients is not recorded.
    REQUIRE(w.client->Get("/api/v1/influencers", bearer(w.co.store_a_token))->status == 200);
    CHECK(w.rows("action=person.list").size() == 1);
}

TEST_CASE("a batch of views from the app is recorded at the time of each view", "[server][audit]") {
    AuditWorld w;
    const std::int64_t now = now_ms();
    const std::string unknown = "01JD0000000000000000000009";
    auto res = w.post_views(w.setup.central_token,
                            batch({view(w.co.ana, now - 3'600'000), view(w.co.bea, now - 60'000),
                                   view(w.co.ana, now - 3'300'000), view(unknown, now)}));
    INFO(res->body);
    REQUIRE(res->status == 200);
    auto doc = parse_json(res->body);
    // Ana's second view is within the repeat window of her first; the unknown id is skipped.
    CHECK(doc["recorded"].GetInt() == 2);
    CHECK(doc["repeated"].GetInt() == 1);
    CHECK(doc["skipped"].GetInt() == 1);
    CHECK(w.rows("action=person.view") ==
          std::vector<std::string>{w.central_actor + " person.view " + w.co.bea,
                                   w.central_actor + " person.view " + w.co.ana});
    auto listed = w.client->Get(("/api/v1/audit?action=person.view&subject=" + w.co.ana).c_str(),
                                bearer(w.setup.central_token));
    REQUIRE(listed->status == 200);
    auto rows = parse_json(listed->body);
    CHECK(rows["items"][0]["at"].GetInt64() == now - 3'600'000);
    // Sent twice (a lost answer): nothing new.
    REQUIRE(w.post_views(w.setup.central_token, batch({view(w.co.bea, now - 60'000)}))->status ==
            200);
    CHECK(w.rows("action=person.view").size() == 2);
}

TEST_CASE("a store user posting views is refused and nothing is written", "[server][audit]") {
    AuditWorld w;
    const std::size_t before = w.audit_rows();
    auto res = w.post_views(w.co.store_a_token, batch({view(w.co.ana, now_ms())}));
    CHECK(res->status == 403);
    CHECK(api_error(res->body) == "forbidden");
    CHECK(w.client->Get("/api/v1/audit", bearer(w.co.store_a_token))->status == 403);
    CHECK(w.audit_rows() == before);
}

TEST_CASE("a malformed or oversize or future-dated batch is refused and writes nothing",
          "[server][audit]") {
    AuditWorld w;
    const std::int64_t now = now_ms();
    const std::string good = view(w.co.ana, now);
    const std::size_t before = w.audit_rows();
    auto code = [&](const std::string& body, int status) {
        auto res = w.post_views(w.setup.central_token, body);
        INFO(body.substr(0, 200) << " -> " << res->body);
        CHECK(res->status == status);
        return api_error(res->body);
    };
    CHECK(code("not json", 400) == "malformed");
    CHECK(code(R"({"views":"x"})", 400) == "required");
    CHECK(code(R"({"views":[],"more":1})", 400) == "unknown_field");
    CHECK(code(batch({good, R"({"person":"Ana Moreau","viewed_at":1})"}), 400) == "bad_format");
    CHECK(code(batch({good, R"({"person":")" + w.co.bea + R"(","viewed_at":"today"})"}), 400) ==
          "bad_format");
    CHECK(code(batch({good, R"({"person":")" + w.co.bea + R"("})"}), 400) == "bad_format");
    // Dated ahead of the server's clock beyond its bound, or older than 30 days.
    CHECK(code(batch({good, view(w.co.bea, now + 10 * 60 * 1000)}), 400) == "clock_ahead");
    CHECK(code(batch({good, view(w.co.bea, now - 31LL * 86'400'000)}), 400) == "invalid_argument");
    // Over the batch's bound, or the body's.
    CHECK(code(batch(std::vector<std::string>(101, good)), 413) == "too_large");
    CHECK(code(R"({"views":[],"pad":")" + std::string(20'000, 'x') + "\"}", 413) == "too_large");
    auto text = w.post_views(w.setup.central_token, batch({good}), "text/plain");
    CHECK(text->status == 415);
    CHECK(w.audit_rows() == before);
}

TEST_CASE("the audit list filters and pages and refuses bad filters", "[server][audit]") {
    AuditWorld w;
    const std::int64_t now = now_ms();
    // Three views far enough apart not to be repeats.
    REQUIRE(w.post_views(w.setup.central_token, batch({view(w.co.ana, now - 3 * 3'600'000),
                                                       view(w.co.ana, now - 2 * 3'600'000),
                                                       view(w.co.ana, now - 3'600'000)}))
                ->status == 200);
    auto page = [&](const std::string& query) {
        auto res = w.client->Get(("/api/v1/audit?" + query).c_str(), bearer(w.setup.central_token));
        REQUIRE(res);
        INFO(query << " -> " << res->body);
        REQUIRE(res->status == 200);
        return parse_json(res->body);
    };
    auto first = page("action=person.view&limit=2");
    REQUIRE(first["items"].Size() == 2);
    REQUIRE(first["next_before"].IsInt64());
    auto second = page("action=person.view&limit=2&before=" +
                       std::to_string(first["next_before"].GetInt64()));
    REQUIRE(second["items"].Size() == 1);
    CHECK(second["next_before"].IsNull());
    CHECK(second["items"][0]["at"].GetInt64() == now - 3 * 3'600'000);
    CHECK(page("action=person.view&since=" + std::to_string(now - 90 * 60'000))["items"].Size() ==
          1);
    CHECK(page("actor=cli&action=person.")["items"].Size() == 0);

    for (const std::string& bad :
         std::vector<std::string>{"limit=0", "limit=1001", "since=yesterday", "subject=a%20b",
                                  "actor=" + std::string(65, 'x'), "who=me", "limit=1&limit=2"}) {
        auto res = w.client->Get(("/api/v1/audit?" + bad).c_str(), bearer(w.setup.central_token));
        REQUIRE(res);
        INFO(bad << " -> " << res->body);
        CHECK(res->status == 400);
    }
    CHECK(w.client->Get("/api/v1/audit/views", bearer(w.setup.central_token))->status == 405);
    CHECK(w.client->Get("/api/v1/audit/other", bearer(w.setup.central_token))->status == 404);
}

}  // namespace liaison::test::server_audit_http
