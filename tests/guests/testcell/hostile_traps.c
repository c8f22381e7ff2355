/* hostile_traps.c - hostile modes at the trap boundary: device accesses cella cannot emulate,
 * trapped and forbidden system registers (hostile-traps), and an SGI storm (hostile-storm). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/printf.h"
#include "testcell.h"

#define ESR_IL (1ull << 25)
#define ESR_DFSC(esr) ((uint32_t)(esr) & 0x3f)
#define DFSC_SEA 0x10u			/* synchronous external abort, not on a table walk */
#define DFSC_ALIGN 0x21u		/* alignment fault (the CPU's own, at stage 1) */
#define VEC_SYNC_EL1H 4u		/* tc_exception kind: offset 0x200 from VBAR_EL1 */
#define SPSR_M_EL1H 5u
#define UNDEF_SENTINEL 0x5a5a5a5a5a5a5a5aull

/* What one probed instruction did. */
struct trap_res {
	uint32_t hits;			/* exceptions taken */
	uint64_t esr, far, elr, spsr, kind;
	uint64_t pc;			/* address of the probed instruction */
	uint64_t val;			/* the value read (or the sentinel left in place) */
	uint64_t base;			/* the base register afterwards (writeback forms) */
	bool write;
};

static void trap_done(struct trap_res *r, uint64_t pc)
{
	r->hits = tc_probe_disarm();
	r->esr = tc_probe.esr;
	r->far = tc_probe.far;
	r->elr = tc_probe.elr;
	r->spsr = tc_probe.spsr;
	r->kind = tc_probe.kind;
	r->pc = pc;
	r->val = 0;
	r->write = false;
}

/* ---- the probed instructions: each one at a known address (adr of the label) ------------- */

static void op_ldp32(struct trap_res *r, uint64_t addr)
{
	uint64_t pc, a = 0, b = 0;

	tc_probe_arm();
	__asm__ volatile("adr %0, 1f\n"
			 "1:\tldp %w1, %w2, [%3]"
			 : "=&r"(pc), "+&r"(a), "+&r"(b)
			 : "r"(addr)
			 : "memory");
	trap_done(r, pc);
	r->val = a | b << 32;
}

static void op_stp32(struct trap_res *r, uint64_t addr, uint32_t a, uint32_t b)
{
	uint64_t pc;

	tc_probe_arm();
	__asm__ volatile("adr %0, 1f\n"
			 "1:\tstp %w1, %w2, [%3]"
			 : "=&r"(pc)
			 : "r"(a), "r"(b), "r"(addr)
			 : "memory");
	trap_done(r, pc);
	r->write = true;
	r->val = a | (uint64_t)b << 32;
}

static void op_ldr_post(struct trap_res *r, uint64_t addr)
{
	uint64_t pc, v = 0, base = addr;

	tc_probe_arm();
	__asm__ volatile("adr %0, 1f\n"
			 "1:\tldr %w1, [%2], #4"
			 : "=&r"(pc), "+&r"(v), "+&r"(base)
			 :
			 : "memory");
	trap_done(r, pc);
	r->val = v;
	r->base = base;
}

static void op_ldr_pre(struct trap_res *r, uint64_t addr)
{
	uint64_t pc, v = 0, base = addr;

	tc_probe_arm();
	__asm__ volatile("adr %0, 1f\n"
			 "1:\tldr %w1, [%2, #4]!"
			 : "=&r"(pc), "+&r"(v), "+&r"(base)
			 :
			 : "memory");
	trap_done(r, pc);
	r->val = v;
	r->base = base;
}

/* one load or store of @insn ("ldrh %w1, [%2]"...) at @addr, recorded in @r */
#define OP_LOAD(fn, insn)							\
	static void fn(struct trap_res *r, uint64_t addr)			\
	{									\
		uint64_t pc, v = 0;						\
										\
		tc_probe_arm();							\
		__asm__ volatile("adr %0, 1f\n1:\t" insn			\
				 : "=&r"(pc), "+&r"(v)				\
				 : "r"(addr)					\
				 : "memory");					\
		trap_done(r, pc);						\
		r->val = v;							\
	}
#define OP_STORE(fn, insn)							\
	static void fn(struct trap_res *r, uint64_t addr, uint64_t v)		\
	{									\
		uint64_t pc;							\
										\
		tc_probe_arm();							\
		__asm__ volatile("adr %0, 1f\n1:\t" insn			\
				 : "=&r"(pc)					\
				 : "r"(v), "r"(addr)				\
				 : "memory");					\
		trap_done(r, pc);						\
		r->write = true;						\
		r->val = v;							\
	}

OP_LOAD(op_ldrh, "ldrh %w1, [%2]")
OP_LOAD(op_ldr32, "ldr %w1, [%2]")
OP_LOAD(op_ldr64, "ldr %1, [%2]")
OP_STORE(op_strh, "strh %w1, [%2]")
OP_STORE(op_str64, "str %1, [%2]")

/* An MRS/MSR of a register named in the assembler's generic S<op0>_<op1>_C<n>_C<m>_<op2> form
 * (the same text for gcc and clang). A read leaves the sentinel if the instruction is skipped. */
#define OP_MRS(fn, reg)                                                                \
	static void fn(struct trap_res *r)                                             \
	{                                                                              \
		uint64_t pc, v = UNDEF_SENTINEL;                                       \
                                                                                       \
		tc_probe_arm();                                                        \
		__asm__ volatile("adr %0, 1f\n"                                        \
				 "1:\tmrs %1, " reg                                    \
				 : "=&r"(pc), "+&r"(v)                                 \
				 :                                                     \
				 : "memory");                                          \
		trap_done(r, pc);                                                      \
		r->val = v;                                                            \
	}
#define OP_MSR(fn, reg)                                                                \
	static void fn(struct trap_res *r, uint64_t v)                                 \
	{                                                                              \
		uint64_t pc;                                                           \
                                                                                       \
		tc_probe_arm();                                                        \
		__asm__ volatile("adr %0, 1f\n"                                        \
				 "1:\tmsr " reg ", %1\n\t"                             \
				 "isb"                                                 \
				 : "=&r"(pc)                                           \
				 : "r"(v)                                              \
				 : "memory");                                          \
		trap_done(r, pc);                                                      \
		r->val = v;                                                            \
		r->write = true;                                                       \
	}

OP_MRS(op_mrs_impdef_c15_0, "S3_0_C15_C0_0")
OP_MRS(op_mrs_impdef_c15_1, "S3_1_C15_C2_0")
OP_MRS(op_mrs_impdef_c11, "S3_0_C11_C0_0")
OP_MRS(op_mrs_actlr, "S3_0_C1_C0_1")		/* ACTLR_EL1 */
OP_MSR(op_msr_actlr, "S3_0_C1_C0_1")
OP_MRS(op_mrs_cntp_ctl, "S3_3_C14_C2_1")	/* CNTP_CTL_EL0 */
OP_MRS(op_mrs_cntp_cval, "S3_3_C14_C2_2")	/* CNTP_CVAL_EL0 */
OP_MRS(op_mrs_cntp_tval, "S3_3_C14_C2_0")	/* CNTP_TVAL_EL0 */
OP_MSR(op_msr_cntp_ctl, "S3_3_C14_C2_1")
OP_MSR(op_msr_cntp_cval, "S3_3_C14_C2_2")
OP_MSR(op_msr_cntp_tval, "S3_3_C14_C2_0")
OP_MSR(op_msr_icc_sgi0r, "S3_0_C12_C11_7")	/* ICC_SGI0R_EL1 */
OP_MSR(op_msr_icc_asgi1r, "S3_0_C12_C11_6")	/* ICC_ASGI1R_EL1 */

/* ---- judging the outcome ---------------------------------------------------------------- */

/* exactly one synchronous external abort at the current EL through VBAR_EL1 + 0x200, with
 * the syndrome (WnR set for stores), fault address and return address cella promises (DFSC 0x21 also accepted
 * where @align_ok: then the CPU refused the misaligned access before cella saw it) */
static bool is_sea(const struct trap_res *r, uint64_t addr, bool align_ok)
{
	uint32_t dfsc = ESR_DFSC(r->esr);

	return r->hits == 1 && r->kind == VEC_SYNC_EL1H && ESR_EC(r->esr) == EC_DABT_CUR &&
	       (r->esr & ESR_IL) && (dfsc == DFSC_SEA || (align_ok && dfsc == DFSC_ALIGN)) &&
	       ((r->esr >> 6) & 1) == (r->write ? 1u : 0u) &&	/* WnR: a store says so */
	       r->far == addr && r->elr == r->pc && (r->spsr & 0xf) == SPSR_M_EL1H;
}

static void describe(char *buf, size_t n, const struct trap_res *r)
{
	if (!r->hits)
		cella_snprintf(buf, n, "no exception, the access completed (%s 0x%lx)",
			       r->write ? "wrote" : "read", (unsigned long)r->val);
	else
		cella_snprintf(buf, n, "%u exc: vec %lu esr 0x%lx far 0x%lx elr%+ld spsr 0x%lx",
			       r->hits, (unsigned long)r->kind, (unsigned long)r->esr,
			       (unsigned long)r->far, (long)(r->elr - r->pc),
			       (unsigned long)r->spsr);
}

/* The outcome of an access cella must answer with an abort. @extra: a further condition
 * (e.g. no base writeback), @extra_why what it means when it fails. */
static void report_abort(const char *name, const struct trap_res *r, uint64_t addr,
			 bool align_ok, bool extra, const char *extra_why)
{
	char why[80];
	bool ok = is_sea(r, addr, align_ok);

	if (ok && extra) {
		tc_check(true, name, "ESR 0x%lx FAR 0x%lx ELR=insn vec+0x200",
			 (unsigned long)r->esr, (unsigned long)r->far);
		return;
	}
	if (ok)
		cella_snprintf(why, sizeof(why), "%s", extra_why);
	else
		describe(why, sizeof(why), r);
	if (!tc_plat.cella) {
		tc_skip(name, r->hits ? "native: the GIC/UART aborts differently" :
					"native: the real device accepts it");
		tc_line("  native %s: %s", name, why);
		return;
	}
	tc_check(false, name, "%s", why);
}

/* An access that must raise UNDEF (EC 0, IL, ISS 0) with ELR at it and leave no result.
 * @impdef: an IMPLEMENTATION DEFINED register, which cella traps with HCR_EL2.TIDCP. */
static void report_undef(const char *name, const struct trap_res *r, bool is_read, bool impdef)
{
	char why[80];
	bool ok = r->hits == 1 && r->kind == VEC_SYNC_EL1H && r->esr == ESR_IL &&
		  r->elr == r->pc && (r->spsr & 0xf) == SPSR_M_EL1H &&
		  (!is_read || r->val == UNDEF_SENTINEL);

	if (ok) {
		tc_check(true, name, "UNDEF: ESR 0x%lx ELR=insn vec+0x200",
			 (unsigned long)r->esr);
		return;
	}
	if (!r->hits)
		cella_snprintf(why, sizeof(why), "no exception: %s 0x%lx",
			       r->write ? "wrote" : "read", (unsigned long)r->val);
	else
		describe(why, sizeof(why), r);
	if (!tc_plat.cella) {
		tc_skip(name, "native: the CPU implements the register");
		tc_line("  native %s: %s", name, why);
		return;
	}
	if (impdef && !r->hits && tc_plat.no_tidcp) {
		tc_skip(name, "testcell.quirks=no-tidcp: the CPU does not trap it to EL2");
		tc_line("  %s: %s", name, why);
		return;
	}
	tc_check(false, name, "%s", why);
}

/* ---- hostile-traps ---------------------------------------------------------------------- */

/* what the secondary saw, for the boot CPU to report */
static volatile struct {
	uint32_t done;
	struct trap_res ldp, impdef, cntp;
} tr_sec;

static void traps_devices(void)
{
	uint64_t gicd = tc_plat.gicd, rd = tc_cpus[0].rd, uart = tc_plat.uart;
	uint32_t ctlr = mmio_read32(gicd + GICD_CTLR), typer = mmio_read32(gicd + GICD_TYPER);
	uint32_t ctlr_after, typer_after;
	struct trap_res r;

	op_ldp32(&r, gicd + GICD_CTLR);
	report_abort("hostile_trap_ldp_gicd", &r, gicd + GICD_CTLR, false, true, "");

	/* GICR_CTLR and GICR_IIDR as they are: harmless should a GIC accept it */
	op_stp32(&r, rd + GICR_CTLR, mmio_read32(rd + GICR_CTLR), mmio_read32(rd + 0x4));
	report_abort("hostile_trap_stp_gicr", &r, rd + GICR_CTLR, false, true, "");

	op_ldr_post(&r, uart + PL011_PERIPHID0);
	report_abort("hostile_trap_ldr_post_pl011", &r, uart + PL011_PERIPHID0, false,
		     r.base == uart + PL011_PERIPHID0, "base register written back");
	op_ldr_pre(&r, uart + PL011_PERIPHID0);
	report_abort("hostile_trap_ldr_pre_pl011", &r, uart + PL011_PERIPHID0 + 4, false,
		     r.base == uart + PL011_PERIPHID0, "base register written back");

	/* GICD_CTLR is a 32-bit register: 2- and 8-byte accesses are refused. The writes would
	 * turn the distributor off if they were taken. */
	op_ldrh(&r, gicd + GICD_CTLR);
	report_abort("hostile_trap_ldrh_gicd_ctlr", &r, gicd + GICD_CTLR, false, true, "");
	op_strh(&r, gicd + GICD_CTLR, 0);
	report_abort("hostile_trap_strh_gicd_ctlr", &r, gicd + GICD_CTLR, false, true, "");
	op_ldr64(&r, gicd + GICD_CTLR);
	report_abort("hostile_trap_ldr64_gicd_ctlr", &r, gicd + GICD_CTLR, false, true, "");
	op_str64(&r, gicd + GICD_CTLR, 0);
	report_abort("hostile_trap_str64_gicd_ctlr", &r, gicd + GICD_CTLR, false, true, "");

	op_ldr32(&r, gicd + 0x2);
	report_abort("hostile_trap_misaligned_gicd", &r, gicd + 0x2, true, true, "");

	/* after all that the distributor still answers and was not changed */
	tc_probe_arm();
	typer_after = mmio_read32(gicd + GICD_TYPER);
	ctlr_after = mmio_read32(gicd + GICD_CTLR);
	r.hits = tc_probe_disarm();
	tc_check(!r.hits && typer_after == typer, "hostile_trap_gicd_typer_after",
		 "GICD_TYPER 0x%x (before 0x%x), %u exceptions", typer_after, typer, r.hits);
	if (!tc_plat.cella && (ctlr_after & GICD_CTLR_GRP1NS_ARE) != GICD_CTLR_GRP1NS_ARE)
		tc_skip("hostile_trap_gicd_ctlr_intact", "native: the GIC took a refused write");
	else
		tc_check((ctlr_after & GICD_CTLR_GRP1NS_ARE) == GICD_CTLR_GRP1NS_ARE,
			 "hostile_trap_gicd_ctlr_intact", "GICD_CTLR 0x%x (before 0x%x)",
			 ctlr_after, ctlr);
	mmio_write32(gicd + GICD_CTLR, ctlr);	/* a native GIC may have taken a write */
}

static void traps_timer(void)
{
	struct trap_res ctl, cval, tval, w[3];
	uint32_t hits;
	bool zero;

	op_mrs_cntp_ctl(&ctl);
	op_mrs_cntp_cval(&cval);
	op_mrs_cntp_tval(&tval);
	hits = ctl.hits + cval.hits + tval.hits;
	zero = !ctl.val && !cval.val && !tval.val;
	if (!tc_plat.cella && !hits && !zero)
		tc_skip("hostile_trap_cntp_read", "native: the EL1 physical timer is the CPU's");
	else
		tc_check(!hits && zero, "hostile_trap_cntp_read",
			 "CTL 0x%lx CVAL 0x%lx TVAL 0x%lx, %u exceptions", (unsigned long)ctl.val,
			 (unsigned long)cval.val, (unsigned long)tval.val, hits);

	/* enabled but masked, due at once: a CPU that took it would show ISTATUS */
	op_msr_cntp_cval(&w[0], tc_now());
	op_msr_cntp_tval(&w[1], 1);
	op_msr_cntp_ctl(&w[2], CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
	hits = w[0].hits + w[1].hits + w[2].hits;
	op_mrs_cntp_ctl(&ctl);
	op_mrs_cntp_cval(&cval);
	op_mrs_cntp_tval(&tval);
	hits += ctl.hits + cval.hits + tval.hits;
	zero = !ctl.val && !cval.val && !tval.val;
	if (!tc_plat.cella && !hits && !zero)
		tc_skip("hostile_trap_cntp_write", "native: the EL1 physical timer is the CPU's");
	else
		tc_check(!hits && zero, "hostile_trap_cntp_write",
			 "writes ignored: CTL 0x%lx CVAL 0x%lx TVAL 0x%lx, %u exc",
			 (unsigned long)ctl.val, (unsigned long)cval.val, (unsigned long)tval.val,
			 hits);
	op_msr_cntp_ctl(&w[0], 0);		/* native: stop it again */
}

/* A group 0 / other-security-state SGI register write: ignored, no exception, nothing taken. */
static void traps_sgi(const char *name, void (*op)(struct trap_res *, uint64_t))
{
	struct tc_cpu *c = &tc_cpus[tc_slot()];
	uint64_t val = gic_sgi1r_value(tc_mpidr(), SGI_SELF);
	uint32_t before = c->sgis[SGI_SELF], got;
	struct trap_res r;

	op(&r, val);
	tc_delay_ms(20);			/* IRQs are unmasked: anything delivered is taken */
	got = c->sgis[SGI_SELF] - before;
	if (!tc_plat.cella && !r.hits && got)
		tc_skip(name, "native: the GIC delivered it");
	else
		tc_check(!r.hits && !got, name,
			 "write 0x%lx: %u exceptions, INTID %u taken %u times", (unsigned long)val,
			 r.hits, SGI_SELF, got);
}

static void traps_sysregs(void)
{
	struct trap_res r;

	traps_sgi("hostile_trap_icc_sgi0r", op_msr_icc_sgi0r);
	traps_sgi("hostile_trap_icc_asgi1r", op_msr_icc_asgi1r);

	op_mrs_impdef_c15_0(&r);
	report_undef("hostile_trap_impdef_s3_0_c15_c0_0", &r, true, true);
	op_mrs_impdef_c15_1(&r);
	report_undef("hostile_trap_impdef_s3_1_c15_c2_0", &r, true, true);
	op_mrs_impdef_c11(&r);
	report_undef("hostile_trap_impdef_s3_0_c11_c0_0", &r, true, true);
	op_mrs_actlr(&r);
	report_undef("hostile_trap_actlr_read", &r, true, false);
	if (r.hits || tc_plat.cella) {
		op_msr_actlr(&r, 0);
		report_undef("hostile_trap_actlr_write", &r, false, false);
	} else {
		/* the CPU lets us at ACTLR: write back what is there */
		op_msr_actlr(&r, r.val);
		report_undef("hostile_trap_actlr_write", &r, false, false);
	}
}

/* The secondary repeats a few of the checks on its own vCPU (cella injects into the EL1
 * registers of the pCPU it runs on), then turns itself off. */
void tc_traps_secondary(void)
{
	struct trap_res r;

	write_cntkctl_el1(CNTKCTL_EVNTEN | CNTKCTL_EVNTI(10));
	op_ldp32(&r, tc_plat.gicd + GICD_CTLR);
	tr_sec.ldp = r;
	op_mrs_impdef_c15_0(&r);
	tr_sec.impdef = r;
	op_mrs_cntp_ctl(&r);
	tr_sec.cntp = r;
	dsb_sy();
	tr_sec.done = 1;
	dsb_sy();
	sev();
	tc_smccc(PSCI_CPU_OFF, 0, 0, 0);
	tc_line("FAIL hostile_trap_secondary: CPU_OFF returned");
	for (;;)
		wfi();
}

static void traps_secondary(void)
{
	uint64_t self = tc_mpidr(), mpidr = 0, end;
	unsigned slot = 0;
	struct trap_res r;
	int64_t ret;
	char name[48];

	for (unsigned i = 0; i < tc_plat.nr_cpus && !slot; i++)
		if (tc_plat.mpidr[i] != self) {
			mpidr = tc_plat.mpidr[i];
			slot = i + 1;
		}
	if (!slot) {
		tc_skip("hostile_trap_secondary", "the DTB lists one cpu");
		return;
	}
	tr_sec.done = 0;
	tc_boot_slot = slot;
	dsb_sy();
	cella_snprintf(name, sizeof(name), "hostile_trap_cpu_on 0x%lx", (unsigned long)mpidr);
	ret = tc_smccc(PSCI_CPU_ON, mpidr, (uint64_t)(uintptr_t)tc_secondary_entry,
		       TC_CTX_TRAPS | slot);
	end = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
	while (ret == 0 && !tr_sec.done && tc_now() < end)
		wfe();
	dsb_sy();
	if (!tc_check(ret == 0 && tr_sec.done, name, "CPU_ON returned %ld, %s", (long)ret,
		      tr_sec.done ? "it reported" : "no report"))
		return;

	r = tr_sec.ldp;
	cella_snprintf(name, sizeof(name), "hostile_trap_ldp_gicd 0x%lx", (unsigned long)mpidr);
	report_abort(name, &r, tc_plat.gicd + GICD_CTLR, false, true, "");
	r = tr_sec.impdef;
	cella_snprintf(name, sizeof(name), "hostile_trap_impdef 0x%lx", (unsigned long)mpidr);
	report_undef(name, &r, true, true);
	r = tr_sec.cntp;
	cella_snprintf(name, sizeof(name), "hostile_trap_cntp_read 0x%lx", (unsigned long)mpidr);
	if (!tc_plat.cella && !r.hits && r.val)
		tc_skip(name, "native: the EL1 physical timer is the CPU's");
	else
		tc_check(!r.hits && !r.val, name, "CNTP_CTL_EL0 0x%lx, %u exceptions",
			 (unsigned long)r.val, r.hits);

	cella_snprintf(name, sizeof(name), "hostile_trap_cpu_off 0x%lx", (unsigned long)mpidr);
	do {
		ret = tc_smccc(PSCI_AFFINITY_INFO, mpidr, 0, 0);
		if (ret == PSCI_AFF_OFF)
			break;
		tc_delay_ms(1);
	} while (tc_now() < end + tc_ms(TC_CPU_TIMEOUT_MS));
	tc_check(ret == PSCI_AFF_OFF, name, "AFFINITY_INFO %ld", (long)ret);
}

void tc_mode_hostile_traps(void)
{
	struct tc_cpu *c = &tc_cpus[0];

	if (!gic_boot_init()) {
		tc_check(false, "hostile-traps", "GIC setup failed, tests not run");
		return;
	}
	irq_unmask();
	traps_devices();
	traps_timer();
	traps_sysregs();
	traps_secondary();
	tc_test_vtimer("vtimer_after_traps");
	tc_test_sgi_self("sgi_self_after_traps");
	tc_check(c->other_irqs == 0, "hostile_trap_no_stray_irqs",
		 "%u unexpected IRQs, last INTID %u", c->other_irqs, c->last_other);
}

/* ---- hostile-storm ---------------------------------------------------------------------- */

#define STORM_MS 200			/* CNTVCT time the storm lasts */
#define STORM_SETTLE_MS 50		/* then in-flight SGIs land */

static volatile struct {
	uint32_t up[TC_NR_SLOTS];	/* 1 ready, 2 GIC setup failed */
	uint32_t stop;
} storm;

/* all 16 SGIs enabled, group 1, one priority (gic_cpu_init did SGI_SELF and SGI_CROSS) */
static void storm_enable_sgis(uint64_t rd)
{
	uint64_t sgi = rd + GICR_SGI_FRAME;

	for (unsigned i = 0; i < 4; i++)
		mmio_write32(sgi + GICR_IPRIORITYR + 4 * i, GIC_PRIO * 0x01010101u);
	mmio_write32(sgi + GICR_ISENABLER0, 0xffffu);
}

static uint64_t sgi_total(unsigned slot)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < 16; i++)
		n += tc_cpus[slot].sgis[i];
	return n;
}

void tc_storm_secondary(void)
{
	unsigned slot = tc_slot();
	bool ok;

	write_cntkctl_el1(CNTKCTL_EVNTEN | CNTKCTL_EVNTI(10));
	ok = gic_cpu_init(slot, false);
	if (ok)
		storm_enable_sgis(tc_cpus[slot].rd);
	dsb_sy();
	storm.up[slot] = ok ? 1 : 2;
	dsb_sy();
	sev();
	if (ok) {
		irq_unmask();
		while (!storm.stop)
			wfe();	/* woken by IRQs (taken and counted), SEV and the event stream */
	}
	irq_mask();
	tc_smccc(PSCI_CPU_OFF, 0, 0, 0);
	tc_line("FAIL storm_cpu_off: CPU_OFF returned on slot %u", slot);
	for (;;)
		wfi();
}

/* Start every other cpu of the DTB; returns how many came up (their slots in @on). */
static unsigned storm_start(bool on[TC_MAX_CPUS])
{
	uint64_t self = tc_mpidr();
	unsigned n = 0;
	char name[40];

	for (unsigned i = 0; i < tc_plat.nr_cpus; i++) {
		uint64_t end, mpidr = tc_plat.mpidr[i];
		unsigned slot = i + 1;
		int64_t r;

		on[i] = false;
		if (mpidr == self)
			continue;
		storm.up[slot] = 0;
		tc_boot_slot = slot;
		dsb_sy();
		r = tc_smccc(PSCI_CPU_ON, mpidr, (uint64_t)(uintptr_t)tc_secondary_entry,
			     TC_CTX_STORM | slot);
		end = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
		while (r == 0 && !storm.up[slot] && tc_now() < end)
			wfe();
		dsb_sy();
		on[i] = r == 0 && storm.up[slot] == 1;
		n += on[i];
		cella_snprintf(name, sizeof(name), "storm_cpu_on 0x%lx", (unsigned long)mpidr);
		tc_check(on[i], name, "CPU_ON returned %ld, %s", (long)r,
			 storm.up[slot] == 1 ? "GIC ready" :
			 storm.up[slot] ? "GIC setup failed" : "no report");
	}
	return n;
}

void tc_mode_hostile_storm(void)
{
	uint64_t self = tc_mpidr(), sent = 0, received = 0, per[TC_MAX_CPUS], end, t0, elapsed;
	unsigned others, self_i = TC_MAX_CPUS, iter = 0, stray = 0;
	uint32_t intid = 0;
	bool on[TC_MAX_CPUS];
	char name[40];

	if (!gic_boot_init()) {
		tc_check(false, "hostile-storm", "GIC setup failed, tests not run");
		return;
	}
	storm_enable_sgis(tc_cpus[0].rd);
	storm.stop = 0;
	others = storm_start(on);
	for (unsigned i = 0; i < tc_plat.nr_cpus; i++)
		if (tc_plat.mpidr[i] == self) {
			self_i = i;
			on[i] = true;
		}
	for (unsigned s = 0; s < TC_NR_SLOTS; s++)
		for (unsigned i = 0; i < 16; i++)
			tc_cpus[s].sgis[i] = 0;
	dsb_sy();
	tc_line("STORM start: %u ms of SGIs to self and %u other vCPUs", STORM_MS, others);

	irq_unmask();
	t0 = tc_now();
	end = t0 + tc_ms(STORM_MS);
	while (tc_now() < end) {
		for (unsigned i = 0; i < tc_plat.nr_cpus; i++) {
			if (!on[i])
				continue;
			write_icc_sgi1r_el1(gic_sgi1r_value(tc_plat.mpidr[i], intid));
			sent++;
		}
		if (others && (iter & 7) == 7) {
			/* IRM: every vCPU of the cell but this one */
			write_icc_sgi1r_el1(1ull << 40 | (uint64_t)intid << 24);
			sent++;
		}
		intid = (intid + 1) & 15;
		iter++;
	}
	elapsed = tc_now() - t0;
	tc_delay_ms(STORM_SETTLE_MS);

	for (unsigned i = 0; i < tc_plat.nr_cpus; i++) {
		per[i] = on[i] ? sgi_total(i == self_i ? 0 : i + 1) : 0;
		received += per[i];
	}
	tc_check(received > 0, "storm_received",
		 "%lu SGI writes in %lu ms, %lu SGIs taken", (unsigned long)sent,
		 (unsigned long)(elapsed / tc_ms(1)), (unsigned long)received);
	for (unsigned i = 0; i < tc_plat.nr_cpus; i++) {
		if (!on[i])
			continue;
		cella_snprintf(name, sizeof(name), "storm_received 0x%lx",
			       (unsigned long)tc_plat.mpidr[i]);
		tc_check(per[i] > 0, name, "%lu SGIs taken%s", (unsigned long)per[i],
			 i == self_i ? " (the sender)" : "");
	}

	/* the cell is alive: every vCPU still takes one more SGI, then turns itself off */
	for (unsigned i = 0; i < tc_plat.nr_cpus; i++) {
		volatile uint32_t *cnt;
		uint32_t target;
		bool ok;

		if (!on[i] || i == self_i)
			continue;
		cnt = &tc_cpus[i + 1].sgis[SGI_CROSS];
		target = *cnt + 1;
		gic_send_sgi(tc_plat.mpidr[i], SGI_CROSS);
		ok = tc_wait_count(cnt, target, tc_now() + tc_ms(TC_IRQ_TIMEOUT_MS), false);
		cella_snprintf(name, sizeof(name), "storm_sgi_after 0x%lx",
			       (unsigned long)tc_plat.mpidr[i]);
		tc_check(ok, name, "%s INTID %u after the storm", ok ? "took" : "never saw",
			 SGI_CROSS);
	}
	storm.stop = 1;
	dsb_sy();
	sev();
	for (unsigned i = 0; i < tc_plat.nr_cpus; i++) {
		uint64_t stop_by = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
		int64_t r;

		if (!on[i] || i == self_i)
			continue;
		do {
			r = tc_smccc(PSCI_AFFINITY_INFO, tc_plat.mpidr[i], 0, 0);
			if (r == PSCI_AFF_OFF)
				break;
			tc_delay_ms(1);
		} while (tc_now() < stop_by);
		cella_snprintf(name, sizeof(name), "storm_cpu_off 0x%lx",
			       (unsigned long)tc_plat.mpidr[i]);
		tc_check(r == PSCI_AFF_OFF, name, "AFFINITY_INFO %ld", (long)r);
	}

	tc_test_vtimer("vtimer_after_storm");
	tc_test_sgi_self("sgi_self_after_storm");
	for (unsigned s = 0; s < TC_NR_SLOTS; s++)
		stray += tc_cpus[s].other_irqs;
	tc_check(stray == 0, "storm_no_stray_irqs", "%u IRQs that are neither SGIs nor the timer",
		 stray);
	tc_line("STORM done sent=%lu received=%lu", (unsigned long)sent, (unsigned long)received);
}
