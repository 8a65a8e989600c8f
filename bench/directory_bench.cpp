// The central directory, natively (docs/WORKSPACE.md): a filtered, sorted page of 50 people and
// the count of all that match, over N people and M contacts, against the simplest correct SQL
// over the same rows in plain SQLite.
//
//  1. Liaison: N people (tier, country, owner for six in seven, a handle with an audience) and
//     M contacts written through the hub's operation path into a file-backed store; the
//     directory index (core/query/people_index.hpp) is built from it (timed), then each query
//     of the list below is answered by PeopleIndex::query (the page and the total).
//  2. reference: plain SQLite tables `person` and `contact(person, at)` holding the same rows,
//     indexed on every column a filter or sort reads and on contact(person, at); each query is
//     one SELECT of the page, last contact as a correlated max(), plus one SELECT count(*).
// Every query runs `--rounds` times; the figures are percentiles over all runs.
// Ends with: RESULT directory build_s=<x> p50_ms=<x> p95_ms=<x> vs_sql_p95=<liaison / reference>
// Options: --people N (100000), --contacts M (1000000), --rounds R (5).
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "core/query/people_index.hpp"
#include "core/storage/store.hpp"
#include "sync/hub.hpp"

namespace {

using liaison::bench::Clock;
using liaison::bench::die;
using liaison::bench::ms_since;
using liaison::bench::must;
using liaison::core::Id128;
using liaison::core::Kind;
using liaison::core::PeopleSort;
using liaison::sync::Op;
using liaison::sync::OpType;

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p / 100.0 * double(v.size())))];
}

const char* kTiers[] = {"top", "expert", "employee", "advocate", "prospect"};
constexpr int kOwners = 40;
constexpr std::int64_t kNow = 1'790'000'000'000;  // contacts over the year before
constexpr std::int64_t kDay = 86'400'000;

struct Query {
    const char* what;
    std::function<void(liaison::core::PeopleQuery&, const std::vector<Id128>& owners)> liaison;
    std::string where, order;  // the reference's WHERE and ORDER BY
};

}  // namespace

int main(int argc, char** argv) {
    liaison::bench::program() = "directory_bench";
    std::size_t people = 100000, contacts = 1000000, rounds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        long v = std::atol(argv[i + 1]);
        if (v <= 0) die("bad value for " + a);
        if (a == "--people")
            people = std::size_t(v);
        else if (a == "--contacts")
            contacts = std::size_t(v);
        else if (a == "--rounds")
            rounds = std::size_t(v);
        else
            die("unknown option " + a);
    }
    namespace fs = std::filesystem;
    fs::path dir =
        fs::temp_directory_path() / ("liaison-directory-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);

    std::uint64_t s = 11;
    auto next = [&s] {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        return s;
    };
    struct Person {
        std::string name, tier, country;
        int owner = -1;  // -1: none
        std::int64_t audience = 0;
    };
    std::vector<Person> ps(people);
    for (std::size_t i = 0; i < people; ++i) {
        Person& p = ps[i];
        p.name = "Person " + std::to_string(next() % 1000000) + " " + std::to_string(i);
        p.tier = kTiers[next() % 5];
        p.country = next() % 5 ? "FR" : "BE";
        p.owner = i % 7 == 3 ? -1 : int(next() % kOwners);
        p.audience = std::int64_t(next() % 500000);
    }
    std::vector<std::pair<std::size_t, std::int64_t>> cs(contacts);
    for (auto& c : cs) c = {std::size_t(next() % people), kNow - std::int64_t(next() % 365) * kDay};

    // 1. Liaison, through the hub's operation path.
    liaison::sync::ManualTimeSource time(1'700'000'000'000ULL);
    auto ids = liaison::core::make_seeded_id_source(11);
    liaison::core::StoreOptions so;
    so.wal = true;
    auto store = must(liaison::core::Store::open((dir / "liaison.db").string(), so), "open");
    liaison::sync::Hub hub(*store, time);
    liaison::sync::DeviceContext office;
    office.replica = ids->next_replica_id();
    office.role = liaison::sync::Role::kCentral;
    office.scope = liaison::sync::Scope::everything();
    std::vector<Id128> owner_ids, person_ids;
    auto t_load = Clock::now();
    {
        liaison::core::WriteTxn txn(*store);
        must(txn.begun(), "begin");
        auto apply = [&](Op op) {
            op.id = liaison::core::Stamp{hub.clock().send(), office.replica};
            auto r = hub.apply_one(office, std::move(op));
            if (r.outcome == liaison::sync::Outcome::kRejected) die("load rejected: " + r.detail);
        };
        auto create = [&](Kind kind, std::vector<liaison::sync::FieldWrite> fields) {
            Op op;
            op.type = OpType::kCreate;
            op.kind = kind;
            op.entity = ids->next_entity_id(time.now_ms());
            op.fields = std::move(fields);
            apply(op);
            time.advance(1);
            return op.entity;
        };
        for (int o = 0; o < kOwners; ++o)
            owner_ids.push_back(create(Kind::kStaff, {{"name", "Owner " + std::to_string(o)}}));
        for (const Person& p : ps) {
            std::vector<liaison::sync::FieldWrite> f = {
                {"name", p.name}, {"tier", p.tier}, {"country", p.country}};
            if (p.owner >= 0) f.push_back({"owner", owner_ids[std::size_t(p.owner)].to_text()});
            Id128 id = create(Kind::kInfluencer, std::move(f));
            person_ids.push_back(id);
            Op add;
            add.type = OpType::kAdd;
            add.kind = Kind::kInfluencer;
            add.entity = id;
            add.set = "handles";
            add.elem = "instagram:p" + id.to_text() + ":" + std::to_string(p.audience);
            apply(add);
        }
        for (const auto& [who, at] : cs)
            create(Kind::kInteraction, {{"influencer", person_ids[who].to_text()},
                                        {"at", at},
                                        {"touchpoint", std::string("store")},
                                        {"department", std::string("retail")}});
        must(txn.commit(), "commit");
    }
    std::printf("record: %zu people, %zu contacts written in %.1f s\n", people, contacts,
                ms_since(t_load) / 1000);

    liaison::core::PeopleIndex index;
    auto t_build = Clock::now();
    must(index.rebuild(*store), "index");
    const double build_s = ms_since(t_build) / 1000;
    std::printf("index: %zu people in %.2f s\n", index.size(), build_s);

    const std::string cutoff = std::to_string(kNow - 180 * kDay);
    const std::vector<Query> queries = {
        {"everyone by name", [](auto&, auto&) {}, "1", "name, id"},
        {"top tier by audience",
         [](auto& q, auto&) {
             q.filter.tiers = {0};
             q.sort = PeopleSort::kAudience;
             q.descending = true;
         },
         "tier = 'top'", "audience DESC, name, id"},
        {"top and expert with no owner",
         [](auto& q, auto&) {
             q.filter.tiers = {0, 1};
             q.filter.no_owner = true;
         },
         "tier IN ('top','expert') AND owner IS NULL", "name, id"},
        {"one owner's people, longest since last contact",
         [](auto& q, auto& owners) {
             q.filter.owner = owners[3];
             q.sort = PeopleSort::kLastContact;
         },
         "owner = 3", "last IS NULL, last, name, id"},
        {"Belgium, newest contact first",
         [](auto& q, auto&) {
             q.filter.countries = {"BE"};
             q.sort = PeopleSort::kLastContact;
             q.descending = true;
         },
         "country = 'BE'", "last IS NULL, last DESC, name, id"},
        {"not contacted for six months",
         [&](auto& q, auto&) { q.filter.contact_before = kNow - 180 * kDay; },
         "(last IS NULL OR last < " + cutoff + ")", "name, id"},
        {"audience over 400,000, by tier",
         [](auto& q, auto&) {
             q.filter.audience_min = 400000;
             q.sort = PeopleSort::kTier;
         },
         "audience >= 400000", "tier_rank, name, id"},
    };

    std::vector<double> liaison_ms;
    std::size_t liaison_rows = 0;
    for (std::size_t r = 0; r < rounds; ++r) {
        for (const auto& q : queries) {
            liaison::core::PeopleQuery pq;
            q.liaison(pq, owner_ids);
            pq.limit = 50;
            auto t0 = Clock::now();
            must(index.catch_up(*store), "catch up");
            const double caught = ms_since(t0);
            auto page = index.query(pq);
            liaison_ms.push_back(ms_since(t0));
            if (std::getenv("DIRECTORY_BENCH_DETAIL"))
                std::printf("  %-48s catch-up %.2f ms, query %.2f ms\n", q.what, caught,
                            liaison_ms.back() - caught);
            liaison_rows += page.people.size() + page.total;
        }
    }

    // 2. Reference: plain SQLite, the simplest correct SQL, indexed.
    liaison::bench::PlainDb plain((dir / "plain.db").string());
    plain.exec(
        "PRAGMA cache_size=-131072;"
        "CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT, tier TEXT, tier_rank INTEGER,"
        " country TEXT, owner INTEGER, audience INTEGER);"
        "CREATE TABLE contact(id INTEGER PRIMARY KEY, person INTEGER, at INTEGER);"
        "BEGIN");
    sqlite3_stmt* ins_p = plain.prepare(
        "INSERT INTO person(id,name,tier,tier_rank,country,owner,audience) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7)");
    for (std::size_t i = 0; i < people; ++i) {
        const Person& p = ps[i];
        sqlite3_bind_int64(ins_p, 1, std::int64_t(i));
        sqlite3_bind_text(ins_p, 2, p.name.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_p, 3, p.tier.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_p, 4,
                           std::find_if(std::begin(kTiers), std::end(kTiers), [&](const char* t) {
                               return p.tier == t;
                           }) - std::begin(kTiers));
        sqlite3_bind_text(ins_p, 5, p.country.c_str(), -1, SQLITE_STATIC);
        if (p.owner >= 0)
            sqlite3_bind_int64(ins_p, 6, p.owner);
        else
            sqlite3_bind_null(ins_p, 6);
        sqlite3_bind_int64(ins_p, 7, p.audience);
        plain.done(ins_p);
    }
    sqlite3_stmt* ins_c = plain.prepare("INSERT INTO contact(person,at) VALUES(?1,?2)");
    for (const auto& [who, at] : cs) {
        sqlite3_bind_int64(ins_c, 1, std::int64_t(who));
        sqlite3_bind_int64(ins_c, 2, at);
        plain.done(ins_c);
    }
    plain.exec(
        "CREATE INDEX contact_person ON contact(person, at);"
        "CREATE INDEX person_name ON person(name, id);"
        "CREATE INDEX person_tier ON person(tier);"
        "CREATE INDEX person_owner ON person(owner);"
        "CREATE INDEX person_country ON person(country);"
        "CREATE INDEX person_audience ON person(audience);"
        "COMMIT; ANALYZE");
    std::vector<double> plain_ms;
    std::size_t plain_rows = 0;
    const std::string last = "(SELECT max(at) FROM contact c WHERE c.person = p.id)";
    std::vector<std::pair<sqlite3_stmt*, sqlite3_stmt*>> stmts;
    for (const auto& q : queries) {
        std::string from = "FROM (SELECT p.*, " + last + " AS last FROM person p) ";
        const std::string page = "SELECT id, name, tier, owner, audience, last " + from + "WHERE " +
                                 q.where + " ORDER BY " + q.order + " LIMIT 50";
        const std::string count = "SELECT count(*) " + from + "WHERE " + q.where;
        stmts.push_back({plain.prepare(page.c_str()), plain.prepare(count.c_str())});
    }
    for (std::size_t r = 0; r < rounds; ++r) {
        for (auto& [page, count] : stmts) {
            auto t0 = Clock::now();
            while (sqlite3_step(page) == SQLITE_ROW) ++plain_rows;
            sqlite3_reset(page);
            while (sqlite3_step(count) == SQLITE_ROW)
                plain_rows += std::size_t(sqlite3_column_int64(count, 0));
            sqlite3_reset(count);
            plain_ms.push_back(ms_since(t0));
        }
    }
    for (auto& [page, count] : stmts) {
        sqlite3_finalize(page);
        sqlite3_finalize(count);
    }

    std::printf("liaison:   p50 %.2f ms, p95 %.2f ms (%zu queries, %zu rows and counts)\n",
                percentile(liaison_ms, 50), percentile(liaison_ms, 95), liaison_ms.size(),
                liaison_rows);
    std::printf("reference: p50 %.2f ms, p95 %.2f ms (plain SQLite, %zu rows and counts)\n",
                percentile(plain_ms, 50), percentile(plain_ms, 95), plain_rows);
    if (liaison_rows != plain_rows)
        std::printf("note: the two answered different counts (%zu vs %zu)\n", liaison_rows,
                    plain_rows);
    std::printf("RESULT directory build_s=%.2f p50_ms=%.2f p95_ms=%.2f vs_sql_p95=%.3f\n", build_s,
                percentile(liaison_ms, 50), percentile(liaison_ms, 95),
                percentile(liaison_ms, 95) / percentile(plain_ms, 95));
    store.reset();
    // DIRECTORY_BENCH_KEEP=1 leaves the files, to serve the record with liaison-server.
    if (std::getenv("DIRECTORY_BENCH_KEEP"))
        std::printf("kept: %s\n", (dir / "liaison.db").string().c_str());
    else
        fs::remove_all(dir);
    return 0;
}
