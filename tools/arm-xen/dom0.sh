# dom0.sh - sourced by arm-xen-run.sh for --net: builds (and caches) an
# arm64 Linux dom0 for Xen on ARM from Debian bookworm arm64 packages,
# fetched with `apt-get download` and unpacked with dpkg -x (nothing is
# installed into /): the kernel (a raw arm64 Image), and an initramfs with
# busybox, xl, xenstored, xenconsoled, xen-init-dom0, the xenstore tools,
# curl (for the tests: an HTTP client fetching from the guest), their
# shared libraries, and the modules for xenfs, event channels, grant
# devices, netback, the bridge, virtio disks and blkback (a uk-block
# hotplug script points blkback at the disk).  dom0's /init brings up the toolstack
# and a bridge ukbr0 = 10.0.0.1/24, `xl create`s /guest/guest.cfg (a cpio
# appended per run), relays the guest console as "UKGUEST: " lines, runs
# /guest/cmd (output as "UKDOM0-CMD: "), then `xl shutdown`s the guest,
# prints its whole console counted ("UKLOG: ", "UKLOG-END n state") and
# powers off, which ends Xen and QEMU.

uk_dom0_kver=6.1.0-50-arm64
uk_dom0_pkgs="linux-image-$uk_dom0_kver busybox-static xen-utils-4.17
  xenstore-utils libc6 libxencall1 libxenevtchn1 libxenforeignmemory1
  libxengnttab1 libxenmisc4.17 libxenstore4 libxentoollog1 libyajl2
  libncurses6 libtinfo6 libext2fs2 libfdt1 libuuid1 libxendevicemodel1
  libxenhypfs1 libxentoolcore1 zlib1g libcom-err2 liblzma5 libbz2-1.0
  libzstd1 liblzo2-2 libgcc-s1"
# curl and the closure of its Depends/Pre-Depends in bookworm (apt-cache
# depends --recurse, recommends etc. left out).  At build time apt-cache
# resolves the closure again and adds what a newer curl may need, and
# only the libraries curl loads (NEEDED, transitively, with readelf) go
# into the initramfs, and all of them must be found.
uk_dom0_curl_pkgs="curl libcurl4 gcc-12-base libbrotli1 libdb5.3 libffi8
  libgmp10 libgnutls30 libgssapi-krb5-2 libhogweed6 libidn2-0 libk5crypto3
  libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0 libnettle8
  libnghttp2-14 libp11-kit0 libpsl5 librtmp1 libsasl2-2 libsasl2-modules-db
  libssh2-1 libssl3 libtasn1-6 libunistring2"
uk_dom0_modules="drivers/xen/xen-evtchn drivers/xen/xen-gntdev
  drivers/xen/xen-gntalloc drivers/xen/xen-privcmd drivers/xen/xenfs/xenfs
  net/llc/llc net/802/stp net/bridge/bridge drivers/net/xen-netback/xen-netback
  drivers/block/xen-blkback/xen-blkback"
# For --disk, copied when the kernel has them as modules (else built in).
uk_dom0_opt_modules="drivers/virtio/virtio_ring drivers/virtio/virtio
  drivers/virtio/virtio_mmio drivers/block/virtio_blk"

# The vbd hotplug script, shared with tools/xen/xen-run.sh's dom0.
uk_dom0_uk_block=$(cd "$(dirname "${BASH_SOURCE[0]}")/../xen" && pwd)/uk-block

# uk_dom0_cached CACHE: true if the dom0 of this version is built.
uk_dom0_cached() {
  local key
  key=$( { cat "${BASH_SOURCE[0]}" "$uk_dom0_uk_block"; echo "$uk_dom0_pkgs $uk_dom0_curl_pkgs"; } | sha1sum | cut -c1-12)
  [ -s "$1/dom0-$key/initrd.cpio.gz" ] && [ -s "$1/dom0-$key/Image" ]
}

# uk_dom0_build CACHE: sets uk_dom0_kernel and uk_dom0_initrd (cached in
# CACHE/dom0-KEY), fetching the packages once.  Returns 1 (reason on
# stderr) when they cannot be had.
uk_dom0_build() {
  local cache=$1 key dir
  key=$( { cat "${BASH_SOURCE[0]}" "$uk_dom0_uk_block"; echo "$uk_dom0_pkgs $uk_dom0_curl_pkgs"; } | sha1sum | cut -c1-12)
  dir=$cache/dom0-$key
  uk_dom0_kernel=$dir/Image uk_dom0_initrd=$dir/initrd.cpio.gz
  [ -s "$uk_dom0_initrd" ] && [ -s "$uk_dom0_kernel" ] && return 0
  mkdir -p "$cache/dom0debs" || return 1
  # One build at a time (concurrent runs wait, then use its result).
  (
    flock 9
    [ -s "$uk_dom0_initrd" ] && [ -s "$uk_dom0_kernel" ] && exit 0
    uk__dom0_make "$cache" "$dir"
  ) 9>"$cache/.lock"
}

# uk__dom0_make CACHE DIR: fetches the packages and builds DIR (under the
# cache's lock).
uk__dom0_make() {
  local cache=$1 dir=$2 p m b need= pkgs
  echo "arm-xen-run: building the arm64 dom0 (cached in $dir)" >&2
  for p in "$cache"/dom0-*; do   # built by other versions of this file
    case $p in "$dir"|"$cache/dom0debs") ;; *) rm -rf "$p";; esac
  done
  dpkg --print-foreign-architectures | grep -qx arm64 ||
    { dpkg --add-architecture arm64 && apt-get update -q >/dev/null 2>&1; }
  pkgs=$(uk__dom0_pkgset) || return 1
  for p in $pkgs; do
    ls "$cache"/dom0debs/${p}_*.deb >/dev/null 2>&1 || need="$need $p:arm64"
  done
  if [ -n "$need" ]; then
    (cd "$cache/dom0debs" &&
      { apt-get download -q $need >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1; apt-get download -q $need >/dev/null 2>&1; }; }) ||
      { echo "arm-xen-run: apt-get download$need failed" >&2; return 1; }
  fi
  # The base packages unpack into x, whose libraries all go in; curl's
  # into c, from which only the libraries curl loads are taken.
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp/x" "$dir.tmp/c" "$dir.tmp/r"
  for p in $pkgs; do
    case " $(echo $uk_dom0_pkgs) " in *" $p "*) b=x;; *) b=c;; esac
    dpkg -x "$(ls -t "$cache"/dom0debs/${p}_*.deb | head -1)" "$dir.tmp/$b" || return 1
  done
  local x=$dir.tmp/x c=$dir.tmp/c r=$dir.tmp/r
  cp "$x/boot/vmlinuz-$uk_dom0_kver" "$dir.tmp/Image" || return 1
  mkdir -p "$r"/{bin,sbin,lib,usr/bin,usr/sbin,usr/lib,proc,sys,dev,run,tmp,guest,etc/xen/scripts,var/lib/xen,var/log/xen/console,var/lib/xenstored,lib/modules}
  ln -s ../run "$r/var/run"
  cp "$x/bin/busybox" "$r/bin/" || return 1
  for b in sh ash mount insmod ip sleep cat tail head awk cut grep seq kill \
      poweroff wget echo mkdir touch ls ps sed tr wc rm mv ln chmod test [ \
      printf true false expr env id uname date dmesg sort xargs brctl \
      ifconfig ping nc md5sum sha256sum timeout stat; do
    ln -s busybox "$r/bin/$b"
  done
  cp -a "$x/lib/aarch64-linux-gnu" "$x/lib/ld-linux-aarch64.so.1" "$r/lib/" 2>/dev/null
  mkdir -p "$r/usr/lib/aarch64-linux-gnu"
  cp -a "$x"/usr/lib/aarch64-linux-gnu/*.so* "$r/usr/lib/aarch64-linux-gnu/" 2>/dev/null
  cp -a "$x/usr/lib/xen-4.17" "$r/usr/lib/" || return 1
  rm -rf "$r/usr/lib/xen-4.17/lib/python" "$r/usr/lib/xen-4.17/boot"
  cp -a "$x"/usr/bin/xenstore* "$r/usr/bin/"
  cp "$c/usr/bin/curl" "$r/usr/bin/" || return 1
  uk__dom0_libs "$r" "$c" "$r/usr/bin/curl" || return 1
  for m in $uk_dom0_modules; do
    cp "$x/lib/modules/$uk_dom0_kver/kernel/$m.ko" "$r/lib/modules/" || return 1
  done
  for m in $uk_dom0_opt_modules; do
    m=$x/lib/modules/$uk_dom0_kver/kernel/$m.ko
    if [ -f "$m" ]; then cp "$m" "$r/lib/modules/" || return 1; fi
  done
  : > "$r/etc/xen/xl.conf"
  printf 'root:x:0:0:root:/:/bin/sh\n' > "$r/etc/passwd"
  # vif hotplug: the backend interface joins its bridge (the vif's
  # bridge=, ukbr0 by default); netback waits for hotplug-status before it
  # connects.
  cat > "$r/etc/xen/scripts/uk-vif" <<'EOF'
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
  chmod +x "$r/etc/xen/scripts/uk-vif"
  # vbd hotplug (tools/xen/uk-block): points blkback at the disk.
  cp "$uk_dom0_uk_block" "$r/etc/xen/scripts/uk-block" || return 1
  cat > "$r/init" <<'EOF'
#!/bin/sh
export PATH=/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /dev/pts; mount -t devpts devpts /dev/pts
mount -t tmpfs run /run; mkdir -p /run/xen /run/xenstored /var/log/xen/console
. /guest/params
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs llc stp bridge xen-netback \
         xen-blkback; do
  insmod /lib/modules/$m.ko 2>/dev/null || echo "UKDOM0: insmod $m failed"
done
for m in virtio_ring virtio virtio_mmio virtio_blk; do
  if [ -f /lib/modules/$m.ko ]; then insmod /lib/modules/$m.ko 2>/dev/null; fi
done
# The guest's disks: wait (some seconds at most) for virtio to find them.
i=0
while [ "${NDISKS:-0}" -gt 0 ] && [ $(ls /sys/block | grep -c '^vd') -lt "$NDISKS" ] && [ $i -lt 50 ]; do
  sleep 0.2; i=$((i + 1))
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
echo "UKDOM0: up $(cut -d' ' -f1 /proc/uptime)"
if ! xl create /guest/guest.cfg; then
  echo "UKDOM0: result create-failed"
else
  log=/var/log/xen/console/guest-guest.log; touch $log
  tail -n +1 -f $log | while IFS= read -r l; do echo "UKGUEST: $l"; done &
  relay=$!
  t0=$(cut -d. -f1 /proc/uptime); state=running
  if [ -s /guest/cmd ]; then
    sh /guest/cmd 2>&1 | while IFS= read -r l; do echo "UKDOM0-CMD: $l"; done
    echo "UKDOM0-CMD: (exit status $?)"
    xl shutdown guest >/dev/null 2>&1
  fi
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
  sleep 2; kill $relay 2>/dev/null
  xl destroy guest 2>/dev/null
  echo "UKDOM0: result $state"
  n=0
  while IFS= read -r l; do echo "UKLOG: $l"; n=$((n+1)); done < $log
  echo "UKLOG-END $n $state"
fi
echo "UKDOM0: done"
poweroff -f
EOF
  chmod +x "$r/init"
  echo "$pkgs" > "$dir.tmp/packages"
  (cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) > "$dir.tmp/initrd.cpio.gz" || return 1
  rm -rf "$dir.tmp/x" "$dir.tmp/c" "$dir.tmp/r" "$dir"
  mv "$dir.tmp" "$dir"
}

# uk__dom0_pkgset: prints the packages to unpack: the fixed lists, plus any
# arm64 package apt-cache finds in curl's dependency closure that
# uk_dom0_curl_pkgs lacks (none for bookworm's curl today).
uk__dom0_pkgset() {
  local all p extra=
  all=" $(echo $uk_dom0_pkgs $uk_dom0_curl_pkgs) "
  for p in $(apt-cache depends --recurse --no-recommends --no-suggests \
      --no-conflicts --no-breaks --no-replaces --no-enhances curl:arm64 \
      2>/dev/null | sed -n 's/^\([a-z0-9][a-z0-9.+-]*\):arm64$/\1/p'); do
    case $all in *" $p "*) ;; *) all="$all$p "; extra="$extra $p";; esac
  done
  [ -z "$extra" ] || echo "arm-xen-run: curl also needs$extra" >&2
  echo $all
}

# uk__dom0_libs ROOT SRC ELF: copies into ROOT the shared libraries ELF
# needs (NEEDED, transitively) that ROOT lacks, from SRC (an unpacked tree;
# same paths).  Returns 1 naming those found in neither (or a missing
# dynamic loader).
uk__dom0_libs() {
  local r=$1 s=$2 re f so d seen= missing= todo
  shift 2; todo="$*"
  re=$(command -v aarch64-linux-gnu-readelf || command -v readelf) ||
    { echo "arm-xen-run: readelf (binutils) is needed to build dom0" >&2; return 1; }
  [ -e "$r/lib/ld-linux-aarch64.so.1" ] || missing=" ld-linux-aarch64.so.1"
  while [ -n "$todo" ]; do
    set -- $todo; f=$1; shift; todo="$*"
    for so in $("$re" -dW "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
      case " $seen " in *" $so "*) continue;; esac
      seen="$seen $so"
      for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
        [ -e "$r/$d/$so" ] || [ ! -e "$s/$d/$so" ] ||
          cp -L "$s/$d/$so" "$r/$d/$so" || return 1
        [ -e "$r/$d/$so" ] && { todo="$todo $r/$d/$so"; continue 2; }
      done
      missing="$missing $so"
    done
  done
  [ -z "$missing" ] && return 0
  echo "arm-xen-run: dom0 lacks libraries:$missing" >&2
  return 1
}
