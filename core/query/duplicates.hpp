// Likely duplicates of an influencer about to be created (the "is this person already
// known?" check of the create form, run as the user types).
//
// A record is a likely duplicate when it shares with the candidate:
//   handle  the same platform and handle (case-insensitive, '@' and audience ignored);
//   email   the same e-mail address (case-insensitive);
//   phone   the same number: the same digits, or the same last nine digits (so national
//           "06 12 34 56 78" and international "+33 6 12 34 56 78" agree);
//   name    the same folded name ("Hélène Dupont" = "helene dupont"), or a name in which
//           every word of the candidate's name starts a word (the search index's prefix match);
//   possible_email, possible_phone
//           a person held only as a directory record (docs/SYNC.md "Directory") whose e-mail
//           or phone digest is the candidate's (D4): possibly her, to confirm by name.
// Each hit lists every reason that applies, in the order above. Hits are visible influencers
// (created, not erased); a duplicate already merged into another record is reported as the
// record it was merged into. Hits with more reasons come first, then by name.
//
// Candidates are found through the full-text index (fts_influencer) and then checked against
// the stored values, so the cost does not grow with the number of influencers.
//
// Thread-safety: as the Store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/storage/store.hpp"

namespace liaison::core {

struct DuplicateQuery {
    std::optional<std::string> name, email, phone;
    std::vector<std::string> handles;  // "platform:handle" or "platform:handle:audience"
    std::string country;  // reads a national phone number (ISO 3166-1 alpha-2), may be empty
};

struct DuplicateHit {
    Id128 id;
    std::string name;
    std::vector<std::string> reasons;  // "handle", "email", "phone", "name", "possible_..."
};

inline constexpr std::size_t kMaxDuplicateHits = 10;

// Requires nothing of the query: empty or malformed parts (an unparseable handle, a phone
// with too few digits) simply match nothing.
Result<std::vector<DuplicateHit>> find_duplicates(Store& store, const DuplicateQuery& query,
                                                  std::size_t limit = kMaxDuplicateHits);

}  // namespace liaison::core
