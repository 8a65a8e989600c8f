// Search as you type, natively: the query the app runs for each keystroke over a record of N
// influencers, against plain SQLite FTS5 doing the same search over the same rows.
//
//  1. Liaison: N influencers (name, e-mail, a handle; the names of bench/web/lib.mjs) written
//     through the hub's operation path into a file-backed store; then each query of the list
//     below, as the web app sends it, is answered by search_influencers + entities_json
//     (the façade's `search`: ranked hits, then the rows the result list shows).
//  2. reference: a plain FTS5 table (same tokenizer, same columns, same SQLite build) holding
//     the same rows answers the same FTS5 query with bm25 ranking and the same limit.
// Every query runs `--rounds` times; the figures are percentiles over all runs.
// Ends with: RESULT search p50_ms=<x> p95_ms=<x> vs_fts5_p95=<liaison p95 / reference p95>
// (RESULT search_pg with --db). Options: --influencers N (100000), --rounds R (7), --db URL:
// Liaison's record in that empty PostgreSQL database instead of a SQLite file (`./scripts/bench
// search --postgres` starts a cluster for it; there search reads every influencer, docs/STORAGE.md
// "Two backends"); the reference stays plain FTS5.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "core/query/queries.hpp"
#include "core/query/view.hpp"
#include "core/storage/store.hpp"
#include "sync/hub.hpp"

namespace {

using liaison::bench::Clock;
using liaison::bench::die;
using liaison::bench::ms_since;
using liaison::bench::must;
using liaison::core::Id128;
using liaison::core::Kind;
using liaison::sync::Op;
using liaison::sync::OpType;

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p / 100.0 * double(v.size())))];
}

// The names of bench/web/lib.mjs, so the native and browser figures describe the same record.
const char* kFirst[] = {"Hélène",  "Marc", "Ana",    "Léa",   "Chloé", "Jean",  "Inès",
                        "Lucas",   "Zoé",  "Hugo",   "Emma",  "Noah",  "Sofia", "Yanis",
                        "Camille", "Théo", "Maëlle", "Louis", "Jade",  "Adam"};
const char* kLast[] = {"Dupont", "Martin",   "Bernard", "Petit",  "Durand",  "Leroy", "Moreau",
                       "Simon",  "Laurent",  "Lefèvre", "Michel", "García",  "Rossi", "Müller",
                       "Nguyen", "Fournier", "Girard",  "Bonnet", "Mercier", "Faure"};
// ASCII forms of the names above, for handles and e-mail addresses.
const char* kFirstAscii[] = {"helene",  "marc", "ana",    "lea",   "chloe", "jean",  "ines",
                             "lucas",   "zoe",  "hugo",   "emma",  "noah",  "sofia", "yanis",
                             "camille", "theo", "maelle", "louis", "jade",  "adam"};
const char* kLastAscii[] = {"dupont", "martin",   "bernard", "petit",  "durand",  "leroy", "moreau",
                            "simon",  "laurent",  "lefevre", "michel", "garcia",  "rossi", "muller",
                            "nguyen", "fournier", "girard",  "bonnet", "mercier", "faure"};

// What a person types, keystroke by keystroke, in the web benchmark.
const char* kQueries[] = {"h",      "he",     "hel",       "hélè",  "helene d", "ma",
                          "mar",    "martin", "zo",        "zoé m", "nguy",     "lé",
                          "lea",    "chlo",   "dupont 12", "in",    "inès",     "mü",
                          "muller", "ga",     "garcia r",  "ca",    "cam",      "camille f",
                          "théo",   "jade 4", "adam",      "5",     "123",      "yanis bon"};

struct Person {
    std::string name, email, handle;
};

}  // namespace

int main(int argc, char** argv) {
    liaison::bench::program() = "search_bench";
    std::size_t influencers = 100000, rounds = 7;
    std::string db_url;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--db") {
            db_url = argv[i + 1];
            if (!liaison::core::is_postgres_url(db_url)) die("--db takes a postgresql:// URL");
            continue;
        }
        long v = std::atol(argv[i + 1]);
        if (v <= 0) die("bad value for " + a);
        if (a == "--influencers")
            influencers = std::size_t(v);
        else if (a == "--rounds")
            rounds = std::size_t(v);
        else
            die("unknown option " + a);
    }
    namespace fs = std::filesystem;
    fs::path dir =
        fs::temp_directory_path() / ("liaison-search-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);

    std::vector<Person> people(influencers);
    std::uint64_t s = 7;
    auto next = [&s] {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        return s;
    };
    for (std::size_t i = 0; i < influencers; ++i) {
        std::size_t f = next() % 20, l = next() % 20;
        Person& p = people[i];
        p.name = std::string(kFirst[f]) + " " + kLast[l] + " " + std::to_string(i);
        std::string h = std::string(kFirstAscii[f]) + "." + kLastAscii[l] + "." + std::to_string(i);
        p.email = h + "@example.com";
        p.handle = "instagram:" + h + ":" + std::to_string(next() % 500000);
    }

    // 1. Liaison, through the hub's operation path.
    liaison::sync::ManualTimeSource time(1'700'000'000'000ULL);
    auto ids = liaison::core::make_seeded_id_source(7);
    liaison::core::StoreOptions so;
    so.wal = true;
    auto store = must(
        liaison::core::Store::open(db_url.empty() ? (dir / "liaison.db").string() : db_url, so),
        "open");
    if (store->last_seq() != 0) die("--db: the database is not empty");
    liaison::sync::Hub hub(*store, time);
    liaison::sync::DeviceContext office;
    office.replica = ids->next_replica_id();
    office.role = liaison::sync::Role::kCentral;
    office.scope = liaison::sync::Scope::everything();
    auto t_load = Clock::now();
    {
        liaison::core::WriteTxn txn(*store);
        must(txn.begun(), "begin");
        auto apply = [&](Op op) {
            op.id = liaison::core::Stamp{hub.clock().send(), office.replica};
            auto r = hub.apply_one(office, std::move(op));
            if (r.outcome == liaison::sync::Outcome::kRejected) die("load rejected: " + r.detail);
        };
        for (const Person& p : people) {
            Id128 id = ids->next_entity_id(time.now_ms());
            Op op;
            op.type = OpType::kCreate;
            op.kind = Kind::kInfluencer;
            op.entity = id;
            op.fields = {{"name", p.name}, {"email", p.email}, {"tier", std::string("prospect")}};
            apply(op);
            Op add;
            add.type = OpType::kAdd;
            add.kind = Kind::kInfluencer;
            add.entity = id;
            add.set = "handles";
            add.elem = p.handle;
            apply(add);
            time.advance(1);
        }
        must(txn.commit(), "commit");
    }
    std::printf("record: %zu influencers written in %.2f s\n", influencers,
                ms_since(t_load) / 1000);

    std::vector<double> liaison_ms;
    std::size_t liaison_hits = 0;
    for (std::size_t r = 0; r < rounds; ++r) {
        for (const char* q : kQueries) {
            auto t0 = Clock::now();
            auto hits = must(liaison::core::search_influencers(*store, q, 20), "search");
            std::vector<Id128> found;
            for (const auto& h : hits) found.push_back(store->root_of(h.id));
            auto json =
                must(liaison::core::entities_json(*store, Kind::kInfluencer, found), "entities");
            liaison_ms.push_back(ms_since(t0));
            liaison_hits += hits.size() + (json.empty() ? 1 : 0);
        }
    }

    // 2. Reference: plain FTS5 over the same rows, the same query text, bm25, the same limit.
    liaison::bench::PlainDb plain((dir / "plain.db").string());
    plain.exec(
        "PRAGMA cache_size=-65536;"
        "CREATE TABLE influencer(rid INTEGER PRIMARY KEY, name TEXT, email TEXT, handle TEXT);"
        "CREATE VIRTUAL TABLE influencer_fts USING fts5(name, email, phone, handles, content='',"
        " contentless_delete=1, tokenize='unicode61 remove_diacritics 2');"
        "BEGIN");
    sqlite3_stmt* ins_p =
        plain.prepare("INSERT INTO influencer(name,email,handle) VALUES(?1,?2,?3)");
    sqlite3_stmt* ins_f =
        plain.prepare("INSERT INTO influencer_fts(rowid,name,email,handles) VALUES(?1,?2,?3,?4)");
    for (const Person& p : people) {
        sqlite3_bind_text(ins_p, 1, p.name.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_p, 2, p.email.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_p, 3, p.handle.c_str(), -1, SQLITE_STATIC);
        plain.done(ins_p);
        sqlite3_bind_int64(ins_f, 1, sqlite3_last_insert_rowid(plain.get()));
        sqlite3_bind_text(ins_f, 2, p.name.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_f, 3, p.email.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_f, 4, p.handle.c_str(), -1, SQLITE_STATIC);
        plain.done(ins_f);
    }
    plain.exec("COMMIT");
    sqlite3_stmt* sel = plain.prepare(
        "SELECT k.rid, k.name, k.email, k.handle FROM influencer_fts JOIN influencer k"
        " ON k.rid = influencer_fts.rowid WHERE influencer_fts MATCH ?1"
        " ORDER BY bm25(influencer_fts) LIMIT 20");
    std::vector<double> plain_ms;
    std::size_t plain_hits = 0;
    for (std::size_t r = 0; r < rounds; ++r) {
        for (const char* q : kQueries) {
            auto t0 = Clock::now();
            std::string fts = liaison::core::fts_query(q);
            sqlite3_bind_text(sel, 1, fts.c_str(), -1, SQLITE_TRANSIENT);
            while (sqlite3_step(sel) == SQLITE_ROW) ++plain_hits;
            sqlite3_reset(sel);
            plain_ms.push_back(ms_since(t0));
        }
    }
    sqlite3_finalize(ins_p);
    sqlite3_finalize(ins_f);
    sqlite3_finalize(sel);
    fs::remove_all(dir);

    // The slowest queries, so a regression points at its cause.
    std::vector<std::pair<double, const char*>> by_query;
    const std::size_t nq = sizeof kQueries / sizeof *kQueries;
    for (std::size_t q = 0; q < nq; ++q) {
        double worst = 0;
        for (std::size_t r = 0; r < rounds; ++r) worst = std::max(worst, liaison_ms[r * nq + q]);
        by_query.emplace_back(worst, kQueries[q]);
    }
    std::sort(by_query.rbegin(), by_query.rend());
    std::printf("slowest queries:");
    for (std::size_t i = 0; i < 5; ++i)
        std::printf(" \"%s\" %.1f ms", by_query[i].second, by_query[i].first);
    std::printf("\n");
    std::printf("liaison: %zu searches, %zu hits, p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
                liaison_ms.size(), liaison_hits, percentile(liaison_ms, 50),
                percentile(liaison_ms, 95), percentile(liaison_ms, 100));
    std::printf("reference (plain FTS5, bm25): p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
                percentile(plain_ms, 50), percentile(plain_ms, 95), percentile(plain_ms, 100));
    std::printf("RESULT %s p50_ms=%.2f p95_ms=%.2f vs_fts5_p95=%.2f\n",
                db_url.empty() ? "search" : "search_pg", percentile(liaison_ms, 50),
                percentile(liaison_ms, 95), percentile(liaison_ms, 95) / percentile(plain_ms, 95));
    return 0;
}
