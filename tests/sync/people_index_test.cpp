// The central directory's index (core/query/people_index.hpp): kept up from the change feed, it
// always says what a rebuild from the current rows says, and what the record itself says
// (each person's fields, last contact over her merged duplicates), under random operations
// of every kind — merges, erasures, tombstones, moved contacts included — and each person's
// open follow-ups are the card's (core/query/follow_ups.hpp F1-F2, core/query/view.hpp).
#include "core/query/people_index.hpp"

#include <catch2/catch.hpp>

#include "core/model/validate.hpp"
#include "core/query/queries.hpp"
#include "core/query/view.hpp"
#include "support/harness.hpp"

namespace liaison::test::sync_people_index {
namespace {

std::string follow_ups_of(const core::PersonEntry& p) {
    std::vector<std::string> ids;
    for (const auto& f : p.follow_ups) ids.push_back(f.interaction.to_text());
    std::sort(ids.begin(), ids.end());
    std::string out;
    for (const auto& i : ids) out += " f" + i;
    return out;
}

// One line per person the index holds, every field it keeps.
std::string describe(const core::PeopleIndex& index) {
    core::PeopleQuery all;
    all.limit = 1'000'000;
    auto page = index.query(all);
    std::string out;
    for (const auto* p : page.people) {
        out += p->id.to_text() + " " + p->name + " t" + std::to_string(p->tier) + " s" +
               std::to_string(p->status) + " c" + std::to_string(p->consent_basis) + " v" +
               std::to_string(p->vetting) + " " + p->country + " o" +
               (p->owner ? p->owner->to_text() : "-") + " r" + std::to_string(p->roles) + " a" +
               std::to_string(p->audience) + " last" +
               (p->last_contact ? std::to_string(*p->last_contact) : "-") + " n" +
               std::to_string(p->contacts) + " b" + std::to_string(p->brands.size()) + " tp" +
               std::to_string(p->topics.size()) + " l" + std::to_string(p->languages.size()) +
               " p" + std::to_string(p->platforms.size()) + follow_ups_of(*p) + "\n";
    }
    return out;
}

// The interaction ids of a card's open follow-ups, sorted.
std::string card_follow_ups(core::Store& store, const core::Id128& id) {
    core::CardOptions o;
    o.now_ms = 1'700'000'000'000;
    o.timeline_limit = 1'000'000;
    auto card = core::card_json(store, id, o);
    if (!card) FAIL("card_json: " << card.status().to_string());
    REQUIRE(card.value());
    const std::string& c = *card.value();
    const auto from = c.find("\"follow_ups\":["), to = c.find("],\"timeline\":[", from);
    REQUIRE(to != std::string::npos);
    std::vector<std::string> ids;
    const std::string key = "\"entry\":{\"kind\":\"interaction\",\"id\":\"";
    for (auto at = c.find(key, from); at < to; at = c.find(key, at + 1))
        ids.push_back(c.substr(at + key.size(), 26));
    std::sort(ids.begin(), ids.end());
    std::string out;
    for (const auto& i : ids) out += " f" + i;
    return out;
}

// The people and last contacts read from the record by other means: the visible, surviving
// influencers, the newest interaction or check-in of each one's timeline, and her card's open
// follow-ups.
std::string from_record(core::Store& store) {
    auto& st = store.db().cached("SELECT eid FROM " + core::table_name(core::Kind::kInfluencer));
    std::vector<core::Id128> ids;
    while (st.step() == core::Statement::Step::kRow)
        ids.push_back(core::Id128::from_bytes(st.column_blob(0).data()));
    st.reset();
    std::string out;
    std::vector<std::string> lines;
    for (const auto& id : ids) {
        auto row = core::get_entity(store, core::Kind::kInfluencer, id);
        REQUIRE(row.is_ok());
        if (!row.value() || row.value()->id != id) continue;
        auto entries = core::timeline(store, id, 1'000'000);
        REQUIRE(entries.is_ok());
        std::string last = "-";
        std::int64_t n = 0;
        for (const auto& e : entries.value()) {
            if (e.row.kind != core::Kind::kInteraction && e.row.kind != core::Kind::kCheckin)
                continue;
            if (last == "-") last = std::to_string(e.at);
            ++n;
        }
        lines.push_back(id.to_text() + " last" + last + " n" + std::to_string(n) +
                        card_follow_ups(store, id));
    }
    std::sort(lines.begin(), lines.end());
    for (const auto& l : lines) out += l + "\n";
    return out;
}

std::string contacts_of_index(const core::PeopleIndex& index) {
    core::PeopleQuery all;
    all.limit = 1'000'000;
    std::vector<std::string> lines;
    for (const auto* p : index.query(all).people)
        lines.push_back(p->id.to_text() + " last" +
                        (p->last_contact ? std::to_string(*p->last_contact) : "-") + " n" +
                        std::to_string(p->contacts) + follow_ups_of(*p));
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace

TEST_CASE(
    "P0 property: the directory index kept up from the change feed equals a rebuild and the record",
    "[sync][property][people][central]") {
    for (auto seed : seeds({71, 72, 73})) {
        INFO("LIAISON_SEED=" << seed);
        TempDir dir;
        OpMaker maker(seed);
        sync::ManualTimeSource time(1'700'000'000'000ULL);
        auto hub_store = open_hub_store(dir.file("hub.db"));
        sync::Hub hub(*hub_store, time);
        sync::DeviceContext device;
        device.role = sync::Role::kCentral;
        device.scope = sync::Scope::everything();
        std::vector<std::unique_ptr<Node>> nodes;
        for (int i = 0; i < 3; ++i)
            nodes.push_back(
                open_node(dir.file("r" + std::to_string(i) + ".db"), time, seed * 13 + i));

        core::PeopleIndex kept;
        REQUIRE(kept.catch_up(*hub_store).is_ok());
        for (int round = 0; round < 12; ++round) {
            for (int made = 0; made < 60;) {
                time.advance(maker.next(50));
                if (maker.random_change(*nodes[maker.next(nodes.size())]->replica)) ++made;
            }
            for (auto& n : nodes) sync_until_quiet(*n, hub, device, "round");
            REQUIRE(kept.catch_up(*hub_store).is_ok());
            core::PeopleIndex fresh;
            REQUIRE(fresh.rebuild(*hub_store).is_ok());
            INFO("round " << round);
            REQUIRE(describe(kept) == describe(fresh));
            REQUIRE(contacts_of_index(kept) == from_record(*hub_store));
        }
        CHECK(kept.size() > 0);
    }
}

}  // namespace liaison::test::sync_people_index
