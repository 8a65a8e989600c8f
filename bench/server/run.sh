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
set -euo pipefail
cd "$(dirname "$0")/../.."
here=bench/server

server_bin=${LIAISON_SERVER:-build/native/server/liaison-server}
seconds=${BENCH_SECONDS:-60}
warmup=${BENCH_WARMUP:-5}
devices=${BENCH_DEVICES:-200}
ops=${BENCH_OPS:-1}
wrk_threads=${WRK_THREADS:-2}
wrk_conns=${WRK_CONNECTIONS:-64}
rate_limit=1000000   # per token per second: far above what one token gets here
burst=1000000

for tool in wrk node curl; do
  command -v "$tool" >/dev/null || { echo "bench server: '$tool' is required" >&2; exit 1; }
done
[[ -x "$server_bin" ]] || { echo "bench server: $server_bin not built (run ./scripts/build)" >&2; exit 1; }
[[ "$ops" =~ ^[123]$ ]] || { echo "bench server: BENCH_OPS must be 1, 2 or 3" >&2; exit 2; }
(( seconds >= 60 )) || echo "bench server: note: BENCH_SECONDS=$seconds (< 60: not a recorded figure)" >&2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/liaison-bench-server.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "bench server: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

db=$tmp/liaison.db
"$server_bin" init --db "$db" >/dev/null
user=$("$server_bin" user add --db "$db" --name bench-central --role central)
[[ "$user" =~ ^[0-9A-Za-z]+$ ]] || { echo "bench server: unexpected user id '$user'" >&2; exit 1; }

# One `token issue` per device (one process each), timed.
t0=$(date +%s%N)
for i in $(seq -w 1 "$devices"); do
  "$server_bin" token issue --db "$db" --user "$user" --device "bench-$i" 2>/dev/null | grep '^lsn_' >>"$tmp/tokens.txt"
done
t1=$(date +%s%N)
n_tokens=$(wc -l <"$tmp/tokens.txt")
[[ "$n_tokens" -eq "$devices" ]] || { echo "bench server: issued $n_tokens tokens, wanted $devices" >&2; exit 1; }
echo "setup: $devices tokens issued in $(( (t1 - t0) / 1000000 )) ms ($(( (t1 - t0) / 1000 / devices )) us each)"

node "$here/gen-devices.mjs" "$tmp/tokens.txt" "$tmp"

serve_args=(serve --db "$db" --host 127.0.0.1 --port 0 --rate-limit "$rate_limit" --burst "$burst")
[[ -n "${BENCH_SERVER_THREADS:-}" ]] && serve_args+=(--threads "$BENCH_SERVER_THREADS")
"$server_bin" "${serve_args[@]}" >"$tmp/server.out" 2>"$tmp/server.log" &
server_pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's|^liaison-server: listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$tmp/server.out")
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "bench server: the server exited:" >&2; cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { echo "bench server: no 'listening on' line from the server" >&2; exit 1; }
base=http://127.0.0.1:$port
echo "server: pid $server_pid on $base (${serve_args[*]:1})"

# Check the format with the generated sample bodies (a few devices): every op accepted.
for f in "$tmp"/bodies/000.json "$tmp"/bodies/001.json; do
  i=$((10#$(basename "$f" .json) + 1))
  tok=$(sed -n "${i}p" "$tmp/tokens.txt")
  reply=$(curl -sS -X POST -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
          --data-binary @"$f" "$base/api/v1/sync")
  grep -q '"outcome": *"accepted"' <<<"$reply" || { echo "bench server: sample push not accepted: $reply" >&2; exit 1; }
done

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }
# wrk's latency figure to milliseconds ("12.34ms", "850.00us", "1.02s", "1.00m")
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else { print "nan" } }'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }

schema=$(grep -o '"schema_version":[0-9]*' "$tmp/bodies/000.json" | cut -d: -f2)
export BENCH_DEVICES="$tmp/devices.txt" BENCH_THREADS="$wrk_threads" BENCH_OPS="$ops" BENCH_SCHEMA="$schema"
wrk_sync() {
  wrk -t"$wrk_threads" -c"$wrk_conns" -d"$1"s --latency -s "$here/push.lua" "$base/api/v1/sync"
}

echo "warmup: ${warmup}s of sync load"
wrk_sync "$warmup" >"$tmp/wrk-warmup.txt"
rss0=$(rss_kb)
ticks0=$(cpu_ticks)
echo
echo "== sync: wrk -t$wrk_threads -c$wrk_conns -d${seconds}s --latency -s $here/push.lua $base/api/v1/sync (BENCH_OPS=$ops)"
wrk_sync "$seconds" | tee "$tmp/wrk-sync.txt"
rss1=$(rss_kb)
ticks1=$(cpu_ticks)
hz=$(getconf CLK_TCK)

echo
echo "== reference: wrk -t$wrk_threads -c$wrk_conns -d${seconds}s --latency $base/healthz"
wrk -t"$wrk_threads" -c"$wrk_conns" -d"${seconds}s" --latency "$base/healthz" | tee "$tmp/wrk-healthz.txt"

rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() { to_ms "$(awk '$1 == "99%" {print $2}' "$1")"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ {print $NF}' "$1" | tail -1; }
errs() { grep -E '^ *Socket errors:' "$1" || true; }

sync_rps=$(rps "$tmp/wrk-sync.txt")
sync_p99=$(p99 "$tmp/wrk-sync.txt")
sync_bad=$(non2xx "$tmp/wrk-sync.txt"); sync_bad=${sync_bad:-0}
hz_rps=$(rps "$tmp/wrk-healthz.txt")
hz_p99=$(p99 "$tmp/wrk-healthz.txt")
hz_bad=$(non2xx "$tmp/wrk-healthz.txt"); hz_bad=${hz_bad:-0}
growth=$(awk -v a="$rss0" -v b="$rss1" 'BEGIN {printf "%.1f", (b - a) / 1024}')
cpu=$(awk -v t="$((ticks1 - ticks0))" -v hz="$hz" -v s="$seconds" 'BEGIN {printf "%.0f", 100 * t / hz / s}')
ratio=$(awk -v a="$sync_rps" -v b="$hz_rps" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')
statuses=$(grep -o '"status":[0-9]*' "$tmp/server.log" | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')

echo
echo "summary:"
echo "  sync:    ${sync_rps} req/s, p99 ${sync_p99} ms, non-2xx ${sync_bad} $(errs "$tmp/wrk-sync.txt")"
echo "  healthz: ${hz_rps} req/s, p99 ${hz_p99} ms, non-2xx ${hz_bad} $(errs "$tmp/wrk-healthz.txt")"
echo "  server:  RSS $((rss0 / 1024)) MiB after warmup -> $((rss1 / 1024)) MiB after the sync run;" \
     "CPU ${cpu}% of one core during the sync run (user+sys)"
echo "  server log statuses (whole run): ${statuses:-none}"
echo "  rate limit raised to --rate-limit $rate_limit --burst $burst per token; cursor 9000000000000 (empty pulls)"
if [[ "$sync_bad" != 0 ]]; then
  # A refused push measures the refusal, not the merge: no figure from such a run.
  echo "bench server: $sync_bad non-2xx sync responses (see the statuses above)" >&2
  exit 1
fi
echo "  budget (docs/DESIGN.md §7): >= 5000 req/s, p99 < 50 ms, memory flat -> req/s $(awk -v a="$sync_rps" 'BEGIN{print (a >= 5000 ? "met" : "MISSED")}'), p99 $(awk -v a="$sync_p99" 'BEGIN{print (a < 50 ? "met" : "MISSED")}')"
echo "RESULT server req_per_s=${sync_rps} p99_ms=${sync_p99} rss_growth_mb=${growth} vs_healthz=${ratio}"
