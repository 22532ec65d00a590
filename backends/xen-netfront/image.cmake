# image.cmake - uk__target_image(NAME), called by uk_unikernel() for each
# image: after linking, xl_config.cmake writes NAME.xl (an xl(1) domain
# configuration booting the image as a PVH guest, memory = its declared
# MEMORY) beside it.
set(UK_XEN_HEADROOM_MB 16 CACHE STRING "memory beyond the image when its MEMORY cannot hold it, MiB (NAME.xl)")
find_program(UK_SIZE NAMES size REQUIRED)

function(uk__target_image name)
  set_target_properties(${name} PROPERTIES LINK_DEPENDS
    ${PROJECT_SOURCE_DIR}/backends/xen-netfront/link.ld)
  add_dependencies(${name} uk_libc) # its objects are on the link line
  # NAME.map: where every byte comes from (tools/xen/size-report.sh).
  target_link_options(${name} PRIVATE "-Wl,-Map=$<TARGET_FILE:${name}>.map")
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DIMAGE=$<TARGET_FILE:${name}> -DNAME=${name}
      -DOUT=$<TARGET_FILE_DIR:${name}>/${name}.xl -DSIZE=${UK_SIZE}
      -DMEMORY_BYTES=$<TARGET_PROPERTY:${name},UK_MEMORY_BYTES>
      -DHEADROOM_MB=${UK_XEN_HEADROOM_MB} -DBASE=0 -DTYPE=pvh
      -P ${PROJECT_SOURCE_DIR}/backends/xen-common/xl_config.cmake
    VERBATIM)
endfunction()
