#!/usr/bin/env bash
# tests/arch/test_namespaces.sh ROOT: fails, naming the file, when a test source under
# ROOT/tests/{core,sync,server}/ does not put its code in a namespace of its own. The test
# targets are unity builds (tests/CMakeLists.txt: several sources compiled as one), so two
# files' helpers in one shared namespace would collide, or worse, a call in one file could
# quietly pick another file's overload. Each file's first namespace must be
#   namespace liaison::test::<dir>_<stem> {     (tests/sync/hub_test.cpp: sync_hub)
# or, for a test written inside the core's namespace, liaison::core::test_<dir>_<stem>, and the
# file may not reopen the shared liaison::test or liaison::core namespace.
set -euo pipefail
root="${1:?usage: test_namespaces.sh ROOT}"
cd "$root"
status=0
for file in tests/{core,sync,server}/*_test.cpp; do
  [[ -f "$file" ]] || continue
  dir="$(basename "$(dirname "$file")")"
  stem="$(basename "$file" _test.cpp)"
  id="${dir}_${stem}"
  first="$(grep -m1 -E '^namespace ' "$file" || true)"
  if [[ "$first" != "namespace liaison::test::$id {" && "$first" != "namespace liaison::core::test_$id {" ]]; then
    echo "no namespace of its own (open it with 'namespace liaison::test::$id {'): $file: ${first:-no namespace}"
    status=1
  fi
  if grep -qE '^namespace (liaison::test|liaison::core) \{$' "$file"; then
    echo "reopens a shared namespace (use 'namespace liaison::test::$id {'): $file"
    status=1
  fi
done
if (( status )); then
  echo "test namespaces: FAILED"
  exit 1
fi
echo "test namespaces: every test source has a namespace of its own"
