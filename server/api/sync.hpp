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

// POST /api/v1/sync, after the gate. With `stale`: when `who` came from the Authenticator's
// cache and what the token grants has changed since (SyncBackend::exchange), nothing is applied,
// `*stale` is set and the reply is empty: the caller reads the token again and calls again.
HttpReply handle_sync(SyncBackend& backend, const Principal& who, std::string_view content_type,
                      std::string_view body, bool* stale = nullptr);
// GET /api/v1/me, after the gate: also the staff the caller may act as, named from the central
// record where it holds them.
HttpReply handle_me(SyncBackend& backend, const Principal& who);

}  // namespace liaison::server
