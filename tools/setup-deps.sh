#!/usr/bin/env bash
# Installs the Debian packages uk's build, tests and benchmarks use.
#   tools/setup-deps.sh          what the build and the test suite need
#   tools/setup-deps.sh --bench  also the benchmark references and load tools
# As root it installs what is missing with apt-get; otherwise it lists what
# is missing and how to install it, and fails.
set -euo pipefail

packages=(
  gcc clang cmake make libcmocka-dev   # build, unit tests, fuzz targets
  curl                                 # www tests: a real HTTP client
  nsd dnsutils knot-dnsutils           # dns tests: NSD differential, dig, kdig
  iproute2 iputils-ping dnsmasq-base tshark python3   # tap tests: netns, ping, DHCP server, pcap check
  hping3 nmap                          # tcp tests: SYN flood, odd flag probes compared with Linux
  openvswitch-switch openvswitch-testcontroller ethtool   # openflow tests: OVS as a real switch and controller
  qemu-system-x86 xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils
  linux-image-amd64 busybox-static cpio   # xen tests: Xen in QEMU, a Linux dom0 with netback
  gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf qemu-system-arm device-tree-compiler   # arm-xen: cross builds, ARM Xen in QEMU
)
if [ "${1:-}" = "--bench" ]; then
  packages+=(nginx-light wrk dnsperf linux-perf hyperfine liblwip-dev libsqlite3-dev sqlite3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-deps: missing Debian packages: ${missing[*]}" >&2
  echo "setup-deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
