#include "server/api/audit.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "core/storage/accounts.hpp"
#include "core/util/json.hpp"
#include "server/admin/accounts.hpp"
#include "server/api/admin.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"
#include "sync/hlc.hpp"

namespace liaison::server {
namespace {

constexpr std::string_view kViewsPath = "/api/v1/audit/views";
constexpr std::string_view kListPath = "/api/v1/audit";
// A filter of GET /api/v1/audit is an id, an actor or an action prefix: short.
constexpr std::size_t kMaxFilterChars = 64;
constexpr std::size_t kMaxScopeValueChars = 64;
constexpr std::size_t kMaxScopeChars = 1'000;

struct View {
    core::Id128 person;
    std::int64_t at = 0;
};

// {"views":[{"person":"<id>","viewed_at":<ms>},…]}, every view dated within the bounds at
// `now_ms`; any mistake refuses the whole batch, naming the view by its index.
Result<std::vector<View>> parse_views(std::string_view body, std::int64_t now_ms) {
    auto doc = parse_admin_body(body, {"views"});
    if (!doc) return doc.status();
    auto m = doc->FindMember("views");
    if (m == doc->MemberEnd() || !m->value.IsArray())
        return Status(Code::kRequired, R"(views: send {"views":[{"person","viewed_at"},…]})");
    const auto& list = m->value;
    if (list.Size() > kMaxViewBatch)
        return Status(Code::kTooLarge,
                      "views: at most " + std::to_string(kMaxViewBatch) + " in one request");
    std::vector<View> out;
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
        const std::string at = "views[" + std::to_string(i) + "]";
        const auto& v = list[i];
        if (!v.IsObject() || v.MemberCount() != 2 || !v.HasMember("person") ||
            !v.HasMember("viewed_at"))
            return Status(Code::kBadFormat, at + ": send {\"person\",\"viewed_at\"}");
        const auto& person = v["person"];
        auto id = person.IsString() ? core::Id128::from_text(std::string_view(
                                          person.GetString(), person.GetStringLength()))
                                    : std::nullopt;
        if (!id) return Status(Code::kBadFormat, at + ".person: not an id");
        if (!v["viewed_at"].IsInt64())
            return Status(Code::kBadFormat, at + ".viewed_at: milliseconds since the epoch");
        const std::int64_t when = v["viewed_at"].GetInt64();
        if (when > now_ms + std::int64_t(sync::kMaxFutureMs))
            return Status(Code::kClockAhead,
                          at + ".viewed_at: in the future (is the device's clock right?)");
        if (when < now_ms - kMaxViewAgeMs)
            return Status::invalid(at + ".viewed_at: older than " +
                                   std::to_string(kMaxViewAgeMs / 86'400'000) + " days");
        out.push_back(View{*id, when});
    }
    return out;
}

HttpReply post_views(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (!audits_reads_of(who))
        return error_reply(403, code_name(Code::kForbidden),
                           "only the central team and regional managers report their views");
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    if (auto bad = check_json_type(req.content_type)) return *bad;
    if (req.body.size() > kMaxViewBodyBytes)
        return error_reply(413, code_name(Code::kTooLarge),
                           "at most " + std::to_string(kMaxViewBodyBytes / 1024) + " KiB");
    auto views = parse_views(req.body, wall_ms());
    if (!views) return status_reply(views.status());
    return backend.read([&](core::Store& store) -> HttpReply {
        std::size_t recorded = 0, repeated = 0, skipped = 0;
        core::AccountsTxn txn(store);
        if (!txn.begun()) return status_reply(txn.begun());
        for (const auto& v : views.value()) {
            // The survivor of a merge, as the REST read records it; not seen: not hers to report.
            auto row = visible_row(store, who, core::Kind::kInfluencer, v.person);
            if (!row) return status_reply(row.status());
            if (!row.value() || !row.value()->visible()) {
                ++skipped;
                continue;
            }
            const std::string subject = row.value()->id.to_text();
            auto again = core::audit_repeats(store, user_actor(who), "person.view", subject,
                                             v.at - kViewRepeatMs, kViewRepeatScanRows);
            if (!again) return status_reply(again.status());
            if (again.value()) {
                ++repeated;
                continue;
            }
            if (Status s = core::insert_audit(store, v.at, user_actor(who), "person.view", subject);
                !s)
                return status_reply(s);
            ++recorded;
        }
        if (Status s = txn.commit(); !s) return status_reply(s);
        HttpReply r;
        r.body = "{\"recorded\":" + std::to_string(recorded) +
                 ",\"repeated\":" + std::to_string(repeated) +
                 ",\"skipped\":" + std::to_string(skipped) + "}";
        r.log_note = ",\"views\":" + std::to_string(recorded);
        return r;
    });
}

// A whole number of a filter (ms, a row number): 0 when absent.
Result<std::int64_t> int_param(const RestRequest& req, const std::string& name) {
    auto v = param(req, name);
    if (!v) return std::int64_t{0};
    if (v->empty() || v->size() > 18 ||
        !std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; }))
        return Status::invalid(name + ": a whole number");
    return std::int64_t(std::stoll(*v));
}

// A text filter: at most kMaxFilterChars of letters, digits and ":._-".
Result<std::string> word_param(const RestRequest& req, const std::string& name) {
    auto v = param(req, name).value_or("");
    if (v.size() > kMaxFilterChars || !std::all_of(v.begin(), v.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   c == ':' || c == '.' || c == '_' || c == '-';
        }))
        return Status::invalid(name + ": at most " + std::to_string(kMaxFilterChars) +
                               " letters, digits and : . _ -");
    return v;
}

HttpReply list_audit_rows(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (who.role != sync::Role::kAdmin && who.role != sync::Role::kCentral)
        return error_reply(403, code_name(Code::kForbidden),
                           "only the central team and administrators read the audit");
    if (Status s = check_params(req, {"action", "actor", "subject", "since", "before", "limit"});
        !s)
        return status_reply(s);
    core::AuditFilter f;
    auto limit = size_param(req, "limit", kDefaultAuditPage, 1, kMaxAuditPage);
    auto since = int_param(req, "since");
    auto before = int_param(req, "before");
    auto action = word_param(req, "action");
    auto actor = word_param(req, "actor");
    auto subject = word_param(req, "subject");
    for (const Status* s : {&limit.status(), &since.status(), &before.status(), &action.status(),
                            &actor.status(), &subject.status()})
        if (!*s) return status_reply(*s);
    f.limit = std::int64_t(limit.value());
    f.since = since.value();
    f.before = before.value();
    f.action_prefix = action.value();
    f.actor = actor.value();
    f.subject = subject.value();
    // One more than asked says whether an older page exists.
    ++f.limit;
    auto rows = backend.read([&](core::Store& store) { return core::find_audit(store, f); });
    if (!rows) return status_reply(rows.status());
    const bool more = rows->size() > limit.value();
    if (more) rows->pop_back();
    std::string items = "[";
    for (const auto& r : rows.value()) {
        if (items.size() > 1) items += ',';
        items += "{\"n\":" + std::to_string(r.n) + ",\"at\":" + std::to_string(r.at) +
                 ",\"actor\":" + json_string(r.actor) + ",\"action\":" + json_string(r.action) +
                 ",\"subject\":" + json_string(r.subject) + "}";
    }
    HttpReply r;
    r.body = "{\"items\":" + items +
             "],\"next_before\":" + (more ? std::to_string(rows->back().n) : std::string("null")) +
             "}";
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace

bool audits_reads_of(const Principal& who) {
    return who.role == sync::Role::kAdmin || who.role == sync::Role::kCentral ||
           who.role == sync::Role::kRegional;
}

Status audit_read(core::Store& store, const Principal& who, std::string_view action,
                  std::string_view subject, std::int64_t at_ms) {
    if (!audits_reads_of(who)) return Status::ok();
    const std::string actor = user_actor(who);
    auto again = core::audit_repeats(store, actor, action, subject, at_ms - kViewRepeatMs,
                                     kViewRepeatScanRows);
    if (!again) return again.status();
    if (again.value()) return Status::ok();
    return core::insert_audit(store, at_ms, actor, action, subject);
}

Status audit_list(core::Store& store, const Principal& who, const std::vector<core::Id128>& ids) {
    if (!audits_reads_of(who) || ids.empty()) return Status::ok();
    std::string subject;
    for (const auto& id : ids) {
        if (!subject.empty()) subject += ' ';
        subject += id.to_text();
    }
    return audit(store, user_actor(who), "person.list", subject);
}

Status audit_export(core::Store& store, const Principal& who, std::string_view what,
                    std::string_view scope) {
    return audit(store, user_actor(who), "export." + std::string(what), scope);
}

std::string export_scope(const RestRequest& req) {
    std::string out;
    for (const auto& [name, value] : req.params) {  // a multimap: sorted by name
        std::string part = name.substr(0, kMaxScopeValueChars) + "=";
        std::string shown = name == "q" ? std::string("…") : value.substr(0, kMaxScopeValueChars);
        std::replace(shown.begin(), shown.end(), ' ',
                     '+');  // the subject's words are split by spaces
        part += shown;
        if (out.size() + part.size() + 1 > kMaxScopeChars) break;
        if (!out.empty()) out += ' ';
        out += part;
    }
    return out;
}

HttpReply audit_routes(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (req.path == kViewsPath)
        return req.method == "POST" ? post_views(backend, who, req) : method_not_allowed("POST");
    if (req.path == kListPath)
        return req.method == "GET" ? list_audit_rows(backend, who, req) : method_not_allowed("GET");
    return error_reply(404, "not_found", "there is nothing at this address");
}

}  // namespace liaison::server
