/* fdt.h - flattened device tree reader and writer (Devicetree Specification v0.4, ch. 5).
 *
 * Pure C, no EL2 dependencies: the same code parses the platform DTB and the system description
 * at EL2, packs images on the build host, and is unit-tested and fuzzed there. Every read is
 * bounds-checked against the blob size: a hostile or truncated blob yields an error, never an
 * out-of-bounds access. Node handles are byte offsets into the structure block (>= 0); negative
 * values are -ERR_x codes (src/lib/err.h).
 */
#ifndef CELLA_LIB_FDT_H
#define CELLA_LIB_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_MAX_DEPTH 32	/* deeper trees are refused (-ERR_BADFMT) */

struct fdt {
	const uint8_t *blob;
	uint32_t totalsize;
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
};

/* fdt_open - validate the header of the blob at @blob (@bufsize bytes available) and fill @f.
 * Checks magic, version >= 16 (last compatible <= 17), totalsize <= bufsize, and that the
 * structure and strings blocks lie inside totalsize without overflow.
 * Returns 0, -ERR_BADFMT, or -ERR_RANGE. */
int fdt_open(struct fdt *f, const void *blob, size_t bufsize);

/* fdt_totalsize_hint - read totalsize from a header of at least 40 bytes, 0 if not an FDT. */
uint32_t fdt_totalsize_hint(const void *blob, size_t bufsize);

/* fdt_root - the root node, or -ERR_BADFMT. */
int fdt_root(const struct fdt *f);

/* fdt_first_child / fdt_next_sibling - walk the tree. Return a node, -ERR_NOENT at the end, or
 * -ERR_BADFMT on a malformed structure block. */
int fdt_first_child(const struct fdt *f, int node);
int fdt_next_sibling(const struct fdt *f, int node);

/* fdt_parent - the parent of @node (found by a walk from the root), -ERR_NOENT for the root. */
int fdt_parent(const struct fdt *f, int node);

/* fdt_node_name - the node's name with unit address ("cpu@0"); "" for the root; NULL if bad. */
const char *fdt_node_name(const struct fdt *f, int node);

/* fdt_find_path - node at an absolute @path ("/cells/linux"). A component matches a node name
 * exactly, or the name without its unit address ("memory" matches "memory@40000000").
 * Returns the node or -ERR_NOENT / -ERR_BADFMT. */
int fdt_find_path(const struct fdt *f, const char *path);

/* fdt_node_path - write the absolute path of @node into @buf (@len bytes, NUL-terminated,
 * truncated if needed). Returns 0 or a negative error. */
int fdt_node_path(const struct fdt *f, int node, char *buf, size_t len);

/* fdt_prop - value of property @name of @node; *@len gets its length in bytes.
 * Returns NULL if absent or the blob is malformed. */
const void *fdt_prop(const struct fdt *f, int node, const char *name, uint32_t *len);

/* Typed property readers. Values are big-endian cells in the blob, host order out.
 * Return 0, -ERR_NOENT (absent), or -ERR_INVAL (wrong length / not a NUL-terminated string).
 * fdt_prop_u64 accepts 1 or 2 cells. */
int fdt_prop_u32(const struct fdt *f, int node, const char *name, uint32_t *out);
int fdt_prop_u64(const struct fdt *f, int node, const char *name, uint64_t *out);
int fdt_prop_str(const struct fdt *f, int node, const char *name, const char **out);

/* fdt_prop_has_str - true if string-list property @name contains @str (e.g. "compatible"). */
bool fdt_prop_has_str(const struct fdt *f, int node, const char *name, const char *str);

/* fdt_next_compatible - next node after @after (document order; pass -1 to start at the root)
 * whose "compatible" contains @compat. Returns a node or -ERR_NOENT. */
int fdt_next_compatible(const struct fdt *f, int after, const char *compat);

/* fdt_address_cells / fdt_size_cells - #address-cells / #size-cells of @node itself
 * (defaults 2 and 1 when absent; values > 2 give -ERR_INVAL). */
int fdt_address_cells(const struct fdt *f, int node);
int fdt_size_cells(const struct fdt *f, int node);

/* fdt_reg - entry @idx of @node's "reg", decoded with its parent's #address-cells/#size-cells.
 * Returns 0, -ERR_NOENT (no such entry), or -ERR_INVAL. */
int fdt_reg(const struct fdt *f, int node, unsigned idx, uint64_t *addr, uint64_t *size);

/* fdt_read_cells - the value of @n (0..2) big-endian cells at @p (read byte by byte: any
 * alignment), e.g. from a property's value. */
uint64_t fdt_read_cells(const void *p, int n);

/* Sequential FDT writer into a caller buffer. Errors are sticky: after the first failure every
 * call returns the same error, so callers may check only fdtw_finish(). Property values given as
 * cells are host-order uint32_t and written big-endian. */
struct fdtw {
	uint8_t *buf;
	size_t cap;
	size_t struct_end;	/* end of structure block written so far */
	size_t strings_len;	/* strings are staged at the top of buf, growing down */
	int depth;
	int err;
	bool after_end;		/* the last token is FDT_END_NODE: a property now would follow a
				   subnode, which readers (libfdt, Linux) ignore */
};

/* fdtw_init - start a blob in @buf of @cap bytes (>= 64). Returns 0 or -ERR_NOSPC. */
int fdtw_init(struct fdtw *w, void *buf, size_t cap);
int fdtw_begin_node(struct fdtw *w, const char *name);	/* "" for the root */
int fdtw_end_node(struct fdtw *w);
int fdtw_prop(struct fdtw *w, const char *name, const void *val, uint32_t len);
int fdtw_prop_empty(struct fdtw *w, const char *name);
int fdtw_prop_u32(struct fdtw *w, const char *name, uint32_t v);
int fdtw_prop_u64(struct fdtw *w, const char *name, uint64_t v);	/* two cells */
int fdtw_prop_str(struct fdtw *w, const char *name, const char *s);
int fdtw_prop_strs(struct fdtw *w, const char *name, const char *const *s, unsigned n);
int fdtw_prop_cells(struct fdtw *w, const char *name, const uint32_t *cells, unsigned n);

/* fdtw_finish - close the blob (all nodes must be ended), write the header (version 17,
 * boot_cpuid 0, empty memory reservation map) and the strings block.
 * *@total gets totalsize in bytes. Returns 0 or the first error (-ERR_NOSPC, -ERR_INVAL). */
int fdtw_finish(struct fdtw *w, size_t *total);

#endif
