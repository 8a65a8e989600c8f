#include "server/admin/migrate.hpp"

#include <filesystem>
#include <ostream>

#include "core/storage/accounts.hpp"
#include "core/storage/store.hpp"
#include "server/admin/accounts.hpp"
#include "sync/generations.hpp"

namespace liaison::server {
namespace {

// Progress is printed for a table when it is done, and every this many rows of a long one.
constexpr std::int64_t kProgressEveryRows = 100'000;

// The stores as `serve` opens them (WAL, synchronous=FULL, the central record's page cache).
Result<std::unique_ptr<core::Store>> open(const std::string& db) {
    return core::Store::open(db, core::StoreOptions{true, true, core::kCentralCacheMiB});
}

// A new SQLite file this run made, with its write-ahead log, removed after a failure.
void remove_file(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(path + suffix, ec);
}

Result<MigrateSummary> run(const MigrateRequest& request, std::ostream& progress, bool& created) {
    std::error_code ec;
    if (!core::is_postgres_url(request.from) && !std::filesystem::exists(request.from, ec))
        return Status::not_found(request.from + ": no such file");
    if (!core::is_postgres_url(request.to) && std::filesystem::exists(request.to, ec) &&
        std::filesystem::file_size(request.to, ec) > 0) {
        // Opening a file as a store lays the record out in it: only a Liaison file is opened.
        auto info = core::inspect_file(request.to);
        if (!info || !info->holds_record())
            return Status(Code::kConflict,
                          request.to +
                              " exists and is not a Liaison database: migrate writes into a new "
                              "file or an empty database");
    }
    auto from = open(request.from);
    if (!from) return from.status();
    if (!core::has_accounts_schema(*from.value()))
        return Status::not_found(
            "the source is not a liaison-server database (nothing to migrate)");
    created = !core::is_postgres_url(request.to) && !std::filesystem::exists(request.to, ec);
    auto to = open(request.to);
    if (!to) return to.status();

    core::Store& dst = *to.value();
    auto copy = core::DatabaseCopy::begin(*from.value(), dst);
    if (!copy) return copy.status();
    std::int64_t next_line = kProgressEveryRows;  // of the table being copied
    auto report = copy.value()->copy([&](std::string_view table, std::int64_t rows, bool done) {
        if (done ? rows > 0 : rows >= next_line)
            progress << "migrate: " << table << ": " << rows << " rows" << (done ? "" : "...")
                     << "\n"
                     << std::flush;
        next_line =
            done ? kProgressEveryRows : (rows / kProgressEveryRows + 1) * kProgressEveryRows;
    });
    if (!report) return report.status();
    // Its cursors and op log are the source's, but a device cannot tell this database from the
    // one it synced with otherwise: a new generation makes every device re-push what it
    // authored and re-pull (docs/SYNC.md "Generations").
    LIAISON_TRY(sync::renew_database_generation(dst, *core::make_random_id_source()));
    LIAISON_TRY(audit(dst, "cli", "migrate", "from " + report->source));
    LIAISON_TRY(copy.value()->commit());
    MigrateSummary summary;
    summary.copy = std::move(report).value();
    summary.generation = sync::database_generation(dst);
    summary.created = created;
    return summary;
}

}  // namespace

Status check_migrate_request(const MigrateRequest& r) {
    if (r.from.empty() || r.to.empty())
        return Status::invalid("migrate needs --from DB --to DB (a file or a postgresql:// URL)");
    for (const std::string* db : {&r.from, &r.to})
        if (!core::is_postgres_url(*db) && db->find("://") != std::string::npos)
            return Status::invalid(*db +
                                   ": not a PostgreSQL URL (postgresql://user@host/db) nor a file");
    std::error_code ec;
    const bool same =
        r.from == r.to || (!core::is_postgres_url(r.from) && !core::is_postgres_url(r.to) &&
                           std::filesystem::equivalent(r.from, r.to, ec) && !ec);
    if (same) return Status::invalid("--from and --to name the same database");
    return Status::ok();
}

Result<MigrateSummary> migrate_database(const MigrateRequest& request, std::ostream& progress) {
    LIAISON_TRY(check_migrate_request(request));
    bool created = false;
    auto summary = run(request, progress, created);  // its stores are closed on return
    if (!summary && created) remove_file(request.to);
    return summary;
}

std::string migrate_summary_text(const MigrateSummary& s) {
    std::string out = s.copy.source + " -> " + s.copy.destination + ": migrated\n";
    for (const auto& t : s.copy.tables)
        out += "  " + t.table + "\t" + std::to_string(t.rows) + "\n";
    out += "tables " + std::to_string(s.copy.tables.size()) + ", rows " +
           std::to_string(s.copy.rows) + ", full-text entries rebuilt " +
           std::to_string(s.copy.reindexed) + "\n";
    out += "state hash " + s.copy.source_hash + " (source)\n";
    out += "state hash " + s.copy.destination_hash + " (destination)\n";
    out += "database generation " + s.generation.to_text() +
           " (new: devices re-push what they authored and re-pull)\n";
    return out;
}

}  // namespace liaison::server
