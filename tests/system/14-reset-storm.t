#!/bin/bash
# A SYSTEM_RESET storm (issue 6, hole 4): a cell whose first instruction is PSCI SYSTEM_RESET,
# beside a ticker. cella restarts it ever more slowly (backoff after 3 fast restarts) and its
# messages about the cell stay within a budget: a bounded number of "restarting" lines in the
# ~25 s run (about 59,000 in 30 s before), while the ticker keeps its 50 ms pace.
. "$(dirname "$0")/lib.sh"
plan 6
# an arm64 Image (booting.rst header) whose code is: x0 = SYSTEM_RESET; hvc #0; again
python3 - "$OUT/reset-now.bin" <<'PY'
import struct, sys
hdr = struct.pack('<IIQQQQQQ4sI', 0x14000010, 0, 0, 4096, 0xa, 0, 0, 0, b'ARM\x64', 0)
code = struct.pack('<IIII', 0xd2800120, 0xf2b08000, 0xd4000002, 0x17fffffd)
open(sys.argv[1], 'wb').write(hdr + code)
PY
cat >"$OUT/rstorm.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			vcpus = <1>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=200";
		};
		storm {
			memory-size = <0x0 0x1000000>;
			vcpus = <1>;
			kernel = "reset-now.bin";
		};
	};
};
DTS
pack rstorm "$OUT/rstorm.dts"; ok $? "pack a reset-at-first-instruction cell beside a ticker"
boot rstorm 2 512M 25
ok $([ "$STATUS" -eq 124 ]; echo $?) "QEMU runs until the timeout, the storm cell still restarting (status $STATUS)"
r=$(count rstorm "cell 'storm' restarting: reset \(PSCI SYSTEM_RESET\)")
ok $([ "$r" -ge 3 ] && [ "$r" -le 30 ]; echo $?) "$r 'restarting' lines in the run (3 to 30)"
has rstorm "more messages about cell 'storm' were suppressed"
ok $? "the lines over budget are counted, not printed"
has rstorm '\[ticker\] TICK 200' && has rstorm '\[ticker\] TESTCELL DONE passed=[1-9][0-9]* failed=0'
ok $? "the ticker ticks to the end"
g=$(sed -n 's/.*\[ticker\] TICKER worst_gap_us=\([0-9]*\).*/\1/p' "$OUT/rstorm.log")
m=$(sed -n 's/.*\[ticker\] PASS ticker (.*mean \([0-9]*\) CNTVCT.*/\1/p' "$OUT/rstorm.log")
ok $([ -n "$m" ] && [ "$m" -ge 3000000 ] && [ "$m" -le 3250000 ]; echo $?) \
	"the ticker keeps its pace: mean period ${m:-?} CNTVCT ticks (50 ms = 3125000), worst gap ${g:-?} us"
[ "$T_FAIL" -eq 0 ] || show rstorm 30
finish
