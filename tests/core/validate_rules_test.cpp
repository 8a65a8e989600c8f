// Validation and normalisation (core/model/validate.hpp): every field type and set element
// type, good and bad values, message format, hostile input.
#include <catch2/catch.hpp>

#include "core/model/validate.hpp"

namespace liaison::core::test_core_validate_rules {
namespace {

const FieldDef& field(Kind k, const char* name) {
    const auto& def = kind_def(k);
    int i = def.field_index(name);
    REQUIRE(i >= 0);
    return def.fields[std::size_t(i)];
}

const SetDef& set_of(Kind k, const char* name) {
    const auto& def = kind_def(k);
    int i = def.set_index(name);
    REQUIRE(i >= 0);
    return def.sets[std::size_t(i)];
}

Status check(Kind k, const char* name, Value v) {
    const auto& f = field(k, name);
    return validate_field(f, normalize_field(f, std::move(v)));
}

}  // namespace

TEST_CASE("a bad e-mail is rejected with the field name first and the value quoted",
          "[core][validate]") {
    Status s = check(Kind::kInfluencer, "email", std::string("bob@"));
    CHECK(s.code() == Code::kBadFormat);
    CHECK(s.detail() == "email: \"bob@\" is not an e-mail address");
    for (const char* bad :
         {"bob", "@example.com", "bob@example", "bob@@example.com", "bob@.example.com",
          "bo b@example.com", "bob@exa_mple.com", "bob..x@example.com"})
        CHECK_FALSE(check(Kind::kInfluencer, "email", std::string(bad)).is_ok());
    for (const char* good :
         {"bob@example.com", "helene.dupont+press@maison.fr", " Bob@Example.COM "})
        CHECK(check(Kind::kInfluencer, "email", std::string(good)).is_ok());
    CHECK(std::get<std::string>(normalize_field(field(Kind::kInfluencer, "email"),
                                                std::string(" Bob@Example.COM "))) ==
          "Bob@example.com");
}

TEST_CASE("phones need 7 to 15 digits, with an optional leading plus", "[core][validate]") {
    for (const char* good :
         {"+33 6 12 34 56 78", "06.12.34.56.78", "(212) 555-0100", "+442071234567"})
        CHECK(check(Kind::kInfluencer, "phone", std::string(good)).is_ok());
    for (const char* bad :
         {"12345", "+33 6 12 34 56 78 90 12 34", "phone me", "33+612345678", "-0612345678"})
        CHECK(check(Kind::kInfluencer, "phone", std::string(bad)).code() == Code::kBadFormat);
}

TEST_CASE("URLs must be http or https with a host", "[core][validate]") {
    CHECK(check(Kind::kContent, "url", std::string("https://www.instagram.com/p/abc/")).is_ok());
    CHECK(check(Kind::kContent, "url", std::string("http://example.com")).is_ok());
    for (const char* bad :
         {"javascript:alert(1)", "ftp://example.com", "https://", "https://exa mple.com",
          "https://user@evil.com", "https://example.com/<script>"})
        CHECK(check(Kind::kContent, "url", std::string(bad)).code() == Code::kBadFormat);
}

TEST_CASE("dates are real calendar dates", "[core][validate]") {
    CHECK(is_date("2024-02-29"));
    CHECK_FALSE(is_date("2023-02-29"));
    CHECK_FALSE(is_date("2024-13-01"));
    CHECK_FALSE(is_date("2024-1-01"));
    CHECK_FALSE(is_date("1899-12-31"));
    CHECK(check(Kind::kCampaign, "starts", std::string("2026-11-23")).is_ok());
    CHECK(check(Kind::kCampaign, "starts", std::string("23/11/2026")).code() == Code::kBadFormat);
}

TEST_CASE("numbers are checked for type and range", "[core][validate]") {
    CHECK(check(Kind::kInteraction, "at", std::int64_t(1'700'000'000'000)).is_ok());
    CHECK_FALSE(check(Kind::kInteraction, "at", std::int64_t(-1)).is_ok());
    CHECK_FALSE(check(Kind::kInteraction, "at", std::string("yesterday")).is_ok());
    CHECK(check(Kind::kCheckin, "walk_in", std::int64_t(1)).is_ok());
    CHECK_FALSE(check(Kind::kCheckin, "walk_in", std::int64_t(2)).is_ok());
    CHECK(check(Kind::kEvent, "capacity", std::int64_t(250)).is_ok());
    CHECK(check(Kind::kEvent, "capacity", std::int64_t(-5)).code() == Code::kInvalidArgument);
    CHECK_FALSE(check(Kind::kInfluencer, "name", std::int64_t(5)).is_ok());
}

TEST_CASE("enumerations list the allowed values when a value is not one of them",
          "[core][validate]") {
    Status s = check(Kind::kInfluencer, "tier", std::string("celebrity"));
    CHECK(s.code() == Code::kUnknownValue);
    CHECK(s.detail().find("top, expert, employee, advocate, prospect") != std::string::npos);
    CHECK(check(Kind::kInfluencer, "tier", std::string("top")).is_ok());
}

TEST_CASE("codes, currencies, countries and references have their formats", "[core][validate]") {
    CHECK(check(Kind::kTrackedLink, "code", std::string("SPRING-26")).is_ok());
    CHECK_FALSE(check(Kind::kTrackedLink, "code", std::string("a b")).is_ok());
    CHECK_FALSE(check(Kind::kTrackedLink, "code", std::string("abc")).is_ok());
    CHECK(check(Kind::kCampaign, "currency", std::string("eur")).is_ok());  // upper-cased first
    CHECK_FALSE(check(Kind::kCampaign, "currency", std::string("EURO")).is_ok());
    CHECK(check(Kind::kInfluencer, "country", std::string("fr")).is_ok());
    CHECK_FALSE(check(Kind::kInfluencer, "country", std::string("FRA")).is_ok());
    CHECK(check(Kind::kInfluencer, "owner", std::string("01HF7YCDT3BQD4MBC0W8JQ6A2X")).is_ok());
    CHECK(check(Kind::kInfluencer, "owner", std::string("01hf7ycdt3bqd4mbc0w8jq6a2x")).is_ok());
    CHECK(check(Kind::kInfluencer, "owner", std::string("not-an-id")).code() == Code::kBadFormat);
}

TEST_CASE("text length is counted in characters, not bytes", "[core][validate]") {
    const auto& name = field(Kind::kInfluencer, "name");
    std::string accents;
    for (int i = 0; i < 200; ++i) accents += "é";  // 400 bytes, 200 characters
    CHECK(validate_field(name, accents).is_ok());
    CHECK(validate_field(name, accents + "é").code() == Code::kTooLong);
}

TEST_CASE("invalid UTF-8 and control characters are rejected", "[core][validate][hostile]") {
    const auto& name = field(Kind::kInfluencer, "name");
    for (std::string bad :
         {std::string("\xC0\xAF"), std::string("\xED\xA0\x80"), std::string("abc\xE2\x82"),
          std::string("\xFF"), std::string("a\0b", 3), std::string("line\nbreak")})
        CHECK_FALSE(validate_field(name, bad).is_ok());
    // Notes may span lines.
    CHECK(validate_field(field(Kind::kInfluencer, "notes"), std::string("line\nbreak")).is_ok());
    // Markup is just text (it is never rendered as HTML).
    CHECK(validate_field(name, std::string("<script>alert(1)</script>")).is_ok());
}

TEST_CASE("a 100 KB value is refused with a short message", "[core][validate][hostile]") {
    std::string huge(100'000, 'x');
    Status s = validate_field(field(Kind::kInfluencer, "notes"), huge);
    CHECK(s.code() == Code::kTooLong);
    CHECK(s.detail().size() < 120);
    Status e = validate_field(field(Kind::kInfluencer, "email"), huge);
    CHECK(e.detail().size() < 120);
}

TEST_CASE("every kind reports its missing required fields", "[core][validate]") {
    for (const auto& k : all_kinds()) {
        std::vector<Value> empty(k.fields.size());
        Status s = validate_record(k, empty);
        bool has_required = std::any_of(k.fields.begin(), k.fields.end(),
                                        [](const FieldDef& f) { return f.required; });
        INFO(k.name);
        CHECK(s.code() == (has_required ? Code::kRequired : Code::kOk));
    }
}

TEST_CASE("set elements are normalised and checked by type", "[core][validate]") {
    const auto& handles = set_of(Kind::kInfluencer, "handles");
    CHECK(normalize_elem(handles, " Instagram:@helene.d:1200 ") == "instagram:helene.d:1200");
    CHECK(validate_elem(handles, "instagram:helene.d:1200").is_ok());
    for (const char* bad : {"myspace:helene:10", "instagram::10", "instagram:helene",
                            "instagram:hel ene:10", "instagram:helene:-5"})
        CHECK_FALSE(validate_elem(handles, bad).is_ok());
    const auto& tags = set_of(Kind::kInfluencer, "tags");
    CHECK(normalize_elem(tags, " VIP ") == "vip");
    CHECK_FALSE(validate_elem(tags, "").is_ok());
    const auto& langs = set_of(Kind::kInfluencer, "languages");
    CHECK(normalize_elem(langs, "PT_br") == "pt-BR");
    CHECK(validate_elem(langs, "zh-Hant-TW").is_ok());
    CHECK_FALSE(validate_elem(langs, "french").is_ok());
    const auto& roles = set_of(Kind::kInfluencer, "roles");
    CHECK(validate_elem(roles, "journalist").is_ok());
    CHECK(validate_elem(roles, "astronaut").code() == Code::kUnknownValue);
}

TEST_CASE("folding for matching drops case and Latin accents", "[core][validate]") {
    CHECK(fold_for_match("Hélène Dupont-Œuvre") == "helene dupont-oeuvre");
    CHECK(fold_for_match("ŁÓDŹ Ærø straße") == "lodz aero strasse");
    CHECK(phone_digits("+33 6 12-34") == "+3361234");
}

}  // namespace liaison::core::test_core_validate_rules
