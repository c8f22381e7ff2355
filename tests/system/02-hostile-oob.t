#!/bin/bash
# A hostile cell touches IPAs outside its memory: cella reports the fault and stops that cell
# alone, while a sibling cell keeps ticking to the end.
. "$(dirname "$0")/lib.sh"
plan 6
ticker_beside oob hostile hostile-oob 1
pack oob "$OUT/oob.dts"; ok $? "pack a hostile cell and a ticker"
boot oob 2 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has oob "cella: cell 'hostile' vCPU 0: data abort outside its memory and devices at IPA 0x"
ok $? "the fault is reported with the cell, vCPU and IPA"
has oob "cell 'hostile' stopped: guest fault"; ok $? "only the hostile cell is stopped"
none oob 'FAIL hostile-oob' "\\[hostile\\] TESTCELL mode=hostile-oob" "the hostile cell did not run on"
stop=$(line_of oob "cell 'hostile' stopped"); last=$(line_of oob '\[ticker\] TICK 30')
ok $([ "$stop" -gt 0 ] && [ "$last" -gt "$stop" ]; echo $?) \
	"the ticker keeps running after the stop (stop at line $stop, TICK 30 at line $last)"
[ "$T_FAIL" -eq 0 ] || show oob
finish
