/* chan_ring.c - the record rings in a channel's shared memory (protocol in chan_ring.h). */
#include "chan_ring.h"

#include <string.h>

#define FNV_PRIME 0x100000001b3ull

uint64_t ring_layout_size(uint64_t size)
{
	if (size < CHAN_MIN_SIZE)
		return 0;
	return ((size - CHAN_HDR_BYTES) / 2) & ~63ull;
}

static void write_header(volatile struct chan_hdr *h, uint64_t size, uint64_t ring_size)
{
	h->version = CHAN_VERSION;
	h->size = size;
	h->ring_size = ring_size;
	chan_mb();
	h->magic = CHAN_MAGIC;
}

static void load_local(struct ring *r)
{
	r->tx_head = r->me->tx_head;
	r->tx_limit = r->tx_head;	/* nothing known free until the peer's tail is read */
	r->rx_tail = r->me->rx_tail;
	r->rx_head = r->rx_tail;
	/* count on from the tokens in memory, never writing one we may not own (a run that died
	 * asleep left it odd: that costs the peer one needless doorbell) */
	r->count_data = (r->me->sleep_data >> 1) + 1;
	r->count_space = (r->me->sleep_space >> 1) + 1;
	r->rung_data = r->rung_space = 0;
}

int ring_attach(struct ring *r, void *base, uint64_t size, unsigned end)
{
	uint64_t rs = ring_layout_size(size);
	volatile uint8_t *b = base;

	memset(r, 0, sizeof(*r));
	if (!rs)
		return RING_E_SMALL;
	r->hdr = (volatile struct chan_hdr *)b;
	if (r->hdr->magic == 0)
		write_header(r->hdr, size, rs);
	else if (r->hdr->magic != CHAN_MAGIC || r->hdr->version != CHAN_VERSION)
		return RING_E_MAGIC;
	else if (r->hdr->size != size || r->hdr->ring_size != rs)
		return RING_E_SIZE;
	end &= 1;
	r->end = end;
	r->size = size;
	r->ring_size = rs;
	r->me = (volatile struct chan_ctl *)(b + 0x40 + 0x40 * end);
	r->peer = (volatile struct chan_ctl *)(b + 0x40 + 0x40 * (1 - end));
	r->tx = (volatile uint64_t *)(b + CHAN_HDR_BYTES + rs * end);
	r->rx = (volatile uint64_t *)(b + CHAN_HDR_BYTES + rs * (1 - end));
	load_local(r);
	return RING_OK;
}

void ring_resync(struct ring *r)
{
	if (r->hdr->magic == 0)
		write_header(r->hdr, r->size, r->ring_size);
	load_local(r);
}

void ring_reset(void *base)
{
	volatile uint64_t *w = base;

	for (unsigned i = 0; i < CHAN_HDR_BYTES / 8; i++)
		w[i] = 0;
	chan_mb();
}

/* ---- producer ---- */

uint64_t ring_tx_free(struct ring *r)
{
	uint64_t tail = r->peer->rx_tail;

	/* the consumer's reads of the space it released come before our writes into it */
	chan_mb();
	if (r->tx_head - tail > r->ring_size) {
		/* inconsistent (the consumer repairs it, ring_rx_avail): nothing is free */
		r->tx_limit = r->tx_head;
		return 0;
	}
	r->tx_limit = tail + r->ring_size;
	return r->tx_limit - r->tx_head;
}

/* copy_out - @len bytes of @buf into the ring @q (@nw words) from word @i on, wrapping; the
 * last word zero-padded. Returns the word index after the copy. */
static uint64_t copy_out(volatile uint64_t *q, uint64_t nw, uint64_t i, const uint8_t *buf,
			 uint64_t len)
{
	uint64_t w;

	while (len >= 8) {
		memcpy(&w, buf, 8);
		q[i] = w;
		if (++i == nw)
			i = 0;
		buf += 8;
		len -= 8;
	}
	if (len) {
		w = 0;
		memcpy(&w, buf, len);
		q[i] = w;
		if (++i == nw)
			i = 0;
	}
	return i;
}

bool ring_put(struct ring *r, uint32_t type, const void *buf, uint32_t len)
{
	uint64_t need = ring_rec_bytes(len), nw = r->ring_size / 8, i;

	if (len > ring_max_payload(r))
		return false;
	if (r->tx_limit - r->tx_head < need && ring_tx_free(r) < need)
		return false;
	i = (r->tx_head % r->ring_size) / 8;
	r->tx[i] = (uint64_t)len | (uint64_t)type << 32;
	copy_out(r->tx, nw, i + 1 == nw ? 0 : i + 1, buf, len);
	r->tx_head += need;
	return true;
}

void ring_tx_commit(struct ring *r)
{
	chan_mb();
	r->me->tx_head = r->tx_head;
}

/* ---- consumer ---- */

/* drop - throw away everything the peer's ring holds, as far as its head */
static void drop(struct ring *r, uint64_t head)
{
	r->corrupt++;
	r->rx_tail = r->rx_head = head;
	chan_mb();
	r->me->rx_tail = head;
}

uint64_t ring_rx_avail(struct ring *r)
{
	uint64_t head = r->peer->tx_head;

	/* the head's load comes before the loads of the records it covers */
	chan_mb();
	if (head - r->rx_tail > r->ring_size || (head & 7)) {
		drop(r, head);
		return 0;
	}
	r->rx_head = head;
	return head - r->rx_tail;
}

int ring_get(struct ring *r, uint32_t *type, void *buf, uint32_t cap, uint32_t *len)
{
	uint64_t nw = r->ring_size / 8, i, w, n, copy;
	uint8_t *out = buf;

	if (r->rx_head == r->rx_tail && !ring_rx_avail(r))
		return 0;
	i = (r->rx_tail % r->ring_size) / 8;
	w = r->rx[i];
	n = (uint32_t)w;
	if (n > ring_max_payload(r) || ring_rec_bytes((uint32_t)n) > r->rx_head - r->rx_tail) {
		drop(r, r->rx_head);
		return -1;
	}
	*type = (uint32_t)(w >> 32);
	*len = (uint32_t)n;
	copy = n < cap ? n : cap;
	for (uint64_t k = 0; k < (copy + 7) / 8; k++) {
		if (++i == nw)
			i = 0;
		w = r->rx[i];
		memcpy(out + 8 * k, &w, 8);
	}
	r->rx_tail += ring_rec_bytes((uint32_t)n);
	return 1;
}

void ring_rx_commit(struct ring *r)
{
	/* our reads of the records come before the producer may overwrite them */
	chan_mb();
	r->me->rx_tail = r->rx_tail;
}

/* ---- wakeups ---- */

void ring_sleep_begin(struct ring *r, unsigned why)
{
	if (!why)
		return;
	if (why & RING_WAKE_DATA)
		r->me->sleep_data = ++r->count_data << 1 | 1;
	if (why & RING_WAKE_SPACE)
		r->me->sleep_space = ++r->count_space << 1 | 1;
	/* the tokens' stores before the caller's last look at the counters (Dekker) */
	chan_mb();
}

void ring_sleep_end(struct ring *r, unsigned why)
{
	if (why & RING_WAKE_DATA)
		r->me->sleep_data = ++r->count_data << 1;
	if (why & RING_WAKE_SPACE)
		r->me->sleep_space = ++r->count_space << 1;
}

/* wants - is token @t a sleep not yet rung for (*@rung)? notes it */
static bool wants(uint64_t t, uint64_t *rung)
{
	if (!(t & 1) || t == *rung)
		return false;
	*rung = t;
	return true;
}

bool ring_peer_wants_ring(struct ring *r, unsigned what)
{
	bool ring = false;

	/* our head or tail store before the loads of the peer's tokens (Dekker) */
	chan_mb();
	if (what & RING_WAKE_DATA)
		ring |= wants(r->peer->sleep_data, &r->rung_data);
	if (what & RING_WAKE_SPACE)
		ring |= wants(r->peer->sleep_space, &r->rung_space);
	return ring;
}

/* ---- checksum ---- */

uint64_t csum_update(uint64_t h, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t n = len;
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * FNV_PRIME;
		p += 8;
		n -= 8;
	}
	if (n) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * FNV_PRIME;
	}
	return (h ^ (uint64_t)len) * FNV_PRIME;
}
