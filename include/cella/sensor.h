/* sensor.h - what components/sensor publishes at the start of its channel's memory, for any
 * reader at the other end (a native component, or a Linux program over the channel's PCI
 * function): docs/components.md "sensor". Little-endian, naturally aligned, 64-bit fields.
 *
 * The writer updates the page as a sequence lock: @seq is odd while it writes and even when the
 * page is consistent; a reader copies what it needs between two reads of an even, unchanged
 * @seq (with read barriers in between), else retries. @seq / 2 readings have been published;
 * reading n (1-based) sits in ring[(n - 1) % CELLA_SENSOR_RING] until n + CELLA_SENSOR_RING
 * replaces it. After each publish the writer rings the reader's doorbell (CHAN_NOTIFY). */
#ifndef CELLA_SENSOR_H
#define CELLA_SENSOR_H

#include <stdint.h>

#define CELLA_SENSOR_MAGIC 0x31534e53u		/* "SNS1" in memory order */
#define CELLA_SENSOR_RING 16u			/* readings kept */

struct cella_sensor_reading {
	uint64_t n;			/* its number, 1.. */
	uint64_t cntvct;		/* CNTVCT_EL0 when taken (the counter is common to cells) */
	int64_t milli_c;		/* the temperature, thousandths of a degree Celsius */
};

struct cella_sensor_page {
	uint32_t magic;			/* CELLA_SENSOR_MAGIC once the writer has started */
	uint32_t ring_size;		/* CELLA_SENSOR_RING */
	uint64_t cntfrq;		/* CNTFRQ_EL0, Hz: cntvct / cntfrq seconds */
	uint64_t period_ms;		/* time between readings */
	uint64_t seq;			/* the sequence lock (above) */
	struct cella_sensor_reading ring[CELLA_SENSOR_RING];
};

#endif
