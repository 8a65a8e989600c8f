// Likely duplicate pairs across the record (core/query/duplicate_pairs.hpp, rules DP1–DP5).
#include "core/query/duplicate_pairs.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test::core_duplicate_pairs {
namespace {

using core::DuplicatePair;
using core::Id128;
using core::Kind;
using sync::FieldWrite;

struct Record {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<Node> node = open_node(dir.file("pairs.db"), time, 12);
    sync::Replica& r = *node->replica;

    Id128 person(const std::string& name, std::vector<FieldWrite> more = {},
                 std::vector<std::string> handles = {}) {
        return add_person(r, name, std::move(more), handles);
    }
    std::vector<DuplicatePair> pairs() {
        auto found = core::find_duplicate_pairs(r.store());
        REQUIRE(found.is_ok());
        return found.value();
    }
};

std::string reasons(const DuplicatePair& p) {
    std::string s;
    for (const auto& r : p.reasons) s += (s.empty() ? "" : ",") + r;
    return s;
}

bool same(const DuplicatePair& p, const Id128& x, const Id128& y) {
    return p.a == std::min(x, y) && p.b == std::max(x, y);
}

TEST_CASE("DP1: people sharing a handle, an e-mail, a phone or a folded name are paired",
          "[core][query][duplicate_pairs]") {
    Record rec;
    Id128 h1 = rec.person("Ana Lima", {}, {"instagram:Ana.Lima:1200"});
    Id128 h2 = rec.person("A. L.", {}, {"Instagram:@ana.lima:0"});
    Id128 e1 = rec.person("Bea Roux", {{"email", std::string("Bea@Example.com")}});
    Id128 e2 = rec.person("B Roux", {{"email", std::string("bea@example.COM")}});
    Id128 p1 = rec.person("Cid Mora", {{"phone", std::string("+33 6 12 34 56 78")}});
    Id128 p2 = rec.person("C Mora", {{"phone", std::string("06.12.34.56.78")}});
    Id128 n1 = rec.person("Zoé Nouvelle-Venue");
    Id128 n2 = rec.person("Venue, ZOE nouvelle");
    // Another platform's handle of the same name, another number: no pair.
    rec.person("Paul Durand", {{"phone", std::string("+33 6 12 34 56 79")}}, {"tiktok:ana.lima:5"});
    auto pairs = rec.pairs();
    REQUIRE(pairs.size() == 4);
    auto find = [&](const Id128& x, const Id128& y) -> std::string {
        for (const auto& p : pairs)
            if (same(p, x, y)) return reasons(p);
        return "(none)";
    };
    CHECK(find(h1, h2) == "handle");
    CHECK(find(e1, e2) == "email");
    CHECK(find(p1, p2) == "phone");
    CHECK(find(n1, n2) == "name");
    for (const auto& p : pairs) CHECK(p.a < p.b);
}

TEST_CASE("DP1, DP5: a pair lists every key it shares and pairs with more keys come first",
          "[core][query][duplicate_pairs]") {
    Record rec;
    Id128 a = rec.person("Jean Moreau", {{"email", std::string("jean@example.fr")}});
    Id128 b =
        rec.person("Jean Moreau", {{"email", std::string("JEAN@example.fr")}}, {"x:jean.m:0"});
    Id128 c = rec.person("Anne Bloch", {}, {"x:jean.m:10"});
    Id128 d = rec.person("Anne Bloch");
    auto pairs = rec.pairs();
    REQUIRE(pairs.size() == 3);
    CHECK(same(pairs[0], a, b));
    CHECK(reasons(pairs[0]) == "email,name");
    // Then the pairs of one key each (b-c by handle, c-d by name).
    CHECK(reasons(pairs[1]).find(',') == std::string::npos);
    CHECK(reasons(pairs[2]).find(',') == std::string::npos);
    CHECK((same(pairs[1], c, d) || same(pairs[2], c, d)));
    CHECK((same(pairs[1], b, c) || same(pairs[2], b, c)));
}

TEST_CASE("DP2: a merged person is represented by her survivor and an erased one by nobody",
          "[core][query][duplicate_pairs]") {
    Record rec;
    Id128 a = rec.person("Lou Garnier", {{"email", std::string("lou@example.fr")}});
    Id128 b = rec.person("Lou Garnier", {{"email", std::string("lou@example.fr")}});
    Id128 c = rec.person("L. G.", {{"email", std::string("lou@example.fr")}});
    REQUIRE(rec.pairs().size() == 3);
    REQUIRE(rec.r.merge(std::max(a, b), std::min(a, b)).is_ok());
    auto pairs = rec.pairs();
    REQUIRE(pairs.size() == 1);
    CHECK(same(pairs[0], std::min(a, b), c));
    REQUIRE(rec.r.erase(Kind::kInfluencer, c).is_ok());
    CHECK(rec.pairs().empty());
}

TEST_CASE("DP3: a pair either person lists as distinct is left out, following merges",
          "[core][query][duplicate_pairs]") {
    Record rec;
    Id128 a = rec.person("Eva Petit", {{"email", std::string("eva@example.fr")}});
    Id128 b = rec.person("Eva Petit");
    Id128 c = rec.person("Eva Petit");
    REQUIRE(rec.pairs().size() == 3);
    REQUIRE(rec.r.add(Kind::kInfluencer, b, "distinct_from", a.to_text()).is_ok());
    auto pairs = rec.pairs();
    REQUIRE(pairs.size() == 2);
    for (const auto& p : pairs) CHECK_FALSE(same(p, a, b));
    // a and c merged: whichever survives stands for a, whom b found distinct, so b and the
    // survivor are no pair either.
    REQUIRE(rec.r.merge(std::max(a, c), std::min(a, c)).is_ok());
    CHECK(rec.pairs().empty());
}

TEST_CASE("DP4: a key shared by more than kMaxDuplicateGroup people yields no pair",
          "[core][query][duplicate_pairs]") {
    Record rec;
    for (std::size_t i = 0; i <= core::kMaxDuplicateGroup; ++i)
        rec.person("Marie Martin " + std::to_string(i),
                   {{"email", std::string("contact@agency.example")}});
    CHECK(rec.pairs().empty());
    Record few;
    for (std::size_t i = 0; i < core::kMaxDuplicateGroup; ++i)
        few.person("Marie Martin " + std::to_string(i),
                   {{"email", std::string("contact@agency.example")}});
    CHECK(few.pairs().size() == core::kMaxDuplicateGroup * (core::kMaxDuplicateGroup - 1) / 2);
}

}  // namespace
}  // namespace liaison::test::core_duplicate_pairs
