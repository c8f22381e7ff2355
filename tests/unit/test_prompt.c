/* test_prompt.c - the operator prompt's line editor and parser, with hostile input: control
 * bytes, over-long lines, erase past the start, extra and missing arguments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "core/prompt.h"

static enum prompt_cmd parse(const char *s, const char **arg)
{
	static char buf[PROMPT_LINE_MAX];

	strncpy(buf, s, sizeof(buf) - 1);
	return prompt_parse(buf, arg);
}

static void test_parse(void **state)
{
	const char *a;

	assert_int_equal(parse("", &a), PROMPT_NONE);
	assert_int_equal(parse("   ", &a), PROMPT_NONE);
	assert_int_equal(parse("list", &a), PROMPT_LIST);
	assert_null(a);
	assert_int_equal(parse("  help ", &a), PROMPT_HELP);
	assert_int_equal(parse("restart linux", &a), PROMPT_RESTART);
	assert_string_equal(a, "linux");
	assert_int_equal(parse(" focus   ui  ", &a), PROMPT_FOCUS);
	assert_string_equal(a, "ui");
	assert_int_equal(parse("stop x", &a), PROMPT_STOP);
	assert_int_equal(parse("start x", &a), PROMPT_START);
	assert_int_equal(parse("exit", &a), PROMPT_EXIT);
	/* refusals */
	assert_int_equal(parse("stop", &a), PROMPT_BAD);
	assert_int_equal(parse("stop a b", &a), PROMPT_BAD);
	assert_int_equal(parse("list x", &a), PROMPT_BAD);
	assert_int_equal(parse("reboot", &a), PROMPT_BAD);
	assert_int_equal(parse("LIST", &a), PROMPT_BAD);
	assert_int_equal(parse("listing", &a), PROMPT_BAD);
}

static void test_keys(void **state)
{
	struct prompt p;
	const char *a;

	prompt_clear(&p);
	assert_int_equal(prompt_key(&p, 0x7f), PROMPT_KEY_IGNORE);	/* erase at the start */
	assert_int_equal(prompt_key(&p, 'l'), PROMPT_KEY_ECHO);
	assert_int_equal(prompt_key(&p, 'x'), PROMPT_KEY_ECHO);
	assert_int_equal(prompt_key(&p, '\b'), PROMPT_KEY_ERASE);
	assert_int_equal(prompt_key(&p, 0x1b), PROMPT_KEY_IGNORE);	/* ESC: no escape sequences */
	assert_int_equal(prompt_key(&p, 0x80), PROMPT_KEY_IGNORE);
	assert_int_equal(prompt_key(&p, 0xff), PROMPT_KEY_IGNORE);
	for (const char *s = "ist"; *s; s++)
		assert_int_equal(prompt_key(&p, (uint8_t)*s), PROMPT_KEY_ECHO);
	assert_int_equal(prompt_key(&p, '\r'), PROMPT_KEY_ENTER);
	assert_string_equal(p.line, "list");
	assert_int_equal(prompt_parse(p.line, &a), PROMPT_LIST);
	/* an over-long line keeps PROMPT_LINE_MAX - 1 bytes and stays terminated */
	prompt_clear(&p);
	for (int i = 0; i < 500; i++)
		prompt_key(&p, 'a');
	assert_int_equal(p.len, PROMPT_LINE_MAX - 1);
	assert_int_equal(prompt_key(&p, '\n'), PROMPT_KEY_ENTER);
	assert_int_equal(strlen(p.line), PROMPT_LINE_MAX - 1);
	assert_int_equal(prompt_parse(p.line, &a), PROMPT_BAD);
	/* a corrupted length is pulled back inside */
	p.len = 1000;
	assert_int_equal(prompt_key(&p, '\n'), PROMPT_KEY_ENTER);
	assert_true(p.len < PROMPT_LINE_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_keys),
	};

	return cmocka_run_group_tests_name("prompt", tests, NULL, NULL);
}
