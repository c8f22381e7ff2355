#!/usr/bin/env bash
# fetch-guest.sh DIR - fetch the Linux guest (Debian's arm64 cloud kernel and busybox-static) with
# apt, cache it in DIR and build DIR/initrd.img.
#
# DIR afterwards holds:
#   vmlinuz     the arm64 Image of linux-image-6.1.0-NN-cloud-arm64 (uncompressed, unmodified)
#   initrd.img  gzip'd newc cpio: busybox + applet links, /init (tools/initramfs/init), /bin/cntvct
#   VERSION     "<kernel package> <version>", e.g. "linux-image-6.1.0-56-cloud-arm64 6.1.192-2"
#   busybox     the arm64 busybox-static binary (kept so the initramfs rebuilds without apt)
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
CROSS_CC=${CROSS:-aarch64-linux-gnu-}gcc
KERNEL_META=linux-image-cloud-arm64
ARCH=arm64

[[ -f $INIT ]] || die "$INIT is missing"
[[ -f $CNTVCT_SRC ]] || die "$CNTVCT_SRC is missing"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

have_kernel() { [[ -s $DIR/vmlinuz && -s $DIR/VERSION && -s $DIR/busybox ]]; }
# initrd_current: initrd.img exists and is newer than everything it is built from
initrd_current() {
	local f
	[[ -s $DIR/initrd.img ]] || return 1
	for f in "$INIT" "$CNTVCT_SRC" "${BASH_SOURCE[0]}" "$DIR/busybox"; do
		[[ $DIR/initrd.img -nt $f ]] || return 1
	done
}

if have_kernel && initrd_current; then
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
# apt_download PKG...: into the current directory; on failure one 'apt-get update' and a retry
# (as root; the package lists may be stale or lack arm64).
apt_download() {
	say "apt-get download $*"
	apt-get download "$@" >"$TMP/log" 2>&1 && return 0
	if ((updated || EUID != 0)); then
		tail -n 20 "$TMP/log" >&2
		((EUID == 0)) || die "apt-get download $* failed; the package lists may need 'sudo apt-get update'"
		die "apt-get download $* failed"
	fi
	apt_update
	quiet apt-get download "$@" || die "apt-get download $* failed"
}

if ! have_kernel; then
	if [[ $(dpkg --print-architecture) != "$ARCH" ]] &&
		! dpkg --print-foreign-architectures | grep -qx "$ARCH"; then
		((EUID == 0)) || die "the $ARCH package architecture is not enabled; run tools/setup.sh as root (or: sudo dpkg --add-architecture $ARCH && sudo apt-get update)"
		say "dpkg --add-architecture $ARCH"
		dpkg --add-architecture "$ARCH"
		apt_update
	fi
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

say "building $DIR/initrd.img"
R=$TMP/root
mkdir -p "$R"/{bin,dev,proc,sys,tmp,etc,root,usr,run}
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
for a in sh mount poweroff setsid cttyhack grep uname; do
	grep -qx -- "$a" <<<"$applets" || die "busybox has no '$a' applet (applet table not found or incomplete)"
done
while read -r a; do
	[[ $a == busybox ]] || ln -s busybox "$R/bin/$a"
done <<<"$applets"

"$CROSS_CC" -static -nostdlib -ffreestanding -fno-stack-protector -fno-builtin -fno-pie -no-pie \
	-O2 -Wall -Wextra -Werror -s -o "$R/bin/cntvct" "$CNTVCT_SRC"

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
