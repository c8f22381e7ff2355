/* test_dabt.c - unit tests for data-abort syndrome decoding and MMIO load/store values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "arch/aarch64/dabt.h"

/* ESR for a data abort with ISV and the given fields */
static uint64_t esr(unsigned sas, bool sse, unsigned srt, bool sf, bool wnr)
{
	return (0x24ull << 26) | (1ull << 25) | (1ull << 24) | ((uint64_t)sas << 22) |
	       ((uint64_t)sse << 21) | ((uint64_t)srt << 16) | ((uint64_t)sf << 15) |
	       ((uint64_t)wnr << 6) | 0x07;
}

static void test_decode_fields(void **state)
{
	struct dabt d = dabt_decode(esr(2, false, 5, false, true));

	assert_true(d.valid);
	assert_true(d.write);
	assert_false(d.s1ptw);
	assert_int_equal(d.size, 4);
	assert_int_equal(d.reg, 5);
	assert_false(d.sign_extend);
	assert_false(d.reg64);

	d = dabt_decode(esr(3, true, 31, true, false));
	assert_int_equal(d.size, 8);
	assert_int_equal(d.reg, 31);
	assert_true(d.sign_extend);
	assert_true(d.reg64);
	assert_false(d.write);

	d = dabt_decode(esr(0, false, 0, false, false) & ~(1ull << 24));
	assert_false(d.valid);
	d = dabt_decode(esr(0, false, 0, false, false) | (1ull << 7));
	assert_true(d.s1ptw);
}

static void test_store_truncates(void **state)
{
	struct dabt d;

	d = dabt_decode(esr(0, false, 1, true, true));
	assert_int_equal(dabt_store_value(&d, 0x1122334455667788ull), 0x88);
	d = dabt_decode(esr(1, false, 1, true, true));
	assert_int_equal(dabt_store_value(&d, 0x1122334455667788ull), 0x7788);
	d = dabt_decode(esr(2, false, 1, true, true));
	assert_int_equal(dabt_store_value(&d, 0x1122334455667788ull), 0x55667788);
	d = dabt_decode(esr(3, false, 1, true, true));
	assert_int_equal(dabt_store_value(&d, 0x1122334455667788ull), 0x1122334455667788ull);
}

static void test_load_extension(void **state)
{
	struct dabt d;

	/* ldrb w: zero-extended, device garbage above the size dropped */
	d = dabt_decode(esr(0, false, 0, false, false));
	assert_int_equal(dabt_load_value(&d, 0xffffff80), 0x80);
	/* ldrsb x: sign-extended to 64 bits */
	d = dabt_decode(esr(0, true, 0, true, false));
	assert_int_equal(dabt_load_value(&d, 0x80), 0xffffffffffffff80ull);
	/* ldrsb w: sign-extended to 32 bits only */
	d = dabt_decode(esr(0, true, 0, false, false));
	assert_int_equal(dabt_load_value(&d, 0x80), 0xffffff80ull);
	/* ldrsh x of a positive value */
	d = dabt_decode(esr(1, true, 0, true, false));
	assert_int_equal(dabt_load_value(&d, 0x7fff), 0x7fff);
	/* ldrsw x */
	d = dabt_decode(esr(2, true, 0, true, false));
	assert_int_equal(dabt_load_value(&d, 0x80000000), 0xffffffff80000000ull);
	/* ldr w: a device returning 64 bits is cut to 32 */
	d = dabt_decode(esr(2, false, 0, false, false));
	assert_int_equal(dabt_load_value(&d, 0xdeadbeefcafef00dull), 0xcafef00d);
	/* ldr x */
	d = dabt_decode(esr(3, false, 0, true, false));
	assert_int_equal(dabt_load_value(&d, 0xdeadbeefcafef00dull), 0xdeadbeefcafef00dull);
}

static void test_every_syndrome(void **state)
{
	/* any ISS: size is a power of two <= 8, register <= 31, values stay within size */
	for (uint64_t iss = 0; iss < (1u << 25); iss += 0x1fff) {
		struct dabt d = dabt_decode((0x24ull << 26) | iss);
		uint64_t v = dabt_load_value(&d, ~0ull);

		assert_true(d.size == 1 || d.size == 2 || d.size == 4 || d.size == 8);
		assert_true(d.reg <= 31);
		if (!d.reg64)
			assert_true(v <= 0xffffffffull);
		if (!d.sign_extend && d.size < 8)
			assert_true(v < (1ull << (d.size * 8)));
		assert_true(dabt_store_value(&d, ~0ull) == (d.size == 8 ? ~0ull
							  : (1ull << (d.size * 8)) - 1));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_fields),
		cmocka_unit_test(test_store_truncates),
		cmocka_unit_test(test_load_extension),
		cmocka_unit_test(test_every_syndrome),
	};

	return cmocka_run_group_tests_name("dabt", tests, NULL, NULL);
}
