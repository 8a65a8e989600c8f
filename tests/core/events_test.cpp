// Event queries of the check-in screen (core/query/events.hpp).
#include "core/query/events.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test {
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

}  // namespace
}  // namespace liaison::test
