#!/bin/bash
# size-report.sh [--boot] [SRC [WORK]]: the size (and boot-time) report of
# the xen target, as Markdown on stdout, for the README.
#
# Builds the examples (hello echo www dns of-controller of-switch) for
# UK_TARGET=xen three ways in WORK (default /tmp/uk-xen-size):
#   standard  -O2, no section GC (-DUK_XEN_GC_SECTIONS=OFF)
#   dce       -Os, -ffunction-sections -fdata-sections, --gc-sections
#             (the project's default sections, -DUK_XEN_DCE=ON)
#   dce+lto   the same with -DCMAKE_INTERPROCEDURAL_OPTIMIZATION=ON
# and prints, per example, the stripped image's file size in each, beside
# MirageOS's dead-code-eliminated figures; then, for the standard and dce
# builds, the loaded bytes (text + rodata + data) by layer, summed from the
# linker map NAME.map (image.cmake writes it) over the input sections
# linked (after GC in dce), attributed by the archive or object they came
# from.  LTO merges the layers, so there is no breakdown of dce+lto.
#
# --boot also boots www and dns (the dce+lto images) under
# tools/xen/xen-run.sh, has dom0 fetch a page / ask a question, and reports
# the "uk: boot: first reply after N us" line each image logs: guest entry
# to the first reply transmitted, measured with Xen's system time.
set -euo pipefail
BOOT=0
if [ "${1:-}" = --boot ]; then BOOT=1; shift; fi
SRC=$(readlink -f "${1:-$(dirname "$0")/../..}")
WORK=${2:-${TMPDIR:-/tmp}/uk-xen-size}
EXAMPLES="hello echo www dns of-controller of-switch"
mkdir -p "$WORK"

build() { # build VARIANT CMAKE_ARGS...
  local v=$1; shift
  cmake -S "$SRC" -B "$WORK/$v" -DUK_TARGET=xen -DUK_BUILD_TESTS=OFF "$@" \
    > "$WORK/$v.log" 2>&1 || { tail -20 "$WORK/$v.log" >&2; echo "size-report: configuring $v failed" >&2; exit 1; }
  cmake --build "$WORK/$v" -j2 --target $EXAMPLES >> "$WORK/$v.log" 2>&1 ||
    { tail -20 "$WORK/$v.log" >&2; echo "size-report: building $v failed" >&2; exit 1; }
}
build standard -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" \
  -DUK_XEN_GC_SECTIONS=OFF -DUK_XEN_DCE=OFF
build dce -DCMAKE_BUILD_TYPE=Release -DUK_XEN_GC_SECTIONS=ON -DUK_XEN_DCE=ON
build dce-lto -DCMAKE_BUILD_TYPE=Release -DUK_XEN_GC_SECTIONS=ON -DUK_XEN_DCE=ON \
  -DCMAKE_INTERPROCEDURAL_OPTIMIZATION=ON

img() { echo "$WORK/$1/examples/$2/$2"; }
# Stripped file size in MB (10^6 bytes, as MirageOS's table).
stripped() {
  local f=$WORK/strip.tmp
  strip -o "$f" "$1" && stat -c %s "$f" && rm -f "$f"
}
mb() { awk -v b="$1" 'BEGIN { printf "%.3f", b / 1e6 }'; }
mirage() {
  case $1 in dns) echo 0.184;; www) echo 0.172;; of-switch) echo 0.164;;
    of-controller) echo 0.168;; *) echo "-";; esac
}

echo "| example | standard (-O2) MB | DCE (-Os, gc-sections) MB | DCE + LTO MB | MirageOS DCE MB |"
echo "|---|---:|---:|---:|---:|"
for e in $EXAMPLES; do
  printf '| %s | %s | %s | %s | %s |\n' "$e" \
    "$(mb "$(stripped "$(img standard "$e")")")" "$(mb "$(stripped "$(img dce "$e")")")" \
    "$(mb "$(stripped "$(img dce-lto "$e")")")" "$(mirage "$e")"
done
echo
echo "Stripped ELF file sizes (MB = 10^6 bytes).  www's includes its site"
echo "(examples/www/htdocs, embedded), dns's its zone."
echo

# Bytes kept per layer, from the dce build's map.  GNU ld map lines: an
# output section at column 0, input sections indented, with the size and
# the archive(member) or object they came from (the name may sit alone on
# the line before).
layers="core tcpip http dns kv openflow libc xen-common xen-glue app site libgcc"
for v in standard dce; do
echo "| example ($v, KB) | $(echo $layers | sed 's/ / | /g') | total |"
echo "|---|$(for l in $layers; do printf -- '---:|'; done)---:|"
for e in $EXAMPLES; do
  awk -v layers="$layers" -v name="$e" '
    function hex(s,   i, v, c) {
      v = 0; s = tolower(substr(s, 3))
      for (i = 1; i <= length(s); i++) {
        c = index("0123456789abcdef", substr(s, i, 1)) - 1
        v = v * 16 + c
      }
      return v
    }
    function layer(f) {
      if (f ~ /libuk_core\.a/) return "core"
      if (f ~ /libuk_tcpip\.a/) return "tcpip"
      if (f ~ /libuk_http\.a/) return "http"
      if (f ~ /libuk_dns\.a/) return "dns"
      if (f ~ /libuk_kv\.a/) return "kv"
      if (f ~ /libuk_openflow\.a/) return "openflow"
      if (f ~ /uk_libc\.dir/) return "libc"
      if (f ~ /libuk_xen_common\.a/) return "xen-common"
      if (f ~ /libuk_xen_pvh\.a/) return "xen-glue"
      if (f ~ /libgcc/) return "libgcc"
      if (f ~ /_kv_[A-Za-z0-9_]+\.c\.o/) return "site"
      return "app"
    }
    /^Linker script and memory map/ { on = 1; next }
    !on { next }
    /^[^ \t]/ { out = $1; pend = ""; next }
    out !~ /^\.(text|rodata|data|note\.Xen)$/ { next }
    NF == 1 && $1 ~ /^\./ { pend = $1; next }
    {
      i = (pend != "") ? 1 : 2
      pend = ""
      if ($i !~ /^0x/ || $(i+1) !~ /^0x/ || NF < i + 2) next
      sz = hex($(i+1)); f = $(i+2)
      if (f ~ /^\*\(/ || sz == 0) next
      sum[layer(f)] += sz; total += sz
    }
    END {
      n = split(layers, L, " "); line = "| " name " |"
      for (k = 1; k <= n; k++) line = line sprintf(" %.1f |", sum[L[k]] / 1024)
      printf "%s %.1f |\n", line, total / 1024
    }' "$(img $v "$e").map"
done
echo
done
echo "Loaded bytes (text, rodata, data; KB = 1024 bytes) of the input sections"
echo "linked (dce: kept by --gc-sections), by the archive they came from: app is the"
echo "example's own objects, site the embedded KV_RO store, xen-glue"
echo "backends/xen-netfront, libc lib/libc."

[ $BOOT = 1 ] || exit 0
echo
echo "| example | guest entry to first reply | guest entry to first frame received |"
echo "|---|---:|---:|"
ms() { awk -v u="$1" 'BEGIN { printf "%.1f ms", u / 1000 }'; }
boot() { # boot NAME DOM0-CMD
  local out=$WORK/boot-$1.log line n m
  "$SRC/tools/xen/xen-run.sh" "$(img dce-lto "$1")" --net --timeout 60 \
    --dom0-cmd "$2" -- --ipv4=10.0.0.2/24 > "$out" 2>&1 || true
  line=$(grep -m1 '^uk: boot: first reply after [0-9]* us (first frame in after [0-9]* us)$' "$out" || true)
  if [ -z "$line" ]; then
    printf '| %s | no boot line (see %s) | |\n' "$1" "$out"; return
  fi
  n=$(echo "$line" | sed 's/.*reply after \([0-9]*\) us.*/\1/')
  m=$(echo "$line" | sed 's/.*frame in after \([0-9]*\) us.*/\1/')
  printf '| %s | %s | %s |\n' "$1" "$(ms "$n")" "$(ms "$m")"
}
boot www 'curl -s -m 30 --retry 20 --retry-connrefused --retry-delay 1 -o /dev/null http://10.0.0.2:8080/; xl shutdown guest'
boot dns 'i=0; while [ $i -lt 30 ]; do dig @10.0.0.2 +time=1 +tries=1 +short www.example.org | grep -q . && break; i=$((i+1)); done; xl shutdown guest'
echo
echo "Measured inside the guest with Xen's system time, from its entry (PVH"
echo "entry, first C code) to the first frame netfront transmits after having"
echo "received one, under QEMU TCG (an emulated machine).  The first frame"
echo "received is any frame (dom0's IPv6 neighbour discovery on the new vif"
echo "comes first); the reply is to dom0's first ARP request, sent when its"
echo "curl/dig starts after \`xl create\` returns: the figure includes that"
echo "wait."
