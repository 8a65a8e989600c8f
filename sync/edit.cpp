#include "sync/edit.hpp"

#include <cstdint>
#include <set>

#include "core/util/json.hpp"

namespace liaison::sync {
namespace {

// A JSON value of the shapes an edit document may hold: null, bool, integer, string, or an
// array of strings. Anything else is refused while parsing, with a message.
struct JsonValue {
    enum class Type { kNull, kBool, kInt, kString, kStrings } type = Type::kNull;
    bool b = false;
    std::int64_t i = 0;
    std::string s;
    std::vector<std::string> strings;
};

constexpr int kMaxMembers = 200;
constexpr std::size_t kMaxArray = 500;

// A strict parser (RFC 8259) for one flat object: {"key": value, ...}.
class Parser {
public:
    explicit Parser(std::string_view text) : t_(text) {}

    Status object(std::vector<std::pair<std::string, JsonValue>>& members) {
        space();
        if (!eat('{')) return error("the document must be a JSON object");
        space();
        if (eat('}')) return finish();
        std::set<std::string> seen;
        for (;;) {
            space();
            std::string key;
            if (peek() != '"') return error("expected a field name in quotes");
            LIAISON_TRY(string(key));
            if (!seen.insert(key).second) return field_error(key, "appears twice");
            if (int(members.size()) >= kMaxMembers) return error("too many fields");
            space();
            if (!eat(':')) return error("expected ':' after \"" + key + "\"");
            space();
            JsonValue v;
            LIAISON_TRY(value(key, v));
            members.emplace_back(std::move(key), std::move(v));
            space();
            if (eat(',')) continue;
            if (eat('}')) return finish();
            return error("expected ',' or '}'");
        }
    }

private:
    Status finish() {
        space();
        if (pos_ != t_.size()) return error("unexpected text after the object");
        return Status::ok();
    }
    Status error(const std::string& what) const {
        return {Code::kMalformed, what + " (at byte " + std::to_string(pos_) + ")"};
    }
    static Status field_error(const std::string& key, const std::string& what) {
        return {Code::kInvalidArgument, key + ": " + what};
    }
    char peek() const { return pos_ < t_.size() ? t_[pos_] : '\0'; }
    bool eat(char c) {
        if (peek() != c || pos_ >= t_.size()) return false;
        ++pos_;
        return true;
    }
    bool literal(std::string_view word) {
        if (t_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }
    void space() {
        while (pos_ < t_.size() &&
               (t_[pos_] == ' ' || t_[pos_] == '\t' || t_[pos_] == '\n' || t_[pos_] == '\r'))
            ++pos_;
    }
    static void put_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }
    bool hex4(std::uint32_t& out) {
        if (pos_ + 4 > t_.size()) return false;
        out = 0;
        for (int k = 0; k < 4; ++k) {
            char c = t_[pos_++];
            out <<= 4;
            if (c >= '0' && c <= '9')
                out |= std::uint32_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                out |= std::uint32_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                out |= std::uint32_t(c - 'A' + 10);
            else
                return false;
        }
        return true;
    }
    // Requires: peek() == '"'. UTF-8 validity of the result is checked by validation.
    Status string(std::string& out) {
        ++pos_;
        while (pos_ < t_.size()) {
            char c = t_[pos_++];
            if (c == '"') return Status::ok();
            if (static_cast<unsigned char>(c) < 0x20) return error("control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= t_.size()) break;
            char e = t_[pos_++];
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    std::uint32_t cp = 0;
                    if (!hex4(cp)) return error("bad \\u escape");
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        std::uint32_t lo = 0;
                        if (!literal("\\u") || !hex4(lo) || lo < 0xDC00 || lo > 0xDFFF)
                            return error("unpaired surrogate in a \\u escape");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return error("unpaired surrogate in a \\u escape");
                    }
                    put_utf8(out, cp);
                    break;
                }
                default:
                    return error("bad escape in a string");
            }
        }
        return error("unterminated string");
    }
    Status number(const std::string& key, std::int64_t& out) {
        bool neg = eat('-');
        if (!(peek() >= '0' && peek() <= '9')) return error("bad number");
        if (peek() == '0' && pos_ + 1 < t_.size() && t_[pos_ + 1] >= '0' && t_[pos_ + 1] <= '9')
            return error("bad number (leading zero)");
        std::uint64_t mag = 0;
        bool overflow = false;
        while (peek() >= '0' && peek() <= '9') {
            std::uint64_t d = std::uint64_t(t_[pos_++] - '0');
            if (mag > (UINT64_MAX - d) / 10)
                overflow = true;
            else
                mag = mag * 10 + d;
        }
        if (peek() == '.' || peek() == 'e' || peek() == 'E')
            return field_error(key, "expected a whole number");
        const std::uint64_t limit = neg ? std::uint64_t(INT64_MAX) + 1 : std::uint64_t(INT64_MAX);
        if (overflow || mag > limit) return field_error(key, "number out of range");
        out = neg ? std::int64_t(0 - mag) : std::int64_t(mag);
        return Status::ok();
    }
    Status value(const std::string& key, JsonValue& v) {
        char c = peek();
        if (c == '"') {
            v.type = JsonValue::Type::kString;
            return string(v.s);
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            v.type = JsonValue::Type::kInt;
            return number(key, v.i);
        }
        if (literal("true")) {
            v.type = JsonValue::Type::kBool;
            v.b = true;
            return Status::ok();
        }
        if (literal("false")) {
            v.type = JsonValue::Type::kBool;
            v.b = false;
            return Status::ok();
        }
        if (literal("null")) {
            v.type = JsonValue::Type::kNull;
            return Status::ok();
        }
        if (eat('[')) {
            v.type = JsonValue::Type::kStrings;
            space();
            if (eat(']')) return Status::ok();
            for (;;) {
                space();
                if (peek() != '"') return field_error(key, "expected a list of strings");
                if (v.strings.size() >= kMaxArray) return field_error(key, "too many elements");
                std::string s;
                LIAISON_TRY(string(s));
                v.strings.push_back(std::move(s));
                space();
                if (eat(',')) continue;
                if (eat(']')) return Status::ok();
                return error("expected ',' or ']'");
            }
        }
        if (c == '{') return field_error(key, "nested objects are not accepted");
        return error("expected a value");
    }

    std::string_view t_;
    std::size_t pos_ = 0;
};

Result<Value> field_value(const core::FieldDef& f, const JsonValue& v) {
    using core::FieldType;
    using T = JsonValue::Type;
    switch (v.type) {
        case T::kNull:
            return Value{};
        case T::kBool:
            if (f.type == FieldType::kBool) return Value{std::int64_t(v.b ? 1 : 0)};
            break;
        case T::kInt:
            if (f.type == FieldType::kInt || f.type == FieldType::kTime) return Value{v.i};
            break;
        case T::kString:
            if (f.type != FieldType::kInt && f.type != FieldType::kTime &&
                f.type != FieldType::kBool)
                return Value{v.s};
            break;
        case T::kStrings:
            break;
    }
    const char* want = f.type == FieldType::kBool ? "expected true or false"
                       : (f.type == FieldType::kInt || f.type == FieldType::kTime)
                           ? "expected a whole number"
                           : "expected a string";
    return Status{Code::kInvalidArgument, f.name + ": " + want};
}

}  // namespace

Result<std::vector<Op>> ops_from_json(Kind kind, const Id128& entity, EditMode mode,
                                      std::string_view json) {
    if (json.size() > kMaxEditBytes)
        return Status{Code::kTooLarge, "the document is larger than " +
                                           std::to_string(kMaxEditBytes / 1024) + " KiB"};
    // The flat parser does not recurse (a nested object or list is refused where it starts),
    // but deep input is refused with the same words as by every other JSON decoder.
    LIAISON_TRY(core::check_json_depth(json));
    std::vector<std::pair<std::string, JsonValue>> members;
    LIAISON_TRY(Parser(json).object(members));

    const core::KindDef& k = core::kind_def(kind);
    Op head =
        unstamped_op(mode == EditMode::kCreate ? OpType::kCreate : OpType::kSet, kind, entity);
    std::vector<Op> adds;
    for (auto& [key, v] : members) {
        int fi = k.field_index(key);
        if (fi >= 0) {
            auto value = field_value(k.fields[std::size_t(fi)], v);
            if (!value) return value.status();
            head.fields.push_back({key, std::move(value.value())});
            continue;
        }
        if (k.set_index(key) >= 0) {
            if (mode == EditMode::kUpdate)
                return Status{
                    Code::kInvalidArgument,
                    key + ": a set is changed by adding or removing elements, not in an update"};
            if (v.type != JsonValue::Type::kStrings)
                return Status{Code::kInvalidArgument, key + ": expected a list of strings"};
            for (auto& elem : v.strings)
                adds.push_back(elem_op(OpType::kAdd, kind, entity, key, std::move(elem)));
            continue;
        }
        return Status{Code::kUnknownField, key + ": not a field of " + k.name};
    }
    if (mode == EditMode::kUpdate && head.fields.empty())
        return Status{Code::kInvalidArgument, "the update names no field"};
    std::vector<Op> out;
    out.reserve(adds.size() + 1);
    out.push_back(std::move(head));
    for (auto& a : adds) out.push_back(std::move(a));
    return out;
}

}  // namespace liaison::sync
