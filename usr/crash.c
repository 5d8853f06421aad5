// SPDX-License-Identifier: GPL-2.0
/*
 * crash null | exit N | kill SIG: ends in the way asked - a NULL
 * dereference (SIGSEGV), exit code N, or signal SIG sent to itself. Used by
 * the tests of exit statuses (scripts/lego run, the shell carrying on).
 */
#include <signal.h>
#include "utest.h"

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "";

	if (!strcmp(how, "null")) {
		say("crash: dereferencing NULL\n");
		*(volatile int *)0 = 1;
	} else if (!strcmp(how, "exit") && argc > 2) {
		return atoi(argv[2]);
	} else if (!strcmp(how, "kill") && argc > 2) {
		say("crash: sending myself signal %d\n", atoi(argv[2]));
		kill(getpid(), atoi(argv[2]));
	}
	say("usage: crash null | exit N | kill SIG\n");
	return 2;
}
