/* console.c - cella's messages and the cells' console output and input on the platform UART. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/cell.h"
#include "core/console.h"
#include "lib/log.h"
#include "lib/printf.h"
#include "platform/uart_pl011.h"

static spinlock_t console_lock = SPINLOCK_INIT;
static spinlock_t rx_lock = SPINLOCK_INIT;
static bool rx_throttled;
static bool prefixing;
static struct cell *input_cell;
static struct cell *last_writer;	/* whose line is open on the console */

static void puts_locked(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
}

/* a cella message starts on a line of its own even if a cell left one open */
static void break_cell_line(void)
{
	if (last_writer && !last_writer->at_line_start) {
		puts_locked("\n");
		last_writer->at_line_start = true;
	}
	last_writer = NULL;
}

void log_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	cella_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	spin_lock(&console_lock);
	break_cell_line();
	puts_locked(buf);
	spin_unlock(&console_lock);
}

void panic(const char *file, int line, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	cella_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* no lock: the holder may be the one panicking */
	puts_locked("\ncella: PANIC: ");
	puts_locked(buf);
	puts_locked(" at ");
	puts_locked(file);
	cella_snprintf(buf, sizeof(buf), ":%d\n", line);
	puts_locked(buf);
	arch_halt();
}

void console_set_prefixing(bool on)
{
	prefixing = on;
}

void console_set_input(struct cell *c)
{
	input_cell = c;
}

/* prefixed output of cell @c: @s (@n bytes, no '\r'), starting a new console line if another
 * writer left one open. Console lock held. */
static void cell_write_locked(struct cell *c, const char *s, uint32_t n)
{
	if (last_writer != c) {
		break_cell_line();
		last_writer = c;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (c->at_line_start) {
			puts_locked("[");
			puts_locked(c->desc->name);
			puts_locked("] ");
		}
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
		c->at_line_start = s[i] == '\n';
	}
}

void console_cell_putc(struct cell *c, char ch)
{
	spin_lock(&console_lock);
	if (!prefixing) {
		/* one cell: its bytes go out unchanged (terminal control included) */
		if (last_writer != c) {
			break_cell_line();
			last_writer = c;
		}
		uart_putc(ch);
		c->at_line_start = ch == '\n';
	} else if (ch == '\r') {
		/* prefixed lines end in "\r\n" of our own */
	} else if (c == input_cell) {
		/* the cell at the keyboard: unbuffered, so typing echoes at once */
		cell_write_locked(c, &ch, 1);
	} else {
		/* the others: whole lines, so simultaneous output interleaves by line */
		c->line[c->line_len++] = ch;
		if (ch == '\n' || c->line_len == sizeof(c->line)) {
			cell_write_locked(c, c->line, c->line_len);
			c->line_len = 0;
		}
	}
	spin_unlock(&console_lock);
}

/* move received bytes to the input cell while its FIFO has room; when it is full, mask the
 * platform UART's receive interrupt and leave the rest in the UART (back-pressure, as a real
 * serial line with flow control). Lock order: rx_lock, then the cell's uart_lock. */
static void rx_move(void)
{
	struct cell *c = input_cell;

	spin_lock(&rx_lock);
	for (;;) {
		bool live = c && cell_running(c);
		int ch;

		if (live) {
			bool room;

			spin_lock(&c->uart_lock);
			room = c->uart.rx_count < VPL011_RX_FIFO;
			spin_unlock(&c->uart_lock);
			if (!room) {
				rx_throttled = true;
				uart_rx_irq_enable(0);
				break;
			}
		}
		ch = uart_getc();
		if (ch < 0) {
			if (rx_throttled) {
				rx_throttled = false;
				uart_rx_irq_enable(1);
			}
			break;
		}
		if (live) {
			spin_lock(&c->uart_lock);
			vpl011_rx(&c->uart, (uint8_t)ch);
			spin_unlock(&c->uart_lock);
		}
	}
	spin_unlock(&rx_lock);
}

void console_rx_irq(void)
{
	rx_move();
}

void console_rx_drained(struct cell *c)
{
	if (c == input_cell && __atomic_load_n(&rx_throttled, __ATOMIC_ACQUIRE))
		rx_move();
}
