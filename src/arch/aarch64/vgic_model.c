/* vgic_model.c - register model of a cell's virtual GICv3 distributor and redistributors. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arch/aarch64/vgic_model.h"
#include "lib/err.h"

_Static_assert(VGIC_NR_SPIS % 32 == 0, "GICD_TYPER.ITLinesNumber counts whole registers");
_Static_assert(VGIC_NR_IRQS <= 1020, "SPIs end at INTID 1019");
_Static_assert(CELLA_MAX_VCPUS <= 32, "struct vgic.dirty has one bit per vCPU");
_Static_assert(VGIC_NR_IRQS % 64 == 0, "ready bitmaps are whole 64-bit words");

/* Offsets alike in the distributor and the redistributor SGI_base frame (IHI 0069 ch. 12) */
#define GIC_IGROUPR		0x0080	/* first of seven 1-bit-per-INTID banks, 0x80 each */
#define GIC_IPRIORITYR		0x0400
#define GIC_ITARGETSR		0x0800
#define GIC_ICFGR		0x0c00
#define GIC_IGRPMODR		0x0d00
#define GIC_PIDR2		0xffe8
#define GIC_PIDR2_V3		0x3b	/* ArchRev 3 [7:4], JEDEC [3], JEP106 Arm id[6:4] */
#define GIC_IIDR		0x043b	/* ProductID 0, Variant 0, Revision 0, Arm */

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_CPENDSGIR		0x0f10
#define GICD_SPENDSGIR_END	0x0f30
#define GICD_IROUTER		0x6000
#define GICD_IROUTER_END	0x8000

#define GICD_CTLR_EN_GRP1	VGIC_CTLR_EN_GRP1
#define GICD_CTLR_ARE		(1u << 4)
#define GICD_CTLR_DS		(1u << 6)

/* IDbits 9 (10-bit INTIDs), A3V 1 (Aff3 honoured by IROUTER and SGIs); no LPIs, MBIS, RSS */
#define GICD_TYPER_VAL		((uint32_t)(VGIC_NR_IRQS / 32 - 1) | (9u << 19) | (1u << 24))

#define GICR_CTLR		0x0000
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_TYPER_HI		0x000c
#define GICR_WAKER		0x0014
#define GICR_SGI_BASE		0x10000
#define GICR_TYPER_LAST		(1u << 4)
#define GICR_WAKER_SLEEP	(1u << 1)
#define GICR_WAKER_ASLEEP	(1u << 2)

#define IROUTER_IRM		(1ull << 31)
#define IROUTER_MASK		(MPIDR_AFF_MASK | IROUTER_IRM)
#define PRIO_MASK		((uint8_t)(0xff << (8 - VGIC_PRIO_BITS)))

/* The seven 1-bit-per-INTID banks, in offset order from GIC_IGROUPR */
enum bit_reg { R_GROUP, R_SENABLE, R_CENABLE, R_SPEND, R_CPEND, R_SACTIVE, R_CACTIVE };

/* @intid < VGIC_NR_IRQS and @cpu < CELLA_MAX_VCPUS are checked by every caller. */
static struct vgic_irq *irq_at(struct vgic *g, uint32_t cpu, uint32_t intid)
{
	if (intid < VGIC_NR_PRIV)
		return &g->cpu[cpu].priv[intid];
	return &g->spi[intid - VGIC_NR_PRIV];
}

/* Bring @intid's bit in its vCPU's ready bitmap (vgic_cpu.ready) up to date with its state;
 * @cpu is the vCPU whose SGI/PPI it is (SPIs: any, their bit lives with their target). With
 * @notify, also mark the vCPU that would take it dirty if it is now deliverable. */
static inline void irq_refresh(struct vgic *g, uint32_t cpu, uint32_t intid, bool notify)
{
	const struct vgic_irq *irq = irq_at(g, cpu, intid);
	uint32_t t = vgic_irq_vcpu(g, cpu, intid);
	uint64_t bit = vgic_ready_bit(intid), *w = &g->cpu[t].ready[vgic_ready_word(intid)];
	bool live = vgic_irq_live(irq);

	if (live && !irq->in_lr)
		*w |= bit;
	else
		*w &= ~bit;
	if (notify && live && (g->ctlr & GICD_CTLR_EN_GRP1))
		g->dirty |= 1u << t;
}

/* @intid's state changed, list registers aside: keep its ready bit exact */
static void irq_update(struct vgic *g, uint32_t cpu, uint32_t intid)
{
	irq_refresh(g, cpu, intid, false);
}

/* @intid's state changed: update its ready bit, and mark the vCPU that would take it dirty if
 * the interrupt is now deliverable. */
static void irq_changed(struct vgic *g, uint32_t cpu, uint32_t intid)
{
	irq_refresh(g, cpu, intid, true);
}

/* IROUTER -> vCPU index: exact affinity match; IRM = 1 (any PE) or no match -> vCPU 0. */
static uint32_t route_resolve(const struct vgic *g, uint64_t irouter)
{
	uint32_t i;

	if (irouter & IROUTER_IRM)
		return 0;
	for (i = 0; i < g->nr_vcpus; i++)
		if (g->cpu[i].mpidr == (irouter & MPIDR_AFF_MASK))
			return i;
	return 0;
}

void vgic_init(struct vgic *g, uint32_t nr_vcpus, const uint64_t *mpidr)
{
	uint32_t i, j;

	memset(g, 0, sizeof(*g));
	/* 0 vCPUs leaves a model every access refuses */
	g->nr_vcpus = nr_vcpus > CELLA_MAX_VCPUS ? CELLA_MAX_VCPUS : nr_vcpus;
	g->ctlr = GICD_CTLR_ARE | GICD_CTLR_DS;
	for (i = 0; i < g->nr_vcpus; i++) {
		g->cpu[i].mpidr = (mpidr ? mpidr[i] : i) & MPIDR_AFF_MASK;
		g->cpu[i].waker = GICR_WAKER_SLEEP;	/* reset value: the PE is asleep */
		for (j = 0; j < 16; j++)
			g->cpu[i].priv[j].edge = 1;
	}
	for (i = 0; i < VGIC_NR_SPIS; i++)
		g->spi[i].target = (uint8_t)route_resolve(g, 0);
}

const struct vgic_irq *vgic_irq_get(const struct vgic *g, uint32_t vcpu, uint32_t intid)
{
	if (vcpu >= g->nr_vcpus || intid >= VGIC_NR_IRQS)
		return NULL;
	if (intid < VGIC_NR_PRIV)
		return &g->cpu[vcpu].priv[intid];
	return &g->spi[intid - VGIC_NR_PRIV];
}

static bool bit_get(const struct vgic_irq *irq, enum bit_reg r)
{
	switch (r) {
	case R_GROUP:
		return irq->group1;
	case R_SENABLE:
	case R_CENABLE:
		return irq->enabled;
	case R_SPEND:
	case R_CPEND:
		return vgic_irq_pending(irq);
	default:
		return irq->active;
	}
}

/* Write-1-to-act banks only see the 1 bits; IGROUPR takes every bit. */
static void bit_set(struct vgic_irq *irq, enum bit_reg r, bool bit)
{
	switch (r) {
	case R_GROUP:
		irq->group1 = bit;
		break;
	case R_SENABLE:
	case R_CENABLE:
		irq->enabled = r == R_SENABLE;
		break;
	case R_SPEND:
	case R_CPEND:
		/* for level-sensitive interrupts this is the latch; the line may still hold it */
		irq->pending = r == R_SPEND;
		break;
	default:
		irq->active = r == R_SACTIVE;
		break;
	}
}

/* One 32-bit register of a 1-bit-per-INTID bank; INTIDs outside [lo, hi) are RAZ/WI. */
static void bits_access(struct vgic *g, uint32_t cpu, uint32_t off, uint32_t lo, uint32_t hi,
			bool write, uint64_t *val)
{
	enum bit_reg r = (enum bit_reg)((off - GIC_IGROUPR) / 0x80);
	uint32_t first = (off & 0x7f) * 8, v = (uint32_t)*val, out = 0, i;

	for (i = 0; i < 32; i++) {
		uint32_t intid = first + i;
		bool bit = (v >> i) & 1;

		if (intid < lo || intid >= hi)		/* keeps irq_at in bounds */
			continue;
		if (!write) {
			out |= (uint32_t)bit_get(irq_at(g, cpu, intid), r) << i;
		} else if (bit || r == R_GROUP) {
			bit_set(irq_at(g, cpu, intid), r, bit);
			irq_changed(g, cpu, intid);
		}
	}
	if (!write)
		*val = out;
}

/* IPRIORITYR: one byte per INTID, @size 1 or 4; the low bits are not implemented. */
static void prio_access(struct vgic *g, uint32_t cpu, uint32_t off, unsigned size, uint32_t lo,
			uint32_t hi, bool write, uint64_t *val)
{
	uint32_t first = off - GIC_IPRIORITYR, out = 0, i;

	for (i = 0; i < size; i++) {
		uint32_t intid = first + i;

		if (intid < lo || intid >= hi)		/* keeps irq_at in bounds */
			continue;
		if (write) {
			irq_at(g, cpu, intid)->priority = (uint8_t)(*val >> (8 * i)) & PRIO_MASK;
			irq_changed(g, cpu, intid);
		} else {
			out |= (uint32_t)irq_at(g, cpu, intid)->priority << (8 * i);
		}
	}
	if (!write)
		*val = out;
}

/* ICFGR: two bits per INTID, bit 1 of each pair = edge; SGIs are edge, read-only. */
static void cfg_access(struct vgic *g, uint32_t cpu, uint32_t off, uint32_t lo, uint32_t hi,
		       bool write, uint64_t *val)
{
	uint32_t first = (off - GIC_ICFGR) * 4, v = (uint32_t)*val, out = 0, i;

	for (i = 0; i < 16; i++) {
		uint32_t intid = first + i;
		struct vgic_irq *irq;

		if (intid < lo || intid >= hi)		/* keeps irq_at in bounds */
			continue;
		irq = irq_at(g, cpu, intid);
		if (!write) {
			out |= (uint32_t)irq->edge << (2 * i + 1);
		} else if (intid >= 16) {
			irq->edge = (v >> (2 * i + 1)) & 1;
			irq_changed(g, cpu, intid);	/* edge -> level with the line high */
		}
	}
	if (!write)
		*val = out;
}

/* The interrupt-state registers below 0x1000, laid out alike in GICD and GICR SGI_base;
 * [lo, hi) is the INTID window this frame implements, the rest is RAZ/WI. */
static void irq_regs_access(struct vgic *g, uint32_t cpu, uint32_t off, unsigned size,
			    uint32_t lo, uint32_t hi, bool write, uint64_t *val)
{
	if (off >= GIC_IGROUPR && off < GIC_IPRIORITYR)
		bits_access(g, cpu, off, lo, hi, write, val);
	else if (off >= GIC_IPRIORITYR && off < GIC_ITARGETSR)
		prio_access(g, cpu, off, size, lo, hi, write, val);
	else if (off >= GIC_ICFGR && off < GIC_IGRPMODR)
		cfg_access(g, cpu, off, lo, hi, write, val);
	else if (!write)
		*val = 0;	/* ITARGETSR (ARE), IGRPMODR, NSACR, SGIR, [CS]PENDSGIR */
}

/* Accepted access sizes: naturally aligned 4 anywhere, 1 and 8 where the spec allows. */
static bool size_ok(uint64_t off, unsigned size, bool byte_ok, bool dword_ok)
{
	if (size != 1 && size != 4 && size != 8)
		return false;
	if (off & (size - 1))
		return false;
	return size == 4 || (size == 1 && byte_ok) || (size == 8 && dword_ok);
}

/* Read-modify-write of a 64-bit register through an 8-byte access or a 32-bit half. */
static uint64_t reg64_merge(uint64_t old, uint32_t off, unsigned size, uint64_t val)
{
	if (size == 8)
		return val;
	if (off & 4)
		return (old & 0xffffffffull) | (val << 32);
	return (old & ~0xffffffffull) | (uint32_t)val;
}

static uint64_t reg64_read(uint64_t reg, uint32_t off, unsigned size)
{
	if (size == 8)
		return reg;
	return (uint32_t)(off & 4 ? reg >> 32 : reg);
}

static void irouter_access(struct vgic *g, uint32_t off, unsigned size, bool write,
			   uint64_t *val)
{
	uint32_t intid = (off - GICD_IROUTER) / 8, old, spi;
	struct vgic_irq *irq;

	/* INTIDs without an IROUTER (SGIs, PPIs, SPIs we lack): RAZ/WI */
	if (intid < VGIC_NR_PRIV || intid >= VGIC_NR_IRQS) {
		if (!write)
			*val = 0;
		return;
	}
	spi = intid - VGIC_NR_PRIV;	/* < VGIC_NR_SPIS by the check above */
	if (!write) {
		*val = reg64_read(g->irouter[spi], off, size);
		return;
	}
	irq = &g->spi[spi];
	g->irouter[spi] = reg64_merge(g->irouter[spi], off, size, *val) & IROUTER_MASK;
	old = vgic_irq_vcpu(g, 0, intid);
	/* its ready bit moves with it: off the old target's bitmap, irq_changed sets the new */
	g->cpu[old].ready[vgic_ready_word(intid)] &= ~vgic_ready_bit(intid);
	irq->target = (uint8_t)route_resolve(g, g->irouter[spi]);
	/* the old vCPU may hold it in a list register, the new one has to pick it up */
	if (irq->target != old && vgic_irq_pending(irq))
		g->dirty |= (1u << old) | (1u << irq->target);
	irq_changed(g, 0, intid);
}

static void gicd_ctlr_write(struct vgic *g, uint32_t v)
{
	uint32_t was = g->ctlr & GICD_CTLR_EN_GRP1;

	g->ctlr = GICD_CTLR_ARE | GICD_CTLR_DS | (v & GICD_CTLR_EN_GRP1);
	if (!was && (g->ctlr & GICD_CTLR_EN_GRP1))
		g->dirty |= (uint32_t)((1ull << g->nr_vcpus) - 1);
}

int vgic_dist_access(struct vgic *g, uint32_t vcpu, uint64_t offset, unsigned size, bool write,
		     uint64_t *val)
{
	bool byte_ok = (offset >= GIC_IPRIORITYR && offset < GIC_ICFGR) ||
		       (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR_END);
	bool dword_ok = offset >= GICD_IROUTER && offset < GICD_IROUTER_END;
	uint32_t off = (uint32_t)offset;

	if (!val || vcpu >= g->nr_vcpus || offset >= VGIC_GICD_SIZE ||
	    !size_ok(offset, size, byte_ok, dword_ok))
		return -ERR_INVAL;

	if (off < GIC_IGROUPR) {
		if (write) {
			if (off == GICD_CTLR)
				gicd_ctlr_write(g, (uint32_t)*val);
			return 0;
		}
		switch (off) {
		case GICD_CTLR:
			/* RWP reads 0: writes take effect at once */
			*val = g->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
			break;
		case GICD_TYPER:
			*val = GICD_TYPER_VAL;
			break;
		case GICD_IIDR:
			*val = GIC_IIDR;
			break;
		default:
			*val = 0;	/* TYPER2, STATUSR, SETSPI/CLRSPI (no MBIS), reserved */
			break;
		}
	} else if (off < 0x1000) {
		/* with ARE set, INTIDs 0-31 live in the redistributors: RAZ/WI here */
		irq_regs_access(g, 0, off, size, VGIC_NR_PRIV, VGIC_NR_IRQS, write, val);
	} else if (dword_ok) {
		irouter_access(g, off, size, write, val);
	} else if (!write) {
		*val = off == GIC_PIDR2 ? GIC_PIDR2_V3 : 0;
	}
	return 0;
}

static uint64_t gicr_typer(const struct vgic *g, uint32_t cpu)
{
	uint64_t m = g->cpu[cpu].mpidr;
	uint64_t aff = (m & 0xffffff) | ((m >> 8) & 0xff000000);	/* Aff3.Aff2.Aff1.Aff0 */
	uint64_t last = cpu + 1 == g->nr_vcpus ? GICR_TYPER_LAST : 0;

	return (aff << 32) | ((uint64_t)cpu << 8) | last;	/* Processor_Number [23:8] */
}

/* RD_base frame of vCPU @cpu: control, identification, power. */
static void rd_access(struct vgic *g, uint32_t cpu, uint32_t off, unsigned size, bool write,
		      uint64_t *val)
{
	struct vgic_cpu *c = &g->cpu[cpu];

	if (write) {
		/* CTLR: no LPIs, so EnableLPIs is RES0; nothing else there is worth modelling */
		if (off == GICR_WAKER)
			c->waker = (uint32_t)*val & GICR_WAKER_SLEEP;
		return;
	}
	switch (off) {
	case GICR_CTLR:
		*val = c->ctlr;		/* RWP and UWP 0: writes take effect at once */
		break;
	case GICR_IIDR:
		*val = GIC_IIDR;
		break;
	case GICR_TYPER:
	case GICR_TYPER_HI:
		*val = reg64_read(gicr_typer(g, cpu), off, size);
		break;
	case GICR_WAKER:
		/* the children fall asleep and wake up the moment they are told to */
		*val = (c->waker & GICR_WAKER_SLEEP) ? GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP : 0;
		break;
	case GIC_PIDR2:
		*val = GIC_PIDR2_V3;
		break;
	default:
		*val = 0;
		break;
	}
}

/* 64-bit registers of RD_base: TYPER, and the LPI ones (RAZ/WI here, but 8-byte accessible). */
static bool rd_dword(uint32_t off)
{
	switch (off) {
	case GICR_TYPER:
	case 0x40: case 0x48:		/* SETLPIR, CLRLPIR */
	case 0x70: case 0x78:		/* PROPBASER, PENDBASER */
	case 0xa0: case 0xb0:		/* INVLPIR, INVALLR */
		return true;
	default:
		return false;
	}
}

int vgic_redist_access(struct vgic *g, uint32_t vcpu, uint64_t offset, unsigned size, bool write,
		       uint64_t *val)
{
	uint64_t frame = offset / VGIC_GICR_STRIDE;
	uint32_t off = (uint32_t)(offset % VGIC_GICR_STRIDE), cpu;
	bool sgi = off >= GICR_SGI_BASE;
	uint32_t soff = off - GICR_SGI_BASE;

	if (!val || vcpu >= g->nr_vcpus || frame >= g->nr_vcpus)
		return -ERR_INVAL;
	if (!size_ok(off, size, sgi && soff >= GIC_IPRIORITYR && soff < GIC_IPRIORITYR + 32,
		     !sgi && rd_dword(off)))
		return -ERR_INVAL;
	cpu = (uint32_t)frame;		/* < nr_vcpus, checked above */

	if (!sgi)
		rd_access(g, cpu, off, size, write, val);
	else if (soff < 0x1000)
		irq_regs_access(g, cpu, soff, size, 0, VGIC_NR_PRIV, write, val);
	else if (!write)
		*val = 0;
	return 0;
}

int vgic_set_level(struct vgic *g, uint32_t vcpu, uint32_t intid, bool level)
{
	struct vgic_irq *irq;

	/* SGIs have no input line; PPIs need a real vCPU, SPIs ignore it */
	if (intid < 16 || intid >= VGIC_NR_IRQS || (intid < VGIC_NR_PRIV && vcpu >= g->nr_vcpus))
		return -ERR_INVAL;
	if (intid >= VGIC_NR_PRIV)
		vcpu = 0;
	irq = irq_at(g, vcpu, intid);
	if (irq->edge && level && !irq->level)
		irq->pending = 1;
	irq->level = level;
	irq_changed(g, vcpu, intid);
	return 0;
}

int vgic_pulse(struct vgic *g, uint32_t intid)
{
	if (intid < VGIC_NR_PRIV || intid >= VGIC_NR_IRQS)
		return -ERR_INVAL;
	irq_at(g, 0, intid)->pending = 1;
	irq_changed(g, 0, intid);
	return 0;
}

/* Does vCPU @cpu match the ICC_SGI1R_EL1 target fields in @value (IRM = 0)? */
static bool sgi_targets(const struct vgic *g, uint32_t cpu, uint64_t value)
{
	uint64_t m = g->cpu[cpu].mpidr;
	uint64_t aff321 = ((value >> 48) & 0xff) << 32 | ((value >> 32) & 0xff) << 16 |
			  ((value >> 16) & 0xff) << 8;
	uint32_t aff0 = m & 0xff, rs = (value >> 44) & 0xf;

	if ((m & ~0xffull) != aff321 || aff0 / 16 != rs)
		return false;
	return (value >> (aff0 % 16)) & 1;
}

uint32_t vgic_sgi(struct vgic *g, uint32_t vcpu, uint64_t value)
{
	uint32_t intid = (value >> 24) & 0xf, mask = 0, i;
	bool all = (value >> 40) & 1;

	if (vcpu >= g->nr_vcpus)
		return 0;
	for (i = 0; i < g->nr_vcpus; i++) {
		if (all ? i == vcpu : !sgi_targets(g, i, value))
			continue;
		mask |= 1u << i;
		g->cpu[i].priv[intid].pending = 1;
		irq_changed(g, i, intid);
	}
	return mask;
}

int vgic_hw_latch(struct vgic *g, uint32_t vcpu, uint32_t intid)
{
	struct vgic_irq *irq;

	if (vcpu >= g->nr_vcpus || intid >= VGIC_NR_IRQS)
		return -ERR_INVAL;
	irq = irq_at(g, vcpu, intid);
	irq->hw = 1;
	irq->pending = 1;
	irq_changed(g, vcpu, intid);
	g->dirty |= 1u << vcpu;
	return 0;
}

int vgic_next_pending_more(const struct vgic *g, uint32_t vcpu, bool *more)
{
	const struct vgic_cpu *c;
	unsigned best_prio = 0x100, n = 0, w;
	int best = -1;

	*more = false;
	/* only Group 1 is ever delivered, so a disabled group means nothing to do */
	if (vcpu >= g->nr_vcpus || !(g->ctlr & GICD_CTLR_EN_GRP1))
		return -1;
	c = &g->cpu[vcpu];
	/* the set bits in ascending INTID order: strict < makes ties go to the lowest INTID */
	for (w = 0; w < VGIC_WORDS; w++) {
		uint64_t bits = c->ready[w];

		while (bits) {
			uint32_t intid = 64 * w + (uint32_t)__builtin_ctzll(bits);
			const struct vgic_irq *irq = intid < VGIC_NR_PRIV
				? &c->priv[intid] : &g->spi[intid - VGIC_NR_PRIV];
			unsigned prio = irq->priority;

			bits &= bits - 1;
			n++;
			if (prio < best_prio) {
				best = (int)intid;
				best_prio = prio;
			}
		}
	}
	*more = n > 1;
	return best;
}

int vgic_next_pending(const struct vgic *g, uint32_t vcpu)
{
	bool more;

	return vgic_next_pending_more(g, vcpu, &more);
}

const struct vgic_irq *vgic_lr_load(struct vgic *g, uint32_t vcpu, uint32_t intid)
{
	struct vgic_irq *irq;

	if (vcpu >= g->nr_vcpus || intid >= VGIC_NR_IRQS)
		return NULL;
	irq = irq_at(g, vcpu, intid);
	irq->pending = 0;	/* the latch is consumed; a high level re-pends */
	irq->in_lr = 1;
	/* in a list register: not ready, wherever its bit is */
	g->cpu[vgic_irq_vcpu(g, vcpu, intid)].ready[vgic_ready_word(intid)] &=
		~vgic_ready_bit(intid);
	return irq;
}

void vgic_lr_park(struct vgic *g, uint32_t vcpu, uint32_t intid, bool lr_pending)
{
	struct vgic_irq *irq;

	if (vcpu >= g->nr_vcpus || intid >= VGIC_NR_IRQS)
		return;
	irq = irq_at(g, vcpu, intid);
	irq->in_lr = 0;
	irq->active = 0;
	if (lr_pending && irq->edge)
		irq->pending = 1;
	irq_update(g, vcpu, intid);
}

int vgic_check(const struct vgic *g, uint32_t *vcpu)
{
	uint64_t want[CELLA_MAX_VCPUS][VGIC_WORDS];
	uint32_t c, intid, w;

	/* the bitmaps as the definition (struct vgic_cpu.ready) builds them from the state */
	memset(want, 0, sizeof(want));
	for (c = 0; c < CELLA_MAX_VCPUS; c++) {
		for (intid = 0; intid < VGIC_NR_PRIV; intid++) {
			const struct vgic_irq *irq = &g->cpu[c].priv[intid];

			if (vgic_irq_live(irq) && !irq->in_lr)
				want[c][vgic_ready_word(intid)] |= vgic_ready_bit(intid);
		}
	}
	for (intid = VGIC_NR_PRIV; intid < VGIC_NR_IRQS; intid++) {
		const struct vgic_irq *irq = &g->spi[intid - VGIC_NR_PRIV];

		if (vgic_irq_live(irq) && !irq->in_lr)
			want[vgic_irq_vcpu(g, 0, intid)][vgic_ready_word(intid)] |=
				vgic_ready_bit(intid);
	}
	for (c = 0; c < CELLA_MAX_VCPUS; c++) {
		for (w = 0; w < VGIC_WORDS; w++) {
			uint64_t diff = want[c][w] ^ g->cpu[c].ready[w];

			if (diff) {
				if (vcpu)
					*vcpu = c;
				return (int)(64 * w + (uint32_t)__builtin_ctzll(diff));
			}
		}
	}
	return -1;
}
