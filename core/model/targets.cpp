#include "core/model/targets.hpp"

#include <algorithm>

#include "core/util/text.hpp"

namespace liaison::core {

const char* amec_stage_name(AmecStage s) {
    switch (s) {
        case AmecStage::kInputs:
            return "inputs";
        case AmecStage::kActivities:
            return "activities";
        case AmecStage::kOutputs:
            return "outputs";
        case AmecStage::kOuttakes:
            return "outtakes";
        case AmecStage::kOutcomes:
            return "outcomes";
        case AmecStage::kImpact:
            return "impact";
    }
    return "unknown";
}

// clang-format off
const std::vector<TargetMetric>& target_metrics() {
    using S = AmecStage;
    using U = TargetUnit;
    static const std::vector<TargetMetric> all = {
        {S::kInputs, "people_contacted", U::kCount},
        {S::kActivities, "contacts", U::kCount},
        {S::kActivities, "collaborations", U::kCount},
        {S::kActivities, "events", U::kCount},
        {S::kOutputs, "posts", U::kCount},
        {S::kOutputs, "mentions", U::kCount},
        {S::kOutputs, "impressions", U::kCount},
        {S::kOutputs, "reach", U::kCount},
        {S::kOutputs, "video_views", U::kCount},
        {S::kOuttakes, "engagements", U::kCount},
        {S::kOuttakes, "engagement_rate", U::kBasisPoints},
        {S::kOuttakes, "clicks", U::kCount},
        {S::kOuttakes, "click_through_rate", U::kBasisPoints},
        {S::kOutcomes, "conversions", U::kCount},
        {S::kOutcomes, "conversion_rate", U::kBasisPoints},
        {S::kOutcomes, "revenue", U::kMoney},
        {S::kImpact, "attributed_revenue", U::kMoney},
        {S::kImpact, "roi", U::kBasisPoints},
    };
    return all;
}
// clang-format on

namespace {

constexpr std::int64_t kMaxTarget = INT64_C(1000000000000000);

Status bad_target(std::string_view entry, const std::string& why) {
    return Status(Code::kBadFormat, "targets: \"" + std::string(entry) + "\" " + why);
}

}  // namespace

Result<std::vector<Target>> parse_targets(std::string_view text) {
    std::vector<Target> out;
    std::vector<std::size_t> order;  // index in target_metrics()
    const auto& table = target_metrics();
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t end = text.find_first_of(";\n", at);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view entry = trim(text.substr(at, end - at), " \t\r");
        at = end + 1;
        if (entry.empty()) continue;
        const std::size_t dot = entry.find('.'), eq = entry.find('=');
        if (dot == std::string_view::npos || eq == std::string_view::npos || eq < dot)
            return bad_target(entry,
                              "is not <stage>.<metric>=<value> (e.g. outputs.reach=2000000)");
        const std::string_view stage = trim(entry.substr(0, dot));
        const std::string_view metric = trim(entry.substr(dot + 1, eq - dot - 1));
        const std::string_view number = trim(entry.substr(eq + 1));
        std::size_t found = table.size();
        bool stage_known = false;
        for (std::size_t i = 0; i < table.size(); ++i) {
            if (amec_stage_name(table[i].stage) != stage) continue;
            stage_known = true;
            if (table[i].name == metric) found = i;
        }
        if (!stage_known)
            return bad_target(entry,
                              "names no AMEC stage (inputs, activities, outputs, outtakes, "
                              "outcomes, impact)");
        if (found == table.size()) {
            std::string known;
            for (const auto& m : table)
                if (amec_stage_name(m.stage) == stage)
                    known += (known.empty() ? "" : ", ") + std::string(m.name);
            return bad_target(entry,
                              "names no metric of " + std::string(stage) + " (" + known + ")");
        }
        std::int64_t value = 0;
        bool digits = !number.empty() && number.size() <= 16;
        for (char c : number) {
            if (c < '0' || c > '9') {
                digits = false;
                break;
            }
            value = value * 10 + (c - '0');
        }
        if (!digits || value > kMaxTarget)
            return bad_target(entry, "has no whole number from 0 to 10^15 after '='");
        if (std::find(order.begin(), order.end(), found) != order.end())
            return bad_target(entry, "sets a metric already set");
        order.push_back(found);
        out.push_back({table[found].stage, std::string(metric), value});
    }
    // The table's order: the same targets are the same text everywhere.
    std::vector<std::size_t> idx(out.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(),
              [&](std::size_t a, std::size_t b) { return order[a] < order[b]; });
    std::vector<Target> sorted;
    for (std::size_t i : idx) sorted.push_back(out[i]);
    return sorted;
}

std::string targets_text(const std::vector<Target>& targets) {
    std::string out;
    for (const auto& t : targets) {
        if (!out.empty()) out += '\n';
        out +=
            std::string(amec_stage_name(t.stage)) + "." + t.metric + "=" + std::to_string(t.value);
    }
    return out;
}

}  // namespace liaison::core
