// In-process replica harness: N replicas and a hub store, operations made at
// random over every kind of entity, delivered in seeded random orders with duplicates,
// losses and retries, databases closed and reopened mid-run; then state hashes compared.
// Every failure message carries the seed (and the replica) so it can be replayed.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sync/hub.hpp"
#include "sync/replica.hpp"

namespace liaison::test {

// A fresh folder for one test's files, removed at the end. Works natively and in MEMFS.
class TempDir {
public:
    TempDir();
    ~TempDir();
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Seeded generator of valid random operations over every kind (and some invalid ones are
// never produced: validation is tested separately).
class OpMaker {
public:
    explicit OpMaker(std::uint64_t seed) : rng_(seed) {}

    // Makes one random local change on `r`. Ids of entities made anywhere are shared through
    // this object, so a replica may edit an entity whose creation it has not received yet
    // (which exercises out-of-order delivery). Returns the op made, if any.
    std::optional<sync::Op> random_change(sync::Replica& r, bool allow_erase_and_merge = true);

    std::mt19937_64& rng() { return rng_; }
    std::uint64_t next(std::uint64_t n) { return n ? rng_() % n : 0; }
    // Integer arithmetic only: std::uniform_real_distribution differs between libstdc++ and
    // libc++, and a seed must replay the same run on the native and WebAssembly builds.
    bool chance(double p) { return double(rng_() % 1'000'000) < p * 1'000'000.0; }
    const std::vector<core::Id128>& known(core::Kind k) const { return known_[std::size_t(k)]; }

private:
    core::Value random_value(const core::FieldDef& f);
    std::string random_elem(const core::SetDef& s);
    core::Id128 pick(core::Kind k);
    std::mt19937_64 rng_;
    std::vector<core::Id128> known_[core::kKindCount];
};

// Replicas by number, reopenable (close and open the same file: crash-free restart).
struct Node {
    std::string path;
    std::unique_ptr<core::IdSource> ids;
    std::unique_ptr<sync::Replica> replica;
};

std::unique_ptr<Node> open_node(const std::string& path, sync::TimeSource& time,
                                std::uint64_t seed);
// Where a hub's store lives: `path`, or with LIAISON_TEST_BACKEND=postgres (native builds) a
// PostgreSQL database of its own, the same one each time for the same path (pg_cluster.hpp).
std::string hub_database(const std::string& path);
// Copies the hub store `from` whole over `to`, as a backup or a restore copies a closed file;
// neither may be open. On PostgreSQL `to` then stands for a new database copied from `from`'s.
void copy_hub_store(const std::string& from, const std::string& to);
// A store file for a hub (REQUIREs that it opens), where hub_database puts it. `options` are
// SQLite's (journal, cache); PostgreSQL has none of them.
std::unique_ptr<core::Store> open_hub_store(const std::string& path,
                                            core::StoreOptions options = {});
// The same with server tables laid out by `ensure` (e.g. core::ensure_accounts_schema).
std::unique_ptr<core::Store> open_server_store(const std::string& path,
                                               Status (*ensure)(core::Store&));
// A person created on `replica` named `name`, with more fields and handles (REQUIREd).
core::Id128 add_person(sync::Replica& replica, const std::string& name,
                       std::vector<sync::FieldWrite> more = {},
                       const std::vector<std::string>& handles = {});
void reopen(Node& node, sync::TimeSource& time);

std::string must(Result<std::string> r);

// The seeds a property test runs: `defaults`, or the one in LIAISON_SEED (to replay a failure).
std::vector<std::uint64_t> seeds(std::vector<std::uint64_t> defaults);

// The canonical facts one store holds and the other does not ("- " / "+ " lines), at most
// `max` of them: printed when replicas diverge, so a failure says what differs.
std::string diff_states(core::Store& a, core::Store& b, std::size_t max = 30);

// R7 on disk: the byte strings under which a personal value can sit in a store's files — the
// value itself, lowercased, and each of its words lowercased (the search index keeps tokens,
// not whole strings). Words shorter than 6 bytes are left out: they would match by chance.
std::vector<std::string> canary_forms(const std::vector<std::string>& values);
// Which of `needles` occur in the database file `db` or beside it (-wal, -shm, -journal), as
// "<needle> in <file>" lines; "" if none does.
std::string find_in_db_files(const std::string& db, const std::vector<std::string>& needles);

// Exchanges with the hub until the device has nothing to push and no page to pull (at most
// `max_rounds`). Returns the number of exchanges; FAILs (with `what`) on an error.
int sync_until_quiet(Node& node, sync::Hub& hub, const sync::DeviceContext& device,
                     const std::string& what, int max_rounds = 200);

// The state hash of "the hub's projection for a scope": what a fresh replica with that scope
// holds after pulling from cursor 0 (docs/SYNC.md invariant 9).
std::string projection_hash(sync::Hub& hub, const sync::DeviceContext& device,
                            const std::string& path, sync::TimeSource& time);

}  // namespace liaison::test
