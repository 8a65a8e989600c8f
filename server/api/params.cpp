#include "server/api/params.hpp"

#include <algorithm>

#include "core/model/validate.hpp"
#include "core/query/view.hpp"

namespace liaison::server {

using core::Id128;

Status check_params(const RestRequest& req, const std::vector<std::string>& allowed) {
    for (auto it = req.params.begin(); it != req.params.end(); ++it) {
        if (std::find(allowed.begin(), allowed.end(), it->first) == allowed.end())
            return Status::invalid("unknown query parameter '" + it->first.substr(0, 40) + "'");
        if (req.params.count(it->first) > 1) return Status::invalid(it->first + ": given twice");
    }
    return Status::ok();
}

std::optional<std::string> param(const RestRequest& req, const std::string& name) {
    auto it = req.params.find(name);
    if (it == req.params.end()) return std::nullopt;
    return it->second;
}

Result<std::size_t> size_param(const RestRequest& req, const std::string& name, std::size_t def,
                               std::size_t min, std::size_t max) {
    auto v = param(req, name);
    if (!v) return def;
    const Status bad = Status::invalid(name + ": a whole number from " + std::to_string(min) +
                                       " to " + std::to_string(max));
    if (v->empty() || v->size() > 9 ||
        !std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; }))
        return bad;
    std::size_t n = std::stoul(*v);
    if (n < min || n > max) return bad;
    return n;
}

Result<Id128> id_param(std::string_view name, std::string_view text) {
    auto id = Id128::from_text(text);
    if (!id)
        return Status(Code::kBadFormat,
                      std::string(name) + ": not an id (26 characters of Crockford base32)");
    return *id;
}

Result<std::int64_t> day_param(const std::string& name, const std::string& v) {
    if (!core::is_date(v)) return Status(Code::kBadFormat, name + ": a date, YYYY-MM-DD");
    const std::int64_t days = core::days_from_civil(
        std::stoll(v.substr(0, 4)), std::stoll(v.substr(5, 2)), std::stoll(v.substr(8, 2)));
    return days * 86'400'000;
}

}  // namespace liaison::server
