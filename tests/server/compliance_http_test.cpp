// Compliance against the real server (docs/COMPLIANCE.md): the vetting gate on a
// collaboration's moves with the central team's override, the refusal of a marketing contact
// with a person who objected or is restricted (read from the request log, so an ordinary edit
// of her status does not undo it), the card's warnings and vetting status, and the records only
// the central team writes.
#include <catch2/catch.hpp>
#include <chrono>

#include "core/query/view.hpp"
#include "rest_fixture.hpp"

namespace liaison::test::server_compliance_http {
namespace {

std::string today() {
    return core::iso_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
}

// A vetting of `person` reviewed today, every guideline passed but `failed` (none: "").
std::string vetting(const std::string& person, const std::string& failed = "") {
    std::string body = R"({"influencer":")" + person + R"(","reviewed":")" + today() + "\"";
    for (const char* g : {"content_safety", "political_neutrality", "brand_values",
                          "professionalism", "performance", "audience_fit", "price"})
        body += std::string(",\"") + g + "\":\"" + (failed == g ? "fail" : "pass") + "\"";
    return body + R"(,"post_campaign":"not_applicable"})";
}

struct World {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    std::unique_ptr<httplib::Client> client = server.client();
    Company co{setup, *client};
    std::string tok = setup.central_token;

    httplib::Result move(const std::string& token, const std::string& id, const std::string& body) {
        auto res =
            send_json(*client, token, "POST", "/api/v1/collaborations/" + id + "/moves", body);
        REQUIRE(res);
        return res;
    }
    httplib::Result contact(const std::string& token, const std::string& person,
                            const std::string& touchpoint, const std::string& department) {
        auto res = send_json(*client, token, "POST", "/api/v1/interactions",
                             R"({"influencer":")" + person +
                                 R"(","at":1765000000000,)"
                                 R"("touchpoint":")" +
                                 touchpoint + R"(","department":")" + department +
                                 R"(","store":")" + co.store_a + "\"}");
        REQUIRE(res);
        return res;
    }
    rapidjson::Document card(const std::string& person) {
        auto res = client->Get(("/api/v1/influencers/" + person).c_str(), bearer(tok));
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return parse_json(res->body);
    }
};

bool has_warning(const rapidjson::Document& card, const char* w) {
    for (const auto& v : card["warnings"].GetArray())
        if (std::string(v.GetString()) == w) return true;
    return false;
}

}  // namespace

TEST_CASE(
    "the vetting gate refuses contracted without a passed vetting and records a central "
    "override with its reason",
    "[server][compliance]") {
    World w;
    const std::string paid = create(
        *w.client, w.tok, "collaborations",
        R"({"influencer":")" + w.co.ana + R"(","type":"paid","store":")" + w.co.store_a + "\"}");
    REQUIRE(w.move(w.tok, paid, R"({"to":"vetted"})")->status == 200);
    // No vetting: refused, the record unchanged.
    const std::string before = w.setup.server_hash(w.server);
    auto missing = w.move(w.tok, paid, R"({"to":"contracted"})");
    CHECK(missing->status == 409);
    CHECK(missing->body.find("vetting is missing") != std::string::npos);
    // A failed vetting: refused too; the card shows it.
    create(*w.client, w.tok, "vettings", vetting(w.co.ana, "political_neutrality"));
    auto failed = w.move(w.tok, paid, R"({"to":"contracted"})");
    CHECK(failed->status == 409);
    CHECK(failed->body.find("vetting is failed") != std::string::npos);
    auto card = w.card(w.co.ana);
    CHECK(str_member(card["vetting"], "state") == "failed");
    CHECK(std::string(card["vetting"]["failed"][0].GetString()) == "political_neutrality");
    // A store user may not override; a blank reason is no reason.
    auto by_store = w.move(w.co.store_a_token, paid,
                           R"({"to":"contracted","override_reason":"The manager said so"})");
    CHECK(by_store->status == 403);
    CHECK(by_store->body.find("only the central team may override") != std::string::npos);
    CHECK(w.move(w.tok, paid, R"({"to":"contracted","override_reason":"   "})")->status == 409);
    CHECK(w.setup.server_hash(w.server) != before);  // the failed vetting was recorded
    // The central team overrides, with its reason, recorded on the collaboration.
    auto overridden =
        w.move(w.tok, paid, R"({"to":"contracted","override_reason":"Board approved the risk"})");
    REQUIRE(overridden->status == 200);
    auto doc = parse_json(overridden->body);
    CHECK(str_member(doc["collaboration"], "status") == "contracted");
    CHECK(str_member(doc["collaboration"], "override_reason") == "Board approved the risk");
    // A passed vetting today lets the next move through without one.
    create(*w.client, w.tok, "vettings", vetting(w.co.ana));
    CHECK(str_member(w.card(w.co.ana)["vetting"], "state") == "passed");
    CHECK(w.move(w.co.store_a_token, paid, R"({"to":"live"})")->status == 200);
}

TEST_CASE("an objection stops marketing contacts whatever her status says until it is withdrawn",
          "[server][compliance]") {
    World w;
    CHECK(w.contact(w.co.store_a_token, w.co.ana, "email", "marketing")->status == 201);
    const std::string objection =
        create(*w.client, w.tok, "gdpr-requests",
               R"({"influencer":")" + w.co.ana + R"(","type":"objection","received":")" + today() +
                   R"(","status":"open"})");
    CHECK(has_warning(w.card(w.co.ana), "objection"));
    auto refused = w.contact(w.co.store_a_token, w.co.ana, "email", "marketing");
    CHECK(refused->status == 403);
    CHECK(refused->body.find("objected to direct marketing") != std::string::npos);
    // A gift is marketing whoever logs it; a visit logged by the store's retail staff is not.
    CHECK(w.contact(w.co.store_a_token, w.co.ana, "gifting", "retail")->status == 403);
    CHECK(w.contact(w.co.store_a_token, w.co.ana, "store", "retail")->status == 201);
    // An ordinary edit of her status does not undo the objection.
    REQUIRE(send_json(*w.client, w.tok, "PATCH", "/api/v1/influencers/" + w.co.ana,
                      R"({"status":"active"})")
                ->status == 200);
    CHECK(w.contact(w.co.store_a_token, w.co.ana, "email", "marketing")->status == 403);
    // Withdrawn, it no longer binds.
    REQUIRE(send_json(*w.client, w.tok, "PATCH", "/api/v1/gdpr-requests/" + objection,
                      R"({"status":"withdrawn"})")
                ->status == 200);
    CHECK_FALSE(has_warning(w.card(w.co.ana), "objection"));
    CHECK(w.contact(w.co.store_a_token, w.co.ana, "email", "marketing")->status == 201);
}

TEST_CASE("a restricted person's collaboration may only be cancelled", "[server][compliance]") {
    World w;
    const std::string gifted = create(
        *w.client, w.tok, "collaborations",
        R"({"influencer":")" + w.co.bea + R"(","type":"gifted","store":")" + w.co.store_b + "\"}");
    create(*w.client, w.tok, "gdpr-requests",
           R"({"influencer":")" + w.co.bea + R"(","type":"restriction","received":")" + today() +
               "\"}");
    CHECK(has_warning(w.card(w.co.bea), "restricted"));
    auto frozen = w.move(w.tok, gifted, R"({"to":"vetted"})");
    CHECK(frozen->status == 409);
    CHECK(frozen->body.find("restricted") != std::string::npos);
    CHECK(w.move(w.tok, gifted, R"({"to":"cancelled"})")->status == 200);
}

TEST_CASE("compliance records and a legal hold are the central team's to write",
          "[server][compliance]") {
    World w;
    const std::string before = w.setup.server_hash(w.server);
    for (const char* collection : {"vettings", "gdpr-requests", "intermediaries"}) {
        INFO(collection);
        auto res = send_json(*w.client, w.co.store_a_token, "POST",
                             std::string("/api/v1/") + collection, vetting(w.co.ana));
        REQUIRE(res);
        CHECK(res->status == 403);
    }
    auto hold = send_json(*w.client, w.co.store_a_token, "PATCH", "/api/v1/influencers/" + w.co.ana,
                          R"({"legal_hold":true})");
    REQUIRE(hold);
    CHECK(hold->status == 403);
    CHECK(hold->body.find("legal_hold") != std::string::npos);
    CHECK(w.setup.server_hash(w.server) == before);
    // The central team's hold is kept; a store's other edits still go through.
    CHECK(send_json(*w.client, w.tok, "PATCH", "/api/v1/influencers/" + w.co.ana,
                    R"({"legal_hold":true})")
              ->status == 200);
    CHECK(send_json(*w.client, w.co.store_a_token, "PATCH", "/api/v1/influencers/" + w.co.ana,
                    R"({"birth_date":"2001-02-03"})")
              ->status == 200);
}

}  // namespace liaison::test::server_compliance_http
