/* vgic_model.h - a cell's virtual GICv3 distributor and redistributors as a register model
 * (GICv3/v4 Architecture Specification IHI 0069, ch. 12 "GIC memory-mapped registers").
 *
 * Pure C, no EL2 dependencies: MMIO traps from the guest are decoded by the caller into
 * (offset, size, direction, value) and handed here; list-register injection (vgic.c) asks the
 * model for pending interrupts. Everything the guest writes is hostile: unknown or reserved
 * offsets are RAZ/WI, bad sizes or alignment are refused so the caller can inject an abort.
 * The caller holds the cell's vGIC lock around every call.
 *
 * Interrupt IDs: SGIs 0-15 and PPIs 16-31 are per vCPU (redistributor), SPIs 32 ..
 * 32 + VGIC_NR_SPIS - 1 are per cell (distributor). The guest sees only Group 1 non-secure,
 * affinity routing enabled (GICD_CTLR.ARE_NS RAO/WI, DS = 1), no LPIs, no ITS.
 */
#ifndef CELLA_ARCH_VGIC_MODEL_H
#define CELLA_ARCH_VGIC_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/util.h"

#define VGIC_NR_PRIV 32
#define VGIC_NR_SPIS 96			/* SPIs 32..127: GICD_TYPER.ITLinesNumber = 3 */
#define VGIC_NR_IRQS (VGIC_NR_PRIV + VGIC_NR_SPIS)
#define VGIC_GICD_SIZE 0x10000ull	/* one 64 KiB frame */
#define VGIC_GICR_STRIDE 0x20000ull	/* RD_base + SGI_base frames per vCPU */
#define VGIC_PRIO_BITS 5		/* ICH_VTR_EL2.PRIbits + 1 on QEMU: priorities step 8 */

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
 * or NULL if @intid is out of range or @vcpu >= nr_vcpus. */
struct vgic_irq *vgic_irq_get(struct vgic *g, uint32_t vcpu, uint32_t intid);

/* vgic_set_level - drive the input line of @intid (PPI: of vCPU @vcpu; SPI: @vcpu ignored).
 * A rising edge latches pending for edge-triggered interrupts; for level-sensitive ones the
 * interrupt is pending while the level is high. Marks the target vCPU dirty.
 * Returns 0 or -ERR_INVAL (bad intid / vcpu). */
int vgic_set_level(struct vgic *g, uint32_t vcpu, uint32_t intid, bool level);

/* vgic_sgi - emulate a write of @value to ICC_SGI1R_EL1 by vCPU @vcpu (GICv3 spec 12.2.?:
 * INTID bits [27:24], Aff3 [55:48], Aff2 [39:32], Aff1 [23:16], TargetList [15:0], IRM bit 40 =
 * all but self). Latches the SGI pending on each target vCPU, marks them dirty.
 * Returns the bitmask of vCPUs targeted (0 if none match). */
uint32_t vgic_sgi(struct vgic *g, uint32_t vcpu, uint64_t value);

/* vgic_next_pending - the highest-priority interrupt (lowest value; ties by lowest INTID)
 * deliverable to vCPU @vcpu and not already in a list register: enabled, pending (latched or
 * level high), not active, in group 1 with GICD_CTLR.EnableGrp1NS set (for SPIs: routed to
 * @vcpu). Returns the INTID or -1 if none. */
int vgic_next_pending(const struct vgic *g, uint32_t vcpu);

/* vgic_next_pending_more - vgic_next_pending, and *@more = false when no deliverable interrupt
 * other than the one returned exists (so a caller moving them into list registers can stop
 * without scanning again); true when there may be one (it stops counting at priority 0). */
int vgic_next_pending_more(const struct vgic *g, uint32_t vcpu, bool *more);

#endif
