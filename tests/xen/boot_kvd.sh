#!/bin/bash
# boot_kvd.sh SRC BUILD [CC]: the kvd example's data outlive its Xen
# guest.  Builds examples/kvd for the xen target and boots it twice under
# tools/xen/xen-run.sh on one fresh 16 MiB disk file (--disk: dom0's
# blkback serves it as xvda, the guest's block device "data") with a vif
# (--ipv4=10.0.0.2/24).  First boot: dom0 writes with nc (each OK is a
# durable commit), then `xl destroy`s the guest (no shutdown, no flush of
# its own).  Second boot, a new Xen, dom0 and guest on the same file: the
# store opens at commit 4 and dom0 reads the data and its history back
# (tests/kvd/session.sh), then `xl shutdown` ends the guest with exit 0.
# Exit 77 (skip) without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$src/tests/kvd/session.sh"
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" kvd
image=$build/examples/kvd/kvd
out=$(mktemp); disk=$(mktemp)
trap 'rm -f "$out" "$disk"' EXIT
truncate -s 16M "$disk"
run() { # run WANT_STATUS LINES END_CMD
  local rc=0
  "$src/tools/xen/xen-run.sh" "$image" --net --disk "$disk" --timeout 180 \
    --dom0-cmd "$(kvd_dom0_cmd "$2" "$3")" -- --ipv4=10.0.0.2/24 > "$out" 2>&1 || rc=$?
  cat "$out"
  if [ $rc = 77 ]; then echo "SKIP: Xen/QEMU not available (see above)"; exit 77; fi
  if [ $rc != "$1" ]; then echo "FAIL: xen-run exit status $rc, expected $1"; exit 1; fi
}

# A destroyed guest stops without an exit line: xen-run says 70.
run 70 "$KVD_WRITE" "xl destroy guest"
kvd_check_written "$out" || exit 1

run 0 "$KVD_READ" "xl shutdown guest"
kvd_check_read "$out" || exit 1
echo "PASS: a destroyed Xen guest's commits are read back by a new guest on its disk"
