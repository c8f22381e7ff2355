/* vgic.h - list-register injection for the virtual GICv3: moves deliverable interrupts from a
 * cell's vGIC model (vgic_model.h) into the vCPU's list registers before it runs and folds
 * back what the guest did with them after it exits (IHI 0069, 11 "Virtualization"). */
#ifndef CELLA_ARCH_VGIC_H
#define CELLA_ARCH_VGIC_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct cell;

/* vgic_hw_init - read how many list registers this pCPU has (ICH_VTR_EL2). */
void vgic_hw_init(void);

/* vgic_vcpu_park - @v (loaded on this pCPU) goes off: give back to its cell's vGIC model
 * what its list registers hold (taken interrupts are no longer active, untaken ones pending
 * again for whichever vCPU they are routed to) and empty them, so nothing is stranded while it
 * is off and nothing stale is left when the cell reloads (IHI 0069 11.2: one interrupt in one
 * list register of one PE at a time). Kicks the vCPUs that may now take them. */
void vgic_vcpu_park(struct vcpu *v);

/* vgic_vcpu_reset - empty the list registers and the virtual CPU interface state of the vCPU
 * running here (it must be the one loaded on this pCPU); the model is not touched. */
void vgic_vcpu_reset(struct vcpu *v);

/* vgic_flush - before entering @v: load its deliverable interrupts into free list registers. */
void vgic_flush(struct vcpu *v);

/* vgic_sync - after @v exits: release list registers the guest has finished with. */
void vgic_sync(struct vcpu *v);

/* vgic_inject_hw - physical PPI @intid (the virtual timer) fired for @v, which runs here:
 * latch it pending for the guest, backed by the physical interrupt (LR.HW), so the guest's
 * deactivation deactivates the physical one. */
void vgic_inject_hw(struct vcpu *v, uint32_t intid);

/* vgic_vcpu_put - @v (loaded here) leaves this pCPU: its list registers, VMCR, active
 * priority registers and ICH_HCR saved into v->arch and cleared; if its virtual timer's
 * physical PPI is active (an LR.HW interrupt the guest has not deactivated), that is saved
 * and the PPI deactivated, so the next vCPU's timer can fire (IHI 0069 11.2). */
void vgic_vcpu_put(struct vcpu *v);

/* vgic_vcpu_load - the reverse of vgic_vcpu_put for @v, about to run here. */
void vgic_vcpu_load(struct vcpu *v);

/* vgic_vcpu_has_pending - an interrupt waits for @v: its dirty bit (the model has news for
 * it) or a list register in the pending state (live if loaded here, else saved). */
bool vgic_vcpu_has_pending(struct vcpu *v);

/* vgic_kick_dirty - kick the pCPUs of the vCPUs of @c whose pending interrupts grew (except
 * @self, the caller's own vCPU, which flushes its list registers before it re-enters). */
void vgic_kick_dirty(struct cell *c, struct vcpu *self);

/* vgic_frames_create - @c's virtual GICv3 distributor at IPA @gicd_ipa and its redistributors
 * (one VGIC_GICR_STRIDE frame per vCPU) at @gicr_ipa, registered on its MMIO bus with the
 * model in reset state. Returns 0 or mmio_register's error. */
int vgic_frames_create(struct cell *c, uint64_t gicd_ipa, uint64_t gicr_ipa);

#endif
