#include "core/compliance/caption.hpp"

#include "core/model/validate.hpp"

namespace liaison::core::compliance {

namespace {

bool is_blank(char32_t cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

bool is_invisible(char32_t cp) {
    return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF ||
           (cp >= 0xFE00 && cp <= 0xFE0F);
}

bool is_mark(char32_t cp) { return cp >= 0x300 && cp <= 0x36F; }

// Letters and digits of the scripts a caption is likely to hold; punctuation, symbols and
// emoji are not (so "#ad🎉" and "(ad)" hold the word "ad").
bool is_word_char(char32_t cp) {
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
               cp == '_';
    if (cp >= 0xC0 && cp <= 0x24F) return cp != 0xD7 && cp != 0xF7;
    return (cp >= 0x250 && cp <= 0x2AF) || is_mark(cp) || (cp >= 0x370 && cp <= 0x3FF) ||
           (cp >= 0x400 && cp <= 0x52F) || (cp >= 0x590 && cp <= 0x6FF) ||
           (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x3040 && cp <= 0x30FF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

// The precomposed Latin-1 letter for a lower-case base and a combining mark, or 0: text typed
// decomposed must equal the precomposed spelling of a table's word.
char32_t compose(char32_t base, char32_t mark) {
    struct Row {
        char32_t mark;
        const char* bases;
        const char32_t* composed;
    };
    static constexpr char32_t kGrave[] = {0xE0, 0xE8, 0xEC, 0xF2, 0xF9};
    static constexpr char32_t kAcute[] = {0xE1, 0xE9, 0xED, 0xF3, 0xFA, 0xFD};
    static constexpr char32_t kCircumflex[] = {0xE2, 0xEA, 0xEE, 0xF4, 0xFB};
    static constexpr char32_t kTilde[] = {0xE3, 0xF1, 0xF5};
    static constexpr char32_t kDiaeresis[] = {0xE4, 0xEB, 0xEF, 0xF6, 0xFC, 0xFF};
    static constexpr char32_t kCedilla[] = {0xE7};
    static constexpr Row kRows[] = {{0x300, "aeiou", kGrave},      {0x301, "aeiouy", kAcute},
                                    {0x302, "aeiou", kCircumflex}, {0x303, "ano", kTilde},
                                    {0x308, "aeiouy", kDiaeresis}, {0x327, "c", kCedilla}};
    for (const auto& row : kRows) {
        if (row.mark != mark) continue;
        for (std::size_t i = 0; row.bases[i]; ++i)
            if (char32_t(row.bases[i]) == base) return row.composed[i];
    }
    return 0;
}

}  // namespace

FoldedText fold_caption(std::string_view text, bool accent_tolerant) {
    FoldedText out;
    // At most one folded code point per byte: a two-letter folding ("æ" -> "ae") comes from
    // two bytes at least. Reserved once, as growing five vectors dominated the time.
    for (auto* v : {&out.char_at, &out.line_at, &out.byte_from, &out.byte_to})
        v->reserve(text.size());
    out.cps.reserve(text.size());
    std::size_t chars = 0, line = 0;
    bool started = false, blank_pending = false;
    auto push = [&](char32_t cp, std::size_t from, std::size_t to) {
        out.cps.push_back(cp);
        out.char_at.push_back(std::uint32_t(chars));
        out.line_at.push_back(std::uint32_t(line));
        out.byte_from.push_back(std::uint32_t(from));
        out.byte_to.push_back(std::uint32_t(to));
    };
    for (std::size_t i = 0; i < text.size();) {
        const Utf8CodePoint d = decode_utf8(text, i);
        const char32_t cp = d.ok ? d.cp : 0xFFFD;  // an invalid byte is no letter
        const std::size_t from = i;
        i += d.len;
        if (is_invisible(cp)) continue;
        if (is_blank(cp)) {
            if (!started) continue;  // leading white space does not count
            if (cp == '\n') ++line;
            blank_pending = true;
            ++chars;
            continue;
        }
        started = true;
        if (blank_pending) {  // a run of white space is one ' '
            push(' ', from, from);
            out.char_at.back() = std::uint32_t(chars - 1);
            blank_pending = false;
        }
        if (is_mark(cp)) {
            if (accent_tolerant) {  // dropped, but its bytes belong to the letter before
                if (!out.cps.empty()) out.byte_to.back() = std::uint32_t(i);
            } else if (char32_t c = out.cps.empty() ? 0 : compose(out.cps.back(), cp)) {
                out.cps.back() = c;
                out.byte_to.back() = std::uint32_t(i);
            } else {
                push(cp, from, i);
            }
            ++chars;
            continue;
        }
        const char32_t lower = latin_lower_code_point(cp);
        if (accent_tolerant && lower >= 0x80 && d.ok) {
            std::string one;
            one.assign(text.substr(from, d.len));
            const std::string folded = fold_for_match(one);
            // fold_for_match gives ASCII for the Latin letters it knows; others come back as
            // they were, lower-cased here.
            if (!folded.empty() && static_cast<unsigned char>(folded[0]) < 0x80) {
                for (char c : folded) push(char32_t(c), from, i);
                ++chars;
                continue;
            }
        }
        push(lower, from, i);
        ++chars;
    }
    return out;
}

std::vector<WordMatch> find_word(const FoldedText& caption, std::string_view word,
                                 bool accent_tolerant) {
    const FoldedText w = fold_caption(word, accent_tolerant);
    std::vector<std::vector<char32_t>> patterns = {w.cps};
    bool phrase = false;
    for (char32_t c : w.cps) phrase = phrase || c == ' ';
    if (phrase)  // as a hashtag: "#collaborationcommerciale", "#collaboration_commerciale"
        for (char32_t joiner : {char32_t(0), char32_t('_')}) {
            std::vector<char32_t> tag = {'#'};
            for (char32_t c : w.cps)
                if (c != ' ')
                    tag.push_back(c);
                else if (joiner)
                    tag.push_back(joiner);
            patterns.push_back(std::move(tag));
        }
    const auto& t = caption.cps;
    auto joins_before = [&](std::size_t at) {
        if (at == 0) return false;
        const char32_t c = t[at - 1];
        if (is_word_char(c) || c == '@') return true;
        return c == '-' && at >= 2 && is_word_char(t[at - 2]);
    };
    auto joins_after = [&](std::size_t end) {
        if (end >= t.size()) return false;
        const char32_t c = t[end];
        if (is_word_char(c)) return true;
        return c == '-' && end + 1 < t.size() && is_word_char(t[end + 1]);
    };
    std::vector<WordMatch> found;
    for (std::size_t at = 0; at < t.size(); ++at) {
        for (const auto& p : patterns) {
            if (p.empty() || at + p.size() > t.size()) continue;
            bool same = true;
            for (std::size_t k = 0; same && k < p.size(); ++k) same = t[at + k] == p[k];
            const std::size_t end = at + p.size();
            if (!same || joins_before(at) || joins_after(end)) continue;
            found.push_back({caption.char_at[at], caption.char_at[end - 1] + 1, caption.line_at[at],
                             caption.byte_from[at], caption.byte_to[end - 1]});
            break;
        }
    }
    return found;
}

}  // namespace liaison::core::compliance
