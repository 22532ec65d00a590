#!/bin/bash
# boot_api_net.sh SRC BUILDROOT [ARCH]: builds examples/api (a dynamic
# JSON API with a form) for arm-xen ARCH (arm64 by default) and boots it
# under arm64 Xen with a Linux arm64 dom0 (arm-xen-run.sh --net).  dom0's
# curl, over netfront: GET /api/counter, POST a note as a form, as JSON
# and as a chunked body, GET the notes back as a JSON array, and a body
# over the bound gets 413; each answer checked.  Exit 77 (skip) when the
# packages cannot be had.
set -euo pipefail
src=$1 root=$2 arch=${3:-arm64}
here=$(dirname "$0")
set +e
"$here/subbuild.sh" "$src" "$root/$arch" "$arch" api
rc=$?
set -e
[ $rc = 0 ] || exit $rc
image=$root/$arch/examples/api/api
out=$(mktemp "${TMPDIR:-/tmp}/uk-arm-xen-api.XXXXXX")
err=$(mktemp "${TMPDIR:-/tmp}/uk-arm-xen-api.XXXXXX")
trap 'rm -f "$out" "$err"' EXIT
# dom0's commands (its busybox sh, single-quoted here: no host expansion);
# the first request is retried while the guest's stack comes up.
read -r -d '' cmd <<'DOM0' || true
u=http://10.0.0.2:8080
c() { curl -s -m 10 -w ' %{http_code}' "$@" | tr -d '\n'; echo; }
for i in $(seq 30); do
  curl -s -m 10 -o /dev/null $u/api/counter && break
  sleep 1
done
echo "counter: $(c $u/api/counter)"
echo "form: $(c -d 'text=arm+note' $u/api/notes)"
echo "json: $(c -H 'Content-Type: application/json' -d '{"text":"arm json"}' $u/api/notes)"
echo "chunked: $(printf 'text=arm+chunked' | c -H 'Transfer-Encoding: chunked' --data-binary @- $u/api/notes)"
echo "list: $(c $u/api/notes)"
echo "big: $(head -c 5000 /dev/zero | tr '\0' a | sed 's/^/text=/' | c --data-binary @- $u/api/notes)"
DOM0
set +e
"$src/tools/arm-xen/arm-xen-run.sh" "$image" --net --timeout 120 --dom0-cmd "$cmd" \
  -- --ipv4=10.0.0.2/24 > "$out" 2> "$err"
rc=$?
set -e
cat "$out" "$err"
if [ $rc = 77 ]; then echo "SKIP: QEMU/Xen or the arm64 dom0 packages not available"; exit 77; fi
grep -q '^api: serving' "$out" || { echo "FAIL: api did not start"; exit 1; }
want() { # want LABEL REGEX
  grep -Eq "^dom0: $1: $2\$" "$err" || { echo "FAIL: $1: wanted /$2/"; exit 1; }
}
want counter '\{"counter":0\} 200'
want form '\{"id":0,"text":"arm note"\} 201'
want json '\{"id":1,"text":"arm json"\} 201'
want chunked '\{"id":2,"text":"arm chunked"\} 201'
want list '\[\{"id":0,"text":"arm note"\},\{"id":1,"text":"arm json"\},\{"id":2,"text":"arm chunked"\}\] 200'
want big '\{"error":"body too large"\} 413'
[ $rc = 0 ] || { echo "FAIL: exit status $rc after xl shutdown, expected 0"; exit 1; }
echo "PASS: api ($arch guest) on arm64 Xen: JSON GET/POST (form, JSON, chunked) and 413 over netfront"
