// The record model: every kind of entity of docs/DESIGN.md §3, its fields and sets, as data.
//
// One table of KindDefs drives storage (the tables a migration creates), validation, the merge
// engine (which fields are LWW registers, which are add-wins sets, which kinds are logs) and the
// protocol (field names on the wire). Kinds, fields, sets and enum values are only appended
// (devices in the field read them by position and by text): adding a field is appending it
// here (optional, if its kind was released), adding a numbered migration that adds its
// columns, raising kSchemaVersion with a new tests/fixtures/schema-v<N>.txt listing, and
// documenting it in docs/SYNC.md ("Schema evolution").
//
// Conventions:
// - Values are null, a 64-bit integer or UTF-8 text (Value). Times are integer milliseconds
//   since the Unix epoch (UTC); dates are text "YYYY-MM-DD"; money is integer minor units
//   (cents) with a separate currency field; booleans are 0/1.
// - Fields named "region", "brand", "store" are the entity's scope keys (docs/DESIGN.md §6).
// - A field marked `subject` refers to the person the entity is about: erasing that person
//   erases the entity too (docs/DESIGN.md §4, erase cascades).
// - Profiles are edited by many and may be merged as duplicates (influencer only); logs are
//   created once, edited rarely, and may be removed (a tombstone that wins over later edits).
//
// Thread-safety: the schema is immutable after static initialisation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace liaison::core {

using Value = std::variant<std::monostate, std::int64_t, std::string>;

inline bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }

enum class Kind : std::uint8_t {
    kInfluencer = 0,
    kInteraction,
    kEvent,
    kCheckin,
    kProgramme,
    kCampaign,
    kCollaboration,
    kContent,
    kTrackedLink,
    kClick,
    kStaff,
    kDevice,
    kBrand,
    kRegion,
    kStore,
    kInvitation,         // schema 5
    kCollaborationStep,  // schema 6
    kConversion,         // schema 6
    kFxRate,             // schema 7
    kOutcome,            // schema 7
    kRateCard,           // schema 7
    kSetting,            // schema 7
    kVetting,            // schema 8
    kIntermediary,       // schema 8
    kGdprRequest,        // schema 8
};
inline constexpr int kKindCount = static_cast<int>(Kind::kGdprRequest) + 1;

enum class KindClass : std::uint8_t { kProfile, kLog };

enum class FieldType : std::uint8_t {
    kText,      // one line, trimmed, no control characters
    kLongText,  // notes and summaries: newlines allowed
    kEmail,
    kPhone,     // international: '+' then 7 to 15 digits; spaces, dots, dashes, parentheses allowed
    kUrl,       // http or https
    kCountry,   // ISO 3166-1 alpha-2, upper case
    kDate,      // YYYY-MM-DD, a real calendar date
    kTime,      // integer milliseconds since the Unix epoch
    kInt,       // integer within [min, max]
    kBool,      // 0 or 1
    kEnum,      // one of `choices`
    kRef,       // the text id of an entity of `ref_kind`
    kCode,      // [A-Za-z0-9_-], 4..32 characters (tracked-link codes)
    kCurrency,  // ISO 4217, three upper-case letters
    kTargets,   // KPI targets by AMEC stage, "stage.metric=value" lines (core/model/targets.hpp)
};

struct FieldDef {
    std::string name;
    FieldType type = FieldType::kText;
    bool required = false;
    std::size_t max_len = 200;              // characters (code points), for text-like types
    std::vector<std::string> choices;       // kEnum
    Kind ref_kind = Kind::kInfluencer;      // kRef
    std::int64_t min = 0, max = INT64_MAX;  // kInt
    bool subject = false;                   // erase of the referenced person cascades here
    bool searchable = false;                // indexed for full-text search
    bool directory = false;                 // in the brand directory (core/query/directory.hpp)
    // Schema 8: only the central team writes it (the hub refuses it from any other role):
    // a legal hold, a collaboration's vetting override (docs/COMPLIANCE.md).
    bool central = false;
    // Schema 9: kept when the person the record is about is erased — the record is anonymised
    // instead (docs/SYNC.md R12): what the law requires a brand to keep (fees, contracts,
    // conversions, the request register's own entry). Subject fields are never kept.
    bool kept = false;
};

enum class ElemType : std::uint8_t {
    kTag,        // short text label, lower-cased
    kEnum,       // one of `choices`
    kHandle,     // "platform:handle:audience", see validate.hpp
    kRef,        // an entity id of `ref_kind`
    kLanguage,   // BCP 47 language tag, e.g. "fr" or "pt-BR"
    kCountry,    // ISO 3166-1 alpha-2, upper case (a campaign's target markets)
    kDatedItem,  // "YYYY-MM-DD text": a deliverable and its due date
};

struct SetDef {
    std::string name;
    ElemType elem = ElemType::kTag;
    std::vector<std::string> choices;
    Kind ref_kind = Kind::kBrand;
    bool searchable = false;
    std::size_t max_len = 64;
    bool directory = false;  // in the brand directory (core/query/directory.hpp)
    bool kept = false;       // schema 9: kept by the anonymise rule (FieldDef::kept)
};

struct KindDef {
    Kind kind;
    std::string name;  // wire and table name, e.g. "influencer"
    KindClass cls;
    std::vector<FieldDef> fields;
    std::vector<SetDef> sets;
    bool mergeable = false;  // duplicates may be merged (merge_into)
    bool personal = false;   // holds personal data: may be erased
    // Entries only the central team writes: reference data (exchange rates, rate cards,
    // settings: docs/METRICS.md), which every device holds to compute its reports offline, and
    // compliance records (vettings, intermediaries, data-subject requests: docs/COMPLIANCE.md).
    bool central = false;

    int field_index(std::string_view field) const;  // -1 if unknown
    int set_index(std::string_view set) const;      // -1 if unknown
    // Index of the field named region/brand/store, or -1.
    int scope_field(std::string_view key) const;
    bool has_searchable() const;
    // Schema 9: an entry of this kind about an erased person is anonymised, not erased
    // (docs/SYNC.md R12): it has fields marked `kept`.
    bool anonymised_on_erase() const;
};

const KindDef& kind_def(Kind kind);
std::optional<Kind> kind_from_name(std::string_view name);
const char* kind_name(Kind kind);  // "unknown" for a kind this build does not know
// All kinds, in enum order.
const std::vector<KindDef>& all_kinds();
// The platforms a handle (validate.hpp) or a piece of content can be on.
const std::vector<std::string>& platforms();

// Version of the record model; raised when a kind, field, set or enum value is appended
// (docs/SYNC.md "Schema evolution"; tests/core/schema_evolution_test.cpp checks it).
inline constexpr int kSchemaVersion = 9;

}  // namespace liaison::core
