#include "core/query/people_index.hpp"

#include <algorithm>
#include <numeric>

#include "core/model/validate.hpp"

namespace liaison::core {
namespace {

using Step = Statement::Step;

const KindDef& person_kind() { return kind_def(Kind::kInfluencer); }

// The person's text value of `field`, or null.
const std::string* text_of(const RowState& row, const char* field) {
    return std::get_if<std::string>(&row.values[std::size_t(person_kind().field_index(field))]);
}

int enum_of(const RowState& row, const char* field) {
    const auto& choices =
        person_kind().fields[std::size_t(person_kind().field_index(field))].choices;
    const std::string* v = text_of(row, field);
    if (!v) return -1;
    auto it = std::find(choices.begin(), choices.end(), *v);
    return it == choices.end() ? -1 : int(it - choices.begin());
}

std::optional<Id128> ref_of(const RowState& row, const char* field) {
    const std::string* v = text_of(row, field);
    if (!v) return std::nullopt;
    return Id128::from_text(*v);
}

template <class T>
bool any_of_list(const std::vector<T>& wanted, const T& have) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), have) != wanted.end();
}

bool any_shared(const std::vector<std::string>& wanted, const std::vector<std::string>& have) {
    if (wanted.empty()) return true;
    for (const auto& h : have)
        if (std::find(wanted.begin(), wanted.end(), h) != wanted.end()) return true;
    return false;
}

// The latest `at` and the number of visible rows of `kind` whose subject is one of `ids`.
Status contacts_of(Store& store, Kind kind, const std::vector<Id128>& ids,
                   std::optional<std::int64_t>& last, std::int64_t& count) {
    const auto& k = kind_def(kind);
    std::string sql = "SELECT max(" + value_column(k.fields[std::size_t(k.field_index("at"))]) +
                      "),count(*) FROM " + table_name(kind) + " WHERE " +
                      value_column(k.fields[std::size_t(k.field_index("influencer"))]) + " IN (";
    for (std::size_t i = 0; i < ids.size(); ++i) sql += (i ? ",?" : "?") + std::to_string(i + 1);
    sql += ") AND created IS NOT NULL AND deleted IS NULL";
    auto& st = store.db().cached(sql);
    for (std::size_t i = 0; i < ids.size(); ++i) st.bind_blob(int(i) + 1, ids[i].bytes.data(), 16);
    if (st.step() != Step::kRow) return Status::storage(st.error());
    if (!st.column_is_null(0)) {
        const std::int64_t at = st.column_int(0);
        if (!last || at > *last) last = at;
    }
    count += st.column_int(1);
    st.reset();
    return Status::ok();
}

// The columns an interaction's follow-up is folded from (follow_ups.hpp): eid, subject,
// department, at, asks (a follow_up text or a due date), done, due.
std::string follow_up_select() {
    const auto& k = kind_def(Kind::kInteraction);
    auto col = [&](const char* f) { return value_column(k.fields[std::size_t(k.field_index(f))]); };
    return "SELECT eid," + col("influencer") + "," + col("department") + "," + col("at") + ",(" +
           col("follow_up") + "<>'' OR " + col("follow_up_due") + "<>'')," + col("follow_up_done") +
           "," + col("follow_up_due") + " FROM " + table_name(Kind::kInteraction) +
           " WHERE created IS NOT NULL AND deleted IS NULL";
}

void fold_row(Statement& st, FollowUpFold& fold) {
    fold.add(Id128::from_bytes(st.column_blob(0).data()),
             st.column_is_null(2) ? std::string() : st.column_text(2),
             st.column_is_null(3) ? 0 : st.column_int(3), !st.column_is_null(4) && st.column_int(4),
             !st.column_is_null(5) && st.column_int(5),
             st.column_is_null(6) ? std::string() : st.column_text(6));
}

}  // namespace

bool PersonEntry::has_brand(const Id128& b) const {
    return (brand && *brand == b) || std::find(brands.begin(), brands.end(), b) != brands.end();
}

bool PeopleFilter::keeps(const PersonEntry& p) const {
    if (!any_of_list(tiers, p.tier) || !any_of_list(statuses, p.status) ||
        !any_of_list(consent_bases, p.consent_basis) || !any_of_list(vettings, p.vetting))
        return false;
    if (!any_of_list(countries, p.country)) return false;
    if (roles && !(roles & p.roles)) return false;
    if (!any_shared(topics, p.topics) || !any_shared(languages, p.languages) ||
        !any_shared(platforms, p.platforms))
        return false;
    if (no_owner && p.owner) return false;
    if (owner && p.owner != owner) return false;
    if (region && p.region != region) return false;
    if (store && p.store != store) return false;
    if (brand && !p.has_brand(*brand)) return false;
    if (audience_min && p.audience < *audience_min) return false;
    if (contact_before && p.last_contact && *p.last_contact >= *contact_before) return false;
    if (contact_after && (!p.last_contact || *p.last_contact < *contact_after)) return false;
    if (!only.empty() && std::find(only.begin(), only.end(), p.id) == only.end()) return false;
    return true;
}

const PersonEntry* PeopleIndex::find(const Id128& id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &entries_[it->second];
}

void PeopleIndex::drop(const Id128& id) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return;
    entries_[it->second] = PersonEntry{};
    by_id_.erase(it);
    dropped_ = true;
}

// Reads the person `id` as she is now: kept if she is visible and not merged into another.
Status PeopleIndex::load_person(Store& store, const Id128& id, bool count_contacts) {
    if (store.root_of(id) != id || store.is_erased(id)) {
        drop(id);
        return Status::ok();
    }
    auto row = store.load_row(Kind::kInfluencer, id);
    if (!row) return row.status();
    if (!row.value() || !row.value()->visible()) {
        drop(id);
        return Status::ok();
    }
    const RowState& r = *row.value();
    PersonEntry p;
    p.id = id;
    if (const std::string* name = text_of(r, "name")) p.name = *name;
    p.key = fold_for_match(p.name);
    p.tier = enum_of(r, "tier");
    p.status = enum_of(r, "status");
    p.consent = enum_of(r, "consent");
    p.consent_basis = enum_of(r, "consent_basis");
    p.vetting = enum_of(r, "vetting");
    if (const std::string* c = text_of(r, "country")) p.country = *c;
    p.owner = ref_of(r, "owner");
    p.region = ref_of(r, "region");
    p.store = ref_of(r, "store");
    p.brand = ref_of(r, "brand");

    auto dots = store.load_dots(id);
    if (!dots) return dots.status();
    const auto& k = person_kind();
    const int handles = k.set_index("handles"), roles = k.set_index("roles"),
              topics = k.set_index("topics"), languages = k.set_index("languages"),
              brands = k.set_index("brands");
    const auto& role_values = k.sets[std::size_t(roles)].choices;
    // An element is present while one of its dots is not removed (add-wins).
    std::vector<std::pair<int, std::string>> present;
    for (const auto& d : dots.value())
        if (!d.removed) present.emplace_back(d.set, d.elem);
    std::sort(present.begin(), present.end());
    present.erase(std::unique(present.begin(), present.end()), present.end());
    for (const auto& [set, elem] : present) {
        if (set == handles) {
            Handle h;
            if (!parse_handle(elem, h)) continue;
            p.audience = std::max(p.audience, h.audience);
            if (std::find(p.platforms.begin(), p.platforms.end(), h.platform) == p.platforms.end())
                p.platforms.push_back(h.platform);
        } else if (set == roles) {
            auto it = std::find(role_values.begin(), role_values.end(), elem);
            if (it != role_values.end() && it - role_values.begin() < 32)
                p.roles |= 1u << unsigned(it - role_values.begin());
        } else if (set == topics) {
            p.topics.push_back(elem);
        } else if (set == languages) {
            p.languages.push_back(elem);
        } else if (set == brands) {
            if (auto b = Id128::from_text(elem)) p.brands.push_back(*b);
        }
    }

    auto it = by_id_.find(id);
    if (it == by_id_.end()) {
        by_id_.emplace(id, std::uint32_t(entries_.size()));
        renamed_.push_back(std::uint32_t(entries_.size()));
        entries_.push_back(std::move(p));
        if (count_contacts) LIAISON_TRY(refresh_contacts(store, id));
    } else {
        PersonEntry& old = entries_[it->second];
        if (old.key != p.key) renamed_.push_back(it->second);
        p.last_contact = old.last_contact;
        p.contacts = old.contacts;
        p.follow_ups = std::move(old.follow_ups);
        old = std::move(p);
    }
    return Status::ok();
}

Status PeopleIndex::refresh_contacts(Store& store, const Id128& person) {
    auto it = by_id_.find(person);
    if (it == by_id_.end()) return Status::ok();
    PersonEntry& p = entries_[it->second];
    p.last_contact.reset();
    p.contacts = 0;
    const auto members = store.component_of(person);
    LIAISON_TRY(contacts_of(store, Kind::kInteraction, members, p.last_contact, p.contacts));
    LIAISON_TRY(contacts_of(store, Kind::kCheckin, members, p.last_contact, p.contacts));
    // Her open follow-ups, folded from her interactions and her merged duplicates' (F1).
    const auto& k = kind_def(Kind::kInteraction);
    std::string sql = follow_up_select() + " AND " +
                      value_column(k.fields[std::size_t(k.field_index("influencer"))]) + " IN (";
    for (std::size_t i = 0; i < members.size(); ++i)
        sql += (i ? ",?" : "?") + std::to_string(i + 1);
    auto& st = store.db().cached(sql + ")");
    for (std::size_t i = 0; i < members.size(); ++i)
        st.bind_blob(int(i) + 1, members[i].bytes.data(), 16);
    FollowUpFold fold;
    Step s;
    while ((s = st.step()) == Step::kRow) fold_row(st, fold);
    st.reset();
    if (s == Step::kError) return Status::storage(st.error());
    p.follow_ups = fold.open();
    return Status::ok();
}

void PeopleIndex::each(const std::function<void(const PersonEntry&)>& f) const {
    for (const auto& p : entries_)
        if (!p.id.is_nil()) f(p);
}

Status PeopleIndex::rebuild(Store& store) {
    entries_.clear();
    by_id_.clear();
    by_name_.clear();
    name_rank_.clear();
    renamed_.clear();
    dropped_ = false;
    const std::int64_t upto = store.last_seq();
    std::vector<Id128> ids;
    {
        auto& st = store.db().cached("SELECT eid FROM " + table_name(Kind::kInfluencer) +
                                     " WHERE created IS NOT NULL AND deleted IS NULL");
        Step s;
        while ((s = st.step()) == Step::kRow)
            ids.push_back(Id128::from_bytes(st.column_blob(0).data()));
        if (s == Step::kError) return Status::storage(st.error());
        st.reset();
    }
    entries_.reserve(ids.size());
    for (const auto& id : ids) {
        if (store.root_of(id) != id || store.is_erased(id)) continue;
        // Contacts are counted below, in one pass over each log, not person by person.
        LIAISON_TRY(load_person(store, id, false));
    }
    // Every visible interaction and check-in, grouped by subject, folded into its survivor.
    for (Kind kind : {Kind::kInteraction, Kind::kCheckin}) {
        const auto& k = kind_def(kind);
        const std::string subject =
            value_column(k.fields[std::size_t(k.field_index("influencer"))]);
        auto& st =
            store.db().cached("SELECT " + subject + ",max(" +
                              value_column(k.fields[std::size_t(k.field_index("at"))]) +
                              "),count(*) FROM " + table_name(kind) +
                              " WHERE created IS NOT NULL AND deleted IS NULL GROUP BY " + subject);
        Step s;
        while ((s = st.step()) == Step::kRow) {
            if (st.column_is_null(0)) continue;
            auto it = by_id_.find(store.root_of(Id128::from_bytes(st.column_blob(0).data())));
            if (it == by_id_.end()) continue;
            PersonEntry& p = entries_[it->second];
            if (!st.column_is_null(1)) {
                const std::int64_t at = st.column_int(1);
                if (!p.last_contact || at > *p.last_contact) p.last_contact = at;
            }
            p.contacts += st.column_int(2);
        }
        if (s == Step::kError) return Status::storage(st.error());
        st.reset();
    }
    // Open follow-ups: one pass over the interactions, folded by survivor (F1).
    {
        std::unordered_map<std::uint32_t, FollowUpFold> folds;
        auto& st = store.db().cached(follow_up_select());
        Step s;
        while ((s = st.step()) == Step::kRow) {
            if (st.column_is_null(1)) continue;
            auto it = by_id_.find(store.root_of(Id128::from_bytes(st.column_blob(1).data())));
            if (it == by_id_.end()) continue;
            fold_row(st, folds[it->second]);
        }
        if (s == Step::kError) return Status::storage(st.error());
        st.reset();
        for (const auto& [i, fold] : folds) entries_[i].follow_ups = fold.open();
    }
    seen_ = upto;
    rank_names();
    return Status::ok();
}

Status PeopleIndex::catch_up(Store& store) {
    // A long backlog (an import, a first start on a big file) is read faster whole than change
    // by change: each changed contact costs a row read, a rebuild one pass per log.
    if (seen_ < 0 || store.last_seq() - seen_ > kRebuildAfter) return rebuild(store);
    constexpr std::size_t kBatch = 5'000;
    std::vector<Id128> people, contacted;
    for (;;) {
        auto changes = store.changes_since(seen_, kBatch);
        if (!changes) return changes.status();
        for (const auto& c : changes.value()) {
            seen_ = std::max(seen_, c.seq);
            switch (c.type) {
                case Store::Change::Type::kErased:
                    drop(c.id);
                    break;
                case Store::Change::Type::kAlias:
                    // The merged-away ids leave, whichever they are: an edge between two
                    // duplicates may give a third, merged earlier, a new survivor. The
                    // survivor's contacts now count the whole component's.
                    for (const auto& m : store.component_of(c.id)) people.push_back(m);
                    contacted.push_back(store.root_of(c.id));
                    break;
                case Store::Change::Type::kEntity:
                    if (c.kind == Kind::kInfluencer) {
                        people.push_back(c.id);
                    } else if (c.kind == Kind::kInteraction || c.kind == Kind::kCheckin) {
                        auto row = store.load_row(c.kind, c.id);
                        if (!row) return row.status();
                        if (!row.value()) break;
                        const auto& k = kind_def(c.kind);
                        const auto* subject = std::get_if<std::string>(
                            &row.value()->values[std::size_t(k.field_index("influencer"))]);
                        if (!subject) break;
                        if (auto id = Id128::from_text(*subject))
                            contacted.push_back(store.root_of(*id));
                    }
                    break;
            }
        }
        if (changes.value().size() < kBatch) break;
    }
    auto unique = [](std::vector<Id128>& v) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
    };
    unique(people);
    unique(contacted);
    for (const auto& id : people) LIAISON_TRY(load_person(store, id));
    for (const auto& id : contacted) LIAISON_TRY(refresh_contacts(store, id));
    rank_names();
    return Status::ok();
}

void PeopleIndex::rank_names() {
    if (renamed_.empty() && !dropped_ && name_rank_.size() == entries_.size()) return;
    auto before = [&](std::uint32_t a, std::uint32_t b) {
        if (entries_[a].key != entries_[b].key) return entries_[a].key < entries_[b].key;
        return entries_[a].id < entries_[b].id;
    };
    std::vector<char> moved(entries_.size(), 0);
    for (std::uint32_t i : renamed_) moved[i] = 1;
    // The rest keep their order; the moved ones are sorted alone and merged in.
    std::vector<std::uint32_t> kept;
    kept.reserve(entries_.size());
    for (std::uint32_t i : by_name_)
        if (i < entries_.size() && !moved[i] && !entries_[i].id.is_nil()) kept.push_back(i);
    std::vector<std::uint32_t> fresh;
    for (std::uint32_t i : renamed_)
        if (moved[i] == 1 && !entries_[i].id.is_nil()) {
            fresh.push_back(i);
            moved[i] = 2;  // once, however often it changed
        }
    std::sort(fresh.begin(), fresh.end(), before);
    by_name_.clear();
    by_name_.reserve(kept.size() + fresh.size());
    std::merge(kept.begin(), kept.end(), fresh.begin(), fresh.end(), std::back_inserter(by_name_),
               before);
    name_rank_.assign(entries_.size(), 0);
    for (std::size_t r = 0; r < by_name_.size(); ++r) name_rank_[by_name_[r]] = std::uint32_t(r);
    renamed_.clear();
    dropped_ = false;
}

PeoplePage PeopleIndex::query(const PeopleQuery& q) const {
    // The entries in the order they sit in memory: one pass, no hashing; a search's hits
    // (`only`) are looked up instead, one by one.
    std::vector<std::uint32_t> hits;
    auto consider = [&](std::uint32_t i) {
        const PersonEntry& p = entries_[i];
        if (!p.id.is_nil() && q.filter.keeps(p) && (!q.visible || q.visible(p))) hits.push_back(i);
    };
    if (!q.filter.only.empty()) {
        std::vector<std::uint32_t> found;
        for (const auto& id : q.filter.only)
            if (auto it = by_id_.find(id); it != by_id_.end()) found.push_back(it->second);
        std::sort(found.begin(), found.end());
        found.erase(std::unique(found.begin(), found.end()), found.end());
        PeopleQuery rest = q;  // `only` is already applied
        rest.filter.only.clear();
        for (std::uint32_t i : found) {
            const PersonEntry& p = entries_[i];
            if (rest.filter.keeps(p) && (!q.visible || q.visible(p))) hits.push_back(i);
        }
    } else {
        for (std::uint32_t i = 0; i < entries_.size(); ++i) consider(i);
    }
    PeoplePage page;
    page.total = hits.size();
    if (q.offset >= hits.size()) return page;
    // Ascending order of each sort, ties by name; `descending` reverses the key, not the ties.
    // People never contacted come last either way.
    auto before = [&](std::uint32_t a, std::uint32_t b) {
        const PersonEntry &x = entries_[a], &y = entries_[b];
        const bool d = q.descending;
        switch (q.sort) {
            case PeopleSort::kName:
                break;
            case PeopleSort::kLastContact:
                if (x.last_contact != y.last_contact) {
                    if (!x.last_contact) return false;
                    if (!y.last_contact) return true;
                    return d ? *x.last_contact > *y.last_contact
                             : *x.last_contact < *y.last_contact;
                }
                break;
            case PeopleSort::kAudience:
                if (x.audience != y.audience)
                    return d ? x.audience > y.audience : x.audience < y.audience;
                break;
            case PeopleSort::kContacts:
                if (x.contacts != y.contacts)
                    return d ? x.contacts > y.contacts : x.contacts < y.contacts;
                break;
            case PeopleSort::kTier: {
                // Unset tiers after the last one.
                const int tx = x.tier < 0 ? 1000 : x.tier, ty = y.tier < 0 ? 1000 : y.tier;
                if (tx != ty) return d ? tx > ty : tx < ty;
                break;
            }
        }
        const bool by_name_desc = d && q.sort == PeopleSort::kName;
        return by_name_desc ? name_rank_[a] > name_rank_[b] : name_rank_[a] < name_rank_[b];
    };
    const std::size_t end = std::min(hits.size(), q.offset + q.limit);
    std::partial_sort(hits.begin(), hits.begin() + std::ptrdiff_t(end), hits.end(), before);
    for (std::size_t i = q.offset; i < end; ++i) page.people.push_back(&entries_[hits[i]]);
    return page;
}

}  // namespace liaison::core
