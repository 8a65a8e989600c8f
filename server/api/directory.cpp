#include "server/api/directory.hpp"

#include <algorithm>
#include <map>

#include "core/model/validate.hpp"
#include "core/query/queries.hpp"
#include "core/query/view.hpp"
#include "core/util/json.hpp"
#include "core/util/text.hpp"
#include "server/admin/csv.hpp"
#include "server/api/audit.hpp"
#include "server/api/params.hpp"

namespace liaison::server {
namespace {

using core::Id128;
using core::Kind;
using core::PeopleSort;
using core::PersonEntry;

const core::KindDef& person_kind() { return core::kind_def(Kind::kInfluencer); }

// A comma-separated list of the values of an enum field or set, as their indexes.
Result<std::vector<int>> enum_list(const std::string& name, const std::string& v,
                                   const std::vector<std::string>& choices) {
    std::vector<int> out;
    for (const auto& item : core::split_list(v)) {
        auto it = std::find(choices.begin(), choices.end(), item);
        if (it == choices.end())
            return Status::invalid(name + ": '" + item.substr(0, 40) + "' is not one of " +
                                   core::join(choices, ", "));
        out.push_back(int(it - choices.begin()));
    }
    return out;
}

const std::vector<std::string>& choices_of(const char* field) {
    return person_kind().fields[std::size_t(person_kind().field_index(field))].choices;
}

// Text items of a list, each checked by `valid` (country, language, tag, platform).
Result<std::vector<std::string>> text_list(const std::string& name, const std::string& v,
                                           bool (*valid)(std::string_view), std::string_view what) {
    std::vector<std::string> out;
    for (const auto& item : core::split_list(v)) {
        if (item.size() > 100 || (valid && !valid(item)))
            return Status(Code::kBadFormat,
                          name + ": '" + item.substr(0, 40) + "' is not " + std::string(what));
        out.push_back(item);
    }
    if (out.size() > 50) return Status::invalid(name + ": at most 50 values");
    return out;
}

bool is_platform(std::string_view s) {
    core::Handle h;
    return core::parse_handle(std::string(s) + ":x:0", h);
}

bool is_topic(std::string_view s) { return !s.empty() && s.size() <= 100; }

struct Sort {
    const char* name;
    PeopleSort sort;
};
constexpr Sort kSorts[] = {{"name", PeopleSort::kName},
                           {"last_contact", PeopleSort::kLastContact},
                           {"audience", PeopleSort::kAudience},
                           {"tier", PeopleSort::kTier},
                           {"contacts", PeopleSort::kContacts}};

// The names of staff, regions, stores and brands a page names, read once each.
class DirectoryNames {
public:
    explicit DirectoryNames(core::Store& store) : store_(store) {}
    std::string of(Kind kind, const std::optional<Id128>& id) {
        if (!id) return {};
        auto it = names_.find(*id);
        if (it != names_.end()) return it->second;
        std::string name;
        auto row = core::get_entity(store_, kind, *id);
        if (row.is_ok() && row.value()) {
            const auto& k = core::kind_def(kind);
            if (const auto* n = std::get_if<std::string>(
                    &row.value()->values[std::size_t(k.field_index("name"))]))
                name = *n;
        }
        return names_.emplace(*id, name).first->second;
    }
    std::string json() const {
        std::string out = "{";
        bool first = true;
        for (const auto& [id, name] : names_) {
            if (name.empty()) continue;
            out += (first ? "" : ",") + core::json_string(id.to_text()) + ":" +
                   core::json_string(name);
            first = false;
        }
        return out + "}";
    }

private:
    core::Store& store_;
    std::map<Id128, std::string> names_;
};

std::string enum_name(const char* field, int i) {
    return i < 0 ? std::string() : choices_of(field)[std::size_t(i)];
}

std::vector<std::string> role_names(std::uint32_t bits) {
    const auto& roles = person_kind().sets[std::size_t(person_kind().set_index("roles"))].choices;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < roles.size() && i < 32; ++i)
        if (bits & (1u << i)) out.push_back(roles[i]);
    return out;
}

std::string opt_json(const std::string& s) { return s.empty() ? "null" : core::json_string(s); }
std::string opt_json(const std::optional<Id128>& id) {
    return id ? core::json_string(id->to_text()) : "null";
}

std::string row_json(const PersonEntry& p, DirectoryNames& names) {
    names.of(Kind::kStaff, p.owner);
    names.of(Kind::kRegion, p.region);
    names.of(Kind::kStore, p.store);
    names.of(Kind::kBrand, p.brand);
    std::string out =
        "{\"id\":" + core::json_string(p.id.to_text()) + ",\"name\":" + core::json_string(p.name);
    out += ",\"tier\":" + opt_json(enum_name("tier", p.tier));
    out += ",\"status\":" + opt_json(enum_name("status", p.status));
    out += ",\"consent\":" + opt_json(enum_name("consent", p.consent));
    out += ",\"consent_basis\":" + opt_json(enum_name("consent_basis", p.consent_basis));
    out += ",\"vetting\":" + opt_json(enum_name("vetting", p.vetting));
    out += ",\"country\":" + opt_json(p.country);
    out += ",\"roles\":" + core::json_string_array(role_names(p.roles));
    out += ",\"topics\":" + core::json_string_array(p.topics);
    out += ",\"languages\":" + core::json_string_array(p.languages);
    out += ",\"platforms\":" + core::json_string_array(p.platforms);
    out += ",\"audience\":" + std::to_string(p.audience);
    out += ",\"owner\":" + opt_json(p.owner) + ",\"region\":" + opt_json(p.region) +
           ",\"store\":" + opt_json(p.store) + ",\"brand\":" + opt_json(p.brand);
    out += ",\"last_contact\":" +
           (p.last_contact ? std::to_string(*p.last_contact) : std::string("null"));
    out += ",\"contacts\":" + std::to_string(p.contacts) + "}";
    return out;
}

std::string csv_view(const core::PeoplePage& page, DirectoryNames& names) {
    std::string out = csv_line({"id", "name", "tier", "roles", "topics", "country", "languages",
                                "platforms", "audience", "owner", "status", "consent_basis",
                                "vetting", "region", "store", "brand", "last_contact", "contacts"});
    for (const auto* p : page.people) {
        out += csv_line(
            {p->id.to_text(), guard_formula(p->name), enum_name("tier", p->tier),
             core::join(role_names(p->roles), "|"), guard_formula(core::join(p->topics, "|")),
             p->country, core::join(p->languages, "|"), core::join(p->platforms, "|"),
             std::to_string(p->audience), guard_formula(names.of(Kind::kStaff, p->owner)),
             enum_name("status", p->status), enum_name("consent_basis", p->consent_basis),
             enum_name("vetting", p->vetting), guard_formula(names.of(Kind::kRegion, p->region)),
             guard_formula(names.of(Kind::kStore, p->store)),
             guard_formula(names.of(Kind::kBrand, p->brand)),
             p->last_contact ? core::iso_date(*p->last_contact) : std::string(),
             std::to_string(p->contacts)});
    }
    return out;
}

}  // namespace

const std::vector<std::string>& people_query_params() {
    static const std::vector<std::string> names = {
        "tier",  "status",   "consent_basis",  "vetting",       "country", "role",
        "topic", "language", "platform",       "audience_min",  "owner",   "region",
        "store", "brand",    "contact_before", "contact_after", "q",       "sort"};
    return names;
}

Result<core::PeopleQuery> people_query(core::Store& store, const Principal& who,
                                       const RestRequest& req) {
    core::PeopleQuery q;
    auto& f = q.filter;
    for (const char* field : {"tier", "status", "consent_basis", "vetting"}) {
        auto v = param(req, field);
        if (!v) continue;
        auto list = enum_list(field, *v, choices_of(field));
        if (!list) return list.status();
        (std::string_view(field) == "tier"      ? f.tiers
         : std::string_view(field) == "status"  ? f.statuses
         : std::string_view(field) == "vetting" ? f.vettings
                                                : f.consent_bases) = list.value();
    }
    if (auto v = param(req, "role")) {
        auto list = enum_list(
            "role", *v, person_kind().sets[std::size_t(person_kind().set_index("roles"))].choices);
        if (!list) return list.status();
        for (int i : list.value()) f.roles |= 1u << unsigned(i);
    }
    struct TextFilter {
        const char* name;
        std::vector<std::string>* into;
        bool (*valid)(std::string_view);
        const char* what;
    };
    for (const auto& t :
         {TextFilter{"country", &f.countries, core::is_country, "a country code (FR)"},
          TextFilter{"language", &f.languages, core::is_language, "a language code (fr)"},
          TextFilter{"topic", &f.topics, is_topic, "a topic"},
          TextFilter{"platform", &f.platforms, is_platform, "a platform"}}) {
        auto v = param(req, t.name);
        if (!v) continue;
        auto list = text_list(t.name, *v, t.valid, t.what);
        if (!list) return list.status();
        *t.into = list.value();
    }
    if (param(req, "audience_min")) {
        auto n = size_param(req, "audience_min", 0, 0, 999'999'999);
        if (!n) return n.status();
        f.audience_min = std::int64_t(n.value());
    }
    if (auto v = param(req, "owner")) {
        if (*v == "none") {
            f.no_owner = true;
        } else if (*v == "me") {
            // The caller's linked staff member; a user linked to none owns nobody.
            if (who.staff.empty())
                return Status::invalid("owner: 'me' needs a user linked to a staff member");
            f.owner = who.staff.front();
        } else {
            auto id = id_param("owner", *v);
            if (!id) return id.status();
            f.owner = id.value();
        }
    }
    for (const char* field : {"region", "store", "brand"}) {
        auto v = param(req, field);
        if (!v) continue;
        auto id = id_param(field, *v);
        if (!id) return id.status();
        (std::string_view(field) == "region"  ? f.region
         : std::string_view(field) == "store" ? f.store
                                              : f.brand) = id.value();
    }
    for (const char* field : {"contact_before", "contact_after"}) {
        auto v = param(req, field);
        if (!v) continue;
        auto ms = day_param(field, *v);
        if (!ms) return ms.status();
        (std::string_view(field) == "contact_before" ? f.contact_before : f.contact_after) =
            ms.value();
    }
    if (auto v = param(req, "q")) {
        if (v->size() > 200) return Status(Code::kTooLong, "q: at most 200 bytes");
        auto hits = core::search_influencers(store, *v, kMaxSearchHits);
        if (!hits) return hits.status();
        for (const auto& h : hits.value()) f.only.push_back(store.root_of(h.id));
        // Nobody found: a filter nobody passes (an empty list means "anyone").
        if (f.only.empty()) f.only.push_back(Id128{});
    }
    if (auto v = param(req, "sort")) {
        std::string_view name = *v;
        q.descending = !name.empty() && name.front() == '-';
        if (q.descending) name.remove_prefix(1);
        auto it = std::find_if(std::begin(kSorts), std::end(kSorts),
                               [&](const Sort& s) { return name == s.name; });
        if (it == std::end(kSorts))
            return Status::invalid(
                "sort: one of name, last_contact, audience, tier, contacts (- before it: "
                "descending)");
        q.sort = it->sort;
    }
    if (!who.scope.global) {
        // The scope's rule over the person's own places and brand (sync/scope.hpp).
        const auto& k = person_kind();
        const auto region = std::size_t(k.field_index("region")),
                   store_f = std::size_t(k.field_index("store")),
                   brand = std::size_t(k.field_index("brand"));
        q.visible = [scope = who.scope, region, store_f, brand,
                     values =
                         std::vector<core::Value>(k.fields.size())](const PersonEntry& p) mutable {
            values[region] = p.region ? core::Value(p.region->to_text()) : core::Value{};
            values[store_f] = p.store ? core::Value(p.store->to_text()) : core::Value{};
            values[brand] = p.brand ? core::Value(p.brand->to_text()) : core::Value{};
            return scope.covers(Kind::kInfluencer, p.id, values);
        };
    }
    return q;
}

HttpReply directory(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    std::vector<std::string> allowed = people_query_params();
    allowed.insert(allowed.end(), {"limit", "offset", "format"});
    if (Status s = check_params(req, allowed); !s) return status_reply(s);
    const auto format = param(req, "format").value_or("json");
    if (format != "json" && format != "csv")
        return status_reply(Status::invalid("format: json or csv"));
    auto limit = size_param(req, "limit", kDefaultPageSize, 1, kMaxPageSize);
    if (!limit) return status_reply(limit.status());
    auto offset = size_param(req, "offset", 0, 0, kMaxOffset);
    if (!offset) return status_reply(offset.status());

    return backend.read([&](core::Store& store) -> HttpReply {
        auto q = people_query(store, who, req);
        if (!q) return status_reply(q.status());
        core::PeopleIndex& index = backend.people();
        if (Status s = index.catch_up(store); !s) return status_reply(s);
        DirectoryNames names(store);
        HttpReply reply;
        if (format == "csv") {
            q->limit = kMaxDirectoryExport;
            q->offset = 0;
            const auto view = index.query(q.value());
            reply.body = csv_view(view, names);
            // An export of personal data (api/audit.hpp): written before it is answered.
            if (Status a = audit_export(
                    store, who, "directory",
                    "rows:" + std::to_string(view.people.size()) + " " + export_scope(req));
                !a)
                return status_reply(a);
            reply.content_type = "text/csv; charset=utf-8";
            reply.headers.emplace_back("Content-Disposition",
                                       "attachment; filename=\"influencers.csv\"");
            return reply;
        }
        q->limit = limit.value();
        q->offset = offset.value();
        const auto page = index.query(q.value());
        std::string items = "[";
        for (std::size_t i = 0; i < page.people.size(); ++i)
            items += (i ? "," : "") + row_json(*page.people[i], names);
        items += "]";
        const std::size_t next = offset.value() + page.people.size();
        reply.body = "{\"total\":" + std::to_string(page.total) + ",\"items\":" + items +
                     ",\"names\":" + names.json() + ",\"next_offset\":" +
                     (next < page.total ? std::to_string(next) : std::string("null")) + "}";
        reply.content_type = kJsonType;
        reply.log_note = ",\"rows\":" + std::to_string(page.people.size());
        return reply;
    });
}

}  // namespace liaison::server
