// The brand directory through the hub (docs/SYNC.md "Directory", D1–D5): store devices hold
// their brand's people outside their scope as directory records only, and follow promotions,
// demotions, brand changes and erasures; after quiescence every device holds exactly the
// directory projection of the central record, computed here from a field list written apart
// from the schema's marks.
#include "core/query/directory.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "core/query/duplicates.hpp"
#include "core/query/view.hpp"
#include "support/harness.hpp"
#include "sync/hub.hpp"

namespace liaison::test::sync_directory {
namespace {

using core::Kind;

// Written apart from the schema's `directory` marks (core/model/schema.cpp): what a device
// outside a person's scope may hold of her.
const std::set<std::string> kDirectoryFields = {"name",   "country", "tier",          "owner",
                                                "status", "consent", "consent_basis", "vetting",
                                                "region", "store",   "brand"};
const std::set<std::string> kDirectorySets = {"handles", "roles", "languages", "brands"};

struct Brands {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<core::Store> hub_store = open_hub_store(dir.file("hub.db"));
    sync::Hub hub{*hub_store, time};
    std::unique_ptr<Node> office;
    sync::DeviceContext central;
    core::Id128 maison, autre, lyon, lille, nice;
    struct Tablet {
        std::unique_ptr<Node> node;
        sync::DeviceContext device;
        std::string name;
    };
    std::vector<Tablet> tablets;

    Brands() {
        office = open_node(dir.file("office.db"), time, 301);
        central.role = sync::Role::kCentral;
        central.scope = sync::Scope::everything();
        auto& c = *office->replica;
        maison = c.create(Kind::kBrand, {{"name", std::string("Maison")}}).value();
        autre = c.create(Kind::kBrand, {{"name", std::string("Autre")}}).value();
        auto region = c.create(Kind::kRegion, {{"name", std::string("France")}}).value();
        auto store = [&](const char* name, const core::Id128& brand) {
            return c
                .create(Kind::kStore, {{"name", std::string(name)},
                                       {"region", region.to_text()},
                                       {"brand", brand.to_text()}})
                .value();
        };
        lyon = store("Lyon", maison);
        lille = store("Lille", maison);
        nice = store("Nice", autre);
        sync_until_quiet(*office, hub, central, "office");
        add_tablet("lyon", lyon, maison, 302);
        add_tablet("lille", lille, maison, 303);
        add_tablet("nice", nice, autre, 304);
    }

    void add_tablet(const std::string& name, const core::Id128& store, const core::Id128& brand,
                    std::uint64_t seed) {
        Tablet t;
        t.node = open_node(dir.file(name + ".db"), time, seed);
        t.device.role = sync::Role::kStore;
        t.device.scope.stores = {store.to_text()};
        // What the server's authentication gives a store's device (server/auth/auth.cpp).
        t.device.scope.directory_brands = {brand.to_text()};
        t.name = name;
        tablets.push_back(std::move(t));
    }

    void sync_everyone() {
        sync_until_quiet(*office, hub, central, "office");
        for (auto& t : tablets) sync_until_quiet(*t.node, hub, t.device, t.name);
    }

    Tablet& tablet(const std::string& name) {
        for (auto& t : tablets)
            if (t.name == name) return t;
        FAIL("no tablet " << name);
        return tablets.front();
    }
};

const core::Value& field(const core::RowState& row, const std::string& name) {
    return row.values[std::size_t(core::kind_def(row.kind).field_index(name))];
}

std::optional<core::EntitySnapshot> snapshot_of(core::Store& s, const core::Id128& id) {
    auto snap = s.snapshot(Kind::kInfluencer, id);
    REQUIRE(snap.is_ok());
    if (!snap.value() || !snap.value()->row.visible()) return std::nullopt;
    return snap.value();
}

// The live set elements of `snap`, as "set=elem", for the sets `keep` accepts.
template <class Keep>
std::set<std::string> elements(const core::EntitySnapshot& snap, Keep keep) {
    const auto& k = core::kind_def(snap.row.kind);
    std::set<std::string> out;
    for (const auto& d : snap.dots) {
        const auto& name = k.sets[std::size_t(d.set)].name;
        if (!d.removed && keep(name)) out.insert(name + "=" + d.elem);
    }
    return out;
}

// Checks that `t` holds of each person of the hub what the rules say: all of her if its scope
// covers her, her directory projection (by the independent lists above) if she is of its
// brand, nothing otherwise.
void check_projection(Brands& w, Brands::Tablet& t, const std::vector<core::Id128>& people) {
    auto& device = t.node->replica->store();
    const auto& brand = t.device.scope.directory_brands.front();
    const auto& k = core::kind_def(Kind::kInfluencer);
    for (const auto& id : people) {
        INFO(t.name << " / person " << id.to_text());
        auto hub_snap = snapshot_of(*w.hub_store, w.hub_store->root_of(id));
        auto mine = snapshot_of(device, id);
        if (!hub_snap || w.hub_store->root_of(id) != id) {
            CHECK_FALSE(mine.has_value());
            continue;
        }
        const auto& row = hub_snap->row;
        const auto* store = std::get_if<std::string>(&field(row, "store"));
        const bool covered = store && *store == t.device.scope.stores.front();
        const auto* own = std::get_if<std::string>(&field(row, "brand"));
        const auto all_sets = elements(*hub_snap, [](const std::string&) { return true; });
        const bool listed = (own && *own == brand) || all_sets.count("brands=" + brand) > 0;
        if (!covered && !listed) {
            CHECK_FALSE(mine.has_value());
            continue;
        }
        REQUIRE(mine.has_value());
        CHECK(device.directory_only(id).value() == !covered);
        for (std::size_t i = 0; i < k.fields.size(); ++i) {
            const bool shown = covered || kDirectoryFields.count(k.fields[i].name) > 0;
            INFO("field " << k.fields[i].name);
            CHECK(mine->row.values[i] == (shown ? row.values[i] : core::Value{}));
        }
        auto sets_shown = [&](const std::string& s) {
            return covered || kDirectorySets.count(s) > 0;
        };
        CHECK(elements(*mine, [](const std::string&) { return true; }) ==
              elements(*hub_snap, sets_shown));
    }
}

// Written apart from the schema's marks: what a device holds of a contact (an interaction)
// its scope does not cover, about a person it holds (D6).
const std::set<std::string> kMarkFields = {"influencer", "at",     "touchpoint", "department",
                                           "brand",      "region", "store",      "event"};

core::Id128 log_contact(sync::Replica& r, const core::Id128& person, const core::Value& store,
                        std::int64_t at, const std::string& summary) {
    return r
        .create(Kind::kInteraction, {{"influencer", person.to_text()},
                                     {"at", at},
                                     {"touchpoint", std::string("store")},
                                     {"department", std::string("retail")},
                                     {"store", store},
                                     {"summary", summary}})
        .value();
}

std::optional<core::RowState> row_of(core::Store& s, Kind kind, const core::Id128& id) {
    auto row = s.load_row(kind, id);
    REQUIRE(row.is_ok());
    if (!row.value() || !row.value()->visible()) return std::nullopt;
    return row.value();
}

// Checks that `t` holds of each interaction of the hub what D6 says: all of it if its scope
// covers it (its store is the tablet's, or it names no store and the tablet covers the
// person), its mark (by the independent list above) if the tablet holds the person it is
// about, nothing otherwise.
void check_marks(Brands& w, Brands::Tablet& t, const std::vector<core::Id128>& contacts) {
    auto& device = t.node->replica->store();
    const auto& mine_store = t.device.scope.stores.front();
    const auto& brand = t.device.scope.directory_brands.front();
    const auto& k = core::kind_def(Kind::kInteraction);
    for (const auto& id : contacts) {
        INFO(t.name << " / contact " << id.to_text());
        auto hub_row = row_of(*w.hub_store, Kind::kInteraction, id);
        auto mine = row_of(device, Kind::kInteraction, id);
        if (!hub_row) {
            CHECK_FALSE(mine.has_value());
            continue;
        }
        const auto person_id =
            core::Id128::from_text(std::get<std::string>(field(*hub_row, "influencer")));
        auto person = snapshot_of(*w.hub_store, w.hub_store->root_of(*person_id));
        bool person_covered = false, person_listed = false;
        if (person) {
            const auto* store = std::get_if<std::string>(&field(person->row, "store"));
            person_covered = store && *store == mine_store;
            const auto* own = std::get_if<std::string>(&field(person->row, "brand"));
            person_listed = (own && *own == brand) || elements(*person, [](const std::string& s) {
                                                          return s == "brands";
                                                      }).count("brands=" + brand) > 0;
        }
        const auto* store = std::get_if<std::string>(&field(*hub_row, "store"));
        const bool covered = store ? *store == mine_store : person_covered;
        if (!covered && !person_covered && !person_listed) {
            CHECK_FALSE(mine.has_value());
            continue;
        }
        REQUIRE(mine.has_value());
        CHECK(device.directory_only(id).value() == !covered);
        for (std::size_t i = 0; i < k.fields.size(); ++i) {
            const bool shown = covered || kMarkFields.count(k.fields[i].name) > 0;
            INFO("field " << k.fields[i].name);
            CHECK(mine->values[i] == (shown ? hub_row->values[i] : core::Value{}));
        }
    }
}

}  // namespace

TEST_CASE("D6: a device holds the contacts logged elsewhere on a person it holds as marks",
          "[sync][directory][central]") {
    Brands w;
    auto& c = *w.office->replica;
    auto helene = c.create(Kind::kInfluencer, {{"name", std::string("Hélène Dupont")},
                                               {"store", w.lille.to_text()},
                                               {"brand", w.maison.to_text()}})
                      .value();
    auto clerk = c.create(Kind::kStaff, {{"name", std::string("Camille Vendeuse")}}).value();
    w.sync_everyone();
    auto& lille = w.tablet("lille");
    auto& lyon = w.tablet("lyon");
    auto& nice = w.tablet("nice");
    const std::int64_t now = std::int64_t(w.time.now_ms());
    const std::string canary = "Quorvant lichenspire springline";
    // Her own store logs a contact; Lyon, where she walked in, logs another (D5: allowed).
    auto at_lille = log_contact(*lille.node->replica, helene, w.lille.to_text(),
                                now - 3 * 86'400'000LL, canary);
    REQUIRE(lille.node->replica->set(Kind::kInteraction, at_lille, {{"staff", clerk.to_text()}})
                .is_ok());
    auto at_lyon = log_contact(*lyon.node->replica, helene, w.lyon.to_text(), now - 86'400'000LL,
                               "asked about the gift");
    w.sync_everyone();
    w.sync_everyone();  // each tablet's contact reaches the tablets that synced before it
    const std::vector<core::Id128> contacts = {at_lille, at_lyon};
    for (auto& t : w.tablets) check_marks(w, t, contacts);
    auto& store = lyon.node->replica->store();
    CHECK(store.directory_only(at_lille).value());
    CHECK(lille.node->replica->store().directory_only(at_lyon).value());
    CHECK_FALSE(row_of(nice.node->replica->store(), Kind::kInteraction, at_lille).has_value());
    // The mark's place has a name on the device: the brand's stores are in its directory (D1).
    CHECK(store.directory_only(w.lille).value());
    CHECK(field(*row_of(store, Kind::kStore, w.lille), "name") ==
          core::Value{std::string("Lille")});
    CHECK_FALSE(row_of(nice.node->replica->store(), Kind::kStore, w.lille).has_value());
    CHECK(find_in_db_files(lyon.node->path, canary_forms({canary})) == "");

    // Pressure and the last contact anywhere are counted on the device from the marks.
    core::CardOptions opts;
    opts.now_ms = now;
    opts.contact_cap = 2;
    auto card = core::card_json(store, helene, opts).value();
    REQUIRE(card);
    INFO(*card);
    CHECK(card->find("\"contacts_recent\":2") != std::string::npos);
    CHECK(card->find("contact_pressure") != std::string::npos);
    CHECK(card->find("\"last_contact\":{\"at\":" + std::to_string(now - 86'400'000LL) +
                     ",\"kind\":\"interaction\",\"store\":\"" + w.lyon.to_text() + "\"") !=
          std::string::npos);
    CHECK(card->find("\"mark\":true") != std::string::npos);

    // Her paid collaboration, signed centrally, reaches Lyon as its mark: the card warns of
    // it, and the fee and deliverables stay on the central record.
    auto deal = c.create(Kind::kCollaboration, {{"influencer", helene.to_text()},
                                                {"type", std::string("paid")},
                                                {"status", std::string("active")},
                                                {"fee", std::int64_t(987654)},
                                                {"deliverables", std::string("Zephyrine reels")}})
                    .value();
    w.sync_everyone();
    CHECK(store.directory_only(deal).value());
    card = core::card_json(store, helene, opts).value();
    REQUIRE(card);
    CHECK(card->find("active_paid_collaboration") != std::string::npos);
    CHECK(card->find("987654") == std::string::npos);
    CHECK(find_in_db_files(lyon.node->path, canary_forms({"Zephyrine"})) == "");

    // A deleted contact leaves the devices that held its mark.
    REQUIRE(lille.node->replica->remove_entry(Kind::kInteraction, at_lille).is_ok());
    w.sync_everyone();
    w.sync_everyone();
    for (auto& t : w.tablets) check_marks(w, t, contacts);
    CHECK_FALSE(row_of(store, Kind::kInteraction, at_lille).has_value());

    // She moves to the other brand: Lyon's tablet drops her; Nice's gets her and Lyon's
    // contact as directory records; Lille, her store, keeps both. Lyon keeps its own contact
    // (its store's), not a mark.
    REQUIRE(c.set(Kind::kInfluencer, helene, {{"brand", w.autre.to_text()}}).is_ok());
    w.sync_everyone();
    for (auto& t : w.tablets) check_marks(w, t, contacts);
    CHECK_FALSE(snapshot_of(store, helene).has_value());
    CHECK(nice.node->replica->store().directory_only(at_lyon).value());
    CHECK(lille.node->replica->store().directory_only(at_lyon).value());
    CHECK_FALSE(store.directory_only(at_lyon).value());
    // A device that holds her in no way holds no mark: her brand goes, and so does Nice's copy.
    REQUIRE(c.set(Kind::kInfluencer, helene, {{"brand", core::Value{}}}).is_ok());
    w.sync_everyone();
    for (auto& t : w.tablets) check_marks(w, t, contacts);
    CHECK_FALSE(row_of(nice.node->replica->store(), Kind::kInteraction, at_lyon).has_value());
}

TEST_CASE(
    "D6: a vetting and a data-subject request reach every device that holds her as marks "
    "without their notes",
    "[sync][directory][compliance][central]") {
    Brands w;
    auto& c = *w.office->replica;
    auto helene = c.create(Kind::kInfluencer, {{"name", std::string("Hélène Dupont")},
                                               {"store", w.lille.to_text()},
                                               {"brand", w.maison.to_text()}})
                      .value();
    const std::string canary = "Vermillard quisling overbrace";
    auto review = c.create(Kind::kVetting, {{"influencer", helene.to_text()},
                                            {"reviewed", std::string("2026-11-02")},
                                            {"political_neutrality", std::string("fail")},
                                            {"notes", canary},
                                            {"evidence", std::string("https://a.example/x")}})
                      .value();
    auto objection = c.create(Kind::kGdprRequest, {{"influencer", helene.to_text()},
                                                   {"type", std::string("objection")},
                                                   {"received", std::string("2026-11-20")},
                                                   {"status", std::string("open")},
                                                   {"notes", canary}})
                         .value();
    w.sync_everyone();
    auto& lille = w.tablet("lille").node->replica->store();
    auto& lyon = w.tablet("lyon").node->replica->store();
    auto& nice = w.tablet("nice").node->replica->store();
    // Her store holds both whole (keyless, they are where she is); Lyon, of her brand, holds
    // their marks; Nice, of another brand, nothing.
    for (auto [kind, id] : {std::pair{Kind::kVetting, review}, {Kind::kGdprRequest, objection}}) {
        INFO(core::kind_name(kind));
        REQUIRE(row_of(lille, kind, id).has_value());
        CHECK_FALSE(lille.directory_only(id).value());
        CHECK(field(*row_of(lille, kind, id), "notes") == core::Value{canary});
        auto mark = row_of(lyon, kind, id);
        REQUIRE(mark.has_value());
        CHECK(lyon.directory_only(id).value());
        CHECK(core::is_null(field(*mark, "notes")));
        CHECK_FALSE(row_of(nice, kind, id).has_value());
    }
    CHECK(field(*row_of(lyon, Kind::kVetting, review), "political_neutrality") ==
          core::Value{std::string("fail")});
    CHECK(core::is_null(field(*row_of(lyon, Kind::kVetting, review), "evidence")));
    CHECK(field(*row_of(lyon, Kind::kGdprRequest, objection), "type") ==
          core::Value{std::string("objection")});
    CHECK(find_in_db_files(w.tablet("lyon").node->path, canary_forms({canary})) == "");
    // The objection withdrawn: the mark follows.
    REQUIRE(c.set(Kind::kGdprRequest, objection, {{"status", std::string("withdrawn")}}).is_ok());
    w.sync_everyone();
    CHECK(field(*row_of(lyon, Kind::kGdprRequest, objection), "status") ==
          core::Value{std::string("withdrawn")});
}

TEST_CASE("D3: a national number of a person with no country is read in her store's country",
          "[sync][directory][central]") {
    Brands w;
    auto& c = *w.office->replica;
    REQUIRE(c.set(Kind::kStore, w.lille, {{"country", std::string("FR")}}).is_ok());
    auto nina = c.create(Kind::kInfluencer, {{"name", std::string("Nina Sans Pays")},
                                             {"phone", std::string("06 11 22 33 44")},
                                             {"store", w.lille.to_text()},
                                             {"brand", w.maison.to_text()}})
                    .value();
    w.sync_everyone();
    auto& lyon = w.tablet("lyon").node->replica->store();
    const auto french = core::contact_digest(*core::normalise_phone("06 11 22 33 44", "FR"));
    const auto belgian = core::contact_digest(*core::normalise_phone("06 11 22 33 44", "BE"));
    REQUIRE(french != belgian);
    CHECK(lyon.directory_matches(true, french).value() == std::vector<core::Id128>{nina});
    CHECK(core::store_country(lyon, w.lille.to_text()) == "FR");  // a directory store (D1)
    // The store is found to be in Belgium: her directory record comes again, with the digest
    // of the number read there.
    REQUIRE(c.set(Kind::kStore, w.lille, {{"country", std::string("BE")}}).is_ok());
    w.sync_everyone();
    CHECK(lyon.directory_matches(true, french).value().empty());
    CHECK(lyon.directory_matches(true, belgian).value() == std::vector<core::Id128>{nina});
    CHECK(must(w.tablet("lyon").node->replica->state_hash()) ==
          projection_hash(w.hub, w.tablet("lyon").device, w.dir.file("lyon-fresh.db"), w.time));
}

TEST_CASE("D2: a store holds its brand's other people as directory records, and follows them",
          "[sync][directory][central]") {
    Brands w;
    auto& c = *w.office->replica;
    const std::string canary_email = "quorvant.lichenspire@example.org",
                      canary_phone = "+33 6 98 76 54 32",
                      canary_note = "canary note: prefers the morning";
    auto helene = c.create(Kind::kInfluencer, {{"name", std::string("Hélène Dupont")},
                                               {"email", canary_email},
                                               {"phone", canary_phone},
                                               {"notes", canary_note},
                                               {"status", std::string("do_not_contact")},
                                               {"store", w.lille.to_text()},
                                               {"brand", w.maison.to_text()}})
                      .value();
    REQUIRE(c.add(Kind::kInfluencer, helene, "handles", "instagram:helene:125000").is_ok());
    REQUIRE(c.add(Kind::kInfluencer, helene, "tags", "canarytag").is_ok());
    auto other = c.create(Kind::kInfluencer, {{"name", std::string("Olga Autre")},
                                              {"store", w.nice.to_text()},
                                              {"brand", w.autre.to_text()}})
                     .value();
    auto unbranded = c.create(Kind::kInfluencer,
                              {{"name", std::string("Nina Sans")}, {"store", w.lille.to_text()}})
                         .value();
    w.sync_everyone();
    auto& lyon = w.tablet("lyon");
    auto& store = lyon.node->replica->store();
    const std::vector<core::Id128> people = {helene, other, unbranded};
    for (auto& t : w.tablets) check_projection(w, t, people);
    // The canaries are nowhere in the Lyon tablet's files (the digests are kept instead).
    CHECK(find_in_db_files(lyon.node->path, canary_forms({canary_email, canary_note, "canarytag",
                                                          "98765432"})) == "");
    const auto phone_digest = core::contact_digest(*core::normalise_phone("06 98 76 54 32", "FR"));
    auto matches = store.directory_matches(true, phone_digest).value();
    CHECK(std::find(matches.begin(), matches.end(), helene) != matches.end());
    matches = store
                  .directory_matches(false, core::contact_digest(core::normalise_email(
                                                " Quorvant.Lichenspire@Example.org")))
                  .value();
    CHECK(std::find(matches.begin(), matches.end(), helene) != matches.end());

    // On the device: e-mail and phone look-ups propose her (D4), as do the create form's
    // duplicate checks, and her card says she is a directory record.
    CHECK(core::possible_matches(store, "06 98 76 54 32", "FR").value() ==
          std::vector<core::Id128>{helene});
    CHECK(core::possible_matches(store, "QUORVANT.lichenspire@example.org ", "").value() ==
          std::vector<core::Id128>{helene});
    CHECK(core::possible_matches(store, "06 98 76 54 32", "").value().empty());
    CHECK(core::possible_matches(store, "Hélène", "FR").value().empty());
    core::DuplicateQuery q;
    q.email = "quorvant.lichenspire@example.org";
    q.phone = "+33 6 98 76 54 32";
    auto dups = core::find_duplicates(store, q).value();
    REQUIRE(dups.size() == 1);
    CHECK(dups[0].id == helene);
    CHECK(dups[0].reasons == std::vector<std::string>{"possible_email", "possible_phone"});
    core::CardOptions opts;
    auto card = core::card_json(store, helene, opts).value();
    REQUIRE(card);
    CHECK(card->find("\"directory\":true") != std::string::npos);

    // D5: the Lyon tablet may not change her (another store's person): refused, and it keeps
    // her directory record as the hub has it.
    auto& t = *lyon.node->replica;
    REQUIRE(t.set(Kind::kInfluencer, helene, {{"status", std::string("active")}}).is_ok());
    auto reply = w.hub.exchange(lyon.device, t.make_push().value());
    REQUIRE(reply.is_ok());
    auto stats = t.apply_reply(reply.value());
    REQUIRE(stats.is_ok());
    CHECK(stats->rejected == 1);
    CHECK(store.directory_only(helene).value());
    CHECK(field(snapshot_of(store, helene)->row, "status") ==
          core::Value{std::string("do_not_contact")});
    for (auto& tab : w.tablets) check_projection(w, tab, people);

    // Promotion: she moves to Lyon, whose tablet now holds all of her.
    REQUIRE(c.set(Kind::kInfluencer, helene, {{"store", w.lyon.to_text()}}).is_ok());
    w.sync_everyone();
    for (auto& t : w.tablets) check_projection(w, t, people);
    CHECK_FALSE(store.directory_only(helene).value());
    // Demotion: back to Lille; Lyon's full copy is replaced by her directory record.
    REQUIRE(c.set(Kind::kInfluencer, helene, {{"store", w.lille.to_text()}}).is_ok());
    w.sync_everyone();
    for (auto& t : w.tablets) check_projection(w, t, people);
    CHECK(store.directory_only(helene).value());
    // Listed under the other brand too: Nice's tablet gets her directory record; then her
    // brand changes and Lyon's and Lille's tablets drop her.
    REQUIRE(c.add(Kind::kInfluencer, helene, "brands", w.autre.to_text()).is_ok());
    REQUIRE(c.set(Kind::kInfluencer, helene, {{"brand", w.autre.to_text()}}).is_ok());
    w.sync_everyone();
    for (auto& t : w.tablets) check_projection(w, t, people);
    CHECK_FALSE(snapshot_of(store, helene).has_value());
    CHECK(snapshot_of(w.tablet("nice").node->replica->store(), helene).has_value());
    // Erased while the Nice tablet is offline: its next sync removes her directory record.
    REQUIRE(c.erase(Kind::kInfluencer, helene).is_ok());
    sync_until_quiet(*w.office, w.hub, w.central, "office");
    auto& nice = w.tablet("nice");
    sync_until_quiet(*nice.node, w.hub, nice.device, nice.name);
    CHECK_FALSE(snapshot_of(nice.node->replica->store(), helene).has_value());
    CHECK_FALSE(nice.node->replica->store().directory_only(helene).value());
}

TEST_CASE(
    "D2 property: after quiescence every device holds the directory projection of the "
    "central record and the marks of the contacts about the people it holds",
    "[sync][directory][property][central]") {
    for (auto seed : seeds({11, 12, 13})) {
        INFO("seed " << seed);
        Brands w;
        std::mt19937_64 rng(seed);
        auto pick = [&](std::size_t n) { return std::size_t(rng() % n); };
        auto& c = *w.office->replica;
        const std::vector<std::string> stores = {w.lyon.to_text(), w.lille.to_text(),
                                                 w.nice.to_text()};
        const std::vector<core::Value> brands = {w.maison.to_text(), w.autre.to_text(),
                                                 core::Value{}};
        std::vector<core::Id128> people;
        for (int i = 0; i < 12; ++i)
            people.push_back(
                c.create(Kind::kInfluencer, {{"name", "P" + std::to_string(i)},
                                             {"email", "p" + std::to_string(i) + "@example.org"},
                                             {"notes", std::string("note ") + std::to_string(i)},
                                             {"store", stores[pick(3)]},
                                             {"brand", brands[pick(3)]}})
                    .value());
        std::vector<core::Id128> contacts;
        const std::vector<core::Value> places = {stores[0], stores[1], stores[2], core::Value{}};
        for (int step = 0; step < 300; ++step) {
            const auto& id = people[pick(people.size())];
            if (!snapshot_of(c.store(), id)) continue;
            switch (pick(11)) {
                case 0:
                    REQUIRE(c.set(Kind::kInfluencer, id, {{"store", stores[pick(3)]}}).is_ok());
                    break;
                case 1:
                    REQUIRE(c.set(Kind::kInfluencer, id, {{"brand", brands[pick(3)]}}).is_ok());
                    break;
                case 2:
                    REQUIRE(c.set(Kind::kInfluencer, id,
                                  {{"phone", "+3361234" + std::to_string(1000 + pick(9000))},
                                   {"tier", std::string(pick(2) ? "top" : "expert")}})
                                .is_ok());
                    break;
                case 3:
                    REQUIRE(c.add(Kind::kInfluencer, id, "brands",
                                  std::get<std::string>(brands[pick(2)]))
                                .is_ok());
                    break;
                case 4: {
                    auto snap = snapshot_of(c.store(), id);
                    for (const auto& e :
                         elements(*snap, [](const std::string& s) { return s == "brands"; })) {
                        REQUIRE(c.remove(Kind::kInfluencer, id, "brands", e.substr(7)).is_ok());
                        break;
                    }
                    break;
                }
                case 5:
                    if (pick(2))
                        REQUIRE(c.add(Kind::kInfluencer, id, "tags", "vip").is_ok());
                    else
                        REQUIRE(c.add(Kind::kInfluencer, id, "handles",
                                      "instagram:p" + std::to_string(pick(5)) + ":10")
                                    .is_ok());
                    break;
                case 6:
                    if (pick(10) == 0) REQUIRE(c.erase(Kind::kInfluencer, id).is_ok());
                    break;
                case 7: {
                    // D6: a contact logged centrally, at a store or nowhere, or by a tablet
                    // (at its store) on a person it holds, whole or as her directory record.
                    const std::int64_t at = std::int64_t(w.time.now_ms());
                    auto& t = w.tablets[pick(w.tablets.size())];
                    if (pick(2) && snapshot_of(t.node->replica->store(), id))
                        contacts.push_back(log_contact(*t.node->replica, id,
                                                       t.device.scope.stores.front(), at, "t"));
                    else
                        contacts.push_back(log_contact(c, id, places[pick(4)], at, "c"));
                    break;
                }
                case 8:
                    if (!contacts.empty()) {
                        const auto& gone = contacts[pick(contacts.size())];
                        if (row_of(c.store(), Kind::kInteraction, gone))
                            REQUIRE(c.remove_entry(Kind::kInteraction, gone).is_ok());
                    }
                    break;
                default: {
                    // A device syncs, its reply lost one time in five.
                    auto& t = w.tablets[pick(w.tablets.size())];
                    sync_until_quiet(*w.office, w.hub, w.central, "office");
                    auto req = t.node->replica->make_push().value();
                    auto reply = w.hub.exchange(t.device, req);
                    REQUIRE(reply.is_ok());
                    if (pick(5) != 0) REQUIRE(t.node->replica->apply_reply(reply.value()).is_ok());
                }
            }
            w.time.advance(1000);
        }
        w.sync_everyone();
        w.sync_everyone();  // the tablets' last contacts reach the tablets before them
        for (auto& t : w.tablets) {
            check_projection(w, t, people);
            check_marks(w, t, contacts);
            CHECK(must(t.node->replica->state_hash()) ==
                  projection_hash(w.hub, t.device, w.dir.file(t.name + "-fresh.db"), w.time));
        }
    }
}

}  // namespace liaison::test::sync_directory
