#!/bin/bash
# Native components (components/, the component runtime with picolibc) in cells beside the test
# cell's ticker: hello greets, names its cell from the DTB, reports the ABI probe, sleeps on its
# virtual timer and powers off; a clang-built hello writes to its read-only code and the
# runtime's exception handler dumps its registers and powers it off; the manager skeleton polls
# its slots and prints each slot's answer once. cella stops those cells only.
. "$(dirname "$0")/lib.sh"
plan 12
make -s -C "$ROOT" B="$B/clang" CLANG=1 "$B/clang/components/hello.bin" >"$OUT/component-clang.log" 2>&1 &&
	cp "$B/clang/components/hello.bin" "$OUT/hello-clang.bin"
ok $? "make CLANG=1 builds the runtime and hello without warnings"
# the ticker comes first: it has the keyboard, so the components' output is line-buffered
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
		crash {
			memory-size = <0x0 0x400000>;
			vcpus = <1>;
			kernel = "hello-clang.bin";
			bootargs = "hello.fault=write-text";
		};
		manager {
			memory-size = <0x0 0x400000>;
			vcpus = <1>;
			kernel = "manager.bin";
			bootargs = "manager.slots=0,1,64 manager.rounds=3 manager.period-ms=20";
		};
	};
};
DTS
pack component "$OUT/component.dts" --search "$B/components"; ok $? "pack three components beside a ticker"
boot component 4 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has component '^\[hello\] hello: Hello from a native cella component!'; ok $? "hello's greeting"
has component "^\\[hello\\] hello: I run in cell 'hello' with 16 MiB of RAM at IPA 0x40000000"
ok $? "hello names its cell (DTB model) and its RAM (DTB /memory)"
has component '^\[hello\] hello: cella ABI (probe: NOT_SUPPORTED \(-1\)|[0-9]+\.[0-9]+, [0-9]+ calls)'
ok $? "hello reports the ABI probe"
has component '^\[hello\] hello: slept 10 ms on the virtual timer'; ok $? "hello's timer interrupt"
has component "cell 'hello' stopped: powered off" && has component "^\\[crash\\] hello: I run in cell 'crash' with 4 MiB"
ok $? "hello powers its cell off; the clang build runs too"
far=$(grep -Eo '^\[crash\] hello: hello.fault=write-text: touching 0x[0-9a-f]+' "$OUT/component.log" | sed 's/.*0x//')
has component "^\\[crash\\] cella-rt: unexpected exception: sync in cell 'crash'" &&
	has component '^\[crash\] ESR=0x0000000096[0-9a-f]{4}4[c-f] \(EC 0x25: data abort\)' &&
	has component "^\\[crash\\] ELR=0x[0-9a-f]{16}  FAR=0x0*${far:-none}  " &&
	has component '^\[crash\] x28=0x[0-9a-f]{16}  x29=0x[0-9a-f]{16}  x30=0x' &&
	has component "cell 'crash' stopped: powered off"
ok $? "a write to read-only code: a register dump with ESR (write, permission fault), ELR, FAR 0x$far; the cell powers off"
[ "$(count component '^\[manager\] manager: slot 0: identify [A-Z_]+')" -eq 1 ] &&
	has component '^\[manager\] manager: slot 64: identify [A-Z_]+' &&
	has component '^\[manager\] manager: done after 3 rounds'
ok $? "the manager polls its slots, printing each slot's answer once"
none component "stopped: .*fault|cella-rt: unexpected exception: .* in cell '(hello|manager)'" \
	"cell 'manager' stopped: powered off" "no cell faulted at EL2; only crash took an exception"
last=$(line_of component '\[ticker\] TICK 30')
for c in hello crash manager; do
	s=$(line_of component "cell '$c' stopped: powered off")
	[ "$s" -gt 0 ] && [ "$last" -gt "$s" ] || last=0
done
ok $([ "$last" -gt 0 ]; echo $?) "the ticker keeps running after the three components stop (TICK 30 at line $last)"
[ "$T_FAIL" -eq 0 ] || show component
finish
