#include "core/model/schema.hpp"

#include <cassert>

namespace liaison::core {
namespace {

// The record model is data: one constant array of rows (kModel, below), laid out at compile
// time, that build() turns into the KindDefs once, at first use. Built by code — a call per
// field, each making its std::string and std::vector — it was 17.4 KB of core.wasm.gz, the web
// app's first load (docs/PERFORMANCE.md, "the shell's size"): keep the builders constexpr.
//
// A row is a kind's header, one of its fields or one of its sets. Only the members its builder
// sets mean anything for it.
struct Row {
    enum Tag : std::uint8_t { kKindRow, kFieldRow, kSetRow };
    Tag tag = kFieldRow;
    std::uint8_t type = 0;          // FieldType, ElemType or (a kind's) KindClass
    Kind kind = Kind::kInfluencer;  // a kind's own; a reference's (or a set's) ref_kind
    bool required = false;
    bool subject = false;
    bool searchable = false;
    bool directory = false;
    bool central = false;       // FieldDef::central, or KindDef::central
    bool mergeable = false;     // a kind's
    bool personal = false;      // a kind's
    std::uint16_t max_len = 0;  // characters (the longest is 4,000); 32 bits cost 0.6 KB gz
    const char* name = nullptr;
    const char* choices = nullptr;  // kEnum values, separated by single spaces
    std::int64_t min = 0, max = INT64_MAX;
};

// Small builders so the table below reads as the model. All constexpr: the table they make is
// constant data, not code.
constexpr Row kind(Kind k, const char* name, KindClass cls, bool mergeable = false,
                   bool personal = false) {
    Row r;
    r.tag = Row::kKindRow;
    r.kind = k;
    r.name = name;
    r.type = std::uint8_t(cls);
    r.mergeable = mergeable;
    r.personal = personal;
    return r;
}
constexpr Row text(const char* name, std::uint16_t max_len = 200, bool required = false) {
    Row r;
    r.name = name;
    r.type = std::uint8_t(FieldType::kText);
    r.max_len = max_len;
    r.required = required;
    return r;
}
constexpr Row required_text(const char* name, std::uint16_t max_len = 200) {
    return text(name, max_len, true);
}
constexpr Row long_text(const char* name, std::uint16_t max_len) {
    Row r = text(name, max_len);
    r.type = std::uint8_t(FieldType::kLongText);
    return r;
}
constexpr Row typed(const char* name, FieldType type, bool required = false) {
    Row r;
    r.name = name;
    r.type = std::uint8_t(type);
    r.required = required;
    r.max_len = type == FieldType::kUrl ? 2048 : type == FieldType::kEmail ? 254 : 64;
    return r;
}
constexpr Row integer(const char* name, std::int64_t min, std::int64_t max) {
    Row r = typed(name, FieldType::kInt);
    r.min = min;
    r.max = max;
    return r;
}
// `choices`: the values, separated by single spaces (values are identifiers).
constexpr Row choice(const char* name, const char* choices, bool required = false) {
    Row r = typed(name, FieldType::kEnum, required);
    r.choices = choices;
    return r;
}
constexpr Row ref(const char* name, Kind kind, bool required = false) {
    Row r = typed(name, FieldType::kRef, required);
    r.kind = kind;
    r.max_len = 26;
    return r;
}
constexpr Row subject_ref(bool required = true) {
    Row r = ref("influencer", Kind::kInfluencer, required);
    r.subject = true;
    return r;
}
constexpr Row required(Row r) {
    r.required = true;
    return r;
}
constexpr Row sized(Row r, std::uint16_t max_len) {
    r.max_len = max_len;
    return r;
}
constexpr Row searchable(Row r) {
    r.searchable = true;
    return r;
}
// A directory field or set: sent to every device of the record's brands, inside their scope
// or not (docs/SYNC.md "Directory").
constexpr Row dir(Row r) {
    r.directory = true;
    return r;
}
// A field only the central team writes (schema 8: FieldDef::central), or a kind only the
// central team writes entries of (KindDef::central).
constexpr Row central_only(Row r) {
    r.central = true;
    return r;
}
// An amount in minor units (cents); the kind's `currency` field says of which currency.
constexpr Row money(const char* name) { return integer(name, 0, INT64_C(1000000000000)); }
constexpr Row set(const char* name, ElemType elem, const char* choices = nullptr) {
    Row r;
    r.tag = Row::kSetRow;
    r.name = name;
    r.type = std::uint8_t(elem);
    r.kind = Kind::kBrand;
    r.choices = choices;
    r.max_len = 64;
    return r;
}
constexpr Row ref_set(const char* name, Kind kind) {
    Row r = set(name, ElemType::kRef);
    r.kind = kind;
    return r;
}

// The words of a list separated by single spaces (none for nullptr).
std::vector<std::string> words(const char* list) {
    std::vector<std::string> out;
    if (list == nullptr) return out;
    std::string_view rest = list;
    for (;;) {
        auto space = rest.find(' ');
        out.emplace_back(rest.substr(0, space));
        if (space == std::string_view::npos) return out;
        rest.remove_prefix(space + 1);
    }
}

// Schema 9 (docs/SYNC.md R12): what the law requires a brand to keep of a record about a
// person it erased — a collaboration's money, dates, campaign and contract (commercial and tax
// records), a conversion (an order: the shop's accounts), a data-subject request's own entry
// (the proof the request was handled). Everything else of the record, and its person, goes.
// A conversion keeps all of it but its person: nothing else in it is about her.
void mark_kept(std::vector<KindDef>& kinds) {
    struct Kept {
        Kind kind;
        const char* names;  // fields and sets, separated by single spaces
    };
    static constexpr Kept table[] = {
        {Kind::kCollaboration,
         "campaign type status fee currency contract_ref intermediary disclosure_required "
         "starts ends brand region in_kind_value product contract_status contract_date "
         "promo_code link shipped return_due returned store agency override_by objective "
         "markets"},
        {Kind::kConversion,
         "shop order_ref at value currency link promo_code campaign collaboration brand region "
         "store visitor"},
        {Kind::kGdprRequest, "type received status closed staff"},
    };
    for (const auto& t : table) {
        auto& k = kinds[std::size_t(t.kind)];
        for (const auto& name : words(t.names)) {
            bool found = false;
            for (auto& f : k.fields)
                if (f.name == name) f.kept = found = true;
            for (auto& s : k.sets)
                if (s.name == name) s.kept = found = true;
            assert(found && "a kept name the kind does not have");
            (void)found;
        }
    }
}

// The record model is laid out by hand, one kind per block, as a table is read: clang-format
// would re-flow it.
// clang-format off
constexpr char kTouchpoints[] =
    "store event email social phone customer_service gifting loan paid_collaboration meeting "
    "other";
constexpr char kDepartments[] =
    "pr social marketing retail customer_service legal procurement hr events other";
constexpr char kTones[] = "positive neutral negative";
// A collaboration's statuses, as its `status` field lists them (core/query/pipeline.hpp).
constexpr char kPipeline[] =
    "proposed active completed cancelled vetted contracted live delivered validated closed";
// The platforms a handle or a piece of content can be on (platforms()).
constexpr char kPlatforms[] =
    "instagram tiktok youtube x facebook linkedin twitch pinterest snapchat threads bluesky "
    "blog podcast press other";
// A vetting guideline's result (the vetting kind, below).
constexpr char kResult[] = "pass fail not_applicable";

// Each kind is its header row (kind()), then its fields, then its sets, in enum order. Devices
// read fields, sets and enum values by position and by text: they are only appended, a field
// at the end of its kind's fields, a set at the end of its sets, a value at the end of its list.
constexpr Row kModel[] = {
    kind(Kind::kInfluencer, "influencer", KindClass::kProfile, /*mergeable=*/true,
         /*personal=*/true),
        dir(searchable(required_text("name"))),
        searchable(typed("email", FieldType::kEmail)),
        searchable(typed("phone", FieldType::kPhone)),
        dir(typed("country", FieldType::kCountry)),
        // The influence pyramid (docs/DESIGN.md §1).
        dir(choice("tier", "top expert employee advocate prospect")),
        dir(ref("owner", Kind::kStaff)),
        dir(choice("status", "active do_not_contact inactive")),
        dir(choice("consent", "unknown granted refused withdrawn")),
        dir(choice("consent_basis", "consent contract legitimate_interest legal_obligation")),
        dir(choice("vetting", "pending approved approved_with_reserve rejected")),
        long_text("vetting_notes", 2000),
        long_text("notes", 4000),
        dir(ref("region", Kind::kRegion)),
        dir(ref("store", Kind::kStore)),
        dir(ref("brand", Kind::kBrand)),
        // Schema 8 (docs/COMPLIANCE.md, "GDPR"): born when (a minor is flagged), where the data
        // came from, the legitimate interest's balancing note, the proof of consent (when,
        // where, how), the article 14 notice (which version, when sent), an EU representative
        // and insurance for a creator established outside the EU, and a legal hold (central)
        // that retention leaves alone. None is in the directory.
        typed("birth_date", FieldType::kDate),
        text("data_source", 200),
        long_text("balancing_note", 4000),
        typed("consent_at", FieldType::kTime),
        text("consent_where", 200),
        text("consent_how", 200),
        text("notice_version", 40),
        typed("notice_sent", FieldType::kDate),
        text("legal_rep_eu", 200),
        text("insurance_eu", 200),
        central_only(typed("legal_hold", FieldType::kBool)),
        // Sets.
        dir(searchable(sized(set("handles", ElemType::kHandle), 140))),
        dir(set("roles", ElemType::kEnum,
                "customer prospect journalist supplier employee creator expert advocate")),
        set("topics", ElemType::kTag),
        dir(set("languages", ElemType::kLanguage)),
        dir(ref_set("brands", Kind::kBrand)),
        set("tags", ElemType::kTag),
        // Schema 4: people the central team found are not this person, though they look
        // alike; the duplicates queue leaves those pairs out.
        ref_set("distinct_from", Kind::kInfluencer),

    // The directory fields of a contact are its mark (D6): when, how, which department, where.
    kind(Kind::kInteraction, "interaction", KindClass::kLog),
        dir(subject_ref()),
        dir(typed("at", FieldType::kTime, true)),
        dir(choice("touchpoint", kTouchpoints, true)),
        dir(choice("department", kDepartments, true)),
        dir(ref("brand", Kind::kBrand)),
        dir(ref("region", Kind::kRegion)),
        dir(ref("store", Kind::kStore)),
        dir(ref("event", Kind::kEvent)),
        ref("staff", Kind::kStaff),
        long_text("summary", 2000),
        choice("tone", kTones),
        text("follow_up", 500),
        typed("follow_up_due", FieldType::kDate),
        // Schema 2: which campaign the contact was logged for.
        ref("campaign", Kind::kCampaign),
        // Schema 4: the follow-up this contact asked for is done (view.hpp).
        typed("follow_up_done", FieldType::kBool),

    kind(Kind::kEvent, "event", KindClass::kProfile),
        required_text("name"),
        typed("starts", FieldType::kTime, true),
        typed("ends", FieldType::kTime),
        text("venue"),
        integer("capacity", 0, 1000000),
        ref("campaign", Kind::kCampaign),
        ref("brand", Kind::kBrand),
        ref("region", Kind::kRegion),
        ref("store", Kind::kStore),
        // Sets.
        set("tags", ElemType::kTag),

    kind(Kind::kCheckin, "checkin", KindClass::kLog),
        dir(ref("event", Kind::kEvent, true)),
        dir(subject_ref()),
        dir(typed("at", FieldType::kTime, true)),
        ref("staff", Kind::kStaff),
        dir(typed("walk_in", FieldType::kBool)),
        long_text("note", 1000),
        dir(ref("brand", Kind::kBrand)),
        dir(ref("region", Kind::kRegion)),
        dir(ref("store", Kind::kStore)),

    kind(Kind::kProgramme, "programme", KindClass::kProfile),
        required_text("name"),
        typed("starts", FieldType::kDate),
        typed("ends", FieldType::kDate),
        long_text("objectives", 4000),
        ref("brand", Kind::kBrand),
        ref("region", Kind::kRegion),
        // Schema 6: the programme's budget (docs/PROGRAMMES.md).
        money("budget"),
        typed("currency", FieldType::kCurrency),

    kind(Kind::kCampaign, "campaign", KindClass::kProfile),
        required_text("name"),
        ref("programme", Kind::kProgramme),
        typed("starts", FieldType::kDate),
        typed("ends", FieldType::kDate),
        money("budget"),
        typed("currency", FieldType::kCurrency),
        long_text("objectives", 4000),
        ref("brand", Kind::kBrand),
        ref("region", Kind::kRegion),
        // Schema 6: a store's own campaign (its clicks and conversions stay there), what it
        // sells, and its KPI targets by AMEC stage.
        ref("store", Kind::kStore),
        text("product_category", 120),
        sized(typed("targets", FieldType::kTargets), 2000),
        // Schema 9: the condition of a restricted product category that the central team
        // attests ("age_gated"; the promotions_fr table, docs/COMPLIANCE.md).
        text("promotion_condition", 64),
        // Sets.
        set("kpis", ElemType::kEnum,
            "mentions reach engagement share_of_voice tone traffic sales nps emv"),
        // Schema 6: the countries it is run in (disclosure rules are per market).
        set("markets", ElemType::kCountry),

    // A collaboration's mark (D6): its type, status and dates — whether it is an active paid
    // one — never its fee, contract, intermediary or deliverables.
    kind(Kind::kCollaboration, "collaboration", KindClass::kLog),
        dir(subject_ref()),
        ref("campaign", Kind::kCampaign),
        dir(choice("type", "paid gifted loan affiliate seeding", true)),
        // The pipeline (core/query/pipeline.hpp): schema 6 appended its seven steps; "active"
        // and "completed" are read as live and closed.
        dir(choice("status", kPipeline)),
        money("fee"),
        typed("currency", FieldType::kCurrency),
        text("contract_ref", 120),
        text("intermediary", 200),
        typed("disclosure_required", FieldType::kBool),
        long_text("deliverables", 2000),
        dir(typed("starts", FieldType::kDate)),
        dir(typed("ends", FieldType::kDate)),
        dir(ref("brand", Kind::kBrand)),
        dir(ref("region", Kind::kRegion)),
        // Schema 6: what is given (seeding, loans, gifts) and what it is worth, the contract,
        // the codes, the shipment and a loan's return.
        money("in_kind_value"),
        text("product", 200),
        choice("contract_status", "none draft sent signed ended"),
        typed("contract_date", FieldType::kDate),
        typed("promo_code", FieldType::kCode),
        ref("link", Kind::kTrackedLink),
        typed("shipped", FieldType::kDate),
        text("tracking", 120),
        typed("return_due", FieldType::kDate),
        typed("returned", FieldType::kDate),
        dir(ref("store", Kind::kStore)),
        // Schema 8 (docs/COMPLIANCE.md): the agency or agent it goes through, the vetting
        // override the central team gave (why, who), and its promotional objective (France's
        // written-contract threshold sums per objective).
        ref("agency", Kind::kIntermediary),
        central_only(long_text("override_reason", 2000)),
        central_only(ref("override_by", Kind::kStaff)),
        text("objective", 200),
        // Sets.
        set("markets", ElemType::kCountry),
        sized(set("deliverables_due", ElemType::kDatedItem), 200),

    kind(Kind::kContent, "content", KindClass::kLog),
        subject_ref(),
        choice("platform", kPlatforms, true),
        typed("url", FieldType::kUrl, true),
        typed("published_at", FieldType::kTime),
        integer("reach", 0, INT64_MAX),
        integer("engagements", 0, INT64_MAX),
        typed("disclosure_found", FieldType::kBool),
        choice("tone", kTones),
        ref("campaign", Kind::kCampaign),
        ref("brand", Kind::kBrand),
        ref("region", Kind::kRegion),
        // Schema 6: the collaboration it was made for (none: organic), the handle it was
        // posted from, its metrics by kind, the proof of its disclosure.
        ref("collaboration", Kind::kCollaboration),
        text("handle", 140),
        integer("impressions", 0, INT64_MAX),
        integer("likes", 0, INT64_MAX),
        integer("comments", 0, INT64_MAX),
        integer("shares", 0, INT64_MAX),
        integer("saves", 0, INT64_MAX),
        integer("video_views", 0, INT64_MAX),
        typed("disclosure_proof", FieldType::kUrl),
        ref("store", Kind::kStore),
        // Schema 8 (docs/COMPLIANCE.md, "Disclosure"): the caption the mention is looked for
        // in, whether its images were retouched or generated (France's extra mention), who
        // checked its disclosure and when.
        long_text("caption", 4000),
        typed("image_edited", FieldType::kBool),
        typed("image_generated", FieldType::kBool),
        ref("disclosure_checked_by", Kind::kStaff),
        typed("disclosure_checked_at", FieldType::kTime),
        // Sets.
        ref_set("brands_mentioned", Kind::kBrand),

    kind(Kind::kTrackedLink, "tracked_link", KindClass::kProfile),
        typed("code", FieldType::kCode, true),
        typed("target", FieldType::kUrl, true),
        subject_ref(false),
        ref("campaign", Kind::kCampaign),
        ref("brand", Kind::kBrand),
        ref("region", Kind::kRegion),
        // Schema 6: a store campaign's link stays at the store; a link made for a
        // collaboration names it.
        ref("store", Kind::kStore),
        ref("collaboration", Kind::kCollaboration),

    // `conversion` and `value` are not written since schema 6 (an order is a conversion of its
    // own, with its currency); kept, as every field is, for the entries that have them.
    kind(Kind::kClick, "click", KindClass::kLog),
        ref("link", Kind::kTrackedLink, true),
        typed("at", FieldType::kTime, true),
        text("referrer", 512),
        typed("conversion", FieldType::kBool),
        integer("value", 0, INT64_C(1000000000000)),
        // Schema 6: its link's campaign and scope keys, so that a store device pulls the
        // clicks of its own campaigns only.
        ref("campaign", Kind::kCampaign),
        ref("brand", Kind::kBrand),
        ref("region", Kind::kRegion),
        ref("store", Kind::kStore),
        // Schema 7: the first-party visitor id the redirect set, only where the shopper agreed
        // to tracking (docs/METRICS.md, "Attribution").
        typed("visitor", FieldType::kCode),

    // Staff are in the directory whole: a card names the owner and how to reach her.
    kind(Kind::kStaff, "staff", KindClass::kProfile, /*mergeable=*/false, /*personal=*/true),
        dir(required_text("name")),
        dir(typed("email", FieldType::kEmail)),
        dir(choice("department", kDepartments)),
        dir(ref("region", Kind::kRegion)),
        dir(ref("store", Kind::kStore)),
        dir(ref("brand", Kind::kBrand)),

    kind(Kind::kDevice, "device", KindClass::kProfile),
        required_text("name"),
        ref("staff", Kind::kStaff),
        choice("form", "tablet laptop phone desktop"),
        ref("region", Kind::kRegion),
        ref("store", Kind::kStore),

    // Schema 6: a competitor's brand, named by content that mentions it (share of voice).
    // Schema 7: the markets (countries) where it is in the tracked set; none: everywhere.
    kind(Kind::kBrand, "brand", KindClass::kProfile),
        required_text("name"),
        typed("competitor", FieldType::kBool),
        // Sets.
        set("markets", ElemType::kCountry),

    kind(Kind::kRegion, "region", KindClass::kProfile),
        required_text("name"),
        text("code", 16),

    // A store is in its brand's directory whole (D1): a contact's mark names it.
    kind(Kind::kStore, "store", KindClass::kProfile),
        dir(required_text("name")),
        dir(ref("region", Kind::kRegion, true)),
        dir(ref("brand", Kind::kBrand)),
        dir(text("city", 120)),
        // Schema 3: the country a national phone number is read in there (D3).
        dir(typed("country", FieldType::kCountry)),

    // Schema 5: a guest invited to an event — by whom, when, and the answer. Its id is derived
    // from the event and the person (Id128::derive("invitation", …)), so the same person
    // invited twice, from two devices, is one invitation. Not a contact: the directory's last
    // contact and the card's contact pressure leave it out. It carries its event's scope keys,
    // copied when it is made, as a check-in does (one without keys is in its event's scope).
    kind(Kind::kInvitation, "invitation", KindClass::kLog),
        ref("event", Kind::kEvent, true),
        subject_ref(),
        typed("at", FieldType::kTime, true),
        ref("staff", Kind::kStaff),
        choice("status", "invited accepted declined cancelled"),
        integer("plus_ones", 0, 20),
        long_text("note", 1000),
        ref("brand", Kind::kBrand),
        ref("region", Kind::kRegion),
        ref("store", Kind::kStore),

    // Schema 6: one move of a collaboration along its pipeline (core/query/pipeline.hpp), by
    // whom and when. Made with the status change, in the same action; an entry of its own, so
    // that two devices moving the same collaboration offline both keep their move. Carries
    // its collaboration's person and scope keys.
    kind(Kind::kCollaborationStep, "collaboration_step", KindClass::kLog),
        ref("collaboration", Kind::kCollaboration, true),
        subject_ref(),
        choice("from", kPipeline),
        choice("to", kPipeline, true),
        typed("at", FieldType::kTime, true),
        ref("staff", Kind::kStaff),
        long_text("note", 1000),
        ref("brand", Kind::kBrand),
        ref("region", Kind::kRegion),
        ref("store", Kind::kStore),

    // Schema 6: an order a shop attributes to a tracked link or a promo code. Its id is derived
    // from the shop and the order reference (Id128::derive("conversion", …)), so an order
    // sent twice, by the integration or a CSV import, is one conversion. Carries the scope
    // keys of its campaign.
    kind(Kind::kConversion, "conversion", KindClass::kLog),
        required_text("shop", 120),
        required_text("order_ref", 120),
        typed("at", FieldType::kTime, true),
        required(money("value")),
        typed("currency", FieldType::kCurrency, true),
        ref("link", Kind::kTrackedLink),
        typed("promo_code", FieldType::kCode),
        subject_ref(false),
        ref("campaign", Kind::kCampaign),
        ref("collaboration", Kind::kCollaboration),
        ref("brand", Kind::kBrand),
        ref("region", Kind::kRegion),
        ref("store", Kind::kStore),
        // Schema 7: the visitor id the shop passed back (see click.visitor).
        typed("visitor", FieldType::kCode),

    // Schema 7 (docs/METRICS.md): what the reports read besides the record. An exchange rate:
    // 1 `base` = rate / 1,000,000 `quote` on `date` and until the next rate. Its id is derived
    // from date, base and quote (Id128::derive("fx_rate", …)): one rate per day and pair.
    central_only(kind(Kind::kFxRate, "fx_rate", KindClass::kProfile)),
        typed("date", FieldType::kDate, true),
        typed("base", FieldType::kCurrency, true),
        typed("quote", FieldType::kCurrency, true),
        required(integer("rate", 1, INT64_C(1000000000000000))),

    // An outcome the team measured (a survey, an NPS): a value in hundredths (4250 = 42.50) of
    // `unit`, on `date`, for a campaign or a programme.
    kind(Kind::kOutcome, "outcome", KindClass::kLog),
        required_text("metric", 120),
        required(integer("value", -INT64_C(1000000000000000), INT64_C(1000000000000000))),
        choice("unit", "score percent count money"),
        typed("currency", FieldType::kCurrency),
        typed("date", FieldType::kDate, true),
        ref("programme", Kind::kProgramme),
        ref("campaign", Kind::kCampaign),
        long_text("note", 1000),
        ref("brand", Kind::kBrand),
        ref("region", Kind::kRegion),
        ref("store", Kind::kStore),

    // An EMV rate card's line (docs/METRICS.md, "EMV"): what one unit of `metric` on
    // `platform` is valued at, in minor units of `currency` — per thousand for impressions,
    // reach and video views (a CPM), per one for an engagement. Its id is derived from the
    // version, platform and metric: a new version is a new set of lines, the old kept.
    central_only(kind(Kind::kRateCard, "rate_card", KindClass::kProfile)),
        required_text("version", 40),
        choice("platform", kPlatforms, true),
        choice("metric",
               "impressions reach video_views likes comments shares saves engagements", true),
        required(money("value")),
        typed("currency", FieldType::kCurrency, true),
        typed("valid_from", FieldType::kDate),

    // A report setting (docs/METRICS.md, "Settings"): one per key, its id derived from the key.
    central_only(kind(Kind::kSetting, "setting", KindClass::kProfile)),
        choice("key",
               "emv_enabled emv_credit attribution_window_days time_decay_half_life_days "
               "retained_quarters report_currency", true),
        text("value", 200),

    // Schema 8 (docs/COMPLIANCE.md, "Vetting"): one review of a person against a brand's
    // guidelines (`for_brand`: a field named `brand` would be a scope key and send the review
    // to every device of the brand), one field per guideline of the vetting table, named by its
    // id — pass, fail or not applicable — by whom, when, until when, with its evidence. A new
    // review is a new entry; the status is read from the latest (core/compliance/vetting.hpp).
    // Keyless: it is where its person is, and reaches a device that holds her only as a mark
    // (D6): dates and results, never the notes, evidence or reviewer.
    central_only(kind(Kind::kVetting, "vetting", KindClass::kLog)),
        dir(subject_ref()),
        dir(ref("for_brand", Kind::kBrand)),
        dir(typed("reviewed", FieldType::kDate, true)),
        dir(typed("expires", FieldType::kDate)),
        ref("reviewer", Kind::kStaff),
        dir(choice("content_safety", kResult)),
        dir(choice("political_neutrality", kResult)),
        dir(choice("brand_values", kResult)),
        dir(choice("professionalism", kResult)),
        dir(choice("performance", kResult)),
        dir(choice("audience_fit", kResult)),
        dir(choice("price", kResult)),
        dir(choice("post_campaign", kResult)),
        long_text("notes", 4000),
        typed("evidence", FieldType::kUrl),
        text("rules_version", 40),

    // An agency or agent collaborations go through (docs/COMPLIANCE.md, "Intermediaries"): its
    // mandate from the advertiser (reference, dates), the remuneration it sets, whether rebates
    // are passed on and invoices go to the advertiser directly (France's Sapin law). Keyless
    // reference data: every device holds it.
    central_only(kind(Kind::kIntermediary, "intermediary", KindClass::kProfile)),
        required_text("name"),
        choice("type", "agency agent", true),
        typed("country", FieldType::kCountry),
        typed("email", FieldType::kEmail),
        text("mandate_ref", 120),
        typed("mandate_from", FieldType::kDate),
        typed("mandate_to", FieldType::kDate),
        long_text("remuneration", 1000),
        typed("rebates_passed", FieldType::kBool),
        typed("invoices_direct", FieldType::kBool),
        long_text("notes", 2000),

    // A data subject's request (docs/COMPLIANCE.md, "GDPR"): its type, when it was received
    // (due a month later: core/compliance/gdpr.hpp), its status, when it was closed. Keyless,
    // where its person is; its mark (type, received, status) reaches every device that holds
    // her, so a restriction or an objection stops marketing contacts everywhere — read from
    // the requests, so no later edit of her `status` undoes it.
    central_only(kind(Kind::kGdprRequest, "gdpr_request", KindClass::kLog)),
        dir(subject_ref()),
        dir(choice("type", "access rectification erasure restriction objection", true)),
        dir(typed("received", FieldType::kDate, true)),
        dir(choice("status", "open done refused withdrawn")),
        typed("closed", FieldType::kDate),
        ref("staff", Kind::kStaff),
        long_text("notes", 2000),
};
// clang-format on

// The one loop that turns the table into the KindDefs.
std::vector<KindDef> build() {
    std::vector<KindDef> kinds;
    kinds.reserve(kKindCount);
    for (const Row& r : kModel) {
        if (r.tag == Row::kKindRow) {
            assert(static_cast<int>(r.kind) == int(kinds.size()) && "kinds in enum order");
            KindDef k{r.kind, r.name, KindClass(r.type), {}, {}};
            k.mergeable = r.mergeable;
            k.personal = r.personal;
            k.central = r.central;
            kinds.push_back(std::move(k));
        } else if (r.tag == Row::kFieldRow) {
            FieldDef f;
            f.name = r.name;
            f.type = FieldType(r.type);
            f.required = r.required;
            f.max_len = r.max_len;
            f.choices = words(r.choices);
            f.ref_kind = r.kind;
            f.min = r.min;
            f.max = r.max;
            f.subject = r.subject;
            f.searchable = r.searchable;
            f.directory = r.directory;
            f.central = r.central;
            kinds.back().fields.push_back(std::move(f));
        } else {
            SetDef s;
            s.name = r.name;
            s.elem = ElemType(r.type);
            s.choices = words(r.choices);
            s.ref_kind = r.kind;
            s.searchable = r.searchable;
            s.max_len = r.max_len;
            s.directory = r.directory;
            kinds.back().sets.push_back(std::move(s));
        }
    }
    assert(int(kinds.size()) == kKindCount);
    mark_kept(kinds);
    return kinds;
}

}  // namespace

const std::vector<KindDef>& all_kinds() {
    static const std::vector<KindDef> kinds = build();
    return kinds;
}

const std::vector<std::string>& platforms() {
    static const std::vector<std::string> all = words(kPlatforms);
    return all;
}

const KindDef& kind_def(Kind kind) { return all_kinds()[static_cast<std::size_t>(kind)]; }

// Total, like op_type_name: a kind this build does not know (from a newer peer) is "unknown".
const char* kind_name(Kind kind) {
    return static_cast<int>(kind) < kKindCount ? kind_def(kind).name.c_str() : "unknown";
}

std::optional<Kind> kind_from_name(std::string_view name) {
    for (const auto& k : all_kinds())
        if (k.name == name) return k.kind;
    return std::nullopt;
}

int KindDef::field_index(std::string_view field) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == field) return int(i);
    return -1;
}

int KindDef::set_index(std::string_view s) const {
    for (std::size_t i = 0; i < sets.size(); ++i)
        if (sets[i].name == s) return int(i);
    return -1;
}

int KindDef::scope_field(std::string_view key) const {
    int i = field_index(key);
    return (i >= 0 && fields[std::size_t(i)].type == FieldType::kRef) ? i : -1;
}

bool KindDef::anonymised_on_erase() const {
    for (const auto& f : fields)
        if (f.kept) return true;
    return false;
}

bool KindDef::has_searchable() const {
    for (const auto& f : fields)
        if (f.searchable) return true;
    for (const auto& s : sets)
        if (s.searchable) return true;
    return false;
}

}  // namespace liaison::core
