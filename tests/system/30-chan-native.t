#!/bin/bash
# Channels between native cells (docs/channels.md, include/cella/abi.h ABI 1.2): two test cells
# exchange a million 64-bit messages each way through ring buffers in one channel's memory,
# ringing each other (CHAN_NOTIFY) only when a ring was empty or full and sleeping in WAIT
# otherwise; each end's checksum of what it sent must equal the other's of what it received.
# A ticker beside them must not be slowed into missing its ticks.
. "$(dirname "$0")/lib.sh"
plan 7
cat >"$OUT/chan-native.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=40";
		};
		a: a {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=chan-exchange testcell.count=1000000";
		};
		b: b {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=chan-exchange testcell.count=1000000";
		};
	};
	channels {
		a-b {
			size = <0x10000>;
			ends = <&a &b>;
		};
	};
};
DTS
pack chan-native "$OUT/chan-native.dts"; ok $? "pack two test cells joined by a channel"
boot chan-native 4 512M 300
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has chan-native "^\\[a\\] testcell: channel 'a-b' to 'b' ipa=0x10000000 size=0x10000 slot=0 doorbell=96 end=0 rights=7" &&
	has chan-native "^\\[b\\] testcell: channel 'a-b' to 'a' ipa=0x10000000 size=0x10000 slot=0 doorbell=96 end=1 rights=7"
ok $? "each end finds the channel in its DTB: IPA, size, slot, doorbell, end, rights, peer"
a_sent=$(grep -Eo '^\[a\] testcell: exchange n=1000000 sent_sum=0x[0-9a-f]+' "$OUT/chan-native.log" | sed 's/.*=//')
a_recv=$(grep -Eo '^\[a\] testcell: exchange n=1000000 .* recv_sum=0x[0-9a-f]+' "$OUT/chan-native.log" | sed 's/.*=//')
b_sent=$(grep -Eo '^\[b\] testcell: exchange n=1000000 sent_sum=0x[0-9a-f]+' "$OUT/chan-native.log" | sed 's/.*=//')
b_recv=$(grep -Eo '^\[b\] testcell: exchange n=1000000 .* recv_sum=0x[0-9a-f]+' "$OUT/chan-native.log" | sed 's/.*=//')
[ -n "$a_sent" ] && [ "$a_sent" = "$b_recv" ]; ok $? "a -> b: a million messages, checksums agree ($a_sent, $b_recv)"
[ -n "$b_sent" ] && [ "$b_sent" = "$a_recv" ] && [ "$a_sent" != "$b_sent" ]
ok $? "b -> a: a million messages, checksums agree ($b_sent, $a_recv)"
has chan-native '^\[a\] TESTCELL DONE passed=[1-9][0-9]* failed=0' &&
	has chan-native '^\[b\] TESTCELL DONE passed=[1-9][0-9]* failed=0'
ok $? "both ends pass their checks"
has chan-native '^\[ticker\] TICK 40' && has chan-native '^\[ticker\] PASS ticker'; ok $? "the ticker beside them ticks to the end"
grep -E 'testcell: exchange' "$OUT/chan-native.log" | sed 's/^/# /'
[ "$T_FAIL" -eq 0 ] || show chan-native
finish
