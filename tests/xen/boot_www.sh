#!/bin/bash
# boot_www.sh SRC BUILD [CC]: builds examples/www for the xen target with a
# test site (examples/www/htdocs plus big.bin, 16 MiB of random bytes;
# -DUK_WWW_SITE in the sub-build) and boots it with a vif and
# --ipv4=10.0.0.2/24.  dom0 fetches / and /index.html, a missing page and
# big.bin with curl over netfront; the sha256 of what dom0 received must
# equal the host's files (byte-exact), the missing page must be a 404, and
# `xl shutdown` must stop the image with exit 0.
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
cmd="$DOM0_WAIT_UP
echo \"root: \$(curl -s -m 60 $url/ | sha256sum | cut -d' ' -f1)\"
echo \"index: \$(curl -s -m 60 -o /dev/null -w '%{http_code} %{size_download}' $url/index.html) \$(curl -s -m 60 $url/index.html | sha256sum | cut -d' ' -f1)\"
echo \"missing: \$(curl -s -m 60 -o /dev/null -w '%{http_code}' $url/no-such-page)\"
t0=\$(cut -d' ' -f1 /proc/uptime)
echo \"big: \$(curl -s -S -f -m 300 $url/big.bin | sha256sum | cut -d' ' -f1)\"
echo \"big: fetched in \$(cut -d' ' -f1 /proc/uptime) - \$t0 s\"
xl shutdown guest"
boot_with_vif "$image" 420 "$cmd" --ipv4=10.0.0.2/24
grep -q "^dom0: root: $want_index\$" "$out" || { echo "FAIL: / is not index.html byte for byte"; exit 1; }
grep -q "^dom0: index: 200 $(stat -c %s "$site/index.html") $want_index\$" "$out" ||
  { echo "FAIL: /index.html: not 200 with the site's bytes"; exit 1; }
grep -q '^dom0: missing: 404$' "$out" || { echo "FAIL: a missing page did not get 404"; exit 1; }
grep -q "^dom0: big: $want_big\$" "$out" || { echo "FAIL: big.bin (16 MiB) differs from the site's ($want_big)"; exit 1; }
grep -q '^uk: shutdown requested by the toolstack' "$out" || { echo "FAIL: xl shutdown was not seen"; exit 1; }
echo "PASS: curl from dom0 over netfront: pages and 16 MiB byte-exact"
