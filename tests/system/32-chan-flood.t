#!/bin/bash
# A doorbell flood (docs/channels.md): a cell rings its channel's peer (CHAN_NOTIFY) in a tight
# loop for 8 s. The peer, which takes its doorbell by polling after WAIT, keeps running and
# ends on time; a ticker beside them keeps its period; the flooder is never refused.
. "$(dirname "$0")/lib.sh"
plan 6
cat >"$OUT/chan-flood.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=160";
		};
		flood: flood {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=chan-flood testcell.flood-ms=8000";
		};
		victim: victim {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=chan-watch testcell.watch-ms=10000";
		};
	};
	channels {
		bell {
			size = <0x1000>;
			ends = <&flood &victim>;
		};
	};
};
DTS
pack chan-flood "$OUT/chan-flood.dts"; ok $? "pack a flooder, its peer and a ticker"
boot chan-flood 4 512M 180
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has chan-flood '^\[flood\] PASS flood \([0-9]+ rings, last status 0\)' &&
	has chan-flood '^\[flood\] testcell: chan-flood rings=262144'
ok $? "the flooder rang at least 2^18 times, never refused"
got=$(field chan-flood '^\[victim\] testcell: chan-watch done' rings)
has chan-flood '^\[victim\] TESTCELL DONE passed=[1-9][0-9]* failed=0' && [ "${got:-0}" -gt 1000 ]
ok $? "the peer took ${got:-no} doorbells and ended on time"
has chan-flood '^\[ticker\] TICK 160' && has chan-flood '^\[ticker\] PASS ticker'
ok $? "the ticker beside them ticks to the end"
none chan-flood 'BUG|panic|stopped: .*fault' "cell 'victim' stopped: powered off" "no cell faulted, cella did not panic"
grep -E 'chan-flood rings|chan-watch done|TICKER' "$OUT/chan-flood.log" | tail -n 4 | sed 's/^/# /'
[ "$T_FAIL" -eq 0 ] || show chan-flood 60
finish
