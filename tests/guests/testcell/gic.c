/* gic.c - the test cell's GICv3 driver: distributor, redistributor walk, CPU interface, SGIs. */
#include <stdbool.h>
#include <stdint.h>

#include "lib/printf.h"
#include "testcell.h"

/* Poll @addr until the bits in @mask clear; false after ~100 ms. */
static bool gic_wait_clear(uint64_t addr, uint32_t mask)
{
	uint64_t end = tc_now() + tc_ms(100);

	while (mmio_read32(addr) & mask)
		if (tc_now() > end)
			return false;
	return true;
}

/* The RD_base of @mpidr's redistributor, by a GICR_TYPER walk; 0 if none matches. */
static uint64_t gicr_find(uint64_t mpidr)
{
	uint32_t aff = (uint32_t)((mpidr >> 32) & 0xff) << 24 | (uint32_t)(mpidr & 0xffffff);

	for (unsigned r = 0; r < tc_plat.nr_gicr; r++) {
		uint64_t off = 0;

		/* bounded by the region and a count: a bogus TYPER must not send us astray */
		for (unsigned n = 0; n < 1024 && off + 0x20000 <= tc_plat.gicr_size[r]; n++) {
			uint64_t typer = mmio_read64(tc_plat.gicr[r] + off + GICR_TYPER);

			if ((uint32_t)(typer >> 32) == aff)
				return tc_plat.gicr[r] + off;
			if (typer & GICR_TYPER_LAST)
				break;
			off += tc_plat.gicr_stride ? tc_plat.gicr_stride
						: (typer & GICR_TYPER_VLPIS ? 0x40000 : 0x20000);
		}
	}
	return 0;
}

static void gicr_set_prio(uint64_t sgi, uint32_t intid, uint8_t prio)
{
	uint64_t reg = sgi + GICR_IPRIORITYR + (intid & ~3u);
	unsigned shift = (intid & 3) * 8;
	uint32_t v = mmio_read32(reg);

	v = (v & ~(0xffu << shift)) | (uint32_t)prio << shift;
	mmio_write32(reg, v);
}

bool gic_cpu_init(unsigned slot, bool report)
{
	uint64_t mpidr = tc_mpidr();
	uint64_t rd = gicr_find(mpidr), sgi;
	uint32_t waker;
	char name[32];

	cella_snprintf(name, sizeof(name), "gicr_found 0x%lx", (unsigned long)mpidr);
	if (!rd) {
		tc_check(false, name, "no GICR_TYPER matches MPIDR 0x%lx", (unsigned long)mpidr);
		return false;
	}
	if (report)
		tc_check(true, name, "RD_base 0x%lx", (unsigned long)rd);
	tc_cpus[slot].rd = rd;

	waker = mmio_read32(rd + GICR_WAKER);
	mmio_write32(rd + GICR_WAKER, waker & ~GICR_WAKER_SLEEP);
	cella_snprintf(name, sizeof(name), "gicr_wake 0x%lx", (unsigned long)mpidr);
	if (!gic_wait_clear(rd + GICR_WAKER, GICR_WAKER_ASLEEP)) {
		tc_check(false, name, "GICR_WAKER.ChildrenAsleep stays set (0x%x)",
			 mmio_read32(rd + GICR_WAKER));
		return false;
	}
	if (report)
		tc_check(true, name, "GICR_WAKER 0x%x", mmio_read32(rd + GICR_WAKER));

	sgi = rd + GICR_SGI_FRAME;
	mmio_write32(sgi + GICR_IGROUPR0, 0xffffffffu);
	gicr_set_prio(sgi, SGI_SELF, GIC_PRIO);
	gicr_set_prio(sgi, SGI_CROSS, GIC_PRIO);
	gicr_set_prio(sgi, tc_plat.vtimer_intid, GIC_PRIO);
	mmio_write32(sgi + GICR_ISENABLER0,
		     1u << SGI_SELF | 1u << SGI_CROSS | 1u << tc_plat.vtimer_intid);
	gic_wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);

	write_icc_sre_el1(read_icc_sre_el1() | 7);	/* SRE | DFB | DIB */
	isb();
	cella_snprintf(name, sizeof(name), "gic_cpuif 0x%lx", (unsigned long)mpidr);
	if (!(read_icc_sre_el1() & 1)) {
		tc_check(false, name, "ICC_SRE_EL1.SRE stays 0");
		return false;
	}
	write_icc_pmr_el1(0xff);
	write_icc_bpr1_el1(0);
	write_icc_igrpen1_el1(1);
	isb();
	if (report)
		tc_check(true, name, "ICC_SRE_EL1 0x%lx", (unsigned long)read_icc_sre_el1());
	return true;
}

bool gic_boot_init(void)
{
	uint32_t pidr2 = mmio_read32(tc_plat.gicd + GICD_PIDR2);
	uint32_t rev = (pidr2 >> 4) & 0xf;
	uint32_t ctlr;
	bool ok;

	ok = tc_check(rev == 3 || rev == 4, "gic_pidr2", "GICD_PIDR2 0x%x ArchRev %u", pidr2, rev);
	mmio_write32(tc_plat.gicd + GICD_CTLR, GICD_CTLR_GRP1NS_ARE);
	gic_wait_clear(tc_plat.gicd + GICD_CTLR, GICD_CTLR_RWP);
	ctlr = mmio_read32(tc_plat.gicd + GICD_CTLR);
	ok &= tc_check((ctlr & GICD_CTLR_GRP1NS_ARE) == GICD_CTLR_GRP1NS_ARE, "gicd_enable",
		       "GICD_CTLR 0x%x after writing 0x12", ctlr);
	return gic_cpu_init(0, true) && ok;
}

uint64_t gic_sgi1r_value(uint64_t mpidr, uint32_t intid)
{
	uint64_t aff0 = mpidr & 0xff;

	return ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
	       (uint64_t)(intid & 0xf) << 24 | ((mpidr >> 8) & 0xff) << 16 | (aff0 >> 4) << 44 |
	       1ull << (aff0 & 0xf);
}

void gic_send_sgi(uint64_t mpidr, uint32_t intid)
{
	dsb_sy();
	write_icc_sgi1r_el1(gic_sgi1r_value(mpidr, intid));
	isb();
}

