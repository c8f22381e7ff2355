#!/bin/bash
# vCPU scheduler with Debian's Linux on a 2-pCPU machine (-smp 2):
# (a) one cell with 4 vCPUs, two on each pCPU (cpus = <0 1 0 1>): it boots to its shell, sees 4
#     CPUs online, and a busy loop pinned to each vCPU (taskset) finishes on all four at once;
# (b) two Linux cells of 2 vCPUs each and a ticker, none naming its pCPUs (5 vCPUs spread over
#     2 pCPUs): both shells answer, the keyboard moving between them at cella's prompt (Ctrl-],
#     focus), and the ticker ticks to its end all along.
. "$(dirname "$0")/lib.sh"
plan 10
[ -f "$ROOT/guest-cache/vmlinuz" ] || { echo "Bail out! guest-cache missing (make guest)"; exit 1; }
MAX_TICK_GAP_US=1000000	# the ticker's worst gap between ticks (50 ms apart)

# ---- (a) 4 vCPUs on 2 pCPUs
N=sched-linux4
cat >"$OUT/$N.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		linux {
			memory-size = <0x0 0x10000000>;		/* 256 MiB */
			vcpus = <4>;
			cpus = <0 1 0 1>;
			kernel = "vmlinuz";
			initrd = "initrd.img";
			bootargs = "console=ttyAMA0 quiet";
		};
	};
};
DTS
pack $N "$OUT/$N.dts"; ok $? "linux4: pack a Linux cell with 4 vCPUs on pCPUs 0 1 0 1"
# (what the shell prints is built with $((...)) so that the echo of the typed line never matches)
python3 "$ROOT/tests/system/console_script.py" "$OUT/$N.img" "$OUT/$N.log" 2 512M 300 <<'SCRIPT'
expect 240 cella-guest: busybox shell
expect 60 cell:[^\r\n]*#
send echo nproc=$(nproc) online=$(cat /sys/devices/system/cpu/online)
expect 30 nproc=4 online=0-3
send for m in 1 2 4 8; do taskset $m sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done; echo burned-on-'$m & done; wait; echo burns-$((40 + 2))
expect 120 burns-42
send poweroff
expect 60 cell 'linux' stopped: powered off
SCRIPT
STATUS=$?
ok $([ "$STATUS" -eq 0 ]; echo $?) "linux4: QEMU exits 0 after the shell's poweroff (status $STATUS)"
sh=$(line_of $N 'cella-guest: busybox shell')
ok $([ "$sh" -gt 0 ] && [ "$(line_of $N 'nproc=4 online=0-3' "$sh")" -gt 0 ]; echo $?) \
	"linux4: Linux boots to its shell; nproc prints 4 and CPUs 0-3 are online"
burned=$(grep -Eo 'burned-on-[1248]\b' "$OUT/$N.log" | sort -u | wc -l)
ok $([ "$burned" -eq 4 ] && has $N 'burns-42'; echo $?) \
	"linux4: a busy loop pinned to each vCPU finishes on all of them ($burned of 4)"
[ "$T_FAIL" -eq 0 ] || show $N 30
F=$T_FAIL

# ---- (b) two Linux cells and a ticker
N=sched-linux-mix
cat >"$OUT/$N.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ui {
			memory-size = <0x0 0x10000000>;		/* 256 MiB */
			vcpus = <2>;
			kernel = "vmlinuz";
			initrd = "initrd.img";
			bootargs = "console=ttyAMA0 quiet";
			console;
		};
		services {
			memory-size = <0x0 0x10000000>;
			vcpus = <2>;
			kernel = "vmlinuz";
			initrd = "initrd.img";
			bootargs = "console=ttyAMA0 quiet";
		};
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=400";	/* 20 s */
		};
	};
};
DTS
pack $N "$OUT/$N.dts"; ok $? "mix: pack two Linux cells (2 vCPUs each) and a ticker, no 'cpus'"
# services may reach its shell before or after ui ('seen'), and as it does not have the keyboard
# its prompt, a line without an end, shows only once it has: wait for the line before it
python3 "$ROOT/tests/system/console_script.py" "$OUT/$N.img" "$OUT/$N.log" 2 1G 400 <<'SCRIPT'
expect 300 \[ui\] cella-guest: busybox shell
expect 60 \[ui\] cell:[^\r\n]*#
send echo $(uname -m) cpus=$(nproc)
expect 30 \[ui\] aarch64 cpus=2
seen 300 \[services\] Enter 'help' for a list of built-in commands
key 1d
expect 10 cella>
send focus services
expect 10 the keyboard goes to cell 'services'
send exit
send
expect 30 \[services\] cell:[^\r\n]*#
send echo $(uname -m) cpus=$(nproc)
expect 30 \[services\] aarch64 cpus=2
send poweroff
expect 60 cell 'services' stopped: powered off
key 1d
expect 10 cella>
send focus ui
expect 10 the keyboard goes to cell 'ui'
send exit
send poweroff
expect 60 cell 'ui' stopped: powered off
SCRIPT
STATUS=$?
ok $([ "$STATUS" -eq 0 ]; echo $?) \
	"mix: QEMU exits 0 once both Linux cells have powered off and the ticker has ended (status $STATUS)"
ok $(has $N '\[ui\] aarch64 cpus=2'; echo $?) "mix: ui's shell answers (aarch64, 2 CPUs)"
focus=$(line_of $N "the keyboard goes to cell 'services'")
ok $([ "$focus" -gt 0 ] && [ "$(line_of $N '\[services\] aarch64 cpus=2' "$focus")" -gt 0 ]; echo $?) \
	"mix: focus services at the prompt; services' shell answers (aarch64, 2 CPUs)"
has $N "cell 'services' stopped: powered off" && has $N "cell 'ui' stopped: powered off"
ok $? "mix: each Linux cell powers off from its shell"
gap=$(field $N '\[ticker\] TICKER ' worst_gap_us)
has $N '\[ticker\] TICK 400' && has $N '\[ticker\] TESTCELL DONE passed=[1-9][0-9]* failed=0'; r=$?
ok $([ "$r" -eq 0 ] && [ -n "$gap" ] && [ "$gap" -lt "$MAX_TICK_GAP_US" ]; echo $?) \
	"mix: the ticker beside them ticks 400 times, its worst gap ${gap:-?} us (< $MAX_TICK_GAP_US us)"
[ "$T_FAIL" -eq "$F" ] || show $N 40
finish
