/* test_console_filter.c - host unit tests of the shared-console filter
 * (src/core/console_filter.c): a cell's bytes can neither erase its "[name] " prefix nor send
 * escape sequences, nor make a line that looks like cella's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/console_filter.h"

#define PREFIX "[c] "

/* render @n bytes of @in through @s into @out as the console would show them */
static size_t render(struct console_stream *s, const uint8_t *in, size_t n, char *out,
		     size_t cap)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		char b[CONSOLE_RENDER_MAX];
		int at;
		unsigned k = console_render(s, in[i], b, &at);

		assert_true(k <= CONSOLE_RENDER_MAX);
		assert_true(at >= -1 && at <= (int)k);
		for (unsigned j = 0; j <= k; j++) {
			if ((int)j == at) {
				assert_true(len + strlen(PREFIX) < cap);
				memcpy(out + len, PREFIX, strlen(PREFIX));
				len += strlen(PREFIX);
			}
			if (j < k) {
				assert_true(len + 1 < cap);
				out[len++] = b[j];
			}
		}
	}
	out[len] = '\0';
	return len;
}

static void expect(bool keyboard, const char *in, const char *want)
{
	struct console_stream s;
	char out[4096];

	console_stream_init(&s, keyboard);
	render(&s, (const uint8_t *)in, strlen(in), out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_lines(void **state)
{
	(void)state;
	expect(false, "ab\ncd\n", PREFIX "ab\r\n" PREFIX "cd\r\n");
	expect(false, "a\r\nb", PREFIX "a\r\n" PREFIX "b");
	expect(false, "\n\n", PREFIX "\r\n" PREFIX "\r\n");	/* empty lines keep the prefix */
	expect(false, "\tx\n", PREFIX "\tx\r\n");
	expect(false, "caf\xc3\xa9\n", PREFIX "caf\xc3\xa9\r\n");	/* UTF-8 passes */
}

static void test_escapes(void **state)
{
	(void)state;
	expect(false, "\x1b[2K\x1b[1Gcella: x\n", PREFIX "^[[2K^[[1Gcella: x\r\n");
	expect(false, "\x07\x7f\x01\n", PREFIX "^G^?^A\r\n");
	expect(true, "\x1b[A\n", PREFIX "^[[A\r\n");		/* the keyboard cell too */
	expect(false, "\xc2\x9b" "2J\n", PREFIX "\xc2?2J\r\n");	/* UTF-8 encoded CSI */
}

static void test_backspace(void **state)
{
	(void)state;
	expect(false, "ab\b\bX\n", PREFIX "abX\r\n");		/* not the keyboard cell */
	expect(true, "ab\b\b\b\b\bX\n", PREFIX "ab\b\bX\r\n");	/* never past its own text */
	expect(true, "\b\b\b\b\bcella: cell 'x' stopped\n", PREFIX "cella: cell 'x' stopped\r\n");
	expect(true, "a\n\b\bX\n", PREFIX "a\r\n" PREFIX "X\r\n");
}

static void test_wrap(void **state)
{
	struct console_stream s;
	char in[300], out[4096], want[4096];

	(void)state;
	memset(in, 'x', sizeof(in));
	console_stream_init(&s, true);
	render(&s, (const uint8_t *)in, 2 * CONSOLE_LINE_MAX + 5, out, sizeof(out));
	snprintf(want, sizeof(want), PREFIX "%.*s\r\n" PREFIX "%.*s\r\n" PREFIX "%.*s",
		 CONSOLE_LINE_MAX, in, CONSOLE_LINE_MAX, in, 5, in);
	assert_string_equal(out, want);
	/* a backspace right after a wrap cannot reach the new prefix */
	console_stream_init(&s, true);
	render(&s, (const uint8_t *)in, CONSOLE_LINE_MAX, out, sizeof(out));
	render(&s, (const uint8_t *)"y\b\b", 3, out, sizeof(out));
	assert_string_equal(out, "\r\n" PREFIX "y\b");
}

/* hostile streams: whatever comes in, the terminal sees printable text, '\t', UTF-8 bytes,
 * "\r\n" pairs and backspaces that never move the cursor into a prefix; every line starts
 * with the prefix */
static void test_hostile_random(void **state)
{
	static char out[1 << 20];
	uint8_t in[20000];
	uint64_t seed = 0x243f6a8885a308d3ull;

	(void)state;
	for (int keyboard = 0; keyboard < 2; keyboard++) {
		struct console_stream s;
		size_t len;
		long col = 0;

		for (size_t i = 0; i < sizeof(in); i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			/* bias toward controls */
			in[i] = (uint8_t)((seed & 3) ? seed >> 8 : (seed >> 8) % 32);
		}
		console_stream_init(&s, keyboard);
		len = render(&s, in, sizeof(in), out, sizeof(out));
		assert_memory_equal(out, PREFIX, strlen(PREFIX));
		for (size_t i = 0; i < len; i++) {
			uint8_t c = (uint8_t)out[i];

			assert_true(c >= 0x20 || c == '\t' || c == '\r' || c == '\n' || c == '\b');
			assert_true(c != 0x7f && c != 0x1b);
			if (c == '\r') {
				assert_true(i + 1 < len && out[i + 1] == '\n');
			} else if (c == '\n') {
				if (i + 1 < len)
					assert_memory_equal(out + i + 1, PREFIX, strlen(PREFIX));
				col = -(long)strlen(PREFIX);
				continue;
			} else if (c == '\b') {
				assert_true(keyboard);
				col--;
				assert_true(col >= 0);	/* never into the prefix */
				continue;
			}
			if (c != '\r')
				col++;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_backspace),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_hostile_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
