# xl_config.cmake - run after linking a Xen image (cmake -P), for xen and
# arm-xen: writes OUT, the xl(1) configuration of IMAGE, with
# memory = the image's declared MEMORY (uk_unikernel(... MEMORY size), in
# MiB rounded up).  When MEMORY cannot even hold the image's loaded
# sections (from BASE, the RAM address it is linked at) plus 1 MiB, the
# build warns and gives the image's extent plus HEADROOM_MB instead, so a
# configuration that cannot boot is never written.
#   -DIMAGE=path -DNAME=name -DOUT=path -DSIZE=size-tool -DMEMORY_BYTES=n
#   -DHEADROOM_MB=n -DBASE=addr [-DTYPE=pvh] [-DKERNEL=path]
execute_process(COMMAND ${SIZE} -A ${IMAGE} OUTPUT_VARIABLE table
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "xl_config: cannot read the sections of ${IMAGE}")
endif()
set(end 0)
string(REPLACE "\n" ";" lines "${table}")
foreach(line IN LISTS lines)
  if(line MATCHES "^[.][A-Za-z0-9_.]+[ \t]+([0-9]+)[ \t]+([0-9]+)")
    math(EXPR e "${CMAKE_MATCH_1} + ${CMAKE_MATCH_2}")
    if(e GREATER end)
      set(end ${e})
    endif()
  endif()
endforeach()
math(EXPR extent "${end} - ${BASE}")
math(EXPR need_mb "(${extent} + 1048575) / 1048576 + 1")
math(EXPR mb "(${MEMORY_BYTES} + 1048575) / 1048576")
set(why "the declared MEMORY (${MEMORY_BYTES} bytes)")
if(mb LESS need_mb)
  math(EXPR mb "(${extent} + 1048575) / 1048576 + ${HEADROOM_MB}")
  message(WARNING "${NAME}: MEMORY ${MEMORY_BYTES} bytes cannot hold the "
    "image (${extent} bytes loaded): ${NAME}.xl gets memory = ${mb}")
  set(why "the image's ${extent} bytes plus ${HEADROOM_MB} MiB: its declared MEMORY (${MEMORY_BYTES} bytes) cannot hold it")
endif()
if(NOT KERNEL)
  set(KERNEL ${IMAGE})
endif()
set(type_line "")
set(tsc "")
if(TYPE)
  set(type_line "type = \"${TYPE}\"\n")
endif()
if(TYPE STREQUAL "pvh")
  set(tsc "# tsc_mode native: TSC reads are never intercepted (under QEMU TCG, Xen
# cannot decode intercepted RDTSCP).
tsc_mode = \"native\"
")
endif()
file(WRITE ${OUT}.tmp
"# xl configuration for the uk image ${NAME} (written when it was linked)
# memory: ${why}.
# Run-time options go in `extra`, the kernel command line:
# extra = \"--ipv4=10.0.0.2/24 --gateway=10.0.0.1\"
name = \"${NAME}\"
${type_line}kernel = \"${KERNEL}\"
memory = ${mb}
vcpus = 1
${tsc}extra = \"\"
on_poweroff = \"destroy\"
on_reboot = \"destroy\"
on_crash = \"destroy\"
")
file(RENAME ${OUT}.tmp ${OUT})
