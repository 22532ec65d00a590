#!/bin/bash
# arm-xen-run.sh - boots an arm-xen image (NAME.img, or its ELF with
# NAME.img beside it) as a "dom0less" guest of Xen 4.17 for ARM inside QEMU
# (TCG) on a Debian 12 host, prints the guest's console on stdout and exits
# with the guest's status.
#
#   tools/arm-xen/arm-xen-run.sh IMAGE [--arch arm64|armv7] [--xen arm64|arm32]
#       [--timeout S] [--memory MIB] [--gic 2|3] [--cpu CPU] [--log DIR]
#       [--no-install] [--net [--vifs N] [--dom0-cmd CMD] [--disk FILE]...]
#       [-- guest args...]
#
# --arch    what IMAGE must be (default: read from its header)
# --xen     arm64: 64-bit Xen in qemu-system-aarch64 (cortex-a57, GICv3 by
#           default), runs arm64 and armv7 guests; arm32: 32-bit Xen in
#           qemu-system-arm (cortex-a7, GICv2), armv7 guests only.
#           Default arm64.
# --memory  guest RAM in MiB (default: the image's extent + 64, >= 256)
# --log DIR keep the Xen console log, DTS and QEMU command line in DIR
# Guest args become the guest's command line (the module's bootargs).
# --net     boot an arm64 Linux dom0 instead (tools/arm-xen/dom0.sh: xl,
#           xenstored, xenconsoled, netback, bridge ukbr0 = 10.0.0.1/24,
#           built from Debian arm64 packages and cached) which `xl create`s
#           the image with a vif on ukbr0 (MAC 00:16:3e:75:6b:02), so the
#           guest has xenstore, the console ring and netfront.  arm64 Xen
#           only.  dom0 boots in some seconds under TCG.
# --vifs N  (implies --net) N vifs, 1..8: vif 0 on ukbr0 as with --net,
#           vif K on its own bridge ukbrK (no address), MAC
#           00:16:3e:75:6b:0(2+K); the guest's network devices 0..N-1
#           (of-switch: its stack on 0, switch ports on 1..N-1).
# --disk FILE  (with --net) give the guest a virtual disk backed by FILE
#           (raw, a whole number of 512-byte sectors; it persists across
#           runs): QEMU hands FILE to dom0 as a virtio-mmio disk, dom0's
#           blkback serves it (the .xl line disk = [ 'vdev=xvda,
#           target=/dev/vda, ...' ]).  Repeat for xvdb, ...; append ",ro"
#           for a read-only disk.
# --dom0-cmd CMD  shell command dom0 runs (busybox sh, as root) once the
#           guest is created; PATH has busybox's applets (ip, ping, nc,
#           wget, sha256sum, ...), xl, xenstore-* and curl; dom0 is
#           10.0.0.1/24 on ukbr0 and the domain is named `guest`.  Its
#           output goes to stderr prefixed "dom0: "; when it returns, dom0
#           `xl shutdown`s the guest itself (unlike tools/xen/xen-run.sh,
#           where the command must end with `xl shutdown guest`).
#
# What it needs, installed with apt-get when missing (as root):
# qemu-system-arm (has qemu-system-aarch64 too), device-tree-compiler, and
# Xen itself: xen-hypervisor-4.17-arm64 / -armhf, foreign-architecture
# packages fetched with `apt-get download` after `dpkg --add-architecture`
# and unpacked (dpkg -x) into a cache, $UK_ARM_XEN_CACHE (default
# /var/cache/uk/arm-xen); nothing of Xen is installed into /.
#
# The device tree is QEMU's own (dumpdtb, same machine options) plus the
# dom0less nodes under /chosen: Xen's command line (console on the UART,
# bootscrub=0 since scrubbing RAM takes seconds under TCG, guest_loglvl=all
# so guest console_io output is printed as "(d1) ...") and one domU whose
# kernel module is IMAGE, loaded by QEMU at 0x50000000.  Module "reg" is
# read with the domU node's #address-cells/#size-cells, both 2 here.
#
# The guest ends with a console line "uk: exit N" (then SCHEDOP_shutdown,
# which a dom0less Xen does not report): we stop QEMU at that line.
# Exit status: N; 70 the guest crashed ("uk: fatal: ..."); 71 Xen
# panicked; 124 timeout; 125 machinery failure; 77 QEMU/Xen unavailable
# (skip).
set -u
me=arm-xen-run
die() { echo "$me: $*" >&2; exit 125; }
skip() { echo "$me: SKIP: $*" >&2; exit 77; }

image= arch= xen=arm64 timeout=60 memory= gic= cpu= logdir= install=1
net=0 vifs=0 dom0cmd= disks=()
guest_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --arch) arch=$2; shift 2;;
    --xen) xen=$2; shift 2;;
    --timeout) timeout=$2; shift 2;;
    --memory) memory=$2; shift 2;;
    --gic) gic=$2; shift 2;;
    --cpu) cpu=$2; shift 2;;
    --log) logdir=$2; shift 2;;
    --no-install) install=0; shift;;
    --net) net=1; shift;;
    --vifs) vifs=$2; net=1; shift 2;;
    --dom0-cmd) dom0cmd=$2; shift 2;;
    --disk) disks+=("$2"); shift 2;;
    --) shift; guest_args=("$@"); break;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    -*) die "unknown option $1 (see --help)";;
    *) [ -z "$image" ] || die "one image only"; image=$1; shift;;
  esac
done
[ -n "$image" ] || die "usage: $me IMAGE [options] [-- guest args] (see --help)"
[ -f "$image" ] || die "no such file: $image"
# An ELF: boot the raw image written beside it.
if [ "$(head -c4 "$image" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
  [ -f "$image.img" ] || die "$image is an ELF and $image.img does not exist"
  image=$image.img
fi
if [ "$(od -An -tx1 -j56 -N4 "$image" | tr -d ' ')" = 41524d64 ]; then
  kind=arm64
elif [ "$(od -An -tx4 -j36 -N4 "$image" | tr -d ' ')" = 016f2818 ]; then
  kind=armv7
else
  die "$image: neither an arm64 Image nor an armv7 zImage"
fi
[ -z "$arch" ] || [ "$arch" = "$kind" ] || die "$image is an $kind image, not $arch"
case $xen in
  arm64) qemu=qemu-system-aarch64 darch=arm64 cpu=${cpu:-cortex-a57}
         gic=${gic:-3} ram=2048 mprops=;;
  arm32) qemu=qemu-system-arm darch=armhf cpu=${cpu:-cortex-a7}
         gic=${gic:-2} ram=1024 mprops=,highmem=off
         [ "$kind" = armv7 ] || die "32-bit Xen runs armv7 guests only";;
  *) die "--xen must be arm64 or arm32";;
esac
case $timeout in ''|*[!0-9]*) die "--timeout takes whole seconds";; esac
case $vifs in [0-8]) ;; *) die "--vifs takes 1..8";; esac
if [ $net = 1 ] && [ $vifs = 0 ]; then vifs=1; fi
[ $net = 0 ] || [ $xen = arm64 ] || die "--net needs --xen arm64 (the dom0 is arm64 Linux)"
[ $net = 1 ] || [ -z "$dom0cmd" ] || die "--dom0-cmd needs --net"
[ $net = 1 ] || [ ${#disks[@]} = 0 ] || die "--disk needs --net (blkback runs in dom0)"
[ ${#disks[@]} -le 8 ] || die "at most 8 --disk"
qdisks=() xldisks= letters=abcdefgh i=0
for d in "${disks[@]+"${disks[@]}"}"; do
  f=${d%,ro}
  [ -f "$f" ] || die "--disk: no such file: $f"
  [ $(( $(stat -L -c %s "$f") % 512 )) = 0 ] || die "--disk: $f is not a whole number of 512-byte sectors"
  l=${letters:i:1} ro= acc=rw i=$((i + 1))
  case $d in *,ro) ro=,readonly=on acc=ro;; esac
  qdisks+=(-drive "if=none,id=ukd$l,format=raw,cache=writeback,file=$(realpath "$f")$ro"
           -device "virtio-blk-device,drive=ukd$l")
  xldisks="$xldisks${xldisks:+, }'format=raw, vdev=xvd$l, access=$acc, script=uk-block, target=/dev/vd$l'"
done

# ---- tools and Xen ---------------------------------------------------------
need=()
command -v $qemu >/dev/null || need+=(qemu-system-arm)
command -v dtc >/dev/null || need+=(device-tree-compiler)
if [ ${#need[@]} -gt 0 ]; then
  [ $install = 1 ] && [ "$(id -u)" = 0 ] || skip "missing ${need[*]} (run as root, or apt-get install them)"
  echo "$me: installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1; } ||
    skip "apt-get install ${need[*]} failed"
fi
cache=${UK_ARM_XEN_CACHE:-/var/cache/uk/arm-xen}
pkg=xen-hypervisor-4.17-$darch
xenbin=$cache/$pkg/boot/xen-4.17-$darch
if [ ! -f "$xenbin" ]; then
  [ $install = 1 ] && [ "$(id -u)" = 0 ] || skip "no $xenbin (run as root to fetch $pkg)"
  mkdir -p "$cache/debs" || skip "cannot create $cache"
  # A foreign-architecture package: dpkg must know the architecture and
  # apt its package lists.  Lock against a concurrent fetch.
  (
    flock 9
    [ -f "$xenbin" ] && exit 0
    dpkg --print-foreign-architectures | grep -qx $darch ||
      { dpkg --add-architecture $darch && apt-get update -q >/dev/null 2>&1; }
    cd "$cache/debs" &&
      { apt-get download -q $pkg:$darch >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1; apt-get download -q $pkg:$darch >/dev/null 2>&1; }; } &&
      rm -rf "$cache/$pkg.tmp" && dpkg -x "$(ls -t ${pkg}_*_$darch.deb | head -1)" "$cache/$pkg.tmp" &&
      rm -rf "$cache/$pkg" && mv "$cache/$pkg.tmp" "$cache/$pkg"
  ) 9>"$cache/.lock"
  [ -f "$xenbin" ] || skip "could not fetch $pkg:$darch with apt-get download"
fi

if [ $net = 1 ]; then
  . "$(dirname "$0")/dom0.sh"
  command -v cpio >/dev/null || skip "cpio is needed for --net (apt-get install cpio)"
  if [ $install = 0 ] || [ "$(id -u)" != 0 ]; then
    uk_dom0_cached "$cache" || skip "no cached arm64 dom0 (run as root to fetch it)"
  fi
  uk_dom0_build "$cache" || skip "cannot build the arm64 dom0 (see above)"
fi

# ---- device tree -------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/uk-arm-xen-run.XXXXXX") || die "mktemp failed"
qpid=
cleanup() {
  if [ -n "$qpid" ]; then kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null; fi
  if [ -n "$logdir" ]; then mkdir -p "$logdir" && cp -f "$work"/* "$logdir"/ 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 125' INT TERM HUP

machine="virt,virtualization=on,gic-version=$gic$mprops"
qargs=(-cpu "$cpu" -smp 1 -m $ram -display none -nodefaults
       "${qdisks[@]+"${qdisks[@]}"}")
# QEMU's own device tree for exactly these options, then Xen's additions.
$qemu -M "$machine,dumpdtb=$work/base.dtb" "${qargs[@]}" >/dev/null 2>&1 ||
  die "$qemu could not dump its device tree (machine $machine, cpu $cpu)"
dtc -q -I dtb -O dts -o "$work/base.dts" "$work/base.dtb" || die "dtc could not read QEMU's DTB"
uart=$(sed -n 's/.*stdout-path = "\([^"]*\)".*/\1/p' "$work/base.dts" | head -1)
[ -n "$uart" ] || die "no stdout-path in QEMU's device tree"

size=$(stat -L -c %s "$image")
extent=$size
if [ -f "${image%.img}" ] && command -v readelf >/dev/null; then
  # .bss follows the file in RAM: size the guest from the ELF's extent.
  while read -r t _ va _ _ msz _; do
    [ "$t" = LOAD ] || continue
    e=$(( va + msz - 0x40000000 ))
    [ $e -le $extent ] || extent=$e
  done < <(readelf -lW "${image%.img}" 2>/dev/null)
fi
if [ -z "$memory" ]; then
  memory=$(( (extent >> 20) + 64 ))
  [ $memory -ge 256 ] || memory=256
fi
bootargs=$(printf '%s ' "${guest_args[@]}")
bootargs=${bootargs% }
bootargs=${bootargs//\\/\\\\}
bootargs=${bootargs//\"/\\\"}
addr=0x50000000
loaders=()
# place FILE: the next 2 MiB-aligned address for a module (sets maddr, msize)
next=$addr
place() {
  maddr=$(printf 0x%x $next) msize=$(printf 0x%x $(stat -L -c %s "$1"))
  loaders+=(-device "loader,file=$(realpath "$1"),addr=$maddr,force-raw=on")
  next=$(( (next + $(stat -L -c %s "$1") + 0x1fffff) & ~0x1fffff ))
}
if [ $net = 0 ]; then
  place "$image"
  nodes="
		domU1 {
			compatible = \"xen,domain\";
			#address-cells = <0x2>;
			#size-cells = <0x2>;
			memory = <0x0 $(printf 0x%x $((memory * 1024)))>;
			cpus = <1>;
			module@${maddr#0x} {
				compatible = \"multiboot,kernel\", \"multiboot,module\";
				reg = <0x0 $maddr 0x0 $msize>;
				bootargs = \"$bootargs\";
			};
		};"
  xenextra=
else
  # The guest and its xl configuration ride in a cpio appended to dom0's.
  mkdir -p "$work/ov/guest"
  cp "$image" "$work/ov/guest/kernel"
  {
    echo "name = 'guest'"
    echo "kernel = '/guest/kernel'"
    echo "memory = $memory"
    echo "vcpus = 1"
    echo "extra = '${bootargs//\'/}'"
    v=
    for ((i = 0; i < vifs; i++)); do
      v="$v${v:+, }'mac=00:16:3e:75:6b:$(printf %02x $((2 + i))),bridge=ukbr$i,script=uk-vif'"
    done
    echo "vif = [ $v ]"
    [ -z "$xldisks" ] || echo "disk = [ $xldisks ]"
    echo "on_poweroff = 'preserve'"; echo "on_crash = 'preserve'"; echo "on_reboot = 'preserve'"
  } > "$work/ov/guest/guest.cfg"
  printf 'GTIME=%s\nVIFS=%s\nNDISKS=%s\n' "$timeout" "$vifs" ${#disks[@]} > "$work/ov/guest/params"
  [ -z "$dom0cmd" ] || printf '%s\n' "$dom0cmd" > "$work/ov/guest/cmd"
  (cd "$work/ov" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/guest.cpio.gz"
  cat "$uk_dom0_initrd" "$work/guest.cpio.gz" > "$work/initrd.cpio.gz"
  place "$uk_dom0_kernel"
  nodes="
		module@${maddr#0x} {
			compatible = \"multiboot,kernel\", \"multiboot,module\";
			reg = <0x0 $maddr 0x0 $msize>;
			bootargs = \"console=hvc0 earlycon=xenboot loglevel=4 rdinit=/init\";
		};"
  place "$work/initrd.cpio.gz"
  nodes="$nodes
		module@${maddr#0x} {
			compatible = \"multiboot,ramdisk\", \"multiboot,module\";
			reg = <0x0 $maddr 0x0 $msize>;
		};"
  xenextra=" dom0_mem=512M dom0_max_vcpus=1"
fi
cat > "$work/xen.dts" <<DTS
/include/ "base.dts"
/ {
	chosen {
		#address-cells = <0x2>;
		#size-cells = <0x2>;
		xen,xen-bootargs = "console=dtuart dtuart=$uart loglvl=all guest_loglvl=all bootscrub=0$xenextra";$nodes
	};
};
DTS
dtc -q -I dts -O dtb -o "$work/xen.dtb" "$work/xen.dts" || die "dtc failed on $work/xen.dts"

# ---- boot ---------------------------------------------------------------------
cmd=($qemu -M "$machine" "${qargs[@]}" -serial "file:$work/console.log" -monitor none -no-reboot
     -kernel "$xenbin" -dtb "$work/xen.dtb" "${loaders[@]}")
printf '%q ' "${cmd[@]}" > "$work/qemu-cmdline.txt"
: > "$work/console.log"
"${cmd[@]}" < /dev/null > "$work/qemu.out" 2>&1 &
qpid=$!
start=$SECONDS status=124 why="timeout after ${timeout}s"
if [ $net = 1 ]; then
  # dom0 boots, runs the guest and the command, then powers off (which
  # ends QEMU); allow it two minutes beyond the guest's own time.
  limit=$((timeout + 120))
  while kill -0 $qpid 2>/dev/null; do
    grep -a -q 'UKDOM0: done' "$work/console.log" && { sleep 2; break; }
    grep -a -q -E 'Panic on CPU|Kernel panic' "$work/console.log" && { sleep 0.5; break; }
    [ $((SECONDS - start)) -lt $limit ] || break
    sleep 0.2
  done
  tr -d '\r' < "$work/console.log" > "$work/serial.log"
  sed -n 's/^UKLOG: //p' "$work/serial.log" > "$work/guest.log"
  end=$(sed -n 's/^UKLOG-END \([0-9]*\) \([a-z-]*\).*/\1 \2/p' "$work/serial.log" | tail -1)
  result=${end#* }
  if [ -z "$end" ] || [ "${end%% *}" != "$(wc -l < "$work/guest.log")" ]; then
    sed -n 's/^UKGUEST: //p' "$work/serial.log" > "$work/guest.log"
    result=$(sed -n 's/^UKDOM0: result \([a-z-]*\).*/\1/p' "$work/serial.log" | tail -1)
  fi
  cat "$work/guest.log"
  sed -n 's/^UKDOM0-CMD: /dom0: /p; s/^\(UKDOM0: .*failed.*\)/dom0: \1/p' "$work/serial.log" >&2
  code=$(sed -n 's/^uk: exit \([0-9]*\)$/\1/p' "$work/guest.log" | tail -1)
  case $result in
    shutdown|gone) if [ -n "$code" ]; then status=$code why="guest exit $code"
                   else status=70 why="the guest stopped without an exit line"; fi;;
    crashed) status=70 why="guest crashed";;
    timeout) status=124 why="guest still running after ${timeout}s";;
    *) status=125 why="dom0 did not run the guest (${result:-no result})"
       grep -a -q 'Panic on CPU' "$work/serial.log" && status=71 why="Xen panicked";;
  esac
  if [ $status -ge 70 ] && [ $status -ne 77 ] || [ -n "$logdir" ]; then
    echo "$me: $why; serial console:" >&2
    grep -a -v -E '^(UKLOG|UKGUEST)' "$work/serial.log" | tail -40 >&2
  else
    echo "$me: $why after $((SECONDS - start))s" >&2
  fi
  exit $status
fi
while :; do
  if ! kill -0 $qpid 2>/dev/null; then
    wait $qpid; qpid=
    status=125 why="QEMU exited ($(tr '\n' ' ' < "$work/qemu.out" | cut -c1-200))"
    grep -a -q '^(d1) uk: exit [0-9]' "$work/console.log" || break
  fi
  line=$(grep -a -m1 -E '^\(d1\) uk: (exit [0-9]+|fatal:)' "$work/console.log")
  if [ -n "$line" ]; then
    case $line in
      *"uk: exit "*) status=${line##*uk: exit }; status=${status%%[!0-9]*}; why="guest exit $status";;
      *) status=70 why="guest crashed";;
    esac
    break
  fi
  if grep -a -q 'Panic on CPU' "$work/console.log"; then
    sleep 0.3; status=71 why="Xen panicked"; break
  fi
  [ $((SECONDS - start)) -lt $timeout ] || break
  sleep 0.1
done
sleep 0.1 # let the last console bytes land
sed -n 's/\r$//; s/^(d1) //p' "$work/console.log" | awk '{print}' 
if [ $status -ge 70 ] && [ $status -ne 77 ] || [ -n "$logdir" ]; then
  echo "$me: $why; Xen's console:" >&2
  grep -a -v '^(d1) ' "$work/console.log" | tail -40 >&2
else
  echo "$me: $why after $((SECONDS - start))s" >&2
fi
exit $status
