// Evidence files over REST (docs/COMPLIANCE.md, "Evidence files"; the store is
// core/storage/evidence.hpp): contracts, disclosure screenshots and consent proofs, kept by the
// server only and fetched on demand.
//
//   POST   /api/v1/evidence?entity=<id>&purpose=<p>&name=<file name>   body: the file's bytes
//          -> 201 {"entity","sha","size","type","name","purpose"}
//   GET    /api/v1/evidence?entity=<id>
//          -> {"entity","kind","files":[{"sha","size","type","name","purpose","uploaded_by",
//              "uploaded_at"}…]}   (oldest first; a merged person's files over her duplicates)
//   GET    /api/v1/evidence/<sha>?entity=<id>   -> the bytes, as the stored type, attachment
//   DELETE /api/v1/evidence/<sha>?entity=<id>   -> {"entity","sha","unlinked":true,
//                                                   "file_deleted":bool}
//
// The record (`entity`) is a person, a vetting, a collaboration, a post, a data-subject request
// or an intermediary (kEvidenceKinds); a file is scoped like it: the caller must see the record
// (api/rest.hpp must_see: 404 otherwise, as if it did not exist), and a file is served only
// through a record it is linked to.
//
// Who: the central team (and administrators) and regional managers upload, list and download;
// only the central team removes. Store, field and integration callers get 403.
//
// Bounds and checks: a body of 1 byte to kMaxEvidenceBytes (413 above; the transport reads at
// most http/server.hpp's kMaxBodyBytes for any route and answers 413 itself beyond it); the
// type recognised from the first bytes (PDF, PNG, JPEG, WebP: 415 otherwise, naming them), never
// from the declared Content-Type, which is ignored except that a form (multipart or urlencoded)
// is refused 415; a purpose from kEvidencePurposes; a file name of at most kMaxEvidenceNameChars
// characters, cleaned by clean_evidence_name. A record carries at most
// core::kMaxEvidencePerEntity files (409 beyond).
//
// Errors ({"error":{"code","message","field"?}}): 400 for an unknown parameter, one given
// twice, a missing or bad id, purpose, name or sha (named in "field"); 403, 404, 405, 409, 413
// and 415 as above.
//
// Audit: every upload, download and removal is written to server_audit (admin/accounts.hpp)
// as "evidence.upload", "evidence.download", "evidence.delete" with the record's id and the
// file's sha — ids only, never a file name.
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/model/schema.hpp"
#include "core/util/status.hpp"
#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// 5 MiB: a signed contract scanned as a PDF, or a phone's screenshot, with room to spare.
inline constexpr std::size_t kMaxEvidenceBytes = 5 * 1024 * 1024;
inline constexpr std::size_t kMaxEvidenceNameChars = 120;
inline constexpr std::array<std::string_view, 4> kEvidencePurposes = {
    "contract", "disclosure_proof", "consent_proof", "other"};
inline constexpr std::array<core::Kind, 6> kEvidenceKinds = {
    core::Kind::kInfluencer, core::Kind::kVetting,     core::Kind::kCollaboration,
    core::Kind::kContent,    core::Kind::kGdprRequest, core::Kind::kIntermediary};

// The media type the file's first bytes announce ("application/pdf", "image/png",
// "image/jpeg", "image/webp"), or nullopt for anything else.
std::optional<std::string> sniff_evidence_type(std::string_view bytes);
// The file name as stored: the part after the last '/' or '\', with control characters,
// bidirectional overrides and `"*:<>?|` replaced by '_', spaces and dots trimmed at both ends.
// kRequired when nothing is left, kBadFormat for invalid UTF-8, kTooLong over
// kMaxEvidenceNameChars characters. Messages begin "name: ".
Result<std::string> clean_evidence_name(std::string_view raw);
// The Content-Disposition of a download: attachment, with an ASCII fallback name and the
// UTF-8 name (RFC 6266, RFC 8187).
std::string evidence_disposition(std::string_view name);

// Every request under /api/v1/evidence.
HttpReply evidence(SyncBackend& backend, const Principal& who, const RestRequest& req);

}  // namespace liaison::server
