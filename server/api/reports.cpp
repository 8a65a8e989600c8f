#include "server/api/reports.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/query/reports.hpp"
#include "server/admin/accounts.hpp"
#include "server/api/admin.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"

namespace liaison::server {
namespace {

using core::Id128;

constexpr std::string_view kPath = "/api/v1/reports";

// The query parameters a report takes, in the order the errors and docs name them.
const std::vector<std::string_view> kParams = {
    "programme", "campaign", "brand", "region", "store",  "from",   "to",
    "group_by",  "currency", "model", "metric", "market", "format", "table"};

bool may_read_reports(const Principal& who) { return who.role != sync::Role::kIntegration; }

// Unknown parameters, parameters given twice and over-long values, each named.
Status check_report_params(const RestRequest& req) {
    for (auto it = req.params.begin(); it != req.params.end(); ++it) {
        const std::string name = it->first.substr(0, 40);
        if (std::find(kParams.begin(), kParams.end(), it->first) == kParams.end())
            return Status(Code::kUnknownField, name + ": not a parameter of the reports");
        if (req.params.count(it->first) > 1) return Status::invalid(name + ": given twice");
        if (it->second.size() > kMaxReportParamChars)
            return Status::invalid(name + ": longer than " + std::to_string(kMaxReportParamChars) +
                                   " characters");
    }
    return Status::ok();
}

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

Result<core::ReportQuery> query_of(const RestRequest& req, std::string name, const Principal& who,
                                   std::int64_t now_ms) {
    core::ReportQuery q;
    q.report = std::move(name);
    for (auto [key, out] : {std::pair{"programme", &q.programme},
                            {"campaign", &q.campaign},
                            {"brand", &q.brand},
                            {"region", &q.region},
                            {"store", &q.store}}) {
        auto v = param(req, key);
        if (!v) continue;
        auto id = id_param(key, *v);
        if (!id) return id.status();
        *out = id.value();
    }
    for (auto [key, out] : {std::pair{"from", &q.from},
                            {"to", &q.to},
                            {"group_by", &q.group_by},
                            {"currency", &q.currency},
                            {"model", &q.model},
                            {"metric", &q.metric},
                            {"market", &q.market}})
        if (auto v = param(req, key)) *out = *v;
    q.now_ms = now_ms;
    q.scope = report_scope(who.scope);
    return q;
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
    if (Status s = check_report_params(req); !s) return field_status_reply(s, kParams);
    const auto& names = core::report_names();
    if (std::find(names.begin(), names.end(), name) == names.end())
        return error_reply(404, code_name(Code::kNotFound),
                           "no report named \"" + std::string(name.substr(0, 40)) +
                               "\" (GET /api/v1/reports lists them)");
    const std::string format = param(req, "format").value_or("json");
    if (format != "json" && format != "csv")
        return field_status_reply(Status::invalid("format: json or csv"), kParams);
    const std::string table = param(req, "table").value_or("");
    auto q = query_of(req, std::string(name), who, now_ms);
    if (!q) return field_status_reply(q.status(), kParams);

    // The whole report under the store's lock: one snapshot, and no sync in between.
    auto report =
        backend.read([&](core::Store& store) { return core::run_report(store, q.value()); });
    if (!report) return field_status_reply(report.status(), kParams);
    core::Report& r = report.value();
    auto unknown_table = [&] {
        return field_status_reply(
            Status::not_found("table: the " + std::string(name) + " report has no table \"" +
                              table.substr(0, 40) + "\""),
            kParams);
    };

    HttpReply out;
    if (format == "json") {
        if (!table.empty()) {
            auto it = std::find_if(r.tables.begin(), r.tables.end(),
                                   [&](const core::Table& t) { return t.id == table; });
            if (it == r.tables.end()) return unknown_table();
            core::Table kept = std::move(*it);
            r.tables.clear();
            r.tables.push_back(std::move(kept));
        }
        out.body = core::report_json(r);
        return out;
    }
    auto csv = core::report_csv(r, table);
    if (!csv)
        return csv.status().code() == Code::kNotFound ? unknown_table()
                                                      : status_reply(csv.status());
    out.content_type = "text/csv; charset=utf-8";
    out.body = std::move(csv).value();
    // Only checked names reach the header: a report name, a table id the report made, dates.
    const std::string file = "liaison-" + std::string(name) + (table.empty() ? "" : "-" + table) +
                             "-" + (r.from.empty() ? "open" : r.from) + "-" +
                             (r.to.empty() ? "open" : r.to) + ".csv";
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
    if (path == kPath) {
        if (Status s = check_params(req, {}); !s) return status_reply(s);
        return list_reports();
    }
    if (path.size() <= kPath.size() + 1 || path.substr(0, kPath.size() + 1) != "/api/v1/reports/")
        return error_reply(404, code_name(Code::kNotFound), "there is nothing at this address");
    const std::string_view name = path.substr(kPath.size() + 1);
    if (name.find('/') != std::string_view::npos)
        return error_reply(404, code_name(Code::kNotFound), "there is nothing at this address");
    return report_reply(backend, who, req, name, now_ms);
}

HttpReply reports(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    return handle_reports(backend, who, req, wall_ms());
}

}  // namespace liaison::server
