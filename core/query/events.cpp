#include "core/query/events.hpp"

#include <algorithm>
#include <map>

#include "core/query/queries.hpp"

namespace liaison::core {
namespace {

using Step = Statement::Step;

Id128 blob_id(const Statement& st, int col) {
    auto b = st.column_blob(col);
    return b.size() == 16 ? Id128::from_bytes(b.data()) : Id128{};
}

}  // namespace

Result<std::vector<EventSummary>> list_events(Store& store, std::size_t limit) {
    std::map<Id128, std::int64_t> counts;
    auto& cs = store.db().cached(
        "SELECT f_event, count(*) FROM k_checkin WHERE created IS NOT NULL AND deleted IS NULL "
        "GROUP BY f_event");
    Step s;
    while ((s = cs.step()) == Step::kRow) counts[blob_id(cs, 0)] = cs.column_int(1);
    if (s == Step::kError) return Status::storage(cs.error());

    std::vector<Id128> ids;
    auto& st = store.db().cached(
        "SELECT eid FROM k_event WHERE created IS NOT NULL ORDER BY f_starts DESC, eid LIMIT ?1");
    st.bind(1, std::int64_t(limit));
    while ((s = st.step()) == Step::kRow) ids.push_back(blob_id(st, 0));
    if (s == Step::kError) return Status::storage(st.error());

    std::vector<EventSummary> out;
    for (const auto& id : ids) {
        auto row = get_entity(store, Kind::kEvent, id);
        if (!row) return row.status();
        if (!row.value()) continue;
        auto it = counts.find(id);
        out.push_back({std::move(*row.value()), it == counts.end() ? 0 : it->second});
    }
    return out;
}

Result<std::vector<CheckinEntry>> event_checkins(Store& store, const Id128& event,
                                                 std::size_t limit) {
    std::vector<CheckinEntry> out;
    auto& st = store.db().cached(
        "SELECT eid, f_at, f_walk_in, f_influencer FROM k_checkin WHERE f_event=?1 "
        "AND created IS NOT NULL AND deleted IS NULL ORDER BY f_at DESC, eid DESC LIMIT ?2");
    st.bind_blob(1, event.bytes.data(), 16).bind(2, std::int64_t(limit));
    Step s;
    while ((s = st.step()) == Step::kRow) {
        CheckinEntry e;
        e.id = blob_id(st, 0);
        e.at = st.column_int(1);
        e.walk_in = st.column_int(2) != 0;
        e.influencer = blob_id(st, 3);
        out.push_back(std::move(e));
    }
    if (s == Step::kError) return Status::storage(st.error());
    const int name = kind_def(Kind::kInfluencer).field_index("name");
    for (auto& e : out) {
        if (store.is_erased(e.influencer)) continue;
        auto row = get_entity(store, Kind::kInfluencer, e.influencer);
        if (!row) return row.status();
        if (!row.value()) continue;
        e.influencer = row.value()->id;
        if (auto* n = std::get_if<std::string>(&row.value()->values[std::size_t(name)]))
            e.influencer_name = *n;
    }
    // A guest erased after checking in leaves no entry (the erase cascade removes the row;
    // this only guards a reply that is still being applied).
    out.erase(std::remove_if(out.begin(), out.end(),
                             [&](const CheckinEntry& e) { return store.is_erased(e.influencer); }),
              out.end());
    return out;
}

Result<std::int64_t> checkin_count(Store& store, const Id128& event) {
    auto& st = store.db().cached(
        "SELECT count(*) FROM k_checkin WHERE f_event=?1 AND created IS NOT NULL AND deleted IS "
        "NULL");
    st.bind_blob(1, event.bytes.data(), 16);
    if (st.step() != Step::kRow) return Status::storage(st.error());
    std::int64_t n = st.column_int(0);
    st.reset();
    return n;
}

Result<std::optional<Id128>> find_checkin(Store& store, const Id128& event,
                                          const Id128& influencer) {
    auto& st = store.db().cached(
        "SELECT eid, f_influencer FROM k_checkin WHERE f_event=?1 AND created IS NOT NULL "
        "AND deleted IS NULL");
    st.bind_blob(1, event.bytes.data(), 16);
    const Id128 root = store.root_of(influencer);
    std::optional<Id128> found;
    Step s;
    while ((s = st.step()) == Step::kRow) {
        if (store.root_of(blob_id(st, 1)) == root) {
            found = blob_id(st, 0);
            break;
        }
    }
    if (s == Step::kError) return Status::storage(st.error());
    st.reset();
    return found;
}

}  // namespace liaison::core
