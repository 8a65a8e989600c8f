// Failover on PostgreSQL (issue 20, docs/SCALING.md §4), with real liaison-server processes:
// - losing a server: two servers on one database, devices pushing to both; one is killed with
//   SIGKILL while it holds the writer lock (or hangs there, until PostgreSQL's
//   idle_in_transaction_session_timeout ends its session); the devices that were talking to it
//   retry against the other, which keeps answering; nothing either acknowledged is lost;
// - losing the primary: the database's machine is lost (pg_ctl stop -m immediate) and its
//   standby promoted (pg_ctl promote); a server on the promoted standby serves everything the
//   lost primary's server acknowledged when the standby was synchronous, and, when it was
//   asynchronous and lost some, the devices push it again (the new timeline gives the database
//   a new generation, core/storage/lineage.hpp) and nothing acknowledged stays lost.
// Each test has a database of its own: the shared test cluster's, or a private primary and
// standby (support/pg_cluster.hpp, PgStandbyPair).
#include <signal.h>

#include <atomic>
#include <cstdio>

#include "core/storage/database.hpp"
#include "fixture.hpp"
#include "support/pg_cluster.hpp"
#include "sync/generations.hpp"

namespace liaison::test::server_failover {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

// A server database's accounts on PostgreSQL: an administrator and one central user with a
// token per device (one token each, so no device waits on another's rate limit).
struct Accounts {
    std::string admin_token;
    std::vector<std::string> device_tokens;

    Accounts(const std::string& db, int devices) {
        cli_ok({"init", "--db", db});
        const std::string admin =
            cli_ok({"user", "add", "--db", db, "--name", "Ada Admin", "--role", "admin"});
        admin_token = cli_ok({"token", "issue", "--db", db, "--user", admin, "--device", "tests"});
        const std::string central =
            cli_ok({"user", "add", "--db", db, "--name", "Chloé Central", "--role", "central"});
        for (int d = 0; d < devices; ++d)
            device_tokens.push_back(cli_ok({"token", "issue", "--db", db, "--user", central,
                                            "--device", "device-" + std::to_string(d)}));
    }

    std::string state_hash(ServerProcess& server) const {
        return server_state_hash(server, admin_token);
    }
};

core::Id128 generation_of(const std::string& db) {
    auto store = core::Store::open(db, {});
    REQUIRE(store.is_ok());
    return sync::database_generation(*store.value());
}

// `n` random changes on `r` (erasures and merges left out: they are not the point here).
void make_changes(OpMaker& maker, sync::Replica& r, int n) {
    for (int made = 0; made < n;)
        if (maker.random_change(r, false)) ++made;
}

// A primary and its standby, their accounts, and two devices (a and b) making random
// changes: the standby tests' scene.
struct StandbyScene {
    TempDir dir;
    PgStandbyPair pair;
    Accounts accounts;
    sync::SystemTimeSource time;
    std::unique_ptr<Node> a, b;
    OpMaker maker;
    core::Id128 generation;  // the database's, before the failover
    std::uint64_t seed;

    StandbyScene(PgStandbyPair::Commit commit, int devices, std::uint64_t seed)
        : pair(commit),
          accounts(pair.primary_url(), devices),
          a(open_node(dir.file("a.db"), time, seed)),
          b(open_node(dir.file("b.db"), time, seed + 1)),
          maker(seed),
          generation(generation_of(pair.primary_url())),
          seed(seed) {}

    Node& device(int d) { return d == 0 ? *a : *b; }
    // Another device (a replica id of its own: replica ids come from the seed).
    std::unique_ptr<Node> third_device(const std::string& name) {
        return open_node(dir.file(name + ".db"), time, seed + 2);
    }
    // `n` changes on device `d` (0 is a, 1 is b), then synced through `server` until quiet.
    void change_and_sync(httplib::Client& server, int d, int n) {
        make_changes(maker, *device(d).replica, n);
        sync(server, d);
    }
    void sync(httplib::Client& server, int d) {
        sync_all(server, accounts.device_tokens[std::size_t(d)], *device(d).replica, false);
    }
};

// The lines of diff_states(a, b) other than a deleted row's. A device re-sending what it
// authored after a new database generation does not re-send the create of a record it deleted
// (docs/SYNC.md "Generations": a tombstone keeps no required fields), so where the create was
// lost the row comes back a tombstone without its create stamp: hidden either way.
std::string live_differences(core::Store& a, core::Store& b) {
    std::istringstream diff(diff_states(a, b, 100'000));
    std::string out;
    for (std::string line; std::getline(diff, line);) {
        const bool row = line.rfind("- R ", 0) == 0 || line.rfind("+ R ", 0) == 0;
        if (!row || line.find(" d=-") != std::string::npos) out += line + "\n";
    }
    return out;
}

// The URL of `db` for one server, its PostgreSQL sessions named `name` (pg_stat_activity's
// application_name), so the test can find them.
std::string named(const std::string& db, const std::string& name) {
    return db + "&application_name=" + name;
}

// Whether the sessions named `name` hold Liaison's writer lock (core::kWriterLockKey: a
// bigint advisory lock, which pg_locks shows as its high and low 32 bits, objsubid 1).
std::string writer_lock_held_by(const std::string& name) {
    const auto key = static_cast<std::uint64_t>(core::kWriterLockKey);
    return "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
           "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = " +
           std::to_string(key >> 32) + " AND l.objid = " + std::to_string(key & 0xFFFF'FFFFu) +
           " AND a.application_name = '" + name + "'";
}

// What one device saw while it pushed to two servers.
struct DeviceRun {
    struct Acked {
        core::Id128 entity;
        core::Stamp op;
        int server;  // 0 or 1
    };
    std::vector<Acked> acknowledged;    // applied or duplicate in a 200 reply
    std::vector<sync::Op> unanswered;   // pushed to the killed server, no reply
    std::size_t retried_applied = 0;    // of those, applied by the survivor's retry
    std::size_t retried_duplicate = 0;  // ... or already committed (the reply was lost)
    std::size_t retries_mixed = 0;      // retries answered partly applied, partly duplicate
    struct Exchange {
        Clock::time_point from, to;
        bool wrote;  // it pushed operations (a pull alone takes no writer lock)
    };
    std::vector<Exchange> survivor_exchanges;
    std::string failure;  // a failed exchange that was not the killed server's
};

// One device: rounds of 5 changes, each synced until quiet, exchanges alternating between
// the two servers while the first (index 0) is alive as far as the device knows. An exchange
// with the first that gets no answer once it is doomed is not acknowledged: the device keeps
// its operations in its outbox and its next exchange, with the second, pushes them again.
void push_through_two(sync::Replica& r, OpMaker& maker, const std::string& token,
                      const ServerProcess& first, const ServerProcess& second,
                      const std::atomic<bool>& first_doomed, const std::atomic<bool>& stop,
                      DeviceRun& run, std::size_t turn) {
    const std::unique_ptr<httplib::Client> clients[2] = {first.client(), second.client()};
    bool first_alive = true;
    while (!stop) {
        make_changes(maker, r, 5);
        for (int exchange = 0; exchange < 200; ++exchange) {
            const int s = first_alive ? int(turn++ % 2) : 1;
            auto req = r.make_push(50, 200);
            if (!req) return void(run.failure = "make_push: " + req.status().to_string());
            const auto started = Clock::now();
            auto res = post_sync(*clients[s], token, sync::encode_request(req.value()), false);
            if (s == 1)
                run.survivor_exchanges.push_back({started, Clock::now(), !req->ops.empty()});
            if (!res || res->status != 200) {
                if (s == 0 && !res && first_doomed) {
                    first_alive = false;
                    run.unanswered.insert(run.unanswered.end(), req->ops.begin(), req->ops.end());
                    continue;
                }
                run.failure = "server " + std::to_string(s) + ": " +
                              (res ? std::to_string(res->status) + " " + res->body.substr(0, 200)
                                   : "no answer: " + httplib::to_string(res.error()));
                return;
            }
            auto reply = sync::decode_reply(res->body);
            if (!reply) return void(run.failure = "reply: " + reply.status().to_string());
            std::size_t applied = 0, duplicate = 0;
            for (std::size_t i = 0; i < reply->results.size() && i < req->ops.size(); ++i) {
                const auto& op = req->ops[i];
                const auto outcome = reply->results[i].outcome;
                if (outcome != sync::Outcome::kApplied && outcome != sync::Outcome::kDuplicate)
                    continue;
                run.acknowledged.push_back({op.entity, op.id, s});
                const bool was_unanswered =
                    std::any_of(run.unanswered.begin(), run.unanswered.end(),
                                [&](const sync::Op& u) { return u.id == op.id; });
                if (!was_unanswered) continue;
                ++(outcome == sync::Outcome::kApplied ? applied : duplicate);
            }
            run.retried_applied += applied;
            run.retried_duplicate += duplicate;
            if (applied && duplicate) ++run.retries_mixed;
            auto stats = r.apply_reply(reply.value());
            if (!stats) return void(run.failure = "apply_reply: " + stats.status().to_string());
            if (!stats->has_more && r.pending() == 0) break;
        }
    }
}

// How a server is lost while it holds the writer lock.
enum class Loss {
    kKilled,  // SIGKILL: the kernel closes its connections
    kHung,    // stopped for good with its connections open, as a vanished machine's
};
// PostgreSQL's idle_in_transaction_session_timeout on the database of the kHung case: what
// ends a vanished server's session there (docs/SCALING.md §4).
constexpr int kIdleInTransactionTimeoutMs = 1000;

// Two servers on one database, devices pushing to both in turn; at a random moment, and while
// the doomed server holds the writer lock (stopped there with SIGSTOP so that it still holds
// it), it is lost. Its transaction, begun and not committed, must not be acknowledged, its
// lock must not outlive its session, the survivor must answer every request, and the devices
// that got no answer push again to the survivor.
void lose_a_server(Loss loss) {
    TempDir dir;
    const std::string db = PgCluster::shared().new_database();
    constexpr int kDevices = 4;
    const Accounts accounts(db, kDevices);
    auto watch = core::Database::open(db, {});
    REQUIRE(watch.is_ok());
    if (loss == Loss::kHung)  // for the servers' sessions, opened after this
        REQUIRE(watch.value()
                    ->exec_postgres("DO $$BEGIN EXECUTE format('ALTER DATABASE %I SET "
                                    "idle_in_transaction_session_timeout = " +
                                    std::to_string(kIdleInTransactionTimeoutMs) +
                                    "', current_database()); END$$")
                    .is_ok());
    sync::SystemTimeSource time;
    std::vector<std::unique_ptr<Node>> nodes;
    std::vector<std::unique_ptr<OpMaker>> makers;
    for (int d = 0; d < kDevices; ++d) {
        nodes.push_back(open_node(dir.file("d" + std::to_string(d) + ".db"), time, 800 + d));
        makers.push_back(std::make_unique<OpMaker>(800 + d));
    }
    ServerProcess doomed(named(db, "liaison_doomed"), {"--threads", "4"}, dir.file("doomed.log"));
    ServerProcess survivor(named(db, "liaison_survivor"), {"--threads", "4"},
                           dir.file("survivor.log"));

    std::vector<DeviceRun> runs(kDevices);
    std::atomic<bool> doomed_flag{false}, stop{false};
    std::vector<std::thread> threads;
    for (int d = 0; d < kDevices; ++d)
        threads.emplace_back([&, d] {
            push_through_two(*nodes[std::size_t(d)]->replica, *makers[std::size_t(d)],
                             accounts.device_tokens[std::size_t(d)], doomed, survivor, doomed_flag,
                             stop, runs[std::size_t(d)], std::size_t(d));
        });

    OpMaker timing(Catch::rngSeed());
    const auto pushing_ms = 400 + timing.next(600);
    std::this_thread::sleep_for(std::chrono::milliseconds(pushing_ms));
    doomed_flag = true;
    const std::string held_by_doomed = writer_lock_held_by("liaison_doomed");
    bool held = false;
    for (int attempt = 0; attempt < 5000 && !held; ++attempt) {
        if (watch.value()->query_int(held_by_doomed) != 1) continue;
        kill(doomed.pid(), SIGSTOP);
        // A statement the server sent just before it stopped (its COMMIT) may still be running
        // in its backend and release the lock a moment later (seen: 2 ms after the stop): held
        // only if it still is once such a statement has had time to end.
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        held = watch.value()->query_int(held_by_doomed) == 1;
        if (!held) kill(doomed.pid(), SIGCONT);
    }
    const auto lost_at = Clock::now();
    if (loss == Loss::kKilled || !held) doomed.crash();
    if (!held) {  // the threads end before the test does
        stop = true;
        for (auto& t : threads) t.join();
        FAIL("the doomed server never held the writer lock when asked");
    }
    // PostgreSQL ends the session that holds the lock — a killed server's as soon as it
    // reads its socket's end, a hung one's after the idle-in-transaction timeout — and with it
    // the transaction and the lock. (A hung server's idle sessions stay: they hold nothing.)
    const auto wait_for_none = [&](const std::string& until_none) {
        while (watch.value()->query_int(until_none) != 0 &&
               ms_between(lost_at, Clock::now()) < 10'000)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return ms_between(lost_at, Clock::now());
    };
    const double lock_released_ms = wait_for_none(held_by_doomed);
    CHECK(watch.value()->query_int(held_by_doomed) == std::optional<std::int64_t>(0));
    if (loss == Loss::kKilled) {
        const std::string sessions =
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'liaison_doomed'";
        wait_for_none(sessions);
        CHECK(watch.value()->query_int(sessions) == std::optional<std::int64_t>(0));
    }
    // The hung one never comes back: the requests it holds end without an answer.
    doomed.crash();
    std::this_thread::sleep_for(std::chrono::milliseconds(700));  // the survivor alone
    stop = true;
    for (auto& t : threads) t.join();

    // The survivor answered every exchange. How long its pushes waited after the loss (for
    // the lock; a push whose reply was on its way at the loss waited for nothing).
    double stalled_ms = 0, longest_before_ms = 0;
    std::size_t unanswered = 0, retried_applied = 0, retried_duplicate = 0, mixed = 0;
    std::size_t acked_by_doomed = 0, acked_by_survivor = 0;
    for (const auto& run : runs) {
        CHECK(run.failure == "");
        for (const auto& [from, to, wrote] : run.survivor_exchanges) {
            if (!wrote) continue;
            if (to < lost_at)
                longest_before_ms = std::max(longest_before_ms, ms_between(from, to));
            else
                stalled_ms = std::max(stalled_ms, ms_between(std::max(from, lost_at), to));
        }
        unanswered += run.unanswered.size();
        retried_applied += run.retried_applied;
        retried_duplicate += run.retried_duplicate;
        mixed += run.retries_mixed;
        for (const auto& a : run.acknowledged)
            ++(a.server == 0 ? acked_by_doomed : acked_by_survivor);
    }
    const char* how = loss == Loss::kKilled ? "killed" : "hung";
    std::printf(
        "failover (%s after %d ms of pushes): the lost server's writer lock released after "
        "%.1f ms; the survivor's pushes waited at most %.1f ms after the loss (its longest push "
        "before: %.1f ms); %zu operations in flight, %zu applied by the retry, %zu already "
        "committed\n",
        how, int(pushing_ms), lock_released_ms, stalled_ms, longest_before_ms, unanswered,
        retried_applied, retried_duplicate);
    CHECK(stalled_ms < core::kPgLockTimeoutMs);  // none timed out on the lost server's lock
    // A hung server's lock was ended by the timeout, which counts from its session's last
    // statement, a moment before it was stopped.
    if (loss == Loss::kHung) CHECK(lock_released_ms >= 0.8 * kIdleInTransactionTimeoutMs);
    CHECK(acked_by_doomed > 0);
    CHECK(acked_by_survivor > 0);
    // The doomed server was stopped inside a write transaction: at least that push was in
    // flight. Each push in flight was committed whole or not at all, and its retry says which.
    CHECK(unanswered > 0);
    CHECK(retried_applied + retried_duplicate == unanswered);
    CHECK(mixed == 0);

    // Every acknowledged operation is in the central record.
    {
        auto store = core::Store::open(db, {});
        REQUIRE(store.is_ok());
        for (const auto& run : runs)
            for (const auto& a : run.acknowledged) {
                INFO("operation " << a.op.to_text() << " acknowledged by server " << a.server);
                CHECK(store.value()->has_op(a.entity, a.op));
            }
    }
    // And the devices converge with the survivor.
    auto client = survivor.client();
    for (int round = 0; round < 2; ++round)
        for (int d = 0; d < kDevices; ++d)
            sync_all(*client, accounts.device_tokens[std::size_t(d)],
                     *nodes[std::size_t(d)]->replica, false);
    const std::string hash = accounts.state_hash(survivor);
    for (auto& n : nodes) CHECK(must(n->replica->state_hash()) == hash);
}

}  // namespace

TEST_CASE(
    "a server killed with SIGKILL during sustained pushes loses no acknowledged operation while "
    "the other keeps serving",
    "[server][pg][failover]") {
    lose_a_server(Loss::kKilled);
}

TEST_CASE(
    "a server hung holding the writer lock stalls the other only until PostgreSQL ends its "
    "idle transaction",
    "[server][pg][failover]") {
    lose_a_server(Loss::kHung);
}

TEST_CASE("a promoted synchronous standby serves every operation the lost primary acknowledged",
          "[server][pg][failover]") {
    StandbyScene scene(PgStandbyPair::Commit::kSynchronous, 3, Catch::rngSeed() + 50);
    auto& pair = scene.pair;
    std::string acknowledged_hash;
    {
        ServerProcess primary(pair.primary_url(), {}, scene.dir.file("primary.log"));
        auto client = primary.client();
        scene.change_and_sync(*client, 0, 30);
        scene.change_and_sync(*client, 1, 30);

        // Synchronous: while the standby is down, a commit waits for it, and no push is
        // acknowledged; once it is back, the commit completes.
        pair.stop_standby();
        make_changes(scene.maker, *scene.a->replica, 5);
        {
            auto impatient = primary.client();
            impatient->set_read_timeout(1, 0);
            auto req = scene.a->replica->make_push(50, 200);
            REQUIRE(req.is_ok());
            auto res = impatient->Post("/api/v1/sync", bearer(scene.accounts.device_tokens[0]),
                                       sync::encode_request(req.value()), kBinary);
            CHECK_FALSE(res);  // no answer within a second: not acknowledged
        }
        pair.start_standby();
        scene.sync(*client, 0);  // answered `duplicate` or applied
        CHECK(scene.a->replica->pending() == 0);

        // The last acknowledged push, then at once the primary's machine is lost.
        scene.change_and_sync(*client, 1, 10);
        acknowledged_hash = scene.accounts.state_hash(primary);
        pair.stop_primary();
        // Its server acknowledges nothing any more.
        make_changes(scene.maker, *scene.a->replica, 3);
        auto req = scene.a->replica->make_push(50, 200);
        REQUIRE(req.is_ok());
        auto res = post_sync(*client, scene.accounts.device_tokens[0],
                             sync::encode_request(req.value()), false);
        INFO((res ? std::to_string(res->status) + " " + res->body : "no answer"));
        CHECK((!res || res->status != 200));
    }

    pair.promote_standby();
    ServerProcess promoted(pair.standby_url(), {}, scene.dir.file("promoted.log"));
    CHECK(scene.accounts.state_hash(promoted) == acknowledged_hash);  // nothing acknowledged lost
    // A new timeline, so a new database generation: the devices re-push and re-pull, and
    // since nothing was lost their re-pushes are all duplicates.
    const core::Id128 promoted_generation = generation_of(pair.standby_url());
    CHECK_FALSE(promoted_generation.is_nil());
    CHECK(promoted_generation != scene.generation);
    auto client = promoted.client();
    auto c = scene.third_device("c");  // a new device pulls it all
    sync_all(*client, scene.accounts.device_tokens[2], *c->replica, false);
    CHECK(must(c->replica->state_hash()) == acknowledged_hash);

    // The devices carry on: a's change made during the outage, then more from both.
    scene.sync(*client, 0);
    scene.change_and_sync(*client, 1, 10);
    scene.sync(*client, 0);
    sync_all(*client, scene.accounts.device_tokens[2], *c->replica, false);
    const std::string hash = scene.accounts.state_hash(promoted);
    CHECK(hash != acknowledged_hash);
    for (auto* n : {scene.a.get(), scene.b.get(), c.get()})
        CHECK(must(n->replica->state_hash()) == hash);
}

TEST_CASE("after an asynchronous standby is promoted the devices push again what it lost",
          "[server][pg][failover]") {
    StandbyScene scene(PgStandbyPair::Commit::kAsynchronous, 2, Catch::rngSeed() + 60);
    auto& pair = scene.pair;
    // Holds what the lost primary's server acknowledged, and is never synced again.
    auto witness = scene.third_device("witness");
    std::string acknowledged_hash;
    {
        ServerProcess primary(pair.primary_url(), {}, scene.dir.file("primary.log"));
        auto client = primary.client();
        scene.change_and_sync(*client, 0, 20);
        scene.change_and_sync(*client, 1, 20);
        pair.wait_for_standby();
        // From here the primary acknowledges what the standby never receives (it is down, as
        // an asynchronous standby lags behind a busy primary).
        pair.stop_standby();
        scene.change_and_sync(*client, 0, 20);
        scene.change_and_sync(*client, 1, 20);
        scene.sync(*client, 0);
        acknowledged_hash = scene.accounts.state_hash(primary);
        sync_all(*client, scene.accounts.device_tokens[0], *witness->replica, false);
        for (auto* n : {scene.a.get(), scene.b.get(), witness.get()})
            CHECK(must(n->replica->state_hash()) == acknowledged_hash);
    }
    pair.stop_primary();
    pair.start_standby();

    // No server runs on a standby that is still in recovery: it says why.
    auto refused = run_cli({"user", "list", "--db", pair.standby_url()});
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find("standby in recovery") != std::string::npos);

    pair.promote_standby();
    ServerProcess promoted(pair.standby_url(), {}, scene.dir.file("promoted.log"));
    // The promoted standby lacks what it never received, acknowledged as it was.
    CHECK(scene.accounts.state_hash(promoted) != acknowledged_hash);
    const core::Id128 promoted_generation = generation_of(pair.standby_url());
    CHECK_FALSE(promoted_generation.is_nil());
    CHECK(promoted_generation != scene.generation);

    // The devices see the new generation, push again what they authored and pull again:
    // everything acknowledged is back (deleted records as tombstones, see live_differences).
    auto client = promoted.client();
    scene.sync(*client, 0);
    scene.sync(*client, 1);
    scene.sync(*client, 0);
    const std::string hash = scene.accounts.state_hash(promoted);
    CHECK(must(scene.a->replica->state_hash()) == hash);
    CHECK(must(scene.b->replica->state_hash()) == hash);
    CHECK(live_differences(witness->replica->store(), scene.a->replica->store()) == "");

    // The generation was renewed once: a second server on the promoted database keeps it.
    ServerProcess second(pair.standby_url(), {}, scene.dir.file("second.log"));
    CHECK(generation_of(pair.standby_url()) == promoted_generation);
    scene.change_and_sync(*second.client(), 1, 5);
    scene.sync(*client, 0);
    CHECK(must(scene.a->replica->state_hash()) == must(scene.b->replica->state_hash()));
}

}  // namespace liaison::test::server_failover
