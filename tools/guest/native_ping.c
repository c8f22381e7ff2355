/* native_ping.c - native-Linux baselines for the channel benchmarks: two processes ping-pong
 * through uio_pci_generic interrupts of two QEMU edu devices (edu-ping), or through two pipes
 * (pipe-ping); the total in CNTVCT ticks (under QEMU -icount shift=0, ticks * 1e9 / cntfrq is
 * instructions: bench/cntvct.c). */
#define _GNU_SOURCE
#include "cmd.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WATCHDOG_S 120		/* a run not done after this long is broken: SIGALRM ends it */

static void pin_to(int cpu)
{
	cpu_set_t set;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (cpu >= ncpu)
		cpu = 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("cannot pin to CPU %d", cpu);
}

static void report(const char *what, uint64_t n, uint64_t ticks)
{
	uint64_t frq = cntfrq();
	double ns = frq ? (double)ticks * 1e9 / (double)frq / (double)n : 0;

	printf("cella-chan: %s n=%llu total_ticks=%llu cntfrq=%llu ns_per_rt=%.0f\n", what,
	       (unsigned long long)n, (unsigned long long)ticks, (unsigned long long)frq, ns);
}

/* ---- edu-ping ---- */

struct edu {
	struct uiodev u;
	volatile void *bar0;
};

static void edu_open(struct edu *e, const char *addr)
{
	uint32_t st;

	uio_open(&e->u, addr);
	if (!e->u.irq)
		die("edu %s has no IRQ", addr);
	e->bar0 = pci_map_bar(addr, 0, 4096, PCI_MAP_WRITE);
	if ((mmio_read32(e->bar0, EDU_IDENT) & 0xff) != 0xed)
		die("%s is not QEMU's edu device (ident 0x%08x)", addr,
		    mmio_read32(e->bar0, EDU_IDENT));
	st = mmio_read32(e->bar0, EDU_INTR_STATUS);
	if (st)
		mmio_write32(e->bar0, EDU_INTR_ACK, st);
	uio_intx_enable(&e->u);
}

/* edu_wait - one interrupt of @e: wait (a blocking read() of /dev/uioN), acknowledge the
 * device, re-enable INTx */
static void edu_wait(struct edu *e)
{
	if (uio_wait(&e->u, -1) <= 0)
		die("edu %s: reading /dev/uio%d failed", e->u.addr, e->u.num);
	mmio_write32(e->bar0, EDU_INTR_ACK, mmio_read32(e->bar0, EDU_INTR_STATUS));
	uio_intx_enable(&e->u);
}

static void edu_raise(struct edu *e)
{
	mmio_write32(e->bar0, EDU_INTR_RAISE, 1);
}

int cmd_edu_ping(struct args *a)
{
	char addr[2][PCI_ADDR_LEN];
	struct edu e[2];
	uint64_t n = a->has_n ? a->n : 1000, w = a->warmup, c0 = 0, ticks;
	int ready[2], st;
	pid_t pid;
	char b;

	if (!n)
		die("edu-ping: -n must be at least 1");
	if (a->npos == 2) {
		for (int i = 0; i < 2; i++)
			if (!pci_norm_addr(a->pos[i], addr[i]))
				die("edu-ping: no PCI function %s", a->pos[i]);
	} else if (a->npos == 0) {
		if (pci_scan(PCI_VENDOR_QEMU, PCI_DEVICE_EDU, addr, 2) < 2)
			die("edu-ping: needs two QEMU edu devices (qemu ... -device edu -device edu)");
	} else {
		die("edu-ping: give both edu addresses or none");
	}
	edu_open(&e[0], addr[0]);
	edu_open(&e[1], addr[1]);
	if (pipe(ready))
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	alarm(WATCHDOG_S);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		/* B: wait on edu 1, answer on edu 0 */
		if (a->pin)
			pin_to(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (uint64_t i = 0; i < w + n; i++) {
			edu_wait(&e[1]);
			edu_raise(&e[0]);
		}
		_exit(0);
	}
	/* A: raise edu 1, wait on edu 0 */
	if (a->pin)
		pin_to(0);
	if (read(ready[0], &b, 1) != 1)
		die("edu-ping: the other process died");
	for (uint64_t i = 0; i < w + n; i++) {
		if (i == w)
			c0 = cntvct();
		edu_raise(&e[1]);
		edu_wait(&e[0]);
	}
	ticks = cntvct() - c0;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("edu-ping: the other process failed");
	report("edu-ping", n, ticks);
	return 0;
}

/* ---- pipe-ping ---- */

static void xread(int fd)
{
	char b;

	if (read(fd, &b, 1) != 1)
		die("pipe-ping: read: %s", strerror(errno));
}

static void xwrite(int fd)
{
	if (write(fd, "p", 1) != 1)
		die("pipe-ping: write: %s", strerror(errno));
}

int cmd_pipe_ping(struct args *a)
{
	uint64_t n = a->has_n ? a->n : 1000, w = a->warmup, c0 = 0, ticks;
	int ab[2], ba[2], st;
	pid_t pid;

	if (!n)
		die("pipe-ping: -n must be at least 1");
	if (pipe(ab) || pipe(ba))
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	alarm(WATCHDOG_S);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (a->pin)
			pin_to(1);
		for (uint64_t i = 0; i < w + n + 1; i++) {
			xread(ab[0]);
			xwrite(ba[1]);
		}
		_exit(0);
	}
	if (a->pin)
		pin_to(0);
	/* one round trip to know B runs (and is pinned) */
	xwrite(ab[1]);
	xread(ba[0]);
	for (uint64_t i = 0; i < w + n; i++) {
		if (i == w)
			c0 = cntvct();
		xwrite(ab[1]);
		xread(ba[0]);
	}
	ticks = cntvct() - c0;
	waitpid(pid, &st, 0);
	report("pipe-ping", n, ticks);
	return 0;
}
