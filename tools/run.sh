#!/usr/bin/env bash
# Builds one example for a target and runs it:
#   tools/run.sh [--target=unix|tap|xen|arm-xen] EXAMPLE [options...]
#   tools/run.sh www                 # http://localhost:8080, site embedded
#   tools/run.sh echo --port=7007
set -euo pipefail
cd "$(dirname "$0")/.."
target=unix
if [[ "${1:-}" == --target=* ]]; then target=${1#--target=}; shift; fi
example=${1:?usage: tools/run.sh [--target=T] EXAMPLE [options...]}; shift
dir=build/run-$target
cmake -S . -B "$dir" -DUK_TARGET="$target" -DUK_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$dir" -j"$(nproc 2>/dev/null || echo 2)" --target "$example" >/dev/null
exec "$dir/examples/$example/$example" "$@"
