// `liaison-server restore` through the real binary: a backup comes back exactly, the replaced
// file is kept, and bad backups or a serving server leave the live database untouched.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "core/storage/sqlite.hpp"
#include "fixture.hpp"
#include "server_store.hpp"

namespace liaison::test::server_cli_restore {
namespace {

std::string hash_of(const std::string& db) {
    auto store = server_store(db);
    return must(store->state_hash());
}

// Files in the folder whose name starts with `prefix`.
int count_files(const std::string& dir, const std::string& prefix) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().rfind(prefix, 0) == 0) ++n;
    return n;
}

void import_names(const TempDir& dir, const std::string& db, const std::string& names) {
    write_file(dir.file("names.csv"), "name\n" + names);
    cli_ok({"import-csv", "--db", db, "--kind", "influencer", "--in", dir.file("names.csv"),
            "--report", dir.file("names.report.csv")});
}

// A live database with one influencer, and a backup of it.
struct Backed {
    TempDir dir;
    std::string db = dir.file("live.db"), backup = dir.file("backup.db");
    Backed() {
        cli_ok({"init", "--db", db});
        import_names(dir, db, "Ana\n");
        cli_ok({"backup", "--db", db, "--to", backup});
    }
};

}  // namespace

TEST_CASE("restore brings the backup back: later changes are gone, the hash is the backup's",
          "[server][restore]") {
    Backed b;
    const std::string at_backup = hash_of(b.db);
    import_names(b.dir, b.db, "Bob\nChloé\n");  // after the backup
    const std::string changed = hash_of(b.db);
    REQUIRE(changed != at_backup);
    const std::int64_t replaced_seq = server_store(b.db)->last_seq();

    auto r = run_cli({"restore", "--db", b.db, "--from", b.backup});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(b.db + ": restored from " + b.backup + " (storage version " +
                     std::to_string(core::kStorageVersion) +
                     ", 1 influencers, "
                     "0 interactions, state hash " +
                     at_backup + ")") != std::string::npos);
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex("kept as (\\S+before-restore-\\d{8}T\\d{6}Z)")));
    const std::string aside = m[1].str();

    CHECK(hash_of(b.db) == at_backup);
    CHECK(hash_of(b.backup) == at_backup);
    // Nothing is lost: the replaced database, with Bob and Chloé, is kept aside.
    CHECK(hash_of(aside) == changed);
    // The restored file is a working server database: users, tokens, imports.
    cli_ok({"user", "list", "--db", b.db});
    // Devices hold cursors up to the replaced file's sequence: the restored file's next
    // changes are numbered above it, so every device receives them.
    CHECK(server_store(b.db)->last_seq() >= replaced_seq);
    import_names(b.dir, b.db, "Dora\n");
    CHECK(server_store(b.db)->last_seq() > replaced_seq);
    CHECK(count_files(b.dir.path(), ".live.db.restore-") == 0);  // no temporary file left
}

TEST_CASE("restore refuses a bad backup and leaves the live database untouched",
          "[server][restore]") {
    Backed b;
    const std::string live_bytes = read_file(b.db);
    const std::string live_hash = hash_of(b.db);

    // Garbage, an empty file, a missing file.
    write_file(b.dir.file("garbage.db"), std::string(8192, 'x'));
    write_file(b.dir.file("empty.db"), "");
    // A SQLite file that is not Liaison's.
    {
        auto other = core::Database::open(b.dir.file("other.db"), core::OpenOptions{});
        REQUIRE(other.is_ok());
        REQUIRE(other.value()->exec("CREATE TABLE notes(x); INSERT INTO notes VALUES(1);").is_ok());
    }
    // A backup written by a newer build (storage version above this build's).
    std::filesystem::copy_file(b.backup, b.dir.file("newer.db"));
    {
        auto newer = core::Database::open(b.dir.file("newer.db"), core::OpenOptions{});
        REQUIRE(newer.is_ok());
        REQUIRE(newer.value()
                    ->exec("PRAGMA user_version=" + std::to_string(core::kStorageVersion + 1))
                    .is_ok());
    }
    // Newer server tables.
    std::filesystem::copy_file(b.backup, b.dir.file("newer-server.db"));
    {
        auto newer = core::Database::open(b.dir.file("newer-server.db"), core::OpenOptions{});
        REQUIRE(newer.is_ok());
        REQUIRE(newer.value()
                    ->exec("UPDATE meta SET value='99' WHERE key='server_schema_version'")
                    .is_ok());
    }
    // A damaged file: a page of the backup overwritten in the middle.
    std::filesystem::copy_file(b.backup, b.dir.file("damaged.db"));
    {
        std::fstream f(b.dir.file("damaged.db"), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096 * 3);
        const std::string junk(4096, '\x5a');
        f.write(junk.data(), std::streamsize(junk.size()));
    }
    const std::string newer =
        "written by a newer Liaison (storage version " + std::to_string(core::kStorageVersion + 1) +
        ", this build reads up to " + std::to_string(core::kStorageVersion) + ")";
    const std::pair<const char*, std::string> cases[] = {
        {"garbage.db", "not a SQLite database"},
        {"empty.db", "not a liaison-server database"},
        {"missing.db", "no such file"},
        {"other.db", "not a liaison-server database"},
        {"newer.db", newer},
        {"newer-server.db", "server tables were written by a newer liaison-server (version 99"},
        {"damaged.db", "damaged"},
    };
    for (const auto& [file, message] : cases) {
        auto r = run_cli({"restore", "--db", b.db, "--from", b.dir.file(file)});
        INFO(file << ": " << r.err);
        CHECK(r.exit_code == 1);
        CHECK(r.err.find(message) != std::string::npos);
    }
    CHECK(run_cli({"restore", "--db", b.db, "--from", b.db}).exit_code == 1);
    CHECK(run_cli({"restore", "--db", b.db}).exit_code == 2);
    CHECK(read_file(b.db) == live_bytes);
    CHECK(hash_of(b.db) == live_hash);
    CHECK(count_files(b.dir.path(), "live.db.before-restore") == 0);
    CHECK(count_files(b.dir.path(), ".live.db.restore-") == 0);
}

TEST_CASE("restore is refused while a server serves the database", "[server][restore]") {
    Backed b;
    import_names(b.dir, b.db, "Bob\n");
    const std::string live_hash = hash_of(b.db);
    {
        ServerProcess server(b.db, {}, b.dir.file("server.log"));
        auto r = run_cli({"restore", "--db", b.db, "--from", b.backup});
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("another liaison-server (serve, import-csv or restore) is using " +
                         b.db) != std::string::npos);
        CHECK(server.running());
    }
    CHECK(hash_of(b.db) == live_hash);
    CHECK(count_files(b.dir.path(), "live.db.before-restore") == 0);
    // Stopped: the restore goes through.
    CHECK(run_cli({"restore", "--db", b.db, "--from", b.backup}).exit_code == 0);
    CHECK(hash_of(b.db) != live_hash);
}

}  // namespace liaison::test::server_cli_restore
