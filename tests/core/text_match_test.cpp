// Search on both backends: the central record's search (a scan on PostgreSQL, FTS5 on SQLite;
// core/query/text_match.hpp) gives the device's FTS5 answers for the same record.
#include <catch2/catch.hpp>

#include "core/query/duplicates.hpp"
#include "core/query/queries.hpp"
#include "support/harness.hpp"
#include "sync/hub.hpp"

namespace liaison::test::core_text_match {
namespace {

using core::Id128;
using core::Kind;

// A device replica whose record is pushed to a hub: the device searches its FTS5 index, the
// hub's central store (PostgreSQL under LIAISON_TEST_BACKEND=postgres) searches its own way.
struct SearchPair {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<Node> device = open_node(dir.file("device.db"), time, 71);
    std::unique_ptr<core::Store> central = open_hub_store(dir.file("central.db"));
    sync::Hub hub{*central, time};

    Id128 person(const std::string& name, const char* email, const char* phone,
                 const std::vector<std::string>& handles = {}) {
        std::vector<sync::FieldWrite> more;
        if (email) more.push_back({"email", std::string(email)});
        if (phone) more.push_back({"phone", std::string(phone)});
        return add_person(*device->replica, name, std::move(more), handles);
    }
    void push() {
        sync::DeviceContext d;
        d.role = sync::Role::kCentral;
        d.scope = sync::Scope::everything();
        sync_until_quiet(*device, hub, d, "search pair");
    }
};

std::vector<Id128> ids_of(const Result<std::vector<core::SearchHit>>& hits) {
    REQUIRE(hits.is_ok());
    std::vector<Id128> out;
    for (const auto& h : hits.value()) out.push_back(h.id);
    return out;
}

}  // namespace

TEST_CASE("the central record's search finds what the device's full-text index finds",
          "[query][search][central]") {
    SearchPair p;
    const Id128 helene = p.person("Hélène Dupont-Roy", "helene@example.com", "+33 6 12 34 56 78",
                                  {"instagram:helene.d"});
    const Id128 hugo = p.person("Hugo DUPRÉ", "hugo@maison.example", nullptr, {"tiktok:hugod"});
    const Id128 ann = p.person("Ann Lee", nullptr, "+44 20 7946 0000");
    const Id128 zoe = p.person("Zoë Martin", "zoe@example.org", nullptr);
    // An erased person is found by neither.
    const Id128 gone = p.person("Dupuis Gone", nullptr, nullptr);
    REQUIRE(p.device->replica->erase(Kind::kInfluencer, gone).is_ok());
    p.push();

    const std::vector<std::pair<std::string, std::vector<Id128>>> cases = {
        {"helene", {helene}}, {"HEL", {helene}},        {"dup", {helene, hugo}},
        {"dupre", {hugo}},    {"hel dup", {helene}},    {"roy", {helene}},
        {"zoe", {zoe}},       {"0612345678", {helene}}, {"+33 6 12 34", {helene}},
        {"7946", {}},  // a phone number matches from its start or its last nine digits
        {"maison", {hugo}},   {"hugod", {hugo}},        {"lee ann", {ann}},
        {"gone", {}},         {"nobody", {}},           {"--", {}},
    };
    for (const auto& [text, want] : cases) {
        INFO("search " << text);
        const auto on_device = ids_of(core::search_influencers(p.device->replica->store(), text));
        const auto central = ids_of(core::search_influencers(*p.central, text));
        CHECK(central == on_device);
        CHECK(central == want);
    }
    // The window keeps the newest matches on both.
    const auto newest = ids_of(core::search_influencers(*p.central, "dup", 1, 1));
    CHECK(newest == ids_of(core::search_influencers(p.device->replica->store(), "dup", 1, 1)));
    CHECK(newest == std::vector<Id128>{hugo});
}

TEST_CASE("the central record's duplicate check finds what the device finds",
          "[query][duplicates][central]") {
    SearchPair p;
    const Id128 helene = p.person("Hélène Dupont", "Helene@Example.com", "+33 6 12 34 56 78",
                                  {"instagram:helene.d"});
    p.person("Helena Other", "other@example.com", nullptr, {"instagram:helene.dx"});
    p.push();
    core::DuplicateQuery q;
    q.name = "helene dup";
    q.email = "helene@example.com";
    q.phone = "06 12 34 56 78";
    q.handles = {"Instagram:@helene.d"};
    auto reasons = [&](core::Store& store) {
        auto hits = core::find_duplicates(store, q, core::kMaxDuplicateHits);
        REQUIRE(hits.is_ok());
        std::vector<std::pair<Id128, std::vector<std::string>>> out;
        for (const auto& h : hits.value()) out.push_back({h.id, h.reasons});
        return out;
    };
    const auto central = reasons(*p.central);
    CHECK(central == reasons(p.device->replica->store()));
    REQUIRE(central.size() == 1);
    CHECK(central[0].first == helene);
    CHECK(central[0].second == std::vector<std::string>{"handle", "email", "phone", "name"});
}

}  // namespace liaison::test::core_text_match
