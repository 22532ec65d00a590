#!/bin/bash
# subbuild.sh SRC BUILD CC TARGET [CMAKE_ARG...]: configures BUILD as a
# UK_TARGET=xen build of the source tree SRC (compiler CC) and builds
# TARGET there.  Extra arguments go to cmake's configure step (they stay in
# BUILD's cache).  Used by the boot tests; prints the build log's tail on
# failure.
set -euo pipefail
src=$1 build=$2 cc=$3 target=$4
shift 4
cmake -S "$src" -B "$build" -DUK_TARGET=xen -DCMAKE_C_COMPILER="$cc" \
  -DUK_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" > "$build.log" 2>&1 ||
  { tail -40 "$build.log"; echo "FAIL: configuring the xen build"; exit 1; }
cmake --build "$build" --target "$target" -j2 >> "$build.log" 2>&1 ||
  { tail -40 "$build.log"; echo "FAIL: building $target for xen"; exit 1; }
