// What the compliance rules say of one person from the records a replica holds
// (core/query/compliance.hpp): her vetting status from her vetting entries (her merged
// duplicates' too; an unreadable entry left out), the flags her data-subject requests set, and
// which contacts may be logged with her.
#include <catch2/catch.hpp>

#include "core/query/compliance.hpp"
#include "support/harness.hpp"
#include "sync/replica.hpp"

namespace liaison::test::core_compliance_query {
namespace {

using core::Id128;
using core::Kind;
using core::compliance::VettingState;

struct World {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<Node> node = open_node(dir.file("c.db"), time, 11);
    sync::Replica& r = *node->replica;
    const core::compliance::RuleSet& rules = core::compliance::RuleSet::builtin();

    Id128 person(const std::string& name) {
        auto id = r.create(Kind::kInfluencer, {{"name", name}});
        REQUIRE(id.is_ok());
        return id.value();
    }
    // A vetting reviewed on `date`, every guideline passed but `failed`.
    Id128 vet(const Id128& who, const std::string& date, const std::string& failed = "",
              const std::string& expires = "") {
        std::vector<sync::FieldWrite> f = {{"influencer", who.to_text()}, {"reviewed", date}};
        for (const auto& g : rules.vetting.guidelines)
            f.push_back({g.id, std::string(g.id == failed ? "fail" : "pass")});
        if (!expires.empty()) f.push_back({"expires", expires});
        auto id = r.create(Kind::kVetting, std::move(f));
        REQUIRE(id.is_ok());
        return id.value();
    }
    Id128 request(const Id128& who, const std::string& type, const std::string& status) {
        auto id = r.create(Kind::kGdprRequest, {{"influencer", who.to_text()},
                                                {"type", type},
                                                {"received", std::string("2026-11-02")},
                                                {"status", status}});
        REQUIRE(id.is_ok());
        return id.value();
    }
    VettingState state(const Id128& who, const std::string& today) {
        auto v = core::vetting_of(r.store(), who, today, rules);
        REQUIRE(v.is_ok());
        return v->state;
    }
    core::PrivacyFlags flags(const Id128& who) {
        auto f = core::privacy_of(r.store(), who);
        REQUIRE(f.is_ok());
        return f.value();
    }
};

}  // namespace

TEST_CASE("her vetting status is read from her latest readable vetting entry",
          "[compliance][query]") {
    World w;
    const Id128 ana = w.person("Ana Moreau");
    CHECK(w.state(ana, "2026-12-01") == VettingState::kMissing);
    w.vet(ana, "2026-01-10", "brand_values");
    CHECK(w.state(ana, "2026-12-01") == VettingState::kFailed);
    w.vet(ana, "2026-03-01");
    CHECK(w.state(ana, "2026-12-01") == VettingState::kPassed);
    // Valid through the day before its expiry: twelve months after its date by default.
    CHECK(w.state(ana, "2027-02-28") == VettingState::kPassed);
    CHECK(w.state(ana, "2027-03-01") == VettingState::kExpired);
    // An entry whose expiry is not after its date cannot be read: the one before it counts.
    w.vet(ana, "2026-06-01", "price", "2026-05-01");
    CHECK(w.state(ana, "2026-12-01") == VettingState::kPassed);
    // A deleted entry is no longer read.
    const Id128 later = w.vet(ana, "2026-07-01", "price");
    CHECK(w.state(ana, "2026-12-01") == VettingState::kFailed);
    REQUIRE(w.r.remove_entry(Kind::kVetting, later).is_ok());
    CHECK(w.state(ana, "2026-12-01") == VettingState::kPassed);
}

TEST_CASE("a duplicate's vetting and requests follow her into the record she was merged into",
          "[compliance][query]") {
    World w;
    const Id128 ana = w.person("Ana Moreau");
    const Id128 copy = w.person("Ana M.");
    w.vet(copy, "2026-09-01");
    w.request(copy, "objection", "open");
    REQUIRE(w.r.merge(copy, ana).is_ok());
    CHECK(w.state(ana, "2026-12-01") == VettingState::kPassed);
    CHECK(w.flags(ana).objected);
}

TEST_CASE("open or done restrictions and objections bind and refused or withdrawn ones do not",
          "[compliance][query]") {
    World w;
    const Id128 ana = w.person("Ana Moreau");
    CHECK_FALSE(w.flags(ana).restricted);
    const Id128 access = w.request(ana, "access", "open");
    CHECK(w.flags(ana).open_requests == 1);
    CHECK_FALSE(w.flags(ana).restricted);
    CHECK_FALSE(w.flags(ana).objected);
    const Id128 restriction = w.request(ana, "restriction", "done");
    CHECK(w.flags(ana).restricted);
    CHECK(w.flags(ana).open_requests == 1);
    REQUIRE(w.r.set(Kind::kGdprRequest, restriction, {{"status", std::string("refused")}}).is_ok());
    CHECK_FALSE(w.flags(ana).restricted);
    const Id128 objection = w.request(ana, "objection", "open");
    CHECK(w.flags(ana).objected);
    CHECK(w.flags(ana).open_requests == 2);
    // Her status edited back to active changes nothing: the request binds.
    REQUIRE(w.r.set(Kind::kInfluencer, ana, {{"status", std::string("active")}}).is_ok());
    CHECK(w.flags(ana).objected);
    REQUIRE(w.r.set(Kind::kGdprRequest, objection, {{"status", std::string("withdrawn")}}).is_ok());
    CHECK_FALSE(w.flags(ana).objected);
    (void)access;
}

TEST_CASE("a marketing contact is refused with a person who objected and any other is allowed",
          "[compliance][query]") {
    World w;
    const Id128 ana = w.person("Ana Moreau");
    w.request(ana, "objection", "open");
    auto may = [&](const char* tp, const char* dep) {
        return core::may_log_contact(w.r.store(), ana, tp, dep, w.rules);
    };
    for (const char* tp :
         {"email", "social", "phone", "gifting", "loan", "paid_collaboration", "event"}) {
        INFO(tp);
        const Status s = may(tp, "customer_service");
        CHECK(s.code() == Code::kForbidden);
        CHECK(s.detail().find("objected to direct marketing") != std::string::npos);
    }
    for (const char* dep : {"pr", "social", "marketing", "events"}) {
        INFO(dep);
        CHECK(may("store", dep).code() == Code::kForbidden);
    }
    CHECK(may("store", "retail").is_ok());
    CHECK(may("customer_service", "customer_service").is_ok());
    CHECK(may("meeting", "legal").is_ok());
    // Another person is free.
    CHECK(core::may_log_contact(w.r.store(), w.person("Béa Lambert"), "email", "marketing", w.rules)
              .is_ok());
    CHECK(core::is_marketing_contact(w.rules, "other", "marketing"));
    CHECK_FALSE(core::is_marketing_contact(w.rules, "other", "hr"));
}

}  // namespace liaison::test::core_compliance_query
