/* trap.c - what happens when a guest traps to EL2 (Arm ARM D1.10, ESR_EL2 D13.2.37): SMCCC
 * calls, MMIO emulation, system register traps, physical interrupts; exception injection. */
#include <stdint.h>
#include "arch/aarch64/dabt.h"
#include "arch/aarch64/gicv3.h"
#include "arch/aarch64/insn.h"
#include "arch/aarch64/pmu.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vgic.h"
#include "arch/aarch64/internal.h"
#include "arch/aarch64/smccc.h"
#include "core/exit.h"
#include "lib/err.h"
#include "lib/log.h"

static uint32_t console_intid = INTID_SPURIOUS;	/* the platform UART's (arch_console_irq) */

void arch_console_irq(uint32_t intid, uint64_t mpidr)
{
	console_intid = intid;
	gic_spi_route(intid, mpidr);
}

/* inject_sync - emulate the guest taking a synchronous exception to EL1 with syndrome @esr
 * (EC chosen by the caller for "same EL"; adjusted for EL0) and fault address @far
 * (Arm ARM D1.10.2: vector offset by source EL and stack pointer selection). */
static void inject_sync(struct vcpu *v, uint64_t esr, uint64_t far)
{
	uint64_t spsr = v->arch.regs.pstate, off;
	uint64_t ec = ESR_EC(esr);

	if (spsr & (1u << 4)) {
		off = 0x600;			/* from AArch32 EL0 */
	} else if ((spsr & 0xf) == 0) {
		off = 0x400;			/* from EL0 (AArch64) */
	} else {
		off = (spsr & 1) ? 0x200 : 0x000;	/* EL1h : EL1t */
	}
	if (off >= 0x400 && (ec == 0x25))
		esr = (esr & ~(0x3full << 26)) | (0x24ull << 26);	/* lower-EL data abort */
	write_sysreg(elr_el1, v->arch.regs.pc);
	write_sysreg(spsr_el1, spsr);
	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	v->arch.regs.pc = read_sysreg(vbar_el1) + off;
	v->arch.regs.pstate = PSR_MODE_EL1H | PSR_DAIF;
}

/* inject_dabt - synchronous external abort on a data access to VA @far; @esr is the
 * ESR_EL2 of the original abort, whose WnR (bit 6) the guest's syndrome keeps. */
static void inject_dabt(struct vcpu *v, uint64_t far, uint64_t esr)
{
	inject_sync(v, (0x25ull << 26) | ESR_IL | (esr & (1u << 6)) | 0x10, far);
}

/* inject_undef - the instruction at the guest's PC, which trapped with @esr, is undefined
 * (EC 0, IL as the trapped instruction's). */
static void inject_undef(struct vcpu *v, uint64_t esr)
{
	inject_sync(v, esr & ESR_IL, 0);
}

static void handle_dabt(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);
	uint64_t ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (far & 0xfff);
	struct dabt d = dabt_decode(esr);
	uint64_t val = 0;
	int r;

	vcpu_trap_kind(v, TRAP_ABORT);	/* cell_mmio makes it MMIO on a device's region */

	if (d.s1ptw) {
		cell_guest_fault(v, "stage-1 table walk outside its memory", esr, ipa);
		return;
	}
	if (!d.valid) {
		/* no syndrome (e.g. ldp, or a load with writeback): cannot be emulated */
		if (mmio_find(cell_mmio_bus(vcpu_cell(v)), ipa, 1)) {
			inject_dabt(v, far, esr);
			return;
		}
		cell_guest_fault(v, "data abort outside its memory", esr, ipa);
		return;
	}
	if (d.write)
		val = dabt_store_value(&d, d.reg == 31 ? 0 : v->arch.regs.x[d.reg]);
	r = cell_mmio(v, ipa, d.size, d.write, &val);
	if (r == -ERR_NOENT) {
		/* DFSC 0b0011xx: a permission fault (a write to a read-only channel) */
		cell_guest_fault(v, (esr & 0x3c) == 0x0c ? "write to read-only memory"
							  : "data abort outside its memory and devices",
				 esr, ipa);
		return;
	}
	if (r < 0) {
		inject_dabt(v, far, esr);
		return;
	}
	if (!d.write && d.reg != 31)
		v->arch.regs.x[d.reg] = dabt_load_value(&d, val);
	insn_skip(&v->arch.regs.pc, &v->arch.regs.pstate, esr);	/* 2 bytes for a 16-bit T32 load */
}

#define SYSREG(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))
#define SYS_ICC_SGI1R SYSREG(3, 0, 12, 11, 5)
#define SYS_ICC_ASGI1R SYSREG(3, 0, 12, 11, 6)
#define SYS_ICC_SGI0R SYSREG(3, 0, 12, 11, 7)
#define SYS_CNTP_TVAL SYSREG(3, 3, 14, 2, 0)
#define SYS_CNTP_CTL SYSREG(3, 3, 14, 2, 1)
#define SYS_CNTP_CVAL SYSREG(3, 3, 14, 2, 2)
#define SYS_PMCR SYSREG(3, 3, 9, 12, 0)

/* the ID register op0=3, op1=0, CRn=0, CRm=@crm (1..7), op2=@op2 as this CPU has it */
static uint64_t id_reg_read(uint32_t crm, uint32_t op2)
{
#define ID(m, o) case (m) * 8 + (o): return read_sysreg_s("S3_0_C0_C" #m "_" #o);
#define ID_ROW(m) ID(m, 0) ID(m, 1) ID(m, 2) ID(m, 3) ID(m, 4) ID(m, 5) ID(m, 6) ID(m, 7)
	switch (crm * 8 + op2) {
	ID_ROW(1) ID_ROW(2) ID_ROW(3) ID_ROW(4) ID_ROW(5) ID_ROW(6) ID_ROW(7)
	default:
		return 0;
	}
#undef ID_ROW
#undef ID
}

/* a trapped ID register read (HCR_EL2.TID3): what the CPU has, without SVE and SME, which
 * cella does not switch between vCPUs (Arm ARM D19 ID_AA64PFR0_EL1.SVE [35:32],
 * ID_AA64PFR1_EL1.SME [27:24], ID_AA64ZFR0_EL1, ID_AA64SMFR0_EL1) */
static uint64_t id_reg_guest(uint32_t crm, uint32_t op2)
{
	uint64_t v = id_reg_read(crm, op2);

	if (crm == 4 && op2 == 0)
		v &= ~(0xfull << 32);
	else if (crm == 4 && op2 == 1)
		v &= ~(0xfull << 24);
	else if (crm == 4 && (op2 == 4 || op2 == 5))
		v = 0;
	return v;
}

static void handle_sysreg(struct vcpu *v, uint64_t esr)
{
	uint32_t iss = (uint32_t)(esr & 0x1ffffff);
	uint32_t rt = (iss >> 5) & 0x1f;
	bool read = iss & 1;
	uint64_t val = rt == 31 ? 0 : v->arch.regs.x[rt];
	uint32_t op0 = (iss >> 20) & 3, op1 = (iss >> 14) & 7, crn = (iss >> 10) & 0xf;
	uint32_t crm = (iss >> 1) & 0xf, op2 = (iss >> 17) & 7;

	vcpu_trap_kind(v, TRAP_SYSREG);
	if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7) {
		if (!read)
			goto undef;		/* ID registers are read-only */
		if (rt != 31)
			v->arch.regs.x[rt] = id_reg_guest(crm, op2);
		insn_skip(&v->arch.regs.pc, &v->arch.regs.pstate, esr);
		return;
	}
	/* on a shared pCPU the debug (op0 2) and PMU (op1 3, CRn 9 or 14) registers trap
	 * (MDCR_EL2.TDA, TPM): they are not switched, so a cell sees none: RAZ/WI */
	if (arch_pcpu_is_shared() &&
	    (op0 == 2 || (op0 == 3 && op1 == 3 && (crn == 9 || crn == 14)))) {
		if (read && rt != 31)
			v->arch.regs.x[rt] = 0;
		insn_skip(&v->arch.regs.pc, &v->arch.regs.pstate, esr);
		return;
	}
	switch (iss & ~((0x1fu << 5) | 1u)) {
	case SYS_ICC_SGI1R:
		vcpu_trap_kind(v, TRAP_SGI);
		if (read)
			goto undef;
		spin_lock(&vcpu_cell(v)->arch.vgic_lock);
		vgic_sgi(&vcpu_cell(v)->arch.vgic, vcpu_index(v), val);
		spin_unlock(&vcpu_cell(v)->arch.vgic_lock);
		vgic_kick_dirty(vcpu_cell(v), v);
		break;
	case SYS_ICC_ASGI1R:
	case SYS_ICC_SGI0R:
		if (read)
			goto undef;
		break;			/* group 0 / secure SGIs do not exist for guests: ignored */
	case SYS_CNTP_TVAL:
	case SYS_CNTP_CTL:
	case SYS_CNTP_CVAL:
		/* the EL1 physical timer is cella's: guests use the virtual timer; RAZ/WI */
		if (read && rt != 31)
			v->arch.regs.x[rt] = 0;
		break;
	case SYS_PMCR:
		/* trapped only without FEAT_PMUv3p5: DP stays set so that MDCR_EL2.HPMD also
		 * stops the cycle counter at EL2 (pmu.h) */
		if (read && rt != 31)
			v->arch.regs.x[rt] = read_sysreg(pmcr_el0);
		else if (!read)
			write_sysreg(pmcr_el0, val | PMCR_DP);
		break;
	default:
		goto undef;
	}
	insn_skip(&v->arch.regs.pc, &v->arch.regs.pstate, esr);
	return;
undef:
	inject_undef(v, esr);
}

/* handle_cp15 - a trapped AArch32 MCR/MRC (EC 0x03) or MCRR/MRRC (EC 0x04) to CP15 from EL0:
 * the EL1 physical timer (CNTP_CTL, CNTP_TVAL, CNTP_CVAL) is cella's, so RAZ/WI as for
 * AArch64; PMCR (trapped without FEAT_PMUv3p5) as SYS_PMCR; anything else is UNDEFINED. A
 * trapped instruction whose condition fails is skipped (Arm ARM D13.2.37: such traps are
 * allowed). */
static void handle_cp15(struct vcpu *v, uint64_t esr)
{
	uint32_t iss = (uint32_t)(esr & 0x1ffffff);
	uint32_t rt = (iss >> 5) & 0x1f, rt2 = (iss >> 10) & 0x1f;

	if (a32_cond_passed(esr, v->arch.regs.pstate)) {
		if (cp15_is_pmcr(esr)) {
			/* as SYS_PMCR: the low 32 bits, DP kept set */
			if ((iss & 1) && rt < 15)
				v->arch.regs.x[rt] = read_sysreg(pmcr_el0) & 0xffffffffull;
			else if (!(iss & 1))
				write_sysreg(pmcr_el0, (rt < 15 ? (uint32_t)v->arch.regs.x[rt] : 0) |
						       PMCR_DP);
			insn_skip(&v->arch.regs.pc, &v->arch.regs.pstate, esr);
			return;
		}
		if (!cp15_is_cntp(esr)) {
			inject_undef(v, esr);
			return;
		}
		if (iss & 1) {		/* a read: R0-R14 are X0-X14; R15 (flags) is left alone */
			if (rt < 15)
				v->arch.regs.x[rt] = 0;
			if (ESR_EC(esr) == ESR_EC_CP15_64 && rt2 < 15)
				v->arch.regs.x[rt2] = 0;
		}
	}
	insn_skip(&v->arch.regs.pc, &v->arch.regs.pstate, esr);
}

/* the vendor hypervisor range: cella's hypercalls (hypercall.h, through the core) */
void smccc_cella(struct vcpu *v, uint64_t *x)
{
	vcpu_hypercall(v);
}

static void handle_sync(struct vcpu *v)
{
	uint64_t esr = read_sysreg(esr_el2);

	/* the hypercall path first: a compare chain of EC values would come before it */
	if (__builtin_expect(ESR_EC(esr) == EC_HVC64, 1)) {
		vcpu_trap_kind(v, TRAP_SMCCC);
		if (esr & 0xffff)
			v->arch.regs.x[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
		else
			smccc_call(v, v->arch.regs.x);
		return;
	}
	/* then MMIO, the most frequent trap of a booting Linux (its console); handle_dabt sets
	 * the trap's kind (MMIO per device, or an abort) */
	if (__builtin_expect(ESR_EC(esr) == EC_DABT_LOW, 1)) {
		handle_dabt(v, esr);
		return;
	}
	vcpu_trap_kind(v, TRAP_ABORT);	/* refined below */
	switch (ESR_EC(esr)) {
	case EC_SMC64:
		vcpu_trap_kind(v, TRAP_SMCCC);
		v->arch.regs.pc += 4;	/* a trapped SMC leaves ELR at the SMC itself */
		smccc_call(v, v->arch.regs.x);
		break;
	case EC_SYS64:
		handle_sysreg(v, esr);
		break;
	case EC_WFX:
		/* trapped only on a shared pCPU (HCR_EL2.TWI, TWE); ISS.TI: 0 WFI, 1 WFE, 2 WFIT,
		 * 3 WFET. WFI waits for an interrupt; the others give way and come back (a WFIT
		 * deadline is the guest's to poll). */
		vcpu_trap_kind(v, TRAP_WFX);
		insn_skip(&v->arch.regs.pc, &v->arch.regs.pstate, esr);
		if ((esr & 3) != 0)
			vcpu_yield(v);
		else if (!arch_vcpu_irq_pending(v, read_sysreg(cntpct_el0)))
			vcpu_block(v);
		break;
	case ESR_EC_CP15_32:
	case ESR_EC_CP15_64:
		vcpu_trap_kind(v, TRAP_SYSREG);
		handle_cp15(v, esr);
		break;
	case EC_IABT_LOW:
		cell_guest_fault(v, "instruction fetch outside its memory", esr,
				 ((read_sysreg(hpfar_el2) >> 4) << 12) |
					 (read_sysreg(far_el2) & 0xfff));
		break;
	default:
		cell_guest_fault(v, "unexpected trap", esr, 0);
		break;
	}
}

/* handle_irqs - acknowledge and dispatch every pending physical interrupt; @v is the vCPU
 * pinned to this pCPU if it is running, else NULL. */
static void handle_irqs(struct vcpu *v)
{
	/* the timer PPI belongs to the vCPU loaded here, running or waiting in it (idle) */
	struct vcpu *timer_owner = v ? v : arch_pcpu_loaded();

	if (v && v->arch.on_shared)
		vcpu_exit_loop(v);	/* a kick or the scheduler's timer: choose again */
	for (;;) {
		uint32_t intid = gic_ack();

		if (intid >= INTID_SPURIOUS)
			break;
		gic_eoi(intid);
		if (intid == PPI_VTIMER && timer_owner) {
			vgic_inject_hw(timer_owner, intid);	/* deactivated by the guest (LR.HW) */
			continue;
		}
		if (intid == PPI_MAINT)
			/* underflow is level: it stays asserted while the list registers are
			 * nearly empty, i.e. right after vgic_sync. Disarm it here; vgic_flush
			 * re-arms it if they still overflow. */
			write_sysreg_s(ICH_HCR_EL2, read_sysreg_s(ICH_HCR_EL2) & ~2ull);
		else if (intid == PPI_VTIMER)
			write_sysreg(cntv_ctl_el0, 0);	/* no guest here wants it */
		else if (intid == PPI_HYP_TIMER)
			write_sysreg(cnthp_ctl_el2, 0);	/* a deadline passed: the loop re-arms */
		else if (intid == console_intid)
			console_irq();
		gic_deactivate(intid);
	}
}

/* one guest entry and the handling of its exit */
static inline void vcpu_run_once(struct vcpu *v)
{
	uint64_t reason;

	/* nothing to move into the list registers, or out of them, on most exits: test here
	 * (inline) and call only when there is */
	if (__atomic_load_n(v->arch.vgic_dirty, __ATOMIC_ACQUIRE) & v->arch.dirty_bit)
		vgic_flush(v);
	/* the previous trap's cost: from its exit to this entry (stats.h) */
	if (vcpu_times_traps(v))
		vcpu_trap_enter(v, read_sysreg(cntpct_el0));
	reason = guest_enter(&v->arch.regs);
	if (vcpu_times_traps(v))
		vcpu_trap_exit(v, read_sysreg(cntpct_el0));
	if (v->arch.lr_used)
		vgic_sync(v);
	switch (reason) {
	case EXIT_SYNC:
		handle_sync(v);
		break;
	case EXIT_IRQ:
	case EXIT_FIQ:
		vcpu_trap_kind(v, TRAP_IRQ);
		handle_irqs(v);
		break;
	default:
		vcpu_trap_kind(v, TRAP_ABORT);
		cell_guest_fault(v, "SError", read_sysreg(esr_el2), 0);
		break;
	}
	vcpu_trap_done(v);
}

void arch_vcpu_run(struct vcpu *v)
{
	/* stay here while nothing needs the core's loop (pcpu.c): a trap costs no return to it */
	do
		vcpu_run_once(v);
	while (vcpu_may_continue(v));
}

void arch_idle(void)
{
	wfi();
	handle_irqs(NULL);
}

void arch_wait_until(uint64_t deadline)
{
	write_sysreg(cnthp_cval_el2, deadline);
	write_sysreg(cnthp_ctl_el2, 1);		/* ENABLE, not masked: wakes the WFI */
	isb();
	while (arch_counter() < deadline)
		arch_idle();
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
}

/* an exception taken at EL2 itself: a bug in cella */
void el2_fault(const struct vcpu_regs *r, uint64_t kind)
{
	static const char *const kinds[] = { "synchronous", "IRQ", "FIQ", "SError" };

	log_printf("cella: PANIC: %s exception at EL2\n", kinds[kind & 3]);
	log_printf("  ESR_EL2 %016llx FAR_EL2 %016llx ELR_EL2 %016llx HPFAR_EL2 %016llx\n",
		   (unsigned long long)read_sysreg(esr_el2),
		   (unsigned long long)read_sysreg(far_el2), (unsigned long long)r->pc,
		   (unsigned long long)read_sysreg(hpfar_el2));
	for (int i = 0; i < 31; i += 2)
		log_printf("  x%-2d %016llx  x%-2d %016llx\n", i, (unsigned long long)r->x[i],
			   i + 1, (unsigned long long)(i + 1 < 31 ? r->x[i + 1] : r->pstate));
	arch_halt();
}
