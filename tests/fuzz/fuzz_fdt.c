/* fuzz_fdt.c - libFuzzer harness for the FDT reader (src/lib/fdt.c).
 *
 * The input is a device tree blob. If fdt_open accepts it, the whole tree is walked through the
 * public API and every answer is checked against what src/lib/fdt.h promises: node names and
 * property values lie inside the structure block, fdt_parent and fdt_node_path agree with the
 * walk, fdt_find_path(fdt_node_path(n)) leads back to a node of that path, the typed readers
 * agree with fdt_prop, fdt_next_compatible moves forward and only stops at matching nodes.
 * Handles that are not nodes (4-byte offsets spread over the structure block) must be refused
 * without a crash. Whether or not the blob opens, the API is also called on the result.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "lib/err.h"
#include "lib/fdt.h"

#define MAX_NAMES 4		/* names from the strings block looked up on every node */
#define MAX_PROPS 128		/* properties per node read by the harness's own decoder */
#define MAX_NODES 512		/* nodes walked per input */
#define MAX_CHILDREN 256	/* children per node */
#define MAX_REG 4		/* reg entries read per node */
#define MAX_SHORT 16		/* nodes whose path is also written into short buffers */
#define MAX_FULL 32		/* nodes given every check; past them only every 4th, since the
				   parent, path and reg checks each walk the tree */
#define MAX_FAKE 32		/* bogus handles tried, spread over the structure block */
#define PATH_LEN 512

struct walk {
	const struct fdt *f;
	const char *names[MAX_NAMES + 8];
	unsigned nr_names;
	unsigned nodes;
};

/* fixed names: common ones, and some that are never there */
static const char *const extra_names[] = {
	"reg", "compatible", "#address-cells", "#size-cells", "status", "", "nonexistent",
	"device_type",
};

static const char *const compats[] = {
	"arm,gic-v3", "arm,pl011", "arm,armv8-timer", "arm,psci-0.2", "cella,cell",
	"cella,system", "", "virtio,mmio",
};

static const char *const paths[] = {
	"/", "//", "/cells", "/cells/linux", "/cells/linux@0", "/cpus/cpu@0", "/cpus/cpu",
	"/memory", "/memory@40000000", "/chosen", "/aliases", "/a/b/c/d/e", "/cells//linux/",
	"cells", "", "/@", "/intc@8000000/its@8080000",
};

static bool in_struct(const struct fdt *f, const void *p, uint64_t len)
{
	return fuzz_inside(p, len, f->blob + f->off_struct, f->size_struct);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* the property names in the strings block (each NUL-terminated inside it) */
static void collect_names(struct walk *w)
{
	const struct fdt *f = w->f;
	const char *s = (const char *)f->blob + f->off_strings;
	uint32_t off = 0, n = f->size_strings;
	unsigned i;

	while (off < n && w->nr_names < MAX_NAMES) {
		const char *nul = memchr(s + off, '\0', n - off);

		if (!nul)
			break;
		w->names[w->nr_names++] = s + off;
		off = (uint32_t)(nul - s) + 1;
	}
	for (i = 0; i < sizeof(extra_names) / sizeof(extra_names[0]); i++)
		w->names[w->nr_names++] = extra_names[i];
}

/* fdt_prop and the typed readers agree about property @name of @node; the harness's own
 * decoder says where its first occurrence is (@want, @want_len), or NULL if absent */
static void check_prop(const struct fdt *f, int node, const char *name, const uint8_t *want,
		       uint32_t want_len)
{
	const uint8_t *p;
	const char *s = NULL;
	uint32_t len = 0xdeadbeef, u32 = 0;
	uint64_t u64 = 0;
	int rc;

	p = fdt_prop(f, node, name, &len);
	if (!p) {
		FUZZ_CHECK(want == NULL);
		/* a node handed out by the walk of an opened blob: absent, never malformed */
		FUZZ_CHECK(fdt_prop_u32(f, node, name, &u32) == -ERR_NOENT);
		return;
	}
	FUZZ_CHECK(p == want && len == want_len);
	FUZZ_CHECK(in_struct(f, p, len));
	fuzz_touch(p, len);

	rc = fdt_prop_u32(f, node, name, &u32);
	if (len == 4)
		FUZZ_CHECK(rc == 0 && u32 == be32(p));
	else
		FUZZ_CHECK(rc == -ERR_INVAL);

	rc = fdt_prop_u64(f, node, name, &u64);
	if (len == 4)
		FUZZ_CHECK(rc == 0 && u64 == be32(p));
	else if (len == 8)
		FUZZ_CHECK(rc == 0 && u64 == ((uint64_t)be32(p) << 32 | be32(p + 4)));
	else
		FUZZ_CHECK(rc == -ERR_INVAL);

	rc = fdt_prop_str(f, node, name, &s);
	if (len > 0 && p[len - 1] == '\0') {
		FUZZ_CHECK(rc == 0 && s == (const char *)p);
		/* the first string of a string list is in the list */
		FUZZ_CHECK(fdt_prop_has_str(f, node, name, s));
	} else {
		FUZZ_CHECK(rc == -ERR_INVAL);
	}
	(void)fdt_prop_has_str(f, node, name, "arm,pl011");
	(void)fdt_prop_has_str(f, node, name, NULL);
}

/* the properties of @node as the harness reads the structure block itself (DT spec 5.4.1:
 * FDT_PROP tokens and NOPs after the node's name, up to the first other token); each is
 * checked with check_prop, which must find the first property of that name. The names in
 * w->names that the node does not have must be absent. */
static void check_props(struct walk *w, int node)
{
	const struct fdt *f = w->f;
	const uint8_t *s = f->blob + f->off_struct;
	const char *strs = (const char *)f->blob + f->off_strings;
	const char *seen[MAX_PROPS];
	const uint8_t *seen_val[MAX_PROPS];
	uint32_t seen_len[MAX_PROPS];
	uint32_t off, end = f->size_struct, tag, len, nameoff, nr = 0, i, j;
	const char *name = (const char *)s + node + 4;

	off = (uint32_t)node + 4 + (uint32_t)strlen(name) + 1;
	off = (off + 3) & ~3u;
	while (nr < MAX_PROPS) {
		FUZZ_CHECK(off <= end && end - off >= 4);	/* fdt_open checked the block */
		tag = be32(s + off);
		if (tag == 4) {		/* FDT_NOP */
			off += 4;
			continue;
		}
		if (tag != 3)		/* not FDT_PROP: the properties end */
			break;
		FUZZ_CHECK(end - off >= 12);
		len = be32(s + off + 4);
		nameoff = be32(s + off + 8);
		FUZZ_CHECK(len <= end - off - 12 && nameoff < f->size_strings);
		for (i = 0; i < nr && strcmp(seen[i], strs + nameoff); i++)
			;
		if (i == nr) {		/* the first of that name is the one fdt_prop finds */
			seen[nr] = strs + nameoff;
			seen_val[nr] = s + off + 12;
			seen_len[nr++] = len;
		}
		off = (off + 12 + len + 3) & ~3u;
	}
	for (i = 0; i < nr; i++)
		check_prop(f, node, seen[i], seen_val[i], seen_len[i]);
	for (i = 0; i < w->nr_names; i++) {
		for (j = 0; j < nr && strcmp(seen[j], w->names[i]); j++)
			;
		if (j == nr && nr < MAX_PROPS)
			check_prop(f, node, w->names[i], NULL, 0);
	}
}

/* fdt_node_path into short buffers: NUL-terminated prefixes of the full path */
static void check_short_paths(const struct fdt *f, int node, const char *full)
{
	static const size_t lens[] = { 1, 3 };
	char buf[8];
	unsigned i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		FUZZ_CHECK(fdt_node_path(f, node, buf, lens[i]) == 0);
		FUZZ_CHECK(memchr(buf, '\0', lens[i]) != NULL);
		FUZZ_CHECK(strncmp(buf, full, strlen(buf)) == 0);
	}
	FUZZ_CHECK(fdt_node_path(f, node, buf, 0) == -ERR_INVAL);
	FUZZ_CHECK(fdt_node_path(f, node, NULL, 8) == -ERR_INVAL);
}

static uint64_t cells(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

/* fdt_reg against the raw "reg" decoded with the parent's cells (-1: @node is the root) */
static void check_reg(const struct fdt *f, int node, int parent)
{
	const uint8_t *reg;
	uint64_t addr, size;
	uint32_t len, entry, count, i;
	int ac, sc, rc;

	rc = fdt_reg(f, node, 0, &addr, &size);
	if (parent < 0) {
		FUZZ_CHECK(rc == -ERR_INVAL);	/* the root's reg means nothing */
		return;
	}
	ac = fdt_address_cells(f, parent);
	sc = fdt_size_cells(f, parent);
	FUZZ_CHECK(ac <= 2 && (ac >= 0 || ac == -ERR_INVAL));
	FUZZ_CHECK(sc <= 2 && (sc >= 0 || sc == -ERR_INVAL));
	reg = fdt_prop(f, node, "reg", &len);
	if (ac < 0 || sc < 0) {
		FUZZ_CHECK(rc == -ERR_INVAL);
		return;
	}
	if (!reg) {
		FUZZ_CHECK(rc == -ERR_NOENT);
		return;
	}
	entry = 4 * (uint32_t)(ac + sc);
	if (entry == 0 || len % entry) {
		FUZZ_CHECK(rc == -ERR_INVAL);
		return;
	}
	count = len / entry;
	for (i = 0; i < count && i < MAX_REG; i++) {
		if (i)
			rc = fdt_reg(f, node, i, &addr, &size);
		FUZZ_CHECK(rc == 0);
		FUZZ_CHECK(addr == cells(reg + i * entry, ac));
		FUZZ_CHECK(size == cells(reg + i * entry + 4 * (uint32_t)ac, sc));
	}
	if (count == 0)
		FUZZ_CHECK(rc == -ERR_NOENT);
	if (count < MAX_REG)
		FUZZ_CHECK(fdt_reg(f, node, count, &addr, &size) == -ERR_NOENT);
	if (count >= MAX_REG)
		FUZZ_CHECK(fdt_reg(f, node, 0xffffffffu, NULL, NULL) == -ERR_NOENT);
}

/* @first: @node and each of its ancestors is the first child of its parent with its name.
 * The DT spec wants sibling names unique, but fdt_open does not check: fdt_find_path follows
 * the first of equal names, so only such nodes are sure to be found by their path. */
static void walk_node(struct walk *w, int node, int parent, int depth, bool first)
{
	const struct fdt *f = w->f;
	char path[PATH_LEN], back[PATH_LEN];
	const char *name, *kids[MAX_CHILDREN];
	unsigned n, i;
	int rc, c, prev;
	bool kid_first;

	/* fdt_open refuses trees deeper than FDT_MAX_DEPTH */
	FUZZ_CHECK(depth < FDT_MAX_DEPTH);
	if (w->nodes++ >= MAX_NODES)
		return;

	name = fdt_node_name(f, node);
	FUZZ_CHECK(name != NULL);
	FUZZ_CHECK(in_struct(f, name, strlen(name) + 1));
	if (depth > 0)
		FUZZ_CHECK(name[0] != '\0' && !strchr(name, '/'));

	check_props(w, node);
	rc = fdt_address_cells(f, node);
	FUZZ_CHECK(rc <= 2 && (rc >= 0 || rc == -ERR_INVAL));
	rc = fdt_size_cells(f, node);
	FUZZ_CHECK(rc <= 2 && (rc >= 0 || rc == -ERR_INVAL));
	if (w->nodes > MAX_FULL && w->nodes % 4)
		goto children;

	rc = fdt_parent(f, node);
	FUZZ_CHECK(depth == 0 ? rc == -ERR_NOENT : rc == parent);

	FUZZ_CHECK(fdt_node_path(f, node, path, sizeof(path)) == 0);
	FUZZ_CHECK(path[0] == '/');
	if (w->nodes <= MAX_SHORT)
		check_short_paths(f, node, path);
	if (strlen(path) < sizeof(path) - 1) {
		/* not truncated: the path leads back to @node; with equal sibling names on the
		 * way, to a node of the same path or nowhere */
		rc = fdt_find_path(f, path);
		if (first) {
			FUZZ_CHECK(rc == node);
		} else if (rc != -ERR_NOENT) {
			FUZZ_CHECK(rc >= 0 && rc != node);
			FUZZ_CHECK(fdt_node_path(f, rc, back, sizeof(back)) == 0);
			FUZZ_CHECK(strcmp(path, back) == 0);
		}
	}

	check_reg(f, node, parent);

children:
	/* children in document order, each a node whose parent is @node */
	prev = node;
	n = 0;
	for (c = fdt_first_child(f, node); c >= 0 && n < MAX_CHILDREN;
	     c = fdt_next_sibling(f, c), n++) {
		FUZZ_CHECK(c > prev);
		kids[n] = fdt_node_name(f, c);
		FUZZ_CHECK(kids[n] != NULL);
		kid_first = first;
		for (i = 0; i < n && kid_first; i++)
			kid_first = strcmp(kids[i], kids[n]) != 0;
		walk_node(w, c, node, depth + 1, kid_first);
		prev = c;
	}
	FUZZ_CHECK(c >= 0 || c == -ERR_NOENT);
}

/* fdt_next_compatible: strictly forward, matches only, ends with -ERR_NOENT */
static void check_compatible(const struct fdt *f, const char *compat)
{
	int n, prev = -1;
	unsigned i;

	for (i = 0, n = fdt_next_compatible(f, -1, compat); n >= 0 && i < MAX_NODES;
	     n = fdt_next_compatible(f, n, compat), i++) {
		FUZZ_CHECK(n > prev);
		FUZZ_CHECK(fdt_prop_has_str(f, n, "compatible", compat));
		FUZZ_CHECK(fdt_node_name(f, n) != NULL);
		prev = n;
	}
	FUZZ_CHECK(n >= 0 || n == -ERR_NOENT);
}

/* any int as a handle: refused or answered, never a crash; next_compatible never says -1 */
static void poke_handle(const struct fdt *f, int h)
{
	char buf[64];
	uint64_t a, s;
	uint32_t len;
	const char *name;
	const void *p;

	name = fdt_node_name(f, h);
	if (name)
		FUZZ_CHECK(in_struct(f, name, strlen(name) + 1));
	(void)fdt_first_child(f, h);
	(void)fdt_next_sibling(f, h);
	(void)fdt_parent(f, h);
	(void)fdt_node_path(f, h, buf, sizeof(buf));
	p = fdt_prop(f, h, "reg", &len);
	if (p)
		FUZZ_CHECK(in_struct(f, p, len));
	(void)fdt_reg(f, h, 0, &a, &s);
	(void)fdt_address_cells(f, h);
	if (h != -1)
		FUZZ_CHECK(fdt_next_compatible(f, h, "arm,pl011") != -ERR_INVAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct walk w;
	struct fdt f;
	unsigned i;
	uint32_t off, step;
	int rc, root;

	rc = fdt_open(&f, data, size);
	(void)fdt_totalsize_hint(data, size);
	if (rc < 0) {
		FUZZ_CHECK(rc == -ERR_BADFMT || rc == -ERR_RANGE);
		/* the zeroed struct is refused by everything */
		FUZZ_CHECK(fdt_root(&f) < 0);
		FUZZ_CHECK(fdt_find_path(&f, "/") < 0);
		FUZZ_CHECK(fdt_next_compatible(&f, -1, "") < 0);
		poke_handle(&f, 0);
		return 0;
	}
	FUZZ_CHECK(f.blob == data && f.totalsize <= size);
	FUZZ_CHECK((uint64_t)f.off_struct + f.size_struct <= f.totalsize);
	FUZZ_CHECK((uint64_t)f.off_strings + f.size_strings <= f.totalsize);
	FUZZ_CHECK(fdt_totalsize_hint(data, size) == f.totalsize);

	root = fdt_root(&f);
	FUZZ_CHECK(root >= 0);
	FUZZ_CHECK(fdt_find_path(&f, "/") == root);
	FUZZ_CHECK(fdt_find_path(&f, NULL) == -ERR_INVAL);
	FUZZ_CHECK(fdt_next_sibling(&f, root) == -ERR_NOENT);

	memset(&w, 0, sizeof(w));
	w.f = &f;
	collect_names(&w);
	walk_node(&w, root, -1, 0, true);

	for (i = 0; i < sizeof(compats) / sizeof(compats[0]); i++)
		check_compatible(&f, compats[i]);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		rc = fdt_find_path(&f, paths[i]);
		if (rc >= 0)
			FUZZ_CHECK(fdt_node_name(&f, rc) != NULL);
		else if (paths[i][0] != '/')
			FUZZ_CHECK(rc == -ERR_INVAL);
		else
			FUZZ_CHECK(rc == -ERR_NOENT);
	}

	/* 4-byte aligned structure offsets as handles (node or not), and some that are never nodes:
	 * all of a small block, MAX_FAKE spread evenly over a larger one */
	step = (f.size_struct / 4 + MAX_FAKE - 1) / MAX_FAKE * 4;
	for (off = 0; step && off < f.size_struct; off += step)
		poke_handle(&f, (int)off);
	poke_handle(&f, -1);
	poke_handle(&f, 2);
	poke_handle(&f, (int)f.size_struct);
	poke_handle(&f, 0x7fffffff);
	return 0;
}
