// JSON views of entities and the influencer card (core/query/view.hpp).
#include "core/query/view.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test {
namespace {

using core::Id128;
using core::Kind;
using sync::FieldWrite;

constexpr std::int64_t kNow = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
constexpr std::int64_t kDay = 86'400'000;

struct World {
    TempDir dir;
    sync::ManualTimeSource time{std::uint64_t(kNow)};
    std::unique_ptr<Node> node = open_node(dir.file("v.db"), time, 7);
    sync::Replica& r = *node->replica;

    Id128 make(Kind kind, std::vector<FieldWrite> fields) {
        auto id = r.create(kind, std::move(fields));
        REQUIRE(id.is_ok());
        return id.value();
    }
    Id128 contact(const Id128& who, std::int64_t at) {
        return make(Kind::kInteraction, {{"influencer", who.to_text()},
                                         {"at", at},
                                         {"touchpoint", std::string("store")},
                                         {"department", std::string("retail")},
                                         {"summary", std::string("<b>hi</b> \"quoted\"")}});
    }
    std::string card(const Id128& id, std::int64_t cap = 3) {
        core::CardOptions o;
        o.now_ms = kNow;
        o.contact_cap = cap;
        auto c = core::card_json(r.store(), id, o);
        REQUIRE(c.is_ok());
        REQUIRE(c.value().has_value());
        return *c.value();
    }
};

bool has(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("an entity renders as one flat object with typed fields and sorted sets",
          "[core][view]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer, {{"name", std::string("Hélène Dupont")},
                                         {"email", std::string("helene@example.fr")}});
    REQUIRE(w.r.add(Kind::kInfluencer, p, "roles", "journalist").is_ok());
    REQUIRE(w.r.add(Kind::kInfluencer, p, "roles", "customer").is_ok());
    Id128 e =
        w.make(Kind::kEvent,
               {{"name", std::string("Launch")}, {"starts", kNow}, {"capacity", std::int64_t(40)}});
    Id128 c = w.make(Kind::kCheckin, {{"event", e.to_text()},
                                      {"influencer", p.to_text()},
                                      {"at", kNow},
                                      {"walk_in", std::int64_t(1)}});

    auto pj = core::entity_json(w.r.store(), Kind::kInfluencer, p);
    REQUIRE(pj.is_ok());
    REQUIRE(pj.value());
    CHECK(*pj.value() == "{\"kind\":\"influencer\",\"id\":\"" + p.to_text() +
                             "\",\"created_at\":" + std::to_string(kNow) +
                             ",\"name\":\"Hélène Dupont\",\"email\":\"helene@example.fr\""
                             ",\"handles\":[],\"roles\":[\"customer\",\"journalist\"],\"topics\":[]"
                             ",\"languages\":[],\"brands\":[],\"tags\":[],\"distinct_from\":[]}");
    auto ej = core::entity_json(w.r.store(), Kind::kEvent, e);
    REQUIRE(ej.is_ok());
    CHECK(has(*ej.value(), "\"capacity\":40"));
    CHECK(has(*ej.value(), "\"starts\":" + std::to_string(kNow)));
    auto cj = core::entity_json(w.r.store(), Kind::kCheckin, c);
    REQUIRE(cj.is_ok());
    CHECK(has(*cj.value(), "\"walk_in\":true"));
}

TEST_CASE("text is escaped so a view can never close a tag or a string", "[core][view]") {
    World w;
    Id128 p =
        w.make(Kind::kInfluencer, {{"name", std::string("</script><img src=x onerror=alert(1)>")}});
    auto pj = core::entity_json(w.r.store(), Kind::kInfluencer, p);
    REQUIRE(pj.is_ok());
    CHECK_FALSE(has(*pj.value(), "<"));
    CHECK(has(*pj.value(), "\\u003c/script\\u003e"));
}

TEST_CASE("a deleted, erased or unknown entity has no view", "[core][view]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer, {{"name", std::string("Ana")}});
    Id128 i = w.contact(p, kNow);
    REQUIRE(w.r.remove_entry(Kind::kInteraction, i).is_ok());
    auto ij = core::entity_json(w.r.store(), Kind::kInteraction, i);
    REQUIRE(ij.is_ok());
    CHECK_FALSE(ij.value().has_value());
    REQUIRE(w.r.erase(Kind::kInfluencer, p).is_ok());
    auto pj = core::entity_json(w.r.store(), Kind::kInfluencer, p);
    REQUIRE(pj.is_ok());
    CHECK_FALSE(pj.value().has_value());
    core::CardOptions o;
    auto card = core::card_json(w.r.store(), p, o);
    REQUIRE(card.is_ok());
    CHECK_FALSE(card.value().has_value());
    auto list = core::entities_json(w.r.store(), Kind::kInfluencer, {p, Id128{}});
    REQUIRE(list.is_ok());
    CHECK(list.value() == "[]");
}

TEST_CASE("the card warns of do-not-contact, paid collaboration, contact pressure and consent",
          "[core][view][card]") {
    World w;
    Id128 owner = w.make(Kind::kStaff, {{"name", std::string("Léa Martin")}});
    Id128 p = w.make(Kind::kInfluencer, {{"name", std::string("Ana")},
                                         {"owner", owner.to_text()},
                                         {"consent", std::string("granted")}});
    // Two contacts in the window, one before it.
    w.contact(p, kNow - kDay);
    w.contact(p, kNow - 29 * kDay);
    w.contact(p, kNow - 31 * kDay);
    std::string calm = w.card(p, 3);
    CHECK(has(calm, "\"warnings\":[]"));
    CHECK(has(calm, "\"contacts_recent\":2"));
    CHECK(has(calm, "\"owner\":{\"kind\":\"staff\",\"id\":\"" + owner.to_text()));
    CHECK(has(calm, "\\u003cb\\u003ehi\\u003c/b\\u003e \\\"quoted\\\""));

    w.contact(p, kNow);
    REQUIRE(
        w.r.set(Kind::kInfluencer, p,
                {{"status", std::string("do_not_contact")}, {"consent", std::string("withdrawn")}})
            .is_ok());
    w.make(Kind::kCollaboration, {{"influencer", p.to_text()},
                                  {"type", std::string("paid")},
                                  {"status", std::string("active")}});
    // Not active: completed, or gifted, or proposed for dates that do not cover today.
    w.make(Kind::kCollaboration, {{"influencer", p.to_text()},
                                  {"type", std::string("paid")},
                                  {"status", std::string("completed")}});
    w.make(Kind::kCollaboration, {{"influencer", p.to_text()},
                                  {"type", std::string("gifted")},
                                  {"status", std::string("active")}});
    w.make(Kind::kCollaboration, {{"influencer", p.to_text()},
                                  {"type", std::string("paid")},
                                  {"status", std::string("proposed")},
                                  {"starts", std::string("2024-01-01")}});
    std::string hot = w.card(p, 3);
    CHECK(has(hot,
              "\"warnings\":[\"do_not_contact\",\"active_paid_collaboration\","
              "\"contact_pressure\",\"consent_missing\"]"));
    CHECK(has(hot, "\"contacts_recent\":3"));
    auto paid = hot.substr(hot.find("\"active_paid\":"));
    paid = paid.substr(0, paid.find("],\"warnings\""));
    CHECK(std::count(paid.begin(), paid.end(), '{') == 1);
}

TEST_CASE("contact pressure counts the last 30 days to the millisecond", "[core][view][card]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer,
                     {{"name", std::string("Ana")}, {"consent", std::string("granted")}});
    w.contact(p, kNow - 30 * kDay);      // the window's first millisecond: counts
    w.contact(p, kNow - 30 * kDay - 1);  // one millisecond before it: does not
    w.contact(p, kNow - 29 * kDay - 1);  // inside
    std::string card = w.card(p, 3);
    CHECK(has(card, "\"contacts_recent\":2"));
    CHECK(has(card, "\"contact_window_days\":30"));
    // At the cap (2 with these three contacts) the warning shows; one under it, it does not.
    CHECK(has(w.card(p, 2), "\"contact_pressure\""));
    CHECK_FALSE(has(w.card(p, 3), "\"contact_pressure\""));
}

TEST_CASE("a proposed paid collaboration whose dates cover today counts as active",
          "[core][view][card]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer,
                     {{"name", std::string("Ana")}, {"consent", std::string("granted")}});
    w.make(Kind::kCollaboration, {{"influencer", p.to_text()},
                                  {"type", std::string("paid")},
                                  {"starts", std::string("2023-11-01")},
                                  {"ends", std::string("2023-11-14")}});
    CHECK(has(w.card(p), "\"warnings\":[\"active_paid_collaboration\"]"));
}

TEST_CASE("the card of a merged duplicate shows both timelines under the surviving record",
          "[core][view][card]") {
    World w;
    Id128 a = w.make(Kind::kInfluencer, {{"name", std::string("Ana B")}});
    Id128 b = w.make(Kind::kInfluencer, {{"name", std::string("Ana Bello")}});
    Id128 ia = w.contact(a, kNow - 2 * kDay);
    Id128 ib = w.contact(b, kNow - kDay);
    REQUIRE(w.r.merge(b, a).is_ok());
    std::string card = w.card(b);
    CHECK(has(card, ia.to_text()));
    CHECK(has(card, ib.to_text()));
    CHECK(has(card, "\"contacts_recent\":2"));
    CHECK(has(card, "\"merged_ids\":[\""));
    // Newest first.
    CHECK(card.find(ib.to_text()) < card.find(ia.to_text()));
}

}  // namespace liaison::test

namespace liaison::test {

TEST_CASE("a timeline filter hides entries from the card but not from its counts",
          "[core][view][card]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer, {{"name", std::string("Ana")}});
    Id128 kept = w.contact(p, kNow - kDay);
    Id128 hidden = w.contact(p, kNow - 2 * kDay);
    core::CardOptions o;
    o.now_ms = kNow;
    o.timeline_filter = [&](const core::RowState& row) { return row.id != hidden; };
    auto card = core::card_json(w.r.store(), p, o);
    REQUIRE(card.is_ok());
    REQUIRE(card.value());
    CHECK(has(*card.value(), kept.to_text()));
    CHECK_FALSE(has(*card.value(), hidden.to_text()));
    CHECK(has(*card.value(), "\"contacts_recent\":2"));
}

}  // namespace liaison::test

namespace liaison::test {

TEST_CASE(
    "a department's follow-up stays open on the card until it is marked done or that department "
    "logs "
    "its next contact",
    "[core][view][card]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer, {{"name", std::string("Ana")}});
    auto log = [&](std::int64_t at, const char* department, std::vector<FieldWrite> extra) {
        std::vector<FieldWrite> f = {{"influencer", p.to_text()},
                                     {"at", at},
                                     {"touchpoint", std::string("store")},
                                     {"department", std::string(department)}};
        for (auto& e : extra) f.push_back(std::move(e));
        return w.make(Kind::kInteraction, std::move(f));
    };
    // Retail asked for a follow-up, then logged its next contact: that one is done.
    Id128 done = log(kNow - 5 * kDay, "retail", {{"follow_up", std::string("send the catalogue")}});
    log(kNow - 4 * kDay, "retail", {});
    // PR's follow-up, with a date only; then a contact by another department, which does not close
    // it.
    Id128 pr = log(kNow - 3 * kDay, "pr", {{"follow_up_due", std::string("2023-12-01")}});
    // Events' follow-up with text and date, the latest of its department.
    Id128 events = log(kNow - 2 * kDay, "events",
                       {{"follow_up", std::string("invite to the gala")},
                        {"follow_up_due", std::string("2023-11-20")}});
    log(kNow - kDay, "marketing", {});

    const std::string card = w.card(p);
    const auto open_at = card.find("\"follow_ups\":[");
    REQUIRE(open_at != std::string::npos);
    const std::string open = card.substr(open_at, card.find("],\"", open_at) - open_at);
    CHECK_FALSE(has(open, done.to_text()));
    CHECK_FALSE(has(open, "send the catalogue"));
    // Soonest due first.
    const auto e = open.find(events.to_text()), r = open.find(pr.to_text());
    REQUIRE(e != std::string::npos);
    REQUIRE(r != std::string::npos);
    CHECK(e < r);
    CHECK(has(open, "invite to the gala"));
    CHECK(has(open, "\"follow_up_due\":\"2023-12-01\""));

    // Marked done (record model 4): PR's follow-up leaves the list; events' stays.
    REQUIRE(w.r.set(Kind::kInteraction, pr, {{"follow_up_done", std::int64_t(1)}}).is_ok());
    const std::string after = w.card(p);
    const auto after_at = after.find("\"follow_ups\":[");
    const std::string still = after.substr(after_at, after.find("],\"", after_at) - after_at);
    CHECK_FALSE(has(still, pr.to_text()));
    CHECK(has(still, events.to_text()));
}

}  // namespace liaison::test
