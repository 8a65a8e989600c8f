// R12, the anonymise rule (docs/SYNC.md): erasing a person keeps, without her, what the law
// requires a brand to keep — a collaboration's money, dates, campaign and contract, a
// conversion, a data-subject request's own entry — and erases the rest (R7). The property: a
// retention erasure, made by the central team while devices work on and offline (one of them
// offline throughout, still writing about her), leaves every replica with the same bytes as the
// hub's projection for its scope, her kept records naming no one and holding exactly the kept
// values the central team last wrote, and nothing of what is not kept.
#include <catch2/catch.hpp>
#include <map>

#include "support/harness.hpp"
#include "sync/hub.hpp"

namespace liaison::test::sync_anonymise {
namespace {

using core::Id128;
using core::Kind;
using core::Value;

struct Device {
    std::unique_ptr<Node> node;
    sync::DeviceContext ctx;
    std::string name;
    bool offline = false;  // syncs once at the start and once at the end
};

Device make_device(TempDir& dir, sync::TimeSource& time, std::uint64_t seed, std::string name,
                   sync::Role role) {
    Device d{open_node(dir.file(name + ".db"), time, seed), {}, name};
    d.ctx.role = role;
    if (role == sync::Role::kCentral) d.ctx.scope = sync::Scope::everything();
    return d;
}

const Value* field(const core::RowState& row, const char* name) {
    const int i = core::kind_def(row.kind).field_index(name);
    return i < 0 ? nullptr : &row.values[std::size_t(i)];
}

// The expected kept values of one of her collaborations: the fee written last (by stamp order,
// which is the order of the shared clock here: every write is made at a later time).
struct Expected {
    std::int64_t fee = 0;
    bool deleted = false;
};

}  // namespace

TEST_CASE(
    "property: R12 a retention erasure reaches every replica even one offline throughout and "
    "keeps only what the law keeps",
    "[sync][erase][R12][property][central]") {
    for (auto seed : seeds({121, 122, 123})) {
        INFO("LIAISON_SEED=" << seed);
        OpMaker dice(seed);
        TempDir dir;
        sync::ManualTimeSource time{1'700'000'000'000ULL};
        auto hub_store = open_hub_store(dir.file("hub.db"));
        sync::Hub hub{*hub_store, time};
        Device office = make_device(dir, time, seed * 11, "office", sync::Role::kCentral);
        auto& c = *office.node->replica;
        const auto brand = c.create(Kind::kBrand, {{"name", std::string("Maison")}}).value();
        const auto region = c.create(Kind::kRegion, {{"name", std::string("Nord")}}).value();
        const auto lille = c.create(Kind::kStore, {{"name", std::string("Lille")},
                                                   {"region", region.to_text()},
                                                   {"brand", brand.to_text()}})
                               .value();
        const auto campaign = c.create(Kind::kCampaign, {{"name", std::string("Printemps")},
                                                         {"brand", brand.to_text()}})
                                  .value();
        const auto her = c.create(Kind::kInfluencer, {{"name", std::string("Zelphine Orbacq")},
                                                      {"store", lille.to_text()},
                                                      {"brand", brand.to_text()}})
                             .value();
        const auto other = c.create(Kind::kInfluencer, {{"name", std::string("Marcus Kept")},
                                                        {"store", lille.to_text()},
                                                        {"brand", brand.to_text()}})
                               .value();
        // A second central console that goes offline after the first sync, and two tablets of
        // her store, one of them offline throughout.
        std::vector<Device> devices;
        devices.push_back(make_device(dir, time, seed * 11 + 1, "laptop", sync::Role::kCentral));
        for (const char* name : {"lille-a", "lille-b"}) {
            Device d =
                make_device(dir, time, seed * 11 + devices.size() + 1, name, sync::Role::kStore);
            d.ctx.scope.stores = {lille.to_text()};
            d.ctx.scope.directory_brands = {brand.to_text()};
            devices.push_back(std::move(d));
        }
        devices[0].offline = devices[2].offline = true;
        sync_until_quiet(*office.node, hub, office.ctx, "office");
        for (auto& d : devices) sync_until_quiet(*d.node, hub, d.ctx, d.name);

        std::map<Id128, Expected> collabs;  // hers
        std::vector<Id128> others_collabs, conversions, requests;
        bool erased = false;
        auto new_collab = [&](sync::Replica& r, const Id128& who) -> std::optional<Id128> {
            const std::int64_t fee = std::int64_t(1000 + dice.next(9000)) * 100;
            auto id = r.create(Kind::kCollaboration,
                               {{"influencer", who.to_text()},
                                {"campaign", campaign.to_text()},
                                {"type", std::string("paid")},
                                {"status", std::string("contracted")},
                                {"fee", fee},
                                {"currency", std::string("EUR")},
                                {"product", std::string("Serum Kept")},
                                {"deliverables", std::string("Quillbrast moonvetch reel")},
                                {"tracking", std::string("Tracknorvel 77")},
                                {"store", lille.to_text()},
                                {"brand", brand.to_text()}});
            if (!id.is_ok()) return std::nullopt;
            if (who == her) collabs[id.value()] = Expected{fee, false};
            return id.value();
        };
        for (int step = 0; step < 70; ++step) {
            time.advance(60'000);
            if (step == 35) {  // the retention run erases her (the central team, online)
                REQUIRE(c.erase(Kind::kInfluencer, her).is_ok());
                erased = true;
                continue;
            }
            // Writers: the office (online), the laptop (offline), the tablets.
            const std::size_t w = dice.next(devices.size() + 1);
            Device& d = w == devices.size() ? office : devices[w];
            auto& r = *d.node->replica;
            const bool central = d.ctx.role == sync::Role::kCentral;
            const Id128 who = dice.chance(0.7) ? her : other;
            switch (dice.next(7)) {
                case 0:
                    if (central) {
                        auto id = new_collab(r, who);
                        if (id && who != her) others_collabs.push_back(*id);
                    }
                    break;
                case 1:  // a new fee, or a note the rule does not keep, on one of hers
                    if (central && !collabs.empty()) {
                        auto it = collabs.begin();
                        std::advance(it, long(dice.next(collabs.size())));
                        const std::int64_t fee = std::int64_t(1000 + dice.next(9000)) * 100;
                        if (dice.chance(0.5)) {
                            if (r.set(Kind::kCollaboration, it->first, {{"fee", fee}}).is_ok())
                                it->second.fee = fee;
                        } else {
                            (void)r.set(Kind::kCollaboration, it->first,
                                        {{"deliverables", std::string("Glimmerquartz draft")}});
                            (void)r.add(Kind::kCollaboration, it->first, "deliverables_due",
                                        "2026-12-01 Glimmerquartz story");
                            (void)r.add(Kind::kCollaboration, it->first, "markets", "FR");
                        }
                    }
                    break;
                case 2:  // a request registered, with a note
                    if (central) {
                        auto id = r.create(Kind::kGdprRequest,
                                           {{"influencer", who.to_text()},
                                            {"type", std::string("access")},
                                            {"received", std::string("2026-11-01")},
                                            {"status", std::string("open")},
                                            {"notes", std::string("Asked by Zelphine letter")}});
                        if (id.is_ok()) requests.push_back(id.value());
                    }
                    break;
                case 3: {  // an order a shop attributes to her (a central import)
                    if (!central) break;
                    auto id =
                        r.create(Kind::kConversion, {{"shop", std::string("eshop")},
                                                     {"order_ref", "A" + std::to_string(step)},
                                                     {"at", std::int64_t(time.now_ms())},
                                                     {"value", std::int64_t(4200)},
                                                     {"currency", std::string("EUR")},
                                                     {"influencer", who.to_text()},
                                                     {"campaign", campaign.to_text()},
                                                     {"store", lille.to_text()}});
                    if (id.is_ok()) conversions.push_back(id.value());
                    break;
                }
                case 4:  // a contact logged about her (not kept: erased with her)
                    (void)r.create(Kind::kInteraction,
                                   {{"influencer", who.to_text()},
                                    {"at", std::int64_t(time.now_ms())},
                                    {"touchpoint", std::string("store")},
                                    {"department", std::string("retail")},
                                    {"summary", std::string("Vantreluse perfume chat")},
                                    {"store", lille.to_text()}});
                    break;
                case 5:  // one of her collaborations cancelled and deleted
                    if (central && !collabs.empty() && dice.chance(0.3)) {
                        auto it = collabs.begin();
                        std::advance(it, long(dice.next(collabs.size())));
                        if (r.remove_entry(Kind::kCollaboration, it->first).is_ok())
                            it->second.deleted = true;
                    }
                    break;
                default: {  // someone online syncs; sometimes a reply is lost and retried
                    if (d.offline) break;
                    if (dice.chance(0.3)) {
                        auto push = r.make_push();
                        REQUIRE(push.is_ok());
                        REQUIRE(hub.exchange(d.ctx, push.value()).is_ok());  // reply lost
                    }
                    sync_until_quiet(*d.node, hub, d.ctx, d.name);
                    break;
                }
            }
        }
        REQUIRE(erased);
        // Everyone comes back, the offline ones last, in two rounds.
        for (int round = 0; round < 2; ++round) {
            sync_until_quiet(*office.node, hub, office.ctx, "office");
            for (auto& d : devices) sync_until_quiet(*d.node, hub, d.ctx, d.name);
        }
        // Byte for byte: each replica holds the hub's projection for its scope.
        int n = 0;
        for (auto* d : {&office, &devices[0], &devices[1], &devices[2]}) {
            INFO(d->name);
            CHECK(must(d->node->replica->state_hash()) ==
                  projection_hash(hub, d->ctx, dir.file("fresh" + std::to_string(n++) + ".db"),
                                  time));
            CHECK(d->node->replica->store().is_erased(her));
        }
        CHECK(must(office.node->replica->state_hash()) == must(hub_store->state_hash()));
        // Her collaborations: kept with their last fee, naming no one, nothing else of them —
        // unless deleted (then erased: a deleted entry is no record to keep).
        auto& st = *hub_store;
        for (const auto& [id, want] : collabs) {
            INFO("collaboration " << id.to_text());
            auto row = st.load_row(Kind::kCollaboration, id);
            REQUIRE(row.is_ok());
            if (want.deleted) {
                CHECK((!row.value() || !row.value()->visible()));
                continue;
            }
            // A collaboration created on the laptop may have been deleted there: it is gone or
            // kept; kept, it holds the fee.
            if (!row.value()) {
                CHECK(st.is_erased(id));
                continue;
            }
            const auto& r = *row.value();
            CHECK(core::is_null(*field(r, "influencer")));
            CHECK(core::is_null(*field(r, "deliverables")));
            CHECK(core::is_null(*field(r, "tracking")));
            CHECK(*field(r, "fee") == Value{want.fee});
            CHECK(*field(r, "product") == Value{std::string("Serum Kept")});
            CHECK(*field(r, "campaign") == Value{campaign.to_text()});
            auto dots = st.load_dots(id);
            REQUIRE(dots.is_ok());
            for (const auto& dot : dots.value())
                CHECK(core::kind_def(Kind::kCollaboration).sets[std::size_t(dot.set)].name ==
                      "markets");
        }
        // The other person's collaborations are untouched.
        for (const auto& id : others_collabs) {
            auto row = st.load_row(Kind::kCollaboration, id);
            REQUIRE(row.is_ok());
            REQUIRE(row.value());
            CHECK(*field(*row.value(), "influencer") == Value{other.to_text()});
            CHECK(*field(*row.value(), "deliverables") ==
                  Value{std::string("Quillbrast moonvetch reel")});
        }
        // Her requests and orders stay without her or their notes; nobody else's changes.
        for (const auto& id : requests) {
            auto row = st.load_row(Kind::kGdprRequest, id);
            REQUIRE(row.is_ok());
            REQUIRE(row.value());
            const bool hers = core::is_null(*field(*row.value(), "influencer"));
            CHECK(*field(*row.value(), "type") == Value{std::string("access")});
            if (hers) CHECK(core::is_null(*field(*row.value(), "notes")));
        }
        for (const auto& id : conversions) {
            auto row = st.load_row(Kind::kConversion, id);
            REQUIRE(row.is_ok());
            REQUIRE(row.value());
            CHECK(*field(*row.value(), "value") == Value{std::int64_t(4200)});
            const auto* who = field(*row.value(), "influencer");
            CHECK((core::is_null(*who) || *who == Value{other.to_text()}));
        }
        // No interaction about her is left anywhere.
        auto about_her = st.ids_where(Kind::kInteraction,
                                      core::kind_def(Kind::kInteraction).field_index("influencer"),
                                      her.to_text());
        REQUIRE(about_her.is_ok());
        CHECK(about_her.value().empty());
    }
}

// The order-independence at the heart of R12, spelled out: one replica learns the erasure
// before an edit, a create and a delete made about her elsewhere, the other after them; both
// end the same, byte for byte.
TEST_CASE(
    "R12: an entry the law keeps ends the same whether its edits come before or after "
    "the erasure",
    "[sync][erase][R12]") {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    auto a = open_node(dir.file("a.db"), time, 1);
    auto b = open_node(dir.file("b.db"), time, 2);
    auto src = open_node(dir.file("src.db"), time, 3);
    std::vector<sync::Op> ops;  // what `src` made, in order (its outbox is never emptied)
    auto record = [&](sync::Replica& r) {
        auto push = r.make_push();
        REQUIRE(push.is_ok());
        const auto& all = push.value().ops;
        ops.insert(ops.end(), all.begin() + long(ops.size()), all.end());
    };
    auto& s = *src->replica;
    const auto her = s.create(Kind::kInfluencer, {{"name", std::string("Ysolde Brack")}}).value();
    const auto k1 = s.create(Kind::kCollaboration, {{"influencer", her.to_text()},
                                                    {"type", std::string("paid")},
                                                    {"fee", std::int64_t(50000)},
                                                    {"currency", std::string("EUR")},
                                                    {"deliverables", std::string("one reel")}})
                        .value();
    const auto k2 = s.create(Kind::kCollaboration, {{"influencer", her.to_text()},
                                                    {"type", std::string("gifted")},
                                                    {"in_kind_value", std::int64_t(9000)},
                                                    {"currency", std::string("EUR")}})
                        .value();
    record(s);
    const std::size_t before = ops.size();
    time.advance(1000);
    REQUIRE(s.set(Kind::kCollaboration, k1,
                  {{"fee", std::int64_t(60000)}, {"deliverables", std::string("two reels")}})
                .is_ok());
    REQUIRE(s.add(Kind::kCollaboration, k1, "deliverables_due", "2026-12-24 a reel").is_ok());
    REQUIRE(s.add(Kind::kCollaboration, k1, "markets", "FR").is_ok());
    REQUIRE(s.remove_entry(Kind::kCollaboration, k2).is_ok());
    record(s);
    const std::vector<sync::Op> later(ops.begin() + long(before), ops.end());
    time.advance(1000);
    REQUIRE(s.erase(Kind::kInfluencer, her).is_ok());
    // (Its unsent operations lost what R12 does not keep, and k2's went with it, which queued
    // a bare erase of k2 for the hub: take her erasure alone.)
    auto last = s.make_push();
    REQUIRE(last.is_ok());
    sync::Op erase;
    for (const auto& op : last.value().ops)
        if (op.type == sync::OpType::kErase && op.entity == her) erase = op;
    REQUIRE(erase.entity == her);

    for (std::size_t i = 0; i < before; ++i) {
        REQUIRE(a->replica->receive(ops[i]).is_ok());
        REQUIRE(b->replica->receive(ops[i]).is_ok());
    }
    REQUIRE(a->replica->receive(erase).is_ok());  // a: the erasure first
    for (const auto& op : later) {
        REQUIRE(a->replica->receive(op).is_ok());
        REQUIRE(b->replica->receive(op).is_ok());  // b: the edits first
    }
    REQUIRE(b->replica->receive(erase).is_ok());
    CHECK(must(a->replica->state_hash()) == must(b->replica->state_hash()));
    INFO(diff_states(a->replica->store(), b->replica->store()));
    for (auto* n : {a.get(), b.get()}) {
        auto& st = n->replica->store();
        auto row = st.load_row(Kind::kCollaboration, k1);
        REQUIRE(row.is_ok());
        REQUIRE(row.value());
        CHECK(core::is_null(*field(*row.value(), "influencer")));
        CHECK(core::is_null(*field(*row.value(), "deliverables")));
        CHECK(*field(*row.value(), "fee") == Value{std::int64_t(60000)});
        auto dots = st.load_dots(k1);
        REQUIRE(dots.is_ok());
        REQUIRE(dots.value().size() == 1);  // markets FR; deliverables_due is not kept
        CHECK(dots.value()[0].elem == "FR");
        CHECK(st.is_erased(k2));  // deleted, then its person erased: nothing to keep
        CHECK(st.is_erased(her));
    }
    // A later edit of what is kept applies; of what is not, changes nothing.
    time.advance(1000);
    auto& ar = *a->replica;
    REQUIRE(ar.set(Kind::kCollaboration, k1, {{"fee", std::int64_t(70000)}}).is_ok());
    REQUIRE(
        ar.set(Kind::kCollaboration, k1, {{"deliverables", std::string("three reels")}}).is_ok());
    auto row = ar.store().load_row(Kind::kCollaboration, k1);
    REQUIRE(row.is_ok());
    CHECK(*field(*row.value(), "fee") == Value{std::int64_t(70000)});
    CHECK(core::is_null(*field(*row.value(), "deliverables")));
}

}  // namespace liaison::test::sync_anonymise
