#!/bin/bash
# UDP request/response through the fault shim with every kind of fault:
# loss, duplicates, reordering, delay and corruption (corrupt frames are
# dropped by the checksums; the client retries).
export FAULTS="drop=0.03,dup=0.02,reorder=0.05,delay=0.05,delay_ms=20,corrupt=0.02,seed=${UK_FAULT_SEED:-2}"
exec "$(dirname "$0")/test_udp_echo.sh"
