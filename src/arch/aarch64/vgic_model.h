/* vgic_model.h - a cell's virtual GICv3 distributor and redistributors as a register model
 * (GICv3/v4 Architecture Specification IHI 0069, ch. 12 "GIC memory-mapped registers").
 *
 * Pure C, no EL2 dependencies: MMIO traps from the guest are decoded by the caller into
 * (offset, size, direction, value) and handed here; list-register injection (vgic.c) asks the
 * model for pending interrupts. Everything the guest writes is hostile: unknown or reserved
 * offsets are RAZ/WI, bad sizes or alignment are refused so the caller can inject an abort.
 * The caller holds the cell's vGIC lock around every call.
 *
 * Every change of an interrupt's state goes through these functions (vgic_irq_get hands out a
 * read-only view): each vCPU keeps a bitmap of the interrupts it could be given next (struct
 * vgic_cpu.ready), updated at every change, so that vgic_next_pending looks at set bits only
 * instead of scanning all VGIC_NR_IRQS interrupts.
 *
 * Interrupt IDs: SGIs 0-15 and PPIs 16-31 are per vCPU (redistributor), SPIs 32 ..
 * 32 + VGIC_NR_SPIS - 1 are per cell (distributor). The guest sees only Group 1 non-secure,
 * affinity routing enabled (GICD_CTLR.ARE_NS RAO/WI, DS = 1), no LPIs, no ITS.
 */
#ifndef CELLA_ARCH_VGIC_MODEL_H
#define CELLA_ARCH_VGIC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/util.h"

#define VGIC_NR_PRIV 32
#define VGIC_NR_SPIS 96			/* SPIs 32..127: GICD_TYPER.ITLinesNumber = 3 */
#define VGIC_NR_IRQS (VGIC_NR_PRIV + VGIC_NR_SPIS)
#define VGIC_GICD_SIZE 0x10000ull	/* one 64 KiB frame */
#define VGIC_GICR_STRIDE 0x20000ull	/* RD_base + SGI_base frames per vCPU */
#define VGIC_PRIO_BITS 5		/* ICH_VTR_EL2.PRIbits + 1 on QEMU: priorities step 8 */
#define VGIC_WORDS (VGIC_NR_IRQS / 64)	/* 64-bit words of a bitmap over every INTID */
#define VGIC_CTLR_EN_GRP1 (1u << 1)	/* GICD_CTLR.EnableGrp1NS */

struct vgic_irq {
	uint8_t priority;		/* as written by the guest, low bits masked */
	uint8_t enabled : 1;
	uint8_t pending : 1;		/* latched (edge, or set through ISPENDR) */
	uint8_t level : 1;		/* input line level (level-sensitive sources) */
	uint8_t active : 1;
	uint8_t edge : 1;		/* GICD_ICFGR / GICR_ICFGR: 1 = edge-triggered */
	uint8_t group1 : 1;
	uint8_t in_lr : 1;		/* currently held by a list register */
	uint8_t hw : 1;			/* backed by a physical interrupt (vtimer) */
	uint8_t target;			/* SPIs: vCPU index from GICD_IROUTER */
};

struct vgic_cpu {
	struct vgic_irq priv[VGIC_NR_PRIV];
	/* Bit INTID % 64 of word INTID / 64 is set exactly when the interrupt is ready: pending
	 * (latched or level high), enabled, group 1, not active, not in a list register, and (an
	 * SPI) routed here (its target, as vgic_irq_vcpu clamps it), so an SPI's bit is in one
	 * bitmap at most. GICD_CTLR.EnableGrp1NS is not in it: vgic_next_pending checks it once.
	 * vgic_check verifies this. */
	uint64_t ready[VGIC_WORDS];
	uint64_t mpidr;			/* the vCPU's MPIDR (VMPIDR_EL2), affinity fields only */
	uint32_t waker;			/* GICR_WAKER.ProcessorSleep (bit 1) */
	uint32_t ctlr;			/* GICR_CTLR */
};

struct vgic {
	uint32_t nr_vcpus;
	uint32_t ctlr;			/* GICD_CTLR: EnableGrp1NS (bit 1), ARE_NS (bit 4, RAO) */
	struct vgic_irq spi[VGIC_NR_SPIS];
	uint64_t irouter[VGIC_NR_SPIS];	/* GICD_IROUTER<n> as written (Aff fields + IRM) */
	struct vgic_cpu cpu[CELLA_MAX_VCPUS];
	uint32_t dirty;			/* bit per vCPU whose deliverable set may have grown */
};

/* vgic_init - reset @g for @nr_vcpus (1..CELLA_MAX_VCPUS) vCPUs with MPIDRs @mpidr[i]
 * (affinity bits only). Everything disabled, inactive, not pending; SGIs edge, PPIs level,
 * SPIs level; priorities 0; group 0 (Linux sets group 1). */
void vgic_init(struct vgic *g, uint32_t nr_vcpus, const uint64_t *mpidr);

/* vgic_dist_access - guest access to the distributor frame at byte @offset (< VGIC_GICD_SIZE)
 * of @size bytes (1, 2, 4 or 8; naturally aligned; byte access only where the spec allows it:
 * IPRIORITYR, ITARGETSR; 8 only for IROUTER and TYPER-class 64-bit regs), by vCPU @vcpu.
 * Reads store the value in *@val, writes take it from *@val.
 * Returns 0 (handled, including RAZ/WI) or -ERR_INVAL (bad size/alignment/offset range: the
 * caller injects a synchronous external abort). Implemented: CTLR, TYPER, IIDR, TYPER2,
 * IGROUPR, ISENABLER/ICENABLER, ISPENDR/ICPENDR, ISACTIVER/ICACTIVER, IPRIORITYR, ICFGR,
 * IGRPMODR (RAZ/WI), NSACR (RAZ/WI), SGIR (WI), IROUTER, PIDR2 (0xFFE8: ArchRev 3). */
int vgic_dist_access(struct vgic *g, uint32_t vcpu, uint64_t offset, unsigned size, bool write,
		     uint64_t *val);

/* vgic_redist_access - guest access at byte @offset into the redistributor region
 * (nr_vcpus * VGIC_GICR_STRIDE bytes; frame offset / VGIC_GICR_STRIDE selects the vCPU).
 * RD_base: CTLR, IIDR, TYPER (Processor_Number, Affinity, Last), WAKER, PIDR2.
 * SGI_base (+0x10000): IGROUPR0, ISENABLER0/ICENABLER0, ISPENDR0/ICPENDR0,
 * ISACTIVER0/ICACTIVER0, IPRIORITYR0-7, ICFGR0 (RO: SGIs edge) / ICFGR1, IGRPMODR0 (RAZ/WI).
 * Same return convention as vgic_dist_access. */
int vgic_redist_access(struct vgic *g, uint32_t vcpu, uint64_t offset, unsigned size, bool write,
		       uint64_t *val);

/* vgic_irq_get - the state of @intid as seen by vCPU @vcpu (its SGIs/PPIs, or the cell's SPI),
 * or NULL if @intid is out of range or @vcpu >= nr_vcpus. Read-only: changes go through the
 * functions here, which keep the ready bitmaps exact. */
const struct vgic_irq *vgic_irq_get(const struct vgic *g, uint32_t vcpu, uint32_t intid);

/* vgic_set_level - drive the input line of @intid (PPI: of vCPU @vcpu; SPI: @vcpu ignored).
 * A rising edge latches pending for edge-triggered interrupts; for level-sensitive ones the
 * interrupt is pending while the level is high. Marks the target vCPU dirty.
 * Returns 0 or -ERR_INVAL (bad intid / vcpu). */
int vgic_set_level(struct vgic *g, uint32_t vcpu, uint32_t intid, bool level);

/* vgic_pulse - latch SPI @intid pending, as a GICD_ISPENDR write does (edge-triggered or
 * level-sensitive alike): it stays pending until acknowledged (GICv3 arch spec 4.1.1).
 * Returns 0 or -ERR_INVAL (not an SPI). */
int vgic_pulse(struct vgic *g, uint32_t intid);

/* vgic_sgi - emulate a write of @value to ICC_SGI1R_EL1 by vCPU @vcpu (GICv3 spec 12.2.?:
 * INTID bits [27:24], Aff3 [55:48], Aff2 [39:32], Aff1 [23:16], TargetList [15:0], IRM bit 40 =
 * all but self). Latches the SGI pending on each target vCPU, marks them dirty.
 * Returns the bitmask of vCPUs targeted (0 if none match). */
uint32_t vgic_sgi(struct vgic *g, uint32_t vcpu, uint64_t value);

/* vgic_hw_latch - physical interrupt @intid fired for vCPU @vcpu (vgic_irq_get's view): latch
 * it pending, backed by the physical one (hw: its list register gets LR.HW), and mark @vcpu
 * (and the target of a deliverable SPI) dirty. Returns 0 or -ERR_INVAL (bad intid / vcpu). */
int vgic_hw_latch(struct vgic *g, uint32_t vcpu, uint32_t intid);

/* vgic_next_pending - the highest-priority interrupt (lowest value; ties by lowest INTID)
 * deliverable to vCPU @vcpu and not already in a list register: enabled, pending (latched or
 * level high), not active, in group 1 with GICD_CTLR.EnableGrp1NS set (for SPIs: routed to
 * @vcpu). Returns the INTID or -1 if none. Costs a few operations per deliverable interrupt,
 * nothing per other one (the ready bitmap). */
int vgic_next_pending(const struct vgic *g, uint32_t vcpu);

/* vgic_next_pending_more - vgic_next_pending, and *@more = whether a deliverable interrupt
 * other than the one returned exists (exact: a caller moving them into list registers stops
 * when it is false, and asks again when it is true). */
int vgic_next_pending_more(const struct vgic *g, uint32_t vcpu, bool *more);

/* vgic_lr_load - @intid, as vgic_next_pending(@vcpu) named it, goes into a list register of
 * vCPU @vcpu: its pending latch is consumed (a level-sensitive interrupt whose line is still
 * high pends again once it leaves the list register) and it is held there (in_lr) until
 * vgic_lr_sync frees it or vgic_lr_park gives it back. Returns its state, for the list
 * register's priority, group, HW and EOI bits, or NULL (bad intid / vcpu: nothing changed). */
const struct vgic_irq *vgic_lr_load(struct vgic *g, uint32_t vcpu, uint32_t intid);

/* vgic_lr_park - the list register of vCPU @vcpu holding @intid is emptied as the vCPU goes
 * off: the interrupt is neither in a list register nor active (nobody will EOI it); if the
 * list register still had it pending (@lr_pending) and it is edge-triggered, it is latched
 * pending again (a level-sensitive one pends again through its line). The caller marks the
 * vCPUs that should look again dirty. Bad intid / vcpu: nothing changes. */
void vgic_lr_park(struct vgic *g, uint32_t vcpu, uint32_t intid, bool lr_pending);

/* vgic_check - the model's own consistency, for tests and debugging: every vCPU's ready
 * bitmap is exactly what the interrupts' state says (struct vgic_cpu.ready). Returns -1, or
 * the INTID of the first interrupt whose bit is wrong, with the vCPU whose bitmap has it
 * wrong in *@vcpu (if @vcpu is not NULL). */
int vgic_check(const struct vgic *g, uint32_t *vcpu);

/* ---- inline: what runs on every virtual timer interrupt (vgic_sync, vgic_inject_hw), and
 * the predicates the ready bitmaps are defined by ---- */

/* vgic_irq_pending - latched, or level-sensitive with the line high */
static inline bool vgic_irq_pending(const struct vgic_irq *irq)
{
	return irq->pending || (irq->level && !irq->edge);
}

/* vgic_irq_live - pending, enabled, group 1, not active: deliverable but for GICD_CTLR,
 * routing and list registers (struct vgic_cpu.ready has it where it is also not in_lr) */
static inline bool vgic_irq_live(const struct vgic_irq *irq)
{
	return vgic_irq_pending(irq) && irq->enabled && irq->group1 && !irq->active;
}

/* vgic_irq_vcpu - the vCPU that takes @intid (< VGIC_NR_IRQS): @vcpu for an SGI or PPI, its
 * target for an SPI (0 if the target were ever out of range: a shift by it would be UB) */
static inline uint32_t vgic_irq_vcpu(const struct vgic *g, uint32_t vcpu, uint32_t intid)
{
	uint32_t t;

	if (intid < VGIC_NR_PRIV)
		return vcpu;
	t = g->spi[intid - VGIC_NR_PRIV].target;
	return t < g->nr_vcpus ? t : 0;
}

/* vgic_ready_word - the word of a ready bitmap (struct vgic_cpu.ready) that has @intid */
static inline uint32_t vgic_ready_word(uint32_t intid)
{
	return intid / 64;
}

/* vgic_ready_bit - @intid's bit in its word of a ready bitmap (vgic_ready_word) */
static inline uint64_t vgic_ready_bit(uint32_t intid)
{
	return 1ull << (intid % 64);
}

/* vgic_lr_sync - the guest left the list register of vCPU @vcpu holding @intid in LR.State
 * @state (bit 0 pending, bit 1 active): the interrupt is active while bit 1 is set; state 0
 * frees it (no longer in a list register; if deliverable again, e.g. a level still high, its
 * target vCPU is marked dirty). Returns true when freed. Bad intid / vcpu: nothing changes,
 * returns false. */
static inline bool vgic_lr_sync(struct vgic *g, uint32_t vcpu, uint32_t intid, unsigned state)
{
	struct vgic_irq *irq;
	uint32_t t;

	if (vcpu >= g->nr_vcpus || intid >= VGIC_NR_IRQS)
		return false;
	irq = intid < VGIC_NR_PRIV ? &g->cpu[vcpu].priv[intid] : &g->spi[intid - VGIC_NR_PRIV];
	if (state & 3) {
		irq->active = (state & 2) ? 1 : 0;
		/* still in its list register, so still not ready; if it never was in one (a
		 * caller's bug), active may have changed whether it is */
		if (!irq->in_lr) {
			uint64_t *w = &g->cpu[vgic_irq_vcpu(g, vcpu, intid)].ready[0];

			if (vgic_irq_live(irq))
				w[vgic_ready_word(intid)] |= vgic_ready_bit(intid);
			else
				w[vgic_ready_word(intid)] &= ~vgic_ready_bit(intid);
		}
		return false;
	}
	irq->active = 0;
	irq->in_lr = 0;
	/* neither active nor in a list register now: it can only have become ready (its bit was
	 * clear while it was either, and is right already if it was neither) */
	if (vgic_irq_live(irq)) {
		t = vgic_irq_vcpu(g, vcpu, intid);
		g->cpu[t].ready[vgic_ready_word(intid)] |= vgic_ready_bit(intid);
		if (g->ctlr & VGIC_CTLR_EN_GRP1)
			g->dirty |= 1u << t;	/* its target (moved meanwhile?) looks again */
	}
	return true;
}

/* vgic_hw_take - vgic_hw_latch, and the injection fast path for a caller with a free list
 * register: if @intid is now the one interrupt deliverable to @vcpu (vgic_next_pending would
 * name it and nothing else), vgic_lr_load it at once and return its state for the list
 * register (hw and group1 set); @vcpu is not marked dirty (nothing is left for vgic_flush).
 * Otherwise NULL: it stays latched with @vcpu dirty, exactly as after vgic_hw_latch (bad
 * intid / vcpu: nothing changed). */
static inline const struct vgic_irq *vgic_hw_take(struct vgic *g, uint32_t vcpu, uint32_t intid)
{
	struct vgic_cpu *c;
	struct vgic_irq *irq;
	uint64_t bit = vgic_ready_bit(intid);

	_Static_assert(VGIC_WORDS == 2, "the test below is spelt out for two words");
	/* written for the virtual timer: a PPI, so in word 0 of the vCPU's own bitmap */
	if (vcpu >= g->nr_vcpus || intid >= VGIC_NR_PRIV) {
		vgic_hw_latch(g, vcpu, intid);
		return NULL;
	}
	c = &g->cpu[vcpu];
	irq = &c->priv[intid];
	/* deliverable once latched, and nothing else is (its own bit may be set: it may have
	 * been pending already) */
	if (!irq->enabled || !irq->group1 || irq->active || irq->in_lr ||
	    !(g->ctlr & VGIC_CTLR_EN_GRP1) ||
	    ((c->ready[0] | c->ready[1]) && ((c->ready[0] & ~bit) | c->ready[1]))) {
		vgic_hw_latch(g, vcpu, intid);
		return NULL;
	}
	/* latched and at once vgic_lr_load'ed: the latch is consumed, in a list register, so
	 * not ready; nothing else is, so the bitmap is empty */
	irq->hw = 1;
	irq->pending = 0;
	irq->in_lr = 1;
	c->ready[0] = 0;
	/* dirty untouched: nothing deliverable is left, so a set bit costs an idle vgic_flush */
	return irq;
}

#endif
