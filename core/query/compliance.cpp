#include "core/query/compliance.hpp"

#include <algorithm>

#include "core/compliance/calendar.hpp"
#include "core/util/text.hpp"

namespace liaison::core {
namespace {

// The visible entries of `kind` about her or a duplicate merged into her.
Result<std::vector<RowState>> entries_about(Store& store, Kind kind, const Id128& person) {
    const int field = kind_def(kind).field_index("influencer");
    std::vector<RowState> out;
    for (const auto& member : store.component_of(store.root_of(person))) {
        auto ids = store.ids_where(kind, field, member.to_text());
        if (!ids) return ids.status();
        for (const auto& id : ids.value()) {
            auto row = store.load_row(kind, id);
            if (!row) return row.status();
            if (row.value() && row.value()->visible()) out.push_back(std::move(*row.value()));
        }
    }
    return out;
}

}  // namespace

Result<std::vector<compliance::VettingRecord>> vetting_records(Store& store, const Id128& person,
                                                               const compliance::RuleSet& rules) {
    auto rows = entries_about(store, Kind::kVetting, person);
    if (!rows) return rows.status();
    // Entry order, then the status's tie rule (the later in the list) is the later id.
    std::sort(rows->begin(), rows->end(),
              [](const RowState& a, const RowState& b) { return a.id < b.id; });
    std::vector<compliance::VettingRecord> out;
    for (const auto& row : rows.value()) {
        compliance::VettingRecord r;
        if (const auto* d = row.text("reviewed")) r.date = *d;
        if (const auto* e = row.text("expires")) r.expiry = *e;
        // A record the rules cannot read — no review date, or an expiry not after it, which
        // each field's own validation cannot see — is left out: the one before it counts. The
        // central form refuses both (docs/COMPLIANCE.md, "Vetting").
        if (!compliance::check_date("reviewed", r.date) ||
            (!r.expiry.empty() &&
             (!compliance::check_date("expires", r.expiry) || r.expiry <= r.date)))
            continue;
        for (const auto& g : rules.vetting.guidelines) {
            const auto* v =
                kind_def(Kind::kVetting).field_index(g.id) >= 0 ? row.text(g.id) : nullptr;
            if (!v) continue;
            r.results.emplace_back(g.id, *v == "pass" ? compliance::GuidelineResult::kPass
                                         : *v == "fail"
                                             ? compliance::GuidelineResult::kFail
                                             : compliance::GuidelineResult::kNotApplicable);
        }
        if (const auto* n = row.text("evidence")) r.note = *n;
        out.push_back(std::move(r));
    }
    return out;
}

Result<compliance::VettingStatus> vetting_of(Store& store, const Id128& person,
                                             std::string_view today,
                                             const compliance::RuleSet& rules) {
    auto records = vetting_records(store, person, rules);
    if (!records) return records.status();
    return compliance::vetting_status(rules, records.value(), today);
}

Result<PrivacyFlags> privacy_of(Store& store, const Id128& person) {
    auto rows = entries_about(store, Kind::kGdprRequest, person);
    if (!rows) return rows.status();
    PrivacyFlags flags;
    for (const auto& row : rows.value()) {
        const auto* type = row.text("type");
        const auto* status = row.text("status");
        // A request with no status yet is open; refused or withdrawn, it no longer binds.
        const bool open = !status || *status == "open";
        const bool binding = open || *status == "done";
        if (open) ++flags.open_requests;
        if (!type || !binding) continue;
        if (*type == "restriction") flags.restricted = true;
        if (*type == "objection") flags.objected = true;
    }
    return flags;
}

bool is_marketing_contact(const compliance::RuleSet& rules, std::string_view touchpoint,
                          std::string_view department) {
    return contains(rules.gdpr.marketing_touchpoints, touchpoint) ||
           contains(rules.gdpr.marketing_departments, department);
}

Status may_log_contact(Store& store, const Id128& person, std::string_view touchpoint,
                       std::string_view department, const compliance::RuleSet& rules) {
    if (!is_marketing_contact(rules, touchpoint, department)) return Status::ok();
    auto flags = privacy_of(store, person);
    if (!flags) return flags.status();
    if (flags->objected)
        return Status(Code::kForbidden,
                      "she objected to direct marketing: no " + std::string(touchpoint) +
                          " contact by " + std::string(department) +
                          " may be logged (a visit or a customer-service contact may)");
    if (flags->restricted)
        return Status(Code::kForbidden,
                      "her data is restricted while a request is handled: no " +
                          std::string(touchpoint) + " contact by " + std::string(department) +
                          " may be logged (a visit or a customer-service contact may)");
    return Status::ok();
}

}  // namespace liaison::core
