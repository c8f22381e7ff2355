#!/bin/bash
# vCPU scheduler, equal priorities on one pCPU (-smp 1, the default 10 ms time slice):
# (a) two cells that spin for 3 s of counter time each (testcell.mode=spin) share the pCPU
#     round robin: their spins overlap, each gets half the iterations (40..60% of the sum) and
#     neither is kept off the pCPU for long at a time (each measures its own longest gap);
# (b) a cell spinning with every interrupt masked (PSTATE.DAIF, testcell.mode=spin-masked) for
#     2 s cannot keep the pCPU past its slice: a ticker beside it (a tick every 50 ms) keeps
#     ticking through the masked spin.
. "$(dirname "$0")/lib.sh"
plan 10
MAX_AWAY_US=200000	# longest gap a spinner may see: 20 slices (run to completion: ~3 s)
MAX_TICK_GAP_US=500000	# the ticker's worst gap between ticks (50 ms apart; masked spin: 2 s)
MIN_TICKS=10		# ticks within the 2 s masked spin (expected ~40)

# ---- (a) two equal spinners
N=sched-share
cat >"$OUT/$N.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		a {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=spin testcell.spin-ms=3000";
			cpus = <0>;
		};
		b {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=spin testcell.spin-ms=3000";
			cpus = <0>;
		};
	};
};
DTS
pack $N "$OUT/$N.dts"; ok $? "share: pack two spinners (equal priority) on pCPU 0"
boot $N 1 256M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "share: QEMU exits 0 once both spinners have powered off (status $STATUS)"

a_start=$(line_of $N '\[a\] SPIN start')
b_start=$(line_of $N '\[b\] SPIN start')
a_done=$(line_of $N '\[a\] SPIN done iterations=')
b_done=$(line_of $N '\[b\] SPIN done iterations=')
ok $([ "$a_start" -gt 0 ] && [ "$b_start" -gt 0 ] && [ "$a_start" -lt "$b_done" ] &&
     [ "$b_start" -lt "$a_done" ]; echo $?) \
	"share: the two spins overlap (a: lines $a_start..$a_done, b: $b_start..$b_done)"

a=$(field $N '\[a\] SPIN done' iterations)
b=$(field $N '\[b\] SPIN done' iterations)
sum=$(( ${a:-0} + ${b:-0} ))
pa=$(( sum ? ${a:-0} * 100 / sum : 0 ))
pb=$(( sum ? ${b:-0} * 100 / sum : 0 ))
ok $([ "$sum" -gt 0 ] && [ "$pa" -ge 40 ] && [ "$pa" -le 60 ] && [ "$pb" -ge 40 ] && [ "$pb" -le 60 ]
     echo $?) "share: each spinner gets 40..60% of the iterations (a ${a:-?}: $pa%, b ${b:-?}: $pb%)"

a_away=$(field $N '\[a\] SPIN done' max_away_us)
b_away=$(field $N '\[b\] SPIN done' max_away_us)
ok $([ -n "$a_away" ] && [ -n "$b_away" ] && [ "$a_away" -lt "$MAX_AWAY_US" ] &&
     [ "$b_away" -lt "$MAX_AWAY_US" ]; echo $?) \
	"share: round robin, never off the pCPU for long (a ${a_away:-?}, b ${b_away:-?} us < $MAX_AWAY_US)"
grep -E 'SPIN (start|done)' "$OUT/$N.log" | sed 's/^/# /'
[ "$T_FAIL" -eq 0 ] || show $N 20
F=$T_FAIL

# ---- (b) a masked spinner beside a ticker
# (the spinner has the keyboard: the keyboard cell's lines may be cut and reprinted, and the
# ticker's lines are the ones counted)
N=sched-masked
cat >"$OUT/$N.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=100";	/* 5 s */
			cpus = <0>;
		};
		masked {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=spin-masked testcell.spin-ms=2000";
			cpus = <0>;
			console;
		};
	};
};
DTS
pack $N "$OUT/$N.dts"; ok $? "masked: pack a ticker and a masked spinner (equal priority) on pCPU 0"
boot $N 1 256M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "masked: QEMU exits 0 once both cells have powered off (status $STATUS)"

m_start=$(line_of $N '\[masked\] SPIN-MASKED start')
m_done=$(line_of $N '\[masked\] SPIN-MASKED done iterations=[1-9]')
has $N '\[masked\] TESTCELL DONE passed=1 failed=0'; r=$?
ok $([ "$r" -eq 0 ] && [ "$m_start" -gt 0 ] && [ "$m_done" -gt "$m_start" ]; echo $?) \
	"masked: the spinner unmasks after its spin and powers off"

# distinct tick numbers printed between the spinner's start and done lines
ticks=$(awk -v s="$m_start" -v d="$m_done" 'NR > s && NR < d &&
	match($0, /\[ticker\] TICK [0-9]+/) { t[substr($0, RSTART + 14, RLENGTH - 14)] = 1 }
	END { n = 0; for (k in t) n++; print n }' "$OUT/$N.log")
ok $([ "$m_start" -gt 0 ] && [ "$m_done" -gt 0 ] && [ "$ticks" -ge "$MIN_TICKS" ]; echo $?) \
	"masked: the ticker ticks during the masked spin ($ticks ticks between lines $m_start and $m_done, >= $MIN_TICKS)"

gap=$(field $N '\[ticker\] TICKER worst_gap_us' worst_gap_us)
has $N '\[ticker\] TESTCELL DONE passed=[1-9][0-9]* failed=0' && has $N '\[ticker\] TICK 100'; r=$?
ok $([ "$r" -eq 0 ] && [ -n "$gap" ] && [ "$gap" -lt "$MAX_TICK_GAP_US" ]; echo $?) \
	"masked: all 100 ticks, the worst gap ${gap:-?} us (< $MAX_TICK_GAP_US us; period 50000 us)"
grep -E 'SPIN-MASKED (start|done)|TICKER ' "$OUT/$N.log" | sed 's/^/# /'
[ "$T_FAIL" -eq "$F" ] || show $N 30
finish
