# toolchain.cmake - how the xen target compiles the whole tree (included by
# cmake/uk.cmake when UK_TARGET is xen, before any library is declared).
#
# The host gcc in freestanding mode: no libc headers but uk's own subset
# (lib/libc/include) and the compiler's freestanding headers; no PIC (the
# image is linked at 1 MiB, so the small code model works); no red zone
# (the event-channel upcall and exceptions arrive on the current stack);
# no stack protector (nothing to provide its guard).  SSE stays allowed:
# boot.S enables it.  Host programs (uk-embed) get their normal flags back
# at the end of configuration.
include(${UK__FREESTANDING_CMAKE})
uk_guest_target(xen)

set(UK_XEN_COMPILE_OPTIONS
  ${UK_FREESTANDING_OPTIONS}
  -fno-pic -fno-pie -mno-red-zone -fno-stack-protector
  -fno-asynchronous-unwind-tables -fcf-protection=none)
add_compile_options(${UK_XEN_COMPILE_OPTIONS})

# Host tools built in the same tree: strip the options above again.
function(uk__xen_host_tools)
  foreach(tool uk-embed)
    if(TARGET ${tool})
      get_target_property(opts ${tool} COMPILE_OPTIONS)
      if(opts)
        list(REMOVE_ITEM opts ${UK_XEN_COMPILE_OPTIONS})
        set_target_properties(${tool} PROPERTIES COMPILE_OPTIONS "${opts}")
      endif()
    endif()
  endforeach()
endfunction()
cmake_language(DEFER CALL uk__xen_host_tools)

# Section GC and dead-code elimination (tools/xen/size-report.sh).  The
# project compiles with a section per function and object and links with
# --gc-sections (top-level CMakeLists.txt); -DUK_XEN_GC_SECTIONS=OFF
# removes the three for a plain build, the report's "standard" column.
# -DUK_XEN_DCE=ON adds -Os (link.ld KEEPs the entry and the Xen note).
# LTO on top is CMake's own switch: -DCMAKE_INTERPROCEDURAL_OPTIMIZATION=ON.
option(UK_XEN_GC_SECTIONS "xen images: -ffunction-sections/-fdata-sections and --gc-sections (the project default)" ON)
if(NOT UK_XEN_GC_SECTIONS)
  get_directory_property(uk__xen_opts COMPILE_OPTIONS)
  list(REMOVE_ITEM uk__xen_opts -ffunction-sections -fdata-sections)
  set_directory_properties(PROPERTIES COMPILE_OPTIONS "${uk__xen_opts}")
  get_directory_property(uk__xen_opts LINK_OPTIONS)
  list(REMOVE_ITEM uk__xen_opts -Wl,--gc-sections)
  set_directory_properties(PROPERTIES LINK_OPTIONS "${uk__xen_opts}")
endif()
option(UK_XEN_DCE "xen images: optimise for size (-Os)" OFF)
if(UK_XEN_DCE)
  list(APPEND UK_XEN_COMPILE_OPTIONS -Os)
  add_compile_options(-Os)
endif()
