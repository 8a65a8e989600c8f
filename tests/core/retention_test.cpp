// Who the retention rules make due (core/query/retention.hpp, docs/COMPLIANCE.md "Retention"),
// on a real SQLite store: the period counted in calendar months from the last contact (or the
// record's creation), the people listed apart (legal hold, an open request, a collaboration
// under way), who "prospect" is, and a rule table edited without touching code.
#include "core/query/retention.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"
#include "sync/replica.hpp"

namespace liaison::test::core_retention {
namespace {

using core::Id128;
using core::Kind;
using core::RetentionState;
using core::compliance::RuleSet;

// Milliseconds at noon UTC of a YYYY-MM-DD day (days from the civil date, proleptic Gregorian).
std::int64_t noon(const std::string& day) {
    int y = std::stoi(day.substr(0, 4));
    const int m = std::stoi(day.substr(5, 2)), d = std::stoi(day.substr(8, 2));
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = std::int64_t(era) * 146097 + doe - 719468;
    return days * 86'400'000 + 43'200'000;
}

struct World {
    TempDir dir;
    // Records are created on 2023-01-10 unless a test moves the clock on.
    sync::ManualTimeSource time{std::uint64_t(noon("2023-01-10"))};
    std::unique_ptr<Node> node = open_node(dir.file("r.db"), time, 19);
    sync::Replica& r = *node->replica;

    Id128 person(const std::string& name, const std::string& tier,
                 const std::vector<std::string>& roles = {}) {
        std::vector<sync::FieldWrite> f = {{"name", name}};
        if (!tier.empty()) f.push_back({"tier", tier});
        auto id = r.create(Kind::kInfluencer, std::move(f));
        REQUIRE(id.is_ok());
        for (const auto& role : roles)
            REQUIRE(r.add(Kind::kInfluencer, *id, "roles", role).is_ok());
        return id.value();
    }
    void contact(const Id128& who, const std::string& day) {
        REQUIRE(r.create(Kind::kInteraction, {{"influencer", who.to_text()},
                                              {"at", noon(day)},
                                              {"touchpoint", std::string("email")},
                                              {"department", std::string("pr")}})
                    .is_ok());
    }
    core::RetentionReport report(const std::string& today,
                                 const RuleSet& rules = RuleSet::builtin()) {
        auto rep = core::due_for_retention(r.store(), rules, today);
        REQUIRE(rep.is_ok());
        return std::move(rep).value();
    }
    RetentionState state(const Id128& who, const std::string& today) {
        auto v = core::retention_verdict(r.store(), RuleSet::builtin(), today, who);
        REQUIRE(v.is_ok());
        return v->state;
    }
};

const core::RetentionCandidate* find(const std::vector<core::RetentionCandidate>& list,
                                     const Id128& who) {
    for (const auto& c : list)
        if (c.person == who) return &c;
    return nullptr;
}

// The built-in tables with the gdpr table's `from` replaced by `to`, parsed.
RuleSet edited_gdpr(const std::string& from, const std::string& to) {
    std::vector<std::string> texts;
    bool replaced = false;
    for (std::string_view t : core::compliance::builtin_table_texts()) {
        std::string text(t);
        const auto at = text.find(from);
        if (text.find("\"table\": \"gdpr\"") != std::string::npos && at != std::string::npos) {
            text.replace(at, from.size(), to);
            replaced = true;
        }
        texts.push_back(std::move(text));
    }
    REQUIRE(replaced);
    auto parsed = RuleSet::parse(std::vector<std::string_view>(texts.begin(), texts.end()));
    REQUIRE(parsed.is_ok());
    return std::move(parsed).value();
}

}  // namespace

TEST_CASE("a prospect is due the rule's months after her last contact and not the day before",
          "[retention]") {
    World w;
    const Id128 ana = w.person("Ana Moreau", "prospect");
    w.contact(ana, "2023-03-31");
    const Id128 bea = w.person("Béa Lambert", "", {"prospect"});  // never contacted
    CHECK(w.report("2025-03-30").due.size() == 1);                // Béa only
    auto rep = w.report("2025-03-31");
    REQUIRE(rep.due.size() == 2);
    CHECK(rep.rules == "gdpr/1");
    CHECK(rep.today == "2025-03-31");
    // Oldest due first: Béa since 2025-01-10 (created 2023-01-10, never contacted).
    CHECK(rep.due[0].person == bea);
    CHECK(rep.due[0].last_contact.empty());
    CHECK(rep.due[0].created == "2023-01-10");
    CHECK(rep.due[0].due_since == "2025-01-10");
    CHECK(rep.due[1].person == ana);
    CHECK(rep.due[1].name == "Ana Moreau");
    CHECK(rep.due[1].rule == "prospect_no_contact");
    CHECK(rep.due[1].last_contact == "2023-03-31");
    CHECK(rep.due[1].last_contact_kind == "interaction");
    CHECK(rep.due[1].due_since == "2025-03-31");
    // The never-contacted one: due from her creation day plus 24 months, not the day before.
    CHECK(w.report("2025-01-09").due.empty());
    CHECK(w.state(bea, "2025-01-09") == RetentionState::kNotDue);
    CHECK(w.state(bea, "2025-01-10") == RetentionState::kDue);
    // Calendar months: a contact on 29 February is due on 28 February two years later.
    const Id128 cleo = w.person("Cléo Marin", "prospect");
    w.contact(cleo, "2024-02-29");
    CHECK(w.state(cleo, "2026-02-27") == RetentionState::kNotDue);
    CHECK(w.state(cleo, "2026-02-28") == RetentionState::kDue);
}

TEST_CASE("a legal hold an open request or a collaboration under way list her apart",
          "[retention]") {
    World w;
    const Id128 held = w.person("Hélène Garde", "prospect");
    REQUIRE(w.r.set(Kind::kInfluencer, held, {{"legal_hold", std::int64_t(1)}}).is_ok());
    const Id128 asking = w.person("Inès Demande", "prospect");
    const Id128 request = w.r.create(Kind::kGdprRequest, {{"influencer", asking.to_text()},
                                                          {"type", std::string("access")},
                                                          {"received", std::string("2023-01-10")},
                                                          {"status", std::string("open")}})
                              .value();
    const Id128 working = w.person("Jade Travail", "prospect");
    const Id128 live = w.r.create(Kind::kCollaboration, {{"influencer", working.to_text()},
                                                         {"type", std::string("gifted")},
                                                         {"status", std::string("live")}})
                           .value();
    const Id128 plain = w.person("Kim Simple", "prospect");

    auto rep = w.report("2025-06-01");
    REQUIRE(rep.due.size() == 1);
    CHECK(rep.due[0].person == plain);
    REQUIRE(find(rep.held, held));
    CHECK(find(rep.held, held)->reason == "legal_hold");
    CHECK(find(rep.held, held)->due_since == "2025-01-10");
    REQUIRE(find(rep.skipped, asking));
    CHECK(find(rep.skipped, asking)->reason == "open_gdpr_request");
    REQUIRE(find(rep.skipped, working));
    CHECK(find(rep.skipped, working)->reason == "open_collaboration");
    // The collaboration counts as a contact on its creation day.
    CHECK(find(rep.skipped, working)->last_contact == "2023-01-10");
    CHECK(find(rep.skipped, working)->last_contact_kind == "collaboration");

    // The request answered, the collaboration closed, the hold lifted: all three are due.
    REQUIRE(w.r.set(Kind::kGdprRequest, request, {{"status", std::string("done")}}).is_ok());
    REQUIRE(w.r.set(Kind::kCollaboration, live, {{"status", std::string("closed")}}).is_ok());
    REQUIRE(w.r.set(Kind::kInfluencer, held, {{"legal_hold", std::int64_t(0)}}).is_ok());
    rep = w.report("2025-06-01");
    CHECK(rep.due.size() == 4);
    CHECK(rep.held.empty());
    CHECK(rep.skipped.empty());
    // A hold set now wins in the one-person check an approved run makes.
    REQUIRE(w.r.set(Kind::kInfluencer, plain, {{"legal_hold", std::int64_t(1)}}).is_ok());
    CHECK(w.state(plain, "2025-06-01") == RetentionState::kHeld);
}

TEST_CASE("a later contact of any kind keeps her even one logged on a merged duplicate",
          "[retention]") {
    World w;
    const Id128 event = w.r.create(Kind::kEvent, {{"name", std::string("Vernissage")},
                                                  {"starts", noon("2023-01-10")}})
                            .value();
    const Id128 ana = w.person("Ana Moreau", "prospect");
    const Id128 bea = w.person("Béa Lambert", "prospect");
    const Id128 cleo = w.person("Cléo Marin", "prospect");
    const Id128 copy = w.person("C. Marin", "prospect");
    // Eighteen months later: a check-in, a post, and a contact on Cléo's duplicate.
    w.time.set(std::uint64_t(noon("2024-07-01")));
    REQUIRE(w.r.create(Kind::kCheckin, {{"event", event.to_text()},
                                        {"influencer", ana.to_text()},
                                        {"at", noon("2024-07-01")}})
                .is_ok());
    REQUIRE(w.r.create(Kind::kContent, {{"influencer", bea.to_text()},
                                        {"platform", std::string("instagram")},
                                        {"url", std::string("https://example.com/p/1")},
                                        {"published_at", noon("2024-07-02")}})
                .is_ok());
    w.contact(copy, "2024-07-03");
    REQUIRE(w.r.merge(copy, cleo).is_ok());
    const std::string today = "2025-06-01";  // 24 months after their creation
    CHECK(w.report(today).due.empty());
    CHECK(w.state(ana, today) == RetentionState::kNotDue);
    CHECK(w.state(cleo, today) == RetentionState::kNotDue);
    auto later = w.report("2026-07-02");
    REQUIRE(later.due.size() == 2);  // Ana and Béa; Cléo's contact was on the 3rd
    CHECK(later.due[0].person == ana);
    CHECK(later.due[0].last_contact_kind == "checkin");
    CHECK(later.due[1].person == bea);
    CHECK(later.due[1].last_contact_kind == "content");
    CHECK(later.due[1].last_contact == "2024-07-02");
}

TEST_CASE("a person the record places anywhere but prospect is never due", "[retention]") {
    World w;
    w.person("Top Prospect", "top", {"prospect"});
    w.person("Customer Prospect", "prospect", {"customer"});
    w.person("Two Roles", "", {"prospect", "journalist"});
    w.person("Nobody Said", "");
    w.person("An Advocate", "advocate");
    const Id128 only = w.person("Only Prospect", "prospect", {"prospect"});
    auto rep = w.report("2030-01-01");
    REQUIRE(rep.due.size() == 1);
    CHECK(rep.due[0].person == only);
    CHECK(rep.held.empty());
    CHECK(rep.skipped.empty());
}

TEST_CASE("editing the retention rule changes who is due without touching code", "[retention]") {
    World w;
    const Id128 ana = w.person("Ana Moreau", "prospect");
    w.contact(ana, "2023-06-15");
    const Id128 dana = w.person("Dana Presse", "", {"journalist"});
    const std::string today = "2024-12-31";  // 18 months after Ana's contact
    CHECK(w.report(today).due.empty());
    const RuleSet twelve =
        edited_gdpr("\"months_without_contact\": 24", "\"months_without_contact\": 12");
    auto rep = w.report(today, twelve);
    REQUIRE(rep.due.size() == 1);
    CHECK(rep.due[0].person == ana);
    CHECK(rep.due[0].due_since == "2024-06-15");
    // Another `who`: the journalists instead.
    const RuleSet press = edited_gdpr("\"who\": \"prospect\"", "\"who\": \"journalist\"");
    rep = w.report("2025-01-10", press);
    REQUIRE(rep.due.size() == 1);
    CHECK(rep.due[0].person == dana);
    // A `who` the record cannot hold is refused, not read as nobody.
    const RuleSet unknown = edited_gdpr("\"who\": \"prospect\"", "\"who\": \"alumni\"");
    auto bad = core::due_for_retention(w.r.store(), unknown, today);
    REQUIRE_FALSE(bad.is_ok());
    CHECK(bad.status().detail().find("neither a tier nor a role") != std::string::npos);
    CHECK_FALSE(core::due_for_retention(w.r.store(), twelve, "2024-02-30").is_ok());
}

TEST_CASE("an erased or unknown person is not due", "[retention]") {
    World w;
    const Id128 ana = w.person("Ana Moreau", "prospect");
    CHECK(w.state(ana, "2025-06-01") == RetentionState::kDue);
    REQUIRE(w.r.erase(Kind::kInfluencer, ana).is_ok());
    CHECK(w.state(ana, "2025-06-01") == RetentionState::kNotDue);
    CHECK(w.report("2025-06-01").due.empty());
    CHECK(w.state(Id128::derive("t", "no", "one"), "2025-06-01") == RetentionState::kNotDue);
}

}  // namespace liaison::test::core_retention
