// Schema evolution (docs/SYNC.md "Schema evolution"): the record model is append-only. Kinds
// travel as an index, a snapshot's fields and sets are positional, and enum values are stored
// as text that apps offer in lists, so removing, renaming, reordering or retyping any of them
// would make devices in the field misread the server, or the server an outbox written by the
// previous app. The golden listings `tests/fixtures/schema-v<N>.txt` pin every released
// schema; each is added, never edited (tests/fixtures/README.md).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/model/schema.hpp"

namespace liaison::core::test_core_schema_evolution {
namespace {

const char* type_name(FieldType t) {
    switch (t) {
        case FieldType::kText:
            return "text";
        case FieldType::kLongText:
            return "long_text";
        case FieldType::kEmail:
            return "email";
        case FieldType::kPhone:
            return "phone";
        case FieldType::kUrl:
            return "url";
        case FieldType::kCountry:
            return "country";
        case FieldType::kDate:
            return "date";
        case FieldType::kTime:
            return "time";
        case FieldType::kInt:
            return "int";
        case FieldType::kBool:
            return "bool";
        case FieldType::kEnum:
            return "enum";
        case FieldType::kRef:
            return "ref";
        case FieldType::kCode:
            return "code";
        case FieldType::kCurrency:
            return "currency";
        case FieldType::kTargets:
            return "targets";
    }
    return "?";
}

const char* elem_name(ElemType t) {
    switch (t) {
        case ElemType::kTag:
            return "tag";
        case ElemType::kEnum:
            return "enum";
        case ElemType::kHandle:
            return "handle";
        case ElemType::kRef:
            return "ref";
        case ElemType::kLanguage:
            return "language";
        case ElemType::kCountry:
            return "country";
        case ElemType::kDatedItem:
            return "dated-item";
    }
    return "?";
}

// One line per kind, field, set and enum value, as "<key>: <definition>". The key names the
// position ("field influencer 4"), the definition what is there ("tier enum"): what travels
// or is stored by position or by text. Validation bounds (lengths, required, min/max) are not
// pinned: they may change without misreading anything already written.
std::vector<std::string> schema_listing() {
    std::vector<std::string> out;
    auto values = [&](const std::string& owner, const std::vector<std::string>& choices) {
        for (std::size_t i = 0; i < choices.size(); ++i)
            out.push_back("value " + owner + " " + std::to_string(i) + ": " + choices[i]);
    };
    for (const auto& k : all_kinds()) {
        out.push_back("kind " + std::to_string(int(k.kind)) + ": " + k.name + " " +
                      (k.cls == KindClass::kLog ? "log" : "profile"));
        for (std::size_t i = 0; i < k.fields.size(); ++i) {
            const auto& f = k.fields[i];
            std::string def = f.name + " " + type_name(f.type);
            if (f.type == FieldType::kRef) def += std::string(" ") + kind_name(f.ref_kind);
            if (f.subject) def += " subject";
            out.push_back("field " + k.name + " " + std::to_string(i) + ": " + def);
            if (f.type == FieldType::kEnum) values(k.name + "." + f.name, f.choices);
        }
        for (std::size_t i = 0; i < k.sets.size(); ++i) {
            const auto& s = k.sets[i];
            std::string def = s.name + " " + elem_name(s.elem);
            if (s.elem == ElemType::kRef) def += std::string(" ") + kind_name(s.ref_kind);
            out.push_back("set " + k.name + " " + std::to_string(i) + ": " + def);
            if (s.elem == ElemType::kEnum) values(k.name + "." + s.name, s.choices);
        }
        // Schema 9: what the anonymise rule keeps (docs/SYNC.md R12) — a merge rule, so an
        // app that keeps another list would disagree with the hub.
        for (const auto& f : k.fields)
            if (f.kept) out.push_back("kept " + k.name + "." + f.name + ": field");
        for (const auto& s : k.sets)
            if (s.kept) out.push_back("kept " + k.name + "." + s.name + ": set");
    }
    // Handles name their platform as text ("instagram:…"), from this list.
    values("handle.platform", platforms());
    return out;
}

std::string fixture_path(int version) {
    return std::string(LIAISON_FIXTURES_DIR) + "/schema-v" + std::to_string(version) + ".txt";
}

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream f(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(f, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

std::string key_of(const std::string& line) { return line.substr(0, line.find(':')); }

// What an older listing has that `now` lacks, one sentence per line: the entries that were
// removed, renamed, reordered or retyped. Empty when `now` only appends to `old`.
std::vector<std::string> breaks(const std::vector<std::string>& old,
                                const std::vector<std::string>& now) {
    std::map<std::string, std::string> by_key;
    for (const auto& line : now) by_key[key_of(line)] = line;
    std::vector<std::string> out;
    for (const auto& line : old) {
        auto it = by_key.find(key_of(line));
        if (it == by_key.end())
            out.push_back("removed: '" + line + "' is no longer in the schema");
        else if (it->second != line)
            out.push_back("renamed, reordered or retyped: '" + line + "' is now '" + it->second +
                          "'");
    }
    return out;
}

// Adds the newest listing when asked (never overwrites: fixtures are added, not edited).
void add_fixture_if_asked(int version, const std::vector<std::string>& lines) {
    if (!std::getenv("LIAISON_WRITE_FIXTURES") || std::ifstream(fixture_path(version)).good())
        return;
    std::ofstream f(fixture_path(version));
    for (const auto& line : lines) f << line << '\n';
}

}  // namespace

TEST_CASE("the record model only appends: every released schema is a prefix of the current one",
          "[core][schema][golden]") {
    const auto now = schema_listing();
    add_fixture_if_asked(kSchemaVersion, now);
    int checked = 0;
    for (int v = 1; v <= kSchemaVersion; ++v) {
        INFO("tests/fixtures/schema-v" << v << ".txt");
        const auto old = read_lines(fixture_path(v));
        if (old.empty())
            FAIL("missing fixture " << fixture_path(v) << " (LIAISON_WRITE_FIXTURES=1 adds it)");
        std::ostringstream msg;
        for (const auto& b : breaks(old, now)) msg << "\n  " << b;
        INFO("kinds, fields, sets and enum values may only be appended; an app of schema "
             << v << " would misread:" << msg.str());
        CHECK(msg.str().empty());
        ++checked;
    }
    CHECK(checked == kSchemaVersion);
}

TEST_CASE("a schema that grew has a raised kSchemaVersion and a fixture of its own",
          "[core][schema][golden]") {
    const auto now = schema_listing();
    CHECK_FALSE(
        std::ifstream(fixture_path(kSchemaVersion + 1)).good());  // no fixture ahead of the code
    const auto newest = read_lines(fixture_path(kSchemaVersion));
    REQUIRE_FALSE(newest.empty());
    std::ostringstream added;
    for (const auto& line : now)
        if (std::find(newest.begin(), newest.end(), line) == newest.end()) added << "\n  " << line;
    INFO("the schema differs from tests/fixtures/schema-v"
         << kSchemaVersion << ".txt: raise core::kSchemaVersion to " << kSchemaVersion + 1
         << " and add tests/fixtures/schema-v" << kSchemaVersion + 1
         << ".txt (LIAISON_WRITE_FIXTURES=1), with a store migration for new fields. New:"
         << added.str());
    const bool unchanged = now == newest;  // not CHECK(now == newest): it would print both listings
    CHECK(unchanged);
}

TEST_CASE("a field appended to a released kind is optional: older apps create records without it",
          "[core][schema]") {
    for (int v = 1; v <= kSchemaVersion; ++v) {
        std::set<std::string> released;
        for (const auto& line : read_lines(fixture_path(v))) released.insert(key_of(line));
        REQUIRE_FALSE(released.empty());
        for (const auto& k : all_kinds()) {
            if (!released.count("kind " + std::to_string(int(k.kind)))) continue;  // a newer kind
            for (std::size_t i = 0; i < k.fields.size(); ++i) {
                if (released.count("field " + k.name + " " + std::to_string(i))) continue;
                INFO(k.name << "." << k.fields[i].name << " was appended after schema " << v);
                CHECK_FALSE(k.fields[i].required);
            }
        }
    }
}

TEST_CASE("the append-only check names what was removed, renamed, reordered or retyped",
          "[core][schema]") {
    const std::vector<std::string> old = {
        "kind 0: influencer profile", "field influencer 0: name text",
        "value influencer.tier 0: top", "value influencer.tier 1: expert",
        "set influencer 0: tags tag"};
    CHECK(breaks(old, old).empty());
    auto appended = old;
    appended.push_back("value influencer.tier 2: new");
    appended.push_back("field influencer 1: nickname text");
    CHECK(breaks(old, appended).empty());
    const std::vector<std::string> swapped = {
        "kind 0: influencer profile", "field influencer 0: name long_text",
        "value influencer.tier 0: expert", "value influencer.tier 1: top"};
    CHECK(breaks(old, swapped) ==
          std::vector<std::string>{
              "renamed, reordered or retyped: 'field influencer 0: name text' is now 'field "
              "influencer 0: name long_text'",
              "renamed, reordered or retyped: 'value influencer.tier 0: top' is now 'value "
              "influencer.tier 0: expert'",
              "renamed, reordered or retyped: 'value influencer.tier 1: expert' is now 'value "
              "influencer.tier 1: top'",
              "removed: 'set influencer 0: tags tag' is no longer in the schema"});
}

}  // namespace liaison::core::test_core_schema_evolution
