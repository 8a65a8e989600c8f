// R10 across the two wire encodings (docs/SYNC.md "Encodings"): an operation is decided the
// same whether it arrived in binary or in JSON. A seeded differential test: random operations,
// valid and deliberately broken, go through each encoding to their own hub; the per-operation
// outcomes, the push-level refusals and the state hashes must be identical.
// Found from outside: the JSON form cut text at a NUL and stored "A\u0000B" as "A", where the
// binary form kept it and validation refused it (issue 13).
// Every failure names its seed: rerun with LIAISON_SEED=<seed>.
#include <catch2/catch.hpp>
#include <limits>
#include <set>
#include <sstream>

#include "support/harness.hpp"
#include "sync/codec.hpp"

namespace liaison::test::sync_encodings {
namespace {

using core::Kind;
using sync::Op;
using sync::OpType;

// One line per operation, for failure messages (texts escaped, long ones cut).
std::string describe(const Op& op) {
    auto quote = [](const std::string& s) {
        std::string out;
        for (unsigned char c : s.substr(0, 40)) {
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                char b[8];
                std::snprintf(b, sizeof b, "\\x%02x", c);
                out += b;
            } else {
                out += char(c);
            }
        }
        return "\"" + out + (s.size() > 40 ? "...\"(" + std::to_string(s.size()) + ")" : "\"");
    };
    std::ostringstream o;
    o << "op " << op.id.to_text() << " type " << int(op.type) << " kind " << int(op.kind)
      << " entity " << op.entity.to_text() << " target " << op.target.to_text();
    for (std::size_t i = 0; i < op.fields.size() && i < 8; ++i) {
        const auto& w = op.fields[i];
        o << " " << quote(w.field) << "=";
        if (const auto* s = std::get_if<std::string>(&w.value))
            o << quote(*s);
        else if (const auto* i = std::get_if<std::int64_t>(&w.value))
            o << *i;
        else
            o << "null";
    }
    if (op.fields.size() > 8) o << " ... (" << op.fields.size() << " fields)";
    if (!op.set.empty() || !op.elem.empty())
        o << " set " << quote(op.set) << " elem " << quote(op.elem);
    o << " observed " << op.observed.size();
    return o.str();
}

// Hostile and mistaken texts: NUL and other control characters, invalid UTF-8 (an overlong NUL,
// a lone surrogate, a truncated sequence), characters JSON escapes, white space only.
std::string bad_text(OpMaker& m, const std::string& base) {
    static const char* kInserts[] = {"\0",           "\x01",     "\x1f",         "\x7f",
                                     "\n",           "\t",       "\r",           "\xc0\x80",
                                     "\xed\xa0\x80", "\xc3",     "\xff\xfe",     "\"",
                                     "\\",           "<script>", "\xe2\x80\xa8", "\xef\xbb\xbf"};
    const std::size_t which = m.next(std::size(kInserts));
    // "\0" has length 0 as a C string: the NUL is inserted as one byte.
    const std::string insert = which == 0 ? std::string(1, '\0') : std::string(kInserts[which]);
    switch (m.next(4)) {
        case 0:
            return insert + base;
        case 1:
            return base + insert;
        case 2:
            return insert;
        default: {
            const std::size_t at = m.next(base.size() + 1);
            return base.substr(0, at) + insert + base.substr(at);
        }
    }
}

// A text over a limit: the field's (validation), a set element's, or the codec's (64 KiB).
std::string long_text(OpMaker& m) {
    static const std::size_t kLengths[] = {65, 201, 1025, 2001, 4001, sync::kMaxStringBytes + 1};
    std::string s(kLengths[m.next(std::size(kLengths))], 'x');
    if (m.chance(0.3)) s[m.next(s.size())] = '\0';
    return s;
}

core::Value bad_value(OpMaker& m, const core::Value& v) {
    const std::string base =
        std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : "text";
    switch (m.next(9)) {
        case 0:
        case 1:
        case 2:
            return bad_text(m, base);
        case 3:
            return long_text(m);
        case 4:
            return std::string("emperor");  // not one of an enum's choices, not an id
        case 5:
            return std::string();
        case 6:
            return std::string("   ");
        case 7: {
            static const std::int64_t kInts[] = {std::numeric_limits<std::int64_t>::min(), -1, 0,
                                                 std::numeric_limits<std::int64_t>::max()};
            return kInts[m.next(4)];
        }
        default:
            return core::Value{};
    }
}

core::Id128 bad_id(OpMaker& m) {
    core::Id128 id;
    if (m.chance(0.5)) return id;  // nil
    for (auto& b : id.bytes) b = std::uint8_t(m.next(256));
    return id;
}

// Breaks one thing in `op` (or a few): the kinds of mistakes a buggy or hostile device makes.
void corrupt(OpMaker& m, Op& op) {
    const std::size_t mistakes = 1 + m.next(2);
    for (std::size_t n = 0; n < mistakes; ++n) {
        switch (m.next(14)) {
            case 0:
            case 1:
            case 2:
            case 3:  // a field's value: control characters, NUL, bad UTF-8, too long, wrong type
                if (!op.fields.empty()) {
                    auto& w = op.fields[m.next(op.fields.size())];
                    w.value = bad_value(m, w.value);
                } else {
                    op.elem = m.chance(0.8) ? bad_text(m, op.elem) : long_text(m);
                }
                break;
            case 4:  // a field name: unknown, with a NUL, repeated, or the list over its limit
                if (m.chance(0.2)) {
                    op.fields.resize(257, {"name", std::string("x")});
                } else if (!op.fields.empty() && m.chance(0.5)) {
                    op.fields.push_back(op.fields[m.next(op.fields.size())]);
                } else {
                    op.fields.push_back(
                        {m.chance(0.5) ? bad_text(m, "name") : "colour", std::string("red")});
                }
                break;
            case 5:  // a set name or element
                if (m.chance(0.5))
                    op.set = m.chance(0.5) ? bad_text(m, op.set) : "wishes";
                else
                    op.elem = bad_text(m, op.elem);
                break;
            case 6:  // the entity or merge target: nil or unknown
                if (m.chance(0.5))
                    op.entity = bad_id(m);
                else
                    op.target = m.chance(0.5) ? op.entity : bad_id(m);
                break;
            case 7:  // another kind, or a kind no build knows
                op.kind = m.chance(0.7) ? Kind(m.next(core::kKindCount))
                                        : Kind(std::uint8_t(core::kKindCount + int(m.next(200))));
                break;
            case 8: {  // an operation type no build knows, or the wrong one for the payload
                static const std::uint8_t kTypes[] = {0, 8, 200, 1, 2, 3, 4, 5, 6, 7};
                op.type = OpType(kTypes[m.next(std::size(kTypes))]);
                break;
            }
            case 9:  // the stamp: far in the future, at zero, or with no replica
                if (m.chance(0.4))
                    op.id.hlc += m.next(3'000'000) << sync::kHlcCounterBits;
                else if (m.chance(0.5))
                    op.id.hlc = 0;
                else
                    op.id.replica = core::Id128{};
                break;
            case 10:  // observed dots: garbage, or more than a remove may carry
                if (m.chance(0.2))
                    op.observed.resize(1001, op.id);
                else
                    op.observed.push_back({m.rng()(), bad_id(m)});
                break;
            case 11:  // a reference field holding text that is not an id, or an id off by case
                for (auto& w : op.fields)
                    if (auto* s = std::get_if<std::string>(&w.value); s && s->size() == 26) {
                        *s = m.chance(0.5) ? std::string("not-an-id") : std::string(26, 'z');
                        break;
                    }
                break;
            case 12:  // an actor that is not a known staff member
                op.actor = bad_id(m);
                break;
            default:  // every field dropped (a create then misses what it requires)
                op.fields.clear();
                break;
        }
    }
}

struct Tally {
    std::size_t pushes = 0, refused_pushes = 0, applied = 0, rejected = 0, duplicate = 0;
};

}  // namespace

TEST_CASE("R10: random operations, valid and broken, are decided the same in binary and JSON",
          "[sync][codec][R10][property]") {
    for (auto seed : seeds({61, 62, 63, 64})) {
        INFO("seed " << seed << " (rerun with LIAISON_SEED=" << seed << ")");
        TempDir dir;
        sync::ManualTimeSource time(1'700'000'000'000ULL);
        OpMaker maker(seed);
        auto device = open_node(dir.file("device.db"), time, seed * 10 + 1);
        // WAL without a sync per commit: hundreds of pushes, and durability is not the point here.
        const core::StoreOptions fast{true, false};
        auto binary_store = open_hub_store(dir.file("binary.db"), fast);
        auto json_store = open_hub_store(dir.file("json.db"), fast);
        sync::Hub via_binary(*binary_store, time), via_json(*json_store, time);
        sync::DeviceContext central;
        central.role = sync::Role::kCentral;
        central.scope = sync::Scope::everything();

        Tally tally;
        std::set<core::Stamp> taken;
        std::vector<Op> sent;  // everything pushed so far, to send some of it again
        for (int round = 0; round < 30; ++round) {
            for (int i = 0; i < 25; ++i) {
                time.advance(2);
                (void)maker.random_change(*device->replica);
            }
            // The device's outbox is never acknowledged: take what it made this round (an erase
            // purges the outbox of the person's operations, so go by id, not by position).
            auto outbox = device->replica->make_push(2000).value();
            REQUIRE(outbox.ops.size() < 2000);
            std::vector<Op> ops;
            for (const auto& op : outbox.ops)
                if (taken.insert(op.id).second) ops.push_back(op);
            for (auto& op : ops)
                if (maker.chance(0.5)) corrupt(maker, op);
            if (!sent.empty())
                for (int i = 0; i < 3; ++i) ops.push_back(sent[maker.next(sent.size())]);
            sent.insert(sent.end(), ops.begin(), ops.end());

            // Small pushes, so one undecodable operation refuses few others with it.
            for (std::size_t at = 0; at < ops.size();) {
                sync::PushRequest push;
                push.replica = device->replica->id();
                const std::size_t n = std::min<std::size_t>(1 + maker.next(4), ops.size() - at);
                push.ops.assign(ops.begin() + std::ptrdiff_t(at),
                                ops.begin() + std::ptrdiff_t(at + n));
                at += n;
                std::string what;
                for (const auto& op : push.ops) what += describe(op) + "\n";
                INFO(what);
                ++tally.pushes;
                auto from_binary = sync::decode_request(sync::encode_request(push));
                auto from_json = sync::request_from_json(sync::request_to_json(push));
                INFO("binary: " << (from_binary ? std::string("decoded")
                                                : from_binary.status().to_string())
                                << "; JSON: "
                                << (from_json ? std::string("decoded")
                                              : from_json.status().to_string()));
                REQUIRE(from_binary.is_ok() == from_json.is_ok());
                if (!from_binary) {
                    REQUIRE(from_binary.status().code() == from_json.status().code());
                    ++tally.refused_pushes;
                    continue;
                }
                auto b = via_binary.exchange(central, from_binary.value());
                auto j = via_json.exchange(central, from_json.value());
                REQUIRE(b.is_ok());
                REQUIRE(j.is_ok());
                REQUIRE(b->results.size() == j->results.size());
                for (std::size_t i = 0; i < b->results.size(); ++i) {
                    const auto& rb = b->results[i];
                    const auto& rj = j->results[i];
                    INFO("operation " << i << ": binary " << sync::outcome_name(rb.outcome) << " "
                                      << code_name(rb.code) << " (" << rb.detail << "); JSON "
                                      << sync::outcome_name(rj.outcome) << " " << code_name(rj.code)
                                      << " (" << rj.detail << ")");
                    REQUIRE(rb.outcome == rj.outcome);
                    REQUIRE(rb.code == rj.code);
                    tally.applied += rb.outcome == sync::Outcome::kApplied;
                    tally.rejected += rb.outcome == sync::Outcome::kRejected;
                    tally.duplicate += rb.outcome == sync::Outcome::kDuplicate;
                }
            }
            const std::string hb = must(binary_store->state_hash());
            const std::string hj = must(json_store->state_hash());
            if (hb != hj)
                FAIL("round " << round << ": the hubs differ, binary (-) vs JSON (+):\n"
                              << diff_states(*binary_store, *json_store));
        }
        // The run reached every path: accepted, refused per operation, refused whole, repeated.
        INFO("pushes " << tally.pushes << ", refused whole " << tally.refused_pushes << ", applied "
                       << tally.applied << ", rejected " << tally.rejected << ", duplicate "
                       << tally.duplicate);
        CHECK(tally.applied > 100);
        CHECK(tally.rejected > 50);
        CHECK(tally.refused_pushes > 10);
        CHECK(tally.duplicate > 10);
    }
}

}  // namespace liaison::test::sync_encodings
