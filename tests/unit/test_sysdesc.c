/* test_sysdesc.c - host unit tests of the system description parser (src/core/sysdesc.c).
 * Descriptions are written as DTS and compiled with dtc at test time; hostile blobs that dtc
 * refuses to produce are written with the FDT writer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cella/abi.h>
#include "core/sysdesc.h"
#include "lib/err.h"
#include "lib/fdt.h"

/* a description whose /cells holds @cells */
#define DTS(cells) \
	"/dts-v1/;\n/ {\n\tcompatible = \"cella,system\";\n\tcells {\n" cells "\n\t};\n};\n"
/* a minimal cell called @name with extra properties @props */
#define CELL(name, props) \
	name " {\n memory-size = <0x200000>;\n kernel = \"vmlinuz\";\n " props "\n};\n"

static uint8_t *blob;		/* the last compiled description (the parse points into it) */
static size_t blob_size;
static struct fdt fdt;
static struct sysdesc sd;
static char err[256];

/* compile @dts with dtc into an exact-size heap buffer (blob, blob_size) */
static void compile(const char *dts)
{
	char path[] = "/tmp/cella-test-sysdesc-XXXXXX", cmd[128];
	size_t cap = 4096, n;
	FILE *p;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, dts, strlen(dts)), (ssize_t)strlen(dts));
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb %s", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	free(blob);
	blob = malloc(cap);
	blob_size = 0;
	while ((n = fread(blob + blob_size, 1, cap - blob_size, p)) > 0) {
		blob_size += n;
		if (blob_size == cap) {
			cap *= 2;
			blob = realloc(blob, cap);
			assert_non_null(blob);
		}
	}
	assert_int_equal(pclose(p), 0);
	unlink(path);
	assert_true(blob_size > 0);
	/* shrink to the exact size so the sanitizer sees reads past the end */
	blob = realloc(blob, blob_size);
}

/* parse the current blob for a machine with @nr_pcpus pCPUs */
static int parse_blob(uint32_t nr_pcpus)
{
	int rc;

	assert_int_equal(fdt_open(&fdt, blob, blob_size), 0);
	memset(err, 'x', sizeof(err));
	rc = sysdesc_parse(&fdt, &sd, nr_pcpus, err, sizeof(err));
	if (rc == 0) {
		assert_string_equal(err, "");
	} else {
		/* every error is one line naming a node path */
		assert_true(rc < 0);
		assert_true(err[0] == '/');
		assert_null(strchr(err, '\n'));
	}
	return rc;
}

static int parse(const char *dts, uint32_t nr_pcpus)
{
	compile(dts);
	return parse_blob(nr_pcpus);
}

/* the description must be refused with @rc and exactly @msg */
static void expect_err(const char *dts, uint32_t nr_pcpus, int rc, const char *msg)
{
	assert_int_equal(parse(dts, nr_pcpus), rc);
	assert_string_equal(err, msg);
}

static int teardown(void **state)
{
	free(blob);
	blob = NULL;
	return 0;
}

/* ---- good descriptions ---- */

static void test_defaults(void **state)
{
	const struct sysdesc_cell *c = &sd.cells[0];

	assert_int_equal(parse(DTS(CELL("linux", "")), 4), 0);
	assert_int_equal(sd.nr_cells, 1);
	assert_string_equal(c->name, "linux");
	assert_string_equal(c->path, "/cells/linux");
	assert_true(c->mem_size == 0x200000);
	assert_false(c->mem_pa_fixed);
	assert_true(c->mem_pa == 0);
	assert_int_equal(c->nr_vcpus, 1);
	assert_int_equal(c->pcpu[0], 0);
	assert_string_equal(c->kernel, "vmlinuz");
	assert_null(c->initrd);
	assert_string_equal(c->bootargs, "");
	assert_true(c->console);
	assert_true(c->restart_on_reset);
	/* the strings point into the blob */
	assert_true((const uint8_t *)c->kernel > blob);
	assert_true((const uint8_t *)c->kernel < blob + blob_size);
}

static void test_full_example(void **state)
{
	const struct sysdesc_cell *c = &sd.cells[0];

	assert_int_equal(parse(DTS("linux {\n"
				   "  compatible = \"cella,cell\";\n"
				   "  memory-size = <0x0 0x20000000>;\n"
				   "  memory-pa = <0x0 0x60000000>;\n"
				   "  vcpus = <2>;\n"
				   "  cpus = <3 1>;\n"
				   "  kernel = \"vmlinuz\";\n"
				   "  initrd = \"initrd.img\";\n"
				   "  bootargs = \"console=ttyAMA0 earlycon\";\n"
				   "  console;\n"
				   "  on-reset = \"stop\";\n"
				   "};"),
			       4),
			 0);
	assert_int_equal(sd.nr_cells, 1);
	assert_string_equal(c->name, "linux");
	assert_true(c->mem_size == 0x20000000);
	assert_true(c->mem_pa_fixed);
	assert_true(c->mem_pa == 0x60000000);
	assert_int_equal(c->nr_vcpus, 2);
	assert_int_equal(c->pcpu[0], 3);
	assert_int_equal(c->pcpu[1], 1);
	assert_string_equal(c->kernel, "vmlinuz");
	assert_string_equal(c->initrd, "initrd.img");
	assert_string_equal(c->bootargs, "console=ttyAMA0 earlycon");
	assert_true(c->console);
	assert_false(c->restart_on_reset);
}

static void test_two_cells_pinned_in_order(void **state)
{
	assert_int_equal(parse(DTS(CELL("a", "vcpus = <2>;") CELL("b", "vcpus = <3>;")), 8), 0);
	assert_int_equal(sd.nr_cells, 2);
	assert_string_equal(sd.cells[0].name, "a");
	assert_string_equal(sd.cells[1].name, "b");
	assert_int_equal(sd.cells[0].pcpu[0], 0);
	assert_int_equal(sd.cells[0].pcpu[1], 1);
	assert_int_equal(sd.cells[1].pcpu[0], 2);
	assert_int_equal(sd.cells[1].pcpu[1], 3);
	assert_int_equal(sd.cells[1].pcpu[2], 4);
	/* console defaults to the first cell only */
	assert_true(sd.cells[0].console);
	assert_false(sd.cells[1].console);
}

static void test_auto_pinning_skips_explicit(void **state)
{
	/* a later cell's explicit pins are honoured; earlier automatic cells go around them */
	assert_int_equal(parse(DTS(CELL("a", "vcpus = <2>;") CELL("b", "vcpus = <2>; cpus = <0 2>;")
				   CELL("c", "")),
			       5),
			 0);
	assert_int_equal(sd.cells[0].pcpu[0], 1);
	assert_int_equal(sd.cells[0].pcpu[1], 3);
	assert_int_equal(sd.cells[1].pcpu[0], 0);
	assert_int_equal(sd.cells[1].pcpu[1], 2);
	assert_int_equal(sd.cells[2].pcpu[0], 4);
}

static void test_console_explicit(void **state)
{
	assert_int_equal(parse(DTS(CELL("a", "") CELL("b", "console;") CELL("c", "")), 4), 0);
	assert_false(sd.cells[0].console);
	assert_true(sd.cells[1].console);
	assert_false(sd.cells[2].console);
}

static void test_two_cells_values(void **state)
{
	assert_int_equal(parse(DTS("rtos@1 {\n memory-size = <0x1 0x0>;\n memory-pa = <0x1 0x0>;\n"
				   " kernel = \"rtos.bin\";\n on-reset = \"restart\";\n};\n"
				   "linux@2 {\n memory-size = <0x0 0x40000000>;\n"
				   " memory-pa = <0x0 0xc0000000>;\n vcpus = <3>;\n"
				   " kernel = \"vmlinuz\";\n initrd = \"rootfs.cpio\";\n"
				   " bootargs = \"quiet\";\n};"),
			       4),
			 0);
	assert_int_equal(sd.nr_cells, 2);
	assert_string_equal(sd.cells[0].name, "rtos");
	assert_string_equal(sd.cells[0].path, "/cells/rtos@1");
	assert_true(sd.cells[0].mem_size == 0x100000000ull);
	assert_true(sd.cells[0].mem_pa == 0x100000000ull);
	assert_true(sd.cells[0].restart_on_reset);
	assert_string_equal(sd.cells[0].bootargs, "");
	assert_string_equal(sd.cells[1].name, "linux");
	assert_string_equal(sd.cells[1].path, "/cells/linux@2");
	/* [0xc0000000, 0x100000000) touches but does not overlap the first cell */
	assert_true(sd.cells[1].mem_pa == 0xc0000000ull);
	assert_int_equal(sd.cells[1].nr_vcpus, 3);
	assert_int_equal(sd.cells[1].pcpu[0], 1);
	assert_int_equal(sd.cells[1].pcpu[2], 3);
	assert_string_equal(sd.cells[1].initrd, "rootfs.cpio");
	assert_string_equal(sd.cells[1].bootargs, "quiet");
}

static void test_unknown_ignored(void **state)
{
	/* no root compatible, unknown properties and subnodes, a property on /cells */
	assert_int_equal(parse("/dts-v1/;\n/ {\n model = \"x\";\n cells {\n #address-cells = <1>;\n"
			       "  a {\n memory-size = <0x200000>;\n kernel = \"k\";\n"
			       "   priority = <3>;\n future-thing = \"yes\";\n"
			       "   channel { peer = \"b\"; };\n  };\n };\n other { foo; };\n};\n",
			       1),
			 0);
	assert_int_equal(sd.nr_cells, 1);
	assert_string_equal(sd.cells[0].kernel, "k");
}

static void test_limits_ok(void **state)
{
	/* 8 cells of 1 vCPU on 8 pCPUs; the largest and smallest memory */
	assert_int_equal(parse(DTS("c0 {\n memory-size = <0x40 0x0>;\n kernel = \"k\";\n};\n"
				   CELL("c1", "") CELL("c2", "") CELL("c3", "") CELL("c4", "")
				   CELL("c5", "") CELL("c6", "") CELL("c7", "cpus = <7>;")),
			       8),
			 0);
	assert_int_equal(sd.nr_cells, 8);
	assert_true(sd.cells[0].mem_size == 256ull << 30);
	assert_true(sd.cells[1].mem_size == 2ull << 20);
	assert_int_equal(sd.cells[6].pcpu[0], 6);
	assert_int_equal(sd.cells[7].pcpu[0], 7);
	/* 8 vCPUs in one cell */
	assert_int_equal(parse(DTS(CELL("big", "vcpus = <8>;")), 8), 0);
	assert_int_equal(sd.cells[0].pcpu[7], 7);
	/* a 31-character name, and every allowed character */
	assert_int_equal(parse(DTS(CELL("abcdefghijklmnopqrstuvwxyz01234", "")
				   CELL("A-Z_0.9,+", "")),
			       2),
			 0);
	assert_string_equal(sd.cells[0].name, "abcdefghijklmnopqrstuvwxyz01234");
	assert_string_equal(sd.cells[1].name, "A-Z_0.9,+");
	/* a module name of 63 characters; two cells sharing one kernel */
	assert_int_equal(parse(DTS(CELL("a", "initrd = \"0123456789012345678901234567890"
					     "12345678901234567890123456789012\";") CELL("b", "")),
			       2),
			 0);
	assert_int_equal(strlen(sd.cells[0].initrd), 63);
	assert_string_equal(sd.cells[1].kernel, sd.cells[0].kernel);
}

static void test_memory_pa_edges(void **state)
{
	/* a range ending just below 2^64 */
	assert_int_equal(parse(DTS(CELL("a", "memory-pa = <0xffffffff 0xffc00000>;")), 1), 0);
	assert_true(sd.cells[0].mem_pa == 0xffffffffffc00000ull);
	/* one fixed, one not */
	assert_int_equal(parse(DTS(CELL("a", "memory-pa = <0x40000000>;") CELL("b", "")), 2), 0);
	assert_true(sd.cells[0].mem_pa_fixed);
	assert_false(sd.cells[1].mem_pa_fixed);
	assert_true(sd.cells[1].mem_pa == 0);
}

/* ---- errors in /cells ---- */

static void test_err_no_cells_node(void **state)
{
	expect_err("/dts-v1/;\n/ { compatible = \"cella,system\"; };\n", 4, -ERR_NOENT,
		   "/: no /cells node");
	/* a platform DTB passed by mistake */
	expect_err("/dts-v1/;\n/ { memory@40000000 { device_type = \"memory\"; }; };\n", 4,
		   -ERR_NOENT, "/: no /cells node");
}

static void test_err_no_cells(void **state)
{
	expect_err(DTS(""), 4, -ERR_NOENT, "/cells: no cells (add one node per cell)");
}

static void test_err_too_many_cells(void **state)
{
	expect_err(DTS(CELL("c0", "") CELL("c1", "") CELL("c2", "") CELL("c3", "") CELL("c4", "")
		       CELL("c5", "") CELL("c6", "") CELL("c7", "") CELL("c8", "")),
		   16, -ERR_RANGE, "/cells: more than 8 cells");
}

static void test_err_duplicate_name(void **state)
{
	expect_err(DTS(CELL("linux@0", "") CELL("linux@1", "")), 4, -ERR_EXIST,
		   "/cells/linux@1: cell name 'linux' is also used by /cells/linux@0");
	expect_err(DTS(CELL("a", "") CELL("b", "") CELL("a@7", "")), 4, -ERR_EXIST,
		   "/cells/a@7: cell name 'a' is also used by /cells/a");
}

static void test_err_name_too_long(void **state)
{
	expect_err(DTS(CELL("abcdefghijklmnopqrstuvwxyz012345", "")), 4, -ERR_RANGE,
		   "/cells/abcdefghijklmnopqrstuvwxyz012345: cell name is 32 characters; "
		   "at most 31");
}

/* ---- errors in memory ---- */

static void test_err_memory_size(void **state)
{
	expect_err(DTS("linux { kernel = \"k\"; };"), 4, -ERR_NOENT,
		   "/cells/linux: no 'memory-size'");
	expect_err(DTS("linux { kernel = \"k\"; memory-size = <0 0 0x200000>; };"), 4, -ERR_INVAL,
		   "/cells/linux: 'memory-size' must be 1 or 2 cells");
	expect_err(DTS("linux { kernel = \"k\"; memory-size = \"2M\"; };"), 4, -ERR_INVAL,
		   "/cells/linux: 'memory-size' must be 1 or 2 cells");
	expect_err(DTS("linux { kernel = \"k\"; memory-size; };"), 4, -ERR_INVAL,
		   "/cells/linux: 'memory-size' must be 1 or 2 cells");
	expect_err(DTS("linux { kernel = \"k\"; memory-size = <0 0>; };"), 4, -ERR_RANGE,
		   "/cells/linux: 'memory-size' is 0");
	expect_err(DTS("linux { kernel = \"k\"; memory-size = <0x100000>; };"), 4, -ERR_RANGE,
		   "/cells/linux: 'memory-size' 0x100000 is not a multiple of 2 MiB");
	expect_err(DTS("linux { kernel = \"k\"; memory-size = <0x20000001>; };"), 4, -ERR_RANGE,
		   "/cells/linux: 'memory-size' 0x20000001 is not a multiple of 2 MiB");
	expect_err(DTS("linux { kernel = \"k\"; memory-size = <0x40 0x200000>; };"), 4, -ERR_RANGE,
		   "/cells/linux: 'memory-size' 0x4000200000 is more than the 256 GiB a cell may "
		   "have");
	expect_err(DTS("linux { kernel = \"k\"; memory-size = <0xffffffff 0xffe00000>; };"), 4,
		   -ERR_RANGE,
		   "/cells/linux: 'memory-size' 0xffffffffffe00000 is more than the 256 GiB a cell "
		   "may have");
}

static void test_err_memory_pa(void **state)
{
	expect_err(DTS(CELL("linux", "memory-pa = <0 0 0>;")), 4, -ERR_INVAL,
		   "/cells/linux: 'memory-pa' must be 1 or 2 cells");
	expect_err(DTS(CELL("linux", "memory-pa = <0x60100000>;")), 4, -ERR_RANGE,
		   "/cells/linux: 'memory-pa' 0x60100000 is not 2 MiB aligned");
	expect_err(DTS(CELL("linux", "memory-pa = <0 1>;")), 4, -ERR_RANGE,
		   "/cells/linux: 'memory-pa' 0x1 is not 2 MiB aligned");
	/* ending exactly at 2^64 */
	expect_err(DTS(CELL("linux", "memory-pa = <0xffffffff 0xffe00000>;")), 4, -ERR_RANGE,
		   "/cells/linux: 'memory-pa' 0xffffffffffe00000 plus 'memory-size' 0x200000 "
		   "overflows 64 bits");
	expect_err(DTS("linux { kernel = \"k\"; memory-size = <0x40 0>; "
		       "memory-pa = <0xfffffff0 0>; };"),
		   4, -ERR_RANGE,
		   "/cells/linux: 'memory-pa' 0xfffffff000000000 plus 'memory-size' 0x4000000000 "
		   "overflows 64 bits");
}

static void test_err_memory_overlap(void **state)
{
	expect_err(DTS(CELL("small", "memory-pa = <0x70000000>;")
		       "big { kernel = \"k\"; memory-size = <0x20000000>; "
		       "memory-pa = <0x60000000>; };"),
		   4, -ERR_EXIST,
		   "/cells/big: memory-pa range [0x60000000, 0x80000000) overlaps /cells/small");
	/* same start */
	expect_err(DTS(CELL("a", "memory-pa = <0x60000000>;") CELL("b", "")
		       CELL("c", "memory-pa = <0x60000000>;")),
		   4, -ERR_EXIST,
		   "/cells/c: memory-pa range [0x60000000, 0x60200000) overlaps /cells/a");
	/* overlapping by the last 2 MiB */
	expect_err(DTS("a { kernel = \"k\"; memory-size = <0x400000>; memory-pa = <0x60000000>; };"
		       CELL("b", "memory-pa = <0x60200000>;")),
		   4, -ERR_EXIST,
		   "/cells/b: memory-pa range [0x60200000, 0x60400000) overlaps /cells/a");
}

/* ---- errors in vCPUs and pinning ---- */

static void test_err_vcpus(void **state)
{
	expect_err(DTS(CELL("linux", "vcpus = <9>;")), 16, -ERR_RANGE,
		   "/cells/linux: 'vcpus' is 9; at most 8 vCPUs per cell");
	expect_err(DTS(CELL("linux", "vcpus = <0xffffffff>;")), 16, -ERR_RANGE,
		   "/cells/linux: 'vcpus' is 4294967295; at most 8 vCPUs per cell");
	expect_err(DTS(CELL("linux", "vcpus = <0>;")), 16, -ERR_RANGE,
		   "/cells/linux: 'vcpus' is 0; a cell needs at least 1 vCPU");
	expect_err(DTS(CELL("linux", "vcpus = <0 2>;")), 16, -ERR_INVAL,
		   "/cells/linux: 'vcpus' must be one cell");
	expect_err(DTS(CELL("linux", "vcpus = \"2\";")), 16, -ERR_INVAL,
		   "/cells/linux: 'vcpus' must be one cell");
	expect_err(DTS(CELL("linux", "vcpus;")), 16, -ERR_INVAL,
		   "/cells/linux: 'vcpus' must be one cell");
}

/* more vCPUs than pCPUs: the scheduler shares them; without 'cpus' the least-loaded pCPU */
static void test_more_vcpus_than_pcpus(void **state)
{
	assert_int_equal(parse(DTS(CELL("a", "vcpus = <3>;") CELL("b", "vcpus = <2>;")), 4), 0);
	assert_int_equal(sd.cells[0].pcpu[0], 0);
	assert_int_equal(sd.cells[0].pcpu[1], 1);
	assert_int_equal(sd.cells[0].pcpu[2], 2);
	assert_int_equal(sd.cells[1].pcpu[0], 3);
	assert_int_equal(sd.cells[1].pcpu[1], 0);	/* all four taken: back to the first */
	assert_int_equal(parse(DTS(CELL("a", "vcpus = <4>;")), 2), 0);
	assert_int_equal(sd.cells[0].pcpu[0], 0);
	assert_int_equal(sd.cells[0].pcpu[1], 1);
	assert_int_equal(sd.cells[0].pcpu[2], 0);
	assert_int_equal(sd.cells[0].pcpu[3], 1);
	/* explicit pins count: the automatic cell goes where the load is least */
	assert_int_equal(parse(DTS(CELL("a", "vcpus = <2>; cpus = <0 0>;") CELL("b", "vcpus = <2>;")),
			       2), 0);
	assert_int_equal(sd.cells[1].pcpu[0], 1);
	assert_int_equal(sd.cells[1].pcpu[1], 1);
	expect_err(DTS(CELL("a", "")), 0, -ERR_RANGE, "/cells: the machine has no pCPU");
}

/* one pCPU named by several cells, and twice by one */
static void test_cpus_shared(void **state)
{
	assert_int_equal(parse(DTS(CELL("a", "vcpus = <2>; cpus = <0 1>;") CELL("b", "cpus = <1>;")),
			       4), 0);
	assert_int_equal(sd.cells[1].pcpu[0], 1);
	assert_int_equal(parse(DTS(CELL("a", "vcpus = <3>; cpus = <2 1 2>;")), 4), 0);
	assert_int_equal(sd.cells[0].pcpu[2], 2);
}

static void test_priority_slice(void **state)
{
	assert_int_equal(parse(DTS(CELL("a", "") CELL("b", "priority = <255>; time-slice-us = <100>;")
			       CELL("c", "priority = <0>; time-slice-us = <1000000>;")), 2), 0);
	assert_int_equal(sd.cells[0].priority, SYSDESC_PRIO_DEFAULT);
	assert_int_equal(sd.cells[0].slice_us, SYSDESC_SLICE_DEFAULT_US);
	assert_int_equal(sd.cells[1].priority, 255);
	assert_int_equal(sd.cells[1].slice_us, 100);
	assert_int_equal(sd.cells[2].priority, 0);
	assert_int_equal(sd.cells[2].slice_us, 1000000);
	expect_err(DTS(CELL("a", "priority = <256>;")), 2, -ERR_RANGE,
		   "/cells/a: 'priority' is 256; priorities run from 0 to 255");
	expect_err(DTS(CELL("a", "priority = <0xffffffff>;")), 2, -ERR_RANGE,
		   "/cells/a: 'priority' is 4294967295; priorities run from 0 to 255");
	expect_err(DTS(CELL("a", "priority = \"high\";")), 2, -ERR_INVAL,
		   "/cells/a: 'priority' must be one cell");
	expect_err(DTS(CELL("a", "time-slice-us = <0>;")), 2, -ERR_RANGE,
		   "/cells/a: 'time-slice-us' is 0; a time slice is from 100 to 1000000");
	expect_err(DTS(CELL("a", "time-slice-us = <99>;")), 2, -ERR_RANGE,
		   "/cells/a: 'time-slice-us' is 99; a time slice is from 100 to 1000000");
	expect_err(DTS(CELL("a", "time-slice-us = <1000001>;")), 2, -ERR_RANGE,
		   "/cells/a: 'time-slice-us' is 1000001; a time slice is from 100 to 1000000");
	expect_err(DTS(CELL("a", "time-slice-us = <0 1>;")), 2, -ERR_INVAL,
		   "/cells/a: 'time-slice-us' must be one cell");
}

static void test_err_cpus_range(void **state)
{
	expect_err(DTS(CELL("linux", "vcpus = <2>; cpus = <0 5>;")), 4, -ERR_RANGE,
		   "/cells/linux: 'cpus' names pCPU 5, but the machine has 4 pCPUs");
	expect_err(DTS(CELL("linux", "cpus = <4>;")), 4, -ERR_RANGE,
		   "/cells/linux: 'cpus' names pCPU 4, but the machine has 4 pCPUs");
	expect_err(DTS(CELL("linux", "cpus = <0xffffffff>;")), 4, -ERR_RANGE,
		   "/cells/linux: 'cpus' names pCPU 4294967295, but the machine has 4 pCPUs");
}

static void test_err_cpus_shape(void **state)
{
	expect_err(DTS(CELL("a", "vcpus = <2>; cpus = <3>;")), 4, -ERR_INVAL,
		   "/cells/a: 'cpus' lists 1 pCPU, but 'vcpus' is 2");
	expect_err(DTS(CELL("a", "vcpus = <2>; cpus = <0 1 2>;")), 4, -ERR_INVAL,
		   "/cells/a: 'cpus' lists 3 pCPUs, but 'vcpus' is 2");
	expect_err(DTS(CELL("a", "cpus = <0 1>;")), 4, -ERR_INVAL,
		   "/cells/a: 'cpus' lists 2 pCPUs, but 'vcpus' is 1 (the default)");
	expect_err(DTS(CELL("a", "cpus;")), 4, -ERR_INVAL,
		   "/cells/a: 'cpus' must be a list of pCPU numbers, one cell each");
	expect_err(DTS(CELL("a", "cpus = [00 01];")), 4, -ERR_INVAL,
		   "/cells/a: 'cpus' must be a list of pCPU numbers, one cell each");
	expect_err(DTS(CELL("a", "cpus = \"0\";")), 4, -ERR_INVAL,
		   "/cells/a: 'cpus' must be a list of pCPU numbers, one cell each");
}

/* ---- errors in images and policy ---- */

static void test_err_kernel(void **state)
{
	expect_err(DTS("linux { memory-size = <0x200000>; };"), 4, -ERR_NOENT,
		   "/cells/linux: no 'kernel'");
	expect_err(DTS("linux { memory-size = <0x200000>; kernel; };"), 4, -ERR_INVAL,
		   "/cells/linux: 'kernel' is not a NUL-terminated string");
	expect_err(DTS("linux { memory-size = <0x200000>; kernel = <1>; };"), 4, -ERR_INVAL,
		   "/cells/linux: 'kernel' is not a NUL-terminated string");
	expect_err(DTS("linux { memory-size = <0x200000>; kernel = [76 6d 6c]; };"), 4, -ERR_INVAL,
		   "/cells/linux: 'kernel' is not a NUL-terminated string");
	expect_err(DTS("linux { memory-size = <0x200000>; kernel = \"a\", \"b\"; };"), 4,
		   -ERR_INVAL, "/cells/linux: 'kernel' must be a single string");
	/* an embedded NUL: "ab" then "c" */
	expect_err(DTS("linux { memory-size = <0x200000>; kernel = [61 62 00 63 00]; };"), 4,
		   -ERR_INVAL, "/cells/linux: 'kernel' must be a single string");
	expect_err(DTS("linux { memory-size = <0x200000>; kernel = \"\"; };"), 4, -ERR_INVAL,
		   "/cells/linux: 'kernel' is empty");
	expect_err(DTS("linux { memory-size = <0x200000>; kernel = \"@boot/linux\"; };"), 4,
		   -ERR_INVAL, "/cells/linux: 'kernel' begins with '@', which is reserved for "
		   "cella-pack's own modules");
	expect_err(DTS("linux { memory-size = <0x200000>; kernel = \"0123456789012345678901234567"
		       "890123456789012345678901234567890123\"; };"),
		   4, -ERR_RANGE,
		   "/cells/linux: 'kernel' is 64 characters; module names are at most 63");
}

static void test_err_initrd_bootargs(void **state)
{
	expect_err(DTS(CELL("linux", "initrd = \"\";")), 4, -ERR_INVAL,
		   "/cells/linux: 'initrd' is empty");
	expect_err(DTS(CELL("linux", "initrd = \"@x\";")), 4, -ERR_INVAL,
		   "/cells/linux: 'initrd' begins with '@', which is reserved for cella-pack's own "
		   "modules");
	expect_err(DTS(CELL("linux", "initrd = <0>;")), 4, -ERR_INVAL,
		   "/cells/linux: 'initrd' must be a single string");
	expect_err(DTS(CELL("linux", "initrd = <0x41414141>;")), 4, -ERR_INVAL,
		   "/cells/linux: 'initrd' is not a NUL-terminated string");
	expect_err(DTS(CELL("linux", "bootargs = <5>;")), 4, -ERR_INVAL,
		   "/cells/linux: 'bootargs' is not a NUL-terminated string");
	expect_err(DTS(CELL("linux", "bootargs = \"a\", \"b\";")), 4, -ERR_INVAL,
		   "/cells/linux: 'bootargs' must be a single string");
	/* empty bootargs are fine */
	assert_int_equal(parse(DTS(CELL("linux", "bootargs = \"\";")), 4), 0);
	assert_string_equal(sd.cells[0].bootargs, "");
}

static void test_err_console(void **state)
{
	expect_err(DTS(CELL("a", "console;") CELL("b", "") CELL("c", "console;")), 4, -ERR_EXIST,
		   "/cells/c: 'console' is also set on /cells/a; only one cell can receive console "
		   "input");
	expect_err(DTS(CELL("a", "console = <1>;")), 4, -ERR_INVAL,
		   "/cells/a: 'console' takes no value (write 'console;')");
	expect_err(DTS(CELL("a", "console = <0>;")), 4, -ERR_INVAL,
		   "/cells/a: 'console' takes no value (write 'console;')");
}

static void test_err_on_reset(void **state)
{
	expect_err(DTS(CELL("a", "on-reset = \"reboot\";")), 4, -ERR_INVAL,
		   "/cells/a: 'on-reset' is \"reboot\"; expected \"restart\" or \"stop\"");
	expect_err(DTS(CELL("a", "on-reset = \"Stop\";")), 4, -ERR_INVAL,
		   "/cells/a: 'on-reset' is \"Stop\"; expected \"restart\" or \"stop\"");
	expect_err(DTS(CELL("a", "on-reset = <1>;")), 4, -ERR_INVAL,
		   "/cells/a: 'on-reset' is not a NUL-terminated string");
	expect_err(DTS(CELL("a", "on-reset = \"stop\", \"restart\";")), 4, -ERR_INVAL,
		   "/cells/a: 'on-reset' must be a single string");
}

static void test_err_compatible(void **state)
{
	expect_err(DTS(CELL("a", "compatible = \"cella,component\";")), 4, -ERR_INVAL,
		   "/cells/a: 'compatible' does not name \"cella,cell\"");
	/* a list containing it is fine */
	assert_int_equal(parse(DTS(CELL("a", "compatible = \"acme,linux\", \"cella,cell\";")), 4),
			 0);
}

static void test_err_first_error_wins(void **state)
{
	/* checks run in document order: the first cell's problem is reported */
	expect_err(DTS("a { memory-size = <0x200000>; };" CELL("b", "vcpus = <9>;")), 4, -ERR_NOENT,
		   "/cells/a: no 'kernel'");
}

/* ---- hostile blobs ---- */

/* a description with the node names and properties dtc refuses, written with the FDT writer */
static void write_blob(const char *cell_name, const char *prop, const void *val, uint32_t len)
{
	struct fdtw w;
	size_t total;

	free(blob);
	blob_size = 4096;
	blob = calloc(1, blob_size);
	assert_int_equal(fdtw_init(&w, blob, blob_size), 0);
	fdtw_begin_node(&w, "");
	fdtw_begin_node(&w, "cells");
	fdtw_begin_node(&w, cell_name);
	fdtw_prop_u32(&w, "memory-size", 0x200000);
	fdtw_prop_str(&w, "kernel", "k");
	if (prop)
		fdtw_prop(&w, prop, val, len);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &total), 0);
	blob = realloc(blob, total);
	blob_size = total;
}

/* replace the first @from in the blob by @to (as many bytes): what the writer will not write */
static void patch_blob(const char *from, const char *to, size_t n)
{
	size_t i;

	for (i = 0; i + n <= blob_size; i++) {
		if (memcmp(blob + i, from, n) == 0) {
			memcpy(blob + i, to, n);
			return;
		}
	}
	fail_msg("'%s' not in the blob", from);
}

#define BAD_NAME "cell name has a character other than a-z A-Z 0-9 , . _ + -"

static void test_hostile_names(void **state)
{
	write_blob("ok", NULL, NULL, 0);
	assert_int_equal(parse_blob(4), 0);
	write_blob("@1", NULL, NULL, 0);
	assert_int_equal(parse_blob(4), -ERR_INVAL);
	assert_string_equal(err, "/cells/@1: cell name is empty");
	write_blob("QQ", NULL, NULL, 0);
	patch_blob("QQ", "\0\0", 2);
	/* fdt_open already refuses empty child names and names with '/' */
	assert_int_equal(fdt_open(&fdt, blob, blob_size), -ERR_BADFMT);
	write_blob("a b", NULL, NULL, 0);
	assert_int_equal(parse_blob(4), -ERR_INVAL);
	assert_string_equal(err, "/cells/a b: " BAD_NAME);
	/* control characters never reach the message: it stays one printable line */
	write_blob("a\nb", NULL, NULL, 0);
	assert_int_equal(parse_blob(4), -ERR_INVAL);
	assert_string_equal(err, "/cells/a?b: " BAD_NAME);
	write_blob("aQb", NULL, NULL, 0);
	patch_blob("aQb", "a/b", 3);
	assert_int_equal(fdt_open(&fdt, blob, blob_size), -ERR_BADFMT);
	write_blob("\xff", NULL, NULL, 0);
	assert_int_equal(parse_blob(4), -ERR_INVAL);
	assert_string_equal(err, "/cells/?: " BAD_NAME);
	/* a very long node name: the path is cut, the name refused */
	write_blob("n12345678901234567890123456789012345678901234567890123456789012345678"
		   "9012345678901234567890123456789012345678901234567890",
		   NULL, NULL, 0);
	assert_int_equal(parse_blob(4), -ERR_RANGE);
	/* a name of exactly 31 characters with a long unit address is fine */
	write_blob("n123456789012345678901234567890@0123456789abcdef0123456789abcdef"
		   "0123456789abcdef0123456789",
		   NULL, NULL, 0);
	assert_int_equal(parse_blob(4), 0);
	assert_string_equal(sd.cells[0].name, "n123456789012345678901234567890");
	assert_int_equal(strlen(sd.cells[0].path), SYSDESC_PATH_MAX - 1);
}

static void test_hostile_props(void **state)
{
	static const uint8_t unterminated[] = { 's', 't', 'o', 'p' };

	write_blob("a", "on-reset", unterminated, sizeof(unterminated));
	assert_int_equal(parse_blob(4), -ERR_INVAL);
	assert_string_equal(err, "/cells/a: 'on-reset' is not a NUL-terminated string");
	write_blob("a", "on-reset", "re\nboot", 8);
	assert_int_equal(parse_blob(4), -ERR_INVAL);
	assert_string_equal(err,
			    "/cells/a: 'on-reset' is \"re...\"; expected \"restart\" or \"stop\"");
	write_blob("a", "on-reset", "0123456789012345678901234567890123456789", 41);
	assert_int_equal(parse_blob(4), -ERR_INVAL);
	assert_string_equal(err, "/cells/a: 'on-reset' is \"01234567890123456789012345678901...\"; "
			    "expected \"restart\" or \"stop\"");
	write_blob("a", "bootargs", unterminated, sizeof(unterminated));
	assert_int_equal(parse_blob(4), -ERR_INVAL);
	write_blob("a", "cpus", unterminated, 3);
	assert_int_equal(parse_blob(4), -ERR_INVAL);
	write_blob("a", "memory-pa", unterminated, 3);
	assert_int_equal(parse_blob(4), -ERR_INVAL);
}

/* flip every byte of a good description a few ways: the parser may refuse, never misbehave */
static void test_hostile_corruption(void **state)
{
	static const uint8_t flips[] = { 0x00, 0xff, 0x01, 0x80 };
	uint8_t *good, *bad;
	size_t size, i, f;
	unsigned ok = 0, refused = 0, unopenable = 0;

	compile(DTS(CELL("a", "vcpus = <2>; cpus = <1 0>; memory-pa = <0x60000000>;"
			      "initrd = \"i\"; bootargs = \"x\"; console; on-reset = \"stop\";")
		    CELL("b", "vcpus = <2>;")));
	size = blob_size;
	good = malloc(size);
	memcpy(good, blob, size);
	for (i = 0; i < size; i++) {
		for (f = 0; f < sizeof(flips); f++) {
			struct fdt bf;
			int rc;

			bad = malloc(size);
			memcpy(bad, good, size);
			/* the first two overwrite the byte, the others flip bits in it */
			bad[i] = (uint8_t)(f < 2 ? flips[f] : bad[i] ^ flips[f]);
			if (fdt_open(&bf, bad, size) < 0) {
				unopenable++;
				free(bad);
				continue;
			}
			memset(err, 0, sizeof(err));
			rc = sysdesc_parse(&bf, &sd, 4, err, sizeof(err));
			if (rc == 0) {
				uint32_t c, v;

				ok++;
				assert_true(sd.nr_cells >= 1 && sd.nr_cells <= CELLA_MAX_CELLS);
				for (c = 0; c < sd.nr_cells; c++) {
					assert_true(sd.cells[c].nr_vcpus >= 1);
					assert_true(sd.cells[c].nr_vcpus <= CELLA_MAX_VCPUS);
					for (v = 0; v < sd.cells[c].nr_vcpus; v++)
						assert_true(sd.cells[c].pcpu[v] < 4);
					assert_non_null(sd.cells[c].kernel);
					assert_non_null(sd.cells[c].bootargs);
				}
			} else {
				refused++;
				assert_true(rc < 0);
				assert_true(err[0] == '/');
				assert_null(strchr(err, '\n'));
			}
			free(bad);
		}
	}
	assert_true(ok > 0 && refused > 0 && unopenable > 0);
	free(good);
}

static void test_err_buffer(void **state)
{
	char small[12];

	compile(DTS(CELL("linux", "vcpus = <9>;")));
	assert_int_equal(fdt_open(&fdt, blob, blob_size), 0);
	/* a short buffer gets a cut, terminated message; no buffer at all is allowed */
	assert_int_equal(sysdesc_parse(&fdt, &sd, 16, small, sizeof(small)), -ERR_RANGE);
	assert_string_equal(small, "/cells/linu");
	assert_int_equal(sysdesc_parse(&fdt, &sd, 16, NULL, 0), -ERR_RANGE);
	assert_int_equal(sysdesc_parse(&fdt, &sd, 16, NULL, 100), -ERR_RANGE);
}

/* ---- capabilities, on-fault, restart-limit ---- */

#define MANAGER(caps) \
	"linux: " CELL("linux", "") "hello: " CELL("hello", "") \
	CELL("manager", "caps {\n" caps "\n};")

static void test_caps(void **state)
{
	assert_int_equal(parse(DTS(MANAGER(
		"a { cell = <&linux>; rights = \"query\", \"restart\"; };\n"
		"b { cell = <&hello>; rights = \"stop\"; slot = <9>; };\n"
		"c { cell = <&linux>; rights = \"query\", \"start\", \"stop\", \"restart\"; };")),
		4), 0);
	assert_int_equal(sd.cells[2].nr_caps, 3);
	assert_int_equal(sd.cells[2].caps[0].slot, 0);
	assert_int_equal(sd.cells[2].caps[0].obj, 0);
	assert_int_equal(sd.cells[2].caps[0].type, CELLA_CAP_CELL);
	assert_int_equal(sd.cells[2].caps[0].rights, CELLA_R_QUERY | CELLA_R_RESTART);
	assert_int_equal(sd.cells[2].caps[1].slot, 9);
	assert_int_equal(sd.cells[2].caps[1].obj, 1);
	assert_int_equal(sd.cells[2].caps[1].rights, CELLA_R_STOP);
	assert_int_equal(sd.cells[2].caps[2].slot, 2);
	assert_int_equal(sd.cells[2].caps[2].rights, CELLA_R_CELL_ALL);
	/* nothing is ambient: the other cells hold nothing */
	assert_int_equal(sd.cells[0].nr_caps, 0);
	assert_int_equal(sd.cells[1].nr_caps, 0);
	/* defaults */
	assert_int_equal(sd.cells[0].on_fault, SYSDESC_FAULT_STOP);
	assert_int_equal(sd.cells[0].restart_max, SYSDESC_RESTART_MAX_DEFAULT);
	assert_int_equal(sd.cells[0].restart_window_s, SYSDESC_RESTART_WINDOW_DEFAULT);
}

static void test_err_caps(void **state)
{
	expect_err(DTS(MANAGER("a { cell = <&linux>; rights = \"query\", \"own\"; };")), 4,
		   -ERR_INVAL, "/cells/manager/caps/a: 'rights' is \"own\"; expected \"query\", "
		   "\"start\", \"stop\" or \"restart\"");
	expect_err(DTS(MANAGER("a { cell = <&linux>; };")), 4, -ERR_INVAL,
		   "/cells/manager/caps/a: needs 'rights', e.g. \"query\", \"restart\"");
	expect_err(DTS(MANAGER("a { rights = \"query\"; };")), 4, -ERR_INVAL,
		   "/cells/manager/caps/a: needs 'cell = <&node>', the cell it controls, or "
		   "'vcpu = <&node index>', one of its vCPUs");
	expect_err(DTS(MANAGER("a { cell = <12345>; rights = \"query\"; };")), 4, -ERR_NOENT,
		   "/cells/manager/caps/a: 'cell' does not name a node under /cells");
	expect_err(DTS(MANAGER("a { cell = <0>; rights = \"query\"; };")), 4, -ERR_NOENT,
		   "/cells/manager/caps/a: 'cell' does not name a node under /cells");
	/* a phandle, but of a node that is not a cell (the cap node itself) */
	expect_err(DTS(MANAGER("a: a { cell = <&a>; rights = \"query\"; };")), 4, -ERR_NOENT,
		   "/cells/manager/caps/a: 'cell' does not name a node under /cells");
	expect_err(DTS(MANAGER("a { cell = <&linux>; rights = \"query\"; slot = <64>; };")), 4,
		   -ERR_RANGE, "/cells/manager/caps/a: slot 64 is outside the cspace (0..63)");
	expect_err(DTS(MANAGER("a { cell = <&linux>; rights = \"query\"; slot = <0xffffffff>; };")),
		   4, -ERR_RANGE,
		   "/cells/manager/caps/a: slot 4294967295 is outside the cspace (0..63)");
	expect_err(DTS(MANAGER("a { cell = <&linux>; rights = \"query\"; slot = <1>; };\n"
			       "b { cell = <&hello>; rights = \"query\"; };")), 4, -ERR_EXIST,
		   "/cells/manager/caps/b: slot 1 is already given to another capability");
	expect_err(DTS(MANAGER("a { cell = <&linux>; rights = \"query\"; slot = <1 2>; };")), 4,
		   -ERR_INVAL, "/cells/manager/caps/a: 'slot' is not one cell");
	expect_err(DTS(MANAGER("a { cell = <&linux>; rights = [71 75]; };")), 4, -ERR_INVAL,
		   "/cells/manager/caps/a: 'rights' is not a list of strings");
}

/* a cell with 3 vCPUs, another with 1, and a manager holding capabilities to their vCPUs */
#define VCPUS(caps) \
	"big: " CELL("big", "vcpus = <3>;") "one: " CELL("one", "") \
	CELL("manager", "caps {\n" caps "\n};")

static void test_caps_vcpu(void **state)
{
	assert_int_equal(parse(DTS(VCPUS(
		"a { vcpu = <&big 2>; rights = \"query\"; };\n"
		"b { cell = <&big>; rights = \"stop\"; };\n"
		"c { vcpu = <&one 0>; rights = \"query\"; slot = <40>; };\n"
		"d { vcpu = <&big 0>; rights = \"query\", \"query\"; };")), 8), 0);
	assert_int_equal(sd.cells[2].nr_caps, 4);
	assert_int_equal(sd.cells[2].caps[0].slot, 0);
	assert_int_equal(sd.cells[2].caps[0].type, CELLA_CAP_VCPU);
	assert_int_equal(sd.cells[2].caps[0].obj, SYSDESC_VCPU_OBJ(0, 2));
	assert_int_equal(sd.cells[2].caps[0].rights, CELLA_R_QUERY);
	assert_int_equal(sd.cells[2].caps[1].type, CELLA_CAP_CELL);
	assert_int_equal(sd.cells[2].caps[1].obj, 0);
	assert_int_equal(sd.cells[2].caps[2].slot, 40);
	assert_int_equal(sd.cells[2].caps[2].type, CELLA_CAP_VCPU);
	assert_int_equal(sd.cells[2].caps[2].obj, SYSDESC_VCPU_OBJ(1, 0));
	assert_int_equal(sd.cells[2].caps[3].obj, SYSDESC_VCPU_OBJ(0, 0));
	assert_int_equal(sd.cells[2].caps[3].rights, CELLA_R_VCPU_ALL);
	/* the encoding round-trips over every cell and vCPU the description allows */
	for (uint32_t c = 0; c < CELLA_MAX_CELLS; c++) {
		for (uint32_t v = 0; v < CELLA_MAX_VCPUS; v++) {
			assert_int_equal(SYSDESC_VCPU_OBJ_CELL(SYSDESC_VCPU_OBJ(c, v)), c);
			assert_int_equal(SYSDESC_VCPU_OBJ_VCPU(SYSDESC_VCPU_OBJ(c, v)), v);
		}
	}
	/* a cell may hold a capability to its own vCPU */
	assert_int_equal(parse(DTS("me: " CELL("me", "vcpus = <2>; caps { s { vcpu = <&me 1>; "
					      "rights = \"query\"; }; };")), 2), 0);
	assert_int_equal(sd.cells[0].caps[0].obj, SYSDESC_VCPU_OBJ(0, 1));
}

static void test_err_caps_vcpu(void **state)
{
	/* the index: past the cell's vCPUs, and huge */
	expect_err(DTS(VCPUS("a { vcpu = <&big 3>; rights = \"query\"; };")), 8, -ERR_RANGE,
		   "/cells/manager/caps/a: 'vcpu' names vCPU 3 of /cells/big, which has 3 vCPUs");
	expect_err(DTS(VCPUS("a { vcpu = <&one 1>; rights = \"query\"; };")), 8, -ERR_RANGE,
		   "/cells/manager/caps/a: 'vcpu' names vCPU 1 of /cells/one, which has 1 vCPU");
	expect_err(DTS(VCPUS("a { vcpu = <&big 0xffffffff>; rights = \"query\"; };")), 8,
		   -ERR_RANGE, "/cells/manager/caps/a: 'vcpu' names vCPU 4294967295 of /cells/big, "
		   "which has 3 vCPUs");
	/* not a cell: an unknown phandle, 0, the cap node itself */
	expect_err(DTS(VCPUS("a { vcpu = <12345 0>; rights = \"query\"; };")), 8, -ERR_NOENT,
		   "/cells/manager/caps/a: 'vcpu' does not name a node under /cells");
	expect_err(DTS(VCPUS("a { vcpu = <0 0>; rights = \"query\"; };")), 8, -ERR_NOENT,
		   "/cells/manager/caps/a: 'vcpu' does not name a node under /cells");
	expect_err(DTS(VCPUS("a: a { vcpu = <&a 0>; rights = \"query\"; };")), 8, -ERR_NOENT,
		   "/cells/manager/caps/a: 'vcpu' does not name a node under /cells");
	/* both objects, in either order */
	expect_err(DTS(VCPUS("a { cell = <&big>; vcpu = <&big 0>; rights = \"query\"; };")), 8,
		   -ERR_INVAL, "/cells/manager/caps/a: has both 'cell' and 'vcpu'; a capability "
		   "names one object");
	expect_err(DTS(VCPUS("a { vcpu = <&big 0>; cell = <&big>; rights = \"query\"; };")), 8,
		   -ERR_INVAL, "/cells/manager/caps/a: has both 'cell' and 'vcpu'; a capability "
		   "names one object");
	/* the shape: a phandle and an index */
	expect_err(DTS(VCPUS("a { vcpu = <&big>; rights = \"query\"; };")), 8, -ERR_INVAL,
		   "/cells/manager/caps/a: 'vcpu' is <&cell index>, two cells");
	expect_err(DTS(VCPUS("a { vcpu = <&big 0 0>; rights = \"query\"; };")), 8, -ERR_INVAL,
		   "/cells/manager/caps/a: 'vcpu' is <&cell index>, two cells");
	expect_err(DTS(VCPUS("a { vcpu; rights = \"query\"; };")), 8, -ERR_INVAL,
		   "/cells/manager/caps/a: 'vcpu' is <&cell index>, two cells");
	/* rights: query only */
	expect_err(DTS(VCPUS("a { vcpu = <&big 1>; rights = \"query\", \"stop\"; };")), 8,
		   -ERR_INVAL, "/cells/manager/caps/a: 'rights' is \"stop\"; expected \"query\", "
		   "the only right of a vCPU");
	expect_err(DTS(VCPUS("a { vcpu = <&big 1>; rights = \"restart\"; };")), 8, -ERR_INVAL,
		   "/cells/manager/caps/a: 'rights' is \"restart\"; expected \"query\", the only "
		   "right of a vCPU");
	expect_err(DTS(VCPUS("a { vcpu = <&big 1>; rights = \"own\"; };")), 8, -ERR_INVAL,
		   "/cells/manager/caps/a: 'rights' is \"own\"; expected \"query\", the only "
		   "right of a vCPU");
	expect_err(DTS(VCPUS("a { vcpu = <&big 1>; };")), 8, -ERR_INVAL,
		   "/cells/manager/caps/a: needs 'rights', e.g. \"query\"");
	/* the checks before the object's still come first; the second cap names the problem */
	expect_err(DTS(VCPUS("a { vcpu = <&big 1>; rights = \"query\"; slot = <64>; };")), 8,
		   -ERR_RANGE, "/cells/manager/caps/a: slot 64 is outside the cspace (0..63)");
	expect_err(DTS(VCPUS("a { vcpu = <&big 1>; rights = \"query\"; };\n"
			     "b { vcpu = <&big 5>; rights = \"query\"; };")), 8, -ERR_RANGE,
		   "/cells/manager/caps/b: 'vcpu' names vCPU 5 of /cells/big, which has 3 vCPUs");
}

static void test_operator_prompt(void **state)
{
	assert_int_equal(parse("/dts-v1/;\n/ { cells { operator-prompt = \"off\";\n"
			       CELL("a", "") "}; };", 4), 0);
	assert_true(sd.prompt_off);
	assert_int_equal(parse(DTS(CELL("a", "")), 4), 0);
	assert_false(sd.prompt_off);
	expect_err("/dts-v1/;\n/ { cells { operator-prompt = \"maybe\";\n" CELL("a", "") "}; };",
		   4, -ERR_INVAL, "/cells: 'operator-prompt' is \"maybe\"; expected \"on\" or \"off\"");
}

static void test_err_on_fault(void **state)
{
	assert_int_equal(parse(DTS(CELL("a", "on-fault = \"restart\"; restart-limit = <3 10>;")),
			       4), 0);
	assert_int_equal(sd.cells[0].on_fault, SYSDESC_FAULT_RESTART);
	assert_int_equal(sd.cells[0].restart_max, 3);
	assert_int_equal(sd.cells[0].restart_window_s, 10);
	assert_int_equal(parse(DTS(CELL("a", "on-fault = \"system-off\";")), 4), 0);
	assert_int_equal(sd.cells[0].on_fault, SYSDESC_FAULT_SYSTEM_OFF);
	expect_err(DTS(CELL("a", "on-fault = \"reboot\";")), 4, -ERR_INVAL,
		   "/cells/a: 'on-fault' is \"reboot\"; expected \"stop\", \"restart\" or "
		   "\"system-off\"");
	expect_err(DTS(CELL("a", "restart-limit = <3>;")), 4, -ERR_INVAL,
		   "/cells/a: 'restart-limit' is <restarts seconds>, two cells");
	expect_err(DTS(CELL("a", "restart-limit = <0 10>;")), 4, -ERR_RANGE,
		   "/cells/a: 'restart-limit' is <0 10>; restarts 1..1000 in 1..86400 seconds");
	expect_err(DTS(CELL("a", "restart-limit = <3 0>;")), 4, -ERR_RANGE,
		   "/cells/a: 'restart-limit' is <3 0>; restarts 1..1000 in 1..86400 seconds");
	expect_err(DTS(CELL("a", "restart-limit = <0xffffffff 10>;")), 4, -ERR_RANGE,
		   "/cells/a: 'restart-limit' is <4294967295 10>; restarts 1..1000 in 1..86400 seconds");
}

/* ---- channels ---- */

/* a description with /cells holding @cells and /channels holding @chans */
#define DTSC(cells, chans) \
	"/dts-v1/;\n/ {\n\tcells {\n" cells "\n\t};\n\tchannels {\n" chans "\n\t};\n};\n"
/* cells a (with two caps: slots 0 and 2), b and c */
#define ABC \
	"a: " CELL("a", "caps { x { cell = <&b>; rights = \"query\"; };\n" \
		   "y { cell = <&c>; rights = \"query\"; slot = <2>; }; };") \
	"b: " CELL("b", "") "c: " CELL("c", "")
/* a channel @name between @ends with extra properties @props */
#define CHAN(name, ends, props) name " { size = <0x1000>; ends = <" ends ">; " props " };\n"

static void test_chans(void **state)
{
	const struct sysdesc_cell *a = &sd.cells[0], *b = &sd.cells[1], *c = &sd.cells[2];
	const uint32_t rwn = CELLA_R_READ | CELLA_R_WRITE | CELLA_R_NOTIFY;
	const uint32_t rn = CELLA_R_READ | CELLA_R_NOTIFY;

	assert_int_equal(parse(DTSC(ABC, "ab { size = <0x10000>; ends = <&a &b>; };\n"
				    "ca { size = <0x0 0x1000>; ends = <&c &a>; writers = <&c>; };\n"
				    "bc@1 { size = <0x4000000>; ends = <&b &c>; writers = <&c>; };"),
			       4), 0);
	assert_int_equal(sd.nr_chans, 3);
	assert_string_equal(sd.chans[0].path, "/channels/ab");
	assert_true(sd.chans[0].size == 0x10000 && sd.chans[1].size == 0x1000 &&
		    sd.chans[2].size == SYSDESC_CHAN_MAX);
	assert_true(sd.chans[0].cell[0] == 0 && sd.chans[0].cell[1] == 1);
	assert_true(sd.chans[1].cell[0] == 2 && sd.chans[1].cell[1] == 0);
	assert_true(sd.chans[2].cell[0] == 1 && sd.chans[2].cell[1] == 2);
	assert_true(sd.chans[1].idx[0] == 0 && sd.chans[1].idx[1] == 1);	/* c's 0th, a's 1st */
	assert_true(sd.chans[2].idx[0] == 1 && sd.chans[2].idx[1] == 1);
	/* a: caps in slots 0 and 2, so its channels take the lowest free ones, 1 and 3 */
	assert_int_equal(a->nr_ends, 2);
	assert_true(a->ends[0].slot == 1 && a->ends[1].slot == 3);
	assert_true(a->ends[0].chan == 0 && a->ends[0].end == 0 && a->ends[0].rights == rwn);
	assert_true(a->ends[1].chan == 1 && a->ends[1].end == 1 && a->ends[1].rights == rn);
	assert_string_equal(a->ends[0].name, "ab");
	assert_string_equal(a->ends[0].peer, "b");
	assert_string_equal(a->ends[1].name, "ca");
	assert_string_equal(a->ends[1].peer, "c");
	assert_true(a->ends[0].size == 0x10000 && a->ends[1].size == 0x1000);
	/* b: no caps; both ends write 'ab' by default; a reader of 'bc@1' */
	assert_int_equal(b->nr_ends, 2);
	assert_true(b->ends[0].slot == 0 && b->ends[0].end == 1 && b->ends[0].rights == rwn);
	assert_true(b->ends[1].slot == 1 && b->ends[1].end == 0 && b->ends[1].rights == rn);
	assert_string_equal(b->ends[0].peer, "a");
	assert_string_equal(b->ends[1].name, "bc@1");	/* the unit address is in the name */
	assert_string_equal(b->ends[1].peer, "c");
	assert_int_equal(c->nr_ends, 2);
	assert_true(c->ends[0].slot == 0 && c->ends[0].rights == rwn && c->ends[0].end == 0);
	assert_true(c->ends[1].slot == 1 && c->ends[1].rights == rwn && c->ends[1].end == 1);
	assert_true(c->ends[1].size == SYSDESC_CHAN_MAX);
	/* SYSDESC_CHAN_OBJ: the end's index among its cell's */
	assert_int_equal(SYSDESC_CHAN_OBJ(1), 1);
	/* the caps are untouched */
	assert_true(a->nr_caps == 2 && a->caps[0].slot == 0 && a->caps[1].slot == 2);
	/* both ends named as writers: both write; /channels empty or absent: none */
	assert_int_equal(parse(DTSC(ABC, CHAN("ab", "&a &b", "writers = <&b &a>;")), 4), 0);
	assert_true(sd.cells[0].ends[0].rights == rwn && sd.cells[1].ends[0].rights == rwn);
	assert_int_equal(parse(DTSC(ABC, CHAN("ab", "&a &b", "writers = <&b>;")), 4), 0);
	assert_true(sd.cells[0].ends[0].rights == rn && sd.cells[1].ends[0].rights == rwn);
	assert_int_equal(parse(DTSC(ABC, ""), 4), 0);
	assert_true(sd.nr_chans == 0 && sd.cells[0].nr_ends == 0);
	assert_int_equal(parse(DTS(ABC), 4), 0);
	assert_int_equal(sd.nr_chans, 0);
}

/* 8 channels for one cell: its slots 0..7 (8..15 if caps fill 0..7) */
static void test_chans_limits(void **state)
{
	char dts[4096], chans[2048];
	size_t n = 0;

	for (int i = 0; i < SYSDESC_CELL_CHANS; i++)
		n += (size_t)snprintf(chans + n, sizeof(chans) - n, CHAN("c%d", "&%s &a", ""), i,
				      i % 2 ? "b" : "c");
	snprintf(dts, sizeof(dts), DTSC(ABC, "%s"), chans);
	assert_int_equal(parse(dts, 4), 0);
	assert_int_equal(sd.cells[0].nr_ends, SYSDESC_CELL_CHANS);
	for (uint32_t i = 0; i < SYSDESC_CELL_CHANS; i++)
		assert_int_equal(sd.cells[0].ends[i].slot, i < 1 ? 1 : i + 2);
	assert_int_equal(sd.cells[0].ends[7].slot, 9);
	assert_string_equal(sd.cells[0].ends[7].peer, "b");
	assert_int_equal(sd.cells[1].nr_ends, 4);
	assert_int_equal(sd.cells[2].nr_ends, 4);
}

/* @nr channels spread over cells c0..c5, each between ci and c(i+1)%6 (<= 8 per cell) */
static void many_chans(char *dts, size_t size, int nr)
{
	char chans[4096];
	size_t n = 0;

	for (int i = 0; i < nr; i++)
		n += (size_t)snprintf(chans + n, sizeof(chans) - n, CHAN("ch%d", "&c%d &c%d", ""),
				      i, i % 6, (i + 1 + i / 6) % 6);
	snprintf(dts, size, DTSC("c0: " CELL("c0", "") "c1: " CELL("c1", "") "c2: "
				 CELL("c2", "") "c3: " CELL("c3", "") "c4: " CELL("c4", "")
				 "c5: " CELL("c5", ""), "%s"), chans);
}

static void test_err_chans(void **state)
{
	char dts[8192];

	/* ends: not cells (unknown phandle, 0, the channel node itself), the same cell twice */
	expect_err(DTSC(ABC, CHAN("x", "&a 12345", "")), 4, -ERR_NOENT,
		   "/channels/x: 'ends' does not name a node under /cells");
	expect_err(DTSC(ABC, CHAN("x", "0 &a", "")), 4, -ERR_NOENT,
		   "/channels/x: 'ends' does not name a node under /cells");
	expect_err(DTSC(ABC, "x: " CHAN("x", "&a &x", "")), 4, -ERR_NOENT,
		   "/channels/x: 'ends' does not name a node under /cells");
	expect_err(DTSC(ABC, CHAN("x", "&b &b", "")), 4, -ERR_INVAL,
		   "/channels/x: both ends are /cells/b; a channel joins two cells");
	/* ends missing, or not two phandles */
	expect_err(DTSC(ABC, "x { size = <0x1000>; };"), 4, -ERR_INVAL,
		   "/channels/x: needs 'ends = <&cell &cell>', its two cells");
	expect_err(DTSC(ABC, CHAN("x", "&a", "")), 4, -ERR_INVAL,
		   "/channels/x: needs 'ends = <&cell &cell>', its two cells");
	expect_err(DTSC(ABC, CHAN("x", "&a &b &c", "")), 4, -ERR_INVAL,
		   "/channels/x: needs 'ends = <&cell &cell>', its two cells");
	/* size: 0, not a 4 KiB multiple, over 64 MiB, missing, 3 cells */
	static const char *const sizes[] = {
		"size = <0>;", "size = <0x1800>;", "size = <0xfff>;", "size = <0x4001000>;",
		"size = <0x1 0x0>;", "", "size = <0 0 0x1000>;",
	};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(dts, sizeof(dts), DTSC(ABC, "y { %s ends = <&a &b>; };"), sizes[i]);
		expect_err(dts, 4, -ERR_RANGE, "/channels/y: 'size' must be a multiple of 4 KiB "
			   "from 4 KiB to 64 MiB");
	}
	/* writers: not an end (a third cell, unknown), not whole phandles, empty */
	expect_err(DTSC(ABC, CHAN("x", "&a &b", "writers = <&c>;")), 4, -ERR_INVAL,
		   "/channels/x: 'writers' names a node that is not one of its 'ends'");
	expect_err(DTSC(ABC, CHAN("x", "&a &b", "writers = <&a 77>;")), 4, -ERR_INVAL,
		   "/channels/x: 'writers' names a node that is not one of its 'ends'");
	expect_err(DTSC(ABC, CHAN("x", "&a &b", "writers;")), 4, -ERR_INVAL,
		   "/channels/x: 'writers' must list one or both of its 'ends' by phandle");
	expect_err(DTSC(ABC, CHAN("x", "&a &b", "writers = [00 01];")), 4, -ERR_INVAL,
		   "/channels/x: 'writers' must list one or both of its 'ends' by phandle");
	expect_err(DTSC(ABC, CHAN("x", "&a &b", "writers = [00 00 00 01 00];")), 4, -ERR_INVAL,
		   "/channels/x: 'writers' must list one or both of its 'ends' by phandle");
	/* the name */
	expect_err(DTSC(ABC, CHAN("a-channel-name-of-32-characters2", "&a &b", "")), 4, -ERR_RANGE,
		   "/channels/a-channel-name-of-32-characters2: channel name is 32 characters; "
		   "at most 31");
	assert_int_equal(parse(DTSC(ABC, CHAN("a-channel-name-of-31-characters", "&a &b", "")),
			       4), 0);
	/* a ninth channel for one cell: named at the channel that is one too many */
	{
		char chans[2048];
		size_t n = 0;

		for (int i = 0; i < SYSDESC_CELL_CHANS + 1; i++)
			n += (size_t)snprintf(chans + n, sizeof(chans) - n,
					      CHAN("c%d", "&b &%s", ""), i, i % 2 ? "a" : "c");
		snprintf(dts, sizeof(dts), DTSC(ABC, "%s"), chans);
	}
	expect_err(dts, 4, -ERR_RANGE, "/channels/c8: /cells/b is already an end of 8 channels, "
		   "the most a cell can be");
	/* the 17th channel */
	many_chans(dts, sizeof(dts), SYSDESC_MAX_CHANS);
	assert_int_equal(parse(dts, 4), 0);
	assert_int_equal(sd.nr_chans, SYSDESC_MAX_CHANS);
	many_chans(dts, sizeof(dts), SYSDESC_MAX_CHANS + 1);
	expect_err(dts, 4, -ERR_RANGE, "/channels/ch16: more than 16 channels");
	/* the first bad channel is the one named */
	expect_err(DTSC(ABC, CHAN("ok", "&a &b", "") CHAN("bad", "&a &a", "")), 4, -ERR_INVAL,
		   "/channels/bad: both ends are /cells/a; a channel joins two cells");
}

/* names dtc will not write: a blob built with the FDT writer */
static void test_err_chan_hostile_name(void **state)
{
	static uint8_t buf[2048];
	static const uint32_t ends[2] = { 1, 2 };	/* the phandles of a and b */
	struct fdtw w;
	size_t size;

	assert_int_equal(fdtw_init(&w, buf, sizeof(buf)), 0);
	fdtw_begin_node(&w, "");
	fdtw_begin_node(&w, "cells");
	fdtw_begin_node(&w, "a");
	fdtw_prop_u32(&w, "memory-size", 0x200000);
	fdtw_prop_str(&w, "kernel", "k");
	fdtw_prop_u32(&w, "phandle", 1);
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "b");
	fdtw_prop_u32(&w, "memory-size", 0x200000);
	fdtw_prop_str(&w, "kernel", "k");
	fdtw_prop_u32(&w, "phandle", 2);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "channels");
	fdtw_begin_node(&w, "bad\x1bname");
	fdtw_prop_u32(&w, "size", 0x1000);
	fdtw_prop_cells(&w, "ends", ends, 2);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &size), 0);
	free(blob);
	blob = malloc(size);
	memcpy(blob, buf, size);
	blob_size = size;
	assert_true(parse_blob(4) < 0);
	assert_non_null(strstr(err, ": channel name has a character other than a-z A-Z 0-9 , . _ + - @"));
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_full_example),
		T(test_two_cells_pinned_in_order),
		T(test_auto_pinning_skips_explicit),
		T(test_console_explicit),
		T(test_two_cells_values),
		T(test_unknown_ignored),
		T(test_limits_ok),
		T(test_memory_pa_edges),
		T(test_err_no_cells_node),
		T(test_err_no_cells),
		T(test_err_too_many_cells),
		T(test_err_duplicate_name),
		T(test_err_name_too_long),
		T(test_err_memory_size),
		T(test_err_memory_pa),
		T(test_err_memory_overlap),
		T(test_err_vcpus),
		T(test_more_vcpus_than_pcpus),
		T(test_cpus_shared),
		T(test_priority_slice),
		T(test_err_cpus_range),
		T(test_err_cpus_shape),
		T(test_err_kernel),
		T(test_err_initrd_bootargs),
		T(test_err_console),
		T(test_err_on_reset),
		T(test_err_compatible),
		T(test_err_first_error_wins),
		T(test_hostile_names),
		T(test_hostile_props),
		T(test_hostile_corruption),
		T(test_err_buffer),
		T(test_caps),
		T(test_err_caps),
		T(test_caps_vcpu),
		T(test_err_caps_vcpu),
		T(test_err_on_fault),
		T(test_operator_prompt),
		T(test_chans),
		T(test_chans_limits),
		T(test_err_chans),
		T(test_err_chan_hostile_name),
	};

	return cmocka_run_group_tests_name("sysdesc", tests, NULL, NULL);
}
