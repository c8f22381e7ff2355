/* test_chan_ring.c - host unit tests of cella-chan's rings in a channel's shared memory
 * (tools/guest/chan_ring.c): layout and header checks, records of every length across the
 * wrap, full rings, truncation, corrupt counters and records, sleep tokens; then two threads
 * exchanging messages both ways through a small ring with doorbells simulated by semaphores,
 * which deadlocks (and fails on a timeout) if the sleep-token protocol ever loses a wakeup. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../tools/guest/chan_ring.h"

#define PAGE 4096

static uint64_t mem[PAGE / 8 * 4];	/* up to 4 pages, 8-byte aligned */

static uint64_t rnd_state = 0x1234567;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void fill(uint8_t *b, uint32_t len, uint64_t seed)
{
	for (uint32_t i = 0; i < len; i++)
		b[i] = (uint8_t)(seed * 31 + i * 7 + (seed >> 8));
}

static void attach_pair(struct ring *a, struct ring *b, uint64_t size)
{
	memset(mem, 0, sizeof(mem));
	assert_int_equal(ring_attach(a, mem, size, 0), RING_OK);
	assert_int_equal(ring_attach(b, mem, size, 1), RING_OK);
}

static void test_layout(void **state)
{
	struct ring r;

	assert_int_equal(ring_layout_size(PAGE), 1920);
	assert_int_equal(ring_layout_size(PAGE - 1), 0);
	assert_int_equal(ring_layout_size(2 * PAGE), ((2 * PAGE - 256) / 2) & ~63);
	memset(mem, 0, sizeof(mem));
	assert_int_equal(ring_attach(&r, mem, PAGE - 8, 0), RING_E_SMALL);
	/* a fresh (zero) header is written, the same one is accepted, another size is not */
	assert_int_equal(ring_attach(&r, mem, PAGE, 0), RING_OK);
	assert_int_equal(r.hdr->magic, CHAN_MAGIC);
	assert_int_equal(r.hdr->size, PAGE);
	assert_int_equal(r.hdr->ring_size, 1920);
	assert_int_equal(ring_attach(&r, mem, PAGE, 1), RING_OK);
	assert_int_equal(ring_attach(&r, mem, 2 * PAGE, 1), RING_E_SIZE);
	mem[0] = 0xdeadbeef;
	assert_int_equal(ring_attach(&r, mem, PAGE, 0), RING_E_MAGIC);
	ring_reset(mem);
	assert_int_equal(ring_attach(&r, mem, 2 * PAGE, 0), RING_OK);
	/* the two ends' rings do not overlap and stay inside the channel */
	assert_true((uint8_t *)r.tx == (uint8_t *)mem + CHAN_HDR_BYTES);
	assert_true((uint8_t *)r.rx + r.ring_size <= (uint8_t *)mem + 2 * PAGE);
}

static void test_put_get(void **state)
{
	struct ring a, b;
	uint8_t in[64], out[64 + 8];
	uint32_t type, len;

	attach_pair(&a, &b, PAGE);
	for (uint32_t l = 0; l <= 40; l++) {
		fill(in, l, l);
		assert_true(ring_put(&a, 100 + l, in, l));
	}
	assert_int_equal(ring_rx_avail(&b), 0);		/* nothing before the commit */
	ring_tx_commit(&a);
	for (uint32_t l = 0; l <= 40; l++) {
		assert_int_equal(ring_get(&b, &type, out, 64, &len), 1);
		assert_int_equal(type, 100 + l);
		assert_int_equal(len, l);
		fill(in, l, l);
		assert_memory_equal(in, out, l);
	}
	assert_int_equal(ring_get(&b, &type, out, 64, &len), 0);
	/* the space comes back only with the consumer's commit */
	assert_true(ring_tx_free(&a) < a.ring_size);
	ring_rx_commit(&b);
	assert_int_equal(ring_tx_free(&a), a.ring_size);
	/* the other direction is independent */
	assert_true(ring_put(&b, 7, "x", 1));
	ring_tx_commit(&b);
	assert_int_equal(ring_get(&a, &type, out, 64, &len), 1);
	assert_int_equal(type, 7);
	assert_int_equal(ring_get(&b, &type, out, 64, &len), 0);
}

/* random lengths through a small ring, producer and consumer interleaved at random: every
 * record arrives once, in order, intact, across many wraps; the ring is full exactly when
 * a record does not fit */
static void test_wrap_full(void **state)
{
	struct ring a, b;
	static uint8_t in[2048], out[2048 + 8];
	uint64_t sent = 0, got = 0;
	uint32_t type, len, lens[4096];

	attach_pair(&a, &b, PAGE);
	for (int step = 0; step < 200000; step++) {
		if (rnd() % 2) {
			uint32_t l = (uint32_t)(rnd() % 3 ? rnd() % 40 : rnd() % 1000);
			uint64_t free_before = ring_tx_free(&a);

			fill(in, l, sent);
			if (ring_put(&a, (uint32_t)sent, in, l)) {
				assert_true(free_before >= ring_rec_bytes(l));
				lens[sent % 4096] = l;
				sent++;
			} else {
				assert_true(free_before < ring_rec_bytes(l));
			}
			if (rnd() % 3 == 0)
				ring_tx_commit(&a);
		} else {
			int r = ring_get(&b, &type, out, sizeof(out) - 8, &len);

			assert_true(r >= 0);
			if (r) {
				assert_int_equal(type, (uint32_t)got);
				assert_int_equal(len, lens[got % 4096]);
				fill(in, len, got);
				assert_memory_equal(in, out, len);
				got++;
			}
			if (rnd() % 3 == 0)
				ring_rx_commit(&b);
		}
		assert_true(sent - got < 4096);
	}
	assert_true(got > 10000);
	assert_int_equal(b.corrupt, 0);
	assert_true(!ring_put(&a, 0, in, ring_max_payload(&a) + 1));
}

static void test_truncate(void **state)
{
	struct ring a, b;
	uint8_t in[100], out[16 + 8];
	uint32_t type, len;

	attach_pair(&a, &b, PAGE);
	fill(in, 100, 5);
	assert_true(ring_put(&a, 1, in, 100));
	assert_true(ring_put(&a, 2, in, 3));
	ring_tx_commit(&a);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(ring_get(&b, &type, out, 13, &len), 1);
	assert_int_equal(len, 100);			/* the full length */
	assert_memory_equal(out, in, 13);
	assert_int_equal(ring_get(&b, &type, out, 13, &len), 1);	/* the next is intact */
	assert_int_equal(type, 2);
	assert_int_equal(len, 3);
}

static void test_corrupt(void **state)
{
	struct ring a, b;
	uint8_t out[64];
	uint32_t type, len;

	/* a head more than a ring ahead of the tail: everything dropped, the tail follows */
	attach_pair(&a, &b, PAGE);
	a.me->tx_head = 10 * a.ring_size;
	assert_int_equal(ring_rx_avail(&b), 0);
	assert_int_equal(b.corrupt, 1);
	assert_int_equal(b.me->rx_tail, 10 * a.ring_size);
	/* the producer, resynchronised, goes on from there */
	ring_resync(&a);
	assert_int_equal(ring_tx_free(&a), a.ring_size);
	assert_true(ring_put(&a, 3, "ok", 2));
	ring_tx_commit(&a);
	assert_int_equal(ring_get(&b, &type, out, 64, &len), 1);
	assert_int_equal(type, 3);
	/* a record header claiming more than was published */
	assert_true(ring_put(&a, 4, "abcdefgh", 8));
	ring_tx_commit(&a);
	a.tx[((a.tx_head - 16) % a.ring_size) / 8] = 4000;
	assert_int_equal(ring_get(&b, &type, out, 64, &len), -1);
	assert_int_equal(b.corrupt, 2);
	assert_int_equal(ring_get(&b, &type, out, 64, &len), 0);
	/* a head that is not 8-aligned */
	a.me->tx_head += 3;
	assert_int_equal(ring_rx_avail(&b), 0);
	assert_int_equal(b.corrupt, 3);
	/* a consumer tail ahead of the producer's head: nothing free until it is repaired */
	attach_pair(&a, &b, PAGE);
	b.me->rx_tail = 64;
	assert_int_equal(ring_tx_free(&a), 0);
	assert_false(ring_put(&a, 1, "x", 1));
}

static void test_tokens(void **state)
{
	struct ring a, b, b2;
	uint64_t old;

	attach_pair(&a, &b, PAGE);
	assert_false(ring_peer_wants_ring(&a, RING_WAKE_DATA));	/* awake */
	ring_sleep_begin(&b, RING_WAKE_DATA);
	assert_false(ring_peer_wants_ring(&a, RING_WAKE_SPACE));	/* not what it waits for */
	assert_true(ring_peer_wants_ring(&a, RING_WAKE_DATA));
	assert_false(ring_peer_wants_ring(&a, RING_WAKE_DATA));	/* once per sleep */
	ring_sleep_end(&b, RING_WAKE_DATA);
	assert_false(ring_peer_wants_ring(&a, RING_WAKE_DATA));
	ring_sleep_begin(&b, RING_WAKE_DATA | RING_WAKE_SPACE);
	assert_true(ring_peer_wants_ring(&a, RING_WAKE_SPACE));
	assert_true(ring_peer_wants_ring(&a, RING_WAKE_DATA));
	assert_false(ring_peer_wants_ring(&a, RING_WAKE_DATA | RING_WAKE_SPACE));
	/* b dies asleep; a process that attaches to the same end (e.g. a sender while a receiver
	 * waits) leaves the tokens alone, and its own tokens are new ones */
	old = b.me->sleep_data;
	assert_int_equal(ring_attach(&b2, mem, PAGE, 1), RING_OK);
	assert_true(b2.me->sleep_data == old);
	ring_sleep_begin(&b2, RING_WAKE_DATA);
	assert_true(b2.me->sleep_data > old);
	assert_true(ring_peer_wants_ring(&a, RING_WAKE_DATA));
	/* one process's wakeup does not clear the other's sleep */
	ring_sleep_begin(&b, RING_WAKE_DATA);
	ring_sleep_begin(&b2, RING_WAKE_SPACE);
	ring_sleep_end(&b2, RING_WAKE_SPACE);
	assert_true(ring_peer_wants_ring(&a, RING_WAKE_DATA));
}

static void test_csum(void **state)
{
	const uint64_t p = 0x100000001b3ull;
	uint64_t w, h;

	memcpy(&w, "abcdefgh", 8);
	assert_true(csum_update(CSUM_INIT, "abcdefgh", 8) == (((CSUM_INIT ^ w) * p) ^ 8) * p);
	w = 'x';
	assert_true(csum_update(CSUM_INIT, "x", 1) == (((CSUM_INIT ^ w) * p) ^ 1) * p);
	h = csum_update(CSUM_INIT, "", 0);
	assert_true(h == (CSUM_INIT ^ 0) * p);
	/* the length counts: "x" and "x\0" differ */
	assert_true(csum_update(CSUM_INIT, "x\0", 2) != csum_update(CSUM_INIT, "x", 1));
}

/* ---- two threads, doorbells as semaphores ---- */

#define XN 300000

struct end {
	struct ring r;
	sem_t *mine, *peer;
	uint64_t sent_sum, recv_sum, recv_n, rings, sleeps;	/* sleeps: odd tokens stored */
	int failed;			/* 1: a wakeup was lost (timeout), 2: bad data */
};

static void notify(struct end *e, unsigned what)
{
	if (ring_peer_wants_ring(&e->r, what)) {
		e->rings++;
		sem_post(e->peer);
	}
}

static uint32_t msg(unsigned end, uint64_t i, uint8_t *b)
{
	uint32_t l = 1 + (uint32_t)((i * 2654435761u + end) % 60);

	fill(b, l, i ^ (uint64_t)end << 40);
	return l;
}

static void *run_end(void *arg)
{
	struct end *e = arg;
	uint8_t b[64], in[64 + 8];
	uint64_t sent = 0;
	uint32_t type, len, l = 0;
	int r;

	while ((sent < XN || e->recv_n < XN) && !e->failed) {
		bool progress = false;
		unsigned why = 0;
		struct timespec ts;

		while (sent < XN) {
			if (!l)
				l = msg(e->r.end, sent, b);
			if (!ring_put(&e->r, 1, b, l))
				break;
			e->sent_sum = csum_update(e->sent_sum, b, l);
			sent++;
			l = 0;
			progress = true;
		}
		if (progress) {
			ring_tx_commit(&e->r);
			notify(e, RING_WAKE_DATA);
		}
		bool took = false;
		while ((r = ring_get(&e->r, &type, in, 64, &len))) {
			if (r < 0 || type != 1 || len > 60) {
				e->failed = 2;
				break;
			}
			e->recv_sum = csum_update(e->recv_sum, in, len);
			e->recv_n++;
			took = true;
		}
		if (took) {
			ring_rx_commit(&e->r);
			notify(e, RING_WAKE_SPACE);
			continue;
		}
		if (progress)
			continue;
		/* nothing to do: sleep until the peer rings (the sleep-token protocol) */
		if (e->recv_n < XN)
			why |= RING_WAKE_DATA;
		if (sent < XN)
			why |= RING_WAKE_SPACE;
		sched_yield();	/* widen the window in which the peer's progress races our sleep */
		ring_sleep_begin(&e->r, why);
		e->sleeps += (why & RING_WAKE_DATA ? 1 : 0) + (why & RING_WAKE_SPACE ? 1 : 0);
		if (((why & RING_WAKE_DATA) && ring_rx_avail(&e->r)) ||
		    ((why & RING_WAKE_SPACE) && ring_tx_free(&e->r) >= ring_rec_bytes(64))) {
			ring_sleep_end(&e->r, why);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 10;
		do
			r = sem_timedwait(e->mine, &ts);
		while (r && errno == EINTR);
		if (r)
			e->failed = 1;
		ring_sleep_end(&e->r, why);
	}
	return NULL;
}

static void test_threads(void **state)
{
	static sem_t sem[2];
	struct end e[2];
	pthread_t t[2];

	memset(mem, 0, sizeof(mem));
	for (int i = 0; i < 2; i++) {
		memset(&e[i], 0, sizeof(e[i]));
		sem_init(&sem[i], 0, 0);
		assert_int_equal(ring_attach(&e[i].r, mem, PAGE, (unsigned)i), RING_OK);
		e[i].mine = &sem[i];
		e[i].peer = &sem[1 - i];
		e[i].sent_sum = e[i].recv_sum = CSUM_INIT;
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, run_end, &e[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(e[i].failed, 0);
		assert_int_equal(e[i].recv_n, XN);
		assert_true(e[i].recv_sum == e[1 - i].sent_sum);
		/* a doorbell only for a sleeper, at most one per sleep token */
		assert_true(e[i].rings <= e[1 - i].sleeps);
		sem_destroy(&sem[i]);
	}
}

/* ping-pong: each end waits for the other's one record before it sends its next, so a single
 * lost wakeup deadlocks at once */
#define PN 50000

static bool wait_data(struct end *e)
{
	struct timespec ts;
	int r;

	for (;;) {
		if (ring_rx_avail(&e->r))
			return true;
		sched_yield();	/* the race window: the peer may commit (and look at us) now */
		ring_sleep_begin(&e->r, RING_WAKE_DATA);
		e->sleeps++;
		if (ring_rx_avail(&e->r)) {
			ring_sleep_end(&e->r, RING_WAKE_DATA);
			return true;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 10;
		do
			r = sem_timedwait(e->mine, &ts);
		while (r && errno == EINTR);
		ring_sleep_end(&e->r, RING_WAKE_DATA);
		if (r)
			return false;
	}
}

static bool pp_send(struct end *e, uint64_t v)
{
	if (!ring_put(&e->r, 2, &v, 8))
		return false;
	ring_tx_commit(&e->r);
	notify(e, RING_WAKE_DATA);
	return true;
}

static bool pp_recv(struct end *e, uint64_t want)
{
	uint64_t got[1];
	uint32_t type, len;

	if (!wait_data(e)) {
		e->failed = 1;
		return false;
	}
	if (ring_get(&e->r, &type, got, 8, &len) != 1 || got[0] != want)
		return false;
	ring_rx_commit(&e->r);
	e->recv_n++;
	return true;
}

/* end 0 pings i and waits for its pong; end 1 waits for ping i and pongs it */
static void *run_pingpong(void *arg)
{
	struct end *e = arg;

	for (uint64_t i = 0; i < PN; i++) {
		bool ok = e->r.end == 0 ? pp_send(e, i) && pp_recv(e, i)
					: pp_recv(e, i) && pp_send(e, i);

		if (!ok) {
			if (!e->failed)
				e->failed = 2;
			return NULL;
		}
	}
	return NULL;
}

static void test_pingpong_threads(void **state)
{
	static sem_t sem[2];
	struct end e[2];
	pthread_t t[2];

	memset(mem, 0, sizeof(mem));
	for (int i = 0; i < 2; i++) {
		memset(&e[i], 0, sizeof(e[i]));
		sem_init(&sem[i], 0, 0);
		assert_int_equal(ring_attach(&e[i].r, mem, PAGE, (unsigned)i), RING_OK);
		e[i].mine = &sem[i];
		e[i].peer = &sem[1 - i];
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, run_pingpong, &e[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(e[i].failed, 0);
		assert_true(e[i].rings <= e[1 - i].sleeps);
		sem_destroy(&sem[i]);
	}
	assert_int_equal(e[0].recv_n, PN);
	assert_int_equal(e[1].recv_n, PN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_wrap_full),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_csum),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_pingpong_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
