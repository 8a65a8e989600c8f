#include "server/api/events.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <optional>

#include "core/model/schema.hpp"
#include "core/query/events.hpp"
#include "core/query/queries.hpp"
#include "core/query/view.hpp"
#include "server/admin/accounts.hpp"
#include "server/api/admin.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"
#include "sync/edit.hpp"

namespace liaison::server {
namespace {

using core::Id128;
using core::Kind;
using core::RowState;
using core::Store;
using sync::Op;

// The fields of an invitation a request may give; the rest (event, person, scope keys) the
// route fills in.
#define LIAISON_INVITATION_FIELDS \
    { "event", "influencer", "status", "plus_ones", "note", "at", "staff" }

// The event, visible to the caller, or the reply that refuses the request.
Result<RowState> visible_event(Store& store, const Principal& who, const Id128& id) {
    auto row = core::get_entity(store, Kind::kEvent, id);
    if (!row) return row.status();
    if (!row.value() || !who.scope.covers(*row.value()))
        return Status::not_found("event " + id.to_text());
    return std::move(*row.value());
}

std::string stringify(const rapidjson::Value& v) {
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    v.Accept(w);
    return std::string(out.GetString(), out.GetSize());
}

// The operations that invite `person` (a root id the caller sees) to `event`, from `fields` (a
// JSON object of invitation fields the request gave): its derived id, the event's scope keys,
// now and the caller's staff member where the request gave none. Nothing when she is already
// invited (not cancelled) and `fields` asks nothing else of the invitation.
Result<std::optional<std::vector<Op>>> invitation_ops(Store& store, const Principal& who,
                                                      const RowState& event, const Id128& person,
                                                      rapidjson::Document fields, Id128& id,
                                                      bool renew_only) {
    using Out = std::optional<std::vector<Op>>;
    auto& a = fields.GetAllocator();
    auto put = [&](const char* name, const std::string& text) {
        if (fields.HasMember(name)) return;
        fields.AddMember(rapidjson::Value(name, a), rapidjson::Value(text.c_str(), a), a);
    };
    fields.RemoveMember("event");
    fields.RemoveMember("influencer");
    id = Id128::derive("invitation", event.id, person);
    auto old = store.load_row(Kind::kInvitation, id);
    if (!old) return old.status();
    if (old.value() && old.value()->deleted) {
        // A removed invitation's tombstone wins over a create: a new one takes a fresh id.
        thread_local auto ids = core::make_random_id_source();
        id = ids->next_entity_id(std::uint64_t(wall_ms()));
    } else if (old.value() && old.value()->visible()) {
        const std::string* status = old.value()->text("status");
        const bool cancelled = status && *status == "cancelled";
        if (renew_only && !cancelled) return Out();
        if (cancelled && !fields.HasMember("status")) put("status", "invited");
        if (!fields.HasMember("at"))
            fields.AddMember("at", rapidjson::Value(std::int64_t(wall_ms())), a);
        auto ops =
            sync::ops_from_json(Kind::kInvitation, id, sync::EditMode::kUpdate, stringify(fields));
        if (!ops) return ops.status();
        return Out(std::move(ops).value());
    }
    put("event", event.id.to_text());
    put("influencer", person.to_text());
    put("status", "invited");
    if (!fields.HasMember("at"))
        fields.AddMember("at", rapidjson::Value(std::int64_t(wall_ms())), a);
    if (who.staff.size() == 1) put("staff", who.staff.front().to_text());
    for (const char* key : {"brand", "region", "store"})
        if (const std::string* v = event.text(key)) put(key, *v);
    auto ops =
        sync::ops_from_json(Kind::kInvitation, id, sync::EditMode::kCreate, stringify(fields));
    if (!ops) return ops.status();
    return Out(std::move(ops).value());
}

// The person `text` names, as the record she is now, if the caller's scope covers her.
Result<Id128> visible_person(Store& store, const Principal& who, const std::string& text) {
    auto id = id_param("influencers", text);
    if (!id) return id.status();
    auto row = core::get_entity(store, Kind::kInfluencer, id.value());
    if (!row) return row.status();
    if (!row.value() || !who.scope.covers(*row.value()))
        return Status::invalid("influencers: " + text.substr(0, 26) +
                               " is not a person you can see");
    return row.value()->id;
}

std::string counts_json(const core::EventSummary& e) {
    return "{\"invited\":" + std::to_string(e.invited) +
           ",\"accepted\":" + std::to_string(e.accepted) +
           ",\"checked_in\":" + std::to_string(e.checked_in) + "}";
}

std::string opt_id(const std::optional<Id128>& id) {
    return id ? json_string(id->to_text()) : std::string("null");
}

}  // namespace

HttpReply agenda(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (Status s = check_params(req, {"from", "to", "order", "limit", "offset"}); !s)
        return status_reply(s);
    const std::string order = param(req, "order").value_or("latest");
    if (order != "latest" && order != "soonest")
        return status_reply(Status::invalid("order: latest or soonest"));
    auto limit = size_param(req, "limit", kDefaultPageSize, 1, kMaxPageSize);
    if (!limit) return status_reply(limit.status());
    auto offset = size_param(req, "offset", 0, 0, kMaxOffset);
    if (!offset) return status_reply(offset.status());
    std::int64_t from = INT64_MIN, to = INT64_MAX;
    if (auto v = param(req, "from")) {
        auto day = day_param("from", *v);
        if (!day) return status_reply(day.status());
        from = day.value();
    }
    if (auto v = param(req, "to")) {
        auto day = day_param("to", *v);
        if (!day) return status_reply(day.status());
        to = day.value() + 86'400'000;  // the whole day
    }
    const int starts = core::kind_def(Kind::kEvent).field_index("starts");
    return backend.read([&](Store& store) -> HttpReply {
        auto events = core::list_events(store, kMaxAgendaEvents);
        if (!events) return status_reply(events.status());
        std::vector<const core::EventSummary*> kept;
        for (const auto& e : events.value()) {
            const auto* at = std::get_if<std::int64_t>(&e.row.values[std::size_t(starts)]);
            const std::int64_t t = at ? *at : 0;
            if (t < from || t >= to || !who.scope.covers(e.row)) continue;
            kept.push_back(&e);
        }
        if (order == "soonest") std::reverse(kept.begin(), kept.end());
        std::string items = "[";
        const std::size_t end = std::min(kept.size(), offset.value() + limit.value());
        for (std::size_t i = offset.value(); i < end; ++i) {
            auto json = core::entity_json(store, Kind::kEvent, kept[i]->row.id);
            if (!json) return status_reply(json.status());
            if (items.size() > 1) items += ',';
            items += "{\"event\":" + json.value().value_or("null") +
                     ",\"counts\":" + counts_json(*kept[i]) + "}";
        }
        HttpReply r;
        r.body =
            "{\"total\":" + std::to_string(kept.size()) + ",\"items\":" + items +
            "],\"next_offset\":" + (end < kept.size() ? std::to_string(end) : std::string("null")) +
            "}";
        return r;
    });
}

HttpReply event_guests(SyncBackend& backend, const Principal& who, const Id128& event,
                       const RestRequest& req) {
    if (Status s = check_params(req, {"limit", "offset"}); !s) return status_reply(s);
    auto limit = size_param(req, "limit", kMaxPageSize, 1, kMaxPageSize);
    if (!limit) return status_reply(limit.status());
    auto offset = size_param(req, "offset", 0, 0, kMaxOffset);
    if (!offset) return status_reply(offset.status());
    return backend.read([&](Store& store) -> HttpReply {
        auto ev = visible_event(store, who, event);
        if (!ev) return status_reply(ev.status());
        auto a = core::event_attendance(store, ev->id, offset.value() + limit.value());
        if (!a) return status_reply(a.status());
        auto json = core::entity_json(store, Kind::kEvent, ev->id);
        if (!json) return status_reply(json.status());
        const int cap = core::kind_def(Kind::kEvent).field_index("capacity");
        const auto* capacity = std::get_if<std::int64_t>(&ev->values[std::size_t(cap)]);
        std::string body = "{\"event\":" + json.value().value_or("null") + ",\"counts\":{";
        body += "\"invited\":" + std::to_string(a->invited) +
                ",\"accepted\":" + std::to_string(a->accepted) +
                ",\"declined\":" + std::to_string(a->declined) +
                ",\"cancelled\":" + std::to_string(a->cancelled) +
                ",\"expected\":" + std::to_string(a->expected) +
                ",\"checked_in\":" + std::to_string(a->checked_in) +
                ",\"uninvited\":" + std::to_string(a->uninvited) +
                ",\"capacity\":" + (capacity ? std::to_string(*capacity) : "null") + "}";
        body += ",\"total\":" + std::to_string(a->guests_total) + ",\"items\":[";
        for (std::size_t i = offset.value(); i < a->guests.size(); ++i) {
            const auto& g = a->guests[i];
            if (i > offset.value()) body += ',';
            body += "{\"influencer\":" + json_string(g.influencer.to_text()) +
                    ",\"name\":" + json_string(g.name) + ",\"invitation\":" + opt_id(g.invitation) +
                    ",\"status\":" + (g.status.empty() ? "null" : json_string(g.status)) +
                    ",\"plus_ones\":" + std::to_string(g.plus_ones) +
                    ",\"invited_at\":" + (g.invitation ? std::to_string(g.invited_at) : "null") +
                    ",\"checkin\":" + opt_id(g.checkin) +
                    ",\"checked_in_at\":" + (g.checkin ? std::to_string(g.checked_in_at) : "null") +
                    ",\"walk_in\":" + (g.walk_in ? "true" : "false") + "}";
        }
        const std::size_t end = offset.value() + limit.value();
        body += "],\"next_offset\":" +
                (end < a->guests_total ? std::to_string(end) : std::string("null")) + "}";
        HttpReply r;
        r.body = std::move(body);
        return r;
    });
}

HttpReply invite_guests(SyncBackend& backend, const Principal& who, const Id128& event,
                        const RestRequest& req) {
    if (auto bad = check_json_type(req.content_type)) return *bad;
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    const std::vector<std::string_view> fields = {"influencers", "status", "plus_ones", "note"};
    auto body = parse_admin_body(req.body, {"influencers", "status", "plus_ones", "note"});
    if (!body) return field_status_reply(body.status(), fields);
    auto people = string_list_member(body.value(), "influencers", kMaxInvitesPerRequest);
    if (!people) return field_status_reply(people.status(), fields);
    if (!people.value() || people.value()->empty())
        return field_status_reply(
            Status(Code::kRequired, R"(influencers: send {"influencers":["<person id>", …]})"),
            fields);
    // The same answer, plus-ones and note for everyone invited by this request.
    rapidjson::Document common;
    common.SetObject();
    for (const char* name : {"status", "plus_ones", "note"})
        if (auto m = body.value().FindMember(name); m != body.value().MemberEnd())
            common.AddMember(rapidjson::Value(name, common.GetAllocator()),
                             rapidjson::Value(m->value, common.GetAllocator()),
                             common.GetAllocator());
    const bool renew_only = common.ObjectEmpty();

    std::vector<std::string> ids;
    std::size_t already = 0;
    Status s =
        backend.submit(device_context(who, {}), [&](Store& store) -> Result<std::vector<Op>> {
            ids.clear();
            already = 0;
            auto ev = visible_event(store, who, event);
            if (!ev) return ev.status();
            // Every person first: one the caller cannot see refuses the request before any write.
            std::vector<Id128> roots;
            for (const auto& text : *people.value()) {
                auto root = visible_person(store, who, text);
                if (!root) return root.status();
                if (std::find(roots.begin(), roots.end(), root.value()) == roots.end())
                    roots.push_back(root.value());
            }
            std::vector<Op> all;
            for (const auto& root : roots) {
                rapidjson::Document doc;
                doc.CopyFrom(common, doc.GetAllocator());
                Id128 id;
                auto ops = invitation_ops(store, who, *ev, root, std::move(doc), id, renew_only);
                if (!ops) return ops.status();
                ids.push_back(id.to_text());
                if (!ops.value()) {
                    ++already;
                    continue;
                }
                for (auto& op : *ops.value()) all.push_back(std::move(op));
            }
            return all;
        });
    if (!s) return field_status_reply(s, fields);
    HttpReply r;
    r.body = "{\"invited\":" + std::to_string(ids.size() - already) +
             ",\"already\":" + std::to_string(already) + ",\"ids\":" + json_string_array(ids) + "}";
    r.log_note = ",\"invited\":" + std::to_string(ids.size() - already);
    return r;
}

HttpReply create_invitation(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (auto bad = check_json_type(req.content_type)) return *bad;
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    const std::vector<std::string_view> fields LIAISON_INVITATION_FIELDS;
    auto body = parse_admin_body(req.body, LIAISON_INVITATION_FIELDS);
    if (!body) return field_status_reply(body.status(), fields);
    Id128 ids[2];
    const char* names[2] = {"event", "influencer"};
    for (int i = 0; i < 2; ++i) {
        auto text = string_member(body.value(), names[i]);
        if (!text) return field_status_reply(text.status(), fields);
        if (!text.value())
            return field_status_reply(Status(Code::kRequired, std::string(names[i]) + ": required"),
                                      fields);
        auto id = id_param(names[i], *text.value());
        if (!id) return field_status_reply(id.status(), fields);
        ids[i] = id.value();
    }
    Id128 made;
    Status s =
        backend.submit(device_context(who, {}), [&](Store& store) -> Result<std::vector<Op>> {
            auto ev = visible_event(store, who, ids[0]);
            if (!ev) return ev.status();
            auto person = visible_person(store, who, ids[1].to_text());
            if (!person)
                return Status::invalid("influencer: " + ids[1].to_text() +
                                       " is not a person you can see");
            rapidjson::Document doc;
            doc.CopyFrom(body.value(), doc.GetAllocator());
            auto ops = invitation_ops(store, who, *ev, person.value(), std::move(doc), made, false);
            if (!ops) return ops.status();
            return std::move(*ops.value());
        });
    if (!s) return field_status_reply(s, fields);
    HttpReply r;
    r.status = 201;
    r.body = "{\"id\":" + json_string(made.to_text()) + "}";
    r.headers.emplace_back("Location", "/api/v1/invitations/" + made.to_text());
    return r;
}

}  // namespace liaison::server
