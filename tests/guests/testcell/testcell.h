/* testcell.h - the test cell's shared definitions: layout constants for head.S, and for the C
 * files the machine constants, register accessors and the helpers main.c gives the tests. */
#ifndef TESTCELL_H
#define TESTCELL_H

#define TC_MAX_CPUS 8		/* CPUs of the DTB the test drives (CELLA_MAX_VCPUS) */
#define TC_NR_SLOTS (TC_MAX_CPUS + 1)	/* per-CPU slots: 0 boot CPU, i + 1 DTB cpu i */
#define TC_STACK_SIZE 16384	/* bytes per slot */
#define TC_FRAME_SIZE 288	/* struct tc_frame */

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

#include "lib/fdt.h"

/* ---- machine constants ------------------------------------------------------------------ */

#define TC_UART_BASE 0x09000000ull	/* console: QEMU virt's and every cell's PL011 */
#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_TXFF (1u << 5)
#define PL011_PERIPHID0 0xfe0
#define PL011_CELLID0 0xff0

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_PIDR2 0xffe8
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_GRP1NS_ARE 0x12u	/* EnableGrp1NS | ARE_NS */

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER_VLPIS (1ull << 1)
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI_FRAME 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400
#define GIC_PRIO 0xa0u
#define GIC_MAX_GICR_REGIONS 4

#define SGI_SELF 3u			/* boot CPU to itself */
#define SGI_CROSS 4u			/* boot CPU to a secondary */

#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK 2u
#define CNTKCTL_EVNTEN (1u << 2)
#define CNTKCTL_EVNTI(bit) ((uint64_t)(bit) << 4)

#define MPIDR_AFF_MASK 0xff00ffffffull

#define ESR_EC(esr) ((uint32_t)((esr) >> 26) & 0x3f)
#define EC_UNKNOWN 0x00
#define EC_DABT_CUR 0x25

/* PSCI 1.1 (Arm DEN0022D) and SMCCC 1.1 (Arm DEN0028) function IDs and return codes */
#define PSCI_VERSION 0x84000000ull
#define PSCI_CPU_OFF 0x84000002ull
#define PSCI_CPU_ON 0xc4000003ull
#define PSCI_AFFINITY_INFO 0xc4000004ull
#define PSCI_SYSTEM_OFF 0x84000008ull
#define PSCI_SYSTEM_RESET 0x84000009ull
#define PSCI_FEATURES 0x8400000aull
#define SMCCC_VERSION 0x80000000ull
#define CELLA_HC_BASE 0xc6000000ull	/* SMCCC vendor-specific hypervisor service range */
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INVALID_ADDRESS (-9)
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

#define TC_CTX_MAGIC 0x7e57ce1100000000ull	/* CPU_ON context id: magic | round << 8 | slot */
#define TC_CTX_TRAPS 0x7e57ce1200000000ull	/* hostile-traps secondary: magic | slot */
#define TC_CTX_STORM 0x7e57ce1300000000ull	/* hostile-storm secondary: magic | slot */
#define TC_CTX_SPI 0x7e57ce1700000000ull	/* spi-cpu-off second vCPU (at tc_churn_entry) */
#define TC_CTX_SPI_POLL 0x7e57ce1800000000ull	/* spi-restart third vCPU (at tc_churn_entry) */
#define TC_CTX_KIND(ctx) ((ctx) & ~0xffffffffull)
#define TC_IRQ_TIMEOUT_MS 2000
#define TC_CPU_TIMEOUT_MS 5000


/* ---- system registers and MMIO ---------------------------------------------------------- */

#define SYSREG_R(name)                                                                 \
	static inline uint64_t read_##name(void)                                       \
	{                                                                              \
		uint64_t v;                                                            \
		__asm__ volatile("mrs %0, " #name : "=r"(v));                          \
		return v;                                                              \
	}
#define SYSREG_W(name)                                                                 \
	static inline void write_##name(uint64_t v)                                    \
	{                                                                              \
		__asm__ volatile("msr " #name ", %0" : : "r"(v) : "memory");           \
	}

SYSREG_R(mpidr_el1)
SYSREG_R(currentel)
SYSREG_R(id_aa64pfr0_el1)
SYSREG_R(cntfrq_el0)
SYSREG_R(cntvct_el0)
SYSREG_R(tpidr_el1)
SYSREG_R(icc_iar1_el1)
SYSREG_R(icc_sre_el1)
SYSREG_W(icc_sre_el1)
SYSREG_W(icc_eoir1_el1)
SYSREG_W(icc_sgi1r_el1)
SYSREG_W(icc_pmr_el1)
SYSREG_W(icc_bpr1_el1)
SYSREG_W(icc_igrpen1_el1)
SYSREG_W(cntv_tval_el0)
SYSREG_W(cntv_cval_el0)
SYSREG_W(cntv_ctl_el0)
SYSREG_W(cntkctl_el1)

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }
static inline void sev(void) { __asm__ volatile("sev" ::: "memory"); }
static inline void wfe(void) { __asm__ volatile("wfe" ::: "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
static inline void irq_mask(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }
static inline void irq_unmask(void) { __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory"); }

/* Single plain loads and stores, no writeback, so a trapping access has a valid syndrome
 * (ESR_EL2.ISV) the hypervisor can emulate. */
static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}


/* ---- shared state (main.c) -------------------------------------------------------------- */

/* An exception frame as head.S saves it. */
struct tc_frame {
	uint64_t x[31];
	uint64_t elr, spsr, esr, far, pad;
};

_Static_assert(sizeof(struct tc_frame) == TC_FRAME_SIZE, "head.S frame layout");

/* what the IRQ handler saw on one CPU */
struct tc_cpu {
	uint64_t rd;			/* its redistributor (RD_base), set by gic_cpu_init */
	volatile uint32_t timer_irqs;
	volatile uint64_t timer_at;	/* CNTVCT when the last timer IRQ was taken */
	volatile uint32_t sgis[16];
	volatile uint32_t other_irqs, last_other;
};

/* the machine, from the DTB (defaults: QEMU virt and cella's cell layout) */
struct tc_plat {
	struct fdt fdt;
	bool have_fdt;
	bool cella;			/* root model "cella,<cell>": running in a cella cell */
	const char *bootargs;
	uint64_t mem_base, mem_size;
	uint64_t gicd;
	uint64_t gicr[GIC_MAX_GICR_REGIONS], gicr_size[GIC_MAX_GICR_REGIONS];
	unsigned nr_gicr;
	uint64_t gicr_stride;		/* 0: 128 KiB, or 256 KiB with GICR_TYPER.VLPIS */
	unsigned nr_cpus;
	uint64_t mpidr[TC_MAX_CPUS];	/* MPIDR affinity fields of each DTB cpu */
	bool psci_smc;			/* conduit from /psci "method" */
	uint32_t vtimer_intid;
	uint64_t uart;
	uint32_t uart_spi;
	uint64_t freq;			/* CNTFRQ_EL0, Hz */
	bool no_tidcp;			/* testcell.quirks=no-tidcp: CPU ignores HCR_EL2.TIDCP */
};

/* an access or call that may raise an exception: the handler records it and skips it */
struct tc_probe {
	uint32_t armed, hits;
	uint64_t esr, far;
	uint64_t elr, spsr;		/* ELR_EL1 before the skip, SPSR_EL1 */
	uint64_t kind;			/* vector index (4: synchronous, current EL with SPx) */
};

extern struct tc_plat tc_plat;
extern struct tc_cpu tc_cpus[TC_NR_SLOTS];
extern volatile struct tc_probe tc_probe;
extern char tc_secondary_entry[];	/* head.S: PSCI CPU_ON entry point */
extern char tc_churn_entry[];		/* head.S: entry of the churn modes' CPUs (slot by MPIDR) */
extern volatile uint32_t tc_boot_slot;	/* slot of the next CPU to start */
extern uint8_t tc_stacks[TC_NR_SLOTS][TC_STACK_SIZE];

/* ---- main.c: entry, reporting, time, calls ---------------------------------------------- */

/* tc_main - boot CPU, C entry: @dtb is the DTB IPA from x0, @load the address the image was
 * entered at, @run the address it runs at (equal unless head.S moved it to its link address). */
void tc_main(uint64_t dtb, uint64_t load, uint64_t run);

/* tc_exception - every exception vector; @kind is the vector index (0-15: group * 4 + type,
 * groups current EL SP0 / SPx / lower EL AArch64 / AArch32, types sync / IRQ / FIQ / SError).
 * The handler may change @f->elr. */
void tc_exception(struct tc_frame *f, uint64_t kind);

/* tc_line - print one console line (cut to stay under 100 characters). */
void tc_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* tc_puts_raw - write @s to the console byte for byte, control characters included. */
void tc_puts_raw(const char *s);

/* tc_check - count and print "PASS <name> (<detail>)" or "FAIL <name>: <detail>"; returns @ok. */
bool tc_check(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* tc_skip - "SKIP <name>: <why>", counted neither way (checks that do not apply natively). */
void tc_skip(const char *name, const char *why);

/* tc_finish - "TESTCELL DONE passed=N failed=M", then PSCI SYSTEM_OFF. */
void tc_finish(void) __attribute__((noreturn));

/* tc_finish_cpu_off - "TESTCELL DONE passed=N failed=M", then PSCI CPU_OFF of this CPU (the
 * last one off stops the cell). */
void tc_finish_cpu_off(void) __attribute__((noreturn));

uint64_t tc_now(void);			/* CNTVCT_EL0 */
uint64_t tc_ms(uint64_t ms);		/* milliseconds in counter ticks */
void tc_delay_ms(uint64_t ms);		/* spin */
unsigned tc_slot(void);			/* this CPU's slot (TPIDR_EL1) */
uint64_t tc_mpidr(void);		/* this CPU's MPIDR affinity fields */

/* tc_smccc - an SMCCC call through the DTB's PSCI conduit (HVC or SMC); returns x0. */
int64_t tc_smccc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* tc_smccc_probe - tc_smccc for a call that may be UNDEFINED: QEMU's built-in PSCI (no
 * hypervisor) may make an HVC/SMC it does not know an undefined instruction. *@undef tells. */
int64_t tc_smccc_probe(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, bool *undef);

/* tc_probe_arm / tc_probe_disarm - around one access that may abort: a synchronous data abort,
 * an UNDEF or an SError at EL1 in between is recorded in tc_probe (the last one; arm clears the
 * record) and skipped. disarm returns the number of exceptions taken. */
void tc_probe_arm(void);
uint32_t tc_probe_disarm(void);

/* tc_arg - the value of the boot argument "@key=<decimal>" (e.g. "testcell.spin-ms"), or @def
 * when it is absent or not a number (with a note). */
uint64_t tc_arg(const char *key, uint64_t def);

/* tc_wait_count - wait until *@count reaches @target (IRQ handler counters) or CNTVCT passes
 * @deadline; @use_wfi sleeps in WFI between checks. Returns false on timeout. */
bool tc_wait_count(volatile uint32_t *count, uint32_t target, uint64_t deadline, bool use_wfi);

/* ---- gic.c: GICv3 distributor, redistributors, CPU interface ---------------------------- */

/* gic_boot_init - check and enable the distributor, then gic_cpu_init(0). Prints PASS/FAIL. */
bool gic_boot_init(void);

/* gic_cpu_init - this CPU's redistributor (found by MPIDR) and CPU interface, for @slot:
 * SGIs/PPIs group 1, SGI_SELF, SGI_CROSS and the virtual timer enabled. @report prints PASS
 * lines too (FAIL lines always). */
bool gic_cpu_init(unsigned slot, bool report);

/* gic_sgi1r_value / gic_send_sgi - ICC_SGI1R_EL1 for SGI @intid to the CPU @mpidr. */
uint64_t gic_sgi1r_value(uint64_t mpidr, uint32_t intid);
void gic_send_sgi(uint64_t mpidr, uint32_t intid);

/* ---- basic.c and hostile.c: the modes --------------------------------------------------- */

void tc_mode_basic(void);
void tc_mode_hostile_oob(void);
void tc_mode_hostile_calls(void);
void tc_mode_hostile_caps(void);	/* caps.c */
void tc_mode_bench_hc(void);		/* caps.c */
void tc_mode_hostile_traps(void);	/* hostile_traps.c */
void tc_mode_hostile_storm(void);
void tc_mode_fp_reset(void);		/* fp.c */
void tc_mode_pmu_el2(void);		/* pmu.c */
void tc_mode_hostile_forge(void);	/* hostile.c */
void tc_mode_spi_cpu_off(void);		/* spi.c */
void tc_mode_spi_restart(void);
void tc_mode_rx_restart(void);		/* rx.c */
void tc_mode_a32_thumb(void);		/* a32.c */
void tc_mode_periodic(void);		/* sched.c */
void tc_mode_bench_switch(void);	/* sched.c */
void tc_mode_spin(void);
void tc_mode_spin_masked(void);
void tc_mode_chan_exchange(void);	/* chan.c */
void tc_mode_chan_ro_write(void);
void tc_mode_chan_peek(void);
void tc_mode_chan_flood(void);
void tc_mode_chan_watch(void);
void tc_mode_chan_pingpong(void);

/* what tc_exception saw when code run by tc_a32_run (a32.S) came back from AArch32 EL0 */
struct tc_a32 {
	uint32_t armed;
	uint64_t r[8], esr, elr;
};
extern volatile struct tc_a32 tc_a32;

/* tc_spi_secondary - the second vCPU of spi-cpu-off (spi.c). Never returns. */
void tc_spi_secondary(void) __attribute__((noreturn));

/* tc_spi_poller - the third vCPU of spi-restart (spi.c). Never returns. */
void tc_spi_poller(void) __attribute__((noreturn));
void tc_mode_hostile_cpu_hammer(void);	/* hostile_psci.c */
void tc_mode_hostile_cpu_churn(void);
void tc_mode_hostile_flood(void);

/* tc_test_vtimer - timer IRQs while spinning, then WFI wake-ups, then the delays; the checks
 * are named @prefix_poll, @prefix_wfi and @prefix_elapsed. */
void tc_test_vtimer(const char *prefix);
void tc_test_sgi_self(const char *name);
bool tc_mpidr_listed(uint64_t mpidr);	/* @mpidr is a cpu of the DTB */

/* tc_secondary_main - a CPU started by PSCI CPU_ON, on the slot tc_boot_slot named;
 * @ctx is the context id it was entered with (x0). Never returns. */
void tc_secondary_main(uint64_t ctx);

/* tc_traps_secondary / tc_storm_secondary - tc_secondary_main for a CPU started with the
 * TC_CTX_TRAPS / TC_CTX_STORM context id (hostile_traps.c). Never return. */
void tc_traps_secondary(void) __attribute__((noreturn));
void tc_storm_secondary(void) __attribute__((noreturn));

/* tc_churn_secondary - a CPU entered at tc_churn_entry with context id @ctx (hostile_psci.c). */
void tc_churn_secondary(uint64_t ctx) __attribute__((noreturn));
#endif

#endif
