// Finding a disclosure mention in a post's caption (docs/COMPLIANCE.md, "Matching"): case-
// insensitive, accent-tolerant only when asked, as a whole word or hashtag, with where it was
// found so that the caller can judge "up front".
//
// - Case: ASCII, Latin-1 and Latin Extended-A (the tables of core/model/validate.cpp).
// - Accent-tolerant: letters are folded as fold_for_match does ("Publicité" = "publicite");
//   otherwise only case is mapped, and a decomposed "e" + U+0301 still equals "é".
// - Words: letters, digits and '_' (any non-ASCII letter included) join; a match must not be
//   preceded or followed by one, nor by '@' (a handle) or by a hyphen joining another word
//   ("ad-free"). '#' is not a letter, so "#ad" is the word "ad".
// - Phrases: white space between words matches any run of white space; as a hashtag the words
//   may also be written together or with '_' ("#collaborationcommerciale").
// - Zero-width characters (U+200B..U+200D, U+2060, U+FEFF) and emoji variation selectors are
//   ignored.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace liaison::core::compliance {

// A caption folded for matching, each folded code point with where it came from.
// Positions are 32-bit: captions are bounded (disclosure.hpp, kMaxCaptionBytes) and the folded
// text of a large one is 20 bytes per byte of caption.
struct FoldedText {
    std::vector<char32_t> cps;
    std::vector<std::uint32_t> char_at;    // its character's index, leading white space skipped
    std::vector<std::uint32_t> line_at;    // its line, 0 for the first non-blank one
    std::vector<std::uint32_t> byte_from;  // its bytes in the original text
    std::vector<std::uint32_t> byte_to;
};

// Requires: text.size() < 2^32.
FoldedText fold_caption(std::string_view text, bool accent_tolerant);

struct WordMatch {
    std::size_t first_char = 0;  // the first and one past the last character it covers
    std::size_t end_char = 0;
    std::size_t line = 0;
    std::size_t byte_from = 0;  // the bytes of the caption it covers
    std::size_t byte_to = 0;
};

// Every place `word` (a word or phrase from a rule table) occurs in `caption`, in order.
std::vector<WordMatch> find_word(const FoldedText& caption, std::string_view word,
                                 bool accent_tolerant);

}  // namespace liaison::core::compliance
