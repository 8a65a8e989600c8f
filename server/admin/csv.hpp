// CSV for the central team's spreadsheets: a bounded RFC 4180 reader and writer, and the
// export and import of one kind of entity (influencers, interactions) through the hub's
// operation path, so that imported rows merge and sync like any device's writes.
//
// The file format (docs/OPERATIONS.md, "CSV"):
// - UTF-8 (a leading byte-order mark is skipped), fields separated by commas, records by CRLF
//   (LF and lone CR accepted); a field holding a comma, a quote, CR or LF is quoted and its
//   quotes doubled. The export writes CRLF and quotes only where needed.
// - Header: `id`, then the kind's fields in schema order (core/model/schema.cpp), then its
//   sets. A set cell joins the live elements with `|` (sorted); an element holding `|` or `\`
//   escapes it as `\|` / `\\`. Time fields are ISO 8601 UTC (`2026-11-23T14:05:00.000Z`;
//   the import also takes milliseconds since 1970); bool fields are `true`/`false`.
// - Formula guard: a cell that a spreadsheet would run as a formula (first character
//   `= + - @`, tab or CR) is written with a leading `'`. The import removes exactly that one
//   `'` again (a cell `'=1` imports as `=1`), so export -> import is exact; any other leading
//   `'` is data.
// - Import: a row with an `id` naming a visible entity updates it: each column in the file is
//   written (an empty cell clears the field; a set cell is the whole set: missing elements
//   are added, others removed); columns not in the file are left alone; unchanged values make
//   no operation. A row with no id, or an id not known yet, creates the entity (with that
//   id). Every row is checked in full (core validation, through sync::validate_op) before any
//   of its operations is applied: a row is accepted whole or rejected whole, with a reason.
//
// Errors that concern the whole file (too large, not UTF-8, a bad header) refuse the file:
// nothing is imported. Errors of one record (ragged, over-long, a stray quote, a bad value)
// reject that row and the import goes on.
//
// Thread-safety: a CsvReader is used by one thread; the import and export are as the Store.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/schema.hpp"
#include "core/storage/store.hpp"
#include "core/util/csv.hpp"
#include "core/util/status.hpp"
#include "sync/hub.hpp"

namespace liaison::server {

// Bounds on what a CSV reader holds in memory and what an import accepts.
inline constexpr std::uint64_t kMaxCsvFileBytes = 256ull * 1024 * 1024;
inline constexpr std::size_t kMaxCsvRecordBytes = 1024 * 1024;  // one record, quotes included
inline constexpr std::size_t kMaxCsvFields = 64;

struct CsvRecord {
    std::size_t line = 0;             // 1-based line on which the record starts
    std::vector<std::string> fields;  // partial when `error` is set
    std::string error;                // what is wrong with this record, or ""
    bool blank = false;               // an empty line (no field, no byte)
};

// Reads records from a stream. A record with a problem (unterminated or stray quote, text
// after a closing quote, longer than `max_record_bytes`, more than `max_fields` fields) comes
// back with `error` set, and the reader carries on with the next record; memory stays within
// the bounds whatever the input. Bytes are passed through as they are (UTF-8 is checked by the
// caller).
class CsvReader {
public:
    explicit CsvReader(std::istream& in, std::size_t max_record_bytes = kMaxCsvRecordBytes,
                       std::size_t max_fields = kMaxCsvFields);
    // The next record, or false at the end of the input.
    bool next(CsvRecord& out);
    std::uint64_t bytes_read() const { return bytes_; }

private:
    int get();   // next byte (0..255) or -1 at the end
    int peek();  // the byte get() would return, without consuming it
    bool fill();

    std::istream& in_;
    std::size_t max_record_bytes_, max_fields_;
    std::vector<char> buf_;
    std::size_t pos_ = 0, len_ = 0;
    bool started_ = false;
    std::size_t line_ = 1;
    std::uint64_t bytes_ = 0;
};

// One record as a CSV line, and the formula guard (core/util/csv.hpp).
using core::csv_line;
using core::guard_formula;
using core::unguard_formula;
// Set cells: elements joined with `|`, escaping `|` and `\`; split skips empty elements.
std::string join_set_cell(const std::vector<std::string>& elems);
std::vector<std::string> split_set_cell(std::string_view cell);

// Times: "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC). parse_time_cell takes that form, without the
// fraction or the seconds, with a space for the 'T', or a whole number of milliseconds.
std::string format_time_cell(std::int64_t ms);
std::optional<std::int64_t> parse_time_cell(std::string_view cell);

// The header an export writes for `kind`: id, fields, sets.
std::vector<std::string> csv_columns(core::Kind kind);

// Writes every visible entity of `kind` (created, not deleted, not erased, not merged into
// another record), ordered by id, as CSV. Reads in one read transaction (a consistent
// snapshot; the server may keep writing). Returns the number of rows written.
Result<std::size_t> export_csv(core::Store& store, core::Kind kind, std::ostream& out);

struct CsvImportOptions {
    core::Kind kind = core::Kind::kInfluencer;
    bool dry_run = false;  // check and report every row, then roll back
    std::uint64_t max_file_bytes = kMaxCsvFileBytes;
    // Called every `progress_every` data rows with the number of rows done so far.
    std::function<void(std::size_t)> progress;
    std::size_t progress_every = 10'000;
};

struct CsvRowResult {
    std::size_t line = 0;
    std::string status;  // created, updated, unchanged, rejected
    std::string id;      // the entity the row created or updated (the one it named if rejected)
    std::string reason;  // why it was rejected (names the column), or a note
};

struct CsvImportSummary {
    std::size_t created = 0, updated = 0, unchanged = 0, rejected = 0;
    std::size_t blank_lines = 0;
    std::size_t operations = 0;      // operations applied through the hub
    std::vector<CsvRowResult> rows;  // one per data record, in file order
    std::size_t imported() const { return created + updated + unchanged; }
};

// Imports a CSV of `opts.kind` as the server's own replica (`replica`, central role, whole
// scope), every row through Hub::apply_one, in ONE write transaction: either the whole
// import is committed or (on a file-level error, a storage failure or dry_run) nothing is.
// File-level problems return an error Status naming the line (and column); row problems are
// rows with status "rejected" in the summary.
// Requires: no transaction open on the store; the hub's clock set from the server's state.
Result<CsvImportSummary> import_csv(core::Store& store, sync::Hub& hub, const core::Id128& replica,
                                    std::istream& in, const CsvImportOptions& opts);

// The report: "line,status,id,reason" then one line per row (csv_line, formula-guarded).
std::string csv_report(const CsvImportSummary& summary);

}  // namespace liaison::server
