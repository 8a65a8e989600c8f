// GET /api/v1/compliance/issues against the real server (server/api/compliance.hpp): the open
// issues the central team and a regional manager see, the filters, the counts before the
// limit, and the refusals.
#include <catch2/catch.hpp>
#include <chrono>
#include <iterator>

#include "core/query/compliance_issues.hpp"
#include "core/query/view.hpp"
#include "rest_fixture.hpp"

namespace liaison::test::server_compliance_issues_http {
namespace {

// The day `days_ago` days before now (UTC).
std::string day_before(int days_ago) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    return core::iso_date(now - std::int64_t(days_ago) * 86'400'000);
}

struct World {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    std::unique_ptr<httplib::Client> client = server.client();
    Company co{setup, *client};
    std::string tok = setup.central_token;
    std::string south = create(*client, tok, "regions", R"({"name":"Sud"})");
    std::string carla =
        create(*client, tok, "influencers", R"({"name":"Carla Rossi","region":")" + south + "\"}");
    std::string regional_token;

    World() {
        // Carla's access request, received 62 days ago: overdue.
        create(*client, tok, "gdpr-requests",
               R"({"influencer":")" + carla + R"(","type":"access","received":")" + day_before(62) +
                   R"(","status":"open"})");
        // Ana's collaboration through an agency without a mandate, and one over the French
        // contract threshold without a signed contract.
        const std::string agency =
            create(*client, tok, "intermediaries", R"({"name":"Agence A","type":"agency"})");
        create(*client, tok, "collaborations",
               R"({"influencer":")" + co.ana + R"(","type":"paid","store":")" + co.store_a +
                   R"(","agency":")" + agency + "\"}");
        create(*client, tok, "collaborations",
               R"({"influencer":")" + co.ana + R"(","type":"paid","store":")" + co.store_a +
                   R"(","brand":")" + co.brand +
                   R"(","fee":150000,"currency":"EUR","objective":"launch"})");
        const std::string user = cli_ok({"user", "add", "--db", setup.db, "--name", "Rémi",
                                         "--role", "regional", "--regions", co.region});
        regional_token = cli_ok({"token", "issue", "--db", setup.db, "--user", user});
    }

    httplib::Result get(const std::string& token, const std::string& query) {
        auto res = client->Get(("/api/v1/compliance/issues" + query).c_str(), bearer(token));
        REQUIRE(res);
        return res;
    }
    rapidjson::Document ok(const std::string& token, const std::string& query) {
        auto res = get(token, query);
        INFO(query << " -> " << res->status << " " << res->body.substr(0, 400));
        REQUIRE(res->status == 200);
        return parse_json(res->body);
    }
};

httplib::Result client_get(World& w, const std::string& token, const std::string& path) {
    auto res = w.client->Get(path.c_str(), bearer(token));
    REQUIRE(res);
    return res;
}

std::int64_t count(const rapidjson::Document& d, const char* type) {
    return d["counts"][type].GetInt64();
}

// The "field" of an error body, or "".
std::string error_field(const std::string& body) {
    auto doc = parse_json(body);
    if (!doc.HasMember("error") || !doc["error"].HasMember("field")) return "";
    return str_member(doc["error"], "field");
}

}  // namespace

TEST_CASE("the central team lists every open compliance issue with counts and rule versions",
          "[server][compliance][issues]") {
    World w;
    auto all = w.ok(w.tok, "");
    CHECK(str_member(all, "today") == day_before(0));
    CHECK(count(all, "request_due") == 1);
    CHECK(count(all, "mandate_missing") == 1);
    CHECK(count(all, "contract_missing") == 1);
    CHECK(count(all, "notice_overdue") == 0);
    CHECK(all["counts"].MemberCount() == std::size(core::kIssueTypes));  // every type, 0 or more
    CHECK(all["issues"].Size() == 3);
    bool vetting = false;
    for (const auto& v : all["rules"].GetArray())
        vetting |= std::string(v.GetString()) == "vetting/1";
    CHECK(vetting);
    // In the list's order: contract, mandate, then the request with its due date.
    const auto& issues = all["issues"];
    CHECK(str_member(issues[0], "type") == "contract_missing");
    CHECK(str_member(issues[0], "person_name") == "Ana Moreau");
    CHECK(str_member(issues[0], "region") == w.co.region);
    CHECK(str_member(issues[1], "type") == "mandate_missing");
    CHECK(issues[1].HasMember("intermediary"));
    CHECK(str_member(issues[2], "type") == "request_due");
    CHECK(str_member(issues[2], "person") == w.carla);
    CHECK(str_member(issues[2], "due") < day_before(0));  // a month after it was received

    // Filters.
    auto requests = w.ok(w.tok, "?type=request_due");
    REQUIRE(requests["issues"].Size() == 1);
    CHECK(count(requests, "mandate_missing") == 0);
    auto south = w.ok(w.tok, "?region=" + w.south);
    REQUIRE(south["issues"].Size() == 1);
    CHECK(str_member(south["issues"][0], "person") == w.carla);
    auto hers = w.ok(w.tok, "?person=" + w.carla);  // her page's privacy section
    REQUIRE(hers["issues"].Size() == 1);
    CHECK(str_member(hers["issues"][0], "type") == "request_due");
    CHECK(count(hers, "contract_missing") == 0);
    auto limited = w.ok(w.tok, "?limit=1");
    CHECK(limited["issues"].Size() == 1);
    CHECK(count(limited, "request_due") == 1);  // counted before the limit
}

TEST_CASE("a regional manager sees her regions' compliance issues and a store user none",
          "[server][compliance][issues]") {
    World w;
    auto mine = w.ok(w.regional_token, "");
    CHECK(count(mine, "request_due") == 0);  // Carla is in the south
    CHECK(count(mine, "mandate_missing") == 1);
    CHECK(mine["issues"].Size() == 2);
    auto refused = w.get(w.co.store_a_token, "");
    CHECK(refused->status == 403);
}

TEST_CASE("bad compliance issue filters are refused naming the parameter",
          "[server][compliance][issues]") {
    World w;
    for (const auto& [query, field] :
         std::vector<std::pair<std::string, std::string>>{{"?type=vetting", "type"},
                                                          {"?region=nowhere", "region"},
                                                          {"?campaign=1", "campaign"},
                                                          {"?owner=", "owner"},
                                                          {"?person=ana", "person"},
                                                          {"?limit=0", "limit"},
                                                          {"?limit=5001", "limit"}}) {
        auto res = w.get(w.tok, query);
        INFO(query << " -> " << res->body);
        CHECK(res->status == 400);
        CHECK(error_field(res->body) == field);
    }
    CHECK(w.get(w.tok, "?colour=red")->status == 400);
    CHECK(w.get(w.tok, "?type=request_due&type=notice_overdue")->status == 400);
    auto post = send_json(*w.client, w.tok, "POST", "/api/v1/compliance/issues", "{}");
    REQUIRE(post);
    CHECK(post->status == 405);
    auto other = w.client->Get("/api/v1/compliance/other", bearer(w.tok));
    REQUIRE(other);
    CHECK(other->status == 404);
}

TEST_CASE(
    "a campaign selling a prohibited category in France is an issue naming the campaign and no "
    "person",
    "[server][compliance][issues][promotions]") {
    World w;
    const std::string vape =
        create(*w.client, w.tok, "campaigns",
               R"({"name":"Vapeur","product_category":"Nicotine","markets":["FR"],"region":")" +
                   w.south + "\"}");
    create(*w.client, w.tok, "campaigns",
           R"({"name":"Casino","product_category":"gambling","markets":["FR"],)"
           R"("promotion_condition":"age_gated"})");
    auto found = w.ok(w.tok, "?type=promotion_prohibited");
    REQUIRE(found["issues"].Size() == 1);
    const auto& i = found["issues"][0];
    CHECK(str_member(i, "campaign") == vape);
    CHECK(str_member(i, "campaign_name") == "Vapeur");
    CHECK(str_member(i, "rule") == "promotions_fr/1");
    CHECK_FALSE(i.HasMember("person"));
    CHECK_FALSE(i.HasMember("person_name"));
    CHECK(count(found, "promotion_restricted") == 0);  // Casino's condition is attested
    // Its region is the campaign's: the regional manager of the north does not see it.
    CHECK(count(w.ok(w.regional_token, ""), "promotion_prohibited") == 0);
}

TEST_CASE("a campaign write naming a condition the promotions table does not know is refused",
          "[server][compliance][promotions]") {
    World w;
    const std::string id =
        create(*w.client, w.tok, "campaigns", R"({"name":"Casino","product_category":"gambling"})");
    auto bad = send_json(*w.client, w.tok, "PATCH", "/api/v1/campaigns/" + id,
                         R"({"promotion_condition":"parental_consent"})");
    REQUIRE(bad);
    CHECK(bad->status == 400);
    CHECK(bad->body.find("promotion_condition: one of provider_authorised, age_gated") !=
          std::string::npos);
    auto refused = send_json(*w.client, w.tok, "POST", "/api/v1/campaigns",
                             R"({"name":"Jetons","promotion_condition":"kyc"})");
    REQUIRE(refused);
    CHECK(refused->status == 400);
    auto good = send_json(*w.client, w.tok, "PATCH", "/api/v1/campaigns/" + id,
                          R"({"promotion_condition":"age_gated"})");
    REQUIRE(good);
    CHECK(good->status == 200);
    CHECK(str_member(parse_json(good->body), "promotion_condition") == "age_gated");
}

TEST_CASE("the promotions table and a post's caption check are served to the central team",
          "[server][compliance][promotions]") {
    World w;
    auto table = client_get(w, w.tok, "/api/v1/compliance/promotions");
    REQUIRE(table->status == 200);
    auto doc = parse_json(table->body);
    CHECK(str_member(doc, "version") == "promotions_fr/1");
    CHECK(str_member(doc, "market") == "FR");
    REQUIRE(doc["categories"].Size() == 8);
    bool gambling = false;
    for (const auto& c : doc["categories"].GetArray())
        if (str_member(c, "category") == "gambling")
            gambling = str_member(c, "status") == "restricted" &&
                       str_member(c, "condition") == "age_gated";
    CHECK(gambling);
    CHECK(client_get(w, w.co.store_a_token, "/api/v1/compliance/promotions")->status == 403);

    const std::string deal =
        create(*w.client, w.tok, "collaborations",
               R"({"influencer":")" + w.co.ana + R"(","type":"gifted","markets":["FR"],"store":")" +
                   w.co.store_a + "\"}");
    auto post = [&](const std::string& url, const std::string& caption) {
        return create(*w.client, w.tok, "content",
                      R"({"influencer":")" + w.co.ana + R"(","collaboration":")" + deal +
                          R"(","platform":"instagram","url":")" + url + R"(","caption":")" +
                          caption + R"(","store":")" + w.co.store_a + "\"}");
    };
    const std::string lacking = post("https://example.com/p/1", "Mon sac");
    const std::string tagged = post("https://example.com/p/2", "Mon sac #publicite");
    auto check_of = [&](const std::string& token, const std::string& id) {
        return client_get(w, token, "/api/v1/compliance/disclosure?content=" + id);
    };
    auto res = check_of(w.tok, lacking);
    REQUIRE(res->status == 200);
    doc = parse_json(res->body);
    CHECK(doc["found"].IsFalse());
    REQUIRE(doc["lacking"].Size() == 1);
    CHECK(std::string(doc["lacking"][0].GetString()) == "fr.commercial");
    CHECK(std::string(doc["markets"][0].GetString()) == "FR");
    res = check_of(w.tok, tagged);
    REQUIRE(res->status == 200);
    CHECK(parse_json(res->body)["found"].IsTrue());
    // The reviewer's check resolves the post the caption left open.
    CHECK(count(w.ok(w.tok, "?type=disclosure_missing"), "disclosure_missing") == 2);
    auto checked = send_json(*w.client, w.tok, "PATCH", "/api/v1/content/" + lacking,
                             R"({"disclosure_found":true,"disclosure_checked_at":1700000000000,)"
                             R"("disclosure_proof":"https://archive.example.org/1"})");
    REQUIRE(checked);
    CHECK(checked->status == 200);
    auto left = w.ok(w.tok, "?type=disclosure_missing");
    REQUIRE(left["issues"].Size() == 1);
    CHECK(str_member(left["issues"][0], "content") == tagged);  // unchecked, though tagged
    // Bad or missing ids, and posts out of reach.
    CHECK(client_get(w, w.tok, "/api/v1/compliance/disclosure")->status == 400);
    CHECK(client_get(w, w.tok, "/api/v1/compliance/disclosure?content=nope")->status == 400);
    CHECK(check_of(w.tok, w.south)->status == 404);  // a region, not a post
    CHECK(check_of(w.co.store_a_token, lacking)->status == 403);
}

}  // namespace liaison::test::server_compliance_issues_http
