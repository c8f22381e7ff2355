/* console_filter.h - how one cell's output bytes reach the shared console when several cells
 * share it: each line starts with "[name] ", and nothing a cell writes can erase that prefix,
 * move the cursor or pass as cella's or another cell's output. Pure C, unit-tested. */
#ifndef CELLA_CORE_CONSOLE_FILTER_H
#define CELLA_CORE_CONSOLE_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#define CONSOLE_LINE_MAX 120	/* columns of cell output per console line; longer ones wrap */
#define CONSOLE_RENDER_MAX 4	/* bytes console_render writes at most (before a prefix) */

/* the console state of one cell's output stream */
struct console_stream {
	bool at_line_start;	/* the next byte starts a console line: print the prefix first */
	bool keyboard;		/* the cell has the keyboard: '\b' within its own line is kept */
	uint32_t col;		/* bytes of this line shown after the prefix */
	uint8_t prev;		/* the previous byte (UTF-8 C1 detection) */
};

/* console_stream_init - a stream at the start of a line; @keyboard as above. */
void console_stream_init(struct console_stream *s, bool keyboard);

/* console_render - what byte @ch of a cell's output becomes on a shared console: writes 0 to
 * CONSOLE_RENDER_MAX bytes to @out and returns how many; sets *@prefix_at to the index in @out
 * before which the "[name] " prefix must be printed (a line starts there), or -1. '\n'
 * becomes "\r\n"; '\r' is dropped (cella ends lines itself); '\t' and printable ASCII pass;
 * '\b' passes only for the keyboard cell and only while its line has something to erase
 * (never the prefix); other C0 controls and DEL become caret notation ("^[" for ESC), so no
 * escape sequence reaches the terminal; bytes of 0x80 and above pass (UTF-8), except C1
 * controls encoded in UTF-8 (0xC2 0x80-0x9F), whose second byte becomes '?'. A line longer
 * than CONSOLE_LINE_MAX wraps onto a new prefixed line. */
unsigned console_render(struct console_stream *s, uint8_t ch, char out[CONSOLE_RENDER_MAX],
			int *prefix_at);

#endif
