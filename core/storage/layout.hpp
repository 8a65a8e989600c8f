// The record's tables as both engines lay them out: which references are indexed, and the
// whole layout of the latest storage version on PostgreSQL (docs/STORAGE.md, "Two backends").
//
// SQLite's layout is built by the numbered migrations in store.cpp (a file is carried from
// any older version). PostgreSQL's starts at the latest version, in one piece: its columns are
// typed from the record model, where SQLite's value columns take any type, and it has no
// full-text tables (the devices' search-as-you-type is SQLite's FTS5; docs/SCALING.md).
#pragma once

#include <string>

#include "core/model/schema.hpp"

namespace liaison::core {

// Whether a kind's reference field has an index of its own (the subject, the scope keys of a
// profile, a contact's event, a campaign's collaborations…).
bool indexed_ref(const KindDef& k, const FieldDef& f);
// The columns of a reference's index: a subject with the entry's time, so a timeline reads in
// order from the index.
std::string ref_index_columns(const KindDef& k, const FieldDef& f);

// The PostgreSQL column type of a field's value: integers (times, counts, flags) as bigint,
// references as their 16 bytes, everything else as text compared byte by byte (COLLATE "C":
// the merge rules order text by its bytes, as SQLite does).
const char* pg_value_type(const FieldDef& f);

// The storage version pg_record_layout() lays out: a new PostgreSQL database starts there, and
// the numbered migrations after it run as on SQLite (Store::migrate).
inline constexpr int kPgLayoutVersion = 17;

// Storage version 17's indexes, for the reports (docs/PERFORMANCE.md, "Reports"): a click's
// campaign index holding its time, visitor and state too, so that counting a campaign's clicks
// in a period and finding the shoppers who clicked its links read the index alone (it replaces
// the campaign-only index of version 13); a link's campaign, and a conversion's promo code and
// visitor, so that attribution finds the conversions that may credit a campaign without reading
// them all. SQL both engines run; `CREATE … IF NOT EXISTS` where a file taken back to an
// earlier version may keep one.
std::string report_indexes_ddl();

// Every table and index of the record at storage version kPgLayoutVersion on PostgreSQL, as
// one script of statements separated by ";\n".
std::string pg_record_layout();

}  // namespace liaison::core
