#!/bin/bash
# serial_lines_test.sh SRC: tools/xen/serial-lines.sh against a serial
# stream that stops mid-line for longer than its one-second poll (as QEMU's
# does on a loaded machine): every line must come out whole, in order, and
# an unterminated last line must not be lost.  No QEMU needed.
set -euo pipefail
src=$1
. "$src/tools/xen/serial-lines.sh"
got=$(mktemp)
trap 'rm -f "$got"' EXIT
while :; do
  rc=0; read_serial_line || rc=$?
  case $rc in
    0) printf '%s\n' "$line" >> "$got";;
    2) ;;   # a pause: the loop would check on QEMU here
    *) if [ -n "$line" ]; then printf '%s\n' "$line" >> "$got"; fi; break;;
  esac
done < <(printf 'UKCMD: big: 0123'; sleep 1.6; printf '4567\nUKCMD: next\nUKCMD-'
         sleep 1.6; printf 'END'; sleep 1.6; printf ' 2\nlast')
want=$'UKCMD: big: 01234567\nUKCMD: next\nUKCMD-END 2\nlast'
if [ "$(cat "$got")" != "$want" ]; then
  echo "FAIL: lines split by pauses did not come out whole; got:"; cat "$got"; exit 1
fi
echo "PASS: serial lines survive pauses mid-line"
