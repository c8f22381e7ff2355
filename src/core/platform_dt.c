/* platform_dt.c - reads the board's RAM, GICv3, PL011, timer, PSCI and CPUs from its DTB. */
#include "lib/util.h"
#include "platform_dt.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "../lib/err.h"
#include "../lib/printf.h"

#define PLAT_GICD_MIN 0x10000ull		/* one 64 KiB distributor frame */
#define PLAT_GICR_MIN 0x20000ull		/* one redistributor: RD_base + SGI_base */
#define PLAT_SPI_MAX 987u			/* SPI INTIDs are 32..1019 */
#define PLAT_PPI_MAX 15u

/* interrupt specifier types (bindings/interrupt-controller/arm,gic-v3.yaml) */
#define PLAT_IRQ_SPI 0u
#define PLAT_IRQ_PPI 1u

struct plat_ctx {
	const struct fdt *f;
	char *err;
	uint32_t errlen;
	char path[128];		/* scratch for node paths in messages */
	int root, gic;		/* found by platform_parse and plat_gic */
};

/* plat_path - @node's path for a message (in c->path) */
static const char *plat_path(struct plat_ctx *c, int node)
{
	if (fdt_node_path(c->f, node, c->path, sizeof(c->path)) < 0)
		return "(bad node)";
	return c->path;
}

/* plat_fail - write "<path of @node>: <message>" (no path if @node < 0) and return @code */
__attribute__((format(printf, 4, 5)))
static int plat_fail(struct plat_ctx *c, int code, int node, const char *fmt, ...)
{
	va_list ap;
	size_t pos = 0;
	int n;

	if (!c->err || !c->errlen)
		return code;
	c->err[0] = '\0';
	if (node >= 0) {
		n = cella_snprintf(c->err, c->errlen, "%s: ", plat_path(c, node));
		pos = n < 0 ? 0 : (size_t)n;
	}
	if (pos < c->errlen) {
		va_start(ap, fmt);
		cella_vsnprintf(c->err + pos, c->errlen - pos, fmt, ap);
		va_end(ap);
	}
	cella_printable(c->err);	/* node names and strings come from the DTB */
	return code;
}

/* plat_enabled - "status" absent, "okay" or "ok" (DT spec 2.3.4) */
static bool plat_enabled(const struct fdt *f, int node)
{
	const char *s;
	int rc = fdt_prop_str(f, node, "status", &s);

	if (rc == -ERR_NOENT)
		return true;
	return rc == 0 && (!strcmp(s, "okay") || !strcmp(s, "ok"));
}

/* plat_find - the first enabled node compatible with @compat, or -ERR_NOENT / -ERR_BADFMT */
static int plat_find(const struct fdt *f, const char *compat)
{
	int n;

	for (n = fdt_next_compatible(f, -1, compat); n >= 0; n = fdt_next_compatible(f, n, compat))
		if (plat_enabled(f, n))
			return n;
	return n;
}

/* plat_ranges - translate [*@addr, +@size) from the address space of @bus's children to that of
 * @bus's parent @up through @bus's "ranges" (DT spec 2.3.8). -ERR_RANGE if untranslatable,
 * -ERR_BADFMT if the cells or "ranges" are malformed. */
static int plat_ranges(const struct fdt *f, int bus, int up, uint64_t *addr, uint64_t size)
{
	const uint8_t *r;
	uint32_t len, entry;
	int ca = fdt_address_cells(f, bus), pa = fdt_address_cells(f, up);
	int cs = fdt_size_cells(f, bus);

	if (ca < 0 || pa < 0 || cs < 0)
		return -ERR_BADFMT;
	r = fdt_prop(f, bus, "ranges", &len);
	if (!r)
		return -ERR_RANGE;	/* no "ranges": the bus is not memory-mapped */
	if (len == 0)
		return 0;		/* empty "ranges": identity */
	entry = 4 * (uint32_t)(ca + pa + cs);
	if (entry == 0 || len % entry)
		return -ERR_BADFMT;
	for (uint32_t off = 0; off < len; off += entry) {
		uint64_t cb = fdt_read_cells(r + off, ca);
		uint64_t pb = fdt_read_cells(r + off + 4 * ca, pa);
		uint64_t sz = fdt_read_cells(r + off + 4 * (ca + pa), cs);
		uint64_t delta = *addr - cb;

		/* ordered so that no subtraction underflows: addr >= cb, delta < sz */
		if (*addr < cb || delta >= sz || size > sz - delta)
			continue;
		if (pb + delta < pb || pb + delta + size < pb + delta)
			return -ERR_RANGE;
		*addr = pb + delta;
		return 0;
	}
	return -ERR_RANGE;
}

/* plat_reg - entry @idx of @node's "reg" as a physical address range: decoded with the parent's
 * cells, then translated through the "ranges" of each bus up to the root */
static int plat_reg(const struct fdt *f, int node, unsigned idx, uint64_t *pa, uint64_t *size)
{
	int bus, up, rc;

	rc = fdt_reg(f, node, idx, pa, size);
	if (rc)
		return rc;
	if (*pa + *size < *pa)
		return -ERR_RANGE;
	for (bus = fdt_parent(f, node); bus >= 0; bus = up) {
		up = fdt_parent(f, bus);
		if (up == -ERR_NOENT)
			return 0;	/* @bus is the root: addresses are physical */
		if (up < 0)
			return up;
		rc = plat_ranges(f, bus, up, pa, *size);
		if (rc)
			return rc;
	}
	return bus;
}

/* plat_reg_region - a non-empty region @idx of @node's "reg" (@what names it in messages) */
static int plat_reg_region(struct plat_ctx *c, int node, unsigned idx, const char *what,
			   uint64_t *pa, uint64_t *size)
{
	int rc;

	if (!fdt_prop(c->f, node, "reg", NULL))
		return plat_fail(c, -ERR_NOENT, node, "no 'reg' property");
	rc = plat_reg(c->f, node, idx, pa, size);
	if (rc == -ERR_NOENT)
		return plat_fail(c, rc, node, "'reg' has no %s region", what);
	if (rc == -ERR_RANGE)
		return plat_fail(c, rc, node, "'reg' %s region does not map to a physical address",
				 what);
	if (rc == -ERR_BADFMT)
		return plat_fail(c, rc, node, "'reg' %s region: a parent's 'ranges' is malformed",
				 what);
	if (rc)
		return plat_fail(c, rc, node, "'reg' is malformed (%s)", err_str(rc));
	if (*size == 0)
		return plat_fail(c, -ERR_INVAL, node, "'reg' %s region is empty", what);
	return 0;
}

/* plat_irq - specifier @idx of @node's "interrupts" (3 cells: type, number, flags) */
static int plat_irq(const struct fdt *f, int node, unsigned idx, uint32_t *type, uint32_t *num)
{
	const uint8_t *v;
	uint32_t len;

	v = fdt_prop(f, node, "interrupts", &len);
	if (!v)
		return -ERR_NOENT;
	if (len % 12)
		return -ERR_INVAL;
	if (idx >= len / 12)
		return -ERR_NOENT;
	*type = (uint32_t)fdt_read_cells(v + 12 * idx, 1);
	*num = (uint32_t)fdt_read_cells(v + 12 * idx + 4, 1);
	return 0;
}

/* plat_irq_parent_ok - @node's interrupts go to the GIC: the nearest "interrupt-parent" (on the
 * node or an ancestor) is the GIC's phandle; a tree with no interrupt-parent at all is accepted */
static bool plat_irq_parent_ok(const struct fdt *f, int node, int gic)
{
	uint32_t ph, gic_ph;

	for (int n = node; n >= 0; n = fdt_parent(f, n)) {
		int rc = fdt_prop_u32(f, n, "interrupt-parent", &ph);

		if (rc == -ERR_NOENT)
			continue;
		if (rc)
			return false;
		if (fdt_prop_u32(f, gic, "phandle", &gic_ph) &&
		    fdt_prop_u32(f, gic, "linux,phandle", &gic_ph))
			return false;
		return ph == gic_ph;
	}
	return true;
}

static int plat_memory(struct plat_ctx *c, struct platform *p)
{
	const struct fdt *f = c->f;
	const char *dt;
	uint64_t pa, size;
	int n, rc;

	/* memory nodes are children of the root (DT spec 3.4) */
	for (n = fdt_first_child(f, c->root); n >= 0; n = fdt_next_sibling(f, n)) {
		if (fdt_prop_str(f, n, "device_type", &dt) || strcmp(dt, "memory") ||
		    !plat_enabled(f, n))
			continue;
		for (unsigned idx = 0;; idx++) {
			rc = plat_reg(f, n, idx, &pa, &size);
			if (rc == -ERR_NOENT)
				break;
			if (rc)
				return plat_fail(c, rc, n, "'reg' is malformed (%s)", err_str(rc));
			if (size == 0 || p->nr_ram == PLAT_MAX_RAM)
				continue;	/* past PLAT_MAX_RAM banks: left unused */
			for (uint32_t i = 0; i < p->nr_ram; i++)
				if (pa < p->ram[i].pa + p->ram[i].size && p->ram[i].pa < pa + size)
					return plat_fail(c, -ERR_EXIST, n,
							 "RAM 0x%llx+0x%llx overlaps RAM at 0x%llx",
							 (unsigned long long)pa,
							 (unsigned long long)size,
							 (unsigned long long)p->ram[i].pa);
			p->ram[p->nr_ram].pa = pa;
			p->ram[p->nr_ram].size = size;
			p->nr_ram++;
		}
	}
	if (n != -ERR_NOENT)
		return plat_fail(c, n, -1, "malformed device tree (%s)", err_str(n));
	if (!p->nr_ram)
		return plat_fail(c, -ERR_NOENT, -1, "no memory: no device_type \"memory\" node "
				 "with a non-empty 'reg'");
	return 0;
}

static int plat_gic(struct plat_ctx *c, struct platform *p)
{
	static const char *const gicv2[] = { "arm,gic-400", "arm,cortex-a15-gic",
					     "arm,cortex-a9-gic", "arm,cortex-a7-gic" };
	const struct fdt *f = c->f;
	uint32_t icells;
	int gic, rc;

	gic = plat_find(f, "arm,gic-v3");
	if (gic < 0) {
		for (unsigned i = 0; i < sizeof(gicv2) / sizeof(gicv2[0]); i++) {
			int v2 = plat_find(f, gicv2[i]);

			if (v2 >= 0)
				return plat_fail(c, -ERR_NOENT, -1, "no \"arm,gic-v3\" interrupt "
						 "controller (cella needs GICv3; %s is a GICv2 "
						 "\"%s\")", plat_path(c, v2), gicv2[i]);
		}
		return plat_fail(c, -ERR_NOENT, -1,
				 "no \"arm,gic-v3\" interrupt controller (cella needs GICv3)");
	}
	rc = plat_reg_region(c, gic, 0, "distributor", &p->gicd_pa, &p->gicd_size);
	if (rc)
		return rc;
	rc = plat_reg_region(c, gic, 1, "redistributor", &p->gicr_pa, &p->gicr_size);
	if (rc)
		return rc;
	if (p->gicd_size < PLAT_GICD_MIN)
		return plat_fail(c, -ERR_INVAL, gic,
				 "distributor region is 0x%llx bytes, not 64 KiB",
				 (unsigned long long)p->gicd_size);
	if (p->gicr_size < PLAT_GICR_MIN)
		return plat_fail(c, -ERR_INVAL, gic,
				 "redistributor region is 0x%llx bytes, less than one (128 KiB)",
				 (unsigned long long)p->gicr_size);
	if (fdt_prop_u32(f, gic, "#interrupt-cells", &icells) || icells != 3)
		return plat_fail(c, -ERR_INVAL, gic, "'#interrupt-cells' is not 3");
	c->gic = gic;
	return 0;
}

/* plat_stdout - the node /chosen stdout-path names ("/path", "alias", either with ":options") */
static int plat_stdout(struct plat_ctx *c)
{
	const struct fdt *f = c->f;
	const char *sp, *alias;
	char name[128];
	size_t n;
	int chosen, aliases;

	chosen = fdt_find_path(f, "/chosen");
	if (chosen < 0)
		return chosen;
	if (fdt_prop_str(f, chosen, "stdout-path", &sp) &&
	    fdt_prop_str(f, chosen, "linux,stdout-path", &sp))
		return -ERR_NOENT;
	for (n = 0; sp[n] && sp[n] != ':'; n++)
		if (n + 1 >= sizeof(name))
			return -ERR_NOENT;
	memcpy(name, sp, n);
	name[n] = '\0';
	if (name[0] == '/')
		return fdt_find_path(f, name);
	aliases = fdt_find_path(f, "/aliases");
	if (aliases < 0 || fdt_prop_str(f, aliases, name, &alias) || alias[0] != '/')
		return -ERR_NOENT;
	return fdt_find_path(f, alias);
}

static int plat_uart(struct plat_ctx *c, struct platform *p)
{
	const struct fdt *f = c->f;
	uint32_t type, num;
	int uart, rc;

	uart = plat_stdout(c);
	if (uart < 0 || !fdt_prop_has_str(f, uart, "compatible", "arm,pl011"))
		uart = plat_find(f, "arm,pl011");
	if (uart < 0)
		return plat_fail(c, -ERR_NOENT, -1, "no \"arm,pl011\" UART for cella's console");
	rc = plat_reg_region(c, uart, 0, "register", &p->uart_pa, &p->uart_size);
	if (rc)
		return rc;
	rc = plat_irq(f, uart, 0, &type, &num);
	if (rc == -ERR_NOENT)
		return plat_fail(c, rc, uart, "no 'interrupts' property");
	if (rc)
		return plat_fail(c, rc, uart, "'interrupts' is not a list of 3-cell specifiers");
	if (type != PLAT_IRQ_SPI || num > PLAT_SPI_MAX)
		return plat_fail(c, -ERR_INVAL, uart, "'interrupts' <%u %u> is not an SPI", type,
				 num);
	if (!plat_irq_parent_ok(f, uart, c->gic))
		return plat_fail(c, -ERR_INVAL, uart, "'interrupt-parent' is not the GICv3");
	p->uart_spi = num;
	return 0;
}

static int plat_timer(struct plat_ctx *c, struct platform *p)
{
	static const char *const which[4] = { "secure", "non-secure", "virtual", "hypervisor" };
	const struct fdt *f = c->f;
	uint32_t type, num;
	int timer, rc;

	timer = plat_find(f, "arm,armv8-timer");
	if (timer < 0)
		return plat_fail(c, -ERR_NOENT, -1, "no \"arm,armv8-timer\" timer node");
	for (unsigned i = 0; i < 4; i++) {
		rc = plat_irq(f, timer, i, &type, &num);
		if (rc == -ERR_NOENT)
			return plat_fail(c, rc, timer,
					 "'interrupts' has no %s timer PPI (needs 4: secure, "
					 "non-secure, virtual, hypervisor)", which[i]);
		if (rc)
			return plat_fail(c, rc, timer,
					 "'interrupts' is not a list of 3-cell specifiers");
		if (type != PLAT_IRQ_PPI || num > PLAT_PPI_MAX)
			return plat_fail(c, -ERR_INVAL, timer,
					 "'interrupts' %s timer <%u %u> is not a PPI", which[i],
					 type, num);
		p->timer_ppi[i] = 16 + num;
	}
	if (!plat_irq_parent_ok(f, timer, c->gic))
		return plat_fail(c, -ERR_INVAL, timer, "'interrupt-parent' is not the GICv3");
	return 0;
}

static int plat_psci(struct plat_ctx *c, struct platform *p)
{
	const struct fdt *f = c->f;
	const char *method;
	int psci;

	psci = plat_find(f, "arm,psci-1.0");
	if (psci < 0)
		psci = plat_find(f, "arm,psci-0.2");
	if (psci < 0) {
		psci = plat_find(f, "arm,psci");
		if (psci >= 0)
			return plat_fail(c, -ERR_NOENT, psci,
					 "PSCI 0.1 only (cella needs \"arm,psci-0.2\" or later)");
		return plat_fail(c, -ERR_NOENT, -1,
				 "no PSCI node (\"arm,psci-1.0\" or \"arm,psci-0.2\")");
	}
	if (fdt_prop_str(f, psci, "method", &method))
		return plat_fail(c, -ERR_INVAL, psci, "no 'method' string");
	if (!strcmp(method, "smc"))
		p->psci_smc = 1;
	else if (!strcmp(method, "hvc"))
		p->psci_smc = 0;
	else
		return plat_fail(c, -ERR_INVAL, psci,
				 "'method' \"%.16s\" is neither \"smc\" nor \"hvc\"", method);
	return 0;
}

static int plat_cpus(struct plat_ctx *c, struct platform *p)
{
	const struct fdt *f = c->f;
	const char *dt, *status;
	uint32_t ac, sc;
	uint64_t mpidr;
	int cpus, n, rc;

	cpus = fdt_find_path(f, "/cpus");
	if (cpus < 0)
		return plat_fail(c, -ERR_NOENT, -1, "no /cpus node");
	if (fdt_prop_u32(f, cpus, "#address-cells", &ac) || (ac != 1 && ac != 2))
		return plat_fail(c, -ERR_INVAL, cpus, "'#address-cells' is not 1 or 2");
	if (fdt_prop_u32(f, cpus, "#size-cells", &sc) || sc != 0)
		return plat_fail(c, -ERR_INVAL, cpus, "'#size-cells' is not 0");
	for (n = fdt_first_child(f, cpus); n >= 0; n = fdt_next_sibling(f, n)) {
		if (fdt_prop_str(f, n, "device_type", &dt) || strcmp(dt, "cpu"))
			continue;	/* cpu-map, idle-states, l2-cache... */
		if (!fdt_prop_str(f, n, "status", &status) && !strncmp(status, "fail", 4))
			continue;
		if (p->nr_cpus == PLAT_MAX_CPUS)
			break;
		rc = fdt_reg(f, n, 0, &mpidr, NULL);
		if (rc == -ERR_NOENT)
			return plat_fail(c, rc, n, "no 'reg' property");
		if (rc)
			return plat_fail(c, rc, n, "'reg' is malformed (%s)", err_str(rc));
		if (mpidr & ~MPIDR_AFF_MASK)
			return plat_fail(c, -ERR_INVAL, n, "'reg' 0x%llx is not an MPIDR affinity",
					 (unsigned long long)mpidr);
		for (uint32_t i = 0; i < p->nr_cpus; i++)
			if (p->cpu_mpidr[i] == mpidr)
				return plat_fail(c, -ERR_EXIST, n, "'reg' 0x%llx is given twice",
						 (unsigned long long)mpidr);
		p->cpu_mpidr[p->nr_cpus++] = mpidr;
	}
	if (n < 0 && n != -ERR_NOENT)
		return plat_fail(c, n, cpus, "malformed subtree (%s)", err_str(n));
	if (!p->nr_cpus)
		return plat_fail(c, -ERR_NOENT, cpus, "no cpu nodes");
	return 0;
}

int platform_parse(const struct fdt *f, struct platform *p, char *err, uint32_t errlen)
{
	/* in this order: the UART's and the timer's interrupts must go to the GIC found first */
	static int (*const steps[])(struct plat_ctx *, struct platform *) = {
		plat_memory, plat_gic, plat_uart, plat_timer, plat_psci, plat_cpus,
	};
	struct plat_ctx c = { .f = f, .err = err, .errlen = errlen, .gic = -1 };
	int rc = 0;

	if (err && errlen)
		err[0] = '\0';
	if (!f || !p)
		return plat_fail(&c, -ERR_INVAL, -1, "no device tree");
	memset(p, 0, sizeof(*p));
	c.root = fdt_root(f);
	if (c.root < 0)
		return plat_fail(&c, c.root, -1, "malformed device tree (%s)", err_str(c.root));
	for (size_t i = 0; i < ARRAY_SIZE(steps) && !rc; i++)
		rc = steps[i](&c, p);
	if (!rc) {
		int chosen = fdt_find_path(f, "/chosen");

		if (chosen < 0 || fdt_prop_str(f, chosen, "bootargs", &p->bootargs))
			p->bootargs = NULL;	/* optional */
	}
	return rc;
}
