// Whole-record reads the archive (docs/ARCHIVE.md) needs and the Store's per-entity calls
// lack: every row id of a kind, every duplicate-merge edge, every logged operation and every
// entity with a history of values. The export walks the record with them and reads each
// entity through the Store's own calls (load_row, load_dots, ...); the import writes back
// through the Store's calls too (write_row, add_dot, log_op, ...), so the archive's rows get
// fresh sequence numbers that every device's pull sees.
//
// Requires: a read transaction (Store::read_txn) around a walk that must be consistent.
// Thread-safety: as the Store.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "core/model/ids.hpp"
#include "core/model/schema.hpp"
#include "core/storage/store.hpp"
#include "core/util/status.hpp"

namespace liaison::core {

// Every id in `kind`'s table (live rows, tombstones and rows holding only fields), by id.
Result<std::vector<Id128>> row_ids(Store& store, Kind kind);
// Every alias edge (docs/SYNC.md R6), smaller id first, by (a, b).
Result<std::vector<std::pair<Id128, Id128>>> alias_edges(Store& store);
// Calls `f` for every row of the op log, in stamp order then entity; stops at its first error.
Status for_each_logged_op(Store& store, const std::function<Status(const OpLogRow&)>& f);
// The entities the server's history of values has rows for (history.hpp), by id; empty when
// the file has no history table.
Result<std::vector<Id128>> history_ids(Store& store);

}  // namespace liaison::core
