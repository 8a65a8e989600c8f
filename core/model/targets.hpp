// The KPI targets a campaign sets, by AMEC stage (docs/PROGRAMMES.md, "Targets"): the rule
// table of what may be targeted, and the text form a campaign's `targets` field holds.
//
// A campaign's targets are one field (record model 6), an LWW register like any other: one
// line per target, "<stage>.<metric>=<value>", e.g. "outputs.reach=2000000". Values are whole
// numbers: counts, amounts in minor units of the campaign's currency (`money`), or rates in
// basis points (`basis_points`, 350 = 3.50 %). Normalised to the table's order, one line each,
// so that the same targets are the same text on every device.
//
// Metrics are only appended (a device reads a campaign written by a newer build: a metric it
// does not know is refused at validation, as an unknown enum value is).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/util/status.hpp"

namespace liaison::core {

// The AMEC integrated evaluation framework's stages, in order.
enum class AmecStage : std::uint8_t {
    kInputs,
    kActivities,
    kOutputs,
    kOuttakes,
    kOutcomes,
    kImpact
};

enum class TargetUnit : std::uint8_t { kCount, kMoney, kBasisPoints };

struct TargetMetric {
    AmecStage stage;
    std::string_view name;  // unique within its stage
    TargetUnit unit;
};

const char* amec_stage_name(AmecStage s);
// Every metric a campaign may target, in the order the targets text lists them.
const std::vector<TargetMetric>& target_metrics();

struct Target {
    AmecStage stage;
    std::string metric;
    std::int64_t value = 0;
};

// Parses a targets text (lines or ';'-separated entries; blank entries ignored). Refuses an
// unknown stage or metric, a value that is not a whole number from 0 to 10^15, and a metric
// given twice — each with the entry it is about.
Result<std::vector<Target>> parse_targets(std::string_view text);
// The canonical text of `targets`: the table's order, one "stage.metric=value" per line.
std::string targets_text(const std::vector<Target>& targets);

}  // namespace liaison::core
