#include "server/api/admin.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include "core/util/json.hpp"
#include "server/api/json.hpp"

namespace liaison::server {
namespace {

// {"staff":["<id>",…]}: nothing else, strings only.
Result<std::vector<std::string>> staff_body(std::string_view body) {
    auto doc = parse_admin_body(body, {"staff"});
    if (!doc) return doc.status();
    auto staff = string_list_member(doc.value(), "staff", kMaxLinkedStaff);
    if (!staff) return staff.status();
    if (!staff.value())
        return Status(Code::kRequired, R"(staff: send {"staff":["<staff id>", …]})");
    return std::move(*staff.value());
}

}  // namespace

std::optional<std::int64_t> parse_user_id(std::string_view text) {
    std::int64_t user = 0;
    if (text.empty() || text.size() > 18) return std::nullopt;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        user = user * 10 + (c - '0');
    }
    if (user <= 0) return std::nullopt;
    return user;
}

std::string user_actor(const Principal& who) { return "user:" + std::to_string(who.user); }

std::optional<HttpReply> check_json_type(std::string_view content_type) {
    if (media_type(content_type) != kJsonType)
        return error_reply(415, "unsupported_media_type", "send the body as application/json");
    return std::nullopt;
}

Result<rapidjson::Document> parse_admin_body(std::string_view body,
                                             std::initializer_list<std::string_view> allowed) {
    if (body.size() > kMaxAdminBodyBytes)
        return Status(Code::kTooLarge,
                      "body: at most " + std::to_string(kMaxAdminBodyBytes / 1024) + " KiB");
    LIAISON_TRY(core::check_json_depth(body));  // the parser recurses once per level
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError() || !doc.IsObject())
        return Status(Code::kMalformed, "body: send one JSON object");
    for (const auto& m : doc.GetObject()) {
        const std::string_view name(m.name.GetString(), m.name.GetStringLength());
        bool known = false;
        for (auto a : allowed) known = known || a == name;
        if (!known)
            return Status(Code::kUnknownField,
                          std::string(name.substr(0, 64)) + ": not accepted here");
    }
    return doc;
}

Result<std::optional<std::string>> string_member(const rapidjson::Value& obj, const char* name) {
    auto m = obj.FindMember(name);
    if (m == obj.MemberEnd() || m->value.IsNull()) return std::optional<std::string>();
    if (!m->value.IsString()) return Status(Code::kBadFormat, std::string(name) + ": a string");
    return std::optional<std::string>(
        std::string(m->value.GetString(), m->value.GetStringLength()));
}

Result<std::optional<std::vector<std::string>>> string_list_member(const rapidjson::Value& obj,
                                                                   const char* name,
                                                                   std::size_t max_items) {
    using Out = std::optional<std::vector<std::string>>;
    auto m = obj.FindMember(name);
    if (m == obj.MemberEnd() || m->value.IsNull()) return Out();
    if (!m->value.IsArray()) return Status(Code::kBadFormat, std::string(name) + ": a list of ids");
    if (m->value.Size() > max_items)
        return Status(Code::kTooLarge,
                      std::string(name) + ": at most " + std::to_string(max_items) + " ids");
    std::vector<std::string> out;
    for (const auto& v : m->value.GetArray()) {
        if (!v.IsString()) return Status(Code::kBadFormat, std::string(name) + ": a list of ids");
        out.emplace_back(v.GetString(), v.GetStringLength());
    }
    return Out(std::move(out));
}

Result<std::optional<bool>> bool_member(const rapidjson::Value& obj, const char* name) {
    auto m = obj.FindMember(name);
    if (m == obj.MemberEnd() || m->value.IsNull()) return std::optional<bool>();
    if (!m->value.IsBool()) return Status(Code::kBadFormat, std::string(name) + ": true or false");
    return std::optional<bool>(m->value.GetBool());
}

Result<std::optional<std::int64_t>> int_member(const rapidjson::Value& obj, const char* name) {
    auto m = obj.FindMember(name);
    if (m == obj.MemberEnd() || m->value.IsNull()) return std::optional<std::int64_t>();
    if (!m->value.IsInt64())
        return Status(Code::kBadFormat, std::string(name) + ": a whole number");
    return std::optional<std::int64_t>(m->value.GetInt64());
}

HttpReply field_status_reply(const Status& s, const std::vector<std::string_view>& fields) {
    HttpReply r = status_reply(s);
    if (r.status >= 500) return r;
    const std::string& detail = s.detail();
    // A member the route does not take is named as sent (parse_admin_body).
    if (s.code() == Code::kUnknownField && detail.find(':') != std::string::npos) {
        r.body =
            json_error(code_name(s.code()), plain_message(s), detail.substr(0, detail.find(':')));
        return r;
    }
    for (auto f : fields)
        if (detail.size() > f.size() + 1 && detail.compare(0, f.size(), f) == 0 &&
            detail[f.size()] == ':') {
            r.body = json_error(code_name(s.code()), plain_message(s), f);
            break;
        }
    return r;
}

std::string staff_json(const std::vector<LinkedStaff>& staff) {
    std::string out = "[";
    for (const auto& s : staff) {
        if (out.size() > 1) out += ',';
        out += "{\"id\":" + json_string(s.id) +
               ",\"name\":" + (s.name ? json_string(*s.name) : std::string("null")) + "}";
    }
    return out + "]";
}

HttpReply handle_user_staff(SyncBackend& backend, const Principal& who, std::string_view method,
                            std::string_view user_text, std::string_view content_type,
                            std::string_view body) {
    const auto user = parse_user_id(user_text);
    if (!user) return error_reply(404, "not_found", "there is nothing at this address");
    std::optional<StaffEdit> edit;
    if (method == "PUT") {
        if (auto bad = check_json_type(content_type)) return *bad;
        auto ids = staff_body(body);
        if (!ids) return field_status_reply(ids.status(), {"staff"});
        edit = StaffEdit{std::move(ids).value(), {}, {}};
    }
    return backend.read([&](core::Store& store) -> HttpReply {
        if (edit)
            if (Status s = edit_user_staff(store, *user, *edit, user_actor(who)); !s)
                return field_status_reply(s, {"staff"});
        auto staff = user_staff(store, *user);
        if (!staff) return status_reply(staff.status());
        HttpReply r;
        r.body =
            "{\"user\":" + std::to_string(*user) + ",\"staff\":" + staff_json(staff.value()) + "}";
        return r;
    });
}

}  // namespace liaison::server
