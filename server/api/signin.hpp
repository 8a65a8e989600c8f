// One-time sign-in codes (docs/OPERATIONS.md "Sign-in links"; docs/openapi.yaml):
//   POST /api/v1/admin/users/<id>/signin-codes  admin: {"device"?,"minutes"?} -> 201
//        {"code","url","expires_at"}; the url is <origin>/#signin=<code>, which the web app
//        exchanges and then removes from the address bar
//   POST /api/v1/signin                         anyone: {"code","device"?} -> {"token","user"}
// A code is short-lived (15 minutes unless `minutes` says 1–60), used once, stored only as a
// salted hash; the exchange gives the device a token of its own (never the token in a link).
// Refusals: 401 `unauthorized` for a code that is not one (unknown, mistyped, its user
// disabled), 410 `used` or `expired`. The transport limits exchanges per client address
// (HttpOptions::signin_rate_per_s), so codes cannot be guessed at speed (128 random bits
// make it hopeless anyway). Issues and exchanges are audited (`signin.issue`,
// `signin.exchange`; ids only).
//
// Thread-safety: as SyncBackend (the store is used under its lock).
#pragma once

#include <string_view>

#include "server/api/reply.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// `origin`: "http://host:port" as the caller reached the server, for the url.
HttpReply handle_signin_code(SyncBackend& backend, const Principal& who, std::string_view user,
                             std::string_view origin, std::string_view content_type,
                             std::string_view body);
// No caller: the code is the credential.
HttpReply handle_signin(SyncBackend& backend, std::string_view content_type, std::string_view body);

}  // namespace liaison::server
