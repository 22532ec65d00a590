# image.cmake - uk__target_image(NAME), called by uk_unikernel() for each
# image: after linking, check_image.cmake writes NAME.img (objcopy -O
# binary: the arm64 Image or armv7 zImage Xen boots) beside the ELF and
# checks that the header's idea of the file's end matches the file; then
# xl_config.cmake writes NAME.xl (an xl(1) configuration booting NAME.img,
# memory = its declared MEMORY).
set(UK_XEN_HEADROOM_MB 16 CACHE STRING "memory beyond the image when its MEMORY cannot hold it, MiB (NAME.xl)")
find_program(UK_ARM_OBJCOPY NAMES ${UK_ARM_TRIPLE}-objcopy objcopy REQUIRED)
find_program(UK_ARM_SIZE NAMES ${UK_ARM_TRIPLE}-size size REQUIRED)
find_program(UK_ARM_NM NAMES ${UK_ARM_TRIPLE}-nm nm REQUIRED)
# This directory (the backend's in the tree, the target's in a package).
set(UK__ARM_IMAGE_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "")
# xl_config.cmake: beside this file in a package, xen-common's in the tree.
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/xl_config.cmake)
  set(UK__XL_CONFIG ${CMAKE_CURRENT_LIST_DIR}/xl_config.cmake CACHE INTERNAL "")
else()
  set(UK__XL_CONFIG ${CMAKE_CURRENT_LIST_DIR}/../xen-common/xl_config.cmake
    CACHE INTERNAL "")
endif()

function(uk__target_image name)
  set_target_properties(${name} PROPERTIES LINK_DEPENDS
    ${UK__ARM_IMAGE_DIR}/link.ld)
  if(TARGET uk_libc) # uk's tree: its objects are on the link line
    add_dependencies(${name} uk_libc)
  endif()
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DELF=$<TARGET_FILE:${name}>
      -DIMG=$<TARGET_FILE_DIR:${name}>/${name}.img
      -DOBJCOPY=${UK_ARM_OBJCOPY} -DNM=${UK_ARM_NM} -DBASE=${UK_ARM_LINK_BASE}
      -P ${UK__ARM_IMAGE_DIR}/check_image.cmake
    COMMAND ${CMAKE_COMMAND} -DIMAGE=$<TARGET_FILE:${name}> -DNAME=${name}
      -DKERNEL=$<TARGET_FILE_DIR:${name}>/${name}.img
      -DOUT=$<TARGET_FILE_DIR:${name}>/${name}.xl -DSIZE=${UK_ARM_SIZE}
      -DMEMORY_BYTES=$<TARGET_PROPERTY:${name},UK_MEMORY_BYTES>
      -DHEADROOM_MB=${UK_XEN_HEADROOM_MB} -DBASE=${UK_ARM_LINK_BASE}
      -P ${UK__XL_CONFIG}
    VERBATIM)
endfunction()
