#!/bin/bash
# The vCPU lifecycle on shared pCPUs: a cell whose 3 vCPUs all share pCPU 0 with a ticker churns
# PSCI CPU_ON/CPU_OFF/SYSTEM_RESET at random (restarts included), and a cell is stopped and
# started at the operator prompt while it shares its pCPU. Every vCPU still starts and parks as
# PSCI says, the restarts complete, the ticker on the same pCPU runs to its end, and the prompt's
# list shows the shared pCPU.
. "$(dirname "$0")/lib.sh"
plan 9
cat >"$OUT/slc.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=150";
			cpus = <0>;
			console;
		};
		test {
			memory-size = <0x0 0x1000000>;
			vcpus = <3>;
			cpus = <0 0 0>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=hostile-cpu-churn";
		};
	};
};
DTS
pack slc "$OUT/slc.dts"; ok $? "pack a churning 3-vCPU cell and a ticker, all on pCPU 0"
boot slc 1 512M 240
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0: every cell stopped (status $STATUS)"
r=$(count slc "cell 'test' restarting")
has slc '\[test\] CHURN done' && has slc '\[test\] PASS churn_all_off' && [ "$r" -ge 1 ]
ok $? "the churn ran across $r restarts and wound down with every vCPU off"
c=$(count slc '(^|\] )FAIL|PANIC|BUG_ON')
ok $([ "$c" -eq 0 ] && has slc "cell 'test' stopped: powered off"; echo $?) \
	"the churning cell powered off, no FAIL, PANIC or BUG_ON lines ($c)"
has slc '\[ticker\] TICK 150' && has slc '\[ticker\] TESTCELL DONE passed=[1-9][0-9]* failed=0'
ok $? "the ticker on the same pCPU ran to its end"
[ "$T_FAIL" -eq 0 ] || show slc 30

# the operator stops and starts a cell that shares its pCPU; list shows both on pCPU 0
cat >"$OUT/sop.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=120";
			cpus = <0>;
		};
		victim {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=100";
			cpus = <0>;
			console;
		};
	};
};
DTS
pack sop "$OUT/sop.dts"
{
	sleep 4
	printf '\035'; sleep 0.5
	printf 'list\r'; sleep 0.5
	printf 'stop victim\r'; sleep 1
	printf 'start victim\r'; sleep 0.5
	printf '\035'
	sleep 60
} | timeout 90 qemu-system-aarch64 $QEMU_MACHINE -smp 1 -m 512M -nographic \
	-kernel "$OUT/sop.img" >"$OUT/sop.log" 2>&1
has sop "victim +[a-z]+ +vCPUs 1 on pCPUs 0 " && has sop "ticker +[a-z]+ +vCPUs 1 on pCPUs 0 "
ok $? "the prompt lists both cells on pCPU 0"
has sop "cell 'victim' stopped: by the operator" && has sop "cell 'victim' starting: by the operator"
ok $? "the operator stopped and started the cell that shares pCPU 0"
[ "$(count sop '\[victim\] TESTCELL mode=ticker')" -eq 2 ] && has sop '\[victim\] TICK 100'
ok $? "it booted twice and the second run reached its end"
has sop '\[ticker\] TICK 120' && [ "$(count sop '\[ticker\] TESTCELL mode=ticker')" -eq 1 ]
ok $? "its neighbour on the same pCPU ran once, to its end"
[ "$T_FAIL" -eq 0 ] || show sop 40
finish
