/* console.h - the cell's console: the PL011 UART cella gives every cell (IPA 0x09000000 unless
 * the DTB's /chosen stdout-path names another; PL011 TRM DDI 0183G, 3.3 "Register
 * descriptions"). picolibc's stdout and stderr write here, so printf() works once rt_start has
 * run; these calls also work before that (MMU off) and from exception handlers. */
#ifndef RT_CONSOLE_H
#define RT_CONSOLE_H

/* console_init - use the PL011 at IPA @base (identity-mapped as device memory by the caller).
 * The runtime calls it at start; 0 keeps the default 0x09000000. */
void console_init(unsigned long base);

/* rt_putchar - write byte @c, waiting while the transmit FIFO is full (UARTFR.TXFF). cella
 * turns '\n' into CR LF and prefixes each line with the cell's name when several cells run.
 * Returns @c. */
int rt_putchar(int c);

/* rt_puts - write the NUL-terminated string @s as it is (no newline added). */
void rt_puts(const char *s);

/* rt_getchar - one received byte, or -1 if the receive FIFO is empty (UARTFR.RXFE); never
 * waits. Input reaches only the cell that has the console (docs/system-description.md). */
int rt_getchar(void);

/* rt_puthex - @v as 0x-prefixed hexadecimal, @digits wide (1-16); for code that must not use
 * printf (exception handlers, before the C library is set up). */
void rt_puthex(unsigned long v, unsigned digits);

/* rt_putdec - @v in decimal, with a '-' if negative (same use as rt_puthex). */
void rt_putdec(long v);

#endif
