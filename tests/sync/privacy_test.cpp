// Data-subject requests through the hub (docs/COMPLIANCE.md, "gdpr"; docs/SYNC.md D6): a
// restriction or an objection the central team registers reaches every device that holds the
// person — her own store's in full, her brand's other stores as marks, one that stayed offline
// throughout when it comes back — and every device then derives the same flags, which an
// ordinary edit of her status does not change. Random requests, status changes, contacts,
// delivery order, lost replies and retries; the expected flags are computed here from the
// requests as the central team wrote them, apart from core/query/compliance.cpp.
#include <catch2/catch.hpp>
#include <map>

#include "core/compliance/rules.hpp"
#include "core/query/compliance.hpp"
#include "support/harness.hpp"
#include "sync/hub.hpp"

namespace liaison::test::sync_privacy {
namespace {

using core::Kind;

struct Device {
    std::unique_ptr<Node> node;
    sync::DeviceContext ctx;
    std::string name;
};

struct Request {
    core::Id128 person;
    std::string type, status;
};

// What the requests say, by the rule of docs/COMPLIANCE.md written out again: open or done binds.
std::pair<bool, bool> expected_flags(const std::map<core::Id128, Request>& requests,
                                     const core::Id128& person) {
    bool restricted = false, objected = false;
    for (const auto& [id, r] : requests) {
        if (r.person != person || (r.status != "open" && r.status != "done")) continue;
        restricted = restricted || r.type == "restriction";
        objected = objected || r.type == "objection";
    }
    return {restricted, objected};
}

}  // namespace

TEST_CASE(
    "property: a restriction or an objection reaches every device that holds her even one "
    "offline throughout and all derive the same flags",
    "[sync][compliance][property][central]") {
    const auto& rules = core::compliance::RuleSet::builtin();
    for (auto seed : seeds({91, 92, 93, 94})) {
        INFO("LIAISON_SEED=" << seed);
        OpMaker dice(seed);
        TempDir dir;
        sync::ManualTimeSource time{1'700'000'000'000ULL};
        auto hub_store = open_hub_store(dir.file("hub.db"));
        sync::Hub hub{*hub_store, time};
        Device office{open_node(dir.file("office.db"), time, seed * 7), {}, "office"};
        office.ctx.role = sync::Role::kCentral;
        office.ctx.scope = sync::Scope::everything();
        auto& c = *office.node->replica;
        const auto brand = c.create(Kind::kBrand, {{"name", std::string("Maison")}}).value();
        const auto region = c.create(Kind::kRegion, {{"name", std::string("Nord")}}).value();
        std::vector<core::Id128> stores;
        for (const char* name : {"Lille", "Lyon", "Rennes"})
            stores.push_back(c.create(Kind::kStore, {{"name", std::string(name)},
                                                     {"region", region.to_text()},
                                                     {"brand", brand.to_text()}})
                                 .value());
        std::vector<core::Id128> people;
        for (int i = 0; i < 3; ++i)
            people.push_back(c.create(Kind::kInfluencer, {{"name", "Personne " + std::to_string(i)},
                                                          {"store", stores[0].to_text()},
                                                          {"brand", brand.to_text()}})
                                 .value());
        // Lille holds them in its scope; Lyon and Rennes in their brand's directory. Rennes
        // syncs once, then stays offline until the end.
        std::vector<Device> devices;
        for (std::size_t i = 0; i < stores.size(); ++i) {
            Device d{open_node(dir.file("t" + std::to_string(i) + ".db"), time, seed * 7 + i + 1),
                     {},
                     "tablet " + std::to_string(i)};
            d.ctx.role = sync::Role::kStore;
            d.ctx.scope.stores = {stores[i].to_text()};
            d.ctx.scope.directory_brands = {brand.to_text()};
            devices.push_back(std::move(d));
        }
        sync_until_quiet(*office.node, hub, office.ctx, "office");
        for (auto& d : devices) sync_until_quiet(*d.node, hub, d.ctx, d.name);
        Device& offline = devices.back();

        std::map<core::Id128, Request> requests;
        static const char* kTypes[] = {"restriction", "objection", "access"};
        static const char* kStatuses[] = {"open", "done", "refused", "withdrawn"};
        static const char* kTouchpoints[] = {"email", "store", "gifting", "phone"};
        static const char* kDepartments[] = {"marketing", "retail", "customer_service"};
        for (int step = 0; step < 60; ++step) {
            time.advance(60'000);
            const auto& person = people[dice.next(people.size())];
            switch (dice.next(6)) {
                case 0: {  // the central team registers a request
                    Request r{person, kTypes[dice.next(3)], kStatuses[dice.next(4)]};
                    auto id = c.create(Kind::kGdprRequest, {{"influencer", person.to_text()},
                                                            {"type", r.type},
                                                            {"received", std::string("2026-11-01")},
                                                            {"status", r.status}});
                    REQUIRE(id.is_ok());
                    requests[id.value()] = r;
                    break;
                }
                case 1: {  // ... or changes one's status
                    if (requests.empty()) break;
                    auto it = requests.begin();
                    std::advance(it, long(dice.next(requests.size())));
                    it->second.status = kStatuses[dice.next(4)];
                    REQUIRE(c.set(Kind::kGdprRequest, it->first, {{"status", it->second.status}})
                                .is_ok());
                    break;
                }
                case 2:  // an ordinary edit of her status, which binds nothing
                    REQUIRE(
                        c.set(Kind::kInfluencer, person,
                              {{"status", std::string(dice.chance(0.5) ? "active" : "inactive")}})
                            .is_ok());
                    break;
                case 3: {  // a tablet logs a contact, if the rule it holds allows it
                    auto& d = devices[dice.next(devices.size())];
                    const std::string tp = kTouchpoints[dice.next(4)];
                    const std::string dep = kDepartments[dice.next(3)];
                    auto& r = *d.node->replica;
                    if (core::may_log_contact(r.store(), person, tp, dep, rules).is_ok())
                        REQUIRE(
                            r.create(Kind::kInteraction, {{"influencer", person.to_text()},
                                                          {"at", std::int64_t(time.now_ms())},
                                                          {"touchpoint", tp},
                                                          {"department", dep},
                                                          {"store", d.ctx.scope.stores.front()}})
                                .is_ok());
                    break;
                }
                case 4: {  // someone online syncs; sometimes the reply is lost and retried
                    const std::size_t who = dice.next(devices.size());
                    Device& d = who + 1 == devices.size() ? office : devices[who];
                    if (dice.chance(0.3)) {
                        auto push = d.node->replica->make_push();
                        REQUIRE(push.is_ok());
                        REQUIRE(hub.exchange(d.ctx, push.value()).is_ok());  // reply lost
                    }
                    sync_until_quiet(*d.node, hub, d.ctx, d.name);
                    break;
                }
                default:
                    sync_until_quiet(*office.node, hub, office.ctx, "office");
                    break;
            }
        }
        // Everyone comes back, the offline tablet last, in two rounds (each device's changes
        // reach the ones that synced before it).
        for (int round = 0; round < 2; ++round) {
            sync_until_quiet(*office.node, hub, office.ctx, "office");
            for (auto& d : devices) sync_until_quiet(*d.node, hub, d.ctx, d.name);
        }
        CHECK(offline.node->replica->store().last_seq() > 0);
        for (const auto& person : people) {
            const auto [restricted, objected] = expected_flags(requests, person);
            INFO("person " << person.to_text() << " restricted " << restricted << " objected "
                           << objected);
            auto at_hub = core::privacy_of(*hub_store, person);
            REQUIRE(at_hub.is_ok());
            CHECK(at_hub->restricted == restricted);
            CHECK(at_hub->objected == objected);
            for (auto* d : {&office, &devices[0], &devices[1], &devices[2]}) {
                INFO(d->name);
                auto flags = core::privacy_of(d->node->replica->store(), person);
                REQUIRE(flags.is_ok());
                CHECK(flags->restricted == restricted);
                CHECK(flags->objected == objected);
                // A marketing e-mail is refused exactly where she objected or is restricted.
                CHECK(core::may_log_contact(d->node->replica->store(), person, "email", "marketing",
                                            rules)
                          .is_ok() == !(restricted || objected));
            }
        }
    }
}

}  // namespace liaison::test::sync_privacy
