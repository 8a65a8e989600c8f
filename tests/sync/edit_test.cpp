// JSON documents from the apps into operations (sync/edit.hpp).
#include "sync/edit.hpp"

#include <catch2/catch.hpp>

#include "core/query/view.hpp"
#include "support/harness.hpp"

namespace liaison::test::sync_edit {
namespace {

using core::Id128;
using core::Kind;
using sync::EditMode;
using sync::OpType;

Id128 some_id() { return *Id128::from_text("01JD0000000000000000000000"); }

Status error_of(Kind kind, EditMode mode, std::string_view json) {
    auto ops = sync::ops_from_json(kind, some_id(), mode, json);
    REQUIRE_FALSE(ops.is_ok());
    return ops.status();
}

}  // namespace

TEST_CASE("a create document becomes one create and one add per set element", "[sync][edit]") {
    auto ops = sync::ops_from_json(
        Kind::kInfluencer, some_id(), EditMode::kCreate,
        R"( {"name":"H\u00e9l\u00e8ne \ud83d\ude00","email":"h@example.fr","handles":["instagram:helene:10"],
            "roles":["customer","journalist"],"notes":null} )");
    REQUIRE(ops.is_ok());
    REQUIRE(ops.value().size() == 4);
    const auto& c = ops.value()[0];
    CHECK(c.type == OpType::kCreate);
    CHECK(c.entity == some_id());
    REQUIRE(c.fields.size() == 3);
    CHECK(c.fields[0].field == "name");
    CHECK(std::get<std::string>(c.fields[0].value) == "Hélène \xF0\x9F\x98\x80");
    CHECK(core::is_null(c.fields[2].value));
    CHECK(ops.value()[1].type == OpType::kAdd);
    CHECK(ops.value()[1].set == "handles");
    CHECK(ops.value()[3].elem == "journalist");
}

TEST_CASE("typed fields take JSON numbers and booleans, and refuse the wrong type by name",
          "[sync][edit]") {
    auto ops = sync::ops_from_json(Kind::kCheckin, some_id(), EditMode::kCreate,
                                   R"({"at":1700000000000,"walk_in":true,"note":"ok"})");
    REQUIRE(ops.is_ok());
    CHECK(std::get<std::int64_t>(ops.value()[0].fields[0].value) == 1700000000000);
    CHECK(std::get<std::int64_t>(ops.value()[0].fields[1].value) == 1);

    auto s = error_of(Kind::kEvent, EditMode::kCreate, R"({"capacity":"forty"})");
    CHECK(s.code() == Code::kInvalidArgument);
    CHECK(s.detail() == "capacity: expected a whole number");
    CHECK(error_of(Kind::kEvent, EditMode::kCreate, R"({"capacity":4.5})").detail() ==
          "capacity: expected a whole number");
    CHECK(error_of(Kind::kEvent, EditMode::kCreate, R"({"capacity":99999999999999999999})")
              .detail() == "capacity: number out of range");
    CHECK(error_of(Kind::kEvent, EditMode::kCreate, R"({"name":12})").detail() ==
          "name: expected a string");
    CHECK(error_of(Kind::kCheckin, EditMode::kCreate, R"({"walk_in":"yes"})").detail() ==
          "walk_in: expected true or false");
}

TEST_CASE("unknown fields, sets in updates and empty updates are refused", "[sync][edit]") {
    auto unknown = error_of(Kind::kInfluencer, EditMode::kCreate, R"({"name":"A","shoe_size":42})");
    CHECK(unknown.code() == Code::kUnknownField);
    CHECK(unknown.detail() == "shoe_size: not a field of influencer");
    CHECK(error_of(Kind::kInfluencer, EditMode::kUpdate, R"({"tags":["x"]})").code() ==
          Code::kInvalidArgument);
    CHECK(error_of(Kind::kInfluencer, EditMode::kUpdate, R"({})").detail() ==
          "the update names no field");
    auto upd = sync::ops_from_json(Kind::kInfluencer, some_id(), EditMode::kUpdate,
                                   R"({"status":"do_not_contact"})");
    REQUIRE(upd.is_ok());
    CHECK(upd.value().size() == 1);
    CHECK(upd.value()[0].type == OpType::kSet);
}

TEST_CASE("text that is not one flat JSON object is refused as malformed, never half-read",
          "[sync][edit]") {
    for (std::string_view bad :
         {"", "[]", "\"name\"", "{", "{\"name\":\"A\"", "{\"name\":\"A\",}", "{\"name\" \"A\"}",
          "{\"name\":\"A\"} trailing", "{name:\"A\"}", "{\"name\":'A'}", "{\"name\":\"A\\x\"}",
          "{\"name\":\"\\ud800\"}", "{\"name\":\"a\nb\"}", "{\"capacity\":01}", "{\"capacity\":-}",
          "{\"name\":tru}", "{\"tags\":[1,2]}", "{\"name\":{\"first\":\"A\"}}",
          "{\"name\":\"A\",\"name\":\"B\"}"}) {
        INFO(bad);
        auto ops = sync::ops_from_json(Kind::kInfluencer, some_id(), EditMode::kCreate, bad);
        CHECK_FALSE(ops.is_ok());
    }
    CHECK(error_of(Kind::kInfluencer, EditMode::kCreate, "{\"name\":\"A\",\"name\":\"B\"}")
              .detail() == "name: appears twice");
    std::string huge = "{\"notes\":\"" + std::string(sync::kMaxEditBytes, 'x') + "\"}";
    CHECK(error_of(Kind::kInfluencer, EditMode::kCreate, huge).code() == Code::kTooLarge);
}

TEST_CASE("operations made from a document apply through a replica like any local write",
          "[sync][edit]") {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    auto node = open_node(dir.file("e.db"), time, 3);
    Id128 id = node->ids->next_entity_id(time.now_ms());
    auto ops = sync::ops_from_json(Kind::kInfluencer, id, EditMode::kCreate,
                                   R"({"name":"Ana","handles":["instagram:@Ana:5"]})");
    REQUIRE(ops.is_ok());
    for (auto& op : ops.value()) REQUIRE(node->replica->submit(op).is_ok());
    auto view = core::entity_json(node->replica->store(), Kind::kInfluencer, id);
    REQUIRE(view.is_ok());
    REQUIRE(view.value());
    CHECK(view.value()->find("\"handles\":[\"instagram:Ana:5\"]") != std::string::npos);

    // A value that fails validation is refused by the replica, and nothing is stored.
    auto bad = sync::ops_from_json(Kind::kInfluencer, id, EditMode::kUpdate, R"({"email":"bob@"})");
    REQUIRE(bad.is_ok());
    auto applied = node->replica->submit(bad.value()[0]);
    REQUIRE_FALSE(applied.is_ok());
    CHECK(applied.status().detail().find("email") != std::string::npos);
}

}  // namespace liaison::test::sync_edit
