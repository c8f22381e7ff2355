/* console.c - the component's console on the cell's PL011, and picolibc's stdio streams on it. */
#include <stdio.h>

#include <rt/console.h>
#include <rt/sysreg.h>

#define UART_DEFAULT 0x09000000ul
#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)

static uintptr_t uart = UART_DEFAULT;

void console_init(unsigned long base)
{
	if (base)
		uart = base;
}

int rt_putchar(int c)
{
	/* bounded: a UART that never drains must not hang the cell silently forever in here */
	for (unsigned n = 0; n < 1000000 && (mmio_read32(uart + UART_FR) & UART_FR_TXFF); n++)
		;
	mmio_write32(uart + UART_DR, (uint8_t)c);
	return c;
}

void rt_puts(const char *s)
{
	while (*s)
		rt_putchar(*s++);
}

int rt_getchar(void)
{
	if (mmio_read32(uart + UART_FR) & UART_FR_RXFE)
		return -1;
	return (int)(mmio_read32(uart + UART_DR) & 0xff);
}

void rt_puthex(unsigned long v, unsigned digits)
{
	if (digits < 1)
		digits = 1;
	if (digits > 16)
		digits = 16;
	rt_puts("0x");
	while (digits--)
		rt_putchar("0123456789abcdef"[(v >> (4 * digits)) & 0xf]);
}

void rt_putdec(long v)
{
	char digits[20];
	unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
	unsigned n = 0;

	if (v < 0)
		rt_putchar('-');
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		rt_putchar(digits[--n]);
}

/* picolibc tinystdio: a FILE is a put/get function pair (picolibc's stdio.h, FDEV_SETUP_STREAM) */
static int stream_put(char c, FILE *f)
{
	(void)f;
	rt_putchar((unsigned char)c);
	return (unsigned char)c;
}

static int stream_get(FILE *f)
{
	int c;

	(void)f;
	while ((c = rt_getchar()) < 0)
		wfe();	/* the generic timer's event stream (CNTKCTL_EL1.EVNTEN) bounds the wait */
	return c;
}

static FILE console_stream = FDEV_SETUP_STREAM(stream_put, stream_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &console_stream;
FILE *const stdout = &console_stream;
FILE *const stderr = &console_stream;
