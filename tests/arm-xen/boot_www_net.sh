#!/bin/bash
# boot_www_net.sh SRC BUILDROOT [ARCH]: builds examples/www for arm-xen
# ARCH (arm64, the default, or armv7) and boots it under arm64 Xen with a Linux arm64 dom0 (arm-xen-run.sh --net:
# xl, xenstore, netback, bridge ukbr0 = 10.0.0.1/24).  dom0 pings the
# guest (10.0.0.2, over netfront) and fetches / over HTTP with busybox nc
# (Debian's static busybox wget crashes in dom0); the page must be
# index.html, whole.  Then dom0's `xl shutdown` must end the guest with
# exit status 0 (control/shutdown over xenstore).  Exit 77 (skip) when the
# packages cannot be had.
set -euo pipefail
src=$1 root=$2 arch=${3:-arm64}
here=$(dirname "$0")
set +e
"$here/subbuild.sh" "$src" "$root/$arch" "$arch" www
rc=$?
set -e
[ $rc = 0 ] || exit $rc
image=$root/$arch/examples/www/www
out=$(mktemp "${TMPDIR:-/tmp}/uk-arm-xen-www.XXXXXX")
err=$(mktemp "${TMPDIR:-/tmp}/uk-arm-xen-www.XXXXXX")
trap 'rm -f "$out" "$err"' EXIT
cmd='ping -c 2 -W 3 10.0.0.2
for i in $(seq 30); do
  printf "GET / HTTP/1.0\r\nHost: 10.0.0.2\r\n\r\n" | nc -w 10 10.0.0.2 8080 > /tmp/r
  [ -s /tmp/r ] && break
  sleep 1
done
sed -n "1p; /^Content-Length/p" /tmp/r
sed "1,/^\r*$/d" /tmp/r > /tmp/body
echo "body bytes: $(wc -c < /tmp/body)"
echo "body md5: $(md5sum < /tmp/body | cut -d" " -f1)"'
set +e
"$src/tools/arm-xen/arm-xen-run.sh" "$image" --net --timeout 120 --dom0-cmd "$cmd" \
  -- --ipv4=10.0.0.2/24 > "$out" 2> "$err"
rc=$?
set -e
cat "$out" "$err"
if [ $rc = 77 ]; then echo "SKIP: QEMU/Xen or the arm64 dom0 packages not available"; exit 77; fi
grep -q '^www: serving' "$out" || { echo "FAIL: www did not start"; exit 1; }
grep -q '^dom0: 2 packets transmitted, 2 packets received' "$err" ||
  { echo "FAIL: dom0's pings over netfront were not all answered"; exit 1; }
grep -q '^dom0: HTTP/1.1 200 OK' "$err" || { echo "FAIL: no HTTP 200 from www"; exit 1; }
want=$(md5sum < "$src/examples/www/htdocs/index.html" | cut -d' ' -f1)
grep -q "^dom0: body md5: $want" "$err" || { echo "FAIL: the page is not index.html"; exit 1; }
[ $rc = 0 ] || { echo "FAIL: exit status $rc after xl shutdown, expected 0"; exit 1; }
echo "PASS: www ($arch guest) on arm64 Xen answered HTTP over netfront; xl shutdown gave exit 0"
