#include "sync/contact_rules.hpp"

#include "core/compliance/rules.hpp"
#include "core/query/compliance.hpp"

namespace liaison::sync {

Status check_new_contact(core::Store& store, const Op& create) {
    std::string person, touchpoint, department;
    for (const auto& w : create.fields) {
        const auto* t = std::get_if<std::string>(&w.value);
        if (!t) continue;
        if (w.field == "influencer") person = *t;
        if (w.field == "touchpoint") touchpoint = *t;
        if (w.field == "department") department = *t;
    }
    const auto pid = core::Id128::from_text(person);
    if (!pid) return Status::ok();
    return core::may_log_contact(store, *pid, touchpoint, department,
                                 core::compliance::RuleSet::builtin_people());
}

}  // namespace liaison::sync
