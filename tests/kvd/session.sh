# session.sh - sourced by kvd's tests (unix, tap, Xen x86-64 and arm64):
# what a client sends to a fresh store, then, after the server was killed
# or its guest destroyed and a new one started on the same device, what it
# sends again, and the replies both must get (LOG's times stripped by
# kvd_strip_time).  Lines hold no single quote (the Xen tests quote them
# for dom0's shell).
KVD_WRITE='SET greeting hello world
SET notes/a two words
SET greeting hello again
DEL notes/a
GET greeting
GET ../x
BOGUS
SET
GETAT 99 greeting
QUIT'
KVD_WRITE_WANT='OK 1
OK 2
OK 3
OK 4
VALUE hello again
ERR invalid key
ERR unknown command (try HELP)
ERR missing key
ERR no commit 99
BYE'
KVD_READ='GET greeting
GET notes/a
GETAT 2 notes/a
GETAT 1 greeting
LOG 3
LIST
SET after restart
QUIT'
KVD_READ_WANT='VALUE hello again
ERR no such key
VALUE two words
VALUE hello world
COMMIT 4 parent 3 DEL notes/a
COMMIT 3 parent 2 SET greeting
COMMIT 2 parent 1 SET notes/a
END
greeting
END
OK 5
BYE'
kvd_strip_time() { sed -E 's/^(COMMIT [0-9]+ parent [0-9]+) time -?[0-9]+/\1/'; }

# The Xen tests' dom0 command (busybox sh and nc, the guest at 10.0.0.2):
# wait (at most about a minute) until the guest answers QUIT (it listens
# once its store is open), send LINES, print each reply as "kvd: REPLY",
# then run END_CMD.
kvd_dom0_cmd() { # kvd_dom0_cmd LINES END_CMD
  local q
  q=$(printf '%s\n' "$1" | sed "s/.*/'&'/" | tr '\n' ' ')
  printf '%s\n' \
    "i=0; until [ \$i -ge 60 ] || echo QUIT | timeout 5 nc -w 2 10.0.0.2 7000 | grep -q BYE; do sleep 1; i=\$((i+1)); done" \
    "printf '%s\\n' $q | timeout 60 nc 10.0.0.2 7000 | sed 's/^/kvd: /'" \
    "$2"
}
# The replies in a Xen run's output FILE (dom0's lines "dom0: kvd: ...").
kvd_dom0_replies() { sed -n 's/^dom0: kvd: //p' "$1" | tr -d '\r' | kvd_strip_time; }

# The Xen tests' checks of a run's output FILE: the first guest (destroyed
# by dom0, so no exit line) started on a blank store and got the write
# replies; the new guest found 4 commits and got the read replies.
kvd_check_written() { # kvd_check_written FILE
  grep -q "^kvd: store on block device 'data' at commit 0;" "$1" ||
    { echo "FAIL: the first guest did not start on a blank store"; return 1; }
  [ "$(kvd_dom0_replies "$1")" = "$KVD_WRITE_WANT" ] ||
    { echo "FAIL: the writes: got"; kvd_dom0_replies "$1"; echo "wanted"; echo "$KVD_WRITE_WANT"; return 1; }
  if grep -q '^uk: exit' "$1"; then echo "FAIL: the guest exited rather than being destroyed"; return 1; fi
}
kvd_check_read() { # kvd_check_read FILE
  grep -q "^kvd: store on block device 'data' at commit 4;" "$1" ||
    { echo "FAIL: the new guest did not find the 4 commits"; return 1; }
  [ "$(kvd_dom0_replies "$1")" = "$KVD_READ_WANT" ] ||
    { echo "FAIL: the reads: got"; kvd_dom0_replies "$1"; echo "wanted"; echo "$KVD_READ_WANT"; return 1; }
}
