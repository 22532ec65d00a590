# normal.sh - the normal client of the attack suite and of bench/attack.sh
# (sourced).  It needs $RUN: empty, or a command prefix that runs the
# client where the server is reachable (nsx for the tap tests).
#
# normal_ask KIND ADDR PORT OUT [PAGE]: asks once, writes "ok" or why not
# to OUT (also under set -e).  KIND www: curl fetches
# http://ADDR:PORT/index.html, which must be the file PAGE; KIND dns: dig
# asks for www.example.org A over TCP and over UDP, and both must answer
# 192.0.2.80.  Every ask gives up after 5 s.
normal_ask() {
    local kind=$1 addr=$2 port=$3 out=$4 page=${5:-} got why= mode
    if [ "$kind" = www ]; then
        got=$($RUN curl -s -S -m 5 -o "$out.body" -w '%{http_code}' \
            "http://$addr:$port/index.html" 2>&1) || true
        if [ "$got" != 200 ]; then
            why=" $got"
        elif [ -n "$page" ] && ! cmp -s "$out.body" "$page"; then
            why=" wrong body"
        fi
        rm -f "$out.body"
    else
        for mode in tcp notcp; do
            got=$($RUN timeout 8 dig +$mode +time=5 +tries=1 +short @"$addr" \
                -p "$port" www.example.org A 2>&1) || true
            [ "$got" = 192.0.2.80 ] ||
                why="$why dig +$mode: $(echo "$got" | tr '\n' ' ')"
        done
    fi
    echo "${why:-ok}" >"$out"
}
