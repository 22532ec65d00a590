# check_image.cmake - cmake -P script run after linking an arm-xen image:
# ELF -> IMG (raw binary), then checks IMG's size is _file_end - _start
# (the zImage header's end field; Xen rejects a zImage whose end lies
# beyond the module) and that the image is linked at BASE.
execute_process(COMMAND ${OBJCOPY} -O binary ${ELF} ${IMG}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "objcopy -O binary ${ELF} failed")
endif()
execute_process(COMMAND ${NM} ${ELF} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT syms MATCHES "([0-9a-f]+) [A-Za-z] _file_end\n")
  message(FATAL_ERROR "${ELF}: no _file_end symbol")
endif()
set(end_hex ${CMAKE_MATCH_1})
if(NOT syms MATCHES "([0-9a-f]+) [A-Za-z] _start\n")
  message(FATAL_ERROR "${ELF}: no _start symbol")
endif()
set(start_hex ${CMAKE_MATCH_1})
math(EXPR want "0x${end_hex} - 0x${start_hex}")
math(EXPR start "0x${start_hex}")
file(SIZE ${IMG} got)
math(EXPR base "${BASE}")
if(NOT start EQUAL base)
  message(FATAL_ERROR "${ELF}: _start is 0x${start_hex}, not ${BASE} (link.ld)")
endif()
if(NOT got EQUAL want)
  file(REMOVE ${IMG})
  message(FATAL_ERROR "${IMG}: ${got} bytes, but the header says ${want} (_file_end - _start)")
endif()
