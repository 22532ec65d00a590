#!/bin/bash
# bench/tcp_loss.sh - how much of its speed uk's TCP keeps under loss: the
# tap target's www serves a BIG_MB MiB file (default 256) to curl in a
# network namespace (the Linux kernel as the peer, as tests/tap does) three
# times in the same run, always with segmentation offload (up to 64 KiB per
# write; the fault shim offers it and rolls its faults per wire segment):
# clean, clean through the fault shim dropping nothing (information: the
# shim's own cost), and with --faults=drop=DROP (default 5%) in both
# directions, each with the default congestion control (CUBIC); then clean
# and lossy again with --tcp-cc=bbr.  Prints MB/s of each and the ratios
# that count, the lossy run's speed as a fraction of the clean one, for
# each controller.  Not a test: it asserts nothing but byte-exactness.
#
#   UK_BINARY_DIR=build-tap bench/tcp_loss.sh [DROP] [SEED]
#
# Needs root, /dev/net/tun, ip netns, curl and a tap build with the www
# example and tests/tap's probe (cmake -DUK_TARGET=tap -DUK_BUILD_TESTS=ON).
UK_SOURCE_DIR=${UK_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
. "$UK_SOURCE_DIR/tests/tap/lib.sh"
drop=${1:-5%}
seed=${2:-1}
big_mb=${BIG_MB:-256}
WWW="$BIN_DIR/examples/www/www"
[ -x "$WWW" ] || skip "the www example is not built ($WWW)"
require_basics
require_tool curl curl
require_tool cmp diffutils
mkdir -p "$TMP/site"
head -c $((big_mb << 20)) /dev/urandom >"$TMP/site/big.bin"

# run NAME FAULTS...: serves the site (on a TAP device of its own),
# fetches big.bin; sets $secs.
run() {
    local name=$1 t0 t1
    shift
    TAP="ukl$$$name"
    start_uk "$name" "$WWW" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" \
        --port=80 --kv-site="$TMP/site" "$@"
    wait_for 10 nsx curl -s -m 2 -o /dev/null "http://$UKADDR/big.bin" -r 0-0 ||
        uk_gone "$name" "www did not answer"
    t0=$(date +%s.%N)
    nsx curl -s -S -m 600 -o "$TMP/got.bin" "http://$UKADDR/big.bin" ||
        fail "$name: curl failed"
    t1=$(date +%s.%N)
    cmp -s "$TMP/got.bin" "$TMP/site/big.bin" || fail "$name: big.bin differs"
    rm -f "$TMP/got.bin"
    stop_uk
    ip netns del "$NS" && ip netns add "$NS" || fail "cannot recreate $NS"
    secs=$(echo "$t1 - $t0" | bc)
}
mbs() { echo "$big_mb * 1.048576 / $1" | bc; }
run c
clean=$secs
run w --faults=drop=0,seed=$seed
shim=$secs
run l --faults=drop=$drop,seed=$seed
lossy=$secs
run b --tcp-cc=bbr
bclean=$secs
run m --tcp-cc=bbr --faults=drop=$drop,seed=$seed
blossy=$secs
echo "$big_mb MiB, cubic: clean $clean s ($(mbs "$clean") MB/s)," \
    "through the shim $shim s ($(mbs "$shim") MB/s)," \
    "drop=$drop $lossy s ($(mbs "$lossy") MB/s);" \
    "lossy/clean $(echo "scale=3; $clean / $lossy" | bc)"
echo "$big_mb MiB, bbr: clean $bclean s ($(mbs "$bclean") MB/s)," \
    "drop=$drop $blossy s ($(mbs "$blossy") MB/s);" \
    "lossy/clean $(echo "scale=3; $bclean / $blossy" | bc)"
