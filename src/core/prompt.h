/* prompt.h - cella's operator console prompt: the escape key (PROMPT_ESCAPE, Ctrl-]) on the
 * console opens it; it lists cells, moves the keyboard, and stops, starts or restarts a cell.
 * This is the pure part: line editing and command parsing, unit-tested on the host. */
#ifndef CELLA_CORE_PROMPT_H
#define CELLA_CORE_PROMPT_H

#include <stdbool.h>
#include <stdint.h>

#define PROMPT_ESCAPE 0x1d		/* Ctrl-]: QEMU -nographic owns Ctrl-a, shells use Ctrl-\ */
#define PROMPT_LINE_MAX 64

enum prompt_cmd {
	PROMPT_NONE = 0,	/* empty line */
	PROMPT_HELP,
	PROMPT_LIST,
	PROMPT_FOCUS,		/* arg: cell name */
	PROMPT_STOP,
	PROMPT_START,
	PROMPT_RESTART,
	PROMPT_EXIT,		/* back to the cell with the keyboard */
	PROMPT_BAD,		/* unknown command or a missing/extra argument */
};

struct prompt {
	char line[PROMPT_LINE_MAX];
	uint32_t len;
};

enum prompt_key {
	PROMPT_KEY_ECHO,	/* a printable byte added to the line: echo it */
	PROMPT_KEY_ERASE,	/* backspace/DEL removed one: echo "\b \b" */
	PROMPT_KEY_IGNORE,	/* nothing to do (line full, control byte, erase at start) */
	PROMPT_KEY_ENTER,	/* the line is complete: parse it, then prompt_clear */
};

/* prompt_key - feed one input byte @ch to the line editor @p. Only printable ASCII is kept;
 * the line holds at most PROMPT_LINE_MAX - 1 bytes. */
enum prompt_key prompt_key(struct prompt *p, uint8_t ch);

/* prompt_clear - start a new, empty line. */
void prompt_clear(struct prompt *p);

/* prompt_parse - the command in @line (NUL-terminated): words separated by spaces; commands
 * help, list, focus NAME, stop NAME, start NAME, restart NAME, exit. *@arg points at NAME
 * inside @line (NUL-terminated there), or NULL. Unknown words, a missing or an extra argument
 * give PROMPT_BAD. */
enum prompt_cmd prompt_parse(char *line, const char **arg);

#endif
