/* test_mmio.c - unit tests for the device region bus, with hostile ranges. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/mmio.h"
#include "lib/err.h"

static int dummy_access(void *dev, uint32_t vcpu, uint64_t off, unsigned size, bool write,
			uint64_t *val)
{
	*val = off;
	return 0;
}

static const struct mmio_ops dummy = { .name = "dummy", .access = dummy_access };
static const struct mmio_ops no_handler = { .name = "none" };

static void test_register_and_find(void **state)
{
	struct mmio_bus b = { 0 };

	assert_int_equal(mmio_register(&b, 0x8000000, 0x10000, &dummy, NULL), 0);
	assert_int_equal(mmio_register(&b, 0x9000000, 0x1000, &dummy, (void *)1), 0);
	assert_ptr_equal(mmio_find(&b, 0x8000000, 4), &b.r[0]);
	assert_ptr_equal(mmio_find(&b, 0x800fffc, 4), &b.r[0]);
	assert_null(mmio_find(&b, 0x800fffe, 4));	/* straddles the end */
	assert_null(mmio_find(&b, 0x8010000, 4));
	assert_null(mmio_find(&b, 0x7fffffc, 4));
	assert_ptr_equal(mmio_find(&b, 0x9000ff8, 8), &b.r[1]);
	assert_null(mmio_find(&b, 0x9000ffc, 8));
	assert_null(mmio_find(&b, 0x9000000, 0));
}

static void test_refusals(void **state)
{
	struct mmio_bus b = { 0 };

	assert_int_equal(mmio_register(&b, 0x1000, 0, &dummy, NULL), -ERR_RANGE);
	assert_int_equal(mmio_register(&b, UINT64_MAX - 0xfff, 0x2000, &dummy, NULL), -ERR_RANGE);
	assert_int_equal(mmio_register(&b, 0x1000, 0x1000, NULL, NULL), -ERR_INVAL);
	assert_int_equal(mmio_register(&b, 0x1000, 0x1000, &no_handler, NULL), -ERR_INVAL);
	assert_int_equal(mmio_register(&b, 0x1000, 0x1000, &dummy, NULL), 0);
	assert_int_equal(mmio_register(&b, 0x1000, 0x1000, &dummy, NULL), -ERR_EXIST);
	assert_int_equal(mmio_register(&b, 0x1fff, 0x10, &dummy, NULL), -ERR_EXIST);
	assert_int_equal(mmio_register(&b, 0x0, 0x1001, &dummy, NULL), -ERR_EXIST);
	assert_int_equal(mmio_register(&b, 0x0, 0x1000, &dummy, NULL), 0);	/* adjacent */
	assert_int_equal(mmio_register(&b, 0x2000, 0x1000, &dummy, NULL), 0);
	for (uint64_t i = 3; i < MMIO_MAX_REGIONS; i++)
		assert_int_equal(mmio_register(&b, 0x100000 * i, 0x1000, &dummy, NULL), 0);
	assert_int_equal(mmio_register(&b, 0x7000000, 0x1000, &dummy, NULL), -ERR_NOMEM);
	assert_int_equal(b.nr, MMIO_MAX_REGIONS);
}

static void test_hostile_lookups(void **state)
{
	struct mmio_bus b = { 0 };

	/* a region ending exactly at 2^64 has no representable end: refused */
	assert_int_equal(mmio_register(&b, UINT64_MAX - 0xfff, 0x1000, &dummy, NULL), -ERR_RANGE);
	assert_int_equal(mmio_register(&b, UINT64_MAX - 0x1fff, 0x1000, &dummy, NULL), 0);
	assert_ptr_equal(mmio_find(&b, UINT64_MAX - 0x1007, 8), &b.r[0]);
	assert_null(mmio_find(&b, UINT64_MAX - 0x1003, 8));	/* straddles the end */
	assert_null(mmio_find(&b, UINT64_MAX - 3, 8));	/* wraps past 2^64 */
	assert_null(mmio_find(&b, UINT64_MAX, 2));
	assert_null(mmio_find(&b, 0, 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_and_find),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_hostile_lookups),
	};

	return cmocka_run_group_tests_name("mmio", tests, NULL, NULL);
}
