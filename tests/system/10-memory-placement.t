#!/bin/bash
# A cell with a fixed host address (memory-pa) and cells placed by cella share the RAM: fixed
# ranges are reserved first, the others carved around them, whatever the order in the file.
. "$(dirname "$0")/lib.sh"
plan 4
cat >"$OUT/place.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		big {
			memory-size = <0x0 0x4000000>;		/* 64 MiB, placed by cella */
			vcpus = <1>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=poweroff";
		};
		pinned {
			memory-size = <0x0 0x1000000>;		/* 16 MiB at a fixed PA near the top */
			memory-pa = <0x0 0x5e000000>;
			vcpus = <1>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=poweroff";
		};
	};
};
DTS
# --in-place none: a cell booted in place sits where the image put it, not where placement would
pack place "$OUT/place.dts" --in-place none; ok $? "pack"
boot place 2 512M 60
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has place "cell 'pinned': 1 vCPU on pCPU 1, 16 MiB at PA 0x5e000000" &&
	has place "cell 'big': 1 vCPU on pCPU 0, 64 MiB at PA 0x5a000000"
ok $? "the fixed cell is where the description says, the other one below it"
[ "$(count place 'POWEROFF')" -eq 2 ]; ok $? "both cells ran"
[ "$T_FAIL" -eq 0 ] || show place
finish
