#include "core/query/text_match.hpp"

#include "core/model/validate.hpp"
#include "core/storage/dialect.hpp"

namespace liaison::core {
namespace {

using Step = Statement::Step;

// Whether `phrase` occurs in `words` as consecutive words, the last one a prefix if `prefix`.
bool has_phrase(const std::vector<std::string>& words, const std::vector<std::string>& phrase,
                bool prefix) {
    if (phrase.empty() || phrase.size() > words.size()) return false;
    for (std::size_t at = 0; at + phrase.size() <= words.size(); ++at) {
        bool all = true;
        for (std::size_t i = 0; all && i < phrase.size(); ++i) {
            const std::string& w = words[at + i];
            const std::string& p = phrase[i];
            all = prefix && i + 1 == phrase.size() ? w.compare(0, p.size(), p) == 0 : w == p;
        }
        if (all) return true;
    }
    return false;
}

// The text FTS5 is given for one column's value (Store::reindex): for a phone number its digits
// and, for a longer number, its last kPhoneTailDigits.
std::string indexed_text(const std::string& column, std::string value) {
    if (column == "phone") {
        std::string d;
        for (char c : value)
            if (c >= '0' && c <= '9') d += c;
        return d.size() > kPhoneTailDigits ? d + " " + d.substr(d.size() - kPhoneTailDigits) : d;
    }
    return value;
}

// A set's elements, joined by ',' (sql_distinct_list), as the text indexed for them: for
// handles ("platform:handle:audience") only the handle.
std::string indexed_set(ElemType elem, std::string_view joined) {
    std::string out;
    std::size_t from = 0;
    while (from <= joined.size()) {
        std::size_t to = joined.find(',', from);
        if (to == std::string_view::npos) to = joined.size();
        std::string e(joined.substr(from, to - from));
        if (elem == ElemType::kHandle) {
            auto a = e.find(':'), b = e.rfind(':');
            if (a != std::string::npos && b != a) e = e.substr(a + 1, b - a - 1);
        }
        out += e + " ";
        from = to + 1;
    }
    return out;
}

Result<std::vector<TextMatch>> match_fts(Store& store, const std::vector<TextTerm>& terms,
                                         std::size_t limit, bool newest_first) {
    // Newest first: the newest matches straight from the index in rowid order (no scoring,
    // so the index stops reading after them), then their rows.
    auto& st = store.db().cached(
        newest_first ? "SELECT k.eid, k.f_name FROM (SELECT rowid AS rid FROM fts_influencer "
                       "WHERE fts_influencer MATCH ?1 ORDER BY rowid DESC LIMIT ?2) m JOIN "
                       "k_influencer k ON k.rid = m.rid WHERE k.created IS NOT NULL"
                     : "SELECT k.eid, k.f_name FROM fts_influencer JOIN k_influencer k ON "
                       "k.rid = fts_influencer.rowid WHERE fts_influencer MATCH ?1 AND "
                       "k.created IS NOT NULL LIMIT ?2");
    const std::string expression = fts_expression(terms);
    st.bind(1, std::string_view(expression)).bind(2, sql_limit(limit));
    std::vector<TextMatch> out;
    Step s;
    while ((s = st.step()) == Step::kRow) {
        auto b = st.column_blob(0);
        if (b.size() != 16) continue;
        out.push_back({Id128::from_bytes(b.data()), st.column_text(1)});
    }
    if (s == Step::kError) return Status::storage(st.error());
    return out;
}

// A term with its words folded, and the column it is limited to (-1: any).
struct FoldedTerm {
    int column = -1;
    std::vector<std::string> words;
    bool prefix = false;
};

Result<std::vector<TextMatch>> match_scan(Store& store, const std::vector<TextTerm>& terms,
                                          std::size_t limit, bool newest_first) {
    const KindDef& k = kind_def(Kind::kInfluencer);
    const Backend backend = store.db().backend();
    // The searchable columns, in the order the statement reads them (after eid and name).
    std::vector<std::string> names;
    std::vector<int> set_of;  // per column: its set index, or -1 for a field
    std::string sql = "SELECT k.eid, k.f_name";
    for (const auto& f : k.fields) {
        if (!f.searchable) continue;
        names.push_back(f.name);
        set_of.push_back(-1);
        sql += ", k." + value_column(f);
    }
    // A set's elements are listed for every person at once and joined: a subquery per row
    // made three quarters of the statement's time (130 ms of 20,000 people, 66–96 joined).
    std::string joins;
    for (std::size_t i = 0; i < k.sets.size(); ++i) {
        if (!k.sets[i].searchable) continue;
        names.push_back(k.sets[i].name);
        set_of.push_back(int(i));
        const std::string alias = "s" + std::to_string(i);
        sql += ", " + alias + ".l";
        joins += " LEFT JOIN (SELECT eid, " + sql_distinct_list(backend, "elem") +
                 " AS l FROM sdot WHERE sidx=" + std::to_string(i) +
                 " AND removed=0 GROUP BY eid) AS " + alias + " ON " + alias + ".eid=k.eid";
    }
    sql += " FROM k_influencer k" + joins +
           " WHERE k.created IS NOT NULL AND k.deleted IS NULL ORDER BY k.rid";
    if (newest_first) sql += " DESC";

    std::vector<FoldedTerm> folded;
    for (const auto& t : terms) {
        FoldedTerm f{-1, folded_words(t.text), t.prefix};
        if (f.words.empty()) return std::vector<TextMatch>{};  // FTS5 matches nothing either
        if (!t.column.empty()) {
            for (std::size_t c = 0; c < names.size(); ++c)
                if (names[c] == t.column) f.column = int(c);
            if (f.column < 0) return Status::invalid("no searchable column " + t.column);
        }
        folded.push_back(std::move(f));
    }

    auto& st = store.db().cached(sql);
    std::vector<TextMatch> out;
    std::vector<std::vector<std::string>> columns(names.size());
    Step s = Step::kDone;
    while (out.size() < limit && (s = st.step()) == Step::kRow) {
        for (std::size_t c = 0; c < names.size(); ++c) {
            const std::string_view v = st.column_text_view(int(c) + 2);
            columns[c] =
                folded_words(set_of[c] < 0 ? indexed_text(names[c], std::string(v))
                                           : indexed_set(k.sets[std::size_t(set_of[c])].elem, v));
        }
        bool all = true;
        for (std::size_t t = 0; all && t < folded.size(); ++t) {
            const auto& f = folded[t];
            bool found = false;
            for (std::size_t c = 0; !found && c < columns.size(); ++c)
                if (f.column < 0 || f.column == int(c))
                    found = has_phrase(columns[c], f.words, f.prefix);
            all = found;
        }
        auto b = st.column_blob(0);
        if (all && b.size() == 16) out.push_back({Id128::from_bytes(b.data()), st.column_text(1)});
    }
    if (out.size() < limit && s == Step::kError) return Status::storage(st.error());
    st.reset();
    return out;
}

}  // namespace

bool is_word_byte(unsigned char c) {
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::vector<std::string> folded_words(std::string_view text) {
    std::vector<std::string> out;
    std::string word;
    for (char c : fold_for_match(text)) {
        if (is_word_byte(static_cast<unsigned char>(c))) {
            word += c;
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
}

std::string fts_expression(const std::vector<TextTerm>& terms) {
    std::string out;
    for (const auto& t : terms) {
        if (!out.empty()) out += " AND ";
        if (!t.column.empty()) out += t.column + " : ";
        out += '"';
        for (char c : t.text) {
            if (c == '"') out += '"';
            out += c;
        }
        out += '"';
        if (t.prefix) out += '*';
    }
    return out;
}

Result<std::vector<TextMatch>> match_influencers(Store& store, const std::vector<TextTerm>& terms,
                                                 std::size_t limit, bool newest_first) {
    if (terms.empty() || limit == 0) return std::vector<TextMatch>{};
    if (store.db().backend() == Backend::kSqlite)
        return match_fts(store, terms, limit, newest_first);
    return match_scan(store, terms, limit, newest_first);
}

}  // namespace liaison::core
