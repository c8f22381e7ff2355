/* main.c - cella's native test cell: checks the virtual machine a cell gets (PSCI, GICv3,
 * virtual timer, SGIs, secondary vCPUs, MMIO emulation) and prints PASS/FAIL lines. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/fdt.h"
#include "lib/printf.h"
#include "testcell.h"

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
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_INVALID_ADDRESS (-9)
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1

#define TC_CTX_MAGIC 0x7e57ce1100000000ull	/* CPU_ON context id: magic | round << 8 | slot */
#define TC_IRQ_TIMEOUT_MS 2000
#define TC_CPU_TIMEOUT_MS 5000
#define TC_LINE 98			/* output line incl. '\n' stays under 100 characters */

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

/* ---- state ------------------------------------------------------------------------------ */

uint8_t tc_stacks[TC_NR_SLOTS][TC_STACK_SIZE] __attribute__((aligned(16)));
volatile uint32_t tc_boot_slot;

/* what the IRQ handler saw on one CPU */
struct tc_cpu {
	uint64_t rd;			/* its redistributor (RD_base) */
	volatile uint32_t timer_irqs;
	volatile uint64_t timer_at;	/* CNTVCT when the last timer IRQ was taken */
	volatile uint32_t sgis[16];
	volatile uint32_t other_irqs, last_other;
};

static struct tc_cpu tc_cpus[TC_NR_SLOTS];

/* the machine, from the DTB (defaults: QEMU virt and cella's cell layout) */
static struct {
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
	uint64_t mpidr[TC_MAX_CPUS];
	bool psci_smc;
	uint32_t vtimer_intid;
	uint64_t uart;
	uint32_t uart_spi;
	uint64_t freq;			/* CNTFRQ_EL0, Hz */
} plat;

static char tc_mode[32];
static unsigned tc_ticks = 40;
static volatile uint32_t tc_passed, tc_failed;

/* the boot CPU's handshake with the secondary it is testing */
static volatile struct {
	uint64_t ctx;			/* context id CPU_ON was given */
	uint32_t round;
	uint32_t up;			/* the secondary reported */
	uint32_t sgi;			/* it took SGI_CROSS */
	uint32_t off_returned;		/* its CPU_OFF came back with off_ret */
	int64_t off_ret;
} tc_sec;

/* an access or call that may raise an exception: the handler records it and skips it */
static volatile struct {
	uint32_t armed, hits;
	uint64_t esr, far;
} tc_probe;

/* ---- console and reporting -------------------------------------------------------------- */

static void uart_putc(char c)
{
	unsigned spins = 0;

	/* bounded: a broken FR must not hang the test */
	while ((mmio_read32(TC_UART_BASE + UART_FR) & UART_FR_TXFF) && spins < 1000000)
		spins++;
	mmio_write32(TC_UART_BASE + UART_DR, (uint8_t)c);
}

static void tc_vline(const char *prefix, const char *fmt, va_list ap)
{
	char buf[TC_LINE];
	size_t n = strlen(prefix);

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, prefix, n);
	cella_vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	for (const char *p = buf; *p; p++)
		uart_putc(*p == '\n' ? ' ' : *p);
	uart_putc('\n');
}

static void tc_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void tc_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tc_vline("", fmt, ap);
	va_end(ap);
}

/* tc_check - "PASS <name> (<detail>)" or "FAIL <name>: <detail>"; returns @ok. */
static bool tc_check(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool tc_check(bool ok, const char *name, const char *fmt, ...)
{
	char detail[80];
	va_list ap;

	va_start(ap, fmt);
	cella_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (ok) {
		tc_passed++;
		tc_line("PASS %s (%s)", name, detail);
	} else {
		tc_failed++;
		tc_line("FAIL %s: %s", name, detail);
	}
	return ok;
}

static void tc_skip(const char *name, const char *why)
{
	tc_line("SKIP %s: %s", name, why);
}

static int64_t tc_smccc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* Final line, then PSCI SYSTEM_OFF. Never returns. */
static void __attribute__((noreturn)) tc_finish(void)
{
	int64_t r;

	tc_line("TESTCELL DONE passed=%u failed=%u", tc_passed, tc_failed);
	r = tc_smccc(PSCI_SYSTEM_OFF, 0, 0, 0);
	tc_line("FAIL system_off: SYSTEM_OFF returned %ld", (long)r);
	for (;;)
		wfi();
}

/* ---- time ------------------------------------------------------------------------------- */

static uint64_t tc_now(void)
{
	isb();
	return read_cntvct_el0();
}

static uint64_t tc_ms(uint64_t ms)
{
	return plat.freq / 1000 * ms;
}

static void tc_delay_ms(uint64_t ms)
{
	uint64_t end = tc_now() + tc_ms(ms);

	while (tc_now() < end)
		;
}

/* ---- SMCCC calls ------------------------------------------------------------------------ */

/* One SMCCC call through the DTB's PSCI conduit; x4-x17 may be clobbered (SMCCC 1.0). */
static int64_t tc_smccc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (plat.psci_smc)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

static void probe_arm(void)
{
	tc_probe.hits = 0;
	tc_probe.armed = 1;
}

static uint32_t probe_disarm(void)
{
	tc_probe.armed = 0;
	return tc_probe.hits;
}

/* A call that may be UNDEFINED: QEMU's built-in PSCI (no hypervisor) answers only PSCI IDs and
 * makes any other HVC/SMC an undefined instruction. *@undef tells which happened. */
static int64_t tc_smccc_probe(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, bool *undef)
{
	int64_t r;

	probe_arm();
	r = tc_smccc(fid, a1, a2, a3);
	*undef = probe_disarm() != 0;
	return r;
}

/* ---- exceptions and interrupts ---------------------------------------------------------- */

static unsigned tc_slot(void)
{
	uint64_t slot = read_tpidr_el1();

	return slot < TC_NR_SLOTS ? (unsigned)slot : 0;
}

static void tc_irq(void)
{
	struct tc_cpu *c = &tc_cpus[tc_slot()];

	for (unsigned n = 0; n < 64; n++) {
		uint64_t iar = read_icc_iar1_el1();
		uint32_t intid = (uint32_t)iar & 0xffffff;

		if (intid >= 1020 && intid <= 1023)
			break;
		if (intid == plat.vtimer_intid) {
			write_cntv_ctl_el0(CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
			isb();
			c->timer_at = tc_now();
			c->timer_irqs++;
		} else if (intid < 16) {
			c->sgis[intid]++;
		} else {
			c->other_irqs++;
			c->last_other = intid;
		}
		write_icc_eoir1_el1(iar);
		isb();
	}
}

/* Names of a vector's group and type. Offsets into one literal rather than a switch: a table
 * of string pointers would hold absolute addresses (see head.S). */
static const char *tc_vector_name(uint64_t kind)
{
	return &"EL1t\0\0\0EL1h\0\0\0EL0-64\0EL0-32"[7 * ((kind >> 2) & 3)];
}

static const char *tc_type_name(uint64_t kind)
{
	return &"sync\0\0\0irq\0\0\0\0fiq\0\0\0\0serror"[7 * (kind & 3)];
}

void tc_exception(struct tc_frame *f, uint64_t kind)
{
	static volatile uint32_t depth;
	unsigned type = kind & 3;

	if (kind == 5) {		/* IRQ at EL1h */
		tc_irq();
		return;
	}
	if (tc_probe.armed && (kind >> 2) == 1) {
		uint32_t ec = ESR_EC(f->esr);

		if (type == 0 && (ec == EC_UNKNOWN || ec == EC_DABT_CUR)) {
			tc_probe.hits++;
			tc_probe.esr = f->esr;
			tc_probe.far = f->far;
			f->elr += 4;	/* skip the probed instruction */
			return;
		}
		if (type == 3) {	/* an asynchronous abort: nothing to skip */
			tc_probe.hits++;
			tc_probe.esr = f->esr;
			tc_probe.far = 0;
			return;
		}
	}
	if (depth++) {			/* the report itself faulted: stop quietly */
		tc_smccc(PSCI_SYSTEM_OFF, 0, 0, 0);
		for (;;)
			wfe();
	}
	tc_failed++;
	tc_line("FAIL exception: %s %s esr=0x%lx elr=0x%lx far=0x%lx cpu=%u", tc_type_name(kind),
		tc_vector_name(kind), (unsigned long)f->esr, (unsigned long)f->elr,
		(unsigned long)f->far, tc_slot());
	tc_finish();
}

/* Wait until *@count reaches @target or CNTVCT passes @deadline. With @use_wfi the CPU sleeps
 * in WFI with IRQs masked (a pending IRQ still wakes it) and takes the IRQ after unmasking, so
 * an interrupt between the check and the WFI is not lost. */
static bool tc_wait_count(volatile uint32_t *count, uint32_t target, uint64_t deadline,
			  bool use_wfi)
{
	for (;;) {
		irq_mask();
		if ((int32_t)(*count - target) >= 0) {
			irq_unmask();
			return true;
		}
		if (tc_now() >= deadline) {
			irq_unmask();
			return false;
		}
		if (use_wfi)
			wfi();
		irq_unmask();
	}
}

/* ---- device tree ------------------------------------------------------------------------ */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void dt_defaults(void)
{
	plat.mem_base = 0x40000000ull;
	plat.mem_size = 0;
	plat.gicd = 0x08000000ull;
	plat.gicr[0] = 0x080a0000ull;
	plat.gicr_size[0] = 0x20000ull;
	plat.nr_gicr = 1;
	plat.vtimer_intid = 27;
	plat.uart = TC_UART_BASE;
	plat.uart_spi = 1;
}

static void dt_cpus(const struct fdt *f)
{
	int cpus = fdt_find_path(f, "/cpus");

	for (int n = cpus >= 0 ? fdt_first_child(f, cpus) : -1; n >= 0; n = fdt_next_sibling(f, n)) {
		const char *type;
		const uint8_t *reg;
		uint32_t len;
		uint64_t mpidr;

		if (fdt_prop_str(f, n, "device_type", &type) || strcmp(type, "cpu"))
			continue;
		reg = fdt_prop(f, n, "reg", &len);
		if (!reg || (len != 4 && len != 8))
			continue;
		mpidr = len == 4 ? be32(reg) : (uint64_t)be32(reg) << 32 | be32(reg + 4);
		if (plat.nr_cpus == TC_MAX_CPUS) {
			tc_line("TESTCELL note: more than %d cpus, the rest are not tested", TC_MAX_CPUS);
			break;
		}
		plat.mpidr[plat.nr_cpus++] = mpidr & MPIDR_AFF_MASK;
	}
}

static void dt_gic(const struct fdt *f)
{
	int gic = fdt_next_compatible(f, -1, "arm,gic-v3");
	uint32_t nr = 1;
	uint64_t a, s;

	if (gic < 0) {
		tc_line("TESTCELL note: no arm,gic-v3 in the DTB, using 0x%lx", (unsigned long)plat.gicd);
		return;
	}
	if (fdt_reg(f, gic, 0, &a, &s) == 0)
		plat.gicd = a;
	fdt_prop_u32(f, gic, "#redistributor-regions", &nr);
	if (nr < 1 || nr > GIC_MAX_GICR_REGIONS)
		nr = 1;
	plat.nr_gicr = 0;
	for (unsigned i = 0; i < nr; i++) {
		if (fdt_reg(f, gic, 1 + i, &a, &s))
			break;
		plat.gicr[plat.nr_gicr] = a;
		plat.gicr_size[plat.nr_gicr++] = s;
	}
	if (fdt_prop_u64(f, gic, "redistributor-stride", &a) == 0)
		plat.gicr_stride = a;
}

static void dt_devices(const struct fdt *f)
{
	int n;
	const uint8_t *p;
	uint32_t len;
	const char *method;
	uint64_t a, s;

	n = fdt_next_compatible(f, -1, "arm,armv8-timer");
	p = n >= 0 ? fdt_prop(f, n, "interrupts", &len) : NULL;
	/* the third <type number flags> triplet is the EL1 virtual timer, a PPI */
	if (p && len >= 36 && be32(p + 24) == 1 && be32(p + 28) < 16)
		plat.vtimer_intid = 16 + be32(p + 28);

	n = fdt_next_compatible(f, -1, "arm,pl011");
	if (n >= 0) {
		if (fdt_reg(f, n, 0, &a, &s) == 0)
			plat.uart = a;
		p = fdt_prop(f, n, "interrupts", &len);
		if (p && len >= 12 && be32(p) == 0)
			plat.uart_spi = be32(p + 4);
	}

	n = fdt_find_path(f, "/psci");
	if (n < 0)
		n = fdt_next_compatible(f, -1, "arm,psci-0.2");
	if (n >= 0 && fdt_prop_str(f, n, "method", &method) == 0)
		plat.psci_smc = strcmp(method, "smc") == 0;
	else
		tc_line("TESTCELL note: no /psci method in the DTB, using hvc");
}

static void dt_parse(uint64_t dtb)
{
	const void *blob = (const void *)(uintptr_t)dtb;
	uint32_t size;
	int n, err;
	const char *model = NULL;

	dt_defaults();
	if (!dtb || (dtb & 7)) {
		tc_check(false, "dtb", "x0=0x%lx is not a DTB address", (unsigned long)dtb);
		return;
	}
	size = fdt_totalsize_hint(blob, 64);
	err = size && size <= 0x200000 ? fdt_open(&plat.fdt, blob, size) : -1;
	if (err) {
		tc_check(false, "dtb", "no valid DTB at 0x%lx (totalsize %u, error %d)",
			 (unsigned long)dtb, size, err);
		return;
	}
	plat.have_fdt = true;
	n = fdt_root(&plat.fdt);
	if (n >= 0 && fdt_prop_str(&plat.fdt, n, "model", &model) == 0)
		plat.cella = strncmp(model, "cella,", 6) == 0;
	n = fdt_find_path(&plat.fdt, "/chosen");
	if (n >= 0)
		fdt_prop_str(&plat.fdt, n, "bootargs", &plat.bootargs);
	n = fdt_find_path(&plat.fdt, "/memory");
	if (n >= 0)
		fdt_reg(&plat.fdt, n, 0, &plat.mem_base, &plat.mem_size);
	dt_cpus(&plat.fdt);
	dt_gic(&plat.fdt);
	dt_devices(&plat.fdt);
	tc_line("TESTCELL dtb=0x%lx size=%u model=%.40s", (unsigned long)dtb, size,
		model ? model : "?");
}

/* testcell.mode=<name> (default basic), testcell.ticks=<n> (default 40) */
static void parse_bootargs(const char *args)
{
	memcpy(tc_mode, "basic", 6);
	for (const char *p = args; p && *p;) {
		const char *tok;
		size_t len;

		while (*p == ' ')
			p++;
		tok = p;
		while (*p && *p != ' ')
			p++;
		len = (size_t)(p - tok);
		if (len > 14 && strncmp(tok, "testcell.mode=", 14) == 0) {
			len -= 14;
			if (len >= sizeof(tc_mode))
				len = sizeof(tc_mode) - 1;
			memcpy(tc_mode, tok + 14, len);
			tc_mode[len] = '\0';
		} else if (len > 15 && strncmp(tok, "testcell.ticks=", 15) == 0) {
			unsigned v = 0;

			for (const char *q = tok + 15; q < p && *q >= '0' && *q <= '9' && v < 100000; q++)
				v = v * 10 + (unsigned)(*q - '0');
			tc_ticks = v;
		}
	}
}

/* ---- GICv3 ------------------------------------------------------------------------------ */

static uint64_t tc_mpidr(void)
{
	return read_mpidr_el1() & MPIDR_AFF_MASK;
}

/* Poll @addr until the bits in @mask clear; false after ~100 ms. */
static bool gic_wait_clear(uint64_t addr, uint32_t mask)
{
	uint64_t end = tc_now() + tc_ms(100);

	while (mmio_read32(addr) & mask)
		if (tc_now() > end)
			return false;
	return true;
}

/* The RD_base of @mpidr's redistributor, by a GICR_TYPER walk; 0 if none matches. */
static uint64_t gicr_find(uint64_t mpidr)
{
	uint32_t aff = (uint32_t)((mpidr >> 32) & 0xff) << 24 | (uint32_t)(mpidr & 0xffffff);

	for (unsigned r = 0; r < plat.nr_gicr; r++) {
		uint64_t off = 0;

		/* bounded by the region and a count: a bogus TYPER must not send us astray */
		for (unsigned n = 0; n < 1024 && off + 0x20000 <= plat.gicr_size[r]; n++) {
			uint64_t typer = mmio_read64(plat.gicr[r] + off + GICR_TYPER);

			if ((uint32_t)(typer >> 32) == aff)
				return plat.gicr[r] + off;
			if (typer & GICR_TYPER_LAST)
				break;
			off += plat.gicr_stride ? plat.gicr_stride
						: (typer & GICR_TYPER_VLPIS ? 0x40000 : 0x20000);
		}
	}
	return 0;
}

static void gicr_set_prio(uint64_t sgi, uint32_t intid, uint8_t prio)
{
	uint64_t reg = sgi + GICR_IPRIORITYR + (intid & ~3u);
	unsigned shift = (intid & 3) * 8;
	uint32_t v = mmio_read32(reg);

	v = (v & ~(0xffu << shift)) | (uint32_t)prio << shift;
	mmio_write32(reg, v);
}

/* Bring up this CPU's redistributor and CPU interface: all SGIs/PPIs group 1, the two test
 * SGIs and the virtual timer enabled. @report prints PASS lines (FAIL lines always). */
static bool gic_cpu_init(unsigned slot, bool report)
{
	uint64_t mpidr = tc_mpidr();
	uint64_t rd = gicr_find(mpidr), sgi;
	uint32_t waker;
	char name[32];

	cella_snprintf(name, sizeof(name), "gicr_found 0x%lx", (unsigned long)mpidr);
	if (!rd) {
		tc_check(false, name, "no GICR_TYPER matches MPIDR 0x%lx", (unsigned long)mpidr);
		return false;
	}
	if (report)
		tc_check(true, name, "RD_base 0x%lx", (unsigned long)rd);
	tc_cpus[slot].rd = rd;

	waker = mmio_read32(rd + GICR_WAKER);
	mmio_write32(rd + GICR_WAKER, waker & ~GICR_WAKER_SLEEP);
	cella_snprintf(name, sizeof(name), "gicr_wake 0x%lx", (unsigned long)mpidr);
	if (!gic_wait_clear(rd + GICR_WAKER, GICR_WAKER_ASLEEP)) {
		tc_check(false, name, "GICR_WAKER.ChildrenAsleep stays set (0x%x)",
			 mmio_read32(rd + GICR_WAKER));
		return false;
	}
	if (report)
		tc_check(true, name, "GICR_WAKER 0x%x", mmio_read32(rd + GICR_WAKER));

	sgi = rd + GICR_SGI_FRAME;
	mmio_write32(sgi + GICR_IGROUPR0, 0xffffffffu);
	gicr_set_prio(sgi, SGI_SELF, GIC_PRIO);
	gicr_set_prio(sgi, SGI_CROSS, GIC_PRIO);
	gicr_set_prio(sgi, plat.vtimer_intid, GIC_PRIO);
	mmio_write32(sgi + GICR_ISENABLER0, 1u << SGI_SELF | 1u << SGI_CROSS | 1u << plat.vtimer_intid);
	gic_wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);

	write_icc_sre_el1(read_icc_sre_el1() | 7);	/* SRE | DFB | DIB */
	isb();
	cella_snprintf(name, sizeof(name), "gic_cpuif 0x%lx", (unsigned long)mpidr);
	if (!(read_icc_sre_el1() & 1)) {
		tc_check(false, name, "ICC_SRE_EL1.SRE stays 0");
		return false;
	}
	write_icc_pmr_el1(0xff);
	write_icc_bpr1_el1(0);
	write_icc_igrpen1_el1(1);
	isb();
	if (report)
		tc_check(true, name, "ICC_SRE_EL1 0x%lx", (unsigned long)read_icc_sre_el1());
	return true;
}

/* Distributor checks and enable, then the boot CPU's interface. */
static bool gic_boot_init(void)
{
	uint32_t pidr2 = mmio_read32(plat.gicd + GICD_PIDR2);
	uint32_t rev = (pidr2 >> 4) & 0xf;
	uint32_t ctlr;
	bool ok;

	ok = tc_check(rev == 3 || rev == 4, "gic_pidr2", "GICD_PIDR2 0x%x ArchRev %u", pidr2, rev);
	mmio_write32(plat.gicd + GICD_CTLR, GICD_CTLR_GRP1NS_ARE);
	gic_wait_clear(plat.gicd + GICD_CTLR, GICD_CTLR_RWP);
	ctlr = mmio_read32(plat.gicd + GICD_CTLR);
	ok &= tc_check((ctlr & GICD_CTLR_GRP1NS_ARE) == GICD_CTLR_GRP1NS_ARE, "gicd_enable",
		       "GICD_CTLR 0x%x after writing 0x12", ctlr);
	return gic_cpu_init(0, true) && ok;
}

static uint64_t sgi1r_value(uint64_t mpidr, uint32_t intid)
{
	uint64_t aff0 = mpidr & 0xff;

	return ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
	       (uint64_t)(intid & 0xf) << 24 | ((mpidr >> 8) & 0xff) << 16 | (aff0 >> 4) << 44 |
	       1ull << (aff0 & 0xf);
}

static void send_sgi(uint64_t mpidr, uint32_t intid)
{
	dsb_sy();
	write_icc_sgi1r_el1(sgi1r_value(mpidr, intid));
	isb();
}

/* ---- basic tests ------------------------------------------------------------------------ */

static void test_psci(void)
{
	static const uint64_t unknown[] = { 0x82000000ull, 0xc2001234ull };
	int64_t r, feat;
	bool undef;
	char name[40];

	r = tc_smccc(PSCI_VERSION, 0, 0, 0);
	tc_check(r >= 0x10000, "psci_version", "0x%lx (%ld.%ld)", (unsigned long)r, (long)(r >> 16),
		 (long)(r & 0xffff));
	r = tc_smccc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0);
	tc_check(r == 0, "psci_features_cpu_on", "returned %ld", (long)r);
	r = tc_smccc(PSCI_FEATURES, 0x8400ff00ull, 0, 0);
	tc_check(r == PSCI_RET_NOT_SUPPORTED, "psci_features_unknown", "returned %ld", (long)r);

	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		cella_snprintf(name, sizeof(name), "smccc_unknown 0x%lx", (unsigned long)unknown[i]);
		r = tc_smccc_probe(unknown[i], 1, 2, 3, &undef);
		if (undef && !plat.cella)
			tc_skip(name, "UNDEF: QEMU's built-in PSCI, no hypervisor");
		else
			tc_check(!undef && r == PSCI_RET_NOT_SUPPORTED, name, "%s %ld",
				 undef ? "UNDEF, not NOT_SUPPORTED;" : "returned", (long)r);
	}

	/* SMCCC 1.1 callers ask PSCI_FEATURES first; a 1.0 implementation says NOT_SUPPORTED */
	feat = tc_smccc(PSCI_FEATURES, SMCCC_VERSION, 0, 0);
	r = tc_smccc_probe(SMCCC_VERSION, 0, 0, 0, &undef);
	if (!plat.cella && (undef || (feat == PSCI_RET_NOT_SUPPORTED && r == feat)))
		tc_skip("smccc_version", "QEMU's built-in PSCI is SMCCC 1.0, no hypervisor");
	else
		tc_check(!undef && r >= 0x10001, "smccc_version", "%s 0x%lx; PSCI_FEATURES says %ld",
			 undef ? "UNDEF;" : "returned", (unsigned long)r, (long)feat);
}

/* One virtual-timer interrupt @delay ticks from now; *@elapsed gets CNTVCT(IRQ) - CNTVCT(set). */
static bool timer_once(uint64_t delay, bool use_wfi, uint64_t *elapsed)
{
	struct tc_cpu *c = &tc_cpus[tc_slot()];
	uint32_t target = c->timer_irqs + 1;
	uint64_t t0 = tc_now();
	bool ok;

	write_cntv_tval_el0(delay);
	write_cntv_ctl_el0(CNTV_CTL_ENABLE);
	isb();
	ok = tc_wait_count(&c->timer_irqs, target, t0 + delay + tc_ms(TC_IRQ_TIMEOUT_MS), use_wfi);
	write_cntv_ctl_el0(0);
	isb();
	*elapsed = ok ? c->timer_at - t0 : 0;
	return ok;
}

/* @prefix_poll: IRQ delivery with the CPU spinning; then WFI wake-up; then the delays. */
static void test_vtimer(const char *prefix)
{
	uint64_t delay = tc_ms(1), elapsed, min = ~0ull, max = 0;
	unsigned n, early = 0;
	char name[40];
	bool ok = true;

	for (n = 0; n < 3 && ok; n++) {
		ok = timer_once(delay, false, &elapsed);
		if (ok && elapsed < delay)
			early++;
		if (ok && elapsed < min)
			min = elapsed;
	}
	cella_snprintf(name, sizeof(name), "%s_poll", prefix);
	tc_check(ok, name, "%s INTID %u (%u/3 IRQs)", ok ? "took" : "no IRQ for",
		 plat.vtimer_intid, ok ? 3 : n - 1);
	cella_snprintf(name, sizeof(name), "%s_wfi", prefix);
	if (!ok) {
		/* WFI would wait for an IRQ that never comes */
		tc_check(false, name, "not run: the timer IRQ is not delivered");
		return;
	}
	for (n = 0; n < 5 && ok; n++) {
		ok = timer_once(delay, true, &elapsed);
		if (ok && elapsed < delay)
			early++;
		if (ok && elapsed < min)
			min = elapsed;
		if (ok && elapsed > max)
			max = elapsed;
	}
	tc_check(ok, name, "%u/5 wake-ups from WFI", ok ? 5 : n - 1);
	cella_snprintf(name, sizeof(name), "%s_elapsed", prefix);
	tc_check(ok && !early, name, "%u early; elapsed min %lu max %lu ticks, programmed %lu",
		 early, (unsigned long)min, (unsigned long)max, (unsigned long)delay);
}

static void test_sgi_self(const char *name)
{
	struct tc_cpu *c = &tc_cpus[tc_slot()];
	uint32_t target = c->sgis[SGI_SELF] + 1;
	bool ok;

	send_sgi(tc_mpidr(), SGI_SELF);
	ok = tc_wait_count(&c->sgis[SGI_SELF], target, tc_now() + tc_ms(TC_IRQ_TIMEOUT_MS), false);
	tc_check(ok, name, "%s INTID %u via ICC_SGI1R_EL1 0x%lx", ok ? "took" : "never saw",
		 SGI_SELF, (unsigned long)sgi1r_value(tc_mpidr(), SGI_SELF));
}

static bool wait_flag(volatile uint32_t *flag, uint64_t ms)
{
	uint64_t end = tc_now() + tc_ms(ms);

	while (!*flag) {
		if (tc_now() > end)
			return false;
		wfe();		/* the secondary signals with SEV; the event stream bounds the wait */
	}
	dsb_sy();
	return true;
}

/* Start DTB cpu @i, let it report, poke it with an SGI, watch it turn itself off. */
static void secondary_round(unsigned i, unsigned round)
{
	uint64_t mpidr = plat.mpidr[i];
	unsigned slot = i + 1;
	const char *again = round ? "_again" : "";
	uint64_t entry = (uint64_t)(uintptr_t)tc_secondary_entry, end;
	int64_t r;
	char name[40];

	tc_sec.ctx = TC_CTX_MAGIC | (uint64_t)round << 8 | slot;
	tc_sec.round = round;
	tc_sec.up = tc_sec.sgi = tc_sec.off_returned = 0;
	tc_cpus[slot].sgis[SGI_CROSS] = 0;
	tc_boot_slot = slot;
	dsb_sy();

	cella_snprintf(name, sizeof(name), "cpu_on%s 0x%lx", again, (unsigned long)mpidr);
	r = tc_smccc(PSCI_CPU_ON, mpidr, entry, tc_sec.ctx);
	if (r != 0) {
		tc_check(false, name, "CPU_ON returned %ld", (long)r);
		return;
	}
	if (!wait_flag(&tc_sec.up, TC_CPU_TIMEOUT_MS)) {
		tc_check(false, name, "CPU_ON returned 0 but the cpu did not report within %u ms",
			 TC_CPU_TIMEOUT_MS);
		return;
	}
	/* the secondary printed its PASS/FAIL cpu_on line; it now waits in WFI for an SGI */
	cella_snprintf(name, sizeof(name), "cpu_on_already_on%s 0x%lx", again, (unsigned long)mpidr);
	r = tc_smccc(PSCI_CPU_ON, mpidr, entry, tc_sec.ctx);
	tc_check(r == PSCI_RET_ALREADY_ON, name, "returned %ld", (long)r);
	cella_snprintf(name, sizeof(name), "affinity_info_on%s 0x%lx", again, (unsigned long)mpidr);
	r = tc_smccc(PSCI_AFFINITY_INFO, mpidr, 0, 0);
	tc_check(r == PSCI_AFF_ON, name, "returned %ld", (long)r);

	send_sgi(mpidr, SGI_CROSS);
	cella_snprintf(name, sizeof(name), "sgi_cross%s 0x%lx", again, (unsigned long)mpidr);
	if (!tc_check(wait_flag(&tc_sec.sgi, TC_CPU_TIMEOUT_MS), name, "INTID %u from cpu 0x%lx",
		      SGI_CROSS, (unsigned long)tc_mpidr()))
		return;

	cella_snprintf(name, sizeof(name), "cpu_off%s 0x%lx", again, (unsigned long)mpidr);
	end = tc_now() + tc_ms(TC_CPU_TIMEOUT_MS);
	do {
		r = tc_smccc(PSCI_AFFINITY_INFO, mpidr, 0, 0);
		if (r == PSCI_AFF_OFF || tc_sec.off_returned)
			break;
		tc_delay_ms(1);
	} while (tc_now() < end);
	if (tc_sec.off_returned)
		tc_check(false, name, "CPU_OFF returned %ld", (long)tc_sec.off_ret);
	else
		tc_check(r == PSCI_AFF_OFF, name, "AFFINITY_INFO %ld after CPU_OFF", (long)r);
}

static bool mpidr_listed(uint64_t mpidr)
{
	for (unsigned i = 0; i < plat.nr_cpus; i++)
		if (plat.mpidr[i] == mpidr)
			return true;
	return false;
}

static void test_secondaries(void)
{
	uint64_t self = tc_mpidr(), bogus = 0xff;
	unsigned others = 0;
	int64_t r;

	for (unsigned i = 0; i < plat.nr_cpus; i++) {
		if (plat.mpidr[i] == self)
			continue;
		secondary_round(i, 0);
		if (others++ == 0)
			secondary_round(i, 1);	/* a vCPU that was turned off starts again */
	}
	if (!others)
		tc_skip("cpu_on", "no other cpu in the DTB");
	while (mpidr_listed(bogus))
		bogus += 0x100;
	r = tc_smccc(PSCI_CPU_ON, bogus, (uint64_t)(uintptr_t)tc_secondary_entry, 0);
	tc_check(r == PSCI_RET_INVALID_PARAMS, "cpu_on_bad_mpidr", "CPU_ON 0x%lx returned %ld",
		 (unsigned long)bogus, (long)r);
}

void tc_secondary_main(uint64_t ctx)
{
	unsigned slot = tc_slot();
	struct tc_cpu *c = &tc_cpus[slot];
	uint64_t mpidr = tc_mpidr();
	bool ok;
	char name[40];

	write_cntkctl_el1(CNTKCTL_EVNTEN | CNTKCTL_EVNTI(10));
	ok = gic_cpu_init(slot, false);
	cella_snprintf(name, sizeof(name), "%s 0x%lx", tc_sec.round ? "cpu_on_again" : "cpu_on",
		       (unsigned long)mpidr);
	if (ctx != tc_sec.ctx)
		tc_check(false, name, "x0=0x%lx, CPU_ON context id was 0x%lx", (unsigned long)ctx,
			 (unsigned long)tc_sec.ctx);
	else
		tc_check(ok, name, "x0=0x%lx slot %u", (unsigned long)ctx, slot);
	dsb_sy();
	tc_sec.up = 1;
	dsb_sy();
	sev();

	if (ok)
		ok = tc_wait_count(&c->sgis[SGI_CROSS], 1, tc_now() + tc_ms(2 * TC_CPU_TIMEOUT_MS), true);
	if (ok) {
		tc_sec.sgi = 1;
		dsb_sy();
		sev();
	}
	irq_mask();
	tc_sec.off_ret = tc_smccc(PSCI_CPU_OFF, 0, 0, 0);
	dsb_sy();
	tc_sec.off_returned = 1;
	dsb_sy();
	sev();
	for (;;)
		wfi();
}

static void test_mmio(void)
{
	static const uint8_t periph[4] = { 0x11, 0x10, 0x14, 0x00 };
	static const uint8_t cell[4] = { 0x0d, 0xf0, 0x05, 0xb1 };
	uint32_t typer = mmio_read32(plat.gicd + GICD_TYPER), lines = typer & 0x1f;
	uint32_t id[4], cid[4];
	bool ok = true, cok = true;

	/* room for the SPIs the DTB names (the PL011's), never more than 1020 INTIDs */
	tc_check(lines >= 1 && 32 * (lines + 1) > 32 + plat.uart_spi, "mmio_gicd_typer",
		 "GICD_TYPER 0x%x: ITLinesNumber %u, %u INTIDs", typer, lines,
		 32 * (lines + 1) > 1020 ? 1020 : 32 * (lines + 1));
	for (unsigned i = 0; i < 4; i++) {
		id[i] = mmio_read32(plat.uart + PL011_PERIPHID0 + 4 * i);
		cid[i] = mmio_read32(plat.uart + PL011_CELLID0 + 4 * i);
		ok &= id[i] == periph[i];
		cok &= cid[i] == cell[i];
	}
	tc_check(ok, "mmio_pl011_periphid", "0x%x 0x%x 0x%x 0x%x", id[0], id[1], id[2], id[3]);
	tc_check(cok, "mmio_pl011_cellid", "0x%x 0x%x 0x%x 0x%x", cid[0], cid[1], cid[2], cid[3]);
}

static void test_no_stray_irqs(void)
{
	struct tc_cpu *c = &tc_cpus[0];

	tc_check(c->other_irqs == 0, "no_stray_irqs", "%u unexpected IRQs, last INTID %u",
		 c->other_irqs, c->last_other);
}

static void mode_basic(void)
{
	test_psci();
	if (!gic_boot_init()) {
		tc_line("FAIL basic: GIC setup failed, interrupt tests not run");
		tc_failed++;
	} else {
		test_vtimer("vtimer");
		test_sgi_self("sgi_self");
		test_secondaries();
	}
	test_mmio();
	test_no_stray_irqs();
}

/* ---- hostile modes ---------------------------------------------------------------------- */

static const char *access_name(bool write)
{
	return write ? "write" : "read";
}

static void mode_hostile_oob(void)
{
	uint64_t addr[2] = { plat.mem_base + plat.mem_size + 0x1000000ull, 0x10000000000ull };
	unsigned aborts = 0;

	tc_line("HOSTILE about to touch outside memory");
	for (unsigned i = 0; i < 2; i++) {
		for (unsigned w = 0; w < 2; w++) {
			probe_arm();
			if (w)
				mmio_write32(addr[i], 0xbadc0de);
			else
				(void)mmio_read32(addr[i]);
			if (probe_disarm()) {
				aborts++;
				tc_line("HOSTILE %s 0x%lx: abort, esr 0x%lx", access_name(w),
					(unsigned long)addr[i], (unsigned long)tc_probe.esr);
			} else {
				tc_line("HOSTILE %s 0x%lx: completed", access_name(w),
					(unsigned long)addr[i]);
			}
		}
	}
	tc_failed++;
	tc_line("FAIL hostile-oob: still running (%u of 4 accesses aborted into the cell)", aborts);
}

/* xorshift64: garbage that is the same on every run */
static uint64_t tc_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static bool psci_sweep_skip(uint32_t fn)
{
	switch (fn & 0xffff) {
	case 0x01:	/* CPU_SUSPEND */
	case 0x02:	/* CPU_OFF */
	case 0x08:	/* SYSTEM_OFF */
	case 0x09:	/* SYSTEM_RESET */
	case 0x0b:	/* CPU_FREEZE */
	case 0x0c:	/* CPU_DEFAULT_SUSPEND */
	case 0x0e:	/* SYSTEM_SUSPEND */
	case 0x12:	/* SYSTEM_RESET2 */
	case 0x15:	/* SYSTEM_OFF2 */
		return true;
	default:
		return false;
	}
}

static void hostile_psci(void)
{
	uint64_t bad_entry[] = { 0x0ull, 0x1000ull, 0xfffffffffffff000ull, TC_UART_BASE, 0 };
	uint64_t self = tc_mpidr(), other = ~0ull, bogus = 0xabcdefull;
	unsigned calls = 0, notsup = 0, undefs = 0;
	int64_t r;
	bool undef, ok;

	for (unsigned i = 0; i < plat.nr_cpus; i++)
		if (plat.mpidr[i] != self) {
			other = plat.mpidr[i];
			break;
		}
	bad_entry[4] = plat.mem_base + plat.mem_size;	/* first byte after RAM */
	if (other == ~0ull) {
		tc_skip("hostile_cpu_on_bad_entry", "the DTB lists one cpu");
	} else if (!plat.cella) {
		/* QEMU's PSCI would start the cpu at the bad address */
		tc_skip("hostile_cpu_on_bad_entry", "QEMU's built-in PSCI does not check entries");
	} else {
		for (unsigned i = 0; i < sizeof(bad_entry) / sizeof(bad_entry[0]); i++) {
			uint64_t e = bad_entry[i];

			r = tc_smccc(PSCI_CPU_ON, other, e, 0);
			tc_check(r == PSCI_RET_INVALID_ADDRESS || r == PSCI_RET_INVALID_PARAMS,
				 "hostile_cpu_on_bad_entry", "entry 0x%lx: %s (%ld)",
				 (unsigned long)e, r == PSCI_RET_INVALID_ADDRESS ? "INVALID_ADDRESS"
				 : r == PSCI_RET_INVALID_PARAMS ? "INVALID_PARAMETERS" : "returned", (long)r);
		}
		r = tc_smccc(PSCI_AFFINITY_INFO, other, 0, 0);
		tc_check(r == PSCI_AFF_OFF, "hostile_cpu_on_bad_entry_stays_off",
			 "AFFINITY_INFO 0x%lx returned %ld", (unsigned long)other, (long)r);
	}

	r = tc_smccc(PSCI_CPU_ON, 0xffffffffffull, (uint64_t)(uintptr_t)tc_secondary_entry, 0);
	tc_check(r == PSCI_RET_INVALID_PARAMS, "hostile_cpu_on_bad_target",
		 "CPU_ON 0xffffffffff returned %ld", (long)r);
	r = tc_smccc(PSCI_CPU_ON, self, (uint64_t)(uintptr_t)tc_secondary_entry, 0);
	tc_check(r == PSCI_RET_ALREADY_ON, "hostile_cpu_on_self", "returned %ld", (long)r);
	while (mpidr_listed(bogus))
		bogus += 0x100;
	r = tc_smccc(PSCI_AFFINITY_INFO, bogus, 0, 0);
	tc_check(r == PSCI_RET_INVALID_PARAMS, "hostile_affinity_bad_mpidr",
		 "AFFINITY_INFO 0x%lx returned %ld", (unsigned long)bogus, (long)r);
	r = tc_smccc(PSCI_AFFINITY_INFO, self, 3, 0);
	if (!plat.cella && r == PSCI_AFF_ON)
		tc_skip("hostile_affinity_level3", "QEMU's built-in PSCI reports levels > 0 as ON");
	else
		tc_check(r == PSCI_RET_INVALID_PARAMS, "hostile_affinity_level3", "returned %ld",
			 (long)r);

	/* every function number of both PSCI ranges, garbage arguments */
	for (unsigned cc = 0; cc < 2; cc++) {
		for (uint32_t fn = 0; fn < 0x100; fn++) {
			uint64_t fid = (cc ? 0xc4000000ull : 0x84000000ull) | fn;

			if (psci_sweep_skip(fn))
				continue;
			r = tc_smccc_probe(fid, 0xdeadbeefcafef00dull, 0x8badf00d00000001ull, ~0ull,
					   &undef);
			calls++;
			undefs += undef;
			notsup += !undef && r == PSCI_RET_NOT_SUPPORTED;
		}
	}
	ok = !undefs || !plat.cella;
	tc_check(ok, "hostile_psci_sweep", "%u calls: %u NOT_SUPPORTED, %u UNDEF%s", calls, notsup,
		 undefs, undefs && !plat.cella ? " (QEMU firmware)" : "");

	/* SMCCC IDs with bits [63:32] set, reserved ranges, all-ones */
	{
		static const uint64_t odd[] = { 0xffffffff84000000ull, 0x184000000ull,
						0x8000ffffull, 0xff00ffffull, 0xffffffffffffffffull,
						0xc5000000ull, 0x80000001ull };
		unsigned bad = 0, u = 0;

		for (unsigned i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
			r = tc_smccc_probe(odd[i], ~0ull, ~0ull, ~0ull, &undef);
			u += undef;
			if (!undef && r >= 0 && odd[i] != 0x80000001ull)
				bad++;
		}
		tc_check(!bad && (!u || !plat.cella), "hostile_smccc_odd_ids",
			 "%u IDs: %u answered >= 0, %u UNDEF", (unsigned)(sizeof(odd) / sizeof(odd[0])),
			 bad, u);
	}
}

static void hostile_hypercalls(void)
{
	unsigned nonneg = 0, undefs = 0;
	uint64_t first_bad = 0;
	int64_t r;
	bool undef;

	for (uint64_t fid = CELLA_HC_BASE; fid < CELLA_HC_BASE + 0x10; fid++) {
		static const uint64_t garbage[3][3] = {
			{ ~0ull, ~0ull, ~0ull },
			{ 0x8000000000000000ull, 0xfffffffffffff000ull, 0x7fffffffffffffffull },
			{ 0xdeadbeefull, 0x10000000000ull, 0xffffffffull },
		};

		for (unsigned g = 0; g < 3; g++) {
			r = tc_smccc_probe(fid, garbage[g][0], garbage[g][1], garbage[g][2], &undef);
			undefs += undef;
			if (!undef && r >= 0 && !nonneg++)
				first_bad = fid;
		}
	}
	if (undefs && !plat.cella)
		tc_skip("hostile_hypercalls", "UNDEF: QEMU's built-in PSCI, no hypervisor");
	else
		tc_check(!nonneg && !undefs, "hostile_hypercalls",
			 "48 calls 0xc6000000-0xc600000f: %u >= 0 (first 0x%lx), %u UNDEF", nonneg,
			 (unsigned long)first_bad, undefs);
}

static unsigned garbage_range(uint64_t base, uint64_t from, uint64_t to, uint64_t *seed,
			      unsigned *writes)
{
	unsigned aborts = 0;

	for (uint64_t off = from; off <= to; off += 4) {
		probe_arm();
		mmio_write32(base + off, (uint32_t)tc_rand(seed));
		(*writes)++;
		aborts += probe_disarm() != 0;
	}
	return aborts;
}

/* Writes of garbage at reserved (and a few implementation-defined) GICD/GICR offsets. */
static void hostile_gic(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull, rd = tc_cpus[0].rd, sgi = rd + GICR_SGI_FRAME;
	unsigned writes = 0, aborts = 0;
	uint32_t pidr2, ctlr;

	aborts += garbage_range(plat.gicd, 0x0f00, 0xfffc, &seed, &writes);
	aborts += garbage_range(rd, 0x0800, 0x1ffc, &seed, &writes);
	aborts += garbage_range(sgi, 0x0000, 0x007c, &seed, &writes);
	aborts += garbage_range(sgi, 0x0460, 0x0bfc, &seed, &writes);
	aborts += garbage_range(sgi, 0x0c18, 0x0cfc, &seed, &writes);
	aborts += garbage_range(sgi, 0x0d0c, 0x0dfc, &seed, &writes);
	aborts += garbage_range(sgi, 0x0e04, 0x0f7c, &seed, &writes);
	pidr2 = mmio_read32(plat.gicd + GICD_PIDR2);
	ctlr = mmio_read32(plat.gicd + GICD_CTLR);
	tc_check(((pidr2 >> 4) & 0xf) >= 3 && (ctlr & GICD_CTLR_GRP1NS_ARE) == GICD_CTLR_GRP1NS_ARE,
		 "hostile_gic_garbage", "%u writes, %u aborted; GICD_CTLR 0x%x PIDR2 0x%x", writes,
		 aborts, ctlr, pidr2);
}

static void mode_hostile_calls(void)
{
	bool gic = gic_boot_init();

	hostile_psci();
	hostile_hypercalls();
	if (!gic) {
		tc_line("FAIL hostile-calls: GIC setup failed, GIC tests not run");
		tc_failed++;
		return;
	}
	hostile_gic();
	test_vtimer("vtimer_after_garbage");
	test_sgi_self("sgi_self_after_garbage");
}

/* ---- ticker, reset, poweroff ------------------------------------------------------------ */

static void mode_ticker(void)
{
	struct tc_cpu *c = &tc_cpus[0];
	uint64_t period = tc_ms(50), cval, first = 0, last = 0;
	bool ok = gic_boot_init();
	unsigned n;

	if (!ok)
		return;
	cval = tc_now();
	for (n = 1; n <= tc_ticks && ok; n++) {
		uint32_t target = c->timer_irqs + 1;

		cval += period;
		write_cntv_cval_el0(cval);
		write_cntv_ctl_el0(CNTV_CTL_ENABLE);
		isb();
		ok = tc_wait_count(&c->timer_irqs, target, cval + tc_ms(TC_IRQ_TIMEOUT_MS), true);
		write_cntv_ctl_el0(0);
		isb();
		if (ok) {
			if (n == 1)
				first = c->timer_at;
			last = c->timer_at;
			tc_line("TICK %u", n);
		}
	}
	tc_check(ok, "ticker", "%u ticks, period %lu, mean %lu CNTVCT ticks", ok ? tc_ticks : n - 2,
		 (unsigned long)period,
		 (unsigned long)(tc_ticks > 1 && ok ? (last - first) / (tc_ticks - 1) : 0));
}

static void mode_reset(void)
{
	int64_t r;

	tc_line("RESET booting");
	r = tc_smccc(PSCI_SYSTEM_RESET, 0, 0, 0);
	tc_check(false, "reset", "SYSTEM_RESET returned %ld", (long)r);
}

/* ---- entry ------------------------------------------------------------------------------ */

void tc_main(uint64_t dtb, uint64_t load, uint64_t run)
{
	uint64_t el = (read_currentel() >> 2) & 3;
	uint64_t el2 = (read_id_aa64pfr0_el1() >> 8) & 0xf;

	write_cntkctl_el1(CNTKCTL_EVNTEN | CNTKCTL_EVNTI(10));	/* WFE wakes up regularly */
	plat.freq = read_cntfrq_el0();
	tc_line("TESTCELL start el=%lu load=0x%lx run=0x%lx mpidr=0x%lx", (unsigned long)el,
		(unsigned long)load, (unsigned long)run, (unsigned long)tc_mpidr());
	dt_parse(dtb);
	parse_bootargs(plat.bootargs);
	tc_line("TESTCELL bootargs=\"%.70s\"", plat.bootargs ? plat.bootargs : "");
	tc_line("TESTCELL memory base=0x%lx size=0x%lx", (unsigned long)plat.mem_base,
		(unsigned long)plat.mem_size);
	tc_line("TESTCELL mode=%s host=%s psci=%s cpus=%u cntfrq=%lu el2=%lu", tc_mode,
		plat.cella ? "cella" : "native", plat.psci_smc ? "smc" : "hvc", plat.nr_cpus,
		(unsigned long)plat.freq, (unsigned long)el2);
	if (el != 1) {
		tc_check(false, "boot", "entered at EL%lu, the test cell runs at EL1", (unsigned long)el);
		tc_finish();
	}
	if (!plat.freq) {
		tc_check(false, "cntfrq", "CNTFRQ_EL0 is 0, assuming 62.5 MHz");
		plat.freq = 62500000;
	}

	if (strcmp(tc_mode, "basic") == 0) {
		mode_basic();
	} else if (strcmp(tc_mode, "hostile-oob") == 0) {
		mode_hostile_oob();
	} else if (strcmp(tc_mode, "hostile-calls") == 0) {
		mode_hostile_calls();
	} else if (strcmp(tc_mode, "ticker") == 0) {
		mode_ticker();
	} else if (strcmp(tc_mode, "reset") == 0) {
		mode_reset();
	} else if (strcmp(tc_mode, "poweroff") == 0) {
		tc_line("POWEROFF");
		tc_smccc(PSCI_SYSTEM_OFF, 0, 0, 0);
		tc_check(false, "poweroff", "SYSTEM_OFF returned");
	} else {
		tc_check(false, "mode", "unknown testcell.mode '%s'", tc_mode);
	}
	tc_finish();
}
