/* chan.c - channels (chan.h): memory, mappings, doorbells, peer events. */
#include <stdint.h>
#include <string.h>
#include <cella/abi.h>
#include "core/boot.h"
#include "core/cell.h"
#include "core/chan.h"
#include "core/virq.h"
#include "dev/vpci.h"
#include "lib/err.h"
#include "lib/log.h"

static const struct sysdesc *sd;
static uint64_t chan_pa[SYSDESC_MAX_CHANS];	/* host PA of each channel's memory */
static struct vpci pcis[CELLA_MAX_CELLS];	/* each cell's virtual PCI (if it has channels) */

int chan_alloc_all(const struct sysdesc *d)
{
	sd = d;
	for (uint32_t k = 0; k < d->nr_chans; k++) {
		if (memmap_alloc(boot_machine_mem(), d->chans[k].size, SZ_4K, &chan_pa[k])) {
			pr_err("%s: size is %llu KiB but only %llu KiB of RAM is free\n",
			       d->chans[k].path, (unsigned long long)(d->chans[k].size >> 10),
			       (unsigned long long)(memmap_free_bytes(boot_machine_mem()) >> 10));
			return -ERR_NOMEM;
		}
		/* scrubbed once, before either end can map it (EL2 maps RAM VA = PA) */
		memset((void *)(uintptr_t)chan_pa[k], 0, d->chans[k].size);
	}
	return 0;
}

/* the peer cell of @c's end @i, and the index of the channel among the peer's ends */
static struct cell *chan_peer(struct cell *c, uint32_t i, uint32_t *pi)
{
	const struct sysdesc_end *e = &c->desc->ends[i];
	const struct sysdesc_chan *ch = &sd->chans[e->chan];

	*pi = ch->idx[!e->end];
	return cell_get(ch->cell[!e->end]);	/* NULL while it is not created yet (boot) */
}

void chan_ring(struct cell *c, uint32_t i, uint32_t bits)
{
	uint32_t pi;
	struct cell *p = chan_peer(c, i, &pi);

	if (!p)
		return;
	vpci_ring(&pcis[cell_index(p)], pi, bits);
	virq_pulse(p, VPCI_DOORBELL_INTID(pi));
}

void chan_peer_event(struct cell *c)
{
	for (uint32_t i = 0; i < c->desc->nr_ends; i++)
		chan_ring(c, i, VPCI_INTR_PEER);
}

static bool chan_peer_running(void *ctx, uint32_t i)
{
	uint32_t pi;
	struct cell *p = chan_peer(ctx, i, &pi);

	return p && cell_running(p);
}

void chan_info(struct cell *c, uint32_t obj, uint64_t *ipa, uint64_t *size, uint64_t *flags)
{
	const struct sysdesc_end *e = &c->desc->ends[obj];

	*ipa = VPCI_SHM_IPA + obj * VPCI_SHM_STRIDE;
	*size = e->size;
	*flags = e->rights | (chan_peer_running(c, obj) ? CELLA_CHAN_PEER_RUNNING : 0) |
		 (e->end ? CELLA_CHAN_END1 : 0) | (uint64_t)VPCI_DOORBELL_INTID(obj) << 32;
}

/* ---- the cell's virtual PCI (dev/vpci.h) ---- */

static void pci_set_irq(void *ctx, uint32_t intid, bool level)
{
	virq_set_level(ctx, intid, level);
}

static void pci_notify(void *ctx, uint32_t i)
{
	chan_ring(ctx, i, VPCI_INTR_DOORBELL);
}

static void pci_portal_call(void *ctx, uint64_t x[7])
{
	hypercall(&((struct cell *)ctx)->portal_env, x);
}

static const struct vpci_ops pci_ops = {
	.set_irq = pci_set_irq, .notify = pci_notify, .peer_running = chan_peer_running,
	.portal_call = pci_portal_call,
};

int chan_cell_create(struct cell *c)
{
	const struct sysdesc_cell *d = c->desc;
	struct vpci_chan vc[VPCI_MAX_CHAN];
	struct vpci *p = &pcis[cell_index(c)];
	int r = 0;

	if (!d->nr_ends)
		return 0;
	for (uint32_t i = 0; i < d->nr_ends && !r; i++) {
		const struct sysdesc_end *e = &d->ends[i];

		vc[i] = (struct vpci_chan){ e->end, e->slot, e->rights, e->size };
		r = arch_cell_map(c, VPCI_SHM_IPA + i * VPCI_SHM_STRIDE, chan_pa[e->chan], e->size,
				  e->rights & CELLA_R_WRITE);
	}
	if (!r)
		r = vpci_init(p, vc, d->nr_ends, &pci_ops, c);
	if (!r)
		r = vpci_register(p, &c->mmio);
	if (r)
		pr_err("%s: cannot set up its channels: %s\n", d->path, err_str(r));
	return r;
}
