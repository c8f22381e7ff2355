#!/bin/bash
# FP/SIMD state does not leak between cells (issue 6, hole 2): cella copies every cell's images
# with q0-q3 on pCPU 0 at boot, the last bytes being another cell's initrd (random here). The
# first cell, on pCPU 0, enables FP at once and must find q0-q31, FPCR, FPSR all zero. SVE and
# SME are hidden from cells (their ID register fields read 0, their instructions trap), so the
# cell must find them absent (cella still clears their state, fpsimd.S).
. "$(dirname "$0")/lib.sh"
plan 5
head -c 262144 /dev/urandom >"$OUT/random-initrd.bin"
cat >"$OUT/fp.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		fp {
			memory-size = <0x0 0x1000000>;
			vcpus = <1>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=fp-reset";
		};
		other {
			memory-size = <0x0 0x1000000>;
			vcpus = <1>;
			kernel = "testcell.bin";
			initrd = "random-initrd.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=5";
		};
	};
};
DTS
pack fp "$OUT/fp.dts"; ok $? "pack an FP-reading cell beside a cell with a random initrd"
boot fp 2 512M 60
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has fp '\[fp\] PASS fp_vregs_zero' && has fp '\[fp\] PASS fp_fpcr_fpsr_zero'
ok $? "q0-q31, FPCR and FPSR read zero"
has fp '\[fp\] SKIP fp_sve_zero' && ! has fp '\[fp\] FAIL fp_sve' &&
	has fp '\[fp\] SKIP fp_sme_off'
ok $? "SVE and SME hidden from the cell ($(grep -Eo '(PASS|SKIP) fp_s[a-z_]*' "$OUT/fp.log" | tr '\n' ' '))"
c=$(count fp '(^|\] )FAIL|PANIC')
ok $([ "$c" -eq 0 ] && has fp '\[fp\] TESTCELL DONE passed=[1-9]' &&
	has fp '\[other\] TESTCELL DONE passed=[1-9][0-9]* failed=0'; echo $?) \
	"both cells finish, no FAIL or PANIC lines ($c)"
[ "$T_FAIL" -eq 0 ] || show fp 30
finish
