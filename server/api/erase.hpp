// A person's erasure (GDPR art. 17) as the server makes it: one erase operation through the
// hub's merge engine (R7 in docs/SYNC.md: her whole duplicate component and every entry about
// her, on the server now and on every device at its next sync), then one audit line (ids
// only). REST's POST /api/v1/influencers/<id>/erase (rest.hpp) and an approved retention run
// (retention.hpp) both erase through erase_influencer, so there is one way to erase.
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <functional>
#include <string_view>

#include "core/model/ids.hpp"
#include "core/storage/store.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// A last check on the person's visible row, made in the erasing transaction itself (nothing
// can change in between): anything but ok stops the erasure with that status.
using EraseCheck = std::function<Status(core::Store&, const core::RowState& person)>;

// Erases the person `id` names (following duplicate merges) for `who`, and audits `action`
// with her id (and " <note>" when a note is given) as subject. Returns the id erased (the root
// of her component). Errors: not_found when `who` cannot see her, erased when she is already
// erased, the check's status, a storage error. Requires: `who` may erase (central or admin;
// the caller checks and answers 403).
Result<core::Id128> erase_influencer(SyncBackend& backend, const Principal& who,
                                     const core::Id128& id, std::string_view action,
                                     std::string_view note = {}, const EraseCheck& check = {});

}  // namespace liaison::server
