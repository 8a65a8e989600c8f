// Scope and database generations (docs/SYNC.md "Generations"): a device whose scope is edited,
// or whose hub's database is replaced, ends with what a fresh device would pull.
#include "sync/generations.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test::sync_generations {
namespace {

using core::Kind;

sync::DeviceContext central_device() {
    sync::DeviceContext d;
    d.role = sync::Role::kCentral;
    d.scope = sync::Scope::everything();
    return d;
}

sync::DeviceContext store_device(const core::Id128& store) {
    sync::DeviceContext d;
    d.role = sync::Role::kStore;
    d.scope.stores = {store.to_text()};
    return d;
}

std::vector<core::Id128> people_of(core::Store& s) {
    std::vector<core::Id128> out;
    auto changes = s.changes_since(0, 1'000'000);
    REQUIRE(changes.is_ok());
    for (const auto& c : changes.value()) {
        if (c.type != core::Store::Change::Type::kEntity || c.kind != Kind::kInfluencer) continue;
        auto row = s.load_row(Kind::kInfluencer, c.id);
        REQUIRE(row.is_ok());
        if (row.value() && row.value()->visible()) out.push_back(c.id);
    }
    return out;
}

// The hub's store copied to backup.db while closed, then reopened.
void take_backup(TempDir& dir, std::unique_ptr<core::Store>& hub_store,
                 std::unique_ptr<sync::Hub>& hub, sync::TimeSource& time) {
    hub.reset();
    hub_store.reset();
    copy_hub_store(dir.file("hub.db"), dir.file("backup.db"));
    hub_store = open_hub_store(dir.file("hub.db"));
    hub = std::make_unique<sync::Hub>(*hub_store, time);
}

// Restore (as server/admin/restore.cpp does): the backup's file, its sequence past every cursor
// the replaced file handed out, and a new database generation.
void restore_backup(TempDir& dir, std::unique_ptr<core::Store>& hub_store,
                    std::unique_ptr<sync::Hub>& hub, sync::TimeSource& time, core::IdSource& ids) {
    const std::int64_t replaced_seq = hub_store->last_seq();
    hub.reset();
    hub_store.reset();
    copy_hub_store(dir.file("backup.db"), dir.file("hub.db"));
    hub_store = open_hub_store(dir.file("hub.db"));
    core::WriteTxn txn(*hub_store);
    REQUIRE(hub_store->raise_seq_floor(replaced_seq).is_ok());
    REQUIRE(sync::renew_database_generation(*hub_store, ids).is_ok());
    REQUIRE(txn.commit().is_ok());
    hub = std::make_unique<sync::Hub>(*hub_store, time);
}

}  // namespace

TEST_CASE("the scope generation is a fingerprint of the scope, whatever the order of its lists",
          "[sync][generations]") {
    sync::Scope a, b;
    a.stores = {"1", "2"};
    b.stores = {"2", "1"};
    CHECK(sync::scope_generation(a) == sync::scope_generation(b));
    b.stores = {"2"};
    CHECK(sync::scope_generation(a) != sync::scope_generation(b));
    sync::Scope moved;
    moved.regions = {"1", "2"};  // the same ids as regions is another scope
    CHECK(sync::scope_generation(a) != sync::scope_generation(moved));
    CHECK(sync::scope_generation(sync::Scope::everything()) != 0);
}

TEST_CASE("a device moved from store A to store B holds none of A's records and all of B's",
          "[sync][generations][scope][central]") {
    TempDir dir;
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    auto hub_store = open_hub_store(dir.file("hub.db"));
    sync::Hub hub(*hub_store, time);
    auto office = open_node(dir.file("office.db"), time, 71);
    auto tablet = open_node(dir.file("tablet.db"), time, 72);
    auto& c = *office->replica;
    auto region = c.create(Kind::kRegion, {{"name", std::string("France")}}).value();
    auto store_a =
        c.create(Kind::kStore, {{"name", std::string("Lyon")}, {"region", region.to_text()}})
            .value();
    auto store_b =
        c.create(Kind::kStore, {{"name", std::string("Lille")}, {"region", region.to_text()}})
            .value();
    std::vector<core::Id128> of_a, of_b;
    for (int i = 0; i < 6; ++i) {
        time.advance(5);
        of_a.push_back(c.create(Kind::kInfluencer, {{"name", std::string("A") + std::to_string(i)},
                                                    {"store", store_a.to_text()}})
                           .value());
        of_b.push_back(c.create(Kind::kInfluencer, {{"name", std::string("B") + std::to_string(i)},
                                                    {"store", store_b.to_text()}})
                           .value());
    }
    sync_until_quiet(*office, hub, central_device(), "office");
    sync_until_quiet(*tablet, hub, store_device(store_a), "tablet in A");
    auto held = people_of(tablet->replica->store());
    REQUIRE(held.size() == of_a.size());
    // A change the tablet makes in its new store just before it learns of the move stays.
    time.advance(5);
    auto own = tablet->replica->create(
        Kind::kInfluencer, {{"name", std::string("Mine")}, {"store", store_b.to_text()}});
    REQUIRE(own.is_ok());

    // The administrator moves the tablet's user to store B.
    sync_until_quiet(*tablet, hub, store_device(store_b), "tablet in B");
    auto now = people_of(tablet->replica->store());
    for (const auto& id : of_a) CHECK(std::find(now.begin(), now.end(), id) == now.end());
    for (const auto& id : of_b) CHECK(std::find(now.begin(), now.end(), id) != now.end());
    CHECK(std::find(now.begin(), now.end(), own.value()) != now.end());
    CHECK(now.size() == of_b.size() + 1);
    CHECK(must(tablet->replica->state_hash()) ==
          projection_hash(hub, store_device(store_b), dir.file("fresh.db"), time));
    CHECK(tablet->replica->scope_generation() ==
          sync::scope_generation(store_device(store_b).scope));
}

TEST_CASE(
    "a device re-pushes its operations to a hub restored from an older backup and ends "
    "with what a fresh pull gives",
    "[sync][generations][restore][central]") {
    TempDir dir;
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    auto ids = core::make_seeded_id_source(9);
    OpMaker maker(81);
    auto hub_store = open_hub_store(dir.file("hub.db"));
    REQUIRE(sync::ensure_database_generation(*hub_store, *ids).is_ok());
    auto hub = std::make_unique<sync::Hub>(*hub_store, time);
    auto device = open_node(dir.file("device.db"), time, 82);
    auto other = open_node(dir.file("other.db"), time, 83);
    auto make_changes = [&](Node& n, int count) {
        for (int i = 0; i < count;) {
            time.advance(3);
            if (maker.random_change(*n.replica, false)) ++i;
        }
    };
    make_changes(*device, 150);
    make_changes(*other, 50);
    sync_until_quiet(*device, *hub, central_device(), "device");
    sync_until_quiet(*other, *hub, central_device(), "other");
    sync_until_quiet(*device, *hub, central_device(), "device");

    // The backup, then more work that only the live database and the devices see.
    take_backup(dir, hub_store, hub, time);
    make_changes(*device, 150);
    sync_until_quiet(*device, *hub, central_device(), "device");
    const std::string before_restore = must(hub_store->state_hash());
    REQUIRE(must(device->replica->state_hash()) == before_restore);
    const auto people_before = people_of(*hub_store);

    restore_backup(dir, hub_store, hub, time, *ids);
    REQUIRE(must(hub_store->state_hash()) != before_restore);

    sync_until_quiet(*device, *hub, central_device(), "device after restore");
    sync_until_quiet(*other, *hub, central_device(), "other after restore");
    // The device's work is on the hub again: every person visible before the restore (the
    // other device made nothing since the backup).
    const auto people_after = people_of(*hub_store);
    for (const auto& id : people_before)
        CHECK(std::find(people_after.begin(), people_after.end(), id) != people_after.end());
    CHECK(people_after.size() == people_before.size());
    const std::string fresh = projection_hash(*hub, central_device(), dir.file("fresh.db"), time);
    INFO(diff_states(device->replica->store(), *hub_store));
    CHECK(must(device->replica->state_hash()) == fresh);
    CHECK(must(other->replica->state_hash()) == fresh);
}

// Found by the test above once the record model grew (its random operations shifted): a guest
// checked in again after the backup is a second create of her deterministic id (R3), which the
// device rebuilt as a set naming the subject — refused by its own validation, so the write was
// lost and the device kept a value the hub never had under the first create's stamp.
TEST_CASE("a second create made after the backup is pushed again as a create and converges",
          "[sync][generations][restore][central]") {
    TempDir dir;
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    auto ids = core::make_seeded_id_source(19);
    auto hub_store = open_hub_store(dir.file("hub.db"));
    REQUIRE(sync::ensure_database_generation(*hub_store, *ids).is_ok());
    auto hub = std::make_unique<sync::Hub>(*hub_store, time);
    auto device = open_node(dir.file("device.db"), time, 92);
    auto& r = *device->replica;
    auto event = r.create(Kind::kEvent, {{"name", std::string("Gala")},
                                         {"starts", std::int64_t(1'700'100'000'000)}})
                     .value();
    auto guest = r.create(Kind::kInfluencer, {{"name", std::string("Ines Invitée")}}).value();
    const auto checkin = core::Id128::derive("checkin", event, guest);
    auto check_in = [&](std::int64_t at) {
        REQUIRE(r.create(Kind::kCheckin,
                         {{"event", event.to_text()}, {"influencer", guest.to_text()}, {"at", at}},
                         checkin)
                    .is_ok());
    };
    check_in(1'700'000'100'000);
    sync_until_quiet(*device, *hub, central_device(), "device");
    take_backup(dir, hub_store, hub, time);
    time.advance(60'000);
    check_in(1'700'000'200'000);  // checked in again: the same id, a later create
    sync_until_quiet(*device, *hub, central_device(), "device");
    restore_backup(dir, hub_store, hub, time, *ids);
    sync_until_quiet(*device, *hub, central_device(), "device after restore");
    INFO(diff_states(device->replica->store(), *hub_store));
    CHECK(must(device->replica->state_hash()) == must(hub_store->state_hash()));
    auto row = hub_store->load_row(Kind::kCheckin, checkin).value();
    REQUIRE(row);
    CHECK(row->values[std::size_t(core::kind_def(Kind::kCheckin).field_index("at"))] ==
          core::Value{std::int64_t(1'700'000'200'000)});
}

}  // namespace liaison::test::sync_generations
