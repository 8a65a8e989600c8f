// The open compliance issues over a replica's record (core/query/compliance_issues.hpp): each
// type found, and not found on the other side of its boundary, the filters and the order.
#include "core/query/compliance_issues.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "core/compliance/embedded.hpp"
#include "support/harness.hpp"
#include "sync/replica.hpp"

namespace liaison::test::core_compliance_issues {
namespace {

using core::ComplianceIssue;
using core::Id128;
using core::Kind;

// 1'700'000'000'000 ms is 2023-11-14 (UTC): the day every entry below is created.
constexpr std::uint64_t kCreatedMs = 1'700'000'000'000ULL;

struct World {
    TempDir dir;
    sync::ManualTimeSource time{kCreatedMs};
    std::unique_ptr<Node> node = open_node(dir.file("c.db"), time, 12);
    sync::Replica& r = *node->replica;
    const core::compliance::RuleSet& rules = core::compliance::RuleSet::builtin();
    Id128 brand = make(Kind::kBrand, {{"name", std::string("Maison Lumière")}});

    Id128 make(Kind kind, std::vector<sync::FieldWrite> f) {
        auto id = r.create(kind, std::move(f));
        REQUIRE(id.is_ok());
        return id.value();
    }
    Id128 person(const std::string& name, std::vector<sync::FieldWrite> more = {}) {
        more.push_back({"name", name});
        return make(Kind::kInfluencer, std::move(more));
    }
    Id128 collab(const Id128& who, const std::string& type, const std::string& status,
                 std::vector<sync::FieldWrite> more = {}) {
        more.push_back({"influencer", who.to_text()});
        more.push_back({"type", type});
        more.push_back({"status", status});
        return make(Kind::kCollaboration, std::move(more));
    }
    std::vector<ComplianceIssue> issues(const std::string& today, core::IssueFilter f = {}) {
        auto out = core::compliance_issues(r.store(), f, today, rules);
        REQUIRE(out.is_ok());
        return out.value();
    }
    std::vector<ComplianceIssue> of(const std::string& type, const std::string& today,
                                    core::IssueFilter f = {}) {
        f.type = type;
        return issues(today, f);
    }
};

core::Value num(std::int64_t v) { return v; }
core::Value txt(const std::string& v) { return v; }

}  // namespace

TEST_CASE("a gated collaboration without a passed vetting is due unless overridden",
          "[compliance][issues]") {
    World w;
    const Id128 ana = w.person("Ana Moreau");
    const Id128 bea = w.person("Béa Lambert");
    const Id128 live = w.collab(ana, "paid", "contracted");
    w.collab(ana, "paid", "vetted");  // not a gated status
    const Id128 overridden =
        w.collab(bea, "paid", "live", {{"override_reason", txt("Board approved the risk")}});
    auto due = w.of("vetting_due", "2023-12-01");
    REQUIRE(due.size() == 1);
    CHECK(due[0].collaboration == live);
    CHECK(due[0].person == ana);
    CHECK(due[0].person_name == "Ana Moreau");
    CHECK(due[0].rule == "vetting/1");
    CHECK(due[0].detail.find("vetting is missing") != std::string::npos);
    // A blank reason is no override.
    REQUIRE(w.r.set(Kind::kCollaboration, overridden, {{"override_reason", txt("  ")}}).is_ok());
    CHECK(w.of("vetting_due", "2023-12-01").size() == 2);
    // A passed vetting clears hers.
    std::vector<sync::FieldWrite> v = {{"influencer", ana.to_text()},
                                       {"reviewed", txt("2023-11-14")}};
    for (const auto& g : w.rules.vetting.guidelines) v.push_back({g.id, txt("pass")});
    w.make(Kind::kVetting, v);
    due = w.of("vetting_due", "2023-12-01");
    REQUIRE(due.size() == 1);
    CHECK(due[0].person == bea);
}

TEST_CASE("a paid post whose caption lacks the market's mention or that nobody checked is an issue",
          "[compliance][issues]") {
    World w;
    const Id128 ana = w.person("Ana Moreau");
    const Id128 campaign = w.make(Kind::kCampaign, {{"name", txt("Printemps")}});
    REQUIRE(w.r.add(Kind::kCampaign, campaign, "markets", "FR").is_ok());
    const Id128 paid = w.collab(ana, "paid", "live", {{"campaign", txt(campaign.to_text())}});
    const Id128 nowhere = w.collab(ana, "gifted", "live");  // no market: nothing required
    const Id128 affiliate =
        w.collab(ana, "affiliate", "live", {{"campaign", txt(campaign.to_text())}});
    auto post = [&](const Id128& k, const std::string& caption,
                    std::vector<sync::FieldWrite> more = {}) {
        more.push_back({"influencer", ana.to_text()});
        more.push_back({"platform", txt("instagram")});
        more.push_back({"url", txt("https://example.com/p/" + std::to_string(caption.size()))});
        more.push_back({"collaboration", k.to_text()});
        more.push_back({"caption", caption});
        return w.make(Kind::kContent, std::move(more));
    };
    const Id128 lacking = post(paid, "Mon nouveau sac");
    const Id128 unchecked = post(paid, "Mon sac #publicité");
    post(paid, "Le sac en collaboration commerciale", {{"disclosure_checked_at", num(kCreatedMs)}});
    post(paid, "Le sac, publicité", {{"disclosure_found", num(1)}});
    post(nowhere, "Rien");
    post(affiliate, "Un lien");  // affiliate is not paid or gifted: not listed
    auto found = w.of("disclosure_missing", "2023-12-01");
    REQUIRE(found.size() == 2);
    std::vector<Id128> ids = {*found[0].content, *found[1].content};
    CHECK(std::find(ids.begin(), ids.end(), lacking) != ids.end());
    CHECK(std::find(ids.begin(), ids.end(), unchecked) != ids.end());
    for (const auto& i : found) {
        CHECK(i.campaign == campaign);
        CHECK(i.rule == "disclosure/1");
        if (i.content == lacking) CHECK(i.detail.find("fr.commercial") != std::string::npos);
        if (i.content == unchecked) CHECK(i.detail.find("nobody checked") != std::string::npos);
    }
    // The collaboration's own markets replace the campaign's: the US table does not read French.
    REQUIRE(w.r.add(Kind::kCollaboration, paid, "markets", "US").is_ok());
    CHECK(w.of("disclosure_missing", "2023-12-01").size() == 4);
}

TEST_CASE("the reviewer's check decides a post's disclosure whatever its caption says",
          "[compliance][issues]") {
    World w;
    const Id128 ana = w.person("Ana Moreau");
    const Id128 paid = w.collab(ana, "gifted", "live");
    REQUIRE(w.r.add(Kind::kCollaboration, paid, "markets", "FR").is_ok());
    const Id128 staff = w.make(Kind::kStaff, {{"name", txt("Claire")}});
    auto post = [&](const std::string& url, const std::string& caption) {
        return w.make(Kind::kContent, {{"influencer", ana.to_text()},
                                       {"platform", txt("instagram")},
                                       {"url", txt(url)},
                                       {"collaboration", paid.to_text()},
                                       {"caption", txt(caption)}});
    };
    auto check = [&](const Id128& id, bool found) {
        REQUIRE(w.r.set(Kind::kContent, id,
                        {{"disclosure_found", num(found ? 1 : 0)},
                         {"disclosure_checked_by", txt(staff.to_text())},
                         {"disclosure_checked_at", num(kCreatedMs + 1000)}})
                    .is_ok());
    };
    const Id128 story = post("https://example.com/s/1", "Mon sac");  // mention in the image
    const Id128 tagged = post("https://example.com/s/2", "Mon sac #publicité");
    auto open = w.of("disclosure_missing", "2023-12-01");
    REQUIRE(open.size() == 2);
    // Checked, the mention seen on the image: resolved though the caption lacks it.
    check(story, true);
    open = w.of("disclosure_missing", "2023-12-01");
    REQUIRE(open.size() == 1);
    CHECK(open[0].content == tagged);
    CHECK(open[0].detail.find("nobody checked") != std::string::npos);
    // Checked and not found: open, though the caption carries the word (say, hidden below).
    check(tagged, false);
    open = w.of("disclosure_missing", "2023-12-01");
    REQUIRE(open.size() == 1);
    CHECK(open[0].content == tagged);
    CHECK(open[0].detail.find("the reviewer found no mention") != std::string::npos);
    check(tagged, true);
    CHECK(w.of("disclosure_missing", "2023-12-01").empty());

    // What the check is pre-filled from: the caption against the market's table.
    auto caption = core::post_caption_check(w.r.store(), story, w.rules);
    REQUIRE(caption.is_ok());
    REQUIRE(caption.value());
    CHECK(caption.value()->required_in == std::vector<std::string>{"FR"});
    CHECK(caption.value()->lacking == std::vector<std::string>{"fr.commercial"});
    caption = core::post_caption_check(w.r.store(), tagged, w.rules);
    REQUIRE(caption.is_ok());
    REQUIRE(caption.value());
    CHECK(caption.value()->lacking.empty());
    const Id128 alone = w.make(Kind::kContent, {{"influencer", ana.to_text()},
                                                {"platform", txt("instagram")},
                                                {"url", txt("https://example.com/s/3")}});
    caption = core::post_caption_check(w.r.store(), alone, w.rules);
    REQUIRE(caption.is_ok());
    CHECK_FALSE(caption.value());  // no collaboration: no market to judge by
}

namespace {

// A campaign selling `category`, run in `markets`.
Id128 campaign(World& w, const std::string& name, const std::string& category,
               const std::vector<std::string>& markets, std::vector<sync::FieldWrite> more = {}) {
    more.push_back({"name", name});
    more.push_back({"product_category", category});
    const Id128 id = w.make(Kind::kCampaign, std::move(more));
    for (const auto& m : markets) REQUIRE(w.r.add(Kind::kCampaign, id, "markets", m).is_ok());
    return id;
}

std::vector<Id128> campaigns_of(const std::vector<ComplianceIssue>& issues) {
    std::vector<Id128> out;
    for (const auto& i : issues) out.push_back(*i.campaign);
    return out;
}

}  // namespace

TEST_CASE(
    "a campaign selling a category France prohibits to influencers is an issue where it targets "
    "France",
    "[compliance][issues][promotions]") {
    World w;
    const Id128 nicotine = campaign(w, "Vapeur", "nicotine", {"FR", "BE"});
    const Id128 typed = campaign(w, "Cliniques", "  Cosmetic_Surgery ", {"FR"});  // case, blanks
    campaign(w, "Parfums", "Parfums", {"FR"});          // no category of the table
    campaign(w, "Vapeur US", "nicotine", {"US"});       // another market
    campaign(w, "Vapeur sans marché", "nicotine", {});  // no market: not judged
    campaign(w, "Vapeur 2022", "nicotine", {"FR"}, {{"ends", txt("2023-11-30")}});  // ended
    // No market of its own, but a collaboration run in France.
    const Id128 via = campaign(w, "Paris sportifs", "sports_betting_tips", {});
    const Id128 ana = w.person("Ana Moreau");
    const Id128 k = w.collab(ana, "paid", "proposed", {{"campaign", txt(via.to_text())}});
    REQUIRE(w.r.add(Kind::kCollaboration, k, "markets", "FR").is_ok());
    // A cancelled collaboration targets nothing.
    const Id128 quiet = campaign(w, "Tabac", "nicotine", {});
    const Id128 gone = w.collab(ana, "paid", "cancelled", {{"campaign", txt(quiet.to_text())}});
    REQUIRE(w.r.add(Kind::kCollaboration, gone, "markets", "FR").is_ok());

    auto found = w.of("promotion_prohibited", "2023-12-01");
    auto ids = campaigns_of(found);
    std::sort(ids.begin(), ids.end());
    std::vector<Id128> want = {nicotine, typed, via};
    std::sort(want.begin(), want.end());
    CHECK(ids == want);
    for (const auto& i : found) {
        CHECK_FALSE(i.person);  // a campaign's issue
        CHECK(i.rule == "promotions_fr/1");
        if (i.campaign == via) {
            CHECK(i.campaign_name == "Paris sportifs");
            CHECK(i.detail.find("a collaboration targets it") != std::string::npos);
        }
        if (i.campaign == typed) CHECK(i.detail.find("cosmetic_surgery") == 0);
    }
    // Ended today is still running; the day after, not.
    REQUIRE(w.r.set(Kind::kCampaign, nicotine, {{"ends", txt("2023-12-01")}}).is_ok());
    CHECK(w.of("promotion_prohibited", "2023-12-01").size() == 3);
    CHECK(w.of("promotion_prohibited", "2023-12-02").size() == 2);
    // Nor does a prohibited campaign raise a restricted one.
    CHECK(w.of("promotion_restricted", "2023-12-01").empty());
}

TEST_CASE("a restricted category is an issue until the campaign attests its condition",
          "[compliance][issues][promotions]") {
    World w;
    const Id128 casino = campaign(w, "Casino", "gambling", {"FR"});
    const Id128 crypto = campaign(w, "Jetons", "crypto_asset_services", {"FR"},
                                  {{"promotion_condition", txt("age_gated")}});  // not its own
    auto found = w.of("promotion_restricted", "2023-12-01");
    REQUIRE(found.size() == 2);
    for (const auto& i : found) {
        if (i.campaign == casino)
            CHECK(i.detail.find("age_gated is not attested") != std::string::npos);
        if (i.campaign == crypto)
            CHECK(i.detail.find("provider_authorised is not attested") != std::string::npos);
    }
    REQUIRE(w.r.set(Kind::kCampaign, casino, {{"promotion_condition", txt("age_gated")}}).is_ok());
    found = w.of("promotion_restricted", "2023-12-01");
    REQUIRE(found.size() == 1);
    CHECK(found[0].campaign == crypto);
    CHECK(w.of("promotion_prohibited", "2023-12-01").empty());
    // Both are in the whole list, after the person's issues, with the campaign filter.
    core::IssueFilter f;
    f.campaign = crypto;
    CHECK(w.issues("2023-12-01", f).size() == 1);
}

TEST_CASE("editing the promotions table changes which campaigns are issues without touching code",
          "[compliance][issues][promotions]") {
    World w;
    campaign(w, "Casino", "gambling", {"FR"}, {{"promotion_condition", txt("age_gated")}});
    campaign(w, "Vapeur", "nicotine", {"FR"});
    CHECK(w.of("promotion_prohibited", "2023-12-01").size() == 1);
    CHECK(w.of("promotion_restricted", "2023-12-01").empty());
    // An edited copy of the table: gambling prohibited outright, nicotine dropped.
    std::vector<std::string> texts;
    for (const auto& t : core::compliance::embedded_tables()) {
        std::string text(t.text);
        if (t.file == "promotions_fr.json") {
            auto replace = [&](const std::string& from, const std::string& to) {
                const auto at = text.find(from);
                REQUIRE(at != std::string::npos);
                text.replace(at, from.size(), to);
            };
            replace("\"category\": \"nicotine\"", "\"category\": \"nicotine_retired\"");
            replace("\"status\": \"restricted\",\n      \"condition\": \"age_gated\",",
                    "\"status\": \"prohibited\",");
        }
        texts.push_back(std::move(text));
    }
    auto edited =
        core::compliance::RuleSet::parse(std::vector<std::string_view>(texts.begin(), texts.end()));
    REQUIRE(edited.is_ok());
    core::IssueFilter f;
    f.type = "promotion_prohibited";
    auto found = core::compliance_issues(w.r.store(), f, "2023-12-01", edited.value());
    REQUIRE(found.is_ok());
    REQUIRE(found.value().size() == 1);
    CHECK(found.value()[0].campaign_name == "Casino");
}

TEST_CASE("the French contract threshold flags unsigned collaborations from 1000.00 EUR summed",
          "[compliance][issues]") {
    World w;
    const Id128 ana = w.person("Ana Moreau");
    const Id128 bea = w.person("Béa Lambert");
    const std::string brand = w.brand.to_text();
    auto paid = [&](const Id128& who, std::int64_t fee, std::int64_t in_kind) {
        return w.collab(who, "paid", "proposed",
                        {{"brand", txt(brand)},
                         {"fee", num(fee)},
                         {"in_kind_value", num(in_kind)},
                         {"currency", txt("EUR")},
                         {"objective", txt("spring launch")},
                         {"starts", txt("2024-03-01")}});
    };
    // 500.00 + 499.99 = 999.99 EUR: over the 80 % warning, under the threshold.
    const Id128 ana1 = paid(ana, 50000, 0);
    const Id128 ana2 = paid(ana, 40000, 9999);
    // 500.00 + 500.00 (in kind) = 1000.00 EUR: a contract is required.
    const Id128 bea1 = paid(bea, 50000, 0);
    const Id128 bea2 = paid(bea, 0, 50000);
    auto missing = w.of("contract_missing", "2024-04-01");
    REQUIRE(missing.size() == 2);
    for (const auto& i : missing) {
        CHECK(i.person == bea);
        CHECK(i.rule == "contract_fr/1");
        CHECK(i.detail.find("EUR 1000.00") != std::string::npos);
    }
    auto warn = w.of("contract_warn", "2024-04-01");
    REQUIRE(warn.size() == 1);
    CHECK(warn[0].person == ana);
    CHECK(warn[0].collaboration == std::max(ana1, ana2));  // the later by id
    CHECK(warn[0].detail.find("EUR 999.99") != std::string::npos);
    // A signed contract clears its collaboration only.
    REQUIRE(w.r.set(Kind::kCollaboration, bea1, {{"contract_status", txt("signed")}}).is_ok());
    missing = w.of("contract_missing", "2024-04-01");
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].collaboration == bea2);
    // Another year is another sum; a cancelled collaboration is not summed.
    REQUIRE(w.r.set(Kind::kCollaboration, bea2, {{"starts", txt("2025-01-10")}}).is_ok());
    CHECK(w.of("contract_missing", "2024-04-01").empty());
    REQUIRE(w.r.set(Kind::kCollaboration, ana2, {{"status", txt("cancelled")}}).is_ok());
    CHECK(w.of("contract_warn", "2024-04-01").empty());
}

TEST_CASE("a collaboration through an agency without a mandate covering today is an issue",
          "[compliance][issues]") {
    World w;
    const Id128 ana = w.person("Ana Moreau");
    const Id128 none =
        w.make(Kind::kIntermediary, {{"name", txt("Agence A")}, {"type", txt("agency")}});
    const Id128 dated = w.make(Kind::kIntermediary, {{"name", txt("Agence B")},
                                                     {"type", txt("agency")},
                                                     {"mandate_ref", txt("M-42")},
                                                     {"mandate_from", txt("2024-01-01")},
                                                     {"mandate_to", txt("2024-06-30")}});
    const Id128 agent =
        w.make(Kind::kIntermediary, {{"name", txt("Agent C")}, {"type", txt("agent")}});
    const Id128 k1 = w.collab(ana, "paid", "proposed", {{"agency", txt(none.to_text())}});
    const Id128 k2 = w.collab(ana, "paid", "proposed", {{"agency", txt(dated.to_text())}});
    w.collab(ana, "paid", "proposed", {{"agency", txt(agent.to_text())}});
    w.collab(ana, "paid", "closed", {{"agency", txt(none.to_text())}});
    auto on = [&](const std::string& today) {
        std::vector<Id128> out;
        for (const auto& i : w.of("mandate_missing", today)) out.push_back(*i.collaboration);
        std::sort(out.begin(), out.end());
        return out;
    };
    auto both = std::vector<Id128>{k1, k2};
    std::sort(both.begin(), both.end());
    CHECK(on("2023-12-31") == both);  // before the mandate
    CHECK(on("2024-01-01") == std::vector<Id128>{k1});
    CHECK(on("2024-06-30") == std::vector<Id128>{k1});
    CHECK(on("2024-07-01") == both);  // after it
    auto i = w.of("mandate_missing", "2024-07-01");
    CHECK(i[0].intermediary.has_value());
}

TEST_CASE("the article 14 notice is overdue from the day after it fell due",
          "[compliance][issues]") {
    World w;
    // Created 2023-11-14: due one month later, 2023-12-14.
    const Id128 ana = w.person("Ana Moreau", {{"data_source", txt("a press list")}});
    w.person("Béa Lambert",
             {{"data_source", txt("a press list")}, {"notice_sent", txt("2023-11-20")}});
    w.person("Chloé Petit");  // data obtained from her: no article 14 notice
    CHECK(w.of("notice_overdue", "2023-12-14").empty());
    auto late = w.of("notice_overdue", "2023-12-15");
    REQUIRE(late.size() == 1);
    CHECK(late[0].person == ana);
    CHECK(late[0].due == "2023-12-14");
    // A first contact before then brings it forward to that contact.
    w.make(Kind::kInteraction, {{"influencer", ana.to_text()},
                                {"at", num(kCreatedMs + 5 * 86'400'000LL)},
                                {"touchpoint", txt("email")},
                                {"department", txt("pr")}});
    CHECK(w.of("notice_overdue", "2023-11-19").empty());
    late = w.of("notice_overdue", "2023-11-20");
    REQUIRE(late.size() == 1);
    CHECK(late[0].due == "2023-11-19");
}

TEST_CASE("an open data-subject request is listed from its due day", "[compliance][issues]") {
    World w;
    const Id128 ana = w.person("Ana Moreau");
    auto request = [&](const std::string& status) {
        return w.make(Kind::kGdprRequest, {{"influencer", ana.to_text()},
                                           {"type", txt("access")},
                                           {"received", txt("2026-01-31")},
                                           {"status", txt(status)}});
    };
    const Id128 open = request("open");
    request("done");
    request("withdrawn");
    CHECK(w.of("request_due", "2026-02-27").empty());
    auto due = w.of("request_due", "2026-02-28");  // one month from 31 January
    REQUIRE(due.size() == 1);
    CHECK(due[0].request == open);
    CHECK(due[0].due == "2026-02-28");
    CHECK(due[0].detail.find("due today") != std::string::npos);
}

TEST_CASE(
    "a partner from outside the EU targeting France without a representative or insurance "
    "is an issue and so is a minor",
    "[compliance][issues]") {
    World w;
    const Id128 kim = w.person("Kim Park", {{"country", txt("KR")}});
    const Id128 lea = w.person("Léa Roux", {{"country", txt("BE")}});
    const Id128 sam = w.person("Sam Hill", {{"country", txt("US")}});
    w.person("Nobody Partnered", {{"country", txt("US")}});  // no collaboration: not a partner
    const Id128 k = w.collab(kim, "paid", "proposed");
    REQUIRE(w.r.add(Kind::kCollaboration, k, "markets", "FR").is_ok());
    const Id128 l = w.collab(lea, "paid", "proposed");
    REQUIRE(w.r.add(Kind::kCollaboration, l, "markets", "FR").is_ok());
    const Id128 s = w.collab(sam, "paid", "proposed");
    REQUIRE(w.r.add(Kind::kCollaboration, s, "markets", "US").is_ok());  // France not targeted
    auto reps = w.of("representative_missing", "2026-12-05");
    REQUIRE(reps.size() == 1);
    CHECK(reps[0].person == kim);
    CHECK(reps[0].collaboration == k);
    CHECK(reps[0].detail.find("representative") != std::string::npos);
    // A representative alone is not enough: insurance too.
    REQUIRE(
        w.r.set(Kind::kInfluencer, kim, {{"legal_rep_eu", txt("Cabinet Dupont, Paris")}}).is_ok());
    reps = w.of("representative_missing", "2026-12-05");
    REQUIRE(reps.size() == 1);
    CHECK(reps[0].detail.find("insurance") != std::string::npos);
    REQUIRE(w.r.set(Kind::kInfluencer, kim, {{"insurance_eu", txt("Assur 123")}}).is_ok());
    CHECK(w.of("representative_missing", "2026-12-05").empty());

    // Minors: from the birth date, full years on today's date.
    REQUIRE(w.r.set(Kind::kInfluencer, lea, {{"birth_date", txt("2008-12-06")}}).is_ok());
    auto minors = w.of("minor", "2026-12-05");
    REQUIRE(minors.size() == 1);
    CHECK(minors[0].person == lea);
    CHECK(w.of("minor", "2026-12-06").empty());  // her eighteenth birthday
}

TEST_CASE("issues are filtered by type region campaign owner and scope and ordered",
          "[compliance][issues]") {
    World w;
    const Id128 north = w.make(Kind::kRegion, {{"name", txt("Nord")}});
    const Id128 south = w.make(Kind::kRegion, {{"name", txt("Sud")}});
    const Id128 shop =
        w.make(Kind::kStore, {{"name", txt("Lille")}, {"region", txt(north.to_text())}});
    const Id128 sam = w.make(Kind::kStaff, {{"name", txt("Sam")}});
    const Id128 campaign = w.make(Kind::kCampaign, {{"name", txt("Printemps")}});
    // Ana is held at a northern store (her region is the store's), Béa in the south.
    const Id128 ana = w.person("Ana Moreau", {{"store", txt(shop.to_text())},
                                              {"owner", txt(sam.to_text())},
                                              {"data_source", txt("a list")}});
    const Id128 bea = w.person("Béa Lambert", {{"region", txt(south.to_text())}});
    w.collab(ana, "paid", "live", {{"campaign", txt(campaign.to_text())}});
    w.collab(bea, "paid", "contracted");
    w.make(
        Kind::kGdprRequest,
        {{"influencer", bea.to_text()}, {"type", txt("erasure")}, {"received", txt("2023-11-01")}});
    const std::string today = "2024-01-15";
    auto all = w.issues(today);
    REQUIRE(all.size() == 4);
    CHECK(all[0].type == "vetting_due");
    CHECK(all[1].type == "vetting_due");
    CHECK(all[0].collaboration < all[1].collaboration);
    CHECK(all[2].type == "notice_overdue");
    CHECK(all[3].type == "request_due");
    auto counts = core::issue_counts(all);
    CHECK(counts.size() == std::size(core::kIssueTypes));
    CHECK(counts["vetting_due"] == 2);
    CHECK(counts["contract_missing"] == 0);

    core::IssueFilter f;
    f.region = north;
    for (const auto& i : w.issues(today, f)) CHECK(i.person == ana);
    CHECK(w.issues(today, f).size() == 2);
    f = {};
    f.campaign = campaign;
    CHECK(w.issues(today, f).size() == 1);
    f = {};
    f.owner = sam;
    CHECK(w.issues(today, f).size() == 2);
    f = {};
    f.global = false;
    f.regions = {south};
    CHECK(w.issues(today, f).size() == 2);
    for (const auto& i : w.issues(today, f)) CHECK(i.person == bea);
    f.regions = {};
    CHECK(w.issues(today, f).empty());
    f = {};
    f.limit = 1;
    CHECK(w.issues(today, f).size() == 1);

    f = {};
    f.type = "vetting";
    CHECK(core::compliance_issues(w.r.store(), f, today, w.rules).status().code() ==
          Code::kInvalidArgument);
    f = {};
    f.limit = core::kMaxIssues + 1;
    CHECK_FALSE(core::compliance_issues(w.r.store(), f, today, w.rules).is_ok());
    CHECK_FALSE(core::compliance_issues(w.r.store(), {}, "2024-13-01", w.rules).is_ok());
}

}  // namespace liaison::test::core_compliance_issues
