#include "sync/pipeline.hpp"

#include <algorithm>

#include "core/query/compliance.hpp"

namespace liaison::sync {
namespace {

using core::Id128;
using core::Kind;

// The step's fields: the move, and what it copies from its collaboration.
std::vector<FieldWrite> step_fields(const core::RowState& collaboration,
                                    const core::Pipeline& pipeline, const Move& move,
                                    std::int64_t at) {
    std::vector<FieldWrite> f = {{"collaboration", collaboration.id.to_text()},
                                 {"from", pipeline.status},
                                 {"to", std::string(core::canonical_status(move.to))},
                                 {"at", at}};
    for (const char* key : {"influencer", "brand", "region", "store"})
        if (const std::string* v = collaboration.text(key)) f.push_back({key, *v});
    if (move.staff) f.push_back({"staff", move.staff->to_text()});
    if (!move.note.empty()) f.push_back({"note", move.note});
    return f;
}

std::int64_t step_time(const core::Pipeline& p, std::int64_t now_ms) {
    return p.steps.empty() ? now_ms : std::max(now_ms, p.steps.back().at + 1);
}

Result<core::RowState> load_collaboration(core::Store& store, const Id128& id) {
    auto row = store.load_row(Kind::kCollaboration, id);
    if (!row) return row.status();
    if (!row.value() || !row.value()->visible())
        return Status::not_found("no collaboration " + id.to_text());
    return std::move(*row.value());
}

// The compliance gate (MoveGate) on a move P1 allows.
Status check_gate(core::Store& store, const core::RowState& collaboration, const Move& move,
                  const MoveGate& gate, bool& overridden) {
    const std::string to(core::canonical_status(move.to));
    const auto* person = collaboration.text("influencer");
    const auto pid = person ? Id128::from_text(*person) : std::nullopt;
    if (!pid) return Status::ok();
    auto privacy = core::privacy_of(store, *pid);
    if (!privacy) return privacy.status();
    if (privacy->restricted && to != "cancelled")
        return Status(Code::kConflict,
                      "to: her data is restricted while a request is handled: the collaboration "
                      "may only be cancelled");
    auto vetting = core::vetting_of(store, *pid, gate.today, *gate.rules);
    if (!vetting) return vetting.status();
    auto decision = core::compliance::collaboration_move_allowed(*gate.rules, vetting->state, to,
                                                                 move.override_reason);
    if (!decision) return decision.status();
    if (!decision->allowed)
        return Status(Code::kConflict,
                      "to: " + decision->reason + " (a central user may override, giving one)");
    if (decision->overridden && !gate.central)
        return Status(Code::kForbidden,
                      "override_reason: only the central team may override the vetting");
    overridden = decision->overridden;
    return Status::ok();
}

// What an override writes on the collaboration with the move: why, and who gave it.
std::vector<FieldWrite> status_fields(const Move& move, bool overridden) {
    std::vector<FieldWrite> f = {{"status", std::string(core::canonical_status(move.to))}};
    if (overridden) {
        f.push_back({"override_reason", move.override_reason});
        if (move.staff) f.push_back({"override_by", move.staff->to_text()});
    }
    return f;
}

}  // namespace

Status check_move(core::Store& store, const Id128& collaboration, const Move& move,
                  const MoveGate* gate, core::Pipeline* out, bool* overridden) {
    const std::string_view to = move.to;
    auto p = core::collaboration_pipeline(store, collaboration);
    if (!p) return p.status();
    const auto& statuses = core::pipeline_statuses();
    if (std::find(statuses.begin(), statuses.end(), core::canonical_status(to)) == statuses.end())
        return Status::invalid("to: \"" + std::string(to) + "\" is not a status of the pipeline");
    if (!core::move_allowed(p->status, to)) {
        std::string offered;
        for (auto s : core::next_statuses(p->status))
            offered += (offered.empty() ? "" : ", ") + std::string(s);
        return Status(
            Code::kConflict,
            "to: a collaboration that is " + p->status + " cannot move to " + std::string(to) +
                (offered.empty() ? " (it is closed)" : " (it can move to " + offered + ")"));
    }
    bool by_override = false;
    if (gate) {
        auto row = load_collaboration(store, collaboration);
        if (!row) return row.status();
        LIAISON_TRY(check_gate(store, *row, move, *gate, by_override));
    }
    if (overridden) *overridden = by_override;
    if (out) *out = std::move(p).value();
    return Status::ok();
}

Result<Id128> move_collaboration(Replica& replica, const Id128& collaboration, const Move& move,
                                 const MoveGate* gate) {
    core::Pipeline p;
    bool overridden = false;
    LIAISON_TRY(check_move(replica.store(), collaboration, move, gate, &p, &overridden));
    auto row = load_collaboration(replica.store(), collaboration);
    if (!row) return row.status();
    const std::int64_t at = step_time(p, std::int64_t(replica.clock().physical_ms()));
    Id128 step;
    LIAISON_TRY(replica.action([&]() -> Status {
        auto made = replica.create(Kind::kCollaborationStep, step_fields(*row, p, move, at));
        if (!made) return made.status();
        step = made.value();
        return replica.set(Kind::kCollaboration, collaboration, status_fields(move, overridden));
    }));
    return step;
}

Result<std::vector<Op>> move_ops(core::Store& store, const Id128& collaboration, const Move& move,
                                 const Id128& step, std::int64_t now_ms, const MoveGate* gate) {
    core::Pipeline p;
    bool overridden = false;
    LIAISON_TRY(check_move(store, collaboration, move, gate, &p, &overridden));
    auto row = load_collaboration(store, collaboration);
    if (!row) return row.status();
    return std::vector<Op>{field_op(OpType::kCreate, Kind::kCollaborationStep, step,
                                    step_fields(*row, p, move, step_time(p, now_ms))),
                           field_op(OpType::kSet, Kind::kCollaboration, collaboration,
                                    status_fields(move, overridden))};
}

}  // namespace liaison::sync
