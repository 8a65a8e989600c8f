#include "web/facade/facade.hpp"

#include <emscripten/emscripten.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <unordered_set>

#include "core/query/directory.hpp"
#include "core/query/duplicates.hpp"
#include "core/query/events.hpp"
#include "core/query/queries.hpp"
#ifdef LIAISON_WEB_REPORTS
#include "core/query/reports.hpp"
#endif
#include "core/query/view.hpp"
#include "core/storage/sqlite.hpp"
#include "core/util/json.hpp"
#include "sync/codec.hpp"
#include "sync/contact_rules.hpp"
#include "sync/edit.hpp"
#include "sync/merge.hpp"
#include "web/facade/chunk_vfs.hpp"

namespace liaison::web {

using core::Id128;
using core::json_string;
using core::Kind;
using Json = rapidjson::Value;

namespace {
EM_JS(double, js_date_now, (), { return Date.now(); });
}  // namespace

std::uint64_t BrowserTimeSource::now_ms() { return std::uint64_t(js_date_now()); }

std::string ok_envelope(std::string_view value_json) {
    std::string out = "{\"ok\":true,\"value\":";
    out += value_json;
    out += '}';
    return out;
}

namespace {
// The field a validation refusal is about: the core's details name it first ("phone: \"call
// me maybe\" is not a phone number", core/model/validate.hpp); only a name the record model
// knows counts, so a detail that merely contains a colon names no field.
std::optional<std::string> refused_field(const Status& s) {
    switch (s.code()) {
        case Code::kInvalidArgument:
        case Code::kRequired:
        case Code::kTooLong:
        case Code::kBadFormat:
        case Code::kUnknownValue:
            break;
        default:
            return std::nullopt;
    }
    const std::string& d = s.detail();
    const std::size_t colon = d.find(": ");
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    const std::string_view name(d.data(), colon);
    for (const auto& k : core::all_kinds())
        if (k.field_index(name) >= 0 || k.set_index(name) >= 0) return std::string(name);
    return std::nullopt;
}
}  // namespace

std::string error_envelope(const Status& s) {
    const std::string& message =
        s.detail().empty() ? std::string(code_message(s.code())) : s.detail();
    std::string out = "{\"ok\":false,\"code\":" + json_string(code_name(s.code())) +
                      ",\"message\":" + json_string(message);
    if (auto field = refused_field(s)) out += ",\"field\":" + json_string(*field);
    return out + "}";
}

namespace {

// The default file of the worker's database (in MEMFS).
constexpr const char* kDefaultPath = "/liaison.db";
constexpr std::size_t kMaxSearchLimit = 200;
constexpr std::int64_t kDefaultContactCap = 4;

// Assigns the value of a Result expression to `lhs`, or returns its Status.
#define FACADE_ASSIGN(lhs, expr)           \
    auto lhs##_r = (expr);                 \
    if (!lhs##_r) return lhs##_r.status(); \
    auto lhs = std::move(lhs##_r).value()

std::string stringify(const Json& v) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
}

Result<std::optional<std::string>> opt_text(const Json& o, const char* key) {
    auto it = o.FindMember(key);
    if (it == o.MemberEnd() || it->value.IsNull()) return std::optional<std::string>{};
    if (!it->value.IsString()) return Status::invalid(std::string(key) + ": expected text");
    return std::optional<std::string>(
        std::string(it->value.GetString(), it->value.GetStringLength()));
}
Result<std::string> need_text(const Json& o, const char* key) {
    FACADE_ASSIGN(v, opt_text(o, key));
    if (!v) return Status(Code::kRequired, std::string(key) + ": required");
    return *v;
}
Result<Id128> need_id(const Json& o, const char* key) {
    FACADE_ASSIGN(text, need_text(o, key));
    auto id = Id128::from_text(text);
    if (!id)
        return Status(Code::kBadFormat,
                      std::string(key) + ": \"" + text.substr(0, 40) + "\" is not an id");
    return *id;
}
Result<std::optional<std::int64_t>> opt_int(const Json& o, const char* key) {
    auto it = o.FindMember(key);
    if (it == o.MemberEnd() || it->value.IsNull()) return std::optional<std::int64_t>{};
    if (it->value.IsInt64()) return std::optional<std::int64_t>(it->value.GetInt64());
    if (it->value.IsDouble() &&
        it->value.GetDouble() == double(std::int64_t(it->value.GetDouble())))
        return std::optional<std::int64_t>(std::int64_t(it->value.GetDouble()));
    return Status::invalid(std::string(key) + ": expected a whole number");
}
Result<Kind> need_kind(const Json& o) {
    FACADE_ASSIGN(name, need_text(o, "kind"));
    auto k = core::kind_from_name(name);
    if (!k)
        return Status(Code::kUnknownKind,
                      "kind: \"" + name.substr(0, 40) + "\" is not a kind of record");
    return *k;
}
// A list of strings, or nothing.
Result<std::vector<std::string>> opt_texts(const Json& o, const char* key) {
    std::vector<std::string> out;
    auto it = o.FindMember(key);
    if (it == o.MemberEnd() || it->value.IsNull()) return out;
    if (!it->value.IsArray())
        return Status::invalid(std::string(key) + ": expected a list of texts");
    for (const auto& e : it->value.GetArray()) {
        if (!e.IsString()) return Status::invalid(std::string(key) + ": expected a list of texts");
        out.emplace_back(e.GetString(), e.GetStringLength());
    }
    return out;
}

// Copies `args` without `drop`, adding each default whose key is absent.
std::string with_defaults(const Json& args, std::initializer_list<const char*> drop,
                          const std::vector<std::pair<std::string, std::string>>& defaults) {
    rapidjson::Document doc;
    doc.SetObject();
    auto& a = doc.GetAllocator();
    for (const auto& m : args.GetObject()) {
        std::string_view key(m.name.GetString(), m.name.GetStringLength());
        if (std::any_of(drop.begin(), drop.end(), [&](const char* d) { return key == d; }))
            continue;
        doc.AddMember(Json(m.name, a), Json(m.value, a), a);
    }
    for (const auto& [k, v] : defaults) {
        if (doc.HasMember(k.c_str())) continue;
        rapidjson::Document parsed(&a);
        parsed.Parse(v.c_str(), v.size());
        doc.AddMember(Json(k.c_str(), a), Json(parsed, a), a);
    }
    return stringify(doc);
}

}  // namespace

// The JSON methods. Each returns the value's JSON or a Status.
struct Methods {
    using Fn = Result<std::string> (*)(Facade&, const Json&);

    static sync::Replica& rep(Facade& f) { return *f.replica_; }
    static core::Store& store(Facade& f) { return f.replica_->store(); }

    // Validates every operation first, so that a bad field is refused before anything is
    // stamped, then submits them in order as one action (docs/SYNC.md G1): a person with her
    // handles and tags commits whole or not at all, and reaches the server as one group.
    static Status submit_all(Facade& f, std::vector<sync::Op> ops) {
        for (auto op : ops) {
            op.id = core::Stamp{1, rep(f).id()};  // a placeholder: submit() stamps for real
            LIAISON_TRY(sync::validate_op(op));
        }
        return rep(f).action([&]() -> Status {
            for (auto& op : ops) {
                auto r = rep(f).submit(std::move(op));
                if (!r) return r.status();
            }
            return Status::ok();
        });
    }

    // Context fields as JSON defaults ("store":"01J…").
    static std::vector<std::pair<std::string, std::string>> place_defaults(Facade& f, bool staff) {
        std::vector<std::pair<std::string, std::string>> d;
        auto add = [&](const char* key, const std::optional<std::string>& v) {
            if (v) d.emplace_back(key, json_string(*v));
        };
        if (staff) add("staff", f.context_.staff);
        add("store", f.context_.store);
        add("region", f.context_.region);
        add("brand", f.context_.brand);
        return d;
    }

    static Id128 root(Facade& f, Kind kind, const Id128& id) {
        return core::kind_def(kind).mergeable ? store(f).root_of(id) : id;
    }

    static Result<std::string> open(Facade& f, const Json& a) {
        FACADE_ASSIGN(path, opt_text(a, "path"));
        if (f.replica_) return Status(Code::kConflict, "the database is already open");
        LIAISON_TRY(install_chunk_vfs());
        f.path_ = path.value_or(kDefaultPath);
        FACADE_ASSIGN(r, sync::Replica::open(f.path_, f.time_, *f.ids_));
        f.replica_ = std::move(r);
        return "{\"replicaId\":" + json_string(f.replica_->id().to_text()) +
               ",\"sqlite\":" + json_string(core::Database::library_version()) + "}";
    }
    static Result<std::string> close(Facade& f, const Json&) {
        f.replica_.reset();
        return std::string("{}");
    }
    static Result<std::string> status(Facade& f, const Json&) {
        FACADE_ASSIGN(refused, rep(f).refusals());
        return "{\"replicaId\":" + json_string(rep(f).id().to_text()) +
               ",\"pending\":" + std::to_string(rep(f).pending()) +
               ",\"refused\":" + std::to_string(refused.size()) +
               ",\"cursor\":" + std::to_string(rep(f).cursor()) + "}";
    }
    // The changes of this device the server refused, oldest first (docs/SYNC.md invariant 9):
    // [{op, type, kind, id, fields, label, at, code, message}].
    static Result<std::string> refusals(Facade& f, const Json&) {
        FACADE_ASSIGN(list, rep(f).refusals());
        std::string out = "[";
        for (const auto& r : list) {
            std::string fields = "[";
            for (const auto& name : r.fields)
                fields += (fields.size() > 1 ? "," : "") + json_string(name);
            if (out.size() > 1) out += ',';
            out += "{\"op\":" + json_string(r.op.to_text()) +
                   ",\"type\":" + json_string(sync::op_type_name(r.type)) +
                   ",\"kind\":" + json_string(core::kind_name(r.kind)) +
                   ",\"id\":" + json_string(r.entity.to_text()) + ",\"fields\":" + fields +
                   "],\"label\":" + json_string(r.label) + ",\"at\":" + std::to_string(r.at_ms) +
                   ",\"code\":" + json_string(code_name(r.code)) +
                   ",\"message\":" + json_string(r.detail) + "}";
        }
        return out + "]";
    }
    static Result<std::string> dismiss_refusals(Facade& f, const Json&) {
        LIAISON_TRY(rep(f).dismiss_refusals());
        return std::string("{}");
    }
    static Result<std::string> context(Facade& f, const Json& a) {
        DeviceContext c;
        for (auto [key, field] : {std::pair{"staff", &c.staff},
                                  {"store", &c.store},
                                  {"region", &c.region},
                                  {"brand", &c.brand}}) {
            FACADE_ASSIGN(v, opt_text(a, key));
            if (v && !Id128::from_text(*v))
                return Status(Code::kBadFormat, std::string(key) + ": not an id");
            *field = v;
        }
        f.context_ = c;
        // A1 (docs/SYNC.md): the person in charge acts from now on; none clears the actor, so
        // a switch or a sign-out never leaves the previous person named on the next change.
        rep(f).set_actor(c.staff ? *Id128::from_text(*c.staff) : Id128{});
        return std::string("{}");
    }
    static Result<std::string> search(Facade& f, const Json& a) {
        FACADE_ASSIGN(text, opt_text(a, "text"));
        FACADE_ASSIGN(limit, opt_int(a, "limit"));
        std::size_t n =
            std::size_t(std::clamp<std::int64_t>(limit.value_or(20), 1, kMaxSearchLimit));
        FACADE_ASSIGN(hits, core::search_influencers(store(f), text.value_or(""), n));
        std::vector<Id128> ids;
        std::unordered_set<Id128, core::Id128Hash> seen;
        for (const auto& h : hits)
            if (seen.insert(store(f).root_of(h.id)).second) ids.push_back(store(f).root_of(h.id));
        return core::entities_json(store(f), Kind::kInfluencer, ids);
    }
    // D4 (docs/SYNC.md "Directory"): people held as directory records whose e-mail or phone
    // digest is the text's: possibly her, to confirm by name.
    // D3: the country a national number typed on this device is read in — its store's
    // (schema 3), else the one the app gives (the region of the browser's language).
    static Result<std::string> match_country(Facade& f, const Json& a) {
        FACADE_ASSIGN(given, opt_text(a, "country"));
        if (f.context_.store) {
            std::string c = core::store_country(store(f), *f.context_.store);
            if (!c.empty()) return c;
        }
        return given.value_or("");
    }
    static Result<std::string> possible_matches(Facade& f, const Json& a) {
        FACADE_ASSIGN(text, opt_text(a, "text"));
        FACADE_ASSIGN(country, match_country(f, a));
        FACADE_ASSIGN(ids,
                      core::possible_matches(store(f), text.value_or("").substr(0, 320), country));
        return core::entities_json(store(f), Kind::kInfluencer, ids);
    }
    static Result<std::string> card(Facade& f, const Json& a) {
        FACADE_ASSIGN(id, need_id(a, "id"));
        FACADE_ASSIGN(now, opt_int(a, "now"));
        FACADE_ASSIGN(cap, opt_int(a, "cap"));
        core::CardOptions o;
        o.now_ms = now.value_or(std::int64_t(rep(f).clock().physical_ms()));
        o.contact_cap = cap.value_or(kDefaultContactCap);
        FACADE_ASSIGN(json, core::card_json(store(f), id, o));
        if (!json)
            return Status::not_found("influencer " + id.to_text() +
                                     " is not in this device's record");
        return with_names(f, *json);
    }
    // The name of the `kind` record `id` names, when this device holds it (else nothing).
    static Result<std::optional<std::string>> held_name(Facade& f, Kind kind, std::string_view id) {
        auto parsed = Id128::from_text(std::string(id));
        if (!parsed) return std::optional<std::string>{};
        FACADE_ASSIGN(row, core::get_entity(store(f), kind, *parsed));
        const int name = core::kind_def(kind).field_index("name");
        if (!row || name < 0) return std::optional<std::string>{};
        if (const auto* text = std::get_if<std::string>(&row->values[std::size_t(name)]))
            return std::optional<std::string>(*text);
        return std::optional<std::string>{};
    }
    // Who, where and for which campaign (docs/SYNC.md A1): each timeline entry gains
    // `names: {staff, store, event, campaign}`, the names of the records it refers to that this
    // device holds. Staff are directory records on every device; another store or a campaign
    // the device does not hold is simply not named.
    static Result<std::string> with_names(Facade& f, const std::string& json) {
        rapidjson::Document doc;
        doc.Parse(json.data(), json.size());
        if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("timeline") ||
            !doc["timeline"].IsArray())
            return json;
        auto& al = doc.GetAllocator();
        std::map<std::string, std::optional<std::string>> seen;  // "kind:id" -> name
        for (auto& item : doc["timeline"].GetArray()) {
            if (!item.IsObject() || !item.HasMember("entry") || !item["entry"].IsObject()) continue;
            Json& entry = item["entry"];
            Json names(rapidjson::kObjectType);
            for (auto [key, kind] : {std::pair{"staff", Kind::kStaff},
                                     {"store", Kind::kStore},
                                     {"event", Kind::kEvent},
                                     {"campaign", Kind::kCampaign}}) {
                FACADE_ASSIGN(id, opt_text(entry, key));
                if (!id) continue;
                auto [it, fresh] = seen.try_emplace(std::string(key) + ":" + *id);
                if (fresh) {
                    FACADE_ASSIGN(name, held_name(f, kind, *id));
                    it->second = std::move(name);
                }
                if (it->second) names.AddMember(Json(key, al), Json(it->second->c_str(), al), al);
            }
            if (names.MemberCount() > 0) entry.AddMember("names", names, al);
        }
        return stringify(doc);
    }
    // The campaigns this device holds, newest first, for a contact's campaign picker:
    // [{id, name, starts?, ends?}].
    static Result<std::string> campaigns(Facade& f, const Json&) {
        core::EntityIdQuery q;
        q.newest_first = true;
        q.limit = 500;
        FACADE_ASSIGN(ids, core::entity_ids(store(f), Kind::kCampaign, q));
        return core::entities_json(store(f), Kind::kCampaign, ids);
    }
    static Result<std::string> log_contact(Facade& f, const Json& a) {
        FACADE_ASSIGN(who, need_id(a, "influencer"));
        auto defaults = place_defaults(f, true);
        defaults.emplace_back("at", std::to_string(rep(f).clock().physical_ms()));
        defaults.emplace_back("influencer", json_string(root(f, Kind::kInfluencer, who).to_text()));
        std::string doc = with_defaults(a, {"influencer"}, defaults);
        Id128 id = f.ids_->next_entity_id(rep(f).clock().physical_ms());
        FACADE_ASSIGN(ops,
                      sync::ops_from_json(Kind::kInteraction, id, sync::EditMode::kCreate, doc));
        // A marketing contact with a restricted person, or one who objected, is refused here
        // as the server refuses it (docs/COMPLIANCE.md, "gdpr").
        if (!ops.empty()) LIAISON_TRY(sync::check_new_contact(store(f), ops.front()));
        LIAISON_TRY(submit_all(f, std::move(ops)));
        return "{\"id\":" + json_string(id.to_text()) + "}";
    }
    // With `check_in_event`, a walk-in: registered and checked in at that event as one action
    // (docs/SYNC.md G1), so that no walk-in is left registered but not checked in.
    static Result<std::string> create_influencer(Facade& f, const Json& a) {
        FACADE_ASSIGN(event, opt_text(a, "check_in_event"));
        std::string doc = with_defaults(a, {"check_in_event"}, place_defaults(f, false));
        Id128 id = f.ids_->next_entity_id(rep(f).clock().physical_ms());
        FACADE_ASSIGN(ops,
                      sync::ops_from_json(Kind::kInfluencer, id, sync::EditMode::kCreate, doc));
        std::string checkin;
        LIAISON_TRY(rep(f).action([&]() -> Status {
            LIAISON_TRY(submit_all(f, std::move(ops)));
            if (!event) return Status::ok();
            rapidjson::Document args;
            args.SetObject();
            auto& al = args.GetAllocator();
            args.AddMember("event", Json(event->c_str(), al), al);
            args.AddMember("influencer", Json(id.to_text().c_str(), al), al);
            args.AddMember("walk_in", true, al);
            auto r = check_in(f, args);
            if (!r) return r.status();
            checkin = ",\"checkin\":" + r.value();
            return Status::ok();
        }));
        return "{\"id\":" + json_string(id.to_text()) + checkin + "}";
    }
    // Any kind of record (events, campaigns …): the server decides who may.
    static Result<std::string> create(Facade& f, const Json& a) {
        FACADE_ASSIGN(kind, need_kind(a));
        auto it = a.FindMember("fields");
        if (it == a.MemberEnd() || !it->value.IsObject())
            return Status(Code::kRequired, "fields: required (an object)");
        Id128 id = f.ids_->next_entity_id(rep(f).clock().physical_ms());
        FACADE_ASSIGN(ops,
                      sync::ops_from_json(kind, id, sync::EditMode::kCreate, stringify(it->value)));
        LIAISON_TRY(submit_all(f, std::move(ops)));
        return "{\"id\":" + json_string(id.to_text()) + "}";
    }
    static Result<std::string> update_influencer(Facade& f, const Json& a) {
        FACADE_ASSIGN(id, need_id(a, "id"));
        auto it = a.FindMember("fields");
        if (it == a.MemberEnd() || !it->value.IsObject())
            return Status(Code::kRequired, "fields: required (an object)");
        Id128 target = root(f, Kind::kInfluencer, id);
        FACADE_ASSIGN(row, core::get_entity(store(f), Kind::kInfluencer, target));
        if (!row)
            return Status::not_found("influencer " + id.to_text() +
                                     " is not in this device's record");
        FACADE_ASSIGN(ops, sync::ops_from_json(Kind::kInfluencer, target, sync::EditMode::kUpdate,
                                               stringify(it->value)));
        LIAISON_TRY(submit_all(f, std::move(ops)));
        return std::string("{}");
    }
    static Result<std::string> add_to_set(Facade& f, const Json& a) { return set_edit(f, a, true); }
    static Result<std::string> remove_from_set(Facade& f, const Json& a) {
        return set_edit(f, a, false);
    }
    static Result<std::string> set_edit(Facade& f, const Json& a, bool add) {
        FACADE_ASSIGN(kind, need_kind(a));
        FACADE_ASSIGN(id, need_id(a, "id"));
        FACADE_ASSIGN(set, need_text(a, "set"));
        FACADE_ASSIGN(elem, need_text(a, "elem"));
        Id128 target = root(f, kind, id);
        LIAISON_TRY(add ? rep(f).add(kind, target, set, elem)
                        : rep(f).remove(kind, target, set, elem));
        return std::string("{}");
    }
    static Result<std::string> duplicates(Facade& f, const Json& a) {
        core::DuplicateQuery q;
        FACADE_ASSIGN(name, opt_text(a, "name"));
        FACADE_ASSIGN(email, opt_text(a, "email"));
        FACADE_ASSIGN(phone, opt_text(a, "phone"));
        FACADE_ASSIGN(handles, opt_texts(a, "handles"));
        FACADE_ASSIGN(country, match_country(f, a));
        q.name = name;
        q.email = email;
        q.phone = phone;
        q.handles = handles;
        q.country = country;
        FACADE_ASSIGN(hits, core::find_duplicates(store(f), q));
        std::string out = "[";
        for (const auto& h : hits) {
            if (out.size() > 1) out += ',';
            out += "{\"id\":" + json_string(h.id.to_text()) + ",\"name\":" + json_string(h.name) +
                   ",\"reasons\":" + core::json_string_array(h.reasons) + "}";
        }
        return out + "]";
    }
    static Result<std::string> events(Facade& f, const Json&) {
        FACADE_ASSIGN(list, core::list_events(store(f)));
        std::string out = "[";
        for (const auto& e : list) {
            FACADE_ASSIGN(dots, store(f).load_dots(e.row.id));
            std::string obj = core::row_json(e.row, dots);
            obj.pop_back();  // the closing brace
            if (out.size() > 1) out += ',';
            out += obj + ",\"checked_in\":" + std::to_string(e.checked_in) + "}";
        }
        return out + "]";
    }
    static Result<std::string> checkins(Facade& f, const Json& a) {
        FACADE_ASSIGN(event, need_id(a, "event"));
        FACADE_ASSIGN(limit, opt_int(a, "limit"));
        FACADE_ASSIGN(count, core::checkin_count(store(f), event));
        FACADE_ASSIGN(list, core::event_checkins(store(f), event,
                                                 std::size_t(std::clamp<std::int64_t>(
                                                     limit.value_or(1000), 1, 100000))));
        std::string out = "{\"count\":" + std::to_string(count) + ",\"entries\":[";
        bool first = true;
        for (const auto& e : list) {
            if (!first) out += ',';
            first = false;
            out += "{\"id\":" + json_string(e.id.to_text()) + ",\"at\":" + std::to_string(e.at) +
                   ",\"walk_in\":" + (e.walk_in ? "true" : "false") +
                   ",\"influencer\":{\"id\":" + json_string(e.influencer.to_text());
            // No name for a guest this device does not see (another store's influencer).
            if (!e.influencer_name.empty()) out += ",\"name\":" + json_string(e.influencer_name);
            out += "}}";
        }
        return out + "]}";
    }
    static Result<std::string> check_in(Facade& f, const Json& a) {
        FACADE_ASSIGN(event, need_id(a, "event"));
        FACADE_ASSIGN(who, need_id(a, "influencer"));
        FACADE_ASSIGN(ev, core::get_entity(store(f), Kind::kEvent, event));
        if (!ev)
            return Status::not_found("event " + event.to_text() +
                                     " is not in this device's record");
        FACADE_ASSIGN(person, core::get_entity(store(f), Kind::kInfluencer, who));
        if (!person)
            return Status::not_found("influencer " + who.to_text() +
                                     " is not in this device's record");
        FACADE_ASSIGN(existing, core::find_checkin(store(f), event, person->id));
        if (existing) return "{\"id\":" + json_string(existing->to_text()) + ",\"already\":true}";
        // The same known guest checked in on two devices gets one id (they merge); after an
        // undo the old id is a tombstone, which wins, so a new check-in takes a fresh id.
        Id128 id = Id128::derive("checkin", event, person->id);
        FACADE_ASSIGN(old, store(f).load_row(Kind::kCheckin, id));
        if (old) id = f.ids_->next_entity_id(rep(f).clock().physical_ms());
        // The check-in belongs to the event's place; the device's place fills what the event lacks.
        std::vector<std::pair<std::string, std::string>> defaults;
        const auto& ek = core::kind_def(Kind::kEvent);
        for (const char* key : {"store", "region", "brand"}) {
            int i = ek.field_index(key);
            if (const auto* v = std::get_if<std::string>(&ev->values[std::size_t(i)]))
                defaults.emplace_back(key, json_string(*v));
        }
        for (auto& d : place_defaults(f, true)) defaults.push_back(d);
        defaults.emplace_back("event", json_string(event.to_text()));
        defaults.emplace_back("influencer", json_string(person->id.to_text()));
        defaults.emplace_back("at", std::to_string(rep(f).clock().physical_ms()));
        std::string doc = with_defaults(a, {"event", "influencer"}, defaults);
        FACADE_ASSIGN(ops, sync::ops_from_json(Kind::kCheckin, id, sync::EditMode::kCreate, doc));
        LIAISON_TRY(submit_all(f, std::move(ops)));
        return "{\"id\":" + json_string(id.to_text()) + ",\"already\":false}";
    }
    static Result<std::string> undo_check_in(Facade& f, const Json& a) {
        FACADE_ASSIGN(id, need_id(a, "id"));
        FACADE_ASSIGN(row, core::get_entity(store(f), Kind::kCheckin, id));
        if (!row)
            return Status::not_found("check-in " + id.to_text() +
                                     " is not in this device's record");
        LIAISON_TRY(rep(f).remove_entry(Kind::kCheckin, id));
        return std::string("{}");
    }
    static Result<std::string> erase(Facade& f, const Json& a) {
        FACADE_ASSIGN(id, need_id(a, "id"));
        LIAISON_TRY(rep(f).erase(Kind::kInfluencer, root(f, Kind::kInfluencer, id)));
        return std::string("{}");
    }
    static Result<std::string> state_hash(Facade& f, const Json&) {
        FACADE_ASSIGN(h, rep(f).state_hash());
        return json_string(h);
    }
    // The record model's allowed values, {"kind.field": [values]} for every enum field and
    // set, so the front end's pickers can be checked against the core (web/app/common/choices.js).
    static Result<std::string> choices(Facade&, const Json&) {
        std::string out = "{";
        auto add = [&](const std::string& kind, const std::string& name,
                       const std::vector<std::string>& values) {
            if (values.empty()) return;
            if (out.size() > 1) out += ',';
            out += json_string(kind + "." + name) + ":[";
            for (std::size_t i = 0; i < values.size(); ++i)
                out += (i ? "," : "") + json_string(values[i]);
            out += ']';
        };
        for (const auto& k : core::all_kinds()) {
            for (const auto& fd : k.fields)
                if (fd.type == core::FieldType::kEnum) add(k.name, fd.name, fd.choices);
            for (const auto& sd : k.sets)
                if (sd.elem == core::ElemType::kEnum) add(k.name, sd.name, sd.choices);
        }
        return out + "}";
    }
    // The longest text each text field and set element may hold, in characters (code points),
    // {"kind.field": max}: the app's forms count against these (web/app/common/choices.js LIMITS).
    static Result<std::string> limits(Facade&, const Json&) {
        std::string out = "{";
        auto add = [&](const std::string& key, std::size_t max) {
            if (out.size() > 1) out += ',';
            out += json_string(key) + ":" + std::to_string(max);
        };
        for (const auto& k : core::all_kinds()) {
            for (const auto& fd : k.fields)
                if (fd.type == core::FieldType::kText || fd.type == core::FieldType::kLongText ||
                    fd.type == core::FieldType::kEmail || fd.type == core::FieldType::kPhone ||
                    fd.type == core::FieldType::kUrl)
                    add(k.name + "." + fd.name, fd.max_len);
            for (const auto& sd : k.sets)
                if (sd.elem == core::ElemType::kTag || sd.elem == core::ElemType::kHandle)
                    add(k.name + "." + sd.name, sd.max_len);
        }
        return out + "}";
    }

    // ---- Reports (core/query/reports.hpp, docs/METRICS.md) ----------------------------------
    // Only in the second build of the core, core-full.wasm (LIAISON_WEB_REPORTS): the worker
    // loads it when a device first asks for a report (web/README.md, "The reports' core").
#ifdef LIAISON_WEB_REPORTS

    // A report over this device's replica, for the scope the worker passes: the signed-in
    // user's, as GET /api/v1/me gave it (the worker sets `scope` and `now_ms` itself and never
    // takes them from a tab). Args: {report, programme?, campaign?, brand?, region?, store?,
    // from?, to?, group_by?, currency?, model?, metric?, market?, format?: "json"|"csv", table?,
    // scope: {global, regions, stores, brands}, now_ms}. Value: the report as report_json writes
    // it (only `table` when given), or, for "csv", the CSV text as a JSON string. The same
    // figures as GET /api/v1/reports/<name> gives the same user over the same data, and the
    // same refusals: the parameters are checked as its query is (core::parse_report_query), so
    // a member the list above does not name is refused.
    static Result<std::string> report(Facade& f, const Json& a) {
        FACADE_ASSIGN(name, need_text(a, "report"));
        // Every member but report, scope and now_ms is a parameter, as text; null is absent.
        core::ReportParams params;
        for (auto it = a.MemberBegin(); it != a.MemberEnd(); ++it) {
            const std::string key(it->name.GetString(), it->name.GetStringLength());
            if (key == "report" || key == "scope" || key == "now_ms" || it->value.IsNull())
                continue;
            if (!it->value.IsString())
                return Status::invalid(key.substr(0, 40) + ": expected text");
            params.emplace_back(key,
                                std::string(it->value.GetString(), it->value.GetStringLength()));
        }
        FACADE_ASSIGN(q, core::parse_report_query(name, params));
        FACADE_ASSIGN(now, opt_int(a, "now_ms"));
        if (!now) return Status(Code::kRequired, "now_ms: required");
        q.now_ms = *now;
        FACADE_ASSIGN(scope, report_scope(a));
        q.scope = std::move(scope);

        // The device's index of the contacts its scope places, made at its first report and
        // again when the scope's stores change (core::index_report_place). Only a speed-up:
        // when it cannot be made (the browser's storage quota reached), the report reads the
        // contacts without it and its figures are the same.
        (void)core::index_report_place(store(f), q.scope);
        FACADE_ASSIGN(r, core::run_report(store(f), q));
        FACADE_ASSIGN(answer, core::report_answer(std::move(r), q));
        return q.format == "csv" ? json_string(answer) : answer;
    }
    // {"global": bool, "regions": [ids], "stores": [ids], "brands": [ids]}; required: a report
    // without a scope would be the whole replica, which is the scope only when it says so.
    static Result<core::ReportScope> report_scope(const Json& a) {
        auto it = a.FindMember("scope");
        if (it == a.MemberEnd() || !it->value.IsObject())
            return Status(Code::kRequired, "scope: required (an object)");
        const Json& s = it->value;
        core::ReportScope out;
        auto g = s.FindMember("global");
        out.global = g != s.MemberEnd() && g->value.IsBool() && g->value.GetBool();
        for (auto [key, list] : {std::pair{"regions", &out.regions},
                                 {"stores", &out.stores},
                                 {"brands", &out.brands}}) {
            FACADE_ASSIGN(ids, opt_texts(s, key));
            for (const auto& id : ids)
                if (!Id128::from_text(id))
                    return Status(Code::kBadFormat, std::string("scope.") + key + ": \"" +
                                                        id.substr(0, 40) + "\" is not an id");
            *list = std::move(ids);
        }
        return out;
    }
#endif
};

namespace {

struct MethodDef {
    const char* name;
    Methods::Fn fn;
    bool needs_open;
};

const MethodDef kMethods[] = {
    {"open", Methods::open, false},
    {"close", Methods::close, false},
    {"status", Methods::status, true},
    {"context", Methods::context, true},
    {"search", Methods::search, true},
    {"card", Methods::card, true},
    {"logContact", Methods::log_contact, true},
    {"createInfluencer", Methods::create_influencer, true},
    {"updateInfluencer", Methods::update_influencer, true},
    {"create", Methods::create, true},
    {"addToSet", Methods::add_to_set, true},
    {"removeFromSet", Methods::remove_from_set, true},
    {"duplicates", Methods::duplicates, true},
    {"possibleMatches", Methods::possible_matches, true},
    {"events", Methods::events, true},
    {"campaigns", Methods::campaigns, true},
    {"checkins", Methods::checkins, true},
    {"checkIn", Methods::check_in, true},
    {"undoCheckIn", Methods::undo_check_in, true},
    {"erase", Methods::erase, true},
    {"stateHash", Methods::state_hash, true},
    {"refusals", Methods::refusals, true},
    {"dismissRefusals", Methods::dismiss_refusals, true},
    {"choices", Methods::choices, false},
    {"limits", Methods::limits, false},
#ifdef LIAISON_WEB_REPORTS
    {"report", Methods::report, true},
#endif
};

Status not_open() { return Status::storage("the local database is not open yet"); }

// Runs `body`, turning anything thrown into an internal error envelope.
template <typename F>
auto guarded(F&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return error_envelope(
            Status(Code::kStorage, "the browser ran out of memory for the database"));
    } catch (const std::exception& e) {
        // The exception's text is for developers (the console), never part of the answer: the
        // façade speaks only its own codes and messages (docs/ARCHITECTURE.md, web/README.md).
        std::fprintf(stderr, "liaison core: unexpected failure: %s\n", e.what());
        return error_envelope(Status(Code::kInternal, "unexpected failure"));
    } catch (...) {
        return error_envelope(Status(Code::kInternal, "unexpected failure"));
    }
}

}  // namespace

Facade::Facade() : ids_(core::make_random_id_source()) {}
Facade::~Facade() = default;

std::string Facade::call(std::string_view method, std::string_view args) {
    return guarded([&] { return dispatch(method, args); });
}

std::string Facade::dispatch(std::string_view method, std::string_view args_json) {
    const MethodDef* def = nullptr;
    for (const auto& m : kMethods)
        if (method == m.name) def = &m;
    if (!def)
        return error_envelope(
            Status::invalid("no such method: " + std::string(method.substr(0, 40))));
    if (def->needs_open && !replica_) return error_envelope(not_open());
    rapidjson::Document args;
    if (args_json.empty()) args_json = "{}";
    // Before parsing: the parser recurses once per level, and a browser's stack is small.
    if (Status depth = core::check_json_depth(args_json); !depth) return error_envelope(depth);
    args.Parse(args_json.data(), args_json.size());
    if (args.HasParseError() || !args.IsObject())
        return error_envelope(Status::malformed("the arguments are not a JSON object"));
    auto r = def->fn(*this, args);
    return r ? ok_envelope(r.value()) : error_envelope(r.status());
}

Facade::Push Facade::guarded_push(const std::function<Result<sync::PushRequest>()>& make) {
    Push p;
    p.envelope = guarded([&]() -> std::string {
        if (!replica_) return error_envelope(not_open());
        auto req = make();
        if (!req) return error_envelope(req.status());
        p.ops = req->ops.size();
        p.bytes = sync::encode_request(req.value());
        return {};
    });
    return p;
}

Facade::Push Facade::make_push(std::size_t max_ops, std::uint32_t page_limit) {
    return guarded_push([&] { return replica_->make_push(max_ops, page_limit); });
}

Facade::Push Facade::make_pull(std::int64_t cursor, std::uint32_t page_limit) {
    return guarded_push([&]() -> Result<sync::PushRequest> {
        if (cursor < 0) return Status::invalid("makePull: the cursor cannot be negative");
        auto req = replica_->make_push(0, page_limit);
        if (req) req->cursor = cursor;
        return req;
    });
}

std::string Facade::read_reply(std::string_view bytes) {
    return guarded([&] {
        read_.reset();
        auto reply = sync::decode_reply(bytes);
        if (!reply) return error_envelope(reply.status());
        read_ = std::move(reply).value();
        return ok_envelope("{\"results\":" + std::to_string(read_->results.size()) +
                           ",\"hasMore\":" + (read_->has_more ? "true" : "false") +
                           ",\"cursor\":" + std::to_string(read_->next_cursor) + "}");
    });
}

std::string Facade::apply_read() {
    return guarded([&] {
        if (!read_)
            return error_envelope(
                Status::invalid("applyRead: no reply was read (readReply first)"));
        sync::PushReply reply = std::move(*read_);
        read_.reset();
        return apply_decoded(std::move(reply));
    });
}

std::string Facade::apply_reply(std::string_view bytes) {
    return guarded([&] { return apply_decoded(sync::decode_reply(bytes)); });
}

std::string Facade::apply_reply_json(std::string_view json) {
    return guarded([&] { return apply_decoded(sync::reply_from_json(json)); });
}

std::string Facade::apply_decoded(Result<sync::PushReply> reply) {
    if (!replica_) return error_envelope(not_open());
    if (!reply) return error_envelope(reply.status());
    auto stats = replica_->apply_reply(reply.value());
    if (!stats) return error_envelope(stats.status());
    std::string rejections = "[";
    for (const auto& r : reply->results) {
        if (r.outcome != sync::Outcome::kRejected || r.code == Code::kClockAhead) continue;
        if (rejections.size() > 1) rejections += ',';
        rejections += "{\"op\":" + json_string(r.op.to_text()) +
                      ",\"code\":" + json_string(code_name(r.code)) + ",\"message\":" +
                      json_string(r.detail.empty() ? code_message(r.code) : r.detail) + "}";
    }
    rejections += "]";
    const auto& s = stats.value();
    return ok_envelope("{\"acknowledged\":" + std::to_string(s.acknowledged) + ",\"rejected\":" +
                       std::to_string(s.rejected) + ",\"retry\":" + std::to_string(s.retry) +
                       ",\"changes\":" + std::to_string(s.changes) +
                       ",\"erased\":" + std::to_string(reply->erased.size()) +
                       ",\"hasMore\":" + (s.has_more ? "true" : "false") +
                       ",\"cursor\":" + std::to_string(replica_->cursor()) + ",\"pending\":" +
                       std::to_string(replica_->pending()) + ",\"rejections\":" + rejections + "}");
}

std::string Facade::request_json(std::string_view bytes) {
    return guarded([&]() -> std::string {
        auto req = sync::decode_request(bytes);
        if (!req) return error_envelope(req.status());
        return ok_envelope(sync::request_to_json(req.value()));
    });
}

}  // namespace liaison::web
