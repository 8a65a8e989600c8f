// One behaviour per merge rule of sync/merge.hpp (R1-R11), winners asserted by value, not
// only by agreement between replicas (a symmetric test hid an inverted comparison in a
// well-known CRDT library: docs/SYNC.md invariant 7).
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "core/query/queries.hpp"
#include "support/harness.hpp"
#include "sync/codec.hpp"

namespace liaison::test::sync_merge {
namespace {

using core::Id128;
using core::Kind;
using core::Stamp;
using sync::FieldWrite;
using sync::Op;
using sync::OpType;
using sync::Outcome;

Id128 replica_id(std::uint8_t last) {
    Id128 id;
    id.bytes[15] = last;
    return id;
}

Id128 entity_id(std::uint8_t n) {
    Id128 id;
    id.bytes[0] = 1;
    id.bytes[15] = n;
    return id;
}

Op make_op(OpType type, Kind kind, Id128 entity, Stamp stamp, std::vector<FieldWrite> fields = {}) {
    Op op;
    op.type = type;
    op.kind = kind;
    op.entity = entity;
    op.id = stamp;
    op.fields = std::move(fields);
    return op;
}

std::string field_text(sync::Replica& r, Kind kind, const Id128& id, const char* field) {
    auto row = core::get_entity(r.store(), kind, id);
    REQUIRE(row.is_ok());
    if (!row.value()) return "<absent>";
    const auto& v = (*row.value()).values[std::size_t(core::kind_def(kind).field_index(field))];
    if (auto s = std::get_if<std::string>(&v)) return *s;
    if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    return "<null>";
}

std::vector<std::string> live_elems(sync::Replica& r, const Id128& id, const char* set) {
    int si = core::kind_def(Kind::kInfluencer).set_index(set);
    auto dots = r.store().load_dots(r.store().root_of(id));
    REQUIRE(dots.is_ok());
    std::vector<std::string> out;
    for (const auto& d : dots.value())
        if (d.set == si && !d.removed && (out.empty() || out.back() != d.elem))
            out.push_back(d.elem);
    return out;
}

struct Pair {
    TempDir dir;
    sync::ManualTimeSource time_a{1'700'000'000'000ULL}, time_b{1'700'000'000'000ULL};
    std::unique_ptr<Node> a = open_node(dir.file("a.db"), time_a, 1);
    std::unique_ptr<Node> b = open_node(dir.file("b.db"), time_b, 2);
    std::vector<Op> from_a, from_b;

    // Everything each replica made, delivered to the other.
    void exchange() {
        collect(*a, from_a);
        collect(*b, from_b);
        REQUIRE(b->replica->receive_all(from_a).is_ok());
        REQUIRE(a->replica->receive_all(from_b).is_ok());
        from_a.clear();
        from_b.clear();
    }
    static void collect(Node& n, std::vector<Op>& out) {
        auto push = n.replica->make_push(2000);
        REQUIRE(push.is_ok());
        out = push->ops;
        // Mark them delivered: an empty reply acknowledging them.
        sync::PushReply reply;
        for (const auto& op : out)
            reply.results.push_back({op.id, Outcome::kApplied, Code::kOk, ""});
        reply.next_cursor = n.replica->cursor();
        REQUIRE(n.replica->apply_reply(reply).is_ok());
    }
    void converged() { CHECK(must(a->replica->state_hash()) == must(b->replica->state_hash())); }
};

// Two empty replicas that receive hand-made operations (R-tests deliver them in chosen orders).
struct Fresh {
    TempDir dir;
    sync::ManualTimeSource time;
    std::unique_ptr<Node> n1 = open_node(dir.file("1.db"), time, 98);
    std::unique_ptr<Node> n2 = open_node(dir.file("2.db"), time, 99);
    sync::Replica& r1 = *n1->replica;
    sync::Replica& r2 = *n2->replica;
};

const std::vector<FieldWrite> kHelene = {{"name", std::string("Hélène Dupont")}};

}  // namespace

TEST_CASE("R1: receiving an operation twice changes nothing and is reported as a duplicate",
          "[sync][merge][idempotence]") {
    Fresh one;
    auto& r = one.r1;
    Op op = make_op(OpType::kCreate, Kind::kInfluencer, entity_id(1), {100 << 16, replica_id(7)},
                    kHelene);
    auto first = r.receive(op);
    REQUIRE(first.is_ok());
    CHECK(first->outcome == Outcome::kApplied);
    auto hash = must(r.state_hash());
    auto second = r.receive(op);
    REQUIRE(second.is_ok());
    CHECK(second->outcome == Outcome::kDuplicate);
    CHECK(must(r.state_hash()) == hash);
}

TEST_CASE("R2: the later stamp wins a field whatever the arrival order", "[sync][merge][lww]") {
    Op create = make_op(OpType::kCreate, Kind::kInfluencer, entity_id(1),
                        {100 << 16, replica_id(1)}, kHelene);
    Op early = make_op(OpType::kSet, Kind::kInfluencer, entity_id(1), {200 << 16, replica_id(2)},
                       {{"tier", std::string("expert")}});
    Op late = make_op(OpType::kSet, Kind::kInfluencer, entity_id(1), {300 << 16, replica_id(1)},
                      {{"tier", std::string("top")}});
    Fresh two;
    auto& r1 = two.r1;
    auto& r2 = two.r2;
    REQUIRE(r1.receive_all({create, early, late}).is_ok());
    REQUIRE(r2.receive_all({late, early, create}).is_ok());
    CHECK(field_text(r1, Kind::kInfluencer, entity_id(1), "tier") == "top");
    CHECK(field_text(r2, Kind::kInfluencer, entity_id(1), "tier") == "top");
    CHECK(must(r1.state_hash()) == must(r2.state_hash()));
}

TEST_CASE("R2: on equal HLC the greater replica id wins, in both arrival orders",
          "[sync][merge][lww][tiebreak]") {
    Op create = make_op(OpType::kCreate, Kind::kInfluencer, entity_id(1),
                        {100 << 16, replica_id(1)}, kHelene);
    Op low = make_op(OpType::kSet, Kind::kInfluencer, entity_id(1), {500 << 16, replica_id(0x10)},
                     {{"notes", std::string("from the low replica")}});
    Op high = make_op(OpType::kSet, Kind::kInfluencer, entity_id(1), {500 << 16, replica_id(0x20)},
                      {{"notes", std::string("from the high replica")}});
    for (int order = 0; order < 2; ++order) {
        Fresh one;
        auto& r = one.r1;
        std::vector<Op> ops =
            order ? std::vector<Op>{create, low, high} : std::vector<Op>{create, high, low};
        REQUIRE(r.receive_all(ops).is_ok());
        INFO("order " << order);
        CHECK(field_text(r, Kind::kInfluencer, entity_id(1), "notes") == "from the high replica");
    }
}

TEST_CASE("R2: joining snapshots, on equal HLC the greater replica id wins, in both directions",
          "[sync][merge][lww][tiebreak][snapshot]") {
    // The same tie as above, reached through snapshots (what a device pulls) rather than
    // operations: the join compares the field clocks it is given.
    Op create = make_op(OpType::kCreate, Kind::kInfluencer, entity_id(1),
                        {100 << 16, replica_id(1)}, kHelene);
    Op low = make_op(OpType::kSet, Kind::kInfluencer, entity_id(1), {500 << 16, replica_id(0x10)},
                     {{"notes", std::string("from the low replica")}});
    Op high = make_op(OpType::kSet, Kind::kInfluencer, entity_id(1), {500 << 16, replica_id(0x20)},
                      {{"notes", std::string("from the high replica")}});
    for (int direction = 0; direction < 2; ++direction) {
        Fresh f;
        REQUIRE(f.r1.receive_all({create, direction ? low : high}).is_ok());
        REQUIRE(f.r2.receive_all({create, direction ? high : low}).is_ok());
        auto snap = f.r2.store().snapshot(Kind::kInfluencer, entity_id(1));
        REQUIRE(snap.is_ok());
        REQUIRE(snap.value());
        {
            core::WriteTxn txn(f.r1.store());
            REQUIRE(txn.begun().is_ok());
            sync::MergeEngine engine(f.r1.store());
            REQUIRE(engine.apply_snapshot(*snap.value()).is_ok());
            REQUIRE(txn.commit().is_ok());
        }
        INFO("direction " << direction);
        CHECK(field_text(f.r1, Kind::kInfluencer, entity_id(1), "notes") ==
              "from the high replica");
    }
}

TEST_CASE("R2: a greater HLC wins against a greater replica id", "[sync][merge][lww][tiebreak]") {
    Op create = make_op(OpType::kCreate, Kind::kInfluencer, entity_id(1),
                        {100 << 16, replica_id(1)}, kHelene);
    Op later_low = make_op(OpType::kSet, Kind::kInfluencer, entity_id(1),
                           {(500 << 16) + 1, replica_id(0x10)}, {{"notes", std::string("later")}});
    Op earlier_high = make_op(OpType::kSet, Kind::kInfluencer, entity_id(1),
                              {500 << 16, replica_id(0xF0)}, {{"notes", std::string("earlier")}});
    Fresh one;
    auto& r = one.r1;
    REQUIRE(r.receive_all({create, later_low, earlier_high}).is_ok());
    CHECK(field_text(r, Kind::kInfluencer, entity_id(1), "notes") == "later");
}

TEST_CASE("R2: an edit made after seeing a value wins even from a device whose clock is behind",
          "[sync][merge][hlc]") {
    Pair p;
    p.time_b.set(1'600'000'000'000ULL);  // b's wall clock is three years behind
    auto id = p.a->replica->create(Kind::kInfluencer, kHelene);
    REQUIRE(id.is_ok());
    REQUIRE(p.a->replica->set(Kind::kInfluencer, id.value(), {{"tier", std::string("expert")}})
                .is_ok());
    p.exchange();
    REQUIRE(
        p.b->replica->set(Kind::kInfluencer, id.value(), {{"tier", std::string("top")}}).is_ok());
    p.exchange();
    CHECK(field_text(*p.a->replica, Kind::kInfluencer, id.value(), "tier") == "top");
    p.converged();
}

TEST_CASE("R3: two devices checking in the same guest converge to one check-in",
          "[sync][merge][log]") {
    Pair p;
    Id128 event = entity_id(50), guest = entity_id(51);
    Id128 checkin = Id128::derive("checkin", event, guest);
    auto fields = [&](const char* note, std::int64_t at) {
        return std::vector<FieldWrite>{{"event", event.to_text()},
                                       {"influencer", guest.to_text()},
                                       {"at", at},
                                       {"note", std::string(note)}};
    };
    REQUIRE(
        p.a->replica->create(Kind::kCheckin, fields("door A", 1'700'000'000'100), checkin).is_ok());
    p.time_b.advance(10);
    REQUIRE(
        p.b->replica->create(Kind::kCheckin, fields("door B", 1'700'000'000'200), checkin).is_ok());
    p.exchange();
    p.converged();
    // One entry, whose fields are those of the later create (R2), under the same id.
    CHECK(field_text(*p.a->replica, Kind::kCheckin, checkin, "note") == "door B");
    auto n = p.a->replica->store().db().query_int("SELECT count(*) FROM k_checkin");
    CHECK(n.value_or(-1) == 1);
}

TEST_CASE("R4: a concurrent add survives a remove, and an observed add is removed",
          "[sync][merge][set]") {
    Pair p;
    auto id = p.a->replica->create(Kind::kInfluencer, kHelene);
    REQUIRE(id.is_ok());
    REQUIRE(p.a->replica->add(Kind::kInfluencer, id.value(), "tags", "vip").is_ok());
    REQUIRE(p.a->replica->add(Kind::kInfluencer, id.value(), "tags", "beauty").is_ok());
    p.exchange();
    // b removes both tags it has seen; meanwhile a adds "vip" again (a new dot).
    REQUIRE(p.b->replica->remove(Kind::kInfluencer, id.value(), "tags", "vip").is_ok());
    REQUIRE(p.b->replica->remove(Kind::kInfluencer, id.value(), "tags", "beauty").is_ok());
    REQUIRE(p.a->replica->add(Kind::kInfluencer, id.value(), "tags", "vip").is_ok());
    p.exchange();
    p.converged();
    CHECK(live_elems(*p.a->replica, id.value(), "tags") == std::vector<std::string>{"vip"});
    CHECK(live_elems(*p.b->replica, id.value(), "tags") == std::vector<std::string>{"vip"});
}

TEST_CASE("R4: a remove that arrives before its add still removes it", "[sync][merge][set]") {
    Op create = make_op(OpType::kCreate, Kind::kInfluencer, entity_id(1),
                        {100 << 16, replica_id(1)}, kHelene);
    Op add = make_op(OpType::kAdd, Kind::kInfluencer, entity_id(1), {200 << 16, replica_id(1)});
    add.set = "tags";
    add.elem = "vip";
    Op rm = make_op(OpType::kRemove, Kind::kInfluencer, entity_id(1), {300 << 16, replica_id(2)});
    rm.set = "tags";
    rm.elem = "vip";
    rm.observed = {add.id};
    Fresh two;
    auto& r1 = two.r1;
    auto& r2 = two.r2;
    REQUIRE(r1.receive_all({create, add, rm}).is_ok());
    REQUIRE(r2.receive_all({rm, add, create}).is_ok());
    CHECK(live_elems(r1, entity_id(1), "tags").empty());
    CHECK(live_elems(r2, entity_id(1), "tags").empty());
    CHECK(must(r1.state_hash()) == must(r2.state_hash()));
}

TEST_CASE("R5: a deleted interaction stays deleted when a later edit arrives",
          "[sync][merge][log]") {
    Pair p;
    auto who = p.a->replica->create(Kind::kInfluencer, kHelene);
    REQUIRE(who.is_ok());
    auto it = p.a->replica->create(Kind::kInteraction,
                                   {{"influencer", who->to_text()},
                                    {"at", std::int64_t(1'700'000'000'000)},
                                    {"touchpoint", std::string("store")},
                                    {"department", std::string("retail")},
                                    {"summary", std::string("asked about the launch")}});
    REQUIRE(it.is_ok());
    p.exchange();
    REQUIRE(p.a->replica->remove_entry(Kind::kInteraction, it.value()).is_ok());
    p.time_b.advance(60'000);  // b's edit carries the later stamp
    REQUIRE(p.b->replica
                ->set(Kind::kInteraction, it.value(), {{"summary", std::string("edited later")}})
                .is_ok());
    p.exchange();
    p.converged();
    CHECK(field_text(*p.a->replica, Kind::kInteraction, it.value(), "summary") == "<absent>");
    auto row = p.b->replica->store().load_row(Kind::kInteraction, it.value());
    REQUIRE(row.is_ok());
    REQUIRE(row.value());
    CHECK(row.value()->deleted);
    CHECK(core::is_null(row.value()->values[std::size_t(
        core::kind_def(Kind::kInteraction).field_index("summary"))]));
    // The tombstone keeps the subject, so a later erase still reaches it (R7).
    CHECK(std::get<std::string>(row.value()->values[0]) == who->to_text());
}

TEST_CASE("R6: concurrent merges A into B and B into A keep the smallest id, losing nothing",
          "[sync][merge][duplicates]") {
    Pair p;
    auto x = p.a->replica->create(Kind::kInfluencer, {{"name", std::string("Helene D.")},
                                                      {"email", std::string("h@example.com")}});
    auto y = p.b->replica->create(Kind::kInfluencer, {{"name", std::string("Hélène Dupont")},
                                                      {"phone", std::string("+33 6 12 34 56 78")}});
    REQUIRE(x.is_ok());
    REQUIRE(y.is_ok());
    REQUIRE(p.a->replica->add(Kind::kInfluencer, x.value(), "tags", "beauty").is_ok());
    REQUIRE(p.b->replica->add(Kind::kInfluencer, y.value(), "tags", "vip").is_ok());
    auto visit = p.b->replica->create(Kind::kInteraction, {{"influencer", y->to_text()},
                                                           {"at", std::int64_t(1'700'000'000'000)},
                                                           {"touchpoint", std::string("store")},
                                                           {"department", std::string("retail")}});
    REQUIRE(visit.is_ok());
    p.exchange();
    REQUIRE(p.a->replica->merge(x.value(), y.value()).is_ok());
    REQUIRE(p.b->replica->merge(y.value(), x.value()).is_ok());
    p.exchange();
    p.converged();
    Id128 survivor = std::min(x.value(), y.value()), alias = std::max(x.value(), y.value());
    for (auto* r : {p.a->replica.get(), p.b->replica.get()}) {
        CHECK(r->store().root_of(alias) == survivor);
        CHECK(field_text(*r, Kind::kInfluencer, survivor, "email") == "h@example.com");
        CHECK(field_text(*r, Kind::kInfluencer, survivor, "phone") == "+33 6 12 34 56 78");
        CHECK(live_elems(*r, survivor, "tags") == std::vector<std::string>{"beauty", "vip"});
        auto tl = core::timeline(r->store(), alias);
        REQUIRE(tl.is_ok());
        CHECK(tl->size() == 1);  // the visit logged against the duplicate follows the merge
        auto hits = core::search_influencers(r->store(), "helene");
        REQUIRE(hits.is_ok());
        REQUIRE(hits->size() == 1);
        CHECK(hits->front().id == survivor);
    }
    // An edit addressed to the alias lands on the survivor.
    REQUIRE(p.a->replica->set(Kind::kInfluencer, alias, {{"tier", std::string("top")}}).is_ok());
    p.exchange();
    CHECK(field_text(*p.b->replica, Kind::kInfluencer, survivor, "tier") == "top");
    p.converged();
}

TEST_CASE("R7: erase wins over every later edit and purges the person's data from the file",
          "[sync][merge][erase]") {
    Pair p;
    const std::string canary = "Zqxcanaryname";
    auto who = p.a->replica->create(
        Kind::kInfluencer,
        {{"name", canary + " Person"}, {"email", std::string("zqxcanary@example.com")}});
    REQUIRE(who.is_ok());
    REQUIRE(p.a->replica
                ->add(Kind::kInfluencer, who.value(), "handles", "instagram:zqxcanaryhandle:5000")
                .is_ok());
    auto note =
        p.a->replica->create(Kind::kInteraction, {{"influencer", who->to_text()},
                                                  {"at", std::int64_t(1'700'000'000'000)},
                                                  {"touchpoint", std::string("email")},
                                                  {"department", std::string("pr")},
                                                  {"summary", std::string("zqxcanarysummary")}});
    REQUIRE(note.is_ok());
    p.exchange();
    // b, offline, edits the person and logs a contact; a erases the person meanwhile.
    p.time_b.advance(3'600'000);
    REQUIRE(
        p.b->replica->set(Kind::kInfluencer, who.value(), {{"notes", std::string("zqxcanarynote")}})
            .is_ok());
    auto late =
        p.b->replica->create(Kind::kInteraction, {{"influencer", who->to_text()},
                                                  {"at", std::int64_t(1'700'000'100'000)},
                                                  {"touchpoint", std::string("store")},
                                                  {"department", std::string("retail")},
                                                  {"summary", std::string("zqxcanarylate")}});
    REQUIRE(late.is_ok());
    REQUIRE(p.a->replica->erase(Kind::kInfluencer, who.value()).is_ok());
    p.exchange();
    p.converged();
    for (auto* n : {p.a.get(), p.b.get()}) {
        auto& r = *n->replica;
        CHECK(r.store().is_erased(who.value()));
        CHECK(r.store().is_erased(note.value()));
        CHECK(r.store().is_erased(late.value()));
        CHECK(field_text(r, Kind::kInfluencer, who.value(), "name") == "<absent>");
        auto hits = core::search_influencers(r.store(), "zqxcanaryname");
        REQUIRE(hits.is_ok());
        CHECK(hits->empty());
        CHECK(r.store().op_count() == 0);
        CHECK(r.pending() == 0);
    }
    // No trace in the raw database files.
    for (auto* n : {p.a.get(), p.b.get()}) {
        n->replica.reset();  // close: checkpoint and release the file
        std::ifstream f(n->path, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        REQUIRE(!bytes.empty());
        INFO(n->path);
        CHECK(bytes.find("zqxcanary") == std::string::npos);
        CHECK(bytes.find("Zqxcanary") == std::string::npos);
    }
}

TEST_CASE("R7: merging a record into an erased person erases the duplicate too",
          "[sync][merge][erase]") {
    Fresh two;
    auto& r1 = two.r1;
    auto& r2 = two.r2;
    Op a = make_op(OpType::kCreate, Kind::kInfluencer, entity_id(1), {100 << 16, replica_id(1)},
                   kHelene);
    Op b = make_op(OpType::kCreate, Kind::kInfluencer, entity_id(2), {110 << 16, replica_id(2)},
                   kHelene);
    Op erase = make_op(OpType::kErase, Kind::kInfluencer, entity_id(1), {200 << 16, replica_id(1)});
    Op merge = make_op(OpType::kMerge, Kind::kInfluencer, entity_id(2), {150 << 16, replica_id(2)});
    merge.target = entity_id(1);
    REQUIRE(r1.receive_all({a, b, erase, merge}).is_ok());
    REQUIRE(r2.receive_all({b, merge, a, erase}).is_ok());
    for (auto* r : {&r1, &r2}) {
        CHECK(r->store().is_erased(entity_id(1)));
        CHECK(r->store().is_erased(entity_id(2)));
    }
    CHECK(must(r1.state_hash()) == must(r2.state_hash()));
}

TEST_CASE("R8: the subject of a log entry cannot be changed", "[sync][merge][validation]") {
    Fresh one;
    auto& r = one.r1;
    auto it = r.create(Kind::kInteraction, {{"influencer", entity_id(1).to_text()},
                                            {"at", std::int64_t(1'700'000'000'000)},
                                            {"touchpoint", std::string("store")},
                                            {"department", std::string("retail")}});
    REQUIRE(it.is_ok());
    Status s = r.set(Kind::kInteraction, it.value(), {{"influencer", entity_id(2).to_text()}});
    CHECK(s.code() == Code::kInvalidArgument);
    CHECK(s.detail().find("influencer") == 0);
}

TEST_CASE("R8: creates naming different subjects are all erased with either person",
          "[sync][merge][erase]") {
    Op c1 = make_op(OpType::kCreate, Kind::kInteraction, entity_id(9), {100 << 16, replica_id(1)},
                    {{"influencer", entity_id(1).to_text()},
                     {"at", std::int64_t(1'700'000'000'000)},
                     {"touchpoint", std::string("store")},
                     {"department", std::string("retail")}});
    Op c2 = c1;
    c2.id = {110 << 16, replica_id(2)};
    c2.fields[0].value = entity_id(2).to_text();
    Op erase = make_op(OpType::kErase, Kind::kInfluencer, entity_id(1), {200 << 16, replica_id(3)});
    Fresh two;
    auto& r1 = two.r1;
    auto& r2 = two.r2;
    REQUIRE(r1.receive_all({c1, erase, c2}).is_ok());
    REQUIRE(r2.receive_all({c2, c1, erase}).is_ok());
    CHECK(r1.store().is_erased(entity_id(9)));
    CHECK(r2.store().is_erased(entity_id(9)));
    CHECK(must(r1.state_hash()) == must(r2.state_hash()));
}

TEST_CASE("R10: a create with an invalid e-mail is refused and nothing is stored",
          "[sync][merge][validation]") {
    Fresh one;
    auto& r = one.r1;
    auto before = must(r.state_hash());
    auto id =
        r.create(Kind::kInfluencer, {{"name", std::string("Bob")}, {"email", std::string("bob@")}});
    REQUIRE_FALSE(id.is_ok());
    CHECK(id.status().detail().find("email") == 0);
    CHECK(must(r.state_hash()) == before);
    CHECK(r.pending() == 0);
    auto missing = r.create(Kind::kInfluencer, {{"email", std::string("bob@example.com")}});
    CHECK(missing.status().code() == Code::kRequired);
    auto unknown = r.create(Kind::kInfluencer,
                            {{"name", std::string("Bob")}, {"shoe_size", std::int64_t(44)}});
    CHECK(unknown.status().code() == Code::kUnknownField);
}

TEST_CASE("R11: a replica refuses its own change naming an id as another kind",
          "[sync][merge][R11]") {
    Fresh one;
    auto& r = one.r1;
    auto ana = r.create(Kind::kInfluencer, {{"name", std::string("Ana")}});
    REQUIRE(ana.is_ok());
    auto before = must(r.state_hash());
    const auto pending = r.pending();
    auto tag = r.add(Kind::kEvent, ana.value(), "tags", "vip");
    CHECK(tag.code() == Code::kConflict);
    CHECK(tag.detail().find("is of kind influencer, not event") != std::string::npos);
    auto create =
        r.create(Kind::kEvent,
                 {{"name", std::string("Launch")}, {"starts", std::int64_t(1'700'000'100'000LL)}},
                 ana.value());
    CHECK(create.status().code() == Code::kConflict);
    CHECK(must(r.state_hash()) == before);
    CHECK(r.pending() == pending);
    // The person's own kind is still fine, and so is erasing her.
    CHECK(r.add(Kind::kInfluencer, ana.value(), "tags", "vip").is_ok());
    CHECK(r.erase(Kind::kInfluencer, ana.value()).is_ok());
}

TEST_CASE(
    "R11: a replica refuses its own merge naming an id it erased as another kind and keeps no "
    "trace",
    "[sync][merge][R11]") {
    Fresh one;
    auto& r = one.r1;
    auto ana = r.create(Kind::kInfluencer, {{"name", std::string("Ana")}});
    REQUIRE(ana.is_ok());
    auto note = r.create(Kind::kInteraction, {{"influencer", ana.value().to_text()},
                                              {"at", std::int64_t(1'700'000'000'000LL)},
                                              {"touchpoint", std::string("store")},
                                              {"department", std::string("retail")}});
    REQUIRE(note.is_ok());
    REQUIRE(r.erase(Kind::kInfluencer, ana.value()).is_ok());
    REQUIRE(r.store().is_erased(note.value()));
    auto bea = r.create(Kind::kInfluencer, {{"name", std::string("Bea")}});
    REQUIRE(bea.is_ok());
    const auto before = must(r.state_hash());
    const auto pending = r.pending();
    auto merged = r.merge(note.value(), bea.value());
    CHECK(std::string(code_name(merged.code())) == "conflict");
    CHECK(merged.detail().find("is of kind interaction (erased), not influencer") !=
          std::string::npos);
    CHECK(must(r.state_hash()) == before);
    CHECK_FALSE(r.store().is_erased(bea.value()));
    CHECK(r.pending() == pending);
}

TEST_CASE("R11: an id known only by a merge edge is a person", "[sync][merge][R11]") {
    Fresh one;
    auto& r = one.r1;
    // Two people whose creates have not arrived (made offline elsewhere): the survivor, the
    // smaller id, has no row of its own, only its alias edge.
    const auto a = core::make_seeded_id_source(7)->next_entity_id(1'700'000'000'000ULL);
    const auto b = core::make_seeded_id_source(8)->next_entity_id(1'700'000'000'000ULL);
    REQUIRE(r.merge(a, b).is_ok());
    const auto survivor = std::min(a, b);
    REQUIRE(r.store().root_of(survivor) == survivor);
    const auto before = must(r.state_hash());
    auto tag = r.add(Kind::kEvent, survivor, "tags", "vip");
    CHECK(std::string(code_name(tag.code())) == "conflict");
    CHECK(tag.detail().find("is of kind influencer, not event") != std::string::npos);
    CHECK(must(r.state_hash()) == before);
}

TEST_CASE("R9: the clock bound is two minutes: +120 s is accepted, +121 s refused",
          "[sync][merge][hlc][central]") {
    // kMaxFutureMs pinned by value: a looser bound lets a fast clock push stamps that win every
    // LWW register for longer; a tighter one refuses devices whose clocks are merely off.
    TempDir dir;
    const std::uint64_t now = 1'700'000'000'000ULL;
    sync::ManualTimeSource server_time(now);
    auto store = open_hub_store(dir.file("hub.db"));
    sync::Hub hub(*store, server_time);
    sync::DeviceContext ctx;
    ctx.role = sync::Role::kCentral;
    ctx.scope = sync::Scope::everything();
    auto push_from = [&](std::uint64_t ahead_ms, std::uint64_t seed) {
        sync::ManualTimeSource device_time(now + ahead_ms);
        auto dev = open_node(dir.file("d" + std::to_string(seed) + ".db"), device_time, seed);
        REQUIRE(dev->replica->create(Kind::kInfluencer, kHelene).is_ok());
        auto req = dev->replica->make_push();
        REQUIRE(req.is_ok());
        REQUIRE(req->ops.size() == 1);
        REQUIRE(sync::hlc_millis(req->ops[0].id.hlc) == now + ahead_ms);
        auto reply = hub.exchange(ctx, req.value());
        REQUIRE(reply.is_ok());
        REQUIRE(reply->results.size() == 1);
        return reply->results[0];
    };
    CHECK(push_from(119'000, 1).outcome == Outcome::kApplied);
    CHECK(push_from(120'000, 2).outcome == Outcome::kApplied);
    const auto late = push_from(121'000, 3);
    CHECK(late.outcome == Outcome::kRejected);
    CHECK(late.code == Code::kClockAhead);
    const auto far = push_from(20 * 60'000, 4);
    CHECK(far.outcome == Outcome::kRejected);
    CHECK(far.code == Code::kClockAhead);
}

TEST_CASE("R9: the hub refuses operations stamped too far in its future, saying its time",
          "[sync][merge][hlc][central]") {
    TempDir dir;
    sync::ManualTimeSource server_time(1'700'000'000'000ULL),
        device_time(1'700'000'000'000ULL + 3'600'000);
    auto store = open_hub_store(dir.file("hub.db"));
    sync::Hub hub(*store, server_time);
    auto dev = open_node(dir.file("d.db"), device_time, 5);
    REQUIRE(dev->replica->create(Kind::kInfluencer, kHelene).is_ok());
    auto req = dev->replica->make_push();
    REQUIRE(req.is_ok());
    sync::DeviceContext ctx;
    ctx.role = sync::Role::kStore;
    ctx.scope = sync::Scope::everything();
    auto reply = hub.exchange(ctx, req.value());
    REQUIRE(reply.is_ok());
    REQUIRE(reply->results.size() == 1);
    CHECK(reply->results[0].outcome == Outcome::kRejected);
    CHECK(reply->results[0].code == Code::kClockAhead);
    CHECK(reply->results[0].detail.find("server time 1700000000000") != std::string::npos);
    // The device keeps the operation and learns the server's clock.
    auto stats = dev->replica->apply_reply(reply.value());
    REQUIRE(stats.is_ok());
    CHECK(stats->retry == 1);
    CHECK(dev->replica->pending() == 1);
    CHECK(dev->replica->clock().physical_ms() == server_time.now_ms());
    // An hour later (server time), the same operation is accepted.
    server_time.advance(3'600'000);
    auto again = hub.exchange(ctx, dev->replica->make_push().value());
    REQUIRE(again.is_ok());
    CHECK(again->results[0].outcome == Outcome::kApplied);
}

}  // namespace liaison::test::sync_merge
