#!/bin/sh
# embed_tool.sh TOOL TREE WORKDIR - checks uk-embed as a program:
# deterministic output (independent of where the tree is and, with
# SOURCE_DATE_EPOCH, of its mtimes), and refusals that name the offending
# path and leave no output behind.
set -u
tool=$1 tree=$2 w=$3
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

rm -rf "$w" && mkdir -p "$w" || exit 1
cp -R "$tree" "$w/a" && cp -R "$tree" "$w/b" || exit 1
find "$w/b" -exec touch -h -d @1000000 {} + || exit 1

# 1. Same directory, twice: byte-identical.
"$tool" -o "$w/1.c" -s sym -n t "$w/a" && "$tool" -o "$w/2.c" -s sym -n t "$w/a" ||
    fail "tool failed on the test tree"
cmp -s "$w/1.c" "$w/2.c" && ok "same tree twice: identical" ||
    fail "same tree twice: outputs differ"

# 2. Nothing about the build or the tree's location in the output.
grep -F -q "$w" "$w/1.c" && fail "output contains the directory path" ||
    ok "no path in output"

# 3. SOURCE_DATE_EPOCH: copies with different mtimes and paths agree.
SOURCE_DATE_EPOCH=1700000000 "$tool" -o "$w/e1.c" -s sym -n t "$w/a" &&
    SOURCE_DATE_EPOCH=1700000000 "$tool" -o "$w/e2.c" -s sym -n t "$w/b" ||
    fail "tool failed with SOURCE_DATE_EPOCH"
cmp -s "$w/e1.c" "$w/e2.c" && ok "SOURCE_DATE_EPOCH: mtimes and path ignored" ||
    fail "SOURCE_DATE_EPOCH: outputs differ"
grep -q 'INT64_C(1700000000)' "$w/e1.c" && ! grep -q 'INT64_C(1000000)' "$w/e1.c" &&
    ok "SOURCE_DATE_EPOCH is the mtime" || fail "SOURCE_DATE_EPOCH not used"
# Without it, the files' own mtimes are used.
"$tool" -o "$w/m.c" -s sym -n t "$w/b" && grep -q 'INT64_C(1000000)' "$w/m.c" &&
    ok "file mtimes used by default" || fail "file mtimes not in output"

# 4. Refusals: exit status 1, a message naming the path, old output kept,
# no temporary file left.
refuse() { # refuse NAME WHAT-TO-GREP: runs the tool over $w/bad
    echo old >"$w/$1.c"
    "$tool" -o "$w/$1.c" -s sym "$w/bad" 2>"$w/$1.err"
    st=$?
    if [ $st -ne 1 ]; then fail "$1: exit status $st, want 1"; return; fi
    grep -F -q -- "$2" "$w/$1.err" || fail "$1: message does not name '$2': $(cat "$w/$1.err")"
    [ "$(cat "$w/$1.c")" = old ] || fail "$1: previous output overwritten"
    ls "$w" | grep -q "^$1.c.tmp" && fail "$1: temporary file left behind"
    ok "$1 refused: $(cat "$w/$1.err")"
}
mkbad() { rm -rf "$w/bad" && mkdir -p "$w/bad/sub" && echo fine >"$w/bad/ok.txt"; }

mkbad; ln -s ../ok.txt "$w/bad/sub/link"; refuse symlink "bad/sub/link"
mkbad; ln -s /etc "$w/bad/dirlink"; refuse dirsymlink "bad/dirlink"
if mkbad && mkfifo "$w/bad/sub/fifo" 2>/dev/null; then
    refuse fifo "bad/sub/fifo"
else
    echo "skip: fifo case (mkfifo unavailable)"
fi
mkbad; echo x >"$w/bad/back\\slash"; refuse backslash 'back\slash'
mkbad; echo x >"$w/bad/sub/tab	name"; refuse control "bad/sub/tab"
# A key longer than UK_KV_KEY_MAX (1024) from names the file system allows.
c=$(printf '%0250d' 0)
mkbad; mkdir -p "$w/bad/$c/$c/$c/$c/$c" && echo x >"$w/bad/$c/$c/$c/$c/$c/f"
refuse longkey "too long"
echo old >"$w/epoch.c"
SOURCE_DATE_EPOCH=yesterday "$tool" -o "$w/epoch.c" -s sym "$w/a" 2>"$w/epoch.err" &&
    fail "bad SOURCE_DATE_EPOCH accepted"
grep -q SOURCE_DATE_EPOCH "$w/epoch.err" && ok "bad SOURCE_DATE_EPOCH refused" ||
    fail "bad SOURCE_DATE_EPOCH: $(cat "$w/epoch.err")"
"$tool" -o "$w/sym.c" -s "1bad" "$w/a" 2>/dev/null && fail "bad symbol accepted"
"$tool" -o "$w/none.c" -s sym "$w/missing" 2>/dev/null && fail "missing dir accepted"
[ -e "$w/sym.c" ] || [ -e "$w/none.c" ] && fail "output left by a failed run"

[ $fails -eq 0 ] && rm -rf "$w"
echo "$fails failure(s)"
exit $((fails != 0))
