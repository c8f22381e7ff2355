/* mmio.h - the one interface for emulated devices: a device is an ops table registered on an
 * IPA range of a cell; a guest load or store there that traps is handed to its access handler.
 * A device owns its state and its lock: its type's create function (e.g. vpl011_create) makes
 * the state and registers it here; the bus then resets it at each cell (re)load and destroys it
 * with the cell. Pure C; unit-tested on the host. */
#ifndef CELLA_CORE_MMIO_H
#define CELLA_CORE_MMIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MMIO_MAX_REGIONS 8

struct mmio_ops {
	const char *name;
	/* access - @offset bytes into the region, @size 1/2/4/8 bytes, by vCPU @vcpu; reads
	 * fill *@val. Returns 0 or -ERR_INVAL (the guest gets an abort). */
	int (*access)(void *dev, uint32_t vcpu, uint64_t offset, unsigned size, bool write,
		      uint64_t *val);
	/* reset - back to the state the device has when its cell (re)starts, with no vCPU of
	 * the cell running (optional) */
	void (*reset)(void *dev);
	/* destroy - release the device's state; its region is gone from the bus (optional) */
	void (*destroy)(void *dev);
};

struct mmio_region {
	uint64_t ipa, size;
	const struct mmio_ops *ops;
	void *dev;
};

struct mmio_bus {
	uint32_t nr;
	uint32_t hint;			/* the region found last: tried first (a racy hint, always
					   bounds-checked; regions are never removed) */
	struct mmio_region r[MMIO_MAX_REGIONS];
};

/* mmio_register - add device @dev with @ops on IPA [ipa, ipa+size). Refuses size 0 or
 * overflow (-ERR_RANGE), an overlap with a registered region (-ERR_EXIST), a full bus
 * (-ERR_NOMEM), NULL ops (-ERR_INVAL). */
int mmio_register(struct mmio_bus *b, uint64_t ipa, uint64_t size, const struct mmio_ops *ops,
		  void *dev);

/* mmio_reset_all - call every registered device's reset, in registration order. */
void mmio_reset_all(struct mmio_bus *b);

/* mmio_destroy_all - call every registered device's destroy and empty the bus. */
void mmio_destroy_all(struct mmio_bus *b);

/* mmio_contains - [ipa, ipa+size) lies inside @r (@size > 0). Offset and end are computed
 * relative to the region, so no overflow is possible. */
static inline bool mmio_contains(const struct mmio_region *r, uint64_t ipa, unsigned size)
{
	return ipa >= r->ipa && ipa - r->ipa < r->size && size <= r->size - (ipa - r->ipa);
}

/* mmio_find - the region containing the whole access [ipa, ipa+size), or NULL. An access
 * straddling the end of a region is not contained (NULL). Tries the region found last first
 * (a guest polling one device hits it at once), so it updates @b's hint. Inline: it is on
 * every MMIO trap. */
static inline const struct mmio_region *mmio_find(struct mmio_bus *b, uint64_t ipa,
						  unsigned size)
{
	uint32_t h = __atomic_load_n(&b->hint, __ATOMIC_RELAXED);

	if (size == 0 || ipa + size < ipa)
		return NULL;
	/* nr <= MMIO_MAX_REGIONS (mmio_register), so h < nr bounds the array too */
	if (h < b->nr && mmio_contains(&b->r[h], ipa, size))
		return &b->r[h];
	for (uint32_t i = 0; i < b->nr && i < MMIO_MAX_REGIONS; i++) {
		if (mmio_contains(&b->r[i], ipa, size)) {
			__atomic_store_n(&b->hint, i, __ATOMIC_RELAXED);
			return &b->r[i];
		}
	}
	return NULL;
}

#endif
