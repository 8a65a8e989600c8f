#include "support/harness.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

#include "core/util/text.hpp"
#include "support/pg_cluster.hpp"

namespace liaison::test {

using core::ElemType;
using core::FieldType;
using core::Id128;
using core::Kind;
using core::KindClass;
using sync::FieldWrite;
using sync::Op;
using sync::OpType;

namespace fs = std::filesystem;

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    path_ = (fs::temp_directory_path() /
             ("liaison-test-" + std::to_string(rd()) + "-" + std::to_string(counter++)))
                .string();
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string must(Result<std::string> r) {
    if (!r) throw std::runtime_error(r.status().to_string());
    return r.value();
}

std::vector<std::uint64_t> seeds(std::vector<std::uint64_t> defaults) {
    if (const char* s = std::getenv("LIAISON_SEED")) return {std::strtoull(s, nullptr, 10)};
    return defaults;
}

std::string diff_states(core::Store& a, core::Store& b, std::size_t max) {
    auto la = a.state_lines(), lb = b.state_lines();
    if (!la || !lb) return "cannot read states";
    // The lines come in hash order (by kind, then id), not sorted as set_difference needs.
    std::sort(la->begin(), la->end());
    std::sort(lb->begin(), lb->end());
    std::vector<std::string> only_a, only_b;
    std::set_difference(la->begin(), la->end(), lb->begin(), lb->end(), std::back_inserter(only_a));
    std::set_difference(lb->begin(), lb->end(), la->begin(), la->end(), std::back_inserter(only_b));
    std::string out;
    std::size_t n = 0;
    for (const auto& l : only_a)
        if (n++ < max) out += "- " + l + "\n";
    for (const auto& l : only_b)
        if (n++ < max) out += "+ " + l + "\n";
    return out;
}

#ifndef __EMSCRIPTEN__
namespace {

bool hubs_on_postgres() {
    const char* backend = std::getenv("LIAISON_TEST_BACKEND");
    return backend && std::string_view(backend) == "postgres";
}

// With hubs on PostgreSQL, the database standing for each hub file name, for the whole run: a
// test that reopens its hub's file reopens the same database.
std::map<std::string, std::string>& hub_databases() {
    static std::map<std::string, std::string> databases;
    return databases;
}

}  // namespace
#endif

std::string hub_database(const std::string& path) {
#ifndef __EMSCRIPTEN__
    if (hubs_on_postgres()) {
        auto [at, made] = hub_databases().try_emplace(path);
        if (made) at->second = PgCluster::shared().new_database();
        return at->second;
    }
#endif
    return path;
}

void copy_hub_store(const std::string& from, const std::string& to) {
#ifndef __EMSCRIPTEN__
    if (hubs_on_postgres()) {
        hub_databases()[to] = PgCluster::shared().copy_database(hub_database(from));
        return;
    }
#endif
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
}

std::unique_ptr<core::Store> open_hub_store(const std::string& path, core::StoreOptions options) {
    auto opened = core::Store::open(hub_database(path), options);
    if (!opened) FAIL("opening the hub's store " << path << ": " << opened.status().to_string());
    return std::move(opened.value());
}

std::unique_ptr<core::Store> open_server_store(const std::string& path,
                                               Status (*ensure)(core::Store&)) {
    auto store = open_hub_store(path);
    REQUIRE(ensure(*store).is_ok());
    return store;
}

core::Id128 add_person(sync::Replica& replica, const std::string& name,
                       std::vector<sync::FieldWrite> more,
                       const std::vector<std::string>& handles) {
    more.push_back({"name", name});
    auto id = replica.create(core::Kind::kInfluencer, std::move(more));
    REQUIRE(id.is_ok());
    for (auto& h : handles)
        REQUIRE(replica.add(core::Kind::kInfluencer, id.value(), "handles", h).is_ok());
    return id.value();
}

std::unique_ptr<Node> open_node(const std::string& path, sync::TimeSource& time,
                                std::uint64_t seed) {
    auto n = std::make_unique<Node>();
    n->path = path;
    n->ids = core::make_seeded_id_source(seed);
    reopen(*n, time);
    return n;
}

void reopen(Node& node, sync::TimeSource& time) {
    node.replica.reset();  // close first: the file is reopened as after a restart
    sync::ReplicaOptions o;
#ifndef __EMSCRIPTEN__
    o.wal = true;
#endif
    auto r = sync::Replica::open(node.path, time, *node.ids, o);
    if (!r) throw std::runtime_error("reopen " + node.path + ": " + r.status().to_string());
    node.replica = std::move(r).value();
}

namespace {

const char* kNames[] = {"Hélène Dupont", "Zoë Martin",    "Jean-Noël Lefèvre", "Ana Souza",
                        "Björn Olsen",   "Chloé Bernard", "Oğuz Kaya",         "Li Wei"};
const char* kWords[] = {"met", "store", "launch", "gift", "interested", "follow", "call", "loan"};

}  // namespace

Id128 OpMaker::pick(Kind k) {
    auto& v = known_[std::size_t(k)];
    if (v.empty() || chance(0.05)) {
        // An id nobody created (yet): refs may dangle in an offline-first world.
        Id128 id;
        for (auto& b : id.bytes) b = std::uint8_t(next(256));
        return id;
    }
    return v[next(v.size())];
}

core::Value OpMaker::random_value(const core::FieldDef& f) {
    auto n = next(1000);
    switch (f.type) {
        case FieldType::kText:
            if (f.name == "name")
                return std::string(kNames[next(8)]) + " " + std::to_string(n % 50);
            return std::string(kWords[next(8)]) + " " + std::to_string(n);
        case FieldType::kLongText: {
            // One draw per statement: the evaluation order of operands is unspecified, and g++
            // and clang differ, which would make a seed replay differently on each host.
            const char* first = kWords[next(8)];
            const char* second = kWords[next(8)];
            return std::string(first) + "\n" + second + " " + std::to_string(n);
        }
        // (std::string("u") +, not "u" +: g++ 12 warns falsely (-Wrestrict) on a literal
        // prepended to a temporary string.)
        case FieldType::kEmail:
            return std::string("u") + std::to_string(n) + "@example.com";
        case FieldType::kPhone:
            return "+33 6 12 34 " + std::to_string(10 + n % 90) + " " + std::to_string(10 + n % 89);
        case FieldType::kUrl:
            return "https://example.com/p/" + std::to_string(n);
        case FieldType::kCountry:
            return std::string(n % 2 ? "FR" : "US");
        case FieldType::kDate: {
            char b[16];
            std::snprintf(b, sizeof b, "2025-%02d-%02d", int(1 + n % 12), int(1 + n % 28));
            return std::string(b);
        }
        case FieldType::kTime:
            return std::int64_t(1'700'000'000'000LL + std::int64_t(next(10'000'000'000ULL)));
        case FieldType::kInt: {
            std::uint64_t span = std::uint64_t(std::min<std::int64_t>(f.max - f.min, 1'000'000));
            return std::int64_t(f.min + std::int64_t(next(span + 1)));
        }
        case FieldType::kBool:
            return std::int64_t(n % 2);
        case FieldType::kEnum:
            return f.choices[next(f.choices.size())];
        case FieldType::kRef:
            return pick(f.ref_kind).to_text();
        case FieldType::kCode:
            return "code" + std::to_string(n);
        case FieldType::kCurrency:
            return std::string(n % 2 ? "EUR" : "USD");
        case FieldType::kTargets:
            return "outputs.reach=" + std::to_string(n);
    }
    return core::Value{};
}

std::string OpMaker::random_elem(const core::SetDef& s) {
    auto n = next(6);
    switch (s.elem) {
        case ElemType::kTag:
            return "tag" + std::to_string(n);
        case ElemType::kEnum:
            return s.choices[next(s.choices.size())];
        case ElemType::kHandle:
            return "instagram:h" + std::to_string(n) + ":" + std::to_string(1000 * next(3));
        case ElemType::kRef:
            return pick(s.ref_kind).to_text();
        case ElemType::kLanguage:
            return n % 2 ? "fr" : "pt-BR";
        case ElemType::kCountry:
            return n % 2 ? "FR" : "GB";
        case ElemType::kDatedItem:
            return "2027-01-0" + std::to_string(1 + n % 9) + " item " + std::to_string(n % 3);
    }
    return "x";
}

std::optional<Op> OpMaker::random_change(sync::Replica& r, bool allow_erase_and_merge) {
    Op op;
    std::uint64_t roll = next(1000);
    auto pick_existing_kind = [&](auto pred) -> std::optional<Kind> {
        std::vector<Kind> ks;
        for (const auto& k : core::all_kinds())
            if (pred(k) && !known_[std::size_t(k.kind)].empty()) ks.push_back(k.kind);
        if (ks.empty()) return std::nullopt;
        return ks[next(ks.size())];
    };
    if (roll < 380) {  // create; favour the kinds made most in real life
        static const Kind kFavoured[] = {Kind::kInfluencer, Kind::kInteraction, Kind::kCheckin,
                                         Kind::kInteraction};
        Kind kind = chance(0.6) ? kFavoured[next(4)] : Kind(next(core::kKindCount));
        const auto& k = core::kind_def(kind);
        op.type = OpType::kCreate;
        op.kind = kind;
        for (const auto& f : k.fields)
            if (f.required || chance(0.5)) op.fields.push_back({f.name, random_value(f)});
        if ((kind == Kind::kCheckin || kind == Kind::kInvitation) && chance(0.5)) {
            // Known guest: deterministic id, so two devices checking them in (or inviting
            // them) converge on one entry.
            auto ev = pick(Kind::kEvent), who = pick(Kind::kInfluencer);
            for (auto& w : op.fields) {
                if (w.field == "event") w.value = ev.to_text();
                if (w.field == "influencer") w.value = who.to_text();
            }
            op.entity = Id128::derive(kind == Kind::kCheckin ? "checkin" : "invitation", ev, who);
        } else {
            std::uint64_t id_seed = rng_();
            std::uint64_t id_ms = 1'700'000'000'000ULL + next(1'000'000);
            op.entity = core::make_seeded_id_source(id_seed)->next_entity_id(id_ms);
        }
    } else if (roll < 700) {  // set fields
        auto kind = pick_existing_kind([](const core::KindDef&) { return true; });
        if (!kind) return std::nullopt;
        const auto& k = core::kind_def(*kind);
        op.type = OpType::kSet;
        op.kind = *kind;
        op.entity = known_[std::size_t(*kind)][next(known_[std::size_t(*kind)].size())];
        int n = 1 + int(next(3));
        for (int i = 0; i < n; ++i) {
            const auto& f = k.fields[next(k.fields.size())];
            if (f.subject) continue;
            bool dup = false;
            for (const auto& w : op.fields) dup = dup || w.field == f.name;
            if (dup) continue;
            op.fields.push_back(
                {f.name, (f.required || chance(0.85)) ? random_value(f) : core::Value{}});
        }
        if (op.fields.empty()) return std::nullopt;
    } else if (roll < 900) {  // set add / remove
        auto kind = pick_existing_kind([](const core::KindDef& k) { return !k.sets.empty(); });
        if (!kind) return std::nullopt;
        const auto& k = core::kind_def(*kind);
        op.kind = *kind;
        op.entity = known_[std::size_t(*kind)][next(known_[std::size_t(*kind)].size())];
        int si = int(next(k.sets.size()));
        op.set = k.sets[std::size_t(si)].name;
        if (roll < 820) {
            op.type = OpType::kAdd;
            op.elem = random_elem(k.sets[std::size_t(si)]);
        } else {
            auto dots = r.store().load_dots(k.mergeable ? r.store().root_of(op.entity) : op.entity);
            if (!dots) throw std::runtime_error(dots.status().to_string());
            std::vector<core::DotRow> live;
            for (const auto& d : dots.value())
                if (d.set == si && !d.removed) live.push_back(d);
            if (live.empty()) return std::nullopt;
            op.type = OpType::kRemove;
            op.elem = live[next(live.size())].elem;
            for (const auto& d : live)
                if (d.elem == op.elem) op.observed.push_back(d.dot);
        }
    } else if (roll < 970) {  // delete a log entry
        auto kind =
            pick_existing_kind([](const core::KindDef& k) { return k.cls == KindClass::kLog; });
        if (!kind) return std::nullopt;
        op.type = OpType::kDelete;
        op.kind = *kind;
        op.entity = known_[std::size_t(*kind)][next(known_[std::size_t(*kind)].size())];
    } else if (roll < 990 || !allow_erase_and_merge) {  // merge duplicates
        if (!allow_erase_and_merge) return std::nullopt;
        auto& inf = known_[std::size_t(Kind::kInfluencer)];
        if (inf.size() < 2) return std::nullopt;
        op.type = OpType::kMerge;
        op.kind = Kind::kInfluencer;
        op.entity = inf[next(inf.size())];
        op.target = inf[next(inf.size())];
        if (op.entity == op.target) return std::nullopt;
    } else {  // erase a person
        auto& inf = known_[std::size_t(Kind::kInfluencer)];
        if (inf.empty()) return std::nullopt;
        op.type = OpType::kErase;
        op.kind = Kind::kInfluencer;
        op.entity = inf[next(inf.size())];
    }
    auto made = r.submit(std::move(op));
    if (!made) {
        if (made.status().code() == Code::kErased) return std::nullopt;
        throw std::runtime_error("local change refused: " + made.status().to_string());
    }
    if (made->type == OpType::kCreate) known_[std::size_t(made->kind)].push_back(made->entity);
    return made.value();
}

std::vector<std::string> canary_forms(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
        out.push_back(v);
        out.push_back(core::ascii_lower(v));
        std::string word;
        for (char c : v + " ") {
            const auto u = static_cast<unsigned char>(c);
            if (std::isalnum(u) || u >= 0x80) {
                word += core::ascii_lower(c);
            } else {
                if (word.size() >= 6) out.push_back(word);
                word.clear();
            }
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string find_in_db_files(const std::string& db, const std::vector<std::string>& needles) {
    std::string found;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const std::string path = db + suffix;
        std::ifstream in(path, std::ios::binary);
        if (!in) continue;
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        for (const auto& n : needles)
            if (bytes.find(n) != std::string::npos) found += "\"" + n + "\" in " + path + "\n";
    }
    return found;
}

int sync_until_quiet(Node& node, sync::Hub& hub, const sync::DeviceContext& device,
                     const std::string& what, int max_rounds) {
    for (int round = 1; round <= max_rounds; ++round) {
        auto req = node.replica->make_push(500, 200);
        if (!req) FAIL(what << ": " << req.status().to_string());
        auto reply = hub.exchange(device, req.value());
        if (!reply) FAIL(what << ": " << reply.status().to_string());
        auto stats = node.replica->apply_reply(reply.value());
        if (!stats) FAIL(what << ": " << stats.status().to_string());
        if (!stats->has_more && node.replica->pending() == 0) return round;
    }
    FAIL(what << ": still syncing after " << max_rounds << " exchanges");
    return max_rounds;
}

std::string projection_hash(sync::Hub& hub, const sync::DeviceContext& device,
                            const std::string& path, sync::TimeSource& time) {
    auto fresh = open_node(path, time, 0xF4E5);
    sync::DeviceContext reader = device;
    reader.replica = {};
    sync_until_quiet(*fresh, hub, reader, "projection " + path);
    return must(fresh->replica->state_hash());
}

}  // namespace liaison::test
