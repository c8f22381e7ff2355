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
#
# Then the null hypercall (bench/hypercall.dts), and the virtual-timer interrupt latency
# (components/rtlat, the method of Martins and Pinto's RTAS 2023 comparison of static-partitioning
# hypervisors): bare metal, in cella's only cell, and in a cell sharing its pCPU with a busy
# lower-priority cell; a table, and a histogram build/bench/irq-latency.png (gnuplot).
#
# BENCH_PARTS picks parts (default "boot hypercall irq"; e.g. BENCH_PARTS=irq bench/boot.sh
# after `make` runs the latency part alone); BENCH_VCPUS the boot part's configurations.
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
PARTS=${BENCH_PARTS:-boot hypercall switch irq}
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

# part NAME: is NAME among BENCH_PARTS?
part() { [[ " $PARTS " == *" $1 "* ]]; }

for p in $PARTS; do
	[[ $p == boot || $p == hypercall || $p == switch || $p == irq ]] ||
		die "BENCH_PARTS: unknown part '$p' (the parts: boot hypercall switch irq)"
done
part boot || CONFIGS=""
need=("$B/cella.bin" "$B/cella-pack")
part boot && need+=("$G/vmlinuz" "$G/initrd.img")
part hypercall && need+=("$B/guests/testcell.bin")
part switch && need+=("$B/guests/testcell.bin")
part irq && need+=("$B/components/rtlat.bin" "$B/components/spin.bin")
for f in "${need[@]}"; do
	[[ -s $f ]] || die "$f is missing (run 'make bench', which builds and fetches everything)"
done
command -v "$QEMU" >/dev/null || die "$QEMU not found: run tools/setup.sh"
command -v dtc >/dev/null || die "dtc not found: run tools/setup.sh"
if part irq; then
	command -v gnuplot >/dev/null || die "gnuplot not found: run tools/setup.sh"
fi
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
if part hypercall && dtc -q -I dts -O dtb -o "$B/bench-hc.dtb" bench/hypercall.dts &&
	"$B/cella-pack" -o "$B/bench-hc.img" --cella "$B/cella.bin" --description "$B/bench-hc.dtb" \
		--search "$B/guests" >/dev/null; then
	CMD[hc]=$(quote_cmd "$QEMU" "${QEMU_DET[@]}" -smp 1 -m 512M -kernel "$B/bench-hc.img")
	timeout "$TIMEOUT" "$QEMU" "${QEMU_DET[@]}" -smp 1 -m 512M -kernel "$B/bench-hc.img" \
		</dev/null >"$LOGS/hypercall.log" 2>&1
	HC_LINE=$(tr -d '\r' <"$LOGS/hypercall.log" | grep -a -o -m1 'BENCH hypercall .*')
fi
if part hypercall && [[ -z $HC_LINE ]]; then
	echo "bench: the hypercall benchmark printed no figure; see $LOGS/hypercall.log" >&2
	errors=$((errors + 1))
fi
hc_field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$HC_LINE"; }

# ---- vCPU switch: two cells at equal priority with 100 us slices on one pCPU -----------------
# Each counts its own run time in a window of counter time; what neither ran is the switches'
# (bench/switch.dts, testcell.mode=bench-switch).
SW_A="" SW_B=""
if part switch && dtc -q -I dts -O dtb -o "$B/bench-switch.dtb" bench/switch.dts &&
	"$B/cella-pack" -o "$B/bench-switch.img" --cella "$B/cella.bin" --pcpus 1 \
		--description "$B/bench-switch.dtb" --search "$B/guests" >/dev/null; then
	CMD[switch]=$(quote_cmd "$QEMU" "${QEMU_DET[@]}" -smp 1 -m 512M -kernel "$B/bench-switch.img")
	timeout "$TIMEOUT" "$QEMU" "${QEMU_DET[@]}" -smp 1 -m 512M -kernel "$B/bench-switch.img" \
		</dev/null >"$LOGS/switch.log" 2>&1
	SW_A=$(tr -d '\r' <"$LOGS/switch.log" | grep -a -o -m1 '\[a\] BENCH switch .*')
	SW_B=$(tr -d '\r' <"$LOGS/switch.log" | grep -a -o -m1 '\[b\] BENCH switch .*')
fi
if part switch && [[ -z $SW_A || -z $SW_B ]]; then
	echo "bench: the vCPU switch benchmark printed no figure; see $LOGS/switch.log" >&2
	errors=$((errors + 1))
fi
sw_field() { sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<<"$1"; }

# ---- interrupt latency: the virtual timer's, bare metal and in cells (components/rtlat) -------
# rtlat arms its EL1 virtual timer a deterministic pseudo-random 200..1200 us ahead, sleeps in
# WFI and reads CNTVCT first thing in its interrupt handler: latency = that reading - the
# deadline, in counter ticks, which -icount turns into instructions (1e9 / cntfrq each: 16 on
# QEMU virt; a latency is a whole number of ticks, so the instructions rounded down to a
# multiple of 16). The same image in all three cases, each on one pCPU (-smp 1):
#   native  rtlat.bin bare metal: EL1 on QEMU virt without EL2, on QEMU's own device tree
#           (-append gives its bootargs): the limit, what no hypervisor costs
#   alone   rtlat as cella's only cell (bench/rtlat.dts)
#   busy    rtlat at priority 200 and spin (components/spin, computes forever) at priority 50
#           on the same pCPU (bench/rtlat-busy.dts): cella's vCPU scheduler must preempt spin
#           in time. spin never powers off: the run is stopped once rtlat has reported.
IRQ_SAMPLES=1000	# what bench/rtlat*.dts ask for; fewer is an error
IRQ_ALONE_GOAL=300	# cella alone: median <= native's median + this many instructions
IRQ_BUSY_GOAL=1500	# with the busy sibling: max <= native's max + this many
IRQ_CASES="native alone busy"
IRQ_PNG=$LOGS/irq-latency.png
declare -A IRQ=() IRQ_WHY=()
declare -A IRQ_TITLE=([native]="native (bare metal)" [alone]="cella alone"
	[busy]="cella + busy sibling")
# console lines after which rtlat cannot report: a panic, cella refusing the description at
# boot, the runtime's exception dump, the cell stopped (before its report)
IRQ_FAIL_RE="$FAIL_RE|cella: error:|cella-rt: unexpected exception|cella: cell 'rtlat' stopped"

# irq_fail KEY WHY [LOG]: one failed case: say why (and the log's tail), count the error
irq_fail() {
	echo "FAILED"
	echo "bench: irq-$1: $2" >&2
	[[ -n ${3:-} ]] && tail -n 25 "$3" | sed 's/^/    | /' >&2
	IRQ_WHY[$1]=$2
	errors=$((errors + 1))
}

# irq_pack KEY DTS: $B/irq-KEY.img from DTS, checked for one pCPU (as -smp 1); says why not
irq_pack() {
	local key=$1 dts=$2 msg
	if ! dtc -q -I dts -O dtb -o "$B/irq-$key.dtb" "$dts"; then
		printf 'bench: %-14s ' "irq-$key"
		irq_fail "$key" "dtc cannot compile $dts"
		return 1
	fi
	if ! msg=$("$B/cella-pack" -o "$B/irq-$key.img" --cella "$B/cella.bin" --pcpus 1 \
		--description "$B/irq-$key.dtb" --search "$B/components" 2>&1); then
		printf 'bench: %-14s ' "irq-$key"
		# a cella without the vCPU scheduler refuses two cells on one pCPU
		if [[ $msg == *"at most one vCPU"* || $msg == *"already used by"* ]]; then
			irq_fail "$key" "cannot pack $dts: $msg (two cells share pCPU 0 here: this needs cella's vCPU scheduler)"
			IRQ_WHY[$key]="cella-pack refused two cells on one pCPU (needs the vCPU scheduler)"
		else
			irq_fail "$key" "cannot pack $dts: $msg"
		fi
		return 1
	fi
}

# irq_run KEY QEMU-ARGS...: run rtlat once, console in $LOGS/irq-KEY.log. On success IRQ[KEY]
# is "min median p99 max" in instructions and $LOGS/irq-KEY.dat the histogram (lines of
# ticks, instructions, samples); otherwise irq_fail says why.
irq_run() {
	local key=$1 log=$LOGS/irq-$1.log out=$LOGS/irq-$1.rtlat pid rc seen="" t0 t1 line hl
	local frq chk v s="" f
	shift
	CMD[irq-$key]=$(quote_cmd "$QEMU" "$@")
	printf 'bench: %-14s ' "irq-$key"
	t0=$(date +%s.%N)
	timeout "$TIMEOUT" "$QEMU" "$@" </dev/null >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 0.2
		if [[ -z $seen ]] && grep -aq 'RTLAT end' "$log"; then
			seen=$SECONDS
		elif [[ -n $seen ]] && { ((SECONDS - seen >= LINGER)) ||
			grep -aq "cella: cell 'rtlat' stopped" "$log"; }; then
			# rtlat has reported and stopped; what still runs (spin) is not measured
			kill "$pid" 2>/dev/null
			break
		elif [[ -z $seen ]] && grep -aEq "$IRQ_FAIL_RE" "$log"; then
			sleep 1
			kill "$pid" 2>/dev/null
			break
		fi
	done
	wait "$pid"
	rc=$?
	t1=$(date +%s.%N)
	WALL[irq-$key]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	# cella prefixes a line with "[rtlat] " when several cells run
	tr -d '\r' <"$log" | grep -a -o 'RTLAT .*' >"$out"
	line="$(grep -m1 '^RTLAT samples=' "$out") $(grep -m1 '^RTLAT info ' "$out")"
	hl=$(sed -n 's/^RTLAT end hist-lines=\([0-9]*\)$/\1/p' "$out" | head -n 1)
	if [[ $line != *samples=*cntfrq=* || -z $hl ]]; then
		if grep -aEq "$IRQ_FAIL_RE" "$log"; then
			irq_fail "$key" "rtlat stopped before its report (see below)" "$log"
		elif ((rc == 124)); then
			irq_fail "$key" "no 'RTLAT end' line within ${TIMEOUT} s" "$log"
		else
			irq_fail "$key" "QEMU exited with status $rc before rtlat's 'RTLAT end' line" "$log"
		fi
		return 1
	fi
	for f in samples min median p99 max cntfrq missed early; do
		s+=" $(sed -n "s/.* $f=\([0-9]*\).*/\1/p" <<<"$line")"
	done
	read -r -a v <<<"$s"
	if ((${#v[@]} != 8)); then
		irq_fail "$key" "cannot read rtlat's summary: $line"
		return 1
	fi
	frq=${v[5]}
	# the report whole: as many hist lines as announced, whose counts add up to the samples
	chk=$(awk -v hl="$hl" -v n="${v[0]}" '
		/^RTLAT hist / { lines++; for (i = 3; i <= NF; i++) { split($i, p, ":"); sum += p[2] } }
		END { if (lines != hl || sum != n)
			printf "%d hist lines (%d announced) with %d samples (%d announced)",
				lines, hl, sum, n }' "$out")
	if [[ -n $chk ]]; then
		irq_fail "$key" "rtlat's report is garbled: $chk" "$log"
	elif ((frq == 0)); then
		irq_fail "$key" "cntfrq is 0"
	elif ((v[6] + v[7] > 0)); then
		irq_fail "$key" "${v[6]} timer interrupts never came, ${v[7]} came early" "$log"
	elif ((v[0] < IRQ_SAMPLES)); then
		irq_fail "$key" "${v[0]} samples, fewer than the $IRQ_SAMPLES wanted"
	else
		IRQ[$key]="$(to_instr "${v[1]}" "$frq") $(to_instr "${v[2]}" "$frq") $(to_instr "${v[3]}" "$frq") $(to_instr "${v[4]}" "$frq")"
		awk -v f="$frq" '/^RTLAT hist / { for (i = 3; i <= NF; i++) { split($i, p, ":")
			printf "%d %d %d\n", p[1], p[1] * 1e9 / f, p[2] } }' "$out" >"$LOGS/irq-$key.dat"
		read -r -a v <<<"${IRQ[$key]}"
		printf '%s instructions median, %s max (%s s wall)\n' "${v[1]}" "${v[3]}" "${WALL[irq-$key]}"
		((rc == 0 || rc == 143)) || echo "bench: irq-$key: note: QEMU exited with status $rc" >&2
	fi
}

# irq_plot: the histograms of the cases measured, side by side in one plot, into $IRQ_PNG
irq_plot() {
	local k xmax=0 w i=0 plots="" missing="" label="" v
	local -A color=([native]="#2b8a3e" [alone]="#1c7ed6" [busy]="#e8590c")
	for k in $IRQ_CASES; do
		if [[ -n ${IRQ[$k]:-} ]]; then
			read -r -a v <<<"${IRQ[$k]}"
			((v[3] > xmax)) && xmax=${v[3]}
		else
			missing+="${missing:+, }${IRQ_TITLE[$k]}"
		fi
	done
	((xmax > 0)) || { echo "bench: irq: no case measured, no histogram" >&2; return 1; }
	[[ -n $missing ]] &&
		label="set label 1 'not measured: $missing (see build/bench.txt)' at graph 0.5, graph 0.75 center"
	# bars a third of a tick wide at least, side by side around their bucket
	w=$(((xmax + 64) / 150))
	((w < 5)) && w=5
	for k in $IRQ_CASES; do
		[[ -n ${IRQ[$k]:-} ]] || continue
		read -r -a v <<<"${IRQ[$k]}"
		plots+="${plots:+, }'$LOGS/irq-$k.dat' using (\$2 + $(((i - 1) * w))):3 with boxes"
		plots+=" lc rgb '${color[$k]}' title '${IRQ_TITLE[$k]}: median ${v[1]}, max ${v[3]}'"
		i=$((i + 1))
	done
	gnuplot <<GNUPLOT
set terminal pngcairo size 1100,600 font ',10'
set output '$IRQ_PNG'
set title "virtual-timer interrupt latency, QEMU virt -icount shift=0 (1 instruction = 1 ns), $IRQ_SAMPLES samples each"
set xlabel 'latency (instructions; whole counter ticks of 16, rounded down)'
set ylabel 'samples'
set logscale y
set yrange [0.7:*]
set xrange [0:$((xmax + xmax / 20 + 32))]
set style fill solid 0.85 noborder
set boxwidth $w absolute
set key top center
set grid ytics
$label
plot $plots
GNUPLOT
}

if part irq; then
	for k in $IRQ_CASES; do
		rm -f "$LOGS/irq-$k.dat" "$LOGS/irq-$k.rtlat" "$B/irq-$k.img"
	done
	irq_run native "${QEMU_DET_EL1[@]}" -smp 1 -m 512M -kernel "$B/components/rtlat.bin" \
		-append "rtlat.samples=$IRQ_SAMPLES"
	irq_pack alone bench/rtlat.dts &&
		irq_run alone "${QEMU_DET[@]}" -smp 1 -m 512M -kernel "$B/irq-alone.img"
	irq_pack busy bench/rtlat-busy.dts &&
		irq_run busy "${QEMU_DET[@]}" -smp 1 -m 512M -kernel "$B/irq-busy.img"
	rm -f "$IRQ_PNG"
	if ! irq_plot || [[ ! -s $IRQ_PNG ]]; then
		echo "bench: gnuplot drew no $IRQ_PNG" >&2
		errors=$((errors + 1))
	fi
fi

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
	local n qv
	qv=$("$QEMU" --version | head -n 1)
	[[ $PARTS == "boot hypercall switch irq" ]] || echo "(BENCH_PARTS=\"$PARTS\": only these parts ran)"
	[[ -n $CONFIGS ]] && report_boot "$qv"
	[[ -n $HC_LINE ]] && report_hc
	[[ -n $SW_A && -n $SW_B ]] && report_switch
	part irq && report_irq
	[[ -n $CONFIGS ]] &&
		echo "goal: cella <= ${GOAL}x native(cell DT).  reference: Xen 4.17 + dom0 ${XEN_RATIO}x native (1 vCPU, PLATFORM-NOTES.md)."
	echo "deterministic: -icount shift=0,sleep=off -seed 1 give identical counts on every run of the same"
	echo "build (1 instruction = 1 ns of guest time; cntvct * 1e9 / cntfrq); wall times vary and are not the figure."
	echo "$qv"
	echo
	echo "wall time per run (s):"
	for n in $CONFIGS; do
		printf '  %-12s %s\n' "nativeDT-$n" "${WALL[nativeDT-$n]:--}" "native-$n" "${WALL[native-$n]:--}" \
			"nativeEL1-$n" "${WALL[nativeEL1-$n]:--}" "cella-$n" "${WALL[cella-$n]:--}" \
			"cellastats-$n" "${WALL[cellastats-$n]:--}"
	done
	for n in $(part irq && echo "$IRQ_CASES"); do
		printf '  %-12s %s\n' "irq-$n" "${WALL[irq-$n]:--}"
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
	[[ -n ${CMD[irq-native]:-} ]] && echo "  interrupt latency, native: ${CMD[irq-native]}"
	[[ -n ${CMD[irq-alone]:-} ]] && echo "  interrupt latency, cella alone: ${CMD[irq-alone]}   ($B/irq-alone.img = cella + bench/rtlat.dts + rtlat.bin)"
	[[ -n ${CMD[irq-busy]:-} ]] && echo "  interrupt latency, cella + busy sibling: ${CMD[irq-busy]}   ($B/irq-busy.img = cella + bench/rtlat-busy.dts + rtlat.bin + spin.bin)"
	echo "console logs: $LOGS/"
}

# report_boot QEMU-VERSION: the boot benchmark's tables
report_boot() {
	local n dt nat nat1 cel own
	echo "cella boot benchmark: instructions from machine reset to the Linux guest's /init"
	echo "guest: $(cat "$G/VERSION" 2>/dev/null || echo "kernel $G/vmlinuz"), busybox initramfs; $1"
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
}

# report_hc: the hypercall figures
report_hc() {
	echo "hypercalls (instructions per round trip, guest HVC to the next instruction; $(hc_field calls) calls each,"
	echo "the loop's own cost taken out; bench/hypercall.dts, testcell.mode=bench-hc):"
	awk -v n="$(hc_field nop_x100)" -v q="$(hc_field query_x100)" -v g="$HC_GOAL" -v k="$KVM_HVC" 'BEGIN {
		printf "  null hypercall (CELLA_FN_NOP)           %8.1f   (goal <= %d; KVM/arm64 HVC round trip on this QEMU: %d)\n", n / 100, g, k
		printf "  capability-checked call (CELL_QUERY)    %8.1f\n", q / 100 }'
	echo
}

# report_switch: the vCPU switch figure
report_switch() {
	local ra rb ga gb w
	ra=$(sw_field "$SW_A" run_ticks) rb=$(sw_field "$SW_B" run_ticks)
	ga=$(sw_field "$SW_A" gaps) gb=$(sw_field "$SW_B" gaps) w=$(sw_field "$SW_A" window_ticks)
	echo "vCPU switch between two cells on one pCPU (equal priority, 100 us slices; a preemptive switch:"
	echo "timer interrupt, scheduler, save, restore, entry; bench/switch.dts, testcell.mode=bench-switch):"
	awk -v w="$w" -v ra="$ra" -v rb="$rb" -v ga="$ga" -v gb="$gb" 'BEGIN {
		n = ga + gb
		if (n == 0) { print "  no switch seen"; exit }
		printf "  per switch %8.0f instructions   (%d switches in %.1f ms of guest time; 1 tick = 16 instructions)\n",
			(w - ra - rb) * 16 / n, n, w * 16 / 1e6 }'
	echo
}

# irq_goal WHAT FIELD SLACK CASE: is CASE's FIELD (1 min, 2 median, 3 p99, 4 max) within
# native's + SLACK instructions?
irq_goal() {
	local what=$1 f=$2 slack=$3 k=$4 nat cel
	nat=$(cut -d' ' -f"$f" <<<"${IRQ[native]:-}")
	cel=$(cut -d' ' -f"$f" <<<"${IRQ[$k]:-}")
	if [[ -z $nat || -z $cel ]]; then
		printf '  goal: %s <= native + %s: not measured\n' "$what" "$slack"
	elif ((cel <= nat + slack)); then
		printf '  goal: %s <= native + %s: %s <= %s + %s: met\n' "$what" "$slack" "$cel" "$nat" "$slack"
	else
		printf '  goal: %s <= native + %s: %s > %s + %s: NOT MET (%s over)\n' "$what" "$slack" \
			"$cel" "$nat" "$slack" "$((cel - nat - slack))"
	fi
}

# report_irq: the interrupt latency table and goals
report_irq() {
	local k v
	echo "virtual-timer interrupt latency (instructions from the timer's deadline to the CNTVCT read first thing"
	echo "in its handler; $IRQ_SAMPLES samples each, deadlines 200..1200 us ahead; components/rtlat, -smp 1):"
	printf '  %-24s %8s %8s %8s %8s\n' case min median p99 max
	for k in $IRQ_CASES; do
		if [[ -n ${IRQ[$k]:-} ]]; then
			read -r -a v <<<"${IRQ[$k]}"
			printf '  %-24s %8s %8s %8s %8s\n' "${IRQ_TITLE[$k]}" "${v[@]}"
		else
			printf '  %-24s not measured: %s\n' "${IRQ_TITLE[$k]}" "${IRQ_WHY[$k]:-?}"
		fi
	done
	irq_goal "cella alone, median" 2 "$IRQ_ALONE_GOAL" alone
	irq_goal "cella + busy sibling, max" 4 "$IRQ_BUSY_GOAL" busy
	echo "  (a latency is a whole number of counter ticks of 16 instructions, rounded down. native: rtlat at EL1"
	echo "  on QEMU virt without EL2, the limit. All include rtlat's runtime vector (x0-x30 and q0-q31 saved)"
	echo "  and GIC acknowledge, about 80 instructions. Histogram: $IRQ_PNG; per case: $LOGS/irq-*.dat)"
	echo
}

echo
report | tee "$OUT"
((errors == 0)) || { echo "bench: $errors run(s) failed (see above)" >&2; exit 1; }
