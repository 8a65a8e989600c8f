#include "server/api/admin.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>

#include "core/util/json.hpp"
#include "server/api/json.hpp"

namespace liaison::server {
namespace {

// {"staff":["<id>",…]}: nothing else, strings only.
Result<std::vector<std::string>> staff_body(std::string_view body) {
    LIAISON_TRY(core::check_json_depth(body));  // the parser recurses once per level
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    const Status shape = Status::invalid(R"(send {"staff":["<staff id>", …]})");
    if (doc.HasParseError() || !doc.IsObject() || doc.MemberCount() != 1) return shape;
    auto m = doc.FindMember("staff");
    if (m == doc.MemberEnd() || !m->value.IsArray()) return shape;
    if (m->value.Size() > kMaxLinkedStaff)
        return Status(Code::kTooLarge,
                      "staff: at most " + std::to_string(kMaxLinkedStaff) + " staff members");
    std::vector<std::string> out;
    for (const auto& v : m->value.GetArray()) {
        if (!v.IsString()) return shape;
        out.emplace_back(v.GetString(), v.GetStringLength());
    }
    return out;
}

}  // namespace

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
    std::int64_t user = 0;
    for (char c : user_text) {
        if (c < '0' || c > '9' || user > (INT64_MAX - 9) / 10) {
            user = 0;
            break;
        }
        user = user * 10 + (c - '0');
    }
    if (user <= 0) return error_reply(404, "not_found", "there is nothing at this address");
    std::optional<StaffEdit> edit;
    if (method == "PUT") {
        if (media_type(content_type) != kJsonType)
            return error_reply(415, "unsupported_media_type", "send the body as application/json");
        auto ids = staff_body(body);
        if (!ids) return status_reply(ids.status());
        edit = StaffEdit{std::move(ids).value(), {}, {}};
    }
    return backend.read([&](core::Store& store) -> HttpReply {
        if (edit)
            if (Status s = edit_user_staff(store, user, *edit, "user:" + std::to_string(who.user));
                !s)
                return status_reply(s);
        auto staff = user_staff(store, user);
        if (!staff) return status_reply(staff.status());
        HttpReply r;
        r.body =
            "{\"user\":" + std::to_string(user) + ",\"staff\":" + staff_json(staff.value()) + "}";
        return r;
    });
}

}  // namespace liaison::server
