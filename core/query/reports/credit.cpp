// Conversions credited to the touches that led to them (docs/METRICS.md "Attribution",
// attribution.credit/1): the one rule the AMEC report's impact and the attribution report
// share.
#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "core/query/reports/context.hpp"
#include "core/query/reports/entry_columns.hpp"

namespace liaison::core::reports {
namespace {

struct Target {
    std::optional<Id128> influencer, campaign;
};

struct Touch {
    std::int64_t at = 0;
    Id128 click;
    Target to;
};

// The shares `model` gives to the touches of one journey (in time order; at least one).
void shares(std::string_view model, const std::vector<Touch>& touches, std::int64_t at,
            std::int64_t half_life_days, std::vector<double>& s) {
    const std::size_t n = touches.size();
    s.assign(n, 0.0);
    if (model == "first_click") {
        s.front() = 1;
    } else if (model == "linear") {
        for (auto& v : s) v = 1.0 / double(n);
    } else if (model == "position") {
        if (n == 1) {
            s[0] = 1;
        } else if (n == 2) {
            s[0] = s[1] = 0.5;
        } else {
            s.front() = s.back() = 0.4;
            for (std::size_t i = 1; i + 1 < n; ++i) s[i] = 0.2 / double(n - 2);
        }
    } else if (model == "time_decay") {
        double total = 0;
        const double half_life_ms = double(half_life_days) * double(kDayMs);
        for (std::size_t i = 0; i < n; ++i) {
            s[i] = std::exp2(-double(at - touches[i].at) / half_life_ms);
            total += s[i];
        }
        for (auto& v : s) v /= total;
    } else {  // last_click
        s.back() = 1;
    }
}

}  // namespace

bool credit_wanted(const Ctx& c, const Credit& line) {
    if (c.q.campaign) return line.campaign && *line.campaign == *c.q.campaign;
    if (c.q.programme)
        return line.campaign &&
               std::binary_search(c.campaigns.begin(), c.campaigns.end(), *line.campaign);
    return true;
}

Result<Credits> credits(const Ctx& c, std::string_view model) {
    auto all = credits_by_models(c, {model});
    if (!all) return all.status();
    return std::move(all.value().front());
}

Result<std::vector<Credits>> credits_by_models(const Ctx& c,
                                               const std::vector<std::string_view>& models) {
    std::vector<Credits> all(models.size());
    // Links and promo codes: whom and which campaign they credit. A campaign's or programme's
    // conversions name a few hundred links: each is read when first met; otherwise every
    // link is, in one scan.
    const bool narrowed = c.q.campaign || c.q.programme;
    std::unordered_map<Id128, std::optional<Target>, Id128Hash> links;
    if (!narrowed)
        LIAISON_TRY(c.each(
            "SELECT eid, f_influencer, f_campaign FROM k_tracked_link l WHERE " + Ctx::visible("l"),
            [&](Statement& r) {
                if (auto id = id_at(r, 0)) links[*id] = Target{id_at(r, 1), id_at(r, 2)};
            }));
    auto link_probe = c.store.db().prepare(
        "SELECT f_influencer, f_campaign FROM k_tracked_link l WHERE l.eid=?1 AND " +
        Ctx::visible("l"));
    if (!link_probe) return link_probe.status();
    // The link's target, or nullopt for a link no visible row holds.
    auto link_target = [&](const Id128& id) -> Result<std::optional<Target>> {
        if (auto it = links.find(id); it != links.end() || !narrowed)
            return it == links.end() ? std::nullopt : it->second;
        Statement& st = link_probe.value();
        st.reset();
        st.bind_blob(1, id.bytes.data(), 16);
        const auto s = st.step();
        if (s == Statement::Step::kError) return Status::storage(st.error());
        std::optional<Target> t;
        if (s == Statement::Step::kRow) t = Target{id_at(st, 0), id_at(st, 1)};
        return links[id] = t;
    };
    // A code two collaborations carry credits the newest (the greatest id). Every code, in one
    // scan; narrowed, only the codes the conversions name, once they are read (below), each
    // through the promo-code index (a campaign's few against 2,500 collaborations).
    std::unordered_map<std::string, Target> promos;
    if (!narrowed)
        LIAISON_TRY(
            c.each("SELECT f_promo_code, f_influencer, f_campaign FROM k_collaboration k "
                   "WHERE " +
                       Ctx::visible("k") + " AND f_promo_code IS NOT NULL ORDER BY eid",
                   [&](Statement& r) {
                       promos[std::string(r.column_text(0))] = {id_at(r, 1), id_at(r, 2)};
                   }));

    std::string where = Ctx::visible("a") + " AND " + c.in_scope(Kind::kConversion, "a") + " AND " +
                        c.filtered(Kind::kConversion, "a", false) + " AND " +
                        c.in_period_ms("a", "at");
    // With a programme or campaign filter, the conversions that might credit one of its
    // campaigns: those naming one, or its links, its collaborations' promo codes, or the
    // visitors who clicked its links.
    const std::vector<Id128> narrowing =
        c.q.campaign ? std::vector<Id128>{*c.q.campaign} : c.campaigns;
    const std::string cs = blob_list(narrowing);
    const std::string links_of = "SELECT eid FROM k_tracked_link WHERE f_campaign IN " + cs,
                      codes_of = "SELECT f_promo_code FROM k_collaboration WHERE f_campaign IN " +
                                 cs + " AND f_promo_code IS NOT NULL",
                      visitors_of = "SELECT f_visitor FROM k_click WHERE f_campaign IN " + cs +
                                    " AND f_visitor IS NOT NULL";
    if (narrowed)
        where += " AND (a.f_campaign IN " + cs + " OR a.f_link IN (" + links_of +
                 ") OR a.f_promo_code IN (" + codes_of + ") OR a.f_visitor IN (" + visitors_of +
                 "))";
    struct Conversion {
        Id128 id;
        std::int64_t at = 0, value = 0;
        std::string currency, promo, visitor;
        std::optional<Id128> link;
        std::optional<std::uint32_t> visitor_n;  // its visitor among the clicks' texts
    };
    std::vector<Conversion> conversions;
    if (const EntryColumns* cols = c.conversions ? c.conversions : c.credit_conversions) {
        // The same conversions, from the columns kept in memory (reports/entry_columns.hpp),
        // in the order of their ids as the statement reads them.
        using Cols = EntryColumns;
        const Cols& k = *cols;
        // Narrowed: the statement's four sets, by their numbers in the columns (an id or text
        // no conversion holds has none, and no row to match).
        std::vector<std::uint8_t> campaign_in, link_in, code_in, visitor_in;
        if (narrowed) {
            campaign_in.assign(k.ids() + 1, 0);
            link_in.assign(k.ids() + 1, 0);
            code_in.assign(k.text_count() + 1, 0);
            visitor_in.assign(k.text_count() + 1, 0);
            for (const auto& id : narrowing)
                if (auto n = k.number(id)) campaign_in[*n] = 1;
            LIAISON_TRY(c.each(links_of, [&](Statement& r) {
                if (auto id = id_at(r, 0))
                    if (auto n = k.number(*id)) link_in[*n] = 1;
            }));
            for (auto [sql, in] : {std::pair{&codes_of, &code_in}, {&visitors_of, &visitor_in}})
                LIAISON_TRY(c.each(*sql, [&k, in = in](Statement& r) {
                    if (auto n = k.find_text(std::string(r.column_text(0)))) (*in)[*n] = 1;
                }));
        }
        EntryFilter keeps(c, k);
        std::vector<std::pair<Id128, std::uint32_t>> rows;
        LIAISON_TRY(each_kept(keeps, k, [&](std::size_t r) {
            if (narrowed && !campaign_in[k.refs[kConversionCampaign][r]] && !link_in[k.parent[r]] &&
                !code_in[k.texts[kPromoCode][r]] && !visitor_in[k.texts[kShopperVisitor][r]])
                return;
            rows.emplace_back(k.eid(r), std::uint32_t(r));
        }));
        std::sort(rows.begin(), rows.end());
        auto text = [&k](std::size_t column, std::uint32_t r) {
            const std::uint32_t n = k.texts[column][r];
            return n == Cols::kNone ? std::string() : k.text(n);
        };
        conversions.reserve(rows.size());
        for (const auto& [id, r] : rows) {
            Conversion v;
            v.id = id;
            v.at = k.at[r];
            v.value = Cols::or0(k.ints[kValue][r]);
            v.currency = text(kCurrency, r);
            if (k.parent[r] != Cols::kNone) v.link = k.id(k.parent[r]);
            v.promo = text(kPromoCode, r);
            v.visitor = text(kShopperVisitor, r);
            conversions.push_back(std::move(v));
        }
    } else {
        LIAISON_TRY(
            c.each("SELECT eid, f_at, f_value, f_currency, f_link, f_promo_code, f_visitor "
                   "FROM k_conversion a WHERE " +
                       where + " ORDER BY eid",
                   [&](Statement& r) {
                       Conversion v;
                       v.id = *id_at(r, 0);
                       v.at = r.column_int(1);
                       v.value = r.column_int(2);
                       v.currency = std::string(r.column_text(3));
                       v.link = id_at(r, 4);
                       v.promo = std::string(r.column_text(5));
                       v.visitor = std::string(r.column_text(6));
                       conversions.push_back(std::move(v));
                   }));
    }

    if (narrowed) {
        auto code = c.store.db().prepare(
            "SELECT f_influencer, f_campaign FROM k_collaboration k WHERE f_promo_code=?1 AND " +
            Ctx::visible("k") + " ORDER BY eid DESC LIMIT 1");
        if (!code) return code.status();
        std::unordered_set<std::string> looked;  // codes asked for, whether found or not
        for (const auto& v : conversions) {
            if (v.promo.empty() || !looked.insert(v.promo).second) continue;
            Statement& st = code.value();
            st.reset();
            st.bind(1, std::string_view(v.promo));
            const auto s = st.step();
            if (s == Statement::Step::kError) return Status::storage(st.error());
            if (s == Statement::Step::kRow) promos[v.promo] = {id_at(st, 0), id_at(st, 1)};
        }
    }

    // A journey: the visitor's clicks from `window` days before the conversion up to it, those
    // the caller's scope covers (a regional device holds no other: its figures must be the
    // server's for the same scope), in time order (then by id). On the server, from the report
    // cache's columns: one pass over the clicks gathers those of the conversions' visitors.
    const std::int64_t window_ms = c.settings.window_days * kDayMs;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> visits;  // visitor → rows
    if (c.clicks) {
        const EntryColumns& k = *c.clicks;
        std::vector<std::uint8_t> wanted(k.text_count() + 1, 0);
        for (auto& v : conversions)
            if (!v.visitor.empty() && (v.visitor_n = k.find_text(v.visitor)))
                wanted[*v.visitor_n] = 1;
        EntryFilter in_scope(c, k, EntryFilter::ScopeOnly{});
        const auto& visitor = k.texts[kVisitor];
        for (std::size_t r = 0; r < k.size(); ++r) {
            if (!wanted[visitor[r]]) continue;
            auto in = in_scope.keeps(r);
            if (!in) return in.status();
            if (in.value()) visits[visitor[r]].push_back(std::uint32_t(r));
        }
        for (auto& [n, rows] : visits)
            std::sort(rows.begin(), rows.end(), [&k](std::uint32_t a, std::uint32_t b) {
                return k.at[a] != k.at[b] ? k.at[a] < k.at[b] : k.eid(a) < k.eid(b);
            });
    }
    auto prepared = c.store.db().prepare(
        std::string(
            "SELECT a.eid, a.f_at, a.f_link FROM k_click a WHERE a.f_visitor=?1 AND a.f_at>=?2 AND "
            "a.f_at<=?3 AND ") +
        Ctx::visible("a") + " AND " + c.in_scope(Kind::kClick, "a") + " ORDER BY a.f_at, a.eid");
    if (!prepared) return prepared.status();
    Statement& journey = prepared.value();
    for (auto& out : all) out.lines.reserve(conversions.size());
    std::vector<Touch> touches;
    std::vector<double> weights;
    for (const auto& v : conversions) {
        const std::int64_t day = day_of_ms(v.at);
        auto line = [&](Credits& out, const Target& t, double share, std::string_view evidence) {
            out.lines.push_back(
                {v.id, t.influencer, t.campaign, share, v.value, v.currency, day, evidence});
        };
        touches.clear();
        auto touch = [&](const Id128& click, std::int64_t at,
                         const std::optional<Id128>& link) -> Status {
            Touch t;
            t.click = click;
            t.at = at;
            if (link) {
                auto target = link_target(*link);
                if (!target) return target.status();
                if (target.value()) t.to = *target.value();
            }
            touches.push_back(std::move(t));
            return Status::ok();
        };
        if (v.visitor.empty()) {
        } else if (c.clicks) {
            const EntryColumns& k = *c.clicks;
            auto it = v.visitor_n ? visits.find(*v.visitor_n) : visits.end();
            if (it != visits.end())
                for (std::uint32_t r : it->second) {
                    if (k.at[r] < v.at - window_ms || k.at[r] > v.at) continue;
                    const std::uint32_t link = k.parent[r];
                    LIAISON_TRY(touch(k.eid(r), k.at[r],
                                      link == EntryColumns::kNone
                                          ? std::nullopt
                                          : std::optional<Id128>(k.id(link))));
                }
        } else {
            journey.reset();
            journey.bind(1, std::string_view(v.visitor)).bind(2, v.at - window_ms).bind(3, v.at);
            Statement::Step s;
            while ((s = journey.step()) == Statement::Step::kRow)
                LIAISON_TRY(touch(*id_at(journey, 0), journey.column_int(1), id_at(journey, 2)));
            if (s == Statement::Step::kError) return Status::storage(journey.error());
        }
        for (std::size_t m = 0; m < models.size(); ++m) {
            Credits& out = all[m];
            if (!touches.empty()) {
                ++out.journey;
                shares(models[m], touches, v.at, c.settings.half_life_days, weights);
                for (std::size_t i = 0; i < touches.size(); ++i)
                    if (weights[i] > 0) line(out, touches[i].to, weights[i], "journey");
            } else if (v.link) {
                ++out.link;
                auto target = link_target(*v.link);
                if (!target) return target.status();
                line(out, target.value().value_or(Target{}), 1.0, "link");
            } else if (auto it = promos.find(v.promo); !v.promo.empty() && it != promos.end()) {
                ++out.promo;
                line(out, it->second, 1.0, "promo");
            } else {
                ++out.none;
            }
        }
    }
    return all;
}

}  // namespace liaison::core::reports
