// Likely duplicate pairs across the whole record: the central team's duplicates queue
// (docs/WORKSPACE.md, "Duplicates"). Where core/query/duplicates.hpp checks one candidate as a
// form is filled in, this finds every pair at once by grouping people on matching keys, never
// comparing every pair.
//
// Rules (tests/core/duplicate_pairs_test.cpp cites them):
//   DP1  keys: two people are a likely pair when they share
//          handle  a handle's platform and name (case and diacritics folded, audience ignored);
//          email   an e-mail address, folded;
//          phone   the last nine digits of the number (at least six digits);
//          name    the folded words of the name in any order, punctuation ignored
//                  ("Zoé Nouvelle-Venue" = "Zoe Nouvelle Venue" = "Nouvelle Venue, Zoé").
//        A pair lists every key it shares, in that order.
//   DP2  only surviving, visible people count: a person merged into another is represented by
//        her survivor (her keys are not read; the survivor's are), an erased one by nobody.
//   DP3  a pair either of whose people lists the other in `distinct_from` ("not the same
//        person", either side, following merges) is left out.
//   DP4  a key shared by more than kMaxDuplicateGroup people is no evidence (a common name, an
//        agency's shared address) and yields no pair.
//   DP5  order: pairs with more keys first, then by the folded name of the first person, then
//        by ids; in a pair, `a` is the smaller id (the one a merge keeps, docs/SYNC.md).
//
// Cost: one pass over the people's rows and their handle and distinct_from elements, then
// grouping in hash maps: linear in the number of people.
//
// Thread-safety: as the Store.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/storage/store.hpp"

namespace liaison::core {

inline constexpr std::size_t kMaxDuplicateGroup = 10;

struct DuplicatePair {
    Id128 a, b;                        // a < b (bytes)
    std::vector<std::string> reasons;  // "handle", "email", "phone", "name"
};

// Every likely pair of the record (DP1–DP5).
Result<std::vector<DuplicatePair>> find_duplicate_pairs(Store& store);

}  // namespace liaison::core
