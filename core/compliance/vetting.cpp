#include "core/compliance/vetting.hpp"

#include <algorithm>

#include "core/compliance/calendar.hpp"

namespace liaison::core::compliance {

const char* vetting_state_name(VettingState s) {
    switch (s) {
        case VettingState::kMissing:
            return "missing";
        case VettingState::kPassed:
            return "passed";
        case VettingState::kFailed:
            return "failed";
        case VettingState::kExpired:
            return "expired";
        case VettingState::kIncomplete:
            return "incomplete";
    }
    return "unknown";
}

const char* price_verdict_name(PriceVerdict v) {
    switch (v) {
        case PriceVerdict::kWithin:
            return "within";
        case PriceVerdict::kOver:
            return "over";
        case PriceVerdict::kNoBand:
            return "no_band";
        case PriceVerdict::kOtherCurrency:
            return "other_currency";
    }
    return "unknown";
}

const char* performance_verdict_name(PerformanceVerdict v) {
    switch (v) {
        case PerformanceVerdict::kMeets:
            return "meets";
        case PerformanceVerdict::kBelow:
            return "below";
        case PerformanceVerdict::kNoThreshold:
            return "no_threshold";
    }
    return "unknown";
}

namespace {

// Every record's dates and guideline ids; the derived expiry of each.
Status check_record(const VettingTable& t, const VettingRecord& r, std::size_t index,
                    std::string& expiry) {
    const std::string what = "vetting record " + std::to_string(index + 1);
    LIAISON_TRY(check_date(what + " date", r.date));
    if (r.expiry.empty()) {
        expiry = date_text(add_months(ymd_of(r.date), t.validity_months));
    } else {
        LIAISON_TRY(check_date(what + " expiry", r.expiry));
        if (r.expiry <= r.date)  // YYYY-MM-DD compares as text in date order
            return Status::invalid(what + ": expiry " + r.expiry + " is not after its date " +
                                   r.date);
        expiry = r.expiry;
    }
    for (const auto& result : r.results) {
        const std::string& id =
            result.first;  // not a structured binding: clang 14 cannot capture one
        if (std::none_of(t.guidelines.begin(), t.guidelines.end(),
                         [&](const Guideline& g) { return g.id == id; }))
            return Status(Code::kUnknownValue, what + ": \"" + id.substr(0, 64) +
                                                   "\" is not a guideline of " + t.version);
    }
    return Status::ok();
}

}  // namespace

Result<VettingStatus> vetting_status(const RuleSet& rules,
                                     const std::vector<VettingRecord>& records,
                                     std::string_view today) {
    const VettingTable& t = rules.vetting;
    LIAISON_TRY(check_date("today", today));
    if (records.size() > kMaxVettingRecords)
        return Status(Code::kTooLarge,
                      "at most " + std::to_string(kMaxVettingRecords) + " vetting records");
    VettingStatus out;
    out.version = t.version;
    const VettingRecord* latest = nullptr;
    for (std::size_t i = 0; i < records.size(); ++i) {
        std::string expiry;
        LIAISON_TRY(check_record(t, records[i], i, expiry));
        if (!latest || records[i].date >= latest->date) {
            latest = &records[i];
            out.expiry = std::move(expiry);
        }
    }
    if (!latest) return out;  // kMissing
    out.date = latest->date;
    for (const auto& g : t.guidelines) {
        const auto r = std::find_if(latest->results.rbegin(), latest->results.rend(),
                                    [&](const auto& p) { return p.first == g.id; });
        if (r == latest->results.rend())
            out.unassessed.push_back(g.id);
        else if (r->second == GuidelineResult::kFail)
            out.failed.push_back(g.id);
    }
    if (!out.failed.empty())
        out.state = VettingState::kFailed;
    else if (today >= std::string_view(out.expiry))  // valid through the day before expiry
        out.state = VettingState::kExpired;
    else if (!out.unassessed.empty())
        out.state = VettingState::kIncomplete;
    else
        out.state = VettingState::kPassed;
    return out;
}

Result<MoveDecision> collaboration_move_allowed(const RuleSet& rules, VettingState vetting,
                                                std::string_view target_status,
                                                std::string_view override_reason) {
    if (override_reason.size() > kMaxOverrideReasonBytes)
        return Status(Code::kTooLong, "override reason: at most " +
                                          std::to_string(kMaxOverrideReasonBytes) + " bytes");
    const auto& gated = rules.vetting.gated_statuses;
    MoveDecision out;
    if (vetting == VettingState::kPassed ||
        std::find(gated.begin(), gated.end(), target_status) == gated.end()) {
        out.allowed = true;
        return out;
    }
    const bool has_reason = std::any_of(override_reason.begin(), override_reason.end(),
                                        [](char c) { return c != ' ' && (c < '\t' || c > '\r'); });
    if (has_reason) {
        out.allowed = out.overridden = true;
        out.reason = std::string(override_reason);
    } else {
        out.reason = std::string("vetting is ") + vetting_state_name(vetting) + ": moving to " +
                     std::string(target_status) +
                     " needs a passed vetting or an override with a reason";
    }
    return out;
}

PriceCheck price_band(const RuleSet& rules, std::string_view platform, std::string_view tier,
                      std::int64_t fee_minor, std::string_view currency) {
    PriceCheck out;
    out.version = rules.vetting.version;
    for (const auto& b : rules.vetting.price_bands) {
        if (b.platform != platform || b.tier != tier) continue;
        out.max_fee_minor = b.max_fee_minor;
        out.currency = b.currency;
        out.source = b.source;
        out.verdict = b.currency != currency        ? PriceVerdict::kOtherCurrency
                      : fee_minor > b.max_fee_minor ? PriceVerdict::kOver
                                                    : PriceVerdict::kWithin;
    }
    return out;
}

PerformanceCheck meets_performance(const RuleSet& rules, std::string_view tier,
                                   std::int64_t engagement_bp) {
    PerformanceCheck out;
    out.version = rules.vetting.version;
    for (const auto& p : rules.vetting.performance) {
        if (p.tier != tier) continue;
        out.min_engagement_bp = p.min_engagement_bp;
        out.source = p.source;
        out.verdict = engagement_bp >= p.min_engagement_bp ? PerformanceVerdict::kMeets
                                                           : PerformanceVerdict::kBelow;
    }
    return out;
}

}  // namespace liaison::core::compliance
