#include "server/api/reports.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/query/reports.hpp"
#include "server/admin/accounts.hpp"
#include "server/api/admin.hpp"
#include "server/api/audit.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"

namespace liaison::server {
namespace {

constexpr std::string_view kReportsPath = "/api/v1/reports";

bool may_read_reports(const Principal& who) { return who.role != sync::Role::kIntegration; }

// The caller's scope as the reports read it (core/query/reports.hpp ReportScope): the stores of
// her regions count as hers, as they do for sync::covers_entry.
core::ReportScope report_scope(const sync::Scope& s) {
    core::ReportScope out;
    out.global = s.global;
    out.regions = s.regions;
    out.stores = s.stores;
    for (const auto& st : s.region_stores)
        if (std::find(out.stores.begin(), out.stores.end(), st) == out.stores.end())
            out.stores.push_back(st);
    out.brands = s.brands;
    return out;
}

HttpReply list_reports() {
    std::vector<std::string> names;
    for (auto n : core::report_names()) names.emplace_back(n);
    HttpReply r;
    r.body = "{\"reports\":" + json_string_array(names) + "}";
    return r;
}

HttpReply report_reply(SyncBackend& backend, const Principal& who, const RestRequest& req,
                       std::string_view name, std::int64_t now_ms) {
    const auto& fields = core::report_params();
    auto parsed =
        core::parse_report_query(name, core::ReportParams(req.params.begin(), req.params.end()));
    if (!parsed && parsed.status().code() == Code::kNotFound)
        return error_reply(404, code_name(Code::kNotFound),
                           "no report named \"" + std::string(name.substr(0, 40)) +
                               "\" (GET /api/v1/reports lists them)");
    if (!parsed) return field_status_reply(parsed.status(), fields);
    core::ReportQuery& q = parsed.value();
    q.now_ms = now_ms;
    q.scope = report_scope(who.scope);

    // The whole report under the store's lock: one snapshot, and no sync in between.
    auto report = backend.read(
        [&](core::Store& store) { return core::run_report(store, q, &backend.reports()); });
    if (!report) return field_status_reply(report.status(), fields);
    auto body = core::report_answer(std::move(report).value(), q);
    if (!body) return field_status_reply(body.status(), fields);

    HttpReply out;
    out.body = std::move(body).value();
    if (q.format == "json") return out;
    // A file of figures leaves the server (api/audit.hpp): written before it is answered.
    if (Status a = backend.read([&](core::Store& store) {
            return audit_export(store, who, "report",
                                "report=" + q.report + " " + export_scope(req));
        });
        !a)
        return status_reply(a);
    out.content_type = "text/csv; charset=utf-8";
    // Only checked names reach the header: a report name, a table id the report made, dates.
    const std::string file =
        "liaison-" + q.report + (q.table.empty() ? std::string() : "-" + q.table) + "-" +
        (q.from.empty() ? "open" : q.from) + "-" + (q.to.empty() ? "open" : q.to) + ".csv";
    out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file + "\"");
    return out;
}

}  // namespace

HttpReply handle_reports(SyncBackend& backend, const Principal& who, const RestRequest& req,
                         std::int64_t now_ms) {
    if (req.method != "GET") {
        HttpReply r = error_reply(405, "method_not_allowed", "this address answers GET only");
        r.headers.emplace_back("Allow", "GET");
        return r;
    }
    if (!may_read_reports(who))
        return error_reply(403, code_name(Code::kForbidden),
                           "an integration token may not read reports");
    std::string_view path = req.path;
    if (path == kReportsPath) {
        if (Status s = check_params(req, {}); !s) return status_reply(s);
        return list_reports();
    }
    if (path.size() <= kReportsPath.size() + 1 ||
        path.substr(0, kReportsPath.size() + 1) != "/api/v1/reports/")
        return error_reply(404, code_name(Code::kNotFound), "there is nothing at this address");
    const std::string_view name = path.substr(kReportsPath.size() + 1);
    if (name.find('/') != std::string_view::npos)
        return error_reply(404, code_name(Code::kNotFound), "there is nothing at this address");
    return report_reply(backend, who, req, name, now_ms);
}

HttpReply reports(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    return handle_reports(backend, who, req, wall_ms());
}

}  // namespace liaison::server
