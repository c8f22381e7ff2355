/* sensor.c - an example native component that publishes readings on a channel: a simulated
 * temperature, a deterministic function of the virtual counter (a 60-second triangle wave of
 * 18..24 degrees C plus a small wobble from the reading's number), taken every period on the
 * virtual timer, written into the channel's memory in the layout of include/cella/sensor.h
 * (magic, sequence lock, a ring of the last 16 readings with their CNTVCT), then the peer's
 * doorbell is rung (chan_notify). The peer needs not run: the readings wait in the ring.
 *
 * Bootargs: sensor.channel=NAME (default: the cell's first channel, /cella/channels),
 * sensor.period-ms=P (default 1000), sensor.report=N (a console line every N readings,
 * default 10; 0: none), sensor.count=K (power off after K readings; default 0: never).
 * This end must be a writer of the channel. Exit status 1 if there is no such channel or it is
 * read-only here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cella/sensor.h>
#include <rt/runtime.h>

#define SENSOR_WAVE_MS 60000u		/* the triangle wave's period */

/* the bootarg "@key=<decimal>" or @def */
static uint64_t arg(const char *key, uint64_t def)
{
	char buf[24], *end;
	unsigned long long v;

	if (!rt_bootarg(key, buf, sizeof(buf)))
		return def;
	v = strtoull(buf, &end, 10);
	return *buf && !*end ? v : def;
}

/* sensor_temp - the simulated temperature of reading @n taken at @now ticks: 18.000 to
 * 24.000 degrees C up and down in SENSOR_WAVE_MS, plus a wobble of -0.1..+0.1 from @n; in
 * thousandths of a degree. */
static int64_t sensor_temp(uint64_t now, uint64_t n)
{
	uint64_t ms = now / (timer_freq() / 1000) % SENSOR_WAVE_MS;
	int64_t tri = ms < SENSOR_WAVE_MS / 2 ? (int64_t)ms : (int64_t)(SENSOR_WAVE_MS - ms);
	uint64_t h = n * 0x9e3779b97f4a7c15ull;

	return 18000 + tri * 6000 / (SENSOR_WAVE_MS / 2) + (int64_t)(h >> 56) * 200 / 255 - 100;
}

/* publish reading @r into @p under the sequence lock */
static void publish(volatile struct cella_sensor_page *p, const struct cella_sensor_reading *r)
{
	volatile struct cella_sensor_reading *slot = &p->ring[(r->n - 1) % CELLA_SENSOR_RING];

	p->seq++;			/* odd: writing */
	__asm__ volatile("dmb ishst" ::: "memory");
	slot->n = r->n;
	slot->cntvct = r->cntvct;
	slot->milli_c = r->milli_c;
	__asm__ volatile("dmb ishst" ::: "memory");
	p->seq++;			/* even: consistent */
	__asm__ volatile("dsb ish" ::: "memory");	/* visible before the doorbell */
}

int main(void)
{
	char name[32];
	const char *want = rt_bootarg("sensor.channel", name, sizeof(name));
	uint64_t period = arg("sensor.period-ms", 1000), report = arg("sensor.report", 10);
	uint64_t count = arg("sensor.count", 0), next;
	volatile struct cella_sensor_page *p;
	struct rt_chan ch;

	if (chan_find(want, &ch) || ch.size < sizeof(*p) || !ch.writable) {
		printf("sensor: channel '%s' is missing, too small or read-only here\n",
		       want ? want : "(the first)");
		return 1;
	}
	if (period == 0)
		period = 1;
	p = ch.mem;
	p->ring_size = CELLA_SENSOR_RING;
	p->cntfrq = timer_freq();
	p->period_ms = period;
	p->seq = 0;
	p->magic = CELLA_SENSOR_MAGIC;
	printf("sensor: publishing on channel '%s' to '%s' (slot %u, %llu KiB at 0x%llx) "
	       "every %llu ms\n", ch.name, ch.peer, (unsigned)ch.slot,
	       (unsigned long long)(ch.size >> 10), (unsigned long long)ch.ipa,
	       (unsigned long long)period);
	next = timer_now();
	for (uint64_t n = 1; !count || n <= count; n++) {
		struct cella_sensor_reading r;
		int st;

		next += timer_ms(period);	/* absolute deadlines: no drift */
		timer_wait_until(next);
		r.n = n;
		r.cntvct = timer_now();
		r.milli_c = sensor_temp(r.cntvct, n);
		publish(p, &r);
		st = chan_notify(ch.slot);
		if (report && n % report == 0)
			printf("sensor: reading %llu: %lld.%03lld C (notify %s, peer %s)\n",
			       (unsigned long long)n, (long long)(r.milli_c / 1000),
			       (long long)(r.milli_c % 1000), cella_strerror(st),
			       chan_peer_running(&ch) ? "running" : "not running");
	}
	printf("sensor: done after %llu readings\n", (unsigned long long)count);
	return 0;
}
