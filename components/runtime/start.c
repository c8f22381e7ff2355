/* start.c - the component runtime's C start: DTB facts, MMU, console, GIC and timer, then
 * main(); the exception handler with its register dump; picolibc's exit hook. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rt/runtime.h>

static struct rt_cell cell = {
	.name = "?",
	.bootargs = "",
	.uart = 0x09000000,
	.gicd = 0x08000000,
	.gicr = { 0x080a0000 },
	.gicr_size = { 0x20000 },
	.nr_gicr = 1,
	.vtimer_intid = 27,
};

const struct rt_cell *rt_cell(void)
{
	return &cell;
}

static bool prefix(const char *s, const char *p)
{
	while (*p && *s == *p) {
		s++;
		p++;
	}
	return *p == '\0';
}

/* The DTB's facts into @cell (defaults stay where the DTB says nothing). Runs with the MMU off. */
static void read_dtb(uint64_t dtb)
{
	const char *s;
	uint32_t v, ngicr = 1;
	int n;

	cell.dtb = dtb;
	if (dt_init((const void *)(uintptr_t)dtb))
		return;
	s = dt_prop_str(dt_root(), "model");
	if (s && prefix(s, "cella,") && s[6])
		cell.name = s + 6;
	s = dt_prop_str(dt_find("/chosen"), "bootargs");
	if (s)
		cell.bootargs = s;
	dt_reg(dt_find("/memory"), 0, &cell.ram_base, &cell.ram_size);
	n = dt_find_compatible(-1, "arm,pl011");
	if (n >= 0) {
		uint64_t size;

		dt_reg(n, 0, &cell.uart, &size);
	}
	n = dt_find_compatible(-1, "arm,gic-v3");
	if (n >= 0) {
		uint64_t size;

		dt_prop_u32(n, "#redistributor-regions", 0, &ngicr);
		if (ngicr < 1 || ngicr > RT_MAX_GICR)
			ngicr = 1;
		dt_reg(n, 0, &cell.gicd, &size);
		cell.nr_gicr = 0;
		for (unsigned i = 0, k = 0; i < ngicr; i++, k = cell.nr_gicr)
			if (!dt_reg(n, 1 + i, &cell.gicr[k], &cell.gicr_size[k]))
				cell.nr_gicr++;
	}
	/* interrupts = <type num flags> for secure phys, phys, virt, hyp: the third is ours */
	n = dt_find_compatible(-1, "arm,armv8-timer");
	if (n >= 0 && !dt_prop_u32(n, "interrupts", 7, &v) && v < 16)
		cell.vtimer_intid = 16 + v;
}

static void map_or_die(uint64_t base, uint64_t size, enum mmu_attr attr, const char *what)
{
	if (!size || !mmu_map(base, size, attr))
		return;
	rt_puts("cella-rt: cannot map ");
	rt_puts(what);
	rt_puts(" at ");
	rt_puthex(base, 9);
	rt_puts("; stopping\n");
	psci_system_off();
}

void rt_start(uint64_t dtb)
{
	extern char _start[], __ro_end[], _end[];
	extern void (*__init_array_start[])(void), (*__init_array_end[])(void);
	int n;

	read_dtb(dtb);
	n = dt_find("/psci");
	if (n >= 0 && dt_prop_str(n, "method") && prefix(dt_prop_str(n, "method"), "smc"))
		psci_set_conduit(1);
	console_init(cell.uart);
	if (!dt_blob()) {
		rt_puts("cella-rt: no valid DTB at x0 = ");
		rt_puthex(dtb, 9);
		rt_puts("; assuming QEMU virt's layout\n");
	}
	if (!cell.ram_size) {
		/* at least the image itself; cella always gives /memory */
		cell.ram_base = (uintptr_t)_start;
		cell.ram_size = (uint64_t)(_end - _start);
	}
	map_or_die(cell.ram_base, cell.ram_size, MMU_NORMAL, "RAM");
	map_or_die((uintptr_t)_start, (uint64_t)(__ro_end - _start), MMU_NORMAL_RX, "the image");
	map_or_die(cell.uart, 0x1000, MMU_DEVICE, "the PL011");
	map_or_die(cell.gicd, 0x10000, MMU_DEVICE, "the GIC distributor");
	for (unsigned i = 0; i < cell.nr_gicr; i++)
		map_or_die(cell.gicr[i], cell.gicr_size[i], MMU_DEVICE, "a GICR region");
	if (rt_chan_map()) {
		rt_puts("cella-rt: cannot map the channels of /cella/channels; stopping\n");
		psci_system_off();
	}
	mmu_enable();

	/* WFE wakes up every 2^(9+1) counter ticks (CNTKCTL_EL1.EVNTEN, EVNTI = 9) */
	write_sysreg(cntkctl_el1, 1u << 2 | 9u << 4);
	cell.gic_ok = !gic_init(cell.gicd, cell.gicr, cell.gicr_size, cell.nr_gicr);
	if (cell.gic_ok)
		cell.gic_ok = !timer_init(cell.vtimer_intid);
	if (!cell.gic_ok)
		rt_puts("cella-rt: GICv3 setup failed: no interrupts, timer waits poll\n");
	irq_unmask();

	for (void (**f)(void) = __init_array_start; f < __init_array_end; f++)
		(*f)();
	exit(main());
}

char *rt_bootarg(const char *key, char *buf, size_t size)
{
	const char *p = cell.bootargs;
	size_t klen = 0;

	while (key[klen])
		klen++;
	while (p && *p) {
		const char *tok;

		while (*p == ' ')
			p++;
		tok = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - tok) >= klen && prefix(tok, key) &&
		    (tok[klen] == '=' || tok + klen == p)) {
			const char *v = tok + klen + (tok[klen] == '=');
			size_t i = 0;

			while (v + i < p && i + 1 < size) {
				buf[i] = v[i];
				i++;
			}
			if (size)
				buf[i] = '\0';
			return buf;
		}
	}
	return NULL;
}

/* picolibc's exit() ends here (after atexit handlers and flushing stdio) */
void _exit(int status)
{
	if (status) {
		rt_puts("cella-rt: exit status ");
		rt_putdec(status);
		rt_puts("\n");
	}
	psci_system_off();
}

static const char *const kind_names[16] = {
	"sync (EL1t)", "IRQ (EL1t)", "FIQ (EL1t)", "SError (EL1t)",
	"sync", "IRQ", "FIQ", "SError",
	"sync (EL0)", "IRQ (EL0)", "FIQ (EL0)", "SError (EL0)",
	"sync (EL0 AArch32)", "IRQ (EL0 AArch32)", "FIQ (EL0 AArch32)", "SError (EL0 AArch32)",
};

/* ESR_EL1.EC names (Arm ARM, ESR_EL1) of the classes a component may meet */
static const char *ec_name(uint64_t ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (an UNDEFINED instruction)";
	case 0x07: return "FP/SIMD access trapped";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x18: return "system register access trapped";
	case 0x20: case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x3c: return "BRK";
	default: return "?";
	}
}

static void dump_reg(const char *name, uint64_t v)
{
	rt_puts(name);
	rt_puts("=");
	rt_puthex(v, 16);
}

void rt_exception(struct rt_frame *f, uint64_t kind)
{
	static const char *const xn[31] = {
		" x0", " x1", " x2", " x3", " x4", " x5", " x6", " x7", " x8", " x9", "x10",
		"x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
		"x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
	};

	if (kind == 5) {	/* IRQ at EL1 with SP_EL1: the only kind a component expects */
		gic_handle_irqs();
		return;
	}
	rt_puts("\ncella-rt: unexpected exception: ");
	rt_puts(kind < 16 ? kind_names[kind] : "?");
	rt_puts(" in cell '");
	rt_puts(cell.name);
	rt_puts("'\n");
	dump_reg("ESR", f->esr);
	rt_puts(" (EC ");
	rt_puthex(f->esr >> 26 & 0x3f, 2);
	rt_puts(": ");
	rt_puts(ec_name(f->esr >> 26 & 0x3f));
	rt_puts(")\n");
	dump_reg("ELR", f->elr);
	rt_puts("  ");
	dump_reg("FAR", f->far);
	rt_puts("  ");
	dump_reg("SPSR", f->spsr);
	rt_puts("  ");
	dump_reg("SP", f->sp);
	rt_puts("\n");
	for (unsigned i = 0; i < 31; i++) {
		dump_reg(xn[i], f->x[i]);
		rt_puts(i % 4 == 3 || i == 30 ? "\n" : "  ");
	}
	rt_puts("cella-rt: stopping the cell (PSCI SYSTEM_OFF)\n");
	psci_system_off();
}
