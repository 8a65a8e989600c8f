// A1 (docs/SYNC.md "Authorisation"): the hub refuses an operation acted as a staff member the
// caller's user is not linked to, whatever its type, and changes nothing; the device converges
// (invariant 9); a linked staff member, and no actor at all, are accepted.
#include <catch2/catch.hpp>

#include "core/query/queries.hpp"
#include "support/harness.hpp"

namespace liaison::test::sync_actor {

TEST_CASE(
    "A1: each operation acted as a staff member the user is not linked to is refused, and "
    "nothing changes",
    "[sync][hub][A1][central]") {
    using core::Kind;
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    auto hub_store = open_hub_store(dir.file("hub.db"));
    sync::Hub hub(*hub_store, time);
    auto office = open_node(dir.file("office.db"), time, 71);
    auto tablet = open_node(dir.file("tablet.db"), time, 72);
    auto& c = *office->replica;
    auto& t = *tablet->replica;
    auto make = [&](Kind kind, std::vector<sync::FieldWrite> fields) {
        auto id = c.create(kind, std::move(fields));
        REQUIRE(id.is_ok());
        return id.value();
    };
    const auto region = make(Kind::kRegion, {{"name", std::string("France")}});
    const auto lyon =
        make(Kind::kStore, {{"name", std::string("Lyon")}, {"region", region.to_text()}});
    const auto ines =
        make(Kind::kStaff, {{"name", std::string("Inès Martin")}, {"store", lyon.to_text()}});
    const auto paul =
        make(Kind::kStaff, {{"name", std::string("Paul Girard")}, {"store", lyon.to_text()}});
    const auto ana =
        make(Kind::kInfluencer, {{"name", std::string("Ana")}, {"store", lyon.to_text()}});
    auto contact = [&](sync::Replica& r) {
        auto id = r.create(Kind::kInteraction, {{"influencer", ana.to_text()},
                                                {"at", std::int64_t(time.now_ms())},
                                                {"touchpoint", std::string("store")},
                                                {"department", std::string("retail")}});
        REQUIRE(id.is_ok());
        return id.value();
    };
    const auto visit = contact(c), other_visit = contact(c);
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    sync_until_quiet(*office, hub, central, "office");
    sync::DeviceContext tablet_ctx;
    tablet_ctx.replica = t.id();
    tablet_ctx.role = sync::Role::kStore;
    tablet_ctx.scope.stores = {lyon.to_text()};
    tablet_ctx.staff = {ines};
    sync_until_quiet(*tablet, hub, tablet_ctx, "tablet");

    // One change of every type a store tablet may make, acted as `actor`.
    auto changes = [&](const core::Id128& actor, const core::Id128& entry) {
        t.set_actor(actor);
        time.advance(1000);
        contact(t);
        REQUIRE(t.set(Kind::kInfluencer, ana, {{"tier", std::string("top")}}).is_ok());
        REQUIRE(t.add(Kind::kInfluencer, ana, "tags", "press").is_ok());
        REQUIRE(t.remove(Kind::kInfluencer, ana, "tags", "press").is_ok());
        REQUIRE(t.set(Kind::kInteraction, entry, {{"summary", std::string("Came back")}}).is_ok());
        REQUIRE(t.remove_entry(Kind::kInteraction, entry).is_ok());
        return t.make_push().value();
    };

    const std::string before = must(hub_store->state_hash());
    auto forged = changes(paul, visit);
    REQUIRE(forged.ops.size() == 6);
    auto refused = hub.exchange(tablet_ctx, forged);
    REQUIRE(refused.is_ok());
    REQUIRE(refused->results.size() == forged.ops.size());
    for (std::size_t i = 0; i < forged.ops.size(); ++i) {
        INFO(sync::op_type_name(forged.ops[i].type) << " " << core::kind_name(forged.ops[i].kind));
        CHECK(refused->results[i].outcome == sync::Outcome::kRejected);
        CHECK(refused->results[i].code == Code::kForbidden);
        CHECK(refused->results[i].detail == "this operation acted as staff " + paul.to_text() +
                                                ", who is not linked to this user");
    }
    CHECK(must(hub_store->state_hash()) == before);
    // The refusals converge (invariant 9): the device again holds what the hub holds for it.
    REQUIRE(t.apply_reply(refused.value()).is_ok());
    sync_until_quiet(*tablet, hub, tablet_ctx, "tablet after the refusals");
    CHECK(must(t.state_hash()) == projection_hash(hub, tablet_ctx, dir.file("fresh.db"), time));

    // Acted as Inès, who is linked, the same changes are accepted; so are changes with no actor
    // (the previous release's app set none).
    for (const auto& actor : {ines, core::Id128{}}) {
        INFO((actor.is_nil() ? "no actor" : "Inès"));
        auto push = changes(actor, actor.is_nil() ? other_visit : visit);
        auto reply = hub.exchange(tablet_ctx, push);
        REQUIRE(reply.is_ok());
        for (const auto& r : reply->results) CHECK(r.outcome == sync::Outcome::kApplied);
        REQUIRE(t.apply_reply(reply.value()).is_ok());
    }
    auto log = hub_store->op_log({visit});
    REQUIRE(log.is_ok());
    REQUIRE_FALSE(log->empty());
    CHECK(log->back().actor == ines);  // the op log names who deleted the visit
}

}  // namespace liaison::test::sync_actor
