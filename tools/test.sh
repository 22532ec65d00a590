#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need, then
# builds and runs every test twice, once normally and once under
# AddressSanitizer + UndefinedBehaviorSanitizer (leak checking included),
# for the unix target; then the tap target's interop tests against the
# Linux kernel (label "tap"), again both ways.  Tests that boot guest images
# under Xen in QEMU (label "boot") run in the normal suite only: the guests
# are freestanding builds the sanitizers do not instrument.
#   tools/test.sh [ctest arguments...]      e.g. tools/test.sh -R http
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
total_pass=0 total_fail=0
run_suite() { # name, ctest label filter ("" for all, "-boot": all but boot), cmake args...
  local name=$1 label=$2; shift 2
  local filter=()
  case $label in
    '') ;;
    -*) filter=(-LE "${label#-}");;
    *) filter=(-L "$label");;
  esac
  local dir=build/test-$name
  echo "== $name build =="
  cmake -S . -B "$dir" -DUK_BUILD_TESTS=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs" >/dev/null
  echo "== $name tests =="
  local log=$dir/ctest.log rc=0
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" "${filter[@]}" "${CTEST_ARGS[@]}" 2>&1 | tee "$log" || rc=1
  local pass fail
  pass=$(sed -nE 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2 \1/p' "$log" | awk '{print $1-$2}')
  fail=$(sed -nE 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/p' "$log")
  total_pass=$((total_pass + ${pass:-0}))
  total_fail=$((total_fail + ${fail:-1}))
  return $rc
}

CTEST_ARGS=("$@")
status=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
sanitize=(-DCMAKE_BUILD_TYPE=Debug -DUK_SANITIZE=address,undefined)
run_suite normal "" -DCMAKE_BUILD_TYPE=RelWithDebInfo || status=1
run_suite sanitize -boot "${sanitize[@]}" || status=1
run_suite tap tap -DUK_TARGET=tap -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUK_KV_BIG_TEST=OFF || status=1
run_suite tap-sanitize tap -DUK_TARGET=tap "${sanitize[@]}" -DUK_KV_BIG_TEST=OFF || status=1
echo
echo "suite: $total_pass passed, $total_fail failed"
exit $status
