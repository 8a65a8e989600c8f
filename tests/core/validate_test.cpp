// Validation and normalisation (core/model/validate.hpp): every field and element type with
// good and bad values, the wording of errors, UTF-8 strictness and hostile input.
#include "core/model/validate.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/model/ids.hpp"
#include "core/model/schema.hpp"
#include "core/util/text.hpp"

using liaison::Code;
using liaison::Status;
namespace liaison::test::core_validate {

using namespace liaison::core;

namespace {

const FieldDef& field_of(Kind kind, std::string_view name) {
    const KindDef& k = kind_def(kind);
    const int i = k.field_index(name);
    REQUIRE(i >= 0);
    return k.fields[std::size_t(i)];
}

const SetDef& set_of(Kind kind, std::string_view name) {
    const KindDef& k = kind_def(kind);
    const int i = k.set_index(name);
    REQUIRE(i >= 0);
    return k.sets[std::size_t(i)];
}

Value text(std::string s) { return Value(std::move(s)); }
Value integer(std::int64_t n) { return Value(n); }

std::string valid_id(std::uint64_t seed = 1) {
    return make_seeded_id_source(seed)->next_entity_id(1700000000000).to_text();
}

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// The value as the error message must show it (short, printable values only).
std::string quoted(const std::string& v) { return "\"" + v + "\""; }

const FieldDef& name_field() { return field_of(Kind::kInfluencer, "name"); }
const FieldDef& email_field() { return field_of(Kind::kInfluencer, "email"); }
const FieldDef& phone_field() { return field_of(Kind::kInfluencer, "phone"); }
const FieldDef& country_field() { return field_of(Kind::kInfluencer, "country"); }
const FieldDef& notes_field() { return field_of(Kind::kInfluencer, "notes"); }
const FieldDef& tier_field() { return field_of(Kind::kInfluencer, "tier"); }
const FieldDef& owner_field() { return field_of(Kind::kInfluencer, "owner"); }
const FieldDef& url_field() { return field_of(Kind::kContent, "url"); }
const FieldDef& date_field() { return field_of(Kind::kInteraction, "follow_up_due"); }
const FieldDef& time_field() { return field_of(Kind::kInteraction, "at"); }
const FieldDef& capacity_field() { return field_of(Kind::kEvent, "capacity"); }
const FieldDef& bool_field() { return field_of(Kind::kCheckin, "walk_in"); }
const FieldDef& code_field() { return field_of(Kind::kTrackedLink, "code"); }
const FieldDef& currency_field() { return field_of(Kind::kCampaign, "currency"); }

}  // namespace

// ---- null, types -------------------------------------------------------------------------

TEST_CASE("a null value is accepted by every field of every kind", "[core][validate]") {
    for (const auto& k : all_kinds())
        for (const auto& f : k.fields) {
            INFO(k.name << "." << f.name);
            CHECK(validate_field(f, Value{}).is_ok());
        }
}

TEST_CASE("the test covers every field type of the schema", "[core][validate]") {
    // If a type is added to schema.hpp, this list and the tests below need it too.
    const std::vector<FieldType> covered = {
        FieldType::kText, FieldType::kLongText, FieldType::kEmail, FieldType::kPhone,
        FieldType::kUrl,  FieldType::kCountry,  FieldType::kDate,  FieldType::kTime,
        FieldType::kInt,  FieldType::kBool,     FieldType::kEnum,  FieldType::kRef,
        FieldType::kCode, FieldType::kCurrency};
    const std::vector<const FieldDef*> samples = {
        &name_field(),    &notes_field(), &email_field(), &phone_field(),    &url_field(),
        &country_field(), &date_field(),  &time_field(),  &capacity_field(), &bool_field(),
        &tier_field(),    &owner_field(), &code_field(),  &currency_field()};
    REQUIRE(covered.size() == samples.size());
    for (std::size_t i = 0; i < covered.size(); ++i) CHECK(samples[i]->type == covered[i]);
}

TEST_CASE("a number in a text field is rejected naming the field", "[core][validate]") {
    for (const FieldDef* f : {&name_field(), &notes_field(), &email_field(), &url_field(),
                              &tier_field(), &owner_field(), &date_field()}) {
        Status s = validate_field(*f, integer(42));
        INFO(f->name << ": " << s.to_string());
        CHECK(s.code() == Code::kInvalidArgument);
        CHECK(starts_with(s.detail(), f->name + ": "));
        CHECK(s.detail().find("42") != std::string::npos);
    }
}

TEST_CASE("text in a time, integer or boolean field is rejected and quoted", "[core][validate]") {
    for (const FieldDef* f : {&time_field(), &capacity_field(), &bool_field()}) {
        Status s = validate_field(*f, text("12"));
        INFO(s.to_string());
        CHECK(s.code() == Code::kInvalidArgument);
        CHECK(starts_with(s.detail(), f->name + ": "));
        CHECK(s.detail().find("\"12\"") != std::string::npos);
    }
}

// ---- integers ----------------------------------------------------------------------------

TEST_CASE("a boolean is 0 or 1 only", "[core][validate]") {
    CHECK(validate_field(bool_field(), integer(0)).is_ok());
    CHECK(validate_field(bool_field(), integer(1)).is_ok());
    for (std::int64_t n : {std::int64_t(2), std::int64_t(-1), INT64_MAX}) {
        Status s = validate_field(bool_field(), integer(n));
        CHECK(s.code() == Code::kInvalidArgument);
        CHECK(starts_with(s.detail(), "walk_in: " + std::to_string(n)));
    }
}

TEST_CASE("an integer must lie within the field's bounds, both included", "[core][validate]") {
    const FieldDef& f = capacity_field();  // 0..1000000
    CHECK(validate_field(f, integer(0)).is_ok());
    CHECK(validate_field(f, integer(1000000)).is_ok());
    for (std::int64_t n : {std::int64_t(-1), std::int64_t(1000001), INT64_MIN}) {
        Status s = validate_field(f, integer(n));
        CHECK(s.code() == Code::kInvalidArgument);
        CHECK(starts_with(s.detail(), "capacity: " + std::to_string(n)));
    }
}

TEST_CASE("a time is milliseconds within the years 1970 to 2999", "[core][validate]") {
    const std::int64_t year_3000 = INT64_C(32503680000000);  // 3000-01-01T00:00:00Z
    CHECK(validate_field(time_field(), integer(0)).is_ok());
    CHECK(validate_field(time_field(), integer(1700000000000)).is_ok());
    CHECK(validate_field(time_field(), integer(year_3000 - 1)).is_ok());
    for (std::int64_t n : {std::int64_t(-1), year_3000, INT64_MAX, INT64_MIN}) {
        Status s = validate_field(time_field(), integer(n));
        CHECK(s.code() == Code::kInvalidArgument);
        CHECK(starts_with(s.detail(), "at: "));
    }
}

// ---- text --------------------------------------------------------------------------------

TEST_CASE("text accepts markup, quotes and any script as plain text", "[core][validate]") {
    for (const char* v : {"<script>alert(1)</script>", "O'Brien \"Bob\"", "Ἀθῆναι", "東京", "Zoë 🌸",
                          "'; DROP TABLE influencer; --"})
        CHECK(validate_field(name_field(), text(v)).is_ok());
}

TEST_CASE("a required text field rejects an empty or blank string as required",
          "[core][validate]") {
    for (const char* v : {"", "   ", "\xC2\xA0", " \xE2\x80\x83 "}) {
        Status s = validate_field(name_field(), text(v));
        CHECK(s.code() == Code::kRequired);
        CHECK(s.detail() == "name: required");
    }
}

TEST_CASE("an optional text field accepts an empty string", "[core][validate]") {
    CHECK(validate_field(field_of(Kind::kEvent, "venue"), text("")).is_ok());
    CHECK(validate_field(notes_field(), text("")).is_ok());
}

TEST_CASE("text length is counted in code points, not bytes", "[core][validate]") {
    const FieldDef& f = name_field();  // at most 200
    REQUIRE(f.max_len == 200);
    CHECK(validate_field(f, text(repeat("é", 200))).is_ok());  // 400 bytes
    CHECK(validate_field(f, text(repeat("𝄞", 200))).is_ok());  // 800 bytes
    Status s = validate_field(f, text(repeat("é", 201)));
    CHECK(s.code() == Code::kTooLong);
    CHECK(starts_with(s.detail(), "name: \"éééé"));
    CHECK(s.detail().find("201") != std::string::npos);
    CHECK(s.detail().find("200") != std::string::npos);
    CHECK(validate_field(f, text(repeat("a", 201))).code() == Code::kTooLong);
}

TEST_CASE("utf8_length counts code points", "[core][validate]") {
    CHECK(utf8_length("") == 0);
    CHECK(utf8_length("abc") == 3);
    CHECK(utf8_length("é") == 1);
    CHECK(utf8_length("€") == 1);
    CHECK(utf8_length("𝄞") == 1);
    CHECK(utf8_length("Hélène") == 6);
}

TEST_CASE("control characters are rejected in one-line text, NUL included", "[core][validate]") {
    for (std::string v :
         {std::string("a\0b", 3), std::string("a\nb"), std::string("a\tb"), std::string("a\rb"),
          std::string("a\x1b[31mb"), std::string("a\x7f"), std::string("a\xC2\x85")}) {
        Status s = validate_field(name_field(), text(v));
        INFO(s.to_string());
        CHECK(s.code() == Code::kInvalidArgument);
        CHECK(starts_with(s.detail(), "name: \"a"));
        CHECK(s.detail().find('\0') == std::string::npos);  // escaped, never raw
    }
}

TEST_CASE("long text allows newlines and tabs but no other control characters",
          "[core][validate]") {
    CHECK(validate_field(notes_field(), text("line one\n\tline two\n")).is_ok());
    CHECK(validate_field(notes_field(), text(std::string("a\0b", 3))).code() ==
          Code::kInvalidArgument);
    CHECK(validate_field(notes_field(), text("a\rb")).code() == Code::kInvalidArgument);
    CHECK(validate_field(notes_field(), text("a\x0b")).code() == Code::kInvalidArgument);
}

TEST_CASE("invalid UTF-8 is rejected: overlong, surrogate, truncated, out of range",
          "[core][validate]") {
    const std::vector<std::string> bad = {
        "\xC0\xAF",                  // overlong '/'
        "\xC1\xBF",                  // overlong
        "\xE0\x80\xAF",              // overlong 3-byte
        "\xF0\x80\x80\xAF",          // overlong 4-byte
        "\xED\xA0\x80",              // lone high surrogate U+D800
        "\xED\xBF\xBF",              // lone low surrogate U+DFFF
        "\xED\xA0\xBD\xED\xB8\x80",  // CESU-8 surrogate pair
        "\xC3",                      // truncated 2-byte
        "\xE2\x82",                  // truncated 3-byte
        "\xF0\x9F\x98",              // truncated 4-byte
        "ab\xE2\x82",                // truncated at the end
        "\xF4\x90\x80\x80",          // above U+10FFFF
        "\xF5\x80\x80\x80",
        "\xFF",
        "\x80",     // lone continuation byte
        "a\xC3(b",  // lead byte followed by ASCII
    };
    for (const auto& v : bad) {
        INFO(v);
        CHECK_FALSE(is_valid_utf8(v));
        Status s = validate_field(name_field(), text(v));
        CHECK(s.code() == Code::kInvalidArgument);
        CHECK(starts_with(s.detail(), "name: \""));
        CHECK(s.detail().find("UTF-8") != std::string::npos);
        CHECK(is_valid_utf8(s.detail()));  // bad bytes are shown escaped
        CHECK(validate_elem(set_of(Kind::kInfluencer, "tags"), v).code() == Code::kInvalidArgument);
    }
    for (std::string v : {"", "a", "é", "€", "𝄞", "\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF",
                          "\xED\x9F\xBF", "\xEE\x80\x80"})
        CHECK(is_valid_utf8(v));
}

// ---- e-mail ------------------------------------------------------------------------------

TEST_CASE("e-mail addresses of the usual shapes are accepted", "[core][validate]") {
    for (const char* v :
         {"bob@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.fr",
          "x_y-z@xn--caf-dma.fr", "a@b.io", "Bob.Smith@example.com"}) {
        INFO(v);
        CHECK(is_email(v));
        CHECK(validate_field(email_field(), text(v)).is_ok());
    }
}

TEST_CASE("an e-mail without a domain dot is rejected with the field name", "[core][validate]") {
    Status s = validate_field(email_field(), text("bob@example"));
    CHECK(s.code() == Code::kBadFormat);
    CHECK(s.detail() == "email: \"bob@example\" is not an e-mail address");
    CHECK(validate_field(email_field(), text("bob@")).detail() ==
          "email: \"bob@\" is not an e-mail address");
}

TEST_CASE("malformed e-mail addresses are rejected", "[core][validate]") {
    const std::vector<std::string> bad = {
        "bob",
        "@example.com",
        "bob@@example.com",
        "bob@a@example.com",
        "bob@.example.com",
        "bob@example..com",
        "bob@example.com.",
        ".bob@example.com",
        "bob.@example.com",
        "bo..b@example.com",
        "bob@-example.com",
        "bob@example-.com",
        "bob @example.com",
        "bob@exa mple.com",
        "bob@example.123",
        "bob@exam_ple.com",
        "\"bob\"@example.com",
        "bob@[192.168.0.1]",
        "bób@example.com",
        "bob@café.fr",
        "bob@example.com\n",
        repeat("a", 65) + "@example.com",   // local part over 64
        "bob@" + repeat("a", 64) + ".com",  // label over 63
        repeat("a", 64) + "@" + repeat("b", 63) + "." + repeat("c", 63) + "." + repeat("d", 58) +
            ".com",  // 255 bytes
    };
    for (const auto& v : bad) {
        INFO(v);
        CHECK_FALSE(is_email(v));
        Status s = validate_field(email_field(), text(v));
        CHECK_FALSE(s.is_ok());
        CHECK(starts_with(s.detail(), "email: \""));
    }
    CHECK(is_email(repeat("a", 64) + "@" + repeat("b", 63) + "." + repeat("c", 63) + "." +
                   repeat("d", 57) + ".com"));  // 254 bytes
}

TEST_CASE("an e-mail address needs an '@': a valid domain name alone is refused",
          "[core][validate]") {
    // A host name passes every domain rule, so only the missing '@' can refuse it.
    for (const std::string v : {"bob.example.com", "example.com", "bob.smith.example.co.uk"}) {
        INFO(v);
        CHECK_FALSE(is_email(v));
        Status s = validate_field(email_field(), text(v));
        CHECK(s.code() == Code::kBadFormat);
        CHECK(starts_with(s.detail(), "email: \""));
    }
    CHECK(is_email("bob@example.com"));  // the same name with its '@' passes
}

TEST_CASE("e-mail normalisation trims and lower-cases the domain only", "[core][validate]") {
    Value v = normalize_field(email_field(), text("  Bob.Smith@Example.COM\xC2\xA0"));
    CHECK(std::get<std::string>(v) == "Bob.Smith@example.com");
    CHECK(validate_field(email_field(), v).is_ok());
    // Validation itself takes the domain in any case: live hints check what people type.
    CHECK(validate_field(email_field(), text("Bob@Example.COM")).is_ok());
}

// ---- phone -------------------------------------------------------------------------------

TEST_CASE("phone numbers with separators are accepted", "[core][validate]") {
    for (const char* v :
         {"+33 6 12 34 56 78", "+44 (0)20 7946 0958", "(555) 123-4567", "06.12.34.56.78",
          "+14155552671", "1234567", "+123456789012345", "+1-800-555-0199"}) {
        INFO(v);
        CHECK(is_phone(v));
        CHECK(validate_field(phone_field(), text(v)).is_ok());
    }
}

TEST_CASE("malformed phone numbers are rejected", "[core][validate]") {
    for (const char* v :
         {"123456", "+1234567890123456", "phone", "+33 6 12 34 56 78 ext 5", "++33612345678",
          "33--612345678", "+33 (6 12 34 56 78", "+33 6) 12 34 56 78", "-33612345678",
          "+33612345678-", "3361234567+", "+ 33612345678", "+33 ((6)) 12345678", "+33/612345678",
          "+", "０６１２３４５６７８"}) {
        INFO(v);
        CHECK_FALSE(is_phone(v));
        Status s = validate_field(phone_field(), text(v));
        CHECK(s.code() == Code::kBadFormat);
        CHECK(starts_with(s.detail(), "phone: \""));
    }
}

TEST_CASE("phone_digits keeps a leading plus and the digits", "[core][validate]") {
    CHECK(phone_digits("+33 6 12-34") == "+3361234");
    CHECK(phone_digits(" +44 (0)20 7946") == "+440207946");
    CHECK(phone_digits("06.12.34") == "061234");
    CHECK(phone_digits("1+2") == "12");
    CHECK(phone_digits("") == "");
}

// ---- URL ---------------------------------------------------------------------------------

TEST_CASE("http and https addresses are accepted", "[core][validate]") {
    for (const char* v :
         {"https://example.com", "http://example.com/path?q=1&r=2#top",
          "https://sub.example.co.uk:8443/a/b", "HTTPS://Example.com", "https://[2001:db8::1]/",
          "https://[::1]:8080", "https://café.fr/menu", "https://www.instagram.com/p/Cx_12-ab/",
          "http://localhost:3000", "https://192.168.1.10/x", "https://example.com?x=%20y"}) {
        INFO(v);
        CHECK(is_http_url(v));
        CHECK(validate_field(url_field(), text(v)).is_ok());
    }
}

TEST_CASE("addresses that are not plain http(s) are rejected", "[core][validate]") {
    for (const char* v : {"ftp://example.com",
                          "example.com",
                          "https://",
                          "https:///path",
                          "https://exa mple.com",
                          "https://example.com/a b",
                          "javascript:alert(1)",
                          "https://brand.com@evil.example/",
                          "https://example.com:99999",
                          "https://example.com:0",
                          "https://example.com:",
                          "https://example.com/\"><script>",
                          "https://-bad.com",
                          "https://a..b",
                          "https://.example.com",
                          "https://ex\\ample.com",
                          "https://[zz::1]/",
                          "https://[::1",
                          "https://example.com/\xC2\xA0",
                          "mailto:bob@example.com",
                          "//example.com"}) {
        INFO(v);
        CHECK_FALSE(is_http_url(v));
        Status s = validate_field(url_field(), text(v));
        CHECK(s.code() == Code::kBadFormat);
        CHECK(starts_with(s.detail(), "url: \""));
    }
}

TEST_CASE("an address over the field's bound is too long", "[core][validate]") {
    const FieldDef& f = url_field();
    const std::string base = "https://example.com/";
    CHECK(validate_field(f, text(base + repeat("a", f.max_len - base.size()))).is_ok());
    CHECK(validate_field(f, text(base + repeat("a", f.max_len - base.size() + 1))).code() ==
          Code::kTooLong);
}

// ---- country, currency, date, code ----------------------------------------------------------

TEST_CASE("a country is two capital letters and is upper-cased by normalisation",
          "[core][validate]") {
    CHECK(validate_field(country_field(), text("FR")).is_ok());
    for (const char* v : {"fr", "FRA", "F", "F1", "É"}) {
        Status s = validate_field(country_field(), text(v));
        CHECK(s.code() == Code::kBadFormat);
        CHECK(starts_with(s.detail(), "country: " + quoted(v)));
    }
    CHECK(std::get<std::string>(normalize_field(country_field(), text(" fr "))) == "FR");
}

TEST_CASE("a currency is three capital letters and is upper-cased by normalisation",
          "[core][validate]") {
    CHECK(validate_field(currency_field(), text("EUR")).is_ok());
    for (const char* v : {"eur", "EU", "EURO", "E1R", "€"}) {
        Status s = validate_field(currency_field(), text(v));
        CHECK(s.code() == Code::kBadFormat);
        CHECK(starts_with(s.detail(), "currency: " + quoted(v)));
    }
    CHECK(std::get<std::string>(normalize_field(currency_field(), text("usd\t"))) == "USD");
}

TEST_CASE("a date must exist in the calendar, years 1900 to 2999", "[core][validate]") {
    for (const char* v : {"2024-02-29", "2000-02-29", "1900-01-01", "2999-12-31", "2023-12-31"}) {
        INFO(v);
        CHECK(is_date(v));
        CHECK(validate_field(date_field(), text(v)).is_ok());
    }
    for (const char* v : {"2023-02-29", "1900-02-29", "2100-02-29", "1899-12-31", "3000-01-01",
                          "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00", "2024-1-01",
                          "2024/01/01", "24-01-01", "2024-01-01T10:00", "２０２４-01-01"}) {
        INFO(v);
        CHECK_FALSE(is_date(v));
        Status s = validate_field(date_field(), text(v));
        CHECK_FALSE(s.is_ok());
        CHECK(starts_with(s.detail(), "follow_up_due: \""));
    }
    CHECK(validate_field(date_field(), text("2023-02-29")).detail() ==
          "follow_up_due: \"2023-02-29\" is not a date (YYYY-MM-DD, years 1900 to 2999)");
}

TEST_CASE("a tracked-link code is 4 to 32 letters, digits, '_' or '-'", "[core][validate]") {
    for (std::string v : {std::string("abcd"), std::string("A_b-9"), repeat("x", 32)}) {
        CHECK(is_code(v));
        CHECK(validate_field(code_field(), text(v)).is_ok());
    }
    for (std::string v : {std::string("abc"), repeat("x", 33), std::string("ab cd"),
                          std::string("abçd"), std::string("ab/cd"), std::string("abc.")}) {
        INFO(v);
        CHECK_FALSE(is_code(v));
        CHECK_FALSE(validate_field(code_field(), text(v)).is_ok());
    }
}

// ---- enum, ref -----------------------------------------------------------------------------

TEST_CASE("an enum value must be one of the choices, and the message lists them",
          "[core][validate]") {
    CHECK(validate_field(tier_field(), text("top")).is_ok());
    Status s = validate_field(tier_field(), text("Top"));
    CHECK(s.code() == Code::kUnknownValue);
    CHECK(s.detail() == "tier: \"Top\" is not one of: top, expert, employee, advocate, prospect");
    CHECK(validate_field(tier_field(), text("")).code() == Code::kUnknownValue);
}

TEST_CASE("a reference must be a record id and is stored in canonical upper case",
          "[core][validate]") {
    const std::string id = valid_id();
    CHECK(validate_field(owner_field(), text(id)).is_ok());
    CHECK(validate_field(owner_field(), text(ascii_lower(id))).is_ok());
    CHECK(std::get<std::string>(
              normalize_field(owner_field(), text(" " + ascii_lower(id) + " "))) == id);
    for (const char* v : {"not-an-id", "01ARZ3NDEKTSV4RRFFQ69G5FA", "8ZZZZZZZZZZZZZZZZZZZZZZZZZ",
                          "01ARZ3NDEKTSV4RRFFQ69G5FA!"}) {
        INFO(v);
        Status s = validate_field(owner_field(), text(v));
        CHECK(s.code() == Code::kBadFormat);
        CHECK(s.detail() == "owner: " + quoted(v) + " is not a record id");
    }
    CHECK(validate_field(owner_field(), text(id + "0")).code() == Code::kTooLong);
}

TEST_CASE("the Crockford aliases of an id are stored as the id's one spelling",
          "[core][validate]") {
    // O reads as 0, I and L as 1: two devices typing either must store the same text.
    std::string id = valid_id(4);
    std::string aliased = id;
    for (char& c : aliased) {
        if (c == '0') c = 'O';
        if (c == '1') c = 'l';
    }
    CHECK(std::get<std::string>(normalize_field(owner_field(), text(aliased))) == id);
    CHECK(normalize_elem(set_of(Kind::kInfluencer, "brands"), aliased) == id);
}

TEST_CASE("an empty string in a format field is a format error, not a clear", "[core][validate]") {
    const FieldDef optional_url = [] {
        FieldDef f = url_field();
        f.required = false;
        return f;
    }();
    for (const FieldDef* f : {&email_field(), &phone_field(), &optional_url, &country_field(),
                              &currency_field(), &date_field(), &owner_field()}) {
        Status s = validate_field(*f, text(""));
        INFO(f->name << ": " << s.to_string());
        CHECK(s.code() == Code::kBadFormat);
        CHECK(starts_with(s.detail(), f->name + ": \"\""));
    }
    // Required and in a format: "required" says more than "bad format".
    Status s = validate_field(code_field(), text(""));
    CHECK(s.code() == Code::kRequired);
    CHECK(s.detail() == "code: required");
}

// ---- messages ------------------------------------------------------------------------------

TEST_CASE("every error names the field first and quotes the value", "[core][validate]") {
    struct Case {
        const FieldDef* field;
        std::string value;
    };
    const std::vector<Case> cases = {
        {&email_field(), "bob@"},    {&phone_field(), "12"},
        {&url_field(), "ftp://x.y"}, {&country_field(), "fra"},
        {&currency_field(), "eu"},   {&date_field(), "2023-02-30"},
        {&code_field(), "ab"},       {&tier_field(), "boss"},
        {&owner_field(), "xyz"},     {&name_field(), repeat("n", 201)},
        {&notes_field(), "a\x01"},
    };
    for (const auto& c : cases) {
        Status s = validate_field(*c.field, text(c.value));
        INFO(s.to_string());
        REQUIRE_FALSE(s.is_ok());
        CHECK(starts_with(s.detail(), c.field->name + ": \""));
    }
}

TEST_CASE("a hostile 100 KB value is rejected with a short message", "[core][validate]") {
    const std::string huge = repeat("<script>x</script>", 100 * 1024 / 18 + 1);
    REQUIRE(huge.size() > 100 * 1024);
    for (const FieldDef* f : {&name_field(), &notes_field(), &email_field(), &url_field(),
                              &phone_field(), &owner_field()}) {
        Status s = validate_field(*f, text(huge));
        INFO(f->name);
        CHECK(s.code() == Code::kTooLong);
        CHECK(s.detail().size() < 200);
        CHECK(starts_with(s.detail(), f->name + ": \"<script>"));
        CHECK(s.detail().find("\xE2\x80\xA6") != std::string::npos);  // "…": cut
    }
    Status s = validate_elem(set_of(Kind::kInfluencer, "tags"), huge);
    CHECK(s.code() == Code::kTooLong);
    CHECK(s.detail().size() < 200);
}

TEST_CASE("a value is cut in the message on a character boundary", "[core][validate]") {
    Status s = validate_field(name_field(), text(repeat("é", 300)));
    REQUIRE(s.code() == Code::kTooLong);
    CHECK(is_valid_utf8(s.detail()));
    CHECK(s.detail().find(quoted(repeat("é", 40)) + "\xE2\x80\xA6") != std::string::npos);
}

TEST_CASE("NUL bytes inside text are rejected and shown escaped", "[core][validate]") {
    Status s = validate_field(email_field(), text(std::string("bob\0@example.com", 16)));
    CHECK(s.code() == Code::kInvalidArgument);
    CHECK(s.detail() == "email: \"bob\\x00@example.com\" contains a control character");
}

// ---- normalisation -------------------------------------------------------------------------

TEST_CASE("normalisation trims ASCII and Unicode white space around text", "[core][validate]") {
    auto norm = [](const FieldDef& f, std::string v) {
        return std::get<std::string>(normalize_field(f, text(std::move(v))));
    };
    CHECK(norm(name_field(), "  Hélène \t") == "Hélène");
    CHECK(norm(name_field(), "\xC2\xA0Hélène\xC2\xA0") == "Hélène");
    CHECK(norm(name_field(), "\xE2\x80\x83Name\xE3\x80\x80\xEF\xBB\xBF") == "Name");
    CHECK(norm(name_field(), "a  b") == "a  b");  // inner spaces kept
    CHECK(norm(phone_field(), " +33 6 12 34 56 78\n") == "+33 6 12 34 56 78");
    CHECK(norm(url_field(), " https://example.com/ ") == "https://example.com/");
    CHECK(norm(tier_field(), " top ") == "top");
    CHECK(norm(date_field(), "2024-02-29 ") == "2024-02-29");
    CHECK(norm(name_field(), "\xC3") == "\xC3");  // invalid bytes kept for validation to refuse
}

TEST_CASE("long text normalisation turns CR LF into LF", "[core][validate]") {
    Value v = normalize_field(notes_field(), text("one\r\ntwo\rthree\r\n\r\n"));
    CHECK(std::get<std::string>(v) == "one\ntwo\nthree");
    CHECK(validate_field(notes_field(), v).is_ok());
}

TEST_CASE("normalisation leaves integers and mistyped values alone", "[core][validate]") {
    CHECK(std::get<std::int64_t>(normalize_field(time_field(), integer(5))) == 5);
    CHECK(std::get<std::string>(normalize_field(time_field(), text(" 5 "))) == " 5 ");
    CHECK(std::get<std::int64_t>(normalize_field(name_field(), integer(7))) == 7);
    CHECK(is_null(normalize_field(name_field(), Value{})));
}

TEST_CASE("normalising twice changes nothing more", "[core][validate]") {
    const std::vector<std::pair<const FieldDef*, std::string>> inputs = {
        {&name_field(),
         " \xC2\xA0"
         "Bob "},
        {&email_field(), " A@B.Example.COM "},
        {&country_field(), "fr"},
        {&notes_field(), "a\r\nb\r"},
        {&owner_field(), valid_id()},
        {&currency_field(), " eur"}};
    for (const auto& [f, v] : inputs) {
        Value once = normalize_field(*f, text(v));
        CHECK(normalize_field(*f, once) == once);
    }
}

// ---- set elements --------------------------------------------------------------------------

TEST_CASE("tags accept any short printable text", "[core][validate]") {
    const SetDef& tags = set_of(Kind::kInfluencer, "tags");
    for (const char* v : {"vip", "summer 2024", "<script>", "été", "a:b"})
        CHECK(validate_elem(tags, v).is_ok());
    CHECK(validate_elem(tags, repeat("é", 64)).is_ok());
}

TEST_CASE("a bad tag is rejected naming the set", "[core][validate]") {
    const SetDef& tags = set_of(Kind::kInfluencer, "tags");
    for (std::string v : {std::string(""), std::string("  "), std::string("a\nb"),
                          std::string("a\0b", 3), repeat("x", 65), std::string("\xED\xA0\x80")}) {
        Status s = validate_elem(tags, v);
        INFO(s.to_string());
        CHECK_FALSE(s.is_ok());
        CHECK(starts_with(s.detail(), "tags: \""));
    }
    CHECK(validate_elem(tags, repeat("x", 65)).code() == Code::kTooLong);
}

TEST_CASE("tags are trimmed and lower-cased, Latin accented capitals included",
          "[core][validate]") {
    const SetDef& tags = set_of(Kind::kInfluencer, "tags");
    CHECK(normalize_elem(tags, "  VIP ") == "vip");
    CHECK(normalize_elem(tags, "ÉTÉ Öko") == "été öko");
    CHECK(normalize_elem(tags, "ŁÓDŹ ŒUVRE") == "łódź œuvre");
    CHECK(normalize_elem(tags, "ŸÀÞ") == "ÿàþ");
    CHECK(normalize_elem(tags, "İ") == "i");
    CHECK(normalize_elem(tags, "×÷ß") == "×÷ß");      // not letters / no single upper case
    CHECK(normalize_elem(tags, "ΑΘΗΝΑ") == "ΑΘΗΝΑ");  // outside the mapped range: kept
}

TEST_CASE("a role must be one of the set's choices", "[core][validate]") {
    const SetDef& roles = set_of(Kind::kInfluencer, "roles");
    CHECK(validate_elem(roles, "creator").is_ok());
    Status s = validate_elem(roles, "boss");
    CHECK(s.code() == Code::kUnknownValue);
    CHECK(starts_with(s.detail(), "roles: \"boss\" is not one of: customer, prospect"));
}

TEST_CASE("a handle is platform:handle:audience", "[core][validate]") {
    const SetDef& handles = set_of(Kind::kInfluencer, "handles");
    for (std::string v : {std::string("instagram:helene.dupont:125000"), std::string("x:bob:0"),
                          std::string("youtube:Chaîne_Officielle:42"),
                          "tiktok:" + repeat("h", 100) + ":999999999999999999"}) {
        INFO(v);
        CHECK(validate_elem(handles, v).is_ok());
    }
    Handle h;
    REQUIRE(parse_handle("instagram:helene.dupont:125000", h));
    CHECK(h.platform == "instagram");
    CHECK(h.handle == "helene.dupont");
    CHECK(h.audience == 125000);
    CHECK(format_handle(h) == "instagram:helene.dupont:125000");
}

TEST_CASE("malformed handles are rejected naming the set", "[core][validate]") {
    const SetDef& handles = set_of(Kind::kInfluencer, "handles");
    for (std::string v :
         {std::string("instagram:bob"), std::string("instagram::5"),
          std::string("instagram:bo b:5"), std::string("instagram:bob:-5"),
          std::string("instagram:bob:12x"), std::string("instagram:a:b:5"),
          std::string("instagram:@bob:5"), std::string("instagram:bob:"),
          std::string("instagram:bob:0123"), std::string("instagram:bo\xC2\xA0") + "b:5",
          "instagram:bob:" + repeat("9", 19), "instagram:" + repeat("h", 101) + ":1"}) {
        INFO(v);
        Handle h;
        CHECK_FALSE(parse_handle(v, h));
        Status s = validate_elem(handles, v);
        CHECK(s.code() == Code::kBadFormat);
        CHECK(starts_with(s.detail(), "handles: \""));
    }
    for (std::string v : {"myspace:bob:1", "Instagram:bob:5", ":bob:5"}) {
        INFO(v);
        Handle h;
        CHECK_FALSE(parse_handle(v, h));
        Status s = validate_elem(handles, v);
        CHECK(s.code() == Code::kUnknownValue);
        CHECK(starts_with(s.detail(), "handles: " + quoted(v) + " has an unknown platform"));
    }
}

TEST_CASE("handle platforms are the content platforms of the schema", "[core][validate]") {
    const FieldDef& platform = field_of(Kind::kContent, "platform");
    CHECK(platform.choices == platforms());
    for (const auto& p : platforms()) {
        Handle h;
        INFO(p);
        CHECK(parse_handle(p + ":name:0", h));
    }
    Handle h;
    CHECK_FALSE(parse_handle("myspace:name:0", h));
}

TEST_CASE("handle normalisation drops the '@', lower-cases the platform, defaults the audience",
          "[core][validate]") {
    const SetDef& handles = set_of(Kind::kInfluencer, "handles");
    CHECK(normalize_elem(handles, " Instagram : @Helene.Dupont : 125000 ") ==
          "instagram:Helene.Dupont:125000");
    CHECK(normalize_elem(handles, "TikTok:@bob") == "tiktok:bob:0");
    CHECK(normalize_elem(handles, "x:bob:00120") == "x:bob:120");
    CHECK(normalize_elem(handles, "x:bob:") == "x:bob:0");
    for (const char* v : {" Instagram : @Helene.Dupont : 125000 ", "TikTok:@bob", "x:bob:00120"})
        CHECK(validate_elem(handles, normalize_elem(handles, v)).is_ok());
    CHECK(normalize_elem(handles, "no colon") == "no colon");  // left for validation to refuse
}

TEST_CASE("format_handle writes a negative audience as 0", "[core][validate]") {
    CHECK(format_handle(Handle{"x", "bob", -5}) == "x:bob:0");
}

TEST_CASE("a brand reference element must be a record id", "[core][validate]") {
    const SetDef& brands = set_of(Kind::kInfluencer, "brands");
    const std::string id = valid_id(7);
    CHECK(validate_elem(brands, id).is_ok());
    CHECK(normalize_elem(brands, ascii_lower(id)) == id);
    Status s = validate_elem(brands, "xyz");
    CHECK(s.code() == Code::kBadFormat);
    CHECK(s.detail() == "brands: \"xyz\" is not a record id");
}

TEST_CASE("language tags are BCP 47 in canonical case", "[core][validate]") {
    const SetDef& languages = set_of(Kind::kInfluencer, "languages");
    for (const char* v :
         {"fr", "eng", "pt-BR", "zh-Hant", "zh-Hant-TW", "es-419", "sl-rozaj", "de-CH-1901"}) {
        INFO(v);
        CHECK(is_language(v));
        CHECK(validate_elem(languages, v).is_ok());
    }
    for (const char* v : {"f", "french", "PT-br", "pt-br", "pt_BR", "pt-", "-pt", "zh-hant",
                          "en--US", "en-US-", "12", "en-U"}) {
        INFO(v);
        CHECK_FALSE(is_language(v));
        Status s = validate_elem(languages, v);
        CHECK(s.code() == Code::kBadFormat);
        CHECK(starts_with(s.detail(), "languages: " + quoted(v)));
    }
}

TEST_CASE("language normalisation gives the canonical case", "[core][validate]") {
    const SetDef& languages = set_of(Kind::kInfluencer, "languages");
    CHECK(normalize_elem(languages, "PT-br") == "pt-BR");
    CHECK(normalize_elem(languages, "zh-hant-tw") == "zh-Hant-TW");
    CHECK(normalize_elem(languages, " pt_BR ") == "pt-BR");
    CHECK(normalize_elem(languages, "EN") == "en");
    CHECK(normalize_elem(languages, "ES-419") == "es-419");
}

TEST_CASE("the test covers every element type of the schema", "[core][validate]") {
    CHECK(set_of(Kind::kInfluencer, "tags").elem == ElemType::kTag);
    CHECK(set_of(Kind::kInfluencer, "roles").elem == ElemType::kEnum);
    CHECK(set_of(Kind::kInfluencer, "handles").elem == ElemType::kHandle);
    CHECK(set_of(Kind::kInfluencer, "brands").elem == ElemType::kRef);
    CHECK(set_of(Kind::kInfluencer, "languages").elem == ElemType::kLanguage);
}

TEST_CASE("an empty element is rejected for every set of every kind", "[core][validate]") {
    for (const auto& k : all_kinds())
        for (const auto& s : k.sets) {
            Status st = validate_elem(s, "");
            INFO(k.name << "." << s.name);
            CHECK_FALSE(st.is_ok());
            CHECK(starts_with(st.detail(), s.name + ": "));
        }
}

// ---- records -------------------------------------------------------------------------------

TEST_CASE("a record of nulls reports the first required field of every kind", "[core][validate]") {
    for (const auto& k : all_kinds()) {
        INFO(k.name);
        const std::vector<Value> nulls(k.fields.size());
        const FieldDef* first_required = nullptr;
        for (const auto& f : k.fields)
            if (f.required) {
                first_required = &f;
                break;
            }
        Status s = validate_record(k, nulls);
        if (first_required == nullptr) {
            CHECK(s.is_ok());
        } else {
            CHECK(s.code() == Code::kRequired);
            CHECK(s.detail() == first_required->name + ": required");
        }
    }
}

TEST_CASE("a record whose size differs from the kind's fields is a caller bug",
          "[core][validate]") {
    const KindDef& k = kind_def(Kind::kBrand);
    Status s = validate_record(k, {});
    CHECK(s.code() == Code::kInternal);
    CHECK(starts_with(s.detail(), "brand: "));
    CHECK(validate_record(k, std::vector<Value>(k.fields.size() + 1)).code() == Code::kInternal);
}

TEST_CASE("a complete influencer record is valid", "[core][validate]") {
    const KindDef& k = kind_def(Kind::kInfluencer);
    std::vector<Value> values(k.fields.size());
    auto set = [&](std::string_view name, Value v) {
        values[std::size_t(k.field_index(name))] = std::move(v);
    };
    set("name", text("Hélène Dupont"));
    set("email", text("helene@example.fr"));
    set("phone", text("+33 6 12 34 56 78"));
    set("country", text("FR"));
    set("tier", text("top"));
    set("owner", text(valid_id(2)));
    set("notes", text("Met at the show.\nLikes the new line."));
    CHECK(validate_record(k, values).is_ok());

    // The first invalid field, in field order, is the one reported.
    set("country", text("fra"));
    set("tier", text("boss"));
    Status s = validate_record(k, values);
    CHECK(s.code() == Code::kBadFormat);
    CHECK(starts_with(s.detail(), "country: "));
}

TEST_CASE("a required field holding a bad value reports the value, not 'required'",
          "[core][validate]") {
    const KindDef& k = kind_def(Kind::kInteraction);
    std::vector<Value> values(k.fields.size());
    values[std::size_t(k.field_index("influencer"))] = text(valid_id(3));
    values[std::size_t(k.field_index("at"))] = integer(-5);
    Status s = validate_record(k, values);
    CHECK(s.code() == Code::kInvalidArgument);
    CHECK(starts_with(s.detail(), "at: -5"));
}

// ---- folding -------------------------------------------------------------------------------

TEST_CASE("fold_for_match lower-cases and strips Latin diacritics", "[core][validate]") {
    CHECK(fold_for_match("Hélène Dupont-Œuvre") == "helene dupont-oeuvre");
    CHECK(fold_for_match("ÆSØP") == "aesop");
    CHECK(fold_for_match("Straße") == "strasse");
    CHECK(fold_for_match("Łukasz Świątek") == "lukasz swiatek");
    CHECK(fold_for_match("Žofie Čermáková Řeháková") == "zofie cermakova rehakova");
    CHECK(fold_for_match("Ďurčo Ťažký Ňuňo") == "durco tazky nuno");
    CHECK(fold_for_match("ÀÉÎÕÜ àéîõü ÇçÑñÅåŸÿ") == "aeiou aeiou ccnnaayy");
    CHECK(fold_for_match("Ștefan Țurcanu") == "stefan turcanu");
    CHECK(fold_for_match("ǅ") == "ǅ");  // outside the mapped ranges: kept
}

TEST_CASE("fold_for_match folds decomposed accents like precomposed ones", "[core][validate]") {
    // "He" U+0301 "le" U+0300 "ne": typed on macOS, pasted from PDFs.
    CHECK(fold_for_match("He\xCC\x81le\xCC\x80ne") == "helene");
    CHECK(fold_for_match("He\xCC\x81le\xCC\x80ne") == fold_for_match("Hélène"));
}

TEST_CASE("fold_for_match passes other scripts and invalid bytes through", "[core][validate]") {
    CHECK(fold_for_match("Ђорђе ΑΘΗΝΑ 東京") == "Ђорђе ΑΘΗΝΑ 東京");
    CHECK(fold_for_match("ABC\xFF") == "abc\xFF");
    CHECK(fold_for_match("×÷") == "×÷");
    CHECK(fold_for_match("") == "");
}

}  // namespace liaison::test::core_validate
