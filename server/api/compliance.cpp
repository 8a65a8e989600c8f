#include "server/api/compliance.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/query/compliance_issues.hpp"
#include "core/query/view.hpp"
#include "server/admin/accounts.hpp"
#include "server/api/admin.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"

namespace liaison::server {
namespace {

constexpr std::string_view kIssuesPath = "/api/v1/compliance/issues";
constexpr std::string_view kPromotionsPath = "/api/v1/compliance/promotions";
constexpr std::string_view kDisclosurePath = "/api/v1/compliance/disclosure";
const std::vector<std::string_view> kIssueFields = {"type",  "region", "campaign",
                                                    "owner", "person", "limit"};

bool may_read_issues(const Principal& who) {
    return who.role == sync::Role::kAdmin || who.role == sync::Role::kCentral ||
           who.role == sync::Role::kRegional;
}

// The query's filters, each refused with its parameter's name.
Result<core::IssueFilter> parse_filter(const RestRequest& req) {
    LIAISON_TRY(check_params(req, {"type", "region", "campaign", "owner", "person", "limit"}));
    core::IssueFilter f;
    if (auto t = param(req, "type")) {
        if (!core::is_issue_type(*t)) {
            std::string all = "type: one of";
            for (auto type : core::kIssueTypes) (all += ' ') += type;
            return Status::invalid(all);
        }
        f.type = *t;
    }
    for (auto [name, slot] : {std::pair{"region", &f.region}, std::pair{"campaign", &f.campaign},
                              std::pair{"owner", &f.owner}, std::pair{"person", &f.person}}) {
        auto v = param(req, name);
        if (!v) continue;
        auto id = id_param(name, *v);
        if (!id) return id.status();
        *slot = id.value();
    }
    return f;
}

void id_member(std::string& out, const char* name, const std::optional<core::Id128>& id) {
    if (!id) return;
    out += ",\"";
    out += name;
    out += "\":" + json_string(id->to_text());
}

std::string issue_json(const core::ComplianceIssue& i) {
    std::string out = "{\"type\":" + json_string(i.type);
    // A campaign's issue (promotion_*) names no person.
    id_member(out, "person", i.person);
    if (i.person) out += ",\"person_name\":" + json_string(i.person_name);
    if (!i.campaign_name.empty()) out += ",\"campaign_name\":" + json_string(i.campaign_name);
    id_member(out, "collaboration", i.collaboration);
    id_member(out, "content", i.content);
    id_member(out, "request", i.request);
    id_member(out, "intermediary", i.intermediary);
    id_member(out, "region", i.region);
    id_member(out, "campaign", i.campaign);
    id_member(out, "owner", i.owner);
    if (!i.due.empty()) out += ",\"due\":" + json_string(i.due);
    out += ",\"detail\":" + json_string(i.detail);
    // No table states the mandate rule: that issue names none.
    if (!i.rule.empty()) out += ",\"rule\":" + json_string(i.rule);
    return out + "}";
}

// GET /api/v1/compliance/promotions: the promotions table, for the campaign form's choices.
HttpReply promotions_reply(const RestRequest& req) {
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    const auto& t = core::compliance::RuleSet::builtin().promotions_fr;
    std::string body = "{\"version\":" + json_string(t.version) +
                       ",\"market\":" + json_string(t.market) + ",\"categories\":[";
    for (std::size_t i = 0; i < t.categories.size(); ++i) {
        const auto& c = t.categories[i];
        if (i) body += ",";
        body += "{\"category\":" + json_string(c.category) + ",\"status\":" +
                json_string(c.rule == core::compliance::PromotionRule::kProhibited ? "prohibited"
                                                                                   : "restricted");
        if (!c.condition.empty()) body += ",\"condition\":" + json_string(c.condition);
        body += ",\"source\":" + json_string(c.source) + "}";
    }
    HttpReply out;
    out.body = body + "]}";
    return out;
}

// GET /api/v1/compliance/disclosure?content=<id>: the post's caption against the disclosure
// table, what the reviewer's check starts from.
HttpReply disclosure_reply(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (Status s = check_params(req, {"content"}); !s) return status_reply(s);
    auto text = param(req, "content");
    if (!text) return field_status_reply(Status::invalid("content: required"), {"content"});
    auto id = id_param("content", *text);
    if (!id) return field_status_reply(id.status(), {"content"});
    const auto& rules = core::compliance::RuleSet::builtin();
    return backend.read([&](core::Store& store) -> HttpReply {
        auto row = must_see(store, who, core::Kind::kContent, id.value());
        if (!row) return status_reply(row.status());
        auto check = core::post_caption_check(store, row->id, rules);
        if (!check) return status_reply(check.status());
        const std::string* caption = row->text("caption");
        const bool known = caption != nullptr && !caption->empty();
        std::string body = "{\"content\":" + json_string(row->id.to_text()) + ",\"found\":";
        // Null when there is nothing to go by: no caption, or no market needing a mention.
        if (!check.value() || check.value()->required_in.empty() || !known)
            body += "null";
        else
            body += check.value()->lacking.empty() ? "true" : "false";
        if (check.value()) {
            body += ",\"lacking\":" + json_string_array(check.value()->lacking) +
                    ",\"markets\":" + json_string_array(check.value()->required_in) +
                    ",\"rule\":" + json_string(check.value()->version);
        }
        HttpReply out;
        out.body = body + "}";
        return out;
    });
}

}  // namespace

Status check_promotion_condition(const std::vector<sync::Op>& ops) {
    const auto& t = core::compliance::RuleSet::builtin().promotions_fr;
    for (const auto& op : ops) {
        if (op.kind != core::Kind::kCampaign) continue;
        for (const auto& w : op.fields) {
            const auto* v = std::get_if<std::string>(&w.value);
            if (w.field != "promotion_condition" || !v) continue;
            std::string known;
            for (const auto& c : t.categories) {
                if (c.condition.empty()) continue;
                if (c.condition == *v) return Status::ok();
                (known += known.empty() ? "" : ", ") += c.condition;
            }
            return Status::invalid("promotion_condition: one of " + known + " (" + t.version + ")");
        }
    }
    return Status::ok();
}

HttpReply handle_compliance(SyncBackend& backend, const Principal& who, const RestRequest& req,
                            std::int64_t now_ms) {
    if (req.path != kIssuesPath && req.path != kPromotionsPath && req.path != kDisclosurePath)
        return error_reply(404, code_name(Code::kNotFound), "there is nothing at this address");
    if (req.method != "GET") {
        HttpReply r = error_reply(405, "method_not_allowed", "this address answers GET only");
        r.headers.emplace_back("Allow", "GET");
        return r;
    }
    if (!may_read_issues(who))
        return error_reply(
            403, code_name(Code::kForbidden),
            "only the central team and regional managers may read compliance issues");
    if (req.path == kPromotionsPath) return promotions_reply(req);
    if (req.path == kDisclosurePath) return disclosure_reply(backend, who, req);
    auto filter = parse_filter(req);
    if (!filter) return field_status_reply(filter.status(), kIssueFields);
    auto limit = size_param(req, "limit", core::kDefaultIssues, 1, core::kMaxIssues);
    if (!limit) return field_status_reply(limit.status(), kIssueFields);
    // A regional manager sees her regions' issues (the scope the server filled in for her).
    if (!who.scope.global) {
        filter->global = false;
        for (const auto& r : who.scope.regions)
            if (auto id = core::Id128::from_text(r)) filter->regions.push_back(*id);
    }
    // Every issue the filters keep, for the counts; the list is cut to `limit` after.
    filter->limit = core::kMaxIssues;
    const std::string today = core::iso_date(now_ms);
    const auto& rules = core::compliance::RuleSet::builtin();
    auto issues = backend.read([&](core::Store& store) {
        return core::compliance_issues(store, filter.value(), today, rules);
    });
    if (!issues) return field_status_reply(issues.status(), kIssueFields);
    const auto counts = core::issue_counts(issues.value());
    std::string body = "{\"issues\":[";
    const std::size_t shown = std::min(limit.value(), issues->size());
    for (std::size_t i = 0; i < shown; ++i) {
        if (i) body += ",";
        body += issue_json((*issues)[i]);
    }
    body += "],\"counts\":{";
    bool first = true;
    for (const auto& [type, n] : counts) {
        if (!first) body += ",";
        first = false;
        body += json_string(type) + ":" + std::to_string(n);
    }
    body += "},\"today\":" + json_string(today) +
            ",\"rules\":" + json_string_array(rules.versions()) + "}";
    HttpReply out;
    out.body = std::move(body);
    return out;
}

HttpReply compliance(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    return handle_compliance(backend, who, req, wall_ms());
}

}  // namespace liaison::server
