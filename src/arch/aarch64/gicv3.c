/* gicv3.c - the physical GICv3 as cella uses it at EL2 (IHI 0069 ch. 12). */
#include <stdint.h>
#include "lib/util.h"
#include "arch/aarch64/asm.h"
#include "arch/aarch64/gicv3.h"
#include "arch/aarch64/sysreg.h"
#include "lib/err.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1u << 31)

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_STRIDE 0x20000
#define GICR_TYPER_LAST (1ull << 4)

#define PRIO_DEFAULT 0xa0

#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380

static uint64_t gicd_base;
static uint64_t gicr_sgi_frame[CELLA_MAX_PCPUS];	/* this pCPU's SGI_base, by TPIDR_EL2 index */

static inline uint32_t rd32(uint64_t a)
{
	return *(volatile uint32_t *)(uintptr_t)a;
}

static inline void wr32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)a = v;
}

static inline uint64_t rd64(uint64_t a)
{
	return *(volatile uint64_t *)(uintptr_t)a;
}

static inline void wr64(uint64_t a, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)a = v;
}

static uint64_t mpidr_aff(uint64_t mpidr)
{
	return (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
}

void gic_dist_init(uint64_t gicd)
{
	uint32_t lines;

	gicd_base = gicd;
	wr32(gicd + GICD_CTLR, 0);
	while (rd32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
	lines = ((rd32(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
	if (lines > 1020)
		lines = 1020;
	for (uint32_t i = 32; i < lines; i += 32) {
		wr32(gicd + GICD_ICENABLER + i / 8, ~0u);
		wr32(gicd + GICD_ICPENDR + i / 8, ~0u);
		wr32(gicd + GICD_IGROUPR + i / 8, ~0u);
	}
	for (uint32_t i = 32; i < lines; i += 4)
		wr32(gicd + GICD_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101u);
	for (uint32_t i = 32; i < lines; i += 16)
		wr32(gicd + GICD_ICFGR + i / 4, 0);
	/* ARE_NS | EnableGrp1 (| EnableGrp0 for a GIC with a single security state) */
	wr32(gicd + GICD_CTLR, (1u << 4) | (1u << 1) | (1u << 0));
	while (rd32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

int gic_cpu_init(uint64_t gicr, uint64_t mpidr)
{
	uint64_t rd = 0, sgi;

	for (uint64_t f = gicr;; f += GICR_STRIDE) {
		uint64_t typer = rd64(f + GICR_TYPER);

		if ((typer >> 32) == mpidr_aff(mpidr)) {
			rd = f;
			break;
		}
		if (typer & GICR_TYPER_LAST)
			return -ERR_NOENT;
	}
	wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~(1u << 1));
	while (rd32(rd + GICR_WAKER) & (1u << 2))
		;
	sgi = rd + GICR_SGI;
	gicr_sgi_frame[read_sysreg(tpidr_el2) % CELLA_MAX_PCPUS] = sgi;
	wr32(sgi + GICD_ICENABLER, ~0u);
	wr32(sgi + GICD_ICPENDR, ~0u);
	wr32(sgi + GICD_IGROUPR, ~0u);
	for (uint32_t i = 0; i < 32; i += 4)
		wr32(sgi + GICD_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101u);
	wr32(sgi + GICD_ISENABLER, (1u << SGI_KICK) | (1u << PPI_MAINT) | (1u << PPI_VTIMER) |
					   (1u << PPI_HYP_TIMER));

	write_sysreg_s(ICC_SRE_EL2, 0xf);	/* SRE, DFB, DIB, Enable (EL1 may use SRE) */
	isb();
	write_sysreg_s(ICC_PMR_EL1, 0xff);
	write_sysreg_s(ICC_BPR1_EL1, 0);
	write_sysreg_s(ICC_CTLR_EL1, 1u << 1);	/* EOImode: EOIR drops priority only */
	write_sysreg_s(ICC_IGRPEN1_EL1, 1);
	isb();
	return 0;
}

void gic_ppi_clear_active(uint32_t intid)
{
	uint64_t sgi = gicr_sgi_frame[read_sysreg(tpidr_el2) % CELLA_MAX_PCPUS];

	if (sgi && intid < 32)
		wr32(sgi + GICR_ICACTIVER0, 1u << intid);
}

bool gic_ppi_active(uint32_t intid)
{
	uint64_t sgi = gicr_sgi_frame[read_sysreg(tpidr_el2) % CELLA_MAX_PCPUS];

	return sgi && intid < 32 && (rd32(sgi + GICR_ISACTIVER0) >> intid) & 1;
}

void gic_ppi_set_active(uint32_t intid)
{
	uint64_t sgi = gicr_sgi_frame[read_sysreg(tpidr_el2) % CELLA_MAX_PCPUS];

	if (sgi && intid < 32)
		wr32(sgi + GICR_ISACTIVER0, 1u << intid);
}

void gic_spi_route(uint32_t intid, uint64_t mpidr)
{
	wr64(gicd_base + GICD_IROUTER + 8ull * intid, mpidr & MPIDR_AFF_MASK);
	wr32(gicd_base + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_send_sgi(uint32_t sgi, uint64_t mpidr)
{
	uint64_t v = ((uint64_t)sgi << 24) | (1ull << (mpidr & 0xf)) |
		     (((mpidr >> 8) & 0xff) << 16) | (((mpidr >> 16) & 0xff) << 32) |
		     (((mpidr >> 32) & 0xff) << 48) | (((mpidr & 0xff) >> 4) << 44);

	dsb(ishst);
	write_sysreg_s(ICC_SGI1R_EL1, v);
	isb();
}

uint32_t gic_ack(void)
{
	uint32_t intid = (uint32_t)read_sysreg_s(ICC_IAR1_EL1) & 0xffffff;

	dsb(sy);
	return intid;
}

void gic_eoi(uint32_t intid)
{
	write_sysreg_s(ICC_EOIR1_EL1, intid);
	isb();
}

void gic_deactivate(uint32_t intid)
{
	write_sysreg_s(ICC_DIR_EL1, intid);
	isb();
}
