// The open compliance issues across what a store holds (docs/COMPLIANCE.md, "Compliance
// issues"): the central team's work list, and a regional manager's for her regions. Every
// verdict comes from the rule functions (core/compliance/) over the record; nothing here
// re-states a rule.
//
// Types, in the order a list shows them (kIssueTypes):
//   vetting_due         a collaboration at a gated status (the vetting table's gate) whose
//                       person's vetting is not passed and that carries no override reason: a
//                       move made offline past the gate, which the hub accepted;
//   disclosure_missing  a post of a paid or gifted collaboration, in a market that requires a
//                       mention (the collaboration's markets, else its campaign's), whose
//                       caption lacks it, or that nobody checked and nobody found disclosed;
//   contract_missing    a collaboration of a French written-contract group at or over the
//                       threshold that has no signed contract;
//   contract_warn       a group at the warning level with an unsigned collaboration (one issue
//                       per group, on its unsigned collaboration with the greatest id);
//   mandate_missing     a running collaboration through an agency with no mandate reference,
//                       or whose mandate's dates do not cover today;
//   notice_overdue      a person whose data came from elsewhere (data_source), not yet sent the
//                       article 14 notice, whose notice fell due before today;
//   request_due         a data-subject request still open, due today or earlier;
//   representative_missing  a partner (a person a collaboration not cancelled names), established
//                       outside the EU who targets a market that needs an EU representative
//                       (the gdpr table), with no representative or no insurance recorded;
//   minor               a partner under the age of majority on today's date (her birth_date);
//   promotion_prohibited  a campaign not ended whose product category is one the promotions
//                       table prohibits, and that targets the table's market;
//   promotion_restricted  the same for a category the table restricts, when the campaign's
//                       promotion_condition is not the category's condition.
//   A campaign's issue names no person (`person` is empty): it is about the campaign.
//
// What counts (the choices the rules leave to the record):
//   - a collaboration `cancelled` is in none of the lists; one `completed` or `closed` has no
//     running mandate to check;
//   - the contract sums read each collaboration's fee and in-kind value in EUR, converting
//     other currencies with the exchange rate of its day (fx_rate entries, docs/METRICS.md);
//     one without a rate is not summed. Its year is that of `starts`, else `contract_date`,
//     else its creation; a collaboration without a brand is not summed (no advertiser), one
//     without an objective is summed with the person's others that have none;
//   - a campaign targets a market when its `markets` or the `markets` of one of its
//     collaborations (not cancelled) name it; a campaign with no market anywhere is not judged,
//     as a post without one needs no mention. It has ended when its `ends` is before today.
//     Its category matches a table entry trimmed and without regard to case; one that matches
//     none is no issue;
//   - a person merged into another is reported as the one she was merged into;
//   - an issue's region is its collaboration's (or post's, request's person's) region, else
//     the region of its store.
//
// Order: type (kIssueTypes), then due date (undated last), then the id of what it is about.
//
// Bounds: one scan per kind read (people, stores, collaborations, posts with their
// collaboration, intermediaries, requests, the first contact per person, campaigns with a
// product category), plus one vetting
// read per person with a collaboration at a gated status. At most `limit` issues are returned.
//
// Thread-safety: as the Store.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/compliance/rules.hpp"
#include "core/model/ids.hpp"
#include "core/storage/store.hpp"

namespace liaison::core {

inline constexpr std::string_view kIssueTypes[] = {
    "vetting_due",     "disclosure_missing",   "contract_missing",    "contract_warn",
    "mandate_missing", "notice_overdue",       "request_due",         "representative_missing",
    "minor",           "promotion_prohibited", "promotion_restricted"};
bool is_issue_type(std::string_view type);

struct ComplianceIssue {
    std::string type;             // one of kIssueTypes
    std::optional<Id128> person;  // empty for a campaign's issue (promotion_*)
    std::string person_name;
    // What it is about, where it applies.
    std::optional<Id128> collaboration, content, request, intermediary;
    std::optional<Id128> region, campaign, owner;  // owner: the person's owner (staff)
    std::string campaign_name;                     // a campaign's issue: the campaign's name
    std::string due;                               // YYYY-MM-DD, or "" when none applies
    std::string detail;                            // short English
    std::string rule;                              // the table version, e.g. "vetting/1"
};

inline constexpr std::size_t kDefaultIssues = 200;
inline constexpr std::size_t kMaxIssues = 5000;

struct IssueFilter {
    std::string type;  // "" for every type
    std::optional<Id128> region, campaign, owner;
    std::optional<Id128> person;  // one person's issues (her page)
    // The caller's scope: global, or only issues whose region is one of `regions`.
    bool global = true;
    std::vector<Id128> regions;
    std::size_t limit = kDefaultIssues;  // Requires: 1..kMaxIssues
};

// The open issues on `today` (YYYY-MM-DD) that the filter keeps, in order, at most
// filter.limit. Errors: kInvalidArgument for an unknown type or a limit out of range,
// kBadFormat for today; a storage error as is.
Result<std::vector<ComplianceIssue>> compliance_issues(Store& store, const IssueFilter& filter,
                                                       std::string_view today,
                                                       const compliance::RuleSet& rules);

// A post's caption against the disclosure table in each market its collaboration targets (its
// markets, else its campaign's): what the reviewer's check starts from.
struct CaptionCheck {
    std::vector<std::string> lacking;      // the mention ids the caption lacks, in any market
    std::vector<std::string> required_in;  // the markets where a mention is required
    std::string version;                   // the disclosure table's, "" when no market
};
// Null when the post is not visible or belongs to no collaboration. Errors: a storage error, or
// the rule function's for a market that is no ISO code.
Result<std::optional<CaptionCheck>> post_caption_check(Store& store, const Id128& content,
                                                       const compliance::RuleSet& rules);

// Issues per type, every type named (0 for none).
std::map<std::string, std::size_t> issue_counts(const std::vector<ComplianceIssue>& issues);

}  // namespace liaison::core
