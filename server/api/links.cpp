#include "server/api/links.hpp"

#include <algorithm>
#include <optional>

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

struct Link {
    Id128 id;
    std::string target;
};

// The live link with this code (the oldest, if a code was reused by mistake).
Result<std::optional<Link>> find_link(core::Store& store, std::string_view code) {
    const auto& k = core::kind_def(Kind::kTrackedLink);
    auto ids = store.ids_where(Kind::kTrackedLink, k.field_index("code"), std::string(code));
    if (!ids) return ids.status();
    std::sort(ids->begin(), ids->end(),
              [](const Id128& a, const Id128& b) { return a.bytes < b.bytes; });
    const auto target = std::size_t(k.field_index("target"));
    for (const auto& id : ids.value()) {
        auto row = store.load_row(Kind::kTrackedLink, id);
        if (!row) return row.status();
        if (!row.value() || !row.value()->visible()) continue;
        const auto* url = std::get_if<std::string>(&row.value()->values[target]);
        if (url) return std::optional<Link>(Link{id, *url});
    }
    return std::optional<Link>{};
}

}  // namespace

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
    auto link = backend.read([&](core::Store& store) { return find_link(store, code); });
    if (!link) {
        HttpReply r = text_reply(500, "the server failed; the incident is logged\n");
        r.log_note = ",\"detail\":" + json_string(link.status().to_string());
        return r;
    }
    if (!link.value()) return text_reply(404, "no such link\n");
    HttpReply r = text_reply(302, "see " + link.value()->target + "\n");
    r.headers.emplace_back("Location", link.value()->target);
    r.headers.emplace_back("Cache-Control", "no-store");  // every visit reaches us and counts
    if (!record) return r;
    sync::DeviceContext server;
    server.role = sync::Role::kCentral;
    server.scope = sync::Scope::everything();
    const std::string origin = referrer_origin(referrer);
    Status s = backend.submit(server, [&](core::Store&) -> Result<std::vector<sync::Op>> {
        thread_local auto ids = core::make_random_id_source();
        const std::uint64_t now = sync::SystemTimeSource{}.now_ms();
        sync::Op op;
        op.type = sync::OpType::kCreate;
        op.kind = Kind::kClick;
        op.entity = ids->next_entity_id(now);
        op.fields.push_back({"link", core::Value{link.value()->id.to_text()}});
        op.fields.push_back({"at", core::Value{std::int64_t(now)}});
        if (!origin.empty()) op.fields.push_back({"referrer", core::Value{origin}});
        return std::vector<sync::Op>{op};
    });
    // A click that could not be recorded must not break the visitor's link: logged only.
    r.log_note = s ? ",\"click\":\"recorded\""
                   : ",\"click\":\"failed\",\"detail\":" + json_string(s.to_string());
    return r;
}

}  // namespace liaison::server
