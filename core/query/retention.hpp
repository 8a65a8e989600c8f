// Who is due for erasure under the gdpr table's retention rules (docs/COMPLIANCE.md,
// "Retention"): the dry run's report, and the re-check of one person at the moment an approved
// run erases her. Every period comes from the rule table; nothing here states a number of
// months.
//
// A rule ({id, who, months_without_contact}) makes a person due on `today` when:
//   1. she is a `who` and nothing else: `who` is a value of the influencer's `tier` or of her
//      `roles` set (core/model/schema.cpp), she holds it in one of them, and she holds no other
//      tier and no other role. "prospect" thus means a person whose tier is prospect or whose
//      roles include prospect, who is not also a customer, a top-tier creator, a journalist …:
//      erasure cannot be undone, so a person the record places anywhere else is left alone;
//   2. her last contact, or her record's creation day when she was never contacted, is at
//      least `months_without_contact` calendar months before today (compliance::add_months:
//      due on the same day of the month, or the month's last day; not the day before).
// What counts as a contact (kContactKinds): an interaction and a check-in (`at`), an
// invitation to an event (`at`), a post she published (`published_at`), a collaboration (its
// creation day, `starts` and `ends`). Only visible entries count (created, not deleted), over
// her merged duplicates too (R6), each on its UTC day. A click on her tracked link is a
// reader's, not a contact with her, and does not count.
//
// A person who would be due is listed apart, not due:
//   held     she is on legal hold (`legal_hold`, written by the central team only);
//   skipped  with a reason: `open_gdpr_request` (a data-subject request still open: it is
//            answered first, by its own path) or `open_collaboration` (a collaboration neither
//            closed nor cancelled: docs/PROGRAMMES.md, a relationship under way).
// A person is judged once, under the first rule of the table (in its order) that matches her
// and whose period has passed. A person merged into another is judged as the one she was
// merged into (the root of her component).
//
// Order: by `due_since` (the day she became due, oldest first), then id. Each list holds at
// most `limit` people; `truncated` says more were due (they are listed by the next run).
//
// Bounds: one scan of the people and one grouped scan per contact kind, requests and
// collaborations; retention_verdict reads only the person's component.
//
// Thread-safety: as the Store.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/compliance/rules.hpp"
#include "core/model/ids.hpp"
#include "core/storage/store.hpp"

namespace liaison::core {

inline constexpr std::string_view kContactKinds[] = {"interaction", "checkin", "invitation",
                                                     "content", "collaboration"};

// The most people one report lists per list (due, held, skipped).
inline constexpr std::size_t kMaxRetentionPeople = 1000;

struct RetentionCandidate {
    Id128 person;
    std::string name;
    std::string rule;               // the retention rule's id ("prospect_no_contact")
    std::string last_contact;       // YYYY-MM-DD, or "" when never contacted
    std::string last_contact_kind;  // one of kContactKinds, or ""
    std::string created;            // YYYY-MM-DD, her record's creation day
    std::string due_since;          // YYYY-MM-DD: the day the rule's period ended
    // held: "legal_hold"; skipped: "open_gdpr_request" or "open_collaboration"; due: "".
    std::string reason;
};

struct RetentionReport {
    std::string today;
    std::string rules;  // the gdpr table's version ("gdpr/1")
    std::vector<RetentionCandidate> due, held, skipped;
    bool truncated = false;  // a list was cut at the limit
};

// The people due on `today` (YYYY-MM-DD) under `rules`' retention entries, and those held or
// skipped. Errors: kBadFormat for today; kInvalidArgument for a rule whose `who` is neither a
// tier nor a role, or a limit of 0 or over kMaxRetentionPeople; a storage error as is.
Result<RetentionReport> due_for_retention(Store& store, const compliance::RuleSet& rules,
                                          std::string_view today,
                                          std::size_t limit = kMaxRetentionPeople);

enum class RetentionState { kDue, kHeld, kSkipped, kNotDue };

struct RetentionVerdict {
    RetentionState state = RetentionState::kNotDue;
    RetentionCandidate candidate;  // filled unless kNotDue
};

// What the rules say of one person (of her component) on `today`: the check an approved run
// makes at the moment it erases her, so a hold set, a contact logged or a request opened after
// the dry run wins. A person not visible (never created, erased) is kNotDue. Errors as
// due_for_retention.
Result<RetentionVerdict> retention_verdict(Store& store, const compliance::RuleSet& rules,
                                           std::string_view today, const Id128& person);

}  // namespace liaison::core
