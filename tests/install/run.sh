#!/usr/bin/env bash
# run.sh BUILD_DIR SOURCE_DIR [--boot] TARGET...
#
# Installs the uk build BUILD_DIR into a temporary prefix (which builds the
# package's other targets: cmake/uk_install.cmake), checks that the package
# has every target and no path into the source or build tree, then builds
# the outside project consumer/ (copied out of the tree) against it for
# each TARGET and checks what it produced:
#   unix, tap  the program runs and prints its line (tap needs no device:
#              the consumer uses no network)
#   xen        an ELF image and its NAME.xl (memory = 4, the consumer's
#              declared MEMORY); with --boot it is booted under Xen-in-QEMU
#              (tools/xen/xen-run.sh) in that memory and must print its
#              line and exit 0 (exit 77, skip, when Xen/QEMU cannot be had)
#   arm-xen    NAME.img and its NAME.xl (memory = 4), configured with the
#              package's cross.cmake
# Also: -DUK_TARGET=bogus and arm-xen without the toolchain file are
# configure errors naming the way out.
set -euo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd); shift 2
boot=0
if [ "${1:-}" = --boot ]; then boot=1; shift; fi
targets=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
prefix=$tmp/prefix

if ! cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" 2>&1; then
  tail -40 "$tmp/install.log"; fail "cmake --install $build"
fi
for t in unix tap xen arm-xen; do
  [ -f "$prefix/lib/cmake/uk/$t/ukTargets.cmake" ] ||
    fail "the package has no $t target (UK_INSTALL_TARGETS=$(sed -n 's/^UK_INSTALL_TARGETS:STRING=//p' "$build/CMakeCache.txt"))"
done
if grep -rlI -e "$src/" -e "$build" "$prefix"; then
  fail "the files above in the package name the source or build tree"
fi
echo "PASS: the package has unix, tap, xen and arm-xen, with no path into the tree"

cp -r "$src/tests/install/consumer" "$tmp/consumer"
configure() { # DIR ARGS...: configure the consumer into DIR
  local dir=$1; shift
  cmake -S "$tmp/consumer" -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" "$@"
}
xl_memory_is_4() { # NAME.xl: memory = the consumer's declared MEMORY 4M
  grep -qx "memory = 4" "$1" ||
    { cat "$1" 2>/dev/null; fail "$1: memory is not the declared MEMORY (4 MiB)"; }
}
says() { tr -s ' \n' '  ' < "$1" | grep -qF "$2"; } # CMake wraps messages
if configure "$tmp/bogus" -DUK_TARGET=bogus > "$tmp/bogus.log" 2>&1; then
  fail "-DUK_TARGET=bogus configured"
fi
says "$tmp/bogus.log" "valid targets are: unix tap xen arm-xen" ||
  { cat "$tmp/bogus.log"; fail "-DUK_TARGET=bogus: no error listing the targets"; }
if configure "$tmp/nocross" -DUK_TARGET=arm-xen > "$tmp/nocross.log" 2>&1; then
  fail "arm-xen configured without the cross toolchain"
fi
says "$tmp/nocross.log" "CMAKE_TOOLCHAIN_FILE=$prefix/lib/cmake/uk/arm-xen/cross.cmake" ||
  { cat "$tmp/nocross.log"; fail "arm-xen without a toolchain: no error naming cross.cmake"; }
echo "PASS: a bad UK_TARGET and arm-xen without its toolchain are configure errors naming the fix"

for t in "${targets[@]}"; do
  b=$tmp/build-$t
  args=(-DUK_TARGET="$t")
  if [ "$t" = arm-xen ]; then
    args+=(-DCMAKE_TOOLCHAIN_FILE="$prefix/lib/cmake/uk/arm-xen/cross.cmake")
  fi
  if ! { configure "$b" "${args[@]}" && cmake --build "$b"; } > "$tmp/$t.log" 2>&1; then
    tail -40 "$tmp/$t.log"; fail "building the consumer for $t"
  fi
  if grep -rlI -e "$src/" -e "$build" "$b"; then
    fail "$t: the consumer's build names the source or build tree (files above)"
  fi
  want="consumer on $t: ok (hello from the store)"
  case $t in
    unix|tap)
      out=$(timeout 20 "$b/consumer") || fail "$t: the consumer exited $?"
      [ "$out" = "$want" ] || fail "$t: printed '$out', expected '$want'";;
    xen)
      [ -f "$b/consumer" ] && [ -f "$b/consumer.xl" ] || fail "xen: no image or consumer.xl"
      xl_memory_is_4 "$b/consumer.xl"
      if [ $boot = 1 ]; then
        set +e
        "$src/tools/xen/xen-run.sh" "$b/consumer" --timeout 60 > "$tmp/boot.out"
        rc=$?
        set -e
        cat "$tmp/boot.out"
        if [ $rc = 77 ]; then echo "SKIP: Xen/QEMU not available (see above)"; exit 77; fi
        [ $rc = 0 ] || fail "xen: xen-run exit status $rc, expected 0"
        grep -qxF "$want" <(tr -d '\r' < "$tmp/boot.out") || fail "xen: no line '$want'"
        echo "PASS: the xen consumer built from the package booted under Xen"
      fi;;
    arm-xen)
      [ -s "$b/consumer.img" ] || fail "arm-xen: no consumer.img"
      xl_memory_is_4 "$b/consumer.xl";;
    *) fail "unknown target $t";;
  esac
  echo "PASS: $t consumer built from the package"
done
