/* test_stage2.c - host unit tests of the stage-2 table builder (src/arch/aarch64/stage2.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "arch/aarch64/stage2.h"
#include "lib/err.h"

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

/* Host-side table pool: pages 0-1 are the root, the rest are handed out by alloc_table. A fake PA
 * space (POOL_PA_BASE + index * 4 KiB) that differs from the host VAs proves the builder never
 * treats a PA as a pointer. */
#define POOL_PAGES 64
#define POOL_PA_BASE 0x7ff0000000ull

static _Alignas(8192) uint64_t pool[POOL_PAGES][512];

struct pool_ctx {
	unsigned next;		/* next free page index */
	unsigned allocated;	/* tables handed out */
	unsigned limit;		/* fail allocations past this many */
	unsigned bad_va_calls;	/* pa_to_va asked about a PA outside the pool */
};

static struct pool_ctx ctx;
static struct stage2 s2;

static uint64_t *pool_alloc(void *c, pa_t *pa)
{
	struct pool_ctx *p = c;

	if (p->allocated >= p->limit || p->next >= POOL_PAGES)
		return NULL;
	*pa = POOL_PA_BASE + (uint64_t)p->next * STAGE2_PAGE;
	memset(pool[p->next], 0, sizeof(pool[0]));
	p->allocated++;
	return pool[p->next++];
}

static void *pool_va(void *c, pa_t pa)
{
	struct pool_ctx *p = c;

	if (pa < POOL_PA_BASE || pa >= POOL_PA_BASE + POOL_PAGES * STAGE2_PAGE ||
	    (pa & (STAGE2_PAGE - 1))) {
		p->bad_va_calls++;
		return NULL;
	}
	return pool[(pa - POOL_PA_BASE) / STAGE2_PAGE];
}

static int setup(void **state)
{
	(void)state;
	memset(pool, 0, sizeof(pool));
	memset(&ctx, 0, sizeof(ctx));
	ctx.next = 2;
	ctx.limit = POOL_PAGES;
	assert_int_equal(stage2_init(&s2, pool[0], POOL_PA_BASE, pool_alloc, pool_va, &ctx), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(ctx.bad_va_calls, 0);
	return 0;
}

/* Raw descriptor for @ipa at @level, walked independently of the builder; 0 if not reached. */
static uint64_t raw_desc(ipa_t ipa, unsigned level)
{
	unsigned root_index = (unsigned)((ipa >> 30) & 0x3ff);
	uint64_t d = pool[root_index / 512][root_index % 512];
	uint64_t *t;
	unsigned l;

	for (l = 1; l < level; l++) {
		if ((d & 3) != 3)
			return 0;
		t = pool_va(&ctx, d & 0x0000fffffffff000ull);
		if (!t)
			return 0;
		d = t[(ipa >> (12 + 9 * (3 - (l + 1)))) & 0x1ff];
	}
	return d;
}

static void expect_map(ipa_t ipa, pa_t pa, uint64_t block, enum stage2_attr attr)
{
	pa_t got_pa = 0;
	enum stage2_attr got_attr = 0;
	uint64_t got_block = 0;

	assert_int_equal(stage2_lookup(&s2, ipa, &got_pa, &got_attr, &got_block), 0);
	assert_int_equal(got_pa, pa);
	assert_int_equal(got_block, block);
	assert_int_equal(got_attr, attr);
}

static void expect_unmapped(ipa_t ipa)
{
	pa_t pa = 0xdead;

	assert_int_equal(stage2_lookup(&s2, ipa, &pa, NULL, NULL), -ERR_NOENT);
}

static void test_init_refuses_bad_roots(void **state)
{
	struct stage2 t;

	(void)state;
	assert_int_equal(stage2_init(&t, pool[0], POOL_PA_BASE + 0x1000, pool_alloc, pool_va, &ctx),
			 -ERR_INVAL);
	assert_int_equal(stage2_init(&t, pool[0], POOL_PA_BASE + 8, pool_alloc, pool_va, &ctx),
			 -ERR_INVAL);
	assert_int_equal(stage2_init(&t, pool[0], 1ull << 48, pool_alloc, pool_va, &ctx),
			 -ERR_INVAL);
	assert_int_equal(stage2_init(&t, NULL, POOL_PA_BASE, pool_alloc, pool_va, &ctx),
			 -ERR_INVAL);
	assert_int_equal(stage2_init(&t, (uint64_t *)((char *)pool[0] + 4), POOL_PA_BASE,
				     pool_alloc, pool_va, &ctx), -ERR_INVAL);
	assert_int_equal(stage2_init(&t, pool[0], POOL_PA_BASE, NULL, pool_va, &ctx), -ERR_INVAL);
	assert_int_equal(stage2_init(&t, pool[0], POOL_PA_BASE, pool_alloc, NULL, &ctx),
			 -ERR_INVAL);
	assert_int_equal(stage2_init(NULL, pool[0], POOL_PA_BASE, pool_alloc, pool_va, &ctx),
			 -ERR_INVAL);
	assert_int_equal(stage2_init(&t, pool[0], POOL_PA_BASE, pool_alloc, pool_va, &ctx), 0);
	assert_ptr_equal(t.root, pool[0]);
	assert_int_equal(t.root_pa, POOL_PA_BASE);
}

static void test_empty_lookup(void **state)
{
	(void)state;
	expect_unmapped(0);
	expect_unmapped(GiB(1));
	expect_unmapped((1ull << 40) - 1);
}

static void test_512m_uses_2m_blocks(void **state)
{
	unsigned i;

	(void)state;
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x80000000, MiB(512), S2_MEM_RWX), 0);
	assert_int_equal(ctx.allocated, 1);	/* one level-2 table, no level-3 */
	expect_map(0x40000000, 0x80000000, MiB(2), S2_MEM_RWX);
	expect_map(0x40000000 + MiB(2) + 0x123, 0x80000000 + MiB(2) + 0x123, MiB(2), S2_MEM_RWX);
	expect_map(0x5fffffff, 0x9fffffff, MiB(2), S2_MEM_RWX);
	expect_unmapped(0x60000000);
	expect_unmapped(0x3fffffff);
	/* 256 level-2 block descriptors, then nothing */
	assert_int_equal(raw_desc(0x40000000, 1) & 3, 3);
	for (i = 0; i < 256; i++) {
		uint64_t d = raw_desc(0x40000000 + i * MiB(2), 2);

		assert_int_equal(d & 3, 1);
		assert_int_equal(d & 0x0000ffffffe00000ull, 0x80000000 + i * MiB(2));
	}
	assert_int_equal(raw_desc(0x60000000, 2), 0);
}

static void test_1g_blocks(void **state)
{
	(void)state;
	assert_int_equal(stage2_map(&s2, GiB(2), GiB(4), GiB(2), S2_MEM_RWX), 0);
	assert_int_equal(ctx.allocated, 0);
	expect_map(GiB(2), GiB(4), GiB(1), S2_MEM_RWX);
	expect_map(GiB(3) + 0x1234, GiB(5) + 0x1234, GiB(1), S2_MEM_RWX);
	expect_map(GiB(4) - 1, GiB(6) - 1, GiB(1), S2_MEM_RWX);
	expect_unmapped(GiB(4));
	assert_int_equal(pool[0][2] & 3, 1);
	assert_int_equal(pool[0][2] & 0x0000ffffc0000000ull, GiB(4));
	assert_int_equal(pool[0][3] & 0x0000ffffc0000000ull, GiB(5));

	/* IPA bit 39 selects the second concatenated level-1 table */
	assert_int_equal(stage2_map(&s2, 1ull << 39, GiB(8), GiB(1), S2_MEM_RO), 0);
	assert_int_equal(pool[1][0] & 3, 1);
	expect_map((1ull << 39) + 5, GiB(8) + 5, GiB(1), S2_MEM_RO);

	/* the last GiB of the IPA space, ending exactly at 2^40 */
	assert_int_equal(stage2_map(&s2, (1ull << 40) - GiB(1), GiB(1), GiB(1), S2_MEM_RWX), 0);
	assert_int_equal(pool[1][511] & 3, 1);
	expect_map((1ull << 40) - 1, GiB(2) - 1, GiB(1), S2_MEM_RWX);
	assert_int_equal(ctx.allocated, 0);
}

static void test_unaligned_pa_uses_pages(void **state)
{
	unsigned i;

	(void)state;
	/* IPA 2 MiB aligned, PA only 4 KiB aligned: no block is possible */
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x80001000, MiB(4), S2_MEM_RWX), 0);
	assert_int_equal(ctx.allocated, 3);	/* one level-2, two level-3 tables */
	expect_map(0x40000000, 0x80001000, KiB(4), S2_MEM_RWX);
	expect_map(0x40000fff, 0x80001fff, KiB(4), S2_MEM_RWX);
	expect_map(0x40000000 + MiB(4) - 1, 0x80001000 + MiB(4) - 1, KiB(4), S2_MEM_RWX);
	expect_unmapped(0x40000000 + MiB(4));
	for (i = 0; i < 1024; i++) {
		uint64_t d = raw_desc(0x40000000 + i * KiB(4), 3);

		assert_int_equal(d & 3, 3);
		assert_int_equal(d & 0x0000fffffffff000ull, 0x80001000 + i * KiB(4));
	}
}

static void test_mixed_pages_and_blocks(void **state)
{
	(void)state;
	/* pages up to the 2 MiB boundary, one 2 MiB block, then one page */
	assert_int_equal(stage2_map(&s2, 0x40001000, 0x80001000, MiB(4), S2_MEM_RWX), 0);
	expect_unmapped(0x40000000);
	expect_map(0x40001000, 0x80001000, KiB(4), S2_MEM_RWX);
	expect_map(0x401fffff, 0x801fffff, KiB(4), S2_MEM_RWX);
	expect_map(0x40200000, 0x80200000, MiB(2), S2_MEM_RWX);
	expect_map(0x403fffff, 0x803fffff, MiB(2), S2_MEM_RWX);
	expect_map(0x40400000, 0x80400000, KiB(4), S2_MEM_RWX);
	expect_unmapped(0x40401000);
	assert_int_equal(ctx.allocated, 3);

	/* a range crossing a 1 GiB boundary (two level-1 entries) */
	assert_int_equal(stage2_map(&s2, GiB(3) - MiB(2), GiB(5) - MiB(2), MiB(4), S2_MEM_RO), 0);
	expect_map(GiB(3) - 1, GiB(5) - 1, MiB(2), S2_MEM_RO);
	expect_map(GiB(3), GiB(5), MiB(2), S2_MEM_RO);
	expect_unmapped(GiB(3) + MiB(2));
}

static void test_overlap_in_block_refused(void **state)
{
	(void)state;
	assert_int_equal(stage2_map(&s2, 0x40200000, 0x80200000, MiB(2), S2_MEM_RWX), 0);
	/* a page inside the block: never split it */
	assert_int_equal(stage2_map(&s2, 0x40201000, 0x90000000, KiB(4), S2_MEM_RWX), -ERR_EXIST);
	/* the same block again */
	assert_int_equal(stage2_map(&s2, 0x40200000, 0x80200000, MiB(2), S2_MEM_RWX), -ERR_EXIST);
	/* starts free, ends inside the block: nothing of the free part gets mapped */
	assert_int_equal(stage2_map(&s2, 0x40100000, 0x90000000, MiB(2), S2_MEM_RWX), -ERR_EXIST);
	expect_unmapped(0x40100000);
	expect_unmapped(0x401ff000);
	/* starts inside, ends past it */
	assert_int_equal(stage2_map(&s2, 0x403ff000, 0x90000000, MiB(1), S2_MEM_RWX), -ERR_EXIST);
	expect_unmapped(0x40400000);
	/* a 1 GiB block over the GiB that holds it */
	assert_int_equal(stage2_map(&s2, GiB(1), GiB(8), GiB(1), S2_MEM_RWX), -ERR_EXIST);
	/* the original is intact */
	expect_map(0x40201000, 0x80201000, MiB(2), S2_MEM_RWX);
	/* neighbours either side are fine */
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x90000000, MiB(2), S2_MEM_RWX), 0);
	assert_int_equal(stage2_map(&s2, 0x40400000, 0x90200000, KiB(4), S2_MEM_RWX), 0);
	expect_map(0x401fffff, 0x901fffff, MiB(2), S2_MEM_RWX);
	expect_map(0x40400000, 0x90200000, KiB(4), S2_MEM_RWX);
}

static void test_overlap_in_pages_refused(void **state)
{
	(void)state;
	assert_int_equal(stage2_map(&s2, 0x40004000, 0x80004000, KiB(16), S2_MEM_RWX), 0);
	assert_int_equal(stage2_map(&s2, 0x40006000, 0x90000000, KiB(4), S2_MEM_RWX), -ERR_EXIST);
	/* free page, then an existing one: the free one stays free */
	assert_int_equal(stage2_map(&s2, 0x40003000, 0x90000000, KiB(8), S2_MEM_RWX), -ERR_EXIST);
	expect_unmapped(0x40003000);
	/* a 2 MiB block over a level-2 entry that holds pages */
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x90000000, MiB(2), S2_MEM_RWX), -ERR_EXIST);
	expect_unmapped(0x40000000);
	/* a 1 GiB block over a level-1 entry that holds a table with pages */
	assert_int_equal(stage2_map(&s2, GiB(1), GiB(8), GiB(1), S2_MEM_RWX), -ERR_EXIST);
	/* the page run around it: one free page before, the run, one free page after */
	assert_int_equal(stage2_map(&s2, 0x40003000, 0x90003000, KiB(4), S2_MEM_RO), 0);
	assert_int_equal(stage2_map(&s2, 0x40008000, 0x90008000, KiB(4), S2_MEM_RO), 0);
	expect_map(0x40003000, 0x90003000, KiB(4), S2_MEM_RO);
	expect_map(0x40004000, 0x80004000, KiB(4), S2_MEM_RWX);
	expect_map(0x40007fff, 0x80007fff, KiB(4), S2_MEM_RWX);
	expect_map(0x40008000, 0x90008000, KiB(4), S2_MEM_RO);
}

static void test_hostile_arguments(void **state)
{
	const uint64_t top = 1ull << 40;

	(void)state;
	/* misaligned */
	assert_int_equal(stage2_map(&s2, 0x40000800, 0x80000000, KiB(4), S2_MEM_RWX), -ERR_INVAL);
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x80000001, KiB(4), S2_MEM_RWX), -ERR_INVAL);
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x80000000, KiB(4) + 1, S2_MEM_RWX),
			 -ERR_INVAL);
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x80000000, 0xfff, S2_MEM_RWX), -ERR_INVAL);
	/* size 0 */
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x80000000, 0, S2_MEM_RWX), -ERR_INVAL);
	/* overflow near 2^64 */
	assert_int_equal(stage2_map(&s2, 0xfffffffffffff000ull, 0, KiB(8), S2_MEM_RWX), -ERR_RANGE);
	assert_int_equal(stage2_map(&s2, 0xfffffffffffff000ull, 0, KiB(4), S2_MEM_RWX), -ERR_RANGE);
	assert_int_equal(stage2_map(&s2, KiB(4), 0, 0xfffffffffffff000ull, S2_MEM_RWX), -ERR_RANGE);
	assert_int_equal(stage2_map(&s2, 0, 0xfffffffffffff000ull, KiB(8), S2_MEM_RWX), -ERR_RANGE);
	assert_int_equal(stage2_map(&s2, 0, KiB(4), 0xfffffffffffff000ull, S2_MEM_RWX), -ERR_RANGE);
	/* beyond 2^40 */
	assert_int_equal(stage2_map(&s2, top, 0, KiB(4), S2_MEM_RWX), -ERR_RANGE);
	assert_int_equal(stage2_map(&s2, top - KiB(4), 0, KiB(8), S2_MEM_RWX), -ERR_RANGE);
	assert_int_equal(stage2_map(&s2, 0, 0, top + KiB(4), S2_MEM_RWX), -ERR_RANGE);
	assert_int_equal(stage2_map(&s2, 1ull << 41, 0, GiB(1), S2_MEM_RWX), -ERR_RANGE);
	/* PA beyond what a descriptor holds */
	assert_int_equal(stage2_map(&s2, 0, 1ull << 48, KiB(4), S2_MEM_RWX), -ERR_RANGE);
	assert_int_equal(stage2_map(&s2, 0, (1ull << 48) - KiB(4), KiB(8), S2_MEM_RWX),
			 -ERR_RANGE);
	/* bad attributes */
	assert_int_equal(stage2_map(&s2, 0, 0, KiB(4), (enum stage2_attr)0), -ERR_INVAL);
	assert_int_equal(stage2_map(&s2, 0, 0, KiB(4), (enum stage2_attr)4), -ERR_INVAL);
	assert_int_equal(stage2_map(&s2, 0, 0, KiB(4), (enum stage2_attr)-1), -ERR_INVAL);
	/* none of it touched the tables */
	assert_int_equal(ctx.allocated, 0);
	{
		unsigned i;

		for (i = 0; i < 1024; i++)
			assert_int_equal(pool[i / 512][i % 512], 0);
	}
	/* the exact edges are fine */
	assert_int_equal(stage2_map(&s2, top - KiB(4), (1ull << 48) - KiB(4), KiB(4), S2_MEM_RWX),
			 0);
	expect_map(top - 1, (1ull << 48) - 1, KiB(4), S2_MEM_RWX);
	assert_int_equal(stage2_map(&s2, 0, 0, KiB(4), S2_MEM_RWX), 0);
	expect_map(0, 0, KiB(4), S2_MEM_RWX);
	/* lookups outside the IPA space */
	assert_int_equal(stage2_lookup(&s2, top, NULL, NULL, NULL), -ERR_RANGE);
	assert_int_equal(stage2_lookup(&s2, UINT64_MAX, NULL, NULL, NULL), -ERR_RANGE);
}

static void test_pool_exhaustion(void **state)
{
	(void)state;
	/* no tables at all: a page mapping fails and maps nothing */
	ctx.limit = 0;
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x80000000, KiB(4), S2_MEM_RWX), -ERR_NOMEM);
	expect_unmapped(0x40000000);
	/* ... but 1 GiB blocks need no tables */
	assert_int_equal(stage2_map(&s2, GiB(2), GiB(2), GiB(1), S2_MEM_RWX), 0);

	/* two tables: level 2 plus the first level 3; the part mapped so far stays mapped */
	ctx.limit = 2;
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x80001000, MiB(4), S2_MEM_RWX), -ERR_NOMEM);
	assert_int_equal(ctx.allocated, 2);
	expect_map(0x40000000, 0x80001000, KiB(4), S2_MEM_RWX);
	expect_map(0x401ff000, 0x80200000, KiB(4), S2_MEM_RWX);
	expect_unmapped(0x40200000);

	/* more tables: the remainder maps, reusing the existing level-2 table */
	ctx.limit = POOL_PAGES;
	assert_int_equal(stage2_map(&s2, 0x40200000, 0x80201000, MiB(2), S2_MEM_RWX), 0);
	assert_int_equal(ctx.allocated, 3);
	expect_map(0x403ff000, 0x80400000, KiB(4), S2_MEM_RWX);
}

static void test_empty_table_reused_after_nomem(void **state)
{
	(void)state;
	/* level-2 table allocated, level-3 not: an empty table stays linked at GiB 1 */
	ctx.limit = 1;
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x80001000, KiB(4), S2_MEM_RWX), -ERR_NOMEM);
	expect_unmapped(0x40000000);
	/* a 1 GiB request there is not refused: it fills the table with 2 MiB blocks */
	assert_int_equal(stage2_map(&s2, GiB(1), GiB(3), GiB(1), S2_MEM_RWX), 0);
	expect_map(GiB(1), GiB(3), MiB(2), S2_MEM_RWX);
	expect_map(GiB(2) - 1, GiB(4) - 1, MiB(2), S2_MEM_RWX);
	assert_int_equal(ctx.allocated, 1);
}

static void test_attribute_bits(void **state)
{
	uint64_t d;

	(void)state;
	assert_int_equal(stage2_map(&s2, 0x40000000, 0x80000000, MiB(2), S2_MEM_RWX), 0);
	assert_int_equal(stage2_map(&s2, 0x40200000, 0x80200000, KiB(4), S2_MEM_RO), 0);
	assert_int_equal(stage2_map(&s2, 0x08000000, 0x08000000, KiB(64), S2_DEV_RW), 0);
	assert_int_equal(stage2_map(&s2, GiB(2), GiB(2), GiB(1), S2_DEV_RW), 0);

	d = raw_desc(0x40000000, 2);		/* normal RWX block */
	assert_int_equal(d & 3, 1);
	assert_int_equal((d >> 2) & 0xf, 0xf);	/* MemAttr normal WB */
	assert_int_equal((d >> 6) & 3, 3);	/* S2AP RW */
	assert_int_equal((d >> 8) & 3, 3);	/* SH inner */
	assert_int_equal((d >> 10) & 1, 1);	/* AF */
	assert_int_equal((d >> 53) & 3, 0);	/* executable */

	d = raw_desc(0x40200000, 3);		/* normal RO page */
	assert_int_equal(d & 3, 3);
	assert_int_equal((d >> 2) & 0xf, 0xf);
	assert_int_equal((d >> 6) & 3, 1);	/* S2AP RO */
	assert_int_equal((d >> 8) & 3, 3);
	assert_int_equal((d >> 10) & 1, 1);
	assert_int_equal((d >> 53) & 3, 0);

	d = raw_desc(0x08000000, 3);		/* device page */
	assert_int_equal(d & 3, 3);
	assert_int_equal((d >> 2) & 0xf, 1);	/* MemAttr Device-nGnRE */
	assert_int_equal((d >> 6) & 3, 3);
	assert_int_equal((d >> 10) & 1, 1);
	assert_int_equal((d >> 53) & 3, 2);	/* XN at EL1 and EL0 */

	d = pool[0][2];				/* device 1 GiB block */
	assert_int_equal(d & 3, 1);
	assert_int_equal((d >> 2) & 0xf, 1);
	assert_int_equal((d >> 53) & 3, 2);
	assert_int_equal((d >> 10) & 1, 1);

	expect_map(0x40000000, 0x80000000, MiB(2), S2_MEM_RWX);
	expect_map(0x40200000, 0x80200000, KiB(4), S2_MEM_RO);
	expect_map(0x0800f000, 0x0800f000, KiB(4), S2_DEV_RW);
	expect_unmapped(0x08010000);
	expect_map(GiB(2), GiB(2), GiB(1), S2_DEV_RW);
}

static void test_vtcr(void **state)
{
	/* T0SZ 24 | SL0 1 | IRGN0 01 | ORGN0 01 | SH0 11 | TG0 4K | RES1 bit 31 */
	const uint64_t base = 24 | (1u << 6) | (1u << 8) | (1u << 10) | (3u << 12) | (1u << 31);
	static const struct {
		unsigned bits;
		uint64_t ps;
	} cases[] = {
		{ 32, 0 }, { 36, 1 }, { 40, 2 }, { 42, 3 }, { 44, 4 }, { 48, 5 },
		{ 52, 2 }, { 64, 2 }, { 0, 2 }, { 33, 2 }, { 39, 2 }, { 0xffffffffu, 2 },
	};
	size_t i;

	(void)state;
	assert_int_equal(stage2_vtcr(40), 0x80023558ull);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = stage2_vtcr(cases[i].bits);

		assert_int_equal(v, base | (cases[i].ps << 16));
		assert_int_equal(v & 0x3f, 64 - STAGE2_IPA_BITS);
		assert_int_equal((v >> 14) & 3, 0);	/* TG0 4 KiB */
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_refuses_bad_roots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_512m_uses_2m_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_1g_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_pa_uses_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mixed_pages_and_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_in_block_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_in_pages_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhaustion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_table_reused_after_nomem, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_attribute_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vtcr, setup, teardown),
	};

	return cmocka_run_group_tests_name("stage2", tests, NULL, NULL);
}
