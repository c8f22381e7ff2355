/* hello.c - the smallest native component: greets, names its cell, probes cella's ABI, sleeps
 * on the virtual timer and powers its cell off. */
#include <stdio.h>

#include <rt/runtime.h>

int main(void)
{
	const struct rt_cell *c = rt_cell();
	struct cella_abi_info abi;
	uint64_t t0;
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

	printf("hello: powering off\n");
	return 0;
}
