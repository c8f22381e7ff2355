/* prompt.c - the operator prompt's line editor and parser (prompt.h). */
#include <stddef.h>
#include <string.h>
#include "core/prompt.h"

void prompt_clear(struct prompt *p)
{
	p->len = 0;
	p->line[0] = '\0';
}

enum prompt_key prompt_key(struct prompt *p, uint8_t ch)
{
	if (p->len >= PROMPT_LINE_MAX)
		p->len = PROMPT_LINE_MAX - 1;	/* a hand-filled struct: stay inside */
	if (ch == '\r' || ch == '\n') {
		p->line[p->len] = '\0';
		return PROMPT_KEY_ENTER;
	}
	if (ch == 0x7f || ch == '\b') {
		if (!p->len)
			return PROMPT_KEY_IGNORE;
		p->line[--p->len] = '\0';
		return PROMPT_KEY_ERASE;
	}
	if (ch < 0x20 || ch > 0x7e || p->len + 1 >= PROMPT_LINE_MAX)
		return PROMPT_KEY_IGNORE;
	p->line[p->len++] = (char)ch;
	p->line[p->len] = '\0';
	return PROMPT_KEY_ECHO;
}

/* the next word of *@s (split at spaces, NUL-terminated in place), or NULL */
static char *next_word(char **s)
{
	char *w = *s;

	while (*w == ' ')
		w++;
	if (!*w)
		return NULL;
	*s = w;
	while (**s && **s != ' ')
		(*s)++;
	if (**s)
		*(*s)++ = '\0';
	return w;
}

enum prompt_cmd prompt_parse(char *line, const char **arg)
{
	static const struct {
		const char *word;
		enum prompt_cmd cmd;
		bool takes_arg;
	} cmds[] = {
		{ "help", PROMPT_HELP, false }, { "list", PROMPT_LIST, false },
		{ "focus", PROMPT_FOCUS, true }, { "stop", PROMPT_STOP, true },
		{ "start", PROMPT_START, true }, { "restart", PROMPT_RESTART, true },
		{ "exit", PROMPT_EXIT, false },
	};
	char *s = line, *w = next_word(&s), *a;

	*arg = NULL;
	if (!w)
		return PROMPT_NONE;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(w, cmds[i].word) != 0)
			continue;
		a = next_word(&s);
		if (cmds[i].takes_arg != (a != NULL) || next_word(&s))
			return PROMPT_BAD;
		*arg = a;
		return cmds[i].cmd;
	}
	return PROMPT_BAD;
}
