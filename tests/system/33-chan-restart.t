#!/bin/bash
# A channel's peer restarts (docs/channels.md): the peer faults (it writes into a channel it only
# reads) and has on-fault = "restart" with restart-limit = <2 60>: it runs three times, then
# stays stopped. Each start and stop rings the other end's doorbell; the other end, sleeping in
# WAIT, prints every change of CHAN_INFO's PEER_RUNNING flag.
. "$(dirname "$0")/lib.sh"
plan 6
cat >"$OUT/chan-restart.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		watcher: watcher {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=chan-watch testcell.watch-ms=12000";
		};
		peer: peer {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=chan-ro-write testcell.delay-ms=1500";
			on-fault = "restart";
			restart-limit = <2 60>;
		};
	};
	channels {
		status {
			size = <0x1000>;
			ends = <&watcher &peer>;
			writers = <&watcher>;
		};
	};
};
DTS
pack chan-restart "$OUT/chan-restart.dts"; ok $? "pack a watcher and a peer that faults and is restarted"
boot chan-restart 4 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
[ "$(count chan-restart "cell 'peer' vCPU 0: write to read-only memory")" -eq 3 ] &&
	[ "$(count chan-restart "cell 'peer' restarting: ")" -eq 2 ] && has chan-restart "cell 'peer' stopped: "
ok $? "the peer faults three times: restarted twice, then stopped (restart limit)"
runs=$(count chan-restart '^\[watcher\] testcell: chan-watch peer running')
stops=$(count chan-restart '^\[watcher\] testcell: chan-watch peer stopped')
ok $([ "$runs" -eq 3 ] && [ "$stops" -eq 3 ]; echo $?) "the watcher saw the peer run 3 times ($runs) and stop 3 times ($stops)"
lastrun=$(grep -n 'chan-watch peer running' "$OUT/chan-restart.log" | tail -n 1 | cut -d: -f1)
laststop=$(grep -n 'chan-watch peer stopped' "$OUT/chan-restart.log" | tail -n 1 | cut -d: -f1)
ok $([ "${laststop:-0}" -gt "${lastrun:-0}" ]; echo $?) "its last word: the peer stopped"
has chan-restart '^\[watcher\] TESTCELL DONE passed=[1-9][0-9]* failed=0' &&
	has chan-restart '^\[watcher\] testcell: chan-watch done rings=[1-9][0-9]* changes=5'
ok $? "the watcher runs to its end: 5 changes after the first look"
grep -E 'chan-watch|peer.*(restarting|stopped)' "$OUT/chan-restart.log" | sed 's/^/# /'
[ "$T_FAIL" -eq 0 ] || show chan-restart 60
finish
