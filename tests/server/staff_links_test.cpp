// Users linked to staff records (docs/OPERATIONS.md "Users and staff"): `liaison-server user
// staff`, GET and PUT /api/v1/admin/users/<id>/staff, and the linked staff in GET /api/v1/me,
// against the real server and its database file.
#include <catch2/catch.hpp>

#include "rest_fixture.hpp"
#include "server_store.hpp"

namespace liaison::test::server_staff_links {
namespace {

// The administrative audit rows of `action`, oldest first, as "actor subject" lines.
std::vector<std::string> audit_rows(const std::string& db, const std::string& action) {
    auto store = server_store(db);
    auto st = store->db().prepare(
        "SELECT actor || ' ' || subject FROM server_audit WHERE action=?1 ORDER BY n");
    REQUIRE(st.is_ok());
    st.value().bind(1, std::string_view(action));
    std::vector<std::string> out;
    while (st.value().step() == core::Statement::Step::kRow)
        out.push_back(st.value().column_text(0));
    return out;
}

// The "staff" member of a JSON document as "id=name" lines ("id=" when no name is known).
std::vector<std::string> staff_of(const std::string& body) {
    auto doc = parse_json(body);
    REQUIRE(doc.HasMember("staff"));
    REQUIRE(doc["staff"].IsArray());
    std::vector<std::string> out;
    for (const auto& s : doc["staff"].GetArray()) {
        REQUIRE(s.IsObject());
        REQUIRE(s.HasMember("name"));
        out.push_back(str_member(s, "id") + "=" + str_member(s, "name"));
    }
    return out;
}

constexpr const char* kNotHeld = "01JD00000000000000000000S9";

}  // namespace

TEST_CASE("user staff links a user to staff records, checks each id and audits every change",
          "[server][accounts][staff]") {
    Setup setup;
    std::string ines, store_id, user;
    {
        ServerProcess server(setup.db, {}, setup.log);
        auto client = server.client();
        Company co(setup, *client);
        store_id = co.store_a;
        user = co.store_a_user;
        ines = create(*client, setup.central_token, "staff", R"({"name":"Inès Martin"})");
    }

    // The resulting list, one line per staff member: id, then the name the record holds.
    auto linked = run_cli({"user", "staff", "--db", setup.db, "--user", user, "--add", ines});
    INFO(linked.out << linked.err);
    REQUIRE(linked.exit_code == 0);
    CHECK(linked.out == ines + "\tInès Martin\n");

    // A staff record the server does not hold yet (made offline on a device) may be linked.
    auto ahead = run_cli({"user", "staff", "--db", setup.db, "--user", user, "--add", kNotHeld});
    INFO(ahead.out << ahead.err);
    REQUIRE(ahead.exit_code == 0);
    CHECK(ahead.out == ines + "\tInès Martin\n" + kNotHeld + "\t(not on this server yet)\n");
    CHECK(ahead.err.find("not on this server yet") != std::string::npos);

    // Refused: not an id; a record of another kind; an unknown user. The list is unchanged.
    auto bad = run_cli({"user", "staff", "--db", setup.db, "--user", user, "--add", "Inès"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("'Inès' is not an entity id") != std::string::npos);
    auto wrong = run_cli({"user", "staff", "--db", setup.db, "--user", user, "--add", store_id});
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.err.find(store_id + " is a store, not a staff member") != std::string::npos);
    auto nobody = run_cli({"user", "staff", "--db", setup.db, "--user", "999", "--add", ines});
    CHECK(nobody.exit_code == 1);
    CHECK(nobody.err.find("user 999: no such user") != std::string::npos);

    auto removed =
        run_cli({"user", "staff", "--db", setup.db, "--user", user, "--remove", kNotHeld});
    REQUIRE(removed.exit_code == 0);
    CHECK(removed.out == ines + "\tInès Martin\n");
    // Without --add or --remove: the list as it is.
    CHECK(cli_ok({"user", "staff", "--db", setup.db, "--user", user}) == ines + "\tInès Martin");

    CHECK(audit_rows(setup.db, "user.staff") ==
          std::vector<std::string>{"cli user:" + user + " staff:" + ines,
                                   "cli user:" + user + " staff:" + ines + "," + kNotHeld,
                                   "cli user:" + user + " staff:" + ines});
}

TEST_CASE(
    "administrators read and replace a user's staff over REST, and /me names the linked staff",
    "[server][rest][accounts][staff]") {
    Setup setup;
    ServerProcess server(setup.db, {}, setup.log);
    auto client = server.client();
    Company co(setup, *client);
    const std::string ines =
        create(*client, setup.central_token, "staff", R"({"name":"Inès Martin"})");
    const std::string& user = co.store_a_user;
    const std::string& token = co.store_a_token;
    const std::string path = "/api/v1/admin/users/" + user + "/staff";

    auto empty = client->Get(path.c_str(), bearer(setup.admin_token));
    REQUIRE(empty);
    CHECK(empty->status == 200);
    CHECK(staff_of(empty->body).empty());

    auto put = [&](const std::string& tok, const std::string& body) {
        auto res = client->Put(path.c_str(), bearer(tok), body, "application/json");
        REQUIRE(res);
        return res;
    };
    auto set = put(setup.admin_token, R"({"staff":[")" + ines + R"(",")" + kNotHeld + "\"]}");
    INFO(set->body);
    CHECK(set->status == 200);
    CHECK(staff_of(set->body) ==
          std::vector<std::string>{ines + "=Inès Martin", kNotHeld + std::string("=")});
    auto got = client->Get(path.c_str(), bearer(setup.admin_token));
    REQUIRE(got);
    CHECK(staff_of(got->body) == staff_of(set->body));

    // The user sees their own links, with names from the central record.
    auto me = client->Get("/api/v1/me", bearer(token));
    REQUIRE(me);
    CHECK(me->status == 200);
    CHECK(staff_of(me->body) ==
          std::vector<std::string>{ines + "=Inès Martin", kNotHeld + std::string("=")});

    // Only administrators; ids are checked; the user must exist.
    CHECK(put(setup.central_token, R"({"staff":[]})")->status == 403);
    auto central_get = client->Get(path.c_str(), bearer(setup.central_token));
    REQUIRE(central_get);
    CHECK(central_get->status == 403);
    auto bad = put(setup.admin_token, R"({"staff":["Inès"]})");
    CHECK(bad->status == 400);
    CHECK(api_error(bad->body) == "invalid_argument");
    auto wrong = put(setup.admin_token, R"({"staff":[")" + co.store_a + "\"]}");
    CHECK(wrong->status == 400);
    CHECK(str_member(parse_json(wrong->body)["error"], "message")
              .find(co.store_a + " is a store, not a staff member") != std::string::npos);
    auto unknown = client->Put("/api/v1/admin/users/999/staff", bearer(setup.admin_token),
                               R"({"staff":[]})", "application/json");
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    CHECK(put(setup.admin_token, R"({"staff":[]})")->status == 200);
    CHECK(staff_of(client->Get("/api/v1/me", bearer(token))->body).empty());

    const std::string admin = "user:" + setup.admin_user;
    CHECK(audit_rows(setup.db, "user.staff") ==
          std::vector<std::string>{admin + " user:" + user + " staff:" + ines + "," + kNotHeld,
                                   admin + " user:" + user + " staff:"});
}

}  // namespace liaison::test::server_staff_links
