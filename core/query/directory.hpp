// The brand directory (docs/SYNC.md "Directory", rules D1–D4): what every store and field
// device of a brand holds of a person — or a staff member — that its scope does not cover,
// and how such a person is matched offline by e-mail or phone without the device holding
// either.
//
// The schema marks the directory fields and sets (FieldDef::directory, SetDef::directory in
// schema.cpp); this module derives everything else from those marks, so the hub (which sends
// the projection), the devices (which match) and the tests share one definition.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/store.hpp"

namespace liaison::core {

// Kinds with directory records: people (influencer), staff (a card names its owner) and
// stores (a contact's mark names where it was logged).
bool has_directory(Kind kind);

// D6. Kinds whose entries reach a device outside its scope as marks (their directory
// projection) when the device holds the person they are about: interactions and check-ins
// (when, how, which department, where — never the summary, note or staff), and
// collaborations (type, status, dates — never the fee, contract or deliverables); since
// schema 8, vettings (dates and results — never the notes, evidence or reviewer) and
// data-subject requests (type, received, status — never the notes). Contact pressure, the last
// contact anywhere, an active paid collaboration, the vetting status and a restriction or
// objection are derived on the device from the marks it holds.
bool has_marks(Kind kind);

// D1. Whether the record belongs to the directory of one of `brands` (text ids): a person
// when her `brand` is one of them or one of them is among her `brands` (live elements); a
// staff member when her `brand` is one of them or she names none (the group's own staff,
// known to every brand); a store when its `brand` is one of them. A person who names no brand is in
// no directory: she is seen only where her scope keys place her.
bool in_directory(const EntitySnapshot& record, const std::vector<std::string>& brands);

// D2. The directory projection of a record of a directory kind: the same row with every
// field the schema does not mark as a directory field null and without a clock, and only the
// dots (live and removed) of directory sets. Alternate subjects are kept (they are ids).
EntitySnapshot directory_projection(const EntitySnapshot& full);

// D3. Matching keys, identical on every host (no locale, no platform library):
// - an e-mail address trimmed and lower-cased whole (ASCII letters; other bytes unchanged);
std::string normalise_email(std::string_view email);
// - a phone number in E.164 ("+33612345678"): separators dropped, a leading "00" read as
//   "+", and a national number ("06 12 34 56 78") given the calling code of
//   `default_country` (ISO 3166-1 alpha-2) after its trunk prefix is dropped. nullopt when
//   the number cannot be put in E.164 (no '+', and a country whose calling code is unknown,
//   or too few or too many digits).
std::optional<std::string> normalise_phone(std::string_view phone,
                                           std::string_view default_country);
// The default country of national numbers at a store: its `country` (schema 3), or "" when it
// names none or `store_id` is not a store `store` holds.
std::string store_country(Store& store, std::string_view store_id);
// The calling code of a country ("FR" -> "33"), or "" if this build does not know it.
std::string_view calling_code(std::string_view country);

// D4. A truncated digest of a normalised e-mail address or phone number: 16 bits of SHA-256
// over a domain string and the value, plus one (1..65536; 0 means none). It matches about
// one value in 65,536 — thousands of phone numbers of a country share each digest — so a
// device holding it learns "possibly this person", to be confirmed by name, and cannot
// recover a number from it by trying them all. It is still pseudonymous personal data
// (docs/SECURITY.md).
std::uint32_t contact_digest(std::string_view normalised);
inline constexpr int kContactDigestBits = 16;

// D4 on a device: the people held only as directory records whose e-mail digest (when `text`
// holds an '@') or phone digest (`text` as a phone number, national numbers read with
// `default_country`) is the digest of `text` — "possibly this person", for staff to confirm
// by name. Visible records only, each as the record it was merged into, by id. Nothing for
// text that is neither.
Result<std::vector<Id128>> possible_matches(Store& store, std::string_view text,
                                            std::string_view default_country);

}  // namespace liaison::core
