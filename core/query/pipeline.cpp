#include "core/query/pipeline.hpp"

#include <algorithm>
#include <utility>

namespace liaison::core {
namespace {

// P1: the moves the app offers. A table, so that a rule changes here and in its tests only.
// clang-format off
constexpr std::pair<std::string_view, std::string_view> kMoves[] = {
    {"proposed", "vetted"},      {"proposed", "cancelled"},
    {"vetted", "contracted"},    {"vetted", "proposed"},      {"vetted", "cancelled"},
    {"contracted", "live"},      {"contracted", "cancelled"},
    {"live", "delivered"},       {"live", "cancelled"},
    // Content turned down at validation goes back to live, to be made again.
    {"delivered", "validated"},  {"delivered", "live"},      {"delivered", "cancelled"},
    {"validated", "closed"},
    {"cancelled", "proposed"},
};
// clang-format on

std::string_view status_or_proposed(std::string_view s) {
    return s.empty() ? std::string_view("proposed") : canonical_status(s);
}

}  // namespace

const std::vector<std::string_view>& pipeline_statuses() {
    static const std::vector<std::string_view> all = {"proposed", "vetted",    "contracted",
                                                      "live",     "delivered", "validated",
                                                      "closed",   "cancelled"};
    return all;
}

std::string_view canonical_status(std::string_view status) {
    if (status == "active") return "live";
    if (status == "completed") return "closed";
    return status;
}

bool move_allowed(std::string_view from, std::string_view to) {
    const auto f = status_or_proposed(from), t = canonical_status(to);
    for (const auto& [a, b] : kMoves)
        if (a == f && b == t) return true;
    return false;
}

std::vector<std::string_view> next_statuses(std::string_view from) {
    std::vector<std::string_view> out;
    for (auto s : pipeline_statuses())
        if (move_allowed(from, s)) out.push_back(s);
    return out;
}

bool collaboration_active(std::string_view status) {
    const auto s = canonical_status(status);
    return s == "contracted" || s == "live" || s == "delivered";
}

Pipeline pipeline_of(const RowState& collaboration, std::vector<RowState> rows) {
    Pipeline p;
    const std::string* status = collaboration.text("status");
    p.status = std::string(status_or_proposed(status ? *status : ""));
    rows.erase(
        std::remove_if(rows.begin(), rows.end(), [](const RowState& r) { return !r.visible(); }),
        rows.end());
    for (const auto& r : rows) {
        PipelineStep s;
        s.id = r.id;
        if (const auto* v = r.text("from")) s.from = *v;
        if (const auto* v = r.text("to")) s.to = *v;
        s.at = r.integer("at").value_or(0);
        if (const auto* v = r.text("staff")) s.staff = Id128::from_text(*v);
        if (const auto* v = r.text("note")) s.note = *v;
        p.steps.push_back(std::move(s));
    }
    // Trail order: the same on every replica holding the same entries.
    std::sort(p.steps.begin(), p.steps.end(), [](const PipelineStep& a, const PipelineStep& b) {
        return a.at != b.at ? a.at < b.at : a.id < b.id;
    });
    std::string_view before = "proposed";
    for (auto& s : p.steps) {
        if (!move_allowed(s.from, s.to))
            s.flag = "not_allowed";
        else if (status_or_proposed(s.from) != before)
            s.flag = "concurrent";
        if (!s.flag.empty()) ++p.flagged;
        before = canonical_status(s.to);
    }
    p.out_of_step = !p.steps.empty() && canonical_status(p.steps.back().to) != p.status;
    return p;
}

Result<Pipeline> collaboration_pipeline(Store& store, const Id128& collaboration) {
    auto row = store.load_row(Kind::kCollaboration, collaboration);
    if (!row) return row.status();
    if (!row.value() || !row.value()->visible())
        return Status(Code::kNotFound, "no collaboration " + collaboration.to_text());
    const int field = kind_def(Kind::kCollaborationStep).field_index("collaboration");
    auto ids = store.ids_where(Kind::kCollaborationStep, field, collaboration.to_text());
    if (!ids) return ids.status();
    std::vector<RowState> steps;
    for (const auto& id : ids.value()) {
        auto step = store.load_row(Kind::kCollaborationStep, id);
        if (!step) return step.status();
        if (step.value()) steps.push_back(std::move(*step.value()));
    }
    return pipeline_of(*row.value(), std::move(steps));
}

}  // namespace liaison::core
