/* test_printf.c - host unit tests of cella_snprintf (src/lib/printf.c) against the C library. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lib/printf.h"

#define BUF 700
#define CANARY 0x5a

static unsigned checks;

/* Format with the host's vsnprintf and with cella_vsnprintf: same text and return value, and at
 * every buffer size 0 .. len + 2 the same truncated prefix, a NUL, and no byte written past it. */
static void __attribute__((format(printf, 1, 2))) check(const char *fmt, ...)
{
	char want[BUF], got[BUF + 16];
	va_list ap, aq;
	int wn, gn;
	size_t size, i;

	va_start(ap, fmt);
	va_copy(aq, ap);
	wn = vsnprintf(want, sizeof(want), fmt, aq);
	va_end(aq);
	assert_true(wn >= 0 && (size_t)wn < sizeof(want));

	va_copy(aq, ap);
	gn = cella_vsnprintf(got, BUF, fmt, aq);
	va_end(aq);
	if (gn != wn || memcmp(got, want, (size_t)wn + 1))
		fail_msg("format \"%s\": want \"%s\" (%d), got \"%.*s\" (%d)", fmt, want, wn,
			 BUF - 1, got, gn);

	for (size = 0; size <= (size_t)wn + 2; size++) {
		size_t kept = size ? ((size_t)wn < size - 1 ? (size_t)wn : size - 1) : 0;

		memset(got, CANARY, sizeof(got));
		va_copy(aq, ap);
		gn = cella_vsnprintf(got, size, fmt, aq);
		va_end(aq);
		assert_int_equal(gn, wn);
		if (size) {
			assert_memory_equal(got, want, kept);
			assert_int_equal(got[kept], '\0');
		}
		for (i = size; i < size + 16; i++)
			if ((unsigned char)got[i] != CANARY)
				fail_msg("format \"%s\", size %zu: byte %zu written", fmt, size, i);
	}
	/* size 0 with no buffer at all only counts */
	va_copy(aq, ap);
	assert_int_equal(cella_vsnprintf(NULL, 0, fmt, aq), wn);
	va_end(aq);
	va_end(ap);
	checks++;
}

static const long long i64s[] = {
	0, 1, -1, 7, -7, 9, 10, -10, 99, 100, 12345, -12345, INT_MAX, INT_MIN,
	(long long)INT_MAX + 1, (long long)INT_MIN - 1, 0x7fffffffffffffffll, INT64_MIN,
	INT64_MIN + 1, 1000000000000ll, -999999999999999999ll,
};

static const unsigned long long u64s[] = {
	0, 1, 9, 10, 15, 16, 255, 256, 0xdeadbeefu, UINT_MAX, (unsigned long long)UINT_MAX + 1,
	0x123456789abcdefull, 0x8000000000000000ull, UINT64_MAX - 1, UINT64_MAX,
};

static void test_signed(void **state)
{
	/* '0' is ignored when a precision is given; gcc warns about literal formats doing it */
	const char *volatile zero_and_precision = "[%030.3lld]";
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(i64s) / sizeof(i64s[0]); i++) {
		long long v = i64s[i];
		int iv = (int)v;	/* wraps: the test values cover int's edges too */

		check("%lld", v);
		check("%lli", v);
		check("[%+lld]", v);
		check("[% lld]", v);
		check("[%30lld]", v);
		check("[%-30lld]", v);
		check("[%030lld]", v);
		check("[%+030lld]", v);
		check("[% 030lld]", v);
		check("[%-+30lld]", v);
		check("[%.25lld]", v);
		check("[%30.25lld]", v);
		check("[%-30.25lld]", v);
		check(zero_and_precision, v);
		check("[%.0lld]", v);
		check("[%5.0lld]", v);
		check("[%+.0lld]", v);
		check("[%ld]", (long)v);
		check("[%d]", iv);
		check("[%i]", iv);
		check("[%12d]", iv);
		check("[%-12d]", iv);
		check("[%012d]", iv);
		check("[%+d]", iv);
		check("[%.12d]", iv);
		check("[%hd]", (short)iv);
		check("[%+7hd]", (short)iv);
		check("[%hhd]", (signed char)iv);
		check("[%-5hhd]", (signed char)iv);
		check("[%zd]", (ptrdiff_t)v);
		check("[%td]", (ptrdiff_t)v);
		check("[%jd]", (intmax_t)v);
		check("%lld%lld", v, -(v / 2));
	}
	/* hh and h take an (promoted) int and convert it; clang's -Wformat wants a char or short
	 * argument, so these formats are hidden from it */
	{
		const char *volatile hh_h_signed = "%hhd %hhd %hhd %hd %hd";
		const char *volatile hh_h_unsigned = "%hhu %hhx %hu %hx";

		check(hh_h_signed, 300, -129, 127, 70000, -32769);
		check(hh_h_unsigned, 300, -1, 70000, -1);
	}
}

static void test_unsigned_hex(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(u64s) / sizeof(u64s[0]); i++) {
		unsigned long long v = u64s[i];
		unsigned int uv = (unsigned int)v;

		check("%llu", v);
		check("%llx", v);
		check("%llX", v);
		check("[%#llx]", v);
		check("[%#llX]", v);
		check("[%25llu]", v);
		check("[%-25llx]", v);
		check("[%025llX]", v);
		check("[%#025llx]", v);
		check("[%#-25llx]", v);
		check("[%.20llx]", v);
		check("[%#.20llx]", v);
		check("[%30.20llu]", v);
		check("[%.0llx]", v);
		check("[%#.0llx]", v);
		check("[%3.0llu]", v);
		check("[%lu %lx]", (unsigned long)v, (unsigned long)v);
		check("[%zu %zx]", (size_t)v, (size_t)v);
		check("[%ju %jX]", (uintmax_t)v, (uintmax_t)v);
		check("[%u %x %X %#x]", uv, uv, uv, uv);
		check("[%08x|%-8X|%8.4x]", uv, uv, uv);
		check("[%hu %hx %hhu %hhX]", (unsigned short)uv, (unsigned short)uv,
		      (unsigned char)uv, (unsigned char)uv);
	}
}

static void test_width_precision_star(void **state)
{
	static const int widths[] = { 0, 1, 5, 19, 20, 21, 64, -1, -5, -40 };
	static const int precs[] = { -1, -10, 0, 1, 5, 20, 40 };
	const char *volatile zero_star = "[%0*.*d]";
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		int w = widths[i];

		check("[%*d]", w, -42);
		check("[%*lld]", w, (long long)INT64_MIN);
		check("[%0*llx]", w, 0xabcull);
		check("[%*s]", w, "str");
		check("[%*c]", w, 'q');
		check("[%-*u]", w, 17u);
		for (j = 0; j < sizeof(precs) / sizeof(precs[0]); j++) {
			int pr = precs[j];

			check("[%*.*d]", w, pr, -42);
			check("[%*.*d]", w, pr, 0);
			check(zero_star, w, pr, 42);	/* '0' applies only if pr < 0 */
			check("[%*.*llu]", w, pr, (unsigned long long)UINT64_MAX);
			check("[%#*.*x]", w, pr, 0x1fu);
			check("[%*.*s]", w, pr, "a longer string");
			check("[%.*s]", pr, "abc");
		}
	}
	/* literal widths and precisions with several digits */
	check("[%100d]", 1);
	check("[%-100.50x]", 1u);
	check("[%.150u]", 3u);
	check("[%0100lld]", (long long)-5);
}

static void test_strings_chars(void **state)
{
	char nonterminated[4] = { 'a', 'b', 'c', 'd' };

	(void)state;
	check("%s", "");
	check("%s", "hello");
	check("[%10s]", "hello");
	check("[%-10s]", "hello");
	check("[%.3s]", "hello");
	check("[%10.3s]", "hello");
	check("[%-10.0s]", "hello");
	check("[%.10s]", "hello");
	check("[%3s]", "hello");
	check("%s and %s", "one", "two");
	check("[%.4s]", nonterminated);		/* must not read past the precision */
	check("%c%c%c", 'a', 'b', 'c');
	check("[%5c|%-5c]", 'x', 'y');
	check("%c", 0xff);
	check("a%cb", '\0');			/* an embedded NUL is output like any char */
	check("%%");
	check("100%% [%5s%%]", "x");
	check("no conversions at all");
	check("%s", "");
	check("%s%s%s", "", "", "");
	check("%d %s %c %x %u %p", -1, "s", 'c', 255u, 7u, (void *)0x1000);
}

static void test_null_string(void **state)
{
	const char *volatile null = NULL;	/* hidden from the compiler's format checks */
	char buf[32];

	(void)state;
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%s", null), 6);
	assert_string_equal(buf, "(null)");
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "[%8s]", null), 10);
	assert_string_equal(buf, "[  (null)]");
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "[%-8s]", null), 10);
	assert_string_equal(buf, "[(null)  ]");
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "[%.3s]", null), 5);
	assert_string_equal(buf, "[(nu]");
	assert_int_equal(cella_snprintf(buf, 4, "%s", null), 6);
	assert_string_equal(buf, "(nu");
}

static void test_pointers(void **state)
{
	static const uintptr_t ptrs[] = {
		1, 0xfff, 0x40000000, 0xffff000012345678ull, UINTPTR_MAX,
	};
	char buf[64];
	size_t i;

	(void)state;
	/* glibc: %p is %#lx for non-NULL pointers */
	for (i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
		void *p = (void *)ptrs[i];

		check("%p", p);
		check("[%25p]", p);
		check("[%-25p]", p);
		check("%p %p", p, (void *)&buf);
	}
	/* NULL is "0x0" here (glibc prints "(nil)") */
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%p", (void *)0), 3);
	assert_string_equal(buf, "0x0");
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "[%6p]", (void *)0), 8);
	assert_string_equal(buf, "[   0x0]");
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%p", (void *)0xabcdef), 8);
	assert_string_equal(buf, "0xabcdef");
}

static void test_truncation_and_return(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(cella_snprintf(buf, 0, "%d", 12345), 5);
	assert_int_equal((unsigned char)buf[0], CANARY);	/* size 0: nothing written */
	assert_int_equal(cella_snprintf(buf, 1, "%d", 12345), 5);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(cella_snprintf(buf, 5, "%d", 12345), 5);
	assert_string_equal(buf, "1234");
	assert_int_equal(cella_snprintf(buf, 6, "%d", 12345), 5);
	assert_string_equal(buf, "12345");
	assert_int_equal(cella_snprintf(NULL, 0, "%s%s", "abc", "defg"), 7);
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%s", ""), 0);
	assert_string_equal(buf, "");
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");
}

static void test_huge_widths(void **state)
{
	char buf[16];
	/* volatile: hidden from -Wformat-overflow */
	volatile int big = INT_MAX, most_negative = INT_MIN;

	(void)state;
	/* widths are counted, not written: fast, and only what fits is stored */
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%*d", 100000000, 1), 100000000);
	assert_string_equal(buf, "               ");
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%-*d|", 100000000, 1), 100000001);
	assert_string_equal(buf, "1              ");
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%.*d", 100000000, 1), 100000000);
	assert_string_equal(buf, "000000000000000");
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%*d", big, 7), INT_MAX);
	/* a length beyond INT_MAX cannot be returned */
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%*d%*d", big, 7, big, 7), -1);
	assert_int_equal(buf[sizeof(buf) - 1], '\0');
	assert_int_equal(cella_snprintf(buf, sizeof(buf), "%*d", most_negative, 7), INT_MAX);
	assert_string_equal(buf, "7              ");
}

static void test_unknown_conversions(void **state)
{
	char buf[32];
	const char *volatile fmt;

	(void)state;
	/* not in the supported set: copied as is (fmt is volatile so the compiler allows it) */
	fmt = "a%qb";
	assert_int_equal(cella_snprintf(buf, sizeof(buf), fmt, 1), 4);
	assert_string_equal(buf, "a%qb");
	fmt = "end%";
	assert_int_equal(cella_snprintf(buf, sizeof(buf), fmt, 1), 4);
	assert_string_equal(buf, "end%");
	fmt = "%-5%|";
	assert_int_equal(cella_snprintf(buf, sizeof(buf), fmt, 1), 2);
	assert_string_equal(buf, "%|");
}

static void test_checks_ran(void **state)
{
	(void)state;
	/* the table above really compared a large number of formats */
	assert_true(checks > 1500);
}

static void test_printable(void **state)
{
	char s[] = "/intc\x1b[2J\n@8000000\x7f\x80\xff ok~";

	cella_printable(s);
	assert_string_equal(s, "/intc?[2J?@8000000??? ok~");
	cella_printable(NULL);	/* tolerated */
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned_hex),
		cmocka_unit_test(test_width_precision_star),
		cmocka_unit_test(test_strings_chars),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_truncation_and_return),
		cmocka_unit_test(test_huge_widths),
		cmocka_unit_test(test_unknown_conversions),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_checks_ran),
	};

	return cmocka_run_group_tests_name("printf", tests, NULL, NULL);
}
