// Event queries of the check-in screen (core/query/events.hpp).
#include "core/query/events.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test::core_events {
namespace {

using core::Id128;
using core::Kind;

struct Venue {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<Node> node = open_node(dir.file("ev.db"), time, 12);
    sync::Replica& r = *node->replica;

    Id128 event(const std::string& name, std::int64_t starts) {
        auto id = r.create(Kind::kEvent, {{"name", name}, {"starts", starts}});
        REQUIRE(id.is_ok());
        return id.value();
    }
    Id128 person(const std::string& name) {
        auto id = r.create(Kind::kInfluencer, {{"name", name}});
        REQUIRE(id.is_ok());
        return id.value();
    }
    Id128 invite(const Id128& ev, const Id128& who, std::int64_t at, const char* status = nullptr,
                 std::int64_t plus_ones = 0) {
        std::vector<sync::FieldWrite> fields = {{"event", ev.to_text()},
                                                {"influencer", who.to_text()},
                                                {"at", at},
                                                {"plus_ones", plus_ones}};
        if (status) fields.push_back({"status", std::string(status)});
        auto id =
            r.create(Kind::kInvitation, std::move(fields), Id128::derive("invitation", ev, who));
        REQUIRE(id.is_ok());
        return id.value();
    }
    Id128 check_in(const Id128& ev, const Id128& who, std::int64_t at, bool walk_in = false) {
        auto id = r.create(Kind::kCheckin, {{"event", ev.to_text()},
                                            {"influencer", who.to_text()},
                                            {"at", at},
                                            {"walk_in", std::int64_t(walk_in)}});
        REQUIRE(id.is_ok());
        return id.value();
    }
};

TEST_CASE("events are listed latest first with their check-in counts", "[core][query][events]") {
    Venue v;
    Id128 early = v.event("Salon", 1'700'000'000'000);
    Id128 late = v.event("Lancement", 1'800'000'000'000);
    Id128 a = v.person("Ana");
    v.check_in(late, a, 1'800'000'000'100);
    auto list = core::list_events(v.r.store());
    REQUIRE(list.is_ok());
    REQUIRE(list->size() == 2);
    CHECK(list.value()[0].row.id == late);
    CHECK(list.value()[0].checked_in == 1);
    CHECK(list.value()[1].row.id == early);
    CHECK(list.value()[1].checked_in == 0);
}

TEST_CASE("check-ins of an event come newest first with the guest's name",
          "[core][query][events]") {
    Venue v;
    Id128 ev = v.event("Lancement", 1'800'000'000'000);
    Id128 other = v.event("Autre", 1'800'000'000'000);
    Id128 a = v.person("Ana"), b = v.person("Bruno");
    v.check_in(ev, a, 100);
    Id128 second = v.check_in(ev, b, 200, true);
    v.check_in(other, a, 300);
    auto list = core::event_checkins(v.r.store(), ev);
    REQUIRE(list.is_ok());
    REQUIRE(list->size() == 2);
    CHECK(list.value()[0].id == second);
    CHECK(list.value()[0].influencer_name == "Bruno");
    CHECK(list.value()[0].walk_in);
    CHECK(list.value()[1].influencer == a);
    CHECK(core::checkin_count(v.r.store(), ev).value() == 2);
}

TEST_CASE("an undone check-in no longer counts and the guest is not checked in",
          "[core][query][events]") {
    Venue v;
    Id128 ev = v.event("Lancement", 1'800'000'000'000);
    Id128 a = v.person("Ana");
    Id128 c = v.check_in(ev, a, 100);
    REQUIRE(core::find_checkin(v.r.store(), ev, a).value() == std::optional<Id128>(c));
    REQUIRE(v.r.remove_entry(Kind::kCheckin, c).is_ok());
    CHECK(core::checkin_count(v.r.store(), ev).value() == 0);
    CHECK(core::event_checkins(v.r.store(), ev)->empty());
    CHECK_FALSE(core::find_checkin(v.r.store(), ev, a).value().has_value());
}

TEST_CASE("a guest merged into another record is checked in as that record",
          "[core][query][events]") {
    Venue v;
    Id128 ev = v.event("Lancement", 1'800'000'000'000);
    Id128 x = v.person("Ana Lima"), y = v.person("A. Lima");
    Id128 root = std::min(x, y), alias = std::max(x, y);
    Id128 c = v.check_in(ev, alias, 100);
    REQUIRE(v.r.merge(alias, root).is_ok());
    CHECK(core::find_checkin(v.r.store(), ev, root).value() == std::optional<Id128>(c));
    auto list = core::event_checkins(v.r.store(), ev);
    REQUIRE(list->size() == 1);
    CHECK(list.value()[0].influencer == root);
}

TEST_CASE("an erased guest's check-ins disappear from the event", "[core][query][events]") {
    Venue v;
    Id128 ev = v.event("Lancement", 1'800'000'000'000);
    Id128 a = v.person("Ana"), b = v.person("Bruno");
    v.check_in(ev, a, 100);
    v.check_in(ev, b, 200);
    REQUIRE(v.r.erase(Kind::kInfluencer, a).is_ok());
    CHECK(core::checkin_count(v.r.store(), ev).value() == 1);
    auto list = core::event_checkins(v.r.store(), ev);
    REQUIRE(list->size() == 1);
    CHECK(list.value()[0].influencer_name == "Bruno");
}

TEST_CASE("an event's guest list counts invitations by answer and check-ins against them",
          "[core][query][events]") {
    Venue v;
    Id128 ev = v.event("Lancement", 1'800'000'000'000);
    Id128 other = v.event("Autre", 1'800'000'000'000);
    Id128 ana = v.person("Ana"), bruno = v.person("Bruno"), chloe = v.person("Chloé"),
          dan = v.person("Dan"), eve = v.person("Eve"), fay = v.person("Fay");
    v.invite(ev, ana, 10, "accepted", 2);
    v.invite(ev, bruno, 11);  // no answer yet: invited
    v.invite(ev, chloe, 12, "declined");
    v.invite(ev, dan, 13, "cancelled");
    v.invite(other, eve, 14, "accepted");
    v.check_in(ev, ana, 500);
    v.check_in(ev, fay, 600, true);  // E3: came without an invitation
    v.check_in(ev, dan, 700);        // E1, E3: her invitation was cancelled

    auto a = core::event_attendance(v.r.store(), ev);
    REQUIRE(a.is_ok());
    CHECK(a->invited == 3);  // E1: the cancelled one is not counted
    CHECK(a->accepted == 1);
    CHECK(a->declined == 1);
    CHECK(a->cancelled == 1);
    CHECK(a->expected == 3);  // E2: Ana and her two guests
    CHECK(a->checked_in == 3);
    CHECK(a->uninvited == 2);
    REQUIRE(a->guests_total == 5);
    std::vector<std::string> order;
    for (const auto& g : a->guests) order.push_back(g.name);
    // Checked in, latest first; then accepted, invited, declined, cancelled.
    CHECK(order == std::vector<std::string>{"Dan", "Fay", "Ana", "Bruno", "Chloé"});
    CHECK(a->guests[1].walk_in);
    CHECK_FALSE(a->guests[1].invitation);
    CHECK(a->guests[3].status == "invited");
    CHECK(a->guests[3].plus_ones == 0);
    CHECK(a->guests[2].status == "accepted");
    CHECK(a->guests[2].plus_ones == 2);
    CHECK(a->guests[2].checked_in_at == 500);

    auto list = core::list_events(v.r.store());
    REQUIRE(list.is_ok());
    for (const auto& e : list.value()) {
        if (e.row.id == ev) CHECK((e.invited == 3 && e.accepted == 1 && e.checked_in == 3));
        if (e.row.id == other) CHECK((e.invited == 1 && e.accepted == 1 && e.checked_in == 0));
    }
    auto first = core::event_attendance(v.r.store(), ev, 2);
    REQUIRE(first.is_ok());
    CHECK(first->guests.size() == 2);  // a page of the list, the counts still whole
    CHECK(first->guests_total == 5);
    CHECK(first->invited == 3);
}

TEST_CASE("guests merged into one record are one guest and an erased guest is gone",
          "[core][query][events]") {
    Venue v;
    Id128 ev = v.event("Lancement", 1'800'000'000'000);
    Id128 zoe = v.person("Zoé"), dup = v.person("Zoe"), gil = v.person("Gil");
    v.invite(ev, zoe, 10, "invited");
    v.invite(ev, dup, 20, "accepted");  // the later invitation speaks for the guest
    v.check_in(ev, dup, 500);
    v.invite(ev, gil, 30, "accepted");
    REQUIRE(v.r.merge(dup, zoe).is_ok());
    REQUIRE(v.r.erase(Kind::kInfluencer, gil).is_ok());
    auto a = core::event_attendance(v.r.store(), ev);
    REQUIRE(a.is_ok());
    REQUIRE(a->guests.size() == 1);
    const Id128 root = v.r.store().root_of(zoe);
    CHECK(a->guests[0].influencer == root);
    CHECK(a->guests[0].status == "accepted");
    CHECK(a->guests[0].checked_in_at == 500);
    CHECK(a->invited == 1);
    CHECK(a->accepted == 1);
    CHECK(a->checked_in == 1);
    CHECK(a->uninvited == 0);
}

}  // namespace
}  // namespace liaison::test::core_events
