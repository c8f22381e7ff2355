/* gicv3.h - cella's driver for the physical GICv3 (IHI 0069): distributor, this pCPU's
 * redistributor and the system-register CPU interface at EL2. */
#ifndef CELLA_ARCH_GICV3_H
#define CELLA_ARCH_GICV3_H

#include <stdbool.h>
#include <stdint.h>

#define SGI_KICK 0		/* "look at your vCPU": wakes and exits a pCPU */
#define PPI_MAINT 25		/* GIC maintenance interrupt */
#define PPI_HYP_TIMER 26
#define PPI_VTIMER 27
#define INTID_SPURIOUS 1023

/* gic_dist_init - configure the distributor at PA @gicd: all SPIs group 1, disabled,
 * affinity routing on. Boot pCPU only, before the others start. */
void gic_dist_init(uint64_t gicd);

/* gic_cpu_init - wake this pCPU's redistributor (found in the region at PA @gicr by matching
 * @mpidr), enable the kick SGI, the maintenance interrupt and the virtual timer PPI, and turn
 * on the CPU interface with EOImode 1 (priority drop and deactivation split, so a physical
 * interrupt forwarded to a guest stays active until the guest deactivates it).
 * Returns 0 or -ERR_NOENT if no redistributor matches. */
int gic_cpu_init(uint64_t gicr, uint64_t mpidr);

/* gic_ppi_clear_active - make SGI/PPI @intid (< 32) of this pCPU inactive through its
 * redistributor (GICR_ICACTIVER0), whether or not it is active (unlike ICC_DIR_EL1). */
void gic_ppi_clear_active(uint32_t intid);

/* gic_ppi_active, gic_ppi_set_active - read / set the active state of SGI/PPI @intid (< 32)
 * of this pCPU (GICR_ISACTIVER0), e.g. to carry a forwarded interrupt's state across a vCPU
 * switch. */
bool gic_ppi_active(uint32_t intid);
void gic_ppi_set_active(uint32_t intid);

/* gic_spi_route - enable SPI @intid (>= 32), level-sensitive, routed to @mpidr. */
void gic_spi_route(uint32_t intid, uint64_t mpidr);

/* gic_send_sgi - send SGI @sgi (0-15) to the pCPU with affinity @mpidr. */
void gic_send_sgi(uint32_t sgi, uint64_t mpidr);

/* gic_ack / gic_eoi / gic_deactivate - ICC_IAR1_EL1, ICC_EOIR1_EL1 (priority drop),
 * ICC_DIR_EL1 (deactivate). */
uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);
void gic_deactivate(uint32_t intid);

#endif
