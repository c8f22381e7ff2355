/* test_guest_dt.c - unit tests for the guest DTB generator (src/core/guest_dt.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/guest_dt.h"
#include "lib/err.h"
#include "lib/fdt.h"

#define BUF_SIZE 8192

static uint8_t blob[BUF_SIZE];

static struct guest_dt_params base_params(uint32_t nr_vcpus)
{
	struct guest_dt_params p = {
		.cell_name = "linux0",
		.ram_ipa = GUEST_RAM_IPA,
		.ram_size = 256ull << 20,
		.nr_vcpus = nr_vcpus,
		.bootargs = "console=ttyAMA0 earlycon",
		.psci_hvc = 1,
	};

	for (uint32_t i = 0; i < nr_vcpus && i < CELLA_MAX_VCPUS; i++)
		p.mpidr[i] = i;
	return p;
}

static void build_ok(const struct guest_dt_params *p, struct fdt *f, uint64_t *size)
{
	*size = 0;
	assert_int_equal(guest_dt_build(p, blob, sizeof(blob), size), 0);
	assert_true(*size > 64 && *size <= sizeof(blob));
	assert_int_equal(fdt_open(f, blob, (size_t)*size), 0);
	assert_int_equal(fdt_totalsize_hint(blob, (size_t)*size), *size);
}

static int node(const struct fdt *f, const char *path)
{
	int n = fdt_find_path(f, path);

	if (n < 0)
		fail_msg("node %s missing (%d)", path, n);
	return n;
}

static uint32_t u32(const struct fdt *f, int n, const char *prop)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(fdt_prop_u32(f, n, prop, &v), 0);
	return v;
}

static const char *str(const struct fdt *f, int n, const char *prop)
{
	const char *s = NULL;

	assert_int_equal(fdt_prop_str(f, n, prop, &s), 0);
	return s;
}

static void assert_cells(const struct fdt *f, int n, const char *prop, const uint32_t *want,
			 unsigned count)
{
	uint32_t len = 0;
	const uint8_t *v = fdt_prop(f, n, prop, &len);

	assert_non_null(v);
	assert_int_equal(len, count * 4);
	for (unsigned i = 0; i < count; i++) {
		uint32_t c = (uint32_t)v[4 * i] << 24 | (uint32_t)v[4 * i + 1] << 16 |
			     (uint32_t)v[4 * i + 2] << 8 | v[4 * i + 3];
		assert_int_equal(c, want[i]);
	}
}

static void assert_strs(const struct fdt *f, int n, const char *prop, const char *const *want,
			unsigned count)
{
	uint32_t len = 0, off = 0;
	const char *v = fdt_prop(f, n, prop, &len);

	assert_non_null(v);
	for (unsigned i = 0; i < count; i++) {
		assert_true(off < len);
		assert_string_equal(v + off, want[i]);
		off += (uint32_t)strlen(want[i]) + 1;
	}
	assert_int_equal(off, len);
}

/* the nodes every guest tree has, whatever the parameters */
static void check_common(const struct fdt *f, const struct guest_dt_params *p)
{
	static const char *const psci_compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
	static const char *const timer_compat[] = { "arm,armv8-timer", "arm,armv7-timer" };
	static const char *const uart_compat[] = { "arm,pl011", "arm,primecell" };
	static const char *const clock_names[] = { "uartclk", "apb_pclk" };
	static const uint32_t timer_irqs[12] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	static const uint32_t uart_irq[3] = { 0, GUEST_UART_SPI, 4 };
	int root = fdt_root(f), chosen, gic, timer, clk, uart, psci, mem;
	uint64_t a, s;
	uint32_t gic_ph, clk_ph, clocks[2];
	char path[64];

	assert_true(root >= 0);
	assert_int_equal(u32(f, root, "#address-cells"), 2);
	assert_int_equal(u32(f, root, "#size-cells"), 2);
	assert_true(fdt_prop_has_str(f, root, "compatible", "linux,dummy-virt"));
	assert_non_null(str(f, root, "model"));

	chosen = node(f, "/chosen");
	assert_string_equal(str(f, chosen, "stdout-path"), "/pl011@9000000");
	if (p->bootargs)
		assert_string_equal(str(f, chosen, "bootargs"), p->bootargs);
	else
		assert_null(fdt_prop(f, chosen, "bootargs", NULL));

	snprintf(path, sizeof(path), "/memory@%llx", (unsigned long long)p->ram_ipa);
	mem = node(f, path);
	assert_string_equal(str(f, mem, "device_type"), "memory");
	assert_int_equal(fdt_reg(f, mem, 0, &a, &s), 0);
	assert_int_equal(a, p->ram_ipa);
	assert_int_equal(s, p->ram_size);
	assert_int_equal(fdt_reg(f, mem, 1, &a, &s), -ERR_NOENT);

	psci = node(f, "/psci");
	assert_strs(f, psci, "compatible", psci_compat, 3);
	assert_string_equal(str(f, psci, "method"), p->psci_hvc ? "hvc" : "smc");

	gic = node(f, "/intc@8000000");
	assert_int_equal(fdt_next_compatible(f, -1, "arm,gic-v3"), gic);
	assert_int_equal(u32(f, gic, "#interrupt-cells"), 3);
	assert_int_equal(u32(f, gic, "#address-cells"), 2);
	assert_int_equal(u32(f, gic, "#size-cells"), 2);
	assert_int_equal(u32(f, gic, "#redistributor-regions"), 1);
	assert_non_null(fdt_prop(f, gic, "interrupt-controller", NULL));
	assert_non_null(fdt_prop(f, gic, "ranges", NULL));
	assert_int_equal(fdt_reg(f, gic, 0, &a, &s), 0);
	assert_int_equal(a, GUEST_GICD_IPA);
	assert_int_equal(s, 0x10000);
	assert_int_equal(fdt_reg(f, gic, 1, &a, &s), 0);
	assert_int_equal(a, GUEST_GICR_IPA);
	assert_int_equal(s, p->nr_vcpus * 0x20000ull);
	assert_int_equal(fdt_reg(f, gic, 2, &a, &s), -ERR_NOENT);
	assert_int_equal(fdt_first_child(f, gic), -ERR_NOENT);	/* no ITS */
	assert_int_equal(fdt_next_compatible(f, -1, "arm,gic-v3-its"), -ERR_NOENT);
	gic_ph = u32(f, gic, "phandle");
	assert_int_equal(u32(f, root, "interrupt-parent"), gic_ph);
	assert_true(gic_ph != 0 && gic_ph != 0xffffffffu);

	timer = node(f, "/timer");
	assert_strs(f, timer, "compatible", timer_compat, 2);
	assert_cells(f, timer, "interrupts", timer_irqs, 12);
	assert_non_null(fdt_prop(f, timer, "always-on", NULL));

	clk = node(f, "/apb-pclk");
	assert_string_equal(str(f, clk, "compatible"), "fixed-clock");
	assert_int_equal(u32(f, clk, "#clock-cells"), 0);
	assert_int_equal(u32(f, clk, "clock-frequency"), 24000000);
	assert_string_equal(str(f, clk, "clock-output-names"), "clk24mhz");
	clk_ph = u32(f, clk, "phandle");
	assert_true(clk_ph != gic_ph && clk_ph != 0 && clk_ph != 0xffffffffu);

	uart = node(f, "/pl011@9000000");
	assert_strs(f, uart, "compatible", uart_compat, 2);
	assert_int_equal(fdt_reg(f, uart, 0, &a, &s), 0);
	assert_int_equal(a, GUEST_UART_IPA);
	assert_int_equal(s, 0x1000);
	assert_cells(f, uart, "interrupts", uart_irq, 3);
	assert_strs(f, uart, "clock-names", clock_names, 2);
	clocks[0] = clocks[1] = clk_ph;
	assert_cells(f, uart, "clocks", clocks, 2);
}

static void check_cpus(const struct fdt *f, const struct guest_dt_params *p, uint32_t addr_cells)
{
	int cpus = node(f, "/cpus"), cpu;
	uint32_t n = 0;

	assert_int_equal(u32(f, cpus, "#address-cells"), addr_cells);
	assert_int_equal(u32(f, cpus, "#size-cells"), 0);
	for (cpu = fdt_first_child(f, cpus); cpu >= 0; cpu = fdt_next_sibling(f, cpu), n++) {
		char name[32];
		uint64_t reg;

		assert_true(n < p->nr_vcpus);
		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)p->mpidr[n]);
		assert_string_equal(fdt_node_name(f, cpu), name);
		assert_string_equal(str(f, cpu, "device_type"), "cpu");
		assert_string_equal(str(f, cpu, "compatible"), "arm,armv8");
		assert_string_equal(str(f, cpu, "enable-method"), "psci");
		assert_int_equal(fdt_prop_u64(f, cpu, "reg", &reg), 0);
		assert_int_equal(reg, p->mpidr[n]);
		uint32_t len;
		assert_non_null(fdt_prop(f, cpu, "reg", &len));
		assert_int_equal(len, addr_cells * 4);
	}
	assert_int_equal(cpu, -ERR_NOENT);
	assert_int_equal(n, p->nr_vcpus);
}

static void test_one_vcpu_no_initrd(void **state)
{
	struct guest_dt_params p = base_params(1);
	struct fdt f;
	uint64_t size;
	int chosen;

	(void)state;
	p.psci_hvc = 0;
	build_ok(&p, &f, &size);
	check_common(&f, &p);
	check_cpus(&f, &p, 1);
	chosen = node(&f, "/chosen");
	assert_null(fdt_prop(&f, chosen, "linux,initrd-start", NULL));
	assert_null(fdt_prop(&f, chosen, "linux,initrd-end", NULL));
}

static void test_two_vcpus_initrd(void **state)
{
	struct guest_dt_params p = base_params(2);
	struct fdt f;
	uint64_t size, v;
	uint32_t len;
	int chosen;

	(void)state;
	p.initrd_ipa = GUEST_RAM_IPA + (128ull << 20);
	p.initrd_size = 0x123456;
	build_ok(&p, &f, &size);
	check_common(&f, &p);
	check_cpus(&f, &p, 1);
	chosen = node(&f, "/chosen");
	assert_int_equal(fdt_prop_u64(&f, chosen, "linux,initrd-start", &v), 0);
	assert_int_equal(v, p.initrd_ipa);
	assert_non_null(fdt_prop(&f, chosen, "linux,initrd-start", &len));
	assert_int_equal(len, 8);
	assert_int_equal(fdt_prop_u64(&f, chosen, "linux,initrd-end", &v), 0);
	assert_int_equal(v, p.initrd_ipa + p.initrd_size);
	assert_non_null(fdt_prop(&f, chosen, "linux,initrd-end", &len));
	assert_int_equal(len, 8);
}

static void test_variants(void **state)
{
	struct guest_dt_params p = base_params(1);
	struct fdt f;
	uint64_t size;

	(void)state;
	/* two vCPUs, no initrd, no bootargs, no name */
	p = base_params(2);
	p.bootargs = NULL;
	p.cell_name = NULL;
	build_ok(&p, &f, &size);
	check_common(&f, &p);
	check_cpus(&f, &p, 1);

	/* one vCPU with an initrd filling the end of RAM exactly */
	p = base_params(1);
	p.initrd_ipa = p.ram_ipa + p.ram_size - 4096;
	p.initrd_size = 4096;
	build_ok(&p, &f, &size);
	check_common(&f, &p);

	/* all vCPUs, cluster-style affinities */
	p = base_params(CELLA_MAX_VCPUS);
	for (uint32_t i = 0; i < CELLA_MAX_VCPUS; i++)
		p.mpidr[i] = ((uint64_t)(i / 4) << 8) | (i % 4);
	build_ok(&p, &f, &size);
	check_common(&f, &p);
	check_cpus(&f, &p, 1);
	node(&f, "/cpus/cpu@103");

	/* VMPIDR_EL2-style values: RES1, U and MT bits are not part of "reg" */
	p = base_params(2);
	p.mpidr[0] = 0x80000000ull;
	p.mpidr[1] = 0xc1000101ull;
	build_ok(&p, &f, &size);
	p.mpidr[0] = 0;
	p.mpidr[1] = 0x101;
	check_cpus(&f, &p, 1);

	/* an Aff3 value needs two address cells */
	p = base_params(2);
	p.mpidr[1] = 0x0100000000ull;
	build_ok(&p, &f, &size);
	check_cpus(&f, &p, 2);

	/* RAM elsewhere, above 4 GiB; a long name is cut, not overflowed */
	p = base_params(1);
	p.ram_ipa = 0x80000000000ull;
	p.ram_size = 3ull << 30;
	p.cell_name = "a-cell-name-that-is-much-longer-than-anything-a-model-string-should-hold";
	build_ok(&p, &f, &size);
	check_common(&f, &p);
	node(&f, "/memory@80000000000");
	assert_true(strlen(str(&f, fdt_root(&f), "model")) < 64);
}

/* dtc_check - run dtc over @n bytes of blob; returns its exit status, or -1 if dtc is absent */
static int dtc_check(const void *b, size_t n, char *out, size_t outlen)
{
	char file[] = "/tmp/test_guest_dt.XXXXXX", cmd[128];
	FILE *pf;
	size_t got = 0;
	int fd, st;

	if (system("command -v dtc >/dev/null 2>&1") != 0)
		return -1;
	fd = mkstemp(file);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts %s 2>&1", file);
	pf = popen(cmd, "r");
	assert_non_null(pf);
	while (got + 1 < outlen) {
		size_t r = fread(out + got, 1, outlen - 1 - got, pf);
		if (!r)
			break;
		got += r;
	}
	out[got] = '\0';
	while (fgetc(pf) != EOF)
		;
	st = pclose(pf);
	unlink(file);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void test_dtc_accepts(void **state)
{
	static char out[65536];
	struct guest_dt_params p;
	struct fdt f;
	uint64_t size;

	(void)state;
	for (uint32_t v = 1; v <= 2; v++) {
		for (int initrd = 0; initrd < 2; initrd++) {
			p = base_params(v);
			if (initrd) {
				p.initrd_ipa = GUEST_RAM_IPA + (64ull << 20);
				p.initrd_size = 1 << 20;
			}
			build_ok(&p, &f, &size);
			int rc = dtc_check(blob, (size_t)size, out, sizeof(out));
			if (rc < 0)
				skip();
			if (rc != 0)
				fail_msg("dtc exit %d:\n%s", rc, out);
			/* dtc warns about binding violations it knows; we want none */
			if (strstr(out, "Warning") || strstr(out, "ERROR"))
				fail_msg("dtc complained:\n%s", out);
			assert_non_null(strstr(out, "compatible = \"arm,gic-v3\";"));
			assert_non_null(strstr(out, "stdout-path = \"/pl011@9000000\";"));
			if (initrd)
				assert_non_null(
					strstr(out, "linux,initrd-start = <0x00 0x44000000>;"));
		}
	}
}

static void test_hostile_params(void **state)
{
	struct guest_dt_params p;
	uint64_t size = 0x5a5a;
	const uint64_t top = ~0ull;

	(void)state;
#define BAD(mutate)                                                                   \
	do {                                                                            \
		p = base_params(2);                                                     \
		mutate;                                                                 \
		assert_int_equal(guest_dt_build(&p, blob, sizeof(blob), &size), -ERR_INVAL); \
		assert_int_equal(size, 0x5a5a);                                         \
	} while (0)

	BAD(p.nr_vcpus = 0);
	BAD(p.nr_vcpus = CELLA_MAX_VCPUS + 1);
	BAD(p.nr_vcpus = 0xffffffffu);
	BAD(p.ram_size = 0);
	BAD((p.ram_ipa = top - 0xfff, p.ram_size = 0x1000));		/* ends exactly at 2^64 */
	BAD((p.ram_ipa = 0x100000000ull, p.ram_size = top));
	BAD((p.ram_ipa = 0, p.ram_size = 0x08000001));			/* covers the GICD */
	BAD((p.ram_ipa = 0x080b0000, p.ram_size = 0x1000));		/* inside the GICRs */
	BAD((p.ram_ipa = 0x09000800, p.ram_size = 0x1000));		/* over the UART */
	BAD((p.initrd_ipa = GUEST_RAM_IPA - 0x1000, p.initrd_size = 0x2000));
	BAD((p.initrd_ipa = 0x1000, p.initrd_size = 0x1000));
	BAD((p.initrd_ipa = p.ram_ipa + p.ram_size - 0x1000, p.initrd_size = 0x1001));
	BAD((p.initrd_ipa = p.ram_ipa + p.ram_size, p.initrd_size = 1));
	BAD((p.initrd_ipa = top - 0xff, p.initrd_size = 0x1000));		/* wraps */
	BAD((p.initrd_ipa = GUEST_RAM_IPA, p.initrd_size = top));
	BAD(p.mpidr[1] = 0);						/* duplicate */
	BAD(p.mpidr[1] = 0x80000000ull);				/* same affinity as 0 */
	BAD(p.mpidr[1] = 1ull << 40);					/* RES0 bits */
	BAD(p.mpidr[1] = 1ull << 63);
	BAD(p.mpidr[1] = 1ull << 25);
	BAD(p.mpidr[1] = 0x3e000001ull);
#undef BAD

	p = base_params(1);
	assert_int_equal(guest_dt_build(NULL, blob, sizeof(blob), &size), -ERR_INVAL);
	assert_int_equal(guest_dt_build(&p, blob, sizeof(blob), NULL), -ERR_INVAL);
	assert_int_equal(guest_dt_build(&p, NULL, sizeof(blob), &size), -ERR_INVAL);
	assert_int_equal(size, 0x5a5a);
	/* a RAM region right after the UART frame is fine */
	p.ram_ipa = 0x09001000;
	p.ram_size = 0x1000;
	assert_int_equal(guest_dt_build(&p, blob, sizeof(blob), &size), 0);
	/* an initrd of size 0 means none, wherever initrd_ipa points */
	p = base_params(1);
	p.initrd_ipa = top;
	assert_int_equal(guest_dt_build(&p, blob, sizeof(blob), &size), 0);
}

static void test_buffer_too_small(void **state)
{
	struct guest_dt_params p = base_params(2);
	uint64_t need = 0, size;
	static uint8_t ref[BUF_SIZE];

	(void)state;
	p.initrd_ipa = GUEST_RAM_IPA + 0x1000000;
	p.initrd_size = 0x1000;
	assert_int_equal(guest_dt_build(&p, ref, sizeof(ref), &need), 0);
	assert_int_equal(guest_dt_build(&p, NULL, 0, &size), -ERR_NOSPC);
	/* each size in its own exact heap allocation, so ASan sees any write past the end */
	for (uint64_t cap = 0; cap < need; cap++) {
		uint8_t *b = malloc(cap ? cap : 1);

		assert_non_null(b);
		size = 0x5a5a;
		assert_int_equal(guest_dt_build(&p, b, cap, &size), -ERR_NOSPC);
		assert_int_equal(size, 0x5a5a);
		free(b);
	}
	uint8_t *b = malloc(need);
	assert_non_null(b);
	assert_int_equal(guest_dt_build(&p, b, need, &size), 0);
	assert_int_equal(size, need);
	assert_memory_equal(b, ref, need);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_vcpu_no_initrd),
		cmocka_unit_test(test_two_vcpus_initrd),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_dtc_accepts),
		cmocka_unit_test(test_hostile_params),
		cmocka_unit_test(test_buffer_too_small),
	};

	return cmocka_run_group_tests_name("guest_dt", tests, NULL, NULL);
}
