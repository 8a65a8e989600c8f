#include "core/query/compliance_issues.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "core/compliance/calendar.hpp"
#include "core/compliance/contract_fr.hpp"
#include "core/compliance/disclosure.hpp"
#include "core/compliance/gdpr.hpp"
#include "core/query/compliance.hpp"
#include "core/query/reports/context.hpp"
#include "core/query/row_scan.hpp"
#include "core/query/view.hpp"
#include "core/storage/sqlite.hpp"
#include "core/util/text.hpp"

namespace liaison::core {
namespace {

using IdMap = std::unordered_map<Id128, std::size_t, Id128Hash>;

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c <= ' '; });
}
std::string euros(std::int64_t minor) {
    std::string cents = std::to_string(minor % 100);
    if (cents.size() < 2) cents.insert(0, "0");
    return "EUR " + std::to_string(minor / 100) + "." + cents;
}

struct IssuePerson {
    Id128 id;
    std::string name, data_source, notice_sent, created;
    std::optional<Id128> owner, region;
    std::string country, legal_rep_eu, insurance_eu, birth_date;
};

struct Collab {
    Id128 id, person;
    std::string type, status, override_reason, brand_text, objective, currency, starts,
        contract_date, created, contract_status;
    std::optional<Id128> region, campaign, agency;
    std::int64_t fee = 0, in_kind = 0;
};

// The caption checked in each market: the mentions it lacks and the markets that need one.
Result<CaptionCheck> caption_verdict(const compliance::RuleSet& rules,
                                     const std::vector<std::string>& markets,
                                     const std::string& type, const std::string& caption,
                                     bool edited, bool generated) {
    CaptionCheck out;
    for (const auto& m : markets) {
        auto check = compliance::check_disclosure(rules, m, type, caption, edited, generated);
        if (!check) return check.status();
        out.version = check->version;
        if (check->state == compliance::DisclosureState::kMissing) {
            for (const auto& mention : check->mentions)
                if (mention.state != compliance::MentionState::kFound)
                    out.lacking.push_back(mention.id);
        }
        if (check->state == compliance::DisclosureState::kMissing ||
            check->state == compliance::DisclosureState::kOk)
            out.required_in.push_back(m);
    }
    return out;
}

// What every kind's pass shares: the people, the stores' regions, the collaborations, and the
// list being built.
class IssueScan {
public:
    IssueScan(Store& store, std::string_view today, const compliance::RuleSet& rules)
        : store_(store), today_(today), rules_(rules) {}

    Status load() {
        std::unordered_map<Id128, Id128, Id128Hash> store_region;
        LIAISON_TRY(each_row(store_,
                             "SELECT a.eid, a.f_region FROM k_store a WHERE " + visible_sql("a"),
                             [&](Statement& r) {
                                 auto id = id_col(r, 0), region = id_col(r, 1);
                                 if (id && region) store_region.emplace(*id, *region);
                             }));
        region_of_ = [store_region](const std::optional<Id128>& region,
                                    const std::optional<Id128>& st) -> std::optional<Id128> {
            if (region) return region;
            if (!st) return std::nullopt;
            auto it = store_region.find(*st);
            return it == store_region.end() ? std::nullopt : std::optional<Id128>(it->second);
        };
        LIAISON_TRY(each_row(store_,
                             "SELECT a.eid, a.f_name, a.f_owner, a.f_region, a.f_store, "
                             "a.f_data_source, a.f_notice_sent, a.created, a.f_country, "
                             "a.f_legal_rep_eu, a.f_insurance_eu, a.f_birth_date FROM "
                             "k_influencer a WHERE " +
                                 visible_sql("a"),
                             [&](Statement& r) {
                                 auto id = id_col(r, 0);
                                 if (!id) return;
                                 IssuePerson p{*id,
                                               text_col(r, 1),
                                               text_col(r, 5),
                                               text_col(r, 6),
                                               created_date(r, 7),
                                               id_col(r, 2),
                                               region_of_(id_col(r, 3), id_col(r, 4)),
                                               text_col(r, 8),
                                               text_col(r, 9),
                                               text_col(r, 10),
                                               text_col(r, 11)};
                                 people_index_.emplace(*id, people_.size());
                                 people_.push_back(std::move(p));
                             }));
        LIAISON_TRY(each_row(
            store_,
            "SELECT a.eid, a.f_influencer, a.f_type, a.f_status, a.f_override_reason, a.f_brand, "
            "a.f_objective, a.f_currency, a.f_starts, a.f_contract_date, a.created, "
            "a.f_contract_status, a.f_region, a.f_store, a.f_campaign, a.f_agency, a.f_fee, "
            "a.f_in_kind_value FROM k_collaboration a WHERE " +
                visible_sql("a") + " AND (a.f_status IS NULL OR a.f_status<>'cancelled')",
            [&](Statement& r) {
                auto id = id_col(r, 0), who = id_col(r, 1);
                if (!id || !who) return;
                Collab c;
                c.id = *id;
                c.person = *who;
                c.type = text_col(r, 2);
                c.status = text_col(r, 3);
                c.override_reason = text_col(r, 4);
                if (auto b = id_col(r, 5)) c.brand_text = b->to_text();
                c.objective = text_col(r, 6);
                c.currency = text_col(r, 7);
                c.starts = text_col(r, 8);
                c.contract_date = text_col(r, 9);
                c.created = created_date(r, 10);
                c.contract_status = text_col(r, 11);
                c.region = region_of_(id_col(r, 12), id_col(r, 13));
                c.campaign = id_col(r, 14);
                c.agency = id_col(r, 15);
                c.fee = r.column_int(16);
                c.in_kind = r.column_int(17);
                collabs_.push_back(std::move(c));
            }));
        // By id: the contract sums' input order, so a group's "latest" is the same everywhere.
        std::sort(collabs_.begin(), collabs_.end(),
                  [](const Collab& a, const Collab& b) { return a.id < b.id; });
        for (std::size_t i = 0; i < collabs_.size(); ++i) collab_index_.emplace(collabs_[i].id, i);
        return Status::ok();
    }

    Status vetting_due();
    Status disclosure_missing();
    Status contracts();
    Status mandates();
    Status notices();
    Status requests();
    Status partners();
    Status promotions();

    std::vector<ComplianceIssue> take() { return std::move(out_); }

private:
    // Her record, or that of the person she was merged into; null when neither is visible.
    const IssuePerson* person(const Id128& id) const {
        for (const Id128& k : {store_.root_of(id), id}) {
            auto it = people_index_.find(k);
            if (it != people_index_.end()) return &people_[it->second];
        }
        return nullptr;
    }
    const Collab* collab(const Id128& id) const {
        auto it = collab_index_.find(id);
        return it == collab_index_.end() ? nullptr : &collabs_[it->second];
    }
    ComplianceIssue& add(const char* type, const IssuePerson& p, const char* rule) {
        ComplianceIssue i;
        i.type = type;
        i.person = p.id;
        i.person_name = p.name;
        i.region = p.region;
        i.owner = p.owner;
        i.rule = rule == nullptr ? "" : rule;
        out_.push_back(std::move(i));
        return out_.back();
    }
    ComplianceIssue& add(const char* type, const IssuePerson& p, const Collab& c,
                         const std::string& rule) {
        ComplianceIssue& i = add(type, p, nullptr);
        i.rule = rule;
        i.collaboration = c.id;
        if (c.region) i.region = c.region;
        i.campaign = c.campaign;
        return i;
    }

    Store& store_;
    std::string today_;
    const compliance::RuleSet& rules_;
    std::function<std::optional<Id128>(const std::optional<Id128>&, const std::optional<Id128>&)>
        region_of_;
    std::vector<IssuePerson> people_;
    IdMap people_index_;
    std::vector<Collab> collabs_;
    IdMap collab_index_;
    std::vector<ComplianceIssue> out_;
};

Status IssueScan::vetting_due() {
    const auto& gated = rules_.vetting.gated_statuses;
    std::unordered_map<Id128, compliance::VettingStatus, Id128Hash> vetting;  // by person
    for (const Collab& c : collabs_) {
        if (std::find(gated.begin(), gated.end(), c.status) == gated.end()) continue;
        if (!blank(c.override_reason)) continue;  // the central team's override stands
        const IssuePerson* p = person(c.person);
        if (!p) continue;
        auto it = vetting.find(p->id);
        if (it == vetting.end()) {
            auto v = vetting_of(store_, p->id, today_, rules_);
            if (!v) return v.status();
            it = vetting.emplace(p->id, std::move(v).value()).first;
        }
        const auto& v = it->second;
        if (v.state == compliance::VettingState::kPassed) continue;
        add("vetting_due", *p, c, v.version).detail =
            "collaboration is " + c.status + " but her vetting is " +
            compliance::vetting_state_name(v.state) + " and no override was given";
    }
    return Status::ok();
}

Status IssueScan::disclosure_missing() {
    struct Post {
        Id128 id, collab;
        std::string caption, markets, campaign_markets;
        bool edited = false, generated = false, checked = false;
        std::optional<bool> found;  // the reviewer's verdict, when recorded
    };
    std::vector<Post> posts;
    LIAISON_TRY(each_row(
        store_,
        "SELECT c.eid, c.f_collaboration, c.f_caption, c.f_image_edited, c.f_image_generated, "
        "c.f_disclosure_checked_at IS NOT NULL, c.f_disclosure_found, " +
            set_sql(store_, "k.eid", Kind::kCollaboration, "markets") + ", " +
            set_sql(store_, "k.f_campaign", Kind::kCampaign, "markets") +
            " FROM k_content c JOIN k_collaboration k ON k.eid=c.f_collaboration WHERE " +
            visible_sql("c") + " AND " + visible_sql("k") + " AND k.f_type IN ('paid','gifted')",
        [&](Statement& r) {
            auto id = id_col(r, 0), k = id_col(r, 1);
            if (!id || !k) return;
            posts.push_back(
                {*id, *k, text_col(r, 2), text_col(r, 7), text_col(r, 8), r.column_int(3) == 1,
                 r.column_int(4) == 1, r.column_int(5) == 1,
                 r.column_is_null(6) ? std::nullopt : std::optional<bool>(r.column_int(6) == 1)});
        }));
    for (const Post& post : posts) {
        const Collab* c = collab(post.collab);
        const IssuePerson* p = c ? person(c->person) : nullptr;
        if (!p) continue;
        // The collaboration's own markets, else its campaign's.
        auto verdict = caption_verdict(
            rules_, split_commas(post.markets.empty() ? post.campaign_markets : post.markets),
            c->type, post.caption, post.edited, post.generated);
        if (!verdict) return verdict.status();
        const auto& [lacking, required_in, version] = verdict.value();
        if (required_in.empty()) continue;
        // The reviewer's check, once made with a verdict, decides: she saw the post, so a
        // mention in the image, the audio or a platform's label counts, and the caption alone
        // does not. A check without a verdict leaves the caption to decide.
        std::string detail;
        if (post.checked && post.found) {
            if (*post.found) continue;
            detail = "the reviewer found no mention";
        } else if (!lacking.empty()) {
            detail = "the caption lacks";
            for (const auto& l : lacking) detail += " " + l;
        } else if (!post.checked && !post.found.value_or(false)) {
            detail = "nobody checked its disclosure";
        } else {
            continue;
        }
        detail += " (" + c->type + ", markets";
        for (const auto& m : required_in) detail += " " + m;
        detail += ")";
        ComplianceIssue& i = add("disclosure_missing", *p, *c, version);
        i.content = post.id;
        i.detail = std::move(detail);
    }
    return Status::ok();
}

Status IssueScan::contracts() {
    const std::string& eur = rules_.contract_fr.currency;
    std::optional<reports::Rates> rates;
    std::vector<compliance::CollaborationAmount> amounts;
    for (const Collab& c : collabs_) {
        const IssuePerson* p = person(c.person);
        if (!p || c.brand_text.empty()) continue;  // no advertiser: nothing to sum under
        const std::string& day = !c.starts.empty()          ? c.starts
                                 : !c.contract_date.empty() ? c.contract_date
                                                            : c.created;
        if (day.size() < 4) continue;
        compliance::CollaborationAmount a;
        a.collaboration = c.id.to_text();
        a.fees_minor = c.fee;
        a.in_kind_minor = c.in_kind;
        a.currency = c.currency.empty() ? eur : c.currency;
        if (a.currency != eur && (a.fees_minor != 0 || a.in_kind_minor != 0)) {
            if (!rates) {
                auto loaded = reports::Rates::load(store_);
                if (!loaded) return loaded.status();
                rates = std::move(loaded).value();
            }
            const std::int64_t d = reports::days_of(day);
            auto fee = rates->convert(a.fees_minor, a.currency, eur, d);
            auto kind = rates->convert(a.in_kind_minor, a.currency, eur, d);
            // Without a rate the amounts stay in their currency: the rule lists them apart.
            if (fee && kind) {
                a.fees_minor = *fee;
                a.in_kind_minor = *kind;
                a.currency = eur;
            }
        } else {
            a.currency = eur;
        }
        a.year = std::stoi(day.substr(0, 4));
        a.advertiser = c.brand_text;
        a.influencer = p->id.to_text();
        a.objective = c.objective.empty() ? "(none)" : c.objective;
        a.contract_signed = c.contract_status == "signed";
        amounts.push_back(std::move(a));
    }
    if (amounts.empty()) return Status::ok();
    auto report = compliance::contract_threshold_fr(rules_, amounts);
    if (!report) return report.status();
    for (const auto& g : report->groups) {
        const std::string of = euros(g.sum_minor) + " in " + std::to_string(g.year) + " across " +
                               std::to_string(g.collaborations.size()) +
                               " collaboration(s) with this brand, threshold " +
                               euros(report->threshold_minor);
        if (g.state == compliance::ContractState::kRequired) {
            for (const auto& text : g.unsigned_over) {
                const Collab* c = collab(*Id128::from_text(text));
                ComplianceIssue& i =
                    add("contract_missing", *person(c->person), *c, report->version);
                i.detail = "no signed written contract: " + of;
            }
        } else if (g.state == compliance::ContractState::kWarn) {
            // One issue per group, on its latest unsigned collaboration (input order is ids').
            const Collab* last = nullptr;
            for (const auto& text : g.collaborations) {
                const Collab* c = collab(*Id128::from_text(text));
                if (c->contract_status != "signed") last = c;
            }
            if (!last) continue;
            ComplianceIssue& i =
                add("contract_warn", *person(last->person), *last, report->version);
            i.detail = "near the written-contract threshold: " + of;
        }
    }
    return Status::ok();
}

Status IssueScan::mandates() {
    struct Agency {
        std::string name, ref, from, to;
    };
    std::unordered_map<Id128, Agency, Id128Hash> agencies;
    LIAISON_TRY(each_row(store_,
                         "SELECT a.eid, a.f_name, a.f_mandate_ref, a.f_mandate_from, "
                         "a.f_mandate_to FROM k_intermediary a WHERE " +
                             visible_sql("a") + " AND a.f_type='agency'",
                         [&](Statement& r) {
                             if (auto id = id_col(r, 0))
                                 agencies.emplace(*id, Agency{text_col(r, 1), text_col(r, 2),
                                                              text_col(r, 3), text_col(r, 4)});
                         }));
    for (const Collab& c : collabs_) {
        if (!c.agency || c.status == "completed" || c.status == "closed") continue;
        auto it = agencies.find(*c.agency);
        if (it == agencies.end()) continue;
        const Agency& a = it->second;
        std::string why;
        if (blank(a.ref))
            why = "has no mandate reference";
        else if (!a.from.empty() && today_ < a.from)
            why = "has a mandate starting " + a.from;
        else if (!a.to.empty() && a.to < today_)
            why = "has a mandate that ended " + a.to;
        else
            continue;
        const IssuePerson* p = person(c.person);
        if (!p) continue;
        ComplianceIssue& i = add("mandate_missing", *p, c, "");
        i.intermediary = *c.agency;
        i.detail = "agency " + a.name + " " + why;
    }
    return Status::ok();
}

Status IssueScan::notices() {
    std::vector<const IssuePerson*> due;
    for (const IssuePerson& p : people_)
        if (!blank(p.data_source) && p.notice_sent.empty() && !p.created.empty() &&
            store_.root_of(p.id) == p.id)
            due.push_back(&p);
    if (due.empty()) return Status::ok();
    // Her first contact, over her merged duplicates too.
    std::unordered_map<Id128, std::int64_t, Id128Hash> first;
    LIAISON_TRY(each_row(store_,
                         "SELECT a.f_influencer, MIN(a.f_at) FROM k_interaction a WHERE " +
                             visible_sql("a") + " AND a.f_at IS NOT NULL GROUP BY a.f_influencer",
                         [&](Statement& r) {
                             auto who = id_col(r, 0);
                             if (!who) return;
                             const Id128 root = store_.root_of(*who);
                             const std::int64_t at = r.column_int(1);
                             auto [it, fresh] = first.emplace(root, at);
                             if (!fresh && at < it->second) it->second = at;
                         }));
    for (const IssuePerson* p : due) {
        auto f = first.find(p->id);
        std::string contact = f == first.end() ? "" : iso_date(f->second);
        // A contact logged before her record was created counts as on its creation day.
        if (!contact.empty() && contact < p->created) contact = p->created;
        auto n = compliance::notice_due(rules_, p->created, contact);
        if (!n) return n.status();
        if (n->due >= today_) continue;
        ComplianceIssue& i = add("notice_overdue", *p, rules_.gdpr.version.c_str());
        i.due = n->due;
        i.detail = std::string("article 14 notice not sent, due ") +
                   (n->at_first_contact ? "at the first contact" : "one month after collection");
    }
    return Status::ok();
}

Status IssueScan::requests() {
    struct Request {
        Id128 id, person;
        std::string type, received;
    };
    std::vector<Request> open;
    LIAISON_TRY(each_row(store_,
                         "SELECT a.eid, a.f_influencer, a.f_type, a.f_received FROM "
                         "k_gdpr_request a WHERE " +
                             visible_sql("a") + " AND (a.f_status IS NULL OR a.f_status='open')",
                         [&](Statement& r) {
                             auto id = id_col(r, 0), who = id_col(r, 1);
                             if (id && who)
                                 open.push_back({*id, *who, text_col(r, 2), text_col(r, 3)});
                         }));
    for (const Request& q : open) {
        const IssuePerson* p = person(q.person);
        if (!p) continue;
        auto due = compliance::gdpr_due(rules_, q.type, q.received);
        if (!due) return due.status();
        if (due.value() > today_) continue;
        ComplianceIssue& i = add("request_due", *p, rules_.gdpr.version.c_str());
        i.request = q.id;
        i.due = due.value();
        i.detail = q.type + " request received " + q.received +
                   (due.value() == today_ ? ", due today" : ", overdue");
    }
    return Status::ok();
}

// Of the people a collaboration not cancelled names, once each (on the first by id): one
// established outside the EU who targets a market that needs an EU representative, with no
// representative or insurance recorded (gdpr table, needs_eu_representative), and a minor
// (is_minor). A person with no country or birth date recorded cannot be judged: not listed.
Status IssueScan::partners() {
    std::unordered_map<Id128, std::string, Id128Hash> markets_of;
    LIAISON_TRY(each_row(store_,
                         "SELECT a.eid, " +
                             set_sql(store_, "a.eid", Kind::kCollaboration, "markets") + ", " +
                             set_sql(store_, "a.f_campaign", Kind::kCampaign, "markets") +
                             " FROM k_collaboration a WHERE " + visible_sql("a"),
                         [&](Statement& r) {
                             auto id = id_col(r, 0);
                             if (!id) return;
                             std::string own = text_col(r, 1);
                             markets_of.emplace(*id, own.empty() ? text_col(r, 2) : own);
                         }));
    std::unordered_map<Id128, bool, Id128Hash> seen_rep, seen_minor;
    for (const Collab& c : collabs_) {
        const IssuePerson* p = person(c.person);
        if (!p) continue;
        if (!p->country.empty() && seen_rep.emplace(p->id, true).second) {
            auto needs = compliance::needs_eu_representative(rules_, p->country,
                                                             split_commas(markets_of[c.id]));
            if (!needs) return needs.status();
            if (needs.value() && (blank(p->legal_rep_eu) || blank(p->insurance_eu))) {
                ComplianceIssue& i = add("representative_missing", *p, c, rules_.gdpr.version);
                i.detail = std::string("established in ") + p->country +
                           ", targets a market that needs an EU " +
                           (blank(p->legal_rep_eu) ? "representative" : "insurance") +
                           ", none recorded";
            } else if (!needs.value()) {
                seen_rep.erase(p->id);  // another collaboration may target such a market
            }
        }
        if (!p->birth_date.empty() && seen_minor.emplace(p->id, true).second) {
            auto minor = compliance::is_minor(rules_, p->birth_date, today_);
            if (!minor) continue;  // a birth date after today: not a minor to flag
            if (!minor.value()) continue;
            ComplianceIssue& i = add("minor", *p, c, rules_.gdpr.version);
            i.detail = "born " + p->birth_date + ", under the age of majority";
        }
    }
    return Status::ok();
}

// Campaigns not ended whose product category the promotions table names, when they target its
// market: their own markets, or those of one of their collaborations (not cancelled). The
// verdict is check_promotion's; the condition attested is the campaign's promotion_condition.
Status IssueScan::promotions() {
    const compliance::PromotionTable& table = rules_.promotions_fr;
    struct Campaign {
        Id128 id;
        std::string name, category, condition, ends, markets;
        std::optional<Id128> region;
    };
    std::vector<Campaign> campaigns;
    LIAISON_TRY(each_row(
        store_,
        "SELECT a.eid, a.f_name, a.f_product_category, a.f_promotion_condition, "
        "a.f_ends, a.f_region, a.f_store, " +
            set_sql(store_, "a.eid", Kind::kCampaign, "markets") + " FROM k_campaign a WHERE " +
            visible_sql("a") + " AND a.f_product_category IS NOT NULL",
        [&](Statement& r) {
            auto id = id_col(r, 0);
            if (!id) return;
            campaigns.push_back({*id, text_col(r, 1), ascii_lower(trim(text_col(r, 2))),
                                 std::string(trim(text_col(r, 3))), text_col(r, 4), text_col(r, 7),
                                 region_of_(id_col(r, 5), id_col(r, 6))});
        }));
    if (campaigns.empty()) return Status::ok();
    // The markets each campaign's collaborations target (a cancelled one is not in collabs_).
    std::unordered_map<Id128, std::vector<std::string>, Id128Hash> collab_markets;
    LIAISON_TRY(each_row(
        store_,
        "SELECT a.eid, " + set_sql(store_, "a.eid", Kind::kCollaboration, "markets") +
            " FROM k_collaboration a WHERE " + visible_sql("a") + " AND a.f_campaign IS NOT NULL",
        [&](Statement& r) {
            auto id = id_col(r, 0);
            const Collab* c = id ? collab(*id) : nullptr;
            if (!c || !c->campaign) return;
            for (auto& m : split_commas(text_col(r, 1)))
                collab_markets[*c->campaign].push_back(std::move(m));
        }));
    for (const Campaign& k : campaigns) {
        if (!k.ends.empty() && k.ends < today_) continue;  // ended
        const bool named = std::any_of(
            table.categories.begin(), table.categories.end(),
            [&](const compliance::PromotionCategory& c) { return c.category == k.category; });
        if (!named) continue;  // free text, or a category the table does not restrict
        auto markets = split_commas(k.markets);
        const bool own = std::find(markets.begin(), markets.end(), table.market) != markets.end();
        const auto& via = collab_markets[k.id];
        if (!own && std::find(via.begin(), via.end(), table.market) == via.end()) continue;
        std::vector<std::string> attested;
        if (!k.condition.empty()) attested.push_back(k.condition);
        auto check = compliance::check_promotion(rules_, table.market, k.category, attested);
        if (!check) return check.status();
        const char* type = nullptr;
        std::string detail = k.category + " ";
        if (check->verdict == compliance::PromotionVerdict::kProhibited) {
            type = "promotion_prohibited";
            detail += "may not be promoted by influencers in " + table.market;
        } else if (check->verdict == compliance::PromotionVerdict::kRestrictedNotMet) {
            type = "promotion_restricted";
            detail += "is restricted in " + table.market + ": its condition " + check->condition +
                      " is not attested";
        } else {
            continue;
        }
        detail += own ? " (the campaign targets it)" : " (a collaboration targets it)";
        ComplianceIssue i;
        i.type = type;
        i.campaign = k.id;
        i.campaign_name = k.name;
        i.region = k.region;
        i.rule = check->version;
        i.detail = std::move(detail);
        out_.push_back(std::move(i));
    }
    return Status::ok();
}

std::size_t type_rank(std::string_view type) {
    return std::size_t(std::find(std::begin(kIssueTypes), std::end(kIssueTypes), type) -
                       std::begin(kIssueTypes));
}

// The id of what the issue is about, for the order's last key.
Id128 subject(const ComplianceIssue& i) {
    for (const auto* id : {&i.content, &i.request, &i.collaboration, &i.person, &i.campaign})
        if (*id) return **id;
    return Id128{};
}

bool kept(const ComplianceIssue& i, const IssueFilter& f) {
    if (!f.type.empty() && i.type != f.type) return false;
    if (f.region && i.region != f.region) return false;
    if (f.campaign && i.campaign != f.campaign) return false;
    if (f.owner && i.owner != f.owner) return false;
    if (f.person && i.person != *f.person) return false;
    if (!f.global &&
        (!i.region || std::find(f.regions.begin(), f.regions.end(), *i.region) == f.regions.end()))
        return false;
    return true;
}

}  // namespace

bool is_issue_type(std::string_view type) { return type_rank(type) < std::size(kIssueTypes); }

Result<std::vector<ComplianceIssue>> compliance_issues(Store& store, const IssueFilter& filter,
                                                       std::string_view today,
                                                       const compliance::RuleSet& rules) {
    if (!filter.type.empty() && !is_issue_type(filter.type))
        return Status::invalid("type: not a compliance issue type");
    if (filter.limit < 1 || filter.limit > kMaxIssues)
        return Status::invalid("limit: from 1 to " + std::to_string(kMaxIssues));
    LIAISON_TRY(compliance::check_date("today", today));
    IssueScan scan(store, today, rules);
    LIAISON_TRY(scan.load());
    const auto wants = [&](std::string_view t) { return filter.type.empty() || filter.type == t; };
    if (wants("vetting_due")) LIAISON_TRY(scan.vetting_due());
    if (wants("disclosure_missing")) LIAISON_TRY(scan.disclosure_missing());
    if (wants("contract_missing") || wants("contract_warn")) LIAISON_TRY(scan.contracts());
    if (wants("mandate_missing")) LIAISON_TRY(scan.mandates());
    if (wants("notice_overdue")) LIAISON_TRY(scan.notices());
    if (wants("request_due")) LIAISON_TRY(scan.requests());
    if (wants("representative_missing") || wants("minor")) LIAISON_TRY(scan.partners());
    if (wants("promotion_prohibited") || wants("promotion_restricted"))
        LIAISON_TRY(scan.promotions());

    std::vector<ComplianceIssue> all = scan.take();
    std::vector<ComplianceIssue> out;
    for (auto& i : all)
        if (kept(i, filter)) out.push_back(std::move(i));
    std::sort(out.begin(), out.end(), [](const ComplianceIssue& a, const ComplianceIssue& b) {
        const auto ra = type_rank(a.type), rb = type_rank(b.type);
        if (ra != rb) return ra < rb;
        if (a.due.empty() != b.due.empty()) return b.due.empty();  // dated first
        if (a.due != b.due) return a.due < b.due;
        return subject(a) < subject(b);
    });
    if (out.size() > filter.limit) out.resize(filter.limit);
    return out;
}

Result<std::optional<CaptionCheck>> post_caption_check(Store& store, const Id128& content,
                                                       const compliance::RuleSet& rules) {
    std::optional<CaptionCheck> out;
    Status failed = Status::ok();
    LIAISON_TRY(each_row(
        store,
        "SELECT c.f_caption, c.f_image_edited, c.f_image_generated, k.f_type, " +
            set_sql(store, "k.eid", Kind::kCollaboration, "markets") + ", " +
            set_sql(store, "k.f_campaign", Kind::kCampaign, "markets") +
            " FROM k_content c JOIN k_collaboration k ON k.eid=c.f_collaboration WHERE c.eid=" +
            id_literal(content) + " AND " + visible_sql("c") + " AND " + visible_sql("k"),
        [&](Statement& r) {
            const std::string own = text_col(r, 4);
            auto v = caption_verdict(rules, split_commas(own.empty() ? text_col(r, 5) : own),
                                     text_col(r, 3), text_col(r, 0), r.column_int(1) == 1,
                                     r.column_int(2) == 1);
            if (!v)
                failed = v.status();
            else
                out = std::move(v).value();
        }));
    LIAISON_TRY(failed);
    return out;
}

std::map<std::string, std::size_t> issue_counts(const std::vector<ComplianceIssue>& issues) {
    std::map<std::string, std::size_t> out;
    for (auto t : kIssueTypes) out[std::string(t)] = 0;
    for (const auto& i : issues) ++out[i.type];
    return out;
}

}  // namespace liaison::core
