// The central record's history of values (core/storage/history.hpp): what the merge engine of
// the server's hub records for each write to a profile record, and what erasure (R7) and
// duplicate merge (R6) do to it.
#include "core/storage/history.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test::sync_history {
namespace {

using core::HistoryEntry;
using core::Id128;
using core::Kind;
using core::Stamp;
using core::Value;
using sync::FieldWrite;
using sync::Op;
using sync::OpType;

Id128 numbered(std::uint8_t first, std::uint8_t last) {
    Id128 id;
    id.bytes[0] = first;
    id.bytes[15] = last;
    return id;
}

Op op_at(OpType type, const Id128& entity, std::uint64_t hlc, std::vector<FieldWrite> fields = {}) {
    Op op;
    op.type = type;
    op.kind = Kind::kInfluencer;
    op.entity = entity;
    op.id = Stamp{hlc, numbered(9, std::uint8_t(hlc))};
    op.actor = numbered(5, 1);
    op.fields = std::move(fields);
    return op;
}

// A store with a merge engine, as the server's hub has (history on) or a device has (off).
struct Central {
    TempDir dir;
    std::unique_ptr<core::Store> store;
    std::unique_ptr<sync::MergeEngine> merge;

    explicit Central(bool history) {
        if (history) {  // the hub's: the central record, on either backend
            store = open_hub_store(dir.file("central.db"));
        } else {  // a device's: always SQLite
            auto s = core::Store::open(dir.file("central.db"), core::StoreOptions{});
            REQUIRE(s.is_ok());
            store = std::move(s).value();
        }
        merge = std::make_unique<sync::MergeEngine>(*store);
        if (const Status on = history ? merge->enable_history() : Status::ok(); !on.is_ok())
            FAIL("enable_history: " << on.to_string());
    }
    void apply(Op op) {
        core::WriteTxn txn(*store);
        REQUIRE(txn.begun().is_ok());
        REQUIRE(sync::validate_op(op).is_ok());
        auto r = merge->apply(op);
        REQUIRE(r.is_ok());
        REQUIRE(r->outcome == sync::Outcome::kApplied);
        REQUIRE(txn.commit().is_ok());
    }
    std::vector<HistoryEntry> history(const std::vector<Id128>& ids) {
        auto h = core::entity_history(*store, Kind::kInfluencer, ids);
        REQUIRE(h.is_ok());
        return std::move(h).value();
    }
};

int field(const char* name) { return core::kind_def(Kind::kInfluencer).field_index(name); }

std::string text(const std::optional<Value>& v) {
    if (!v) return "<not kept>";
    if (auto s = std::get_if<std::string>(&*v)) return *s;
    if (auto i = std::get_if<std::int64_t>(&*v)) return std::to_string(*i);
    return "<null>";
}

// "tier: a -> b (superseded)" for the entry's change of `name`, or "" when it did not touch it.
std::string change(const HistoryEntry& e, const char* name) {
    for (const auto& f : e.fields)
        if (f.field == field(name))
            return std::string(name) + ": " + text(f.old_value) + " -> " + text(f.new_value) +
                   (f.superseded ? " (superseded)" : "");
    return "";
}

}  // namespace

TEST_CASE(
    "the central record keeps each write's values: an older write delivered after a newer "
    "one is superseded, and old -> new follows stamp order",
    "[sync][history][central]") {
    Central c(true);
    const Id128 zoe = numbered(1, 1);
    // Delivered out of order: the newest set, the create, then the older set.
    c.apply(op_at(OpType::kSet, zoe, 30, {{"tier", std::string("top")}}));
    c.apply(op_at(OpType::kCreate, zoe, 10,
                  {{"name", std::string("Zoë Martin")}, {"tier", std::string("prospect")}}));
    c.apply(op_at(OpType::kSet, zoe, 20, {{"tier", std::string("expert")}}));
    Op tag = op_at(OpType::kAdd, zoe, 40);
    tag.set = "tags";
    tag.elem = "vip";
    c.apply(tag);

    auto h = c.history({zoe});
    REQUIRE(h.size() == 4);
    CHECK(h[0].stamp.hlc == 10);
    CHECK(h[0].type == int(OpType::kCreate));
    CHECK(h[0].actor == numbered(5, 1));
    CHECK(change(h[0], "name") == "name: <null> -> Zoë Martin");
    // The create arrived after a later set of its tier: that value lost when it was applied.
    CHECK(change(h[0], "tier") == "tier: <null> -> prospect (superseded)");
    CHECK(h[0].superseded);
    CHECK(change(h[1], "tier") == "tier: prospect -> expert (superseded)");
    CHECK(h[1].superseded);
    CHECK(change(h[2], "tier") == "tier: expert -> top");
    CHECK_FALSE(h[2].superseded);
    CHECK(h[3].type == int(OpType::kAdd));
    CHECK(h[3].set == core::kind_def(Kind::kInfluencer).set_index("tags"));
    CHECK(h[3].element == std::optional<std::string>("vip"));

    // The state is LWW's, whatever the history shows.
    auto row = c.store->load_row(Kind::kInfluencer, zoe);
    REQUIRE(row.is_ok());
    REQUIRE(row.value());
    CHECK(std::get<std::string>(row.value()->values[std::size_t(field("tier"))]) == "top");
}

TEST_CASE("a device's merge engine keeps no values: its history names fields only",
          "[sync][history]") {
    Central device(false);
    const Id128 zoe = numbered(1, 1);
    device.apply(op_at(OpType::kCreate, zoe, 10, {{"name", std::string("Zoë Martin")}}));
    device.apply(op_at(OpType::kSet, zoe, 20, {{"name", std::string("Zoé Martin")}}));
    CHECK_FALSE(core::has_history_schema(*device.store));
    auto h = device.history({zoe});
    REQUIRE(h.size() == 2);
    CHECK(change(h[1], "name") == "name: <not kept> -> <not kept>");
}

TEST_CASE("R7: erasing a person purges the values of her history, a set's canary included",
          "[sync][history][R7][central]") {
    Central c(true);
    const Id128 zoe = numbered(1, 1), kept = numbered(1, 2);
    c.apply(op_at(OpType::kCreate, zoe, 10, {{"name", std::string("Zoë Martin")}}));
    c.apply(op_at(OpType::kSet, zoe, 20, {{"notes", std::string("Quorvant lichenspire")}}));
    c.apply(op_at(OpType::kCreate, kept, 30, {{"name", std::string("Ulvenhart Mossgrave")}}));
    auto before = core::load_history(*c.store, {zoe});
    REQUIRE(before.is_ok());
    CHECK(before->size() == 2);

    core::WriteTxn txn(*c.store);
    REQUIRE(txn.begun().is_ok());
    REQUIRE(c.merge->erase(zoe, Kind::kInfluencer).is_ok());
    REQUIRE(txn.commit().is_ok());
    auto after = core::load_history(*c.store, {zoe});
    REQUIRE(after.is_ok());
    CHECK(after->empty());
    CHECK(c.history({zoe}).empty());
    auto other = core::load_history(*c.store, {kept});
    REQUIRE(other.is_ok());
    CHECK(other->size() == 1);  // someone else's history stays
}

TEST_CASE("R6: after a duplicate merge both ids' histories are read from the survivor",
          "[sync][history][R6][central]") {
    Central c(true);
    const Id128 a = numbered(1, 1), b = numbered(1, 2);
    c.apply(op_at(OpType::kCreate, a, 10, {{"name", std::string("Zoë Martin")}}));
    c.apply(op_at(OpType::kCreate, b, 20, {{"name", std::string("Zoe Martin")}}));
    c.apply(op_at(OpType::kSet, b, 30, {{"tier", std::string("top")}}));
    Op merge = op_at(OpType::kMerge, b, 40);
    merge.target = a;
    c.apply(merge);
    c.apply(op_at(OpType::kSet, b, 50, {{"tier", std::string("expert")}}));  // names the alias

    const Id128 survivor = c.store->root_of(b);
    CHECK(survivor == a);
    auto h = c.history(c.store->component_of(survivor));
    REQUIRE(h.size() == 5);
    CHECK(change(h[0], "name") == "name: <null> -> Zoë Martin");
    CHECK(change(h[1], "name") == "name: Zoë Martin -> Zoe Martin");
    CHECK(h[1].entity == b);
    CHECK(change(h[2], "tier") == "tier: <null> -> top");
    CHECK(h[3].type == int(OpType::kMerge));
    CHECK(change(h[4], "tier") == "tier: top -> expert");
}

}  // namespace liaison::test::sync_history

namespace liaison::test::sync_history {

TEST_CASE(
    "the fields one operation wrote are kept in one row, and rows of a version 1 table "
    "read as before",
    "[sync][history][central]") {
    Central c(true);
    const Id128 zoe = numbered(1, 7);
    c.apply(op_at(OpType::kCreate, zoe, 10,
                  {{"name", std::string("Zoë Martin")},
                   {"tier", std::string("prospect")},
                   {"email", std::string("zoe@example.org")}}));
    c.apply(op_at(OpType::kSet, zoe, 20, {{"tier", std::string("expert")}, {"country", Value{}}}));
    auto rows = [&] {
        return c.store->db().query_int("SELECT count(*) FROM server_history").value_or(-1);
    };
    CHECK(rows() == 2);
    const auto packed = c.history({zoe});
    REQUIRE(packed.size() == 2);
    CHECK(change(packed[0], "email") == "email: <null> -> zoe@example.org");
    CHECK(change(packed[1], "tier") == "tier: prospect -> expert");
    CHECK(change(packed[1], "country") == "country: <null> -> <null>");

    // The same set as a version 1 server kept it: a row per value.
    const auto stamp = op_at(OpType::kSet, zoe, 20).id.encode();
    core::WriteTxn txn(*c.store);
    REQUIRE(txn.begun().is_ok());
    auto& unpack = c.store->db().cached("DELETE FROM server_history WHERE stamp=?1 AND slot=?2");
    unpack.bind_blob_static(1, stamp.data(), stamp.size()).bind(2, std::int64_t(core::kPackedSlot));
    REQUIRE(unpack.run().is_ok());
    REQUIRE(core::record_history(*c.store, {zoe, op_at(OpType::kSet, zoe, 20).id, field("tier"),
                                            std::string("expert"), false})
                .is_ok());
    REQUIRE(core::record_history(
                *c.store, {zoe, op_at(OpType::kSet, zoe, 20).id, field("country"), Value{}, false})
                .is_ok());
    REQUIRE(txn.commit().is_ok());
    CHECK(rows() == 3);
    const auto mixed = c.history({zoe});
    REQUIRE(mixed.size() == 2);
    CHECK(change(mixed[1], "tier") == "tier: prospect -> expert");
    CHECK(change(mixed[1], "country") == "country: <null> -> <null>");
}

}  // namespace liaison::test::sync_history
