// The audit of personal-data reads (docs/SECURITY.md, "Audit of personal-data reads"): every
// export, and every view of a person's full record by the central team, an administrator or a
// regional manager, is a row of server_audit (core/storage/accounts.hpp) naming the caller and
// the person's id or the export's scope — ids, days and codes only, never a name.
//
//   audit_read    a full-record read (`person.view`, `person.history`, `record.history`): by
//                 admin, central and regional users only (a store's or field user's card is of
//                 her own clients, and not the full record); a repeat of the same read by the
//                 same user within kViewRepeatMs is not written again (a page redraws on every
//                 sync: a view is a visit, not a request).
//   audit_list    a page of people as full entities (GET /api/v1/influencers?…, an API
//                 client's read: the app lists people through the directory's rows), as one
//                 `person.list` row naming every id of the page: by the same roles, every time.
//   audit_export  an export (`export.<what>`): by any role, every time.
//
//   POST /api/v1/audit/views  {"views":[{"person":"<id>","viewed_at":<ms>},…]}
//        The views the web app made from the device's own replica (the card, offline too),
//        which the server cannot see: queued on the device and sent when it is online. Admin,
//        central and regional only (403 otherwise). At most kMaxViewBatch views and
//        kMaxViewBodyBytes (413); a body that is not that document, an id that is not one, a
//        view dated more than sync::kMaxFutureMs ahead of the server's clock (clock_ahead) or
//        older than kMaxViewAgeMs is 400 and nothing is written. A person the caller may not
//        see (unknown, erased since, out of scope) is skipped: the view cannot be hers to
//        report. -> 200 {"recorded":n,"repeated":n,"skipped":n}; each row's time is viewed_at.
//   GET  /api/v1/audit?action=&actor=&subject=&since=&before=&limit=
//        Admin and central only (403 otherwise). The newest rows first: `action` a prefix
//        ("person." or "export."), `actor` exact ("user:7", "cli"), `subject` one id (a word of
//        the subject), `since` ms since the epoch, `before` the `next_before` of a previous
//        page; limit 1..kMaxAuditPage (default kDefaultAuditPage).
//        -> {"items":[{"n","at","actor","action","subject"}…],"next_before":n|null}
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// A repeated read of the same record by the same user within this time is not written again.
inline constexpr std::int64_t kViewRepeatMs = 10 * 60 * 1000;
// How far back (in rows) a repeat is looked for: bounded, so the check costs the same on a
// table of any size; a repeat further back is written again, which loses nothing.
inline constexpr std::int64_t kViewRepeatScanRows = 2'000;
// POST /api/v1/audit/views bounds.
inline constexpr std::size_t kMaxViewBatch = 100;
inline constexpr std::size_t kMaxViewBodyBytes = 16 * 1024;
inline constexpr std::int64_t kMaxViewAgeMs = 30LL * 24 * 60 * 60 * 1000;
// GET /api/v1/audit page sizes.
inline constexpr std::size_t kDefaultAuditPage = 100;
inline constexpr std::size_t kMaxAuditPage = 1'000;

// Whether the full-record reads of this caller are recorded: admin, central and regional.
bool audits_reads_of(const Principal& who);

// Records that `who` read the full record `subject` (`action`: person.view, …) at `at_ms`:
// nothing for the other roles or for a repeat (kViewRepeatMs). Requires: under the backend's
// lock (inside SyncBackend::read).
Status audit_read(core::Store& store, const Principal& who, std::string_view action,
                  std::string_view subject, std::int64_t at_ms);
// Records that `who` read the people `ids` as one page of a list (`person.list`): nothing for
// the roles audits_reads_of leaves out, or for an empty page. Requires: under the backend's lock.
Status audit_list(core::Store& store, const Principal& who, const std::vector<core::Id128>& ids);
// Records that `who` exported `what` (action `export.<what>`), `scope` saying what it held.
// Requires: under the backend's lock.
Status audit_export(core::Store& store, const Principal& who, std::string_view what,
                    std::string_view scope);
// The scope of an export as its query parameters say it ("format=csv region=<id> …", sorted,
// each value cut at 64 bytes): the routes check their parameters, which are ids, days and
// codes, except a free-text search `q`, written as "q=…" without its text (it may be a name).
std::string export_scope(const RestRequest& req);

// POST /api/v1/audit/views and GET /api/v1/audit (req.path says which).
HttpReply audit_routes(SyncBackend& backend, const Principal& who, const RestRequest& req);

}  // namespace liaison::server
