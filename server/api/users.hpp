// The users of the server (admin only; docs/openapi.yaml, tag "admin"):
//   GET   /api/v1/admin/users        {"items":[user…]} by id
//   POST  /api/v1/admin/users        {"name","role","regions"?,"stores"?,"brands"?} -> 201 user
//   GET   /api/v1/admin/users/<id>   user
//   PATCH /api/v1/admin/users/<id>   {"role"?,"regions"?,"stores"?,"brands"?,"disabled"?} -> user
// user = {"id","name","role","regions":[…],"stores":[…],"brands":[…],"disabled","staff":[…]}.
// Checked as `liaison-server user add`/`user scope` check them (admin/accounts.hpp): a role's
// scope must name what it needs; errors name their field. A role or scope change reaches the
// user's devices at their next sync: a new scope generation makes them pull again (docs/SYNC.md
// "Generations"). Every change is audited with the administrator as actor.
//
// Thread-safety: as SyncBackend (the store is used under its lock).
#pragma once

#include <string_view>

#include "server/api/reply.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// The routes above, after the transport checked that the caller is an administrator. `user`:
// the path's id ("" for the collection), unchecked.
HttpReply handle_users(SyncBackend& backend, const Principal& who, std::string_view method,
                       std::string_view user, std::string_view content_type, std::string_view body);

}  // namespace liaison::server
