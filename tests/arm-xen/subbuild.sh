#!/bin/bash
# subbuild.sh SRC BUILD ARCH TARGET...: configures BUILD as a
# UK_TARGET=arm-xen build (UK_ARM=ARCH) of the source tree SRC and builds
# the TARGETs there.  Exit 77 (skip) when the cross compiler is missing;
# prints the build log's tail on failure.
set -euo pipefail
src=$1 build=$2 arch=$3
shift 3
case $arch in
  arm64) cc=aarch64-linux-gnu-gcc pkg=gcc-aarch64-linux-gnu;;
  armv7) cc=arm-linux-gnueabihf-gcc pkg=gcc-arm-linux-gnueabihf;;
  *) echo "FAIL: unknown arch $arch"; exit 1;;
esac
if ! command -v $cc >/dev/null; then
  echo "SKIP: $cc not found (Debian package $pkg; tools/setup-deps.sh installs it)"
  exit 77
fi
mkdir -p "$build"
# One configure/build at a time per directory (tests may share it).
exec 8>"$build.lock"
flock 8
cmake -S "$src" -B "$build" -DUK_TARGET=arm-xen -DUK_ARM=$arch \
  -DUK_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$build.log" 2>&1 ||
  { tail -40 "$build.log"; echo "FAIL: configuring the arm-xen $arch build"; exit 1; }
cmake --build "$build" --target "$@" -j2 >> "$build.log" 2>&1 ||
  { tail -40 "$build.log"; echo "FAIL: building $* for arm-xen $arch"; exit 1; }
