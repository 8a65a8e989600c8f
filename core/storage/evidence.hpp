// Evidence files: the contracts, disclosure screenshots and consent proofs the central team and
// regional managers attach to a record (docs/COMPLIANCE.md, "Evidence files"). The server keeps
// them; devices never do: like the account and history tables (accounts.hpp, history.hpp) the
// tables live in the server's file but outside the record — created outside the numbered
// migrations and versioned by their own `meta` row, left out of the state hash, never synced.
//
// Two tables:
//   server_evidence_blobs  one row per distinct content, keyed by its SHA-256 (64 lowercase hex
//                          digits): the media type the server recognised, the size and the
//                          bytes. The same bytes uploaded twice, to one record or to two, are
//                          stored once.
//   server_evidence_links  (eid, sha) -> the record's kind (its name, core::kind_name), the file
//                          name as given, the purpose, who uploaded it (server user id) and when
//                          (ms since the epoch). A link names the record as the upload found it
//                          (a merged person's survivor); reads take a duplicate component's ids
//                          together, as the history does.
//
// Invariant: a blob is deleted in the transaction that removes its last link (unlink_evidence,
// purge_evidence), so no file outlives every record it belongs to. An erasure (R7 in
// docs/SYNC.md) purges the erased ids' links in its own transaction; SQLite's secure_delete
// zeroes the freed pages and the erasure's commit scrubs the write-ahead log.
//
// Requires: purge_evidence inside the caller's transaction (the erasure's); the other writers
// open their own (no transaction may be open on the store).
// Thread-safety: as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/ids.hpp"
#include "core/model/schema.hpp"
#include "core/storage/store.hpp"
#include "core/util/status.hpp"

namespace liaison::core {

inline constexpr int kEvidenceSchemaVersion = 1;
inline constexpr const char* kEvidenceSchemaKey = "server_evidence_version";
// Files one record may carry: a list stays one small answer, and a runaway script cannot fill
// the disk through one record.
inline constexpr std::size_t kMaxEvidencePerEntity = 50;

// Creates the evidence tables if missing and records their version, in its own transaction. A
// file whose tables are newer than this build is refused with kUnsupportedVersion.
// Requires: no transaction is open on the store.
Status ensure_evidence_schema(Store& store);
// True when the file has the evidence tables (ensure_evidence_schema ran once).
bool has_evidence_schema(Store& store);

// One file linked to one record, as listed (without its bytes).
struct EvidenceLink {
    Id128 entity;
    Kind kind = Kind::kInfluencer;
    std::string sha;  // 64 lowercase hex digits
    std::string name;
    std::string purpose;
    std::string media_type;
    std::int64_t size = 0;
    std::int64_t uploaded_by = 0;  // server user id
    std::int64_t uploaded_at = 0;  // ms since the epoch
};

// What an upload links. The caller has checked the bytes' type, the name and the purpose.
struct EvidenceUpload {
    Id128 entity;
    Kind kind = Kind::kInfluencer;
    std::string_view bytes;
    std::string media_type;
    std::string name;
    std::string purpose;
    std::int64_t uploaded_by = 0;
    std::int64_t uploaded_at = 0;
};

struct EvidenceStored {
    EvidenceLink link;
    bool new_blob = false;  // false: these bytes were already stored (for any record)
};

// Stores the bytes (once per content) and links them to the record, in one transaction. The
// same file linked again to the same record keeps one link, with the latest name and purpose.
// kConflict when the record already carries kMaxEvidencePerEntity other files.
Result<EvidenceStored> add_evidence(Store& store, const EvidenceUpload& upload);
// The files linked to any of `entities` (a duplicate component), oldest first.
Result<std::vector<EvidenceLink>> list_evidence(Store& store, const std::vector<Id128>& entities);

struct EvidenceFile {
    EvidenceLink link;
    std::string bytes;
};
// The file `sha`, only when it is linked to one of `entities`; nullopt otherwise.
Result<std::optional<EvidenceFile>> load_evidence(Store& store, const std::vector<Id128>& entities,
                                                  std::string_view sha);

struct EvidenceUnlinked {
    bool unlinked = false;      // false: the file was not linked to the record
    bool blob_deleted = false;  // its last link went: the bytes are gone
};
// Removes the link of `sha` to `entities` and the blob if nothing links it any more, in one
// transaction.
Result<EvidenceUnlinked> unlink_evidence(Store& store, const std::vector<Id128>& entities,
                                         std::string_view sha);
// R7: removes every link of the entity and each blob left unlinked. Nothing to do (ok) in a
// file without the evidence tables (a device's, or a server file from before them).
// Requires: a transaction is open (the erasure's).
Status purge_evidence(Store& store, const Id128& entity);

// Whether `text` is a SHA-256 as the tables key it: 64 lowercase hex digits.
bool is_evidence_sha(std::string_view text);

}  // namespace liaison::core
