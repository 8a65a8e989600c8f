#include "sync/pipeline.hpp"

#include <algorithm>

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

}  // namespace

Status check_move(core::Store& store, const Id128& collaboration, std::string_view to,
                  core::Pipeline* out) {
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
    if (out) *out = std::move(p).value();
    return Status::ok();
}

Result<Id128> move_collaboration(Replica& replica, const Id128& collaboration, const Move& move) {
    core::Pipeline p;
    LIAISON_TRY(check_move(replica.store(), collaboration, move.to, &p));
    auto row = load_collaboration(replica.store(), collaboration);
    if (!row) return row.status();
    const std::int64_t at = step_time(p, std::int64_t(replica.clock().physical_ms()));
    Id128 step;
    LIAISON_TRY(replica.action([&]() -> Status {
        auto made = replica.create(Kind::kCollaborationStep, step_fields(*row, p, move, at));
        if (!made) return made.status();
        step = made.value();
        return replica.set(Kind::kCollaboration, collaboration,
                           {{"status", std::string(core::canonical_status(move.to))}});
    }));
    return step;
}

Result<std::vector<Op>> move_ops(core::Store& store, const Id128& collaboration, const Move& move,
                                 const Id128& step, std::int64_t now_ms) {
    core::Pipeline p;
    LIAISON_TRY(check_move(store, collaboration, move.to, &p));
    auto row = load_collaboration(store, collaboration);
    if (!row) return row.status();
    return std::vector<Op>{field_op(OpType::kCreate, Kind::kCollaborationStep, step,
                                    step_fields(*row, p, move, step_time(p, now_ms))),
                           field_op(OpType::kSet, Kind::kCollaboration, collaboration,
                                    {{"status", std::string(core::canonical_status(move.to))}})};
}

}  // namespace liaison::sync
