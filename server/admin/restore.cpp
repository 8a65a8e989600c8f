// Restore from a backup (restore.hpp).
#include "server/admin/restore.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

#include "core/query/queries.hpp"
#include "core/storage/accounts.hpp"
#include "core/storage/store.hpp"
#include "server/admin/accounts.hpp"
#include "sync/generations.hpp"
#include "sync/merge.hpp"

namespace liaison::server {
namespace {

namespace fs = std::filesystem;

Status fsync_path(const std::string& path, bool directory) {
    int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) return Status::storage("cannot open " + path + " to sync it");
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return Status::storage("fsync " + path + " failed");
    return Status::ok();
}

// "<db>.before-restore-20261123T130501Z", made unique with a suffix if taken.
std::string aside_name(const std::string& live, std::int64_t now_ms) {
    std::time_t t = std::time_t(now_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    std::string base = live + ".before-restore-" + stamp;
    std::string name = base;
    std::error_code ec;
    for (int i = 2; fs::exists(name, ec) || fs::exists(name + "-wal", ec); ++i)
        name = base + "-" + std::to_string(i);
    return name;
}

// How many visible rows of `kind` the restored file holds; -1 if it cannot be read.
std::int64_t visible_rows(core::Store& store, core::Kind kind) {
    auto n = core::count_visible(store, kind);
    return n ? n.value() : -1;
}

}  // namespace

Result<BackupInfo> check_backup(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return Status::not_found(path + ": no such file");
    auto file = core::inspect_file(path);
    if (!file)
        return Status::malformed(path + ": not a SQLite database, or damaged (" +
                                 file.status().detail() + ")");
    if (file->integrity != "ok")
        return Status::malformed(
            path + ": damaged (integrity_check: " + file->integrity.substr(0, 200) + ")");
    BackupInfo info;
    info.storage_version = file->storage_version;
    if (info.storage_version > core::kStorageVersion)
        return Status(Code::kUnsupportedVersion,
                      path + ": written by a newer Liaison (storage version " +
                          std::to_string(info.storage_version) + ", this build reads up to " +
                          std::to_string(core::kStorageVersion) +
                          "); upgrade liaison-server first");
    if (info.storage_version < 1 || !file->holds_record() || !core::holds_accounts(file.value()))
        return Status::malformed(path + ": not a liaison-server database");
    if (auto v = file->meta.find(core::kAccountsSchemaKey); v != file->meta.end())
        info.server_schema_version = std::atoi(v->second.c_str());
    if (info.server_schema_version < 1)
        return Status::malformed(path + ": not a liaison-server database (no server tables)");
    if (info.server_schema_version > kServerSchemaVersion)
        return Status(Code::kUnsupportedVersion,
                      path +
                          ": its server tables were written by a newer liaison-server (version " +
                          std::to_string(info.server_schema_version) + ", this build reads up to " +
                          std::to_string(kServerSchemaVersion) + "); upgrade liaison-server first");
    return info;
}

namespace {

// Erases, in the restored copy, every id the live file had erased (R7: the person, their
// duplicates and every entry about them), numbered above the live file's cursors so that
// devices pull the markers. secure_delete zeroes the freed bytes; the copy has no WAL.
// Each id goes with the kind it was erased as, when the live file noted one (R11 then refuses
// a later operation naming it as another kind, docs/SYNC.md).
using Erasure = std::pair<core::Id128, std::optional<core::Kind>>;

Status carry_erasures(const std::string& copy, const std::vector<Erasure>& erased,
                      std::int64_t replaced_seq) {
    auto store = core::Store::open(copy, core::StoreOptions{});
    if (!store) return store.status();
    sync::MergeEngine merge(*store.value());
    core::WriteTxn txn(*store.value());
    LIAISON_TRY(txn.begun());
    LIAISON_TRY(store.value()->raise_seq_floor(replaced_seq));
    for (const auto& [id, kind] : erased) LIAISON_TRY(merge.erase(id, kind));
    return txn.commit();
}

}  // namespace

Result<RestoreReport> restore_database(const std::string& live, const std::string& backup,
                                       std::int64_t now_ms) {
    std::error_code ec;
    if (fs::exists(live, ec) && fs::equivalent(live, backup, ec))
        return Status::invalid("the backup is the live database itself");
    auto info = check_backup(backup);
    if (!info) return info.status();

    // 2. A consistent copy next to the live file (same file system: the rename is atomic).
    const fs::path live_path = fs::absolute(live, ec);
    std::string tmp_name = ".";  // hidden, and never taken for a database by a glob
    tmp_name += live_path.filename().string();
    tmp_name += ".restore-" + std::to_string(::getpid());
    const std::string tmp = (live_path.parent_path() / tmp_name).string();
    fs::remove(tmp, ec);
    struct Cleanup {
        std::string path;
        bool armed = true;
        ~Cleanup() {
            std::error_code e;
            if (armed) fs::remove(path, e);
        }
    } cleanup{tmp};
    LIAISON_TRY(core::copy_file(backup, tmp));
    LIAISON_TRY(fsync_path(tmp, false));
    struct stat live_st {};
    const bool had_live = ::stat(live.c_str(), &live_st) == 0;
    ::chmod(tmp.c_str(), had_live ? (live_st.st_mode & 07777) : 0600);
    if (auto copy = check_backup(tmp); !copy)
        return Status::storage("the copy of the backup does not check out: " +
                               copy.status().detail());

    // 3. Remember how far the live file's sequence went (devices hold cursors up to there)
    // and whom it erased: an erasure is for good, and the backup may predate it.
    RestoreReport report;
    std::int64_t replaced_seq = 0;
    if (had_live) {
        std::vector<Erasure> erased;
        {
            auto old_store = core::Store::open(live, core::StoreOptions{true, true});
            if (!old_store)
                return Status::storage("cannot read the live database before replacing it: " +
                                       old_store.status().detail());
            replaced_seq = old_store.value()->last_seq();
            for (const auto& id : old_store.value()->erased_ids()) {
                auto kind = old_store.value()->erased_kind(id);
                if (!kind) return kind.status();
                erased.emplace_back(id, kind.value());
            }
            // Its -wal into the file, so that the file kept aside holds everything.
            (void)old_store.value()->scrub_log();
        }
        LIAISON_TRY(carry_erasures(tmp, erased, replaced_seq));
        LIAISON_TRY(fsync_path(tmp, false));
        // Keep the live file aside, with everything its -wal held.
        report.kept_aside = aside_name(live, now_ms);
        if (::link(live.c_str(), report.kept_aside.c_str()) != 0) {
            fs::copy_file(live, report.kept_aside, ec);
            if (ec)
                return Status::storage("cannot keep " + live + " aside as " + report.kept_aside +
                                       ": " + ec.message());
        }
        // A -wal left by a checkpoint that could not run belongs to the kept file.
        const std::string wal = live + "-wal";
        if (fs::exists(wal, ec) && fs::file_size(wal, ec) > 0) {
            fs::rename(wal, report.kept_aside + "-wal", ec);
            if (ec) return Status::storage("cannot move " + wal + " aside: " + ec.message());
        }
        // Never leave a -wal or -shm of the old file next to the new one: SQLite would read it.
        fs::remove(wal, ec);
        fs::remove(live + "-shm", ec);
    }

    // 4. The atomic switch.
    if (::rename(tmp.c_str(), live.c_str()) != 0)
        return Status::storage("cannot rename " + tmp + " to " + live);
    cleanup.armed = false;
    LIAISON_TRY(fsync_path(live_path.parent_path().string(), true));

    // 5. What is there now.
    auto store = core::Store::open(live, core::StoreOptions{true, true});
    if (!store) return store.status();
    LIAISON_TRY(ensure_server_schema(*store.value()));
    {
        // The restored file's changes from now on get sequence numbers above every cursor
        // the replaced file handed out, so devices receive them (docs/OPERATIONS.md).
        core::WriteTxn txn(*store.value());
        LIAISON_TRY(txn.begun());
        LIAISON_TRY(store.value()->raise_seq_floor(replaced_seq));
        // A new database generation: every device re-pushes what it authored (this file may
        // lack it) and re-pulls from 0 (docs/SYNC.md "Generations").
        LIAISON_TRY(
            sync::renew_database_generation(*store.value(), *core::make_random_id_source()));
        LIAISON_TRY(txn.commit());
    }
    report.storage_version = store.value()->storage_version();
    auto hash = store.value()->state_hash();
    if (!hash) return hash.status();
    report.state_hash = hash.value();
    report.influencers = visible_rows(*store.value(), core::Kind::kInfluencer);
    report.interactions = visible_rows(*store.value(), core::Kind::kInteraction);
    (void)audit(*store.value(), "cli", "restore", "");
    return report;
}

}  // namespace liaison::server
