/* test_fdt.c - unit tests of the FDT reader and writer (src/lib/fdt.c), hostile blobs included. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/fdt.h"

#define TOK_BEGIN	1u
#define TOK_END_NODE	2u
#define TOK_PROP	3u
#define TOK_NOP		4u
#define TOK_END		9u

/* header field offsets */
#define H_MAGIC		0
#define H_TOTALSIZE	4
#define H_OFF_STRUCT	8
#define H_OFF_STRINGS	12
#define H_OFF_RSVMAP	16
#define H_VERSION	20
#define H_LAST_COMP	24
#define H_BOOT_CPUID	28
#define H_SIZE_STRINGS	32
#define H_SIZE_STRUCT	36

/* ---- helpers ---- */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* a heap copy of exactly @n bytes, so ASan flags any read past the blob */
static uint8_t *dup_exact(const void *p, size_t n)
{
	uint8_t *d = malloc(n ? n : 1);

	assert_non_null(d);
	if (n)
		memcpy(d, p, n);
	return d;
}

/* structure-block offset of the FDT_PROP token of property @name of @node, via the strings */
static uint32_t prop_tok_off(const struct fdt *f, int node, const char *name)
{
	uint32_t len;
	const uint8_t *v = fdt_prop(f, node, name, &len);

	assert_non_null(v);
	return (uint32_t)(v - (f->blob + f->off_struct)) - 12;
}

/* mutated blobs may hold two siblings of one name: a path then leads to the first only */
static bool walk_dup_names;

/* Walk everything reachable from @node, checking the invariants a blob accepted by fdt_open
 * must keep: no walk call fails with a format error, paths resolve back to the same path,
 * parents agree with children. Returns the number of nodes seen. */
static int walk(const struct fdt *f, int node, int depth)
{
	char path[256], path2[256];
	const char *name, *s;
	uint32_t u32, len;
	uint64_t u64, a, sz;
	int c, n = 1, rc, found;
	unsigned i;

	assert_true(depth < FDT_MAX_DEPTH);
	name = fdt_node_name(f, node);
	assert_non_null(name);
	assert_int_equal(fdt_node_path(f, node, path, sizeof(path)), 0);
	assert_true(path[0] == '/');
	if (strlen(path) < sizeof(path) - 1) {
		found = fdt_find_path(f, path);
		if (!walk_dup_names || found != -ERR_NOENT) {
			assert_true(found >= 0);
			assert_int_equal(fdt_node_path(f, found, path2, sizeof(path2)), 0);
			assert_string_equal(path, path2);
		}
	}
	rc = fdt_prop_u32(f, node, "#address-cells", &u32);
	assert_true(rc == 0 || rc == -ERR_NOENT || rc == -ERR_INVAL);
	rc = fdt_prop_u64(f, node, "reg", &u64);
	assert_true(rc == 0 || rc == -ERR_NOENT || rc == -ERR_INVAL);
	rc = fdt_prop_str(f, node, "compatible", &s);
	assert_true(rc == 0 || rc == -ERR_NOENT || rc == -ERR_INVAL);
	if (rc == 0)
		assert_true(fdt_prop_has_str(f, node, "compatible", s));
	(void)fdt_prop(f, node, "model", &len);
	rc = fdt_address_cells(f, node);
	assert_true(rc >= 0 || rc == -ERR_INVAL);
	rc = fdt_size_cells(f, node);
	assert_true(rc >= 0 || rc == -ERR_INVAL);
	for (i = 0; i < 3; i++) {
		rc = fdt_reg(f, node, i, &a, &sz);
		assert_true(rc == 0 || rc == -ERR_NOENT || rc == -ERR_INVAL);
	}
	for (c = fdt_first_child(f, node); c >= 0; c = fdt_next_sibling(f, c)) {
		assert_int_equal(fdt_parent(f, c), node);
		n += walk(f, c, depth + 1);
	}
	assert_int_equal(c, -ERR_NOENT);
	return n;
}

/* the whole tree of an opened blob, and a compatible scan; returns the node count */
static int walk_all(const struct fdt *f)
{
	int root = fdt_root(f), n, c, k = 0;

	assert_true(root >= 0);
	assert_int_equal(fdt_parent(f, root), -ERR_NOENT);
	n = walk(f, root, 0);
	for (c = fdt_next_compatible(f, -1, "arm,pl011"); c >= 0;
	     c = fdt_next_compatible(f, c, "arm,pl011"))
		assert_true(++k <= n);
	assert_int_equal(c, -ERR_NOENT);
	return n;
}

/* open a heap copy of exactly @len bytes of @blob; if it opens, walk it all. Returns fdt_open's
 * result. */
static int open_and_walk(const uint8_t *blob, size_t len, size_t bufsize)
{
	uint8_t *b = dup_exact(blob, len);
	struct fdt f;
	int rc = fdt_open(&f, b, bufsize);

	if (rc == 0)
		walk_all(&f);
	else
		assert_int_equal(fdt_root(&f), -ERR_BADFMT);	/* nothing usable left */
	free(b);
	return rc;
}

/* ---- a raw blob builder for layouts the writer refuses to produce ---- */

struct raw {
	uint8_t st[2048];	/* structure block */
	size_t sl;
	char str[512];		/* strings block */
	size_t strl;
};

static void raw_u32(struct raw *r, uint32_t v)
{
	assert_true(r->sl + 4 <= sizeof(r->st));
	put32(r->st + r->sl, v);
	r->sl += 4;
}

static void raw_bytes(struct raw *r, const void *p, size_t n)
{
	assert_true(r->sl + n + 3 <= sizeof(r->st));
	memcpy(r->st + r->sl, p, n);
	r->sl += n;
	while (r->sl & 3)
		r->st[r->sl++] = 0;
}

static uint32_t raw_str(struct raw *r, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t off = (uint32_t)r->strl;

	assert_true(r->strl + n <= sizeof(r->str));
	memcpy(r->str + r->strl, s, n);
	r->strl += n;
	return off;
}

static void raw_begin(struct raw *r, const char *name)
{
	raw_u32(r, TOK_BEGIN);
	raw_bytes(r, name, strlen(name) + 1);
}

static void raw_prop(struct raw *r, const char *name, const void *val, uint32_t len)
{
	raw_u32(r, TOK_PROP);
	raw_u32(r, len);
	raw_u32(r, raw_str(r, name));
	raw_bytes(r, val, len);
}

/* header, empty reservation map, structure block, strings block into @out; returns totalsize */
static size_t raw_blob(const struct raw *r, uint8_t *out, size_t cap)
{
	size_t total = 56 + r->sl + r->strl;

	assert_true(total <= cap);
	memset(out, 0, 56);
	put32(out + H_MAGIC, FDT_MAGIC);
	put32(out + H_TOTALSIZE, (uint32_t)total);
	put32(out + H_OFF_STRUCT, 56);
	put32(out + H_OFF_STRINGS, (uint32_t)(56 + r->sl));
	put32(out + H_OFF_RSVMAP, 40);
	put32(out + H_VERSION, 17);
	put32(out + H_LAST_COMP, 16);
	put32(out + H_SIZE_STRINGS, (uint32_t)r->strl);
	put32(out + H_SIZE_STRUCT, (uint32_t)r->sl);
	memcpy(out + 56, r->st, r->sl);
	memcpy(out + 56 + r->sl, r->str, r->strl);
	return total;
}

/* fdt_open on a heap copy of exactly the raw blob; walks it if it opens */
static int raw_open(const struct raw *r)
{
	static uint8_t blob[4096];
	size_t n = raw_blob(r, blob, sizeof(blob));

	return open_and_walk(blob, n, n);
}

/* ---- the reference tree, built with the writer ---- */

/*
 * / {
 *	#address-cells = <2>; #size-cells = <2>;
 *	compatible = "cella,ref", "cella,base"; model = "ref"; empty;
 *	u32 = <0xdeadbeef>; u64 = /bits/ 64 <0x123456789abcdef0>; cells = <1 2 3>;
 *	bytes = [00 01 02 03 04];
 *	memory@40000000 { device_type = "memory";
 *		reg = <0x0 0x40000000 0x0 0x10000000>, <0x1 0x0 0x2 0x0>; };
 *	cpus { #address-cells = <1>; #size-cells = <0>;
 *		cpu@0 { compatible = "arm,cortex-a53"; reg = <0>; };
 *		cpu@1 { compatible = "arm,cortex-a53"; reg = <1>; }; };
 *	soc { #address-cells = <1>; #size-cells = <1>; compatible = "simple-bus";
 *		uart@9000000 { compatible = "arm,pl011", "arm,primecell";
 *			reg = <0x9000000 0x1000>; };
 *		node@1 { tag = "unit"; };
 *		node { tag = "exact"; };
 *		bad@0 { reg = <1 2 3>; };
 *		deep { a { b { c { }; }; }; }; };
 * };
 */
#define REF_NODES 14

static void build_ref(struct fdtw *w)
{
	static const char *const compat[] = { "cella,ref", "cella,base" };
	static const char *const uart_compat[] = { "arm,pl011", "arm,primecell" };
	static const uint32_t cells[] = { 1, 2, 3 };
	static const uint32_t mem_reg[] = { 0x0, 0x40000000, 0x0, 0x10000000, 0x1, 0x0, 0x2, 0x0 };
	static const uint32_t uart_reg[] = { 0x9000000, 0x1000 };
	static const uint32_t bad_reg[] = { 1, 2, 3 };
	static const uint8_t bytes[] = { 0, 1, 2, 3, 4 };

	fdtw_begin_node(w, "");
	fdtw_prop_u32(w, "#address-cells", 2);
	fdtw_prop_u32(w, "#size-cells", 2);
	fdtw_prop_strs(w, "compatible", compat, 2);
	fdtw_prop_str(w, "model", "ref");
	fdtw_prop_empty(w, "empty");
	fdtw_prop_u32(w, "u32", 0xdeadbeef);
	fdtw_prop_u64(w, "u64", 0x123456789abcdef0ull);
	fdtw_prop_cells(w, "cells", cells, 3);
	fdtw_prop(w, "bytes", bytes, sizeof(bytes));

	fdtw_begin_node(w, "memory@40000000");
	fdtw_prop_str(w, "device_type", "memory");
	fdtw_prop_cells(w, "reg", mem_reg, 8);
	fdtw_end_node(w);

	fdtw_begin_node(w, "cpus");
	fdtw_prop_u32(w, "#address-cells", 1);
	fdtw_prop_u32(w, "#size-cells", 0);
	fdtw_begin_node(w, "cpu@0");
	fdtw_prop_str(w, "compatible", "arm,cortex-a53");
	fdtw_prop_u32(w, "reg", 0);
	fdtw_end_node(w);
	fdtw_begin_node(w, "cpu@1");
	fdtw_prop_str(w, "compatible", "arm,cortex-a53");
	fdtw_prop_u32(w, "reg", 1);
	fdtw_end_node(w);
	fdtw_end_node(w);

	fdtw_begin_node(w, "soc");
	fdtw_prop_u32(w, "#address-cells", 1);
	fdtw_prop_u32(w, "#size-cells", 1);
	fdtw_prop_str(w, "compatible", "simple-bus");
	fdtw_begin_node(w, "uart@9000000");
	fdtw_prop_strs(w, "compatible", uart_compat, 2);
	fdtw_prop_cells(w, "reg", uart_reg, 2);
	fdtw_end_node(w);
	fdtw_begin_node(w, "node@1");
	fdtw_prop_str(w, "tag", "unit");
	fdtw_end_node(w);
	fdtw_begin_node(w, "node");
	fdtw_prop_str(w, "tag", "exact");
	fdtw_end_node(w);
	fdtw_begin_node(w, "bad@0");
	fdtw_prop_cells(w, "reg", bad_reg, 3);
	fdtw_end_node(w);
	fdtw_begin_node(w, "deep");
	fdtw_begin_node(w, "a");
	fdtw_begin_node(w, "b");
	fdtw_begin_node(w, "c");
	fdtw_end_node(w);
	fdtw_end_node(w);
	fdtw_end_node(w);
	fdtw_end_node(w);
	fdtw_end_node(w);

	fdtw_end_node(w);
}

static uint8_t ref_buf[4096];
static size_t ref_len;

/* build the reference blob into ref_buf and open it */
static void ref_open(struct fdt *f)
{
	struct fdtw w;

	assert_int_equal(fdtw_init(&w, ref_buf, sizeof(ref_buf)), 0);
	build_ref(&w);
	assert_int_equal(fdtw_finish(&w, &ref_len), 0);
	assert_int_equal(fdt_open(f, ref_buf, ref_len), 0);
}

static int path_of(const struct fdt *f, const char *path)
{
	int n = fdt_find_path(f, path);

	assert_true(n >= 0);
	return n;
}

/* ---- writer -> reader round trip ---- */

static void test_roundtrip_tree(void **state)
{
	struct fdt f;
	int root, c;
	const char *expect[] = { "memory@40000000", "cpus", "soc" };
	unsigned i = 0;

	(void)state;
	ref_open(&f);
	assert_int_equal(get32(ref_buf + H_VERSION), 17);
	assert_int_equal(get32(ref_buf + H_LAST_COMP), 16);
	assert_int_equal(get32(ref_buf + H_TOTALSIZE), ref_len);
	root = fdt_root(&f);
	assert_int_equal(root, 0);
	assert_string_equal(fdt_node_name(&f, root), "");
	for (c = fdt_first_child(&f, root); c >= 0; c = fdt_next_sibling(&f, c)) {
		assert_true(i < 3);
		assert_string_equal(fdt_node_name(&f, c), expect[i++]);
	}
	assert_int_equal(c, -ERR_NOENT);
	assert_int_equal(i, 3);
	assert_int_equal(fdt_next_sibling(&f, root), -ERR_NOENT);
	assert_int_equal(fdt_first_child(&f, path_of(&f, "/soc/deep/a/b/c")), -ERR_NOENT);
	assert_int_equal(fdt_first_child(&f, path_of(&f, "/cpus/cpu@1")), -ERR_NOENT);
	assert_int_equal(fdt_next_sibling(&f, path_of(&f, "/cpus/cpu@1")), -ERR_NOENT);
	assert_int_equal(walk_all(&f), REF_NODES);
}

static void test_roundtrip_props(void **state)
{
	static const uint8_t bytes[] = { 0, 1, 2, 3, 4 };
	struct fdt f;
	const uint8_t *v;
	const char *s;
	uint32_t len, u32;
	uint64_t u64;
	int root;

	(void)state;
	ref_open(&f);
	root = fdt_root(&f);

	v = fdt_prop(&f, root, "empty", &len);
	assert_non_null(v);
	assert_int_equal(len, 0);
	assert_null(fdt_prop(&f, root, "absent", &len));
	assert_non_null(fdt_prop(&f, root, "u32", NULL));	/* len may be NULL */

	assert_int_equal(fdt_prop_u32(&f, root, "u32", &u32), 0);
	assert_int_equal(u32, 0xdeadbeef);
	assert_int_equal(fdt_prop_u64(&f, root, "u32", &u64), 0);	/* one cell is fine */
	assert_int_equal(u64, 0xdeadbeef);
	assert_int_equal(fdt_prop_u64(&f, root, "u64", &u64), 0);
	assert_true(u64 == 0x123456789abcdef0ull);
	v = fdt_prop(&f, root, "u64", &len);
	assert_int_equal(len, 8);
	assert_int_equal(get32(v), 0x12345678);		/* big-endian, high cell first */
	assert_int_equal(fdt_prop_u32(&f, root, "u64", &u32), -ERR_INVAL);
	assert_int_equal(fdt_prop_u64(&f, root, "cells", &u64), -ERR_INVAL);
	assert_int_equal(fdt_prop_u32(&f, root, "empty", &u32), -ERR_INVAL);
	assert_int_equal(fdt_prop_u32(&f, root, "absent", &u32), -ERR_NOENT);
	assert_int_equal(fdt_prop_u64(&f, root, "absent", &u64), -ERR_NOENT);

	v = fdt_prop(&f, root, "cells", &len);
	assert_int_equal(len, 12);
	assert_int_equal(get32(v), 1);
	assert_int_equal(get32(v + 8), 3);
	v = fdt_prop(&f, root, "bytes", &len);
	assert_int_equal(len, 5);
	assert_memory_equal(v, bytes, 5);

	assert_int_equal(fdt_prop_str(&f, root, "model", &s), 0);
	assert_string_equal(s, "ref");
	assert_int_equal(fdt_prop_str(&f, root, "compatible", &s), 0);
	assert_string_equal(s, "cella,ref");		/* first of the list */
	assert_int_equal(fdt_prop_str(&f, root, "empty", &s), -ERR_INVAL);
	assert_int_equal(fdt_prop_str(&f, root, "u32", &s), -ERR_INVAL);
	assert_int_equal(fdt_prop_str(&f, root, "absent", &s), -ERR_NOENT);
	v = fdt_prop(&f, root, "compatible", &len);
	assert_int_equal(len, sizeof("cella,ref") + sizeof("cella,base"));
	assert_memory_equal(v, "cella,ref\0cella,base", len);

	assert_true(fdt_prop_has_str(&f, root, "compatible", "cella,ref"));
	assert_true(fdt_prop_has_str(&f, root, "compatible", "cella,base"));
	assert_false(fdt_prop_has_str(&f, root, "compatible", "cella"));
	assert_false(fdt_prop_has_str(&f, root, "compatible", "cella,bas"));
	assert_false(fdt_prop_has_str(&f, root, "compatible", ""));
	assert_false(fdt_prop_has_str(&f, root, "compatible", NULL));
	assert_false(fdt_prop_has_str(&f, root, "absent", "cella,ref"));
	assert_false(fdt_prop_has_str(&f, root, "empty", ""));
	assert_true(fdt_prop_has_str(&f, path_of(&f, "/soc/uart"), "compatible", "arm,primecell"));
	assert_true(fdt_prop_has_str(&f, path_of(&f, "/soc/node"), "tag", "exact"));
	/* a property of a child is not a property of its parent */
	assert_null(fdt_prop(&f, path_of(&f, "/cpus"), "compatible", &len));
	assert_null(fdt_prop(&f, root, NULL, &len));
}

static void test_find_path(void **state)
{
	struct fdt f;
	const char *s;

	(void)state;
	ref_open(&f);
	assert_int_equal(fdt_find_path(&f, "/"), fdt_root(&f));
	assert_int_equal(fdt_find_path(&f, "//"), fdt_root(&f));
	assert_string_equal(fdt_node_name(&f, path_of(&f, "/memory")), "memory@40000000");
	assert_int_equal(fdt_find_path(&f, "/memory"), fdt_find_path(&f, "/memory@40000000"));
	assert_string_equal(fdt_node_name(&f, path_of(&f, "/cpus/cpu@1")), "cpu@1");
	assert_string_equal(fdt_node_name(&f, path_of(&f, "/cpus/cpu")), "cpu@0"); /* 1st */
	assert_string_equal(fdt_node_name(&f, path_of(&f, "/soc/uart")), "uart@9000000");
	assert_string_equal(fdt_node_name(&f, path_of(&f, "/soc/uart@9000000/")), "uart@9000000");
	/* "node@1" comes first, but an exact name wins over a unit-address match */
	assert_int_equal(fdt_prop_str(&f, path_of(&f, "/soc/node"), "tag", &s), 0);
	assert_string_equal(s, "exact");
	assert_int_equal(fdt_prop_str(&f, path_of(&f, "/soc/node@1"), "tag", &s), 0);
	assert_string_equal(s, "unit");
	assert_string_equal(fdt_node_name(&f, path_of(&f, "/soc//deep/a/b/c")), "c");

	assert_int_equal(fdt_find_path(&f, "/soc/uart@9000001"), -ERR_NOENT);
	assert_int_equal(fdt_find_path(&f, "/soc/uar"), -ERR_NOENT);
	assert_int_equal(fdt_find_path(&f, "/soc/uart@"), -ERR_NOENT);
	assert_int_equal(fdt_find_path(&f, "/cpus/cpu@0/x"), -ERR_NOENT);
	assert_int_equal(fdt_find_path(&f, "/nope"), -ERR_NOENT);
	assert_int_equal(fdt_find_path(&f, "/memory@4000000"), -ERR_NOENT);
	assert_int_equal(fdt_find_path(&f, "soc"), -ERR_INVAL);
	assert_int_equal(fdt_find_path(&f, ""), -ERR_INVAL);
	assert_int_equal(fdt_find_path(&f, NULL), -ERR_INVAL);
}

static void test_parent_and_path(void **state)
{
	struct fdt f;
	char buf[64];
	int c, b, root;
	size_t i;
	const char *full = "/soc/deep/a/b/c";

	(void)state;
	ref_open(&f);
	root = fdt_root(&f);
	c = path_of(&f, full);
	b = path_of(&f, "/soc/deep/a/b");
	assert_int_equal(fdt_parent(&f, c), b);
	assert_int_equal(fdt_parent(&f, path_of(&f, "/soc")), root);
	assert_int_equal(fdt_parent(&f, path_of(&f, "/cpus/cpu@1")), path_of(&f, "/cpus"));
	assert_int_equal(fdt_parent(&f, root), -ERR_NOENT);

	assert_int_equal(fdt_node_path(&f, c, buf, sizeof(buf)), 0);
	assert_string_equal(buf, full);
	assert_int_equal(fdt_node_path(&f, root, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/");
	assert_int_equal(fdt_node_path(&f, path_of(&f, "/memory"), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/memory@40000000");
	/* truncation: always NUL-terminated, a prefix of the full path */
	for (i = 1; i <= strlen(full) + 1; i++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(fdt_node_path(&f, c, buf, i), 0);
		assert_int_equal(strlen(buf), i - 1);
		assert_memory_equal(buf, full, i - 1);
		assert_true(buf[i] == 'x');	/* nothing written past len */
	}
	assert_int_equal(fdt_node_path(&f, c, buf, 0), -ERR_INVAL);
	assert_int_equal(fdt_node_path(&f, c, NULL, 8), -ERR_INVAL);
}

static void test_reg_and_cells(void **state)
{
	struct fdt f;
	uint64_t a = 1, s = 1;
	int mem, cpu1, uart;

	(void)state;
	ref_open(&f);
	mem = path_of(&f, "/memory");
	cpu1 = path_of(&f, "/cpus/cpu@1");
	uart = path_of(&f, "/soc/uart");
	assert_int_equal(fdt_address_cells(&f, fdt_root(&f)), 2);
	assert_int_equal(fdt_size_cells(&f, fdt_root(&f)), 2);
	assert_int_equal(fdt_address_cells(&f, path_of(&f, "/cpus")), 1);
	assert_int_equal(fdt_size_cells(&f, path_of(&f, "/cpus")), 0);
	/* defaults when absent */
	assert_int_equal(fdt_address_cells(&f, mem), 2);
	assert_int_equal(fdt_size_cells(&f, mem), 1);

	/* #address-cells = 2, #size-cells = 2 */
	assert_int_equal(fdt_reg(&f, mem, 0, &a, &s), 0);
	assert_true(a == 0x40000000 && s == 0x10000000);
	assert_int_equal(fdt_reg(&f, mem, 1, &a, &s), 0);
	assert_true(a == 0x100000000ull && s == 0x200000000ull);
	assert_int_equal(fdt_reg(&f, mem, 2, &a, &s), -ERR_NOENT);
	assert_int_equal(fdt_reg(&f, mem, UINT_MAX, &a, &s), -ERR_NOENT);
	assert_int_equal(fdt_reg(&f, mem, 1, NULL, NULL), 0);
	/* 1 and 0 */
	assert_int_equal(fdt_reg(&f, cpu1, 0, &a, &s), 0);
	assert_true(a == 1 && s == 0);
	/* 1 and 1 */
	assert_int_equal(fdt_reg(&f, uart, 0, &a, &s), 0);
	assert_true(a == 0x9000000 && s == 0x1000);
	assert_int_equal(fdt_reg(&f, uart, 1, &a, &s), -ERR_NOENT);
	/* 3 cells is not a whole number of (1 + 1) entries */
	assert_int_equal(fdt_reg(&f, path_of(&f, "/soc/bad"), 0, &a, &s), -ERR_INVAL);
	/* no reg at all; the root has no parent to decode it */
	assert_int_equal(fdt_reg(&f, path_of(&f, "/soc"), 0, &a, &s), -ERR_NOENT);
	assert_int_equal(fdt_reg(&f, fdt_root(&f), 0, &a, &s), -ERR_INVAL);
}

/* default cells at the root (2 and 1), out-of-range cell counts, zero-sized entries */
static void test_cells_limits(void **state)
{
	uint8_t buf[1024];
	struct fdtw w;
	struct fdt f;
	size_t len;
	uint64_t a, s;
	uint32_t v;
	static const uint32_t reg3[] = { 0x1, 0x2, 0x3 };

	(void)state;
	assert_int_equal(fdtw_init(&w, buf, sizeof(buf)), 0);
	fdtw_begin_node(&w, "");
	fdtw_begin_node(&w, "dev@100000002");
	fdtw_prop_cells(&w, "reg", reg3, 3);
	fdtw_prop_u32(&w, "#address-cells", 3);
	fdtw_prop_u32(&w, "#size-cells", 0);
	fdtw_begin_node(&w, "child");
	fdtw_prop_u32(&w, "reg", 1);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "zero");
	fdtw_prop_u32(&w, "#address-cells", 0);
	fdtw_prop_u32(&w, "#size-cells", 0);
	fdtw_prop(&w, "#bad", "x", 1);
	fdtw_begin_node(&w, "z");
	fdtw_prop_u32(&w, "reg", 1);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &len), 0);
	assert_int_equal(fdt_open(&f, buf, len), 0);

	assert_int_equal(fdt_address_cells(&f, fdt_root(&f)), 2);
	assert_int_equal(fdt_size_cells(&f, fdt_root(&f)), 1);
	assert_int_equal(fdt_reg(&f, path_of(&f, "/dev"), 0, &a, &s), 0);
	assert_true(a == 0x100000002ull && s == 3);
	assert_int_equal(fdt_address_cells(&f, path_of(&f, "/dev")), -ERR_INVAL);
	assert_int_equal(fdt_reg(&f, path_of(&f, "/dev/child"), 0, &a, &s), -ERR_INVAL);
	assert_int_equal(fdt_address_cells(&f, path_of(&f, "/zero")), 0);
	assert_int_equal(fdt_reg(&f, path_of(&f, "/zero/z"), 0, &a, &s), -ERR_INVAL);
	assert_int_equal(fdt_prop_u32(&f, path_of(&f, "/zero"), "#bad", &v), -ERR_INVAL);
}

static void test_next_compatible(void **state)
{
	struct fdt f;
	int c;

	(void)state;
	ref_open(&f);
	assert_int_equal(fdt_next_compatible(&f, -1, "cella,base"), fdt_root(&f));
	assert_int_equal(fdt_next_compatible(&f, fdt_root(&f), "cella,base"), -ERR_NOENT);
	c = fdt_next_compatible(&f, -1, "arm,cortex-a53");
	assert_int_equal(c, path_of(&f, "/cpus/cpu@0"));
	c = fdt_next_compatible(&f, c, "arm,cortex-a53");
	assert_int_equal(c, path_of(&f, "/cpus/cpu@1"));
	assert_int_equal(fdt_next_compatible(&f, c, "arm,cortex-a53"), -ERR_NOENT);
	/* document order crosses subtrees: from cpu@1 to the uart under /soc */
	assert_int_equal(fdt_next_compatible(&f, c, "arm,primecell"), path_of(&f, "/soc/uart"));
	assert_int_equal(fdt_next_compatible(&f, -1, "simple-bus"), path_of(&f, "/soc"));
	assert_int_equal(fdt_next_compatible(&f, -1, "arm"), -ERR_NOENT);
	assert_int_equal(fdt_next_compatible(&f, -1, NULL), -ERR_NOENT);
	/* a bad handle never gives -1 (-ERR_INVAL), which would restart a loop at the root */
	assert_int_equal(fdt_next_compatible(&f, 2, "simple-bus"), -ERR_BADFMT);
	assert_int_equal(fdt_next_compatible(&f, -2, "simple-bus"), -ERR_BADFMT);
}

/* ---- a blob compiled by dtc 1.6.1 (`dtc -I dts -O dtb -o board.dtb board.dts`) ----
 *
 * /dts-v1/;
 * /memreserve/ 0x48000000 0x1000;
 * / {
 *	#address-cells = <2>;
 *	#size-cells = <2>;
 *	compatible = "linux,dummy-virt", "cella,test";
 *	model = "cella test board";
 *	interrupt-parent = <&gic>;
 *
 *	memory@40000000 {
 *		device_type = "memory";
 *		reg = <0x0 0x40000000 0x1 0x0>, <0x1 0x0 0x0 0x20000000>;
 *	};
 *	cpus {
 *		#address-cells = <1>;
 *		#size-cells = <0>;
 *		cpu@0 {
 *			device_type = "cpu";
 *			compatible = "arm,cortex-a57";
 *			reg = <0>;
 *			enable-method = "psci";
 *		};
 *		cpu@1 {
 *			device_type = "cpu";
 *			compatible = "arm,cortex-a57";
 *			reg = <1>;
 *			enable-method = "psci";
 *		};
 *	};
 *	gic: intc@8000000 {
 *		compatible = "arm,gic-v3";
 *		#interrupt-cells = <3>;
 *		#address-cells = <0>;
 *		interrupt-controller;
 *		reg = <0x0 0x08000000 0x0 0x10000>, <0x0 0x080a0000 0x0 0xf60000>;
 *	};
 *	soc@0 {
 *		#address-cells = <1>;
 *		#size-cells = <1>;
 *		ranges = <0x0 0x0 0x0 0x40000000>;
 *		uart: pl011@9000000 {
 *			compatible = "arm,pl011", "arm,primecell";
 *			reg = <0x09000000 0x1000>;
 *			clock-names = "uartclk", "apb_pclk";
 *		};
 *		virtio_mmio@a000000 {
 *			compatible = "virtio,mmio";
 *			reg = <0x0a000000 0x200 0x0a000200 0x200>;
 *			dma-coherent;
 *		};
 *	};
 *	chosen {
 *		stdout-path = &uart;
 *		bootargs = "console=ttyAMA0 earlycon";
 *		linux,initrd-start = <0x0 0x48000000>;
 *	};
 * };
 */
#define BOARD_NODES 10

static const unsigned char board_dtb[] = {
  0xd0, 0x0d, 0xfe, 0xed, 0x00, 0x00, 0x05, 0x09, 0x00, 0x00, 0x00, 0x48,
  0x00, 0x00, 0x04, 0x38, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x11,
  0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xd1,
  0x00, 0x00, 0x03, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x0f,
  0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x1c,
  0x00, 0x00, 0x00, 0x1b, 0x6c, 0x69, 0x6e, 0x75, 0x78, 0x2c, 0x64, 0x75,
  0x6d, 0x6d, 0x79, 0x2d, 0x76, 0x69, 0x72, 0x74, 0x00, 0x63, 0x65, 0x6c,
  0x6c, 0x61, 0x2c, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x26, 0x63, 0x65, 0x6c, 0x6c,
  0x61, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x62, 0x6f, 0x61, 0x72, 0x64,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
  0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
  0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x40, 0x34, 0x30, 0x30, 0x30, 0x30,
  0x30, 0x30, 0x30, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x07,
  0x00, 0x00, 0x00, 0x3d, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x49,
  0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
  0x00, 0x00, 0x00, 0x01, 0x63, 0x70, 0x75, 0x73, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
  0x00, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x63, 0x70, 0x75, 0x40, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x3d, 0x63, 0x70, 0x75, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x1b,
  0x61, 0x72, 0x6d, 0x2c, 0x63, 0x6f, 0x72, 0x74, 0x65, 0x78, 0x2d, 0x61,
  0x35, 0x37, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
  0x00, 0x00, 0x00, 0x49, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x4d, 0x70, 0x73, 0x63, 0x69,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01,
  0x63, 0x70, 0x75, 0x40, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x3d, 0x63, 0x70, 0x75, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x1b,
  0x61, 0x72, 0x6d, 0x2c, 0x63, 0x6f, 0x72, 0x74, 0x65, 0x78, 0x2d, 0x61,
  0x35, 0x37, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
  0x00, 0x00, 0x00, 0x49, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x4d, 0x70, 0x73, 0x63, 0x69,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
  0x00, 0x00, 0x00, 0x01, 0x69, 0x6e, 0x74, 0x63, 0x40, 0x38, 0x30, 0x30,
  0x30, 0x30, 0x30, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x1b, 0x61, 0x72, 0x6d, 0x2c,
  0x67, 0x69, 0x63, 0x2d, 0x76, 0x33, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x5b, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x6c, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x20,
  0x00, 0x00, 0x00, 0x49, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x08, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf6, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x81,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01,
  0x73, 0x6f, 0x63, 0x40, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x0f,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x10,
  0x00, 0x00, 0x00, 0x89, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x70, 0x6c, 0x30, 0x31, 0x31, 0x40, 0x39, 0x30, 0x30, 0x30, 0x30, 0x30,
  0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x18,
  0x00, 0x00, 0x00, 0x1b, 0x61, 0x72, 0x6d, 0x2c, 0x70, 0x6c, 0x30, 0x31,
  0x31, 0x00, 0x61, 0x72, 0x6d, 0x2c, 0x70, 0x72, 0x69, 0x6d, 0x65, 0x63,
  0x65, 0x6c, 0x6c, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08,
  0x00, 0x00, 0x00, 0x49, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x90,
  0x75, 0x61, 0x72, 0x74, 0x63, 0x6c, 0x6b, 0x00, 0x61, 0x70, 0x62, 0x5f,
  0x70, 0x63, 0x6c, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
  0x00, 0x00, 0x00, 0x01, 0x76, 0x69, 0x72, 0x74, 0x69, 0x6f, 0x5f, 0x6d,
  0x6d, 0x69, 0x6f, 0x40, 0x61, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x1b,
  0x76, 0x69, 0x72, 0x74, 0x69, 0x6f, 0x2c, 0x6d, 0x6d, 0x69, 0x6f, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x49,
  0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x02, 0x00,
  0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x9c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
  0x00, 0x00, 0x00, 0x01, 0x63, 0x68, 0x6f, 0x73, 0x65, 0x6e, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0xa9,
  0x2f, 0x73, 0x6f, 0x63, 0x40, 0x30, 0x2f, 0x70, 0x6c, 0x30, 0x31, 0x31,
  0x40, 0x39, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x19, 0x00, 0x00, 0x00, 0xb5,
  0x63, 0x6f, 0x6e, 0x73, 0x6f, 0x6c, 0x65, 0x3d, 0x74, 0x74, 0x79, 0x41,
  0x4d, 0x41, 0x30, 0x20, 0x65, 0x61, 0x72, 0x6c, 0x79, 0x63, 0x6f, 0x6e,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08,
  0x00, 0x00, 0x00, 0xbe, 0x00, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x09,
  0x23, 0x61, 0x64, 0x64, 0x72, 0x65, 0x73, 0x73, 0x2d, 0x63, 0x65, 0x6c,
  0x6c, 0x73, 0x00, 0x23, 0x73, 0x69, 0x7a, 0x65, 0x2d, 0x63, 0x65, 0x6c,
  0x6c, 0x73, 0x00, 0x63, 0x6f, 0x6d, 0x70, 0x61, 0x74, 0x69, 0x62, 0x6c,
  0x65, 0x00, 0x6d, 0x6f, 0x64, 0x65, 0x6c, 0x00, 0x69, 0x6e, 0x74, 0x65,
  0x72, 0x72, 0x75, 0x70, 0x74, 0x2d, 0x70, 0x61, 0x72, 0x65, 0x6e, 0x74,
  0x00, 0x64, 0x65, 0x76, 0x69, 0x63, 0x65, 0x5f, 0x74, 0x79, 0x70, 0x65,
  0x00, 0x72, 0x65, 0x67, 0x00, 0x65, 0x6e, 0x61, 0x62, 0x6c, 0x65, 0x2d,
  0x6d, 0x65, 0x74, 0x68, 0x6f, 0x64, 0x00, 0x23, 0x69, 0x6e, 0x74, 0x65,
  0x72, 0x72, 0x75, 0x70, 0x74, 0x2d, 0x63, 0x65, 0x6c, 0x6c, 0x73, 0x00,
  0x69, 0x6e, 0x74, 0x65, 0x72, 0x72, 0x75, 0x70, 0x74, 0x2d, 0x63, 0x6f,
  0x6e, 0x74, 0x72, 0x6f, 0x6c, 0x6c, 0x65, 0x72, 0x00, 0x70, 0x68, 0x61,
  0x6e, 0x64, 0x6c, 0x65, 0x00, 0x72, 0x61, 0x6e, 0x67, 0x65, 0x73, 0x00,
  0x63, 0x6c, 0x6f, 0x63, 0x6b, 0x2d, 0x6e, 0x61, 0x6d, 0x65, 0x73, 0x00,
  0x64, 0x6d, 0x61, 0x2d, 0x63, 0x6f, 0x68, 0x65, 0x72, 0x65, 0x6e, 0x74,
  0x00, 0x73, 0x74, 0x64, 0x6f, 0x75, 0x74, 0x2d, 0x70, 0x61, 0x74, 0x68,
  0x00, 0x62, 0x6f, 0x6f, 0x74, 0x61, 0x72, 0x67, 0x73, 0x00, 0x6c, 0x69,
  0x6e, 0x75, 0x78, 0x2c, 0x69, 0x6e, 0x69, 0x74, 0x72, 0x64, 0x2d, 0x73,
  0x74, 0x61, 0x72, 0x74, 0x00
};
static const size_t board_dtb_len = 1289;

static void check_board(const struct fdt *f)
{
	uint64_t a, s, u64;
	uint32_t len, phandle, iparent;
	const char *str;
	int root, n, uart, gic;

	root = fdt_root(f);
	assert_true(root >= 0);
	assert_true(fdt_prop_has_str(f, root, "compatible", "linux,dummy-virt"));
	assert_true(fdt_prop_has_str(f, root, "compatible", "cella,test"));
	assert_int_equal(fdt_prop_str(f, root, "model", &str), 0);
	assert_string_equal(str, "cella test board");

	n = path_of(f, "/memory");
	assert_int_equal(fdt_reg(f, n, 0, &a, &s), 0);
	assert_true(a == 0x40000000 && s == 0x100000000ull);
	assert_int_equal(fdt_reg(f, n, 1, &a, &s), 0);
	assert_true(a == 0x100000000ull && s == 0x20000000);
	assert_int_equal(fdt_reg(f, n, 2, &a, &s), -ERR_NOENT);

	n = fdt_next_compatible(f, -1, "arm,cortex-a57");
	assert_int_equal(n, path_of(f, "/cpus/cpu@0"));
	n = fdt_next_compatible(f, n, "arm,cortex-a57");
	assert_int_equal(fdt_reg(f, n, 0, &a, &s), 0);
	assert_true(a == 1 && s == 0);
	assert_int_equal(fdt_next_compatible(f, n, "arm,cortex-a57"), -ERR_NOENT);

	/* "/soc" finds "soc@0"; the uart by the path dtc stored in stdout-path */
	assert_int_equal(fdt_find_path(f, "/soc"), path_of(f, "/soc@0"));
	assert_int_equal(fdt_prop_str(f, path_of(f, "/chosen"), "stdout-path", &str), 0);
	assert_string_equal(str, "/soc@0/pl011@9000000");
	uart = path_of(f, str);
	assert_int_equal(fdt_next_compatible(f, -1, "arm,pl011"), uart);
	assert_int_equal(fdt_reg(f, uart, 0, &a, &s), 0);
	assert_true(a == 0x9000000 && s == 0x1000);
	assert_true(fdt_prop_has_str(f, uart, "clock-names", "apb_pclk"));
	n = path_of(f, "/soc/virtio_mmio");
	assert_int_equal(fdt_reg(f, n, 1, &a, &s), 0);
	assert_true(a == 0x0a000200 && s == 0x200);
	assert_non_null(fdt_prop(f, n, "dma-coherent", &len));
	assert_int_equal(len, 0);

	/* the phandle dtc generated for the label */
	gic = fdt_next_compatible(f, -1, "arm,gic-v3");
	assert_int_equal(gic, path_of(f, "/intc"));
	assert_int_equal(fdt_prop_u32(f, gic, "phandle", &phandle), 0);
	assert_int_equal(fdt_prop_u32(f, root, "interrupt-parent", &iparent), 0);
	assert_int_equal(phandle, iparent);
	assert_int_equal(fdt_address_cells(f, gic), 0);
	assert_int_equal(fdt_reg(f, gic, 1, &a, &s), 0);
	assert_true(a == 0x080a0000 && s == 0xf60000);

	assert_int_equal(fdt_prop_u64(f, path_of(f, "/chosen"), "linux,initrd-start", &u64), 0);
	assert_true(u64 == 0x48000000);
	assert_int_equal(walk_all(f), BOARD_NODES);
}

static void test_dtc_blob(void **state)
{
	uint8_t *b = dup_exact(board_dtb, board_dtb_len);
	struct fdt f;

	(void)state;
	/* the reservation map is not empty here: the structure block does not start at 56 */
	assert_int_equal(get32(b + H_OFF_STRUCT), 72);
	assert_int_equal(fdt_open(&f, b, board_dtb_len), 0);
	assert_int_equal(f.totalsize, board_dtb_len);
	check_board(&f);
	/* more buffer than blob is fine */
	free(b);
	b = calloc(1, board_dtb_len + 100);
	assert_non_null(b);
	memcpy(b, board_dtb, board_dtb_len);
	assert_int_equal(fdt_open(&f, b, board_dtb_len + 100), 0);
	assert_int_equal(f.totalsize, board_dtb_len);
	check_board(&f);
	free(b);
}

/* version 16 has no size_dt_struct: the structure block runs to FDT_END */
static void test_dtc_blob_v16(void **state)
{
	uint8_t *b = dup_exact(board_dtb, board_dtb_len);
	struct fdt f;

	(void)state;
	put32(b + H_VERSION, 16);
	put32(b + H_SIZE_STRUCT, 0xdeadbeef);
	assert_int_equal(fdt_open(&f, b, board_dtb_len), 0);
	check_board(&f);
	put32(b + H_VERSION, 18);		/* newer, but backwards compatible with 16 */
	put32(b + H_SIZE_STRUCT, get32(board_dtb + H_SIZE_STRUCT));
	assert_int_equal(fdt_open(&f, b, board_dtb_len), 0);
	check_board(&f);
	free(b);
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* the real dtc decompiles what the writer produces, and recompiles it to a blob we read back */
static void test_dtc_accepts_writer_output(void **state)
{
	char dir[] = "/tmp/test_fdt.XXXXXX", cmd[512], in[64], dts[64], out[64];
	struct fdt f, g;
	char *text, *blob;
	size_t len;
	uint64_t a, s;
	FILE *fp;

	(void)state;
	if (run("dtc --version >/dev/null 2>&1") != 0)
		skip();
	ref_open(&f);
	assert_non_null(mkdtemp(dir));
	snprintf(in, sizeof(in), "%s/w.dtb", dir);
	snprintf(dts, sizeof(dts), "%s/w.dts", dir);
	snprintf(out, sizeof(out), "%s/r.dtb", dir);
	fp = fopen(in, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(ref_buf, 1, ref_len, fp), ref_len);
	fclose(fp);

	snprintf(cmd, sizeof(cmd), "dtc -q -I dtb -O dts -o %s %s", dts, in);
	assert_int_equal(run(cmd), 0);
	text = read_file(dts, &len);
	assert_non_null(strstr(text, "model = \"ref\";"));
	assert_non_null(strstr(text, "u32 = <0xdeadbeef>;"));
	assert_non_null(strstr(text, "u64 = <0x12345678 0x9abcdef0>;"));
	assert_non_null(strstr(text, "bytes = [00 01 02 03 04];"));
	assert_non_null(strstr(text, "empty;"));
	assert_non_null(strstr(text, "uart@9000000 {"));
	assert_non_null(strstr(text, "c {"));
	free(text);

	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o %s %s", out, dts);
	assert_int_equal(run(cmd), 0);
	blob = read_file(out, &len);
	assert_int_equal(fdt_open(&g, blob, len), 0);
	assert_int_equal(walk_all(&g), REF_NODES);
	assert_int_equal(fdt_reg(&g, path_of(&g, "/memory"), 1, &a, &s), 0);
	assert_true(a == 0x100000000ull && s == 0x200000000ull);
	assert_true(fdt_prop_has_str(&g, fdt_root(&g), "compatible", "cella,base"));
	free(blob);

	unlink(in);
	unlink(dts);
	unlink(out);
	rmdir(dir);
}

/* ---- hostile headers ---- */

struct hdr_case {
	unsigned field;
	uint32_t value;
	int expect;
};

static void test_header_fields(void **state)
{
	const uint32_t total = (uint32_t)board_dtb_len;
	const uint32_t off_struct = get32(board_dtb + H_OFF_STRUCT);
	const uint32_t size_struct = get32(board_dtb + H_SIZE_STRUCT);
	const uint32_t off_strings = get32(board_dtb + H_OFF_STRINGS);
	const uint32_t size_strings = get32(board_dtb + H_SIZE_STRINGS);
	const struct hdr_case cases[] = {
		{ H_MAGIC, 0, -ERR_BADFMT },
		{ H_MAGIC, 0xedfe0dd0, -ERR_BADFMT },
		{ H_MAGIC, FDT_MAGIC ^ 1, -ERR_BADFMT },
		{ H_TOTALSIZE, 0, -ERR_RANGE },
		{ H_TOTALSIZE, 39, -ERR_RANGE },
		{ H_TOTALSIZE, total + 1, -ERR_RANGE },		/* more than the buffer */
		{ H_TOTALSIZE, 0xffffffff, -ERR_RANGE },
		{ H_TOTALSIZE, 0x80000000, -ERR_RANGE },
		{ H_TOTALSIZE, total - 1, -ERR_RANGE },	/* strings block sticks out */
		{ H_TOTALSIZE, off_struct, -ERR_RANGE },
		{ H_OFF_STRUCT, 0, -ERR_RANGE },		/* overlaps the header */
		{ H_OFF_STRUCT, 36, -ERR_RANGE },
		{ H_OFF_STRUCT, off_struct + 1, -ERR_BADFMT },	/* misaligned */
		{ H_OFF_STRUCT, off_struct + 2, -ERR_BADFMT },
		{ H_OFF_STRUCT, total, -ERR_RANGE },
		{ H_OFF_STRUCT, total + 4, -ERR_RANGE },
		{ H_OFF_STRUCT, 0xfffffffc, -ERR_RANGE },
		{ H_OFF_STRUCT, off_strings, -ERR_RANGE },	/* + size_struct: past the end */
		{ H_OFF_STRUCT, off_struct - 8, -ERR_BADFMT },	/* into the reservation map */
		{ H_SIZE_STRUCT, 0, -ERR_BADFMT },
		{ H_SIZE_STRUCT, 3, -ERR_BADFMT },
		{ H_SIZE_STRUCT, size_struct - 4, -ERR_BADFMT },	/* no FDT_END */
		{ H_SIZE_STRUCT, size_struct - 1, -ERR_BADFMT },
		{ H_SIZE_STRUCT, total, -ERR_RANGE },
		{ H_SIZE_STRUCT, 0xffffffff, -ERR_RANGE },
		{ H_SIZE_STRUCT, 0x100000000ull - off_struct, -ERR_RANGE },	/* sum wraps */
		{ H_OFF_STRINGS, 0, -ERR_RANGE },
		{ H_OFF_STRINGS, off_strings + 1, -ERR_RANGE },
		{ H_OFF_STRINGS, total, -ERR_RANGE },
		{ H_OFF_STRINGS, 0xffffffff, -ERR_RANGE },
		{ H_OFF_STRINGS, 0x100000000ull - size_strings, -ERR_RANGE },	/* sum wraps */
		{ H_SIZE_STRINGS, 0, -ERR_BADFMT },		/* every nameoff is outside */
		{ H_SIZE_STRINGS, size_strings - 1, -ERR_BADFMT },	/* last name: no NUL */
		{ H_SIZE_STRINGS, size_strings + 1, -ERR_RANGE },
		{ H_SIZE_STRINGS, 0xffffffff, -ERR_RANGE },
		{ H_SIZE_STRINGS, 0x100000000ull - off_strings, -ERR_RANGE },
		{ H_OFF_RSVMAP, 0, -ERR_RANGE },
		{ H_OFF_RSVMAP, 39, -ERR_RANGE },
		{ H_OFF_RSVMAP, total - 15, -ERR_RANGE },	/* no room for the terminator */
		{ H_OFF_RSVMAP, total + 8, -ERR_RANGE },
		{ H_OFF_RSVMAP, 0xfffffff8, -ERR_RANGE },
		{ H_VERSION, 0, -ERR_BADFMT },
		{ H_VERSION, 15, -ERR_BADFMT },
		{ H_LAST_COMP, 18, -ERR_BADFMT },
		{ H_LAST_COMP, 0xffffffff, -ERR_BADFMT },
		/* accepted: */
		{ H_VERSION, 0xffffffff, 0 },
		{ H_LAST_COMP, 0, 0 },
		{ H_BOOT_CPUID, 0xffffffff, 0 },
		{ H_OFF_RSVMAP, total - 16, 0 },
		{ H_SIZE_STRUCT, size_struct + 4, 0 },		/* padding after FDT_END */
	};
	struct fdt f;
	uint8_t *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b = dup_exact(board_dtb, board_dtb_len);
		put32(b + cases[i].field, cases[i].value);
		if (fdt_open(&f, b, board_dtb_len) != cases[i].expect)
			fail_msg("case %zu: field %u = 0x%x: got %d, want %d", i, cases[i].field,
				 cases[i].value, fdt_open(&f, b, board_dtb_len), cases[i].expect);
		if (cases[i].expect == 0)
			walk_all(&f);
		free(b);
	}
}

static void test_open_args(void **state)
{
	struct fdt f;
	uint8_t *b;

	(void)state;
	assert_int_equal(fdt_open(NULL, board_dtb, board_dtb_len), -ERR_INVAL);
	assert_int_equal(fdt_open(&f, NULL, board_dtb_len), -ERR_INVAL);
	for (size_t n = 0; n < 40; n++) {
		b = dup_exact(board_dtb, n);
		assert_int_equal(fdt_open(&f, b, n), -ERR_RANGE);
		free(b);
	}
	b = dup_exact("\x12\x34\x56\x78", 4);
	assert_int_equal(fdt_open(&f, b, 4), -ERR_BADFMT);	/* not an FDT, however short */
	free(b);
}

static void test_totalsize_hint(void **state)
{
	uint8_t *b = dup_exact(board_dtb, 40);

	(void)state;
	assert_int_equal(fdt_totalsize_hint(b, 40), board_dtb_len);
	assert_int_equal(fdt_totalsize_hint(b, 39), 0);
	assert_int_equal(fdt_totalsize_hint(NULL, 40), 0);
	b[0] ^= 0x80;
	assert_int_equal(fdt_totalsize_hint(b, 40), 0);
	free(b);
}

/* truncated at every length: the buffer is short (totalsize says more) */
static void test_truncated_buffer(void **state)
{
	size_t n;

	(void)state;
	for (n = 0; n < board_dtb_len; n++)
		assert_int_equal(open_and_walk(board_dtb, n, n), -ERR_RANGE);
	assert_int_equal(open_and_walk(board_dtb, board_dtb_len, board_dtb_len), 0);
}

/* truncated at every length, with the header made to agree: totalsize and the block sizes are
 * clipped to what is left, so fdt_open's structural checks must catch the damage */
static void test_truncated_consistent(void **state)
{
	const uint32_t off_struct = get32(board_dtb + H_OFF_STRUCT);
	const uint32_t size_struct = get32(board_dtb + H_SIZE_STRUCT);
	const uint32_t off_strings = get32(board_dtb + H_OFF_STRINGS);
	const uint32_t size_strings = get32(board_dtb + H_SIZE_STRINGS);
	uint8_t *b;
	size_t n;
	int rc;

	(void)state;
	for (n = 40; n <= board_dtb_len; n++) {
		b = dup_exact(board_dtb, n);
		put32(b + H_TOTALSIZE, (uint32_t)n);
		put32(b + H_SIZE_STRUCT, n > off_struct ?
		      (uint32_t)(n - off_struct < size_struct ? n - off_struct : size_struct) : 0);
		if (n < off_strings)
			put32(b + H_OFF_STRINGS, (uint32_t)n);
		put32(b + H_SIZE_STRINGS, n > off_strings ?
		      (uint32_t)(n - off_strings < size_strings ? n - off_strings : size_strings) :
		      0);
		if (n < off_struct)
			put32(b + H_OFF_STRUCT, (uint32_t)n & ~3u);
		rc = fdt_open(&(struct fdt){ 0 }, b, n);
		if (n < board_dtb_len)
			assert_true(rc == -ERR_BADFMT || rc == -ERR_RANGE);
		else
			assert_int_equal(rc, 0);
		free(b);
		/* and the same again through the walker */
		b = dup_exact(board_dtb, n);
		put32(b + H_TOTALSIZE, (uint32_t)n);
		assert_int_equal(open_and_walk(b, n, n) == 0, n == board_dtb_len);
		free(b);
	}
}

/* every byte, set to values that make tokens, lengths and offsets interesting */
static void test_byte_mutations(void **state)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x09, 0x2f, 0x40, 0x7f,
					  0x80, 0xfe, 0xff };
	uint8_t *b = dup_exact(board_dtb, board_dtb_len);
	size_t i, v;
	int ok = 0;

	(void)state;
	walk_dup_names = true;
	for (i = 0; i < board_dtb_len; i++) {
		for (v = 0; v < sizeof(values) + 2; v++) {
			memcpy(b, board_dtb, board_dtb_len);
			if (v < sizeof(values))
				b[i] = values[v];
			else
				b[i] ^= v == sizeof(values) ? 0x01 : 0x80;
			if (open_and_walk(b, board_dtb_len, board_dtb_len) == 0)
				ok++;
		}
	}
	/* many mutations hit values or names and leave a valid blob; many do not */
	walk_dup_names = false;
	assert_true(ok > 1000);
	assert_true(ok < (int)(board_dtb_len * (sizeof(values) + 2)));
	free(b);
}

static uint32_t rng_state = 0x12345678;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* a few thousand multi-byte mutations, biased towards the header and token words */
static void test_random_mutations(void **state)
{
	uint8_t *b = dup_exact(board_dtb, board_dtb_len);
	unsigned iter, k, nmut;
	size_t pos;
	int ok = 0, bad = 0;

	(void)state;
	walk_dup_names = true;
	for (iter = 0; iter < 20000; iter++) {
		memcpy(b, board_dtb, board_dtb_len);
		nmut = 1 + rng() % 4;
		for (k = 0; k < nmut; k++) {
			pos = rng() % board_dtb_len;
			if (rng() % 2) {
				pos &= ~(size_t)3;
				if (pos + 4 <= board_dtb_len)
					put32(b + pos, rng() % 3 ? rng() % 16 : rng());
			} else {
				b[pos] = (uint8_t)rng();
			}
		}
		if (open_and_walk(b, board_dtb_len, board_dtb_len) == 0)
			ok++;
		else
			bad++;
	}
	walk_dup_names = false;
	assert_true(ok > 0 && bad > 0);
	free(b);
}

/* ---- hostile node handles ---- */

static void check_bad_handle(const struct fdt *f, int h, int err)
{
	char buf[32] = "unchanged";
	uint32_t u32, len;
	uint64_t u64, a, s;
	const char *str;

	assert_int_equal(fdt_first_child(f, h), err);
	assert_int_equal(fdt_next_sibling(f, h), err);
	assert_int_equal(fdt_parent(f, h), err);
	assert_null(fdt_node_name(f, h));
	assert_int_equal(fdt_node_path(f, h, buf, sizeof(buf)), err);
	assert_string_equal(buf, "");
	assert_null(fdt_prop(f, h, "reg", &len));
	assert_int_equal(fdt_prop_u32(f, h, "reg", &u32), err);
	assert_int_equal(fdt_prop_u64(f, h, "reg", &u64), err);
	assert_int_equal(fdt_prop_str(f, h, "compatible", &str), err);
	assert_false(fdt_prop_has_str(f, h, "compatible", "arm,pl011"));
	assert_int_equal(fdt_address_cells(f, h), err);
	assert_int_equal(fdt_size_cells(f, h), err);
	assert_int_equal(fdt_reg(f, h, 0, &a, &s), err);
	if (h != -1)
		assert_int_equal(fdt_next_compatible(f, h, "arm,pl011"), -ERR_BADFMT);
}

static void test_garbage_handles(void **state)
{
	struct fdt f;
	int uart, i, h;
	const int handles[] = { -2, -4, INT_MIN, 1, 2, 3, 4, 6, INT_MAX, INT_MAX - 3 };

	(void)state;
	ref_open(&f);
	uart = path_of(&f, "/soc/uart");
	for (i = 0; i < (int)(sizeof(handles) / sizeof(handles[0])); i++)
		check_bad_handle(&f, handles[i], -ERR_INVAL);
	/* just past the end, at FDT_END, at a property, at an FDT_END_NODE */
	check_bad_handle(&f, (int)f.size_struct, -ERR_INVAL);
	check_bad_handle(&f, (int)f.size_struct - 4, -ERR_INVAL);
	check_bad_handle(&f, (int)prop_tok_off(&f, uart, "reg"), -ERR_INVAL);
	h = path_of(&f, "/soc/deep/a/b/c");
	check_bad_handle(&f, h + 8, -ERR_INVAL);
	assert_int_equal(get32(f.blob + f.off_struct + h + 8), TOK_END_NODE);
	/* every offset: nothing crashes; a handle that passes the token check is either a node
	 * (its path leads back to it) or a FDT_BEGIN_NODE word inside a value ("cells = <1 2 3>")
	 * that the walk from the root does not reach */
	for (h = -8, i = 0; h < (int)f.size_struct + 8; h++) {
		char path[128];

		if (!fdt_node_name(&f, h)) {
			check_bad_handle(&f, h, -ERR_INVAL);
		} else if (fdt_node_path(&f, h, path, sizeof(path)) == 0) {
			assert_int_equal(fdt_find_path(&f, path), h);
			i++;
		} else {
			assert_int_equal(fdt_parent(&f, h), -ERR_INVAL);
		}
	}
	assert_int_equal(i, REF_NODES);
}

/* a FDT_BEGIN_NODE word inside a property value passes the token check; the walks from the
 * root (parent, path) see that it is no node */
static void test_fake_node_in_value(void **state)
{
	static const uint8_t fake[] = { 0, 0, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 2 };
	uint8_t buf[512];
	struct fdtw w;
	struct fdt f;
	size_t len;
	uint32_t plen;
	char path[32];
	const uint8_t *v;
	int h;

	(void)state;
	fdtw_init(&w, buf, sizeof(buf));
	fdtw_begin_node(&w, "");
	fdtw_prop(&w, "fake", fake, sizeof(fake));
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &len), 0);
	assert_int_equal(fdt_open(&f, buf, len), 0);
	v = fdt_prop(&f, fdt_root(&f), "fake", &plen);
	assert_non_null(v);
	h = (int)(v - (f.blob + f.off_struct));
	assert_string_equal(fdt_node_name(&f, h), "x");
	assert_int_equal(fdt_parent(&f, h), -ERR_INVAL);
	assert_int_equal(fdt_node_path(&f, h, path, sizeof(path)), -ERR_INVAL);
	assert_int_equal(fdt_reg(&f, h, 0, NULL, NULL), -ERR_INVAL);
	assert_int_equal(fdt_first_child(&f, h), -ERR_NOENT);
	assert_int_equal(walk_all(&f), 1);
}

/* a struct fdt filled by hand, or left zeroed by a failed open */
static void test_forged_fdt(void **state)
{
	struct fdt f, g;
	uint32_t len;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(fdt_root(&f), -ERR_BADFMT);
	assert_int_equal(fdt_first_child(&f, 0), -ERR_BADFMT);
	assert_int_equal(fdt_find_path(&f, "/"), -ERR_BADFMT);
	assert_null(fdt_prop(&f, 0, "x", &len));
	assert_int_equal(fdt_next_compatible(&f, -1, "x"), -ERR_BADFMT);
	assert_int_equal(fdt_root(NULL), -ERR_BADFMT);
	assert_null(fdt_node_name(NULL, 0));

	assert_int_equal(fdt_open(&g, board_dtb, board_dtb_len), 0);
	f = g;
	f.size_struct = f.totalsize;		/* block past totalsize */
	assert_int_equal(fdt_root(&f), -ERR_BADFMT);
	f = g;
	f.off_strings = 0xffffffff;
	assert_int_equal(fdt_first_child(&f, 0), -ERR_BADFMT);
	f = g;
	f.totalsize = 0xffffffff;
	assert_int_equal(fdt_parent(&f, 0), -ERR_BADFMT);
	f = g;
	f.size_strings = 0;			/* consistent, but every name is now outside */
	assert_int_equal(fdt_root(&f), 0);
	assert_null(fdt_prop(&f, 0, "model", &len));
	assert_int_equal(fdt_first_child(&f, 0), -ERR_BADFMT);
	assert_int_equal(fdt_find_path(&f, "/cpus"), -ERR_BADFMT);
	f = g;
	f.size_struct = 8;			/* the root's name, and no more */
	assert_string_equal(fdt_node_name(&f, 0), "");
	assert_int_equal(fdt_first_child(&f, 0), -ERR_BADFMT);
	assert_int_equal(fdt_next_sibling(&f, 0), -ERR_BADFMT);
	assert_int_equal(fdt_parent(&f, 0), -ERR_NOENT);
}

/* a blob damaged after fdt_open (it lives in guest-writable memory, say): every call still
 * checks what it reads */
static void test_corrupt_after_open(void **state)
{
	uint8_t *b = dup_exact(board_dtb, board_dtb_len);
	uint8_t *s;
	struct fdt f;
	uint32_t off, len;
	uint64_t a;
	int uart;

	(void)state;
	assert_int_equal(fdt_open(&f, b, board_dtb_len), 0);
	s = b + f.off_struct;
	uart = path_of(&f, "/soc/pl011");
	off = prop_tok_off(&f, uart, "compatible");

	put32(s + off + 4, 0xffffffff);		/* value length far past the block */
	assert_null(fdt_prop(&f, uart, "reg", &len));
	assert_int_equal(fdt_reg(&f, uart, 0, &a, NULL), -ERR_BADFMT);
	assert_int_equal(fdt_first_child(&f, uart), -ERR_BADFMT);
	assert_int_equal(fdt_next_sibling(&f, uart), -ERR_BADFMT);
	assert_int_equal(fdt_find_path(&f, "/soc/virtio_mmio"), -ERR_BADFMT);
	assert_int_equal(fdt_next_compatible(&f, -1, "virtio,mmio"), -ERR_BADFMT);
	put32(s + off + 4, f.size_struct - off - 11);	/* one byte past the block */
	assert_null(fdt_prop(&f, uart, "reg", &len));
	put32(s + off + 4, 0x100000000ull - 12 - off);	/* wraps 32-bit offset arithmetic */
	assert_null(fdt_prop(&f, uart, "reg", &len));
	put32(s + off + 4, 0xfffffffd);
	assert_null(fdt_prop(&f, uart, "reg", &len));
	memcpy(b, board_dtb, board_dtb_len);

	put32(s + off + 8, f.size_strings);	/* nameoff just outside the strings block */
	assert_null(fdt_prop(&f, uart, "compatible", &len));
	assert_null(fdt_prop(&f, uart, "reg", &len));
	put32(s + off + 8, 0xffffffff);
	assert_null(fdt_prop(&f, uart, "reg", &len));
	memcpy(b, board_dtb, board_dtb_len);

	b[board_dtb_len - 1] = 'x';		/* the last name loses its NUL */
	assert_null(fdt_prop(&f, path_of(&f, "/chosen"), "linux,initrd-start", &len));
	assert_int_equal(fdt_find_path(&f, "/soc/virtio_mmio"), -ERR_BADFMT);
	memcpy(b, board_dtb, board_dtb_len);

	put32(s + f.size_struct - 4, TOK_NOP);	/* FDT_END gone: the root never ends */
	assert_int_equal(fdt_next_sibling(&f, fdt_root(&f)), -ERR_BADFMT);
	assert_true(path_of(&f, "/chosen") > 0);	/* lookups inside still work */
	assert_int_equal(fdt_next_compatible(&f, -1, "nothing"), -ERR_BADFMT);
	memcpy(b, board_dtb, board_dtb_len);

	put32(s + f.size_struct - 8, TOK_END);	/* FDT_END where the root should end */
	assert_int_equal(fdt_next_sibling(&f, path_of(&f, "/chosen")), -ERR_BADFMT);
	assert_int_equal(fdt_next_sibling(&f, fdt_root(&f)), -ERR_BADFMT);
	memcpy(b, board_dtb, board_dtb_len);

	put32(s + f.size_struct - 8, TOK_NOP);	/* root's FDT_END_NODE gone */
	assert_int_equal(fdt_next_sibling(&f, fdt_root(&f)), -ERR_BADFMT);
	assert_int_equal(fdt_node_path(&f, fdt_root(&f), (char[8]){ 0 }, 8), 0);
	memset(s + 8, 0xff, 4);			/* the root's first property: bad token */
	assert_int_equal(fdt_first_child(&f, 0), -ERR_BADFMT);
	assert_int_equal(fdt_address_cells(&f, 0), -ERR_BADFMT);
	assert_int_equal(fdt_parent(&f, uart), -ERR_BADFMT);
	free(b);
}

/* ---- hostile structure blocks, built raw ---- */

static void test_bad_prop_lengths(void **state)
{
	static const uint32_t lens[] = { 5, 8, 9, 64, 0x7fffffff, 0x80000000, 0xfffffff4,
					 0xfffffffc, 0xffffffff };
	struct raw r;
	size_t i, lenpos;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(&r, 0, sizeof(r));
		raw_begin(&r, "");
		lenpos = r.sl + 4;
		raw_prop(&r, "p", "abcd", 4);
		raw_u32(&r, TOK_END_NODE);
		raw_u32(&r, TOK_END);
		assert_int_equal(raw_open(&r), 0);
		put32(r.st + lenpos, lens[i]);
		assert_int_equal(raw_open(&r), -ERR_BADFMT);
	}
}

static void test_unterminated(void **state)
{
	struct raw r;
	uint8_t *b, blob[256];
	size_t n;
	struct fdt f;
	const char *s;
	uint32_t u;

	(void)state;
	/* a node name running to the end of the structure block */
	memset(&r, 0, sizeof(r));
	raw_begin(&r, "");
	raw_u32(&r, TOK_BEGIN);
	memcpy(r.st + r.sl, "abcdefgh", 8);
	r.sl += 8;
	assert_int_equal(raw_open(&r), -ERR_BADFMT);

	/* a property name running to the end of the strings block */
	memset(&r, 0, sizeof(r));
	raw_begin(&r, "");
	raw_prop(&r, "name", "", 0);
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END);
	assert_int_equal(raw_open(&r), 0);
	r.strl--;
	assert_int_equal(raw_open(&r), -ERR_BADFMT);
	r.strl = 0;
	assert_int_equal(raw_open(&r), -ERR_BADFMT);

	/* string values without a NUL; a list with an unterminated tail */
	memset(&r, 0, sizeof(r));
	raw_begin(&r, "");
	raw_prop(&r, "s", "abc", 3);
	raw_prop(&r, "list", "one\0two", 7);
	raw_prop(&r, "nul", "", 1);
	raw_prop(&r, "mid", "a\0b\0", 4);
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END);
	n = raw_blob(&r, blob, sizeof(blob));
	b = dup_exact(blob, n);
	assert_int_equal(fdt_open(&f, b, n), 0);
	assert_int_equal(fdt_prop_str(&f, 0, "s", &s), -ERR_INVAL);
	assert_false(fdt_prop_has_str(&f, 0, "s", "abc"));
	assert_int_equal(fdt_prop_str(&f, 0, "list", &s), -ERR_INVAL);
	assert_true(fdt_prop_has_str(&f, 0, "list", "one"));
	assert_false(fdt_prop_has_str(&f, 0, "list", "two"));
	assert_int_equal(fdt_prop_str(&f, 0, "nul", &s), 0);
	assert_string_equal(s, "");
	assert_true(fdt_prop_has_str(&f, 0, "nul", ""));
	assert_true(fdt_prop_has_str(&f, 0, "mid", "b"));
	assert_int_equal(fdt_prop_u32(&f, 0, "mid", &u), 0);
	assert_int_equal(u, 0x61006200);
	free(b);
}

static void test_nameoff_outside(void **state)
{
	static const uint32_t offs[] = { 2, 3, 100, 0x7fffffff, 0xfffffffe, 0xffffffff };
	struct raw r;
	size_t i, pos;

	(void)state;
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		memset(&r, 0, sizeof(r));
		raw_begin(&r, "");
		pos = r.sl + 8;
		raw_prop(&r, "p", "", 0);	/* strings block: "p\0" */
		raw_u32(&r, TOK_END_NODE);
		raw_u32(&r, TOK_END);
		put32(r.st + pos, 1);		/* the empty string at the NUL: legal */
		assert_int_equal(raw_open(&r), 0);
		put32(r.st + pos, offs[i]);
		assert_int_equal(raw_open(&r), -ERR_BADFMT);
	}
}

/* nodes nested @levels deep (the root counts as 1), each named "n" */
static void raw_nested(struct raw *r, int levels)
{
	int i;

	memset(r, 0, sizeof(*r));
	raw_begin(r, "");
	for (i = 1; i < levels; i++)
		raw_begin(r, "n");
	for (i = 0; i < levels; i++)
		raw_u32(r, TOK_END_NODE);
	raw_u32(r, TOK_END);
}

static void test_depth(void **state)
{
	char path[2 * FDT_MAX_DEPTH + 2], got[sizeof(path)];
	uint8_t blob[1024];
	struct raw r;
	struct fdt f;
	size_t n;
	int i, node;

	(void)state;
	raw_nested(&r, FDT_MAX_DEPTH);
	assert_int_equal(raw_open(&r), 0);
	raw_nested(&r, FDT_MAX_DEPTH + 1);
	assert_int_equal(raw_open(&r), -ERR_BADFMT);
	raw_nested(&r, 100);
	assert_int_equal(raw_open(&r), -ERR_BADFMT);

	/* the deepest accepted node is fully usable */
	raw_nested(&r, FDT_MAX_DEPTH);
	n = raw_blob(&r, blob, sizeof(blob));
	assert_int_equal(fdt_open(&f, blob, n), 0);
	path[0] = '\0';
	for (i = 1; i < FDT_MAX_DEPTH; i++)
		strcat(path, "/n");
	node = path_of(&f, path);
	assert_int_equal(fdt_node_path(&f, node, got, sizeof(got)), 0);
	assert_string_equal(got, path);
	assert_int_equal(fdt_first_child(&f, node), -ERR_NOENT);
	assert_true(fdt_parent(&f, node) >= 0);

	/* the same nesting, 33 deep, reached through a forged struct fdt (no fdt_open check):
	 * the walkers refuse it too */
	raw_nested(&r, FDT_MAX_DEPTH + 1);
	n = raw_blob(&r, blob, sizeof(blob));
	f.blob = blob;
	f.off_struct = 56;
	f.totalsize = (uint32_t)n;
	f.size_struct = (uint32_t)r.sl;
	f.off_strings = (uint32_t)(56 + r.sl);
	f.size_strings = 0;
	strcat(path, "/n");
	node = path_of(&f, path);
	assert_int_equal(fdt_parent(&f, node), -ERR_BADFMT);
	assert_int_equal(fdt_node_path(&f, node, got, sizeof(got)), -ERR_BADFMT);
	assert_int_equal(fdt_next_sibling(&f, fdt_root(&f)), -ERR_BADFMT);
}

static void test_struct_tokens(void **state)
{
	struct raw r;

	(void)state;
	/* the minimal tree, with NOPs everywhere they may be */
	memset(&r, 0, sizeof(r));
	raw_u32(&r, TOK_NOP);
	raw_begin(&r, "");
	raw_u32(&r, TOK_NOP);
	raw_prop(&r, "a", "", 0);
	raw_u32(&r, TOK_NOP);
	raw_begin(&r, "c");
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_NOP);
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_NOP);
	raw_u32(&r, TOK_END);
	assert_int_equal(raw_open(&r), 0);

	/* no FDT_END */
	memset(&r, 0, sizeof(r));
	raw_begin(&r, "");
	raw_u32(&r, TOK_END_NODE);
	assert_int_equal(raw_open(&r), -ERR_BADFMT);
	r.st[r.sl - 4 + 3] = TOK_NOP;	/* nor FDT_END_NODE */
	assert_int_equal(raw_open(&r), -ERR_BADFMT);
	r.sl = 0;			/* nothing at all */
	assert_int_equal(raw_open(&r), -ERR_BADFMT);
	raw_u32(&r, TOK_END);		/* FDT_END alone: no root */
	assert_int_equal(raw_open(&r), -ERR_BADFMT);

	/* FDT_END inside a node */
	memset(&r, 0, sizeof(r));
	raw_begin(&r, "");
	raw_u32(&r, TOK_END);
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END);
	assert_int_equal(raw_open(&r), -ERR_BADFMT);

	/* one FDT_END_NODE too many */
	memset(&r, 0, sizeof(r));
	raw_begin(&r, "");
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END);
	assert_int_equal(raw_open(&r), -ERR_BADFMT);

	/* a second root */
	memset(&r, 0, sizeof(r));
	raw_begin(&r, "");
	raw_u32(&r, TOK_END_NODE);
	raw_begin(&r, "");
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END);
	assert_int_equal(raw_open(&r), -ERR_BADFMT);

	/* a property outside any node */
	memset(&r, 0, sizeof(r));
	raw_prop(&r, "a", "", 0);
	raw_begin(&r, "");
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END);
	assert_int_equal(raw_open(&r), -ERR_BADFMT);

	/* unknown tokens, and a token at the end without room for its fields */
	for (uint32_t tok = 0; tok < 16; tok++) {
		if (tok == TOK_NOP)
			continue;
		memset(&r, 0, sizeof(r));
		raw_begin(&r, "");
		raw_u32(&r, tok);
		raw_u32(&r, TOK_END_NODE);
		raw_u32(&r, TOK_END);
		assert_int_equal(raw_open(&r), -ERR_BADFMT);
	}
	memset(&r, 0, sizeof(r));
	raw_begin(&r, "");
	raw_u32(&r, TOK_PROP);
	raw_u32(&r, 0);
	assert_int_equal(raw_open(&r), -ERR_BADFMT);

	/* child names that paths cannot reach */
	memset(&r, 0, sizeof(r));
	raw_begin(&r, "");
	raw_begin(&r, "");
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END);
	assert_int_equal(raw_open(&r), -ERR_BADFMT);
	memset(&r, 0, sizeof(r));
	raw_begin(&r, "");
	raw_begin(&r, "a/b");
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END_NODE);
	raw_u32(&r, TOK_END);
	assert_int_equal(raw_open(&r), -ERR_BADFMT);
}

/* ---- writer ---- */

/* the reference tree into buffers of every size: exactly enough succeeds with the same bytes,
 * anything less fails with -ERR_NOSPC and writes nothing outside the buffer (ASan) */
static void test_writer_every_size(void **state)
{
	struct fdt f;
	struct fdtw w;
	uint8_t *buf;
	size_t cap, total;
	int rc;

	(void)state;
	ref_open(&f);
	for (cap = 0; cap <= ref_len + 8; cap++) {
		buf = malloc(cap ? cap : 1);
		assert_non_null(buf);
		rc = fdtw_init(&w, buf, cap);
		assert_int_equal(rc, cap < 64 ? -ERR_NOSPC : 0);
		build_ref(&w);
		total = 12345;
		rc = fdtw_finish(&w, &total);
		if (cap < ref_len) {
			assert_int_equal(rc, -ERR_NOSPC);
			assert_int_equal(total, 12345);
			assert_int_equal(w.err, -ERR_NOSPC);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(total, ref_len);
			assert_memory_equal(buf, ref_buf, ref_len);
		}
		free(buf);
	}
}

static void test_writer_sticky(void **state)
{
	uint8_t buf[128];
	struct fdtw w;
	size_t total;

	(void)state;
	assert_int_equal(fdtw_init(&w, buf, sizeof(buf)), 0);
	assert_int_equal(fdtw_begin_node(&w, ""), 0);
	assert_int_equal(fdtw_prop(&w, "big", buf, 100), -ERR_NOSPC);
	/* the tiny property would fit, but the first error stays */
	assert_int_equal(fdtw_prop_u32(&w, "x", 1), -ERR_NOSPC);
	assert_int_equal(fdtw_end_node(&w), -ERR_NOSPC);
	assert_int_equal(fdtw_begin_node(&w, "a"), -ERR_NOSPC);
	assert_int_equal(fdtw_finish(&w, &total), -ERR_NOSPC);

	assert_int_equal(fdtw_init(&w, buf, sizeof(buf)), 0);
	assert_int_equal(fdtw_begin_node(&w, ""), 0);
	assert_int_equal(fdtw_begin_node(&w, ""), -ERR_INVAL);
	assert_int_equal(fdtw_prop(&w, "big", buf, 100), -ERR_INVAL);
	assert_int_equal(fdtw_finish(&w, &total), -ERR_INVAL);

	assert_int_equal(fdtw_init(&w, NULL, 4096), -ERR_INVAL);
	assert_int_equal(fdtw_begin_node(&w, ""), -ERR_INVAL);
	assert_int_equal(fdtw_init(&w, buf, 63), -ERR_NOSPC);
	assert_int_equal(fdtw_begin_node(&w, ""), -ERR_NOSPC);
	assert_int_equal(fdtw_finish(&w, &total), -ERR_NOSPC);
	assert_int_equal(fdtw_init(NULL, buf, sizeof(buf)), -ERR_INVAL);
	assert_int_equal(fdtw_begin_node(NULL, ""), -ERR_INVAL);
	assert_int_equal(fdtw_prop_u32(NULL, "x", 1), -ERR_INVAL);
	assert_int_equal(fdtw_prop_strs(NULL, "x", NULL, 1), -ERR_INVAL);
	assert_int_equal(fdtw_prop_cells(NULL, "x", NULL, 1), -ERR_INVAL);
	assert_int_equal(fdtw_finish(NULL, &total), -ERR_INVAL);
}

/* write a tree by a script of steps and return what fdtw_finish says */
static int writer_script(const char *script)
{
	uint8_t buf[512];
	struct fdtw w;
	size_t total;
	const char *const strs[] = { "a", NULL };

	fdtw_init(&w, buf, sizeof(buf));
	for (; *script; script++) {
		switch (*script) {
		case 'R': fdtw_begin_node(&w, ""); break;
		case 'B': fdtw_begin_node(&w, "n"); break;
		case 'E': fdtw_end_node(&w); break;
		case 'P': fdtw_prop_u32(&w, "p", 1); break;
		case '2': fdtw_prop_u32(&w, "two", 2); break;
		case '0': fdtw_begin_node(&w, ""); break;
		case '/': fdtw_begin_node(&w, "a/b"); break;
		case 'N': fdtw_begin_node(&w, NULL); break;
		case 'n': fdtw_prop_u32(&w, NULL, 1); break;
		case 'e': fdtw_prop_u32(&w, "", 1); break;
		case 'v': fdtw_prop(&w, "v", NULL, 4); break;
		case 'V': fdtw_prop(&w, "v", NULL, 0); break;
		case 's': fdtw_prop_strs(&w, "s", strs, 2); break;
		case 'S': fdtw_prop_strs(&w, "s", NULL, 1); break;
		case 'c': fdtw_prop_cells(&w, "c", NULL, 2); break;
		case 'C': fdtw_prop_cells(&w, "c", NULL, 0); break;
		case 'F':
			if (fdtw_finish(&w, &total) < 0)
				return w.err;
			break;
		default: fail_msg("bad script step %c", *script);
		}
	}
	return fdtw_finish(&w, &total);
}

static void test_writer_unbalanced(void **state)
{
	(void)state;
	assert_int_equal(writer_script("RPBPEBEE"), 0);
	assert_int_equal(writer_script(""), -ERR_INVAL);		/* no root */
	assert_int_equal(writer_script("R"), -ERR_INVAL);		/* root left open */
	assert_int_equal(writer_script("RBPE"), -ERR_INVAL);
	assert_int_equal(writer_script("RE" "E"), -ERR_INVAL);	/* one end too many */
	assert_int_equal(writer_script("E"), -ERR_INVAL);
	assert_int_equal(writer_script("RERE"), -ERR_INVAL);		/* two roots */
	assert_int_equal(writer_script("B"), -ERR_INVAL);		/* root must be "" */
	assert_int_equal(writer_script("P"), -ERR_INVAL);		/* outside any node */
	assert_int_equal(writer_script("REP"), -ERR_INVAL);
	assert_int_equal(writer_script("R0EE"), -ERR_INVAL);		/* empty child name */
	assert_int_equal(writer_script("R/EE"), -ERR_INVAL);
	assert_int_equal(writer_script("RNE"), -ERR_INVAL);
	assert_int_equal(writer_script("RnE"), -ERR_INVAL);
	assert_int_equal(writer_script("ReE"), -ERR_INVAL);
	assert_int_equal(writer_script("RvE"), -ERR_INVAL);
	assert_int_equal(writer_script("RVE"), 0);
	assert_int_equal(writer_script("RsE"), -ERR_INVAL);		/* NULL in the list */
	assert_int_equal(writer_script("RSE"), -ERR_INVAL);
	assert_int_equal(writer_script("RcE"), -ERR_INVAL);
	assert_int_equal(writer_script("RCE"), 0);
	/* a property after a subnode would be ignored by readers: refused */
	assert_int_equal(writer_script("RBEPE"), -ERR_INVAL);
	assert_int_equal(writer_script("RBBEPEE"), -ERR_INVAL);
	/* a value ending in the FDT_END_NODE word is no subnode */
	assert_int_equal(writer_script("R2PB2PEE"), 0);
	assert_int_equal(writer_script("RB2EBPEE"), 0);
	/* closed after finish */
	assert_int_equal(writer_script("REF"), -ERR_INVAL);
	assert_int_equal(writer_script("REFB"), -ERR_INVAL);
}

static void test_writer_depth(void **state)
{
	uint8_t buf[2048];
	struct fdtw w;
	struct fdt f;
	size_t total;
	int i;

	(void)state;
	fdtw_init(&w, buf, sizeof(buf));
	fdtw_begin_node(&w, "");
	for (i = 1; i < FDT_MAX_DEPTH; i++)
		assert_int_equal(fdtw_begin_node(&w, "n"), 0);
	assert_int_equal(fdtw_begin_node(&w, "n"), -ERR_INVAL);
	assert_int_equal(fdtw_finish(&w, &total), -ERR_INVAL);

	fdtw_init(&w, buf, sizeof(buf));
	fdtw_begin_node(&w, "");
	for (i = 1; i < FDT_MAX_DEPTH; i++)
		fdtw_begin_node(&w, "n");
	for (i = 0; i < FDT_MAX_DEPTH; i++)
		fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &total), 0);
	assert_int_equal(fdt_open(&f, buf, total), 0);
	assert_int_equal(walk_all(&f), FDT_MAX_DEPTH);
}

static void test_writer_strings_dedup(void **state)
{
	uint8_t buf[1024];
	struct fdtw w;
	struct fdt f;
	size_t total;
	uint32_t v;
	int i;

	(void)state;
	fdtw_init(&w, buf, sizeof(buf));
	fdtw_begin_node(&w, "");
	fdtw_prop_u32(&w, "#size-cells", 1);
	for (i = 0; i < 3; i++) {
		fdtw_begin_node(&w, i == 0 ? "a" : i == 1 ? "b" : "c");
		fdtw_prop_str(&w, "compatible", "x");
		fdtw_prop_u32(&w, "reg", (uint32_t)i);
		fdtw_prop_u32(&w, "size-cells", 7);	/* a suffix of "#size-cells" */
		fdtw_end_node(&w);
	}
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &total), 0);
	assert_int_equal(get32(buf + H_SIZE_STRINGS),
			 sizeof("#size-cells") + sizeof("compatible") + sizeof("reg"));
	assert_int_equal(fdt_open(&f, buf, total), 0);
	assert_int_equal(fdt_prop_u32(&f, path_of(&f, "/c"), "reg", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(fdt_prop_u32(&f, path_of(&f, "/b"), "size-cells", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(fdt_prop_u32(&f, fdt_root(&f), "#size-cells", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(fdt_size_cells(&f, fdt_root(&f)), 1);
}

/* the layout the writer promises: header, empty reservation map, aligned blocks, zero padding */
static void test_writer_layout(void **state)
{
	uint8_t buf[256];
	struct fdtw w;
	size_t total, i;

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	fdtw_init(&w, buf, sizeof(buf));
	fdtw_begin_node(&w, "");
	fdtw_begin_node(&w, "abcde");
	fdtw_prop(&w, "p", "xyz", 3);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &total), 0);
	assert_int_equal(get32(buf + H_MAGIC), FDT_MAGIC);
	assert_int_equal(get32(buf + H_TOTALSIZE), total);
	assert_int_equal(get32(buf + H_OFF_RSVMAP), 40);
	assert_int_equal(get32(buf + H_OFF_STRUCT), 56);
	assert_int_equal(get32(buf + H_BOOT_CPUID), 0);
	for (i = 40; i < 56; i++)
		assert_int_equal(buf[i], 0);
	/* BEGIN "" | BEGIN "abcde\0\0\0" | PROP 3 0 "xyz\0" | END_NODE | END_NODE | END | "p\0" */
	assert_int_equal(get32(buf + H_SIZE_STRUCT), 8 + 12 + 16 + 4 + 4 + 4);
	assert_memory_equal(buf + 56 + 8, "\0\0\0\1abcde\0\0\0", 12);
	assert_memory_equal(buf + 56 + 20, "\0\0\0\3\0\0\0\3\0\0\0\0xyz\0", 16);
	assert_memory_equal(buf + 56 + 36, "\0\0\0\2\0\0\0\2\0\0\0\x09", 12);
	assert_int_equal(get32(buf + H_OFF_STRINGS), 56 + 48);
	assert_int_equal(get32(buf + H_SIZE_STRINGS), 2);
	assert_memory_equal(buf + 56 + 48, "p", 2);
	assert_int_equal(total, 56 + 48 + 2);
	assert_int_equal(buf[total], 0xaa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_tree),
		cmocka_unit_test(test_roundtrip_props),
		cmocka_unit_test(test_find_path),
		cmocka_unit_test(test_parent_and_path),
		cmocka_unit_test(test_reg_and_cells),
		cmocka_unit_test(test_cells_limits),
		cmocka_unit_test(test_next_compatible),
		cmocka_unit_test(test_dtc_blob),
		cmocka_unit_test(test_dtc_blob_v16),
		cmocka_unit_test(test_dtc_accepts_writer_output),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_open_args),
		cmocka_unit_test(test_totalsize_hint),
		cmocka_unit_test(test_truncated_buffer),
		cmocka_unit_test(test_truncated_consistent),
		cmocka_unit_test(test_byte_mutations),
		cmocka_unit_test(test_random_mutations),
		cmocka_unit_test(test_garbage_handles),
		cmocka_unit_test(test_fake_node_in_value),
		cmocka_unit_test(test_forged_fdt),
		cmocka_unit_test(test_corrupt_after_open),
		cmocka_unit_test(test_bad_prop_lengths),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_nameoff_outside),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_struct_tokens),
		cmocka_unit_test(test_writer_every_size),
		cmocka_unit_test(test_writer_sticky),
		cmocka_unit_test(test_writer_unbalanced),
		cmocka_unit_test(test_writer_depth),
		cmocka_unit_test(test_writer_strings_dedup),
		cmocka_unit_test(test_writer_layout),
	};

	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
