#include "core/query/reports/contact_columns.hpp"

#include <algorithm>

#include "core/query/reports/context.hpp"

namespace liaison::core::reports {
namespace {

using Step = Statement::Step;

// The columns a row is read with, in the order put() reads them.
constexpr const char* kSelect =
    "SELECT eid, created IS NOT NULL AND deleted IS NULL, f_at, f_influencer, f_region, f_store, "
    "f_brand, f_campaign, f_department, f_touchpoint, f_follow_up_due, f_follow_up_done FROM "
    "k_interaction";

std::size_t hash_of(const Id128& id) { return Id128Hash{}(id); }

bool contains(const std::vector<Id128>& ids, const std::optional<Id128>& id) {
    return id && std::find(ids.begin(), ids.end(), *id) != ids.end();
}

}  // namespace

std::optional<std::uint32_t> ContactColumns::number(const Id128& id) const {
    auto it = id_numbers_.find(id);
    if (it == id_numbers_.end()) return std::nullopt;
    return it->second;
}

std::uint32_t ContactColumns::id_number(Statement& st, int col) {
    const auto b = st.column_blob(col);
    if (b.size() != 16) return kNone;
    const Id128 id = Id128::from_bytes(b.data());
    auto [it, added] = id_numbers_.emplace(id, std::uint32_t(ids_.size() + 1));
    if (added) ids_.push_back(id);
    return it->second;
}

std::uint32_t ContactColumns::text_number(Statement& st, int col) {
    if (st.column_is_null(col)) return kNone;
    std::string t(st.column_text_view(col));
    auto it = text_numbers_.find(t);
    if (it != text_numbers_.end()) return it->second;
    texts_.push_back(t);
    return text_numbers_.emplace(std::move(t), std::uint32_t(texts_.size())).first->second;
}

std::uint32_t* ContactColumns::slot(const Id128& eid) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash_of(eid) & mask;; i = (i + 1) & mask)
        if (slots_[i] == 0 || eid_[slots_[i] - 1] == eid) return &slots_[i];
}

void ContactColumns::grow() {
    std::vector<std::uint32_t> old;
    old.swap(slots_);
    slots_.assign(std::max<std::size_t>(1024, old.size() * 2), 0);
    for (std::uint32_t row = 0; row < eid_.size(); ++row) *slot(eid_[row]) = row + 1;
}

void ContactColumns::put(Statement& st) {
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
        for (auto* v : {&person, &region, &store, &brand, &campaign, &department, &touchpoint,
                        &follow_up_due})
            v->push_back(kNone);
        follow_up_done.push_back(0);
    }
    live[r] = st.column_int(1) != 0;
    at[r] = st.column_is_null(2) ? INT64_MIN : st.column_int(2);
    person[r] = id_number(st, 3);
    region[r] = id_number(st, 4);
    store[r] = id_number(st, 5);
    brand[r] = id_number(st, 6);
    campaign[r] = id_number(st, 7);
    department[r] = text_number(st, 8);
    touchpoint[r] = text_number(st, 9);
    follow_up_due[r] = text_number(st, 10);
    follow_up_done[r] = st.column_int(11);
}

void ContactColumns::drop(const Id128& eid) {
    if (slots_.empty()) return;
    if (std::uint32_t* s = slot(eid); *s) live[*s - 1] = 0;
}

std::size_t ContactColumns::bytes() const {
    auto of = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    std::size_t n = of(live) + of(at) + of(follow_up_done) + of(eid_) + of(slots_) + of(ids_);
    for (const auto* v :
         {&person, &region, &store, &brand, &campaign, &department, &touchpoint, &follow_up_due})
        n += of(*v);
    // A node of an unordered_map: the pair, the next pointer and the cached hash, plus its
    // bucket.
    n += id_numbers_.size() * (sizeof(std::pair<Id128, std::uint32_t>) + 3 * sizeof(void*));
    for (const auto& t : texts_) n += 2 * (sizeof(std::string) + t.capacity()) + 3 * sizeof(void*);
    return n;
}

Status ContactColumns::rebuild(Store& store) {
    *this = ContactColumns();
    const std::int64_t upto = store.last_seq();
    auto& st = store.db().cached(kSelect);
    Step s;
    while ((s = st.step()) == Step::kRow) put(st);
    if (s == Step::kError) return Status::storage(st.error());
    st.reset();
    // Grown by doubling while read: give the slack back (a catch-up grows them again).
    live.shrink_to_fit();
    at.shrink_to_fit();
    follow_up_done.shrink_to_fit();
    eid_.shrink_to_fit();
    for (auto* v : {&person, &region, &this->store, &brand, &campaign, &department, &touchpoint,
                    &follow_up_due})
        v->shrink_to_fit();
    seen_ = upto;
    return Status::ok();
}

Status ContactColumns::catch_up(Store& store) {
    if (seen_ < 0 || store.last_seq() - seen_ > kRebuildAfter) return rebuild(store);
    constexpr std::size_t kBatch = 5'000;
    auto& one = store.db().cached(std::string(kSelect) + " WHERE eid=?1");
    for (;;) {
        auto changes = store.changes_since(seen_, kBatch);
        if (!changes) return changes.status();
        for (const auto& c : changes.value()) {
            seen_ = std::max(seen_, c.seq);
            if (c.type == Store::Change::Type::kErased) {
                drop(c.id);
            } else if (c.type == Store::Change::Type::kEntity && c.kind == Kind::kInteraction) {
                one.reset();
                one.bind_blob(1, c.id.bytes.data(), 16);
                const Step s = one.step();
                if (s == Step::kError) return Status::storage(one.error());
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

// ---- ContactFilter ---------------------------------------------------------------------------

ContactFilter::ContactFilter(const Ctx& c, const ContactColumns& cols)
    : ContactFilter(c, cols, c.from_ms, c.to_ms) {}

ContactFilter::ContactFilter(const Ctx& c, const ContactColumns& cols, std::int64_t from,
                             std::int64_t to)
    : c_(c), cols_(cols), from_(from), to_(to), global_(c.q.scope.global) {
    const auto& q = c.q;
    if (q.campaign) {
        campaign_ = one(q.campaign);
    } else if (q.programme) {
        by_programme_ = true;
        programme_campaigns_ = set_of(c.campaigns);
    }
    if (q.brand) brand_ = one(q.brand);
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

ContactFilter::Set ContactFilter::set_of(const std::vector<Id128>& ids) const {
    Set out(cols_.ids() + 1, 0);
    for (const auto& id : ids)
        if (auto n = cols_.number(id)) out[*n] = 1;
    return out;
}

std::uint32_t ContactFilter::one(const std::optional<Id128>& id) const {
    auto n = cols_.number(*id);
    return n ? *n : kNoMatch;
}

bool ContactFilter::covered(std::uint32_t region, std::uint32_t store, std::uint32_t brand) const {
    constexpr auto kNone = ContactColumns::kNone;
    if (scope_by_brand_ && brand != kNone && !scope_brands_[brand]) return false;
    return (store == kNone && region == kNone) || (store != kNone && scope_stores_[store]) ||
           (region != kNone && scope_regions_[region]);
}

Result<bool> ContactFilter::person_covered(std::uint32_t person) {
    if (person == ContactColumns::kNone) return false;
    if (auto it = person_covered_.find(person); it != person_covered_.end()) return it->second;
    auto& st = c_.store.db().cached(
        "SELECT f_region, f_store, f_brand FROM k_influencer p WHERE p.eid=?1 AND " +
        Ctx::visible("p"));
    st.reset();
    st.bind_blob(1, cols_.id(person).bytes.data(), 16);
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
    return person_covered_[person] = in;
}

Result<bool> ContactFilter::keeps(std::size_t r) {
    constexpr auto kNone = ContactColumns::kNone;
    const auto& k = cols_;
    if (!k.live[r]) return false;
    const std::int64_t at = k.at[r];
    if (at == INT64_MIN || at < from_ || at >= to_) return false;
    if (campaign_ != kAny && k.campaign[r] != campaign_) return false;
    if (by_programme_ && (k.campaign[r] == kNone || !programme_campaigns_[k.campaign[r]]))
        return false;
    if (brand_ != kAny && k.brand[r] != brand_) return false;
    if (region_ != kAny && k.region[r] != region_ &&
        !(k.region[r] == kNone && k.store[r] != kNone && region_stores_[k.store[r]]))
        return false;
    if (store_ != kAny && k.store[r] != store_) return false;
    if (global_) return true;
    if (k.region[r] == kNone && k.brand[r] == kNone && k.store[r] == kNone)
        return person_covered(k.person[r]);
    return covered(k.region[r], k.store[r], k.brand[r]);
}

}  // namespace liaison::core::reports
