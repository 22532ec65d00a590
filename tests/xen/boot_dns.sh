#!/bin/bash
# boot_dns.sh SRC BUILD [CC]: builds examples/dns for the xen target (its
# embedded zones/, example.org) and boots it with a vif and
# --ipv4=10.0.0.2/24; it serves on port 53, the xen default.  dom0 asks dig
# over netfront, UDP and TCP: A, AAAA, a CNAME chain, SOA, MX, a name that
# does not exist (NXDOMAIN, authoritative) and a zone it does not serve
# (REFUSED); each answer's contents are compared.  `xl shutdown` must stop
# the image with exit 0.  Exit 77 (skip) without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$(dirname "$0")/netboot.sh"
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" dns
image=$build/examples/dns/dns
# q LABEL DIG-ARGS: one line "LABEL: answer lines joined by spaces".
cmd="$DOM0_WAIT_UP"'
q() { l=$1; shift; echo "$l: $(dig @10.0.0.2 +time=5 +tries=2 "$@" | tr "\n" " ")"; }
q a +short www.example.org A
q aaaa +short www.example.org AAAA
q cname +short ftp.example.org A
q soa +short example.org SOA
q mx +short example.org MX
q tcp +tcp +short www.example.org A
q nx +noall +comments nope.example.org A
q refused +noall +comments www.example.com A
xl shutdown guest'
boot_with_vif "$image" 90 "$cmd" --ipv4=10.0.0.2/24
expect() { # expect LABEL REGEX WHAT
  grep -E -q "^dom0: $1: $2" "$out" || { echo "FAIL: dig $1: $3"; exit 1; }
}
grep -q '^dns: serving 1 zone(s), .* on port 53 (udp+tcp)' "$out" || { echo "FAIL: dns did not start on port 53"; exit 1; }
expect a '192\.0\.2\.80 $' 'A of www.example.org is not 192.0.2.80'
expect aaaa '2001:db8::80 $' 'AAAA of www.example.org is not 2001:db8::80'
expect cname 'www\.example\.org\. 192\.0\.2\.80 $' 'ftp.example.org is not a CNAME to www (192.0.2.80)'
expect soa 'ns1\.example\.org\. hostmaster\.example\.org\. 2026112701 7200 1800 1209600 300 $' 'wrong SOA'
expect mx '10 mail\.example\.org\. $' 'wrong MX'
expect tcp '192\.0\.2\.80 $' 'no answer over TCP'
expect nx '.*status: NXDOMAIN.* flags: qr aa' 'a missing name is not an authoritative NXDOMAIN'
expect refused '.*status: REFUSED' 'a zone not served is not REFUSED'
grep -q '^uk: shutdown requested by the toolstack' "$out" || { echo "FAIL: xl shutdown was not seen"; exit 1; }
echo "PASS: dig from dom0 over netfront (UDP and TCP) gets the zone's answers"
