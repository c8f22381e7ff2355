/* chan_cmds.c - cella-chan's commands on one channel: send, recv, watch, ping, pong, stream,
 * exchange (the record types and the ring protocol: chan_ring.h, docs/channels.md). */
#define _GNU_SOURCE
#include "cmd.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cella/sensor.h"

static int64_t deadline_of(const struct args *a)
{
	return a->timeout > 0 ? now_ns() + (int64_t)(a->timeout * 1e9) : 0;
}

void open_chan(struct chan *c, const struct args *a, unsigned use)
{
	chan_open(c, a->pos[0], &a->co, use);
}

/* ---- wait conditions ---- */

static bool cond_rx(struct chan *c, void *arg)
{
	(void)arg;
	return ring_rx_avail(&c->ring) > 0;
}

static bool cond_space(struct chan *c, void *arg)
{
	return ring_tx_free(&c->ring) >= *(const uint64_t *)arg;
}

/* put - append a record, committing and waiting for room while the ring is full; dies at the
 * deadline */
static void put(struct chan *c, uint32_t type, const void *buf, uint32_t len, int64_t deadline)
{
	uint64_t need = ring_rec_bytes(len);

	if (len > ring_max_payload(&c->ring))
		die("%s: %u bytes do not fit in the ring (at most %u)", c->name, len,
		    ring_max_payload(&c->ring));
	while (!ring_put(&c->ring, type, buf, len)) {
		ring_tx_commit(&c->ring);
		chan_notify(c, RING_WAKE_DATA);
		if (!chan_wait_for(c, RING_WAKE_SPACE, cond_space, &need, deadline))
			die("%s: timeout: the peer does not take what is in the ring", c->name);
	}
}

static void commit_tx(struct chan *c)
{
	ring_tx_commit(&c->ring);
	chan_notify(c, RING_WAKE_DATA);
}

static void commit_rx(struct chan *c)
{
	ring_rx_commit(&c->ring);
	chan_notify(c, RING_WAKE_SPACE);
}

/* ---- send, recv, watch ---- */

int cmd_send(struct args *a)
{
	struct chan c;
	size_t len = 0;
	char *text;

	open_chan(&c, a, CHAN_USE_TX);
	for (int i = 1; i < a->npos; i++)
		len += strlen(a->pos[i]) + 1;
	text = xmalloc(len + 1);
	for (int i = 1; i < a->npos; i++) {
		if (i > 1)
			strcat(text, " ");
		strcat(text, a->pos[i]);
	}
	put(&c, REC_MSG, text, (uint32_t)strlen(text), deadline_of(a));
	commit_tx(&c);
	free(text);
	return 0;
}

/* receive - take MSG records until @count (0: forever), printing each with @prefix (NULL:
 * the bare text, for scripts) */
static int receive(struct chan *c, struct args *a, uint64_t count, const char *prefix)
{
	uint32_t cap = ring_max_payload(&c->ring), type, len;
	char *buf = xmalloc((size_t)cap + 8);
	int64_t deadline = deadline_of(a);
	uint64_t got = 0;
	int r;

	while (!count || got < count) {
		if (!chan_wait_for(c, RING_WAKE_DATA, cond_rx, NULL, deadline)) {
			fprintf(stderr, "cella-chan: %s: timeout (%g s) with no message\n", c->name,
				a->timeout);
			return 1;
		}
		while ((!count || got < count) && (r = ring_get(&c->ring, &type, buf, cap, &len))) {
			if (r < 0) {
				warnx("%s: malformed record: the peer's ring was dropped", c->name);
				continue;
			}
			if (type != REC_MSG)
				continue;
			if (prefix)
				printf("%s", prefix);
			fwrite(buf, 1, len < cap ? len : cap, stdout);
			putchar('\n');
			got++;
		}
		fflush(stdout);
		commit_rx(c);
	}
	free(buf);
	return 0;
}

int cmd_recv(struct args *a)
{
	struct chan c;

	open_chan(&c, a, CHAN_USE_RX);
	return receive(&c, a, a->has_n ? a->n : 1, NULL);
}

/* ---- watch: the rings, a sensor's page, or bare doorbells ---- */

static volatile uint32_t *magic_of(struct chan *c)
{
	return (volatile uint32_t *)c->shm;
}

struct page_wait {
	uint64_t wakeups, seq;
	uint32_t magic;
};

/* cond_page - a doorbell came, the page's magic changed, or (a sensor) a new reading */
static bool cond_page(struct chan *c, void *arg)
{
	const struct page_wait *w = arg;
	volatile struct cella_sensor_page *pg = c->shm;

	return c->wakeups != w->wakeups || *magic_of(c) != w->magic ||
	       (w->magic == CELLA_SENSOR_MAGIC && pg->seq != w->seq);
}

/* sensor_snapshot - a consistent copy of the sensor's page (sequence lock, include/cella/
 * sensor.h); false if the writer kept it busy or it is not a sensor page (any more) */
static bool sensor_snapshot(struct chan *c, struct cella_sensor_page *out)
{
	volatile struct cella_sensor_page *pg = c->shm;

	for (int tries = 0; tries < 1000; tries++) {
		uint64_t s1 = pg->seq, s2;

		if (pg->magic != CELLA_SENSOR_MAGIC)
			return false;
		if (s1 & 1)
			continue;
		chan_mb();
		out->magic = pg->magic;
		out->ring_size = pg->ring_size;
		out->cntfrq = pg->cntfrq;
		out->period_ms = pg->period_ms;
		for (unsigned i = 0; i < CELLA_SENSOR_RING; i++) {
			out->ring[i].n = pg->ring[i].n;
			out->ring[i].cntvct = pg->ring[i].cntvct;
			out->ring[i].milli_c = pg->ring[i].milli_c;
		}
		chan_mb();
		s2 = pg->seq;
		if (s1 == s2) {
			out->seq = s1;
			return true;
		}
	}
	return false;
}

/* watch_page - print what a writer publishes without the rings: a sensor's readings, else the
 * doorbells (read-only channels, and pages that are not cella-chan's) */
static int watch_page(struct chan *c, struct args *a)
{
	struct cella_sensor_page snap;
	struct page_wait w = { 0 };
	int64_t deadline = deadline_of(a);
	uint64_t last = 0;
	uint32_t magic = *magic_of(c);

	chan_clear_status(c);
	if (magic != CELLA_SENSOR_MAGIC)
		printf("cella-chan: %s: no sensor page (magic 0x%08x): printing doorbells\n", c->name,
		       magic);
	for (;;) {
		magic = *magic_of(c);
		if (magic == CELLA_SENSOR_MAGIC && sensor_snapshot(c, &snap)) {
			uint64_t n = snap.seq / 2, from = last + 1;

			if (!last)
				printf("cella-chan: %s: sensor page: a reading every %llu ms\n", c->name,
				       (unsigned long long)snap.period_ms);
			if (n < last) {		/* the writer restarted */
				printf("cella-chan: %s: the sensor starts over\n", c->name);
				from = 1;
			}
			if (n >= CELLA_SENSOR_RING && from < n - CELLA_SENSOR_RING + 1)
				from = n - CELLA_SENSOR_RING + 1;
			if (!last && n > 1)
				from = n;	/* from now on: the latest, then each new one */
			for (uint64_t k = from; k <= n; k++) {
				const struct cella_sensor_reading *r =
					&snap.ring[(k - 1) % CELLA_SENSOR_RING];
				int64_t mc = r->milli_c;

				printf("cella-chan: %s: reading %llu: %s%lld.%03lld C at %.3f s\n", c->name,
				       (unsigned long long)r->n, mc < 0 ? "-" : "",
				       (long long)(mc < 0 ? -mc : mc) / 1000,
				       (long long)(mc < 0 ? -mc : mc) % 1000,
				       snap.cntfrq ? (double)r->cntvct / (double)snap.cntfrq : 0.0);
			}
			last = n;
			w.seq = snap.seq;
		} else if (w.wakeups != c->wakeups && (c->status & VPCI_INTR_DOORBELL)) {
			printf("cella-chan: %s: doorbell\n", c->name);
		}
		w.magic = magic;
		fflush(stdout);
		w.wakeups = c->wakeups;
		if (!chan_wait_for(c, RING_WAKE_DATA, cond_page, &w, deadline))
			return 1;
	}
}

int cmd_watch(struct args *a)
{
	struct chan c;
	char prefix[96];
	uint32_t magic;

	open_chan(&c, a, 0);
	c.notices = stdout;
	magic = *magic_of(&c);
	printf("cella-chan: %s: watching (end %u, peer %s%s)\n", c.name, c.end,
	       chan_peer_str(c.peer_state), c.writable ? "" : ", read-only here");
	fflush(stdout);
	if (!c.writable || (magic != 0 && magic != CHAN_MAGIC))
		return watch_page(&c, a);
	chan_use(&c, CHAN_USE_RX);
	snprintf(prefix, sizeof(prefix), "cella-chan: %s: message: ", c.name);
	return receive(&c, a, 0, prefix);
}

/* ---- ping, pong ---- */

struct pong_wait {
	uint64_t nonce, seq;
	bool got;
};

static bool cond_pong(struct chan *c, void *arg)
{
	struct pong_wait *w = arg;
	uint64_t p[2];
	uint32_t type, len;
	bool took = false;
	int r;

	while (!w->got && (r = ring_get(&c->ring, &type, p, sizeof(p), &len))) {
		took = true;
		if (r > 0 && type == REC_PONG && len == sizeof(p) && p[0] == w->nonce &&
		    p[1] == w->seq)
			w->got = true;
	}
	if (took)
		commit_rx(c);
	return w->got;
}

static void print_stats(const char *what, const char *name, const char *unit, uint64_t *v,
			uint64_t n)
{
	struct stats s;

	stats_of(v, n, &s);
	printf("cella-chan: %s %s: n=%llu %s min=%llu median=%llu max=%llu total=%llu\n", what,
	       name, (unsigned long long)n, unit, (unsigned long long)s.min,
	       (unsigned long long)s.median, (unsigned long long)s.max,
	       (unsigned long long)s.total);
}

int cmd_ping(struct args *a)
{
	struct chan c;
	uint64_t n = a->has_n ? a->n : 100, w = a->warmup, *ns, *tk, tk_total = 0, frq = cntfrq();
	int64_t deadline = deadline_of(a), t0;
	struct pong_wait pw = { .nonce = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 40) };
	uint64_t p[2], c0;

	if (!n)
		die("ping: -n must be at least 1");
	open_chan(&c, a, CHAN_USE_ALL);
	ns = xmalloc(n * sizeof(*ns));
	tk = xmalloc(n * sizeof(*tk));
	for (uint64_t i = 0; i < w + n; i++) {
		t0 = now_ns();
		c0 = cntvct();
		p[0] = pw.nonce;
		p[1] = pw.seq = i;
		pw.got = false;
		put(&c, REC_PING, p, sizeof(p), deadline);
		commit_tx(&c);
		if (!chan_wait_for(&c, RING_WAKE_DATA, cond_pong, &pw, deadline))
			die("%s: timeout: no pong for ping %llu (is 'cella-chan pong' running at "
			    "the other end?)", c.name, (unsigned long long)i);
		if (i >= w) {
			tk[i - w] = cntvct() - c0;
			ns[i - w] = (uint64_t)(now_ns() - t0);
			tk_total += tk[i - w];
		}
	}
	put(&c, REC_BYE, NULL, 0, deadline);
	commit_tx(&c);
	print_stats("ping", c.name, "round-trip ns", ns, n);
	if (frq)
		print_stats("ping", c.name, "round-trip ticks", tk, n);
	printf("cella-chan: ping %s: doorbells=%llu wakeups=%llu cntfrq=%llu\n", c.name,
	       (unsigned long long)c.doorbells, (unsigned long long)c.wakeups,
	       (unsigned long long)frq);
	if (a->cntvct)
		printf("cella-chan: ping n=%llu total_ticks=%llu cntfrq=%llu\n",
		       (unsigned long long)n, (unsigned long long)tk_total, (unsigned long long)frq);
	return 0;
}

int cmd_pong(struct args *a)
{
	struct chan c;
	uint64_t count = a->has_n ? a->n : 0, answered = 0, p[2];
	int64_t deadline = deadline_of(a);
	uint32_t type, len;
	bool bye = false;
	int r;

	open_chan(&c, a, CHAN_USE_ALL);
	while (!bye && (!count || answered < count)) {
		if (!chan_wait_for(&c, RING_WAKE_DATA, cond_rx, NULL, deadline))
			die("%s: timeout after answering %llu pings", c.name,
			    (unsigned long long)answered);
		while (!bye && (!count || answered < count) &&
		       (r = ring_get(&c.ring, &type, p, sizeof(p), &len))) {
			if (r < 0)
				continue;
			if (type == REC_PING && len == sizeof(p)) {
				/* the PONG's doorbell (below) wakes a pinger waiting for room too */
				ring_rx_commit(&c.ring);
				put(&c, REC_PONG, p, sizeof(p), deadline);
				commit_tx(&c);
				answered++;
			} else if (type == REC_BYE && answered && !count) {
				bye = true;
			}
		}
		commit_rx(&c);
	}
	printf("cella-chan: pong %s: answered %llu pings\n", c.name, (unsigned long long)answered);
	return 0;
}

/* ---- stream ---- */

#define PATTERN_SLACK 512	/* block j starts at pattern + (j % 64) * 8 */

static uint8_t *make_pattern(uint64_t b)
{
	uint8_t *p = xmalloc(b + PATTERN_SLACK);
	uint64_t x = 0x2545f4914f6cdd1dull;

	for (uint64_t i = 0; i < b + PATTERN_SLACK; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
	return p;
}

static uint64_t default_block(const struct ring *r)
{
	uint64_t b = 4096;

	while (b > 64 && ring_rec_bytes((uint32_t)b) > r->ring_size / 2)
		b /= 2;
	return b;
}

static void print_rate(const char *what, uint64_t bytes, uint64_t blocks, uint64_t b, int64_t ns,
		       uint64_t ticks, uint64_t sum)
{
	printf("cella-chan: stream %s bytes=%llu blocks=%llu block=%llu ns=%lld ticks=%llu "
	       "MBps=%.1f sum=%llu cntfrq=%llu\n", what, (unsigned long long)bytes,
	       (unsigned long long)blocks, (unsigned long long)b, (long long)ns,
	       (unsigned long long)ticks, ns > 0 ? (double)bytes * 1e3 / (double)ns : 0.0,
	       (unsigned long long)sum, (unsigned long long)cntfrq());
}

static int stream_memcpy(struct args *a)
{
	uint64_t b = a->has_b ? a->b : 4096, n = a->has_n ? a->n : 1024, sum = CSUM_INIT, c0;
	uint8_t *pat = make_pattern(b), *mid = xmalloc(b), *out = xmalloc(b);
	int64_t t0 = now_ns();

	c0 = cntvct();
	for (uint64_t j = 0; j < n; j++) {
		memcpy(mid, pat + (j % 64) * 8, b);
		__asm__ volatile("" : : "r"(mid) : "memory");
		memcpy(out, mid, b);
		sum = csum_update(sum, out, b);
	}
	print_rate("memcpy", b * n, n, b, now_ns() - t0, cntvct() - c0, sum);
	return 0;
}

static int stream_send(struct chan *c, struct args *a)
{
	uint64_t b = a->has_b ? a->b : default_block(&c->ring), n = a->has_n ? a->n : 1024;
	uint64_t sum = CSUM_INIT, hdr[3] = { b * n, b, n }, end[2], c0;
	int64_t deadline = deadline_of(a), t0;
	uint8_t *pat;

	if (!b || b > ring_max_payload(&c->ring))
		die("stream: -b %llu: blocks of 1..%u bytes fit in this channel's ring",
		    (unsigned long long)b, ring_max_payload(&c->ring));
	pat = make_pattern(b);
	put(c, REC_STREAM_START, hdr, sizeof(hdr), deadline);
	commit_tx(c);
	t0 = now_ns();
	c0 = cntvct();
	for (uint64_t j = 0; j < n; j++) {
		const uint8_t *blk = pat + (j % 64) * 8;

		put(c, REC_STREAM_DATA, blk, (uint32_t)b, deadline);
		commit_tx(c);
		sum = csum_update(sum, blk, b);
	}
	end[0] = b * n;
	end[1] = sum;
	put(c, REC_STREAM_END, end, sizeof(end), deadline);
	commit_tx(c);
	print_rate("send", b * n, n, b, now_ns() - t0, cntvct() - c0, sum);
	return 0;
}

static int stream_recv(struct chan *c, struct args *a)
{
	uint32_t cap = ring_max_payload(&c->ring), type, len;
	uint8_t *buf = xmalloc((size_t)cap + 8);
	uint64_t sum = 0, bytes = 0, blocks = 0, block = 0, c0 = 0, *u = (uint64_t *)buf;
	int64_t deadline = deadline_of(a), t0 = 0;
	bool started = false;
	int r;

	for (;;) {
		if (!chan_wait_for(c, RING_WAKE_DATA, cond_rx, NULL, deadline))
			die("%s: timeout in the stream (%llu bytes so far)", c->name,
			    (unsigned long long)bytes);
		while ((r = ring_get(&c->ring, &type, buf, cap, &len))) {
			if (r < 0) {
				warnx("%s: malformed record: the peer's ring was dropped", c->name);
				started = false;
				continue;
			}
			if (type == REC_STREAM_START && len == 24) {
				started = true;
				sum = CSUM_INIT;
				bytes = blocks = 0;
				block = u[1];
				t0 = now_ns();
				c0 = cntvct();
			} else if (type == REC_STREAM_DATA && started) {
				sum = csum_update(sum, buf, len);
				bytes += len;
				blocks++;
			} else if (type == REC_STREAM_END && started && len == 16) {
				bool ok = u[0] == bytes && u[1] == sum;

				commit_rx(c);
				print_rate("recv", bytes, blocks, block, now_ns() - t0, cntvct() - c0,
					   sum);
				printf("cella-chan: stream %s: %s\n", c->name,
				       ok ? "ok: bytes and checksum match the sender's"
					  : "MISMATCH with the sender's bytes or checksum");
				return ok ? 0 : 1;
			}
		}
		commit_rx(c);
	}
}

int cmd_stream(struct args *a)
{
	struct chan c;

	if (a->memcpy_mode + a->send + a->recv != 1)
		die("stream: give one of --send, --recv, --memcpy");
	if (a->memcpy_mode)
		return stream_memcpy(a);
	if (a->npos < 1)
		die("stream: --send and --recv need a channel NAME");
	if (a->co.spin_ns < 0)
		a->co.spin_ns = SPIN_US * 1000;
	open_chan(&c, a, CHAN_USE_ALL);
	return a->send ? stream_send(&c, a) : stream_recv(&c, a);
}

/* ---- exchange ---- */

#define XMSG_MAX 32

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* xmsg - end @end's message @i: 1..32 bytes into @w, its length returned */
static uint32_t xmsg(unsigned end, uint64_t i, uint64_t w[XMSG_MAX / 8])
{
	uint64_t h = mix64((uint64_t)end << 56 ^ i);
	uint32_t len = 1 + (uint32_t)(h % XMSG_MAX);

	for (unsigned k = 0; k < (len + 7) / 8; k++)
		w[k] = mix64(h + k + 1);
	return len;
}

struct xchg {
	uint64_t n;
	/* sending */
	uint64_t sent, sent_sum, w[XMSG_MAX / 8];
	uint32_t wlen;		/* message 'sent' generated into w (0: not yet) */
	bool started, ended;
	/* receiving */
	uint64_t recv_n, recv_sum, peer_n, peer_sum;
	bool rx_started, rx_done;
	uint64_t need;		/* ring bytes of the largest record */
};

static bool x_tx(struct chan *c, struct xchg *x)
{
	bool put_any = false;

	if (!x->started) {
		if (!ring_put(&c->ring, REC_XSTART, &x->n, sizeof(x->n)))
			return false;
		x->started = put_any = true;
	}
	while (x->sent < x->n) {
		if (!x->wlen)
			x->wlen = xmsg(c->end, x->sent, x->w);
		if (!ring_put(&c->ring, REC_XMSG, x->w, x->wlen))
			break;
		x->sent_sum = csum_update(x->sent_sum, x->w, x->wlen);
		x->sent++;
		x->wlen = 0;
		put_any = true;
	}
	if (x->sent == x->n && !x->ended) {
		uint64_t e[2] = { x->n, x->sent_sum };

		if (ring_put(&c->ring, REC_XEND, e, sizeof(e)))
			x->ended = put_any = true;
	}
	if (put_any)
		commit_tx(c);
	return put_any;
}

static bool x_rx(struct chan *c, struct xchg *x)
{
	uint64_t buf[XMSG_MAX / 8];
	uint32_t type, len;
	bool took = false;
	int r;

	while (!x->rx_done && (r = ring_get(&c->ring, &type, buf, sizeof(buf), &len))) {
		took = true;
		if (r < 0) {
			warnx("%s: malformed record: the peer's ring was dropped", c->name);
			x->rx_started = false;
		} else if (type == REC_XSTART) {
			x->rx_started = true;
			x->recv_n = 0;
			x->recv_sum = CSUM_INIT;
		} else if (type == REC_XMSG && x->rx_started) {
			x->recv_sum = csum_update(x->recv_sum, buf, len < sizeof(buf) ? len : sizeof(buf));
			x->recv_n++;
		} else if (type == REC_XEND && x->rx_started && len == 16) {
			x->peer_n = buf[0];
			x->peer_sum = buf[1];
			x->rx_done = true;
		}
	}
	if (took)
		commit_rx(c);
	return took;
}

static bool cond_x(struct chan *c, void *arg)
{
	struct xchg *x = arg;

	return (!x->rx_done && ring_rx_avail(&c->ring)) ||
	       (!x->ended && ring_tx_free(&c->ring) >= x->need);
}

int cmd_exchange(struct args *a)
{
	struct chan c;
	struct xchg x = { .n = a->has_n ? a->n : 1000000, .sent_sum = CSUM_INIT,
			  .recv_sum = CSUM_INIT, .need = ring_rec_bytes(XMSG_MAX) };
	int64_t deadline = deadline_of(a), t0;
	uint64_t c0;
	unsigned why;
	bool ok;

	if (a->co.spin_ns < 0)
		a->co.spin_ns = SPIN_US * 1000;
	open_chan(&c, a, CHAN_USE_ALL);
	t0 = now_ns();
	c0 = cntvct();
	while (!x.ended || !x.rx_done) {
		bool progress = x_tx(&c, &x);

		progress |= x_rx(&c, &x);
		if (progress)
			continue;
		why = (x.rx_done ? 0 : RING_WAKE_DATA) | (x.ended ? 0 : RING_WAKE_SPACE);
		if (!chan_wait_for(&c, why, cond_x, &x, deadline))
			die("%s: timeout: sent %llu of %llu, received %llu", c.name,
			    (unsigned long long)x.sent, (unsigned long long)x.n,
			    (unsigned long long)x.recv_n);
	}
	ok = x.peer_n == x.recv_n && x.peer_sum == x.recv_sum;
	printf("cella-chan: exchange n=%llu sent_sum=%llu recv_sum=%llu recv_n=%llu\n",
	       (unsigned long long)x.n, (unsigned long long)x.sent_sum,
	       (unsigned long long)x.recv_sum, (unsigned long long)x.recv_n);
	printf("cella-chan: exchange %s: %s; %.3f s, ticks=%llu, doorbells=%llu wakeups=%llu\n",
	       c.name, ok ? "ok: what arrived matches what the peer says it sent"
			  : "MISMATCH with the peer's count or checksum",
	       (double)(now_ns() - t0) / 1e9, (unsigned long long)(cntvct() - c0),
	       (unsigned long long)c.doorbells, (unsigned long long)c.wakeups);
	return ok ? 0 : 1;
}
