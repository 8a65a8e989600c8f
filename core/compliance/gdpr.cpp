#include "core/compliance/gdpr.hpp"

#include <algorithm>

#include "core/compliance/calendar.hpp"
#include "core/model/validate.hpp"

namespace liaison::core::compliance {

Result<std::string> gdpr_due(const RuleSet& rules, std::string_view kind,
                             std::string_view received) {
    LIAISON_TRY(check_date("received", received));
    for (const auto& r : rules.gdpr.requests)
        if (r.kind == kind) return date_text(add_months(ymd_of(received), r.due_months));
    return Status(Code::kUnknownValue, "request kind \"" + std::string(kind.substr(0, 32)) +
                                           "\" is not one of " + rules.gdpr.version + "'s");
}

Result<NoticeDue> notice_due(const RuleSet& rules, std::string_view collected,
                             std::string_view first_contact) {
    LIAISON_TRY(check_date("collected", collected));
    NoticeDue out{date_text(add_months(ymd_of(collected), rules.gdpr.notice_months)), false};
    if (first_contact.empty()) return out;
    LIAISON_TRY(check_date("first contact", first_contact));
    if (first_contact < collected)
        return Status::invalid("first contact " + std::string(first_contact) +
                               " is before the data was collected (" + std::string(collected) +
                               ")");
    if (rules.gdpr.notice_or_first_contact && first_contact < std::string_view(out.due)) {
        out.due = std::string(first_contact);
        out.at_first_contact = true;
    }
    return out;
}

Result<bool> needs_eu_representative(const RuleSet& rules, std::string_view country,
                                     const std::vector<std::string>& target_markets) {
    auto bad = [](std::string_view what, std::string_view code) {
        return Status(Code::kBadFormat, std::string(what) + ": \"" +
                                            std::string(code.substr(0, 16)) +
                                            "\" is not an ISO 3166-1 alpha-2 code (FR)");
    };
    if (!is_country(country)) return bad("country", country);
    bool targets = false;
    for (const auto& m : target_markets) {
        if (!is_country(m)) return bad("target market", m);
        const auto& listed = rules.gdpr.representative_markets;
        targets = targets || std::find(listed.begin(), listed.end(), m) != listed.end();
    }
    const auto& exempt = rules.gdpr.exempt_countries;
    return targets && std::find(exempt.begin(), exempt.end(), country) == exempt.end();
}

Result<bool> is_minor(const RuleSet& rules, std::string_view birth, std::string_view today) {
    LIAISON_TRY(check_date("birth", birth));
    LIAISON_TRY(check_date("today", today));
    if (birth > today)
        return Status::invalid("birth " + std::string(birth) + " is after today (" +
                               std::string(today) + ")");
    const Ymd b = ymd_of(birth), t = ymd_of(today);
    int age = t.year - b.year;
    if (t.month < b.month || (t.month == b.month && t.day < b.day)) --age;
    return age < rules.gdpr.majority_age;
}

}  // namespace liaison::core::compliance
