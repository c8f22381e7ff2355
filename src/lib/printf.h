/* printf.h - freestanding, bounded formatted output (a subset of C11 7.21.6 snprintf).
 * Pure C (stdarg, stddef, stdint only): used at EL2, in native components and in host tests.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%. Flags '-', '0', '+', ' ', '#' (x/X only).
 * Width and precision, each a number or '*'. Length modifiers hh, h, l, ll, z, j, t.
 * %s with a NULL pointer prints "(null)" (cut by the precision like any string); %p prints
 * "0x" and lower-case hex digits, NULL as "0x0". No floating point, no %n, no %o, no wide
 * characters: an unknown conversion is copied to the output as is.
 */
#ifndef CELLA_LIB_PRINTF_H
#define CELLA_LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* cella_vsnprintf - format @fmt with @ap into @buf, which holds @size bytes (C99 semantics).
 * Writes at most size - 1 characters and always NUL-terminates when size > 0; @buf may be NULL
 * when size is 0. Returns the length the whole output would have had (excluding the NUL),
 * so the output was cut when the return value >= size; -1 if that length exceeds INT_MAX. */
int cella_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* cella_snprintf - cella_vsnprintf with the arguments inline; checked by the compiler. */
int cella_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* cella_printable - replace every byte of @s outside printable ASCII (0x20..0x7e) with '?',
 * so a message that quotes hostile names (DTB nodes, strings) stays one visible line. */
void cella_printable(char *s);

#endif
