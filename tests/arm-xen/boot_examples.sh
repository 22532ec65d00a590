#!/bin/bash
# boot_examples.sh SRC BUILDROOT ARCH: builds every example for arm-xen
# ARCH and boots each network example dom0less (no xenstore, so no vif):
# each must end at once with a one-line reason and a non-zero status, not
# hang.
set -euo pipefail
src=$1 root=$2 arch=$3
here=$(dirname "$0")
examples="echo www api dns of-controller of-switch"
set +e
"$here/subbuild.sh" "$src" "$root/$arch" "$arch" hello $examples
rc=$?
set -e
[ $rc = 0 ] || exit $rc
out=$(mktemp "${TMPDIR:-/tmp}/uk-arm-xen-examples.XXXXXX"); trap 'rm -f "$out"' EXIT
for e in $examples; do
  image=$root/$arch/examples/$e/$e
  set +e
  "$src/tools/arm-xen/arm-xen-run.sh" "$image" --timeout 60 -- --ipv4=10.0.0.2/24 > "$out"
  rc=$?
  set -e
  cat "$out"
  if [ $rc = 77 ]; then echo "SKIP: QEMU/Xen for ARM not available"; exit 77; fi
  case $rc in
    0|70|71|124|125) echo "FAIL: $e: exit status $rc, expected a clean failure"; exit 1;;
  esac
  n=$(grep -v -e '^uk: ' "$out" | grep -c . || true)
  [ "$n" -ge 1 ] || { echo "FAIL: $e said nothing about why it stopped"; exit 1; }
  echo "PASS: $e without a network: exit status $rc, with a reason"
done
