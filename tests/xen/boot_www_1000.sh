#!/bin/bash
# boot_www_1000.sh SRC BUILD [CC]: examples/www (its own htdocs) in a
# 64 MiB domain serves 1,000 connections open at once: dom0's curl opens
# them in parallel (four curls of 250 parallel transfers), each GETs / and
# all 1,000 must answer 200 with index.html's bytes.  Exit 77 (skip) without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$(dirname "$0")/netboot.sh"
BOOT_MEMORY=64
site=$src/examples/www/htdocs
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" www -DUK_WWW_SITE="$site"
size=$(stat -c %s "$site/index.html")
# Four curl processes of 250 parallel transfers each (curl allows at most
# 300 at once per process), every URL with its own output.
cmd="$DOM0_WAIT_UP"'
for j in 0 1 2 3; do
  i=0; : > /tmp/c$j
  while [ $i -lt 250 ]; do printf "url = \"http://10.0.0.2:8080/?n=$j-$i\"\noutput = \"/dev/null\"\n" >> /tmp/c$j; i=$((i+1)); done
  curl -s -S -m 240 --parallel --parallel-immediate --parallel-max 250 -w "%{http_code} %{size_download}\n" -K /tmp/c$j > /tmp/codes$j 2>/tmp/err$j &
done
wait
cat /tmp/codes0 /tmp/codes1 /tmp/codes2 /tmp/codes3 > /tmp/codes
echo "ok: $(grep -c "^200 '"$size"'\$" /tmp/codes) of $(wc -l < /tmp/codes)"
head -3 /tmp/err0
xl shutdown guest'
boot_with_vif "$build/examples/www/www" 400 "$cmd" --ipv4=10.0.0.2/24
grep -q '^dom0: ok: 1000 of 1000$' "$out" ||
  { echo "FAIL: not every one of 1,000 parallel connections got the page"; exit 1; }
echo "PASS: 1,000 parallel connections to www in a 64 MiB domain"
