/* gic.h - the component's GICv3 driver: the distributor and this CPU's redistributor frames
 * (emulated by cella) and the CPU interface through system registers (the virtual CPU interface,
 * acknowledge and EOI in hardware). Group 1 interrupts only, EOImode 0 (EOI deactivates).
 * Arm GICv3/v4 architecture specification IHI 0069H: chapter 12 (registers), 4.1 (CPU
 * interface), 3.1 (INTID ranges: SGI 0-15, PPI 16-31, SPI 32-1019). */
#ifndef RT_GIC_H
#define RT_GIC_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_SPURIOUS 1023u		/* ICC_IAR1_EL1 with nothing pending */
#define GIC_MAX_INTID 1020u
#define GIC_PRIO_DEFAULT 0xa0u

/* gic_irq_fn - an interrupt handler: called in IRQ context (PSTATE.I set) with the INTID and
 * the argument given to gic_irq_set_handler; the runtime writes the EOI after it returns. */
typedef void (*gic_irq_fn)(uint32_t intid, void *arg);

/* gic_init - enable the distributor (GICD_CTLR.ARE_NS | EnableGrp1NS), find this CPU's
 * redistributor by GICR_TYPER.Affinity_Value (IHI 0069H, GICR_TYPER), wake it (GICR_WAKER),
 * enable the CPU interface: ICC_SRE_EL1.SRE, ICC_PMR_EL1 = 0xff, ICC_IGRPEN1_EL1 = 1. @gicd and
 * the @nr_gicr redistributor regions @gicr[]/@gicr_size[] are IPAs (= VAs) from the DTB's
 * "arm,gic-v3" reg, mapped as device memory. Does not unmask PSTATE.I.
 * Returns 0, or -1 (no redistributor matches this CPU's MPIDR, or it does not wake). */
int gic_init(uint64_t gicd, const uint64_t *gicr, const uint64_t *gicr_size, unsigned nr_gicr);

/* gic_enable_ppi - PPI or SGI @intid (0-31) in this CPU's redistributor: group 1, priority
 * @prio (lower is more urgent; the virtual interface may ignore low bits), enabled
 * (GICR_IGROUPR0, GICR_IPRIORITYR<n>, GICR_ISENABLER0). Returns 0, -1 if @intid >= 32. */
int gic_enable_ppi(uint32_t intid, uint8_t prio);

/* gic_enable_spi - SPI @intid (32-1019) at the distributor: group 1, priority @prio, level
 * (@edge false) or edge triggered (GICD_ICFGR), routed to this CPU (GICD_IROUTER<n>), enabled
 * (GICD_ISENABLER<n>). Returns 0, -1 if @intid is not an SPI or above GICD_TYPER's count. */
int gic_enable_spi(uint32_t intid, uint8_t prio, bool edge);

/* gic_disable - stop forwarding @intid (GICR_ICENABLER0 or GICD_ICENABLER<n>), and wait for
 * the write to take effect (RWP). */
void gic_disable(uint32_t intid);

/* gic_send_sgi - make SGI @intid (0-15) pending on the CPU with MPIDR affinity @mpidr
 * (ICC_SGI1R_EL1, IHI 0069H: TargetList, Aff1-3, RS; cella traps and delivers it). */
void gic_send_sgi(uint64_t mpidr, uint32_t intid);

/* gic_irq_set_handler - call @fn(@intid, @arg) when @intid is taken (NULL: ignore it; an
 * unhandled INTID is counted and acknowledged). Returns 0, -1 if @intid >= GIC_MAX_INTID. */
int gic_irq_set_handler(uint32_t intid, gic_irq_fn fn, void *arg);

/* gic_ack - acknowledge the highest-priority pending group-1 interrupt (ICC_IAR1_EL1); returns
 * its INTID or GIC_SPURIOUS. gic_eoi - end it (ICC_EOIR1_EL1: priority drop and deactivate). */
uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);

/* gic_poll - for code that runs with PSTATE.I masked (e.g. after cella_wait or chan_call):
 * acknowledge every pending interrupt, call the handler of each (as gic_handle_irqs) and EOI
 * it, without taking the IRQ exception. Returns how many of them were @intid (its handler, if
 * any, runs too). */
unsigned gic_poll(uint32_t intid);

/* gic_handle_irqs - the IRQ exception's body: acknowledge, dispatch and EOI until nothing is
 * pending. Called by the runtime's vector; a component does not call it. */
void gic_handle_irqs(void);

/* gic_unhandled - how many interrupts arrived with no handler registered. */
uint32_t gic_unhandled(void);

#endif
