#!/bin/bash
# The manager keeps a Debian Linux cell alive, as examples/manager.dts shows a user: Linux (the
# default on-fault "stop") crashes itself from its shell with busybox devmem reading an IPA where
# a cell has neither memory nor a device; cella stops it on the guest fault and the manager,
# holding a cell cap to it, starts it again, back to a shell that answers. Then the operator
# stops it at cella's prompt (Ctrl-], "stop linux"): the manager starts it once more. A Linux
# that powers itself off stays off. A ticker beside it keeps printing all along.
. "$(dirname "$0")/lib.sh"
plan 12
[ -f "$ROOT/guest-cache/vmlinuz" ] || { echo "Bail out! guest-cache missing (make guest)"; exit 1; }
N=manager-linux
cat >"$OUT/$N.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		linux: linux {
			memory-size = <0x0 0x20000000>;
			vcpus = <2>;
			kernel = "vmlinuz";
			initrd = "initrd.img";
			bootargs = "console=ttyAMA0 quiet";
			console;
		};
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=20000";	/* 1000 s */
		};
		manager {
			memory-size = <0x0 0x400000>;
			kernel = "manager.bin";
			bootargs = "manager.slots=0 manager.period-ms=200";
			caps {
				linux {
					cell = <&linux>;
					rights = "query", "start";
				};
			};
		};
	};
};
DTS
pack $N "$OUT/$N.dts" --search "$B/components"; ok $? "pack Linux, a ticker and the manager"

# the user at the keyboard; each expect waits for its pattern after the previous match
SHELL_UP='expect 240 \[linux\] cella-guest: busybox shell
expect 60 \[linux\] cell:[^\r\n]*#
send uname -m
expect 30 \[linux\] aarch64
expect 30 \[linux\] cell:[^\r\n]*#'
python3 "$ROOT/tests/system/console_script.py" "$OUT/$N.img" "$OUT/$N.log" 4 1G 600 <<SCRIPT
$SHELL_UP
# 0x0a000000: below RAM (0x40000000), beside none of the cell's GIC and PL011 frames
send devmem 0x0a000000
expect 30 cell 'linux' stopped: guest fault
$SHELL_UP
key 1d
expect 10 cella>
send stop linux
expect 10 cell 'linux' stopped: by the operator
send exit
$SHELL_UP
send poweroff
expect 30 cell 'linux' stopped: powered off
expect 10 manager: slot 0: .*\(stopped: powered off,
# five of the manager's rounds: time to start it, were it going to
sleep 1
key 1d
expect 10 cella>
send stop manager
expect 10 cell 'manager' stopped: by the operator
send stop ticker
SCRIPT
STATUS=$?
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 once the operator has stopped the last cells (status $STATUS)"

# tick_before LINE: the number of the ticker's last TICK line before LINE (0 if none)
tick_before() {
	awk -v l="$1" 'NR >= l { exit }
		match($0, /\[ticker\] TICK [0-9]+/) { n = substr($0, RSTART + 14, RLENGTH - 14) }
		END { print n + 0 }' "$OUT/$N.log"
}

sh1=$(line_of $N '\[linux\] aarch64')
ok $([ "$sh1" -gt 0 ]; echo $?) "Linux boots to its shell, which answers uname -m"

fault=$(line_of $N "cell 'linux' vCPU [0-9]+: data abort outside its memory and devices at IPA 0xa000000 " "$sh1")
stop1=$(line_of $N "cell 'linux' stopped: guest fault" "$fault")
ok $([ "$sh1" -gt 0 ] && [ "$fault" -gt 0 ] && [ "$stop1" -gt 0 ]; echo $?) \
	"devmem at an unmapped IPA: cella reports the guest fault and stops 'linux' (on-fault stop)"

start1=$(line_of $N "cell 'linux' starting: by cell 'manager' \\(capability\\)" "$stop1")
m1=$(line_of $N '\[manager\] manager: slot 0 stopped \(fault\): starting it again: OK' "$stop1")
ok $([ "$stop1" -gt 0 ] && [ "$start1" -gt 0 ] && [ "$m1" -gt 0 ]; echo $?) \
	"the manager says it starts the faulted cell again, and cella starts it for the manager"

init2=$(line_of $N '\[linux\] cella-guest: /init reached' "$start1")
sh2=$(line_of $N '\[linux\] aarch64' "$init2")
ok $([ "$start1" -gt 0 ] && [ "$init2" -gt 0 ] && [ "$sh2" -gt 0 ]; echo $?) \
	"Linux boots a second time, to a shell that answers uname -m"

t0=$(tick_before "$stop1")
t1_at=$(line_of $N '\[ticker\] TICK [0-9]+' "$stop1")
t1=$(tick_before $((t1_at + 1)))
ok $([ "$stop1" -gt 0 ] && [ "$t1_at" -gt 0 ] && [ "$t1_at" -lt "$init2" ] && [ "$t1" -gt "$t0" ]
     echo $?) "the ticker goes on while Linux is down (TICK $t0 before the crash, TICK $t1 after)"

prompt=$(line_of $N 'cella> ' "$sh2")
stop2=$(line_of $N "cell 'linux' stopped: by the operator" "$prompt")
ok $([ "$sh2" -gt 0 ] && [ "$prompt" -gt 0 ] && [ "$stop2" -gt 0 ]; echo $?) \
	"Ctrl-] opens cella's prompt; 'stop linux' stops the cell"

start2=$(line_of $N "cell 'linux' starting: by cell 'manager' \\(capability\\)" "$stop2")
m2=$(line_of $N '\[manager\] manager: slot 0 stopped \(by the operator\): starting it again: OK' "$stop2")
ok $([ "$stop2" -gt 0 ] && [ "$start2" -gt 0 ] && [ "$m2" -gt 0 ]; echo $?) \
	"the manager starts again the cell the operator stopped"

init3=$(line_of $N '\[linux\] cella-guest: /init reached' "$start2")
sh3=$(line_of $N '\[linux\] aarch64' "$init3")
ok $([ "$start2" -gt 0 ] && [ "$init3" -gt 0 ] && [ "$sh3" -gt 0 ]; echo $?) \
	"Linux boots a third time, to a shell that answers uname -m"

off=$(line_of $N "cell 'linux' stopped: powered off" "$sh3")
seen=$(line_of $N '\[manager\] manager: slot 0: .*\(stopped: powered off,' "$off")
c=$(count $N "cell 'linux' starting")
ok $([ "$sh3" -gt 0 ] && [ "$off" -gt 0 ] && [ "$seen" -gt 0 ] &&
     [ "$(line_of $N "cell 'linux' starting" "$off")" -eq 0 ] && [ "$c" -eq 2 ]; echo $?) \
	"a Linux that powers itself off stays off: the manager sees it and lets it be ($c starts in all)"

t2_at=$(line_of $N '\[ticker\] TICK [0-9]+' "$sh3")
t2=$(tick_before $((t2_at + 1)))
ok $([ "$(count $N '\[ticker\] TESTCELL start')" -eq 1 ] && [ "$t2_at" -gt 0 ] && [ "$t2" -gt "$t1" ] &&
     [ "$(count $N "cell 'ticker' (stopped|restarting)")" -eq 1 ] &&
     [ "$(line_of $N "cell 'ticker' stopped: by the operator" "$off")" -gt 0 ]; echo $?) \
	"the ticker runs once from start to the operator's stop, still ticking after the third boot (TICK $t2)"
[ "$T_FAIL" -eq 0 ] || show $N 60
finish
