# nsd_conf.sh - sourced by the benchmarks.
#   nsd_conf DIR PORT ORIGIN ZONEFILE [TCP_COUNT] [ADDRESS]
# Writes DIR/nsd.conf: a private NSD for benchmarks (one server process,
# rate limiting off, minimal responses like uk's dns, no chroot, no
# remote control, every state file in DIR) serving zone ORIGIN from
# DIR/ZONEFILE on ADDRESS:PORT (default 127.0.0.1), with at most TCP_COUNT
# (default NSD's 100) TCP connections.  Start it with nsd -c DIR/nsd.conf -d.
nsd_conf() {
    local dir=$1 port=$2 origin=$3 zonefile=$4 tcp=${5:-100} addr=${6:-127.0.0.1}
    cat > "$dir/nsd.conf" <<CONF
server:
  ip-address: $addr
  port: $port
  username: ""
  chroot: ""
  zonesdir: "$dir"
  database: ""
  pidfile: "$dir/nsd.pid"
  xfrdfile: "$dir/xfrd.state"
  zonelistfile: "$dir/zone.list"
  logfile: "$dir/nsd.log"
  server-count: 1
  tcp-count: $tcp
  rrl-ratelimit: 0
  minimal-responses: yes
  hide-version: yes
  verbosity: 0
remote-control:
  control-enable: no
zone:
  name: $origin
  zonefile: $zonefile
CONF
}
