#!/usr/bin/env bash
# tests/arch/no_sql_in_server.sh ROOT: fails, naming each file and line, when a file under
# ROOT/server/ holds SQL or reaches past the store to the SQLite connection. The server speaks
# to storage only through named calls in core/ (the store, the queries, the account tables:
# docs/ARCHITECTURE.md, docs/STORAGE.md), the seam a second storage backend needs.
# Looked for (SQL keywords in capitals, as the project writes SQL; English text is lower case):
#   statements      SELECT, INSERT INTO, UPDATE ... SET, DELETE FROM, CREATE/DROP/ALTER,
#                   PRAGMA, VACUUM, BEGIN, COMMIT, ROLLBACK, sqlite_master
#   the connection  sqlite3_*, sqlite3.h, core/storage/sqlite.hpp, Store::db(),
#                   core::Database, Statement, Transaction, ReadTxn
set -euo pipefail
root="${1:?usage: no_sql_in_server.sh ROOT}"
cd "$root"
[[ -d server ]] || { echo "no server/ under $root"; exit 1; }

pattern='\b(SELECT|INSERT INTO|UPDATE [A-Za-z_]+ SET|DELETE FROM|(CREATE|DROP|ALTER) (TABLE|INDEX|UNIQUE|VIEW|TRIGGER|VIRTUAL)|PRAGMA|VACUUM|BEGIN|COMMIT|ROLLBACK|sqlite_master)\b'
pattern+='|sqlite3_|sqlite3\.h|core/storage/sqlite\.hpp|\.db\(\)|core::(Database|Statement|Transaction|ReadTxn)\b'

hits="$(grep -rnE --include='*.cpp' --include='*.hpp' --include='*.h' --include='*.cc' \
  "$pattern" server || true)"
if [[ -n "$hits" ]]; then
  while IFS= read -r line; do
    echo "SQL in server/ (move it behind a named call in core/): $line"
  done <<<"$hits"
  echo "no SQL in server: FAILED"
  exit 1
fi
echo "no SQL in server: server/ speaks to storage only through core/"
