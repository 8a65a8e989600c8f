// The compliance rule a new contact passes where one is logged in the app or through the API
// (docs/COMPLIANCE.md, "gdpr"): a marketing contact with a person who is restricted or objected
// is refused (core::may_log_contact). The hub does not apply it: a contact logged offline
// before the request reached the device is accepted, as every concurrent change is.
//
// Thread-safety: as the Store.
#pragma once

#include "core/storage/store.hpp"
#include "sync/op.hpp"

namespace liaison::sync {

// `create`: the create of an interaction (ops_from_json's first operation). ok when it is not
// a marketing contact or she is free to receive one; kForbidden saying why otherwise. A create
// without a person is left to validation.
Status check_new_contact(core::Store& store, const Op& create);

}  // namespace liaison::sync
