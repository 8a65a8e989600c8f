#include "server/api/links.hpp"

#include <algorithm>
#include <optional>

#include "core/query/queries.hpp"
#include "core/util/text.hpp"
#include "server/api/json.hpp"
#include "sync/hlc.hpp"

namespace liaison::server {
namespace {

using core::Id128;
using core::Kind;

bool valid_code(std::string_view code) {
    if (code.size() < kMinLinkCode || code.size() > kMaxLinkCode) return false;
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

HttpReply text_reply(int status, std::string body) {
    HttpReply r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
}

// Sets `out` to the row's field unless it is set already.
void take(std::string& out, const core::RowState& from, const char* field) {
    if (const std::string* v = from.text(field); v && out.empty()) out = *v;
}

void take_keys(Attribution& a, const core::RowState& from) {
    take(a.brand, from, "brand");
    take(a.region, from, "region");
    take(a.store, from, "store");
}

}  // namespace

Result<std::optional<core::RowState>> find_by_code(core::Store& store, Kind kind, const char* field,
                                                   std::string_view code) {
    using Out = std::optional<core::RowState>;
    auto ids = store.ids_where(kind, core::kind_def(kind).field_index(field), std::string(code));
    if (!ids) return ids.status();
    std::sort(ids->begin(), ids->end());
    for (const auto& id : ids.value()) {
        auto row = store.load_row(kind, id);
        if (!row) return row.status();
        if (row.value() && row.value()->visible()) return Out(std::move(row).value());
    }
    return Out();
}

Result<Attribution> attribution_of(core::Store& store, const core::RowState& row) {
    Attribution a;
    if (row.kind == Kind::kTrackedLink) {
        a.link = row.id.to_text();
        take(a.collaboration, row, "collaboration");
    } else {
        a.collaboration = row.id.to_text();
        take(a.link, row, "link");
    }
    take(a.influencer, row, "influencer");
    if (auto person = Id128::from_text(a.influencer))
        a.influencer = store.root_of(*person).to_text();  // merged duplicates: the survivor
    take(a.campaign, row, "campaign");
    if (auto campaign = Id128::from_text(a.campaign)) {
        auto c = core::get_entity(store, Kind::kCampaign, *campaign);
        if (!c) return c.status();
        if (c.value()) take_keys(a, *c.value());
    }
    take_keys(a, row);  // what the campaign left unset
    return a;
}

std::string referrer_origin(std::string_view r) {
    std::string_view scheme;
    if (r.substr(0, 8) == "https://")
        scheme = "https://";
    else if (r.substr(0, 7) == "http://")
        scheme = "http://";
    else
        return "";
    std::string_view rest = r.substr(scheme.size());
    rest = rest.substr(0, rest.find_first_of("/?#"));
    // user:password@host is dropped with the rest (never recorded): no origin at all.
    if (rest.empty() || rest.size() > 255 || rest.find('@') != std::string_view::npos) return "";
    for (char c : rest)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
            return "";
    std::string out(scheme);
    out += core::ascii_lower(rest);
    return out;
}

HttpReply handle_link(SyncBackend& backend, std::string_view code, std::string_view referrer,
                      bool record) {
    if (!valid_code(code)) return text_reply(404, "no such link\n");
    auto link = backend.read(
        [&](core::Store& store) { return find_by_code(store, Kind::kTrackedLink, "code", code); });
    if (!link) {
        HttpReply r = text_reply(500, "the server failed; the incident is logged\n");
        r.log_note = ",\"detail\":" + json_string(link.status().to_string());
        return r;
    }
    const std::string* to = link.value() ? link.value()->text("target") : nullptr;
    if (!to) return text_reply(404, "no such link\n");
    const std::string target = *to;
    HttpReply r = text_reply(302, "see " + target + "\n");
    r.headers.emplace_back("Location", target);
    r.headers.emplace_back("Cache-Control", "no-store");  // every visit reaches us and counts
    if (!record) return r;
    sync::DeviceContext server;
    server.role = sync::Role::kCentral;
    server.scope = sync::Scope::everything();
    const std::string origin = referrer_origin(referrer);
    Status s = backend.submit(server, [&](core::Store& store) -> Result<std::vector<sync::Op>> {
        thread_local auto ids = core::make_random_id_source();
        const std::uint64_t now = sync::SystemTimeSource{}.now_ms();
        // The click carries its link's campaign and scope keys: a store campaign's clicks
        // reach that store's devices only.
        auto a = attribution_of(store, *link.value());
        if (!a) return a.status();
        sync::Op op;
        op.type = sync::OpType::kCreate;
        op.kind = Kind::kClick;
        op.entity = ids->next_entity_id(now);
        op.fields.push_back({"link", core::Value{link.value()->id.to_text()}});
        op.fields.push_back({"at", core::Value{std::int64_t(now)}});
        if (!origin.empty()) op.fields.push_back({"referrer", core::Value{origin}});
        for (auto [name, v] : {std::pair{"campaign", &a->campaign}, std::pair{"brand", &a->brand},
                               std::pair{"region", &a->region}, std::pair{"store", &a->store}})
            if (!v->empty()) op.fields.push_back({name, core::Value{*v}});
        return std::vector<sync::Op>{op};
    });
    // A click that could not be recorded must not break the visitor's link: logged only.
    r.log_note = s ? ",\"click\":\"recorded\""
                   : ",\"click\":\"failed\",\"detail\":" + json_string(s.to_string());
    return r;
}

}  // namespace liaison::server
