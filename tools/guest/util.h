/* util.h - helpers of cella's Linux guest tools (cella-chan, cella-ctl): messages, numbers,
 * clocks, files under /sys and /proc, statistics. */
#ifndef CELLA_GUEST_UTIL_H
#define CELLA_GUEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern const char *prog;	/* "cella-chan" or "cella-ctl", for messages */

/* die - print "PROG: error: ..." on stderr and exit 1 */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* warnx - print "PROG: warning: ..." on stderr */
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* xmalloc - calloc that dies when out of memory */
void *xmalloc(size_t n);

/* str_copy - @src into @dst (@n bytes), cut to fit, NUL-terminated */
void str_copy(char *dst, size_t n, const char *src);

/* parse_u64 - @s as a decimal, 0x hex or 0 octal number with an optional k/M/G suffix (powers
 * of 1024) into *@v; false if it is not one */
bool parse_u64(const char *s, uint64_t *v);
/* arg_u64 - parse_u64 of option @opt's value or die */
uint64_t arg_u64(const char *opt, const char *s);

/* now_ns - CLOCK_MONOTONIC in nanoseconds */
int64_t now_ns(void);
/* cntvct - the virtual counter (CNTVCT_EL0, after an ISB); cntfrq - its frequency in Hz
 * (both 0 off arm64) */
uint64_t cntvct(void);
uint64_t cntfrq(void);
/* sleep_ns - nanosleep */
void sleep_ns(int64_t ns);

/* read_file - up to @n - 1 bytes of @path into @buf, NUL-terminated, trailing newline cut;
 * returns the length or -1 (errno set) */
int read_file(const char *path, char *buf, size_t n);
/* read_u64 - read_file then parse_u64; false if either fails */
bool read_u64(const char *path, uint64_t *v);
/* write_file - write @s to @path; returns 0 or -errno */
int write_file(const char *path, const char *s);
/* read_be - a big-endian device-tree property of @cells 32-bit cells (1 or 2) */
bool read_be(const char *path, unsigned cells, uint64_t *v);

/* stats over @n samples (sorted in place): min, median, max */
struct stats {
	uint64_t min, median, max, total;
};
void stats_of(uint64_t *v, size_t n, struct stats *s);

/* fmt_size - "4 KiB", "1 MiB", "1536 B" into @buf */
const char *fmt_size(char *buf, size_t n, uint64_t bytes);

#endif
