#include "core/query/reports/entry_columns.hpp"

#include <algorithm>

#include "core/query/reports/context.hpp"

namespace liaison::core::reports {
namespace {

using Step = Statement::Step;

std::size_t hash_of(const Id128& id) { return Id128Hash{}(id); }

bool contains(const std::vector<Id128>& ids, const std::optional<Id128>& id) {
    return id && std::find(ids.begin(), ids.end(), *id) != ids.end();
}

}  // namespace

const ColumnsSpec& contact_columns() {
    static const ColumnsSpec spec{Kind::kInteraction,
                                  "at",
                                  "influencer",
                                  Kind::kInfluencer,
                                  {"department", "touchpoint", "follow_up_due"},
                                  {},
                                  {"follow_up_done"},
                                  {}};
    return spec;
}

const ColumnsSpec& click_columns() {
    static const ColumnsSpec spec{Kind::kClick, "at", "link", Kind::kTrackedLink,
                                  {"visitor"},  {},   {},     {}};
    return spec;
}

const ColumnsSpec& conversion_columns() {
    static const ColumnsSpec spec{Kind::kConversion,
                                  "at",
                                  "link",
                                  Kind::kTrackedLink,
                                  {"currency", "promo_code", "visitor"},
                                  {"influencer", "campaign"},
                                  {"value"},
                                  {}};
    return spec;
}

const ColumnsSpec& post_columns() {
    static const ColumnsSpec spec{Kind::kContent,
                                  "published_at",
                                  "influencer",
                                  Kind::kInfluencer,
                                  {"tone", "platform"},
                                  {"collaboration"},
                                  {"impressions", "reach", "video_views", "likes", "comments",
                                   "shares", "saves", "engagements"},
                                  {"brands_mentioned"},
                                  0};
    return spec;
}

// The columns a row `t` is read with, in the order put() reads them: id, state, time, parent,
// region, store, brand, the spec's texts, refs and ints, then each set's live elements joined by
// spaces (string_agg: PostgreSQL's, and SQLite's since 3.44).
std::string EntryColumns::select() const {
    const auto& k = kind_def(spec_->kind);
    std::string sql = "SELECT t.eid, t.created IS NOT NULL AND t.deleted IS NULL, t.f_" +
                      std::string(spec_->time) + ", t.f_" + spec_->parent;
    for (const char* key : {"region", "store", "brand"})
        sql += k.field_index(key) >= 0 ? std::string(", t.f_") + key : std::string(", NULL");
    for (const auto* list : {&spec_->texts, &spec_->refs, &spec_->ints})
        for (const char* f : *list) sql += std::string(", t.f_") + f;
    for (const char* set : spec_->sets)
        sql += ", (SELECT string_agg(s.elem, ' ') FROM sdot s WHERE s.eid=t.eid AND s.sidx=" +
               std::to_string(k.set_index(set)) + " AND s.removed=0)";
    return sql + " FROM " + table_name(spec_->kind) + " t";
}

std::vector<std::vector<std::uint32_t>*> EntryColumns::id_columns() {
    return {&parent, &region, &store, &brand};
}

std::optional<std::uint32_t> EntryColumns::number(const Id128& id) const {
    auto it = id_numbers_.find(id);
    if (it == id_numbers_.end()) return std::nullopt;
    return it->second;
}

std::uint32_t EntryColumns::id_number(Statement& st, int col) {
    const auto b = st.column_blob(col);
    if (b.size() != 16) return kNone;
    const Id128 id = Id128::from_bytes(b.data());
    auto [it, added] = id_numbers_.emplace(id, std::uint32_t(ids_.size() + 1));
    if (added) ids_.push_back(id);
    return it->second;
}

std::uint32_t EntryColumns::text_number(Statement& st, int col) {
    if (st.column_is_null(col)) return kNone;
    return text_number(st.column_text_view(col));
}

std::uint32_t EntryColumns::text_number(std::string_view view) {
    std::string t(view);
    auto it = text_numbers_.find(t);
    if (it != text_numbers_.end()) return it->second;
    texts_.push_back(t);
    return text_numbers_.emplace(std::move(t), std::uint32_t(texts_.size())).first->second;
}

std::optional<std::uint32_t> EntryColumns::find_text(const std::string& t) const {
    auto it = text_numbers_.find(t);
    if (it == text_numbers_.end()) return std::nullopt;
    return it->second;
}

void EntryColumns::put_set(std::size_t i, std::size_t r, std::string_view elems) {
    Set& s = sets_[i];
    std::vector<std::uint32_t> got;
    for (std::size_t pos = 0; pos < elems.size();) {
        std::size_t stop = elems.find(' ', pos);
        if (stop == std::string_view::npos) stop = elems.size();
        if (stop > pos) {
            const std::uint32_t n = text_number(elems.substr(pos, stop - pos));
            if (std::find(got.begin(), got.end(), n) == got.end()) got.push_back(n);
        }
        pos = stop + 1;
    }
    // In place when it fits; else at the pool's end.
    if (got.size() > s.count[r]) s.start[r] = std::uint32_t(s.pool.size());
    if (s.start[r] == s.pool.size()) s.pool.resize(s.pool.size() + got.size());
    std::copy(got.begin(), got.end(), s.pool.begin() + s.start[r]);
    s.count[r] = std::uint32_t(got.size());
}

std::uint32_t* EntryColumns::slot(const Id128& eid) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash_of(eid) & mask;; i = (i + 1) & mask)
        if (slots_[i] == 0 || eid_[slots_[i] - 1] == eid) return &slots_[i];
}

void EntryColumns::grow() {
    std::vector<std::uint32_t> old;
    old.swap(slots_);
    slots_.assign(std::max<std::size_t>(1024, old.size() * 2), 0);
    for (std::uint32_t row = 0; row < eid_.size(); ++row) *slot(eid_[row]) = row + 1;
}

void EntryColumns::put(Statement& st) {
    const auto b = st.column_blob(0);
    if (b.size() != 16) return;
    const Id128 eid = Id128::from_bytes(b.data());
    if ((eid_.size() + 1) * 2 > slots_.size()) grow();
    std::uint32_t* s = slot(eid);
    std::size_t r;
    if (*s) {
        r = *s - 1;
    } else {
        r = eid_.size();
        *s = std::uint32_t(r + 1);
        eid_.push_back(eid);
        live.push_back(0);
        at.push_back(INT64_MIN);
        for (auto* v : id_columns()) v->push_back(kNone);
        texts.resize(spec_->texts.size());
        refs.resize(spec_->refs.size());
        ints.resize(spec_->ints.size());
        for (auto* list : {&texts, &refs})
            for (auto& v : *list) v.push_back(kNone);
        for (auto& v : ints) v.push_back(kNull);
        sets_.resize(spec_->sets.size());
        for (auto& set : sets_) {
            set.start.push_back(std::uint32_t(set.pool.size()));
            set.count.push_back(0);
        }
    }
    live[r] = st.column_int(1) != 0;
    at[r] = st.column_is_null(2) ? INT64_MIN : st.column_int(2);
    int col = 3;
    for (auto* v : id_columns()) (*v)[r] = id_number(st, col++);
    for (auto& v : texts) v[r] = text_number(st, col++);
    for (auto& v : refs) v[r] = id_number(st, col++);
    for (auto& v : ints) {
        v[r] = st.column_is_null(col) ? kNull : st.column_int(col);
        ++col;
    }
    for (std::size_t i = 0; i < sets_.size(); ++i) put_set(i, r, st.column_text_view(col++));
}

void EntryColumns::drop(const Id128& eid) {
    if (slots_.empty()) return;
    if (std::uint32_t* s = slot(eid); *s) live[*s - 1] = 0;
}

std::size_t EntryColumns::bytes() const {
    auto of = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    std::size_t n = of(live) + of(at) + of(eid_) + of(slots_) + of(ids_);
    for (const auto* v : {&parent, &region, &store, &brand}) n += of(*v);
    for (const auto* list : {&texts, &refs})
        for (const auto& v : *list) n += of(v);
    for (const auto& v : ints) n += of(v);
    for (const auto& set : sets_) n += of(set.start) + of(set.count) + of(set.pool);
    // A node of an unordered_map: the pair, the next pointer and the cached hash, plus its
    // bucket.
    n += id_numbers_.size() * (sizeof(std::pair<Id128, std::uint32_t>) + 3 * sizeof(void*));
    for (const auto& t : texts_) n += 2 * (sizeof(std::string) + t.capacity()) + 3 * sizeof(void*);
    return n;
}

Status EntryColumns::rebuild(Store& store) {
    *this = EntryColumns(*spec_);
    const std::int64_t upto = store.last_seq();
    auto& st = store.db().cached(select());
    Step s;
    while ((s = st.step()) == Step::kRow) put(st);
    if (s == Step::kError) return Status::storage(st.error());
    st.reset();
    // Grown by doubling while read: give the slack back (a catch-up grows them again).
    live.shrink_to_fit();
    at.shrink_to_fit();
    eid_.shrink_to_fit();
    for (auto* v : id_columns()) v->shrink_to_fit();
    for (auto* list : {&texts, &refs})
        for (auto& v : *list) v.shrink_to_fit();
    for (auto& v : ints) v.shrink_to_fit();
    for (auto& set : sets_)
        for (auto* v : {&set.start, &set.count, &set.pool}) v->shrink_to_fit();
    seen_ = upto;
    return Status::ok();
}

Status EntryColumns::catch_up(Store& store) {
    if (seen_ < 0 || store.last_seq() - seen_ > kRebuildAfter) return rebuild(store);
    constexpr std::size_t kBatch = 5'000;
    auto& one = store.db().cached(select() + " WHERE t.eid=?1");
    // A failure part way leaves changes read but not applied: the next report rebuilds.
    auto failed = [&](Status status) {
        seen_ = -1;
        one.reset();
        return status;
    };
    for (;;) {
        auto changes = store.changes_since(seen_, kBatch);
        if (!changes) return failed(changes.status());
        for (const auto& c : changes.value()) {
            seen_ = std::max(seen_, c.seq);
            if (c.type == Store::Change::Type::kErased) {
                drop(c.id);
            } else if (c.type == Store::Change::Type::kEntity && c.kind == spec_->kind) {
                one.reset();
                one.bind_blob(1, c.id.bytes.data(), 16);
                const Step s = one.step();
                if (s == Step::kError) return failed(Status::storage(one.error()));
                if (s == Step::kRow)
                    put(one);
                else
                    drop(c.id);
            }
        }
        if (changes.value().size() < kBatch) break;
    }
    one.reset();
    return Status::ok();
}

// ---- EntryFilter ---------------------------------------------------------------------------

EntryFilter::EntryFilter(const Ctx& c, const EntryColumns& cols)
    : EntryFilter(c, cols, c.from_ms, c.to_ms) {}

EntryFilter::EntryFilter(const Ctx& c, const EntryColumns& cols, ScopeOnly)
    : EntryFilter(c, cols, INT64_MIN, INT64_MAX) {
    brand_ = brand_text_ = region_ = store_ = kAny;
}

EntryFilter::EntryFilter(const Ctx& c, const EntryColumns& cols, std::int64_t from, std::int64_t to)
    : c_(c), cols_(cols), from_(from), to_(to), global_(c.q.scope.global) {
    const auto& q = c.q;
    if (q.brand) {
        brand_ = one(q.brand);
        auto n = cols.find_text(q.brand->to_text());
        brand_text_ = cols.spec().brand_set >= 0 && n ? *n : kNoMatch;
    }
    if (q.region) {
        region_ = one(q.region);
        region_stores_ = set_of(c.region_filter_stores_);
    }
    if (q.store) store_ = one(q.store);
    if (!global_) {
        scope_regions_ = set_of(c.regions_);
        scope_stores_ = set_of(c.stores_);
        scope_brands_ = set_of(c.brands_);
        scope_by_brand_ = !c.brands_.empty();
    }
}

EntryFilter::Set EntryFilter::set_of(const std::vector<Id128>& ids) const {
    Set out(cols_.ids() + 1, 0);
    for (const auto& id : ids)
        if (auto n = cols_.number(id)) out[*n] = 1;
    return out;
}

std::uint32_t EntryFilter::one(const std::optional<Id128>& id) const {
    auto n = cols_.number(*id);
    return n ? *n : kNoMatch;
}

bool EntryFilter::covered(std::uint32_t region, std::uint32_t store, std::uint32_t brand) const {
    constexpr auto kNone = EntryColumns::kNone;
    if (scope_by_brand_ && brand != kNone && !scope_brands_[brand]) return false;
    return (store == kNone && region == kNone) || (store != kNone && scope_stores_[store]) ||
           (region != kNone && scope_regions_[region]);
}

Result<bool> EntryFilter::parent_covered(std::uint32_t parent) {
    if (parent == EntryColumns::kNone) return false;
    if (auto it = parent_covered_.find(parent); it != parent_covered_.end()) return it->second;
    // The parent kinds (a person, a tracked link) have a region, a store and a brand.
    auto& st = c_.store.db().cached("SELECT f_region, f_store, f_brand FROM " +
                                    table_name(cols_.spec().parent_kind) +
                                    " p WHERE p.eid=?1 AND " + Ctx::visible("p"));
    st.reset();
    st.bind_blob(1, cols_.id(parent).bytes.data(), 16);
    const Step s = st.step();
    if (s == Step::kError) return Status::storage(st.error());
    bool in = false;
    if (s == Step::kRow) {
        const auto region = id_at(st, 0), store = id_at(st, 1), brand = id_at(st, 2);
        const bool brand_ok = !scope_by_brand_ || !brand || contains(c_.brands_, brand);
        in = brand_ok &&
             ((!store && !region) || contains(c_.stores_, store) || contains(c_.regions_, region));
    }
    st.reset();
    return parent_covered_[parent] = in;
}

Result<bool> EntryFilter::keeps(std::size_t r) {
    constexpr auto kNone = EntryColumns::kNone;
    const auto& k = cols_;
    if (!k.live[r]) return false;
    const std::int64_t at = k.at[r];
    if (at == INT64_MIN || at < from_ || at >= to_) return false;
    if (brand_ != kAny && k.brand[r] != brand_) {
        if (brand_text_ == kNoMatch) return false;
        const auto set = k.elems(std::size_t(k.spec().brand_set), r);
        if (std::find(set.begin(), set.end(), brand_text_) == set.end()) return false;
    }
    if (region_ != kAny && k.region[r] != region_ &&
        !(k.region[r] == kNone && k.store[r] != kNone && region_stores_[k.store[r]]))
        return false;
    if (store_ != kAny && k.store[r] != store_) return false;
    if (global_) return true;
    if (k.region[r] == kNone && k.brand[r] == kNone && k.store[r] == kNone)
        return parent_covered(k.parent[r]);
    return covered(k.region[r], k.store[r], k.brand[r]);
}

}  // namespace liaison::core::reports
