// Schema evolution (docs/SYNC.md "Schema evolution"): what a replica does with data of another
// schema version. Newer data never reaches an older app (the server answers it
// upgrade_required); an older server's snapshots, with fewer fields, read as fields never
// written; an operation naming a field or value this build does not know is refused by name.
#include <catch2/catch.hpp>

#include "support/harness.hpp"
#include "sync/codec.hpp"

namespace liaison::test::sync_schema_evolution {
namespace {

using core::Kind;

// A reply whose one snapshot stops after the first `fields` fields, as a server with an older
// schema (fewer fields appended) encodes it.
sync::PushReply reply_with_short_snapshot(core::EntitySnapshot snap, std::size_t fields) {
    snap.row.values.resize(fields);
    snap.row.clocks.resize(fields);
    sync::PushReply reply;
    reply.changes.push_back(std::move(snap));
    reply.next_cursor = 1;
    return reply;
}

}  // namespace

TEST_CASE(
    "a snapshot from an older schema, with fewer fields, reads as its later fields never written",
    "[sync][schema][codec]") {
    TempDir dir;
    sync::ManualTimeSource time(1'800'000'000'000ULL);
    auto office = open_node(dir.file("office.db"), time, 1);
    auto ana = office->replica->create(Kind::kInfluencer, {{"name", std::string("Ana")}}).value();
    // A device of this schema that wrote a later field (notes) itself.
    auto device = open_node(dir.file("device.db"), time, 2);
    time.advance(500);
    REQUIRE(
        device->replica->create(Kind::kInfluencer, {{"name", std::string("Ana")}}, ana).is_ok());
    REQUIRE(device->replica->set(Kind::kInfluencer, ana, {{"notes", std::string("Met in Lyon")}})
                .is_ok());
    // The older server's newer write of a field both schemas have.
    time.advance(500);
    REQUIRE(
        office->replica->set(Kind::kInfluencer, ana, {{"name", std::string("Ana Lima")}}).is_ok());
    auto snap = office->replica->store().snapshot(Kind::kInfluencer, ana).value().value();

    const std::size_t all = core::kind_def(Kind::kInfluencer).fields.size();
    const std::size_t older = std::size_t(core::kind_def(Kind::kInfluencer).field_index("notes"));
    auto short_reply = reply_with_short_snapshot(snap, older);
    for (bool json : {false, true}) {
        auto decoded = json ? sync::reply_from_json(sync::reply_to_json(short_reply))
                            : sync::decode_reply(sync::encode_reply(short_reply));
        INFO((json ? "JSON: " : "binary: ") << decoded.status().to_string());
        REQUIRE(decoded.is_ok());
        const auto& row = decoded.value().changes.at(0).row;
        CHECK(row.values.size() == all);
        CHECK(row.clocks.size() == all);
        CHECK(core::is_null(row.values[older]));
        CHECK_FALSE(row.clocks[older].has_value());
        CHECK(row.values[0] == core::Value(std::string("Ana Lima")));
    }
    // Joined, it takes the older server's newer name and keeps the device's notes.
    REQUIRE(
        device->replica->apply_reply(sync::decode_reply(sync::encode_reply(short_reply)).value())
            .is_ok());
    auto row = device->replica->store().snapshot(Kind::kInfluencer, ana).value().value().row;
    CHECK(row.values[0] == core::Value(std::string("Ana Lima")));
    CHECK(row.values[older] == core::Value(std::string("Met in Lyon")));

    // More fields than this build knows is newer data: refused, the list over its bound.
    auto long_reply = reply_with_short_snapshot(snap, all);
    long_reply.changes[0].row.values.push_back(core::Value{});
    long_reply.changes[0].row.clocks.push_back(std::nullopt);
    CHECK(sync::decode_reply(sync::encode_reply(long_reply)).status().code() == Code::kTooLarge);
    CHECK(sync::reply_from_json(sync::reply_to_json(long_reply)).status().code() ==
          Code::kTooLarge);
    // Values and clocks stay paired.
    auto unpaired = reply_with_short_snapshot(snap, older);
    unpaired.changes[0].row.clocks.pop_back();
    CHECK(sync::decode_reply(sync::encode_reply(unpaired)).status().code() == Code::kMalformed);
}

TEST_CASE(
    "an operation naming a field, kind or enum value this build does not know is refused by name",
    "[sync][schema]") {
    TempDir dir;
    sync::ManualTimeSource time(1'800'000'000'000ULL);
    auto newer = open_node(dir.file("newer.db"), time, 1);
    auto older = open_node(dir.file("older.db"), time, 2);
    auto ana = newer->replica->create(Kind::kInfluencer, {{"name", std::string("Ana")}}).value();
    auto create = newer->replica->make_push().value().ops.at(0);
    REQUIRE(older->replica->receive(create).is_ok());
    const std::string before = must(older->replica->state_hash());

    // As a newer app writes a field, and a value, appended after this build's schema.
    auto field = create;
    field.type = sync::OpType::kSet;
    field.id.hlc += 10;
    field.fields = {{"nickname", std::string("Nana")}};
    auto got = older->replica->receive(field);
    REQUIRE(got.is_ok());
    CHECK(got->outcome == sync::Outcome::kRejected);
    CHECK(got->status.code() == Code::kUnknownField);
    CHECK(got->status.detail() == "influencer.nickname");

    auto value = field;
    value.id.hlc += 1;
    value.fields = {{"tier", std::string("ambassador")}};
    got = older->replica->receive(value);
    REQUIRE(got.is_ok());
    CHECK(got->outcome == sync::Outcome::kRejected);
    CHECK(got->status.code() == Code::kUnknownValue);
    CHECK(got->status.detail().find("tier") != std::string::npos);

    // A kind appended after this build's: refused by the decoder in both encodings.
    auto kind = create;
    kind.kind = Kind(core::kKindCount);
    CHECK(sync::decode_op(sync::encode_op(kind)).status().code() == Code::kMalformed);
    CHECK(sync::op_from_json(sync::op_to_json(kind)).status().code() == Code::kMalformed);

    CHECK(must(older->replica->state_hash()) == before);
    CHECK(older->replica->store().snapshot(Kind::kInfluencer, ana).value().has_value());
}

}  // namespace liaison::test::sync_schema_evolution

namespace liaison::test::sync_schema_evolution {

TEST_CASE(
    "a push naming another record model is refused whole and changes nothing: older "
    "apps are told to update, newer apps that the server must be upgraded",
    "[sync][hub][schema][central]") {
    TempDir dir;
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    auto hub_store = open_hub_store(dir.file("hub.db"));
    sync::Hub hub(*hub_store, time);
    auto device = open_node(dir.file("tablet.db"), time, 7);
    REQUIRE(device->replica->create(Kind::kInfluencer, {{"name", std::string("Ana")}}).is_ok());
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    central.replica = device->replica->id();
    const std::string before = must(hub_store->state_hash());

    auto push = device->replica->make_push().value();
    REQUIRE(push.schema_version == core::kSchemaVersion);
    push.schema_version = core::kSchemaVersion - 1;
    auto older = hub.exchange(central, push);
    REQUIRE_FALSE(older.is_ok());
    CHECK(older.status().code() == Code::kUpgradeRequired);
    CHECK(older.status().detail().find("update it to record model") != std::string::npos);

    push.schema_version = core::kSchemaVersion + 1;
    auto newer = hub.exchange(central, push);
    REQUIRE_FALSE(newer.is_ok());
    CHECK(newer.status().code() == Code::kUnsupportedVersion);
    CHECK(newer.status().detail().find("upgrade the server") != std::string::npos);

    CHECK(must(hub_store->state_hash()) == before);
    CHECK(device->replica->pending() == 1);  // nothing was acknowledged: the outbox is whole
    push.schema_version = core::kSchemaVersion;
    auto same = hub.exchange(central, push);
    REQUIRE(same.is_ok());
    REQUIRE(same->results.size() == 1);
    CHECK(same->results[0].outcome == sync::Outcome::kApplied);
}

}  // namespace liaison::test::sync_schema_evolution
