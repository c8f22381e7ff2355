/* fdt.c - flattened device tree reader and writer, bounds-checked against hostile blobs. */
#include <string.h>

#include "err.h"
#include "fdt.h"

/* structure block tokens (DT spec v0.4, 5.4.1) */
#define FDT_BEGIN_NODE	1u
#define FDT_END_NODE	2u
#define FDT_PROP	3u
#define FDT_NOP		4u
#define FDT_END		9u

#define FDT_HDR_SIZE	40u
#define FDT_RSV_SIZE	16u			/* one reservation entry: address, size */
#define FDT_SIZE_MAX	0x7fffffffu		/* node handles are int offsets */
/* where the writer starts the structure block: after the header and an empty reservation map */
#define FDTW_STRUCT	(FDT_HDR_SIZE + FDT_RSV_SIZE)

/* header field offsets (DT spec v0.4, 5.2) */
enum {
	HDR_MAGIC = 0,
	HDR_TOTALSIZE = 4,
	HDR_OFF_STRUCT = 8,
	HDR_OFF_STRINGS = 12,
	HDR_OFF_RSVMAP = 16,
	HDR_VERSION = 20,
	HDR_LAST_COMP = 24,
	HDR_BOOT_CPUID = 28,
	HDR_SIZE_STRINGS = 32,
	HDR_SIZE_STRUCT = 36,
};

/* one decoded token; offsets are relative to the start of the structure block */
struct fdt_tok {
	uint32_t tag;
	uint32_t next;		/* offset of the following token */
	uint32_t name;		/* BEGIN_NODE: offset of the name; PROP: nameoff in strings */
	uint32_t val;		/* PROP: offset of the value */
	uint32_t len;		/* PROP: length of the value */
};

/* byte by byte: the blob may be unaligned and EL2 builds with -mstrict-align */
static uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void fdt_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint64_t fdt_align4(uint64_t v)
{
	return (v + 3) & ~(uint64_t)3;
}

/* the fields of @f are mutually consistent (callers may fill a struct fdt by hand) */
static bool fdt_sane(const struct fdt *f)
{
	return f && f->blob && f->totalsize <= FDT_SIZE_MAX &&
	       (uint64_t)f->off_struct + f->size_struct <= f->totalsize &&
	       (uint64_t)f->off_strings + f->size_strings <= f->totalsize;
}

/* decode the token at structure offset @off; every byte it covers lies inside the block */
static int fdt_token(const struct fdt *f, uint32_t off, struct fdt_tok *t)
{
	const uint8_t *s = f->blob + f->off_struct;
	uint32_t size = f->size_struct;
	const uint8_t *nul;

	if ((off & 3) || size < 4 || off > size - 4)
		return -ERR_BADFMT;
	t->tag = fdt_be32(s + off);
	t->next = off + 4;
	switch (t->tag) {
	case FDT_BEGIN_NODE:
		t->name = off + 4;
		nul = memchr(s + t->name, 0, size - t->name);
		if (!nul)
			return -ERR_BADFMT;
		/* <= size + 3 <= FDT_SIZE_MAX + 3: fits in 32 bits */
		t->next = (uint32_t)fdt_align4((uint64_t)(nul - s) + 1);
		return 0;
	case FDT_PROP:
		if (size - off < 12)
			return -ERR_BADFMT;
		t->len = fdt_be32(s + off + 4);
		t->name = fdt_be32(s + off + 8);
		t->val = off + 12;
		if (t->len > size - t->val)
			return -ERR_BADFMT;
		/* the name must be a NUL-terminated string inside the strings block */
		if (t->name >= f->size_strings ||
		    !memchr(f->blob + f->off_strings + t->name, 0, f->size_strings - t->name))
			return -ERR_BADFMT;
		t->next = (uint32_t)fdt_align4((uint64_t)t->val + t->len);
		return 0;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		return 0;
	default:
		return -ERR_BADFMT;
	}
}

/* @node is a handle to a FDT_BEGIN_NODE token inside the structure block; fills @t */
static int fdt_node_tok(const struct fdt *f, int node, struct fdt_tok *t)
{
	if (!fdt_sane(f))
		return -ERR_BADFMT;
	if (node < 0 || fdt_token(f, (uint32_t)node, t) < 0 || t->tag != FDT_BEGIN_NODE)
		return -ERR_INVAL;
	return 0;
}

/* one pass over the whole structure block: balanced nodes, one root, depth, FDT_END */
static int fdt_check_struct(const struct fdt *f)
{
	const char *name;
	struct fdt_tok t;
	uint32_t off = 0;
	bool root = false;
	int depth = 0, err;

	for (;;) {
		err = fdt_token(f, off, &t);
		if (err < 0)
			return err;
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0 && root)
				return -ERR_BADFMT;	/* a second root */
			name = (const char *)f->blob + f->off_struct + t.name;
			/* a child needs a name without '/', or paths cannot reach it */
			if (depth > 0 && (!name[0] || strchr(name, '/')))
				return -ERR_BADFMT;
			if (++depth > FDT_MAX_DEPTH)
				return -ERR_BADFMT;
			root = true;
			break;
		case FDT_END_NODE:
			if (depth-- == 0)
				return -ERR_BADFMT;
			break;
		case FDT_PROP:
			if (depth == 0)
				return -ERR_BADFMT;
			break;
		case FDT_END:
			return depth == 0 && root ? 0 : -ERR_BADFMT;
		default:
			break;		/* FDT_NOP */
		}
		off = t.next;	/* strictly increasing: the loop ends */
	}
}

int fdt_open(struct fdt *f, const void *blob, size_t bufsize)
{
	const uint8_t *b = blob;
	struct fdt tmp;
	uint32_t total, rsv;
	int err;

	if (!f)
		return -ERR_INVAL;
	memset(f, 0, sizeof(*f));
	if (!b)
		return -ERR_INVAL;
	if (bufsize < 4)
		return -ERR_RANGE;
	if (fdt_be32(b + HDR_MAGIC) != FDT_MAGIC)
		return -ERR_BADFMT;
	if (bufsize < FDT_HDR_SIZE)
		return -ERR_RANGE;
	if (fdt_be32(b + HDR_VERSION) < 16 || fdt_be32(b + HDR_LAST_COMP) > 17)
		return -ERR_BADFMT;

	total = fdt_be32(b + HDR_TOTALSIZE);
	if (total < FDT_HDR_SIZE || total > bufsize || total > FDT_SIZE_MAX)
		return -ERR_RANGE;
	tmp.blob = b;
	tmp.totalsize = total;

	/* the reservation map must at least hold its terminating entry */
	rsv = fdt_be32(b + HDR_OFF_RSVMAP);
	if (rsv < FDT_HDR_SIZE || rsv > total || total - rsv < FDT_RSV_SIZE)
		return -ERR_RANGE;

	tmp.off_struct = fdt_be32(b + HDR_OFF_STRUCT);
	if (tmp.off_struct < FDT_HDR_SIZE || tmp.off_struct > total)
		return -ERR_RANGE;
	/* size_dt_struct appeared in version 17; before it the block runs to FDT_END */
	if (fdt_be32(b + HDR_VERSION) >= 17)
		tmp.size_struct = fdt_be32(b + HDR_SIZE_STRUCT);
	else
		tmp.size_struct = total - tmp.off_struct;
	if (tmp.size_struct > total - tmp.off_struct)
		return -ERR_RANGE;
	if (tmp.off_struct & 3)
		return -ERR_BADFMT;

	tmp.off_strings = fdt_be32(b + HDR_OFF_STRINGS);
	tmp.size_strings = fdt_be32(b + HDR_SIZE_STRINGS);
	if (tmp.off_strings < FDT_HDR_SIZE || tmp.off_strings > total ||
	    tmp.size_strings > total - tmp.off_strings)
		return -ERR_RANGE;

	err = fdt_check_struct(&tmp);
	if (err < 0)
		return err;
	*f = tmp;
	return 0;
}

uint32_t fdt_totalsize_hint(const void *blob, size_t bufsize)
{
	const uint8_t *b = blob;

	if (!b || bufsize < FDT_HDR_SIZE || fdt_be32(b + HDR_MAGIC) != FDT_MAGIC)
		return 0;
	return fdt_be32(b + HDR_TOTALSIZE);
}

int fdt_root(const struct fdt *f)
{
	struct fdt_tok t;
	uint32_t off = 0;
	int err;

	if (!fdt_sane(f))
		return -ERR_BADFMT;
	for (;;) {
		err = fdt_token(f, off, &t);
		if (err < 0)
			return err;
		if (t.tag == FDT_BEGIN_NODE)
			return (int)off;
		if (t.tag != FDT_NOP)
			return -ERR_BADFMT;
		off = t.next;
	}
}

/* from the node token @t at @node, *@end gets the offset just after its FDT_END_NODE */
static int fdt_skip_node(const struct fdt *f, const struct fdt_tok *node, uint32_t *end)
{
	struct fdt_tok t;
	uint32_t off = node->next;
	int depth = 1, err;

	for (;;) {
		err = fdt_token(f, off, &t);
		if (err < 0)
			return err;
		if (t.tag == FDT_BEGIN_NODE && ++depth > FDT_MAX_DEPTH)
			return -ERR_BADFMT;
		if (t.tag == FDT_END_NODE && --depth == 0) {
			*end = t.next;
			return 0;
		}
		if (t.tag == FDT_END)
			return -ERR_BADFMT;
		off = t.next;
	}
}

/* from offset @off inside a node's body: the next child node, or -ERR_NOENT at its end.
 * Properties are skipped wherever they are, as libfdt does. */
static int fdt_scan_child(const struct fdt *f, uint32_t off, bool end_ok)
{
	struct fdt_tok t;
	int err;

	for (;;) {
		err = fdt_token(f, off, &t);
		if (err < 0)
			return err;
		if (t.tag == FDT_BEGIN_NODE)
			return (int)off;
		if (t.tag == FDT_END_NODE)
			return -ERR_NOENT;
		if (t.tag == FDT_END)
			return end_ok ? -ERR_NOENT : -ERR_BADFMT;
		off = t.next;
	}
}

int fdt_first_child(const struct fdt *f, int node)
{
	struct fdt_tok t;
	int err = fdt_node_tok(f, node, &t);

	return err < 0 ? err : fdt_scan_child(f, t.next, false);
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	struct fdt_tok t;
	uint32_t end;
	int err = fdt_node_tok(f, node, &t);

	if (err < 0)
		return err;
	err = fdt_skip_node(f, &t, &end);
	if (err < 0)
		return err;
	/* FDT_END after the root's FDT_END_NODE: the root has no sibling */
	return fdt_scan_child(f, end, node == fdt_root(f));
}

/* walk from the root to @node; @anc[0..*depth) get its ancestors, root first.
 * -ERR_INVAL if @node is not a node reached by the walk. */
static int fdt_ancestors(const struct fdt *f, int node, uint32_t anc[FDT_MAX_DEPTH], int *depth)
{
	struct fdt_tok t;
	uint32_t off;
	int d = 0, err;

	err = fdt_node_tok(f, node, &t);
	if (err < 0)
		return err;
	err = fdt_root(f);
	if (err < 0)
		return err;
	for (off = (uint32_t)err; off <= (uint32_t)node; off = t.next) {
		err = fdt_token(f, off, &t);
		if (err < 0)
			return err;
		if (t.tag == FDT_BEGIN_NODE) {
			if (d == FDT_MAX_DEPTH)
				return -ERR_BADFMT;	/* this node: one level too deep */
			if (off == (uint32_t)node) {
				*depth = d;
				return 0;
			}
			anc[d++] = off;
		} else if (t.tag == FDT_END_NODE) {
			if (d == 0 || --d == 0)
				break;		/* past the end of the root */
		} else if (t.tag == FDT_END) {
			break;
		}
	}
	return -ERR_INVAL;
}

int fdt_parent(const struct fdt *f, int node)
{
	uint32_t anc[FDT_MAX_DEPTH];
	int depth, err;

	err = fdt_ancestors(f, node, anc, &depth);
	if (err < 0)
		return err;
	return depth == 0 ? -ERR_NOENT : (int)anc[depth - 1];
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	struct fdt_tok t;

	if (fdt_node_tok(f, node, &t) < 0)
		return NULL;
	return (const char *)f->blob + f->off_struct + t.name;
}

/* the child of @parent named @name (@len bytes, not NUL-terminated): an exact match wins,
 * else the first child whose name is @name plus a unit address (only if @name has none) */
static int fdt_find_child(const struct fdt *f, int parent, const char *name, size_t len)
{
	bool unit = memchr(name, '@', len) != NULL;
	int loose = -ERR_NOENT, c;
	const char *cn;

	for (c = fdt_first_child(f, parent); c >= 0; c = fdt_next_sibling(f, c)) {
		cn = fdt_node_name(f, c);
		if (!cn || strncmp(cn, name, len) != 0)
			continue;
		/* cn has at least len non-NUL bytes here, so cn[len] is in the string */
		if (cn[len] == '\0')
			return c;
		if (cn[len] == '@' && !unit && loose < 0)
			loose = c;
	}
	return c == -ERR_NOENT ? loose : c;
}

int fdt_find_path(const struct fdt *f, const char *path)
{
	const char *p = path, *q;
	int node = fdt_root(f);

	if (node < 0)
		return node;
	if (!p || *p != '/')
		return -ERR_INVAL;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return node;
		for (q = p; *q && *q != '/'; q++)
			;
		node = fdt_find_child(f, node, p, (size_t)(q - p));
		if (node < 0)
			return node;
		p = q;
	}
}

/* append "/" and @name to @buf at *@pos, truncating; @buf always stays NUL-terminated */
static void fdt_path_append(char *buf, size_t len, size_t *pos, const char *name)
{
	size_t i;

	if (*pos + 1 < len)
		buf[(*pos)++] = '/';
	for (i = 0; name[i] && *pos + 1 < len; i++)
		buf[(*pos)++] = name[i];
	buf[*pos] = '\0';
}

int fdt_node_path(const struct fdt *f, int node, char *buf, size_t len)
{
	uint32_t anc[FDT_MAX_DEPTH];
	size_t pos = 0;
	int depth, err, i;

	if (!buf || len == 0)
		return -ERR_INVAL;
	buf[0] = '\0';
	err = fdt_ancestors(f, node, anc, &depth);
	if (err < 0)
		return err;
	if (depth == 0) {
		fdt_path_append(buf, len, &pos, "");
		return 0;
	}
	for (i = 1; i < depth; i++)		/* anc[0] is the root */
		fdt_path_append(buf, len, &pos, fdt_node_name(f, (int)anc[i]));
	fdt_path_append(buf, len, &pos, fdt_node_name(f, node));
	return 0;
}

/* the property @name among @node's properties: 0, -ERR_NOENT, -ERR_INVAL, -ERR_BADFMT */
static int fdt_prop_find(const struct fdt *f, int node, const char *name, const uint8_t **val,
			 uint32_t *len)
{
	struct fdt_tok t;
	uint32_t off;
	int err;

	if (!name)
		return -ERR_INVAL;
	err = fdt_node_tok(f, node, &t);
	if (err < 0)
		return err;
	for (off = t.next;; off = t.next) {
		err = fdt_token(f, off, &t);
		if (err < 0)
			return err;
		if (t.tag == FDT_PROP) {
			/* fdt_token checked the name is terminated inside the strings block */
			if (strcmp((const char *)f->blob + f->off_strings + t.name, name) == 0) {
				*val = f->blob + f->off_struct + t.val;
				*len = t.len;
				return 0;
			}
		} else if (t.tag != FDT_NOP) {
			return t.tag == FDT_END ? -ERR_BADFMT : -ERR_NOENT;
		}
	}
}

const void *fdt_prop(const struct fdt *f, int node, const char *name, uint32_t *len)
{
	const uint8_t *val;
	uint32_t l;

	if (fdt_prop_find(f, node, name, &val, &l) < 0)
		return NULL;
	if (len)
		*len = l;
	return val;
}

int fdt_prop_u32(const struct fdt *f, int node, const char *name, uint32_t *out)
{
	const uint8_t *val;
	uint32_t len;
	int err = fdt_prop_find(f, node, name, &val, &len);

	if (err < 0)
		return err;
	if (len != 4)
		return -ERR_INVAL;
	*out = fdt_be32(val);
	return 0;
}

int fdt_prop_u64(const struct fdt *f, int node, const char *name, uint64_t *out)
{
	const uint8_t *val;
	uint32_t len;
	int err = fdt_prop_find(f, node, name, &val, &len);

	if (err < 0)
		return err;
	if (len == 4)
		*out = fdt_be32(val);
	else if (len == 8)
		*out = (uint64_t)fdt_be32(val) << 32 | fdt_be32(val + 4);
	else
		return -ERR_INVAL;
	return 0;
}

int fdt_prop_str(const struct fdt *f, int node, const char *name, const char **out)
{
	const uint8_t *val;
	uint32_t len;
	int err = fdt_prop_find(f, node, name, &val, &len);

	if (err < 0)
		return err;
	/* a string list yields its first string, as Linux's of_property_read_string does */
	if (len == 0 || val[len - 1] != '\0')
		return -ERR_INVAL;
	*out = (const char *)val;
	return 0;
}

bool fdt_prop_has_str(const struct fdt *f, int node, const char *name, const char *str)
{
	const uint8_t *val, *nul;
	uint32_t len, off, n;
	size_t want;

	if (!str || fdt_prop_find(f, node, name, &val, &len) < 0)
		return false;
	want = strlen(str) + 1;
	for (off = 0; off < len; off += n) {
		nul = memchr(val + off, 0, len - off);
		if (!nul)
			return false;	/* an unterminated tail is no string */
		n = (uint32_t)(nul - (val + off)) + 1;
		if (n == want && memcmp(val + off, str, n) == 0)
			return true;
	}
	return false;
}

int fdt_next_compatible(const struct fdt *f, int after, const char *compat)
{
	struct fdt_tok t;
	uint32_t off;
	int err;

	if (after == -1) {
		err = fdt_root(f);
		if (err < 0)
			return err;
		off = (uint32_t)err;
	} else {
		/* never -ERR_INVAL: that is -1, which would restart a caller's loop at the root */
		if (fdt_node_tok(f, after, &t) < 0)
			return -ERR_BADFMT;
		off = t.next;
	}
	/* document order is token order */
	for (;; off = t.next) {
		err = fdt_token(f, off, &t);
		if (err < 0)
			return err;
		if (t.tag == FDT_END)
			return -ERR_NOENT;
		if (t.tag == FDT_BEGIN_NODE && fdt_prop_has_str(f, (int)off, "compatible", compat))
			return (int)off;
	}
}

static int fdt_cells(const struct fdt *f, int node, const char *name, int dflt)
{
	uint32_t v;
	int err = fdt_prop_u32(f, node, name, &v);

	if (err == -ERR_NOENT)
		return dflt;
	if (err < 0)
		return err;
	return v > 2 ? -ERR_INVAL : (int)v;
}

int fdt_address_cells(const struct fdt *f, int node)
{
	return fdt_cells(f, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *f, int node)
{
	return fdt_cells(f, node, "#size-cells", 1);
}

/* @n (0..2) big-endian cells at @p */
static uint64_t fdt_read_cells(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 32 | fdt_be32(p + 4 * i);
	return v;
}

int fdt_reg(const struct fdt *f, int node, unsigned idx, uint64_t *addr, uint64_t *size)
{
	const uint8_t *val;
	uint32_t len, entry;
	int parent, ac, sc, err;

	parent = fdt_parent(f, node);
	if (parent == -ERR_NOENT)
		return -ERR_INVAL;	/* the root has no parent to give its reg a meaning */
	if (parent < 0)
		return parent;
	ac = fdt_address_cells(f, parent);
	if (ac < 0)
		return ac;
	sc = fdt_size_cells(f, parent);
	if (sc < 0)
		return sc;
	err = fdt_prop_find(f, node, "reg", &val, &len);
	if (err < 0)
		return err;
	entry = 4 * (uint32_t)(ac + sc);
	if (entry == 0 || len % entry != 0)
		return -ERR_INVAL;
	if (idx >= len / entry)
		return -ERR_NOENT;
	val += (size_t)idx * entry;	/* idx < len / entry: inside the value */
	if (addr)
		*addr = fdt_read_cells(val, ac);
	if (size)
		*size = fdt_read_cells(val + 4 * ac, sc);
	return 0;
}

/* ---- writer ---- */

static int fdtw_fail(struct fdtw *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

static size_t fdtw_room(const struct fdtw *w)
{
	return w->cap - w->strings_len - w->struct_end;
}

int fdtw_init(struct fdtw *w, void *buf, size_t cap)
{
	if (!w)
		return -ERR_INVAL;
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap > FDT_SIZE_MAX ? FDT_SIZE_MAX : cap;
	w->struct_end = FDTW_STRUCT;
	if (!buf)
		return fdtw_fail(w, -ERR_INVAL);
	if (cap < 64)
		return fdtw_fail(w, -ERR_NOSPC);
	return 0;
}

/* the writer accepts another token (not failed, not finished) */
static int fdtw_ok(struct fdtw *w)
{
	if (!w)
		return -ERR_INVAL;
	if (w->err)
		return w->err;
	if (w->depth < 0)
		return fdtw_fail(w, -ERR_INVAL);	/* after fdtw_finish */
	return 0;
}

int fdtw_begin_node(struct fdtw *w, const char *name)
{
	uint64_t need;
	size_t n;
	int err = fdtw_ok(w);

	if (err < 0)
		return err;
	if (!name)
		return fdtw_fail(w, -ERR_INVAL);
	if (w->depth == 0) {
		/* exactly one root, named "" */
		if (w->struct_end != FDTW_STRUCT || name[0])
			return fdtw_fail(w, -ERR_INVAL);
	} else if (!name[0] || strchr(name, '/') || w->depth >= FDT_MAX_DEPTH) {
		return fdtw_fail(w, -ERR_INVAL);
	}
	n = strlen(name) + 1;
	need = 4 + fdt_align4(n);
	if (need > fdtw_room(w))
		return fdtw_fail(w, -ERR_NOSPC);
	fdt_put_be32(w->buf + w->struct_end, FDT_BEGIN_NODE);
	memcpy(w->buf + w->struct_end + 4, name, n);
	memset(w->buf + w->struct_end + 4 + n, 0, (size_t)need - 4 - n);
	w->struct_end += (size_t)need;
	w->depth++;
	return 0;
}

int fdtw_end_node(struct fdtw *w)
{
	int err = fdtw_ok(w);

	if (err < 0)
		return err;
	if (w->depth == 0)
		return fdtw_fail(w, -ERR_INVAL);
	if (fdtw_room(w) < 4)
		return fdtw_fail(w, -ERR_NOSPC);
	fdt_put_be32(w->buf + w->struct_end, FDT_END_NODE);
	w->struct_end += 4;
	w->depth--;
	return 0;
}

/* the last token written is FDT_END_NODE, i.e. a property now would follow a subnode, which
 * readers (libfdt, Linux) ignore. Only a trailing 0x00000002 word needs a walk to tell. */
static bool fdtw_after_subnode(const struct fdtw *w)
{
	size_t off = FDTW_STRUCT, end = w->struct_end;
	const uint8_t *nul;
	uint32_t tag = 0;

	if (fdt_be32(w->buf + end - 4) != FDT_END_NODE)
		return false;
	while (off + 4 <= end) {
		tag = fdt_be32(w->buf + off);
		if (tag == FDT_BEGIN_NODE) {
			nul = memchr(w->buf + off + 4, 0, end - off - 4);
			if (!nul)
				break;
			off = (size_t)fdt_align4((size_t)(nul - w->buf) + 1);
		} else if (tag == FDT_PROP && off + 12 <= end) {
			off = (size_t)fdt_align4(off + 12 + (uint64_t)fdt_be32(w->buf + off + 4));
		} else {
			off += 4;
		}
	}
	return tag == FDT_END_NODE;
}

/* nameoff of @name in the strings block, adding it if no identical string (or suffix of one)
 * is there. The block sits at the top of buf; it grows down by moving, so offsets hold. */
static int fdtw_string(struct fdtw *w, const char *name, uint32_t *nameoff)
{
	size_t n = strlen(name) + 1, i;
	uint8_t *blk = w->buf + w->cap - w->strings_len;

	for (i = 0; i + n <= w->strings_len; i++) {
		if (blk[i] == (uint8_t)name[0] && memcmp(blk + i, name, n) == 0) {
			*nameoff = (uint32_t)i;
			return 0;
		}
	}
	if (n > fdtw_room(w))
		return -ERR_NOSPC;
	memmove(blk - n, blk, w->strings_len);
	memcpy(w->buf + w->cap - n, name, n);
	*nameoff = (uint32_t)w->strings_len;
	w->strings_len += n;
	return 0;
}

/* write a property header for a @len byte value; *@val gets where the value goes (padding
 * after it is zeroed) */
static int fdtw_prop_begin(struct fdtw *w, const char *name, uint32_t len, uint8_t **val)
{
	uint32_t nameoff;
	uint64_t need;
	int err = fdtw_ok(w);

	if (err < 0)
		return err;
	if (!name || !name[0] || w->depth == 0 || fdtw_after_subnode(w))
		return fdtw_fail(w, -ERR_INVAL);
	err = fdtw_string(w, name, &nameoff);
	if (err < 0)
		return fdtw_fail(w, err);
	need = 12 + fdt_align4(len);
	if (need > fdtw_room(w))
		return fdtw_fail(w, -ERR_NOSPC);
	fdt_put_be32(w->buf + w->struct_end, FDT_PROP);
	fdt_put_be32(w->buf + w->struct_end + 4, len);
	fdt_put_be32(w->buf + w->struct_end + 8, nameoff);
	*val = w->buf + w->struct_end + 12;
	memset(*val + len, 0, (size_t)need - 12 - len);
	w->struct_end += (size_t)need;
	return 0;
}

int fdtw_prop(struct fdtw *w, const char *name, const void *val, uint32_t len)
{
	uint8_t *dst;
	int err;

	if (w && !w->err && len && !val)
		return fdtw_fail(w, -ERR_INVAL);
	err = fdtw_prop_begin(w, name, len, &dst);
	if (err < 0)
		return err;
	if (len)
		memmove(dst, val, len);
	return 0;
}

int fdtw_prop_empty(struct fdtw *w, const char *name)
{
	return fdtw_prop(w, name, NULL, 0);
}

int fdtw_prop_u32(struct fdtw *w, const char *name, uint32_t v)
{
	return fdtw_prop_cells(w, name, &v, 1);
}

int fdtw_prop_u64(struct fdtw *w, const char *name, uint64_t v)
{
	uint32_t cells[2] = { (uint32_t)(v >> 32), (uint32_t)v };

	return fdtw_prop_cells(w, name, cells, 2);
}

int fdtw_prop_str(struct fdtw *w, const char *name, const char *s)
{
	return fdtw_prop_strs(w, name, &s, 1);
}

int fdtw_prop_strs(struct fdtw *w, const char *name, const char *const *s, unsigned n)
{
	uint64_t total = 0;
	uint8_t *dst;
	size_t l;
	unsigned i;
	int err;

	if (w && !w->err) {
		if (n && !s)
			return fdtw_fail(w, -ERR_INVAL);
		for (i = 0; i < n; i++) {
			if (!s[i])
				return fdtw_fail(w, -ERR_INVAL);
			total += strlen(s[i]) + 1;
			if (total > FDT_SIZE_MAX)
				return fdtw_fail(w, -ERR_NOSPC);
		}
	}
	err = fdtw_prop_begin(w, name, (uint32_t)total, &dst);
	if (err < 0)
		return err;
	for (i = 0; i < n; i++) {
		l = strlen(s[i]) + 1;
		memcpy(dst, s[i], l);
		dst += l;
	}
	return 0;
}

int fdtw_prop_cells(struct fdtw *w, const char *name, const uint32_t *cells, unsigned n)
{
	uint8_t *dst;
	unsigned i;
	int err;

	if (w && !w->err) {
		if (n && !cells)
			return fdtw_fail(w, -ERR_INVAL);
		if (n > FDT_SIZE_MAX / 4)
			return fdtw_fail(w, -ERR_NOSPC);
	}
	err = fdtw_prop_begin(w, name, 4 * (uint32_t)n, &dst);
	if (err < 0)
		return err;
	for (i = 0; i < n; i++)
		fdt_put_be32(dst + 4 * i, cells[i]);
	return 0;
}

int fdtw_finish(struct fdtw *w, size_t *total)
{
	uint8_t *b;
	size_t size;
	int err = fdtw_ok(w);

	if (err < 0)
		return err;
	if (w->depth != 0 || w->struct_end == FDTW_STRUCT)
		return fdtw_fail(w, -ERR_INVAL);	/* unbalanced, or no root */
	if (fdtw_room(w) < 4)
		return fdtw_fail(w, -ERR_NOSPC);
	b = w->buf;
	fdt_put_be32(b + w->struct_end, FDT_END);
	w->struct_end += 4;
	memmove(b + w->struct_end, b + w->cap - w->strings_len, w->strings_len);
	size = w->struct_end + w->strings_len;

	memset(b, 0, FDTW_STRUCT);	/* the reservation map is just its terminator */
	fdt_put_be32(b + HDR_MAGIC, FDT_MAGIC);
	fdt_put_be32(b + HDR_TOTALSIZE, (uint32_t)size);
	fdt_put_be32(b + HDR_OFF_STRUCT, FDTW_STRUCT);
	fdt_put_be32(b + HDR_OFF_STRINGS, (uint32_t)w->struct_end);
	fdt_put_be32(b + HDR_OFF_RSVMAP, FDT_HDR_SIZE);
	fdt_put_be32(b + HDR_VERSION, 17);
	fdt_put_be32(b + HDR_LAST_COMP, 16);
	fdt_put_be32(b + HDR_BOOT_CPUID, 0);
	fdt_put_be32(b + HDR_SIZE_STRINGS, (uint32_t)w->strings_len);
	fdt_put_be32(b + HDR_SIZE_STRUCT, (uint32_t)(w->struct_end - FDTW_STRUCT));
	w->depth = -1;		/* closed: further calls fail */
	if (total)
		*total = size;
	return 0;
}
