// Demo data: a small, plausible company that shows the whole record model (regions, brands,
// stores, staff, devices, programmes with budgets, campaigns with targets and markets, one of
// them a store's own, events, thousands of influencers with every consent value and basis
// and every vetting result, a quarter of interactions naming their staff and often their
// campaign, people seen at two stores, check-ins, collaborations of every type moved along
// the pipeline to every status through their steps, content with metrics linked to its
// collaboration or organic, tracked links with clicks and the orders they brought, a few
// likely duplicates) and one user of every role, each linked to the staff member it acts as
// (docs/SYNC.md A1), so that `liaison-server serve --demo` shows something real on first
// start. docs/OPERATIONS.md §1 describes it.
//
// Everything is made through the hub's operation path (Hub::apply_one with a central device
// context, stamped by the server's own replica id), exactly as a device's pushes are: the
// data is validated, logged and paged out to devices like any other. Content is a function
// of the seed and `now_ms` (dates are relative to it), so a seed replays the same company.
//
// Requires: no transaction is open on the store. Thread-safety: as the Store and Hub.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/storage/store.hpp"
#include "server/admin/accounts.hpp"
#include "sync/hub.hpp"

namespace liaison::server {

struct DemoOptions {
    std::uint64_t seed = 20261123;
    std::uint64_t now_ms = 0;  // 0: the hub's time source
    int influencers = 2000;    // the last four (from 20) are likely duplicates of earlier ones
    int interactions = 20000;
};

struct DemoSummary {
    std::size_t operations = 0;  // applied
    std::size_t rejected = 0;    // should be 0: a rejected demo operation is a bug
    std::string first_rejection;
    std::vector<std::int64_t> users;  // admin, central, regional, store, field
};

struct DemoLogin {
    sync::Role role;
    std::int64_t user = 0;
    IssuedToken token;
};

// True when the file holds no record and no user yet (a fresh database).
bool database_is_empty(core::Store& store);
// Loads the demo company and its users. Requires: ensure_server_schema(store) succeeded.
Result<DemoSummary> load_demo(core::Store& store, sync::Hub& hub, const DemoOptions& opts);
// A fresh token for every demo user (their earlier demo tokens are revoked, since tokens are
// shown only once and a restarted demo must print working ones). Empty when no demo was loaded.
Result<std::vector<DemoLogin>> issue_demo_tokens(core::Store& store);

}  // namespace liaison::server
