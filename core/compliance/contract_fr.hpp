// French commercial-influence rules on money and products (docs/COMPLIANCE.md, "contract_fr"
// and "promotions_fr"): the written-contract threshold summed across collaborations, and the
// product categories an influencer may not promote, or only under a condition.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/compliance/rules.hpp"

namespace liaison::core::compliance {

// One collaboration's amounts, as the caller read them from the record.
struct CollaborationAmount {
    std::string collaboration;       // its id, echoed in the results
    std::int64_t fees_minor = 0;     // excluding VAT, minor units of `currency`
    std::int64_t in_kind_minor = 0;  // value of products and benefits in kind, excluding VAT
    std::string currency;
    int year = 0;  // the calendar year the amounts belong to
    std::string advertiser, influencer, objective;
    bool contract_signed = false;
};

enum class ContractState : std::uint8_t {
    kBelow,     // under the warning level
    kWarn,      // at or over the warning level, under the threshold
    kRequired,  // at or over the threshold: a written contract is required
};
const char* contract_state_name(ContractState s);  // "below", "warn", "required"

struct ContractGroup {
    // The group's key; a dimension the table does not sum per is left empty (0 for year).
    std::string advertiser, influencer, objective;
    int year = 0;
    std::int64_t sum_minor = 0;
    ContractState state = ContractState::kBelow;
    std::vector<std::string> collaborations;  // in input order
    std::vector<std::string> unsigned_over;   // required, and no signed contract
};

struct ContractReport {
    std::string version, rule_id, currency;
    std::int64_t threshold_minor = 0;
    int warning_percent = 0;
    std::vector<ContractGroup> groups;       // sorted by key
    std::vector<std::string> unconvertible;  // collaborations in another currency: not summed
};

inline constexpr std::size_t kMaxCollaborationAmounts = 100000;

// Sums fees and in-kind value per the table's key in integer minor units. Amounts in another
// currency are not converted here (the caller converts with its dated rates) and are listed as
// unconvertible. Errors (kInvalidArgument, naming the collaboration): a negative amount or one
// over 10^15, a year outside 1900..2999, an empty advertiser, influencer or objective where
// the table sums per it; kTooLarge over kMaxCollaborationAmounts.
Result<ContractReport> contract_threshold_fr(const RuleSet& rules,
                                             const std::vector<CollaborationAmount>& amounts);

enum class PromotionVerdict : std::uint8_t {
    kAllowed,           // no rule names the category (or the table is not the market's)
    kRestrictedMet,     // restricted, and its condition holds
    kRestrictedNotMet,  // restricted, and its condition does not hold
    kProhibited,
};
const char* promotion_verdict_name(PromotionVerdict v);

struct PromotionCheck {
    PromotionVerdict verdict = PromotionVerdict::kAllowed;
    std::string category, condition, source, version;
    bool market_has_table = false;  // false: the table is another market's, nothing checked
};

// `conditions_met`: the conditions that hold for this promotion ("age_gated" when the
// platform excludes minors, "provider_authorised" for a registered crypto-asset provider).
// Errors: kBadFormat for a market that is no ISO code or a category that is not an id.
Result<PromotionCheck> check_promotion(const RuleSet& rules, std::string_view market,
                                       std::string_view category,
                                       const std::vector<std::string>& conditions_met);

}  // namespace liaison::core::compliance
