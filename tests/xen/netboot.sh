# netboot.sh - sourced by the boot tests that give the guest a vif on
# dom0's bridge (the guest at 10.0.0.2, dom0 at 10.0.0.1).  Needs $src.

# A dom0 shell line: waits (at most about 40 s) until the guest answers
# ping, so the commands after it talk to a guest that is up.
DOM0_WAIT_UP='i=0; while [ $i -lt 40 ]; do ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 && break; i=$((i+1)); done'

# boot_with_vif IMAGE TIMEOUT DOM0_CMD [GUEST_ARGS...]: boots IMAGE with a
# vif under tools/xen/xen-run.sh, dom0 running DOM0_CMD, and prints the
# whole console.  With BOOT_MEMORY set (MiB), the guest gets that much
# memory instead of its NAME.xl's; the files in the array BOOT_DOM0_FILES
# are copied into dom0 as /guest/files/NAME.  Sets $out to a file holding
# the console.  Exits 77 when Xen/QEMU are not available, 1 unless the
# guest exited 0.  XEN_RUN_NET (default --net) gives the vifs, e.g.
# "--vifs 3".
# When the test then exits with a failure (not 0, not 77), the console and
# the full serial log (Xen, dom0, guest, each line timed) are kept in
# ${UK_XEN_LOGS:-$TMPDIR/uk-xen-logs}/TEST-TIME-PID and the directory is
# named, so a failure seen once can be read afterwards; otherwise they are
# removed on exit, unless UK_XEN_LOGS is set (then every run's are kept).
boot_with_vif() {
  local image=$1 timeout=$2 cmd=$3 rc=0 f files=()
  shift 3
  for f in "${BOOT_DOM0_FILES[@]+"${BOOT_DOM0_FILES[@]}"}"; do files+=(--dom0-file "$f"); done
  rm -rf "${out:-}" "${boot_logs:-}"   # a second boot in the same test
  out=$(mktemp); boot_logs=$(mktemp -d)
  trap 'boot_keep_logs $?' EXIT
  "$src/tools/xen/xen-run.sh" "$image" ${XEN_RUN_NET:---net} --timeout "$timeout" \
    ${BOOT_MEMORY:+--memory "$BOOT_MEMORY"} --log "$boot_logs" \
    "${files[@]+"${files[@]}"}" --dom0-cmd "$cmd" -- "$@" > "$out" 2>&1 || rc=$?
  cat "$out"
  if [ $rc = 77 ]; then echo "SKIP: Xen/QEMU not available (see above)"; exit 77; fi
  if [ $rc != 0 ]; then echo "FAIL: xen-run exit status $rc, expected 0"; exit 1; fi
}

# boot_keep_logs STATUS: the EXIT trap boot_with_vif sets (above).
boot_keep_logs() {
  local keep
  if { [ "$1" != 0 ] && [ "$1" != 77 ]; } || [ -n "${UK_XEN_LOGS:-}" ]; then
    keep=${UK_XEN_LOGS:-${TMPDIR:-/tmp}/uk-xen-logs}/$(basename "$0" .sh)-$(date +%Y%m%d-%H%M%S)-$$
    if mkdir -p "$keep" && cp "$out" "$keep/console"; then
      cp "$boot_logs/serial.log" "$keep/" 2>/dev/null || true
      echo "logs kept in $keep: $(cd "$keep" && echo *)"
    else
      echo "could not keep the logs in $keep"
    fi
  fi
  rm -rf "$out" "$boot_logs"
}
