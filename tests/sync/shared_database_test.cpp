// Several servers on one PostgreSQL database (docs/SCALING.md §2–§3). Each "server" here is a
// Store and a Hub of its own on its own connection, as two liaison-server processes have: what
// one writes, the other must take into account at its next write — the sequence numbers, the
// erased ids, the duplicate-merge graph, the op log's id numbers — and a reader following the
// change feed must never skip a change, however the two writers' transactions interleave.
#ifndef __EMSCRIPTEN__

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "support/harness.hpp"
#include "support/pg_cluster.hpp"

namespace liaison::test::sync_shared_database {

using core::Kind;

namespace {

std::unique_ptr<core::Store> open_shared(const std::string& url) {
    auto store = core::Store::open(url, {});
    REQUIRE(store.is_ok());
    return std::move(store.value());
}

sync::DeviceContext central_device() {
    sync::DeviceContext c;
    c.role = sync::Role::kCentral;
    c.scope = sync::Scope::everything();
    return c;
}

// Two servers on one new database, and two central devices (an office and a laptop).
struct TwoServers {
    explicit TwoServers(std::uint64_t seed)
        : url(PgCluster::shared().new_database()),
          store_a(open_shared(url)),
          store_b(open_shared(url)),
          office(open_node(dir.file("office.db"), time, seed)),
          laptop(open_node(dir.file("laptop.db"), time, seed + 1)) {}
    std::string url;
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<core::Store> store_a, store_b;
    sync::Hub hub_a{*store_a, time}, hub_b{*store_b, time};
    std::unique_ptr<Node> office, laptop;
    const sync::DeviceContext central = central_device();
};

}  // namespace

TEST_CASE("devices alternating between two servers on one PostgreSQL database converge", "[pg]") {
    TwoServers two(81);
    auto& [url, dir, time, store_a, store_b, hub_a, hub_b, office, laptop, central] = two;
    sync::Hub* hubs[] = {&hub_a, &hub_b};
    Node* nodes[] = {office.get(), laptop.get()};

    std::vector<core::Id128> people;
    for (int round = 0; round < 12; ++round) {
        Node& node = *nodes[round % 2];
        sync::Hub& hub = *hubs[(round / 2 + round) % 2];  // each device meets both servers
        INFO("round " << round);
        const std::string what = round % 2 ? "laptop" : "office";
        sync_until_quiet(node, hub, central, what);  // pulls what the other device wrote
        time.advance(1000);
        people.push_back(add_person(*node.replica, "Person " + std::to_string(round), {},
                                    {"instagram:p" + std::to_string(round) + ":1000"}));
        // Both devices edit the first person, so the servers merge concurrent writes.
        const auto tier =
            node.replica->set(Kind::kInfluencer, people.front(),
                              {{"tier", std::string(round % 3 == 0 ? "top" : "expert")}});
        INFO(tier.to_string());
        REQUIRE(tier.is_ok());
        if (round >= 4)
            REQUIRE(node.replica
                        ->add(Kind::kInfluencer, people[std::size_t(round - 3)], "tags",
                              "round" + std::to_string(round))
                        .is_ok());
        sync_until_quiet(node, hub, central, what);
    }
    for (Node* node : nodes) sync_until_quiet(*node, hub_a, central, "final");
    for (Node* node : nodes) sync_until_quiet(*node, hub_b, central, "final");

    const std::string through_a = projection_hash(hub_a, central, dir.file("pa.db"), time);
    const std::string through_b = projection_hash(hub_b, central, dir.file("pb.db"), time);
    CHECK(through_a == through_b);
    CHECK(must(office->replica->state_hash()) == through_a);
    CHECK(must(laptop->replica->state_hash()) == through_a);
    // Every change has its own number: the two servers never took the same one.
    auto changes = store_a->changes_since(0, 100'000);
    REQUIRE(changes.is_ok());
    std::set<std::int64_t> numbers;
    for (const auto& c : changes.value()) CHECK(numbers.insert(c.seq).second);
}

TEST_CASE("an erasure handled by one server is honoured by the other at once", "[pg]") {
    TwoServers two(91);
    auto& [url, dir, time, store_a, store_b, hub_a, hub_b, office, laptop, central] = two;

    const auto ana = add_person(*office->replica, "Ana Lima", {}, {"instagram:analima:5000"});
    sync_until_quiet(*office, hub_a, central, "office");
    sync_until_quiet(*laptop, hub_b, central, "laptop");  // server B has served Ana since
    REQUIRE(must(laptop->replica->state_hash()) == must(office->replica->state_hash()));

    time.advance(1000);
    REQUIRE(office->replica->erase(Kind::kInfluencer, ana).is_ok());
    sync_until_quiet(*office, hub_a, central, "office erases");

    // The laptop has not pulled the erasure; its edit reaches server B, whose caches were
    // filled before server A erased Ana.
    time.advance(1000);
    REQUIRE(laptop->replica->set(Kind::kInfluencer, ana, {{"tier", std::string("top")}}).is_ok());
    auto push = laptop->replica->make_push();
    REQUIRE(push.is_ok());
    sync::DeviceContext laptop_ctx = central;
    laptop_ctx.replica = laptop->replica->id();
    auto reply = hub_b.exchange(laptop_ctx, push.value());
    REQUIRE(reply.is_ok());
    REQUIRE(reply->results.size() == push->ops.size());
    for (const auto& r : reply->results) CHECK(r.outcome == sync::Outcome::kErased);
    auto row = store_a->load_row(Kind::kInfluencer, ana);
    REQUIRE(row.is_ok());
    CHECK_FALSE(row.value().has_value());  // nothing of Ana came back
    CHECK(store_b->is_erased(ana));
}

// The classic hazard of a change feed over a shared database (docs/SCALING.md §2): writer A
// takes change number 41 and has not committed; writer B takes 42 and commits; a reader sees
// 42 and moves its cursor past 41; A commits 41, which that reader never reads.
// `naive`: each writer takes numbers from a PostgreSQL sequence, with no writer lock — the
// hazard happens, and this test shows it does. Otherwise: Liaison's stores, whose writes hold
// the writer lock — B waits for A, and the reader sees both changes.
namespace {

struct FeedRun {
    std::set<std::int64_t> seen;      // change numbers the reader saw
    std::vector<std::int64_t> taken;  // change numbers the writers took, A's first
};

// A writer's change: takes its number, and A (`first`) waits 400 ms before it commits. Runs on
// its own thread, so it reports a failure as text rather than through Catch's macros.
std::string write_change(const std::string& url, bool naive, bool first,
                         std::atomic<std::int64_t>& taken, std::atomic<bool>& has_number) {
    if (naive) {
        auto db = core::Database::open(url, {});
        if (!db) return db.status().to_string();
        auto& d = *db.value();
        if (auto s = d.exec_postgres("BEGIN"); !s.is_ok()) return s.to_string();
        auto n = d.query_int("SELECT nextval('naive_seq')");
        if (!n) return "nextval failed";
        if (auto s =
                d.exec_postgres("INSERT INTO naive_feed(seq) VALUES(" + std::to_string(*n) + ")");
            !s.is_ok())
            return s.to_string();
        taken = *n;
        has_number = true;
        if (first) std::this_thread::sleep_for(std::chrono::milliseconds(400));
        auto s = d.exec_postgres("COMMIT");
        return s.is_ok() ? "" : s.to_string();
    }
    auto store = core::Store::open(url, {});
    if (!store) return store.status().to_string();
    core::WriteTxn txn(*store.value());
    if (!txn.begun().is_ok()) return txn.begun().to_string();
    core::Stamp stamp;
    stamp.hlc = first ? 1 : 2;
    stamp.replica.bytes.fill(first ? 0xA1 : 0xB2);
    core::Id128 id;
    id.bytes.fill(first ? 0x11 : 0x22);
    const auto& k = core::kind_def(Kind::kRegion);
    std::vector<core::Value> values(k.fields.size());
    values[std::size_t(k.field_index("name"))] = std::string(first ? "North" : "South");
    auto made = store.value()->insert_created(Kind::kRegion, id, stamp, values);
    if (!made) return made.status().to_string();
    taken = store.value()->last_seq();
    has_number = true;
    if (first) std::this_thread::sleep_for(std::chrono::milliseconds(400));
    auto s = txn.commit();
    return s.is_ok() ? "" : s.to_string();
}

FeedRun run_two_writers(const std::string& url, bool naive) {
    FeedRun run;
    std::atomic<bool> a_has_number{false}, b_has_number{false}, a_done{false}, b_done{false};
    std::atomic<std::int64_t> a_seq{0}, b_seq{0};
    std::string a_error, b_error;
    std::unique_ptr<core::Database> reader_db;
    std::unique_ptr<core::Store> reader_store;
    if (naive) {
        auto db = core::Database::open(url, {});
        REQUIRE(db.is_ok());
        reader_db = std::move(db.value());
        REQUIRE(
            reader_db
                ->exec_postgres("CREATE SEQUENCE naive_seq; CREATE TABLE naive_feed(seq BIGINT)")
                .is_ok());
    } else {
        reader_store = open_shared(url);
    }
    std::thread a([&] {
        a_error = write_change(url, naive, true, a_seq, a_has_number);
        a_done = true;
    });
    while (!a_has_number && !a_done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::thread b([&] {
        b_error = write_change(url, naive, false, b_seq, b_has_number);
        b_done = true;
    });
    // The reader: "every change after my cursor", again and again, as a device's pulls do,
    // until one read after both writers have committed.
    std::int64_t cursor = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (bool last = false; std::chrono::steady_clock::now() < deadline;) {
        const bool both_done = a_done && b_done;
        std::vector<std::int64_t> batch;
        if (naive) {
            auto st = reader_db->prepare("SELECT seq FROM naive_feed WHERE seq > ?1 ORDER BY seq");
            REQUIRE(st.is_ok());
            st.value().bind(1, cursor);
            while (st.value().step() == core::Statement::Step::kRow)
                batch.push_back(st.value().column_int(0));
        } else {
            auto changes = reader_store->changes_since(cursor, 100);
            REQUIRE(changes.is_ok());
            for (const auto& c : changes.value()) batch.push_back(c.seq);
        }
        for (auto n : batch) {
            run.seen.insert(n);
            cursor = std::max(cursor, n);
        }
        if (last) break;
        last = both_done;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    a.join();
    b.join();
    REQUIRE(a_error == "");
    REQUIRE(b_error == "");
    run.taken = {a_seq, b_seq};
    return run;
}

}  // namespace

TEST_CASE("a reader following the change feed never skips a change two servers write", "[pg]") {
    SECTION("naive writers numbering from a sequence without the writer lock skip one") {
        const auto run = run_two_writers(PgCluster::shared().new_database(), true);
        INFO("A took " << run.taken[0] << ", B took " << run.taken[1]);
        REQUIRE(run.taken[0] < run.taken[1]);
        CHECK(run.seen.count(run.taken[1]) == 1);
        CHECK(run.seen.count(run.taken[0]) == 0);  // the hazard: A's change was skipped
    }
    SECTION("Liaison's writers: B waits for A's commit and the reader sees both") {
        const auto run = run_two_writers(PgCluster::shared().new_database(), false);
        INFO("A took " << run.taken[0] << ", B took " << run.taken[1]);
        CHECK(run.taken[0] < run.taken[1]);
        CHECK(run.seen.count(run.taken[0]) == 1);
        CHECK(run.seen.count(run.taken[1]) == 1);
    }
}

}  // namespace liaison::test::sync_shared_database

#endif  // __EMSCRIPTEN__
