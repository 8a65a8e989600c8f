// Validation and normalisation of values (validate.hpp).
//
// Everything here works on bytes and code points with our own tables: no <locale>, no
// std::tolower/isspace, no ICU. The same input must give the same answer natively and in
// WebAssembly, because both hosts validate (the browser before it records an operation, the
// server before it accepts one) and fold names for duplicate detection.
//
// Decisions where the contract is silent (each has a test in tests/core/validate_test.cpp):
// - Text is UTF-8 in the strict RFC 3629 sense: overlong forms, surrogates (CESU-8 / WTF-8)
//   and code points above U+10FFFF are invalid, so one string has one encoding.
// - Control characters are C0 (U+0000..U+001F), DEL (U+007F) and C1 (U+0080..U+009F).
//   kLongText allows '\n' and '\t'; its normalisation turns "\r\n" and lone '\r' into '\n' so
//   notes pasted from Windows are not refused for an invisible character.
// - White space for trimming is Unicode White_Space plus U+FEFF (a byte-order mark pasted
//   from a file is never meant).
// - Case mapping for tags covers ASCII, Latin-1 and Latin Extended-A; Greek, Cyrillic and
//   the rest are kept as typed (a full Unicode table is not worth its size here).
// - Country, currency, language and handle are checked in their canonical form ("FR",
//   "pt-BR", "instagram:name:0" without '@'): normalisation produces it and validation
//   insists on it, so two devices given the same input store the same bytes. E-mail domains
//   are lower-cased by normalisation but accepted in any case (the web app's live hints run
//   is_email on what people type).
// - Ids (kRef) are normalised to Id128::to_text(), which also resolves the Crockford
//   aliases (O -> 0, I/L -> 1) that Id128::from_text accepts: one id, one spelling.
// - fold_for_match also drops combining diacritical marks (U+0300..U+036F), so a name typed
//   decomposed ("e" + U+0301, as macOS and PDFs produce) matches its precomposed spelling.
// - Error details quote the value escaped (control characters and invalid bytes as \xNN)
//   and cut to kQuoteMaxChars code points, so a hostile 100 KB value cannot flood a log.
#include "core/model/validate.hpp"

#include <cstddef>

#include "core/model/ids.hpp"
#include "core/model/targets.hpp"
#include "core/util/text.hpp"

namespace liaison::core {
namespace {

// Values in error details are cut to this many code points (then "…").
constexpr std::size_t kQuoteMaxChars = 40;
// 3000-01-01T00:00:00Z in milliseconds: kTime values are instants in years 1970..2999.
constexpr std::int64_t kTimeEndMs = INT64_C(32503680000000);
// RFC 5321 §4.5.3.1: path 256 octets including the angle brackets, local part 64 octets;
// RFC 1035: labels 63 octets, names 253 characters in text form.
constexpr std::size_t kEmailMaxBytes = 254;
constexpr std::size_t kEmailLocalMaxBytes = 64;
constexpr std::size_t kDnsLabelMaxBytes = 63;
constexpr std::size_t kDnsNameMaxBytes = 253;
// Handle parts (validate.hpp).
constexpr std::size_t kHandleMaxChars = 100;
constexpr std::size_t kAudienceMaxDigits = 18;  // fits int64 without overflow checks
// Phone numbers: E.164 allows at most 15 digits; fewer than 7 is no reachable number.
constexpr int kPhoneMinDigits = 7;
constexpr int kPhoneMaxDigits = 15;

// ---------------------------------------------------------------------------------------
// UTF-8

struct Decoded {
    char32_t cp = 0;
    std::size_t len = 1;  // bytes consumed; 1 for an invalid byte so scanning always advances
    bool ok = false;
};

// Decodes the code point at s[i] (Requires: i < s.size()), strictly per RFC 3629 table 3.
Decoded decode(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return {b0, 1, true};
    std::size_t need = 0;
    char32_t cp = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        cp = b0 & 0x0Fu;
        if (b0 == 0xE0) lo = 0xA0;  // overlong
        if (b0 == 0xED) hi = 0x9F;  // surrogates U+D800..U+DFFF
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        cp = b0 & 0x07u;
        if (b0 == 0xF0) lo = 0x90;  // overlong
        if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
        return {};  // continuation byte, C0/C1 (overlong 2-byte) or F5..FF
    }
    if (i + need >= s.size()) return {};  // truncated
    for (std::size_t k = 1; k <= need; ++k) {
        const unsigned char b = byte(i + k);
        const unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
        if (b < min || b > max) return {};
        cp = (cp << 6) | (b & 0x3Fu);
    }
    return {cp, need + 1, true};
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Unicode White_Space, plus U+FEFF.
bool is_space(char32_t cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

// Surrounding white space removed. Invalid bytes count as content (validation rejects them).
// Unicode White_Space, unlike core::trim (spaces and tabs, for protocol text and CSV cells):
// values people type or paste may carry a no-break space or an ideographic space.
std::string_view trim_white_space(std::string_view s) {
    // The usual case, text that begins and ends with a visible ASCII character, is returned
    // without decoding it.
    auto visible_ascii = [](char c) { return c > 0x20 && c < 0x7F; };
    if (!s.empty() && visible_ascii(s.front()) && visible_ascii(s.back())) return s;
    std::size_t begin = 0;
    while (begin < s.size()) {
        const Decoded d = decode(s, begin);
        if (!d.ok || !is_space(d.cp)) break;
        begin += d.len;
    }
    std::size_t end = begin;
    for (std::size_t i = begin; i < s.size();) {
        const Decoded d = decode(s, i);
        i += d.len;
        if (!d.ok || !is_space(d.cp)) end = i;
    }
    return s.substr(begin, end - begin);
}

bool has_control(std::string_view s, bool allow_newline_and_tab) {
    for (std::size_t i = 0; i < s.size();) {
        const Decoded d = decode(s, i);
        i += d.len;
        if (!d.ok) continue;  // reported as invalid UTF-8 elsewhere
        if (allow_newline_and_tab && (d.cp == '\n' || d.cp == '\t')) continue;
        if (is_control(d.cp)) return true;
    }
    return false;
}

bool has_space(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const Decoded d = decode(s, i);
        i += d.len;
        if (d.ok && is_space(d.cp)) return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------
// ASCII helpers (never locale-dependent)

bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_ascii_alpha(char c) { return is_ascii_upper(c) || is_ascii_lower(c); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || is_ascii_digit(c); }
char ascii_upper(char c) { return is_ascii_lower(c) ? char(c - 'a' + 'A') : c; }

std::string ascii_upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_upper(c);
    return out;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
    for (char c : s)
        if (!pred(c)) return false;
    return true;
}

// ---------------------------------------------------------------------------------------
// Latin case mapping and folding

// Simple lower-case mapping for ASCII, Latin-1 Supplement and Latin Extended-A (Unicode
// UnicodeData.txt field 13 for U+0000..U+017F). Anything else is returned unchanged.
char32_t latin_lower(char32_t cp) {
    if (cp < 0x80) return static_cast<char32_t>(ascii_lower(static_cast<char>(cp)));
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;  // À..Þ except ×
    if (cp == 0x130) return U'i';                                  // İ
    if (cp == 0x178) return 0xFF;                                  // Ÿ -> ÿ
    // Pairs: upper case on even code points in 0100..0137 and 014A..0177, on odd ones in
    // 0139..0148 and 0179..017E. ı ĸ ŉ ſ (0131 0138 0149 017F) are already lower case.
    if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
        return cp % 2 == 0 ? cp + 1 : cp;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return cp % 2 == 1 ? cp + 1 : cp;
    return cp;
}

// ASCII spelling of U+00C0..U+017F, lower case; nullptr keeps the code point (× ÷).
// One row per 16 code points, as in the Unicode charts.
// clang-format off
constexpr const char* kLatinFold[0x180 - 0xC0] = {
    // U+00C0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00D0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",
    // U+00E0 à á â ã ä å æ ç è é ê ë ì í î ï
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00F0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y",
    // U+0100 Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    // U+0110 Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    // U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    // U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    // U+0140 ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    // U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    // U+0160 Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    // U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};
// clang-format on

// Latin with diacritics outside the table above that names in our markets use:
// Romanian ș ț (comma below) and Ș Ț.
const char* latin_fold_extra(char32_t cp) {
    switch (cp) {
        case 0x218:
        case 0x219:
            return "s";
        case 0x21A:
        case 0x21B:
            return "t";
        default:
            return nullptr;
    }
}

// Combining diacritical marks: text typed on macOS or pasted from PDFs is often decomposed
// ("e" + U+0301), and must fold like the precomposed "é".
bool is_combining_mark(char32_t cp) { return cp >= 0x300 && cp <= 0x36F; }

// Text, its case mapped with latin_lower; invalid bytes are copied as they are.
std::string latin_lower(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const Decoded d = decode(s, i);
        if (d.ok) {
            append_utf8(out, latin_lower(d.cp));
        } else {
            out += s[i];
        }
        i += d.len;
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Messages

// The value as it appears in a message: in double quotes, escaped, at most kQuoteMaxChars
// code points.
std::string quote(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    auto hex_byte = [](std::string& out, unsigned char b) {
        out += "\\x";
        out += kHex[b >> 4];
        out += kHex[b & 15];
    };
    std::string out = "\"";
    std::size_t chars = 0, i = 0;
    for (; i < s.size() && chars < kQuoteMaxChars; ++chars) {
        const Decoded d = decode(s, i);
        if (!d.ok) {
            hex_byte(out, static_cast<unsigned char>(s[i]));
        } else if (d.cp == '"' || d.cp == '\\') {
            out += '\\';
            out += static_cast<char>(d.cp);
        } else if (d.cp == '\n') {
            out += "\\n";
        } else if (d.cp == '\t') {
            out += "\\t";
        } else if (d.cp == '\r') {
            out += "\\r";
        } else if (d.cp < 0x80 && is_control(d.cp)) {
            hex_byte(out, static_cast<unsigned char>(d.cp));
        } else if (is_control(d.cp)) {  // C1: two bytes, shown as such
            hex_byte(out, static_cast<unsigned char>(s[i]));
            hex_byte(out, static_cast<unsigned char>(s[i + 1]));
        } else {
            out.append(s.substr(i, d.len));
        }
        i += d.len;
    }
    out += '"';
    if (i < s.size()) out += "\xE2\x80\xA6";  // "…": the value was cut
    return out;
}

Status fail(Code code, std::string_view name, std::string what) {
    std::string detail(name);
    detail += ": ";
    detail += what;
    return {code, std::move(detail)};
}

// The checks every text value goes through, field or set element: encoding, control
// characters, length in code points.
Status check_text(std::string_view name, std::string_view s, bool long_text, std::size_t max_len) {
    // Printable ASCII (the usual case) is valid UTF-8 without control characters, one character
    // a byte: one pass instead of three decoding ones.
    bool printable_ascii = true;
    for (char c : s)
        if (c < 0x20 || c >= 0x7F) {  // char may be signed: bytes >= 0x80 are negative
            printable_ascii = false;
            break;
        }
    if (printable_ascii && s.size() <= max_len) return Status::ok();
    if (!is_valid_utf8(s))
        return fail(Code::kInvalidArgument, name, quote(s) + " is not valid UTF-8");
    if (has_control(s, long_text))
        return fail(Code::kInvalidArgument, name, quote(s) + " contains a control character");
    const std::size_t len = utf8_length(s);
    if (len > max_len)
        return fail(Code::kTooLong, name,
                    quote(s) + " is too long (" + std::to_string(len) + " characters, at most " +
                        std::to_string(max_len) + ")");
    return Status::ok();
}

// ---------------------------------------------------------------------------------------
// Formats

bool is_email_atext(char c) {
    if (is_ascii_alnum(c)) return true;
    for (char a : std::string_view("!#$%&'*+/=?^_`{|}~-"))
        if (c == a) return true;
    return false;
}

// A DNS host name in ASCII: dot-separated labels of letters, digits and '-', not starting
// or ending with '-'. `min_labels` 2 for e-mail domains.
bool is_dns_name(std::string_view s, int min_labels) {
    if (s.empty() || s.size() > kDnsNameMaxBytes) return false;
    int labels = 0;
    std::string_view last;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = s.find('.', start);
        const std::string_view label =
            s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > kDnsLabelMaxBytes) return false;
        if (label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!is_ascii_alnum(c) && c != '-') return false;
        ++labels;
        last = label;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    // An all-digit top-level label is an IP address typed as a domain, not a mail domain.
    return labels >= min_labels && !all_of(last, is_ascii_digit);
}

// A URL host: like a DNS name, but '_' is allowed (it occurs in real sub-domains) and labels
// may hold non-ASCII text (internationalised names as people type them).
bool is_url_host_name(std::string_view s) {
    if (s.empty() || s.size() > kDnsNameMaxBytes) return false;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = s.find('.', start);
        const std::string_view label =
            s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.front() == '-' || label.back() == '-') return false;
        bool ascii = true;
        for (char c : label) {
            const auto b = static_cast<unsigned char>(c);
            if (b >= 0x80) {
                ascii = false;
            } else if (!is_ascii_alnum(c) && c != '-' && c != '_') {
                return false;
            }
        }
        if (ascii && label.size() > kDnsLabelMaxBytes) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

bool is_ipv6_literal(std::string_view s) {  // the text between '[' and ']', loosely
    if (s.size() < 2 || s.find(':') == std::string_view::npos) return false;
    for (char c : s)
        if (!is_ascii_digit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':' &&
            c != '.')
            return false;
    return true;
}

int digits_value(std::string_view s) {  // Requires: all ASCII digits, at most 9 of them
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

bool is_port(std::string_view s) {
    if (s.empty() || s.size() > 5 || !all_of(s, is_ascii_digit)) return false;
    const int port = digits_value(s);
    return port >= 1 && port <= 65535;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// parse_handle with a reason, for validate_elem's message. Returns an empty string on success.
std::string parse_handle_why(std::string_view text, Handle& out, Code& code) {
    code = Code::kBadFormat;
    const std::size_t first = text.find(':');
    const std::size_t last = text.rfind(':');
    if (first == std::string_view::npos || first == last)
        return "is not a handle (platform:handle:audience, e.g. instagram:name:1200)";
    const std::string_view platform = text.substr(0, first);
    const std::string_view handle = text.substr(first + 1, last - first - 1);
    const std::string_view audience = text.substr(last + 1);
    bool known = false;
    for (const auto& p : platforms()) known = known || p == platform;
    if (!known) {
        code = Code::kUnknownValue;
        return "has an unknown platform (one of: " + join(platforms(), ", ") + ")";
    }
    if (handle.empty()) return "has an empty handle";
    if (handle.find(':') != std::string_view::npos) return "has a ':' in the handle";
    if (!is_valid_utf8(handle) || has_control(handle, false) || has_space(handle))
        return "has white space or control characters in the handle";
    if (handle.front() == '@') return "has a handle starting with '@' (stored without it)";
    if (utf8_length(handle) > kHandleMaxChars)
        return "has a handle longer than " + std::to_string(kHandleMaxChars) + " characters";
    if (audience.empty() || audience.size() > kAudienceMaxDigits ||
        !all_of(audience, is_ascii_digit))
        return "has an audience that is not a number of followers (0 when unknown)";
    if (audience.size() > 1 && audience.front() == '0') return "has an audience with leading zeros";
    std::int64_t n = 0;
    for (char c : audience) n = n * 10 + (c - '0');
    out.platform = std::string(platform);
    out.handle = std::string(handle);
    out.audience = n;
    return {};
}

// BCP 47 language tag in canonical case, the subset people use: language (2-3 letters),
// optional script (4 letters), optional region (2 letters or 3 digits), variants.
std::string canonical_language(std::string_view s) {
    std::string out;
    std::size_t start = 0, index = 0;
    while (start <= s.size()) {
        std::size_t end = s.find_first_of("-_", start);
        if (end == std::string_view::npos) end = s.size();
        const std::string_view part = s.substr(start, end - start);
        std::string p;
        if (index == 0) {
            p = ascii_lower(part);
        } else if (part.size() == 4 && all_of(part, is_ascii_alpha)) {
            p = ascii_lower(part);
            p[0] = ascii_upper(p[0]);
        } else if (part.size() == 2 && all_of(part, is_ascii_alpha)) {
            p = ascii_upper(part);
        } else {
            p = ascii_lower(part);
        }
        if (index > 0) out += '-';
        out += p;
        ++index;
        start = end + 1;
    }
    return out;
}

// An id in its canonical text (upper case, Crockford aliases O/I/L resolved), or the input
// upper-cased when it is no id (validation then says so).
std::string canonical_ref(std::string_view s) {
    if (auto id = Id128::from_text(s)) return id->to_text();
    return ascii_upper(s);
}

std::string normalize_handle(std::string_view s) {
    const std::size_t first = s.find(':');
    if (first == std::string_view::npos) return std::string(s);
    std::string platform = ascii_lower(trim_white_space(s.substr(0, first)));
    std::string_view rest = s.substr(first + 1);
    std::string_view handle = rest, audience;
    const std::size_t last = rest.rfind(':');
    if (last != std::string_view::npos) {
        handle = rest.substr(0, last);
        audience = trim_white_space(rest.substr(last + 1));
    }
    handle = trim_white_space(handle);
    if (!handle.empty() && handle.front() == '@') handle.remove_prefix(1);
    // "instagram:name" (audience not known yet) is stored as "instagram:name:0".
    if (audience.empty()) audience = "0";
    if (all_of(audience, is_ascii_digit))
        while (audience.size() > 1 && audience.front() == '0') audience.remove_prefix(1);
    std::string out = std::move(platform);
    out += ':';
    out += handle;
    out += ':';
    out += audience;
    return out;
}

bool is_text_type(FieldType t) {
    return t != FieldType::kTime && t != FieldType::kInt && t != FieldType::kBool;
}

// Types whose empty string is a format error rather than an empty text.
bool is_format_type(FieldType t) {
    return t != FieldType::kText && t != FieldType::kLongText && is_text_type(t);
}

// The format check of one text field type; empty string when it passes, else the reason
// (following the quoted value) and its code.
std::string format_problem(const FieldDef& field, const std::string& s, Code& code) {
    code = Code::kBadFormat;
    switch (field.type) {
        case FieldType::kEmail:
            return is_email(s) ? "" : "is not an e-mail address";
        case FieldType::kPhone:
            return is_phone(s) ? ""
                               : "is not a phone number (7 to 15 digits, optionally starting "
                                 "with +)";
        case FieldType::kUrl:
            return is_http_url(s) ? "" : "is not a web address (http:// or https://)";
        case FieldType::kCountry:
            return is_country(s) ? "" : "is not a country code (two capital letters, e.g. FR)";
        case FieldType::kCurrency:
            return is_currency(s) ? "" : "is not a currency code (three capital letters, e.g. EUR)";
        case FieldType::kDate:
            return is_date(s) ? "" : "is not a date (YYYY-MM-DD, years 1900 to 2999)";
        case FieldType::kCode:
            return is_code(s) ? "" : "is not a code (4 to 32 letters, digits, '_' or '-')";
        case FieldType::kRef:
            return Id128::from_text(s) ? "" : "is not a record id";
        case FieldType::kTargets: {
            auto parsed = parse_targets(s);
            if (parsed) return "";
            code = parsed.status().code();
            return "is not a list of targets: " + parsed.status().detail();
        }
        case FieldType::kEnum:
            for (const auto& c : field.choices)
                if (c == s) return "";
            code = Code::kUnknownValue;
            return "is not one of: " + join(field.choices, ", ");
        default:
            return "";
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Normalisation

Value normalize_field(const FieldDef& field, Value value) {
    auto* text = std::get_if<std::string>(&value);
    if (text == nullptr || !is_text_type(field.type)) return value;
    std::string s(trim_white_space(*text));
    switch (field.type) {
        case FieldType::kLongText: {
            if (s.find('\r') == std::string::npos) break;
            std::string out;
            out.reserve(s.size());
            for (std::size_t i = 0; i < s.size(); ++i) {
                if (s[i] != '\r') {
                    out += s[i];
                } else if (i + 1 == s.size() || s[i + 1] != '\n') {
                    out += '\n';
                }
            }
            s = std::string(trim_white_space(out));
            break;
        }
        case FieldType::kEmail: {
            // Domains are case-insensitive (RFC 5321 §2.4); local parts are not, so only the
            // domain is folded.
            const std::size_t at = s.rfind('@');
            if (at != std::string::npos)
                for (std::size_t i = at + 1; i < s.size(); ++i) s[i] = ascii_lower(s[i]);
            break;
        }
        case FieldType::kCountry:
        case FieldType::kCurrency:
            s = ascii_upper(s);
            break;
        case FieldType::kRef:
            s = canonical_ref(s);
            break;
        case FieldType::kTargets:
            // The table's order, one per line: equal targets are equal text (a text that does
            // not parse is left for validation to refuse).
            if (auto parsed = parse_targets(s)) s = targets_text(*parsed);
            break;
        default:
            break;
    }
    return Value(std::move(s));
}

std::string normalize_elem(const SetDef& set, std::string elem) {
    const std::string_view s = trim_white_space(elem);
    switch (set.elem) {
        case ElemType::kTag:
            return latin_lower(s);
        case ElemType::kHandle:
            return normalize_handle(s);
        case ElemType::kLanguage:
            return canonical_language(s);
        case ElemType::kRef:
            return canonical_ref(s);
        case ElemType::kCountry:
            return ascii_upper(s);
        case ElemType::kDatedItem: {
            // "YYYY-MM-DD  text": one space after the date, the text trimmed.
            if (s.size() < 11) break;
            return std::string(s.substr(0, 10)) + " " + std::string(trim_white_space(s.substr(10)));
        }
        case ElemType::kEnum:
            break;
    }
    return std::string(s);
}

// ---------------------------------------------------------------------------------------
// Validation

Status validate_field(const FieldDef& field, const Value& value) {
    if (is_null(value)) return Status::ok();
    const std::string_view name = field.name;
    if (!is_text_type(field.type)) {
        if (const auto* text = std::get_if<std::string>(&value))
            return fail(Code::kInvalidArgument, name,
                        "expected a number, got text " + quote(*text));
        const std::int64_t n = std::get<std::int64_t>(value);
        const std::string shown = std::to_string(n);
        switch (field.type) {
            case FieldType::kBool:
                if (n != 0 && n != 1)
                    return fail(Code::kInvalidArgument, name, shown + " is not a boolean (0 or 1)");
                break;
            case FieldType::kTime:
                if (n < 0 || n >= kTimeEndMs)
                    return fail(Code::kInvalidArgument, name,
                                shown +
                                    " is not a time between the years 1970 and 2999 "
                                    "(milliseconds since 1970)");
                break;
            default:  // kInt
                if (n < field.min || n > field.max)
                    return fail(Code::kInvalidArgument, name,
                                shown + " is out of range (" + std::to_string(field.min) + " to " +
                                    std::to_string(field.max) + ")");
                break;
        }
        return Status::ok();
    }

    const auto* text = std::get_if<std::string>(&value);
    if (text == nullptr)
        return fail(
            Code::kInvalidArgument, name,
            "expected text, got the number " + std::to_string(std::get<std::int64_t>(value)));
    const std::string& s = *text;
    LIAISON_TRY(check_text(name, s,
                           field.type == FieldType::kLongText || field.type == FieldType::kTargets,
                           field.max_len));
    // A required field holding only white space is as missing as a null one.
    if (field.required && trim_white_space(s).empty())
        return fail(Code::kRequired, name, "required");
    // Callers clear a field with null; an empty e-mail or date is no e-mail or date.
    if (s.empty() && field.type != FieldType::kEnum) {
        if (!is_format_type(field.type)) return Status::ok();
        return fail(Code::kBadFormat, name, "\"\" is empty (use null to clear the field)");
    }
    Code code = Code::kBadFormat;
    const std::string problem = format_problem(field, s, code);
    if (!problem.empty()) return fail(code, name, quote(s) + " " + problem);
    return Status::ok();
}

Status validate_elem(const SetDef& set, std::string_view elem) {
    const std::string_view name = set.name;
    if (elem.empty() || trim_white_space(elem).empty())
        return fail(Code::kInvalidArgument, name, quote(elem) + " is empty");
    LIAISON_TRY(check_text(name, elem, false, set.max_len));
    switch (set.elem) {
        case ElemType::kTag:
            break;
        case ElemType::kEnum: {
            for (const auto& c : set.choices)
                if (c == elem) return Status::ok();
            return fail(Code::kUnknownValue, name,
                        quote(elem) + " is not one of: " + join(set.choices, ", "));
        }
        case ElemType::kHandle: {
            Handle h;
            Code code = Code::kBadFormat;
            const std::string why = parse_handle_why(elem, h, code);
            if (!why.empty()) return fail(code, name, quote(elem) + " " + why);
            break;
        }
        case ElemType::kRef:
            if (!Id128::from_text(elem))
                return fail(Code::kBadFormat, name, quote(elem) + " is not a record id");
            break;
        case ElemType::kLanguage:
            if (!is_language(elem))
                return fail(Code::kBadFormat, name,
                            quote(elem) + " is not a language tag (e.g. fr, eng, pt-BR, zh-Hant)");
            break;
        case ElemType::kCountry:
            if (!is_country(elem))
                return fail(Code::kBadFormat, name,
                            quote(elem) + " is not a country code (two capital letters, e.g. FR)");
            break;
        case ElemType::kDatedItem:
            if (elem.size() < 12 || !is_date(elem.substr(0, 10)) || elem[10] != ' ' ||
                trim_white_space(elem.substr(11)).empty())
                return fail(Code::kBadFormat, name,
                            quote(elem) +
                                " is not a due date and what is due (YYYY-MM-DD then the text, "
                                "e.g. 2027-03-01 two stories)");
            break;
    }
    return Status::ok();
}

Status validate_record(const KindDef& kind, const std::vector<Value>& values) {
    if (values.size() != kind.fields.size())
        // The caller builds `values` from kind.fields: a mismatch is a bug, not user input.
        return {Code::kInternal, kind.name + ": expected " + std::to_string(kind.fields.size()) +
                                     " values, got " + std::to_string(values.size())};
    for (std::size_t i = 0; i < values.size(); ++i) {
        const FieldDef& field = kind.fields[i];
        if (field.required && is_null(values[i]))
            return fail(Code::kRequired, field.name, "required");
        LIAISON_TRY(validate_field(field, values[i]));
    }
    return Status::ok();
}

// ---------------------------------------------------------------------------------------
// Predicates

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const Decoded d = decode(s, i);
        if (!d.ok) return false;
        i += d.len;
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
    // The dot-atom subset of RFC 5321: no quoted local parts, no address literals, ASCII
    // only (internationalised domains are entered in their xn-- form).
    if (s.size() > kEmailMaxBytes) return false;
    const std::size_t at = s.rfind('@');
    if (at == std::string_view::npos) return false;
    const std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
    if (local.empty() || local.size() > kEmailLocalMaxBytes) return false;
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return false;
    for (char c : local)
        if (c != '.' && !is_email_atext(c)) return false;
    return is_dns_name(domain, 2);
}

bool is_phone(std::string_view s) {
    // Optional '+', then digits grouped by single spaces, dots or dashes, with at most one
    // level of parentheses around digits: "+33 6 12 34 56 78", "+44 (0)20 7946 0958",
    // "(555) 123-4567".
    std::size_t i = 0;
    if (i < s.size() && s[i] == '+') ++i;
    if (i == s.size()) return false;
    int digits = 0;
    bool in_parens = false;
    char prev = '^';  // start of the number
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (is_ascii_digit(c)) {
            ++digits;
        } else if (c == ' ' || c == '.' || c == '-') {
            if (!is_ascii_digit(prev) && prev != ')') return false;
        } else if (c == '(') {
            if (in_parens || prev == ')') return false;
            in_parens = true;
        } else if (c == ')') {
            if (!in_parens || !is_ascii_digit(prev)) return false;
            in_parens = false;
        } else {
            return false;
        }
        prev = c;
    }
    return !in_parens && is_ascii_digit(prev) && digits >= kPhoneMinDigits &&
           digits <= kPhoneMaxDigits;
}

bool is_http_url(std::string_view s) {
    if (!is_valid_utf8(s)) return false;
    // Characters that are never part of a URL as a browser copies it; refusing them also
    // keeps quotes and angle brackets out of href attributes.
    for (std::size_t i = 0; i < s.size();) {
        const Decoded d = decode(s, i);
        i += d.len;
        if (is_control(d.cp) || is_space(d.cp)) return false;
        if (d.cp == '"' || d.cp == '<' || d.cp == '>' || d.cp == '\\' || d.cp == '`') return false;
    }
    const std::string lower_start = ascii_lower(s.substr(0, 8));
    std::size_t rest = 0;
    if (lower_start.rfind("http://", 0) == 0) {
        rest = 7;
    } else if (lower_start.rfind("https://", 0) == 0) {
        rest = 8;
    } else {
        return false;
    }
    const std::string_view after = s.substr(rest);
    const std::string_view authority = after.substr(0, after.find_first_of("/?#"));
    // User info ("https://brand.com@evil.example") only serves to mislead a reader.
    if (authority.find('@') != std::string_view::npos) return false;
    std::string_view host = authority, port;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return false;
        if (!is_ipv6_literal(authority.substr(1, close - 1))) return false;
        const std::string_view tail = authority.substr(close + 1);
        if (tail.empty()) return true;
        return tail.front() == ':' && is_port(tail.substr(1));
    }
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
        if (!is_port(port)) return false;
    }
    return is_url_host_name(host);
}

bool is_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    const std::string_view y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
    if (!all_of(y, is_ascii_digit) || !all_of(m, is_ascii_digit) || !all_of(d, is_ascii_digit))
        return false;
    const int year = digits_value(y), month = digits_value(m), day = digits_value(d);
    if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int days = kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
    return day <= days;
}

bool is_country(std::string_view s) { return s.size() == 2 && all_of(s, is_ascii_upper); }

bool is_currency(std::string_view s) { return s.size() == 3 && all_of(s, is_ascii_upper); }

bool is_language(std::string_view s) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dash = s.find('-', start);
        parts.push_back(s.substr(
            start, dash == std::string_view::npos ? std::string_view::npos : dash - start));
        if (dash == std::string_view::npos) break;
        start = dash + 1;
    }
    std::size_t i = 0;
    const std::string_view lang = parts[i++];
    if (lang.size() < 2 || lang.size() > 3 || !all_of(lang, is_ascii_lower)) return false;
    if (i < parts.size() && parts[i].size() == 4 && is_ascii_upper(parts[i][0]) &&
        all_of(parts[i].substr(1), is_ascii_lower))
        ++i;  // script
    if (i < parts.size() && ((parts[i].size() == 2 && all_of(parts[i], is_ascii_upper)) ||
                             (parts[i].size() == 3 && all_of(parts[i], is_ascii_digit))))
        ++i;  // region
    auto lower_alnum = [](char c) { return is_ascii_lower(c) || is_ascii_digit(c); };
    for (; i < parts.size(); ++i) {  // variants: 5..8 characters, or 4 starting with a digit
        const std::string_view v = parts[i];
        bool ok = (v.size() >= 5 && v.size() <= 8) || (v.size() == 4 && is_ascii_digit(v[0]));
        for (char c : v) ok = ok && lower_alnum(c);
        if (!ok) return false;
    }
    return true;
}

bool is_code(std::string_view s) {
    if (s.size() < 4 || s.size() > 32) return false;
    for (char c : s)
        if (!is_ascii_alnum(c) && c != '_' && c != '-') return false;
    return true;
}

bool parse_handle(std::string_view text, Handle& out) {
    if (!is_valid_utf8(text)) return false;
    Code code = Code::kOk;
    return parse_handle_why(text, out, code).empty();
}

std::string format_handle(const Handle& h) {
    return h.platform + ":" + h.handle + ":" + std::to_string(h.audience < 0 ? 0 : h.audience);
}

Utf8CodePoint decode_utf8(std::string_view s, std::size_t i) {
    const Decoded d = decode(s, i);
    return {d.cp, d.len, d.ok};
}

char32_t latin_lower_code_point(char32_t cp) { return latin_lower(cp); }

std::string fold_for_match(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const Decoded d = decode(s, i);
        if (!d.ok) {
            out += s[i];
        } else if (d.cp < 0x80) {
            out += ascii_lower(static_cast<char>(d.cp));
        } else if (d.cp >= 0xC0 && d.cp < 0x180 && kLatinFold[d.cp - 0xC0] != nullptr) {
            out += kLatinFold[d.cp - 0xC0];
        } else if (const char* extra = latin_fold_extra(d.cp)) {
            out += extra;
        } else if (!is_combining_mark(d.cp)) {
            out.append(s.substr(i, d.len));
        }
        i += d.len;
    }
    return out;
}

std::string phone_digits(std::string_view s) {
    const std::string_view t = trim_white_space(s);
    std::string out;
    if (!t.empty() && t.front() == '+') out += '+';
    for (char c : t)
        if (is_ascii_digit(c)) out += c;
    return out;
}

}  // namespace liaison::core
