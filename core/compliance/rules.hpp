// The compliance rule tables (docs/COMPLIANCE.md): what the law and the brand's defaults ask,
// as data. A rule changes by editing its table under core/compliance/rules/, its test and its
// version, never the code. The functions that apply the tables are in disclosure.hpp,
// contract_fr.hpp, vetting.hpp and gdpr.hpp; they are pure (no storage, no clock: today's
// date is an argument).
//
// A RuleSet is all five tables, parsed and checked together: a malformed table is refused as
// a whole and no RuleSet is made, so no rule is ever half-applied. Every entry carries a source
// id that docs/COMPLIANCE.md expands into a full citation, and every table a version
// ("disclosure/1") that results name, so a verdict can be traced to the text it applied.
//
// Codes (market, country) are ISO 3166-1 alpha-2, currencies ISO 4217, money integer minor
// units, rates basis points (150 = 1.50 %), dates YYYY-MM-DD as the record stores them.
//
// Thread-safety: a RuleSet is an immutable value once made; builtin() is safe to call from any
// thread (a function-local static).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/status.hpp"

namespace liaison::core::compliance {

// ---- disclosure: the mention a post must carry, per market

enum class MentionWhen : std::uint8_t {
    kAlways,
    kImageEdited,     // only when the post's images were edited (filters, retouching)
    kImageGenerated,  // only when they were generated
};
enum class Placement : std::uint8_t {
    kAnywhere,
    kUpFront,  // within DisclosureMarket::up_front_chars and/or on the first line
};

struct Mention {
    std::string id;  // "fr.commercial": the rule id results name
    MentionWhen when = MentionWhen::kAlways;
    std::vector<std::string> types;  // collaboration types it applies to; empty: the market's
    std::vector<std::string> words;  // any one of them satisfies it
    std::string source;
};

struct DisclosureMarket {
    std::string market;  // "FR"
    std::string source;
    std::vector<std::string> types;  // collaboration types that need a disclosure there
    bool accent_tolerant = false;    // "publicite" counts for "publicité"
    Placement placement = Placement::kAnywhere;
    int up_front_chars = 0;            // up front: the mention ends within this many characters
    bool up_front_first_line = false;  // up front: and it starts on the first line
    std::vector<Mention> mentions;
};

struct DisclosureTable {
    std::string version;
    std::vector<DisclosureMarket> markets;
};

// ---- contract_fr: the French written-contract threshold

struct ContractTable {
    std::string version;
    std::string threshold_id;
    std::int64_t threshold_minor = 0;  // reached (>=) means a written contract is required
    std::string currency;              // amounts in it, excluding VAT
    // What one sum covers: a subset of advertiser, influencer, year, objective.
    std::vector<std::string> sum_per;
    std::string threshold_source;
    std::string warning_id;
    int warning_percent = 0;  // warn from this share of the threshold (ours, not the law's)
    std::string warning_source;
};

// ---- promotions_fr: categories prohibited or restricted for influencer promotion

enum class PromotionRule : std::uint8_t { kProhibited, kRestricted };

struct PromotionCategory {
    std::string category;  // "gambling"
    PromotionRule rule = PromotionRule::kProhibited;
    std::string condition;  // restricted: what must hold ("age_gated")
    std::string source;
};

struct PromotionTable {
    std::string version;
    std::string market;  // the market whose law this is
    std::vector<PromotionCategory> categories;
};

// ---- vetting: the brand's guidelines, validity, thresholds and price bands (defaults)

struct Guideline {
    std::string id, en, fr, source;
};
struct PerformanceFloor {
    std::string tier;
    std::int64_t min_engagement_bp = 0;
    std::string source;
};
struct PriceBand {
    std::string platform, tier;
    std::int64_t max_fee_minor = 0;
    std::string currency, source;
};

struct VettingTable {
    std::string version;
    int validity_months = 0;
    std::string validity_source;
    std::vector<std::string> gated_statuses;  // collaboration statuses vetting must allow
    std::string gate_source;
    std::vector<Guideline> guidelines;
    std::vector<PerformanceFloor> performance;
    std::vector<PriceBand> price_bands;
};

// ---- gdpr: request periods, the article 14 notice, bases, retention, representative, majority

struct RequestRule {
    std::string kind;  // access, rectification, erasure, restriction, objection
    int due_months = 0;
    std::string source;
};
struct LawfulBasis {
    std::string basis;
    std::string needs;  // what the record must then hold ("balancing_note"), or ""
    std::string source;
};
struct RetentionRule {
    std::string id, who;
    int months_without_contact = 0;
    std::string source;
};

struct GdprTable {
    std::string version;
    std::vector<RequestRule> requests;
    int notice_months = 0;
    bool notice_or_first_contact = false;
    std::string notice_source;
    std::vector<LawfulBasis> lawful_bases;
    std::vector<RetentionRule> retention;
    std::vector<std::string> representative_markets;  // targeting one of them ...
    std::vector<std::string> exempt_countries;        // ... from outside these needs one
    std::string representative_source;
    int majority_age = 0;
    std::string majority_source;
    // What a marketing contact is, which a restricted person or one who objected may not be
    // given (core/query/compliance.hpp): a contact of one of these touchpoints, or by one of
    // these departments.
    std::vector<std::string> marketing_touchpoints, marketing_departments;
    std::string marketing_source;
};

// ---- all of them

struct RuleSet {
    DisclosureTable disclosure;
    ContractTable contract_fr;
    PromotionTable promotions_fr;
    VettingTable vetting;
    GdprTable gdpr;

    // The tables compiled into the library, parsed once. They are tested (tests/core/
    // compliance_rules_test.cpp): a build whose tables do not parse aborts with the reason.
    static const RuleSet& builtin();
    // The vetting and gdpr tables compiled in, the others empty: what a person's card and a new
    // contact read (core/query/compliance.hpp). The browser's store core calls only this, and
    // so links only those two tables' readers (docs/PERFORMANCE.md, the shell's size).
    static const RuleSet& builtin_people();
    // Each table's JSON text, one per table, in any order. Refused as a whole (kMalformed for
    // JSON syntax, kInvalidArgument, kRequired or kUnknownField for content) with a message
    // naming the table, the entry and the field; a table missing or given twice is refused.
    static Result<RuleSet> parse(const std::vector<std::string_view>& texts);

    // Every table's version, and every source id the entries cite (sorted, unique): what
    // docs/COMPLIANCE.md must explain (tests/core/compliance_docs_test.cpp).
    std::vector<std::string> versions() const;
    std::vector<std::string> source_ids() const;
};

// The embedded texts, for a caller that parses a modified copy (tests, a future admin screen).
std::vector<std::string_view> builtin_table_texts();

// Bounds on what parse accepts.
inline constexpr std::size_t kMaxTableBytes = 256 * 1024;
inline constexpr std::size_t kMaxTableEntries = 500;

}  // namespace liaison::core::compliance
