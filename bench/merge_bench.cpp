// ./scripts/bench merge — merge throughput of the server store against plain SQLite.
//
// Makes N operations (default 1,000,000) of a realistic mix — new influencers, field edits,
// set edits, interactions, check-ins — stamped by several devices, each with its signed-in
// staff member as the actor, then:
//  1. Liaison: validates and applies them to a fresh file-backed store through the merge
//     engine as the server's hub runs it (op log, LWW clocks, dots, search index, seq, and the
//     central record's history of values: --no-history leaves it out, as a device runs), in
//     one transaction like the reference, or committing every --batch operations as the
//     server does per push;
//  2. reference: plain SQLite writes the same rows a conventional, sync-less application would
//     (same tables' worth of data, same secondary and full-text indexes, same pragmas and the
//     same SQLite build) in one transaction.
// Runs --rounds rounds (default 3), each the reference then Liaison on fresh files, prints each
// round and ends with: RESULT merge ops_per_s=<n> vs_sqlite=<ratio>, Liaison's median rate and
// the median of the rounds' ratios (Liaison time / plain time).
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/storage/store.hpp"
#include "sync/codec.hpp"
#include "sync/merge.hpp"

namespace {

using liaison::core::Id128;
using liaison::core::Kind;
using liaison::core::Stamp;
using liaison::sync::FieldWrite;
using liaison::sync::Op;
using liaison::sync::OpType;
using Clock = std::chrono::steady_clock;

struct Workload {
    std::vector<Op> ops;
};

Workload make_workload(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto rand = [&](std::uint64_t m) { return rng() % m; };
    auto new_id = [&](std::uint64_t ms) {
        Id128 id;
        for (int i = 0; i < 6; ++i) id.bytes[std::size_t(i)] = std::uint8_t(ms >> (40 - 8 * i));
        for (int i = 6; i < 16; ++i) id.bytes[std::size_t(i)] = std::uint8_t(rng());
        return id;
    };
    std::vector<Id128> devices(20), regions(3), stores(10), events(5), staff(50), influencers;
    for (auto& d : devices) d = new_id(0);
    std::uint64_t ms = 1'700'000'000'000ULL;
    Workload w;
    w.ops.reserve(n);
    std::uint64_t hlc = ms << 16;
    auto push = [&](Op op) {
        const std::size_t d = rand(devices.size());
        op.id = Stamp{++hlc, devices[d]};
        op.actor = staff[d];  // the staff member signed in on that device, as replicas record
        w.ops.push_back(std::move(op));
    };
    for (auto* group : {&regions, &stores, &events, &staff})
        for (auto& id : *group) id = new_id(ms);
    for (std::size_t i = 0; i < regions.size(); ++i)
        push({{},
              OpType::kCreate,
              Kind::kRegion,
              regions[i],
              {{"name", "Region " + std::to_string(i)}}});
    for (std::size_t i = 0; i < stores.size(); ++i)
        push({{},
              OpType::kCreate,
              Kind::kStore,
              stores[i],
              {{"name", "Store " + std::to_string(i)}, {"region", regions[i % 3].to_text()}}});
    for (std::size_t i = 0; i < events.size(); ++i)
        push({{},
              OpType::kCreate,
              Kind::kEvent,
              events[i],
              {{"name", "Launch " + std::to_string(i)}, {"starts", std::int64_t(ms)}}});
    static const char* kFirst[] = {"Hélène", "Zoë", "Jean", "Ana", "Björn", "Chloé", "Li", "Omar"};
    static const char* kLast[] = {"Dupont", "Martin",  "Lefèvre", "Souza",
                                  "Olsen",  "Bernard", "Wei",     "Haddad"};
    static const char* kTiers[] = {"top", "expert", "employee", "advocate", "prospect"};
    static const char* kTouch[] = {"store", "event", "email", "social", "phone"};
    static const char* kDept[] = {"pr", "social", "marketing", "retail", "customer_service"};
    while (w.ops.size() < n) {
        ms += rand(3);
        std::uint64_t roll = rand(100);
        if (roll < 10 || influencers.size() < 100) {
            Id128 id = new_id(ms);
            influencers.push_back(id);
            std::size_t k = influencers.size();
            push({{},
                  OpType::kCreate,
                  Kind::kInfluencer,
                  id,
                  {{"name",
                    std::string(kFirst[rand(8)]) + " " + kLast[rand(8)] + " " + std::to_string(k)},
                   {"email", "person" + std::to_string(k) + "@example.com"},
                   {"phone", "+33 6 " + std::to_string(10000000 + k % 89999999)},
                   {"tier", std::string(kTiers[rand(5)])},
                   {"status", std::string("active")},
                   {"region", regions[rand(3)].to_text()},
                   {"store", stores[rand(10)].to_text()},
                   {"owner", staff[rand(50)].to_text()}}});
        } else if (roll < 30) {
            Op op{{}, OpType::kSet, Kind::kInfluencer, influencers[rand(influencers.size())], {}};
            switch (rand(3)) {
                case 0:
                    op.fields = {{"tier", std::string(kTiers[rand(5)])}};
                    break;
                case 1:
                    op.fields = {{"owner", staff[rand(50)].to_text()}};
                    break;
                default:
                    op.fields = {
                        {"notes", "Prefers e-mail; met at launch " + std::to_string(rand(100))}};
            }
            push(std::move(op));
        } else if (roll < 40) {
            Op op{{}, OpType::kAdd, Kind::kInfluencer, influencers[rand(influencers.size())], {}};
            op.set = "tags";
            op.elem = "tag" + std::to_string(rand(30));
            push(std::move(op));
        } else if (roll < 85) {
            push({{},
                  OpType::kCreate,
                  Kind::kInteraction,
                  new_id(ms),
                  {{"influencer", influencers[rand(influencers.size())].to_text()},
                   {"at", std::int64_t(ms)},
                   {"touchpoint", std::string(kTouch[rand(5)])},
                   {"department", std::string(kDept[rand(5)])},
                   {"store", stores[rand(10)].to_text()},
                   {"region", regions[rand(3)].to_text()},
                   {"staff", staff[rand(50)].to_text()},
                   {"summary",
                    std::string("Asked about the new collection; follow up next week")}}});
        } else {
            Id128 ev = events[rand(5)], who = influencers[rand(influencers.size())];
            push({{},
                  OpType::kCreate,
                  Kind::kCheckin,
                  Id128::derive("checkin", ev, who),
                  {{"event", ev.to_text()},
                   {"influencer", who.to_text()},
                   {"at", std::int64_t(ms)}}});
        }
    }
    return w;
}

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

void die(const std::string& msg) {
    std::fprintf(stderr, "merge_bench: %s\n", msg.c_str());
    std::exit(1);
}

double run_liaison(const Workload& w, const std::string& path, std::size_t batch, bool history) {
    liaison::core::StoreOptions so;
    so.wal = true;
    so.cache_mib = liaison::core::kCentralCacheMiB;  // as the server opens its store
    auto store = liaison::core::Store::open(path, so);
    if (!store) die(store.status().to_string());
    liaison::sync::MergeEngine merge(*store.value());
    if (history)
        if (auto s = merge.enable_history(); !s) die(s.to_string());
    auto t0 = Clock::now();
    const std::size_t kBatch = batch ? batch : w.ops.size();
    for (std::size_t i = 0; i < w.ops.size(); i += kBatch) {
        liaison::core::WriteTxn txn(*store.value());
        if (!txn.begun()) die(txn.begun().to_string());
        for (std::size_t j = i; j < std::min(i + kBatch, w.ops.size()); ++j) {
            if (j % 50000 == 0) std::fprintf(stderr, "\rliaison: %zu / %zu", j, w.ops.size());
            Op op = w.ops[j];
            if (auto s = liaison::sync::validate_op(op); !s)
                die("op " + std::to_string(j) + ": " + s.to_string());
            auto r = merge.apply(op);
            if (!r) die(r.status().to_string());
        }
        if (auto s = txn.commit(); !s) die(s.to_string());
        std::fprintf(stderr, "\rliaison: %zu / %zu", std::min(i + kBatch, w.ops.size()),
                     w.ops.size());
    }
    double t = seconds_since(t0);
    std::fprintf(stderr, "\rliaison: %zu / %zu\n", w.ops.size(), w.ops.size());
    return t;
}

// The plain application: same data, same indexes, no sync metadata, no op log.
double run_plain(const Workload& w, const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) die("plain: cannot open");
    auto exec = [&](const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK)
            die(std::string("plain: ") + (err ? err : "?"));
    };
    exec(("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON; PRAGMA "
          "cache_size=-" +
          std::to_string(liaison::core::kCentralCacheMiB * 1024) + ";")
             .c_str());
    exec(
        "CREATE TABLE region(id BLOB PRIMARY KEY, name TEXT) WITHOUT ROWID;"
        "CREATE TABLE store(id BLOB PRIMARY KEY, name TEXT, region BLOB) WITHOUT ROWID;"
        "CREATE TABLE event(id BLOB PRIMARY KEY, name TEXT, starts INTEGER) WITHOUT ROWID;"
        "CREATE TABLE influencer(rid INTEGER PRIMARY KEY, id BLOB UNIQUE, name TEXT, email TEXT, "
        "phone TEXT,"
        " tier TEXT, status TEXT, notes TEXT, region BLOB, store BLOB, owner BLOB);"
        "CREATE INDEX influencer_region ON influencer(region); CREATE INDEX influencer_store ON "
        "influencer(store);"
        "CREATE INDEX influencer_owner ON influencer(owner);"
        "CREATE VIRTUAL TABLE influencer_fts USING fts5(name, email, phone, handles, content='',"
        " contentless_delete=1, prefix='1 2', tokenize=\"unicode61 remove_diacritics 2\");"
        "CREATE TABLE tag(influencer BLOB, tag TEXT, PRIMARY KEY(influencer, tag)) WITHOUT ROWID;"
        "CREATE TABLE interaction(id BLOB PRIMARY KEY, influencer BLOB, at INTEGER, touchpoint "
        "TEXT,"
        " department TEXT, store BLOB, region BLOB, staff BLOB, summary TEXT) WITHOUT ROWID;"
        "CREATE INDEX interaction_influencer ON interaction(influencer, at);"
        "CREATE TABLE checkin(id BLOB PRIMARY KEY, event BLOB, influencer BLOB, at INTEGER) "
        "WITHOUT ROWID;"
        "CREATE INDEX checkin_event ON checkin(event); CREATE INDEX checkin_influencer ON "
        "checkin(influencer, at);");
    auto prep = [&](const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
            die(std::string("plain: ") + sqlite3_errmsg(db));
        return st;
    };
    sqlite3_stmt* ins_region = prep("INSERT INTO region VALUES(?1,?2)");
    sqlite3_stmt* ins_store = prep("INSERT INTO store VALUES(?1,?2,?3)");
    sqlite3_stmt* ins_event = prep("INSERT INTO event VALUES(?1,?2,?3)");
    sqlite3_stmt* ins_inf = prep(
        "INSERT INTO influencer(id,name,email,phone,tier,status,region,store,owner)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    sqlite3_stmt* ins_fts =
        prep("INSERT INTO influencer_fts(rowid,name,email,phone) VALUES(?1,?2,?3,?4)");
    sqlite3_stmt* upd_tier = prep("UPDATE influencer SET tier=?2 WHERE id=?1");
    sqlite3_stmt* upd_owner = prep("UPDATE influencer SET owner=?2 WHERE id=?1");
    sqlite3_stmt* upd_notes = prep("UPDATE influencer SET notes=?2 WHERE id=?1");
    sqlite3_stmt* ins_tag = prep("INSERT OR IGNORE INTO tag VALUES(?1,?2)");
    sqlite3_stmt* ins_int = prep("INSERT INTO interaction VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    sqlite3_stmt* ins_chk = prep("INSERT OR IGNORE INTO checkin VALUES(?1,?2,?3,?4)");

    auto field = [](const Op& op, const char* name) -> const liaison::core::Value* {
        for (const auto& f : op.fields)
            if (f.field == name) return &f.value;
        return nullptr;
    };
    auto bind = [&](sqlite3_stmt* st, int i, const liaison::core::Value* v, bool ref = false) {
        if (!v) return (void)sqlite3_bind_null(st, i);
        if (auto p = std::get_if<std::int64_t>(v)) return (void)sqlite3_bind_int64(st, i, *p);
        if (auto s = std::get_if<std::string>(v)) {
            if (ref) {
                auto id = Id128::from_text(*s);
                return (void)sqlite3_bind_blob(st, i, id->bytes.data(), 16, SQLITE_TRANSIENT);
            }
            return (void)sqlite3_bind_text(st, i, s->data(), int(s->size()), SQLITE_TRANSIENT);
        }
        sqlite3_bind_null(st, i);
    };
    auto run = [&](sqlite3_stmt* st) {
        if (sqlite3_step(st) != SQLITE_DONE) die(std::string("plain: ") + sqlite3_errmsg(db));
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    };
    auto t0 = Clock::now();
    exec("BEGIN");
    for (const auto& op : w.ops) {
        const void* id = op.entity.bytes.data();
        if (op.type == OpType::kCreate) {
            switch (op.kind) {
                case Kind::kRegion:
                    sqlite3_bind_blob(ins_region, 1, id, 16, SQLITE_STATIC);
                    bind(ins_region, 2, field(op, "name"));
                    run(ins_region);
                    break;
                case Kind::kStore:
                    sqlite3_bind_blob(ins_store, 1, id, 16, SQLITE_STATIC);
                    bind(ins_store, 2, field(op, "name"));
                    bind(ins_store, 3, field(op, "region"), true);
                    run(ins_store);
                    break;
                case Kind::kEvent:
                    sqlite3_bind_blob(ins_event, 1, id, 16, SQLITE_STATIC);
                    bind(ins_event, 2, field(op, "name"));
                    bind(ins_event, 3, field(op, "starts"));
                    run(ins_event);
                    break;
                case Kind::kInfluencer: {
                    sqlite3_bind_blob(ins_inf, 1, id, 16, SQLITE_STATIC);
                    const char* names[] = {"name", "email", "phone", "tier", "status"};
                    for (int i = 0; i < 5; ++i) bind(ins_inf, i + 2, field(op, names[i]));
                    bind(ins_inf, 7, field(op, "region"), true);
                    bind(ins_inf, 8, field(op, "store"), true);
                    bind(ins_inf, 9, field(op, "owner"), true);
                    run(ins_inf);
                    sqlite3_bind_int64(ins_fts, 1, sqlite3_last_insert_rowid(db));
                    bind(ins_fts, 2, field(op, "name"));
                    bind(ins_fts, 3, field(op, "email"));
                    bind(ins_fts, 4, field(op, "phone"));
                    run(ins_fts);
                    break;
                }
                case Kind::kInteraction: {
                    sqlite3_bind_blob(ins_int, 1, id, 16, SQLITE_STATIC);
                    bind(ins_int, 2, field(op, "influencer"), true);
                    bind(ins_int, 3, field(op, "at"));
                    bind(ins_int, 4, field(op, "touchpoint"));
                    bind(ins_int, 5, field(op, "department"));
                    bind(ins_int, 6, field(op, "store"), true);
                    bind(ins_int, 7, field(op, "region"), true);
                    bind(ins_int, 8, field(op, "staff"), true);
                    bind(ins_int, 9, field(op, "summary"));
                    run(ins_int);
                    break;
                }
                case Kind::kCheckin:
                    sqlite3_bind_blob(ins_chk, 1, id, 16, SQLITE_STATIC);
                    bind(ins_chk, 2, field(op, "event"), true);
                    bind(ins_chk, 3, field(op, "influencer"), true);
                    bind(ins_chk, 4, field(op, "at"));
                    run(ins_chk);
                    break;
                default:
                    die("plain: unexpected kind");
            }
        } else if (op.type == OpType::kSet) {
            const auto& f = op.fields[0];
            sqlite3_stmt* st = f.field == "tier"    ? upd_tier
                               : f.field == "owner" ? upd_owner
                                                    : upd_notes;
            sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
            bind(st, 2, &f.value, f.field == "owner");
            run(st);
        } else if (op.type == OpType::kAdd) {
            sqlite3_bind_blob(ins_tag, 1, id, 16, SQLITE_STATIC);
            sqlite3_bind_text(ins_tag, 2, op.elem.data(), int(op.elem.size()), SQLITE_STATIC);
            run(ins_tag);
        }
    }
    exec("COMMIT");
    double t = seconds_since(t0);
    for (auto* st : {ins_region, ins_store, ins_event, ins_inf, ins_fts, upd_tier, upd_owner,
                     upd_notes, ins_tag, ins_int, ins_chk})
        sqlite3_finalize(st);
    sqlite3_close(db);
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t n = 1'000'000;
    std::size_t batch = 0;  // 0: one transaction, as the reference
    int rounds = 3;
    bool history = true;  // as the server's hub (docs/STORAGE.md, "History of values")
    // The files go to a folder of this run's own, inside --dir (default: the temporary folder),
    // and only that folder is removed: `--dir /tmp` once removed everything in /tmp.
    std::filesystem::path parent = std::filesystem::temp_directory_path();
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--ops" && i + 1 < argc)
            n = std::stoul(argv[++i]);
        else if (a == "--dir" && i + 1 < argc)
            parent = argv[++i];
        else if (a == "--batch" && i + 1 < argc)
            batch = std::stoul(argv[++i]);
        else if (a == "--rounds" && i + 1 < argc)
            rounds = std::max(1, std::stoi(argv[++i]));
        else if (a == "--no-history")
            history = false;
        else {
            std::printf(
                "usage: merge_bench [--ops N (default 1000000)] [--batch N (ops per transaction;\n"
                "default: all in one, like the reference)] [--rounds N (default 3)] [--dir "
                "FOLDER (its files go to a new folder inside)]\n[--no-history (the merge as a "
                "device runs it: no history of values)]\n");
            return a == "--help" || a == "-h" ? 0 : 2;
        }
    }
    const std::string dir =
        (parent / ("liaison-bench-merge-" + std::to_string(::getpid()))).string();
    std::fprintf(stderr, "making %zu operations...\n", n);
    Workload w = make_workload(n, 20261123);
    auto size = [](const std::string& p) {
        std::error_code ec;
        auto s = std::filesystem::file_size(p, ec);
        return ec ? 0.0 : double(s) / 1e6;
    };
    // Rounds alternate the two sides, so a slow spell of the machine (another process, the
    // kernel writing back the previous round's file) falls on both; the figures are medians.
    std::vector<double> plain_s, ours_s, ratios;
    for (int r = 1; r <= rounds; ++r) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        double plain = run_plain(w, dir + "/plain.db");
        double ours = run_liaison(w, dir + "/liaison.db", batch, history);
        plain_s.push_back(plain);
        ours_s.push_back(ours);
        ratios.push_back(ours / plain);
        std::printf(
            "round %d/%d: plain SQLite %s: %zu ops in %.2f s (%.0f ops/s), file %.1f MB; "
            "Liaison merge (%s): %.2f s (%.0f ops/s), file %.1f MB; ratio %.2f\n",
            r, rounds, liaison::core::Database::library_version(), n, plain, double(n) / plain,
            size(dir + "/plain.db") + size(dir + "/plain.db-wal"),
            batch ? ("commit every " + std::to_string(batch)).c_str() : "one transaction", ours,
            double(n) / ours, size(dir + "/liaison.db") + size(dir + "/liaison.db-wal"),
            ours / plain);
        std::fflush(stdout);
    }
    std::filesystem::remove_all(dir);
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        const std::size_t m = v.size() / 2;
        return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
    };
    std::printf(
        "medians of %d rounds: plain SQLite %.2f s (%.0f ops/s), Liaison %.2f s (%.0f ops/s)\n",
        rounds, median(plain_s), double(n) / median(plain_s), median(ours_s),
        double(n) / median(ours_s));
    std::printf("RESULT merge ops_per_s=%.0f vs_sqlite=%.2f\n", double(n) / median(ours_s),
                median(ratios));
    return 0;
}
