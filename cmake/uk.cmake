# uk.cmake - the functions applications and uk's own tree build with.

include(${CMAKE_CURRENT_LIST_DIR}/uk_kv_embed.cmake OPTIONAL)

# Bare-metal targets compile the whole tree with their own flags: their
# toolchain file is read here, before any library is declared.  In uk's tree
# it lives in the target's backend directory; in an installed package
# (ukConfig.cmake sets UK__TARGET_DIR) beside the target's export, with
# freestanding.cmake beside this file.
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/freestanding.cmake)
  set(UK__FREESTANDING_CMAKE ${CMAKE_CURRENT_LIST_DIR}/freestanding.cmake)
else()
  set(UK__FREESTANDING_CMAKE ${CMAKE_CURRENT_LIST_DIR}/../lib/libc/freestanding.cmake)
endif()
if(NOT DEFINED UK__TARGET_DIR)
  set(UK__TARGET_DIR "")
  if(UK_TARGET STREQUAL "xen")
    set(UK__TARGET_DIR ${CMAKE_CURRENT_LIST_DIR}/../backends/xen-netfront)
  elseif(UK_TARGET STREQUAL "arm-xen")
    set(UK__TARGET_DIR ${CMAKE_CURRENT_LIST_DIR}/../backends/arm-xen)
  endif()
endif()
if(UK__TARGET_DIR AND EXISTS ${UK__TARGET_DIR}/toolchain.cmake)
  include(${UK__TARGET_DIR}/toolchain.cmake)
endif()

# uk_portable(TARGET): marks a library as portable code: -pedantic, the
# interface headers.  Portable code uses only the freestanding libc subset
# (docs/PORTABILITY.md).
function(uk_portable tgt)
  target_compile_options(${tgt} PRIVATE -pedantic)
  target_link_libraries(${tgt} PUBLIC uk::iface)
endfunction()

# uk_unikernel(NAME SOURCES src... [KV_RO name=dir ...]
#              [MEMORY size] [CONNECTIONS n] [DEVICES n])
#
# Builds the application NAME for the configured UK_TARGET: an executable on
# unix and tap, a bootable image on Xen targets.  Each KV_RO name=dir
# declares a read-only store the application opens with
# uk_default_kv_ro("name"); dir is relative to the calling CMakeLists.txt.
# With UK_KV_EMBED (the default) the directory is compiled into the image;
# without it (unix targets only) the store reads the directory at run time.
#
# The image's capacities are declared here, once, and every layer is sized
# from them through uk_image_capacity() (uk/target.h):
#   MEMORY       the memory the image is built to run in: bytes, or with a
#                K, M or G suffix ("4M").  The Xen targets' NAME.xl gets
#                memory = MEMORY (in MiB, rounded up); unix and tap map a
#                budget of this size unless --memory=SIZE says otherwise.
#   CONNECTIONS  concurrent TCP connections (connection tables, HTTP and
#                DNS connection limits).
#   DEVICES      network devices (of-switch: its ports + 1).
# Omitted ones take the defaults UK_CAPACITY_DEFAULT_* below.
function(uk_unikernel name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG ""
    "MEMORY;CONNECTIONS;DEVICES" "SOURCES;KV_RO")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "uk_unikernel(${name}): SOURCES is required")
  endif()
  set(decls ${CMAKE_CURRENT_BINARY_DIR}/${name}_kv_decls.c)
  uk__kv_ro_sources(${name} "${decls}" extra_sources ${ARG_KV_RO})
  set(capacity ${CMAKE_CURRENT_BINARY_DIR}/${name}_capacity.c)
  uk__capacity_source(${name} "${capacity}" memory_bytes
    "${ARG_MEMORY}" "${ARG_CONNECTIONS}" "${ARG_DEVICES}")
  add_executable(${name} ${ARG_SOURCES} ${decls} ${capacity} ${extra_sources})
  set_target_properties(${name} PROPERTIES UK_MEMORY_BYTES ${memory_bytes})
  target_link_libraries(${name} PRIVATE uk::target)
  if(COMMAND uk__target_image)
    uk__target_image(${name})
  endif()
endfunction()

# The capacities of an image whose uk_unikernel() omits them, and of
# programs linked without uk_unikernel() (tests: lib/core's
# capacity_default.c is compiled with these).
set(UK_CAPACITY_DEFAULT_MEMORY_MIB 32)
set(UK_CAPACITY_DEFAULT_CONNECTIONS 1024)
set(UK_CAPACITY_DEFAULT_DEVICES 1)
set(UK_CAPACITY_DEFAULT_DEFINITIONS
  UK_CAPACITY_DEFAULT_MEMORY_MIB=${UK_CAPACITY_DEFAULT_MEMORY_MIB}
  UK_CAPACITY_DEFAULT_CONNECTIONS=${UK_CAPACITY_DEFAULT_CONNECTIONS}u
  UK_CAPACITY_DEFAULT_DEVICES=${UK_CAPACITY_DEFAULT_DEVICES}u)

# Writes `out`, the C definition of uk_image_capacity() for image NAME, and
# sets `bytes_var` to its memory in bytes.  Bad values stop the build.
function(uk__capacity_source name out bytes_var memory connections devices)
  if(memory STREQUAL "")
    math(EXPR bytes "${UK_CAPACITY_DEFAULT_MEMORY_MIB} * 1048576")
  elseif(memory MATCHES "^([1-9][0-9]*)([KMG]?)$")
    set(mult 1)
    if(CMAKE_MATCH_2 STREQUAL "K")
      set(mult 1024)
    elseif(CMAKE_MATCH_2 STREQUAL "M")
      set(mult 1048576)
    elseif(CMAKE_MATCH_2 STREQUAL "G")
      set(mult 1073741824)
    endif()
    math(EXPR bytes "${CMAKE_MATCH_1} * ${mult}")
  else()
    message(FATAL_ERROR "uk_unikernel(${name}): MEMORY '${memory}' is not a size (N, NK, NM or NG)")
  endif()
  if(bytes LESS 65536)
    message(FATAL_ERROR "uk_unikernel(${name}): MEMORY ${memory} is below 64K")
  endif()
  foreach(v connections devices)
    if(${v} STREQUAL "")
      string(TOUPPER ${v} V)
      set(${v} ${UK_CAPACITY_DEFAULT_${V}})
    elseif(NOT ${v} MATCHES "^[1-9][0-9]*$" OR ${v} GREATER 1000000)
      message(FATAL_ERROR "uk_unikernel(${name}): ${v} '${${v}}' is not a number in 1..1000000")
    endif()
  endforeach()
  set(text "/* Generated by uk_unikernel(${name}): do not edit. */
#include <uk/target.h>

const struct uk_capacity *uk_image_capacity(void)
{
    static const struct uk_capacity c = {(size_t)${bytes}ull, ${connections}u,
                                         ${devices}u};
    return &c;
}
")
  file(CONFIGURE OUTPUT "${out}" CONTENT "${text}" @ONLY)
  set(${bytes_var} ${bytes} PARENT_SCOPE)
endfunction()

# Writes the C table of the KV_RO stores declared for an image (see
# lib/core/include/uk/kv_decl.h) into `out`, and appends to `extra_var` any
# sources the stores need (the embedded data).
function(uk__kv_ro_sources name out extra_var)
  set(body "")
  set(externs "")
  set(extra "")
  foreach(spec IN LISTS ARGN)
    if(NOT spec MATCHES "^([A-Za-z_][A-Za-z0-9_]*)=(.+)$")
      message(FATAL_ERROR "uk_unikernel(${name}): KV_RO '${spec}' is not name=dir")
    endif()
    set(kv ${CMAKE_MATCH_1})
    get_filename_component(dir "${CMAKE_MATCH_2}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    if(NOT IS_DIRECTORY "${dir}")
      message(FATAL_ERROR "uk_unikernel(${name}): KV_RO ${kv}: '${dir}' is not a directory")
    endif()
    if(UK_KV_EMBED AND COMMAND uk__kv_embed)
      uk__kv_embed(${name} ${kv} "${dir}" src sym)
      list(APPEND extra ${src})
      string(APPEND externs "extern struct uk_kv_ro ${sym};\n")
      string(APPEND body "    {\"${kv}\", \"${dir}\", &${sym}},\n")
    else()
      string(APPEND body "    {\"${kv}\", \"${dir}\", 0},\n")
    endif()
  endforeach()
  set(text "/* Generated by uk_unikernel(${name}): do not edit. */\n#include <uk/kv_decl.h>\n${externs}const struct uk_kv_decl uk__kv_decls[] = {\n${body}    {0, 0, 0}\n};\n")
  file(CONFIGURE OUTPUT "${out}" CONTENT "${text}" @ONLY)
  set(${extra_var} ${extra} PARENT_SCOPE)
endfunction()
