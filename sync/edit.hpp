// From a JSON document an app sent to operations (unstamped: the caller stamps and submits
// them through its replica, or through the hub on the server), so that edits made in a
// screen or through the REST API merge exactly like every other operation.
//
//   create  {"name":"Ana","email":"ana@example.com","handles":["instagram:ana:1200"]}
//           -> one kCreate op with the fields, then one kAdd op per set element
//   update  {"status":"do_not_contact","notes":null}
//           -> one kSet op with the fields (null clears a field); sets are refused in an update
//              (use add/remove, which carry the dots the remover observed)
//
// JSON value types: strings for text-like fields (text, e-mail, phone, url, date, country,
// enum, ref, code, currency), integers for int and time fields, true/false for bool fields,
// arrays of strings for sets. A wrong type is refused with kInvalidArgument and a message
// naming the field ("capacity: expected a whole number"); an unknown field with kUnknownField;
// text that is not one flat JSON object (or repeats a key, or nests) with kMalformed; a
// document over kMaxEditBytes with kTooLarge. Values are not validated here: the replica or the
// hub validates every operation (core/model/validate.hpp).
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "core/util/status.hpp"
#include "sync/op.hpp"

namespace liaison::sync {

enum class EditMode { kCreate, kUpdate };

// The largest document accepted (bytes).
inline constexpr std::size_t kMaxEditBytes = 64 * 1024;

Result<std::vector<Op>> ops_from_json(Kind kind, const Id128& entity, EditMode mode,
                                      std::string_view json);

}  // namespace liaison::sync
