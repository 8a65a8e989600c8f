// Text search over the influencers' searchable columns (name, e-mail, phone, handles) on both
// backends (docs/STORAGE.md, "Two backends").
//
// On SQLite the terms become an FTS5 expression over fts_influencer (the index the Store keeps,
// unicode61 with diacritics removed). The PostgreSQL layout has no full-text index, so there
// the live influencers are read in the same order and each is tokenised as the Store indexes it
// for FTS5 (phone: its digits and their last nine; handles: the handle between the colons) and
// folded with fold_for_match (ASCII and Latin letters lower-cased, accents removed); a term
// matches when its folded words appear in that order in one column, the last one as a prefix
// when `prefix` says so. That is FTS5's meaning for Latin text; outside Latin scripts FTS5's
// Unicode case folding and separators go further than fold_for_match.
// Cost on PostgreSQL: every search reads each live influencer's searchable columns (one
// statement, no index), so it grows with the record, where FTS5 reads only the matching
// entries of its index.
//
// Thread-safety: as the Store.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/store.hpp"

namespace liaison::core {

// One condition: the words of `text` as a phrase, in `column` (a searchable field or set of
// the influencer: "name", "email", "phone", "handles") or in any of them when empty.
struct TextTerm {
    std::string column;
    std::string text;
    bool prefix = false;  // the phrase's last word may begin a longer word
};

struct TextMatch {
    Id128 id;
    std::string name;
};

// Created, undeleted influencers matching every term (none for no terms), at most `limit`:
// the most recently added first when `newest_first`, otherwise the earliest first.
Result<std::vector<TextMatch>> match_influencers(Store& store, const std::vector<TextTerm>& terms,
                                                 std::size_t limit, bool newest_first);

// Phone numbers are compared on their last nine digits (a national number without its leading
// 0) when they have more: the search index holds both (Store::reindex), and the duplicate checks
// compare those tails (core/query/duplicates.hpp, duplicate_pairs.hpp); a number of fewer than
// six digits is not compared at all.
constexpr std::size_t kPhoneTailDigits = 9;
constexpr std::size_t kMinPhoneDigits = 6;

// A byte of a word: ASCII letters and digits, and every byte of a multi-byte character.
bool is_word_byte(unsigned char c);
// The words of `text` folded with fold_for_match, in order ("Hélène Dupont-Roy" -> helene,
// dupont, roy): how a search compares words.
std::vector<std::string> folded_words(std::string_view text);

// The FTS5 expression of `terms` (SQLite's form, exposed for tests): each term
// `column : "text"*`, quotes doubled, joined by AND.
std::string fts_expression(const std::vector<TextTerm>& terms);

}  // namespace liaison::core
