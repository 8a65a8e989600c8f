// The relationship-health report (docs/METRICS.md "Relationship health"): per tier, as of the
// period's end (`to`) or today, who owns the relationships, how long since the last contact,
// who was never contacted, who is retained, how hard people are being contacted, and the
// follow-ups left overdue.
//
// "As of" is an instant A: the start of the day after `to` (the whole of that day counts), or
// the query's now_ms. A contact counts when it is visible, in the caller's scope, matches the
// filters that apply to contacts, and happened before A. The figures fold the contacts in one
// pass: rows of SQL, or the server's columns (reports/entry_columns.hpp).
#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "core/query/reports/context.hpp"
#include "core/query/reports/entry_columns.hpp"

namespace liaison::core::reports {
namespace {

// health.retained/1: a "quarter" is a 91-day window ending at A, not a calendar quarter: the
// current calendar quarter would be nearly empty in its first days and drop everyone retained
// on the 1st of January, April, July and October.
constexpr std::int64_t kQuarterDays = 91;
// health.contact_pressure/1: the contacts of the 30 days before A.
constexpr std::int64_t kPressureDays = 30;
// Buckets of contact pressure: 0, 1, 2, 3–5, 6 and more contacts.
constexpr std::string_view kPressure[] = {"p0", "p1", "p2", "p3_5", "p6_plus"};
constexpr std::size_t bucket(std::int64_t n) { return n <= 2 ? std::size_t(n) : n <= 5 ? 3 : 4; }

// The tiers in the pyramid's order (core/model/schema.cpp), then people without one.
constexpr std::string_view kHealthTiers[] = {"top",      "expert",   "employee",
                                             "advocate", "prospect", ""};

struct HealthPerson {
    std::string tier;
    bool owned = false;
    std::int64_t last_at = 0;  // the last contact before A, ms
    bool contacted = false, retained = false;
    std::int64_t recent = 0;   // contacts in the pressure window
    std::int64_t overdue = 0;  // overdue follow-ups
};

struct TierRow {
    std::int64_t people = 0, owned = 0, never = 0, retained = 0, overdue = 0;
    std::vector<std::int64_t> days;  // days since the last contact, of those contacted
    std::array<std::int64_t, std::size(kPressure)> pressure{};
};

// The median of `v` (sorted here): the middle value, or the mean of the two middle values of
// an even count; null when empty.
Cell median(std::vector<std::int64_t> v) {
    if (v.empty()) return Cell::null();
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    if (n % 2) return Cell::fixed(double(v[n / 2]));
    // Exact: the sum of two whole numbers halved is x.0 or x.5.
    return Cell{Cell::Type::kFixed, (v[n / 2 - 1] + v[n / 2]) * 5000, {}};
}

}  // namespace

Status health(Ctx& c, Report& out) {
    out.title = "Relationship health";
    const std::int64_t as_of = c.q.to.empty() ? c.q.now_ms : (c.to_day + 1) * kDayMs;
    const std::int64_t as_of_day = c.as_of_day;
    const std::string as_of_date = date_of_days(as_of_day);
    const std::int64_t quarters = c.settings.retained_quarters;
    const std::int64_t quarter_ms = kQuarterDays * kDayMs;
    const std::string A = std::to_string(as_of);

    // The people the scope and filters select.
    std::unordered_map<Id128, HealthPerson, Id128Hash> people;
    LIAISON_TRY(
        c.each("SELECT a.eid, COALESCE(a.f_tier,''), a.f_owner IS NOT NULL FROM "
               "k_influencer a WHERE " +
                   c.rows(Kind::kInfluencer, "a"),
               [&](Statement& r) {
                   auto id = id_at(r, 0);
                   if (!id) return;
                   HealthPerson p;
                   p.tier = std::string(r.column_text(1));
                   p.owned = r.column_int(2) != 0;
                   people.emplace(*id, std::move(p));
               }));

    // One scan of the contacts before A, folded here (SQLite's GROUP BY sorts every row, and
    // a correlated "newest of its department" probe per follow-up is quadratic in a busy
    // person's contacts): per person the last contact, the contacts of the pressure window and
    // the quarters (window k = [A-(k+1)·91 d, A-k·91 d)) she was contacted in; per person and
    // department the newest contact, whose follow-up is overdue when it asked for one dated
    // before the as-of day and it is not marked done (rules F1 and F2 of
    // core/query/follow_ups.hpp: a later contact of the department followed it up).
    const std::string contacts =
        c.rows(Kind::kInteraction, "a") + " AND a.f_at IS NOT NULL AND a.f_at<" + A;
    struct Newest {
        std::int64_t at = INT64_MIN;
        Id128 id;
        bool overdue = false;
    };
    std::unordered_map<std::string, Newest> newest;  // person bytes + department
    std::unordered_map<Id128, std::uint32_t, Id128Hash> seen_quarters;
    const std::int64_t pressure_from = as_of - kPressureDays * kDayMs;
    const std::int64_t quarters_from = as_of - quarters * quarter_ms;
    // One contact, read from SQL or from the columns: `who` its person; `department` null
    // when unset; `due` "" when unset.
    auto fold = [&](const Id128& who, std::int64_t at, const Id128& id,
                    const std::string* department, std::string_view due, std::int64_t done) {
        auto it = people.find(who);
        if (it == people.end()) return;
        HealthPerson& p = it->second;
        if (!p.contacted || at > p.last_at) p.last_at = at;
        p.contacted = true;
        if (at >= pressure_from) ++p.recent;
        if (at >= quarters_from) seen_quarters[who] |= 1u << ((as_of - 1 - at) / quarter_ms);
        std::string key(reinterpret_cast<const char*>(who.bytes.data()), 16);
        // A department, or none (a group of its own, as `IS` compares).
        if (!department) {
            key += '\x01';
        } else {
            key += '\x02';
            key += *department;
        }
        Newest& n = newest[key];
        if (at > n.at || (at == n.at && n.id < id))
            n = {at, id, !due.empty() && due < as_of_date && done != 1};
    };
    if (c.contacts) {
        // The same contacts, from the columns kept in memory (reports/entry_columns.hpp).
        const EntryColumns& k = *c.contacts;
        EntryFilter keeps(c, k, INT64_MIN, as_of);
        LIAISON_TRY(each_kept(keeps, k, [&](std::size_t r) {
            if (k.parent[r] == EntryColumns::kNone) return;
            const auto dept = k.texts[kDepartment][r], due = k.texts[kFollowUpDue][r];
            fold(k.id(k.parent[r]), k.at[r], k.eid(r),
                 dept == EntryColumns::kNone ? nullptr : &k.text(dept),
                 due == EntryColumns::kNone ? std::string_view() : k.text(due),
                 k.ints[kFollowUpDone][r]);
        }));
    } else {
        LIAISON_TRY(
            c.each("SELECT a.f_influencer, a.f_at, a.eid, a.f_department, a.f_follow_up_due, "
                   "a.f_follow_up_done FROM k_interaction a WHERE " +
                       contacts,
                   [&](Statement& r) {
                       auto b = r.column_blob(0);
                       if (b.size() != 16) return;
                       auto e = r.column_blob(2);
                       const std::string department(r.column_text_view(3));
                       fold(Id128::from_bytes(b.data()), r.column_int(1),
                            e.size() == 16 ? Id128::from_bytes(e.data()) : Id128{},
                            r.column_is_null(3) ? nullptr : &department, r.column_text_view(4),
                            r.column_int(5));
                   }));
    }
    const std::uint32_t all_quarters = quarters >= 32 ? ~0u : (1u << quarters) - 1;
    for (const auto& [who, mask] : seen_quarters) people[who].retained = mask == all_quarters;
    for (const auto& [key, n] : newest)
        if (n.overdue)
            ++people[Id128::from_bytes(reinterpret_cast<const std::uint8_t*>(key.data()))].overdue;

    std::map<std::string, TierRow> tiers;
    TierRow all;
    for (const auto& [id, p] : people) {
        for (TierRow* t : {&tiers[p.tier], &all}) {
            ++t->people;
            t->owned += p.owned;
            if (p.contacted)
                t->days.push_back(as_of_day - day_of_ms(p.last_at));
            else
                ++t->never;
            t->retained += p.retained;
            t->overdue += p.overdue;
            ++t->pressure[bucket(p.recent)];
        }
    }

    Table h;
    h.id = "by_tier";
    h.title = "Relationship health by tier, as of " + as_of_date;
    h.chart = "bar";
    h.columns = {
        {"tier", "Tier", "text", "", ""},
        {"people", "People", "count", "health.people/1", ""},
        {"owned", "With an owner", "count", "health.owned/1", ""},
        {"owned_percent", "With an owner (%)", "percent", "health.owned/1", ""},
        {"median_days_since_contact", "Median days since the last contact", "days",
         "health.median_days_since_contact/1", ""},
        {"never_contacted", "Never contacted", "count", "health.never_contacted/1", ""},
        {"retained", "Retained", "count", "health.retained/1", ""},
        {"overdue_follow_ups", "Overdue follow-ups", "count", "health.overdue_follow_ups/1", ""}};
    Table pr;
    pr.id = "contact_pressure";
    pr.title = "Contact pressure: people by contacts in the last 30 days";
    pr.chart = "bar";
    pr.columns = {{"tier", "Tier", "text", "", ""},
                  {"p0", "0", "count", "health.contact_pressure/1", ""},
                  {"p1", "1", "count", "health.contact_pressure/1", ""},
                  {"p2", "2", "count", "health.contact_pressure/1", ""},
                  {"p3_5", "3–5", "count", "health.contact_pressure/1", ""},
                  {"p6_plus", "6+", "count", "health.contact_pressure/1", ""}};
    auto add = [&](const std::string& label, const TierRow& t) {
        h.rows.push_back({Cell::str(label), Cell::integer(t.people), Cell::integer(t.owned),
                          percent(double(t.owned), double(t.people)), median(t.days),
                          Cell::integer(t.never), Cell::integer(t.retained),
                          Cell::integer(t.overdue)});
        std::vector<Cell> cells = {Cell::str(label)};
        for (auto n : t.pressure) cells.push_back(Cell::integer(n));
        pr.rows.push_back(std::move(cells));
    };
    for (auto tier : kHealthTiers) {
        auto it = tiers.find(std::string(tier));
        if (tier.empty() && it == tiers.end()) continue;  // "(none)" only when someone has none
        add(tier.empty() ? "(none)" : std::string(tier),
            it == tiers.end() ? TierRow{} : it->second);
    }
    add("all", all);
    out.tables.push_back(std::move(h));
    out.tables.push_back(std::move(pr));

    Table s;
    s.id = "settings";
    s.title = "As of, and the settings applied";
    s.columns = {{"setting", "Setting", "text", "", ""}, {"value", "Value", "text", "", ""}};
    s.rows.push_back({Cell::str("as_of"), Cell::str(as_of_date)});
    s.rows.push_back({Cell::str("retained_quarters"), Cell::str(std::to_string(quarters))});
    s.rows.push_back({Cell::str("quarter_days"), Cell::str(std::to_string(kQuarterDays))});
    s.rows.push_back({Cell::str("pressure_days"), Cell::str(std::to_string(kPressureDays))});
    out.tables.push_back(std::move(s));
    return Status::ok();
}

}  // namespace liaison::core::reports
