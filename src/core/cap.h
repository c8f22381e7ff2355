/* cap.h - capabilities and the cspace: a cell's fixed table of slots, each empty or holding a
 * capability {object, type, rights} (include/cella/abi.h). Pure C, unit-tested and fuzzed on
 * the host. The caller holds the cspace's lock (one per cell); nothing here sleeps or
 * allocates.
 *
 * Every operation validates everything it is given (slot range, emptiness, type, rights)
 * before it changes anything, and answers an empty slot and a capability whose object no
 * longer exists alike (CELLA_E_NOCAP). Slots are guest-supplied 64-bit values: any value,
 * negative as signed or huge, is handled. */
#ifndef CELLA_CORE_CAP_H
#define CELLA_CORE_CAP_H

#include <stdbool.h>
#include <stdint.h>
#include <cella/abi.h>

struct cap {
	uint32_t type;		/* CELLA_CAP_*; CELLA_CAP_NONE: the slot is empty */
	uint32_t rights;	/* CELLA_R_* bits valid for the type */
	uint32_t obj;		/* the object's number among objects of its type; its meaning is
				 * the core's (a cell id; for a vCPU, sysdesc.h SYSDESC_VCPU_OBJ) */
};

struct cspace {
	struct cap slot[CELLA_CSPACE_SLOTS];
};

/* cap_type_rights - the rights bits that exist for capabilities of @type (0 for an unknown
 * type or CELLA_CAP_NONE). */
uint32_t cap_type_rights(uint32_t type);

/* cspace_clear - empty every slot of @cs. */
void cspace_clear(struct cspace *cs);

/* cap_grant - put {@type, @obj, @rights} into @slot of @cs (boot: building a cspace from the
 * description). Returns 0; CELLA_E_RANGE (slot outside), CELLA_E_FULL (slot in use),
 * CELLA_E_INVAL (type unknown or NONE, rights beyond the type's). */
int cap_grant(struct cspace *cs, uint64_t slot, uint32_t type, uint32_t obj, uint32_t rights);

/* cap_lookup - the capability in @slot, which must be of @type and hold every right in
 * @need; *@out gets a copy. @exists (may be NULL) says whether its object still exists.
 * Returns 0; CELLA_E_RANGE, CELLA_E_NOCAP (empty, or object gone), CELLA_E_TYPE,
 * CELLA_E_PERM, checked in that order. */
int cap_lookup(const struct cspace *cs, uint64_t slot, uint32_t type, uint32_t need,
	       bool (*exists)(uint32_t type, uint32_t obj), struct cap *out);

/* cap_identify - the type and rights in @slot (CELLA_FN_CAP_IDENTIFY). Returns 0,
 * CELLA_E_RANGE, CELLA_E_NOCAP. */
int cap_identify(const struct cspace *cs, uint64_t slot,
		 bool (*exists)(uint32_t type, uint32_t obj), uint32_t *type, uint32_t *rights);

/* cap_copy - copy the capability in @src into the empty slot @dst with rights
 * (src rights & @mask): the same or fewer, never more (CELLA_FN_CAP_COPY). @mask is a
 * guest value: bits outside the type's rights are refused. Returns 0; CELLA_E_RANGE (either
 * slot outside), CELLA_E_NOCAP (src empty or its object gone), CELLA_E_INVAL (mask has bits
 * the type does not define), CELLA_E_FULL (dst in use, including dst == src). Nothing changes
 * unless it returns 0. */
int cap_copy(struct cspace *cs, uint64_t src, uint64_t dst, uint64_t mask,
	     bool (*exists)(uint32_t type, uint32_t obj));

/* cap_delete - empty @slot (CELLA_FN_CAP_DELETE). Returns 0, CELLA_E_RANGE, CELLA_E_NOCAP
 * (already empty). */
int cap_delete(struct cspace *cs, uint64_t slot);

#endif
