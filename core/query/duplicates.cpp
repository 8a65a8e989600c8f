#include "core/query/duplicates.hpp"

#include <algorithm>
#include <map>

#include "core/model/validate.hpp"
#include "core/query/directory.hpp"
#include "core/query/queries.hpp"
#include "core/query/text_match.hpp"

namespace liaison::core {
namespace {

using Step = Statement::Step;

// Candidates found per reason before checking (a common first name must not flood the check).
constexpr std::size_t kCandidatesPerReason = 200;

// Influencer ids matching every term (core/query/text_match.hpp).
Result<std::vector<Id128>> candidates(Store& store, const std::vector<TextTerm>& terms) {
    auto matches = match_influencers(store, terms, kCandidatesPerReason, false);
    if (!matches) return matches.status();
    std::vector<Id128> out;
    for (const auto& m : matches.value()) out.push_back(m.id);
    return out;
}

std::string digits_only(std::string_view s) {
    std::string d;
    for (char c : s)
        if (c >= '0' && c <= '9') d += c;
    return d;
}
std::string tail(const std::string& digits) {
    return digits.size() > kPhoneTailDigits ? digits.substr(digits.size() - kPhoneTailDigits)
                                            : digits;
}

enum Reason { kHandle = 0, kEmail, kPhone, kName, kPossibleEmail, kPossiblePhone, kReasonCount };
const char* const kReasonNames[kReasonCount] = {"handle", "email",          "phone",
                                                "name",   "possible_email", "possible_phone"};

}  // namespace

Result<std::vector<DuplicateHit>> find_duplicates(Store& store, const DuplicateQuery& q,
                                                  std::size_t limit) {
    const KindDef& k = kind_def(Kind::kInfluencer);
    const int handles_set = k.set_index("handles");
    // root id -> reasons found (bitmask), with the row for the name.
    std::map<Id128, unsigned> found;
    std::map<Id128, RowState> rows;

    // Checks each candidate with `matches` (on the visible row of the record it belongs to).
    auto consider = [&](const std::vector<TextTerm>& terms, Reason reason,
                        auto&& matches) -> Status {
        auto ids = candidates(store, terms);
        if (!ids) return ids.status();
        for (const auto& id : ids.value()) {
            auto row = get_entity(store, Kind::kInfluencer, id);
            if (!row) return row.status();
            if (!row.value()) continue;
            auto ok = matches(*row.value());
            if (!ok) return ok.status();
            if (!ok.value()) continue;
            found[row.value()->id] |= 1u << reason;
            rows.emplace(row.value()->id, *row.value());
        }
        return Status::ok();
    };

    for (const auto& text : q.handles) {
        Handle h;
        // "Instagram:@Name" -> "instagram:Name:0", as the set stores it.
        std::string normal = normalize_elem(k.sets[std::size_t(handles_set)], text);
        if (!parse_handle(normal, h) || h.handle.empty()) continue;
        std::string want = fold_for_match(h.platform + ":" + h.handle);
        LIAISON_TRY(consider(
            {{"handles", h.handle, false}}, kHandle, [&](const RowState& row) -> Result<bool> {
                auto dots = store.load_dots(row.id);
                if (!dots) return dots.status();
                for (const auto& d : dots.value()) {
                    if (d.set != handles_set || d.removed) continue;
                    auto last = d.elem.rfind(':');
                    if (last != std::string::npos && fold_for_match(d.elem.substr(0, last)) == want)
                        return true;
                }
                return false;
            }));
    }
    if (q.email && !q.email->empty()) {
        std::string want = fold_for_match(*q.email);
        LIAISON_TRY(consider({{"email", *q.email, false}}, kEmail,
                             [&](const RowState& row) -> Result<bool> {
                                 const std::string* e = row.text("email");
                                 return e && fold_for_match(*e) == want;
                             }));
    }
    if (q.phone) {
        std::string digits = digits_only(*q.phone);
        if (digits.size() >= kMinPhoneDigits) {
            std::string want = tail(digits);
            LIAISON_TRY(consider({{"phone", want, false}}, kPhone,
                                 [&](const RowState& row) -> Result<bool> {
                                     const std::string* p = row.text("phone");
                                     return p && tail(digits_only(*p)) == want;
                                 }));
        }
    }
    // D4: people held as directory records keep no e-mail or phone here, only digests.
    auto possible = [&](const std::optional<std::string>& text, Reason reason) -> Status {
        if (!text || text->empty()) return Status::ok();
        const bool email = reason == kPossibleEmail;
        if (email != (text->find('@') != std::string::npos)) return Status::ok();
        auto ids = possible_matches(store, *text, q.country);
        if (!ids) return ids.status();
        for (const auto& id : ids.value()) {
            auto row = get_entity(store, Kind::kInfluencer, id);
            if (!row) return row.status();
            if (!row.value()) continue;
            found[id] |= 1u << reason;
            rows.emplace(id, *row.value());
        }
        return Status::ok();
    };
    LIAISON_TRY(possible(q.email, kPossibleEmail));
    LIAISON_TRY(possible(q.phone, kPossiblePhone));
    if (q.name) {
        // Every word of the name as a prefix of a word of the indexed name.
        auto terms = search_terms(*q.name);
        for (auto& t : terms) t.column = "name";
        if (!terms.empty()) {
            // The match is the test: words that all start words of the stored name.
            LIAISON_TRY(
                consider(terms, kName, [](const RowState&) -> Result<bool> { return true; }));
        }
    }

    std::vector<DuplicateHit> hits;
    for (const auto& [id, mask] : found) {
        DuplicateHit h;
        h.id = id;
        if (const std::string* n = rows.at(id).text("name")) h.name = *n;
        for (int r = 0; r < kReasonCount; ++r)
            if (mask & (1u << r)) h.reasons.push_back(kReasonNames[r]);
        hits.push_back(std::move(h));
    }
    std::stable_sort(hits.begin(), hits.end(), [](const DuplicateHit& a, const DuplicateHit& b) {
        if (a.reasons.size() != b.reasons.size()) return a.reasons.size() > b.reasons.size();
        return fold_for_match(a.name) < fold_for_match(b.name);
    });
    if (hits.size() > limit) hits.resize(limit);
    return hits;
}

}  // namespace liaison::core
