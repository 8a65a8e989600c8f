// GET /api/v1/admin/export: the whole central record as an archive (JSON Lines,
// application/x-ndjson; the format is docs/ARCHIVE.md, written by admin/archive.hpp), for an
// administrator's tools. Administrators only (403 otherwise: the archive holds everyone's
// data); the gate checks the role before this runs. The export reads one snapshot under the
// backend's lock, so devices' exchanges wait while it is written: for a large record, the
// command line's `liaison-server export` (which reads beside the server) is the better tool.
// Every export is written to server_audit as `export.archive` (api/audit.hpp), with its count of
// lines, before it is answered.
//
// Thread-safety: as SyncBackend.
#pragma once

#include "server/api/reply.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr const char* kArchiveType = "application/x-ndjson";

HttpReply handle_export(SyncBackend& backend, const Principal& who);

}  // namespace liaison::server
