# image.cmake - uk__target_image(NAME), called by uk_unikernel() for each
# image: after linking, xl_config.cmake writes NAME.xl (an xl(1) domain
# configuration booting the image as a PVH guest, memory = its declared
# MEMORY) beside it.
set(UK_XEN_HEADROOM_MB 16 CACHE STRING "memory beyond the image when its MEMORY cannot hold it, MiB (NAME.xl)")
find_program(UK_SIZE NAMES size REQUIRED)
# This directory (the backend's in the tree, the target's in a package).
set(UK__XEN_IMAGE_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "")
# xl_config.cmake: beside this file in a package, xen-common's in the tree.
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/xl_config.cmake)
  set(UK__XL_CONFIG ${CMAKE_CURRENT_LIST_DIR}/xl_config.cmake CACHE INTERNAL "")
else()
  set(UK__XL_CONFIG ${CMAKE_CURRENT_LIST_DIR}/../xen-common/xl_config.cmake
    CACHE INTERNAL "")
endif()

function(uk__target_image name)
  set_target_properties(${name} PROPERTIES LINK_DEPENDS
    ${UK__XEN_IMAGE_DIR}/link.ld)
  if(TARGET uk_libc) # uk's tree: its objects are on the link line
    add_dependencies(${name} uk_libc)
  endif()
  # NAME.map: where every byte comes from (tools/xen/size-report.sh).
  target_link_options(${name} PRIVATE "-Wl,-Map=$<TARGET_FILE:${name}>.map")
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DIMAGE=$<TARGET_FILE:${name}> -DNAME=${name}
      -DOUT=$<TARGET_FILE_DIR:${name}>/${name}.xl -DSIZE=${UK_SIZE}
      -DMEMORY_BYTES=$<TARGET_PROPERTY:${name},UK_MEMORY_BYTES>
      -DHEADROOM_MB=${UK_XEN_HEADROOM_MB} -DBASE=0 -DTYPE=pvh
      -P ${UK__XL_CONFIG}
    VERBATIM)
endfunction()
