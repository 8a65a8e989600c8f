#include "core/query/events.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>

#include "core/query/queries.hpp"
#include "core/storage/dialect.hpp"

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

    std::map<Id128, std::pair<std::int64_t, std::int64_t>> invited;  // event -> (invited, accepted)
    auto& is = store.db().cached(
        "SELECT f_event, count(*), sum(CASE WHEN f_status = 'accepted' THEN 1 ELSE 0 END) FROM "
        "k_invitation WHERE created IS NOT NULL AND deleted IS NULL AND f_status IS DISTINCT FROM "
        "'cancelled' GROUP BY f_event");
    while ((s = is.step()) == Step::kRow)
        invited[blob_id(is, 0)] = {is.column_int(1), is.column_int(2)};
    if (s == Step::kError) return Status::storage(is.error());

    std::vector<Id128> ids;
    auto& st = store.db().cached(
        "SELECT eid FROM k_event WHERE created IS NOT NULL ORDER BY f_starts DESC NULLS LAST, eid "
        "LIMIT ?1");
    st.bind(1, sql_limit(limit));
    while ((s = st.step()) == Step::kRow) ids.push_back(blob_id(st, 0));
    if (s == Step::kError) return Status::storage(st.error());

    std::vector<EventSummary> out;
    for (const auto& id : ids) {
        auto row = get_entity(store, Kind::kEvent, id);
        if (!row) return row.status();
        if (!row.value()) continue;
        auto it = counts.find(id);
        auto inv = invited.find(id);
        EventSummary e{std::move(*row.value()), it == counts.end() ? 0 : it->second};
        if (inv != invited.end()) std::tie(e.invited, e.accepted) = inv->second;
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<CheckinEntry>> event_checkins(Store& store, const Id128& event,
                                                 std::size_t limit) {
    std::vector<CheckinEntry> out;
    auto& st = store.db().cached(
        "SELECT eid, f_at, f_walk_in, f_influencer FROM k_checkin WHERE f_event=?1 "
        "AND created IS NOT NULL AND deleted IS NULL ORDER BY f_at DESC NULLS LAST, eid "
        "DESC LIMIT ?2");
    st.bind_blob(1, event.bytes.data(), 16).bind(2, sql_limit(limit));
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

namespace {

// The door's order (Attendance::guests): checked in, then by the invitation's answer.
int guest_rank(const GuestEntry& g) {
    if (g.checkin) return 0;
    static const char* const kOrder[] = {"accepted", "invited", "declined", "cancelled"};
    for (int i = 0; i < 4; ++i)
        if (g.status == kOrder[i]) return 1 + i;
    return 5;
}

}  // namespace

Result<Attendance> event_attendance(Store& store, const Id128& event, std::size_t limit) {
    std::map<Id128, GuestEntry> guests;  // by the record each guest is now
    const int name = kind_def(Kind::kInfluencer).field_index("name");
    // The guest's entry, or null when she was erased (the cascade removes her rows; this only
    // guards a reply that is still being applied).
    auto guest = [&](const Id128& who) -> Result<GuestEntry*> {
        if (store.is_erased(who)) return static_cast<GuestEntry*>(nullptr);
        const Id128 root = store.root_of(who);
        auto it = guests.find(root);
        if (it != guests.end()) return &it->second;
        GuestEntry g;
        g.influencer = root;
        auto row = get_entity(store, Kind::kInfluencer, root);
        if (!row) return row.status();
        if (row.value())
            if (auto* n = std::get_if<std::string>(&row.value()->values[std::size_t(name)]))
                g.name = *n;
        return &guests.emplace(root, std::move(g)).first->second;
    };

    auto& st = store.db().cached(
        "SELECT eid, f_influencer, f_at, f_status, f_plus_ones FROM k_invitation WHERE f_event=?1 "
        "AND created IS NOT NULL AND deleted IS NULL");
    st.bind_blob(1, event.bytes.data(), 16);
    struct Invitation {
        Id128 id, who;
        std::int64_t at, plus_ones;
        std::string status;
    };
    std::vector<Invitation> invitations;
    Step s;
    while ((s = st.step()) == Step::kRow) {
        std::string status = st.column_text(3);
        invitations.push_back({blob_id(st, 0), blob_id(st, 1), st.column_int(2), st.column_int(4),
                               status.empty() ? "invited" : status});
    }
    if (s == Step::kError) return Status::storage(st.error());
    for (const auto& inv : invitations) {
        auto found = guest(inv.who);
        if (!found) return found.status();
        GuestEntry* g = found.value();
        if (!g) continue;
        // Of two invitations of people since merged, the latest speaks for the guest.
        if (g->invitation &&
            (g->invited_at > inv.at || (g->invited_at == inv.at && *g->invitation > inv.id)))
            continue;
        g->invitation = inv.id;
        g->invited_at = inv.at;
        g->status = inv.status;
        g->plus_ones = inv.plus_ones;
    }
    auto checkins = event_checkins(store, event, SIZE_MAX);
    if (!checkins) return checkins.status();
    for (const auto& c : checkins.value()) {  // newest first: the first one kept is the latest
        auto found = guest(c.influencer);
        if (!found) return found.status();
        GuestEntry* g = found.value();
        if (!g || g->checkin) continue;
        g->checkin = c.id;
        g->checked_in_at = c.at;
        g->walk_in = c.walk_in;
    }

    Attendance a;
    std::vector<GuestEntry> list;
    list.reserve(guests.size());
    for (auto& [id, g] : guests) {
        if (g.invitation) {
            if (g.status == "cancelled") {
                ++a.cancelled;
            } else {
                ++a.invited;
                if (g.status == "accepted") {
                    ++a.accepted;
                    a.expected += 1 + g.plus_ones;
                } else if (g.status == "declined") {
                    ++a.declined;
                }
            }
        }
        if (g.checkin) {
            ++a.checked_in;
            if (!g.invitation || g.status == "cancelled") ++a.uninvited;
        }
        list.push_back(std::move(g));
    }
    std::sort(list.begin(), list.end(), [](const GuestEntry& x, const GuestEntry& y) {
        const int rx = guest_rank(x), ry = guest_rank(y);
        if (rx != ry) return rx < ry;
        if (rx == 0 && x.checked_in_at != y.checked_in_at) return x.checked_in_at > y.checked_in_at;
        if (x.name != y.name) return x.name < y.name;
        return x.influencer < y.influencer;
    });
    a.guests_total = list.size();
    if (list.size() > limit) list.resize(limit);
    a.guests = std::move(list);
    return a;
}

}  // namespace liaison::core
