// Vetting an influencer against the brand's guidelines, and what it gates (docs/COMPLIANCE.md,
// "vetting"): the status from the latest record, the collaboration move it allows, the price
// band and the minimum performance the table sets as defaults.
//
// Expiry: a record is valid through the day before its expiry date. On the expiry date itself
// it has expired. A record without an expiry expires the table's validity (12 months) after
// its date, counted as calendar months (calendar.hpp).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/compliance/rules.hpp"

namespace liaison::core::compliance {

enum class GuidelineResult : std::uint8_t { kPass, kFail, kNotApplicable };

struct VettingRecord {
    std::string date;    // YYYY-MM-DD, when it was done
    std::string expiry;  // YYYY-MM-DD, or "" for the table's validity
    std::vector<std::pair<std::string, GuidelineResult>> results;  // guideline id -> result
    std::string note;  // evidence or link (the record's; not read here)
};

enum class VettingState : std::uint8_t {
    kMissing,     // no record
    kPassed,      // every guideline pass or not applicable, and not expired
    kFailed,      // a guideline failed (a failure does not expire: a new vetting replaces it)
    kExpired,     // passed, but today is on or after the expiry date
    kIncomplete,  // a guideline of the table has no result (e.g. added by a newer table)
};
const char* vetting_state_name(VettingState s);

struct VettingStatus {
    VettingState state = VettingState::kMissing;
    std::string date;                     // the latest record's
    std::string expiry;                   // its expiry date, given or derived
    std::vector<std::string> failed;      // guideline ids
    std::vector<std::string> unassessed;  // guideline ids without a result
    std::string version;                  // "vetting/1"
};

inline constexpr std::size_t kMaxVettingRecords = 1000;

// The status from the latest record by date (the later one in the list on a tie). Errors:
// kBadFormat for a date that is not YYYY-MM-DD (today's, a record's date or expiry),
// kInvalidArgument for an expiry not after its date, kUnknownValue for a guideline the table
// does not have, kTooLarge over kMaxVettingRecords. Every record is checked, not only the latest.
Result<VettingStatus> vetting_status(const RuleSet& rules,
                                     const std::vector<VettingRecord>& records,
                                     std::string_view today);

struct MoveDecision {
    bool allowed = false;
    bool overridden = false;  // allowed only because a reason was given: record it
    std::string reason;       // why it is blocked, or the override's reason
};

inline constexpr std::size_t kMaxOverrideReasonBytes = 2000;

// May a collaboration move to `target_status` given the influencer's vetting? The table's gated
// statuses (contracted, live) need kPassed; otherwise the move is blocked unless
// `override_reason` has visible text, in which case it is allowed and marked overridden.
// Moves to other statuses are always allowed. Error: kTooLong for a reason over the bound.
Result<MoveDecision> collaboration_move_allowed(const RuleSet& rules, VettingState vetting,
                                                std::string_view target_status,
                                                std::string_view override_reason);

enum class PriceVerdict : std::uint8_t {
    kWithin,         // fee <= the band's maximum
    kOver,           // fee above it: flag it
    kNoBand,         // the table has no band for this platform and tier
    kOtherCurrency,  // the band is in another currency: the caller converts first
};
const char* price_verdict_name(PriceVerdict v);

struct PriceCheck {
    PriceVerdict verdict = PriceVerdict::kNoBand;
    std::int64_t max_fee_minor = 0;
    std::string currency, source, version;
};

PriceCheck price_band(const RuleSet& rules, std::string_view platform, std::string_view tier,
                      std::int64_t fee_minor, std::string_view currency);

enum class PerformanceVerdict : std::uint8_t { kMeets, kBelow, kNoThreshold };
const char* performance_verdict_name(PerformanceVerdict v);

struct PerformanceCheck {
    PerformanceVerdict verdict = PerformanceVerdict::kNoThreshold;
    std::int64_t min_engagement_bp = 0;
    std::string source, version;
};

// `engagement_bp`: the engagement rate in basis points (150 = 1.50 %); meets at or above the floor.
PerformanceCheck meets_performance(const RuleSet& rules, std::string_view tier,
                                   std::int64_t engagement_bp);

}  // namespace liaison::core::compliance
