// One action, one transaction (docs/SYNC.md G1-G3): a person registered with her handles and
// tags commits on the device whole or not at all, travels as one group, and the hub applies
// the group whole or refuses it whole; a refused group converges like any refusal (invariant 9).
#include <catch2/catch.hpp>

#include "support/fault_vfs.hpp"
#include "support/harness.hpp"

namespace liaison::test::sync_action {
namespace {

using core::Id128;
using core::Kind;

// The person an action registers: her create, a handle and a tag (three operations).
Status register_person(sync::Replica& r, Id128& id, const std::string& store = {}) {
    std::vector<sync::FieldWrite> fields = {{"name", std::string("Ana Lima")}};
    if (!store.empty()) fields.push_back({"store", store});
    auto created = r.create(Kind::kInfluencer, std::move(fields));
    if (!created) return created.status();
    id = created.value();
    LIAISON_TRY(r.add(Kind::kInfluencer, id, "handles", "instagram:ana.lima:12000"));
    return r.add(Kind::kInfluencer, id, "tags", "vip");
}

// What the device holds of `id`: its row, its dots.
bool holds_anything_of(core::Store& s, const Id128& id) {
    return s.load_row(Kind::kInfluencer, id).value().has_value() ||
           !s.load_dots(id).value().empty();
}

struct OneDevice {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<Node> node = open_node(dir.file("tablet.db"), time, 31);
    sync::Replica& r = *node->replica;
};

}  // namespace

TEST_CASE("an action's operations are one transaction and one group in the push",
          "[sync][action]") {
    OneDevice d;
    Id128 ana;
    REQUIRE(d.r.action([&] { return register_person(d.r, ana); }).is_ok());
    CHECK(d.r.pending() == 3);
    auto push = d.r.make_push();
    REQUIRE(push.is_ok());
    REQUIRE(push->ops.size() == 3);
    CHECK(push->groups == std::vector<sync::OpGroup>{{0, 3}});
    // A lone write after it stands alone.
    REQUIRE(d.r.add(Kind::kInfluencer, ana, "tags", "paris").is_ok());
    CHECK(d.r.make_push()->groups == std::vector<sync::OpGroup>{{0, 3}});
}

TEST_CASE("an action failing between its operations leaves nothing half-made",
          "[sync][action][fault]") {
    OneDevice d;
    REQUIRE(d.r.create(Kind::kInfluencer, {{"name", std::string("Before")}}).is_ok());
    const std::string before = must(d.r.state_hash());
    const auto pending = d.r.pending();
    Id128 ana;

    SECTION("a forced error after two of its operations") {
        Status s = d.r.action([&] {
            auto created = d.r.create(Kind::kInfluencer, {{"name", std::string("Ana Lima")}});
            if (!created) return created.status();
            ana = created.value();
            LIAISON_TRY(d.r.add(Kind::kInfluencer, ana, "handles", "instagram:ana.lima:12000"));
            return Status(Code::kInternal, "forced between operations");
        });
        CHECK(s.code() == Code::kInternal);
    }
    SECTION("an invalid third operation whose status the body drops") {
        Status s = d.r.action([&] {
            auto created = d.r.create(Kind::kInfluencer, {{"name", std::string("Ana Lima")}});
            if (!created) return created.status();
            ana = created.value();
            (void)d.r.add(Kind::kInfluencer, ana, "handles", "instagram:ana.lima:12000");
            (void)d.r.add(Kind::kInfluencer, ana, "no_such_set", "x");
            return Status::ok();
        });
        CHECK(s.code() == Code::kUnknownField);
    }
    SECTION("a failing write in SQLite on the third operation's outbox row") {
        // A trigger stands for the disk refusing the write (SQLITE_CONSTRAINT from RAISE
        // aborts the statement, as an I/O error would).
        REQUIRE(d.r.store()
                    .db()
                    .exec("CREATE TEMP TRIGGER fail_third BEFORE INSERT ON outbox WHEN (SELECT "
                          "count(*) FROM outbox) >= " +
                          std::to_string(pending + 2) +
                          " BEGIN SELECT RAISE(ABORT, 'injected write failure'); END")
                    .is_ok());
        Status s = d.r.action([&] { return register_person(d.r, ana); });
        CHECK_FALSE(s.is_ok());
        CHECK(s.detail().find("injected write failure") != std::string::npos);
        REQUIRE(d.r.store().db().exec("DROP TRIGGER fail_third").is_ok());
    }
    REQUIRE_FALSE(ana.is_nil());
    CHECK_FALSE(holds_anything_of(d.r.store(), ana));
    CHECK(d.r.pending() == pending);
    CHECK(must(d.r.state_hash()) == before);
    // And so on disk: the file reopened holds the same.
    reopen(*d.node, d.time);
    CHECK_FALSE(holds_anything_of(d.node->replica->store(), ana));
    CHECK(d.node->replica->pending() == pending);
    CHECK(must(d.node->replica->state_hash()) == before);
    // The device goes on working: the same action succeeds afterwards.
    REQUIRE(
        d.node->replica->action([&] { return register_person(*d.node->replica, ana); }).is_ok());
    CHECK(d.node->replica->pending() == pending + 3);
}

TEST_CASE("an action whose commit the disk refuses leaves nothing half-made, on reopening too",
          "[sync][action][fault]") {
    FaultVfs vfs;  // the default VFS while it lives: the devices' files are opened through it
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    // How many writes a committed action takes (its journal, its pages, the journal's end).
    int commit_writes = 0;
    {
        TempDir dir;
        auto node = open_node(dir.file("tablet.db"), time, 33);
        REQUIRE(node->replica->create(Kind::kInfluencer, {{"name", std::string("B")}}).is_ok());
        Id128 ana;
        const int start = vfs.writes();
        REQUIRE(
            node->replica->action([&] { return register_person(*node->replica, ana); }).is_ok());
        commit_writes = vfs.writes() - start;
    }
    REQUIRE(commit_writes > 1);
    // The disk refuses the first write, the second, … the last: wherever the commit stops —
    // before the journal, in the middle of the pages — nothing of the action is there, now or
    // after the file is reopened (the journal rolls the pages back).
    for (int ok_writes = 0; ok_writes < commit_writes; ++ok_writes) {
        INFO("the disk refuses writes after " << ok_writes << " of the commit's " << commit_writes);
        TempDir dir;
        auto node = open_node(dir.file("tablet.db"), time, 33);
        REQUIRE(node->replica->create(Kind::kInfluencer, {{"name", std::string("B")}}).is_ok());
        const std::string before = must(node->replica->state_hash());
        const auto pending = node->replica->pending();
        Id128 ana;
        const int refused = vfs.refused();
        vfs.fail_writes_after(ok_writes);
        Status s = node->replica->action([&] { return register_person(*node->replica, ana); });
        vfs.disarm();
        INFO(s.to_string());
        CHECK(s.code() == Code::kStorage);
        CHECK(vfs.refused() > refused);
        // A write may come before the commit (a page the cache spills): then the action stops
        // at its first operation, and `ana` was never named; the hash says the rest.
        CHECK_FALSE(holds_anything_of(node->replica->store(), ana));
        CHECK(node->replica->pending() == pending);
        CHECK(must(node->replica->state_hash()) == before);
        reopen(*node, time);  // as after a crash: the hot journal is rolled back
        CHECK_FALSE(holds_anything_of(node->replica->store(), ana));
        CHECK(node->replica->pending() == pending);
        CHECK(must(node->replica->state_hash()) == before);
        REQUIRE(
            node->replica->action([&] { return register_person(*node->replica, ana); }).is_ok());
        CHECK(node->replica->pending() == pending + 3);
    }
}

TEST_CASE("a push never splits an action, and one larger than the limit goes whole",
          "[sync][action]") {
    OneDevice d;
    auto lone = d.r.create(Kind::kInfluencer, {{"name", std::string("Lone")}});
    REQUIRE(lone.is_ok());
    Id128 ana;
    REQUIRE(d.r.action([&] { return register_person(d.r, ana); }).is_ok());
    auto first = d.r.make_push(2);
    REQUIRE(first.is_ok());
    CHECK(first->ops.size() == 1);  // the lone create; the action would be cut
    CHECK(first->groups.empty());
    REQUIRE(d.r.store().outbox_remove(first->ops[0].id).is_ok());
    auto second = d.r.make_push(2);
    REQUIRE(second.is_ok());
    CHECK(second->ops.size() == 3);
    CHECK(second->groups == std::vector<sync::OpGroup>{{0, 3}});
    CHECK(d.r.make_push(0)->ops.empty());  // a pull pushes nothing
}

TEST_CASE(
    "the hub refuses a group whole when one of its operations is out of scope, and the "
    "device converges",
    "[sync][action][refusals][central]") {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    auto hub_store = open_hub_store(dir.file("hub.db"));
    sync::Hub hub{*hub_store, time};
    auto office = open_node(dir.file("office.db"), time, 41);
    auto tablet = open_node(dir.file("tablet.db"), time, 42);
    sync::DeviceContext central, store;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    auto& c = *office->replica;
    auto region = c.create(Kind::kRegion, {{"name", std::string("France")}}).value();
    auto lyon =
        c.create(Kind::kStore, {{"name", std::string("Lyon")}, {"region", region.to_text()}})
            .value();
    auto lille =
        c.create(Kind::kStore, {{"name", std::string("Lille")}, {"region", region.to_text()}})
            .value();
    sync_until_quiet(*office, hub, central, "office");
    store.role = sync::Role::kStore;
    store.scope.stores = {lyon.to_text()};
    sync_until_quiet(*tablet, hub, store, "tablet");

    auto& t = *tablet->replica;
    Id128 bob;
    // Registered at Lyon, then moved to Lille (out of the tablet's scope), then tagged.
    REQUIRE(t.action([&] {
                 auto created = t.create(Kind::kInfluencer,
                                         {{"name", std::string("Bob")}, {"store", lyon.to_text()}});
                 if (!created) return created.status();
                 bob = created.value();
                 LIAISON_TRY(t.set(Kind::kInfluencer, bob, {{"store", lille.to_text()}}));
                 return t.add(Kind::kInfluencer, bob, "tags", "vip");
             }).is_ok());
    const std::string hub_before = must(hub_store->state_hash());
    time.advance(10);
    auto req = t.make_push();
    REQUIRE(req.is_ok());
    REQUIRE(req->groups == std::vector<sync::OpGroup>{{0, 3}});
    auto reply = hub.exchange(store, req.value());
    REQUIRE(reply.is_ok());
    REQUIRE(reply->results.size() == 3);
    for (const auto& r : reply->results) {
        INFO(r.detail);
        CHECK(r.outcome == sync::Outcome::kRejected);
        CHECK(r.code == Code::kOutOfScope);
        CHECK(r.detail.rfind("refused with operation 2 of 3: ", 0) == 0);
    }
    CHECK(must(hub_store->state_hash()) == hub_before);
    CHECK_FALSE(hub_store->load_row(Kind::kInfluencer, bob).value());
    auto stats = t.apply_reply(reply.value());
    REQUIRE(stats.is_ok());
    CHECK(stats->rejected == 3);
    sync_until_quiet(*tablet, hub, store, "tablet after the refusal");
    CHECK_FALSE(t.store().load_row(Kind::kInfluencer, bob).value());
    CHECK(t.pending() == 0);
    // The person is told once per action, by its first operation, with the reason.
    auto kept = t.refusals().value();
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].type == sync::OpType::kCreate);
    CHECK(kept[0].detail.rfind("refused with operation 2 of 3: ", 0) == 0);
    CHECK(must(t.state_hash()) == projection_hash(hub, store, dir.file("fresh.db"), time));
}

TEST_CASE("the hub refuses a push whose groups overlap or lie outside it",
          "[sync][action][central]") {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    auto hub_store = open_hub_store(dir.file("hub.db"));
    sync::Hub hub{*hub_store, time};
    auto node = open_node(dir.file("office.db"), time, 43);
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    Id128 ana;
    REQUIRE(node->replica->action([&] { return register_person(*node->replica, ana); }).is_ok());
    auto req = node->replica->make_push().value();
    for (auto groups : std::vector<std::vector<sync::OpGroup>>{
             {{0, 4}}, {{0, 2}, {1, 2}}, {{1, 0}}, {{2, 1}, {0, 2}}}) {
        auto bad = req;
        bad.groups = groups;
        auto reply = hub.exchange(central, bad);
        CHECK(reply.status().code() == Code::kInvalidArgument);
    }
    CHECK_FALSE(hub_store->load_row(Kind::kInfluencer, ana).value());
}

}  // namespace liaison::test::sync_action
