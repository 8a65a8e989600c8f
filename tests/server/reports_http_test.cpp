// The reports over REST against the real server (server/api/reports.hpp): what a caller gets is
// exactly what core::run_report computes over the same central record for her scope (JSON and
// CSV); a regional token gets its region's figures only; bad parameters are refused naming
// them; the integration role is kept out. And record model 7's report settings are written by
// the central team only.
#include <catch2/catch.hpp>

#include "core/query/reports.hpp"
#include "rest_fixture.hpp"
#include "server/admin/accounts.hpp"
#include "server/api/rest.hpp"
#include "server_store.hpp"

namespace liaison::test::server_reports_http {
namespace {

// 2026-03-<day>T10:00Z in ms.
std::int64_t march(int day) { return 1772359200000 + std::int64_t(day - 1) * 86400000; }

std::string ms(std::int64_t v) { return std::to_string(v); }

// A small record made through REST as the devices and the central team make it: two regions
// with a store each, a programme with a campaign per region, people in both, contacts, posts,
// collaborations, tracked links with clicks, and orders (by link and by promo code). Every scope
// key is filled as a device fills it (the person's region and store on her entries).
struct ReportsServer {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    std::unique_ptr<httplib::Client> client = [this] {
        auto c = server.client();
        c->set_follow_location(false);
        return c;
    }();
    std::string tok = setup.central_token;
    std::string maison, north, south, lille, nice, spring, launch, summer;
    std::string ana, ben, cleo, dan, k1, k2, l1, l2;
    std::string regional_token, store_token, field_token, integration_token;

    std::string make(const std::string& collection, const std::string& body) {
        return create(*client, tok, collection, body);
    }

    ReportsServer() {
        maison = make("brands", R"({"name":"Maison"})");
        north = make("regions", R"({"name":"North"})");
        south = make("regions", R"({"name":"South"})");
        lille = make("stores",
                     R"({"name":"Lille","region":")" + north + R"(","brand":")" + maison + "\"}");
        nice = make("stores",
                    R"({"name":"Nice","region":")" + south + R"(","brand":")" + maison + "\"}");
        spring = make("programmes", R"({"name":"Spring","brand":")" + maison +
                                        R"(","budget":1500000,"currency":"EUR",)"
                                        R"("starts":"2026-03-01","ends":"2026-05-31"})");
        launch =
            make("campaigns", R"({"name":"Launch","programme":")" + spring + R"(","brand":")" +
                                  maison + R"(","region":")" + north + R"(","store":")" + lille +
                                  R"(","budget":800000,"currency":"EUR",)"
                                  R"("starts":"2026-03-01","ends":"2026-03-31",)"
                                  R"("targets":"outputs.reach=40000"})");
        summer =
            make("campaigns", R"({"name":"Summer","programme":")" + spring + R"(","brand":")" +
                                  maison + R"(","region":")" + south + R"(","store":")" + nice +
                                  R"(","budget":300000,"currency":"EUR",)"
                                  R"("starts":"2026-03-01","ends":"2026-04-30"})");
        auto person = [&](const char* name, const char* tier, const std::string& region,
                          const std::string& store) {
            return make("influencers", std::string(R"({"name":")") + name + R"(","tier":")" + tier +
                                           R"(","region":")" + region + R"(","store":")" + store +
                                           "\"}");
        };
        ana = person("Ana", "top", north, lille);
        ben = person("Ben", "expert", north, lille);
        cleo = person("Cleo", "top", south, nice);
        dan = person("Dan", "advocate", south, nice);
        // Contacts: as a device logs them, with the person's region and store.
        auto contact = [&](const std::string& who, const std::string& region,
                           const std::string& store, int day, const char* touchpoint,
                           const char* department) {
            make("interactions", R"({"influencer":")" + who + R"(","at":)" + ms(march(day)) +
                                     R"(,"touchpoint":")" + touchpoint + R"(","department":")" +
                                     department + "\"" +
                                     (region.empty() ? "" : R"(,"region":")" + region + "\"") +
                                     R"(,"store":")" + store + R"(","brand":")" + maison + "\"}");
        };
        contact(ana, north, lille, 2, "store", "retail");
        contact(ana, north, lille, 9, "email", "pr");
        contact(ben, north, lille, 12, "event", "events");
        contact(cleo, south, nice, 3, "social", "social");
        contact(dan, south, nice, 20, "store", "retail");
        contact(dan, south, nice, 21, "phone", "customer_service");
        // A store device that names its store and not its region (the region is the store's).
        contact(ben, "", lille, 13, "store", "retail");
        // Collaborations (one with a promo code).
        k1 = make("collaborations",
                  R"({"influencer":")" + ana + R"(","campaign":")" + launch +
                      R"(","type":"paid","status":"live","fee":250000,"currency":"EUR",)"
                      R"("starts":"2026-03-01","ends":"2026-03-31","region":")" +
                      north + R"(","store":")" + lille + R"(","brand":")" + maison + "\"}");
        k2 = make("collaborations",
                  R"({"influencer":")" + cleo + R"(","campaign":")" + summer +
                      R"(","type":"gifted","in_kind_value":40000,"currency":"EUR",)"
                      R"("promo_code":"CLEO10","starts":"2026-03-05","region":")" +
                      south + R"(","store":")" + nice + R"(","brand":")" + maison + "\"}");
        // Posts.
        auto post = [&](const std::string& who, const std::string& region, const std::string& store,
                        const std::string& campaign, const std::string& collab, int day, int reach,
                        int likes, int comments, const char* tone) {
            make("content",
                 R"({"influencer":")" + who +
                     R"(","platform":"instagram",)"
                     R"("url":"https://www.instagram.com/p/)" +
                     std::to_string(day) + std::to_string(reach) + R"(","published_at":)" +
                     ms(march(day)) + R"(,"reach":)" + std::to_string(reach) +
                     R"(,"impressions":)" + std::to_string(reach * 2) + R"(,"likes":)" +
                     std::to_string(likes) + R"(,"comments":)" + std::to_string(comments) +
                     R"(,"tone":")" + tone + R"(","region":")" + region + R"(","store":")" + store +
                     R"(","brand":")" + maison + "\"" +
                     (campaign.empty() ? "" : R"(,"campaign":")" + campaign + "\"") +
                     (collab.empty() ? "" : R"(,"collaboration":")" + collab + "\"") + "}");
        };
        post(ana, north, lille, launch, k1, 10, 20000, 1500, 120, "positive");
        post(ana, north, lille, launch, k1, 18, 12000, 700, 40, "neutral");
        post(ben, north, lille, "", "", 14, 3000, 150, 9, "positive");
        post(cleo, south, nice, summer, k2, 11, 30000, 2400, 300, "positive");
        post(dan, south, nice, "", "", 25, 800, 30, 2, "negative");
        // Tracked links, their clicks (the redirect records them, now) and orders.
        l1 = make("tracked-links", R"({"code":"Launch-Ana","target":"https://shop.example.com/a",)"
                                   R"("influencer":")" +
                                       ana + R"(","campaign":")" + launch + "\"}");
        l2 = make("tracked-links", R"({"code":"Summer-Cleo","target":"https://shop.example.com/c",)"
                                   R"("influencer":")" +
                                       cleo + R"(","campaign":")" + summer + "\"}");
        for (const char* code : {"/l/Launch-Ana", "/l/Launch-Ana", "/l/Launch-Ana",
                                 "/l/Summer-Cleo", "/l/Summer-Cleo"}) {
            auto res = client->Get(code);
            REQUIRE(res);
            REQUIRE(res->status == 302);
        }
        auto order = [&](const char* ref, int day, int value, const char* code_field,
                         const char* code) {
            auto res =
                send_json(*client, tok, "POST", "/api/v1/conversions",
                          std::string(R"({"shop":"eshop","order_ref":")") + ref + R"(","at":)" +
                              ms(march(day)) + R"(,"value":)" + std::to_string(value) +
                              R"(,"currency":"EUR",")" + code_field + R"(":")" + code + "\"}");
            REQUIRE(res);
            INFO(res->body);
            REQUIRE(res->status == 201);
        };
        order("o1", 12, 12900, "link_code", "Launch-Ana");
        order("o2", 15, 8000, "link_code", "Launch-Ana");
        order("o3", 16, 4500, "promo_code", "CLEO10");
        order("o4", 22, 20000, "link_code", "Summer-Cleo");

        auto user = [&](const char* name, std::vector<std::string> args) {
            std::vector<std::string> cmd = {"user", "add", "--db", setup.db, "--name", name};
            cmd.insert(cmd.end(), args.begin(), args.end());
            const std::string id = cli_ok(cmd);
            return cli_ok({"token", "issue", "--db", setup.db, "--user", id});
        };
        regional_token = user("Rémi Regional", {"--role", "regional", "--regions", north});
        store_token = user("Sam Store", {"--role", "store", "--stores", lille});
        field_token = user("Fay Field", {"--role", "field", "--stores", nice});
        integration_token = user("Boutique", {"--role", "integration"});
    }

    httplib::Result get(const std::string& token, const std::string& path) {
        return client->Get(path.c_str(), bearer(token));
    }
    // GET that must answer 200; the body.
    std::string ok(const std::string& token, const std::string& path) {
        auto res = get(token, path);
        REQUIRE(res);
        INFO(path << " -> " << res->status << " " << res->body.substr(0, 400));
        REQUIRE(res->status == 200);
        return res->body;
    }
};

// The scope a role's user has, as the server builds it (auth: region_stores from the record).
core::ReportScope regional_scope(const ReportsServer& s) {
    core::ReportScope scope;
    scope.global = false;
    scope.regions = {s.north};
    scope.stores = {s.lille};
    return scope;
}

core::ReportQuery query(const std::string& report, core::ReportScope scope) {
    core::ReportQuery q;
    q.report = report;
    q.from = "2026-03-01";
    q.to = "2026-03-31";
    q.now_ms = server::wall_ms();
    q.scope = std::move(scope);
    return q;
}

std::string core_json(core::Store& store, const core::ReportQuery& q) {
    auto r = core::run_report(store, q);
    INFO(q.report << ": " << r.status().to_string());
    REQUIRE(r.is_ok());
    return core::report_json(r.value());
}

// The JSON value of a stage table's row `metric` (amec: metric, value, …).
std::string stage_value(const rapidjson::Document& doc, const std::string& table,
                        const std::string& metric) {
    for (const auto& t : doc["tables"].GetArray()) {
        if (str_member(t, "id") != table) continue;
        for (const auto& row : t["rows"].GetArray())
            if (row[0].IsString() && row[0].GetString() == metric) {
                if (row[1].IsNull()) return "null";
                if (row[1].IsInt64()) return std::to_string(row[1].GetInt64());
                return "?";
            }
    }
    return "missing";
}

const std::string kMarch = "from=2026-03-01&to=2026-03-31";

}  // namespace

TEST_CASE("the reports list names every report", "[server][reports]") {
    ReportsServer s;
    auto doc = parse_json(s.ok(s.tok, "/api/v1/reports"));
    std::vector<std::string> names;
    for (const auto& n : doc["reports"].GetArray()) names.emplace_back(n.GetString());
    CHECK(names ==
          std::vector<std::string>{"amec", "sov", "pyramid", "emv", "attribution", "health"});
}

TEST_CASE("a report over REST is the one core computes over the same record for the caller",
          "[server][reports]") {
    ReportsServer s;
    const std::string base = "/api/v1/reports/amec?" + kMarch;
    struct Asked {
        std::string token, path;
        core::ReportQuery q;
    };
    std::vector<Asked> asked;
    auto ask = [&](const std::string& token, const std::string& extra, core::ReportQuery q) {
        asked.push_back({token, base + extra, std::move(q)});
    };
    const auto id = [](const std::string& t) { return *core::Id128::from_text(t); };
    // Central: the whole record, a campaign, a programme, a region, a group-by, a model.
    ask(s.tok, "", query("amec", {}));
    {
        auto q = query("amec", {});
        q.campaign = id(s.launch);
        ask(s.tok, "&campaign=" + s.launch, q);
        q = query("amec", {});
        q.programme = id(s.spring);
        ask(s.tok, "&programme=" + s.spring, q);
        q = query("amec", {});
        q.region = id(s.north);
        ask(s.tok, "&region=" + s.north, q);
        q = query("amec", {});
        q.group_by = "region";
        q.model = "linear";
        ask(s.tok, "&group_by=region&model=linear", q);
    }
    // Regional: her scope, whole and by campaign.
    ask(s.regional_token, "", query("amec", regional_scope(s)));
    {
        auto q = query("amec", regional_scope(s));
        q.campaign = id(s.launch);
        ask(s.regional_token, "&campaign=" + s.launch, q);
    }
    // Every other report: whatever core gives (a report not built yet fails in both places).
    std::vector<std::pair<std::string, int>> others;
    for (auto name : core::report_names()) {
        if (name == "amec") continue;
        auto res = s.get(s.tok, "/api/v1/reports/" + std::string(name) + "?" + kMarch);
        REQUIRE(res);
        others.emplace_back(std::string(name), res->status);
        if (res->status == 200)
            asked.push_back({s.tok, "/api/v1/reports/" + std::string(name) + "?" + kMarch,
                             query(std::string(name), {})});
    }
    std::vector<std::string> bodies;
    for (const auto& a : asked) bodies.push_back(s.ok(a.token, a.path));

    // The regional manager's figures: her region's posts and contacts only.
    auto central = parse_json(bodies[0]);
    auto north_filter = parse_json(bodies[3]);
    auto regional = parse_json(bodies[5]);
    CHECK(stage_value(central, "outputs", "posts") == "5");
    CHECK(stage_value(regional, "outputs", "posts") == "3");
    CHECK(stage_value(central, "activities", "contacts") == "7");
    CHECK(stage_value(regional, "activities", "contacts") == "4");
    // Where the region's own entries are all that counts, the region filter agrees with scope.
    for (const char* m : {"posts", "reach", "impressions"})
        CHECK(stage_value(regional, "outputs", m) == stage_value(north_filter, "outputs", m));
    CHECK(stage_value(regional, "outtakes", "engagements") ==
          stage_value(north_filter, "outtakes", "engagements"));
    // The contact a Lille device logged with its store and no region is the regional
    // manager's (her region's store, S1), and the region filter counts it too.
    CHECK(stage_value(north_filter, "activities", "contacts") == "4");
    CHECK(stage_value(regional, "activities", "contacts") ==
          stage_value(north_filter, "activities", "contacts"));

    // The same figures from core over the same file, for the same scope.
    REQUIRE(s.server.stop() == 0);
    auto store = server_store(s.setup.db);
    for (std::size_t i = 0; i < asked.size(); ++i) {
        INFO(asked[i].path);
        CHECK(bodies[i] == core_json(*store, asked[i].q));
    }
    for (const auto& [name, status] : others) {
        INFO(name);
        auto r = core::run_report(*store, query(name, {}));
        CHECK(status == (r.is_ok() ? 200 : 500));
    }
}

TEST_CASE("a report downloads as CSV with its file name", "[server][reports]") {
    ReportsServer s;
    auto all = s.get(s.tok, "/api/v1/reports/amec?" + kMarch + "&format=csv");
    REQUIRE(all);
    INFO(all->body.substr(0, 400));
    REQUIRE(all->status == 200);
    CHECK(all->get_header_value("Content-Type") == "text/csv; charset=utf-8");
    CHECK(all->get_header_value("Content-Disposition") ==
          "attachment; filename=\"liaison-amec-2026-03-01-2026-03-31.csv\"");
    auto one =
        s.get(s.regional_token, "/api/v1/reports/amec?" + kMarch + "&format=csv&table=outputs");
    REQUIRE(one);
    REQUIRE(one->status == 200);
    CHECK(one->get_header_value("Content-Disposition") ==
          "attachment; filename=\"liaison-amec-outputs-2026-03-01-2026-03-31.csv\"");
    CHECK(one->body.rfind("metric,value,unit,currency,target,attainment,formula\r\n", 0) == 0);
    // One table as JSON.
    auto json = parse_json(s.ok(s.tok, "/api/v1/reports/amec?" + kMarch + "&table=impact"));
    REQUIRE(json["tables"].Size() == 1);
    CHECK(str_member(json["tables"][0], "id") == "impact");
    // An open period is named so.
    auto open = s.get(s.tok, "/api/v1/reports/amec?format=csv&table=inputs");
    REQUIRE(open);
    CHECK(open->get_header_value("Content-Disposition") ==
          "attachment; filename=\"liaison-amec-inputs-open-open.csv\"");

    REQUIRE(s.server.stop() == 0);
    auto store = server_store(s.setup.db);
    auto central = core::run_report(*store, query("amec", {}));
    REQUIRE(central.is_ok());
    CHECK(all->body == core::report_csv(central.value()).value());
    auto regional = core::run_report(*store, query("amec", regional_scope(s)));
    REQUIRE(regional.is_ok());
    CHECK(one->body == core::report_csv(regional.value(), "outputs").value());
}

TEST_CASE("bad report parameters are refused naming the parameter", "[server][reports]") {
    ReportsServer s;
    auto refused = [&](const std::string& query, int status, const std::string& field) {
        auto res = s.get(s.tok, "/api/v1/reports/amec?" + query);
        REQUIRE(res);
        INFO(query << " -> " << res->body);
        CHECK(res->status == status);
        CHECK_FALSE(api_error(res->body).empty());
        if (!field.empty()) CHECK(str_member(parse_json(res->body)["error"], "field") == field);
    };
    refused("campaign=not-an-id", 400, "campaign");
    refused("programme=" + std::string(26, 'U'), 400, "programme");
    refused("colour=red", 400, "colour");
    refused("from=2026-03-01&from=2026-04-01", 400, "from");
    refused("market=" + std::string(65, 'F'), 400, "market");
    refused("from=2026-13-01", 400, "from");
    refused("from=2026-03-10&to=2026-03-01", 400, "to");
    refused("group_by=colour", 400, "group_by");
    refused("currency=euro", 400, "currency");
    refused("model=magic", 400, "model");
    refused("format=pdf", 400, "format");
    refused("table=nothing", 404, "table");
    refused("format=csv&table=nothing", 404, "table");
    auto unknown = s.get(s.tok, "/api/v1/reports/horoscope");
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    CHECK(api_error(unknown->body) == "not_found");
    auto deeper = s.get(s.tok, "/api/v1/reports/amec/inputs");
    REQUIRE(deeper);
    CHECK(deeper->status == 404);
    auto post = send_json(*s.client, s.tok, "POST", "/api/v1/reports/amec", "{}");
    REQUIRE(post);
    CHECK(post->status == 405);
    auto listed = s.get(s.tok, "/api/v1/reports?x=1");
    REQUIRE(listed);
    CHECK(listed->status == 400);
}

TEST_CASE("every role but the integration reads reports", "[server][reports]") {
    ReportsServer s;
    for (const auto& token :
         {s.setup.admin_token, s.tok, s.regional_token, s.store_token, s.field_token}) {
        s.ok(token, "/api/v1/reports");
        s.ok(token, "/api/v1/reports/amec?" + kMarch);
    }
    auto res = s.get(s.integration_token, "/api/v1/reports/amec?" + kMarch);
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(api_error(res->body) == "forbidden");
    res = s.get(s.integration_token, "/api/v1/reports");
    REQUIRE(res);
    CHECK(res->status == 403);
    // A store sees its store's figures: Lille's posts are Ana's and Ben's.
    auto store = parse_json(s.ok(s.store_token, "/api/v1/reports/amec?" + kMarch));
    CHECK(stage_value(store, "outputs", "posts") == "3");
    auto field = parse_json(s.ok(s.field_token, "/api/v1/reports/amec?" + kMarch));
    CHECK(stage_value(field, "outputs", "posts") == "2");
}

TEST_CASE("only the central team writes the report settings", "[server][reports]") {
    ReportsServer s;
    const std::string body = R"({"key":"emv_enabled","value":"true"})";
    auto store = send_json(*s.client, s.store_token, "POST", "/api/v1/settings", body);
    REQUIRE(store);
    INFO(store->body);
    CHECK(store->status == 403);
    auto regional = send_json(*s.client, s.regional_token, "POST", "/api/v1/settings", body);
    REQUIRE(regional);
    CHECK(regional->status == 403);
    const std::string id = create(*s.client, s.tok, "settings", body);
    // Read back, and a store still cannot change it.
    auto patch = send_json(*s.client, s.store_token, "PATCH", "/api/v1/settings/" + id,
                           R"({"value":"false"})");
    REQUIRE(patch);
    CHECK((patch->status == 403 || patch->status == 404));
    auto report = parse_json(s.ok(s.tok, "/api/v1/reports/amec?" + kMarch));
    CHECK(str_member(report["settings"], "emv_enabled") == "true");
    // An exchange rate likewise.
    auto fx = send_json(*s.client, s.store_token, "POST", "/api/v1/fx-rates",
                        R"({"date":"2026-03-01","base":"EUR","quote":"GBP","rate":850000})");
    REQUIRE(fx);
    CHECK(fx->status == 403);
    create(*s.client, s.tok, "fx-rates",
           R"({"date":"2026-03-01","base":"EUR","quote":"GBP","rate":850000})");
}

}  // namespace liaison::test::server_reports_http

namespace liaison::test::server_reports_http {

TEST_CASE("the reports routes have their own metric labels", "[server][reports]") {
    CHECK(server::rest_route("/api/v1/reports") == "/api/v1/reports");
    CHECK(server::rest_route("/api/v1/reports/amec") == "/api/v1/reports/{name}");
    CHECK(server::rest_route("/api/v1/reports/amec/x") == "/api/v1/reports/{other}");
}

}  // namespace liaison::test::server_reports_http
