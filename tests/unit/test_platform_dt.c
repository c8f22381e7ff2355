/* test_platform_dt.c - unit tests for the platform DTB parser (src/core/platform_dt.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/platform_dt.h"
#include "lib/err.h"
#include "lib/fdt.h"

/* ---- QEMU's own DTB ---------------------------------------------------------------------- */

/* qemu_dtb - run QEMU virt with dumpdtb and return the blob (malloc'd), NULL if QEMU is absent */
static uint8_t *qemu_dtb(const char *machine, int smp, const char *mem, size_t *len)
{
	char dir[] = "/tmp/test_platform_dt.XXXXXX", file[64], cmd[512];
	uint8_t *b = NULL;
	FILE *fp;
	long n = -1;
	int rc;

	if (system("command -v qemu-system-aarch64 >/dev/null 2>&1") != 0)
		return NULL;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/virt.dtb", dir);
	snprintf(cmd, sizeof(cmd),
		 "qemu-system-aarch64 -M virt,%s,dumpdtb=%s -cpu max -nic none -smp %d -m %s -display none "
		 ">/dev/null 2>&1", machine, file, smp, mem);
	rc = system(cmd);
	/* read everything and clean up before asserting, so a failure leaves no files behind */
	fp = fopen(file, "rb");
	if (fp && fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 && n <= (16 << 20)) {
		rewind(fp);
		b = malloc((size_t)n);
		if (b && fread(b, 1, (size_t)n, fp) != (size_t)n) {
			free(b);
			b = NULL;
		}
	}
	if (fp)
		fclose(fp);
	unlink(file);
	rmdir(dir);
	assert_int_equal(rc, 0);
	assert_true(n > 0 && n <= (16 << 20));	/* QEMU pads its blob to 1 MiB */
	assert_non_null(b);
	*len = (size_t)n;
	return b;
}

static void check_qemu(const char *machine, int smp, const char *mem, uint64_t ram, int smc)
{
	struct platform p;
	struct fdt f;
	char err[160] = "untouched";
	size_t len;
	uint8_t *b = qemu_dtb(machine, smp, mem, &len);

	if (!b)
		skip();
	assert_int_equal(fdt_open(&f, b, len), 0);
	int rc = platform_parse(&f, &p, err, sizeof(err));
	if (rc)
		fail_msg("platform_parse: %d: %s", rc, err);
	assert_string_equal(err, "");

	assert_int_equal(p.nr_ram, 1);
	assert_int_equal(p.ram[0].pa, 0x40000000);
	assert_int_equal(p.ram[0].size, ram);
	assert_int_equal(p.gicd_pa, 0x08000000);
	assert_int_equal(p.gicd_size, 0x10000);
	assert_int_equal(p.gicr_pa, 0x080a0000);
	assert_int_equal(p.gicr_size, 0xf60000);
	assert_int_equal(p.uart_pa, 0x09000000);
	assert_int_equal(p.uart_size, 0x1000);
	assert_int_equal(p.uart_spi, 1);
	assert_int_equal(p.timer_ppi[0], 29);
	assert_int_equal(p.timer_ppi[1], 30);
	assert_int_equal(p.timer_ppi[2], 27);
	assert_int_equal(p.timer_ppi[3], 26);
	assert_int_equal(p.psci_smc, smc);
	assert_int_equal(p.nr_cpus, (uint32_t)(smp < PLAT_MAX_CPUS ? smp : PLAT_MAX_CPUS));
	for (uint32_t i = 0; i < p.nr_cpus; i++)
		assert_int_equal(p.cpu_mpidr[i], i);
	free(b);
}

static void test_qemu_smp4_1g(void **state)
{
	(void)state;
	check_qemu("virtualization=on,gic-version=3", 4, "1G", 1ull << 30, 1);
}

static void test_qemu_smp1_512m(void **state)
{
	(void)state;
	check_qemu("virtualization=on,gic-version=3", 1, "512M", 512ull << 20, 1);
}

static void test_qemu_smp8_2g(void **state)
{
	(void)state;
	check_qemu("virtualization=on,gic-version=3", 8, "2G", 2ull << 30, 1);
}

static void test_qemu_virt_off_hvc(void **state)
{
	(void)state;
	check_qemu("virtualization=off,gic-version=3", 1, "512M", 512ull << 20, 0);
	check_qemu("virtualization=off,gic-version=3", 4, "2G", 2ull << 30, 0);
}

static void test_qemu_gicv2_refused(void **state)
{
	struct platform p;
	struct fdt f;
	char err[160];
	size_t len;
	uint8_t *b = qemu_dtb("virtualization=on,gic-version=2", 2, "1G", &len);

	(void)state;
	if (!b)
		skip();
	assert_int_equal(fdt_open(&f, b, len), 0);
	assert_int_equal(platform_parse(&f, &p, err, sizeof(err)), -ERR_NOENT);
	assert_non_null(strstr(err, "no \"arm,gic-v3\" interrupt controller (cella needs GICv3"));
	assert_non_null(strstr(err, "/intc@8000000 is a GICv2"));
	free(b);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* mutated and cut-short copies of QEMU's DTB: any result, but no crash (ASan) and a message on
 * every error */
static void test_qemu_mutations(void **state)
{
	struct platform p;
	struct fdt f;
	char err[96];
	size_t len, used;
	uint8_t *b = qemu_dtb("virtualization=on,gic-version=3", 4, "1G", &len), *c, *m;
	uint32_t seed = 12345;
	unsigned ok = 0, bad = 0, cuts = 0;
	int rc;

	(void)state;
	if (!b)
		skip();
	/* QEMU pads its blob to 1 MiB: work on a copy cut to the blocks actually used */
	assert_int_equal(fdt_open(&f, b, len), 0);
	used = f.off_struct + f.size_struct;
	if (f.off_strings + f.size_strings > used)
		used = f.off_strings + f.size_strings;
	c = malloc(used);
	m = malloc(used);
	assert_non_null(c);
	assert_non_null(m);
	memcpy(c, b, used);
	put_be32(c + 4, (uint32_t)used);
	assert_int_equal(fdt_open(&f, c, used), 0);
	assert_int_equal(platform_parse(&f, &p, err, sizeof(err)), 0);

	for (int iter = 0; iter < 20000; iter++) {
		memcpy(m, c, used);
		for (int k = 0; k < 1 + iter % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = 40 + (seed >> 8) % (used - 40);
			seed = seed * 1103515245u + 12345u;
			m[at] = (uint8_t)(iter % 3 == 0 ? 0 : iter % 3 == 1 ? 0xff : seed >> 16);
		}
		if (fdt_open(&f, m, used))
			continue;
		memset(err, 'x', sizeof(err));
		rc = platform_parse(&f, &p, err, sizeof(err));
		assert_true(rc <= 0);
		assert_non_null(memchr(err, '\0', sizeof(err)));
		if (rc) {
			assert_true(strlen(err) > 0);
			bad++;
		} else {
			assert_true(p.nr_ram >= 1 && p.nr_ram <= PLAT_MAX_RAM);
			assert_true(p.nr_cpus >= 1 && p.nr_cpus <= PLAT_MAX_CPUS);
			assert_true(p.uart_spi <= 987);
			for (int i = 0; i < 4; i++)
				assert_true(p.timer_ppi[i] >= 16 && p.timer_ppi[i] < 32);
			ok++;
		}
	}
	assert_true(ok > 100 && bad > 100);

	/* the structure block cut short at every cell: refused, never read past */
	assert_int_equal(fdt_open(&f, c, used), 0);
	for (uint32_t cut = 0, full = f.size_struct; cut + 4 < full; cut += 4) {
		memcpy(m, c, used);
		put_be32(m + 36, cut);
		cuts++;
		if (fdt_open(&f, m, used))
			continue;	/* refused by the reader already */
		memset(err, 'x', sizeof(err));
		rc = platform_parse(&f, &p, err, sizeof(err));
		assert_true(rc < 0);
		assert_true(strlen(err) > 0);
	}
	assert_true(cuts > 100);
	free(m);
	free(c);
	free(b);
}

/* ---- synthetic trees from the FDT writer ------------------------------------------------- */

enum {
	T_NO_MEMORY = 1 << 0,
	T_NO_GIC = 1 << 1,
	T_GICV2 = 1 << 2,
	T_GIC_REG_SHORT = 1 << 3,	/* GICD only */
	T_NO_CPUS = 1 << 4,
	T_CPUS_EMPTY = 1 << 5,		/* /cpus with only cpu-map */
	T_CPUS_AC2 = 1 << 6,
	T_NO_UART = 1 << 7,
	T_NO_TIMER = 1 << 8,
	T_TIMER_SHORT = 1 << 9,
	T_UART_PPI = 1 << 10,
	T_PSCI01 = 1 << 11,
	T_PSCI_HVC = 1 << 12,
	T_PSCI_BAD_METHOD = 1 << 13,
	T_STDOUT_ALIAS = 1 << 14,
	T_SOC = 1 << 15,		/* a second PL011 under /soc with ranges, stdout there */
	T_SOC_NO_RANGES = 1 << 16,
	T_DUP_MPIDR = 1 << 17,
	T_BAD_MPIDR = 1 << 18,
	T_GIC_REG_ODD = 1 << 19,	/* 6 cells: one and a half entries */
	T_MEM_MULTI = 1 << 20,		/* 2 memory nodes, one with 2 banks, and a disabled one */
	T_MEM_OVERLAP = 1 << 21,
	T_MEM_WRAP = 1 << 22,
	T_GIC_DISABLED = 1 << 23,
	T_MANY_CPUS = 1 << 24,
	T_TIMER_SPI = 1 << 25,
	T_UART_OTHER_PARENT = 1 << 26,
	T_NO_STDOUT = 1 << 27,
	T_CPU_NO_REG = 1 << 28,
	T_GICR_TINY = 1 << 29,
	T_TIMER_ODD = 1u << 30,	/* 10 cells */
	T_SOC_BAD_RANGES = 1u << 31,	/* 3 cells where entries are 4 */
};

static uint8_t tree[4096];

static void reg2(struct fdtw *w, uint64_t a, uint64_t s)
{
	uint32_t c[4] = { (uint32_t)(a >> 32), (uint32_t)a, (uint32_t)(s >> 32), (uint32_t)s };

	fdtw_prop_cells(w, "reg", c, 4);
}

static void build(unsigned t, struct fdt *f)
{
	static const char *const psci3[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
	static const char *const uartc[] = { "arm,pl011", "arm,primecell" };
	struct fdtw w;
	size_t total;

	assert_int_equal(fdtw_init(&w, tree, sizeof(tree)), 0);
	fdtw_begin_node(&w, "");
	fdtw_prop_u32(&w, "#address-cells", 2);
	fdtw_prop_u32(&w, "#size-cells", 2);
	fdtw_prop_u32(&w, "interrupt-parent", 0x8005);

	if (t & T_STDOUT_ALIAS) {
		fdtw_begin_node(&w, "aliases");
		fdtw_prop_str(&w, "serial0", "/pl011@9000000");
		fdtw_prop_str(&w, "serial1", "/pl011@9001000");
		fdtw_end_node(&w);
	}
	fdtw_begin_node(&w, "chosen");
	if (t & T_STDOUT_ALIAS)
		fdtw_prop_str(&w, "stdout-path", "serial1:115200n8");
	else if (t & T_SOC)
		fdtw_prop_str(&w, "stdout-path", "/soc/serial@201000");
	else if (!(t & T_NO_STDOUT))
		fdtw_prop_str(&w, "stdout-path", "/pl011@9000000");
	fdtw_end_node(&w);

	if (!(t & T_NO_MEMORY)) {
		fdtw_begin_node(&w, "memory@40000000");
		fdtw_prop_str(&w, "device_type", "memory");
		if (t & T_MEM_WRAP)
			reg2(&w, 0xfffffffffffff000ull, 0x2000);
		else
			reg2(&w, 0x40000000, 0x40000000);
		fdtw_end_node(&w);
	}
	if (t & (T_MEM_MULTI | T_MEM_OVERLAP)) {
		uint32_t two[8] = { 0x1, 0x00000000, 0x0, 0x10000000,	/* 4G +256M */
				    0x2, 0x00000000, 0x0, 0x00000000 };	/* size 0: skipped */
		if (t & T_MEM_OVERLAP)
			two[1] = 0x70000000, two[0] = 0;	/* inside the first */
		fdtw_begin_node(&w, "memory@100000000");
		fdtw_prop_str(&w, "device_type", "memory");
		fdtw_prop_cells(&w, "reg", two, 8);
		fdtw_end_node(&w);
		fdtw_begin_node(&w, "memory@200000000");
		fdtw_prop_str(&w, "device_type", "memory");
		fdtw_prop_str(&w, "status", "disabled");
		reg2(&w, 0x200000000ull, 0x1000);
		fdtw_end_node(&w);
	}

	if (!(t & T_NO_CPUS)) {
		unsigned n = t & T_MANY_CPUS ? 12 : 2;

		fdtw_begin_node(&w, "cpus");
		fdtw_prop_u32(&w, "#address-cells", t & T_CPUS_AC2 ? 2 : 1);
		fdtw_prop_u32(&w, "#size-cells", 0);
		fdtw_begin_node(&w, "cpu-map");
		fdtw_begin_node(&w, "cluster0");
		fdtw_end_node(&w);
		fdtw_end_node(&w);
		for (unsigned i = 0; i < n && !(t & T_CPUS_EMPTY); i++) {
			uint64_t mpidr = (uint64_t)(i / 4) << 8 | (i % 4);
			char name[32];

			if (t & T_CPUS_AC2)
				mpidr |= (uint64_t)i << 32;
			if ((t & T_DUP_MPIDR) && i == 1)
				mpidr = 0;
			if ((t & T_BAD_MPIDR) && i == 1)
				mpidr = 0x80000001;
			snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)mpidr);
			fdtw_begin_node(&w, name);
			fdtw_prop_str(&w, "device_type", "cpu");
			fdtw_prop_str(&w, "compatible", "arm,cortex-a57");
			if (!((t & T_CPU_NO_REG) && i == 1)) {
				if (t & T_CPUS_AC2)
					fdtw_prop_u64(&w, "reg", mpidr);
				else
					fdtw_prop_u32(&w, "reg", (uint32_t)mpidr);
			}
			fdtw_end_node(&w);
		}
		fdtw_end_node(&w);
	}

	fdtw_begin_node(&w, "psci");
	if (t & T_PSCI01)
		fdtw_prop_str(&w, "compatible", "arm,psci");
	else
		fdtw_prop_strs(&w, "compatible", psci3, 3);
	fdtw_prop_str(&w, "method", t & T_PSCI_BAD_METHOD ? "svc" : t & T_PSCI_HVC ? "hvc" : "smc");
	fdtw_end_node(&w);

	if (!(t & T_NO_GIC)) {
		fdtw_begin_node(&w, "intc@8000000");
		fdtw_prop_str(&w, "compatible", t & T_GICV2 ? "arm,cortex-a15-gic" : "arm,gic-v3");
		fdtw_prop_u32(&w, "#interrupt-cells", 3);
		fdtw_prop_empty(&w, "interrupt-controller");
		if (t & T_GIC_DISABLED)
			fdtw_prop_str(&w, "status", "disabled");
		uint32_t reg[8] = { 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000 };
		if (t & T_GICR_TINY)
			reg[7] = 0x10000;
		fdtw_prop_cells(&w, "reg", reg,
				t & T_GIC_REG_SHORT ? 4 : t & T_GIC_REG_ODD ? 6 : 8);
		fdtw_prop_u32(&w, "phandle", 0x8005);
		fdtw_end_node(&w);
	}
	if (!(t & T_NO_TIMER)) {
		uint32_t irqs[12] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };

		if (t & T_TIMER_SPI)
			irqs[6] = 0;
		fdtw_begin_node(&w, "timer");
		fdtw_prop_str(&w, "compatible", "arm,armv8-timer");
		fdtw_prop_cells(&w, "interrupts", irqs,
				t & T_TIMER_SHORT ? 9 : t & T_TIMER_ODD ? 10 : 12);
		fdtw_end_node(&w);
	}
	if (!(t & T_NO_UART)) {
		uint32_t irq[3] = { t & T_UART_PPI ? 1u : 0u, 1, 4 };

		fdtw_begin_node(&w, "pl011@9000000");
		fdtw_prop_strs(&w, "compatible", uartc, 2);
		reg2(&w, 0x09000000, 0x1000);
		fdtw_prop_cells(&w, "interrupts", irq, 3);
		if (t & T_UART_OTHER_PARENT)
			fdtw_prop_u32(&w, "interrupt-parent", 0x1234);
		fdtw_end_node(&w);
		if (t & T_STDOUT_ALIAS) {
			uint32_t irq2[3] = { 0, 7, 4 };

			fdtw_begin_node(&w, "pl011@9001000");
			fdtw_prop_strs(&w, "compatible", uartc, 2);
			reg2(&w, 0x09001000, 0x1000);
			fdtw_prop_cells(&w, "interrupts", irq2, 3);
			fdtw_end_node(&w);
		}
	}
	if (t & T_SOC) {
		uint32_t ranges[4] = { 0x0, 0x0, 0xfe000000, 0x01800000 };
		uint32_t ureg[2] = { 0x201000, 0x200 };
		uint32_t irq[3] = { 0, 121, 4 };

		fdtw_begin_node(&w, "soc");
		fdtw_prop_str(&w, "compatible", "simple-bus");
		fdtw_prop_u32(&w, "#address-cells", 1);
		fdtw_prop_u32(&w, "#size-cells", 1);
		if (!(t & T_SOC_NO_RANGES))
			fdtw_prop_cells(&w, "ranges", ranges, t & T_SOC_BAD_RANGES ? 3 : 4);
		fdtw_begin_node(&w, "serial@201000");
		fdtw_prop_strs(&w, "compatible", uartc, 2);
		fdtw_prop_cells(&w, "reg", ureg, 2);
		fdtw_prop_cells(&w, "interrupts", irq, 3);
		fdtw_end_node(&w);
		fdtw_end_node(&w);
	}
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &total), 0);
	assert_int_equal(fdt_open(f, tree, total), 0);
}

static void parse_ok(unsigned t, struct platform *p)
{
	struct fdt f;
	char err[160];

	build(t, &f);
	int rc = platform_parse(&f, p, err, sizeof(err));
	if (rc)
		fail_msg("flags 0x%x: %d: %s", t, rc, err);
}

static void parse_bad(unsigned t, int code, const char *msg)
{
	struct platform p;
	struct fdt f;
	char err[160];

	build(t, &f);
	int rc = platform_parse(&f, &p, err, sizeof(err));
	if (rc != code)
		fail_msg("flags 0x%x: %d, not %d: %s", t, rc, code, err);
	if (!strstr(err, msg))
		fail_msg("flags 0x%x: message \"%s\" lacks \"%s\"", t, err, msg);
}

static void test_synthetic_ok(void **state)
{
	struct platform p;

	(void)state;
	parse_ok(0, &p);
	assert_int_equal(p.nr_ram, 1);
	assert_int_equal(p.gicd_pa, 0x08000000);
	assert_int_equal(p.gicr_size, 0xf60000);
	assert_int_equal(p.uart_pa, 0x09000000);
	assert_int_equal(p.uart_spi, 1);
	assert_int_equal(p.timer_ppi[3], 26);
	assert_int_equal(p.nr_cpus, 2);
	assert_int_equal(p.cpu_mpidr[1], 1);
	assert_int_equal(p.psci_smc, 1);

	parse_ok(T_PSCI_HVC, &p);
	assert_int_equal(p.psci_smc, 0);

	/* /cpus with two address cells, Aff3 kept */
	parse_ok(T_CPUS_AC2, &p);
	assert_int_equal(p.nr_cpus, 2);
	assert_int_equal(p.cpu_mpidr[1], 0x100000001ull);

	/* more CPUs than PLAT_MAX_CPUS: the first ones, in document order */
	parse_ok(T_MANY_CPUS, &p);
	assert_int_equal(p.nr_cpus, PLAT_MAX_CPUS);
	assert_int_equal(p.cpu_mpidr[4], 0x100);
	assert_int_equal(p.cpu_mpidr[7], 0x103);

	/* several memory nodes and banks; empty banks and disabled nodes skipped */
	parse_ok(T_MEM_MULTI, &p);
	assert_int_equal(p.nr_ram, 2);
	assert_int_equal(p.ram[0].pa, 0x40000000);
	assert_int_equal(p.ram[1].pa, 0x100000000ull);
	assert_int_equal(p.ram[1].size, 0x10000000);

	/* stdout-path through an alias with options picks the second UART */
	parse_ok(T_STDOUT_ALIAS, &p);
	assert_int_equal(p.uart_pa, 0x09001000);
	assert_int_equal(p.uart_spi, 7);

	/* no stdout-path: the first PL011 */
	parse_ok(T_NO_STDOUT, &p);
	assert_int_equal(p.uart_pa, 0x09000000);

	/* a UART behind a bus: reg translated through the bus's ranges */
	parse_ok(T_SOC, &p);
	assert_int_equal(p.uart_pa, 0xfe201000);
	assert_int_equal(p.uart_size, 0x200);
	assert_int_equal(p.uart_spi, 121);
	/* stdout-path to a bus UART without ranges is refused, not misread */
	parse_bad(T_SOC | T_SOC_NO_RANGES, -ERR_RANGE,
		  "/soc/serial@201000: 'reg' register region does not map to a physical address");
	parse_bad(T_SOC | T_SOC_BAD_RANGES, -ERR_BADFMT,
		  "/soc/serial@201000: 'reg' register region: a parent's 'ranges' is malformed");
	/* the stdout-path UART gone: falls back to the first PL011 */
	parse_ok(T_NO_UART | T_SOC, &p);
	assert_int_equal(p.uart_pa, 0xfe201000);
}

static void test_synthetic_missing(void **state)
{
	(void)state;
	parse_bad(T_NO_MEMORY, -ERR_NOENT, "no memory");
	parse_bad(T_NO_GIC, -ERR_NOENT,
		  "no \"arm,gic-v3\" interrupt controller (cella needs GICv3)");
	parse_bad(T_GIC_DISABLED, -ERR_NOENT, "no \"arm,gic-v3\" interrupt controller");
	parse_bad(T_GICV2, -ERR_NOENT, "/intc@8000000 is a GICv2 \"arm,cortex-a15-gic\"");
	parse_bad(T_NO_CPUS, -ERR_NOENT, "no /cpus node");
	parse_bad(T_CPUS_EMPTY, -ERR_NOENT, "/cpus: no cpu nodes");
	parse_bad(T_NO_UART, -ERR_NOENT, "no \"arm,pl011\" UART");
	parse_bad(T_NO_TIMER, -ERR_NOENT, "no \"arm,armv8-timer\"");
	parse_bad(T_PSCI01, -ERR_NOENT, "/psci: PSCI 0.1 only");
	parse_bad(T_CPU_NO_REG, -ERR_NOENT, "/cpus/cpu@1: no 'reg' property");
}

static void test_synthetic_hostile(void **state)
{
	(void)state;
	parse_bad(T_GIC_REG_SHORT, -ERR_NOENT, "/intc@8000000: 'reg' has no redistributor region");
	parse_bad(T_GIC_REG_ODD, -ERR_INVAL, "/intc@8000000: 'reg' is malformed");
	parse_bad(T_GICR_TINY, -ERR_INVAL, "/intc@8000000: redistributor region is 0x10000 bytes");
	parse_bad(T_TIMER_SHORT, -ERR_NOENT, "/timer: 'interrupts' has no hypervisor timer PPI");
	parse_bad(T_TIMER_ODD, -ERR_INVAL, "/timer: 'interrupts' is not a list");
	parse_bad(T_TIMER_SPI, -ERR_INVAL,
		  "/timer: 'interrupts' virtual timer <0 11> is not a PPI");
	parse_bad(T_UART_PPI, -ERR_INVAL, "/pl011@9000000: 'interrupts' <1 1> is not an SPI");
	parse_bad(T_UART_OTHER_PARENT, -ERR_INVAL, "/pl011@9000000: 'interrupt-parent' is not");
	parse_bad(T_PSCI_BAD_METHOD, -ERR_INVAL, "/psci: 'method' \"svc\"");
	parse_bad(T_DUP_MPIDR, -ERR_EXIST, "/cpus/cpu@0: 'reg' 0x0 is given twice");
	parse_bad(T_BAD_MPIDR, -ERR_INVAL, "'reg' 0x80000001 is not an MPIDR affinity");
	parse_bad(T_MEM_OVERLAP, -ERR_EXIST,
		  "/memory@100000000: RAM 0x70000000+0x10000000 overlaps RAM at 0x40000000");
	parse_bad(T_MEM_WRAP, -ERR_RANGE, "/memory@40000000: 'reg' is malformed");
}

static void test_error_buffer(void **state)
{
	struct platform p;
	struct fdt f;
	char err[16];

	(void)state;
	build(T_GIC_REG_SHORT, &f);
	/* no buffer at all */
	assert_int_equal(platform_parse(&f, &p, NULL, 0), -ERR_NOENT);
	/* a zero-length buffer is not written */
	err[0] = 'Z';
	assert_int_equal(platform_parse(&f, &p, err, 0), -ERR_NOENT);
	assert_int_equal(err[0], 'Z');
	/* a short buffer is cut and terminated, the path prefix included */
	memset(err, 'x', sizeof(err));
	assert_int_equal(platform_parse(&f, &p, err, 10), -ERR_NOENT);
	assert_string_equal(err, "/intc@800");
	assert_int_equal(err[10], 'x');
	memset(err, 'x', sizeof(err));
	assert_int_equal(platform_parse(&f, &p, err, 16), -ERR_NOENT);
	assert_string_equal(err, "/intc@8000000: ");
	/* bad arguments */
	assert_int_equal(platform_parse(NULL, &p, err, sizeof(err)), -ERR_INVAL);
	assert_int_equal(platform_parse(&f, NULL, err, sizeof(err)), -ERR_INVAL);
	/* success clears the message */
	build(0, &f);
	strcpy(err, "stale");
	assert_int_equal(platform_parse(&f, &p, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_smp4_1g),
		cmocka_unit_test(test_qemu_smp1_512m),
		cmocka_unit_test(test_qemu_smp8_2g),
		cmocka_unit_test(test_qemu_virt_off_hvc),
		cmocka_unit_test(test_qemu_gicv2_refused),
		cmocka_unit_test(test_qemu_mutations),
		cmocka_unit_test(test_synthetic_ok),
		cmocka_unit_test(test_synthetic_missing),
		cmocka_unit_test(test_synthetic_hostile),
		cmocka_unit_test(test_error_buffer),
	};

	return cmocka_run_group_tests_name("platform_dt", tests, NULL, NULL);
}
