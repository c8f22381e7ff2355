#!/bin/bash
# vCPU scheduler, priorities: two cells share the one pCPU of the machine. A high-priority cell
# wakes on its virtual timer every 2 ms for 1 s (testcell.mode=periodic) while a low-priority
# cell with a 1 s time slice spins without ever waiting (testcell.mode=spin). The periodic cell
# must preempt the spinner as soon as its timer fires, not when the spinner's slice ends: its
# wake-ups are late by far less than the slice. The spinner still runs in between, outlives the
# periodic cell and powers off on its own, and QEMU exits 0.
. "$(dirname "$0")/lib.sh"
plan 8
N=sched-priority
PERIODS=500
MAX_LATE_US=50000	# at most 50 ms late (waiting for the slice: ~1 s late)
MEDIAN_LATE_US=2000	# half the wake-ups within 2 ms (alone on a pCPU under TCG: ~0.15 ms)
cat >"$OUT/$N.dts" <<DTS
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		periodic {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			/* sleeps 300 ms first: the spinner is spinning when the periods start */
			bootargs = "testcell.mode=periodic testcell.period-us=2000 testcell.periods=$PERIODS testcell.delay-ms=300";
			cpus = <0>;
			priority = <200>;
		};
		spinner {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			/* 3 s of counter time: it outlives the periodic cell's 0.3 + 1 s */
			bootargs = "testcell.mode=spin testcell.spin-ms=3000";
			cpus = <0>;
			priority = <10>;
			time-slice-us = <1000000>;
		};
	};
};
DTS
pack $N "$OUT/$N.dts"; ok $? "pack a periodic cell (priority 200) and a spinner (priority 10, 1 s slice) on pCPU 0"
boot $N 1 256M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 once both cells have powered off (status $STATUS)"

has $N '\[periodic\] TESTCELL DONE passed=[1-9][0-9]* failed=0' &&
	has $N "\\[periodic\\] PERIODIC done periods=$PERIODS "
ok $? "the periodic cell took all $PERIODS timer interrupts, none early"

# the spinner was spinning through the whole measured window
s_start=$(line_of $N '\[spinner\] SPIN start')
p_start=$(line_of $N '\[periodic\] PERIODIC start')
p_done=$(line_of $N '\[periodic\] PERIODIC done')
s_done=$(line_of $N '\[spinner\] SPIN done iterations=[1-9]')
ok $([ "$s_start" -gt 0 ] && [ "$p_start" -gt "$s_start" ] && [ "$p_done" -gt "$p_start" ] &&
     [ "$s_done" -gt "$p_done" ]; echo $?) \
	"the spinner spins from before the periods (lines $s_start < $p_start) to after ($p_done < $s_done)"

# it was not starved either: it printed a progress line (every 500 ms) while the periods ran
r=$(awk -v s="$p_start" -v d="$p_done" 'NR > s && NR < d && /\[spinner\] SPIN running/' \
	"$OUT/$N.log" | wc -l)
ok $([ "$p_start" -gt 0 ] && [ "$r" -ge 1 ]; echo $?) \
	"the spinner runs between the periodic cell's wake-ups ($r progress lines among them)"

max=$(field $N '\[periodic\] PERIODIC done' max_late_us)
median=$(field $N '\[periodic\] PERIODIC done' median_late_us)
ok $([ -n "$max" ] && [ "$max" -lt "$MAX_LATE_US" ]; echo $?) \
	"it preempts the spinner at once: worst wake-up ${max:-?} us late (< $MAX_LATE_US; slice 1 s)"
ok $([ -n "$median" ] && [ "$median" -lt "$MEDIAN_LATE_US" ]; echo $?) \
	"median wake-up ${median:-?} us late (< $MEDIAN_LATE_US us)"

has $N '\[spinner\] TESTCELL DONE passed=1 failed=0' &&
	has $N "cell 'spinner' stopped: powered off" && has $N "cell 'periodic' stopped: powered off"
ok $? "the low-priority spinner ran to its end and powered off"
grep -E 'PERIODIC |SPIN (start|done)' "$OUT/$N.log" | sed 's/^/# /'
[ "$T_FAIL" -eq 0 ] || show $N 30
finish
