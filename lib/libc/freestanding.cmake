# uk_freestanding_check(NAME SOURCES src... [INCLUDES dir...])
#
# An object library (not built by default) compiling the sources with
# -ffreestanding -nostdinc against only the libc subset portable code may
# use: lib/libc/include plus the compiler's own freestanding headers
# (stddef.h, stdint.h, stdbool.h, stdarg.h, limits.h).  Register a test
# that builds it (uk_freestanding_test) so CI fails when portable code
# reaches for anything else.
if(COMMAND uk_freestanding_check)
  return()
endif()
# The subset's headers: lib/libc/include in the tree; an installed package
# (ukConfig.cmake) sets UK__LIBC_INCLUDE to its include/uk-libc first.
if(NOT UK__LIBC_INCLUDE)
  set(UK__LIBC_INCLUDE ${CMAKE_CURRENT_LIST_DIR}/include CACHE INTERNAL "")
endif()
if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-resource-dir
    OUTPUT_VARIABLE uk__cc_res OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(UK__CC_INCLUDE ${uk__cc_res}/include CACHE INTERNAL "")
else()
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
    OUTPUT_VARIABLE uk__cc_inc OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(UK__CC_INCLUDE ${uk__cc_inc} CACHE INTERNAL "")
endif()

# The compile options of freestanding code: no libc headers but the subset
# above and the compiler's own (gcc's <limits.h> would include_next a libc
# one unless told there is none).  The guest targets compile everything
# with them; uk_freestanding_check adds -pedantic.
set(UK_FREESTANDING_OPTIONS -ffreestanding -nostdinc
  "SHELL:-isystem ${UK__LIBC_INCLUDE}" "SHELL:-isystem ${UK__CC_INCLUDE}"
  -D_LIBC_LIMITS_H_ CACHE INTERNAL "")

# uk_guest_target(TARGET): what every guest target's toolchain file starts
# with: sanitizers cannot run in a freestanding image, and the hosted
# cmocka suite is built by a unix build (whose tests/TARGET boots images).
macro(uk_guest_target target)
  if(UK_SANITIZE)
    message(FATAL_ERROR "UK_SANITIZE is not supported for UK_TARGET=${target} (a freestanding image)")
  endif()
  if(UK_BUILD_TESTS)
    message(STATUS "${target}: UK_BUILD_TESTS forced OFF (the cmocka suite is hosted; configure a unix build to run it, tests/${target} boots the images)")
    set(UK_BUILD_TESTS OFF CACHE BOOL "build the cmocka test suite" FORCE)
  endif()
  set(UK_BUILD_TESTS OFF)
endmacro()

function(uk_freestanding_check name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;INCLUDES")
  add_library(${name} OBJECT EXCLUDE_FROM_ALL ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${UK_FREESTANDING_OPTIONS} -pedantic)
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/include
    ${ARG_INCLUDES})
endfunction()

# uk_freestanding_test(TEST TARGET): a test passing iff TARGET compiles.
# Call it where testing is enabled (under tests/).
function(uk_freestanding_test test target)
  add_test(NAME ${test} COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR}
    --target ${target})
  set_tests_properties(${test} PROPERTIES TIMEOUT 300 LABELS freestanding)
endfunction()
