#!/usr/bin/env bash
# build-guest.sh [CACHE_DIR] - builds the tiny Linux guest of the
# integration tests from Debian packages only: Debian's cloud kernel, the
# virtio-net modules it needs, and an initramfs holding busybox-static and
# an /init (guest-init.sh beside this script).  Also installs what the
# tests need on the host to run it: qemu-system-x86 and socat.
#
# Output, in CACHE_DIR (default /var/cache/vireo-guest):
#   vmlinuz     the kernel
#   initrd.gz   the initramfs (cpio newc, gzip)
#   stamp       what they were built from; a later run whose stamp matches
#               does nothing, so repeated test runs do not rebuild.
# Remove CACHE_DIR (or its stamp) to force a rebuild.  Needs root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${1:-/var/cache/vireo-guest}
KMETA=linux-image-cloud-amd64
# The guest's NIC is virtio-net over PCI; these are what drive it, in the
# cloud kernel modules (CONFIG_VIRTIO*, CONFIG_*FAILOVER are =m there; the
# dependencies virtio, virtio_ring, virtio_pci_{modern,legacy}_dev,
# failover and net_failover come in through modules.dep).
WANT_MODULES="virtio_pci virtio_net"

log() { echo "build-guest: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
	log "needs root (apt-get, mknod)"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=0
apt_update_once() {
	if [ "$APT_UPDATED" -eq 0 ]; then
		log "apt-get update"
		apt-get update -qq >&2
		APT_UPDATED=1
	fi
}

# The host side: install only what is missing.
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v socat >/dev/null || need+=(socat)
command -v cpio >/dev/null || need+=(cpio)
command -v depmod >/dev/null || need+=(kmod)
[ -x /bin/busybox ] && dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
	log "installing ${need[*]}"
	if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >&2; then
		apt_update_once
		apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
	fi
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

# What the cache is built from: this script, the guest's init, busybox.
SRC_SUM=$(cat "$0" "$HERE/guest-init.sh" /bin/busybox | sha256sum | cut -c1-16)
if [ -s "$CACHE/vmlinuz" ] && [ -s "$CACHE/initrd.gz" ] && [ -f "$CACHE/stamp" ] &&
	grep -qx "src=$SRC_SUM" "$CACHE/stamp"; then
	exit 0
fi

TMP=$(mktemp -d /tmp/vireo-guest-build.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# The kernel: the cloud metapackage depends on the real image package,
# linux-image-6.1.*-cloud-amd64; download that one (no install).
kpkg_of() {
	apt-cache depends "$KMETA" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -1
}
KPKG=$(kpkg_of)
if [ -z "$KPKG" ]; then
	apt_update_once
	KPKG=$(kpkg_of)
fi
[ -n "$KPKG" ] || {
	log "cannot resolve the package behind $KMETA"
	exit 1
}
log "kernel package: $KPKG"
cd "$TMP"
if ! apt-get download -q -o APT::Sandbox::User=root "$KPKG" >&2; then
	apt_update_once
	apt-get download -q -o APT::Sandbox::User=root "$KPKG" >&2
fi
dpkg-deb -x "$TMP"/"$KPKG"_*.deb "$TMP/k"
KVER=${KPKG#linux-image-}
[ -d "$TMP/k/lib/modules/$KVER" ] || {
	log "$KPKG has no lib/modules/$KVER"
	exit 1
}
KCONF="$TMP/k/boot/config-$KVER"
MODDIR="$TMP/k/lib/modules/$KVER"
log "kernel $KVER"

# What the guest needs built in; the virtio pieces may be either.
for opt in BLK_DEV_INITRD RD_GZIP DEVTMPFS SERIAL_8250_CONSOLE PCI INET PACKET UNIX; do
	grep -qx "CONFIG_$opt=y" "$KCONF" || {
		log "kernel lacks CONFIG_$opt=y"
		exit 1
	}
done

# The package ships no modules.dep (its postinst makes it): make it here.
depmod -b "$TMP/k" "$KVER"

# Modules to load, dependencies first.  A wanted driver that is built in
# (=y in the config, listed in modules.builtin) needs nothing.
ORDER=()
add_module() { # path relative to MODDIR
	local m=$1 d seen
	for seen in "${ORDER[@]:-}"; do
		[ "$seen" = "$m" ] && return 0
	done
	for d in $(sed -n "s|^$m:||p" "$MODDIR/modules.dep"); do
		add_module "$d"
	done
	ORDER+=("$m")
}
for name in $WANT_MODULES; do
	rel=$(sed -n "s|^\(\(.*/\)\?$name\.ko[^:]*\):.*|\1|p" "$MODDIR/modules.dep" | head -1)
	if [ -n "$rel" ]; then
		add_module "$rel"
	elif grep -q "/$name\.ko" "$MODDIR/modules.builtin"; then
		log "$name is built in"
	else
		log "module $name not found in $KVER"
		exit 1
	fi
done
log "modules: ${ORDER[*]##*/}"

# The initramfs.
R="$TMP/root"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,etc,root,run} \
	"$R/lib/modules/$KVER"
cp /bin/busybox "$R/bin/busybox"
for applet in $(/bin/busybox --list-full); do
	[ -e "$R/$applet" ] || ln -s /bin/busybox "$R/$applet"
done
: >"$R/etc/modules"
for m in "${ORDER[@]}"; do
	mkdir -p "$R/lib/modules/$KVER/$(dirname "$m")"
	cp "$MODDIR/$m" "$R/lib/modules/$KVER/$m"
	echo "$m" >>"$R/etc/modules"
done
cp "$MODDIR/modules.order" "$MODDIR/modules.builtin" "$MODDIR/modules.builtin.modinfo" \
	"$R/lib/modules/$KVER/"
depmod -b "$R" "$KVER" # so that modprobe works in the guest too
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\n' >"$R/etc/group"
printf '127.0.0.1 localhost\n' >"$R/etc/hosts"
install -m 0755 "$HERE/guest-init.sh" "$R/init"
mknod -m 600 "$R/dev/console" c 5 1
mknod -m 666 "$R/dev/null" c 1 3
(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 >"$TMP/initrd.gz"

install -m 0644 "$TMP/k/boot/vmlinuz-$KVER" "$CACHE/vmlinuz.new"
install -m 0644 "$TMP/initrd.gz" "$CACHE/initrd.gz.new"
mv -f "$CACHE/vmlinuz.new" "$CACHE/vmlinuz"
mv -f "$CACHE/initrd.gz.new" "$CACHE/initrd.gz"
{
	echo "src=$SRC_SUM"
	echo "kernel=$KPKG $KVER"
	echo "modules=${ORDER[*]##*/}"
} >"$CACHE/stamp"
log "built $CACHE/vmlinuz and $CACHE/initrd.gz ($(du -h "$CACHE/initrd.gz" | cut -f1))"
