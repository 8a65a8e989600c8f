#include "server/api/collaborations.hpp"

#include <algorithm>
#include <map>

#include "core/model/schema.hpp"
#include "core/query/pipeline.hpp"
#include "core/query/queries.hpp"
#include "core/query/view.hpp"
#include "server/admin/accounts.hpp"
#include "server/api/admin.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"
#include "sync/pipeline.hpp"
#include "sync/scope.hpp"

namespace liaison::server {
namespace {

using core::Id128;
using core::Kind;
using core::RowState;
using core::Store;

std::string names_json(const std::vector<std::string_view>& names) {
    std::vector<std::string> out(names.begin(), names.end());
    return json_string_array(out);
}

std::string pipeline_json(const core::Pipeline& p) {
    std::string steps = "[";
    for (const auto& s : p.steps) {
        if (steps.size() > 1) steps += ',';
        steps += "{\"id\":" + json_string(s.id.to_text()) +
                 ",\"from\":" + (s.from.empty() ? std::string("null") : json_string(s.from)) +
                 ",\"to\":" + json_string(s.to) + ",\"at\":" + std::to_string(s.at) +
                 ",\"staff\":" + (s.staff ? json_string(s.staff->to_text()) : std::string("null")) +
                 ",\"note\":" + json_string(s.note) +
                 ",\"flag\":" + (s.flag.empty() ? std::string("null") : json_string(s.flag)) + "}";
    }
    return "{\"status\":" + json_string(p.status) +
           ",\"next\":" + names_json(core::next_statuses(p.status)) +
           ",\"out_of_step\":" + (p.out_of_step ? "true" : "false") +
           ",\"flagged\":" + std::to_string(p.flagged) + ",\"steps\":" + steps + "]}";
}

// The collaboration's JSON and pipeline, read after a write or for a GET.
HttpReply collaboration_reply(Store& store, const Principal& who, const Id128& id) {
    auto row = must_see(store, who, Kind::kCollaboration, id);
    if (!row) return status_reply(row.status());
    auto p = core::collaboration_pipeline(store, row->id);
    if (!p) return status_reply(p.status());
    auto json = core::entity_json(store, Kind::kCollaboration, row->id);
    if (!json) return status_reply(json.status());
    HttpReply r;
    r.body = "{\"collaboration\":" + json.value().value_or("null") +
             ",\"pipeline\":" + pipeline_json(p.value()) + "}";
    return r;
}

}  // namespace

HttpReply move_collaboration(SyncBackend& backend, const Principal& who, const Id128& collaboration,
                             const RestRequest& req) {
    if (auto bad = check_json_type(req.content_type)) return *bad;
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    const std::vector<std::string_view> fields = {"to", "note", "override_reason"};
    auto body = parse_admin_body(req.body, {"to", "note", "override_reason"});
    if (!body) return field_status_reply(body.status(), fields);
    auto to = string_member(body.value(), "to");
    if (!to) return field_status_reply(to.status(), fields);
    if (!to.value())
        return field_status_reply(Status(Code::kRequired, "to: required (the status to move to)"),
                                  fields);
    auto note = string_member(body.value(), "note");
    if (!note) return field_status_reply(note.status(), fields);
    auto reason = string_member(body.value(), "override_reason");
    if (!reason) return field_status_reply(reason.status(), fields);
    sync::Move move{*to.value(), note.value().value_or(""), std::nullopt,
                    reason.value().value_or("")};
    if (who.staff.size() == 1) move.staff = who.staff.front();
    // The compliance gate (docs/COMPLIANCE.md, "Vetting"): her vetting on the server's date.
    sync::MoveGate gate;
    gate.rules = &core::compliance::RuleSet::builtin();
    gate.today = core::iso_date(wall_ms());
    gate.central = who.role == sync::Role::kCentral || who.role == sync::Role::kAdmin;
    thread_local auto ids = core::make_random_id_source();
    const Id128 step = ids->next_entity_id(std::uint64_t(wall_ms()));
    Id128 root;
    Status s =
        backend.submit(device_context(who, {}), [&](Store& store) -> Result<std::vector<sync::Op>> {
            auto row = must_see(store, who, Kind::kCollaboration, collaboration);
            if (!row) return row.status();
            root = row->id;
            return sync::move_ops(store, root, move, step, wall_ms(), &gate);
        });
    if (!s) return field_status_reply(s, fields);
    return backend.read([&](Store& store) { return collaboration_reply(store, who, root); });
}

HttpReply collaboration_pipeline(SyncBackend& backend, const Principal& who,
                                 const Id128& collaboration) {
    return backend.read([&](Store& store) -> HttpReply {
        auto row = must_see(store, who, Kind::kCollaboration, collaboration);
        if (!row) return status_reply(row.status());
        auto p = core::collaboration_pipeline(store, row->id);
        if (!p) return status_reply(p.status());
        HttpReply r;
        r.body = pipeline_json(p.value());
        return r;
    });
}

HttpReply campaign_board(SyncBackend& backend, const Principal& who, const Id128& campaign,
                         const RestRequest& req) {
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    return backend.read([&](Store& store) -> HttpReply {
        auto row = must_see(store, who, Kind::kCampaign, campaign);
        if (!row) return status_reply(row.status());
        const int field = core::kind_def(Kind::kCollaboration).field_index("campaign");
        auto ids = store.ids_where(Kind::kCollaboration, field, row->id.to_text());
        if (!ids) return status_reply(ids.status());
        struct Item {
            RowState row;
            core::Pipeline pipeline;
            std::size_t order = 0;  // the status's place in the pipeline
            Id128 person;
            std::string name;
        };
        std::vector<Item> items;
        std::map<std::string, std::map<std::string, std::int64_t>> totals;  // amount -> currency
        const auto& statuses = core::pipeline_statuses();
        for (const Id128& id : ids.value()) {
            auto c = visible_row(store, who, Kind::kCollaboration, id);
            if (!c) return status_reply(c.status());
            if (!c.value() || !c.value()->visible()) continue;
            if (items.size() == kMaxBoardItems) break;
            Item it{std::move(*c.value()), {}, 0, {}, ""};
            auto p = core::collaboration_pipeline(store, it.row.id);
            if (!p) return status_reply(p.status());
            it.pipeline = std::move(p).value();
            it.order = std::size_t(std::find(statuses.begin(), statuses.end(), it.pipeline.status) -
                                   statuses.begin());
            if (const std::string* person = it.row.text("influencer")) {
                if (auto pid = Id128::from_text(*person)) {
                    it.person = store.root_of(*pid);
                    auto pr = store.load_row(Kind::kInfluencer, it.person);
                    if (!pr) return status_reply(pr.status());
                    if (pr.value() && pr.value()->visible())
                        if (const std::string* n = pr.value()->text("name")) it.name = *n;
                }
            }
            const std::string* currency = it.row.text("currency");
            for (const char* amount : {"fee", "in_kind_value"})
                if (auto v = it.row.integer(amount))
                    totals[amount][currency ? *currency : std::string("")] += *v;
            items.push_back(std::move(it));
        }
        std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
            if (a.order != b.order) return a.order < b.order;
            if (a.name != b.name) return a.name < b.name;
            return a.row.id < b.row.id;
        });
        auto campaign_json = core::entity_json(store, Kind::kCampaign, row->id);
        if (!campaign_json) return status_reply(campaign_json.status());
        std::string list = "[";
        for (const auto& it : items) {
            auto json = core::entity_json(store, Kind::kCollaboration, it.row.id);
            if (!json) return status_reply(json.status());
            if (list.size() > 1) list += ',';
            list += "{\"collaboration\":" + json.value().value_or("null") +
                    ",\"person\":{\"id\":" + json_string(it.person.to_text()) +
                    ",\"name\":" + json_string(it.name) +
                    "},\"status\":" + json_string(it.pipeline.status) +
                    ",\"next\":" + names_json(core::next_statuses(it.pipeline.status)) +
                    ",\"flagged\":" + std::to_string(it.pipeline.flagged) +
                    ",\"out_of_step\":" + (it.pipeline.out_of_step ? "true" : "false") + "}";
        }
        std::string sums = "{";
        for (const char* amount : {"fee", "in_kind_value"}) {
            if (sums.size() > 1) sums += ',';
            sums += json_string(amount) + ":{";
            bool first = true;
            for (const auto& [currency, v] : totals[amount]) {
                if (!first) sums += ',';
                sums += json_string(currency) + ":" + std::to_string(v);
                first = false;
            }
            sums += "}";
        }
        HttpReply r;
        r.body = "{\"campaign\":" + campaign_json.value().value_or("null") +
                 ",\"statuses\":" + names_json(statuses) +
                 ",\"total\":" + std::to_string(items.size()) + ",\"items\":" + list +
                 "],\"totals\":" + sums + "}}";
        return r;
    });
}

}  // namespace liaison::server
