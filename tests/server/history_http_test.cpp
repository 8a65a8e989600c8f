// GET /api/v1/<collection>/<id>/history against the real server (server/api/history.hpp): a
// store tablet's writes and the central team's, in stamp order, each naming its actor and the
// device it came from, old -> new values, and the write that lost marked superseded.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "rest_fixture.hpp"

namespace liaison::test::server_history_http {
namespace {

std::string field_change(const rapidjson::Value& entry, const char* name) {
    for (const auto& f : entry["fields"].GetArray()) {
        if (str_member(f, "name") != name) continue;
        auto text = [&](const char* m) -> std::string {
            if (!f.HasMember(m)) return "<absent>";
            return f[m].IsNull() ? "null" : (f[m].IsString() ? f[m].GetString() : "<other>");
        };
        return text("old") + " -> " + text("new") +
               (f.HasMember("superseded") && f["superseded"].GetBool() ? " (superseded)" : "");
    }
    return "<untouched>";
}

}  // namespace

TEST_CASE(
    "a record's history lists every write in stamp order with its actor, device and old -> new "
    "values, the one that lost superseded, for central only",
    "[server][history]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string region =
        create(*client, setup.central_token, "regions", R"({"name":"Île-de-France"})");
    const std::string store_a = create(*client, setup.central_token, "stores",
                                       R"({"name":"Paris Rivoli","region":")" + region + "\"}");
    const std::string ines = create(*client, setup.central_token, "staff",
                                    R"({"name":"Inès Vendeuse","store":")" + store_a + "\"}");
    const std::string user = cli_ok({"user", "add", "--db", setup.db, "--name", "Sam Store",
                                     "--role", "store", "--stores", store_a});
    const std::string tablet_token =
        cli_ok({"token", "issue", "--db", setup.db, "--user", user, "--device", "tablet-rivoli"});
    // The tablet acts as Inès, whom its user must be linked to (docs/SYNC.md A1).
    cli_ok({"user", "staff", "--db", setup.db, "--user", user, "--add", ines});

    sync::SystemTimeSource time;  // the server checks stamps against its own clock
    auto tablet = open_node(setup.dir.file("tablet.db"), time, 17);
    sync::Replica& t = *tablet->replica;
    t.set_actor(*core::Id128::from_text(ines));
    auto person = t.create(core::Kind::kInfluencer, {{"name", std::string("Hélène Dupont")},
                                                     {"tier", std::string("prospect")},
                                                     {"store", store_a}});
    REQUIRE(person.is_ok());
    const std::string id = person.value().to_text();
    sync_all(*client, tablet_token, t, false);
    // Offline, the tablet raises her tier; meanwhile central sets another, later.
    REQUIRE(
        t.set(core::Kind::kInfluencer, person.value(), {{"tier", std::string("expert")}}).is_ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto patched = send_json(*client, setup.central_token, "PATCH", "/api/v1/influencers/" + id,
                             R"({"tier":"top"})");
    REQUIRE(patched);
    REQUIRE(patched->status == 200);
    sync_all(*client, tablet_token, t, false);  // the older write arrives last

    auto res = client->Get(("/api/v1/influencers/" + id + "/history").c_str(),
                           bearer(setup.central_token));
    REQUIRE(res);
    INFO(res->body.substr(0, 2000));
    REQUIRE(res->status == 200);
    auto doc = parse_json(res->body);
    CHECK(str_member(doc, "id") == id);
    CHECK(doc["total"].GetInt() == 3);
    CHECK_FALSE(doc["truncated"].GetBool());
    const auto& entries = doc["entries"];
    REQUIRE(entries.Size() == 3);
    for (rapidjson::SizeType i = 1; i < entries.Size(); ++i)
        CHECK(str_member(entries[i - 1], "stamp") < str_member(entries[i], "stamp"));

    const auto& made = entries[0];
    CHECK(str_member(made, "type") == "create");
    CHECK(str_member(made, "at").size() == 24);  // 2026-11-02T09:30:00.000Z
    CHECK(str_member(made, "at").back() == 'Z');
    CHECK(str_member(made["actor"], "id") == ines);
    CHECK(str_member(made["actor"], "name") == "Inès Vendeuse");
    CHECK(str_member(made["device"], "replica") == t.id().to_text());
    CHECK(str_member(made["device"], "label") == "tablet-rivoli");
    CHECK(str_member(made["device"]["user"], "name") == "Sam Store");
    CHECK(field_change(made, "name") == "null -> Hélène Dupont");
    CHECK(field_change(made, "tier") == "null -> prospect");

    const auto& offline = entries[1];
    CHECK(str_member(offline, "type") == "set");
    CHECK(str_member(offline["device"], "label") == "tablet-rivoli");
    CHECK(field_change(offline, "tier") == "prospect -> expert (superseded)");
    CHECK(offline["superseded"].GetBool());

    const auto& central = entries[2];
    CHECK(field_change(central, "tier") == "expert -> top");
    CHECK_FALSE(central["superseded"].GetBool());
    CHECK(central["device"]["label"].IsNull());  // the server's own write (REST)

    // The newest first when bounded, still in stamp order.
    auto last = client->Get(("/api/v1/influencers/" + id + "/history?limit=1").c_str(),
                            bearer(setup.central_token));
    REQUIRE(last);
    REQUIRE(last->status == 200);
    auto one = parse_json(last->body);
    REQUIRE(one["entries"].Size() == 1);
    CHECK(str_member(one["entries"][0], "stamp") == str_member(central, "stamp"));
    CHECK(one["truncated"].GetBool());
    auto too_many = client->Get(("/api/v1/influencers/" + id + "/history?limit=1001").c_str(),
                                bearer(setup.central_token));
    REQUIRE(too_many);
    CHECK(too_many->status == 400);

    // Not for a store token, even on its own store's person.
    auto refused =
        client->Get(("/api/v1/influencers/" + id + "/history").c_str(), bearer(tablet_token));
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(api_error(refused->body) == "forbidden");
    // An id the server holds nothing of, or one of another kind.
    auto unknown = client->Get("/api/v1/influencers/01ARZ3NDEKTSV4RRFFQ69G5FAV/history",
                               bearer(setup.central_token));
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    CHECK(api_error(unknown->body) == "not_found");
    auto wrong_kind =
        client->Get(("/api/v1/events/" + id + "/history").c_str(), bearer(setup.central_token));
    REQUIRE(wrong_kind);
    CHECK(wrong_kind->status == 404);
    // The values the server keeps are personal data: her export holds them, the lost one too.
    auto exported =
        client->Get(("/api/v1/influencers/" + id + "/export").c_str(), bearer(setup.central_token));
    REQUIRE(exported);
    REQUIRE(exported->status == 200);
    CHECK(exported->body.find(R"("written":{"tier":"expert"})") != std::string::npos);
    // Erased: gone with her history.
    auto erased = send_json(*client, setup.central_token, "POST",
                            "/api/v1/influencers/" + id + "/erase", "{}");
    REQUIRE(erased);
    REQUIRE(erased->status == 200);
    auto gone = client->Get(("/api/v1/influencers/" + id + "/history").c_str(),
                            bearer(setup.central_token));
    REQUIRE(gone);
    CHECK(gone->status == 410);
    CHECK(api_error(gone->body) == "erased");
}

}  // namespace liaison::test::server_history_http
