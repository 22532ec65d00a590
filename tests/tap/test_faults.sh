#!/bin/bash
# UDP request/response through the fault shim at 10% loss each way: every
# request is answered by retrying.
export FAULTS="drop=0.1,seed=${UK_FAULT_SEED:-1}"
export FAULTS_EXPECT_RETRY=1
exec "$(dirname "$0")/test_udp_echo.sh"
