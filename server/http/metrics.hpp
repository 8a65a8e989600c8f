// The server's metrics in the Prometheus text exposition format (version 0.0.4), served at
// GET /metrics (admin token) and, for older scrapers, GET /api/v1/admin/metrics.
//
//   liaison_uptime_seconds                                   gauge
//   liaison_http_requests_total{route,method,class}          counter  (class: 2xx, 4xx …)
//   liaison_http_responses_total{class}                      counter  (kept from version 1)
//   liaison_http_request_duration_seconds{route}             histogram (kLatencyBuckets)
//   liaison_sync_request_seconds                             summary  (kept from version 1)
//   liaison_sync_exchanges_total                             counter
//   liaison_sync_operations_total{outcome}                   counter  accepted, duplicate,
//                                                                     erased, rejected
//   liaison_group_commit_exchanges                           histogram (exchanges per commit)
//   liaison_store_sequence                                   gauge
//   liaison_database_size_bytes                              gauge
// `route` is a route template ("/api/v1/influencers/{id}", "/l/{code}", "static"), never a raw
// path: labels stay few and carry no ids or personal data.
//
// Thread-safety: HttpMetrics::observe and render may be called from many threads.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "server/backend/sync_backend.hpp"

namespace liaison::server {

// Upper bounds of the latency histogram, in seconds.
inline constexpr std::array<double, 12> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,   0.25,   0.5,   1,    2.5,   10};

class HttpMetrics {
public:
    // One answered request: its route template, method, status and duration.
    void observe(std::string_view route, std::string_view method, int status, double seconds);
    // The whole exposition, with the backend's figures.
    std::string render(const SyncBackend::Stats& stats) const;

private:
    struct Latency {
        std::array<std::uint64_t, kLatencyBuckets.size()> le{};  // per bucket (not cumulative)
        std::uint64_t count = 0;
        double sum = 0;
    };
    const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    mutable std::mutex mu_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t>
        requests_;  // route, method, class
    std::map<std::string, Latency> latency_;
    std::array<std::uint64_t, 6> classes_{};
    std::uint64_t sync_count_ = 0;
    double sync_seconds_ = 0;
};

}  // namespace liaison::server
