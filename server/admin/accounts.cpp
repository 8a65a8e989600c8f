#include "server/admin/accounts.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "core/storage/evidence.hpp"
#include "core/util/text.hpp"
#include "server/auth/auth.hpp"

namespace liaison::server {
namespace {

// The user's lists as the account table stores them: "id1,id2" (read back with core::split_list).
std::string join(const std::vector<std::string>& v) { return core::join(v, ","); }

std::size_t utf8_chars(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

bool has_control(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7F) return true;
    return false;
}

Status check_device_label(std::string_view device) {
    if (utf8_chars(device) > kMaxDeviceLabelChars || has_control(device))
        return Status::invalid("device: at most " + std::to_string(kMaxDeviceLabelChars) +
                               " characters, no control characters");
    return Status::ok();
}

// A new token's id, secret and salt, from the OS's random source.
struct FreshToken {
    std::string id, secret, salt;
};
Result<FreshToken> fresh_token() {
    FreshToken t;
    for (auto [out, bytes] :
         {std::pair{&t.id, kTokenIdBytes}, std::pair{&t.secret, kTokenSecretBytes},
          std::pair{&t.salt, kTokenSaltBytes}}) {
        auto hex = random_hex(bytes);
        if (!hex) return hex.status();
        *out = std::move(hex).value();
    }
    return t;
}

Status check_ids(const char* what, const std::vector<std::string>& ids) {
    for (const auto& id : ids)
        if (!core::Id128::from_text(id))
            return Status::invalid(std::string(what) + ": '" + id +
                                   "' is not an entity id (26 characters of Crockford base32)");
    return Status::ok();
}

}  // namespace

std::int64_t wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool has_server_schema(core::Store& store) { return core::has_accounts_schema(store); }

Status ensure_server_schema(core::Store& store) {
    LIAISON_TRY(core::ensure_accounts_schema(store));
    return core::ensure_evidence_schema(store);
}

Status audit(core::Store& store, std::string_view actor, std::string_view action,
             std::string_view subject) {
    return core::insert_audit(store, wall_ms(), actor, action, subject);
}

Result<ReplicaOwner> bind_replica(core::Store& store, const core::Id128& replica,
                                  const ReplicaOwner& caller) {
    return core::bind_replica(store, replica, caller, wall_ms());
}

Status check_user(const UserSpec& u) {
    if (u.name.empty()) return Status(Code::kRequired, "name: required");
    if (utf8_chars(u.name) > kMaxUserNameChars)
        return Status(Code::kTooLong,
                      "name: at most " + std::to_string(kMaxUserNameChars) + " characters");
    if (has_control(u.name))
        return Status(Code::kBadFormat, "name: control characters are not allowed");
    for (const auto* list : {&u.regions, &u.stores, &u.brands})
        if (list->size() > kMaxScopeIds)
            return Status(Code::kTooLarge, std::string(list == &u.regions  ? "regions"
                                                       : list == &u.stores ? "stores"
                                                                           : "brands") +
                                               ": at most " + std::to_string(kMaxScopeIds) +
                                               " ids");
    LIAISON_TRY(check_ids("regions", u.regions));
    LIAISON_TRY(check_ids("stores", u.stores));
    LIAISON_TRY(check_ids("brands", u.brands));
    // A scoped role with an empty scope would see only unplaced records: surely a mistake.
    switch (u.role) {
        case sync::Role::kRegional:
            if (u.regions.empty())
                return Status::invalid("regions: a regional user needs --regions");
            break;
        case sync::Role::kStore:
            if (u.stores.empty()) return Status::invalid("stores: a store user needs --stores");
            break;
        case sync::Role::kField:
            if (u.regions.empty() && u.stores.empty())
                return Status::invalid("stores: a field user needs --regions or --stores");
            break;
        default:
            break;
    }
    return Status::ok();
}

Result<std::int64_t> add_user(core::Store& store, const UserSpec& u, std::string_view actor) {
    LIAISON_TRY(check_user(u));
    core::AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    core::UserRow row;
    row.name = u.name;
    row.role = sync::role_name(u.role);
    row.regions = join(u.regions);
    row.stores = join(u.stores);
    row.brands = join(u.brands);
    auto added = core::insert_user(store, row, wall_ms());
    if (!added) return added.status();
    const std::int64_t id = added.value();
    // The audit names the user by id and role only: names are personal data.
    LIAISON_TRY(audit(store, actor, "user.add",
                      "user:" + std::to_string(id) + " role:" + sync::role_name(u.role)));
    LIAISON_TRY(t.commit());
    return id;
}

Status set_user_disabled(core::Store& store, std::int64_t user, bool disabled,
                         std::string_view actor) {
    core::AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    auto found = core::update_user_disabled(store, user, disabled);
    if (!found) return found.status();
    if (!found.value()) return Status::not_found("user " + std::to_string(user) + ": no such user");
    LIAISON_TRY(audit(store, actor, disabled ? "user.disable" : "user.enable",
                      "user:" + std::to_string(user)));
    return t.commit();
}

Status set_user_scope(core::Store& store, std::int64_t user, std::vector<std::string> regions,
                      std::vector<std::string> stores, std::vector<std::string> brands,
                      std::string_view actor) {
    auto users = list_users(store);
    if (!users) return users.status();
    auto row = std::find_if(users.value().begin(), users.value().end(),
                            [&](const UserRow& u) { return u.id == user; });
    if (row == users.value().end())
        return Status::not_found("user " + std::to_string(user) + ": no such user");
    UserSpec spec;
    spec.name = row->name;
    spec.role = sync::role_from_name(row->role).value_or(sync::Role::kField);
    spec.regions = std::move(regions);
    spec.stores = std::move(stores);
    spec.brands = std::move(brands);
    LIAISON_TRY(check_user(spec));
    core::AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    if (auto set = core::update_user_lists(store, user, join(spec.regions), join(spec.stores),
                                           join(spec.brands));
        !set)
        return set.status();
    LIAISON_TRY(audit(store, actor, "user.scope",
                      "user:" + std::to_string(user) + " regions:" + join(spec.regions) +
                          " stores:" + join(spec.stores) + " brands:" + join(spec.brands)));
    return t.commit();
}

Status update_user(core::Store& store, std::int64_t user, const UserPatch& patch,
                   std::string_view actor) {
    core::AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    auto found = core::find_user(store, user);
    if (!found) return found.status();
    if (!found.value()) return Status::not_found("user " + std::to_string(user) + ": no such user");
    const auto& row = *found.value();
    UserSpec spec;
    spec.name = row.name;
    spec.role =
        patch.role ? *patch.role : sync::role_from_name(row.role).value_or(sync::Role::kField);
    spec.regions = patch.regions ? *patch.regions : core::split_list(row.regions);
    spec.stores = patch.stores ? *patch.stores : core::split_list(row.stores);
    spec.brands = patch.brands ? *patch.brands : core::split_list(row.brands);
    LIAISON_TRY(check_user(spec));
    const std::string subject = "user:" + std::to_string(user);
    if (patch.role && sync::role_name(spec.role) != row.role) {
        if (auto set = core::update_user_role(store, user, sync::role_name(spec.role)); !set)
            return set.status();
        LIAISON_TRY(
            audit(store, actor, "user.role", subject + " role:" + sync::role_name(spec.role)));
    }
    if (patch.regions || patch.stores || patch.brands) {
        if (auto set = core::update_user_lists(store, user, join(spec.regions), join(spec.stores),
                                               join(spec.brands));
            !set)
            return set.status();
        LIAISON_TRY(audit(store, actor, "user.scope",
                          subject + " regions:" + join(spec.regions) +
                              " stores:" + join(spec.stores) + " brands:" + join(spec.brands)));
    }
    if (patch.disabled && *patch.disabled != row.disabled) {
        if (auto set = core::update_user_disabled(store, user, *patch.disabled); !set)
            return set.status();
        LIAISON_TRY(audit(store, actor, *patch.disabled ? "user.disable" : "user.enable", subject));
    }
    return t.commit();
}

namespace {

// "a" or "an" before a kind's name, for messages ("is an event, not a staff member").
const char* article(std::string_view word) {
    return !word.empty() && std::string_view("aeiou").find(word[0]) != std::string_view::npos ? "an"
                                                                                              : "a";
}

// A staff id newly linked: not a record of another kind, nor erased (the erased person's links
// would let nobody act as her, and keep an id the erasure should have ended).
Status check_staff_record(core::Store& store, const core::Id128& id) {
    const std::string text = id.to_text();
    if (store.is_erased(id)) return Status::invalid("staff: " + text + " was erased");
    if (store.has_alias(id))
        return Status::invalid("staff: " + text + " is an influencer, not a staff member");
    for (const auto& k : core::all_kinds()) {
        if (k.kind == core::Kind::kStaff) continue;
        auto held = store.has_row(k.kind, id);
        if (!held) return held.status();
        if (held.value())
            return Status::invalid("staff: " + text + " is " + article(k.name) + " " + k.name +
                                   ", not a staff member");
    }
    return Status::ok();
}

Result<core::UserRow> must_find_user(core::Store& store, std::int64_t user) {
    auto row = core::find_user(store, user);
    if (!row) return row.status();
    if (!row.value()) return Status::not_found("user " + std::to_string(user) + ": no such user");
    return std::move(*row.value());
}

}  // namespace

Status check_staff_ids(const std::vector<std::string>& ids) { return check_ids("staff", ids); }

Result<std::vector<LinkedStaff>> describe_staff(core::Store& store,
                                                const std::vector<std::string>& ids) {
    const auto& k = core::kind_def(core::Kind::kStaff);
    const auto name_field = std::size_t(k.field_index("name"));
    std::vector<LinkedStaff> out;
    for (const auto& text : ids) {
        LinkedStaff s{text, std::nullopt};
        if (auto id = core::Id128::from_text(text)) {
            auto row = store.load_row(core::Kind::kStaff, *id);
            if (!row) return row.status();
            if (row.value() && row.value()->visible())
                if (const auto* n = std::get_if<std::string>(&row.value()->values[name_field]))
                    s.name = *n;
        }
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::vector<LinkedStaff>> user_staff(core::Store& store, std::int64_t user) {
    if (auto row = must_find_user(store, user); !row) return row.status();
    auto ids = core::list_user_staff(store, user);
    if (!ids) return ids.status();
    return describe_staff(store, ids.value());
}

Status edit_user_staff(core::Store& store, std::int64_t user, const StaffEdit& edit,
                       std::string_view actor) {
    if (edit.replace) LIAISON_TRY(check_staff_ids(*edit.replace));
    LIAISON_TRY(check_staff_ids(edit.add));
    LIAISON_TRY(check_staff_ids(edit.remove));
    core::AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    if (auto row = must_find_user(store, user); !row) return row.status();
    auto before = core::list_user_staff(store, user);
    if (!before) return before.status();
    std::vector<std::string> now = edit.replace ? *edit.replace : before.value();
    now.insert(now.end(), edit.add.begin(), edit.add.end());
    std::vector<std::string> linked;
    for (auto& text : now) {
        text = core::Id128::from_text(text)->to_text();  // one spelling: upper case
        const bool removed = std::any_of(
            edit.remove.begin(), edit.remove.end(),
            [&](const std::string& r) { return core::Id128::from_text(r)->to_text() == text; });
        if (removed || std::find(linked.begin(), linked.end(), text) != linked.end()) continue;
        const bool fresh =
            std::find(before.value().begin(), before.value().end(), text) == before.value().end();
        if (fresh) LIAISON_TRY(check_staff_record(store, *core::Id128::from_text(text)));
        linked.push_back(text);
    }
    if (linked.size() > kMaxLinkedStaff)
        return Status(Code::kTooLarge,
                      "staff: at most " + std::to_string(kMaxLinkedStaff) + " staff members");
    LIAISON_TRY(core::replace_user_staff(store, user, linked, wall_ms()));
    LIAISON_TRY(audit(store, actor, "user.staff",
                      "user:" + std::to_string(user) + " staff:" + join(linked)));
    return t.commit();
}

Result<IssuedToken> issue_token(core::Store& store, std::int64_t user, std::string_view device,
                                std::string_view actor) {
    LIAISON_TRY(check_device_label(device));
    auto fresh = fresh_token();
    if (!fresh) return fresh.status();
    const auto& [id, secret, salt] = fresh.value();

    core::AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    {
        auto row = core::find_user(store, user);
        if (!row) return row.status();
        if (!row.value() || row.value()->disabled)
            return Status::not_found("user " + std::to_string(user) +
                                     ": no such user (or disabled)");
    }
    LIAISON_TRY(core::insert_token(store, core::NewToken{id, user, std::string(device), salt,
                                                         token_hash(salt, secret), wall_ms()}));
    LIAISON_TRY(
        audit(store, actor, "token.issue", "token:" + id + " user:" + std::to_string(user)));
    LIAISON_TRY(t.commit());
    return IssuedToken{id, format_token({id, secret})};
}

Status revoke_token(core::Store& store, std::string_view token_id, std::string_view actor) {
    core::AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    auto found = core::mark_token_revoked(store, token_id, wall_ms());
    if (!found) return found.status();
    if (!found.value())
        return Status::not_found("token " + std::string(token_id) + ": no such token");
    LIAISON_TRY(audit(store, actor, "token.revoke", "token:" + std::string(token_id)));
    return t.commit();
}

namespace {

constexpr std::size_t kCodeIdHex = 16, kCodeSecretHex = 32;

}  // namespace

Result<IssuedCode> issue_signin_code(core::Store& store, std::int64_t user, std::string_view device,
                                     std::int64_t minutes, std::string_view actor) {
    LIAISON_TRY(check_device_label(device));
    if (minutes < 1 || minutes > kSigninCodeMaxMinutes)
        return Status::invalid("minutes: from 1 to " + std::to_string(kSigninCodeMaxMinutes));
    auto id = random_hex(kCodeIdHex / 2);
    if (!id) return id.status();
    auto secret = random_hex(kCodeSecretHex / 2);
    if (!secret) return secret.status();
    auto salt = random_hex(kTokenSaltBytes);
    if (!salt) return salt.status();
    core::AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    auto row = core::find_user(store, user);
    if (!row) return row.status();
    if (!row.value() || row.value()->disabled)
        return Status::not_found("user " + std::to_string(user) + ": no such user (or disabled)");
    const std::int64_t now = wall_ms(), expires = now + minutes * 60'000;
    LIAISON_TRY(core::insert_signin_code(
        store, core::SigninCodeRow{id.value(), user, std::string(device), salt.value(),
                                   signin_code_hash(salt.value(), secret.value()), now, expires,
                                   std::nullopt}));
    LIAISON_TRY(audit(store, actor, "signin.issue",
                      "code:" + id.value() + " user:" + std::to_string(user)));
    LIAISON_TRY(t.commit());
    return IssuedCode{id.value(), id.value() + secret.value(), expires};
}

Result<SignedIn> exchange_signin_code(core::Store& store, std::string_view code,
                                      std::string_view device) {
    using Refused = SignedIn::Refused;
    LIAISON_TRY(check_device_label(device));
    if (code.size() != kCodeIdHex + kCodeSecretHex || !is_lower_hex(code))
        return SignedIn{Refused::kInvalid, 0, {}};
    const std::string code_id(code.substr(0, kCodeIdHex));
    const std::string_view secret = code.substr(kCodeIdHex);
    auto fresh = fresh_token();
    if (!fresh) return fresh.status();
    const FreshToken& token = fresh.value();

    core::AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    auto found = core::find_signin_code(store, code_id);
    if (!found) return found.status();
    if (!found.value() ||
        !constant_time_equal(signin_code_hash(found.value()->salt, secret), found.value()->hash))
        return SignedIn{Refused::kInvalid, 0, {}};
    const auto& c = *found.value();
    const std::int64_t now = wall_ms();
    if (c.used_at) return SignedIn{Refused::kUsed, c.user, {}};
    if (c.expires_at <= now) return SignedIn{Refused::kExpired, c.user, {}};
    auto user = core::find_user(store, c.user);
    if (!user) return user.status();
    if (!user.value() || user.value()->disabled) return SignedIn{Refused::kInvalid, c.user, {}};
    std::string label = !c.device.empty() ? c.device
                        : !device.empty() ? std::string(device)
                                          : "sign-in link " + code_id.substr(0, 6);
    // The claim first: it is the one statement that decides between concurrent exchanges.
    auto claimed = core::claim_signin_code(store, code_id, now, token.id);
    if (!claimed) return claimed.status();
    if (!claimed.value()) return SignedIn{Refused::kUsed, c.user, {}};
    LIAISON_TRY(
        core::insert_token(store, core::NewToken{token.id, c.user, label, token.salt,
                                                 token_hash(token.salt, token.secret), now}));
    LIAISON_TRY(
        audit(store, "user:" + std::to_string(c.user), "signin.exchange",
              "code:" + code_id + " token:" + token.id + " user:" + std::to_string(c.user)));
    LIAISON_TRY(t.commit());
    return SignedIn{Refused::kNone, c.user,
                    IssuedToken{token.id, format_token({token.id, token.secret})}};
}

Result<std::int64_t> revoke_device(core::Store& store, const core::Id128& replica,
                                   std::string_view actor) {
    core::AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    auto owner = core::find_replica_owner(store, replica);
    if (!owner) return owner.status();
    if (!owner.value())
        return Status::not_found("device " + replica.to_text() + ": no such device");
    auto n =
        core::revoke_device_tokens(store, owner.value()->user, owner.value()->device, wall_ms());
    if (!n) return n.status();
    LIAISON_TRY(
        audit(store, actor, "device.revoke",
              "replica:" + replica.to_text() + " user:" + std::to_string(owner.value()->user)));
    LIAISON_TRY(t.commit());
    return n.value();
}

Status backup_to(core::Store& store, const std::string& target) {
    std::error_code ec;
    if (target.empty()) return Status::invalid("backup: no target file");
    if (std::filesystem::exists(target, ec))
        return Status::invalid("backup: " + target + " exists; choose a new file");
    LIAISON_TRY(store.copy_to(target));
    return audit(store, "cli", "backup", "");
}

}  // namespace liaison::server
