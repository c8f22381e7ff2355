/* console.c - cella's messages and the cells' console output and input on the platform UART:
 * per-cell bounded output buffers drained fairly (a line per cell per round) by whoever holds
 * the drain, never waited for by a cell; input to the one cell that has the keyboard. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/cell.h"
#include "core/console.h"
#include "core/prompt.h"
#include "core/console_filter.h"
#include "dev/vpl011.h"
#include "lib/log.h"
#include "lib/printf.h"
#include "platform/uart_pl011.h"

#define CELL_BUF 1024		/* bytes of output a cell may have waiting */
#define LOG_BUF 4096		/* bytes of cella's own messages waiting */
#define ROUNDS_PER_PUMP 4	/* drain rounds the UART interrupt does on a cell's pCPU */
#define ROUNDS_PER_IRQ 32	/* the same on a pCPU no cell owns */

/* a byte ring; its owner's lock protects it */
struct ring {
	uint32_t head, count, size;
	char *buf;
};

/* one output source: a cell or cella itself */
struct source {
	spinlock_t lock;		/* ring and dropped; a leaf lock */
	struct ring ring;
	uint32_t dropped;		/* bytes written while the ring was full (lost) */
	uint32_t lines;			/* complete lines in the ring */
	bool mid_line;			/* the last byte written (queued or direct) was not '\n' */
	/* drain side, under drain_lock */
	struct console_stream stream;
	bool started;			/* stream initialised */
	bool broken;			/* its open line was cut by another writer: reprint it */
	uint32_t shown_len;		/* what the open line shows after the prefix */
	char shown[CONSOLE_LINE_MAX + 2 * CONSOLE_RENDER_MAX];
};

static char cell_bufs[CELLA_MAX_CELLS][CELL_BUF];
static char log_buf[LOG_BUF];
static struct source cell_src[CELLA_MAX_CELLS];
static struct source log_src = { .ring = { .size = LOG_BUF, .buf = log_buf } };

/* cells only ever try-lock it; cella's messages and power-off wait for it */
static spinlock_t drain_lock = SPINLOCK_INIT;
static uint32_t drain_pending;			/* a source has bytes the drain has not seen */
static uint32_t next_cell;			/* round robin start, under drain_lock */
static struct source *open_line;		/* whose line is open on the console (drain) */

static spinlock_t imsc_lock = SPINLOCK_INIT;	/* the UART's interrupt mask, one write */
static bool rx_irq_on = true, tx_irq_on;

static bool dedicated;				/* the UART interrupt has a pCPU of its own */

static spinlock_t rx_lock = SPINLOCK_INIT;
static bool rx_throttled;
static bool prompt_enabled = true;
static bool prompt_on;				/* the operator prompt has the keyboard */
static struct prompt prompt;			/* its line, under rx_lock */
static bool prefixing;
static struct cell *input_cell;

/* ---- rings ---- */

static bool ring_put(struct ring *r, char ch)
{
	if (r->count >= r->size)
		return false;
	r->buf[(r->head + r->count) % r->size] = ch;
	r->count++;
	return true;
}

static int ring_get(struct ring *r)
{
	char ch;

	if (!r->count)
		return -1;
	ch = r->buf[r->head];
	r->head = (r->head + 1) % r->size;
	r->count--;
	return (uint8_t)ch;
}

static struct source *cell_source(struct cell *c)
{
	BUG_ON(c->id >= CELLA_MAX_CELLS);	/* cell ids come from cella, not the guest */
	return &cell_src[c->id];
}

/* ---- the physical UART's interrupt mask ---- */

/* the receive interrupt on or off (the transmit side: tx_irq_update) */
static void rx_irq_set(bool on)
{
	spin_lock(&imsc_lock);
	rx_irq_on = on;
	uart_irq_mask(rx_irq_on, tx_irq_on);
	spin_unlock(&imsc_lock);
}

/* ---- draining ---- */

static void out_str(const char *s)
{
	for (; *s; s++)
		uart_putc(*s);
}

/* a cella message or another cell starts on a line of its own; the cell whose line it cuts
 * (the keyboard cell: the others write whole lines) gets that line reprinted when it goes on,
 * so every line it writes also appears whole */
static void close_open_line(struct source *next)
{
	if (open_line && open_line != next) {
		if (!open_line->stream.at_line_start) {
			out_str("\r\n");
			open_line->broken = prefixing;
			if (!prefixing)
				open_line->stream.at_line_start = true;
		}
		open_line = NULL;
	}
}

static void out_prefix(struct cell *c)
{
	uart_putc('[');
	out_str(c->desc->name);
	out_str("] ");
}

/* one byte of cell @c's output, rendered (console_filter.h) when several cells share the UART */
static void emit_cell_byte(struct cell *c, struct source *s, uint8_t ch)
{
	char out[CONSOLE_RENDER_MAX];
	int prefix_at;
	unsigned n;

	if (!prefixing) {
		/* one cell: its bytes go out unchanged (terminal control included) */
		uart_putc((char)ch);
		s->stream.at_line_start = ch == '\n';
		return;
	}
	if (s->broken) {
		s->broken = false;
		out_prefix(c);
		for (uint32_t i = 0; i < s->shown_len; i++)
			uart_putc(s->shown[i]);
	}
	n = console_render(&s->stream, ch, out, &prefix_at);
	for (unsigned i = 0; i < n; i++) {
		if ((int)i == prefix_at) {
			out_prefix(c);
			s->shown_len = 0;
		}
		uart_putc(out[i]);
		if (out[i] == '\n')
			s->shown_len = 0;
		else if (out[i] == '\b')
			s->shown_len -= s->shown_len > 0;
		else if (out[i] != '\r' && s->shown_len < sizeof(s->shown))
			s->shown[s->shown_len++] = out[i];
	}
}

/* emit up to one line of @c's output (drain_lock held). A cell without the keyboard shows
 * only whole lines (or CONSOLE_LINE_MAX bytes), so lines of different cells never mix. Returns
 * true if it emitted something. */
static bool drain_cell(struct cell *c)
{
	struct source *s = cell_source(c);
	bool whole = prefixing && c != input_cell;
	char line[CONSOLE_LINE_MAX];
	uint32_t n = 0;

	if (!s->started) {
		console_stream_init(&s->stream, c == input_cell);
		s->started = true;
	}
	spin_lock(&s->lock);
	if (whole && !s->lines && s->ring.count < CONSOLE_LINE_MAX) {
		spin_unlock(&s->lock);
		return false;
	}
	/* take the line out in one go: the cell's writers share this lock */
	while (n < CONSOLE_LINE_MAX) {
		int ch = ring_get(&s->ring);

		if (ch < 0)
			break;
		line[n++] = (char)ch;
		if (ch == '\n') {
			s->lines -= s->lines > 0;
			break;
		}
	}
	spin_unlock(&s->lock);
	if (!n)
		return false;
	close_open_line(s);
	for (uint32_t i = 0; i < n; i++)
		emit_cell_byte(c, s, (uint8_t)line[i]);
	open_line = s->stream.at_line_start ? NULL : s;
	return true;
}

/* cella's own messages: whole lines, first in every round */
static bool drain_log(void)
{
	bool any = false;

	for (;;) {
		int ch;

		spin_lock(&log_src.lock);
		ch = ring_get(&log_src.ring);
		spin_unlock(&log_src.lock);
		if (ch < 0)
			return any;
		if (!any)
			close_open_line(NULL);
		any = true;
		if (ch == '\n')
			uart_putc('\r');
		uart_putc((char)ch);
	}
}

/* one fair round: cella's messages, then a line from each cell, starting one further each
 * round. Returns true if anything was emitted. drain_lock held. */
static bool drain_round(void)
{
	bool any = drain_log();
	uint32_t n = cell_count();

	for (uint32_t k = 0; k < n; k++)
		any |= drain_cell(cell_get((next_cell + k) % n));
	if (n)
		next_cell = (next_cell + 1) % n;
	return any;
}

static bool sources_empty(void)
{
	bool empty;

	spin_lock(&log_src.lock);
	empty = log_src.ring.count == 0;
	spin_unlock(&log_src.lock);
	for (uint32_t i = 0; i < cell_count() && empty; i++) {
		struct source *s = &cell_src[i];

		spin_lock(&s->lock);
		/* a partial line of a line-buffered cell waits for its end, not for us */
		empty = s->ring.count == 0 ||
			(prefixing && cell_get(i) != input_cell && !s->lines &&
			 s->ring.count < CONSOLE_LINE_MAX);
		spin_unlock(&s->lock);
	}
	return empty;
}

/* tx_irq_update - the UART's transmit interrupt on while anything waits, off once all is out.
 * A @writer has appended before it reads tx_irq_on; the interrupt side stores it and then reads
 * the buffers, both sequentially consistent: if a writer saw it on and skipped the lock, the
 * interrupt side sees its bytes and turns it back on, so no wake-up is lost. */
static void tx_irq_update(bool writer)
{
	if (writer && __atomic_load_n(&tx_irq_on, __ATOMIC_SEQ_CST))
		return;
	spin_lock(&imsc_lock);
	if (sources_empty() && tx_irq_on) {
		__atomic_store_n(&tx_irq_on, false, __ATOMIC_SEQ_CST);
		uart_irq_mask(rx_irq_on, false);
	}
	if (!sources_empty() && !tx_irq_on) {
		__atomic_store_n(&tx_irq_on, true, __ATOMIC_SEQ_CST);
		uart_irq_mask(rx_irq_on, true);
	}
	spin_unlock(&imsc_lock);
}

/* console_pump - drain up to @rounds rounds if nobody else is draining; what is left is taken
 * by the UART's transmit interrupt (enabled here, disabled by the interrupt once all is out).
 * Nobody ever waits for another pCPU's drain. */
static void console_pump(unsigned rounds, bool writer)
{
	__atomic_store_n(&drain_pending, 1, __ATOMIC_SEQ_CST);
	while (rounds && spin_trylock(&drain_lock)) {
		while (rounds && __atomic_exchange_n(&drain_pending, 0, __ATOMIC_ACQ_REL)) {
			rounds--;
			if (drain_round())
				__atomic_store_n(&drain_pending, 1, __ATOMIC_RELEASE);
		}
		spin_unlock(&drain_lock);
		if (!rounds || !__atomic_load_n(&drain_pending, __ATOMIC_ACQUIRE))
			break;
	}
	tx_irq_update(writer);
}

void console_flush(void)
{
	spin_lock(&drain_lock);
	for (unsigned i = 0; i < 64 && drain_round(); i++)
		;
	spin_unlock(&drain_lock);
}

/* ---- writers ---- */

void log_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	bool lost = false;

	va_start(ap, fmt);
	cella_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	spin_lock(&log_src.lock);
	if (log_src.ring.size - log_src.ring.count < sizeof(buf))
		lost = true;	/* whole messages only: drop this one rather than cut it */
	for (const char *p = buf; *p && !lost; p++)
		ring_put(&log_src.ring, *p);
	spin_unlock(&log_src.lock);
	/* cella's message comes after what the cells wrote before it (their whole lines; the
	 * keyboard cell's or a lone cell's bytes). This waits for a drain in progress, whose
	 * work is bounded: cella's messages are rare, and those a guest can cause are budgeted. */
	spin_lock(&drain_lock);
	for (uint32_t i = 0; i < cell_count(); i++)
		for (uint32_t n = 0; n < CELL_BUF && drain_cell(cell_get(i)); n++)
			;
	drain_log();
	spin_unlock(&drain_lock);
	tx_irq_update(true);
}

void panic(const char *file, int line, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	cella_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* no lock, no buffer: the holder may be the one panicking */
	out_str("\r\ncella: PANIC: ");
	out_str(buf);
	out_str(" at ");
	out_str(file);
	cella_snprintf(buf, sizeof(buf), ":%d\r\n", line);
	out_str(buf);
	arch_halt();
}

void console_set_prefixing(bool on)
{
	prefixing = on;
}

void console_set_input(struct cell *c)
{
	__atomic_store_n(&input_cell, c, __ATOMIC_RELEASE);
}

struct cell *console_input(void)
{
	return __atomic_load_n(&input_cell, __ATOMIC_ACQUIRE);
}

void console_set_prompt(bool enabled)
{
	prompt_enabled = enabled;
}

/* prompt_byte - the operator prompt has the keyboard: edit its line with @ch (under rx_lock);
 * true when the line is complete, in *@done */
static bool prompt_byte(uint8_t ch, struct prompt *done)
{
	if (ch == PROMPT_ESCAPE) {
		prompt_on = false;
		log_printf("\r\n");
		return false;
	}
	switch (prompt_key(&prompt, ch)) {
	case PROMPT_KEY_ECHO:
		log_printf("%c", ch);
		return false;
	case PROMPT_KEY_ERASE:
		log_printf("\b \b");
		return false;
	case PROMPT_KEY_ENTER:
		log_printf("\r\n");
		*done = prompt;
		prompt_clear(&prompt);
		return true;
	default:
		return false;
	}
}

void console_cell_init(struct cell *c)
{
	struct source *s = cell_source(c);

	s->ring.buf = cell_bufs[c->id];
	s->ring.size = CELL_BUF;
}

void console_cell_putc(struct cell *c, char ch)
{
	struct source *s = cell_source(c);

	/* the uncontended case straight to the UART, in order: nothing of this cell or of cella
	 * queued ahead of the byte, nobody draining, the byte need not wait for its line's end
	 * (one cell, or the keyboard cell), and no pCPU of the console's own to hand it to */
	if (!dedicated && s->started && (!prefixing || c == input_cell) &&
	    spin_trylock(&drain_lock)) {
		bool direct;

		spin_lock(&log_src.lock);
		direct = log_src.ring.count == 0;
		spin_unlock(&log_src.lock);
		spin_lock(&s->lock);
		direct = direct && s->ring.count == 0;
		if (direct)
			s->mid_line = ch != '\n';	/* for console_cell_reset, as if queued */
		spin_unlock(&s->lock);
		if (direct) {
			close_open_line(s);
			emit_cell_byte(c, s, (uint8_t)ch);
			open_line = s->stream.at_line_start ? NULL : s;
		}
		spin_unlock(&drain_lock);
		if (direct)
			return;
	}
	spin_lock(&s->lock);
	if (ring_put(&s->ring, ch)) {
		s->lines += ch == '\n';
		s->mid_line = ch != '\n';
	} else if (s->dropped < UINT32_MAX) {
		s->dropped++;	/* the guest ignored TXFF: lost, as on a real UART */
	}
	spin_unlock(&s->lock);
}

void console_cell_written(struct cell *c)
{
	struct source *s = cell_source(c);
	bool ready;

	/* the byte went straight out (console_cell_putc): nothing buffered, nothing to do. Racy,
	 * but only this cell's vCPUs add to its ring, and each calls this after its own byte. */
	if (!__atomic_load_n(&s->ring.count, __ATOMIC_RELAXED))
		return;
	spin_lock(&s->lock);
	/* the input cell's bytes show at once (echo); the others' a line at a time */
	ready = s->ring.count && (s->lines || c == input_cell || !prefixing ||
				  s->ring.count >= CONSOLE_LINE_MAX);
	spin_unlock(&s->lock);
	/* with a pCPU of its own, the UART's transmit interrupt drains everything and a cell never
	 * touches the UART; without, the writer shows its own line if nobody else is draining and
	 * leaves the rest to the interrupt: a cell never waits for, or pays for, another's output */
	if (ready && !dedicated && spin_trylock(&drain_lock)) {
		drain_log();
		drain_cell(c);
		spin_unlock(&drain_lock);
		/* all of it shown (the common case, one byte): nothing for the interrupt to do.
		 * Whoever buffered bytes while we held the lock failed its trylock and pumps. */
		spin_lock(&s->lock);
		ready = s->ring.count != 0;
		spin_unlock(&s->lock);
	}
	if (ready)
		console_pump(0, true);
}

void console_set_dedicated(bool on)
{
	dedicated = on;
}

bool console_cell_tx_full(struct cell *c)
{
	struct source *s = cell_source(c);

	/* a flag the guest polls: a racy read is a read a moment earlier or later */
	return __atomic_load_n(&s->ring.count, __ATOMIC_RELAXED) >= s->ring.size;
}

/* ---- input ---- */

/* move received bytes to the input cell while its FIFO has room; when it is full, mask the
 * platform UART's receive interrupt and leave the rest in the UART (back-pressure, as a real
 * serial line with flow control). Lock order: rx_lock, then the cell's uart_lock. */
static void rx_move(void)
{
	struct cell *c = input_cell;
	struct prompt line;
	bool have_line = false;

	spin_lock(&rx_lock);
	for (;;) {
		bool live = c && cell_running(c);
		int ch;

		if (live && !vpl011_rx_room(c->uart)) {
			rx_throttled = true;
			rx_irq_set(false);
			break;
		}
		ch = uart_getc();
		if (ch < 0) {
			if (rx_throttled) {
				rx_throttled = false;
				rx_irq_set(true);
			}
			break;
		}
		/* the operator prompt: its escape key opens it, and then it has the keyboard */
		if (prompt_enabled && !prompt_on && ch == PROMPT_ESCAPE) {
			prompt_on = true;
			prompt_clear(&prompt);
			log_printf("\r\ncella> ");
			continue;
		}
		if (prompt_on) {
			if (prompt_byte((uint8_t)ch, &line)) {
				have_line = true;
				break;		/* run it outside rx_lock, then read on */
			}
			continue;
		}
		if (live)
			vpl011_push(c->uart, (uint8_t)ch);
	}
	spin_unlock(&rx_lock);
	if (have_line) {
		const char *arg;
		enum prompt_cmd cmd = prompt_parse(line.line, &arg);

		cell_prompt_command(cmd, arg);
		if (cmd == PROMPT_EXIT)
			prompt_on = false;
		else
			log_printf("cella> ");
		rx_move();	/* what came after the line */
	}
}

void console_irq(void)
{
	rx_move();
	console_pump(dedicated ? ROUNDS_PER_IRQ : ROUNDS_PER_PUMP, false);
}

void console_rx_drained(struct cell *c)
{
	if (c == input_cell && __atomic_load_n(&rx_throttled, __ATOMIC_ACQUIRE))
		rx_move();
}

void console_cell_reset(struct cell *c)
{
	struct source *s = cell_source(c);

	/* the old instance's last line ends here: the new one starts on a line of its own */
	spin_lock(&s->lock);
	if (s->mid_line && ring_put(&s->ring, '\n')) {
		s->lines++;
		s->mid_line = false;
	}
	spin_unlock(&s->lock);
	console_cell_written(c);
	if (c != input_cell)
		return;
	/* a new instance of the input cell starts with input flowing, whatever the old one left
	 * (a full FIFO masked the UART's receive interrupt: nothing would unmask it) */
	spin_lock(&rx_lock);
	rx_throttled = false;
	rx_irq_set(true);
	spin_unlock(&rx_lock);
}
