#!/bin/bash
# cella built by clang (make CLANG=1) boots the test cell with 2 vCPUs as the gcc build does.
. "$(dirname "$0")/lib.sh"
plan 3
make -s -C "$ROOT" B="$B/clang" CLANG=1 "$B/clang/cella.bin" >"$OUT/clang-build.log" 2>&1
ok $? "make CLANG=1 builds cella without warnings (warnings are errors)"
sed -e 's/VCPUS/2/' -e 's/MODE/basic/' "$ROOT/tests/system/dts/testcell.dts.in" >"$OUT/clang.dts"
dtc -q -I dts -O dtb -o "$OUT/clang.dtb" "$OUT/clang.dts" &&
	"$B/cella-pack" -o "$OUT/clang.img" --cella "$B/clang/cella.bin" \
		--description "$OUT/clang.dtb" --search "$B/guests" >"$OUT/clang.pack.log" 2>&1
ok $? "pack the clang-built cella"
boot clang 4 512M 120
has clang 'TESTCELL DONE passed=[1-9][0-9]* failed=0' && [ "$STATUS" -eq 0 ]
ok $? "the test cell passes under the clang build (status $STATUS)"
[ "$T_FAIL" -eq 0 ] || show clang
finish
