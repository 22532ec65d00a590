#!/bin/bash
# boot_www.sh SRC BUILD [CC]: builds examples/www for the xen target with a
# test site (examples/www/htdocs plus big.bin, 16 MiB of random bytes;
# -DUK_WWW_SITE in the sub-build) and boots it with a vif and
# --ipv4=10.0.0.2/24.  dom0 fetches / and /index.html, a missing page and
# big.bin with curl over netfront; the sha256 of what dom0 received must
# equal the host's files (byte-exact), the missing page must be a 404, and
# `xl shutdown` must stop the image with exit 0.  big.bin also goes into
# dom0 (xen-run.sh --dom0-file) so that, when the bytes differ, dom0's cmp
# says where: a failure names the received length, curl's status and the
# first differing byte, or says the sha line itself never reached the host
# (console capture, not the data path); the logs are then kept
# (netboot.sh).  curl gives up only on a stalled transfer (under 1 KB/s
# for a minute), not after a fixed time, so a slow machine is not a fail.
# Exit 77 (skip) without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$(dirname "$0")/netboot.sh"
site=$build-www-site
# The site: the example's pages, refreshed (mtimes kept, so an unchanged
# tree does not re-embed), and a random 16 MiB file made once.
mkdir -p "$site"
cp -pR "$src/examples/www/htdocs/." "$site/"
if [ "$(stat -c %s "$site/big.bin" 2>/dev/null || echo 0)" != 16777216 ]; then
  head -c 16777216 /dev/urandom > "$site/big.bin.tmp" && mv "$site/big.bin.tmp" "$site/big.bin"
fi
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" www -DUK_WWW_SITE="$site"
image=$build/examples/www/www
want_big=$(sha256sum < "$site/big.bin" | cut -d' ' -f1)
want_index=$(sha256sum < "$site/index.html" | cut -d' ' -f1)
url=http://10.0.0.2:8080
get="curl -s -S --connect-timeout 60 --speed-limit 1024 --speed-time 60"
cmd="$DOM0_WAIT_UP
echo \"root: \$($get $url/ | sha256sum | cut -d' ' -f1)\"
echo \"index: \$($get -o /dev/null -w '%{http_code} %{size_download}' $url/index.html) \$($get $url/index.html | sha256sum | cut -d' ' -f1)\"
echo \"missing: \$($get -o /dev/null -w '%{http_code}' $url/no-such-page)\"
t0=\$(cut -d' ' -f1 /proc/uptime)
: > /tmp/big.bin; rc=0
code=\$($get -f -o /tmp/big.bin -w '%{http_code}' $url/big.bin) || rc=\$?
t1=\$(cut -d' ' -f1 /proc/uptime)
echo \"big: \$(sha256sum < /tmp/big.bin | cut -d' ' -f1)\"
echo \"big: curl exit \$rc, http \$code, \$(wc -c < /tmp/big.bin) bytes in \$t1 - \$t0 s\"
echo \"big: cmp: \$(cmp /guest/files/big.bin /tmp/big.bin 2>&1 && echo identical)\"
xl shutdown guest"
BOOT_DOM0_FILES=("$site/big.bin")
boot_with_vif "$image" 420 "$cmd" --ipv4=10.0.0.2/24
grep -q "^dom0: root: $want_index\$" "$out" || { echo "FAIL: / is not index.html byte for byte"; exit 1; }
grep -q "^dom0: index: 200 $(stat -c %s "$site/index.html") $want_index\$" "$out" ||
  { echo "FAIL: /index.html: not 200 with the site's bytes"; exit 1; }
grep -q '^dom0: missing: 404$' "$out" || { echo "FAIL: a missing page did not get 404"; exit 1; }
if ! grep -q "^dom0: big: $want_big\$" "$out"; then
  if ! grep -q '^dom0: big: [0-9a-f]\{64\}$' "$out"; then
    echo "FAIL: big.bin: dom0's sha line did not reach the host (console capture, see the serial log)"
  else
    c=$(sed -n 's/^dom0: big: cmp: //p' "$out")
    case $c in
      *" differ: char "*) n=${c##* char }; where="first differing byte at offset $((${n%%,*} - 1))";;
      *"EOF on /tmp/big.bin"*) where="what dom0 received is a prefix of the site's file";;
      *) where="cmp: ${c:-no cmp line}";;
    esac
    echo "FAIL: big.bin (16 MiB, sha256 $want_big) differs from the site's:" \
      "$where; $(sed -n 's/^dom0: big: \(curl exit .*\)/\1/p' "$out")"
  fi
  exit 1
fi
grep -q '^dom0: big: cmp: identical$' "$out" ||
  { echo "FAIL: big.bin: the sha256 matched but dom0's cmp did not say identical"; exit 1; }
grep -q '^uk: shutdown requested by the toolstack' "$out" || { echo "FAIL: xl shutdown was not seen"; exit 1; }
echo "PASS: curl from dom0 over netfront: pages and 16 MiB byte-exact"
