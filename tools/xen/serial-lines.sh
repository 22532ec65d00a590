# shellcheck shell=bash
# serial-lines.sh - sourced by xen-run.sh: whole lines from QEMU's serial
# output, which arrives a few bytes at a time (QEMU writes each character
# the emulated UART sends).  On a loaded machine a line can stop half-way
# for more than the one-second poll; the part already read must then start
# the next read rather than be dropped (issue 14: xen_www_boot's sha line
# was cut in two and lost).

# read_serial_line: reads stdin into $line, waiting at most one second.
# Returns 0 with $line a whole line (no newline); 2 when the second passed
# before the line ended (what arrived is kept in $serial_part, $line is
# empty); 1 at the end of the input, with $line the unterminated last
# line (maybe empty).
serial_part=
read_serial_line() {
  local chunk='' rc=0
  IFS= read -r -t 1 chunk || rc=$?
  line=
  if [ $rc = 0 ]; then line=$serial_part$chunk; serial_part=; return 0; fi
  serial_part=$serial_part$chunk
  if [ $rc -gt 128 ]; then return 2; fi
  line=$serial_part; serial_part=''
  return 1
}
