/* printf.c - freestanding snprintf: integers, strings, characters and pointers into a buffer. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/printf.h"

#define PF_INT_MAX ((size_t)(~0u >> 1))	/* INT_MAX without <limits.h> */

/* the flag characters; flag PF_FLAG_CHARS[i] is bit i */
#define PF_FLAG_CHARS "-0+ #"

enum {
	PF_LEFT = 1 << 0,	/* '-' */
	PF_ZERO = 1 << 1,	/* '0' */
	PF_PLUS = 1 << 2,	/* '+' */
	PF_SPACE = 1 << 3,	/* ' ' */
	PF_ALT = 1 << 4,	/* '#' */
	PF_UPPER = 1 << 5,	/* %X */
};

/* length modifiers; z and t share one: size_t and ptrdiff_t on every ABI cella builds for */
enum pf_len { PF_LEN_HH, PF_LEN_H, PF_LEN_INT, PF_LEN_L, PF_LEN_LL, PF_LEN_ZT, PF_LEN_J };

/* The output buffer; @pos counts every character, written or not. */
struct pf_out {
	char *buf;
	size_t size;
	size_t pos;
};

/* One conversion's flags, width and precision (-1: none). */
struct pf_spec {
	unsigned flags;
	size_t width;
	long precision;
};

static void pf_put(struct pf_out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

/* @n copies of @c; n can be huge (a width from '*'), so only what fits is stored. */
static void pf_fill(struct pf_out *o, char c, size_t n)
{
	while (n && o->pos + 1 < o->size) {
		o->buf[o->pos++] = c;
		n--;
	}
	o->pos += n;
}

static void pf_put_str(struct pf_out *o, const char *s, size_t n)
{
	while (n--)
		pf_put(o, *s++);
}

/* Spaces before (@side 0: right-justified) or after (@side PF_LEFT: '-') a field of @len
 * characters, if the field is justified that way. */
static void pf_pad(struct pf_out *o, const struct pf_spec *sp, size_t len, unsigned side)
{
	if ((sp->flags & PF_LEFT) == side && sp->width > len)
		pf_fill(o, ' ', sp->width - len);
}

static void pf_string(struct pf_out *o, const struct pf_spec *sp, const char *s)
{
	size_t len = 0;

	if (!s)
		s = "(null)";
	/* with a precision, never read past it: the array need not be NUL-terminated */
	while ((sp->precision < 0 || len < (size_t)sp->precision) && s[len])
		len++;
	pf_pad(o, sp, len, 0);
	pf_put_str(o, s, len);
	pf_pad(o, sp, len, PF_LEFT);
}

static void pf_char(struct pf_out *o, const struct pf_spec *sp, char c)
{
	pf_pad(o, sp, 1, 0);
	pf_put(o, c);
	pf_pad(o, sp, 1, PF_LEFT);
}

/* An integer: @v is the magnitude, @sign a leading '-', '+', ' ' or 0, @prefix "0x"/"0X" or "". */
static void pf_number(struct pf_out *o, const struct pf_spec *sp, uintmax_t v, unsigned base,
		      char sign, const char *prefix)
{
	const char *digits = (sp->flags & PF_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[sizeof(uintmax_t) * 3];	/* enough for base 10 and 16 */
	size_t n = 0, zeros = 0, prefix_len = 0, total;

	while (prefix[prefix_len])
		prefix_len++;
	/* precision 0 with value 0 prints no digits at all (C11 7.21.6.1p8) */
	while (v || (n == 0 && sp->precision != 0)) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (sp->precision > 0 && (size_t)sp->precision > n)
		zeros = (size_t)sp->precision - n;
	total = (sign ? 1 : 0) + prefix_len + zeros + n;
	/* '0' pads with zeros after the sign and prefix; ignored with '-' or a precision */
	if ((sp->flags & PF_ZERO) && !(sp->flags & PF_LEFT) && sp->precision < 0 &&
	    sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	pf_pad(o, sp, total, 0);
	if (sign)
		pf_put(o, sign);
	pf_put_str(o, prefix, prefix_len);
	pf_fill(o, '0', zeros);
	while (n)
		pf_put(o, tmp[--n]);
	pf_pad(o, sp, total, PF_LEFT);
}

/* Parse a decimal number at *@p, saturating at INT_MAX. */
static size_t pf_atoi(const char **p)
{
	size_t v = 0;

	while (**p >= '0' && **p <= '9') {
		v = v * 10 + (size_t)(**p - '0');
		if (v > PF_INT_MAX)
			v = PF_INT_MAX;
		(*p)++;
	}
	return v;
}

int cella_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct pf_out o = { buf, buf ? size : 0, 0 };
	const char *p = fmt;

	while (*p) {
		struct pf_spec sp = { 0, 0, -1 };
		enum pf_len len = PF_LEN_INT;
		uintmax_t uv;
		intmax_t sv;
		char sign = 0;
		unsigned base = 10;
		const char *prefix = "";

		if (*p != '%') {
			pf_put(&o, *p++);
			continue;
		}
		for (p++;; p++) {
			unsigned i = 0;

			while (PF_FLAG_CHARS[i] && PF_FLAG_CHARS[i] != *p)
				i++;
			if (!PF_FLAG_CHARS[i])
				break;		/* not a flag (nor the end of @fmt) */
			sp.flags |= 1u << i;
		}
		if (*p == '*') {
			int w = va_arg(ap, int);

			p++;
			/* a negative width argument is a '-' flag and a positive width */
			if (w < 0) {
				sp.flags |= PF_LEFT;
				sp.width = (size_t)(-(w + 1)) + 1;
				if (sp.width > PF_INT_MAX)
					sp.width = PF_INT_MAX;	/* INT_MIN */
			} else {
				sp.width = (size_t)w;
			}
		} else {
			sp.width = pf_atoi(&p);
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				int pr = va_arg(ap, int);

				p++;
				sp.precision = pr < 0 ? -1 : pr;	/* < 0: as if omitted */
			} else {
				sp.precision = (long)pf_atoi(&p);
			}
		}
		if (*p == 'h' || *p == 'l') {
			bool twice = p[1] == *p;	/* hh, ll */

			if (*p == 'h')
				len = twice ? PF_LEN_HH : PF_LEN_H;
			else
				len = twice ? PF_LEN_LL : PF_LEN_L;
			p += twice ? 2 : 1;
		} else if (*p == 'z' || *p == 't' || *p == 'j') {
			len = *p++ == 'j' ? PF_LEN_J : PF_LEN_ZT;
		}

		switch (*p) {
		case 'd':
		case 'i':
			switch (len) {
			case PF_LEN_HH: sv = (signed char)va_arg(ap, int); break;
			case PF_LEN_H: sv = (short)va_arg(ap, int); break;
			case PF_LEN_L: sv = va_arg(ap, long); break;
			case PF_LEN_LL: sv = va_arg(ap, long long); break;
			case PF_LEN_J: sv = va_arg(ap, intmax_t); break;
			case PF_LEN_ZT: sv = va_arg(ap, ptrdiff_t); break;
			default: sv = va_arg(ap, int); break;
			}
			if (sv < 0) {
				sign = '-';
				/* negate in unsigned arithmetic: INTMAX_MIN has no positive twin */
				uv = -(uintmax_t)sv;
			} else {
				sign = (sp.flags & PF_PLUS) ? '+' : (sp.flags & PF_SPACE) ? ' ' : 0;
				uv = (uintmax_t)sv;
			}
			pf_number(&o, &sp, uv, 10, sign, "");
			break;
		case 'X':
			sp.flags |= PF_UPPER;
			/* fall through */
		case 'x':
			base = 16;
			/* fall through */
		case 'u':
			switch (len) {
			case PF_LEN_HH: uv = (unsigned char)va_arg(ap, unsigned int); break;
			case PF_LEN_H: uv = (unsigned short)va_arg(ap, unsigned int); break;
			case PF_LEN_L: uv = va_arg(ap, unsigned long); break;
			case PF_LEN_LL: uv = va_arg(ap, unsigned long long); break;
			case PF_LEN_J: uv = va_arg(ap, uintmax_t); break;
			case PF_LEN_ZT: uv = va_arg(ap, size_t); break;
			default: uv = va_arg(ap, unsigned int); break;
			}
			if (base == 16 && (sp.flags & PF_ALT) && uv)
				prefix = (sp.flags & PF_UPPER) ? "0X" : "0x";
			pf_number(&o, &sp, uv, base, 0, prefix);
			break;
		case 'p':
			uv = (uintptr_t)va_arg(ap, void *);
			pf_number(&o, &sp, uv, 16, 0, "0x");
			break;
		case 's':
			pf_string(&o, &sp, va_arg(ap, const char *));
			break;
		case 'c':
			pf_char(&o, &sp, (char)va_arg(ap, int));
			break;
		case '%':
			pf_put(&o, '%');
			break;
		case '\0':
			/* a lone '%' at the end: print it, there is nothing to convert */
			pf_put(&o, '%');
			continue;
		default:
			/* unknown conversion: show it rather than guess at its arguments */
			pf_put(&o, '%');
			pf_put(&o, *p);
			break;
		}
		p++;
	}
	if (o.size)
		o.buf[o.pos < o.size ? o.pos : o.size - 1] = '\0';
	return o.pos > PF_INT_MAX ? -1 : (int)o.pos;
}

int cella_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = cella_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void cella_printable(char *s)
{
	for (; s && *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			*s = '?';
}
