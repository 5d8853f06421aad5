// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for drivers/tty/n_tty.c, the line discipline: what a reader
 * gets, what is echoed and which signals are asked for, for input typed
 * in canonical and raw mode.
 */
#include <lego/n_tty.h>

#include <stdio.h>
#include <stdlib.h>

#include "host.h"

/* Everything the line discipline echoed or wrote, as one string. */
static char echoed[16384];
static size_t echoed_len;

static void capture(void *ctx __unused, const char *s, size_t n)
{
	assert_true(echoed_len + n < sizeof(echoed));
	memcpy(echoed + echoed_len, s, n);
	echoed_len += n;
	echoed[echoed_len] = '\0';
}

static struct n_tty *ld;
static struct n_tty_events ev;

static int setup(void **state __unused)
{
	ld = malloc(sizeof(*ld));
	n_tty_init(ld, capture, NULL);
	echoed_len = 0;
	echoed[0] = '\0';
	return 0;
}

static int teardown(void **state __unused)
{
	free(ld);
	return 0;
}

static void type(const char *s)
{
	n_tty_receive(ld, (const u8 *)s, strlen(s), &ev);
}

static void clear_echo(void)
{
	echoed_len = 0;
	echoed[0] = '\0';
}

/* One read of at most n bytes, as a string; *done as n_tty_read says. */
static const char *read_n(size_t n, bool *done)
{
	static char buf[N_TTY_BUF_SIZE + 1];
	size_t got = n_tty_read(ld, (u8 *)buf, n, done);

	buf[got] = '\0';
	return buf;
}

static const char *read_line(void)
{
	bool done;

	return read_n(N_TTY_BUF_SIZE, &done);
}

static void set_lflag(tcflag_t on, tcflag_t off)
{
	struct termios t = ld->termios;

	t.c_lflag = (t.c_lflag | on) & ~off;
	n_tty_set_termios(ld, &t);
}

static void set_raw(int vmin, int vtime)
{
	struct termios t = ld->termios;

	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	n_tty_set_termios(ld, &t);
}

static void test_defaults_match_linux(void **state __unused)
{
	struct termios *t = &ld->termios;

	assert_int_equal(sizeof(struct termios), 36);
	assert_int_equal(t->c_iflag, ICRNL | IXON);
	assert_int_equal(t->c_oflag, OPOST | ONLCR);
	assert_int_equal(t->c_lflag, 0x8a3b);
	assert_int_equal(t->c_cc[VINTR], 3);
	assert_int_equal(t->c_cc[VERASE], 0x7f);
	assert_int_equal(t->c_cc[VEOF], 4);
	assert_int_equal(t->c_cc[VMIN], 1);
}

static void test_line_is_readable_only_at_newline(void **state __unused)
{
	type("ls");
	assert_false(n_tty_input_ready(ld));
	assert_false(ev.readable);
	assert_int_equal(n_tty_avail(ld), 0);
	assert_string_equal(echoed, "ls");
	type("\n");
	assert_true(ev.readable);
	assert_true(n_tty_input_ready(ld));
	assert_int_equal(n_tty_avail(ld), 3);
	assert_string_equal(echoed, "ls\r\n");
	assert_string_equal(read_line(), "ls\n");
	assert_false(n_tty_input_ready(ld));
}

static void test_cr_becomes_nl(void **state __unused)
{
	struct termios t = ld->termios;

	type("pwd\r");
	assert_string_equal(read_line(), "pwd\n");
	assert_string_equal(echoed, "pwd\r\n");

	/* without ICRNL a CR is an ordinary character (echoed as ^M) */
	t.c_iflag &= ~ICRNL;
	n_tty_set_termios(ld, &t);
	clear_echo();
	type("a\r\n");
	assert_string_equal(read_line(), "a\r\n");
	assert_string_equal(echoed, "a^M\r\n");

	/* IGNCR drops it */
	t.c_iflag |= IGNCR;
	n_tty_set_termios(ld, &t);
	type("b\r\n");
	assert_string_equal(read_line(), "b\n");
}

static void test_one_line_per_read(void **state __unused)
{
	bool done;

	type("one\ntwo\n");
	assert_string_equal(read_line(), "one\n");
	/* a short read leaves the rest of the line for the next one */
	assert_string_equal(read_n(2, &done), "tw");
	assert_false(done);
	assert_string_equal(read_n(10, &done), "o\n");
	assert_true(done);
}

static void test_erase(void **state __unused)
{
	type("lx\x7fs\n");
	assert_string_equal(read_line(), "ls\n");
	assert_string_equal(echoed, "lx\b \bs\r\n");

	/* ^H erases too; erasing an empty line does nothing */
	clear_echo();
	type("\bab\b\b\bc\n");
	assert_string_equal(read_line(), "c\n");
	assert_string_equal(echoed, "ab\b \b\b \bc\r\n");

	/* a control character echoed as ^X takes two columns */
	clear_echo();
	type("a\x16\x01\x7f\n");
	assert_string_equal(read_line(), "a\n");
	assert_string_equal(echoed, "a^\b^A\b \b\b \b\r\n");
}

static void test_erase_without_echoe(void **state __unused)
{
	set_lflag(0, ECHOE);
	type("ab\x7f\n");
	assert_string_equal(read_line(), "a\n");
	assert_string_equal(echoed, "ab^?\r\n");
}

static void test_erase_tab(void **state __unused)
{
	type("ab\t");
	clear_echo();
	/* the tab took columns 2..7: six of them are rubbed out */
	type("\x7f");
	assert_string_equal(echoed, "\b \b\b \b\b \b\b \b\b \b\b \b");
	type("\n");
	assert_string_equal(read_line(), "ab\n");
}

static void test_erase_utf8_character_whole(void **state __unused)
{
	struct termios t = ld->termios;

	t.c_iflag |= IUTF8;
	n_tty_set_termios(ld, &t);
	type("a\xc3\xa9");	/* a, e acute */
	clear_echo();
	type("\x7f\n");
	assert_string_equal(read_line(), "a\n");
	assert_string_equal(echoed, "\b \b\r\n");
}

static void test_kill_line(void **state __unused)
{
	type("rm -rf");
	clear_echo();
	type("\x15");
	assert_string_equal(echoed, "\b \b\b \b\b \b\b \b\b \b\b \b");
	type("ok\n");
	assert_string_equal(read_line(), "ok\n");

	/* without ECHOKE: the kill character, then a new line */
	set_lflag(0, ECHOKE);
	type("xyz");
	clear_echo();
	type("\x15");
	assert_string_equal(echoed, "^U\r\n");
	type("\n");
	assert_string_equal(read_line(), "\n");
}

static void test_word_erase(void **state __unused)
{
	type("echo hello  ");
	clear_echo();
	type("\x17");
	/* two spaces and "hello" */
	assert_int_equal(echoed_len, 7 * 3);
	type("x\n");
	assert_string_equal(read_line(), "echo x\n");

	type("cat a/b/c\x17\x17\n");
	assert_string_equal(read_line(), "cat a/\n");

	/* without IEXTEN ^W is an ordinary character */
	set_lflag(0, IEXTEN);
	type("a\x17\n");
	assert_string_equal(read_line(), "a\x17\n");
}

static void test_eof_at_line_start(void **state __unused)
{
	bool done;

	type("\x04");
	assert_true(ev.readable);
	assert_true(n_tty_input_ready(ld));
	assert_int_equal(n_tty_avail(ld), 0);
	assert_string_equal(read_n(100, &done), "");
	assert_true(done);
	/* once: the next read waits for more */
	assert_false(n_tty_input_ready(ld));
	assert_string_equal(echoed, "");
}

static void test_eof_mid_line(void **state __unused)
{
	bool done;

	type("abc\x04");
	assert_true(n_tty_input_ready(ld));
	assert_string_equal(read_n(100, &done), "abc");
	assert_true(done);
	assert_false(n_tty_input_ready(ld));
	/* a second ^D on the now empty line is end of file */
	type("\x04");
	assert_string_equal(read_n(100, &done), "");
	assert_true(done);

	/* a read that ends exactly before the marker consumes it */
	type("xy\x04z\n");
	assert_string_equal(read_n(2, &done), "xy");
	assert_true(done);
	assert_string_equal(read_line(), "z\n");
}

static void test_literal_next(void **state __unused)
{
	type("\x16\x03\x16\x7f\n");
	assert_int_equal(ev.signals, 0);
	assert_string_equal(read_line(), "\x03\x7f\n");
}

static void test_reprint(void **state __unused)
{
	type("abc");
	clear_echo();
	type("\x12");
	assert_string_equal(echoed, "^R\r\nabc");
	type("\x7f\n");
	assert_string_equal(read_line(), "ab\n");
}

static void test_echo_off(void **state __unused)
{
	set_lflag(0, ECHO);
	type("secret\x7f\n");
	assert_string_equal(read_line(), "secre\n");
	assert_string_equal(echoed, "");

	/* ECHONL still shows the end of the line */
	set_lflag(ECHONL, 0);
	type("pw\n");
	assert_string_equal(echoed, "\r\n");
	assert_string_equal(read_line(), "pw\n");
}

static void test_signals(void **state __unused)
{
	type("half a line\x03");
	assert_int_equal(ev.signals, N_TTY_SIGINT);
	assert_false(n_tty_input_ready(ld));
	assert_string_equal(echoed, "half a line^C");

	type("\x1c");
	assert_int_equal(ev.signals, N_TTY_SIGQUIT);
	type("\x1a");
	assert_int_equal(ev.signals, N_TTY_SIGTSTP);
	type("\x03\x1a");
	assert_int_equal(ev.signals, N_TTY_SIGINT | N_TTY_SIGTSTP);
}

static void test_signal_flushes_complete_lines(void **state __unused)
{
	type("queued\n\x03");
	assert_false(n_tty_input_ready(ld));
	assert_int_equal(n_tty_avail(ld), 0);

	/* NOFLSH keeps them */
	set_lflag(NOFLSH, 0);
	type("kept\n\x03");
	assert_int_equal(ev.signals, N_TTY_SIGINT);
	assert_string_equal(read_line(), "kept\n");
}

static void test_isig_off(void **state __unused)
{
	set_lflag(0, ISIG);
	type("a\x03\x1c\x1a\n");
	assert_int_equal(ev.signals, 0);
	assert_string_equal(read_line(), "a\x03\x1c\x1a\n");
}

static void test_signals_in_raw_mode(void **state __unused)
{
	set_raw(1, 0);
	type("x\x03");
	assert_int_equal(ev.signals, N_TTY_SIGINT);
	assert_int_equal(n_tty_avail(ld), 0);
}

static void test_raw_mode(void **state __unused)
{
	bool done;
	struct n_tty_raw_wait w;

	set_raw(1, 0);
	type("a");
	assert_true(ev.readable);
	assert_true(n_tty_input_ready(ld));
	assert_string_equal(echoed, "");
	/* editing characters, CR and ^D are data */
	type("\x7f\x15\x04\r");
	assert_string_equal(read_n(100, &done), "a\x7f\x15\x04\n");
	assert_false(n_tty_input_ready(ld));

	n_tty_raw_wait(ld, 100, &w);
	assert_int_equal(w.min, 1);
	assert_int_equal(w.timeout_ns, 0);
}

static void test_raw_wait_rules(void **state __unused)
{
	struct n_tty_raw_wait w;

	set_raw(0, 0);		/* polling read */
	n_tty_raw_wait(ld, 100, &w);
	assert_int_equal(w.min, 0);
	assert_int_equal(w.timeout_ns, 0);

	set_raw(0, 5);		/* one byte or half a second */
	n_tty_raw_wait(ld, 100, &w);
	assert_int_equal(w.min, 1);
	assert_int_equal(w.timeout_ns, 500000000ULL);
	assert_false(w.interbyte);

	set_raw(4, 1);		/* four bytes, 0.1 s between bytes */
	n_tty_raw_wait(ld, 100, &w);
	assert_int_equal(w.min, 4);
	assert_int_equal(w.timeout_ns, 100000000ULL);
	assert_true(w.interbyte);

	n_tty_raw_wait(ld, 2, &w);	/* never more than asked for */
	assert_int_equal(w.min, 2);
}

static void test_raw_echo(void **state __unused)
{
	set_raw(1, 0);
	set_lflag(ECHO, 0);
	type("a\x01\r");
	assert_string_equal(echoed, "a^A\r\n");
}

static void test_mode_switches_keep_input(void **state __unused)
{
	bool done;

	/* a half-typed line becomes readable when canonical mode ends */
	type("partial");
	set_raw(1, 0);
	assert_string_equal(read_n(100, &done), "partial");

	/* raw input pending when canonical mode starts is one readable chunk */
	type("xyz");
	set_lflag(ICANON, 0);
	assert_true(n_tty_input_ready(ld));
	assert_string_equal(read_n(100, &done), "xyz");
	assert_true(done);
	type("next\n");
	assert_string_equal(read_line(), "next\n");
}

static void test_buffer_full(void **state __unused)
{
	static char big[N_TTY_BUF_SIZE + 101];

	/* canonical: the line stops one short of full, the NL still fits */
	memset(big, 'x', N_TTY_BUF_SIZE + 100);
	big[N_TTY_BUF_SIZE + 100] = '\0';
	type(big);
	assert_int_equal(ev.dropped, 101);
	type("\n");
	assert_int_equal(ev.dropped, 0);
	assert_int_equal(n_tty_avail(ld), N_TTY_BUF_SIZE);
	type("y\n");
	assert_int_equal(ev.dropped, 2);
	assert_int_equal(strlen(read_line()), N_TTY_BUF_SIZE);
	type("y\n");
	assert_string_equal(read_line(), "y\n");

	/* raw: every slot is used, the rest is ignored */
	set_raw(1, 0);
	type(big);
	assert_int_equal(ev.dropped, 100);
	assert_int_equal(n_tty_avail(ld), N_TTY_BUF_SIZE);
}

static void test_output_processing(void **state __unused)
{
	struct termios t = ld->termios;

	n_tty_write(ld, (const u8 *)"a\nb\n", 4);
	assert_string_equal(echoed, "a\r\nb\r\n");

	clear_echo();
	t.c_oflag |= XTABS;
	n_tty_set_termios(ld, &t);
	n_tty_write(ld, (const u8 *)"ab\tc\n", 5);
	assert_string_equal(echoed, "ab      c\r\n");

	clear_echo();
	t.c_oflag &= ~OPOST;
	n_tty_set_termios(ld, &t);
	n_tty_write(ld, (const u8 *)"a\nb", 3);
	assert_string_equal(echoed, "a\nb");
}

static void test_long_output_is_emitted_whole(void **state __unused)
{
	static u8 big[1000];

	memset(big, '-', sizeof(big));
	n_tty_write(ld, big, sizeof(big));
	assert_int_equal(echoed_len, sizeof(big));
}

static void test_flush(void **state __unused)
{
	type("line\npart");
	n_tty_flush_input(ld);
	assert_false(n_tty_input_ready(ld));
	type("new\n");
	assert_string_equal(read_line(), "new\n");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults_match_linux),
		T(test_line_is_readable_only_at_newline),
		T(test_cr_becomes_nl),
		T(test_one_line_per_read),
		T(test_erase),
		T(test_erase_without_echoe),
		T(test_erase_tab),
		T(test_erase_utf8_character_whole),
		T(test_kill_line),
		T(test_word_erase),
		T(test_eof_at_line_start),
		T(test_eof_mid_line),
		T(test_literal_next),
		T(test_reprint),
		T(test_echo_off),
		T(test_signals),
		T(test_signal_flushes_complete_lines),
		T(test_isig_off),
		T(test_signals_in_raw_mode),
		T(test_raw_mode),
		T(test_raw_wait_rules),
		T(test_raw_echo),
		T(test_mode_switches_keep_input),
		T(test_buffer_full),
		T(test_output_processing),
		T(test_long_output_is_emitted_whole),
		T(test_flush),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
