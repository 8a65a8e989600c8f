# shellcheck shell=bash
# scripts/lib/pg-stack.sh: the pieces of a local "several servers on PostgreSQL" stack
# (docs/SCALING.md §5), sourced by `scripts/run --postgres` and `bench/server/run.sh --postgres`:
#   - a PostgreSQL cluster of its own (Debian's postgresql, /usr/lib/postgresql/<major>/bin)
#     in a folder the caller names, run as an unprivileged user (as `nobody` when the caller is
#     root, PostgreSQL refusing to run as root; otherwise as the caller), listening on a unix
#     socket in that folder only: no TCP port, so it never meets another cluster on the machine;
#   - liaison-server processes, each in a session of its own so that Ctrl-C reaches only the
#     script, which stops them in order;
#   - HAProxy (Debian's haproxy) in front: round robin, no stickiness (a device may reach any
#     server from one request to the next), health checks against GET /healthz.
# Every function returns non-zero with a message on stderr when it fails; none exits the shell.
#
# Generated files (haproxy.cfg, logs) go into the folder the caller names, never into the tree.

# PostgreSQL's socket file name carries the port; alone in its folder, the default is free.
PG_STACK_PORT=5432
PG_STACK_SUPERUSER=liaison
PG_STACK_TIMEOUT_S=120  # initdb, pg_ctl start and stop each

pg_stack_say() { printf '%s\n' "$*" >&2; }

# The newest /usr/lib/postgresql/<major>/bin with initdb and pg_ctl.
pg_stack_bindir() {
  local best="" major=-1 bin m
  for bin in /usr/lib/postgresql/*/bin; do
    [[ -x "$bin/initdb" && -x "$bin/pg_ctl" ]] || continue
    m=$(basename "$(dirname "$bin")")
    [[ "$m" =~ ^[0-9]+$ ]] && ((m > major)) && { major=$m; best=$bin; }
  done
  if [[ -z "$best" ]]; then
    pg_stack_say "pg-stack: PostgreSQL's initdb and pg_ctl not found under /usr/lib/postgresql/<version>/bin: install Debian's 'postgresql' (./scripts/deps does)"
    return 1
  fi
  printf '%s\n' "$best"
}

# Runs a command as the cluster's user: `nobody` when we are root, else ourselves.
pg_stack_as_owner() {
  if ((EUID == 0)); then runuser -u nobody -- "$@"; else "$@"; fi
}

# The socket must fit a sockaddr_un (107 bytes and a terminating zero).
pg_stack_check_dir() {
  local dir=$1 socket="$1/.s.PGSQL.$PG_STACK_PORT"
  if [[ "$dir" != /* ]]; then
    pg_stack_say "pg-stack: the cluster's folder must be an absolute path: $dir"
    return 1
  fi
  if ((${#socket} > 107)); then
    pg_stack_say "pg-stack: $socket has ${#socket} bytes, more than a unix socket's path may (107): use a shorter folder"
    return 1
  fi
}

# libpq's URL for database $2 of the cluster in folder $1.
pg_stack_url() {
  printf 'postgresql://%s@/%s?host=%s&port=%s\n' "$PG_STACK_SUPERUSER" "$2" "$1" "$PG_STACK_PORT"
}

# psql against database $2 of the cluster in $1, the rest of the arguments passed on; quiet,
# unaligned, stops at the first error.
pg_stack_psql() {
  local dir=$1 db=$2
  shift 2
  "$(pg_stack_bindir)/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$dir" -p "$PG_STACK_PORT" \
    -U "$PG_STACK_SUPERUSER" -d "$db" "$@"
}

pg_stack_running() { [[ -f "$1/data/postmaster.pid" ]]; }

# pg_stack_start DIR [SETTING=VALUE...]: starts the cluster kept in DIR/data, making it first
# if DIR holds none (DIR itself is made and given to the cluster's user). Extra settings are
# passed to the server as -c options for this start only. Server log: DIR/postgres.log.
pg_stack_start() {
  local dir=$1
  shift
  local bindir
  bindir=$(pg_stack_bindir) || return 1
  pg_stack_check_dir "$dir" || return 1
  mkdir -p "$dir" || return 1
  if ((EUID == 0)); then
    chown nobody: "$dir" || return 1
    if ! runuser -u nobody -- test -w "$dir"; then
      pg_stack_say "pg-stack: PostgreSQL runs as 'nobody', which cannot reach $dir (is a parent folder closed to others?): choose a folder others may traverse"
      return 1
    fi
  fi
  if pg_stack_running "$dir"; then
    # A run that was killed (not stopped) leaves its server: stop it, then start afresh.
    pg_stack_say "pg-stack: a PostgreSQL server was left running in $dir: stopping it first"
    pg_stack_stop "$dir" || return 1
  fi
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    # C locale and UTF-8: the store orders ids and text byte-wise whatever the database's
    # collation (docs/STORAGE.md, "Two backends"); trust on the socket only, which is the
    # owner's alone (unix_socket_permissions below).
    if ! (cd "$dir" && pg_stack_as_owner "$bindir/initdb" -D "$dir/data" -U "$PG_STACK_SUPERUSER" \
      --auth=trust --locale=C -E UTF8 >"$dir/initdb.log" 2>&1); then
      pg_stack_say "pg-stack: initdb failed in $dir/data:"
      tail -n 20 "$dir/initdb.log" >&2
      return 1
    fi
  fi
  local opts="-c listen_addresses='' -k $dir -p $PG_STACK_PORT -c unix_socket_permissions=0700" s
  for s in "$@"; do opts+=" -c $s"; done
  if ! (cd "$dir" && pg_stack_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" \
    -w -t "$PG_STACK_TIMEOUT_S" -o "$opts" start >"$dir/pg_ctl.log" 2>&1); then
    pg_stack_say "pg-stack: PostgreSQL did not start in $dir; its log:"
    tail -n 20 "$dir/postgres.log" >&2
    return 1
  fi
}

# Stops the cluster in $1 (fast: open transactions roll back, connections end), if running.
pg_stack_stop() {
  local dir=$1 bindir
  pg_stack_running "$dir" || return 0
  bindir=$(pg_stack_bindir) || return 1
  (cd "$dir" && pg_stack_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t "$PG_STACK_TIMEOUT_S" \
    stop >>"$dir/pg_ctl.log" 2>&1)
}

# Creates database $2 in the cluster in $1 unless it is there. Prints "created" or "kept".
pg_stack_create_db() {
  local dir=$1 db=$2 found
  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || { pg_stack_say "pg-stack: not a plain database name: $db"; return 1; }
  found=$(pg_stack_psql "$dir" postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'") || return 1
  if [[ "$found" == 1 ]]; then
    echo kept
  else
    pg_stack_psql "$dir" postgres -c "CREATE DATABASE $db" || return 1
    echo created
  fi
}

# pg_stack_server_start LOG SERVER_BINARY serve ARGS...: starts a liaison-server in a session
# of its own, stdout and stderr to LOG, and waits (up to 10 minutes: a --demo load comes first)
# for its "listening on" line. Sets PG_STACK_PID and PG_STACK_SERVER_PORT.
pg_stack_server_start() {
  local log=$1
  shift
  : >"$log"
  setsid "$@" >"$log" 2>&1 </dev/null &
  PG_STACK_PID=$!
  PG_STACK_SERVER_PORT=""
  local waited
  for ((waited = 0; waited < 6000; waited++)); do
    PG_STACK_SERVER_PORT=$(sed -n 's|^liaison-server: listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$log")
    [[ -n "$PG_STACK_SERVER_PORT" ]] && return 0
    if ! kill -0 "$PG_STACK_PID" 2>/dev/null; then
      pg_stack_say "pg-stack: liaison-server exited before listening; $log:"
      tail -n 20 "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  pg_stack_say "pg-stack: liaison-server printed no 'listening on' line in 10 minutes ($log)"
  return 1
}

# pg_stack_haproxy_config FILE LISTEN_PORT STATS_SOCKET SERVER_PORT...: writes HAProxy's
# configuration for the servers on 127.0.0.1:SERVER_PORT..., HAProxy on 127.0.0.1:LISTEN_PORT,
# its statistics page (HTTP; `curl --unix-socket STATS_SOCKET http://stats/;csv`) on a unix
# socket rather than one more port.
pg_stack_haproxy_config() {
  local file=$1 port=$2 stats=$3
  shift 3
  local who="" i=0 p
  # HAProxy needs no privilege after binding: as root it gives them up.
  ((EUID == 0)) && who=$'    user nobody\n    group nogroup'
  {
    cat <<EOF
# Generated by scripts/lib/pg-stack.sh: rewritten on every start, not to be edited.
global
    log stdout format raw local0 notice
    maxconn 4096
$who

defaults
    mode http
    log global
    option dontlognull
    # A first sync's pages can be large for a slow tablet, and a push waits for its group
    # commit: minutes of patience towards both sides rather than a cut reply. Headers must
    # arrive within the server's own read timeout (10 s), and an idle keep-alive connection
    # is closed after the server's own 5 s.
    timeout connect 5s
    timeout client 5m
    timeout server 5m
    timeout http-request 10s
    timeout http-keep-alive 5s
    timeout queue 30s
    # A server refusing connections (stopped, restarting) is retried on the other.
    retries 2
    option redispatch
    # The client's address for the servers' limits per address (liaison-server --trusted-proxy).
    option forwardfor

frontend liaison
    bind 127.0.0.1:$port
    default_backend servers

# Round robin and no stickiness: any server answers any request (docs/SCALING.md §1).
backend servers
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz
    http-check expect status 200
    default-server inter 2s fall 2 rise 1
EOF
    for p in "$@"; do
      i=$((i + 1))
      echo "    server s$i 127.0.0.1:$p check"
    done
    cat <<EOF

listen stats
    bind unix@$stats mode 600
    stats enable
    stats uri /
    stats refresh 5s
EOF
  } >"$file"
}

# pg_stack_haproxy_start CONFIG LOG: checks the configuration, starts HAProxy in the
# foreground of a session of its own (log to LOG) and waits until every server's health check
# passed. Sets PG_STACK_PID.
pg_stack_haproxy_start() {
  local cfg=$1 log=$2 stats waited
  command -v haproxy >/dev/null || { pg_stack_say "pg-stack: 'haproxy' not found: install Debian's haproxy (./scripts/deps does)"; return 1; }
  if ! haproxy -c -q -f "$cfg" >"$log" 2>&1; then
    pg_stack_say "pg-stack: HAProxy refused $cfg:"
    cat "$log" >&2
    return 1
  fi
  stats=$(sed -n 's|^ *bind unix@\([^ ]*\).*|\1|p' "$cfg")
  rm -f "$stats"
  setsid haproxy -db -f "$cfg" >"$log" 2>&1 </dev/null &
  PG_STACK_PID=$!
  for ((waited = 0; waited < 200; waited++)); do
    if ! kill -0 "$PG_STACK_PID" 2>/dev/null; then
      pg_stack_say "pg-stack: HAProxy exited; $log:"
      tail -n 20 "$log" >&2
      return 1
    fi
    # Ready when no backend server is still down or starting.
    if [[ -S "$stats" ]] &&
      pg_stack_haproxy_servers "$stats" status 2>/dev/null |
      awk '{ n++; if ($2 != "UP") bad++ } END { exit !(n > 0 && bad == 0) }'; then
      return 0
    fi
    sleep 0.1
  done
  pg_stack_say "pg-stack: HAProxy's health checks did not pass within 20 s; $log:"
  tail -n 20 "$log" >&2
  return 1
}

# pg_stack_haproxy_servers STATS_SOCKET COLUMN: "<server> <value>" a line for each server of
# the backend, COLUMN naming a column of HAProxy's CSV statistics (status, req_tot, ...).
pg_stack_haproxy_servers() {
  curl -fsS --unix-socket "$1" 'http://stats/;csv' |
    awk -F, -v want="$2" 'NR == 1 { sub(/^# */, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
      $1 == "servers" && $2 != "BACKEND" && col[want] { print $2, $col[want] }'
}

# Sends SIGTERM to process $1 and waits up to 10 s for it to end, then SIGKILL. Its name ($2)
# goes into the message when it had to be killed.
pg_stack_stop_pid() {
  local pid=$1 name=$2 i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  pg_stack_say "pg-stack: $name (pid $pid) did not stop within 10 s: killed"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
