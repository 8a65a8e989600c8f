// The central team's owners and follow-ups against the real server (server/api/owners.hpp):
// GET /api/v1/follow-ups lists every open follow-up by the card's rule (core/query/follow_ups.hpp
// F1-F3), drops one marked done, filters by owner and due date, keeps a scoped caller to its
// scope and refuses bad parameters; POST /api/v1/owners/handover moves every person of one owner
// to another, in batches through the hub, for the central team only, and a device receives it.
#include <catch2/catch.hpp>

#include "core/query/queries.hpp"
#include "rest_fixture.hpp"

namespace liaison::test::server_owners_http {
namespace {

struct FollowUps {
    std::size_t total = 0;
    std::vector<std::string> interactions, people, dues;
    std::string body;
};

FollowUps follow_ups(httplib::Client& c, const std::string& token, const std::string& query) {
    auto res = c.Get(("/api/v1/follow-ups?" + query).c_str(), bearer(token));
    REQUIRE(res);
    INFO(query << " -> " << res->body.substr(0, 600));
    REQUIRE(res->status == 200);
    auto doc = parse_json(res->body);
    FollowUps f;
    f.body = res->body;
    f.total = doc["total"].GetUint64();
    for (const auto& item : doc["items"].GetArray()) {
        f.interactions.push_back(
            item["interaction"].IsNull() ? "" : str_member(item["interaction"], "id"));
        f.people.push_back(str_member(item["person"], "name"));
        f.dues.push_back(str_member(item, "due"));
    }
    return f;
}

std::string contact(httplib::Client& c, const std::string& token, const std::string& person,
                    const std::string& store, std::int64_t at, const char* department,
                    const std::string& extra = "") {
    return create(c, token, "interactions",
                  R"({"influencer":")" + person + R"(","store":")" + store + R"(","at":)" +
                      std::to_string(at) + R"(,"touchpoint":"store","department":")" + department +
                      "\"" + extra + "}");
}

// A company (rest_fixture.hpp) with two staff members who may own people.
struct Owners {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    std::unique_ptr<httplib::Client> client = server.client();
    Company co{setup, *client};
    std::string tok = setup.central_token;
    std::string olga = create(*client, tok, "staff", R"({"name":"Olga Owner"})");
    std::string paul = create(*client, tok, "staff", R"({"name":"Paul Other"})");
};

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kT0 = 1'735'000'000'000;  // 2024-12-24

}  // namespace

TEST_CASE(
    "follow-ups due lists open follow-ups by the card's rule, drops one marked done and filters "
    "by owner, due date and scope",
    "[server][owners][follow_ups]") {
    Owners o;
    auto& [setup, server, client, co, tok, olga, paul] = o;
    auto& c = *client;
    cli_ok({"user", "staff", "--db", setup.db, "--user", setup.central_user, "--add", olga});
    for (const auto& [who, owner] : {std::pair{co.ana, olga}, std::pair{co.bea, paul}}) {
        auto res = send_json(c, tok, "PATCH", "/api/v1/influencers/" + who,
                             R"({"owner":")" + owner + "\"}");
        REQUIRE(res);
        REQUIRE(res->status == 200);
    }
    // Ana: retail asked twice (the newer one stands), PR asked without a date.
    contact(c, tok, co.ana, co.store_a, kT0, "retail", R"(,"follow_up":"old")");
    const std::string ana_retail =
        contact(c, tok, co.ana, co.store_a, kT0 + kDay, "retail",
                R"(,"follow_up":"send the catalogue","follow_up_due":"2025-01-10")");
    const std::string ana_pr =
        contact(c, tok, co.ana, co.store_a, kT0 + 2 * kDay, "pr", R"(,"follow_up":"call back")");
    // Béa: events asked, then events met her again (closed); marketing asked, due first.
    contact(c, tok, co.bea, co.store_b, kT0, "events", R"(,"follow_up_due":"2025-02-01")");
    contact(c, tok, co.bea, co.store_b, kT0 + 3 * kDay, "events");
    const std::string bea_marketing =
        contact(c, tok, co.bea, co.store_b, kT0 + kDay, "marketing",
                R"(,"follow_up":"gift","follow_up_due":"2024-12-01")");

    auto all = follow_ups(c, tok, "");
    CHECK(all.total == 3);
    CHECK(all.interactions == std::vector<std::string>{bea_marketing, ana_retail, ana_pr});
    CHECK(all.people == std::vector<std::string>{"Béa Lambert", "Ana Moreau", "Ana Moreau"});
    CHECK(all.dues == std::vector<std::string>{"2024-12-01", "2025-01-10", ""});
    CHECK(all.body.find("\"names\":{") != std::string::npos);
    CHECK(all.body.find("\"Olga Owner\"") != std::string::npos);

    CHECK(follow_ups(c, tok, "owner=me").interactions ==
          std::vector<std::string>{ana_retail, ana_pr});
    CHECK(follow_ups(c, tok, "owner=" + paul).interactions ==
          std::vector<std::string>{bea_marketing});
    CHECK(follow_ups(c, tok, "owner=none").total == 0);
    CHECK(follow_ups(c, tok, "due_before=2025-01-01").interactions ==
          std::vector<std::string>{bea_marketing});
    auto paged = follow_ups(c, tok, "limit=2&offset=2");
    CHECK(paged.interactions == std::vector<std::string>{ana_pr});
    CHECK(paged.body.find("\"next_offset\":null") != std::string::npos);

    // Marked done: it leaves the list at once.
    auto done = send_json(c, tok, "PATCH", "/api/v1/interactions/" + ana_retail,
                          R"({"follow_up_done":true})");
    REQUIRE(done);
    REQUIRE(done->status == 200);
    CHECK(follow_ups(c, tok, "").interactions == std::vector<std::string>{bea_marketing, ana_pr});

    // A store user sees her own store's people only.
    CHECK(follow_ups(c, co.store_a_token, "").interactions == std::vector<std::string>{ana_pr});

    // Bad parameters are refused with their name.
    for (const char* bad : {"due_before=tomorrow", "limit=0", "limit=501", "owner=olga",
                            "colour=blue", "offset=-1"}) {
        auto res = c.Get((std::string("/api/v1/follow-ups?") + bad).c_str(), bearer(tok));
        REQUIRE(res);
        INFO(bad << " -> " << res->body);
        CHECK(res->status == 400);
        CHECK(res->body.find(std::string(bad).substr(0, std::string(bad).find('='))) !=
              std::string::npos);
    }
    // "me" needs a user linked to a staff member.
    auto me = c.Get("/api/v1/follow-ups?owner=me", bearer(setup.admin_token));
    REQUIRE(me);
    CHECK(me->status == 400);
}

TEST_CASE(
    "a hand-over moves every person of one owner to another in batches, for the central team "
    "only, and a store device receives it",
    "[server][owners][handover]") {
    Owners o;
    auto& [setup, server, client, co, tok, olga, paul] = o;
    auto& c = *client;
    // More people than one batch (kHandoverBatch = 200), half of them at store A, made on the
    // office's replica and pushed in one sync (REST creates one by one would hit the rate limit).
    constexpr int kPeople = 230;
    sync::SystemTimeSource time;
    auto office = open_node(setup.dir.file("office.db"), time, 20);
    std::vector<std::string> owned;
    for (int i = 0; i < kPeople; ++i) {
        auto id = office->replica->create(core::Kind::kInfluencer,
                                          {{"name", "Person " + std::to_string(i)},
                                           {"owner", olga},
                                           {"store", i % 2 ? co.store_a : co.store_b}});
        REQUIRE(id.is_ok());
        owned.push_back(id.value().to_text());
    }
    sync_all(c, tok, *office->replica, false);
    const std::string pauls =
        create(c, tok, "influencers", R"({"name":"Already Paul's","owner":")" + paul + "\"}");

    // A store tablet holds its store's people before the hand-over.
    auto tablet = open_node(setup.dir.file("tablet.db"), time, 21);
    sync_all(c, co.store_a_token, *tablet->replica, false);
    auto owner_on_tablet = [&](const std::string& id) {
        auto row = core::get_entity(tablet->replica->store(), core::Kind::kInfluencer,
                                    *core::Id128::from_text(id));
        REQUIRE(row.is_ok());
        REQUIRE(row.value());
        const auto* s = std::get_if<std::string>(&row.value()->values[std::size_t(
            core::kind_def(core::Kind::kInfluencer).field_index("owner"))]);
        return s ? *s : std::string();
    };
    CHECK(owner_on_tablet(owned[1]) == olga);

    auto handover = [&](const std::string& token, const std::string& body) {
        auto res = send_json(c, token, "POST", "/api/v1/owners/handover", body);
        REQUIRE(res);
        return *res;
    };
    const std::string body = R"({"from":")" + olga + R"(","to":")" + paul + "\"}";
    // Only the central team.
    auto store_try = handover(co.store_a_token, body);
    CHECK(store_try.status == 403);
    CHECK(api_error(store_try.body) == "forbidden");
    // Bad bodies name their field; nothing moves.
    auto bad_from = handover(tok, R"({"from":"olga","to":")" + paul + "\"}");
    CHECK(bad_from.status == 400);
    CHECK(bad_from.body.find("\"field\":\"from\"") != std::string::npos);
    auto unknown_to = handover(tok, R"({"from":")" + olga + R"(","to":")" + co.store_a + "\"}");
    CHECK(unknown_to.status == 400);
    CHECK(unknown_to.body.find("\"field\":\"to\"") != std::string::npos);
    auto same = handover(tok, R"({"from":")" + olga + R"(","to":")" + olga + "\"}");
    CHECK(same.status == 400);
    auto extra = handover(tok, R"({"from":")" + olga + R"(","to":")" + paul + R"(","x":1})");
    CHECK(extra.status == 400);

    auto res = handover(tok, body);
    INFO(res.body);
    REQUIRE(res.status == 200);
    auto doc = parse_json(res.body);
    CHECK(doc["moved"].GetInt() == kPeople);

    auto total = [&](const std::string& query) {
        auto r = c.Get(("/api/v1/directory?limit=1&" + query).c_str(), bearer(tok));
        REQUIRE(r);
        REQUIRE(r->status == 200);
        return parse_json(r->body)["total"].GetUint64();
    };
    CHECK(total("owner=" + olga) == 0);
    CHECK(total("owner=" + paul) == kPeople + 1);
    // Every one of them, read back in pages of the directory.
    std::vector<std::string> now_pauls;
    for (std::size_t offset = 0; offset < std::size_t(kPeople) + 1; offset += 500) {
        auto page = list_ids(
            c, tok,
            "/api/v1/influencers?owner=" + paul + "&limit=500&offset=" + std::to_string(offset));
        now_pauls.insert(now_pauls.end(), page.begin(), page.end());
    }
    for (const auto& id : owned) CHECK(contains(now_pauls, id));
    CHECK(contains(now_pauls, pauls));
    // A second hand-over finds nobody left.
    CHECK(parse_json(handover(tok, body).body)["moved"].GetInt() == 0);

    // The store tablet receives the new owner on its next sync.
    sync_all(c, co.store_a_token, *tablet->replica, false);
    CHECK(owner_on_tablet(owned[1]) == paul);
    CHECK(owner_on_tablet(owned[3]) == paul);
}

}  // namespace liaison::test::server_owners_http
