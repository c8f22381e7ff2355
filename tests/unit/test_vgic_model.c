/* test_vgic_model.c - unit tests of the virtual GICv3 register model (vgic_model.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "arch/aarch64/vgic_model.h"
#include "lib/err.h"

#define SGI_BASE 0x10000u
#define CTLR_EN 0x2u

static const uint64_t mpidr8[8] = {
	0x0, 0x1, 0x2, 0x3, 0x100, 0x101, 0x10000, 0x100000010,	/* last: Aff3 1, Aff0 0x10 */
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t drd(struct vgic *g, uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	assert_int_equal(vgic_dist_access(g, 0, off, size, false, &v), 0);
	return v;
}

static void dwr(struct vgic *g, uint64_t off, unsigned size, uint64_t v)
{
	assert_int_equal(vgic_dist_access(g, 0, off, size, true, &v), 0);
}

static uint64_t rrd(struct vgic *g, uint32_t cpu, uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	assert_int_equal(vgic_redist_access(g, 0, cpu * VGIC_GICR_STRIDE + off, size, false, &v),
			 0);
	return v;
}

static void rwr(struct vgic *g, uint32_t cpu, uint64_t off, unsigned size, uint64_t v)
{
	assert_int_equal(vgic_redist_access(g, 0, cpu * VGIC_GICR_STRIDE + off, size, true, &v), 0);
}

/* Linux's gic_dist_init + gic_cpu_init for every CPU (drivers/irqchip/irq-gic-v3.c). */
static void linux_init(struct vgic *g, uint32_t n, const uint64_t *mpidr)
{
	uint32_t i, c;

	vgic_init(g, n, mpidr);
	dwr(g, 0x0, 4, 0);
	assert_int_equal(drd(g, 0x0, 4) >> 31, 0);	/* RWP */
	for (i = 32; i < VGIC_NR_IRQS; i += 32)
		dwr(g, 0x80 + i / 8, 4, ~0u);
	for (i = 32; i < VGIC_NR_IRQS; i += 16)
		dwr(g, 0xc00 + i / 4, 4, 0);
	for (i = 32; i < VGIC_NR_IRQS; i += 4)
		dwr(g, 0x400 + i, 4, 0xa0a0a0a0);
	for (i = 32; i < VGIC_NR_IRQS; i += 32) {
		dwr(g, 0x380 + i / 8, 4, ~0u);
		dwr(g, 0x180 + i / 8, 4, ~0u);
	}
	dwr(g, 0x0, 4, 0x13);	/* ARE_NS | EnableGrp1A | EnableGrp1 */
	for (i = 32; i < VGIC_NR_IRQS; i++)
		dwr(g, 0x6000 + 8 * i, 8, mpidr ? mpidr[0] : 0);
	for (c = 0; c < n; c++) {
		rwr(g, c, 0x14, 4, rrd(g, c, 0x14, 4) & ~2u);
		assert_int_equal(rrd(g, c, 0x14, 4) & 4, 0);
		rwr(g, c, SGI_BASE + 0x80, 4, ~0u);
		rwr(g, c, SGI_BASE + 0x380, 4, ~0u);
		rwr(g, c, SGI_BASE + 0x180, 4, 0xffff0000);
		rwr(g, c, SGI_BASE + 0x100, 4, 0x0000ffff);
		for (i = 0; i < 32; i += 4)
			rwr(g, c, SGI_BASE + 0x400 + i, 4, 0xa0a0a0a0);
	}
	g->dirty = 0;
}

static void test_gicd_id_and_ctlr(void **state)
{
	struct vgic g;

	(void)state;
	vgic_init(&g, 2, NULL);
	assert_int_equal(drd(&g, 0x4, 4), 0x01480003);	/* ITLines 3, IDbits 9, A3V */
	assert_int_equal(drd(&g, 0x4, 4) & 0x1f, (32 + VGIC_NR_SPIS) / 32 - 1);
	assert_int_equal((drd(&g, 0x4, 4) >> 19) & 0x1f, 9);
	assert_int_equal(drd(&g, 0x4, 4) & ((1u << 17) | (1u << 16) | (1u << 26)), 0);
	assert_int_equal(drd(&g, 0x8, 4), 0x43b);
	assert_int_equal(drd(&g, 0xc, 4), 0);
	assert_int_equal((drd(&g, 0xffe8, 4) >> 4) & 0xf, 3);
	assert_int_equal(drd(&g, 0x0, 4), 0x50);	/* DS, ARE, groups off */
	dwr(&g, 0x0, 4, 0);
	assert_int_equal(drd(&g, 0x0, 4), 0x50);	/* ARE RAO/WI */
	dwr(&g, 0x0, 4, 0x13);
	assert_int_equal(drd(&g, 0x0, 4), 0x52);	/* only EnableGrp1 sticks */
	dwr(&g, 0x0, 4, 0xffffffff);
	assert_int_equal(drd(&g, 0x0, 4), 0x52);	/* RWP 0 */
	dwr(&g, 0x0, 4, 0xfffffffd);
	assert_int_equal(drd(&g, 0x0, 4), 0x50);
}

static void test_linux_dist_init(void **state)
{
	struct vgic g;
	uint32_t i;

	(void)state;
	linux_init(&g, 2, mpidr8);
	assert_int_equal(drd(&g, 0x80, 4), 0);			/* IGROUPR0: RAZ with ARE */
	for (i = 1; i < VGIC_NR_IRQS / 32; i++)
		assert_int_equal(drd(&g, 0x80 + 4 * i, 4), 0xffffffff);
	assert_int_equal(drd(&g, 0x80 + 4 * (VGIC_NR_IRQS / 32), 4), 0);	/* beyond SPIs */
	assert_int_equal(drd(&g, 0x420, 4), 0xa0a0a0a0);
	assert_int_equal(drd(&g, 0x400, 4), 0);	/* priorities 0-31: RAZ here */
	assert_int_equal(drd(&g, 0x100 + 4, 4), 0);
	assert_int_equal(drd(&g, 0x6000 + 8 * 40, 8), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(rrd(&g, i, SGI_BASE + 0x80, 4), 0xffffffff);
		assert_int_equal(rrd(&g, i, SGI_BASE + 0x100, 4), 0x0000ffff);
		assert_int_equal(rrd(&g, i, SGI_BASE + 0x41c, 4), 0xa0a0a0a0);
		/* GICR_CTLR.RWP and UWP */
		assert_int_equal(rrd(&g, i, 0x0, 4) & ((1u << 3) | (1u << 31)), 0);
	}
	assert_int_equal(vgic_next_pending(&g, 0), -1);
	assert_int_equal(vgic_next_pending(&g, 1), -1);
}

/* Linux's gic_populate_rdist: walk frames, match GICR_TYPER[63:32], stop at Last. */
static int64_t find_rd(struct vgic *g, uint64_t mpidr, uint32_t *frames)
{
	uint64_t aff = (mpidr >> 32 & 0xff) << 24 | (mpidr & 0xffffff), ptr = 0, typer;
	int64_t found = -1;

	*frames = 0;
	do {
		assert_int_equal((rrd(g, 0, ptr + 0xffe8, 4) >> 4) & 0xf, 3);
		typer = rrd(g, 0, ptr + 0x8, 8);
		assert_int_equal(rrd(g, 0, ptr + 0x8, 4), typer & 0xffffffff);
		assert_int_equal(rrd(g, 0, ptr + 0xc, 4), typer >> 32);
		assert_int_equal((typer >> 8) & 0xffff, *frames);	/* Processor_Number */
		if (found < 0 && typer >> 32 == aff)
			found = (int64_t)ptr;
		ptr += VGIC_GICR_STRIDE;
		(*frames)++;
	} while (!(typer & 0x10));
	return found;
}

static void walk(uint32_t n)
{
	struct vgic g;
	uint32_t i, frames;
	uint64_t v = 0;

	linux_init(&g, n, mpidr8);
	for (i = 0; i < n; i++) {
		assert_int_equal(find_rd(&g, mpidr8[i], &frames), i * VGIC_GICR_STRIDE);
		assert_int_equal(frames, n);
	}
	assert_int_equal(vgic_redist_access(&g, 0, n * VGIC_GICR_STRIDE + 0x8, 8, false, &v),
			 -ERR_INVAL);
}

static void test_redist_walk_2(void **state)
{
	(void)state;
	walk(2);
}

static void test_redist_walk_8(void **state)
{
	struct vgic g;

	(void)state;
	walk(8);
	vgic_init(&g, 8, mpidr8);
	assert_int_equal(rrd(&g, 7, 0x8, 8), 0x0100001000000710ull);	/* Aff3 1, Aff0 0x10 */
	assert_int_equal(rrd(&g, 5, 0x8, 8), 0x0000010100000500ull);
}

static void test_waker(void **state)
{
	struct vgic g;

	(void)state;
	vgic_init(&g, 2, NULL);
	assert_int_equal(rrd(&g, 1, 0x14, 4), 0x6);	/* reset: asleep */
	rwr(&g, 1, 0x14, 4, 0);
	assert_int_equal(rrd(&g, 1, 0x14, 4), 0);
	assert_int_equal(rrd(&g, 0, 0x14, 4), 0x6);	/* per redistributor */
	rwr(&g, 1, 0x14, 4, 0xfffffffd);
	assert_int_equal(rrd(&g, 1, 0x14, 4), 0);	/* ChildrenAsleep is read-only */
	rwr(&g, 1, 0x14, 4, 2);
	assert_int_equal(rrd(&g, 1, 0x14, 4), 0x6);
	assert_int_equal(rrd(&g, 1, 0x4, 4), 0x43b);
	rwr(&g, 1, 0x0, 4, 0xffffffff);
	assert_int_equal(rrd(&g, 1, 0x0, 4), 0);
	rwr(&g, 1, 0x8, 8, 0);
	assert_int_equal(rrd(&g, 1, 0x8, 8) & 0x10, 0x10);	/* TYPER read-only */
}

static void test_priority_order(void **state)
{
	struct vgic g;

	(void)state;
	linux_init(&g, 2, NULL);
	dwr(&g, 0x400 + 40, 1, 0x80);
	dwr(&g, 0x400 + 50, 1, 0x47);
	assert_int_equal(drd(&g, 0x400 + 50, 1), 0x40);	/* top VGIC_PRIO_BITS bits only */
	rwr(&g, 0, SGI_BASE + 0x400 + 20, 1, 0x40);
	assert_int_equal(rrd(&g, 0, SGI_BASE + 0x414, 4), (0xa0a0a0a0 & ~0xffu) | 0x40);
	dwr(&g, 0x104, 4, (1u << 8) | (1u << 18));	/* enable SPIs 40, 50 */
	rwr(&g, 0, SGI_BASE + 0x100, 4, 1u << 20);
	assert_int_equal(vgic_next_pending(&g, 0), -1);
	dwr(&g, 0x204, 4, (1u << 8) | (1u << 18));
	rwr(&g, 0, SGI_BASE + 0x200, 4, 1u << 20);
	assert_int_equal(drd(&g, 0x204, 4), (1u << 8) | (1u << 18));
	assert_int_equal(vgic_next_pending(&g, 0), 20);	/* tie at 0x40: lowest INTID */
	assert_int_equal(vgic_next_pending(&g, 1), -1);	/* PPI 20 of vCPU 0 only */
	/* _more: whether another deliverable interrupt remains besides the one returned */
	{
		bool more = false;

		assert_int_equal(vgic_next_pending_more(&g, 0, &more), 20);
		assert_true(more);			/* 40 and 50 wait too */
		assert_int_equal(vgic_next_pending_more(&g, 1, &more), -1);
		assert_false(more);
	}
	assert_non_null(vgic_lr_load(&g, 0, 20));
	assert_int_equal(vgic_next_pending(&g, 0), 50);
	assert_non_null(vgic_lr_load(&g, 0, 50));
	assert_int_equal(vgic_next_pending(&g, 0), 40);
	{
		bool more = true;

		assert_int_equal(vgic_next_pending_more(&g, 0, &more), 40);
		assert_false(more);			/* the last one: no second scan needed */
	}
	assert_non_null(vgic_lr_load(&g, 0, 40));
	assert_int_equal(vgic_next_pending(&g, 0), -1);

	/* priority 0 everywhere: the lowest INTID still wins */
	linux_init(&g, 1, NULL);
	dwr(&g, 0x400 + 33, 1, 0);
	dwr(&g, 0x400 + 100, 1, 0);
	dwr(&g, 0x100 + 4 * (100 / 32), 4, 1u << (100 % 32));
	dwr(&g, 0x200 + 4 * (100 / 32), 4, 1u << (100 % 32));
	assert_int_equal(vgic_next_pending(&g, 0), 100);
	dwr(&g, 0x104, 4, 2);
	dwr(&g, 0x204, 4, 2);
	assert_int_equal(vgic_next_pending(&g, 0), 33);
	rwr(&g, 0, SGI_BASE + 0x400 + 25, 1, 0);
	rwr(&g, 0, SGI_BASE + 0x100, 4, 1u << 25);
	rwr(&g, 0, SGI_BASE + 0x200, 4, 1u << 25);
	assert_int_equal(vgic_next_pending(&g, 0), 25);
	rwr(&g, 0, SGI_BASE + 0x280, 4, 1u << 25);
	assert_int_equal(vgic_next_pending(&g, 0), 33);

	/* ties at a non-zero priority, inside each bank and across them */
	linux_init(&g, 1, NULL);
	rwr(&g, 0, SGI_BASE + 0x200, 4, (1u << 5) | (1u << 3));
	dwr(&g, 0x104, 4, 0x6);
	dwr(&g, 0x204, 4, 0x6);
	assert_int_equal(vgic_next_pending(&g, 0), 3);
	assert_non_null(vgic_lr_load(&g, 0, 3));
	assert_int_equal(vgic_next_pending(&g, 0), 5);
	assert_non_null(vgic_lr_load(&g, 0, 5));
	assert_int_equal(vgic_next_pending(&g, 0), 33);
	assert_non_null(vgic_lr_load(&g, 0, 33));
	assert_int_equal(vgic_next_pending(&g, 0), 34);
}

static void test_w1_registers(void **state)
{
	struct vgic g;

	(void)state;
	linux_init(&g, 1, NULL);
	dwr(&g, 0x104, 4, 0xf0);
	dwr(&g, 0x104, 4, 0);			/* 0 bits do nothing */
	dwr(&g, 0x184, 4, 0);
	assert_int_equal(drd(&g, 0x104, 4), 0xf0);
	assert_int_equal(drd(&g, 0x184, 4), 0xf0);
	dwr(&g, 0x184, 4, 0x30);
	assert_int_equal(drd(&g, 0x104, 4), 0xc0);
	dwr(&g, 0x204, 4, 0x3);
	dwr(&g, 0x284, 4, 0x0);
	assert_int_equal(drd(&g, 0x284, 4), 0x3);
	dwr(&g, 0x284, 4, 0x1);
	assert_int_equal(drd(&g, 0x204, 4), 0x2);
	dwr(&g, 0x304, 4, 0x5);
	dwr(&g, 0x384, 4, 0x0);
	assert_int_equal(drd(&g, 0x384, 4), 0x5);
	dwr(&g, 0x384, 4, 0x4);
	assert_int_equal(drd(&g, 0x304, 4), 0x1);
	dwr(&g, 0x84, 4, 0x0);			/* IGROUPR takes every bit */
	assert_int_equal(drd(&g, 0x84, 4), 0);
	assert_false(vgic_irq_get(&g, 0, 40)->group1);
	/* GICD banks for INTIDs 0-31 and beyond the SPIs are RAZ/WI */
	dwr(&g, 0x100, 4, ~0u);
	dwr(&g, 0x200, 4, ~0u);
	assert_int_equal(drd(&g, 0x100, 4), 0);
	assert_false(vgic_irq_get(&g, 0, 5)->pending);
	dwr(&g, 0x100 + VGIC_NR_IRQS / 8, 4, ~0u);
	assert_int_equal(drd(&g, 0x100 + VGIC_NR_IRQS / 8, 4), 0);
	assert_int_equal(drd(&g, 0x400 + VGIC_NR_IRQS, 1), 0);
	dwr(&g, 0x400 + VGIC_NR_IRQS, 4, ~0u);
	assert_int_equal(drd(&g, 0x400 + VGIC_NR_IRQS, 4), 0);
	/* unimplemented: RAZ/WI */
	dwr(&g, 0x20, 4, ~0u);
	assert_int_equal(drd(&g, 0x20, 4), 0);
	dwr(&g, 0x800 + 40, 1, 0xff);		/* ITARGETSR with ARE */
	assert_int_equal(drd(&g, 0x800 + 40, 1), 0);
	dwr(&g, 0xf00, 4, 0x00ff0001);		/* GICD_SGIR */
	assert_int_equal(vgic_irq_get(&g, 0, 1)->pending, 0);
	assert_int_equal(drd(&g, 0xd04, 4), 0);	/* IGRPMODR */
	assert_int_equal(drd(&g, 0xe08, 4), 0);	/* NSACR */
	assert_int_equal(drd(&g, 0xffe0, 4), 0);
	rwr(&g, 0, SGI_BASE + 0xd00, 4, ~0u);
	assert_int_equal(rrd(&g, 0, SGI_BASE + 0xd00, 4), 0);
}

static void test_group_ctlr_gating(void **state)
{
	struct vgic g;

	(void)state;
	linux_init(&g, 1, NULL);
	dwr(&g, 0x104, 4, 1u << 8);
	dwr(&g, 0x204, 4, 1u << 8);
	assert_int_equal(vgic_next_pending(&g, 0), 40);
	dwr(&g, 0x84, 4, ~(1u << 8));		/* SPI 40 to group 0: never delivered */
	assert_int_equal(vgic_next_pending(&g, 0), -1);
	g.dirty = 0;
	dwr(&g, 0x84, 4, ~0u);
	assert_int_equal(g.dirty, 1);
	assert_int_equal(vgic_next_pending(&g, 0), 40);
	dwr(&g, 0x0, 4, 0x10);
	assert_int_equal(vgic_next_pending(&g, 0), -1);
	g.dirty = 0;
	dwr(&g, 0x0, 4, 0x12);
	assert_int_equal(g.dirty, 1);
	assert_int_equal(vgic_next_pending(&g, 0), 40);
	dwr(&g, 0x184, 4, 1u << 8);
	assert_int_equal(vgic_next_pending(&g, 0), -1);
}

static void test_level_edge(void **state)
{
	struct vgic g;

	(void)state;
	linux_init(&g, 2, NULL);
	dwr(&g, 0x104, 4, (1u << 8) | (1u << 9));	/* SPIs 40 (level), 41 */
	assert_int_equal(vgic_set_level(&g, 0, 40, true), 0);
	assert_int_equal(vgic_next_pending(&g, 0), 40);
	assert_int_equal(drd(&g, 0x204, 4), 1u << 8);
	dwr(&g, 0x284, 4, 1u << 8);			/* line still high: still pending */
	assert_int_equal(vgic_next_pending(&g, 0), 40);
	assert_int_equal(vgic_set_level(&g, 0, 40, false), 0);
	assert_int_equal(vgic_next_pending(&g, 0), -1);
	assert_int_equal(drd(&g, 0x204, 4), 0);
	dwr(&g, 0x204, 4, 1u << 8);			/* software latch on a level interrupt */
	assert_int_equal(vgic_next_pending(&g, 0), 40);
	dwr(&g, 0x284, 4, 1u << 8);
	assert_int_equal(vgic_next_pending(&g, 0), -1);

	dwr(&g, 0xc08, 4, 1u << 19);			/* SPI 41 edge */
	assert_int_equal(drd(&g, 0xc08, 4), 1u << 19);
	assert_int_equal(vgic_set_level(&g, 99, 41, true), 0);	/* vCPU ignored for SPIs */
	assert_int_equal(vgic_next_pending(&g, 0), 41);
	assert_int_equal(vgic_set_level(&g, 0, 41, false), 0);
	assert_int_equal(vgic_next_pending(&g, 0), 41);	/* latched */
	assert_non_null(vgic_lr_load(&g, 0, 41));	/* the LR took it */
	assert_true(vgic_lr_sync(&g, 0, 41, 0));	/* and the guest is done with it */
	assert_int_equal(vgic_next_pending(&g, 0), -1);
	assert_int_equal(vgic_set_level(&g, 0, 41, true), 0);
	assert_non_null(vgic_lr_load(&g, 0, 41));
	assert_true(vgic_lr_sync(&g, 0, 41, 0));
	assert_int_equal(vgic_set_level(&g, 0, 41, true), 0);	/* no edge: nothing */
	assert_int_equal(vgic_next_pending(&g, 0), -1);
	dwr(&g, 0xc08, 4, 0);				/* back to level with the line high */
	assert_int_equal(vgic_next_pending(&g, 0), 41);

	/* PPI 27 (virtual timer) of vCPU 1 */
	rwr(&g, 1, SGI_BASE + 0x100, 4, 1u << 27);
	assert_int_equal(vgic_set_level(&g, 1, 27, true), 0);
	assert_int_equal(vgic_next_pending(&g, 1), 27);
	assert_int_equal(rrd(&g, 1, SGI_BASE + 0x200, 4), 1u << 27);
	assert_int_equal(rrd(&g, 0, SGI_BASE + 0x200, 4), 0);
	assert_int_equal(vgic_set_level(&g, 1, 27, false), 0);
	assert_int_equal(vgic_next_pending(&g, 1), -1);

	/* ICFGR: SGIs read-only edge, PPIs programmable, bit 0 of each pair RES0 */
	assert_int_equal(rrd(&g, 0, SGI_BASE + 0xc00, 4), 0xaaaaaaaa);
	rwr(&g, 0, SGI_BASE + 0xc00, 4, 0);
	assert_int_equal(rrd(&g, 0, SGI_BASE + 0xc00, 4), 0xaaaaaaaa);
	assert_int_equal(rrd(&g, 0, SGI_BASE + 0xc04, 4), 0);
	rwr(&g, 0, SGI_BASE + 0xc04, 4, 0xffffffff);
	assert_int_equal(rrd(&g, 0, SGI_BASE + 0xc04, 4), 0xaaaaaaaa);
	rwr(&g, 0, SGI_BASE + 0xc04, 4, 0x55555555);
	assert_int_equal(rrd(&g, 0, SGI_BASE + 0xc04, 4), 0);
	dwr(&g, 0xc00, 4, ~0u);
	dwr(&g, 0xc04, 4, ~0u);
	assert_int_equal(drd(&g, 0xc00, 4), 0);
	assert_int_equal(drd(&g, 0xc04, 4), 0);
	dwr(&g, 0xc00 + VGIC_NR_IRQS / 4, 4, ~0u);
	assert_int_equal(drd(&g, 0xc00 + VGIC_NR_IRQS / 4, 4), 0);
}

static void test_active_blocks(void **state)
{
	struct vgic g;

	(void)state;
	linux_init(&g, 1, NULL);
	dwr(&g, 0x104, 4, 1u << 8);
	dwr(&g, 0x204, 4, 1u << 8);
	dwr(&g, 0x304, 4, 1u << 8);
	assert_int_equal(drd(&g, 0x304, 4), 1u << 8);
	assert_int_equal(vgic_next_pending(&g, 0), -1);
	g.dirty = 0;
	dwr(&g, 0x384, 4, 1u << 8);
	assert_int_equal(g.dirty, 1);
	assert_int_equal(vgic_next_pending(&g, 0), 40);
	rwr(&g, 0, SGI_BASE + 0x200, 4, 1u << 3);
	rwr(&g, 0, SGI_BASE + 0x300, 4, 1u << 3);
	assert_int_equal(rrd(&g, 0, SGI_BASE + 0x300, 4), 1u << 3);
	assert_int_equal(vgic_next_pending(&g, 0), 40);
	rwr(&g, 0, SGI_BASE + 0x380, 4, 1u << 3);
	assert_int_equal(vgic_next_pending(&g, 0), 3);
}

static void test_irouter(void **state)
{
	struct vgic g;
	uint32_t spi = 45;
	uint64_t r = 0x6000 + 8 * spi;

	(void)state;
	linux_init(&g, 8, mpidr8);
	dwr(&g, 0x104, 4, 1u << (spi - 32));
	dwr(&g, 0x204, 4, 1u << (spi - 32));
	assert_int_equal(vgic_next_pending(&g, 0), spi);
	g.dirty = 0;
	dwr(&g, r, 8, mpidr8[1]);			/* pending: both vCPUs dirty */
	assert_int_equal(g.dirty, 0x3);
	assert_int_equal(vgic_next_pending(&g, 0), -1);
	assert_int_equal(vgic_next_pending(&g, 1), spi);
	assert_int_equal(drd(&g, r, 8), 1);
	/* 32-bit halves: Aff1 1 Aff0 1 in the low word, then Aff3 1 Aff0 0x10 */
	dwr(&g, r, 4, 0x101);
	assert_int_equal(vgic_next_pending(&g, 5), spi);
	dwr(&g, r, 4, 0x10);
	dwr(&g, r + 4, 4, 0x1);
	assert_int_equal(drd(&g, r, 8), 0x100000010ull);
	assert_int_equal(drd(&g, r + 4, 4), 1);
	assert_int_equal(drd(&g, r, 4), 0x10);
	assert_int_equal(vgic_next_pending(&g, 7), spi);
	assert_int_equal(vgic_irq_get(&g, 0, spi)->target, 7);
	/* IRM = 1 and unknown affinities -> vCPU 0; reserved bits read 0 */
	dwr(&g, r, 8, ~0ull);
	assert_int_equal(drd(&g, r, 8), 0xff80ffffffull);
	assert_int_equal(vgic_irq_get(&g, 0, spi)->target, 0);
	dwr(&g, r, 8, 1);
	dwr(&g, r, 8, 0x030000);
	assert_int_equal(vgic_irq_get(&g, 0, spi)->target, 0);
	assert_int_equal(vgic_next_pending(&g, 0), spi);
	/* not pending: moving it makes no one dirty */
	dwr(&g, 0x284, 4, 1u << (spi - 32));
	g.dirty = 0;
	dwr(&g, r, 8, mpidr8[2]);
	assert_int_equal(g.dirty, 0);
	assert_int_equal(vgic_irq_get(&g, 0, spi)->target, 2);
	/* IROUTER of SGIs/PPIs and of missing SPIs: RAZ/WI */
	dwr(&g, 0x6000 + 8 * 3, 8, ~0ull);
	assert_int_equal(drd(&g, 0x6000 + 8 * 3, 8), 0);
	dwr(&g, 0x6000 + 8 * VGIC_NR_IRQS, 8, ~0ull);
	assert_int_equal(drd(&g, 0x6000 + 8 * VGIC_NR_IRQS, 8), 0);
	assert_int_equal(drd(&g, 0x7ff8, 8), 0);
}

static uint64_t sgi1r(uint32_t intid, uint32_t aff3, uint32_t aff2, uint32_t aff1, uint32_t rs,
		      uint32_t list, bool irm)
{
	return (uint64_t)aff3 << 48 | (uint64_t)rs << 44 | (uint64_t)irm << 40 |
	       (uint64_t)aff2 << 32 | (uint64_t)intid << 24 | (uint64_t)aff1 << 16 | list;
}

static void test_sgi(void **state)
{
	struct vgic g;
	uint32_t i;

	(void)state;
	linux_init(&g, 8, mpidr8);
	assert_int_equal(vgic_sgi(&g, 0, sgi1r(1, 0, 0, 0, 0, 0x6, false)), 0x6);
	assert_int_equal(g.dirty, 0x6);
	assert_int_equal(vgic_next_pending(&g, 1), 1);
	assert_int_equal(vgic_next_pending(&g, 2), 1);
	assert_int_equal(vgic_next_pending(&g, 0), -1);
	assert_int_equal(vgic_sgi(&g, 0, sgi1r(2, 0, 0, 1, 0, 0x3, false)), 0x30);
	assert_true(vgic_irq_get(&g, 5, 2)->pending);
	assert_int_equal(vgic_sgi(&g, 0, sgi1r(3, 0, 1, 0, 0, 0x1, false)), 0x40);
	assert_int_equal(vgic_sgi(&g, 0, sgi1r(4, 1, 0, 0, 1, 0x1, false)), 0x80);
	assert_int_equal(vgic_sgi(&g, 0, sgi1r(4, 1, 0, 0, 0, 0xffff, false)), 0);
	assert_int_equal(vgic_sgi(&g, 0, sgi1r(4, 0, 0, 7, 0, 0xffff, false)), 0);
	assert_int_equal(vgic_sgi(&g, 0, sgi1r(5, 0, 0, 0, 0, 0x1, false)), 0x1);	/* self */
	g.dirty = 0;
	assert_int_equal(vgic_sgi(&g, 3, sgi1r(15, 0, 0, 0, 0, 0, true)), 0xf7);
	assert_int_equal(g.dirty, 0xf7);
	for (i = 0; i < 8; i++)
		assert_int_equal(vgic_irq_get(&g, i, 15)->pending, i != 3);
	/* a disabled SGI latches but makes no one dirty */
	rwr(&g, 1, SGI_BASE + 0x180, 4, 1u << 9);
	g.dirty = 0;
	assert_int_equal(vgic_sgi(&g, 0, sgi1r(9, 0, 0, 0, 0, 0x2, false)), 0x2);
	assert_int_equal(g.dirty, 0);
	assert_true(vgic_irq_get(&g, 1, 9)->pending);
	rwr(&g, 1, SGI_BASE + 0x100, 4, 1u << 9);
	assert_int_equal(g.dirty, 0x2);
	/* bad sender, junk in reserved bits */
	assert_int_equal(vgic_sgi(&g, 8, sgi1r(1, 0, 0, 0, 0, 0xffff, false)), 0);
	assert_int_equal(vgic_sgi(&g, UINT32_MAX, sgi1r(1, 0, 0, 0, 0, 0, true)), 0);
	assert_int_equal(vgic_sgi(&g, 0, sgi1r(6, 0, 0, 0, 0, 0x1, false) | 0xff00000000000000ull |
				  (0x7ull << 41) | 0xf0000000ull), 0x1);	/* RES0 ignored */
	assert_true(vgic_irq_get(&g, 0, 6)->pending);
}

static void test_dirty(void **state)
{
	struct vgic g;

	(void)state;
	linux_init(&g, 2, mpidr8);
	dwr(&g, 0x6000 + 8 * 40, 8, mpidr8[1]);
	dwr(&g, 0x204, 4, 1u << 8);			/* pending, disabled */
	assert_int_equal(g.dirty, 0);
	dwr(&g, 0x104, 4, 1u << 8);
	assert_int_equal(g.dirty, 0x2);
	g.dirty = 0;
	dwr(&g, 0x184, 4, 1u << 8);			/* shrinking: nothing */
	dwr(&g, 0x104, 4, 1u << 8);
	assert_int_equal(g.dirty, 0x2);
	g.dirty = 0;
	dwr(&g, 0x400 + 40, 1, 0x10);
	assert_int_equal(g.dirty, 0x2);
	g.dirty = 0;
	dwr(&g, 0x400 + 40, 4, 0x10);
	assert_int_equal(g.dirty, 0x2);
	g.dirty = 0;
	dwr(&g, 0x0, 4, 0x10);
	assert_int_equal(g.dirty, 0);
	dwr(&g, 0x0, 4, 0x12);
	assert_int_equal(g.dirty, 0x3);
	g.dirty = 0;
	dwr(&g, 0x0, 4, 0x12);				/* already enabled */
	assert_int_equal(g.dirty, 0);
	rwr(&g, 1, SGI_BASE + 0x100, 4, 1u << 27);
	assert_int_equal(vgic_set_level(&g, 1, 27, true), 0);
	assert_int_equal(g.dirty, 0x2);
	g.dirty = 0;
	rwr(&g, 0, SGI_BASE + 0x200, 4, 1u << 2);
	assert_int_equal(g.dirty, 0x1);
}

static void test_bad_args(void **state)
{
	struct vgic g;
	uint64_t v = 0, big[100];
	uint32_t i;

	(void)state;
	vgic_init(&g, 2, mpidr8);
	assert_null(vgic_irq_get(&g, 2, 0));
	assert_null(vgic_irq_get(&g, UINT32_MAX, 40));
	assert_null(vgic_irq_get(&g, 0, VGIC_NR_IRQS));
	assert_null(vgic_irq_get(&g, 0, UINT32_MAX));
	assert_ptr_equal(vgic_irq_get(&g, 1, 5), &g.cpu[1].priv[5]);
	assert_ptr_equal(vgic_irq_get(&g, 1, VGIC_NR_IRQS - 1), &g.spi[VGIC_NR_SPIS - 1]);
	assert_int_equal(vgic_set_level(&g, 0, 3, true), -ERR_INVAL);	/* SGI: no line */
	assert_int_equal(vgic_set_level(&g, 2, 20, true), -ERR_INVAL);
	assert_int_equal(vgic_set_level(&g, UINT32_MAX, 20, true), -ERR_INVAL);
	assert_int_equal(vgic_set_level(&g, 0, VGIC_NR_IRQS, true), -ERR_INVAL);
	assert_int_equal(vgic_set_level(&g, 0, UINT32_MAX, true), -ERR_INVAL);
	assert_int_equal(vgic_next_pending(&g, 2), -1);
	assert_int_equal(vgic_next_pending(&g, UINT32_MAX), -1);
	assert_int_equal(vgic_dist_access(&g, 2, 0x0, 4, false, &v), -ERR_INVAL);
	assert_int_equal(vgic_dist_access(&g, UINT32_MAX, 0x0, 4, true, &v), -ERR_INVAL);
	assert_int_equal(vgic_dist_access(&g, 0, 0x0, 4, false, NULL), -ERR_INVAL);
	assert_int_equal(vgic_redist_access(&g, 2, 0x0, 4, false, &v), -ERR_INVAL);
	assert_int_equal(vgic_redist_access(&g, 0, 0x0, 4, false, NULL), -ERR_INVAL);
	/* offsets that would alias after truncation to 32 bits */
	assert_int_equal(vgic_dist_access(&g, 0, 0x100000000ull, 4, false, &v), -ERR_INVAL);
	assert_int_equal(vgic_dist_access(&g, 0, UINT64_MAX - 3, 4, false, &v), -ERR_INVAL);
	assert_int_equal(vgic_redist_access(&g, 0, 0x100000008ull, 8, false, &v), -ERR_INVAL);
	assert_int_equal(vgic_redist_access(&g, 0, UINT64_MAX - 7, 8, false, &v), -ERR_INVAL);
	assert_int_equal(vgic_redist_access(&g, 0, (1ull << 63) + 8, 8, false, &v), -ERR_INVAL);

	/* no vCPUs: everything refused */
	vgic_init(&g, 0, NULL);
	assert_int_equal(vgic_dist_access(&g, 0, 0x0, 4, false, &v), -ERR_INVAL);
	assert_int_equal(vgic_redist_access(&g, 0, 0x8, 8, false, &v), -ERR_INVAL);
	assert_null(vgic_irq_get(&g, 0, 40));
	assert_int_equal(vgic_set_level(&g, 0, 20, true), -ERR_INVAL);
	assert_int_equal(vgic_sgi(&g, 0, 1ull << 40), 0);
	assert_int_equal(vgic_next_pending(&g, 0), -1);

	/* too many vCPUs: clamped */
	for (i = 0; i < 100; i++)
		big[i] = i;
	vgic_init(&g, 100, big);
	assert_int_equal(g.nr_vcpus, CELLA_MAX_VCPUS);
	assert_int_equal(vgic_redist_access(&g, 0, CELLA_MAX_VCPUS * VGIC_GICR_STRIDE, 4, false, &v),
			 -ERR_INVAL);
	assert_int_equal(rrd(&g, CELLA_MAX_VCPUS - 1, 0x8, 8) & 0x10, 0x10);
}

static const unsigned sizes[] = { 1, 2, 3, 4, 5, 8, 16 };

static bool dist_ok(uint64_t off, unsigned size)
{
	if (off >= 0x10000 || (size != 1 && size != 4 && size != 8) || off % size)
		return false;
	if (size == 1)
		return (off >= 0x400 && off < 0xc00) || (off >= 0xf10 && off < 0xf30);
	if (size == 8)
		return off >= 0x6000 && off < 0x8000;
	return true;
}

static bool redist_ok(uint32_t n, uint64_t off, unsigned size)
{
	uint64_t o = off % VGIC_GICR_STRIDE;

	if (off / VGIC_GICR_STRIDE >= n || (size != 1 && size != 4 && size != 8) || off % size)
		return false;
	if (size == 1)
		return o >= 0x10400 && o < 0x10420;
	if (size == 8)
		return o == 0x8 || o == 0x40 || o == 0x48 || o == 0x70 || o == 0x78 || o == 0xa0 ||
		       o == 0xb0;
	return true;
}

/* The reference for vgic_next_pending: vgic_model.h's definition applied to every INTID by
 * brute force, from the interrupts' state alone (no ready bitmap). *@count: how many are
 * deliverable, for vgic_next_pending_more's *more. */
static int ref_next_pending(const struct vgic *g, uint32_t vcpu, unsigned *count)
{
	unsigned best_prio = 0x100, n = 0;
	int best = -1;
	uint32_t i;

	*count = 0;
	if (vcpu >= g->nr_vcpus || !(g->ctlr & CTLR_EN))
		return -1;
	for (i = 0; i < VGIC_NR_IRQS; i++) {
		const struct vgic_irq *irq = i < 32 ? &g->cpu[vcpu].priv[i] : &g->spi[i - 32];
		bool pending = irq->pending || (irq->level && !irq->edge);

		if (!pending || !irq->enabled || !irq->group1 || irq->active || irq->in_lr ||
		    (i >= 32 && irq->target != vcpu))
			continue;
		n++;
		if (irq->priority < best_prio) {	/* ascending INTIDs: ties to the lowest */
			best = (int)i;
			best_prio = irq->priority;
		}
	}
	*count = n;
	return best;
}

/* The fast search (ready bitmaps) answers exactly what the brute force does, for every vCPU
 * and one past them, and the bitmaps are what the state says. */
static void check_fast_search(const struct vgic *g)
{
	uint32_t c, bad_cpu = 0;
	unsigned n;
	bool more;

	assert_int_equal(vgic_check(g, &bad_cpu), -1);
	for (c = 0; c <= CELLA_MAX_VCPUS; c++) {
		int want = ref_next_pending(g, c, &n);

		more = !n;	/* the opposite of what is expected */
		assert_int_equal(vgic_next_pending_more(g, c, &more), want);
		assert_int_equal(more, n > 1);
		assert_int_equal(vgic_next_pending(g, c), want);
	}
}

/* Two models alike in every field (member by member: no padding compared). */
static void assert_model_equal(const struct vgic *a, const struct vgic *b)
{
	uint32_t c;

	assert_int_equal(a->nr_vcpus, b->nr_vcpus);
	assert_int_equal(a->ctlr, b->ctlr);
	assert_int_equal(a->dirty, b->dirty);
	assert_memory_equal(a->spi, b->spi, sizeof(a->spi));
	assert_memory_equal(a->irouter, b->irouter, sizeof(a->irouter));
	for (c = 0; c < CELLA_MAX_VCPUS; c++) {
		assert_memory_equal(a->cpu[c].priv, b->cpu[c].priv, sizeof(a->cpu[c].priv));
		assert_memory_equal(a->cpu[c].ready, b->cpu[c].ready, sizeof(a->cpu[c].ready));
		assert_int_equal(a->cpu[c].mpidr, b->cpu[c].mpidr);
		assert_int_equal(a->cpu[c].waker, b->cpu[c].waker);
		assert_int_equal(a->cpu[c].ctlr, b->cpu[c].ctlr);
	}
}

/* Nothing a guest writes breaks the model's own invariants. */
static void check_invariants(const struct vgic *g)
{
	uint32_t i, c;

	check_fast_search(g);
	assert_int_equal(g->dirty & ~((1u << g->nr_vcpus) - 1), 0);
	assert_int_equal(g->ctlr & ~0x52u, 0);
	for (i = 0; i < VGIC_NR_SPIS; i++) {
		assert_true(g->spi[i].target < g->nr_vcpus);
		assert_int_equal(g->spi[i].priority & 0x7, 0);
		assert_int_equal(g->irouter[i] & ~0xff80ffffffull, 0);
	}
	for (c = 0; c < g->nr_vcpus; c++) {
		int p = vgic_next_pending(g, c);

		assert_true(p >= -1 && p < VGIC_NR_IRQS);
		for (i = 0; i < 16; i++)
			assert_true(g->cpu[c].priv[i].edge);
		for (i = 0; i < VGIC_NR_PRIV; i++)
			assert_int_equal(g->cpu[c].priv[i].priority & 0x7, 0);
	}
}

static void sweep_dist(struct vgic *g, uint64_t from, uint64_t to)
{
	uint64_t off, v;
	unsigned s;
	int w;

	for (off = from; off < to; off++) {
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			for (w = 0; w < 2; w++) {
				bool ok = dist_ok(off, sizes[s]);

				v = w ? rnd() : 0x5a5a5a5a5a5a5a5aull;
				assert_int_equal(vgic_dist_access(g, 0, off, sizes[s], w, &v),
						 ok ? 0 : -ERR_INVAL);
				if (!w && ok && sizes[s] < 8)
					assert_true(v < 1ull << (8 * sizes[s]));
				if (!w && !ok)
					assert_int_equal(v, 0x5a5a5a5a5a5a5a5aull);
			}
		}
	}
}

static void sweep_redist(struct vgic *g, uint64_t from, uint64_t to, uint64_t step)
{
	uint64_t off, v;
	unsigned s;
	int w;

	for (off = from; off < to; off += step) {
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			for (w = 0; w < 2; w++) {
				bool ok = redist_ok(g->nr_vcpus, off, sizes[s]);

				v = w ? rnd() : 0x5a5a5a5a5a5a5a5aull;
				assert_int_equal(vgic_redist_access(g, (uint32_t)(off & 1), off,
								    sizes[s], w, &v),
						 ok ? 0 : -ERR_INVAL);
				if (!w && ok && sizes[s] < 8)
					assert_true(v < 1ull << (8 * sizes[s]));
				if (!w && !ok)
					assert_int_equal(v, 0x5a5a5a5a5a5a5a5aull);
			}
		}
	}
}

static void test_hostile_dist_sweep(void **state)
{
	struct vgic g;

	(void)state;
	linux_init(&g, 2, mpidr8);
	sweep_dist(&g, 0, VGIC_GICD_SIZE + 0x100);
	sweep_dist(&g, UINT64_MAX - 0x20, UINT64_MAX);
	sweep_dist(&g, 0x100000000ull - 0x10, 0x100000000ull + 0x100);
	check_invariants(&g);
}

static void test_hostile_redist_sweep(void **state)
{
	struct vgic g;

	(void)state;
	linux_init(&g, 2, mpidr8);
	sweep_redist(&g, 0, 2 * VGIC_GICR_STRIDE + 0x1000, 1);
	sweep_redist(&g, UINT64_MAX - 0x20, UINT64_MAX, 1);
	sweep_redist(&g, 0x100000000ull, 0x100000000ull + 0x100, 1);
	check_invariants(&g);
	linux_init(&g, 8, mpidr8);
	sweep_redist(&g, 0, 9 * VGIC_GICR_STRIDE, 4);
	check_invariants(&g);
}

/* Random accesses to every entry point, interleaved, with the invariants checked as we go. */
static void test_hostile_random(void **state)
{
	struct vgic g;
	uint64_t v, off;
	uint32_t i;

	(void)state;
	linux_init(&g, 3, mpidr8);
	for (i = 0; i < 200000; i++) {
		uint64_t r = rnd();
		unsigned size = sizes[r % 7];
		int rc;

		v = rnd();
		switch ((r >> 3) % 6) {
		case 0:
			off = (r >> 8) % (VGIC_GICD_SIZE + 0x40);
			rc = vgic_dist_access(&g, (uint32_t)(r >> 40) % 4, off, size, r >> 62 & 1,
					      &v);
			assert_int_equal(rc, dist_ok(off, size) && (r >> 40) % 4 < 3 ? 0 :
					 -ERR_INVAL);
			break;
		case 1:
			off = (r >> 8) % (4 * VGIC_GICR_STRIDE);
			rc = vgic_redist_access(&g, 0, off, size, r >> 62 & 1, &v);
			assert_int_equal(rc, redist_ok(3, off, size) ? 0 : -ERR_INVAL);
			break;
		case 2:
			vgic_sgi(&g, (uint32_t)(r >> 8) % 5, v);
			break;
		case 3:
			rc = vgic_set_level(&g, (uint32_t)(r >> 8) % 5, (uint32_t)(r >> 16) % 140,
					    r >> 62 & 1);
			assert_true(rc == 0 || rc == -ERR_INVAL);
			break;
		case 4: {
			uint32_t cpu = (uint32_t)(r >> 8) % 5;
			int p = vgic_next_pending(&g, cpu);

			if (p >= 0)	/* play the LR code: take it, finish it later */
				assert_non_null(vgic_lr_load(&g, cpu, (uint32_t)p));
			break;
		}
		default:
			/* whatever an LR holds or not: the model takes any call */
			if (r >> 61 & 1)
				vgic_lr_park(&g, (uint32_t)(r >> 8) % 4, (uint32_t)(r >> 16) % 140,
					     r >> 60 & 1);
			else
				vgic_lr_sync(&g, (uint32_t)(r >> 8) % 4, (uint32_t)(r >> 16) % 140,
					     (unsigned)(r >> 58) % 4);
			g.dirty = 0;
			break;
		}
		if (!(i % 64))
			check_fast_search(&g);
		if (!(i % 1024))
			check_invariants(&g);
	}
	check_invariants(&g);
}

/* The list-register entry points, one by one. */
static void test_lr_calls(void **state)
{
	struct vgic g, want;
	const struct vgic_irq *irq;

	(void)state;
	linux_init(&g, 2, mpidr8);
	/* SPI 40, level, line high, to vCPU 1 */
	dwr(&g, 0x6000 + 8 * 40, 8, mpidr8[1]);
	dwr(&g, 0x104, 4, 1u << 8);
	assert_int_equal(vgic_set_level(&g, 0, 40, true), 0);
	check_fast_search(&g);
	assert_int_equal(vgic_next_pending(&g, 1), 40);
	irq = vgic_lr_load(&g, 1, 40);
	assert_non_null(irq);
	assert_true(irq->in_lr);
	assert_int_equal(vgic_next_pending(&g, 1), -1);
	check_fast_search(&g);
	/* taken (active), then done while the line is still high: pending again, dirty */
	assert_false(vgic_lr_sync(&g, 1, 40, 2));
	assert_true(vgic_irq_get(&g, 1, 40)->active);
	assert_int_equal(drd(&g, 0x304, 4), 1u << 8);
	check_fast_search(&g);
	g.dirty = 0;
	assert_true(vgic_lr_sync(&g, 1, 40, 0));
	assert_int_equal(g.dirty, 0x2);
	assert_false(vgic_irq_get(&g, 1, 40)->active);
	assert_int_equal(vgic_next_pending(&g, 1), 40);
	check_fast_search(&g);
	/* line low: freeing it makes no one dirty */
	assert_non_null(vgic_lr_load(&g, 1, 40));
	assert_int_equal(vgic_set_level(&g, 0, 40, false), 0);
	g.dirty = 0;
	assert_true(vgic_lr_sync(&g, 1, 40, 0));
	assert_int_equal(g.dirty, 0);
	assert_int_equal(vgic_next_pending(&g, 1), -1);
	/* moved while in a list register: freed, it is pending for its new target */
	assert_int_equal(vgic_set_level(&g, 0, 40, true), 0);
	assert_non_null(vgic_lr_load(&g, 1, 40));
	dwr(&g, 0x6000 + 8 * 40, 8, mpidr8[0]);
	assert_int_equal(vgic_next_pending(&g, 0), -1);	/* still in vCPU 1's LR */
	check_fast_search(&g);
	g.dirty = 0;
	assert_true(vgic_lr_sync(&g, 1, 40, 0));
	assert_int_equal(g.dirty, 0x1);
	assert_int_equal(vgic_next_pending(&g, 0), 40);
	assert_int_equal(vgic_next_pending(&g, 1), -1);
	check_fast_search(&g);
	/* park: an untaken edge interrupt is latched again, a taken one dies */
	rwr(&g, 0, SGI_BASE + 0x200, 4, 1u << 3);
	assert_non_null(vgic_lr_load(&g, 0, 3));
	assert_false(vgic_irq_get(&g, 0, 3)->pending);
	vgic_lr_park(&g, 0, 3, true);
	assert_true(vgic_irq_get(&g, 0, 3)->pending);
	assert_false(vgic_irq_get(&g, 0, 3)->in_lr);
	check_fast_search(&g);
	assert_non_null(vgic_lr_load(&g, 0, 3));
	assert_false(vgic_lr_sync(&g, 0, 3, 2));
	vgic_lr_park(&g, 0, 3, false);
	assert_false(vgic_irq_get(&g, 0, 3)->pending);
	assert_false(vgic_irq_get(&g, 0, 3)->active);
	check_fast_search(&g);
	/* bad arguments change nothing */
	want = g;
	assert_null(vgic_lr_load(&g, 2, 3));
	assert_null(vgic_lr_load(&g, 0, VGIC_NR_IRQS));
	assert_false(vgic_lr_sync(&g, 2, 3, 0));
	assert_false(vgic_lr_sync(&g, 0, VGIC_NR_IRQS, 0));
	vgic_lr_park(&g, UINT32_MAX, 3, true);
	vgic_lr_park(&g, 0, UINT32_MAX, true);
	assert_int_equal(vgic_hw_latch(&g, 2, 27), -ERR_INVAL);
	assert_int_equal(vgic_hw_latch(&g, 0, VGIC_NR_IRQS), -ERR_INVAL);
	assert_null(vgic_hw_take(&g, 2, 27));
	assert_null(vgic_hw_take(&g, 0, VGIC_NR_IRQS));
	assert_model_equal(&g, &want);
}

/* vgic_hw_take against its definition: vgic_hw_latch, then vgic_lr_load if it is now the one
 * deliverable interrupt (and then the dirty mask untouched); otherwise just vgic_hw_latch. */
static void hw_take_checked(struct vgic *g, uint32_t vcpu, uint32_t intid)
{
	struct vgic latched = *g, before = *g;
	const struct vgic_irq *irq;
	unsigned n;
	int next;

	if (vgic_hw_latch(&latched, vcpu, intid) == 0)
		check_fast_search(&latched);
	next = ref_next_pending(&latched, vcpu, &n);
	irq = vgic_hw_take(g, vcpu, intid);
	if (irq) {
		assert_true(intid < 32 && next == (int)intid && n == 1);
		assert_ptr_equal(irq, vgic_irq_get(g, vcpu, intid));
		/* what vgic_inject_hw's list register says without looking (lr_fill_hw) */
		assert_true(irq->hw && irq->group1 && irq->in_lr && !irq->pending);
		assert_non_null(vgic_lr_load(&latched, vcpu, intid));
		latched.dirty = before.dirty;
	} else {
		/* the fast path only ever declines what it may (SPIs: always) */
		assert_true(intid >= 32 || vcpu >= g->nr_vcpus || next != (int)intid || n != 1);
	}
	assert_model_equal(g, &latched);
	check_fast_search(g);
}

static void test_hw_take(void **state)
{
	struct vgic g;

	(void)state;
	linux_init(&g, 2, mpidr8);
	/* the virtual timer of vCPU 1, alone: taken at once, nobody dirty */
	rwr(&g, 1, SGI_BASE + 0x100, 4, 1u << 27);
	g.dirty = 0;
	hw_take_checked(&g, 1, 27);
	assert_true(vgic_irq_get(&g, 1, 27)->in_lr);
	assert_int_equal(g.dirty, 0);
	/* in a list register already: latched, not taken twice */
	hw_take_checked(&g, 1, 27);
	assert_true(vgic_irq_get(&g, 1, 27)->pending);
	assert_int_equal(g.dirty, 0x2);
	assert_true(vgic_lr_sync(&g, 1, 27, 0));
	assert_int_equal(vgic_next_pending(&g, 1), 27);
	/* already pending and ready: taken */
	hw_take_checked(&g, 1, 27);
	assert_int_equal(vgic_next_pending(&g, 1), -1);
	assert_true(vgic_lr_sync(&g, 1, 27, 0));
	/* not alone: a higher-priority SGI, then a lower-priority SPI, is deliverable too */
	rwr(&g, 1, SGI_BASE + 0x400 + 4, 1, 0x10);
	rwr(&g, 1, SGI_BASE + 0x200, 4, 1u << 4);
	hw_take_checked(&g, 1, 27);
	assert_int_equal(vgic_next_pending(&g, 1), 4);
	assert_non_null(vgic_lr_load(&g, 1, 4));
	assert_non_null(vgic_lr_load(&g, 1, 27));
	assert_true(vgic_lr_sync(&g, 1, 27, 0));
	dwr(&g, 0x6000 + 8 * 70, 8, mpidr8[1]);
	dwr(&g, 0x100 + 4 * (70 / 32), 4, 1u << (70 % 32));
	dwr(&g, 0x200 + 4 * (70 / 32), 4, 1u << (70 % 32));
	hw_take_checked(&g, 1, 27);
	assert_int_equal(vgic_next_pending(&g, 1), 27);
	dwr(&g, 0x280 + 4 * (70 / 32), 4, 1u << (70 % 32));
	/* an SPI deliverable to the other vCPU does not stop it */
	dwr(&g, 0x6000 + 8 * 70, 8, mpidr8[0]);
	dwr(&g, 0x200 + 4 * (70 / 32), 4, 1u << (70 % 32));
	hw_take_checked(&g, 1, 27);
	assert_true(vgic_irq_get(&g, 1, 27)->in_lr);
	assert_true(vgic_lr_sync(&g, 1, 27, 0));
	/* disabled, active, group 0, distributor off: latched only */
	rwr(&g, 1, SGI_BASE + 0x180, 4, 1u << 27);
	hw_take_checked(&g, 1, 27);
	rwr(&g, 1, SGI_BASE + 0x100, 4, 1u << 27);
	rwr(&g, 1, SGI_BASE + 0x280, 4, 1u << 27);
	rwr(&g, 1, SGI_BASE + 0x300, 4, 1u << 27);
	hw_take_checked(&g, 1, 27);
	rwr(&g, 1, SGI_BASE + 0x380, 4, 1u << 27);
	rwr(&g, 1, SGI_BASE + 0x280, 4, 1u << 27);
	rwr(&g, 1, SGI_BASE + 0x80, 4, ~(1u << 27));
	hw_take_checked(&g, 1, 27);
	rwr(&g, 1, SGI_BASE + 0x80, 4, ~0u);
	rwr(&g, 1, SGI_BASE + 0x280, 4, 1u << 27);
	dwr(&g, 0x0, 4, 0x10);
	hw_take_checked(&g, 1, 27);
	dwr(&g, 0x0, 4, 0x12);
	/* an SPI, and bad arguments: the slow path */
	hw_take_checked(&g, 0, 40);
	hw_take_checked(&g, 2, 27);
	hw_take_checked(&g, 0, VGIC_NR_IRQS);
}

/* One random step of what guests and the list-register code do to a model: @lrs emulates four
 * list registers per vCPU (0: free, else INTID + 1). */
static void random_step(struct vgic *g, uint32_t lrs[CELLA_MAX_VCPUS][4])
{
	static const uint32_t banks[] = { 0x80, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380 };
	uint64_t r = rnd(), v = rnd();
	uint32_t nr = g->nr_vcpus, cpu = nr ? (uint32_t)(r >> 8) % nr : 0, n;
	uint64_t bits = (r >> 40) & 1 ? v : v & rnd() & rnd();	/* dense or sparse */
	bool more = true;
	int p;

	switch ((r >> 2) % 12) {
	case 0:		/* a 1-bit-per-INTID bank of the distributor */
		dwr(g, banks[(r >> 16) % 7] + 4 * (1 + (r >> 24) % 3), 4, bits & 0xffffffff);
		break;
	case 1:		/* of a redistributor */
		rwr(g, cpu, SGI_BASE + banks[(r >> 16) % 7], 4, bits & 0xffffffff);
		break;
	case 2:		/* priorities, configuration */
		if ((r >> 16) & 1)
			dwr(g, 0x400 + 32 + (r >> 20) % 96, 1, v & 0xff);
		else
			rwr(g, cpu, SGI_BASE + 0x400 + (r >> 20) % 32, 1, v & 0xff);
		if ((r >> 17) & 1)
			dwr(g, 0xc08 + 4 * ((r >> 28) % 6), 4, bits & 0xffffffff);
		else
			rwr(g, cpu, SGI_BASE + 0xc04, 4, bits & 0xffffffff);
		break;
	case 3:		/* routing, sometimes to nobody */
		dwr(g, 0x6000 + 8 * (32 + (r >> 16) % 96), 8,
		    (r >> 30) % 8 ? mpidr8[(r >> 24) % 8] : v);
		break;
	case 4:		/* the distributor's group enable, rarely off */
		dwr(g, 0x0, 4, (r >> 16) % 16 ? 0x12 : 0x10);
		break;
	case 5:
		vgic_set_level(g, cpu, 16 + (uint32_t)(r >> 16) % 112, (r >> 30) & 1);
		break;
	case 6:
		vgic_sgi(g, cpu, v);
		break;
	case 7:		/* vgic_flush: load while list registers are free and more is true */
		while (more && (p = vgic_next_pending_more(g, cpu, &more)) >= 0) {
			for (n = 0; n < 4 && lrs[cpu][n]; n++)
				;
			if (n == 4) {
				more = true;	/* overflow: p is left */
				break;
			}
			assert_non_null(vgic_lr_load(g, cpu, (uint32_t)p));
			lrs[cpu][n] = (uint32_t)p + 1;
		}
		if (!more)	/* exact: nothing was left */
			assert_int_equal(vgic_next_pending(g, cpu), -1);
		break;
	case 8:		/* vgic_sync of one list register the guest moved */
	case 9:
		n = (uint32_t)(r >> 16) % 4;
		if (lrs[cpu][n] && vgic_lr_sync(g, cpu, lrs[cpu][n] - 1, (unsigned)(r >> 20) % 4))
			lrs[cpu][n] = 0;
		break;
	case 10:	/* the virtual timer (or another PPI) fires: vgic_inject_hw */
		for (n = 0; n < 4 && lrs[cpu][n]; n++)
			;
		p = (r >> 16) % 4 ? 27 : (int)((r >> 20) % 32);
		if (n < 4 && nr) {
			hw_take_checked(g, cpu, (uint32_t)p);
			if (vgic_irq_get(g, cpu, (uint32_t)p)->in_lr) {
				bool held = false;
				uint32_t k;

				for (k = 0; k < 4; k++)
					held |= lrs[cpu][k] == (uint32_t)p + 1;
				if (!held)
					lrs[cpu][n] = (uint32_t)p + 1;
			}
		} else {
			vgic_hw_latch(g, cpu, (uint32_t)p);
		}
		break;
	default:	/* the vCPU goes off: vgic_vcpu_park */
		if ((r >> 16) % 8)
			break;
		for (n = 0; n < 4; n++) {
			if (lrs[cpu][n])
				vgic_lr_park(g, cpu, lrs[cpu][n] - 1, (r >> (20 + n)) & 1);
			lrs[cpu][n] = 0;
		}
		g->dirty |= (1u << nr) - 1;
		break;
	}
}

/* Many random state sequences: after every step, the fast search is the brute force's. */
static void test_fast_search_random(void **state)
{
	static const uint32_t sizes_[] = { 1, 2, 3, 8 };
	uint32_t lrs[CELLA_MAX_VCPUS][4];
	struct vgic g;
	uint32_t seq, i;

	(void)state;
	for (seq = 0; seq < 400; seq++) {
		linux_init(&g, sizes_[seq % 4], mpidr8);
		memset(lrs, 0, sizeof(lrs));
		check_fast_search(&g);
		for (i = 0; i < 1000; i++) {
			random_step(&g, lrs);
			check_fast_search(&g);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gicd_id_and_ctlr),
		cmocka_unit_test(test_linux_dist_init),
		cmocka_unit_test(test_redist_walk_2),
		cmocka_unit_test(test_redist_walk_8),
		cmocka_unit_test(test_waker),
		cmocka_unit_test(test_priority_order),
		cmocka_unit_test(test_w1_registers),
		cmocka_unit_test(test_group_ctlr_gating),
		cmocka_unit_test(test_level_edge),
		cmocka_unit_test(test_active_blocks),
		cmocka_unit_test(test_irouter),
		cmocka_unit_test(test_sgi),
		cmocka_unit_test(test_dirty),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_hostile_dist_sweep),
		cmocka_unit_test(test_hostile_redist_sweep),
		cmocka_unit_test(test_hostile_random),
		cmocka_unit_test(test_lr_calls),
		cmocka_unit_test(test_hw_take),
		cmocka_unit_test(test_fast_search_random),
	};

	return cmocka_run_group_tests_name("vgic_model", tests, NULL, NULL);
}
