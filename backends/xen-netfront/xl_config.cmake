# xl_config.cmake - run after linking an image (cmake -P): writes
# OUT, the xl(1) configuration of IMAGE, with `memory` sized to the image:
# the end of its loaded sections plus HEADROOM_MB for the start-up page
# allocator (rings, grant frames, network buffers), at least MIN_MB.
#   -DIMAGE=path -DNAME=name -DOUT=path -DMIN_MB=n -DHEADROOM_MB=n -DSIZE=size
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
math(EXPR mb "(${end} + 1048575) / 1048576 + ${HEADROOM_MB}")
if(mb LESS MIN_MB)
  set(mb ${MIN_MB})
endif()
file(WRITE ${OUT}.tmp
"# xl configuration for the uk image ${NAME} (written when it was linked)
# memory: the image's ${end} bytes plus ${HEADROOM_MB} MiB for start-up pages.
# tsc_mode native: TSC reads are never intercepted (under QEMU TCG, Xen
# cannot decode intercepted RDTSCP).  Run-time options go in `extra`, the
# kernel command line: extra = \"--ipv4=10.0.0.2/24 --gateway=10.0.0.1\"
name = \"${NAME}\"
type = \"pvh\"
kernel = \"${IMAGE}\"
memory = ${mb}
vcpus = 1
tsc_mode = \"native\"
extra = \"\"
on_poweroff = \"destroy\"
on_reboot = \"destroy\"
on_crash = \"destroy\"
")
file(RENAME ${OUT}.tmp ${OUT})
