#!/bin/bash
# test_api.sh API_BIN: the api example (unix target) on 127.0.0.1 against
# curl and the raw cases of api_h1spec.py (tests/http/api_client.sh).
# Skips (77) without curl or python3.
set -u
BIN=$1
here=$(dirname "$0")
command -v curl >/dev/null || { echo "SKIP: needs curl"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
[ -x "$BIN" ] || { echo "FAIL: $BIN not built"; exit 1; }
log=$(mktemp /tmp/uk-api-test.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" --port="$port" --access-log >"$log" 2>&1 &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$log"
}
trap cleanup EXIT
. "$here/../support/wait_for.sh"
wait_for 10 curl -s -m 1 -o /dev/null "http://127.0.0.1:$port/api/counter" ||
    { echo "FAIL: api did not answer"; cat "$log"; exit 1; }
bash "$here/api_client.sh" "http://127.0.0.1:$port" || { tail -n 40 "$log"; exit 1; }
kill "$pid"
wait "$pid"  # 143: the clean stop on SIGTERM
rc=$?
if grep -Eq "Sanitizer|runtime error:" "$log"; then
    echo "FAIL: sanitizer report"; cat "$log"; exit 1
fi
[ "$rc" = 0 ] || [ "$rc" = 143 ] || { echo "FAIL: api exited with $rc"; tail "$log"; exit 1; }
echo "PASS: api on unix"
