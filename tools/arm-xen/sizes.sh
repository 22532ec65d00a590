#!/bin/bash
# sizes.sh [BUILD_ARM64] [BUILD_ARMV7]: one size line per example and
# architecture for arm-xen images: text, data and bss of the stripped ELF
# (binutils size, Berkeley format), the bootable file (NAME.img, what Xen
# loads; .bss is not in it) and the extent in RAM (NAME.img + .bss +
# boot stack and page tables).  Builds the examples first when a build
# directory lacks them.  Defaults: build-arm64 and build-armv7 under the
# source tree.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
b64=${1:-$src/build-arm64} b32=${2:-$src/build-armv7}
examples="hello echo www dns of-controller of-switch"
printf '%-8s %-15s %9s %7s %10s %10s %10s\n' arch example text data bss file extent
for spec in "arm64:$b64:aarch64-linux-gnu" "armv7:$b32:arm-linux-gnueabihf"; do
  IFS=: read -r arch build triple <<<"$spec"
  command -v $triple-size >/dev/null || { echo "$arch: no $triple-size (binutils of gcc-$triple)" >&2; continue; }
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$src" -B "$build" -DUK_TARGET=arm-xen -DUK_ARM=$arch >/dev/null
  fi
  cmake --build "$build" -j2 --target $examples >/dev/null
  tmp=$(mktemp)
  for e in $examples; do
    elf=$build/examples/$e/$e
    $triple-strip -o "$tmp" "$elf"
    read -r text data bss _ < <($triple-size -B "$tmp" | tail -1)
    file=$(stat -c %s "$elf.img")
    end=$($triple-nm "$elf" | awk '$3=="_end"{print $1}')
    start=$($triple-nm "$elf" | awk '$3=="_start"{print $1}')
    printf '%-8s %-15s %9d %7d %10d %10d %10d\n' $arch $e $text $data $bss $file $((0x$end - 0x$start))
  done
  rm -f "$tmp"
done
