// The duplicates queue against the real server: GET /api/v1/duplicates (server/api/
// duplicates.hpp, rules DP1–DP5 of core/query/duplicate_pairs.hpp) and a merge that keeps the
// values the central user chose (POST /api/v1/influencers/<id>/merge with "values", "sets").
#include <catch2/catch.hpp>

#include "rest_fixture.hpp"

namespace liaison::test::server_duplicates_http {
namespace {

struct Queue {
    std::size_t total = 0;
    std::vector<std::pair<std::string, std::string>> pairs;  // (a, b) ids
    std::vector<std::string> reasons;                        // "email,name" per pair
};

Queue queue(httplib::Client& c, const std::string& token) {
    auto res = c.Get("/api/v1/duplicates?limit=100", bearer(token));
    REQUIRE(res);
    INFO(res->body.substr(0, 600));
    REQUIRE(res->status == 200);
    auto doc = parse_json(res->body);
    Queue q;
    q.total = std::size_t(doc["total"].GetInt());
    for (const auto& item : doc["items"].GetArray()) {
        q.pairs.emplace_back(str_member(item["a"], "id"), str_member(item["b"], "id"));
        std::string r;
        for (const auto& x : item["reasons"].GetArray())
            r += (r.empty() ? "" : ",") + std::string(x.GetString());
        q.reasons.push_back(r);
    }
    return q;
}

// The reasons the queue gives for the pair x–y, or "(none)".
std::string reasons_of(const Queue& q, const std::string& x, const std::string& y) {
    for (std::size_t i = 0; i < q.pairs.size(); ++i)
        if ((q.pairs[i].first == x && q.pairs[i].second == y) ||
            (q.pairs[i].first == y && q.pairs[i].second == x))
            return q.reasons[i];
    return "(none)";
}

rapidjson::Document person(httplib::Client& c, const std::string& token, const std::string& id) {
    auto res = c.Get(("/api/v1/influencers/" + id).c_str(), bearer(token));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return parse_json(res->body);
}

std::string influencer_member(const rapidjson::Document& card, const char* name) {
    const rapidjson::Value& p = card.HasMember("influencer") ? card["influencer"] : card;
    return str_member(p, name);
}

std::vector<std::string> handles_of(const rapidjson::Document& card) {
    const rapidjson::Value& p = card.HasMember("influencer") ? card["influencer"] : card;
    std::vector<std::string> out;
    for (const auto& h : p["handles"].GetArray()) out.emplace_back(h.GetString());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE(
    "the duplicates queue pairs people by handle, e-mail, phone and name, leaves out dismissed "
    "pairs and merged people, and refuses store roles",
    "[server][duplicates]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    Company co(setup, *client);
    const std::string& t = setup.central_token;
    auto make = [&](const std::string& body) { return create(*client, t, "influencers", body); };
    const std::string h1 = make(R"({"name":"Lina Roche","handles":["instagram:lina.roche:900"]})");
    const std::string h2 = make(R"({"name":"L. R.","handles":["Instagram:@Lina.Roche:0"]})");
    const std::string e1 = make(R"({"name":"Nora Blum","email":"nora@example.com"})");
    const std::string e2 = make(R"({"name":"N. Blum","email":"NORA@example.com"})");
    const std::string p1 = make(R"({"name":"Omar Diallo","phone":"+33 6 11 22 33 44"})");
    const std::string p2 = make(R"({"name":"O. Diallo","phone":"06 11 22 33 44"})");
    const std::string n1 = make(R"({"name":"Zoé Nouvelle-Venue"})");
    const std::string n2 = make(R"({"name":"Zoe Nouvelle Venue"})");

    Queue q = queue(*client, t);
    CHECK(q.total == 4);
    CHECK(reasons_of(q, h1, h2) == "handle");
    CHECK(reasons_of(q, e1, e2) == "email");
    CHECK(reasons_of(q, p1, p2) == "phone");
    CHECK(reasons_of(q, n1, n2) == "name");
    CHECK(reasons_of(q, co.ana, co.bea) == "(none)");
    // Each item carries both people's records, for the side-by-side view.
    {
        auto res = client->Get("/api/v1/duplicates?limit=1&offset=1", bearer(t));
        REQUIRE(res);
        REQUIRE(res->status == 200);
        auto doc = parse_json(res->body);
        REQUIRE(doc["items"].Size() == 1);
        CHECK(str_member(doc["items"][0]["a"], "name") != "");
        CHECK(doc["next_offset"].GetInt() == 2);
    }

    // Store roles: no queue.
    auto refused = client->Get("/api/v1/duplicates", bearer(co.store_a_token));
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(api_error(refused->body) == "forbidden");
    auto bad = client->Get("/api/v1/duplicates?limit=0", bearer(t));
    REQUIRE(bad);
    CHECK(bad->status == 400);

    // "Not the same person": one side lists the other; the pair leaves the queue.
    auto dismissed =
        send_json(*client, t, "POST", "/api/v1/influencers/" + e1 + "/sets/distinct_from",
                  R"({"add":[")" + e2 + "\"]}");
    REQUIRE(dismissed);
    REQUIRE(dismissed->status == 200);
    // A merge takes the pair out too.
    auto merged = send_json(*client, t, "POST", "/api/v1/influencers/" + p2 + "/merge",
                            R"({"into":")" + p1 + "\"}");
    REQUIRE(merged);
    REQUIRE(merged->status == 200);
    q = queue(*client, t);
    CHECK(q.total == 2);
    CHECK(reasons_of(q, e1, e2) == "(none)");
    CHECK(reasons_of(q, p1, p2) == "(none)");
    CHECK(reasons_of(q, n1, n2) == "name");
}

TEST_CASE(
    "a merge with chosen values leaves them on the survivor whichever id survives, though the "
    "duplicate's edit is newer",
    "[server][duplicates]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& t = setup.central_token;
    // first_kept: the well-spelled record is the older (smaller id, the survivor); otherwise
    // the sloppy one is older and survives, and still must end with the kept spelling.
    for (bool first_kept : {true, false}) {
        DYNAMIC_SECTION((first_kept ? "the kept record survives" : "the sloppy record survives")) {
            std::string kept, sloppy;
            auto make_kept = [&] {
                kept = create(*client, t, "influencers",
                              R"({"name":"Zoé Nouvelle-Venue","email":"zoe@example.com",)"
                              R"("handles":["instagram:zoe.nv:1200","tiktok:zoenv:50"]})");
            };
            auto make_sloppy = [&] {
                sloppy = create(*client, t, "influencers",
                                R"({"name":"Zoe Nouvelle Venue","email":"zoe.nv@example.org",)"
                                R"("phone":"+33 6 12 34 56 78","handles":["x:zoe:10"]})");
            };
            if (first_kept) {
                make_kept();
                make_sloppy();
            } else {
                make_sloppy();
                make_kept();
            }
            REQUIRE((kept < sloppy) == first_kept);
            // The duplicate's newest edit: its name is written after everything of the kept one.
            auto edit = send_json(*client, t, "PATCH", "/api/v1/influencers/" + sloppy,
                                  R"({"name":"Zoe Nouvelle Venue","notes":"met at the fair"})");
            REQUIRE(edit);
            REQUIRE(edit->status == 200);

            // The name from the kept record, the e-mail from the sloppy one, one handle of each.
            auto res = send_json(
                *client, t, "POST", "/api/v1/influencers/" + sloppy + "/merge",
                R"({"into":")" + kept +
                    R"(","values":{"name":"Zoé Nouvelle-Venue","email":"zoe.nv@example.org",)"
                    R"("notes":null},"sets":{"handles":["instagram:zoe.nv:1200","x:zoe:10"]}})");
            REQUIRE(res);
            INFO(res->body);
            REQUIRE(res->status == 200);
            const std::string survivor = str_member(parse_json(res->body), "id");
            CHECK(survivor == std::min(kept, sloppy));
            for (const std::string& id : {kept, sloppy}) {
                auto card = person(*client, t, id);
                CHECK(influencer_member(card, "id") == survivor);
                CHECK(influencer_member(card, "name") == "Zoé Nouvelle-Venue");
                CHECK(influencer_member(card, "email") == "zoe.nv@example.org");
                CHECK(influencer_member(card, "phone") == "+33 6 12 34 56 78");
                CHECK(influencer_member(card, "notes") == "");
                CHECK(handles_of(card) ==
                      std::vector<std::string>{"instagram:zoe.nv:1200", "x:zoe:10"});
            }
            CHECK(queue(*client, t).total == 0);
        }
    }
}

TEST_CASE("a merge with a bad chosen value is refused naming the field and merges nothing",
          "[server][duplicates]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& t = setup.central_token;
    const std::string a = create(*client, t, "influencers", R"({"name":"Yann Le Goff"})");
    const std::string b = create(*client, t, "influencers", R"({"name":"Yann Le-Goff"})");
    for (const std::string& body :
         {R"({"into":")" + a + R"(","values":{"email":"not an address"}})",
          R"({"into":")" + a + R"(","values":{"tier":"legend"}})",
          R"({"into":")" + a + R"(","values":{"name":null}})",
          R"({"into":")" + a + R"(","sets":{"handles":["no platform"]}})"}) {
        auto res = send_json(*client, t, "POST", "/api/v1/influencers/" + b + "/merge", body);
        REQUIRE(res);
        INFO(body << " -> " << res->body);
        CHECK(res->status == 400);
        CHECK(api_error(res->body) != "");
        const std::string field = body.find("email") != std::string::npos     ? "email"
                                  : body.find("tier") != std::string::npos    ? "tier"
                                  : body.find("handles") != std::string::npos ? "handles"
                                                                              : "name";
        CHECK(res->body.find(field) != std::string::npos);
        // Nothing stored: still two people, still a pair.
        CHECK(influencer_member(person(*client, t, b), "id") == b);
        CHECK(queue(*client, t).total == 1);
    }
}

}  // namespace liaison::test::server_duplicates_http
