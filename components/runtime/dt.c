/* dt.c - the component runtime's flattened device tree reader (Devicetree Specification v0.4,
 * chapter 5); written for the trees cella generates but safe on any blob. */
#include <rt/dt.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
#define DT_MAX_SIZE 0x200000u
#define DT_MAX_DEPTH 16

static struct {
	const uint8_t *blob;
	uint32_t struct_off, struct_size, strings_off, strings_size;
} dt;

/* big-endian 32-bit load from an aligned pointer */
static uint32_t be32(const void *p)
{
	uint32_t v = *(const volatile uint32_t *)p;

	return __builtin_bswap32(v);
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int dt_init(const void *blob)
{
	uint32_t total, so, ss, to, ts;

	dt.blob = NULL;
	/* the header is 40 bytes of aligned 32-bit fields */
	if (!blob || ((uintptr_t)blob & 7) || be32(blob) != FDT_MAGIC)
		return -1;
	total = be32((const uint8_t *)blob + 4);
	so = be32((const uint8_t *)blob + 8);
	to = be32((const uint8_t *)blob + 12);
	if (be32((const uint8_t *)blob + 20) < 16 || total > DT_MAX_SIZE || total < 40)
		return -1;
	ts = be32((const uint8_t *)blob + 32);
	ss = be32((const uint8_t *)blob + 36);
	/* both blocks inside totalsize, no wrap-around (all values < 2 MiB) */
	if ((so & 3) || so > total || ss > total - so || to > total || ts > total - to)
		return -1;
	dt.blob = blob;
	dt.struct_off = so;
	dt.struct_size = ss;
	dt.strings_off = to;
	dt.strings_size = ts;
	return 0;
}

const void *dt_blob(void)
{
	return dt.blob;
}

/* the token at structure offset @off, or FDT_END past the block */
static uint32_t tok(uint32_t off)
{
	if (!dt.blob || off > dt.struct_size - 4 || dt.struct_size < 4)
		return FDT_END;
	return be32(dt.blob + dt.struct_off + off);
}

/* length of the NUL-terminated string at structure offset @off, or -1 if unterminated */
static int32_t name_len(uint32_t off)
{
	for (uint32_t i = off; i < dt.struct_size; i++)
		if (dt.blob[dt.struct_off + i] == '\0')
			return (int32_t)(i - off);
	return -1;
}

/* The token after the one at @off (whose value is @t), or 0 on a malformed blob. */
static uint32_t next(uint32_t off, uint32_t t)
{
	uint32_t len;
	int32_t n;

	switch (t) {
	case FDT_BEGIN_NODE:
		n = name_len(off + 4);
		return n < 0 ? 0 : (off + 4 + (uint32_t)n + 1 + 3) & ~3u;
	case FDT_PROP:
		len = tok(off + 4);
		if (off + 12 > dt.struct_size || len > dt.struct_size - off - 12)
			return 0;
		return (off + 12 + len + 3) & ~3u;
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return 0;
	}
}

static const char *node_name(int node)
{
	return (const char *)dt.blob + dt.struct_off + (uint32_t)node + 4;
}

int dt_root(void)
{
	uint32_t off = 0;

	while (tok(off) == FDT_NOP)
		off += 4;
	return tok(off) == FDT_BEGIN_NODE ? (int)off : -1;
}

/* The first child of @node whose name matches the @len bytes at @want (see dt_find). */
static int child(int node, const char *want, uint32_t len)
{
	uint32_t off, t;
	int depth = 0;

	if (node < 0)
		return -1;
	for (off = next((uint32_t)node, FDT_BEGIN_NODE); off; off = next(off, t)) {
		t = tok(off);
		if (t == FDT_BEGIN_NODE) {
			const char *n = node_name((int)off);
			uint32_t i = 0;

			if (depth == 0) {
				while (i < len && n[i] == want[i])
					i++;
				if (i == len && (n[i] == '\0' || n[i] == '@'))
					return (int)off;
			}
			if (++depth > DT_MAX_DEPTH)
				return -1;
		} else if (t == FDT_END_NODE) {
			if (depth-- == 0)
				return -1;
		} else if (t == FDT_END) {
			return -1;
		}
	}
	return -1;
}

int dt_child(int node, int after)
{
	uint32_t off, t;
	int depth = 0;

	if (node < 0)
		return -1;
	for (off = next((uint32_t)node, FDT_BEGIN_NODE); off; off = next(off, t)) {
		t = tok(off);
		if (t == FDT_BEGIN_NODE) {
			if (depth == 0 && (int)off > after && name_len(off + 4) >= 0)
				return (int)off;
			if (++depth > DT_MAX_DEPTH)
				return -1;
		} else if (t == FDT_END_NODE) {
			if (depth-- == 0)
				return -1;
		} else if (t == FDT_END) {
			return -1;
		}
	}
	return -1;
}

const char *dt_name(int node)
{
	return node >= 0 && dt.blob && tok((uint32_t)node) == FDT_BEGIN_NODE &&
			       name_len((uint32_t)node + 4) >= 0
		       ? node_name(node)
		       : NULL;
}

int dt_find(const char *path)
{
	int node = dt_root();

	if (!path || *path != '/')
		return -1;
	while (*path && node >= 0) {
		uint32_t len = 0;

		while (*path == '/')
			path++;
		while (path[len] && path[len] != '/')
			len++;
		if (len)
			node = child(node, path, len);
		path += len;
	}
	return node;
}

const void *dt_prop(int node, const char *name, uint32_t *len)
{
	uint32_t off, t;

	if (node < 0 || tok((uint32_t)node) != FDT_BEGIN_NODE)
		return NULL;
	for (off = next((uint32_t)node, FDT_BEGIN_NODE); off; off = next(off, t)) {
		uint32_t nameoff;

		t = tok(off);
		if (t == FDT_NOP)
			continue;
		if (t != FDT_PROP)
			return NULL;	/* properties come before the first child */
		if (!next(off, t))
			return NULL;
		nameoff = tok(off + 8);
		if (nameoff >= dt.strings_size)
			continue;
		/* the name must end inside the strings block before we compare it */
		{
			const char *s = (const char *)dt.blob + dt.strings_off + nameoff;
			uint32_t max = dt.strings_size - nameoff, i = 0;

			while (i < max && s[i])
				i++;
			if (i == max || !str_eq(s, name))
				continue;
		}
		if (len)
			*len = tok(off + 4);
		return dt.blob + dt.struct_off + off + 12;
	}
	return NULL;
}

const char *dt_prop_str(int node, const char *name)
{
	uint32_t len;
	const char *s = dt_prop(node, name, &len);

	if (!s || len == 0 || s[len - 1] != '\0')
		return NULL;
	return s;
}

int dt_prop_u32(int node, const char *name, unsigned index, uint32_t *val)
{
	uint32_t len;
	const uint8_t *p = dt_prop(node, name, &len);

	if (!p || index >= len / 4)
		return -1;
	*val = be32(p + 4 * index);
	return 0;
}

/* @n cells (1 or 2) at @p as one number */
int dt_prop_u64(int node, const char *name, uint64_t *val)
{
	uint32_t len;
	const uint8_t *p = dt_prop(node, name, &len);

	if (!p || (len != 4 && len != 8))
		return -1;
	*val = len == 4 ? be32(p) : (uint64_t)be32(p) << 32 | be32(p + 4);
	return 0;
}

static uint64_t cells(const uint8_t *p, uint32_t n)
{
	return n == 2 ? (uint64_t)be32(p) << 32 | be32(p + 4) : be32(p);
}

int dt_reg(int node, unsigned index, uint64_t *base, uint64_t *size)
{
	uint32_t ac = 2, sc = 1, len, entry;
	const uint8_t *p;

	dt_prop_u32(dt_root(), "#address-cells", 0, &ac);
	dt_prop_u32(dt_root(), "#size-cells", 0, &sc);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -1;
	p = dt_prop(node, "reg", &len);
	entry = 4 * (ac + sc);
	if (!p || index >= len / entry)
		return -1;
	p += entry * index;
	*base = cells(p, ac);
	*size = cells(p + 4 * ac, sc);
	return 0;
}

int dt_find_compatible(int after, const char *compat)
{
	uint32_t off = after < 0 ? 0 : next((uint32_t)after, tok((uint32_t)after)), t;

	for (; off; off = next(off, t)) {
		uint32_t len, i = 0;
		const char *c;

		t = tok(off);
		if (t == FDT_END)
			return -1;
		if (t != FDT_BEGIN_NODE)
			continue;
		c = dt_prop((int)off, "compatible", &len);
		while (c && i < len) {	/* a list of NUL-terminated strings */
			uint32_t j = i;

			while (j < len && c[j])
				j++;
			if (j == len)
				break;
			if (str_eq(c + i, compat))
				return (int)off;
			i = j + 1;
		}
	}
	return -1;
}
