// Does a post carry the disclosure its market requires? (docs/COMPLIANCE.md, "disclosure")
//
// The market's table entry says which collaboration types need a disclosure, which mentions
// (any one of their words), when the images-edited and images-generated mentions apply, and
// where a mention must stand (anywhere, or up front). Matching is caption.hpp's.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/compliance/rules.hpp"

namespace liaison::core::compliance {

enum class MentionState : std::uint8_t {
    kFound,       // one of its words, where the market requires it
    kNotUpFront,  // one of its words, but only after the up-front limit
    kAbsent,
};
const char* mention_state_name(MentionState s);  // "found", "not_up_front", "absent"

struct MentionCheck {
    std::string id;  // the rule id, e.g. "fr.commercial"
    std::vector<std::string> words;
    MentionState state = MentionState::kAbsent;
    std::string matched;  // the caption's text that satisfied it (or was not up front)
    std::string source;
};

enum class DisclosureState : std::uint8_t {
    kOk,           // every required mention found
    kMissing,      // at least one required mention absent or not up front
    kNotRequired,  // this collaboration type needs no disclosure in this market
    kNoRule,       // the table has no entry for this market: nothing can be checked
};
const char* disclosure_state_name(DisclosureState s);  // "ok", "missing", "not_required", "no_rule"

struct DisclosureCheck {
    DisclosureState state = DisclosureState::kNoRule;
    std::string market;
    std::string version;                 // the table's, e.g. "disclosure/1"
    std::string source;                  // the market entry's
    std::vector<MentionCheck> mentions;  // the required ones, in table order
};

inline constexpr std::size_t kMaxCaptionBytes = 64 * 1024;

// Errors: kBadFormat for a market that is not an ISO 3166-1 alpha-2 code or a collaboration
// type that is not an id; kTooLarge for a caption over kMaxCaptionBytes. A type the market's
// entry does not list is kNotRequired, a market the table does not list kNoRule.
Result<DisclosureCheck> check_disclosure(const RuleSet& rules, std::string_view market,
                                         std::string_view collaboration_type,
                                         std::string_view caption, bool image_edited,
                                         bool image_generated);

}  // namespace liaison::core::compliance
