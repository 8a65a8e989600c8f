// The SQLite store and the queries the apps need (core/storage/store.hpp, core/query/queries.hpp).
#include <catch2/catch.hpp>

#include "core/query/queries.hpp"
#include "support/harness.hpp"

namespace liaison::test::core_store {
namespace {

using core::Id128;
using core::Kind;
using sync::FieldWrite;

struct World {
    TempDir dir;
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<Node> node = open_node(dir.file("w.db"), time, 4);
    sync::Replica& r = *node->replica;

    Id128 person(const std::string& name, std::vector<FieldWrite> more = {}) {
        more.push_back({"name", name});
        auto id = r.create(Kind::kInfluencer, std::move(more));
        REQUIRE(id.is_ok());
        return id.value();
    }
    Id128 contact(const Id128& who, std::int64_t at, const char* touchpoint = "store") {
        auto id = r.create(Kind::kInteraction, {{"influencer", who.to_text()},
                                                {"at", at},
                                                {"touchpoint", std::string(touchpoint)},
                                                {"department", std::string("retail")}});
        REQUIRE(id.is_ok());
        return id.value();
    }
    std::vector<Id128> search(const char* q) {
        auto hits = core::search_influencers(r.store(), q);
        REQUIRE(hits.is_ok());
        std::vector<Id128> ids;
        for (const auto& h : hits.value()) ids.push_back(h.id);
        return ids;
    }
};

// Turns the op log back into the layout of storage versions 1 to 3 (24-byte stamps and 16-byte
// actor ids in every row, no `idnum`), as a file written by an older build has it.
void oplog_back_to_v3(core::Database& db) {
    struct Row {
        std::string eid, op, actor;
        std::int64_t type, touched;
    };
    std::vector<Row> rows;
    {
        auto st = db.prepare(
            "SELECT eid, hlc, (SELECT id FROM idnum WHERE n=replica),"
            " (SELECT id FROM idnum WHERE n=actor), type, touched FROM oplog");
        REQUIRE(st.is_ok());
        while (st.value().step() == core::Statement::Step::kRow) {
            core::Stamp stamp{std::uint64_t(st.value().column_int(1)),
                              Id128::from_bytes(st.value().column_blob(2).data())};
            auto e = stamp.encode();
            rows.push_back({std::string(st.value().column_blob(0)), std::string(e.begin(), e.end()),
                            std::string(st.value().column_blob(3)), st.value().column_int(4),
                            st.value().column_int(5)});
        }
    }
    REQUIRE(db.exec("DROP TABLE oplog; DROP TABLE idnum;"
                    "CREATE TABLE oplog(eid BLOB NOT NULL, op BLOB NOT NULL, actor BLOB, type "
                    "INTEGER NOT NULL,"
                    " touched INTEGER NOT NULL, PRIMARY KEY(eid, op)) WITHOUT ROWID;")
                .is_ok());
    auto ins = db.prepare("INSERT INTO oplog VALUES(?1,?2,?3,?4,?5)");
    REQUIRE(ins.is_ok());
    for (const auto& r : rows) {
        auto& st = ins.value();
        st.bind_blob(1, r.eid.data(), r.eid.size()).bind_blob(2, r.op.data(), r.op.size());
        if (r.actor.empty())
            st.bind_null(3);
        else
            st.bind_blob(3, r.actor.data(), r.actor.size());
        st.bind(4, r.type).bind(5, r.touched);
        REQUIRE(st.run().is_ok());
        st.reset();
    }
}

}  // namespace

TEST_CASE("a new store is migrated to the current storage version", "[core][store]") {
    World w;
    CHECK(w.r.store().storage_version() == core::kStorageVersion);
}

TEST_CASE("a store written by a newer build is refused, not downgraded", "[core][store][version]") {
    TempDir dir;
    {
        auto s = core::Store::open(dir.file("new.db"), {});
        REQUIRE(s.is_ok());
        REQUIRE(s.value()->db().exec("PRAGMA user_version=99").is_ok());
    }
    auto again = core::Store::open(dir.file("new.db"), {});
    REQUIRE_FALSE(again.is_ok());
    CHECK(again.status().code() == Code::kUnsupportedVersion);
    CHECK(again.status().detail().find("99") != std::string::npos);
}

TEST_CASE("a version 1 store gains prefix indexes and keeps finding everyone",
          "[core][store][version]") {
    World w;
    Id128 a = w.person("Hélène Dupont", {{"email", std::string("helene@example.com")}});
    Id128 b = w.person("Hugo Martin");
    REQUIRE(w.r.add(Kind::kInfluencer, b, "handles", "instagram:hugo.m:1200").is_ok());
    auto before = must(w.r.state_hash());
    // Back to version 1's search index, as a file written by the previous build has it:
    // no prefix indexes, and (to prove the migration refills it) empty.
    oplog_back_to_v3(w.r.store().db());
    REQUIRE(w.r.store()
                .db()
                .exec("DROP TABLE fts_influencer;"
                      "CREATE VIRTUAL TABLE fts_influencer USING fts5(name, email, phone, handles,"
                      " content='', contentless_delete=1,"
                      " tokenize=\"unicode61 remove_diacritics 2\");"
                      "PRAGMA user_version=1")
                .is_ok());
    reopen(*w.node, w.time);
    auto& r = *w.node->replica;
    CHECK(r.store().storage_version() == core::kStorageVersion);
    CHECK(r.store().db().query_int("SELECT count(*) FROM sqlite_master WHERE name='fts_influencer'"
                                   " AND sql LIKE '%prefix=''1 2''%'") == 1);
    CHECK(must(r.state_hash()) == before);
    auto found = [&](const char* q) {
        auto hits = core::search_influencers(r.store(), q);
        REQUIRE(hits.is_ok());
        std::vector<Id128> ids;
        for (const auto& h : hits.value()) ids.push_back(h.id);
        return ids;
    };
    CHECK(found("h") == std::vector<Id128>{a, b});
    CHECK(found("hé dup") == std::vector<Id128>{a});
    CHECK(found("hugo.m") == std::vector<Id128>{b});
}

TEST_CASE("a version 2 store's reference indexes drop their null entries and still answer lists",
          "[core][store][version]") {
    World w;
    auto region = w.r.create(Kind::kRegion, {{"name", std::string("Île-de-France")}});
    auto brand = w.r.create(Kind::kBrand, {{"name", std::string("Maison")}});
    REQUIRE(region.is_ok());
    REQUIRE(brand.is_ok());
    w.person("Zoë Martin", {{"region", region->to_text()}, {"brand", brand->to_text()}});
    w.person("Ana Souza", {{"region", region->to_text()}});
    w.person("Li Wei");
    auto count = [](sync::Replica& r, core::InfluencerFilter f) {
        auto list = core::list_influencers(r.store(), f);
        REQUIRE(list.is_ok());
        return list->size();
    };
    core::InfluencerFilter by_region, by_brand;
    by_region.region = region->to_text();
    by_brand.brand = brand->to_text();
    REQUIRE(count(w.r, by_region) == 2);
    REQUIRE(count(w.r, by_brand) == 1);
    auto before = must(w.r.state_hash());
    auto& db = w.r.store().db();
    const char* partial =
        "SELECT count(*) FROM sqlite_master WHERE type='index' AND sql LIKE '% WHERE %'";
    REQUIRE(db.query_int(partial) > 0);
    // Back to version 2: every reference index holds every row, null or not.
    std::string undo;
    {
        auto st = db.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql LIKE '% WHERE %'");
        REQUIRE(st.is_ok());
        while (st.value().step() == core::Statement::Step::kRow) {
            std::string sql = st.value().column_text(1);
            undo += "DROP INDEX " + st.value().column_text(0) + ";" +
                    sql.substr(0, sql.find(" WHERE ")) + ";";
        }
    }
    oplog_back_to_v3(db);
    REQUIRE(db.exec(undo + "PRAGMA user_version=2").is_ok());
    REQUIRE(db.query_int(partial) == 0);

    reopen(*w.node, w.time);
    auto& r = *w.node->replica;
    CHECK(r.store().storage_version() == core::kStorageVersion);
    auto& again = r.store().db();
    for (const char* index : {"k_influencer_brand", "k_influencer_region", "k_interaction_event"})
        CHECK(again.query_int(std::string("SELECT count(*) FROM sqlite_master WHERE name='") +
                              index + "' AND sql LIKE '% WHERE f_%IS NOT NULL'") == 1);
    // Required references (a check-in's event) keep a full index.
    CHECK(again.query_int("SELECT count(*) FROM sqlite_master WHERE name='k_checkin_event'"
                          " AND sql NOT LIKE '% WHERE %'") == 1);
    // The lists still read the index: `f_brand=?` implies NOT NULL, so SQLite may use it.
    {
        auto plan = again.prepare(
            "EXPLAIN QUERY PLAN SELECT eid FROM k_influencer WHERE created IS NOT NULL"
            " AND f_brand=?1");
        REQUIRE(plan.is_ok());
        std::string details;
        while (plan.value().step() == core::Statement::Step::kRow)
            details += plan.value().column_text(3) + "\n";
        CHECK_THAT(details, Catch::Contains("k_influencer_brand"));
    }
    CHECK(count(r, by_region) == 2);
    CHECK(count(r, by_brand) == 1);
    CHECK(must(r.state_hash()) == before);
}

TEST_CASE("a version 3 store's op log moves to the compact layout with every entry kept",
          "[core][store][version]") {
    World w;
    const Id128 staff = Id128::derive("staff", Id128{}, Id128{});
    w.r.set_actor(staff);
    Id128 a = w.person("Hélène Dupont", {{"email", std::string("helene@example.com")}});
    w.contact(a, 1'700'000'000'000);
    REQUIRE(w.r.add(Kind::kInfluencer, a, "tags", "vip").is_ok());
    w.r.set_actor(Id128{});
    REQUIRE(w.r.set(Kind::kInfluencer, a, {{"tier", std::string("top")}}).is_ok());
    auto oplog = [](core::Store& store, const Id128& id) {
        auto rows = store.op_log({id});
        REQUIRE(rows.is_ok());
        return rows.value();
    };
    auto log_before = oplog(w.r.store(), a);
    REQUIRE(log_before.size() == 3);
    CHECK(log_before[0].actor == staff);
    CHECK(log_before[2].actor.is_nil());
    const auto ops_before = w.r.store().op_count();
    auto before = must(w.r.state_hash());
    oplog_back_to_v3(w.r.store().db());
    REQUIRE(w.r.store().db().exec("PRAGMA user_version=3").is_ok());

    reopen(*w.node, w.time);
    auto& r = *w.node->replica;
    CHECK(r.store().storage_version() == core::kStorageVersion);
    CHECK(r.store().db().query_int(
              "SELECT count(*) FROM pragma_table_info('oplog') WHERE name='hlc'") == 1);
    CHECK(r.store().op_count() == ops_before);
    auto log_after = oplog(r.store(), a);
    REQUIRE(log_after.size() == log_before.size());
    for (std::size_t i = 0; i < log_after.size(); ++i) {
        CHECK(log_after[i].entity == log_before[i].entity);
        CHECK(log_after[i].stamp == log_before[i].stamp);
        CHECK(log_after[i].actor == log_before[i].actor);
        CHECK(log_after[i].type == log_before[i].type);
        CHECK(log_after[i].touched == log_before[i].touched);
        // An operation seen before the migration is still recognised when it comes again.
        CHECK(r.store().has_op(log_before[i].entity, log_before[i].stamp));
    }
    CHECK(must(r.state_hash()) == before);
    // New operations after the migration are logged with their actor.
    r.set_actor(staff);
    REQUIRE(r.set(Kind::kInfluencer, a, {{"tier", std::string("expert")}}).is_ok());
    auto log_new = oplog(r.store(), a);
    REQUIRE(log_new.size() == 4);
    CHECK(log_new.back().actor == staff);
}

TEST_CASE("a version 6 store gains interaction.campaign and keeps every contact",
          "[core][store][version]") {
    World w;
    const Id128 a = w.person("Hélène Dupont");
    const Id128 earlier = w.contact(a, 1'700'000'000'000);
    const auto before = must(w.r.state_hash());
    // Back to version 6, as a file written by the previous build has it: no campaign columns.
    REQUIRE(w.r.store()
                .db()
                .exec("DROP INDEX k_interaction_campaign;"  // version 14's
                      "ALTER TABLE k_interaction DROP COLUMN f_campaign;"
                      "ALTER TABLE k_interaction DROP COLUMN c_campaign;"
                      "PRAGMA user_version=6")
                .is_ok());
    reopen(*w.node, w.time);
    auto& r = *w.node->replica;
    CHECK(r.store().storage_version() == core::kStorageVersion);
    CHECK(r.store().db().query_int("SELECT count(*) FROM pragma_table_info('k_interaction')"
                                   " WHERE name IN ('f_campaign', 'c_campaign')") == 2);
    CHECK(must(r.state_hash()) == before);  // a contact logged before names no campaign
    auto campaign = r.create(Kind::kCampaign, {{"name", std::string("Printemps")}});
    REQUIRE(campaign.is_ok());
    auto logged = r.create(Kind::kInteraction, {{"influencer", a.to_text()},
                                                {"at", std::int64_t(1'700'000'100'000)},
                                                {"touchpoint", std::string("event")},
                                                {"department", std::string("pr")},
                                                {"campaign", campaign->to_text()}});
    REQUIRE(logged.is_ok());
    const int field = core::kind_def(Kind::kInteraction).field_index("campaign");
    auto row = r.store().load_row(Kind::kInteraction, logged.value());
    REQUIRE(row.is_ok());
    REQUIRE(row.value());
    CHECK(row.value()->values[std::size_t(field)] == core::Value(campaign->to_text()));
    auto old_row = r.store().load_row(Kind::kInteraction, earlier);
    REQUIRE(old_row.is_ok());
    REQUIRE(old_row.value());
    CHECK(core::is_null(old_row.value()->values[std::size_t(field)]));
}

// The schema of one table and its indexes, as sqlite_master holds it.
std::string table_schema(core::Database& db, const char* table) {
    auto st = db.prepare(
        "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master"
        " WHERE tbl_name=?1 ORDER BY name)");
    REQUIRE(st.is_ok());
    st.value().bind(1, std::string_view(table));
    REQUIRE(st.value().step() == core::Statement::Step::kRow);
    return st.value().column_text(0);
}

// SQL taking a file back from storage version 14 to 13: record model 7's tables, the click's
// visitor and its index (the conversion's table is dropped by callers going further back).
// Version 17's indexes on the visitor columns go first (a column an index names cannot be
// dropped); version 17 lays them out again.
std::string undo_v14(bool conversion = false) {
    std::string sql =
        "DROP TABLE k_fx_rate; DROP TABLE k_outcome; DROP TABLE k_rate_card; DROP TABLE "
        "k_setting; DROP INDEX k_click_visitor; DROP INDEX k_click_campaign; ALTER TABLE k_click "
        "DROP COLUMN f_visitor; ALTER TABLE k_click DROP COLUMN c_visitor;";
    if (conversion)
        sql +=
            "DROP INDEX k_conversion_visitor; ALTER TABLE k_conversion DROP COLUMN f_visitor; "
            "ALTER TABLE k_conversion DROP COLUMN c_visitor;";
    return sql;
}

// SQL dropping the columns of the fields a record model appended.
std::string drop_columns(const std::vector<std::pair<Kind, std::vector<const char*>>>& added) {
    std::string sql;
    for (const auto& [kind, fields] : added) {
        const std::string t = core::table_name(kind);
        for (const char* f : fields)
            sql += "ALTER TABLE " + t + " DROP COLUMN f_" + f + "; ALTER TABLE " + t +
                   " DROP COLUMN c_" + f + ";";
    }
    return sql;
}

// SQL taking a file back from storage version 16 to 15: the column of record model 9's field.
std::string undo_v16() { return drop_columns(core::record_model_9_fields()); }

// SQL taking a file back from storage version 16 to 14: record model 9's column (a column
// left would stand before those the migrations add again, unlike a new file's), record model
// 8's tables and the columns of the fields it appended.
std::string undo_v15() {
    return undo_v16() +
           "DROP TABLE k_vetting; DROP TABLE k_intermediary; DROP TABLE k_gdpr_request;" +
           drop_columns(core::record_model_8_fields());
}

// Takes the file back to an earlier version with `undo` (SQL ending with its PRAGMA
// user_version), reopens it, and checks that the migrations laid `tables` out again as a new
// file has them (`fresh`), the state unchanged.
sync::Replica& migrated_again(World& w, const std::string& undo,
                              const std::vector<std::string>& tables,
                              const std::vector<std::string>& fresh, const std::string& before) {
    REQUIRE(w.r.store().db().exec(undo).is_ok());
    reopen(*w.node, w.time);
    auto& r = *w.node->replica;
    CHECK(r.store().storage_version() == core::kStorageVersion);
    for (std::size_t i = 0; i < tables.size(); ++i) {
        INFO(tables[i]);
        CHECK(table_schema(r.store().db(), tables[i].c_str()) == fresh[i]);
    }
    CHECK(must(r.state_hash()) == before);
    return r;
}

namespace {

// What a version test starts from: a store holding one person and one contact, its state hash,
// and the schemas of `tables` as this build lays them out; `back_to` takes it back with SQL and
// reopens it (migrated_again).
struct Versioned {
    World w;
    Id128 person;
    std::string before;
    std::vector<std::string> tables, fresh;
    explicit Versioned(std::vector<std::string> names) : tables(std::move(names)) {
        person = w.person("Hélène Dupont");
        w.contact(person, 1'700'000'000'000);
        before = must(w.r.state_hash());
        for (const auto& t : tables) fresh.push_back(table_schema(w.r.store().db(), t.c_str()));
    }
    sync::Replica& back_to(const std::string& undo) {
        return migrated_again(w, undo, tables, fresh, before);
    }
};

}  // namespace

TEST_CASE("a version 11 store gains the invitations table laid out as a new file has it",
          "[core][store][version]") {
    World w;
    const Id128 a = w.person("Hélène Dupont");
    w.contact(a, 1'700'000'000'000);
    const auto before = must(w.r.state_hash());
    const std::string fresh = table_schema(w.r.store().db(), "k_invitation");
    REQUIRE(fresh.find("CREATE TABLE k_invitation") != std::string::npos);
    // Back to version 11, as a file written by the previous build has it: no such kind.
    REQUIRE(w.r.store().db().exec("DROP TABLE k_invitation; PRAGMA user_version=11").is_ok());
    reopen(*w.node, w.time);
    auto& r = *w.node->replica;
    CHECK(r.store().storage_version() == core::kStorageVersion);
    // The same columns and the same indexes (partial where the reference may be null).
    CHECK(table_schema(r.store().db(), "k_invitation") == fresh);
    CHECK(must(r.state_hash()) == before);
    auto event = r.create(Kind::kEvent, {{"name", std::string("Vernissage")},
                                         {"starts", std::int64_t(1'700'000'100'000)}});
    REQUIRE(event.is_ok());
    auto invited = r.create(Kind::kInvitation, {{"event", event->to_text()},
                                                {"influencer", a.to_text()},
                                                {"at", std::int64_t(1'700'000'050'000)},
                                                {"status", std::string("invited")}});
    REQUIRE(invited.is_ok());
    auto row = r.store().load_row(Kind::kInvitation, invited.value());
    REQUIRE(row.is_ok());
    CHECK(row.value());
}

TEST_CASE("a version 12 store gains record model 6 laid out as a new file has it",
          "[core][store][version]") {
    World w;
    const Id128 a = w.person("Hélène Dupont");
    w.contact(a, 1'700'000'000'000);
    const auto before = must(w.r.state_hash());
    // What version 13 added: two kinds, and fields appended to seven.
    const std::vector<std::pair<Kind, std::vector<std::string>>> added = {
        {Kind::kProgramme, {"budget", "currency"}},
        {Kind::kCampaign, {"store", "product_category", "targets"}},
        {Kind::kCollaboration,
         {"in_kind_value", "product", "contract_status", "contract_date", "promo_code", "link",
          "shipped", "tracking", "return_due", "returned", "store"}},
        {Kind::kContent,
         {"collaboration", "handle", "impressions", "likes", "comments", "shares", "saves",
          "video_views", "disclosure_proof", "store"}},
        {Kind::kTrackedLink, {"store", "collaboration"}},
        {Kind::kClick, {"campaign", "brand", "region", "store"}},
        {Kind::kBrand, {"competitor"}}};
    std::vector<std::string> tables = {"k_collaboration_step", "k_conversion"};
    for (const auto& [kind, fields] : added) tables.push_back(core::table_name(kind));
    std::vector<std::string> fresh;
    for (const auto& t : tables) fresh.push_back(table_schema(w.r.store().db(), t.c_str()));
    // Back to version 12, as a file written by that build has it: without record model 7's
    // and 8's additions either (versions 14 and 15).
    std::string undo =
        "DROP TABLE k_collaboration_step; DROP TABLE k_conversion;" + undo_v14() + undo_v15();
    for (const auto& [kind, fields] : added)
        for (const auto& f : fields) {
            const std::string t = core::table_name(kind);
            undo += "DROP INDEX IF EXISTS " + t + "_" + f + "; ALTER TABLE " + t +
                    " DROP COLUMN f_" + f + "; ALTER TABLE " + t + " DROP COLUMN c_" + f + ";";
        }
    auto& r = migrated_again(w, undo + "PRAGMA user_version=12", tables, fresh, before);
    auto campaign = r.create(Kind::kCampaign, {{"name", std::string("Printemps")},
                                               {"targets", std::string("outputs.reach=1000")}});
    REQUIRE(campaign.is_ok());
    auto order = r.create(Kind::kConversion,
                          {{"shop", std::string("shop")},
                           {"order_ref", std::string("A-1")},
                           {"at", std::int64_t(1'700'000'050'000)},
                           {"value", std::int64_t(4200)},
                           {"currency", std::string("EUR")},
                           {"campaign", campaign->to_text()}},
                          Id128::derive("conversion", "shop", "A-1"));
    REQUIRE(order.is_ok());
}

TEST_CASE("a version 13 store gains record model 7 laid out as a new file has it",
          "[core][store][version]") {
    Versioned v({"k_fx_rate", "k_outcome", "k_rate_card", "k_setting", "k_click", "k_conversion"});
    auto& r = v.back_to(undo_v14(true) + "PRAGMA user_version=13");
    auto rate = r.create(Kind::kFxRate, {{"date", std::string("2026-03-01")},
                                         {"base", std::string("USD")},
                                         {"quote", std::string("EUR")},
                                         {"rate", std::int64_t(920000)}});
    REQUIRE(rate.is_ok());
}

TEST_CASE("a version 14 store gains record model 8 laid out as a new file has it",
          "[core][store][version]") {
    std::vector<std::string> tables = {"k_vetting", "k_intermediary", "k_gdpr_request"};
    for (const auto& [kind, fields] : core::record_model_8_fields())
        tables.push_back(core::table_name(kind));
    Versioned v(tables);
    const Id128 a = v.person;
    auto& r = v.back_to(undo_v15() + "PRAGMA user_version=14");
    // The new fields and kinds are written and read back.
    REQUIRE(r.set(Kind::kInfluencer, a,
                  {{"birth_date", std::string("2010-05-01")}, {"legal_hold", std::int64_t(1)}})
                .is_ok());
    auto request = r.create(Kind::kGdprRequest, {{"influencer", a.to_text()},
                                                 {"type", std::string("objection")},
                                                 {"received", std::string("2026-12-01")}});
    REQUIRE(request.is_ok());
    auto row = r.store().load_row(Kind::kInfluencer, a);
    REQUIRE(row.is_ok());
    REQUIRE(row.value());
    CHECK(*row.value()->text("birth_date") == "2010-05-01");
}

TEST_CASE(
    "a version 15 store gains record model 9's promotion condition laid out as a new file has it",
    "[core][store][version]") {
    std::vector<std::string> tables;
    for (const auto& [kind, fields] : core::record_model_9_fields())
        tables.push_back(core::table_name(kind));
    Versioned v(tables);
    REQUIRE(v.fresh[0].find("f_promotion_condition") != std::string::npos);
    auto& r = v.back_to(undo_v16() + "PRAGMA user_version=15");
    auto campaign = r.create(Kind::kCampaign, {{"name", std::string("Jeux d'été")},
                                               {"product_category", std::string("gambling")},
                                               {"promotion_condition", std::string("age_gated")}});
    REQUIRE(campaign.is_ok());
    auto row = r.store().load_row(Kind::kCampaign, campaign.value());
    REQUIRE(row.is_ok());
    REQUIRE(row.value());
    CHECK(*row.value()->text("promotion_condition") == "age_gated");
}

TEST_CASE("a version 16 store gains the reports' indexes laid out as a new file has them",
          "[core][store][version]") {
    Versioned v({"k_click", "k_tracked_link", "k_conversion"});
    REQUIRE(v.fresh[0].find("k_click(f_campaign, f_at, f_visitor, created, deleted)") !=
            std::string::npos);
    REQUIRE(v.fresh[2].find("k_conversion_visitor") != std::string::npos);
    // Version 16 had the click's campaign alone, and none of the others.
    v.back_to(
        "DROP INDEX k_click_campaign; CREATE INDEX k_click_campaign ON k_click(f_campaign) WHERE "
        "f_campaign IS NOT NULL; DROP INDEX k_tracked_link_campaign; DROP INDEX "
        "k_conversion_promo_code; DROP INDEX k_conversion_visitor; PRAGMA user_version=16");
}

TEST_CASE("a version 17 store gains the collaborations' promo code index as a new file has it",
          "[core][store][version]") {
    Versioned v({"k_collaboration"});
    REQUIRE(v.fresh[0].find("k_collaboration_promo_code ON k_collaboration(f_promo_code) WHERE "
                            "f_promo_code IS NOT NULL") != std::string::npos);
    v.back_to("DROP INDEX k_collaboration_promo_code; PRAGMA user_version=17");
}

TEST_CASE("everything written is still there after the file is reopened", "[core][store]") {
    World w;
    Id128 a = w.person("Hélène Dupont", {{"email", std::string("helene@example.com")}});
    w.contact(a, 1'700'000'000'000);
    REQUIRE(w.r.add(Kind::kInfluencer, a, "tags", "vip").is_ok());
    auto before = must(w.r.state_hash());
    auto pending = w.r.pending();
    reopen(*w.node, w.time);
    auto& r = *w.node->replica;
    CHECK(must(r.state_hash()) == before);
    CHECK(r.pending() == pending);
    CHECK(core::search_influencers(r.store(), "helene")->size() == 1);
}

TEST_CASE("search ignores case and accents: 'helene' finds 'Hélène'", "[core][query][search]") {
    World w;
    Id128 a = w.person("Hélène Dupont");
    w.person("Zoë Martin");
    CHECK(w.search("helene") == std::vector<Id128>{a});
    CHECK(w.search("HÉLÈNE") == std::vector<Id128>{a});
    CHECK(w.search("hel dup") == std::vector<Id128>{a});  // prefixes of every word, as you type
    CHECK(w.search("zoe").size() == 1);
    CHECK(w.search("nobody").empty());
    CHECK(w.search("").empty());
}

TEST_CASE("search finds people by e-mail, handle and phone in either form",
          "[core][query][search]") {
    World w;
    Id128 a = w.person("Ana Souza", {{"email", std::string("ana.souza@example.com")},
                                     {"phone", std::string("+33 6 12 34 56 78")}});
    REQUIRE(w.r.add(Kind::kInfluencer, a, "handles", "instagram:@anasouza.beauty:120000").is_ok());
    CHECK(w.search("ana.souza@example.com") == std::vector<Id128>{a});
    CHECK(w.search("@anasouza") == std::vector<Id128>{a});
    CHECK(w.search("+33 6 12 34 56 78") == std::vector<Id128>{a});
    CHECK(w.search("06 12 34 56 78") == std::vector<Id128>{a});
    CHECK(w.search("0612345678") == std::vector<Id128>{a});
    // Removing the handle removes it from the index.
    REQUIRE(
        w.r.remove(Kind::kInfluencer, a, "handles", "instagram:anasouza.beauty:120000").is_ok());
    CHECK(w.search("anasouza").empty());
}

TEST_CASE(
    "search ranks names that begin with the query, then names containing it, then other fields",
    "[core][query][search]") {
    World w;
    // Created in an order that neither creation order nor its reverse would give.
    Id128 inside = w.person("Ana Dupont");
    Id128 first = w.person("Dupont Hugo");
    Id128 by_mail = w.person("Zoé Petit", {{"email", std::string("dupont.fan@example.com")}});
    Id128 second = w.person("Dupont Léa");
    CHECK(w.search("dupont") == std::vector<Id128>{first, second, inside, by_mail});
    CHECK(w.search("dup") == std::vector<Id128>{first, second, inside, by_mail});
    // Every word counts, in order for the first tier: "dupont l" begins "Dupont Léa" only.
    CHECK(w.search("dupont l") == std::vector<Id128>{second});
    auto hits = core::search_influencers(w.r.store(), "Dupont");
    REQUIRE(hits.is_ok());
    REQUIRE(hits->size() == 4);
    CHECK(hits.value()[0].rank == 0);
    CHECK(hits.value()[2].rank == 1);
    CHECK(hits.value()[3].rank == 2);
}

TEST_CASE("a query matching more people than the search window ranks the newest matches only",
          "[core][query][search]") {
    World w;
    std::vector<Id128> made;
    for (int i = 0; i < 8; ++i) made.push_back(w.person("Camille " + std::to_string(i)));
    auto ids_of = [&](std::size_t limit, std::size_t window) {
        auto hits = core::search_influencers(w.r.store(), "camille", limit, window);
        REQUIRE(hits.is_ok());
        std::vector<Id128> ids;
        for (const auto& h : hits.value()) ids.push_back(h.id);
        return ids;
    };
    CHECK(ids_of(3, 3) == std::vector<Id128>{made[5], made[6], made[7]});  // the newest three
    CHECK(ids_of(2, 3) == std::vector<Id128>{made[5], made[6]});           // ranked by name
    // The window is never smaller than the limit: all eight are found when twenty are asked for.
    CHECK(ids_of(20, 1).size() == 8);
}

TEST_CASE("search input with FTS syntax is treated as plain words",
          "[core][query][search][hostile]") {
    World w;
    w.person("O'Brien \"Quote\" NEAR(x)");
    for (const char* q :
         {"\"", "NEAR(", "o'brien", "* OR *", "a AND", "^", "(((", "col:val", "-x"}) {
        auto hits = core::search_influencers(w.r.store(), q);
        INFO(q);
        CHECK(hits.is_ok());
    }
    CHECK(w.search("o'brien").size() == 1);
}

TEST_CASE("the timeline lists every contact with a person, newest first",
          "[core][query][timeline]") {
    World w;
    Id128 a = w.person("Hélène Dupont"), b = w.person("Zoë Martin");
    Id128 first = w.contact(a, 1'700'000'000'000),
          second = w.contact(a, 1'700'000'500'000, "email");
    w.contact(b, 1'700'000'600'000);
    auto event = w.r.create(Kind::kEvent, {{"name", std::string("Launch")},
                                           {"starts", std::int64_t(1'700'000'700'000)}});
    REQUIRE(event.is_ok());
    auto ci = w.r.create(Kind::kCheckin,
                         {{"event", event->to_text()},
                          {"influencer", a.to_text()},
                          {"at", std::int64_t(1'700'000'800'000)}},
                         Id128::derive("checkin", event.value(), a));
    REQUIRE(ci.is_ok());
    auto tl = core::timeline(w.r.store(), a);
    REQUIRE(tl.is_ok());
    REQUIRE(tl->size() == 3);
    CHECK(tl.value()[0].row.id == ci.value());
    CHECK(tl.value()[1].row.id == second);
    CHECK(tl.value()[2].row.id == first);
    // A deleted entry leaves the timeline.
    REQUIRE(w.r.remove_entry(Kind::kInteraction, second).is_ok());
    CHECK(core::timeline(w.r.store(), a)->size() == 2);
}

TEST_CASE("influencers are listed by region, store and owner", "[core][query][lists]") {
    World w;
    auto region = w.r.create(Kind::kRegion, {{"name", std::string("Île-de-France")}});
    auto other = w.r.create(Kind::kRegion, {{"name", std::string("Occitanie")}});
    REQUIRE(region.is_ok());
    REQUIRE(other.is_ok());
    w.person("Zoë Martin", {{"region", region->to_text()}});
    w.person("Ana Souza", {{"region", region->to_text()}});
    w.person("Li Wei", {{"region", other->to_text()}});
    core::InfluencerFilter f;
    f.region = region->to_text();
    auto list = core::list_influencers(w.r.store(), f);
    REQUIRE(list.is_ok());
    REQUIRE(list->size() == 2);
    CHECK(std::get<std::string>(list.value()[0].values[0]) == "Ana Souza");  // by name
    f.region = "not an id";
    CHECK(core::list_influencers(w.r.store(), f).status().code() == Code::kBadFormat);
}

TEST_CASE("contact pressure counts contacts in the window, across merged duplicates",
          "[core][query][pressure]") {
    World w;
    Id128 a = w.person("Hélène Dupont"), dup = w.person("Helene Dupont");
    w.contact(a, 1'700'000'000'000);
    w.contact(a, 1'702'000'000'000);
    w.contact(dup, 1'702'100'000'000);
    CHECK(core::contact_count(w.r.store(), a, 1'701'000'000'000).value() == 1);
    REQUIRE(w.r.merge(dup, a).is_ok());
    CHECK(core::contact_count(w.r.store(), a, 1'701'000'000'000).value() == 2);
    CHECK(core::contact_count(w.r.store(), dup, 0).value() == 3);
}

}  // namespace liaison::test::core_store
