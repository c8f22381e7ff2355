#!/bin/bash
# Fault policies and the manager: a cell with on-fault = "restart" and restart-limit = <2 60>
# is restarted twice after faulting, then stopped for good; a faulting cell with the default
# on-fault = "stop" is started again by the manager component through its capability; a
# ticker beside them keeps its pace and cella never spins or floods the console.
. "$(dirname "$0")/lib.sh"
plan 8
cat >"$OUT/fault.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=60";
		};
		crasher {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=hostile-oob";
			on-fault = "restart";
			restart-limit = <2 60>;
		};
		faulty: faulty {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=hostile-oob";
		};
		manager {
			memory-size = <0x0 0x400000>;
			kernel = "manager.bin";
			bootargs = "manager.slots=0 manager.rounds=4 manager.period-ms=100";
			caps {
				faulty {
					cell = <&faulty>;
					rights = "query", "start";
				};
			};
		};
	};
};
DTS
pack fault "$OUT/fault.dts" --search "$B/components"; ok $? "pack"
boot fault 4 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
c=$(count fault '\[crasher\] TESTCELL mode=hostile-oob')
ok $([ "$c" -eq 3 ]; echo $?) "on-fault restart: the crasher booted 3 times (once + restart-limit 2): $c"
has fault "cell 'crasher' stopped: guest fault, and its restart-limit is reached"
ok $? "then it stopped for good, saying why"
c=$(count fault "cell 'crasher' restarting: guest fault \\(on-fault\\)")
ok $([ "$c" -eq 2 ]; echo $?) "two restarts reported ($c)"
has fault "cell 'faulty' stopped: guest fault" &&
	has fault '\[manager\] manager: slot 0 stopped \(fault\): starting it again: OK'
ok $? "the manager saw 'faulty' stopped on a fault (reason 3) and started it"
c=$(count fault '\[faulty\] TESTCELL mode=hostile-oob')
ok $([ "$c" -ge 2 ]; echo $?) "faulty booted again after the manager's start ($c boots)"
has fault '\[ticker\] TICK 60' && has fault '\[ticker\] TESTCELL DONE passed=[1-9][0-9]* failed=0'
ok $? "the ticker keeps its pace to the end"
[ "$T_FAIL" -eq 0 ] || show fault 60
finish
