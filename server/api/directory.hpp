// GET /api/v1/directory: the central team's table of people (docs/WORKSPACE.md), answered from
// the in-memory directory index (core/query/people_index.hpp) kept by the backend.
//
//   GET /api/v1/directory?<filters>&sort=&limit=&offset=      -> {"total","items":[row…],
//       "names":{id:name},"next_offset"}
//   GET /api/v1/directory?<filters>&sort=&format=csv          -> the whole view as CSV
//
// Filters (each narrows; lists are comma-separated and keep a person with any of the values):
// tier, status, consent_basis, vetting, country, role, topic, language, platform (lists);
// audience_min (whole number); owner (a staff id, `none`, or `me`: the caller's linked staff);
// region, store, brand (ids; brand also matches the brands a person is listed under);
// contact_before, contact_after (YYYY-MM-DD, UTC: last contact before that day, or never; on
// or after it); q (full-text search, as GET /api/v1/influencers?q=). sort: name, last_contact,
// audience, tier or contacts, `-` before it for descending. Unknown parameters, unknown enum
// values and malformed values are refused (400) with the parameter's name.
//
// GET /api/v1/influencers accepts the same filters and sort (api/rest.cpp) and answers full
// entities, with `total`.
//
// Rules: any signed-in role; a scoped caller sees the people its scope covers (sync/scope.hpp),
// as everywhere else. limit 1..kMaxPageSize; the CSV has at most kMaxDirectoryExport rows, and
// each CSV is written to server_audit (`export.directory`: api/audit.hpp) before it is answered.
//
// Thread-safety: may be called from many threads (the backend serialises the store and index).
#pragma once

#include <cstddef>

#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr std::size_t kMaxDirectoryExport = 100'000;

HttpReply directory(SyncBackend& backend, const Principal& who, const RestRequest& req);

// The query a request's filters and sort describe, checked (the parameters it reads are added
// to `allowed`, for the caller's check_params). Reads the store for `q` and `owner=me`.
Result<core::PeopleQuery> people_query(core::Store& store, const Principal& who,
                                       const RestRequest& req);
// The names of the filter and sort parameters people_query reads.
const std::vector<std::string>& people_query_params();

}  // namespace liaison::server
