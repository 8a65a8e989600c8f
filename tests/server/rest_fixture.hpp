// Shared pieces of the REST, GDPR, link, metrics and static-file tests: JSON requests with a
// token, parsed answers, and a company with two stores (each with a store user).
#pragma once

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "fixture.hpp"

namespace liaison::test {

inline rapidjson::Document parse_json(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    INFO(body.substr(0, 400));
    REQUIRE_FALSE(doc.HasParseError());
    return doc;
}

inline std::string str_member(const rapidjson::Value& v, const char* name) {
    auto m = v.FindMember(name);
    if (m == v.MemberEnd() || !m->value.IsString()) return "";
    return std::string(m->value.GetString(), m->value.GetStringLength());
}

// The code of a JSON error body ({"error":{"code","message"}}, messages may hold any text), or
// "" when the body is not one.
inline std::string api_error(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError() || !doc.IsObject() || doc.MemberCount() != 1 || !doc.HasMember("error"))
        return "";
    const auto& e = doc["error"];
    // A third member, "field", names the input the error is about (the administrative routes).
    const bool field = e.IsObject() && e.HasMember("field") && e["field"].IsString();
    if (!e.IsObject() || e.MemberCount() != (field ? 3u : 2u) || !e.HasMember("code") ||
        !e.HasMember("message") || !e["code"].IsString() || !e["message"].IsString() ||
        e["message"].GetStringLength() == 0)
        return "";
    return e["code"].GetString();
}

// A JSON request; the answer must come (status checked by the caller).
inline httplib::Result send_json(httplib::Client& c, const std::string& token, const char* method,
                                 const std::string& path, const std::string& body = "") {
    if (std::string(method) == "GET") return c.Get(path.c_str(), bearer(token));
    if (std::string(method) == "DELETE") return c.Delete(path.c_str(), bearer(token));
    if (std::string(method) == "PATCH")
        return c.Patch(path.c_str(), bearer(token), body, "application/json");
    return c.Post(path.c_str(), bearer(token), body, "application/json");
}

// POST a create; requires 201 and returns the new id.
inline std::string create(httplib::Client& c, const std::string& token,
                          const std::string& collection, const std::string& body) {
    auto res = send_json(c, token, "POST", "/api/v1/" + collection, body);
    REQUIRE(res);
    INFO(collection << " " << body << " -> " << res->body);
    REQUIRE(res->status == 201);
    auto doc = parse_json(res->body);
    std::string id = str_member(doc, "id");
    REQUIRE(id.size() == 26);
    CHECK(res->get_header_value("Location") == "/api/v1/" + collection + "/" + id);
    return id;
}

// The ids of a list's items (requires 200).
inline std::vector<std::string> list_ids(httplib::Client& c, const std::string& token,
                                         const std::string& path) {
    auto res = c.Get(path.c_str(), bearer(token));
    REQUIRE(res);
    INFO(path << " -> " << res->body.substr(0, 300));
    REQUIRE(res->status == 200);
    auto doc = parse_json(res->body);
    REQUIRE(doc.HasMember("items"));
    REQUIRE(doc.HasMember("next_offset"));
    std::vector<std::string> out;
    for (const auto& item : doc["items"].GetArray()) out.push_back(str_member(item, "id"));
    return out;
}

inline bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// A company: a region with two stores, an influencer in each store, and a store user (with a
// token) for the first store. Made through REST by the central user.
struct Company {
    std::string region, store_a, store_b, brand, ana, bea, store_a_user, store_a_token;

    Company(Setup& setup, httplib::Client& c) {
        region = create(c, setup.central_token, "regions", R"({"name":"Île-de-France"})");
        brand = create(c, setup.central_token, "brands", R"({"name":"Maison Lumière"})");
        store_a = create(c, setup.central_token, "stores",
                         R"({"name":"Paris Rivoli","region":")" + region + "\"}");
        store_b = create(c, setup.central_token, "stores",
                         R"({"name":"Lyon Bellecour","region":")" + region + "\"}");
        ana =
            create(c, setup.central_token, "influencers",
                   R"({"name":"Ana Moreau","email":"ana@example.com","store":")" + store_a + "\"}");
        bea = create(
            c, setup.central_token, "influencers",
            R"({"name":"Béa Lambert","email":"bea@example.com","store":")" + store_b + "\"}");
        store_a_user = cli_ok({"user", "add", "--db", setup.db, "--name", "Sam Store", "--role",
                               "store", "--stores", store_a});
        store_a_token = cli_ok({"token", "issue", "--db", setup.db, "--user", store_a_user});
    }
};

}  // namespace liaison::test
