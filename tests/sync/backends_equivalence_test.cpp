// The same hub code over both backends (issue 20, docs/STORAGE.md "Two backends"): random
// operations from several devices — creates, edits, set adds and removes, deletes, duplicate
// merges, erasures — pushed in one order to a hub on SQLite and to a hub on PostgreSQL, with
// replies lost (the device pushes the same operations again) and old pushes delivered again
// late. Each push must be answered alike by both; at the end the two central records have one
// state hash, and a fresh device pulling from each holds the same projection.
#include <algorithm>
#include <catch2/catch.hpp>

#include "support/harness.hpp"

#ifndef __EMSCRIPTEN__
#include "support/pg_cluster.hpp"
#include "sync/codec.hpp"

namespace liaison::test::sync_backends_equivalence {
namespace {

std::vector<core::Id128> sorted(std::vector<core::Id128> ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
}

// A reply's changed entities, sorted. Not their sequence numbers: when one operation rewrites
// several rows (an erasure reaching every entry that names her), each engine takes them in its
// own order (Store::ids_where has no ORDER BY), so their numbers differ, not the state.
std::vector<core::Id128> keys(const std::vector<core::EntitySnapshot>& c) {
    std::vector<core::Id128> out;
    for (const auto& s : c) out.push_back(s.row.id);
    return sorted(std::move(out));
}

// What two hubs answered to one push differs in: "" when alike. The database generation is
// each database's own random id, so it is not compared. Erased ids are a set to the device,
// and one erasure marks a person's merged ids in the engine's order: compared as a set.
std::string reply_difference(const sync::PushReply& a, const sync::PushReply& b) {
    if (a.results.size() != b.results.size()) return "the number of results";
    for (std::size_t i = 0; i < a.results.size(); ++i)
        if (!(a.results[i] == b.results[i]))
            return "result " + std::to_string(i) + ": '" + a.results[i].detail + "' vs '" +
                   b.results[i].detail + "'";
    if (a.next_cursor != b.next_cursor)
        return "next cursor " + std::to_string(a.next_cursor) + " vs " +
               std::to_string(b.next_cursor);
    if (a.has_more != b.has_more) return "has_more";
    if (keys(a.changes) != keys(b.changes))
        return "changed entities (" + std::to_string(a.changes.size()) + " vs " +
               std::to_string(b.changes.size()) + ")";
    if (!(a.aliases == b.aliases)) return "aliases";
    if (sorted(a.erased) != sorted(b.erased))
        return "erased ids (" + std::to_string(a.erased.size()) + " vs " +
               std::to_string(b.erased.size()) + ")";
    if (a.evictions != b.evictions) return "evictions";
    if (a.absent != b.absent || a.refreshed.size() != b.refreshed.size()) return "refusals";
    return "";
}

struct Hubs {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<core::Store> sqlite_store, pg_store;
    std::unique_ptr<sync::Hub> sqlite, pg;

    Hubs() {
        auto s = core::Store::open(dir.file("hub.db"), core::StoreOptions{true, false});
        if (!s) FAIL("SQLite hub: " << s.status().to_string());
        sqlite_store = std::move(s).value();
        auto p = core::Store::open(PgCluster::shared().new_database(), {});
        if (!p) FAIL("PostgreSQL hub: " << p.status().to_string());
        pg_store = std::move(p).value();
        REQUIRE(sqlite_store->db().backend() == core::Backend::kSqlite);
        REQUIRE(pg_store->db().backend() == core::Backend::kPostgres);
        sqlite = std::make_unique<sync::Hub>(*sqlite_store, time);
        pg = std::make_unique<sync::Hub>(*pg_store, time);
    }

    // Delivers `push` (through the wire format, as a server receives it) to both hubs, in the
    // same order; REQUIREs that they answer alike and returns the SQLite hub's reply.
    sync::PushReply deliver(const sync::DeviceContext& device, const sync::PushRequest& push) {
        auto decoded = sync::decode_request(sync::encode_request(push));
        REQUIRE(decoded.is_ok());
        auto on_sqlite = sqlite->exchange(device, decoded.value());
        auto on_pg = pg->exchange(device, decoded.value());
        if (!on_sqlite || !on_pg) {
            REQUIRE(on_sqlite.status().to_string() == on_pg.status().to_string());
            FAIL("both hubs refused a push: " << on_sqlite.status().to_string());
        }
        const std::string differs = reply_difference(on_sqlite.value(), on_pg.value());
        if (!differs.empty())
            FAIL("the hubs answered one push differently (SQLite vs PostgreSQL): " << differs);
        return std::move(on_sqlite).value();
    }
};

sync::DeviceContext central() {
    sync::DeviceContext d;
    d.role = sync::Role::kCentral;
    d.scope = sync::Scope::everything();
    return d;
}

void run_equivalence(std::uint64_t seed, int ops) {
    Hubs hubs;
    OpMaker maker(seed);
    std::vector<std::unique_ptr<Node>> nodes;
    for (int i = 0; i < 3; ++i)
        nodes.push_back(open_node(hubs.dir.file("d" + std::to_string(i) + ".db"), hubs.time,
                                  seed * 13 + std::uint64_t(i)));
    std::vector<sync::PushRequest> late;  // pushes delivered again later, out of order

    // One exchange of node `n`; the reply may be lost (its operations are pushed again).
    auto exchange = [&](Node& n, bool lose_reply) {
        auto push = n.replica->make_push(50, 200);
        REQUIRE(push.is_ok());
        if (maker.chance(0.1)) late.push_back(push.value());
        const auto reply = hubs.deliver(central(), push.value());
        if (lose_reply) return true;
        auto applied = n.replica->apply_reply(reply);
        if (!applied) FAIL(applied.status().to_string());
        return applied->has_more || n.replica->pending() > 0;
    };
    for (int made = 0; made < ops;) {
        hubs.time.advance(maker.next(20));
        auto& n = *nodes[maker.next(nodes.size())];
        if (maker.random_change(*n.replica)) ++made;
        if (maker.chance(0.08)) exchange(*nodes[maker.next(nodes.size())], maker.chance(0.2));
        if (!late.empty() && maker.chance(0.03)) {
            const std::size_t i = maker.next(late.size());
            (void)hubs.deliver(central(), late[i]);
            late.erase(late.begin() + std::ptrdiff_t(i));
        }
    }
    for (const auto& push : late) (void)hubs.deliver(central(), push);
    for (int round = 0; round < 2; ++round)
        for (auto& n : nodes)
            while (exchange(*n, false)) {
            }

    const std::string on_sqlite = must(hubs.sqlite_store->state_hash());
    const std::string on_pg = must(hubs.pg_store->state_hash());
    if (on_sqlite != on_pg)
        FAIL("the central records differ, SQLite (-) vs PostgreSQL (+):\n"
             << diff_states(*hubs.sqlite_store, *hubs.pg_store));
    for (auto& n : nodes) CHECK(must(n->replica->state_hash()) == on_sqlite);

    // What a fresh device pulls, with every scope and with one store's.
    std::vector<sync::DeviceContext> scopes = {central()};
    if (!maker.known(core::Kind::kStore).empty()) {
        sync::DeviceContext store;
        store.role = sync::Role::kStore;
        store.scope.stores = {maker.known(core::Kind::kStore)[0].to_text()};
        scopes.push_back(store);
    }
    for (std::size_t i = 0; i < scopes.size(); ++i) {
        const std::string tag = std::to_string(i);
        INFO("projection " << i << " (0: every scope, 1: one store's)");
        CHECK(projection_hash(*hubs.sqlite, scopes[i], hubs.dir.file("sqlite-" + tag + ".db"),
                              hubs.time) ==
              projection_hash(*hubs.pg, scopes[i], hubs.dir.file("pg-" + tag + ".db"), hubs.time));
    }
}

}  // namespace

TEST_CASE("the same random operations give the same central record on SQLite and PostgreSQL",
          "[sync][pg][native][property]") {
    for (auto seed : seeds({91, 92, 93, 94})) {
        INFO("seed " << seed << " (LIAISON_SEED=" << seed << " replays it)");
        run_equivalence(seed, 800);
    }
}

// On PostgreSQL a group commit's creates of new ids are written together, with the next
// statement or the commit (Store::flush_creates). What comes later in the same batch must see
// them: the same create again (a duplicate), a write to one, a second create of one.
TEST_CASE(
    "a group commit's new records are written together on PostgreSQL and answered as on "
    "SQLite",
    "[sync][pg][native][group-commit]") {
    Hubs hubs;
    auto device = open_node(hubs.dir.file("device.db"), hubs.time, 77);
    const auto person = device->ids->next_entity_id(hubs.time.now_ms());  // in no table
    const auto replica = device->ids->next_entity_id(hubs.time.now_ms());
    auto stamped = [&](sync::Op op) {
        hubs.time.advance(1);
        op.id = core::Stamp{sync::hlc_from_millis(hubs.time.now_ms()), replica};
        sync::PushRequest push;
        push.cursor = 1'000'000;
        push.ops = {std::move(op)};
        return push;
    };
    auto contact = [&](const core::Id128& id, std::int64_t at) {
        return stamped(sync::field_op(sync::OpType::kCreate, core::Kind::kInteraction, id,
                                      {{"influencer", person.to_text()},
                                       {"at", at},
                                       {"touchpoint", std::string("store")},
                                       {"department", std::string("retail")}}));
    };
    constexpr int kNew = 24;
    std::vector<core::Id128> ids;
    std::vector<sync::PushRequest> pushes;
    for (int i = 0; i < kNew; ++i) {
        ids.push_back(device->ids->next_entity_id(hubs.time.now_ms()));
        pushes.push_back(contact(ids.back(), 1'700'000'000'000LL + i));
    }
    pushes.push_back(pushes[0]);  // the same operation again
    pushes.push_back(stamped(sync::field_op(sync::OpType::kSet, core::Kind::kInteraction, ids[3],
                                            {{"at", std::int64_t(1'800'000'000'000LL)}})));
    pushes.push_back(contact(ids[5], 1'600'000'000'000LL));  // a second create, stamped later
    pushes.push_back(contact(device->ids->next_entity_id(hubs.time.now_ms()), 1'700'000'000'999LL));

    std::vector<sync::Hub::Pending> batch;
    const auto central_device = central();
    for (const auto& p : pushes) batch.push_back({&central_device, &p});
    int log_writes = 0;
    hubs.pg_store->db().set_statement_sink([&](std::string_view sql, double) {
        if (sql.find("INTO oplog") != std::string_view::npos) ++log_writes;
    });
    auto on_pg = hubs.pg->exchange_batch(batch);
    hubs.pg_store->db().set_statement_sink({});
    auto on_sqlite = hubs.sqlite->exchange_batch(batch);
    REQUIRE(on_pg.size() == pushes.size());
    REQUIRE(on_sqlite.size() == pushes.size());
    for (std::size_t i = 0; i < pushes.size(); ++i) {
        INFO("push " << i);
        REQUIRE(on_pg[i].is_ok());
        REQUIRE(on_sqlite[i].is_ok());
        CHECK(reply_difference(on_sqlite[i].value(), on_pg[i].value()).empty());
        REQUIRE(on_pg[i]->results.size() == 1);
    }
    CHECK(on_pg[0]->results[0].outcome == sync::Outcome::kApplied);
    CHECK(on_pg[kNew]->results[0].outcome == sync::Outcome::kDuplicate);
    CHECK(on_pg[kNew + 1]->results[0].outcome == sync::Outcome::kApplied);
    CHECK(on_pg[kNew + 2]->results[0].outcome == sync::Outcome::kApplied);
    CHECK(must(hubs.pg_store->state_hash()) == must(hubs.sqlite_store->state_hash()));
    // The 24 new ids' entries in one statement; then the duplicate's, the write's and the
    // second create's one each (each sent after the pending ones); the last new id's with the
    // commit. One a create would be 28.
    CHECK(log_writes == 5);
}

}  // namespace liaison::test::sync_backends_equivalence

#endif  // __EMSCRIPTEN__
