/* test_memmap.c - host unit tests of the host physical memory map (src/core/memmap.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/memmap.h"
#include "lib/err.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)
#define TOP UINT64_MAX

static struct memmap m;

static int setup(void **state)
{
	memmap_init(&m);
	return 0;
}

static void test_init_empty(void **state)
{
	uint64_t pa;

	assert_int_equal(m.nr_ram, 0);
	assert_int_equal(m.nr_used, 0);
	assert_true(memmap_free_bytes(&m) == 0);
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), -ERR_NOMEM);
}

static void test_add_ram(void **state)
{
	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	assert_int_equal(memmap_add_ram(&m, GiB(4), GiB(2)), 0);
	assert_int_equal(m.nr_ram, 2);
	assert_true(memmap_free_bytes(&m) == GiB(3));
	/* adjacent banks do not overlap */
	assert_int_equal(memmap_add_ram(&m, GiB(2), MiB(2)), 0);
	assert_int_equal(memmap_add_ram(&m, GiB(1) - MiB(2), MiB(2)), 0);
	assert_true(memmap_free_bytes(&m) == GiB(3) + MiB(4));
}

static void test_add_ram_bad(void **state)
{
	assert_int_equal(memmap_add_ram(&m, GiB(1), 0), -ERR_RANGE);
	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	/* overlaps: same, inside, straddling either end, covering */
	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), -ERR_EXIST);
	assert_int_equal(memmap_add_ram(&m, GiB(1) + MiB(2), MiB(2)), -ERR_EXIST);
	assert_int_equal(memmap_add_ram(&m, GiB(1) - MiB(2), MiB(4)), -ERR_EXIST);
	assert_int_equal(memmap_add_ram(&m, GiB(2) - 1, 2), -ERR_EXIST);
	assert_int_equal(memmap_add_ram(&m, 0, GiB(4)), -ERR_EXIST);
	assert_int_equal(m.nr_ram, 1);
}

static void test_add_ram_near_2_64(void **state)
{
	/* the last byte of the address space is usable; one past it is not */
	assert_int_equal(memmap_add_ram(&m, TOP - MiB(2) + 1, MiB(2)), 0);
	assert_int_equal(memmap_add_ram(&m, TOP - MiB(4) + 2, MiB(2)), -ERR_EXIST);
	assert_int_equal(memmap_add_ram(&m, TOP - MiB(8) + 1, MiB(6) + 1), -ERR_EXIST);
	assert_int_equal(memmap_add_ram(&m, TOP, 2), -ERR_RANGE);
	assert_int_equal(memmap_add_ram(&m, TOP - MiB(2) + 2, MiB(2)), -ERR_RANGE);
	assert_int_equal(memmap_add_ram(&m, 2, TOP), -ERR_RANGE);
	assert_int_equal(memmap_add_ram(&m, TOP, TOP), -ERR_RANGE);
	assert_int_equal(memmap_add_ram(&m, 0, TOP), -ERR_EXIST);
	assert_int_equal(memmap_add_ram(&m, TOP, 1), -ERR_EXIST);
	assert_int_equal(m.nr_ram, 1);
}

static void test_add_ram_full(void **state)
{
	unsigned i;

	for (i = 0; i < MEMMAP_MAX_RANGES; i++)
		assert_int_equal(memmap_add_ram(&m, GiB(2) * i, GiB(1)), 0);
	assert_int_equal(memmap_add_ram(&m, GiB(2) * i, GiB(1)), -ERR_NOMEM);
	/* an overlap is reported as such even when full */
	assert_int_equal(memmap_add_ram(&m, 0, GiB(1)), -ERR_EXIST);
	assert_true(memmap_free_bytes(&m) == GiB(MEMMAP_MAX_RANGES));
}

static void test_reserve_inside(void **state)
{
	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(10), MiB(3)), 0);
	assert_true(memmap_free_bytes(&m) == GiB(1) - MiB(3));
	/* at both edges of the bank */
	assert_int_equal(memmap_reserve(&m, GiB(1), 1), 0);
	assert_int_equal(memmap_reserve(&m, GiB(2) - 1, 1), 0);
	assert_true(memmap_free_bytes(&m) == GiB(1) - MiB(3) - 2);
	/* adjacent to an existing reservation */
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(13), MiB(1)), 0);
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(9), MiB(1)), 0);
	assert_int_equal(m.nr_used, 5);
}

static void test_reserve_whole_bank(void **state)
{
	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	assert_int_equal(memmap_reserve(&m, GiB(1), GiB(1)), 0);
	assert_true(memmap_free_bytes(&m) == 0);
}

static void test_reserve_outside(void **state)
{
	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	assert_int_equal(memmap_add_ram(&m, GiB(2), GiB(1)), 0);
	assert_int_equal(memmap_reserve(&m, 0, MiB(2)), -ERR_RANGE);
	assert_int_equal(memmap_reserve(&m, GiB(4), MiB(2)), -ERR_RANGE);
	/* sticking out of either end of a bank */
	assert_int_equal(memmap_reserve(&m, GiB(1) - 1, 2), -ERR_RANGE);
	assert_int_equal(memmap_reserve(&m, GiB(3) - 1, 2), -ERR_RANGE);
	/* spanning two adjacent banks: not inside one bank */
	assert_int_equal(memmap_reserve(&m, GiB(2) - 1, 2), -ERR_RANGE);
	assert_int_equal(memmap_reserve(&m, GiB(1), 0), -ERR_RANGE);
	assert_int_equal(memmap_reserve(&m, GiB(1), TOP), -ERR_RANGE);
	assert_int_equal(m.nr_used, 0);
	assert_true(memmap_free_bytes(&m) == GiB(2));
}

static void test_reserve_overlap(void **state)
{
	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(4), MiB(4)), 0);
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(4), MiB(4)), -ERR_EXIST);
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(5), 1), -ERR_EXIST);
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(2), MiB(2) + 1), -ERR_EXIST);
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(8) - 1, MiB(2)), -ERR_EXIST);
	assert_int_equal(memmap_reserve(&m, GiB(1), MiB(16)), -ERR_EXIST);
	assert_int_equal(m.nr_used, 1);
}

static void test_reserve_near_2_64(void **state)
{
	assert_int_equal(memmap_add_ram(&m, TOP - GiB(1) + 1, GiB(1)), 0);
	assert_int_equal(memmap_reserve(&m, TOP, 1), 0);
	assert_int_equal(memmap_reserve(&m, TOP, 1), -ERR_EXIST);
	assert_int_equal(memmap_reserve(&m, TOP - 1, 3), -ERR_RANGE);
	assert_int_equal(memmap_reserve(&m, TOP - MiB(1), TOP), -ERR_RANGE);
	assert_true(memmap_free_bytes(&m) == GiB(1) - 1);
}

static void test_reserve_full(void **state)
{
	unsigned i;

	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	for (i = 0; i < MEMMAP_MAX_RANGES; i++)
		assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(2) * i, MiB(1)), 0);
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(2) * i, MiB(1)), -ERR_NOMEM);
	assert_true(memmap_free_bytes(&m) == GiB(1) - MiB(MEMMAP_MAX_RANGES));
}

static void test_alloc_highest_first(void **state)
{
	uint64_t pa;

	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), 0);
	assert_true(pa == GiB(2) - MiB(2));
	assert_int_equal(memmap_alloc(&m, MiB(4), MiB(2), &pa), 0);
	assert_true(pa == GiB(2) - MiB(6));
	assert_true(memmap_free_bytes(&m) == GiB(1) - MiB(6));
}

static void test_alloc_highest_bank(void **state)
{
	uint64_t pa;

	/* the second bank added is lower: allocation still picks the top of the higher one */
	assert_int_equal(memmap_add_ram(&m, GiB(8), GiB(1)), 0);
	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), 0);
	assert_true(pa == GiB(9) - MiB(2));
	/* too big for the high bank's rest, fits the low one */
	assert_int_equal(memmap_alloc(&m, GiB(1), MiB(2), &pa), 0);
	assert_true(pa == GiB(1));
	assert_int_equal(memmap_alloc(&m, GiB(1), MiB(2), &pa), -ERR_NOMEM);
}

static void test_alloc_unaligned_bank_end(void **state)
{
	uint64_t pa;

	/* a bank ending 1 MiB past a 2 MiB boundary: the block is aligned down */
	assert_int_equal(memmap_add_ram(&m, GiB(1) + MiB(1), MiB(9)), 0);
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), 0);
	assert_true(pa == GiB(1) + MiB(8));
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), 0);
	assert_true(pa == GiB(1) + MiB(6));
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), 0);
	assert_true(pa == GiB(1) + MiB(4));
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), 0);
	assert_true(pa == GiB(1) + MiB(2));
	/* [1 GiB + 1 MiB, 1 GiB + 2 MiB) is free but has no aligned 2 MiB block */
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), -ERR_NOMEM);
	assert_true(memmap_free_bytes(&m) == MiB(1));
	assert_int_equal(memmap_alloc(&m, MiB(1), 4096, &pa), 0);
	assert_true(pa == GiB(1) + MiB(1));
	assert_true(memmap_free_bytes(&m) == 0);
}

static void test_alloc_around_holes(void **state)
{
	uint64_t pa;

	assert_int_equal(memmap_add_ram(&m, GiB(1), MiB(64)), 0);
	/* cella at the top (unaligned end), a DTB in the middle */
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(60) + 0x1000, MiB(4) - 0x1000), 0);
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(31), 0x10000), 0);
	/* below cella: [1G+58M, 1G+60M) is the highest aligned fit */
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), 0);
	assert_true(pa == GiB(1) + MiB(58));
	/* 28 MiB does not fit in [1G+32M, 1G+58M) (26 MiB): goes below the DTB hole */
	assert_int_equal(memmap_alloc(&m, MiB(28), MiB(2), &pa), 0);
	assert_true(pa == GiB(1) + MiB(2));
	/* 26 MiB fits exactly above the DTB */
	assert_int_equal(memmap_alloc(&m, MiB(26), MiB(2), &pa), 0);
	assert_true(pa == GiB(1) + MiB(32));
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), 0);
	assert_true(pa == GiB(1));
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), -ERR_NOMEM);
	/* the 4 KiB below cella and the partial block around the DTB remain */
	assert_true(memmap_free_bytes(&m) == 0x1000 + MiB(2) - 0x10000);
	assert_int_equal(memmap_alloc(&m, 0x1000, 0x1000, &pa), 0);
	assert_true(pa == GiB(1) + MiB(60));
}

static void test_alloc_near_2_64(void **state)
{
	uint64_t pa;

	assert_int_equal(memmap_add_ram(&m, TOP - MiB(8) + 1, MiB(8)), 0);
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), 0);
	assert_true(pa == TOP - MiB(2) + 1);
	assert_int_equal(memmap_alloc(&m, MiB(6), MiB(2), &pa), 0);
	assert_true(pa == TOP - MiB(8) + 1);
	assert_int_equal(memmap_alloc(&m, 1, 1, &pa), -ERR_NOMEM);
	/* sizes that cannot fit anywhere, without wrapping */
	memmap_init(&m);
	assert_int_equal(memmap_add_ram(&m, 0, TOP), 0);
	assert_int_equal(memmap_alloc(&m, TOP, 1, &pa), 0);
	assert_true(pa == 0);
	memmap_init(&m);
	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	assert_int_equal(memmap_alloc(&m, TOP, MiB(2), &pa), -ERR_NOMEM);
	assert_int_equal(memmap_alloc(&m, GiB(1) + 1, 1, &pa), -ERR_NOMEM);
	assert_int_equal(memmap_alloc(&m, GiB(1), 1ull << 63, &pa), -ERR_NOMEM);
}

static void test_alloc_bad_args(void **state)
{
	uint64_t pa = 0x1234;

	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	assert_int_equal(memmap_alloc(&m, 0, MiB(2), &pa), -ERR_INVAL);
	assert_int_equal(memmap_alloc(&m, MiB(2), 0, &pa), -ERR_INVAL);
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(3), &pa), -ERR_INVAL);
	assert_int_equal(memmap_alloc(&m, MiB(2), TOP, &pa), -ERR_INVAL);
	assert_true(pa == 0x1234);
	assert_int_equal(m.nr_used, 0);
}

static void test_alloc_exhaustion(void **state)
{
	uint64_t pa, prev = TOP;
	unsigned n = 0;

	assert_int_equal(memmap_add_ram(&m, GiB(1), MiB(20)), 0);
	while (memmap_alloc(&m, MiB(2), MiB(2), &pa) == 0) {
		assert_true(pa < prev);
		assert_true(pa % MiB(2) == 0);
		prev = pa;
		n++;
	}
	assert_int_equal(n, 10);
	assert_true(memmap_free_bytes(&m) == 0);
	assert_int_equal(memmap_alloc(&m, 1, 1, &pa), -ERR_NOMEM);
}

static void test_alloc_table_full(void **state)
{
	uint64_t pa;
	unsigned i;

	assert_int_equal(memmap_add_ram(&m, GiB(1), GiB(1)), 0);
	for (i = 0; i < MEMMAP_MAX_RANGES; i++)
		assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), 0);
	assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa), -ERR_NOMEM);
	assert_true(memmap_free_bytes(&m) == GiB(1) - MiB(2) * MEMMAP_MAX_RANGES);
}

static void test_alloc_never_overlaps(void **state)
{
	uint64_t pa[12];
	unsigned i, j;

	assert_int_equal(memmap_add_ram(&m, GiB(1), MiB(40)), 0);
	assert_int_equal(memmap_add_ram(&m, GiB(3) + MiB(1), MiB(11)), 0);
	assert_int_equal(memmap_reserve(&m, GiB(1) + MiB(7), MiB(3)), 0);
	assert_int_equal(memmap_reserve(&m, GiB(3) + MiB(6), 1), 0);
	for (i = 0; i < 12; i++)
		assert_int_equal(memmap_alloc(&m, MiB(2), MiB(2), &pa[i]), 0);
	for (i = 0; i < m.nr_used; i++)
		for (j = 0; j < m.nr_used; j++)
			if (i != j)
				assert_false(m.used[i].pa < m.used[j].pa + m.used[j].size &&
					     m.used[j].pa < m.used[i].pa + m.used[i].size);
	/* high bank first: [3G+8M, 3G+12M) holds two blocks; [3G+2M, 3G+6M) two more */
	assert_true(pa[0] == GiB(3) + MiB(10));
	assert_true(pa[1] == GiB(3) + MiB(8));
	assert_true(pa[2] == GiB(3) + MiB(4));
	assert_true(pa[3] == GiB(3) + MiB(2));
	assert_true(pa[4] == GiB(1) + MiB(38));
}

static void test_free_bytes_saturates(void **state)
{
	assert_int_equal(memmap_add_ram(&m, 0, 1ull << 63), 0);
	assert_int_equal(memmap_add_ram(&m, 1ull << 63, 1ull << 63), 0);
	assert_true(memmap_free_bytes(&m) == TOP);
	assert_int_equal(memmap_reserve(&m, 0, 1), 0);
	assert_true(memmap_free_bytes(&m) == TOP);
	assert_int_equal(memmap_reserve(&m, 1, 1), 0);
	assert_true(memmap_free_bytes(&m) == TOP - 1);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_empty),
		T(test_add_ram),
		T(test_add_ram_bad),
		T(test_add_ram_near_2_64),
		T(test_add_ram_full),
		T(test_reserve_inside),
		T(test_reserve_whole_bank),
		T(test_reserve_outside),
		T(test_reserve_overlap),
		T(test_reserve_near_2_64),
		T(test_reserve_full),
		T(test_alloc_highest_first),
		T(test_alloc_highest_bank),
		T(test_alloc_unaligned_bank_end),
		T(test_alloc_around_holes),
		T(test_alloc_near_2_64),
		T(test_alloc_bad_args),
		T(test_alloc_exhaustion),
		T(test_alloc_table_full),
		T(test_alloc_never_overlaps),
		T(test_free_bytes_saturates),
	};

	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
