// What the compliance rules (core/compliance/, docs/COMPLIANCE.md) say of one person, read from
// the records a replica holds: her vetting status from her vetting entries, whether a
// data-subject request restricts her or objects to marketing, and whether a contact may be
// logged with her. Every device reads the same entries (a store holds them as marks, D6 in
// docs/SYNC.md), so every device derives the same answer.
//
// A restriction or an objection is read from the request log, never from the person's
// `status`: no later edit of her record undoes it; only the request's own status (refused,
// withdrawn) does.
//
// Thread-safety: as the Store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/compliance/rules.hpp"
#include "core/compliance/vetting.hpp"
#include "core/storage/store.hpp"

namespace liaison::core {

// Her vetting entries (with those of the duplicates merged into her), as the rules read them:
// the reviewed date, the expiry, and a result for each guideline of the table the entry has a
// field for and a value in. Visible entries only; one without a review date or with an expiry
// not after it is left out.
Result<std::vector<compliance::VettingRecord>> vetting_records(Store& store, const Id128& person,
                                                               const compliance::RuleSet& rules);

// Her vetting status on `today` (YYYY-MM-DD) from those records (compliance::vetting_status).
Result<compliance::VettingStatus> vetting_of(Store& store, const Id128& person,
                                             std::string_view today,
                                             const compliance::RuleSet& rules);

struct PrivacyFlags {
    // A restriction of processing (GDPR art. 18) open or done: frozen, no new marketing contact
    // and no new campaign.
    bool restricted = false;
    // An objection (art. 21) open or done: do not contact for marketing, whatever her status.
    bool objected = false;
    std::size_t open_requests = 0;  // requests of any type still open
};

// From her data-subject requests (hers and her merged duplicates'), visible ones only.
Result<PrivacyFlags> privacy_of(Store& store, const Id128& person);

// Whether a contact of `touchpoint` by `department` is marketing, by the gdpr table's lists.
bool is_marketing_contact(const compliance::RuleSet& rules, std::string_view touchpoint,
                          std::string_view department);

// Whether a new contact of `touchpoint` by `department` may be logged with her now: kForbidden,
// saying why, when she is restricted or objected and the contact is marketing. A contact that
// is not marketing (a visit, a customer-service call) is always allowed.
Status may_log_contact(Store& store, const Id128& person, std::string_view touchpoint,
                       std::string_view department, const compliance::RuleSet& rules);

}  // namespace liaison::core
