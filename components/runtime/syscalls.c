/* syscalls.c - the few POSIX calls picolibc's functions reach for: the console as file
 * descriptors 0-2 (write, read), and the process calls behind abort() and raise() (kill,
 * getpid). A component is one process with pid 1; a fatal signal powers its cell off. */
#define _POSIX_C_SOURCE 200809L	/* kill() in <signal.h> */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <rt/console.h>
#include <rt/psci.h>

ssize_t write(int fd, const void *buf, size_t count)
{
	const char *p = buf;

	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	for (size_t i = 0; i < count; i++)
		rt_putchar((unsigned char)p[i]);
	return (ssize_t)count;
}

ssize_t read(int fd, void *buf, size_t count)
{
	char *p = buf;
	size_t n = 0;
	int c;

	if (fd != 0) {
		errno = EBADF;
		return -1;
	}
	/* what the receive FIFO holds, at least one byte (the event stream bounds each wait) */
	while (n < count) {
		c = rt_getchar();
		if (c < 0) {
			if (n)
				break;
			__asm__ volatile("wfe");
			continue;
		}
		p[n++] = (char)c;
	}
	return (ssize_t)n;
}

pid_t getpid(void)
{
	return 1;
}

int kill(pid_t pid, int sig)
{
	if (pid != 1) {
		errno = ESRCH;
		return -1;
	}
	rt_puts("cella-rt: signal ");
	rt_putdec(sig);
	rt_puts(sig == SIGABRT ? " (abort)" : "");
	rt_puts(": stopping the cell (PSCI SYSTEM_OFF)\n");
	psci_system_off();
}
