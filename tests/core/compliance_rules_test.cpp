// The compliance rule tables (core/compliance/, docs/COMPLIANCE.md): each rule against the
// tables compiled in, a table edited without touching code, and malformed tables refused.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/compliance/contract_fr.hpp"
#include "core/compliance/disclosure.hpp"
#include "core/compliance/embedded.hpp"
#include "core/compliance/gdpr.hpp"
#include "core/compliance/rules.hpp"
#include "core/compliance/vetting.hpp"
#include "core/model/schema.hpp"

namespace liaison::test::core_compliance_rules {

using namespace core::compliance;

namespace {

const RuleSet& rules() { return RuleSet::builtin(); }

// The built-in texts with `from` replaced by `to` in the table file `file` (which must hold it).
std::vector<std::string> edited(const std::string& file, const std::string& from,
                                const std::string& to) {
    std::vector<std::string> out;
    bool replaced = false;
    for (const auto& t : embedded_tables()) {
        std::string text(t.text);
        if (t.file == file) {
            const auto at = text.find(from);
            REQUIRE(at != std::string::npos);
            text.replace(at, from.size(), to);
            replaced = true;
        }
        out.push_back(std::move(text));
    }
    REQUIRE(replaced);
    return out;
}

Result<RuleSet> parse(const std::vector<std::string>& texts) {
    return RuleSet::parse(std::vector<std::string_view>(texts.begin(), texts.end()));
}

// The refusal of `texts`, which must not parse.
std::string refusal(const std::vector<std::string>& texts) {
    auto r = parse(texts);
    REQUIRE_FALSE(r.is_ok());
    return r.status().detail();
}

DisclosureCheck disclosure(std::string_view market, std::string_view type, std::string_view caption,
                           bool edited_image = false, bool generated_image = false) {
    auto r = check_disclosure(rules(), market, type, caption, edited_image, generated_image);
    REQUIRE(r.is_ok());
    return r.value();
}

CollaborationAmount amount(std::string id, std::int64_t fees, std::int64_t in_kind = 0,
                           bool signed_contract = false) {
    return {std::move(id), fees,        in_kind,         "EUR",          2026,
            "brand-a",     "creator-1", "spring-launch", signed_contract};
}

ContractReport contracts(const std::vector<CollaborationAmount>& amounts,
                         const RuleSet& set = rules()) {
    auto r = contract_threshold_fr(set, amounts);
    REQUIRE(r.is_ok());
    return r.value();
}

VettingRecord record(std::string date, std::string expiry = "",
                     GuidelineResult all = GuidelineResult::kPass) {
    VettingRecord r{std::move(date), std::move(expiry), {}, "checked the last 50 posts"};
    for (const auto& g : rules().vetting.guidelines) r.results.emplace_back(g.id, all);
    return r;
}

VettingState vetting(const std::vector<VettingRecord>& records, std::string_view today) {
    auto r = vetting_status(rules(), records, today);
    REQUIRE(r.is_ok());
    return r.value().state;
}

}  // namespace

TEST_CASE("the built-in rule tables parse and name their versions", "[compliance]") {
    const auto& r = rules();
    CHECK(r.versions() == std::vector<std::string>{"disclosure/1", "contract_fr/1",
                                                   "promotions_fr/1", "vetting/1", "gdpr/1"});
    CHECK(embedded_tables().size() == 5);
    CHECK(r.vetting.guidelines.size() == 8);
    CHECK(r.vetting.validity_months == 12);
    CHECK(r.contract_fr.threshold_minor == 100000);
    CHECK(r.contract_fr.currency == "EUR");
    CHECK(r.gdpr.majority_age == 18);
    CHECK(r.gdpr.exempt_countries.size() ==
          31);  // EU 27, Iceland, Liechtenstein, Norway, Switzerland
}

TEST_CASE("France needs publicité or collaboration commerciale on a paid post", "[compliance]") {
    auto ok = disclosure("FR", "paid", "Ma nouvelle routine #publicité @marque");
    CHECK(ok.state == DisclosureState::kOk);
    CHECK(ok.version == "disclosure/1");
    REQUIRE(ok.mentions.size() == 1);
    CHECK(ok.mentions[0].id == "fr.commercial");
    CHECK(ok.mentions[0].matched == "publicité");
    CHECK(ok.mentions[0].source == "fr-loi-2023-451-art5");

    CHECK(disclosure("FR", "paid", "En COLLABORATION   COMMERCIALE avec la marque").state ==
          DisclosureState::kOk);
    CHECK(disclosure("FR", "gifted", "#CollaborationCommerciale").state == DisclosureState::kOk);
    CHECK(disclosure("FR", "paid", "#collaboration_commerciale").state == DisclosureState::kOk);
    // Accent-tolerant in France, as the table says: the hashtag typed without its accent, and
    // the accent typed decomposed.
    CHECK(disclosure("FR", "paid", "#Publicite").state == DisclosureState::kOk);
    CHECK(disclosure("FR", "paid", "Publicite\xCC\x81 !").state == DisclosureState::kOk);

    const auto absent = disclosure("FR", "paid", "Ma nouvelle routine, merci @marque");
    CHECK(absent.state == DisclosureState::kMissing);
    REQUIRE(absent.mentions.size() == 1);
    CHECK(absent.mentions[0].state == MentionState::kAbsent);
    // Inside another word is not the mention.
    CHECK(disclosure("FR", "paid", "Une campagne antipublicité").state ==
          DisclosureState::kMissing);
    CHECK(disclosure("FR", "paid", "#publicitéstory").state == DisclosureState::kMissing);
    CHECK(disclosure("FR", "paid", "@publicité").state == DisclosureState::kMissing);
}

TEST_CASE("France needs image retouchée or image virtuelle when images were edited or made",
          "[compliance]") {
    const auto edited_only = disclosure("FR", "paid", "#publicité", true, false);
    CHECK(edited_only.state == DisclosureState::kMissing);
    REQUIRE(edited_only.mentions.size() == 2);
    CHECK(edited_only.mentions[1].id == "fr.image_edited");
    CHECK(edited_only.mentions[1].state == MentionState::kAbsent);
    CHECK(disclosure("FR", "paid", "#publicité — l'image retouchée", true).state ==
          DisclosureState::kOk);
    CHECK(disclosure("FR", "paid", "#publicité #ImageRetouchée", true).state ==
          DisclosureState::kOk);
    CHECK(disclosure("FR", "paid", "#publicité image retouchée", false, true).state ==
          DisclosureState::kMissing);
    const auto both =
        disclosure("FR", "paid", "Publicité. Image virtuelle, image retouchée.", true, true);
    CHECK(both.state == DisclosureState::kOk);
    CHECK(both.mentions.size() == 3);
}

TEST_CASE("the United States needs a clear word for the material connection", "[compliance]") {
    CHECK(disclosure("US", "paid", "Loving this serum #ad").state == DisclosureState::kOk);
    CHECK(disclosure("US", "affiliate", "Sponsored: my top picks").state == DisclosureState::kOk);
    CHECK(disclosure("US", "paid", "Paid partnership with @brand").state == DisclosureState::kOk);
    CHECK(disclosure("US", "paid", "#AD (ad)").state == DisclosureState::kOk);
    CHECK(disclosure("US", "paid", "new drop #ad\xF0\x9F\x8E\x89").state == DisclosureState::kOk);
    // "ad" inside a word, a handle or a hyphenated word is not a disclosure.
    CHECK(disclosure("US", "paid", "Add to cart now").state == DisclosureState::kMissing);
    CHECK(disclosure("US", "paid", "My new adidas").state == DisclosureState::kMissing);
    CHECK(disclosure("US", "paid", "thanks @ad for this").state == DisclosureState::kMissing);
    CHECK(disclosure("US", "paid", "an ad-free life").state == DisclosureState::kMissing);
    // Not accent-tolerant there: the table says so.
    CHECK(disclosure("US", "paid", "Spónsored post").state == DisclosureState::kMissing);
    CHECK(disclosure("US", "paid", "SPONSORED post").state == DisclosureState::kOk);
    // A free product is a material connection too, and may say so in its own words; a paid
    // post may not pass for a gift.
    CHECK(disclosure("US", "gifted", "#gifted by @brand").state == DisclosureState::kOk);
    CHECK(disclosure("US", "seeding", "Free product from @brand").state == DisclosureState::kOk);
    CHECK(disclosure("US", "gifted", "a gift from @brand").state == DisclosureState::kMissing);
    const auto paid_as_gift = disclosure("US", "paid", "#gifted by @brand");
    CHECK(paid_as_gift.state == DisclosureState::kMissing);
    CHECK(paid_as_gift.mentions[0].id == "us.material_connection");
}

TEST_CASE("the United Kingdom needs ad up front", "[compliance]") {
    CHECK(disclosure("GB", "paid", "#ad My spring edit with @brand").state == DisclosureState::kOk);
    CHECK(disclosure("GB", "paid", "\n\n  AD | My spring edit").state == DisclosureState::kOk);
    CHECK(disclosure("GB", "gifted", "Gifted: a new palette").state == DisclosureState::kOk);
    // After the first line break: found, but not up front.
    const auto late = disclosure("GB", "paid", "My spring edit with @brand\n#ad");
    CHECK(late.state == DisclosureState::kMissing);
    REQUIRE(late.mentions.size() == 1);
    CHECK(late.mentions[0].state == MentionState::kNotUpFront);
    CHECK(late.mentions[0].matched == "ad");
    // On the first line but past the table's 100 characters.
    const std::string long_line(120, 'x');
    CHECK(disclosure("GB", "paid", long_line + " #ad").mentions[0].state ==
          MentionState::kNotUpFront);
    const std::string edge(96, 'x');  // "#ad" ends at character 100: still up front
    CHECK(disclosure("GB", "paid", edge + " #ad").state == DisclosureState::kOk);
    CHECK(disclosure("GB", "paid", edge + "  #ad").state == DisclosureState::kMissing);
    CHECK(disclosure("GB", "paid", "Add to basket").state == DisclosureState::kMissing);
}

TEST_CASE("a market without a disclosure rule or a bad market is said so", "[compliance]") {
    CHECK(disclosure("DE", "paid", "#werbung").state == DisclosureState::kNoRule);
    auto bad = check_disclosure(rules(), "fr", "paid", "#publicité", false, false);
    REQUIRE_FALSE(bad.is_ok());
    CHECK(bad.status().code() == Code::kBadFormat);
    CHECK_FALSE(check_disclosure(rules(), "FR", "", "", false, false).is_ok());
    const std::string huge(kMaxCaptionBytes + 1, 'a');
    auto big = check_disclosure(rules(), "FR", "paid", huge, false, false);
    REQUIRE_FALSE(big.is_ok());
    CHECK(big.status().code() == Code::kTooLarge);
    // Invalid UTF-8 is read, not refused: its bytes are no letters.
    CHECK(disclosure("US", "paid", "\xFF#ad\xFE").state == DisclosureState::kOk);
}

TEST_CASE("the French written contract is required from 1000 euros excluding VAT", "[compliance]") {
    const auto under = contracts({amount("c1", 99999)});
    REQUIRE(under.groups.size() == 1);
    CHECK(under.groups[0].sum_minor == 99999);
    CHECK(under.groups[0].state == ContractState::kWarn);
    CHECK(under.groups[0].unsigned_over.empty());
    CHECK(under.version == "contract_fr/1");

    const auto at = contracts({amount("c1", 100000)});
    CHECK(at.groups[0].state == ContractState::kRequired);
    CHECK(at.groups[0].unsigned_over == std::vector<std::string>{"c1"});

    // The warning level (80 %, ours): 799.99 euros is below it, 800.00 at it.
    CHECK(contracts({amount("c1", 79999)}).groups[0].state == ContractState::kBelow);
    CHECK(contracts({amount("c1", 80000)}).groups[0].state == ContractState::kWarn);
}

TEST_CASE("fees and in-kind value are summed per advertiser influencer year and objective",
          "[compliance]") {
    // 600 euros of fees and a 400 euro product in kind cross the threshold together; the
    // collaboration with a signed contract is not flagged.
    auto second = amount("c2", 0, 40000);
    const auto r = contracts({amount("c1", 60000, 0, true), second});
    REQUIRE(r.groups.size() == 1);
    CHECK(r.groups[0].sum_minor == 100000);
    CHECK(r.groups[0].state == ContractState::kRequired);
    CHECK(r.groups[0].collaborations == std::vector<std::string>{"c1", "c2"});
    CHECK(r.groups[0].unsigned_over == std::vector<std::string>{"c2"});

    // Another objective, year, advertiser or influencer is another sum.
    auto other_objective = amount("c2", 40000);
    other_objective.objective = "autumn-range";
    auto other_year = amount("c3", 40000);
    other_year.year = 2027;
    auto other_advertiser = amount("c4", 40000);
    other_advertiser.advertiser = "brand-b";
    const auto split =
        contracts({amount("c1", 60000), other_objective, other_year, other_advertiser});
    CHECK(split.groups.size() == 4);
    for (const auto& g : split.groups) CHECK(g.state != ContractState::kRequired);

    // Another currency is not converted here.
    auto dollars = amount("c5", 500000);
    dollars.currency = "USD";
    const auto mixed = contracts({amount("c1", 60000), dollars});
    CHECK(mixed.unconvertible == std::vector<std::string>{"c5"});
    CHECK(mixed.groups[0].sum_minor == 60000);
}

TEST_CASE("bad collaboration amounts are refused with the collaboration named", "[compliance]") {
    auto negative = contract_threshold_fr(rules(), {amount("c9", -1)});
    REQUIRE_FALSE(negative.is_ok());
    CHECK(negative.status().detail().find("collaboration \"c9\"") != std::string::npos);
    auto no_objective = amount("c8", 100);
    no_objective.objective.clear();
    auto r = contract_threshold_fr(rules(), {no_objective});
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().detail() == "collaboration \"c8\": objective is empty");
    auto bad_currency = amount("c7", 100);
    bad_currency.currency = "euro";
    CHECK_FALSE(contract_threshold_fr(rules(), {bad_currency}).is_ok());
    // Sums stay far from overflow: 2,000 amounts of 10^15 each are refused past 10^18.
    std::vector<CollaborationAmount> many(2000, amount("c", 1000000000000000));
    auto huge = contract_threshold_fr(rules(), many);
    REQUIRE_FALSE(huge.is_ok());
    CHECK(huge.status().detail().find("over 10^18") != std::string::npos);
}

TEST_CASE("editing a rule table changes the outcome without touching code", "[compliance]") {
    // The threshold halved: 600 euros now needs a written contract.
    CHECK(contracts({amount("c1", 60000)}).groups[0].state == ContractState::kBelow);
    auto half =
        parse(edited("contract_fr.json", "\"amount_minor\": 100000", "\"amount_minor\": 50000"));
    REQUIRE(half.is_ok());
    CHECK(contracts({amount("c1", 60000)}, half.value()).groups[0].state ==
          ContractState::kRequired);

    // A new accepted word for the United States.
    auto word = parse(edited("disclosure.json", "\"words\": [\"ad\", \"sponsored\"",
                             "\"words\": [\"ad\", \"promotion\", \"sponsored\""));
    REQUIRE(word.is_ok());
    CHECK(check_disclosure(word.value(), "US", "paid", "#promotion", false, false)->state ==
          DisclosureState::kOk);
    CHECK(disclosure("US", "paid", "#promotion").state == DisclosureState::kMissing);

    // A six-month validity.
    auto six = parse(edited("vetting.json", "\"months\": 12", "\"months\": 6"));
    REQUIRE(six.is_ok());
    auto status = vetting_status(six.value(), {record("2026-01-10")}, "2026-08-01");
    REQUIRE(status.is_ok());
    CHECK(status.value().state == VettingState::kExpired);
    CHECK(status.value().expiry == "2026-07-10");
    CHECK(vetting({record("2026-01-10")}, "2026-08-01") == VettingState::kPassed);
}

TEST_CASE("French promotions are allowed restricted or prohibited by category", "[compliance]") {
    auto check = [](std::string_view market, std::string_view category,
                    std::vector<std::string> met = {}) {
        auto r = check_promotion(rules(), market, category, met);
        REQUIRE(r.is_ok());
        return r.value();
    };
    const auto nicotine = check("FR", "nicotine");
    CHECK(nicotine.verdict == PromotionVerdict::kProhibited);
    CHECK(nicotine.source == "fr-loi-2023-451-art4");
    CHECK(check("FR", "cosmetic_surgery").verdict == PromotionVerdict::kProhibited);
    CHECK(check("FR", "sports_betting_tips").verdict == PromotionVerdict::kProhibited);
    CHECK(check("FR", "gambling", {"age_gated"}).verdict == PromotionVerdict::kRestrictedMet);
    const auto open_gambling = check("FR", "gambling");
    CHECK(open_gambling.verdict == PromotionVerdict::kRestrictedNotMet);
    CHECK(open_gambling.condition == "age_gated");
    CHECK(check("FR", "crypto_asset_services", {"provider_authorised"}).verdict ==
          PromotionVerdict::kRestrictedMet);
    CHECK(check("FR", "skincare").verdict == PromotionVerdict::kAllowed);
    const auto elsewhere = check("US", "nicotine");
    CHECK(elsewhere.verdict == PromotionVerdict::kAllowed);
    CHECK_FALSE(elsewhere.market_has_table);
    CHECK_FALSE(check_promotion(rules(), "FR", "Gambling!", {}).is_ok());
}

TEST_CASE("vetting status comes from the latest record", "[compliance]") {
    CHECK(vetting({}, "2026-05-01") == VettingState::kMissing);
    CHECK(vetting({record("2026-01-10")}, "2026-05-01") == VettingState::kPassed);
    CHECK(vetting({record("2026-01-10", "", GuidelineResult::kFail)}, "2026-05-01") ==
          VettingState::kFailed);
    // The latest wins, whatever the order given; a failure is cleared by a new vetting.
    CHECK(vetting({record("2026-03-01"), record("2026-01-10", "", GuidelineResult::kFail)},
                  "2026-05-01") == VettingState::kPassed);
    CHECK(vetting({record("2026-03-01", "", GuidelineResult::kFail), record("2026-01-10")},
                  "2026-05-01") == VettingState::kFailed);
    auto na = record("2026-01-10", "", GuidelineResult::kNotApplicable);
    CHECK(vetting({na}, "2026-05-01") == VettingState::kPassed);

    auto partial = record("2026-01-10");
    partial.results.pop_back();
    auto r = vetting_status(rules(), {partial}, "2026-05-01");
    REQUIRE(r.is_ok());
    CHECK(r.value().state == VettingState::kIncomplete);
    CHECK(r.value().unassessed == std::vector<std::string>{"post_campaign"});

    auto failed = record("2026-01-10");
    failed.results[2].second = GuidelineResult::kFail;
    auto f = vetting_status(rules(), {failed}, "2026-05-01");
    REQUIRE(f.is_ok());
    CHECK(f.value().failed == std::vector<std::string>{"brand_values"});
}

TEST_CASE("vetting expires on its expiry date", "[compliance]") {
    // Valid through the day before the expiry date.
    CHECK(vetting({record("2026-01-10", "2026-06-30")}, "2026-06-29") == VettingState::kPassed);
    CHECK(vetting({record("2026-01-10", "2026-06-30")}, "2026-06-30") == VettingState::kExpired);
    // Without an expiry: twelve calendar months, clamped at the month's end.
    auto r = vetting_status(rules(), {record("2027-02-28")}, "2028-02-27");
    REQUIRE(r.is_ok());
    CHECK(r.value().expiry == "2028-02-28");
    CHECK(r.value().state == VettingState::kPassed);
    CHECK(vetting({record("2027-02-28")}, "2028-02-28") == VettingState::kExpired);
    auto leap = vetting_status(rules(), {record("2028-02-29")}, "2028-03-01");
    REQUIRE(leap.is_ok());
    CHECK(leap.value().expiry == "2029-02-28");
}

TEST_CASE("bad vetting records are refused", "[compliance]") {
    auto bad_date = vetting_status(rules(), {record("2026-02-30")}, "2026-05-01");
    REQUIRE_FALSE(bad_date.is_ok());
    CHECK(bad_date.status().code() == Code::kBadFormat);
    CHECK(bad_date.status().detail().find("vetting record 1 date") != std::string::npos);
    auto backwards = vetting_status(rules(), {record("2026-02-01", "2026-01-01")}, "2026-05-01");
    REQUIRE_FALSE(backwards.is_ok());
    CHECK(backwards.status().code() == Code::kInvalidArgument);
    auto unknown = record("2026-01-10");
    unknown.results.emplace_back("tone_of_voice", GuidelineResult::kPass);
    auto u = vetting_status(rules(), {unknown}, "2026-05-01");
    REQUIRE_FALSE(u.is_ok());
    CHECK(u.status().code() == Code::kUnknownValue);
    CHECK_FALSE(vetting_status(rules(), {}, "today").is_ok());
}

TEST_CASE("a collaboration moves to contracted or live only with a passed vetting or an override",
          "[compliance]") {
    auto move = [](VettingState v, std::string_view target, std::string_view reason = "") {
        auto r = collaboration_move_allowed(rules(), v, target, reason);
        REQUIRE(r.is_ok());
        return r.value();
    };
    CHECK(move(VettingState::kPassed, "contracted").allowed);
    CHECK_FALSE(move(VettingState::kPassed, "contracted").overridden);
    for (auto v : {VettingState::kMissing, VettingState::kFailed, VettingState::kExpired,
                   VettingState::kIncomplete})
        for (const char* target : {"contracted", "live"}) {
            INFO(vetting_state_name(v) << " -> " << target);
            const auto blocked = move(v, target);
            CHECK_FALSE(blocked.allowed);
            CHECK(blocked.reason.find(vetting_state_name(v)) != std::string::npos);
            CHECK_FALSE(move(v, target, " \t\n").allowed);
            const auto overridden = move(v, target, "signed off by legal on 2 March");
            CHECK(overridden.allowed);
            CHECK(overridden.overridden);
            CHECK(overridden.reason == "signed off by legal on 2 March");
        }
    CHECK(move(VettingState::kFailed, "proposed").allowed);
    CHECK(move(VettingState::kMissing, "vetted").allowed);
    auto long_reason = collaboration_move_allowed(rules(), VettingState::kFailed, "live",
                                                  std::string(kMaxOverrideReasonBytes + 1, 'x'));
    REQUIRE_FALSE(long_reason.is_ok());
    CHECK(long_reason.status().code() == Code::kTooLong);
}

TEST_CASE("price bands and performance floors are the table's defaults", "[compliance]") {
    CHECK(price_band(rules(), "instagram", "expert", 300000, "EUR").verdict ==
          PriceVerdict::kWithin);
    const auto over = price_band(rules(), "instagram", "expert", 300001, "EUR");
    CHECK(over.verdict == PriceVerdict::kOver);
    CHECK(over.max_fee_minor == 300000);
    CHECK(over.source == "liaison-default");
    CHECK(price_band(rules(), "instagram", "expert", 100, "GBP").verdict ==
          PriceVerdict::kOtherCurrency);
    CHECK(price_band(rules(), "podcast", "top", 100, "EUR").verdict == PriceVerdict::kNoBand);

    CHECK(meets_performance(rules(), "expert", 200).verdict == PerformanceVerdict::kMeets);
    CHECK(meets_performance(rules(), "expert", 199).verdict == PerformanceVerdict::kBelow);
    CHECK(meets_performance(rules(), "employee", 0).verdict == PerformanceVerdict::kNoThreshold);
}

TEST_CASE("GDPR requests are due one calendar month after receipt", "[compliance]") {
    auto due = [](std::string_view kind, std::string_view received) {
        auto r = gdpr_due(rules(), kind, received);
        REQUIRE(r.is_ok());
        return r.value();
    };
    for (const char* kind : {"access", "rectification", "erasure", "restriction", "objection"})
        CHECK(due(kind, "2027-03-15") == "2027-04-15");
    CHECK(due("erasure", "2027-01-31") == "2027-02-28");
    CHECK(due("erasure", "2028-01-31") == "2028-02-29");
    CHECK(due("access", "2027-12-31") == "2028-01-31");
    auto unknown = gdpr_due(rules(), "portability", "2027-03-15");
    REQUIRE_FALSE(unknown.is_ok());
    CHECK(unknown.status().code() == Code::kUnknownValue);
    CHECK_FALSE(gdpr_due(rules(), "access", "2027-3-15").is_ok());
}

TEST_CASE("the article 14 notice is due within a month or at first contact", "[compliance]") {
    auto notice = [](std::string_view collected, std::string_view contact) {
        auto r = notice_due(rules(), collected, contact);
        REQUIRE(r.is_ok());
        return r.value();
    };
    CHECK(notice("2027-01-10", "").due == "2027-02-10");
    const auto early = notice("2027-01-10", "2027-01-20");
    CHECK(early.due == "2027-01-20");
    CHECK(early.at_first_contact);
    const auto late = notice("2027-01-10", "2027-03-01");
    CHECK(late.due == "2027-02-10");
    CHECK_FALSE(late.at_first_contact);
    CHECK_FALSE(notice_due(rules(), "2027-01-10", "2027-01-01").is_ok());
}

TEST_CASE("an influencer outside the EU targeting France needs an EU representative",
          "[compliance]") {
    auto needs = [](std::string_view country, std::vector<std::string> markets) {
        auto r = needs_eu_representative(rules(), country, markets);
        REQUIRE(r.is_ok());
        return r.value();
    };
    CHECK(needs("US", {"FR"}));
    CHECK(needs("AE", {"GB", "FR"}));
    CHECK_FALSE(needs("US", {"US", "GB"}));
    CHECK_FALSE(needs("DE", {"FR"}));
    CHECK_FALSE(needs("NO", {"FR"}));
    CHECK_FALSE(needs("CH", {"FR"}));
    CHECK_FALSE(needs_eu_representative(rules(), "usa", {"FR"}).is_ok());
    CHECK_FALSE(needs_eu_representative(rules(), "US", {"France"}).is_ok());
}

TEST_CASE("a person is a minor until the 18th birthday", "[compliance]") {
    auto minor = [](std::string_view birth, std::string_view today) {
        auto r = is_minor(rules(), birth, today);
        REQUIRE(r.is_ok());
        return r.value();
    };
    CHECK(minor("2008-06-15", "2026-06-14"));
    CHECK_FALSE(minor("2008-06-15", "2026-06-15"));
    CHECK(minor("2008-02-29", "2026-02-28"));
    CHECK_FALSE(minor("2008-02-29", "2026-03-01"));
    CHECK_FALSE(minor("1980-01-01", "2026-01-01"));
    CHECK_FALSE(is_minor(rules(), "2030-01-01", "2026-01-01").is_ok());
}

TEST_CASE("malformed rule tables are refused as a whole with the table entry and field named",
          "[compliance]") {
    CHECK(refusal(edited("contract_fr.json", "\"amount_minor\": 100000", "\"amount_minor\": -5")) ==
          "contract_fr: threshold: \"amount_minor\" must be a whole number from 1 to "
          "1000000000000000");
    CHECK(
        refusal(edited("disclosure.json", "\"when\": \"image_edited\"", "\"when\": \"edited\"")) ==
        "disclosure: markets[0] (FR): mentions[1] (fr.image_edited): \"when\" must be always, "
        "image_edited or image_generated");
    CHECK(refusal(edited("vetting.json", "\"max_fee_minor\": 300000", "\"max_fee\": 300000")) ==
          "vetting: price_bands[1] (instagram): \"max_fee\" is not a field of this table");
    CHECK(refusal(edited("gdpr.json", "\"GR\"", "\"Greece\"")) ==
          "gdpr: eu_representative: \"exempt_countries\" must list ISO 3166-1 alpha-2 codes");
    CHECK(refusal(edited("promotions_fr.json", "\"condition\": \"age_gated\",", "")) ==
          "promotions_fr: categories[7] (gambling): \"condition\" is missing");
    CHECK(refusal(edited("vetting.json", "\"version\": \"vetting/1\"",
                         "\"version\": \"vetting/01\"")) ==
          "vetting: \"version\" must be \"vetting/<n>\", n >= 1");
    CHECK(refusal(edited(
              "disclosure.json",
              "\"types\": [\"paid\", \"loan\", \"affiliate\"],\n          \"words\": [\"ad\", "
              "\"advert\"",
              "\"types\": [\"paid\", \"affiliate\"],\n          \"words\": [\"ad\", \"advert\"")) ==
          "disclosure: markets[2] (GB): \"types\" lists \"loan\" but no mention that always "
          "applies to it");
    CHECK(refusal(edited("contract_fr.json", "{", "[")).find("table text") != std::string::npos);

    // A table missing, given twice, unknown, or nested deeper than any table needs.
    auto twice = edited("vetting.json", "\"months\": 12", "\"months\": 6");
    twice.emplace_back(embedded_tables().back().text);
    CHECK(refusal(twice) == "vetting: the table is given twice");
    std::vector<std::string> four;
    for (const auto& t : embedded_tables())
        if (t.file != "gdpr.json") four.emplace_back(t.text);
    auto missing = parse(four);
    REQUIRE_FALSE(missing.is_ok());
    CHECK(missing.status().code() == Code::kRequired);
    CHECK(missing.status().detail() == "gdpr: the table is missing");
    CHECK(refusal(edited("gdpr.json", "\"table\": \"gdpr\"", "\"table\": \"privacy\""))
              .find("\"privacy\" is not one of") != std::string::npos);
    four.push_back(std::string(100000, '[') + std::string(100000, ']'));
    auto deep = parse(four);
    REQUIRE_FALSE(deep.is_ok());
    CHECK(deep.status().code() == Code::kMalformed);
    // Text that is not UTF-8 (a Latin-1 "é" in a mention) is refused, not read as letters.
    const auto latin1 = refusal(edited("disclosure.json", "publicité", "publicit\xe9"));
    CHECK(latin1.find("not UTF-8") != std::string::npos);
}

}  // namespace liaison::test::core_compliance_rules

// The record model holds what the tables name (docs/COMPLIANCE.md, "What the record holds"): a
// guideline without its field in `vetting` could not be recorded, a request kind without its
// value in `gdpr_request.type` could not be registered, and a basis's `needs` names a field
// of the person.
TEST_CASE("the record model holds every guideline request kind and basis the tables name",
          "[compliance]") {
    const auto& rules = liaison::core::compliance::RuleSet::builtin();
    const auto& vetting = liaison::core::kind_def(liaison::core::Kind::kVetting);
    for (const auto& g : rules.vetting.guidelines) {
        INFO(g.id);
        const int i = vetting.field_index(g.id);
        REQUIRE(i >= 0);
        CHECK(vetting.fields[std::size_t(i)].choices ==
              std::vector<std::string>{"pass", "fail", "not_applicable"});
    }
    const auto& request = liaison::core::kind_def(liaison::core::Kind::kGdprRequest);
    const auto& types = request.fields[std::size_t(request.field_index("type"))].choices;
    for (const auto& r : rules.gdpr.requests) {
        INFO(r.kind);
        CHECK(std::find(types.begin(), types.end(), r.kind) != types.end());
    }
    const auto& person = liaison::core::kind_def(liaison::core::Kind::kInfluencer);
    const auto& bases = person.fields[std::size_t(person.field_index("consent_basis"))].choices;
    for (const auto& b : rules.gdpr.lawful_bases) {
        INFO(b.basis);
        CHECK(std::find(bases.begin(), bases.end(), b.basis) != bases.end());
        if (!b.needs.empty()) CHECK(person.field_index(b.needs) >= 0);
    }
}

// What a card and a new contact read (core/query/compliance.hpp): the same vetting and gdpr
// tables as the whole set, and nothing else.
TEST_CASE("the people's rules are the built-in vetting and gdpr tables alone", "[compliance]") {
    const auto& all = liaison::core::compliance::RuleSet::builtin();
    const auto& people = liaison::core::compliance::RuleSet::builtin_people();
    CHECK(people.vetting.version == all.vetting.version);
    CHECK(people.vetting.guidelines.size() == all.vetting.guidelines.size());
    CHECK(people.vetting.validity_months == all.vetting.validity_months);
    CHECK(people.vetting.gated_statuses == all.vetting.gated_statuses);
    CHECK(people.gdpr.version == all.gdpr.version);
    CHECK(people.gdpr.marketing_touchpoints == all.gdpr.marketing_touchpoints);
    CHECK(people.gdpr.marketing_departments == all.gdpr.marketing_departments);
    CHECK(people.gdpr.requests.size() == all.gdpr.requests.size());
    CHECK(people.disclosure.version.empty());
    CHECK(people.contract_fr.version.empty());
    CHECK(people.promotions_fr.version.empty());
}
