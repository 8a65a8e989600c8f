// The open follow-up rule (core/query/follow_ups.hpp F1-F3), as the central team's list and
// the directory index fold it from a person's interactions in any order.
#include "core/query/follow_ups.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>

namespace liaison::test::core_follow_ups {
namespace {

using core::FollowUpFold;
using core::Id128;

Id128 id(std::uint8_t n) {
    Id128 i;
    i.bytes[15] = n;
    return i;
}

std::vector<int> open_ids(const FollowUpFold& fold) {
    std::vector<int> out;
    for (const auto& f : fold.open()) out.push_back(f.interaction.bytes[15]);
    return out;
}

}  // namespace

TEST_CASE("F1-F2: a department's newest contact decides, and another department closes nothing",
          "[core][follow_ups]") {
    // The same interactions in two orders give the same answer.
    for (bool reversed : {false, true}) {
        INFO("reversed " << reversed);
        FollowUpFold fold;
        std::vector<std::function<void()>> adds = {
            // Retail asked, then logged its next contact without asking: closed.
            [&] { fold.add(id(1), "retail", 100, true, false, "2025-01-10"); },
            [&] { fold.add(id(2), "retail", 200, false, false, ""); },
            // PR asked; a later contact by events does not close it.
            [&] { fold.add(id(3), "pr", 300, true, false, "2025-03-01"); },
            [&] { fold.add(id(4), "events", 400, false, false, ""); },
            // Marketing asked and marked it done: closed.
            [&] { fold.add(id(5), "marketing", 500, true, true, "2025-01-01"); },
            // No department is a department of its own: its newest asks, undated.
            [&] { fold.add(id(6), "", 600, true, false, ""); },
            // Same instant in one department: the greater id is the newer (the timeline's order).
            [&] { fold.add(id(7), "digital", 700, false, false, ""); },
            [&] { fold.add(id(8), "digital", 700, true, false, "2025-02-01"); },
        };
        if (reversed) std::reverse(adds.begin(), adds.end());
        for (auto& a : adds) a();
        // F3: dated first, soonest due first, then undated.
        CHECK(open_ids(fold) == std::vector<int>{8, 3, 6});
    }
}

TEST_CASE("F3: dated follow-ups come first by due date, undated ones newest first",
          "[core][follow_ups]") {
    FollowUpFold fold;
    fold.add(id(1), "a", 100, true, false, "");
    fold.add(id(2), "b", 300, true, false, "");
    fold.add(id(3), "c", 200, true, false, "2030-01-01");
    fold.add(id(4), "d", 50, true, false, "2020-06-30");
    CHECK(open_ids(fold) == std::vector<int>{4, 3, 2, 1});
}

}  // namespace liaison::test::core_follow_ups
