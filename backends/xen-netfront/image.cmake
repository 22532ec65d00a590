# image.cmake - uk__target_image(NAME), called by uk_unikernel() for each
# image: after linking, xl_config.cmake writes NAME.xl (an xl(1) domain
# configuration booting the image as a PVH guest, memory sized to the
# image) beside it.
set(UK_XEN_MIN_MEMORY_MB 32 CACHE STRING "least memory of a xen guest in MiB (NAME.xl)")
set(UK_XEN_HEADROOM_MB 16 CACHE STRING "memory beyond the image for start-up pages, MiB (NAME.xl)")
find_program(UK_SIZE NAMES size REQUIRED)
# This directory (the backend's in the tree, the target's in a package).
set(UK__XEN_IMAGE_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "")

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
      -DMIN_MB=${UK_XEN_MIN_MEMORY_MB} -DHEADROOM_MB=${UK_XEN_HEADROOM_MB}
      -P ${UK__XEN_IMAGE_DIR}/xl_config.cmake
    VERBATIM)
endfunction()
