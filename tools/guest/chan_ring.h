/* chan_ring.h - cella-chan's protocol in a channel's shared memory: a header, one control block
 * per end, and two byte rings of framed records, one per direction. Pure C over a memory pointer
 * (no system calls), so the host unit tests (tests/unit/test_chan_ring.c) run it between threads.
 *
 * Layout (docs/channels.md, "The ring protocol"), channel size S bytes (>= CHAN_MIN_SIZE):
 *   0x000  struct chan_hdr   magic "CCH1", version, S and the ring size R, as the first end
 *                            to attach wrote them (all zeros = a fresh channel: valid, empty)
 *   0x040  struct chan_ctl   end 0's control block, written by end 0 only
 *   0x080  struct chan_ctl   end 1's control block, written by end 1 only
 *   0x100  ring 0            R bytes: records end 0 writes and end 1 reads
 *   0x100 + R  ring 1        R bytes: records end 1 writes and end 0 reads
 * R = (S - 0x100) / 2 rounded down to a multiple of 64.
 *
 * A ring is a single-producer, single-consumer byte queue over free-running 64-bit byte counts:
 * the producer's tx_head (bytes ever written) and the consumer's rx_tail (bytes ever consumed);
 * a byte count c lives at ring offset c % R, head - tail bytes are in use. A record is an 8-byte
 * header {u32 payload length, u32 type} and the payload, zero-padded to a multiple of 8; records
 * start 8-aligned, a header never wraps, a payload may. Every access to the shared memory is an
 * aligned 64-bit load or store (safe on Device and Normal Non-cacheable mappings alike).
 *
 * Ordering: the producer writes a record, then (barrier) publishes tx_head; the consumer reads
 * tx_head, (barrier) then the record, then (barrier) publishes rx_tail.
 *
 * Wakeups ("sleep tokens"): an end about to sleep for records (or for room) stores an odd
 * token into its ctl.sleep_data (or ctl.sleep_space), issues a full barrier and checks once
 * more what it waits for; the other end, after publishing a head (records) or a tail (room),
 * issues a full barrier and reads the matching token of the peer: odd and not yet rung for ->
 * ring the doorbell once. A Dekker pair: one of the two always sees the other's store, so no
 * wakeup is lost, and each sleep costs the peer at most one doorbell. A token is a count of
 * its owner's sleeps and wakeups shifted left by one, bit 0 set while asleep, so no two are
 * alike. The process that takes an end's records owns sleep_data, the one that writes its
 * records owns sleep_space (cella-chan lets one process of each kind use an end at a time). */
#ifndef CELLA_CHAN_RING_H
#define CELLA_CHAN_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHAN_MAGIC 0x31484343u		/* "CCH1" little-endian */
#define CHAN_VERSION 1u
#define CHAN_HDR_BYTES 0x100u		/* header and both control blocks */
#define CHAN_MIN_SIZE 0x1000u		/* one page: two rings of 1,920 bytes */
#define CHAN_REC_HDR 8u			/* record header bytes */

/* record types */
enum chan_rec {
	REC_MSG = 1,		/* send/recv/watch: the payload is the text */
	REC_PING = 2,		/* ping: u64 nonce, u64 sequence */
	REC_PONG = 3,		/* pong: the PING's payload, echoed */
	REC_BYE = 4,		/* ping: done (ends a pong without -n) */
	REC_STREAM_START = 5,	/* stream: u64 bytes in all, u64 block size, u64 blocks */
	REC_STREAM_DATA = 6,	/* stream: one block */
	REC_STREAM_END = 7,	/* stream: u64 bytes, u64 checksum of the blocks */
	REC_XSTART = 8,		/* exchange: u64 messages to come */
	REC_XMSG = 9,		/* exchange: one message, 1..32 bytes */
	REC_XEND = 10,		/* exchange: u64 messages sent, u64 checksum of them */
};

struct chan_hdr {
	uint32_t magic;			/* CHAN_MAGIC, or 0: fresh */
	uint32_t version;		/* CHAN_VERSION */
	uint64_t size;			/* S */
	uint64_t ring_size;		/* R */
	uint64_t reserved[5];
};

struct chan_ctl {
	uint64_t tx_head;		/* bytes this end ever wrote into its ring */
	uint64_t rx_tail;		/* bytes this end ever consumed from the peer's ring */
	uint64_t sleep_data;		/* token: odd while waiting for records from the peer */
	uint64_t sleep_space;		/* token: odd while waiting for room in this end's ring */
	uint64_t reserved[4];
};

/* one end's view of the shared memory; the fields after 'peer' are private to the end */
struct ring {
	volatile struct chan_hdr *hdr;
	volatile struct chan_ctl *me, *peer;
	volatile uint64_t *tx, *rx;	/* this end's ring and the peer's, as 64-bit words */
	uint64_t size;			/* S */
	uint64_t ring_size;		/* R */
	unsigned end;			/* 0 or 1 */
	uint64_t tx_head;		/* local head: records put, maybe not yet committed */
	uint64_t tx_limit;		/* tx_head may reach this (the peer's tail + R, last read) */
	uint64_t rx_tail;		/* local tail: records taken, maybe not yet committed */
	uint64_t rx_head;		/* the peer's head, last read */
	uint64_t count_data, count_space;	/* my tokens' counts */
	uint64_t rung_data, rung_space;		/* the peer's tokens last rung for */
	uint64_t corrupt;		/* times the peer's ring was found inconsistent and dropped */
};

enum ring_err {
	RING_OK = 0,
	RING_E_SMALL = -1,	/* channel smaller than CHAN_MIN_SIZE */
	RING_E_MAGIC = -2,	/* the header holds another protocol's magic or version */
	RING_E_SIZE = -3,	/* the header was written for another size */
};

/* ring_attach - @end's view of the channel at @base, @size bytes (8-byte aligned memory).
 * A header of zeros is initialised (both ends may do so at once: they write the same values);
 * any other header must match (ring_reset clears one that does not). The local counters start from the control blocks in memory, so
 * records written before this end attached (or by an earlier run) are still delivered.
 * Returns RING_OK or a RING_E_*. */
int ring_attach(struct ring *r, void *base, uint64_t size, unsigned end);

/* chan_mb - a full barrier for memory shared with another CPU or cell, and before a doorbell
 * store (DMB SY: orders Normal, Non-cacheable and Device accesses alike) */
static inline void chan_mb(void)
{
#if defined(__aarch64__)
	__asm__ volatile("dmb sy" : : : "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

/* ring_layout_size - R for a channel of @size bytes (0 if too small) */
uint64_t ring_layout_size(uint64_t size);

/* ring_resync - reload the local counters from memory (after the peer restarted) */
void ring_resync(struct ring *r);

/* ring_reset - zero the header and both control blocks (cella-chan reset) */
void ring_reset(void *base);

/* ring_rec_bytes - ring bytes a record with @len payload bytes takes */
static inline uint64_t ring_rec_bytes(uint32_t len)
{
	return CHAN_REC_HDR + (((uint64_t)len + 7) & ~7ull);
}

/* ring_max_payload - the largest payload a record can carry in @r */
static inline uint32_t ring_max_payload(const struct ring *r)
{
	uint64_t m = r->ring_size - CHAN_REC_HDR;

	return m > 0xffff0000u ? 0xffff0000u : (uint32_t)m;
}

/* ---- producer ---- */

/* ring_put - append a record of @type with @len bytes from @buf at the local head, if it fits
 * in the space known free (re-reading the peer's tail once if not). Not visible to the peer
 * before ring_tx_commit. Returns true if written, false if the ring is full (or @len exceeds
 * ring_max_payload). */
bool ring_put(struct ring *r, uint32_t type, const void *buf, uint32_t len);

/* ring_tx_free - bytes free for records, re-reading the peer's tail */
uint64_t ring_tx_free(struct ring *r);

/* ring_tx_commit - publish the records put so far (barrier, then the head store) */
void ring_tx_commit(struct ring *r);

/* ---- consumer ---- */

/* ring_rx_avail - bytes of records waiting, re-reading the peer's head; a head that is behind
 * the tail or more than R ahead is corrupt: everything is dropped (r->corrupt counts it) */
uint64_t ring_rx_avail(struct ring *r);

/* ring_get - take the next record: its type into *@type, its payload into @buf (up to @cap
 * bytes; @buf must have room for @cap rounded up to 8), its length into *@len (the full length,
 * even when @cap cut it). Reads only what ring_rx_avail last saw (calls it if nothing is left).
 * Returns 1 for a record, 0 if none, -1 if a malformed record made it drop the ring's content
 * (r->corrupt). Not released to the producer before ring_rx_commit. */
int ring_get(struct ring *r, uint32_t *type, void *buf, uint32_t cap, uint32_t *len);

/* ring_rx_commit - release the records taken so far (barrier, then the tail store) */
void ring_rx_commit(struct ring *r);

/* ---- wakeups ---- */

#define RING_WAKE_DATA 1u		/* records from the peer (sleep_data) */
#define RING_WAKE_SPACE 2u		/* room in this end's ring (sleep_space) */

/* ring_sleep_begin - announce that this end is about to wait for @why (RING_WAKE_* bits: odd
 * tokens, full barrier); the caller then checks its condition once more before it sleeps */
void ring_sleep_begin(struct ring *r, unsigned why);

/* ring_sleep_end - announce that this end no longer waits for @why (even tokens) */
void ring_sleep_end(struct ring *r, unsigned why);

/* ring_peer_wants_ring - after a commit of @what (RING_WAKE_DATA: records; RING_WAKE_SPACE:
 * room): does the peer sleep for it with a token not yet rung for? Notes the token as rung; the
 * caller then rings the doorbell. */
bool ring_peer_wants_ring(struct ring *r, unsigned what);

/* ---- checksum ---- */

/* csum_update - FNV-1a over 64-bit words: for each little-endian word w of @buf (@len bytes,
 * the last word zero-padded) h = (h ^ w) * 0x100000001b3, then once more with @len itself.
 * Start from CSUM_INIT; the same bytes cut into the same records give the same value. */
#define CSUM_INIT 0xcbf29ce484222325ull
uint64_t csum_update(uint64_t h, const void *buf, size_t len);

#endif
