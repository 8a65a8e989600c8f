# Each module's headers are seen only by the targets allowed to depend on it
# (docs/ARCHITECTURE.md: core <- sync <- server, web). Includes name the module
# (`#include "sync/hub.hpp"`), so putting the source root on a target's include path would
# expose every module to it: instead each module gets a folder in the build tree holding one
# link, named like the module, to the module's sources, and a target adds only the folders
# of the modules it may use. A header-only include against the direction then fails to
# compile; tests/arch/include_direction.sh says the same for files no target compiles.

# liaison_module_include_dir(MODULE OUT_VAR): the folder whose only entry is MODULE -> sources.
function(liaison_module_include_dir module out_var)
  set(dir "${CMAKE_BINARY_DIR}/module-includes/${module}")
  if(NOT EXISTS "${dir}/${module}")
    file(MAKE_DIRECTORY "${dir}")
    file(CREATE_LINK "${CMAKE_SOURCE_DIR}/${module}" "${dir}/${module}" SYMBOLIC)
  endif()
  set(${out_var} "${dir}" PARENT_SCOPE)
endfunction()

# liaison_module_includes(TARGET SCOPE MODULE...): TARGET sees the headers of MODULE...
function(liaison_module_includes target scope)
  foreach(module IN LISTS ARGN)
    liaison_module_include_dir(${module} dir)
    target_include_directories(${target} ${scope} "${dir}")
  endforeach()
endfunction()

# The libraries' sources are compiled several at a time, as one unity source each (CMake's
# UNITY_BUILD), as the tests' are: what they share (the standard library's templates, cereal,
# the project's headers) is parsed and instantiated once per batch instead of once per file
# (docs/BUILDING.md, "Build time"). Two sources of one library compiled together share their
# file-local names: tests/arch/file_local_names.py checks that no two define the same one.
set(LIAISON_UNITY_BATCH 8 CACHE STRING
  "Library sources compiled together as one unity source (1: each alone, as when debugging)")
function(liaison_unity target)
  set_target_properties(${target} PROPERTIES
    UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${LIAISON_UNITY_BATCH})
endfunction()
