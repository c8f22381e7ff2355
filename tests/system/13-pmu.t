#!/bin/bash
# The PMU is no timing side channel on cella's work (issue 6, hole 3): a cell counting cycles
# with PMCCFILTR_EL0.NSH = 1 and PMCR_EL0.DP = 0 across 2000 HVCs must count what it counts at
# EL1 alone (MDCR_EL2.HPMD, HCCD). Under QEMU TCG the cycle counter follows the virtual clock and
# QEMU applies the EL2 prohibition on every exception entry and return, so the time cella spends
# at EL2 is what would show: about 3 times the EL1-only count before the fix, 1.0 after it.
. "$(dirname "$0")/lib.sh"
plan 4
sed -e 's/VCPUS/1/' -e 's/MODE/pmu-el2/' "$ROOT/tests/system/dts/testcell.dts.in" >"$OUT/pmu.dts"
pack pmu "$OUT/pmu.dts"; ok $? "pack the PMU cell"
boot pmu 2 512M 60
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has pmu 'PASS pmu_cycles_count' && has pmu 'PASS pmu_el2_not_counted'
ok $? "cycles count at EL1 but not at EL2: $(grep -o 'PMU PMUVer.*' "$OUT/pmu.log")"
c=$(count pmu '(^|\] )FAIL|PANIC')
ok $([ "$c" -eq 0 ] && has pmu 'TESTCELL DONE passed=[1-9]'; echo $?) "no FAIL or PANIC lines ($c)"
[ "$T_FAIL" -eq 0 ] || show pmu 20
finish
