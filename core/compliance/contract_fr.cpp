#include "core/compliance/contract_fr.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/model/validate.hpp"

namespace liaison::core::compliance {

const char* contract_state_name(ContractState s) {
    switch (s) {
        case ContractState::kBelow:
            return "below";
        case ContractState::kWarn:
            return "warn";
        case ContractState::kRequired:
            return "required";
    }
    return "unknown";
}

const char* promotion_verdict_name(PromotionVerdict v) {
    switch (v) {
        case PromotionVerdict::kAllowed:
            return "allowed";
        case PromotionVerdict::kRestrictedMet:
            return "restricted_met";
        case PromotionVerdict::kRestrictedNotMet:
            return "restricted_not_met";
        case PromotionVerdict::kProhibited:
            return "prohibited";
    }
    return "unknown";
}

namespace {

constexpr std::int64_t kMaxAmountMinor = INT64_C(1000000000000000);  // 10^15, as the tables
constexpr std::int64_t kMaxSum = INT64_C(1000000000000000000);       // 10^18, below 2^63

bool sums_per(const ContractTable& t, std::string_view dimension) {
    return std::find(t.sum_per.begin(), t.sum_per.end(), dimension) != t.sum_per.end();
}

Status bad_amount(const CollaborationAmount& a, const std::string& why) {
    return Status::invalid("collaboration \"" + a.collaboration.substr(0, 64) + "\": " + why);
}

Status check_amount(const ContractTable& t, const CollaborationAmount& a) {
    if (a.fees_minor < 0 || a.fees_minor > kMaxAmountMinor || a.in_kind_minor < 0 ||
        a.in_kind_minor > kMaxAmountMinor)
        return bad_amount(
            a, "fees and in-kind value must be whole numbers of minor units from 0 to 10^15");
    if (!is_currency(a.currency)) return bad_amount(a, "currency must be an ISO 4217 code (EUR)");
    if (sums_per(t, "year") && (a.year < 1900 || a.year > 2999))
        return bad_amount(a, "year must be from 1900 to 2999");
    for (auto [dimension, value] :
         {std::pair<const char*, const std::string*>{"advertiser", &a.advertiser},
          {"influencer", &a.influencer},
          {"objective", &a.objective}})
        if (sums_per(t, dimension) && value->empty())
            return bad_amount(a, std::string(dimension) + " is empty");
    return Status::ok();
}

}  // namespace

Result<ContractReport> contract_threshold_fr(const RuleSet& rules,
                                             const std::vector<CollaborationAmount>& amounts) {
    const ContractTable& t = rules.contract_fr;
    if (amounts.size() > kMaxCollaborationAmounts)
        return Status(Code::kTooLarge,
                      "at most " + std::to_string(kMaxCollaborationAmounts) + " collaborations");
    ContractReport out{
        t.version, t.threshold_id, t.currency, t.threshold_minor, t.warning_percent, {}, {}};
    using Key = std::tuple<std::string, std::string, int, std::string>;
    std::map<Key, ContractGroup> groups;
    for (const auto& a : amounts) {
        LIAISON_TRY(check_amount(t, a));
        if (a.currency != t.currency) {
            out.unconvertible.push_back(a.collaboration);
            continue;
        }
        ContractGroup g;
        if (sums_per(t, "advertiser")) g.advertiser = a.advertiser;
        if (sums_per(t, "influencer")) g.influencer = a.influencer;
        if (sums_per(t, "year")) g.year = a.year;
        if (sums_per(t, "objective")) g.objective = a.objective;
        auto [it, added] =
            groups.try_emplace(Key{g.advertiser, g.influencer, g.year, g.objective}, g);
        ContractGroup& group = it->second;
        const std::int64_t amount = a.fees_minor + a.in_kind_minor;
        if (group.sum_minor > kMaxSum - amount)
            return bad_amount(a, "the sum of its group is over 10^18 minor units");
        group.sum_minor += amount;
        group.collaborations.push_back(a.collaboration);
        if (!a.contract_signed) group.unsigned_over.push_back(a.collaboration);  // kept if required
    }
    for (auto& [key, g] : groups) {
        // Integer comparison without division: sum / threshold >= percent / 100. It is made
        // only below the threshold (at most 10^15), so sum x 100 cannot overflow.
        if (g.sum_minor >= t.threshold_minor)
            g.state = ContractState::kRequired;
        else if (g.sum_minor * 100 >= t.threshold_minor * t.warning_percent)
            g.state = ContractState::kWarn;
        if (g.state != ContractState::kRequired) g.unsigned_over.clear();
        out.groups.push_back(std::move(g));
    }
    return out;
}

Result<PromotionCheck> check_promotion(const RuleSet& rules, std::string_view market,
                                       std::string_view category,
                                       const std::vector<std::string>& conditions_met) {
    if (!is_country(market))
        return Status(Code::kBadFormat, "market: \"" + std::string(market.substr(0, 16)) +
                                            "\" is not an ISO 3166-1 alpha-2 code (FR)");
    const bool id = !category.empty() && category.size() <= 64 &&
                    std::all_of(category.begin(), category.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                    });
    if (!id)
        return Status(Code::kBadFormat, "category: \"" + std::string(category.substr(0, 32)) +
                                            "\" is not a category id (gambling)");
    const PromotionTable& t = rules.promotions_fr;
    PromotionCheck out;
    out.category = std::string(category);
    out.version = t.version;
    out.market_has_table = t.market == market;
    if (!out.market_has_table) return out;
    for (const auto& c : t.categories) {
        if (c.category != category) continue;
        out.source = c.source;
        out.condition = c.condition;
        if (c.rule == PromotionRule::kProhibited) {
            out.verdict = PromotionVerdict::kProhibited;
        } else {
            const bool met = std::find(conditions_met.begin(), conditions_met.end(), c.condition) !=
                             conditions_met.end();
            out.verdict =
                met ? PromotionVerdict::kRestrictedMet : PromotionVerdict::kRestrictedNotMet;
        }
    }
    return out;
}

}  // namespace liaison::core::compliance
