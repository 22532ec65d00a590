#!/bin/bash
# boot_www_1000.sh SRC BUILD [CC]: examples/www (its own htdocs) in a
# 64 MiB domain serves 1,000 connections open at once: dom0's curl opens
# them in parallel (--parallel-max 1000), each GETs / and all 1,000 must
# answer 200 with index.html's bytes.  Exit 77 (skip) without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$(dirname "$0")/netboot.sh"
BOOT_MEMORY=64
site=$src/examples/www/htdocs
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" www -DUK_WWW_SITE="$site"
size=$(stat -c %s "$site/index.html")
cmd="$DOM0_WAIT_UP"'
urls=""; i=0; while [ $i -lt 1000 ]; do urls="$urls http://10.0.0.2:8080/?n=$i"; i=$((i+1)); done
curl -s -m 240 --parallel --parallel-immediate --parallel-max 1000 -o /dev/null -w "%{http_code} %{size_download}\n" $urls > /tmp/codes
echo "ok: $(grep -c "^200 '"$size"'\$" /tmp/codes) of $(wc -l < /tmp/codes)"
xl shutdown guest'
boot_with_vif "$build/examples/www/www" 400 "$cmd" --ipv4=10.0.0.2/24
grep -q '^dom0: ok: 1000 of 1000$' "$out" ||
  { echo "FAIL: not every one of 1,000 parallel connections got the page"; exit 1; }
echo "PASS: 1,000 parallel connections to www in a 64 MiB domain"
