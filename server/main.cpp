// liaison-server: the command line. Subcommands administer the server's database (init,
// users, tokens) or serve it over HTTP (http/server.hpp). Exit codes: 0 done, 1 failed, 2 bad
// arguments (with the usage text).
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/storage/store.hpp"
#include "core/util/json.hpp"
#include "core/util/text.hpp"
#include "server/admin/accounts.hpp"
#include "server/admin/archive.hpp"
#include "server/admin/csv.hpp"
#include "server/admin/migrate.hpp"
#include "server/admin/restore.hpp"
#include "server/admin/server_clock.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"
#include "server/demo/demo.hpp"
#include "server/http/server.hpp"
#include "sync/generations.hpp"

namespace liaison::server {
namespace {

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2;

constexpr const char* kUsage = R"(usage:
  liaison-server init --db FILE
  liaison-server user add --db FILE --name NAME --role admin|central|regional|store|field|integration
                          [--regions ID,..] [--stores ID,..] [--brands ID,..]
  liaison-server user list --db FILE
  liaison-server user disable|enable --db FILE --user ID
  liaison-server user scope --db FILE --user ID [--regions ID,..] [--stores ID,..] [--brands ID,..]
  liaison-server user staff --db FILE --user ID [--add STAFF-ID,..] [--remove STAFF-ID,..]
  liaison-server token issue --db FILE --user ID [--device LABEL] [--link-to URL]
  liaison-server token revoke --db FILE --token-id ID
  liaison-server token list --db FILE [--user ID]
  liaison-server audit --db FILE [--limit N] [--json]
  liaison-server backup --db FILE --to NEWFILE
  liaison-server restore --db FILE --from BACKUP
  liaison-server migrate --from DB --to DB
  liaison-server export-csv --db FILE --kind influencer|interaction --out CSV|-
  liaison-server import-csv --db FILE --kind influencer|interaction --in CSV
                            [--report REPORT] [--dry-run]
  liaison-server serve --db FILE [--host 127.0.0.1] [--port 8080] [--static DIR] [--demo]
                       [--threads N] [--rate-limit N] [--burst N] [--trusted-proxy ADDR,...]
  liaison-server --demo [serve options]          same as serve --demo

  init         creates the database (the central record and the server's tables)
  user add     adds a user and prints its id; regional users need --regions, store users
               --stores, field users --regions or --stores (entity ids)
  user disable stops every token of the user at once (enable restores them)
  user scope   replaces the user's regions, stores and brands (those not given become
               empty); also while serving: the user's devices re-pull at their next sync
               what the new scope covers and drop the rest
  user staff   links the user to the staff records it may act as (--add, --remove; ids of
               staff records, which may not be on this server yet) and prints the list: id
               and name, tab-separated; the server refuses a sync operation acted as anyone
               else (docs/SYNC.md "Authorisation")
  token issue  prints a new token for the user, once: it is stored only as a hash; with
               --link-to the app's address (http:// or https://), also a sign-in link to
               open on the device (the app signs in and removes the token from the address)
  token revoke revokes a token (by the id printed when it was issued); takes effect at once
  user list, token list
               print one line per user (id, role, name, regions, stores, brands, state) or
               token (id, user, device, state, created), tab-separated; never a token's secret
  audit        lists the administrative audit (user, token and staff-link changes, backups,
               GDPR exports and erasures, exports, views of a person's full record), newest last: time (UTC), actor, action, subject,
               tab-separated, or a JSON array with --json; the newest N rows (default 100)
  backup       writes a consistent copy of the database to NEWFILE, also while serving
  restore      replaces FILE by a checked copy of BACKUP; refused while a server serves
               FILE; the replaced file is kept as FILE.before-restore-<time>
  migrate      copies the whole database (record, op log, history, users, tokens, audit,
               evidence files) from one engine to the other: DB is a FILE or a PostgreSQL
               URL; --to must be a new file or an empty database; refused while a server
               serves a FILE; checked by the state hash on both sides, then given a new
               database generation (devices re-push what they authored and re-pull)
  export-csv   writes the visible influencers or interactions as CSV (UTF-8, RFC 4180;
               cells starting with = + - @ get a leading '); also while serving
  import-csv   creates or updates (by the id column) one row at a time through the sync
               path, in one transaction; writes a report (line,status,id,reason) to REPORT
               (default CSV.report.csv); --dry-run checks and reports, writes nothing;
               refused while a server serves FILE. Exit code 0: every row imported;
               1: some rows rejected (see the report) or the file refused
  export       writes the whole central record, with its op log and history, as an
               archive (JSON Lines, docs/ARCHIVE.md); also while serving
  import       reads an archive: its stamped lines restore a record into an EMPTY database
               (made by init, or a new FILE) to the same state and history; its plain lines
               (values without clocks) are writes through the sync path; writes a report of
               the plain lines (JSON Lines) to REPORT (default ARCHIVE.report.jsonl); refused
               while a server serves FILE. Exit code 0: every line imported; 1: some plain
               lines rejected (see the report) or the file refused (nothing imported)
  serve        serves the sync API (and DIR as static files: the assembled web app)
               --port 0 picks a free port; --demo loads demo data into an empty database
               and prints a token for every role

  FILE may instead be a PostgreSQL URL (postgresql://user@host/db, libpq's syntax) naming an
  existing, empty or initialised database: the central record on PostgreSQL (docs/SCALING.md).
  backup and restore then refuse: PostgreSQL's own tools (pg_dump, pg_basebackup) copy it.
)";

struct Args {
    std::vector<std::string> words;           // subcommand words
    std::map<std::string, std::string> opts;  // --key value
    std::set<std::string> flags;              // --flag
};

int usage_error(const std::string& message) {
    std::fprintf(stderr, "liaison-server: %s\n\n%s", message.c_str(), kUsage);
    return kExitUsage;
}

int failed(const std::string& what, const Status& s) {
    std::fprintf(stderr, "liaison-server: %s: %s\n", what.c_str(), s.to_string().c_str());
    return kExitFailed;
}

// Parses words and options; `flag_names` take no value. Returns an error message or "".
std::string parse(int argc, char** argv, const std::set<std::string>& flag_names, Args& out) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) == 0) {
            std::string key = a.substr(2);
            if (auto eq = key.find('='); eq != std::string::npos) {
                out.opts[key.substr(0, eq)] = key.substr(eq + 1);
            } else if (flag_names.count(key)) {
                out.flags.insert(key);
            } else {
                if (i + 1 >= argc) return "--" + key + " needs a value";
                out.opts[key] = argv[++i];
            }
        } else {
            out.words.push_back(a);
        }
    }
    return "";
}

std::string check_options(const Args& a, const std::set<std::string>& allowed) {
    for (const auto& [k, v] : a.opts)
        if (!allowed.count(k)) return "unknown option --" + k;
    for (const auto& f : a.flags)
        if (!allowed.count(f)) return "unknown option --" + f;
    return "";
}

bool parse_int(const std::string& s, long long lo, long long hi, long long& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno || *end != '\0' || v < lo || v > hi) return false;
    out = v;
    return true;
}

// What `backup` and `restore` answer for a PostgreSQL database (docs/SCALING.md, "Backups").
Status refuse_on_postgres(const std::string& what) {
    return Status(Code::kInvalidArgument,
                  what +
                      " works on SQLite files only: a PostgreSQL database is copied and restored "
                      "with PostgreSQL's own tools (pg_dump, or pg_basebackup with WAL "
                      "archiving: docs/SCALING.md)");
}

// One server per database: the store keeps its sequence and caches in memory, so a second
// process writing the record (another server, an import, a restore) would hand out the same
// cursors twice. `serve`, `import-csv`, `import` and `restore` hold an exclusive lock on
// `<db>.lock` for their whole run; the kernel releases it when the process ends, even after a
// crash. Returns the descriptor (kept open on purpose), or an error when someone holds it.
// A PostgreSQL database has no file to lock: -1. There several servers share the database, each
// store catching up with the others' writes under the writer lock (docs/SCALING.md §3); the
// two imports, which expect an empty or quiet record, take the database's import lock once the
// store is open (lock_open_store).
Result<int> lock_database(const std::string& db) {
    if (core::is_postgres_url(db)) return -1;
    const std::string lock_path = db + ".lock";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Status::storage("cannot open the lock file " + lock_path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return Status(Code::kConflict,
                      "another liaison-server (serve, import-csv or restore) "
                      "is using " +
                          db + " (lock " + lock_path + "); stop it first");
    }
    return fd;
}

// The imports' lock on PostgreSQL: the database's server lock, on the store's connection,
// held as long as the process runs (core::hold_server_lock).
Status lock_open_store(const std::string& db, core::Store& store) {
    if (!core::is_postgres_url(db)) return Status::ok();
    auto held = core::hold_server_lock(store);
    if (!held) return held.status();
    if (!held.value())
        return Status(Code::kConflict,
                      "another import (import-csv or import) is using this PostgreSQL "
                      "database; wait for it to end");
    return Status::ok();
}

// Opens the store. `must_exist`: administrative commands refuse to create a file by mistake (a
// PostgreSQL database always exists: there only its server tables are checked). `initialised`,
// when given, says whether the server tables were there before.
Result<std::unique_ptr<core::Store>> open_store(const std::string& path, bool must_exist,
                                                bool* initialised = nullptr) {
    std::error_code ec;
    if (must_exist && !core::is_postgres_url(path) && !std::filesystem::exists(path, ec))
        return Status::not_found(path + ": no such file (run `liaison-server init --db " + path +
                                 "` first)");
    // WAL: devices read while one exchange writes. synchronous=FULL: an acknowledged push
    // survives a power cut (docs/DESIGN.md §4 invariant 3).
    auto store = core::Store::open(path, core::StoreOptions{true, true, core::kCentralCacheMiB});
    if (!store) return store.status();
    if (initialised) *initialised = has_server_schema(*store.value());
    if (must_exist && !has_server_schema(*store.value()))
        return Status::not_found(
            path + ": not a liaison-server database (run `liaison-server init` first)");
    LIAISON_TRY(ensure_server_schema(*store.value()));
    // Devices compare it on every reply (docs/SYNC.md "Generations"); an older file gets one.
    LIAISON_TRY(sync::ensure_database_generation(*store.value(), *core::make_random_id_source()));
    return store;
}

int cmd_init(const Args& a) {
    if (auto e = check_options(a, {"db"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db")) return usage_error("init needs --db FILE");
    // A file that was there, or a PostgreSQL database whose server tables were.
    const std::string& db = a.opts.at("db");
    bool existed = !core::is_postgres_url(db) && std::filesystem::exists(db);
    auto store = open_store(db, false, core::is_postgres_url(db) ? &existed : nullptr);
    if (!store) return failed("init", store.status());
    if (!existed) (void)audit(*store.value(), "cli", "init", "");
    // The database's name as the store shows it: a URL's password replaced by "***".
    std::printf("%s: %s\n", store.value()->db().path().c_str(),
                existed ? "ready (already initialised)" : "created");
    return kExitOk;
}

int cmd_user_add(const Args& a) {
    if (auto e = check_options(a, {"db", "name", "role", "regions", "stores", "brands"});
        !e.empty())
        return usage_error(e);
    for (const char* k : {"db", "name", "role"})
        if (!a.opts.count(k)) return usage_error(std::string("user add needs --") + k);
    UserSpec u;
    u.name = a.opts.at("name");
    auto role = sync::role_from_name(a.opts.at("role"));
    if (!role)
        return usage_error(
            "--role must be one of admin, central, regional, store, field, integration");
    u.role = *role;
    if (a.opts.count("regions")) u.regions = core::split_list(a.opts.at("regions"));
    if (a.opts.count("stores")) u.stores = core::split_list(a.opts.at("stores"));
    if (a.opts.count("brands")) u.brands = core::split_list(a.opts.at("brands"));
    if (Status s = check_user(u); !s) return usage_error(s.detail());
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("user add", store.status());
    auto id = add_user(*store.value(), u);
    if (!id) return failed("user add", id.status());
    std::printf("%lld\n", static_cast<long long>(id.value()));
    return kExitOk;
}

int cmd_user_disable(const Args& a, bool disable) {
    const char* what = disable ? "user disable" : "user enable";
    if (auto e = check_options(a, {"db", "user"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("user"))
        return usage_error(std::string(what) + " needs --db FILE --user ID");
    long long user = 0;
    if (!parse_int(a.opts.at("user"), 1, INT64_MAX, user))
        return usage_error("--user must be a user id (a number)");
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed(what, store.status());
    if (Status s = set_user_disabled(*store.value(), user, disable); !s) return failed(what, s);
    std::printf("user %lld %s\n", user, disable ? "disabled" : "enabled");
    return kExitOk;
}

int cmd_user_scope(const Args& a) {
    if (auto e = check_options(a, {"db", "user", "regions", "stores", "brands"}); !e.empty())
        return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("user"))
        return usage_error("user scope needs --db FILE --user ID");
    long long user = 0;
    if (!parse_int(a.opts.at("user"), 1, INT64_MAX, user))
        return usage_error("--user must be a user id (a number)");
    auto list = [&](const char* k) {
        return a.opts.count(k) ? core::split_list(a.opts.at(k)) : std::vector<std::string>{};
    };
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("user scope", store.status());
    Status s =
        set_user_scope(*store.value(), user, list("regions"), list("stores"), list("brands"));
    if (s.code() == Code::kInvalidArgument) return usage_error(s.detail());
    if (!s) return failed("user scope", s);
    std::printf("user %lld: scope changed\n", user);
    return kExitOk;
}

int cmd_user_staff(const Args& a) {
    if (auto e = check_options(a, {"db", "user", "add", "remove"}); !e.empty())
        return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("user"))
        return usage_error("user staff needs --db FILE --user ID");
    long long user = 0;
    if (!parse_int(a.opts.at("user"), 1, INT64_MAX, user))
        return usage_error("--user must be a user id (a number)");
    StaffEdit edit;
    if (a.opts.count("add")) edit.add = core::split_list(a.opts.at("add"));
    if (a.opts.count("remove")) edit.remove = core::split_list(a.opts.at("remove"));
    if (Status s = check_staff_ids(edit.add); !s) return usage_error(s.detail());
    if (Status s = check_staff_ids(edit.remove); !s) return usage_error(s.detail());
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("user staff", store.status());
    if (!edit.add.empty() || !edit.remove.empty())
        if (Status s = edit_user_staff(*store.value(), user, edit); !s)
            return failed("user staff", s);
    auto staff = user_staff(*store.value(), user);
    if (!staff) return failed("user staff", staff.status());
    for (const auto& s : staff.value()) {
        std::printf("%s\t%s\n", s.id.c_str(),
                    s.name ? s.name->c_str() : "(not on this server yet)");
        if (!s.name)
            std::fprintf(stderr,
                         "liaison-server: staff %s is not on this server yet; the link holds "
                         "once the device that made the record syncs it\n",
                         s.id.c_str());
    }
    return kExitOk;
}

int cmd_user_list(const Args& a) {
    if (auto e = check_options(a, {"db"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db")) return usage_error("user list needs --db FILE");
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("user list", store.status());
    auto users = list_users(*store.value());
    if (!users) return failed("user list", users.status());
    for (const auto& u : users.value())
        std::printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", static_cast<long long>(u.id), u.role.c_str(),
                    u.name.c_str(), u.regions.c_str(), u.stores.c_str(), u.brands.c_str(),
                    u.disabled ? "disabled" : "active");
    return kExitOk;
}

int cmd_token_list(const Args& a) {
    if (auto e = check_options(a, {"db", "user"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db")) return usage_error("token list needs --db FILE");
    std::optional<std::int64_t> user;
    if (a.opts.count("user")) {
        long long n = 0;
        if (!parse_int(a.opts.at("user"), 1, INT64_MAX, n))
            return usage_error("--user must be a user id (a number)");
        user = n;
    }
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("token list", store.status());
    auto tokens = list_tokens(*store.value(), user);
    if (!tokens) return failed("token list", tokens.status());
    for (const auto& t : tokens.value()) {
        std::time_t secs = std::time_t(t.created_at / 1000);
        std::tm tm{};
        gmtime_r(&secs, &tm);
        char when[32];
        std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        std::printf("%s\t%lld\t%s\t%s\t%s\n", t.id.c_str(), static_cast<long long>(t.user),
                    t.device.c_str(), t.revoked ? "revoked" : "active", when);
    }
    return kExitOk;
}

// Milliseconds since the epoch as "2026-11-23T14:05:00.000Z".
std::string utc_text(std::int64_t ms) {
    std::time_t secs = std::time_t(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char when[96];  // room for any int the compiler cannot rule out
    std::snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
    return when;
}

int cmd_audit(const Args& a) {
    if (auto e = check_options(a, {"db", "limit", "json"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db")) return usage_error("audit needs --db FILE");
    long long limit = kDefaultAuditRows;
    if (a.opts.count("limit") && !parse_int(a.opts.at("limit"), 1, 1'000'000'000, limit))
        return usage_error("--limit must be 1..1000000000 (rows)");
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("audit", store.status());
    auto rows = list_audit(*store.value(), limit);
    if (!rows) return failed("audit", rows.status());
    const bool json = a.flags.count("json") != 0;
    std::string out = json ? "[" : "";
    for (const auto& r : rows.value()) {
        if (json)
            out += std::string(out.size() > 1 ? ",\n" : "\n") + "{\"n\":" + std::to_string(r.n) +
                   ",\"at\":" + std::to_string(r.at) +
                   ",\"time\":" + core::json_string(utc_text(r.at)) +
                   ",\"actor\":" + core::json_string(r.actor) +
                   ",\"action\":" + core::json_string(r.action) +
                   ",\"subject\":" + core::json_string(r.subject) + "}";
        else
            out += utc_text(r.at) + "\t" + r.actor + "\t" + r.action + "\t" + r.subject + "\n";
    }
    if (json) out += "\n]\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return kExitOk;
}

// The app's address as the base of a sign-in link (the app reads #token=…), or "" if it is not
// an http(s) address: a bare host gets its "/", a query is kept, spaces and fragments refused.
std::string sign_in_link_base(const std::string& url) {
    std::string_view u(url);
    std::size_t scheme = u.rfind("https://", 0) == 0 ? 8 : u.rfind("http://", 0) == 0 ? 7 : 0;
    if (scheme == 0 || u.size() == scheme || u.size() > 2000) return "";
    for (char c : u)
        if (static_cast<unsigned char>(c) <= ' ' || c == '#' || c == 0x7f) return "";
    std::size_t host_end = u.find_first_of("/?", scheme);
    if (host_end == scheme) return "";  // no host
    if (host_end == std::string_view::npos) return url + "/";
    if (u[host_end] == '?') return url.substr(0, host_end) + "/" + url.substr(host_end);
    return url;
}

int cmd_token_issue(const Args& a) {
    if (auto e = check_options(a, {"db", "user", "device", "link-to"}); !e.empty())
        return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("user"))
        return usage_error("token issue needs --db FILE --user ID");
    long long user = 0;
    if (!parse_int(a.opts.at("user"), 1, INT64_MAX, user))
        return usage_error("--user must be a user id (a number)");
    std::string link;
    if (a.opts.count("link-to")) {
        link = sign_in_link_base(a.opts.at("link-to"));
        if (link.empty())
            return usage_error(
                "--link-to must be the app's address, http://HOST[:PORT][/PATH] or https://…, "
                "without spaces or a #fragment");
    }
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("token issue", store.status());
    auto tok = issue_token(*store.value(), user, a.opts.count("device") ? a.opts.at("device") : "");
    if (!tok) return failed("token issue", tok.status());
    // stdout carries the token alone (for scripts); the advice goes to stderr.
    std::fprintf(stderr, "token id %s (for `token revoke`); the token is shown only now:\n",
                 tok->id.c_str());
    std::printf("%s\n", tok->token.c_str());
    if (!link.empty())
        std::fprintf(stderr,
                     "sign-in link (open it on the device; it holds the token):\n%s#token=%s\n",
                     link.c_str(), tok->token.c_str());
    return kExitOk;
}

int cmd_token_revoke(const Args& a) {
    if (auto e = check_options(a, {"db", "token-id"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("token-id"))
        return usage_error("token revoke needs --db FILE --token-id ID");
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("token revoke", store.status());
    if (Status s = revoke_token(*store.value(), a.opts.at("token-id")); !s)
        return failed("token revoke", s);
    std::printf("revoked %s\n", a.opts.at("token-id").c_str());
    return kExitOk;
}

int cmd_backup(const Args& a) {
    if (auto e = check_options(a, {"db", "to"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("to"))
        return usage_error("backup needs --db FILE --to NEWFILE");
    if (core::is_postgres_url(a.opts.at("db")))
        return failed("backup", refuse_on_postgres("backup"));
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("backup", store.status());
    if (Status s = backup_to(*store.value(), a.opts.at("to")); !s) return failed("backup", s);
    std::printf("%s: backed up to %s\n", a.opts.at("db").c_str(), a.opts.at("to").c_str());
    return kExitOk;
}

// --kind influencer|interaction (the kinds the central team keeps in spreadsheets).
std::optional<core::Kind> csv_kind(const Args& a) {
    if (!a.opts.count("kind")) return std::nullopt;
    const std::string& k = a.opts.at("kind");
    if (k == "influencer") return core::Kind::kInfluencer;
    if (k == "interaction") return core::Kind::kInteraction;
    return std::nullopt;
}

int cmd_restore(const Args& a) {
    if (auto e = check_options(a, {"db", "from"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("from"))
        return usage_error("restore needs --db FILE --from BACKUP");
    const std::string db = a.opts.at("db"), from = a.opts.at("from");
    if (core::is_postgres_url(db)) return failed("restore", refuse_on_postgres("restore"));
    auto lock = lock_database(db);
    if (!lock) return failed("restore", lock.status());
    auto r = restore_database(db, from, wall_ms());
    if (!r) return failed("restore", r.status());
    std::printf(
        "%s: restored from %s (storage version %d, %lld influencers, %lld interactions, "
        "state hash %s)\n",
        db.c_str(), from.c_str(), r->storage_version, static_cast<long long>(r->influencers),
        static_cast<long long>(r->interactions), r->state_hash.c_str());
    if (!r->kept_aside.empty())
        std::printf("the replaced database is kept as %s\n", r->kept_aside.c_str());
    return kExitOk;
}

// The copy is server/admin/migrate.hpp's; here, the files' locks (a server serving either
// side would write half-way through) and the output.
int cmd_migrate(const Args& a) {
    if (auto e = check_options(a, {"from", "to"}); !e.empty()) return usage_error(e);
    MigrateRequest request{a.opts.count("from") ? a.opts.at("from") : "",
                           a.opts.count("to") ? a.opts.at("to") : ""};
    if (Status s = check_migrate_request(request); !s) return usage_error(s.detail());
    auto from_lock = lock_database(request.from);
    if (!from_lock) return failed("migrate", from_lock.status());
    auto to_lock = lock_database(request.to);
    if (!to_lock) return failed("migrate", to_lock.status());
    auto summary = migrate_database(request, std::cerr);
    if (!summary) return failed("migrate", summary.status());
    std::fputs(migrate_summary_text(summary.value()).c_str(), stdout);
    return kExitOk;
}

// Writes an export to `out_path` ("-": standard output) through `write`, under a temporary
// name first: a failed export leaves no half file behind.
Status write_output(const std::string& out_path,
                    const std::function<Status(std::ostream&)>& write) {
    const std::string tmp = out_path + ".part";
    std::ofstream file;
    if (out_path != "-") {
        file.open(tmp, std::ios::binary | std::ios::trunc);
        if (!file) return Status::storage("cannot write " + tmp);
    }
    std::ostream& out = out_path == "-" ? std::cout : file;
    Status written = write(out);
    out.flush();
    if (written && out_path != "-") {
        file.close();
        if (!file || std::rename(tmp.c_str(), out_path.c_str()) != 0)
            written = Status::storage("cannot write " + out_path);
    }
    std::error_code ec;
    if (!written && out_path != "-") std::filesystem::remove(tmp, ec);
    return written;
}

// The hub of an offline import (import-csv, import): it records the history of values
// (docs/STORAGE.md). Its clock resumes where the servers' writes left it, and is recorded, inside
// the import's transaction (server/admin/server_clock.hpp).
Status prepare_import_hub(sync::Hub& hub) { return hub.merge().enable_history(); }

int cmd_export_csv(const Args& a) {
    if (auto e = check_options(a, {"db", "kind", "out"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("kind") || !a.opts.count("out"))
        return usage_error("export-csv needs --db FILE --kind influencer|interaction --out CSV|-");
    auto kind = csv_kind(a);
    if (!kind) return usage_error("--kind must be influencer or interaction");
    const std::string out_path = a.opts.at("out");
    std::error_code ec;
    if (out_path != "-" && std::filesystem::exists(out_path, ec))
        return failed("export-csv", Status::invalid(out_path + " exists; choose a new file"));
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("export-csv", store.status());
    std::size_t rows = 0;
    Status written = write_output(out_path, [&](std::ostream& out) {
        auto n = export_csv(*store.value(), *kind, out);
        if (n) rows = n.value();
        return n.status();
    });
    if (!written) return failed("export-csv", written);
    // Personal data left the server: recorded like the API's exports (docs/SECURITY.md).
    if (Status logged =
            audit(*store.value(), "cli", "export.csv",
                  std::string("kind:") + core::kind_name(*kind) + " rows:" + std::to_string(rows));
        !logged)
        return failed("export-csv", logged);
    std::fprintf(out_path == "-" ? stderr : stdout, "exported %zu %ss to %s\n", rows,
                 core::kind_name(*kind), out_path == "-" ? "standard output" : out_path.c_str());
    return kExitOk;
}

int cmd_import_csv(const Args& a) {
    if (auto e = check_options(a, {"db", "kind", "in", "report", "dry-run"}); !e.empty())
        return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("kind") || !a.opts.count("in"))
        return usage_error("import-csv needs --db FILE --kind influencer|interaction --in CSV");
    auto kind = csv_kind(a);
    if (!kind) return usage_error("--kind must be influencer or interaction");
    const std::string db = a.opts.at("db"), in_path = a.opts.at("in");
    const std::string report_path =
        a.opts.count("report") ? a.opts.at("report") : in_path + ".report.csv";
    CsvImportOptions opts;
    opts.kind = *kind;
    opts.dry_run = a.flags.count("dry-run") != 0;
    std::error_code ec;
    auto size = std::filesystem::file_size(in_path, ec);
    if (ec) return failed("import-csv", Status::not_found(in_path + ": cannot read it"));
    if (size > opts.max_file_bytes)
        return failed("import-csv",
                      Status(Code::kTooLarge, in_path + ": larger than " +
                                                  std::to_string(opts.max_file_bytes >> 20) +
                                                  " MiB; split it (nothing was imported)"));
    if (std::filesystem::exists(report_path, ec) &&
        std::filesystem::equivalent(report_path, in_path, ec))
        return usage_error("--report must not be the file being imported");
    std::ifstream in(in_path, std::ios::binary);
    if (!in) return failed("import-csv", Status::not_found(in_path + ": cannot read it"));
    if (!core::is_postgres_url(db) && !std::filesystem::exists(db, ec))  // no stray <db>.lock
        return failed("import-csv", Status::not_found(db +
                                                      ": no such file (run `liaison-server "
                                                      "init --db " +
                                                      db + "` first)"));

    auto lock = lock_database(db);
    if (!lock) return failed("import-csv", lock.status());
    auto store = open_store(db, true);
    if (!store) return failed("import-csv", store.status());
    if (Status s = lock_open_store(db, *store.value()); !s) return failed("import-csv", s);
    auto replica = server_replica_id(*store.value());
    if (!replica) return failed("import-csv", replica.status());
    sync::SystemTimeSource time;
    sync::Hub hub(*store.value(), time);
    if (Status h = prepare_import_hub(hub); !h) return failed("import-csv", h);
    opts.progress = [](std::size_t rows) {
        std::fprintf(stderr, "import-csv: %zu rows done\n", rows);
    };
    auto t0 = std::chrono::steady_clock::now();
    auto sum = import_csv(*store.value(), hub, replica.value(), in, opts);
    if (!sum) return failed("import-csv", sum.status());
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::ofstream report(report_path, std::ios::binary | std::ios::trunc);
    report << csv_report(sum.value());
    report.close();
    if (!report)
        std::fprintf(stderr, "liaison-server: import-csv: cannot write the report %s\n",
                     report_path.c_str());
    const auto& s = sum.value();
    std::printf("%s %zu, rejected %zu, report: %s\n",
                opts.dry_run ? "dry run: would import" : "imported", s.imported(), s.rejected,
                report_path.c_str());
    std::printf(
        "  (%zu created, %zu updated, %zu unchanged; %zu operations; %zu blank lines "
        "skipped; %.1f s)%s\n",
        s.created, s.updated, s.unchanged, s.operations, s.blank_lines, secs,
        opts.dry_run ? "; nothing was written" : "");
    if (!report) return kExitFailed;
    return s.rejected ? kExitFailed : kExitOk;
}

int cmd_export(const Args& a) {
    if (auto e = check_options(a, {"db", "out"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("out"))
        return usage_error("export needs --db FILE --out ARCHIVE|-");
    const std::string out_path = a.opts.at("out");
    std::error_code ec;
    if (out_path != "-" && std::filesystem::exists(out_path, ec))
        return failed("export", Status::invalid(out_path + " exists; choose a new file"));
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("export", store.status());
    ArchiveExportOptions opts;
    opts.now_ms = wall_ms();
    opts.progress = [](std::size_t lines) {
        std::fprintf(stderr, "export: %zu lines written\n", lines);
    };
    ArchiveCounts c;
    Status written = write_output(out_path, [&](std::ostream& out) {
        auto counts = export_archive(*store.value(), out, opts);
        if (counts) c = counts.value();
        return counts.status();
    });
    if (!written) return failed("export", written);
    if (Status logged =
            audit(*store.value(), "cli", "export.archive", "lines:" + std::to_string(c.lines));
        !logged)
        return failed("export", logged);
    std::fprintf(out_path == "-" ? stderr : stdout,
                 "exported %zu lines to %s (%zu entities, %zu erased ids, %zu merges, %zu "
                 "operations, %zu history entries)\n",
                 c.lines, out_path == "-" ? "standard output" : out_path.c_str(), c.entities,
                 c.erased, c.merges, c.ops, c.history);
    return kExitOk;
}

int cmd_import(const Args& a) {
    if (auto e = check_options(a, {"db", "in", "report"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("in"))
        return usage_error("import needs --db FILE --in ARCHIVE");
    const std::string db = a.opts.at("db"), in_path = a.opts.at("in");
    const std::string report_path =
        a.opts.count("report") ? a.opts.at("report") : in_path + ".report.jsonl";
    std::error_code ec;
    if (std::filesystem::exists(report_path, ec) &&
        std::filesystem::equivalent(report_path, in_path, ec))
        return usage_error("--report must not be the file being imported");
    std::ifstream in(in_path, std::ios::binary);
    if (!in) return failed("import", Status::not_found(in_path + ": cannot read it"));
    auto lock = lock_database(db);
    if (!lock) return failed("import", lock.status());
    auto store = open_store(db, false);
    if (!store) return failed("import", store.status());
    if (Status s = lock_open_store(db, *store.value()); !s) return failed("import", s);
    auto replica = server_replica_id(*store.value());
    if (!replica) return failed("import", replica.status());
    sync::SystemTimeSource time;
    sync::Hub hub(*store.value(), time);
    if (Status h = prepare_import_hub(hub); !h) return failed("import", h);
    ArchiveImportOptions opts;
    opts.progress = [](std::size_t lines) {
        std::fprintf(stderr, "import: %zu lines read\n", lines);
    };
    auto sum = import_archive(*store.value(), hub, replica.value(), in, opts);
    if (!sum) return failed("import", sum.status());
    std::ofstream report(report_path, std::ios::binary | std::ios::trunc);
    report << archive_report(sum.value());
    report.close();
    if (!report)
        std::fprintf(stderr, "liaison-server: import: cannot write the report %s\n",
                     report_path.c_str());
    const auto& s = sum.value();
    const auto& r = s.restored;
    std::printf(
        "imported %s: %zu lines; restored %zu entities, %zu erased ids, %zu merges, %zu "
        "operations, %zu history entries; created %zu, rejected %zu (report: %s)\n",
        in_path.c_str(), r.lines, r.entities, r.erased, r.merges, r.ops, r.history, s.created,
        s.rejected, report_path.c_str());
    if (!report) return kExitFailed;
    return s.rejected ? kExitFailed : kExitOk;
}

int cmd_serve(const Args& a) {
    if (auto e = check_options(a, {"db", "host", "port", "static", "demo", "threads", "rate-limit",
                                   "burst", "trusted-proxy"});
        !e.empty())
        return usage_error(e);
    if (!a.opts.count("db")) return usage_error("serve needs --db FILE");
    HttpOptions o;
    long long n = 0;
    if (a.opts.count("host")) o.host = a.opts.at("host");
    if (a.opts.count("port")) {
        if (!parse_int(a.opts.at("port"), 0, 65535, n))
            return usage_error("--port must be 0..65535");
        o.port = int(n);
    }
    if (a.opts.count("threads")) {
        if (!parse_int(a.opts.at("threads"), 1, 1024, n))
            return usage_error("--threads must be 1..1024");
        o.threads = std::size_t(n);
    }
    if (a.opts.count("rate-limit")) {
        if (!parse_int(a.opts.at("rate-limit"), 1, 1'000'000, n))
            return usage_error("--rate-limit must be 1..1000000 (requests per second)");
        o.rate_per_s = double(n);
        o.burst = std::max(o.burst, o.rate_per_s);
    }
    if (a.opts.count("burst")) {
        if (!parse_int(a.opts.at("burst"), 1, 1'000'000, n))
            return usage_error("--burst must be 1..1000000");
        o.burst = double(n);
    }
    if (a.opts.count("trusted-proxy")) {
        o.trusted_proxies = core::split_list(a.opts.at("trusted-proxy"));
        if (o.trusted_proxies.empty())
            return usage_error("--trusted-proxy needs the load balancer's addresses (127.0.0.1)");
    }
    // No default: public/ alone is not the app (the assembled app is build/wasm/app).
    if (a.opts.count("static")) o.static_dir = a.opts.at("static");
    const std::string db = a.opts.at("db");

    // Held for the life of the process (lock_database).
    if (auto lock = lock_database(db); !lock) return failed("serve", lock.status());

    auto store = open_store(db, false);
    if (!store) return failed("serve", store.status());
    // On PostgreSQL any number of servers share the database (docs/SCALING.md): no lock here.
    sync::SystemTimeSource time;
    SyncBackend backend(*store.value(), time);
    // The central record keeps each write's values for the history endpoint (docs/STORAGE.md,
    // "History of values"); devices keep none.
    if (Status h = backend.hub().merge().enable_history(); !h) return failed("serve", h);
    // The server's clock resumes where its own writes left it (monotonic across restarts);
    // each write resumes it again, under the writer lock (server/admin/server_clock.hpp).
    resume_server_clock(*store.value(), backend.hub().clock());

    if (a.flags.count("demo")) {
        if (database_is_empty(*store.value())) {
            auto t0 = std::chrono::steady_clock::now();
            auto summary = load_demo(*store.value(), backend.hub(), DemoOptions{});
            if (!summary) return failed("demo data", summary.status());
            if (summary->rejected)
                std::fprintf(stderr, "liaison-server: demo: %zu operations rejected (first: %s)\n",
                             summary->rejected, summary->first_rejection.c_str());
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::printf("demo: loaded %zu operations in %.1f s\n", summary->operations, s);
        }
        auto logins = issue_demo_tokens(*store.value());
        if (!logins) return failed("demo tokens", logins.status());
        if (logins->empty())
            std::printf(
                "demo: this database was not made by --demo; no demo users to sign in as\n");
        for (const auto& l : logins.value())
            std::printf("sign in as %s: token %s\n", sync::role_name(l.role),
                        l.token.token.c_str());
    }

    {
        // The central directory's index, before the first request (api/directory.hpp).
        auto t0 = std::chrono::steady_clock::now();
        if (Status s = backend.people().rebuild(*store.value()); !s) return failed("serve", s);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("directory: %zu people indexed in %.1f s\n", backend.people().size(), s);
    }

    auto auth = Authenticator::open(db);
    if (!auth) return failed("serve", auth.status());
    HttpServer server(backend, *auth.value(), o);
    auto port = server.bind();
    if (!port) return failed("serve", port.status());

    // SIGINT/SIGTERM stop the server from a thread of their own (sigwait): stop() is not
    // async-signal-safe, so no signal handler calls it. Blocked before any worker starts, so
    // every thread inherits the mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::thread stopper([&] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        server.stop();
    });

    std::printf("liaison-server: listening on http://%s:%d%s\n", o.host.c_str(), port.value(),
                o.static_dir.empty() ? "" : (" (static files from " + o.static_dir + ")").c_str());
    std::fflush(stdout);
    Status served = server.serve();
    kill(getpid(), SIGTERM);  // wakes the stopper if serve() ended on its own
    stopper.join();
    // Every worker has finished: the hub is ours again. Keep its clock for the next start.
    (void)save_server_clock(*store.value(), backend.hub().clock());
    if (!served) return failed("serve", served);
    std::printf("liaison-server: stopped\n");
    return kExitOk;
}

int run(int argc, char** argv) {
    Args a;
    if (auto e = parse(argc, argv, {"demo", "help", "dry-run", "json"}, a); !e.empty())
        return usage_error(e);
    if (a.flags.count("help") || (!a.words.empty() && a.words[0] == "help")) {
        std::fputs(kUsage, stdout);
        return kExitOk;
    }
    if (a.words.empty()) {
        if (a.flags.count("demo")) return cmd_serve(a);
        return usage_error("which command?");
    }
    const std::string& w0 = a.words[0];
    const std::string w1 = a.words.size() > 1 ? a.words[1] : "";
    const std::size_t expected = (w0 == "user" || w0 == "token") ? 2 : 1;
    if (a.words.size() > expected)
        return usage_error("unexpected argument '" + a.words[expected] + "'");
    if (w0 == "init") return cmd_init(a);
    if (w0 == "serve") return cmd_serve(a);
    if (w0 == "audit") return cmd_audit(a);
    if (w0 == "backup") return cmd_backup(a);
    if (w0 == "restore") return cmd_restore(a);
    if (w0 == "migrate") return cmd_migrate(a);
    if (w0 == "export-csv") return cmd_export_csv(a);
    if (w0 == "import-csv") return cmd_import_csv(a);
    if (w0 == "export") return cmd_export(a);
    if (w0 == "import") return cmd_import(a);
    if (w0 == "user" && w1 == "add") return cmd_user_add(a);
    if (w0 == "token" && w1 == "issue") return cmd_token_issue(a);
    if (w0 == "token" && w1 == "revoke") return cmd_token_revoke(a);
    if (w0 == "user" && w1 == "list") return cmd_user_list(a);
    if (w0 == "user" && w1 == "scope") return cmd_user_scope(a);
    if (w0 == "user" && w1 == "staff") return cmd_user_staff(a);
    if (w0 == "user" && w1 == "disable") return cmd_user_disable(a, true);
    if (w0 == "user" && w1 == "enable") return cmd_user_disable(a, false);
    if (w0 == "token" && w1 == "list") return cmd_token_list(a);
    return usage_error("unknown command '" + w0 + (w1.empty() ? "" : " " + w1) + "'");
}

}  // namespace
}  // namespace liaison::server

int main(int argc, char** argv) {
    // A client that hangs up mid-reply must not kill the server.
    signal(SIGPIPE, SIG_IGN);
    return liaison::server::run(argc, argv);
}
