// Validation and normalisation of values against the record model (schema.hpp).
//
// Every check answers with a Status whose detail names the field and says what is wrong in
// plain words, e.g. "email: 'bob@' is not an e-mail address". Nothing that fails validation
// is ever stored. Normalisation runs before validation (trimming, case folding of e-mail
// domains and tags) so equal inputs are stored equally.
//
// What is not an error: a null value for a field that is not required (it clears the field).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/schema.hpp"
#include "core/util/status.hpp"

namespace liaison::core {

// Normalises a value before validation: trims surrounding white space of text; e-mail: the
// domain lower-cased; tags: lower-cased; enum/code/currency/country: unchanged (validation
// is exact). Integers are returned unchanged.
Value normalize_field(const FieldDef& field, Value value);
std::string normalize_elem(const SetDef& set, std::string elem);

// Checks one value. Null is accepted (required-ness is checked by validate_record).
Status validate_field(const FieldDef& field, const Value& value);
// Checks one set element.
Status validate_elem(const SetDef& set, std::string_view elem);
// Checks a whole record at creation: every required field present and every value valid.
// `values` is indexed like kind.fields (missing fields are null).
Status validate_record(const KindDef& kind, const std::vector<Value>& values);

// Format predicates (exposed for tests and for the web app's live hints).
bool is_valid_utf8(std::string_view s);
std::size_t utf8_length(std::string_view s);  // code points; Requires: valid UTF-8
bool is_email(std::string_view s);
bool is_phone(std::string_view s);
bool is_http_url(std::string_view s);
bool is_date(std::string_view s);      // YYYY-MM-DD, a real calendar date, years 1900..2999
bool is_country(std::string_view s);   // two upper-case ASCII letters
bool is_currency(std::string_view s);  // three upper-case ASCII letters
bool is_language(std::string_view s);  // "fr", "eng", "pt-BR", "zh-Hant"
bool is_code(std::string_view s);      // [A-Za-z0-9_-]{4,32}

// A social handle as stored in the "handles" set: "platform:handle:audience", e.g.
// "instagram:helene.dupont:125000". platform is one of the content platforms (schema.cpp),
// handle is 1..100 characters without ':' or white space (a leading '@' is dropped by
// normalisation), audience is a non-negative integer (followers), 0 when unknown.
struct Handle {
    std::string platform;
    std::string handle;
    std::int64_t audience = 0;
};
bool parse_handle(std::string_view text, Handle& out);
std::string format_handle(const Handle& h);

// Text folded for matching: lower case, Latin diacritics removed ("Hélène" -> "helene").
std::string fold_for_match(std::string_view s);
// The code point at s[i] (Requires: i < s.size()), strictly per RFC 3629; an invalid byte gives
// ok = false and len = 1, so a scan always advances. For matchers that walk text themselves
// (core/compliance/caption.hpp) with the same tables as fold_for_match.
struct Utf8CodePoint {
    char32_t cp = 0;
    std::size_t len = 1;
    bool ok = false;
};
Utf8CodePoint decode_utf8(std::string_view s, std::size_t i);
// The simple lower case of one code point: ASCII, Latin-1 and Latin Extended-A; others as they are.
char32_t latin_lower_code_point(char32_t cp);
// Only the digits of a phone number, with a leading '+' kept ("+33 6 12-34" -> "+33612 34"
// -> "+3361234").
std::string phone_digits(std::string_view s);

}  // namespace liaison::core
