/* fdt.c - flattened device tree reader, bounds-checked against hostile blobs. */
#include <string.h>

#include "err.h"
#include "fdt.h"
#include "fdt_format.h"

uint64_t fdt_read_cells(const void *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt_be32((const uint8_t *)p + 4 * i);
	return v;
}

/* one decoded token; offsets are relative to the start of the structure block */
struct fdt_tok {
	uint32_t tag;
	uint32_t next;		/* offset of the following token */
	uint32_t name;		/* BEGIN_NODE: offset of the name; PROP: nameoff in strings */
	uint32_t val;		/* PROP: offset of the value */
	uint32_t len;		/* PROP: length of the value */
};

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
		/* the name must be a NUL-terminated string inside the strings block: certain
		 * at once when the block ends in a NUL (as dtc writes it), else scan for one */
		if (t->name >= f->size_strings ||
		    (f->blob[f->off_strings + f->size_strings - 1] != '\0' &&
		     !memchr(f->blob + f->off_strings + t->name, 0, f->size_strings - t->name)))
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
	anc[depth] = (uint32_t)node;		/* depth < FDT_MAX_DEPTH */
	for (i = 1; i <= depth; i++)		/* anc[0] is the root */
		fdt_path_append(buf, len, &pos, fdt_node_name(f, (int)anc[i]));
	if (depth == 0)
		fdt_path_append(buf, len, &pos, "");	/* the root is "/" */
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

/* property @name as one cell, or as two if @max_len is 8 */
static int fdt_prop_num(const struct fdt *f, int node, const char *name, uint32_t max_len,
			uint64_t *out)
{
	const uint8_t *val;
	uint32_t len;
	int err = fdt_prop_find(f, node, name, &val, &len);

	if (err < 0)
		return err;
	if (len != 4 && len != max_len)
		return -ERR_INVAL;
	*out = fdt_read_cells(val, (int)len / 4);
	return 0;
}

int fdt_prop_u32(const struct fdt *f, int node, const char *name, uint32_t *out)
{
	uint64_t v;
	int err = fdt_prop_num(f, node, name, 4, &v);

	if (!err)
		*out = (uint32_t)v;
	return err;
}

int fdt_prop_u64(const struct fdt *f, int node, const char *name, uint64_t *out)
{
	return fdt_prop_num(f, node, name, 8, out);
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

/* the string list @val (@len bytes) holds @str */
static bool fdt_strlist_has(const uint8_t *val, uint32_t len, const char *str)
{
	const uint8_t *nul;
	uint32_t off, n;
	size_t want = strlen(str) + 1;

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

bool fdt_prop_has_str(const struct fdt *f, int node, const char *name, const char *str)
{
	const uint8_t *val;
	uint32_t len;

	if (!str || fdt_prop_find(f, node, name, &val, &len) < 0)
		return false;
	return fdt_strlist_has(val, len, str);
}

int fdt_next_compatible(const struct fdt *f, int after, const char *compat)
{
	struct fdt_tok t;
	uint32_t off;
	int err, node;

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
	if (!compat)
		return -ERR_NOENT;
	/* document order is token order; one pass: a node's properties are the PROP (and NOP)
	 * tokens right after it, as fdt_prop_find reads them */
	for (node = -1;; off = t.next) {
		err = fdt_token(f, off, &t);
		if (err < 0)
			return err;
		switch (t.tag) {
		case FDT_END:
			return -ERR_NOENT;
		case FDT_BEGIN_NODE:
			node = (int)off;
			break;
		case FDT_PROP:
			/* the node's first "compatible" decides, as fdt_prop_find reads it */
			if (node >= 0 &&
			    strcmp((const char *)f->blob + f->off_strings + t.name, "compatible") == 0) {
				if (fdt_strlist_has(f->blob + f->off_struct + t.val, t.len, compat))
					return node;
				node = -1;
			}
			break;
		case FDT_NOP:
			break;
		default:
			node = -1;	/* FDT_END_NODE: no properties until the next node */
			break;
		}
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
