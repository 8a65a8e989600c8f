#include "core/model/validate.hpp"

#include <algorithm>

#include "core/model/ids.hpp"

namespace liaison::core {
namespace {

constexpr std::size_t kQuoteMax = 40;

// The offending value, quoted and cut short: messages never echo a 100 KB payload.
std::string quoted(std::string_view v) {
    std::string s(v.substr(0, kQuoteMax));
    // Do not cut inside a UTF-8 sequence.
    while (!s.empty() && v.size() > kQuoteMax && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && v.size() > kQuoteMax && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
    for (auto& c : s)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return "\"" + s + (v.size() > kQuoteMax ? "...\"" : "\"");
}

Status bad(Code code, const std::string& name, std::string_view value, const std::string& what) {
    return {code, name + ": " + quoted(value) + " " + what};
}

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string trim(std::string s) {
    // ASCII white space and U+00A0 (no-break space, C2 A0) at both ends.
    for (;;) {
        if (!s.empty() && is_ascii_space(s.back())) s.pop_back();
        else if (s.size() >= 2 && s[s.size() - 2] == '\xC2' && s.back() == '\xA0') s.resize(s.size() - 2);
        else break;
    }
    std::size_t i = 0;
    for (;;) {
        if (i < s.size() && is_ascii_space(s[i])) ++i;
        else if (i + 1 < s.size() && s[i] == '\xC2' && s[i + 1] == '\xA0') i += 2;
        else break;
    }
    return s.substr(i);
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c; }
std::string lower(std::string s) {
    for (auto& c : s) c = ascii_lower(c);
    return s;
}
std::string upper(std::string s) {
    for (auto& c : s) c = ascii_upper(c);
    return s;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Decodes one code point; returns its length, or 0 if invalid (overlong, surrogate, > U+10FFFF).
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    std::size_t n;
    std::uint32_t min;
    if (c < 0x80) { cp = c; return 1; }
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

// Text checks shared by fields and set elements.
Status check_text(const std::string& name, std::string_view v, std::size_t max_len, bool multiline) {
    if (!is_valid_utf8(v)) return {Code::kBadFormat, name + ": not valid UTF-8 text"};
    std::size_t i = 0, n = 0;
    while (i < v.size()) {
        std::uint32_t cp = 0;
        i += decode_utf8(v, i, cp);
        ++n;
        bool allowed_control = multiline && (cp == '\n' || cp == '\t' || cp == '\r');
        if ((cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) && !allowed_control)
            return bad(Code::kBadFormat, name, v, "contains a control character");
    }
    if (n > max_len)
        return {Code::kTooLong, name + ": " + std::to_string(n) + " characters, at most " + std::to_string(max_len)};
    return Status::ok();
}

bool is_platform(std::string_view p) {
    static const char* kPlatforms[] = {"instagram", "tiktok", "youtube", "x", "facebook", "linkedin",
                                       "twitch", "pinterest", "snapchat", "threads", "bluesky", "blog",
                                       "podcast", "press", "other"};
    for (const char* k : kPlatforms)
        if (p == k) return true;
    return false;
}

std::string list_choices(const std::vector<std::string>& choices) {
    std::string s;
    for (std::size_t i = 0; i < choices.size(); ++i) s += (i ? ", " : "") + choices[i];
    return s;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::uint32_t cp;
        std::size_t n = decode_utf8(s, i, cp);
        if (!n) return false;
        i += n;
    }
    return true;
}

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

bool is_email(std::string_view s) {
    if (s.size() < 3 || s.size() > 254) return false;
    auto at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || s.find('@') != at) return false;
    std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
    for (char c : local) {
        if (is_alpha(c) || is_digit(c) || std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos) continue;
        if (static_cast<unsigned char>(c) >= 0x80) continue;  // internationalised local parts
        return false;
    }
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    if (domain.size() < 3 || domain.find('.') == std::string_view::npos) return false;
    std::size_t label = 0;
    for (std::size_t i = 0; i <= domain.size(); ++i) {
        if (i == domain.size() || domain[i] == '.') {
            if (label == 0 || label > 63) return false;
            if (domain[i - 1] == '-' || domain[i - label] == '-') return false;
            label = 0;
            continue;
        }
        char c = domain[i];
        if (!(is_alpha(c) || is_digit(c) || c == '-' || static_cast<unsigned char>(c) >= 0x80)) return false;
        ++label;
    }
    return true;
}

bool is_phone(std::string_view s) {
    std::size_t digits = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (is_digit(c)) ++digits;
        else if (c == '+' && i == 0) continue;
        else if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')') {
            if (digits == 0 && c != '(') return false;  // must not start with a separator
        } else return false;
    }
    return digits >= 7 && digits <= 15;
}

bool is_http_url(std::string_view s) {
    std::string_view rest;
    std::string l = lower(std::string(s.substr(0, 8)));
    if (l.rfind("https://", 0) == 0) rest = s.substr(8);
    else if (l.rfind("http://", 0) == 0) rest = s.substr(7);
    else return false;
    std::size_t host_end = rest.find_first_of("/?#");
    std::string_view host = rest.substr(0, host_end);
    if (host.empty() || host.find('@') != std::string_view::npos) return false;
    for (char c : host)
        if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' ||
              static_cast<unsigned char>(c) >= 0x80))
            return false;
    for (char c : s)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\')
            return false;
    return true;
}

bool is_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!is_digit(s[i])) return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool is_country(std::string_view s) {
    return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

bool is_currency(std::string_view s) {
    return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool is_language(std::string_view s) {
    // language (2-3 lower letters), then optionally a script (4 letters, Title case) and/or a
    // region (2 upper letters or 3 digits): "fr", "pt-BR", "zh-Hant", "zh-Hant-TW", "es-419".
    std::size_t i = 0, n = 0;
    while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
    if (i < 2 || i > 3) return false;
    while (i < s.size()) {
        if (s[i] != '-') return false;
        std::size_t j = ++i;
        while (j < s.size() && s[j] != '-') ++j;
        std::string_view part = s.substr(i, j - i);
        ++n;
        bool script = part.size() == 4 && part[0] >= 'A' && part[0] <= 'Z' &&
                      std::all_of(part.begin() + 1, part.end(), [](char c) { return c >= 'a' && c <= 'z'; });
        bool region = (part.size() == 2 && is_country(part)) ||
                      (part.size() == 3 && std::all_of(part.begin(), part.end(), is_digit));
        if (!(script || region) || n > 2) return false;
        i = j;
    }
    return true;
}

bool is_code(std::string_view s) {
    if (s.size() < 4 || s.size() > 32) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '-'; });
}

bool parse_handle(std::string_view text, Handle& out) {
    auto a = text.find(':');
    auto b = text.rfind(':');
    if (a == std::string_view::npos || a == b) return false;
    std::string_view platform = text.substr(0, a), handle = text.substr(a + 1, b - a - 1),
                     audience = text.substr(b + 1);
    if (!is_platform(platform)) return false;
    if (handle.empty() || utf8_length(handle) > 100 || !is_valid_utf8(handle)) return false;
    for (char c : handle)
        if (c == ':' || is_ascii_space(c) || static_cast<unsigned char>(c) < 0x20) return false;
    if (audience.empty() || audience.size() > 18 || !std::all_of(audience.begin(), audience.end(), is_digit))
        return false;
    out.platform = std::string(platform);
    out.handle = std::string(handle);
    out.audience = std::stoll(std::string(audience));
    return true;
}

std::string format_handle(const Handle& h) {
    return h.platform + ":" + h.handle + ":" + std::to_string(h.audience);
}

Value normalize_field(const FieldDef& field, Value value) {
    auto* s = std::get_if<std::string>(&value);
    if (!s) return value;
    if (field.type == FieldType::kLongText) {
        *s = trim(std::move(*s));
        return value;
    }
    *s = trim(std::move(*s));
    switch (field.type) {
        case FieldType::kEmail: {
            auto at = s->rfind('@');
            if (at != std::string::npos) *s = s->substr(0, at + 1) + lower(s->substr(at + 1));
            break;
        }
        case FieldType::kCountry:
        case FieldType::kCurrency:
        case FieldType::kRef: *s = upper(std::move(*s)); break;
        default: break;
    }
    return value;
}

std::string normalize_elem(const SetDef& set, std::string elem) {
    elem = trim(std::move(elem));
    switch (set.elem) {
        case ElemType::kTag: return lower(std::move(elem));  // ASCII letters only: locale-free
        case ElemType::kRef: return upper(std::move(elem));
        case ElemType::kHandle: {
            auto a = elem.find(':');
            if (a == std::string::npos) return elem;
            std::string platform = lower(elem.substr(0, a)), rest = elem.substr(a + 1);
            if (!rest.empty() && rest[0] == '@') rest.erase(0, 1);
            return platform + ":" + rest;
        }
        case ElemType::kLanguage: {
            std::string out;
            std::size_t part = 0, start = 0;
            for (std::size_t i = 0; i <= elem.size(); ++i) {
                if (i < elem.size() && elem[i] != '-' && elem[i] != '_') continue;
                std::string p = elem.substr(start, i - start);
                if (part == 0) p = lower(p);
                else if (p.size() == 4) p = std::string(1, ascii_upper(p[0])) + lower(p.substr(1));
                else p = upper(p);
                out += (part ? "-" : "") + p;
                ++part;
                start = i + 1;
            }
            return out;
        }
        case ElemType::kEnum: return elem;
    }
    return elem;
}

Status validate_field(const FieldDef& f, const Value& value) {
    if (is_null(value)) return Status::ok();
    const bool wants_int = f.type == FieldType::kTime || f.type == FieldType::kInt || f.type == FieldType::kBool;
    if (wants_int) {
        auto* i = std::get_if<std::int64_t>(&value);
        if (!i) return {Code::kInvalidArgument, f.name + ": a number is expected"};
        if (f.type == FieldType::kBool && *i != 0 && *i != 1)
            return {Code::kInvalidArgument, f.name + ": " + std::to_string(*i) + " is not true (1) or false (0)"};
        if (f.type == FieldType::kInt && (*i < f.min || *i > f.max))
            return {Code::kInvalidArgument, f.name + ": " + std::to_string(*i) + " is outside " +
                                                std::to_string(f.min) + ".." + std::to_string(f.max)};
        // 1970-01-01 to 2999-12-31, in milliseconds.
        if (f.type == FieldType::kTime && (*i < 0 || *i > 32503593600000LL))
            return {Code::kInvalidArgument, f.name + ": " + std::to_string(*i) + " is not a time between 1970 and 2999"};
        return Status::ok();
    }
    auto* s = std::get_if<std::string>(&value);
    if (!s) return {Code::kInvalidArgument, f.name + ": text is expected"};
    if (s->empty()) {
        if (f.required) return {Code::kRequired, f.name + ": required"};
        if (f.type != FieldType::kText && f.type != FieldType::kLongText)
            return {Code::kBadFormat, f.name + ": empty (use null to clear a field)"};
        return Status::ok();
    }
    LIAISON_TRY(check_text(f.name, *s, f.max_len, f.type == FieldType::kLongText));
    switch (f.type) {
        case FieldType::kText:
        case FieldType::kLongText: return Status::ok();
        case FieldType::kEmail:
            return is_email(*s) ? Status::ok() : bad(Code::kBadFormat, f.name, *s, "is not an e-mail address");
        case FieldType::kPhone:
            return is_phone(*s) ? Status::ok()
                                : bad(Code::kBadFormat, f.name, *s, "is not a phone number (7 to 15 digits, '+' for international)");
        case FieldType::kUrl:
            return is_http_url(*s) ? Status::ok() : bad(Code::kBadFormat, f.name, *s, "is not an http(s) address");
        case FieldType::kCountry:
            return is_country(*s) ? Status::ok() : bad(Code::kBadFormat, f.name, *s, "is not a two-letter country code");
        case FieldType::kDate:
            return is_date(*s) ? Status::ok() : bad(Code::kBadFormat, f.name, *s, "is not a date (YYYY-MM-DD)");
        case FieldType::kEnum:
            if (std::find(f.choices.begin(), f.choices.end(), *s) != f.choices.end()) return Status::ok();
            return bad(Code::kUnknownValue, f.name, *s, "is not one of: " + list_choices(f.choices));
        case FieldType::kRef:
            return Id128::from_text(*s) ? Status::ok() : bad(Code::kBadFormat, f.name, *s, "is not a record id");
        case FieldType::kCode:
            return is_code(*s) ? Status::ok()
                               : bad(Code::kBadFormat, f.name, *s, "is not a code (4 to 32 letters, digits, '-' or '_')");
        case FieldType::kCurrency:
            return is_currency(*s) ? Status::ok() : bad(Code::kBadFormat, f.name, *s, "is not a currency code (EUR, USD...)");
        default: return {Code::kInvalidArgument, f.name + ": a number is expected"};
    }
}

Status validate_elem(const SetDef& set, std::string_view elem) {
    if (elem.empty()) return {Code::kRequired, set.name + ": an element must not be empty"};
    LIAISON_TRY(check_text(set.name, elem, set.max_len, false));
    switch (set.elem) {
        case ElemType::kTag: return Status::ok();
        case ElemType::kEnum:
            if (std::find(set.choices.begin(), set.choices.end(), elem) != set.choices.end()) return Status::ok();
            return bad(Code::kUnknownValue, set.name, elem, "is not one of: " + list_choices(set.choices));
        case ElemType::kHandle: {
            Handle h;
            return parse_handle(elem, h) ? Status::ok()
                                         : bad(Code::kBadFormat, set.name, elem, "is not platform:handle:audience");
        }
        case ElemType::kRef:
            return Id128::from_text(elem) ? Status::ok() : bad(Code::kBadFormat, set.name, elem, "is not a record id");
        case ElemType::kLanguage:
            return is_language(elem) ? Status::ok() : bad(Code::kBadFormat, set.name, elem, "is not a language tag");
    }
    return Status::ok();
}

Status validate_record(const KindDef& kind, const std::vector<Value>& values) {
    if (values.size() != kind.fields.size())
        return Status::invalid(kind.name + ": expected " + std::to_string(kind.fields.size()) + " fields");
    for (std::size_t i = 0; i < values.size(); ++i) {
        const FieldDef& f = kind.fields[i];
        if (f.required && is_null(values[i])) return {Code::kRequired, f.name + ": required"};
        LIAISON_TRY(validate_field(f, values[i]));
    }
    return Status::ok();
}

std::string fold_for_match(std::string_view s) {
    // Latin-1 Supplement and Latin Extended-A letters to ASCII; everything else unchanged
    // except ASCII upper case. Locale-free, so identical on every host.
    static const char* kLatin1[64] = {
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // C0-CF
        "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",  // D0-DF
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // E0-EF
        "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};  // F0-FF
    // U+0100..U+017F: base letters in pairs (upper, lower) mostly.
    static const char kExtA[] =
        "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii??jjkkklllllll"
        "lllnnnnnnnnnoooooo??rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::uint32_t cp = 0;
        std::size_t n = decode_utf8(s, i, cp);
        if (n == 0) {  // invalid byte: keep it as is
            out += s[i++];
            continue;
        }
        if (cp < 0x80) out += ascii_lower(char(cp));
        else if (cp >= 0xC0 && cp <= 0xFF && kLatin1[cp - 0xC0]) out += kLatin1[cp - 0xC0];
        else if (cp == 0x152 || cp == 0x153) out += "oe";
        else if (cp == 0x132 || cp == 0x133) out += "ij";
        else if (cp >= 0x100 && cp <= 0x17F && std::size_t(cp - 0x100) < sizeof(kExtA) - 1)
            out += kExtA[cp - 0x100];
        else out.append(s.substr(i, n));
        i += n;
    }
    return out;
}

std::string phone_digits(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (is_digit(s[i])) out += s[i];
        else if (s[i] == '+' && out.empty()) out += '+';
    }
    return out;
}

}  // namespace liaison::core
