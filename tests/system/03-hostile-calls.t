#!/bin/bash
# Bad PSCI/SMCCC arguments, unknown hypercalls and garbage vGIC writes get error codes; the cell
# and cella keep working (the virtual timer still fires afterwards).
. "$(dirname "$0")/lib.sh"
plan 4
sed -e 's/VCPUS/2/' -e 's/MODE/hostile-calls/' "$ROOT/tests/system/dts/testcell.dts.in" \
	>"$OUT/calls.dts"
pack calls "$OUT/calls.dts"; ok $? "pack"
boot calls 2 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has calls 'TESTCELL DONE passed=[1-9][0-9]* failed=0'; ok $? "every hostile call answered correctly"
none calls '(^|\] )FAIL|PANIC' 'TESTCELL DONE' "no FAIL or PANIC lines"
[ "$T_FAIL" -eq 0 ] || show calls
finish
