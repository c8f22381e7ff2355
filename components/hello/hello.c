/* hello.c - the smallest native component: greets, names its cell, probes cella's ABI, sleeps
 * on the virtual timer and powers its cell off. With the bootarg hello.fault=write-text it
 * writes to its own (read-only) code instead, hello.fault=unmapped reads an unmapped address:
 * the runtime's exception handler then dumps the registers and stops the cell. */
#include <stdio.h>
#include <string.h>

#include <rt/runtime.h>

int main(void)
{
	const struct rt_cell *c = rt_cell();
	struct cella_abi_info abi;
	uint64_t t0;
	char buf[16];
	int st;

	printf("hello: Hello from a native cella component!\n");
	printf("hello: I run in cell '%s' with %llu MiB of RAM at IPA 0x%llx\n", c->name,
	       (unsigned long long)(c->ram_size >> 20), (unsigned long long)c->ram_base);

	st = cella_abi_probe(&abi);
	if (st == CELLA_OK)
		printf("hello: cella ABI %u.%u, %u calls\n", (unsigned)abi.major,
		       (unsigned)abi.minor, (unsigned)abi.calls);
	else
		printf("hello: cella ABI probe: %s (%d)\n", cella_strerror(st), st);

	t0 = timer_now();
	if (timer_sleep_ms(10))
		printf("hello: slept 10 ms on the virtual timer (%llu ticks)\n",
		       (unsigned long long)(timer_now() - t0));
	else
		printf("hello: the virtual timer interrupt did not come\n");

	if (rt_bootarg("hello.fault", buf, sizeof(buf))) {
		volatile uint32_t *p = strcmp(buf, "write-text") == 0
					       ? (volatile uint32_t *)(uintptr_t)main
					       : (volatile uint32_t *)(uintptr_t)0x7f00000000ull;

		printf("hello: hello.fault=%s: touching 0x%llx\n", buf,
		       (unsigned long long)(uintptr_t)p);
		if (p == (volatile uint32_t *)(uintptr_t)main)
			*p = 0;
		else
			(void)*p;
		printf("hello: the fault did not happen\n");
		return 1;
	}
	printf("hello: powering off\n");
	return 0;
}
