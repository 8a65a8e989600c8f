// The influence pyramid and its concentration (docs/METRICS.md "The pyramid and
// concentration"): people, active people, posts, engagements, reach and revenue per tier; how
// much of the chosen metric the top 1, 3, 10 and 20 % of the people drive; the Lorenz curve and
// the Gini coefficient; the people behind the top 20 %.
//
// Three scans, each read once: the people in scope, the period's posts, the period's
// conversions; summed per person here (hash joins), then arithmetic on integers over one value
// per person.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/query/reports/context.hpp"
#include "core/query/reports/entry_columns.hpp"

namespace liaison::core::reports {
namespace {

// The tiers, top of the pyramid first; a person without one is "(none)".
constexpr std::string_view kPyramidTiers[] = {"top",      "expert",   "employee",
                                              "advocate", "prospect", "(none)"};
// The top shares, in percent of the people.
constexpr std::int64_t kTopPercents[] = {1, 3, 10, 20};
// The list of the people behind the top 20 % stops at this many.
constexpr std::size_t kMaxListed = 100;

struct PyramidPerson {
    Id128 id;
    std::string tier;
    std::int64_t posts = 0, engagements = 0, reach = 0;
    Money revenue;
    std::optional<std::int64_t> value;  // the concentration's metric; nullopt: not known
};

// The people: visible, in the caller's scope, and the region and store filters over their own
// region and store; with a programme or campaign filter, only the people with a collaboration
// or a post for one of its campaigns. Not the brand filter (it narrows the outputs).
std::string people_where(const Ctx& c) {
    std::string where = c.rows(Kind::kInfluencer, "p", false);
    if (c.q.campaign || c.q.programme) {
        const std::string cs =
            c.q.campaign ? "(" + blob(*c.q.campaign) + ")" : blob_list(c.campaigns);
        where += " AND (EXISTS(SELECT 1 FROM k_collaboration k WHERE k.f_influencer=p.eid AND " +
                 Ctx::visible("k") + " AND k.f_campaign IN " + cs +
                 ") OR EXISTS(SELECT 1 FROM k_content w WHERE w.f_influencer=p.eid AND " +
                 Ctx::visible("w") + " AND w.f_campaign IN " + cs + "))";
    }
    return where;
}

// The people, then their posts: two scans, joined here by a hash of the people (a GROUP BY
// over the posts would sort them, several times the cost of reading them); on the server, the
// posts from the report cache's columns.
Status load_people(const Ctx& c, std::vector<PyramidPerson>& people,
                   std::unordered_map<Id128, std::size_t, Id128Hash>& index) {
    LIAISON_TRY(
        c.each("SELECT p.eid, COALESCE(p.f_tier,'') FROM k_influencer p WHERE " + people_where(c),
               [&](Statement& r) {
                   PyramidPerson p;
                   p.id = *id_at(r, 0);
                   p.tier = r.column_text(1);
                   if (p.tier.empty()) p.tier = "(none)";
                   index[p.id] = people.size();
                   people.push_back(std::move(p));
               }));
    auto post = [&](std::size_t person, std::int64_t engagements, std::int64_t reach) {
        PyramidPerson& p = people[person];
        ++p.posts;
        p.engagements += engagements;
        p.reach += reach;
    };
    if (c.posts) {
        // The same posts from the report cache's columns (reports/entry_columns.hpp).
        using Cols = EntryColumns;
        const Cols& k = *c.posts;
        std::vector<std::size_t> person(k.ids() + 1, SIZE_MAX);  // a column's number → person
        for (std::size_t i = 0; i < people.size(); ++i)
            if (auto n = k.number(people[i].id)) person[*n] = i;
        EntryFilter keeps(c, k);
        return each_kept(keeps, k, [&](std::size_t r) {
            const std::size_t i = person[k.parent[r]];  // kNone (0) maps to no person
            if (i != SIZE_MAX) post(i, post_engagements(k, r), Cols::or0(k.ints[kReach][r]));
        });
    }
    return c.each("SELECT a.f_influencer, " + std::string(kEngagements) +
                      ", COALESCE(a.f_reach,0) FROM k_content a WHERE " +
                      c.rows(Kind::kContent, "a") + " AND " + c.in_period_ms("a", "published_at"),
                  [&](Statement& r) {
                      auto who = id_at(r, 0);
                      if (!who) return;
                      auto it = index.find(*who);
                      if (it == index.end()) return;  // a person out of scope
                      post(it->second, r.column_int(1), r.column_int(2));
                  });
}

// The period's conversions (in scope, with the filters over their own fields), credited by
// their codes (pyramid.revenue/1): the person the conversion names, else its link's person,
// else the person of the collaboration carrying its promo code (the newest one, as attribution
// does). A conversion credited to no one, or to someone out of `people`, counts nowhere here.
Status load_revenue(const Ctx& c, std::vector<PyramidPerson>& people,
                    const std::unordered_map<Id128, std::size_t, Id128Hash>& index) {
    std::unordered_map<std::string, Id128> promos;
    LIAISON_TRY(c.each("SELECT f_promo_code, f_influencer FROM k_collaboration k WHERE " +
                           Ctx::visible("k") +
                           " AND f_promo_code IS NOT NULL AND f_influencer IS NOT NULL ORDER BY "
                           "eid",
                       [&](Statement& r) { promos[r.column_text(0)] = *id_at(r, 1); }));
    auto credit = [&](const std::optional<Id128>& who, const std::string& currency,
                      std::int64_t day, std::int64_t value) {
        if (!who) return;
        auto at = index.find(*who);
        if (at == index.end()) return;
        people[at->second].revenue.add(currency, day, value);
    };
    if (c.conversions) {
        // The same conversions from the report cache's columns (reports/entry_columns.hpp); a
        // link's person read once for all (a visible link's, as the statement's join reads).
        using Cols = EntryColumns;
        const Cols& k = *c.conversions;
        std::unordered_map<std::uint32_t, Id128> link_person;  // link number → its person
        LIAISON_TRY(c.each("SELECT l.eid, l.f_influencer FROM k_tracked_link l WHERE " +
                               Ctx::visible("l") + " AND l.f_influencer IS NOT NULL",
                           [&](Statement& r) {
                               if (auto id = id_at(r, 0))
                                   if (auto n = k.number(*id)) link_person[*n] = *id_at(r, 1);
                           }));
        EntryFilter keeps(c, k);
        return each_kept(keeps, k, [&](std::size_t r) {
            std::optional<Id128> who;
            if (const std::uint32_t n = k.refs[kBuyerInfluencer][r]; n != Cols::kNone) {
                who = k.id(n);
            } else if (auto it = link_person.find(k.parent[r]); it != link_person.end()) {
                who = it->second;
            } else if (const std::uint32_t code = k.texts[kPromoCode][r]; code != Cols::kNone) {
                if (auto p = promos.find(k.text(code)); p != promos.end()) who = p->second;
            }
            const std::uint32_t cur = k.texts[kCurrency][r];
            credit(who, cur == Cols::kNone ? std::string() : k.text(cur),
                   c.currency.empty() ? 0 : k.at[r] / kDayMs, Cols::or0(k.ints[kValue][r]));
        });
    }
    // Days matter only when a report currency converts each day's sum (fx/1).
    const std::string day = c.currency.empty() ? "0" : "o.f_at/86400000";
    const std::string sql =
        "SELECT COALESCE(o.f_influencer, l.f_influencer), CASE WHEN o.f_influencer IS NULL AND "
        "l.f_influencer IS NULL THEN o.f_promo_code END, o.f_currency, " +
        day + ", o.f_value FROM k_conversion o LEFT JOIN k_tracked_link l ON l.eid=o.f_link AND " +
        Ctx::visible("l") + " WHERE " + c.rows(Kind::kConversion, "o") + " AND " +
        c.in_period_ms("o", "at");
    return c.each(sql, [&](Statement& r) {
        std::optional<Id128> who = id_at(r, 0);
        if (!who && !r.column_is_null(1)) {
            auto it = promos.find(r.column_text(1));
            if (it != promos.end()) who = it->second;
        }
        credit(who, r.column_text(2), r.column_int(3), r.column_int(4));
    });
}

// Each person's value of `metric`; false (with a note) when revenue cannot be one number.
bool values(const Ctx& c, std::string_view metric, std::vector<PyramidPerson>& people,
            Report& out) {
    for (auto& p : people) {
        if (metric == "reach")
            p.value = p.reach;
        else if (metric == "engagements")
            p.value = p.engagements;
    }
    if (metric != "revenue") return true;
    if (!c.currency.empty()) {
        bool complete = true;
        for (auto& p : people) {
            p.value =
                p.revenue.empty() ? std::optional<std::int64_t>(0) : c.converted(p.revenue, out);
            complete = complete && p.value.has_value();
        }
        return complete;
    }
    std::string currency;
    for (const auto& p : people)
        for (const auto& [cur, v] : p.revenue.per_currency()) {
            if (!currency.empty() && cur != currency) {
                out.notes.push_back(
                    "revenue is in several currencies: its concentration needs a "
                    "report currency (currency=…)");
                for (auto& q : people) q.value.reset();
                return false;
            }
            currency = cur;
        }
    for (auto& p : people) {
        const auto per = p.revenue.per_currency();
        p.value = per.empty() ? 0 : per.begin()->second;
    }
    return true;
}

// The currency of the revenue values (one currency or the report's), "" for counts.
std::string value_currency(const Ctx& c, std::string_view metric,
                           const std::vector<PyramidPerson>& people) {
    if (metric != "revenue") return "";
    if (!c.currency.empty()) return c.currency;
    for (const auto& p : people)
        for (const auto& [cur, v] : p.revenue.per_currency()) return cur;
    return "";
}

}  // namespace

Status pyramid(Ctx& c, Report& out) {
    out.title = "Influence pyramid";
    const std::string metric = c.q.metric.empty() ? "engagements" : c.q.metric;
    if (c.q.metric.empty()) out.filters.emplace_back("metric", metric);
    if (!c.q.group_by.empty() && c.q.group_by != "tier")
        out.notes.push_back("group_by=" + c.q.group_by +
                            " does not apply to the pyramid: its breakdown is by tier");

    std::vector<PyramidPerson> people;
    std::unordered_map<Id128, std::size_t, Id128Hash> index;
    LIAISON_TRY(load_people(c, people, index));
    LIAISON_TRY(load_revenue(c, people, index));
    const bool known = values(c, metric, people, out);
    const std::string currency = value_currency(c, metric, people);

    // ---- Per tier ----------------------------------------------------------------------------
    struct TierSums {
        std::int64_t people = 0, active = 0, posts = 0, engagements = 0, reach = 0;
        Money revenue;
    };
    std::map<std::string, TierSums> tiers;
    TierSums all;
    for (const auto& p : people)
        for (TierSums* t : {&tiers[p.tier], &all}) {
            ++t->people;
            t->active += p.posts > 0;
            t->posts += p.posts;
            t->engagements += p.engagements;
            t->reach += p.reach;
            t->revenue.add(p.revenue);
        }
    {
        Table t;
        t.id = "tiers";
        t.title = "The pyramid";
        t.chart = "bar";
        t.columns = {{"tier", "Tier", "text", "", ""},
                     {"people", "People", "count", "pyramid.people/1", ""},
                     {"active", "Active", "count", "pyramid.active/1", ""},
                     {"posts", "Posts", "count", "pyramid.posts/1", ""},
                     {"engagements", "Engagements", "count", "pyramid.engagements/1",
                      caveat(out, "engagements")},
                     {"reach", "Reach", "count", "pyramid.reach/1", ""}};
        auto row = [&](std::string_view name, const TierSums& s) {
            t.rows.push_back({Cell::str(std::string(name)), Cell::integer(s.people),
                              Cell::integer(s.active), Cell::integer(s.posts),
                              Cell::integer(s.engagements), Cell::integer(s.reach)});
        };
        for (auto tier : kPyramidTiers) row(tier, tiers[std::string(tier)]);
        row("all", all);
        out.tables.push_back(std::move(t));
    }
    {
        Table t;
        t.id = "revenue_by_tier";
        t.title = "Revenue per tier (credited by link or promo code)";
        t.columns = {{"tier", "Tier", "text", "", ""},
                     {"currency", "Currency", "text", "", ""},
                     {"revenue", "Revenue", "money", "pyramid.revenue/1", ""}};
        auto rows = [&](std::string_view name, const Money& m) {
            for (const auto& r : money_rows(c, m, out))
                t.rows.push_back({Cell::str(std::string(name)), Cell::str(r.currency),
                                  r.amount ? Cell::integer(*r.amount) : Cell::null()});
        };
        for (auto tier : kPyramidTiers) rows(tier, tiers[std::string(tier)].revenue);
        rows("all", all.revenue);
        out.tables.push_back(std::move(t));
    }

    // ---- Concentration -----------------------------------------------------------------------
    const std::int64_t n = std::int64_t(people.size());
    // Highest value first, ties by id.
    std::vector<const PyramidPerson*> desc;
    for (const auto& p : people) desc.push_back(&p);
    std::sort(desc.begin(), desc.end(), [](const PyramidPerson* a, const PyramidPerson* b) {
        const std::int64_t va = a->value.value_or(0), vb = b->value.value_or(0);
        return va != vb ? va > vb : a->id < b->id;
    });
    std::int64_t total = 0;
    for (const auto* p : desc) total += p->value.value_or(0);
    const std::string unit = metric == "revenue" ? "money" : "count";
    auto opt_int = [&](std::int64_t v) { return known ? Cell::integer(v) : Cell::null(); };
    auto share = [&](std::int64_t v) {
        return known ? percent(double(v), double(total)) : Cell::null();
    };
    {
        Table t;
        t.id = "concentration";
        t.title = "Concentration of " + metric;
        t.chart = "bar";
        t.columns = {{"group", "Group", "text", "", ""},
                     {"people", "People", "count", "pyramid.top_people/1", ""},
                     {"value", "Value", unit, "pyramid.top_value/1", ""},
                     {"currency", "Currency", "text", "", ""},
                     {"share", "Share", "percent", "pyramid.top_share/1", ""}};
        if (metric == "engagements") t.columns[2].caveat = caveat(out, "engagements");
        for (auto pct : kTopPercents) {
            const std::int64_t k = (pct * n + 99) / 100;  // ceil(pct % of n)
            std::int64_t sum = 0;
            for (std::int64_t i = 0; i < k; ++i) sum += desc[std::size_t(i)]->value.value_or(0);
            t.rows.push_back({Cell::str("top " + std::to_string(pct) + " %"), Cell::integer(k),
                              opt_int(sum), Cell::str(currency), share(sum)});
        }
        t.rows.push_back({Cell::str("all"), Cell::integer(n), opt_int(total), Cell::str(currency),
                          share(total)});
        out.tables.push_back(std::move(t));
    }
    // Lowest value first: the Lorenz curve and the Gini coefficient.
    std::vector<std::int64_t> asc;
    for (auto it = desc.rbegin(); it != desc.rend(); ++it) asc.push_back((*it)->value.value_or(0));
    {
        Table t;
        t.id = "lorenz";
        t.title = "Lorenz curve of " + metric;
        t.chart = "line";
        t.columns = {{"population", "Population", "text", "", ""},
                     {"people_share", "Share of the people", "percent", "pyramid.lorenz/1", ""},
                     {"value_share", "Share of the " + metric, "percent", "pyramid.lorenz/1", ""}};
        std::int64_t cum = 0, k = 0;  // the sum of the lowest k values
        for (std::int64_t d = 0; d <= 10; ++d) {
            // The curve at d/10 of the people, linear between the people: the lowest
            // floor(d·n/10) values and the fraction left of the next one.
            const std::int64_t whole = d * n / 10, rem = d * n - 10 * whole;
            while (k < whole) cum += asc[std::size_t(k++)];
            const I128 num = I128(cum) * 10 + (rem ? I128(rem) * asc[std::size_t(k)] : 0);
            Cell v = known && total > 0 ? Cell::fixed(double(num) * 100.0 / (double(total) * 10.0))
                                        : Cell::null();
            t.rows.push_back(
                {Cell::str(std::to_string(d * 10) + " %"), Cell::fixed(double(d) * 10), v});
        }
        out.tables.push_back(std::move(t));
    }
    {
        Table t;
        t.id = "gini";
        t.title = "Gini coefficient of " + metric;
        t.columns = {{"metric", "Metric", "text", "", ""},
                     {"people", "People", "count", "pyramid.people/1", ""},
                     {"gini", "Gini", "ratio", "pyramid.gini/1", ""}};
        Cell g = Cell::null();
        if (known && total > 0) {
            // G = (2 Σ i·x_i) / (n Σx) − (n+1)/n, x ascending, i from 1: one exact numerator
            // (2 Σ i·x_i − (n+1) Σx) over n Σx.
            I128 weighted = 0;
            for (std::size_t i = 0; i < asc.size(); ++i) weighted += I128(i + 1) * asc[i];
            const I128 num = 2 * weighted - I128(n + 1) * total;
            g = Cell::fixed(double(num) / (double(n) * double(total)));
        }
        t.rows.push_back({Cell::str(metric), Cell::integer(n), g});
        out.tables.push_back(std::move(t));
    }
    {
        Table t;
        t.id = "top_people";
        t.title = "The people behind the top 20 %";
        t.columns = {{"name", "Name", "text", "", ""},
                     {"tier", "Tier", "text", "", ""},
                     {"value", "Value", unit, "pyramid.top_value/1", ""},
                     {"currency", "Currency", "text", "", ""},
                     {"share", "Share", "percent", "pyramid.top_share/1", ""}};
        if (metric == "engagements") t.columns[2].caveat = caveat(out, "engagements");
        const std::size_t k = std::size_t((20 * n + 99) / 100);
        std::vector<const PyramidPerson*> listed;
        for (std::size_t i = 0; known && i < k; ++i)
            if (desc[i]->value.value_or(0) > 0) listed.push_back(desc[i]);
        if (listed.size() > kMaxListed) {
            out.notes.push_back("the top 20 % are " + std::to_string(listed.size()) +
                                " people: the list shows the first " + std::to_string(kMaxListed));
            listed.resize(kMaxListed);
        }
        std::vector<Id128> ids;
        for (const auto* p : listed) ids.push_back(p->id);
        auto found = names_of(c, Kind::kInfluencer, ids);
        std::map<Id128, std::string> names;
        if (found) names = std::move(found).value();  // else each shows as its id
        for (const auto* p : listed) {
            auto it = names.find(p->id);
            const std::int64_t v = p->value.value_or(0);
            t.rows.push_back({Cell::str(it == names.end() ? p->id.to_text() : it->second),
                              Cell::str(p->tier), Cell::integer(v), Cell::str(currency), share(v)});
        }
        out.tables.push_back(std::move(t));
    }
    return Status::ok();
}

}  // namespace liaison::core::reports
