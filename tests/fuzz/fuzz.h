/* fuzz.h - shared bits of the libFuzzer harnesses in tests/fuzz (built by `make fuzz`).
 *
 * Each harness feeds one input to a pure module that parses untrusted data and checks what the
 * module's header promises. A broken promise is reported with FUZZ_CHECK, which prints the
 * condition and aborts: libFuzzer then saves the input as a crash artifact.
 */
#ifndef CELLA_TESTS_FUZZ_H
#define CELLA_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the libFuzzer entry point; declared here for -Wmissing-prototypes */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                    \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__,  \
				#cond);                                                     \
			abort();                                                            \
		}                                                                           \
	} while (0)

/* [p, p + len) lies inside [base, base + size) (len 0 allowed at the end) */
static inline int fuzz_inside(const void *p, uint64_t len, const void *base, uint64_t size)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;

	return a >= b && a - b <= size && len <= size - (a - b);
}

/* read every byte of [p, p + len) so ASan checks the range; the result is unused */
static inline unsigned fuzz_touch(const void *p, size_t len)
{
	const volatile uint8_t *b = p;
	unsigned sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum += b[i];
	return sum;
}

/* the message a parser left in @err (@len bytes) on failure: NUL-terminated and non-empty;
 * if @printable, one line of printable ASCII (what the parsers promise for hostile input) */
static inline void fuzz_check_msg(const char *err, size_t len, int printable)
{
	const char *nul = memchr(err, '\0', len);
	const char *p;

	FUZZ_CHECK(nul != NULL);
	FUZZ_CHECK(nul != err);
	if (printable)
		for (p = err; p < nul; p++)
			FUZZ_CHECK(*p >= 0x20 && *p < 0x7f);
}

#endif
