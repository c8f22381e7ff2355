#!/bin/bash
# PSCI SYSTEM_RESET from a guest restarts its cell from a fresh copy of its images.
. "$(dirname "$0")/lib.sh"
plan 4
sed -e 's/VCPUS/1/' -e 's/MODE/reset/' "$ROOT/tests/system/dts/testcell.dts.in" >"$OUT/reset.dts"
pack reset "$OUT/reset.dts"; ok $? "pack"
boot reset 1 512M 10
c=$(count reset 'RESET booting')
ok $([ "$c" -ge 3 ]; echo $?) "the cell booted again after each reset ($c boots)"
has reset "cell 'test' restarting: reset \(PSCI SYSTEM_RESET\)"; ok $? "cella reports the restart"
# cella-pack lays the cell out in the image (a boot area): the first boot copies nothing, every
# restart copies the images again from the pristine modules, so it boots the same each time
has reset "cell 'test': .* \(booted in place\)"; ok $? "the first boot is in place"
[ "$T_FAIL" -eq 0 ] || show reset
finish
