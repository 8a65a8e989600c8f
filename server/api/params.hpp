// The query parameters of the REST routes: read, bounded and refused with a message that names
// the parameter (api/rest.hpp, api/directory.hpp).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/ids.hpp"
#include "core/util/status.hpp"
#include "server/api/rest.hpp"

namespace liaison::server {

// Refuses parameters not in `allowed` and parameters given twice.
Status check_params(const RestRequest& req, const std::vector<std::string>& allowed);
std::optional<std::string> param(const RestRequest& req, const std::string& name);
// A whole number from `min` to `max`; `def` when absent.
Result<std::size_t> size_param(const RestRequest& req, const std::string& name, std::size_t def,
                               std::size_t min, std::size_t max);
Result<core::Id128> id_param(std::string_view name, std::string_view text);
// A day, YYYY-MM-DD, as the milliseconds since the epoch of its midnight (UTC).
Result<std::int64_t> day_param(const std::string& name, const std::string& v);

}  // namespace liaison::server
