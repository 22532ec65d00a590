# uk_install.cmake - how the tree installs a package that serves every
# target (included by the top CMakeLists.txt; not installed).
#
# Layout under the prefix (LIBDIR is lib or lib64, T a target name):
#   include/uk/            the interface and library headers (all targets)
#   include/uk-libc/       the freestanding libc headers (xen, arm-xen)
#   bin/uk-embed           the host tool compiling KV_RO stores
#   LIBDIR/uk/T/           T's archives (and the freestanding libc objects)
#   LIBDIR/cmake/uk/       ukConfig.cmake (find_package), uk.cmake,
#                          uk_kv_embed.cmake, freestanding.cmake
#   LIBDIR/cmake/uk/T/     T's exported targets (ukTargets.cmake), its
#                          settings (ukTarget.cmake) and, for the guest
#                          targets, toolchain and image files, link.ld
#   LIBDIR/cmake/uk/xen-common/  xl_config.cmake (NAME.xl), shared by
#                          both Xen targets' image.cmake
# The library targets have the same names as in the tree (uk::core,
# uk::http, ..., uk::target); every target's export defines them, and
# ukConfig.cmake includes the one export of the UK_TARGET the consuming
# project chose.
#
# One build directory compiles one target (the guest targets compile the
# whole tree freestanding, arm-xen with a cross compiler), so `cmake
# --install` of a build installs its own target and then configures, builds
# and installs each other target of UK_INSTALL_TARGETS in a sub-build under
# BUILD/install-targets/T (kept, so a second install is incremental; only
# libraries, no examples or tests).
set(UK__INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/uk)
set(UK__INSTALL_ARCHIVEDIR ${CMAKE_INSTALL_LIBDIR}/uk/${UK_TARGET})
set(UK__INSTALL_TARGETDIR ${UK__INSTALL_CMAKEDIR}/${UK_TARGET})

# The default: every target this machine can build (arm-xen needs Debian's
# cross compiler; xen an x86-64 host).  A sanitizer build installs only its
# own target (the guest targets cannot be sanitized).
set(uk__can ${UK_TARGET})
if(NOT UK_SANITIZE)
  foreach(t unix tap xen arm-xen)
    if(t STREQUAL UK_TARGET OR NOT CMAKE_HOST_SYSTEM_NAME STREQUAL "Linux")
      continue()
    endif()
    if(t STREQUAL "xen" AND NOT CMAKE_HOST_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
      continue()
    endif()
    if(t STREQUAL "arm-xen")
      find_program(UK__AARCH64_GCC aarch64-linux-gnu-gcc)
      if(NOT UK__AARCH64_GCC)
        continue()
      endif()
    endif()
    list(APPEND uk__can ${t})
  endforeach()
endif()
set(UK_INSTALL_TARGETS "${uk__can}" CACHE STRING
  "targets `cmake --install` puts in the package (default: all this machine can build)")
foreach(t IN LISTS UK_INSTALL_TARGETS)
  if(NOT t IN_LIST UK_TARGETS)
    message(FATAL_ERROR "UK_INSTALL_TARGETS: '${t}' is not a target; valid targets are: ${UK_TARGETS}")
  endif()
endforeach()

# uk__install_archives(TARGET...): installs library targets into this
# target's export, archives under LIBDIR/uk/UK_TARGET.
function(uk__install_archives)
  install(TARGETS ${ARGN} EXPORT ukTargets
    ARCHIVE DESTINATION ${UK__INSTALL_ARCHIVEDIR}
    OBJECTS DESTINATION ${UK__INSTALL_ARCHIVEDIR}/objects
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()

# uk__install_target_files(FILE...): files a consumer of this target needs
# at configure or link time (toolchain, image scripts, linker script).
function(uk__install_target_files)
  install(FILES ${ARGN} DESTINATION ${UK__INSTALL_TARGETDIR})
endfunction()

# uk__install_package(): the export, the package files and the other
# targets' sub-builds.  Called once, after every library is declared.
function(uk__install_package)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/uk
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/lib/libc/include/
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/uk-libc)
  uk__install_archives(uk_iface)
  install(EXPORT ukTargets NAMESPACE uk:: DESTINATION ${UK__INSTALL_TARGETDIR})
  # This target's settings, read by ukConfig.cmake before its export.
  set(settings "# Settings of the ${UK_TARGET} build of uk (written by cmake/uk_install.cmake).\n")
  string(APPEND settings "set(UK_KV_EMBED ${UK_KV_EMBED})\n")
  if(UK_TARGET STREQUAL "arm-xen")
    string(APPEND settings "set(UK__INSTALLED_ARM ${UK_ARM})\n")
  endif()
  file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/ukTarget.cmake CONTENT "${settings}" @ONLY)
  uk__install_target_files(${PROJECT_BINARY_DIR}/ukTarget.cmake)

  include(CMakePackageConfigHelpers)
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ukConfig.cmake.in
    ${PROJECT_BINARY_DIR}/ukConfig.cmake
    INSTALL_DESTINATION ${UK__INSTALL_CMAKEDIR}
    PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR)
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/ukConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/ukConfig.cmake
    ${PROJECT_BINARY_DIR}/ukConfigVersion.cmake
    ${PROJECT_SOURCE_DIR}/cmake/uk.cmake
    ${PROJECT_SOURCE_DIR}/cmake/uk_kv_embed.cmake
    ${PROJECT_SOURCE_DIR}/lib/libc/freestanding.cmake
    DESTINATION ${UK__INSTALL_CMAKEDIR})

  # The other targets, built and installed at install time.
  foreach(t IN LISTS UK_INSTALL_TARGETS)
    if(t STREQUAL UK_TARGET)
      continue()
    endif()
    set(sub ${PROJECT_BINARY_DIR}/install-targets/${t})
    set(cfg -S ${PROJECT_SOURCE_DIR} -B ${sub} -DUK_TARGET=${t}
      -DUK_INSTALL_TARGETS=${t} -DUK_BUILD_TESTS=OFF -DUK_BUILD_EXAMPLES=OFF
      -DUK_KV_EMBED=${UK_KV_EMBED} -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
      -DCMAKE_INSTALL_LIBDIR=${CMAKE_INSTALL_LIBDIR}
      -DCMAKE_INSTALL_INCLUDEDIR=${CMAKE_INSTALL_INCLUDEDIR}
      -DCMAKE_INSTALL_BINDIR=${CMAKE_INSTALL_BINDIR})
    if(t STREQUAL "arm-xen" AND DEFINED UK_ARM)
      list(APPEND cfg -DUK_ARM=${UK_ARM})
    endif()
    install(CODE "
      message(STATUS \"uk: building the ${t} target for the install in ${sub}\")
      execute_process(COMMAND \"${CMAKE_COMMAND}\" ${cfg} OUTPUT_QUIET
        COMMAND_ERROR_IS_FATAL ANY)
      execute_process(COMMAND \"${CMAKE_COMMAND}\" --build \"${sub}\" OUTPUT_QUIET
        COMMAND_ERROR_IS_FATAL ANY)
      execute_process(COMMAND \"${CMAKE_COMMAND}\" --install \"${sub}\"
        --prefix \"\${CMAKE_INSTALL_PREFIX}\" OUTPUT_QUIET COMMAND_ERROR_IS_FATAL ANY)
      ")
  endforeach()
endfunction()
