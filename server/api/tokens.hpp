// Tokens and devices (admin only; docs/openapi.yaml, tag "admin"):
//   GET  /api/v1/admin/tokens[?user=<id>]          {"items":[{"id","user","device","revoked",
//                                                  "created_at"}…]}: never a secret (none is kept)
//   POST /api/v1/admin/tokens/<id>/revoke          {"id","revoked":true}
//   GET  /api/v1/admin/devices                     {"items":[{"replica","user","device",
//                                                  "first_seen","live_tokens"}…]}
//   POST /api/v1/admin/devices/<replica>/revoke    {"replica","revoked":<tokens revoked>}
// A device is a replica id bound to the user and device label that first synced with it
// (server_replicas); revoking it revokes every live token of that user and label, so the device
// is refused (401) from its next request. Issuing a token is left to the command line and to
// sign-in codes (signin.hpp): a token never travels in a link. Every revocation is audited.
//
// Thread-safety: as SyncBackend (the store is used under its lock).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "server/api/reply.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// `id`: the path's token id ("" for the list); `params`: the query.
HttpReply handle_tokens(SyncBackend& backend, const Principal& who, std::string_view method,
                        std::string_view id, const std::multimap<std::string, std::string>& params);
// `replica`: the path's replica id ("" for the list).
HttpReply handle_devices(SyncBackend& backend, const Principal& who, std::string_view method,
                         std::string_view replica);

}  // namespace liaison::server
