/* chan_sensor.c - cella-chan sensor: print the readings components/sensor publishes on a
 * channel (include/cella/sensor.h), as they come. Only reads the shared memory (the reader's
 * end is read-only in the demo): no ring, no sleep token; it waits for the sensor's doorbell
 * through uio_pci_generic, and acknowledges it in IntrStatus. */
#include <stdio.h>
#include <string.h>

#include <cella/sensor.h>

#include "cmd.h"
#include "util.h"

/* a consistent copy of reading @n of @p (1-based) into @r, under the page's sequence lock;
 * false if it is no longer (or not yet) in the ring */
static bool sensor_read(volatile struct cella_sensor_page *p, uint64_t n,
			struct cella_sensor_reading *r, uint64_t *published)
{
	for (;;) {
		uint64_t s0 = p->seq, s1;

		__asm__ volatile("dmb ishld" ::: "memory");
		if (s0 & 1)
			continue;		/* the writer is at it */
		*published = s0 / 2;
		if (n && n <= s0 / 2 && n + CELLA_SENSOR_RING > s0 / 2) {
			const volatile struct cella_sensor_reading *v =
				&p->ring[(n - 1) % CELLA_SENSOR_RING];

			r->n = v->n;
			r->cntvct = v->cntvct;
			r->milli_c = v->milli_c;
		}
		__asm__ volatile("dmb ishld" ::: "memory");
		s1 = p->seq;
		if (s1 == s0)
			return n && n <= s0 / 2 && n + CELLA_SENSOR_RING > s0 / 2 && r->n == n;
	}
}

int cmd_sensor(struct args *a)
{
	struct chan c;
	volatile struct cella_sensor_page *p;
	uint64_t next = 0, printed = 0, published;

	chan_open(&c, a->pos[0], &a->co, 0);
	p = c.shm;
	if (c.size < sizeof(*p))
		die("%s: %llu bytes, too small for a sensor page", c.name,
		    (unsigned long long)c.size);
	printf("cella-chan: %s: sensor readings (peer %s)\n", c.name, chan_peer_str(c.peer_state));
	fflush(stdout);
	for (;;) {
		struct cella_sensor_reading r = { 0 };

		if (p->magic == CELLA_SENSOR_MAGIC) {
			sensor_read(p, 0, &r, &published);
			if (!next)	/* start from the newest reading */
				next = published ? published : 1;
			if (next + CELLA_SENSOR_RING <= published)
				next = published - CELLA_SENSOR_RING + 1;	/* missed some */
			while (next <= published) {
				if (sensor_read(p, next, &r, &published)) {
					printf("cella-chan: %s: reading %llu: %lld.%03lld C\n", c.name,
					       (unsigned long long)r.n,
					       (long long)(r.milli_c / 1000),
					       (long long)((r.milli_c < 0 ? -r.milli_c : r.milli_c) % 1000));
					fflush(stdout);
					if (a->has_n && ++printed >= a->n)
						return 0;
				}
				next++;
			}
		}
		if (!c.irq) {
			sleep_ns(100000000);	/* no doorbell here: look ten times a second */
			continue;
		}
		if (uio_wait(&c.uio, a->timeout > 0 ? (int)(a->timeout * 1000) : -1) == 0)
			die("%s: no reading within %g s", c.name, a->timeout);
		(void)chan_reg(&c, IVSHMEM_INTR_STATUS);	/* acknowledge: the level drops */
		uio_intx_enable(&c.uio);
	}
}
