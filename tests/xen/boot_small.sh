#!/bin/bash
# boot_small.sh SRC BUILD [CC]: the appliances in the memory they declare.
# Builds examples/www (its own htdocs) and examples/dns for the xen target
# and boots each in a domain of 4 MiB (memory=4, what both declare with
# uk_unikernel(... MEMORY 4M)): dom0's curl must get www's index page byte
# for byte, and dom0's dig the zone's A record over UDP and TCP.  Prints
# each image's "uk: memory: N KiB budget" line (what the budget got out of
# the 4 MiB).  UK_SMALL_MEMORY=N (MiB) runs the same checks in N MiB, to
# find the least memory each appliance serves in.  Exit 77 (skip) without
# Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$(dirname "$0")/netboot.sh"
BOOT_MEMORY=${UK_SMALL_MEMORY:-4} # UK_SMALL_MEMORY=N tries N MiB instead
site=$src/examples/www/htdocs
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" www -DUK_WWW_SITE="$site"
want=$(sha256sum < "$site/index.html" | cut -d' ' -f1)
cmd="$DOM0_WAIT_UP
echo \"page: \$(curl -s -m 20 http://10.0.0.2:8080/ | sha256sum | cut -d' ' -f1)\"
xl shutdown guest"
boot_with_vif "$build/examples/www/www" 120 "$cmd" --ipv4=10.0.0.2/24
grep -q "^dom0: page: $want\$" "$out" ||
  { echo "FAIL: www in $BOOT_MEMORY MiB: / is not index.html byte for byte"; exit 1; }
echo "PASS: www in a $BOOT_MEMORY MiB domain: $(grep -m1 '^uk: memory:' "$out")"

"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" dns
cmd="$DOM0_WAIT_UP"'
echo "udp: $(dig @10.0.0.2 +time=5 +tries=2 +short www.example.org A | tr "\n" " ")"
echo "tcp: $(dig @10.0.0.2 +time=5 +tries=2 +tcp +short www.example.org A | tr "\n" " ")"
xl shutdown guest'
boot_with_vif "$build/examples/dns/dns" 90 "$cmd" --ipv4=10.0.0.2/24
grep -q '^dom0: udp: 192\.0\.2\.80 $' "$out" || { echo "FAIL: dns in $BOOT_MEMORY MiB: no A over UDP"; exit 1; }
grep -q '^dom0: tcp: 192\.0\.2\.80 $' "$out" || { echo "FAIL: dns in $BOOT_MEMORY MiB: no A over TCP"; exit 1; }
echo "PASS: dns in a $BOOT_MEMORY MiB domain: $(grep -m1 '^uk: memory:' "$out")"
