// The AMEC report (docs/METRICS.md "AMEC"): inputs, activities, outputs, out-takes, outcomes
// and impact of what the filters select, with the campaign's targets against the actuals.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "core/model/targets.hpp"
#include "core/query/reports/context.hpp"
#include "core/query/reports/entry_columns.hpp"
#include "core/storage/dialect.hpp"

namespace liaison::core::reports {
namespace {

// With a device's place index (index_report_place), AMEC's relationships retained read the
// scope's contacts of the year before in one pass of the index when the period's people are at
// least this many, rather than probing each person's contacts: a probe costs about as much as
// 25 of the index's entries (8 µs against 0.3 µs natively, a region's replica), so from a few
// hundred people on the pass costs less than the probes (a region's quarter: 20,791 probes,
// 167 ms, docs/PERFORMANCE.md).
constexpr std::size_t kPlaceScanPeople = 256;

// The PESO rule table (docs/METRICS.md "PESO", amec.peso/1): how a contact's touchpoint and a
// collaboration's type are tagged paid, earned, shared or owned. Posts take their
// collaboration's tag; a post made for none is earned.
// clang-format off
constexpr std::pair<std::string_view, std::string_view> kTouchpointPeso[] = {
    {"paid_collaboration", "paid"}, {"social", "shared"}, {"gifting", "earned"},
    {"loan", "earned"}, {"store", "owned"}, {"event", "owned"}, {"email", "owned"},
    {"phone", "owned"}, {"customer_service", "owned"}, {"meeting", "owned"}, {"other", "owned"}};
constexpr std::pair<std::string_view, std::string_view> kTypePeso[] = {
    {"paid", "paid"}, {"affiliate", "paid"}, {"gifted", "earned"}, {"loan", "earned"},
    {"seeding", "earned"}};
// clang-format on
constexpr std::string_view kPeso[] = {"paid", "earned", "shared", "owned"};

template <std::size_t N>
std::string peso_case(const std::string& column,
                      const std::pair<std::string_view, std::string_view> (&table)[N],
                      std::string_view otherwise) {
    std::string out = "CASE " + column;
    for (const auto& [k, v] : table)
        out += " WHEN '" + std::string(k) + "' THEN '" + std::string(v) + "'";
    return out + " ELSE '" + std::string(otherwise) + "' END";
}

template <std::size_t N>
std::string_view peso_of(std::string_view key,
                         const std::pair<std::string_view, std::string_view> (&table)[N],
                         std::string_view otherwise) {
    for (const auto& [k, v] : table)
        if (k == key) return v;
    return otherwise;
}

// A metric/value table's row: metric, value, unit, currency, target, attainment, formula.
struct Line {
    std::string metric;
    Cell value;
    std::string unit, currency, formula;
    Cell target = Cell::null(), attainment = Cell::null();
};

Table stage_table(std::string id, std::string title, std::vector<Line> lines) {
    Table t;
    t.id = std::move(id);
    t.title = std::move(title);
    t.columns = {{"metric", "Metric", "text", "", ""},
                 {"value", "Value", "value", "", ""},
                 {"unit", "Unit", "text", "", ""},
                 {"currency", "Currency", "text", "", ""},
                 {"target", "Target", "value", "", ""},
                 {"attainment", "Attainment", "percent", "amec.attainment/1", ""},
                 {"formula", "Formula", "text", "", ""}};
    for (auto& l : lines)
        t.rows.push_back({Cell::str(l.metric), l.value, Cell::str(l.unit), Cell::str(l.currency),
                          l.target, l.attainment, Cell::str(l.formula)});
    return t;
}

Line count_line(std::string metric, std::int64_t v) {
    return {metric, Cell::integer(v), "count", "", "amec." + metric + "/1"};
}

// Two-column breakdown: label, count.
Table breakdown(std::string id, std::string title, std::string label, std::string column,
                std::string formula,
                const std::vector<std::pair<std::string, std::int64_t>>& rows) {
    Table t;
    t.id = std::move(id);
    t.title = std::move(title);
    t.chart = "bar";
    t.columns = {{label,
                  label == "tone"         ? "Tone"
                  : label == "type"       ? "Type"
                  : label == "peso"       ? "PESO"
                  : label == "touchpoint" ? "Touchpoint"
                  : label == "department" ? "Department"
                                          : "Kind",
                  "text", "", ""},
                 {column,
                  column == "posts"            ? "Posts"
                  : column == "collaborations" ? "Collaborations"
                  : column == "engagements"    ? "Engagements"
                                               : "Contacts",
                  "count", std::move(formula), ""}};
    for (const auto& [k, v] : rows) t.rows.push_back({Cell::str(k), Cell::integer(v)});
    return t;
}

struct Totals {
    std::int64_t posts = 0, impressions = 0, reach = 0, video_views = 0, engagements = 0;
    std::int64_t likes = 0, comments = 0, shares = 0, saves = 0, reported = 0;
    std::int64_t contacts = 0, people = 0, clicks = 0, conversions = 0;
};

// The group-by dimension's SQL key over row `a` of `kind`, or "" when it does not apply.
std::string group_key(const Ctx& c, Kind kind, const char* time_field, bool date_field) {
    const auto& g = c.q.group_by;
    const auto& k = kind_def(kind);
    const Backend backend = c.store.db().backend();
    if (g == "region" || g == "store")
        return k.field_index(g) >= 0 ? sql_upper_hex(backend, std::string("a.f_") + g) : "";
    if (g == "platform") return kind == Kind::kContent ? "a.f_platform" : "";
    if (g == "department") return kind == Kind::kInteraction ? "a.f_department" : "";
    if (g == "month") {
        if (!time_field) return "";
        return date_field ? "substr(a.f_" + std::string(time_field) + ",1,7)"
                          : sql_utc_month(backend, std::string("a.f_") + time_field);
    }
    if (g == "tier") {
        // The person the entry is about (a click or conversion: its link's person).
        if (k.field_index("influencer") >= 0 && kind != Kind::kConversion)
            return "(SELECT p.f_tier FROM k_influencer p WHERE p.eid=a.f_influencer)";
        if (kind == Kind::kClick || kind == Kind::kConversion)
            return "(SELECT p.f_tier FROM k_influencer p, k_tracked_link l WHERE l.eid=a.f_link "
                   "AND p.eid=l.f_influencer)";
        return "";
    }
    return "";
}

// The breakdown's sums per group_by value (by_group's table). The report's own scans of the
// contacts and posts (and, from the report cache's columns, of the clicks and conversions) add
// their rows as they read them (`folded` says which kinds), so the breakdown does not read them
// again; by_group reads the other kinds by SQL, GROUP BY the same key.
struct Grouping {
    struct Row {
        std::int64_t contacts = 0, posts = 0, reach = 0, engagements = 0, clicks = 0,
                     conversions = 0;
    };
    explicit Grouping(const Ctx& ctx) : c(ctx) {}
    bool on() const { return !c.q.group_by.empty(); }
    // The key's SQL over row `a` of a kind whose time field is `time` (ms), "" when the
    // dimension does not apply to it.
    std::string sql(Kind kind, const char* time) const {
        return on() ? group_key(c, kind, time, false) : "";
    }

    // The key of a columns row as a number, and the number back to the text group_key's SQL
    // gives (ids in capital hex, a month, a tier; "" for none).
    struct Keys {
        std::function<std::uint64_t(std::size_t)> of;
        std::function<std::string(std::uint64_t)> name;
    };
    // Keys over `k` (the columns of `kind`); empty (`of` unset) when the dimension does not
    // apply to the kind.
    Result<Keys> keys(Kind kind, const EntryColumns& k) const {
        const std::string& g = c.q.group_by;
        Keys out;
        auto id_hex = [&k](std::uint64_t n) {
            return n == EntryColumns::kNone ? std::string() : hex_of(k.id(std::uint32_t(n)));
        };
        auto text = [&k](std::uint64_t n) {
            return n == EntryColumns::kNone ? std::string() : k.text(std::uint32_t(n));
        };
        if (g == "region") {
            out.of = [&k](std::size_t r) { return std::uint64_t(k.region[r]); };
            out.name = id_hex;
        } else if (g == "store") {
            out.of = [&k](std::size_t r) { return std::uint64_t(k.store[r]); };
            out.name = id_hex;
        } else if (g == "platform" && kind == Kind::kContent) {
            out.of = [&k](std::size_t r) { return std::uint64_t(k.texts[kPlatform][r]); };
            out.name = text;
        } else if (g == "department" && kind == Kind::kInteraction) {
            out.of = [&k](std::size_t r) { return std::uint64_t(k.texts[kDepartment][r]); };
            out.name = text;
        } else if (g == "month") {
            // The day the time's whole seconds fall in (as sql_utc_month truncates), offset to
            // be unsigned (and small for this century's days: ColumnsFold's dense range).
            constexpr std::int64_t kShift = std::int64_t(1) << 15;
            out.of = [&k](std::size_t r) {
                const std::int64_t s = k.at[r] / 1000 * 1000;
                return std::uint64_t((s >= 0 ? s : s - kDayMs + 1) / kDayMs + kShift);
            };
            out.name = [](std::uint64_t d) {
                return utc_month((std::int64_t(d) - kShift) * kDayMs);
            };
        } else if (g == "tier") {
            // The person's tier (any row of hers, as the SQL's sub-select reads); a click's or
            // conversion's through its link.
            const bool by_link = kind == Kind::kClick || kind == Kind::kConversion;
            auto tiers = std::make_shared<std::vector<std::string>>(1);  // 0: none
            auto of_parent = std::make_shared<std::unordered_map<std::uint32_t, std::uint64_t>>();
            std::map<std::string, std::uint64_t> number;
            LIAISON_TRY(c.each(
                by_link ? "SELECT l.eid, p.f_tier FROM k_tracked_link l, k_influencer p WHERE "
                          "p.eid=l.f_influencer AND p.f_tier IS NOT NULL"
                        : "SELECT p.eid, p.f_tier FROM k_influencer p WHERE p.f_tier IS NOT NULL",
                [&](Statement& r) {
                    auto id = id_at(r, 0);
                    auto n = id ? k.number(*id) : std::nullopt;
                    if (!n) return;
                    auto [it, added] = number.try_emplace(r.column_text(1), tiers->size());
                    if (added) tiers->push_back(it->first);
                    (*of_parent)[*n] = it->second;
                }));
            out.of = [&k, of_parent](std::size_t r) {
                auto it = of_parent->find(k.parent[r]);
                return it == of_parent->end() ? std::uint64_t(0) : it->second;
            };
            out.name = [tiers](std::uint64_t n) { return (*tiers)[n]; };
        }
        return out;
    }

    const Ctx& c;
    std::map<std::string, Row> rows;
    std::vector<Kind> folded;
};

// The breakdown's sums over one kind's columns, as the report's loop reads them: at(r) is the
// sums of row r's key (null when the dimension does not apply to the kind); finish() names the
// keys and adds their sums to the breakdown.
class ColumnsFold {
public:
    ColumnsFold(Grouping& g, Kind kind) : g_(g), kind_(kind) {}
    Status start(const EntryColumns& k) {
        if (!g_.on()) return Status::ok();
        auto keys = g_.keys(kind_, k);
        if (!keys) return keys.status();
        keys_ = std::move(keys).value();
        g_.folded.push_back(kind_);
        return Status::ok();
    }
    Grouping::Row* at(std::size_t r) {
        if (!keys_.of) return nullptr;
        const std::uint64_t key = keys_.of(r);
        if (key >= kDense) return &sums_[key];
        if (dense_.size() <= key) dense_.resize(key + 1);
        return &dense_[key];
    }
    void finish() {
        if (!keys_.of) return;
        for (std::uint64_t key = 0; key < dense_.size(); ++key) {
            const Grouping::Row& v = dense_[key];
            // Every row counts one contact, post, click or conversion: a key no row had is 0.
            if (v.contacts || v.posts || v.clicks || v.conversions) sums_[key] = v;
        }
        for (const auto& [key, v] : sums_) {
            Grouping::Row& to = g_.rows[keys_.name(key)];
            to.contacts += v.contacts;
            to.posts += v.posts;
            to.reach += v.reach;
            to.engagements += v.engagements;
            to.clicks += v.clicks;
            to.conversions += v.conversions;
        }
    }

private:
    // Keys below this (ids' and texts' numbers, days since 1880, tiers) are summed in a vector
    // (a hash per row cost a third of a year's breakdown), the others in the map.
    static constexpr std::uint64_t kDense = std::uint64_t(1) << 18;
    Grouping& g_;
    Kind kind_;
    Grouping::Keys keys_;
    std::vector<Grouping::Row> dense_;
    std::unordered_map<std::uint64_t, Grouping::Row> sums_;
};

Status by_group(Ctx& c, Report& out, Grouping& grouping) {
    if (c.q.group_by.empty()) return Status::ok();
    using Row = Grouping::Row;
    auto& rows = grouping.rows;
    auto fold = [&](Kind kind, const char* time_field, bool date_field, const std::string& value,
                    std::int64_t Row::*member) -> Status {
        const std::string key = group_key(c, kind, time_field, date_field);
        if (key.empty()) return Status::ok();
        const auto& done = grouping.folded;
        if (std::find(done.begin(), done.end(), kind) != done.end()) return Status::ok();
        const std::string period =
            date_field ? c.in_period_date("a", time_field) : c.in_period_ms("a", time_field);
        return c.each("SELECT " + key + ", " + value + " FROM " + table_name(kind) + " a WHERE " +
                          c.rows(kind, "a") + " AND " + period + " GROUP BY 1",
                      [&](Statement& r) {
                          std::string k(r.column_text(0));
                          rows[k].*member += r.column_int(1);
                      });
    };
    LIAISON_TRY(fold(Kind::kInteraction, "at", false, "count(*)", &Row::contacts));
    LIAISON_TRY(fold(Kind::kContent, "published_at", false, "count(*)", &Row::posts));
    LIAISON_TRY(
        fold(Kind::kContent, "published_at", false, "COALESCE(sum(a.f_reach),0)", &Row::reach));
    LIAISON_TRY(fold(Kind::kContent, "published_at", false,
                     std::string("COALESCE(sum(") + kEngagements + "),0)", &Row::engagements));
    LIAISON_TRY(fold(Kind::kClick, "at", false, "count(*)", &Row::clicks));
    LIAISON_TRY(fold(Kind::kConversion, "at", false, "count(*)", &Row::conversions));

    // Labels: a region's or store's name (its id when it has none), a tier, a month.
    const auto& g = c.q.group_by;
    auto label = [&](const std::string& key) -> std::string {
        if (key.empty()) return "(none)";
        if (g != "region" && g != "store") return key;
        std::string name;
        auto ok = c.each("SELECT f_name FROM " +
                             table_name(g == "region" ? Kind::kRegion : Kind::kStore) +
                             " WHERE eid=X'" + key + "'",
                         [&](Statement& r) { name = std::string(r.column_text(0)); });
        return ok.is_ok() && !name.empty() ? name : key;
    };
    const bool contacts = !group_key(c, Kind::kInteraction, "at", false).empty();
    const bool content = !group_key(c, Kind::kContent, "published_at", false).empty();
    const bool links = !group_key(c, Kind::kClick, "at", false).empty();
    Table t;
    t.id = "by_" + g;
    t.title = "By " + g;
    t.chart = "bar";
    t.columns = {{g,
                  g == "month"      ? "Month"
                  : g == "tier"     ? "Tier"
                  : g == "region"   ? "Region"
                  : g == "store"    ? "Store"
                  : g == "platform" ? "Platform"
                                    : "Department",
                  "text", "", ""},
                 {"contacts", "Contacts", "count", "amec.contacts/1", ""},
                 {"posts", "Posts", "count", "amec.posts/1", ""},
                 {"reach", "Reach", "count", "amec.reach/1", ""},
                 {"engagements", "Engagements", "count", "amec.engagements/1", "engagements"},
                 {"engagement_rate", "Engagement rate", "percent", "amec.engagement_rate/1", ""},
                 {"clicks", "Clicks", "count", "amec.clicks/1", ""},
                 {"conversions", "Conversions", "count", "amec.conversions/1", ""}};
    caveat(out, "engagements");
    std::vector<std::pair<std::string, std::vector<Cell>>> sorted;
    for (const auto& [key, r] : rows) {
        auto n = [](bool applies, std::int64_t v) {
            return applies ? Cell::integer(v) : Cell::null();
        };
        sorted.push_back({label(key),
                          {Cell::str(""), n(contacts, r.contacts), n(content, r.posts),
                           n(content, r.reach), n(content, r.engagements),
                           content ? percent(double(r.engagements), double(r.reach)) : Cell::null(),
                           n(links, r.clicks), n(links, r.conversions)}});
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [name, cells] : sorted) {
        cells[0] = Cell::str(name);
        t.rows.push_back(std::move(cells));
    }
    out.tables.push_back(std::move(t));
    return Status::ok();
}

}  // namespace

Status amec(Ctx& c, Report& out) {
    out.title = "AMEC report";
    const std::string contacts_where =
        c.rows(Kind::kInteraction, "a") + " AND " + c.in_period_ms("a", "at");
    const std::string posts_where =
        c.rows(Kind::kContent, "a") + " AND " + c.in_period_ms("a", "published_at");
    // A collaboration counts when it was under way in the period: its dates overlap it (an
    // unset date is open), and it was not cancelled.
    std::string collab_where =
        c.rows(Kind::kCollaboration, "a") + " AND a.f_status IS DISTINCT FROM 'cancelled'";
    if (!c.q.to.empty())
        collab_where += " AND (a.f_starts IS NULL OR a.f_starts<='" + c.q.to + "')";
    if (!c.q.from.empty())
        collab_where += " AND (a.f_ends IS NULL OR a.f_ends>='" + c.q.from + "')";

    // ---- Inputs ------------------------------------------------------------------------
    Money budget;
    auto add_budget = [&](Kind kind, const std::string& where) {
        return c.each("SELECT f_currency, f_budget, f_starts FROM " + table_name(kind) +
                          " a WHERE " + where + " AND a.f_budget IS NOT NULL",
                      [&](Statement& r) {
                          const std::string starts = r.column_text(2);
                          budget.add(std::string(r.column_text(0)),
                                     starts.size() == 10 ? days_of(starts) : c.as_of_day,
                                     r.column_int(1));
                      });
    };
    if (c.q.campaign) {
        LIAISON_TRY(add_budget(Kind::kCampaign, c.rows(Kind::kCampaign, "a")));
    } else if (c.q.programme) {
        LIAISON_TRY(add_budget(Kind::kProgramme, c.rows(Kind::kProgramme, "a")));
    } else {
        std::string w = c.rows(Kind::kCampaign, "a");
        if (!c.q.to.empty()) w += " AND (a.f_starts IS NULL OR a.f_starts<='" + c.q.to + "')";
        if (!c.q.from.empty()) w += " AND (a.f_ends IS NULL OR a.f_ends>='" + c.q.from + "')";
        LIAISON_TRY(add_budget(Kind::kCampaign, w));
    }
    Money spend;
    LIAISON_TRY(
        c.each("SELECT f_currency, COALESCE(f_fee,0)+COALESCE(f_in_kind_value,0), f_starts "
               "FROM k_collaboration a WHERE " +
                   collab_where,
               [&](Statement& r) {
                   const std::string starts = r.column_text(2);
                   const std::int64_t v = r.column_int(1);
                   if (v)
                       spend.add(std::string(r.column_text(0)),
                                 starts.size() == 10 ? days_of(starts) : c.as_of_day, v);
               }));
    // Contacts: one scan (SQLite's GROUP BY sorts every row it groups; a million contacts
    // are cheaper folded here), for the count, the people, the touchpoints and departments,
    // and the breakdown's contacts.
    Grouping grouping(c);
    // The breakdown's key as the statement's last column (`col`), when it applies to `kind`.
    auto sql_key = [&](Kind kind, const char* time) {
        const std::string key = grouping.sql(kind, time);
        if (!key.empty()) grouping.folded.push_back(kind);
        return key.empty() ? std::string() : ", " + key;
    };
    Totals t;
    std::unordered_set<Id128, Id128Hash> people;
    std::vector<std::uint32_t> who;  // with the columns: the people, by their numbers there
    std::map<std::string, std::int64_t> touchpoints, departments;
    if (c.contacts) {
        // The same contacts, from the columns kept in memory (reports/entry_columns.hpp).
        const EntryColumns& k = *c.contacts;
        EntryFilter keeps(c, k);
        ColumnsFold groups(grouping, Kind::kInteraction);
        LIAISON_TRY(groups.start(k));
        std::vector<std::int64_t> by_touchpoint_n, by_department_n;
        std::vector<std::uint8_t> seen(k.ids() + 1, 0);
        LIAISON_TRY(each_kept(keeps, k, [&](std::size_t r) {
            ++t.contacts;
            if (auto* g = groups.at(r)) ++g->contacts;
            for (auto [n, counts] : {std::pair{k.texts[kTouchpoint][r], &by_touchpoint_n},
                                     {k.texts[kDepartment][r], &by_department_n}}) {
                if (counts->size() <= n) counts->resize(n + 1, 0);
                ++(*counts)[n];
            }
            if (const auto p = k.parent[r]; p != EntryColumns::kNone && !seen[p]) {
                seen[p] = 1;
                who.push_back(p);
            }
        }));
        // A text's count under its text ("" for none, as SQL's column_text gives for NULL).
        for (auto [counts, into] :
             {std::pair{&by_touchpoint_n, &touchpoints}, {&by_department_n, &departments}})
            for (std::uint32_t n = 0; n < counts->size(); ++n)
                if ((*counts)[n])
                    (*into)[n == EntryColumns::kNone ? "" : k.text(n)] += (*counts)[n];
        for (auto p : who) people.insert(k.id(p));
        groups.finish();
    } else {
        const std::string key = sql_key(Kind::kInteraction, "at");
        LIAISON_TRY(c.each("SELECT a.f_touchpoint, a.f_department, a.f_influencer" + key +
                               " FROM k_interaction a WHERE " + contacts_where,
                           [&](Statement& r) {
                               ++t.contacts;
                               if (!key.empty()) ++grouping.rows[r.column_text(3)].contacts;
                               ++touchpoints[std::string(r.column_text(0))];
                               ++departments[std::string(r.column_text(1))];
                               if (auto person = id_at(r, 2)) people.insert(*person);
                           }));
    }
    t.people = std::int64_t(people.size());

    // ---- Activities ----------------------------------------------------------------------
    std::vector<std::pair<std::string, std::int64_t>> by_touchpoint, by_department, by_type;
    std::map<std::string, std::int64_t> peso_contacts, peso_collabs, peso_posts;
    for (const auto& [k, n] : touchpoints) {
        by_touchpoint.push_back({k, n});
        peso_contacts[std::string(peso_of(k, kTouchpointPeso, "owned"))] += n;
    }
    for (const auto& [k, n] : departments) by_department.push_back({k, n});
    std::int64_t collaborations = 0;
    LIAISON_TRY(c.each("SELECT a.f_type, count(*), " + peso_case("a.f_type", kTypePeso, "earned") +
                           " FROM k_collaboration a WHERE " + collab_where +
                           " GROUP BY 1 ORDER BY 1",
                       [&](Statement& r) {
                           by_type.push_back({std::string(r.column_text(0)), r.column_int(1)});
                           peso_collabs[std::string(r.column_text(2))] += r.column_int(1);
                           collaborations += r.column_int(1);
                       }));
    // Events held in the period, and their check-ins (an event's campaign and keys decide).
    const std::string events_where =
        c.rows(Kind::kEvent, "e") + " AND " + c.in_period_ms("e", "starts");
    auto events = c.scalar("SELECT count(*) FROM k_event e WHERE " + events_where);
    if (!events) return events.status();
    std::string checkin_where = c.rows(Kind::kCheckin, "a") + " AND " + c.in_period_ms("a", "at");
    if (c.q.campaign || c.q.programme)
        checkin_where += " AND a.f_event IN (SELECT e.eid FROM k_event e WHERE " +
                         c.filtered(Kind::kEvent, "e") + ")";
    auto checkins = c.scalar("SELECT count(*) FROM k_checkin a WHERE " + checkin_where);
    if (!checkins) return checkins.status();

    // ---- Outputs and out-takes -------------------------------------------------------------
    // Posts: one scan, folded here, with their collaboration's type for PESO.
    std::vector<std::pair<std::string, std::int64_t>> by_tone;
    {
        std::map<std::string, std::int64_t> tones = {
            {"positive", 0}, {"neutral", 0}, {"negative", 0}, {"unrated", 0}};
        // `n` posts made for a collaboration of this type ("" for none).
        auto peso = [&](std::string_view type, std::int64_t n) {
            peso_posts[std::string(peso_of(type, kTypePeso, "earned"))] += n;
        };
        // One post's metrics (kNull: unset).
        using Cols = EntryColumns;
        auto post = [&](std::int64_t impressions, std::int64_t reach, std::int64_t video_views,
                        std::int64_t likes, std::int64_t comments, std::int64_t shares,
                        std::int64_t saves, std::int64_t engagements) {
            ++t.posts;
            t.impressions += Cols::or0(impressions);
            t.reach += Cols::or0(reach);
            t.video_views += Cols::or0(video_views);
            // amec.engagements/1: the total reported, or the sum of the kinds reported.
            t.engagements += engagements != Cols::kNull ? engagements
                                                        : Cols::or0(likes) + Cols::or0(comments) +
                                                              Cols::or0(shares) + Cols::or0(saves);
            t.likes += Cols::or0(likes);
            t.comments += Cols::or0(comments);
            t.shares += Cols::or0(shares);
            t.saves += Cols::or0(saves);
            t.reported += Cols::or0(engagements);
        };
        if (c.posts) {
            // The same posts, from the columns kept in memory (reports/entry_columns.hpp),
            // counted per tone and per collaboration by their numbers; a collaboration's type
            // read once for all (any row, as the SQL's sub-select reads).
            const EntryColumns& k = *c.posts;
            std::unordered_map<std::uint32_t, std::string> types;
            LIAISON_TRY(c.each("SELECT eid, f_type FROM k_collaboration", [&](Statement& r) {
                if (auto id = id_at(r, 0))
                    if (auto n = k.number(*id)) types[*n] = std::string(r.column_text(1));
            }));
            std::vector<std::int64_t> per_tone(k.text_count() + 1, 0), per_collab(k.ids() + 1, 0);
            EntryFilter keeps(c, k);
            ColumnsFold groups(grouping, Kind::kContent);
            LIAISON_TRY(groups.start(k));
            const auto& m = k.ints;
            LIAISON_TRY(each_kept(keeps, k, [&](std::size_t r) {
                if (auto* g = groups.at(r)) {
                    ++g->posts;
                    g->reach += Cols::or0(m[kReach][r]);
                    g->engagements += post_engagements(k, r);
                }
                ++per_tone[k.texts[kTone][r]];
                ++per_collab[k.refs[kCollaboration][r]];
                post(m[kImpressions][r], m[kReach][r], m[kVideoViews][r], m[kLikes][r],
                     m[kComments][r], m[kShares][r], m[kSaves][r], m[kEngagementsReported][r]);
            }));
            for (std::uint32_t n = 0; n < per_tone.size(); ++n)
                if (per_tone[n]) tones[n == Cols::kNone ? "unrated" : k.text(n)] += per_tone[n];
            for (std::uint32_t n = 0; n < per_collab.size(); ++n) {
                if (!per_collab[n]) continue;
                auto type = types.find(n);
                peso(type == types.end() ? std::string_view() : type->second, per_collab[n]);
            }
            groups.finish();
        } else {
            auto at = [](Statement& r, int col) {
                return r.column_is_null(col) ? Cols::kNull : r.column_int(col);
            };
            const std::string key = sql_key(Kind::kContent, "published_at");
            LIAISON_TRY(
                c.each("SELECT COALESCE(a.f_tone,'unrated'), (SELECT k.f_type FROM "
                       "k_collaboration k WHERE k.eid=a.f_collaboration), a.f_impressions, "
                       "a.f_reach, a.f_video_views, a.f_likes, a.f_comments, a.f_shares, "
                       "a.f_saves, a.f_engagements" +
                           key + " FROM k_content a WHERE " + posts_where,
                       [&](Statement& r) {
                           if (!key.empty()) {
                               auto& g = grouping.rows[r.column_text(10)];
                               ++g.posts;
                               g.reach += Cols::or0(at(r, 3));
                               const std::int64_t e = at(r, 9);
                               g.engagements += e != Cols::kNull
                                                    ? e
                                                    : Cols::or0(at(r, 5)) + Cols::or0(at(r, 6)) +
                                                          Cols::or0(at(r, 7)) + Cols::or0(at(r, 8));
                           }
                           ++tones[std::string(r.column_text_view(0))];
                           peso(r.column_text_view(1), 1);
                           post(at(r, 2), at(r, 3), at(r, 4), at(r, 5), at(r, 6), at(r, 7),
                                at(r, 8), at(r, 9));
                       }));
        }
        for (const char* k : {"positive", "neutral", "negative", "unrated"})
            by_tone.push_back({k, tones[k]});
    }
    if (c.clicks) {
        // The same clicks, from the columns kept in memory (reports/entry_columns.hpp).
        EntryFilter keeps(c, *c.clicks);
        ColumnsFold groups(grouping, Kind::kClick);
        LIAISON_TRY(groups.start(*c.clicks));
        LIAISON_TRY(each_kept(keeps, *c.clicks, [&](std::size_t r) {
            ++t.clicks;
            if (auto* g = groups.at(r)) ++g->clicks;
        }));
        groups.finish();
    } else {
        auto clicks = c.scalar("SELECT count(*) FROM k_click a WHERE " + c.rows(Kind::kClick, "a") +
                               " AND " + c.in_period_ms("a", "at"));
        if (!clicks) return clicks.status();
        t.clicks = clicks.value();
    }

    // ---- Outcomes ------------------------------------------------------------------------
    Money revenue;
    if (c.conversions) {
        // The same conversions, from the columns kept in memory (reports/entry_columns.hpp).
        const EntryColumns& k = *c.conversions;
        EntryFilter keeps(c, k);
        ColumnsFold groups(grouping, Kind::kConversion);
        LIAISON_TRY(groups.start(k));
        const std::string none;
        LIAISON_TRY(each_kept(keeps, k, [&](std::size_t r) {
            ++t.conversions;
            if (auto* g = groups.at(r)) ++g->conversions;
            const std::uint32_t cur = k.texts[kCurrency][r];
            revenue.add(cur == EntryColumns::kNone ? none : k.text(cur), k.at[r] / kDayMs,
                        EntryColumns::or0(k.ints[kValue][r]));
        }));
        groups.finish();
    } else {
        LIAISON_TRY(c.each("SELECT f_currency, f_at, f_value FROM k_conversion a WHERE " +
                               c.rows(Kind::kConversion, "a") + " AND " + c.in_period_ms("a", "at"),
                           [&](Statement& r) {
                               ++t.conversions;
                               revenue.add(std::string(r.column_text(0)), r.column_int(1) / kDayMs,
                                           r.column_int(2));
                           }));
    }

    // ---- Impact --------------------------------------------------------------------------
    const std::string model = c.q.model.empty() ? "last_click" : c.q.model;
    auto credited = credits(c, model);
    if (!credited) return credited.status();
    // Per currency and day, summed in the lines' order (then rounded once per day, as
    // docs/METRICS.md says); a hash map, the lines being tens of thousands.
    std::map<std::string, std::unordered_map<std::int64_t, double>> attributed_d;
    {
        const std::string* last = nullptr;
        std::unordered_map<std::int64_t, double>* days = nullptr;
        for (const auto& l : credited.value().lines) {
            if (!credit_wanted(c, l)) continue;
            if (!last || *last != l.currency) {
                days = &attributed_d[l.currency];
                last = &l.currency;
            }
            (*days)[l.day] += double(l.value) * l.share;
        }
    }
    Money attributed;
    for (const auto& [currency, days] : attributed_d)
        for (const auto& [day, v] : days) attributed.add(currency, day, std::llround(v));
    std::int64_t progressed = 0;
    {
        // A move forward along the pipeline (core/query/pipeline.hpp), into any status but
        // cancelled, made in the period.
        const auto& statuses = [] {
            static const char* s[] = {"proposed",  "vetted",    "contracted", "live",
                                      "delivered", "validated", "closed"};
            return s;
        }();
        std::string rank_to = "CASE a.f_to", rank_from = "CASE COALESCE(a.f_from,'proposed')";
        for (int i = 0; i < 7; ++i) {
            rank_to += " WHEN '" + std::string(statuses[i]) + "' THEN " + std::to_string(i);
            rank_from += " WHEN '" + std::string(statuses[i]) + "' THEN " + std::to_string(i);
        }
        rank_to += " WHEN 'active' THEN 3 WHEN 'completed' THEN 6 ELSE -1 END";
        rank_from += " WHEN 'active' THEN 3 WHEN 'completed' THEN 6 ELSE 99 END";
        std::string step_where = c.rows(Kind::kCollaborationStep, "a") + " AND " +
                                 c.in_period_ms("a", "at") + " AND (" + rank_to + ") > (" +
                                 rank_from + ")";
        if (c.q.campaign || c.q.programme)
            step_where += " AND a.f_collaboration IN (SELECT k.eid FROM k_collaboration k WHERE " +
                          c.filtered(Kind::kCollaboration, "k") + ")";
        auto n = c.scalar(
            "SELECT count(DISTINCT a.f_influencer) FROM k_collaboration_step a "
            "WHERE " +
            step_where);
        if (!n) return n.status();
        progressed = n.value();
    }
    Cell retained = Cell::null();
    // A probe costs about as much as 300 rows of a pass over the columns (3 µs against 10 ns):
    // a campaign's few thousand people are probed, a programme's tens of thousands are not.
    const bool by_columns =
        c.contact_history && (c.contacts || people.size() * 256 > c.contact_history->size());
    if (!c.q.from.empty() && by_columns) {
        // The same from the columns: one pass marks the people with a contact in scope in the
        // year before (no filter, as the probe reads), then the period's people are counted.
        const EntryColumns& k = *c.contact_history;
        if (!c.contacts)  // the period's people were read by SQL: their numbers here
            for (const auto& p : people)
                if (auto n = k.number(p)) who.push_back(*n);
        EntryFilter in_scope(c, k, EntryFilter::ScopeOnly{});
        std::vector<std::uint8_t> before(k.ids() + 1, 0);
        const std::int64_t from = c.from_ms - 365 * kDayMs, to = c.from_ms;
        for (std::size_t r = 0; r < k.size(); ++r) {
            if (k.at[r] < from || k.at[r] >= to || before[k.parent[r]]) continue;
            auto in = in_scope.keeps(r);
            if (!in) return in.status();
            if (in.value()) before[k.parent[r]] = 1;
        }
        std::int64_t n = 0;
        for (std::uint32_t p : who) n += before[p];
        retained = Cell::integer(n);
    } else if (!c.q.from.empty() && c.place_indexed && people.size() >= kPlaceScanPeople) {
        // On a device with its place index: one pass over the scope's contacts of the year
        // before (the index's range of time, in scope, no filter, as the probe reads), then the
        // period's people are counted.
        std::unordered_set<Id128, Id128Hash> before;
        LIAISON_TRY(c.each("SELECT a.f_influencer FROM k_interaction a WHERE a.f_at>=" +
                               std::to_string(c.from_ms - 365 * kDayMs) + " AND a.f_at<" +
                               std::to_string(c.from_ms) + " AND " + Ctx::visible("a") + " AND " +
                               c.in_scope(Kind::kInteraction, "a"),
                           [&](Statement& r) {
                               if (auto person = id_at(r, 0)) before.insert(*person);
                           }));
        std::int64_t n = 0;
        for (const auto& p : people) n += before.count(p);
        retained = Cell::integer(n);
    } else if (!c.q.from.empty()) {
        // Contacted in the period, and in the year before it: one probe of the person's
        // contacts index (person, time) each.
        auto probe = c.store.db().prepare(
            std::string("SELECT 1 FROM k_interaction b ") +
            sql_indexed_by(c.store.db().backend(), "k_interaction_influencer") +
            " WHERE b.f_influencer=?1 AND b.f_at>=?2 AND b.f_at<?3 AND " + Ctx::visible("b") +
            " AND " + c.in_scope(Kind::kInteraction, "b") + " LIMIT 1");
        if (!probe) return probe.status();
        std::int64_t n = 0;
        for (const auto& p : people) {
            Statement& st = probe.value();
            st.reset();
            st.bind_blob(1, p.bytes.data(), 16)
                .bind(2, c.from_ms - 365 * kDayMs)
                .bind(3, c.from_ms);
            const auto s = st.step();
            if (s == Statement::Step::kError) return Status::storage(st.error());
            if (s == Statement::Step::kRow) ++n;
        }
        retained = Cell::integer(n);
    }

    // ---- Tables --------------------------------------------------------------------------
    // Amounts: one line per currency (or the converted total), formula named.
    auto money_lines = [&](const std::string& metric, const Money& m) {
        std::vector<Line> lines;
        for (const auto& r : money_rows(c, m, out))
            lines.push_back({metric, r.amount ? Cell::integer(*r.amount) : Cell::null(), "money",
                             r.currency, "amec." + metric + "/1"});
        if (lines.empty())
            lines.push_back(
                {metric, Cell::integer(0), "money", c.currency, "amec." + metric + "/1"});
        return lines;
    };
    // Ratios of money to counts (ROI, cost per engagement, CPM) need one currency.
    auto single = [&](const Money& m) -> std::optional<std::pair<std::string, std::int64_t>> {
        auto rows = money_rows(c, m, out);
        if (rows.size() != 1 || !rows[0].amount) return std::nullopt;
        return std::pair{rows[0].currency, *rows[0].amount};
    };
    const auto spend_one = single(spend);
    const auto attributed_one = single(attributed);
    if (!spend.empty() && !spend_one && c.currency.empty())
        out.notes.push_back(
            "spend is in several currencies: ROI, cost per engagement and CPM "
            "need a report currency (currency=…)");

    std::vector<Line> inputs = money_lines("budget", budget);
    for (auto& l : money_lines("spend", spend)) inputs.push_back(std::move(l));
    inputs.push_back(count_line("people_contacted", t.people));

    std::vector<Line> activities = {
        count_line("contacts", t.contacts), count_line("events", events.value()),
        count_line("checkins", checkins.value()), count_line("collaborations", collaborations)};

    std::vector<Line> outputs = {
        count_line("posts", t.posts),
        {"mentions", Cell::integer(t.posts), "count", "", "amec.mentions/1"},
        count_line("impressions", t.impressions),
        count_line("reach", t.reach),
        count_line("video_views", t.video_views)};

    std::vector<Line> outtakes = {
        count_line("engagements", t.engagements),
        {"engagement_rate", percent(double(t.engagements), double(t.reach)), "percent", "",
         "amec.engagement_rate/1"},
        count_line("clicks", t.clicks),
        {"click_through_rate", percent(double(t.clicks), double(t.impressions)), "percent", "",
         "amec.click_through_rate/1"}};

    std::vector<Line> outcomes = {
        count_line("conversions", t.conversions),
        {"conversion_rate", percent(double(t.conversions), double(t.clicks)), "percent", "",
         "amec.conversion_rate/1"}};
    for (auto& l : money_lines("revenue", revenue)) outcomes.push_back(std::move(l));

    std::vector<Line> impact = money_lines("attributed_revenue", attributed);
    {
        Cell roi = Cell::null();
        std::string cur;
        if (spend_one &&
            (attributed.empty() || (attributed_one && attributed_one->first == spend_one->first))) {
            cur = spend_one->first;
            const std::int64_t a = attributed_one ? attributed_one->second : 0;
            roi = ratio(double(a - spend_one->second), double(spend_one->second));
        }
        impact.push_back({"roi", roi, "ratio", cur, "amec.roi/1"});
        Cell cpe = Cell::null(), cpm = Cell::null();
        if (spend_one) {
            cpe = ratio(double(spend_one->second), double(t.engagements));
            cpm = ratio(double(spend_one->second) * 1000, double(t.impressions));
        }
        impact.push_back({"cost_per_engagement", cpe, "money", spend_one ? spend_one->first : "",
                          "amec.cost_per_engagement/1"});
        impact.push_back({"cpm", cpm, "money", spend_one ? spend_one->first : "", "amec.cpm/1"});
        impact.push_back(count_line("relationships_progressed", progressed));
        impact.push_back(
            {"relationships_retained", retained, "count", "", "amec.relationships_retained/1"});
    }

    // Targets against actuals: the campaign's (docs/PROGRAMMES.md "Targets").
    if (c.q.campaign) {
        std::string text, currency;
        LIAISON_TRY(c.each(
            "SELECT f_targets, f_currency FROM k_campaign a WHERE " + c.rows(Kind::kCampaign, "a"),
            [&](Statement& r) {
                text = std::string(r.column_text(0));
                currency = std::string(r.column_text(1));
            }));
        auto targets = parse_targets(text);
        if (!targets) {
            out.notes.push_back("the campaign's targets do not parse: " +
                                targets.status().detail());
        } else {
            for (const auto& tg : targets.value()) {
                const std::string_view stage = amec_stage_name(tg.stage);
                std::vector<Line>* lines = stage == "inputs"       ? &inputs
                                           : stage == "activities" ? &activities
                                           : stage == "outputs"    ? &outputs
                                           : stage == "outtakes"   ? &outtakes
                                           : stage == "outcomes"   ? &outcomes
                                                                   : &impact;
                for (auto& l : *lines) {
                    if (l.metric != tg.metric) continue;
                    if (l.unit == "money" && !l.currency.empty() && l.currency != currency)
                        continue;  // a target is in the campaign's currency
                    // Rates are targeted in basis points (350 = 3.50 %); ROI as a percentage.
                    const bool bp = l.unit == "percent" || l.metric == "roi";
                    l.target =
                        bp ? Cell{Cell::Type::kFixed, tg.value * 100, {}} : Cell::integer(tg.value);
                    if (l.metric == "roi") l.target = Cell{Cell::Type::kFixed, tg.value, {}};
                    const double actual = l.value.type == Cell::Type::kFixed
                                              ? double(l.value.n) / 10000
                                              : double(l.value.n);
                    const double target = l.target.type == Cell::Type::kFixed
                                              ? double(l.target.n) / 10000
                                              : double(l.target.n);
                    l.attainment =
                        l.value.type == Cell::Type::kNull ? Cell::null() : percent(actual, target);
                }
            }
        }
    }

    out.tables.push_back(stage_table("inputs", "Inputs", std::move(inputs)));
    out.tables.push_back(stage_table("activities", "Activities", std::move(activities)));
    out.tables.push_back(stage_table("outputs", "Outputs", std::move(outputs)));
    out.tables.push_back(stage_table("outtakes", "Out-takes", std::move(outtakes)));
    out.tables.push_back(stage_table("outcomes", "Outcomes", std::move(outcomes)));
    out.tables.push_back(stage_table("impact", "Impact", std::move(impact)));
    // The impact's attributed revenue and ROI are under one model: say which.
    for (auto& col : out.tables.back().columns)
        if (col.id == "value") col.caveat = caveat(out, "roi_model");
    out.filters.emplace_back("attribution_model", model);
    for (auto& table : out.tables)
        if (table.id == "outtakes")
            for (auto& col : table.columns)
                if (col.id == "value") col.caveat = caveat(out, "engagements");

    out.tables.push_back(breakdown("contacts_by_touchpoint", "Contacts by touchpoint", "touchpoint",
                                   "contacts", "amec.contacts/1", by_touchpoint));
    out.tables.push_back(breakdown("contacts_by_department", "Contacts by department", "department",
                                   "contacts", "amec.contacts/1", by_department));
    out.tables.push_back(breakdown("collaborations_by_type", "Collaborations by type", "type",
                                   "collaborations", "amec.collaborations/1", by_type));
    {
        Table p;
        p.id = "peso";
        p.title = "Paid, earned, shared, owned";
        p.chart = "bar";
        p.columns = {{"peso", "PESO", "text", "", ""},
                     {"contacts", "Contacts", "count", "amec.peso/1", ""},
                     {"collaborations", "Collaborations", "count", "amec.peso/1", ""},
                     {"posts", "Posts", "count", "amec.peso/1", ""}};
        for (auto k : kPeso) {
            const std::string key(k);
            p.rows.push_back({Cell::str(key), Cell::integer(peso_contacts[key]),
                              Cell::integer(peso_collabs[key]), Cell::integer(peso_posts[key])});
        }
        out.tables.push_back(std::move(p));
    }
    out.tables.push_back(breakdown("mentions_by_tone", "Mentions by tone", "tone", "posts",
                                   "amec.mentions/1", by_tone));
    out.tables.push_back(breakdown("engagements_by_type", "Engagements by type", "kind",
                                   "engagements", "amec.engagements/1",
                                   {{"likes", t.likes},
                                    {"comments", t.comments},
                                    {"shares", t.shares},
                                    {"saves", t.saves},
                                    {"reported_as_total", t.reported}}));
    out.tables.back().columns[1].caveat = caveat(out, "engagements");

    // Outcome measurements the team entered in the period.
    {
        Table m;
        m.id = "measurements";
        m.title = "Outcome measurements";
        m.columns = {{"metric", "Metric", "text", "", ""},
                     {"date", "Date", "date", "", ""},
                     {"value", "Value", "value", "amec.measurement/1", ""},
                     {"unit", "Unit", "text", "", ""},
                     {"currency", "Currency", "text", "", ""}};
        LIAISON_TRY(
            c.each("SELECT f_metric, f_date, f_value, COALESCE(f_unit,''), "
                   "COALESCE(f_currency,'') FROM k_outcome a WHERE " +
                       c.rows(Kind::kOutcome, "a") + " AND " + c.in_period_date("a", "date") +
                       " ORDER BY f_date, f_metric NULLS FIRST, eid",
                   [&](Statement& r) {
                       m.rows.push_back({Cell::str(std::string(r.column_text(0))),
                                         Cell::str(std::string(r.column_text(1))),
                                         Cell{Cell::Type::kFixed, r.column_int(2) * 100, {}},
                                         Cell::str(std::string(r.column_text(3))),
                                         Cell::str(std::string(r.column_text(4)))});
                   }));
        out.tables.push_back(std::move(m));
    }
    return by_group(c, out, grouping);
}

}  // namespace liaison::core::reports
