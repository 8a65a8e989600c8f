#include "sync/scope.hpp"

#include <algorithm>

namespace liaison::sync {
namespace {

const std::string* text_at(core::Kind kind, const std::vector<core::Value>& values,
                           const char* key) {
    int i = core::kind_def(kind).scope_field(key);
    if (i < 0 || std::size_t(i) >= values.size()) return nullptr;
    return std::get_if<std::string>(&values[std::size_t(i)]);
}

bool contains(const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

const char* role_name(Role r) {
    switch (r) {
        case Role::kAdmin:
            return "admin";
        case Role::kCentral:
            return "central";
        case Role::kRegional:
            return "regional";
        case Role::kStore:
            return "store";
        case Role::kField:
            return "field";
    }
    return "field";
}

std::optional<Role> role_from_name(std::string_view name) {
    for (int i = 0; i <= int(Role::kField); ++i)
        if (name == role_name(Role(i))) return Role(i);
    return std::nullopt;
}

bool Scope::covers(core::Kind kind, const core::Id128& id,
                   const std::vector<core::Value>& values) const {
    if (global) return true;
    // The scope's own places and brands are in it.
    if (kind == core::Kind::kStore || kind == core::Kind::kRegion || kind == core::Kind::kBrand) {
        const auto& own = kind == core::Kind::kStore    ? stores
                          : kind == core::Kind::kRegion ? regions
                                                        : brands;
        if (contains(own, id.to_text())) return true;
    }
    const std::string* brand = text_at(kind, values, "brand");
    if (!brands.empty() && brand && !contains(brands, *brand)) return false;
    const std::string* store = text_at(kind, values, "store");
    const std::string* region = text_at(kind, values, "region");
    if (!store && !region) return true;
    if (store && (contains(stores, *store) || contains(region_stores, *store))) return true;
    if (region && contains(regions, *region)) return true;
    return false;
}

}  // namespace liaison::sync
