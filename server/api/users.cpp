#include "server/api/users.hpp"

#include <optional>
#include <string>
#include <vector>

#include "core/util/text.hpp"
#include "server/api/admin.hpp"
#include "server/api/json.hpp"

namespace liaison::server {
namespace {

const std::vector<std::string_view> kUserFields = {"name",   "role",   "regions",
                                                   "stores", "brands", "disabled"};

std::string user_json(core::Store& store, const UserRow& u) {
    auto staff = user_staff(store, u.id);
    return "{\"id\":" + std::to_string(u.id) + ",\"name\":" + json_string(u.name) +
           ",\"role\":" + json_string(u.role) +
           ",\"regions\":" + json_string_array(core::split_list(u.regions)) +
           ",\"stores\":" + json_string_array(core::split_list(u.stores)) +
           ",\"brands\":" + json_string_array(core::split_list(u.brands)) +
           ",\"disabled\":" + (u.disabled ? "true" : "false") +
           ",\"staff\":" + (staff ? staff_json(staff.value()) : std::string("[]")) + "}";
}

Result<std::optional<sync::Role>> role_member(const rapidjson::Value& obj) {
    auto text = string_member(obj, "role");
    if (!text) return text.status();
    if (!text.value()) return std::optional<sync::Role>();
    auto role = sync::role_from_name(*text.value());
    if (!role)
        return Status(Code::kUnknownValue,
                      "role: one of admin, central, regional, store, field, integration");
    return std::optional<sync::Role>(*role);
}

// The scope lists of a body, into `patch` (null or absent: unchanged).
Status read_lists(const rapidjson::Value& obj, UserPatch& patch) {
    for (auto [name, out] :
         {std::pair{"regions", &patch.regions}, std::pair{"stores", &patch.stores},
          std::pair{"brands", &patch.brands}}) {
        auto list = string_list_member(obj, name, kMaxScopeIds);
        if (!list) return list.status();
        *out = std::move(list).value();
    }
    return Status::ok();
}

HttpReply one_user(core::Store& store, std::int64_t id, int status) {
    auto row = core::find_user(store, id);
    if (!row) return status_reply(row.status());
    if (!row.value()) return error_reply(404, "not_found", "no such user");
    HttpReply r;
    r.status = status;
    r.body = user_json(store, *row.value());
    if (status == 201)
        r.headers.emplace_back("Location", "/api/v1/admin/users/" + std::to_string(id));
    return r;
}

}  // namespace

HttpReply handle_users(SyncBackend& backend, const Principal& who, std::string_view method,
                       std::string_view user_text, std::string_view content_type,
                       std::string_view body) {
    if (user_text.empty()) {
        if (method == "GET")
            return backend.read([&](core::Store& store) -> HttpReply {
                auto users = list_users(store);
                if (!users) return status_reply(users.status());
                std::string out = "{\"items\":[";
                for (const auto& u : users.value()) {
                    if (out.back() != '[') out += ',';
                    out += user_json(store, u);
                }
                HttpReply r;
                r.body = out + "]}";
                return r;
            });
        // POST: a new user.
        if (auto bad = check_json_type(content_type)) return *bad;
        auto doc = parse_admin_body(body, {"name", "role", "regions", "stores", "brands"});
        if (!doc) return field_status_reply(doc.status(), kUserFields);
        UserSpec spec;
        auto name = string_member(doc.value(), "name");
        if (!name) return field_status_reply(name.status(), kUserFields);
        const std::string given = name.value().value_or("");
        spec.name = std::string(core::trim(given, " "));
        auto role = role_member(doc.value());
        if (!role) return field_status_reply(role.status(), kUserFields);
        if (!role.value())
            return field_status_reply(Status(Code::kRequired, "role: required"), kUserFields);
        spec.role = *role.value();
        UserPatch lists;
        if (Status s = read_lists(doc.value(), lists); !s)
            return field_status_reply(s, kUserFields);
        spec.regions = lists.regions.value_or(std::vector<std::string>{});
        spec.stores = lists.stores.value_or(std::vector<std::string>{});
        spec.brands = lists.brands.value_or(std::vector<std::string>{});
        return backend.read([&](core::Store& store) -> HttpReply {
            auto id = add_user(store, spec, user_actor(who));
            if (!id) return field_status_reply(id.status(), kUserFields);
            return one_user(store, id.value(), 201);
        });
    }
    const auto user = parse_user_id(user_text);
    if (!user) return error_reply(404, "not_found", "there is nothing at this address");
    if (method == "GET")
        return backend.read([&](core::Store& store) { return one_user(store, *user, 200); });
    // PATCH
    if (auto bad = check_json_type(content_type)) return *bad;
    auto doc = parse_admin_body(body, {"role", "regions", "stores", "brands", "disabled"});
    if (!doc) return field_status_reply(doc.status(), kUserFields);
    UserPatch patch;
    auto role = role_member(doc.value());
    if (!role) return field_status_reply(role.status(), kUserFields);
    patch.role = role.value();
    if (Status s = read_lists(doc.value(), patch); !s) return field_status_reply(s, kUserFields);
    auto disabled = bool_member(doc.value(), "disabled");
    if (!disabled) return field_status_reply(disabled.status(), kUserFields);
    patch.disabled = disabled.value();
    return backend.read([&](core::Store& store) -> HttpReply {
        if (Status s = update_user(store, *user, patch, user_actor(who)); !s)
            return field_status_reply(s, kUserFields);
        return one_user(store, *user, 200);
    });
}

}  // namespace liaison::server
