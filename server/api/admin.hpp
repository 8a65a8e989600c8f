// The administrators' routes over the server's accounts (docs/openapi.yaml, tag "admin"), by
// resource: users.hpp (users, roles, scopes), tokens.hpp (tokens and devices), signin.hpp
// (one-time sign-in codes and their exchange), and here the staff links and what the
// administrative routes share (bodies read member by member, errors naming their field).
//   GET /api/v1/admin/users/<id>/staff   the staff members the user may act as
//   PUT /api/v1/admin/users/<id>/staff   {"staff":["<staff id>",…]} replaces them
// Both answer {"user":<id>,"staff":[{"id","name"}…]} (name: the central record's, or null when
// the server does not hold that staff record yet). Admin only (403 otherwise, checked by the
// transport); an unknown user is 404; an id that is not one, or names a record of another
// kind, is 400. Every change is written to server_audit (admin/accounts.hpp). Devices see the
// new links at their next request: the gate reads them with the token (docs/SYNC.md
// "Authorisation", A1).
//
// Thread-safety: as SyncBackend (the store is used under its lock).
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
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

// ---- Shared by the administrative routes ---------------------------------------------------
// Bodies of the administrative routes are small JSON objects.
inline constexpr std::size_t kMaxAdminBodyBytes = 64 * 1024;

// A user id of a path ("12"); nullopt unless a positive decimal number.
std::optional<std::int64_t> parse_user_id(std::string_view text);
// "user:<id>": the audit's actor for a change a user made through the API.
std::string user_actor(const Principal& who);

// A JSON object body whose members are all in `allowed` (kInvalidArgument "<member>: not
// accepted here" otherwise; "body: …" when it is not a JSON object at all, or too large).
// Requires: the content type was checked (check_json_type).
Result<rapidjson::Document> parse_admin_body(std::string_view body,
                                             std::initializer_list<std::string_view> allowed);
// 415 unless the body is application/json.
std::optional<HttpReply> check_json_type(std::string_view content_type);
// Members of such a body, absent or null -> nullopt; of the wrong type -> kBadFormat naming it.
Result<std::optional<std::string>> string_member(const rapidjson::Value& obj, const char* name);
Result<std::optional<std::vector<std::string>>> string_list_member(const rapidjson::Value& obj,
                                                                   const char* name,
                                                                   std::size_t max_items);
Result<std::optional<bool>> bool_member(const rapidjson::Value& obj, const char* name);
Result<std::optional<std::int64_t>> int_member(const rapidjson::Value& obj, const char* name);

// status_reply, with the field the error is about when its detail begins "<field>: " for one
// of `fields`, or for an unknown member (its name): {"error":{"code","message","field"}} (the app
// shows it beside that input).
HttpReply field_status_reply(const Status& s, const std::vector<std::string_view>& fields);

}  // namespace liaison::server
