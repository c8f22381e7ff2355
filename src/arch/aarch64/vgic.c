/* vgic.c - virtual interrupt injection through the GICv3 list registers (IHI 0069 11.2). */
#include <stdint.h>
#include "arch/aarch64/gicv3.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vgic.h"
#include "arch/aarch64/internal.h"
#include "core/exit.h"

#define LR_STATE_SHIFT 62
#define LR_PENDING (1ull << 62)
#define LR_HW (1ull << 61)
#define LR_GROUP1 (1ull << 60)
#define LR_EOI (1ull << 41)
#define ICH_HCR_EN (1ull << 0)
#define ICH_HCR_UIE (1ull << 1)

static uint32_t nr_lrs;
static uint32_t lr_all;		/* bit per list register: (1 << nr_lrs) - 1 */

static uint64_t lr_read(uint32_t n)
{
	if (!n)		/* the usual one (the virtual timer's): no jump table */
		return read_sysreg_s("S3_4_C12_C12_0");
	switch (n) {
	case 1: return read_sysreg_s("S3_4_C12_C12_1");
	case 2: return read_sysreg_s("S3_4_C12_C12_2");
	case 3: return read_sysreg_s("S3_4_C12_C12_3");
	case 4: return read_sysreg_s("S3_4_C12_C12_4");
	case 5: return read_sysreg_s("S3_4_C12_C12_5");
	case 6: return read_sysreg_s("S3_4_C12_C12_6");
	case 7: return read_sysreg_s("S3_4_C12_C12_7");
	case 8: return read_sysreg_s("S3_4_C12_C13_0");
	case 9: return read_sysreg_s("S3_4_C12_C13_1");
	case 10: return read_sysreg_s("S3_4_C12_C13_2");
	case 11: return read_sysreg_s("S3_4_C12_C13_3");
	case 12: return read_sysreg_s("S3_4_C12_C13_4");
	case 13: return read_sysreg_s("S3_4_C12_C13_5");
	case 14: return read_sysreg_s("S3_4_C12_C13_6");
	default: return read_sysreg_s("S3_4_C12_C13_7");
	}
}

static void lr_write(uint32_t n, uint64_t v)
{
	if (!n) {	/* the usual one (the virtual timer's): no jump table */
		write_sysreg_s("S3_4_C12_C12_0", v);
		return;
	}
	switch (n) {
	case 1: write_sysreg_s("S3_4_C12_C12_1", v); break;
	case 2: write_sysreg_s("S3_4_C12_C12_2", v); break;
	case 3: write_sysreg_s("S3_4_C12_C12_3", v); break;
	case 4: write_sysreg_s("S3_4_C12_C12_4", v); break;
	case 5: write_sysreg_s("S3_4_C12_C12_5", v); break;
	case 6: write_sysreg_s("S3_4_C12_C12_6", v); break;
	case 7: write_sysreg_s("S3_4_C12_C12_7", v); break;
	case 8: write_sysreg_s("S3_4_C12_C13_0", v); break;
	case 9: write_sysreg_s("S3_4_C12_C13_1", v); break;
	case 10: write_sysreg_s("S3_4_C12_C13_2", v); break;
	case 11: write_sysreg_s("S3_4_C12_C13_3", v); break;
	case 12: write_sysreg_s("S3_4_C12_C13_4", v); break;
	case 13: write_sysreg_s("S3_4_C12_C13_5", v); break;
	case 14: write_sysreg_s("S3_4_C12_C13_6", v); break;
	default: write_sysreg_s("S3_4_C12_C13_7", v); break;
	}
}

static uint32_t nr_aprs;		/* active priority registers per group: 1, 2 or 4 */

void vgic_hw_init(void)
{
	uint64_t vtr = read_sysreg_s(ICH_VTR_EL2);
	uint32_t pre = (uint32_t)((vtr >> 26) & 7) + 1;	/* preemption bits (PREbits + 1) */

	nr_lrs = (uint32_t)(vtr & 0x1f) + 1;
	if (nr_lrs > VGIC_MAX_LRS)
		nr_lrs = VGIC_MAX_LRS;
	lr_all = (1u << nr_lrs) - 1;
	nr_aprs = pre >= 7 ? 4 : pre == 6 ? 2 : 1;	/* IHI 0069 12.4.1, ICH_AP1R<n>_EL2 */
	for (uint32_t n = 0; n < nr_lrs; n++)
		lr_write(n, 0);		/* the reset value is UNKNOWN */
}

static void apr_save(uint64_t *ap0, uint64_t *ap1)
{
	ap0[0] = read_sysreg_s(ICH_AP0R0_EL2);
	ap1[0] = read_sysreg_s(ICH_AP1R0_EL2);
	if (nr_aprs > 1) {
		ap0[1] = read_sysreg_s(ICH_AP0R1_EL2);
		ap1[1] = read_sysreg_s(ICH_AP1R1_EL2);
	}
	if (nr_aprs > 2) {
		ap0[2] = read_sysreg_s(ICH_AP0R2_EL2);
		ap1[2] = read_sysreg_s(ICH_AP1R2_EL2);
		ap0[3] = read_sysreg_s(ICH_AP0R3_EL2);
		ap1[3] = read_sysreg_s(ICH_AP1R3_EL2);
	}
}

static void apr_restore(const uint64_t *ap0, const uint64_t *ap1)
{
	write_sysreg_s(ICH_AP0R0_EL2, ap0[0]);
	write_sysreg_s(ICH_AP1R0_EL2, ap1[0]);
	if (nr_aprs > 1) {
		write_sysreg_s(ICH_AP0R1_EL2, ap0[1]);
		write_sysreg_s(ICH_AP1R1_EL2, ap1[1]);
	}
	if (nr_aprs > 2) {
		write_sysreg_s(ICH_AP0R2_EL2, ap0[2]);
		write_sysreg_s(ICH_AP1R2_EL2, ap1[2]);
		write_sysreg_s(ICH_AP0R3_EL2, ap0[3]);
		write_sysreg_s(ICH_AP1R3_EL2, ap1[3]);
	}
}

void vgic_vcpu_put(struct vcpu *v)
{
	struct vcpu_arch *a = &v->arch;
	uint32_t used = a->lr_used;

	for (uint32_t n; used; used &= used - 1) {
		n = (uint32_t)__builtin_ctz(used);
		a->lr_val[n] = lr_read(n);
		lr_write(n, 0);
	}
	a->vmcr = read_sysreg_s(ICH_VMCR_EL2);
	a->ich_hcr = read_sysreg_s(ICH_HCR_EL2);
	apr_save(a->ap0r, a->ap1r);
	/* a forwarded timer interrupt in flight (vgic_inject_hw set the hint) stays active until
	 * its guest deactivates it: carry that over, and free the PPI for the next vCPU's timer */
	if (a->vtimer_active && (a->vtimer_active = gic_ppi_active(PPI_VTIMER)))
		gic_ppi_clear_active(PPI_VTIMER);
	write_sysreg_s(ICH_HCR_EL2, ICH_HCR_EN);
	isb();
}

void vgic_vcpu_load(struct vcpu *v)
{
	struct vcpu_arch *a = &v->arch;
	uint32_t used = a->lr_used;

	/* the others are zero: emptied by vgic_vcpu_put, vgic_sync or vgic_hw_init, and the
	 * PPI inactive (vgic_vcpu_put) */
	for (; used; used &= used - 1)
		lr_write((uint32_t)__builtin_ctz(used), a->lr_val[__builtin_ctz(used)]);
	write_sysreg_s(ICH_VMCR_EL2, a->vmcr);
	apr_restore(a->ap0r, a->ap1r);
	write_sysreg_s(ICH_HCR_EL2, a->ich_hcr | ICH_HCR_EN);
	if (a->vtimer_active)
		gic_ppi_set_active(PPI_VTIMER);
	isb();
}

bool vgic_vcpu_has_pending(struct vcpu *v)
{
	struct vcpu_arch *a = &v->arch;
	bool loaded = arch_pcpu_loaded() == v;
	uint32_t used = a->lr_used;

	if (__atomic_load_n(&vcpu_cell(v)->arch.vgic.dirty, __ATOMIC_ACQUIRE) &
	    (1u << vcpu_index(v)))
		return true;
	while (used) {
		uint32_t n = (uint32_t)__builtin_ctz(used);
		uint64_t lr = loaded ? lr_read(n) : a->lr_val[n];

		used &= ~(1u << n);
		if ((lr >> LR_STATE_SHIFT) & 1)		/* pending, or pending and active */
			return true;
	}
	return false;
}

void vgic_vcpu_park(struct vcpu *v)
{
	struct vgic *g = &vcpu_cell(v)->arch.vgic;
	uint32_t used = v->arch.lr_used;

	if (!used)
		return;
	spin_lock(&vcpu_cell(v)->arch.vgic_lock);
	while (used) {
		uint32_t n = (uint32_t)__builtin_ctz(used);
		uint64_t lr = lr_read(n);

		used &= ~(1u << n);
		lr_write(n, 0);
		/* an interrupt this vCPU took dies with it (nobody will EOI it); one it had not
		 * taken is pending again, for whichever vCPU it is routed to now. A level-sensitive
		 * one whose line is still high pends again through its level. */
		vgic_lr_park(g, vcpu_index(v), v->arch.lr_intid[n], (lr >> LR_STATE_SHIFT) & 1);
	}
	v->arch.lr_used = 0;
	g->dirty |= (1u << g->nr_vcpus) - 1;	/* every vCPU looks again */
	spin_unlock(&vcpu_cell(v)->arch.vgic_lock);
	vgic_kick_dirty(vcpu_cell(v), v);
}

void vgic_vcpu_reset(struct vcpu *v)
{
	static const uint64_t zero[4];

	/* vgic_vcpu_park folded back what the list registers held when the vCPU last went off,
	 * and a cell reload reinitialised the model: nothing here refers to the model */
	for (uint32_t n = 0; n < nr_lrs; n++)
		lr_write(n, 0);
	v->arch.lr_used = 0;
	v->arch.vmcr = 0;
	v->arch.vtimer_active = false;
	write_sysreg_s(ICH_VMCR_EL2, 0);
	apr_restore(zero, zero);
	write_sysreg_s(ICH_HCR_EL2, ICH_HCR_EN);
	/* a virtual timer interrupt the old guest never finished must not stay active */
	write_sysreg(cntv_ctl_el0, 0);
	gic_ppi_clear_active(PPI_VTIMER);
	isb();
}

/* list register @n (free) of @v, running here, takes @intid, which vgic_lr_load gave @irq */
static inline void lr_fill(struct vcpu *v, uint32_t n, uint32_t intid, const struct vgic_irq *irq)
{
	uint64_t lr = (uint64_t)intid | ((uint64_t)irq->priority << 48) | LR_PENDING;

	if (irq->group1)
		lr |= LR_GROUP1;
	if (irq->hw)
		lr |= LR_HW | ((uint64_t)intid << 32);
	else if (!irq->edge)
		lr |= LR_EOI;	/* maintenance interrupt on EOI: resample the level */
	v->arch.lr_used |= 1u << n;
	v->arch.lr_intid[n] = intid;
	lr_write(n, lr);
}

/* lr_fill for what vgic_hw_take gives: group 1, backed by the physical @intid */
static inline void lr_fill_hw(struct vcpu *v, uint32_t n, uint32_t intid, uint8_t priority)
{
	v->arch.lr_used |= 1u << n;
	v->arch.lr_intid[n] = intid;
	lr_write(n, (uint64_t)intid | ((uint64_t)intid << 32) | ((uint64_t)priority << 48) |
		    LR_PENDING | LR_GROUP1 | LR_HW);
}

void vgic_flush(struct vcpu *v)
{
	struct vgic *g = &vcpu_cell(v)->arch.vgic;
	uint32_t bit = 1u << vcpu_index(v);
	bool overflow = false, more = true;
	int intid;

	/* racy read as a hint: writers set the bit under the lock and then kick us */
	if (!(__atomic_load_n(&g->dirty, __ATOMIC_ACQUIRE) & bit))
		return;
	spin_lock(&vcpu_cell(v)->arch.vgic_lock);
	g->dirty &= ~bit;
	while (more && (intid = vgic_next_pending_more(g, vcpu_index(v), &more)) >= 0) {
		uint32_t free = ~v->arch.lr_used & lr_all;
		uint32_t n;

		if (!free) {
			overflow = true;
			break;
		}
		n = (uint32_t)__builtin_ctz(free);
		/* the latch is consumed (a high level re-pends), in_lr until vgic_sync frees it */
		lr_fill(v, n, (uint32_t)intid, vgic_lr_load(g, vcpu_index(v), (uint32_t)intid));
	}
	if (overflow)
		g->dirty |= bit;
	spin_unlock(&vcpu_cell(v)->arch.vgic_lock);
	/* underflow maintenance interrupt: come back when list registers free up */
	write_sysreg_s(ICH_HCR_EL2, ICH_HCR_EN | (overflow ? ICH_HCR_UIE : 0));
}

void vgic_sync(struct vcpu *v)
{
	struct cell *c = vcpu_cell(v);	/* kept in a register across the lock */
	struct vgic *g = &c->arch.vgic;
	uint32_t used = v->arch.lr_used, me = vcpu_index(v);

	if (!used)
		return;
	spin_lock(&c->arch.vgic_lock);
	while (used) {
		uint32_t n = (uint32_t)__builtin_ctz(used);
		uint64_t lr = lr_read(n);
		uint32_t state = (uint32_t)(lr >> LR_STATE_SHIFT);

		used &= ~(1u << n);
		/* active follows the list register; state 0: the guest is done with it. If it
		 * pends again (a level still high) the model marks it dirty; others waiting for a
		 * list register kept vgic_flush's dirty bit */
		if (vgic_lr_sync(g, me, v->arch.lr_intid[n], state)) {
			v->arch.lr_used &= ~(1u << n);
			lr_write(n, 0);
		}
	}
	spin_unlock(&c->arch.vgic_lock);
}

void vgic_inject_hw(struct vcpu *v, uint32_t intid)
{
	struct cell *c = vcpu_cell(v);	/* kept in a register across the lock */
	struct vgic *g = &c->arch.vgic;
	uint32_t free = ~v->arch.lr_used & lr_all, me = vcpu_index(v);
	const struct vgic_irq *irq;

	spin_lock(&c->arch.vgic_lock);
	/* the common case, it alone is deliverable: into a free list register now, and no
	 * vgic_flush before the guest runs again. Else it waits for vgic_flush, dirty. */
	v->arch.vtimer_active = true;	/* its PPI may be active until vgic_vcpu_put looks */
	if (!free)
		vgic_hw_latch(g, me, intid);
	else if ((irq = vgic_hw_take(g, me, intid)))
		lr_fill_hw(v, (uint32_t)__builtin_ctz(free), intid, irq->priority);
	spin_unlock(&c->arch.vgic_lock);
}

void vgic_kick_dirty(struct cell *c, struct vcpu *self)
{
	uint32_t dirty = __atomic_load_n(&c->arch.vgic.dirty, __ATOMIC_ACQUIRE);

	for (uint32_t i = 0; i < cell_nr_vcpus(c); i++)
		if ((dirty & (1u << i)) && cell_vcpu(c, i) != self)
			vcpu_kick(cell_vcpu(c, i));
}

void arch_virq_set_level(struct cell *c, uint32_t intid, int level)
{
	struct vcpu *me = this_pcpu()->vcpu;

	spin_lock(&c->arch.vgic_lock);
	if (level == VIRQ_PULSE)
		vgic_pulse(&c->arch.vgic, intid);
	else
		vgic_set_level(&c->arch.vgic, 0, intid, level);
	spin_unlock(&c->arch.vgic_lock);
	vgic_kick_dirty(c, me && vcpu_cell(me) == c ? me : NULL);
}

/* ---- the distributor and redistributor frames: MMIO devices of the cell (mmio.h) ---- */

/* the model under the cell's vGIC lock, then kick whoever it made pending */
static int vgic_frame_access(struct cell *c, bool redist, uint32_t vcpu, uint64_t off,
			     unsigned size, bool write, uint64_t *val)
{
	int r;

	spin_lock(&c->arch.vgic_lock);
	r = redist ? vgic_redist_access(&c->arch.vgic, vcpu, off, size, write, val)
		   : vgic_dist_access(&c->arch.vgic, vcpu, off, size, write, val);
	spin_unlock(&c->arch.vgic_lock);
	vgic_kick_dirty(c, cell_vcpu(c, vcpu));
	return r;
}

static int gicd_access(void *dev, uint32_t vcpu, uint64_t off, unsigned size, bool write,
		       uint64_t *val)
{
	return vgic_frame_access(dev, false, vcpu, off, size, write, val);
}

static int gicr_access(void *dev, uint32_t vcpu, uint64_t off, unsigned size, bool write,
		       uint64_t *val)
{
	return vgic_frame_access(dev, true, vcpu, off, size, write, val);
}

/* the model's reset state for the cell's vCPUs and their affinities (no vCPU runs) */
static void vgic_frames_reset(void *dev)
{
	struct cell *c = dev;
	uint64_t mpidr[CELLA_MAX_VCPUS];

	for (uint32_t i = 0; i < cell_nr_vcpus(c); i++)
		mpidr[i] = vcpu_affinity(cell_vcpu(c, i));
	spin_lock(&c->arch.vgic_lock);
	vgic_init(&c->arch.vgic, cell_nr_vcpus(c), mpidr);
	spin_unlock(&c->arch.vgic_lock);
}

/* the GICD reset covers the whole model; the GICR region has none of its own */
static const struct mmio_ops gicd_ops = {
	.name = "vgic-distributor", .access = gicd_access, .reset = vgic_frames_reset,
};
static const struct mmio_ops gicr_ops = { .name = "vgic-redistributors", .access = gicr_access };

int vgic_frames_create(struct cell *c, uint64_t gicd_ipa, uint64_t gicr_ipa)
{
	struct mmio_bus *bus = cell_mmio_bus(c);
	int r;

	vgic_frames_reset(c);
	r = mmio_register(bus, gicd_ipa, VGIC_GICD_SIZE, &gicd_ops, c);
	if (!r)
		r = mmio_register(bus, gicr_ipa, cell_nr_vcpus(c) * VGIC_GICR_STRIDE, &gicr_ops, c);
	return r;
}
