#include "core/query/follow_ups.hpp"

#include <algorithm>

#include "core/query/people_index.hpp"

namespace liaison::core {

bool follow_up_before(const FollowUpRef& a, const FollowUpRef& b) {
    if (a.due.empty() != b.due.empty()) return b.due.empty();  // dated ones first
    if (a.due != b.due) return a.due < b.due;                  // ISO dates sort as text
    if (a.at != b.at) return a.at > b.at;                      // newest first
    return a.interaction < b.interaction;
}

void FollowUpFold::add(const Id128& interaction, std::string department, std::int64_t at, bool asks,
                       bool done, std::string due) {
    auto it = std::find_if(by_department_.begin(), by_department_.end(),
                           [&](const auto& d) { return d.first == department; });
    if (it == by_department_.end()) {
        by_department_.emplace_back(std::move(department), Newest{});
        it = by_department_.end() - 1;
    } else if (at < it->second.ref.at ||
               (at == it->second.ref.at && interaction < it->second.ref.interaction)) {
        return;  // F1: an older contact of this department was followed by the newer one
    }
    it->second.ref = {interaction, at, std::move(due)};
    it->second.open = asks && !done;  // F2
}

std::vector<FollowUpRef> FollowUpFold::open() const {
    std::vector<FollowUpRef> out;
    for (const auto& [department, newest] : by_department_)
        if (newest.open) out.push_back(newest.ref);
    std::sort(out.begin(), out.end(), follow_up_before);
    return out;
}

FollowUpPage open_follow_ups(const PeopleIndex& index, const PeopleQuery& people,
                             const std::string& due_before, std::size_t limit, std::size_t offset) {
    std::vector<FollowUpHit> hits;
    index.each([&](const PersonEntry& p) {
        if (p.follow_ups.empty() || !people.filter.keeps(p) ||
            (people.visible && !people.visible(p)))
            return;
        for (const auto& f : p.follow_ups)
            if (due_before.empty() || (!f.due.empty() && f.due < due_before))
                hits.push_back({&p, &f});
    });
    FollowUpPage page;
    page.total = hits.size();
    if (offset >= hits.size()) return page;
    const std::size_t end = std::min(hits.size(), offset + limit);
    std::partial_sort(hits.begin(), hits.begin() + std::ptrdiff_t(end), hits.end(),
                      [](const FollowUpHit& a, const FollowUpHit& b) {
                          return follow_up_before(*a.follow_up, *b.follow_up);
                      });
    page.hits.assign(hits.begin() + std::ptrdiff_t(offset), hits.begin() + std::ptrdiff_t(end));
    return page;
}

}  // namespace liaison::core
