/* spin.c - a busy cell: computes forever at EL1 and never waits (no WFI, no WFE, no
 * hypercall), so its pCPU is never idle; the busy lower-priority sibling of the latency
 * benchmark (bench/rtlat-busy.dts). One line at start; with the bootarg spin.report-ms=N
 * (default 0: never) also one line every N ms of the virtual counter, saying how many loop
 * rounds ran in between (how much CPU the cell got). Never powers off: stop it from outside. */
#include <stdio.h>
#include <stdlib.h>

#include <rt/runtime.h>

static volatile uint64_t sink;		/* a store per round: the loop cannot be optimised away */

int main(void)
{
	uint64_t x = 1, rounds = 0, last_rounds = 0, period = 0, next = 0;
	char buf[16];

	if (rt_bootarg("spin.report-ms", buf, sizeof(buf)))
		period = timer_ms(strtoull(buf, NULL, 10));
	printf("spin: busy-looping forever without WFI in cell '%s'\n", rt_cell()->name);
	if (period)
		next = timer_now() + period;
	for (;;) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		sink = x;
		/* look at the counter only every 64 Ki rounds */
		if (period && (++rounds & 0xffff) == 0 && timer_now() >= next) {
			printf("spin: %llu rounds in the last %llu ms\n",
			       (unsigned long long)(rounds - last_rounds),
			       (unsigned long long)(period / timer_ms(1)));
			last_rounds = rounds;
			next += period;
		}
	}
}
