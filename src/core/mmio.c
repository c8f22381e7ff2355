/* mmio.c - registration and lookup of emulated device regions of a cell. */
#include <stddef.h>
#include "core/mmio.h"
#include "lib/err.h"

int mmio_register(struct mmio_bus *b, uint64_t ipa, uint64_t size, const struct mmio_ops *ops,
		  void *dev)
{
	if (!ops || !ops->access)
		return -ERR_INVAL;
	if (size == 0 || ipa + size < ipa)
		return -ERR_RANGE;
	for (uint32_t i = 0; i < b->nr; i++) {
		const struct mmio_region *r = &b->r[i];

		if (ipa < r->ipa + r->size && r->ipa < ipa + size)
			return -ERR_EXIST;
	}
	if (b->nr >= MMIO_MAX_REGIONS)
		return -ERR_NOMEM;
	b->r[b->nr++] = (struct mmio_region){ .ipa = ipa, .size = size, .ops = ops, .dev = dev };
	return 0;
}

void mmio_reset_all(struct mmio_bus *b)
{
	for (uint32_t i = 0; i < b->nr && i < MMIO_MAX_REGIONS; i++)
		if (b->r[i].ops->reset)
			b->r[i].ops->reset(b->r[i].dev);
}

void mmio_destroy_all(struct mmio_bus *b)
{
	for (uint32_t i = 0; i < b->nr && i < MMIO_MAX_REGIONS; i++)
		if (b->r[i].ops->destroy)
			b->r[i].ops->destroy(b->r[i].dev);
	__atomic_store_n(&b->hint, 0, __ATOMIC_RELAXED);
	b->nr = 0;
}
