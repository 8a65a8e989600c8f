#include "core/util/status.hpp"

namespace liaison {
namespace {

struct CodeText {
    const char* name;
    const char* message;
};

// Indexed by Code; the order must follow the enum (checked by tests/core/status_test.cpp).
constexpr CodeText kCodeTexts[kCodeCount] = {
    {"ok", "Success."},
    {"invalid_argument", "A value is not valid."},
    {"required", "A required field is missing."},
    {"too_long", "A value is longer than allowed."},
    {"bad_format", "A value is not in the expected format."},
    {"unknown_value", "A value is not one of the allowed choices."},
    {"unknown_kind", "No such kind of record."},
    {"unknown_field", "No such field for this kind of record."},
    {"not_found", "No such record."},
    {"erased", "This record was erased under data protection rules."},
    {"conflict", "The change contradicts the record as it stands."},
    {"clock_ahead", "The change is stamped too far in the future; check the device clock."},
    {"out_of_scope", "This record is outside your scope."},
    {"forbidden", "Your role does not allow this."},
    {"malformed", "The message could not be read."},
    {"unsupported_version", "This version of the format is not supported."},
    {"too_large", "The request or value is larger than allowed."},
    {"storage", "The database could not complete the operation."},
    {"internal", "An internal error occurred."},
    {"upgrade_required", "This app is older than the server accepts: update it, then sync again."},
};

}  // namespace

const char* code_name(Code code) {
    auto i = static_cast<int>(code);
    return i < kCodeCount ? kCodeTexts[i].name : "internal";
}

const char* code_message(Code code) {
    auto i = static_cast<int>(code);
    return i < kCodeCount ? kCodeTexts[i].message : kCodeTexts[int(Code::kInternal)].message;
}

std::optional<Code> code_from_name(const std::string& name) {
    for (int i = 0; i < kCodeCount; ++i)
        if (name == kCodeTexts[i].name) return static_cast<Code>(i);
    return std::nullopt;
}

std::string Status::to_string() const {
    std::string s = code_name(code_);
    if (!detail_.empty()) s += ": " + detail_;
    return s;
}

}  // namespace liaison
