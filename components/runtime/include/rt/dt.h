/* dt.h - a small read-only reader of the flattened device tree cella gives the cell (Devicetree
 * Specification v0.4, chapter 5 "Flattened Devicetree (DTB) Format"). Node handles are byte
 * offsets into the structure block; every read is bounds-checked against the blob's header.
 * Safe to call before the MMU is on (only aligned 32-bit and byte loads). */
#ifndef RT_DT_H
#define RT_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* dt_init - adopt the DTB at @blob (its IPA = VA, from x0 at entry, booting.rst). Checks the
 * magic, version >= 16, and that its blocks lie inside totalsize <= 2 MiB.
 * Returns 0, or -1 (the other dt_* calls then find nothing). */
int dt_init(const void *blob);

/* dt_blob - the DTB adopted by dt_init, or NULL. */
const void *dt_blob(void);

/* dt_root - the root node's handle, or -1 without a DTB. */
int dt_root(void);

/* dt_find - the node at absolute @path ("/chosen", "/memory"); a path component without '@'
 * also matches a node whose name has a unit address ("memory" matches "memory@40000000").
 * Returns its handle, or -1. */
int dt_find(const char *path);

/* dt_child - the first child of @node after the child @after (-1: its first child), in
 * document order. Returns its handle, or -1 when there is none. */
int dt_child(int node, int after);

/* dt_name - the name of @node, unit address included ("memory@40000000"), or NULL. */
const char *dt_name(int node);

/* dt_find_compatible - the first node after handle @after (-1: from the start) whose
 * "compatible" list contains @compat. Returns its handle, or -1. */
int dt_find_compatible(int after, const char *compat);

/* dt_prop - property @name of node @node: a pointer into the blob and its length in bytes in
 * *@len (may be NULL). Values are big-endian. Returns NULL if the node has no such property. */
const void *dt_prop(int node, const char *name, uint32_t *len);

/* dt_prop_str - property @name as a NUL-terminated string (checked), or NULL. */
const char *dt_prop_str(int node, const char *name);

/* dt_prop_u32 - cell @index of property @name in *@val. Returns 0, or -1 if absent/short. */
int dt_prop_u32(int node, const char *name, unsigned index, uint32_t *val);

/* dt_prop_u64 - property @name of one or two cells (a 64-bit value, big-endian) in *@val.
 * Returns 0, or -1 if absent or of another length. */
int dt_prop_u64(int node, const char *name, uint64_t *val);

/* dt_reg - entry @index of the "reg" of a child of the root (the root's #address-cells and
 * #size-cells): IPA in *@base, size in bytes in *@size. Returns 0, or -1 if absent. */
int dt_reg(int node, unsigned index, uint64_t *base, uint64_t *size);

#endif
