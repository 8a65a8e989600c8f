#!/usr/bin/env bash
# tests/arch/file_local_names.sh ROOT: fails, naming the name and its files, when two sources of
# one library (ROOT/core, ROOT/sync, ROOT/server without main.cpp and demo/) define the same
# file-local name: a function, type or variable in an anonymous namespace, or `static` at
# namespace scope. The libraries are unity builds (cmake/modules.cmake: several sources
# compiled as one), where such names meet: the same name twice fails to compile once two
# files share a batch, and a function of one file could quietly win a call in another. Give the
# helper a name of its own, or move the shared one into a header (docs/BUILDING.md, "Build
# time"). Aliases (`using X = …`, `namespace x = …`) may repeat: an identical one is allowed,
# a different one fails to compile.
#
# The scan reads the project's clang-format layout: an anonymous namespace opens with a line
# `namespace {` and closes with `}  // namespace`; what it defines starts at column 0.
set -euo pipefail
root="${1:?usage: file_local_names.sh ROOT}"
cd "$root"

# <name> <file> for each file-local definition of the sources given.
names() {
  awk '
    FNR == 1 { anon = 0; raw = "" }
    raw != "" { if (index($0, raw) > 0) raw = ""; next }
    {
      # A raw string literal left open on this line (SQL, JSON): skip to its end.
      if (match($0, /R"[A-Za-z_]*\(/)) {
        delim = ")" substr($0, RSTART + 2, RLENGTH - 3) "\""
        if (index(substr($0, RSTART + RLENGTH), delim) == 0) raw = delim
      }
    }
    /^namespace \{$/ { anon = 1; next }
    /^\}  \/\/ namespace$/ { anon = 0; next }
    /^[A-Za-z_]/ {
      line = $0
      if (!anon && line !~ /^static /) next
      if (line ~ /^(using|namespace|template|typedef|extern) /) next
      sub(/^(static |inline |constexpr |const )+/, "", line)
      if (match(line, /^(struct|class|union|enum( class)?) [A-Za-z_][A-Za-z0-9_]*/)) {
        n = substr(line, RSTART, RLENGTH); sub(/.* /, "", n)
        print n, FILENAME; next
      }
      if (match(line, /[A-Za-z_][A-Za-z0-9_]*[ ]*[(=[{;]/)) {
        n = substr(line, RSTART, RLENGTH); sub(/[ ]*[(=[{;]$/, "", n)
        print n, FILENAME
      }
    }' "$@" | sort -u
}

status=0
for lib in core sync server; do
  [[ -d "$lib" ]] || continue
  mapfile -t files < <(find "$lib" -name '*.cpp' ! -path 'server/main.cpp' ! -path 'server/demo/*' | sort)
  (( ${#files[@]} )) || continue
  while read -r name list; do
    echo "file-local name defined in two sources of $lib: $name: $list"
    status=1
  done < <(names "${files[@]}" | awk '{ files[$1] = files[$1] " " $2; count[$1]++ }
                                      END { for (n in count) if (count[n] > 1) print n files[n] }' | sort)
done
if (( status )); then
  echo "file-local names: FAILED"
  exit 1
fi
echo "file-local names: no two sources of a library define the same one"
