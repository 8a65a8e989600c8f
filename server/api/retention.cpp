#include "server/api/retention.hpp"

#include <optional>
#include <utility>

#include "core/compliance/rules.hpp"
#include "core/query/queries.hpp"
#include "core/query/retention.hpp"
#include "core/query/view.hpp"
#include "core/storage/accounts.hpp"
#include "core/storage/retention_runs.hpp"
#include "server/admin/accounts.hpp"
#include "server/api/admin.hpp"
#include "server/api/erase.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"

namespace liaison::server {
namespace {

using core::RetentionRun;
using core::Store;

constexpr std::string_view kRetentionPrefix = "/api/v1/retention";

HttpReply conflict(std::string message) {
    return error_reply(409, code_name(Code::kConflict), message);
}

HttpReply wrong_method(std::string_view allowed) {
    HttpReply r =
        error_reply(405, "method_not_allowed", "this address takes " + std::string(allowed));
    r.headers.emplace_back("Allow", std::string(allowed));
    return r;
}

std::string member(const char* name, const std::string& text) {
    return std::string(",\"") + name + "\":" + (text.empty() ? "null" : json_string(text));
}

std::string opt_number(const std::optional<std::int64_t>& v) {
    return v ? std::to_string(*v) : "null";
}

// {"id","name"} of a server user, for the report's "proposed by" and "approved by".
std::string run_user_json(Store& store, std::optional<std::int64_t> user) {
    if (!user) return "null";
    auto row = core::find_user(store, *user);
    const std::string name = row && row.value() ? row.value()->name : "";
    return "{\"id\":" + std::to_string(*user) + member("name", name) + "}";
}

std::string run_summary(Store& store, const RetentionRun& r) {
    return "{\"id\":" + std::to_string(r.id) + ",\"state\":" + json_string(r.state) +
           ",\"proposed_by\":" + run_user_json(store, r.proposed_by) +
           ",\"proposed_at\":" + std::to_string(r.proposed_at) +
           ",\"expires_at\":" + std::to_string(r.proposed_at + kApprovalWindowMs) +
           ",\"decided_by\":" + run_user_json(store, r.decided_by) +
           ",\"decided_at\":" + opt_number(r.decided_at) +
           ",\"finished_at\":" + opt_number(r.finished_at) + ",\"today\":" + json_string(r.today) +
           ",\"rules\":" + json_string(r.rules) +
           ",\"truncated\":" + (r.truncated ? "true" : "false") +
           ",\"progress\":{\"total\":" + std::to_string(r.total) +
           ",\"erased\":" + std::to_string(r.erased) + ",\"skipped\":" + std::to_string(r.skipped) +
           ",\"pending\":" + std::to_string(r.total - r.erased - r.skipped) + "}}";
}

// A person of a run, with her name as the record has it now (null once erased).
Result<std::string> item_json(Store& store, const core::RetentionItem& i) {
    const core::RetentionCandidate& c = i.candidate;
    auto row = core::get_entity(store, core::Kind::kInfluencer, c.person);
    if (!row) return row.status();
    std::string name;
    if (row.value())
        if (const std::string* n = row.value()->text("name")) name = *n;
    std::string out = "{\"person\":" + json_string(c.person.to_text()) + member("name", name) +
                      ",\"rule\":" + json_string(c.rule) + member("last_contact", c.last_contact) +
                      member("last_contact_kind", c.last_contact_kind) +
                      ",\"created\":" + json_string(c.created) +
                      ",\"due_since\":" + json_string(c.due_since);
    if (!c.reason.empty()) out += ",\"reason\":" + json_string(c.reason);
    if (i.list == "due") {
        out += ",\"outcome\":" + json_string(i.outcome.empty() ? "pending" : i.outcome);
        if (!i.outcome_reason.empty())
            out += ",\"outcome_reason\":" + json_string(i.outcome_reason);
    }
    return out + "}";
}

// The run's report: its summary and its three lists.
HttpReply run_reply(Store& store, std::int64_t id, int status) {
    auto run = core::find_retention_run(store, id);
    if (!run) return status_reply(run.status());
    if (!run.value()) return error_reply(404, code_name(Code::kNotFound), "no such retention run");
    auto items = core::retention_items(store, id);
    if (!items) return status_reply(items.status());
    std::string lists[3];
    for (const auto& i : items.value()) {
        const int k = i.list == "due" ? 0 : i.list == "held" ? 1 : 2;
        auto j = item_json(store, i);
        if (!j) return status_reply(j.status());
        lists[k] += (lists[k].empty() ? "" : ",") + j.value();
    }
    std::string body = run_summary(store, *run.value());
    body.pop_back();
    body +=
        ",\"due\":[" + lists[0] + "],\"held\":[" + lists[1] + "],\"skipped\":[" + lists[2] + "]}";
    HttpReply r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

HttpReply policy() {
    const auto& rules = core::compliance::RuleSet::builtin();
    std::string list;
    for (const auto& r : rules.gdpr.retention) {
        if (!list.empty()) list += ',';
        list += "{\"id\":";
        list += json_string(r.id) + ",\"who\":" + json_string(r.who) +
                ",\"months_without_contact\":" + std::to_string(r.months_without_contact) +
                ",\"source\":" + json_string(r.source) + "}";
    }
    std::vector<std::string> kinds(std::begin(core::kContactKinds), std::end(core::kContactKinds));
    HttpReply out;
    out.body = "{\"rules\":" + json_string(rules.gdpr.version) + ",\"retention\":[" + list +
               "],\"approval_days\":" + std::to_string(kApprovalWindowMs / 86'400'000) +
               ",\"max_people\":" + std::to_string(core::kMaxRetentionPeople) +
               ",\"contact_kinds\":" + json_string_array(kinds) + "}";
    return out;
}

HttpReply propose(SyncBackend& backend, const Principal& who, std::int64_t now_ms) {
    const std::string today = core::iso_date(now_ms);
    return backend.read([&](Store& store) -> HttpReply {
        if (Status s = core::ensure_retention_tables(store); !s) return status_reply(s);
        auto report = core::due_for_retention(store, core::compliance::RuleSet::builtin(), today);
        if (!report) return status_reply(report.status());
        auto id = core::insert_retention_run(store, who.user, now_ms, report.value());
        if (!id) return status_reply(id.status());
        const std::string subject = "run:" + std::to_string(id.value()) +
                                    " due:" + std::to_string(report->due.size()) +
                                    " held:" + std::to_string(report->held.size()) +
                                    " skipped:" + std::to_string(report->skipped.size());
        if (Status a = audit(store, user_actor(who), "retention.propose", subject); !a)
            return status_reply(a);
        return run_reply(store, id.value(), 201);
    });
}

HttpReply list_runs(SyncBackend& backend, const RestRequest& req) {
    if (Status s = check_params(req, {"limit"}); !s) return status_reply(s);
    auto limit = size_param(req, "limit", kDefaultRetentionRuns, 1, kMaxRetentionRuns);
    if (!limit) return status_reply(limit.status());
    return backend.read([&](Store& store) -> HttpReply {
        auto runs = core::list_retention_runs(store, std::int64_t(limit.value()));
        if (!runs) return status_reply(runs.status());
        std::string body = "{\"runs\":[";
        for (std::size_t i = 0; i < runs->size(); ++i) {
            if (i) body += ",";
            body += run_summary(store, (*runs)[i]);
        }
        HttpReply r;
        r.body = body + "]}";
        return r;
    });
}

// Why the approval may not start, or nothing: the run exists, is proposed, is recent enough and
// was proposed by someone else.
std::optional<HttpReply> refuse_approval(const RetentionRun& run, const Principal& who,
                                         std::int64_t now_ms) {
    if (run.proposed_by == who.user)
        return conflict(
            "four eyes: you proposed this run, so another member of the central team must "
            "approve it");
    if (run.state != core::kRunProposed)
        return conflict("this run is " + run.state + ": only a proposed run may be approved");
    if (now_ms - run.proposed_at > kApprovalWindowMs)
        return conflict("this dry run is more than " +
                        std::to_string(kApprovalWindowMs / 86'400'000) +
                        " days old: make a new dry run and have it approved");
    return std::nullopt;
}

// What the approval did to one person: erased, or skipped and why; "" for an error that stops
// the run.
struct Outcome {
    std::string outcome, reason;
};

Outcome erase_one(SyncBackend& backend, const Principal& who, const core::Id128& person,
                  const std::string& today, const std::string& note) {
    std::string not_due;
    const auto check = [&](Store& store, const core::RowState&) -> Status {
        auto v =
            core::retention_verdict(store, core::compliance::RuleSet::builtin(), today, person);
        if (!v) return v.status();
        if (v->state == core::RetentionState::kDue) {
            // The run scrubs once for all its erasures, before it reports itself done.
            store.defer_scrub();
            return Status::ok();
        }
        not_due = v->state == core::RetentionState::kNotDue ? "no_longer_due" : v->candidate.reason;
        return Status(Code::kConflict, "not due: " + not_due);
    };
    auto erased = erase_influencer(backend, who, person, "retention.erase", note, check);
    if (erased) return {"erased", ""};
    if (!not_due.empty()) return {"skipped", not_due};
    const Code code = erased.status().code();
    if (code == Code::kNotFound || code == Code::kErased) return {"skipped", "not_found"};
    return {"", erased.status().to_string()};
}

HttpReply approve(SyncBackend& backend, const Principal& who, std::int64_t id,
                  std::int64_t now_ms) {
    std::vector<core::Id128> due;
    std::optional<HttpReply> refused = backend.read([&](Store& store) -> std::optional<HttpReply> {
        auto run = core::find_retention_run(store, id);
        if (!run) return status_reply(run.status());
        if (!run.value())
            return error_reply(404, code_name(Code::kNotFound), "no such retention run");
        if (auto no = refuse_approval(*run.value(), who, now_ms)) return no;
        auto moved = core::decide_retention_run(store, id, core::kRunProposed, core::kRunRunning,
                                                who.user, now_ms);
        if (!moved) return status_reply(moved.status());
        if (!moved.value()) return conflict("this run was approved or cancelled meanwhile");
        if (Status a =
                audit(store, user_actor(who), "retention.approve", "run:" + std::to_string(id));
            !a)
            return status_reply(a);
        auto items = core::retention_items(store, id);
        if (!items) return status_reply(items.status());
        for (const auto& i : items.value())
            if (i.list == "due") due.push_back(i.candidate.person);
        return std::nullopt;
    });
    if (refused) return std::move(*refused);
    // One person at a time, each outcome committed before the next: the store's lock is
    // released in between, so a GET of this run shows its progress.
    const std::string today = core::iso_date(now_ms);
    const std::string note = "run:" + std::to_string(id);
    std::string_view end = core::kRunDone;
    for (const auto& person : due) {
        const Outcome o = erase_one(backend, who, person, today, note);
        if (o.outcome.empty()) {
            end = core::kRunFailed;
            break;
        }
        Status s = backend.read([&](Store& store) {
            return core::record_retention_outcome(store, id, person, o.outcome, o.reason,
                                                  wall_ms());
        });
        if (!s) {
            end = core::kRunFailed;
            break;
        }
    }
    // R7 on disk for every erasure of the run at once: on PostgreSQL a scrub rewrites every
    // table an erasure writes to (docs/SCALING.md §4), which no run should pay per person.
    Status scrubbed = backend.read(
        [](Store& store) { return store.scrub_due() ? store.scrub_log() : Status::ok(); });
    if (!scrubbed) end = core::kRunFailed;
    return backend.read([&](Store& store) -> HttpReply {
        if (Status s = core::finish_retention_run(store, id, end, wall_ms()); !s)
            return status_reply(s);
        if (!scrubbed) return status_reply(scrubbed);
        return run_reply(store, id, 200);
    });
}

HttpReply cancel(SyncBackend& backend, const Principal& who, std::int64_t id, std::int64_t now_ms) {
    return backend.read([&](Store& store) -> HttpReply {
        auto run = core::find_retention_run(store, id);
        if (!run) return status_reply(run.status());
        if (!run.value())
            return error_reply(404, code_name(Code::kNotFound), "no such retention run");
        auto moved = core::decide_retention_run(store, id, core::kRunProposed, core::kRunCancelled,
                                                who.user, now_ms);
        if (!moved) return status_reply(moved.status());
        if (!moved.value())
            return conflict("this run is " + run.value()->state +
                            ": only a proposed run may be cancelled");
        if (Status a =
                audit(store, user_actor(who), "retention.cancel", "run:" + std::to_string(id));
            !a)
            return status_reply(a);
        return run_reply(store, id, 200);
    });
}

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        const auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

}  // namespace

std::string retention_route(const std::vector<std::string_view>& seg) {
    const std::string base(kRetentionPrefix);
    if (seg.size() == 2 && (seg[1] == "policy" || seg[1] == "runs"))
        return base + "/" + std::string(seg[1]);
    if (seg.size() == 3 && seg[1] == "runs") return base + "/runs/{id}";
    if (seg.size() == 4 && seg[1] == "runs" && (seg[3] == "approve" || seg[3] == "cancel"))
        return base + "/runs/{id}/" + std::string(seg[3]);
    return base + "/{other}";
}

HttpReply handle_retention(SyncBackend& backend, const Principal& who, const RestRequest& req,
                           std::int64_t now_ms) {
    const std::string_view path = req.path;
    if (path.substr(0, kRetentionPrefix.size()) != kRetentionPrefix ||
        path.size() <= kRetentionPrefix.size() + 1 || path[kRetentionPrefix.size()] != '/')
        return error_reply(404, code_name(Code::kNotFound), "there is nothing at this address");
    const auto seg = segments(path.substr(kRetentionPrefix.size() + 1));
    const bool runs = !seg.empty() && seg[0] == "runs";
    const bool known = (seg.size() == 1 && (seg[0] == "policy" || runs)) ||
                       (seg.size() == 2 && runs) ||
                       (seg.size() == 3 && runs && (seg[2] == "approve" || seg[2] == "cancel"));
    if (!known)
        return error_reply(404, code_name(Code::kNotFound), "there is nothing at this address");
    if (who.role != sync::Role::kAdmin && who.role != sync::Role::kCentral)
        return error_reply(403, code_name(Code::kForbidden),
                           "only the central team may see and run retention");
    if (Status s = backend.read([](Store& store) { return core::ensure_retention_tables(store); });
        !s)
        return status_reply(s);
    const std::string& m = req.method;
    if (seg.size() == 1 && seg[0] == "policy") {
        if (m != "GET") return wrong_method("GET");
        if (Status s = check_params(req, {}); !s) return status_reply(s);
        return policy();
    }
    if (seg.size() == 1) {
        if (m == "GET") return list_runs(backend, req);
        if (m != "POST") return wrong_method("GET, POST");
        if (Status s = check_params(req, {}); !s) return status_reply(s);
        return propose(backend, who, now_ms);
    }
    const auto id = parse_user_id(seg[1]);  // a positive decimal number, as a user id is
    if (!id) return status_reply(Status::invalid("run: a positive number"));
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    if (seg.size() == 2) {
        if (m != "GET") return wrong_method("GET");
        return backend.read([&](Store& store) { return run_reply(store, *id, 200); });
    }
    if (m != "POST") return wrong_method("POST");
    return seg[2] == "approve" ? approve(backend, who, *id, now_ms)
                               : cancel(backend, who, *id, now_ms);
}

HttpReply retention(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    return handle_retention(backend, who, req, wall_ms());
}

}  // namespace liaison::server
