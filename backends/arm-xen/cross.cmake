# cross.cmake - the CMake toolchain file of the arm-xen target: selects
# Debian's cross compiler for UK_ARM (arm64: aarch64-linux-gnu-gcc, armv7:
# arm-linux-gnueabihf-gcc).  The top CMakeLists.txt uses it as
# CMAKE_TOOLCHAIN_FILE when UK_TARGET is arm-xen; the compiler is then used
# in freestanding mode only (toolchain.cmake), never against a libc.
# UK_ARM is fixed per build directory (a new arch needs a new directory).
set(UK_ARM arm64 CACHE STRING "arm-xen architecture: arm64 or armv7")
set_property(CACHE UK_ARM PROPERTY STRINGS arm64 armv7)
if(UK_ARM STREQUAL "arm64")
  set(CMAKE_SYSTEM_PROCESSOR aarch64)
  set(uk__arm_triple aarch64-linux-gnu)
  set(uk__arm_pkg gcc-aarch64-linux-gnu)
elseif(UK_ARM STREQUAL "armv7")
  set(CMAKE_SYSTEM_PROCESSOR arm)
  set(uk__arm_triple arm-linux-gnueabihf)
  set(uk__arm_pkg gcc-arm-linux-gnueabihf)
else()
  message(FATAL_ERROR "UK_ARM='${UK_ARM}' is not an arm-xen architecture; use arm64 or armv7")
endif()
set(CMAKE_SYSTEM_NAME Generic)
if(NOT CMAKE_C_COMPILER)
  find_program(uk__arm_cc ${uk__arm_triple}-gcc)
  if(NOT uk__arm_cc)
    message(FATAL_ERROR "arm-xen (${UK_ARM}): ${uk__arm_triple}-gcc not found; install the Debian package ${uk__arm_pkg} (tools/setup-deps.sh)")
  endif()
  set(CMAKE_C_COMPILER ${uk__arm_cc})
endif()
set(CMAKE_ASM_COMPILER ${CMAKE_C_COMPILER})
set(UK_ARM_TRIPLE ${uk__arm_triple})
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES UK_ARM)
# Freestanding: CMake's compiler checks must not try to link a program.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
