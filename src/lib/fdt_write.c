/* fdt_write.c - sequential flattened device tree writer with sticky errors. */
#include <string.h>

#include "err.h"
#include "fdt.h"
#include "fdt_format.h"

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
	w->after_end = false;
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
	w->after_end = true;
	return 0;
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
	if (!name || !name[0] || w->depth == 0 || w->after_end)
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
