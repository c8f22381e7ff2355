/* sysdesc.c - parse the user's system description (docs/system-description.md) into cells. */
#include <stddef.h>
#include <string.h>
#include <cella/abi.h>
#include <cella/sysimg.h>
#include "lib/util.h"
#include "sysdesc.h"
#include "../lib/err.h"
#include "../lib/printf.h"

_Static_assert(SYSDESC_SLOTS == CELLA_CSPACE_SLOTS, "the description fills the whole cspace");

struct sysdesc_ctx {
	const struct fdt *f;
	struct sysdesc *out;
	uint32_t nr_pcpus;
	uint32_t load[CELLA_MAX_PCPUS];		/* vCPUs placed on each pCPU so far */
	bool explicit_pins[CELLA_MAX_CELLS];
	int nodes[CELLA_MAX_CELLS];		/* each cell's node, for the second pass (caps) */
	char *err;
	uint32_t errlen;
};

static bool sysdesc_name_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == ',' || ch == '.' || ch == '_' || ch == '+' || ch == '-';
}

/* "s" unless @n is 1, for messages */
static const char *sysdesc_plural(uint32_t n)
{
	return n == 1 ? "" : "s";
}

static bool sysdesc_printable(char ch)
{
	return ch >= 0x20 && ch < 0x7f;
}


static uint32_t sysdesc_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int sysdesc_malformed(struct sysdesc_ctx *x, const char *path)
{
	cella_snprintf(x->err, x->errlen, "%s: malformed device tree", path);
	return -ERR_BADFMT;
}

/* the node's name without unit address into c->name, its path into c->path; names unique */
static int sysdesc_cell_name(struct sysdesc_ctx *x, int node, uint32_t idx)
{
	struct sysdesc_cell *c = &x->out->cells[idx];
	const char *full = fdt_node_name(x->f, node);
	size_t len, i;

	if (!full) {
		cella_snprintf(x->err, x->errlen, "/cells: malformed node name");
		return -ERR_BADFMT;
	}
	if (fdt_node_path(x->f, node, c->path, sizeof(c->path)) < 0)
		cella_snprintf(c->path, sizeof(c->path), "/cells/%s", full);
	cella_printable(c->path);	/* hostile names: messages stay one line */
	for (len = 0; full[len] && full[len] != '@'; len++)
		;
	if (len == 0) {
		cella_snprintf(x->err, x->errlen, "%s: cell name is empty", c->path);
		return -ERR_INVAL;
	}
	if (len >= SYSDESC_NAME_MAX) {
		cella_snprintf(x->err, x->errlen, "%s: cell name is %u characters; at most %u",
			       c->path, (unsigned)len, (unsigned)(SYSDESC_NAME_MAX - 1));
		return -ERR_RANGE;
	}
	for (i = 0; i < len; i++) {
		if (!sysdesc_name_char_ok(full[i])) {
			cella_snprintf(x->err, x->errlen,
				       "%s: cell name has a character other than "
				       "a-z A-Z 0-9 , . _ + -", c->path);
			return -ERR_INVAL;
		}
	}
	memcpy(c->name, full, len);
	c->name[len] = '\0';
	for (i = 0; i < idx; i++) {
		if (strcmp(x->out->cells[i].name, c->name) == 0) {
			cella_snprintf(x->err, x->errlen, "%s: cell name '%s' is also used by %s",
				       c->path, c->name, x->out->cells[i].path);
			return -ERR_EXIST;
		}
	}
	return 0;
}

/* memory-size, and memory-pa with its overlap check against the earlier fixed cells */
static int sysdesc_cell_memory(struct sysdesc_ctx *x, int node, uint32_t idx)
{
	struct sysdesc_cell *c = &x->out->cells[idx];
	uint64_t end;
	uint32_t i;
	int rc;

	rc = fdt_prop_u64(x->f, node, "memory-size", &c->mem_size);
	if (rc == -ERR_NOENT) {
		cella_snprintf(x->err, x->errlen, "%s: no 'memory-size'", c->path);
		return rc;
	}
	if (rc == -ERR_BADFMT)
		return sysdesc_malformed(x, c->path);
	if (rc < 0) {
		cella_snprintf(x->err, x->errlen, "%s: 'memory-size' must be 1 or 2 cells",
			       c->path);
		return -ERR_INVAL;
	}
	if (c->mem_size == 0) {
		cella_snprintf(x->err, x->errlen, "%s: 'memory-size' is 0", c->path);
		return -ERR_RANGE;
	}
	if (c->mem_size % SYSDESC_MEM_ALIGN) {
		cella_snprintf(x->err, x->errlen,
			       "%s: 'memory-size' 0x%llx is not a multiple of 2 MiB", c->path,
			       (unsigned long long)c->mem_size);
		return -ERR_RANGE;
	}
	if (c->mem_size > SYSDESC_MEM_MAX) {
		cella_snprintf(x->err, x->errlen,
			       "%s: 'memory-size' 0x%llx is more than the %llu GiB a cell may have",
			       c->path, (unsigned long long)c->mem_size,
			       (unsigned long long)(SYSDESC_MEM_MAX >> 30));
		return -ERR_RANGE;
	}

	rc = fdt_prop_u64(x->f, node, "memory-pa", &c->mem_pa);
	if (rc == -ERR_NOENT) {
		c->mem_pa = 0;
		return 0;
	}
	if (rc == -ERR_BADFMT)
		return sysdesc_malformed(x, c->path);
	if (rc < 0) {
		cella_snprintf(x->err, x->errlen, "%s: 'memory-pa' must be 1 or 2 cells", c->path);
		return -ERR_INVAL;
	}
	if (c->mem_pa % SYSDESC_MEM_ALIGN) {
		cella_snprintf(x->err, x->errlen, "%s: 'memory-pa' 0x%llx is not 2 MiB aligned",
			       c->path, (unsigned long long)c->mem_pa);
		return -ERR_RANGE;
	}
	/* the end must be representable: rejects ranges reaching or wrapping past 2^64 */
	if (c->mem_pa > UINT64_MAX - c->mem_size) {
		cella_snprintf(x->err, x->errlen,
			       "%s: 'memory-pa' 0x%llx plus 'memory-size' 0x%llx overflows 64 bits",
			       c->path, (unsigned long long)c->mem_pa,
			       (unsigned long long)c->mem_size);
		return -ERR_RANGE;
	}
	c->mem_pa_fixed = true;
	end = c->mem_pa + c->mem_size;
	for (i = 0; i < idx; i++) {
		const struct sysdesc_cell *o = &x->out->cells[i];

		if (!o->mem_pa_fixed)
			continue;
		if (c->mem_pa < o->mem_pa + o->mem_size && o->mem_pa < end) {
			cella_snprintf(x->err, x->errlen,
				       "%s: memory-pa range [0x%llx, 0x%llx) overlaps %s", c->path,
				       (unsigned long long)c->mem_pa, (unsigned long long)end,
				       o->path);
			return -ERR_EXIST;
		}
	}
	return 0;
}

static void sysdesc_pin_add(struct sysdesc_ctx *x, uint32_t pcpu, uint32_t cell, uint32_t vcpu)
{
	x->load[pcpu]++;
	x->out->cells[cell].pcpu[vcpu] = pcpu;
}

/* vcpus (default 1) and explicit pinning from cpus (pCPUs may be shared: the scheduler) */
static int sysdesc_cell_vcpus(struct sysdesc_ctx *x, int node, uint32_t idx)
{
	struct sysdesc_cell *c = &x->out->cells[idx];
	const uint8_t *cpus;
	bool vcpus_given = true;
	uint32_t len, i;
	int rc;

	rc = fdt_prop_u32(x->f, node, "vcpus", &c->nr_vcpus);
	if (rc == -ERR_NOENT) {
		c->nr_vcpus = 1;
		vcpus_given = false;
	} else if (rc == -ERR_BADFMT) {
		return sysdesc_malformed(x, c->path);
	} else if (rc < 0) {
		cella_snprintf(x->err, x->errlen, "%s: 'vcpus' must be one cell", c->path);
		return -ERR_INVAL;
	}
	if (c->nr_vcpus == 0) {
		cella_snprintf(x->err, x->errlen, "%s: 'vcpus' is 0; a cell needs at least 1 vCPU",
			       c->path);
		return -ERR_RANGE;
	}
	if (c->nr_vcpus > CELLA_MAX_VCPUS) {
		cella_snprintf(x->err, x->errlen, "%s: 'vcpus' is %u; at most %u vCPUs per cell",
			       c->path, c->nr_vcpus, (unsigned)CELLA_MAX_VCPUS);
		return -ERR_RANGE;
	}
	cpus = fdt_prop(x->f, node, "cpus", &len);
	if (!cpus)
		return 0;
	if (len == 0 || len % 4) {
		cella_snprintf(x->err, x->errlen,
			       "%s: 'cpus' must be a list of pCPU numbers, one cell each", c->path);
		return -ERR_INVAL;
	}
	if (len / 4 != c->nr_vcpus) {
		cella_snprintf(x->err, x->errlen, "%s: 'cpus' lists %u pCPU%s, but 'vcpus' is %u%s",
			       c->path, len / 4, sysdesc_plural(len / 4), c->nr_vcpus,
			       vcpus_given ? "" : " (the default)");
		return -ERR_INVAL;
	}
	for (i = 0; i < c->nr_vcpus; i++) {
		uint32_t pcpu = sysdesc_be32(cpus + 4 * i);

		if (pcpu >= x->nr_pcpus || pcpu >= CELLA_MAX_PCPUS) {
			cella_snprintf(x->err, x->errlen,
				       "%s: 'cpus' names pCPU %u, but the machine has %u pCPU%s",
				       c->path, pcpu, x->nr_pcpus, sysdesc_plural(x->nr_pcpus));
			return -ERR_RANGE;
		}
		sysdesc_pin_add(x, pcpu, idx, i);
	}
	x->explicit_pins[idx] = true;
	return 0;
}

/* a string property: absent (-ERR_NOENT, *out NULL), or one non-empty NUL-terminated string */
static int sysdesc_cell_str(struct sysdesc_ctx *x, int node, uint32_t idx, const char *name,
			    const char **out)
{
	const char *path = x->out->cells[idx].path;
	uint32_t len;
	int rc;

	*out = NULL;
	rc = fdt_prop_str(x->f, node, name, out);
	if (rc == -ERR_NOENT)
		return rc;
	if (rc == -ERR_BADFMT) {
		*out = NULL;
		return sysdesc_malformed(x, path);
	}
	if (rc < 0 || !fdt_prop(x->f, node, name, &len)) {
		*out = NULL;
		cella_snprintf(x->err, x->errlen, "%s: '%s' is not a NUL-terminated string", path,
			       name);
		return -ERR_INVAL;
	}
	if (strlen(*out) + 1 != len) {
		*out = NULL;
		cella_snprintf(x->err, x->errlen, "%s: '%s' must be a single string", path, name);
		return -ERR_INVAL;
	}
	return 0;
}

/* a module name: a non-empty single string that fits a system image module table entry */
static int sysdesc_cell_module(struct sysdesc_ctx *x, int node, uint32_t idx, const char *name,
			       bool required, const char **out)
{
	const char *path = x->out->cells[idx].path;
	size_t len;
	int rc;

	rc = sysdesc_cell_str(x, node, idx, name, out);
	if (rc == -ERR_NOENT) {
		if (!required)
			return 0;
		cella_snprintf(x->err, x->errlen, "%s: no '%s'", path, name);
		return rc;
	}
	if (rc < 0)
		return rc;
	len = strlen(*out);
	if (len == 0) {
		cella_snprintf(x->err, x->errlen, "%s: '%s' is empty", path, name);
		return -ERR_INVAL;
	}
	if ((*out)[0] == SYSIMG_RESERVED_PREFIX) {
		cella_snprintf(x->err, x->errlen,
			       "%s: '%s' begins with '%c', which is reserved for cella-pack's own "
			       "modules", path, name, SYSIMG_RESERVED_PREFIX);
		return -ERR_INVAL;
	}
	if (len >= SYSIMG_NAME_MAX) {
		cella_snprintf(x->err, x->errlen,
			       "%s: '%s' is %u characters; module names are at most %u", path, name,
			       (unsigned)len, (unsigned)(SYSIMG_NAME_MAX - 1));
		return -ERR_RANGE;
	}
	return 0;
}

/* "<prop>: is "value"; expected <choices>", with a hostile value cut and kept printable */
static int sysdesc_bad_choice(struct sysdesc_ctx *x, const char *path, const char *prop,
			      const char *val, const char *choices)
{
	uint32_t i;

	for (i = 0; val[i] && sysdesc_printable(val[i]) && i < 32; i++)
		;
	cella_snprintf(x->err, x->errlen, "%s: '%s' is \"%.*s%s\"; expected %s", path, prop,
		       (int)i, val, val[i] ? "..." : "", choices);
	return -ERR_INVAL;
}

/* on-fault, restart-limit */
static int sysdesc_cell_faults(struct sysdesc_ctx *x, int node, uint32_t idx)
{
	struct sysdesc_cell *c = &x->out->cells[idx];
	const char *v;
	const uint8_t *lim;
	uint32_t len;
	int rc;

	c->on_fault = SYSDESC_FAULT_STOP;
	rc = sysdesc_cell_str(x, node, idx, "on-fault", &v);
	if (rc == 0) {
		if (strcmp(v, "restart") == 0)
			c->on_fault = SYSDESC_FAULT_RESTART;
		else if (strcmp(v, "system-off") == 0)
			c->on_fault = SYSDESC_FAULT_SYSTEM_OFF;
		else if (strcmp(v, "stop") != 0)
			return sysdesc_bad_choice(x, c->path, "on-fault", v,
						  "\"stop\", \"restart\" or \"system-off\"");
	} else if (rc != -ERR_NOENT) {
		return rc;
	}
	c->restart_max = SYSDESC_RESTART_MAX_DEFAULT;
	c->restart_window_s = SYSDESC_RESTART_WINDOW_DEFAULT;
	lim = fdt_prop(x->f, node, "restart-limit", &len);
	if (!lim)
		return 0;
	if (len != 8) {
		cella_snprintf(x->err, x->errlen,
			       "%s: 'restart-limit' is <restarts seconds>, two cells", c->path);
		return -ERR_INVAL;
	}
	c->restart_max = sysdesc_be32(lim);
	c->restart_window_s = sysdesc_be32(lim + 4);
	if (c->restart_max == 0 || c->restart_max > 1000 || c->restart_window_s == 0 ||
	    c->restart_window_s > 86400) {
		cella_snprintf(x->err, x->errlen,
			       "%s: 'restart-limit' is <%u %u>; restarts 1..1000 in 1..86400 seconds",
			       c->path, c->restart_max, c->restart_window_s);
		return -ERR_RANGE;
	}
	return 0;
}

/* compatible, kernel, initrd, bootargs, console, on-reset, on-fault, restart-limit */
static int sysdesc_cell_boot(struct sysdesc_ctx *x, int node, uint32_t idx)
{
	struct sysdesc_cell *c = &x->out->cells[idx];
	const char *reset;
	const void *console;
	uint32_t len, i;
	int rc;

	if (fdt_prop(x->f, node, "compatible", &len) &&
	    !fdt_prop_has_str(x->f, node, "compatible", "cella,cell")) {
		cella_snprintf(x->err, x->errlen, "%s: 'compatible' does not name \"cella,cell\"",
			       c->path);
		return -ERR_INVAL;
	}
	rc = sysdesc_cell_module(x, node, idx, "kernel", true, &c->kernel);
	if (rc < 0)
		return rc;
	rc = sysdesc_cell_module(x, node, idx, "initrd", false, &c->initrd);
	if (rc < 0)
		return rc;
	rc = sysdesc_cell_str(x, node, idx, "bootargs", &c->bootargs);
	if (rc == -ERR_NOENT)
		c->bootargs = "";
	else if (rc < 0)
		return rc;

	console = fdt_prop(x->f, node, "console", &len);
	if (console) {
		if (len) {
			cella_snprintf(x->err, x->errlen,
				       "%s: 'console' takes no value (write 'console;')", c->path);
			return -ERR_INVAL;
		}
		for (i = 0; i < idx; i++) {
			if (x->out->cells[i].console) {
				cella_snprintf(x->err, x->errlen,
					       "%s: 'console' is also set on %s; only one cell can "
					       "receive console input",
					       c->path, x->out->cells[i].path);
				return -ERR_EXIST;
			}
		}
		c->console = true;
	}

	c->restart_on_reset = true;
	rc = sysdesc_cell_str(x, node, idx, "on-reset", &reset);
	if (rc == 0 && strcmp(reset, "stop") == 0) {
		c->restart_on_reset = false;
	} else if (rc == 0 && strcmp(reset, "restart") != 0) {
		return sysdesc_bad_choice(x, c->path, "on-reset", reset,
					  "\"restart\" or \"stop\"");
	} else if (rc < 0 && rc != -ERR_NOENT) {
		return rc;
	}
	return sysdesc_cell_faults(x, node, idx);
}

/* give the vCPUs of cells without 'cpus', in cell and vCPU order, the pCPU with the fewest
 * vCPUs so far (the lowest-numbered on a tie): free pCPUs first, then spread evenly */
static int sysdesc_pin_rest(struct sysdesc_ctx *x)
{
	uint32_t n = x->nr_pcpus < CELLA_MAX_PCPUS ? x->nr_pcpus : CELLA_MAX_PCPUS;

	if (n == 0) {
		cella_snprintf(x->err, x->errlen, "/cells: the machine has no pCPU");
		return -ERR_RANGE;
	}
	for (uint32_t idx = 0; idx < x->out->nr_cells; idx++) {
		if (x->explicit_pins[idx])
			continue;
		for (uint32_t v = 0; v < x->out->cells[idx].nr_vcpus; v++) {
			uint32_t best = 0;

			for (uint32_t p = 1; p < n; p++)
				if (x->load[p] < x->load[best])
					best = p;
			sysdesc_pin_add(x, best, idx, v);
		}
	}
	return 0;
}

/* a one-cell number property @name: absent leaves *@val, else it must lie in [@min, @max] */
static int sysdesc_cell_u32_range(struct sysdesc_ctx *x, int node, uint32_t idx,
				  const char *name, uint32_t min, uint32_t max, const char *what,
				  uint32_t *val)
{
	const char *path = x->out->cells[idx].path;
	uint32_t v;
	int rc = fdt_prop_u32(x->f, node, name, &v);

	if (rc == -ERR_NOENT)
		return 0;
	if (rc == -ERR_BADFMT)
		return sysdesc_malformed(x, path);
	if (rc < 0) {
		cella_snprintf(x->err, x->errlen, "%s: '%s' must be one cell", path, name);
		return -ERR_INVAL;
	}
	if (v < min || v > max) {
		cella_snprintf(x->err, x->errlen, "%s: '%s' is %u; %s %u to %u", path, name, v,
			       what, min, max);
		return -ERR_RANGE;
	}
	*val = v;
	return 0;
}

/* priority and time-slice-us (docs/system-description.md "Scheduling") */
static int sysdesc_cell_sched(struct sysdesc_ctx *x, int node, uint32_t idx)
{
	struct sysdesc_cell *c = &x->out->cells[idx];
	int rc;

	c->priority = SYSDESC_PRIO_DEFAULT;
	c->slice_us = SYSDESC_SLICE_DEFAULT_US;
	rc = sysdesc_cell_u32_range(x, node, idx, "priority", 0, SYSDESC_PRIO_MAX,
				    "priorities run from", &c->priority);
	if (rc < 0)
		return rc;
	return sysdesc_cell_u32_range(x, node, idx, "time-slice-us", SYSDESC_SLICE_MIN_US,
				      SYSDESC_SLICE_MAX_US, "a time slice is from",
				      &c->slice_us);
}

/* the rights named by the string list @val (@len bytes) of the cap node at @path, which
 * holds a capability of @type (CELLA_CAP_CELL or CELLA_CAP_VCPU: query only) */
static int sysdesc_rights(struct sysdesc_ctx *x, const char *path, const char *val, uint32_t len,
			  uint32_t type, uint32_t *rights)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} names[] = {
		{ "query", CELLA_R_QUERY }, { "start", CELLA_R_START },
		{ "stop", CELLA_R_STOP }, { "restart", CELLA_R_RESTART },
	};
	uint32_t valid = type == CELLA_CAP_VCPU ? CELLA_R_VCPU_ALL : CELLA_R_CELL_ALL;
	uint32_t off = 0;

	*rights = 0;
	if (len == 0 || val[len - 1] != '\0') {
		cella_snprintf(x->err, x->errlen, "%s: 'rights' is not a list of strings", path);
		return -ERR_INVAL;
	}
	while (off < len) {
		const char *r = val + off;
		size_t n = strlen(r), i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(r, names[i].name) == 0)
				break;
		if (i == sizeof(names) / sizeof(names[0]) || !(names[i].bit & valid))
			return sysdesc_bad_choice(x, path, "rights", r,
						  type == CELLA_CAP_VCPU
							  ? "\"query\", the only right of a vCPU"
							  : "\"query\", \"start\", \"stop\" or "
							    "\"restart\"");
		*rights |= names[i].bit;
		off += (uint32_t)n + 1;
	}
	return 0;
}

/* the cell whose node has phandle @ph, named by property @prop of the cap node at @path */
static int sysdesc_cap_cell(struct sysdesc_ctx *x, const char *path, const char *prop,
			    uint32_t ph, uint32_t *target)
{
	for (*target = 0; *target < x->out->nr_cells; (*target)++)
		if (ph && x->out->cells[*target].phandle == ph)
			return 0;
	cella_snprintf(x->err, x->errlen, "%s: '%s' does not name a node under /cells", path,
		       prop);
	return -ERR_NOENT;
}

/* the object of the cap node @n at @path into @cap: a cell ('cell = <&cell>') or one of its
 * vCPUs ('vcpu = <&cell index>'), never both */
static int sysdesc_cap_object(struct sysdesc_ctx *x, int n, const char *path,
			      struct sysdesc_cap *cap)
{
	const uint8_t *vcpu;
	uint32_t len, clen, ph, target, idx;
	int rc;

	vcpu = fdt_prop(x->f, n, "vcpu", &len);
	if (vcpu && fdt_prop(x->f, n, "cell", &clen)) {
		cella_snprintf(x->err, x->errlen,
			       "%s: has both 'cell' and 'vcpu'; a capability names one object",
			       path);
		return -ERR_INVAL;
	}
	if (vcpu) {
		const struct sysdesc_cell *t;

		if (len != 8) {
			cella_snprintf(x->err, x->errlen,
				       "%s: 'vcpu' is <&cell index>, two cells", path);
			return -ERR_INVAL;
		}
		idx = sysdesc_be32(vcpu + 4);
		rc = sysdesc_cap_cell(x, path, "vcpu", sysdesc_be32(vcpu), &target);
		if (rc < 0)
			return rc;
		t = &x->out->cells[target];
		if (idx >= t->nr_vcpus) {
			cella_snprintf(x->err, x->errlen,
				       "%s: 'vcpu' names vCPU %u of %s, which has %u vCPU%s", path,
				       idx, t->path, t->nr_vcpus, sysdesc_plural(t->nr_vcpus));
			return -ERR_RANGE;
		}
		cap->type = CELLA_CAP_VCPU;
		cap->obj = SYSDESC_VCPU_OBJ(target, idx);
		return 0;
	}
	if (fdt_prop_u32(x->f, n, "cell", &ph) < 0) {
		cella_snprintf(x->err, x->errlen,
			       "%s: needs 'cell = <&node>', the cell it controls, or "
			       "'vcpu = <&node index>', one of its vCPUs", path);
		return -ERR_INVAL;
	}
	rc = sysdesc_cap_cell(x, path, "cell", ph, &target);
	if (rc < 0)
		return rc;
	cap->type = CELLA_CAP_CELL;
	cap->obj = target;
	return 0;
}

/* the capabilities under cell @idx's 'caps' node (after every cell is known, so a cap can
 * name any cell by phandle) */
static int sysdesc_cell_caps(struct sysdesc_ctx *x, uint32_t idx)
{
	struct sysdesc_cell *c = &x->out->cells[idx];
	char path[SYSDESC_PATH_MAX];
	int caps, n;
	uint32_t pos = 0;

	caps = fdt_first_child(x->f, x->nodes[idx]);
	for (; caps >= 0; caps = fdt_next_sibling(x->f, caps)) {
		const char *name = fdt_node_name(x->f, caps);

		if (name && strcmp(name, "caps") == 0)
			break;
	}
	if (caps < 0)
		return caps == -ERR_NOENT ? 0 : sysdesc_malformed(x, c->path);
	for (n = fdt_first_child(x->f, caps); n >= 0; n = fdt_next_sibling(x->f, n), pos++) {
		struct sysdesc_cap *cap;
		const char *rights;
		uint32_t slot = pos, len, j;
		int rc;

		if (fdt_node_path(x->f, n, path, sizeof(path)) < 0)
			cella_snprintf(path, sizeof(path), "%s/caps/?", c->path);
		cella_printable(path);
		if (c->nr_caps == SYSDESC_MAX_CAPS) {
			cella_snprintf(x->err, x->errlen, "%s: more than %u capabilities in %s/caps",
				       path, (unsigned)SYSDESC_MAX_CAPS, c->path);
			return -ERR_RANGE;
		}
		rc = fdt_prop_u32(x->f, n, "slot", &slot);
		if (rc < 0 && rc != -ERR_NOENT) {
			cella_snprintf(x->err, x->errlen, "%s: 'slot' is not one cell", path);
			return -ERR_INVAL;
		}
		if (slot >= SYSDESC_SLOTS) {
			cella_snprintf(x->err, x->errlen, "%s: slot %u is outside the cspace (0..%u)",
				       path, slot, (unsigned)(SYSDESC_SLOTS - 1));
			return -ERR_RANGE;
		}
		for (j = 0; j < c->nr_caps; j++) {
			if (c->caps[j].slot == slot) {
				cella_snprintf(x->err, x->errlen,
					       "%s: slot %u is already given to another capability",
					       path, slot);
				return -ERR_EXIST;
			}
		}
		cap = &c->caps[c->nr_caps];
		rc = sysdesc_cap_object(x, n, path, cap);
		if (rc < 0)
			return rc;
		rights = fdt_prop(x->f, n, "rights", &len);
		if (!rights) {
			cella_snprintf(x->err, x->errlen, "%s: needs 'rights', e.g. %s", path,
				       cap->type == CELLA_CAP_VCPU ? "\"query\""
								   : "\"query\", \"restart\"");
			return -ERR_INVAL;
		}
		rc = sysdesc_rights(x, path, rights, len, cap->type, &cap->rights);
		if (rc < 0)
			return rc;
		cap->slot = slot;
		c->nr_caps++;
	}
	return n == -ERR_NOENT ? 0 : sysdesc_malformed(x, c->path);
}

/* the message into @x's error buffer, and @rc */
#define SD_ERR(x, rc, ...) (cella_snprintf((x)->err, (x)->errlen, __VA_ARGS__), (rc))

/* end @e (0, 1) of channel @k, the cell at index @cell: its capability in the cell's lowest
 * free slot (after the slots its caps take) */
static int sysdesc_chan_end(struct sysdesc_ctx *x, uint32_t k, uint32_t e, bool writer)
{
	struct sysdesc_chan *ch = &x->out->chans[k];
	struct sysdesc_cell *c = &x->out->cells[ch->cell[e]];
	struct sysdesc_end *end;
	uint64_t used = 0;
	uint32_t i;

	if (c->nr_ends == SYSDESC_CELL_CHANS)
		return SD_ERR(x, -ERR_RANGE, "%s: %s is already an end of %u channels, the most "
				"a cell can be", ch->path, c->path, (unsigned)SYSDESC_CELL_CHANS);
	for (i = 0; i < c->nr_caps; i++)
		used |= 1ull << c->caps[i].slot;
	for (i = 0; i < c->nr_ends; i++)
		used |= 1ull << c->ends[i].slot;
	if (used == ~0ull)
		return SD_ERR(x, -ERR_RANGE, "%s: the cspace of %s has no free slot", ch->path,
				c->path);
	end = &c->ends[c->nr_ends];
	ch->idx[e] = c->nr_ends++;
	end->chan = k;
	end->end = e;
	end->slot = (uint32_t)__builtin_ctzll(~used);
	end->rights = CELLA_R_READ | CELLA_R_NOTIFY | (writer ? CELLA_R_WRITE : 0);
	end->size = ch->size;
	memcpy(end->peer, x->out->cells[ch->cell[!e]].name, SYSDESC_NAME_MAX);
	return 0;
}

/* the channel at node @n: /channels/NAME { size; ends = <&a &b>; writers = <&a ...>; } */
static int sysdesc_chan(struct sysdesc_ctx *x, int n)
{
	uint32_t k = x->out->nr_chans, len, wlen = 0, e, i;
	struct sysdesc_chan *ch = &x->out->chans[k < SYSDESC_MAX_CHANS ? k : 0];
	const uint8_t *ends, *writers;
	const char *name = fdt_node_name(x->f, n);
	char path[SYSDESC_PATH_MAX];
	bool w[2] = { true, true };
	int rc;

	if (fdt_node_path(x->f, n, path, sizeof(path)) < 0 || !name)
		return sysdesc_malformed(x, "/channels");
	cella_printable(path);
	if (k == SYSDESC_MAX_CHANS)
		return SD_ERR(x, -ERR_RANGE, "%s: more than %u channels", path,
			      (unsigned)SYSDESC_MAX_CHANS);
	memcpy(ch->path, path, sizeof(path));
	if (strlen(name) >= SYSDESC_NAME_MAX)
		return SD_ERR(x, -ERR_RANGE, "%s: channel name is %u characters; at most %u",
			      ch->path, (unsigned)strlen(name), SYSDESC_NAME_MAX - 1);
	/* the name becomes a node name in both ends' device trees (/cella/channels/NAME) */
	for (i = 0; name[i]; i++)
		if (!sysdesc_name_char_ok(name[i]) && name[i] != '@')
			return SD_ERR(x, -ERR_INVAL, "%s: channel name has a character other than "
				      "a-z A-Z 0-9 , . _ + - @", ch->path);
	rc = fdt_prop_u64(x->f, n, "size", &ch->size);
	if (rc < 0 || ch->size == 0 || ch->size % SYSDESC_CHAN_ALIGN || ch->size > SYSDESC_CHAN_MAX)
		return SD_ERR(x, -ERR_RANGE, "%s: 'size' must be a multiple of 4 KiB from 4 KiB "
				"to %llu MiB", ch->path, SYSDESC_CHAN_MAX >> 20);
	ends = fdt_prop(x->f, n, "ends", &len);
	if (!ends || len != 8)
		return SD_ERR(x, -ERR_INVAL, "%s: needs 'ends = <&cell &cell>', its two cells",
				ch->path);
	for (e = 0; e < 2; e++) {
		rc = sysdesc_cap_cell(x, ch->path, "ends", sysdesc_be32(ends + 4 * e), &ch->cell[e]);
		if (rc < 0)
			return rc;
	}
	if (ch->cell[0] == ch->cell[1])
		return SD_ERR(x, -ERR_INVAL, "%s: both ends are %s; a channel joins two cells",
				ch->path, x->out->cells[ch->cell[0]].path);
	writers = fdt_prop(x->f, n, "writers", &wlen);
	/* a length that is not whole phandles (0 included) would skip the loop below */
	if (writers && (wlen == 0 || wlen % 4))
		return SD_ERR(x, -ERR_INVAL, "%s: 'writers' must list one or both of its 'ends' "
			      "by phandle", ch->path);
	if (writers) {
		w[0] = w[1] = false;
		for (i = 0; i + 4 <= wlen; i += 4) {
			uint32_t ph = sysdesc_be32(writers + i);

			for (e = 0; e < 2 && x->out->cells[ch->cell[e]].phandle != ph; e++)
				;
			if (e == 2)
				return SD_ERR(x, -ERR_INVAL, "%s: 'writers' names a node that is "
						"not one of its 'ends'", ch->path);
			w[e] = true;
		}
	}
	for (e = 0; e < 2; e++) {
		rc = sysdesc_chan_end(x, k, e, w[e]);
		if (rc < 0)
			return rc;
		cella_snprintf(x->out->cells[ch->cell[e]].ends[ch->idx[e]].name, SYSDESC_NAME_MAX,
			       "%s", name);
	}
	x->out->nr_chans++;
	return 0;
}

/* every channel under /channels (optional) */
static int sysdesc_chans(struct sysdesc_ctx *x)
{
	int chans = fdt_find_path(x->f, "/channels"), n, rc;

	if (chans == -ERR_NOENT)
		return 0;
	for (n = chans < 0 ? chans : fdt_first_child(x->f, chans); n >= 0;
	     n = fdt_next_sibling(x->f, n)) {
		rc = sysdesc_chan(x, n);
		if (rc < 0)
			return rc;
	}
	return n == -ERR_NOENT ? 0 : sysdesc_malformed(x, "/channels");
}

static int sysdesc_cell(struct sysdesc_ctx *x, int node, uint32_t idx)
{
	int rc;
	uint32_t ph;

	x->nodes[idx] = node;
	if (fdt_prop_u32(x->f, node, "phandle", &ph) == 0 ||
	    fdt_prop_u32(x->f, node, "linux,phandle", &ph) == 0)
		x->out->cells[idx].phandle = ph;

	rc = sysdesc_cell_name(x, node, idx);
	if (rc < 0)
		return rc;
	rc = sysdesc_cell_memory(x, node, idx);
	if (rc < 0)
		return rc;
	rc = sysdesc_cell_vcpus(x, node, idx);
	if (rc < 0)
		return rc;
	rc = sysdesc_cell_sched(x, node, idx);
	if (rc < 0)
		return rc;
	return sysdesc_cell_boot(x, node, idx);
}

int sysdesc_parse(const struct fdt *f, struct sysdesc *out, uint32_t nr_pcpus, char *err,
		  uint32_t errlen)
{
	struct sysdesc_ctx x;
	int cells, node, rc;
	uint32_t i;

	memset(&x, 0, sizeof(x));
	memset(out, 0, sizeof(*out));
	x.f = f;
	x.out = out;
	x.nr_pcpus = nr_pcpus;
	x.err = err;
	x.errlen = err ? errlen : 0;
	if (x.errlen)
		err[0] = '\0';

	if (fdt_root(f) < 0) {
		cella_snprintf(x.err, x.errlen, "/: malformed device tree");
		return -ERR_BADFMT;
	}
	cells = fdt_find_path(f, "/cells");
	if (cells == -ERR_NOENT) {
		cella_snprintf(x.err, x.errlen, "/: no /cells node");
		return -ERR_NOENT;
	}
	if (cells < 0) {
		cella_snprintf(x.err, x.errlen, "/: malformed device tree");
		return -ERR_BADFMT;
	}

	{
		const char *pr;

		rc = fdt_prop_str(f, cells, "operator-prompt", &pr);
		if (rc == 0 && strcmp(pr, "off") == 0) {
			out->prompt_off = true;
		} else if (rc == 0 && strcmp(pr, "on") != 0) {
			return sysdesc_bad_choice(&x, "/cells", "operator-prompt", pr,
						  "\"on\" or \"off\"");
		} else if (rc < 0 && rc != -ERR_NOENT) {
			cella_snprintf(x.err, x.errlen, "/cells: 'operator-prompt' is not a string");
			return -ERR_INVAL;
		}
	}
	for (node = fdt_first_child(f, cells); node >= 0; node = fdt_next_sibling(f, node)) {
		if (out->nr_cells == CELLA_MAX_CELLS) {
			cella_snprintf(x.err, x.errlen, "/cells: more than %u cells",
				       (unsigned)CELLA_MAX_CELLS);
			return -ERR_RANGE;
		}
		rc = sysdesc_cell(&x, node, out->nr_cells);
		if (rc < 0)
			return rc;
		out->nr_cells++;
	}
	if (node != -ERR_NOENT) {
		cella_snprintf(x.err, x.errlen, "/cells: malformed device tree");
		return -ERR_BADFMT;
	}
	if (out->nr_cells == 0) {
		cella_snprintf(x.err, x.errlen, "/cells: no cells (add one node per cell)");
		return -ERR_NOENT;
	}

	rc = sysdesc_pin_rest(&x);
	if (rc < 0)
		return rc;
	for (i = 0; i < out->nr_cells; i++) {
		rc = sysdesc_cell_caps(&x, i);
		if (rc < 0)
			return rc;
	}
	rc = sysdesc_chans(&x);
	if (rc < 0)
		return rc;
	for (i = 0; i < out->nr_cells; i++)
		if (out->cells[i].console)
			return 0;
	out->cells[0].console = true;
	return 0;
}
