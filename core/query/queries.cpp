#include "core/query/queries.hpp"

#include <algorithm>

#include "core/model/validate.hpp"
#include "core/storage/dialect.hpp"

namespace liaison::core {
namespace {

using Step = Statement::Step;

// A phone-like query: only digits and separators, with at least six digits.
bool phone_like(std::string_view text, std::string& digits) {
    digits.clear();
    for (char c : text) {
        if (c >= '0' && c <= '9')
            digits += c;
        else if (!(c == ' ' || c == '+' || c == '-' || c == '.' || c == '(' || c == ')'))
            return false;
    }
    return digits.size() >= 6;
}

// The influencer and the duplicates merged into it.
std::vector<Id128> subjects(Store& store, const Id128& id) {
    return store.component_of(store.root_of(id));
}

}  // namespace

std::vector<TextTerm> search_terms(std::string_view text) {
    std::string digits;
    if (phone_like(text, digits)) {
        // National form "06 12 34 56 78" matches the indexed last nine digits.
        if (digits.size() == 10 && digits[0] == '0') digits = digits.substr(1);
        return {{"", digits, true}};
    }
    std::vector<TextTerm> out;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        out.push_back({"", std::move(word), true});
        word.clear();
    };
    for (char c : text) {
        if (is_word_byte(static_cast<unsigned char>(c)))
            word += c;
        else
            flush();
    }
    flush();
    return out;
}

std::string fts_query(std::string_view text) { return fts_expression(search_terms(text)); }

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// 0: the name begins with the query's words, in order ("hel dup" and "Hélène Dupont 12");
// 1: each query word begins some word of the name; 2: found by e-mail, handle or phone.
int name_tier(const std::vector<std::string>& name, const std::vector<std::string>& query) {
    bool in_order = query.size() <= name.size();
    for (std::size_t i = 0; in_order && i < query.size(); ++i)
        in_order = i + 1 < query.size() ? name[i] == query[i] : starts_with(name[i], query[i]);
    if (in_order) return 0;
    for (const auto& q : query) {
        bool found = false;
        for (const auto& w : name) found = found || starts_with(w, q);
        if (!found) return 2;
    }
    return 1;
}

}  // namespace

Result<std::vector<SearchHit>> search_influencers(Store& store, std::string_view text,
                                                  std::size_t limit, std::size_t window) {
    std::vector<SearchHit> hits;
    text = text.substr(0, 200);
    const auto terms = search_terms(text);
    if (terms.empty() || limit == 0) return hits;
    // The newest `window` matches, with their names (core/query/text_match.hpp).
    auto matches = match_influencers(store, terms, std::max(window, limit), true);
    if (!matches) return matches.status();
    const auto query = folded_words(text);
    std::vector<std::pair<std::string, SearchHit>> found;  // folded name, hit
    for (auto& m : matches.value()) {
        SearchHit h;
        h.id = m.id;
        h.name = std::move(m.name);
        auto words = folded_words(h.name);
        h.rank = name_tier(words, query);
        std::string key;
        for (const auto& w : words) key += w + ' ';
        found.emplace_back(std::move(key), std::move(h));
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        if (a.second.rank != b.second.rank) return a.second.rank < b.second.rank;
        if (a.first != b.first) return a.first < b.first;
        return a.second.id < b.second.id;
    });
    if (found.size() > limit) found.resize(limit);
    for (auto& f : found) hits.push_back(std::move(f.second));
    return hits;
}

Result<std::vector<TimelineEntry>> timeline(Store& store, const Id128& influencer,
                                            std::size_t limit) {
    std::vector<TimelineEntry> out;
    if (store.is_erased(influencer)) return out;
    auto ids = subjects(store, influencer);
    for (Kind kind : {Kind::kInteraction, Kind::kCheckin, Kind::kCollaboration, Kind::kContent}) {
        const auto& k = kind_def(kind);
        std::string sql = "SELECT eid FROM " + table_name(kind) + " WHERE f_influencer IN " +
                          in_list(ids.size(), 1) + " AND created IS NOT NULL AND deleted IS NULL";
        auto& st = store.db().cached(sql);
        for (std::size_t i = 0; i < ids.size(); ++i)
            st.bind_blob(int(i) + 1, ids[i].bytes.data(), 16);
        std::vector<Id128> found;
        Step s;
        while ((s = st.step()) == Step::kRow)
            found.push_back(Id128::from_bytes(st.column_blob(0).data()));
        if (s == Step::kError) return Status::storage(st.error());
        st.reset();
        int at = k.field_index(kind == Kind::kContent ? "published_at" : "at");
        for (const auto& id : found) {
            auto row = store.load_row(kind, id);
            if (!row) return row.status();
            if (!row.value()) continue;
            TimelineEntry e;
            e.row = std::move(*row.value());
            const std::int64_t* t =
                at >= 0 ? std::get_if<std::int64_t>(&e.row.values[std::size_t(at)]) : nullptr;
            e.at = t ? *t : std::int64_t(e.row.created->hlc >> 16);
            out.push_back(std::move(e));
        }
    }
    std::sort(out.begin(), out.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
        return a.at != b.at ? a.at > b.at : a.row.id > b.row.id;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
}

Result<std::vector<RowState>> list_influencers(Store& store, const InfluencerFilter& f,
                                               std::size_t limit, std::size_t offset) {
    std::string sql = "SELECT eid FROM k_influencer WHERE created IS NOT NULL";
    std::vector<Id128> binds;
    auto add = [&](const std::optional<std::string>& v, const char* col) -> Status {
        if (!v) return Status::ok();
        auto id = Id128::from_text(*v);
        if (!id) return {Code::kBadFormat, std::string(col) + ": not an id"};
        sql += std::string(" AND f_") + col + "=?" + std::to_string(binds.size() + 1);
        binds.push_back(*id);
        return Status::ok();
    };
    LIAISON_TRY(add(f.region, "region"));
    LIAISON_TRY(add(f.brand, "brand"));
    LIAISON_TRY(add(f.store, "store"));
    LIAISON_TRY(add(f.owner, "owner"));
    // NULLS FIRST: SQLite's order for a missing name, which PostgreSQL puts last by default.
    sql += " ORDER BY " + sql_nocase_key(store.db().backend(), "f_name") +
           " NULLS FIRST, eid LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(offset);
    auto& st = store.db().cached(sql);
    for (std::size_t i = 0; i < binds.size(); ++i)
        st.bind_blob(int(i) + 1, binds[i].bytes.data(), 16);
    std::vector<Id128> ids;
    Step s;
    while ((s = st.step()) == Step::kRow)
        ids.push_back(Id128::from_bytes(st.column_blob(0).data()));
    if (s == Step::kError) return Status::storage(st.error());
    st.reset();
    std::vector<RowState> out;
    for (const auto& id : ids) {
        auto row = store.load_row(Kind::kInfluencer, id);
        if (!row) return row.status();
        if (row.value()) out.push_back(std::move(*row.value()));
    }
    return out;
}

Result<std::int64_t> contact_count(Store& store, const Id128& influencer, std::int64_t since_ms) {
    if (store.is_erased(influencer)) return std::int64_t(0);
    auto ids = subjects(store, influencer);
    std::string sql = "SELECT count(*) FROM k_interaction WHERE f_influencer IN " +
                      in_list(ids.size(), 2) +
                      " AND f_at >= ?1 AND created IS NOT NULL AND deleted IS NULL";
    auto& st = store.db().cached(sql);
    st.bind(1, since_ms);
    for (std::size_t i = 0; i < ids.size(); ++i) st.bind_blob(int(i) + 2, ids[i].bytes.data(), 16);
    if (st.step() != Step::kRow) return Status::storage(st.error());
    std::int64_t n = st.column_int(0);
    st.reset();
    return n;
}

Result<std::optional<RowState>> get_entity(Store& store, Kind kind, const Id128& id) {
    if (store.is_erased(id)) return std::optional<RowState>{};
    Id128 eid = kind_def(kind).mergeable ? store.root_of(id) : id;
    auto row = store.load_row(kind, eid);
    if (!row) return row.status();
    if (!row.value() || !row.value()->visible()) return std::optional<RowState>{};
    return row;
}

Result<std::vector<Id128>> entity_ids(Store& store, Kind kind, const EntityIdQuery& query) {
    const auto& k = kind_def(kind);
    std::string sql = "SELECT eid FROM " + table_name(kind) + " WHERE TRUE";
    if (query.visible_only) sql += " AND created IS NOT NULL AND deleted IS NULL";
    int n = 1;
    for (const auto& f : query.filters) {
        sql += " AND " + value_column(k.fields[std::size_t(f.field)]) + " IN " +
               in_list(f.ids.size(), n);
        n += int(f.ids.size());
    }
    sql += query.newest_first ? " ORDER BY eid DESC" : " ORDER BY eid";
    if (query.limit || query.offset)
        sql += " LIMIT " + (query.limit ? std::to_string(*query.limit) : std::string("-1")) +
               " OFFSET " + std::to_string(query.offset);
    auto st = store.db().prepare(sql);
    if (!st) return st.status();
    n = 1;
    for (const auto& f : query.filters)
        for (const auto& id : f.ids) st->bind_blob(n++, id.bytes.data(), 16);
    std::vector<Id128> out;
    Step s;
    while ((s = st->step()) == Step::kRow)
        out.push_back(Id128::from_bytes(st->column_blob(0).data()));
    if (s == Step::kError) return Status::storage(st->error());
    return out;
}

Result<std::int64_t> count_visible(Store& store, Kind kind) {
    auto n = store.db().query_int("SELECT count(*) FROM " + table_name(kind) +
                                  " WHERE created IS NOT NULL AND deleted IS NULL");
    if (!n) return Status::storage(table_name(kind) + ": " + store.db().error());
    return *n;
}

}  // namespace liaison::core
