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

bool is_code_text(std::string_view code) {
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

bool valid_code(std::string_view code) {
    if (code.size() < kMinLinkCode || code.size() > kMaxLinkCode) return false;
    return is_code_text(code);
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

// A new visitor id: 120 random bits as 24 Crockford base32 characters (a FieldType::kCode).
std::string new_visitor_id() {
    thread_local auto ids = core::make_random_id_source();
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const Id128 r = ids->next_replica_id();
    std::string out;
    for (std::size_t i = 0; i < kVisitorIdChars; ++i) {
        const std::size_t bit = i * 5;
        const unsigned hi = r.bytes[bit / 8], lo = bit / 8 + 1 < 16 ? r.bytes[bit / 8 + 1] : 0u;
        out += kAlphabet[(((hi << 8) | lo) >> (11 - bit % 8)) & 31];
    }
    return out;
}

// The value of the cookie `name` in a Cookie header ("a=1; lv=XYZ"), or "".
std::string_view cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const std::size_t end = header.find(';');
        std::string_view pair = header.substr(0, end);
        header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        const std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    }
    return {};
}

}  // namespace

VisitorDecision visitor_decision(const LinkVisit& visit) {
    VisitorDecision d;
    const bool opted_out = visit.gpc == "1" || visit.dnt == "1" || visit.consent == "0";
    const std::string_view cookie = cookie_value(visit.cookie, kVisitorCookie);
    const bool agreed = visit.consent == "1" || cookie_value(visit.cookie, kConsentCookie) == "1";
    if (opted_out) {
        // A refusal, GPC or DNT also forgets an id given before.
        d.forget = !cookie.empty();
        return d;
    }
    if (!agreed) return d;
    d.id = cookie.size() >= 4 && cookie.size() <= 32 && is_code_text(cookie) ? std::string(cookie)
                                                                             : new_visitor_id();
    return d;
}

std::string with_visitor(std::string_view target, std::string_view id) {
    const std::size_t hash = target.find('#');
    std::string out(target.substr(0, hash));
    out += out.find('?') == std::string::npos ? '?' : '&';
    out += kVisitorParam;
    out += '=';
    out += id;
    if (hash != std::string_view::npos) out += target.substr(hash);
    return out;
}

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

HttpReply handle_link(SyncBackend& backend, std::string_view code, const LinkVisit& visit,
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
    // A visitor id only for a visit we count (not a link preview, not over the rate limit),
    // and only with the shopper's agreement (visitor_decision).
    const VisitorDecision visitor = record ? visitor_decision(visit) : VisitorDecision{};
    const std::string target = visitor.id.empty() ? *to : with_visitor(*to, visitor.id);
    HttpReply r = text_reply(302, "see " + target + "\n");
    r.headers.emplace_back("Location", target);
    r.headers.emplace_back("Cache-Control", "no-store");  // every visit reaches us and counts
    const std::string secure = visit.https ? "; Secure" : "";
    if (!visitor.id.empty())
        r.headers.emplace_back("Set-Cookie",
                               std::string(kVisitorCookie) + "=" + visitor.id +
                                   "; Max-Age=" + std::to_string(kVisitorCookieMaxAgeS) +
                                   "; Path=/l/; HttpOnly; SameSite=Lax" + secure);
    else if (visitor.forget)
        r.headers.emplace_back("Set-Cookie", std::string(kVisitorCookie) +
                                                 "=; Max-Age=0; Path=/l/; HttpOnly; SameSite=Lax" +
                                                 secure);
    if (!record) return r;
    sync::DeviceContext server;
    server.role = sync::Role::kCentral;
    server.scope = sync::Scope::everything();
    const std::string origin = referrer_origin(visit.referrer);
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
        if (!visitor.id.empty()) op.fields.push_back({"visitor", core::Value{visitor.id}});
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
