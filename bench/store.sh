#!/bin/sh
# bench/store.sh - the uk key/value store (lib/store, examples' KV_RW) on a
# file against SQLite on a file, same workload (bench/store/workload.h),
# same durability (every commit fsynced before the next), same run.  Not a
# test: it prints operations per second for each phase, per round, then
# the medians and the ratio uk/SQLite.
#
#   bench/store.sh [COUNT] [ROUNDS]    (defaults 5000 keys, 3 rounds; env
#                                       VALUE_SIZE=100, BATCH=100,
#                                       DIR=/var/tmp: where the files live)
#
# Phases: "writes" (COUNT commits of one 100-byte put), "batch" (COUNT puts
# in commits of BATCH), "reads" (COUNT reads in a scattered order, values
# checked).  Both files are on the same filesystem (DIR); the order of the
# two programs alternates between rounds.  Builds the drivers in a scratch
# build (-DUK_BUILD_BENCH=ON, Release).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${1:-5000}
ROUNDS=${2:-3}
VALUE_SIZE=${VALUE_SIZE:-100}
BATCH=${BATCH:-100}
DIR=${DIR:-/var/tmp}
[ -f /usr/include/sqlite3.h ] || {
    echo "bench/store.sh: libsqlite3-dev not installed (tools/setup-deps.sh --bench)" >&2
    exit 2
}
TMP=$(mktemp -d "$DIR/uk-store-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
BUILD=$TMP/build
echo "building the drivers..." >&2
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DUK_BUILD_BENCH=ON \
    -DUK_BUILD_TESTS=OFF -DUK_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$BUILD" -j2 --target uk_store_bench sqlite_store_bench >/dev/null
UK=$BUILD/bench/store/uk_store_bench
SQ=$BUILD/bench/store/sqlite_store_bench

run_uk() {
    # A disk image written out in full, as a block device is: a sparse
    # file would make every fdatasync also commit the filesystem's block
    # allocation.  Zones of 8 MiB + 1 KiB a key: no compaction in the run.
    dd if=/dev/zero of="$TMP/uk.img" bs=1024 \
        count=$((COUNT * 2 + 16 * 1024)) conv=fsync status=none
    "$UK" --block="$TMP/uk.img" --count="$COUNT" --value-size="$VALUE_SIZE" \
        --batch="$BATCH"
}
run_sqlite() {
    rm -f "$TMP/sq.db" "$TMP/sq.db-wal" "$TMP/sq.db-shm"
    "$SQ" "$TMP/sq.db" "$COUNT" "$VALUE_SIZE" "$BATCH"
}

: >"$TMP/results"
r=1
while [ "$r" -le "$ROUNDS" ]; do
    if [ $((r % 2)) -eq 1 ]; then
        run_uk >>"$TMP/results"; run_sqlite >>"$TMP/results"
    else
        run_sqlite >>"$TMP/results"; run_uk >>"$TMP/results"
    fi
    r=$((r + 1))
done

echo "store vs SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1): $COUNT keys, $VALUE_SIZE-byte values, batches of $BATCH, $ROUNDS rounds, files in $DIR"
awk -v rounds="$ROUNDS" '
    { ops[$1 " " $2, ++n[$1 " " $2]] = $3 / $4 }
    function median(key,   i, j, t, a, k) {
        k = n[key]
        for (i = 1; i <= k; i++) a[i] = ops[key, i]
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
            if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    END {
        printf "%-8s %14s %14s %8s   per round (uk/sqlite ops/s)\n", "phase", "uk ops/s", "sqlite ops/s", "uk/sqlite"
        split("writes batch reads", ph, " ")
        for (p = 1; p <= 3; p++) {
            u = median("uk " ph[p]); s = median("sqlite " ph[p])
            line = ""
            for (i = 1; i <= n["uk " ph[p]]; i++)
                line = line sprintf(" %.0f/%.0f", ops["uk " ph[p], i], ops["sqlite " ph[p], i])
            printf "%-8s %14.0f %14.0f %8.2f  %s\n", ph[p], u, s, u / s, line
        }
    }' "$TMP/results"
