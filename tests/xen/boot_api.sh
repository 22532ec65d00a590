#!/bin/bash
# boot_api.sh SRC BUILD [CC]: builds examples/api (a dynamic JSON API with
# a form) for the xen target and boots it with a vif and
# --ipv4=10.0.0.2/24.  dom0's curl, over netfront: GET and POST
# /api/counter, POSTs a note as a form, as JSON and as a chunked body, reads
# the notes back as a JSON array, and gets 413 for a body over the bound
# and 404 for an unknown endpoint, each answer checked; `xl shutdown` must
# stop the image with exit 0.  Exit 77 (skip) without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$(dirname "$0")/netboot.sh"
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" api
image=$build/examples/api/api
# The dom0 side (single-quoted here: no host expansion).
read -r -d '' checks <<'DOM0' || true
u=http://10.0.0.2:8080
c() { curl -s -m 30 -w ' %{http_code}' "$@" | tr -d '\n'; echo; }
echo "counter: $(c $u/api/counter)"
echo "counter-post: $(c -X POST $u/api/counter)"
echo "form: $(c --data-urlencode 'text=hello from dom0' $u/api/notes)"
echo "json: $(c -H 'Content-Type: application/json' -d '{"text":"json note"}' $u/api/notes)"
echo "chunked: $(printf 'text=chunked+note' | c -H 'Transfer-Encoding: chunked' --data-binary @- $u/api/notes)"
echo "list: $(c $u/api/notes)"
echo "big: $(head -c 5000 /dev/zero | tr '\0' a | sed 's/^/text=/' | c --data-binary @- $u/api/notes)"
echo "nope: $(c $u/api/nope)"
echo "form-page: $(curl -s -m 30 $u/ | grep -c 'action="/api/notes"')"
xl shutdown guest
DOM0
boot_with_vif "$image" 420 "$DOM0_WAIT_UP
$checks" --ipv4=10.0.0.2/24
want() { # want LABEL REGEX
  grep -Eq "^dom0: $1: $2\$" "$out" || { echo "FAIL: $1: wanted /$2/"; exit 1; }
}
want counter '\{"counter":0\} 200'
want counter-post '\{"counter":1\} 200'
want form '\{"id":0,"text":"hello from dom0"\} 201'
want json '\{"id":1,"text":"json note"\} 201'
want chunked '\{"id":2,"text":"chunked note"\} 201'
want list '\[\{"id":0,"text":"hello from dom0"\},\{"id":1,"text":"json note"\},\{"id":2,"text":"chunked note"\}\] 200'
want big '\{"error":"body too large"\} 413'
want nope '\{"error":"no such endpoint"\} 404'
want form-page 1
grep -q '^uk: shutdown requested by the toolstack' "$out" || { echo "FAIL: xl shutdown was not seen"; exit 1; }
echo "PASS: api on Xen: JSON GET/POST (form, JSON, chunked), 413, 404 over netfront"
