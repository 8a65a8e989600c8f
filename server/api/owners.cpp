#include "server/api/owners.hpp"

#include <algorithm>
#include <map>

#include "core/model/validate.hpp"
#include "core/query/follow_ups.hpp"
#include "core/query/queries.hpp"
#include "core/query/view.hpp"
#include "server/api/admin.hpp"
#include "server/api/directory.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"
#include "sync/op.hpp"

namespace liaison::server {
namespace {

using core::Id128;
using core::Kind;

// The staff member's name, or "" when the server does not hold her.
std::string staff_name(core::Store& store, const Id128& id) {
    auto row = core::get_entity(store, Kind::kStaff, id);
    if (!row.is_ok() || !row.value()) return {};
    const std::string* name = row.value()->text("name");
    return name ? *name : std::string();
}

}  // namespace

HttpReply follow_ups(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (Status s = check_params(req, {"owner", "due_before", "limit", "offset"}); !s)
        return status_reply(s);
    auto limit = size_param(req, "limit", kDefaultPageSize, 1, kMaxPageSize);
    if (!limit) return status_reply(limit.status());
    auto offset = size_param(req, "offset", 0, 0, kMaxOffset);
    if (!offset) return status_reply(offset.status());
    const std::string due_before = param(req, "due_before").value_or("");
    if (param(req, "due_before") && !core::is_date(due_before))
        return status_reply(Status(Code::kBadFormat, "due_before: a date, YYYY-MM-DD"));

    return backend.read([&](core::Store& store) -> HttpReply {
        auto q = people_query(store, who, req);  // owner and the caller's scope
        if (!q) return status_reply(q.status());
        core::PeopleIndex& index = backend.people();
        if (Status s = index.catch_up(store); !s) return status_reply(s);
        const auto page =
            core::open_follow_ups(index, q.value(), due_before, limit.value(), offset.value());
        std::map<Id128, std::string> names;
        std::string items = "[";
        for (std::size_t i = 0; i < page.hits.size(); ++i) {
            const auto& [person, f] = page.hits[i];
            std::string entry = "null";
            auto row = core::get_entity(store, Kind::kInteraction, f->interaction);
            if (!row) return status_reply(row.status());
            if (row.value() && (who.scope.global || who.scope.covers(*row.value()))) {
                auto json = core::entity_json(store, Kind::kInteraction, f->interaction);
                if (!json) return status_reply(json.status());
                if (json.value()) entry = *json.value();
            }
            if (person->owner && !names.count(*person->owner))
                names[*person->owner] = staff_name(store, *person->owner);
            if (i) items += ',';
            items += "{\"interaction\":" + entry +
                     ",\"person\":{\"id\":" + json_string(person->id.to_text()) +
                     ",\"name\":" + json_string(person->name) + ",\"owner\":" +
                     (person->owner ? json_string(person->owner->to_text()) : "null") +
                     "},\"due\":" + (f->due.empty() ? "null" : json_string(f->due)) +
                     ",\"at\":" + std::to_string(f->at) + "}";
        }
        items += "]";
        std::string names_json = "{";
        for (const auto& [id, name] : names)
            if (!name.empty()) {
                if (names_json.size() > 1) names_json += ',';
                names_json += json_string(id.to_text()) + ":" + json_string(name);
            }
        names_json += "}";
        const std::size_t next = offset.value() + page.hits.size();
        HttpReply reply;
        reply.body = "{\"total\":" + std::to_string(page.total) + ",\"items\":" + items +
                     ",\"names\":" + names_json + ",\"next_offset\":" +
                     (next < page.total ? std::to_string(next) : std::string("null")) + "}";
        reply.log_note = ",\"rows\":" + std::to_string(page.hits.size());
        return reply;
    });
}

HttpReply handover(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (!is_central(who))
        return error_reply(403, code_name(Code::kForbidden),
                           "only the central team may hand relationships over");
    if (auto bad = check_json_type(req.content_type)) return *bad;
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    auto body = parse_admin_body(req.body, {"from", "to"});
    if (!body) return field_status_reply(body.status(), {"from", "to"});
    Id128 ids[2];
    const char* names[2] = {"from", "to"};
    for (int i = 0; i < 2; ++i) {
        auto text = string_member(body.value(), names[i]);
        if (!text) return field_status_reply(text.status(), {"from", "to"});
        if (!text.value())
            return field_status_reply(Status::invalid(std::string(names[i]) + ": required"),
                                      {"from", "to"});
        auto id = id_param(names[i], *text.value());
        if (!id) return field_status_reply(id.status(), {"from", "to"});
        ids[i] = id.value();
    }
    const Id128 from = ids[0], to = ids[1];
    if (from == to)
        return field_status_reply(Status::invalid("to: the same staff member as from"), {"to"});

    // Who `from` owns now, read from the directory index.
    std::vector<Id128> people;
    HttpReply refused = backend.read([&](core::Store& store) -> HttpReply {
        auto staff = core::get_entity(store, Kind::kStaff, to);
        if (!staff) return status_reply(staff.status());
        if (!staff.value())
            return field_status_reply(Status::invalid("to: no such staff member"), {"to"});
        core::PeopleIndex& index = backend.people();
        if (Status s = index.catch_up(store); !s) return status_reply(s);
        core::PeopleQuery q;
        q.filter.owner = from;
        index.each([&](const core::PersonEntry& p) {
            if (q.filter.keeps(p)) people.push_back(p.id);
        });
        return HttpReply{};
    });
    if (refused.status != 200) return refused;

    // One owner operation per person, a batch per transaction: between batches the store's
    // lock is free for devices and other requests.
    std::size_t moved = 0;
    for (std::size_t start = 0; start < people.size(); start += kHandoverBatch) {
        const std::size_t end = std::min(people.size(), start + kHandoverBatch);
        std::size_t in_batch = 0;
        Status s = backend.submit(
            device_context(who, {}), [&](core::Store& store) -> Result<std::vector<sync::Op>> {
                in_batch = 0;
                std::vector<sync::Op> ops;
                for (std::size_t i = start; i < end; ++i) {
                    auto row = core::get_entity(store, Kind::kInfluencer, people[i]);
                    if (!row) return row.status();
                    if (!row.value()) continue;  // merged or erased meanwhile
                    const std::string* owner = row.value()->text("owner");
                    if (!owner || *owner != from.to_text()) continue;  // changed meanwhile
                    ops.push_back(sync::field_op(sync::OpType::kSet, Kind::kInfluencer,
                                                 row.value()->id, {{"owner", to.to_text()}}));
                    ++in_batch;
                }
                return ops;
            });
        if (!s) {
            // The batches before this one are kept: say how far it went.
            HttpReply r = status_reply(s);
            r.log_note += ",\"moved\":" + std::to_string(moved);
            return r;
        }
        moved += in_batch;
    }
    HttpReply reply;
    reply.body = "{\"from\":" + json_string(from.to_text()) +
                 ",\"to\":" + json_string(to.to_text()) + ",\"moved\":" + std::to_string(moved) +
                 "}";
    reply.log_note = ",\"moved\":" + std::to_string(moved);
    return reply;
}

}  // namespace liaison::server
