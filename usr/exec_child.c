// SPDX-License-Identifier: GPL-2.0
/*
 * exec_child: run by exec; exits 42 if its argv and environment are exactly
 * what exec passes, 1 otherwise (and says what differs).
 */
#include "utest.h"

extern char **environ;

static int same(const char *what, const char *got, const char *want)
{
	if (got && !strcmp(got, want))
		return 1;
	say("exec_child: %s is [%s], want [%s]\n", what, got ? got : "(null)", want);
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const want_argv[] = { "exec_child", "one", "two words", "q\"uote", "" };
	static const char *const want_env[] = { "LEGO_EXEC=ok", "EMPTY=", "SPACES=a b  c" };
	int ok = 1, n = 0;

	if (argc != 5) {
		say("exec_child: argc %d, want 5\n", argc);
		return 1;
	}
	for (int i = 0; i < 5; i++)
		ok &= same("argv", argv[i], want_argv[i]);
	ok &= argv[5] == NULL;
	for (char **e = environ; *e; e++, n++)
		if (n < 3)
			ok &= same("environ", *e, want_env[n]);
	if (n != 3) {
		say("exec_child: %d environment strings, want 3\n", n);
		ok = 0;
	}
	return ok ? 42 : 1;
}
