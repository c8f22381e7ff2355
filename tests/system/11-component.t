#!/bin/bash
# A native component (components/hello, built with the component runtime and picolibc) boots in
# a cell beside the test cell's ticker: it greets, names its cell from the DTB, reports the ABI
# probe, sleeps on its virtual timer and powers off; cella stops only its cell.
. "$(dirname "$0")/lib.sh"
plan 8
cat >"$OUT/component.dts" <<DTS
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			vcpus = <1>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=30";
		};
		hello {
			memory-size = <0x0 0x1000000>;
			vcpus = <1>;
			kernel = "hello.bin";
		};
	};
};
DTS
pack component "$OUT/component.dts" --search "$B/components"; ok $? "pack hello beside a ticker"
boot component 2 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has component '\[hello\] hello: Hello from a native cella component!'; ok $? "hello's greeting"
has component "\\[hello\\] hello: I run in cell 'hello' with 16 MiB of RAM at IPA 0x40000000"
ok $? "hello names its cell (DTB model) and its RAM (DTB /memory)"
has component '\[hello\] hello: cella ABI (probe: NOT_SUPPORTED \(-1\)|[0-9]+\.[0-9]+, [0-9]+ calls)'
ok $? "hello reports the ABI probe"
has component '\[hello\] hello: slept 10 ms on the virtual timer'; ok $? "hello's timer interrupt"
none component "cell '(ticker|hello)' stopped: (guest fault|.*fault)|cella-rt: unexpected" \
	"cell 'hello' stopped: powered off" "cella stopped hello's cell, powered off, and nothing else faulted"
stop=$(line_of component "cell 'hello' stopped: powered off"); last=$(line_of component '\[ticker\] TICK 30')
ok $([ "$stop" -gt 0 ] && [ "$last" -gt "$stop" ]; echo $?) \
	"the ticker keeps running after hello stops (stop at line $stop, TICK 30 at line $last)"
[ "$T_FAIL" -eq 0 ] || show component
finish
