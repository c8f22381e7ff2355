/* cella-chan.c - cella's channel tool for Linux cells: list channels, send and receive
 * messages, measure round trips and throughput, exchange a million checksummed messages, watch
 * the peer start and stop; plus cella-ctl (cell control through the portal, cella_ctl.c) and
 * native-Linux baselines (edu-ping, pipe-ping: native_ping.c). One static arm64 binary, built
 * into the guest initramfs by tools/fetch-guest.sh; `cella-chan --help` lists the commands.
 *
 * A channel is an ivshmem-compatible PCI function (chan.h) driven through uio_pci_generic. In
 * its shared memory cella-chan keeps two rings of framed records, one per direction, with
 * per-end control blocks and sleep tokens so that a doorbell is rung only for a peer that
 * waits (chan_ring.h; docs/channels.md "The ring protocol"):
 *
 *   0x000 header (magic "CCH1", size)  0x040 end 0's control  0x080 end 1's control
 *   0x100 ring 0 (end 0 -> end 1)      0x100 + R ring 1 (end 1 -> end 0)
 *   control block: tx_head (bytes written), rx_tail (bytes consumed), sleep_data and
 *   sleep_space (tokens: odd while waiting for records / for room)
 *   record: u32 length, u32 type, payload padded to 8 bytes
 *
 * Record types: MSG (send/recv/watch), PING/PONG/BYE (ping/pong), STREAM_START/DATA/END
 * (stream), XSTART/XMSG/XEND (exchange). A receiver skips the types it does not expect, so a
 * message left by an earlier run never confuses a later one for long: exchange and stream
 * count from their START record on, ping matches its nonce. */
#define _GNU_SOURCE
#include "cmd.h"
#include "util.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cella/abi.h"

#define SPIN_US 200		/* stream and exchange: --spin's default (microseconds) */

/* options a command takes */
enum {
	O_N = 1 << 0,		/* -n COUNT */
	O_B = 1 << 1,		/* -b BYTES */
	O_TIMEOUT = 1 << 2,	/* --timeout S */
	O_DIR = 1 << 3,		/* --send --recv --memcpy */
	O_CNTVCT = 1 << 4,	/* --cntvct */
	O_CHAN = 1 << 5,	/* --end --poll --irq --doorbell-edu */
	O_WARMUP = 1 << 6,	/* --warmup W */
	O_PIN = 1 << 7,		/* --pin */
};

struct cmd {
	const char *name;
	int (*fn)(struct args *a);
	unsigned opts;
	int min_pos, max_pos;	/* max -1: any */
	const char *usage;
	const char *summary;
	const char *help;
};

static const struct cmd *find_cmd(const char *name);

static int64_t deadline_of(const struct args *a)
{
	return a->timeout > 0 ? now_ns() + (int64_t)(a->timeout * 1e9) : 0;
}

static void open_chan(struct chan *c, const struct args *a, unsigned use)
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

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

/* ---- list, bind, reset ---- */

static const char *rights_str(uint32_t r, char *buf)
{
	buf[0] = r & CELLA_R_READ ? 'r' : '-';
	buf[1] = r & CELLA_R_WRITE ? 'w' : '-';
	buf[2] = r & CELLA_R_NOTIFY ? 'n' : '-';
	buf[3] = 0;
	return buf;
}

static int cmd_list(struct args *a)
{
	struct chan c[CHAN_MAX];
	int n = chan_find_all(c, CHAN_MAX);
	char size[32], rights[8], peer[96], uio[16], end[8], slot[16];

	(void)a;
	if (!n) {
		printf("no channels (no %s, no PCI function 1af4:1110)\n", DT_CHANNELS);
		return 0;
	}
	printf("%-12s %-13s %-8s %-4s %-4s %-6s %-24s %s\n", "NAME", "PCI", "SIZE", "SLOT", "END",
	       "RIGHTS", "PEER", "UIO");
	for (int i = 0; i < n; i++) {
		uint32_t pos;
		int u;

		if (!chan_probe(&c[i])) {
			printf("%-12s %-13s (cannot bind uio_pci_generic)\n", c[i].name,
			       c[i].addr[0] ? c[i].addr : "-");
			continue;
		}
		pos = chan_reg(&c[i], IVSHMEM_IV_POSITION);
		snprintf(end, sizeof(end), pos > 1 ? "-" : "%u", pos);
		if (c[i].cella) {
			uint32_t s = chan_reg(&c[i], IVSHMEM_SLOT);

			snprintf(slot, sizeof(slot), "%u", s);
			rights_str(chan_reg(&c[i], IVSHMEM_RIGHTS), rights);
			snprintf(peer, sizeof(peer), "%s %s", c[i].peer_name[0] ? c[i].peer_name : "?",
				 chan_peer_str(c[i].peer_state));
			if (c[i].dt && s != c[i].dt_slot)
				warnx("%s: the SLOT register (%u) differs from the device tree's (%llu)",
				      c[i].name, s, (unsigned long long)c[i].dt_slot);
		} else {
			snprintf(slot, sizeof(slot), "-");
			snprintf(rights, sizeof(rights), "?");
			snprintf(peer, sizeof(peer), "? (not a cella channel)");
		}
		u = uio_number(c[i].addr);
		snprintf(uio, sizeof(uio), u < 0 ? "-" : "uio%d", u);
		printf("%-12s %-13s %-8s %-4s %-4s %-6s %-24s %s\n", c[i].name, c[i].addr,
		       fmt_size(size, sizeof(size), c[i].size), slot, end, rights, peer, uio);
	}
	return 0;
}

static int cmd_bind(struct args *a)
{
	struct chan c[CHAN_MAX];
	char portal[4][PCI_ADDR_LEN];
	int n = chan_find_all(c, CHAN_MAX), np, fail = 0, u;

	(void)a;
	for (int i = 0; i < n; i++) {
		if (!c[i].addr[0] || uio_bind(c[i].addr)) {
			fail = 1;
			continue;
		}
		u = uio_number(c[i].addr);
		printf("cella-chan: channel %s %s -> /dev/uio%d\n", c[i].name, c[i].addr, u);
	}
	np = pci_scan(PCI_VENDOR_REDHAT, PCI_DEVICE_PORTAL, portal, 4);
	for (int i = 0; i < np && i < 4; i++) {
		if (uio_bind(portal[i])) {
			fail = 1;
			continue;
		}
		printf("cella-chan: portal %s -> /dev/uio%d\n", portal[i], uio_number(portal[i]));
	}
	if (!n && !np)
		printf("cella-chan: no channels and no portal\n");
	return fail;
}

static int cmd_reset(struct args *a)
{
	struct chan c;

	open_chan(&c, a, CHAN_USE_RESET);
	ring_reset(c.shm);
	printf("cella-chan: %s: rings cleared (both ends' counters are zero)\n", c.name);
	return 0;
}

/* ---- send, recv, watch ---- */

static int cmd_send(struct args *a)
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

static int cmd_recv(struct args *a)
{
	struct chan c;

	open_chan(&c, a, CHAN_USE_RX);
	return receive(&c, a, a->has_n ? a->n : 1, NULL);
}

static int cmd_watch(struct args *a)
{
	struct chan c;
	char prefix[96];

	open_chan(&c, a, CHAN_USE_RX);
	c.notices = stdout;
	printf("cella-chan: %s: watching (end %u, peer %s)\n", c.name, c.end,
	       chan_peer_str(c.peer_state));
	fflush(stdout);
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

static int cmd_ping(struct args *a)
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

static int cmd_pong(struct args *a)
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
	       "MBps=%.1f sum=%llu\n", what, (unsigned long long)bytes, (unsigned long long)blocks,
	       (unsigned long long)b, (long long)ns, (unsigned long long)ticks,
	       ns > 0 ? (double)bytes * 1e3 / (double)ns : 0.0, (unsigned long long)sum);
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

static int cmd_stream(struct args *a)
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

static int cmd_exchange(struct args *a)
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
	printf("cella-chan: exchange n=%llu sent_sum=%llu recv_n=%llu recv_sum=%llu\n",
	       (unsigned long long)x.n, (unsigned long long)x.sent_sum,
	       (unsigned long long)x.recv_n, (unsigned long long)x.recv_sum);
	printf("cella-chan: exchange %s: %s; %.3f s, ticks=%llu, doorbells=%llu wakeups=%llu\n",
	       c.name, ok ? "ok: what arrived matches what the peer says it sent"
			  : "MISMATCH with the peer's count or checksum",
	       (double)(now_ns() - t0) / 1e9, (unsigned long long)(cntvct() - c0),
	       (unsigned long long)c.doorbells, (unsigned long long)c.wakeups);
	return ok ? 0 : 1;
}

/* ---- ctl, help, the command line ---- */

static int cmd_ctl(struct args *a)
{
	(void)a;
	return 0;	/* main hands "ctl" to ctl_main before parsing */
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define CHAN_OPTS_HELP \
	"channel options:\n" \
	"  --end 0|1           act as this end (default: the IVPosition register); two processes\n" \
	"                      on one Linux can so be the two ends of one function (tests)\n" \
	"  --poll              poll the shared memory instead of sleeping for doorbells\n" \
	"  --spin US           poll US microseconds before sleeping for a doorbell (default:\n" \
	"                      " STR(SPIN_US) " for stream and exchange, 0 for the others)\n" \
	"  --irq               wait for doorbell interrupts (default on cella's channels only;\n" \
	"                      QEMU's ivshmem-plain has none)\n" \
	"  --doorbell-edu A,B  tests on QEMU: doorbells through two edu devices: wait on A's\n" \
	"                      interrupt, raise B's for the peer (the peer gives B,A)\n"

static const struct cmd cmds[] = {
	{ "list", cmd_list, 0, 0, 0, "",
	  "list the channels: name, PCI address, size, slot, end, rights, peer, uio device",
	  "Binds uio_pci_generic to every channel first (as every command does).\n"
	  "SIZE is the channel's (the SIZE register; BAR2's size on a function that is not\n"
	  "cella's), END the IVPosition register, RIGHTS r(ead) w(rite) n(otify), PEER the\n"
	  "peer cell's name (device tree) and whether it runs (PEER_STATE register).\n" },
	{ "bind", cmd_bind, 0, 0, 0, "",
	  "load uio_pci_generic and bind it to every channel and the portal",
	  "Loads uio.ko and uio_pci_generic.ko from /lib/modules/$(uname -r) (or modprobe),\n"
	  "writes '1af4 1110' (and '1af4 11ce') to the driver's new_id and prints /dev/uioN of\n"
	  "each function.\n" },
	{ "send", cmd_send, O_TIMEOUT | O_CHAN, 2, -1, "NAME TEXT...",
	  "put one message (the words of TEXT) into the channel and ring the peer",
	  "The message stays in the ring until the peer takes it (recv, watch), also when the\n"
	  "peer starts later. Waits (up to --timeout S) while the ring is full.\n" },
	{ "recv", cmd_recv, O_N | O_TIMEOUT | O_CHAN, 1, 1, "NAME [-n COUNT] [--timeout S]",
	  "wait for a message (COUNT messages; -n 0: forever) and print its text",
	  "Prints each message's text alone on a line. Exits 1 after --timeout S seconds without\n"
	  "one. Peer starts and stops are reported on stderr as 'cella-chan: NAME: peer started'\n"
	  "and '... peer stopped'.\n" },
	{ "watch", cmd_watch, O_TIMEOUT | O_CHAN, 1, 1, "NAME",
	  "print messages and peer starts and stops as they happen, until interrupted",
	  "Lines: 'cella-chan: NAME: message: TEXT', 'cella-chan: NAME: peer started',\n"
	  "'cella-chan: NAME: peer stopped'.\n" },
	{ "sensor", cmd_sensor, O_N | O_TIMEOUT | O_CHAN, 1, 1, "NAME [-n COUNT] [--timeout S]",
	  "print the sensor component's readings from its channel as they arrive",
	  "Reads the page components/sensor publishes (include/cella/sensor.h) and prints each\n"
	  "reading as 'cella-chan: NAME: reading N: DEGREES C', starting from the newest, woken by\n"
	  "the sensor's doorbell; COUNT readings, or until interrupted. It never writes the channel\n"
	  "(the demo maps it read-only into ui).\n" },
	{ "ping", cmd_ping, O_N | O_TIMEOUT | O_CHAN | O_CNTVCT | O_WARMUP, 1, 1,
	  "NAME [-n COUNT] [--warmup W] [--cntvct] [--timeout S]",
	  "round trips with 'pong' at the other end; min/median/max/total in ns and ticks",
	  "Each round trip: a PING record, the doorbell (if the peer sleeps), the peer's PONG and\n"
	  "its doorbell. Timed with clock_gettime and CNTVCT_EL0; W untimed round trips first.\n"
	  "--cntvct adds a last line for scripts: 'cella-chan: ping n=N total_ticks=T cntfrq=F'\n"
	  "(under QEMU -icount shift=0, T * 1e9 / F instructions). Default COUNT 100.\n" },
	{ "pong", cmd_pong, O_N | O_TIMEOUT | O_CHAN, 1, 1, "NAME [-n COUNT]",
	  "answer pings: COUNT of them, or until the pinger says it is done",
	  "Without -n it ends when 'ping' finishes (a BYE record after its round trips).\n" },
	{ "stream", cmd_stream, O_N | O_B | O_TIMEOUT | O_CHAN | O_DIR, 0, 1,
	  "NAME --send|--recv [-b BYTES] [-n COUNT] | --memcpy [-b BYTES] [-n COUNT]",
	  "throughput: COUNT blocks of BYTES through the ring, checksummed on both sides",
	  "Run --recv at one end and --send at the other with the same -b and -n. Both print\n"
	  "'cella-chan: stream send|recv bytes=... MBps=... sum=S'; the receiver also checks S\n"
	  "against the sender's and exits 1 on a mismatch. --memcpy copies the same blocks twice\n"
	  "inside this process (the in-memory baseline) and prints the same sum. Defaults: BYTES\n"
	  "4096 (less if the ring is small), COUNT 1024.\n" },
	{ "exchange", cmd_exchange, O_N | O_TIMEOUT | O_CHAN, 1, 1, "NAME [-n COUNT]",
	  "both ends send COUNT messages to each other and checksum what arrives",
	  "Run at both ends. Messages are 1..32 bytes, many per doorbell. Prints\n"
	  "'cella-chan: exchange n=N sent_sum=S recv_n=M recv_sum=R': one end's sent_sum must\n"
	  "equal the other's recv_sum; each end also checks R against the peer's own sum and\n"
	  "exits 1 on a mismatch. Default COUNT 1000000.\n" },
	{ "reset", cmd_reset, O_CHAN, 1, 1, "NAME",
	  "clear the rings' header and counters (only while no one uses the channel)", "" },
	{ "ctl", cmd_ctl, 0, 0, -1, "COMMAND ...",
	  "cell control through the portal: the same as cella-ctl ('cella-chan ctl --help')", "" },
	{ "edu-ping", cmd_edu_ping, O_N | O_WARMUP | O_PIN, 0, 2,
	  "[-n COUNT] [--warmup W] [--pin] [EDU_A EDU_B]",
	  "native baseline: two processes ping-pong INTx through two QEMU edu devices",
	  "Process A raises EDU_B's interrupt (register 0x60); process B, waiting on EDU_B's\n"
	  "/dev/uioN, acknowledges it (0x64), re-enables INTx (config byte 5) and raises EDU_A's;\n"
	  "A waits on EDU_A the same way. Needs QEMU '-device edu -device edu' (the first two\n"
	  "edu functions by default). --pin puts A on CPU 0 and B on CPU 1 (or 0). Prints\n"
	  "'cella-chan: edu-ping n=N total_ticks=T cntfrq=F ns_per_rt=X' (X = instructions per\n"
	  "round trip under QEMU -icount shift=0). Default COUNT 1000.\n" },
	{ "pipe-ping", cmd_pipe_ping, O_N | O_WARMUP | O_PIN, 0, 0,
	  "[-n COUNT] [--warmup W] [--pin]",
	  "native baseline: two processes ping-pong one byte through two pipes",
	  "Prints 'cella-chan: pipe-ping n=N total_ticks=T cntfrq=F ns_per_rt=X'.\n"
	  "Default COUNT 1000.\n" },
};

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static void usage_all(FILE *f)
{
	fprintf(f, "usage: cella-chan COMMAND [ARGS...]   (cella-chan COMMAND --help for more)\n\n"
		   "cella's channels from a Linux cell: shared memory with doorbells, seen as\n"
		   "ivshmem PCI functions driven through uio_pci_generic (docs/channels.md).\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nNAME is a channel's name (/proc/device-tree/cella/channels/NAME, else ivshmemN)\n"
		   "or its PCI address. cella-ctl (the same program) controls cells: cella-ctl --help.\n");
}

static void usage_cmd(const struct cmd *c, FILE *f)
{
	fprintf(f, "usage: cella-chan %s %s\n\n%s.\n\n%s", c->name, c->usage, c->summary, c->help);
	if (c->opts & O_CHAN)
		fprintf(f, "\n" CHAN_OPTS_HELP);
}

static void bad_usage(const struct cmd *c, const char *fmt, const char *arg)
{
	fprintf(stderr, "cella-chan %s: ", c->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage_cmd(c, stderr);
	exit(2);
}

static void parse(const struct cmd *c, int argc, char **argv, struct args *a)
{
	bool opts = true;

	memset(a, 0, sizeof(*a));
	a->co.end = -1;
	a->co.irq = -1;
	a->co.spin_ns = -1;
	a->pos = xmalloc(sizeof(*a->pos) * (size_t)argc);
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned o = c->opts;

		if (!opts || s[0] != '-' || !s[1]) {
			a->pos[a->npos++] = s;
			continue;
		}
		if (!strcmp(s, "--")) {
			opts = false;
		} else if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			usage_cmd(c, stdout);
			exit(0);
		} else if ((o & O_N) && !strcmp(s, "-n")) {
			a->n = arg_u64(s, v);
			a->has_n = true;
			i++;
		} else if ((o & O_B) && !strcmp(s, "-b")) {
			a->b = arg_u64(s, v);
			a->has_b = true;
			i++;
		} else if ((o & O_WARMUP) && !strcmp(s, "--warmup")) {
			a->warmup = arg_u64(s, v);
			i++;
		} else if ((o & O_TIMEOUT) && !strcmp(s, "--timeout")) {
			char *end;

			a->timeout = v ? strtod(v, &end) : 0;
			if (!v || *end || a->timeout < 0)
				bad_usage(c, "--timeout needs a number of seconds", "");
			i++;
		} else if ((o & O_DIR) && !strcmp(s, "--send")) {
			a->send = true;
		} else if ((o & O_DIR) && !strcmp(s, "--recv")) {
			a->recv = true;
		} else if ((o & O_DIR) && !strcmp(s, "--memcpy")) {
			a->memcpy_mode = true;
		} else if ((o & O_CNTVCT) && !strcmp(s, "--cntvct")) {
			a->cntvct = true;
		} else if ((o & O_PIN) && !strcmp(s, "--pin")) {
			a->pin = true;
		} else if ((o & O_CHAN) && !strcmp(s, "--end")) {
			uint64_t e = arg_u64(s, v);

			if (e > 1)
				bad_usage(c, "--end is 0 or 1", "");
			a->co.end = (int)e;
			i++;
		} else if ((o & O_CHAN) && !strcmp(s, "--spin")) {
			a->co.spin_ns = (int64_t)arg_u64(s, v) * 1000;
			i++;
		} else if ((o & O_CHAN) && !strcmp(s, "--poll")) {
			a->co.irq = 0;
		} else if ((o & O_CHAN) && !strcmp(s, "--irq")) {
			a->co.irq = 1;
		} else if ((o & O_CHAN) && !strcmp(s, "--doorbell-edu")) {
			static char buf[2 * PCI_ADDR_LEN];
			char *comma;

			if (!v || strlen(v) >= sizeof(buf) || !(comma = strchr(strcpy(buf, v), ',')))
				bad_usage(c, "--doorbell-edu needs A,B (two PCI addresses)", "");
			*comma = 0;
			a->co.edu[0] = buf;
			a->co.edu[1] = comma + 1;
			i++;
		} else {
			bad_usage(c, "unknown option '%s'", s);
		}
	}
	if (a->npos < c->min_pos || (c->max_pos >= 0 && a->npos > c->max_pos))
		bad_usage(c, "wrong number of arguments%s", "");
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const struct cmd *c;
	struct args a;

	base = base ? base + 1 : argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(base, "cella-ctl")) {
		prog = "cella-ctl";
		return ctl_main(argc, argv);
	}
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage_all(stdout);
		return argc < 2 ? 2 : 0;
	}
	c = find_cmd(argv[1]);
	if (!c) {
		fprintf(stderr, "cella-chan: unknown command '%s'\n\n", argv[1]);
		usage_all(stderr);
		return 2;
	}
	if (!strcmp(c->name, "ctl")) {
		prog = "cella-ctl";
		return ctl_main(argc - 1, argv + 1);
	}
	parse(c, argc - 1, argv + 1, &a);
	return c->fn(&a);
}
