#!/bin/bash
# Console input flows into a cell restarted with a full receive FIFO (issue 6, hole 8): the
# cell waits until its FIFO is full (cella masks the UART's receive interrupt: back-pressure),
# resets, and its new instance, reading only when FR says a byte is there, must get input
# (before: the masked interrupt and the throttle survived the restart; no input ever came).
. "$(dirname "$0")/lib.sh"
plan 5
sed -e 's/VCPUS/1/' -e 's/MODE/rx-restart/' "$ROOT/tests/system/dts/testcell.dts.in" >"$OUT/rx.dts"
pack rx "$OUT/rx.dts"; ok $? "pack the rx-restart cell"
# 1000 bytes of input 3 s after start, then keep stdin open a while
( sleep 3; for i in $(seq 100); do printf 'abcdefghij'; done; sleep 12 ) |
	timeout 60 qemu-system-aarch64 $QEMU_MACHINE -smp 1 -m 512M -nographic \
		-kernel "$OUT/rx.img" >"$OUT/rx.log" 2>&1
STATUS=$?
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has rx 'RX boot 1: FIFO full; SYSTEM_RESET' && has rx "cell 'test' restarting"
ok $? "the first boot filled its receive FIFO and reset"
has rx 'PASS rx_after_restart'; ok $? "input reaches the restarted cell: $(grep -ao 'rx_after_restart.*' "$OUT/rx.log")"
c=$(count rx '(^|\] )FAIL|PANIC')
ok $([ "$c" -eq 0 ] && has rx 'TESTCELL DONE passed=[1-9]'; echo $?) "TESTCELL DONE, no FAIL or PANIC lines ($c)"
[ "$T_FAIL" -eq 0 ] || show rx 20
finish
