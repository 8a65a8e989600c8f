#include "server/api/duplicates.hpp"

#include <map>
#include <optional>

#include "core/query/duplicate_pairs.hpp"
#include "core/query/view.hpp"
#include "core/util/json.hpp"
#include "server/api/params.hpp"

namespace liaison::server {
namespace {

using core::Id128;
using core::Kind;

// The pairs of the record as of one sequence number: the queue is read page by page, and a
// page after another with no write between them must not scan the record again. Used only
// inside SyncBackend::read (serialised by its mutex).
struct Cache {
    const core::Store* store = nullptr;
    std::int64_t seq = -1;
    std::vector<core::DuplicatePair> pairs;
};

Result<const std::vector<core::DuplicatePair>*> pairs_of(core::Store& store) {
    static Cache cache;
    if (cache.store != &store || cache.seq != store.last_seq()) {
        auto found = core::find_duplicate_pairs(store);
        if (!found) return found.status();
        cache = Cache{&store, store.last_seq(), std::move(found).value()};
    }
    return &cache.pairs;
}

}  // namespace

HttpReply duplicates(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (who.role != sync::Role::kAdmin && who.role != sync::Role::kCentral &&
        who.role != sync::Role::kRegional)
        return error_reply(403, code_name(Code::kForbidden),
                           "only the central team and regional managers review duplicates");
    if (Status s = check_params(req, {"limit", "offset"}); !s) return status_reply(s);
    auto limit = size_param(req, "limit", 20, 1, kMaxDuplicatePairsPage);
    if (!limit) return status_reply(limit.status());
    auto offset = size_param(req, "offset", 0, 0, kMaxOffset);
    if (!offset) return status_reply(offset.status());

    return backend.read([&](core::Store& store) -> HttpReply {
        auto pairs = pairs_of(store);
        if (!pairs) return status_reply(pairs.status());
        // A scoped caller sees the pairs both of whose people its scope covers.
        std::map<Id128, bool> covered;
        auto sees = [&](const Id128& id) -> Result<bool> {
            if (who.scope.global) return true;
            auto it = covered.find(id);
            if (it != covered.end()) return it->second;
            auto row = store.load_row(Kind::kInfluencer, id);
            if (!row) return row.status();
            const bool ok = row.value() && who.scope.covers(*row.value());
            covered.emplace(id, ok);
            return ok;
        };
        std::size_t total = 0;
        std::string items = "[";
        for (const auto& p : *pairs.value()) {
            auto sa = sees(p.a);
            if (!sa) return status_reply(sa.status());
            auto sb = sees(p.b);
            if (!sb) return status_reply(sb.status());
            if (!sa.value() || !sb.value()) continue;
            const std::size_t at = total++;
            if (at < offset.value() || at >= offset.value() + limit.value()) continue;
            auto a = core::entity_json(store, Kind::kInfluencer, p.a);
            if (!a) return status_reply(a.status());
            auto b = core::entity_json(store, Kind::kInfluencer, p.b);
            if (!b) return status_reply(b.status());
            if (!a.value() || !b.value()) continue;
            items += std::string(items.size() > 1 ? "," : "") + "{\"a\":" + *a.value() +
                     ",\"b\":" + *b.value() + ",\"reasons\":" + core::json_string_array(p.reasons) +
                     "}";
        }
        items += "]";
        const std::size_t next = offset.value() + limit.value();
        HttpReply reply;
        reply.content_type = kJsonType;
        reply.body =
            "{\"total\":" + std::to_string(total) + ",\"items\":" + items +
            ",\"next_offset\":" + (next < total ? std::to_string(next) : std::string("null")) + "}";
        return reply;
    });
}

}  // namespace liaison::server
