#include "sync/hlc.hpp"

#include <algorithm>
#include <chrono>

namespace liaison::sync {

std::uint64_t SystemTimeSource::now_ms() {
    using namespace std::chrono;
    return std::uint64_t(
        duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

std::uint64_t HybridClock::physical_ms() const {
    std::int64_t t = std::int64_t(time_.now_ms()) + offset_ms_;
    return t < 0 ? 0 : std::uint64_t(t);
}

std::uint64_t HybridClock::send() {
    // (l, c) packed: max(state + 1, pt << 16) is exactly "l' = max(l, pt); c' = l' == l ? c + 1
    // : 0", and a counter overflow carries into the millisecond.
    state_ = std::max(state_ + 1, hlc_from_millis(physical_ms()));
    return state_;
}

void HybridClock::receive(std::uint64_t remote) {
    // The standard HLC receive rule in packed form: max(max(l, m) + 1, pt << 16).
    state_ = std::max(std::max(state_, remote) + 1, hlc_from_millis(physical_ms()));
}

}  // namespace liaison::sync
