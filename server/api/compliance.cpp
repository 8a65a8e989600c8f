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
const std::vector<std::string_view> kFields = {"type",  "region", "campaign",
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
        if (!core::is_issue_type(*t))
            return Status::invalid(
                "type: one of vetting_due, disclosure_missing, "
                "contract_missing, contract_warn, mandate_missing, "
                "notice_overdue, request_due, representative_missing, minor");
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
    std::string out = "{\"type\":" + json_string(i.type) +
                      ",\"person\":" + json_string(i.person.to_text()) +
                      ",\"person_name\":" + json_string(i.person_name);
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

}  // namespace

HttpReply handle_compliance(SyncBackend& backend, const Principal& who, const RestRequest& req,
                            std::int64_t now_ms) {
    if (req.path != kIssuesPath)
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
    auto filter = parse_filter(req);
    if (!filter) return field_status_reply(filter.status(), kFields);
    auto limit = size_param(req, "limit", core::kDefaultIssues, 1, core::kMaxIssues);
    if (!limit) return field_status_reply(limit.status(), kFields);
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
    if (!issues) return field_status_reply(issues.status(), kFields);
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
