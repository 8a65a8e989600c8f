#include "server/api/history.hpp"

#include <map>
#include <optional>
#include <string>

#include "core/query/view.hpp"
#include "core/storage/accounts.hpp"
#include "core/storage/history.hpp"
#include "server/api/json.hpp"
#include "sync/hlc.hpp"
#include "sync/op.hpp"

namespace liaison::server {
namespace {

using core::Id128;
using core::Kind;
using core::Store;

HttpReply json_ok(std::string body) {
    HttpReply r;
    r.body = std::move(body);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

// Names of the people and devices an answer mentions, each looked up once.
class Names {
public:
    explicit Names(Store& store) : store_(store) {}

    // {"id":…,"name":…} of a staff member ("name" only when the record is held); null for none.
    Result<std::string> actor(const Id128& staff) {
        if (staff.is_nil()) return std::string("null");
        if (auto it = actors_.find(staff); it != actors_.end()) return it->second;
        std::string out = "{\"id\":" + json_string(staff.to_text());
        auto row = store_.load_row(Kind::kStaff, staff);
        if (!row) return row.status();
        const int name = core::kind_def(Kind::kStaff).field_index("name");
        if (row.value() && row.value()->visible() && name >= 0)
            if (const auto* text =
                    std::get_if<std::string>(&row.value()->values[std::size_t(name)]))
                out += ",\"name\":" + json_string(*text);
        out += "}";
        return actors_[staff] = out;
    }

    // {"replica":…,"user":{"id","name"}|null,"label":…|null}: the replica and who it is bound
    // to (server_replicas, docs/SYNC.md); the server's own writes are bound to no one.
    Result<std::string> device(const Id128& replica) {
        if (auto it = devices_.find(replica); it != devices_.end()) return it->second;
        std::string out = "{\"replica\":" + json_string(replica.to_text());
        auto owner = core::find_replica_owner(store_, replica);
        if (!owner) return owner.status();
        if (!owner.value()) {
            out += ",\"user\":null,\"label\":null}";
        } else {
            auto user = core::find_user(store_, owner.value()->user);
            if (!user) return user.status();
            out += ",\"user\":{\"id\":" + std::to_string(owner.value()->user);
            if (user.value()) out += ",\"name\":" + json_string(user.value()->name);
            out += "},\"label\":" + json_string(owner.value()->device) + "}";
        }
        return devices_[replica] = out;
    }

private:
    Store& store_;
    std::map<Id128, std::string> actors_, devices_;
};

const char* type_name(int type) {
    return type >= 1 && type <= sync::kMaxOpType ? sync::op_type_name(sync::OpType(type))
                                                 : "unknown";
}

Result<std::string> entry_json(Names& names, Kind kind, const core::HistoryEntry& e) {
    const auto& k = core::kind_def(kind);
    auto actor = names.actor(e.actor);
    if (!actor) return actor.status();
    auto device = names.device(e.stamp.replica);
    if (!device) return device.status();
    std::string out =
        "{\"at\":" + json_string(core::iso_time(std::int64_t(sync::hlc_millis(e.stamp.hlc)))) +
        ",\"stamp\":" + json_string(e.stamp.to_text()) +
        ",\"type\":" + json_string(type_name(e.type)) +
        ",\"entity\":" + json_string(e.entity.to_text()) + ",\"actor\":" + actor.value() +
        ",\"device\":" + device.value() + ",\"fields\":[";
    bool first = true;
    for (const auto& f : e.fields) {
        const auto& def = k.fields[std::size_t(f.field)];
        out += (first ? "{" : ",{") + std::string("\"name\":") + json_string(def.name);
        first = false;
        if (f.old_value) out += ",\"old\":" + core::value_json(def, *f.old_value);
        if (f.new_value)
            out += ",\"new\":" + core::value_json(def, *f.new_value) +
                   ",\"superseded\":" + (f.superseded ? "true" : "false");
        out += "}";
    }
    out += "]";
    if (e.set >= 0) {
        out += ",\"set\":" + json_string(k.sets[std::size_t(e.set)].name);
        if (e.element) out += ",\"element\":" + json_string(*e.element);
    }
    out += std::string(",\"superseded\":") + (e.superseded ? "true" : "false") + "}";
    return out;
}

}  // namespace

HttpReply entity_history(SyncBackend& backend, Kind kind, const Id128& id, std::size_t limit) {
    return backend.read([&](Store& store) -> HttpReply {
        const std::string what = std::string(core::kind_name(kind)) + " " + id.to_text();
        if (store.is_erased(id))
            return status_reply(Status(Code::kErased, what + " was erased, with its history"));
        const Id128 root = core::kind_def(kind).mergeable ? store.root_of(id) : id;
        auto row = store.load_row(kind, root);
        if (!row) return status_reply(row.status());
        if (!row.value()) return status_reply(Status::not_found(what));
        auto entries = core::entity_history(store, kind, store.component_of(root));
        if (!entries) return status_reply(entries.status());
        const std::size_t total = entries->size();
        const std::size_t from = total > limit ? total - limit : 0;
        Names names(store);
        std::string body = "{\"id\":" + json_string(root.to_text()) +
                           ",\"kind\":" + json_string(core::kind_name(kind)) +
                           ",\"total\":" + std::to_string(total) +
                           ",\"truncated\":" + (from > 0 ? "true" : "false") + ",\"entries\":[";
        for (std::size_t i = from; i < total; ++i) {
            auto entry = entry_json(names, kind, entries.value()[i]);
            if (!entry) return status_reply(entry.status());
            body += (i > from ? "," : "") + entry.value();
        }
        return json_ok(body + "]}");
    });
}

}  // namespace liaison::server
