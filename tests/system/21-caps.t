#!/bin/bash
# Capabilities and cell control (include/cella/abi.h, docs/abi.md): a hostile cell calls with
# unknown IDs, out-of-range (huge, negative as signed), empty and deleted slots, missing rights
# and copies that would add rights, and gets the right code each time while its target keeps
# ticking; then it stops and starts the target through its capability, and a cell it holds no
# capability for (the ticker) never notices.
. "$(dirname "$0")/lib.sh"
plan 9
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
			};
		};
	};
};
DTS
pack caps "$OUT/caps.dts"; ok $? "pack a hostile cell with two capabilities to 'target'"
boot caps 3 512M 120
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
[ "$T_FAIL" -eq 0 ] || show caps 60
finish
