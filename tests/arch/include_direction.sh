#!/usr/bin/env bash
# tests/arch/include_direction.sh ROOT: fails, naming each file and line, when a module includes
# a header of a module it must not depend on (docs/ARCHITECTURE.md: core <- sync <- server, web).
#   core   may include core only
#   sync   may include core and sync
#   server may include core, sync and server (never web)
#   web    may include core, sync and web (never server)
# and inside server/ (server/README.md, "Rooms"), one way: http -> api -> backend -> admin -> auth
#   server/api      never http, demo
#   server/backend  never http, api, demo
#   server/admin    never http, api, backend, demo
#   server/demo     never http, api
#   server/auth     never http, api, backend, admin, demo (the gate and the admin commands use it)
# The build enforces the same thing for compiled code (each target sees only its own and its
# dependencies' headers: cmake/modules.cmake); this check also covers headers no target
# compiles and says plainly what is wrong.
set -euo pipefail
root="${1:?usage: include_direction.sh ROOT}"
cd "$root"

bad=0
check() {  # check MODULE FORBIDDEN...
  local module="$1"; shift
  [[ -d "$module" ]] || return 0
  local pattern
  pattern="$(printf '%s|' "$@")"
  pattern="${pattern%|}"
  local hits
  hits="$(grep -rnE --include='*.cpp' --include='*.hpp' --include='*.h' --include='*.cc' \
    "^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<](\.\./)*(${pattern})/" "$module" || true)"
  if [[ -n "$hits" ]]; then
    while IFS= read -r line; do
      echo "forbidden include: $module must not include $(printf '%s, ' "$@" | sed 's/, $//'): $line"
    done <<<"$hits"
    bad=1
  fi
}

check core sync server web
check sync server web
check server web
check web server
check server/api server/http server/demo
check server/backend server/http server/api server/demo
check server/admin server/http server/api server/backend server/demo
check server/demo server/http server/api
check server/auth server/http server/api server/backend server/admin server/demo

if (( bad )); then
  echo "include direction: FAILED"
  exit 1
fi
echo "include direction: core <- sync <- server, web holds (and http -> api -> backend -> admin -> auth in server/)"
