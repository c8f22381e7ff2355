/* hypercall.h - cella's hypercalls (include/cella/abi.h, docs/abi.md): decode a call, look
 * its capability up in the caller's cspace, invoke. Pure C over an environment of callbacks,
 * so the whole path is unit-tested and fuzzed on the host; the core supplies the real one. */
#ifndef CELLA_CORE_HYPERCALL_H
#define CELLA_CORE_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>
#include "core/cap.h"

enum hc_cell_op {
	HC_CELL_START = 0,
	HC_CELL_STOP,
	HC_CELL_RESTART,
};

/* what a hypercall needs from the core, for the calling cell */
struct hc_env {
	struct cspace *cs;			/* the caller's cspace */
	void *ctx;				/* passed to every callback */
	/* the cspace's lock: held while a slot is read or changed, never while invoking */
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
	/* does object @obj of @type exist (a capability to a missing object is no capability) */
	bool (*exists)(uint32_t type, uint32_t obj);
	/* CELLA_FN_CELL_QUERY on cell @obj: x1, x2, x3 as abi.h defines them */
	void (*cell_query)(void *ctx, uint32_t obj, uint64_t *state, uint64_t *reason,
			   uint64_t *detail);
	/* start, stop or restart cell @obj; returns CELLA_OK or CELLA_E_BUSY */
	int (*cell_control)(void *ctx, uint32_t obj, enum hc_cell_op op);
	/* CELLA_FN_VCPU_QUERY on vCPU @obj: x1 state (CELLA_VCPU_*), x2 its pCPU, x3 its index
	 * in its cell */
	void (*vcpu_query)(void *ctx, uint32_t obj, uint64_t *state, uint64_t *pcpu,
			   uint64_t *index);
	/* CELLA_FN_CHAN_INFO on channel end @obj: x1 IPA, x2 size, x3 flags (abi.h) */
	void (*chan_info)(void *ctx, uint32_t obj, uint64_t *ipa, uint64_t *size,
			  uint64_t *flags);
	/* ring the peer of channel end @obj */
	void (*chan_notify)(void *ctx, uint32_t obj);
	/* CELLA_FN_WAIT for the calling vCPU, @ns nanoseconds at most: CELLA_OK (an interrupt
	 * is pending, or the vCPU now waits for one: the core answers CELLA_E_TIMEOUT in its
	 * x0 if the time passes first) or CELLA_E_TIMEOUT. NULL where a caller cannot wait
	 * (the portal): WAIT and CHAN_CALL answer CELLA_E_NOT_SUPPORTED. */
	int (*wait)(void *ctx, uint64_t ns);
};

/* hc_owns - @x0 names a call in cella's range: an SMCCC fast call with owner 6 (vendor
 * hypervisor service), SMC32 or SMC64, and bits 63:32 clear (DEN0028 2.5). Inline: it is
 * tested on every SMCCC call. */
static inline bool hc_owns(uint64_t x0)
{
	return !(x0 >> 32) && (x0 & (1u << 31)) && ((x0 >> 24) & 0x3fu) == 6u;
}

/* hypercall - perform the call in @x[0] with arguments @x[1..6] for the caller described by
 * @env, and write the status to @x[0] and results to @x[1..3] (untouched when the call has
 * none; the standard queries return their values from x0, as DEN0028 defines). Everything is
 * validated before any state changes. Unknown IDs answer CELLA_E_NOT_SUPPORTED (-1, SMCCC
 * NOT_SUPPORTED). */
void hypercall(const struct hc_env *env, uint64_t x[7]);

#endif
