// Hybrid logical clock (docs/DESIGN.md §4, docs/SYNC.md rule 9).
//
// An HLC value is one 64-bit integer: 48 bits of milliseconds since the Unix epoch, then a
// 16-bit counter. It sorts as an unsigned integer. `send()` stamps a local operation;
// `receive()` lifts the clock past every stamp seen, so an edit made after seeing a value
// always carries a greater stamp than that value. Counter overflow advances the millisecond.
// The physical time is the injected TimeSource plus an offset learned from the server.
//
// Persistence: the caller stores state() in the same transaction as the operation it stamped.
// Thread-safety: not thread-safe; one clock per replica.
#pragma once

#include <cstdint>

namespace liaison::sync {

inline constexpr int kHlcCounterBits = 16;
// The server refuses operations stamped more than this far in its future (per operation, with
// its own time in the answer): a tablet whose clock is a year ahead must not win every conflict.
inline constexpr std::uint64_t kMaxFutureMs = 120'000;

inline std::uint64_t hlc_millis(std::uint64_t hlc) { return hlc >> kHlcCounterBits; }
inline std::uint64_t hlc_from_millis(std::uint64_t ms) { return ms << kHlcCounterBits; }

class TimeSource {
public:
    virtual ~TimeSource() = default;
    // Wall-clock milliseconds since the Unix epoch.
    virtual std::uint64_t now_ms() = 0;
};

class SystemTimeSource final : public TimeSource {
public:
    std::uint64_t now_ms() override;
};

// A clock tests set by hand.
class ManualTimeSource final : public TimeSource {
public:
    explicit ManualTimeSource(std::uint64_t ms = 1'700'000'000'000ULL) : ms_(ms) {}
    std::uint64_t now_ms() override { return ms_; }
    void set(std::uint64_t ms) { ms_ = ms; }
    void advance(std::uint64_t ms) { ms_ += ms; }

private:
    std::uint64_t ms_;
};

class HybridClock {
public:
    HybridClock(TimeSource& time, std::uint64_t state = 0, std::int64_t offset_ms = 0)
        : time_(time), state_(state), offset_ms_(offset_ms) {}

    // Physical time as this replica believes the server sees it.
    std::uint64_t physical_ms() const;
    // A new stamp, strictly greater than every stamp sent or received before.
    std::uint64_t send();
    // Takes a remote stamp into account (its value may be far ahead; see kMaxFutureMs).
    void receive(std::uint64_t remote);
    std::uint64_t state() const { return state_; }
    std::int64_t offset_ms() const { return offset_ms_; }
    // Learns the server's clock: offset = server time - local wall time.
    void set_offset_ms(std::int64_t offset) { offset_ms_ = offset; }
    // Restores the persisted state (on open, or after a failed transaction).
    void restore(std::uint64_t state, std::int64_t offset_ms) {
        state_ = state;
        offset_ms_ = offset_ms;
    }

private:
    TimeSource& time_;
    std::uint64_t state_;
    std::int64_t offset_ms_;
};

}  // namespace liaison::sync
