# netns.sh - sourced by the benchmarks: the namespaces they measure in.
#
#   netns_pair CLI SRV VETH CLI_ADDR SRV_ADDR
#       Creates namespaces CLI and SRV (loopback up) joined by a veth pair
#       VETHc (in CLI, address CLI_ADDR/24) and VETHs (in SRV, SRV_ADDR/24).
#   netns_attach_tap TAP NS ADDR
#       Waits up to 5 s for TAP (made by a tap-target process) and moves
#       it into NS with the kernel's side at ADDR/24, up.
# The caller deletes the namespaces (ip netns del) when done.
netns_pair() {
  ip netns add "$1"
  ip netns add "$2"
  ip -n "$1" link set lo up
  ip -n "$2" link set lo up
  ip link add "${3}c" netns "$1" type veth peer name "${3}s" netns "$2"
  ip -n "$1" addr add "$4/24" dev "${3}c"
  ip -n "$2" addr add "$5/24" dev "${3}s"
  ip -n "$1" link set "${3}c" up
  ip -n "$2" link set "${3}s" up
}

netns_attach_tap() {
  for _ in $(seq 50); do ip link show dev "$1" >/dev/null 2>&1 && break; sleep 0.1; done
  ip link set dev "$1" netns "$2"
  ip -n "$2" addr add "$3/24" dev "$1"
  ip -n "$2" link set dev "$1" up
}
