// The archive: the whole central record as JSON Lines, in the open format of docs/ARCHIVE.md
// (no lock-in). The export writes every entity of every kind with the clock that won each
// field, set elements with their dots (live and removed), tombstones, duplicate-merge edges,
// erased ids (the id and kind only), the op log and the server's history of values; a fresh
// server's import of it has the same state hash and answers the same history.
//
// The same format is the way in from a spreadsheet or another tool: an entity line with plain
// `values` and no clocks is a new write through the hub (validated, authorised, merged and
// logged like a REST or CSV write), and a bad one is refused with its line number and reason,
// nothing of it stored.
//
// Import rules (docs/ARCHIVE.md, "Import"):
// - The first line must be the header (format "liaison-archive", version kArchiveVersion, a
//   record model this build reads); otherwise the file is refused, nothing imported.
// - Stamped lines (entities with clocks, erased, merge, op, history, end) restore the record
//   as it was: only into an empty record (no entity, op or sequence number yet), and all or
//   nothing: one bad stamped line, or a file without its end line (cut short), refuses the
//   whole file.
// - Plain lines are applied one by one, each under a savepoint: refused alone, reported.
// Everything is written in one transaction, committed at the end.
//
// Thread-safety: as the Store (the REST route reads under the backend's lock).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "core/storage/store.hpp"
#include "core/util/status.hpp"
#include "sync/hub.hpp"

namespace liaison::server {

inline constexpr const char* kArchiveFormat = "liaison-archive";
inline constexpr int kArchiveVersion = 1;
// The longest line an import reads (an entity with many set elements stays far below).
inline constexpr std::size_t kMaxArchiveLineBytes = 4 * 1024 * 1024;

struct ArchiveCounts {
    std::size_t entities = 0, erased = 0, merges = 0, ops = 0, history = 0;
    std::size_t lines = 0;  // every line written, header and end line included
};

struct ArchiveExportOptions {
    std::int64_t now_ms = 0;  // the header's exported_at
    // Called every `progress_every` lines with the number written so far.
    std::function<void(std::size_t)> progress;
    std::size_t progress_every = 50'000;
};

// Writes the whole record to `out`, in one read transaction (a consistent snapshot while the
// server keeps writing). Requires: no transaction open on the store.
Result<ArchiveCounts> export_archive(core::Store& store, std::ostream& out,
                                     const ArchiveExportOptions& opts);

struct ArchiveLineResult {
    std::size_t line = 0;
    std::string status;  // created, rejected
    std::string kind, id;
    std::string reason;
};

struct ArchiveImportSummary {
    ArchiveCounts restored;  // stamped lines restored, by type
    std::size_t created = 0, rejected = 0, blank_lines = 0;
    std::vector<ArchiveLineResult> lines;  // one per plain line, in file order
};

struct ArchiveImportOptions {
    std::function<void(std::size_t)> progress;  // lines read so far
    std::size_t progress_every = 50'000;
};

// Imports an archive as the server's own replica (`replica`, central role, whole scope): see
// the rules above. File-level problems (and any bad stamped line) return an error naming the
// line; nothing is imported then. The hub's clock is lifted past every restored stamp, so the
// server's next writes win over them.
// Requires: no transaction open; the hub records history (MergeEngine::enable_history).
Result<ArchiveImportSummary> import_archive(core::Store& store, sync::Hub& hub,
                                            const core::Id128& replica, std::istream& in,
                                            const ArchiveImportOptions& opts);

// The per-line report: one JSON object per plain line ({"line","status","kind","id","reason"}).
std::string archive_report(const ArchiveImportSummary& summary);

}  // namespace liaison::server
