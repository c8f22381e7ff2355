/* chan.c - modes for channels (include/cella/abi.h ABI 1.2; the cell's /cella/channels in its
 * DTB): two native cells exchanging messages, hostile accesses, a doorbell flood, a watcher of
 * the peer's state and a round-trip benchmark. The test cell runs with its MMU off, so the
 * channel's memory is Device memory here: aligned 64-bit accesses only, no exclusives.
 *
 *   testcell.mode=chan-exchange testcell.count=N (default 1000000)
 *	both ends of the first channel (both writers, >= 16 KiB): each sends N 64-bit messages
 *	(an LCG seeded by its end) through its ring (end e's at offset e * size / 2) and receives
 *	the peer's N, ringing the peer only when its ring was empty (for a reader) or full (for a
 *	writer), and waiting (CELLA_FN_WAIT, 100 ms) only when it can neither send nor receive.
 *	Prints "testcell: exchange n=N sent_sum=S recv_sum=R" (order-sensitive checksums: each
 *	end's sent_sum must be the other's recv_sum), then "testcell: exchange waits=W rings=G
 *	timeouts=T" (a timeout is a wake-up the doorbell should have given).
 *   testcell.mode=chan-ro-write testcell.delay-ms=D (default 0)
 *	the first channel, of which this cell is not a writer: after D ms reads its first word,
 *	then writes it, which must stop this cell (stage-2 permission fault); "FAIL" if the write
 *	returns.
 *   testcell.mode=chan-peek testcell.ipa=A (decimal, default 268435456 = 0x10000000)
 *	a cell that is no end of any channel reads IPA A: the read must stop it.
 *   testcell.mode=chan-flood testcell.flood-ms=T (default 0: forever)
 *	rings the peer of the first channel in a tight loop (a line every 2^18 rings), T ms.
 *   testcell.mode=chan-watch testcell.watch-ms=T (default 0: forever)
 *	sleeps in CELLA_FN_WAIT on its doorbell (IRQs masked, acknowledged by polling
 *	ICC_IAR1_EL1) and prints "testcell: chan-watch peer running|stopped rings=R" at each change
 *	of CHAN_INFO's CELLA_CHAN_PEER_RUNNING; at the end "testcell: chan-watch done rings=R
 *	changes=C".
 *   testcell.mode=chan-pingpong testcell.n=N (or testcell.count=N; default 10000)
 *	N round trips over the first channel with CELLA_FN_CHAN_CALL on both sides, end 0 leading;
 *	end 0 prints "testcell: pingpong n=N ticks=T" (CNTVCT ticks for all N). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <cella/abi.h>
#include "testcell.h"

#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000

#define WAIT_NS 100000000ull		/* a wait's safety net: 100 ms */
#define RING_SLOTS 512u		/* messages a ring holds (4 KiB) */
#define RING_HEAD 0			/* ring layout, bytes: head (written by the sender), */
#define RING_TAIL 64			/* tail (by the receiver), on their own lines, */
#define RING_DATA 128			/* then the slots */
#define FLOOD_REPORT (1u << 18)

struct tc_chan {
	uint64_t ipa, size;
	uint32_t slot, intid, end, rights;
	const char *name, *peer;
};

/* the call's status in r[0], results in r[1..3] */
static void hc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t r[4])
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = 0;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	r[0] = x0;
	r[1] = x1;
	r[2] = x2;
	r[3] = x3;
}

static int64_t hc_st(uint64_t fid, uint64_t a1, uint64_t a2)
{
	uint64_t r[4];

	hc(fid, a1, a2, r);
	return (int64_t)r[0];
}

static inline uint64_t rd64(uint64_t a)
{
	return mmio_read64(a);
}

static inline void wr64(uint64_t a, uint64_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static inline void dmb(void)
{
	__asm__ volatile("dmb sy" ::: "memory");
}

/* the first channel of the DTB into *@c; false (with a FAIL line) if there is none */
static bool chan_first(struct tc_chan *c)
{
	const struct fdt *f = &tc_plat.fdt;
	int n = tc_plat.have_fdt ? fdt_find_path(f, "/cella/channels") : -1;

	n = n >= 0 ? fdt_first_child(f, n) : -1;
	memset(c, 0, sizeof(*c));
	if (n < 0 || fdt_prop_u64(f, n, "ipa", &c->ipa) || fdt_prop_u64(f, n, "size", &c->size) ||
	    fdt_prop_u32(f, n, "slot", &c->slot) || fdt_prop_u32(f, n, "doorbell", &c->intid) ||
	    fdt_prop_u32(f, n, "end", &c->end) || fdt_prop_u32(f, n, "rights", &c->rights) ||
	    fdt_prop_str(f, n, "peer", &c->peer)) {
		tc_check(false, "chan", "no complete /cella/channels node in the DTB");
		return false;
	}
	c->name = fdt_node_name(f, n);
	tc_line("testcell: channel '%s' to '%s' ipa=0x%lx size=0x%lx slot=%u doorbell=%u end=%u "
		"rights=%u", c->name, c->peer, (unsigned long)c->ipa, (unsigned long)c->size,
		c->slot, c->intid, c->end, c->rights);
	return true;
}

/* the GIC, and the doorbell SPI: group 1, edge, routed here, enabled; IRQs stay masked (the
 * doorbell is polled: doorbell_ack) */
static bool doorbell_setup(const struct tc_chan *c)
{
	uint64_t g = tc_plat.gicd, me = tc_mpidr(), cfg = g + GICD_ICFGR + 4 * (c->intid / 16);
	uint64_t prio = g + GICD_IPRIORITYR + (c->intid & ~3u);
	uint32_t bit = 1u << (c->intid % 32), shift = (c->intid % 4) * 8;

	if (!gic_boot_init())
		return false;
	irq_mask();
	mmio_write32(g + GICD_IGROUPR + 4 * (c->intid / 32),
		     mmio_read32(g + GICD_IGROUPR + 4 * (c->intid / 32)) | bit);
	mmio_write32(prio, (mmio_read32(prio) & ~(0xffu << shift)) | (GIC_PRIO << shift));
	mmio_write32(cfg, mmio_read32(cfg) | 2u << (2 * (c->intid % 16)));
	mmio_write32(g + GICD_IROUTER + 8ull * c->intid, (uint32_t)(me & 0xffffff));
	mmio_write32(g + GICD_IROUTER + 8ull * c->intid + 4, (uint32_t)(me >> 32) & 0xff);
	mmio_write32(g + GICD_ISENABLER + 4 * (c->intid / 32), bit);
	return true;
}

/* acknowledge and end every pending interrupt; how many were the doorbell */
static unsigned doorbell_ack(const struct tc_chan *c)
{
	unsigned hits = 0;

	for (unsigned n = 0; n < 64; n++) {
		uint64_t iar = read_icc_iar1_el1();
		uint32_t intid = (uint32_t)iar & 0xffffff;

		if (intid >= 1020)
			break;
		hits += intid == c->intid;
		write_icc_eoir1_el1(iar);
		isb();
	}
	return hits;
}

/* ---- chan-exchange ---- */

struct ring {
	uint64_t base;			/* IPA of the ring */
	uint64_t pos;			/* our index: messages sent (tx) or received (rx) */
};

static uint64_t lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005ull + 1442695040888963407ull;
	return *x;
}

/* an order-sensitive checksum */
static uint64_t mix(uint64_t sum, uint64_t v)
{
	return (sum ^ v) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
}

/* CHAN_NOTIFY on @c; a refusal is counted in *@bad */
static void ring(const struct tc_chan *c, uint64_t *rings, uint64_t *bad)
{
	++*rings;
	*bad += hc_st(CELLA_FN_CHAN_NOTIFY, c->slot, 0) != CELLA_OK;
}

void tc_mode_chan_exchange(void)
{
	struct tc_chan c;
	struct ring tx, rx;
	uint64_t n = tc_arg("testcell.count", 1000000), seed, sent_sum = 0, recv_sum = 0;
	uint64_t waits = 0, rings = 0, timeouts = 0, bad = 0, t0;

	if (!chan_first(&c) || !doorbell_setup(&c))
		return;
	if (!tc_check(c.size >= 0x4000 && (c.rights & CELLA_R_WRITE), "exchange_channel",
		      "size 0x%lx rights %u: a writer, 16 KiB at least", (unsigned long)c.size,
		      c.rights))
		return;
	tx = (struct ring){ c.ipa + c.end * (c.size / 2), 0 };
	rx = (struct ring){ c.ipa + (1 - c.end) * (c.size / 2), 0 };
	seed = 0x5eed0000ull + c.end;
	t0 = tc_now();
	while (tx.pos < n || rx.pos < n) {
		bool progress = false;
		uint64_t tail, head;

		/* send what fits; after publishing, ring if the receiver had taken everything
		 * before (it may be waiting): publish, then read its tail (Dekker, full barrier) */
		tail = rd64(tx.base + RING_TAIL);
		if (tx.pos < n && tx.pos - tail < RING_SLOTS) {
			uint64_t old = tx.pos, lim = tail + RING_SLOTS;

			for (; tx.pos < n && tx.pos < lim; tx.pos++) {
				uint64_t v = lcg(&seed);

				wr64(tx.base + RING_DATA + 8 * (tx.pos % RING_SLOTS), v);
				sent_sum = mix(sent_sum, v);
			}
			dmb();
			wr64(tx.base + RING_HEAD, tx.pos);
			dmb();
			if (rd64(tx.base + RING_TAIL) == old)
				ring(&c, &rings, &bad);
			progress = true;
		}
		/* receive what is there; ring if the sender had filled the ring (it may wait) */
		head = rd64(rx.base + RING_HEAD);
		if (head != rx.pos) {
			uint64_t old = rx.pos;

			dmb();
			for (; rx.pos != head; rx.pos++)
				recv_sum = mix(recv_sum,
					       rd64(rx.base + RING_DATA + 8 * (rx.pos % RING_SLOTS)));
			dmb();
			wr64(rx.base + RING_TAIL, rx.pos);
			dmb();
			if (rd64(rx.base + RING_HEAD) - old >= RING_SLOTS)
				ring(&c, &rings, &bad);
			progress = true;
		}
		if (!progress) {
			waits++;
			if (hc_st(CELLA_FN_WAIT, WAIT_NS, 0) == CELLA_E_TIMEOUT)
				timeouts++;
			doorbell_ack(&c);
		}
	}
	/* the peer may still wait for room we freed last: one more ring */
	ring(&c, &rings, &bad);
	tc_line("testcell: exchange n=%lu sent_sum=0x%016lx recv_sum=0x%016lx", (unsigned long)n,
		(unsigned long)sent_sum, (unsigned long)recv_sum);
	tc_line("testcell: exchange waits=%lu rings=%lu timeouts=%lu", (unsigned long)waits,
		(unsigned long)rings, (unsigned long)timeouts);
	tc_check(!bad, "exchange", "%lu messages each way in %lu ms, %lu rings refused",
		 (unsigned long)n, (unsigned long)((tc_now() - t0) / tc_ms(1)), (unsigned long)bad);
}

/* ---- hostile modes ---- */

void tc_mode_chan_ro_write(void)
{
	struct tc_chan c;
	uint64_t v;

	if (!chan_first(&c))
		return;
	if (!tc_check(!(c.rights & CELLA_R_WRITE), "ro_rights", "rights %u without write",
		      c.rights))
		return;
	tc_delay_ms(tc_arg("testcell.delay-ms", 0));
	v = rd64(c.ipa);
	tc_check(true, "ro_read", "read 0x%lx at 0x%lx", (unsigned long)v, (unsigned long)c.ipa);
	tc_line("testcell: chan-ro-write writing 0x%lx (must fault)", (unsigned long)c.ipa);
	wr64(c.ipa, v ^ 0x5a5a);
	tc_check(false, "ro_write", "the write to read-only channel memory returned");
}

void tc_mode_chan_peek(void)
{
	uint64_t ipa = tc_arg("testcell.ipa", 0x10000000ull), v;

	tc_line("testcell: chan-peek reading 0x%lx (must fault)", (unsigned long)ipa);
	v = rd64(ipa & ~7ull);
	tc_check(false, "peek", "read 0x%lx at 0x%lx", (unsigned long)v, (unsigned long)ipa);
}

void tc_mode_chan_flood(void)
{
	struct tc_chan c;
	uint64_t ms = tc_arg("testcell.flood-ms", 0), end, rings = 0;
	int64_t st = 0;

	if (!chan_first(&c))
		return;
	end = tc_now() + tc_ms(ms);
	tc_line("testcell: chan-flood ringing '%s' %s", c.peer, ms ? "for a while" : "forever");
	while (!ms || tc_now() < end) {
		st = hc_st(CELLA_FN_CHAN_NOTIFY, c.slot, 0);
		if (st != CELLA_OK)
			break;
		if (++rings % FLOOD_REPORT == 0)
			tc_line("testcell: chan-flood rings=%lu", (unsigned long)rings);
	}
	tc_check(st == CELLA_OK, "flood", "%lu rings, last status %ld", (unsigned long)rings,
		 (long)st);
}

/* ---- chan-watch ---- */

static int peer_running(const struct tc_chan *c)
{
	uint64_t r[4];

	hc(CELLA_FN_CHAN_INFO, c->slot, 0, r);
	return (int64_t)r[0] == CELLA_OK ? !!(r[3] & CELLA_CHAN_PEER_RUNNING) : -1;
}

void tc_mode_chan_watch(void)
{
	struct tc_chan c;
	uint64_t ms = tc_arg("testcell.watch-ms", 0), end, rings = 0, changes = 0;
	int was = -2;

	if (!chan_first(&c) || !doorbell_setup(&c))
		return;
	end = tc_now() + tc_ms(ms);
	while (!ms || tc_now() < end) {
		int now = peer_running(&c);

		if (now != was) {
			tc_line("testcell: chan-watch peer %s rings=%lu",
				now < 0 ? "?" : now ? "running" : "stopped", (unsigned long)rings);
			changes += was != -2;
			was = now;
		}
		hc_st(CELLA_FN_WAIT, WAIT_NS, 0);
		rings += doorbell_ack(&c);
	}
	tc_line("testcell: chan-watch done rings=%lu changes=%lu", (unsigned long)rings,
		(unsigned long)changes);
}

/* ---- chan-pingpong ---- */

/* wait until the 64-bit word at @a reads @want, in CELLA_FN_WAIT (rung by the peer) */
static void await(const struct tc_chan *c, uint64_t a, uint64_t want, uint64_t *timeouts)
{
	while (rd64(a) != want) {
		if (hc_st(CELLA_FN_WAIT, WAIT_NS, 0) == CELLA_E_TIMEOUT)
			++*timeouts;
		doorbell_ack(c);
	}
}

void tc_mode_chan_pingpong(void)
{
	struct tc_chan c;
	uint64_t n = tc_arg("testcell.n", tc_arg("testcell.count", 10000)), timeouts = 0, bad = 0;
	uint64_t t0, mine, theirs;

	if (!chan_first(&c) || !doorbell_setup(&c))
		return;
	mine = c.ipa + 64 * c.end;		/* each end's counter on its own line */
	theirs = c.ipa + 64 * (1 - c.end);
	if (c.end == 1)
		await(&c, theirs, 1, &timeouts);
	t0 = tc_now();
	for (uint64_t i = 1; i <= n; i++) {
		int64_t st;

		wr64(mine, i);
		dmb();
		/* ring and sleep in one call; the data, not the doorbell, says it is our turn */
		st = hc_st(CELLA_FN_CHAN_CALL, c.slot, i < n || c.end == 0 ? WAIT_NS : 0);
		if (st == CELLA_E_TIMEOUT)
			timeouts += i < n || c.end == 0;
		else
			bad += st != CELLA_OK;
		doorbell_ack(&c);
		if (c.end == 0)
			await(&c, theirs, i, &timeouts);
		else if (i < n)
			await(&c, theirs, i + 1, &timeouts);
	}
	if (c.end == 0)
		tc_line("testcell: pingpong n=%lu ticks=%lu timeouts=%lu", (unsigned long)n,
			(unsigned long)(tc_now() - t0), (unsigned long)timeouts);
	tc_check(!bad, "pingpong", "%lu round trips, end %u, %lu timeouts, %lu calls refused",
		 (unsigned long)n, c.end, (unsigned long)timeouts, (unsigned long)bad);
}
