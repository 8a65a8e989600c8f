// A device's AMEC report over its replica, outside the browser: natively, and built by the
// WebAssembly tree (replica_report_bench.js, run under node) over the same file, so that the
// browser's figure (bench/web/reports.mjs) can be split into what WebAssembly costs and what
// the browser adds (docs/PERFORMANCE.md, "Reports"). The file is one a regional laptop synced
// in Chromium: `node bench/web/reports.mjs … --keep-replica FILE` copies it out.
//
//   replica_report_bench --db FILE --region ID [--rounds 8] [--now-ms MS] [--statements]
//
// Opens the file as the device does (core::Store, the replica's page cache), then runs the
// five variants bench/web/reports.mjs asks for (no filter; the last 90 days; by month; the
// linear model; by department over 180 days) with the regional manager's scope (her region),
// `--rounds` times each through core::run_report, and prints each variant's p50 and p95, a
// hash of its JSON (the same on every host for the same file and --now-ms), and the p95 of
// every run. With --statements, the statements that took the most time over one more round of
// each variant, timed by the connection (core::Database::set_statement_sink).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "core/query/reports.hpp"
#include "core/query/view.hpp"
#include "core/storage/store.hpp"

namespace {

using namespace liaison;
using bench::Clock;
using bench::die;
using bench::ms_since;

constexpr std::int64_t kDayMs = 86400000;

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto rank = std::size_t(std::max(1.0, double(v.size()) * p / 100.0 + 0.999999));
    return v[std::min(v.size(), rank) - 1];
}

// FNV-1a of the report's JSON: equal figures, equal hash.
std::uint64_t fnv(const std::string& s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    return h;
}

struct Variant {
    const char* name;
    std::string from, to, group_by, model;
};

// A statement's SQL for a line of output: blob lists and long texts shortened.
std::string brief(std::string_view sql) {
    std::string out;
    for (std::size_t i = 0; i < sql.size() && out.size() < 220; ++i) {
        if (sql.compare(i, 2, "X'") == 0) {
            auto end = sql.find('\'', i + 2);
            if (end != std::string_view::npos) {
                out += "X'…'";
                i = end;
                continue;
            }
        }
        out += sql[i] == '\n' ? ' ' : sql[i];
    }
    return out.size() >= 220 ? out + " …" : out;
}

}  // namespace

int main(int argc, char** argv) {
    bench::program() = "replica_report_bench";
    std::string db_path, region;
    int rounds = 8;
    std::int64_t now_ms = 0;
    bool statements = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--statements") {
            statements = true;
            continue;
        }
        if (i + 1 >= argc) die(a + " needs a value");
        const std::string v = argv[++i];
        if (a == "--db")
            db_path = v;
        else if (a == "--region")
            region = v;
        else if (a == "--rounds")
            rounds = std::max(1, std::atoi(v.c_str()));
        else if (a == "--now-ms")
            now_ms = std::atoll(v.c_str());
        else
            die("unknown option " + a);
    }
    if (db_path.empty() || region.empty())
        die("usage: replica_report_bench --db FILE --region ID [--rounds N] [--now-ms MS] "
            "[--statements]");
    if (!core::Id128::from_text(region)) die("--region: not an id");
    if (now_ms == 0)
        now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();

    auto t0 = Clock::now();
    auto store = bench::must(core::Store::open(db_path, {}), "open");
    std::printf("opened %s in %.1f ms\n", db_path.c_str(), ms_since(t0));

    const auto day = [&](std::int64_t days_ago) {
        return core::iso_date(now_ms - days_ago * kDayMs);
    };
    const std::vector<Variant> variants = {
        {"all", "", "", "", ""},
        {"90 days", day(90), day(0), "", ""},
        {"by month", "", "", "month", ""},
        {"linear", "", "", "", "linear"},
        {"by department, 180 days", day(180), day(0), "department", ""},
    };
    auto query = [&](const Variant& v) {
        core::ReportQuery q;
        q.report = "amec";
        q.from = v.from;
        q.to = v.to;
        q.group_by = v.group_by;
        q.model = v.model;
        q.now_ms = now_ms;
        q.scope.global = false;
        q.scope.regions = {region};
        return q;
    };

    // As the app does before a device's report (core::index_report_place): the index of the
    // contacts the scope places, made once (its time printed) and current after that.
    t0 = Clock::now();
    bench::must(core::index_report_place(*store, query(variants.front()).scope), "place index");
    std::printf("place index: ready in %.1f ms\n", ms_since(t0));

    std::vector<double> all;
    for (const auto& v : variants) {
        std::vector<double> times;
        std::uint64_t hash = 0;
        for (int r = 0; r < rounds; ++r) {
            t0 = Clock::now();
            auto report = bench::must(core::run_report(*store, query(v)), v.name);
            const std::string json = core::report_json(report);
            times.push_back(ms_since(t0));
            hash = fnv(json);
        }
        all.insert(all.end(), times.begin(), times.end());
        std::printf("%-24s p50 %7.1f ms  p95 %7.1f ms  first %7.1f ms  json %016llx\n", v.name,
                    percentile(times, 50), percentile(times, 95), times.front(),
                    static_cast<unsigned long long>(hash));
    }
    std::printf("replica_report_p50_ms=%.1f replica_report_p95_ms=%.1f (%zu runs)\n",
                percentile(all, 50), percentile(all, 95), all.size());

    if (statements) {
        struct Sum {
            int runs = 0;
            double ms = 0;
        };
        std::map<std::string, Sum> by_sql;
        double total = 0;
        store->db().set_statement_sink([&](std::string_view sql, double ms) {
            auto& s = by_sql[std::string(sql)];
            ++s.runs;
            s.ms += ms;
        });
        for (const auto& v : variants) {
            t0 = Clock::now();
            (void)bench::must(core::run_report(*store, query(v)), v.name);
            total += ms_since(t0);
        }
        store->db().set_statement_sink({});
        std::vector<std::pair<std::string, Sum>> sorted(by_sql.begin(), by_sql.end());
        std::sort(sorted.begin(), sorted.end(),
                  [](const auto& a, const auto& b) { return a.second.ms > b.second.ms; });
        double in_sql = 0;
        for (const auto& [sql, s] : sorted) in_sql += s.ms;
        std::printf("statements over one round of each variant: %.1f ms of %.1f ms in SQL\n",
                    in_sql, total);
        // Each statement alone (those without parameters), stepped to its end with nothing
        // done per row: what SQLite takes, apart from the report's C++ fold of its rows.
        auto bare_ms = [&](const std::string& sql) -> double {
            if (sql.find('?') != std::string::npos) return -1;
            auto st = store->db().prepare(sql);
            if (!st) return -1;
            const auto t = Clock::now();
            while (st->step() == core::Statement::Step::kRow) {
            }
            return ms_since(t);
        };
        std::printf("  %8s %8s %7s  (bare: the statement alone, rows not read)\n", "ms", "bare ms",
                    "runs");
        for (std::size_t i = 0; i < sorted.size() && i < 15; ++i) {
            const auto& [sql, s] = sorted[i];
            const double bare = bare_ms(sql);
            std::printf("  %8.1f %8s %6d× %s\n", s.ms,
                        bare < 0 ? "-" : std::to_string(int(bare * s.runs)).c_str(), s.runs,
                        brief(sql).c_str());
        }
    }
    return 0;
}
