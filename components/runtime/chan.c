/* chan.c - the component runtime's channels (rt/chan.h): the DTB's /cella/channels nodes,
 * their mappings and doorbells. */
#include <stddef.h>

#include <cella/abi.h>
#include <rt/chan.h>
#include <rt/dt.h>
#include <rt/gic.h>
#include <rt/hypercall.h>
#include <rt/mmu.h>

#define CHAN_MAP_ALIGN 0x200000ull	/* map whole 2 MiB blocks: no page-table pages needed */

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* the channel at node @n into *@out; -1 if a property is missing */
static int chan_read(int n, struct rt_chan *out)
{
	uint32_t rights = 0, end = 0;

	out->name = dt_name(n);
	out->peer = dt_prop_str(n, "peer");
	dt_prop_u32(n, "rights", 0, &rights);
	dt_prop_u32(n, "end", 0, &end);
	out->end = end;
	out->writable = rights & CELLA_R_WRITE;
	if (!out->name || !out->peer || dt_prop_u64(n, "ipa", &out->ipa) ||
	    dt_prop_u64(n, "size", &out->size) || dt_prop_u32(n, "slot", 0, &out->slot) ||
	    dt_prop_u32(n, "doorbell", 0, &out->intid))
		return -1;
	out->mem = (volatile void *)(uintptr_t)out->ipa;
	return 0;
}

int chan_at(unsigned i, struct rt_chan *out)
{
	int top = dt_find("/cella/channels"), n = -1;

	for (n = dt_child(top, -1); n >= 0 && i; i--)
		n = dt_child(top, n);
	return n < 0 ? -1 : chan_read(n, out);
}

int chan_find(const char *name, struct rt_chan *out)
{
	int top = dt_find("/cella/channels");

	for (int n = dt_child(top, -1); n >= 0; n = dt_child(top, n)) {
		const char *s = dt_name(n);

		if (!name || (s && same(s, name)))
			return chan_read(n, out);
	}
	return -1;
}

bool chan_peer_running(const struct rt_chan *c)
{
	uint64_t flags = 0;

	return chan_info(c->slot, NULL, NULL, &flags) == CELLA_OK &&
	       (flags & CELLA_CHAN_PEER_RUNNING);
}

int chan_doorbell_enable(const struct rt_chan *c, uint8_t prio)
{
	return gic_enable_spi(c->intid, prio, true);
}

unsigned chan_doorbell_ack(const struct rt_chan *c)
{
	return gic_poll(c->intid);
}

int rt_chan_map(void)
{
	struct rt_chan c;

	for (unsigned i = 0; chan_at(i, &c) == 0; i++) {
		/* cella's stage 2 maps only the channel's size: the rest of the block faults */
		uint64_t len = (c.size + CHAN_MAP_ALIGN - 1) & ~(CHAN_MAP_ALIGN - 1);

		if (!c.size || mmu_map(c.ipa, len, c.writable ? MMU_NORMAL : MMU_NORMAL_RO))
			return -1;
	}
	return 0;
}
