/* test_insn.c - host unit tests of stepping past a trapped instruction (src/arch/aarch64/
 * insn.h): length from ESR_EL2.IL, AArch32 conditions and IT state, CNTP CP15 decoding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "arch/aarch64/insn.h"

#define IL (1ull << 25)
#define EC(x) ((uint64_t)(x) << 26)
#define T32_USR (PSR_AA32 | PSR_AA32_T)		/* M = 0b10000 (User), T */
#define A32_USR PSR_AA32
#define NZCV(n, z, c, v) (((uint64_t)(n) << 31) | ((uint64_t)(z) << 30) | ((uint64_t)(c) << 29) | \
			  ((uint64_t)(v) << 28))

static uint64_t with_it(uint64_t spsr, uint32_t it)
{
	return spsr | ((uint64_t)(it & 3) << 25) | ((uint64_t)(it >> 2) << 10);
}

static void test_length(void **state)
{
	uint64_t pc = 0x1000, ps = T32_USR;

	(void)state;
	assert_int_equal(esr_insn_bytes(EC(0x24) | IL), 4);
	assert_int_equal(esr_insn_bytes(EC(0x24)), 2);		/* a 16-bit T32 load */
	insn_skip(&pc, &ps, EC(0x24));
	assert_int_equal(pc, 0x1002);
	insn_skip(&pc, &ps, EC(0x24) | IL);
	assert_int_equal(pc, 0x1006);
	assert_int_equal(ps, T32_USR);
	ps = 0x3c5;						/* AArch64 EL1h: never touched */
	insn_skip(&pc, &ps, EC(0x18) | IL | (0xfull << 20));
	assert_int_equal(ps, 0x3c5);
}

static void test_it_advance(void **state)
{
	/* ITE EQ: firstcond 0000, mask 1100 -> IT = 0x0c; then 0x18 (NE), then out of the block */
	uint64_t s = with_it(T32_USR, 0x0c);

	(void)state;
	assert_int_equal(a32_it(s), 0x0c);
	s = a32_it_advance(s);
	assert_int_equal(a32_it(s), 0x18);
	s = a32_it_advance(s);
	assert_int_equal(a32_it(s), 0);
	assert_int_equal(s, T32_USR);
	/* ITT GT (three instructions): 1100 0010 -> 1100 0100 -> 1100 1000 -> out */
	s = with_it(T32_USR, 0xc2);
	s = a32_it_advance(s);
	assert_int_equal(a32_it(s), 0xc4);
	s = a32_it_advance(s);
	assert_int_equal(a32_it(s), 0xc8);
	s = a32_it_advance(s);
	assert_int_equal(a32_it(s), 0);
	/* not in an IT block, A32 state, AArch64: unchanged */
	assert_int_equal(a32_it_advance(T32_USR), T32_USR);
	assert_int_equal(a32_it_advance(with_it(A32_USR, 0x0c)), with_it(A32_USR, 0x0c));
	assert_int_equal(a32_it_advance(0x3c5 | (3ull << 25)), 0x3c5 | (3ull << 25));
}

static void test_conditions(void **state)
{
	uint64_t cv = 1ull << 24;

	(void)state;
	assert_true(a32_cond_passed(EC(3) | IL, A32_USR));		/* CV = 0, no IT: always */
	assert_true(a32_cond_passed(EC(3) | cv | (0ull << 20), A32_USR | NZCV(0, 1, 0, 0)));
	assert_false(a32_cond_passed(EC(3) | cv | (0ull << 20), A32_USR));	/* EQ, Z clear */
	assert_true(a32_cond_passed(EC(3) | cv | (1ull << 20), A32_USR));	/* NE */
	assert_true(a32_cond_passed(EC(3) | cv | (8ull << 20), A32_USR | NZCV(0, 0, 1, 0)));
	assert_false(a32_cond_passed(EC(3) | cv | (8ull << 20), A32_USR | NZCV(0, 1, 1, 0)));
	assert_true(a32_cond_passed(EC(3) | cv | (10ull << 20), A32_USR | NZCV(1, 0, 0, 1)));
	assert_false(a32_cond_passed(EC(3) | cv | (11ull << 20), A32_USR | NZCV(1, 0, 0, 1)));
	assert_false(a32_cond_passed(EC(3) | cv | (12ull << 20), A32_USR | NZCV(0, 1, 0, 0)));
	assert_true(a32_cond_passed(EC(3) | cv | (14ull << 20), A32_USR));	/* AL */
	/* CV = 0 inside an IT block: ITSTATE<7:4> is the condition (NE here, Z set: fails) */
	assert_false(a32_cond_passed(EC(3) | IL, with_it(T32_USR, 0x18) | NZCV(0, 1, 0, 0)));
	assert_true(a32_cond_passed(EC(3) | IL, with_it(T32_USR, 0x18)));
}

static void test_cntp(void **state)
{
	/* MRC p15, 0, r4, c14, c2, 1 (CNTP_CTL read): Opc2 1, Opc1 0, CRn 14, Rt 4, CRm 2, read */
	uint64_t ctl = EC(3) | IL | (1u << 17) | (14u << 10) | (4u << 5) | (2u << 1) | 1;
	/* MRRC p15, 2, r5, r6, c14 (CNTP_CVAL): Opc1 2, Rt2 6, Rt 5, CRm 14, read */
	uint64_t cval = EC(4) | IL | (2u << 16) | (6u << 10) | (5u << 5) | (14u << 1) | 1;

	(void)state;
	assert_true(cp15_is_cntp(ctl));
	assert_true(cp15_is_cntp(ctl & ~(7ull << 17)));			/* CNTP_TVAL */
	assert_false(cp15_is_cntp(ctl | (2ull << 17)));			/* opc2 3: CNTV_CTL? no */
	assert_false(cp15_is_cntp((ctl & ~(0xfull << 1)) | (3u << 1)));	/* c14, c3: virtual */
	assert_false(cp15_is_cntp((ctl & ~(0xfull << 10)) | (1u << 10)));	/* c1: SCTLR */
	assert_true(cp15_is_cntp(cval));
	assert_false(cp15_is_cntp((cval & ~(0xfull << 16)) | (3u << 16)));	/* CNTV_CVAL */
	assert_false(cp15_is_cntp(cval & ~(0xfull << 16)));		/* CNTPCT */
	assert_false(cp15_is_cntp(EC(0x18) | IL));
	/* MRC p15, 0, r0, c9, c12, 0 (PMCR) */
	assert_true(cp15_is_pmcr(EC(3) | IL | (9u << 10) | (12u << 1) | 1));
	assert_false(cp15_is_pmcr(EC(3) | IL | (9u << 10) | (12u << 1) | (1u << 17) | 1));
	assert_false(cp15_is_pmcr(EC(4) | IL | (9u << 10) | (12u << 1) | 1));
	assert_false(cp15_is_cntp(EC(3) | IL | (9u << 10) | (12u << 1) | 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_it_advance),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_cntp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
