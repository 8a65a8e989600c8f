#include "core/compliance/disclosure.hpp"

#include <algorithm>

#include "core/compliance/caption.hpp"
#include "core/model/validate.hpp"
#include "core/util/text.hpp"

namespace liaison::core::compliance {

const char* mention_state_name(MentionState s) {
    switch (s) {
        case MentionState::kFound:
            return "found";
        case MentionState::kNotUpFront:
            return "not_up_front";
        case MentionState::kAbsent:
            return "absent";
    }
    return "unknown";
}

const char* disclosure_state_name(DisclosureState s) {
    switch (s) {
        case DisclosureState::kOk:
            return "ok";
        case DisclosureState::kMissing:
            return "missing";
        case DisclosureState::kNotRequired:
            return "not_required";
        case DisclosureState::kNoRule:
            return "no_rule";
    }
    return "unknown";
}

namespace {

bool up_front(const DisclosureMarket& m, const WordMatch& w) {
    if (m.placement == Placement::kAnywhere) return true;
    if (m.up_front_chars > 0 && w.end_char > std::size_t(m.up_front_chars)) return false;
    if (m.up_front_first_line && w.line > 0) return false;
    return true;
}

bool valid_type(std::string_view t) {
    return !t.empty() && t.size() <= 64 && std::all_of(t.begin(), t.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

Result<DisclosureCheck> check_disclosure(const RuleSet& rules, std::string_view market,
                                         std::string_view collaboration_type,
                                         std::string_view caption, bool image_edited,
                                         bool image_generated) {
    if (!is_country(market))
        return Status(Code::kBadFormat, "market: \"" + std::string(market.substr(0, 16)) +
                                            "\" is not an ISO 3166-1 alpha-2 code (FR)");
    if (!valid_type(collaboration_type))
        return Status(Code::kBadFormat, "collaboration type: \"" +
                                            std::string(collaboration_type.substr(0, 32)) +
                                            "\" is not a type (paid, gifted ...)");
    if (caption.size() > kMaxCaptionBytes)
        return Status(Code::kTooLarge,
                      "caption: at most " + std::to_string(kMaxCaptionBytes / 1024) + " KiB");
    DisclosureCheck out;
    out.market = std::string(market);
    out.version = rules.disclosure.version;
    const auto& markets = rules.disclosure.markets;
    auto m = std::find_if(markets.begin(), markets.end(),
                          [&](const DisclosureMarket& dm) { return dm.market == market; });
    if (m == markets.end()) return out;  // kNoRule
    out.source = m->source;
    if (!contains(m->types, collaboration_type)) {
        out.state = DisclosureState::kNotRequired;
        return out;
    }
    const FoldedText text = fold_caption(caption, m->accent_tolerant);
    out.state = DisclosureState::kOk;
    for (const auto& rule : m->mentions) {
        if (!rule.types.empty() && !contains(rule.types, collaboration_type)) continue;
        if ((rule.when == MentionWhen::kImageEdited && !image_edited) ||
            (rule.when == MentionWhen::kImageGenerated && !image_generated))
            continue;
        MentionCheck c{rule.id, rule.words, MentionState::kAbsent, "", rule.source};
        // The earliest occurrence of any word that stands where it must; failing that, the
        // earliest one at all, reported as not up front.
        const WordMatch* best = nullptr;
        std::vector<WordMatch> all;
        for (const auto& word : rule.words) {
            auto found = find_word(text, word, m->accent_tolerant);
            all.insert(all.end(), found.begin(), found.end());
        }
        std::sort(all.begin(), all.end(), [](const WordMatch& a, const WordMatch& b) {
            return a.first_char < b.first_char;
        });
        for (const auto& w : all)
            if (up_front(*m, w)) {
                best = &w;
                break;
            }
        if (best) {
            c.state = MentionState::kFound;
        } else if (!all.empty()) {
            best = &all.front();
            c.state = MentionState::kNotUpFront;
        }
        if (best)
            c.matched =
                std::string(caption.substr(best->byte_from, best->byte_to - best->byte_from));
        if (c.state != MentionState::kFound) out.state = DisclosureState::kMissing;
        out.mentions.push_back(std::move(c));
    }
    return out;
}

}  // namespace liaison::core::compliance
