/* cap.c - capabilities and the cspace (cap.h). */
#include <stddef.h>
#include <string.h>
#include "core/cap.h"

uint32_t cap_type_rights(uint32_t type)
{
	switch (type) {
	case CELLA_CAP_CELL:
		return CELLA_R_CELL_ALL;
	case CELLA_CAP_VCPU:
		return CELLA_R_VCPU_ALL;
	case CELLA_CAP_CHANNEL:
		return CELLA_R_CHAN_ALL;
	default:
		return 0;
	}
}

void cspace_clear(struct cspace *cs)
{
	memset(cs, 0, sizeof(*cs));
}

/* the capability in @slot if it is in range and holds a live object, else NULL; @rc gets why */
static struct cap *cap_at(const struct cspace *cs, uint64_t slot,
			  bool (*exists)(uint32_t type, uint32_t obj), int *rc)
{
	const struct cap *c;

	if (slot >= CELLA_CSPACE_SLOTS) {
		*rc = CELLA_E_RANGE;
		return NULL;
	}
	c = &cs->slot[slot];
	if (c->type == CELLA_CAP_NONE || (exists && !exists(c->type, c->obj))) {
		*rc = CELLA_E_NOCAP;
		return NULL;
	}
	*rc = 0;
	return (struct cap *)(uintptr_t)c;
}

int cap_grant(struct cspace *cs, uint64_t slot, uint32_t type, uint32_t obj, uint32_t rights)
{
	uint32_t valid = cap_type_rights(type);

	if (slot >= CELLA_CSPACE_SLOTS)
		return CELLA_E_RANGE;
	if (!valid || (rights & ~valid))
		return CELLA_E_INVAL;
	if (cs->slot[slot].type != CELLA_CAP_NONE)
		return CELLA_E_FULL;
	cs->slot[slot] = (struct cap){ .type = type, .rights = rights, .obj = obj };
	return 0;
}

int cap_lookup(const struct cspace *cs, uint64_t slot, uint32_t type, uint32_t need,
	       bool (*exists)(uint32_t type, uint32_t obj), struct cap *out)
{
	int rc;
	const struct cap *c = cap_at(cs, slot, exists, &rc);

	if (!c)
		return rc;
	if (c->type != type)
		return CELLA_E_TYPE;
	if ((c->rights & need) != need)
		return CELLA_E_PERM;
	*out = *c;
	return 0;
}

int cap_identify(const struct cspace *cs, uint64_t slot,
		 bool (*exists)(uint32_t type, uint32_t obj), uint32_t *type, uint32_t *rights)
{
	int rc;
	const struct cap *c = cap_at(cs, slot, exists, &rc);

	if (!c)
		return rc;
	*type = c->type;
	*rights = c->rights;
	return 0;
}

int cap_copy(struct cspace *cs, uint64_t src, uint64_t dst, uint64_t mask,
	     bool (*exists)(uint32_t type, uint32_t obj))
{
	int rc;
	const struct cap *s = cap_at(cs, src, exists, &rc);
	struct cap copy;

	if (!s)
		return rc;
	if (dst >= CELLA_CSPACE_SLOTS)
		return CELLA_E_RANGE;
	if (mask & ~(uint64_t)cap_type_rights(s->type))
		return CELLA_E_INVAL;
	if (cs->slot[dst].type != CELLA_CAP_NONE)
		return CELLA_E_FULL;
	copy = *s;
	copy.rights &= (uint32_t)mask;		/* the same or fewer, never more */
	cs->slot[dst] = copy;
	return 0;
}

int cap_delete(struct cspace *cs, uint64_t slot)
{
	if (slot >= CELLA_CSPACE_SLOTS)
		return CELLA_E_RANGE;
	if (cs->slot[slot].type == CELLA_CAP_NONE)
		return CELLA_E_NOCAP;
	cs->slot[slot] = (struct cap){ 0 };
	return 0;
}
