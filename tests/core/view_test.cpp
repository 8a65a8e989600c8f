// JSON views of entities and the influencer card (core/query/view.hpp).
#include "core/query/view.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test::core_view {
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

// The items of one of the card's lists ("key":[…]) as the text between its brackets.
std::string card_list(const std::string& card, const std::string& key) {
    const auto at = card.find("\"" + key + "\":[");
    REQUIRE(at != std::string::npos);
    std::size_t i = at + key.size() + 4, depth = 1;
    const std::size_t from = i;
    bool in_string = false;
    for (; i < card.size() && depth > 0; ++i) {
        const char ch = card[i];
        if (in_string) {
            if (ch == '\\')
                ++i;
            else if (ch == '"')
                in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '[' || ch == '{') {
            ++depth;
        } else if (ch == ']' || ch == '}') {
            --depth;
        }
    }
    return card.substr(from, i - 1 - from);
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
    const std::string paid = card_list(hot, "active_paid");
    CHECK(std::count(paid.begin(), paid.end(), '{') == 1);
}

TEST_CASE("consent is missing only where consent is the lawful basis", "[core][view][card]") {
    World w;
    auto warns = [&](std::vector<FieldWrite> fields) {
        fields.push_back({"name", std::string("Ana")});
        return has(w.card(w.make(Kind::kInfluencer, std::move(fields))), "consent_missing");
    };
    // No basis recorded is read as consent: without it granted, the card warns.
    CHECK(warns({}));
    CHECK(warns({{"consent", std::string("withdrawn")}}));
    CHECK_FALSE(warns({{"consent", std::string("granted")}}));
    CHECK(warns({{"consent_basis", std::string("consent")}, {"consent", std::string("unknown")}}));
    CHECK_FALSE(
        warns({{"consent_basis", std::string("consent")}, {"consent", std::string("granted")}}));
    // A contracted creator, a legitimate interest, a legal obligation: no consent needed.
    for (const char* basis : {"contract", "legitimate_interest", "legal_obligation"})
        CHECK_FALSE(warns({{"consent_basis", std::string(basis)}}));
    CHECK_FALSE(
        warns({{"consent_basis", std::string("contract")}, {"consent", std::string("refused")}}));
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

TEST_CASE("a paid collaboration warns only while contracted, live or delivered, whatever its dates",
          "[core][view][card]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer,
                     {{"name", std::string("Ana")}, {"consent", std::string("granted")}});
    // Proposed (or vetted) for dates that cover today: nothing is signed yet, no warning
    // (docs/PROGRAMMES.md: active is contracted, live or delivered).
    Id128 c = w.make(Kind::kCollaboration, {{"influencer", p.to_text()},
                                            {"type", std::string("paid")},
                                            {"starts", std::string("2023-11-01")},
                                            {"ends", std::string("2023-11-14")}});
    CHECK(has(w.card(p), "\"warnings\":[]"));
    REQUIRE(w.r.set(Kind::kCollaboration, c, {{"status", std::string("vetted")}}).is_ok());
    CHECK(has(w.card(p), "\"warnings\":[]"));
    // Contracted, for dates that do not cover today: it warns.
    REQUIRE(w.r.set(Kind::kCollaboration, c,
                    {{"status", std::string("contracted")}, {"starts", std::string("2024-02-01")}})
                .is_ok());
    CHECK(has(w.card(p), "\"warnings\":[\"active_paid_collaboration\"]"));
    for (const char* s : {"live", "delivered"}) {
        REQUIRE(w.r.set(Kind::kCollaboration, c, {{"status", std::string(s)}}).is_ok());
        CHECK(has(w.card(p), "\"warnings\":[\"active_paid_collaboration\"]"));
    }
    for (const char* s : {"validated", "closed", "cancelled"}) {
        REQUIRE(w.r.set(Kind::kCollaboration, c, {{"status", std::string(s)}}).is_ok());
        CHECK(has(w.card(p), "\"warnings\":[]"));
    }
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

}  // namespace liaison::test::core_view

namespace liaison::test::core_view {

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

}  // namespace liaison::test::core_view

namespace liaison::test::core_view {

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

}  // namespace liaison::test::core_view

namespace liaison::test::core_view {

TEST_CASE("the card lists the active collaborations of every type with their campaign's name",
          "[core][view][card]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer,
                     {{"name", std::string("Ana")}, {"consent", std::string("granted")}});
    Id128 autumn = w.make(Kind::kCampaign, {{"name", std::string("Autumn launch")}});
    auto collab = [&](const char* type, const char* status, std::vector<FieldWrite> extra = {}) {
        std::vector<FieldWrite> f = {{"influencer", p.to_text()},
                                     {"type", std::string(type)},
                                     {"status", std::string(status)}};
        for (auto& e : extra) f.push_back(std::move(e));
        return w.make(Kind::kCollaboration, std::move(f));
    };
    Id128 gifted = collab("gifted", "contracted",
                          {{"campaign", autumn.to_text()}, {"starts", std::string("2023-11-01")}});
    Id128 loan = collab("loan", "live", {{"ends", std::string("2023-12-15")}});
    Id128 seeding = collab("seeding", "delivered");
    Id128 affiliate = collab("affiliate", "active");  // record model 1's "active" reads as live
    Id128 proposed = collab("paid", "proposed");
    Id128 closed = collab("paid", "closed");
    Id128 cancelled = collab("gifted", "cancelled");

    const std::string card = w.card(p);
    const std::string active = card_list(card, "active_collaborations");
    INFO(active);
    for (const auto& id : {gifted, loan, seeding, affiliate}) CHECK(has(active, id.to_text()));
    for (const auto& id : {proposed, closed, cancelled}) CHECK_FALSE(has(active, id.to_text()));
    CHECK(has(active, "\"campaign_name\":\"Autumn launch\""));
    CHECK(has(active, "\"type\":\"loan\",\"status\":\"live\""));
    CHECK(has(active, "\"ends\":\"2023-12-15\""));
    // None of them is paid: no warning, and the paid list stays empty.
    CHECK(has(card, "\"warnings\":[]"));
    CHECK(has(card, "\"active_paid\":[]"));
    // Newest first.
    CHECK(active.find(affiliate.to_text()) < active.find(gifted.to_text()));
}

TEST_CASE("the card shows the person's five latest publications, newest first",
          "[core][view][card]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer, {{"name", std::string("Ana")}});
    Id128 other = w.make(Kind::kInfluencer, {{"name", std::string("Bea")}});
    std::vector<Id128> posts;
    // Published on days 1..7 before now, made in an order unlike their dates.
    for (int day : {3, 1, 7, 5, 2, 6, 4})
        posts.push_back(
            w.make(Kind::kContent, {{"influencer", p.to_text()},
                                    {"platform", std::string("instagram")},
                                    {"url", "https://instagram.com/p/day" + std::to_string(day)},
                                    {"published_at", kNow - day * kDay},
                                    {"reach", std::int64_t(1000 * day)},
                                    {"engagements", std::int64_t(10 * day)}}));
    Id128 theirs = w.make(Kind::kContent, {{"influencer", other.to_text()},
                                           {"platform", std::string("tiktok")},
                                           {"url", std::string("https://tiktok.com/@bea/1")},
                                           {"published_at", kNow}});
    const std::string recent = card_list(w.card(p), "recent_content");
    INFO(recent);
    CHECK_FALSE(has(recent, theirs.to_text()));
    CHECK_FALSE(has(recent, "/day6\""));
    CHECK_FALSE(has(recent, "/day7\""));
    std::size_t last = 0;
    for (int day = 1; day <= 5; ++day) {
        const auto at = recent.find("/day" + std::to_string(day) + "\"");
        REQUIRE(at != std::string::npos);
        CHECK(at > last);
        last = at;
    }
    CHECK(has(recent, "\"reach\":1000,\"engagements\":10"));
}

TEST_CASE("the card lists the person's tracked links with the clicks and conversions held",
          "[core][view][card]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer, {{"name", std::string("Ana")}});
    Id128 autumn = w.make(Kind::kCampaign, {{"name", std::string("Autumn launch")}});
    Id128 link = w.make(Kind::kTrackedLink, {{"code", std::string("ana-autumn")},
                                             {"target", std::string("https://shop.example/a")},
                                             {"influencer", p.to_text()},
                                             {"campaign", autumn.to_text()}});
    Id128 quiet = w.make(Kind::kTrackedLink, {{"code", std::string("ana-quiet")},
                                              {"target", std::string("https://shop.example/q")},
                                              {"influencer", p.to_text()}});
    Id128 elsewhere =
        w.make(Kind::kTrackedLink,
               {{"code", std::string("bea-1")}, {"target", std::string("https://shop.example/b")}});
    for (int i = 0; i < 3; ++i)
        w.make(Kind::kClick, {{"link", link.to_text()}, {"at", kNow - i * kDay}});
    Id128 gone = w.make(Kind::kClick, {{"link", link.to_text()}, {"at", kNow}});
    REQUIRE(w.r.remove_entry(Kind::kClick, gone).is_ok());
    w.make(Kind::kClick, {{"link", elsewhere.to_text()}, {"at", kNow}});
    for (const char* order : {"A-1", "A-2"})
        w.make(Kind::kConversion, {{"shop", std::string("paris")},
                                   {"order_ref", std::string(order)},
                                   {"at", kNow},
                                   {"value", std::int64_t(12900)},
                                   {"currency", std::string("EUR")},
                                   {"link", link.to_text()}});

    const std::string links = card_list(w.card(p), "links");
    INFO(links);
    CHECK_FALSE(has(links, elsewhere.to_text()));
    const auto a = links.find(link.to_text()), q = links.find(quiet.to_text());
    REQUIRE(a != std::string::npos);
    REQUIRE(q != std::string::npos);
    CHECK(has(links, "\"code\":\"ana-autumn\""));
    CHECK(has(links, "\"campaign_name\":\"Autumn launch\",\"clicks\":3,\"conversions\":2"));
    CHECK(has(links, "\"clicks\":0,\"conversions\":0"));
}

TEST_CASE("a timeline filter also hides collaborations, content and links from the card",
          "[core][view][card]") {
    World w;
    Id128 p = w.make(Kind::kInfluencer, {{"name", std::string("Ana")}});
    Id128 c = w.make(Kind::kCollaboration, {{"influencer", p.to_text()},
                                            {"type", std::string("paid")},
                                            {"status", std::string("live")}});
    Id128 post = w.make(Kind::kContent, {{"influencer", p.to_text()},
                                         {"platform", std::string("instagram")},
                                         {"url", std::string("https://instagram.com/p/1")},
                                         {"published_at", kNow}});
    Id128 link = w.make(Kind::kTrackedLink, {{"code", std::string("ana-1")},
                                             {"target", std::string("https://shop.example/a")},
                                             {"influencer", p.to_text()}});
    core::CardOptions o;
    o.now_ms = kNow;
    o.timeline_filter = [](const core::RowState&) { return false; };
    auto card = core::card_json(w.r.store(), p, o);
    REQUIRE(card.is_ok());
    REQUIRE(card.value());
    for (const auto& id : {c, post, link}) CHECK_FALSE(has(*card.value(), id.to_text()));
    CHECK(has(*card.value(), "\"active_collaborations\":[]"));
    // The warning still considers every entry.
    CHECK(has(*card.value(), "active_paid_collaboration"));
}

}  // namespace liaison::test::core_view
