#include "sync/codec.hpp"

#include <rapidjson/error/en.h>

#include <cereal/archives/json.hpp>
#include <cereal/archives/portable_binary.hpp>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "core/util/json.hpp"

namespace liaison::sync {
namespace {

// Thrown inside the codec only, caught at its boundary (decode_*): a limit was exceeded.
struct LimitError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// Thrown inside the codec only: a value is structurally wrong (unknown enum, bad id text...).
struct FormatError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Reads the JSON form with the calls io() makes on cereal's archives (setNextName, startNode,
// loadSize, finishNode, ar(nvp), ar(value)). Not cereal's JSONInputArchive: that reads text as
// a C string, so "A\u0000B" became "A" and the JSON form decided an operation differently from
// the binary one (R10, docs/SYNC.md "Encodings"). Here every text keeps its length, every
// number must fit its field exactly, and a missing member is named in the error.
class JsonReader : public cereal::traits::TextArchive {
public:
    using is_loading = std::true_type;
    using is_saving = std::false_type;

    explicit JsonReader(const rapidjson::Value& root) {
        if (!root.IsObject()) throw FormatError("expected a JSON object");
        stack_.push_back({&root, 0});
    }
    void setNextName(const char* name) { next_ = name; }
    void startNode() {
        const rapidjson::Value& v = take();
        if (!v.IsObject() && !v.IsArray())
            throw FormatError(what() + "expected an object or a list");
        stack_.push_back({&v, 0});
    }
    void finishNode() { stack_.pop_back(); }
    void loadSize(cereal::size_type& n) {
        if (!stack_.back().node->IsArray()) throw FormatError("expected a list");
        n = stack_.back().node->Size();
    }
    template <class T>
    void operator()(cereal::NameValuePair<T>&& nvp) {
        next_ = nvp.name;
        load(nvp.value);
    }
    void operator()(std::string& s) { load(s); }
    // Whether the object being read has the member (for a member that may be left out).
    bool has(const char* name) const {
        const auto* node = stack_.back().node;
        return node->IsObject() && node->FindMember(name) != node->MemberEnd();
    }

private:
    struct Frame {
        const rapidjson::Value* node;
        rapidjson::SizeType next;  // the next item of a list
    };
    // "name: " for errors about the value being read.
    std::string what() const { return name_ ? std::string(name_) + ": " : std::string(); }
    // The value named by setNextName (in an object), or the list's next item.
    const rapidjson::Value& take() {
        name_ = std::exchange(next_, nullptr);
        Frame& f = stack_.back();
        if (f.node->IsObject()) {
            if (!name_) throw FormatError("an object member without a name");
            auto m = f.node->FindMember(name_);
            if (m == f.node->MemberEnd())
                throw FormatError(std::string("missing member '") + name_ + "'");
            return m->value;
        }
        if (f.next >= f.node->Size()) throw FormatError("a list shorter than expected");
        return (*f.node)[f.next++];
    }
    void load(std::string& s) {
        const rapidjson::Value& v = take();
        if (!v.IsString()) throw FormatError(what() + "expected text");
        s.assign(v.GetString(), v.GetStringLength());  // with its length: a NUL stays in
    }
    void load(bool& b) {
        const rapidjson::Value& v = take();
        if (!v.IsBool()) throw FormatError(what() + "expected true or false");
        b = v.GetBool();
    }
    // An integer must fit the field's binary width: the binary form cannot say more.
    template <class T>
    void load(T& out) {
        static_assert(std::is_integral_v<T>);
        const rapidjson::Value& v = take();
        using Lim = std::numeric_limits<T>;
        if constexpr (std::is_signed_v<T>) {
            if (!v.IsInt64() || v.GetInt64() < Lim::min() || v.GetInt64() > Lim::max())
                throw FormatError(what() + "expected an integer in range");
            out = T(v.GetInt64());
        } else {
            if (!v.IsUint64() || v.GetUint64() > Lim::max())
                throw FormatError(what() + "expected an integer in range");
            out = T(v.GetUint64());
        }
    }

    std::vector<Frame> stack_;
    const char* next_ = nullptr;
    const char* name_ = nullptr;
};

template <class A>
constexpr bool kText = cereal::traits::is_text_archive<A>::value;
template <class A>
constexpr bool kLoading = A::is_loading::value;

// ---- Primitives: every field goes through one of these, for both directions and formats.

template <class A, class T>
void scalar(A& ar, const char* name, T& v) {
    if constexpr (kText<A>)
        ar(cereal::make_nvp(name, v));
    else
        ar(v);
}

template <class A>
void text(A& ar, const char* name, std::string& s, std::size_t max = kMaxStringBytes) {
    if constexpr (kText<A>) {
        if (name)
            ar(cereal::make_nvp(name, s));
        else
            ar(s);
        if (kLoading<A> && s.size() > max) throw LimitError("text longer than allowed");
    } else if constexpr (kLoading<A>) {
        std::uint32_t n = 0;
        ar(n);
        if (n > max) throw LimitError("text longer than allowed");
        s.resize(n);
        ar(cereal::binary_data(s.data(), n));
    } else {
        std::uint32_t n = std::uint32_t(s.size());
        ar(n);
        ar(cereal::binary_data(s.data(), n));
    }
}

template <class A, class F>
void object(A& ar, const char* name, F&& body) {
    if constexpr (kText<A>) {
        if (name) ar.setNextName(name);
        ar.startNode();
        body();
        ar.finishNode();
    } else {
        body();
    }
}

template <class A, class T, class F>
void list(A& ar, const char* name, std::vector<T>& v, std::size_t max, F&& each) {
    if constexpr (kText<A>) {
        ar.setNextName(name);
        ar.startNode();
        if constexpr (kLoading<A>) {
            cereal::size_type n = 0;
            ar.loadSize(n);
            if (n > max) throw LimitError(std::string(name) + ": too many items");
            v.clear();
            v.resize(std::size_t(n));
            for (auto& x : v) each(x);
        } else {
            ar.makeArray();
            for (auto& x : v) each(x);
        }
        ar.finishNode();
    } else if constexpr (kLoading<A>) {
        std::uint32_t n = 0;
        ar(n);
        if (n > max) throw LimitError(std::string(name) + ": too many items");
        v.clear();
        v.reserve(std::min<std::size_t>(n, 256));  // grow only as real data arrives
        for (std::uint32_t i = 0; i < n; ++i) {
            T x{};
            each(x);
            v.push_back(std::move(x));
        }
    } else {
        std::uint32_t n = std::uint32_t(v.size());
        ar(n);
        for (auto& x : v) each(x);
    }
}

template <class A>
void id(A& ar, const char* name, Id128& v) {
    if constexpr (kText<A>) {
        std::string t;
        if constexpr (!kLoading<A>) t = v.is_nil() ? "" : v.to_text();
        text(ar, name, t, 64);
        if constexpr (kLoading<A>) {
            if (t.empty()) {
                v = Id128{};
            } else {
                auto p = Id128::from_text(t);
                if (!p) throw FormatError(std::string(name ? name : "id") + ": not an id");
                v = *p;
            }
        }
    } else {
        ar(cereal::binary_data(v.bytes.data(), v.bytes.size()));
    }
}

template <class A>
void stamp(A& ar, const char* name, Stamp& v) {
    if constexpr (kText<A>) {
        std::string t;
        if constexpr (!kLoading<A>) t = v.to_text();
        text(ar, name, t, 64);
        if constexpr (kLoading<A>) {
            auto p = Stamp::from_text(t);
            if (!p) throw FormatError(std::string(name ? name : "stamp") + ": not a stamp");
            v = *p;
        }
    } else {
        ar(v.hlc);
        ar(cereal::binary_data(v.replica.bytes.data(), v.replica.bytes.size()));
    }
}

template <class A>
void opt_stamp(A& ar, const char* name, std::optional<Stamp>& v) {
    if constexpr (kText<A>) {
        std::string t;
        if constexpr (!kLoading<A>) t = v ? v->to_text() : "";
        text(ar, name, t, 64);
        if constexpr (kLoading<A>) {
            if (t.empty()) {
                v.reset();
            } else {
                auto p = Stamp::from_text(t);
                if (!p) throw FormatError(std::string(name ? name : "stamp") + ": not a stamp");
                v = *p;
            }
        }
    } else {
        std::uint8_t present = v ? 1 : 0;
        ar(present);
        if (present > 1) throw FormatError("bad presence flag");
        if constexpr (kLoading<A>) {
            if (present)
                v.emplace();
            else
                v.reset();
        }
        if (present) stamp(ar, name, *v);
    }
}

// Value: null, integer or text. JSON: {"type": "null"|"int"|"text", "value": ...}.
template <class A>
void value(A& ar, const char* name, Value& v) {
    std::uint8_t tag = 0;
    if constexpr (!kLoading<A>) tag = std::uint8_t(v.index());
    object(ar, name, [&] {
        if constexpr (kText<A>) {
            static const char* kNames[] = {"null", "int", "text"};
            std::string t = kNames[tag];
            text(ar, "type", t, 8);
            if (t == "null")
                tag = 0;
            else if (t == "int")
                tag = 1;
            else if (t == "text")
                tag = 2;
            else
                throw FormatError("value: unknown type");
        } else {
            ar(tag);
            if (tag > 2) throw FormatError("value: unknown type");
        }
        if (tag == 1) {
            std::int64_t i = 0;
            if constexpr (!kLoading<A>) i = std::get<std::int64_t>(v);
            scalar(ar, "value", i);
            if constexpr (kLoading<A>) v = i;
        } else if (tag == 2) {
            std::string s;
            if constexpr (!kLoading<A>) s = std::get<std::string>(v);
            text(ar, "value", s);
            if constexpr (kLoading<A>) v = std::move(s);
        } else if constexpr (kLoading<A>) {
            v = std::monostate{};
        }
    });
}

template <class A>
void kind(A& ar, const char* name, Kind& k) {
    if constexpr (kText<A>) {
        std::string t;
        if constexpr (!kLoading<A>) t = core::kind_name(k);
        text(ar, name, t, 64);
        if constexpr (kLoading<A>) {
            auto p = core::kind_from_name(t);
            if (!p) throw FormatError("unknown kind '" + t.substr(0, 40) + "'");
            k = *p;
        }
    } else {
        std::uint8_t b = std::uint8_t(k);
        ar(b);
        // Checked when reading only: the encoders write whatever they are given, so a kind or
        // type this build does not know is refused by the decoder alike in both forms (R10).
        if constexpr (kLoading<A>) {
            if (b >= core::kKindCount) throw FormatError("unknown kind");
            k = Kind(b);
        }
    }
}

template <class A>
void op_type(A& ar, const char* name, OpType& t) {
    if constexpr (kText<A>) {
        std::string s;
        if constexpr (!kLoading<A>) s = op_type_name(t);
        text(ar, name, s, 16);
        if constexpr (kLoading<A>) {
            for (std::uint8_t i = 1; i <= kMaxOpType; ++i)
                if (s == op_type_name(OpType(i))) {
                    t = OpType(i);
                    return;
                }
            throw FormatError("unknown operation type");
        }
    } else {
        std::uint8_t b = std::uint8_t(t);
        ar(b);
        if constexpr (kLoading<A>) {
            if (b < 1 || b > kMaxOpType) throw FormatError("unknown operation type");
            t = OpType(b);
        }
    }
}

template <class A>
void small_enum(A& ar, const char* name, std::uint8_t& b, std::uint8_t max) {
    if constexpr (kText<A>) {
        std::uint32_t v = b;
        scalar(ar, name, v);
        b = std::uint8_t(v);
        if (v > max) throw FormatError(std::string(name) + ": out of range");
    } else {
        ar(b);
        if (b > max) throw FormatError(std::string(name) + ": out of range");
    }
}

// ---- Messages -----------------------------------------------------------------------------

template <class A>
void io(A& ar, Op& op) {
    stamp(ar, "id", op.id);
    op_type(ar, "type", op.type);
    kind(ar, "kind", op.kind);
    id(ar, "entity", op.entity);
    id(ar, "actor", op.actor);
    switch (op.type) {
        case OpType::kCreate:
        case OpType::kSet:
            list(ar, "fields", op.fields, 256, [&](FieldWrite& w) {
                object(ar, nullptr, [&] {
                    text(ar, "field", w.field, 64);
                    value(ar, "value", w.value);
                });
            });
            break;
        case OpType::kAdd:
        case OpType::kRemove:
            text(ar, "set", op.set, 64);
            text(ar, "elem", op.elem, 1024);
            if (op.type == OpType::kRemove)
                list(ar, "observed", op.observed, 1000, [&](Stamp& s) { stamp(ar, nullptr, s); });
            break;
        case OpType::kMerge:
            id(ar, "target", op.target);
            break;
        case OpType::kDelete:
        case OpType::kErase:
            break;
    }
}

template <class A>
void io(A& ar, core::EntitySnapshot& s) {
    auto& r = s.row;
    kind(ar, "kind", r.kind);
    id(ar, "id", r.id);
    opt_stamp(ar, "created", r.created);
    opt_stamp(ar, "deleted", r.deleted);
    scalar(ar, "seq", s.seq);
    const auto& k = core::kind_def(r.kind);
    list(ar, "values", r.values, k.fields.size(), [&](Value& v) { value(ar, nullptr, v); });
    list(ar, "clocks", r.clocks, k.fields.size(),
         [&](std::optional<Stamp>& c) { opt_stamp(ar, nullptr, c); });
    if constexpr (kLoading<A>) {
        // Fields are only appended (docs/SYNC.md "Schema evolution"): a snapshot with fewer
        // (an older server's) has its later fields never written, so the join keeps ours.
        // More than this build knows is refused by the list's bound above.
        if (r.values.size() != r.clocks.size())
            throw FormatError("snapshot: as many clocks as values are needed");
        r.values.resize(k.fields.size());
        r.clocks.resize(k.fields.size());
    }
    list(ar, "dots", s.dots, kMaxListItems, [&](core::DotRow& d) {
        object(ar, nullptr, [&] {
            std::uint8_t set = std::uint8_t(d.set);
            small_enum(ar, "set", set, 255);
            if (set >= k.sets.size()) throw FormatError("snapshot: unknown set");
            d.set = set;
            text(ar, "elem", d.elem, 1024);
            stamp(ar, "dot", d.dot);
            scalar(ar, "removed", d.removed);
        });
    });
    list(ar, "subject_alt", s.subject_alt, 64, [&](std::pair<int, Id128>& p) {
        object(ar, nullptr, [&] {
            std::uint8_t f = std::uint8_t(p.first);
            small_enum(ar, "field", f, 255);
            if (f >= k.fields.size() || !k.fields[f].subject)
                throw FormatError("snapshot: not a subject field");
            p.first = f;
            id(ar, "subject", p.second);
        });
    });
}

template <class A>
void io(A& ar, PushRequest& m) {
    scalar(ar, "protocol", m.protocol);
    id(ar, "replica", m.replica);
    scalar(ar, "cursor", m.cursor);
    scalar(ar, "client_hlc", m.client_hlc);
    scalar(ar, "page_limit", m.page_limit);
    list(ar, "ops", m.ops, kMaxOpsPerPush,
         [&](Op& op) { object(ar, nullptr, [&] { io(ar, op); }); });
    // Fields of protocol 2 follow those of 1 (binary format 2 extends format 1).
    if (m.protocol >= 2)
        scalar(ar, "schema_version", m.schema_version);
    else if constexpr (kLoading<A>)
        m.schema_version = 1;
    // Protocol 3 follows (the hub checks that the groups lie within `ops`, G3). In JSON the
    // member may be left out (a push written by hand, by a tool: no groups).
    bool groups = m.protocol >= 3;
    if constexpr (std::is_same_v<A, JsonReader>) groups = groups && ar.has("groups");
    if (groups)
        list(ar, "groups", m.groups, kMaxOpsPerPush, [&](OpGroup& g) {
            object(ar, nullptr, [&] {
                scalar(ar, "first", g.first);
                scalar(ar, "count", g.count);
            });
        });
}

template <class A>
void io(A& ar, PushReply& m) {
    scalar(ar, "protocol", m.protocol);
    scalar(ar, "server_time_ms", m.server_time_ms);
    scalar(ar, "server_hlc", m.server_hlc);
    list(ar, "results", m.results, kMaxOpsPerPush, [&](OpResult& r) {
        object(ar, nullptr, [&] {
            stamp(ar, "op", r.op);
            if constexpr (kText<A>) {
                std::string o = outcome_name(r.outcome), c = code_name(r.code);
                text(ar, "outcome", o, 32);
                text(ar, "code", c, 64);
                if constexpr (kLoading<A>) {
                    bool found = false;
                    for (std::uint8_t i = 0; i <= 3; ++i)
                        if (o == outcome_name(Outcome(i))) r.outcome = Outcome(i), found = true;
                    auto cc = code_from_name(c);
                    if (!found || !cc) throw FormatError("result: unknown outcome or code");
                    r.code = *cc;
                }
            } else {
                std::uint8_t o = std::uint8_t(r.outcome), c = std::uint8_t(r.code);
                small_enum(ar, "outcome", o, 3);
                small_enum(ar, "code", c, std::uint8_t(kCodeCount - 1));
                r.outcome = Outcome(o);
                r.code = Code(c);
            }
            text(ar, "detail", r.detail, kMaxDetailBytes);
        });
    });
    list(ar, "changes", m.changes, kMaxChangesPerPage,
         [&](core::EntitySnapshot& s) { object(ar, nullptr, [&] { io(ar, s); }); });
    list(ar, "aliases", m.aliases, kMaxListItems, [&](AliasEdge& e) {
        object(ar, nullptr, [&] {
            id(ar, "a", e.a);
            id(ar, "b", e.b);
        });
    });
    list(ar, "erased", m.erased, kMaxListItems, [&](Id128& i) { id(ar, nullptr, i); });
    list(ar, "evictions", m.evictions, kMaxListItems, [&](Id128& i) { id(ar, nullptr, i); });
    scalar(ar, "next_cursor", m.next_cursor);
    scalar(ar, "has_more", m.has_more);
    if (m.protocol >= 2) {
        scalar(ar, "scope_generation", m.scope_generation);
        id(ar, "db_generation", m.db_generation);
        list(ar, "refreshed", m.refreshed, kMaxOpsPerPush,
             [&](core::EntitySnapshot& s) { object(ar, nullptr, [&] { io(ar, s); }); });
        list(ar, "absent", m.absent, kMaxOpsPerPush, [&](Id128& i) { id(ar, nullptr, i); });
    }
    if (m.protocol >= 3)
        list(ar, "directory", m.directory, kMaxChangesPerPage, [&](DirectoryEntry& e) {
            object(ar, nullptr, [&] {
                object(ar, "snapshot", [&] { io(ar, e.snapshot); });
                scalar(ar, "email_digest", e.email_digest);
                scalar(ar, "phone_digest", e.phone_digest);
            });
        });
}

// The binary format a message is written in: ops keep format 1; requests and replies follow
// their protocol field.
std::uint8_t format_of(const Op&) { return kOpFormatVersion; }
template <class T>
std::uint8_t format_of(const T& m) {
    return format_for_protocol(m.protocol);
}

// ---- Boundaries: exceptions stop here.

template <class T>
std::string encode_binary(MessageType type, const T& m) {
    std::ostringstream os(std::ios::binary);
    os.put(char(type));
    os.put(char(format_of(m)));
    {
        cereal::PortableBinaryOutputArchive ar(os);
        io(ar, const_cast<T&>(m));
    }
    return os.str();
}

template <class T>
Result<T> decode_binary(MessageType type, std::string_view bytes) {
    if (bytes.size() > kMaxMessageBytes)
        return Status(Code::kTooLarge, "message over the size limit");
    if (bytes.size() < 2) return Status::malformed("message too short");
    if (std::uint8_t(bytes[0]) != std::uint8_t(type))
        return Status::malformed("unexpected message type " +
                                 std::to_string(std::uint8_t(bytes[0])));
    const std::uint8_t format = std::uint8_t(bytes[1]);
    const std::uint8_t newest = type == MessageType::kOp ? kOpFormatVersion : kFormatVersion;
    if (format < kOldestFormatVersion || format > newest)
        return Status(Code::kUnsupportedVersion, "format version " + std::to_string(format) +
                                                     " (this build reads " +
                                                     std::to_string(kOldestFormatVersion) + " to " +
                                                     std::to_string(newest) + ")");
    try {
        std::istringstream is(std::string(bytes.substr(2)), std::ios::binary);
        T m{};
        {
            cereal::PortableBinaryInputArchive ar(is);
            io(ar, m);
        }
        if (is.peek() != std::char_traits<char>::eof()) return Status::malformed("trailing bytes");
        // The payload's layout follows its protocol field: the format byte must agree.
        if (format_of(m) != format)
            return Status::malformed("format version does not match the protocol");
        return m;
    } catch (const LimitError& e) {
        return Status(Code::kTooLarge, e.what());
    } catch (const FormatError& e) {
        return Status::malformed(e.what());
    } catch (const std::exception&) {
        return Status::malformed("truncated or corrupt message");
    }
}

template <class T>
std::string encode_json(const T& m) {
    std::ostringstream os;
    {
        cereal::JSONOutputArchive ar(os, cereal::JSONOutputArchive::Options::NoIndent());
        io(ar, const_cast<T&>(m));
    }
    return os.str();
}

template <class T>
Result<T> decode_json(std::string_view json) {
    if (json.size() > kMaxMessageBytes)
        return Status(Code::kTooLarge, "message over the size limit");
    // Before parsing: the parser recurses once per level (a deep body overflowed the stack).
    if (Status depth = core::check_json_depth(json); !depth) return depth;
    // A raw NUL is never valid JSON, and the parser would take it for the end of the input.
    if (json.find('\0') != std::string_view::npos)
        return Status::malformed("a NUL byte in JSON text");
    try {
        rapidjson::Document doc;
        doc.Parse<rapidjson::kParseNoFlags>(json.data(), json.size());
        if (doc.HasParseError())
            return Status::malformed(std::string("not JSON: ") +
                                     rapidjson::GetParseError_En(doc.GetParseError()) +
                                     " at byte " + std::to_string(doc.GetErrorOffset()));
        T m{};
        JsonReader ar(doc);
        io(ar, m);
        return m;
    } catch (const LimitError& e) {
        return Status(Code::kTooLarge, e.what());
    } catch (const FormatError& e) {
        return Status::malformed(e.what());
    } catch (const std::exception&) {
        return Status::malformed("not a valid JSON message");
    }
}

template <class T>
Status check_protocol(const T& m) {
    // Older protocols decode (the hub answers them upgrade_required); newer ones do not.
    if (m.protocol < kOldestProtocolVersion || m.protocol > kProtocolVersion)
        return Status(Code::kUnsupportedVersion,
                      "protocol " + std::to_string(m.protocol) + " (this build reads " +
                          std::to_string(kOldestProtocolVersion) + " to " +
                          std::to_string(kProtocolVersion) + ")");
    return Status::ok();
}

template <class T>
Result<T> checked(Result<T> r) {
    if (!r) return r;
    Status s = check_protocol(r.value());
    if (!s) return s;
    return r;
}

}  // namespace

std::string encode_op(const Op& op) { return encode_binary(MessageType::kOp, op); }
Result<Op> decode_op(std::string_view b) { return decode_binary<Op>(MessageType::kOp, b); }
std::string encode_request(const PushRequest& m) {
    return encode_binary(MessageType::kPushRequest, m);
}
Result<PushRequest> decode_request(std::string_view b) {
    return checked(decode_binary<PushRequest>(MessageType::kPushRequest, b));
}
std::string encode_reply(const PushReply& m) { return encode_binary(MessageType::kPushReply, m); }
Result<PushReply> decode_reply(std::string_view b) {
    return checked(decode_binary<PushReply>(MessageType::kPushReply, b));
}
std::string request_to_json(const PushRequest& m) { return encode_json(m); }
Result<PushRequest> request_from_json(std::string_view j) {
    return checked(decode_json<PushRequest>(j));
}
std::string reply_to_json(const PushReply& m) { return encode_json(m); }
Result<PushReply> reply_from_json(std::string_view j) { return checked(decode_json<PushReply>(j)); }
std::string op_to_json(const Op& op) { return encode_json(op); }
Result<Op> op_from_json(std::string_view j) { return decode_json<Op>(j); }

}  // namespace liaison::sync
