// First sync of a device, natively: the time a fresh replica takes to receive a central
// record of N influencers and M interactions through the hub, page by page, with both
// encodings on the way (the same exchange the browser makes, without HTTP).
//
//  1. Liaison: the hub answers pulls from cursor 0 (changes since the cursor, snapshots,
//     binary encoding) and a fresh file-backed replica decodes and applies each page (one
//     transaction per page). Server and device time are measured apart.
//  2. reference: plain SQLite inserts the same influencer and interaction rows (same
//     indexes, same pragmas, same SQLite build) into a fresh file in one transaction.
// Ends with: RESULT sync first_sync_s=<s> server_s=<s> device_s=<s> vs_sqlite=<device/plain>
// Options: --influencers N (20000), --interactions M (200000), --page P (5000).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "bench/bench_support.hpp"
#include "core/storage/store.hpp"
#include "sync/codec.hpp"
#include "sync/hub.hpp"
#include "sync/replica.hpp"

namespace {

using liaison::bench::Clock;
using liaison::bench::die;
using liaison::bench::must;
using liaison::bench::seconds_since;
using liaison::core::Id128;
using liaison::core::Kind;
using liaison::sync::FieldWrite;
using liaison::sync::Op;
using liaison::sync::OpType;

struct Row {
    Id128 id, who;
    std::string name, email, phone, summary;
    std::int64_t at = 0;
};

const char* kTouchpoints[] = {"store", "event", "email", "social", "phone"};
const char* kDepartments[] = {"pr", "social", "marketing", "retail"};

}  // namespace

int main(int argc, char** argv) {
    liaison::bench::program() = "sync_bench";
    std::size_t influencers = 20000, interactions = 200000;
    std::uint32_t page = 5000;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        long v = std::atol(argv[i + 1]);
        if (v <= 0) die("bad value for " + a);
        if (a == "--influencers")
            influencers = std::size_t(v);
        else if (a == "--interactions")
            interactions = std::size_t(v);
        else if (a == "--page")
            page = std::uint32_t(v);
        else
            die("unknown option " + a);
    }
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("liaison-sync-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);

    liaison::sync::ManualTimeSource time(1'700'000'000'000ULL);
    auto ids = liaison::core::make_seeded_id_source(7);
    liaison::core::StoreOptions so;
    so.wal = true;
    auto central =
        must(liaison::core::Store::open((dir / "central.db").string(), so), "open central");
    liaison::sync::Hub hub(*central, time);
    liaison::sync::DeviceContext office;
    office.replica = ids->next_replica_id();
    office.role = liaison::sync::Role::kCentral;
    office.scope = liaison::sync::Scope::everything();

    // The central record, through the hub's own operation path.
    std::vector<Row> people(influencers), contacts(interactions);
    auto t_load = Clock::now();
    {
        liaison::core::WriteTxn txn(*central);
        must(txn.begun(), "begin");
        auto apply = [&](Op op) {
            op.id = liaison::core::Stamp{hub.clock().send(), office.replica};
            auto r = hub.apply_one(office, std::move(op));
            if (r.outcome == liaison::sync::Outcome::kRejected) die("load rejected: " + r.detail);
        };
        for (std::size_t i = 0; i < influencers; ++i) {
            Row& p = people[i];
            p.id = ids->next_entity_id(time.now_ms());
            p.name = "Person " + std::to_string(i) + " Dupont";
            p.email = "person" + std::to_string(i) + "@example.com";
            p.phone = "+33 6 " + std::to_string(10000000 + i);
            Op op;
            op.type = OpType::kCreate;
            op.kind = Kind::kInfluencer;
            op.entity = p.id;
            op.fields = {{"name", p.name},
                         {"email", p.email},
                         {"phone", p.phone},
                         {"tier", std::string("prospect")}};
            apply(op);
            Op add;
            add.type = OpType::kAdd;
            add.kind = Kind::kInfluencer;
            add.entity = p.id;
            add.set = "handles";
            add.elem =
                "instagram:person" + std::to_string(i) + ":" + std::to_string(i * 7 % 100000);
            apply(add);
        }
        for (std::size_t i = 0; i < interactions; ++i) {
            Row& c = contacts[i];
            c.id = ids->next_entity_id(time.now_ms());
            c.who = people[i % influencers].id;
            c.at = std::int64_t(1'690'000'000'000LL + std::int64_t(i) * 1000);
            c.summary = "Talked about the new collection (" + std::to_string(i) + ")";
            Op op;
            op.type = OpType::kCreate;
            op.kind = Kind::kInteraction;
            op.entity = c.id;
            op.fields = {{"influencer", c.who.to_text()},
                         {"at", c.at},
                         {"touchpoint", std::string(kTouchpoints[i % 5])},
                         {"department", std::string(kDepartments[i % 4])},
                         {"summary", c.summary}};
            apply(op);
            time.advance(1);
        }
        must(txn.commit(), "commit");
    }
    std::printf("central record: %zu influencers, %zu interactions, loaded in %.2f s\n",
                influencers, interactions, seconds_since(t_load));

    // 1. First sync of a fresh device.
    auto device =
        must(liaison::sync::Replica::open((dir / "device.db").string(), time, *ids), "open device");
    liaison::sync::DeviceContext tablet;
    tablet.replica = device->id();
    tablet.role = liaison::sync::Role::kCentral;
    tablet.scope = liaison::sync::Scope::everything();
    double server_s = 0, device_s = 0;
    std::size_t pages = 0, received = 0, bytes = 0;
    for (;;) {
        auto t0 = Clock::now();
        auto push = must(device->make_push(500, page), "make_push");
        std::string request = liaison::sync::encode_request(push);
        device_s += seconds_since(t0);

        t0 = Clock::now();
        auto decoded = must(liaison::sync::decode_request(request), "decode request");
        auto reply = must(hub.exchange(tablet, decoded), "exchange");
        std::string wire = liaison::sync::encode_reply(reply);
        server_s += seconds_since(t0);

        t0 = Clock::now();
        auto got = must(liaison::sync::decode_reply(wire), "decode reply");
        auto stats = must(device->apply_reply(got), "apply_reply");
        device_s += seconds_since(t0);
        ++pages;
        received += stats.changes;
        bytes += wire.size();
        if (!stats.has_more) break;
    }
    if (must(device->state_hash(), "hash") != must(central->state_hash(), "hash"))
        die("the device does not hold the central record after its first sync");
    std::printf(
        "first sync: %zu pages of up to %u, %zu entities, %.1f MB on the wire; "
        "server %.2f s, device %.2f s (%.0f entities/s)\n",
        pages, page, received, double(bytes) / 1e6, server_s, device_s,
        double(received) / device_s);

    // 2. Reference: plain SQLite, the same rows, one transaction.
    liaison::bench::PlainDb plain((dir / "plain.db").string());
    auto exec = [&](const char* sql) { plain.exec(sql); };
    auto t_plain = Clock::now();
    exec(
        "PRAGMA secure_delete=ON; PRAGMA cache_size=-65536;"
        "CREATE TABLE influencer(rid INTEGER PRIMARY KEY, id BLOB UNIQUE, name TEXT, email TEXT,"
        " phone TEXT, tier TEXT);"
        "CREATE VIRTUAL TABLE influencer_fts USING fts5(name, email, phone, handles, content='',"
        " contentless_delete=1, tokenize='unicode61 remove_diacritics 2');"
        "CREATE TABLE handle(influencer BLOB, handle TEXT, PRIMARY KEY(influencer, handle)) "
        "WITHOUT ROWID;"
        "CREATE TABLE interaction(id BLOB PRIMARY KEY, influencer BLOB, at INTEGER, touchpoint "
        "TEXT,"
        " department TEXT, summary TEXT) WITHOUT ROWID;"
        "CREATE INDEX interaction_influencer ON interaction(influencer, at);"
        "BEGIN");
    auto prep = [&](const char* sql) { return plain.prepare(sql); };
    sqlite3_stmt* ins_p =
        prep("INSERT INTO influencer(id,name,email,phone,tier) VALUES(?1,?2,?3,?4,'prospect')");
    sqlite3_stmt* ins_f =
        prep("INSERT INTO influencer_fts(rowid,name,email,phone,handles) VALUES(?1,?2,?3,?4,?5)");
    sqlite3_stmt* ins_h = prep("INSERT INTO handle VALUES(?1,?2)");
    sqlite3_stmt* ins_i = prep("INSERT INTO interaction VALUES(?1,?2,?3,?4,?5,?6)");
    auto done = [&](sqlite3_stmt* st) { plain.done(st); };
    for (std::size_t i = 0; i < influencers; ++i) {
        const Row& p = people[i];
        std::string handle = "instagram:person" + std::to_string(i);
        sqlite3_bind_blob(ins_p, 1, p.id.bytes.data(), 16, SQLITE_STATIC);
        sqlite3_bind_text(ins_p, 2, p.name.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_p, 3, p.email.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_p, 4, p.phone.c_str(), -1, SQLITE_STATIC);
        done(ins_p);
        sqlite3_int64 rid = sqlite3_last_insert_rowid(plain.get());
        sqlite3_bind_int64(ins_f, 1, rid);
        sqlite3_bind_text(ins_f, 2, p.name.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_f, 3, p.email.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_f, 4, p.phone.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_f, 5, handle.c_str(), -1, SQLITE_STATIC);
        done(ins_f);
        sqlite3_bind_blob(ins_h, 1, p.id.bytes.data(), 16, SQLITE_STATIC);
        sqlite3_bind_text(ins_h, 2, handle.c_str(), -1, SQLITE_STATIC);
        done(ins_h);
    }
    for (std::size_t i = 0; i < interactions; ++i) {
        const Row& c = contacts[i];
        sqlite3_bind_blob(ins_i, 1, c.id.bytes.data(), 16, SQLITE_STATIC);
        sqlite3_bind_blob(ins_i, 2, c.who.bytes.data(), 16, SQLITE_STATIC);
        sqlite3_bind_int64(ins_i, 3, c.at);
        sqlite3_bind_text(ins_i, 4, kTouchpoints[i % 5], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_i, 5, kDepartments[i % 4], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_i, 6, c.summary.c_str(), -1, SQLITE_STATIC);
        done(ins_i);
    }
    exec("COMMIT");
    double plain_s = seconds_since(t_plain);
    for (auto* st : {ins_p, ins_f, ins_h, ins_i}) sqlite3_finalize(st);
    std::printf("reference: plain SQLite inserts the same rows in %.2f s\n", plain_s);

    fs::remove_all(dir);
    std::printf("RESULT sync first_sync_s=%.2f server_s=%.2f device_s=%.2f vs_sqlite=%.2f\n",
                server_s + device_s, server_s, device_s, device_s / plain_s);
    return 0;
}
