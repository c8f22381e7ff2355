#!/usr/bin/env bash
# fetch-guest.sh DIR - fetch the Linux guest (Debian's arm64 cloud kernel and busybox-static) with
# apt, cache it in DIR and build DIR/initrd.img.
#
# DIR afterwards holds:
#   vmlinuz     the arm64 Image of linux-image-6.1.0-NN-cloud-arm64 (uncompressed, unmodified)
#   initrd.img  gzip'd newc cpio: busybox + applet links, /init (tools/initramfs/init), /bin/cntvct,
#               /bin/cella-chan and /bin/cella-ctl (tools/guest/, static glibc), and the kernel's
#               uio.ko and uio_pci_generic.ko under /lib/modules/<release>/ with a modules.dep
#   VERSION     "<kernel package> <version>", e.g. "linux-image-6.1.0-56-cloud-arm64 6.1.192-2"
#   busybox     the arm64 busybox-static binary (kept so the initramfs rebuilds without apt)
#   modules/<release>/kernel/drivers/uio/{uio,uio_pci_generic}.ko  from the same kernel package
#               (uncompressed; kept so the initramfs rebuilds without apt)
#   .done       written last; the Makefile depends on it
# Nothing is downloaded from anywhere but the configured apt sources. With everything cached and
# the initramfs newer than its inputs, it does nothing. Safe to rerun after a failure.
set -euo pipefail

say() { printf 'fetch-guest: %s\n' "$*"; }
die() { printf 'fetch-guest: error: %s\n' "$*" >&2; exit 1; }

(($# == 1)) || die "usage: $0 DIR"
DIR=$1
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INIT=$REPO/tools/initramfs/init
CNTVCT_SRC=$REPO/bench/cntvct.c
TOOLS_DIR=$REPO/tools/guest
ABI_H=$REPO/include/cella/abi.h
CROSS_CC=${CROSS:-aarch64-linux-gnu-}gcc
UIO_MODS=(uio uio_pci_generic)
KERNEL_META=linux-image-cloud-arm64
ARCH=arm64

[[ -f $INIT ]] || die "$INIT is missing"
[[ -f $CNTVCT_SRC ]] || die "$CNTVCT_SRC is missing"
[[ -f $TOOLS_DIR/cella-chan.c && -f $ABI_H ]] || die "$TOOLS_DIR/cella-chan.c or $ABI_H is missing"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
TOOLS_SRCS=("$TOOLS_DIR"/*.c "$TOOLS_DIR"/*.h "$ABI_H" "$REPO/include/cella/sensor.h")

have_kernel() { [[ -s $DIR/vmlinuz && -s $DIR/VERSION && -s $DIR/busybox ]]; }
# mod_release: the kernel release whose modules are cached (the one directory under modules/)
mod_release() {
	local d=("$DIR"/modules/*/)
	((${#d[@]} == 1)) && [[ -d ${d[0]} ]] && basename "${d[0]}"
}
have_modules() {
	local rel m
	rel=$(mod_release) || return 1
	for m in "${UIO_MODS[@]}"; do
		[[ -s $DIR/modules/$rel/kernel/drivers/uio/$m.ko ]] || return 1
	done
}
# initrd_current: initrd.img exists and is newer than everything it is built from
initrd_current() {
	local f
	[[ -s $DIR/initrd.img ]] || return 1
	for f in "$INIT" "$CNTVCT_SRC" "${TOOLS_SRCS[@]}" "${BASH_SOURCE[0]}" "$DIR/busybox" \
		"$DIR"/modules/*/kernel/drivers/uio/*.ko; do
		[[ $DIR/initrd.img -nt $f ]] || return 1
	done
}

if have_kernel && have_modules && initrd_current; then
	[[ -e $DIR/.done && $DIR/.done -nt $DIR/initrd.img ]] || touch "$DIR/.done"
	exit 0
fi
rm -f "$DIR/.done"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cella-guest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# quiet CMD...: run CMD with its output kept aside; show it only if CMD fails.
quiet() {
	local rc=0
	"$@" >"$TMP/log" 2>&1 || rc=$?
	((rc == 0)) || { say "failed ($rc): $*"; tail -n 20 "$TMP/log" >&2; }
	return "$rc"
}

# check_arm64_elf FILE: a 64-bit little-endian ELF for AArch64 (e_machine 183)
check_arm64_elf() {
	[[ $(od -An -tx1 -N4 "$1" | tr -d ' \n') == 7f454c46 &&
		$(od -An -tx1 -j18 -N2 "$1" | tr -d ' \n') == b700 ]]
}

# ---- kernel and busybox, from apt ------------------------------------------------------------
updated=0
apt_update() {
	updated=1
	say "apt-get update"
	quiet env DEBIAN_FRONTEND=noninteractive apt-get update || die "apt-get update failed"
}
# try_apt_download PKG...: into the current directory; on failure one 'apt-get update' (as
# root: the package lists may be stale or lack arm64) and a retry. Returns apt-get's status.
try_apt_download() {
	say "apt-get download $*"
	apt-get download "$@" >"$TMP/log" 2>&1 && return 0
	((updated == 0 && EUID == 0)) || return 1
	apt_update
	apt-get download "$@" >"$TMP/log" 2>&1
}
apt_download() {
	try_apt_download "$@" && return 0
	tail -n 20 "$TMP/log" >&2
	((EUID == 0)) || die "apt-get download $* failed; the package lists may need 'sudo apt-get update'"
	die "apt-get download $* failed"
}

# extract_modules KDEB: uio.ko and uio_pci_generic.ko of the kernel package KDEB into
# DIR/modules/<release>/kernel/drivers/uio/ (decompressed if the package has them compressed),
# after checking the kernel's config: channels need the generic ECAM host bridge built in and
# uio_pci_generic (../shared/DESIGN.md "Channels for stock Linux"; docs/channels.md).
extract_modules() {
	local kdeb=$1 x="$TMP/mods" cfg rel m f
	rm -rf "$x"
	mkdir -p "$x"
	dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$x" --wildcards './boot/config-*' \
		'./lib/modules/*/kernel/drivers/uio/uio.ko*' \
		'./lib/modules/*/kernel/drivers/uio/uio_pci_generic.ko*' ||
		die "$kdeb has no boot/config-* or no uio modules"
	cfg=$(ls "$x"/boot/config-*)
	grep -qx 'CONFIG_PCI_HOST_GENERIC=y' "$cfg" || die "$kdeb: CONFIG_PCI_HOST_GENERIC is not y"
	grep -Eqx 'CONFIG_UIO_PCI_GENERIC=[ym]' "$cfg" || die "$kdeb: no CONFIG_UIO_PCI_GENERIC"
	rel=$(basename "$cfg")
	rel=${rel#config-}
	[[ -d $x/lib/modules/$rel ]] || die "$kdeb: boot/config-$rel but no lib/modules/$rel"
	for m in "${UIO_MODS[@]}"; do
		f=$x/lib/modules/$rel/kernel/drivers/uio/$m.ko
		if [[ -f $f.xz ]]; then
			xz -dc "$f.xz" >"$f" || die "cannot decompress $m.ko.xz (xz-utils)"
		elif [[ -f $f.zst ]]; then
			zstd -qdc "$f.zst" >"$f" || die "cannot decompress $m.ko.zst (zstd)"
		elif [[ -f $f.gz ]]; then
			gzip -dc "$f.gz" >"$f" || die "cannot decompress $m.ko.gz"
		fi
		check_arm64_elf "$f" || die "$m.ko of $kdeb is not an arm64 ELF"
	done
	rm -rf "$DIR/modules.tmp" "$DIR/modules"
	mkdir -p "$DIR/modules.tmp/$rel/kernel/drivers/uio"
	for m in "${UIO_MODS[@]}"; do
		cp "$x/lib/modules/$rel/kernel/drivers/uio/$m.ko" "$DIR/modules.tmp/$rel/kernel/drivers/uio/"
	done
	mv "$DIR/modules.tmp" "$DIR/modules"
	rm -rf "$x"
	say "modules ${UIO_MODS[*]} of $rel -> $DIR/modules/$rel"
}

# The arm64 package architecture, needed by every apt-get download below.
need_arm64() {
	if [[ $(dpkg --print-architecture) != "$ARCH" ]] &&
		! dpkg --print-foreign-architectures | grep -qx "$ARCH"; then
		((EUID == 0)) || die "the $ARCH package architecture is not enabled; run tools/setup.sh as root (or: sudo dpkg --add-architecture $ARCH && sudo apt-get update)"
		say "dpkg --add-architecture $ARCH"
		dpkg --add-architecture "$ARCH"
		apt_update
	fi
}

# A cache from before the modules were kept: fetch the modules of exactly the cached kernel. If
# that version is no longer to be had, fetch everything anew (a newer kernel) below.
if have_kernel && ! have_modules; then
	need_arm64
	read -r kpkg kver <"$DIR/VERSION"
	mkdir -p "$TMP/mdeb"
	cd "$TMP/mdeb"
	if try_apt_download "$kpkg:$ARCH=$kver"; then
		extract_modules "$(ls "$kpkg"_*_"$ARCH".deb)"
	else
		say "$kpkg $kver is no longer available: fetching the current kernel instead"
		rm -f "$DIR/vmlinuz" "$DIR/VERSION"
	fi
	cd "$REPO"
	rm -rf "$TMP/mdeb"
fi

if ! have_kernel; then
	need_arm64
	mkdir -p "$TMP/deb"
	cd "$TMP/deb"

	apt_download "$KERNEL_META:$ARCH" "busybox-static:$ARCH"
	meta=$(ls "$KERNEL_META"_*_"$ARCH".deb)
	kpkg=$(dpkg-deb -f "$meta" Depends | tr ',|' '\n' | sed -n 's/^ *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1)
	[[ -n $kpkg ]] || die "no linux-image-<version>-cloud-arm64 in the Depends of $meta: $(dpkg-deb -f "$meta" Depends)"
	apt_download "$kpkg:$ARCH"
	kdeb=$(ls "$kpkg"_*_"$ARCH".deb)
	kver=$(dpkg-deb -f "$kdeb" Version)

	say "extracting the kernel from $kdeb"
	mkdir -p "$TMP/k"
	dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$TMP/k" --wildcards './boot/vmlinuz-*'
	imgs=("$TMP"/k/boot/vmlinuz-*)
	img=${imgs[0]}
	[[ -f $img ]] || die "$kdeb has no boot/vmlinuz-*"
	magic=$(od -An -tx1 -j56 -N4 "$img" | tr -d ' \n')
	[[ $magic == 41524d64 ]] ||
		die "$(basename "$img") is not an uncompressed arm64 Image (bytes 56..59 are $magic, want 41524d64 'ARM\\x64')"
	extract_modules "$kdeb"

	say "extracting busybox"
	bbdeb=$(ls busybox-static_*_"$ARCH".deb)
	mkdir -p "$TMP/bb"
	dpkg-deb --fsys-tarfile "$bbdeb" | tar -x -C "$TMP/bb" ./bin/busybox
	check_arm64_elf "$TMP/bb/bin/busybox" || die "bin/busybox of $bbdeb is not an arm64 ELF"

	cp "$img" "$DIR/vmlinuz.tmp" && mv "$DIR/vmlinuz.tmp" "$DIR/vmlinuz"
	cp "$TMP/bb/bin/busybox" "$DIR/busybox.tmp" && mv "$DIR/busybox.tmp" "$DIR/busybox"
	echo "$kpkg $kver" >"$DIR/VERSION"
	say "kernel $kpkg $kver -> $DIR/vmlinuz"
	cd "$REPO"
	rm -rf "$TMP/deb" "$TMP/k" "$TMP/bb"
fi

# ---- initramfs -------------------------------------------------------------------------------
command -v "$CROSS_CC" >/dev/null || die "$CROSS_CC not found: run tools/setup.sh"
command -v cpio >/dev/null || die "cpio not found: run tools/setup.sh"
[[ -n $("$CROSS_CC" -print-file-name=libc.a | grep /) ]] ||
	die "no static glibc for $CROSS_CC (libc6-dev-arm64-cross): run tools/setup.sh"
have_modules || die "no uio modules in $DIR/modules"

say "building $DIR/initrd.img"
R=$TMP/root
mkdir -p "$R"/{bin,dev,proc,sys,tmp,etc,root,usr,run,lib}
chmod 1777 "$R/tmp"
ln -s bin "$R/sbin"
ln -s ../bin "$R/usr/bin"
ln -s ../bin "$R/usr/sbin"
install -m 0755 "$DIR/busybox" "$R/bin/busybox"
install -m 0755 "$INIT" "$R/init"

# Applet links without running the arm64 binary: busybox keeps its applet names as one sorted,
# NUL-separated table starting "[\0[[\0". /init falls back to 'busybox --install -s' if absent.
applets=$(perl -0777 -ne 'print join("\n", "[", "[[", split /\0/, $1), "\n"
	if /\[\0\[\[\0((?:[a-z0-9][a-z0-9_.\-]*\0)+)\0/' "$DIR/busybox")
for a in sh mount poweroff setsid cttyhack grep uname insmod modprobe; do
	grep -qx -- "$a" <<<"$applets" || die "busybox has no '$a' applet (applet table not found or incomplete)"
done
while read -r a; do
	[[ $a == busybox ]] || ln -s busybox "$R/bin/$a"
done <<<"$applets"

"$CROSS_CC" -static -nostdlib -ffreestanding -fno-stack-protector -fno-builtin -fno-pie -no-pie \
	-O2 -Wall -Wextra -Werror -s -o "$R/bin/cntvct" "$CNTVCT_SRC"

# cella-chan and cella-ctl (one program; cella-ctl by its name), static glibc
"$CROSS_CC" -std=c11 -static -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla -Wundef -I "$REPO/include" -s \
	-o "$R/bin/cella-chan" "$TOOLS_DIR"/*.c
check_arm64_elf "$R/bin/cella-chan" || die "cella-chan did not build as an arm64 ELF"
ln -s cella-chan "$R/bin/cella-ctl"

# the uio modules of this kernel, for uio_pci_generic (cella-chan loads them by path; busybox
# modprobe finds them through modules.dep)
rel=$(mod_release)
M=$R/lib/modules/$rel
mkdir -p "$M/kernel/drivers/uio"
for m in "${UIO_MODS[@]}"; do
	install -m 0644 "$DIR/modules/$rel/kernel/drivers/uio/$m.ko" "$M/kernel/drivers/uio/$m.ko"
done
printf '%s\n' 'kernel/drivers/uio/uio.ko:' \
	'kernel/drivers/uio/uio_pci_generic.ko: kernel/drivers/uio/uio.ko' >"$M/modules.dep"

cat >"$R/etc/profile" <<'EOF'
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
PS1='cell:\w\$ '
EOF
echo "root:x:0:0:root:/root:/bin/sh" >"$R/etc/passwd"
echo "root:x:0:" >"$R/etc/group"

# Reproducible archive: fixed timestamps, sorted names, root-owned.
find "$R" -exec touch -h -d @0 {} +
(cd "$R" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet) >"$TMP/initrd.cpio"

# /dev/console, appended as a second newc archive (the kernel reads concatenated archives), so
# that building needs no root for mknod: the kernel opens it for /init's stdin/out/err.
perl -e '
	sub entry { my ($name, $mode, $rmaj, $rmin) = @_;
		my $h = sprintf("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			0, $mode, 0, 0, 1, 0, 0, 0, 0, $rmaj, $rmin, length($name) + 1, 0) . $name . "\0";
		$h .= "\0" x ((4 - length($h) % 4) % 4); return $h; }
	print entry("dev/console", 020600, 5, 1), entry("TRAILER!!!", 0, 0, 0);' >>"$TMP/initrd.cpio"
gzip -9 -n <"$TMP/initrd.cpio" >"$DIR/initrd.img.tmp"
mv "$DIR/initrd.img.tmp" "$DIR/initrd.img"

touch "$DIR/.done"
say "done: $(cat "$DIR/VERSION"), initrd.img $(($(stat -c %s "$DIR/initrd.img") / 1024)) KiB"
