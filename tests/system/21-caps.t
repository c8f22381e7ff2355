#!/bin/bash
# Capabilities and cell control (include/cella/abi.h, docs/abi.md): a hostile cell calls with
# unknown IDs, out-of-range (huge, negative as signed), empty and deleted slots, missing rights
# and copies that would add rights, and gets the right code each time while its target keeps
# ticking; then it stops and starts the target through its capability, and a cell it holds no
# capability for (the ticker) never notices. It also holds capabilities to the target's two
# vCPUs (pinned to pCPUs 3 and 1; only vCPU 0 is ever started): VCPU_QUERY reports their state,
# pCPU and index, and cell calls on them, or a vCPU query on a cell capability, answer TYPE.
. "$(dirname "$0")/lib.sh"
plan 13
cat >"$OUT/caps.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=60";
		};
		target: target {
			memory-size = <0x0 0x1000000>;
			vcpus = <2>;
			cpus = <3 1>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=20";
		};
		hostile {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=hostile-caps";
			console;	/* the keyboard cell's lines may be cut and reprinted */
			caps {
				control {
					cell = <&target>;
					rights = "query", "start", "stop";
				};
				look {
					cell = <&target>;
					rights = "query";
				};
				cpu0 {
					vcpu = <&target 0>;
					rights = "query";
					slot = <8>;
				};
				cpu1 {
					vcpu = <&target 1>;
					rights = "query";
					slot = <9>;
				};
			};
		};
	};
};
DTS
pack caps "$OUT/caps.dts"; ok $? "pack a hostile cell with capabilities to 'target' and its vCPUs"
boot caps 4 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has caps '\[hostile\] TESTCELL DONE passed=[1-9][0-9]* failed=0'
ok $? "every hostile call answered with the documented code, control works"
none caps '\[hostile\] FAIL' '\[hostile\] CAPS control done' "no FAIL lines from the hostile cell"
hostile_done=$(line_of caps '\[hostile\] CAPS hostile calls done')
stop=$(line_of caps "cell 'target' stopped: by cell 'hostile' \\(capability\\)")
ok $([ "$hostile_done" -gt 0 ] && [ "$stop" -gt "$hostile_done" ]; echo $?) \
	"the target ran untouched through the hostile calls, then stopped by the capability (line $stop)"
has caps "cell 'target' starting: by cell 'hostile' \\(capability\\)"; ok $? "started again by the capability"
[ "$(count caps '\[target\] TESTCELL mode=ticker')" -eq 2 ]; ok $? "the target booted twice"
has caps '\[ticker\] TICK 60' && [ "$(count caps '\[ticker\] TESTCELL mode=ticker')" -eq 1 ]
ok $? "the ticker, which no capability names, ran once to the end"
has caps '\[target\] TICK 20'; ok $? "the restarted target runs to its end"
# the values, as the hostile cell printed them (its own checks compare them too)
has caps '\[hostile\] PASS vcpu 0 of target \(status 0 state 0 pcpu 3 index 0\)' &&
	has caps '\[hostile\] PASS vcpu 1 of target \(status 0 state 1 pcpu 1 index 1\)'
ok $? "VCPU_QUERY: target vCPU 0 on (0) on pCPU 3, vCPU 1 off (1) on pCPU 1, their indexes"
has caps '\[hostile\] PASS vcpu 0 of the stopped target \(status 0 state 1 pcpu 3 index 0\)' &&
	has caps '\[hostile\] PASS vcpu 0 of the restarted target \(status 0 state 0 pcpu 3 index 0\)'
ok $? "VCPU_QUERY follows the target: vCPU 0 off while it is stopped, on again after the start"
t=0
for c in 'cell query' 'cell start' 'cell stop' 'cell restart'; do
	has caps "\\[hostile\\] PASS $c on a vcpu cap \\(status -5," || t=1
done
has caps '\[hostile\] PASS vcpu query on a cell cap \(status -5,' &&
	has caps '\[hostile\] PASS vcpu query on a query-only cell cap \(status -5,' || t=1
ok $t "CELL_QUERY/START/STOP/RESTART on a vCPU cap and VCPU_QUERY on cell caps answer TYPE (-5)"
has caps "cell 'target': 2 vCPUs on pCPUs 3 1,"; ok $? "cella pinned the target as described"
[ "$T_FAIL" -eq 0 ] || show caps 60
finish
