#!/bin/bash
# The native test cell checks traps, PSCI, the virtual timer, SGIs and MMIO emulation from
# inside a cell with 2 vCPUs on a 4-pCPU machine; when it powers off, QEMU must exit 0.
. "$(dirname "$0")/lib.sh"
plan 6
sed -e 's/VCPUS/2/' -e 's/MODE/basic/' "$ROOT/tests/system/dts/testcell.dts.in" >"$OUT/basic.dts"
pack basic "$OUT/basic.dts"; ok $? "pack the test cell"
boot basic 4 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 after the cell powers off (status $STATUS)"
has basic 'cella: 4 pCPUs online, 1 cell'; ok $? "all 4 pCPUs started"
has basic 'TESTCELL DONE passed=[1-9][0-9]* failed=0'; ok $? "test cell: all checks pass"
none basic '(^|\] )FAIL' 'TESTCELL DONE' "no FAIL lines"
has basic "cell 'test' stopped: powered off" && has basic 'no cell left running; powering off'
ok $? "cella reports the power-off and stops the machine"
[ "$T_FAIL" -eq 0 ] || show basic
finish
