// The reports' golden fixture: docs/METRICS.md, "Worked example", lists the same entries.
#include "support/reports_fixture.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "core/query/reports/context.hpp"

namespace liaison::test {

using core::Id128;
using core::Kind;
using sync::FieldWrite;

std::int64_t utc(const std::string& when) {
    std::int64_t ms = core::reports::days_of(when.substr(0, 10)) * core::reports::kDayMs;
    if (when.size() >= 16)
        ms += (std::stoll(when.substr(11, 2)) * 60 + std::stoll(when.substr(14, 2))) * 60000;
    return ms;
}

core::ReportQuery query(const std::string& report) {
    core::ReportQuery q;
    q.report = report;
    return q;
}

Id128 ReportsFixture::make(Kind kind, const std::string& name, std::vector<FieldWrite> fields,
                           std::optional<Id128> with_id) {
    auto made = node->replica->create(kind, std::move(fields), with_id);
    INFO(name << ": " << made.status().to_string());
    REQUIRE(made.is_ok());
    id[name] = made.value();
    return made.value();
}

core::Store& ReportsFixture::store() {
    sync::DeviceContext central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    sync_until_quiet(*node, hub, central, "reports fixture");
    return *central_store;
}

ReportsFixture::ReportsFixture()
    : node(open_node(dir.file("reports.db"), time, 18)),
      central_store(open_hub_store(dir.file("central.db"))),
      hub(*central_store, time) {
    auto& r = *node->replica;
    auto text = [](const char* v) { return core::Value(std::string(v)); };
    auto num = [](std::int64_t v) { return core::Value(v); };

    // Brands, places, staff.
    make(Kind::kBrand, "MAISON", {{"name", text("Maison")}});
    make(Kind::kBrand, "RIVAL", {{"name", text("Rival")}, {"competitor", num(1)}});
    make(Kind::kBrand, "OTHER", {{"name", text("Other")}, {"competitor", num(1)}});
    REQUIRE(r.add(Kind::kBrand, id["MAISON"], "markets", "FR").is_ok());
    REQUIRE(r.add(Kind::kBrand, id["RIVAL"], "markets", "FR").is_ok());
    REQUIRE(r.add(Kind::kBrand, id["OTHER"], "markets", "GB").is_ok());
    make(Kind::kRegion, "NORTH", {{"name", text("North")}});
    make(Kind::kRegion, "SOUTH", {{"name", text("South")}});
    make(Kind::kStore, "LILLE",
         {{"name", text("Lille")}, {"region", ref("NORTH")}, {"brand", ref("MAISON")}});
    make(Kind::kStore, "NICE",
         {{"name", text("Nice")}, {"region", ref("SOUTH")}, {"brand", ref("MAISON")}});
    make(Kind::kStaff, "sam", {{"name", text("Sam")}, {"region", ref("NORTH")}});
    make(Kind::kStaff, "tess", {{"name", text("Tess")}, {"region", ref("SOUTH")}});

    // The programme and its campaigns.
    make(Kind::kProgramme, "SPRING",
         {{"name", text("Spring")},
          {"brand", ref("MAISON")},
          {"budget", num(1500000)},
          {"currency", text("EUR")},
          {"starts", text("2026-03-01")},
          {"ends", text("2026-05-31")}});
    make(Kind::kCampaign, "LAUNCH",
         {{"name", text("Launch")},
          {"programme", ref("SPRING")},
          {"brand", ref("MAISON")},
          {"region", ref("NORTH")},
          {"budget", num(800000)},
          {"currency", text("EUR")},
          {"starts", text("2026-03-01")},
          {"ends", text("2026-03-31")},
          {"targets",
           text("outputs.reach=40000\nouttakes.engagements=3000\noutcomes.conversions=5")}});
    make(Kind::kCampaign, "SUMMER",
         {{"name", text("Summer")},
          {"programme", ref("SPRING")},
          {"brand", ref("MAISON")},
          {"region", ref("SOUTH")},
          {"budget", num(300000)},
          {"currency", text("EUR")},
          {"starts", text("2026-03-01")},
          {"ends", text("2026-04-30")}});

    // The people: the pyramid's tiers, owners, regions.
    auto person = [&](const char* name, const char* tier, const char* region, const char* owner) {
        std::vector<FieldWrite> f = {{"name", text(name)},
                                     {"tier", text(tier)},
                                     {"region", ref(region)},
                                     {"country", text("FR")}};
        if (owner) f.push_back({"owner", ref(owner)});
        make(Kind::kInfluencer, name, std::move(f));
    };
    person("Ana", "top", "NORTH", "sam");
    person("Ben", "expert", "NORTH", nullptr);
    person("Cleo", "top", "SOUTH", "tess");
    person("Dan", "advocate", "SOUTH", nullptr);
    person("Eve", "prospect", "NORTH", nullptr);

    // Contacts (one in February, outside the period).
    auto contact = [&](const char* name, const char* who, const char* at, const char* touchpoint,
                       const char* department, const char* region, const char* store,
                       const char* campaign) {
        std::vector<FieldWrite> f = {{"influencer", ref(who)},
                                     {"at", num(utc(at))},
                                     {"touchpoint", text(touchpoint)},
                                     {"department", text(department)},
                                     {"region", ref(region)}};
        if (store) f.push_back({"store", ref(store)});
        if (campaign) f.push_back({"campaign", ref(campaign)});
        make(Kind::kInteraction, name, std::move(f));
    };
    contact("i1", "Ana", "2026-03-02T10:00", "store", "retail", "NORTH", "LILLE", "LAUNCH");
    contact("i2", "Ana", "2026-03-15T09:00", "email", "pr", "NORTH", nullptr, nullptr);
    contact("i3", "Ben", "2026-03-20T18:00", "event", "events", "NORTH", nullptr, "LAUNCH");
    contact("i4", "Cleo", "2026-03-05T11:00", "store", "retail", "SOUTH", "NICE", "SUMMER");
    contact("i5", "Dan", "2026-02-10T15:00", "phone", "customer_service", "SOUTH", nullptr,
            nullptr);

    // An event of the launch and its check-ins.
    make(Kind::kEvent, "PARTY",
         {{"name", text("Launch party")},
          {"starts", num(utc("2026-03-20T18:00"))},
          {"campaign", ref("LAUNCH")},
          {"region", ref("NORTH")},
          {"brand", ref("MAISON")}});
    make(Kind::kCheckin, "ch1",
         {{"event", ref("PARTY")},
          {"influencer", ref("Ben")},
          {"at", num(utc("2026-03-20T18:05"))},
          {"region", ref("NORTH")}});
    make(Kind::kCheckin, "ch2",
         {{"event", ref("PARTY")},
          {"influencer", ref("Eve")},
          {"at", num(utc("2026-03-20T18:30"))},
          {"walk_in", num(1)},
          {"region", ref("NORTH")}});

    // Tracked links.
    make(Kind::kTrackedLink, "L1",
         {{"code", text("ANALAUNCH")},
          {"target", text("https://shop.example/a")},
          {"influencer", ref("Ana")},
          {"campaign", ref("LAUNCH")},
          {"region", ref("NORTH")}});
    make(Kind::kTrackedLink, "L2",
         {{"code", text("CLEOSUMMER")},
          {"target", text("https://shop.example/c")},
          {"influencer", ref("Cleo")},
          {"campaign", ref("SUMMER")},
          {"region", ref("SOUTH")}});

    // Collaborations (K4 cancelled: no spend) and K1's trail.
    auto collab = [&](const char* name, const char* who, const char* campaign, const char* type,
                      const char* status, std::int64_t fee, std::int64_t in_kind,
                      const char* currency, const char* starts, const char* region) {
        std::vector<FieldWrite> f = {{"influencer", ref(who)},     {"campaign", ref(campaign)},
                                     {"type", text(type)},         {"status", text(status)},
                                     {"currency", text(currency)}, {"starts", text(starts)},
                                     {"region", ref(region)},      {"brand", ref("MAISON")}};
        if (fee) f.push_back({"fee", num(fee)});
        if (in_kind) f.push_back({"in_kind_value", num(in_kind)});
        make(Kind::kCollaboration, name, std::move(f));
    };
    collab("K1", "Ana", "LAUNCH", "paid", "live", 100000, 0, "EUR", "2026-03-01", "NORTH");
    collab("K2", "Ben", "LAUNCH", "gifted", "delivered", 0, 20000, "EUR", "2026-03-05", "NORTH");
    collab("K3", "Cleo", "SUMMER", "paid", "contracted", 50000, 0, "USD", "2026-03-10", "SOUTH");
    collab("K4", "Dan", "SUMMER", "seeding", "cancelled", 0, 5000, "EUR", "2026-03-12", "SOUTH");
    REQUIRE(
        r.set(Kind::kCollaboration, id["K1"], {{"promo_code", text("ANA10")}, {"link", ref("L1")}})
            .is_ok());
    REQUIRE(r.set(Kind::kCollaboration, id["K3"], {{"link", ref("L2")}}).is_ok());
    auto step = [&](const char* name, const char* collaboration, const char* who, const char* from,
                    const char* to, const char* at, const char* region) {
        make(Kind::kCollaborationStep, name,
             {{"collaboration", ref(collaboration)},
              {"influencer", ref(who)},
              {"from", text(from)},
              {"to", text(to)},
              {"at", num(utc(at))},
              {"region", ref(region)}});
    };
    step("s1", "K1", "Ana", "proposed", "vetted", "2026-02-20T10:00", "NORTH");
    step("s2", "K1", "Ana", "vetted", "contracted", "2026-03-01T10:00", "NORTH");
    step("s3", "K1", "Ana", "contracted", "live", "2026-03-03T10:00", "NORTH");
    step("s4", "K3", "Cleo", "vetted", "contracted", "2026-03-10T10:00", "SOUTH");

    // Content: P7 in February; P5 and P6 organic; P2 names a competitor too.
    auto post = [&](const char* name, const char* who, const char* platform, const char* at,
                    std::vector<std::pair<const char*, std::int64_t>> metrics, const char* tone,
                    std::vector<const char*> brands, const char* collaboration,
                    const char* campaign, const char* region) {
        std::vector<FieldWrite> f = {
            {"influencer", ref(who)},
            {"platform", text(platform)},
            {"url", text((std::string("https://social.example/") + name).c_str())},
            {"published_at", num(utc(at))},
            {"tone", text(tone)},
            {"region", ref(region)}};
        for (auto [m, v] : metrics) f.push_back({m, num(v)});
        if (collaboration) f.push_back({"collaboration", ref(collaboration)});
        if (campaign) f.push_back({"campaign", ref(campaign)});
        const Id128 p = make(Kind::kContent, name, std::move(f));
        for (const char* b : brands)
            REQUIRE(r.add(Kind::kContent, p, "brands_mentioned", ref(b)).is_ok());
    };
    post("P1", "Ana", "instagram", "2026-03-05T12:00",
         {{"reach", 10000},
          {"impressions", 15000},
          {"likes", 800},
          {"comments", 100},
          {"shares", 50},
          {"saves", 50}},
         "positive", {"MAISON"}, "K1", "LAUNCH", "NORTH");
    post("P2", "Ana", "tiktok", "2026-03-12T12:00",
         {{"reach", 20000},
          {"impressions", 30000},
          {"likes", 1500},
          {"comments", 200},
          {"shares", 200},
          {"saves", 100},
          {"video_views", 25000}},
         "positive", {"MAISON", "RIVAL"}, "K1", "LAUNCH", "NORTH");
    post("P3", "Ben", "instagram", "2026-03-08T12:00",
         {{"reach", 4000}, {"impressions", 5000}, {"engagements", 300}}, "neutral", {"MAISON"},
         "K2", "LAUNCH", "NORTH");
    post("P4", "Cleo", "youtube", "2026-03-20T12:00",
         {{"reach", 8000},
          {"impressions", 9000},
          {"likes", 400},
          {"comments", 80},
          {"shares", 20},
          {"video_views", 7000}},
         "negative", {"MAISON"}, "K3", "SUMMER", "SOUTH");
    post("P5", "Dan", "instagram", "2026-03-18T12:00",
         {{"reach", 1000}, {"impressions", 1200}, {"likes", 90}, {"comments", 10}}, "positive",
         {"RIVAL"}, nullptr, nullptr, "SOUTH");
    post("P6", "Eve", "tiktok", "2026-03-25T12:00",
         {{"reach", 3000}, {"impressions", 3500}, {"likes", 200}, {"video_views", 2000}}, "neutral",
         {"OTHER"}, nullptr, nullptr, "NORTH");
    post("P7", "Cleo", "instagram", "2026-02-20T12:00", {{"reach", 5000}, {"likes", 100}},
         "positive", {"MAISON"}, nullptr, nullptr, "SOUTH");

    // Clicks: c6 is in February, exactly 30 days before o5.
    auto click = [&](const char* name, const char* link, const char* at, const char* visitor,
                     const char* campaign, const char* region) {
        std::vector<FieldWrite> f = {{"link", ref(link)},
                                     {"at", num(utc(at))},
                                     {"campaign", ref(campaign)},
                                     {"region", ref(region)}};
        if (visitor) f.push_back({"visitor", text(visitor)});
        make(Kind::kClick, name, std::move(f));
    };
    click("c1", "L1", "2026-03-05T10:00", "V0001", "LAUNCH", "NORTH");
    click("c2", "L1", "2026-03-06T10:00", nullptr, "LAUNCH", "NORTH");
    click("c3", "L2", "2026-03-21T10:00", "V0001", "SUMMER", "SOUTH");
    click("c4", "L1", "2026-03-10T10:00", "V0002", "LAUNCH", "NORTH");
    click("c5", "L2", "2026-03-22T09:00", nullptr, "SUMMER", "SOUTH");
    click("c6", "L1", "2026-02-25T10:00", "V0003", "LAUNCH", "NORTH");

    // Conversions; o2 is sent twice (one order: its id is derived from shop and reference).
    auto order = [&](const char* name, const char* ref_text, const char* at, std::int64_t value,
                     const char* currency, const char* link, const char* promo, const char* visitor,
                     const char* campaign, const char* region) {
        std::vector<FieldWrite> f = {{"shop", text("shop.example")}, {"order_ref", text(ref_text)},
                                     {"at", num(utc(at))},           {"value", num(value)},
                                     {"currency", text(currency)},   {"campaign", ref(campaign)},
                                     {"region", ref(region)}};
        if (link) f.push_back({"link", ref(link)});
        if (promo) f.push_back({"promo_code", text(promo)});
        if (visitor) f.push_back({"visitor", text(visitor)});
        make(Kind::kConversion, name, std::move(f),
             Id128::derive("conversion", "shop.example", ref_text));
    };
    order("o1", "A-1", "2026-03-22T12:00", 12000, "EUR", "L2", nullptr, "V0001", "SUMMER", "SOUTH");
    order("o2", "A-2", "2026-03-07T12:00", 5000, "EUR", "L1", nullptr, nullptr, "LAUNCH", "NORTH");
    order("o2", "A-2", "2026-03-07T12:00", 5000, "EUR", "L1", nullptr, nullptr, "LAUNCH", "NORTH");
    order("o3", "A-3", "2026-03-15T12:00", 8000, "EUR", nullptr, "ANA10", nullptr, "LAUNCH",
          "NORTH");
    order("o4", "A-4", "2026-03-11T12:00", 3000, "USD", "L1", nullptr, "V0002", "LAUNCH", "NORTH");
    order("o5", "A-5", "2026-03-27T10:00", 4000, "EUR", "L1", nullptr, "V0003", "LAUNCH", "NORTH");

    // Exchange rates: 1 USD = 0.92 EUR from 1 March, 0.90 from 15 March.
    make(Kind::kFxRate, "fx1",
         {{"date", text("2026-03-01")},
          {"base", text("USD")},
          {"quote", text("EUR")},
          {"rate", num(920000)}});
    make(Kind::kFxRate, "fx2",
         {{"date", text("2026-03-15")},
          {"base", text("USD")},
          {"quote", text("EUR")},
          {"rate", num(900000)}});

    // An outcome the team measured: the launch's NPS.
    make(Kind::kOutcome, "nps",
         {{"metric", text("NPS")},
          {"value", num(4200)},
          {"unit", text("score")},
          {"date", text("2026-03-31")},
          {"campaign", ref("LAUNCH")},
          {"region", ref("NORTH")}});

    // The EMV rate card (version 2026.1) for Instagram and TikTok.
    auto rate = [&](const char* name, const char* platform, const char* metric,
                    std::int64_t value) {
        make(Kind::kRateCard, name,
             {{"version", text("2026.1")},
              {"platform", text(platform)},
              {"metric", text(metric)},
              {"value", num(value)},
              {"currency", text("EUR")},
              {"valid_from", text("2026-01-01")}});
    };
    rate("rc1", "instagram", "impressions", 500);  // €5.00 CPM
    rate("rc2", "instagram", "likes", 10);         // €0.10 a like
    rate("rc3", "instagram", "comments", 50);
    rate("rc4", "tiktok", "video_views", 200);  // €2.00 per thousand views
    rate("rc5", "tiktok", "shares", 20);
}

core::Report ReportsFixture::run(core::ReportQuery q) {
    if (q.from.empty()) q.from = "2026-03-01";
    if (q.to.empty()) q.to = "2026-03-31";
    if (q.now_ms == 0) q.now_ms = kReportsNow;
    auto r = core::run_report(store(), q);
    INFO(r.status().to_string());
    REQUIRE(r.is_ok());
    auto cached = core::run_report(store(), q, &cache);
    INFO(cached.status().to_string());
    REQUIRE(cached.is_ok());
    CHECK(core::report_json(cached.value()) == core::report_json(r.value()));
    return std::move(r).value();
}

const core::Table& ReportsFixture::table(const core::Report& r, const std::string& id) {
    for (const auto& t : r.tables)
        if (t.id == id) return t;
    FAIL("no table " << id << " in " << r.report);
    throw std::logic_error("unreachable");
}

void ReportsFixture::setting(const std::string& key, const std::string& value) {
    make(Kind::kSetting, "setting " + key,
         {{"key", core::Value(key)}, {"value", core::Value(value)}});
}

core::ReportScope ReportsFixture::region_scope(const std::string& region) const {
    core::ReportScope scope;
    scope.global = false;
    scope.regions = {ref(region)};
    return scope;
}

namespace {

// The index of the column `id` of `t`, or -1.
int column_of(const core::Table& t, const std::string& id) {
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (t.columns[i].id == id) return int(i);
    return -1;
}

}  // namespace

std::optional<std::string> ReportsFixture::find_cell(const core::Report& r,
                                                     const std::string& table_id,
                                                     const std::string& key,
                                                     const std::string& column, const Also& also) {
    const auto& t = table(r, table_id);
    const int col = column_of(t, column);
    INFO("table " << table_id << " column " << column);
    REQUIRE(col >= 0);
    const int also_col = also.column.empty() ? -1 : column_of(t, also.column);
    INFO("column " << also.column);
    REQUIRE((also.column.empty() || also_col >= 0));
    for (const auto& row : t.rows)
        if (!row.empty() && row[0].type == core::Cell::Type::kText && row[0].text == key &&
            (also_col < 0 || row[std::size_t(also_col)].text == also.text))
            return core::cell_json(row[std::size_t(col)]);
    return std::nullopt;
}

std::string ReportsFixture::cell(const core::Report& r, const std::string& table_id,
                                 const std::string& key, const std::string& column,
                                 const Also& also) {
    auto found = find_cell(r, table_id, key, column, also);
    if (!found) FAIL("no row " << key << " " << also.text << " in table " << table_id);
    return found.value_or("");
}

std::string ReportsFixture::cells(const core::Report& r, const std::string& table_id,
                                  const std::string& key, const std::vector<std::string>& columns) {
    std::vector<std::string> ids = columns;
    if (ids.empty()) {
        const auto& t = table(r, table_id);
        for (std::size_t i = 1; i < t.columns.size(); ++i) ids.push_back(t.columns[i].id);
    }
    std::string out;
    for (const auto& id : ids) {
        if (!out.empty()) out += ' ';
        out += cell(r, table_id, key, id);
    }
    return out;
}

bool ReportsFixture::has_row(const core::Report& r, const std::string& table_id,
                             const std::string& key) {
    for (const auto& row : table(r, table_id).rows)
        if (!row.empty() && row[0].text == key) return true;
    return false;
}

bool ReportsFixture::has_caveat(const core::Report& r, const std::string& id) {
    return std::any_of(r.caveats.begin(), r.caveats.end(),
                       [&](const core::Caveat& c) { return c.id == id; });
}

}  // namespace liaison::test
