#!/bin/bash
# AArch32 EL0 traps are stepped and answered right (issue 6, hole 9): the test cell drops to
# AArch32 EL0 in T32 state and runs a 16-bit load from its emulated UART (the PC must move by 2,
# ESR_EL2.IL = 0: before, it moved by 4 and skipped the next instruction), then MRC and MRRC to
# CNTP_CTL and CNTP_CVAL (read as zero; before, the cell was stopped for an "unexpected trap").
. "$(dirname "$0")/lib.sh"
plan 5
sed -e 's/VCPUS/1/' -e 's/MODE/a32-thumb/' "$ROOT/tests/system/dts/testcell.dts.in" >"$OUT/a32.dts"
pack a32 "$OUT/a32.dts"; ok $? "pack the a32-thumb cell"
boot a32 1 512M 30
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
if has a32 'SKIP a32_t16_mmio_step'; then
	echo "# this CPU has no AArch32 at EL0: only the unit tests (tests/unit/test_insn.c) apply"
	ok 0 "# SKIP no AArch32 EL0"; ok 0 "# SKIP no AArch32 EL0"
else
	has a32 'PASS a32_reached_svc' && has a32 'PASS a32_t16_mmio_step'
	ok $? "the 16-bit T32 MMIO load steps the PC by 2: $(grep -ao 'A32 back.*' "$OUT/a32.log")"
	has a32 'PASS a32_cntp_raz'; ok $? "AArch32 EL0 CNTP_CTL / CNTP_CVAL read as zero"
fi
c=$(count a32 '(^|\] )FAIL|PANIC')
ok $([ "$c" -eq 0 ] && has a32 'TESTCELL DONE passed=' && ! has a32 'unexpected trap'; echo $?) \
	"TESTCELL DONE, no FAIL or PANIC lines, no unexpected trap ($c)"
[ "$T_FAIL" -eq 0 ] || show a32 20
finish
