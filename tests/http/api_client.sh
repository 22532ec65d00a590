#!/bin/bash
# api_client.sh URL: drives the api example at URL as a client would:
# curl GETs and POSTs JSON, a form and a chunked body, reads the notes
# back as JSON and gets the form page; then the h1spec-style raw cases of
# api_h1spec.py.  Used by the unix and tap tests (run inside the tap
# test's namespace).  Prints what it checks; exits 1 on the first
# mismatch.  Needs curl and python3.
set -u
URL=$1
here=$(dirname "$0")
hostport=${URL#http://}
host=${hostport%%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=80

bad() { echo "FAIL: $*"; exit 1; }
# get WHAT CURL-ARGS...: the body, with "HTTP <code>" on a last line
get() {
    curl -s -S -m 20 -w '\nHTTP %{http_code} %{content_type}' "$@"
}
expect() { # expect NAME WANT-REGEX OUTPUT
    printf '%s\n' "$3" | tr -s '\n' ' ' | grep -Eq "$2" ||
        bad "$1: wanted /$2/, got: $(printf '%s' "$3" | tr '\n' ' ')"
    echo "ok: $1"
}

out=$(get "$URL/api/counter")
expect "GET /api/counter" '^\{"counter":[0-9]+\} HTTP 200 application/json' "$out"
out=$(get -X POST "$URL/api/counter")
expect "POST /api/counter" '^\{"counter":[0-9]+\} HTTP 200' "$out"
out=$(get --data-urlencode 'text=from a form & more' "$URL/api/notes")
expect "POST form" '^\{"id":[0-9]+,"text":"from a form & more"\} HTTP 201 application/json' "$out"
id=$(printf '%s' "$out" | head -1 | sed 's/^{"id":\([0-9]*\),.*/\1/')
out=$(get -H 'Content-Type: application/json' -d '{"text":"from \"JSON\"","x":[1,{}]}' "$URL/api/notes")
expect "POST JSON" '^\{"id":[0-9]+,"text":"from \\"JSON\\""\} HTTP 201' "$out"
out=$(printf 'text=chunked+by+curl' | get -H 'Transfer-Encoding: chunked' --data-binary @- "$URL/api/notes")
expect "POST chunked (curl)" '^\{"id":[0-9]+,"text":"chunked by curl"\} HTTP 201' "$out"
# 1 KiB, curl waiting for "100 Continue" before it sends the body
long=$(head -c 1000 /dev/zero | tr '\0' x)
out=$(get -H 'Expect: 100-continue' -d "text=$long" "$URL/api/notes")
expect "POST 1 KiB (Expect: 100-continue)" "^\\{\"id\":[0-9]+,\"text\":\"$long\"\\} HTTP 201" "$out"
out=$(get "$URL/api/notes?id=$id")
expect "GET one note" "^\\{\"id\":$id,\"text\":\"from a form & more\"\\} HTTP 200" "$out"
out=$(get "$URL/api/notes")
expect "GET all notes" '^\[.*"text":"from a form & more".*"text":"chunked by curl".*\] HTTP 200 application/json' "$out"
out=$(get "$URL/api/notes?id=99999")
expect "GET missing note" '^\{"error":"[^"]+"\} HTTP 404' "$out"
out=$(get -d '{"text":' -H 'Content-Type: application/json' "$URL/api/notes")
expect "POST bad JSON" '^\{"error":"malformed JSON"\} HTTP 400' "$out"
# 2 MB refused: the 413 must reach curl while it is still uploading
# (the server drains the rest instead of resetting the answer away)
out=$(head -c 2000000 /dev/zero | tr '\0' a | sed 's/^/text=/' |
    get -H 'Transfer-Encoding: chunked' --data-binary @- "$URL/api/notes")
expect "POST 2 MB chunked: 413" '^\{"error":"body too large"\} HTTP 413' "$out"
out=$(head -c 2000000 /dev/zero | tr '\0' a | sed 's/^/text=/' |
    get --data-binary @- "$URL/api/notes")
expect "POST 2 MB: 413" '^\{"error":"body too large"\} HTTP 413' "$out"
out=$(get "$URL/")
expect "GET / (the form)" '<form method="post" action="/api/notes">.* HTTP 200 text/html' "$out"
python3 "$here/api_h1spec.py" "$host" "$port" || bad "h1spec-style cases"
echo "PASS: api answered every case"
