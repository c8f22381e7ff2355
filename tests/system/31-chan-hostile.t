#!/bin/bash
# Hostile channel accesses (docs/channels.md): a cell that reads a channel but is no writer
# writes into it, and a cell that is no end of any channel reads a channel's IPA. Each access
# stops that cell alone (a stage-2 fault, named by cella); the channel's writer sees its peer
# stop (CHAN_INFO, woken by the peer-event doorbell) and a ticker beside them ticks on.
. "$(dirname "$0")/lib.sh"
plan 8
cat >"$OUT/chan-hostile.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=60";
		};
		owner: owner {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=chan-watch testcell.watch-ms=6000";
		};
		ro: ro {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=chan-ro-write testcell.delay-ms=1500";
		};
		peek {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=chan-peek testcell.ipa=268435456";
		};
	};
	channels {
		published {
			size = <0x1000>;
			ends = <&owner &ro>;
			writers = <&owner>;
		};
	};
};
DTS
pack chan-hostile "$OUT/chan-hostile.dts"; ok $? "pack a writer, a reader that writes, a cell that peeks, a ticker"
boot chan-hostile 4 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has chan-hostile '^\[ro\] PASS ro_rights \(rights 5 without write\)' && has chan-hostile '^\[ro\] PASS ro_read'
ok $? "the reader's capability has read and notify only, and it reads the channel"
has chan-hostile "cell 'ro' vCPU 0: write to read-only memory at IPA 0x10000000 " &&
	has chan-hostile "cell 'ro' stopped: " && ! has chan-hostile '^\[ro\] (FAIL|TESTCELL DONE)'
ok $? "its write into the channel stops it (stage-2 permission fault at the channel's IPA)"
has chan-hostile "cell 'peek' vCPU 0: data abort outside its memory and devices at IPA 0x10000000 " &&
	has chan-hostile "cell 'peek' stopped: " && ! has chan-hostile '^\[peek\] (FAIL|TESTCELL DONE)'
ok $? "a cell that is no end of the channel cannot read its IPA: stopped"
run=$(line_of chan-hostile '^\[owner\] testcell: chan-watch peer running')
stop=$(line_of chan-hostile '^\[owner\] testcell: chan-watch peer stopped rings=[1-9]' "$run")
ok $([ "$run" -gt 0 ] && [ "$stop" -gt "$run" ]; echo $?) \
	"the writer saw its peer running, then stopped, woken by its doorbell (lines $run, $stop)"
has chan-hostile '^\[owner\] TESTCELL DONE passed=[1-9][0-9]* failed=0'; ok $? "the writer runs to its end"
last=$(line_of chan-hostile '^\[ticker\] TICK 60')
ok $([ "$last" -gt "$(line_of chan-hostile "cell 'ro' stopped: ")" ] &&
	[ "$last" -gt "$(line_of chan-hostile "cell 'peek' stopped: ")" ]; echo $?) \
	"the ticker ticks on after both faults (TICK 60 at line $last)"
[ "$T_FAIL" -eq 0 ] || show chan-hostile 60
finish
