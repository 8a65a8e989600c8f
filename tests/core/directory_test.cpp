// The brand directory's rules (core/query/directory.hpp, docs/SYNC.md "Directory"): who is
// in a brand's directory (D1), what of her a device outside her scope holds (D2), and the
// matching keys for e-mail and phone (D3, D4).
#include "core/query/directory.hpp"

#include <catch2/catch.hpp>

#include "core/model/validate.hpp"

namespace liaison::test::core_directory {

using namespace liaison::core;

namespace {

Id128 id_of(std::uint8_t n) {
    Id128 id;
    id.bytes[15] = n;
    return id;
}

Stamp stamp_of(std::uint64_t hlc) { return Stamp{hlc, id_of(200)}; }

EntitySnapshot person(std::vector<std::pair<std::string, Value>> fields) {
    EntitySnapshot s;
    s.row = RowState::empty(Kind::kInfluencer, id_of(1));
    s.row.created = stamp_of(1);
    const KindDef& k = kind_def(Kind::kInfluencer);
    for (auto& [name, value] : fields) {
        const auto i = std::size_t(k.field_index(name));
        s.row.values[i] = value;
        s.row.clocks[i] = stamp_of(2);
    }
    return s;
}

void add_dot(EntitySnapshot& s, std::string_view set, std::string elem, bool removed = false) {
    DotRow d;
    d.set = kind_def(s.row.kind).set_index(set);
    d.elem = std::move(elem);
    d.dot = stamp_of(3 + s.dots.size());
    d.removed = removed;
    s.dots.push_back(d);
}

}  // namespace

TEST_CASE("D1: a person is in the directory of her brand and of the brands she is listed under",
          "[core][directory]") {
    const std::string maison = id_of(20).to_text(), other = id_of(21).to_text();
    CHECK(in_directory(person({{"name", std::string("Ana")}, {"brand", maison}}), {maison}));
    CHECK_FALSE(in_directory(person({{"name", std::string("Ana")}, {"brand", other}}), {maison}));
    auto listed = person({{"name", std::string("Bea")}, {"brand", other}});
    add_dot(listed, "brands", maison);
    CHECK(in_directory(listed, {maison}));
    auto removed = person({{"name", std::string("Cy")}});
    add_dot(removed, "brands", maison, /*removed=*/true);
    CHECK_FALSE(in_directory(removed, {maison}));
    // No brand: in no directory; no brands on the device: no directory at all.
    CHECK_FALSE(in_directory(person({{"name", std::string("Dee")}}), {maison}));
    CHECK_FALSE(in_directory(person({{"name", std::string("Eve")}, {"brand", maison}}), {}));
    // The group's own staff (no brand) are known to every brand; a brand's staff to it.
    EntitySnapshot staff;
    staff.row = RowState::empty(Kind::kStaff, id_of(5));
    staff.row.created = stamp_of(1);
    CHECK(in_directory(staff, {maison}));
    staff.row.values[std::size_t(kind_def(Kind::kStaff).field_index("brand"))] = other;
    CHECK_FALSE(in_directory(staff, {maison}));
    // Other kinds have no directory.
    EntitySnapshot event;
    event.row = RowState::empty(Kind::kEvent, id_of(6));
    event.row.created = stamp_of(1);
    CHECK_FALSE(in_directory(event, {maison}));
}

TEST_CASE("D2: the directory projection keeps no e-mail, phone, note, topic or tag",
          "[core][directory]") {
    const std::string maison = id_of(20).to_text();
    auto full = person({{"name", std::string("Hélène Dupont")},
                        {"email", std::string("helene@example.org")},
                        {"phone", std::string("+33 6 12 34 56 78")},
                        {"notes", std::string("canary note")},
                        {"vetting_notes", std::string("canary vetting")},
                        {"status", std::string("do_not_contact")},
                        {"tier", std::string("top")},
                        {"brand", maison}});
    add_dot(full, "handles", "instagram:helene:125000");
    add_dot(full, "tags", "vip");
    add_dot(full, "topics", "beauty");
    add_dot(full, "roles", "journalist");
    const auto dir = directory_projection(full);
    const KindDef& k = kind_def(Kind::kInfluencer);
    auto value = [&](std::string_view f) { return dir.row.values[std::size_t(k.field_index(f))]; };
    auto clock = [&](std::string_view f) { return dir.row.clocks[std::size_t(k.field_index(f))]; };
    for (const char* hidden : {"email", "phone", "notes", "vetting_notes"}) {
        INFO(hidden);
        CHECK(is_null(value(hidden)));
        CHECK_FALSE(clock(hidden).has_value());
    }
    CHECK(value("name") == Value{std::string("Hélène Dupont")});
    CHECK(value("status") == Value{std::string("do_not_contact")});
    CHECK(value("brand") == Value{maison});
    CHECK(clock("name").has_value());
    std::vector<std::string> kept;
    for (const auto& d : dir.dots) kept.push_back(k.sets[std::size_t(d.set)].name + "=" + d.elem);
    CHECK(kept == std::vector<std::string>{"handles=instagram:helene:125000", "roles=journalist"});
    CHECK(dir.row.created == full.row.created);
}

TEST_CASE("D3: e-mail and phone keys are the same however they were typed", "[core][directory]") {
    CHECK(normalise_email("  Helene.Dupont@Example.ORG ") == "helene.dupont@example.org");
    const std::string e164 = "+33612345678";
    CHECK(normalise_phone("+33 6 12 34 56 78", "") == e164);
    CHECK(normalise_phone("0033 6 12-34-56-78", "GB") == e164);
    CHECK(normalise_phone("06 12 34 56 78", "FR") == e164);
    CHECK(normalise_phone("(06) 12.34.56.78", "FR") == e164);
    CHECK(normalise_phone("612345678", "FR") == e164);
    CHECK(normalise_phone("333 123 4567", "IT") == std::string("+393331234567"));
    CHECK(normalise_phone("1 (415) 555-0100", "US") == std::string("+14155550100"));
    // No calling code to give a national number, or not a number at all.
    CHECK_FALSE(normalise_phone("06 12 34 56 78", "").has_value());
    CHECK_FALSE(normalise_phone("06 12 34 56 78", "ZZ").has_value());
    CHECK_FALSE(normalise_phone("+33 6", "FR").has_value());
    CHECK_FALSE(normalise_phone("call me", "FR").has_value());
    CHECK(calling_code("FR") == "33");
}

TEST_CASE("D4: contact digests are 16 bits, the same on every host, and match many values",
          "[core][directory]") {
    // Pinned: the native and the WebAssembly builds run this test, so both compute it alike.
    const auto d = contact_digest("+33612345678");
    CHECK(d == contact_digest(*normalise_phone("06 12 34 56 78", "FR")));
    CHECK(d >= 1);
    CHECK(d <= 65536);
    CHECK(contact_digest("helene.dupont@example.org") !=
          contact_digest("helene.dupond@example.org"));
    // Truncation: about one number in 65,536 shares the digest of a given one, so among
    // 655,360 French mobile numbers about ten do — and among a country's hundreds of millions,
    // thousands: a stolen device cannot tell which of them a person's number is.
    int same = 0;
    for (int n = 0; n < 655360; ++n) {
        const std::string number = "+3361" + std::to_string(2000000 + n);
        if (contact_digest(number) == d) ++same;
    }
    CHECK(same >= 3);
}

}  // namespace liaison::test::core_directory
