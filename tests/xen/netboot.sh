# netboot.sh - sourced by the boot tests that give the guest a vif on
# dom0's bridge (the guest at 10.0.0.2, dom0 at 10.0.0.1).  Needs $src.

# A dom0 shell line: waits (at most about 40 s) until the guest answers
# ping, so the commands after it talk to a guest that is up.
DOM0_WAIT_UP='i=0; while [ $i -lt 40 ]; do ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 && break; i=$((i+1)); done'

# boot_with_vif IMAGE TIMEOUT DOM0_CMD [GUEST_ARGS...]: boots IMAGE with a
# vif under tools/xen/xen-run.sh, dom0 running DOM0_CMD, and prints the
# whole console.  With BOOT_MEMORY set (MiB), the guest gets that much
# memory instead of its NAME.xl's.  Sets $out to a file holding it (removed on exit).  Exits
# 77 when Xen/QEMU are not available, 1 unless the guest exited 0.
# XEN_RUN_NET (default --net) gives the vifs, e.g. "--vifs 3".
boot_with_vif() {
  local image=$1 timeout=$2 cmd=$3 rc=0
  shift 3
  out=$(mktemp)
  trap 'rm -f "$out"' EXIT
  "$src/tools/xen/xen-run.sh" "$image" ${XEN_RUN_NET:---net} --timeout "$timeout" \
    ${BOOT_MEMORY:+--memory "$BOOT_MEMORY"} \
    --dom0-cmd "$cmd" -- "$@" > "$out" 2>&1 || rc=$?
  cat "$out"
  if [ $rc = 77 ]; then echo "SKIP: Xen/QEMU not available (see above)"; exit 77; fi
  if [ $rc != 0 ]; then echo "FAIL: xen-run exit status $rc, expected 0"; exit 1; fi
}
