// The device's routes (docs/SYNC.md): POST /api/v1/sync, a push answered with what changed, in
// the request's encoding (binary application/x-liaison or JSON); GET /api/v1/me, who the
// caller is. Both run after the gate (http/server.hpp) has authenticated the caller.
//
// Thread-safety: as SyncBackend.
#pragma once

#include <string_view>

#include "server/api/reply.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// POST /api/v1/sync, after the gate.
HttpReply handle_sync(SyncBackend& backend, const Principal& who, std::string_view content_type,
                      std::string_view body);
// GET /api/v1/me, after the gate: also the staff the caller may act as, named from the central
// record where it holds them.
HttpReply handle_me(SyncBackend& backend, const Principal& who);

}  // namespace liaison::server
