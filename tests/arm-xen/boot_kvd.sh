#!/bin/bash
# boot_kvd.sh SRC BUILDROOT [ARCH]: the kvd example's data outlive its
# arm-xen guest.  Builds examples/kvd for ARCH (arm64, the default) and
# boots it twice under tools/arm-xen/arm-xen-run.sh --net --disk on one
# fresh 16 MiB disk file (an arm64 Linux dom0's blkback serves it as xvda,
# the guest's block device "data").  First boot: dom0 writes with nc (each
# OK is a durable commit), then `xl destroy`s the guest.  Second boot, a
# new Xen, dom0 and guest on the same file: the store opens at commit 4
# and dom0 reads the data and its history back (tests/kvd/session.sh).
# Exit 77 (skip) when QEMU/Xen or the dom0 packages cannot be had.
set -euo pipefail
src=$1 root=$2 arch=${3:-arm64}
here=$(dirname "$0")
. "$src/tests/kvd/session.sh"
set +e
"$here/subbuild.sh" "$src" "$root/$arch" "$arch" kvd
rc=$?
set -e
[ $rc = 0 ] || exit $rc
image=$root/$arch/examples/kvd/kvd
out=$(mktemp); disk=$(mktemp)
trap 'rm -f "$out" "$disk"' EXIT
truncate -s 16M "$disk"
run() { # run WANT_STATUS LINES END_CMD
  local rc=0
  "$src/tools/arm-xen/arm-xen-run.sh" "$image" --net --disk "$disk" \
    --timeout 180 --dom0-cmd "$(kvd_dom0_cmd "$2" "$3")" \
    -- --ipv4=10.0.0.2/24 > "$out" 2>&1 || rc=$?
  cat "$out"
  if [ $rc = 77 ]; then echo "SKIP: QEMU/Xen or the arm64 dom0 packages not available"; exit 77; fi
  if [ $rc != "$1" ]; then echo "FAIL: arm-xen-run exit status $rc, expected $1"; exit 1; fi
}

# A destroyed guest stops without an exit line: arm-xen-run says 70.
run 70 "$KVD_WRITE" "xl destroy guest"
kvd_check_written "$out" || exit 1

# dom0 shuts the guest down itself when its command returns.
run 0 "$KVD_READ" "true"
kvd_check_read "$out" || exit 1
echo "PASS: a destroyed $arch guest's commits are read back by a new guest on its disk"
