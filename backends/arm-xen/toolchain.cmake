# toolchain.cmake - how the arm-xen target compiles the whole tree
# (included by cmake/uk.cmake when UK_TARGET is arm-xen, before any library
# is declared).  The compiler itself was chosen by cross.cmake.
#
# Freestanding: no libc headers but uk's subset (lib/libc/include) and the
# compiler's own; no PIC (images are linked at the guest RAM base, where
# Xen loads them); no stack protector; no unwind tables.  FP/SIMD stay
# allowed: the entry code enables them.  Before the MMU is on only
# assembly runs, so no -mstrict-align is needed (Normal memory).
include(${UK__FREESTANDING_CMAKE})
uk_guest_target(arm-xen)

set(UK_ARM_XEN_COMPILE_OPTIONS
  ${UK_FREESTANDING_OPTIONS}
  -fno-pic -fno-pie -fno-stack-protector
  -fno-asynchronous-unwind-tables -fno-unwind-tables)
if(UK_ARM STREQUAL "arm64")
  list(APPEND UK_ARM_XEN_COMPILE_OPTIONS -march=armv8-a -mbranch-protection=none)
else()
  list(APPEND UK_ARM_XEN_COMPILE_OPTIONS -marm -mcpu=cortex-a7
    -mfpu=neon-vfpv4 -mfloat-abi=hard)
endif()
add_compile_options(${UK_ARM_XEN_COMPILE_OPTIONS})

# Where images are linked and loaded (link.ld explains the two values);
# uk_target_arm_xen's link options and image.cmake's check use it.
if(UK_ARM STREQUAL "arm64")
  set(UK_ARM_LINK_BASE 0x40000000)
else()
  set(UK_ARM_LINK_BASE 0x40008000)
endif()

# uk-embed runs at build time, so it must be a host program: build it with
# the host compiler at configure time (re-configured when its sources
# change); cmake/uk_kv_embed.cmake uses UK_EMBED_PROGRAM when
# cross-compiling.  The tree's own uk-embed target is left out of `all`.
# An installed package has its host uk-embed already (ukConfig.cmake).
set(uk__embed_srcs ${CMAKE_CURRENT_LIST_DIR}/../../tools/embed/uk-embed.c
  ${CMAKE_CURRENT_LIST_DIR}/../../lib/kv/digest.c)
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/../../tools/embed/uk-embed.c)
  find_program(UK_HOST_CC NAMES cc gcc clang REQUIRED)
  set(uk__embed ${CMAKE_BINARY_DIR}/host/uk-embed)
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/host)
  set_property(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} APPEND PROPERTY
    CMAKE_CONFIGURE_DEPENDS ${uk__embed_srcs})
  execute_process(COMMAND ${UK_HOST_CC} -std=c99 -O2 -Wall
      -I${CMAKE_CURRENT_LIST_DIR}/../../include
      -I${CMAKE_CURRENT_LIST_DIR}/../../lib/kv/include
      ${uk__embed_srcs} -o ${uk__embed}
    RESULT_VARIABLE uk__embed_rc ERROR_VARIABLE uk__embed_err)
  if(NOT uk__embed_rc EQUAL 0)
    message(FATAL_ERROR "arm-xen: building the host uk-embed failed:\n${uk__embed_err}")
  endif()
  set(UK_EMBED_PROGRAM ${uk__embed} CACHE FILEPATH "host uk-embed (arm-xen)" FORCE)
  function(uk__arm_xen_host_tools)
    if(TARGET uk-embed)
      set_target_properties(uk-embed PROPERTIES EXCLUDE_FROM_ALL ON)
    endif()
  endfunction()
  cmake_language(DEFER CALL uk__arm_xen_host_tools)
endif()
