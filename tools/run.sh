#!/usr/bin/env bash
# Builds one example for a target and runs it:
#   tools/run.sh [--target=unix|tap|xen|arm-xen] EXAMPLE [options...]
#   tools/run.sh www                 # http://localhost:8080, site embedded
#   tools/run.sh echo --port=7007
#   tools/run.sh www --help          # the example's options
# With no example, or one that is not in examples/, it lists the examples.
# On xen and arm-xen the image boots under Xen-in-QEMU (tools/xen/xen-run.sh,
# tools/arm-xen/arm-xen-run.sh); the options become its command line.
set -euo pipefail
cd "$(dirname "$0")/.."
usage() {
  echo "usage: tools/run.sh [--target=unix|tap|xen|arm-xen] EXAMPLE [options...]"
  echo "examples: $(cd examples && for d in */; do
    [ -f "$d/CMakeLists.txt" ] && printf '%s ' "${d%/}"; done | sed 's/ $//')"
  exit 2
}
target=unix
if [[ "${1:-}" == --target=* ]]; then target=${1#--target=}; shift; fi
case $target in
  unix|tap|xen|arm-xen) ;;
  *) echo "tools/run.sh: '$target' is not a target" >&2; usage >&2;;
esac
[ $# -gt 0 ] || usage >&2
example=$1; shift
if [[ "$example" == */* ]] || [ ! -f "examples/$example/CMakeLists.txt" ]; then
  echo "tools/run.sh: '$example' is not an example" >&2; usage >&2
fi
dir=build/run-$target
cmake -S . -B "$dir" -DUK_TARGET="$target" -DUK_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$dir" -j"$(nproc 2>/dev/null || echo 2)" --target "$example" >/dev/null
case $target in
  xen) exec tools/xen/xen-run.sh "$dir/examples/$example/$example" -- "$@";;
  arm-xen) exec tools/arm-xen/arm-xen-run.sh "$dir/examples/$example/$example.img" -- "$@";;
esac
exec "$dir/examples/$example/$example" "$@"
