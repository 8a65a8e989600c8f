#include "core/storage/lineage.hpp"

#include <cstdlib>

namespace liaison::core {

Result<std::optional<std::string>> database_lineage(Database& db) {
    if (db.backend() != Backend::kPostgres) return std::optional<std::string>{};
    // During recovery pg_current_wal_lsn() fails with a message naming WAL control functions,
    // which would not tell the operator what is wrong.
    const auto recovering = db.query_int("SELECT pg_is_in_recovery()");
    if (!recovering)
        return Status::storage("cannot ask PostgreSQL whether it is a standby: " + db.error());
    if (*recovering)
        return Status::storage(
            "the PostgreSQL server is a standby in recovery (read-only): point --db at the "
            "primary, or promote this standby first (docs/SCALING.md §4)");
    auto st = db.prepare(
        "SELECT system_identifier::text, pg_walfile_name(pg_current_wal_lsn()) "
        "FROM pg_control_system()");
    if (!st) return st.status();
    if (st->step() != Statement::Step::kRow)
        return Status::storage("the PostgreSQL timeline: " + st->error());
    const std::string system = st->column_text(0);
    const std::string wal_file = st->column_text(1);
    // A WAL file's name is 24 hexadecimal digits, the first 8 its timeline.
    constexpr std::size_t kWalFileNameLength = 24, kTimelineDigits = 8;
    char* end = nullptr;
    const std::string digits = wal_file.substr(0, kTimelineDigits);
    const unsigned long timeline = std::strtoul(digits.c_str(), &end, 16);
    if (system.empty() || wal_file.size() != kWalFileNameLength ||
        end != digits.c_str() + kTimelineDigits || timeline == 0)
        return Status::storage("unexpected answer from PostgreSQL for its timeline: system " +
                               system + ", WAL file " + wal_file);
    return std::optional<std::string>(system + "/" + std::to_string(timeline));
}

}  // namespace liaison::core
