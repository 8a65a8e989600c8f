// The central team's figures over REST (docs/METRICS.md; core/query/reports.hpp computes them,
// the same code the browser runs over a replica):
//
//   GET /api/v1/reports
//       -> {"reports":["amec","sov","pyramid","emv","attribution","health"]}
//   GET /api/v1/reports/<name>?programme=&campaign=&brand=&region=&store=&from=&to=&group_by=
//       &currency=&model=&metric=&market=&format=json|csv&table=<id>
//       -> format=json (default): the report as core::report_json writes it; with `table`, only
//          that table.
//       -> format=csv: text/csv; charset=utf-8, one table (`table`) or every table stacked
//          (core::report_csv), as an attachment named
//          "liaison-<name>[-<table>]-<from>-<to>.csv" ("open" for an open end), written to
//          server_audit first (`export.report`: api/audit.hpp).
//       Ids are 26-character text ids; dates YYYY-MM-DD (UTC days, inclusive).
//
// Who: admin, central, regional, store and field; an integration token gets 403 (it posts
// orders and nothing else). A caller sees the figures of her scope only: sync::Scope
// {global, regions, stores ∪ region_stores, brands} becomes core::ReportScope, the rule
// sync::covers_entry applies to each entry (docs/METRICS.md "Scope"), so a regional manager's
// report is the one her replica computes offline.
//
// Errors ({"error":{"code","message","field"?}}): 400 for an unknown parameter, a parameter given
// twice, a value longer than core::kMaxReportParamChars, a bad id, date, group_by, currency,
// model, metric or market (the parameter named in "field"; core::parse_report_query checks them,
// as the web façade does); 404 for an unknown report or table; 403 for the integration role;
// 405 for a method other than GET.
//
// Bounds: a report reads the store under the backend's lock (SyncBackend::read) for its whole
// run, so a sync waits for it; every report aggregates in SQL over the current-state tables and
// is measured at p95 < 200 ms over 100,000 people and 1,000,000 contacts, clicks
// (./scripts/bench reports, docs/PERFORMANCE.md). The answer holds aggregates only: its size is
// bounded by the record's regions, stores, tiers, platforms, months and campaigns, except the
// pyramid's list of the people behind the top share (at most 20 % of the people in scope).
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <cstdint>

#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// GET /api/v1/reports and GET /api/v1/reports/<name> (`req.path` says which); `now_ms` is
// "today" for an open period's end and relationship health.
HttpReply handle_reports(SyncBackend& backend, const Principal& who, const RestRequest& req,
                         std::int64_t now_ms);
// handle_reports at the server's wall clock.
HttpReply reports(SyncBackend& backend, const Principal& who, const RestRequest& req);

}  // namespace liaison::server
