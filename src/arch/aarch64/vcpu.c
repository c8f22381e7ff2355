/* vcpu.c - EL2 configuration per pCPU, vCPU register state, stage-2 roots and VMIDs
 * (Arm ARM D13.2: HCR_EL2, VTCR_EL2, VTTBR_EL2, CPTR_EL2, CNTHCTL_EL2, VMPIDR_EL2). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "arch/aarch64/gicv3.h"
#include "arch/aarch64/pmu.h"
#include "arch/aarch64/psci.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vgic.h"
#include "arch/aarch64/internal.h"
#include "core/exit.h"
#include "lib/err.h"
#include "lib/log.h"

_Static_assert(offsetof(struct vcpu_regs, pc) == REGS_PC, "REGS_PC");
_Static_assert(offsetof(struct vcpu_regs, pstate) == REGS_PSTATE, "REGS_PSTATE");
_Static_assert(sizeof(struct vcpu_regs) == REGS_SIZE, "REGS_SIZE");
_Static_assert(offsetof(struct fpsimd_state, fpcr) == 512, "fpsimd.S layout");

/* TID3: the ID registers are emulated so that guests do not see SVE or SME (trap.c) */
#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | \
		   HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_RW | HCR_APK | HCR_API | HCR_TID3)
/* CPTR_EL2 (nVHE): the RES1 bits, TZ (SVE) and TSM (SME): guests have neither */
#define CPTR_GUEST (0x22ffull | (1ull << 8) | (1ull << 12))
#define MDCR_TPM (1ull << 6)
#define MDCR_TDA (1ull << 9)

/* per pCPU (TPIDR_EL2 index): shared by several vCPUs, and which vCPU its registers hold */
static bool pcpu_shared[CELLA_MAX_PCPUS];
static struct vcpu *pcpu_loaded[CELLA_MAX_PCPUS];
static uint64_t pcpu_mdcr[CELLA_MAX_PCPUS];
#define SCTLR_EL1_RESET 0x30d00800ull	/* RES1 bits; MMU and caches off */

/* .noinit: not zeroed at boot (cella.ld); a stack needs no initial contents */
uint8_t pcpu_stacks[CELLA_MAX_PCPUS][STACK_SIZE] __attribute__((aligned(16), section(".noinit")));

/* stage-2 tables below the roots, for all cells: a fixed pool */
#define S2_POOL_PAGES 256
static uint64_t s2_pool[S2_POOL_PAGES][512] __attribute__((aligned(4096), section(".noinit")));
static uint32_t s2_pool_next;
static spinlock_t s2_pool_lock = SPINLOCK_INIT;

static uint64_t *s2_alloc_table(void *ctx, pa_t *pa)
{
	uint64_t *t = NULL;

	spin_lock(&s2_pool_lock);
	if (s2_pool_next < S2_POOL_PAGES)
		t = s2_pool[s2_pool_next++];
	spin_unlock(&s2_pool_lock);
	if (t)
		memset(t, 0, sizeof(s2_pool[0]));	/* .noinit: zeroed here, not at boot */
	if (t)
		*pa = (pa_t)(uintptr_t)t;	/* EL2 identity map: VA == PA */
	return t;
}

static void *s2_pa_to_va(void *ctx, pa_t pa)
{
	return (void *)(uintptr_t)pa;
}

static unsigned parange_bits(void)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	uint64_t pa = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return pa < 7 ? bits[pa] : 48;
}

void arch_irqchip_init(uint64_t gicd_pa)
{
	gic_dist_init(gicd_pa);
}

int arch_pcpu_init(uint32_t pcpu, uint64_t mpidr, uint64_t gicr_pa)
{
	unsigned ps = parange_bits();

	write_sysreg(tpidr_el2, pcpu);
	write_sysreg(hcr_el2, HCR_GUEST & ~HCR_VM);
	write_sysreg(vtcr_el2, stage2_vtcr(ps > 40 ? 40 : ps));
	write_sysreg(cptr_el2, CPTR_GUEST);	/* FP/SIMD free; SVE and SME trap */
	write_sysreg(cnthctl_el2, 1ull);	/* EL1PCTEN: counter free, EL1 phys timer traps */
	write_sysreg(cntvoff_el2, 0);		/* guests see the physical count as is */
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	/* the PMU shows a cell nothing of EL2 (pmu.h); PMCR_EL0 traps only without PMUv3p5 */
	pcpu_mdcr[pcpu % CELLA_MAX_PCPUS] = pmu_mdcr_el2(read_sysreg(mdcr_el2),
							 read_sysreg(id_aa64dfr0_el1));
	write_sysreg(mdcr_el2, pcpu_mdcr[pcpu % CELLA_MAX_PCPUS]);
	isb();
	vgic_hw_init();
	return gic_cpu_init(gicr_pa, mpidr) ? -ERR_NOENT : 0;
}

static bool pauth_present(void)
{
	return ((read_sysreg(id_aa64isar1_el1) >> 4) & 0xff) != 0;	/* APA or API */
}

static void el1_restore(const struct el1_sysregs *s)
{
	write_sysreg(sctlr_el1, s->sctlr);
	write_sysreg(ttbr0_el1, s->ttbr0);
	write_sysreg(ttbr1_el1, s->ttbr1);
	write_sysreg(tcr_el1, s->tcr);
	write_sysreg(mair_el1, s->mair);
	write_sysreg(amair_el1, s->amair);
	write_sysreg(vbar_el1, s->vbar);
	write_sysreg(contextidr_el1, s->contextidr);
	write_sysreg(tpidr_el0, s->tpidr_el0);
	write_sysreg(tpidr_el1, s->tpidr_el1);
	write_sysreg(tpidrro_el0, s->tpidrro_el0);
	write_sysreg(sp_el0, s->sp_el0);
	write_sysreg(sp_el1, s->sp_el1);
	write_sysreg(elr_el1, s->elr);
	write_sysreg(spsr_el1, s->spsr);
	write_sysreg(esr_el1, s->esr);
	write_sysreg(far_el1, s->far);
	write_sysreg(afsr0_el1, s->afsr0);
	write_sysreg(afsr1_el1, s->afsr1);
	write_sysreg(par_el1, s->par);
	write_sysreg(cpacr_el1, s->cpacr);
	write_sysreg(cntkctl_el1, s->cntkctl);
	write_sysreg(csselr_el1, s->csselr);
	write_sysreg(mdscr_el1, s->mdscr);
	write_sysreg(cntv_cval_el0, s->cntv_cval);
	write_sysreg(cntv_ctl_el0, s->cntv_ctl);
	if (pauth_present()) {
		write_sysreg_s(APIAKEYLO_EL1, s->apia[0]);
		write_sysreg_s(APIAKEYHI_EL1, s->apia[1]);
		write_sysreg_s(APIBKEYLO_EL1, s->apib[0]);
		write_sysreg_s(APIBKEYHI_EL1, s->apib[1]);
		write_sysreg_s(APDAKEYLO_EL1, s->apda[0]);
		write_sysreg_s(APDAKEYHI_EL1, s->apda[1]);
		write_sysreg_s(APDBKEYLO_EL1, s->apdb[0]);
		write_sysreg_s(APDBKEYHI_EL1, s->apdb[1]);
		write_sysreg_s(APGAKEYLO_EL1, s->apga[0]);
		write_sysreg_s(APGAKEYHI_EL1, s->apga[1]);
	}
	isb();
}

bool arch_pcpu_is_shared(void)
{
	return pcpu_shared[arch_pcpu_id() % CELLA_MAX_PCPUS];
}

struct vcpu *arch_pcpu_loaded(void)
{
	return pcpu_loaded[arch_pcpu_id() % CELLA_MAX_PCPUS];
}

void arch_pcpu_set_shared(bool shared)
{
	uint32_t me = arch_pcpu_id() % CELLA_MAX_PCPUS;
	uint64_t mdcr = pcpu_mdcr[me];

	pcpu_shared[me] = shared;
	if (shared)
		mdcr |= MDCR_TPM | MDCR_TDA;
	write_sysreg(mdcr_el2, mdcr);
	isb();
}

void arch_vcpu_load(struct vcpu *v)
{
	write_sysreg(vttbr_el2, vcpu_cell(v)->arch.vttbr);
	write_sysreg(vmpidr_el2, v->arch.vmpidr);
	write_sysreg(hcr_el2, HCR_GUEST | (arch_pcpu_is_shared() ? HCR_TWI | HCR_TWE : 0));
	isb();
}

static void el1_save(struct el1_sysregs *s)
{
	s->sctlr = read_sysreg(sctlr_el1);
	s->ttbr0 = read_sysreg(ttbr0_el1);
	s->ttbr1 = read_sysreg(ttbr1_el1);
	s->tcr = read_sysreg(tcr_el1);
	s->mair = read_sysreg(mair_el1);
	s->amair = read_sysreg(amair_el1);
	s->vbar = read_sysreg(vbar_el1);
	s->contextidr = read_sysreg(contextidr_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->tpidrro_el0 = read_sysreg(tpidrro_el0);
	s->sp_el0 = read_sysreg(sp_el0);
	s->sp_el1 = read_sysreg(sp_el1);
	s->elr = read_sysreg(elr_el1);
	s->spsr = read_sysreg(spsr_el1);
	s->esr = read_sysreg(esr_el1);
	s->far = read_sysreg(far_el1);
	s->afsr0 = read_sysreg(afsr0_el1);
	s->afsr1 = read_sysreg(afsr1_el1);
	s->par = read_sysreg(par_el1);
	s->cpacr = read_sysreg(cpacr_el1);
	s->cntkctl = read_sysreg(cntkctl_el1);
	s->csselr = read_sysreg(csselr_el1);
	s->mdscr = read_sysreg(mdscr_el1);
	s->cntv_ctl = read_sysreg(cntv_ctl_el0);
	s->cntv_cval = read_sysreg(cntv_cval_el0);
	if (pauth_present()) {
		s->apia[0] = read_sysreg_s(APIAKEYLO_EL1);
		s->apia[1] = read_sysreg_s(APIAKEYHI_EL1);
		s->apib[0] = read_sysreg_s(APIBKEYLO_EL1);
		s->apib[1] = read_sysreg_s(APIBKEYHI_EL1);
		s->apda[0] = read_sysreg_s(APDAKEYLO_EL1);
		s->apda[1] = read_sysreg_s(APDAKEYHI_EL1);
		s->apdb[0] = read_sysreg_s(APDBKEYLO_EL1);
		s->apdb[1] = read_sysreg_s(APDBKEYHI_EL1);
		s->apga[0] = read_sysreg_s(APGAKEYLO_EL1);
		s->apga[1] = read_sysreg_s(APGAKEYHI_EL1);
	}
}

void arch_vcpu_switch(struct vcpu *from, struct vcpu *to)
{
	uint32_t me = arch_pcpu_id() % CELLA_MAX_PCPUS;

	if (from) {
		el1_save(&from->arch.el1);
		write_sysreg(cntv_ctl_el0, 0);	/* its timer stays quiet while it is away */
		fpsimd_save(&from->arch.fp);
		vgic_vcpu_put(from);
	}
	arch_vcpu_load(to);
	el1_restore(&to->arch.el1);
	fpsimd_restore(&to->arch.fp);
	vgic_vcpu_load(to);
	to->arch.on_shared = pcpu_shared[me];
	pcpu_loaded[me] = to;
	/* its timer fired while it was away: deliver that now, not through an exit right after
	 * entry; the PPI is made active as for a forwarded interrupt in flight (LR.HW), so the
	 * guest's deactivation ends it (IHI 0069 11.2.1) */
	isb();
	if (!to->arch.vtimer_active && (read_sysreg(cntv_ctl_el0) & 7) == 5) {
		gic_ppi_set_active(PPI_VTIMER);
		vgic_inject_hw(to, PPI_VTIMER);
	}
}

uint64_t arch_vcpu_timer_deadline(struct vcpu *v)
{
	uint64_t ctl, cval;

	if (arch_pcpu_loaded() == v) {
		ctl = read_sysreg(cntv_ctl_el0);
		cval = read_sysreg(cntv_cval_el0);
	} else {
		ctl = v->arch.el1.cntv_ctl;
		cval = v->arch.el1.cntv_cval;
	}
	return (ctl & 3) == 1 ? cval : UINT64_MAX;	/* ENABLE set, IMASK clear */
}

bool arch_vcpu_irq_pending(struct vcpu *v, uint64_t now)
{
	return arch_vcpu_timer_deadline(v) <= now || vgic_vcpu_has_pending(v);
}

void arch_timer_event(uint64_t deadline)
{
	if (deadline == UINT64_MAX) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, deadline);
		write_sysreg(cnthp_ctl_el2, 1);		/* ENABLE, not masked */
	}
	isb();
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	struct vcpu_regs *r = &v->arch.regs;

	memset(r, 0, sizeof(*r));
	vcpu_trap_reset(v);
	r->x[0] = x0;
	r->pc = entry;
	r->pstate = PSR_MODE_EL1H | PSR_DAIF;
	memset(&v->arch.el1, 0, sizeof(v->arch.el1));
	v->arch.el1.sctlr = SCTLR_EL1_RESET;
	/* Aff0 = vCPU index; bit 31 RES1 */
	v->arch.vmpidr = (1ull << 31) | (vcpu_affinity(v) & MPIDR_AFF_MASK);
	arch_vcpu_load(v);
	el1_restore(&v->arch.el1);
	fpsimd_reset();		/* nothing of cella's copies or an earlier vCPU leaks in */
	write_sysreg_s(ICC_SRE_EL1, 0x7);	/* SRE, DFB, DIB: the guest uses system registers */
	vgic_vcpu_reset(v);
}

void arch_vcpu_park(struct vcpu *v)
{
	vgic_vcpu_park(v);
}

int arch_cell_create(struct cell *c, uint64_t ram_ipa, uint64_t ram_pa, uint64_t ram_size,
		     uint64_t gicd_ipa, uint64_t gicr_ipa)
{
	struct cell_arch *a = &c->arch;
	uint32_t id = cell_index(c);
	/* one 8 KiB, 8 KiB aligned root per cell (two concatenated level-1 tables) */
	static uint64_t roots[CELLA_MAX_CELLS][1024]
		__attribute__((aligned(8192), section(".noinit")));	/* zeroed below */
	uint64_t *root;
	int r;

	if (id >= CELLA_MAX_CELLS)
		return -ERR_RANGE;
	root = roots[id];
	memset(root, 0, sizeof(roots[0]));
	if (stage2_init(&a->s2, root, (pa_t)(uintptr_t)root, s2_alloc_table, s2_pa_to_va, NULL))
		return -ERR_INVAL;
	a->vttbr = (uint64_t)(uintptr_t)root | ((uint64_t)(id + 1) << 48);	/* VMID id+1 */
	for (uint32_t i = 0; i < cell_nr_vcpus(c); i++) {
		cell_vcpu(c, i)->arch.vgic_dirty = &a->vgic.dirty;
		cell_vcpu(c, i)->arch.dirty_bit = 1u << i;
	}
	r = stage2_map(&a->s2, ram_ipa, ram_pa, ram_size, S2_MEM_RWX);
	return r ? r : vgic_frames_create(c, gicd_ipa, gicr_ipa);
}

int arch_cell_map(struct cell *c, uint64_t ipa, uint64_t pa, uint64_t size, bool writable)
{
	return stage2_map(&c->arch.s2, ipa, pa, size, writable ? S2_MEM_RWX : S2_MEM_RO);
}

void arch_cell_flush_tlb(struct cell *c)
{
	uint64_t old = read_sysreg(vttbr_el2);

	write_sysreg(vttbr_el2, c->arch.vttbr);
	isb();
	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	__asm__ volatile("ic ialluis" : : : "memory");
	dsb(ish);
	write_sysreg(vttbr_el2, old);
	isb();
}

void arch_kick_pcpu(uint64_t mpidr)
{
	gic_send_sgi(SGI_KICK, mpidr);
}

void arch_halt(void)
{
	for (;;) {
		__asm__ volatile("msr daifset, #0xf");
		wfi();
	}
}

static uint64_t firmware_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			   "x14", "x15", "x16", "x17", "memory");
	return x0;
}

int64_t arch_pcpu_start(uint64_t mpidr, uint32_t index)
{
	extern char secondary_entry[];

	return (int64_t)firmware_smc(PSCI_0_2_FN64_CPU_ON, mpidr,
				     (uint64_t)(uintptr_t)secondary_entry, index);
}

void arch_system_off(void)
{
	firmware_smc(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	arch_halt();
}

uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}
