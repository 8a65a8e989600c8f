#include "server/http/metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace liaison::server {
namespace {

void header(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void sample(std::string& out, const std::string& name, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %.17g\n", v);
    out += name + buf;
}

std::string le_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace

void HttpMetrics::observe(std::string_view route, std::string_view method, int status,
                          double seconds) {
    const int cls = std::clamp(status / 100, 0, 5);
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_[{std::string(route), std::string(method), cls}];
    ++classes_[std::size_t(cls)];
    auto& l = latency_[std::string(route)];
    auto it = std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds);
    if (it != kLatencyBuckets.end()) ++l.le[std::size_t(it - kLatencyBuckets.begin())];
    ++l.count;
    l.sum += seconds;
    if (route == "/api/v1/sync") {
        ++sync_count_;
        sync_seconds_ += seconds;
    }
}

std::string HttpMetrics::render(const SyncBackend::Stats& st) const {
    std::string out;
    header(out, "liaison_uptime_seconds", "gauge", "Seconds since the server started.");
    sample(out, "liaison_uptime_seconds",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
    {
        std::lock_guard<std::mutex> lock(mu_);
        header(out, "liaison_http_requests_total", "counter",
               "HTTP requests answered, by route template, method and status class.");
        for (const auto& [key, n] : requests_) {
            const auto& [route, method, cls] = key;
            sample(out,
                   "liaison_http_requests_total{route=\"" + route + "\",method=\"" + method +
                       "\",class=\"" + std::to_string(cls) + "xx\"}",
                   double(n));
        }
        header(out, "liaison_http_responses_total", "counter", "HTTP responses, by status class.");
        for (int c = 1; c <= 5; ++c)
            sample(out, "liaison_http_responses_total{class=\"" + std::to_string(c) + "xx\"}",
                   double(classes_[std::size_t(c)]));
        header(out, "liaison_http_request_duration_seconds", "histogram",
               "Time to answer HTTP requests, by route template.");
        for (const auto& [route, l] : latency_) {
            std::uint64_t cumulative = 0;
            const std::string labels = "{route=\"" + route + "\"";
            for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
                cumulative += l.le[i];
                sample(out,
                       "liaison_http_request_duration_seconds_bucket" + labels + ",le=\"" +
                           le_text(kLatencyBuckets[i]) + "\"}",
                       double(cumulative));
            }
            sample(out, "liaison_http_request_duration_seconds_bucket" + labels + ",le=\"+Inf\"}",
                   double(l.count));
            sample(out, "liaison_http_request_duration_seconds_sum" + labels + "}", l.sum);
            sample(out, "liaison_http_request_duration_seconds_count" + labels + "}",
                   double(l.count));
        }
        header(out, "liaison_sync_request_seconds", "summary",
               "Time spent answering sync requests.");
        sample(out, "liaison_sync_request_seconds_sum", sync_seconds_);
        sample(out, "liaison_sync_request_seconds_count", double(sync_count_));
    }
    header(out, "liaison_sync_exchanges_total", "counter", "Sync exchanges answered.");
    sample(out, "liaison_sync_exchanges_total", double(st.exchanges));
    header(out, "liaison_sync_operations_total", "counter",
           "Operations received (pushed, or written by the server), by outcome.");
    sample(out, "liaison_sync_operations_total{outcome=\"accepted\"}", double(st.ops.accepted));
    sample(out, "liaison_sync_operations_total{outcome=\"duplicate\"}", double(st.ops.duplicate));
    sample(out, "liaison_sync_operations_total{outcome=\"erased\"}", double(st.ops.erased));
    sample(out, "liaison_sync_operations_total{outcome=\"rejected\"}", double(st.ops.rejected));
    header(out, "liaison_group_commit_exchanges", "histogram",
           "Exchanges committed together in one transaction (group commit).");
    std::uint64_t cumulative = 0, sum = 0;
    for (std::size_t n = 1; n < st.commits_by_size.size(); ++n) {
        cumulative += st.commits_by_size[n];
        sum += n * st.commits_by_size[n];
        if ((n & (n - 1)) == 0)  // powers of two: 1, 2, 4 … kMaxGroupSize
            sample(out, "liaison_group_commit_exchanges_bucket{le=\"" + std::to_string(n) + "\"}",
                   double(cumulative));
    }
    sample(out, "liaison_group_commit_exchanges_bucket{le=\"+Inf\"}", double(cumulative));
    sample(out, "liaison_group_commit_exchanges_sum", double(sum));
    sample(out, "liaison_group_commit_exchanges_count", double(cumulative));
    header(out, "liaison_store_sequence", "gauge", "The central record's change sequence.");
    sample(out, "liaison_store_sequence", double(st.last_seq));
    header(out, "liaison_database_size_bytes", "gauge",
           "Size of the database file (pages in use and free), in bytes.");
    sample(out, "liaison_database_size_bytes", double(st.db_bytes));
    return out;
}

}  // namespace liaison::server
