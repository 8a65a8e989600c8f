// GDPR periods and checks from the gdpr table (docs/COMPLIANCE.md, "gdpr"): when a data
// subject's request is due, when the article 14 notice is due, whether an influencer needs an
// EU representative, and whether a person is a minor.
//
// Periods in months are calendar months, the same day of the month or the month's last day
// when it has none (calendar.hpp): a request received on 31 January is due on 28 or 29 February.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/compliance/rules.hpp"

namespace liaison::core::compliance {

// The due date (YYYY-MM-DD) of a request of `kind` received on `received`. Errors:
// kUnknownValue for a kind the table does not have, kBadFormat for a date.
Result<std::string> gdpr_due(const RuleSet& rules, std::string_view kind,
                             std::string_view received);

struct NoticeDue {
    std::string due;                // YYYY-MM-DD
    bool at_first_contact = false;  // the first contact came before the period's end
};

// The article 14 notice for data not obtained from the person: due the table's months after
// `collected`, or on `first_contact` ("" when none yet) when that is earlier and the table says
// so. Errors: kBadFormat for a date, kInvalidArgument for a first contact before collection.
Result<NoticeDue> notice_due(const RuleSet& rules, std::string_view collected,
                             std::string_view first_contact);

// Whether an influencer established in `country` who targets `target_markets` needs a legal
// representative (and insurance) in the EU: a target is one of the table's markets and the
// country is not among its exempt countries. Error: kBadFormat for a code that is not ISO 3166-1
// alpha-2.
Result<bool> needs_eu_representative(const RuleSet& rules, std::string_view country,
                                     const std::vector<std::string>& target_markets);

// Whether a person born on `birth` is under the table's age of majority on `today` (full years:
// the birthday counts from its day; one born on 29 February comes of age on 1 March in a
// common year). Errors: kBadFormat for a date, kInvalidArgument for a birth after today.
Result<bool> is_minor(const RuleSet& rules, std::string_view birth, std::string_view today);

}  // namespace liaison::core::compliance
