#include "core/query/directory.hpp"

#include <algorithm>

#include "core/model/validate.hpp"
#include "core/query/queries.hpp"
#include "core/util/sha256.hpp"
#include "core/util/text.hpp"

namespace liaison::core {
namespace {

// Calling codes and trunk prefixes (the digits a national number starts with that E.164
// drops): the countries the brands sell in, and their neighbours. A country missing here
// only means that its national numbers without '+' are not matched.
struct Dialling {
    std::string_view country, code, trunk;
};
constexpr Dialling kDialling[] = {
    {"AD", "376", ""},  {"AE", "971", "0"}, {"AR", "54", "0"},  {"AT", "43", "0"},
    {"AU", "61", "0"},  {"BE", "32", "0"},  {"BG", "359", "0"}, {"BR", "55", "0"},
    {"CA", "1", "1"},   {"CH", "41", "0"},  {"CN", "86", "0"},  {"CY", "357", ""},
    {"CZ", "420", ""},  {"DE", "49", "0"},  {"DK", "45", ""},   {"DZ", "213", "0"},
    {"EE", "372", ""},  {"EG", "20", "0"},  {"ES", "34", ""},   {"FI", "358", "0"},
    {"FR", "33", "0"},  {"GB", "44", "0"},  {"GR", "30", ""},   {"HK", "852", ""},
    {"HR", "385", "0"}, {"HU", "36", "06"}, {"IE", "353", "0"}, {"IL", "972", "0"},
    {"IN", "91", "0"},  {"IS", "354", ""},  {"IT", "39", ""},   {"JP", "81", "0"},
    {"KR", "82", "0"},  {"LI", "423", ""},  {"LT", "370", "8"}, {"LU", "352", ""},
    {"LV", "371", ""},  {"MA", "212", "0"}, {"MC", "377", ""},  {"MT", "356", ""},
    {"MX", "52", ""},   {"NL", "31", "0"},  {"NO", "47", ""},   {"NZ", "64", "0"},
    {"PL", "48", ""},   {"PT", "351", ""},  {"QA", "974", ""},  {"RO", "40", "0"},
    {"RS", "381", "0"}, {"SA", "966", "0"}, {"SE", "46", "0"},  {"SG", "65", ""},
    {"SI", "386", "0"}, {"SK", "421", "0"}, {"TN", "216", ""},  {"TR", "90", "0"},
    {"UA", "380", "0"}, {"US", "1", "1"},   {"ZA", "27", "0"},
};

const Dialling* dialling(std::string_view country) {
    for (const auto& d : kDialling)
        if (d.country == country) return &d;
    return nullptr;
}

constexpr std::size_t kE164MinDigits = 7, kE164MaxDigits = 15;

}  // namespace

bool has_directory(Kind kind) {
    return kind == Kind::kInfluencer || kind == Kind::kStaff || kind == Kind::kStore;
}

bool has_marks(Kind kind) {
    return kind == Kind::kInteraction || kind == Kind::kCheckin || kind == Kind::kCollaboration ||
           kind == Kind::kVetting || kind == Kind::kGdprRequest;
}

bool in_directory(const EntitySnapshot& record, const std::vector<std::string>& brands) {
    const RowState& row = record.row;
    if (!has_directory(row.kind) || !row.visible() || brands.empty()) return false;
    const std::string* brand = row.text("brand");
    if (brand && contains(brands, *brand)) return true;
    if (row.kind == Kind::kStaff) return brand == nullptr;
    const int set = kind_def(row.kind).set_index("brands");
    for (const auto& d : record.dots)
        if (d.set == set && !d.removed && contains(brands, d.elem)) return true;
    return false;
}

EntitySnapshot directory_projection(const EntitySnapshot& full) {
    const KindDef& k = kind_def(full.row.kind);
    EntitySnapshot out = full;
    for (std::size_t i = 0; i < k.fields.size() && i < out.row.values.size(); ++i) {
        if (k.fields[i].directory) continue;
        out.row.values[i] = Value{};
        if (i < out.row.clocks.size()) out.row.clocks[i].reset();
    }
    out.dots.erase(std::remove_if(out.dots.begin(), out.dots.end(),
                                  [&](const DotRow& d) {
                                      return d.set < 0 || std::size_t(d.set) >= k.sets.size() ||
                                             !k.sets[std::size_t(d.set)].directory;
                                  }),
                   out.dots.end());
    return out;
}

std::string normalise_email(std::string_view email) { return ascii_lower(trim(email, " \t\r\n")); }

std::string store_country(Store& store, std::string_view store_id) {
    auto id = Id128::from_text(std::string(store_id));
    if (!id) return {};
    auto row = store.load_row(Kind::kStore, *id);
    if (!row || !row.value() || !row.value()->visible()) return {};
    const std::string* c = row.value()->text("country");
    return c ? *c : std::string();
}

std::string_view calling_code(std::string_view country) {
    const Dialling* d = dialling(country);
    return d ? d->code : std::string_view{};
}

std::optional<std::string> normalise_phone(std::string_view phone,
                                           std::string_view default_country) {
    std::string digits = phone_digits(trim(phone, " \t\r\n"));
    if (digits.rfind("00", 0) == 0) digits.replace(0, 2, "+");
    if (digits.empty()) return std::nullopt;
    if (digits[0] != '+') {
        const Dialling* d = dialling(default_country);
        if (!d) return std::nullopt;
        if (!d->trunk.empty() && digits.rfind(d->trunk, 0) == 0) digits.erase(0, d->trunk.size());
        digits.insert(0, d->code);
        digits.insert(0, 1, '+');
    }
    const std::size_t n = digits.size() - 1;
    if (n < kE164MinDigits || n > kE164MaxDigits) return std::nullopt;
    return digits;
}

std::uint32_t contact_digest(std::string_view normalised) {
    Sha256 h;
    h.update(std::string_view("liaison-contact-digest-v1"));
    h.update_u64(normalised.size());
    h.update(normalised);
    const auto d = h.finish();
    static_assert(kContactDigestBits == 16);
    return ((std::uint32_t(d[0]) << 8) | d[1]) + 1;
}

Result<std::vector<Id128>> possible_matches(Store& store, std::string_view text,
                                            std::string_view default_country) {
    std::vector<Id128> out;
    text = trim(text, " \t\r\n");
    std::uint32_t digest = 0;
    bool phone = false;
    if (text.find('@') != std::string_view::npos) {
        digest = contact_digest(normalise_email(text));
    } else if (auto e164 = normalise_phone(text, default_country)) {
        digest = contact_digest(*e164);
        phone = true;
    }
    if (digest == 0) return out;
    auto ids = store.directory_matches(phone, digest);
    if (!ids) return ids.status();
    for (const auto& id : ids.value()) {
        auto row = get_entity(store, Kind::kInfluencer, id);
        if (!row) return row.status();
        if (row.value() && std::find(out.begin(), out.end(), row.value()->id) == out.end())
            out.push_back(row.value()->id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace liaison::core
