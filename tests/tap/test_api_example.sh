#!/bin/bash
# The api example (a dynamic JSON API with a form) on the tap target over
# the direct TCP, the Linux kernel as the client: curl GETs and POSTs JSON,
# a form and a chunked body, then the h1spec-style raw cases
# (tests/http/api_client.sh, api_h1spec.py), all from the namespace.
. "$(dirname "$0")/lib.sh"
API="$BIN_DIR/examples/api/api"
[ -x "$API" ] || skip "the api example is not built ($API)"
require_basics
require_tool curl curl
require_tool python3 python3

start_uk api "$API" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" --port=80 \
    --access-log
wait_for 10 nsx curl -s -m 1 -o /dev/null "http://$UKADDR/api/counter" ||
    uk_gone api "api did not answer"
nsx bash "$SRC_DIR/tests/http/api_client.sh" "http://$UKADDR:80" \
    >"$TMP/client.log" 2>&1 || fail "api client: $(grep FAIL "$TMP/client.log")"
grep -c '^ok' "$TMP/client.log" | xargs -I{} echo "{} cases answered"
grep -q 'POST /api/notes 201' "$TMP/api.log" ||
    fail "the access log shows no POST answered 201"
pass "api on the tap target: JSON GET/POST, form, chunked, 413, 400"
