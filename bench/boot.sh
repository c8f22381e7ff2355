#!/usr/bin/env bash
# boot.sh - deterministic boot benchmark: instructions from machine reset to the Linux guest's
# /init, native (Linux alone on QEMU virt) against the same kernel and initramfs in a cella cell,
# for 1 and 2 vCPUs. Called by `make bench` once build/cella.bin, build/cella-pack and
# guest-cache/{vmlinuz,initrd.img} exist.
#
# Baselines (all the same kernel, initramfs, command line, RAM and vCPUs):
#   native(cell DT)  the headline, like for like: Linux entered at EL1 (as in a cell) on exactly
#                    the device tree cella gives the cell (`cella-pack --guest-dtb`, QEMU -dtb):
#                    memory, CPUs, GICv3, timer, PSCI, PL011. QEMU's own tree adds PCIe,
#                    virtio-mmio, RTC, GPIO, fw-cfg, flash and the ITS, which Linux then probes.
#   native(EL1)      EL1, on QEMU's own device tree
#   native(EL2)      EL2 (VHE, Linux initialises KVM), on QEMU's own device tree
# cella runs twice: plainly (the headline), and with `-append cella.stats`, so that it times
# each trap and prints each cell's trap statistics when the cell stops (src/core/stats.h): the
# overhead breakdown comes from that run.
#
# Under `-icount shift=0,sleep=off` guest time advances 1 ns per instruction, so the guest's
# CNTVCT at /init (printed by /bin/cntvct when the command line has cella.bench) converts to
# instructions since reset: cntvct * 1e9 / cntfrq. cella reports its own
# "cella: first guest instruction at cntpct=<n>" (decimal or 0x hex) on the console.
# Results go to stdout and build/bench.txt; console logs to build/bench/*.log.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO" || exit 1
B=build
G=${GUEST_DIR:-guest-cache}
LOGS=$B/bench
OUT=$B/bench.txt
TIMEOUT=${BENCH_TIMEOUT:-300}
LINGER=10	# seconds QEMU may keep running after the guest printed its figure
# console lines after which a run cannot succeed: Linux's panic, cella's panic or BUG_ON
FAIL_RE=${BENCH_FAIL_RE:-'end Kernel panic|cella: .*(panic|PANIC|BUG_ON)'}
CONFIGS=${BENCH_VCPUS:-1 2}
QEMU=qemu-system-aarch64
# PLATFORM-NOTES.md, "Deterministic runs"; pauth=off as in the Xen comparison
# shellcheck disable=SC2054 # the commas belong to QEMU's option syntax
QEMU_DET=(-M virt,virtualization=on,gic-version=3,dtb-randomness=off -cpu max,pauth=off
	-icount shift=0,sleep=off -seed 1 -rtc base=2026-01-01T00:00:00,clock=vm -nic none -nographic)
# the same, but Linux entered at EL1 as it is in a cell (no EL2: no KVM initialisation)
QEMU_DET_EL1=("${QEMU_DET[@]}")
QEMU_DET_EL1[1]=virt,virtualization=off,gic-version=3,dtb-randomness=off
BOOTARGS="console=ttyAMA0 cella.bench"
GOAL=1.01
START_GOAL=1.0
XEN_RATIO=1.149

die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

for f in "$B/cella.bin" "$B/cella-pack" "$G/vmlinuz" "$G/initrd.img"; do
	[[ -s $f ]] || die "$f is missing (run 'make bench', which builds and fetches everything)"
done
command -v "$QEMU" >/dev/null || die "$QEMU not found: run tools/setup.sh"
command -v dtc >/dev/null || die "dtc not found: run tools/setup.sh"
mkdir -p "$LOGS"

errors=0
declare -A CMD=() WALL=() INSTR=() CELLA_OWN=() FREQ=()

# shell-quoted command line, for the report
quote_cmd() {
	local a s=""
	for a in "$@"; do
		if [[ $a =~ ^[A-Za-z0-9_./:,=+@-]+$ ]]; then s+=" $a"; else s+=" \"$a\""; fi
	done
	echo "${s# }"
}

# to_instr COUNT FREQ: counter ticks -> instructions (1 ns each), as an integer
to_instr() {
	local cnt=$1 frq=$2
	[[ $cnt == 0x* || $cnt == 0X* ]] && cnt=$((cnt))
	echo $((cnt * 1000000000 / frq))
}

# run KEY LOG QEMU-ARGS...: boot once, keep the console log, record wall time and instructions
run() {
	local key=$1 log=$2 t0 t1 rc line cnt frq pid seen
	shift 2
	CMD[$key]=$(quote_cmd "$QEMU" "$@")
	printf 'bench: %-14s ' "$key"
	t0=$(date +%s.%N)
	timeout "$TIMEOUT" "$QEMU" "$@" </dev/null >"$log" 2>&1 &
	pid=$!
	# Stop early on a panic, and do not wait for a guest that printed its figure but never
	# powers the machine off.
	seen=""
	while kill -0 "$pid" 2>/dev/null; do
		sleep 0.2
		if [[ -z $seen ]] && grep -aq 'cella-bench: cntvct=' "$log"; then
			seen=$SECONDS
		elif [[ -n $seen ]] && ((SECONDS - seen >= LINGER)); then
			echo "bench: $key: QEMU still running ${LINGER} s after the guest's figure; stopped it" >&2
			kill "$pid" 2>/dev/null
			break
		elif [[ -z $seen ]] && grep -aEq "$FAIL_RE" "$log"; then
			sleep 1
			kill "$pid" 2>/dev/null
			break
		fi
	done
	wait "$pid"
	rc=$?
	t1=$(date +%s.%N)
	WALL[$key]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	line=$(tr -d '\r' <"$log" | grep -a -o -m1 'cella-bench: cntvct=[0-9]* cntfrq=[0-9]*')
	if [[ -z $line ]]; then
		echo "FAILED"
		if grep -aEq "$FAIL_RE" "$log"; then
			echo "bench: $key: the boot failed (a panic); last lines of $log:" >&2
		elif ((rc == 124)); then
			echo "bench: $key: no 'cella-bench: cntvct=' line within ${TIMEOUT} s; last lines of $log:" >&2
		else
			echo "bench: $key: QEMU exited with status $rc without a 'cella-bench: cntvct=' line; last lines of $log:" >&2
		fi
		tail -n 25 "$log" | sed 's/^/    | /' >&2
		errors=$((errors + 1))
		return 1
	fi
	cnt=${line#*cntvct=}
	cnt=${cnt%% *}
	frq=${line##*cntfrq=}
	((frq > 0)) || { echo "FAILED (cntfrq is 0)"; errors=$((errors + 1)); return 1; }
	INSTR[$key]=$(to_instr "$cnt" "$frq")
	line=$(tr -d '\r' <"$log" | grep -a -o -m1 'cella: first guest instruction at cntpct=\(0[xX][0-9a-fA-F]*\|[0-9]*\)')
	if [[ -n $line ]]; then
		CELLA_OWN[$key]=$(to_instr "${line##*cntpct=}" "$frq")
	fi
	FREQ[$key]=$frq
	printf '%s M instructions to /init (%s s wall)\n' "$(mega "${INSTR[$key]}")" "${WALL[$key]}"
	((rc == 0 || rc == 143)) || echo "bench: $key: note: QEMU exited with status $rc" >&2
	return 0
}

mega() { awk -v n="$1" 'BEGIN { printf "%.3f", n / 1e6 }'; }

for n in $CONFIGS; do
	run "native-$n" "$LOGS/native-$n.log" "${QEMU_DET[@]}" -smp "$n" -m 512M \
		-kernel "$G/vmlinuz" -initrd "$G/initrd.img" -append "$BOOTARGS"
	run "nativeEL1-$n" "$LOGS/nativeEL1-$n.log" "${QEMU_DET_EL1[@]}" -smp "$n" -m 512M \
		-kernel "$G/vmlinuz" -initrd "$G/initrd.img" -append "$BOOTARGS"

	dts=bench/bench-$n.dts
	if [[ ! -f $dts ]]; then
		echo "bench: $dts is missing" >&2
		errors=$((errors + 1))
		continue
	fi
	if ! dtc -q -I dts -O dtb -o "$B/bench-$n.dtb" "$dts" ||
		! "$B/cella-pack" -o "$B/bench-$n.img" --cella "$B/cella.bin" \
			--description "$B/bench-$n.dtb" --search "$G" ||
		! "$B/cella-pack" -o "$B/bench-$n-cell.dtb" --guest-dtb linux \
			--description "$B/bench-$n.dtb" --search "$G"; then
		echo "bench: cannot build $B/bench-$n.img or $B/bench-$n-cell.dtb from $dts" >&2
		errors=$((errors + 1))
		continue
	fi
	# like for like: EL1, on the cell's own device tree (QEMU fills in /memory, and the
	# command line and initrd in /chosen, from -m, -append and -initrd)
	run "nativeDT-$n" "$LOGS/nativeDT-$n.log" "${QEMU_DET_EL1[@]}" -smp "$n" -m 512M \
		-dtb "$B/bench-$n-cell.dtb" -kernel "$G/vmlinuz" -initrd "$G/initrd.img" \
		-append "$BOOTARGS"
	run "cella-$n" "$LOGS/cella-$n.log" "${QEMU_DET[@]}" -smp "$n" -m 1G -kernel "$B/bench-$n.img"
	# the same again with cella.stats: cella times each trap (two counter reads a trap, so
	# not the headline run) and prints the figures for the breakdown when the cell stops
	run "cellastats-$n" "$LOGS/cellastats-$n.log" "${QEMU_DET[@]}" -smp "$n" -m 1G \
		-kernel "$B/bench-$n.img" -append cella.stats
done

# ---- hypercalls: the null call and a capability-checked call, timed inside a cell -----------
HC_GOAL=150
KVM_HVC=1405
HC_LINE=""
if dtc -q -I dts -O dtb -o "$B/bench-hc.dtb" bench/hypercall.dts &&
	"$B/cella-pack" -o "$B/bench-hc.img" --cella "$B/cella.bin" --description "$B/bench-hc.dtb" \
		--search "$B/guests" >/dev/null; then
	CMD[hc]=$(quote_cmd "$QEMU" "${QEMU_DET[@]}" -smp 1 -m 512M -kernel "$B/bench-hc.img")
	timeout "$TIMEOUT" "$QEMU" "${QEMU_DET[@]}" -smp 1 -m 512M -kernel "$B/bench-hc.img" \
		</dev/null >"$LOGS/hypercall.log" 2>&1
	HC_LINE=$(tr -d '\r' <"$LOGS/hypercall.log" | grep -a -o -m1 'BENCH hypercall .*')
fi
if [[ -z $HC_LINE ]]; then
	echo "bench: the hypercall benchmark printed no figure; see $LOGS/hypercall.log" >&2
	errors=$((errors + 1))
fi
hc_field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$HC_LINE"; }

# ---- report ----------------------------------------------------------------------------------
ratio() { [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4fx", a / b }' || echo -; }

# breakdown N: cella's trap statistics for the N-vCPU run, as a table in instructions
breakdown() {
	local n=$1 log=$LOGS/cellastats-$1.log frq=${FREQ[cellastats-$1]:-}
	[[ -n $frq ]] || return 0
	tr -d '\r' <"$log" | grep -a -o "cella: stats 'linux': .*" | awk -v f="$frq" -v n="$n" '
	function ins(t) { return t * 1e9 / f }
	/traps=/ {
		split($0, a, /[= ]/)
		for (i = 1; i <= length(a); i++) {
			if (a[i] == "traps") traps = a[i + 1]
			if (a[i] == "ticks") total = a[i + 1]
		}
		next
	}
	{
		kind = $4; cnt = $5; t = $6
		sub(/count=/, "", cnt); sub(/ticks=/, "", t)
		k[++m] = kind; c[m] = cnt; x[m] = ins(t)
	}
	END {
		if (!m) exit
		if (n != 1) {
			# other pCPUs advance the counter too: only the counts mean something
			printf "  %-30s %9s   (per-trap instructions: 1 vCPU only)\n", "trap kind (" n " vCPUs)", "count"
			for (i = 1; i <= m; i++)
				printf "  %-30s %9d\n", k[i], c[i]
			printf "  %-30s %9d\n", "all traps", traps
			exit
		}
		printf "  %-30s %9s %14s %12s\n", "trap kind (" n " vCPU)", "count", "instructions", "per trap"
		for (i = 1; i <= m; i++)
			printf "  %-30s %9d %14.0f %12.0f\n", k[i], c[i], x[i], x[i] / c[i]
		printf "  %-30s %9d %14.0f %12.0f\n", "all traps (C handlers)", traps, ins(total), ins(total) / traps
	}'
}

report() {
	local n dt nat nat1 cel own qv
	qv=$("$QEMU" --version | head -n 1)
	echo "cella boot benchmark: instructions from machine reset to the Linux guest's /init"
	echo "guest: $(cat "$G/VERSION" 2>/dev/null || echo "kernel $G/vmlinuz"), busybox initramfs; $qv"
	echo
	echo "HEADLINE, like for like: cella / native Linux at EL1 on the cell's own device tree"
	for n in $CONFIGS; do
		printf '  %s vCPU: cella %s M / native(cell DT) %s M = %s   (goal <= %sx)\n' "$n" \
			"$(mega "${INSTR[cella-$n]:-0}")" "$(mega "${INSTR[nativeDT-$n]:-0}")" \
			"$(ratio "${INSTR[cella-$n]:-}" "${INSTR[nativeDT-$n]:-}")" "$GOAL"
	done
	echo
	printf '%-7s %14s %12s %12s %12s %10s %10s %10s %10s\n' config "native(cellDT)" "native(EL1)" \
		"native(EL2)" "cella" "ratio DT" "ratio EL1" "ratio EL2" "cella own"
	for n in $CONFIGS; do
		dt=${INSTR[nativeDT-$n]:-}
		nat=${INSTR[native-$n]:-}
		nat1=${INSTR[nativeEL1-$n]:-}
		cel=${INSTR[cella-$n]:-}
		own=${CELLA_OWN[cella-$n]:-}
		printf '%-7s %14s %12s %12s %12s %10s %10s %10s %10s\n' "$n vCPU" "${dt:+$(mega "$dt")}" \
			"${nat1:+$(mega "$nat1")}" "${nat:+$(mega "$nat")}" "${cel:+$(mega "$cel")}" \
			"$(ratio "$cel" "$dt")" "$(ratio "$cel" "$nat1")" "$(ratio "$cel" "$nat")" \
			"${own:+$(mega "$own")}"
	done
	echo "(M instructions from machine reset to /init. native(cell DT): EL1 on the device tree cella"
	echo " gives the cell (cella-pack --guest-dtb; the headline). native(EL1): EL1 on QEMU's full tree."
	echo " native(EL2): EL2 on QEMU's full tree (Linux runs in VHE and initialises KVM). Ratios: cella / each.)"
	echo
	echo "where cella's overhead goes (cella - native(cell DT)):"
	for n in $CONFIGS; do
		dt=${INSTR[nativeDT-$n]:-}
		cel=${INSTR[cella-$n]:-}
		own=${CELLA_OWN[cella-$n]:-}
		[[ -n $dt && -n $cel ]] || continue
		printf '  %s vCPU: %s M instructions in all; cella'"'"'s own start %s M (goal <= %s M for the default system)\n' \
			"$n" "$(mega $((cel - dt)))" "$(mega "${own:-0}")" "$START_GOAL"
		breakdown "$n"
	done
	echo "  From the cella.stats run. 'per trap' counts cella's C from the guest's exit to its next entry"
	echo "  (counter ticks, src/core/stats.h); the exception entry and exit code (about 60 instructions a"
	echo "  trap) is the rest. With several vCPUs the other pCPUs' instructions also advance the counter,"
	echo "  so per-trap figures are exact for 1 vCPU only. 'cella own' counts from machine reset (cella's"
	echo "  entry) to the cell's first instruction."
	echo
	if [[ -n $HC_LINE ]]; then
		echo "hypercalls (instructions per round trip, guest HVC to the next instruction; $(hc_field calls) calls each,"
		echo "the loop's own cost taken out; bench/hypercall.dts, testcell.mode=bench-hc):"
		awk -v n="$(hc_field nop_x100)" -v q="$(hc_field query_x100)" -v g="$HC_GOAL" -v k="$KVM_HVC" 'BEGIN {
			printf "  null hypercall (CELLA_FN_NOP)           %8.1f   (goal <= %d; KVM/arm64 HVC round trip on this QEMU: %d)\n", n / 100, g, k
			printf "  capability-checked call (CELL_QUERY)    %8.1f\n", q / 100 }'
		echo
	fi
	echo "goal: cella <= ${GOAL}x native(cell DT).  reference: Xen 4.17 + dom0 ${XEN_RATIO}x native (1 vCPU, PLATFORM-NOTES.md)."
	echo "deterministic: -icount shift=0,sleep=off -seed 1 give identical counts on every run of the same"
	echo "build (1 instruction = 1 ns of guest time; cntvct * 1e9 / cntfrq); wall times vary and are not the figure."
	echo
	echo "wall time per run (s):"
	for n in $CONFIGS; do
		printf '  %-12s %s\n' "nativeDT-$n" "${WALL[nativeDT-$n]:--}" "native-$n" "${WALL[native-$n]:--}" \
			"nativeEL1-$n" "${WALL[nativeEL1-$n]:--}" "cella-$n" "${WALL[cella-$n]:--}" \
			"cellastats-$n" "${WALL[cellastats-$n]:--}"
	done
	echo
	echo "QEMU command lines:"
	for n in $CONFIGS; do
		[[ -n ${CMD[nativeDT-$n]:-} ]] && echo "  native on the cell's DT, $n vCPU: ${CMD[nativeDT-$n]}   ($B/bench-$n-cell.dtb = cella-pack --guest-dtb linux --description $B/bench-$n.dtb)"
		[[ -n ${CMD[native-$n]:-} ]] && echo "  native EL2, $n vCPU: ${CMD[native-$n]}"
		[[ -n ${CMD[nativeEL1-$n]:-} ]] && echo "  native EL1, $n vCPU: ${CMD[nativeEL1-$n]}"
		[[ -n ${CMD[cella-$n]:-} ]] && echo "  cella,  $n vCPU: ${CMD[cella-$n]}   ($B/bench-$n.img = cella + bench/bench-$n.dts + $G/vmlinuz + $G/initrd.img)"
		[[ -n ${CMD[cellastats-$n]:-} ]] && echo "  cella with trap timing, $n vCPU: ${CMD[cellastats-$n]}"
	done
	[[ -n ${CMD[hc]:-} ]] && echo "  hypercalls: ${CMD[hc]}"
	echo "console logs: $LOGS/"
}

echo
report | tee "$OUT"
((errors == 0)) || { echo "bench: $errors run(s) failed (see above)" >&2; exit 1; }
