// Wire formats (sync/codec.hpp): round trips, golden fixtures that pin the bytes, and hostile
// input — every truncation, random garbage, lying lengths, wrong type and version bytes —
// answered with an error value, never a crash or a huge allocation.
#include "sync/codec.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

namespace liaison::test::sync_codec {
namespace {

using core::Id128;
using core::Kind;
using core::Stamp;
using sync::Op;
using sync::OpType;

Id128 id_of(std::uint8_t n) {
    Id128 id;
    for (int i = 0; i < 16; ++i) id.bytes[std::size_t(i)] = std::uint8_t(n + i);
    return id;
}

// The reference messages of the golden fixtures. Never change them: add new ones.
Op reference_op() {
    Op op;
    op.id = {0x0001'8BCF'E568'0000ULL | 7, id_of(0x10)};
    op.type = OpType::kCreate;
    op.kind = Kind::kInfluencer;
    op.entity = id_of(0x40);
    op.actor = id_of(0x70);
    op.fields = {{"name", std::string("Hélène Dupont")},
                 {"email", std::string("helene@example.com")},
                 {"tier", std::string("expert")}};
    return op;
}

sync::PushRequest reference_request() {
    sync::PushRequest r;
    r.replica = id_of(0x10);
    r.cursor = 42;
    r.client_hlc = 0x0001'8BCF'E568'0009ULL;
    r.page_limit = 500;
    r.ops.push_back(reference_op());
    Op rm;
    rm.id = {0x0001'8BCF'E568'0008ULL, id_of(0x10)};
    rm.type = OpType::kRemove;
    rm.kind = Kind::kInfluencer;
    rm.entity = id_of(0x40);
    rm.set = "tags";
    rm.elem = "vip";
    rm.observed = {Stamp{0x0001'8BCF'E568'0001ULL, id_of(0x20)}};
    r.ops.push_back(rm);
    return r;
}

constexpr std::size_t kInfluencerFieldsV1 = 15;

sync::PushReply reference_reply() {
    sync::PushReply r;
    r.server_time_ms = 1'700'000'000'000ULL;
    r.server_hlc = 0x0001'8BCF'E568'0010ULL;
    r.results = {{reference_op().id, sync::Outcome::kApplied, Code::kOk, ""},
                 {Stamp{0x0001'8BCF'E568'0008ULL, id_of(0x10)}, sync::Outcome::kRejected,
                  Code::kOutOfScope, "influencer outside your stores"}};
    core::EntitySnapshot s;
    s.row = core::RowState::empty(Kind::kInfluencer, id_of(0x40));
    s.row.created = reference_op().id;
    s.row.values[0] = std::string("Hélène Dupont");
    s.row.clocks[0] = s.row.created;
    s.row.values[4] = std::string("expert");
    s.row.clocks[4] = Stamp{0x0001'8BCF'E568'0005ULL, id_of(0x20)};
    s.dots.push_back({5, "vip", Stamp{0x0001'8BCF'E568'0002ULL, id_of(0x20)}, false});
    s.seq = 77;
    // The person as the first release sent her: the 15 fields an influencer had then (later
    // record models appended more, which a snapshot of fewer leaves never written).
    s.row.values.resize(kInfluencerFieldsV1);
    s.row.clocks.resize(kInfluencerFieldsV1);
    r.changes.push_back(s);
    r.aliases.push_back({id_of(0x40), id_of(0x41)});
    r.erased.push_back(id_of(0x50));
    r.evictions.push_back(id_of(0x60));
    r.next_cursor = 78;
    r.has_more = true;
    return r;
}

std::string read_fixture(const std::string& name) {
    std::string path = std::string(LIAISON_FIXTURES_DIR) + "/" + name;
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        if (std::getenv("LIAISON_WRITE_FIXTURES")) return {};
        FAIL("missing fixture " << path << " (LIAISON_WRITE_FIXTURES=1 adds new ones)");
    }
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// Writes a fixture that does not exist yet (never overwrites: fixtures are added, not edited).
void add_fixture_if_asked(const std::string& name, const std::string& bytes) {
    if (!std::getenv("LIAISON_WRITE_FIXTURES")) return;
    std::string path = std::string(LIAISON_FIXTURES_DIR) + "/" + name;
    if (std::ifstream(path).good()) return;
    std::ofstream(path, std::ios::binary) << bytes;
}

// The references as the previous release wrote them (protocol 1): the fixtures of format 1.
sync::PushRequest reference_request_v1() {
    auto r = reference_request();
    r.protocol = 1;
    r.schema_version = 1;
    return r;
}
sync::PushReply reference_reply_v1() {
    auto r = reference_reply();
    r.protocol = 1;
    return r;
}

// Protocol 2's additions (fixtures of format 2): the schema version pushed, the generations
// and the refused entities' state in the reply.
sync::PushRequest reference_request_v2() {
    auto r = reference_request();
    r.protocol = 2;
    r.schema_version = 1;
    return r;
}
sync::PushReply reference_reply_v2() {
    auto r = reference_reply();
    r.protocol = 2;
    r.scope_generation = 0x1234'5678'9ABC'DEF0ULL;
    r.db_generation = id_of(0x90);
    r.refreshed.push_back(r.changes.front());
    r.absent.push_back(id_of(0xA0));
    return r;
}

// Protocol 3's additions (fixtures of format 3): the brand directory in the reply, the
// push's groups (its two operations, one action: docs/SYNC.md G1) in the request.
sync::PushRequest reference_request_v3() {
    auto r = reference_request_v2();
    r.protocol = 3;
    r.groups = {{0, 2}};
    return r;
}
sync::PushReply reference_reply_v3() {
    auto r = reference_reply_v2();
    r.protocol = 3;
    sync::DirectoryEntry e;
    e.snapshot = r.changes.front();
    e.email_digest = 1;
    e.phone_digest = 65536;
    r.directory.push_back(e);
    r.directory.push_back(sync::DirectoryEntry{r.changes.front(), 0, 0});
    return r;
}

// Equal snapshots, fields never written at the end aside: a decoder gives a snapshot every
// field this build knows, the reference has the fields of the release that wrote it.
bool same_snapshot(const core::EntitySnapshot& a, const core::EntitySnapshot& b) {
    const std::size_t n = std::max(a.row.values.size(), b.row.values.size());
    auto padded = [n](auto v) {
        v.resize(n);
        return v;
    };
    return a.row.kind == b.row.kind && a.row.id == b.row.id && a.row.created == b.row.created &&
           a.row.deleted == b.row.deleted && padded(a.row.values) == padded(b.row.values) &&
           padded(a.row.clocks) == padded(b.row.clocks) && a.dots == b.dots &&
           a.subject_alt == b.subject_alt && a.seq == b.seq;
}

bool same_reply(const sync::PushReply& a, const sync::PushReply& b) {
    if (a.changes.size() != b.changes.size()) return false;
    for (std::size_t i = 0; i < a.changes.size(); ++i)
        if (!same_snapshot(a.changes[i], b.changes[i])) return false;
    return a.protocol == b.protocol && a.server_time_ms == b.server_time_ms &&
           a.server_hlc == b.server_hlc && a.results == b.results && a.aliases == b.aliases &&
           a.erased == b.erased && a.evictions == b.evictions && a.next_cursor == b.next_cursor &&
           a.has_more == b.has_more && a.scope_generation == b.scope_generation &&
           a.db_generation == b.db_generation && a.absent == b.absent &&
           a.refreshed.size() == b.refreshed.size() &&
           std::equal(a.refreshed.begin(), a.refreshed.end(), b.refreshed.begin(), same_snapshot) &&
           std::equal(a.directory.begin(), a.directory.end(), b.directory.begin(),
                      b.directory.end(), [](const auto& x, const auto& y) {
                          return same_snapshot(x.snapshot, y.snapshot) &&
                                 x.email_digest == y.email_digest &&
                                 x.phone_digest == y.phone_digest;
                      });
}

bool same_request(const sync::PushRequest& a, const sync::PushRequest& b) {
    return a.protocol == b.protocol && a.replica == b.replica && a.cursor == b.cursor &&
           a.client_hlc == b.client_hlc && a.page_limit == b.page_limit && a.ops == b.ops &&
           a.schema_version == b.schema_version && a.groups == b.groups;
}

}  // namespace

TEST_CASE("operations round-trip through binary and JSON unchanged", "[sync][codec]") {
    Op op = reference_op();
    auto bin = sync::decode_op(sync::encode_op(op));
    REQUIRE(bin.is_ok());
    CHECK(bin.value() == op);
    auto json = sync::op_from_json(sync::op_to_json(op));
    REQUIRE(json.is_ok());
    CHECK(json.value() == op);
}

TEST_CASE("push requests and replies round-trip through binary and JSON unchanged",
          "[sync][codec]") {
    auto req = reference_request();
    auto rep = reference_reply();
    CHECK(same_request(sync::decode_request(sync::encode_request(req)).value(), req));
    CHECK(same_request(sync::request_from_json(sync::request_to_json(req)).value(), req));
    CHECK(same_reply(sync::decode_reply(sync::encode_reply(rep)).value(), rep));
    CHECK(same_reply(sync::reply_from_json(sync::reply_to_json(rep)).value(), rep));
}

TEST_CASE("golden fixtures of format version 1 decode to the reference messages",
          "[sync][codec][golden]") {
    struct Case {
        const char* name;
        std::string bytes;
    };
    add_fixture_if_asked("op-v1.bin", sync::encode_op(reference_op()));
    add_fixture_if_asked("op-v1.json", sync::op_to_json(reference_op()));
    add_fixture_if_asked("push-request-v1.bin", sync::encode_request(reference_request_v1()));
    add_fixture_if_asked("push-request-v1.json", sync::request_to_json(reference_request_v1()));
    add_fixture_if_asked("push-reply-v1.bin", sync::encode_reply(reference_reply_v1()));
    add_fixture_if_asked("push-reply-v1.json", sync::reply_to_json(reference_reply_v1()));

    auto op = sync::decode_op(read_fixture("op-v1.bin"));
    REQUIRE(op.is_ok());
    CHECK(op.value() == reference_op());
    auto op_json = sync::op_from_json(read_fixture("op-v1.json"));
    REQUIRE(op_json.is_ok());
    CHECK(op_json.value() == reference_op());
    auto req = sync::decode_request(read_fixture("push-request-v1.bin"));
    REQUIRE(req.is_ok());
    CHECK(same_request(req.value(), reference_request_v1()));
    auto req_json = sync::request_from_json(read_fixture("push-request-v1.json"));
    REQUIRE(req_json.is_ok());
    CHECK(same_request(req_json.value(), reference_request_v1()));
    auto rep = sync::decode_reply(read_fixture("push-reply-v1.bin"));
    REQUIRE(rep.is_ok());
    CHECK(same_reply(rep.value(), reference_reply_v1()));
    auto rep_json = sync::reply_from_json(read_fixture("push-reply-v1.json"));
    REQUIRE(rep_json.is_ok());
    CHECK(same_reply(rep_json.value(), reference_reply_v1()));
    // The encoder still writes exactly the pinned bytes.
    CHECK(sync::encode_op(reference_op()) == read_fixture("op-v1.bin"));
    CHECK(sync::encode_reply(reference_reply_v1()) == read_fixture("push-reply-v1.bin"));
    // The previous release pushed no schema version: it reads as 1.
    CHECK(req.value().schema_version == 1);
}

TEST_CASE(
    "golden fixtures of format version 2 decode to the reference messages, generations included",
    "[sync][codec][golden]") {
    add_fixture_if_asked("push-request-v2.bin", sync::encode_request(reference_request_v2()));
    add_fixture_if_asked("push-request-v2.json", sync::request_to_json(reference_request_v2()));
    add_fixture_if_asked("push-reply-v2.bin", sync::encode_reply(reference_reply_v2()));
    add_fixture_if_asked("push-reply-v2.json", sync::reply_to_json(reference_reply_v2()));
    auto req = sync::decode_request(read_fixture("push-request-v2.bin"));
    REQUIRE(req.is_ok());
    CHECK(same_request(req.value(), reference_request_v2()));
    auto req_json = sync::request_from_json(read_fixture("push-request-v2.json"));
    REQUIRE(req_json.is_ok());
    CHECK(same_request(req_json.value(), reference_request_v2()));
    auto rep = sync::decode_reply(read_fixture("push-reply-v2.bin"));
    REQUIRE(rep.is_ok());
    CHECK(same_reply(rep.value(), reference_reply_v2()));
    auto rep_json = sync::reply_from_json(read_fixture("push-reply-v2.json"));
    REQUIRE(rep_json.is_ok());
    CHECK(same_reply(rep_json.value(), reference_reply_v2()));
    CHECK(sync::encode_request(reference_request_v2()) == read_fixture("push-request-v2.bin"));
    CHECK(sync::encode_reply(reference_reply_v2()) == read_fixture("push-reply-v2.bin"));
}

TEST_CASE(
    "golden fixtures of format version 3 decode to the reference messages, directory "
    "included",
    "[sync][codec][golden][directory]") {
    add_fixture_if_asked("push-request-v3.bin", sync::encode_request(reference_request_v3()));
    add_fixture_if_asked("push-request-v3.json", sync::request_to_json(reference_request_v3()));
    add_fixture_if_asked("push-reply-v3.bin", sync::encode_reply(reference_reply_v3()));
    add_fixture_if_asked("push-reply-v3.json", sync::reply_to_json(reference_reply_v3()));
    auto req = sync::decode_request(read_fixture("push-request-v3.bin"));
    REQUIRE(req.is_ok());
    CHECK(same_request(req.value(), reference_request_v3()));
    auto req_json = sync::request_from_json(read_fixture("push-request-v3.json"));
    REQUIRE(req_json.is_ok());
    CHECK(same_request(req_json.value(), reference_request_v3()));
    auto rep = sync::decode_reply(read_fixture("push-reply-v3.bin"));
    REQUIRE(rep.is_ok());
    CHECK(rep.value().directory.size() == 2);
    CHECK(same_reply(rep.value(), reference_reply_v3()));
    auto rep_json = sync::reply_from_json(read_fixture("push-reply-v3.json"));
    REQUIRE(rep_json.is_ok());
    CHECK(same_reply(rep_json.value(), reference_reply_v3()));
    CHECK(sync::encode_reply(reference_reply_v3()) == read_fixture("push-reply-v3.bin"));
    CHECK(std::uint8_t(sync::encode_reply(reference_reply_v3())[1]) == 3);
    // A protocol 2 reply carries no directory, even if one was filled in.
    auto v2 = reference_reply_v3();
    v2.protocol = 2;
    CHECK(sync::decode_reply(sync::encode_reply(v2)).value().directory.empty());
}

TEST_CASE("a push's groups round-trip in both encodings, and a protocol 2 push carries none",
          "[sync][codec][groups]") {
    auto req = reference_request();
    req.ops.push_back(req.ops.front());
    req.groups = {{0, 2}, {2, 1}};
    auto bin = sync::decode_request(sync::encode_request(req));
    REQUIRE(bin.is_ok());
    CHECK(bin.value().groups == req.groups);
    auto json = sync::request_from_json(sync::request_to_json(req));
    REQUIRE(json.is_ok());
    CHECK(json.value().groups == req.groups);
    // A push written by hand (a tool) may leave the member out: no groups.
    std::string text = sync::request_to_json(req);
    REQUIRE(text.find("\"groups\"") != std::string::npos);
    text = text.substr(0, text.rfind(',', text.find("\"groups\""))) + "}";
    auto handmade = sync::request_from_json(text);
    REQUIRE(handmade.is_ok());
    CHECK(handmade.value().groups.empty());
    req.protocol = 2;
    CHECK(sync::decode_request(sync::encode_request(req)).value().groups.empty());
}

TEST_CASE(
    "the generations, the schema version and the refused entities round-trip in both encodings",
    "[sync][codec][generations]") {
    auto req = reference_request_v2();
    req.schema_version = 7;
    auto rep = reference_reply_v2();
    for (auto gen : {std::uint64_t(1), std::uint64_t(0xFFFF'FFFF'FFFF'FFFFULL)}) {
        rep.scope_generation = gen;
        auto bin = sync::decode_reply(sync::encode_reply(rep));
        REQUIRE(bin.is_ok());
        CHECK(same_reply(bin.value(), rep));
        auto json = sync::reply_from_json(sync::reply_to_json(rep));
        REQUIRE(json.is_ok());
        CHECK(same_reply(json.value(), rep));
    }
    CHECK(sync::decode_request(sync::encode_request(req)).value().schema_version == 7);
    CHECK(sync::request_from_json(sync::request_to_json(req)).value().schema_version == 7);
    // A protocol 1 message is written in format 1, without the new fields.
    CHECK(std::uint8_t(sync::encode_reply(reference_reply_v1())[1]) == 1);
    CHECK(std::uint8_t(sync::encode_reply(rep)[1]) == 2);
    // The format byte must agree with the protocol the payload names.
    std::string lying = sync::encode_reply(rep);
    lying[1] = 1;
    CHECK(sync::decode_reply(lying).status().code() == Code::kMalformed);
}

TEST_CASE("every truncation of a message is an error, never a crash", "[sync][codec][hostile]") {
    std::string full = sync::encode_reply(reference_reply());
    for (std::size_t n = 0; n < full.size(); ++n) {
        auto r = sync::decode_reply(std::string_view(full).substr(0, n));
        INFO("length " << n);
        REQUIRE_FALSE(r.is_ok());
        CHECK((r.status().code() == Code::kMalformed || r.status().code() == Code::kTooLarge));
    }
    std::string req = sync::encode_request(reference_request());
    for (std::size_t n = 0; n < req.size(); ++n)
        REQUIRE_FALSE(sync::decode_request(std::string_view(req).substr(0, n)).is_ok());
}

TEST_CASE("random garbage and flipped bytes are errors, never crashes", "[sync][codec][hostile]") {
    std::mt19937_64 rng(7);
    std::string good = sync::encode_request(reference_request());
    for (int i = 0; i < 3000; ++i) {
        std::string bytes = good;
        int flips = 1 + int(rng() % 4);
        for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] = char(rng());
        auto r = sync::decode_request(bytes);  // may decode (a flipped text byte), must not crash
        if (r.is_ok()) {
            sync::Op op = r.value().ops.empty() ? sync::Op{} : r.value().ops[0];
            (void)sync::validate_op(op);
        }
        std::string noise(std::size_t(rng() % 300), '\0');
        for (auto& c : noise) c = char(rng());
        (void)sync::decode_reply(noise);
        (void)sync::request_from_json(noise);
    }
    SUCCEED("no crash");
}

TEST_CASE("a length field claiming gigabytes is refused before allocating",
          "[sync][codec][hostile]") {
    std::string bytes = sync::encode_op(reference_op());
    // Layout: type, version, cereal's endianness byte, hlc(8), replica(16), type(1), kind(1),
    // entity(16), actor(16), then the field count (4).
    std::size_t count_at = 3 + 8 + 16 + 1 + 1 + 16 + 16;
    bytes[count_at] = '\xff';
    bytes[count_at + 1] = '\xff';
    bytes[count_at + 2] = '\xff';
    bytes[count_at + 3] = '\x7f';
    auto r = sync::decode_op(bytes);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == Code::kTooLarge);
}

TEST_CASE("a wrong message type or format version is refused with a clear error",
          "[sync][codec][version]") {
    std::string bytes = sync::encode_request(reference_request());
    std::string wrong_type = bytes;
    wrong_type[0] = char(sync::MessageType::kPushReply);
    CHECK(sync::decode_request(wrong_type).status().code() == Code::kMalformed);
    std::string future = bytes;
    future[1] = char(sync::kFormatVersion + 1);
    auto r = sync::decode_request(future);
    CHECK(r.status().code() == Code::kUnsupportedVersion);
    CHECK(r.status().detail().find("format version " + std::to_string(sync::kFormatVersion + 1)) !=
          std::string::npos);
    auto req = reference_request();
    req.protocol = 99;
    auto p = sync::decode_request(sync::encode_request(req));
    CHECK(p.status().code() == Code::kUnsupportedVersion);
    CHECK(sync::decode_request(bytes + "x").status().code() == Code::kMalformed);
}

TEST_CASE("hostile JSON is an error, never a crash", "[sync][codec][hostile]") {
    const char* cases[] = {
        "",
        "{",
        "[]",
        "null",
        "{\"protocol\":1}",
        "{\"protocol\":\"1\",\"replica\":5}",
        "{\"protocol\":1,\"replica\":\"\",\"cursor\":0,\"client_hlc\":0,\"page_limit\":1,\"ops\":{}"
        "}",
        "{\"protocol\":1,\"replica\":\"\",\"cursor\":0,\"client_hlc\":0,\"page_limit\":1,\"ops\":[{"
        "\"id\":\"x\"}]}",
        "{\"protocol\":1,\"replica\":\"ZZZZZZZZZZZZZZZZZZZZZZZZZZ\",\"cursor\":-1e400}",
        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
        "]]]]]}",
        "\xff\xfe\x00\x01",
    };
    for (const char* c : cases) {
        INFO(c);
        CHECK_FALSE(sync::request_from_json(c).is_ok());
        CHECK_FALSE(sync::reply_from_json(c).is_ok());
    }
}

// Found from outside: 200,000 nested arrays in a JSON push overflowed the stack of the
// recursive parser and killed the server (issue 13). Every decoder refuses past kMaxJsonDepth.
TEST_CASE("a million levels of JSON nesting are malformed, not a crash", "[sync][codec][hostile]") {
    const std::size_t levels = 1'000'000;
    const std::string arrays = std::string(levels, '[') + std::string(levels, ']');
    std::string objects;
    objects.reserve(levels * 6);
    for (std::size_t i = 0; i < levels; ++i) objects += "{\"a\":";
    objects += "1" + std::string(levels, '}');
    for (const std::string* doc : std::vector<const std::string*>{&arrays, &objects}) {
        for (const auto& r :
             {sync::request_from_json(*doc).status(), sync::reply_from_json(*doc).status(),
              sync::op_from_json(*doc).status()}) {
            CHECK(r.code() == Code::kMalformed);
            CHECK(r.to_string().find("nested deeper than 64 levels") != std::string::npos);
        }
    }
}

// The JSON form once cut text at a NUL (cereal read strings as C strings): "A\u0000B" was
// stored as "A" while the binary form kept it whole and validation refused it (R10).
TEST_CASE("a NUL inside a JSON text decodes whole, as in binary", "[sync][codec]") {
    Op op = reference_op();
    op.fields[0].value = std::string("A\0B", 3);
    const std::string json = sync::op_to_json(op);
    REQUIRE(json.find("A\\u0000B") != std::string::npos);
    auto back = sync::op_from_json(json);
    REQUIRE(back.is_ok());
    CHECK(std::get<std::string>(back->fields[0].value) == std::string("A\0B", 3));
    CHECK(back.value() == op);
}

// The parser took a raw NUL byte for the end of the input, so anything after one was ignored
// where the binary form refuses trailing bytes.
TEST_CASE("JSON with a raw NUL byte is malformed, whatever follows it", "[sync][codec][hostile]") {
    const std::string good = sync::request_to_json(reference_request());
    REQUIRE(sync::request_from_json(good).is_ok());
    for (const std::string& bad : {good + std::string(1, '\0') + "{{{garbage",
                                   good + std::string(1, '\0'), std::string(1, '\0') + good}) {
        auto r = sync::request_from_json(bad);
        REQUIRE_FALSE(r.is_ok());
        CHECK(r.status().code() == Code::kMalformed);
    }
}

}  // namespace liaison::test::sync_codec
