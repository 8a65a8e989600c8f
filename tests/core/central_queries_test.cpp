// The record's queries on the central record (PostgreSQL under LIAISON_TEST_BACKEND=postgres)
// answer as they do on the device's SQLite replica of the same record: the reports fixture's
// record, pushed to a hub, queried on both sides (docs/STORAGE.md, "Two backends").
#include <catch2/catch.hpp>

#include "core/compliance/rules.hpp"
#include "core/query/compliance_issues.hpp"
#include "core/query/duplicate_pairs.hpp"
#include "core/query/events.hpp"
#include "core/query/queries.hpp"
#include "core/query/retention.hpp"
#include "core/query/view.hpp"
#include "support/reports_fixture.hpp"

namespace liaison::test::core_central_queries {
namespace {

using core::Id128;
using core::Kind;

template <typename T>
T ok(Result<T> r) {
    INFO(r.status().to_string());
    REQUIRE(r.is_ok());
    return std::move(r).value();
}

// A query's answer on both stores, as text, for one comparison.
struct Both {
    std::string device, central;
};

}  // namespace

TEST_CASE("the central record's events lists and card answer as the device's replica",
          "[query][events][view][central]") {
    ReportsFixture f;
    auto& r = *f.node->replica;
    auto text = [](const char* v) { return core::Value(std::string(v)); };
    auto invite = [&](const char* who, const char* status) {
        std::vector<sync::FieldWrite> fields = {{"event", f.ref("PARTY")},
                                                {"influencer", f.ref(who)},
                                                {"at", core::Value(kReportsNow)}};
        if (status) fields.push_back({"status", text(status)});
        REQUIRE(r.create(Kind::kInvitation, std::move(fields),
                         Id128::derive("invitation", f.id.at("PARTY"), f.id.at(who)))
                    .is_ok());
    };
    invite("Ana", "accepted");
    invite("Ben", "cancelled");
    invite("Eve", nullptr);
    invite("Dan", "declined");
    // Names whose order differs between a byte-wise, a case-blind and a locale's collation.
    f.make(Kind::kInfluencer, "adam", {{"name", text("adam")}});
    f.make(Kind::kInfluencer, "bob", {{"name", text("bob")}});
    f.make(Kind::kInfluencer, "Emile", {{"name", text("Émile")}});
    f.make(Kind::kEvent, "EARLY",
           {{"name", text("Early")}, {"starts", core::Value(utc("2026-01-10"))}});

    auto on = [&](auto&& query) {
        Both b;
        b.device = query(r.store());
        b.central = query(f.store());
        return b;
    };
    const Both events = on([&](core::Store& s) {
        std::string out;
        for (const auto& e : ok(core::list_events(s)))
            out += e.row.id.to_text() + " " + std::to_string(e.checked_in) + " " +
                   std::to_string(e.invited) + " " + std::to_string(e.accepted) + "\n";
        return out;
    });
    CHECK(events.central == events.device);
    // Latest first; the party with 2 check-ins and 3 invitations not cancelled, 1 accepted.
    CHECK(events.device == f.ref("PARTY") + " 2 3 1\n" + f.ref("EARLY") + " 0 0 0\n");

    const Both checkins = on([&](core::Store& s) {
        std::string out;
        for (const auto& c : ok(core::event_checkins(s, f.id.at("PARTY"), 100)))
            out += c.id.to_text() + " " + std::to_string(c.at) + " " + c.influencer_name + "\n";
        return out;
    });
    CHECK(checkins.central == checkins.device);
    const Both attendance = on([&](core::Store& s) {
        const auto a = ok(core::event_attendance(s, f.id.at("PARTY")));
        std::string out = std::to_string(a.invited) + " " + std::to_string(a.accepted) + " " +
                          std::to_string(a.declined) + " " + std::to_string(a.cancelled) + " " +
                          std::to_string(a.checked_in) + " " + std::to_string(a.uninvited);
        for (const auto& g : a.guests) out += "\n" + g.name + " " + g.status;
        return out;
    });
    CHECK(attendance.central == attendance.device);

    // SQLite's COLLATE NOCASE folds ASCII only: "Émile" sorts after every ASCII name.
    const int name = core::kind_def(Kind::kInfluencer).field_index("name");
    const Both listed = on([&](core::Store& s) {
        std::string out;
        for (const auto& row : ok(core::list_influencers(s, {}, 100)))
            out += std::get<std::string>(row.values[std::size_t(name)]) + ",";
        return out;
    });
    CHECK(listed.central == listed.device);
    CHECK(listed.device == "adam,Ana,Ben,bob,Cleo,Dan,Eve,Émile,");

    core::CardOptions card;
    card.now_ms = kReportsNow;
    const Both ana = on([&](core::Store& s) {
        return ok(core::card_json(s, f.id.at("Ana"), card)).value_or("none");
    });
    CHECK(ana.central == ana.device);
    const Both timeline = on([&](core::Store& s) {
        std::string out;
        for (const auto& e : ok(core::timeline(s, f.id.at("Ana"))))
            out += e.row.id.to_text() + " " + std::to_string(e.at) + "\n";
        return out;
    });
    CHECK(timeline.central == timeline.device);
}

TEST_CASE("the central record's compliance and retention lists answer as the device's replica",
          "[query][compliance][central]") {
    ReportsFixture f;
    const auto& rules = core::compliance::RuleSet::builtin();
    auto issues = [&](core::Store& s) {
        std::string out;
        core::IssueFilter filter;
        for (const auto& i : ok(core::compliance_issues(s, filter, "2026-03-31", rules)))
            out += i.type + " " + i.person_name + " " + i.due + "\n";
        return out;
    };
    const std::string central = issues(f.store());
    CHECK(central == issues(f.node->replica->store()));
    CHECK_FALSE(central.empty());

    auto retention = [&](core::Store& s) {
        const auto rep = ok(core::due_for_retention(s, rules, "2031-01-01"));
        std::string out;
        for (const auto* list : {&rep.due, &rep.held, &rep.skipped}) {
            for (const auto& c : *list) out += c.name + " " + c.rule + " " + c.last_contact + ",";
            out += "\n";
        }
        return out;
    };
    const std::string due = retention(f.store());
    CHECK(due == retention(f.node->replica->store()));
    CHECK(due != "\n\n\n");

    auto pairs = [&](core::Store& s) {
        std::string out;
        for (const auto& p : ok(core::find_duplicate_pairs(s)))
            out += p.a.to_text() + p.b.to_text() + "\n";
        return out;
    };
    CHECK(pairs(f.store()) == pairs(f.node->replica->store()));
}

}  // namespace liaison::test::core_central_queries
