// liaison-server: the command line. Subcommands administer the server's database (init,
// users, tokens) or serve it over HTTP (http.hpp). Exit codes: 0 done, 1 failed, 2 bad
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
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/storage/store.hpp"
#include "server/admin.hpp"
#include "server/auth.hpp"
#include "server/demo.hpp"
#include "server/http.hpp"

namespace liaison::server {
namespace {

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2;

constexpr const char* kUsage = R"(usage:
  liaison-server init --db FILE
  liaison-server user add --db FILE --name NAME --role admin|central|regional|store|field
                          [--regions ID,..] [--stores ID,..] [--brands ID,..]
  liaison-server user list --db FILE
  liaison-server user disable|enable --db FILE --user ID
  liaison-server token issue --db FILE --user ID [--device LABEL]
  liaison-server token revoke --db FILE --token-id ID
  liaison-server token list --db FILE [--user ID]
  liaison-server backup --db FILE --to NEWFILE
  liaison-server serve --db FILE [--host 127.0.0.1] [--port 8080] [--static DIR] [--demo]
                       [--threads N] [--rate-limit N] [--burst N]
  liaison-server --demo [serve options]          same as serve --demo

  init         creates the database (the central record and the server's tables)
  user add     adds a user and prints its id; regional users need --regions, store users
               --stores, field users --regions or --stores (entity ids)
  user disable stops every token of the user at once (enable restores them)
  token issue  prints a new token for the user, once: it is stored only as a hash
  token revoke revokes a token (by the id printed when it was issued); takes effect at once
  user list, token list
               print one line per user (id, role, name, regions, stores, brands, state) or
               token (id, user, device, state, created), tab-separated; never a token's secret
  backup       writes a consistent copy of the database to NEWFILE, also while serving
               (to restore, stop the server and put the copy in place of FILE)
  serve        serves the sync API (and DIR as static files; ./public when it exists)
               --port 0 picks a free port; --demo loads demo data into an empty database
               and prints a token for every role
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

// Opens the store. `must_exist`: administrative commands refuse to create a file by mistake.
Result<std::unique_ptr<core::Store>> open_store(const std::string& path, bool must_exist) {
    std::error_code ec;
    if (must_exist && !std::filesystem::exists(path, ec))
        return Status::not_found(path + ": no such file (run `liaison-server init --db " + path +
                                 "` first)");
    // WAL: devices read while one exchange writes. synchronous=FULL: an acknowledged push
    // survives a power cut (DESIGN §4 invariant 3).
    auto store = core::Store::open(path, core::StoreOptions{true, true});
    if (!store) return store.status();
    if (must_exist && !has_server_schema(*store.value()))
        return Status::not_found(
            path + ": not a liaison-server database (run `liaison-server init` first)");
    LIAISON_TRY(ensure_server_schema(*store.value()));
    return store;
}

int cmd_init(const Args& a) {
    if (auto e = check_options(a, {"db"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db")) return usage_error("init needs --db FILE");
    const bool existed = std::filesystem::exists(a.opts.at("db"));
    auto store = open_store(a.opts.at("db"), false);
    if (!store) return failed("init", store.status());
    if (!existed) (void)audit(*store.value(), "cli", "init", "");
    std::printf("%s: %s\n", a.opts.at("db").c_str(),
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
    if (!role) return usage_error("--role must be one of admin, central, regional, store, field");
    u.role = *role;
    if (a.opts.count("regions")) u.regions = split_list(a.opts.at("regions"));
    if (a.opts.count("stores")) u.stores = split_list(a.opts.at("stores"));
    if (a.opts.count("brands")) u.brands = split_list(a.opts.at("brands"));
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

int cmd_token_issue(const Args& a) {
    if (auto e = check_options(a, {"db", "user", "device"}); !e.empty()) return usage_error(e);
    if (!a.opts.count("db") || !a.opts.count("user"))
        return usage_error("token issue needs --db FILE --user ID");
    long long user = 0;
    if (!parse_int(a.opts.at("user"), 1, INT64_MAX, user))
        return usage_error("--user must be a user id (a number)");
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("token issue", store.status());
    auto tok = issue_token(*store.value(), user, a.opts.count("device") ? a.opts.at("device") : "");
    if (!tok) return failed("token issue", tok.status());
    // stdout carries the token alone (for scripts); the advice goes to stderr.
    std::fprintf(stderr, "token id %s (for `token revoke`); the token is shown only now:\n",
                 tok->id.c_str());
    std::printf("%s\n", tok->token.c_str());
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
    auto store = open_store(a.opts.at("db"), true);
    if (!store) return failed("backup", store.status());
    if (Status s = backup_to(*store.value(), a.opts.at("to")); !s) return failed("backup", s);
    std::printf("%s: backed up to %s\n", a.opts.at("db").c_str(), a.opts.at("to").c_str());
    return kExitOk;
}

int cmd_serve(const Args& a) {
    if (auto e = check_options(
            a, {"db", "host", "port", "static", "demo", "threads", "rate-limit", "burst"});
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
    if (a.opts.count("static")) {
        o.static_dir = a.opts.at("static");
    } else if (std::filesystem::is_directory("public")) {
        o.static_dir = "public";
    }
    const std::string db = a.opts.at("db");

    // One server per database: the store keeps its sequence and caches in memory, so a second
    // process serving the same file would hand out the same cursors twice. The lock is held
    // for the life of the process and released by the kernel even after a crash.
    const std::string lock_path = db + ".lock";
    int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0 || ::flock(lock_fd, LOCK_EX | LOCK_NB) != 0)
        return failed("serve", Status(Code::kConflict, "another liaison-server is serving " + db +
                                                           " (lock " + lock_path + ")"));

    auto store = open_store(db, false);
    if (!store) return failed("serve", store.status());
    sync::SystemTimeSource time;
    SyncBackend backend(*store.value(), time);
    // The server's clock resumes where its own writes left it (monotonic across restarts).
    if (auto c = store.value()->meta_get("server_clock"))
        backend.hub().clock().receive(std::strtoull(c->c_str(), nullptr, 10));

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
    (void)store.value()->meta_set("server_clock", std::to_string(backend.hub().clock().state()));
    if (!served) return failed("serve", served);
    std::printf("liaison-server: stopped\n");
    return kExitOk;
}

int run(int argc, char** argv) {
    Args a;
    if (auto e = parse(argc, argv, {"demo", "help"}, a); !e.empty()) return usage_error(e);
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
    if (w0 == "backup") return cmd_backup(a);
    if (w0 == "user" && w1 == "add") return cmd_user_add(a);
    if (w0 == "token" && w1 == "issue") return cmd_token_issue(a);
    if (w0 == "token" && w1 == "revoke") return cmd_token_revoke(a);
    if (w0 == "user" && w1 == "list") return cmd_user_list(a);
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
