#!/usr/bin/env bash
# bench/server/run.sh: load test of liaison-server's POST /api/v1/sync (docs/DESIGN.md §7 budget:
# >= 5,000 requests/s, p99 < 50 ms, memory flat, on 2 cores). Builds nothing: run it through
# `./scripts/bench server`, which builds first.
#
# A fresh database, one central user, BENCH_DEVICES device tokens (default 200), the server on
# a free loopback port with the per-token rate limit raised (--rate-limit/--burst, so the limit
# does not dominate), then wrk -t2 -c64 with bench/server/push.lua: every request a new JSON
# push of BENCH_OPS create(s) of an interaction, each with a fresh entity id and stamp, and
# cursor 9000000000000 so pulls are empty. Reference in the same run: GET /healthz with the
# same wrk settings (transport ceiling: no auth, no database).
#
# Env: BENCH_SECONDS (60; use >= 60 for a recorded figure), BENCH_WARMUP (5), BENCH_DEVICES
# (200), BENCH_OPS (1..3, default 1), WRK_THREADS (2), WRK_CONNECTIONS (64),
# BENCH_SERVER_THREADS (empty: the server's default), BENCH_KEEP=1 keeps the temp directory.
# Last line: RESULT server req_per_s=<n> p99_ms=<x> rss_growth_mb=<y> vs_healthz=<ratio>
#
# --postgres (issue 20, docs/SCALING.md): in one run, the same load for the same time against
# (a) one server on SQLite, as above, and (b) two servers on one PostgreSQL database behind
# HAProxy (round robin), the cluster started in the temporary directory with pg_stat_statements
# loaded (scripts/lib/pg-stack.sh) and removed at the end. No /healthz reference. Besides wrk's
# figures it records, over the measured window only: every top-level statement the servers
# ran on the bench database as pg_stat_statements counts them (its `calls`: BEGIN, COMMIT and
# the writer lock's SELECT included, statements of the sampling psql in another database
# excluded), transactions committed (pg_stat_database), what the database's backends were
# waiting on (pg_stat_activity sampled once a second), exchanges per group commit (the servers'
# /metrics, read with an admin token made at setup; also in the SQLite-only run), the CPU each
# process group used, and each server's RSS at the window's start and end.
# Last line: RESULT server_pg req_per_s=<n> p99_ms=<x> vs_sqlite=<ratio> statements_per_req=<n>
#   (vs_sqlite = PostgreSQL's rate / SQLite's; statements_per_req = statements / requests wrk
#   completed in the window)
set -euo pipefail
cd "$(dirname "$0")/../.."
here=bench/server

mode=sqlite
case "${1:-}" in
  "") ;;
  --postgres) mode=postgres ;;
  *) echo "usage: bench/server/run.sh [--postgres]" >&2; exit 2 ;;
esac

server_bin=${LIAISON_SERVER:-build/native/server/liaison-server}
seconds=${BENCH_SECONDS:-60}
warmup=${BENCH_WARMUP:-5}
devices=${BENCH_DEVICES:-200}
ops=${BENCH_OPS:-1}
wrk_threads=${WRK_THREADS:-2}
wrk_conns=${WRK_CONNECTIONS:-64}
rate_limit=1000000   # per token per second: far above what one token gets here
burst=1000000

tools=(wrk node curl)
[[ "$mode" == postgres ]] && tools+=(haproxy runuser setsid)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "bench server: '$tool' is required" >&2; exit 1; }
done
[[ -x "$server_bin" ]] || { echo "bench server: $server_bin not built (run ./scripts/build)" >&2; exit 1; }
[[ "$ops" =~ ^[123]$ ]] || { echo "bench server: BENCH_OPS must be 1, 2 or 3" >&2; exit 2; }
(( seconds >= 60 )) || echo "bench server: note: BENCH_SECONDS=$seconds (< 60: not a recorded figure)" >&2

# shellcheck source=scripts/lib/pg-stack.sh
source scripts/lib/pg-stack.sh

tmp=$(mktemp -d "${TMPDIR:-/tmp}/liaison-bench-server.XXXXXX")
# PostgreSQL runs as another user when we are root (pg-stack.sh): it must reach its folder.
chmod 711 "$tmp"
server_pid="" pg_pids=() lb_pid="" sampler_pid=""
cleanup() {
  # Under `set -e` a failing last command would end the clean-up: nothing here may fail.
  if [[ -n "$sampler_pid" ]]; then kill "$sampler_pid" 2>/dev/null || true; fi
  pg_stack_stop_pid "$lb_pid" HAProxy
  local p
  for p in "${pg_pids[@]}"; do pg_stack_stop_pid "$p" liaison-server; done
  pg_stack_stop_pid "$server_pid" liaison-server
  if [[ -d "$tmp/pg" ]]; then pg_stack_stop "$tmp/pg" || echo "bench server: PostgreSQL did not stop cleanly" >&2; fi
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "bench server: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
# The servers and HAProxy run in sessions of their own (pg-stack.sh): Ctrl-C reaches this
# script only, whose exit stops them.
trap 'exit 130' INT
trap 'exit 143' TERM

# setup DB DIR: one central user and $devices device tokens in database DB (a file or a
# PostgreSQL URL), then DIR/devices.txt and DIR/bodies/ (gen-devices.mjs).
setup() {
  local db=$1 dir=$2 user t0 t1 n_tokens
  mkdir -p "$dir"
  "$server_bin" init --db "$db" >/dev/null
  user=$("$server_bin" user add --db "$db" --name bench-central --role central)
  [[ "$user" =~ ^[0-9A-Za-z]+$ ]] || { echo "bench server: unexpected user id '$user'" >&2; exit 1; }
  # One `token issue` per device (one process each), timed.
  t0=$(date +%s%N)
  for i in $(seq -w 1 "$devices"); do
    "$server_bin" token issue --db "$db" --user "$user" --device "bench-$i" 2>/dev/null | grep '^lsn_' >>"$dir/tokens.txt"
  done
  t1=$(date +%s%N)
  n_tokens=$(wc -l <"$dir/tokens.txt")
  [[ "$n_tokens" -eq "$devices" ]] || { echo "bench server: issued $n_tokens tokens, wanted $devices" >&2; exit 1; }
  echo "setup: $devices tokens issued in $(( (t1 - t0) / 1000000 )) ms ($(( (t1 - t0) / 1000 / devices )) us each)"
  node "$here/gen-devices.mjs" "$dir/tokens.txt" "$dir"
  # An admin's token, for the servers' /metrics (group commit sizes).
  user=$("$server_bin" user add --db "$db" --name bench-admin --role admin)
  "$server_bin" token issue --db "$db" --user "$user" --device bench-metrics 2>/dev/null | grep '^lsn_' >"$dir/admin.txt"
}

# group_commits DIR PORT...: "<exchanges> <commits>" summed over the servers on PORT..., from
# their liaison_group_commit_exchanges histogram (/metrics: docs/OPERATIONS.md, "Metrics").
group_commits() {
  local dir=$1 p
  shift
  for p in "$@"; do
    curl -fsS -H "Authorization: Bearer $(cat "$dir/admin.txt")" "http://127.0.0.1:$p/metrics"
  done | awk '/^liaison_group_commit_exchanges_sum/ { e += $2 } /^liaison_group_commit_exchanges_count/ { c += $2 }
              END { printf "%d %d\n", e, c }'
}
# per_commit "<e0> <c0>" "<e1> <c1>": the window's exchanges, commits and exchanges per commit.
per_commit() {
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); e = y[1] - x[1]; c = y[2] - x[2]
    printf "%d exchanges in %d commits = %.2f a commit", e, c, (c > 0 ? e / c : 0) }'
}

serve_args=(serve --host 127.0.0.1 --port 0 --rate-limit "$rate_limit" --burst "$burst")
[[ -n "${BENCH_SERVER_THREADS:-}" ]] && serve_args+=(--threads "$BENCH_SERVER_THREADS")

# Check the format with the generated sample bodies (a few devices) against BASE: every op
# accepted.
check_samples() {
  local base=$1 dir=$2 f i tok reply
  for f in "$dir"/bodies/000.json "$dir"/bodies/001.json; do
    i=$((10#$(basename "$f" .json) + 1))
    tok=$(sed -n "${i}p" "$dir/tokens.txt")
    reply=$(curl -sS -X POST -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
            --data-binary @"$f" "$base/api/v1/sync")
    grep -q '"outcome": *"accepted"' <<<"$reply" || { echo "bench server: sample push not accepted: $reply" >&2; exit 1; }
  done
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# wrk's latency figure to milliseconds ("12.34ms", "850.00us", "1.02s", "1.00m")
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else { print "nan" } }'
}
# CPU ticks (user+sys) of process $1, and with "children" also of the children it reaped.
cpu_ticks() { awk -v c="${2:-}" '{print $14 + $15 + (c == "children" ? $16 + $17 : 0)}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
pct() { awk -v t="$1" -v hz="$hz" -v s="$seconds" 'BEGIN {printf "%.0f", 100 * t / hz / s}'; }

export BENCH_THREADS="$wrk_threads" BENCH_OPS="$ops"
# wrk_sync URL SECONDS DIR: the sync load from DIR's devices.
wrk_sync() {
  BENCH_DEVICES="$3/devices.txt" \
    BENCH_SCHEMA=$(grep -o '"schema_version":[0-9]*' "$3/bodies/000.json" | cut -d: -f2) \
    wrk -t"$wrk_threads" -c"$wrk_conns" -d"$2"s --latency -s "$here/push.lua" "$1/api/v1/sync"
}

rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() { to_ms "$(awk '$1 == "99%" {print $2}' "$1")"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ {print $NF}' "$1" | tail -1; }
errs() { grep -E '^ *Socket errors:' "$1" || true; }
requests() { awk '/ requests in / {print $1}' "$1"; }

# ---------------------------------------------------------------- one server on SQLite
setup "$tmp/liaison.db" "$tmp/sqlite"
pg_stack_server_start "$tmp/server.log" "$server_bin" "${serve_args[@]}" --db "$tmp/liaison.db" || exit 1
server_pid=$PG_STACK_PID
port=$PG_STACK_SERVER_PORT
base=http://127.0.0.1:$port
echo "server: pid $server_pid on $base (${serve_args[*]:1} --db $tmp/liaison.db)"
check_samples "$base" "$tmp/sqlite"

echo "warmup: ${warmup}s of sync load"
wrk_sync "$base" "$warmup" "$tmp/sqlite" >"$tmp/wrk-warmup.txt"
rss0=$(rss_kb "$server_pid")
ticks0=$(cpu_ticks "$server_pid")
gc0=$(group_commits "$tmp/sqlite" "$port")
echo
echo "== sync: wrk -t$wrk_threads -c$wrk_conns -d${seconds}s --latency -s $here/push.lua $base/api/v1/sync (BENCH_OPS=$ops)"
wrk_sync "$base" "$seconds" "$tmp/sqlite" | tee "$tmp/wrk-sync.txt"
rss1=$(rss_kb "$server_pid")
ticks1=$(cpu_ticks "$server_pid")
gc1=$(group_commits "$tmp/sqlite" "$port")

sync_rps=$(rps "$tmp/wrk-sync.txt")
sync_p99=$(p99 "$tmp/wrk-sync.txt")
sync_bad=$(non2xx "$tmp/wrk-sync.txt"); sync_bad=${sync_bad:-0}
growth=$(awk -v a="$rss0" -v b="$rss1" 'BEGIN {printf "%.1f", (b - a) / 1024}')
cpu=$(pct "$((ticks1 - ticks0))")
statuses() { grep -ho '"status":[0-9]*' "$@" | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}'; }

if [[ "$mode" == sqlite ]]; then
  echo
  echo "== reference: wrk -t$wrk_threads -c$wrk_conns -d${seconds}s --latency $base/healthz"
  wrk -t"$wrk_threads" -c"$wrk_conns" -d"${seconds}s" --latency "$base/healthz" | tee "$tmp/wrk-healthz.txt"
  hz_rps=$(rps "$tmp/wrk-healthz.txt")
  hz_p99=$(p99 "$tmp/wrk-healthz.txt")
  hz_bad=$(non2xx "$tmp/wrk-healthz.txt"); hz_bad=${hz_bad:-0}
  ratio=$(awk -v a="$sync_rps" -v b="$hz_rps" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')
  st=$(statuses "$tmp/server.log")

  echo
  echo "summary:"
  echo "  sync:    ${sync_rps} req/s, p99 ${sync_p99} ms, non-2xx ${sync_bad} $(errs "$tmp/wrk-sync.txt")"
  echo "  healthz: ${hz_rps} req/s, p99 ${hz_p99} ms, non-2xx ${hz_bad} $(errs "$tmp/wrk-healthz.txt")"
  echo "  server:  RSS $((rss0 / 1024)) MiB after warmup -> $((rss1 / 1024)) MiB after the sync run;" \
       "CPU ${cpu}% of one core during the sync run (user+sys)"
  echo "  server log statuses (whole run): ${st:-none}"
  echo "  group commit during the sync run: $(per_commit "$gc0" "$gc1")"
  echo "  rate limit raised to --rate-limit $rate_limit --burst $burst per token; cursor 9000000000000 (empty pulls)"
  if [[ "$sync_bad" != 0 ]]; then
    # A refused push measures the refusal, not the merge: no figure from such a run.
    echo "bench server: $sync_bad non-2xx sync responses (see the statuses above)" >&2
    exit 1
  fi
  echo "  budget (docs/DESIGN.md §7): >= 5000 req/s, p99 < 50 ms, memory flat -> req/s $(awk -v a="$sync_rps" 'BEGIN{print (a >= 5000 ? "met" : "MISSED")}'), p99 $(awk -v a="$sync_p99" 'BEGIN{print (a < 50 ? "met" : "MISSED")}')"
  echo "RESULT server req_per_s=${sync_rps} p99_ms=${sync_p99} rss_growth_mb=${growth} vs_healthz=${ratio}"
  exit 0
fi

if [[ "$sync_bad" != 0 ]]; then
  echo "bench server: $sync_bad non-2xx sync responses from the SQLite server: $(statuses "$tmp/server.log")" >&2
  exit 1
fi
# The SQLite server is done: it must not share the cores with the PostgreSQL run.
pg_stack_stop_pid "$server_pid" liaison-server
server_pid=""

# ---------------------------------------------------------------- two servers on PostgreSQL
pgdir=$tmp/pg
pg_stack_start "$pgdir" shared_preload_libraries=pg_stat_statements pg_stat_statements.track=top ||
  exit 1
pg_stack_create_db "$pgdir" liaison >/dev/null
pg_stack_psql "$pgdir" postgres -c 'CREATE EXTENSION pg_stat_statements'
url=$(pg_stack_url "$pgdir" liaison)
echo
echo "postgres: $("$(pg_stack_bindir)/postgres" --version) in $pgdir, database liaison"
setup "$url" "$tmp/pgdev"
for n in 1 2; do
  pg_stack_server_start "$tmp/pg-server-$n.log" "$server_bin" "${serve_args[@]}" --db "$url" || exit 1
  pg_pids+=("$PG_STACK_PID")
  pg_ports+=("$PG_STACK_SERVER_PORT")
done
lb_port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
stats=$tmp/haproxy-stats.sock
pg_stack_haproxy_config "$tmp/haproxy.cfg" "$lb_port" "$stats" "${pg_ports[@]}"
pg_stack_haproxy_start "$tmp/haproxy.cfg" "$tmp/haproxy.log" || exit 1
lb_pid=$PG_STACK_PID
lb=http://127.0.0.1:$lb_port
echo "servers: pids ${pg_pids[*]} on ports ${pg_ports[*]}; HAProxy pid $lb_pid on $lb (round robin)"
check_samples "$lb" "$tmp/pgdev"

postmaster=$(head -1 "$pgdir/data/postmaster.pid")
# The database's CPU: the postmaster, the backends it reaped, and those still running.
pg_ticks() {
  local t k
  t=$(cpu_ticks "$postmaster" children)
  for k in $(pgrep -P "$postmaster"); do t=$((t + $(cpu_ticks "$k" 2>/dev/null || echo 0))); done
  echo "$t"
}
sum_ticks() { local t=0 k; for k in "$@"; do t=$((t + $(cpu_ticks "$k"))); done; echo "$t"; }
busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
sql() { pg_stack_psql "$pgdir" postgres -c "$1"; }
db_oid=$(sql "SELECT oid FROM pg_database WHERE datname = 'liaison'")

echo "warmup: ${warmup}s of sync load"
wrk_sync "$lb" "$warmup" "$tmp/pgdev" >"$tmp/wrk-pg-warmup.txt"
sql 'SELECT pg_stat_statements_reset()' >/dev/null
pg_gc0=$(group_commits "$tmp/pgdev" "${pg_ports[@]}")
xact0=$(sql "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'liaison'")
pg_rss0=() ; for p in "${pg_pids[@]}"; do pg_rss0+=("$(rss_kb "$p")"); done
srv_t0=$(sum_ticks "${pg_pids[@]}"); db_t0=$(pg_ticks); lb_t0=$(cpu_ticks "$lb_pid"); all_t0=$(busy_ticks)
# What the database's connections are doing, once a second, into waits.txt.
(
  while :; do
    sql "SELECT coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-') || ' (' || state || ')' FROM pg_stat_activity WHERE datname = 'liaison' AND state <> 'idle'" >>"$tmp/waits.txt" 2>/dev/null || true
    echo tick >>"$tmp/waits.txt"
    sleep 1
  done
) &
sampler_pid=$!
echo
echo "== sync through HAProxy: wrk -t$wrk_threads -c$wrk_conns -d${seconds}s --latency -s $here/push.lua $lb/api/v1/sync (BENCH_OPS=$ops)"
wrk_sync "$lb" "$seconds" "$tmp/pgdev" | tee "$tmp/wrk-pg.txt"
kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
srv_t1=$(sum_ticks "${pg_pids[@]}"); db_t1=$(pg_ticks); lb_t1=$(cpu_ticks "$lb_pid"); all_t1=$(busy_ticks)
pg_rss1=() ; for p in "${pg_pids[@]}"; do pg_rss1+=("$(rss_kb "$p")"); done
pg_gc1=$(group_commits "$tmp/pgdev" "${pg_ports[@]}")
stmts=$(sql "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = $db_oid")
xact1=$(sql "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'liaison'")
# Every statement, most frequent first: calls and execution time (ms) over the window.
pg_stack_psql "$pgdir" postgres -F $'\t' -c "SELECT calls, round(total_exec_time::numeric, 1),
    regexp_replace(query, '\s+', ' ', 'g') FROM pg_stat_statements WHERE dbid = $db_oid
    ORDER BY calls DESC, total_exec_time DESC" >"$tmp/statements.txt"
exec_ms=$(sql "SELECT round(coalesce(sum(total_exec_time), 0)::numeric, 1) FROM pg_stat_statements WHERE dbid = $db_oid")

pg_rps=$(rps "$tmp/wrk-pg.txt")
pg_p99=$(p99 "$tmp/wrk-pg.txt")
pg_bad=$(non2xx "$tmp/wrk-pg.txt"); pg_bad=${pg_bad:-0}
pg_reqs=$(requests "$tmp/wrk-pg.txt")
per_req() { awk -v a="$1" -v n="$pg_reqs" 'BEGIN {printf "%.2f", (n > 0 ? a / n : 0)}'; }
stmts_per_req=$(per_req "$stmts")
vs=$(awk -v a="$pg_rps" -v b="$sync_rps" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')
ms_per_tick=$(awk -v hz="$hz" 'BEGIN {print 1000 / hz}')
cpu_ms_per_req() { awk -v t="$1" -v m="$ms_per_tick" -v n="$pg_reqs" 'BEGIN {printf "%.3f", (n > 0 ? t * m / n : 0)}'; }
ticks=$(awk -v a="$all_t0" -v b="$all_t1" 'BEGIN {print b - a}')

echo
echo "summary:"
echo "  SQLite, one server:        ${sync_rps} req/s, p99 ${sync_p99} ms, non-2xx ${sync_bad} $(errs "$tmp/wrk-sync.txt")"
echo "                             RSS $((rss0 / 1024)) -> $((rss1 / 1024)) MiB over the window; CPU ${cpu}% of one core"
echo "                             group commit: $(per_commit "$gc0" "$gc1")"
echo "  PostgreSQL, two servers:   ${pg_rps} req/s, p99 ${pg_p99} ms, non-2xx ${pg_bad} $(errs "$tmp/wrk-pg.txt"), $pg_reqs requests"
for i in "${!pg_pids[@]}"; do
  echo "    server $((i + 1)) (pid ${pg_pids[$i]}): RSS $((pg_rss0[i] / 1024)) -> $((pg_rss1[i] / 1024)) MiB over the window"
done
echo "    group commit (both servers): $(per_commit "$pg_gc0" "$pg_gc1")"
echo "    requests per server (HAProxy, whole run): $(pg_stack_haproxy_servers "$stats" req_tot | tr '\n' ' ')"
echo "    statements (pg_stat_statements calls, bench database, top level): $stmts = $stmts_per_req a request;" \
     "their execution $exec_ms ms = $(per_req "$exec_ms") ms a request"
echo "    transactions (pg_stat_database, autocommit statements included): $((xact1 - xact0)) = $(per_req "$((xact1 - xact0))") a request"
# Every write transaction takes the writer lock first (docs/SCALING.md §2): its SELECT's count
# is the number of write transactions, its execution time the time spent waiting for the lock.
awk -F'\t' -v n="$pg_reqs" -v s="$seconds" '$3 ~ /pg_advisory_xact_lock/ { c += $1; ms += $2 }
  END { if (c) printf "    writer lock: %d write transactions = %.2f a request (%.0f a second), %.2f ms waited for the lock each on average\n", c, c / n, c / s, ms / c }' "$tmp/statements.txt"
echo "    CPU over the window, % of one core: servers $(pct "$((srv_t1 - srv_t0))"), PostgreSQL $(pct "$((db_t1 - db_t0))")," \
     "HAProxy $(pct "$((lb_t1 - lb_t0))"), whole machine $(pct "$ticks") of $(nproc)00"
echo "    CPU per request: servers $(cpu_ms_per_req "$((srv_t1 - srv_t0))") ms, PostgreSQL $(cpu_ms_per_req "$((db_t1 - db_t0))") ms," \
     "HAProxy $(cpu_ms_per_req "$((lb_t1 - lb_t0))") ms"
echo "    backends not idle, per 1 s sample (wait type:event, summed over $(grep -c '^tick$' "$tmp/waits.txt" 2>/dev/null || echo 0) samples):"
grep -v '^tick$' "$tmp/waits.txt" 2>/dev/null | sort | uniq -c | sort -rn | sed -n '1,8s/^/      /p'
echo "    statements a request, by what they are (pg_stat_statements calls / requests; exec ms a request):"
# The kind tables' look-ups by id are one line each in pg_stat_statements: grouped here.
awk -F'\t' -v n="$pg_reqs" '
  { q = $3
    if (q ~ /^SELECT 1 FROM k_[a-z_]+ WHERE eid=\$1$/) q = "SELECT 1 FROM k_<kind> WHERE eid=$1 (one statement per kind table)"
    # A group commit'"'"'s new records (Store::flush_creates): a statement text per slot count.
    if (q ~ /^WITH o AS \(INSERT INTO oplog\(eid,hlc,replica,actor,type,touched\) SELECT \* FROM \(VALUES/) q = "WITH o AS (INSERT INTO oplog ... (VALUES (...),(...) ...)) INSERT INTO k_<kind> ... (a group'"'"'s new records; one text per size)"
    calls[q] += $1; ms[q] += $2 }
  END { for (q in calls) printf "%8.2f %7.3f  %s\n", calls[q] / n, ms[q] / n, substr(q, 1, 120) }' "$tmp/statements.txt" |
  sort -rn | sed -n '1,25s/^/    /p'
echo "    server log statuses (whole run): $(statuses "$tmp"/pg-server-*.log)"
if [[ "$pg_bad" != 0 ]]; then
  echo "bench server: $pg_bad non-2xx sync responses through HAProxy (see the statuses above, and $tmp/haproxy.log)" >&2
  exit 1
fi
echo "  budget (issue 20): >= half the SQLite rate, p99 < 50 ms, memory flat -> rate $(awk -v v="$vs" 'BEGIN{print (v >= 0.5 ? "met" : "MISSED")}'), p99 $(awk -v a="$pg_p99" 'BEGIN{print (a < 50 ? "met" : "MISSED")}')"
echo "RESULT server_pg req_per_s=${pg_rps} p99_ms=${pg_p99} vs_sqlite=${vs} statements_per_req=${stmts_per_req}"
