/* console_filter.c - a cell's output bytes made safe for a shared console (pure). */
#include <stdbool.h>
#include <stdint.h>
#include "core/console_filter.h"

void console_stream_init(struct console_stream *s, bool keyboard)
{
	s->at_line_start = true;
	s->keyboard = keyboard;
	s->col = 0;
	s->prev = 0;
}

unsigned console_render(struct console_stream *s, uint8_t ch, char out[CONSOLE_RENDER_MAX],
			int *prefix_at)
{
	uint8_t prev = s->prev;
	unsigned n = 0;

	*prefix_at = -1;
	s->prev = ch;
	if (ch == '\r')
		return 0;
	if (ch == '\n') {
		/* an empty line still gets its prefix: a bare "\r\n" would look like cella's */
		*prefix_at = s->at_line_start ? 0 : -1;
		out[0] = '\r';
		out[1] = '\n';
		s->at_line_start = true;
		s->col = 0;
		return 2;
	}
	if (ch == '\b') {
		/* erase within the cell's own line only: the prefix is never reachable */
		if (!s->keyboard || s->at_line_start || s->col == 0)
			return 0;
		s->col--;
		out[0] = '\b';
		return 1;
	}
	if (s->at_line_start || s->col >= CONSOLE_LINE_MAX) {
		if (!s->at_line_start) {
			out[n++] = '\r';	/* wrap: the rest goes on a new prefixed line */
			out[n++] = '\n';
		}
		*prefix_at = (int)n;
		s->at_line_start = false;
		s->col = 0;
	}
	if (ch < 0x20 && ch != '\t') {
		out[n++] = '^';
		out[n++] = (char)(ch + 0x40);		/* ESC -> ^[ */
		s->col += 2;
	} else if (ch == 0x7f) {
		out[n++] = '^';
		out[n++] = '?';
		s->col += 2;
	} else if (prev == 0xc2 && ch >= 0x80 && ch <= 0x9f) {
		out[n++] = '?';				/* a C1 control (CSI is 0xC2 0x9B) */
		s->col++;
	} else {
		out[n++] = (char)ch;
		s->col++;
	}
	return n;
}
