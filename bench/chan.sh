#!/usr/bin/env bash
# chan.sh - deterministic channel benchmarks (instructions, -icount shift=0,sleep=off: 1 ns of
# guest time per instruction), each with its peer beside it. Called by `make bench` after
# bench/boot.sh, once build/cella.bin, build/cella-pack, build/guests/testcell.bin and the guest
# (guest-cache/vmlinuz, initrd.img with cella-chan) exist.
#
#  1. native round trip: two testcells (testcell.mode=chan-pingpong) make CHAN_CALL round trips
#     (notify -> the peer wakes -> it notifies back), both on one pCPU and on two.
#     Goal: <= 1,000 instructions on one pCPU (seL4's IPC call + reply: ~839 cycles, A57).
#  2. Linux user space to Linux user space through uio_pci_generic: `cella-chan ping` in cell
#     'ui', `cella-chan pong` in 'services' (1 vCPU each), both on one pCPU and on two; beside
#     it one native Linux in the same QEMU configuration (-smp 1, -smp 2), with (a) the same
#     uio_pci_generic ping-pong between two processes over two of QEMU's edu devices as
#     doorbells (`cella-chan edu-ping`: the limit of this driver path, its doorbell costs no guest
#     instruction) and (b) a pipe ping-pong (`cella-chan pipe-ping`).
#     Goal: cella <= 1.25x native uio (the issue's figures: 17,888 on 1 vCPU, 21,884 on 2).
#  3. streaming: `cella-chan stream` from services to ui (64 KiB blocks through the ring, a
#     checksum on both sides) against `cella-chan stream --memcpy` of the same bytes in one
#     cell: instructions per byte (zero copy: cella adds nothing per byte).
# Every command runs from the guest's command line (cella.run=..., tools/initramfs/init), so
# no console typing perturbs the counts. Results to stdout and build/bench-chan.txt; console
# logs to build/bench/chan-*.log. BENCH_CHAN_PARTS picks parts: "native linux stream".
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO" || exit 1
B=build
G=${GUEST_DIR:-guest-cache}
LOGS=$B/bench
OUT=$B/bench-chan.txt
TIMEOUT=${BENCH_TIMEOUT:-300}
PARTS=${BENCH_CHAN_PARTS:-native linux stream}
N_NATIVE=${BENCH_CHAN_N:-10000}		# native round trips
N_LINUX=${BENCH_CHAN_LINUX_N:-2000}	# Linux round trips
WARMUP=20	# untimed Linux round trips first: the peer's boot, first touches of code and data
QEMU=qemu-system-aarch64
# shellcheck disable=SC2054 # the commas belong to QEMU's option syntax
QEMU_DET=(-M virt,virtualization=on,gic-version=3,dtb-randomness=off -cpu max,pauth=off
	-icount shift=0,sleep=off -seed 1 -rtc base=2026-01-01T00:00:00,clock=vm -nic none -nographic)
QEMU_NATIVE=("${QEMU_DET[@]}")
QEMU_NATIVE[1]=virt,virtualization=off,gic-version=3,dtb-randomness=off

die() { printf 'bench-chan: error: %s\n' "$*" >&2; exit 1; }
part() { [[ " $PARTS " == *" $1 "* ]]; }
for f in "$B/cella.bin" "$B/cella-pack" "$B/guests/testcell.bin" "$G/vmlinuz" "$G/initrd.img"; do
	[[ -s $f ]] || die "$f is missing (run 'make bench', which builds and fetches everything)"
done
mkdir -p "$LOGS"
errors=0
declare -A R=()		# figures: key -> instructions

# qrun KEY TIMEOUT QEMU-ARGS...: run QEMU until it exits (the cells power off) into
# build/bench/chan-KEY.log
qrun() {
	local key=$1 t=$2
	shift 2
	printf 'bench-chan: %-22s ' "$key"
	timeout "$t" "$QEMU" "$@" </dev/null >"$LOGS/chan-$key.log" 2>&1
	tr -d '\r' <"$LOGS/chan-$key.log" >"$LOGS/chan-$key.txt"
}

# figure KEY REGEX FIELD FORMAT UNIT: from the console line matching REGEX, with FIELD=N (the
# count: n or bytes), ticks=T (or total_ticks=T) and cntfrq=F (default 62.5 MHz), R[KEY] =
# instructions per count unit, T * 1e9 / F / N, printed with FORMAT
figure() {
	local key=$1 line n t f
	line=$(grep -a -E -m1 "$2" "$LOGS/chan-$key.txt")
	n=$(sed -n "s/.* $3=\([0-9]*\).*/\1/p" <<<"$line")
	t=$(sed -n 's/.*ticks=\([0-9]*\).*/\1/p' <<<"$line")
	f=$(sed -n 's/.*cntfrq=\([0-9]*\).*/\1/p' <<<"$line")
	f=${f:-62500000}
	if [[ -z $n || -z $t || $n == 0 ]]; then
		echo "FAILED (no figure; see $LOGS/chan-$key.log)"
		tail -n 15 "$LOGS/chan-$key.txt" | sed 's/^/    | /' >&2
		errors=$((errors + 1))
		return 1
	fi
	R[$key]=$(awk -v t="$t" -v f="$f" -v n="$n" -v fmt="$4" 'BEGIN { printf fmt, t * 1e9 / f / n }')
	echo "${R[$key]} instructions per $5 ($3=$n)"
}
per_rt() { figure "$1" "$2" n "%.0f" "round trip"; }
per_byte() { figure "$1" "$2" bytes "%.3f" byte; }

# pack NAME DTS-TEXT --search ...: build/bench-chan-NAME.img
pack() {
	local name=$1 dts=$2
	shift 2
	printf '%s\n' "$dts" >"$B/bench-chan-$name.dts"
	dtc -q -I dts -O dtb -o "$B/bench-chan-$name.dtb" "$B/bench-chan-$name.dts" &&
		"$B/cella-pack" -o "$B/bench-chan-$name.img" --cella "$B/cella.bin" \
			--description "$B/bench-chan-$name.dtb" "$@" >/dev/null
}

# ---- 1. native components ---------------------------------------------------------------------
native_dts() {	# native_dts CPU-OF-B
	cat <<EOF
/dts-v1/;
/ { cells {
	a: a { memory-size = <0x0 0x1000000>; cpus = <0>; kernel = "testcell.bin";
	       bootargs = "testcell.mode=chan-pingpong testcell.n=$N_NATIVE"; };
	b: b { memory-size = <0x0 0x1000000>; cpus = <$1>; kernel = "testcell.bin";
	       bootargs = "testcell.mode=chan-pingpong testcell.n=$N_NATIVE"; };
}; channels { ab { size = <0x1000>; ends = <&a &b>; }; }; };
EOF
}
if part native; then
	for p in 1 2; do
		pack "native$p" "$(native_dts $((p - 1)))" --pcpus $p --search "$B/guests" ||
			die "packing the native benchmark failed"
		qrun "native-$p-pcpu" "$TIMEOUT" "${QEMU_DET[@]}" -smp $p -m 512M \
			-kernel "$B/bench-chan-native$p.img"
		per_rt "native-$p-pcpu" '\[a\] testcell: pingpong n=[0-9]+ ticks=[0-9]+'
	done
fi

# ---- 2. Linux user space through uio_pci_generic ----------------------------------------------
linux_dts() {	# linux_dts CPU-OF-SERVICES
	cat <<EOF
/dts-v1/;
/ { cells {
	ui: ui { memory-size = <0x0 0x10000000>; cpus = <0>; kernel = "vmlinuz"; initrd = "initrd.img";
		bootargs = "console=ttyAMA0 quiet cella.run=ping,ui-services,-n,$N_LINUX,--warmup,$WARMUP,--cntvct"; console; };
	services: services { memory-size = <0x0 0x10000000>; cpus = <$1>; kernel = "vmlinuz";
		initrd = "initrd.img";
		bootargs = "console=ttyAMA0 quiet cella.run=pong,ui-services,-n,$((N_LINUX + WARMUP))"; };
}; channels { ui-services { size = <0x10000>; ends = <&ui &services>; }; }; };
EOF
}
if part linux; then
	for p in 1 2; do
		pack "linux$p" "$(linux_dts $((p - 1)))" --pcpus $p --search "$G" ||
			die "packing the Linux benchmark failed"
		qrun "linux-cella-$p-pcpu" "$TIMEOUT" "${QEMU_DET[@]}" -smp $p -m 1G \
			-kernel "$B/bench-chan-linux$p.img"
		per_rt "linux-cella-$p-pcpu" 'cella-chan: ping n=[0-9]+ total_ticks='
		for what in edu-ping pipe-ping; do
			qrun "linux-native-$what-$p" "$TIMEOUT" "${QEMU_NATIVE[@]}" -smp $p -m 1G \
				-device edu -device edu -kernel "$G/vmlinuz" -initrd "$G/initrd.img" \
				-append "console=ttyAMA0 quiet cella.run=$what,-n,$N_LINUX,--warmup,$WARMUP"
			per_rt "linux-native-$what-$p" "cella-chan: $what n=[0-9]+ total_ticks="
		done
	done
fi

# ---- 3. streaming -----------------------------------------------------------------------------
STREAM_BYTES=$((64 << 20))
stream_dts() {
	cat <<EOF
/dts-v1/;
/ { cells {
	ui: ui { memory-size = <0x0 0x10000000>; cpus = <0>; kernel = "vmlinuz"; initrd = "initrd.img";
		bootargs = "console=ttyAMA0 quiet cella.run=stream,ui-services,--recv"; console; };
	services: services { memory-size = <0x0 0x10000000>; cpus = <1>; kernel = "vmlinuz";
		initrd = "initrd.img";
		bootargs = "console=ttyAMA0 quiet cella.run=stream,ui-services,--send,-b,32768,-n,$((STREAM_BYTES / 32768))"; };
}; channels { ui-services { size = <0x40000>; ends = <&ui &services>; }; }; };
EOF
}
if part stream; then
	pack stream "$(stream_dts)" --pcpus 2 --search "$G" || die "packing the stream benchmark failed"
	qrun stream-channel "$TIMEOUT" "${QEMU_DET[@]}" -smp 2 -m 1G -kernel "$B/bench-chan-stream.img"
	per_byte stream-channel '\[ui\] cella-chan: stream .* bytes='
	qrun stream-memcpy "$TIMEOUT" "${QEMU_NATIVE[@]}" -smp 1 -m 1G -kernel "$G/vmlinuz" \
		-initrd "$G/initrd.img" \
		-append "console=ttyAMA0 quiet cella.run=stream,--memcpy,-b,32768,-n,$((STREAM_BYTES / 32768))"
	per_byte stream-memcpy 'cella-chan: stream .* bytes='
fi

# ---- report -----------------------------------------------------------------------------------
ratio() { [[ -n ${1:-} && -n ${2:-} ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3fx", a / b }' || echo -; }
{
	echo
	echo "channels (instructions, -icount shift=0: deterministic; bench/chan.sh):"
	if part native; then
		echo "  native component round trip (CHAN_CALL -> peer wakes -> CHAN_CALL back; $N_NATIVE round trips):"
		printf "    same pCPU     %8s   (goal <= 1,000; seL4 IPC call + reply ~839 cycles on a Cortex-A57)\n" "${R[native-1-pcpu]:--}"
		printf "    across pCPUs  %8s\n" "${R[native-2-pcpu]:--}"
	fi
	if part linux; then
		echo "  Linux user space round trip through uio_pci_generic ($N_LINUX round trips, 1 vCPU per cell):"
		for p in 1 2; do
			c=${R[linux-cella-$p-pcpu]:-}
			u=${R[linux-native-edu-ping-$p]:-}
			q=${R[linux-native-pipe-ping-$p]:-}
			printf "    %d pCPU%s: cella %8s   native uio (edu) %8s   native pipe %8s   cella/native-uio %s (goal <= 1.25x)\n" \
				$p "$([[ $p == 1 ]] && echo " " || echo s)" "${c:--}" "${u:--}" "${q:--}" "$(ratio "$c" "$u")"
		done
		echo "    (Xen 4.17 event channel between two dom0less domUs on one pCPU: 40,745; issue 9)"
	fi
	if part stream; then
		echo "  streaming $((STREAM_BYTES >> 20)) MiB services -> ui through a channel vs memcpy in one Linux:"
		printf "    channel %s instr/byte   memcpy %s instr/byte   ratio %s\n" \
			"${R[stream-channel]:--}" "${R[stream-memcpy]:--}" "$(ratio "${R[stream-channel]:-}" "${R[stream-memcpy]:-}")"
	fi
	((errors == 0)) || echo "  ($errors part(s) failed; see above)"
} | tee "$OUT"
exit $((errors > 0))
