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
