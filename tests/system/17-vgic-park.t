#!/bin/bash
# List registers and cell lifecycles (issue 6, hole 7).
# (a) An SPI a vCPU holds in a list register when it calls CPU_OFF goes back to its cell:
# vCPU 1 acknowledges the cell's UART SPI (level held high) and turns off without EOI;
# rerouted to vCPU 0, the SPI must be delivered there (before: stranded until vCPU 1 returned).
# (b) No stale list-register bookkeeping survives a restart: vCPU 1 holds the SPI active when
# the cell resets; in the next boot vCPU 0 takes it and keeps it active, vCPU 2 starts vCPU 1
# and must not be able to acknowledge the SPI as well (before: about 10,000 times in 0.5 s).
. "$(dirname "$0")/lib.sh"
plan 9
sed -e 's/VCPUS/2/' -e 's/MODE/spi-cpu-off/' "$ROOT/tests/system/dts/testcell.dts.in" >"$OUT/spi.dts"
pack spi "$OUT/spi.dts"; ok $? "pack the spi-cpu-off cell"
boot spi 2 512M 60
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has spi 'PASS spi_taken_by_other_vcpu'; ok $? "vCPU 1 took the SPI, then turned off holding it"
has spi 'PASS spi_back_after_cpu_off'; ok $? "the SPI is delivered to vCPU 0 after rerouting"
c=$(count spi '(^|\] )FAIL|PANIC')
ok $([ "$c" -eq 0 ] && has spi 'TESTCELL DONE passed=[1-9]'; echo $?) "TESTCELL DONE, no FAIL or PANIC lines ($c)"
[ "$T_FAIL" -eq 0 ] || show spi 20
F=$T_FAIL

sed -e 's/VCPUS/3/' -e 's/MODE/spi-restart/' "$ROOT/tests/system/dts/testcell.dts.in" >"$OUT/spir.dts"
pack spir "$OUT/spir.dts"; ok $? "pack the spi-restart cell"
boot spir 4 512M 60
ok $([ "$STATUS" -eq 0 ]; echo $?) "spi-restart: QEMU exits 0 (status $STATUS)"
has spir 'SPI boot 1: vCPU 1 holds INTID' && has spir "cell 'test' restarting" &&
	has spir 'PASS spi_restart_taken'
ok $? "vCPU 1 held the SPI through a restart; after it vCPU 0 holds it active"
has spir 'PASS spi_not_acknowledged_twice'
ok $? "nobody else can acknowledge it meanwhile: $(grep -ao 'spi_not_acknowledged_twice.*' "$OUT/spir.log")"
[ "$T_FAIL" -eq "$F" ] || show spir 20
finish
