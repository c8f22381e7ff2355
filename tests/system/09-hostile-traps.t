#!/bin/bash
# Hostile traps: device accesses cella cannot emulate (ldp/stp, writeback, wrong size or
# alignment) come back to the cell as synchronous external aborts, forbidden system registers
# as UNDEF, trapped ones read as zero; the cell carries on. Then an SGI storm in one cell
# leaves a ticking sibling cell untouched.
. "$(dirname "$0")/lib.sh"
plan 12

# (a) the hostile-traps cell alone, 2 vCPUs. QEMU before 8.1 does not implement HCR_EL2.TIDCP:
# an IMPLEMENTATION DEFINED register QEMU has then reads without a trap, and the cell is told so.
mode=hostile-traps
qv=$(qemu-system-aarch64 --version | sed -n '1s/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
set -- $qv
if [ "${1:-0}" -lt 8 ] || { [ "${1:-0}" -eq 8 ] && [ "${2:-0}" -lt 1 ]; }; then
	echo "# QEMU $1.$2 ignores HCR_EL2.TIDCP: testcell.quirks=no-tidcp"
	mode="$mode testcell.quirks=no-tidcp"
fi
sed -e 's/VCPUS/2/' -e "s/MODE/$mode/" "$ROOT/tests/system/dts/testcell.dts.in" >"$OUT/traps.dts"
pack traps "$OUT/traps.dts"; ok $? "pack the hostile-traps cell"
boot traps 2 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "hostile-traps: QEMU exits 0 (status $STATUS)"
has traps 'TESTCELL DONE passed=[1-9][0-9]* failed=0'
ok $? "hostile-traps: every abort, UNDEF and ignored register as promised"
none traps '(^|\] )FAIL|PANIC' 'TESTCELL DONE' "hostile-traps: no FAIL or PANIC lines"
[ "$T_FAIL" -eq 0 ] || show traps 60
F=$T_FAIL

# (b) an SGI storm next to a ticker
ticker_beside storm storm hostile-storm 2
pack storm "$OUT/storm.dts"; ok $? "pack a storm cell and a ticker"
boot storm 3 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "storm: QEMU exits 0 (status $STATUS)"
has storm '\[storm\] STORM done sent=[1-9][0-9]* received=[1-9][0-9]*'
ok $? "the storm ran and SGIs were taken"
has storm '\[storm\] TESTCELL DONE passed=[1-9][0-9]* failed=0'; ok $? "the storm cell passes"
has storm '\[ticker\] TICK 30'; ok $? "the ticker reaches TICK 30"
has storm '\[ticker\] TESTCELL DONE passed=[1-9][0-9]* failed=0'; ok $? "the ticker's checks pass"
start=$(line_of storm '\[storm\] STORM start'); last=$(line_of storm '\[ticker\] TICK 30')
ok $([ "$start" -gt 0 ] && [ "$last" -gt "$start" ]; echo $?) \
	"the storm ran while the ticker ticked (start at line $start, TICK 30 at line $last)"
none storm '(^|\] )FAIL|PANIC' '\[storm\] TESTCELL DONE' "storm: no FAIL or PANIC lines"
[ "$T_FAIL" -eq "$F" ] || show storm 60
finish
