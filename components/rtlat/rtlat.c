/* rtlat.c - virtual-timer interrupt latency, the method of Martins and Pinto's comparison of
 * static-partitioning hypervisors (RTAS 2023): arm the EL1 virtual timer (CNTV_CVAL_EL0) for a
 * time T a pseudo-random but deterministic 200..1200 us ahead, sleep in WFI, and in the timer's
 * interrupt handler read CNTVCT_EL0; latency = that reading - T, in counter ticks. The reading
 * is taken first thing in the runtime's timer handler (timer_set_handler), so the figure
 * includes the runtime's exception vector (x0-x30 and q0-q31 saved) and the GIC acknowledge,
 * the same on bare metal and in a cell; what a hypervisor adds comes on top.
 *
 * The same image runs in a cella cell and bare metal on QEMU virt (no hypervisor: the limit).
 * Under QEMU's -icount shift=0 one instruction is 1 ns of guest time, so ticks convert to
 * instructions by 1e9 / CNTFRQ (16 at QEMU's 62.5 MHz); a latency is a whole number of ticks,
 * i.e. the instructions rounded down to a multiple of 16.
 *
 * Bootargs: rtlat.samples=N (a round, default 1000), rtlat.rounds=R (default 1; 0: forever).
 * Each round prints one line for people (min/median/p99/max in ns); after the last round,
 * machine-readable lines for bench/boot.sh (docs/components.md, "rtlat"), figures of all
 * rounds in ticks:
 *
 *   RTLAT samples=N min=.. median=.. p99=.. max=.. unit=ticks ipt=16
 *   RTLAT info cntfrq=.. missed=.. early=..
 *   RTLAT hist TICKS:COUNT ...          (every non-empty bucket by its lowest value)
 *   RTLAT end hist-lines=K
 *
 * then the cell powers off (PSCI SYSTEM_OFF); exit status 1 if an interrupt never came
 * (missed, within 2 s) or came before its time (early).
 *
 * Latencies are counted in a log-linear histogram: exact below 512 ticks (8192 instructions),
 * above that in buckets 1/256 of their value wide (the quantiles and the dump give a bucket's
 * lowest value: at most 0.4 % low); min and max are always exact. Lines stay below 110
 * characters (cella cuts a cell's console lines at 128, its "[name] " prefix included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rt/runtime.h>

#define RTLAT_SAMPLES 1000u		/* default samples a round */
#define RTLAT_MIN_US 200u		/* delays: RTLAT_MIN_US .. RTLAT_MIN_US + RTLAT_SPAN_US - 1 */
#define RTLAT_SPAN_US 1001u
#define RTLAT_SEED 0x2023u		/* the LCG's fixed start: the same delays on every run */
#define SUB_BITS 8u			/* histogram: 2^SUB_BITS buckets an octave ... */
#define EXACT (2u << SUB_BITS)		/* ... above EXACT ticks; one a tick below */
#define BUCKETS (EXACT + (64u - SUB_BITS - 1u) * (1u << SUB_BITS))
#define HIST_LINE_MAX 100		/* "RTLAT hist" lines end before this many characters */

/* latencies in ticks, log-linear: bucket_of and bucket_low */
struct hist {
	uint64_t count[BUCKETS];
	uint64_t n, min, max;		/* samples, extremes (ticks, exact) */
};

/* min, median, 99th percentile and max of a histogram, in ticks */
struct stats {
	uint64_t min, median, p99, max;
};

static struct hist round_hist, all_hist;
static volatile uint64_t irq_now;	/* CNTVCT (ticks) read by the runtime's timer handler */
static volatile uint32_t irq_seen;	/* interrupts the hook saw */

/* the timer hook: keep the runtime's reading; the runtime has masked the timer */
static void on_timer(uint64_t now, void *arg)
{
	(void)arg;
	irq_now = now;
	irq_seen++;
}

/* next_delay_us - the next pseudo-random delay in microseconds, RTLAT_MIN_US up to
 * RTLAT_MIN_US + RTLAT_SPAN_US - 1, from the 64-bit LCG state *@x (Knuth's MMIX constants). */
static uint32_t next_delay_us(uint64_t *x)
{
	*x = *x * 6364136223846793005ull + 1442695040888963407ull;
	return RTLAT_MIN_US + (uint32_t)((*x >> 33) % RTLAT_SPAN_US);
}

/* bucket_of - the histogram bucket of a latency of @ticks: @ticks itself below EXACT, else
 * octave e (2^e <= @ticks < 2^(e+1), e > SUB_BITS) split in 2^SUB_BITS equal buckets. */
static uint32_t bucket_of(uint64_t ticks)
{
	uint32_t e, shift;

	if (ticks < EXACT)
		return (uint32_t)ticks;
	e = 63u - (uint32_t)__builtin_clzll(ticks);
	shift = e - SUB_BITS;
	return EXACT + (e - SUB_BITS - 1u) * (1u << SUB_BITS) +
	       (uint32_t)((ticks >> shift) - (1u << SUB_BITS));
}

/* bucket_low - the lowest latency (ticks) that bucket_of puts in bucket @b. */
static uint64_t bucket_low(uint32_t b)
{
	uint32_t e, m;

	if (b < EXACT)
		return b;
	e = SUB_BITS + 1u + (b - EXACT) / (1u << SUB_BITS);
	m = (1u << SUB_BITS) + (b - EXACT) % (1u << SUB_BITS);
	return (uint64_t)m << (e - SUB_BITS);
}

static void hist_clear(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

/* hist_add - count one latency of @ticks counter ticks in @h. */
static void hist_add(struct hist *h, uint64_t ticks)
{
	h->count[bucket_of(ticks)]++;
	if (!h->n || ticks < h->min)
		h->min = ticks;
	if (ticks > h->max)
		h->max = ticks;
	h->n++;
}

/* the latency (ticks) of the sample of rank @rank (1 = the smallest): its bucket's lowest
 * value, within [min, max] */
static uint64_t hist_rank(const struct hist *h, uint64_t rank)
{
	uint64_t seen = 0, v;

	for (uint32_t b = 0; b < BUCKETS; b++) {
		seen += h->count[b];
		if (seen >= rank) {
			v = bucket_low(b);
			return v < h->min ? h->min : v > h->max ? h->max : v;
		}
	}
	return h->max;
}

/* hist_stats - min, median (rank ceil(n/2)), p99 (rank ceil(0.99 n)) and max of @h, in ticks;
 * all 0 for an empty histogram. */
static struct stats hist_stats(const struct hist *h)
{
	struct stats s = { 0, 0, 0, 0 };

	if (!h->n)
		return s;
	s.min = h->min;
	s.median = hist_rank(h, (h->n + 1) / 2);
	s.p99 = hist_rank(h, (h->n * 99 + 99) / 100);
	s.max = h->max;
	return s;
}

/* ticks_to_ns - @ticks of a @freq Hz counter in nanoseconds (rounded down). */
static uint64_t ticks_to_ns(uint64_t ticks, uint64_t freq)
{
	return ticks * 1000000000ull / freq;
}

/* a bootarg as an unsigned number, @def if absent; -1 (and a message) if malformed */
static long long arg_u32(const char *key, uint32_t def)
{
	char buf[16], *end;
	unsigned long v;

	if (!rt_bootarg(key, buf, sizeof(buf)))
		return def;
	v = strtoul(buf, &end, 10);
	if (!buf[0] || *end || v > 0xffffffffu) {
		printf("rtlat: %s=%s is not a number from 0 to 4294967295\n", key, buf);
		return -1;
	}
	return (long long)v;
}

/* the machine-readable report of bench/boot.sh (see the header comment) */
static void report_bench(const struct hist *h, uint64_t freq, uint32_t missed, uint32_t early)
{
	struct stats s = hist_stats(h);
	unsigned lines = 0;
	int len = 0;

	printf("RTLAT samples=%llu min=%llu median=%llu p99=%llu max=%llu unit=ticks ",
	       (unsigned long long)h->n, (unsigned long long)s.min, (unsigned long long)s.median,
	       (unsigned long long)s.p99, (unsigned long long)s.max);
	if (1000000000ull % freq == 0)
		printf("ipt=%llu\n", (unsigned long long)(1000000000ull / freq));
	else
		printf("ipt=%llu.%03llu\n", (unsigned long long)(1000000000ull / freq),
		       (unsigned long long)(1000000000000ull / freq % 1000));
	printf("RTLAT info cntfrq=%llu missed=%u early=%u\n", (unsigned long long)freq,
	       (unsigned)missed, (unsigned)early);
	for (uint32_t b = 0; b < BUCKETS; b++) {
		char pair[48];
		int n;

		if (!h->count[b])
			continue;
		n = snprintf(pair, sizeof(pair), " %llu:%llu", (unsigned long long)bucket_low(b),
			     (unsigned long long)h->count[b]);
		if (len && len + n >= HIST_LINE_MAX) {
			printf("\n");
			len = 0;
		}
		if (!len) {
			len = printf("RTLAT hist");
			lines++;
		}
		len += printf("%s", pair);
	}
	if (len)
		printf("\n");
	printf("RTLAT end hist-lines=%u\n", lines);
}

/* one line for people: @h's figures in ns, and the worst since the start once @all has more */
static void report_round(const struct hist *h, const struct hist *all, uint64_t freq)
{
	struct stats s = hist_stats(h);

	printf("rtlat: %llu samples, latency min/median/p99/max = %llu/%llu/%llu/%llu ns",
	       (unsigned long long)h->n, (unsigned long long)ticks_to_ns(s.min, freq),
	       (unsigned long long)ticks_to_ns(s.median, freq),
	       (unsigned long long)ticks_to_ns(s.p99, freq),
	       (unsigned long long)ticks_to_ns(s.max, freq));
	if (all->n > h->n)
		printf(", worst of all %llu ns", (unsigned long long)ticks_to_ns(all->max, freq));
	printf("\n");
}

int main(void)
{
	const struct rt_cell *c = rt_cell();
	long long samples = arg_u32("rtlat.samples", RTLAT_SAMPLES);
	long long rounds = arg_u32("rtlat.rounds", 1);
	uint64_t freq = timer_freq(), lcg = RTLAT_SEED;
	uint32_t missed = 0, early = 0;
	const char *model = dt_prop_str(dt_root(), "model");

	if (samples < 1 || rounds < 0) {
		printf("rtlat: need rtlat.samples >= 1 and rtlat.rounds >= 0 (0: forever)\n");
		return 2;
	}
	if (!c->gic_ok) {
		printf("rtlat: no timer interrupt (the runtime's GIC setup failed): nothing to measure\n");
		return 2;
	}
	printf("rtlat: virtual-timer interrupt latency, %lld samples a round, ", samples);
	if (rounds)
		printf("%lld round%s\n", rounds, rounds == 1 ? "" : "s");
	else
		printf("rounds forever\n");
	printf("rtlat: deadlines %u..%u us ahead (LCG seed 0x%x); CNTFRQ %llu Hz, 1 tick = %llu ns\n",
	       RTLAT_MIN_US, RTLAT_MIN_US + RTLAT_SPAN_US - 1, RTLAT_SEED,
	       (unsigned long long)freq, (unsigned long long)ticks_to_ns(1, freq));
	if (strcmp(c->name, "?"))
		printf("rtlat: in cella cell '%s'\n", c->name);
	else
		printf("rtlat: no cella cell: bare metal on '%s'\n", model ? model : "?");

	hist_clear(&all_hist);
	timer_set_handler(on_timer, NULL);
	for (uint64_t round = 1; !rounds || round <= (uint64_t)rounds; round++) {
		hist_clear(&round_hist);
		for (long long i = 0; i < samples; i++) {
			uint64_t delay = (uint64_t)next_delay_us(&lcg) * freq / 1000000;
			uint32_t seen = irq_seen;
			uint64_t t = timer_now() + delay, now;

			/* WFI until the interrupt; false if it did not come within 2 s */
			if (!timer_wait_until(t) || irq_seen == seen) {
				if (missed++ < 5)
					printf("rtlat: round %u sample %lld: no timer interrupt\n",
					       (unsigned)round, i);
				continue;
			}
			now = irq_now;
			if (now < t) {	/* the interrupt before its time: not a latency */
				if (early++ < 5)
					printf("rtlat: round %u sample %lld: interrupt %llu ticks "
					       "early\n", (unsigned)round, i,
					       (unsigned long long)(t - now));
				continue;
			}
			hist_add(&round_hist, now - t);
			hist_add(&all_hist, now - t);
		}
		report_round(&round_hist, &all_hist, freq);
	}
	timer_set_handler(NULL, NULL);
	report_bench(&all_hist, freq, missed, early);
	if (missed || early)
		printf("rtlat: %u interrupts missing, %u early\n", (unsigned)missed, (unsigned)early);
	printf("rtlat: powering off\n");
	return missed || early ? 1 : 0;
}
