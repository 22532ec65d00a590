#!/bin/bash
# xen-run.sh - boot a uk Xen image (UK_TARGET=xen) as a PVH guest of Xen 4.17,
# itself running under QEMU (software emulation) on a Debian 12 x86-64 host,
# print the guest's console, and exit with the guest's exit status.
#
# Usage: xen-run.sh IMAGE [options] [-- guest args...]
#   --net           give the guest a vif on dom0's bridge ukbr0 (10.0.0.1/24)
#   --vifs N        give the guest N vifs (1..8; implies --net): vif 0 on
#                   ukbr0 as with --net, vif K on its own bridge ukbrK (no
#                   address; dom0 may add ports to it), MACs 00:16:3e:75:6b:0(2+K).
#                   The guest sees them as network devices 0..N-1
#                   (of-switch: its stack on 0, switch ports on 1..N-1).
#   --disk FILE     give the guest a virtual disk backed by FILE (raw, a
#                   whole number of 512-byte sectors; it persists across
#                   runs): QEMU hands FILE to dom0 as a virtio disk, and
#                   dom0's blkback serves it to the guest (the .xl line
#                   disk = [ 'vdev=xvda, target=/dev/vda, ...' ]).  Repeat
#                   for more disks: xvda, xvdb, ... in order.  Append ",ro"
#                   to FILE for a read-only disk.
#   --timeout S     guest run-time limit in seconds (default 60)
#   --memory MIB    guest memory (default: the image's NAME.xl, else 32)
#   --log DIR       keep the full serial log (Xen + dom0 + guest) in DIR
#   --no-install    do not apt-get install missing packages
#   --dom0-cmd CMD  shell command dom0 runs once the guest is created (the
#                   rules below)
#   --dom0-file F   copy the host file F into dom0 as /guest/files/NAME
#                   (NAME: F's last path component), e.g. the expected
#                   bytes a dom0 command compares with (repeatable)
#   guest args      become the kernel command line (xl `extra`), the
#                   image's argv: e.g. -- --ipv4=10.0.0.2/24
#
# The machine: QEMU TCG (-cpu max exposes SVM+NPT, which Xen needs for PVH;
# KVM on our hosts cannot run Xen) -> Xen (Debian's xen.gz, gunzipped, loaded
# by QEMU's multiboot loader) -> a PV dom0 (Debian's kernel + a busybox
# initramfs built here and cached) -> `xl create` of the image.
#
# The dom0 command: run by busybox sh, in the background, as root in dom0,
# while dom0 watches the guest; its output reaches our stderr as
# "dom0: LINE".  PATH is /usr/sbin:/usr/bin:/sbin:/bin: busybox's applets
# (ip, ping, nc, wget, sha256sum, sleep, ...), xl, xenstore-read/-write/
# -rm/-ls, curl and dig.  dom0 is 10.0.0.1/24 on ukbr0; the guest domain is
# named `guest`.  The run ends when the guest stops, not when the command
# does: a command testing a server that never exits by itself must end with
# `xl shutdown guest` (the image sees the toolstack's shutdown request and
# exits 0), or the run lasts until --timeout (exit 124).  The command is
# written verbatim to a file, so any quoting survives.
#
# Exit status:
#   N     the guest's status: the image logs "uk: exit N" on its console and
#         then shuts down with SCHEDOP_shutdown(poweroff); Xen's shutdown
#         reason carries no code, so the line is what carries N
#   70    the guest crashed (dom0 saw it in state "crashed"), or stopped
#         without an exit line
#   124   the guest was still running at --timeout (dom0 destroyed it)
#   125   the machinery failed (QEMU, Xen or dom0, or xl create)
#   77    packages are missing and could not be installed (tests: skip)
#   2     usage
# Environment: UK_XEN_CACHE (cache directory), UK_XEN_DOM0_EXTRA (more host
# programs for dom0's PATH, e.g. /usr/lib/xen-4.17/bin/xenctx to debug).
# Every QEMU run is bounded by timeout(1) and killed on exit.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 2; }

IMAGE=; NET=0; VIFS=0; DISKS=(); DFILES=(); GTIME=60; GMEM=; LOGDIR=; INSTALL=1; DOM0CMD=; GARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --net) NET=1;;
    --vifs) VIFS=${2:?}; NET=1; shift;;
    --disk) DISKS+=("${2:?}"); shift;;
    --timeout) GTIME=${2:?}; shift;;
    --memory) GMEM=${2:?}; shift;;
    --log) LOGDIR=${2:?}; shift;;
    --no-install) INSTALL=0;;
    --dom0-cmd) DOM0CMD=${2:?}; shift;;
    --dom0-file) DFILES+=("${2:?}"); shift;;
    --) shift; GARGS=("$@"); break;;
    -h|--help) usage;;
    -*) echo "xen-run: unknown option $1" >&2; usage;;
    *) [ -z "$IMAGE" ] || usage; IMAGE=$1;;
  esac
  shift
done
[ -n "$IMAGE" ] || usage
[ -f "$IMAGE" ] || { echo "xen-run: no such image: $IMAGE" >&2; exit 2; }
case $GTIME in ''|*[!0-9]*) echo "xen-run: --timeout wants seconds" >&2; exit 2;; esac
case $VIFS in [0-8]) ;; *) echo "xen-run: --vifs wants 1..8" >&2; exit 2;; esac
if [ $NET = 1 ] && [ $VIFS = 0 ]; then VIFS=1; fi
IMAGE=$(readlink -f "$IMAGE")
[ ${#DISKS[@]} -le 8 ] || { echo "xen-run: at most 8 --disk" >&2; exit 2; }
for d in "${DISKS[@]+"${DISKS[@]}"}"; do
  f=${d%,ro}
  [ -f "$f" ] || { echo "xen-run: --disk: no such file: $f" >&2; exit 2; }
  [ $(( $(stat -c %s "$f") % 512 )) = 0 ] ||
    { echo "xen-run: --disk: $f is not a whole number of 512-byte sectors" >&2; exit 2; }
done
for f in "${DFILES[@]+"${DFILES[@]}"}"; do
  [ -f "$f" ] || { echo "xen-run: --dom0-file: no such file: $f" >&2; exit 2; }
done
ME=$(readlink -f "$0")

# ---- packages -------------------------------------------------------------
PKGS="qemu-system-x86 xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils
      linux-image-amd64 busybox-static cpio gzip curl bind9-dnsutils"
missing=
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ $INSTALL = 1 ] && [ "$(id -u)" = 0 ]; then
    echo "xen-run: installing$missing" >&2
    # Another apt may hold the dpkg lock: wait for it rather than fail.
    if ! { apt-get -o DPkg::Lock::Timeout=600 update -qq &&
           DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
             install -y -qq --no-install-recommends $missing; } >&2; then
      echo "xen-run: SKIP: cannot install$missing" >&2; exit 77
    fi
  else
    echo "xen-run: SKIP: missing packages:$missing (run as root without --no-install)" >&2
    exit 77
  fi
fi

KVER=$(cd /boot && ls vmlinuz-*-amd64 2>/dev/null | sed 's/^vmlinuz-//' | sort -V | tail -1)
XENGZ=$(ls /boot/xen-4.17-amd64.gz 2>/dev/null || true)
[ -n "$KVER" ] && [ -n "$XENGZ" ] || { echo "xen-run: SKIP: no dom0 kernel or xen.gz in /boot" >&2; exit 77; }

CACHE=${UK_XEN_CACHE:-${TMPDIR:-/tmp}/uk-xen-cache}
mkdir -p "$CACHE"
RUN=$(mktemp -d "${TMPDIR:-/tmp}/uk-xen-run.XXXXXX")
QPID=
cleanup() {
  if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then kill "$QPID" 2>/dev/null || true; fi
  if [ -n "$LOGDIR" ] && [ -f "$RUN/serial.log" ]; then mkdir -p "$LOGDIR"; cp "$RUN/serial.log" "$LOGDIR/"; fi
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- Xen: QEMU's multiboot loader wants the uncompressed ELF ---------------
XEN=$CACHE/xen-4.17.elf
if [ ! -s "$XEN" ] || [ "$XENGZ" -nt "$XEN" ]; then
  zcat "$XENGZ" > "$XEN.$$.tmp" && mv "$XEN.$$.tmp" "$XEN"
fi

# ---- dom0 initramfs (cached) ------------------------------------------------
# Host programs copied into dom0 with the shared libraries ldd lists (curl
# and dig are there for the tests: fetching from and querying a guest).
DOM0_BINS="/usr/lib/xen-4.17/bin/xl /usr/lib/xen-4.17/bin/xenstored
  /usr/lib/xen-4.17/bin/xenconsoled /usr/lib/xen-4.17/bin/xen-init-dom0
  /usr/bin/xenstore-read /usr/bin/xenstore-write /usr/bin/xenstore-rm
  /usr/bin/xenstore-ls /usr/bin/curl /usr/bin/dig ${UK_XEN_DOM0_EXTRA:-}"
# Every host file the initramfs is made of, binaries and libraries.
dom0_inputs() {
  local b
  for b in $DOM0_BINS; do
    [ -x "$b" ] || { echo "xen-run: missing $b" >&2; return 1; }
    echo "$b"; ldd "$b" | grep -o '/[^ ]*'
  done
  ls /lib/x86_64-linux-gnu/libgcc_s.so.1 /bin/busybox 2>/dev/null
}
# The cache key: this script, the kernel, and the identity (path, size,
# mtime) of every input file, so a changed script or host package
# rebuilds it.
INPUTS=$(dom0_inputs | sort -u) || { echo "xen-run: cannot list dom0's programs" >&2; exit 125; }
KEY=$({ sha1sum "$ME" "${ME%/*}/uk-block"; echo "$KVER"; for f in $INPUTS; do stat -L -c '%n %s %Y' "$f"; done; } |
      sha1sum | cut -c1-12)
DOM0=$CACHE/dom0-$KVER-$KEY.cpio.gz
build_dom0() {
  local R=$RUN/dom0 b l m
  mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,lib/modules,etc/xen/scripts,proc,sys,dev,run,tmp,guest,var/lib/xen,var/log/xen/console,var/lib/xenstored}
  ln -s ../run "$R/var/run"
  cp /bin/busybox "$R/bin/"
  for b in $("$R/bin/busybox" --list); do [ -e "$R/bin/$b" ] || ln -s busybox "$R/bin/$b"; done
  for b in $DOM0_BINS; do
    [ -x "$b" ] || { echo "xen-run: missing $b" >&2; return 1; }
    cp "$b" "$R/usr/sbin/"
    for l in $(ldd "$b" | grep -o '/[^ ]*'); do mkdir -p "$R${l%/*}"; cp -Ln "$l" "$R$l"; done
  done
  # dig links libxml2 -> ICU, whose 30 MB data library dig never reads
  # (ICU loads it only for conversions): a stub defining its one symbol
  # keeps the initramfs small enough for dom0 to unpack.
  for l in "$R"/lib/x86_64-linux-gnu/libicudata.so.*; do
    if [ -f "$l" ] && [ "$(stat -c %s "$l")" -gt 1000000 ]; then
      printf 'const char icudt%s_dat[64] __attribute__((aligned(16))) = {0};\n' \
        "$(echo "${l##*/}" | sed 's/libicudata.so.\([0-9]*\).*/\1/')" > "$RUN/icustub.c"
      gcc -shared -fPIC -o "$RUN/icustub.so" "$RUN/icustub.c" \
        -Wl,-soname,"$(echo "${l##*/}" | sed 's/\(libicudata.so.[0-9]*\).*/\1/')" &&
        cp "$RUN/icustub.so" "$l"
    fi
  done
  # glibc dlopen()s libgcc_s for thread cancellation (xl uses it); ldd
  # cannot see that.
  l=$(ls /lib/x86_64-linux-gnu/libgcc_s.so.1 2>/dev/null || true)
  if [ -n "$l" ]; then cp -L "$l" "$R/lib/x86_64-linux-gnu/"; fi
  cp /etc/xen/xl.conf "$R/etc/xen/" 2>/dev/null || : > "$R/etc/xen/xl.conf"
  # dig wants a resolver configuration even when given @server.
  echo "nameserver 127.0.0.1" > "$R/etc/resolv.conf"
  printf 'root:x:0:0:root:/:/bin/sh\n' > "$R/etc/passwd"
  for m in drivers/xen/xen-evtchn drivers/xen/xen-gntdev drivers/xen/xen-gntalloc \
           drivers/xen/xen-privcmd drivers/xen/xenfs/xenfs net/llc/llc net/802/stp \
           net/bridge/bridge drivers/net/xen-netback/xen-netback \
           drivers/virtio/virtio_ring drivers/virtio/virtio \
           drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev \
           drivers/virtio/virtio_pci drivers/block/virtio_blk \
           drivers/block/xen-blkback/xen-blkback; do
    cp "/lib/modules/$KVER/kernel/$m.ko" "$R/lib/modules/"
  done
  # vif hotplug: put the backend interface on the bridge and say so in
  # xenstore (netback waits for hotplug-status before it connects).
  cat > "$R/etc/xen/scripts/uk-vif" <<'EOF'
#!/bin/sh
br=$(xenstore-read "$XENBUS_PATH/bridge" 2>/dev/null || echo ukbr0)
case $1 in
online|add)
  ip link set "$vif" master "$br"; ip link set "$vif" up
  xenstore-write "$XENBUS_PATH/hotplug-status" connected;;
offline|remove)
  ip link set "$vif" down 2>/dev/null
  xenstore-rm "$XENBUS_PATH/hotplug-status" 2>/dev/null;;
esac
exit 0
EOF
  chmod +x "$R/etc/xen/scripts/uk-vif"
  # vbd hotplug (tools/xen/uk-block): points blkback at the disk.
  cp "${ME%/*}/uk-block" "$R/etc/xen/scripts/uk-block" || return 1
  # Also under the default name: `xl network-attach` may not pass script=.
  ln -s uk-vif "$R/etc/xen/scripts/vif-bridge"
  # dom0's /init.  Lines starting "UKDOM0:" are for the host side; guest
  # console lines are relayed as "UKGUEST: <line>".
  cat > "$R/init" <<'EOF'
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /dev/pts; mount -t devpts devpts /dev/pts; mount -t tmpfs run /run
mkdir -p /run/xen /run/xenstored /var/log/xen/console
. /guest/params
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs llc stp bridge xen-netback \
         virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci \
         virtio_blk xen-blkback; do
  insmod /lib/modules/$m.ko 2>/dev/null || echo "UKDOM0: insmod $m failed"
done
mount -t xenfs xenfs /proc/xen
xenstored --pid-file /run/xen/xenstored.pid || echo "UKDOM0: xenstored failed"
xen-init-dom0 >/dev/null || echo "UKDOM0: xen-init-dom0 failed"
xenconsoled --pid-file=/run/xen/xenconsoled.pid --log=guest \
  --log-dir=/var/log/xen/console || echo "UKDOM0: xenconsoled failed"
ip link set lo up
ip link add ukbr0 type bridge && ip addr add 10.0.0.1/24 dev ukbr0 && ip link set ukbr0 up
i=1
while [ $i -lt ${VIFS:-0} ]; do   # the other vifs' bridges (--vifs)
  ip link add ukbr$i type bridge && ip link set ukbr$i up
  i=$((i + 1))
done
# The guest's disks: wait (some seconds at most) for virtio to find them.
i=0
while [ "${NDISKS:-0}" -gt 0 ] && [ $(ls /sys/block | grep -c '^vd') -lt "$NDISKS" ] && [ $i -lt 50 ]; do
  sleep 0.2; i=$((i + 1))
done
echo "UKDOM0: up $(cut -d' ' -f1 /proc/uptime)"
if ! xl create /guest/guest.cfg; then
  echo "UKDOM0: result create-failed"
else
  log=/var/log/xen/console/guest-guest.log; touch $log
  tail -n +1 -f $log | while IFS= read -r l; do echo "UKGUEST: $l"; done &
  relay=$!
  # The test command's output goes to a file, relayed live like the
  # guest's console and printed again, counted, at the end.
  cmdlog=/run/cmd.log; : > $cmdlog; cmd=
  if [ -s /guest/cmd ]; then
    sh /guest/cmd > $cmdlog 2>&1 & cmd=$!
    tail -n +1 -f $cmdlog | while IFS= read -r l; do echo "UKDOM0-CMD: $l"; done &
    cmdrelay=$!
  fi
  t0=$(cut -d. -f1 /proc/uptime); state=running
  while :; do
    st=$(xl list guest 2>/dev/null | awk 'NR==2 {print $5}')
    case $st in
      '') state=gone; break;;
      *c*) state=crashed; break;;
      *s*) state=shutdown; break;;
    esac
    [ $(( $(cut -d. -f1 /proc/uptime) - t0 )) -ge $GTIME ] && { state=timeout; break; }
    sleep 1
  done
  # the command's last lines (it may end with `xl shutdown`): wait a little
  i=0; while [ -n "$cmd" ] && kill -0 $cmd 2>/dev/null && [ $i -lt 20 ]; do sleep 1; i=$((i+1)); done
  # busybox tail -f polls once a second: let it relay the last lines
  sleep 2; kill $relay 2>/dev/null; [ -z "$cmd" ] || kill $cmdrelay 2>/dev/null
  xl destroy guest 2>/dev/null
  echo "UKDOM0: result $state"
  # The whole console again, counted: the host trusts this copy (a busy
  # serial line may lose a live line).
  n=0
  while IFS= read -r l; do echo "UKLOG: $l"; n=$((n+1)); done < $log
  echo "UKLOG-END $n $state"
  n=0
  while IFS= read -r l; do echo "UKCMD: $l"; n=$((n+1)); done < $cmdlog
  echo "UKCMD-END $n"
fi
echo "UKDOM0: done"
poweroff -f
EOF
  chmod +x "$R/init"
  (cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$DOM0.$$.tmp"
  mv "$DOM0.$$.tmp" "$DOM0"
}
if [ ! -s "$DOM0" ]; then
  echo "xen-run: building the dom0 initramfs (cached in $CACHE)" >&2
  for f in "$CACHE"/dom0-*.cpio.gz; do   # left by older versions of this script
    if [ "$f" != "$DOM0" ]; then rm -f "$f"; fi
  done
  build_dom0 || { echo "xen-run: cannot build the dom0 initramfs" >&2; exit 125; }
fi

# ---- the guest: image + xl config, appended to dom0's initramfs ------------
XL=${IMAGE%.elf}.xl
G=$RUN/ov/guest; mkdir -p "$G"
cp "$IMAGE" "$G/kernel"
quote_args() { local a out=; for a in "$@"; do out="$out ${a//\'/}"; done; printf '%s' "${out# }"; }
EXTRA=$(quote_args "${GARGS[@]+"${GARGS[@]}"}")
{
  if [ -f "$XL" ]; then
    # The image's own config, with the paths and run-time settings replaced.
    grep -v -E '^[[:space:]]*(name|kernel|extra|on_poweroff|on_crash|on_reboot|vif)[[:space:]]*=' "$XL" |
      { if [ -n "$GMEM" ]; then grep -v -E '^[[:space:]]*memory[[:space:]]*='; else cat; fi; }
  else
    printf 'type = "pvh"\nvcpus = 1\ntsc_mode = "native"\n'
    if [ -z "$GMEM" ]; then echo "memory = 32"; fi
  fi
  if [ -n "$GMEM" ]; then echo "memory = $GMEM"; fi
  echo "name = 'guest'"
  echo "kernel = '/guest/kernel'"
  echo "extra = '$EXTRA'"
  # Preserve the domain after it stops so dom0 can read why it stopped.
  echo "on_poweroff = 'preserve'"; echo "on_crash = 'preserve'"; echo "on_reboot = 'preserve'"
  if [ $VIFS -gt 0 ]; then
    v=
    for ((i = 0; i < VIFS; i++)); do
      v="$v${v:+, }'mac=00:16:3e:75:6b:$(printf %02x $((2 + i))),bridge=ukbr$i,script=uk-vif'"
    done
    echo "vif = [ $v ]"
  fi
  if [ ${#DISKS[@]} -gt 0 ]; then
    # QEMU's virtio disks appear in dom0 as /dev/vda, /dev/vdb, ...
    i=0; line=; LETTERS=abcdefgh
    for d in "${DISKS[@]}"; do
      l=${LETTERS:i:1}
      acc=rw; case $d in *,ro) acc=ro;; esac
      line="$line${line:+, }'format=raw, vdev=xvd$l, access=$acc, script=uk-block, target=/dev/vd$l'"
      i=$((i + 1))
    done
    echo "disk = [ $line ]"
  fi
} > "$G/guest.cfg"
printf 'GTIME=%s\nVIFS=%s\nNDISKS=%s\n' "$GTIME" "$VIFS" ${#DISKS[@]} > "$G/params"
[ -z "$DOM0CMD" ] || printf "%s\n" "$DOM0CMD" > "$G/cmd"   # verbatim: quoting survives
for f in "${DFILES[@]+"${DFILES[@]}"}"; do
  mkdir -p "$G/files"
  [ ! -e "$G/files/${f##*/}" ] || { echo "xen-run: --dom0-file: two files named ${f##*/}" >&2; exit 2; }
  cp "$f" "$G/files/"
done
(cd "$RUN/ov" && find . | cpio -o -H newc --quiet | gzip -1) > "$RUN/guest.cpio.gz"
cat "$DOM0" "$RUN/guest.cpio.gz" > "$RUN/initrd.cpio.gz"

# ---- boot -------------------------------------------------------------------
# Xen: serial console (QEMU's stdio), smap=0 (PV dom0 faults under QEMU
# TCG's SMAP otherwise), guest debug output (port 0xE9) logged; Xen's own
# log level stays default, so its messages do not crowd the serial line.
XENCMD="console=com1 com1=115200,8n1 smap=0 guest_loglvl=all dom0_mem=384M,max:384M dom0_max_vcpus=1"
DOM0CMDLINE="console=hvc0 earlyprintk=xen loglevel=4 rdinit=/init"
LIMIT=$((GTIME + 240))
QDISKS=()
for d in "${DISKS[@]+"${DISKS[@]}"}"; do
  ro=; case $d in *,ro) ro=,readonly=on;; esac
  QDISKS+=(-drive "file=$(readlink -f "${d%,ro}"),format=raw,if=virtio,cache=writeback$ro")
done
: > "$RUN/serial.raw"
timeout -k 5 "$LIMIT" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 -m 768 \
  -machine pc -nographic -no-reboot -nodefaults -monitor none -serial stdio \
  -kernel "$XEN" -append "$XENCMD" \
  -initrd "/boot/vmlinuz-$KVER $DOM0CMDLINE,$RUN/initrd.cpio.gz" \
  "${QDISKS[@]+"${QDISKS[@]}"}" \
  < /dev/null > "$RUN/serial.raw" 2>&1 &
QPID=$!

# Follow the serial output: relay guest lines live (when stdout is a
# terminal; otherwise the counted copy dom0 prints at the end is printed),
# stop QEMU if Xen or dom0 died or if it does not power off after dom0 is
# done.
LIVE=0; if [ -t 1 ]; then LIVE=1; fi
. "${ME%/*}/serial-lines.sh"
T0=$SECONDS; done_at=; fatal_at=; nlines=0; paused=; cut=
while :; do
  rc=0; read_serial_line || rc=$?
  if [ $rc = 2 ] && [ -n "$serial_part" ]; then paused=1; fi
  if [ $rc = 0 ] || { [ $rc = 1 ] && [ -n "$line" ]; }; then
    nlines=$((nlines + 1))
    if [ -n "$paused" ]; then cut="$cut $nlines"; paused=; fi
    line=${line//$'\r'/}
    printf '[%4ds] %s\n' $((SECONDS - T0)) "$line" >> "$RUN/serial.log"
    case $line in
      UKGUEST:\ *) if [ $LIVE = 1 ]; then printf '%s\n' "${line#UKGUEST: }"; fi;;
      UKDOM0-CMD:\ *) if [ $LIVE = 1 ]; then printf 'dom0: %s\n' "${line#UKDOM0-CMD: }" >&2; fi;;
      *"UKDOM0: done"*) done_at=$SECONDS;;
      *"Panic on CPU"*|*"Kernel panic"*|*"Hardware Dom0 crashed"*) fatal_at=${fatal_at:-$SECONDS};;
    esac
  fi
  if [ $rc != 0 ]; then kill -0 "$QPID" 2>/dev/null || break; fi
  if { [ -n "$done_at" ] && [ $((SECONDS - done_at)) -gt 20 ]; } ||
     { [ -n "$fatal_at" ] && [ $((SECONDS - fatal_at)) -gt 2 ]; }; then
    kill "$QPID" 2>/dev/null || true
  fi
done < <(tail -n +1 -f --pid="$QPID" "$RUN/serial.raw")
wait "$QPID" 2>/dev/null || true
QPID=
# The log's own evidence of a loaded machine: which of its lines stalled
# mid-way for over a second (kept whole by read_serial_line).
printf '[%4ds] xen-run: lines that paused mid-way:%s\n' $((SECONDS - T0)) "${cut:- none}" >> "$RUN/serial.log"

# The guest's console: dom0's counted copy if it arrived whole, else the
# live lines.
sed -n 's/^\[ *[0-9]*s\] UKLOG: //p' "$RUN/serial.log" > "$RUN/console"
end=$(sed -n 's/.*UKLOG-END \([0-9]*\) \([a-z-]*\).*/\1 \2/p' "$RUN/serial.log" | tail -1)
result=${end#* }
if [ -z "$end" ] || [ "${end%% *}" != "$(wc -l < "$RUN/console")" ]; then
  sed -n 's/^\[ *[0-9]*s\] UKGUEST: //p' "$RUN/serial.log" > "$RUN/console"
  result=$(sed -n 's/.*UKDOM0: result \([a-z-]*\).*/\1/p' "$RUN/serial.log" | tail -1)
  if [ -n "$result" ]; then echo "xen-run: warning: the guest console may be incomplete" >&2; fi
fi
if [ $LIVE = 0 ]; then cat "$RUN/console"; fi
# dom0's command output, likewise: the counted copy, else the live lines
# (a loaded machine's serial line can lose a live line: issue 14).
sed -n 's/^\[ *[0-9]*s\] UKCMD: //p' "$RUN/serial.log" > "$RUN/dom0cmd"
cend=$(sed -n 's/.*UKCMD-END \([0-9]*\).*/\1/p' "$RUN/serial.log" | tail -1)
if [ -z "$cend" ] || [ "$cend" != "$(wc -l < "$RUN/dom0cmd")" ]; then
  sed -n 's/^\[ *[0-9]*s\] UKDOM0-CMD: //p' "$RUN/serial.log" > "$RUN/dom0cmd"
  if [ -s "$RUN/dom0cmd" ]; then echo "xen-run: warning: dom0's command output may be incomplete" >&2; fi
fi
if [ $LIVE = 0 ]; then sed 's/^/dom0: /' "$RUN/dom0cmd" >&2; fi
code=$(sed -n 's/^uk: exit \([0-9]*\)$/\1/p' "$RUN/console" | tail -1)
echo "xen-run: guest $IMAGE: ${result:-no result} after $((SECONDS - T0))s" >&2
case $result in
  shutdown|gone)
    if [ -n "$code" ]; then exit "$code"; fi
    echo "xen-run: the guest stopped without an exit line" >&2; exit 70;;
  crashed)
    grep -a -E '\(d[0-9]+\)|UKGUEST: uk: fatal' "$RUN/serial.log" | tail -5 >&2 || true
    exit 70;;
  timeout) echo "xen-run: the guest still ran after ${GTIME}s" >&2; exit 124;;
  *)
    echo "xen-run: Xen/dom0 failed; last serial lines:" >&2
    tail -25 "$RUN/serial.log" >&2 || true
    exit 125;;
esac
