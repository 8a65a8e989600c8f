// Errors as values: one closed enum with stable names and messages, a Status and a Result<T>.
//
// Every user or peer mistake (bad input, unknown field, malformed message, refused operation)
// is reported as a Status; `assert` is only for programmer errors. The names are part of the
// API (HTTP bodies, the JavaScript façade and the sync protocol carry them) and never change
// meaning; new codes are appended. A test checks that every code has a name and a message.
//
// Thread-safety: values, no shared state.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace liaison {

enum class Code : std::uint8_t {
    kOk = 0,
    kInvalidArgument,     // a value failed validation (field-level detail in the message)
    kRequired,            // a required field is missing
    kTooLong,             // text over its bound
    kBadFormat,           // e-mail, URL, phone, handle, date, id ... not in its format
    kUnknownValue,        // not one of an enumeration's values
    kUnknownKind,         // entity kind not in the schema
    kUnknownField,        // field not in the kind's schema
    kNotFound,            // no such entity
    kErased,              // the entity was erased (GDPR); the operation is dropped
    kConflict,            // the operation contradicts the record (e.g. editing a tombstone)
    kClockAhead,          // operation stamped too far in the receiver's future
    kOutOfScope,          // the caller's scope does not cover the entity
    kForbidden,           // the caller's role may not do this
    kMalformed,           // a message could not be decoded (truncated, garbage)
    kUnsupportedVersion,  // a message or file format version this build does not read
    kTooLarge,            // a message, batch or value over its limit
    kStorage,             // the database failed (I/O, full, corrupt)
    kInternal,            // a bug: should never reach a user
    kUpgradeRequired,     // the app is older than the server accepts: update it, then sync
};

inline constexpr int kCodeCount = static_cast<int>(Code::kUpgradeRequired) + 1;

// Stable snake_case name of a code, e.g. "clock_ahead".
const char* code_name(Code code);
// One-sentence English explanation of a code, for people.
const char* code_message(Code code);
// Parses a name back to a code; nullopt for an unknown name.
std::optional<Code> code_from_name(const std::string& name);

class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Code code, std::string detail) : code_(code), detail_(std::move(detail)) {}

    static Status ok() { return {}; }
    static Status invalid(std::string detail) {
        return {Code::kInvalidArgument, std::move(detail)};
    }
    static Status malformed(std::string detail) { return {Code::kMalformed, std::move(detail)}; }
    static Status storage(std::string detail) { return {Code::kStorage, std::move(detail)}; }
    static Status not_found(std::string detail) { return {Code::kNotFound, std::move(detail)}; }

    bool is_ok() const { return code_ == Code::kOk; }
    explicit operator bool() const { return is_ok(); }
    Code code() const { return code_; }
    // Specific detail ("field 'email': not an e-mail address"), or empty.
    const std::string& detail() const { return detail_; }
    // "code_name: detail" for logs and test output.
    std::string to_string() const;

private:
    Code code_ = Code::kOk;
    std::string detail_;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
    Result(Status status) : status_(std::move(status)) { assert(!status_.is_ok()); }  // NOLINT

    bool is_ok() const { return status_.is_ok(); }
    explicit operator bool() const { return is_ok(); }
    const Status& status() const { return status_; }
    // Requires: is_ok().
    T& value() & {
        assert(is_ok());
        return *value_;
    }
    const T& value() const& {
        assert(is_ok());
        return *value_;
    }
    T&& value() && {
        assert(is_ok());
        return std::move(*value_);
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }

private:
    Status status_;
    std::optional<T> value_;
};

}  // namespace liaison

// Propagates a failed Status from an expression returning Status.
#define LIAISON_TRY(expr)                           \
    do {                                            \
        ::liaison::Status liaison_s_ = (expr);      \
        if (!liaison_s_.is_ok()) return liaison_s_; \
    } while (0)
