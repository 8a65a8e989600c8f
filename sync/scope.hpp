// Who may see and change what (docs/DESIGN.md §6): roles and scopes, as pure checks over the
// record.
//
// A scope lists regions, stores and brands (entity ids as text). An entity is in a scope when
//  - the scope is global (central team, administrators), or
//  - it carries none of the scope keys (region, store) — reference data such as brands, or a
//    person not yet attached to a place — unless the brand rule below excludes it, or
//  - its store is one of the scope's stores or one of the stores the central record places in
//    the scope's regions (`region_stores`, S1 in docs/SYNC.md), or its region one of the
//    scope's regions, or it is itself one of the scope's stores, regions or brands (a store
//    sees its own record);
// and, when the scope names brands, an entity that names a brand names one of them.
// Erased ids are not entities: they reach every replica whatever its scope (docs/DESIGN.md §5).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/storage/store.hpp"

namespace liaison::sync {

// kIntegration (issue 17): a shop's system posting orders (docs/PROGRAMMES.md "Links and
// conversions"): the server lets its tokens call only the conversions routes. Appended: the
// names are stored in the accounts and the numbers must not move.
enum class Role : std::uint8_t { kAdmin = 0, kCentral, kRegional, kStore, kField, kIntegration };
const char* role_name(Role r);
std::optional<Role> role_from_name(std::string_view name);

struct Scope {
    bool global = false;
    std::vector<std::string> regions, stores, brands;
    // The stores of `regions` (filled by the server from the central record when it
    // authenticates the caller): a person registered at a store carries only the store, and
    // must still reach the store's regional manager.
    std::vector<std::string> region_stores;
    // The brands whose directory the device holds (docs/SYNC.md "Directory", D1): the scope's
    // brands and the brands of its stores and of its regions' stores (filled by the server).
    // Empty: no directory.
    std::vector<std::string> directory_brands;

    static Scope everything() {
        Scope s;
        s.global = true;
        return s;
    }
    // Is entity `id` with these values (indexed like kind_def(kind).fields) in scope?
    bool covers(core::Kind kind, const core::Id128& id,
                const std::vector<core::Value>& values) const;
    bool covers(const core::RowState& row) const { return covers(row.kind, row.id, row.values); }
};

// The field naming a log entry's parent, whose scope keys an entry that carries none of its
// own inherits: a click or a conversion its tracked link's, a check-in or an invitation its
// event's, a collaboration's step its collaboration's, an interaction, a collaboration or a
// piece of content, a vetting or a data-subject request the person's it is about. -1 for other
// kinds.
int scope_parent_field(core::Kind kind);
// Whether the values name a region, brand or store.
bool has_scope_key(core::Kind kind, const std::vector<core::Value>& values);
// The visible row of the parent a keyless entry inherits its scope from (following duplicate
// merges), if the store holds it.
Result<std::optional<core::RowState>> scope_parent(core::Store& store, core::Kind kind,
                                                   const std::vector<core::Value>& values);
// Scope::covers for an entity as the store holds it: an entry that carries no scope key of its
// own is covered when its parent is (a click by its tracked link, a check-in by its event, …);
// one whose parent the store does not hold is covered by no scoped caller. The hub decides what
// a device receives with it, and the REST API what a caller reads.
Result<bool> covers_entry(core::Store& store, const Scope& scope, core::Kind kind,
                          const core::Id128& id, const std::vector<core::Value>& values);
inline Result<bool> covers_entry(core::Store& store, const Scope& scope,
                                 const core::RowState& row) {
    return covers_entry(store, scope, row.kind, row.id, row.values);
}

}  // namespace liaison::sync
