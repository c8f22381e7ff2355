/* util.c - helpers of cella's Linux guest tools (util.h). */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *prog = "cella-chan";

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: error: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void warnx(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: warning: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void str_copy(char *dst, size_t n, const char *src)
{
	size_t l = strnlen(src, n - 1);

	memcpy(dst, src, l);
	dst[l] = 0;
}

bool parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;
	unsigned shift = 0;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno)
		return false;
	if (*end == 'k' || *end == 'K')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	if (shift) {
		end++;
		if (x > (~0ull >> shift))
			return false;
		x <<= shift;
	}
	if (*end)
		return false;
	*v = x;
	return true;
}

uint64_t arg_u64(const char *opt, const char *s)
{
	uint64_t v;

	if (!s)
		die("%s needs a value", opt);
	if (!parse_u64(s, &v))
		die("%s: '%s' is not a number", opt, s);
	return v;
}

int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

uint64_t cntvct(void)
{
#if defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
#else
	return 0;
#endif
}

uint64_t cntfrq(void)
{
#if defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
#else
	return 0;
#endif
}

void sleep_ns(int64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int read_file(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return -1;
	got = read(fd, buf, n - 1);
	close(fd);
	if (got < 0)
		return -1;
	buf[got] = 0;
	while (got && (buf[got - 1] == '\n' || buf[got - 1] == '\0'))
		buf[--got] = 0;
	return (int)got;
}

bool read_u64(const char *path, uint64_t *v)
{
	char buf[64];

	return read_file(path, buf, sizeof(buf)) > 0 && parse_u64(buf, v);
}

int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

bool read_be(const char *path, unsigned cells, uint64_t *v)
{
	unsigned char b[8];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, b, sizeof(b));
	close(fd);
	if (n != (ssize_t)(4 * cells))
		return false;
	*v = 0;
	for (unsigned i = 0; i < 4 * cells; i++)
		*v = *v << 8 | b[i];
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void stats_of(uint64_t *v, size_t n, struct stats *s)
{
	memset(s, 0, sizeof(*s));
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		s->total += v[i];
	qsort(v, n, sizeof(*v), cmp_u64);
	s->min = v[0];
	s->max = v[n - 1];
	s->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const char *fmt_size(char *buf, size_t n, uint64_t bytes)
{
	if (bytes && !(bytes & ((1ull << 30) - 1)))
		snprintf(buf, n, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes && !(bytes & ((1ull << 20) - 1)))
		snprintf(buf, n, "%llu MiB", (unsigned long long)(bytes >> 20));
	else if (bytes && !(bytes & ((1ull << 10) - 1)))
		snprintf(buf, n, "%llu KiB", (unsigned long long)(bytes >> 10));
	else
		snprintf(buf, n, "%llu B", (unsigned long long)bytes);
	return buf;
}
