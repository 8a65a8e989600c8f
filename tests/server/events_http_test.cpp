// The central team's events against the real server (server/api/events.hpp): invitations in
// bulk (one per person, the same id however often or wherever she is invited), the guest list
// and its counts with check-ins and answers (core/query/events.hpp E1-E3), the agenda, the
// caller's scope, and bad input refused whole with the field it is about.
#include <catch2/catch.hpp>

#include "core/model/ids.hpp"
#include "rest_fixture.hpp"

namespace liaison::test::server_events_http {
namespace {

constexpr std::int64_t kStarts = 1'767'261'600'000;  // 2026-01-01 10:00 UTC

struct Guests {
    rapidjson::Document doc;
    std::int64_t count(const char* name) const { return doc["counts"][name].GetInt64(); }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& g : doc["items"].GetArray()) out.push_back(str_member(g, "name"));
        return out;
    }
};

Guests guests(httplib::Client& c, const std::string& token, const std::string& event) {
    auto res = c.Get(("/api/v1/events/" + event + "/guests").c_str(), bearer(token));
    REQUIRE(res);
    INFO(res->body.substr(0, 600));
    REQUIRE(res->status == 200);
    return {parse_json(res->body)};
}

rapidjson::Document invite(httplib::Client& c, const std::string& token, const std::string& event,
                           const std::string& body, int status = 200) {
    auto res = send_json(c, token, "POST", "/api/v1/events/" + event + "/invitations", body);
    REQUIRE(res);
    INFO(body << " -> " << res->body.substr(0, 400));
    REQUIRE(res->status == status);
    return parse_json(res->body);
}

struct Venue {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    std::unique_ptr<httplib::Client> client = server.client();
    Company co{setup, *client};
    std::string tok = setup.central_token;
    std::string event = create(*client, tok, "events",
                               R"({"name":"Vernissage","starts":)" + std::to_string(kStarts) +
                                   R"(,"capacity":2,"store":")" + co.store_a + R"(","region":")" +
                                   co.region + "\"}");
};

}  // namespace

TEST_CASE(
    "guests invited in bulk are one invitation each and their answers and check-ins are counted "
    "against the capacity",
    "[server][events]") {
    Venue v;
    auto& c = *v.client;
    auto first = invite(
        c, v.tok, v.event,
        R"({"influencers":[")" + v.co.ana + R"(",")" + v.co.bea + R"(",")" + v.co.ana + "\"]}");
    CHECK(first["invited"].GetInt() == 2);  // Ana named twice is invited once
    CHECK(first["already"].GetInt() == 0);
    const auto event_id = *core::Id128::from_text(v.event);
    const std::string ana_invitation =
        core::Id128::derive("invitation", event_id, *core::Id128::from_text(v.co.ana)).to_text();
    CHECK(std::string(first["ids"][0].GetString()) == ana_invitation);

    // Inviting again writes nothing.
    const std::string hash = v.setup.server_hash(v.server);
    auto again = invite(c, v.tok, v.event, R"({"influencers":[")" + v.co.ana + "\"]}");
    CHECK(again["invited"].GetInt() == 0);
    CHECK(again["already"].GetInt() == 1);
    CHECK(v.setup.server_hash(v.server) == hash);
    // Nor does the one-invitation route: the same id.
    auto one = send_json(c, v.tok, "POST", "/api/v1/invitations",
                         R"({"event":")" + v.event + R"(","influencer":")" + v.co.ana + "\"}");
    REQUIRE(one);
    REQUIRE(one->status == 201);
    CHECK(str_member(parse_json(one->body), "id") == ana_invitation);

    auto g = guests(c, v.tok, v.event);
    CHECK(g.count("invited") == 2);
    CHECK(g.count("capacity") == 2);
    CHECK(g.count("checked_in") == 0);
    CHECK(g.doc["total"].GetInt() == 2);
    CHECK(g.names() == std::vector<std::string>{"Ana Moreau", "Béa Lambert"});
    // The invitation carries its event's place: the store's tablet sees it.
    auto inv = send_json(c, v.co.store_a_token, "GET", "/api/v1/invitations/" + ana_invitation);
    REQUIRE(inv);
    CHECK(inv->status == 200);

    // Ana accepts with a guest; Béa declines; Ana checks in at the door.
    auto res = send_json(c, v.tok, "PATCH", "/api/v1/invitations/" + ana_invitation,
                         R"({"status":"accepted","plus_ones":1})");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const std::string bea_invitation = first["ids"][1].GetString();
    res = send_json(c, v.tok, "PATCH", "/api/v1/invitations/" + bea_invitation,
                    R"({"status":"declined"})");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    create(c, v.co.store_a_token, "checkins",
           R"({"event":")" + v.event + R"(","influencer":")" + v.co.ana + R"(","at":)" +
               std::to_string(kStarts + 60'000) + R"(,"store":")" + v.co.store_a + "\"}");
    g = guests(c, v.tok, v.event);
    CHECK(g.count("accepted") == 1);
    CHECK(g.count("declined") == 1);
    CHECK(g.count("expected") == 2);  // E2: Ana and her guest — the capacity is reached
    CHECK(g.count("checked_in") == 1);
    CHECK(g.count("uninvited") == 0);
    CHECK(g.doc["items"][0]["checked_in_at"].GetInt64() == kStarts + 60'000);
    CHECK(str_member(g.doc["items"][1], "status") == "declined");

    // A cancelled invitation is renewed by inviting her again.
    res = send_json(c, v.tok, "PATCH", "/api/v1/invitations/" + bea_invitation,
                    R"({"status":"cancelled"})");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(guests(c, v.tok, v.event).count("cancelled") == 1);
    auto renewed = invite(c, v.tok, v.event, R"({"influencers":[")" + v.co.bea + "\"]}");
    CHECK(renewed["invited"].GetInt() == 1);
    g = guests(c, v.tok, v.event);
    CHECK(g.count("cancelled") == 0);
    CHECK(g.count("invited") == 2);

    // The agenda counts them too, and its dates keep the event in or out.
    auto agenda = c.Get("/api/v1/agenda?from=2026-01-01&to=2026-01-01", bearer(v.tok));
    REQUIRE(agenda);
    REQUIRE(agenda->status == 200);
    auto doc = parse_json(agenda->body);
    REQUIRE(doc["total"].GetInt() == 1);
    CHECK(str_member(doc["items"][0]["event"], "id") == v.event);
    CHECK(doc["items"][0]["counts"]["invited"].GetInt() == 2);
    CHECK(doc["items"][0]["counts"]["checked_in"].GetInt() == 1);
    const std::string later =
        create(c, v.tok, "events",
               R"({"name":"Finissage","starts":)" + std::to_string(kStarts + 86'400'000) +
                   R"(,"store":")" + v.co.store_a + "\"}");
    auto order = [&](const char* query) {
        auto page = c.Get((std::string("/api/v1/agenda?") + query).c_str(), bearer(v.tok));
        REQUIRE(page);
        REQUIRE(page->status == 200);
        auto d = parse_json(page->body);
        std::vector<std::string> ids;
        for (const auto& item : d["items"].GetArray())
            ids.push_back(str_member(item["event"], "id"));
        return ids;
    };
    CHECK(order("") == std::vector<std::string>{later, v.event});
    CHECK(order("order=soonest") == std::vector<std::string>{v.event, later});
    agenda = c.Get("/api/v1/agenda?order=first", bearer(v.tok));
    REQUIRE(agenda);
    CHECK(agenda->status == 400);
    agenda = c.Get("/api/v1/agenda?from=2026-01-03", bearer(v.tok));
    REQUIRE(agenda);
    CHECK(parse_json(agenda->body)["total"].GetInt() == 0);
}

TEST_CASE("an invitation request with a bad field or a person out of reach changes nothing",
          "[server][events]") {
    Venue v;
    auto& c = *v.client;
    const std::string hash = v.setup.server_hash(v.server);
    auto field_of = [](const rapidjson::Document& d) { return str_member(d["error"], "field"); };
    // An unknown person among known ones: nobody is invited.
    const std::string nobody = "01J00000000000000000000000";
    auto refused = invite(c, v.tok, v.event,
                          R"({"influencers":[")" + v.co.ana + R"(",")" + nobody + "\"]}", 400);
    CHECK(field_of(refused) == "influencers");
    refused = invite(c, v.tok, v.event, R"({"influencers":[]})", 400);
    CHECK(field_of(refused) == "influencers");
    refused = invite(c, v.tok, v.event,
                     R"({"influencers":[")" + v.co.ana + R"("],"status":"maybe"})", 400);
    CHECK(field_of(refused) == "status");
    refused =
        invite(c, v.tok, v.event, R"({"influencers":[")" + v.co.ana + R"("],"plus_ones":99})", 400);
    CHECK(field_of(refused) == "plus_ones");
    refused = invite(c, v.tok, v.event, R"({"influencers":[")" + v.co.ana + R"("],"x":1})", 400);
    std::string many = R"({"influencers":[)";
    for (int i = 0; i < 501; ++i) many += std::string(i ? "," : "") + "\"" + v.co.ana + "\"";
    refused = invite(c, v.tok, v.event, many + "]}", 413);
    CHECK(field_of(refused) == "influencers");
    auto res = c.Post(("/api/v1/events/" + v.event + "/invitations").c_str(), bearer(v.tok),
                      "influencers=x", "application/x-www-form-urlencoded");
    REQUIRE(res);
    CHECK(res->status == 415);
    invite(c, v.tok, nobody, R"({"influencers":[")" + v.co.ana + "\"]}", 404);
    CHECK(v.setup.server_hash(v.server) == hash);

    // A store's tablet may not invite to another store's event, nor see its guests.
    const std::string other =
        create(c, v.tok, "events",
               R"({"name":"Ailleurs","starts":)" + std::to_string(kStarts) + R"(,"store":")" +
                   v.co.store_b + R"(","region":")" + v.co.region + "\"}");
    invite(c, v.co.store_a_token, other, R"({"influencers":[")" + v.co.ana + "\"]}", 404);
    res = c.Get(("/api/v1/events/" + other + "/guests").c_str(), bearer(v.co.store_a_token));
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(guests(c, v.co.store_a_token, v.event).count("invited") == 0);
    // Nor invite a person of another store to its own event.
    refused =
        invite(c, v.co.store_a_token, v.event, R"({"influencers":[")" + v.co.bea + "\"]}", 400);
    CHECK(field_of(refused) == "influencers");
    res = c.Get("/api/v1/agenda?from=2026-13-01", bearer(v.tok));
    REQUIRE(res);
    CHECK(res->status == 400);
}

TEST_CASE(
    "a check-in or invitation with no place of its own is read only by those who see its event",
    "[server][events][scope]") {
    Venue v;
    auto& c = *v.client;
    const std::string other =
        create(c, v.tok, "events",
               R"({"name":"Ailleurs","starts":)" + std::to_string(kStarts) + R"(,"store":")" +
                   v.co.store_b + R"(","region":")" + v.co.region + "\"}");
    // Written through REST without store, region or brand: in the event's scope (sync/scope.hpp).
    const std::string checkin = create(c, v.tok, "checkins",
                                       R"({"event":")" + other + R"(","influencer":")" + v.co.bea +
                                           R"(","at":)" + std::to_string(kStarts) + "}");
    const std::string invitation =
        create(c, v.tok, "invitations",
               R"({"event":")" + other + R"(","influencer":")" + v.co.bea + "\"}");
    auto cleared = send_json(c, v.tok, "PATCH", "/api/v1/invitations/" + invitation,
                             R"({"store":null,"region":null})");
    REQUIRE(cleared);
    REQUIRE(cleared->status == 200);
    for (const auto& [collection, id] :
         {std::pair<std::string, std::string>{"checkins", checkin}, {"invitations", invitation}}) {
        INFO(collection);
        auto res = c.Get(("/api/v1/" + collection + "/" + id).c_str(), bearer(v.co.store_a_token));
        REQUIRE(res);
        CHECK(res->status == 404);
        CHECK_FALSE(contains(list_ids(c, v.co.store_a_token, "/api/v1/" + collection), id));
        res = c.Get(("/api/v1/" + collection + "/" + id).c_str(), bearer(v.tok));
        REQUIRE(res);
        CHECK(res->status == 200);
    }
}

}  // namespace liaison::test::server_events_http
