#include "core/query/retention.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/compliance/calendar.hpp"
#include "core/query/pipeline.hpp"
#include "core/query/row_scan.hpp"
#include "core/query/view.hpp"

namespace liaison::core {
namespace {

using IdSet = std::unordered_set<Id128, Id128Hash>;

// A person's last contact: its UTC day and the kind of entry it was.
struct Contact {
    std::string day;
    std::string kind;
};

struct RetentionPerson {
    Id128 id;
    std::string name, tier, created;
    std::vector<std::string> roles;
    bool held = false;
};

// Whether `who` names a value the record can hold: a tier or a role (core/model/schema.cpp).
bool known_who(std::string_view who) {
    const KindDef& k = kind_def(Kind::kInfluencer);
    const auto& tiers = k.fields[std::size_t(k.field_index("tier"))].choices;
    const auto& roles = k.sets[std::size_t(k.set_index("roles"))].choices;
    return std::find(tiers.begin(), tiers.end(), who) != tiers.end() ||
           std::find(roles.begin(), roles.end(), who) != roles.end();
}

// Rule 1 of retention.hpp: she is a `who` by her tier or her roles, and nothing else.
bool is_only(const RetentionPerson& p, std::string_view who) {
    const bool by_tier = p.tier == who;
    const bool by_role = std::find(p.roles.begin(), p.roles.end(), who) != p.roles.end();
    if (!by_tier && !by_role) return false;
    if (!p.tier.empty() && !by_tier) return false;
    return std::all_of(p.roles.begin(), p.roles.end(),
                       [&](const std::string& r) { return r == who; });
}

// " AND <column> IN (X'…',…)" over `ids`, or "" for every row. Ids are bytes written as hex,
// so no text of the record reaches the statement.
std::string only_sql(std::string_view column, const std::vector<Id128>* ids) {
    if (!ids) return "";
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = " AND " + std::string(column) + " IN (";
    for (std::size_t i = 0; i < ids->size(); ++i) {
        out += i ? ",X'" : "X'";
        for (std::uint8_t b : (*ids)[i].bytes) {
            out += kHex[b >> 4];
            out += kHex[b & 15];
        }
        out += "'";
    }
    return out + ")";
}

// One pass over the record (or over one component: `only`), then a verdict per person.
class RetentionScan {
public:
    RetentionScan(Store& store, const compliance::RuleSet& rules, std::string_view today,
                  const std::vector<Id128>* only)
        : store_(store), rules_(rules), today_(today), only_(only) {}

    Status load() {
        const std::string roles = set_sql(store_, "a.eid", Kind::kInfluencer, "roles");
        LIAISON_TRY(each_row(
            store_,
            "SELECT a.eid, a.f_name, a.f_tier, a.created, a.f_legal_hold, " + roles +
                " FROM k_influencer a WHERE " + visible_sql("a") + only_sql("a.eid", only_),
            [&](Statement& r) {
                auto id = id_col(r, 0);
                // Merged duplicates are judged with their root.
                if (!id || store_.root_of(*id) != *id) return;
                people_.push_back({*id, text_col(r, 1), text_col(r, 2), created_date(r, 3),
                                   split_commas(text_col(r, 5)),
                                   !r.column_is_null(4) && r.column_int(4) == 1});
            }));
        // The last contact per kind, each entry counted for the root of its subject.
        for (const auto& kc :
             {std::pair{"interaction", "f_at"}, std::pair{"checkin", "f_at"},
              std::pair{"invitation", "f_at"}, std::pair{"content", "f_published_at"}}) {
            // (Not a structured binding: clang 14 cannot capture one in the lambda below.)
            const char* kind = kc.first;
            const char* column = kc.second;
            LIAISON_TRY(each_row(store_,
                                 std::string("SELECT a.f_influencer, MAX(a.") + column +
                                     ") FROM k_" + kind + " a WHERE " + visible_sql("a") +
                                     " AND a." + column + " IS NOT NULL" +
                                     only_sql("a.f_influencer", only_) + " GROUP BY a.f_influencer",
                                 [&](Statement& r) {
                                     if (auto who = id_col(r, 0))
                                         contact(*who, iso_date(r.column_int(1)), kind);
                                 }));
        }
        // A collaboration: a contact on its creation day, its start and its end; under way
        // unless closed or cancelled.
        return each_row(
            store_,
            "SELECT a.f_influencer, a.created, a.f_starts, a.f_ends, a.f_status FROM "
            "k_collaboration a WHERE " +
                visible_sql("a") + only_sql("a.f_influencer", only_),
            [&](Statement& r) {
                auto who = id_col(r, 0);
                if (!who) return;
                for (const std::string& day : {created_date(r, 1), text_col(r, 2), text_col(r, 3)})
                    if (!day.empty()) contact(*who, day, "collaboration");
                const std::string written = text_col(r, 4);
                const std::string_view status = canonical_status(written);
                if (status != "closed" && status != "cancelled")
                    open_collaboration_.insert(store_.root_of(*who));
            });
    }

    Status load_requests() {
        return each_row(store_,
                        "SELECT a.f_influencer FROM k_gdpr_request a WHERE " + visible_sql("a") +
                            " AND (a.f_status IS NULL OR a.f_status='open')" +
                            only_sql("a.f_influencer", only_),
                        [&](Statement& r) {
                            if (auto who = id_col(r, 0)) open_request_.insert(store_.root_of(*who));
                        });
    }

    // The verdict on `p`: under the first rule that matches her and whose period has passed.
    RetentionVerdict judge(const RetentionPerson& p) const {
        RetentionVerdict v;
        auto last = last_.find(p.id);
        for (const auto& rule : rules_.gdpr.retention) {
            if (!is_only(p, rule.who)) continue;
            const std::string since = last != last_.end() ? last->second.day : p.created;
            // A record without a creation stamp cannot be dated: never due.
            if (!compliance::check_date("since", since)) continue;
            const std::string due = compliance::date_text(
                compliance::add_months(compliance::ymd_of(since), rule.months_without_contact));
            if (due > today_) continue;
            RetentionCandidate& c = v.candidate;
            c.person = p.id;
            c.name = p.name;
            c.rule = rule.id;
            if (last != last_.end()) {
                c.last_contact = last->second.day;
                c.last_contact_kind = last->second.kind;
            }
            c.created = p.created;
            c.due_since = due;
            if (p.held) {
                v.state = RetentionState::kHeld;
                c.reason = "legal_hold";
            } else if (open_request_.count(p.id)) {
                v.state = RetentionState::kSkipped;
                c.reason = "open_gdpr_request";
            } else if (open_collaboration_.count(p.id)) {
                v.state = RetentionState::kSkipped;
                c.reason = "open_collaboration";
            } else {
                v.state = RetentionState::kDue;
            }
            return v;
        }
        return v;
    }

    const std::vector<RetentionPerson>& people() const { return people_; }

private:
    void contact(const Id128& who, std::string day, const char* kind) {
        auto [it, fresh] = last_.try_emplace(store_.root_of(who), Contact{day, kind});
        if (!fresh && day > it->second.day) it->second = Contact{std::move(day), kind};
    }

    Store& store_;
    const compliance::RuleSet& rules_;
    std::string today_;
    const std::vector<Id128>* only_;
    std::vector<RetentionPerson> people_;
    std::unordered_map<Id128, Contact, Id128Hash> last_;
    IdSet open_request_, open_collaboration_;
};

Status check_rules(const compliance::RuleSet& rules, std::string_view today) {
    LIAISON_TRY(compliance::check_date("today", today));
    for (const auto& r : rules.gdpr.retention)
        if (!known_who(r.who))
            return Status::invalid("retention rule " + r.id + ": who \"" + r.who +
                                   "\" is neither a tier nor a role of the record");
    return Status::ok();
}

}  // namespace

Result<RetentionReport> due_for_retention(Store& store, const compliance::RuleSet& rules,
                                          std::string_view today, std::size_t limit) {
    LIAISON_TRY(check_rules(rules, today));
    if (limit == 0 || limit > kMaxRetentionPeople)
        return Status::invalid("limit: from 1 to " + std::to_string(kMaxRetentionPeople));
    RetentionScan scan(store, rules, today, nullptr);
    LIAISON_TRY(scan.load());
    LIAISON_TRY(scan.load_requests());
    RetentionReport out;
    out.today = std::string(today);
    out.rules = rules.gdpr.version;
    for (const RetentionPerson& p : scan.people()) {
        RetentionVerdict v = scan.judge(p);
        switch (v.state) {
            case RetentionState::kDue:
                out.due.push_back(std::move(v.candidate));
                break;
            case RetentionState::kHeld:
                out.held.push_back(std::move(v.candidate));
                break;
            case RetentionState::kSkipped:
                out.skipped.push_back(std::move(v.candidate));
                break;
            case RetentionState::kNotDue:
                break;
        }
    }
    for (auto* list : {&out.due, &out.held, &out.skipped}) {
        std::sort(list->begin(), list->end(),
                  [](const RetentionCandidate& a, const RetentionCandidate& b) {
                      if (a.due_since != b.due_since) return a.due_since < b.due_since;
                      return a.person < b.person;
                  });
        if (list->size() > limit) {
            list->resize(limit);
            out.truncated = true;
        }
    }
    return out;
}

Result<RetentionVerdict> retention_verdict(Store& store, const compliance::RuleSet& rules,
                                           std::string_view today, const Id128& person) {
    LIAISON_TRY(check_rules(rules, today));
    if (store.is_erased(person)) return RetentionVerdict{};
    const std::vector<Id128> members = store.component_of(person);
    RetentionScan scan(store, rules, today, &members);
    LIAISON_TRY(scan.load());
    LIAISON_TRY(scan.load_requests());
    for (const RetentionPerson& p : scan.people())
        if (p.id == store.root_of(person)) return scan.judge(p);
    return RetentionVerdict{};
}

}  // namespace liaison::core
