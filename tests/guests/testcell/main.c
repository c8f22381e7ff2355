/* main.c - cella's native test cell: entry, console, DTB, SMCCC calls, exceptions and modes. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/fdt.h"
#include "lib/printf.h"
#include "testcell.h"

#define TC_LINE 98			/* output line incl. '\n' stays under 100 characters */

/* ---- state ------------------------------------------------------------------------------ */

uint8_t tc_stacks[TC_NR_SLOTS][TC_STACK_SIZE] __attribute__((aligned(16)));
volatile uint32_t tc_boot_slot;
struct tc_cpu tc_cpus[TC_NR_SLOTS];
struct tc_plat tc_plat;
volatile struct tc_probe tc_probe;

static char tc_mode[32];
static unsigned tc_ticks = 40;
static volatile uint32_t tc_passed, tc_failed;

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

void tc_puts_raw(const char *s)
{
	for (; *s; s++)
		uart_putc(*s);
}

void tc_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tc_vline("", fmt, ap);
	va_end(ap);
}

bool tc_check(bool ok, const char *name, const char *fmt, ...)
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

void tc_skip(const char *name, const char *why)
{
	tc_line("SKIP %s: %s", name, why);
}

void tc_finish(void)
{
	int64_t r;

	tc_line("TESTCELL DONE passed=%u failed=%u", tc_passed, tc_failed);
	r = tc_smccc(PSCI_SYSTEM_OFF, 0, 0, 0);
	tc_line("FAIL system_off: SYSTEM_OFF returned %ld", (long)r);
	for (;;)
		wfi();
}

void tc_finish_cpu_off(void)
{
	int64_t r;

	tc_line("TESTCELL DONE passed=%u failed=%u", tc_passed, tc_failed);
	r = tc_smccc(PSCI_CPU_OFF, 0, 0, 0);
	tc_line("FAIL cpu_off: CPU_OFF returned %ld", (long)r);
	for (;;)
		wfi();
}

/* ---- time ------------------------------------------------------------------------------- */

uint64_t tc_now(void)
{
	isb();
	return read_cntvct_el0();
}

uint64_t tc_ms(uint64_t ms)
{
	return tc_plat.freq / 1000 * ms;
}

void tc_delay_ms(uint64_t ms)
{
	uint64_t end = tc_now() + tc_ms(ms);

	while (tc_now() < end)
		;
}

/* ---- SMCCC calls ------------------------------------------------------------------------ */

/* x4-x17 may be clobbered (SMCCC 1.0) */
int64_t tc_smccc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (tc_plat.psci_smc)
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

void tc_probe_arm(void)
{
	tc_probe.hits = 0;
	tc_probe.esr = tc_probe.far = tc_probe.elr = tc_probe.spsr = tc_probe.kind = 0;
	tc_probe.armed = 1;
}

uint32_t tc_probe_disarm(void)
{
	tc_probe.armed = 0;
	return tc_probe.hits;
}

int64_t tc_smccc_probe(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, bool *undef)
{
	int64_t r;

	tc_probe_arm();
	r = tc_smccc(fid, a1, a2, a3);
	*undef = tc_probe_disarm() != 0;
	return r;
}

/* ---- exceptions and interrupts ---------------------------------------------------------- */

uint64_t tc_mpidr(void)
{
	return read_mpidr_el1() & MPIDR_AFF_MASK;
}

unsigned tc_slot(void)
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
		if (intid == tc_plat.vtimer_intid) {
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
	if (kind == 12 && tc_a32.armed) {	/* back from AArch32 EL0 (a32.c): to EL1h */
		extern char tc_a32_return[];

		for (unsigned i = 0; i < 8; i++)
			tc_a32.r[i] = f->x[i] & 0xffffffffull;
		tc_a32.esr = f->esr;
		tc_a32.elr = f->elr;
		tc_a32.armed = 0;
		f->elr = (uint64_t)(uintptr_t)tc_a32_return;
		f->spsr = 0x3c5;	/* EL1h, DAIF masked */
		return;
	}
	if (tc_probe.armed && (kind >> 2) == 1) {
		uint32_t ec = ESR_EC(f->esr);

		if (type == 0 && (ec == EC_UNKNOWN || ec == EC_DABT_CUR)) {
			tc_probe.hits++;
			tc_probe.esr = f->esr;
			tc_probe.far = f->far;
			tc_probe.elr = f->elr;
			tc_probe.spsr = f->spsr;
			tc_probe.kind = kind;
			f->elr += 4;	/* skip the probed instruction */
			return;
		}
		if (type == 3) {	/* an asynchronous abort: nothing to skip */
			tc_probe.hits++;
			tc_probe.esr = f->esr;
			tc_probe.far = 0;
			tc_probe.elr = f->elr;
			tc_probe.spsr = f->spsr;
			tc_probe.kind = kind;
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

/* With @use_wfi the CPU sleeps in WFI with IRQs masked (a pending IRQ still wakes it) and takes
 * the IRQ after unmasking, so an interrupt between the check and the WFI is not lost. */
bool tc_wait_count(volatile uint32_t *count, uint32_t target, uint64_t deadline, bool use_wfi)
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
	tc_plat.mem_base = 0x40000000ull;
	tc_plat.mem_size = 0;
	tc_plat.gicd = 0x08000000ull;
	tc_plat.gicr[0] = 0x080a0000ull;
	tc_plat.gicr_size[0] = 0x20000ull;
	tc_plat.nr_gicr = 1;
	tc_plat.vtimer_intid = 27;
	tc_plat.uart = TC_UART_BASE;
	tc_plat.uart_spi = 1;
}

static void dt_cpus(const struct fdt *f)
{
	int cpus = fdt_find_path(f, "/cpus");

	if (cpus < 0)
		return;
	for (int n = fdt_first_child(f, cpus); n >= 0; n = fdt_next_sibling(f, n)) {
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
		if (tc_plat.nr_cpus == TC_MAX_CPUS) {
			tc_line("TESTCELL note: more than %d cpus, the rest are not tested",
				TC_MAX_CPUS);
			break;
		}
		tc_plat.mpidr[tc_plat.nr_cpus++] = mpidr & MPIDR_AFF_MASK;
	}
}

static void dt_gic(const struct fdt *f)
{
	int gic = fdt_next_compatible(f, -1, "arm,gic-v3");
	uint32_t nr = 1;
	uint64_t a, s;

	if (gic < 0) {
		tc_line("TESTCELL note: no arm,gic-v3 in the DTB, using 0x%lx",
			(unsigned long)tc_plat.gicd);
		return;
	}
	if (fdt_reg(f, gic, 0, &a, &s) == 0)
		tc_plat.gicd = a;
	fdt_prop_u32(f, gic, "#redistributor-regions", &nr);
	if (nr < 1 || nr > GIC_MAX_GICR_REGIONS)
		nr = 1;
	tc_plat.nr_gicr = 0;
	for (unsigned i = 0; i < nr; i++) {
		if (fdt_reg(f, gic, 1 + i, &a, &s))
			break;
		tc_plat.gicr[tc_plat.nr_gicr] = a;
		tc_plat.gicr_size[tc_plat.nr_gicr++] = s;
	}
	if (fdt_prop_u64(f, gic, "redistributor-stride", &a) == 0)
		tc_plat.gicr_stride = a;
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
		tc_plat.vtimer_intid = 16 + be32(p + 28);

	n = fdt_next_compatible(f, -1, "arm,pl011");
	if (n >= 0) {
		if (fdt_reg(f, n, 0, &a, &s) == 0)
			tc_plat.uart = a;
		p = fdt_prop(f, n, "interrupts", &len);
		if (p && len >= 12 && be32(p) == 0)
			tc_plat.uart_spi = be32(p + 4);
	}

	n = fdt_find_path(f, "/psci");
	if (n < 0)
		n = fdt_next_compatible(f, -1, "arm,psci-0.2");
	if (n >= 0 && fdt_prop_str(f, n, "method", &method) == 0)
		tc_plat.psci_smc = strcmp(method, "smc") == 0;
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
	err = size && size <= 0x200000 ? fdt_open(&tc_plat.fdt, blob, size) : -1;
	if (err) {
		tc_check(false, "dtb", "no valid DTB at 0x%lx (totalsize %u, error %d)",
			 (unsigned long)dtb, size, err);
		return;
	}
	tc_plat.have_fdt = true;
	n = fdt_root(&tc_plat.fdt);
	if (n >= 0 && fdt_prop_str(&tc_plat.fdt, n, "model", &model) == 0)
		tc_plat.cella = strncmp(model, "cella,", 6) == 0;
	n = fdt_find_path(&tc_plat.fdt, "/chosen");
	if (n >= 0)
		fdt_prop_str(&tc_plat.fdt, n, "bootargs", &tc_plat.bootargs);
	n = fdt_find_path(&tc_plat.fdt, "/memory");
	if (n >= 0)
		fdt_reg(&tc_plat.fdt, n, 0, &tc_plat.mem_base, &tc_plat.mem_size);
	dt_cpus(&tc_plat.fdt);
	dt_gic(&tc_plat.fdt);
	dt_devices(&tc_plat.fdt);
	tc_line("TESTCELL dtb=0x%lx size=%u model=%.40s", (unsigned long)dtb, size,
		model ? model : "?");
}

/* testcell.mode=<name> (default basic), testcell.ticks=<n> (default 40), the modes' own numbers
 * through tc_arg (e.g. testcell.spin-ms=<n>, sched.c),
 * testcell.quirks=no-tidcp (the CPU under the hypervisor does not implement HCR_EL2.TIDCP, as
 * QEMU before 8.1: an implemented IMPLEMENTATION DEFINED register is then not trapped) */
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

			for (const char *q = tok + 15; q < p && *q >= '0' && *q <= '9'; q++)
				if (v < 100000)
					v = v * 10 + (unsigned)(*q - '0');
			tc_ticks = v;
		} else if (len == 24 && strncmp(tok, "testcell.quirks=no-tidcp", 24) == 0) {
			tc_plat.no_tidcp = true;
		}
	}
}

uint64_t tc_arg(const char *key, uint64_t def)
{
	size_t klen = strlen(key);

	for (const char *p = tc_plat.bootargs; p && *p;) {
		const char *tok, *q;
		uint64_t v = 0;

		while (*p == ' ')
			p++;
		tok = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - tok) <= klen + 1 || strncmp(tok, key, klen) != 0 || tok[klen] != '=')
			continue;
		for (q = tok + klen + 1; q < p && *q >= '0' && *q <= '9'; q++)
			v = v < UINT64_MAX / 10 - 1 ? v * 10 + (uint64_t)(*q - '0') : UINT64_MAX;
		if (q == p)
			return v;
		tc_line("TESTCELL note: %s is not a decimal number, using %lu", key,
			(unsigned long)def);
		return def;
	}
	return def;
}

/* ---- ticker, reset, poweroff ------------------------------------------------------------ */

static void mode_ticker(void)
{
	struct tc_cpu *c = &tc_cpus[0];
	uint64_t period = tc_ms(50), cval, first = 0, last = 0, worst = 0;
	uint64_t wr_worst = 0, wr_total = 0;
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
			else if (c->timer_at - last > worst)
				worst = c->timer_at - last;
			uint64_t t0;

			last = c->timer_at;
			t0 = tc_now();
			tc_line("TICK %u", n);
			t0 = tc_now() - t0;	/* console latency of one line */
			wr_total += t0;
			wr_worst = t0 > wr_worst ? t0 : wr_worst;
		}
	}
	/* the worst time between two ticks taken (period 50 ms): how late a sibling made us;
	 * and how long writing one TICK line took, worst and mean */
	tc_line("TICKER worst_gap_us=%lu write_worst_us=%lu write_mean_us=%lu",
		(unsigned long)(worst * 1000 / tc_ms(1)), (unsigned long)(wr_worst * 1000 / tc_ms(1)),
		(unsigned long)(n > 1 ? wr_total * 1000 / tc_ms(1) / (n - 1) : 0));
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
	tc_plat.freq = read_cntfrq_el0();
	tc_line("TESTCELL start el=%lu load=0x%lx run=0x%lx mpidr=0x%lx", (unsigned long)el,
		(unsigned long)load, (unsigned long)run, (unsigned long)tc_mpidr());
	dt_parse(dtb);
	parse_bootargs(tc_plat.bootargs);
	tc_line("TESTCELL bootargs=\"%.70s\"", tc_plat.bootargs ? tc_plat.bootargs : "");
	tc_line("TESTCELL memory base=0x%lx size=0x%lx", (unsigned long)tc_plat.mem_base,
		(unsigned long)tc_plat.mem_size);
	tc_line("TESTCELL mode=%s host=%s psci=%s cpus=%u cntfrq=%lu el2=%lu", tc_mode,
		tc_plat.cella ? "cella" : "native", tc_plat.psci_smc ? "smc" : "hvc",
		tc_plat.nr_cpus, (unsigned long)tc_plat.freq, (unsigned long)el2);
	if (el != 1) {
		tc_check(false, "boot", "entered at EL%lu, the test cell runs at EL1",
			 (unsigned long)el);
		tc_finish();
	}
	if (!tc_plat.freq) {
		tc_check(false, "cntfrq", "CNTFRQ_EL0 is 0, assuming 62.5 MHz");
		tc_plat.freq = 62500000;
	}

	if (strcmp(tc_mode, "basic") == 0) {
		tc_mode_basic();
	} else if (strcmp(tc_mode, "hostile-oob") == 0) {
		tc_mode_hostile_oob();
	} else if (strcmp(tc_mode, "hostile-calls") == 0) {
		tc_mode_hostile_calls();
	} else if (strcmp(tc_mode, "hostile-traps") == 0) {
		tc_mode_hostile_traps();
	} else if (strcmp(tc_mode, "hostile-storm") == 0) {
		tc_mode_hostile_storm();
	} else if (strcmp(tc_mode, "hostile-cpu-hammer") == 0) {
		tc_mode_hostile_cpu_hammer();
	} else if (strcmp(tc_mode, "hostile-cpu-churn") == 0) {
		tc_mode_hostile_cpu_churn();
	} else if (strcmp(tc_mode, "fp-reset") == 0) {
		tc_mode_fp_reset();
	} else if (strcmp(tc_mode, "pmu-el2") == 0) {
		tc_mode_pmu_el2();
	} else if (strcmp(tc_mode, "hostile-forge") == 0) {
		tc_mode_hostile_forge();
	} else if (strcmp(tc_mode, "hostile-flood") == 0) {
		tc_mode_hostile_flood();
	} else if (strcmp(tc_mode, "spi-cpu-off") == 0) {
		tc_mode_spi_cpu_off();
	} else if (strcmp(tc_mode, "rx-restart") == 0) {
		tc_mode_rx_restart();
	} else if (strcmp(tc_mode, "a32-thumb") == 0) {
		tc_mode_a32_thumb();
	} else if (strcmp(tc_mode, "spi-restart") == 0) {
		tc_mode_spi_restart();
	} else if (strcmp(tc_mode, "bench-hc") == 0) {
		tc_mode_bench_hc();
	} else if (strcmp(tc_mode, "bench-switch") == 0) {
		tc_mode_bench_switch();
	} else if (strcmp(tc_mode, "hostile-caps") == 0) {
		tc_mode_hostile_caps();
	} else if (strcmp(tc_mode, "periodic") == 0) {
		tc_mode_periodic();
	} else if (strcmp(tc_mode, "spin") == 0) {
		tc_mode_spin();
	} else if (strcmp(tc_mode, "spin-masked") == 0) {
		tc_mode_spin_masked();
	} else if (strcmp(tc_mode, "chan-exchange") == 0) {
		tc_mode_chan_exchange();
	} else if (strcmp(tc_mode, "chan-ro-write") == 0) {
		tc_mode_chan_ro_write();
	} else if (strcmp(tc_mode, "chan-peek") == 0) {
		tc_mode_chan_peek();
	} else if (strcmp(tc_mode, "chan-flood") == 0) {
		tc_mode_chan_flood();
	} else if (strcmp(tc_mode, "chan-watch") == 0) {
		tc_mode_chan_watch();
	} else if (strcmp(tc_mode, "chan-pingpong") == 0) {
		tc_mode_chan_pingpong();
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

