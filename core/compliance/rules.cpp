// Parsing and checking the rule tables (rules.hpp). Every field is read through Obj, which
// knows where it is ("disclosure: markets[0] (FR): mentions[1]") so that an error names the
// table, the entry and the field. A table is read whole before anything is kept.
#include "core/compliance/rules.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <set>

#include "core/compliance/embedded.hpp"
#include "core/model/validate.hpp"
#include "core/util/json.hpp"

namespace liaison::core::compliance {

namespace {

using Json = rapidjson::Value;

constexpr std::int64_t kMaxMinor = INT64_C(1000000000000000);  // 10^15, as targets.hpp
constexpr std::size_t kMaxTextBytes = 200;
constexpr std::size_t kMaxWordBytes = 64;

// [a-z0-9][a-z0-9._-]*, at most 64 bytes: ids, types, tiers, categories, source ids.
bool is_token(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
    }
    return true;
}

// One JSON object of a table, with its place for messages.
class Obj {
public:
    Obj(const Json& v, std::string where) : v_(v), where_(std::move(where)) {}

    const std::string& where() const { return where_; }
    Status fail(Code code, std::string_view field, const std::string& why) const {
        return Status(code, where_ + ": \"" + std::string(field) + "\" " + why);
    }

    // Members not in `known` are refused: a misspelt field must not be silently ignored.
    Status only(std::initializer_list<std::string_view> known) const {
        for (const auto& m : v_.GetObject()) {
            const std::string_view name(m.name.GetString(), m.name.GetStringLength());
            if (std::find(known.begin(), known.end(), name) == known.end())
                return fail(Code::kUnknownField, name.substr(0, 64),
                            "is not a field of this table");
        }
        return Status::ok();
    }

    const Json* find(const char* name) const {
        auto m = v_.FindMember(name);
        return m == v_.MemberEnd() ? nullptr : &m->value;
    }

    Status text(const char* name, std::string& out, std::size_t max = kMaxTextBytes) const {
        const Json* m = find(name);
        if (!m) return fail(Code::kRequired, name, "is missing");
        if (!m->IsString()) return fail(Code::kInvalidArgument, name, "must be text");
        std::string_view s(m->GetString(), m->GetStringLength());
        if (s.size() > max || !is_valid_utf8(s))
            return fail(Code::kInvalidArgument, name,
                        "must be UTF-8 text of at most " + std::to_string(max) + " bytes");
        out = std::string(s);
        return Status::ok();
    }
    // A token (is_token); `optional`: absent or "" gives "".
    Status token(const char* name, std::string& out, bool optional = false) const {
        if (optional && !find(name)) return Status::ok();
        LIAISON_TRY(text(name, out, 64));
        if (optional && out.empty()) return Status::ok();
        if (!is_token(out))
            return fail(Code::kInvalidArgument, name,
                        "must be an id: lower-case letters, digits, '.', '_' or '-'");
        return Status::ok();
    }
    Status country(const char* name, std::string& out) const {
        LIAISON_TRY(text(name, out, 2));
        if (!is_country(out))
            return fail(Code::kInvalidArgument, name, "must be an ISO 3166-1 alpha-2 code (FR)");
        return Status::ok();
    }
    Status currency(const char* name, std::string& out) const {
        LIAISON_TRY(text(name, out, 3));
        if (!is_currency(out))
            return fail(Code::kInvalidArgument, name, "must be an ISO 4217 code (EUR)");
        return Status::ok();
    }
    Status integer(const char* name, std::int64_t& out, std::int64_t lo, std::int64_t hi) const {
        const Json* m = find(name);
        if (!m) return fail(Code::kRequired, name, "is missing");
        if (!m->IsInt64() || m->GetInt64() < lo || m->GetInt64() > hi)
            return fail(
                Code::kInvalidArgument, name,
                "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
        out = m->GetInt64();
        return Status::ok();
    }
    Status small(const char* name, int& out, int lo, int hi) const {
        std::int64_t v = 0;
        LIAISON_TRY(integer(name, v, lo, hi));
        out = static_cast<int>(v);
        return Status::ok();
    }
    Status boolean(const char* name, bool& out, bool optional = false) const {
        const Json* m = find(name);
        if (!m && optional) return Status::ok();
        if (!m) return fail(Code::kRequired, name, "is missing");
        if (!m->IsBool()) return fail(Code::kInvalidArgument, name, "must be true or false");
        out = m->GetBool();
        return Status::ok();
    }
    // The object member `name`, checked to be an object.
    Status object(const char* name, const Json*& out) const {
        out = find(name);
        if (!out) return fail(Code::kRequired, name, "is missing");
        if (!out->IsObject()) return fail(Code::kInvalidArgument, name, "must be an object");
        return Status::ok();
    }
    // The array member `name`: 1..kMaxTableEntries items (0.. when `may_be_empty`).
    Status array(const char* name, const Json*& out, bool may_be_empty = false) const {
        out = find(name);
        if (!out) return fail(Code::kRequired, name, "is missing");
        if (!out->IsArray() || out->Size() > kMaxTableEntries || (!may_be_empty && out->Empty()))
            return fail(Code::kInvalidArgument, name,
                        std::string("must be a list of ") + (may_be_empty ? "0" : "1") + " to " +
                            std::to_string(kMaxTableEntries) + " items");
        return Status::ok();
    }
    // A list of distinct strings each passing `check` (described by `what`).
    template <typename Check>
    Status strings(const char* name, std::vector<std::string>& out, Check check, const char* what,
                   bool may_be_empty = false) const {
        const Json* a = nullptr;
        LIAISON_TRY(array(name, a, may_be_empty));
        out.clear();
        for (const auto& item : a->GetArray()) {
            std::string s = item.IsString() ? std::string(item.GetString(), item.GetStringLength())
                                            : std::string();
            if (!item.IsString() || !check(s))
                return fail(Code::kInvalidArgument, name, std::string("must list ") + what);
            if (std::find(out.begin(), out.end(), s) != out.end())
                return fail(Code::kInvalidArgument, name, "lists \"" + s + "\" twice");
            out.push_back(std::move(s));
        }
        return Status::ok();
    }
    Status tokens(const char* name, std::vector<std::string>& out,
                  bool may_be_empty = false) const {
        return strings(
            name, out, [](const std::string& s) { return is_token(s); }, "ids", may_be_empty);
    }
    Status countries(const char* name, std::vector<std::string>& out) const {
        return strings(
            name, out, [](const std::string& s) { return is_country(s); },
            "ISO 3166-1 alpha-2 codes");
    }

    // Item i of the array member `name`, as an Obj named "<where>: name[i] (label)", where
    // label is the item's `label_field` when it has one. Refuses an item that is no object.
    Status item(const Json& array, const char* name, rapidjson::SizeType i, const char* label_field,
                std::optional<Obj>& out) const {
        const Json& v = array[i];
        std::string place = where_ + ": " + name + "[" + std::to_string(i) + "]";
        if (!v.IsObject()) return Status::invalid(place + " must be an object");
        if (label_field) {
            auto m = v.FindMember(label_field);
            if (m != v.MemberEnd() && m->value.IsString() && m->value.GetStringLength() <= 64)
                place += " (" + std::string(m->value.GetString(), m->value.GetStringLength()) + ")";
        }
        out.emplace(v, std::move(place));
        return Status::ok();
    }

private:
    const Json& v_;
    std::string where_;
};

// Calls read(Obj&) for every item of the array member `name` of `parent`.
template <typename Read>
Status each(const Obj& parent, const char* name, const char* label_field, Read read,
            bool may_be_empty = false) {
    const Json* a = nullptr;
    LIAISON_TRY(parent.array(name, a, may_be_empty));
    for (rapidjson::SizeType i = 0; i < a->Size(); ++i) {
        std::optional<Obj> o;
        LIAISON_TRY(parent.item(*a, name, i, label_field, o));
        LIAISON_TRY(read(*o));
    }
    return Status::ok();
}

// The object member `name` of `parent` as an Obj named "<where>: name".
Status member(const Obj& parent, const char* name, std::optional<Obj>& out) {
    const Json* v = nullptr;
    LIAISON_TRY(parent.object(name, v));
    out.emplace(*v, parent.where() + ": " + name);
    return Status::ok();
}

// A key seen twice among a table's entries.
Status unique(std::set<std::string>& seen, const Obj& o, const char* field,
              const std::string& key) {
    if (!seen.insert(key).second)
        return o.fail(Code::kInvalidArgument, field, "\"" + key + "\" is given twice");
    return Status::ok();
}

bool subset(const std::vector<std::string>& part, const std::vector<std::string>& whole) {
    return std::all_of(part.begin(), part.end(), [&](const std::string& s) {
        return std::find(whole.begin(), whole.end(), s) != whole.end();
    });
}

// ---- the tables

Status read_disclosure(const Obj& t, DisclosureTable& out) {
    LIAISON_TRY(t.only({"table", "version", "markets"}));
    std::set<std::string> markets, mention_ids;
    return each(t, "markets", "market", [&](const Obj& m) {
        DisclosureMarket dm;
        LIAISON_TRY(m.only({"market", "source", "types", "accent_tolerant", "placement",
                            "up_front_chars", "up_front_first_line", "mentions"}));
        LIAISON_TRY(m.country("market", dm.market));
        LIAISON_TRY(unique(markets, m, "market", dm.market));
        LIAISON_TRY(m.token("source", dm.source));
        LIAISON_TRY(m.tokens("types", dm.types));
        LIAISON_TRY(m.boolean("accent_tolerant", dm.accent_tolerant));
        std::string placement;
        LIAISON_TRY(m.text("placement", placement, 16));
        if (placement == "up_front") {
            dm.placement = Placement::kUpFront;
            LIAISON_TRY(m.small("up_front_chars", dm.up_front_chars, 0, 10000));
            LIAISON_TRY(m.boolean("up_front_first_line", dm.up_front_first_line));
            if (dm.up_front_chars == 0 && !dm.up_front_first_line)
                return m.fail(Code::kInvalidArgument, "placement",
                              "up_front needs up_front_chars > 0 or up_front_first_line");
        } else if (placement == "anywhere") {
            if (m.find("up_front_chars") || m.find("up_front_first_line"))
                return m.fail(Code::kInvalidArgument, "placement",
                              "anywhere takes no up_front_chars or up_front_first_line");
        } else {
            return m.fail(Code::kInvalidArgument, "placement", "must be anywhere or up_front");
        }
        const auto read_mentions = [&](const Obj& e) {
            Mention mention;
            LIAISON_TRY(e.only({"id", "when", "types", "words", "source"}));
            LIAISON_TRY(e.token("id", mention.id));
            LIAISON_TRY(unique(mention_ids, e, "id", mention.id));
            std::string when;
            LIAISON_TRY(e.text("when", when, 32));
            if (when == "always")
                mention.when = MentionWhen::kAlways;
            else if (when == "image_edited")
                mention.when = MentionWhen::kImageEdited;
            else if (when == "image_generated")
                mention.when = MentionWhen::kImageGenerated;
            else
                return e.fail(Code::kInvalidArgument, "when",
                              "must be always, image_edited or image_generated");
            if (e.find("types")) {
                LIAISON_TRY(e.tokens("types", mention.types));
                if (!subset(mention.types, dm.types))
                    return e.fail(Code::kInvalidArgument, "types",
                                  "must be among the market's types");
            }
            LIAISON_TRY(e.strings(
                "words", mention.words,
                [](const std::string& w) {
                    return !w.empty() && w.size() <= kMaxWordBytes && is_valid_utf8(w) &&
                           w.front() != ' ' && w.back() != ' ' && w.front() != '#';
                },
                "words or phrases (1 to 64 bytes, no leading '#' or space)"));
            LIAISON_TRY(e.token("source", mention.source));
            dm.mentions.push_back(std::move(mention));
            return Status::ok();
        };
        LIAISON_TRY(each(m, "mentions", "id", read_mentions));
        // Every type the market lists must be checked by some mention, or a post of that type
        // would pass with nothing asked of it.
        for (const auto& type : dm.types) {
            const bool covered =
                std::any_of(dm.mentions.begin(), dm.mentions.end(), [&](const Mention& e) {
                    return e.when == MentionWhen::kAlways &&
                           (e.types.empty() ||
                            std::find(e.types.begin(), e.types.end(), type) != e.types.end());
                });
            if (!covered)
                return m.fail(Code::kInvalidArgument, "types",
                              "lists \"" + type + "\" but no mention that always applies to it");
        }
        out.markets.push_back(std::move(dm));
        return Status::ok();
    });
}

Status read_contract_fr(const Obj& t, ContractTable& out) {
    LIAISON_TRY(t.only({"table", "version", "threshold", "warning"}));
    std::optional<Obj> th, w;
    LIAISON_TRY(member(t, "threshold", th));
    LIAISON_TRY(th->only({"id", "amount_minor", "currency", "vat", "sum_per", "source"}));
    LIAISON_TRY(th->token("id", out.threshold_id));
    LIAISON_TRY(th->integer("amount_minor", out.threshold_minor, 1, kMaxMinor));
    LIAISON_TRY(th->currency("currency", out.currency));
    std::string vat;
    LIAISON_TRY(th->text("vat", vat, 16));
    // Amounts are compared excluding VAT; a table saying otherwise would need the code to
    // know VAT rates, which it does not.
    if (vat != "excluded") return th->fail(Code::kInvalidArgument, "vat", "must be excluded");
    LIAISON_TRY(th->strings(
        "sum_per", out.sum_per,
        [](const std::string& s) {
            return s == "advertiser" || s == "influencer" || s == "year" || s == "objective";
        },
        "advertiser, influencer, year or objective"));
    LIAISON_TRY(th->token("source", out.threshold_source));
    LIAISON_TRY(member(t, "warning", w));
    LIAISON_TRY(w->only({"id", "percent", "source"}));
    LIAISON_TRY(w->token("id", out.warning_id));
    LIAISON_TRY(w->small("percent", out.warning_percent, 1, 100));
    LIAISON_TRY(w->token("source", out.warning_source));
    return Status::ok();
}

Status read_promotions(const Obj& t, PromotionTable& out) {
    LIAISON_TRY(t.only({"table", "version", "market", "categories"}));
    LIAISON_TRY(t.country("market", out.market));
    std::set<std::string> seen;
    return each(t, "categories", "category", [&](const Obj& c) {
        PromotionCategory pc;
        LIAISON_TRY(c.only({"category", "status", "condition", "source"}));
        LIAISON_TRY(c.token("category", pc.category));
        LIAISON_TRY(unique(seen, c, "category", pc.category));
        std::string status;
        LIAISON_TRY(c.text("status", status, 16));
        if (status == "prohibited") {
            pc.rule = PromotionRule::kProhibited;
            if (c.find("condition"))
                return c.fail(Code::kInvalidArgument, "condition", "is only for restricted");
        } else if (status == "restricted") {
            pc.rule = PromotionRule::kRestricted;
            LIAISON_TRY(c.token("condition", pc.condition));
        } else {
            return c.fail(Code::kInvalidArgument, "status", "must be prohibited or restricted");
        }
        LIAISON_TRY(c.token("source", pc.source));
        out.categories.push_back(std::move(pc));
        return Status::ok();
    });
}

Status read_vetting(const Obj& t, VettingTable& out) {
    LIAISON_TRY(t.only(
        {"table", "version", "validity", "gate", "guidelines", "performance", "price_bands"}));
    std::optional<Obj> v, g;
    LIAISON_TRY(member(t, "validity", v));
    LIAISON_TRY(v->only({"months", "source"}));
    LIAISON_TRY(v->small("months", out.validity_months, 1, 120));
    LIAISON_TRY(v->token("source", out.validity_source));
    LIAISON_TRY(member(t, "gate", g));
    LIAISON_TRY(g->only({"statuses", "source"}));
    LIAISON_TRY(g->tokens("statuses", out.gated_statuses));
    LIAISON_TRY(g->token("source", out.gate_source));
    std::set<std::string> ids, tiers, bands;
    const auto read_guidelines = [&](const Obj& e) {
        Guideline gl;
        LIAISON_TRY(e.only({"id", "en", "fr", "source"}));
        LIAISON_TRY(e.token("id", gl.id));
        LIAISON_TRY(unique(ids, e, "id", gl.id));
        LIAISON_TRY(e.text("en", gl.en));
        LIAISON_TRY(e.text("fr", gl.fr));
        if (gl.en.empty() || gl.fr.empty())
            return e.fail(Code::kRequired, gl.en.empty() ? "en" : "fr", "is empty");
        LIAISON_TRY(e.token("source", gl.source));
        out.guidelines.push_back(std::move(gl));
        return Status::ok();
    };
    LIAISON_TRY(each(t, "guidelines", "id", read_guidelines));
    const auto read_performance = [&](const Obj& e) {
        PerformanceFloor p;
        LIAISON_TRY(e.only({"tier", "min_engagement_bp", "source"}));
        LIAISON_TRY(e.token("tier", p.tier));
        LIAISON_TRY(unique(tiers, e, "tier", p.tier));
        LIAISON_TRY(e.integer("min_engagement_bp", p.min_engagement_bp, 0, 10000));
        LIAISON_TRY(e.token("source", p.source));
        out.performance.push_back(std::move(p));
        return Status::ok();
    };
    LIAISON_TRY(each(t, "performance", "tier", read_performance, true));
    return each(
        t, "price_bands", "platform",
        [&](const Obj& e) {
            PriceBand b;
            LIAISON_TRY(e.only({"platform", "tier", "max_fee_minor", "currency", "source"}));
            LIAISON_TRY(e.token("platform", b.platform));
            LIAISON_TRY(e.token("tier", b.tier));
            LIAISON_TRY(unique(bands, e, "tier", b.platform + " × " + b.tier));
            LIAISON_TRY(e.integer("max_fee_minor", b.max_fee_minor, 0, kMaxMinor));
            LIAISON_TRY(e.currency("currency", b.currency));
            LIAISON_TRY(e.token("source", b.source));
            out.price_bands.push_back(std::move(b));
            return Status::ok();
        },
        true);
}

Status read_gdpr(const Obj& t, GdprTable& out) {
    LIAISON_TRY(t.only({"table", "version", "requests", "notice", "lawful_bases", "retention",
                        "eu_representative", "majority", "marketing"}));
    std::set<std::string> kinds, bases, retention_ids;
    const auto read_requests = [&](const Obj& e) {
        RequestRule r;
        LIAISON_TRY(e.only({"kind", "due_months", "source"}));
        LIAISON_TRY(e.token("kind", r.kind));
        LIAISON_TRY(unique(kinds, e, "kind", r.kind));
        LIAISON_TRY(e.small("due_months", r.due_months, 1, 12));
        LIAISON_TRY(e.token("source", r.source));
        out.requests.push_back(std::move(r));
        return Status::ok();
    };
    LIAISON_TRY(each(t, "requests", "kind", read_requests));
    std::optional<Obj> n, rep, maj;
    LIAISON_TRY(member(t, "notice", n));
    LIAISON_TRY(n->only({"months", "or_first_contact", "source"}));
    LIAISON_TRY(n->small("months", out.notice_months, 1, 12));
    LIAISON_TRY(n->boolean("or_first_contact", out.notice_or_first_contact));
    LIAISON_TRY(n->token("source", out.notice_source));
    const auto read_lawful_bases = [&](const Obj& e) {
        LawfulBasis b;
        LIAISON_TRY(e.only({"basis", "needs", "source"}));
        LIAISON_TRY(e.token("basis", b.basis));
        LIAISON_TRY(unique(bases, e, "basis", b.basis));
        LIAISON_TRY(e.token("needs", b.needs, true));
        LIAISON_TRY(e.token("source", b.source));
        out.lawful_bases.push_back(std::move(b));
        return Status::ok();
    };
    LIAISON_TRY(each(t, "lawful_bases", "basis", read_lawful_bases));
    const auto read_retention = [&](const Obj& e) {
        RetentionRule r;
        LIAISON_TRY(e.only({"id", "who", "months_without_contact", "source"}));
        LIAISON_TRY(e.token("id", r.id));
        LIAISON_TRY(unique(retention_ids, e, "id", r.id));
        LIAISON_TRY(e.token("who", r.who));
        LIAISON_TRY(e.small("months_without_contact", r.months_without_contact, 1, 1200));
        LIAISON_TRY(e.token("source", r.source));
        out.retention.push_back(std::move(r));
        return Status::ok();
    };
    LIAISON_TRY(each(t, "retention", "id", read_retention, true));
    LIAISON_TRY(member(t, "eu_representative", rep));
    LIAISON_TRY(rep->only({"target_markets", "exempt_countries", "source"}));
    LIAISON_TRY(rep->countries("target_markets", out.representative_markets));
    LIAISON_TRY(rep->countries("exempt_countries", out.exempt_countries));
    LIAISON_TRY(rep->token("source", out.representative_source));
    LIAISON_TRY(member(t, "majority", maj));
    LIAISON_TRY(maj->only({"age", "source"}));
    LIAISON_TRY(maj->small("age", out.majority_age, 1, 30));
    LIAISON_TRY(maj->token("source", out.majority_source));
    std::optional<Obj> mk;
    LIAISON_TRY(member(t, "marketing", mk));
    LIAISON_TRY(mk->only({"touchpoints", "departments", "source"}));
    LIAISON_TRY(mk->tokens("touchpoints", out.marketing_touchpoints));
    LIAISON_TRY(mk->tokens("departments", out.marketing_departments));
    LIAISON_TRY(mk->token("source", out.marketing_source));
    return Status::ok();
}

constexpr const char* kTables[] = {"disclosure", "contract_fr", "promotions_fr", "vetting", "gdpr"};

// One text: its JSON, its name and version checked, then `read(name, version, table)` reads
// the table into the rules. A template, so that a caller reading only some tables links only
// their readers (RuleSet::builtin_people, in the browser's store core).
template <class Read>
Status read_table(std::string_view text, std::size_t index, std::set<std::string>& seen,
                  const Read& read) {
    const std::string place = "table text " + std::to_string(index + 1);
    if (text.size() > kMaxTableBytes)
        return Status(Code::kTooLarge,
                      place + ": over " + std::to_string(kMaxTableBytes / 1024) + " KiB");
    LIAISON_TRY(check_json_depth(text));  // rapidjson recurses once per level
    // UTF-8 checked apart, so that the parse is the one instantiation of rapidjson's reader the
    // rest of the core and the façade use (the browser's core is size-bound: docs/PERFORMANCE.md).
    if (!is_valid_utf8(text)) return Status::malformed(place + ": not UTF-8");
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError())
        return Status::malformed(place + ": not JSON (at byte " +
                                 std::to_string(doc.GetErrorOffset()) + ")");
    if (!doc.IsObject()) return Status::malformed(place + ": not a JSON object");
    std::string name, version;
    const Obj head(doc, place);
    LIAISON_TRY(head.text("table", name, 32));
    if (std::find(std::begin(kTables), std::end(kTables), name) == std::end(kTables))
        return head.fail(Code::kUnknownValue, "table",
                         "\"" + name +
                             "\" is not one of disclosure, contract_fr, promotions_fr, "
                             "vetting, gdpr");
    if (!seen.insert(name).second) return Status::invalid(name + ": the table is given twice");
    const Obj t(doc, name);
    LIAISON_TRY(t.text("version", version, 48));
    // "<table>/<n>", n a positive whole number without leading zeros.
    const std::string prefix = name + "/";
    const std::string_view n =
        std::string_view(version).substr(std::min(version.size(), prefix.size()));
    const bool numbered =
        !n.empty() && n.size() <= 6 && n.front() != '0' &&
        std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (version.compare(0, prefix.size(), prefix) != 0 || !numbered)
        return t.fail(Code::kInvalidArgument, "version", "must be \"" + prefix + "<n>\", n >= 1");
    return read(name, version, t);
}

// Every table into `rules`.
Status read_any(const std::string& name, const std::string& version, const Obj& t, RuleSet& rules) {
    if (name == "disclosure") {
        rules.disclosure.version = version;
        return read_disclosure(t, rules.disclosure);
    }
    if (name == "contract_fr") {
        rules.contract_fr.version = version;
        return read_contract_fr(t, rules.contract_fr);
    }
    if (name == "promotions_fr") {
        rules.promotions_fr.version = version;
        return read_promotions(t, rules.promotions_fr);
    }
    if (name == "vetting") {
        rules.vetting.version = version;
        return read_vetting(t, rules.vetting);
    }
    rules.gdpr.version = version;
    return read_gdpr(t, rules.gdpr);
}

}  // namespace

Result<RuleSet> RuleSet::parse(const std::vector<std::string_view>& texts) {
    RuleSet rules;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < texts.size(); ++i)
        LIAISON_TRY(
            read_table(texts[i], i, seen, [&](const auto& name, const auto& version, const Obj& t) {
                return read_any(name, version, t, rules);
            }));
    for (const char* name : kTables)
        if (!seen.count(name))
            return Status(Code::kRequired, std::string(name) + ": the table is missing");
    return rules;
}

std::vector<std::string_view> builtin_table_texts() {
    std::vector<std::string_view> out;
    for (const auto& t : embedded_tables()) out.push_back(t.text);
    return out;
}

const RuleSet& RuleSet::builtin() {
    static const RuleSet rules = [] {
        auto parsed = parse(builtin_table_texts());
        if (!parsed) {
            // A programmer error the tests catch: the tables compiled in do not parse.
            std::fprintf(stderr, "liaison: built-in compliance rules: %s\n",
                         parsed.status().to_string().c_str());
            std::abort();
        }
        return std::move(parsed).value();
    }();
    return rules;
}

const RuleSet& RuleSet::builtin_people() {
    static const RuleSet rules = [] {
        RuleSet out;
        std::set<std::string> seen;
        const auto texts = builtin_table_texts();
        for (std::size_t i = 0; i < texts.size(); ++i) {
            Status s =
                read_table(texts[i], i, seen,
                           [&](const std::string& name, const std::string& version, const Obj& t) {
                               if (name == "vetting") {
                                   out.vetting.version = version;
                                   return read_vetting(t, out.vetting);
                               }
                               if (name != "gdpr") return Status::ok();
                               out.gdpr.version = version;
                               return read_gdpr(t, out.gdpr);
                           });
            if (!s) {
                std::fprintf(stderr, "liaison: built-in compliance rules: %s\n",
                             s.to_string().c_str());
                std::abort();
            }
        }
        return out;
    }();
    return rules;
}

std::vector<std::string> RuleSet::versions() const {
    return {disclosure.version, contract_fr.version, promotions_fr.version, vetting.version,
            gdpr.version};
}

std::vector<std::string> RuleSet::source_ids() const {
    std::set<std::string> ids;
    for (const auto& m : disclosure.markets) {
        ids.insert(m.source);
        for (const auto& e : m.mentions) ids.insert(e.source);
    }
    ids.insert(contract_fr.threshold_source);
    ids.insert(contract_fr.warning_source);
    for (const auto& c : promotions_fr.categories) ids.insert(c.source);
    ids.insert(vetting.validity_source);
    ids.insert(vetting.gate_source);
    for (const auto& g : vetting.guidelines) ids.insert(g.source);
    for (const auto& p : vetting.performance) ids.insert(p.source);
    for (const auto& b : vetting.price_bands) ids.insert(b.source);
    for (const auto& r : gdpr.requests) ids.insert(r.source);
    ids.insert(gdpr.notice_source);
    for (const auto& b : gdpr.lawful_bases) ids.insert(b.source);
    for (const auto& r : gdpr.retention) ids.insert(r.source);
    ids.insert(gdpr.representative_source);
    ids.insert(gdpr.majority_source);
    ids.insert(gdpr.marketing_source);
    return {ids.begin(), ids.end()};
}

}  // namespace liaison::core::compliance
