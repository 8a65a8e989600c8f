// Open follow-ups across the record, for the central team's "Follow-ups due" list
// (docs/WORKSPACE.md, "Owners and follow-ups"). A follow-up is the request an interaction makes
// (a follow_up text or a follow_up_due date) to contact the person again.
//
// Rules (the same as the influencer card's, core/query/view.hpp):
//   F1  for each person (with the duplicates merged into her) and each department (none is a
//       department of its own), only the newest interaction counts (by `at`, ties by id, as
//       the timeline orders them): an older one of that department was followed by it;
//   F2  that newest interaction is an open follow-up when it asks for one and is not marked
//       done (follow_up_done, record model 4); a contact by another department closes nothing;
//   F3  a list orders dated follow-ups first, the soonest due first (overdue ones included),
//       then undated ones, newest first; ties by interaction id.
//
// The directory index (core/query/people_index.hpp) keeps each person's open follow-ups with
// her entry, folded from her interactions when one of them changes, so the list across
// 100,000 people and 1,000,000 interactions is a scan of the index in memory, not of the log.
//
// Thread-safety: none (values and pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/model/ids.hpp"

namespace liaison::core {

class PeopleIndex;
struct PeopleQuery;
struct PersonEntry;

struct FollowUpRef {
    Id128 interaction;
    std::int64_t at = 0;  // the interaction's time, ms
    std::string due;      // YYYY-MM-DD, or empty
};

// F3: whether `a` comes before `b` in a list of follow-ups.
bool follow_up_before(const FollowUpRef& a, const FollowUpRef& b);

// Folds one person's interactions, in any order, into her open follow-ups (F1, F2).
class FollowUpFold {
public:
    // `asks`: the interaction has a non-empty follow_up text or a follow_up_due date.
    void add(const Id128& interaction, std::string department, std::int64_t at, bool asks,
             bool done, std::string due);
    // The open follow-ups, in F3's order.
    std::vector<FollowUpRef> open() const;

private:
    struct Newest {
        FollowUpRef ref;
        bool open = false;
    };
    std::vector<std::pair<std::string, Newest>> by_department_;  // a handful per person
};

struct FollowUpHit {
    const PersonEntry* person;
    const FollowUpRef* follow_up;
};
struct FollowUpPage {
    std::size_t total = 0;          // follow-ups matching, over every page
    std::vector<FollowUpHit> hits;  // valid until the index's next catch_up
};

// The open follow-ups of the people `people` keeps (its filter and scope; its sort, limit and
// offset are ignored), due before `due_before` (YYYY-MM-DD; empty: any, undated included;
// set: dated ones only), in F3's order, `limit` from `offset`.
FollowUpPage open_follow_ups(const PeopleIndex& index, const PeopleQuery& people,
                             const std::string& due_before, std::size_t limit, std::size_t offset);

}  // namespace liaison::core
