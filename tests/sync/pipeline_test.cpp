// Moving collaborations along the pipeline on several devices offline (core/query/pipeline.hpp
// P1–P5, sync/pipeline.hpp): every device and the central record converge byte for byte, no
// move is lost, and the trail flags the moves made from a status another device had left.
#include "sync/pipeline.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "support/harness.hpp"

namespace liaison::test::sync_pipeline {
namespace {

using core::Id128;
using core::Kind;

sync::DeviceContext central() {
    sync::DeviceContext d;
    d.role = sync::Role::kCentral;
    d.scope = sync::Scope::everything();
    return d;
}

// Exchanges once; the reply may be lost (the device retries the same push later).
void exchange(Node& n, sync::Hub& hub, bool lose_reply) {
    auto req = n.replica->make_push(50, 200);
    REQUIRE(req.is_ok());
    auto reply = hub.exchange(central(), req.value());
    REQUIRE(reply.is_ok());
    if (!lose_reply) REQUIRE(n.replica->apply_reply(reply.value()).is_ok());
}

struct Made {
    Id128 collaboration;
    std::string to;
};

}  // namespace

TEST_CASE("random offline pipeline moves on several devices converge and no move is lost",
          "[sync][property][pipeline][central]") {
    std::size_t flagged_somewhere = 0, out_of_step_somewhere = 0;
    for (auto seed : seeds({71, 72, 73, 74, 75, 76})) {
        INFO("seed " << seed << " (LIAISON_SEED=" << seed << " replays it)");
        TempDir dir;
        OpMaker maker(seed);
        sync::ManualTimeSource time(1'700'000'000'000ULL);
        auto hub_store = open_hub_store(dir.file("hub.db"));
        sync::Hub hub(*hub_store, time);
        std::vector<std::unique_ptr<Node>> nodes;
        for (int i = 0; i < 4; ++i)
            nodes.push_back(
                open_node(dir.file("d" + std::to_string(i) + ".db"), time, seed * 7 + i));
        // Device 0 makes a person and three collaborations; everyone gets them.
        auto& first = *nodes[0]->replica;
        auto person = first.create(Kind::kInfluencer, {{"name", std::string("Inès Moreau")}});
        REQUIRE(person.is_ok());
        std::vector<Id128> collabs;
        for (const char* type : {"paid", "gifted", "seeding"}) {
            auto c = first.create(Kind::kCollaboration, {{"influencer", person->to_text()},
                                                         {"type", std::string(type)},
                                                         {"status", std::string("proposed")}});
            REQUIRE(c.is_ok());
            collabs.push_back(c.value());
        }
        for (auto& n : nodes) sync_until_quiet(*n, hub, central(), "setup");
        for (auto& n : nodes) sync_until_quiet(*n, hub, central(), "setup");

        std::map<Id128, Made> made;  // every step any device made
        for (int i = 0; i < 400; ++i) {
            time.advance(maker.next(3));  // often the same millisecond on two devices
            auto& n = *nodes[maker.next(nodes.size())];
            const Id128 c = collabs[maker.next(collabs.size())];
            auto p = core::collaboration_pipeline(n.replica->store(), c);
            REQUIRE(p.is_ok());
            auto next = core::next_statuses(p->status);
            if (!next.empty()) {
                const std::string to(next[maker.next(next.size())]);
                auto step = sync::move_collaboration(*n.replica, c, {to, "", std::nullopt});
                REQUIRE(step.is_ok());
                made[step.value()] = {c, to};
            }
            if (maker.chance(0.15))
                exchange(*nodes[maker.next(nodes.size())], hub, maker.chance(0.2));
            if (maker.chance(0.01)) reopen(*nodes[maker.next(nodes.size())], time);
        }
        for (int round = 0; round < 2; ++round)
            for (auto& n : nodes) sync_until_quiet(*n, hub, central(), "quiescence");

        const std::string hub_hash = must(hub_store->state_hash());
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            INFO("device " << i);
            REQUIRE(must(nodes[i]->replica->state_hash()) == hub_hash);
        }
        // No move lost: every step made anywhere is in every trail, with its move.
        for (auto& n : nodes) {
            for (const Id128& c : collabs) {
                auto p = core::collaboration_pipeline(n->replica->store(), c);
                REQUIRE(p.is_ok());
                std::size_t mine = 0;
                for (const auto& [id, m] : made) mine += m.collaboration == c;
                REQUIRE(p->steps.size() == mine);
                bool status_is_a_move = p->steps.empty() && p->status == "proposed";
                for (const auto& s : p->steps) {
                    REQUIRE(made.count(s.id) == 1);
                    CHECK(made[s.id].to == s.to);
                    status_is_a_move = status_is_a_move || s.to == p->status;
                }
                // The status the register kept is the move of one of the steps (P3).
                CHECK(status_is_a_move);
                CHECK(p->out_of_step == (!p->steps.empty() && p->steps.back().to != p->status));
                flagged_somewhere += p->flagged;
                out_of_step_somewhere += p->out_of_step;
            }
        }
    }
    // The runs did make moves from statuses other devices had left (P4), else they proved
    // nothing about concurrency.
    CHECK(flagged_somewhere > 0);
    INFO("collaborations out of step at the end: " << out_of_step_somewhere);
}

TEST_CASE("a move the pipeline does not offer is refused on the device, naming the moves it offers",
          "[sync][pipeline]") {
    TempDir dir;
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    auto node = open_node(dir.file("d.db"), time, 5);
    auto& r = *node->replica;
    auto person = r.create(Kind::kInfluencer, {{"name", std::string("Inès Moreau")}});
    REQUIRE(person.is_ok());
    auto c = r.create(Kind::kCollaboration,
                      {{"influencer", person->to_text()},
                       {"type", std::string("paid")},
                       {"brand", Id128::from_text("01J000000000000000000000BR")->to_text()}});
    REQUIRE(c.is_ok());
    const auto pending = r.pending();
    auto refused = sync::move_collaboration(r, c.value(), {"live", "", std::nullopt});
    REQUIRE_FALSE(refused);
    CHECK(refused.status().code() == Code::kConflict);
    CHECK(refused.status().detail() ==
          "to: a collaboration that is proposed cannot move to live (it can move to vetted, "
          "cancelled)");
    CHECK(r.pending() == pending);
    // Two moves in the same millisecond keep their order in the trail.
    REQUIRE(sync::move_collaboration(r, c.value(), {"vetted", "checked", std::nullopt}).is_ok());
    REQUIRE(sync::move_collaboration(r, c.value(), {"contracted", "", std::nullopt}).is_ok());
    auto p = core::collaboration_pipeline(r.store(), c.value());
    REQUIRE(p.is_ok());
    REQUIRE(p->steps.size() == 2);
    CHECK(p->status == "contracted");
    CHECK(p->steps[0].to == "vetted");
    CHECK(p->steps[0].note == "checked");
    CHECK(p->steps[1].from == "vetted");
    CHECK(p->flagged == 0);
    // The step carries the collaboration's person and scope keys.
    auto row = r.store().load_row(Kind::kCollaborationStep, p->steps[0].id);
    REQUIRE(row.is_ok());
    CHECK(*row.value()->text("influencer") == person->to_text());
    CHECK(*row.value()->text("brand") == "01J000000000000000000000BR");
    CHECK(sync::move_collaboration(r, c.value(), {"sideways", "", std::nullopt}).status().code() ==
          Code::kInvalidArgument);
}

}  // namespace liaison::test::sync_pipeline
