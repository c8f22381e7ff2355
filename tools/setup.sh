#!/usr/bin/env bash
# setup.sh - install the host packages cella needs (Debian 12), only when something is missing.
#
# Runs at the start of every make target that needs more than make itself (all, run, test,
# bench, check, fuzz), so the common case (all present) is one dpkg-query call and returns at once. Otherwise it adds the arm64 architecture
# (the guest kernel and busybox are arm64 packages), runs `apt-get update` once and installs the
# missing packages. Without root it prints what is missing and the exact command to run.
set -euo pipefail

PACKAGES=(
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu	# EL2 cross toolchain
	libc6-dev-arm64-cross					# static glibc: cella-chan in the guest initramfs
	picolibc-aarch64-linux-gnu				# native components: the C library
	qemu-system-arm						# the board
	device-tree-compiler					# dtc: system descriptions
	libcmocka-dev						# host unit tests
	cpio							# initramfs
	clang lld						# CLANG=1 builds
	libclang-rt-14-dev					# make fuzz: clang's libFuzzer, ASan, UBSan runtimes
	llvm							# tests/fuzz/coverage.sh: llvm-profdata, llvm-cov
	xxd							# tests/fuzz/make-seeds.sh
	cppcheck						# make check
	gdb-multiarch						# debugging under QEMU -s -S
	gnuplot-nox						# make bench: the interrupt latency histogram
	perl							# prove (system tests, TAP)
	python3							# the interactive Linux shell test
	make gcc						# host build
)
FOREIGN_ARCH=arm64

say() { printf 'setup: %s\n' "$*"; }

# quiet CMD...: run CMD with its output kept aside; show the output only if it fails.
quiet() {
	local log rc=0
	log=$(mktemp)
	"$@" >"$log" 2>&1 || rc=$?
	if ((rc)); then
		say "failed ($rc): $*"
		tail -n 30 "$log" >&2
	fi
	rm -f "$log"
	return "$rc"
}

# One dpkg-query for everything; a package that is unknown or not fully installed counts as missing.
missing=()
declare -A ok=()
while read -r status pkg; do
	[[ $status == ii ]] && ok[$pkg]=1
done < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${PACKAGES[@]}" 2>/dev/null || true)
for p in "${PACKAGES[@]}"; do
	[[ -n ${ok[$p]:-} ]] || missing+=("$p")
done

need_arch=0
if [[ $(dpkg --print-architecture) != "$FOREIGN_ARCH" ]] &&
	! dpkg --print-foreign-architectures | grep -qx "$FOREIGN_ARCH"; then
	need_arch=1
fi

if ((${#missing[@]} == 0 && need_arch == 0)); then
	exit 0
fi

if ((EUID != 0)); then
	say "cella needs root to install host packages, and this is not root."
	cmd=""
	if ((need_arch)); then
		say "missing: the $FOREIGN_ARCH package architecture (guest kernel and busybox are $FOREIGN_ARCH packages)"
		cmd="dpkg --add-architecture $FOREIGN_ARCH && "
	fi
	if ((${#missing[@]})); then
		say "missing packages: ${missing[*]}"
	fi
	cmd+="apt-get update"
	if ((${#missing[@]})); then
		cmd+=" && apt-get install -y --no-install-recommends ${missing[*]}"
	fi
	say "run as root:  sudo sh -c '$cmd'"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

if ((need_arch)); then
	say "adding the $FOREIGN_ARCH package architecture (dpkg --add-architecture $FOREIGN_ARCH)"
	dpkg --add-architecture "$FOREIGN_ARCH"
fi

say "updating the package lists (apt-get update)"
quiet apt-get update

if ((${#missing[@]})); then
	say "installing ${missing[*]}"
	quiet apt-get install -y --no-install-recommends "${missing[@]}"
fi
say "done"
