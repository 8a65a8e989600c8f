// The hub (sync/hub.hpp) beyond what the property runs cover.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>

#include "core/query/queries.hpp"
#include "support/harness.hpp"

namespace liaison::test::sync_hub {

TEST_CASE("a group commit of several pushes gives what exchanging them one by one gives",
          "[sync][hub][group-commit][central]") {
    TempDir dir;
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    OpMaker maker(5);
    std::vector<std::unique_ptr<Node>> devices;
    for (const char* name : {"a.db", "b.db", "c.db"})
        devices.push_back(open_node(dir.file(name), time, devices.size() + 50));
    for (int i = 0; i < 300; ++i) {
        time.advance(3);
        (void)maker.random_change(*devices[maker.next(devices.size())]->replica, false);
    }
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    std::vector<sync::PushRequest> pushes;
    for (auto& d : devices) pushes.push_back(d->replica->make_push(2000, 100).value());
    sync::PushRequest bad = pushes[0];
    bad.cursor = -1;  // refused on its own, without failing the others

    auto one_store = open_hub_store(dir.file("one.db"));
    auto batch_store = open_hub_store(dir.file("batch.db"));
    sync::Hub one(*one_store, time), batched(*batch_store, time);
    std::vector<sync::Hub::Pending> batch;
    for (auto& p : pushes) batch.push_back({&central, &p});
    batch.push_back({&central, &bad});
    auto replies = batched.exchange_batch(batch);
    REQUIRE(replies.size() == 4);
    for (std::size_t i = 0; i < pushes.size(); ++i) {
        auto alone = one.exchange(central, pushes[i]);
        REQUIRE(alone.is_ok());
        REQUIRE(replies[i].is_ok());
        CHECK(replies[i]->results == alone->results);
    }
    CHECK(replies[3].status().code() == Code::kInvalidArgument);
    CHECK(must(batch_store->state_hash()) == must(one_store->state_hash()));
}

// A hub, a central office device and a Lyon store tablet, with a region and two stores
// (Lyon, Lille) made by the office and already on the hub.
struct TwoStores {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<core::Store> hub_store = open_hub_store(dir.file("hub.db"));
    sync::Hub hub{*hub_store, time};
    std::unique_ptr<Node> office = open_node(dir.file("office.db"), time, 61);
    std::unique_ptr<Node> tablet = open_node(dir.file("tablet.db"), time, 62);
    sync::Replica& c = *office->replica;
    sync::DeviceContext central = [] {
        sync::DeviceContext d;
        d.role = sync::Role::kCentral;
        d.scope = sync::Scope::everything();
        return d;
    }();
    core::Id128 region = make(core::Kind::kRegion, {{"name", std::string("France")}});
    core::Id128 lyon =
        make(core::Kind::kStore, {{"name", std::string("Lyon")}, {"region", region.to_text()}});
    core::Id128 lille =
        make(core::Kind::kStore, {{"name", std::string("Lille")}, {"region", region.to_text()}});
    sync::DeviceContext lyon_tablet = [this] {
        sync::DeviceContext d;
        d.role = sync::Role::kStore;
        d.scope.stores = {lyon.to_text()};
        return d;
    }();

    core::Id128 make(core::Kind kind, std::vector<sync::FieldWrite> fields) {
        auto id = c.create(kind, std::move(fields));
        REQUIRE(id.is_ok());
        return id.value();
    }
    void push_office() { REQUIRE(hub.exchange(central, c.make_push().value()).is_ok()); }
};

// On PostgreSQL the hub reads the kinds of a whole batch's ids before applying it
// (Store::read_kinds_ahead); what an earlier push of the batch makes must count for the
// later ones, as it does when they come one by one.
TEST_CASE("a group commit's kind checks see the records an earlier push of the batch made",
          "[sync][hub][R11][group-commit][central]") {
    TwoStores w;
    w.push_office();
    auto stamped = [&](sync::Op op) {
        w.time.advance(1);
        op.id = core::Stamp{sync::hlc_from_millis(w.time.now_ms()),
                            w.office->ids->next_entity_id(w.time.now_ms())};
        sync::PushRequest push;
        push.cursor = 1'000'000;
        push.ops = {std::move(op)};
        return push;
    };
    const auto launch = w.office->ids->next_entity_id(w.time.now_ms());
    const auto note = w.office->ids->next_entity_id(w.time.now_ms());
    const auto second = w.office->ids->next_entity_id(w.time.now_ms());
    const auto later = w.office->ids->next_entity_id(w.time.now_ms());
    const std::vector<sync::PushRequest> pushes = {
        stamped(sync::field_op(sync::OpType::kCreate, core::Kind::kEvent, launch,
                               {{"name", std::string("Launch")},
                                {"starts", std::int64_t(1'700'000'100'000LL)},
                                {"store", w.lyon.to_text()}})),
        stamped(sync::field_op(sync::OpType::kCreate, core::Kind::kInteraction, note,
                               {{"influencer", launch.to_text()},
                                {"at", std::int64_t(1'700'000'000'000LL)},
                                {"touchpoint", std::string("store")},
                                {"department", std::string("retail")}})),
        stamped(sync::field_op(sync::OpType::kCreate, core::Kind::kInfluencer, launch,
                               {{"name", std::string("Eve")}, {"store", w.lyon.to_text()}})),
        // An id no record holds, named as a person (read ahead as that kind only), then
        // created as an event: the create is checked against every kind.
        stamped(sync::field_op(sync::OpType::kCreate, core::Kind::kInteraction, second,
                               {{"influencer", later.to_text()},
                                {"at", std::int64_t(1'700'000'000'000LL)},
                                {"touchpoint", std::string("store")},
                                {"department", std::string("retail")}})),
        stamped(sync::field_op(sync::OpType::kCreate, core::Kind::kEvent, later,
                               {{"name", std::string("Later")},
                                {"starts", std::int64_t(1'700'000'200'000LL)},
                                {"store", w.lyon.to_text()}})),
    };
    std::vector<sync::Hub::Pending> batch;
    for (const auto& p : pushes) batch.push_back({&w.central, &p});
    auto replies = w.hub.exchange_batch(batch);
    REQUIRE(replies.size() == 5);
    for (const auto& r : replies) REQUIRE(r.is_ok());
    REQUIRE(replies[0]->results.size() == 1);
    CHECK(replies[0]->results[0].outcome == sync::Outcome::kApplied);
    REQUIRE(replies[1]->results.size() == 1);
    CHECK(replies[1]->results[0].code == Code::kInvalidArgument);
    CHECK(replies[1]->results[0].detail.find("is an event, not an influencer") !=
          std::string::npos);
    REQUIRE(replies[2]->results.size() == 1);
    CHECK(replies[2]->results[0].code == Code::kConflict);
    CHECK(replies[2]->results[0].detail.find("is of kind event, not influencer") !=
          std::string::npos);
    CHECK_FALSE(core::get_entity(*w.hub_store, core::Kind::kInteraction, note).value().has_value());
    for (std::size_t i : {3, 4}) {
        REQUIRE(replies[i]->results.size() == 1);
        CHECK(replies[i]->results[0].outcome == sync::Outcome::kApplied);
    }
    CHECK(core::get_entity(*w.hub_store, core::Kind::kEvent, later).value().has_value());
    CHECK(core::get_entity(*w.hub_store, core::Kind::kInteraction, second).value().has_value());
}

TEST_CASE(
    "a store device is sent evictions only for entities that left its scope, not for "
    "other stores' records",
    "[sync][hub][scope][central]") {
    TwoStores w;
    sync::Replica& c = w.c;
    sync::Hub& hub = w.hub;
    auto& time = w.time;
    auto& tablet = w.tablet;
    auto s1 = w.lyon, s2 = w.lille;
    auto here =
        w.make(core::Kind::kInfluencer, {{"name", std::string("Ana")}, {"store", s1.to_text()}});
    auto there =
        w.make(core::Kind::kInfluencer, {{"name", std::string("Bea")}, {"store", s2.to_text()}});
    w.push_office();
    auto& central = w.central;
    auto sync_tablet = [&] {
        auto reply = hub.exchange(w.lyon_tablet, tablet->replica->make_push().value());
        REQUIRE(reply.is_ok());
        REQUIRE(tablet->replica->apply_reply(reply.value()).is_ok());
        return reply.value();
    };
    auto held = [&](const core::Id128& id) {
        return core::get_entity(tablet->replica->store(), core::Kind::kInfluencer, id)
            .value()
            .has_value();
    };

    auto first = sync_tablet();
    CHECK(first.evictions.empty());
    CHECK(held(here));
    CHECK_FALSE(held(there));

    // Bea moves to Lyon (enters the scope), Ana to Lille (leaves it): one eviction, for Ana.
    time.advance(10);
    REQUIRE(c.set(core::Kind::kInfluencer, there, {{"store", s1.to_text()}}).is_ok());
    REQUIRE(c.set(core::Kind::kInfluencer, here, {{"store", s2.to_text()}}).is_ok());
    REQUIRE(hub.exchange(central, c.make_push().value()).is_ok());
    auto second = sync_tablet();
    REQUIRE(second.evictions.size() == 1);
    CHECK(second.evictions[0] == here);
    CHECK(held(there));
    CHECK_FALSE(held(here));
}

TEST_CASE("R11: the hub refuses an operation naming a person as another kind, and nothing changes",
          "[sync][hub][R11][central]") {
    TwoStores w;
    sync::Replica& c = w.c;
    sync::Hub& hub = w.hub;
    auto& time = w.time;
    auto& hub_store = *w.hub_store;
    auto lyon = w.lyon;
    auto bea = w.make(core::Kind::kInfluencer,
                      {{"name", std::string("Bea")}, {"store", w.lille.to_text()}});
    REQUIRE(c.add(core::Kind::kInfluencer, bea, "handles", "instagram:bea").is_ok());
    auto ana =
        w.make(core::Kind::kInfluencer, {{"name", std::string("Ana")}, {"store", lyon.to_text()}});
    auto launch = w.make(core::Kind::kEvent, {{"name", std::string("Launch")},
                                              {"starts", std::int64_t(1'700'000'100'000LL)},
                                              {"store", lyon.to_text()}});
    w.push_office();
    const std::string before = must(hub_store.state_hash());
    auto bea_dots = hub_store.load_dots(bea);
    REQUIRE(bea_dots.is_ok());

    // A Lyon tablet that knows Bea's id (she is out of its scope) sends edits naming her as an
    // event: an event's first set is "tags", a person's is "handles" (sets are kept by id).
    auto& lyon_tablet = w.lyon_tablet;
    sync::Replica& t = *w.tablet->replica;
    REQUIRE(t.submit(sync::elem_op(sync::OpType::kAdd, core::Kind::kEvent, bea, "tags", "forged"))
                .is_ok());
    REQUIRE(t.submit(sync::field_op(sync::OpType::kCreate, core::Kind::kEvent, bea,
                                    {{"name", std::string("Fake")},
                                     {"starts", std::int64_t(1'700'000'200'000LL)},
                                     {"store", lyon.to_text()}}))
                .is_ok());
    auto reply = hub.exchange(lyon_tablet, t.make_push().value());
    REQUIRE(reply.is_ok());
    REQUIRE(reply->results.size() == 2);
    for (const auto& r : reply->results) {
        CHECK(r.outcome == sync::Outcome::kRejected);
        CHECK(r.code == Code::kConflict);
        CHECK(r.detail.find("is of kind influencer, not event") != std::string::npos);
    }

    // A merge of a person into an event, sent by a central device.
    sync::Op merge = sync::unstamped_op(sync::OpType::kMerge, core::Kind::kInfluencer, ana);
    merge.target = launch;
    merge.id = core::Stamp{sync::hlc_from_millis(time.now_ms()),
                           w.office->ids->next_entity_id(time.now_ms())};
    sync::PushRequest forged;
    forged.ops = {merge};
    auto merged = hub.exchange(w.central, forged);
    REQUIRE(merged.is_ok());
    REQUIRE(merged->results.size() == 1);
    CHECK(merged->results[0].code == Code::kConflict);
    CHECK(merged->results[0].detail.find("the merge target") != std::string::npos);

    CHECK(must(hub_store.state_hash()) == before);
    auto after = hub_store.load_dots(bea);
    REQUIRE(after.is_ok());
    CHECK(after.value().size() == bea_dots.value().size());
}

// An erased id keeps no row, so R11 must know its kind some other way: without it, a merge
// naming an erased interaction as a person was taken for R7's merge with an erased person,
// recorded an alias edge and erased the other side (docs/SYNC.md R11).
TEST_CASE("R11: a merge naming an erased id of another kind leaves no trace",
          "[sync][hub][R11][central]") {
    TwoStores w;
    auto ana = w.make(core::Kind::kInfluencer,
                      {{"name", std::string("Ana")}, {"store", w.lyon.to_text()}});
    auto note = w.make(core::Kind::kInteraction, {{"influencer", ana.to_text()},
                                                  {"at", std::int64_t(1'700'000'000'000LL)},
                                                  {"touchpoint", std::string("store")},
                                                  {"department", std::string("retail")}});
    w.push_office();
    REQUIRE(w.c.erase(core::Kind::kInfluencer, ana).is_ok());
    w.push_office();
    REQUIRE(w.hub_store->is_erased(note));
    const std::string before = must(w.hub_store->state_hash());

    // A central device names the erased interaction as a person, on either side of a merge
    // with an id the hub has never seen.
    const auto unseen = w.office->ids->next_entity_id(w.time.now_ms());
    for (bool named_first : {true, false}) {
        w.time.advance(10);
        sync::Op merge = sync::unstamped_op(sync::OpType::kMerge, core::Kind::kInfluencer,
                                            named_first ? note : unseen);
        merge.target = named_first ? unseen : note;
        merge.id = core::Stamp{sync::hlc_from_millis(w.time.now_ms()),
                               w.office->ids->next_entity_id(w.time.now_ms())};
        sync::PushRequest forged;
        forged.ops = {merge};
        auto reply = w.hub.exchange(w.central, forged);
        REQUIRE(reply.is_ok());
        REQUIRE(reply->results.size() == 1);
        INFO("the erased interaction named " << (named_first ? "first" : "as the target"));
        CHECK(sync::outcome_name(reply->results[0].outcome) == std::string("rejected"));
        CHECK(reply->results[0].code == Code::kConflict);
        CHECK(reply->results[0].detail.find("is of kind interaction (erased), not influencer") !=
              std::string::npos);
    }
    CHECK(must(w.hub_store->state_hash()) == before);
    CHECK_FALSE(w.hub_store->is_erased(unseen));
    CHECK(w.hub_store->component_of(note).size() == 1);

    // Nor does a device that pulls everything learn of an edge or an erasure.
    sync::Replica& t = *w.tablet->replica;
    auto pulled = w.hub.exchange(w.central, t.make_push().value());
    REQUIRE(pulled.is_ok());
    CHECK(pulled->aliases.empty());
    REQUIRE(t.apply_reply(pulled.value()).is_ok());
    CHECK_FALSE(t.store().is_erased(unseen));
    CHECK(t.store().component_of(note).size() == 1);
}

// Erasures pass R11's kind check (R7 finds the record whatever its kind), so an erase must
// not take an id at its word: a bare erase of "an interaction" that is a live person is
// refused as the entry it claims to be would be, and the person stays whole.
TEST_CASE("R11: an erase naming a live person as another kind erases nothing",
          "[sync][hub][R11][central]") {
    TwoStores w;
    auto ana = w.make(core::Kind::kInfluencer,
                      {{"name", std::string("Ana")}, {"store", w.lyon.to_text()}});
    w.make(core::Kind::kInteraction, {{"influencer", ana.to_text()},
                                      {"at", std::int64_t(1'700'000'000'000LL)},
                                      {"touchpoint", std::string("store")},
                                      {"department", std::string("retail")}});
    w.push_office();
    const std::string before = must(w.hub_store->state_hash());
    w.time.advance(10);
    sync::Replica& t = *w.tablet->replica;
    sync::Op erase = sync::unstamped_op(sync::OpType::kErase, core::Kind::kInteraction, ana);
    REQUIRE(t.submit(erase).is_ok());
    auto reply = w.hub.exchange(w.lyon_tablet, t.make_push().value());
    REQUIRE(reply.is_ok());
    REQUIRE(reply->results.size() == 1);
    CHECK(sync::outcome_name(reply->results[0].outcome) == std::string("rejected"));
    CHECK_FALSE(w.hub_store->is_erased(ana));
    CHECK(must(w.hub_store->state_hash()) == before);
}

namespace {

// R11 at random: every kind of operation, erasures included, re-aimed at ids the hub knows
// (or knew, before erasing them) as another kind, interleaved with an office's real changes.
// The hub that saw them ends exactly as a hub that never did; each one is refused as a kind
// conflict, or dropped (an erasure of an erased id is a duplicate) with no effect.
void r11_property(std::uint64_t seed) {
    INFO("seed " << seed << " (rerun with LIAISON_SEED=" << seed << ")");
    TempDir dir;
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    OpMaker office_maker(seed), forger_maker(seed + 1000);
    auto office = open_node(dir.file("office.db"), time, seed * 10 + 1);
    auto forger = open_node(dir.file("forger.db"), time, seed * 10 + 2);
    auto clean_store = open_hub_store(dir.file("clean.db"));
    auto attacked_store = open_hub_store(dir.file("attacked.db"));
    sync::Hub clean(*clean_store, time), attacked(*attacked_store, time);
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();

    int forged = 0, refused = 0, dropped = 0;
    std::set<core::Stamp> taken;
    for (int round = 0; round < 8; ++round) {
        for (int i = 0; i < 150; ++i) {
            time.advance(2);
            (void)office_maker.random_change(*office->replica);
            (void)forger_maker.random_change(*forger->replica);
        }
        auto real = office->replica->make_push(2000).value();
        REQUIRE(clean.exchange(central, real).is_ok());
        REQUIRE(attacked.exchange(central, real).is_ok());
        // The forger's outbox is never acknowledged: take what it made this round (an erase
        // purges the outbox of the person's operations, so go by id, not by position).
        auto theirs = forger->replica->make_push(2000).value();
        REQUIRE(theirs.ops.size() < 2000);
        std::vector<sync::Op> fresh;
        for (const auto& op : theirs.ops)
            if (taken.insert(op.id).second) fresh.push_back(op);
        sync::PushRequest forgery;
        std::vector<bool> was_erased;
        for (auto op : fresh) {
            std::vector<core::Kind> others;
            for (const auto& k : core::all_kinds())
                if (k.kind != op.kind && !office_maker.known(k.kind).empty())
                    others.push_back(k.kind);
            if (others.empty()) continue;
            const auto& ids = office_maker.known(others[office_maker.next(others.size())]);
            op.entity = ids[office_maker.next(ids.size())];
            forgery.ops.push_back(op);
            was_erased.push_back(attacked_store->is_erased(op.entity));
        }
        auto reply = attacked.exchange(central, forgery);
        REQUIRE(reply.is_ok());
        REQUIRE(reply->results.size() == forgery.ops.size());
        for (std::size_t i = 0; i < reply->results.size(); ++i) {
            const auto& r = reply->results[i];
            const auto& op = forgery.ops[i];
            ++forged;
            if (r.outcome == sync::Outcome::kRejected && r.code == Code::kConflict)
                ++refused;
            else if (r.outcome == sync::Outcome::kErased)
                ++dropped;
            else if (r.outcome == sync::Outcome::kDuplicate && op.type == sync::OpType::kErase &&
                     was_erased[i])
                ++dropped;
            else
                FAIL_CHECK("a re-aimed " << sync::op_type_name(op.type) << " of "
                                         << core::kind_name(op.kind) << " " << op.entity.to_text()
                                         << " was " << sync::outcome_name(r.outcome) << ": "
                                         << r.detail);
        }
        const std::string got = must(attacked_store->state_hash());
        if (got != must(clean_store->state_hash()))
            std::cerr << "seed " << seed << ": clean (-) vs attacked (+):\n"
                      << diff_states(*clean_store, *attacked_store);
        REQUIRE(got == must(clean_store->state_hash()));
    }
    CHECK(forged > 500);
    CHECK(refused > forged / 2);
    (void)dropped;
}

}  // namespace

// Seeds 2, 3, 4, 6 and 7 found a merge naming an erased entry as a person (it left an alias edge
// and an erased marker); 51-53 did not: a few seeds here, run on every host, and twenty below.
TEST_CASE("R11 property: operations re-aimed at another kind's ids never change the hub",
          "[sync][hub][R11][property]") {
    for (auto seed : seeds({6, 51, 52})) r11_property(seed);
}

TEST_CASE(
    "R11 property over twenty seeds: operations re-aimed at another kind's ids never change "
    "the hub",
    "[sync][hub][R11][property][slow]") {
    for (auto seed :
         seeds({1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 53}))
        r11_property(seed);
}

// The acknowledgement follows durability (hub.hpp): a device drops from its outbox every
// operation the reply accepts, so a reply must accept nothing when the commit failed.
TEST_CASE(
    "a push whose commit fails is answered with an error, never accepted, and its retry applies",
    "[sync][hub][durability]") {
    TwoStores w;
    auto ana = w.make(core::Kind::kInfluencer,
                      {{"name", std::string("Ana")}, {"store", w.lyon.to_text()}});
    w.push_office();
    const std::string before = must(w.hub_store->state_hash());
    // A real commit failure: a deferred foreign key that every logged operation violates.
    // SQLite checks it at COMMIT, after every statement of the exchange succeeded.
    auto& db = w.hub_store->db();
    REQUIRE(db.exec("PRAGMA foreign_keys=ON").is_ok());
    REQUIRE(db.exec("CREATE TABLE commit_parent(id INTEGER PRIMARY KEY);"
                    "CREATE TABLE commit_child(p INTEGER REFERENCES commit_parent(id)"
                    " DEFERRABLE INITIALLY DEFERRED);"
                    "CREATE TRIGGER fail_at_commit AFTER INSERT ON oplog"
                    " BEGIN INSERT INTO commit_child VALUES(1); END;")
                .is_ok());
    w.time.advance(10);
    REQUIRE(w.c.set(core::Kind::kInfluencer, ana, {{"tier", std::string("top")}}).is_ok());
    REQUIRE(w.c.add(core::Kind::kInfluencer, ana, "tags", "vip").is_ok());
    const auto push = w.c.make_push().value();  // also the office's earlier ops: duplicates
    auto failed = w.hub.exchange(w.central, push);
    if (failed.is_ok()) {
        for (const auto& r : failed->results)
            CHECK(r.outcome != sync::Outcome::kApplied);  // what a device would drop and lose
        FAIL("the hub answered a push whose commit failed");
    }
    CHECK(failed.status().code() == Code::kStorage);
    CHECK(must(w.hub_store->state_hash()) == before);

    // Once the store commits again, the device's retry is applied, not taken for a duplicate.
    REQUIRE(db.exec("DROP TRIGGER fail_at_commit").is_ok());
    auto retried = w.hub.exchange(w.central, push);
    REQUIRE(retried.is_ok());
    REQUIRE(retried->results.size() == push.ops.size());
    const auto applied =
        std::count_if(retried->results.begin(), retried->results.end(),
                      [](const sync::OpResult& r) { return r.outcome == sync::Outcome::kApplied; });
    CHECK(applied == 2);
    CHECK(must(w.hub_store->state_hash()) != before);
}

namespace {

bool file_contains(const std::string& path, const std::string& needle) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return bytes.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE(
    "R5: an edit that reaches a deleted log entry after its delete leaves no byte of its text",
    "[sync][hub][R5]") {
    TwoStores w;
    sync::Replica& c = w.c;
    sync::Replica& t = *w.tablet->replica;
    auto ana = w.make(core::Kind::kInfluencer,
                      {{"name", std::string("Ana")}, {"store", w.lyon.to_text()}});
    auto note = w.make(core::Kind::kInteraction, {{"influencer", ana.to_text()},
                                                  {"at", std::int64_t(1'700'000'000'000LL)},
                                                  {"touchpoint", std::string("store")},
                                                  {"department", std::string("retail")},
                                                  {"summary", std::string("first words")}});
    w.push_office();
    // The tablet gets the entry; the office deletes it and the hub learns the delete first.
    auto pulled = w.hub.exchange(w.lyon_tablet, t.make_push().value());
    REQUIRE(pulled.is_ok());
    REQUIRE(t.apply_reply(pulled.value()).is_ok());
    w.time.advance(10);
    REQUIRE(c.remove_entry(core::Kind::kInteraction, note).is_ok());
    w.push_office();
    // The tablet, offline, edits the entry later than the delete: R5, the tombstone wins.
    const std::string canary = "zq7canaryedit";
    w.time.advance(10);
    REQUIRE(
        t.set(core::Kind::kInteraction, note, {{"summary", canary + " after the delete"}}).is_ok());
    auto edit = w.hub.exchange(w.lyon_tablet, t.make_push().value());
    REQUIRE(edit.is_ok());
    REQUIRE(edit->results.size() == 1);
    CHECK(edit->results[0].outcome == sync::Outcome::kApplied);

    auto row = w.hub_store->load_row(core::Kind::kInteraction, note);
    REQUIRE(row.is_ok());
    REQUIRE(row.value());
    CHECK(row.value()->deleted);
    const int summary = core::kind_def(core::Kind::kInteraction).field_index("summary");
    CHECK(core::is_null(row.value()->values[std::size_t(summary)]));
    // Nothing of the edit's text in the hub's files (the store has no WAL: the file is all).
    for (const std::string suffix : {"", "-wal", "-journal"})
        CHECK_FALSE(file_contains(w.dir.file("hub.db") + suffix, canary));
}

// Scope holds on every operation on another store's existing records, not only on creates and
// sets: REST answers 404 before the hub sees them, so only a push through the sync route
// reaches this check.
TEST_CASE(
    "a store device's add, remove and delete on another store's existing records are "
    "out of scope, and nothing changes",
    "[sync][hub][scope][central]") {
    TwoStores w;
    auto bea = w.make(core::Kind::kInfluencer,
                      {{"name", std::string("Bea")}, {"store", w.lille.to_text()}});
    REQUIRE(w.c.add(core::Kind::kInfluencer, bea, "tags", "vip").is_ok());
    auto note = w.make(core::Kind::kInteraction, {{"influencer", bea.to_text()},
                                                  {"at", std::int64_t(1'700'000'000'000LL)},
                                                  {"touchpoint", std::string("store")},
                                                  {"department", std::string("retail")},
                                                  {"store", w.lille.to_text()}});
    w.push_office();
    const std::string before = must(w.hub_store->state_hash());
    auto dots = w.hub_store->load_dots(bea);
    REQUIRE(dots.is_ok());
    REQUIRE(dots.value().size() == 1);

    sync::Replica& t = *w.tablet->replica;  // a Lyon tablet that learnt Lille's ids
    REQUIRE(
        t.submit(sync::elem_op(sync::OpType::kAdd, core::Kind::kInfluencer, bea, "tags", "forged"))
            .is_ok());
    auto remove = sync::elem_op(sync::OpType::kRemove, core::Kind::kInfluencer, bea, "tags", "vip");
    remove.observed = {dots.value()[0].dot};
    REQUIRE(t.submit(remove).is_ok());
    REQUIRE(t.submit(sync::unstamped_op(sync::OpType::kDelete, core::Kind::kInteraction, note))
                .is_ok());
    auto reply = w.hub.exchange(w.lyon_tablet, t.make_push().value());
    REQUIRE(reply.is_ok());
    REQUIRE(reply->results.size() == 3);
    for (const auto& r : reply->results) {
        CHECK(r.outcome == sync::Outcome::kRejected);
        CHECK(r.code == Code::kOutOfScope);
    }
    CHECK(must(w.hub_store->state_hash()) == before);
}

TEST_CASE(
    "only central and regional staff merge duplicates: a store device's merge is "
    "forbidden and changes nothing, a regional device's is applied",
    "[sync][hub][roles][central]") {
    TwoStores w;
    const std::string lyon = w.lyon.to_text(), france = w.region.to_text();
    auto ana = w.make(core::Kind::kInfluencer,
                      {{"name", std::string("Ana")}, {"store", lyon}, {"region", france}});
    auto ana2 = w.make(core::Kind::kInfluencer,
                       {{"name", std::string("Ana M.")}, {"store", lyon}, {"region", france}});
    w.push_office();
    const std::string before = must(w.hub_store->state_hash());
    auto merge_push = [&](Node& node) {
        sync::Op merge = sync::unstamped_op(sync::OpType::kMerge, core::Kind::kInfluencer, ana2);
        merge.target = ana;
        REQUIRE(node.replica->submit(merge).is_ok());
        return node.replica->make_push().value();
    };
    // The Lyon tablet holds both people (its scope covers them), so only its role stops it.
    sync_until_quiet(*w.tablet, w.hub, w.lyon_tablet, "tablet");
    auto refused = w.hub.exchange(w.lyon_tablet, merge_push(*w.tablet));
    REQUIRE(refused.is_ok());
    REQUIRE(refused->results.size() == 1);
    CHECK(refused->results[0].outcome == sync::Outcome::kRejected);
    CHECK(refused->results[0].code == Code::kForbidden);
    CHECK(must(w.hub_store->state_hash()) == before);

    auto regional_node = open_node(w.dir.file("regional.db"), w.time, 63);
    sync::DeviceContext regional;
    regional.role = sync::Role::kRegional;
    regional.scope.regions = {w.region.to_text()};
    sync_until_quiet(*regional_node, w.hub, regional, "regional");
    auto applied = w.hub.exchange(regional, merge_push(*regional_node));
    REQUIRE(applied.is_ok());
    REQUIRE(applied->results.size() == 1);
    CHECK(applied->results[0].outcome == sync::Outcome::kApplied);
    CHECK(w.hub_store->root_of(ana2) == w.hub_store->root_of(ana));
}

TEST_CASE(
    "compliance records and central fields are the central team's: a store device's vetting "
    "request and legal hold are forbidden and change nothing",
    "[sync][hub][roles][compliance][central]") {
    TwoStores w;
    const std::string lyon = w.lyon.to_text(), france = w.region.to_text();
    auto ana = w.make(core::Kind::kInfluencer,
                      {{"name", std::string("Ana")}, {"store", lyon}, {"region", france}});
    w.push_office();
    sync_until_quiet(*w.tablet, w.hub, w.lyon_tablet, "tablet");
    const std::string before = must(w.hub_store->state_hash());
    auto& r = *w.tablet->replica;
    // Each is one push: the tablet drops its own refused change before the next.
    auto refused = [&](auto change) {
        REQUIRE(change().is_ok());
        auto reply = w.hub.exchange(w.lyon_tablet, r.make_push().value());
        REQUIRE(reply.is_ok());
        REQUIRE(reply->results.size() == 1);
        CHECK(reply->results[0].outcome == sync::Outcome::kRejected);
        CHECK(reply->results[0].code == Code::kForbidden);
        INFO(reply->results[0].detail);
        REQUIRE(r.apply_reply(reply.value()).is_ok());
    };
    refused([&] {
        return r.create(core::Kind::kVetting, {{"influencer", ana.to_text()},
                                               {"reviewed", std::string("2026-12-01")},
                                               {"content_safety", std::string("pass")}});
    });
    refused([&] {
        return r.create(core::Kind::kGdprRequest, {{"influencer", ana.to_text()},
                                                   {"type", std::string("objection")},
                                                   {"received", std::string("2026-12-01")}});
    });
    refused([&] { return r.set(core::Kind::kInfluencer, ana, {{"legal_hold", std::int64_t(0)}}); });
    CHECK(must(w.hub_store->state_hash()) == before);
    // Her other fields are the store's to edit, as before.
    REQUIRE(
        r.set(core::Kind::kInfluencer, ana, {{"birth_date", std::string("2001-02-03")}}).is_ok());
    auto applied = w.hub.exchange(w.lyon_tablet, r.make_push().value());
    REQUIRE(applied.is_ok());
    REQUIRE(applied->results.size() == 1);
    CHECK(applied->results[0].outcome == sync::Outcome::kApplied);
}

}  // namespace liaison::test::sync_hub

namespace liaison::test::sync_hub {

// A push from the central team, stamped by a replica of its own (a forger's, or a device whose
// app skipped its own checks): the hub is the check that counts.
inline sync::PushRequest forged_push(TwoStores& w, std::vector<sync::Op> ops) {
    sync::PushRequest req;
    const core::Id128 replica = w.office->ids->next_entity_id(w.time.now_ms());
    for (auto& op : ops) {
        w.time.advance(1);
        op.id = core::Stamp{sync::hlc_from_millis(w.time.now_ms()), replica};
        req.ops.push_back(std::move(op));
    }
    return req;
}

TEST_CASE(
    "R11: a reference to an id known as another kind is refused with the field named, and an "
    "unknown id is accepted",
    "[sync][hub][R11][references][central]") {
    TwoStores w;
    auto bea = w.make(core::Kind::kInfluencer,
                      {{"name", std::string("Bea")}, {"store", w.lille.to_text()}});
    w.push_office();
    const std::string before = must(w.hub_store->state_hash());
    const core::Id128 unknown = w.office->ids->next_entity_id(w.time.now_ms());
    const core::Id128 fresh = w.office->ids->next_entity_id(w.time.now_ms() + 1);
    auto req = forged_push(
        w, {
               sync::field_op(sync::OpType::kCreate, core::Kind::kInfluencer,
                              w.office->ids->next_entity_id(1),
                              {{"name", std::string("Cleo")}, {"region", w.lyon.to_text()}}),
               sync::field_op(sync::OpType::kCreate, core::Kind::kInfluencer,
                              w.office->ids->next_entity_id(2),
                              {{"name", std::string("Dan")}, {"owner", bea.to_text()}}),
               sync::field_op(sync::OpType::kSet, core::Kind::kInfluencer, bea,
                              {{"store", w.region.to_text()}}),
               sync::elem_op(sync::OpType::kAdd, core::Kind::kInfluencer, bea, "brands",
                             w.lille.to_text()),
               sync::field_op(sync::OpType::kCreate, core::Kind::kInfluencer, fresh,
                              {{"name", std::string("Eve")}, {"region", unknown.to_text()}}),
           });
    auto reply = w.hub.exchange(w.central, req);
    REQUIRE(reply.is_ok());
    REQUIRE(reply->results.size() == 5);
    const std::vector<std::string> expected = {
        "region: " + w.lyon.to_text() + " is a store, not a region",
        "owner: " + bea.to_text() + " is an influencer, not a staff",
        "store: " + w.region.to_text() + " is a region, not a store",
        "brands: " + w.lille.to_text() + " is a store, not a brand",
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("operation " << i << ": " << reply->results[i].detail);
        CHECK(reply->results[i].outcome == sync::Outcome::kRejected);
        CHECK(reply->results[i].code == Code::kInvalidArgument);
        CHECK(reply->results[i].detail == expected[i]);
    }
    // An id nobody here knows may be a region made offline elsewhere.
    CHECK(reply->results[4].outcome == sync::Outcome::kApplied);
    CHECK(must(w.hub_store->state_hash()) != before);

    // A replica refuses its own change the same way (R11 is checked where an operation is
    // admitted).
    auto own = w.c.create(core::Kind::kInfluencer,
                          {{"name", std::string("Fay")}, {"region", w.lille.to_text()}});
    REQUIRE_FALSE(own.is_ok());
    CHECK(own.status().code() == Code::kInvalidArgument);
    CHECK(own.status().detail() == "region: " + w.lille.to_text() + " is a store, not a region");
}

TEST_CASE(
    "a store device is never sent an eviction for another store's people, merges or "
    "repeated check-ins, and a person moved out of its store is evicted",
    "[sync][hub][scope][evictions][central]") {
    TwoStores w;
    auto& c = w.c;
    auto lille = w.lille.to_text();
    auto ana = w.make(core::Kind::kInfluencer,
                      {{"name", std::string("Ana")}, {"store", w.lyon.to_text()}});
    auto bea = w.make(core::Kind::kInfluencer, {{"name", std::string("Bea")}, {"store", lille}});
    auto bea2 =
        w.make(core::Kind::kInfluencer, {{"name", std::string("Béa L.")}, {"store", lille}});
    auto gala = w.make(core::Kind::kEvent, {{"name", std::string("Gala")},
                                            {"starts", std::int64_t(1'700'000'100'000LL)},
                                            {"store", lille}});
    w.push_office();
    auto sync_tablet = [&] {
        auto reply = w.hub.exchange(w.lyon_tablet, w.tablet->replica->make_push().value());
        REQUIRE(reply.is_ok());
        REQUIRE(w.tablet->replica->apply_reply(reply.value()).is_ok());
        return reply.value();
    };
    CHECK(sync_tablet().evictions.empty());

    // Lille's people are edited (their store written again), merged, and one is checked in by
    // two devices at once (the same derived id, two creates).
    w.time.advance(10);
    REQUIRE(
        c.set(core::Kind::kInfluencer, bea, {{"name", std::string("Béatrice")}, {"store", lille}})
            .is_ok());
    REQUIRE(c.merge(bea2, bea).is_ok());
    const core::Id128 checkin = w.office->ids->next_entity_id(w.time.now_ms());
    auto second = open_node(w.dir.file("second.db"), w.time, 63);
    for (sync::Replica* r : {&c, second->replica.get()}) {
        w.time.advance(5);
        REQUIRE(r->create(core::Kind::kCheckin,
                          {{"event", gala.to_text()},
                           {"influencer", bea.to_text()},
                           {"at", std::int64_t(w.time.now_ms())},
                           {"store", lille}},
                          checkin)
                    .is_ok());
    }
    w.push_office();
    REQUIRE(w.hub.exchange(w.central, second->replica->make_push().value()).is_ok());
    auto after = sync_tablet();
    for (const auto& id : after.evictions) {
        INFO("evicted " << id.to_text());
        CHECK(id != bea);
        CHECK(id != bea2);
        CHECK(id != checkin);
        CHECK(id != gala);
    }
    CHECK(after.evictions.empty());

    // Ana leaves Lyon: the tablet held her, and is told to drop her.
    w.time.advance(10);
    REQUIRE(c.set(core::Kind::kInfluencer, ana, {{"store", lille}}).is_ok());
    w.push_office();
    auto moved = sync_tablet();
    CHECK(moved.evictions == std::vector<core::Id128>{ana});
    CHECK_FALSE(core::get_entity(w.tablet->replica->store(), core::Kind::kInfluencer, ana)
                    .value()
                    .has_value());
}

TEST_CASE(
    "a click is in the scope of its tracked link: a store device pulls only the clicks of "
    "links its scope covers",
    "[sync][hub][scope][clicks][central]") {
    TwoStores w;
    auto belgium = w.make(core::Kind::kRegion, {{"name", std::string("Belgique")}});
    auto theirs =
        w.make(core::Kind::kTrackedLink, {{"code", std::string("brussels-1")},
                                          {"target", std::string("https://shop.example.com/be")},
                                          {"region", belgium.to_text()}});
    auto everyone = w.make(
        core::Kind::kTrackedLink,
        {{"code", std::string("spring-26")}, {"target", std::string("https://shop.example.com/")}});
    auto click_theirs = w.make(core::Kind::kClick, {{"link", theirs.to_text()},
                                                    {"at", std::int64_t(1'700'000'000'500LL)}});
    auto click_ours = w.make(core::Kind::kClick, {{"link", everyone.to_text()},
                                                  {"at", std::int64_t(1'700'000'000'600LL)}});
    w.push_office();
    auto reply = w.hub.exchange(w.lyon_tablet, w.tablet->replica->make_push().value());
    REQUIRE(reply.is_ok());
    std::vector<core::Id128> pulled;
    for (const auto& s : reply->changes) pulled.push_back(s.row.id);
    CHECK(std::find(pulled.begin(), pulled.end(), click_theirs) == pulled.end());
    CHECK(std::find(pulled.begin(), pulled.end(), theirs) == pulled.end());
    CHECK(std::find(pulled.begin(), pulled.end(), click_ours) != pulled.end());
    CHECK(reply->evictions.empty());

    // Nor may it add a click to a link outside its scope.
    REQUIRE(w.tablet->replica->apply_reply(reply.value()).is_ok());
    auto& t = *w.tablet->replica;
    REQUIRE(t.create(core::Kind::kClick,
                     {{"link", theirs.to_text()}, {"at", std::int64_t(1'700'000'000'700LL)}})
                .is_ok());
    auto pushed = w.hub.exchange(w.lyon_tablet, t.make_push().value());
    REQUIRE(pushed.is_ok());
    REQUIRE(pushed->results.size() == 1);
    CHECK(pushed->results[0].code == Code::kOutOfScope);
}

}  // namespace liaison::test::sync_hub
