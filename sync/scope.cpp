#include "sync/scope.hpp"

#include <algorithm>

#include "core/util/text.hpp"

namespace liaison::sync {
namespace {

using core::contains;

const std::string* text_at(core::Kind kind, const std::vector<core::Value>& values,
                           const char* key) {
    int i = core::kind_def(kind).scope_field(key);
    if (i < 0 || std::size_t(i) >= values.size()) return nullptr;
    return std::get_if<std::string>(&values[std::size_t(i)]);
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
        case Role::kIntegration:
            return "integration";
    }
    return "field";
}

std::optional<Role> role_from_name(std::string_view name) {
    for (int i = 0; i <= int(Role::kIntegration); ++i)
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

int scope_parent_field(core::Kind kind) {
    switch (kind) {
        case core::Kind::kClick:
        case core::Kind::kConversion:
            return core::kind_def(kind).field_index("link");
        case core::Kind::kCollaborationStep:
            return core::kind_def(kind).field_index("collaboration");
        case core::Kind::kCheckin:
        case core::Kind::kInvitation:
            return core::kind_def(kind).field_index("event");
        case core::Kind::kInteraction:
        case core::Kind::kCollaboration:
        case core::Kind::kContent:
        case core::Kind::kVetting:
        case core::Kind::kGdprRequest:
            return core::kind_def(kind).field_index("influencer");
        default:
            return -1;
    }
}

bool has_scope_key(core::Kind kind, const std::vector<core::Value>& values) {
    const auto& k = core::kind_def(kind);
    for (const char* key : {"region", "brand", "store"}) {
        int i = k.scope_field(key);
        if (i >= 0 && std::size_t(i) < values.size() && !core::is_null(values[std::size_t(i)]))
            return true;
    }
    return false;
}

Result<std::optional<core::RowState>> scope_parent(core::Store& store, core::Kind kind,
                                                   const std::vector<core::Value>& values) {
    using Out = std::optional<core::RowState>;
    const int parent = scope_parent_field(kind);
    if (parent < 0 || std::size_t(parent) >= values.size()) return Out();
    const auto* text = std::get_if<std::string>(&values[std::size_t(parent)]);
    if (!text) return Out();
    auto pid = core::Id128::from_text(*text);
    if (!pid) return Out();
    const core::Kind pkind = core::kind_def(kind).fields[std::size_t(parent)].ref_kind;
    auto row = store.load_row(pkind, core::kind_def(pkind).mergeable ? store.root_of(*pid) : *pid);
    if (!row) return row.status();
    if (!row.value() || !row.value()->visible()) return Out();
    return row;
}

Result<bool> covers_entry(core::Store& store, const Scope& scope, core::Kind kind,
                          const core::Id128& id, const std::vector<core::Value>& values) {
    if (scope.global) return true;
    if (scope_parent_field(kind) < 0 || has_scope_key(kind, values))
        return scope.covers(kind, id, values);
    // A keyless entry is where its parent is; an entry whose parent this store does not hold
    // (yet, or any more) is shown to no scoped caller rather than to every one.
    auto p = scope_parent(store, kind, values);
    if (!p) return p.status();
    return p.value() && scope.covers(*p.value());
}

}  // namespace liaison::sync
