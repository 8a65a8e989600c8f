// The administrators' routes over the server's accounts (there is no other way to administer
// users over HTTP: the command line, main.cpp, does the rest):
//   GET /api/v1/admin/users/<id>/staff   the staff members the user may act as
//   PUT /api/v1/admin/users/<id>/staff   {"staff":["<staff id>",…]} replaces them
// Both answer {"user":<id>,"staff":[{"id","name"}…]} (name: the central record's, or null when
// the server does not hold that staff record yet). Admin only (403 otherwise); an unknown user
// is 404; an id that is not one, or names a record of another kind, is 400. Every change is
// written to server_audit (admin/accounts.hpp). Devices see the new links at their next
// request: the gate reads them with the token (docs/SYNC.md "Authorisation", A1).
//
// Thread-safety: as SyncBackend (the store is used under its lock).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/admin/accounts.hpp"
#include "server/api/reply.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// GET or PUT /api/v1/admin/users/<user>/staff, after the gate has checked that the caller is an
// administrator. `user` is the path's id, unchecked.
HttpReply handle_user_staff(SyncBackend& backend, const Principal& who, std::string_view method,
                            std::string_view user, std::string_view content_type,
                            std::string_view body);

// [{"id","name"}…], name null where the server holds no such staff record (also GET /api/v1/me).
std::string staff_json(const std::vector<LinkedStaff>& staff);

}  // namespace liaison::server
