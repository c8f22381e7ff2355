/* cntvct.c - print the virtual counter and its frequency ("<cntvct> <cntfrq>\n"), for benchmarks.
 *
 * A static arm64 Linux program with no libc, put into the guest initramfs as /bin/cntvct.
 * Under QEMU -icount shift=0 guest time advances 1 ns per instruction, so
 * cntvct * 1e9 / cntfrq counts instructions since machine reset (native Linux and cella both
 * leave CNTVOFF_EL2 at 0). Build:
 *   aarch64-linux-gnu-gcc -static -nostdlib -ffreestanding -O2 -o cntvct bench/cntvct.c
 */
#include <stdint.h>

#define SYS_write 64
#define SYS_exit 93

static long sys_call3(long nr, long a0, long a1, long a2)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

/* fmt_u64 - write @v in decimal ending just before @end; returns the first character. */
static char *fmt_u64(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void cntvct_main(void) __attribute__((noreturn, used));
void cntvct_main(void)
{
	uint64_t cnt, frq;
	char buf[48];
	char *p;

	/* isb: the counter read must not be hoisted above earlier instructions */
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(cnt) : : "memory");
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));

	buf[sizeof(buf) - 1] = '\n';
	p = fmt_u64(&buf[sizeof(buf) - 1], frq);
	*--p = ' ';
	p = fmt_u64(p, cnt);
	sys_call3(SYS_write, 1, (long)p, (long)(&buf[sizeof(buf)] - p));
	for (;;)
		sys_call3(SYS_exit, 0, 0, 0);
}

/* The kernel enters with sp 16-byte aligned (argc at [sp]); no frame to set up. */
__asm__(".text\n"
	".global _start\n"
	".type _start, %function\n"
	"_start:\n"
	"	mov x29, #0\n"
	"	mov x30, #0\n"
	"	bl cntvct_main\n"
	".size _start, . - _start\n");
