// The REST API of the real liaison-server (server/api/rest.hpp): writes go through the operation
// path and reach devices, edits merge with devices' edits, scopes hold, bad input is refused.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "core/query/queries.hpp"
#include "rest_fixture.hpp"
#include "sync/edit.hpp"

namespace liaison::test::server_rest {
namespace {

core::Id128 id_of(const std::string& text) {
    auto id = core::Id128::from_text(text);
    REQUIRE(id);
    return *id;
}

std::string field_of(core::Store& store, core::Kind kind, const std::string& id,
                     const char* field) {
    auto row = core::get_entity(store, kind, id_of(id));
    REQUIRE(row.is_ok());
    REQUIRE(row.value());
    const auto& v = row.value()->values[std::size_t(core::kind_def(kind).field_index(field))];
    const auto* s = std::get_if<std::string>(&v);
    return s ? *s : "";
}

}  // namespace

TEST_CASE("an influencer created through REST is listed, found, carded and reaches a device",
          "[server][rest]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string id =
        create(*client, setup.central_token, "influencers",
               R"({"name":"Hélène Dupont","email":"helene@example.fr","tier":"top",)"
               R"("handles":["instagram:helene.dupont:125000"],"tags":["Paris"]})");

    CHECK(contains(list_ids(*client, setup.central_token, "/api/v1/influencers"), id));
    CHECK(contains(list_ids(*client, setup.central_token, "/api/v1/influencers?q=helene"), id));
    CHECK(contains(list_ids(*client, setup.central_token, "/api/v1/influencers?q=dupont&limit=1"),
                   id));
    CHECK(list_ids(*client, setup.central_token, "/api/v1/influencers?q=nobodyatall").empty());

    auto card = client->Get(("/api/v1/influencers/" + id).c_str(), bearer(setup.central_token));
    REQUIRE(card);
    REQUIRE(card->status == 200);
    auto doc = parse_json(card->body);
    REQUIRE(doc.HasMember("influencer"));
    CHECK(str_member(doc["influencer"], "id") == id);
    CHECK(str_member(doc["influencer"], "name") == "Hélène Dupont");
    CHECK(doc["influencer"]["tags"][0] == "paris");  // tags are lower-cased
    REQUIRE(doc.HasMember("timeline"));

    // An interaction about her shows in her timeline and in the filtered list.
    const std::string note =
        create(*client, setup.central_token, "interactions",
               R"({"influencer":")" + id +
                   R"(","at":1795000000000,"touchpoint":"store","department":"retail"})");
    CHECK(list_ids(*client, setup.central_token, "/api/v1/interactions?influencer=" + id) ==
          std::vector<std::string>{note});
    auto card2 = client->Get(("/api/v1/influencers/" + id).c_str(), bearer(setup.central_token));
    REQUIRE(card2);
    CHECK(card2->body.find(note) != std::string::npos);

    // A device pulling through /api/v1/sync receives both.
    sync::SystemTimeSource time;
    auto node = open_node(setup.dir.file("tablet.db"), time, 7);
    sync_all(*client, setup.central_token, *node->replica, false);
    CHECK(field_of(node->replica->store(), core::Kind::kInfluencer, id, "name") == "Hélène Dupont");
    CHECK(field_of(node->replica->store(), core::Kind::kInteraction, note, "touchpoint") ==
          "store");
}

TEST_CASE("edits through REST and through a device merge last-writer-wins, per field",
          "[server][rest][merge]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    sync::SystemTimeSource time;
    auto node = open_node(setup.dir.file("tablet.db"), time, 9);
    auto made =
        node->replica->create(core::Kind::kInfluencer, {{"name", std::string("Zoë Martin")}});
    REQUIRE(made.is_ok());
    const std::string id = made.value().to_text();
    sync_all(*client, setup.central_token, *node->replica, true);

    // Offline, the device edits tier and notes; later, central edits tier and status.
    REQUIRE(node->replica
                ->set(core::Kind::kInfluencer, made.value(),
                      {{"tier", std::string("expert")}, {"notes", std::string("met in store")}})
                .is_ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto patched = send_json(*client, setup.central_token, "PATCH", "/api/v1/influencers/" + id,
                             R"({"tier":"top","status":"do_not_contact"})");
    REQUIRE(patched);
    INFO(patched->body);
    REQUIRE(patched->status == 200);
    CHECK(str_member(parse_json(patched->body), "tier") == "top");
    sync_all(*client, setup.central_token, *node->replica, true);

    // Both sides: the later tier, and each side's other field.
    auto& store = node->replica->store();
    CHECK(field_of(store, core::Kind::kInfluencer, id, "tier") == "top");
    CHECK(field_of(store, core::Kind::kInfluencer, id, "notes") == "met in store");
    CHECK(field_of(store, core::Kind::kInfluencer, id, "status") == "do_not_contact");
    auto card = client->Get(("/api/v1/influencers/" + id).c_str(), bearer(setup.central_token));
    REQUIRE(card);
    auto doc = parse_json(card->body);
    CHECK(str_member(doc["influencer"], "tier") == "top");
    CHECK(str_member(doc["influencer"], "notes") == "met in store");

    // The device's later edit wins in turn.
    REQUIRE(node->replica
                ->set(core::Kind::kInfluencer, made.value(), {{"tier", std::string("advocate")}})
                .is_ok());
    sync_all(*client, setup.central_token, *node->replica, false);
    auto again = client->Get(("/api/v1/influencers/" + id).c_str(), bearer(setup.central_token));
    REQUIRE(again);
    CHECK(str_member(parse_json(again->body)["influencer"], "tier") == "advocate");
    CHECK(setup.server_hash(server) == must(node->replica->state_hash()));
}

TEST_CASE("a store token reads and writes only its own store's records", "[server][rest][scope]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    Company co(setup, *client);
    const std::string& tok = co.store_a_token;

    auto listed = list_ids(*client, tok, "/api/v1/influencers");
    CHECK(contains(listed, co.ana));
    CHECK_FALSE(contains(listed, co.bea));
    CHECK_FALSE(contains(list_ids(*client, tok, "/api/v1/influencers?q=lambert"), co.bea));
    CHECK(list_ids(*client, tok, "/api/v1/influencers?store=" + co.store_b).empty());
    auto central_list = list_ids(*client, setup.central_token, "/api/v1/influencers");
    CHECK(contains(central_list, co.bea));

    auto other = client->Get(("/api/v1/influencers/" + co.bea).c_str(), bearer(tok));
    REQUIRE(other);
    CHECK(other->status == 404);
    CHECK(api_error(other->body) == "not_found");
    auto own = client->Get(("/api/v1/influencers/" + co.ana).c_str(), bearer(tok));
    REQUIRE(own);
    CHECK(own->status == 200);

    auto edit_other =
        send_json(*client, tok, "PATCH", "/api/v1/influencers/" + co.bea, R"({"tier":"top"})");
    REQUIRE(edit_other);
    CHECK(edit_other->status == 404);
    auto edit_own =
        send_json(*client, tok, "PATCH", "/api/v1/influencers/" + co.ana, R"({"tier":"top"})");
    REQUIRE(edit_own);
    CHECK(edit_own->status == 200);
    // Moving her out of the store is leaving the scope: refused, nothing changes.
    auto move = send_json(*client, tok, "PATCH", "/api/v1/influencers/" + co.ana,
                          R"({"store":")" + co.store_b + "\"}");
    REQUIRE(move);
    CHECK(move->status == 403);
    CHECK(api_error(move->body) == "out_of_scope");
    auto create_other = send_json(*client, tok, "POST", "/api/v1/influencers",
                                  R"({"name":"Cléo","store":")" + co.store_b + "\"}");
    REQUIRE(create_other);
    CHECK(create_other->status == 403);
    auto brand = send_json(*client, tok, "POST", "/api/v1/brands", R"({"name":"Nope"})");
    REQUIRE(brand);
    CHECK(brand->status == 403);
    CHECK(api_error(brand->body) == "forbidden");
    auto erase = send_json(*client, tok, "POST", "/api/v1/influencers/" + co.ana + "/erase");
    REQUIRE(erase);
    CHECK(erase->status == 403);
    // Interactions: logged in her own store, listed; another store's stay hidden.
    const std::string mine =
        create(*client, tok, "interactions",
               R"({"influencer":")" + co.ana + R"(","store":")" + co.store_a +
                   R"(","at":1795000000000,"touchpoint":"store","department":"retail"})");
    const std::string theirs =
        create(*client, setup.central_token, "interactions",
               R"({"influencer":")" + co.bea + R"(","store":")" + co.store_b +
                   R"(","at":1795000000000,"touchpoint":"store","department":"retail"})");
    auto notes = list_ids(*client, tok, "/api/v1/interactions");
    CHECK(contains(notes, mine));
    CHECK_FALSE(contains(notes, theirs));
    auto peek = client->Get(("/api/v1/interactions/" + theirs).c_str(), bearer(tok));
    REQUIRE(peek);
    CHECK(peek->status == 404);
}

// REST answers 404 for another store's records before the hub is reached; a device's push
// through /api/v1/sync is where the hub's own scope check must hold.
TEST_CASE(
    "a store token's pushed add, remove and delete on another store's existing records are "
    "out of scope over /api/v1/sync",
    "[server][sync][scope]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    Company co(setup, *client);
    sync::SystemTimeSource time;
    const auto bea = id_of(co.bea);
    // The office tags Béa and logs a contact at her store.
    auto office = open_node(setup.dir.file("office.db"), time, 11);
    sync_all(*client, setup.central_token, *office->replica, false);
    REQUIRE(office->replica->add(core::Kind::kInfluencer, bea, "tags", "vip").is_ok());
    auto note = office->replica->create(core::Kind::kInteraction,
                                        {{"influencer", co.bea},
                                         {"store", co.store_b},
                                         {"at", std::int64_t(1'795'000'000'000LL)},
                                         {"touchpoint", std::string("store")},
                                         {"department", std::string("retail")}});
    REQUIRE(note.is_ok());
    sync_all(*client, setup.central_token, *office->replica, false);
    auto dots = office->replica->store().load_dots(bea);
    REQUIRE(dots.is_ok());
    REQUIRE(dots.value().size() == 1);
    const std::string before = setup.server_hash(server);

    // A store tablet of the other store that learnt both ids pushes changes to them.
    auto tablet = open_node(setup.dir.file("tablet.db"), time, 12);
    sync::Replica& t = *tablet->replica;
    REQUIRE(
        t.submit(sync::elem_op(sync::OpType::kAdd, core::Kind::kInfluencer, bea, "tags", "forged"))
            .is_ok());
    auto remove = sync::elem_op(sync::OpType::kRemove, core::Kind::kInfluencer, bea, "tags", "vip");
    remove.observed = {dots.value()[0].dot};
    REQUIRE(t.submit(remove).is_ok());
    REQUIRE(
        t.submit(sync::unstamped_op(sync::OpType::kDelete, core::Kind::kInteraction, note.value()))
            .is_ok());
    for (const bool json : {false, true}) {
        auto req = t.make_push();
        REQUIRE(req.is_ok());
        REQUIRE(req->ops.size() == 3);
        const std::string body =
            json ? sync::request_to_json(req.value()) : sync::encode_request(req.value());
        auto res = post_sync(*client, co.store_a_token, body, json);
        REQUIRE(res);
        REQUIRE(res->status == 200);
        auto reply = json ? sync::reply_from_json(res->body) : sync::decode_reply(res->body);
        REQUIRE(reply.is_ok());
        REQUIRE(reply->results.size() == 3);
        for (const auto& r : reply->results) {
            CHECK(r.outcome == sync::Outcome::kRejected);
            CHECK(r.code == Code::kOutOfScope);
        }
    }
    CHECK(setup.server_hash(server) == before);
}

TEST_CASE("sets, merges and deletions go through REST with clear refusals", "[server][rest]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& tok = setup.central_token;
    const std::string a = create(*client, tok, "influencers", R"({"name":"Inès Roux"})");
    const std::string b = create(*client, tok, "influencers", R"({"name":"Ines Roux"})");

    auto added = send_json(*client, tok, "POST", "/api/v1/influencers/" + a + "/sets/tags",
                           R"({"add":["VIP","paris"]})");
    REQUIRE(added);
    REQUIRE(added->status == 200);
    CHECK(added->body.find(R"("tags":["paris","vip"])") != std::string::npos);
    auto removed = send_json(*client, tok, "POST", "/api/v1/influencers/" + a + "/sets/tags",
                             R"({"remove":"vip"})");
    REQUIRE(removed);
    CHECK(removed->body.find(R"("tags":["paris"])") != std::string::npos);
    auto absent = send_json(*client, tok, "POST", "/api/v1/influencers/" + a + "/sets/tags",
                            R"({"remove":"nothere"})");
    REQUIRE(absent);
    CHECK(absent->status == 404);
    auto bad_elem = send_json(*client, tok, "POST", "/api/v1/influencers/" + a + "/sets/roles",
                              R"({"add":"astronaut"})");
    REQUIRE(bad_elem);
    CHECK(bad_elem->status == 400);
    CHECK_FALSE(api_error(bad_elem->body).empty());
    auto no_set = send_json(*client, tok, "POST", "/api/v1/influencers/" + a + "/sets/colours",
                            R"({"add":"red"})");
    REQUIRE(no_set);
    CHECK(no_set->status == 404);

    auto merged = send_json(*client, tok, "POST", "/api/v1/influencers/" + b + "/merge",
                            R"({"into":")" + a + "\"}");
    REQUIRE(merged);
    INFO(merged->body);
    REQUIRE(merged->status == 200);
    const std::string survivor = str_member(parse_json(merged->body), "id");
    CHECK((survivor == a || survivor == b));
    auto listed = list_ids(*client, tok, "/api/v1/influencers?q=roux");
    CHECK(listed == std::vector<std::string>{survivor});
    auto card =
        client->Get(("/api/v1/influencers/" + (survivor == a ? b : a)).c_str(), bearer(tok));
    REQUIRE(card);
    CHECK(card->status == 200);  // the other id still leads to the person
    CHECK(card->body.find("\"merged_ids\":[\"") != std::string::npos);
    auto twice = send_json(*client, tok, "POST", "/api/v1/influencers/" + a + "/merge",
                           R"({"into":")" + b + "\"}");
    REQUIRE(twice);
    CHECK(twice->status == 409);

    const std::string note =
        create(*client, tok, "interactions",
               R"({"influencer":")" + a +
                   R"(","at":1795000000000,"touchpoint":"email","department":"pr"})");
    auto del = send_json(*client, tok, "DELETE", "/api/v1/interactions/" + note);
    REQUIRE(del);
    CHECK(del->status == 200);
    CHECK(list_ids(*client, tok, "/api/v1/interactions?influencer=" + a).empty());
    auto gone = client->Get(("/api/v1/interactions/" + note).c_str(), bearer(tok));
    REQUIRE(gone);
    CHECK(gone->status == 404);
    auto del_person = send_json(*client, tok, "DELETE", "/api/v1/influencers/" + a);
    REQUIRE(del_person);
    CHECK(del_person->status == 405);
    CHECK_FALSE(del_person->get_header_value("Allow").empty());
}

TEST_CASE("pages of a list follow next_offset to the end without repeats", "[server][rest]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    std::vector<std::string> made;
    for (int i = 0; i < 7; ++i)
        made.push_back(create(*client, setup.central_token, "brands",
                              R"({"name":"Brand )" + std::to_string(i) + "\"}"));
    std::vector<std::string> seen;
    std::string path = "/api/v1/brands?limit=3";
    for (int page = 0; page < 10; ++page) {
        auto res = client->Get(path.c_str(), bearer(setup.central_token));
        REQUIRE(res);
        REQUIRE(res->status == 200);
        auto doc = parse_json(res->body);
        for (const auto& item : doc["items"].GetArray()) seen.push_back(str_member(item, "id"));
        if (doc["next_offset"].IsNull()) break;
        path = "/api/v1/brands?limit=3&offset=" + std::to_string(doc["next_offset"].GetInt());
    }
    std::sort(made.begin(), made.end());
    std::sort(seen.begin(), seen.end());
    CHECK(seen == made);
}

TEST_CASE("hostile REST input gets a 4xx JSON error and the server stays up",
          "[server][rest][hostile]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    const std::string& tok = setup.central_token;
    const std::string a = create(*client, tok, "influencers", R"({"name":"Léa Petit"})");
    struct Case {
        const char* method;
        std::string path;
        std::string body;
        std::string type;
        int status;
    };
    const std::string big(sync::kMaxEditBytes + 10, ' ');
    const std::vector<Case> cases = {
        {"POST", "/api/v1/influencers", "{\"name\":", "application/json", 400},
        {"POST", "/api/v1/influencers", "[1,2,3]", "application/json", 400},
        {"POST", "/api/v1/influencers", R"({"name":"X","colour":"red"})", "application/json", 400},
        {"POST", "/api/v1/influencers", R"({"name":"X","tier":"emperor"})", "application/json",
         400},
        {"POST", "/api/v1/influencers", R"({"email":"x@example.com"})", "application/json", 400},
        // The create is valid, its second set element is not: all or nothing.
        {"POST", "/api/v1/influencers", R"({"name":"Y","roles":["customer","astronaut"]})",
         "application/json", 400},
        {"POST", "/api/v1/events", R"({"name":"Gala","starts":1e400})", "application/json", 400},
        {"POST", "/api/v1/events", R"({"name":"Gala","starts":123456789012345678901234567890})",
         "application/json", 400},
        {"POST", "/api/v1/influencers", R"({"name":"X"})", "text/plain", 415},
        {"POST", "/api/v1/influencers", R"({"name":"X"})", "application/x-www-form-urlencoded",
         415},
        {"POST", "/api/v1/influencers", "{\"name\":\"" + big + "\"}", "application/json", 413},
        {"POST", "/api/v1/spaceships", R"({"name":"X"})", "application/json", 404},
        {"POST", "/api/v1/clicks", R"({"link":"x"})", "application/json", 405},
        {"PATCH", "/api/v1/influencers/" + a, R"({"handles":["x:y:1"]})", "application/json", 400},
        {"PATCH", "/api/v1/influencers/" + a, R"({"name":null})", "application/json", 400},
        {"PATCH", "/api/v1/influencers/not-an-id", R"({"tier":"top"})", "application/json", 400},
        {"PATCH", "/api/v1/influencers/01M847ZYSY76CTKRM1P6C6R5JH", R"({"tier":"top"})",
         "application/json", 404},
        {"POST", "/api/v1/influencers/" + a + "/merge", R"({"into":42})", "application/json", 400},
        {"POST", "/api/v1/influencers/" + a + "/merge", R"({"into":"x","also":1})",
         "application/json", 400},
        {"POST", "/api/v1/influencers/" + a + "/sets/tags", R"({"add":[1]})", "application/json",
         400},
        {"GET", "/api/v1/influencers?limit=0", "", "", 400},
        {"GET", "/api/v1/influencers?limit=501", "", "", 400},
        {"GET", "/api/v1/influencers?limit=-1", "", "", 400},
        {"GET", "/api/v1/influencers?limit=99999999999999999999", "", "", 400},
        {"GET", "/api/v1/influencers?offset=abc", "", "", 400},
        {"GET", "/api/v1/influencers?colour=red", "", "", 400},
        {"GET", "/api/v1/influencers?limit=2&limit=3", "", "", 400},
        {"GET", "/api/v1/influencers?store=nonsense", "", "", 400},
        {"GET", "/api/v1/interactions?influencer=bad", "", "", 400},
        {"GET", "/api/v1/influencers/" + a + "/nothing", "", "", 404},
        {"GET", "/api/v1/influencers/" + a + "/merge", "", "", 405},
        {"DELETE", "/api/v1/influencers", "", "", 405},
    };
    for (const auto& c : cases) {
        INFO(c.method << " " << c.path << " " << c.body.substr(0, 80) << " (" << c.type << ")");
        httplib::Result res =
            std::string(c.method) == "GET"      ? client->Get(c.path.c_str(), bearer(tok))
            : std::string(c.method) == "DELETE" ? client->Delete(c.path.c_str(), bearer(tok))
            : std::string(c.method) == "PATCH"
                ? client->Patch(c.path.c_str(), bearer(tok), c.body, c.type.c_str())
                : client->Post(c.path.c_str(), bearer(tok), c.body, c.type.c_str());
        REQUIRE(res);
        INFO(res->body.substr(0, 200));
        CHECK(res->status == c.status);
        CHECK_FALSE(api_error(res->body).empty());
        CHECK(res->get_header_value("Content-Type") == "application/json");
    }
    auto health = client->Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    // Nothing was made by the refused requests.
    CHECK(list_ids(*client, tok, "/api/v1/influencers") == std::vector<std::string>{a});
    CHECK(list_ids(*client, tok, "/api/v1/events").empty());
    // Without a token: 401 before anything is read.
    auto anonymous = client->Get("/api/v1/influencers");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
}

}  // namespace liaison::test::server_rest

namespace liaison::test::server_rest {

TEST_CASE("REST refuses a reference to an id known as another kind, naming the field",
          "[server][rest][references]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    Company co(setup, *client);
    const std::string& tok = setup.central_token;
    auto refused = [&](const std::string& body, const std::string& message) {
        auto res = send_json(*client, tok, "POST", "/api/v1/influencers", body);
        REQUIRE(res);
        INFO(body << " -> " << res->body);
        CHECK(res->status == 400);
        CHECK(api_error(res->body) == "invalid_argument");
        CHECK(str_member(parse_json(res->body)["error"], "message").find(message) !=
              std::string::npos);
    };
    refused(R"({"name":"Zoé","region":")" + co.store_a + "\"}",
            "region: " + co.store_a + " is a store, not a region");
    refused(R"({"name":"Zoé","owner":")" + co.ana + "\"}",
            "owner: " + co.ana + " is an influencer, not a staff");
    auto patched = send_json(*client, tok, "PATCH", "/api/v1/influencers/" + co.bea,
                             R"({"store":")" + co.region + "\"}");
    REQUIRE(patched);
    CHECK(patched->status == 400);
    CHECK(api_error(patched->body) == "invalid_argument");
    // An id this server does not know may be a record made offline on a device: accepted.
    create(*client, tok, "influencers", R"({"name":"Zoé","region":"01ARZ3NDEKTSV4RRFFQ69G5FAV"})");
}

TEST_CASE(
    "an interaction names its campaign through REST, and a campaign of another kind is refused",
    "[server][rest][schema]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    Company co(setup, *client);
    const std::string& tok = setup.central_token;
    const std::string campaign = create(*client, tok, "campaigns", R"({"name":"Printemps"})");
    auto contact_body = [&](const std::string& named) {
        return R"({"influencer":")" + co.ana +
               R"(","at":1700000000000,"touchpoint":"event","department":"pr","campaign":")" +
               named + "\"}";
    };
    const std::string contact = create(*client, tok, "interactions", contact_body(campaign));
    auto res = send_json(*client, tok, "GET", "/api/v1/interactions/" + contact);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(str_member(parse_json(res->body), "campaign") == campaign);
    // Every reference field is a list filter.
    CHECK(list_ids(*client, tok, "/api/v1/interactions?campaign=" + campaign) ==
          std::vector<std::string>{contact});
    auto wrong = send_json(*client, tok, "POST", "/api/v1/interactions", contact_body(co.store_a));
    REQUIRE(wrong);
    INFO(wrong->body);
    CHECK(wrong->status == 400);
    CHECK(str_member(parse_json(wrong->body)["error"], "message")
              .find("campaign: " + co.store_a + " is a store, not a campaign") !=
          std::string::npos);
    auto cleared =
        send_json(*client, tok, "PATCH", "/api/v1/interactions/" + contact, R"({"campaign":null})");
    REQUIRE(cleared);
    CHECK(cleared->status == 200);
    CHECK(str_member(parse_json(cleared->body), "campaign").empty());
}

}  // namespace liaison::test::server_rest
