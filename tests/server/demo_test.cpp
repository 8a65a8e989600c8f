// The demo data (server/demo/demo.hpp) in process: valid, complete, reproducible.
#include "server/demo/demo.hpp"

#include <catch2/catch.hpp>

#include "core/query/duplicates.hpp"
#include "core/query/pipeline.hpp"
#include "core/query/queries.hpp"
#include "server/admin/accounts.hpp"
#include "server_store.hpp"
#include "support/harness.hpp"

namespace liaison::test::server_demo {
namespace {

struct Demo {
    std::unique_ptr<core::Store> store;
    server::DemoSummary summary;
};
// The demo made in process at a fixed time, as serve --demo makes it: through the hub.
Demo load_demo_db(const std::string& path, int influencers, int interactions) {
    auto store = server_store(path);
    REQUIRE(store->meta_set("server_replica_id", "01M83ZSHHP3YVZMJGKYJTES1GE").is_ok());
    REQUIRE(server::database_is_empty(*store));
    sync::ManualTimeSource time(1'800'000'000'000ULL);
    sync::Hub hub(*store, time);
    server::DemoOptions o;
    o.influencers = influencers;
    o.interactions = interactions;
    auto summary = server::load_demo(*store, hub, o);
    REQUIRE(summary.is_ok());
    INFO(summary->first_rejection);
    CHECK(summary->rejected == 0);
    CHECK(summary->users.size() == 5);
    return Demo{std::move(store), std::move(summary).value()};
}

// Rows of `kind` matching an SQL condition on its columns (f_<field>).
std::int64_t rows_where(core::Store& store, core::Kind kind, const std::string& where = "1") {
    return store.db()
        .query_int("SELECT count(*) FROM " + core::table_name(kind) + " WHERE " + where)
        .value_or(-1);
}

}  // namespace

TEST_CASE("the demo data is valid, complete and the same for the same seed", "[server][demo]") {
    TempDir dir;
    auto load = [&](const std::string& name, int influencers, int interactions) {
        auto store = load_demo_db(dir.file(name), influencers, interactions).store;
        CHECK_FALSE(server::database_is_empty(*store));
        auto logins = server::issue_demo_tokens(*store);
        REQUIRE(logins.is_ok());
        CHECK(logins->size() == 5);
        return std::make_pair(must(store->state_hash()), std::move(store));
    };
    auto [full_hash, full] = load("full.db", 2000, 20000);
    auto count = [&](const char* table) {
        return full->db().query_int(std::string("SELECT count(*) FROM ") + table).value_or(-1);
    };
    CHECK(count(core::table_name(core::Kind::kInfluencer).c_str()) == 2000);
    CHECK(count(core::table_name(core::Kind::kInteraction).c_str()) == 20000);
    CHECK(count(core::table_name(core::Kind::kStore).c_str()) == 10);
    CHECK(count(core::table_name(core::Kind::kStaff).c_str()) == 54);  // 50 in stores, 4 not
    CHECK(count(core::table_name(core::Kind::kEvent).c_str()) == 5);
    CHECK(count(core::table_name(core::Kind::kCheckin).c_str()) > 100);

    auto a = load("a.db", 100, 500);
    auto b = load("b.db", 100, 500);
    CHECK(a.first == b.first);
}

// Item 6 of issue 15: the demo shows the whole model, so that every part of the card and of
// the REST collections has something to show on first start.
TEST_CASE(
    "the demo seeds every kind, every collaboration type, vetting result and consent "
    "basis, people known at two stores, likely duplicates and users acting as staff",
    "[server][demo]") {
    TempDir dir;
    auto [store, summary] = load_demo_db(dir.file("model.db"), 300, 3000);
    REQUIRE(summary.rejected == 0);
    auto& db = store->db();
    auto count = [&](core::Kind kind, const std::string& where = "1") {
        return rows_where(*store, kind, where);
    };

    for (const auto& k : core::all_kinds()) {
        INFO(k.name);
        CHECK(count(k.kind) > 0);
    }
    // Every value of the enums the card shows.
    const auto every_value = [&](core::Kind kind, const char* field) {
        const auto& def = core::kind_def(kind);
        for (const auto& v : def.fields[std::size_t(def.field_index(field))].choices) {
            INFO(def.name << "." << field << " = " << v);
            CHECK(count(kind, std::string("f_") + field + " = '" + v + "'") > 0);
        }
    };
    every_value(core::Kind::kCollaboration, "type");
    every_value(core::Kind::kInfluencer, "vetting");
    every_value(core::Kind::kInfluencer, "consent");
    every_value(core::Kind::kInfluencer, "consent_basis");
    every_value(core::Kind::kInfluencer, "status");
    CHECK(count(core::Kind::kInfluencer, "f_vetting_notes IS NOT NULL") > 0);

    // The fields that make each kind worth showing.
    CHECK(count(core::Kind::kCampaign, "f_programme IS NOT NULL AND f_budget > 0") > 0);
    CHECK(count(core::Kind::kCollaboration,
                "f_fee > 0 AND f_contract_ref IS NOT NULL AND f_campaign IS NOT NULL") > 0);
    CHECK(count(core::Kind::kCollaboration, "f_intermediary IS NOT NULL") > 0);
    CHECK(count(core::Kind::kCollaboration, "f_disclosure_required = 1") > 0);
    CHECK(count(core::Kind::kContent,
                "f_reach > 0 AND f_engagements > 0 AND f_tone IS NOT NULL "
                "AND f_campaign IS NOT NULL") > 0);
    CHECK(count(core::Kind::kContent, "f_disclosure_found = 0") > 0);
    CHECK(count(core::Kind::kContent, "f_disclosure_found = 1") > 0);
    CHECK(count(core::Kind::kClick) > count(core::Kind::kTrackedLink));

    // Brands: every store names one, so that its devices hold its brand's directory (D1); most
    // people name one.
    CHECK(count(core::Kind::kStore, "f_brand IS NULL") == 0);
    CHECK(count(core::Kind::kInfluencer, "f_brand IS NOT NULL") * 10 >=
          count(core::Kind::kInfluencer) * 9);
    // Interactions name the staff member who logged them, and a good share their campaign.
    const auto interactions = count(core::Kind::kInteraction);
    CHECK(count(core::Kind::kInteraction, "f_staff IS NULL") == 0);
    CHECK(count(core::Kind::kInteraction, "f_campaign IS NOT NULL") * 10 >= interactions);

    // People known at two stores: contacts logged at two different stores.
    CHECK(db.query_int("SELECT count(*) FROM (SELECT f_influencer FROM " +
                       core::table_name(core::Kind::kInteraction) +
                       " WHERE f_store IS NOT NULL GROUP BY f_influencer"
                       " HAVING count(DISTINCT f_store) >= 2)")
              .value_or(0) > 0);

    // Likely duplicates: someone registered twice whom the duplicate finder proposes by a
    // shared handle (a name alone is shared by many people in the demo, and proves nothing).
    const int handles = core::kind_def(core::Kind::kInfluencer).set_index("handles");
    auto rows =
        db.prepare("SELECT i.f_name, s.elem FROM " + core::table_name(core::Kind::kInfluencer) +
                   " i JOIN sdot s ON s.eid = i.eid AND s.sidx = " + std::to_string(handles) +
                   " AND s.removed = 0");
    REQUIRE(rows.is_ok());
    std::vector<std::pair<std::string, std::string>> people;
    while (rows->step() == core::Statement::Step::kRow)
        people.emplace_back(rows->column_text(0), rows->column_text(1));
    rows->reset();
    REQUIRE(people.size() >= 300);
    std::size_t pairs = 0;
    for (const auto& [name, handle] : people) {
        core::DuplicateQuery q;
        q.name = name;
        q.handles = {handle};
        auto hits = core::find_duplicates(*store, q);
        REQUIRE(hits.is_ok());
        std::size_t same_handle = 0;
        for (const auto& h : hits.value())
            for (const auto& why : h.reasons) same_handle += why == "handle";
        if (same_handle >= 2) ++pairs;  // herself and her second record
    }
    CHECK(pairs >= 2);

    // Every demo user acts as a staff member the central record holds (A1).
    REQUIRE(summary.users.size() == 5);
    for (std::int64_t user : summary.users) {
        INFO("user " << user);
        auto linked = core::list_user_staff(*store, user);
        REQUIRE(linked.is_ok());
        CHECK_FALSE(linked->empty());
        for (const auto& id : linked.value()) {
            auto row = core::get_entity(*store, core::Kind::kStaff, *core::Id128::from_text(id));
            REQUIRE(row.is_ok());
            CHECK(row->has_value());
        }
    }
}

}  // namespace liaison::test::server_demo

namespace liaison::test::server_demo {

// Item 7 of issue 17: programmes, campaigns, collaborations along the pipeline, content, links,
// clicks and conversions, so that every screen of the programmes room shows something.
TEST_CASE(
    "the demo runs programmes: every pipeline status reached through its steps, content for "
    "collaborations, links, clicks and orders, and a store's own campaign",
    "[server][demo]") {
    TempDir dir;
    auto [store, summary] = load_demo_db(dir.file("programmes.db"), 300, 3000);
    REQUIRE(summary.rejected == 0);
    auto& db = store->db();
    auto count = [&](core::Kind kind, const std::string& where = "1") {
        return rows_where(*store, kind, where);
    };
    using core::Kind;
    CHECK(count(Kind::kProgramme, "f_budget > 0 AND f_currency = 'EUR'") ==
          count(Kind::kProgramme));
    CHECK(count(Kind::kCampaign,
                "f_targets IS NOT NULL AND f_product_category IS NOT NULL AND "
                "f_currency IS NOT NULL") == count(Kind::kCampaign));
    // A store's own campaign, whose collaborations, links, clicks and orders stay in its scope.
    CHECK(count(Kind::kCampaign, "f_store IS NOT NULL") == 1);
    for (Kind kind : {Kind::kCollaboration, Kind::kTrackedLink, Kind::kClick, Kind::kConversion,
                      Kind::kContent}) {
        INFO(core::kind_def(kind).name);
        CHECK(count(kind, "f_store IS NOT NULL AND f_campaign IN (SELECT eid FROM " +
                              core::table_name(Kind::kCampaign) + " WHERE f_store IS NOT NULL)") >
              0);
    }

    // Every type and every status of the pipeline, each reached through its steps.
    for (const auto& type :
         core::kind_def(Kind::kCollaboration)
             .fields[std::size_t(core::kind_def(Kind::kCollaboration).field_index("type"))]
             .choices) {
        INFO(type);
        CHECK(count(Kind::kCollaboration, "f_type = '" + type + "'") > 0);
    }
    for (auto status : core::pipeline_statuses()) {
        INFO(status);
        CHECK(count(Kind::kCollaboration, "f_status = '" + std::string(status) + "'") > 0);
    }
    CHECK(count(Kind::kCollaboration, "f_status IN ('active', 'completed')") == 0);
    auto ids = core::entity_ids(*store, Kind::kCollaboration, {});
    REQUIRE(ids.is_ok());
    std::size_t flagged = 0, bounced = 0;
    for (const auto& id : ids.value()) {
        auto p = core::collaboration_pipeline(*store, id);
        REQUIRE(p.is_ok());
        INFO(id.to_text() << " " << p->status);
        CHECK_FALSE(p->out_of_step);
        CHECK(p->steps.empty() == (p->status == "proposed"));
        if (!p->steps.empty()) CHECK(p->steps.back().to == p->status);
        flagged += p->flagged;
        for (std::size_t i = 1; i < p->steps.size(); ++i)
            bounced += p->steps[i].from == "delivered" && p->steps[i].to == "live";
    }
    CHECK(flagged == 1);  // the store campaign's step made out of order (P4)
    CHECK(bounced > 0);   // content turned down at validation
    // What is given and what it is worth, the contract, the codes, the shipment, a loan's return.
    CHECK(count(Kind::kCollaboration, "f_fee > 0 AND f_currency = 'EUR'") > 0);
    CHECK(count(Kind::kCollaboration, "f_in_kind_value > 0 AND f_product IS NOT NULL") > 0);
    CHECK(count(Kind::kCollaboration,
                "f_contract_status = 'signed' AND f_contract_date IS NOT NULL") > 0);
    CHECK(count(Kind::kCollaboration, "f_promo_code IS NOT NULL AND f_link IS NOT NULL") > 0);
    CHECK(count(Kind::kCollaboration,
                "f_type = 'loan' AND f_shipped IS NOT NULL AND "
                "f_return_due IS NOT NULL AND f_returned IS NOT NULL") > 0);
    const auto& collab = core::kind_def(Kind::kCollaboration);
    CHECK(db.query_int("SELECT count(*) FROM sdot WHERE sidx = " +
                       std::to_string(collab.set_index("deliverables_due")) + " AND removed = 0")
              .value_or(0) > 0);

    // Content for a collaboration and organic content, with metrics; competitors named.
    CHECK(count(Kind::kContent, "f_collaboration IS NOT NULL AND f_impressions > 0") > 0);
    CHECK(count(Kind::kContent, "f_collaboration IS NULL") > 0);
    CHECK(count(Kind::kBrand, "f_competitor = 1") > 0);
    CHECK(count(Kind::kTrackedLink, "f_collaboration IS NOT NULL") == count(Kind::kTrackedLink));

    // Clicks carry their campaign's scope keys; orders their value, currency and derived id.
    CHECK(count(Kind::kClick, "f_campaign IS NULL OR f_brand IS NULL") == 0);
    CHECK(count(Kind::kClick, "f_conversion IS NOT NULL OR f_value IS NOT NULL") == 0);
    CHECK(count(Kind::kConversion,
                "f_value > 0 AND f_currency = 'EUR' AND f_campaign IS NOT NULL "
                "AND f_brand IS NOT NULL") == count(Kind::kConversion));
    CHECK(count(Kind::kConversion, "f_link IS NOT NULL") > 0);
    CHECK(count(Kind::kConversion, "f_link IS NULL AND f_promo_code IS NOT NULL") > 0);
    auto rows =
        db.prepare("SELECT eid, f_shop, f_order_ref FROM " + core::table_name(Kind::kConversion));
    REQUIRE(rows.is_ok());
    std::size_t orders = 0;
    while (rows->step() == core::Statement::Step::kRow) {
        ++orders;
        CHECK(core::Id128::from_bytes(rows->column_blob(0).data()) ==
              core::Id128::derive("conversion", rows->column_text(1), rows->column_text(2)));
    }
    rows->reset();
    CHECK(orders > 5);
}

}  // namespace liaison::test::server_demo
