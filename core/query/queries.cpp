#include "core/query/queries.hpp"

#include <algorithm>

namespace liaison::core {
namespace {

using Step = Statement::Step;

bool is_word_byte(unsigned char c) { return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A phone-like query: only digits and separators, with at least six digits.
bool phone_like(std::string_view text, std::string& digits) {
    digits.clear();
    for (char c : text) {
        if (c >= '0' && c <= '9') digits += c;
        else if (!(c == ' ' || c == '+' || c == '-' || c == '.' || c == '(' || c == ')')) return false;
    }
    return digits.size() >= 6;
}

// The influencer and the duplicates merged into it.
std::vector<Id128> subjects(Store& store, const Id128& id) { return store.component_of(store.root_of(id)); }

std::string in_list(std::size_t n, int first) {
    std::string s = "(";
    for (std::size_t i = 0; i < n; ++i) s += (i ? ",?" : "?") + std::to_string(first + int(i));
    return s + ")";
}

}  // namespace

std::string fts_query(std::string_view text) {
    std::string digits;
    if (phone_like(text, digits)) {
        // National form "06 12 34 56 78" matches the indexed last nine digits.
        if (digits.size() == 10 && digits[0] == '0') digits = digits.substr(1);
        return "\"" + digits + "\"*";
    }
    std::string out, word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!out.empty()) out += ' ';
        out += "\"" + word + "\"*";
        word.clear();
    };
    for (char c : text) {
        if (is_word_byte(static_cast<unsigned char>(c))) word += c;
        else flush();
    }
    flush();
    return out;
}

Result<std::vector<SearchHit>> search_influencers(Store& store, std::string_view text, std::size_t limit) {
    std::vector<SearchHit> hits;
    std::string q = fts_query(text.substr(0, 200));
    if (q.empty()) return hits;
    auto& st = store.db().cached(
        "SELECT k.eid, k.f_name, bm25(fts_influencer) AS r FROM fts_influencer "
        "JOIN k_influencer k ON k.rid = fts_influencer.rowid "
        "WHERE fts_influencer MATCH ?1 AND k.created IS NOT NULL ORDER BY r LIMIT ?2");
    st.bind(1, std::string_view(q)).bind(2, std::int64_t(limit));
    Step s;
    while ((s = st.step()) == Step::kRow) {
        SearchHit h;
        auto b = st.column_blob(0);
        if (b.size() == 16) h.id = Id128::from_bytes(b.data());
        h.name = st.column_text(1);
        h.rank = double(st.column_int(2));
        hits.push_back(std::move(h));
    }
    if (s == Step::kError) return Status::storage(st.error());
    return hits;
}

Result<std::vector<TimelineEntry>> timeline(Store& store, const Id128& influencer, std::size_t limit) {
    std::vector<TimelineEntry> out;
    if (store.is_erased(influencer)) return out;
    auto ids = subjects(store, influencer);
    for (Kind kind : {Kind::kInteraction, Kind::kCheckin, Kind::kCollaboration, Kind::kContent}) {
        const auto& k = kind_def(kind);
        std::string sql = "SELECT eid FROM " + table_name(kind) + " WHERE f_influencer IN " +
                          in_list(ids.size(), 1) + " AND created IS NOT NULL AND deleted IS NULL";
        auto& st = store.db().cached(sql);
        for (std::size_t i = 0; i < ids.size(); ++i) st.bind_blob(int(i) + 1, ids[i].bytes.data(), 16);
        std::vector<Id128> found;
        Step s;
        while ((s = st.step()) == Step::kRow) found.push_back(Id128::from_bytes(st.column_blob(0).data()));
        if (s == Step::kError) return Status::storage(st.error());
        st.reset();
        int at = k.field_index(kind == Kind::kContent ? "published_at" : "at");
        for (const auto& id : found) {
            auto row = store.load_row(kind, id);
            if (!row) return row.status();
            if (!row.value()) continue;
            TimelineEntry e;
            e.row = std::move(*row.value());
            const std::int64_t* t = at >= 0 ? std::get_if<std::int64_t>(&e.row.values[std::size_t(at)]) : nullptr;
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
    sql += " ORDER BY f_name COLLATE NOCASE, eid LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(offset);
    auto& st = store.db().cached(sql);
    for (std::size_t i = 0; i < binds.size(); ++i) st.bind_blob(int(i) + 1, binds[i].bytes.data(), 16);
    std::vector<Id128> ids;
    Step s;
    while ((s = st.step()) == Step::kRow) ids.push_back(Id128::from_bytes(st.column_blob(0).data()));
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
    std::string sql = "SELECT count(*) FROM k_interaction WHERE f_influencer IN " + in_list(ids.size(), 2) +
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

}  // namespace liaison::core
