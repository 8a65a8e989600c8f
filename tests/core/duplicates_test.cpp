// Likely duplicates of a new influencer (core/query/duplicates.hpp).
#include "core/query/duplicates.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test::core_duplicates {
namespace {

using core::DuplicateHit;
using core::DuplicateQuery;
using core::Id128;
using core::Kind;
using sync::FieldWrite;

struct People {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<Node> node = open_node(dir.file("dup.db"), time, 11);
    sync::Replica& r = *node->replica;

    Id128 person(const std::string& name, std::vector<FieldWrite> more = {},
                 std::vector<std::string> handles = {}) {
        return add_person(r, name, std::move(more), handles);
    }
    std::vector<DuplicateHit> find(const DuplicateQuery& q) {
        auto hits = core::find_duplicates(r.store(), q);
        REQUIRE(hits.is_ok());
        return hits.value();
    }
};

std::string reasons(const DuplicateHit& h) {
    std::string s;
    for (const auto& r : h.reasons) s += (s.empty() ? "" : ",") + r;
    return s;
}

TEST_CASE("the same handle on the same platform is a duplicate, whatever its case",
          "[core][query][duplicates]") {
    People p;
    Id128 helene = p.person("Hélène Dupont", {}, {"instagram:helene.dupont:125000"});
    p.person("Someone Else", {}, {"tiktok:helene.dupont:10"});
    DuplicateQuery q;
    q.handles = {"Instagram:@Helene.Dupont"};
    auto hits = p.find(q);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].id == helene);
    CHECK(reasons(hits[0]) == "handle");
    q.handles = {"instagram:helene"};  // a prefix of the handle is another handle
    CHECK(p.find(q).empty());
}

TEST_CASE("e-mail matches ignore case and phones match by digits in either form",
          "[core][query][duplicates]") {
    People p;
    Id128 a = p.person("Ana Lima", {{"email", std::string("Ana.Lima@Example.com")},
                                    {"phone", std::string("+33 6 12 34 56 78")}});
    DuplicateQuery q;
    q.email = "ana.lima@example.COM";
    auto hits = p.find(q);
    REQUIRE(hits.size() == 1);
    CHECK((hits[0].id == a && reasons(hits[0]) == "email"));
    q = {};
    q.phone = "06.12.34.56.78";
    hits = p.find(q);
    REQUIRE(hits.size() == 1);
    CHECK(reasons(hits[0]) == "phone");
    q.phone = "06 12 34 56 79";
    CHECK(p.find(q).empty());
    q.phone = "12";  // too few digits to mean anything
    CHECK(p.find(q).empty());
}

TEST_CASE("names match folded and by the start of every word, with every reason listed",
          "[core][query][duplicates]") {
    People p;
    Id128 helene = p.person("Hélène Dupont", {{"email", std::string("helene@example.fr")}});
    Id128 martin = p.person("Hélène Martin");
    p.person("Paul Durand");
    DuplicateQuery q;
    q.name = "helene dup";
    auto hits = p.find(q);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].id == helene);
    q.name = "HELENE";
    CHECK(p.find(q).size() == 2);
    q.email = "helene@example.fr";
    hits = p.find(q);
    REQUIRE(hits.size() == 2);
    CHECK((hits[0].id == helene && reasons(hits[0]) == "email,name"));  // more reasons first
    CHECK((hits[1].id == martin && reasons(hits[1]) == "name"));
}

TEST_CASE("a duplicate already merged is reported as the record it was merged into",
          "[core][query][duplicates]") {
    People p;
    Id128 a = p.person("Jean Moreau", {{"email", std::string("jean@example.fr")}});
    Id128 b = p.person("J. Moreau", {{"email", std::string("jean@example.fr")}});
    Id128 root = std::min(a, b), alias = std::max(a, b);
    REQUIRE(p.r.merge(alias, root).is_ok());
    DuplicateQuery q;
    q.email = "jean@example.fr";
    auto hits = p.find(q);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].id == root);
}

TEST_CASE("erased people and empty or malformed queries match nothing",
          "[core][query][duplicates]") {
    People p;
    Id128 a = p.person("Zoé Blanc", {{"email", std::string("zoe@example.fr")}}, {"x:zoe.blanc:0"});
    REQUIRE(p.r.erase(Kind::kInfluencer, a).is_ok());
    DuplicateQuery q;
    q.name = "zoe";
    q.email = "zoe@example.fr";
    q.handles = {"x:zoe.blanc"};
    CHECK(p.find(q).empty());
    DuplicateQuery odd;
    odd.name = "\"*)(";
    odd.email = "\"";
    odd.handles = {"", ":", "nonsense", "instagram:"};
    CHECK(p.find(odd).empty());
    CHECK(p.find(DuplicateQuery{}).empty());
}

}  // namespace
}  // namespace liaison::test::core_duplicates
