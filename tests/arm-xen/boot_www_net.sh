#!/bin/bash
# boot_www_net.sh SRC BUILDROOT [ARCH]: builds examples/www for arm-xen
# ARCH (arm64, the default, or armv7) and boots it under arm64 Xen with a
# Linux arm64 dom0 (arm-xen-run.sh --net: xl, xenstore, netback, bridge
# ukbr0 = 10.0.0.1/24, and Debian's arm64 curl).  dom0 pings the guest
# (10.0.0.2, over netfront) and, with curl: GET / must be 200 with exactly
# index.html's bytes (sha256), a missing page must be 404, and HEAD / must
# be 200 with index.html's Content-Length (and, sent raw with nc, no body
# bytes).  Then dom0's `xl shutdown` must end the guest with exit status 0
# (control/shutdown over xenstore).  Exit 77 (skip) when the packages
# cannot be had.
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
url=http://10.0.0.2:8080
# dom0's commands (its busybox sh); the first fetch is retried while the
# guest's stack comes up.
cmd="ping -c 2 -W 3 10.0.0.2
curl --version | head -1
for i in \$(seq 30); do
  code=\$(curl -s -m 10 -o /tmp/body -w '%{http_code}' $url/) && break
  sleep 1
done
echo \"get: \$code \$(wc -c < /tmp/body) \$(sha256sum < /tmp/body | cut -d' ' -f1)\"
echo \"missing: \$(curl -s -m 10 -o /dev/null -w '%{http_code}' $url/no-such-page)\"
echo \"head: \$(curl -s -m 10 -I -o /tmp/head -w '%{http_code}' $url/)\"
tr -d '\r' < /tmp/head | sed -n 's/^[Cc]ontent-[Ll]ength: */head: length /p'
printf 'HEAD / HTTP/1.0\r\nHost: 10.0.0.2\r\n\r\n' | nc -w 10 10.0.0.2 8080 > /tmp/raw
echo \"head raw: \$(head -1 /tmp/raw | tr -d '\r'), body bytes \$(sed '1,/^\r*\$/d' /tmp/raw | wc -c)\""
set +e
"$src/tools/arm-xen/arm-xen-run.sh" "$image" --net --timeout 120 --dom0-cmd "$cmd" \
  -- --ipv4=10.0.0.2/24 > "$out" 2> "$err"
rc=$?
set -e
cat "$out" "$err"
if [ $rc = 77 ]; then echo "SKIP: QEMU/Xen or the arm64 dom0 packages not available"; exit 77; fi
page=$src/examples/www/htdocs/index.html
want=$(sha256sum < "$page" | cut -d' ' -f1)
len=$(stat -c %s "$page")
grep -q '^www: serving' "$out" || { echo "FAIL: www did not start"; exit 1; }
grep -q '^dom0: 2 packets transmitted, 2 packets received' "$err" ||
  { echo "FAIL: dom0's pings over netfront were not all answered"; exit 1; }
grep -q '^dom0: curl [0-9]' "$err" || { echo "FAIL: curl does not run in dom0"; exit 1; }
grep -q "^dom0: get: 200 $len $want\$" "$err" ||
  { echo "FAIL: GET / was not 200 with index.html byte for byte ($len bytes, sha256 $want)"; exit 1; }
grep -q '^dom0: missing: 404$' "$err" || { echo "FAIL: a missing page did not get 404"; exit 1; }
grep -q '^dom0: head: 200$' "$err" || { echo "FAIL: HEAD / was not 200"; exit 1; }
grep -q "^dom0: head: length $len\$" "$err" ||
  { echo "FAIL: HEAD / did not give index.html's Content-Length $len"; exit 1; }
grep -q '^dom0: head raw: HTTP/1.[01] 200 .*, body bytes 0$' "$err" ||
  { echo "FAIL: HEAD / sent a body"; exit 1; }
[ $rc = 0 ] || { echo "FAIL: exit status $rc after xl shutdown, expected 0"; exit 1; }
echo "PASS: www ($arch guest) on arm64 Xen answered curl over netfront (GET byte-exact, 404, HEAD); xl shutdown gave exit 0"
