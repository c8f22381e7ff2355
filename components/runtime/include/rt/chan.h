/* chan.h - channels for native components (docs/components.md "Channels", include/cella/abi.h
 * ABI 1.2): memory shared with one other cell, and a doorbell each way. cella describes each
 * channel of the cell in its DTB under /cella/channels/NAME; the runtime maps each one's memory
 * before main() (Normal cacheable; read-only where this end is not a writer). Ring and wait with
 * chan_notify, cella_wait and chan_call (rt/hypercall.h); take the doorbell as an interrupt
 * (gic_irq_set_handler) or, with PSTATE.I masked, poll it with chan_doorbell_ack. */
#ifndef RT_CHAN_H
#define RT_CHAN_H

#include <stdbool.h>
#include <stdint.h>

/* one channel as this cell sees it */
struct rt_chan {
	const char *name;		/* its node name in the description (points into the DTB) */
	const char *peer;		/* the name of the cell at its other end */
	volatile void *mem;		/* its memory, at @ipa (the identity map) */
	uint64_t ipa, size;		/* IPA and size in bytes (a 4 KiB multiple) */
	uint32_t slot;			/* the channel capability's cspace slot */
	uint32_t intid;			/* this end's doorbell: an edge-triggered SPI */
	uint32_t end;			/* 0 or 1: this cell's place in the description's 'ends' */
	bool writable;			/* this end writes (CELLA_R_WRITE); else read-only */
};

/* chan_find - the channel named @name (exactly, unit address included), or the first one in
 * the DTB when @name is NULL, into *@out. Returns 0, or -1 (no such channel, or its node lacks
 * ipa, size, slot, doorbell or peer). */
int chan_find(const char *name, struct rt_chan *out);

/* chan_at - the @i-th channel (0-based, DTB order) into *@out. Returns 0, or -1 past the last. */
int chan_at(unsigned i, struct rt_chan *out);

/* chan_peer_running - whether the peer cell runs now (CELLA_FN_CHAN_INFO's
 * CELLA_CHAN_PEER_RUNNING); false if the call fails. */
bool chan_peer_running(const struct rt_chan *c);

/* chan_doorbell_enable - route @c's doorbell SPI to this CPU, edge-triggered, priority @prio,
 * and enable it (gic_enable_spi). Register a handler first to take it as an interrupt, or keep
 * PSTATE.I masked and call chan_doorbell_ack. Returns 0, or -1 (no GIC, or not an SPI). */
int chan_doorbell_enable(const struct rt_chan *c, uint8_t prio);

/* chan_doorbell_ack - with PSTATE.I masked: acknowledge and EOI every pending interrupt
 * (gic_poll: others go to their handlers) and return how many were @c's doorbell (0: it was
 * not rung since the last ack; a ring and a peer start or stop are one each, and several rings
 * before an ack may count once, as an edge-triggered interrupt does). */
unsigned chan_doorbell_ack(const struct rt_chan *c);

/* rt_chan_map - the runtime's start: identity-map every channel of the DTB (rt_start calls it
 * before the MMU goes on). Returns 0, or -1 if a mapping fails. */
int rt_chan_map(void);

#endif
