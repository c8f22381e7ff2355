#!/bin/bash
# PSCI lifecycle races (issue 6, hole 1): CPU_ON hammered at vCPUs that CPU_OFF at once, and a
# random CPU_ON/CPU_OFF/SYSTEM_RESET churn across restarts. Every SUCCESS is one start, the cell
# is reported stopped when its last vCPU is off, and cella powers the machine off (QEMU exits 0):
# nothing leaked, nothing stuck restarting.
. "$(dirname "$0")/lib.sh"
plan 9

# (a) the hammer: 3 vCPUs, vCPU 0 hammers CPU_ON at the other two, then turns itself off
sed -e 's/VCPUS/3/' -e 's/MODE/hostile-cpu-hammer/' "$ROOT/tests/system/dts/testcell.dts.in" \
	>"$OUT/hammer.dts"
pack hammer "$OUT/hammer.dts"; ok $? "pack the hammer cell"
boot hammer 3 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "hammer: QEMU exits 0, the machine powered off (status $STATUS)"
has hammer 'HAMMER done cpu_on=[0-9]+ success=[1-9][0-9]* started=[1-9]' &&
	has hammer 'PASS hammer_success_is_a_start' && has hammer 'PASS hammer_all_off'
ok $? "hammer: it ran, and every CPU_ON SUCCESS was exactly one start"
has hammer "cell 'test' stopped: all its vCPUs are off" &&
	has hammer 'no cell left running; powering off'
ok $? "hammer: the cell is reported stopped once its last vCPU is off"
c=$(count hammer '(^|\] )FAIL|PANIC')
ok $([ "$c" -eq 0 ] && has hammer 'TESTCELL DONE passed=[1-9]'; echo $?) \
	"hammer: TESTCELL DONE and no FAIL or PANIC lines ($c)"
[ "$T_FAIL" -eq 0 ] || show hammer 30
F=$T_FAIL

# (b) the churn: 3 vCPUs, random calls from all of them, SYSTEM_RESET now and then
sed -e 's/VCPUS/3/' -e 's/MODE/hostile-cpu-churn/' "$ROOT/tests/system/dts/testcell.dts.in" \
	>"$OUT/churn.dts"
pack churn "$OUT/churn.dts"; ok $? "pack the churn cell"
boot churn 3 512M 150
ok $([ "$STATUS" -eq 0 ]; echo $?) "churn: QEMU exits 0, the machine powered off (status $STATUS)"
r=$(count churn "cell 'test' restarting")
has churn 'CHURN done' && has churn 'PASS churn_all_off' && [ "$r" -ge 1 ]
ok $? "churn: it ran across $r restarts and wound down with every vCPU off"
c=$(count churn '(^|\] )FAIL|PANIC')
ok $([ "$c" -eq 0 ] && has churn "cell 'test' stopped: powered off"; echo $?) \
	"churn: the cell powered off, no FAIL or PANIC lines ($c)"
[ "$T_FAIL" -eq "$F" ] || show churn 30
finish
