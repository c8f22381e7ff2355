#!/bin/bash
# An SPI a vCPU holds in a list register when it calls CPU_OFF goes back to its cell (issue 6,
# hole 7): vCPU 1 acknowledges the cell's UART SPI (level held high) and turns off without EOI;
# rerouted to vCPU 0, the SPI must be delivered there (before: stranded until vCPU 1 returned).
. "$(dirname "$0")/lib.sh"
plan 5
sed -e 's/VCPUS/2/' -e 's/MODE/spi-cpu-off/' "$ROOT/tests/system/dts/testcell.dts.in" >"$OUT/spi.dts"
pack spi "$OUT/spi.dts"; ok $? "pack the spi-cpu-off cell"
boot spi 2 512M 60
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has spi 'PASS spi_taken_by_other_vcpu'; ok $? "vCPU 1 took the SPI, then turned off holding it"
has spi 'PASS spi_back_after_cpu_off'; ok $? "the SPI is delivered to vCPU 0 after rerouting"
c=$(count spi '(^|\] )FAIL|PANIC')
ok $([ "$c" -eq 0 ] && has spi 'TESTCELL DONE passed=[1-9]'; echo $?) "TESTCELL DONE, no FAIL or PANIC lines ($c)"
[ "$T_FAIL" -eq 0 ] || show spi 20
finish
