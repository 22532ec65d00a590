#!/bin/bash
# client.sh HOST PORT: sends stdin's lines to kvd at HOST:PORT and prints
# the replies until the server closes the connection (end the input with
# QUIT); bash's /dev/tcp, bounded by 20 s.  Exit 1 if it cannot connect.
set -u
exec 3<>"/dev/tcp/$1/$2" || exit 1
cat >&3
timeout 20 cat <&3
