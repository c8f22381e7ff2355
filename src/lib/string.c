/* string.c - freestanding memory and string functions for EL2 (declared in libc/string.h). */
#include <stddef.h>
#include <stdint.h>

#include "libc/string.h"

/* gcc turns byte loops into calls to memcpy/memset/strlen (-ftree-loop-distribute-patterns),
 * which here would call themselves; clang does not with -ffreestanding (-fno-builtin). */
#if defined(__GNUC__) && !defined(__clang__)
#define STRING_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define STRING_NO_LIBCALL
#endif

/* A word that may alias any object: these functions see memory of every type. */
typedef uint64_t __attribute__((may_alias)) string_word_t;

#define WORD sizeof(string_word_t)
#define WORD_MASK ((uintptr_t)WORD - 1)

/* Forward copy; word at a time once both pointers are 8-byte aligned (EL2 runs -mstrict-align,
 * so unaligned 64-bit accesses are never made). Safe for overlap when dst < src. */
STRING_NO_LIBCALL static void string_copy_fwd(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n >= 2 * WORD && !(((uintptr_t)d ^ (uintptr_t)s) & WORD_MASK)) {
		while ((uintptr_t)d & WORD_MASK) {
			*d++ = *s++;
			n--;
		}
		while (n >= 4 * WORD) {
			string_word_t *dw = (string_word_t *)(void *)d;
			const string_word_t *sw = (const string_word_t *)(const void *)s;
			uint64_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];

			dw[0] = a;
			dw[1] = b;
			dw[2] = c;
			dw[3] = e;
			d += 4 * WORD;
			s += 4 * WORD;
			n -= 4 * WORD;
		}
		while (n >= WORD) {
			*(string_word_t *)(void *)d = *(const string_word_t *)(const void *)s;
			d += WORD;
			s += WORD;
			n -= WORD;
		}
	}
	while (n--)
		*d++ = *s++;
}

STRING_NO_LIBCALL void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	string_copy_fwd(dst, src, n);
	return dst;
}

STRING_NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* compare as integers: the pointers may be in different objects */
	if ((uintptr_t)dst <= (uintptr_t)src || (uintptr_t)dst - (uintptr_t)src >= n) {
		string_copy_fwd(d, s, n);
		return dst;
	}
	/* overlap with dst above src, from the end: byte by byte, as nothing at EL2 moves much
	 * this way (the FDT writer moves its strings block down) */
	while (n--)
		d[n] = s[n];
	return dst;
}

STRING_NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;

	if (n >= 2 * WORD) {
		uint64_t w = b * 0x0101010101010101ull;

		while ((uintptr_t)d & WORD_MASK) {
			*d++ = b;
			n--;
		}
		while (n >= 4 * WORD) {
			string_word_t *dw = (string_word_t *)(void *)d;

			dw[0] = w;
			dw[1] = w;
			dw[2] = w;
			dw[3] = w;
			d += 4 * WORD;
			n -= 4 * WORD;
		}
		while (n >= WORD) {
			*(string_word_t *)(void *)d = w;
			d += WORD;
			n -= WORD;
		}
	}
	while (n--)
		*d++ = b;
	return dst;
}

STRING_NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

STRING_NO_LIBCALL size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

STRING_NO_LIBCALL size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

STRING_NO_LIBCALL int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

STRING_NO_LIBCALL int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			return 0;
	}
	return 0;
}

STRING_NO_LIBCALL char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/* memchr - eight bytes a step once aligned (never reading past @n): the FDT reader scans
 * every node and property name with it. */
STRING_NO_LIBCALL void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned char b = (unsigned char)c;
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t pat = ones * b;

	for (; n && ((uintptr_t)p & 7); n--, p++)
		if (*p == b)
			return (void *)p;
	for (; n >= 8; n -= 8, p += 8) {
		uint64_t w = *(const uint64_t *)(const void *)p ^ pat;

		if ((w - ones) & ~w & highs)
			break;		/* a matching byte in this word: find it below */
	}
	for (; n; n--, p++)
		if (*p == b)
			return (void *)p;
	return NULL;
}
