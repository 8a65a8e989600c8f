#include "server/api/rest.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

#include "core/model/validate.hpp"
#include "core/query/queries.hpp"
#include "core/query/view.hpp"
#include "core/storage/history.hpp"
#include "server/admin/accounts.hpp"
#include "server/api/admin.hpp"
#include "server/api/audit.hpp"
#include "server/api/collaborations.hpp"
#include "server/api/compliance.hpp"
#include "server/api/content.hpp"
#include "server/api/directory.hpp"
#include "server/api/erase.hpp"
#include "server/api/events.hpp"
#include "server/api/evidence.hpp"
#include "server/api/history.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"
#include "server/api/reports.hpp"
#include "server/api/retention.hpp"
#include "sync/contact_rules.hpp"
#include "sync/edit.hpp"
#include "sync/hlc.hpp"
#include "sync/merge.hpp"

namespace liaison::server {

Result<std::optional<core::RowState>> visible_row(core::Store& store, const Principal& who,
                                                  core::Kind kind, const core::Id128& id) {
    auto row = core::get_entity(store, kind, id);
    if (!row) return row.status();
    if (!row.value()) return row;
    // A keyless entry (a click, a check-in …) is where its parent is (sync/scope.hpp).
    auto covered = sync::covers_entry(store, who.scope, *row.value());
    if (!covered) return covered.status();
    if (!covered.value()) return std::optional<core::RowState>{};
    return row;
}

Result<core::RowState> must_see(core::Store& store, const Principal& who, core::Kind kind,
                                const core::Id128& id) {
    auto row = visible_row(store, who, kind, id);
    if (!row) return row.status();
    if (!row.value())
        return Status::not_found(std::string(core::kind_name(kind)) + " " + id.to_text());
    return std::move(*row.value());
}

namespace {

using core::Id128;
using core::Kind;
using core::RowState;
using core::Store;
using sync::Op;
using sync::OpType;

constexpr std::string_view kPrefix = "/api/v1/";

struct Collection {
    std::string_view path;
    Kind kind;
    bool central_writes;  // reference and planning data: central and admin only
    bool writable;        // false: read-only through REST
};
constexpr Collection kCollections[] = {
    {"influencers", Kind::kInfluencer, false, true},
    {"interactions", Kind::kInteraction, false, true},
    {"events", Kind::kEvent, false, true},
    {"checkins", Kind::kCheckin, false, true},
    {"campaigns", Kind::kCampaign, true, true},
    {"programmes", Kind::kProgramme, true, true},
    {"collaborations", Kind::kCollaboration, false, true},
    {"content", Kind::kContent, false, true},
    {"tracked-links", Kind::kTrackedLink, true, true},
    {"clicks", Kind::kClick, true, false},
    {"staff", Kind::kStaff, true, true},
    {"brands", Kind::kBrand, true, true},
    {"regions", Kind::kRegion, true, true},
    {"stores", Kind::kStore, true, true},
    {"devices", Kind::kDevice, true, true},
    {"invitations", Kind::kInvitation, false, true},
    {"conversions", Kind::kConversion, true, false},  // written by POST (api/conversions.hpp)
    {"collaboration-steps", Kind::kCollaborationStep, true, false},
    // Record model 7: what the reports read besides the record (docs/METRICS.md).
    {"fx-rates", Kind::kFxRate, true, true},
    {"outcomes", Kind::kOutcome, true, true},
    {"rate-cards", Kind::kRateCard, true, true},
    {"settings", Kind::kSetting, true, true},
    // Record model 8: compliance (docs/COMPLIANCE.md).
    {"vettings", Kind::kVetting, true, true},
    {"intermediaries", Kind::kIntermediary, true, true},
    {"gdpr-requests", Kind::kGdprRequest, true, true},
};

const Collection* find_collection(std::string_view name) {
    for (const auto& c : kCollections)
        if (c.path == name) return &c;
    return nullptr;
}

std::vector<std::string_view> split_path(std::string_view rest) {
    std::vector<std::string_view> out;
    for (;;) {
        auto slash = rest.find('/');
        out.push_back(rest.substr(0, slash));
        if (slash == std::string_view::npos) return out;
        rest.remove_prefix(slash + 1);
    }
}

HttpReply json_reply(int status, std::string body) {
    HttpReply r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

HttpReply not_found(std::string_view what) {
    return error_reply(404, code_name(Code::kNotFound), std::string(what) + ": not found");
}

HttpReply forbidden(std::string_view why) {
    return error_reply(403, code_name(Code::kForbidden), why);
}

// ---- Bodies ------------------------------------------------------------------------------------

// Only JSON documents up to sync::kMaxEditBytes are read.
std::optional<HttpReply> check_json_body(const RestRequest& req) {
    if (media_type(req.content_type) != "application/json")
        return error_reply(415, "unsupported_media_type", "send the body as application/json");
    if (req.body.size() > sync::kMaxEditBytes)
        return error_reply(
            413, code_name(Code::kTooLarge),
            "the document is larger than " + std::to_string(sync::kMaxEditBytes / 1024) + " KiB");
    return std::nullopt;
}

// A small JSON object whose members are all in `allowed`; strings or arrays of strings.
Result<rapidjson::Document> parse_object(std::string_view body,
                                         const std::vector<std::string>& allowed) {
    LIAISON_TRY(core::check_json_depth(body));  // the parser recurses once per level
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError())
        return Status::malformed(std::string("not JSON: ") +
                                 rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                                 std::to_string(doc.GetErrorOffset()));
    if (!doc.IsObject()) return Status::invalid("the document must be a JSON object");
    std::vector<std::string> seen;
    for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
        std::string name(m->name.GetString(), m->name.GetStringLength());
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            return Status(Code::kUnknownField, "unknown member '" + name.substr(0, 40) + "'");
        if (std::find(seen.begin(), seen.end(), name) != seen.end())
            return Status::invalid(name + ": given twice");
        seen.push_back(name);
    }
    return doc;
}

// A member as a list of strings ("a" or ["a","b"]); absent: empty.
Result<std::vector<std::string>> string_list(const rapidjson::Document& doc, const char* name) {
    std::vector<std::string> out;
    auto m = doc.FindMember(name);
    if (m == doc.MemberEnd()) return out;
    auto take = [&](const rapidjson::Value& v) -> Status {
        if (!v.IsString()) return Status::invalid(std::string(name) + ": expected strings");
        out.emplace_back(v.GetString(), v.GetStringLength());
        return Status::ok();
    };
    if (m->value.IsArray()) {
        if (m->value.Size() > kMaxSetChanges)
            return Status(Code::kTooLarge, std::string(name) + ": at most " +
                                               std::to_string(kMaxSetChanges) + " elements");
        for (const auto& v : m->value.GetArray()) LIAISON_TRY(take(v));
    } else {
        LIAISON_TRY(take(m->value));
    }
    return out;
}

// ---- Reading ---------------------------------------------------------------------------------

// Candidates in their order, from a position: up to n ids.
using Fetch = std::function<Result<std::vector<Id128>>(std::size_t pos, std::size_t n)>;

struct Page {
    std::vector<Id128> ids;
    std::optional<std::size_t> next;
};

// Up to `limit` visible, covered candidates (and accepted by `keep`) from `offset`, scanning
// at most kMaxScanRows; `next` is where the next page starts, or nullopt at the end.
Result<Page> paginate(Store& store, const Principal& who, Kind kind, const Fetch& fetch,
                      std::size_t limit, std::size_t offset,
                      const std::function<bool(const RowState&)>& keep = {}) {
    Page page;
    std::size_t pos = offset;
    while (page.ids.size() < limit) {
        if (pos - offset >= kMaxScanRows) {
            page.next = pos;
            return page;
        }
        const std::size_t want = limit - page.ids.size() + 1;
        auto ids = fetch(pos, want);
        if (!ids) return ids.status();
        const bool last_chunk = ids->size() < want;
        for (const auto& id : ids.value()) {
            if (page.ids.size() == limit) {
                page.next = pos;
                return page;
            }
            ++pos;
            auto row = store.load_row(kind, id);
            if (!row) return row.status();
            if (!row.value() || !row.value()->visible()) continue;
            auto covered = sync::covers_entry(store, who.scope, *row.value());
            if (!covered) return covered.status();
            if (!covered.value()) continue;
            if (keep && !keep(*row.value())) continue;
            page.ids.push_back(id);
        }
        if (last_chunk) return page;
    }
    // Full: is there anything after?
    auto more = fetch(pos, 1);
    if (!more) return more.status();
    if (!more->empty()) page.next = pos;
    return page;
}

std::string page_json(Store& store, Kind kind, const Page& page, Status* failed) {
    auto items = core::entities_json(store, kind, page.ids);
    if (!items) {
        *failed = items.status();
        return {};
    }
    return "{\"items\":" + items.value() +
           ",\"next_offset\":" + (page.next ? std::to_string(*page.next) : std::string("null")) +
           "}";
}

// Filters of a list: every reference field of the kind may be one (?store=<id>); a filter on a
// person also matches the duplicates merged into them.
Result<std::vector<core::RefFilter>> ref_filters(Store& store, Kind kind, const RestRequest& req) {
    const auto& k = core::kind_def(kind);
    std::vector<core::RefFilter> out;
    for (std::size_t i = 0; i < k.fields.size(); ++i) {
        const auto& f = k.fields[i];
        if (f.type != core::FieldType::kRef) continue;
        auto v = param(req, f.name);
        if (!v) continue;
        auto id = id_param(f.name, *v);
        if (!id) return id.status();
        core::RefFilter rf{int(i), {id.value()}};
        if (f.ref_kind == Kind::kInfluencer) rf.ids = store.component_of(store.root_of(id.value()));
        out.push_back(std::move(rf));
    }
    return out;
}

std::vector<std::string> ref_field_names(Kind kind) {
    std::vector<std::string> out;
    for (const auto& f : core::kind_def(kind).fields)
        if (f.type == core::FieldType::kRef) out.push_back(f.name);
    return out;
}

// Influencers through the central directory's index (api/directory.hpp): its filters and
// sort, the surviving person of each merged group only, and how many match in all.
HttpReply list_people(SyncBackend& backend, const Principal& who, const RestRequest& req,
                      std::size_t limit, std::size_t offset) {
    return backend.read([&](Store& store) -> HttpReply {
        auto q = people_query(store, who, req);
        if (!q) return status_reply(q.status());
        q->limit = limit;
        q->offset = offset;
        core::PeopleIndex& index = backend.people();
        if (Status s = index.catch_up(store); !s) return status_reply(s);
        const auto found = index.query(q.value());
        Page page;
        for (const auto* p : found.people) page.ids.push_back(p->id);
        if (offset + page.ids.size() < found.total) page.next = offset + page.ids.size();
        if (Status a = audit_list(store, who, page.ids); !a) return status_reply(a);
        Status failed;
        std::string body = page_json(store, Kind::kInfluencer, page, &failed);
        if (!failed) return status_reply(failed);
        body.pop_back();
        return json_reply(200, body + ",\"total\":" + std::to_string(found.total) + "}");
    });
}

HttpReply list(SyncBackend& backend, const Principal& who, const Collection& c,
               const RestRequest& req) {
    std::vector<std::string> allowed = ref_field_names(c.kind);
    allowed.insert(allowed.end(), {"limit", "offset"});
    if (c.kind == Kind::kInfluencer)
        allowed.insert(allowed.end(), people_query_params().begin(), people_query_params().end());
    if (Status s = check_params(req, allowed); !s) return status_reply(s);
    auto limit = size_param(req, "limit", kDefaultPageSize, 1, kMaxPageSize);
    if (!limit) return status_reply(limit.status());
    auto offset = size_param(req, "offset", 0, 0, kMaxOffset);
    if (!offset) return status_reply(offset.status());
    const auto q = param(req, "q");
    // A search alone keeps its ranking (best first); filters or a sort go through the index.
    if (c.kind == Kind::kInfluencer &&
        !(q && req.params.size() == 1 + req.params.count("limit") + req.params.count("offset")))
        return list_people(backend, who, req, limit.value(), offset.value());
    if (q && q->size() > 200) return status_reply(Status(Code::kTooLong, "q: at most 200 bytes"));

    return backend.read([&](Store& store) -> HttpReply {
        auto filters = ref_filters(store, c.kind, req);
        if (!filters) return status_reply(filters.status());
        Fetch fetch;
        std::function<bool(const RowState&)> keep;
        std::vector<Id128> hits;
        if (q) {
            // Search ranks the hits; the filters then apply to each hit's row.
            auto found = core::search_influencers(store, *q, kMaxSearchHits);
            if (!found) return status_reply(found.status());
            for (const auto& h : found.value()) hits.push_back(h.id);
            fetch = [&](std::size_t pos, std::size_t n) -> Result<std::vector<Id128>> {
                if (pos >= hits.size()) return std::vector<Id128>{};
                auto end = hits.begin() + std::ptrdiff_t(std::min(hits.size(), pos + n));
                return std::vector<Id128>(hits.begin() + std::ptrdiff_t(pos), end);
            };
            keep = [&](const RowState& row) {
                for (const auto& f : filters.value()) {
                    const auto* v = std::get_if<std::string>(&row.values[std::size_t(f.field)]);
                    if (!v) return false;
                    bool any = false;
                    for (const auto& id : f.ids) any = any || *v == id.to_text();
                    if (!any) return false;
                }
                return true;
            };
        } else {
            fetch = [&](std::size_t pos, std::size_t n) {
                core::EntityIdQuery query;
                query.filters = filters.value();
                query.newest_first = true;
                query.limit = n;
                query.offset = pos;
                return core::entity_ids(store, c.kind, query);
            };
        }
        auto page = paginate(store, who, c.kind, fetch, limit.value(), offset.value(), keep);
        if (!page) return status_reply(page.status());
        if (c.kind == Kind::kInfluencer)
            if (Status a = audit_list(store, who, page->ids); !a) return status_reply(a);
        Status failed;
        std::string body = page_json(store, c.kind, page.value(), &failed);
        if (!failed) return status_reply(failed);
        return json_reply(200, std::move(body));
    });
}

// The influencer card; for a scoped caller its timeline keeps only the entries the scope covers
// (an interaction logged by another store stays there, as it does on the caller's devices).
Result<std::string> card(Store& store, const Principal& who, const Id128& id) {
    core::CardOptions opts;
    opts.now_ms = std::int64_t(wall_ms());
    if (!who.scope.global)
        opts.timeline_filter = [&who](const core::RowState& row) { return who.scope.covers(row); };
    auto c = core::card_json(store, id, opts);
    if (!c) return c.status();
    if (!c.value()) return Status::not_found("influencer " + id.to_text());
    return std::move(*c.value());
}

HttpReply get_one(SyncBackend& backend, const Principal& who, const Collection& c,
                  const Id128& id) {
    return backend.read([&](Store& store) -> HttpReply {
        auto row = must_see(store, who, c.kind, id);
        if (!row) return status_reply(row.status());
        if (c.kind == Kind::kInfluencer) {
            auto body = card(store, who, row->id);
            if (!body) return status_reply(body.status());
            // A full record read (api/audit.hpp): written before it is answered.
            if (Status a = audit_read(store, who, "person.view", row->id.to_text(), wall_ms()); !a)
                return status_reply(a);
            return json_reply(200, std::move(body).value());
        }
        auto body = core::entity_json(store, c.kind, row->id);
        if (!body) return status_reply(body.status());
        if (!body.value()) return not_found(std::string(c.path) + "/" + id.to_text());
        return json_reply(200, std::move(*body.value()));
    });
}

// The entity as it is now (after a write), or 404 if the write made it invisible.
HttpReply entity_reply(SyncBackend& backend, Kind kind, const Id128& id) {
    return backend.read([&](Store& store) -> HttpReply {
        auto body = core::entity_json(store, kind, id);
        if (!body) return status_reply(body.status());
        if (!body.value())
            return not_found(std::string(core::kind_name(kind)) + " " + id.to_text());
        return json_reply(200, std::move(*body.value()));
    });
}

// A tracked link's code names one link: a write that gives a code another live link uses is a
// conflict (devices could still race to the same code; /l/ then follows the oldest link).
Status check_link_codes(Store& store, const std::vector<Op>& ops) {
    const auto& k = core::kind_def(Kind::kTrackedLink);
    for (const auto& op : ops) {
        if (op.kind != Kind::kTrackedLink) continue;
        for (const auto& w : op.fields) {
            const auto* code = std::get_if<std::string>(&w.value);
            if (w.field != "code" || !code) continue;
            auto ids = store.ids_where(Kind::kTrackedLink, k.field_index("code"), *code);
            if (!ids) return ids.status();
            for (const auto& other : ids.value()) {
                if (other == op.entity) continue;
                auto row = store.load_row(Kind::kTrackedLink, other);
                if (!row) return row.status();
                if (row.value() && row.value()->visible())
                    return Status(Code::kConflict, "code: '" + *code + "' is used by another link");
            }
        }
    }
    return Status::ok();
}

// A tracked link created without a code gets one (docs/PROGRAMMES.md "Links and conversions"):
// core::link_code of its id, as a device offline would take, or of another random id in the
// unlikely case that one is taken.
Status allocate_link_code(Store& store, std::vector<Op>& ops) {
    if (ops.empty()) return Status::ok();
    Op& create = ops.front();  // ops_from_json: the create first, then set additions
    for (const auto& w : create.fields)
        if (w.field == "code" && !core::is_null(w.value)) return Status::ok();
    std::erase_if(create.fields, [](const sync::FieldWrite& w) { return w.field == "code"; });
    thread_local auto ids = core::make_random_id_source();
    std::string code = core::link_code(create.entity);
    const int field = core::kind_def(Kind::kTrackedLink).field_index("code");
    for (int attempt = 0;; ++attempt) {
        auto used = store.ids_where(Kind::kTrackedLink, field, code);
        if (!used) return used.status();
        if (used->empty()) break;
        if (attempt == 8) return Status(Code::kConflict, "code: no free code found; give one");
        code = core::link_code(ids->next_entity_id(std::uint64_t(wall_ms())));
    }
    create.fields.push_back({"code", core::Value{code}});
    return Status::ok();
}

std::optional<HttpReply> check_writable(const Principal& who, const Collection& c) {
    if (!c.writable) return method_not_allowed("GET");
    if (c.central_writes && !is_central(who))
        return forbidden("only the central team may change " + std::string(c.path));
    return std::nullopt;
}

HttpReply create(SyncBackend& backend, const Principal& who, const Collection& c,
                 const RestRequest& req) {
    if (auto refused = check_writable(who, c)) return *refused;
    if (auto bad = check_json_body(req)) return *bad;  // first: a form's fields become params
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    thread_local auto ids = core::make_random_id_source();
    const Id128 id = ids->next_entity_id(std::uint64_t(wall_ms()));
    auto ops = sync::ops_from_json(c.kind, id, sync::EditMode::kCreate, req.body);
    if (!ops) return status_reply(ops.status());
    Status s =
        backend.submit(device_context(who, {}), [&](Store& store) -> Result<std::vector<Op>> {
            if (c.kind == Kind::kTrackedLink) LIAISON_TRY(allocate_link_code(store, ops.value()));
            if (c.kind == Kind::kInteraction && !ops.value().empty())
                LIAISON_TRY(sync::check_new_contact(store, ops.value().front()));
            LIAISON_TRY(check_link_codes(store, ops.value()));
            LIAISON_TRY(check_promotion_condition(ops.value()));
            return ops.value();
        });
    if (!s) return status_reply(s);
    HttpReply r = json_reply(201, "{\"id\":" + json_string(id.to_text()) + "}");
    r.headers.emplace_back("Location",
                           std::string(kPrefix) + std::string(c.path) + "/" + id.to_text());
    return r;
}

HttpReply patch(SyncBackend& backend, const Principal& who, const Collection& c, const Id128& id,
                const RestRequest& req) {
    if (auto refused = check_writable(who, c)) return *refused;
    if (auto bad = check_json_body(req)) return *bad;  // first: a form's fields become params
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    Id128 target = id;
    Status s =
        backend.submit(device_context(who, {}), [&](Store& store) -> Result<std::vector<Op>> {
            auto row = must_see(store, who, c.kind, id);
            if (!row) return row.status();
            target = row->id;
            auto ops = sync::ops_from_json(c.kind, row->id, sync::EditMode::kUpdate, req.body);
            if (!ops) return ops.status();
            LIAISON_TRY(check_link_codes(store, ops.value()));
            LIAISON_TRY(check_promotion_condition(ops.value()));
            return ops;
        });
    if (!s) return status_reply(s);
    return entity_reply(backend, c.kind, target);
}

HttpReply remove_entry(SyncBackend& backend, const Principal& who, const Collection& c,
                       const Id128& id, const RestRequest& req) {
    if (core::kind_def(c.kind).cls != core::KindClass::kLog)
        return method_not_allowed("GET, PATCH");
    if (auto refused = check_writable(who, c)) return *refused;
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    Status s =
        backend.submit(device_context(who, {}), [&](Store& store) -> Result<std::vector<Op>> {
            auto row = must_see(store, who, c.kind, id);
            if (!row) return row.status();
            return std::vector<Op>{sync::unstamped_op(OpType::kDelete, c.kind, row->id)};
        });
    if (!s) return status_reply(s);
    return json_reply(200, "{\"id\":" + json_string(id.to_text()) + ",\"deleted\":true}");
}

HttpReply change_set(SyncBackend& backend, const Principal& who, const Collection& c,
                     const Id128& id, std::string_view set, const RestRequest& req) {
    const auto& k = core::kind_def(c.kind);
    const int si = k.set_index(set);
    if (si < 0)
        return not_found(std::string(c.path) + " have no set '" + std::string(set.substr(0, 40)) +
                         "'");
    if (auto refused = check_writable(who, c)) return *refused;
    if (auto bad = check_json_body(req)) return *bad;  // first: a form's fields become params
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    auto doc = parse_object(req.body, {"add", "remove"});
    if (!doc) return status_reply(doc.status());
    auto add = string_list(doc.value(), "add");
    if (!add) return status_reply(add.status());
    auto remove = string_list(doc.value(), "remove");
    if (!remove) return status_reply(remove.status());
    if (add->empty() && remove->empty())
        return status_reply(Status::invalid("name elements to \"add\" or \"remove\""));
    const auto& def = k.sets[std::size_t(si)];
    Id128 target = id;
    Status s =
        backend.submit(device_context(who, {}), [&](Store& store) -> Result<std::vector<Op>> {
            auto row = must_see(store, who, c.kind, id);
            if (!row) return row.status();
            target = row->id;
            std::vector<Op> ops;
            for (const auto& e : add.value()) {
                Op op = sync::unstamped_op(OpType::kAdd, c.kind, row->id);
                op.set = def.name;
                op.elem = core::normalize_elem(def, e);
                ops.push_back(std::move(op));
            }
            for (const auto& e : remove.value()) {
                // The removal names the dots this server has observed (add-wins, R4: a concurrent
                // add on a device survives it).
                auto op = sync::remove_op(store, c.kind, row->id, si, e);
                if (!op) return op.status();
                ops.push_back(std::move(op).value());
            }
            return ops;
        });
    if (!s) return status_reply(s);
    return entity_reply(backend, c.kind, target);
}

// The values a merged person keeps (POST .../merge "values" and "sets"), as operations on the
// survivor, after the merge in the same submit: written last, with the server's clock, they win
// over both records' older writes (docs/WORKSPACE.md, "Duplicates").
struct KeptValues {
    std::string fields_json;  // a flat object for sync::ops_from_json; empty: none chosen
    std::vector<std::pair<int, std::vector<std::string>>> sets;  // set index, elements kept
};

Result<KeptValues> kept_values(const rapidjson::Document& doc) {
    KeptValues kept;
    const auto& k = core::kind_def(Kind::kInfluencer);
    if (auto v = doc.FindMember("values"); v != doc.MemberEnd()) {
        if (!v->value.IsObject())
            return Status::invalid("values: an object of field: value (or null)");
        if (v->value.MemberCount() > 0) {
            rapidjson::StringBuffer buf;
            rapidjson::Writer<rapidjson::StringBuffer> w(buf);
            v->value.Accept(w);
            kept.fields_json.assign(buf.GetString(), buf.GetSize());
        }
    }
    if (auto v = doc.FindMember("sets"); v != doc.MemberEnd()) {
        if (!v->value.IsObject()) return Status::invalid("sets: an object of set: [elements]");
        for (auto m = v->value.MemberBegin(); m != v->value.MemberEnd(); ++m) {
            const std::string name(m->name.GetString(), m->name.GetStringLength());
            const int si = k.set_index(name);
            if (si < 0)
                return Status(Code::kUnknownField, "sets: no set '" + name.substr(0, 40) + "'");
            if (!m->value.IsArray() || m->value.Size() > kMaxSetChanges)
                return Status::invalid(name + ": a list of at most " +
                                       std::to_string(kMaxSetChanges) + " elements");
            std::vector<std::string> elems;
            for (const auto& e : m->value.GetArray()) {
                if (!e.IsString()) return Status::invalid(name + ": expected strings");
                elems.push_back(core::normalize_elem(
                    k.sets[std::size_t(si)], std::string(e.GetString(), e.GetStringLength())));
            }
            kept.sets.emplace_back(si, std::move(elems));
        }
    }
    return kept;
}

// The operations that leave `sets` holding exactly the kept elements once `a` and `b` are one
// person: removals of the others (observing each record's own dots, which the merge joins)
// and additions of those neither holds.
Result<std::vector<Op>> keep_set_ops(Store& store, const Id128& a, const Id128& b,
                                     const Id128& survivor, const KeptValues& kept) {
    const auto& k = core::kind_def(Kind::kInfluencer);
    std::vector<Op> ops;
    for (const auto& [si, elems] : kept.sets) {
        std::vector<std::string> present;
        for (const Id128& x : {a, b}) {
            auto dots = store.load_dots(x);
            if (!dots) return dots.status();
            std::vector<std::string> removed;
            for (const auto& d : dots.value()) {
                if (d.set != si || d.removed) continue;
                present.push_back(d.elem);
                if (std::find(elems.begin(), elems.end(), d.elem) != elems.end() ||
                    std::find(removed.begin(), removed.end(), d.elem) != removed.end())
                    continue;
                removed.push_back(d.elem);
                auto op = sync::remove_op(store, Kind::kInfluencer, x, si, d.elem);
                if (!op) return op.status();
                ops.push_back(std::move(op).value());
            }
        }
        for (const auto& e : elems) {
            if (std::find(present.begin(), present.end(), e) != present.end()) continue;
            Op op = sync::unstamped_op(OpType::kAdd, Kind::kInfluencer, survivor);
            op.set = k.sets[std::size_t(si)].name;
            op.elem = e;
            ops.push_back(std::move(op));
        }
    }
    return ops;
}

// A refused merge names the field or set the refusal is about ("field" of the error body), for
// the duplicates screen to show it there.
HttpReply merge_refused(const Status& s) {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> out;
        const auto& k = core::kind_def(Kind::kInfluencer);
        for (const auto& f : k.fields) out.push_back(f.name);
        for (const auto& set : k.sets) out.push_back(set.name);
        return out;
    }();
    return field_status_reply(s, names);
}

HttpReply merge(SyncBackend& backend, const Principal& who, const Id128& id,
                const RestRequest& req) {
    if (auto bad = check_json_body(req)) return *bad;  // first: a form's fields become params
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    auto doc = parse_object(req.body, {"into", "values", "sets"});
    if (!doc) return status_reply(doc.status());
    auto into_m = doc->FindMember("into");
    if (into_m == doc->MemberEnd() || !into_m->value.IsString())
        return status_reply(Status(Code::kRequired, "into: the id of the record to keep"));
    auto into = id_param(
        "into", std::string_view(into_m->value.GetString(), into_m->value.GetStringLength()));
    if (!into) return status_reply(into.status());
    auto kept = kept_values(doc.value());
    if (!kept) return merge_refused(kept.status());
    Id128 survivor;
    Status s =
        backend.submit(device_context(who, {}), [&](Store& store) -> Result<std::vector<Op>> {
            auto a = must_see(store, who, Kind::kInfluencer, id);
            if (!a) return a.status();
            auto b = must_see(store, who, Kind::kInfluencer, into.value());
            if (!b) return b.status();
            if (a->id == b->id)
                return Status(Code::kConflict, "these ids are already the same person");
            Op op = sync::unstamped_op(OpType::kMerge, Kind::kInfluencer, a->id);
            op.target = b->id;
            std::vector<Op> ops{op};
            // R6: the survivor is the smaller id, whichever way the merge was asked.
            const Id128 after = std::min(a->id, b->id);
            if (!kept->fields_json.empty()) {
                auto set = sync::ops_from_json(Kind::kInfluencer, after, sync::EditMode::kUpdate,
                                               kept->fields_json);
                if (!set) return set.status();
                ops.insert(ops.end(), set->begin(), set->end());
            }
            auto sets = keep_set_ops(store, a->id, b->id, after, kept.value());
            if (!sets) return sets.status();
            ops.insert(ops.end(), sets->begin(), sets->end());
            return ops;
        });
    if (!s) return merge_refused(s);
    return backend.read([&](Store& store) {
        survivor = store.root_of(id);
        return json_reply(200, "{\"id\":" + json_string(survivor.to_text()) + "}");
    });
}

// ---- GDPR ------------------------------------------------------------------------------------

// Every entity naming one of `people` through a subject field (or an alternate subject),
// visible or not, by kind.
Result<std::vector<std::pair<Kind, std::vector<Id128>>>> records_about(
    Store& store, const std::vector<Id128>& people) {
    std::vector<std::pair<Kind, std::vector<Id128>>> out;
    for (const auto& k : core::all_kinds()) {
        std::vector<Id128> ids;
        for (std::size_t i = 0; i < k.fields.size(); ++i) {
            if (!k.fields[i].subject) continue;
            for (std::size_t at = 0; at < people.size(); at += 200) {
                std::vector<Id128> part(
                    people.begin() + std::ptrdiff_t(at),
                    people.begin() + std::ptrdiff_t(std::min(people.size(), at + 200)));
                core::EntityIdQuery query;
                query.filters = {core::RefFilter{int(i), std::move(part)}};
                query.visible_only = false;
                query.newest_first = true;
                auto found = core::entity_ids(store, k.kind, query);
                if (!found) return found.status();
                ids.insert(ids.end(), found->begin(), found->end());
            }
        }
        for (const auto& p : people) {
            auto alt = store.ids_with_subject_alt(p);
            if (!alt) return alt.status();
            for (const auto& a : alt.value()) {
                auto row = store.load_row(k.kind, a);
                if (!row) return row.status();
                if (row.value()) ids.push_back(a);
            }
        }
        std::sort(ids.begin(), ids.end(),
                  [](const Id128& x, const Id128& y) { return x.bytes < y.bytes; });
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        if (!ids.empty()) out.emplace_back(k.kind, std::move(ids));
    }
    return out;
}

// The operation log of `ids`: what was done, when, by which actor, to which fields or set;
// and, where the server keeps them (core/storage/history.hpp), the values each write wrote
// (`written`, by field) and the element an add or remove named: personal data it holds.
Result<std::string> audit_trail(Store& store, Kind kind, const std::vector<Id128>& ids) {
    const auto& k = core::kind_def(kind);
    auto rows = core::entity_history(store, kind, ids);
    if (!rows) return rows.status();
    std::string out;
    for (const auto& row : rows.value()) {
        std::vector<std::string> names;
        std::string written;
        if (row.set >= 0) names.push_back(k.sets[std::size_t(row.set)].name);
        for (const auto& f : row.fields) {
            const auto& def = k.fields[std::size_t(f.field)];
            names.push_back(def.name);
            if (!f.new_value) continue;
            if (!written.empty()) written += ',';
            written += json_string(def.name) + ":" + core::value_json(def, *f.new_value);
        }
        const std::string actor_text =
            row.actor.is_nil() ? "null" : json_string(row.actor.to_text());
        if (!out.empty()) out += ",";
        out += "{\"kind\":" + json_string(k.name) +
               ",\"entity\":" + json_string(row.entity.to_text()) +
               ",\"op\":" + json_string(row.stamp.to_text()) + ",\"type\":" +
               json_string(row.type >= 1 && row.type <= sync::kMaxOpType
                               ? sync::op_type_name(OpType(row.type))
                               : "unknown") +
               ",\"at\":" + std::to_string(sync::hlc_millis(row.stamp.hlc)) +
               ",\"actor\":" + actor_text + ",\"fields\":" + json_string_array(names);
        if (!written.empty()) out += ",\"written\":{" + written + "}";
        if (row.element) out += ",\"element\":" + json_string(*row.element);
        out += "}";
    }
    return out;
}

Result<std::string> export_document(Store& store, const Id128& root) {
    auto person = core::entity_json(store, Kind::kInfluencer, root);
    if (!person) return person.status();
    if (!person.value()) return Status::not_found("influencer " + root.to_text());
    const std::vector<Id128> people = store.component_of(root);
    std::vector<std::string> merged;
    for (const auto& p : people)
        if (p != root) merged.push_back(p.to_text());
    auto records = records_about(store, people);
    if (!records) return records.status();

    std::string doc =
        "{\"format\":\"liaison-personal-data-export\",\"version\":1,\"exported_at\":" +
        std::to_string(wall_ms()) + ",\"subject\":" + json_string(root.to_text()) +
        ",\"influencer\":" + *person.value() + ",\"merged_ids\":" + json_string_array(merged) +
        ",\"records\":{";
    auto trail = audit_trail(store, Kind::kInfluencer, people);
    if (!trail) return trail.status();
    std::string audit = trail.value();
    bool first_kind = true;
    for (const auto& [kind, ids] : records.value()) {
        doc += (first_kind ? "" : ",") + json_string(core::kind_name(kind)) + ":[";
        first_kind = false;
        bool first = true;
        for (const auto& id : ids) {
            auto row = store.load_row(kind, id);
            if (!row) return row.status();
            if (!row.value()) continue;
            auto dots = store.load_dots(id);
            if (!dots) return dots.status();
            doc += (first ? "" : ",") + core::row_json(*row.value(), dots.value());
            first = false;
        }
        doc += "]";
        auto more = audit_trail(store, kind, ids);
        if (!more) return more.status();
        if (!more->empty()) audit += (audit.empty() ? "" : ",") + more.value();
    }
    doc += "},\"audit\":[" + audit + "]}";
    return doc;
}

HttpReply export_person(SyncBackend& backend, const Principal& who, const Id128& id,
                        const RestRequest& req) {
    if (!is_central(who)) return forbidden("only the central team may export a person's data");
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    return backend.read([&](Store& store) -> HttpReply {
        auto row = must_see(store, who, Kind::kInfluencer, id);
        if (!row) return status_reply(row.status());
        auto doc = export_document(store, row->id);
        if (!doc) return status_reply(doc.status());
        if (Status a = audit(store, user_actor(who), "gdpr.export", row->id.to_text()); !a)
            return status_reply(a);
        HttpReply r = json_reply(200, std::move(doc).value());
        r.headers.emplace_back("Content-Disposition", "attachment; filename=\"liaison-export-" +
                                                          row->id.to_text() + ".json\"");
        r.headers.emplace_back("Cache-Control", "no-store");
        return r;
    });
}

HttpReply erase_person(SyncBackend& backend, const Principal& who, const Id128& id,
                       const RestRequest& req) {
    if (!is_central(who)) return forbidden("only the central team may erase a person");
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    auto root = erase_influencer(backend, who, id, "gdpr.erase");
    if (!root) return status_reply(root.status());
    return json_reply(200, "{\"id\":" + json_string(root->to_text()) + ",\"erased\":true}");
}

}  // namespace

std::string rest_route(std::string_view path) {
    if (path.substr(0, kPrefix.size()) != kPrefix) return "";
    auto seg = split_path(path.substr(kPrefix.size()));
    if (seg[0] == "reports")
        return seg.size() == 1   ? "/api/v1/reports"
               : seg.size() == 2 ? "/api/v1/reports/{name}"
                                 : "/api/v1/reports/{other}";
    if (seg[0] == "compliance")
        return seg.size() == 2 &&
                       (seg[1] == "issues" || seg[1] == "promotions" || seg[1] == "disclosure")
                   ? std::string("/api/v1/compliance/") += seg[1]
                   : std::string("/api/v1/compliance/{other}");
    if (seg[0] == "evidence")
        return seg.size() == 1 ? "/api/v1/evidence" : "/api/v1/evidence/{sha}";
    if (seg[0] == "retention") return retention_route(seg);
    if (seg[0] == "audit")
        return seg.size() == 1                        ? "/api/v1/audit"
               : seg.size() == 2 && seg[1] == "views" ? "/api/v1/audit/views"
                                                      : "/api/v1/audit/{other}";
    const Collection* c = find_collection(seg[0]);
    std::string out = std::string(kPrefix) + (c ? std::string(c->path) : std::string("{other}"));
    if (!c) return out;
    if (seg.size() == 2 && c->kind == Kind::kContent && seg[1] == "import") return out + "/import";
    if (seg.size() >= 2) out += "/{id}";
    if (seg.size() == 3 &&
        (seg[2] == "merge" || seg[2] == "export" || seg[2] == "erase" || seg[2] == "history" ||
         (c->kind == Kind::kEvent && (seg[2] == "guests" || seg[2] == "invitations")) ||
         (c->kind == Kind::kCollaboration && (seg[2] == "moves" || seg[2] == "pipeline")) ||
         (c->kind == Kind::kCampaign && seg[2] == "board")))
        out += "/" + std::string(seg[2]);
    else if (seg.size() == 4 && seg[2] == "sets")
        out += "/sets/{set}";
    else if (seg.size() > 2)
        out += "/{other}";
    return out;
}

HttpReply handle_rest(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (req.path.substr(0, kPrefix.size()) != kPrefix) return not_found(req.path.substr(0, 80));
    auto seg = split_path(std::string_view(req.path).substr(kPrefix.size()));
    // The figures (api/reports.hpp): computed, not a collection.
    if (seg[0] == "reports") return reports(backend, who, req);
    // The compliance work list (api/compliance.hpp): computed, not a collection.
    if (seg[0] == "compliance") return compliance(backend, who, req);
    // Evidence files (api/evidence.hpp): the server's own store, not a collection.
    if (seg[0] == "evidence") return evidence(backend, who, req);
    // Retention runs (api/retention.hpp): the policy, dry runs and their approval.
    if (seg[0] == "retention") return retention(backend, who, req);
    // Who viewed or exported what (api/audit.hpp).
    if (seg[0] == "audit") return audit_routes(backend, who, req);
    const Collection* c = find_collection(seg[0]);
    if (!c) return error_reply(404, "not_found", "there is nothing at this address");
    const std::string& m = req.method;
    if (seg.size() == 1) {
        if (m == "GET") return list(backend, who, *c, req);
        if (m == "POST")
            return c->kind == Kind::kInvitation ? create_invitation(backend, who, req)
                                                : create(backend, who, *c, req);
        return method_not_allowed("GET, POST");
    }
    if (seg.size() == 2 && c->kind == Kind::kContent && seg[1] == "import")
        return m == "POST" ? import_content(backend, who, req) : method_not_allowed("POST");
    auto id = id_param("id", seg[1]);
    if (!id) return status_reply(id.status());
    if (seg.size() == 2) {
        if (m == "GET") {
            if (Status s = check_params(req, {}); !s) return status_reply(s);
            return get_one(backend, who, *c, id.value());
        }
        if (m == "PATCH") return patch(backend, who, *c, id.value(), req);
        if (m == "DELETE") return remove_entry(backend, who, *c, id.value(), req);
        return method_not_allowed("GET, PATCH, DELETE");
    }
    if (seg.size() == 4 && seg[2] == "sets") {
        if (m != "POST") return method_not_allowed("POST");
        return change_set(backend, who, *c, id.value(), seg[3], req);
    }
    if (seg.size() == 3 && seg[2] == "history") {
        if (m != "GET") return method_not_allowed("GET");
        if (!is_central(who)) return forbidden("only the central team may read a record's history");
        if (Status s = check_params(req, {"limit"}); !s) return status_reply(s);
        auto limit = size_param(req, "limit", kDefaultHistoryEntries, 1, kMaxHistoryEntries);
        if (!limit) return status_reply(limit.status());
        HttpReply r = entity_history(backend, c->kind, id.value(), limit.value());
        if (r.status != 200) return r;
        const bool person = c->kind == Kind::kInfluencer;
        const std::string subject =
            (person ? "" : std::string(core::kind_name(c->kind)) + " ") + id->to_text();
        Status a = backend.read([&](Store& store) {
            return audit_read(store, who, person ? "person.history" : "record.history", subject,
                              wall_ms());
        });
        return a ? r : status_reply(a);
    }
    if (seg.size() == 3 && c->kind == Kind::kEvent) {
        if (seg[2] == "guests")
            return m == "GET" ? event_guests(backend, who, id.value(), req)
                              : method_not_allowed("GET");
        if (seg[2] == "invitations")
            return m == "POST" ? invite_guests(backend, who, id.value(), req)
                               : method_not_allowed("POST");
    }
    if (seg.size() == 3 && c->kind == Kind::kCollaboration) {
        if (seg[2] == "moves")
            return m == "POST" ? move_collaboration(backend, who, id.value(), req)
                               : method_not_allowed("POST");
        if (seg[2] == "pipeline") {
            if (m != "GET") return method_not_allowed("GET");
            if (Status s = check_params(req, {}); !s) return status_reply(s);
            return collaboration_pipeline(backend, who, id.value());
        }
    }
    if (seg.size() == 3 && c->kind == Kind::kCampaign && seg[2] == "board")
        return m == "GET" ? campaign_board(backend, who, id.value(), req)
                          : method_not_allowed("GET");
    if (seg.size() == 3 && c->kind == Kind::kInfluencer) {
        if (seg[2] == "merge")
            return m == "POST" ? merge(backend, who, id.value(), req) : method_not_allowed("POST");
        if (seg[2] == "erase")
            return m == "POST" ? erase_person(backend, who, id.value(), req)
                               : method_not_allowed("POST");
        if (seg[2] == "export")
            return m == "GET" ? export_person(backend, who, id.value(), req)
                              : method_not_allowed("GET");
    }
    return error_reply(404, "not_found", "there is nothing at this address");
}

}  // namespace liaison::server
