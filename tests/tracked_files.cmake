# A test run must leave every tracked file as it found it (tests write under the build tree or a
# temporary folder). Two CTest tests share this script, as the setup and the cleanup of the
# fixture liaison_tracked_files that every other test requires, so CTest runs the check last:
#   MODE=snapshot  records the tracked files' changes before the run (a developer's own edits
#                  are no failure) in STATE;
#   MODE=check     fails, listing the files, if a tracked file changed since the snapshot.
# Not a git checkout (a source tarball): nothing to check. The snapshot never fails: a failing
# setup would skip every test.
# Usage: cmake -DMODE=snapshot|check -DSOURCE=<source dir> -DSTATE=<file> -P tracked_files.cmake
function(tracked_state out_status out_hash)
  execute_process(COMMAND git -C "${SOURCE}" status --porcelain --untracked-files=no
                  OUTPUT_VARIABLE status RESULT_VARIABLE rc_status ERROR_QUIET)
  execute_process(COMMAND git -C "${SOURCE}" diff HEAD --binary --no-ext-diff --no-color
                  OUTPUT_VARIABLE diff RESULT_VARIABLE rc_diff ERROR_QUIET)
  if(NOT rc_status EQUAL 0 OR NOT rc_diff EQUAL 0)
    set(${out_status} "no-git" PARENT_SCOPE)
    set(${out_hash} "" PARENT_SCOPE)
    return()
  endif()
  string(SHA256 hash "${diff}")
  set(${out_status} "${status}" PARENT_SCOPE)
  set(${out_hash} "${hash}" PARENT_SCOPE)
endfunction()

tracked_state(status hash)
if(MODE STREQUAL "snapshot")
  file(WRITE "${STATE}" "${hash}\n${status}")
  if(status STREQUAL "no-git")
    message("not a git checkout: tracked files are not checked")
  elseif(status STREQUAL "")
    message("no tracked file is modified before the run")
  else()
    message("tracked files modified before the run (not the tests' doing):\n${status}")
  endif()
  return()
endif()

if(status STREQUAL "no-git")
  message("not a git checkout: tracked files are not checked")
  return()
endif()
if(NOT EXISTS "${STATE}")
  message(FATAL_ERROR "no snapshot at ${STATE}: run with the fixture (ctest runs it first)")
endif()
file(READ "${STATE}" before)
string(FIND "${before}" "\n" nl)
string(SUBSTRING "${before}" 0 ${nl} before_hash)
math(EXPR start "${nl} + 1")
string(SUBSTRING "${before}" ${start} -1 before_status)
if(before_hash STREQUAL hash AND before_status STREQUAL status)
  message("the test run left every tracked file as it was")
  return()
endif()
# The files whose status line is new, or all modified ones if only their content moved on.
string(REPLACE "\n" ";" now_lines "${status}")
string(REPLACE "\n" ";" before_lines "${before_status}")
set(changed ${now_lines})
if(before_lines)
  list(REMOVE_ITEM changed ${before_lines})
endif()
if(NOT changed)
  set(changed ${now_lines})
endif()
list(JOIN changed "\n  " listing)
message(FATAL_ERROR "the test run modified tracked files (tests must write under the build "
                    "tree or a temporary folder):\n  ${listing}")
