/* gic.c - the component runtime's GICv3 driver (IHI 0069H): distributor, this CPU's
 * redistributor, the CPU interface and the IRQ dispatch table. */
#include <stddef.h>

#include <rt/gic.h>
#include <rt/sysreg.h>
#include <rt/timer.h>

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE_NS (1u << 4)
#define GICD_CTLR_GRP1NS (1u << 1)

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER_VLPIS (1ull << 1)
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI 0x10000		/* SGI_base: the second 64 KiB frame */
#define GICR_MAX_REGIONS 4

static uint64_t gicd, rd;
static struct {
	gic_irq_fn fn;
	void *arg;
} handlers[GIC_MAX_INTID];
static volatile uint32_t unhandled;

/* poll until the bits @mask of the register at @addr clear; false after about 100 ms */
static bool wait_clear(uintptr_t addr, uint32_t mask)
{
	uint64_t end = timer_now() + timer_ms(100);

	while (mmio_read32(addr) & mask)
		if (timer_now() > end)
			return false;
	return true;
}

/* set byte @intid of a byte-per-interrupt register array at @base with 32-bit accesses */
static void set_byte(uintptr_t base, uint32_t intid, uint8_t v)
{
	uintptr_t reg = base + (intid & ~3u);
	unsigned shift = (intid & 3) * 8;

	mmio_write32(reg, (mmio_read32(reg) & ~(0xffu << shift)) | (uint32_t)v << shift);
}

int gic_init(uint64_t gicd_ipa, const uint64_t *gicr, const uint64_t *gicr_size, unsigned nr_gicr)
{
	uint64_t me = rt_mpidr();
	uint32_t aff = (uint32_t)((me >> 32) & 0xff) << 24 | (uint32_t)(me & 0xffffff);

	gicd = gicd_ipa;
	rd = 0;
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_GRP1NS);
	wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);

	/* the redistributor whose GICR_TYPER.Affinity is ours; bounded by each region's size */
	for (unsigned r = 0; r < nr_gicr && r < GICR_MAX_REGIONS && !rd; r++) {
		for (uint64_t off = 0; off + 0x20000 <= gicr_size[r];) {
			uint64_t typer = mmio_read64(gicr[r] + off + GICR_TYPER);

			if ((uint32_t)(typer >> 32) == aff) {
				rd = gicr[r] + off;
				break;
			}
			if (typer & GICR_TYPER_LAST)
				break;
			off += typer & GICR_TYPER_VLPIS ? 0x40000 : 0x20000;
		}
	}
	if (!rd)
		return -1;
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	if (!wait_clear(rd + GICR_WAKER, GICR_WAKER_ASLEEP))
		return -1;

	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
	isb();
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_CTLR_EL1, 0);	/* EOImode 0: the EOI also deactivates */
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	return 0;
}

int gic_enable_ppi(uint32_t intid, uint8_t prio)
{
	uintptr_t sgi = rd + GICR_SGI;

	if (intid >= 32 || !rd)
		return -1;
	mmio_write32(sgi + GICD_IGROUPR, mmio_read32(sgi + GICD_IGROUPR) | 1u << intid);
	set_byte(sgi + GICD_IPRIORITYR, intid, prio);
	mmio_write32(sgi + GICD_ISENABLER, 1u << intid);
	wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);
	return 0;
}

int gic_enable_spi(uint32_t intid, uint8_t prio, bool edge)
{
	uint32_t lines = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);
	uintptr_t cfg = gicd + GICD_ICFGR + 4 * (intid / 16);
	unsigned shift = 2 * (intid % 16) + 1;
	uint64_t me = rt_mpidr();

	if (intid < 32 || intid >= GIC_MAX_INTID || intid >= lines)
		return -1;
	mmio_write32(gicd + GICD_IGROUPR + 4 * (intid / 32),
		     mmio_read32(gicd + GICD_IGROUPR + 4 * (intid / 32)) | 1u << (intid % 32));
	set_byte(gicd + GICD_IPRIORITYR, intid, prio);
	mmio_write32(cfg, (mmio_read32(cfg) & ~(1u << shift)) | (uint32_t)edge << shift);
	/* IROUTER: Aff3 in bits 39:32, Aff2..0 in 23:0, Interrupt_Routing_Mode 0 (this PE) */
	mmio_write32(gicd + GICD_IROUTER + 8 * intid, (uint32_t)(me & 0xffffff));
	mmio_write32(gicd + GICD_IROUTER + 8 * intid + 4, (uint32_t)(me >> 32) & 0xff);
	mmio_write32(gicd + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
	wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
	return 0;
}

void gic_disable(uint32_t intid)
{
	if (intid < 32 && rd) {
		mmio_write32(rd + GICR_SGI + GICD_ICENABLER, 1u << intid);
		wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);
	} else if (intid < GIC_MAX_INTID && gicd) {
		mmio_write32(gicd + GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
		wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
	}
}

void gic_send_sgi(uint64_t mpidr, uint32_t intid)
{
	uint64_t aff0 = mpidr & 0xff;
	/* RS selects the group of 16 Aff0 values, TargetList the one within it */
	uint64_t v = ((mpidr >> 32) & 0xff) << 48 | (aff0 >> 4) << 44 |
		     ((mpidr >> 16) & 0xff) << 32 | (uint64_t)(intid & 0xf) << 24 |
		     ((mpidr >> 8) & 0xff) << 16 | 1ull << (aff0 & 0xf);

	dsb_sy();	/* memory written before the SGI is visible to its handler */
	write_sysreg(ICC_SGI1R_EL1, v);
	isb();
}

int gic_irq_set_handler(uint32_t intid, gic_irq_fn fn, void *arg)
{
	uint64_t flags;

	if (intid >= GIC_MAX_INTID)
		return -1;
	flags = read_sysreg(daif);
	irq_mask();	/* an IRQ in between must not see the new function with the old argument */
	handlers[intid].arg = arg;
	handlers[intid].fn = fn;
	write_sysreg(daif, flags);
	return 0;
}

uint32_t gic_ack(void)
{
	uint32_t intid = (uint32_t)read_sysreg(ICC_IAR1_EL1) & 0xffffff;

	dsb_sy();
	return intid;
}

void gic_eoi(uint32_t intid)
{
	write_sysreg(ICC_EOIR1_EL1, intid);
	isb();
}

unsigned gic_poll(uint32_t want)
{
	unsigned hits = 0;

	/* bounded: under a storm, the interrupted code still makes progress */
	for (unsigned n = 0; n < 64; n++) {
		uint32_t intid = gic_ack();

		if (intid >= GIC_MAX_INTID)
			break;
		if (handlers[intid].fn)
			handlers[intid].fn(intid, handlers[intid].arg);
		else if (intid != want)
			unhandled++;
		hits += intid == want;
		gic_eoi(intid);
	}
	return hits;
}

void gic_handle_irqs(void)
{
	gic_poll(GIC_SPURIOUS);
}

uint32_t gic_unhandled(void)
{
	return unhandled;
}
