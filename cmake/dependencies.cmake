# Third-party dependencies, as Debian ships them (scripts/deps installs them) plus the SQLite
# amalgamation (scripts/deps fetches it from a pinned npm package and checks its SHA-256).

# --- SQLite: one amalgamation for both hosts, so native and WebAssembly run the same engine
# (state hashes must agree byte for byte, docs/DESIGN.md §4 invariant 6) and FTS5 contentless-delete
# (SQLite >= 3.43, not in Debian 12's 3.40) is available everywhere.
if(NOT EXISTS "${LIAISON_SQLITE_DIR}/sqlite3.c")
  message(FATAL_ERROR "SQLite amalgamation not found in ${LIAISON_SQLITE_DIR}; run ./scripts/deps")
endif()
add_library(liaison_sqlite STATIC "${LIAISON_SQLITE_DIR}/sqlite3.c")
target_include_directories(liaison_sqlite SYSTEM PUBLIC "${LIAISON_SQLITE_DIR}")
target_compile_definitions(liaison_sqlite PUBLIC
  SQLITE_ENABLE_FTS5
  SQLITE_DQS=0
  SQLITE_DEFAULT_MEMSTATUS=0
  SQLITE_LIKE_DOESNT_MATCH_BLOBS
  SQLITE_OMIT_DEPRECATED
  SQLITE_OMIT_SHARED_CACHE
  SQLITE_OMIT_LOAD_EXTENSION
  SQLITE_SECURE_DELETE          # erased data leaves no trace in freed pages (docs/DESIGN.md §4)
  # Plans never depend on bound values. Without it, a statement whose LIMIT is a parameter
  # (every sync pull) is re-prepared each time the parameter is bound: perf showed
  # sqlite3Reprepare under Store::changes_since on the server's hot path.
  SQLITE_ENABLE_QPSG
  SQLITE_DEFAULT_FOREIGN_KEYS=0)
target_compile_options(liaison_sqlite PRIVATE -w -O2)
if(LIAISON_FUZZ)
  # The fuzz targets fuzz our decoders and handlers, not SQLite: in the fuzz tree it is built
  # without the coverage and AddressSanitizer flags every other source gets (the top-level
  # CMakeLists.txt), and at -O1 — 21 s to compile instead of 73 s (docs/BUILDING.md, "Build
  # time"). AddressSanitizer still checks our side of every call into it.
  set_property(TARGET liaison_sqlite PROPERTY COMPILE_OPTIONS -w -O1)
endif()
if(EMSCRIPTEN)
  # No threads in the browser; WAL needs shared memory, which the browser lacks: keep the
  # rollback journal (docs/BUILDING.md, pitfall 7).
  target_compile_definitions(liaison_sqlite PUBLIC SQLITE_THREADSAFE=0 SQLITE_OMIT_WAL
    SQLITE_DISABLE_LFS SQLITE_OMIT_PROGRESS_CALLBACK SQLITE_USE_ALLOCA)
else()
  find_package(Threads REQUIRED)
  target_compile_definitions(liaison_sqlite PUBLIC SQLITE_THREADSAFE=1)
  target_link_libraries(liaison_sqlite PUBLIC Threads::Threads ${CMAKE_DL_LIBS} m)
endif()

# --- Header-only libraries. em++ must not see /usr/include (glibc headers break it,
# docs/BUILDING.md, pitfall 1), so for WebAssembly we expose only the folders we need through a
# private folder of symbolic links.
if(EMSCRIPTEN)
  set(LIAISON_WASM_INCLUDE "${CMAKE_BINARY_DIR}/wasm-include")
  file(MAKE_DIRECTORY "${LIAISON_WASM_INCLUDE}")
  foreach(dir cereal rapidjson catch2)
    if(NOT EXISTS "${LIAISON_WASM_INCLUDE}/${dir}")
      file(CREATE_LINK "/usr/include/${dir}" "${LIAISON_WASM_INCLUDE}/${dir}" SYMBOLIC)
    endif()
  endforeach()
  add_library(liaison_cereal INTERFACE)
  target_include_directories(liaison_cereal SYSTEM INTERFACE "${LIAISON_WASM_INCLUDE}")
  add_library(liaison_catch2 INTERFACE)
  target_include_directories(liaison_catch2 SYSTEM INTERFACE "${LIAISON_WASM_INCLUDE}")
else()
  find_package(cereal CONFIG REQUIRED)
  add_library(liaison_cereal INTERFACE)
  target_link_libraries(liaison_cereal INTERFACE cereal::cereal)
  if(LIAISON_BUILD_TESTS)
    find_package(Catch2 2 REQUIRED)
    add_library(liaison_catch2 INTERFACE)
    target_link_libraries(liaison_catch2 INTERFACE Catch2::Catch2)
  endif()
endif()
