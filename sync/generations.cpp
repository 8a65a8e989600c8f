#include "sync/generations.hpp"

#include <algorithm>

#include "core/storage/lineage.hpp"
#include "core/util/sha256.hpp"

namespace liaison::sync {
namespace {

constexpr const char* kMetaDbGeneration = "db_generation";
// The database's lineage when its generation was last given or checked (lineage.hpp).
constexpr const char* kMetaDbLineage = "db_lineage";

}  // namespace

std::uint64_t scope_generation(const Scope& scope) {
    core::Sha256 h;
    h.update(std::string_view("liaison-scope-v1"));
    h.update_u64(scope.global ? 1 : 0);
    // A region's stores and the directory's brands are hashed only when there are some: a
    // scope with neither keeps the generation it had before scopes knew them, while a
    // regional device's changes when a store joins or leaves its region, and a device's when
    // its stores' brands change, and the device re-pulls (invariant 10).
    std::vector<std::vector<std::string>> lists = {scope.regions, scope.stores, scope.brands};
    if (!scope.region_stores.empty() || !scope.directory_brands.empty())
        lists.push_back(scope.region_stores);
    if (!scope.directory_brands.empty()) lists.push_back(scope.directory_brands);
    for (auto& list : lists) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
        h.update_u64(list.size());
        for (const auto& item : list) {
            h.update_u64(item.size());
            h.update(item);
        }
    }
    auto d = h.finish();
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | d[std::size_t(i)];
    return v ? v : 1;
}

namespace {

core::Id128 generation_of(const std::optional<std::string>& text) {
    if (!text) return {};
    return core::Id128::from_text(*text).value_or(core::Id128{});
}

}  // namespace

core::Id128 database_generation(core::Store& store) {
    return generation_of(store.meta_get(kMetaDbGeneration));
}

Result<std::pair<std::int64_t, core::Id128>> feed_head_and_generation(core::Store& store) {
    std::optional<std::string> text;
    auto head = store.feed_head(kMetaDbGeneration, &text);
    if (!head) return head.status();
    return std::make_pair(head.value(), generation_of(text));
}

Status renew_database_generation(core::Store& store, core::IdSource& ids) {
    return store.meta_set(kMetaDbGeneration, ids.next_replica_id().to_text());
}

Status ensure_database_generation(core::Store& store, core::IdSource& ids) {
    auto lineage = core::database_lineage(store.db());
    if (!lineage) return lineage.status();
    if (!lineage.value()) {  // SQLite: only a missing generation is given
        if (!database_generation(store).is_nil()) return Status::ok();
        return renew_database_generation(store, ids);
    }
    const std::string& now = *lineage.value();
    if (!database_generation(store).is_nil() && store.meta_get(kMetaDbLineage) == now)
        return Status::ok();  // the usual start: nothing to write
    core::WriteTxn txn(store);
    LIAISON_TRY(txn.begun());
    // Read again under the lock: another server may have renewed it since.
    const auto recorded = store.meta_get(kMetaDbLineage);
    if (database_generation(store).is_nil() || (recorded && *recorded != now))
        LIAISON_TRY(renew_database_generation(store, ids));
    LIAISON_TRY(store.meta_set(kMetaDbLineage, now));
    return txn.commit();
}

}  // namespace liaison::sync
