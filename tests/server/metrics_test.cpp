// GET /metrics: the Prometheus text exposition format, by route template, behind an admin token.
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "rest_fixture.hpp"
#include "server/api/rest.hpp"

namespace liaison::test::server_metrics {
namespace {

struct Exposition {
    std::map<std::string, std::string> types;  // family -> type
    std::map<std::string, double> samples;     // "name{labels}" -> value
};

// Parses the text format strictly enough to catch what a scraper would refuse: every sample
// line is `name{labels} value`, every family has HELP and TYPE before its samples.
Exposition parse_exposition(const std::string& text) {
    static const std::regex sample(
        R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*",?)*\})? (-?[0-9.eE+-]+|\+Inf|NaN)$)re");
    static const std::regex type_line(
        R"re(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary)$)re");
    Exposition e;
    std::set<std::string> helped;
    std::istringstream in(text);
    std::string line;
    REQUIRE(!text.empty());
    REQUIRE(text.back() == '\n');
    while (std::getline(in, line)) {
        INFO(line);
        std::smatch m;
        if (line.rfind("# HELP ", 0) == 0) {
            helped.insert(line.substr(7, line.find(' ', 7) - 7));
        } else if (std::regex_match(line, m, type_line)) {
            CHECK(helped.count(m[1].str()));
            e.types[m[1].str()] = m[2].str();
        } else {
            REQUIRE(std::regex_match(line, m, sample));
            std::string name = m[1].str();
            std::string family = name;
            for (const char* suffix : {"_bucket", "_sum", "_count"})
                if (!e.types.count(family) && name.size() > std::strlen(suffix) &&
                    name.compare(name.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
                    family = name.substr(0, name.size() - std::strlen(suffix));
            CHECK(e.types.count(family));
            const std::string key = name + m[2].str();
            CHECK_FALSE(e.samples.count(key));
            e.samples[key] = std::stod(m[4].str() == "+Inf" ? "inf" : m[4].str());
        }
    }
    return e;
}

}  // namespace

TEST_CASE("REST paths become route templates without ids", "[server][metrics]") {
    using server::rest_route;
    const std::string id = "01M847ZYSY76CTKRM1P6C6R5JH";
    CHECK(rest_route("/api/v1/influencers") == "/api/v1/influencers");
    CHECK(rest_route("/api/v1/influencers/" + id) == "/api/v1/influencers/{id}");
    CHECK(rest_route("/api/v1/influencers/" + id + "/export") == "/api/v1/influencers/{id}/export");
    CHECK(rest_route("/api/v1/content/" + id + "/sets/brands_mentioned") ==
          "/api/v1/content/{id}/sets/{set}");
    CHECK(rest_route("/api/v1/influencers/" + id + "/" + id + "/x") ==
          "/api/v1/influencers/{id}/{other}");
    CHECK(rest_route("/api/v1/" + id) == "/api/v1/{other}");
    CHECK(rest_route("/api/v1/" + id + "/" + id) == "/api/v1/{other}");
    CHECK(rest_route("/healthz").empty());
}

TEST_CASE("/metrics speaks the Prometheus text format and counts requests by route template",
          "[server][metrics]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string id =
        create(*client, setup.central_token, "influencers", R"({"name":"Noël Blanc"})");
    auto card = client->Get(("/api/v1/influencers/" + id).c_str(), bearer(setup.central_token));
    REQUIRE(card);
    REQUIRE(card->status == 200);
    sync::SystemTimeSource time;
    auto node = open_node(setup.dir.file("tablet.db"), time, 3);
    sync_all(*client, setup.central_token, *node->replica, false);

    // A request is counted once it is logged, which the server does after sending the
    // response (and each of these requests came on its own connection, maybe to another
    // worker): scrape until the last of them is in, as a scraper would see a moment later.
    const std::string card_gets =
        R"(liaison_http_requests_total{route="/api/v1/influencers/{id}",method="GET",class="2xx"})";
    const std::string creates =
        R"(liaison_http_requests_total{route="/api/v1/influencers",method="POST",class="2xx"})";
    const std::string syncs =
        R"(liaison_http_request_duration_seconds_count{route="/api/v1/sync"})";
    std::string content_type;
    Exposition e;
    double made = 0;  // scrapes sent so far
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        auto res = client->Get("/metrics", bearer(setup.admin_token));
        ++made;
        REQUIRE(res);
        REQUIRE(res->status == 200);
        content_type = res->get_header_value("Content-Type");
        e = parse_exposition(res->body);
        if (e.samples[card_gets] >= 1 && e.samples[creates] >= 1 && e.samples[syncs] >= 1) break;
    }
    CHECK(content_type.rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK(e.types["liaison_http_request_duration_seconds"] == "histogram");
    CHECK(e.types["liaison_http_requests_total"] == "counter");
    CHECK(e.samples[card_gets] == 1);
    CHECK(e.samples[creates] == 1);
    CHECK(e.samples[syncs] >= 1);
    for (const auto& [sample, value] : e.samples)
        CHECK(sample.find(id) == std::string::npos);  // templates, never raw paths
    // Buckets are cumulative and end at the count.
    const std::string route = R"({route="/api/v1/influencers/{id}")";
    double last = 0;
    for (const char* le : {"0.001", "0.01", "0.1", "1", "10", "+Inf"}) {
        const double v = e.samples["liaison_http_request_duration_seconds_bucket" + route +
                                   ",le=\"" + le + "\"}"];
        CHECK(v >= last);
        last = v;
    }
    CHECK(last == e.samples["liaison_http_request_duration_seconds_count" + route + "}"]);
    CHECK(e.samples[R"(liaison_sync_operations_total{outcome="accepted"})"] >= 1);
    CHECK(e.samples["liaison_database_size_bytes"] > 4096);
    CHECK(e.samples["liaison_group_commit_exchanges_count"] >= 1);
    CHECK(e.samples[R"(liaison_group_commit_exchanges_bucket{le="+Inf"})"] ==
          e.samples["liaison_group_commit_exchanges_count"]);

    // Every scrape is counted too, once logged: a scrape sees each earlier one exactly once.
    const std::string scrapes =
        R"(liaison_http_requests_total{route="/metrics",method="GET",class="2xx"})";
    double before = 0, seen = 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        before = made;
        auto again = client->Get("/metrics", bearer(setup.admin_token));
        ++made;
        REQUIRE(again);
        seen = parse_exposition(again->body).samples[scrapes];
        if (seen >= before) break;
    }
    CHECK(seen == before);

    // Admin only; the old address still answers the same families.
    auto anonymous = client->Get("/metrics");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
    auto central = client->Get("/metrics", bearer(setup.central_token));
    REQUIRE(central);
    CHECK(central->status == 403);
    auto old = client->Get("/api/v1/admin/metrics", bearer(setup.admin_token));
    REQUIRE(old);
    REQUIRE(old->status == 200);
    CHECK(parse_exposition(old->body).types == e.types);
}

}  // namespace liaison::test::server_metrics
