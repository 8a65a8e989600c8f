// R7 on disk (docs/SYNC.md): once an erasure is committed — acknowledged to whoever asked — no
// byte of the person remains in the store's files: not in the database, nor in its write-ahead
// log (which keeps every page written since the last checkpoint), nor in the search index.
#include <catch2/catch.hpp>

#include "core/query/queries.hpp"
#include "support/harness.hpp"

namespace liaison::test::sync_erase_disk {
namespace {

using core::Id128;
using core::Kind;

// A person whose every value is unique enough to be searched for in raw bytes.
const std::vector<sync::FieldWrite> kZorbaxe = {
    {"name", std::string("Zorbaxe Quillfeather")},
    {"email", std::string("zorbaxe.quill@plumvexa.quorbit")},
    {"phone", std::string("+33 6 98 76 54 31")},
    {"notes", std::string("Kestrelmoor glimmerdust")}};
const std::vector<std::string> kZorbaxeValues = {
    "Zorbaxe Quillfeather", "zorbaxe.quill@plumvexa.quorbit",
    "+33 6 98 76 54 31",    "33698765431",
    "0698765431",           "Kestrelmoor glimmerdust",
    "zorbaxequill",         "Brindlewick parsnip-ochre",
    "Quorvant lichenspire", "Snorvelith quaggbright"};

}  // namespace

// [native]: the write-ahead log is the point, and the browser build has none (its files live
// in MEMFS and are not run under node here).
TEST_CASE(
    "R7 on disk: once an erasure commits, no byte of the person is left in the hub's or "
    "a replica's files",
    "[sync][erase][R7][R12][native]") {
    TempDir dir;
    sync::ManualTimeSource time(1'700'000'000'000ULL);
    auto hub_store = core::Store::open(dir.file("hub.db"), core::StoreOptions{true, false});
    REQUIRE(hub_store.is_ok());
    sync::Hub hub(*hub_store.value(), time);
    // As the server's hub: it keeps the values each write wrote (core/storage/history.hpp).
    REQUIRE(hub.merge().enable_history().is_ok());
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    auto office = open_node(dir.file("office.db"), time, 71);
    auto tablet = open_node(dir.file("tablet.db"), time, 72);
    auto exchange = [&](Node& n) {
        for (int i = 0; i < 10; ++i) {
            auto reply = hub.exchange(central, n.replica->make_push().value());
            REQUIRE(reply.is_ok());
            auto stats = n.replica->apply_reply(reply.value());
            REQUIRE(stats.is_ok());
            if (!stats->has_more && n.replica->pending() == 0) return;
        }
        FAIL("no quiescence");
    };

    sync::Replica& o = *office->replica;
    auto person = o.create(Kind::kInfluencer, kZorbaxe);
    REQUIRE(person.is_ok());
    REQUIRE(o.add(Kind::kInfluencer, person.value(), "handles", "instagram:zorbaxequill").is_ok());
    // A value written by a set, then overwritten: the state no longer holds it, the hub's
    // history of values does.
    REQUIRE(
        o.set(Kind::kInfluencer, person.value(), {{"notes", std::string("Quorvant lichenspire")}})
            .is_ok());
    REQUIRE(o.set(Kind::kInfluencer, person.value(),
                  {{"notes", std::string("Kestrelmoor glimmerdust")}})
                .is_ok());
    REQUIRE(o.create(Kind::kInteraction, {{"influencer", person.value().to_text()},
                                          {"at", std::int64_t(1'700'000'000'000LL)},
                                          {"touchpoint", std::string("store")},
                                          {"department", std::string("retail")},
                                          {"summary", std::string("Brindlewick parsnip-ochre")}})
                .is_ok());
    // A collaboration with her: kept without her (R12) — its product stays, its deliverables go.
    REQUIRE(
        o.create(Kind::kCollaboration, {{"influencer", person.value().to_text()},
                                        {"type", std::string("paid")},
                                        {"fee", std::int64_t(150000)},
                                        {"currency", std::string("EUR")},
                                        {"product", std::string("Lumeracle tonic")},
                                        {"deliverables", std::string("Snorvelith quaggbright")}})
            .is_ok());
    // Someone else, kept: the scan must find their bytes, or it proves nothing.
    REQUIRE(o.create(Kind::kInfluencer, {{"name", std::string("Ulvenhart Mossgrave")}}).is_ok());
    exchange(*office);
    exchange(*tablet);
    const auto forms = canary_forms(kZorbaxeValues);
    const std::vector<std::string> kept = {"Ulvenhart Mossgrave", "Lumeracle tonic"};
    for (const char* db : {"hub.db", "office.db", "tablet.db"}) {
        INFO(db);
        CHECK_FALSE(find_in_db_files(dir.file(db), {"Zorbaxe Quillfeather"}).empty());
    }
    // The overwritten value is in the hub's file only through its history (the scan would
    // prove nothing if it were not there).
    CHECK_FALSE(find_in_db_files(dir.file("hub.db"), {"Quorvant lichenspire"}).empty());

    time.advance(10);
    REQUIRE(o.erase(Kind::kInfluencer, person.value()).is_ok());  // the device that erases
    CHECK(find_in_db_files(dir.file("office.db"), forms) == "");
    exchange(*office);  // the hub, acknowledging it
    CHECK(find_in_db_files(dir.file("hub.db"), forms) == "");
    exchange(*tablet);  // a replica that learns it
    CHECK(tablet->replica->store().is_erased(person.value()));
    CHECK(find_in_db_files(dir.file("tablet.db"), forms) == "");
    for (const char* db : {"hub.db", "office.db", "tablet.db"}) {
        INFO(db);
        CHECK_FALSE(find_in_db_files(dir.file(db), kept).empty());
    }
}

}  // namespace liaison::test::sync_erase_disk
